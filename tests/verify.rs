//! Invariants declared with the terms (`[[invariants]]`), checked by every `run` and searched by
//! `dealsim verify` (the book's "Verifying your own terms").

use crate::common::{dealsim, repo};
use predicates::prelude::*;

/// CI runs `verify` on every shipped agreement and timeline, built-in and as files.
#[test]
fn every_shipped_agreement_and_timeline_keeps_its_promises_on_random_scenarios() {
    let mut names: Vec<String> = dealsim::agreement::BUILTIN_NAMES.iter().map(|s| s.to_string()).collect();
    names.extend(dealsim::agreement::TIMELINE_NAMES.iter().map(|s| s.to_string()));
    for entry in std::fs::read_dir(repo().join("scenarios/agreements")).unwrap() {
        names.push(entry.unwrap().path().display().to_string());
    }
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        dealsim()
            .args(["verify", &name, "--cases", "200", "--out"])
            .arg(tempfile::tempdir().unwrap().path())
            .assert()
            .success()
            .stdout(
                predicate::str::is_match(
                    r"^verify `[a-z-]+`: \d+ invariants? holds? on 200 random scenarios \(seed 0\)\n$",
                )
                .unwrap(),
            );
    }
}

/// The planted bug: a cap declared, and a second uncapped share of the same flow pasted in.
/// `verify` finds it, shrinks it to a short scenario, writes it, and `run` reproduces it.
#[test]
fn verify_finds_a_planted_bug_and_writes_a_shrunk_counterexample_that_run_reproduces() {
    let planted = repo().join("tests/agreements_planted/second-uncapped-share.toml");
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["verify"])
        .arg(&planted)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("breaks one of its invariants"))
        .stderr(predicate::str::contains("total share_paid ≤ 38B"))
        .stderr(predicate::str::contains("reproduce: dealsim run"));
    let file = out.path().join("verify/planted/counterexample.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let loaded = dealsim::scenario::load_file(&file).expect("the counterexample is a valid scenario");
    assert!(loaded.scenario.periods.len() <= 4, "shrunk to a few years:\n{text}");
    let run_out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(run_out.path())
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("breaks one of `planted`'s invariants; nothing was written"))
        .stderr(
            predicate::str::is_match(
                r"share_paid reaches [0-9.]+B? by then, above the [0-9.]+B? the cap allows",
            )
            .unwrap(),
        );
    assert!(!run_out.path().join("counterexample").exists(), "a broken promise writes nothing");
    // The same seed finds the same counterexample.
    let again = tempfile::tempdir().unwrap();
    dealsim().args(["verify"]).arg(&planted).arg("--out").arg(again.path()).assert().code(1);
    assert_eq!(
        std::fs::read_to_string(again.path().join("verify/planted/counterexample.toml")).unwrap(),
        text
    );
}

/// An edited copy of `revised` that raises its cap in the file breaks the seeds' promise (38B,
/// unless the scenario assumes another cap), so `run` refuses it rather than re-validating the
/// copy against itself; the same scenario with a `cap` assumption runs.
#[test]
fn run_refuses_an_edited_copy_that_breaks_a_promise_and_a_scenario_cap_lifts_it() {
    let dir = tempfile::tempdir().unwrap();
    let edited = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml"))
        .unwrap()
        .replace("amount = \"38000000000\"", "amount = \"50000000000\"");
    std::fs::write(dir.path().join("edited.toml"), edited).unwrap();
    let scenario = |assumptions: &str| {
        format!(
            "name = \"edited\"\nagreement = \"edited.toml\"\nyears = {{ from = 2026, to = 2030 }}\n\
             [revenue.openai]\nby_year = {{ 2026 = \"30B\", 2027 = \"62B\", 2028 = \"113B\", 2029 = \"184B\", 2030 = \"284B\" }}\n\
             [assumptions]\n{assumptions}\n"
        )
    };
    std::fs::write(dir.path().join("edited-run.toml"), scenario("")).unwrap();
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("edited-run.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "in 2028: share_paid reaches 41B by then, above the 38B the cap allows",
        ));
    std::fs::write(dir.path().join("edited-run.toml"), scenario("cap = \"50B\"")).unwrap();
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("edited-run.toml"))
        .assert()
        .success();
}

/// An invariant the vocabulary does not have is refused with its file, line and column.
#[test]
fn a_misspelt_invariant_is_refused_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap().replacen(
        "figure = \"microsoft_share_paid\"",
        "figure = \"microsoft_share_payed\"",
        1,
    );
    std::fs::write(dir.path().join("typo.toml"), text).unwrap();
    dealsim()
        .args(["verify", "typo.toml"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"typo\.toml:\d+:\d+").unwrap())
        .stderr(predicate::str::contains("microsoft_share_payed"));
}

/// Each kind of invariant catches what it promises against, at the first period that breaks it:
/// an agreement file with promises the base case does not keep.
#[test]
fn each_kind_of_invariant_names_the_first_period_that_breaks_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap();
    text.push_str(
        r#"
[[invariants]]
kind = "zero"
says = "test: nothing after 2027"
figure = "share_paid"
after = 2027-12-31

[[invariants]]
kind = "at-least"
says = "test: at least 7B a year"
figure = "share_paid"
value = "7000000000"

[[invariants]]
kind = "right-is"
says = "test: always exclusive"
right = { licence = "exclusive" }

[[invariants]]
kind = "right-never"
says = "test: never Azure-first after 2026"
right = { azure_first = true }
after = 2026-12-31

[[invariants]]
kind = "total-within-cap"
says = "test: the clause's own cap"
figure = "share_paid"
clause = "openai-to-microsoft"
"#,
    );
    std::fs::write(dir.path().join("promises.toml"), text).unwrap();
    let base = std::fs::read_to_string(repo().join("scenarios/base.toml"))
        .unwrap()
        .replace("agreement = \"revised\"", "agreement = \"promises.toml\"");
    std::fs::write(dir.path().join("base.toml"), base).unwrap();
    dealsim()
        .args(["run", "--no-charts", "base.toml"])
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("breaks 4 of `revised`'s invariants"))
        .stderr(predicate::str::contains("share_paid = 0 after 2027-12-31 (test: nothing after 2027) in 2028: share_paid = 19.6B"))
        .stderr(predicate::str::contains("share_paid ≥ 7B (test: at least 7B a year) in 2026: share_paid = 6B"))
        .stderr(predicate::str::contains("always licence exclusive (test: always exclusive) in 2026: licence non-exclusive"))
        .stderr(predicate::str::contains("never azure_first true after 2026-12-31 (test: never Azure-first after 2026) in 2027: azure_first true"))
        .stderr(predicate::str::contains("the clause's own cap").not());
}

/// A money threshold in an invariant needs its unit, as everywhere: `value = "7"` would be a $7
/// floor, almost surely meant as 7B, so it is refused with the likely meaning.
#[test]
fn an_invariant_amount_without_its_unit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap();
    text.push_str(
        "\n[[invariants]]\nkind = \"at-least\"\nsays = \"test\"\nfigure = \"share_paid\"\nvalue = \"7\"\n",
    );
    std::fs::write(dir.path().join("unitless.toml"), text).unwrap();
    dealsim()
        .args(["verify", "unitless.toml"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`7` is $7 exactly"));
}
