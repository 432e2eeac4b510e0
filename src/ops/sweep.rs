//! A sweep as an operation: every point of a grid of `--set` values, its `sweep.csv` in memory
//! (for a caller that keeps it, as the Python package; the CLI streams it to a file instead).

use crate::analysis::{params, sweep};
use crate::error::Error;
use crate::report;
use crate::scenario::{self, Loaded, Warning};

/// A sweep's table: `sweep.csv`'s bytes (raw currency units), which of its columns are money,
/// and the warnings about the parameters swept.
pub struct SweepTable {
    pub csv: Vec<u8>,
    pub money_columns: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// Sweeps `loaded` over `settings` (`NAME=VALUES`, as `dealsim sweep --set` takes them).
pub fn table(loaded: &Loaded, settings: &[String], stop: &dyn Fn() -> bool) -> Result<SweepTable, Error> {
    let parsed = settings
        .iter()
        .map(|s| params::parse_setting(s, sweep::MAX_POINTS))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::analysis("set ", e))?;
    sweep::grid_size(&parsed).map_err(|e| Error::analysis("sweep refused: ", e))?;
    let names: Vec<String> = parsed.iter().map(|(p, _)| p.to_string()).collect();
    let warnings = scenario::scenario_warnings(loaded, None)
        .into_iter()
        .chain(scenario::varied_parameter_warnings(loaded, &names))
        .collect();
    let mut csv = report::SweepCsv::new(Vec::new(), &names, report::Units::Raw)?;
    let mut write_error = None;
    let result = sweep::sweep_stream(loaded, &parsed, (0, None), &|_| {}, stop, &mut |chunk| {
        if let Err(e) = csv.write_chunk(chunk) {
            write_error.get_or_insert(e);
        }
    });
    if let Some(e) = write_error {
        return Err(e.into());
    }
    result.map_err(|e| Error::analysis("sweep: ", e))?;
    Ok(SweepTable { csv: csv.into_inner()?, money_columns: report::sweep_money_columns(&names), warnings })
}
