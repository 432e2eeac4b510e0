//! `dealsim sweep`: every combination of parameter values, a CSV and a heat map or line.

use super::super::{load_one, progress_bar, say, warn, write_all_with, wrote, ChartArgs};
use crate::analysis::sweep;
use crate::chart;
use crate::error::Error;
use crate::report::{self, OutputOptions, StagedFile};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim sweep scenarios/base.toml --set cap=20B..80B:10B --set share_rate=0.15,0.20
  dealsim sweep scenarios/base.toml --set cap=20B..80B:10B --metric pv
  dealsim sweep scenarios/base.toml --set cap=1B..1000B:1B --set share_rate=0.0001..0.1:0.0001 --gzip --no-charts")]
pub struct Args {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// NAME=VALUES (help from the parameter registry, `analysis::params::registry`).
    #[arg(long = "set", required = true, value_name = "NAME=VALUES", help = crate::analysis::params::registry::set_help(
        "NAME=VALUES: a range `20B..80B:10B`, a list `0.15,0.20` or one value. Repeat for more parameters."
    ))]
    pub settings: Vec<String>,
    /// The heat map's horizontal parameter (default: the first --set).
    #[arg(long)]
    pub x: Option<String>,
    /// The heat map's vertical parameter (default: the second --set, if any).
    #[arg(long)]
    pub y: Option<String>,
    /// What the heat map shows (default: total paid, or the first of present value and net that
    /// varies over the sweep when total paid does not, as when the cap binds at every point).
    #[arg(long, value_enum)]
    pub metric: Option<chart::Metric>,
    /// Write sweep.csv gzip-compressed, as sweep.csv.gz (a 1000 × 1000 grid: 59 MB → 16 MB).
    #[arg(long)]
    pub gzip: bool,
    /// Where to write: OUT/<scenario>/sweep/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_one(&args.file, None)?;
    let (settings, size) = crate::ops::sweep::grid(&args.settings, "--set ")?;
    let names: Vec<String> = settings.iter().map(|(p, _)| p.to_string()).collect();
    warn(&crate::scenario::varied_parameter_warnings(&loaded, &names));
    let (x, y) = chart_axes(args, &names)?;
    let bar = progress_bar(size as u64, (size * loaded.scenario.periods.len()) as u64, "sweep");
    let folder = args.out.join(&loaded.scenario.name).join("sweep");
    let csv_name =
        if args.gzip { report::Output::SweepCsvGz.name() } else { report::Output::SweepCsv.name() };
    let (result, csv_target) = crate::ops::sweep::stream(
        &loaded,
        &settings,
        (x, y),
        (&folder.join(csv_name), args.gzip),
        options,
        &|n| bar.inc(n),
        &super::super::interrupted,
    )?;
    bar.finish_and_clear();
    let (metric, why) = crate::ops::sweep::choose_metric(args.metric, &result);
    let mut files = Vec::new();
    if !args.charts.no_charts {
        files.extend(sweep_chart(args, metric, &result, &loaded.scenario.name, y.is_some(), &folder)?);
    }
    write_all_with(&files, vec![csv_target], &loaded.source.path.display().to_string(), options)?;
    say_extremes(metric, &result, &names, &loaded.scenario.name, out)?;
    if let Some(why) = why {
        say(out, &why)?;
    }
    let mut written = vec![StagedFile::new(folder.join(csv_name), Vec::new())];
    written.extend(files);
    say(out, &wrote(&written))?;
    Ok(())
}

/// The parameters a chart shows: `--x` and `--y` by name (defaults: the first and second
/// `--set`); the same parameter twice is refused.
fn chart_axes(args: &Args, names: &[String]) -> Result<(usize, Option<usize>), Vec<Error>> {
    use crate::analysis::params;
    let axis =
        |flag: &str, name: &Option<String>, default: Option<usize>| -> Result<Option<usize>, Vec<Error>> {
            match name {
                None => Ok(default),
                Some(n) => {
                    let wanted = params::Param::parse(n)
                        .map_err(|e| vec![Error::Usage(format!("--{flag}: {e}"))])?
                        .to_string();
                    names.iter().position(|p| *p == wanted).map(Some).ok_or_else(|| {
                        vec![Error::Usage(format!(
                            "--{flag} {n}: not one of the swept parameters ({})",
                            names.join(", ")
                        ))]
                    })
                }
            }
        };
    let x = axis("x", &args.x, Some(0))?.unwrap_or(0);
    let y = axis("y", &args.y, (names.len() > 1).then_some(if x == 1 { 0 } else { 1 }))?;
    if y == Some(x) {
        return Err(vec![Error::Usage(format!(
            "--x and --y are both `{}`: a heat map needs two different swept parameters",
            names[x]
        ))]);
    }
    Ok((x, y))
}

/// The heat map of two swept parameters, or a line for one.
fn sweep_chart(
    args: &Args,
    metric: chart::Metric,
    result: &sweep::Streamed,
    scenario: &str,
    two_axes: bool,
    folder: &std::path::Path,
) -> Result<Vec<StagedFile>, Vec<Error>> {
    if two_axes {
        let heatmap = chart::HeatmapChart { sweep: result, scenario, metric };
        Ok(crate::ops::files::draw_chart(&heatmap, args.charts.chart_size, folder)?)
    } else {
        let line = chart::SweepLineChart { sweep: result, scenario, metric };
        Ok(crate::ops::files::draw_chart(&line, args.charts.chart_size, folder)?)
    }
}

/// "Swept … over N points", then the lowest and highest figure and where they are.
fn say_extremes(
    metric: chart::Metric,
    result: &sweep::Streamed,
    names: &[String],
    scenario: &str,
    out: &mut dyn Write,
) -> Result<(), Vec<Error>> {
    say(out, &format!("Swept `{}` over {} points ({}).", scenario, result.points, names.join(" × ")))?;
    let index = sweep::Figure::ALL.iter().position(|f| *f == metric.figure()).unwrap_or(0);
    let Some((low, high)) = result.extremes.get(index) else { return Ok(()) };
    for (label, located) in [("Lowest", low), ("Highest", high)] {
        let at: Vec<String> = result
            .params
            .iter()
            .zip(&located.at)
            .enumerate()
            .map(|(k, (name, i))| format!("{name}={}", result.labels[k][*i]))
            .collect();
        say(
            out,
            &format!(
                "{label}: {} {} at {}",
                metric.title(),
                crate::money::Human(metric.of(&located.point)),
                at.join(", ")
            ),
        )?;
    }
    Ok(())
}
