//! The command line: parses flags, calls the library, renders errors and picks the exit status.
//! No simulation logic lives here. Each subcommand is one file in `commands/` with its arguments
//! (`Args`) and one `exec` function; `command_table!` below is the table that lists them. A new
//! subcommand is one file plus one line in that table.

mod commands;

use crate::chart::ChartSize;
use crate::diagnostic;
use crate::error::Error;
use crate::report::{self, StagedFile};
use crate::scenario::{self, Loaded};
use clap::Parser;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "dealsim",
    version,
    about = "Simulate the cash flows and rights of a commercial agreement, year by year"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Start every CSV written with a UTF-8 byte-order mark, so Excel on Windows reads its
    /// non-ASCII text (→, –) correctly. Off by default: other tools may show the mark.
    #[arg(long, global = true)]
    pub excel_csv: bool,
    /// Show money in CSV files and workbooks in dollars (raw, exact), millions (M) or billions
    /// (B). CSV values are scaled exactly and their column names say the unit
    /// (`share_paid_usd_bn`); workbook cells keep dollars and only their format scales.
    #[arg(long, global = true, value_enum, default_value = "raw", ignore_case = true)]
    pub units: report::Units,
}

/// The subcommands: `Variant => module`, with the help line as its doc comment.
macro_rules! command_table {
    ($($(#[doc = $doc:expr])* $variant:ident => $module:ident,)*) => {
        #[derive(Debug, clap::Subcommand)]
        pub enum Command {
            $($(#[doc = $doc])* $variant(commands::$module::Args),)*
        }

        /// Runs a command, writing human output to `out`. Returns every error met (empty on success).
        pub fn run(cli: Cli, out: &mut dyn Write) -> Vec<Error> {
            let options = report::OutputOptions { units: cli.units, excel_csv: cli.excel_csv };
            let result = match cli.command {
                $(Command::$variant(args) => commands::$module::exec(&args, &options, out),)*
            };
            result.err().unwrap_or_default()
        }
    };
}

command_table! {
    /// Simulate scenarios: print each ledger and write ledger.csv, ledger.json and summary.json
    /// to OUT/<scenario name>/.
    Run => run,
    /// Run several scenarios and compare them side by side: writes OUT/compare/compare.csv and a
    /// chart overlaying their cumulative payments.
    Compare => compare,
    /// Print an agreement's clauses in plain words, with dates and sources.
    Terms => terms,
    /// What changed from agreement A to agreement B, clause by clause.
    Diff => diff,
    /// Explain each figure of one year's ledger row: the clause, its inputs and the arithmetic.
    Explain => explain,
    /// Run a scenario over every combination of parameter values: OUT/<scenario>/sweep/sweep.csv and a
    /// heat map of two of them.
    Sweep => sweep,
    /// Simulate many revenue paths, growth drawn from the scenario's distributions: per-year
    /// percentiles, the probability the cap is reached, and a fan chart.
    Montecarlo => montecarlo,
    /// Join the sketches of a Monte Carlo run's shards (`montecarlo --shard I/N --sketch-out
    /// FILE`) into the run's results, byte for byte those of the run made in one piece.
    Merge => merge,
    /// Move each uncertain input across a range and rank inputs by their effect on the present
    /// value and total: OUT/<scenario>/sensitivity/sensitivity.csv and a tornado chart.
    Sensitivity => sensitivity,
    /// Solve for the value of one input that reaches a target, by bisection on the exact engine.
    Goalseek => goalseek,
    /// Infer the undisclosed terms from reported figures: the posterior over each unknown, the
    /// figures each reading contradicts, and the headline figures predicted.
    Calibrate => calibrate,
    /// Validate scenario files without simulating or writing anything.
    Check => check,
    /// Search random scenarios for one that breaks an agreement's declared invariants; a break is
    /// shrunk and written to OUT/verify/<agreement>/counterexample.toml.
    Verify => verify,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions => completions,
    /// Print the manual page (roff).
    Man => man,
}

#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart size in pixels, WIDTHxHEIGHT (each 400 to 6000).
    #[arg(long, default_value = "1200x700", value_name = "WxH")]
    pub chart_size: ChartSize,
}

impl ChartArgs {
    /// The size to draw charts at, or `None` for `--no-charts` (as operations take it).
    pub fn size(&self) -> Option<ChartSize> {
        (!self.no_charts).then_some(self.chart_size)
    }
}

/// Parses the process's arguments, runs the command, reports errors; the binary's whole body.
/// Set by Ctrl-C: long runs (sweeps, Monte Carlo) stop at the next chunk, write nothing and exit
/// 130, the shell's code for an interrupt.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // If the handler cannot be installed, Ctrl-C ends the process at once, as it would anyway;
    // outputs are still written all or nothing (temporary files, renamed at the end).
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, std::sync::atomic::Ordering::Relaxed));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let errors = run(cli, &mut out);
    let terminal = std::io::stderr().is_terminal();
    let mut code = 0;
    for error in &errors {
        if let Error::Stdout(e) = error {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                // `dealsim run … | head` closing the pipe early is the reader's choice, not a failure.
                continue;
            }
        }
        eprint!("{}", diagnostic::render(error, terminal));
        code = code.max(error.exit_code());
    }
    if interrupted() && code != 0 {
        code = 130;
    }
    ExitCode::from(code)
}

/// A valid input that probably means something else: said loudly on stderr, never silently run.
pub(crate) fn warn(warnings: &[scenario::Warning]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// Says each of `warnings` (already words) on stderr.
pub(crate) fn warn_each<'a>(warnings: impl Iterator<Item = &'a String>) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// A command's errors are a list (`check` reports every bad file): one error from the library is
/// a list of one, so `?` carries it.
impl From<Error> for Vec<Error> {
    fn from(error: Error) -> Vec<Error> {
        vec![error]
    }
}

/// Loads one scenario file and warns about what it sets but does not use (under its agreement
/// and, with `--against`, that agreement too: an error loading it is reported where it is used).
pub(crate) fn load_one(file: &Path, against: Option<&str>) -> Result<Loaded, Vec<Error>> {
    let loaded = scenario::load_file(file).map_err(Error::from)?;
    let other = against.and_then(|name| scenario::load_agreement(name).ok());
    warn(&scenario::scenario_warnings(&loaded, other.as_ref()));
    Ok(loaded)
}

/// Writes a command's files all or nothing (see `report::write_outputs`), warning when they
/// replace the results of another input.
pub(crate) fn write_all(
    files: &[StagedFile],
    source: &str,
    options: &report::OutputOptions,
) -> Result<(), Vec<Error>> {
    write_all_with(files, Vec::new(), source, options)
}

/// `write_all`, renaming files already streamed to their temporary names (`prewritten`) into
/// place with the rest.
pub(crate) fn write_all_with(
    files: &[StagedFile],
    prewritten: Vec<report::PreWritten>,
    source: &str,
    options: &report::OutputOptions,
) -> Result<(), Vec<Error>> {
    let marked: Vec<StagedFile>;
    let files = if options.excel_csv {
        marked = files.iter().map(report::with_excel_bom).collect();
        &marked[..]
    } else {
        files
    };
    for overwrite in report::write_outputs_with(files, prewritten, source).map_err(Error::from)? {
        eprintln!("warning: {overwrite}");
    }
    Ok(())
}

/// An analysis error kept typed to the edge, with where it happened (`"--set "`, `"sweep: "`).
/// Writes `bytes` to a file the user named (`--write-scenario`, `--sketch-out`), whole or not at
/// all: into a temporary beside it, then renamed over it. Refused when it is one of `inputs`.
pub(crate) fn write_named_file(
    flag: &str,
    path: &Path,
    bytes: &[u8],
    inputs: &[&Path],
) -> Result<(), Vec<Error>> {
    let same = |other: &Path| match (std::fs::canonicalize(path), std::fs::canonicalize(other)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if inputs.iter().any(|input| same(input)) {
        return Err(vec![Error::Usage(format!(
            "{flag} {}: that is one of the command's inputs; name a new file",
            path.display()
        ))]);
    }
    let failed = |e: std::io::Error| {
        vec![Error::Output(report::OutputError::Write { path: path.to_path_buf(), source: e })]
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".dealsim-{}", std::process::id()));
    let temporary = std::path::PathBuf::from(temporary);
    std::fs::write(&temporary, bytes).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        failed(e)
    })
}

pub(crate) fn analysis<E: Into<crate::analysis::AnalysisError>>(
    context: &str,
) -> impl Fn(E) -> Vec<Error> + '_ {
    move |e| vec![Error::analysis(context, e)]
}

pub(crate) fn say(out: &mut dyn Write, text: &str) -> Result<(), Vec<Error>> {
    writeln!(out, "{text}").map_err(|e| vec![Error::Stdout(e)])
}

/// Loads every file, collecting all errors rather than stopping at the first.
pub(crate) fn load_all(files: &[PathBuf], against: Option<&str>) -> Result<Vec<Loaded>, Vec<Error>> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match load_one(file, against) {
            Ok(l) => loaded.push(l),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(errors)
    }
}

/// "Wrote a.csv, b.json to out/base; c.csv to out/base/against-x": each folder once, in order.
pub(crate) fn wrote(files: &[StagedFile]) -> String {
    let mut folders: Vec<(&Path, Vec<String>)> = Vec::new();
    for file in files {
        let folder = file.path.parent().unwrap_or(Path::new(""));
        let name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match folders.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, names)) => names.push(name),
            None => folders.push((folder, vec![name])),
        }
    }
    let parts: Vec<String> = folders
        .iter()
        .map(|(folder, names)| format!("{} to {}", names.join(", "), folder.display()))
        .collect();
    format!("Wrote {}", parts.join("; "))
}

/// Two scenarios with one name would overwrite each other's output folder.
pub(crate) fn refuse_shared_names(loaded: &[Loaded]) -> Result<(), Vec<Error>> {
    for (i, a) in loaded.iter().enumerate() {
        if let Some(b) = loaded[..i].iter().find(|b| b.scenario.name == a.scenario.name) {
            return Err(vec![Error::Usage(format!(
                "{} and {} are both named `{}`, so they would write to the same output folder; give one a different `name`",
                b.source.path.display(),
                a.source.path.display(),
                a.scenario.name
            ))]);
        }
    }
    Ok(())
}

/// A progress bar on standard error when it is a terminal and the work is long enough to wait
/// for (more than about a second: ~2 million simulated path-years or points × years); hidden
/// otherwise, so logs and pipes stay clean.
pub fn progress_bar(total: u64, work: u64, what: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() || work < 2_000_000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({eta} left)") {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar
}
