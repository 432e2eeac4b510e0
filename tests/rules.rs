//! The rules the README documents ("The rules"), each pinned by a test named after it, including
//! the cases where an earlier version read wrong (issue: "Right answers or a clear refusal").

use crate::common::{resolved, scenario};
use dealsim::analysis::montecarlo;
use dealsim::ledger::ShareTerm;
use dealsim::simulate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[test]
fn the_base_is_not_rounded_before_the_rate_so_1000_005_at_50_percent_pays_500_00() {
    // due = round(base × rate × d / n), rounded once: 1000.005 × 0.5 = 500.0025 → 500.00. A
    // base rounded first (1000.01) would pay 500.01.
    let mut s = scenario(2027, vec![dec!(1000.005)]);
    s.terms.share_rate = Some(dec!(0.5));
    s.terms.cap = Some(dec!(1_000_000_000_000));
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    assert_eq!(ledger.rows[0].share_paid, dec!(500.00));
    // Monte Carlo agrees (the decimal loop: the amount has sub-cent digits).
    let plan = montecarlo::Plan::new(&agreement, &s).unwrap();
    let result = montecarlo::run(&plan, 1, 1, &|_| {}).unwrap();
    assert_eq!(result.years[0].paid.p50, dec!(500.00));
}

#[test]
fn a_base_fraction_is_not_rounded_either() {
    // 100.01 × 1/3 × 20% = 6.667333… → 6.67; rounding the base first (33.34) gives 6.668 → 6.67
    // too, so take a case where it differs: 0.05 × 0.5 × 0.5 = 0.0125 → 0.01; a rounded base
    // (0.03) would give 0.015 → 0.02.
    let mut s = scenario(2027, vec![dec!(0.05)]);
    s.terms.share_rate = Some(dec!(0.5));
    s.terms.share_base = Some(dec!(0.5));
    s.terms.cap = Some(dec!(1_000_000_000_000));
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    assert_eq!(ledger.rows[0].share_paid, dec!(0.01));
}

#[test]
fn a_100_percent_discount_rate_over_96_years_underflows_to_zero_value_and_does_not_fail() {
    let mut s = scenario(2000, vec![dec!(1_000_000_000); 96]);
    s.discounting.rate = Decimal::ONE;
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    let summary = ledger.summary().expect("far-off cash is worth zero, not an overflow");
    assert!(summary.present_value.net_to_microsoft >= Decimal::ZERO);
    let mut s = scenario(1900, vec![dec!(1_000_000_000); 301]);
    s.discounting.rate = dec!(0.3);
    assert!(simulate(&resolved("revised", &s), &s).unwrap().summary().is_ok(), "any rate over 301 years");
}

#[test]
fn with_a_cap_of_zero_the_cap_is_not_reached_before_its_clause_is_in_force() {
    // Under `revised` the capped share counts from 2026-01-01: a run from 2020 with a zero cap
    // reaches it in 2026, not 2020.
    let mut s = scenario(2020, vec![dec!(10_000_000_000); 10]);
    s.terms.cap = Some(Decimal::ZERO);
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    assert_eq!(ledger.summary().unwrap().cap_reached_year, Some(2026));
    let mut s = scenario(2020, vec![dec!(10_000_000_000); 10]);
    s.prior_payments_toward_cap = dec!(50_000_000_000);
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    assert_eq!(ledger.summary().unwrap().cap_reached_year, Some(2026), "prior payments above the cap too");
}

#[test]
fn share_rate_after_the_share_expired_is_ended_not_zero_percent() {
    let s = scenario(2029, vec![dec!(100_000_000_000); 4]);
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    let terms: Vec<ShareTerm> = ledger.rows.iter().map(|r| r.share_term).collect();
    assert_eq!(terms, [ShareTerm::InForce, ShareTerm::InForce, ShareTerm::Ended, ShareTerm::Ended]);
    assert_eq!(ledger.rows[2].share_rate, None);
    let csv = String::from_utf8(dealsim::report::ledger_csv(&ledger, dealsim::report::Units::Raw).unwrap())
        .unwrap();
    let row_2031 = csv.lines().nth(3).unwrap();
    assert!(row_2031.starts_with("2031,100000000000,,0,"), "empty rate, not 0: {row_2031}");
    assert!(row_2031.ends_with(",ended,,0,0,0,0,0,0"), "share_term, no rights change, no cash: {row_2031}");
    let table = dealsim::report::ledger_table(&ledger, false);
    assert!(table.lines().any(|l| l.starts_with("│ 2031") && l.contains("ended")), "{table}");
}

#[test]
fn before_the_share_starts_the_rate_reads_not_yet() {
    let s = scenario(2025, vec![dec!(10_000_000_000); 2]);
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    assert_eq!(ledger.rows[0].share_term, ShareTerm::NotStarted);
    let table = dealsim::report::ledger_table(&ledger, false);
    assert!(table.lines().any(|l| l.starts_with("│ 2025") && l.contains("not yet")), "{table}");
}

#[test]
fn cap_never_reached_is_an_empty_cell_in_compare_csv_and_sweep_csv_and_null_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(crate::common::repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("name = \"base\"", "name = \"huge-cap\"")
        .replace("cap = \"38B\"", "cap = \"500B\"");
    let file = dir.path().join("huge.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    crate::common::dealsim()
        .args(["compare", "--no-charts", "scenarios/base.toml"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("never"));
    let csv = std::fs::read_to_string(out.join("compare/compare.csv")).unwrap();
    let column = csv.lines().next().unwrap().split(',').position(|h| h == "cap_reached_year").unwrap();
    let years: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(column).unwrap()).collect();
    assert_eq!(years, ["2028", ""], "never reached is an empty cell: {csv}");
    crate::common::dealsim()
        .args(["sweep", "--no-charts", "scenarios/base.toml", "--set", "cap=500B", "--out"])
        .arg(&out)
        .assert()
        .success();
    let sweep = std::fs::read_to_string(out.join("base/sweep/sweep.csv")).unwrap();
    assert!(sweep.lines().nth(1).unwrap().ends_with(','), "{sweep}");
    crate::common::dealsim()
        .args(["run", "--no-charts"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("huge-cap/summary.json")).unwrap()).unwrap();
    assert!(summary["cap_reached_year"].is_null());
}

/// A scenario parsed from TOML text, as `dealsim run` would read it.
fn parsed(text: &str) -> dealsim::Scenario {
    let source = dealsim::scenario::Source::new("rules.toml", text);
    dealsim::scenario::parse(&source).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn quarters_split_a_year_by_days_rounded_to_the_cent_and_q4_takes_the_remainder() {
    // 2027 has 365 days: Q1 90, Q2 91, Q3 92, Q4 92.
    let s = parsed(
        "name = \"q\"\nagreement = \"revised\"\nyears = { from = 2027, to = 2027 }\nperiods = \"quarters\"\n\
         [revenue.openai]\nby_year = { 2027 = \"1000000.04\" }\n",
    );
    let year = dec!(1000000.04);
    let q = |days: i64| (year * Decimal::from(days) / dec!(365)).round_dp(2);
    let (q1, q2, q3) = (q(90), q(91), q(92));
    assert_eq!(&s.openai_revenue[..3], &[q1, q2, q3]);
    assert_eq!(s.openai_revenue[3], year - q1 - q2 - q3, "Q4 takes the remainder");
    assert_eq!(s.openai_revenue.iter().sum::<Decimal>(), year, "the quarters add up to the year exactly");
    assert_ne!(s.openai_revenue[3], q(92), "this case tells the remainder from a rounded share");
}

#[test]
fn grown_revenue_is_rounded_to_the_cent_each_year_and_grows_from_the_rounded_figure() {
    let s = parsed(
        "name = \"g\"\nagreement = \"revised\"\nyears = { from = 2026, to = 2028 }\n\
         [revenue.openai]\nby_year = { 2026 = \"1000000.01\" }\ngrowth = \"3.3%\"\n",
    );
    let y2027 = (dec!(1000000.01) * dec!(1.033)).round_dp(2);
    let y2028 = (y2027 * dec!(1.033)).round_dp(2);
    assert_eq!(s.openai_revenue, vec![dec!(1000000.01), y2027, y2028]);
    assert_eq!(y2027, dec!(1033000.01));
}

#[test]
fn cumulative_paid_excludes_prior_payments_while_cap_remaining_counts_them() {
    let mut s = scenario(2026, vec![dec!(30_000_000_000), dec!(62_000_000_000)]);
    s.prior_payments_toward_cap = dec!(5_000_000_000);
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    let [first, second] = [&ledger.rows[0], &ledger.rows[1]];
    assert_eq!(first.share_paid, dec!(6_000_000_000));
    assert_eq!(first.cumulative_paid, dec!(6_000_000_000), "prior payments are not in the run's cumulative");
    assert_eq!(
        first.cap_remaining,
        Some(dec!(27_000_000_000)).map(dealsim::money::Money),
        "38B − 5B prior − 6B"
    );
    assert_eq!(second.cumulative_paid, dec!(18_400_000_000));
    assert_eq!(second.cap_remaining, Some(dec!(14_600_000_000)).map(dealsim::money::Money));
}

#[test]
fn when_two_licences_are_in_force_in_one_period_the_exclusive_one_is_shown() {
    use dealsim::agreement::{Clause, Sourced};
    let s = scenario(2025, vec![dec!(10_000_000_000); 3]);
    let mut agreement = resolved("revised", &s);
    let mut exclusive = agreement
        .clauses
        .iter()
        .find_map(|c| match c {
            Clause::Licence(l) => Some(l.clone()),
            _ => None,
        })
        .unwrap();
    exclusive.id = "old-exclusive-licence".into();
    exclusive.exclusive = Sourced::assumption(true, "test");
    exclusive.start = Some(Sourced::assumption(crate::common::date(2019, 7, 22), "test"));
    exclusive.end = Some(Sourced::assumption(crate::common::date(2026, 4, 26), "test"));
    agreement.clauses.push(Clause::Licence(exclusive));
    let ledger = simulate(&agreement, &s).unwrap();
    let shown: Vec<String> = ledger.rows.iter().map(|r| r.licence.to_string()).collect();
    assert_eq!(shown, ["exclusive", "exclusive", "non-exclusive"]);
}

#[test]
fn a_right_in_force_on_any_day_of_a_period_counts_as_in_force_for_it() {
    // The licence overridden to end on 1 January 2030: one day of 2030, so 2030 shows it.
    let mut s = scenario(2029, vec![dec!(10_000_000_000); 3]);
    s.terms.clause_overrides.push(dealsim::agreement::ClauseOverride::End {
        clause: "microsoft-ip-licence".into(),
        date: crate::common::date(2030, 1, 1),
    });
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    let shown: Vec<String> = ledger.rows.iter().map(|r| r.licence.to_string()).collect();
    assert_eq!(shown, ["non-exclusive", "non-exclusive", "none"]);
}

#[test]
fn a_clause_override_of_the_rate_wins_over_share_rate_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("both.toml");
    std::fs::write(
        &file,
        "name = \"both\"\nagreement = \"revised\"\nyears = { from = 2026, to = 2026 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\" }\n[assumptions]\nshare_rate = \"15%\"\n\
         [overrides.\"openai-to-microsoft\"]\nrate = \"10%\"\n",
    )
    .unwrap();
    crate::common::dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains("due 3B, paid 3B"))
        .stderr(predicates::str::contains(
            "warning: assumptions.share_rate and overrides.\"openai-to-microsoft\".rate both set the rate",
        ))
        .stderr(predicates::str::contains("the override wins for that clause"));
}
