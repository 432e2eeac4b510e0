//! Probability distributions a scenario can give instead of a fixed growth rate, for Monte Carlo.
//! Parameters are exact decimals; draws are made in `f64` (they are rates, not money) and turned
//! into decimals with nine places before they touch any amount. A distribution with no spread
//! returns its exact parameter, so Monte Carlo then reproduces the deterministic run exactly.

use rand::Rng;
use rand_distr::{Distribution, LogNormal, Normal, Triangular};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Growth below this is clamped: revenue can fall 99% in a year, not vanish or turn negative.
pub const FLOOR: Decimal = Decimal::from_parts(99, 0, 0, true, 2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dist {
    /// For growth: the growth factor `1 + g` is lognormal, `exp(N(ln(1 + median), sigma))`, as
    /// finance models compound returns: growth can be negative, revenue never goes below zero,
    /// and `median` is the median growth rate. For a cap or a rate: the value itself is
    /// lognormal, `exp(N(ln median, sigma))`.
    LogNormal {
        median: Decimal,
        sigma: Decimal,
    },
    Normal {
        mean: Decimal,
        sd: Decimal,
    },
    Triangular {
        min: Decimal,
        mode: Decimal,
        max: Decimal,
    },
    Uniform {
        min: Decimal,
        max: Decimal,
    },
}

impl Dist {
    /// The value a deterministic run uses: the median, mean, mode or midpoint.
    pub fn central(&self) -> Decimal {
        match *self {
            Dist::LogNormal { median, .. } => median,
            Dist::Normal { mean, .. } => mean,
            Dist::Triangular { mode, .. } => mode,
            Dist::Uniform { min, max } => (min + max) / Decimal::TWO,
        }
    }

    pub fn has_spread(&self) -> bool {
        match *self {
            Dist::LogNormal { sigma, .. } => !sigma.is_zero(),
            Dist::Normal { sd, .. } => !sd.is_zero(),
            Dist::Triangular { min, max, .. } | Dist::Uniform { min, max } => min != max,
        }
    }

    /// Checks the parameters of a distribution of growth rates (`growth = true`: a lognormal's
    /// median may be any rate above −100%) or of values (a lognormal's median must be above 0).
    /// The message says what is wrong.
    pub fn check(&self, growth: bool) -> Result<(), String> {
        let negative = |name: &str, v: Decimal| {
            if v < Decimal::ZERO {
                Err(format!("{name} must be zero or more"))
            } else {
                Ok(())
            }
        };
        match *self {
            Dist::LogNormal { median, sigma } => {
                if growth && median <= -Decimal::ONE {
                    return Err("a lognormal growth median must be above -100% (-1)".into());
                }
                if !growth && median <= Decimal::ZERO {
                    return Err("a lognormal median must be above 0".into());
                }
                negative("sigma", sigma)?;
                if sigma > Decimal::from(5) {
                    return Err("sigma above 5 gives growth beyond any meaning".into());
                }
            }
            Dist::Normal { sd, .. } => negative("sd", sd)?,
            Dist::Triangular { min, mode, max } => {
                if !(min <= mode && mode <= max) {
                    return Err("a triangular distribution needs min ≤ mode ≤ max".into());
                }
            }
            Dist::Uniform { min, max } => {
                if min > max {
                    return Err("a uniform distribution needs min ≤ max".into());
                }
            }
        }
        Ok(())
    }

    /// A sampler of growth rates for the hot loop: parameters converted once. A lognormal is
    /// drawn on the growth factor `1 + g`.
    pub fn sampler(&self) -> Sampler {
        if !self.has_spread() {
            return Sampler::Fixed(self.central().max(FLOOR));
        }
        let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
        match *self {
            Dist::LogNormal { median, sigma } => LogNormal::new(f(Decimal::ONE + median).ln(), f(sigma))
                .map_or(Sampler::Fixed(median), Sampler::GrowthFactor),
            _ => self.spread_sampler(),
        }
    }

    /// A sampler of the distribution's own values (for money and rates, which are not floored).
    pub fn value_sampler(&self) -> Sampler {
        if !self.has_spread() {
            return Sampler::Fixed(self.central());
        }
        self.spread_sampler()
    }

    fn spread_sampler(&self) -> Sampler {
        let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
        match *self {
            Dist::LogNormal { median, sigma } => {
                LogNormal::new(f(median).ln(), f(sigma)).map_or(Sampler::Fixed(median), Sampler::LogNormal)
            }
            Dist::Normal { mean, sd } => {
                Normal::new(f(mean), f(sd)).map_or(Sampler::Fixed(mean), Sampler::Normal)
            }
            Dist::Triangular { min, mode, max } => {
                Triangular::new(f(min), f(max), f(mode)).map_or(Sampler::Fixed(mode), Sampler::Triangular)
            }
            Dist::Uniform { min, max } => Sampler::Uniform { min: f(min), width: f(max) - f(min) },
        }
    }
}

/// A prepared distribution.
#[derive(Debug, Clone, Copy)]
pub enum Sampler {
    Fixed(Decimal),
    LogNormal(LogNormal<f64>),
    /// A lognormal growth factor `1 + g`; draws are `g`.
    GrowthFactor(LogNormal<f64>),
    Normal(Normal<f64>),
    Triangular(Triangular<f64>),
    Uniform {
        min: f64,
        width: f64,
    },
}

impl Sampler {
    /// One growth rate, as a decimal with nine places, never below `FLOOR`.
    #[inline]
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Decimal {
        match self {
            Sampler::Fixed(d) => *d,
            _ => Decimal::new(self.draw_nano(rng), 9),
        }
    }

    /// One raw draw (no clamping): for distributions of money or rates, whose callers clamp.
    /// `None` for `Fixed`, whose exact value callers take instead.
    #[inline]
    pub fn draw_raw<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<f64> {
        Some(match self {
            Sampler::Fixed(_) => return None,
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::GrowthFactor(d) => d.sample(rng) - 1.0,
            Sampler::Normal(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Uniform { min, width } => min + width * rand::RngExt::random::<f64>(rng),
        })
    }

    /// One growth rate in billionths (what `draw` returns, times 10^9); for `Fixed`, its value
    /// rounded to nine places.
    #[inline]
    pub fn draw_nano<R: Rng + ?Sized>(&self, rng: &mut R) -> i64 {
        let x = match self {
            Sampler::Fixed(d) => return (d * Decimal::from(1_000_000_000)).round().mantissa() as i64,
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::GrowthFactor(d) => d.sample(rng) - 1.0,
            Sampler::Normal(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Uniform { min, width } => min + width * rand::RngExt::random::<f64>(rng),
        };
        (x.clamp(-0.99, 100.0) * 1e9).round() as i64
    }
}
