//! `dealsim check`: validate scenario, agreement and timeline files without simulating or
//! writing.

use super::super::{load_one, say};
use crate::error::Error;
use crate::report::OutputOptions;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim check scenarios/base.toml
  dealsim check scenarios/*.toml
  dealsim check scenarios/agreements/revised-with-floor.toml")]
pub struct Args {
    /// Scenario files, or agreement and timeline files (TOML: a file with [[clauses]] or
    /// [[versions]] is read as an agreement).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let files = &args.files;
    let mut errors = Vec::new();
    for file in files {
        if is_agreement_file(file) {
            match crate::scenario::load_agreement_file(file) {
                Ok(agreement) => {
                    say(out, &format!("ok: {} ({})", file.display(), agreement_words(&agreement)))?
                }
                Err(e) => errors.push(Error::from(e)),
            }
            continue;
        }
        match load_one(file, None) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                let years = match (s.periods.first(), s.periods.last()) {
                    (Some(first), Some(last)) => format!("{}–{}", first.label, last.label),
                    _ => "no periods".to_string(),
                };
                say(
                    out,
                    &format!(
                        "ok: {} (scenario `{}`, agreement `{}`, {years})",
                        file.display(),
                        s.name,
                        loaded.agreement.name
                    ),
                )?;
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether a file is an agreement or a timeline (it lists `[[clauses]]` or `[[versions]]`) rather
/// than a scenario. A file that cannot be read or parsed is taken for a scenario, whose reader
/// then says what is wrong with it.
fn is_agreement_file(file: &std::path::Path) -> bool {
    let readable =
        std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() <= crate::scenario::MAX_FILE_BYTES);
    if !readable {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(file) else { return false };
    crate::agreement::file::parse(&text).is_ok_and(|doc| {
        let keys = doc.get_ref();
        (keys.contains_key("clauses") || keys.contains_key("versions")) && !keys.contains_key("revenue")
    })
}

/// "agreement `revised`, 4 clauses" or "timeline `microsoft-openai`, 3 versions".
fn agreement_words(agreement: &crate::Agreement) -> String {
    match &agreement.timeline {
        Some(t) => format!(
            "timeline `{}`, {} versions, {} clauses compiled",
            t.name,
            t.versions.len(),
            agreement.clauses.len()
        ),
        None => format!("agreement `{}`, {} clauses", agreement.name, agreement.clauses.len()),
    }
}
