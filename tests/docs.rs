//! The docs are tested: every command in a ```sh block of README.md and scenarios/README.md runs
//! (in a scratch folder holding the repository's scenarios) and exits 0, or the status a
//! `# exits N` line before it gives; a ```text block right after it is what the block's commands
//! show: each line appears in their output, in order (a line ending in "…" is a prefix). Blocks marked ```sh not-run (fuzzing: 30 minutes) are skipped, and so is
//! `cargo test` (this test). Every TOML scenario shown in scenarios/README.md passes `check`.

use crate::common::repo;

/// (command lines, expected output lines) for each runnable ```sh block.
fn command_blocks(markdown: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() != "```sh" {
            continue;
        }
        let commands: Vec<String> =
            lines.by_ref().take_while(|l| l.trim() != "```").map(str::to_string).collect();
        while lines.peek().is_some_and(|l| l.trim().is_empty()) {
            lines.next();
        }
        let mut expected = Vec::new();
        if lines.peek().is_some_and(|l| l.trim() == "```text") {
            lines.next();
            expected = lines.by_ref().take_while(|l| l.trim() != "```").map(str::to_string).collect();
        }
        blocks.push((commands, expected));
    }
    blocks
}

/// The dealsim arguments of a documented command line, or `None` for one that is not dealsim.
fn dealsim_args(line: &str) -> Option<Vec<String>> {
    let line = line.split(" #").next().unwrap_or(line).trim();
    let rest = line.strip_prefix("cargo run --release -- ").or_else(|| line.strip_prefix("dealsim "))?;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["scenarios", "tests"] {
        std::os::unix::fs::symlink(repo().join(folder), dir.path().join(folder)).unwrap();
    }
    dir
}

fn check_file(file: &str) -> usize {
    let markdown = std::fs::read_to_string(repo().join(file)).unwrap();
    let mut ran = 0;
    for (commands, expected) in command_blocks(&markdown) {
        let dir = scratch();
        let mut last_output = String::new();
        // `# exits N` before a command: the status it must end with (0 otherwise).
        let mut expected_status = 0;
        for line in &commands {
            if let Some(code) = line.trim().strip_prefix("# exits ") {
                expected_status = code.trim().parse().expect("`# exits N` takes a number");
                continue;
            }
            if line.trim().is_empty()
                || line.trim_start().starts_with('#')
                || line.trim_start().starts_with("cargo test")
            {
                continue;
            }
            let args = dealsim_args(line).unwrap_or_else(|| {
                panic!("{file}: `{line}` is not a dealsim command; mark the block ```sh not-run")
            });
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_dealsim"))
                .args(&args)
                .current_dir(dir.path())
                .env_remove("COLUMNS")
                .output()
                .unwrap();
            assert_eq!(
                output.status.code(),
                Some(expected_status),
                "{file}: `{line}` exited with {} (a `# exits N` line before it says what it should):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
            expected_status = 0;
            last_output.push_str(&String::from_utf8_lossy(&output.stdout));
            last_output.push_str(&String::from_utf8_lossy(&output.stderr));
            ran += 1;
        }
        let mut rest = last_output.as_str();
        for want in expected.iter().filter(|l| !l.trim().is_empty()) {
            let prefix = want.strip_suffix('…').unwrap_or(want).trim_end();
            let found = rest.lines().position(|l| l.starts_with(prefix) || l.trim_end() == prefix);
            let Some(at) = found else {
                panic!("{file}: after `{}`, expected a line starting\n  {prefix}\nin what is left of the output:\n{rest}", commands.join(" / "));
            };
            let skip: usize = rest.lines().take(at + 1).map(|l| l.len() + 1).sum();
            rest = &rest[skip.min(rest.len())..];
        }
    }
    ran
}

#[test]
fn every_command_in_the_readme_runs_and_shows_what_the_readme_says() {
    assert!(check_file("README.md") >= 3, "the README shows at least three commands");
}

/// The book's chapters (docs/book/src), but those that only include another file.
fn book_chapters() -> Vec<String> {
    let mut chapters: Vec<String> = std::fs::read_dir(repo().join("docs/book/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| !std::fs::read_to_string(p).unwrap().trim_start().starts_with("{{#include"))
        .map(|p| p.strip_prefix(repo()).unwrap().display().to_string())
        .collect();
    chapters.sort();
    chapters
}

#[test]
fn every_command_in_the_book_runs_and_shows_what_the_book_says() {
    let chapters = book_chapters();
    assert!(chapters.len() >= 10, "{chapters:?}");
    let ran: usize = chapters.iter().map(|c| check_file(c)).sum();
    assert!(ran >= 15, "the book shows {ran} commands");
}

/// Every chapter the book's summary lists exists, and every chapter is listed: nothing is lost
/// from the book or left out of it.
#[test]
fn the_books_summary_lists_every_chapter() {
    let summary = std::fs::read_to_string(repo().join("docs/book/src/SUMMARY.md")).unwrap();
    let listed: Vec<&str> = summary.split("](").skip(1).map(|rest| rest.split(')').next().unwrap()).collect();
    for chapter in &listed {
        assert!(repo().join("docs/book/src").join(chapter).exists(), "SUMMARY.md lists a missing {chapter}");
    }
    for entry in std::fs::read_dir(repo().join("docs/book/src")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name == "SUMMARY.md" || listed.contains(&name.as_str()), "{name} is not in SUMMARY.md");
    }
}

#[test]
fn every_command_in_the_scenarios_readme_runs_and_shows_what_it_says() {
    check_file("scenarios/README.md");
}

#[test]
fn every_scenario_shown_in_the_scenarios_readme_is_valid() {
    let markdown = std::fs::read_to_string(repo().join("scenarios/README.md")).unwrap();
    let mut lines = markdown.lines();
    let mut checked = 0;
    while let Some(line) = lines.next() {
        if line.trim() != "```toml" {
            continue;
        }
        let text: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        let text = text.join("\n");
        if !text.contains("[revenue.openai]") {
            continue;
        }
        let dir = scratch();
        let path = dir.path().join("example.toml");
        std::fs::write(&path, &text).unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dealsim"))
            .args(["check", "example.toml"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
        checked += 1;
    }
    assert!(checked >= 1, "scenarios/README.md shows a full scenario");
}

#[test]
fn no_doc_or_file_cites_a_source_users_do_not_have() {
    for file in ["README.md", "scenarios/README.md", "docs/ARCHITECTURE.md"] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        for bad in ["DOMAIN.md", "../shared", "seed 00"] {
            assert!(!text.contains(bad), "{file} cites `{bad}`; cite docs/SOURCES.md instead");
        }
    }
}

#[test]
fn the_book_documents_every_file_a_command_writes() {
    // The names come from the one list of outputs (`report::Output`); the book, with the
    // scenarios README it includes, must say what each file is.
    let mut book = std::fs::read_to_string(repo().join("scenarios/README.md")).unwrap();
    for entry in std::fs::read_dir(repo().join("docs/book/src")).unwrap() {
        book.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let missing: Vec<&str> =
        dealsim::report::Output::ALL.iter().map(|o| o.name()).filter(|name| !book.contains(name)).collect();
    assert!(missing.is_empty(), "the book never mentions {missing:?}");
}
