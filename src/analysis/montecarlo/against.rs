//! `montecarlo --against NAME`: the distribution of what the scenario's terms are worth to
//! Microsoft against another agreement. Each path draws one revenue path and runs it through
//! both agreements' compiled shares (the engine's `evaluate_period`, in exact `Decimal`), so the
//! two sides see the same revenue; the path's gain is the present value of Microsoft's net
//! (paid to it minus paid by it) under the scenario's terms minus under the other's. OpenAI's
//! side is the mirror image: these are the only cash flows between the two.
//!
//! Chunks, streams and merging are as in the main loop, so the same seed gives the same output
//! on any number of threads.

use super::revenue::DecimalRevenue;
use super::{Percentiles, Plan, CHUNK, MAX_PATHS};
use crate::analysis::sketch::SignedSketch;
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

#[derive(Clone, Default)]
struct Tally {
    gain: SignedSketch,
    gain_pv: SignedSketch,
    favours_microsoft: u64,
    favours_openai: u64,
    overflowed: bool,
    interrupted: bool,
}

impl Tally {
    fn merge(mut self, other: Tally) -> Tally {
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
                    Some((gain, gain_pv)) => {
                        tally.gain.insert(gain);
                        tally.gain_pv.insert(gain_pv);
                        tally.favours_microsoft += u64::from(gain_pv > Decimal::ZERO);
                        tally.favours_openai += u64::from(gain_pv < Decimal::ZERO);
                    }
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

/// What one chunk's paths work in: the exact loop's states and streams, and the cents loop's.
struct Work {
    exact: (State<Decimal>, State<Decimal>, Vec<Decimal>),
    cents: Option<(super::cents::CentsWork, super::cents::CentsWork)>,
}

/// One path: its revenue drawn once, Microsoft's net under each plan, and the gain (nominal,
/// and the difference of the two present values, each rounded to the cent). In integer cents
/// where both plans have that form (the same figures, faster), else in `Decimal`. `None` on
/// overflow.
fn path_gain(
    own: &Plan,
    other: &Plan,
    discount: &[(Decimal, f64)],
    rng: &mut ChaCha8Rng,
    work: &mut Work,
) -> Option<(Decimal, Decimal)> {
    if let (Some(a), Some(b), Some(cents_work)) = (&own.cents, &other.cents, &mut work.cents) {
        let (mut gain, mut own_pv, mut other_pv) = (0i128, Decimal::ZERO, Decimal::ZERO);
        let mut overflow = false;
        a.against_path(b, rng, (&mut cents_work.0, &mut cents_work.1), |t, own_net, other_net| {
            gain += own_net - other_net;
            let Some((factor, _)) = discount.get(t) else { return overflow = true };
            let exact = |cents: i128| Decimal::from_i128_with_scale(cents, 2).checked_mul(*factor);
            match (exact(own_net), exact(other_net)) {
                (Some(x), Some(y)) => match (own_pv.checked_add(x), other_pv.checked_add(y)) {
                    (Some(p), Some(q)) => (own_pv, other_pv) = (p, q),
                    _ => overflow = true,
                },
                _ => overflow = true,
            }
        })?;
        if overflow {
            return None;
        }
        return Some((
            Decimal::from_i128_with_scale(gain, 2),
            round_money(own_pv).checked_sub(round_money(other_pv))?,
        ));
    }
    let (own_state, other_state, streams) = &mut work.exact;
    own_state.reset(&own.terms, None);
    other_state.reset(&other.terms, None);
    let mut revenue = DecimalRevenue::start(&own.revenues, rng);
    let mut gain = Decimal::ZERO;
    // Each side's present value, rounded to the cent before the difference, as the ledger's
    // summary rounds it (so a path with central growth gives `run --against`'s figure exactly).
    let (mut own_pv, mut other_pv) = (Decimal::ZERO, Decimal::ZERO);
    for t in 0..own.years() {
        let both = revenue.next(&own.revenues, t, rng)?;
        streams.clone_from(&own.streams[t]);
        streams[..2].copy_from_slice(&both);
        let own_net = net(own, own_state, t, streams)?;
        let other_net = net(other, other_state, t, streams)?;
        gain = gain.checked_add(own_net.checked_sub(other_net)?)?;
        let factor = discount.get(t)?.0;
        own_pv = own_pv.checked_add(own_net.checked_mul(factor)?)?;
        other_pv = other_pv.checked_add(other_net.checked_mul(factor)?)?;
    }
    Some((gain, round_money(own_pv).checked_sub(round_money(other_pv))?))
}

/// Microsoft's net in period `t` under `plan`: every payment to it minus every payment by it.
fn net(plan: &Plan, state: &mut State<Decimal>, t: usize, streams: &[Decimal]) -> Option<Decimal> {
    let totals = evaluate_period(&plan.terms, state, t, streams, (), |_, _| {})?;
    totals.paid_to_microsoft.checked_sub(totals.paid_to_openai)
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
