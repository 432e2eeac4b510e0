//! `dealsim calibrate`: the posterior over the undisclosed terms, from the reported figures.

use super::super::{progress_bar, say, write_all, wrote, ChartArgs};
use crate::analysis::calibrate::{self, Calibration, ReportedFile};
use crate::chart;
use crate::error::Error;
use crate::report::{self, OutputOptions, StagedFile};
use crate::scenario;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim calibrate scenarios/reported.toml
  dealsim calibrate scenarios/reported.toml --samples 50000 --seed 7
  dealsim calibrate scenarios/reported.toml --write-scenario calibrated.toml")]
pub struct Args {
    /// A file of reported figures and priors over the undisclosed terms (TOML), such as
    /// scenarios/reported.toml.
    pub file: PathBuf,
    /// Draws of the continuous unknowns (and of drawn revenue) per combination of readings;
    /// readings themselves are enumerated exactly.
    #[arg(long, default_value_t = 10_000)]
    pub samples: usize,
    /// Random seed: the same seed gives the same output on any number of threads.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Also write the most probable reading as a scenario file `dealsim run` accepts: the
    /// predicted scenario with each unknown set to it.
    #[arg(long, value_name = "FILE")]
    pub write_scenario: Option<PathBuf>,
    /// Where to write: OUT/<file name>/calibrate/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let file = calibrate::load(&args.file).map_err(Error::from)?;
    let mut warnings = input_warnings(&file);
    let bar = progress_bar(args.samples as u64, (args.samples * file.scenarios.len() * 10) as u64, "samples");
    let settings = calibrate::Options { samples: args.samples, seed: args.seed };
    let result = calibrate::calibrate(&file, settings, &|| bar.inc(1), &super::super::interrupted);
    bar.finish_and_clear();
    let calibration = result.map_err(super::super::analysis("calibrate: "))?;
    warnings.extend(result_warnings(&file, &calibration));
    let written = args
        .write_scenario
        .as_ref()
        .map(|path| most_probable_scenario(&file, &calibration, path, &mut warnings))
        .transpose()?;
    // Every warning said on stderr is in calibrate.json and report.html too.
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let stem =
        args.file.file_stem().map_or_else(|| "reported".to_string(), |s| s.to_string_lossy().into_owned());
    let folder = args.out.join(stem).join("calibrate");
    let mut files = vec![
        StagedFile::new(
            report::Output::CalibrateCsv.in_folder(&folder),
            report::calibrate_csv(&file, &calibration).map_err(|e| vec![e.into()])?,
        ),
        StagedFile::new(
            report::Output::CalibrateJson.in_folder(&folder),
            report::calibrate_json(&file, &calibration, &warnings).map_err(|e| vec![e.into()])?,
        ),
    ];
    if !args.charts.no_charts {
        let name = args.file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let chart = chart::CalibrateChart { calibration: &calibration, file: &name };
        files.extend(crate::ops::files::draw_chart(&chart, args.charts.chart_size, &folder)?);
    }
    let charts = report::html::ChartSvg::from_files(&files);
    files.push(StagedFile::new(
        report::Output::ReportHtml.in_folder(&folder),
        report::html::calibrate_report(&file, &calibration, &charts, &warnings),
    ));
    write_all(&files, &file.source.path.display().to_string(), options)?;
    if let Some((path, text)) = written {
        write_scenario_file(&path, &text, &file)?;
    }
    say(out, &report::calibrate_table(&file, &calibration))?;
    let mut wrote_line = wrote(&files);
    if let Some(path) = &args.write_scenario {
        wrote_line.push_str(&format!("; the most probable reading to {}", path.display()));
    }
    say(out, &wrote_line)?;
    Ok(())
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
) -> Result<(PathBuf, String), Vec<Error>> {
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
        param.apply(&mut s, *value).map_err(super::super::analysis("--write-scenario: "))?;
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
    scenario::parse(&scenario::Source::new(path, text.as_str())).map_err(Error::from)?;
    Ok((path.to_path_buf(), text))
}

/// Writes the scenario file whole (a temporary file renamed into place), never over an input.
fn write_scenario_file(path: &Path, text: &str, file: &ReportedFile) -> Result<(), Vec<Error>> {
    let mut inputs: Vec<&Path> = vec![&file.source.path];
    inputs.extend(file.scenarios.iter().map(|l| l.source.path.as_path()));
    super::super::write_named_file("--write-scenario", path, text.as_bytes(), &inputs)
}
