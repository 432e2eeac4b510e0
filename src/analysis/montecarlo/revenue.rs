//! The two revenues a Monte Carlo path draws, OpenAI's and Microsoft's: each period listed,
//! grown at a fixed rate, grown at a drawn rate, or drawn outright (`by_year = { 2027 = { dist =
//! … } }`); a level factor on each whole path (`scale`); and the Gaussian copula that joins a
//! year's two draws (and the two scales) with the scenario's `revenue_correlation`.
//!
//! Draw order on a path (after the cap and rate, in `cents.rs`): OpenAI's scale, Microsoft's,
//! then per period OpenAI's draw and Microsoft's, each only where there is one. A scenario with
//! neither a Microsoft distribution nor a scale draws exactly as before these existed. With a
//! correlation `ρ ≠ 0` and both draws present, the pair comes from two standard normals `z₁`
//! and `ε`: `z₂ = ρ·z₁ + √(1−ρ²)·ε`, each turned into its distribution's value at that quantile
//! (`Sampler::raw_at`); `ρ = ±1` gives comonotone or countermonotone draws.

use super::*;
use rand_distr::{Distribution, StandardNormal};

/// How one period's revenue of a drawn stream is made.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    Listed(Decimal),
    /// Grown by this factor (`1 + g`).
    Fixed(Decimal),
    /// Grown at a drawn rate.
    Random(Sampler),
    /// The amount drawn (money; a draw below zero is zero).
    Drawn(Sampler),
}

impl Step {
    fn of(source: &GrowthSource, revenue: Decimal) -> Step {
        match source {
            GrowthSource::Listed => Step::Listed(revenue),
            GrowthSource::Fixed(g) => Step::Fixed(Decimal::ONE + g),
            GrowthSource::Random(dist) => Step::Random(dist.sampler()),
            GrowthSource::Drawn(dist) => match dist.value_sampler() {
                Sampler::Fixed(_) => Step::Listed(revenue),
                sampler => Step::Drawn(sampler),
            },
        }
    }

    /// The sampler it draws from, when it draws.
    fn sampler(&self) -> Option<&Sampler> {
        match self {
            Step::Random(s) | Step::Drawn(s) if s.is_random() => Some(s),
            _ => None,
        }
    }
}

/// OpenAI's revenue (stream 0) and Microsoft's (stream 1) on a path.
#[derive(Debug, Clone)]
pub(super) struct Revenues {
    pub steps: [Vec<Step>; 2],
    pub scales: [Option<Sampler>; 2],
    pub correlation: f64,
}

/// A growth draw in billionths, as `Sampler::draw_nano` makes it.
#[inline]
pub(super) fn growth_nano(x: f64) -> i64 {
    (x.clamp(-0.99, 100.0) * 1e9).round() as i64
}

/// A drawn amount in whole cents, never below zero.
#[inline]
pub(super) fn amount_cents(x: f64) -> i128 {
    (x.max(0.0) * 100.0).round() as i128
}

/// A drawn scale in billionths, never below zero.
#[inline]
pub(super) fn scale_nano(x: f64) -> i128 {
    (x.max(0.0) * 1e9).round() as i128
}

impl Revenues {
    pub fn new(scenario: &Scenario) -> Revenues {
        // One step per period for each stream (a path missing Microsoft's is zero, listed).
        let periods = scenario.openai_revenue.len();
        let steps = |sources: &[GrowthSource], amounts: &[Decimal]| {
            (0..periods)
                .map(|t| {
                    let amount = amounts.get(t).copied().unwrap_or_default();
                    Step::of(sources.get(t).unwrap_or(&GrowthSource::Listed), amount)
                })
                .collect::<Vec<_>>()
        };
        let scale =
            |d: Option<crate::scenario::dist::Dist>| d.map(|d| d.value_sampler()).filter(Sampler::is_random);
        use rust_decimal::prelude::ToPrimitive;
        Revenues {
            steps: [
                steps(&scenario.openai_growth, &scenario.openai_revenue),
                steps(&scenario.microsoft_growth, &scenario.microsoft_revenue),
            ],
            scales: [scale(scenario.uncertain.openai_scale), scale(scenario.uncertain.microsoft_scale)],
            correlation: scenario.uncertain.revenue_correlation.to_f64().unwrap_or(0.0),
        }
    }

    /// Whether a path draws any revenue.
    pub fn is_random(&self) -> bool {
        self.scales.iter().any(Option::is_some) || self.steps.iter().flatten().any(|s| s.sampler().is_some())
    }

    /// Raw draws from two samplers (either may be absent): in order and independent, or joined
    /// by the copula when both draw and the correlation is not 0.
    #[inline]
    fn pair<R: rand::Rng>(&self, a: Option<&Sampler>, b: Option<&Sampler>, rng: &mut R) -> [Option<f64>; 2] {
        match (a, b) {
            (Some(a), Some(b)) if self.correlation != 0.0 => {
                let z1: f64 = StandardNormal.sample(rng);
                let e: f64 = StandardNormal.sample(rng);
                let rho = self.correlation;
                let z2 = rho * z1 + (1.0 - rho * rho).max(0.0).sqrt() * e;
                [a.raw_at(z1), b.raw_at(z2)]
            }
            _ => {
                let first = a.and_then(|s| s.draw_raw(rng));
                [first, b.and_then(|s| s.draw_raw(rng))]
            }
        }
    }

    /// A path's two scales, in billionths (`None`: the stream has none).
    #[inline]
    pub fn draw_scales<R: rand::Rng>(&self, rng: &mut R) -> [Option<i128>; 2] {
        let [a, b] = self.pair(self.scales[0].as_ref(), self.scales[1].as_ref(), rng);
        [a.map(scale_nano), b.map(scale_nano)]
    }

    /// Period `t`'s raw draws for the two streams.
    #[inline]
    pub fn draw_period<R: rand::Rng>(&self, t: usize, rng: &mut R) -> [Option<f64>; 2] {
        self.pair(self.steps[0][t].sampler(), self.steps[1][t].sampler(), rng)
    }

    pub fn periods(&self) -> usize {
        self.steps[0].len()
    }
}

/// A stream's revenue in period `t` in `Decimal` from its step, the period before and the
/// period's draw; then its scale applied. `None` on overflow.
#[inline]
pub(super) fn next_decimal(step: &Step, previous: Decimal, draw: Option<f64>) -> Option<Decimal> {
    Some(match (step, draw) {
        (Step::Listed(r), _) => *r,
        (Step::Fixed(factor), _) => round_money(previous.checked_mul(*factor)?),
        (Step::Random(_), Some(x)) => {
            round_money(previous.checked_mul(Decimal::ONE + Decimal::new(growth_nano(x), 9))?)
        }
        (Step::Random(sampler), None) => {
            round_money(previous.checked_mul(Decimal::ONE + sampler.fixed().unwrap_or_default())?)
        }
        (Step::Drawn(_), Some(x)) => Decimal::from_i128_with_scale(amount_cents(x), 2),
        (Step::Drawn(_), None) => previous,
    })
}

/// An amount times a scale in billionths, rounded to the cent.
#[inline]
pub(super) fn scaled_decimal(amount: Decimal, scale: Option<i128>) -> Option<Decimal> {
    match scale {
        None => Some(amount),
        Some(nano) => amount.checked_mul(Decimal::from_i128_with_scale(nano, 9)).map(round_money),
    }
}

/// A path's two revenues in `Decimal`, period by period: each grown unscaled, then scaled.
pub(super) struct DecimalRevenue {
    unscaled: [Decimal; 2],
    scales: [Option<i128>; 2],
}

impl DecimalRevenue {
    /// The start of a path: its scales drawn.
    #[inline]
    pub fn start<R: rand::Rng>(revenues: &Revenues, rng: &mut R) -> DecimalRevenue {
        DecimalRevenue { unscaled: [Decimal::ZERO; 2], scales: revenues.draw_scales(rng) }
    }

    /// Period `t`'s two revenues. `None` on overflow.
    #[inline]
    pub fn next<R: rand::Rng>(&mut self, revenues: &Revenues, t: usize, rng: &mut R) -> Option<[Decimal; 2]> {
        let draws = revenues.draw_period(t, rng);
        for s in 0..2 {
            self.unscaled[s] = next_decimal(&revenues.steps[s][t], self.unscaled[s], draws[s])?;
        }
        Some([
            scaled_decimal(self.unscaled[0], self.scales[0])?,
            scaled_decimal(self.unscaled[1], self.scales[1])?,
        ])
    }
}
