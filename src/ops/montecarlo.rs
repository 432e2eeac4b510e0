//! Monte Carlo as an operation: a scenario prepared for paths (checked, warned about, compiled),
//! a run of it whole or as a shard, the merge of shards back into the whole run's results,
//! `--against`'s distribution, and the files a run writes.

use super::files::draw_chart;
use crate::agreement::Agreement;
use crate::analysis::montecarlo::against::AgainstDistribution;
use crate::analysis::montecarlo::shard::{fingerprint, RunIdentity, Shard, ShardError, ShardSketch};
use crate::analysis::montecarlo::{self, MonteCarlo, Plan};
use crate::analysis::AnalysisError;
use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, StagedFile, Units};
use crate::scenario::{self, Loaded, Warning};
use rust_decimal::Decimal;
use std::path::Path;

/// A scenario ready for paths.
pub struct Prepared {
    pub loaded: Loaded,
    pub plan: Plan,
    /// What the scenario file sets but does not use (as every command warns).
    pub scenario_warnings: Vec<Warning>,
    /// What a Monte Carlo of it cannot draw or ignores.
    pub montecarlo_warnings: Vec<Warning>,
}

impl Prepared {
    /// Every warning, as the result files carry them.
    pub fn warnings(&self) -> Vec<String> {
        self.scenario_warnings.iter().chain(&self.montecarlo_warnings).map(|w| w.to_string()).collect()
    }

    /// What identifies a run of `paths` paths with `seed` of this scenario, for its shards.
    pub fn identity(&self, paths: u64, seed: u64) -> RunIdentity {
        RunIdentity {
            scenario: self.loaded.scenario.name.clone(),
            scenario_file: self.loaded.source.path.display().to_string(),
            scenario_fingerprint: fingerprint(&self.loaded.source.text),
            agreement: self.loaded.agreement.name.clone(),
            paths,
            seed,
            dealsim: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// Checks that `loaded` can be drawn year by year, collects its warnings (`against`: the
/// agreement a comparison runs it under, for what only matters there) and compiles its plan.
pub fn prepare(loaded: Loaded, against: Option<&Agreement>) -> Result<Prepared, Error> {
    if loaded.scenario.granularity != scenario::Granularity::Years {
        return Err(Error::Usage(
            "montecarlo draws growth per year: use a scenario with `periods = \"years\"`".into(),
        ));
    }
    let scenario_warnings = scenario::scenario_warnings(&loaded, against);
    let montecarlo_warnings = scenario::montecarlo_warnings(&loaded.scenario, &loaded.agreement);
    let plan = Plan::new(&loaded.agreement, &loaded.scenario)
        .map_err(|source| Error::Simulation { scenario: loaded.scenario.name.clone(), source })?;
    Ok(Prepared { loaded, plan, scenario_warnings, montecarlo_warnings })
}

/// The whole run, its warnings filled in.
pub fn run(
    prepared: &Prepared,
    paths: u64,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<MonteCarlo, Error> {
    let mut result = montecarlo::run_until(&prepared.plan, paths, seed, tick, stop).map_err(analysis)?;
    result.warnings = prepared.warnings();
    Ok(result)
}

/// Shard `shard` of the run, as a sketch to merge.
pub fn shard(
    prepared: &Prepared,
    paths: u64,
    seed: u64,
    shard: Shard,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<ShardSketch, Error> {
    ShardSketch::run(&prepared.plan, prepared.identity(paths, seed), shard, tick, stop).map_err(analysis)
}

/// Every shard of a run merged, and the run's results: the scenario file the shards name is
/// read again (and must be unchanged) for the periods, fixed revenue and discounting, so the
/// results equal, byte for byte, the run made in one piece.
pub fn merge(sketches: &[ShardSketch]) -> Result<(Prepared, MonteCarlo), Error> {
    let merged = ShardSketch::merge(sketches).map_err(analysis)?;
    let file = std::path::Path::new(&merged.run.scenario_file);
    let loaded = scenario::load_file(file)?;
    let now = fingerprint(&loaded.source.text);
    if now != merged.run.scenario_fingerprint {
        return Err(analysis(ShardError::Changed { file: merged.run.scenario_file.clone() }));
    }
    let prepared = prepare(loaded, None)?;
    let mut result = merged.finish(&prepared.plan).map_err(analysis)?;
    result.warnings = prepared.warnings();
    Ok((prepared, result))
}

/// `--against NAME`'s other agreement, built under the scenario's assumptions and compiled for
/// its paths, with the warnings that go with it.
pub struct AgainstPlan {
    /// As the user wrote it (errors name it so), and the agreement's own name.
    asked: String,
    pub name: String,
    plan: Plan,
    pub warnings: Vec<Warning>,
}

impl AgainstPlan {
    /// Whether the run and this distribution come from one pass over the paths
    /// (`montecarlo::against::fusable`), or two.
    pub fn fused(&self, prepared: &Prepared) -> bool {
        montecarlo::against::fusable(&prepared.plan, &self.plan)
    }
}

/// The other agreement of `--against name`.
pub fn against_plan(prepared: &Prepared, name: &str) -> Result<AgainstPlan, Error> {
    let loaded = &prepared.loaded;
    let (other, warnings) = super::against::other_agreement(loaded, name, "--against")?;
    let plan = Plan::new(&other, &loaded.scenario)
        .map_err(|source| Error::Simulation { scenario: loaded.scenario.name.clone(), source })?;
    Ok(AgainstPlan { asked: name.to_string(), name: other.name.clone(), plan, warnings })
}

/// The whole run (as `run`) and every path of it again under `other`, same draws: the
/// distribution of Microsoft's gain. One pass over the paths where `other.fused`, else the run
/// and then the distribution; the same results either way, to the byte.
pub fn run_against(
    prepared: &Prepared,
    other: &AgainstPlan,
    (paths, seed): (u64, u64),
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<(MonteCarlo, AgainstDistribution), Error> {
    let against_error = |e| Error::analysis(&format!("--against {}: ", other.asked), e);
    let (own, name) = (&prepared.plan, other.name.as_str());
    let (mut result, distribution) = if other.fused(prepared) {
        let (result, distribution) =
            montecarlo::against::run_fused((own, &other.plan, name), paths, seed, tick, stop)
                .map_err(analysis)?;
        (result, distribution.map_err(against_error)?)
    } else {
        let result = montecarlo::run_until(own, paths, seed, tick, stop).map_err(analysis)?;
        let distribution = montecarlo::against::run_against(own, &other.plan, name, paths, seed, tick, stop)
            .map_err(against_error)?;
        (result, distribution)
    };
    result.warnings = prepared.warnings();
    result.warnings.extend(other.warnings.iter().map(|w| w.to_string()));
    Ok((result, distribution))
}

/// The files of a Monte Carlo run in OUT/<scenario>/montecarlo/: CSV, JSON, `--against`'s
/// distribution, charts (drawn at `charts`, if any) and report.html.
pub fn files(
    loaded: &Loaded,
    result: &MonteCarlo,
    against: Option<&AgainstDistribution>,
    out: &Path,
    charts: Option<ChartSize>,
    units: Units,
) -> Result<Vec<StagedFile>, Error> {
    let folder = out.join(&loaded.scenario.name).join("montecarlo");
    let mut files = vec![
        StagedFile::new(
            report::Output::MonteCarloCsv.in_folder(&folder),
            report::montecarlo_csv(result, units)?,
        ),
        StagedFile::new(
            report::Output::MonteCarloJson.in_folder(&folder),
            report::pretty_json(report::Output::MonteCarloJson.name(), result)?,
        ),
    ];
    if let Some(dist) = against {
        files.push(StagedFile::new(
            report::Output::AgainstJson.in_folder(&folder),
            report::pretty_json(report::Output::AgainstJson.name(), dist)?,
        ));
    }
    let cap = loaded.agreement.openai_to_microsoft_cap();
    if let Some(size) = charts {
        let scenario = &loaded.scenario.name;
        files.extend(draw_chart(&chart::FanChart { mc: result, scenario, cap }, size, &folder)?);
        files.extend(draw_chart(&chart::RevenueFanChart { mc: result, scenario }, size, &folder)?);
        if let Some(dist) = against {
            let histogram = chart::GainHistogramChart { dist, scenario, agreement: &loaded.agreement.name };
            files.extend(draw_chart(&histogram, size, &folder)?);
        }
    }
    let charts = report::html::ChartSvg::from_files(&files);
    files.push(StagedFile::new(
        report::Output::ReportHtml.in_folder(&folder),
        report::html::montecarlo_report(loaded, result, &charts, against),
    ));
    Ok(files)
}

/// Several scenario files as one distribution: each path draws its file by weight, then that
/// file's own distributions (`montecarlo::Plan::weighted`).
pub struct Weighted {
    /// What the outputs are named and headed by (`mixture_of`).
    pub mixture: Loaded,
    pub plan: Plan,
    pub loaded: Vec<Loaded>,
    pub weights: Vec<Decimal>,
}

/// The files `loaded` with their `weights` (fractions adding up to 1) as one plan: each must run
/// in years, and all under one agreement.
pub fn weighted(loaded: Vec<Loaded>, weights: &[Decimal]) -> Result<Weighted, Error> {
    for one in &loaded {
        if one.scenario.granularity != scenario::Granularity::Years {
            return Err(Error::Usage(format!(
                "{}: montecarlo draws per year: use `periods = \"years\"`",
                one.source.path.display()
            )));
        }
    }
    if let Some(other) = loaded.iter().find(|l| l.agreement.name != loaded[0].agreement.name) {
        return Err(Error::Usage(format!(
            "weighted scenarios must share an agreement: `{}` is under `{}`, `{}` under `{}`",
            loaded[0].scenario.name, loaded[0].agreement.name, other.scenario.name, other.agreement.name
        )));
    }
    let mut plans = Vec::with_capacity(loaded.len());
    for (one, weight) in loaded.iter().zip(weights) {
        let plan = Plan::new(&one.agreement, &one.scenario)
            .map_err(|source| Error::Simulation { scenario: one.scenario.name.clone(), source })?;
        plans.push((*weight, plan));
    }
    let plan = Plan::weighted(plans).map_err(analysis)?;
    Ok(Weighted { mixture: mixture_of(&loaded, weights), plan, loaded, weights: weights.to_vec() })
}

/// The weighted run, its warnings (every file's) and weights filled in.
pub fn run_weighted(
    weighted: &Weighted,
    paths: u64,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<MonteCarlo, Error> {
    let mut result = montecarlo::run_until(&weighted.plan, paths, seed, tick, stop).map_err(analysis)?;
    result.warnings = weighted
        .loaded
        .iter()
        .flat_map(|l| scenario::scenario_warnings(l, None))
        .map(|w| w.to_string())
        .collect();
    result.weighted = weighted
        .loaded
        .iter()
        .zip(&weighted.weights)
        .map(|(l, w)| montecarlo::WeightedScenario { scenario: l.scenario.name.clone(), weight: *w })
        .collect();
    Ok(result)
}

/// What the outputs are named and headed by: the first file's scenario (its agreement, periods
/// and discounting, which the others share or are checked against), named `weighted`, its
/// description the files and their weights.
fn mixture_of(loaded: &[Loaded], weights: &[Decimal]) -> Loaded {
    let mut mixture = loaded[0].clone();
    let parts: Vec<String> = loaded
        .iter()
        .zip(weights)
        .map(|(l, w)| format!("{} {}", l.scenario.name, crate::money::percent(*w)))
        .collect();
    mixture.scenario.name = "weighted".to_string();
    mixture.scenario.description = format!(
        "{} (each path follows one file, drawn by weight; the assumptions listed are {}'s)",
        parts.join(", "),
        loaded[0].scenario.name
    );
    mixture
}

fn analysis(source: impl Into<AnalysisError>) -> Error {
    Error::analysis("", source)
}
