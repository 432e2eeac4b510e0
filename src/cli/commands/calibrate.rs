//! `dealsim calibrate`: the posterior over the undisclosed terms, from the reported figures.

use super::super::{progress_bar, say, write_all, wrote, ChartArgs};
use crate::analysis::calibrate::{self, ReportedFile};
use crate::error::Error;
use crate::ops::calibrate as op;
use crate::report::{self, OutputOptions};
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
    let bar = progress_bar(args.samples as u64, (args.samples * file.scenarios.len() * 10) as u64, "samples");
    let settings = calibrate::Options { samples: args.samples, seed: args.seed };
    let result = op::calibrate(
        &file,
        settings,
        args.write_scenario.as_deref(),
        &|| bar.inc(1),
        &super::super::interrupted,
    );
    bar.finish_and_clear();
    let op::Calibrated { calibration, warnings, scenario: written } = result?;
    // Every warning said on stderr is in calibrate.json and report.html too.
    super::super::warn_each(warnings.iter());
    let stem =
        args.file.file_stem().map_or_else(|| "reported".to_string(), |s| s.to_string_lossy().into_owned());
    let folder = args.out.join(stem).join("calibrate");
    let files = op::files(&file, &calibration, &warnings, &folder, args.charts.size())?;
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

/// Writes the scenario file whole (a temporary file renamed into place), never over an input.
fn write_scenario_file(path: &Path, text: &str, file: &ReportedFile) -> Result<(), Vec<Error>> {
    let mut inputs: Vec<&Path> = vec![&file.source.path];
    inputs.extend(file.scenarios.iter().map(|l| l.source.path.as_path()));
    super::super::write_named_file("--write-scenario", path, text.as_bytes(), &inputs)
}
