//! `dealsim check`: validate scenario files without simulating or writing.

use super::super::{load_one, say};
use crate::error::Error;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim check scenarios/base.toml
  dealsim check scenarios/*.toml")]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn exec(args: &Args, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let files = &args.files;
    let mut errors = Vec::new();
    for file in files {
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
