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
    let plan = montecarlo::Plan::new(&agreement, &s);
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
    let csv = String::from_utf8(dealsim::report::ledger_csv(&ledger)).unwrap();
    let row_2031 = csv.lines().nth(3).unwrap();
    assert!(row_2031.starts_with("2031,100000000000,,0,"), "empty rate, not 0: {row_2031}");
    assert!(row_2031.ends_with(",ended"), "{row_2031}");
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
    assert!(csv.contains("\ncap_reached_year,2028,\n"), "{csv}");
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
