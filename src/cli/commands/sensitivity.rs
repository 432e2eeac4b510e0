//! `dealsim sensitivity`: each input across a range, ranked, and a tornado chart.

use super::super::{analysis, load_one, say, warn, write_all, wrote, ChartArgs};
use crate::error::Error;
use crate::report::{self, OutputOptions};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim sensitivity scenarios/base.toml
  dealsim sensitivity scenarios/base.toml --range cap=20B..60B --range discount_rate=0.05..0.10")]
pub struct Args {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// Override an input's range, NAME=LO..HI (repeatable); naming an input not in the default
    /// set adds it.
    #[arg(long = "range", value_name = "NAME=LO..HI")]
    pub ranges: Vec<String>,
    /// Where to write: OUT/<scenario>/sensitivity/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::ops::sensitivity as op;
    let loaded = load_one(&args.file, None)?;
    let ranges = op::ranges(&loaded, &args.ranges)?;
    let varied: Vec<String> = ranges.iter().map(|r| r.0.to_string()).collect();
    warn(&crate::scenario::varied_parameter_warnings(&loaded, &varied));
    let report =
        crate::analysis::sensitivity::sensitivity(&loaded, &ranges).map_err(analysis("sensitivity: "))?;
    let folder = args.out.join(&loaded.scenario.name).join("sensitivity");
    let files = op::files(&loaded, &report, &folder, args.charts.size(), options.units)?;
    write_all(&files, &loaded.source.path.display().to_string(), options)?;
    say(out, &report::sensitivity_table(&report))?;
    say(out, &wrote(&files))?;
    Ok(())
}
