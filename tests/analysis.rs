//! Sweeps and sensitivity, against plain runs and hand arithmetic (goal seek: goalseek.rs).

use crate::common::*;
use dealsim::analysis::params::parse_setting;
use dealsim::analysis::sweep::{sweep, MAX_POINTS};
use dealsim::scenario;
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_sweep_point_equals_a_plain_run_of_a_file_with_those_values(
        cap_billions in 1u32..120, rate_bp in 0u32..=10_000, growth_pct in 0u32..200,
    ) {
        let loaded = scenario::load_file(&repo().join("scenarios/base.toml")).unwrap();
        let settings = vec![
            parse_setting(&format!("cap={cap_billions}B"), MAX_POINTS).unwrap(),
            parse_setting(&format!("rate={}", Decimal::new(rate_bp.into(), 4)), MAX_POINTS).unwrap(),
            parse_setting(&format!("growth={growth_pct}%"), MAX_POINTS).unwrap(),
        ];
        let point = sweep(&loaded, &settings, &|| {}).unwrap().points.remove(0);

        // The same values written into a scenario file, run the ordinary way.
        let text = std::fs::read_to_string(repo().join("scenarios/base.toml")).unwrap();
        let text = text
            .replace("cap = \"38B\"", &format!("cap = \"{cap_billions}B\"\nshare_rate = \"{}\"", Decimal::new(rate_bp.into(), 4)))
            .replace("by_year = { 2026 = \"30B\", 2027 = \"62B\", 2028 = \"100B\", 2029 = \"125B\", 2030 = \"174B\" }", "by_year = { 2026 = \"30B\" }")
            .replacen("growth = \"15%\"", &format!("growth = \"{growth_pct}%\""), 1);
        let source = scenario::Source::new("edited.toml", text);
        let edited = scenario::parse(&source).unwrap();
        let agreement = scenario::resolve_agreement(&edited, &source).unwrap();
        let summary = dealsim::simulate(&agreement, &edited).unwrap().summary().unwrap();
        prop_assert_eq!(point.total_paid, summary.totals.share_paid);
        prop_assert_eq!(point.present_value, summary.present_value.net_to_microsoft);
        prop_assert_eq!(point.cap_reached_year, summary.cap_reached_year);
    }
}

#[test]
fn sweep_writes_a_row_per_point_and_a_heat_map() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args([
            "sweep",
            "scenarios/base.toml",
            "--set",
            "cap=20B..80B:10B",
            "--set",
            "rate=0.15,0.20",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Swept `base` over 14 points (cap × share_rate)."))
        .stdout(predicate::str::contains("Highest: Total paid to Microsoft 80B at cap=80B, share_rate=20%"));
    let csv = std::fs::read_to_string(out.path().join("base/sweep/sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 15);
    assert!(csv.starts_with("cap,share_rate,total_paid,net_to_microsoft,present_value,cap_reached_year\n"));
    assert!(csv.contains("\n40000000000,0.2,40000000000,"), "{csv}");
    let svg = std::fs::read_to_string(out.path().join("base/sweep/heatmap.svg")).unwrap();
    assert!(svg.contains("Total paid to Microsoft (USD bn) — sweep of base"));
}

#[test]
fn a_grid_too_large_is_refused_up_front_with_the_size_it_would_write() {
    dealsim()
        .args([
            "sweep",
            "scenarios/base.toml",
            "--set",
            "cap=1B..1000B:1B",
            "--set",
            "rate=0..1:0.001",
            "--set",
            "discount_rate=0..0.1:0.01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "sweep refused: the grid has 11011000 points (a sweep.csv of about 660 MB)",
        ));
}

#[test]
fn sensitivity_ranks_the_cap_first_for_the_base_case() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["sensitivity", "scenarios/base.toml", "--range", "share_rate=0.05..0.3", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("│ 1 ┆ cap "));
    let csv = std::fs::read_to_string(out.path().join("base/sensitivity/sensitivity.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("1,cap,19B,57B,19000000000,57000000000,"), "{csv}");
    assert!(csv.contains(",share_rate,5%,30%,"), "the --range override is used: {csv}");
    assert!(out.path().join("base/sensitivity/tornado.png").is_file());
}

/// A large sweep streams: Ctrl-C (SIGINT) part-way stops it at the next chunk with exit 130 and
/// leaves no sweep.csv, no temporary file and no chart behind.
#[test]
fn ctrl_c_during_a_sweep_leaves_no_partial_output() {
    let out = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dealsim"))
        .current_dir(repo())
        .args([
            "sweep",
            "scenarios/base.toml",
            "--set",
            "cap=1B..1000B:1B",
            "--set",
            "share_rate=0.0001..0.1:0.0001",
        ])
        .arg("--out")
        .arg(out.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it has started writing (the streamed file's temporary name appears), then interrupt.
    let folder = out.path().join("base/sweep");
    let started = std::time::Instant::now();
    while std::fs::read_dir(&folder).map_or(true, |d| d.count() == 0) {
        assert!(started.elapsed().as_secs() < 60, "the sweep never started writing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted; nothing was written"));
    let left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".dealsim.lock")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// `--gzip` writes sweep.csv.gz whose content is exactly sweep.csv, and the same bytes each run.
#[test]
fn a_gzipped_sweep_holds_exactly_the_plain_csv() {
    use std::io::Read;
    let (plain, gzip) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let args = [
        "sweep",
        "--no-charts",
        "scenarios/base.toml",
        "--set",
        "cap=20B..60B:10B",
        "--set",
        "rate=0.1,0.2",
        "--out",
    ];
    dealsim().args(args).arg(plain.path()).assert().success();
    dealsim()
        .args(args)
        .arg(gzip.path())
        .arg("--gzip")
        .assert()
        .success()
        .stdout(predicate::str::contains("sweep.csv.gz"));
    let compressed = std::fs::read(gzip.path().join("base/sweep/sweep.csv.gz")).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut text).unwrap();
    assert_eq!(text, std::fs::read_to_string(plain.path().join("base/sweep/sweep.csv")).unwrap());
    assert!(!gzip.path().join("base/sweep/sweep.csv").exists());
    let again = tempfile::tempdir().unwrap();
    dealsim().args(args).arg(again.path()).arg("--gzip").assert().success();
    assert_eq!(
        std::fs::read(again.path().join("base/sweep/sweep.csv.gz")).unwrap(),
        compressed,
        "deterministic"
    );
}
