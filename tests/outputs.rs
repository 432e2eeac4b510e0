//! Files written where they belong: inside `--out`, as one set per folder, never through a
//! planted file, and safe to open in a spreadsheet.

use crate::common::{dealsim, repo};
use crate::exact::Test;
use std::path::Path;

/// Every path below `root`, relative to it, sorted.
fn tree(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[test]
fn a_run_killed_while_its_files_are_renamed_is_completed_by_the_next_and_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A first run, then a second killed (SIGABRT, no destructors) after three files are in place.
    dealsim().args(["run", "scenarios/base.toml", "--no-charts", "--out"]).arg(&out).assert().success();
    let killed = dealsim()
        .env("DEALSIM_ABORT_AFTER_RENAMES", "3")
        .args(["run", "scenarios/base.toml", "--no-charts", "--set", "cap=25B", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(killed.status.code(), None, "the process was meant to die by a signal");
    let left = tree(&out);
    assert!(left.iter().any(|p| p.ends_with(".dealsim-commit")), "a journal is left: {left:?}");
    // Any later run into those folders completes the killed commit first.
    dealsim()
        .args(["run", "scenarios/base.toml", "--no-charts", "--set", "cap=25B", "--out"])
        .arg(&out)
        .assert()
        .success();
    let after = tree(&out);
    let leftovers: Vec<&String> = after
        .iter()
        .filter(|p| p.contains(".dealsim-commit") || p.contains(".dealsim-stage-") || p.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Each folder holds exactly the files its manifest lists.
    for folder in after.iter().filter(|p| out.join(p).is_dir()) {
        let folder = out.join(folder);
        let Ok(bytes) = std::fs::read(folder.join(".dealsim-manifest")) else { continue };
        let manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let mut listed: Vec<String> =
            manifest["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
        listed.sort();
        let mut present: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        present.sort();
        assert_eq!(present, listed, "{}", folder.display());
    }
}

#[test]
fn against_an_agreement_file_outside_the_output_folder_writes_under_its_stem_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("a");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(repo().join("scenarios/agreements/restructured.toml"), elsewhere.join("restructured.toml"))
        .unwrap();
    let out = dir.path().join("deep/out");
    std::fs::create_dir_all(&out).unwrap();
    dealsim()
        .current_dir(&out)
        .arg("run")
        .arg(repo().join("scenarios/base.toml"))
        .args(["--no-charts", "--against", "../../a/restructured.toml", "--out", "results"])
        .assert()
        .success();
    assert!(out.join("results/base/against-restructured/against.csv").is_file());
    // Nothing was written beside the agreement file or above the output folder.
    assert_eq!(tree(&elsewhere), ["restructured.toml"]);
    assert_eq!(tree(&dir.path().join("deep")).iter().filter(|p| !p.starts_with("out")).count(), 0);
}

#[test]
fn csv_formula_injection_a_product_named_like_a_formula_is_written_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inject.toml");
    std::fs::write(
        &file,
        r#"years = { from = 2026, to = 2027 }
[revenue.openai]
by_year = { 2026 = "30B", 2027 = "40B" }
[[launches]]
product = "=HYPERLINK(\"http://example.invalid\",\"x\")"
date = 2026-06-01
azure_can_support = true
microsoft_supports = true
[[launches]]
product = "@SUM(A1)"
date = 2026-07-01
azure_can_support = true
microsoft_supports = true
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    dealsim().arg("run").arg(&file).args(["--no-charts", "--out"]).arg(&out).assert().success();
    let csv = std::fs::read_to_string(out.join("inject/launches.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains("\n'@SUM(A1),"), "{csv}");
    // The workbook stores text as text: the product is a string cell, not a formula.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(out.join("inject/ledger.xlsx")).unwrap();
    for name in book.sheet_names().to_owned() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| !f.contains("HYPERLINK") && !f.contains("SUM(A1)")),
            "sheet {name} turned a product name into a formula"
        );
    }
}

#[test]
fn a_copy_of_base_run_alone_warns_that_it_replaces_base_results() {
    let first = Test::new()
        .args(["run", "--no-charts", "scenarios/base.toml", "--out", "{dir}/out"])
        .stdout_lines(&["Wrote ledger.csv, flows.csv, ledger.json, summary.json, ledger.xlsx, report.html to {dir}/out/base"])
        .run();
    let out = first.path("out").display().to_string();
    let copy = first.path("copy.toml").display().to_string();
    std::fs::copy(repo().join("scenarios/base.toml"), &copy).unwrap();
    Test::new()
        .args(["run", "--no-charts", "--out", &out, &copy])
        .stdout_lines(&[&format!("Wrote ledger.csv, flows.csv, ledger.json, summary.json, ledger.xlsx, report.html to {out}/base")])
        .stderr(&format!("warning: {out}/base held the results of scenarios/base.toml; they are replaced by those of {copy} (give the scenario its own `name`, or use --out, to keep both)\n"))
        .run();
}

#[test]
fn each_command_writes_its_own_sub_folder_so_a_sweep_keeps_the_run() {
    let run = Test::new()
        .args(["run", "--no-charts", "scenarios/base.toml", "--out", "{dir}"])
        .stdout_lines(&[
            "Wrote ledger.csv, flows.csv, ledger.json, summary.json, ledger.xlsx, report.html to {dir}/base",
        ])
        .run();
    let out = run.dir.path().display().to_string();
    Test::new()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20B,40B", "--no-charts", "--out", &out])
        .stdout(&format!(
            "Swept `base` over 2 points (cap).
Lowest: Total paid to Microsoft 20B at cap=20B
Highest: Total paid to Microsoft 40B at cap=40B
Wrote sweep.csv to {out}/base/sweep
"
        ))
        .run();
    assert!(run.path("base/ledger.csv").is_file(), "the run's files stay");
    assert!(run.path("base/sweep/sweep.csv").is_file());
}

/// Every file the commands (verify's counterexample too) write is in the output table (`report::Output`), whose kind agrees
/// with its extension, or is a chart (PNG and SVG, named by the chart) or the folder's own
/// bookkeeping (`.dealsim-manifest`, `.dealsim.lock`).
#[test]
fn every_file_a_command_writes_is_in_the_output_table_or_is_a_chart() {
    use dealsim::report::{FileKind, Output};
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    for args in [
        vec!["run", "scenarios/base.toml", "--against", "pre-revision", "--set", "cap=25B,38B"],
        vec!["run", "scenarios/launches.toml"],
        vec!["compare", "scenarios/base.toml", "scenarios/bear.toml"],
        vec!["montecarlo", "scenarios/uncertain.toml", "--paths", "200", "--against", "pre-revision"],
        vec!["sweep", "scenarios/base.toml", "--set", "cap=20B,30B"],
        vec!["sweep", "scenarios/base.toml", "--set", "cap=20B,30B", "--gzip", "--out", &format!("{o}/gz")],
        vec!["sensitivity", "scenarios/base.toml"],
        vec!["calibrate", "scenarios/reported.toml", "--samples", "50"],
    ] {
        let mut cmd = dealsim();
        cmd.args(&args);
        if !args.contains(&"--out") {
            cmd.args(["--out", &o]);
        }
        cmd.assert().success();
    }
    dealsim()
        .args(["verify", "tests/agreements_planted/second-uncapped-share.toml", "--out", &o])
        .assert()
        .code(1);
    let mut seen = std::collections::BTreeSet::new();
    for path in crate::common::files_in(out.path()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(".dealsim") || name.ends_with(".png") || name.ends_with(".svg") {
            continue;
        }
        let output =
            Output::named(&name).unwrap_or_else(|| panic!("{} is in no output table", path.display()));
        let kind = match name.rsplit('.').next().unwrap() {
            "csv" => FileKind::Csv,
            "gz" => FileKind::GzippedCsv,
            "json" => FileKind::Json,
            "xlsx" => FileKind::Workbook,
            "html" => FileKind::Html,
            "toml" => FileKind::Scenario,
            other => panic!("{name}: no kind for .{other}"),
        };
        assert_eq!(output.kind(), kind, "{name}");
        seen.insert(name);
    }
    let unseen: Vec<&str> = Output::ALL.iter().map(|o| o.name()).filter(|n| !seen.contains(*n)).collect();
    assert!(
        unseen.is_empty(),
        "outputs these commands never wrote (a stale table entry, or a command to add): {unseen:?}"
    );
}
