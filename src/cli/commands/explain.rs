//! `dealsim explain`: each figure of one period's row with the clause and arithmetic behind it.

use super::super::{load_one, say};
use crate::error::Error;
use crate::report;
use crate::report::OutputOptions;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim explain scenarios/base.toml --year 2028
  dealsim explain scenarios/history.toml --year 2024 --json")]
pub struct Args {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// The year (or period label, e.g. 2025-Q3) to explain.
    #[arg(long)]
    pub year: String,
    /// Print the trace as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let (file, year, json) = (args.file.as_path(), args.year.as_str(), args.json);
    use crate::analysis::explain;
    let loaded = load_one(file, None)?;
    let (ledger, _) = crate::ops::run::simulate(&loaded)?;
    let index = ledger.rows.iter().position(|r| r.period.label == year).ok_or_else(|| {
        let labels: Vec<&str> = ledger.rows.iter().map(|r| r.period.label.as_str()).collect();
        vec![Error::Usage(format!(
            "--year {year}: scenario `{}` has no such period; it has {}",
            loaded.scenario.name,
            labels.join(", ")
        ))]
    })?;
    let Some(explanation) = explain::explain(&ledger, &loaded.agreement, &loaded.scenario, index) else {
        return Ok(());
    };
    if json {
        let bytes = report::pretty_json("explanation", &explanation).map_err(Error::from)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return say(out, text.trim_end());
    }
    say(
        out,
        &format!(
            "Scenario `{}` under `{}`, {}:",
            explanation.scenario, explanation.agreement, explanation.period
        ),
    )?;
    for figure in &explanation.figures {
        say(out, &format!("- {}", figure.explanation))?;
    }
    Ok(())
}
