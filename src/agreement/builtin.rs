//! The built-in versions of the Microsoft–OpenAI agreement, encoded from `../shared/seeds/` and
//! `../shared/DOMAIN.md`. Every parameter names its source; every unknown is marked an assumption.

use super::clause::*;
use super::{Agreement, Sourced};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Names accepted by `agreement = "..."` in a scenario.
pub const BUILTIN_NAMES: &[&str] = &["revised"];

pub fn builtin_names() -> &'static [&'static str] {
    BUILTIN_NAMES
}

/// The built-in agreement of that name.
pub fn builtin(name: &str) -> Option<Agreement> {
    match name {
        "revised" => Some(revised()),
        _ => None,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("built-in dates are valid")
}

const REUTERS_RATE: &str =
    "seed 001 citing Reuters: \"a guaranteed 20 percent cut of OpenAI's revenue until 2030\"";
const REPORTED_CAP: &str =
    "The Information via Reuters, 11 May 2026 (DOMAIN.md): total cap $38B; the companies call it undisclosed (seed 001)";

/// The revised agreement announced on 27 April 2026.
pub fn revised() -> Agreement {
    let effective = Sourced::reported(
        date(2026, 4, 27),
        "announced 27 April 2026 (public reporting, DOMAIN.md question 2); the seeds are undated",
    );
    Agreement {
        name: "revised".into(),
        title: "Revised Microsoft–OpenAI agreement (announced 27 April 2026)".into(),
        effective,
        clauses: vec![
            Clause::RevenueShare(RevenueShare {
                id: "openai-to-microsoft".into(),
                payer: Party::OpenAi,
                payee: Party::Microsoft,
                rate: Sourced::reported(dec!(0.20), REUTERS_RATE),
                base: Sourced::assumption(
                    RevenueBase { stream: RevenueStream::OpenaiRevenue, fraction: Decimal::ONE },
                    "DOMAIN.md question 4: the base is undisclosed; default is all of OpenAI's revenue",
                ),
                start: None,
                end: Sourced::seed(
                    date(2030, 12, 31),
                    "seed 001, 002, 003: \"through 2030\", read as inclusive to 31 December (DOMAIN.md question 6)",
                ),
                cap: Some(Sourced::reported(Cap::Total { amount: dec!(38_000_000_000) }, REPORTED_CAP)),
                stops_on: None,
            }),
            Clause::Licence(Licence {
                id: "microsoft-ip-licence".into(),
                licensee: Party::Microsoft,
                licensor: Party::OpenAi,
                scope: Sourced::seed(
                    vec![IpScope::Models, IpScope::Products],
                    "seed 001: \"a license to OpenAI intellectual property for models and products\"",
                ),
                exclusive: Sourced::seed(false, "seed 001, 002, 003: \"now non-exclusive\""),
                start: None,
                end: Sourced::seed(
                    date(2032, 12, 31),
                    "seed 001, 002, 003: \"through 2032\", read as inclusive to 31 December",
                ),
                stops_on: None,
            }),
            Clause::Distribution(Distribution {
                id: "openai-distribution".into(),
                licensor: Party::OpenAi,
                clouds: Sourced::seed(
                    Clouds::AnyCloud,
                    "seed 000, 001, 002: OpenAI \"can now serve all of its products to customers across any cloud provider\"",
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
                    "seed 001 quotes the announcement as \"cannot and chooses not\"; seed 002 says \"cannot or chooses not\" (both selectable)",
                ),
                start: None,
                end: Sourced::assumption(
                    date(2032, 12, 31),
                    "DOMAIN.md question 5: the seeds give no end; assumed to last as long as the licence (2032)",
                ),
            }),
        ],
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
    }

    #[test]
    fn revised_has_no_agi_trigger_and_no_share_to_openai() {
        let revised = revised();
        assert!(revised.clauses.iter().all(|c| c.stops_on().is_none()));
        assert!(!revised.clauses.iter().any(|c| matches!(c,
            Clause::RevenueShare(s) if s.payer == Party::Microsoft)));
    }
}
