//! `dealsim montecarlo`: many revenue paths, percentiles and a fan chart.

use super::super::{load_one, progress_bar, say, warn, write_all, wrote, ChartArgs};
use crate::error::Error;
use crate::report::{self, OutputOptions};
use crate::scenario;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim montecarlo scenarios/uncertain.toml
  dealsim montecarlo scenarios/uncertain.toml --paths 1000000 --seed 7 --no-charts
  dealsim montecarlo scenarios/uncertain.toml --against pre-revision
  dealsim montecarlo scenarios/uncertain.toml --shard 1/2 --sketch-out part-1.json
  dealsim montecarlo scenarios/bear.toml scenarios/base.toml scenarios/bull.toml --weights 25%,50%,25%")]
pub struct Args {
    /// A scenario file (TOML) whose revenue, growth, cap or rate is a distribution, e.g.
    /// growth = { dist = "lognormal", median = 0.4, sigma = 0.2 }; or several, with --weights.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// With several files: each path follows one of them, drawn by these weights (adding up to
    /// 100%), then that file's own distributions: `--weights 25%,50%,25%`.
    #[arg(long, value_delimiter = ',')]
    pub weights: Vec<String>,
    /// Number of simulated paths.
    #[arg(long, default_value_t = 100_000)]
    pub paths: u64,
    /// Random seed: the same seed gives the same output on any number of threads.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Also run every path under this agreement (built-in name or file) and report the
    /// distribution of what the scenario's terms are worth to Microsoft against it: P5/P50/P95
    /// of the present-value gain, the probability they favour Microsoft, and a histogram.
    #[arg(long, value_name = "AGREEMENT")]
    pub against: Option<String>,
    /// Where to write: OUT/<scenario>/montecarlo/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Run only part I of N of the paths (`--shard 3/16`, 1-based), for a run spread over
    /// machines: needs --sketch-out; `dealsim merge` joins the parts into the whole run's results.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Write the run's (or the shard's) mergeable sketch to FILE instead of its results.
    #[arg(long, value_name = "FILE")]
    pub sketch_out: Option<PathBuf>,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::ops::montecarlo as op;
    if args.shard.is_some() || args.sketch_out.is_some() {
        return exec_shard(args, options, out);
    }
    if args.files.len() > 1 || !args.weights.is_empty() {
        return super::montecarlo_weighted::exec(args, options, out);
    }
    let loaded = load_one(&args.files[0], args.against.as_deref())?;
    check_paths(args)?;
    let other = args.against.as_deref().and_then(|name| scenario::load_agreement(name).ok());
    let prepared = op::prepare(loaded, other.as_ref())?;
    warn(&prepared.montecarlo_warnings);
    let (loaded, plan) = (&prepared.loaded, &prepared.plan);
    let (result, against) = match &args.against {
        None => {
            let bar = progress_bar(args.paths, args.paths * plan.years() as u64, "paths");
            let result =
                op::run(&prepared, args.paths, args.seed, &|n| bar.inc(n), &super::super::interrupted)?;
            bar.finish_and_clear();
            (result, None)
        }
        Some(name) => {
            let other = op::against_plan(&prepared, name)?;
            // One pass over the paths for both agreements where they can share it, else two.
            let passes = if other.fused(&prepared) { 1 } else { 2 };
            let bar = progress_bar(passes * args.paths, passes * args.paths * plan.years() as u64, "paths");
            let (paths, seed) = (args.paths, args.seed);
            let tick = |n| bar.inc(n);
            let (result, distribution) =
                op::run_against(&prepared, &other, (paths, seed), &tick, &super::super::interrupted)?;
            bar.finish_and_clear();
            warn(&other.warnings);
            (result, Some(distribution))
        }
    };
    // Every warning said on stderr is in montecarlo.json and report.html too.
    let files = op::files(loaded, &result, against.as_ref(), &args.out, args.charts.size(), options.units)?;
    write_all(&files, &loaded.source.path.display().to_string(), options)?;
    print_results(out, loaded, plan, &result, against.as_ref())?;
    say(out, &wrote(&files))?;
    Ok(())
}

/// `--shard I/N --sketch-out FILE`: one part of the run, written as a sketch for `dealsim merge`
/// (no percentiles: a part's are not the run's).
fn exec_shard(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::montecarlo::shard::Shard;
    use crate::ops::montecarlo as op;
    let usage = |text: &str| Err(vec![Error::Usage(text.to_string())]);
    let Some(path) = &args.sketch_out else {
        return usage("--shard needs --sketch-out FILE: a shard is part of a run, its sketch merged with the others by `dealsim merge`");
    };
    if args.files.len() > 1 || !args.weights.is_empty() || args.against.is_some() {
        return usage("--shard and --sketch-out run one scenario file, without --weights or --against (not yet supported)");
    }
    let shard = match &args.shard {
        Some(text) => Shard::parse(text).map_err(super::super::analysis(""))?,
        None => Shard::WHOLE,
    };
    let loaded = load_one(&args.files[0], None)?;
    check_paths(args)?;
    let prepared = op::prepare(loaded, None)?;
    warn(&prepared.montecarlo_warnings);
    let shard_paths = shard.paths(args.paths);
    let bar = progress_bar(shard_paths, shard_paths * prepared.plan.years() as u64, "paths");
    let sketch =
        op::shard(&prepared, args.paths, args.seed, shard, &|n| bar.inc(n), &super::super::interrupted)?;
    bar.finish_and_clear();
    super::super::write_named_file(
        "--sketch-out",
        path,
        sketch.to_json().as_bytes(),
        &[&prepared.loaded.source.path],
    )?;
    say(
        out,
        &format!(
            "Shard {shard} of {} paths (seed {}): {} paths; wrote its sketch to {} (merge every shard with `dealsim merge`)",
            crate::money::grouped(args.paths),
            args.seed,
            crate::money::grouped(shard_paths),
            path.display()
        ),
    )
}

/// `--paths` within 1..=`MAX_PATHS`.
pub(super) fn check_paths(args: &Args) -> Result<(), Vec<Error>> {
    use crate::analysis::montecarlo::MAX_PATHS;
    if args.paths == 0 || args.paths > MAX_PATHS {
        return Err(vec![Error::Usage(format!(
            "--paths {}: must be between 1 and {MAX_PATHS} (results are kept in bounded memory; this bounds time)",
            args.paths
        ))]);
    }
    Ok(())
}

/// The terminal lines: the per-year table, totals and present value percentiles, the AGI draw
/// and `--against`'s distribution.
pub(super) fn print_results(
    out: &mut dyn Write,
    loaded: &scenario::Loaded,
    plan: &crate::analysis::montecarlo::Plan,
    result: &crate::analysis::montecarlo::MonteCarlo,
    against: Option<&crate::analysis::montecarlo::against::AgainstDistribution>,
) -> Result<(), Vec<Error>> {
    say(out, &report::montecarlo_table(result))?;
    let t = &result.total_paid;
    say(
        out,
        &format!(
        "Total paid to Microsoft over {} paths (seed {}): P5 {}, P50 {}, P95 {} (percentiles within {:.1}%)",
        crate::money::grouped(result.paths),
        result.seed,
        t.p5.human(),
        t.p50.human(),
        t.p95.human(),
        result.relative_error * 100.0
    ),
    )?;
    if !loaded.scenario.agi_outcomes.is_empty() {
        let applies = if plan.draws_agi() {
            format!("each path draws it (`{}` ends clauses when AGI is declared)", loaded.agreement.name)
        } else {
            format!("`{}` has no clause AGI ends, so it matters only with --against", loaded.agreement.name)
        };
        say(
            out,
            &format!(
                "AGI declared, probability-weighted: {}; {applies}",
                scenario::agi_outcomes_words(&loaded.scenario.agi_outcomes)
            ),
        )?;
    }
    if let Some(pv) = &result.present_value_paid {
        say(
            out,
            &format!(
                "Present value of what Microsoft is paid (at {} a year, {}, valued at the first period's start): P5 {}, P50 {}, P95 {}",
                crate::money::percent(loaded.scenario.discounting.rate),
                loaded.scenario.discounting.convention,
                pv.p5.human(),
                pv.p50.human(),
                pv.p95.human()
            ),
        )?;
    }
    if let Some(a) = against {
        let g = &a.gain_present_value;
        say(
            out,
            &format!(
                "Against `{}`: present value of Microsoft's gain from the terms of `{}` (OpenAI's is the negative): P5 {}, P50 {}, P95 {}; the terms favour Microsoft on {} of paths, OpenAI on {}",
                a.against,
                loaded.agreement.name,
                g.p5.human(),
                g.p50.human(),
                g.p95.human(),
                crate::money::percent(a.probability_favours_microsoft),
                crate::money::percent(a.probability_favours_openai)
            ),
        )?;
    }
    Ok(())
}
