//! Sensitivity as an operation: the ranges to move (the defaults, with `--range NAME=LO..HI`
//! replacing or adding), and the files a report writes (sensitivity.csv, the tornado chart).

use crate::analysis::params::{Param, Value};
use crate::analysis::sensitivity::{self, SensitivityReport};
use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, StagedFile, Units};
use crate::scenario::Loaded;
use std::path::Path;

/// One input's range: the parameter, its low and high values, and why that range.
pub type Range = (Param, Value, Value, String);

/// The scenario's default ranges (`sensitivity::default_ranges`), each `NAME=LO..HI` in
/// `overrides` replacing the range of its input or adding one.
pub fn ranges(loaded: &Loaded, overrides: &[String]) -> Result<Vec<Range>, Error> {
    let mut ranges: Vec<Range> = sensitivity::default_ranges(loaded)
        .into_iter()
        .map(|(p, lo, hi, why)| (p, lo, hi, why.to_string()))
        .collect();
    for text in overrides {
        let (name, range) = text
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--range `{text}` is not NAME=LO..HI")))?;
        let param = Param::parse(name).map_err(|e| Error::analysis("--range ", e))?;
        let (lo, hi) = param.range(range).map_err(|e| Error::analysis("--range ", e))?;
        let entry = (param.clone(), lo, hi, "given with --range".to_string());
        match ranges.iter_mut().find(|r| r.0 == param) {
            Some(existing) => *existing = entry,
            None => ranges.push(entry),
        }
    }
    Ok(ranges)
}

/// The files of a sensitivity report in `folder`: sensitivity.csv and the tornado chart (drawn
/// at `charts`, if any).
pub fn files(
    loaded: &Loaded,
    report: &SensitivityReport,
    folder: &Path,
    charts: Option<ChartSize>,
    units: Units,
) -> Result<Vec<StagedFile>, Error> {
    let mut files = vec![StagedFile::new(
        report::Output::SensitivityCsv.in_folder(folder),
        report::sensitivity_csv(report, units)?,
    )];
    if let Some(size) = charts {
        let tornado = chart::TornadoChart { report, scenario: &loaded.scenario.name };
        files.extend(super::files::draw_chart(&tornado, size, folder)?);
    }
    Ok(files)
}
