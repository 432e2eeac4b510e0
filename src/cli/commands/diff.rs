//! `dealsim diff`: what changed from one agreement (or point of a timeline) to another.

use super::super::say;
use crate::agreement;
use crate::error::Error;
use crate::report::OutputOptions;
use crate::scenario;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim diff pre-revision revised
  dealsim diff microsoft-openai@2025-11-01 microsoft-openai@2026-05-01")]
pub struct Args {
    /// The earlier agreement (built-in name or file).
    pub a: String,
    /// The later agreement (built-in name or file).
    pub b: String,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let (a, b) = (args.a.as_str(), args.b.as_str());
    let older = scenario::load_agreement(a).map_err(Error::from)?;
    let newer = scenario::load_agreement(b).map_err(Error::from)?;
    let changes = agreement::diff::diff(&older, &newer);
    if changes.is_empty() {
        return say(out, &format!("No differences between `{}` and `{}`.", older.name, newer.name));
    }
    say(out, &format!("Changes from `{}` to `{}`:", older.name, newer.name))?;
    for change in changes {
        say(out, &format!("- {change}"))?;
    }
    Ok(())
}
