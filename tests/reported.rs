//! Every public figure dealsim reproduces, each with its source (docs/SOURCES.md) and the
//! tolerance it is held to. The README's "Reported figures reproduced" table is these tests.

use crate::common::repo;
use dealsim::scenario;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn ledger_of(file: &str) -> dealsim::Ledger {
    let loaded = scenario::load_file(&repo().join(file)).unwrap_or_else(|e| panic!("{e}"));
    dealsim::simulate(&loaded.agreement, &loaded.scenario).unwrap()
}

/// `model` is within `tolerance` (a fraction) of `reported`.
fn assert_within(what: &str, model: Decimal, reported: Decimal, tolerance: Decimal) {
    let off = ((model - reported) / reported).abs();
    assert!(
        off <= tolerance,
        "{what}: model {model}, reported {reported}: off by {off}, allowed {tolerance}"
    );
}

#[test]
fn openai_pays_about_6b_in_2026_on_the_february_2026_plan() {
    // [S10]: "about $6B of ~$30B revenue in 2026". Tolerance ±2%.
    let ledger = ledger_of("scenarios/plan-feb-2026.toml");
    let row = ledger.rows.iter().find(|r| r.period.year == 2026).unwrap();
    assert_within("2026 payment", row.share_paid.value(), dec!(6_000_000_000), dec!(0.02));
}

#[test]
fn uncapped_payments_2026_to_2030_are_about_135b_on_the_february_2026_plan() {
    // [S9], [S10]: "up to ~$135B" uncapped through 2030 = 20% of 673B = 134.6B. Tolerance ±1%.
    let ledger = ledger_of("scenarios/plan-feb-2026.toml");
    let due: Decimal = ledger.rows.iter().filter(|r| r.period.year <= 2030).map(|r| r.share_due).sum();
    assert_within("uncapped 2026–2030", due, dec!(134_600_000_000), dec!(0.01));
}

#[test]
fn the_cap_is_reached_in_2028_on_the_february_2026_plan() {
    // [S10], [S11]: the $38B cap is "expected to be reached in 2028". Exact year.
    let summary = ledger_of("scenarios/plan-feb-2026.toml").summary().unwrap();
    assert_eq!(summary.cap_reached_year, Some(2028));
    assert_eq!(summary.totals.share_paid, dec!(38_000_000_000), "the whole cap is paid");
}

#[test]
fn the_base_case_also_pays_6b_in_2026_and_reaches_the_cap_in_2028() {
    // The shipped base case (April 2025 path, 30B in 2026) agrees with the same reports.
    let ledger = ledger_of("scenarios/base.toml");
    assert_within("2026 payment", ledger.rows[0].share_paid.value(), dec!(6_000_000_000), dec!(0.02));
    assert_eq!(ledger.summary().unwrap().cap_reached_year, Some(2028));
}

#[test]
fn microsoft_received_493_8m_net_in_2024() {
    // [S8]: $493.8M net in 2024. Calibrated (the Microsoft base is chosen to match): exact.
    let ledger = ledger_of("scenarios/history.toml");
    let net: Decimal = ledger.rows.iter().filter(|r| r.period.year == 2024).map(|r| r.net_to_microsoft).sum();
    assert_eq!(net, dec!(493_800_000));
}

#[test]
fn microsoft_received_865_8m_net_in_q1_to_q3_2025_within_a_fifth() {
    // [S8]: $865.8M net in Q1–Q3 2025. Not calibrated: 2025's revenue by quarter from the reports
    // (H1 4.3B, ~1B a month from July); the model's miss is pinned (+12.5%), within ±20%.
    let ledger = ledger_of("scenarios/history.toml");
    let net: Decimal = ledger.rows[4..7].iter().map(|r| r.net_to_microsoft).sum();
    assert_eq!(net, dec!(974_254_000));
    assert_within("Q1–Q3 2025 net", net, dec!(865_800_000), dec!(0.20));
}
