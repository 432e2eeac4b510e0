//! How a revenue share's rate turns a base into a due: flat, by date (a schedule's steps), or by
//! revenue (marginal tiers). Every share due in the program is computed by these functions.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

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
    let mut weighted = Decimal::ZERO;
    for (above, rate, next) in brackets(below_first, tiers) {
        let from = above.checked_mul(n)?;
        if scaled_base <= from {
            break;
        }
        let to = match next {
            Some(next) => next.checked_mul(n)?.min(scaled_base),
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
    let scaled = base.saturating_mul(Decimal::from(year_days));
    brackets(below_first, tiers)
        .take_while(|(above, _, _)| scaled > above.saturating_mul(Decimal::from(period_days)))
        .last()
        .map_or(below_first, |(_, rate, _)| rate)
}

/// The brackets of marginal tiers in order: `(threshold, rate, next threshold)`, the first from
/// 0 at the clause's own rate, the last open-ended. One walk for `tiered_due` and `marginal_rate`.
fn brackets(
    below_first: Decimal,
    tiers: &[Tier],
) -> impl Iterator<Item = (Decimal, Decimal, Option<Decimal>)> + '_ {
    let starts = std::iter::once((Decimal::ZERO, below_first)).chain(tiers.iter().map(|t| (t.above, t.rate)));
    let nexts = tiers.iter().map(|t| Some(t.above)).chain(std::iter::once(None));
    starts.zip(nexts).map(|((above, rate), next)| (above, rate, next))
}

/// Above `above` of a year's base, the share's rate is `rate` (marginal, like tax brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub above: Decimal,
    pub rate: Decimal,
}

/// From `from` on, a share's rate is `rate` (until the next step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateStep {
    pub from: NaiveDate,
    pub rate: Decimal,
}
