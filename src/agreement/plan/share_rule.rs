//! The rule a flow proportional to a revenue stream follows (a revenue share; a purchase that is
//! a fraction of a stream), compiled per period: what does not depend on revenue is worked out
//! once (Σ rate × days, days in force), so each period's due is one multiplication, one
//! division and one rounding: `round(base × Σ rate × days / n)`, or marginal tiers.

use super::{CompileError, InForce};
use crate::agreement::{due_on, rate_days, tiered_due, Basis, RateStep, Tier};
use crate::period::Period;
use rust_decimal::Decimal;

/// How a share's rate applies, compiled per period.
#[derive(Debug, Clone)]
pub enum CompiledRate {
    /// Linear in the base: per period, Σ rate × days in force (a schedule's segments).
    RateDays(Vec<Decimal>),
    /// Marginal tiers (and the rate below the first): not linear, so days and the year's days
    /// are kept for `tiered_due`.
    Tiered { below_first: Decimal, tiers: Vec<Tier> },
}

/// The exact rule, with what does not depend on revenue worked out once. Also what the engine's
/// trace reads (days, segments).
#[derive(Debug, Clone)]
pub struct ExactDue {
    pub force: InForce,
    pub fraction: Decimal,
    pub rate: CompiledRate,
    /// Per period: `(rate, days)` in date order where a schedule changes the rate inside it
    /// (empty where one rate covers the days in force).
    pub segments: Vec<Vec<(Decimal, i64)>>,
    pub days: Vec<i64>,
    pub period_days: Vec<i64>,
    pub year_days: Vec<i64>,
    /// Whether a rate drawn for a Monte Carlo path replaces this rule's rate (the scenario's
    /// `share_rate` is uncertain: OpenAI→Microsoft shares only).
    pub takes_drawn_rate: bool,
    /// The rate before any schedule step, the steps, and where each comes from: for the trace's
    /// "rate on the last day in force" and its basis.
    pub flat_rate: Decimal,
    pub steps: Vec<RateStep>,
    pub rate_basis: Basis,
    pub schedule_basis: Option<Basis>,
}

impl ExactDue {
    /// A rule for `periods`: `rate` from the clause's first day in force, changing on each step of
    /// `schedule`, or marginal `tiers` above `rate`; `fraction` of the stream.
    pub fn new(
        force: InForce,
        periods: &[Period],
        fraction: Decimal,
        (rate, rate_basis): (Decimal, Basis),
        (schedule, schedule_basis): (&[RateStep], Option<Basis>),
        tiers: Option<&[Tier]>,
    ) -> Result<ExactDue, CompileError> {
        let days: Vec<i64> = periods.iter().map(|p| force.days_in(p)).collect();
        // A flat rate has one segment (rate × days in force): no list to build per period. Only a
        // schedule's periods are split, and only those split in two or more are kept for the trace.
        let segments: Vec<Vec<(Decimal, i64)>> = if schedule.is_empty() {
            vec![Vec::new(); periods.len()]
        } else {
            periods.iter().map(|p| segments(rate, schedule, force, p)).collect()
        };
        let compiled = match tiers {
            Some(tiers) => CompiledRate::Tiered { below_first: rate, tiers: tiers.to_vec() },
            None => CompiledRate::RateDays(
                segments
                    .iter()
                    .zip(&days)
                    .zip(periods)
                    .map(|((segments, days), p)| {
                        let rate_days = if schedule.is_empty() {
                            rate.checked_mul(Decimal::from(*days))
                        } else {
                            rate_days(segments)
                        };
                        rate_days.ok_or_else(|| CompileError::Overflow { period: p.label.clone() })
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        let segments = segments.into_iter().map(|s| if s.len() > 1 { s } else { Vec::new() }).collect();
        Ok(ExactDue {
            force,
            fraction,
            rate: compiled,
            segments,
            days,
            period_days: periods.iter().map(|p| p.days()).collect(),
            year_days: periods.iter().map(|p| p.year_days()).collect(),
            takes_drawn_rate: false,
            flat_rate: rate,
            steps: schedule.to_vec(),
            rate_basis,
            schedule_basis,
        })
    }

    /// The rate in force on `day` (the last schedule step on or before it, else the flat rate)
    /// and its basis.
    pub fn rate_on(&self, day: chrono::NaiveDate) -> (Decimal, Basis) {
        match self.steps.iter().rev().find(|step| step.from <= day) {
            Some(step) => (step.rate, self.schedule_basis.unwrap_or(self.rate_basis)),
            None => (self.flat_rate, self.rate_basis),
        }
    }

    /// The base: the stream times the fraction. Not rounded: the rule rounds once, at the due (a
    /// rounded base would move a cent).
    #[inline]
    pub fn base(&self, stream: Decimal) -> Option<Decimal> {
        if self.fraction == Decimal::ONE {
            Some(stream)
        } else {
            stream.checked_mul(self.fraction)
        }
    }

    /// The due of period `t` on `base`: `round(base × Σ rate × days / n)`, or the tiered rule.
    #[inline]
    pub fn due_of_base(&self, t: usize, base: Decimal) -> Option<Decimal> {
        match &self.rate {
            CompiledRate::RateDays(rate_days) => due_on(base, rate_days[t], self.period_days[t]),
            CompiledRate::Tiered { below_first, tiers } => {
                tiered_due(base, *below_first, tiers, self.days[t], self.period_days[t], self.year_days[t])
            }
        }
    }

    /// The due of period `t` on the stream's amount.
    #[inline]
    pub fn due(&self, t: usize, stream: Decimal) -> Option<Decimal> {
        self.due_of_base(t, self.base(stream)?)
    }
}

/// The rate in force on `day`: the last step on or before it, else `rate`.
pub fn rate_on(rate: Decimal, schedule: &[RateStep], day: chrono::NaiveDate) -> Decimal {
    schedule.iter().rev().find(|step| step.from <= day).map_or(rate, |step| step.rate)
}

/// The days of `period` in force, split where the rate changes: `(rate, days)` in date order,
/// days > 0. One segment for a flat rate.
pub fn segments(
    rate: Decimal,
    schedule: &[RateStep],
    force: InForce,
    period: &Period,
) -> Vec<(Decimal, i64)> {
    let (from, to) = (force.first.max(period.start), force.last.map_or(period.end, |l| l.min(period.end)));
    if to < from {
        return Vec::new();
    }
    let mut cuts: Vec<chrono::NaiveDate> =
        schedule.iter().map(|s| s.from).filter(|d| *d > from && *d <= to).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = from;
    for cut in cuts.into_iter().chain(to.succ_opt()) {
        let days = (cut - start).num_days();
        if days > 0 {
            out.push((rate_on(rate, schedule, start), days));
        }
        start = cut;
    }
    out
}
