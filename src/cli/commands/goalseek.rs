//! `dealsim goalseek`: the input value that reaches a target, by bisection.

use super::super::{analysis, load_one, say, warn};
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
    use crate::analysis::{goalseek, params};
    let usage = |e: String| vec![Error::Usage(e)];
    let loaded = load_one(&args.file, None)?;
    let target = goalseek::Target::parse(&args.target).map_err(analysis(""))?;
    let param = params::Param::parse(&args.vary).map_err(analysis("--vary "))?;
    warn(&crate::scenario::varied_parameter_warnings(&loaded, &[param.to_string()]));
    let (default_lo, default_hi, tolerance) = goalseek::default_range(&param)
        .ok_or_else(|| usage(format!("--vary {param}: goal seeking works on numeric inputs only")))?;
    let (lo, hi) = match &args.range {
        None => (default_lo, default_hi),
        Some(text) => {
            let number = |v: params::Value| match v {
                params::Value::Number(n) => Ok(n),
                params::Value::Date(_) | params::Value::Never => {
                    Err(usage(format!("--range: {param} is not a date")))
                }
            };
            let (lo, hi) = param.range(text).map_err(analysis("--range "))?;
            (number(lo)?, number(hi)?)
        }
    };
    let result =
        goalseek::seek(&loaded, &param, target, lo, hi, tolerance).map_err(analysis("goalseek: "))?;
    if result.answer.is_none() {
        // The question has no answer in the range: a failure to answer it (exit 1), with the
        // closest the range got, not a success a script would read as an answer.
        return Err(vec![Error::NoSolution(format!(
            "{}. Widen --range, or check the target can be reached at all.",
            result.message
        ))]);
    }
    say(out, &result.message)?;
    Ok(())
}
