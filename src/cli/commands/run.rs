//! `dealsim run`: simulate scenarios, print each ledger, write its files (and `--against`).

use super::super::{
    draw_chart, load_all, refuse_shared_names, say, simulate_checked, write_all, wrote, ChartArgs,
};
use crate::chart;
use crate::error::Error;
use crate::report::{self, StagedFile};
use crate::scenario::{self, Loaded};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim run scenarios/base.toml
  dealsim run scenarios/base.toml scenarios/bear.toml --out results --no-charts
  dealsim run scenarios/base.toml --against pre-revision")]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Folder to write into; each scenario gets a sub-folder named after it.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Show exact amounts in the table instead of 12.5B-style figures.
    #[arg(long)]
    pub exact: bool,
    /// Print every column of the ledger table even when it is wider than the terminal.
    #[arg(long)]
    pub wide: bool,
    /// Also run each scenario under this agreement (built-in name or file) and report what each
    /// party gains or loses, change by change.
    #[arg(long, value_name = "AGREEMENT")]
    pub against: Option<String>,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_all(&args.files)?;
    refuse_shared_names(&loaded)?;
    for l in &loaded {
        let (ledger, summary) = simulate_checked(l)?;
        let folder = args.out.join(&l.scenario.name);
        let mut files = run_files(&folder, &ledger, &summary).map_err(|e| vec![Error::from(e)])?;
        if !args.charts.no_charts {
            files.extend(
                chart::scenario_charts(l, &ledger, args.charts.chart_size, &folder)
                    .map_err(|e| vec![Error::from(e)])?,
            );
        }
        let comparison = match &args.against {
            Some(name) => {
                let against_folder = folder.join(format!("against-{name}"));
                let (comparison, against_files) = against_files(l, name, &against_folder, &args.charts)?;
                files.extend(against_files);
                Some(comparison)
            }
            None => None,
        };
        write_all(&files, &l.source.path.display().to_string())?;

        say(
            out,
            &format!("Scenario `{}` under `{}`: {}", l.scenario.name, l.agreement.name, l.agreement.title),
        )?;
        if !l.scenario.description.is_empty() {
            say(out, &l.scenario.description)?;
        }
        let width = if args.wide { None } else { report::terminal_width() };
        say(out, &report::ledger_table_fitted(&ledger, args.exact, width))?;
        for line in report::summary_lines(&summary, args.exact) {
            say(out, &line)?;
        }
        if !ledger.launches.is_empty() {
            say(out, &report::launches_table(&ledger))?;
        }
        for row in ledger.rows.iter().filter(|r| r.distribution_breach) {
            say(out, &format!(
                "Breach: in {} the cloud mix serves {} of OpenAI's revenue outside Azure, which `{}` does not permit",
                row.period.label,
                crate::money::percent(row.non_azure_share),
                l.agreement.name
            ))?;
        }
        if let Some(comparison) = &comparison {
            say(
                out,
                &format!(
                    "\nAgainst `{}` (run from the same effective date, with the same assumptions):",
                    comparison.against
                ),
            )?;
            say(out, &report::against_table(comparison, args.exact))?;
            say(
                out,
                &format!(
                    "Present value of Microsoft's gain: {} ({})",
                    comparison.microsoft_gain_present_value.human(),
                    discount_words(&summary.present_value.discounting),
                ),
            )?;
            for row in comparison.against_ledger.rows.iter().filter(|r| r.distribution_breach) {
                say(out, &format!(
                    "Under `{}`, {} would be a breach: the cloud mix serves {} outside Azure, which it does not permit",
                    comparison.against,
                    row.period.label,
                    crate::money::percent(row.non_azure_share)
                ))?;
            }
            say(out, &format!("{}.", scenario::microsoft_revenue_basis(&l.scenario)))?;
            say(out, "What each change of terms is worth (applied one at a time, in `dealsim diff` order):")?;
            say(out, &report::attribution_table(comparison, args.exact))?;
        }
        say(out, &format!("{}\n", wrote(&files)))?;
    }
    Ok(())
}

fn discount_words(d: &crate::ledger::Discounting) -> String {
    format!("discounted at {} a year, {}", crate::money::percent(d.rate), d.convention)
}

/// Runs the scenario under the other agreement too: the comparison and the files it writes.
fn against_files(
    l: &Loaded,
    name: &str,
    folder: &Path,
    charts: &ChartArgs,
) -> Result<(crate::analysis::against::Against, Vec<StagedFile>), Vec<Error>> {
    let comparison = super::super::against(l, name)?;
    let mut files = vec![
        StagedFile {
            path: folder.join("against.csv"),
            bytes: report::against_csv(&comparison).map_err(|e| vec![Error::from(e)])?,
        },
        StagedFile {
            path: folder.join("attribution.csv"),
            bytes: report::attribution_csv(&comparison).map_err(|e| vec![Error::from(e)])?,
        },
        StagedFile {
            path: folder.join("against.json"),
            bytes: report::pretty_json("against.json", &comparison).map_err(|e| vec![Error::from(e)])?,
        },
    ];
    if !charts.no_charts {
        let waterfall = chart::WaterfallChart { against: &comparison, scenario: &l.scenario.name };
        files.extend(draw_chart(&waterfall, charts.chart_size, folder)?);
    }
    Ok((comparison, files))
}

/// The files one run of one scenario writes.
pub fn run_files(
    folder: &Path,
    ledger: &crate::Ledger,
    summary: &crate::Summary,
) -> Result<Vec<StagedFile>, report::OutputError> {
    let mut files = vec![
        StagedFile { path: folder.join("ledger.csv"), bytes: report::ledger_csv(ledger)? },
        StagedFile { path: folder.join("ledger.json"), bytes: report::ledger_json(ledger)? },
        StagedFile { path: folder.join("summary.json"), bytes: report::summary_json(summary)? },
    ];
    if !ledger.launches.is_empty() {
        files.push(StagedFile { path: folder.join("launches.csv"), bytes: report::launches_csv(ledger)? });
    }
    Ok(files)
}
