//! The built-in versions of the Microsoft–OpenAI agreement, encoded from the sources listed in
//! `docs/SOURCES.md`. Every parameter names its source; every unknown is marked an assumption.

use super::clause::*;
use super::{Agreement, Figure, Invariant, RightValue, Sourced};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Names accepted by `agreement = "..."` in a scenario.
pub const BUILTIN_NAMES: &[&str] = &["original", "restructured", "revised"];

/// Built-in timelines: versions of the deal chained by the day each takes over.
pub const TIMELINE_NAMES: &[&str] = &["microsoft-openai"];

/// Other names for built-ins: `pre-revision` is the terms in force just before the revision.
pub const ALIASES: &[(&str, &str)] = &[("pre-revision", "restructured")];

/// Every built-in name a scenario may use: agreements, then timelines.
pub const ALL_NAMES: &[&str] = &["original", "restructured", "revised", "microsoft-openai"];

/// Each built-in version and the one it amended, oldest first: what a run's report diffs
/// against when no `--against` is given.
pub const PREDECESSORS: &[(&str, &str)] = &[("restructured", "original"), ("revised", "restructured")];

/// The built-in version `name` amended (`revised` → `restructured`), if any.
pub fn predecessor(name: &str) -> Option<&'static str> {
    PREDECESSORS.iter().find(|(newer, _)| *newer == name).map(|(_, older)| *older)
}

pub fn builtin_names() -> &'static [&'static str] {
    ALL_NAMES
}

/// The built-in agreement of that name.
pub fn builtin(name: &str) -> Option<Agreement> {
    let name = ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |(_, target)| target);
    match name {
        "original" => Some(original()),
        "restructured" => Some(restructured()),
        "revised" => Some(revised()),
        "microsoft-openai" => microsoft_openai().compile().ok(),
        _ => None,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("built-in dates are valid")
}

const REUTERS_RATE: &str =
    "[S2] citing Reuters: \"a guaranteed 20 percent cut of OpenAI's revenue until 2030\"";
/// Why the capped share counts from 1 January 2026 while the rights change on 27 April.
pub const CAP_COUNTS_FROM_SOURCE: &str = "reported figures imply it (docs/SOURCES.md [S10], [S11]): OpenAI pays about $6B of ~$30B revenue in 2026 (20% of the whole year), ~$135B uncapped through 2030 is 20% of the February 2026 plan from 2026, and the cap is expected to bind in 2028; no source states the date outright";

const REPORTED_CAP: &str =
    "The Information via Reuters, 11 May 2026 [S9]: total cap $38B; the companies call it undisclosed [S2]";

/// The revised agreement announced on 27 April 2026.
pub fn revised() -> Agreement {
    let effective = Sourced::reported(
        date(2026, 4, 27),
        "announced 27 April 2026 ([S15]; docs/SOURCES.md Q2); the articles on the revision are undated",
    );
    Agreement {
        name: "revised".into(),
        title: "Revised Microsoft–OpenAI agreement (announced 27 April 2026)".into(),
        effective,
        timeline: None,
        cap_pools: Vec::new(),
        invariants: std::sync::Arc::new(revised_invariants()),
        clauses: vec![
            Clause::RevenueShare(RevenueShare {
                id: "openai-to-microsoft".into(),
                payer: Party::OpenAi,
                payee: Party::Microsoft,
                rate: Sourced::reported(dec!(0.20), REUTERS_RATE),
                schedule: None,
        tiers: None,
                base: Sourced::assumption(
                    RevenueBase { stream: RevenueStream::OpenaiRevenue, fraction: Decimal::ONE },
                    "undisclosed (docs/SOURCES.md Q4); default is all of OpenAI's revenue",
                ),
                start: Some(Sourced::reported(date(2026, 1, 1), CAP_COUNTS_FROM_SOURCE)),
                end: Sourced::seed(
                    date(2030, 12, 31),
                    "[S2], [S3], [S4]: \"through 2030\", read as inclusive to 31 December (docs/SOURCES.md Q6)",
                ),
                cap: Some(Sourced::reported(Cap::Total { amount: dec!(38_000_000_000) }, REPORTED_CAP)),
                stops_on: None,
                payment_lag_days: None,
            cap_pool: None,
            }),
            Clause::Licence(Licence {
                id: "microsoft-ip-licence".into(),
                licensee: Party::Microsoft,
                licensor: Party::OpenAi,
                scope: Sourced::seed(
                    vec![IpScope::Models, IpScope::Products],
                    "[S2]: \"a license to OpenAI intellectual property for models and products\"",
                ),
                exclusive: Sourced::seed(false, "[S2], [S3], [S4]: \"now non-exclusive\""),
                start: None,
                end: Some(Sourced::seed(
                    date(2032, 12, 31),
                    "[S2], [S3], [S4]: \"through 2032\", read as inclusive to 31 December",
                )),
                stops_on: None,
            }),
            Clause::Distribution(Distribution {
                id: "openai-distribution".into(),
                licensor: Party::OpenAi,
                clouds: Sourced::seed(
                    Clouds::AnyCloud,
                    "[S1], [S2], [S3]: OpenAI \"can now serve all of its products to customers across any cloud provider\"",
                ),
                start: None,
                end: None,
            }),
            Clause::ShippingPriority(ShippingPriority {
                id: "azure-first".into(),
                licensor: Party::OpenAi,
                first_on: Cloud::Azure,
                exception: Sourced::seed(
                    ExceptionReading::And,
                    "[S2] quotes the announcement as \"cannot and chooses not\"; [S3] and [S15] say \"cannot or chooses not\" (both selectable)",
                ),
                start: None,
                end: Sourced::assumption(
                    date(2032, 12, 31),
                    "the sources give no end (docs/SOURCES.md Q5); assumed to last as long as the licence (2032)",
                ),
            }),
        ],
    }
}

const REPORTED_TERMS: &str = "Business Standard 11 Jan 2023; Reuters/The Information [S7], [S9]";
const MS_SHARE: &str =
    "TechCrunch, ~14 Nov 2025 [S8]: Microsoft pays OpenAI ~20% of Azure OpenAI and Bing revenue";
const NO_END_REPORTED: &str =
    "no end date is reported; taken to run as long as OpenAI's share to Microsoft (to 2030)";

fn openai_share(effective_source: &str, agi: &str, end: Sourced<NaiveDate>) -> Clause {
    Clause::RevenueShare(RevenueShare {
        id: "openai-to-microsoft".into(),
        payer: Party::OpenAi,
        payee: Party::Microsoft,
        rate: Sourced::reported(dec!(0.20), effective_source),
        schedule: None,
        tiers: None,
        base: Sourced::assumption(
            RevenueBase { stream: RevenueStream::OpenaiRevenue, fraction: Decimal::ONE },
            "undisclosed (docs/SOURCES.md Q4); default is all of OpenAI's revenue",
        ),
        start: None,
        end,
        cap: None,
        stops_on: Some(Sourced::reported(Trigger::AgiDeclared, agi)),
        payment_lag_days: None,
        cap_pool: None,
    })
}

fn microsoft_share() -> Clause {
    Clause::RevenueShare(RevenueShare {
        id: "microsoft-to-openai".into(),
        payer: Party::Microsoft,
        payee: Party::OpenAi,
        rate: Sourced::reported(dec!(0.20), MS_SHARE),
        schedule: None,
        tiers: None,
        base: Sourced::assumption(
            RevenueBase { stream: RevenueStream::MicrosoftOpenaiProducts, fraction: Decimal::ONE },
            "the scenario's [revenue.microsoft] is Microsoft's Azure OpenAI and Bing revenue, all of it in the base",
        ),
        start: None,
        end: Sourced::assumption(date(2030, 12, 31), NO_END_REPORTED),
        cap: None,
        stops_on: None,
        payment_lag_days: None,
        cap_pool: None,
    })
}

/// The original partnership terms (2019–2023, as extended in January 2023).
pub fn original() -> Agreement {
    let agi = "[S2], [S5], [S7]: the AGI clause let OpenAI stop paying once its board declared AGI";
    Agreement {
        name: "original".into(),
        title: "Original Microsoft–OpenAI partnership (2019–2023 terms)".into(),
        effective: Sourced::reported(
            date(2019, 7, 22),
            "Microsoft's first investment and partnership, announced 22 July 2019 (public reporting)",
        ),
        timeline: None,
        cap_pools: Vec::new(),
        invariants: std::sync::Arc::new(share_invariants()),
        clauses: vec![
            openai_share(
                "20% through 2030 [S7], [S9]; OpenAI told investors it would fall to ~10% by 2030 (not modelled)",
                agi,
                Sourced::reported(date(2030, 12, 31), REPORTED_TERMS),
            ),
            microsoft_share(),
            Clause::Licence(Licence {
                id: "microsoft-ip-licence".into(),
                licensee: Party::Microsoft,
                licensor: Party::OpenAi,
                scope: Sourced::reported(vec![IpScope::Models, IpScope::Products, IpScope::ResearchIp], REPORTED_TERMS),
                exclusive: Sourced::seed(true, "[S2], [S3], [S4]: the licence is \"now non-exclusive\", so it was exclusive"),
                start: None,
                end: None,
                stops_on: Some(Sourced::reported(
                    Trigger::AgiDeclared,
                    "[S7]: exclusive until OpenAI's board declares AGI",
                )),
            }),
            Clause::Distribution(Distribution {
                id: "openai-distribution".into(),
                licensor: Party::OpenAi,
                clouds: Sourced::seed(
                    Clouds::AzureOnly,
                    "[S1], [S3]: models were tied exclusively to Azure (exclusive cloud and API channel)",
                ),
                start: None,
                end: None,
            }),
        ],
    }
}

/// The restructuring of 28 October 2025: the terms in force just before the revision.
pub fn restructured() -> Agreement {
    let ars = "Ars Technica and Business Standard, 28 Oct 2025 [S7]";
    Agreement {
        name: "restructured".into(),
        title: "Microsoft–OpenAI restructuring of 28 October 2025 (the pre-revision terms)".into(),
        effective: Sourced::reported(date(2025, 10, 28), ars),
        timeline: None,
        cap_pools: Vec::new(),
        invariants: std::sync::Arc::new(share_invariants()),
        clauses: vec![
            openai_share(
                "20%, unchanged by the restructuring [S7]",
                "[S7]: continues until an independent expert panel verifies AGI",
                Sourced::assumption(
                    date(2030, 12, 31),
                    "accrues through 2030 as before; the restructuring pays it \"over a longer period\" (payment timing not modelled)",
                ),
            ),
            microsoft_share(),
            Clause::Licence(Licence {
                id: "microsoft-ip-licence".into(),
                licensee: Party::Microsoft,
                licensor: Party::OpenAi,
                scope: Sourced::reported(vec![IpScope::Models, IpScope::Products], ars),
                exclusive: Sourced::seed(true, "[S2], [S3], [S4]: the licence is \"now non-exclusive\", so it was exclusive"),
                start: None,
                end: Some(Sourced::reported(
                    date(2032, 12, 31),
                    "[S7]: models and products through 2032, including post-AGI models",
                )),
                stops_on: None,
            }),
            Clause::Licence(Licence {
                id: "research-ip-licence".into(),
                licensee: Party::Microsoft,
                licensor: Party::OpenAi,
                scope: Sourced::reported(vec![IpScope::ResearchIp], ars),
                exclusive: Sourced::assumption(true, "exclusive like the models licence; not reported"),
                start: None,
                end: Some(Sourced::reported(date(2030, 12, 31), "[S7]: research IP until 2030 or verified AGI")),
                stops_on: Some(Sourced::reported(Trigger::AgiDeclared, "[S7]: research IP until 2030 or verified AGI")),
            }),
            Clause::Distribution(Distribution {
                id: "openai-distribution".into(),
                licensor: Party::OpenAi,
                clouds: Sourced::reported(
                    Clouds::AzureOnly,
                    "[S7]: right of first refusal removed, but API products exclusive to Azure",
                ),
                start: None,
                end: None,
            }),
        ],
    }
}

/// What every version promises of its OpenAI→Microsoft share: nothing after 2030, and never less
/// paid for more revenue.
fn share_invariants() -> Vec<Invariant> {
    vec![
        Invariant::Zero {
            clause: None,
            says:
                "OpenAI's revenue share to Microsoft runs through 2030 [S2], [S3], [S4]: nothing is paid for \
                   periods after 31 December 2030"
                    .into(),
            figure: Figure::SharePaid,
            after: Some(date(2030, 12, 31)),
        },
        Invariant::MonotoneInRevenue {
            says: "a share of revenue: more revenue never means less paid".into(),
            figure: Figure::SharePaid,
        },
    ]
}

/// The seeds' promises about the revised terms, in absolute terms, so an edited copy that breaks
/// one is caught rather than checked against itself.
fn revised_invariants() -> Vec<Invariant> {
    let mut out = share_invariants();
    out.extend([
        Invariant::TotalWithinCap {
            pool: None,
            says: format!(
                "OpenAI's payments are subject to a total cap [S2], [S3], [S4], reported as $38B ({REPORTED_CAP}): \
                 never more in total, unless the scenario assumes another cap"
            ),
            figure: Figure::SharePaid,
            clause: None,
            cap: Some(dec!(38_000_000_000)),
        },
        Invariant::Zero {
            clause: None,
            says: "Microsoft no longer pays OpenAI a revenue share [S1], [S2], [S3]".into(),
            figure: Figure::MicrosoftSharePaid,
            after: None,
        },
        Invariant::RightNever {
            says: "Microsoft's licence is now non-exclusive [S2], [S3], [S4]".into(),
            right: RightValue::Licence(LicenceStatus::Exclusive),
            after: None,
        },
        Invariant::RightIs {
            says: "Microsoft's licence runs through 2032 [S2], [S3], [S4]: none after 31 December 2032".into(),
            right: RightValue::Licence(LicenceStatus::None),
            after: Some(date(2032, 12, 31)),
        },
    ]);
    out
}

/// What the whole deal promises: the shares' promises, the revision's cap on its own share, and
/// no exclusive licence once the revision has taken over (periods starting after 27 April 2026).
fn timeline_invariants() -> Vec<Invariant> {
    let mut out = share_invariants();
    out.extend([
        Invariant::TotalWithinCap {
            pool: None,
            says: format!(
                "the revision caps OpenAI's payments under it [S2], [S3], [S4], reported as $38B ({REPORTED_CAP}); \
                 payments under the earlier terms do not count (reported figures imply it)"
            ),
            figure: Figure::SharePaid,
            clause: Some("revised/openai-to-microsoft".into()),
            cap: Some(dec!(38_000_000_000)),
        },
        Invariant::RightNever {
            says: "the licence is non-exclusive from the revision on [S2], [S3], [S4]".into(),
            right: RightValue::Licence(LicenceStatus::Exclusive),
            after: Some(date(2026, 4, 27)),
        },
        Invariant::RightIs {
            says: "Microsoft's licence runs through 2032 [S2], [S3], [S4]: none after 31 December 2032".into(),
            right: RightValue::Licence(LicenceStatus::None),
            after: Some(date(2032, 12, 31)),
        },
    ]);
    out
}

/// The whole deal: the original partnership, the October 2025 restructuring, the April 2026
/// revision, each from the day it took over.
pub fn microsoft_openai() -> super::timeline::Timeline {
    use super::timeline::{Timeline, Version};
    let original = original();
    let restructured = restructured();
    let revised = revised();
    Timeline {
        name: "microsoft-openai".into(),
        title: "The Microsoft–OpenAI partnership over time (2019 terms, October 2025 restructuring, April 2026 revision)"
            .into(),
        versions: vec![
            Version { from: original.effective.clone(), agreement: original },
            Version { from: restructured.effective.clone(), agreement: restructured },
            Version { from: revised.effective.clone(), agreement: revised },
        ],
        invariants: timeline_invariants(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_is_named_as_listed() {
        for name in BUILTIN_NAMES {
            assert_eq!(builtin(name).expect("listed builtin exists").name, *name);
        }
        assert!(builtin("nonesuch").is_none());
        assert_eq!(builtin("pre-revision").unwrap().name, "restructured");
    }

    #[test]
    fn each_version_amends_the_one_before_it_in_the_timeline() {
        // The predecessors are the timeline's versions in order: one list cannot drift from the other.
        let versions: Vec<String> =
            microsoft_openai().versions.iter().map(|v| v.agreement.name.clone()).collect();
        let pairs: Vec<(String, String)> =
            PREDECESSORS.iter().map(|(n, o)| (n.to_string(), o.to_string())).collect();
        let expected: Vec<(String, String)> =
            versions.windows(2).map(|w| (w[1].clone(), w[0].clone())).collect();
        assert_eq!(pairs, expected);
        assert_eq!(predecessor("revised"), Some("restructured"));
        assert_eq!(predecessor("original"), None);
    }

    #[test]
    fn no_source_repeats_its_basis_or_cites_a_file_users_do_not_have() {
        // `terms` prints "(basis: source)": a source starting "assumption:" read "(reported: assumption: …)".
        for name in BUILTIN_NAMES {
            let text = toml::to_string(&builtin(name).unwrap()).unwrap();
            for line in text.lines().filter(|l| l.starts_with("source = ")) {
                for word in
                    ["assumption:", "reported:", "seed:", "(reported)", "DOMAIN.md", "seed 0", "shared/"]
                {
                    assert!(!line.contains(word), "{name}: {line}");
                }
            }
        }
    }

    #[test]
    fn revised_has_no_agi_trigger_and_no_share_to_openai() {
        let revised = revised();
        assert!(revised.clauses.iter().all(|c| c.stops_on().is_none()));
        assert!(!revised.clauses.iter().any(|c| matches!(c,
            Clause::RevenueShare(s) if s.payer == Party::Microsoft)));
    }
}
