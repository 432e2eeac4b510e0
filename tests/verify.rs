//! Invariants declared with the terms (`[[invariants]]`), checked by every `run` and searched by
//! `dealsim verify` (the book's "Verifying your own terms").

use crate::common::{dealsim, repo};
use crate::exact::Test;
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

/// What the planted bug breaks on the counterexample `verify` finds with seed 0.
const PLANTED_BREAK: &str = "  - broken: total share_paid ≤ 38B (or the scenario's cap) (OpenAI's payments are subject to a total cap [S2], [S3], [S4], reported as $38B (The Information via Reuters, 11 May 2026 [S9]: total cap $38B; the companies call it undisclosed [S2]): never more in total, unless the scenario assumes another cap) in 2026: share_paid reaches 32423367798.36 by then, above the 32423000000 the cap allows after 5.58B of prior payments\n";

/// The planted bug: a cap declared, and a second uncapped share of the same flow pasted in.
/// `verify` finds it, shrinks it to a short scenario, writes it, and `run` reproduces it.
#[test]
fn verify_finds_a_planted_bug_and_writes_a_shrunk_counterexample_that_run_reproduces() {
    let planted = "tests/agreements_planted/second-uncapped-share.toml";
    let verify = || {
        Test::new()
            .args(["verify", planted, "--out", "{dir}"])
            .status(1)
            .stdout("Wrote counterexample.toml to {dir}/verify/planted\n")
            .stderr(&format!(
                "error: `planted` breaks one of its invariants on the scenario in {{dir}}/verify/planted/counterexample.toml (shrunk to a minimal one):\n{PLANTED_BREAK}reproduce: dealsim run {{dir}}/verify/planted/counterexample.toml\n"
            ))
            .run()
    };
    let found = verify();
    let file = found.path("verify/planted/counterexample.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let loaded = dealsim::scenario::load_file(&file).expect("the counterexample is a valid scenario");
    assert!(loaded.scenario.periods.len() <= 4, "shrunk to a few years:\n{text}");
    let file = file.display().to_string();
    let reproduced = Test::new()
        .args(["run", "--no-charts", "--out", "{dir}", &file])
        .status(1)
        .stderr(&format!(
            "error: scenario `counterexample` breaks one of `planted`'s invariants; nothing was written:\n{PLANTED_BREAK}"
        ))
        .run();
    assert!(crate::exact::files_under(reproduced.dir.path()).is_empty(), "a broken promise writes nothing");
    // The same seed finds the same counterexample.
    let again = verify();
    assert_eq!(std::fs::read_to_string(again.path("verify/planted/counterexample.toml")).unwrap(), text);
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
    Test::new()
        .edited(
            "typo.toml",
            "scenarios/agreements/revised.toml",
            &[("figure = \"microsoft_share_paid\"", "figure = \"microsoft_share_payed\"")],
        )
        .in_scratch()
        .args(["verify", "typo.toml"])
        .status(2)
        .stderr(
            "  x typo.toml:116:10: invariants.figure: `microsoft_share_payed` is not \"share_due\" or \"share_paid\" or \
             \"microsoft_share_paid\" or \"net_to_microsoft\" or \"cash_to_microsoft\" or \"paid_to_microsoft\" or \"due\" \
             or \"paid\" or \"purchases\"
     ,-[typo.toml:116:10]
 115 | says = \"Microsoft no longer pays OpenAI a revenue share [S1], [S2], [S3]\"
 116 | figure = \"microsoft_share_payed\"
     :          ^^^^^^^^^^^|^^^^^^^^^^^
     :                     `-- here
 117 | 
     `----
  help: did you mean \"microsoft_share_paid\"?
",
        )
        .run();
}

/// Each kind of invariant catches what it promises against, at the first period that breaks it:
/// an agreement file with promises the base case does not keep.
#[test]
fn each_kind_of_invariant_names_the_first_period_that_breaks_it() {
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
    let ran = Test::new()
        .file("promises.toml", &text)
        .edited("base.toml", "scenarios/base.toml", &[("agreement = \"revised\"", "agreement = \"promises.toml\"")])
        .in_scratch()
        .args(["run", "--no-charts", "base.toml"])
        .status(1)
        .stderr(
            "error: scenario `base` breaks 4 of `revised`'s invariants; nothing was written:
  - broken: share_paid = 0 after 2027-12-31 (test: nothing after 2027) in 2028: share_paid = 19.6B
  - broken: share_paid ≥ 7B (test: at least 7B a year) in 2026: share_paid = 6B
  - broken: always licence exclusive (test: always exclusive) in 2026: licence non-exclusive
  - broken: never azure_first true after 2026-12-31 (test: never Azure-first after 2026) in 2027: azure_first true
",
        )
        .run();
    assert_eq!(
        crate::exact::files_under(ran.dir.path()),
        ["base.toml", "promises.toml"],
        "nothing is written"
    );
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
