//! `montecarlo --against NAME`: the distribution of what the scenario's terms are worth to
//! Microsoft against another agreement. Each path draws one revenue path and runs it through
//! both agreements' compiled plans (the engine's `evaluate_period`, in integer cents where both
//! plans have that form, else in `Decimal`: the same figures), so the two sides see the same
//! revenue; present values are binned by a float estimate and computed exactly where a figure
//! may be an extreme or its sign is in doubt (as the main loop's); the path's gain is the present value of Microsoft's net
//! (paid to it minus paid by it) under the scenario's terms minus under the other's. OpenAI's
//! side is the mirror image: these are the only cash flows between the two.
//!
//! Chunks, streams and merging are as in the main loop, so the same seed gives the same output
//! on any number of threads.

use super::revenue::DecimalRevenue;
use super::{Percentiles, Plan, CHUNK, MAX_PATHS};
use crate::analysis::sketch::{int_to_f64, SignedSketch};
use crate::analysis::AnalysisError;
use crate::engine::evaluate::{evaluate_period, State};
use crate::money::round_money;
use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

/// The distribution of Microsoft's gain from the scenario's terms over `against`'s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgainstDistribution {
    pub against: String,
    pub paths: u64,
    pub seed: u64,
    /// Nominal gain: Σ net under the scenario's terms − Σ net under `against`.
    pub gain: Percentiles,
    /// The same, each year discounted at the scenario's rate and convention.
    pub gain_present_value: Percentiles,
    /// Share of paths whose present-value gain is above zero, to six places.
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub probability_favours_microsoft: Decimal,
    /// Share of paths whose present-value gain is below zero (the terms favour OpenAI).
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub probability_favours_openai: Decimal,
    /// (low, high, paths) buckets of the present-value gain, for the histogram chart.
    #[serde(skip)]
    pub histogram: Vec<(f64, f64, u64)>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    gain: SignedSketch,
    gain_pv: SignedSketch,
    favours_microsoft: u64,
    favours_openai: u64,
    pub(super) overflowed: bool,
    interrupted: bool,
}

impl Tally {
    /// One path's gain: both sketches, and which side the terms favour (by the estimate's sign,
    /// or the exact figure's where the estimate is within a dollar of zero).
    pub(super) fn add(&mut self, gain: &Gain) {
        self.gain.insert(gain.nominal);
        self.gain_pv.insert_estimated(gain.pv_estimate, || gain.pv_exact());
        let sign = if gain.near_zero() {
            gain.pv_exact().cmp(&Decimal::ZERO)
        } else {
            gain.pv_estimate.total_cmp(&0.0)
        };
        self.favours_microsoft += u64::from(sign.is_gt());
        self.favours_openai += u64::from(sign.is_lt());
    }

    pub(super) fn merge(mut self, other: Tally) -> Tally {
        self.gain.merge(&other.gain);
        self.gain_pv.merge(&other.gain_pv);
        self.favours_microsoft += other.favours_microsoft;
        self.favours_openai += other.favours_openai;
        self.overflowed |= other.overflowed;
        self.interrupted |= other.interrupted;
        self
    }
}

/// Runs `paths` paths of `own` against `other` (the other agreement compiled for the same
/// scenario). Refused when the scenario draws its cap or rate per path: the two agreements would
/// need the same draw, which this loop does not make.
pub fn run_against(
    own: &Plan,
    other: &Plan,
    against: &str,
    paths: u64,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<AgainstDistribution, AnalysisError> {
    if paths == 0 || paths > MAX_PATHS {
        return Err(AnalysisError::Paths { max: MAX_PATHS });
    }
    if own.uncertain_terms {
        return Err(AnalysisError::UncertainAgainst);
    }
    let Some(discount) = own.discount.as_ref() else {
        return Err(AnalysisError::PathOverflow);
    };
    let chunks = paths.div_ceil(CHUNK);
    let tally = (0..chunks as usize)
        .into_par_iter()
        .with_min_len(16)
        .fold(Tally::default, |mut tally, chunk| {
            if tally.interrupted || stop() {
                tally.interrupted = true;
                return tally;
            }
            let count = CHUNK.min(paths - chunk as u64 * CHUNK);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(chunk as u64);
            let mut work = Work {
                exact: (State::new(&own.terms, None), State::new(&other.terms, None), Vec::new()),
                cents: own.any_cents().zip(other.any_cents()).map(|(a, b)| (a.path_state(), b.path_state())),
                nets: Vec::with_capacity(own.years()),
            };
            for _ in 0..count {
                // Probability-weighted AGI: one draw picks the outcome for both agreements.
                let (own, other) = if own.draws_agi() || other.draws_agi() {
                    let u = rand::RngExt::random::<u64>(&mut rng);
                    (own.outcome(u), other.outcome(u))
                } else {
                    (own, other)
                };
                match path_gain(own, other, discount, &mut rng, &mut work) {
                    Some(gain) => tally.add(&gain),
                    None => {
                        tally.overflowed = true;
                        break;
                    }
                }
            }
            tick(count);
            tally
        })
        .reduce(Tally::default, Tally::merge);
    if tally.interrupted {
        return Err(AnalysisError::Interrupted);
    }
    distribution(&tally, against, paths, seed)
}

/// The distribution a finished tally of `paths` paths gives (an overflow on any path is an error).
fn distribution(
    tally: &Tally,
    against: &str,
    paths: u64,
    seed: u64,
) -> Result<AgainstDistribution, AnalysisError> {
    if tally.overflowed {
        return Err(AnalysisError::PathOverflow);
    }
    let share = |count: u64| (Decimal::from(count) / Decimal::from(paths)).round_dp(6);
    Ok(AgainstDistribution {
        against: against.to_string(),
        paths,
        seed,
        gain: Percentiles::of_signed(&tally.gain),
        gain_present_value: Percentiles::of_signed(&tally.gain_pv),
        probability_favours_microsoft: share(tally.favours_microsoft),
        probability_favours_openai: share(tally.favours_openai),
        histogram: tally.gain_pv.histogram(30),
    })
}

/// Whether `run_fused` can run `own`'s Monte Carlo and its `--against other` in one pass over
/// the paths, with the same draws `run_until` and `run_against` each make: both in cents (every
/// outcome), nothing drawn per path but revenue and at most one AGI outcome, which `own` draws
/// whenever `other` does (both loops then draw one `u64` first), and a present value to weigh.
pub fn fusable(own: &Plan, other: &Plan) -> bool {
    let in_cents = |plan: &Plan| {
        let outcomes = std::iter::once(plan).chain(plan.agi.iter().map(|(_, p)| p));
        outcomes.clone().all(|p| p.cents.is_some()) && outcomes.skip(1).all(|p| !p.draws_agi())
    };
    !own.uncertain_terms
        && !own.weighted
        && !other.weighted
        && own.discount.is_some()
        && (own.draws_agi() || !other.draws_agi())
        && in_cents(own)
        && in_cents(other)
}

/// `run_until` of `own` and `run_against(own, other, against, …)` in one pass (where `fusable`):
/// each path drawn once, its revenue run through both agreements. The same two results, to the
/// byte; the second may fail (an overflow under the other agreement) where the first does not.
pub fn run_fused(
    (own, other, against): (&Plan, &Plan, &str),
    paths: u64,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<(super::MonteCarlo, Result<AgainstDistribution, AnalysisError>), AnalysisError> {
    let mut acc =
        super::accumulate_chunks((own, Some(other)), paths, seed, 0..paths.div_ceil(CHUNK), (tick, stop))?;
    let tally = acc.against.take().unwrap_or_default();
    Ok((super::summarise(own, paths, seed, &acc), distribution(&tally, against, paths, seed)))
}

/// What one chunk's paths work in: the exact loop's states and streams, the cents loop's, and
/// the path's nets per period (Microsoft's, in cents, under each agreement).
struct Work {
    exact: (State<Decimal>, State<Decimal>, Vec<Decimal>),
    cents: Option<(super::cents::CentsWork, super::cents::CentsWork)>,
    nets: Vec<(i128, i128)>,
}

/// A path's gain, nominal exactly, its present value as a float estimate (`pv_estimate`) with
/// the exact figure on demand (`pv_exact`: each side's present value rounded to the cent, as the
/// ledger's summary rounds it, then the difference).
pub(super) struct Gain<'a> {
    nominal: Decimal,
    pv_estimate: f64,
    nets: &'a [(i128, i128)],
    discount: &'a [(Decimal, f64)],
}

impl Gain<'_> {
    fn pv_exact(&self) -> Decimal {
        let side = |pick: fn(&(i128, i128)) -> i128| {
            self.nets.iter().zip(self.discount).try_fold(Decimal::ZERO, |acc, (n, (f, _))| {
                acc.checked_add(Decimal::from_i128_with_scale(pick(n), 2).checked_mul(*f)?)
            })
        };
        match (side(|n| n.0), side(|n| n.1)) {
            (Some(own), Some(other)) => round_money(own) - round_money(other),
            _ => Decimal::MAX,
        }
    }

    /// Whether the estimate may not tell the sign (within a dollar of zero: its error is far
    /// below a cent, the rounding of each side up to half a cent).
    fn near_zero(&self) -> bool {
        self.pv_estimate.abs() <= 1.0
    }
}

/// One path: its revenue drawn once, Microsoft's net under each plan per period (in integer cents
/// where both plans have that form, else in `Decimal`: the same figures), and its gain. `None` on
/// overflow.
fn path_gain<'a>(
    own: &Plan,
    other: &Plan,
    discount: &'a [(Decimal, f64)],
    rng: &mut ChaCha8Rng,
    work: &'a mut Work,
) -> Option<Gain<'a>> {
    work.nets.clear();
    if let (Some(a), Some(b), Some(cents_work)) = (&own.cents, &other.cents, &mut work.cents) {
        let nets = &mut work.nets;
        a.against_path(b, rng, (&mut cents_work.0, &mut cents_work.1), |_, own_net, other_net| {
            nets.push((own_net, other_net))
        })?;
    } else {
        let (own_state, other_state, streams) = &mut work.exact;
        own_state.reset(&own.terms, None);
        other_state.reset(&other.terms, None);
        let mut revenue = DecimalRevenue::start(&own.revenues, rng);
        for t in 0..own.years() {
            let both = revenue.next(&own.revenues, t, rng)?;
            streams.clone_from(&own.streams[t]);
            streams[..2].copy_from_slice(&both);
            let own_net = whole_cents(net(own, own_state, t, streams)?)?;
            let other_net = whole_cents(net(other, other_state, t, streams)?)?;
            work.nets.push((own_net, other_net));
        }
    }
    gain_of(&work.nets, discount)
}

/// A path's gain from its nets per period (Microsoft's here and under the other agreement, in
/// cents). `None` on overflow.
pub(super) fn gain_of<'a>(nets: &'a [(i128, i128)], discount: &'a [(Decimal, f64)]) -> Option<Gain<'a>> {
    let mut gain = 0i128;
    let mut estimate = 0.0;
    for ((own_net, other_net), (_, f)) in nets.iter().zip(discount) {
        gain = gain.checked_add(own_net.checked_sub(*other_net)?)?;
        estimate += (int_to_f64(*own_net) - int_to_f64(*other_net)) * 0.01 * f;
    }
    (nets.len() <= discount.len()).then_some(())?;
    Some(Gain { nominal: Decimal::from_i128_with_scale(gain, 2), pv_estimate: estimate, nets, discount })
}

/// An amount in whole cents (every net is: the engine rounds each payment to the cent).
fn whole_cents(amount: Decimal) -> Option<i128> {
    let cents = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    (cents.fract().is_zero()).then(|| cents.mantissa() / 10i128.pow(cents.scale()))
}

/// Microsoft's net in period `t` under `plan`: every payment to it minus every payment by it.
fn net(plan: &Plan, state: &mut State<Decimal>, t: usize, streams: &[Decimal]) -> Option<Decimal> {
    let totals = evaluate_period(&plan.terms, state, t, streams, (), |_, _| {})?;
    totals.net()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::against::counterfactual;

    fn without_cents(plan: &mut Plan) {
        plan.cents = None;
        for (_, outcome) in &mut plan.agi {
            without_cents(outcome);
        }
    }

    /// One pass over the paths gives what the two passes give, to the byte: the run and the
    /// distribution, with AGI outcomes drawn by the plan (pre-revision) and without (revised).
    #[test]
    fn a_fused_run_is_the_run_and_the_distribution_made_apart() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (file, own, other) in [
            ("benches/peer.toml", None, "restructured"),
            ("scenarios/uncertain.toml", Some("pre-revision"), "revised"),
        ] {
            let loaded = crate::scenario::load_file(&root.join(file)).unwrap();
            let own = own.map_or(loaded.agreement.clone(), |name| crate::agreement::builtin(name).unwrap());
            let other = crate::agreement::builtin(other).unwrap();
            let other = counterfactual(&own, &other, &loaded.scenario).unwrap();
            let (own, other) =
                (Plan::new(&own, &loaded.scenario).unwrap(), Plan::new(&other, &loaded.scenario).unwrap());
            assert!(fusable(&own, &other), "{file}");
            let (run, distribution) =
                run_fused((&own, &other, "other"), 20_000, 5, &|_| {}, &|| false).unwrap();
            let apart = super::super::run(&own, 20_000, 5, &|_| {}).unwrap();
            let distribution_apart =
                run_against(&own, &other, "other", 20_000, 5, &|_| {}, &|| false).unwrap();
            assert_eq!(
                serde_json::to_string(&run).unwrap(),
                serde_json::to_string(&apart).unwrap(),
                "{file}"
            );
            assert_eq!(distribution.unwrap(), distribution_apart, "{file}");
        }
    }

    /// The cents loop and the `Decimal` loop give the same distribution, to the byte, for a seed
    /// (both revenues drawn, correlated, probability-weighted AGI: scenarios/uncertain.toml).
    #[test]
    fn the_cents_loop_gives_the_decimal_loops_results_exactly() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::scenario::load_file(&root.join("scenarios/uncertain.toml")).unwrap();
        let other = crate::agreement::builtin("restructured").unwrap();
        let other = counterfactual(&loaded.agreement, &other, &loaded.scenario).unwrap();
        let own = Plan::new(&loaded.agreement, &loaded.scenario).unwrap();
        let other = Plan::new(&other, &loaded.scenario).unwrap();
        assert!(own.any_cents().is_some() && other.any_cents().is_some(), "both run in cents");
        let fast = run_against(&own, &other, "restructured", 8192, 11, &|_| {}, &|| false).unwrap();
        let (mut own_exact, mut other_exact) = (own.clone(), other.clone());
        without_cents(&mut own_exact);
        without_cents(&mut other_exact);
        let exact =
            run_against(&own_exact, &other_exact, "restructured", 8192, 11, &|_| {}, &|| false).unwrap();
        assert_eq!(fast, exact);
        assert_eq!(
            serde_json::to_string(&fast).unwrap(),
            serde_json::to_string(&exact).unwrap(),
            "byte-identical"
        );
    }
}
