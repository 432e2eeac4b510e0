//! `dealsim goalseek`: the input value that reaches a target, by bisection.

use super::super::{load_one, say, warn};
use crate::error::Error;
use crate::report::OutputOptions;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim goalseek scenarios/base.toml --vary cap --target cap_year=2028
  dealsim goalseek scenarios/base.toml --vary share_rate --target paid=30B")]
pub struct Args {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// What to reach: paid=30B (total paid to Microsoft), net=…, pv=… (present value of the net),
    /// or cap_year=2028 (the cap reached in or before that year).
    #[arg(long)]
    pub target: String,
    /// The input to solve for (help from the parameter registry).
    #[arg(long, help = crate::analysis::params::registry::vary_help())]
    pub vary: String,
    /// Where to search, LO..HI (defaults per input, e.g. cap 0..1T, growth -50%..100%).
    #[arg(long, allow_hyphen_values = true)]
    pub range: Option<String>,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_one(&args.file, None)?;
    let question = crate::ops::goalseek::question(&loaded, &args.target, &args.vary, args.range.as_deref())?;
    warn(&question.warnings);
    say(out, &crate::ops::goalseek::answer(&loaded, &question)?)
}
