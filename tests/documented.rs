//! The edge cases README "Edge cases, as the tool reads them" writes down, each run through the
//! binary and read back from the files a user gets.

use crate::common::{dealsim, repo};
use std::path::Path;

/// Runs `text` as a scenario file (written beside the shipped ones, so its agreement paths
/// resolve) and returns the ledger rows and summary.json.
fn run(text: &str, dir: &Path) -> (Vec<std::collections::HashMap<String, String>>, serde_json::Value) {
    let file = dir.join("case.toml");
    std::fs::write(&file, text).unwrap();
    dealsim().args(["run", "--no-charts", "--out"]).arg(dir.join("out")).arg(&file).assert().success();
    let name = text.lines().find_map(|l| l.strip_prefix("name = ")).unwrap().trim_matches('"');
    let folder = dir.join("out").join(name);
    let mut reader = csv::Reader::from_path(folder.join("ledger.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect();
    let summary =
        serde_json::from_str(&std::fs::read_to_string(folder.join("summary.json")).unwrap()).unwrap();
    (rows, summary)
}

fn shipped(name: &str) -> String {
    std::fs::read_to_string(repo().join("scenarios").join(name)).unwrap()
}

#[test]
fn prior_payments_at_or_above_the_cap_leave_no_room_and_the_cap_reads_reached() {
    let dir = tempfile::tempdir().unwrap();
    let text = shipped("base.toml")
        .replace("prior_payments_toward_cap = \"0\" ", "prior_payments_toward_cap = \"40B\" ");
    assert!(text.contains("\"40B\""));
    let (rows, summary) = run(&text.replace("scenarios/", ""), dir.path());
    for row in &rows {
        assert_eq!(
            (row["cap_remaining"].as_str(), row["cap_reached"].as_str(), row["share_paid"].as_str()),
            ("0", "true", "0")
        );
    }
    assert_eq!(summary["cap_reached_year"], 2026);
}

#[test]
fn rate_and_rate_schedule_in_one_override_apply_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let original = shipped("rate-falls.toml");
    let first = original.replace(
        "[overrides.\"openai-to-microsoft\"]",
        "[overrides.\"openai-to-microsoft\"]\nrate = \"10%\"",
    );
    let last = format!("{original}rate = \"10%\"\n");
    for text in [first, last] {
        let (rows, _) = run(&text, dir.path());
        let rates: Vec<&str> = rows.iter().map(|r| r["share_rate"].as_str()).collect();
        assert_eq!(&rates[..5], ["0.1", "0.17", "0.14", "0.11", "0.08"]);
    }
}

/// Under the `microsoft-openai` timeline the original share ends on 27 October 2025 and the
/// restructured one starts the next day: 2025-Q4 has a share on all 92 days, `share_days` is the
/// longer of the two (65), `share_rate` the higher (both 20%). The revised cap's room shows whole
/// before its share starts, and summary.effective is the first version's date.
#[test]
fn shares_meeting_in_a_period_cap_room_before_it_starts_and_a_timelines_effective_date() {
    let dir = tempfile::tempdir().unwrap();
    let text = shipped("history.toml")
        .replace("agreements/", &format!("{}/", repo().join("scenarios/agreements").display()));
    let (rows, summary) = run(&text, dir.path());
    let q4 = rows.iter().find(|r| r["period"] == "2025-Q4").unwrap();
    assert_eq!((q4["share_days"].as_str(), q4["share_rate"].as_str()), ("65", "0.2"));
    assert!(rows.iter().all(|r| r["cap_remaining"] == "38000000000"));
    assert_eq!(summary["effective"], "2019-07-22");
}
