//! Scenario variants (`run … --set`, `compare … --set`) and `--units` for CSV files.

use crate::common::{dealsim, repo};
use predicates::prelude::*;
use rust_decimal::Decimal;
use std::path::Path;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn each_variant_is_a_full_run_identical_to_a_scenario_file_with_that_value() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .current_dir(repo())
        .args(["run", "scenarios/base.toml", "--set", "cap=25B,38B,60B", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Scenario `base` under `revised`, 3 variants (cap=25B,38B,60B):"))
        .stdout(predicate::str::contains("base cap=25B"))
        .stdout(predicate::str::contains("compare.csv, compare.xlsx, report.html"));
    // A copy of the file with cap = "60B" gives the same ledger as the variant.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("cap = \"38B\"", "cap = \"60B\"");
    let copy = dir.path().join("copy.toml");
    std::fs::write(&copy, text).unwrap();
    dealsim().arg("run").arg(&copy).arg("--no-charts").arg("--out").arg(dir.path()).assert().success();
    let variant = json(&out.path().join("base/cap=60B/ledger.json"));
    let copied = json(&dir.path().join("base/ledger.json"));
    assert_eq!(variant["rows"], copied["rows"], "same rows");
    assert_eq!(variant["scenario"], "base cap=60B");
    for v in ["cap=25B", "cap=38B", "cap=60B"] {
        for file in ["ledger.csv", "ledger.json", "summary.json", "ledger.xlsx", "report.html"] {
            assert!(out.path().join("base").join(v).join(file).exists(), "{v}/{file}");
        }
    }
    let csv = std::fs::read_to_string(out.path().join("base/compare/compare.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with("base cap=25B,revised,2026,2032,") && lines[3].contains(",60000000000,"),
        "{csv}"
    );
    // The report names where the varied value comes from.
    let html = std::fs::read_to_string(out.path().join("base/cap=25B/report.html")).unwrap();
    assert!(
        html.contains("capped at 25B in total</td><td>assumption</td><td>--set cap=25B: assumptions.cap"),
        "source"
    );
}

#[test]
fn several_sets_give_every_combination_and_compare_takes_them_too() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .current_dir(repo())
        .args([
            "run",
            "scenarios/base.toml",
            "--set",
            "cap=25B,60B",
            "--set",
            "share_rate=15%,20%",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let names: Vec<String> = {
        let mut n: Vec<String> = std::fs::read_dir(out.path().join("base"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names,
        [
            "cap=25B,share_rate=15%",
            "cap=25B,share_rate=20%",
            "cap=60B,share_rate=15%",
            "cap=60B,share_rate=20%",
            "compare"
        ]
    );
    let summary = json(&out.path().join("base/cap=60B,share_rate=15%/summary.json"));
    assert_eq!(summary["totals"]["share_paid"], "60000000000");
    dealsim()
        .current_dir(repo())
        .args([
            "compare",
            "scenarios/base.toml",
            "scenarios/bear.toml",
            "--set",
            "cap=25B,60B",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("base cap=25B").and(predicate::str::contains("bear cap=60B")));
    let csv = std::fs::read_to_string(out.path().join("compare/compare.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
}

#[test]
fn too_many_variants_or_a_parameter_set_twice_is_refused() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .current_dir(repo())
        .args(["run", "scenarios/base.toml", "--set", "cap=1B..100B:1B", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has 100 values; the limit is 64"));
    dealsim()
        .current_dir(repo())
        .args(["run", "scenarios/base.toml", "--set", "cap=25B", "--set", "cap=30B", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr("error: --set cap is given twice; give all its values in one --set cap=A,B\n");
    dealsim()
        .current_dir(repo())
        .args(["run", "scenarios/base.toml", "--set", "cap=38", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("38B"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn units_scale_csv_money_exactly_and_name_the_unit_while_json_stays_in_dollars() {
    let (raw, billions) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let run = |dir: &Path, extra: &[&str]| {
        dealsim()
            .current_dir(repo())
            .args(["run", "scenarios/base.toml", "--no-charts", "--against", "pre-revision", "--out"])
            .arg(dir)
            .args(extra)
            .assert()
            .success();
    };
    run(raw.path(), &[]);
    run(billions.path(), &["--units", "B"]);
    let read = |dir: &Path, file: &str| {
        let text = std::fs::read_to_string(dir.join("base").join(file)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        (header, rows)
    };
    let (h_raw, r_raw) = read(raw.path(), "ledger.csv");
    let (h_b, r_b) = read(billions.path(), "ledger.csv");
    assert_eq!(&h_raw[..4], ["year", "revenue", "share_rate", "share_due"], "raw keeps the documented names");
    assert_eq!(&h_b[..4], ["year", "revenue_usd_bn", "share_rate", "share_due_usd_bn"]);
    assert!(h_b.contains(&"cap_remaining_usd_bn".to_string()), "optional money is named too");
    for (a, b) in r_raw.iter().zip(&r_b) {
        for (i, name) in h_raw.iter().enumerate() {
            if h_b[i].ends_with("_usd_bn") {
                if a[i].is_empty() {
                    assert!(b[i].is_empty());
                    continue;
                }
                let dollars: Decimal = a[i].parse().unwrap();
                let scaled: Decimal = b[i].parse().unwrap();
                assert_eq!(scaled * Decimal::from(1_000_000_000u64), dollars, "{name}: exact");
            } else {
                assert_eq!(a[i], b[i], "{name} is not money and is unchanged");
            }
        }
    }
    let (h, _) = read(billions.path(), "against-pre-revision/attribution.csv");
    assert!(h.contains(&"shapley_microsoft_gain_usd_bn".to_string()), "{h:?}");
    assert_eq!(
        std::fs::read(raw.path().join("base/ledger.json")).unwrap(),
        std::fs::read(billions.path().join("base/ledger.json")).unwrap(),
        "JSON stays exact dollars"
    );
}

#[test]
fn units_scale_a_sweeps_money_parameters_and_figures_alike() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .current_dir(repo())
        .args([
            "sweep",
            "scenarios/base.toml",
            "--set",
            "cap=20B,40B",
            "--set",
            "rate=15%,20%",
            "--units",
            "B",
        ])
        .args(["--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.path().join("base/sweep/sweep.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("cap_usd_bn,share_rate,total_paid_usd_bn,net_to_microsoft_usd_bn,present_value_usd_bn,cap_reached_year")
    );
    assert_eq!(
        lines.next(),
        Some("20,0.15,20,20,17.0616775898,2028"),
        "the cap and the rate as written, money in B"
    );
}

#[test]
fn varying_a_parameter_the_terms_ignore_is_warned_not_silently_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orig.toml");
    std::fs::write(
        &file,
        "name = \"orig\"\nagreement = \"original\"\nyears = { from = 2026, to = 2028 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\" }\ngrowth = \"20%\"\n",
    )
    .unwrap();
    for command in ["run", "sweep"] {
        dealsim()
            .arg(command)
            .arg(&file)
            .args(["--set", "cap=25B,60B", "--no-charts", "--out"])
            .arg(dir.path())
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "warning: varying `cap` changes nothing here: `original` has no capped revenue share",
            ));
    }
    dealsim()
        .current_dir(repo())
        .args([
            "compare",
            "scenarios/base.toml",
            "scenarios/bear.toml",
            "--set",
            "agi_declared=2028-01-01,never",
        ])
        .args(["--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "varying `agi_declared` changes nothing here: `revised` has no clause that AGI ends",
        ));
}

#[test]
fn the_library_writes_two_unit_settings_at_once() {
    // `--units` is a value handed to each writer, not process state: two threads writing the
    // same ledger in dollars and in billions, interleaved, each get what they asked for.
    use dealsim::report::{ledger_csv, Units};
    let loaded = dealsim::scenario::load_file(&repo().join("scenarios/base.toml")).unwrap();
    let (ledger, _) = dealsim::ops::run::simulate(&loaded).unwrap();
    let (raw, billions) =
        (ledger_csv(&ledger, Units::Raw).unwrap(), ledger_csv(&ledger, Units::Billions).unwrap());
    assert_ne!(raw, billions);
    std::thread::scope(|s| {
        let writers: Vec<_> = [(Units::Raw, &raw), (Units::Billions, &billions)]
            .into_iter()
            .map(|(units, expected)| {
                let ledger = &ledger;
                s.spawn(move || {
                    for _ in 0..50 {
                        assert_eq!(&ledger_csv(ledger, units).unwrap(), expected, "{units:?}");
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
    });
    let header = String::from_utf8(billions).unwrap();
    assert!(header.starts_with("year,revenue_usd_bn,share_rate,share_due_usd_bn,"), "{header:.80}");
}
