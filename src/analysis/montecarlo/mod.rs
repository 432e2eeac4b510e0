//! `dealsim montecarlo`: many revenue paths, each growth drawn per path and year from the
//! scenario's distributions, each path simulated with exact money.
//!
//! Speed without giving up exactness: the plan holds the agreement's compiled terms (the same
//! `agreement::plan::Plan` the engine runs), and each path grows its revenue and calls the
//! engine's own `evaluate_period` per year, in `Decimal`, or in integer cents where every amount
//! is whole cents (`cents/`), with no allocation per path; so a path with the central growth
//! equals the deterministic ledger exactly. Paths run in fixed chunks of `CHUNK` on all cores; chunk `k`
//! draws from ChaCha8 stream `k` of the seed, and results are merged by adding integer counts,
//! so the same seed gives the same output on any number of threads.

mod accumulate;
pub mod against;
mod agi;
mod cap_rate;
mod cents;
mod chunk;
mod path;
mod revenue;
pub mod shard;

pub use cap_rate::CapRatePlan;
pub use path::PathWork;
pub use revenue::PathDraws;

use super::sketch::Sketch;
use crate::agreement::plan::{CompiledRate, Due, ExactPlan};
use crate::agreement::Agreement;
use crate::engine::evaluate::{evaluate_period, State};
use crate::engine::SimError;
use crate::money::{round_money, Money};
use crate::scenario::dist::Sampler;
use crate::scenario::{GrowthSource, Scenario};
use accumulate::Accumulator;
use cents::CentsPlan;
use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;
use rayon::prelude::*;
use revenue::Revenues;
use rust_decimal::Decimal;
use serde::Serialize;

/// Paths per chunk: the unit of work and of random streams.
pub const CHUNK: u64 = 4096;
/// The most paths one run may ask for: results are aggregated in bounded memory, so this bounds
/// time (about a minute on two cores), not memory.
pub const MAX_PATHS: u64 = 100_000_000;

/// An agreement and scenario compiled for the hot loop.
#[derive(Debug, Clone)]
pub struct Plan {
    /// How OpenAI's and Microsoft's revenue are made on a path.
    revenues: Revenues,
    /// Every stream's amount per period (the first two, OpenAI's and Microsoft's revenue,
    /// replaced by each path's).
    streams: Vec<Vec<Decimal>>,
    /// The agreement's compiled terms: the engine's rule, evaluated by the same function.
    terms: ExactPlan,
    cents: Option<CentsPlan>,
    /// Whether the scenario draws its cap or rate per path (needs the cents loop).
    uncertain_terms: bool,
    pub labels: Vec<String>,
    /// Each period's discount factor (the scenario's rate and convention, from the first
    /// period's start), exact and as a float; `None` when one cannot be computed.
    discount: Option<Vec<(Decimal, f64)>>,
    /// Probability-weighted AGI (`Scenario::agi_outcomes`, where the agreement has an AGI
    /// trigger): a plan per outcome, compiled with its date, and the draw that picks it — a
    /// path draws `u` uniform in 0..2^64 and takes the first outcome whose threshold is above
    /// it (threshold = cumulative probability × 2^64). Empty otherwise.
    agi: Vec<(u64, Plan)>,
    /// Whether `agi` holds weighted scenarios (`Plan::weighted`) rather than AGI outcomes; a
    /// scenario's plan may itself hold AGI outcomes, drawn next.
    weighted: bool,
}

impl Plan {
    /// A plan for one AGI date (the scenario's own `agi_declared`).
    fn with_one_agi_date(agreement: &Agreement, scenario: &Scenario) -> Result<Plan, SimError> {
        let terms = crate::engine::compile(agreement, scenario)?;
        let mut plan = Plan {
            revenues: Revenues::new(scenario),
            streams: (0..scenario.periods.len()).map(|t| scenario.streams_in(t)).collect(),
            terms,
            cents: None,
            uncertain_terms: scenario.uncertain.cap.is_some() || scenario.uncertain.share_rate.is_some(),
            labels: scenario.periods.iter().map(|p| p.label.clone()).collect(),
            discount: discount_factors(scenario),
            agi: Vec::new(),
            weighted: false,
        };
        plan.cents = plan.in_cents(scenario);
        Ok(plan)
    }

    pub fn years(&self) -> usize {
        self.revenues.periods()
    }

    pub fn has_randomness(&self) -> bool {
        self.draws_agi() || self.uncertain_terms || self.revenues.is_random()
    }
}

/// Five percentiles of one figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    pub p5: Money,
    pub p25: Money,
    pub p50: Money,
    pub p75: Money,
    pub p95: Money,
}

impl Percentiles {
    fn of(sketch: &Sketch) -> Percentiles {
        Percentiles::from_quantiles(|q| sketch.quantile(q))
    }

    fn of_signed(sketch: &super::sketch::SignedSketch) -> Percentiles {
        Percentiles::from_quantiles(|q| sketch.quantile(q))
    }

    fn from_quantiles(quantile: impl Fn(f64) -> Option<Decimal>) -> Percentiles {
        let q = |q: f64| Money(quantile(q).unwrap_or_default());
        Percentiles { p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) }
    }

    pub fn ordered(&self) -> bool {
        self.p5 <= self.p25 && self.p25 <= self.p50 && self.p50 <= self.p75 && self.p75 <= self.p95
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearResult {
    pub period: String,
    pub revenue: Percentiles,
    /// Microsoft's revenue from OpenAI-based products (the base of its share to OpenAI).
    pub microsoft_revenue: Percentiles,
    pub paid: Percentiles,
    pub cumulative_paid: Percentiles,
    /// Share of paths whose cap is reached by the end of this period, to six places.
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub probability_cap_reached: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarlo {
    pub paths: u64,
    pub seed: u64,
    pub relative_error: f64,
    pub years: Vec<YearResult>,
    pub total_paid: Percentiles,
    /// Present value of what each path pays Microsoft (accrued, valued at period ends at the
    /// scenario's discount rate and convention); `None` if a discount factor cannot be computed.
    pub present_value_paid: Option<Percentiles>,
    /// (low, high, paths) buckets of the total paid, for the histogram; bounds are chart
    /// positions, the exact figures are the percentiles.
    #[serde(skip)]
    pub total_paid_histogram: Vec<(f64, f64, u64)>,
    /// Every warning the command printed about this run, filled in by the command.
    pub warnings: Vec<String>,
    /// The scenario files a weighted run draws from, with their weights (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weighted: Vec<WeightedScenario>,
}

/// One file of a weighted run and its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedScenario {
    pub scenario: String,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub weight: Decimal,
}

/// Each period's discount factor (`Discounting::factors`, as the ledger's), with its float.
fn discount_factors(scenario: &Scenario) -> Option<Vec<(Decimal, f64)>> {
    use rust_decimal::prelude::ToPrimitive;
    let factors = scenario.discounting.factors(&scenario.periods).ok()?;
    Some(factors.into_iter().map(|f| (f, f.to_f64().unwrap_or(0.0))).collect())
}

/// What `run` cannot do: a path count out of range, or uncertain terms the cents loop cannot take.
fn refuse(plan: &Plan, paths: u64) -> Result<(), super::AnalysisError> {
    if paths == 0 || paths > MAX_PATHS {
        return Err(super::AnalysisError::Paths { max: MAX_PATHS });
    }
    for (_, component) in plan.agi.iter().filter(|_| plan.weighted) {
        refuse(component, paths)?;
    }
    if plan.uncertain_terms && plan.cents.is_none() && !plan.weighted {
        let tiered = |d: &Due<Decimal, crate::agreement::plan::ExactDue>| matches!(d, Due::Revenue { rule, .. } if matches!(rule.rate, CompiledRate::Tiered { .. }));
        if plan.terms.flows.iter().any(|f| tiered(&f.due)) {
            return Err(super::AnalysisError::UncertainWithTiers);
        }
        return Err(super::AnalysisError::UncertainNeedsCents);
    }
    Ok(())
}

/// Runs `paths` paths of `plan` with `seed`. `tick(n)` reports `n` finished paths.
pub fn run(
    plan: &Plan,
    paths: u64,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
) -> Result<MonteCarlo, super::AnalysisError> {
    run_until(plan, paths, seed, tick, &|| false)
}

/// `run`, asking `stop()` before each chunk (Ctrl-C): once it says yes, the remaining chunks are
/// skipped and the run ends with `AnalysisError::Interrupted` (memory stays bounded whatever the
/// number of paths: results are sketches).
pub fn run_until(
    plan: &Plan,
    paths: u64,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<MonteCarlo, super::AnalysisError> {
    let acc = accumulate_chunks((plan, None), paths, seed, 0..paths.div_ceil(CHUNK), (tick, stop))?;
    Ok(summarise(plan, paths, seed, &acc))
}

/// Progress (`tick(n)`: `n` more paths done) and Ctrl-C (`stop()`), as a run is told them.
type Progress<'a> = (&'a (dyn Fn(u64) + Sync), &'a (dyn Fn() -> bool + Sync));

/// Runs chunks `chunks` of a run of `paths` paths with `seed` (all of them, or a shard's) on
/// every core into one accumulator; with `other`, a fused `--against` run's other agreement on
/// the same draws into its tally (`against::run_fused`).
fn accumulate_chunks(
    (plan, other): (&Plan, Option<&Plan>),
    paths: u64,
    seed: u64,
    chunks: std::ops::Range<u64>,
    (tick, stop): Progress,
) -> Result<Accumulator, super::AnalysisError> {
    refuse(plan, paths)?;
    let years = plan.years();
    let microsoft_drawn = plan.fixed_microsoft_revenue().is_none();
    // Each rayon job takes at least a quarter of a core's share of the chunks (and 16), so only
    // a few accumulators (about 2 MB of bins each) are zeroed and merged, while a core that
    // finishes early can still take a job; results do not depend on the split, as merging adds
    // counts.
    let jobs = (chunks.end - chunks.start) as usize;
    let min_len = jobs.div_ceil(rayon::current_num_threads() * 4).max(16);
    let result = (chunks.start as usize..chunks.end as usize)
        .into_par_iter()
        .with_min_len(min_len)
        .fold(
            || Accumulator {
                against: other.map(|_| Default::default()),
                ..Accumulator::new(years, microsoft_drawn)
            },
            |mut acc, chunk| {
                if acc.interrupted || stop() {
                    acc.interrupted = true;
                    return acc;
                }
                let count = match other {
                    None => chunk::run_chunk::<false>((plan, None), chunk as u64, paths, seed, &mut acc),
                    Some(_) => chunk::run_chunk::<true>((plan, other), chunk as u64, paths, seed, &mut acc),
                };
                tick(count);
                acc
            },
        )
        .reduce_with(Accumulator::merge)
        .unwrap_or_else(|| Accumulator {
            against: other.map(|_| Default::default()),
            ..Accumulator::new(years, microsoft_drawn)
        });
    if result.interrupted {
        return Err(super::AnalysisError::Interrupted);
    }
    if result.overflowed {
        return Err(super::AnalysisError::PathOverflow);
    }
    Ok(result)
}

/// The percentiles and counts of a run of `paths` paths whose every chunk is in `result`.
fn summarise(plan: &Plan, paths: u64, seed: u64, result: &Accumulator) -> MonteCarlo {
    let years = plan.years();
    // Microsoft's revenue on every path, when nothing draws it (not sketched: the path itself).
    let fixed_microsoft = plan.fixed_microsoft_revenue();
    let per_million = |count: u64| (Decimal::from(count) / Decimal::from(paths)).round_dp(6);
    MonteCarlo {
        paths,
        seed,
        relative_error: super::sketch::RELATIVE_ERROR,
        years: (0..years)
            .map(|t| YearResult {
                period: plan.labels[t].clone(),
                revenue: Percentiles::of(&result.revenue[t]),
                microsoft_revenue: match &fixed_microsoft {
                    Some(fixed) => Percentiles::from_quantiles(|_| Some(fixed[t])),
                    None => Percentiles::of(&result.microsoft_revenue[t]),
                },
                paid: Percentiles::of(&result.paid[t]),
                cumulative_paid: Percentiles::of(&result.cumulative[t]),
                probability_cap_reached: per_million(result.cap_reached[t]),
            })
            .collect(),
        total_paid: Percentiles::of(&result.total),
        present_value_paid: plan.discount.as_ref().map(|_| Percentiles::of(&result.present_value)),
        total_paid_histogram: result.total.histogram(30),
        warnings: Vec::new(),
        weighted: Vec::new(),
    }
}
