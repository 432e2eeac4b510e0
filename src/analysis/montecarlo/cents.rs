//! The integer-cents form of a plan: the hot loop when every amount is whole cents (exact, with
//! the engine's round-half-away-from-zero to the cent), falling back to `Decimal` otherwise.

use super::*;
use crate::engine::schedule::{DueRule, ShareSchedule};

/// An exact decimal as a fraction `num / den` with `den` a power of ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ratio {
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
pub(super) fn div_round(n: Option<i128>, d: i128) -> Option<i128> {
    Some(n?.checked_mul(2)?.checked_add(d)? / d.checked_mul(2)?)
}

/// Whole cents of an amount with at most two decimal places.
pub(super) fn cents(d: Decimal) -> Option<i128> {
    (d.scale() <= 2 && !d.is_sign_negative()).then(|| d.mantissa() * 10i128.pow(2 - d.scale()))
}

/// The largest revenue the hot loop carries, in cents (10^24 dollars): far beyond any plausible
/// path, and small enough that every product below fits `i128` (checked all the same).
const MAX_CENTS: i128 = 100_000_000_000_000_000_000_000_000;

/// The most revenue shares the cents loop takes (their cap rooms live on the stack, so nothing
/// is allocated per path); more run in the `Decimal` loop.
const MAX_CENTS_SHARES: usize = 8;

/// The plan in integer cents: exact, and faster than `Decimal`. Built only when every amount of
/// money in the plan is in whole cents; otherwise the `Decimal` loop runs.
#[derive(Debug, Clone)]
pub(super) struct CentsPlan {
    steps: Vec<CentsStep>,
    microsoft_revenue: Vec<i128>,
    shares: Vec<CentsShare>,
    /// The cap drawn once per path (every capped share), and the OpenAI→Microsoft rate.
    cap_draw: Option<Sampler>,
    rate_draw: Option<Sampler>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum CentsStep {
    Listed(i128),
    Grow(Ratio),
    Random(Sampler),
}

/// A share's due in integer cents: the exact rule's arithmetic (`ExactDue`) on cents, with the
/// base kept as a fraction (num/den) until the one rounding.
#[derive(Debug, Clone)]
pub(super) struct CentsDue {
    fraction: Option<Ratio>,
    /// Per period, Σ rate × days in force (the exact rule's `RateDays`).
    rate_days: Vec<Ratio>,
    days: Vec<i64>,
    period_days: Vec<i64>,
    /// Whether a rate drawn for the path replaces this share's rate (OpenAI→Microsoft only).
    takes_drawn_rate: bool,
}

type CentsShare = ShareSchedule<i128, CentsDue>;

impl CentsPlan {
    /// `Plan::path` in integer cents: the same growth, then the engine's `evaluate_period`.
    #[inline]
    pub(super) fn path<R: rand::Rng>(
        &self,
        rng: &mut R,
        record: &mut impl FnMut(usize, i128, i128, i128, bool),
    ) -> Option<()> {
        let mut rooms = [None::<i128>; MAX_CENTS_SHARES];
        let rooms = rooms.get_mut(..self.shares.len())?;
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
            *room = share.room_at_start(cap);
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
            let period = evaluate_period(
                &self.shares,
                rooms,
                t,
                [revenue, self.microsoft_revenue[t]],
                path_rate,
                |_, _| {},
            )?;
            cumulative += period.paid_to_microsoft;
            record(t, revenue, period.paid_to_microsoft, cumulative, period.cap_reached);
        }
        Some(())
    }
}

impl DueRule<i128> for CentsDue {
    /// A rate drawn for the path.
    type PathTerms = Option<Ratio>;

    /// The share due in period `t` on `stream`, in cents: `round(base × rate_days / n)`, the
    /// exact rule's one rounding. A rate drawn for the path applies to every day in force
    /// instead of the clause's.
    #[inline]
    fn due(&self, t: usize, stream: i128, drawn: Option<Ratio>) -> Option<i128> {
        let (base, base_den) = match self.fraction {
            None => (stream, 1),
            Some(f) => (stream.checked_mul(f.num)?, f.den),
        };
        let days = i128::from(self.days[t]);
        if days <= 0 {
            return Some(0);
        }
        let rate_days = match drawn.filter(|_| self.takes_drawn_rate) {
            Some(rate) => Ratio { num: rate.num.checked_mul(days)?, den: rate.den },
            None => self.rate_days[t],
        };
        div_round(
            base.checked_mul(rate_days.num),
            rate_days.den.checked_mul(i128::from(self.period_days[t]))?.checked_mul(base_den)?,
        )
    }
}

impl Plan {
    /// The integer-cents form, when every amount is in whole cents.
    pub(super) fn in_cents(&self, scenario: &Scenario) -> Option<CentsPlan> {
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
        if self.shares.len() > MAX_CENTS_SHARES {
            return None;
        }
        let shares = self.shares.iter().map(in_cents).collect::<Option<Vec<_>>>()?;
        let cap_draw = scenario.uncertain.cap.map(|d| d.value_sampler());
        if let Some(Sampler::Fixed(cap)) = cap_draw {
            cents(cap)?;
        }
        let rate_draw = scenario.uncertain.share_rate.map(|d| d.value_sampler());
        Some(CentsPlan { steps, microsoft_revenue, shares, cap_draw, rate_draw })
    }
}

/// One exact share in cents, when its money is whole cents and its rate linear: `None` sends the
/// plan to the `Decimal` loop (tiers are not linear in the base).
fn in_cents(s: &ExactSchedule) -> Option<CentsShare> {
    let CompiledRate::RateDays(rate_days) = &s.rule.rate else { return None };
    // Rates and fractions with more than nine decimals go to the decimal loop, so
    // cents × rate × fraction × days stays far inside i128 for any allowed revenue.
    let small = |r: Ratio| (r.den <= 1_000_000_000).then_some(r);
    let fraction = match s.rule.fraction {
        f if f == Decimal::ONE => None,
        f => Some(small(Ratio::of(f))?),
    };
    Some(ShareSchedule {
        clause: s.clause,
        to_microsoft: s.to_microsoft,
        openai_stream: s.openai_stream,
        started: s.started.clone(),
        cap: match s.cap {
            Some(cap) => Some(cents(cap)?),
            None => None,
        },
        prior: cents(s.prior)?,
        rule: CentsDue {
            fraction,
            rate_days: rate_days.iter().map(|rd| small(Ratio::of(*rd))).collect::<Option<Vec<_>>>()?,
            days: s.rule.days.clone(),
            period_days: s.rule.period_days.clone(),
            takes_drawn_rate: s.to_microsoft,
        },
    })
}
