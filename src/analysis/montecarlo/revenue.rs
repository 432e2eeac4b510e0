//! The two revenues a Monte Carlo path draws, OpenAI's and Microsoft's: each period listed,
//! grown at a fixed rate, grown at a drawn rate, or drawn outright (`by_year = { 2027 = { dist =
//! … } }`); a level factor on each whole path (`scale`); and the Gaussian copula that joins a
//! year's two draws (and the two scales) with the scenario's `revenue_correlation`.
//!
//! Draw order on a path (after the cap and rate, in `cents/`): OpenAI's scale, Microsoft's,
//! then per period OpenAI's draw and Microsoft's, each only where there is one. A scenario with
//! neither a Microsoft distribution nor a scale draws exactly as before these existed. With a
//! correlation `ρ ≠ 0` and both draws present, the pair comes from two standard normals `z₁`
//! and `ε`: `z₂ = ρ·z₁ + √(1−ρ²)·ε`, each turned into its distribution's value at that quantile
//! (`Sampler::raw_at`); `ρ = ±1` gives comonotone or countermonotone draws.

use super::*;
use crate::scenario::dist::round_i64;
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
    round_i64(x.clamp(-0.99, 100.0) * 1e9)
}

/// A drawn amount in whole cents, never below zero.
#[inline]
pub(super) fn amount_cents(x: f64) -> i128 {
    let v = x.max(0.0) * 100.0;
    // Below 2^62 cents the fast rounding is the same number; above, the library's.
    if v < 4.6e18 {
        i128::from(round_i64(v))
    } else {
        v.round() as i128
    }
}

/// A drawn scale in billionths, never below zero.
#[inline]
pub(super) fn scale_nano(x: f64) -> i128 {
    let v = x.max(0.0) * 1e9;
    if v < 4.6e18 {
        i128::from(round_i64(v))
    } else {
        v.round() as i128
    }
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
    #[inline(always)]
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
    #[inline(always)]
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
        for ((unscaled, steps), draw) in self.unscaled.iter_mut().zip(&revenues.steps).zip(draws) {
            *unscaled = next_decimal(&steps[t], *unscaled, draw)?;
        }
        Some([
            scaled_decimal(self.unscaled[0], self.scales[0])?,
            scaled_decimal(self.unscaled[1], self.scales[1])?,
        ])
    }
}

/// A scenario's two revenue paths drawn as a Monte Carlo path draws them (the same steps,
/// scales and copula), whole: for analyses that need a full ledger of a drawn path (`calibrate`).
#[derive(Debug, Clone)]
pub struct PathDraws(Revenues);

impl PathDraws {
    /// `None` when the scenario draws no revenue (its paths are fixed).
    pub fn new(scenario: &Scenario) -> Option<PathDraws> {
        let revenues = Revenues::new(scenario);
        revenues.is_random().then_some(PathDraws(revenues))
    }

    /// OpenAI's and Microsoft's revenue, period by period. `None` on overflow.
    pub fn draw<R: rand::Rng>(&self, rng: &mut R) -> Option<[Vec<Decimal>; 2]> {
        let mut path = DecimalRevenue::start(&self.0, rng);
        let (mut openai, mut microsoft) = (Vec::new(), Vec::new());
        for t in 0..self.0.periods() {
            let [a, b] = path.next(&self.0, t, rng)?;
            openai.push(a);
            microsoft.push(b);
        }
        Some([openai, microsoft])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::dist::Dist;
    use proptest::prelude::*;
    use rand::SeedableRng;

    fn revenues(a: Dist, b: Dist, correlation: f64) -> Revenues {
        Revenues {
            steps: [vec![Step::Drawn(a.value_sampler())], vec![Step::Drawn(b.value_sampler())]],
            scales: [None, None],
            correlation,
        }
    }

    fn dists() -> impl Strategy<Value = Dist> {
        let d = |x: u32| Decimal::from(x);
        prop_oneof![
            (1u32..100, 1u32..50)
                .prop_map(move |(m, s)| Dist::LogNormal { median: d(m), sigma: d(s) / d(100) }),
            (1u32..100, 1u32..50).prop_map(move |(m, s)| Dist::Normal { mean: d(m), sd: d(s) }),
            (1u32..50, 1u32..50, 1u32..50).prop_map(move |(a, b, c)| Dist::Triangular {
                min: d(a),
                mode: d(a + b),
                max: d(a + b + c)
            }),
            (1u32..50, 1u32..50).prop_map(move |(a, w)| Dist::Uniform { min: d(a), max: d(a + w) }),
        ]
    }

    /// `n` paired draws of period 0.
    fn draws(r: &Revenues, seed: u64, n: usize) -> Vec<(f64, f64)> {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let [a, b] = r.draw_period(0, &mut rng);
                (a.unwrap(), b.unwrap())
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Correlation 1: the two draws move together (comonotone: sorting by one sorts the other);
        /// −1: against each other (countermonotone).
        #[test]
        fn a_correlation_of_one_is_comonotone_and_minus_one_countermonotone(
            a in dists(), b in dists(), seed in any::<u64>(),
        ) {
            for (rho, same_order) in [(1.0, true), (-1.0, false)] {
                let mut pairs = draws(&revenues(a, b, rho), seed, 200);
                pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
                for w in pairs.windows(2) {
                    let ordered = if same_order { w[0].1 <= w[1].1 + 1e-9 } else { w[0].1 + 1e-9 >= w[1].1 };
                    prop_assert!(ordered, "rho {rho}: {:?} then {:?}", w[0], w[1]);
                }
            }
        }

        /// Correlation 0: exactly the independent draws Monte Carlo made before the copula existed.
        #[test]
        fn a_correlation_of_zero_draws_as_independent_samplers_do(
            a in dists(), b in dists(), seed in any::<u64>(),
        ) {
            let joined = draws(&revenues(a, b, 0.0), seed, 50);
            let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
            let (sa, sb) = (a.value_sampler(), b.value_sampler());
            for (x, y) in joined {
                prop_assert_eq!(x, sa.draw_raw(&mut rng).unwrap());
                prop_assert_eq!(y, sb.draw_raw(&mut rng).unwrap());
            }
        }
    }

    /// A correlation of 0.8 between two normals shows in their sample correlation.
    #[test]
    fn the_sample_correlation_follows_the_copula() {
        let n = |mean: u32| Dist::Normal { mean: Decimal::from(mean), sd: Decimal::ONE };
        let pairs = draws(&revenues(n(10), n(20), 0.8), 7, 20_000);
        let mean = |f: fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / pairs.len() as f64;
        let (ma, mb) = (mean(|p| p.0), mean(|p| p.1));
        let cov = pairs.iter().map(|p| (p.0 - ma) * (p.1 - mb)).sum::<f64>() / pairs.len() as f64;
        let sd = |m: f64, f: fn(&(f64, f64)) -> f64| {
            (pairs.iter().map(|p| (f(p) - m).powi(2)).sum::<f64>() / pairs.len() as f64).sqrt()
        };
        let r = cov / (sd(ma, |p| p.0) * sd(mb, |p| p.1));
        assert!((r - 0.8).abs() < 0.02, "sample correlation {r}");
    }

    #[test]
    fn the_normal_cdf_is_right_to_seven_places() {
        use crate::scenario::dist::normal_cdf;
        for (z, p) in [(0.0, 0.5), (1.0, 0.841_344_746), (-1.96, 0.024_997_895), (3.0, 0.998_650_102)] {
            assert!((normal_cdf(z) - p).abs() < 2e-7, "Φ({z}) = {} not {p}", normal_cdf(z));
        }
    }
}
