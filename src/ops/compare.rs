//! A comparison: several runs (scenarios, or one scenario's `--set` variants) side by side, each
//! with its gain against another agreement if asked, and the files it writes (compare.csv,
//! compare.xlsx, the overlay chart, report.html).

use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, GainAgainst, StagedFile, Units};
use crate::scenario::Loaded;
use crate::{Ledger, Summary};
use std::path::Path;

/// The runs of a comparison, in order, and the warnings its caller has not said yet
/// (`--against`'s, then the workbook's).
pub struct Compared {
    pub runs: Vec<(Ledger, Summary)>,
    pub gains: Vec<Option<GainAgainst>>,
    pub new_warnings: Vec<String>,
}

/// Simulates each scenario (checking its invariants), its summary carrying `said[i]`, the
/// warnings already said about it; with `against`, each one's gain under that agreement.
pub fn simulate_all(
    scenarios: &[Loaded],
    said: Vec<Vec<String>>,
    against: Option<&str>,
) -> Result<Compared, Error> {
    let mut compared = Compared { runs: Vec::new(), gains: Vec::new(), new_warnings: Vec::new() };
    for (l, warnings) in scenarios.iter().zip(said) {
        let (ledger, mut summary) = super::run::simulate_checked(l)?;
        summary.warnings = warnings;
        compared.gains.push(match against {
            Some(name) => {
                let (comparison, against_warnings) = super::against::against(l, name)?;
                let words: Vec<String> = against_warnings.iter().map(|w| w.to_string()).collect();
                summary.warnings.extend(words.iter().cloned());
                compared.new_warnings.extend(words);
                Some(super::against::gain_of(&comparison))
            }
            None => None,
        });
        compared.runs.push((ledger, summary));
    }
    Ok(compared)
}

/// The files of a comparison in `folder`: compare.csv (one row per run), compare.xlsx, the
/// overlay chart (drawn at `charts`, if any) and report.html; and the workbook's warning, if
/// any, for the caller to say. Shared by `compare` and `run --set`.
pub fn files(
    folder: &Path,
    inputs: &[report::RunInput],
    gains: &[Option<GainAgainst>],
    charts: Option<ChartSize>,
    units: Units,
) -> Result<(Vec<StagedFile>, Option<String>), Error> {
    let summaries: Vec<&Summary> = inputs.iter().map(|r| r.summary).collect();
    let (workbook, inexact) = super::files::workbook_file(
        report::Output::CompareXlsx.in_folder(folder),
        report::compare_workbook(inputs, gains, units),
    )?;
    let mut files = vec![
        StagedFile::new(
            report::Output::CompareCsv.in_folder(folder),
            report::compare_csv(&summaries, gains, units)?,
        ),
        workbook,
    ];
    // What was said on stderr about any of the runs, once each, and about the workbook.
    let mut warnings: Vec<String> = Vec::new();
    for summary in &summaries {
        for warning in &summary.warnings {
            if !warnings.contains(warning) {
                warnings.push(warning.clone());
            }
        }
    }
    warnings.extend(inexact.iter().cloned());
    if let Some(size) = charts {
        let comparison = chart::CompareChart {
            runs: inputs.iter().map(|r| (r.ledger, r.summary.openai_to_microsoft_cap())).collect(),
        };
        files.extend(super::files::draw_chart(&comparison, size, folder)?);
    }
    let svgs = report::html::ChartSvg::from_files(&files);
    files.push(StagedFile::new(
        report::Output::ReportHtml.in_folder(folder),
        report::html::compare_report(inputs, gains, &svgs, &warnings),
    ));
    Ok((files, inexact))
}
