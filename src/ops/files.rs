//! What every operation that writes files shares: a chart rendered into staged files, a workbook
//! staged with its warning, and a command's new warnings collected for its caller to say.

use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, OutputError, StagedFile};
use std::path::{Path, PathBuf};

/// Renders `chart` beside the other outputs in `folder`, naming the chart in any error.
pub fn draw_chart(
    chart: &impl chart::Chart,
    size: ChartSize,
    folder: &Path,
) -> Result<Vec<StagedFile>, Error> {
    chart::render(chart, size, folder).map_err(|reason| {
        Error::Output(OutputError::Chart { path: folder.join(format!("{}.png", chart.name())), reason })
    })
}

/// A workbook staged at `path`, and the warning when Excel cannot hold some amount exactly
/// (for the caller to say, and to carry in the run's summary and report).
pub fn workbook_file(
    path: PathBuf,
    workbook: Result<report::WorkbookFile, OutputError>,
) -> Result<(StagedFile, Option<String>), Error> {
    let workbook = workbook?;
    let warning = (workbook.inexact > 0).then(|| {
        format!(
            "{}: {} amount(s) have more than Excel's 15 significant digits and are rounded to them there (the sheet says so); the CSV and JSON files hold them exactly",
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
            workbook.inexact
        )
    });
    Ok((StagedFile::new(path, workbook.bytes), warning))
}
