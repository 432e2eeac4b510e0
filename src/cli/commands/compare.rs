//! `dealsim compare`: several scenarios side by side, a CSV and an overlay chart.

use super::super::{load_all, refuse_shared_names, say, write_all, wrote, ChartArgs};
use crate::error::Error;
use crate::report::{self, OutputOptions};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim compare scenarios/base.toml scenarios/bear.toml scenarios/bull.toml
  dealsim compare scenarios/plan-feb-2026.toml scenarios/rate-falls.toml --no-charts
  dealsim compare scenarios/base.toml scenarios/bear.toml --against pre-revision
  dealsim compare scenarios/base.toml scenarios/bull.toml --set cap=25B,60B")]
pub struct Args {
    /// Scenario files (TOML), two or more.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Folder to write into; the comparison goes to OUT/compare/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Also run each scenario under this agreement (a built-in name or a file) and show what
    /// Microsoft gains under the scenario's own terms instead, nominal and present value.
    #[arg(long, value_name = "NAME")]
    pub against: Option<String>,
    /// Show exact amounts in the table instead of 12.5B-style figures.
    #[arg(long)]
    pub exact: bool,
    /// NAME=VALUES: compare every scenario once per value (e.g. cap=25B,38B,60B); repeat for more
    /// parameters (every combination, at most 64 per scenario). Names as for `run --set`.
    #[arg(long = "set", value_name = "NAME=VALUES")]
    pub settings: Vec<String>,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_all(&args.files, args.against.as_deref())?;
    refuse_shared_names(&loaded)?;
    let settings = crate::analysis::variants::parse_settings(&args.settings)
        .map_err(super::super::analysis("--set "))?;
    let mut scenarios: Vec<crate::scenario::Loaded> = Vec::new();
    let other = args.against.as_deref().and_then(|name| crate::scenario::load_agreement(name).ok());
    // Each scenario's warnings (said on stderr as it loaded), for the report and its summary.
    let mut said: Vec<Vec<String>> = Vec::new();
    for l in loaded {
        let mut warnings = crate::scenario::scenario_warnings(&l, other.as_ref());
        if settings.is_empty() {
            said.push(warnings.iter().map(|w| w.to_string()).collect());
            scenarios.push(l);
        } else {
            let names: Vec<String> = settings.iter().map(|(p, _)| p.to_string()).collect();
            let varied = crate::scenario::varied_parameter_warnings(&l, &names);
            super::super::warn(&varied);
            warnings.extend(varied);
            let variants = crate::analysis::variants::variants(&l, &settings)
                .map_err(super::super::analysis(&format!("--set: scenario `{}`: ", l.scenario.name)))?;
            for v in variants {
                said.push(warnings.iter().map(|w| w.to_string()).collect());
                scenarios.push(v.loaded);
            }
        }
    }
    let compared = crate::ops::compare::simulate_all(&scenarios, said, args.against.as_deref())?;
    super::super::warn_each(compared.new_warnings.iter());
    let (runs, gains) = (compared.runs, compared.gains);
    let inputs: Vec<report::RunInput> = scenarios
        .iter()
        .zip(&runs)
        .map(|(l, (ledger, summary))| report::RunInput { loaded: l, ledger, summary })
        .collect();
    let folder = args.out.join("compare");
    let (files, inexact) =
        crate::ops::compare::files(&folder, &inputs, &gains, args.charts.size(), options.units)?;
    super::super::warn_each(inexact.iter());
    write_all(
        &files,
        &args.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "),
        options,
    )?;
    let summaries: Vec<&crate::Summary> = runs.iter().map(|(_, s)| s).collect();
    say(out, &report::compare_table(&summaries, &gains, args.exact))?;
    say(out, &wrote(&files))?;
    Ok(())
}
