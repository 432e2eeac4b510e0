//! `dealsim sensitivity`: each input across a range, ranked, and a tornado chart.

use super::super::{analysis, load_one, say, warn, write_all, wrote, ChartArgs};
use crate::chart;
use crate::error::Error;
use crate::report::{self, OutputOptions, StagedFile};
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
    use crate::analysis::{params, sensitivity};
    let usage = |e: String| vec![Error::Usage(e)];
    let loaded = load_one(&args.file, None)?;
    let mut ranges: Vec<(params::Param, params::Value, params::Value, String)> =
        sensitivity::default_ranges(&loaded)
            .into_iter()
            .map(|(p, lo, hi, why)| (p, lo, hi, why.to_string()))
            .collect();
    for text in &args.ranges {
        let (name, range) =
            text.split_once('=').ok_or_else(|| usage(format!("--range `{text}` is not NAME=LO..HI")))?;
        let param = params::Param::parse(name).map_err(analysis("--range "))?;
        let (lo, hi) = param.range(range).map_err(analysis("--range "))?;
        let entry = (param.clone(), lo, hi, "given with --range".to_string());
        match ranges.iter_mut().find(|r| r.0 == param) {
            Some(existing) => *existing = entry,
            None => ranges.push(entry),
        }
    }
    let varied: Vec<String> = ranges.iter().map(|r| r.0.to_string()).collect();
    warn(&crate::scenario::varied_parameter_warnings(&loaded, &varied));
    let report = sensitivity::sensitivity(&loaded, &ranges).map_err(analysis("sensitivity: "))?;
    let folder = args.out.join(&loaded.scenario.name).join("sensitivity");
    let mut files = vec![StagedFile::new(
        report::Output::SensitivityCsv.in_folder(&folder),
        report::sensitivity_csv(&report, options.units).map_err(Error::from)?,
    )];
    if !args.charts.no_charts {
        let tornado = chart::TornadoChart { report: &report, scenario: &loaded.scenario.name };
        files.extend(crate::ops::files::draw_chart(&tornado, args.charts.chart_size, &folder)?);
    }
    write_all(&files, &loaded.source.path.display().to_string(), options)?;
    say(out, &report::sensitivity_table(&report))?;
    say(out, &wrote(&files))?;
    Ok(())
}
