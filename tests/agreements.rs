//! Agreements written as TOML: the built-ins ship as files, and file and built-in must agree.

use crate::common::{dealsim, repo};
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
fn a_float_where_an_exact_decimal_belongs_is_refused_with_its_line() {
    let text = std::fs::read_to_string(repo().join("scenarios/agreements/revised.toml")).unwrap();
    let floaty = text.replacen("value = \"0.20\"", "value = 0.2", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floaty.toml");
    std::fs::write(&path, &floaty).unwrap();
    let err = scenario::load_agreement_file(&path).unwrap_err();
    // serde buffers internally tagged enums (`kind = ...`), which drops inner spans, so the error
    // points at the `[[clauses]]` entry holding the float rather than at the float itself.
    let float_line = floaty.lines().position(|l| l == "value = 0.2").unwrap();
    let lines: Vec<&str> = floaty.lines().collect();
    let clause_line = lines[..float_line].iter().rposition(|l| *l == "[[clauses]]").unwrap() + 1;
    assert_eq!(err.line_col().map(|(l, _)| l), Some(clause_line), "{err}");
    assert!(err.to_string().contains("write decimals as strings"), "{err}");
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
