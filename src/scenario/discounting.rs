//! The scenario's discounting assumption: a rate and a convention. Owned by the scenario (it is
//! an input); the ledger reads it to value cash.

use crate::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// When in a period its cash is taken to arrive, for discounting. Named for what it does in
/// every run: a quarterly ledger discounts each quarter's cash at the quarter's end (or middle),
/// a yearly one at the year's. Scenario files may write the older names `end-of-year` and
/// `mid-year` (the same conventions, from when every run was yearly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Convention {
    /// At the end of each period (the conservative default).
    #[default]
    EndOfPeriod,
    /// Halfway through each period, as if spread evenly.
    MidPeriod,
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Convention::EndOfPeriod => "end-of-period",
            Convention::MidPeriod => "mid-period",
        })
    }
}

/// How a scenario discounts: a rate per year and a convention. Cash is valued at the start of
/// the first period: a flow at `t` years later is divided by `(1 + rate)^t`, with `t` counted in
/// months / 12 to the period's end (end-of-period) or its middle (mid-period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Discounting {
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub rate: Decimal,
    pub convention: Convention,
}

impl Default for Discounting {
    fn default() -> Self {
        Discounting { rate: Decimal::new(8, 2), convention: Convention::EndOfPeriod }
    }
}

impl Discounting {
    /// Each period's factor, valued at the first period's start: what a run's present values
    /// use (the ledger's summary and each Monte Carlo path). `Err` names the first period whose
    /// factor cannot be computed.
    pub fn factors<'a>(
        &self,
        periods: impl IntoIterator<Item = &'a Period>,
    ) -> Result<Vec<Decimal>, &'a Period> {
        let mut periods = periods.into_iter().peekable();
        let Some(valuation) = periods.peek().map(|p| p.start) else { return Ok(Vec::new()) };
        periods.map(|p| self.factor(valuation, p).ok_or(p)).collect()
    }

    /// Years from the valuation date to when a period's cash is valued: its end (end-of-period)
    /// or its middle (mid-period), counted in whole months (so a calendar year is exactly 1). The
    /// workbook shows it beside each discount factor, `1 / (1 + rate)^years`.
    pub fn years_from(&self, valuation: NaiveDate, period: &Period) -> Option<Decimal> {
        Some(Decimal::from(self.half_months(valuation, period)?) / Decimal::from(24))
    }

    /// Twice the months elapsed, so the mid-point of a period stays a whole number.
    fn half_months(&self, valuation: NaiveDate, period: &Period) -> Option<i64> {
        use chrono::Datelike;
        let months = |date: NaiveDate| {
            i64::from(date.year() - valuation.year()) * 12 + i64::from(date.month0())
                - i64::from(valuation.month0())
        };
        let after_end = period.end.succ_opt()?;
        Some(match self.convention {
            Convention::EndOfPeriod => 2 * months(after_end),
            Convention::MidPeriod => months(period.start) + months(after_end),
        })
    }

    /// The discount factor for a period, given the valuation date (first period's start).
    pub fn factor(&self, valuation: NaiveDate, period: &Period) -> Option<Decimal> {
        use rust_decimal::MathematicalOps;
        let half_months = self.half_months(valuation, period)?;
        let growth = Decimal::ONE.checked_add(self.rate)?;
        let compounded = if half_months % 24 == 0 {
            growth.checked_powi(half_months / 24)
        } else {
            growth.checked_powd(Decimal::from(half_months) / Decimal::from(24))
        };
        // A compounding factor past Decimal's range (~7.9e28) makes the discount factor smaller
        // than its finest step (1e-28): far-off cash is worth nothing today, to the cent. That
        // underflows to zero; it is not an overflow. (`growth ≥ 1`: rates are never negative.)
        match compounded {
            Some(compounded) => Decimal::ONE.checked_div(compounded),
            None if half_months > 0 && growth > Decimal::ONE => Some(Decimal::ZERO),
            None => None,
        }
    }
}
