//! `dealsim sweep`: every combination of parameter values, a CSV and a heat map or line.

use super::super::{draw_chart, load_one, progress_bar, say, warn, write_all, wrote, ChartArgs};
use crate::analysis::sweep;
use crate::chart;
use crate::error::Error;
use crate::report::{self, StagedFile};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// NAME=VALUES: a range `20B..80B:10B`, a list `0.15,0.20` or one value. Repeat for more
    /// parameters. Names: cap, rate, share_base, effective_date, prior_payments_toward_cap,
    /// discount_rate, growth, revenue_scale, <clause-id>.rate, <clause-id>.cap.
    #[arg(long = "set", required = true, value_name = "NAME=VALUES")]
    pub settings: Vec<String>,
    /// The heat map's horizontal parameter (default: the first --set).
    #[arg(long)]
    pub x: Option<String>,
    /// The heat map's vertical parameter (default: the second --set, if any).
    #[arg(long)]
    pub y: Option<String>,
    /// What the heat map shows.
    #[arg(long, value_enum, default_value = "paid")]
    pub metric: chart::Metric,
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::params;
    let loaded = load_one(&args.file)?;
    let settings = args
        .settings
        .iter()
        .map(|s| params::parse_setting(s, sweep::MAX_POINTS))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| vec![Error::Usage(format!("--set {e}"))])?;
    let size = sweep::grid_size(&settings).map_err(|e| vec![Error::Usage(format!("sweep refused: {e}"))])?;
    let names: Vec<String> = settings.iter().map(|(p, _)| p.to_string()).collect();
    warn(&crate::scenario::varied_parameter_warnings(&loaded, &names));
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
    let y = axis("y", &args.y, (settings.len() > 1).then_some(if x == 1 { 0 } else { 1 }))?;
    if y == Some(x) {
        return Err(vec![Error::Usage(format!(
            "--x and --y are both `{}`: a heat map needs two different swept parameters",
            names[x]
        ))]);
    }
    let bar = progress_bar(size as u64, (size * loaded.scenario.periods.len()) as u64, "sweep");
    let result = sweep::sweep(&loaded, &settings, &|| bar.inc(1))
        .map_err(|e| vec![Error::Usage(format!("sweep: {e}"))])?;
    bar.finish_and_clear();
    let folder = args.out.join(&loaded.scenario.name).join("sweep");
    let mut files = vec![StagedFile {
        path: folder.join("sweep.csv"),
        bytes: report::sweep_csv(&result).map_err(|e| vec![Error::from(e)])?,
    }];
    if !args.charts.no_charts {
        files.extend(sweep_chart(args, &result, &loaded.scenario.name, (x, y), &folder)?);
    }
    write_all(&files, &loaded.source.path.display().to_string())?;
    say_extremes(args, &result, &names, &loaded.scenario.name, out)?;
    say(out, &wrote(&files))?;
    Ok(())
}

/// The heat map of two swept parameters, or a line for one.
fn sweep_chart(
    args: &Args,
    result: &sweep::Sweep,
    scenario: &str,
    (x, y): (usize, Option<usize>),
    folder: &std::path::Path,
) -> Result<Vec<StagedFile>, Vec<Error>> {
    // One swept parameter is a line; a heat map needs two.
    if let Some(y) = y {
        let heatmap = chart::HeatmapChart { sweep: result, scenario, x, y, metric: args.metric };
        draw_chart(&heatmap, args.charts.chart_size, folder)
    } else {
        let line = chart::SweepLineChart { sweep: result, scenario, metric: args.metric };
        draw_chart(&line, args.charts.chart_size, folder)
    }
}

/// "Swept … over N points", then the lowest and highest figure and where they are.
fn say_extremes(
    args: &Args,
    result: &sweep::Sweep,
    names: &[String],
    scenario: &str,
    out: &mut dyn Write,
) -> Result<(), Vec<Error>> {
    let metric = |p: &sweep::SweepPoint| args.metric.of(p);
    let (low, high) =
        (result.points.iter().min_by_key(|p| metric(p)), result.points.iter().max_by_key(|p| metric(p)));
    say(out, &format!("Swept `{}` over {} points ({}).", scenario, result.points.len(), names.join(" × ")))?;
    for (label, point) in [("Lowest", low), ("Highest", high)] {
        if let Some(p) = point {
            let index = result.points.iter().position(|q| std::ptr::eq(q, p)).unwrap_or(0);
            let at = point_labels(result, index);
            say(
                out,
                &format!(
                    "{label}: {} {} at {}",
                    args.metric.title(),
                    crate::money::Human(metric(p)),
                    at.join(", ")
                ),
            )?;
        }
    }
    Ok(())
}

/// "cap=20B, share_rate=15%" for point `index` of a sweep.
fn point_labels(sweep: &crate::analysis::sweep::Sweep, index: usize) -> Vec<String> {
    let point = &sweep.points[index];
    sweep
        .params
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let i = sweep.axes[k].iter().position(|v| *v == point.values[k]).unwrap_or(0);
            format!("{name}={}", sweep.labels[k][i])
        })
        .collect()
}
