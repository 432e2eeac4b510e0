//! Probability distributions a scenario can give instead of a fixed growth rate, for Monte Carlo.
//! Parameters are exact decimals; draws are made in `f64` (they are rates, not money) and turned
//! into decimals with nine places before they touch any amount. A distribution with no spread
//! returns its exact parameter, so Monte Carlo then reproduces the deterministic run exactly.

use rand::Rng;
use rand_distr::{Distribution, LogNormal, Normal};
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
                Sampler::Triangular { min: f(min), mode: f(mode), max: f(max) }
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
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
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
    #[inline(always)]
    pub fn draw_raw<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<f64> {
        Some(match self {
            Sampler::Fixed(_) => return None,
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::GrowthFactor(d) => d.sample(rng) - 1.0,
            Sampler::Normal(d) => d.sample(rng),
            Sampler::Triangular { .. } | Sampler::Uniform { .. } => {
                self.at_uniform(rand::RngExt::random::<f64>(rng)).unwrap_or_default()
            }
        })
    }

    /// The draw at standard-normal quantile `z` (for draws joined by a Gaussian copula): the
    /// same transform a plain draw applies to its own normal or uniform variate. `None` for
    /// `Fixed`.
    #[inline]
    pub fn raw_at(&self, z: f64) -> Option<f64> {
        Some(match self {
            Sampler::Fixed(_) => return None,
            Sampler::LogNormal(d) => d.from_zscore(z),
            Sampler::Normal(d) => d.from_zscore(z),
            Sampler::GrowthFactor(d) => d.from_zscore(z) - 1.0,
            Sampler::Triangular { .. } | Sampler::Uniform { .. } => self.at_uniform(normal_cdf(z))?,
        })
    }

    /// A triangular or uniform draw at uniform variate `u` (rand_distr's inverse CDF, so a plain
    /// draw is the same number it always was).
    #[inline]
    fn at_uniform(&self, u: f64) -> Option<f64> {
        Some(match *self {
            Sampler::Triangular { min, mode, max } => {
                let (diff_mode_min, range) = (mode - min, max - min);
                let f_range = u * range;
                if f_range < diff_mode_min {
                    min + (f_range * diff_mode_min).sqrt()
                } else {
                    max - ((range - f_range) * (max - mode)).sqrt()
                }
            }
            Sampler::Uniform { min, width } => min + width * u,
            _ => return None,
        })
    }

    /// A growth rate in billionths at standard-normal quantile `z` (`draw_nano` of a copula draw).
    #[inline]
    pub fn nano_at(&self, z: f64) -> i64 {
        match (self, self.raw_at(z)) {
            (Sampler::Fixed(d), _) => (d * Decimal::from(1_000_000_000)).round().mantissa() as i64,
            (_, x) => round_i64(x.unwrap_or_default().clamp(-0.99, 100.0) * 1e9),
        }
    }

    /// Its value when it is fixed (a distribution without spread).
    pub fn fixed(&self) -> Option<Decimal> {
        match self {
            Sampler::Fixed(d) => Some(*d),
            _ => None,
        }
    }

    /// Whether it draws anything (not a fixed value).
    pub fn is_random(&self) -> bool {
        !matches!(self, Sampler::Fixed(_))
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
            Sampler::Triangular { .. } | Sampler::Uniform { .. } => {
                self.at_uniform(rand::RngExt::random::<f64>(rng)).unwrap_or_default()
            }
        };
        round_i64(x.clamp(-0.99, 100.0) * 1e9)
    }
}

/// `v.round() as i64` (half away from zero, saturating, NaN as 0), without the library call
/// `f64::round` is on x86-64's baseline: below 2^52 the truncation converts exactly and
/// `v − trunc(v)` is exact (Sterbenz), so comparing it with ½ decides the same way.
#[inline]
pub fn round_i64(v: f64) -> i64 {
    if v.abs() < 4_503_599_627_370_496.0 {
        let whole = v as i64;
        let fraction = v - whole as f64;
        // Branch-free: the fraction of a draw is as likely above ½ as below.
        whole + i64::from(fraction >= 0.5) - i64::from(fraction <= -0.5)
    } else {
        v.round() as i64
    }
}

/// The standard normal CDF Φ(z), from erfc (Numerical Recipes' Chebyshev fit, error below
/// 1.2e-7): precise enough to turn a normal variate into a uniform one for sampling.
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if x >= 0.0 { erfc } else { 2.0 - erfc };
    0.5 * erfc
}
