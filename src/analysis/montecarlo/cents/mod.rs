//! The integer-cents form of a plan: the hot loop when every amount is whole cents (exact, with
//! the engine's round-half-away-from-zero to the cent), falling back to `Decimal` otherwise.

use super::*;
use crate::agreement::plan::{ExactDue, Plan as Terms};
use crate::engine::evaluate::DueRule;
use crate::scenario::dist::round_i64;
use arith::{div_round, mul_div_billion, mul_small};

mod arith;

/// An exact decimal as a fraction `num / den` with `den` a power of ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ratio {
    pub(super) num: i128,
    pub(super) den: i128,
}

impl Ratio {
    pub(super) fn of(d: Decimal) -> Ratio {
        Ratio { num: d.mantissa(), den: 10i128.pow(d.scale()) }
    }
}

/// Whole cents of an amount with at most two decimal places.
pub(super) fn cents(d: Decimal) -> Option<i128> {
    (d.scale() <= 2 && !d.is_sign_negative()).then(|| d.mantissa() * 10i128.pow(2 - d.scale()))
}

/// The largest revenue the hot loop carries, in cents (10^24 dollars): far beyond any plausible
/// path, and small enough that every product below fits `i128` (checked all the same).
const MAX_CENTS: i128 = 100_000_000_000_000_000_000_000_000;

/// The plan in integer cents: exact, and faster than `Decimal`. Built only when every amount of
/// money in the plan is in whole cents; otherwise the `Decimal` loop runs.
#[derive(Debug, Clone)]
pub(super) struct CentsPlan {
    /// Per period, OpenAI's and Microsoft's steps in cents (their scales and correlation in
    /// `revenues`), side by side: one bounds check a period.
    steps: Vec<[CentsStep; 2]>,
    revenues: super::revenue::Revenues,
    /// Every stream's amount per period in cents (the first replaced by each path's revenue).
    streams: Vec<Vec<i128>>,
    /// The agreement's compiled terms in cents: the engine's plan, its money converted.
    terms: Terms<i128, CentsDue>,
    /// The cap drawn once per path (every pool holding a revenue share), and the
    /// OpenAI→Microsoft rate.
    cap_draw: Option<Sampler>,
    rate_draw: Option<Sampler>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum CentsStep {
    Listed(i128),
    Grow(Ratio),
    /// Grown at the rate drawn for the period (by `Revenues::draw_period`).
    Random,
    /// The amount drawn for the period.
    Drawn,
}

/// A revenue flow's due in integer cents: the exact rule's arithmetic (`ExactDue`) on cents,
/// with the base kept as a fraction (num/den) until the one rounding.
#[derive(Debug, Clone)]
pub(super) struct CentsDue {
    fraction: Option<Ratio>,
    /// Per period, what the due reads (one record per period: one bounds check in the loop).
    periods: Vec<DuePeriod>,
    /// Whether a rate drawn for the path replaces this rule's rate (OpenAI→Microsoft shares).
    takes_drawn_rate: bool,
}

/// One period of a `CentsDue`.
#[derive(Debug, Clone, Copy)]
struct DuePeriod {
    /// Σ rate × days in force (the exact rule's `RateDays`): its numerator.
    rate_days_num: i128,
    /// The due's denominator with the clause's own rate: `rate_days.den × period days ×
    /// fraction.den`, worked out once rather than on every path.
    denominator: i128,
    days: i64,
    period_days: i64,
}

/// What one path of the cents loop works in: the plan's state, the period's streams and the
/// path's draws.
pub(super) struct CentsWork {
    state: State<i128>,
    streams: PeriodStreams,
    /// Each period's raw draws, all made before the path's arithmetic (`CentsRevenue::draw`).
    draws: Vec<[Option<f64>; 2]>,
}

/// Every period's streams, the path's two revenues written over the first two each period:
/// nothing else in them changes, so no period copies them.
struct PeriodStreams {
    all: Vec<Vec<i128>>,
    /// The address of the plan's streams that `all` holds (a chunk's paths may follow several
    /// plans: weighted scenarios); compared, never read through.
    loaded: usize,
}

impl PeriodStreams {
    /// `plan`'s streams, unless they are the ones held: once at the start of each path.
    #[inline(always)]
    fn load(&mut self, plan: &CentsPlan) {
        if self.loaded != plan.streams.as_ptr() as usize {
            self.all.clone_from(&plan.streams);
            self.loaded = plan.streams.as_ptr() as usize;
        }
    }

    /// Period `t`'s streams (as `load`ed at the path's start), with the path's two revenues.
    #[inline(always)]
    fn at(&mut self, t: usize, revenues: [i128; 2]) -> &[i128] {
        let period = &mut self.all[t];
        period[..2].copy_from_slice(&revenues);
        period
    }
}

impl CentsPlan {
    pub(super) fn path_state(&self) -> CentsWork {
        CentsWork {
            state: State::new(&self.terms, None),
            streams: PeriodStreams { all: self.streams.clone(), loaded: self.streams.as_ptr() as usize },
            draws: vec![[None; 2]; self.steps.len()],
        }
    }

    /// `Plan::path` in integer cents: the same growth, then the engine's `evaluate_period`.
    #[inline]
    pub(super) fn path<R: rand::Rng>(
        &self,
        rng: &mut R,
        work: &mut CentsWork,
        record: &mut impl FnMut(usize, [i128; 2], i128, i128, bool),
    ) -> Option<()> {
        self.path_with(rng, work, record, |_, _, _| {})
    }

    /// `path`, with `each(t, revenues, totals)` told every period's revenues and totals before
    /// `record` (a fused `--against` run works the other agreement out there).
    #[inline(always)]
    pub(super) fn path_with<R: rand::Rng>(
        &self,
        rng: &mut R,
        work: &mut CentsWork,
        record: &mut impl FnMut(usize, [i128; 2], i128, i128, bool),
        mut each: impl FnMut(usize, [i128; 2], &crate::engine::evaluate::PeriodTotals<i128>),
    ) -> Option<()> {
        // Terms drawn once per path, before the growth draws, so a stream's order is fixed.
        let cap = match self.cap_draw {
            None => None,
            Some(Sampler::Fixed(cap)) => cents(cap),
            Some(sampler) => sampler.draw_raw(rng).map(super::revenue::amount_cents),
        };
        let path_rate = match self.rate_draw {
            None => None,
            Some(Sampler::Fixed(rate)) => Some(Ratio::of(rate)),
            Some(sampler) => sampler
                .draw_raw(rng)
                .map(|x| Ratio { num: i128::from(round_i64(x.clamp(0.0, 1.0) * 1e9)), den: 1_000_000_000 }),
        };
        work.state.reset(&self.terms, cap);
        work.streams.load(self);
        let mut revenue = CentsRevenue::draw(self, rng, &mut work.draws);
        let mut cumulative = 0i128;
        for t in 0..work.draws.len() {
            let both = revenue.next(self, t, work.draws[t])?;
            let streams = work.streams.at(t, both);
            let period = evaluate_period(&self.terms, &mut work.state, t, streams, path_rate, |_, _| {})?;
            each(t, both, &period);
            cumulative += period.paid_to_microsoft;
            record(t, both, period.paid_to_microsoft, cumulative, period.cap_reached);
        }
        Some(())
    }
}

/// A path's two revenues in cents, period by period (as `revenue::DecimalRevenue`): each grown
/// unscaled, then scaled.
pub(super) struct CentsRevenue {
    unscaled: [i128; 2],
    scales: [Option<i128>; 2],
}

impl CentsRevenue {
    /// The start of a path: its scales drawn, then every period's draws into `draws`, in the
    /// order a path always drew them. Drawn before the arithmetic, so the next period's draw
    /// does not wait behind this period's revenue, nor the path's arithmetic behind its draws:
    /// the core overlaps the two (the same numbers, in the same order).
    #[inline]
    pub(super) fn draw<R: rand::Rng>(
        plan: &CentsPlan,
        rng: &mut R,
        draws: &mut [[Option<f64>; 2]],
    ) -> CentsRevenue {
        let scales = plan.revenues.draw_scales(rng);
        for (t, period) in draws.iter_mut().enumerate() {
            *period = plan.revenues.draw_period(t, rng);
        }
        CentsRevenue { unscaled: [0; 2], scales }
    }

    /// Period `t`'s two revenues from its draws. `None` on overflow or past the loop's limit.
    /// Always inlined: returned out of line, the pair went through memory and stalled the loop.
    #[inline(always)]
    pub(super) fn next(&mut self, plan: &CentsPlan, t: usize, draws: [Option<f64>; 2]) -> Option<[i128; 2]> {
        const BILLION: i128 = 1_000_000_000;
        let mut both = [0i128; 2];
        let steps = &plan.steps[t];
        for s in 0..2 {
            self.unscaled[s] = match (&steps[s], draws[s]) {
                (CentsStep::Listed(r), _) => *r,
                (CentsStep::Grow(f), _) => div_round(self.unscaled[s].checked_mul(f.num), f.den)?,
                (CentsStep::Random, Some(x)) => {
                    mul_div_billion(self.unscaled[s], BILLION + i128::from(super::revenue::growth_nano(x)))?
                }
                (CentsStep::Drawn, Some(x)) => super::revenue::amount_cents(x),
                (CentsStep::Random | CentsStep::Drawn, None) => self.unscaled[s],
            };
            both[s] = match self.scales[s] {
                None => self.unscaled[s],
                Some(nano) => mul_div_billion(self.unscaled[s], nano)?,
            };
            if both[s] > MAX_CENTS {
                return None;
            }
        }
        Some(both)
    }
}

impl CentsPlan {
    /// `montecarlo --against` in cents: one path of draws (this plan's revenues) run through
    /// both plans, `record(t, Microsoft's net here, its net under other)` per period. The plans
    /// are of one scenario (the same streams); neither draws its cap or rate. `None` on overflow.
    #[inline]
    pub(super) fn against_path<R: rand::Rng>(
        &self,
        other: &CentsPlan,
        rng: &mut R,
        (own_work, other_work): (&mut CentsWork, &mut CentsWork),
        mut record: impl FnMut(usize, i128, i128),
    ) -> Option<()> {
        self.start(own_work);
        other.start(other_work);
        let mut revenue = CentsRevenue::draw(self, rng, &mut own_work.draws);
        for t in 0..self.steps.len() {
            let both = revenue.next(self, t, own_work.draws[t])?;
            let own = self.net_at(own_work, t, both)?;
            let against = other.net_at(other_work, t, both)?;
            record(t, own, against);
        }
        Some(())
    }

    /// A path's start under this plan's terms, nothing drawn for it.
    #[inline]
    pub(super) fn start(&self, work: &mut CentsWork) {
        work.state.reset(&self.terms, None);
        work.streams.load(self);
    }

    /// Microsoft's net in period `t` of a path (every payment to it minus every payment by it),
    /// on the path's two revenues, on a path begun with `start`. `None` on overflow.
    #[inline(always)]
    pub(super) fn net_at(&self, work: &mut CentsWork, t: usize, revenues: [i128; 2]) -> Option<i128> {
        let streams = work.streams.at(t, revenues);
        let totals = evaluate_period(&self.terms, &mut work.state, t, streams, None, |_, _| {})?;
        totals.net()
    }
}

impl DueRule<i128> for CentsDue {
    /// A rate drawn for the path.
    type PathTerms = Option<Ratio>;

    /// The due in period `t` on `stream`, in cents: `round(base × rate_days / n)`, the exact
    /// rule's one rounding. A rate drawn for the path applies to every day in force instead of
    /// the clause's.
    #[inline(always)]
    fn due(&self, t: usize, stream: i128, drawn: Option<Ratio>) -> Option<i128> {
        let base = match self.fraction {
            None => stream,
            Some(f) => stream.checked_mul(f.num)?,
        };
        let period = self.periods[t];
        let days = i128::from(period.days);
        if days <= 0 {
            return Some(0);
        }
        let (num, den) = match drawn.filter(|_| self.takes_drawn_rate) {
            Some(rate) => {
                let base_den = self.fraction.map_or(1, |f| f.den);
                let den = rate.den.checked_mul(i128::from(period.period_days))?.checked_mul(base_den)?;
                (rate.num.checked_mul(days)?, den)
            }
            None => (period.rate_days_num, period.denominator),
        };
        div_round(mul_small(base, num), den)
    }
}

impl Plan {
    /// The integer-cents form, when every amount is in whole cents.
    pub(super) fn in_cents(&self, scenario: &Scenario) -> Option<CentsPlan> {
        use super::revenue::Step;
        let in_cents = |steps: &[Step]| {
            steps
                .iter()
                .map(|step| match step {
                    Step::Listed(r) => cents(*r).map(CentsStep::Listed),
                    Step::Fixed(factor) => Some(CentsStep::Grow(Ratio::of(*factor))),
                    Step::Random(Sampler::Fixed(g)) => Some(CentsStep::Grow(Ratio::of(Decimal::ONE + g))),
                    Step::Random(_) => Some(CentsStep::Random),
                    Step::Drawn(_) => Some(CentsStep::Drawn),
                })
                .collect::<Option<Vec<_>>>()
        };
        let [openai, microsoft] = [in_cents(&self.revenues.steps[0])?, in_cents(&self.revenues.steps[1])?];
        let steps = openai.into_iter().zip(microsoft).map(|(a, b)| [a, b]).collect();
        let streams = self
            .streams
            .iter()
            .map(|period| period.iter().map(|r| cents(*r)).collect::<Option<Vec<_>>>())
            .collect::<Option<Vec<_>>>()?;
        let terms = self.terms.try_map(|amount| cents(*amount), rule_in_cents)?;
        let cap_draw = scenario.uncertain.cap.map(|d| d.value_sampler());
        if let Some(Sampler::Fixed(cap)) = cap_draw {
            cents(cap)?;
        }
        let rate_draw = scenario.uncertain.share_rate.map(|d| d.value_sampler());
        Some(CentsPlan { steps, revenues: self.revenues.clone(), streams, terms, cap_draw, rate_draw })
    }
}

/// One exact revenue rule in cents, when its rate is linear: `None` sends the plan to the
/// `Decimal` loop (tiers are not linear in the base).
pub(super) fn rule_in_cents(rule: &ExactDue) -> Option<CentsDue> {
    let CompiledRate::RateDays(rate_days) = &rule.rate else { return None };
    // Rates and fractions with more than nine decimals go to the decimal loop, so
    // cents × rate × fraction × days stays far inside i128 for any allowed revenue.
    let small = |r: Ratio| (r.den <= 1_000_000_000).then_some(r);
    let fraction = match rule.fraction {
        f if f == Decimal::ONE => None,
        f => Some(small(Ratio::of(f))?),
    };
    let rate_days = rate_days.iter().map(|rd| small(Ratio::of(*rd))).collect::<Option<Vec<_>>>()?;
    let base_den = fraction.map_or(1, |f: Ratio| f.den);
    let periods = rate_days
        .iter()
        .zip(&rule.period_days)
        .zip(&rule.days)
        .map(|((rd, n), days)| {
            let denominator = rd.den.checked_mul(i128::from(*n))?.checked_mul(base_den)?;
            Some(DuePeriod { rate_days_num: rd.num, denominator, days: *days, period_days: *n })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(CentsDue { fraction, periods, takes_drawn_rate: rule.takes_drawn_rate })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        #[test]
        fn the_fast_rounding_is_f64_round(v in prop_oneof![
            -1e12f64..1e12,
            any::<f64>(),
            (-1_000_000i64..1_000_000).prop_map(|k| k as f64 + 0.5),
            (0u64..u64::MAX).prop_map(f64::from_bits),
        ]) {
            prop_assert_eq!(round_i64(v), v.round() as i64);
        }
    }

    #[test]
    fn the_fast_rounding_meets_the_edges() {
        for v in [
            0.5,
            -0.5,
            1.5,
            -1.5,
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
            4503599627370496.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            9.3e18,
            -9.3e18,
        ] {
            assert_eq!(round_i64(v), v.round() as i64, "{v}");
        }
    }
}
