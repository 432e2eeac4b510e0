//! `dealsim montecarlo`: many revenue paths, percentiles and a fan chart.

use super::super::{draw_chart, load_one, progress_bar, say, warn, write_all, wrote, ChartArgs};
use crate::chart;
use crate::error::Error;
use crate::report::{self, StagedFile};
use crate::scenario;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim montecarlo scenarios/uncertain.toml
  dealsim montecarlo scenarios/uncertain.toml --paths 1000000 --seed 7 --no-charts")]
pub struct Args {
    /// A scenario file (TOML) whose growth is a distribution, e.g.
    /// growth = { dist = "lognormal", median = 0.4, sigma = 0.2 }.
    pub file: PathBuf,
    /// Number of simulated paths.
    #[arg(long, default_value_t = 100_000)]
    pub paths: u64,
    /// Random seed: the same seed gives the same output on any number of threads.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Where to write: OUT/<scenario>/montecarlo/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, out: &mut dyn Write) -> Result<(), Vec<Error>> {
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
    let plan = montecarlo::Plan::new(&loaded.agreement, &loaded.scenario)
        .map_err(|source| vec![Error::Simulation { scenario: loaded.scenario.name.clone(), source }])?;
    let bar = progress_bar(args.paths, args.paths * plan.years() as u64, "paths");
    let result =
        montecarlo::run_until(&plan, args.paths, args.seed, &|n| bar.inc(n), &super::super::interrupted)
            .map_err(|e| vec![Error::Usage(e.to_string())])?;
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
        t.p5.human(),
        t.p50.human(),
        t.p95.human(),
        result.relative_error * 100.0
    ),
    )?;
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
    say(out, &wrote(&files))?;
    Ok(())
}
