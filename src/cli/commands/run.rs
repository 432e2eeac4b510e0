//! `dealsim run`: simulate scenarios, print each ledger, write its files, workbook and report
//! (and `--against`); with `--set`, every variant of each scenario as a full run.

use super::super::{load_all, refuse_shared_names, say, write_all, wrote, ChartArgs};
use crate::analysis::against::Against;
use crate::analysis::variants;
use crate::error::Error;
use crate::ops::{self, run::RenderedRun, run::RunOptions};
use crate::report::{self, OutputOptions};
use crate::scenario::{self, Loaded};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim run scenarios/base.toml
  dealsim run scenarios/base.toml scenarios/bear.toml --out results --no-charts
  dealsim run scenarios/base.toml --against pre-revision
  dealsim run scenarios/base.toml --set cap=25B,38B,60B")]
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
    /// NAME=VALUES (help from the parameter registry, `analysis::params::registry`).
    #[arg(long = "set", value_name = "NAME=VALUES", help = crate::analysis::params::registry::set_help(
        "NAME=VALUES: run each scenario once per value (a list `25B,38B,60B` or a range `20B..60B:10B`), each a full run in OUT/<scenario>/<NAME=VALUE>/, and print their comparison. Repeat for more parameters (every combination, at most 64)."
    ))]
    pub settings: Vec<String>,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_all(&args.files, args.against.as_deref())?;
    refuse_shared_names(&loaded)?;
    let settings = variants::parse_settings(&args.settings).map_err(super::super::analysis("--set "))?;
    for l in &loaded {
        let folder = args.out.join(&l.scenario.name);
        if settings.is_empty() {
            let done = run_one(l, &folder, args, &[], options)?;
            write_all(&done.files, &l.source.path.display().to_string(), options)?;
            print_run(out, l, &done, args)?;
            say(out, &format!("{}\n", wrote(&done.files)))?;
        } else {
            run_variants(out, l, &settings, &folder, args, options)?;
        }
    }
    Ok(())
}

/// Every variant of `l` as a full run in its own folder, then their comparison (printed, and
/// written as compare.csv, compare.xlsx and report.html in OUT/<scenario>/compare/). All files of
/// all variants are written together, or none.
fn run_variants(
    out: &mut dyn Write,
    l: &Loaded,
    settings: &[(crate::analysis::params::Param, Vec<crate::analysis::params::Value>)],
    folder: &Path,
    args: &Args,
    options: &OutputOptions,
) -> Result<(), Vec<Error>> {
    let names: Vec<String> = settings.iter().map(|(p, _)| p.to_string()).collect();
    let varied = scenario::varied_parameter_warnings(l, &names);
    super::super::warn(&varied);
    let variants = variants::variants(l, settings)
        .map_err(super::super::analysis(&format!("--set: scenario `{}`: ", l.scenario.name)))?;
    let mut runs = Vec::with_capacity(variants.len());
    let mut files = Vec::new();
    for variant in &variants {
        let mut done = run_one(&variant.loaded, &folder.join(&variant.folder), args, &varied, options)?;
        files.append(&mut done.files);
        runs.push(done);
    }
    let inputs: Vec<report::RunInput> = variants
        .iter()
        .zip(&runs)
        .map(|(v, d)| report::RunInput { loaded: &v.loaded, ledger: &d.ledger, summary: &d.summary })
        .collect();
    let summaries: Vec<&crate::Summary> = runs.iter().map(|d| &d.summary).collect();
    let gains: Vec<Option<report::GainAgainst>> =
        runs.iter().map(|d| d.comparison.as_ref().map(ops::against::gain_of)).collect();
    let compare_folder = folder.join("compare");
    let (mut shared, inexact) =
        ops::compare::files(&compare_folder, &inputs, &gains, args.charts.size(), options.units)?;
    super::super::warn_each(inexact.iter());
    files.append(&mut shared);
    write_all(&files, &l.source.path.display().to_string(), options)?;
    say(
        out,
        &format!(
            "Scenario `{}` under `{}`, {} variants ({}):",
            l.scenario.name,
            l.agreement.name,
            variants.len(),
            args.settings.join(" ")
        ),
    )?;
    say(out, &report::compare_table(&summaries, &gains, args.exact))?;
    if let [(row, row_values), (column, column_values)] = settings {
        // Two varied parameters: each figure as a grid, the first down, the second across.
        let labels = |p: &crate::analysis::params::Param,
                      values: &[crate::analysis::params::Value]|
         -> Vec<String> { values.iter().map(|v| variants::compact(p, v)).collect() };
        let (rows, columns) = (labels(row, row_values), labels(column, column_values));
        type Figure = fn(&crate::Summary) -> crate::money::Money;
        let figures: [(&str, Figure); 2] = [
            ("Paid to Microsoft", |s| s.totals.paid_to_microsoft),
            ("PV net to Microsoft", |s| s.present_value.net_to_microsoft),
        ];
        for (title, figure) in figures {
            let values: Vec<crate::money::Money> = summaries.iter().map(|s| figure(s)).collect();
            let (row, column) = (row.to_string(), column.to_string());
            say(out, &report::pivot_table(title, (&row, &rows), (&column, &columns), &values, args.exact))?;
        }
    }
    for variant in &variants {
        say(out, &format!("{}: {}", variant.label, folder.join(&variant.folder).display()))?;
    }
    say(
        out,
        &format!(
            "Wrote each variant's ledger, workbook, {}report.html to its folder; the comparison (compare.csv, compare.xlsx, report.html) to {}\n",
            if args.charts.no_charts { "" } else { "charts and " },
            compare_folder.display()
        ),
    )
}

/// Simulates and renders one run (`ops::run::render`), saying the warnings it raised.
fn run_one(
    l: &Loaded,
    folder: &Path,
    args: &Args,
    said: &[scenario::Warning],
    options: &OutputOptions,
) -> Result<RenderedRun, Vec<Error>> {
    let run_options =
        RunOptions { against: args.against.as_deref(), charts: args.charts.size(), units: options.units };
    let done = ops::run::render(l, folder, &run_options, said)?;
    super::super::warn_each(done.new_warnings.iter());
    Ok(done)
}

/// The terminal output of one run: the ledger table, totals, launches, breaches, `--against`.
fn print_run(out: &mut dyn Write, l: &Loaded, done: &RenderedRun, args: &Args) -> Result<(), Vec<Error>> {
    let (ledger, summary) = (&done.ledger, &done.summary);
    say(out, &format!("Scenario `{}` under `{}`: {}", l.scenario.name, l.agreement.name, l.agreement.title))?;
    if !l.scenario.description.is_empty() {
        say(out, &l.scenario.description)?;
    }
    let width = if args.wide { None } else { report::terminal_width() };
    say(out, &report::ledger_table_fitted(ledger, args.exact, width))?;
    for line in report::summary_lines(summary, args.exact) {
        say(out, &line)?;
    }
    if !ledger.launches.is_empty() {
        say(out, &report::launches_table(ledger))?;
    }
    for row in ledger.rows.iter().filter(|r| r.distribution_breach) {
        say(out, &format!(
            "Breach: in {} the cloud mix serves {} of OpenAI's revenue outside Azure, which `{}` does not permit",
            row.period.label,
            crate::money::percent(row.non_azure_share),
            l.agreement.name
        ))?;
    }
    if let Some(comparison) = &done.comparison {
        print_against(out, l, summary, comparison, args.exact)?;
    }
    Ok(())
}

fn print_against(
    out: &mut dyn Write,
    l: &Loaded,
    summary: &crate::Summary,
    comparison: &Against,
    exact: bool,
) -> Result<(), Vec<Error>> {
    say(
        out,
        &format!(
            "\nAgainst `{}` (run from the same effective date, with the same assumptions):",
            comparison.against
        ),
    )?;
    say(out, &report::against_table(comparison, exact))?;
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
    say(out, &report::attribution_table(comparison, exact))
}

fn discount_words(d: &crate::ledger::Discounting) -> String {
    format!("discounted at {} a year, {}", crate::money::percent(d.rate), d.convention)
}
