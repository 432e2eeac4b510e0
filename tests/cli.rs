//! The real binary, run as a user would.

use crate::common::{dealsim, repo};
use crate::exact::{files_under, Test};
use predicates::prelude::*;
use std::process::Stdio;

#[test]
fn run_prints_the_table_and_writes_csv_json_and_summary() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Scenario `base` under `revised`"))
        .stdout(predicate::str::contains("│ 2028 ┆    100B ┆   20% ┆   20B ┆ 19.6B ┆        38B ┆  reached"))
        .stdout(predicate::str::contains("Cap of 38B on `openai-to-microsoft` reached in 2028"))
        .stdout(predicate::str::contains(
            "Present value at 8% a year (end-of-period), valued at 2026-01-01: net to Microsoft 31.75B",
        ));
    let folder = out.path().join("base");
    let csv = std::fs::read_to_string(folder.join("ledger.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with(
        "year,revenue,share_rate,share_due,share_paid,cumulative_paid,cap_remaining,cap_reached,\
         microsoft_share_paid,net_to_microsoft,licence,distribution,azure_first,agi_clause"
    ));
    assert_eq!(csv.lines().count(), 8, "header and 2026–2032");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["cap_reached_year"], 2028);
    assert_eq!(summary["totals"]["share_paid"], "38000000000");
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("ledger.json")).unwrap()).unwrap();
    assert_eq!(ledger["rows"][0]["flows"][0]["days_in_force"], 365, "all of 2026 counts toward the cap");
    assert_eq!(ledger["rows"][2]["share_paid"], "19600000000", "money is an exact string, never a float");
}

#[test]
fn several_scenarios_share_one_out_folder_and_output_is_byte_identical_across_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        dealsim()
            .args(["run", "scenarios/base.toml", "scenarios/bear.toml", "scenarios/bull.toml", "--out"])
            .arg(out)
            .assert()
            .success();
    }
    for name in ["base", "bear", "bull"] {
        for file in ["ledger.csv", "ledger.json", "summary.json"] {
            let x = std::fs::read(a.path().join(name).join(file)).unwrap();
            let y = std::fs::read(b.path().join(name).join(file)).unwrap();
            assert!(x == y, "{name}/{file} differs between runs");
        }
    }
}

#[test]
fn run_writes_to_output_by_default() {
    let ran = Test::new()
        .edited("bear.toml", "scenarios/bear.toml", &[])
        .in_scratch()
        .args(["run", "bear.toml"])
        .stdout_lines(&["Wrote ledger.csv, flows.csv, ledger.json, summary.json, cashflows.png, cashflows.svg, cumulative.png, cumulative.svg, rights.png, rights.svg, ledger.xlsx, report.html to output/bear"])
        .run();
    assert!(ran.path("output/bear/ledger.csv").is_file());
}

#[test]
fn exact_flag_shows_whole_figures_in_the_table() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--exact", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("19600000000"));
}

#[test]
fn check_validates_without_writing() {
    let ran = Test::new()
        .edited("base.toml", "scenarios/base.toml", &[])
        .edited("bull.toml", "scenarios/bull.toml", &[])
        .in_scratch()
        .args(["check", "base.toml", "bull.toml"])
        .stdout(
            "ok: base.toml (scenario `base`, agreement `revised`, 2026–2032)
ok: bull.toml (scenario `bull`, agreement `revised`, 2026–2032)
",
        )
        .run();
    assert_eq!(files_under(ran.dir.path()), ["base.toml", "bull.toml"], "nothing is written");
}

#[test]
fn check_reports_every_bad_file_and_exits_2() {
    Test::new()
        .args(["check", "scenarios/base.toml", "tests/bad_inputs/unknown_key_misspelt.toml", "no/such/file.toml"])
        .status(2)
        .stdout("ok: scenarios/base.toml (scenario `base`, agreement `revised`, 2026–2032)\n")
        .stderr(
            "  x tests/bad_inputs/unknown_key_misspelt.toml:6:1: unknown key `cpa`; expected one of `cap`, `effective_date`, `cap_counts_from`, `prior_payments_toward_cap`, `share_rate`, `share_base`, `azure_first_exception`, `agi_declared`, `discount_rate`, `discounting`, `launch_lag_days`, `revenue_correlation`
   ,-[tests/bad_inputs/unknown_key_misspelt.toml:6:1]
 5 | [assumptions]
 6 | cpa = \"38B\"
   : ^|^
   :  `-- here
   `----
  help: did you mean `cap`?
  x no/such/file.toml: cannot read the file: no such file
",
        )
        .run();
}

#[test]
fn a_bad_file_among_several_stops_the_run_before_anything_is_written() {
    let ran = Test::new()
        .args(["run", "scenarios/base.toml", "tests/bad_inputs/rate_above_one.toml", "--out", "{dir}/out"])
        .status(2)
        .stderr(
            "  x tests/bad_inputs/rate_above_one.toml:5:14: assumptions.share_rate: `1.2` is not a rate between 0 and 1 (write 1.2% as 0.012 or \"1.2%\")
   ,-[tests/bad_inputs/rate_above_one.toml:5:14]
 4 | [assumptions]
 5 | share_rate = 1.2
   :              ^|^
   :               `-- here
   `----
",
        )
        .run();
    assert!(files_under(ran.dir.path()).is_empty(), "nothing is written");
}

#[test]
fn two_scenarios_with_one_name_are_refused() {
    Test::new()
        .args(["run", "scenarios/base.toml", "scenarios/base.toml", "--out", "{dir}"])
        .status(2)
        .stderr(
            "error: scenarios/base.toml and scenarios/base.toml are both named `base`, so they \
             would write to the same output folder; give one a different `name`\n",
        )
        .run();
}

#[test]
fn an_unwritable_output_folder_is_exit_status_1() {
    Test::new()
        .file("file", "")
        .args(["run", "scenarios/base.toml", "--out", "{dir}/file"])
        .status(1)
        .stderr("error: cannot create the output folder {dir}/file/base: Not a directory (os error 20)\n")
        .run();
}

#[test]
fn a_closed_pipe_is_success_not_a_panic() {
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dealsim"))
        .current_dir(repo())
        .args(["run", "scenarios/base.toml", "scenarios/bear.toml", "scenarios/bull.toml", "--out"])
        .arg(out.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before the table is printed
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn help_lists_the_commands() {
    dealsim()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("run"))
        .stdout(predicate::str::contains("check"));
}

#[test]
fn an_unknown_flag_is_a_usage_error_with_status_2() {
    Test::new()
        .args(["run", "--bogus"])
        .status(2)
        .stderr(
            "error: unexpected argument '--bogus' found

  tip: to pass '--bogus' as a value, use '-- --bogus'

Usage: dealsim run [OPTIONS] <FILES>...

For more information, try '--help'.
",
        )
        .run();
}

#[test]
fn run_against_the_pre_revision_terms_reports_gains_and_their_attribution() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--against", "pre-revision", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Against `restructured` (run from the same effective date, with the same assumptions):"))
        .stdout(predicate::str::contains("│ 1 ┆ revenue share OpenAI → Microsoft: cap                 ┆          -60.2B ┆        60.2B ┆         -42.38B ┆               -60.2B │"))
        .stdout(predicate::str::contains("│ 3 ┆ revenue share Microsoft → OpenAI removed              ┆           32.1B ┆       -32.1B ┆          24.12B ┆                32.1B │"));
    let folder = out.path().join("base/against-pre-revision");
    let against = std::fs::read_to_string(folder.join("against.csv")).unwrap();
    assert!(
        against.starts_with("period,net_to_microsoft,against_net_to_microsoft,microsoft_gain,openai_gain\n")
    );
    let attribution = std::fs::read_to_string(folder.join("attribution.csv")).unwrap();
    assert!(attribution.contains("1,revenue share OpenAI → Microsoft: cap: uncapped → capped at 38B in total,-60200000000,60200000000,"), "{attribution}");
    assert!(folder.join("waterfall.png").is_file() && folder.join("waterfall.svg").is_file());
    let svg = std::fs::read_to_string(folder.join("waterfall.svg")).unwrap();
    assert!(svg.contains("What the change of terms is worth to Microsoft — revised vs restructured (base)"));
}

#[test]
fn run_against_an_unknown_agreement_is_exit_2() {
    let ran = Test::new()
        .args(["run", "scenarios/base.toml", "--against", "nonesuch", "--no-charts", "--out", "{dir}/out"])
        .status(2)
        .stderr("  x nonesuch: unknown agreement `nonesuch`; built-in agreements are `original`, `restructured`, `revised`, `microsoft-openai`, or give a path to an agreement .toml file\n")
        .run();
    assert!(files_under(ran.dir.path()).is_empty(), "nothing is written");
}

#[test]
fn the_table_fits_a_narrow_terminal_and_says_what_it_left_out_unless_wide() {
    let header = |wide: &str| {
        format!(
            "│ Year ┆ Revenue ┆  Rate ┆   Due ┆  Paid ┆ Cumulative ┆ Cap left ┆ MS→OpenAI ┆ Net to MS {wide}"
        )
    };
    Test::new()
        .args(["run", "scenarios/base.toml", "--no-charts", "--out", "{dir}"])
        .env("COLUMNS", "100")
        .stdout_lines(&[
            &header("│"),
            "(Licence, Distribution, Azure-first and AGI-clause columns left out to fit 100 columns: --wide shows them; ledger.csv has every column)",
        ])
        .run();
    let wide = Test::new()
        .args(["run", "scenarios/base.toml", "--no-charts", "--wide", "--out", "{dir}"])
        .env("COLUMNS", "100")
        .stdout_lines(&[&header("┆ Licence            ┆ Distribution   ┆ Azure-first ┆ AGI clause │")])
        .run();
    assert!(!wide.stdout.contains("left out"), "{}", wide.stdout);
}

/// Every subcommand's help ends with worked examples that parse as written, and every argument
/// and flag says what it is for.
#[test]
fn every_subcommand_has_examples_that_parse_and_every_flag_a_description() {
    use clap::{CommandFactory, Parser};
    let root = dealsim::cli::Cli::command();
    let mut checked = 0;
    for sub in root.get_subcommands() {
        let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
        let examples: Vec<&str> = help.lines().filter_map(|l| l.trim().strip_prefix("dealsim ")).collect();
        assert!(
            help.starts_with("Examples:") && examples.len() >= 2,
            "`{}` needs two or three examples",
            sub.get_name()
        );
        for example in examples {
            // The command itself, before any shell redirection or pipe.
            let words: Vec<&str> =
                example.split(['>', '|', '&']).next().unwrap().split_whitespace().collect();
            let parsed =
                dealsim::cli::Cli::try_parse_from(std::iter::once("dealsim").chain(words.iter().copied()));
            assert!(parsed.is_ok(), "`dealsim {example}` does not parse: {:?}", parsed.err());
        }
        for arg in sub.get_arguments().filter(|a| a.get_id() != "help") {
            assert!(arg.get_help().is_some(), "`{} --{}` has no description", sub.get_name(), arg.get_id());
        }
        checked += 1;
    }
    assert!(checked >= 13, "{checked} subcommands");
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        dealsim()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicates::str::contains("montecarlo"));
    }
    dealsim()
        .args(["man"])
        .assert()
        .success()
        .stdout(predicates::str::contains(".TH dealsim 1"))
        .stdout(predicates::str::contains("Simulate the cash flows"))
        .stdout(predicates::str::contains("dealsim\\-run(1)"));
}

/// The tool's page refers to `dealsim-run(1)` and the others: `dealsim man run` prints that page,
/// and a name that is no command is refused with the list of commands.
#[test]
fn the_man_page_of_each_command_the_tools_page_refers_to() {
    for command in ["run", "compare", "sweep", "montecarlo", "verify"] {
        dealsim()
            .args(["man", command])
            .assert()
            .success()
            .stdout(predicates::str::contains(format!(".TH dealsim-{command} 1")))
            .stdout(predicates::str::contains("\\-\\-out"));
    }
    Test::new()
        .args(["man", "runn"])
        .status(2)
        .stderr("error: `runn` is not a command of dealsim; its commands are run, compare, terms, diff, explain, sweep, montecarlo, merge, sensitivity, goalseek, calibrate, check, verify, completions, man\n")
        .run();
}

/// Where changes interact, the sequential waterfall depends on `diff`'s order and the Shapley
/// value does not: with AGI declared in mid-2027 under the older terms, removing the AGI trigger
/// and adding the cap interact, and their order-free values differ from the sequential ones while
/// adding up to the same total.
#[test]
fn order_free_attribution_differs_from_the_waterfall_where_changes_interact() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("[assumptions]", "[assumptions]\nagi_declared = 2027-06-30");
    std::fs::write(dir.path().join("agi.toml"), text).unwrap();
    dealsim()
        .args(["run", "agi.toml", "--against", "pre-revision"])
        .current_dir(dir.path())
        .assert()
        .success();
    let waterfall =
        std::fs::read_to_string(dir.path().join("output/base/against-pre-revision/waterfall.svg")).unwrap();
    assert!(
        waterfall.contains("(order-free -30.1B)"),
        "the chart gives the order-free value where it differs"
    );
    let csv =
        std::fs::read_to_string(dir.path().join("output/base/against-pre-revision/attribution.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let money = |r: &csv::StringRecord, c: &str| r[at(c)].parse::<rust_decimal::Decimal>().unwrap();
    let sequential: rust_decimal::Decimal = rows.iter().map(|r| money(r, "microsoft_gain")).sum();
    let shapley: rust_decimal::Decimal = rows.iter().map(|r| money(r, "shapley_microsoft_gain")).sum();
    assert_eq!(sequential, shapley, "both add up to the total");
    assert!(
        rows.iter().any(|r| money(r, "microsoft_gain") != money(r, "shapley_microsoft_gain")),
        "the AGI date makes the cap and the AGI trigger interact:\n{csv}"
    );
}

/// `--excel-csv` puts a UTF-8 byte-order mark in front of every CSV (and nothing else) so Excel
/// on Windows reads "→" as an arrow; without it the files start with their header.
#[test]
fn excel_csv_marks_every_csv_as_utf8_and_only_csvs() {
    let (marked, plain) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let args = ["run", "scenarios/base.toml", "--against", "pre-revision", "--no-charts", "--out"];
    dealsim().args(args).arg(marked.path()).arg("--excel-csv").assert().success();
    dealsim().args(args).arg(plain.path()).assert().success();
    for file in ["base/ledger.csv", "base/against-pre-revision/attribution.csv"] {
        let (a, b) = (
            std::fs::read(marked.path().join(file)).unwrap(),
            std::fs::read(plain.path().join(file)).unwrap(),
        );
        assert_eq!(&a[..3], b"\xEF\xBB\xBF", "{file}");
        assert_eq!(&a[3..], &b[..], "{file}: the same content after the mark");
    }
    let json = std::fs::read(marked.path().join("base/summary.json")).unwrap();
    assert_eq!(json[0], b'{', "JSON gets no mark");
}

/// `compare --against NAME` gives each scenario's gain against the other agreement, the same
/// figure `run --against` reports (base against the pre-revision terms: Microsoft receives 28.1B
/// less, 18.26B in present value).
#[test]
fn compare_against_gives_each_scenarios_gain_as_run_against_does() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args([
            "compare",
            "scenarios/base.toml",
            "scenarios/bear.toml",
            "--against",
            "pre-revision",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("│ Gain vs restructured    ┆    -28.1B ┆     -6.5B │"))
        .stdout(predicates::str::contains("│ PV gain vs restructured ┆   -18.26B ┆    -3.11B │"));
    let csv = std::fs::read_to_string(out.path().join("compare/compare.csv")).unwrap();
    let base = csv.lines().nth(1).unwrap();
    assert!(base.ends_with(",restructured,-28101616438.36,-18257828079.9,38000000000,0"), "{csv}");
}
