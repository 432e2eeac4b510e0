//! A sweep as an operation: every point of a grid of `--set` values, its `sweep.csv` in memory
//! (for a caller that keeps it, as the Python package) or streamed to a file (the CLI), and the
//! figure its chart shows.

use crate::analysis::params::{self, Param, Value};
use crate::analysis::sweep;
use crate::chart;
use crate::error::Error;
use crate::report;
use crate::scenario::{self, Loaded, Warning};
use std::io::Write;
use std::path::Path;

/// A sweep's table: `sweep.csv`'s bytes (raw currency units), which of its columns are money,
/// and the warnings about the parameters swept.
pub struct SweepTable {
    pub csv: Vec<u8>,
    pub money_columns: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// One swept parameter and its values.
pub type Axis = (Param, Vec<Value>);

/// The grid `settings` (`NAME=VALUES`, as `dealsim sweep --set` takes them) name, and its number
/// of points (refused past `sweep::MAX_POINTS`); `flag` is how errors name them (`--set `).
pub fn grid(settings: &[String], flag: &str) -> Result<(Vec<Axis>, usize), Error> {
    let parsed = settings
        .iter()
        .map(|s| params::parse_setting(s, sweep::MAX_POINTS))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::analysis(flag, e))?;
    let size = sweep::grid_size(&parsed).map_err(|e| Error::analysis("sweep refused: ", e))?;
    Ok((parsed, size))
}

/// Sweeps `loaded` over `settings` (`NAME=VALUES`, as `dealsim sweep --set` takes them).
pub fn table(loaded: &Loaded, settings: &[String], stop: &dyn Fn() -> bool) -> Result<SweepTable, Error> {
    let (parsed, _) = grid(settings, "set ")?;
    let names: Vec<String> = parsed.iter().map(|(p, _)| p.to_string()).collect();
    let warnings = scenario::scenario_warnings(loaded, None)
        .into_iter()
        .chain(scenario::varied_parameter_warnings(loaded, &names))
        .collect();
    let mut csv = report::SweepCsv::new(Vec::new(), &names, report::Units::Raw)?;
    sweep_into(loaded, &parsed, (0, None), &mut csv, &|_| {}, stop)?;
    Ok(SweepTable { csv: csv.into_inner()?, money_columns: report::sweep_money_columns(&names), warnings })
}

/// Sweeps `loaded` over the grid `settings`, streaming sweep.csv (`path`, gzipped if asked) to a
/// temporary file as the points come, so memory stays flat: the result (extremes, each point at
/// the chart's `axes`) and the file, to be renamed into place with the rest of the command's
/// files (removed on an error or when `stop` says so).
pub fn stream(
    loaded: &Loaded,
    settings: &[Axis],
    axes: (usize, Option<usize>),
    (path, gzip): (&Path, bool),
    options: &report::OutputOptions,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<(sweep::Streamed, report::PreWritten), Error> {
    let names: Vec<String> = settings.iter().map(|(p, _)| p.to_string()).collect();
    let (mut file, target) = report::stream_file(path, gzip)?;
    if options.excel_csv {
        file.write_all(report::UTF8_BOM)
            .map_err(|source| report::OutputError::Write { path: path.to_path_buf(), source })?;
    }
    let mut csv = report::SweepCsv::new(file, &names, options.units)?;
    let result = sweep_into(loaded, settings, axes, &mut csv, tick, stop)?;
    csv.into_inner().and_then(|out| {
        out.finish().map_err(|source| report::OutputError::Write { path: path.to_path_buf(), source })
    })?;
    Ok((result, target))
}

/// `sweep::sweep_stream` into `csv`, each chunk written as it comes: a write error stops the
/// sweep and is the error returned.
fn sweep_into<W: Write>(
    loaded: &Loaded,
    settings: &[Axis],
    axes: (usize, Option<usize>),
    csv: &mut report::SweepCsv<W>,
    tick: &(dyn Fn(u64) + Sync),
    stop: &dyn Fn() -> bool,
) -> Result<sweep::Streamed, Error> {
    let mut write_error: Option<report::OutputError> = None;
    let failed = std::cell::Cell::new(false);
    let result =
        sweep::sweep_stream(loaded, settings, axes, tick, &|| stop() || failed.get(), &mut |chunk| {
            if let Err(e) = csv.write_chunk(chunk) {
                write_error.get_or_insert(e);
                failed.set(true);
            }
        });
    if let Some(e) = write_error {
        return Err(e.into());
    }
    result.map_err(|e| Error::analysis("sweep: ", e))
}

/// The figure shown: the one asked for, else total paid unless it is the same at every point,
/// then the first of present value and net that varies. When the shown figure does not vary, the
/// note says so (the swept inputs do not reach it, as when the cap binds at every point).
pub fn choose_metric(
    asked: Option<chart::Metric>,
    result: &sweep::Streamed,
) -> (chart::Metric, Option<String>) {
    use chart::Metric;
    let varies = |metric: Metric| {
        let index = sweep::Figure::ALL.iter().position(|f| *f == metric.figure()).unwrap_or(0);
        result.extremes.get(index).is_some_and(|(low, high)| metric.of(&low.point) != metric.of(&high.point))
    };
    let flat = |metric: Metric| {
        format!(
            "{} is the same at every point: the swept inputs do not move it here (a cap that binds at every \
             point does this); sweep.csv has every figure",
            metric.title()
        )
    };
    match asked {
        Some(metric) => (metric, (!varies(metric)).then(|| flat(metric))),
        None if varies(Metric::Paid) => (Metric::Paid, None),
        None => match [Metric::Pv, Metric::Net].into_iter().find(|m| varies(*m)) {
            Some(metric) => (
                metric,
                Some(format!(
                    "Showing {} (--metric {}), which varies. {}",
                    lower_first(metric.title()),
                    format!("{metric:?}").to_lowercase(),
                    flat(Metric::Paid)
                )),
            ),
            None => (Metric::Paid, Some(format!("{}; so are net and present value", flat(Metric::Paid)))),
        },
    }
}

/// "Total paid" → "total paid", inside a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}
