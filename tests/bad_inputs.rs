//! The bad-input corpus: each `tests/bad_inputs/NAME.toml` is a broken scenario kept as data,
//! paired with the insta snapshot `NAME.stderr.snap`, the exact message `dealsim check` must print
//! for it (exit 2). After an intended change of wording:
//! `INSTA_UPDATE=always cargo test --release bad_inputs` (or `cargo insta review`), then read every
//! changed snapshot before committing.

use crate::common::{dealsim, repo};
use crate::exact::Test;
use crate::snapshots::assert_snapshot_in;

fn corpus() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/bad_inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_bad_input_exits_2_with_its_pinned_message() {
    let names = corpus();
    assert!(names.len() >= 60, "corpus too small: {}", names.len());
    for name in names {
        let file = format!("tests/bad_inputs/{name}.toml");
        let output = dealsim().args(["check", &file]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: expected exit 2, stderr:\n{stderr}");
        assert!(output.stdout.is_empty(), "{file}: nothing on stdout for a bad file");
        assert!(!stderr.contains("panicked"), "{file} panicked:\n{stderr}");
        assert!(stderr.contains(&file), "{file}: the message must name the file:\n{stderr}");
        assert_snapshot_in(&repo().join("tests/bad_inputs"), &format!("{name}.stderr"), &stderr);
    }
}

#[test]
fn a_directory_given_as_a_file_is_refused() {
    dealsim()
        .args(["check", "scenarios"])
        .assert()
        .code(2)
        .stderr("  x scenarios: this is a directory; expected a scenario file (.toml)\n");
}

#[test]
fn non_utf8_bytes_are_refused_with_their_offset() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.toml");
    std::fs::write(&file, b"name = \"caf\xe9\"\n").unwrap();
    dealsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the file is not UTF-8 text (invalid byte at offset 11)"));
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.toml");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    dealsim().arg("check").arg(&file).assert().code(2).stderr(predicates::str::contains(
        "the file is 52428800 bytes; scenario and agreement files are limited to 1048576 bytes",
    ));
}

#[test]
fn a_special_file_such_as_dev_zero_is_refused_as_what_it_is() {
    for command in ["terms", "check"] {
        Test::new()
            .args([command, "/dev/zero"])
            .status(2)
            .stderr("  x /dev/zero: this is a character device, not a file; expected a scenario or agreement file (.toml)\n")
            .run();
    }
}
