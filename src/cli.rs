//! The command line: parses flags, calls the library, renders errors and picks the exit status.
//! No simulation logic lives here.

use crate::agreement::{self, describe};
use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, StagedFile};
use crate::scenario::{self, Loaded};
use crate::{diagnostic, engine};
use clap::{Parser, Subcommand};
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios: print each ledger and write ledger.csv, ledger.json and summary.json
    /// to OUT/<scenario name>/.
    Run(RunArgs),
    /// Run several scenarios and compare them side by side: writes OUT/compare/compare.csv and a
    /// chart overlaying their cumulative payments.
    Compare(CompareArgs),
    /// Print an agreement's clauses in plain words, with dates and sources.
    Terms {
        /// A built-in agreement name or an agreement file.
        #[arg(required_unless_present = "list")]
        agreement: Option<String>,
        /// List the built-in agreements instead.
        #[arg(long, conflicts_with = "agreement")]
        list: bool,
    },
    /// What changed from agreement A to agreement B, clause by clause.
    Diff {
        /// The earlier agreement (built-in name or file).
        a: String,
        /// The later agreement (built-in name or file).
        b: String,
    },
    /// Explain each figure of one year's ledger row: the clause, its inputs and the arithmetic.
    Explain {
        /// A scenario file (TOML).
        file: PathBuf,
        /// The year (or period label, e.g. 2025-Q3) to explain.
        #[arg(long)]
        year: String,
        /// Print the trace as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario over every combination of parameter values: OUT/<scenario>/sweep/sweep.csv and a
    /// heat map of two of them.
    Sweep(SweepArgs),
    /// Simulate many revenue paths, growth drawn from the scenario's distributions: per-year
    /// percentiles, the probability the cap is reached, and a fan chart.
    Montecarlo(MonteCarloArgs),
    /// Move each uncertain input across a range and rank inputs by their effect on the present
    /// value and total: OUT/<scenario>/sensitivity/sensitivity.csv and a tornado chart.
    Sensitivity(SensitivityArgs),
    /// Solve for the value of one input that reaches a target, by bisection on the exact engine.
    Goalseek(GoalSeekArgs),
    /// Validate scenario files without simulating or writing anything.
    Check {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
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

#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart size in pixels, WIDTHxHEIGHT (each 400 to 6000).
    #[arg(long, default_value = "1200x700", value_name = "WxH")]
    pub chart_size: ChartSize,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// NAME=VALUES: a range `20B..80B:10B`, a list `0.15,0.20` or one value. Repeat for more
    /// parameters. Names: cap, rate, share_base, effective_date, prior_payments_toward_cap,
    /// discount_rate, growth, revenue_scale, <clause-id>.rate, <clause-id>.cap.
    #[arg(long = "set", required = true, value_name = "NAME=VALUES")]
    pub settings: Vec<String>,
    /// The heat map's horizontal parameter (default: the first --set).
    #[arg(long)]
    pub x: Option<String>,
    /// The heat map's vertical parameter (default: the second --set, if any).
    #[arg(long)]
    pub y: Option<String>,
    /// What the heat map shows.
    #[arg(long, value_enum, default_value = "paid")]
    pub metric: chart::Metric,
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, clap::Args)]
pub struct MonteCarloArgs {
    /// A scenario file (TOML) whose growth is a distribution, e.g.
    /// growth = { dist = "lognormal", median = 0.4, sigma = 0.2 }.
    pub file: PathBuf,
    /// Number of simulated paths.
    #[arg(long, default_value_t = 100_000)]
    pub paths: u64,
    /// Random seed: the same seed gives the same output on any number of threads.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// Override an input's range, NAME=LO..HI (repeatable); naming an input not in the default
    /// set adds it.
    #[arg(long = "range", value_name = "NAME=LO..HI")]
    pub ranges: Vec<String>,
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, clap::Args)]
pub struct GoalSeekArgs {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// What to reach: paid=30B (total paid to Microsoft), net=…, pv=… (present value of the net),
    /// or cap_year=2028 (the cap reached in or before that year).
    #[arg(long)]
    pub target: String,
    /// The input to solve for: cap, rate, share_base, discount_rate, growth, revenue_scale,
    /// prior_payments_toward_cap, <clause-id>.rate, <clause-id>.cap.
    #[arg(long)]
    pub vary: String,
    /// Where to search, LO..HI (defaults per input, e.g. cap 0..1T, growth -50%..500%).
    #[arg(long, allow_hyphen_values = true)]
    pub range: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Scenario files (TOML), two or more.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Folder to write into; the comparison goes to OUT/compare/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Show exact amounts in the table instead of 12.5B-style figures.
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub charts: ChartArgs,
}

/// Parses the process's arguments, runs the command, reports errors; the binary's whole body.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
    ExitCode::from(code)
}

/// Runs a command, writing human output to `out`. Returns every error met (empty on success).
pub fn run(cli: Cli, out: &mut dyn Write) -> Vec<Error> {
    let result = match cli.command {
        Command::Run(args) => run_scenarios(&args, out),
        Command::Compare(args) => compare(&args, out),
        Command::Sweep(args) => sweep(&args, out),
        Command::Montecarlo(args) => montecarlo(&args, out),
        Command::Sensitivity(args) => sensitivity(&args, out),
        Command::Goalseek(args) => goalseek(&args, out),
        Command::Check { files } => check(&files, out),
        Command::Terms { agreement, list } => terms(agreement.as_deref(), list, out),
        Command::Diff { a, b } => diff(&a, &b, out),
        Command::Explain { file, year, json } => explain(&file, &year, json, out),
    };
    result.err().unwrap_or_default()
}

/// A valid input that probably means something else: said loudly on stderr, never silently run.
fn warn(warnings: &[scenario::Warning]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// Loads one scenario file and warns about what it sets but does not use.
fn load_one(file: &Path) -> Result<Loaded, Vec<Error>> {
    let loaded = scenario::load_file(file).map_err(|e| vec![Error::from(e)])?;
    warn(&scenario::scenario_warnings(&loaded));
    Ok(loaded)
}

/// Writes a command's files all or nothing (see `report::write_outputs`), warning when they
/// replace the results of another input.
fn write_all(files: &[StagedFile], source: &str) -> Result<(), Vec<Error>> {
    for overwrite in report::write_outputs(files, source).map_err(|e| vec![Error::from(e)])? {
        eprintln!("warning: {overwrite}");
    }
    Ok(())
}

fn say(out: &mut dyn Write, text: &str) -> Result<(), Vec<Error>> {
    writeln!(out, "{text}").map_err(|e| vec![Error::Stdout(e)])
}

/// Loads every file, collecting all errors rather than stopping at the first.
fn load_all(files: &[PathBuf]) -> Result<Vec<Loaded>, Vec<Error>> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match load_one(file) {
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

fn terms(name: Option<&str>, list: bool, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    if list {
        for name in agreement::builtin_names() {
            if let Some(a) = agreement::builtin(name) {
                let from = if a.timeline.is_some() { "from" } else { "effective" };
                say(out, &format!("{:<16} {}, {from} {}", a.name, a.title, a.effective.value))?;
            }
        }
        return say(out, "(`pre-revision` is another name for `restructured`)");
    }
    let a = scenario::load_agreement(name.unwrap_or("revised")).map_err(|e| vec![Error::from(e)])?;
    say(out, &format!("{} — {}", a.name, a.title))?;
    if let Some(timeline) = &a.timeline {
        say(
            out,
            &format!("A timeline of {} versions, each taking over on its date:", timeline.versions.len()),
        )?;
        for v in &timeline.versions {
            say(
                out,
                &format!(
                    "- `{}` from {} ({}: {})",
                    v.agreement.name, v.from.value, v.from.basis, v.from.source
                ),
            )?;
        }
        say(
            out,
            "Each clause below runs from its own start to the day before a later version takes it over; ids are `<version>/<clause>`.\n",
        )?;
    } else {
        say(
            out,
            &format!("Effective {} ({}: {})\n", a.effective.value, a.effective.basis, a.effective.source),
        )?;
    }
    for (i, clause) in a.clauses.iter().enumerate() {
        say(out, &format!("{}. {} (`{}`)", i + 1, describe::label(clause), clause.id()))?;
        say(out, &format!("   {}", describe::sentence(&a, clause)))?;
        for p in describe::parameters(&a, clause) {
            let provenance = match (p.basis, &p.source) {
                (Some(basis), Some(source)) => format!(" ({basis}: {source})"),
                _ => String::new(),
            };
            say(out, &format!("   - {}: {}{provenance}", p.name, p.value))?;
        }
        say(out, "")?;
    }
    Ok(())
}

fn diff(a: &str, b: &str, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let older = scenario::load_agreement(a).map_err(|e| vec![Error::from(e)])?;
    let newer = scenario::load_agreement(b).map_err(|e| vec![Error::from(e)])?;
    let changes = agreement::diff::diff(&older, &newer);
    if changes.is_empty() {
        return say(out, &format!("No differences between `{}` and `{}`.", older.name, newer.name));
    }
    say(out, &format!("Changes from `{}` to `{}`:", older.name, newer.name))?;
    for change in changes {
        say(out, &format!("- {change}"))?;
    }
    Ok(())
}

fn explain(file: &Path, year: &str, json: bool, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::explain;
    let loaded = load_one(file)?;
    let (ledger, _) = simulate(&loaded)?;
    let index = ledger.rows.iter().position(|r| r.period.label == year).ok_or_else(|| {
        let labels: Vec<&str> = ledger.rows.iter().map(|r| r.period.label.as_str()).collect();
        vec![Error::Usage(format!(
            "--year {year}: scenario `{}` has no such period; it has {}",
            loaded.scenario.name,
            labels.join(", ")
        ))]
    })?;
    let Some(explanation) = explain::explain(&ledger, &loaded.agreement, &loaded.scenario, index) else {
        return Ok(());
    };
    if json {
        let bytes = report::pretty_json("explanation", &explanation).map_err(|e| vec![Error::from(e)])?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return say(out, text.trim_end());
    }
    say(
        out,
        &format!(
            "Scenario `{}` under `{}`, {}:",
            explanation.scenario, explanation.agreement, explanation.period
        ),
    )?;
    for figure in &explanation.figures {
        say(out, &format!("- {}", figure.explanation))?;
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

fn sweep(args: &SweepArgs, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::{params, sweep};
    let loaded = load_one(&args.file)?;
    let settings = args
        .settings
        .iter()
        .map(|s| params::parse_setting(s, sweep::MAX_POINTS))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| vec![Error::Usage(format!("--set {e}"))])?;
    let size = sweep::grid_size(&settings).map_err(|e| vec![Error::Usage(format!("sweep refused: {e}"))])?;
    let names: Vec<String> = settings.iter().map(|(p, _)| p.to_string()).collect();
    let axis =
        |flag: &str, name: &Option<String>, default: Option<usize>| -> Result<Option<usize>, Vec<Error>> {
            match name {
                None => Ok(default),
                Some(n) => {
                    let wanted = params::Param::parse(n)
                        .map_err(|e| vec![Error::Usage(format!("--{flag}: {e}"))])?
                        .to_string();
                    names.iter().position(|p| *p == wanted).map(Some).ok_or_else(|| {
                        vec![Error::Usage(format!(
                            "--{flag} {n}: not one of the swept parameters ({})",
                            names.join(", ")
                        ))]
                    })
                }
            }
        };
    let x = axis("x", &args.x, Some(0))?.unwrap_or(0);
    let y = axis("y", &args.y, (settings.len() > 1).then_some(if x == 1 { 0 } else { 1 }))?;
    if y == Some(x) {
        return Err(vec![Error::Usage(format!(
            "--x and --y are both `{}`: a heat map needs two different swept parameters",
            names[x]
        ))]);
    }
    let bar = progress_bar(size as u64, (size * loaded.scenario.periods.len()) as u64, "sweep");
    let result = sweep::sweep(&loaded, &settings, &|| bar.inc(1))
        .map_err(|e| vec![Error::Usage(format!("sweep: {e}"))])?;
    bar.finish_and_clear();
    let folder = args.out.join(&loaded.scenario.name).join("sweep");
    let mut files = vec![StagedFile {
        path: folder.join("sweep.csv"),
        bytes: report::sweep_csv(&result).map_err(|e| vec![Error::from(e)])?,
    }];
    if !args.charts.no_charts {
        // One swept parameter is a line; a heat map needs two.
        if let Some(y) = y {
            let heatmap = chart::HeatmapChart {
                sweep: &result,
                scenario: &loaded.scenario.name,
                x,
                y,
                metric: args.metric,
            };
            files.extend(draw_chart(&heatmap, args.charts.chart_size, &folder)?);
        } else {
            let line = chart::SweepLineChart {
                sweep: &result,
                scenario: &loaded.scenario.name,
                metric: args.metric,
            };
            files.extend(draw_chart(&line, args.charts.chart_size, &folder)?);
        }
    }
    write_all(&files, &loaded.source.path.display().to_string())?;
    let metric = |p: &sweep::SweepPoint| args.metric.of(p);
    let (low, high) =
        (result.points.iter().min_by_key(|p| metric(p)), result.points.iter().max_by_key(|p| metric(p)));
    say(
        out,
        &format!(
            "Swept `{}` over {} points ({}).",
            loaded.scenario.name,
            result.points.len(),
            names.join(" × ")
        ),
    )?;
    for (label, point) in [("Lowest", low), ("Highest", high)] {
        if let Some(p) = point {
            let index = result.points.iter().position(|q| std::ptr::eq(q, p)).unwrap_or(0);
            let at = point_labels(&result, index);
            say(
                out,
                &format!(
                    "{label}: {} {} at {}",
                    args.metric.title(),
                    crate::money::Human(metric(p)),
                    at.join(", ")
                ),
            )?;
        }
    }
    say(out, &wrote(&files))?;
    Ok(())
}

fn montecarlo(args: &MonteCarloArgs, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::montecarlo;
    let loaded = load_one(&args.file)?;
    if args.paths == 0 || args.paths > montecarlo::MAX_PATHS {
        return Err(vec![Error::Usage(format!(
            "--paths {}: must be between 1 and {} (results are kept in bounded memory; this bounds time)",
            args.paths,
            montecarlo::MAX_PATHS
        ))]);
    }
    if loaded.scenario.granularity != scenario::Granularity::Years {
        return Err(vec![Error::Usage(
            "montecarlo draws growth per year: use a scenario with `periods = \"years\"`".into(),
        )]);
    }
    warn(&scenario::montecarlo_warnings(&loaded.scenario));
    let plan = montecarlo::Plan::new(&loaded.agreement, &loaded.scenario);
    let bar = progress_bar(args.paths, args.paths * plan.years() as u64, "paths");
    let result =
        montecarlo::run(&plan, args.paths, args.seed, &|n| bar.inc(n)).map_err(|e| vec![Error::Usage(e)])?;
    bar.finish_and_clear();
    let folder = args.out.join(&loaded.scenario.name).join("montecarlo");
    let mut files = vec![
        StagedFile {
            path: folder.join("montecarlo.csv"),
            bytes: report::montecarlo_csv(&result).map_err(|e| vec![Error::from(e)])?,
        },
        StagedFile {
            path: folder.join("montecarlo.json"),
            bytes: report::pretty_json("montecarlo.json", &result).map_err(|e| vec![Error::from(e)])?,
        },
    ];
    let cap = loaded.agreement.openai_to_microsoft_cap();
    if !args.charts.no_charts {
        let fan = chart::FanChart { mc: &result, scenario: &loaded.scenario.name, cap };
        files.extend(draw_chart(&fan, args.charts.chart_size, &folder)?);
    }
    write_all(&files, &loaded.source.path.display().to_string())?;
    say(out, &report::montecarlo_table(&result))?;
    let t = &result.total_paid;
    say(
        out,
        &format!(
        "Total paid to Microsoft over {} paths (seed {}): P5 {}, P50 {}, P95 {} (percentiles within {:.1}%)",
        crate::money::grouped(result.paths),
        result.seed,
        crate::money::Human(t.p5),
        crate::money::Human(t.p50),
        crate::money::Human(t.p95),
        result.relative_error * 100.0
    ),
    )?;
    say(out, &wrote(&files))?;
    Ok(())
}

fn sensitivity(args: &SensitivityArgs, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::{params, sensitivity};
    let usage = |e: String| vec![Error::Usage(e)];
    let loaded = load_one(&args.file)?;
    let mut ranges: Vec<(params::Param, params::Value, params::Value, String)> =
        sensitivity::default_ranges(&loaded)
            .into_iter()
            .map(|(p, lo, hi, why)| (p, lo, hi, why.to_string()))
            .collect();
    for text in &args.ranges {
        let (name, range) =
            text.split_once('=').ok_or_else(|| usage(format!("--range `{text}` is not NAME=LO..HI")))?;
        let param = params::Param::parse(name).map_err(|e| usage(format!("--range {e}")))?;
        let (lo, hi) = param.range(range).map_err(|e| usage(format!("--range {e}")))?;
        let entry = (param.clone(), lo, hi, "given with --range".to_string());
        match ranges.iter_mut().find(|r| r.0 == param) {
            Some(existing) => *existing = entry,
            None => ranges.push(entry),
        }
    }
    let report =
        sensitivity::sensitivity(&loaded, &ranges).map_err(|e| usage(format!("sensitivity: {e}")))?;
    let folder = args.out.join(&loaded.scenario.name).join("sensitivity");
    let mut files = vec![StagedFile {
        path: folder.join("sensitivity.csv"),
        bytes: report::sensitivity_csv(&report).map_err(|e| vec![Error::from(e)])?,
    }];
    if !args.charts.no_charts {
        let tornado = chart::TornadoChart { report: &report, scenario: &loaded.scenario.name };
        files.extend(draw_chart(&tornado, args.charts.chart_size, &folder)?);
    }
    write_all(&files, &loaded.source.path.display().to_string())?;
    say(out, &report::sensitivity_table(&report))?;
    say(out, &wrote(&files))?;
    Ok(())
}

fn goalseek(args: &GoalSeekArgs, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::{goalseek, params};
    let usage = |e: String| vec![Error::Usage(e)];
    let loaded = load_one(&args.file)?;
    let target = goalseek::Target::parse(&args.target).map_err(&usage)?;
    let param = params::Param::parse(&args.vary).map_err(|e| usage(format!("--vary {e}")))?;
    let (default_lo, default_hi, tolerance) = goalseek::default_range(&param)
        .ok_or_else(|| usage(format!("--vary {param}: goal seeking works on numeric inputs only")))?;
    let (lo, hi) = match &args.range {
        None => (default_lo, default_hi),
        Some(text) => {
            let number = |v: params::Value| match v {
                params::Value::Number(n) => Ok(n),
                params::Value::Date(_) => Err(usage(format!("--range: {param} is not a date"))),
            };
            let (lo, hi) = param.range(text).map_err(|e| usage(format!("--range {e}")))?;
            (number(lo)?, number(hi)?)
        }
    };
    let result = goalseek::seek(&loaded, &param, target, lo, hi, tolerance)
        .map_err(|e| usage(format!("goalseek: {e}")))?;
    say(out, &result.message)?;
    if result.answer.is_none() {
        // No solution is an answer, not a failure of the program; say it and exit 0.
        say(out, "Widen --range, or check the target can be reached at all.")?;
    }
    Ok(())
}

/// "cap=20B, share_rate=15%" for point `index` of a sweep.
fn point_labels(sweep: &crate::analysis::sweep::Sweep, index: usize) -> Vec<String> {
    let point = &sweep.points[index];
    sweep
        .params
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let i = sweep.axes[k].iter().position(|v| *v == point.values[k]).unwrap_or(0);
            format!("{name}={}", sweep.labels[k][i])
        })
        .collect()
}

fn check(files: &[PathBuf], out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let mut errors = Vec::new();
    for file in files {
        match load_one(file) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                let years = match (s.periods.first(), s.periods.last()) {
                    (Some(first), Some(last)) => format!("{}–{}", first.label, last.label),
                    _ => "no periods".to_string(),
                };
                say(
                    out,
                    &format!(
                        "ok: {} (scenario `{}`, agreement `{}`, {years})",
                        file.display(),
                        s.name,
                        loaded.agreement.name
                    ),
                )?;
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Simulates one loaded scenario: its ledger and summary.
fn simulate(l: &Loaded) -> Result<(crate::Ledger, crate::Summary), Vec<Error>> {
    let failed = |source| vec![Error::Simulation { scenario: l.scenario.name.clone(), source }];
    let ledger = engine::simulate(&l.agreement, &l.scenario).map_err(failed)?;
    let summary = ledger.summary().map_err(failed)?;
    Ok((ledger, summary))
}

/// "Wrote a.csv, b.json to out/base; c.csv to out/base/against-x": each folder once, in order.
fn wrote(files: &[StagedFile]) -> String {
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

fn run_scenarios(args: &RunArgs, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_all(&args.files)?;
    refuse_shared_names(&loaded)?;
    for l in &loaded {
        let (ledger, summary) = simulate(l)?;
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
                    crate::money::Human(comparison.microsoft_gain_present_value),
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

fn compare(args: &CompareArgs, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let loaded = load_all(&args.files)?;
    refuse_shared_names(&loaded)?;
    let mut runs = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let (ledger, summary) = simulate(l)?;
        runs.push((ledger, summary));
    }
    let summaries: Vec<&crate::Summary> = runs.iter().map(|(_, s)| s).collect();
    let folder = args.out.join("compare");
    let mut files = vec![StagedFile {
        path: folder.join("compare.csv"),
        bytes: report::compare_csv(&summaries).map_err(|e| vec![Error::from(e)])?,
    }];
    if !args.charts.no_charts {
        let comparison = chart::CompareChart {
            runs: runs.iter().map(|(ledger, summary)| (ledger, summary.openai_to_microsoft_cap())).collect(),
        };
        let rendered = draw_chart(&comparison, args.charts.chart_size, &folder)?;
        files.extend(rendered);
    }
    write_all(&files, &args.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "))?;
    say(out, &report::compare_table(&summaries, args.exact))?;
    say(out, &wrote(&files))?;
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
    use crate::analysis::against;
    let other = scenario::load_agreement(name).map_err(|e| vec![Error::from(e)])?;
    let other = against::counterfactual(&l.agreement, &other, &l.scenario)
        .map_err(|e| vec![Error::Usage(format!("--against {name}: {e}"))])?;
    warn(&scenario::against_warnings(&l.scenario, &other));
    let comparison = against::against(&l.agreement, &other, &l.scenario)
        .map_err(|source| vec![Error::Simulation { scenario: l.scenario.name.clone(), source }])?;
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

/// Renders a chart beside the other outputs in `folder`, naming the chart in any error.
fn draw_chart(
    chart: &impl chart::Chart,
    size: ChartSize,
    folder: &Path,
) -> Result<Vec<StagedFile>, Vec<Error>> {
    chart::render(chart, size, folder).map_err(|reason| {
        vec![Error::Output(report::OutputError::Chart {
            path: folder.join(format!("{}.png", chart.name())),
            reason,
        })]
    })
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

/// Two scenarios with one name would overwrite each other's output folder.
fn refuse_shared_names(loaded: &[Loaded]) -> Result<(), Vec<Error>> {
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
