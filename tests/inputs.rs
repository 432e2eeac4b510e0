//! Inputs that parse but would mean something else, and inputs a command used to ignore: each is
//! refused with its place and a hint, or run with a loud warning that also reaches summary.json
//! and report.html. (The broken files with pinned messages are in `tests/bad_inputs/`.)

use crate::common::{dealsim, repo};
use crate::exact::Test;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const PATH: &str =
    "years = { from = 2026, to = 2030 }\n[revenue.openai]\nby_year = { 2026 = \"30B\" }\ngrowth = \"10%\"\n";

/// Runs `file` into `out`, expecting success, and returns stderr, summary.json and report.html.
fn run_warned(file: &Path, out: &Path, extra: &[&str]) -> (String, serde_json::Value, String) {
    let output =
        dealsim().arg("run").arg(file).args(["--no-charts", "--out"]).arg(out).args(extra).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let name = file.file_stem().unwrap().to_string_lossy().into_owned();
    let summary = std::fs::read_to_string(out.join(&name).join("summary.json")).unwrap();
    let report = std::fs::read_to_string(out.join(&name).join("report.html")).unwrap();
    (String::from_utf8_lossy(&output.stderr).into_owned(), serde_json::from_str(&summary).unwrap(), report)
}

/// Every `warning:` line on stderr is in summary.json's `warnings` and on the report page.
fn assert_warnings_everywhere(stderr: &str, summary: &serde_json::Value, report: &str) {
    let said: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("warning: ")).collect();
    assert!(!said.is_empty(), "no warning said: {stderr}");
    let listed: Vec<&str> =
        summary["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    for warning in &said {
        assert!(listed.contains(warning), "summary.json lacks: {warning}\n{listed:?}");
        // The page sets the terminal's `names` in type.
        let shown = dealsim::report::html::inline(warning);
        assert!(report.contains(&shown), "report.html lacks: {shown}");
    }
}

#[test]
fn ignored_inputs_are_warned_on_stderr_in_summary_json_and_in_report_html() {
    let dir = tempfile::tempdir().unwrap();
    // AGI under terms no clause of which AGI ends; a launch and a cloud-mix year outside the run;
    // a stream no clause reads.
    let file = write(
        dir.path(),
        "ignored.toml",
        &format!(
            "{PATH}[revenue.extra_stream]\nby_year = {{ 2026 = \"1B\" }}\ngrowth = \"0%\"\n[assumptions]\nagi_declared = 2028-01-01\n\
             [[launches]]\nproduct = \"late\"\ndate = 2035-01-01\nazure_can_support = true\nmicrosoft_supports = true\n\
             [cloud_mix]\non_breach = \"flag\"\nby_year = {{ 2040 = {{ azure = \"100%\" }} }}\n"
        ),
    );
    let (stderr, summary, report) = run_warned(&file, &dir.path().join("out"), &[]);
    for expected in [
        "assumptions.agi_declared does nothing: no clause of `revised` ends when AGI is declared",
        "launch `late` on 2035-01-01 is outside the run (2026-01-01 to 2030-12-31)",
        "cloud_mix.by_year.2040 is outside the run (2026..=2030) and is ignored",
        "[revenue.extra_stream] is read by no clause of `revised`",
    ] {
        assert!(stderr.contains(expected), "missing `{expected}` in:\n{stderr}");
    }
    assert_warnings_everywhere(&stderr, &summary, &report);
}

#[test]
fn the_against_priced_at_zero_warning_reaches_summary_json_and_report_html() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "no-microsoft.toml", PATH);
    let (stderr, summary, report) =
        run_warned(&file, &dir.path().join("out"), &["--against", "pre-revision"]);
    assert!(stderr.contains("is priced at zero"), "{stderr}");
    assert_warnings_everywhere(&stderr, &summary, &report);
}

#[test]
fn an_agi_distribution_in_a_plain_run_where_agi_matters_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "agi.toml",
        &format!("agreement = \"restructured\"\n{PATH}[assumptions]\nagi_declared = {{ dist = \"dates\", 2028-06-30 = \"30%\", never = \"70%\" }}\n"),
    );
    dealsim()
        .arg("run")
        .arg(&file)
        .args(["--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "agi.toml:7:1: `assumptions.agi_declared` is a distribution of dates",
        ));
}

#[test]
fn floats_in_an_override_rate_schedule_and_rate_tiers_run_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "floats.toml",
        &format!("{PATH}[overrides.openai-to-microsoft]\nrate_schedule = {{ 2027-01-01 = 0.15, 2029-01-01 = 0.1 }}\n"),
    );
    dealsim()
        .arg("run")
        .arg(&file)
        .args(["--no-charts", "--exact", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(predicate::str::contains("│ 2027 ┆ 33000000000 ┆  15% ┆ 4950000000"));
    let tiers = write(
        dir.path(),
        "tiers.toml",
        &format!("{PATH}[overrides.openai-to-microsoft]\nrate_tiers = {{ \"50B\" = 0.1 }}\n"),
    );
    dealsim().arg("check").arg(&tiers).assert().success();
}

#[test]
fn agi_declared_never_in_a_file_is_the_same_word_as_set_agi_declared_never() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "never.toml",
        &format!("agreement = \"restructured\"\n{PATH}[assumptions]\nagi_declared = \"never\"\n"),
    );
    dealsim().arg("check").arg(&file).assert().success();
}

#[test]
fn revenue_scale_2_is_twice_the_revenue_not_200_percent_growth() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--no-charts", "--set", "revenue_scale=1,2", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "│ OpenAI revenue      ┆               921.22B ┆                 1.84T │",
        ));
}

#[test]
fn a_set_step_that_misses_the_upper_end_and_a_backward_sensitivity_range_are_refused() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--set", "cap=20B..80B:25B", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("steps of 25B from 20B end at 70B, not at 80B"));
    dealsim()
        .args(["sensitivity", "scenarios/base.toml", "--range", "cap=80B..20B", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`80B..20B` runs backwards"));
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=1B..2B:$1e-20", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than 10^28 values"));
}

#[test]
fn an_error_past_column_65535_is_shown_with_an_excerpt_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("by_year = {{ 2026 = \"30B\",{} 2027 = \"x\" }}", " ".repeat(70_000));
    let file = write(
        dir.path(),
        "long.toml",
        &format!("years = {{ from = 2026, to = 2027 }}\n[revenue.openai]\n{line}\n"),
    );
    dealsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "long.toml:3:70034: revenue.openai.by_year.2027: `x` is not a number",
        ))
        .stderr(predicate::str::contains("   | ...2027 = >>> \"x\" }..."));
}

#[test]
fn a_timeline_effective_date_before_its_versions_points_at_effective_date() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "early.toml",
        &format!("agreement = \"microsoft-openai\"\n{PATH}[assumptions]\neffective_date = 2025-10-01\n"),
    );
    dealsim().arg("check").arg(&file).assert().code(2).stderr(predicate::str::contains("early.toml:7:1:"));
}

#[test]
fn a_launch_follows_the_later_of_two_distribution_clauses_as_the_ledger_does() {
    let dir = tempfile::tempdir().unwrap();
    let terms = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap();
    // An Azure-only clause listed after the any-cloud one, both in force: the later decides.
    let terms = terms.replace(
        "[[clauses]]\nkind = \"shipping-priority\"",
        "[[clauses]]\nkind = \"distribution\"\nid = \"azure-only-later\"\nlicensor = \"openai\"\nclouds = \"azure-only\"\n\n[[clauses]]\nkind = \"shipping-priority\"",
    );
    write(dir.path(), "two.toml", &terms);
    let file = write(
        dir.path(),
        "launch.toml",
        &format!("agreement = \"two.toml\"\n{PATH}[[launches]]\nproduct = \"p\"\ndate = 2027-03-01\nazure_can_support = true\nmicrosoft_supports = true\n"),
    );
    let out = dir.path().join("out");
    dealsim().arg("run").arg(&file).args(["--no-charts", "--out"]).arg(&out).assert().success();
    let ledger = std::fs::read_to_string(out.join("launch/ledger.csv")).unwrap();
    assert!(ledger.lines().nth(2).unwrap().contains(",azure-only,"), "{ledger}");
    let launches = std::fs::read_to_string(out.join("launch/launches.csv")).unwrap();
    assert!(launches.contains(",azure-only,`azure-only-later`: Azure-only distribution"), "{launches}");
}

#[test]
fn a_quarterly_run_names_its_discounting_for_what_it_does() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/history.toml", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("(end-of-period), valued at"));
    let summary = std::fs::read_to_string(out.path().join("history/summary.json")).unwrap();
    assert!(summary.contains("\"convention\": \"end-of-period\""), "{summary}");
}

/// `verify --cases 1000000000` would run for about two days with nothing shown: refused with the
/// bound and how to search further; the bound itself runs.
#[test]
fn verify_cases_beyond_the_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    dealsim()
        .args(["verify", "revised", "--cases", "1000000000", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--cases 1000000000 would take about 50 hours: at most 1000000 cases a run",
        ))
        .stderr(predicate::str::contains("--seed 1"));
}

/// Under `base` the cap binds at every rate, so total paid is 38B at every point: `sweep` without
/// `--metric` shows the present value, which varies, and says why; asked for total paid, it says
/// that figure does not move.
#[test]
fn sweep_without_metric_picks_a_figure_that_varies_or_says_why_none_does() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut command = dealsim();
        command.args(["sweep", "scenarios/base.toml", "--set", "rate=20%,25%", "--no-charts", "--out"]);
        command.arg(dir.path()).args(extra).current_dir(repo());
        String::from_utf8(command.assert().success().get_output().stdout.clone()).unwrap()
    };
    let chosen = run(&[]);
    assert!(
        chosen.contains("Lowest: Present value of net to Microsoft 31.75B at share_rate=20%"),
        "{chosen}"
    );
    assert!(chosen.contains("Showing present value of net to Microsoft (--metric pv), which varies. Total paid to Microsoft is the same at every point"), "{chosen}");
    let asked = run(&["--metric", "paid"]);
    assert!(asked.contains("Highest: Total paid to Microsoft 38B"), "{asked}");
    assert!(asked.contains("Total paid to Microsoft is the same at every point"), "{asked}");
}

/// Two varied parameters get rows × columns: the cap down, the rate across, for total paid and
/// for present value, each cell the figure of that variant's own run.
#[test]
fn set_comparison_pivots_two_varied_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let output = dealsim()
        .args([
            "run",
            "scenarios/base.toml",
            "--set",
            "cap=30B,38B",
            "--set",
            "rate=15%,25%",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path())
        .current_dir(repo())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("Paid to Microsoft: cap ↓ share_rate → ┆ share_rate=15% ┆ share_rate=25%"),
        "{text}"
    );
    let pv_row = text
        .lines()
        .skip_while(|l| !l.contains("PV net to Microsoft: cap"))
        .find(|l| l.contains("cap=38B"))
        .unwrap();
    let cells: Vec<&str> = pv_row.split('┆').map(str::trim).collect();
    for (column, folder) in [(1, "cap=38B,share_rate=15%"), (2, "cap=38B,share_rate=25%")] {
        let summary: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("base").join(folder).join("summary.json")).unwrap(),
        )
        .unwrap();
        let pv: rust_decimal::Decimal =
            summary["present_value"]["net_to_microsoft"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            cells[column].trim_end_matches(" │").trim(),
            dealsim::money::Human(pv).to_string(),
            "{pv_row}"
        );
    }
}

/// base and bull pay the same cumulative line (the cap binds in 2028 for both): the compare
/// chart's legend says the second lies under the first instead of hiding it.
#[test]
fn compare_chart_names_lines_that_coincide() {
    let dir = tempfile::tempdir().unwrap();
    dealsim()
        .args(["compare", "scenarios/base.toml", "scenarios/bull.toml", "scenarios/bear.toml", "--out"])
        .arg(dir.path())
        .current_dir(repo())
        .assert()
        .success();
    let svg = std::fs::read_to_string(dir.path().join("compare/cumulative.svg")).unwrap();
    assert!(svg.contains("bull (revised) — same line as base"), "bull's legend");
    assert!(svg.contains("bear (revised)") && !svg.contains("bear (revised) — same"), "bear's legend");
}

#[test]
fn against_without_microsoft_revenue_warns_and_names_the_assumption() {
    let base = std::fs::read_to_string(repo().join("scenarios/base.toml")).unwrap();
    let (start, end) = (base.find("[revenue.microsoft]").unwrap(), base.find("[assumptions]").unwrap());
    Test::new()
        .file("nomsft.toml", &format!("{}{}", &base[..start], &base[end..]))
        .args(["run", "--no-charts", "--against", "pre-revision", "--out", "{dir}", "{dir}/nomsft.toml"])
        .stdout_lines(&["Microsoft's share to OpenAI is priced at zero: the scenario has no [revenue.microsoft] path."])
        .stderr(
            "warning: scenario `base` has no [revenue.microsoft], so Microsoft's share to OpenAI under `restructured` is priced at zero: the revision's saving to Microsoft from ending that share is left out. Add a [revenue.microsoft] path (scenarios/base.toml shows a sourced construction)\n",
        )
        .run();
    Test::new()
        .args(["run", "--no-charts", "--against", "pre-revision", "--out", "{dir}", "scenarios/base.toml"])
        .stdout_lines(&["Microsoft's share to OpenAI rests on the scenario's [revenue.microsoft] path (307.08B over the run), an assumption."])
        .run();
}

#[test]
fn cap_set_under_uncapped_terms_warns_that_it_does_nothing() {
    Test::new()
        .file(
            "orig.toml",
            "agreement = \"original\"\nyears = { from = 2024, to = 2026 }\n[revenue.openai]\nby_year = { 2024 = \"3.7B\" }\ngrowth = \"50%\"\n[assumptions]\ncap = \"38B\"\n",
        )
        .args(["check", "{dir}/orig.toml"])
        .stdout("ok: {dir}/orig.toml (scenario `orig`, agreement `original`, 2024–2026)\n")
        .stderr("warning: assumptions.cap does nothing: `original` has no capped revenue share (its shares are uncapped)\n")
        .run();
}
