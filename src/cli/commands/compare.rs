//! `dealsim compare`: several scenarios side by side, a CSV and an overlay chart.

use super::super::{
    draw_chart, load_all, refuse_shared_names, say, simulate_checked, write_all, wrote, ChartArgs,
};
use crate::chart;
use crate::error::Error;
use crate::report::{self, StagedFile};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim compare scenarios/base.toml scenarios/bear.toml scenarios/bull.toml
  dealsim compare scenarios/plan-feb-2026.toml scenarios/rate-falls.toml --no-charts
  dealsim compare scenarios/base.toml scenarios/bear.toml --against pre-revision")]
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
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_all(&args.files)?;
    refuse_shared_names(&loaded)?;
    let mut runs = Vec::with_capacity(loaded.len());
    let mut gains = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let (ledger, summary) = simulate_checked(l)?;
        runs.push((ledger, summary));
        gains.push(match &args.against {
            Some(name) => Some(gain_against(l, name)?),
            None => None,
        });
    }
    let summaries: Vec<&crate::Summary> = runs.iter().map(|(_, s)| s).collect();
    let folder = args.out.join("compare");
    let mut files = vec![StagedFile {
        path: folder.join("compare.csv"),
        bytes: report::compare_csv(&summaries, &gains).map_err(|e| vec![Error::from(e)])?,
    }];
    if !args.charts.no_charts {
        let comparison = chart::CompareChart {
            runs: runs.iter().map(|(ledger, summary)| (ledger, summary.openai_to_microsoft_cap())).collect(),
        };
        let rendered = draw_chart(&comparison, args.charts.chart_size, &folder)?;
        files.extend(rendered);
    }
    write_all(&files, &args.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "))?;
    say(out, &report::compare_table(&summaries, &gains, args.exact))?;
    say(out, &wrote(&files))?;
    Ok(())
}

/// What `l`'s own terms are worth to Microsoft against agreement `name`, as `run --against`
/// computes it.
fn gain_against(l: &crate::scenario::Loaded, name: &str) -> Result<report::GainAgainst, Vec<Error>> {
    let result = super::super::against(l, name)?;
    Ok(report::GainAgainst {
        against: result.against.clone(),
        microsoft_gain: result.microsoft_gain,
        microsoft_gain_present_value: result.microsoft_gain_present_value,
    })
}
