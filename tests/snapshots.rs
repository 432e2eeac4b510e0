//! Every shipped scenario has its ledger and summary pinned as insta snapshots
//! (`tests/snapshots/<scenario>/*.snap`), so any change in any figure fails here. After an intended
//! change, regenerate with `INSTA_UPDATE=always cargo test --release snapshots` (or review them
//! one by one with `cargo insta review`) and read the diff before committing.
//!
//! Files the product ships (an agreement file written from a built-in) are compared byte for byte
//! with `assert_matches_file` instead: they are not snapshots but the repository's own files.

use crate::common::{repo, shipped_scenarios};
use dealsim::{report, scenario};
use std::path::Path;

/// `actual` as the snapshot `name` in `folder` (`folder/name.snap`), with insta.
pub fn assert_snapshot_in(folder: &Path, name: &str, actual: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(folder);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), actual));
}

/// Compares `actual` with a file the repository ships, or rewrites it with `DEALSIM_BLESS=1`.
pub fn assert_matches_file(path: &Path, actual: &[u8]) {
    if std::env::var_os("DEALSIM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with DEALSIM_BLESS=1 to create it)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the shipped file.\n--- shipped\n{}\n--- now\n{}",
        path.display(),
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual)
    );
}

#[test]
fn every_shipped_scenario_matches_its_pinned_ledger_and_summary() {
    let files = shipped_scenarios();
    assert!(files.len() >= 3, "expected at least base, bear and bull: {files:?}");
    for file in files {
        let loaded = scenario::load_file(&file).unwrap_or_else(|e| panic!("{e}"));
        let ledger = dealsim::simulate(&loaded.agreement, &loaded.scenario).unwrap();
        let summary = ledger.summary().unwrap();
        let pinned = repo().join("tests/snapshots");
        let name = &loaded.scenario.name;
        for staged in
            dealsim::ops::run::run_files(&pinned.join(name), &ledger, &summary, report::Units::Raw).unwrap()
        {
            if staged.path.extension().is_some_and(|x| x == "json") && staged.path.ends_with("ledger.json") {
                continue; // the CSV and summary pin every figure; the JSON trace is checked by the CLI tests
            }
            let file = staged.path.file_name().unwrap().to_string_lossy();
            assert_snapshot_in(&pinned.join(name), &file, &String::from_utf8(staged.bytes).unwrap());
        }
        assert_eq!(
            report::ledger_csv(&ledger, report::Units::Raw).unwrap(),
            report::ledger_csv(&ledger, report::Units::Raw).unwrap(),
            "rendering is deterministic"
        );
    }
}

#[test]
fn the_base_case_reaches_the_38b_cap_in_2028_by_hand_arithmetic() {
    // Worked by hand from scenarios/base.toml: the capped share counts all of 2026
    // (cap_counts_from = 2026-01-01). 2026: 30B × 20% = 6B; 2027: 12.4B → 18.4B; 2028 pays the
    // remaining 19.6B of the 38B cap (20B due).
    let loaded = scenario::load_file(&repo().join("scenarios/base.toml")).unwrap();
    let ledger = dealsim::simulate(&loaded.agreement, &loaded.scenario).unwrap();
    let paid: Vec<String> = ledger.rows.iter().map(|r| r.share_paid.normalize().to_string()).collect();
    assert_eq!(paid, ["6000000000", "12400000000", "19600000000", "0", "0", "0", "0"]);
    assert_eq!(ledger.summary().unwrap().cap_reached_year, Some(2028));
}

#[test]
fn the_prorated_reading_is_one_assumption_away_and_reaches_the_cap_in_2029() {
    // The older reading: the share counts from the announcement, 27 April 2026, so 2026 is in
    // force 249 of 365 days: 30B × 20% × 249/365 = 4,093,150,684.93; 2027: 12.4B; 2028: 20B →
    // 36,493,150,684.93; 2029 pays the remaining 1,506,849,315.07.
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("cap_counts_from = 2026-01-01", "cap_counts_from = 2026-04-27");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prorated.toml");
    std::fs::write(&path, text).unwrap();
    let loaded = scenario::load_file(&path).unwrap();
    let ledger = dealsim::simulate(&loaded.agreement, &loaded.scenario).unwrap();
    let paid: Vec<String> = ledger.rows.iter().map(|r| r.share_paid.normalize().to_string()).collect();
    assert_eq!(paid, ["4093150684.93", "12400000000", "20000000000", "1506849315.07", "0", "0", "0"]);
    assert_eq!(ledger.summary().unwrap().cap_reached_year, Some(2029));
}

#[test]
fn history_matches_2024_by_construction_and_states_its_error_on_q1_to_q3_2025() {
    // See scenarios/history.toml and README ("A check against reality").
    let loaded = scenario::load_file(&repo().join("scenarios/history.toml")).unwrap();
    let ledger = dealsim::simulate(&loaded.agreement, &loaded.scenario).unwrap();
    let labels: Vec<&str> = ledger.rows.iter().map(|r| r.period.label.as_str()).collect();
    assert_eq!(
        labels,
        ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    );
    let revenue_2024: rust_decimal::Decimal = ledger.rows[..4].iter().map(|r| r.revenue).sum();
    assert_eq!(
        revenue_2024,
        rust_decimal::Decimal::new(3_700_000_000, 0),
        "quarters add up to the year exactly"
    );
    let net_2024: rust_decimal::Decimal = ledger.rows[..4].iter().map(|r| r.net_to_microsoft).sum();
    assert_eq!(net_2024, rust_decimal::Decimal::new(493_800_000, 0), "reported: $493.8M");
    let net_q1_q3_2025: rust_decimal::Decimal = ledger.rows[4..7].iter().map(|r| r.net_to_microsoft).sum();
    assert_eq!(
        net_q1_q3_2025,
        rust_decimal::Decimal::new(974_254_000, 0),
        "reported: $865.8M; the model is 108.5M over"
    );
    assert!(ledger
        .rows
        .iter()
        .all(|r| r.licence == dealsim::ledger::LicenceStatus::Exclusive && r.agi_clause));
}
