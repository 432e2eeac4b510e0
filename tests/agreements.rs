//! Agreements written as TOML: the built-ins ship as files, and file and built-in must agree.

use crate::common::{dealsim, repo};
use crate::exact::Test;
use crate::snapshots::assert_matches_file;
use dealsim::agreement::{builtin, BUILTIN_NAMES};
use dealsim::scenario;

#[test]
fn every_builtin_ships_as_a_file_that_loads_back_equal() {
    for name in BUILTIN_NAMES {
        let agreement = builtin(name).unwrap();
        let path = repo().join(format!("scenarios/agreements/{name}.toml"));
        let text = format!(
            "# The built-in agreement `{name}`, as data. Generated from src/agreement/builtin.rs;\n\
             # tests check the two are equal. Copy it to write your own agreement.\n\n{}",
            toml::to_string(&agreement).unwrap()
        );
        assert_matches_file(&path, text.as_bytes());
        assert_eq!(scenario::load_agreement_file(&path).unwrap(), agreement);
    }
}

#[test]
fn agreement_files_accept_bare_toml_dates() {
    let text = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap();
    let bare = text
        .replace("value = \"2026-04-27\"", "value = 2026-04-27")
        .replace("value = \"2032-12-31\"", "value = 2032-12-31");
    assert_ne!(bare, text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bare.toml");
    std::fs::write(&path, bare).unwrap();
    assert_eq!(scenario::load_agreement_file(&path).unwrap(), builtin("revised").unwrap());
}

#[test]
fn a_float_is_read_from_its_exact_text_and_a_bad_one_is_refused_at_its_own_line_and_column() {
    let text = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floaty.toml");
    // 0.2 as a TOML float is exactly 0.2, not the nearest binary float.
    std::fs::write(&path, text.replacen("value = \"0.20\"", "value = 0.2", 1)).unwrap();
    assert_eq!(scenario::load_agreement_file(&path).unwrap(), builtin("revised").unwrap());
    // A rate of 1.5 is refused where it is written (not at its [[clauses]] line).
    let bad = text.replacen("value = \"0.20\"", "value = 1.5", 1);
    std::fs::write(&path, &bad).unwrap();
    let err = scenario::load_agreement_file(&path).unwrap_err();
    let line = bad.lines().position(|l| l == "value = 1.5").unwrap() + 1;
    assert_eq!(err.line_col(), Some((line, 9)), "{err}");
    assert!(err.to_string().contains("`1.5` is not a rate between 0 and 1"), "{err}");
}

#[test]
fn a_scenario_can_name_an_agreement_file_and_matches_the_builtin_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("agreements")).unwrap();
    std::fs::copy(
        repo().join("scenarios/agreements/revised.toml"),
        dir.path().join("agreements/revised.toml"),
    )
    .unwrap();
    let base = std::fs::read_to_string(repo().join("scenarios/base.toml")).unwrap();
    let from_file = base
        .replace("agreement = \"revised\"", "agreement = \"agreements/revised.toml\"")
        .replace("name = \"base\"", "name = \"base-from-file\"");
    assert_ne!(from_file, base);
    let scenario_path = dir.path().join("from-file.toml");
    std::fs::write(&scenario_path, &from_file).unwrap();
    dealsim()
        .arg("run")
        .arg(&scenario_path)
        .arg("scenarios/base.toml")
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let a = std::fs::read(dir.path().join("base-from-file/ledger.csv")).unwrap();
    let b = std::fs::read(dir.path().join("base/ledger.csv")).unwrap();
    assert_eq!(a, b);
}

mod versions {
    use crate::common::*;
    use crate::exact::Test;
    use dealsim::agreement::describe::{parameters, Param};
    use dealsim::agreement::diff::diff;
    use dealsim::agreement::{
        builtin, Agreement, ClauseOverride, ExceptionReading, TermAssumptions, BUILTIN_NAMES,
    };
    use predicates::prelude::*;
    use proptest::prelude::*;

    /// A built-in with random assumptions applied: the space of agreements users actually run.
    fn varied_agreement() -> impl Strategy<Value = Agreement> {
        (
            prop::sample::select(BUILTIN_NAMES),
            prop::option::of(cap()),
            prop::option::of(rate()),
            prop::option::of(any_date(2019, 2025)),
            any::<bool>(),
            prop::option::of(any_date(2031, 2040)),
        )
            .prop_map(|(name, cap, rate, effective, or_reading, licence_end)| {
                let terms = TermAssumptions {
                    cap,
                    share_rate: rate,
                    effective_date: effective,
                    azure_first_exception: or_reading.then_some(ExceptionReading::Or),
                    clause_overrides: licence_end
                        .map(|date| ClauseOverride::End { clause: "microsoft-ip-licence".into(), date })
                        .into_iter()
                        .collect(),
                    ..Default::default()
                };
                terms.apply(&builtin(name).unwrap(), "proptest").unwrap()
            })
    }

    fn sorted(mut changes: Vec<String>) -> Vec<String> {
        changes.sort();
        changes
    }

    proptest! {
        #[test]
        fn diff_of_an_agreement_with_itself_is_empty(a in varied_agreement()) {
            prop_assert!(diff(&a, &a).is_empty());
        }

        #[test]
        fn diff_a_b_and_diff_b_a_are_mirror_images(a in varied_agreement(), b in varied_agreement()) {
            let forward: Vec<String> = diff(&a, &b).iter().map(|c| format!("{:?}", c.mirror())).collect();
            let backward: Vec<String> = diff(&b, &a).iter().map(|c| format!("{c:?}")).collect();
            prop_assert_eq!(sorted(forward), sorted(backward));
        }
    }

    #[test]
    fn every_parameter_of_every_builtin_clause_has_a_source() {
        for name in BUILTIN_NAMES {
            let a = builtin(name).unwrap();
            assert!(!a.effective.source.trim().is_empty(), "{name}: effective date has no source");
            for clause in &a.clauses {
                for p in parameters(&a, clause) {
                    if let Some(source) = &p.source {
                        assert!(
                            source.trim().len() > 10,
                            "{name}/{}: {} has no real source: {source:?}",
                            clause.id(),
                            p.name
                        );
                    }
                }
                // The value-bearing parameters must all be sourced; only who-pays-whom, the
                // first-on cloud and absent optional terms are structural.
                let unsourced: Vec<_> = parameters(&a, clause)
                    .into_iter()
                    .filter(|p| {
                        p.source.is_none()
                            && !matches!(p.name, Param::PARTIES | Param::FIRST_ON)
                            && p.value.is_some()
                            && p.value.as_deref() != Some("uncapped")
                    })
                    .map(|p| p.name)
                    .collect();
                assert!(unsourced.is_empty(), "{name}/{}: unsourced {unsourced:?}", clause.id());
            }
        }
    }

    #[test]
    fn terms_prints_each_clause_in_plain_words_with_sources() {
        dealsim()
            .args(["terms", "revised"])
            .assert()
            .success()
            .stdout(predicate::str::contains("revised — Revised Microsoft–OpenAI agreement"))
            .stdout(predicate::str::contains(
                "OpenAI pays Microsoft 20% of OpenAI's revenue, from 2026-01-01 to 2030-12-31, capped at 38B in total.",
            ))
            .stdout(predicate::str::contains("- exclusivity: non-exclusive (seed: [S2], [S3], [S4]: \"now non-exclusive\")"))
            .stdout(predicate::str::contains("- cap: capped at 38B in total (reported: The Information via Reuters"));
        dealsim().args(["terms", "scenarios/agreements/original.toml"]).assert().success().stdout(
            predicate::str::contains(
                "Microsoft holds an exclusive licence to OpenAI's models, products, research IP",
            ),
        );
    }

    #[test]
    fn terms_list_names_every_builtin() {
        let assert = dealsim().args(["terms", "--list"]).assert().success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        for name in BUILTIN_NAMES {
            assert!(stdout.lines().any(|l| l.starts_with(name)), "{name} missing from:\n{stdout}");
        }
    }

    /// What `diff pre-revision revised` prints: the revision, change by change.
    const REVISION: &str = "Changes from `restructured` to `revised`:
- agreement: effective date: 2025-10-28 → 2026-04-27
- revenue share OpenAI → Microsoft: start: the effective date → 2026-01-01
- revenue share OpenAI → Microsoft: cap: uncapped → capped at 38B in total
- revenue share OpenAI → Microsoft: AGI trigger: removed (was: ends it when AGI is declared)
- revenue share Microsoft → OpenAI: removed: Microsoft pays OpenAI 20% of Microsoft's revenue from OpenAI-based products, from 2025-10-28 to 2030-12-31, uncapped.
- IP licence: exclusivity: exclusive → non-exclusive
- research IP licence: removed: Microsoft holds an exclusive licence to OpenAI's research IP, from 2025-10-28 to 2030-12-31; ends early if AGI is declared.
- distribution: clouds: Azure only → any cloud
- Azure-first: added: OpenAI's products ship first on Azure unless Microsoft cannot and chooses not to support them, from 2026-04-27 to 2032-12-31.
";

    #[test]
    fn diff_names_what_the_revision_changed() {
        Test::new().args(["diff", "pre-revision", "revised"]).stdout(REVISION).run();
        Test::new()
            .args(["diff", "revised", "revised"])
            .stdout("No differences between `revised` and `revised`.\n")
            .run();
    }

    #[test]
    fn an_unknown_agreement_name_is_exit_2_with_a_suggestion() {
        Test::new()
            .args(["terms", "revized"])
            .status(2)
            .stderr(
                "  x revized: unknown agreement `revized`; built-in agreements are `original`, `restructured`, \
                 `revised`, `microsoft-openai`, or give a path to an agreement .toml file\n  help: did you mean `revised`?\n",
            )
            .run();
    }
}

#[test]
fn a_misspelt_agreement_name_in_diff_gets_a_did_you_mean_including_aliases() {
    Test::new()
        .args(["diff", "revised", "pre-revison"])
        .status(2)
        .stderr("  x pre-revison: unknown agreement `pre-revison`; built-in agreements are `original`, `restructured`, `revised`, `microsoft-openai`, or give a path to an agreement .toml file
  help: did you mean `pre-revision`?
")
        .run();
}
