//! A scenario simulated: its ledger and summary, the agreement's invariants checked, optionally
//! with `--set` values applied or under another agreement (as the Python package's `run` asks);
//! and a run rendered, every file `dealsim run` writes for it staged (`render`).

use crate::analysis::against::Against;
use crate::analysis::{against, variants};
use crate::chart::{self, ChartSize};
use crate::engine;
use crate::error::Error;
use crate::report::{self, html, OutputError, StagedFile, Units};
use crate::scenario::{self, Loaded, Warning};
use crate::{Ledger, Summary};
use std::path::Path;

/// The ledger and summary of `l`; a distribution of AGI dates, where one ledger needs one date,
/// is pointed at in the scenario file.
pub fn simulate(l: &Loaded) -> Result<(Ledger, Summary), Error> {
    let failed = |source: engine::SimError| {
        if let engine::SimError::AgiDistribution { .. } = &source {
            let text = &l.source.text;
            if let Some(at) = text.find("agi_declared") {
                let error = scenario::InputError::at(
                    &l.source,
                    at..at + "agi_declared".len(),
                    scenario::InputErrorKind::Schema { message: source.to_string() },
                );
                return Error::from(error);
            }
        }
        Error::Simulation { scenario: l.scenario.name.clone(), source }
    };
    let ledger = engine::simulate(&l.agreement, &l.scenario).map_err(failed)?;
    let summary = ledger.summary().map_err(failed)?;
    Ok((ledger, summary))
}

/// `simulate`, then the agreement's invariants checked on the ledger: a broken one is an error.
pub fn simulate_checked(l: &Loaded) -> Result<(Ledger, Summary), Error> {
    let (ledger, summary) = simulate(l)?;
    let violations = crate::analysis::invariants::check(&l.agreement, &l.scenario, &ledger)
        .map_err(|source| Error::Simulation { scenario: l.scenario.name.clone(), source })?;
    if !violations.is_empty() {
        return Err(Error::Invariants {
            scenario: l.scenario.name.clone(),
            agreement: l.agreement.name.clone(),
            violations,
        });
    }
    Ok((ledger, summary))
}

/// A simulated scenario and every warning about it (also in `summary.warnings`).
pub struct Run {
    pub loaded: Loaded,
    pub ledger: Ledger,
    pub summary: Summary,
}

/// `loaded` with `settings` (`NAME=VALUE`, one value each, as `run --set` takes them) applied and,
/// given `agreement` (a built-in name or file), under that agreement with the scenario's
/// assumptions (as `--against` builds it); then simulated and checked.
pub fn run(loaded: Loaded, settings: &[String], agreement: Option<&str>) -> Result<Run, Error> {
    let mut warnings = scenario::scenario_warnings(&loaded, None);
    let mut loaded = loaded;
    if !settings.is_empty() {
        let parsed = variants::parse_settings(settings).map_err(|e| Error::analysis("set: ", e))?;
        if let Some((param, values)) = parsed.iter().find(|(_, v)| v.len() != 1) {
            return Err(Error::Usage(format!(
                "set: {param} has {} values; give one value per parameter (a grid is `sweep`)",
                values.len()
            )));
        }
        let names: Vec<String> = parsed.iter().map(|(p, _)| p.to_string()).collect();
        warnings.extend(scenario::varied_parameter_warnings(&loaded, &names));
        let mut one = variants::variants(&loaded, &parsed).map_err(|e| Error::analysis("set: ", e))?;
        loaded = one.remove(0).loaded;
    }
    if let Some(name) = agreement {
        let (other, said) = super::against::other_agreement(&loaded, name, "agreement")?;
        warnings.extend(said);
        loaded.agreement = other;
    }
    let (ledger, mut summary) = simulate_checked(&loaded)?;
    summary.warnings = warnings.iter().map(Warning::to_string).collect();
    Ok(Run { loaded, ledger, summary })
}

/// What changed, for the report: from `--against`'s agreement, or else from the built-in version
/// this one amended (`agreement::predecessor`), both under the scenario's assumptions as
/// `--against` would apply them: (older name, newer name, each change in words).
pub fn changes(l: &Loaded, against: Option<&str>) -> Option<(String, String, Vec<String>)> {
    let older = match against {
        Some(name) => name,
        None => crate::agreement::predecessor(&l.agreement.name)?,
    };
    let other = scenario::load_agreement(older).ok()?;
    let other = against::counterfactual(&l.agreement, &other, &l.scenario).ok()?;
    let lines = crate::agreement::diff::diff(&other, &l.agreement).iter().map(|c| c.to_string()).collect();
    Some((other.name.clone(), l.agreement.name.clone(), lines))
}

/// The files one run of one scenario writes (before its charts, workbook and report), money in
/// CSV shown in `units`.
pub fn run_files(
    folder: &Path,
    ledger: &Ledger,
    summary: &Summary,
    units: Units,
) -> Result<Vec<StagedFile>, OutputError> {
    let mut files = vec![
        StagedFile::new(report::Output::LedgerCsv.in_folder(folder), report::ledger_csv(ledger, units)?),
        StagedFile::new(report::Output::FlowsCsv.in_folder(folder), report::flows_csv(ledger, units)?),
        StagedFile::new(report::Output::LedgerJson.in_folder(folder), report::ledger_json(ledger)?),
        StagedFile::new(report::Output::SummaryJson.in_folder(folder), report::summary_json(summary)?),
    ];
    if !ledger.launches.is_empty() {
        files.push(StagedFile::new(
            report::Output::LaunchesCsv.in_folder(folder),
            report::launches_csv(ledger, units)?,
        ));
    }
    Ok(files)
}

/// How a run's files are made: `--against`'s agreement (a built-in name or file), the chart size
/// (`None`: no charts) and the unit of money in CSV.
pub struct RunOptions<'a> {
    pub against: Option<&'a str>,
    pub charts: Option<ChartSize>,
    pub units: Units,
}

/// A run simulated and rendered: every file it writes, staged, and the warnings about it its
/// caller has not said yet (`--against`'s, then the workbook's), in the order they arose. Every
/// warning, said before or new, is in `summary.warnings` and so in summary.json and report.html.
pub struct RenderedRun {
    pub ledger: Ledger,
    pub summary: Summary,
    pub comparison: Option<Against>,
    pub files: Vec<StagedFile>,
    pub new_warnings: Vec<String>,
}

/// Simulates `l` (checking its invariants) and renders every file of its run into `folder`:
/// ledger files, charts, `--against`'s, the workbook and the HTML report. `said` are warnings
/// its caller already said about it beyond the scenario's own (a varied parameter).
pub fn render(
    l: &Loaded,
    folder: &Path,
    options: &RunOptions,
    said: &[Warning],
) -> Result<RenderedRun, Error> {
    let (ledger, mut summary) = simulate_checked(l)?;
    let other = options.against.and_then(|name| scenario::load_agreement(name).ok());
    let mut warnings: Vec<String> =
        scenario::scenario_warnings(l, other.as_ref()).iter().chain(said).map(Warning::to_string).collect();
    let mut new_warnings = Vec::new();
    let mut chart_files = Vec::new();
    if let Some(size) = options.charts {
        chart_files.extend(chart::scenario_charts(l, &ledger, size, folder)?);
    }
    let comparison = match options.against {
        Some(name) => {
            let against_folder = folder.join(format!("against-{}", super::against::folder_name(name)));
            let (comparison, files, said) =
                super::against::against_files(l, name, &against_folder, options.charts, options.units)?;
            new_warnings.extend(said.iter().map(Warning::to_string));
            chart_files.extend(files);
            Some(comparison)
        }
        None => None,
    };
    let run = report::RunInput { loaded: l, ledger: &ledger, summary: &summary };
    let workbook = report::run_workbook(&run, comparison.as_ref(), options.units);
    let (workbook, inexact) =
        super::files::workbook_file(report::Output::LedgerXlsx.in_folder(folder), workbook)?;
    new_warnings.extend(inexact);
    warnings.extend(new_warnings.iter().cloned());
    summary.warnings = warnings;
    let mut files = run_files(folder, &ledger, &summary, options.units)?;
    files.append(&mut chart_files);
    files.push(workbook);
    let run = report::RunInput { loaded: l, ledger: &ledger, summary: &summary };
    let page = html::RunReport {
        run: &run,
        against: comparison.as_ref(),
        changes: changes(l, options.against),
        explanation: summary.cap_reached_year.and_then(|year| {
            let index = ledger.rows.iter().position(|r| r.year() == year && r.cap_reached)?;
            crate::analysis::explain::explain(&ledger, &l.agreement, &l.scenario, index)
        }),
        charts: html::ChartSvg::from_files(&files),
        warnings: summary.warnings.clone(),
    };
    files.push(StagedFile::new(report::Output::ReportHtml.in_folder(folder), html::run_report(&page)));
    Ok(RenderedRun { ledger, summary, comparison, files, new_warnings })
}
