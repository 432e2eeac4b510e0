//! `dealsim montecarlo`: many revenue paths, each growth drawn per path and year from the
//! scenario's distributions, each path simulated with exact money.
//!
//! Speed without giving up exactness: the agreement is compiled once into a flat per-year `Plan`
//! (days in force, rates, caps), and the hot loop repeats the engine's arithmetic (same roundings,
//! same order) with no allocation per path, so a path with the central growth equals the
//! deterministic ledger exactly. Paths run in fixed chunks of `CHUNK` on all cores; chunk `k`
//! draws from ChaCha8 stream `k` of the seed, and results are merged by adding integer counts,
//! so the same seed gives the same output on any number of threads.

use super::sketch::Sketch;
use crate::agreement::{Agreement, Clause, Party, RevenueStream};
use crate::engine::in_force;
use crate::money::round_money;
use crate::scenario::dist::Sampler;
use crate::scenario::{GrowthSource, Scenario};
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
    rate: Decimal,
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

/// An exact decimal as a fraction `num / den` with `den` a power of ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    fn of(d: Decimal) -> Ratio {
        Ratio { num: d.mantissa(), den: 10i128.pow(d.scale()) }
    }
}

/// `n / d` rounded half away from zero, for `n ≥ 0`, `d > 0`: the same cent `round_money` gives
/// for the same exact rational. `None` on overflow.
#[inline]
fn div_round(n: Option<i128>, d: i128) -> Option<i128> {
    Some(n?.checked_mul(2)?.checked_add(d)? / d.checked_mul(2)?)
}

/// Whole cents of an amount with at most two decimal places.
fn cents(d: Decimal) -> Option<i128> {
    (d.scale() <= 2 && !d.is_sign_negative()).then(|| d.mantissa() * 10i128.pow(2 - d.scale()))
}

/// The largest revenue the hot loop carries, in cents (10^24 dollars): far beyond any plausible
/// path, and small enough that every product below fits `i128` (checked all the same).
const MAX_CENTS: i128 = 100_000_000_000_000_000_000_000_000;

/// The plan in integer cents: exact, and faster than `Decimal`. Built only when every amount of
/// money in the plan is in whole cents; otherwise the `Decimal` loop runs.
#[derive(Debug, Clone)]
struct CentsPlan {
    steps: Vec<CentsStep>,
    microsoft_revenue: Vec<i128>,
    shares: Vec<CentsShare>,
    /// The cap drawn once per path (every capped share), and the OpenAI→Microsoft rate.
    cap_draw: Option<Sampler>,
    rate_draw: Option<Sampler>,
}

#[derive(Debug, Clone, Copy)]
enum CentsStep {
    Listed(i128),
    Grow(Ratio),
    Random(Sampler),
}

#[derive(Debug, Clone)]
struct CentsShare {
    openai_stream: bool,
    to_microsoft: bool,
    fraction: Option<Ratio>,
    rate: Ratio,
    days: Vec<i64>,
    period_days: Vec<i64>,
    /// Whether the share has been in force on any day up to each period (a cap is reached only
    /// once its clause exists).
    started: Vec<bool>,
    room: Option<i128>,
    prior: i128,
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
                        to_microsoft: share.payer == Party::OpenAi && share.payee == Party::Microsoft,
                        fraction: (share.base.value.fraction != Decimal::ONE)
                            .then_some(share.base.value.fraction),
                        rate: share.rate.value,
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

    /// The integer-cents form, when every amount is in whole cents.
    fn in_cents(&self, scenario: &Scenario) -> Option<CentsPlan> {
        let steps = self
            .steps
            .iter()
            .map(|step| match step {
                Step::Listed(r) => cents(*r).map(CentsStep::Listed),
                Step::Fixed(factor) => Some(CentsStep::Grow(Ratio::of(*factor))),
                Step::Random(Sampler::Fixed(g)) => Some(CentsStep::Grow(Ratio::of(Decimal::ONE + g))),
                Step::Random(sampler) => Some(CentsStep::Random(*sampler)),
            })
            .collect::<Option<Vec<_>>>()?;
        let microsoft_revenue =
            self.microsoft_revenue.iter().map(|r| cents(*r)).collect::<Option<Vec<_>>>()?;
        let shares = self
            .shares
            .iter()
            .map(|s| {
                let room = match s.cap {
                    Some(cap) => Some((cents(cap)? - cents(s.prior)?).max(0)),
                    None => None,
                };
                // Rates and fractions with more than nine decimals go to the decimal loop, so
                // cents × rate × fraction × days stays far inside i128 for any allowed revenue.
                let small = |r: Ratio| (r.den <= 1_000_000_000).then_some(r);
                let fraction = match s.fraction {
                    Some(f) => Some(small(Ratio::of(f))?),
                    None => None,
                };
                Some(CentsShare {
                    prior: cents(s.prior)?,
                    openai_stream: s.openai_stream,
                    to_microsoft: s.to_microsoft,
                    fraction,
                    rate: small(Ratio::of(s.rate))?,
                    days: s.days.clone(),
                    period_days: s.period_days.clone(),
                    started: s.started.clone(),
                    room,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let cap_draw = scenario.uncertain.cap.map(|d| d.value_sampler());
        if let Some(Sampler::Fixed(cap)) = cap_draw {
            cents(cap)?;
        }
        let rate_draw = scenario.uncertain.share_rate.map(|d| d.value_sampler());
        Some(CentsPlan { steps, microsoft_revenue, shares, cap_draw, rate_draw })
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
                let (days, period_days) = (share.days[t], share.period_days[t]);
                let due = if days <= 0 {
                    Decimal::ZERO
                } else if days == period_days {
                    round_money(base.checked_mul(share.rate)?)
                } else {
                    round_money(
                        base.checked_mul(share.rate)?
                            .checked_mul(Decimal::from(days))?
                            .checked_div(Decimal::from(period_days))?,
                    )
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

impl CentsPlan {
    /// The same arithmetic as `Plan::path`, in integer cents. At most four revenue shares keep
    /// their cap room on the stack, so nothing is allocated per path.
    #[inline]
    fn path<R: rand::Rng>(
        &self,
        rng: &mut R,
        record: &mut impl FnMut(usize, i128, i128, i128, bool),
    ) -> Option<()> {
        let mut rooms = [None::<i128>; 8];
        if self.shares.len() > rooms.len() {
            return None;
        }
        // Terms drawn once per path, before the growth draws, so a stream's order is fixed.
        let cap = match self.cap_draw {
            None => None,
            Some(Sampler::Fixed(cap)) => cents(cap),
            Some(sampler) => sampler.draw_raw(rng).map(|x| (x.max(0.0) * 100.0).round() as i128),
        };
        let path_rate = match self.rate_draw {
            None => None,
            Some(Sampler::Fixed(rate)) => Some(Ratio::of(rate)),
            Some(sampler) => sampler
                .draw_raw(rng)
                .map(|x| Ratio { num: (x.clamp(0.0, 1.0) * 1e9).round() as i128, den: 1_000_000_000 }),
        };
        for (room, share) in rooms.iter_mut().zip(&self.shares) {
            *room = match (share.room, cap) {
                (Some(_), Some(cap)) => Some((cap - share.prior).max(0)),
                (room, _) => room,
            };
        }
        let (mut revenue, mut cumulative) = (0i128, 0i128);
        for (t, step) in self.steps.iter().enumerate() {
            revenue = match step {
                CentsStep::Listed(r) => *r,
                CentsStep::Grow(f) => div_round(revenue.checked_mul(f.num), f.den)?,
                CentsStep::Random(sampler) => {
                    const BILLION: i128 = 1_000_000_000;
                    div_round(revenue.checked_mul(BILLION + i128::from(sampler.draw_nano(rng))), BILLION)?
                }
            };
            if revenue > MAX_CENTS {
                return None;
            }
            let (mut paid_to_microsoft, mut cap_reached) = (0i128, false);
            for (share, room) in self.shares.iter().zip(rooms.iter_mut()) {
                let stream = if share.openai_stream { revenue } else { self.microsoft_revenue[t] };
                // The base stays a fraction (num/den); the only rounding is the engine's, at `due`.
                let (base, base_den) = match share.fraction {
                    None => (stream, 1),
                    Some(f) => (stream.checked_mul(f.num)?, f.den),
                };
                let (days, period_days) = (i128::from(share.days[t]), i128::from(share.period_days[t]));
                let rate = match path_rate {
                    Some(r) if share.to_microsoft => r,
                    _ => share.rate,
                };
                let due = if days <= 0 {
                    0
                } else if days == period_days {
                    div_round(base.checked_mul(rate.num), rate.den.checked_mul(base_den)?)?
                } else {
                    div_round(
                        base.checked_mul(rate.num).and_then(|x| x.checked_mul(days)),
                        rate.den.checked_mul(period_days)?.checked_mul(base_den)?,
                    )?
                };
                let paid = match room {
                    Some(r) => {
                        let paid = due.min(*r);
                        *r -= paid;
                        cap_reached |= share.to_microsoft && share.started[t] && *r == 0;
                        paid
                    }
                    None => due,
                };
                if share.to_microsoft {
                    paid_to_microsoft += paid;
                }
            }
            cumulative += paid_to_microsoft;
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

/// Running totals for a set of paths.
#[derive(Debug, Clone)]
struct Accumulator {
    revenue: Vec<Sketch>,
    paid: Vec<Sketch>,
    cumulative: Vec<Sketch>,
    cap_reached: Vec<u64>,
    total: Sketch,
    overflowed: bool,
}

impl Accumulator {
    fn new(years: usize) -> Self {
        Accumulator {
            revenue: vec![Sketch::default(); years],
            paid: vec![Sketch::default(); years],
            cumulative: vec![Sketch::default(); years],
            cap_reached: vec![0; years],
            total: Sketch::default(),
            overflowed: false,
        }
    }

    /// One path-year: revenue, paid and cumulative paid into their sketches, and the cap.
    #[inline]
    fn record<T>(
        &mut self,
        t: usize,
        [revenue, paid, cumulative]: [T; 3],
        reached: bool,
        insert: fn(&mut Sketch, T),
    ) {
        insert(&mut self.revenue[t], revenue);
        insert(&mut self.paid[t], paid);
        insert(&mut self.cumulative[t], cumulative);
        self.cap_reached[t] += u64::from(reached);
    }

    fn merge(mut self, other: Accumulator) -> Self {
        for t in 0..self.revenue.len() {
            self.revenue[t].merge(&other.revenue[t]);
            self.paid[t].merge(&other.paid[t]);
            self.cumulative[t].merge(&other.cumulative[t]);
            self.cap_reached[t] += other.cap_reached[t];
        }
        self.total.merge(&other.total);
        self.overflowed |= other.overflowed;
        self
    }
}

/// Runs `paths` paths of `plan` with `seed`. `tick(n)` reports `n` finished paths.
pub fn run(plan: &Plan, paths: u64, seed: u64, tick: &(dyn Fn(u64) + Sync)) -> Result<MonteCarlo, String> {
    if paths == 0 || paths > MAX_PATHS {
        return Err(format!("--paths must be between 1 and {MAX_PATHS}"));
    }
    if plan.uncertain_terms && plan.cents.is_none() {
        return Err("an uncertain cap or rate needs every amount in whole cents (no sub-cent digits)".into());
    }
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
        return Err(
            "a path's revenue grew past what exact arithmetic can hold; narrow the growth distribution"
                .into(),
        );
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
