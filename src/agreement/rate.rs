//! How a revenue share's rate turns a base into a due: flat, by date (a schedule's steps), or by
//! revenue (marginal tiers). Every share due in the program is computed by these functions.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `round(base × rate_days / period_days)`, the one rounding of a share due. `None` on overflow.
#[inline]
pub fn due_on(base_amount: Decimal, rate_days: Decimal, period_days: i64) -> Option<Decimal> {
    if rate_days.is_zero() || period_days <= 0 {
        return Some(Decimal::ZERO);
    }
    let prorated = base_amount.checked_mul(rate_days)?.checked_div(Decimal::from(period_days))?;
    Some(crate::money::round_money(prorated))
}

/// `Σ rate × days` of rate segments: the rate-days a base is multiplied by. `None` on overflow.
pub fn rate_days(segments: &[(Decimal, i64)]) -> Option<Decimal> {
    segments
        .iter()
        .try_fold(Decimal::ZERO, |acc, (rate, days)| acc.checked_add(rate.checked_mul(Decimal::from(*days))?))
}

/// A share under marginal tiers: each bracket's part of the period's base at its rate, the
/// annual thresholds scaled to the period (`× period_days / year_days`), prorated by
/// `days / period_days`, rounded once. Computed on `base × year_days` so nothing is divided
/// before the end: `round(Σ rate × part(base × Y) × d / (n × Y))`. `None` on overflow.
pub fn tiered_due(
    base: Decimal,
    below_first: Decimal,
    tiers: &[Tier],
    days: i64,
    period_days: i64,
    year_days: i64,
) -> Option<Decimal> {
    if days <= 0 || period_days <= 0 || year_days <= 0 {
        return Some(Decimal::ZERO);
    }
    let (n, y) = (Decimal::from(period_days), Decimal::from(year_days));
    let scaled_base = base.checked_mul(y)?;
    // Bracket k runs from threshold_k × n to threshold_{k+1} × n (in base × Y units).
    let mut bounds: Vec<(Decimal, Decimal)> = vec![(Decimal::ZERO, below_first)];
    bounds.extend(tiers.iter().map(|t| (t.above, t.rate)));
    let mut weighted = Decimal::ZERO;
    for (k, (above, rate)) in bounds.iter().enumerate() {
        let from = above.checked_mul(n)?;
        if scaled_base <= from {
            break;
        }
        let to = match bounds.get(k + 1) {
            Some((next, _)) => next.checked_mul(n)?.min(scaled_base),
            None => scaled_base,
        };
        weighted = weighted.checked_add(rate.checked_mul(to.checked_sub(from)?)?)?;
    }
    let prorated = weighted.checked_mul(Decimal::from(days))?.checked_div(n.checked_mul(y)?)?;
    Some(crate::money::round_money(prorated))
}

/// The marginal rate of the highest bracket `base` (of a `period_days` period in a
/// `year_days` year) reaches: what the ledger shows as the share's rate under tiers.
pub fn marginal_rate(
    base: Decimal,
    below_first: Decimal,
    tiers: &[Tier],
    period_days: i64,
    year_days: i64,
) -> Decimal {
    let scaled = base * Decimal::from(year_days);
    tiers.iter().rev().find(|t| scaled > t.above * Decimal::from(period_days)).map_or(below_first, |t| t.rate)
}

/// Above `above` of a year's base, the share's rate is `rate` (marginal, like tax brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    #[serde(deserialize_with = "super::FileValue::read")]
    pub above: Decimal,
    #[serde(deserialize_with = "super::FileValue::read")]
    pub rate: Decimal,
}

/// From `from` on, a share's rate is `rate` (until the next step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateStep {
    #[serde(deserialize_with = "super::FileValue::read")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "super::FileValue::read")]
    pub rate: Decimal,
}
