//! Timelines: the deal as a sequence of versions, compiled into one agreement in which every day
//! is under exactly the terms in force that day (the book's "Timelines").

use crate::common::{any_date, dealsim, money, repo, scenario};
use crate::snapshots::assert_matches_file;
use chrono::NaiveDate;
use dealsim::agreement::timeline::{Timeline, Version};
use dealsim::agreement::{builtin, microsoft_openai, Clause, Sourced, TermAssumptions, BUILTIN_NAMES};
use dealsim::{engine, simulate};
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[test]
fn the_builtin_timeline_ships_as_a_file_that_loads_back_equal() {
    #[derive(serde::Serialize)]
    struct FileVersion<'a> {
        agreement: String,
        from: &'a Sourced<NaiveDate>,
    }
    #[derive(serde::Serialize)]
    struct File<'a> {
        name: &'a str,
        title: &'a str,
        versions: Vec<FileVersion<'a>>,
        invariants: &'a [dealsim::agreement::Invariant],
    }
    let timeline = microsoft_openai();
    let file = File {
        name: &timeline.name,
        title: &timeline.title,
        versions: timeline
            .versions
            .iter()
            .map(|v| FileVersion { agreement: format!("{}.toml", v.agreement.name), from: &v.from })
            .collect(),
        invariants: &timeline.invariants,
    };
    let text = format!(
        "# The built-in timeline `microsoft-openai`, as data: each version (an agreement file beside\n\
         # this one, or a built-in name) and the day it takes over. Generated from\n\
         # src/agreement/builtin.rs; tests check the two are equal. Copy it to write your own.\n\n{}",
        toml::to_string(&file).unwrap()
    );
    let path = repo().join("scenarios/agreements/microsoft-openai.toml");
    assert_matches_file(&path, text.as_bytes());
    assert_eq!(dealsim::scenario::load_agreement_file(&path).unwrap(), builtin("microsoft-openai").unwrap());
}

/// The days of `clause` in force, as (first, last).
fn window(
    agreement: &dealsim::Agreement,
    clause: &Clause,
    s: &dealsim::Scenario,
) -> (NaiveDate, Option<NaiveDate>) {
    let force = engine::in_force(agreement, clause, s);
    (force.first, force.last)
}

#[test]
fn the_timeline_hands_over_on_the_reported_days() {
    let s = scenario(2024, vec![Decimal::ZERO; 3]);
    let deal = builtin("microsoft-openai").unwrap();
    let at = |id: &str| window(&deal, deal.clause(id).unwrap_or_else(|| panic!("{id}")), &s);
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(at("original/openai-to-microsoft"), (d(2019, 7, 22), Some(d(2025, 10, 27))));
    assert_eq!(at("restructured/openai-to-microsoft"), (d(2025, 10, 28), Some(d(2025, 12, 31))));
    assert_eq!(at("revised/openai-to-microsoft"), (d(2026, 1, 1), Some(d(2030, 12, 31))));
    // Microsoft's share to OpenAI ends when the revision takes over (docs/SOURCES.md Q7).
    assert_eq!(at("restructured/microsoft-to-openai"), (d(2025, 10, 28), Some(d(2026, 4, 26))));
    assert_eq!(at("restructured/microsoft-ip-licence"), (d(2025, 10, 28), Some(d(2026, 4, 26))));
    assert_eq!(at("revised/microsoft-ip-licence").0, d(2026, 4, 27));
}

#[test]
fn a_timeline_of_one_version_equals_that_agreement() {
    for name in BUILTIN_NAMES {
        let agreement = builtin(name).unwrap();
        let timeline = Timeline {
            name: "one".into(),
            title: "one".into(),
            versions: vec![Version { from: agreement.effective.clone(), agreement: agreement.clone() }],
            invariants: Vec::new(),
        }
        .compile()
        .unwrap();
        let s = scenario(2018, vec![dec!(10_000_000_000); 16]);
        let (a, b) = (simulate(&agreement, &s).unwrap(), simulate(&timeline, &s).unwrap());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!(
                (
                    x.share_paid,
                    x.microsoft_share_paid,
                    x.cap_remaining,
                    x.licence,
                    x.distribution,
                    x.azure_first,
                    x.agi_clause
                ),
                (
                    y.share_paid,
                    y.microsoft_share_paid,
                    y.cap_remaining,
                    y.licence,
                    y.distribution,
                    y.azure_first,
                    y.agi_clause
                ),
                "{name} {}",
                x.period.label
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the assumptions move (the day the capped share counts from, the revision's
    /// take-over day, an AGI date), no day is under two versions of one clause.
    #[test]
    fn under_the_timeline_no_day_is_under_two_versions_of_one_clause(
        counts_from in prop::option::of(any_date(2025, 2027)),
        effective in prop::option::of(any_date(2025, 2027)),
        agi in prop::option::of(any_date(2019, 2035)),
    ) {
        let mut s = scenario(2019, vec![Decimal::ZERO; 14]);
        s.terms = TermAssumptions { cap_counts_from: counts_from, effective_date: effective, ..Default::default() };
        s.agi_declared = agi;
        let Ok(deal) = s.terms.apply(&builtin("microsoft-openai").unwrap(), "test") else { return Ok(()) };
        let windows: Vec<(&str, NaiveDate, Option<NaiveDate>)> = deal
            .clauses
            .iter()
            .map(|c| {
                let (first, last) = window(&deal, c, &s);
                (c.id().split_once('/').unwrap().1, first, last)
            })
            .collect();
        for (i, a) in windows.iter().enumerate() {
            for b in &windows[i + 1..] {
                if a.0 != b.0 {
                    continue;
                }
                let disjoint = a.2.is_some_and(|last| last < b.1) || b.2.is_some_and(|last| last < a.1)
                    || a.2.is_some_and(|last| last < a.1) || b.2.is_some_and(|last| last < b.1);
                prop_assert!(disjoint, "{} overlaps: {:?} and {:?}", a.0, a, b);
            }
        }
    }

    /// After the revision has taken over every clause, the timeline pays what `revised` pays.
    #[test]
    fn from_2027_the_timeline_pays_what_revised_pays(revenue in prop::collection::vec(money(), 1..=6)) {
        let mut s = scenario(2027, revenue);
        let deal = s.terms.apply(&builtin("microsoft-openai").unwrap(), "t").unwrap();
        s.prior_payments_toward_cap = Decimal::ZERO;
        let (a, b) = (simulate(&deal, &s).unwrap(), simulate(&builtin("revised").unwrap(), &s).unwrap());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            prop_assert_eq!((x.share_paid, x.cap_remaining, x.licence), (y.share_paid, y.cap_remaining, y.licence));
        }
    }
}

#[test]
fn the_reported_2024_net_payment_holds_under_the_timeline() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/history.toml", "--no-charts", "--exact", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("under `microsoft-openai`"));
    let csv = std::fs::read_to_string(out.path().join("history/ledger.csv")).unwrap();
    let net_2024: Decimal = csv
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("2024,"))
        .map(|l| l.split(',').nth(9).unwrap().parse::<Decimal>().unwrap())
        .sum();
    assert_eq!(net_2024, dec!(493_800_000), "the 2024 net payment (S8), calibrated");
}

#[test]
fn a_year_in_which_rights_change_says_so_with_the_day() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("deal.toml");
    std::fs::write(
        &file,
        "name = \"deal\"\nagreement = \"microsoft-openai\"\nyears = { from = 2025, to = 2027 }\n\
         [revenue.openai]\nby_year = { 2025 = \"13B\", 2026 = \"30B\", 2027 = \"62B\" }\n",
    )
    .unwrap();
    dealsim()
        .env("COLUMNS", "300")
        .args(["run", "--no-charts", "--wide", "--out"])
        .arg(out.path())
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("exclusive→non-exclusive"))
        .stdout(predicate::str::contains("Rights that change within a period:"))
        .stdout(predicate::str::contains(
            "2026: licence exclusive→non-exclusive from 2026-04-27; distribution azure-only→any-cloud from 2026-04-27",
        ));
    let csv = std::fs::read_to_string(out.path().join("deal/ledger.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains(",share_term,rights_changes,"));
    let row_2026 = csv.lines().find(|l| l.starts_with("2026,")).unwrap();
    assert!(row_2026.contains("licence exclusive→non-exclusive from 2026-04-27"), "{row_2026}");
    // Quarterly: the change sits in the exact quarter.
    std::fs::write(
        &file,
        "name = \"deal\"\nagreement = \"microsoft-openai\"\nyears = { from = 2026, to = 2026 }\nperiods = \"quarters\"\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\" }\n",
    )
    .unwrap();
    dealsim().args(["run", "--no-charts", "--out"]).arg(out.path()).arg(&file).assert().success();
    let csv = std::fs::read_to_string(out.path().join("deal/ledger.csv")).unwrap();
    let changed: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter(|l| l.contains("from 2026-04-27"))
        .map(|l| l.split(',').nth(14).unwrap())
        .collect();
    assert_eq!(changed, ["2026-Q2"]);
}

#[test]
fn terms_shows_the_versions_and_diff_compares_two_points_of_a_timeline() {
    dealsim()
        .args(["terms", "microsoft-openai"])
        .assert()
        .success()
        .stdout(predicate::str::contains("A timeline of 3 versions"))
        .stdout(predicate::str::contains("- `restructured` from 2025-10-28"))
        .stdout(predicate::str::contains("(`revised/openai-to-microsoft`)"));
    dealsim()
        .args(["diff", "microsoft-openai@2025-11-01", "microsoft-openai@2026-05-01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Changes from `restructured` to `revised`:"))
        .stdout(predicate::str::contains("IP licence: exclusivity: exclusive → non-exclusive"));
    dealsim()
        .args(["diff", "microsoft-openai@2026-13-01", "revised"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`2026-13-01` after `@` is not a day"));
}

#[test]
fn timeline_versions_out_of_order_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "name = \"bad\"\ntitle = \"bad\"\n\
         [[versions]]\nagreement = \"revised\"\nfrom = { value = \"2026-04-27\", basis = \"reported\", source = \"x\" }\n\
         [[versions]]\nagreement = \"original\"\nfrom = { value = \"2019-07-22\", basis = \"reported\", source = \"x\" }\n",
    )
    .unwrap();
    dealsim().arg("terms").arg(&file).assert().code(2).stderr(predicate::str::contains(
        "`original` takes over on 2019-07-22, not after `revised` (2026-04-27)",
    ));
}

#[test]
fn sensitivity_of_a_timeline_varies_cap_counts_from_around_the_revision_not_2019() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("deal.toml");
    std::fs::write(
        &file,
        "name = \"deal\"\nagreement = \"microsoft-openai\"\nyears = { from = 2025, to = 2030 }\n\
         [revenue.openai]\nby_year = { 2025 = \"13B\", 2026 = \"30B\" }\ngrowth = \"60%\"\n",
    )
    .unwrap();
    dealsim()
        .args(["sensitivity", "--out"])
        .arg(out.path())
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("cap_counts_from           ┆ 2026-01-01 – 2026-04-27"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The Monte Carlo plan of a timeline is the engine's ledger, path for path.
    #[test]
    fn one_monte_carlo_path_of_the_timeline_equals_the_engine(
        revenue in prop::collection::vec(money(), 1..=12),
        first in 2018i32..=2028,
        counts_from in prop::option::of(any_date(2025, 2027)),
    ) {
        let mut s = scenario(first, revenue);
        s.terms.cap_counts_from = counts_from;
        s.microsoft_revenue = s.openai_revenue.iter().map(|r| *r / Decimal::from(3)).map(|r| r.round_dp(2)).collect();
        let deal = s.terms.apply(&builtin("microsoft-openai").unwrap(), "t").unwrap();
        let ledger = simulate(&deal, &s).unwrap();
        let plan = dealsim::analysis::montecarlo::Plan::new(&deal, &s).unwrap();
        let mc = dealsim::analysis::montecarlo::run(&plan, 1, 3, &|_| {}).unwrap();
        for (row, year) in ledger.rows.iter().zip(&mc.years) {
            prop_assert_eq!(row.share_paid, year.paid.p50, "{}", row.period.label);
            prop_assert_eq!(row.cumulative_paid, year.cumulative_paid.p50);
        }
    }
}

/// `agreement` with clause `index` split on `day` into two identical halves, the second named
/// `<id>-b`: the first ends the day before, the second starts on it.
fn split(agreement: &dealsim::Agreement, index: usize, day: NaiveDate) -> dealsim::Agreement {
    let mut out = agreement.clone();
    let mut second = out.clauses[index].clone();
    let before = day.pred_opt().unwrap();
    match (&mut out.clauses[index], &mut second) {
        (Clause::RevenueShare(a), Clause::RevenueShare(b)) => {
            a.end = Sourced::assumption(before, "split");
            b.start = Some(Sourced::assumption(day, "split"));
            b.id = format!("{}-b", b.id);
        }
        (Clause::Licence(a), Clause::Licence(b)) => {
            a.end = Some(Sourced::assumption(before, "split"));
            b.start = Some(Sourced::assumption(day, "split"));
            b.id = format!("{}-b", b.id);
        }
        (Clause::Distribution(a), Clause::Distribution(b)) => {
            a.end = Some(Sourced::assumption(before, "split"));
            b.start = Some(Sourced::assumption(day, "split"));
            b.id = format!("{}-b", b.id);
        }
        (Clause::ShippingPriority(a), Clause::ShippingPriority(b)) => {
            a.end = Sourced::assumption(before, "split");
            b.start = Some(Sourced::assumption(day, "split"));
            b.id = format!("{}-b", b.id);
        }
        _ => unreachable!("a clone has the same kind"),
    }
    out.clauses.push(second);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A right split at any day into two identical halves shows the same rights in every
    /// period, with no change reported at the split, and launches ship the same way.
    #[test]
    fn splitting_a_right_into_two_identical_halves_changes_nothing(
        which in 0usize..3,
        day in any_date(2026, 2031),
        quarters in any::<bool>(),
    ) {
        let s = {
            let mut s = dealsim::scenario::load_file(&repo().join("scenarios/launches.toml")).unwrap().scenario;
            if quarters {
                s.periods = (2026..=2032)
                    .flat_map(|y| (1..=4).map(move |q| dealsim::period::Period::quarter(y, q).unwrap()))
                    .collect();
                s.openai_revenue = vec![Decimal::ZERO; s.periods.len()];
                s.microsoft_revenue = vec![Decimal::ZERO; s.periods.len()];
                s.openai_growth = vec![dealsim::scenario::GrowthSource::Listed; s.periods.len()];
            }
            s
        };
        let whole = s.terms.apply(&builtin("revised").unwrap(), "t").unwrap();
        // The licence, the distribution clause and Azure-first, in the agreement's order.
        let rights: Vec<usize> =
            whole.clauses.iter().enumerate().filter(|(_, c)| !matches!(c, Clause::RevenueShare(_))).map(|(i, _)| i).collect();
        let index = rights[which % rights.len()];
        let start = whole.start_of(&whole.clauses[index]);
        prop_assume!(day > start && whole.clauses[index].end().is_none_or(|end| day <= end));
        let halves = split(&whole, index, day);
        let (a, b) = (simulate(&whole, &s).unwrap(), simulate(&halves, &s).unwrap());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            prop_assert_eq!((x.licence, x.distribution, x.azure_first, x.agi_clause), (y.licence, y.distribution, y.azure_first, y.agi_clause));
            prop_assert_eq!(&x.rights_changes, &y.rights_changes, "{}", x.period.label);
        }
        let outcomes = |l: &dealsim::Ledger| l.launches.iter().map(|o| (o.azure, o.other_clouds)).collect::<Vec<_>>();
        prop_assert_eq!(outcomes(&a), outcomes(&b));
    }

    /// An uncapped share split at the start of a period pays exactly what the whole does.
    #[test]
    fn splitting_an_uncapped_share_at_a_period_start_changes_no_figure(
        revenue in prop::collection::vec(money(), 5),
        year in 2027i32..=2030,
    ) {
        let s = scenario(2026, revenue);
        let whole = s.terms.apply(&builtin("restructured").unwrap(), "t").unwrap();
        let index = whole.clauses.iter().position(|c| c.id() == "openai-to-microsoft").unwrap();
        let halves = split(&whole, index, NaiveDate::from_ymd_opt(year, 1, 1).unwrap());
        let (a, b) = (simulate(&whole, &s).unwrap(), simulate(&halves, &s).unwrap());
        prop_assert_eq!(a.summary().unwrap().totals, b.summary().unwrap().totals);
        for (x, y) in a.rows.iter().zip(&b.rows) {
            prop_assert_eq!((x.share_due, x.share_paid, x.net_to_microsoft), (y.share_due, y.share_paid, y.net_to_microsoft));
        }
    }
}

/// A timeline against one version: attribution in one step per version added or removed (not
/// one per clause of each version), with nothing left unattributed.
#[test]
fn against_from_a_timeline_attributes_by_version() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/history.toml", "--against", "revised", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("`original` terms added (4 clauses)"))
        .stdout(predicate::str::contains("`restructured` terms added (5 clauses)"));
    let csv = std::fs::read_to_string(out.path().join("history/against-revised/attribution.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows.iter().all(|r| !r[at("change")].starts_with("differences not attributed")), "{csv}");
    let gains: Decimal = rows.iter().map(|r| r[at("microsoft_gain")].parse::<Decimal>().unwrap()).sum();
    let against = std::fs::read_to_string(out.path().join("history/against-revised/against.json")).unwrap();
    let total: serde_json::Value = serde_json::from_str(&against).unwrap();
    let total: Decimal = total["microsoft_gain"].to_string().trim_matches('"').parse().unwrap();
    assert_eq!(gains, total, "steps add up to the total");
}

/// A run that starts before its agreement says that `none` on those days means "not modelled";
/// the same scenario under the timeline shows the earlier terms and needs no such line.
#[test]
fn rights_before_a_version_takes_effect_are_called_not_modelled_and_the_timeline_shows_them() {
    dealsim()
        .args(["run", "scenarios/base.toml", "--no-charts", "--wide", "--out"])
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .success()
        .stdout(predicate::str::contains("licence none→non-exclusive from 2026-04-27"))
        .stdout(predicate::str::contains(
            "before 2026-04-27 the run is outside `revised`: `none` there means not modelled",
        ));
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("agreement = \"revised\"", "agreement = \"microsoft-openai\"");
    std::fs::write(dir.path().join("base.toml"), text).unwrap();
    dealsim()
        .args(["run", "--no-charts", "--wide", "--out"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("base.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("licence exclusive→non-exclusive from 2026-04-27"))
        .stdout(predicate::str::contains("Microsoft→OpenAI paid 635.62M; net to Microsoft 37.36B"))
        .stdout(predicate::str::contains("not modelled").not());
}
