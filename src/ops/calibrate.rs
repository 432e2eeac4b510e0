//! Calibration as an operation: the warnings about a file of reported figures and its result,
//! the most probable reading as a scenario file's text, and the files a calibration writes.

use crate::analysis::calibrate::{self, Calibration, ReportedFile};
use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, StagedFile};
use crate::scenario;
use std::path::{Path, PathBuf};

/// A calibration, every warning about it (for its caller to say; they are in its files too) and,
/// when asked for (`write_scenario`), the most probable reading as a scenario file's text.
pub struct Calibrated {
    pub calibration: Calibration,
    pub warnings: Vec<String>,
    pub scenario: Option<(PathBuf, String)>,
}

/// Calibrates `file` (see `analysis::calibrate::calibrate`; `tick` once per sample) with the
/// warnings about its inputs and its result.
pub fn calibrate(
    file: &ReportedFile,
    options: calibrate::Options,
    write_scenario: Option<&Path>,
    tick: &(dyn Fn() + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Calibrated, Error> {
    let mut warnings = input_warnings(file);
    let calibration =
        calibrate::calibrate(file, options, tick, stop).map_err(|e| Error::analysis("calibrate: ", e))?;
    warnings.extend(result_warnings(file, &calibration));
    let scenario = write_scenario
        .map(|path| most_probable_scenario(file, &calibration, path, &mut warnings))
        .transpose()?;
    Ok(Calibrated { calibration, warnings, scenario })
}

/// The files of a calibration in `folder`: calibrate.csv, calibrate.json (with `warnings`), the
/// chart (drawn at `charts`, if any) and report.html.
pub fn files(
    file: &ReportedFile,
    calibration: &Calibration,
    warnings: &[String],
    folder: &Path,
    charts: Option<ChartSize>,
) -> Result<Vec<StagedFile>, Error> {
    let mut files = vec![
        StagedFile::new(
            report::Output::CalibrateCsv.in_folder(folder),
            report::calibrate_csv(file, calibration)?,
        ),
        StagedFile::new(
            report::Output::CalibrateJson.in_folder(folder),
            report::calibrate_json(file, calibration, warnings)?,
        ),
    ];
    if let Some(size) = charts {
        let name =
            file.source.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let chart = chart::CalibrateChart { calibration, file: &name };
        files.extend(super::files::draw_chart(&chart, size, folder)?);
    }
    let svgs = report::html::ChartSvg::from_files(&files);
    files.push(StagedFile::new(
        report::Output::ReportHtml.in_folder(folder),
        report::html::calibrate_report(file, calibration, &svgs, warnings),
    ));
    Ok(files)
}

/// What the scenarios the figures read set but do not use, and priors that change no figure.
fn input_warnings(file: &ReportedFile) -> Vec<String> {
    let mut warnings: Vec<String> = Vec::new();
    for loaded in &file.scenarios {
        warnings.extend(scenario::scenario_warnings(loaded, None).iter().map(ToString::to_string));
    }
    let names: Vec<String> = file.priors.iter().map(|p| p.param.to_string()).collect();
    for name in &names {
        let ignored_everywhere = file.scenarios.iter().all(|loaded| {
            !scenario::varied_parameter_warnings(loaded, std::slice::from_ref(name)).is_empty()
        });
        if ignored_everywhere {
            warnings.push(format!(
                "priors.{name}: no scenario the figures read uses it, so the reports say nothing about it (its posterior is its prior)"
            ));
        }
    }
    let draws =
        file.scenarios.iter().any(|l| crate::analysis::montecarlo::PathDraws::new(&l.scenario).is_some());
    if file.priors.is_empty() && !draws {
        warnings.push("no [priors] and no drawn revenue: nothing is uncertain, so the tables only show how each figure fits".into());
    }
    warnings.dedup();
    warnings
}

/// A fit no reading achieves, or too few samples carrying the posterior.
fn result_warnings(file: &ReportedFile, c: &Calibration) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(contradiction) = &c.contradiction {
        let f = &file.figures[contradiction.figure];
        warnings.push(format!(
            "the reports contradict every reading within the priors: even the best fit is {} from `{}` (reported {}); the posterior is the least bad fit: widen the priors or check the figure",
            report::distance_words(contradiction.distance).replace("tol.", "tolerances"),
            f.label(&file.scenarios),
            f.reported
        ));
    }
    if c.samples > 1 && c.effective_sample_size < 100.0 {
        warnings.push(format!(
            "only about {:.0} of the {} samples carry the posterior (effective sample size): its percentiles are rough; give more --samples",
            c.effective_sample_size,
            c.samples * c.readings
        ));
    }
    warnings
}

/// The predicted scenario with the most probable reading set, as scenario-file text, checked
/// by reading it back as `run` would.
fn most_probable_scenario(
    file: &ReportedFile,
    c: &Calibration,
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<(PathBuf, String), Error> {
    let loaded = &file.scenarios[file.predict];
    let mut s = loaded.scenario.clone();
    // A scenario file is written with its revenue listed by year and every assumption stated
    // (`Scenario::to_toml`): what it cannot carry is said, not dropped silently.
    let u = &s.uncertain;
    let drawn = crate::analysis::montecarlo::PathDraws::new(&s).is_some()
        || u.cap.is_some()
        || u.share_rate.is_some();
    for (lost, what) in [
        (!s.launches.is_empty(), "its launches"),
        (s.cloud_mix.is_some(), "its cloud mix"),
        (drawn, "its distributions (the written file lists their central path)"),
    ] {
        if lost {
            warnings.push(format!(
                "--write-scenario: {} is written without {what} (copy what matters from {})",
                path.display(),
                loaded.source.path.display()
            ));
        }
    }
    for (_, param, value) in &c.most_probable {
        param.apply(&mut s, *value).map_err(|e| Error::analysis("--write-scenario: ", e))?;
    }
    if let scenario::AgreementRef::File(agreement) = &s.agreement {
        // The written file may live elsewhere: name the agreement file absolutely.
        if let Ok(absolute) = std::fs::canonicalize(agreement) {
            s.agreement = scenario::AgreementRef::File(absolute);
        }
    }
    s.name = format!("{}-calibrated", s.name);
    s.description = format!(
        "`{}` calibrated on {}. {}",
        loaded.scenario.name,
        c.file,
        report::most_probable_words(c).unwrap_or_default()
    );
    let text = format!(
        "# Written by `dealsim calibrate {}`: the most probable reading of the undisclosed terms\n# ({} of the posterior over readings), set on `{}`.\n{}",
        c.file,
        report::share(c.most_probable_probability),
        loaded.scenario.name,
        s.to_toml()
    );
    scenario::parse(&scenario::Source::new(path, text.as_str()))?;
    Ok((path.to_path_buf(), text))
}
