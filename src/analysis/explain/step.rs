//! One checkable step of arithmetic behind a figure, and the check that it holds exactly.

use crate::money::round_money;
use rust_decimal::Decimal;
use serde::Serialize;

/// One piece of arithmetic, with its inputs and result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Step {
    /// `result = revenue × fraction`, exact (not rounded: the only rounding is the due's).
    Base {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        revenue: Decimal,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        fraction: Decimal,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = round(base × rate × days / period_days)`: a share due, prorated by days.
    Prorate {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        base: Decimal,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        rate: Decimal,
        days: i64,
        period_days: i64,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = round(base × Σ rate × days / period_days)`: a share due under a rate schedule
    /// that changes inside the period, one `(rate, days)` segment per rate.
    ProrateSchedule {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        base: Decimal,
        segments: Vec<(Decimal, i64)>,
        period_days: i64,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = round(Σ rate × bracket part × days / period_days)`: a share under marginal
    /// tiers, the annual thresholds scaled to the period by `period_days / year_days`.
    Tiered {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        base: Decimal,
        tiers: Vec<(Decimal, Decimal)>,
        days: i64,
        period_days: i64,
        year_days: i64,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = min(due, room)`, or `due` when uncapped (`room` absent).
    Cap {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        due: Decimal,
        #[serde(serialize_with = "crate::money::canonical::option")]
        room: Option<Decimal>,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = Σ terms`.
    Sum {
        terms: Vec<Decimal>,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = max(0, target − Σ paid)`: a minimum's top-up (what the clauses it tops up paid),
    /// a commitment's shortfall (what was purchased).
    ShortOf {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        target: Decimal,
        paid: Vec<Decimal>,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
    /// `result = a − b`.
    Subtract {
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        a: Decimal,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        b: Decimal,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        result: Decimal,
    },
}

impl Step {
    /// Whether the result follows exactly from the inputs.
    pub fn holds(&self) -> bool {
        match self {
            Step::Base { revenue, fraction, result } => revenue.checked_mul(*fraction) == Some(*result),
            Step::Prorate { base, rate, days, period_days, result } => {
                if *days <= 0 {
                    return result.is_zero();
                }
                base.checked_mul(*rate)
                    .and_then(|x| x.checked_mul(Decimal::from(*days)))
                    .and_then(|x| x.checked_div(Decimal::from(*period_days)))
                    .map(round_money)
                    == Some(*result)
            }
            Step::ProrateSchedule { base, segments, period_days, result } => {
                crate::agreement::rate_days(segments)
                    .and_then(|rd| crate::agreement::due_on(*base, rd, *period_days))
                    == Some(*result)
            }
            Step::Tiered { base, tiers, days, period_days, year_days, result } => {
                let Some(((_, below), rest)) = tiers.split_first() else { return false };
                let rest: Vec<crate::agreement::Tier> = rest
                    .iter()
                    .map(|(above, rate)| crate::agreement::Tier { above: *above, rate: *rate })
                    .collect();
                crate::agreement::tiered_due(*base, *below, &rest, *days, *period_days, *year_days)
                    == Some(*result)
            }
            Step::Cap { due, room, result } => *result == room.map_or(*due, |r| due.min(&r).to_owned()),
            Step::Sum { terms, result } => {
                terms.iter().try_fold(Decimal::ZERO, |acc, t| acc.checked_add(*t)) == Some(*result)
            }
            Step::ShortOf { target, paid, result } => {
                let paid = paid.iter().try_fold(Decimal::ZERO, |acc, t| acc.checked_add(*t));
                paid.and_then(|p| target.checked_sub(p)).map(|short| short.max(Decimal::ZERO))
                    == Some(*result)
            }
            Step::Subtract { a, b, result } => a.checked_sub(*b) == Some(*result),
        }
    }

    pub fn result(&self) -> Decimal {
        match self {
            Step::Base { result, .. }
            | Step::Prorate { result, .. }
            | Step::ProrateSchedule { result, .. }
            | Step::Tiered { result, .. }
            | Step::Cap { result, .. }
            | Step::Sum { result, .. }
            | Step::ShortOf { result, .. }
            | Step::Subtract { result, .. } => *result,
        }
    }
}
