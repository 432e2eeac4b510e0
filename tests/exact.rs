//! `Test`, the exact-output harness for command tests (in the spirit of just's `Test`): a test
//! names the arguments, any files (dealsim reads no stdin), and the expected stdout, stderr and exit status,
//! and all three are compared exactly. Nothing unstated passes: a test that does not say what
//! stderr holds expects it empty, and one that does not give a status expects 0.
//!
//! Each test gets a scratch folder; `{dir}` in an argument or a file's text stands for it, and the
//! folder's path in what the binary prints is shown as `{dir}` before comparing, so expected text
//! is the same on every machine. The binary runs in the repository, so `scenarios/base.toml`
//! names the shipped file.

use crate::common::{dealsim, repo};
use std::path::{Path, PathBuf};

/// What a check of one stream is: the whole text, or (only where the rest is pinned elsewhere,
/// as a run's table is by the snapshots) lines it must contain.
enum Expected {
    Exactly(String),
    Lines(Vec<String>),
}

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    in_scratch: bool,
    env: Vec<(String, String)>,
    stdout: Expected,
    stderr: Expected,
    status: i32,
}

/// What a finished test leaves for further checks: its scratch folder and stdout.
pub struct Ran {
    pub dir: tempfile::TempDir,
    pub stdout: String,
}

impl Ran {
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }
}

impl Test {
    pub fn new() -> Test {
        Test {
            dir: tempfile::tempdir().unwrap(),
            args: Vec::new(),
            in_scratch: false,
            env: Vec::new(),
            stdout: Expected::Exactly(String::new()),
            stderr: Expected::Exactly(String::new()),
            status: 0,
        }
    }

    pub fn args<const N: usize>(mut self, args: [&str; N]) -> Test {
        let dir = self.dir_text();
        self.args.extend(args.iter().map(|a| a.replace("{dir}", &dir)));
        self
    }

    /// Writes `text` to `name` in the scratch folder (`{dir}` in it replaced).
    pub fn file(self, name: &str, text: &str) -> Test {
        let text = text.replace("{dir}", &self.dir_text());
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Writes a copy of the shipped scenario `shipped` to `name`, with each `(from, to)` edit made
    /// (each must match, so a test cannot silently run the unedited file).
    pub fn edited(self, name: &str, shipped: &str, edits: &[(&str, &str)]) -> Test {
        let mut text = std::fs::read_to_string(repo().join(shipped)).unwrap();
        for (from, to) in edits {
            assert!(text.contains(from), "{shipped} has no `{from}` to edit");
            text = text.replace(from, to);
        }
        self.file(name, &text)
    }

    /// Runs the binary in the scratch folder instead of the repository (for what a command does
    /// with relative paths, such as writing `output/` by default).
    pub fn in_scratch(mut self) -> Test {
        self.in_scratch = true;
        self
    }

    /// Sets an environment variable for the run (`COLUMNS` is otherwise removed, so a table's
    /// width does not depend on the terminal the tests run in).
    pub fn env(mut self, name: &str, value: &str) -> Test {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    pub fn stdout(mut self, text: &str) -> Test {
        self.stdout = Expected::Exactly(text.to_string());
        self
    }

    pub fn stderr(mut self, text: &str) -> Test {
        self.stderr = Expected::Exactly(text.to_string());
        self
    }

    /// Stdout must hold each of these as a whole line, in this order (for outputs whose full text
    /// is pinned by a snapshot elsewhere).
    pub fn stdout_lines(mut self, lines: &[&str]) -> Test {
        self.stdout = Expected::Lines(lines.iter().map(|l| l.to_string()).collect());
        self
    }

    pub fn status(mut self, status: i32) -> Test {
        self.status = status;
        self
    }

    fn dir_text(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// Runs the binary and compares; panics with both texts on any difference.
    pub fn run(self) -> Ran {
        let mut cmd = dealsim();
        cmd.args(&self.args).timeout(std::time::Duration::from_secs(120)).env_remove("COLUMNS");
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        if self.in_scratch {
            cmd.current_dir(self.dir.path());
        }
        let output = cmd.output().unwrap();
        let dir = self.dir_text();
        let shown = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).unwrap().replace(&dir, "{dir}");
        let (stdout, stderr) = (shown(&output.stdout), shown(&output.stderr));
        let context = format!("dealsim {}\n--- stdout\n{stdout}--- stderr\n{stderr}", self.args.join(" "));
        assert_eq!(output.status.code(), Some(self.status), "exit status of {context}");
        compare("stdout", &self.stdout, &stdout, &context);
        compare("stderr", &self.stderr, &stderr, &context);
        Ran { dir: self.dir, stdout }
    }
}

fn compare(stream: &str, expected: &Expected, actual: &str, context: &str) {
    match expected {
        Expected::Exactly(text) => {
            if text != actual {
                let line = first_difference(text, actual);
                panic!("{stream} differs from line {line}\n--- expected {stream}\n{text}{context}");
            }
        }
        Expected::Lines(lines) => {
            let mut rest = actual.lines();
            for wanted in lines {
                assert!(rest.any(|l| l == wanted), "{stream} has no line `{wanted}` (in order)\n{context}");
            }
        }
    }
}

fn first_difference(expected: &str, actual: &str) -> usize {
    let mut a = actual.lines();
    for (i, line) in expected.lines().enumerate() {
        if a.next() != Some(line) {
            return i + 1;
        }
    }
    expected.lines().count() + 1
}

/// The files below `root`, relative to it and sorted (for tests that nothing, or one set, was
/// written).
pub fn files_under(root: &Path) -> Vec<String> {
    crate::common::files_in(root)
        .iter()
        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
        .collect()
}
