//! `dealsim montecarlo`: many revenue paths, each growth drawn per path and year from the
//! scenario's distributions, each path simulated with exact money.
//!
//! Speed without giving up exactness: the agreement is compiled once into a flat per-year `Plan`
//! (days in force, rates, caps), and the hot loop repeats the engine's arithmetic (same roundings,
//! same order) with no allocation per path, so a path with the central growth equals the
//! deterministic ledger exactly. Paths run in fixed chunks of `CHUNK` on all cores; chunk `k`
//! draws from ChaCha8 stream `k` of the seed, and results are merged by adding integer counts,
//! so the same seed gives the same output on any number of threads.

mod accumulate;
mod cents;

use super::sketch::Sketch;
use crate::agreement::{due_on, rate_days, tiered_due, Agreement, Clause, RevenueStream};
use crate::engine::in_force;
use crate::money::round_money;
use crate::scenario::dist::Sampler;
use crate::scenario::{GrowthSource, Scenario};
use accumulate::Accumulator;
use cents::CentsPlan;
use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

/// Paths per chunk: the unit of work and of random streams.
pub const CHUNK: u64 = 4096;
/// The most paths one run may ask for: results are aggregated in bounded memory, so this bounds
/// time (about a minute on two cores), not memory.
pub const MAX_PATHS: u64 = 100_000_000;

/// One revenue share, flattened.
#[derive(Debug, Clone)]
struct SharePlan {
    openai_stream: bool,
    to_microsoft: bool,
    fraction: Option<Decimal>,
    /// Per period, Σ rate × days in force (a rate schedule's segments): what the base is
    /// multiplied by before dividing by the period's days, as `RevenueShare::due` does.
    rate_days: Vec<Decimal>,
    /// Marginal tiers and the rate below the first: then `due` is `tiered_due`, not linear.
    tiers: Option<(Decimal, Vec<crate::agreement::Tier>)>,
    year_days: Vec<i64>,
    days: Vec<i64>,
    period_days: Vec<i64>,
    /// Whether the share has been in force on any day up to each period (a cap is reached only
    /// once its clause exists).
    started: Vec<bool>,
    cap: Option<Decimal>,
    prior: Decimal,
}

/// How one year's OpenAI revenue is made.
#[derive(Debug, Clone, Copy)]
enum Step {
    Listed(Decimal),
    Fixed(Decimal),
    Random(Sampler),
}

/// An agreement and scenario compiled for the hot loop.
#[derive(Debug, Clone)]
pub struct Plan {
    steps: Vec<Step>,
    microsoft_revenue: Vec<Decimal>,
    shares: Vec<SharePlan>,
    cents: Option<CentsPlan>,
    /// Whether the scenario draws its cap or rate per path (needs the cents loop).
    uncertain_terms: bool,
    pub labels: Vec<String>,
}

impl Plan {
    pub fn new(agreement: &Agreement, scenario: &Scenario) -> Plan {
        let steps = scenario
            .openai_growth
            .iter()
            .zip(&scenario.openai_revenue)
            .map(|(source, revenue)| match source {
                GrowthSource::Listed => Step::Listed(*revenue),
                GrowthSource::Fixed(g) => Step::Fixed(Decimal::ONE + g),
                GrowthSource::Random(dist) => Step::Random(dist.sampler()),
            })
            .collect();
        let shares = agreement
            .clauses
            .iter()
            .filter_map(|clause| match clause {
                Clause::RevenueShare(share) => {
                    let force = in_force(agreement, clause, scenario);
                    Some(SharePlan {
                        openai_stream: share.base.value.stream == RevenueStream::OpenaiRevenue,
                        to_microsoft: share.openai_pays_microsoft(),
                        fraction: (share.base.value.fraction != Decimal::ONE)
                            .then_some(share.base.value.fraction),
                        rate_days: scenario
                            .periods
                            .iter()
                            .map(|p| {
                                rate_days(&share.segments(force.first, force.last, p)).unwrap_or(Decimal::MAX)
                            })
                            .collect(),
                        tiers: share.tiers.as_ref().map(|t| (share.rate.value, t.value.clone())),
                        year_days: scenario.periods.iter().map(|p| p.year_days()).collect(),
                        days: scenario.periods.iter().map(|p| force.days_in(p)).collect(),
                        period_days: scenario.periods.iter().map(|p| p.days()).collect(),
                        started: scenario
                            .periods
                            .iter()
                            .scan(false, |started, p| {
                                *started |= force.days_in(p) > 0;
                                Some(*started)
                            })
                            .collect(),
                        cap: share.cap.as_ref().map(|c| c.value.amount()),
                        prior: scenario.prior_payments_toward_cap,
                    })
                }
                _ => None,
            })
            .collect();
        let mut plan = Plan {
            steps,
            microsoft_revenue: scenario.microsoft_revenue.clone(),
            shares,
            cents: None,
            uncertain_terms: scenario.uncertain.cap.is_some() || scenario.uncertain.share_rate.is_some(),
            labels: scenario.periods.iter().map(|p| p.label.clone()).collect(),
        };
        plan.cents = plan.in_cents(scenario);
        plan
    }

    pub fn years(&self) -> usize {
        self.steps.len()
    }

    pub fn has_randomness(&self) -> bool {
        self.uncertain_terms
            || self.steps.iter().any(|s| {
                matches!(
                    s,
                    Step::Random(
                        Sampler::LogNormal(_)
                            | Sampler::GrowthFactor(_)
                            | Sampler::Normal(_)
                            | Sampler::Triangular(_)
                            | Sampler::Uniform { .. }
                    )
                )
            })
    }

    /// Simulates one path, calling `record(year, revenue, paid_to_microsoft, cumulative, cap_reached)`.
    /// `None` on overflow.
    #[inline]
    pub fn path<R: rand::Rng>(
        &self,
        rng: &mut R,
        rooms: &mut [Option<Decimal>],
        mut record: impl FnMut(usize, Decimal, Decimal, Decimal, bool),
    ) -> Option<()> {
        if let Some(plan) = &self.cents {
            let cents = |c: i128| Decimal::from_i128_with_scale(c, 2);
            return plan
                .path(rng, &mut |t, r, p, c, reached| record(t, cents(r), cents(p), cents(c), reached));
        }
        for (room, share) in rooms.iter_mut().zip(&self.shares) {
            *room = share.cap.map(|cap| (cap - share.prior).max(Decimal::ZERO));
        }
        let mut revenue = Decimal::ZERO;
        let mut cumulative = Decimal::ZERO;
        for (t, step) in self.steps.iter().enumerate() {
            revenue = match step {
                Step::Listed(r) => *r,
                Step::Fixed(factor) => round_money(revenue.checked_mul(*factor)?),
                Step::Random(sampler) => round_money(revenue.checked_mul(Decimal::ONE + sampler.draw(rng))?),
            };
            let mut paid_to_microsoft = Decimal::ZERO;
            let mut cap_reached = false;
            for (share, room) in self.shares.iter().zip(rooms.iter_mut()) {
                let stream = if share.openai_stream { revenue } else { self.microsoft_revenue[t] };
                // Not rounded: the engine rounds once, at `due`.
                let base = match share.fraction {
                    None => stream,
                    Some(f) => stream.checked_mul(f)?,
                };
                let due = match &share.tiers {
                    Some((below, tiers)) => tiered_due(
                        base,
                        *below,
                        tiers,
                        share.days[t],
                        share.period_days[t],
                        share.year_days[t],
                    )?,
                    None => due_on(base, share.rate_days[t], share.period_days[t])?,
                };
                let paid = match room {
                    Some(r) => {
                        let paid = due.min(*r);
                        *r -= paid;
                        cap_reached |= share.to_microsoft && share.started[t] && r.is_zero();
                        paid
                    }
                    None => due,
                };
                if share.to_microsoft {
                    paid_to_microsoft += paid;
                }
            }
            cumulative = cumulative.checked_add(paid_to_microsoft)?;
            record(t, revenue, paid_to_microsoft, cumulative, cap_reached);
        }
        Some(())
    }
}

/// Five percentiles of one figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub p5: Decimal,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub p25: Decimal,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub p50: Decimal,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub p75: Decimal,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub p95: Decimal,
}

impl Percentiles {
    fn of(sketch: &Sketch) -> Percentiles {
        let q = |q: f64| sketch.quantile(q).unwrap_or_default();
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
    /// (low, high, paths) buckets of the total paid, for the histogram; bounds are chart
    /// positions, the exact figures are the percentiles.
    #[serde(skip)]
    pub total_paid_histogram: Vec<(f64, f64, u64)>,
}

/// What `run` cannot do: a path count out of range, or uncertain terms the cents loop cannot take.
fn refuse(plan: &Plan, paths: u64) -> Result<(), super::AnalysisError> {
    if paths == 0 || paths > MAX_PATHS {
        return Err(super::AnalysisError::Paths { max: MAX_PATHS });
    }
    if plan.uncertain_terms && plan.cents.is_none() {
        if plan.shares.iter().any(|s| s.tiers.is_some()) {
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
    refuse(plan, paths)?;
    let years = plan.years();
    let chunks = paths.div_ceil(CHUNK);
    // Each rayon job takes at least 16 chunks, so few accumulators (about 2 MB of bins each)
    // are zeroed and merged; results do not depend on the split, as merging adds counts.
    let result = (0..chunks as usize)
        .into_par_iter()
        .with_min_len(16)
        .fold(
            || Accumulator::new(years),
            |mut acc, chunk| {
                let chunk = chunk as u64;
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(chunk);
                let mut rooms = vec![None; plan.shares.len()];
                let count = CHUNK.min(paths - chunk * CHUNK);
                for _ in 0..count {
                    let done = match &plan.cents {
                        // The fast path: amounts stay in cents from the loop into the sketches.
                        Some(cents) => {
                            let mut last = 0i128;
                            let done = cents.path(&mut rng, &mut |t, revenue, paid, cumulative, reached| {
                                acc.record(t, [revenue, paid, cumulative], reached, Sketch::insert_cents);
                                last = cumulative;
                            });
                            acc.total.insert_cents(last);
                            done
                        }
                        None => {
                            let mut last = Decimal::ZERO;
                            let done =
                                plan.path(&mut rng, &mut rooms, |t, revenue, paid, cumulative, reached| {
                                    acc.record(t, [revenue, paid, cumulative], reached, Sketch::insert);
                                    last = cumulative;
                                });
                            acc.total.insert(last);
                            done
                        }
                    };
                    if done.is_none() {
                        acc.overflowed = true;
                        break;
                    }
                }
                tick(count);
                acc
            },
        )
        .reduce(|| Accumulator::new(years), Accumulator::merge);
    if result.overflowed {
        return Err(super::AnalysisError::PathOverflow);
    }
    let per_million = |count: u64| (Decimal::from(count) / Decimal::from(paths)).round_dp(6);
    Ok(MonteCarlo {
        paths,
        seed,
        relative_error: super::sketch::RELATIVE_ERROR,
        years: (0..years)
            .map(|t| YearResult {
                period: plan.labels[t].clone(),
                revenue: Percentiles::of(&result.revenue[t]),
                paid: Percentiles::of(&result.paid[t]),
                cumulative_paid: Percentiles::of(&result.cumulative[t]),
                probability_cap_reached: per_million(result.cap_reached[t]),
            })
            .collect(),
        total_paid: Percentiles::of(&result.total),
        total_paid_histogram: result.total.histogram(30),
    })
}
