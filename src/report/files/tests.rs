//! The output commit: all or nothing, one run per folder, safe against planted files and kills.

use super::commit::temporary_owner;
use super::*;

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_run_removes_what_the_first_wrote_and_it_did_not() {
    let dir = tempfile::tempdir().unwrap();
    let f = |name: &str| StagedFile::new(dir.path().join("out").join(name), name.as_bytes().to_vec());
    assert!(write_outputs(&[f("ledger.csv"), f("cashflows.png")], "a.toml").unwrap().is_empty());
    assert!(write_outputs(&[f("ledger.csv")], "a.toml").unwrap().is_empty());
    assert_eq!(names_in(&dir.path().join("out")), ["ledger.csv"]);
}

#[test]
fn results_of_another_input_are_reported_when_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let f = StagedFile::new(dir.path().join("out/ledger.csv"), b"x".to_vec());
    write_outputs(std::slice::from_ref(&f), "scenarios/base.toml").unwrap();
    let overwrites = write_outputs(&[f], "/tmp/copy-of-base.toml").unwrap();
    assert_eq!(overwrites.len(), 1);
    assert!(overwrites[0].to_string().contains("held the results of scenarios/base.toml"));
}

#[test]
fn two_runs_writing_one_folder_at_once_leave_the_files_of_exactly_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("out");
    for _ in 0..20 {
        let a: Vec<StagedFile> =
            ["a1", "a2", "a3"].iter().map(|n| StagedFile::new(folder.join(n), b"a".to_vec())).collect();
        let b: Vec<StagedFile> =
            ["b1", "b2"].iter().map(|n| StagedFile::new(folder.join(n), b"b".to_vec())).collect();
        std::thread::scope(|scope| {
            scope.spawn(|| write_outputs(&a, "a.toml").unwrap());
            scope.spawn(|| write_outputs(&b, "b.toml").unwrap());
        });
        let names = names_in(&folder);
        assert!(names == ["a1", "a2", "a3"] || names == ["b1", "b2"], "{names:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_the_lock_is_refused_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("out");
    std::fs::create_dir_all(&folder).unwrap();
    let outside = dir.path().join("outside.txt");
    std::os::unix::fs::symlink(&outside, folder.join(LOCK)).unwrap();
    let f = StagedFile::new(folder.join("ledger.csv"), b"x".to_vec());
    let error = write_outputs(&[f], "a.toml").unwrap_err();
    assert!(error.to_string().contains("symlink"), "{error}");
    assert!(!outside.exists(), "the lock's symlink was followed");
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_an_old_style_temporary_name_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("out");
    std::fs::create_dir_all(&folder).unwrap();
    let target = dir.path().join("victim.txt");
    std::fs::write(&target, b"keep me").unwrap();
    let planted = folder.join(format!(".ledger.csv.tmp-{}", std::process::id()));
    std::os::unix::fs::symlink(&target, &planted).unwrap();
    let f = StagedFile::new(folder.join("ledger.csv"), b"new".to_vec());
    write_outputs(&[f], "a.toml").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    assert_eq!(std::fs::read(folder.join("ledger.csv")).unwrap(), b"new");
}

#[test]
fn a_commit_a_killed_run_left_is_completed_by_the_next_run_into_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("out");
    let f = |name: &str, bytes: &[u8]| StagedFile::new(folder.join(name), bytes.to_vec());
    write_outputs(&[f("ledger.csv", b"old"), f("cashflows.png", b"old")], "a.toml").unwrap();
    // As a run killed after renaming its first file leaves it: a journal, a staging folder
    // still holding the rest, one file already in place.
    let stage = folder.join(format!("{STAGE_PREFIX}4000000000-abc"));
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(folder.join("ledger.csv"), b"killed").unwrap();
    std::fs::write(stage.join("summary.json"), b"killed").unwrap();
    let manifest =
        Manifest { source: "b.toml".into(), files: vec!["ledger.csv".into(), "summary.json".into()] };
    std::fs::write(stage.join(MANIFEST), serde_json::to_vec(&manifest).unwrap()).unwrap();
    let journal = Journal {
        stage: stage.file_name().unwrap().to_string_lossy().into_owned(),
        install: vec!["ledger.csv".into(), "summary.json".into(), MANIFEST.into()],
        remove: vec!["cashflows.png".into()],
    };
    std::fs::write(folder.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
    // A stale temporary of a process that no longer exists, too.
    std::fs::write(folder.join(".sweep.csv.tmp-4000000001-xyz"), b"partial").unwrap();
    // The next run finds the killed commit, completes it, then writes its own.
    let overwrites = write_outputs(&[f("ledger.csv", b"next")], "c.toml").unwrap();
    assert_eq!(overwrites.len(), 1);
    assert!(overwrites[0].to_string().contains("held the results of b.toml"), "{}", overwrites[0]);
    let mut all: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    all.sort();
    assert_eq!(all, [MANIFEST, LOCK, "ledger.csv"]);
    assert_eq!(std::fs::read(folder.join("ledger.csv")).unwrap(), b"next");
}

#[test]
fn temporaries_are_recognised_by_their_owner_process() {
    assert_eq!(temporary_owner(".dealsim-stage-123-aBc"), Some(123));
    assert_eq!(temporary_owner(".sweep.csv.tmp-77-xY"), Some(77));
    assert_eq!(temporary_owner(".ledger.csv.tmp-77"), Some(77));
    assert_eq!(temporary_owner("ledger.csv"), None);
    assert_eq!(temporary_owner(".dealsim-manifest"), None);
}

#[test]
fn all_files_land_and_no_temporary_stays() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![
        StagedFile::new(dir.path().join("a/x.csv"), b"x".to_vec()),
        StagedFile::new(dir.path().join("a/y.json"), b"{}".to_vec()),
    ];
    write_files(&files).unwrap();
    assert_eq!(names_in(&dir.path().join("a")), ["x.csv", "y.json"]);
    let hidden: Vec<String> = std::fs::read_dir(dir.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != LOCK && n != MANIFEST)
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_failed_write_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("ledger.csv");
    std::fs::write(&good, b"previous").unwrap();
    // The second file's folder is a regular file, so creating it fails after the first staged.
    std::fs::write(dir.path().join("blocker"), b"").unwrap();
    let files = vec![
        StagedFile::new(good.clone(), b"new".to_vec()),
        StagedFile::new(dir.path().join("blocker/summary.json"), b"{}".to_vec()),
    ];
    assert!(write_files(&files).is_err());
    assert_eq!(std::fs::read(&good).unwrap(), b"previous");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
