//! Inputs that parse but would mean something else: each is refused with a hint, or warned about
//! loudly on stderr. One test per case, named after it (issue: "Right answers or a clear refusal").

use crate::common::{dealsim, repo};
use predicates::prelude::*;

fn scenario_file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn cap_38_without_a_unit_is_refused_with_did_you_mean_38b() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("cap = \"38B\"", "cap = 38");
    let file = scenario_file(&dir, "c.toml", &text);
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path())
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`38` is $38 exactly"))
        .stderr(predicate::str::contains("did you mean \"38B\"?"));
    assert!(!dir.path().join("c").exists(), "nothing is written");
}

#[test]
fn a_small_amount_written_with_a_dollar_sign_is_taken_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("cap = \"38B\"", "cap = \"$38\"");
    let file = scenario_file(&dir, "c.toml", &text);
    dealsim().args(["check"]).arg(&file).assert().success();
}

#[test]
fn set_cap_38_without_a_unit_is_refused() {
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=38", "--no-charts"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean \"38B\"?"));
}

#[test]
fn set_cap_range_20_to_80b_carries_the_unit_to_both_ends() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20..80B:10B", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Swept `base` over 7 points (cap)"));
    let csv = std::fs::read_to_string(out.path().join("base/sweep/sweep.csv")).unwrap();
    let caps: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(caps.first(), Some(&"20000000000"));
    assert_eq!(caps.last(), Some(&"80000000000"));
}

#[test]
fn thirty_eight_bn_is_accepted_as_38_billion() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("cap = \"38B\"", "cap = \"38bn\"");
    let file = scenario_file(&dir, "c.toml", &text);
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path())
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Cap of 38B on `openai-to-microsoft` reached in 2028"));
}

#[test]
fn growth_5_is_refused_as_500_percent_a_year() {
    dealsim()
        .args(["check", "tests/bad_inputs/growth_written_as_whole_percent.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`5` would be 500% a year"))
        .stderr(predicate::str::contains("did you mean \"5%\"?"));
}

#[test]
fn growth_25_is_refused_at_its_line_not_by_overflow() {
    dealsim()
        .args(["check", "tests/bad_inputs/growth_25_overflows_no_more.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("growth_25_overflows_no_more.toml:4:10"))
        .stderr(predicate::str::contains("`25` would be 2500% a year"));
}

#[test]
fn against_without_microsoft_revenue_warns_and_names_the_assumption() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(repo().join("scenarios/base.toml")).unwrap();
    let start = base.find("[revenue.microsoft]").unwrap();
    let end = base.find("[assumptions]").unwrap();
    let text = format!("{}{}", &base[..start], &base[end..]);
    let file = scenario_file(&dir, "nomsft.toml", &text);
    dealsim()
        .args(["run", "--no-charts", "--against", "pre-revision", "--out"])
        .arg(dir.path())
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: scenario `base` has no [revenue.microsoft]"))
        .stdout(predicate::str::contains(
            "Microsoft's share to OpenAI is priced at zero: the scenario has no [revenue.microsoft] path.",
        ));
    let other = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "--no-charts", "--against", "pre-revision", "--out"])
        .arg(other.path())
        .arg("scenarios/base.toml")
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not())
        .stdout(predicate::str::contains(
            "rests on the scenario's [revenue.microsoft] path (307.08B over the run)",
        ));
}

#[test]
fn cap_set_under_uncapped_terms_warns_that_it_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(
        &dir,
        "orig.toml",
        "agreement = \"original\"\nyears = { from = 2024, to = 2026 }\n[revenue.openai]\nby_year = { 2024 = \"3.7B\" }\ngrowth = \"50%\"\n[assumptions]\ncap = \"38B\"\n",
    );
    dealsim().args(["check"]).arg(&file).assert().success().stderr(predicate::str::contains(
        "warning: assumptions.cap does nothing: `original` has no capped revenue share",
    ));
}

#[test]
fn montecarlo_without_a_distribution_warns_that_every_path_is_the_same() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["montecarlo", "scenarios/base.toml", "--paths", "10", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: scenario `base` has nothing Monte Carlo draws"));
}

#[test]
fn a_copy_of_base_run_alone_warns_that_it_replaces_base_results() {
    let out = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.toml");
    std::fs::copy(repo().join("scenarios/base.toml"), &copy).unwrap();
    dealsim().args(["run", "--no-charts", "scenarios/base.toml", "--out"]).arg(out.path()).assert().success();
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(out.path())
        .arg(&copy)
        .assert()
        .success()
        .stderr(predicate::str::contains("held the results of scenarios/base.toml"));
}

#[test]
fn each_command_writes_its_own_sub_folder_so_a_sweep_keeps_the_run() {
    let out = tempfile::tempdir().unwrap();
    dealsim().args(["run", "--no-charts", "scenarios/base.toml", "--out"]).arg(out.path()).assert().success();
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20B,40B", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
    assert!(out.path().join("base/ledger.csv").is_file(), "the run's files stay");
    assert!(out.path().join("base/sweep/sweep.csv").is_file());
}

#[test]
fn a_special_file_such_as_dev_zero_is_refused_as_what_it_is() {
    dealsim()
        .args(["terms", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("this is a character device, not a file"));
    dealsim()
        .args(["check", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("character device"));
}

#[test]
fn a_misspelt_agreement_name_in_diff_gets_a_did_you_mean_including_aliases() {
    dealsim()
        .args(["diff", "revised", "pre-revison"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `pre-revision`?"));
}

#[test]
fn a_misspelt_set_parameter_gets_a_did_you_mean() {
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cpa=1B", "--no-charts"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown parameter `cpa` (did you mean `cap`?)"));
}
