//! The house rules of docs/ARCHITECTURE.md, checked on the source: imports run one way through
//! the stages, no file grows past ~400 lines without saying why at its top, no function past ~80.

use crate::common::repo;
use std::path::{Path, PathBuf};

/// The stages in order: a module may use its own stage and earlier ones, never a later one.
/// (`report` and `chart` are one stage: both present what earlier stages computed.)
const LAYERS: &[&[&str]] = &[
    &["money", "period", "text"],
    &["agreement"],
    &["scenario"],
    &["ledger"],
    &["engine"],
    &["analysis"],
    &["report", "chart"],
    &["error"],
    &["ops"],
    &["diagnostic"],
    &["cli"],
    &["lib", "main"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|names| names.contains(&module))
}

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The top-level module a source file belongs to: `src/engine/mod.rs` → `engine`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::name` a file refers to, in `use` lines or inline paths, including the names in
/// `use crate::{a, b::c}`.
fn referenced_modules(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(inner.split(',').map(|p| p.trim().split("::").next().unwrap_or("").to_string()));
        } else {
            out.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn imports_run_one_way_through_the_stages() {
    let src = repo().join("src");
    let mut against = Vec::new();
    for file in sources(&src) {
        let module = module_of(&src, &file);
        let Some(own) = layer(&module) else {
            panic!("{}: module `{module}` is not in LAYERS", file.display())
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for target in referenced_modules(&text) {
            if let Some(theirs) = layer(&target) {
                if theirs > own {
                    against.push(format!(
                        "{}: `{module}` uses `crate::{target}`, a later stage",
                        file.display()
                    ));
                }
            }
        }
    }
    against.sort();
    against.dedup();
    assert!(against.is_empty(), "imports against the flow (docs/ARCHITECTURE.md):\n{}", against.join("\n"));
}

#[test]
fn the_layer_check_sees_grouped_and_inline_paths() {
    assert_eq!(referenced_modules("use crate::{ledger::X, engine};"), ["ledger", "engine"]);
    assert_eq!(referenced_modules("let x = crate::money::round(y);"), ["money"]);
}
#[test]
fn no_file_over_400_lines_without_a_reason_at_its_top_and_no_function_over_80() {
    let src = repo().join("src");
    let mut problems = Vec::new();
    for file in sources(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // Unit tests at the bottom of a file do not count toward its size.
        let code = lines.iter().position(|l| l.trim() == "#[cfg(test)]").unwrap_or(lines.len());
        let head: String = lines.iter().take(12).copied().collect::<Vec<_>>().join("\n");
        if code > 400 && !head.contains("Longer than") {
            problems
                .push(format!("{}: {code} lines and no \"Longer than …\" reason at its top", file.display()));
        }
        // A function runs from its `fn` line to the next line closing at the same indentation.
        for (start, line) in lines.iter().enumerate().take(code) {
            let trimmed = line.trim_start();
            let is_fn =
                ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "].iter().any(|p| trimmed.starts_with(p));
            if !is_fn || line.trim_end().ends_with(';') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let close = format!("{}}}", " ".repeat(indent));
            if let Some(length) = lines[start..].iter().position(|l| l.trim_end() == close) {
                if length > 80 {
                    problems.push(format!("{}:{}: a function of {length} lines", file.display(), start + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
