//! Monte Carlo as an operation: a scenario prepared for paths (checked, warned about, compiled),
//! a run of it whole or as a shard, and the merge of shards back into the whole run's results.

use crate::agreement::Agreement;
use crate::analysis::montecarlo::shard::{fingerprint, RunIdentity, Shard, ShardError, ShardSketch};
use crate::analysis::montecarlo::{self, MonteCarlo, Plan};
use crate::analysis::AnalysisError;
use crate::error::Error;
use crate::scenario::{self, Loaded, Warning};

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

fn analysis(source: impl Into<AnalysisError>) -> Error {
    Error::analysis("", source)
}
