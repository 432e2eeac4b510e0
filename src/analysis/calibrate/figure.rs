//! What a reported figure measures on a ledger, and how well a ledger's figure agrees with the
//! report: the kernel of the likelihood.
//!
//! A money figure is a `ledger.csv` money column over a period or a range of periods: flows
//! (payments, revenue, cash) are summed over the range; levels (`cumulative_paid`,
//! `cap_remaining`) are read at its last period. Its agreement with the report is a Gaussian
//! kernel whose scale is the figure's tolerance: `z = (model − reported) / tolerance`, log-weight
//! `−z²/2`. `cap_reached_year` is matched exactly (log-weight 0 or −∞) unless a tolerance in
//! years is given, which is then the kernel's scale ("never" is infinitely far from any year).

use crate::ledger::{Ledger, LedgerRow};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt;

/// A money column of `ledger.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Revenue,
    ShareDue,
    SharePaid,
    CumulativePaid,
    CapRemaining,
    MicrosoftRevenue,
    MicrosoftShareDue,
    MicrosoftSharePaid,
    OtherPaidToMicrosoft,
    OtherPaidToOpenai,
    Purchases,
    NetToMicrosoft,
    CashToMicrosoft,
    CashToOpenai,
    CashNetToMicrosoft,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::Revenue,
        Column::ShareDue,
        Column::SharePaid,
        Column::CumulativePaid,
        Column::CapRemaining,
        Column::MicrosoftRevenue,
        Column::MicrosoftShareDue,
        Column::MicrosoftSharePaid,
        Column::OtherPaidToMicrosoft,
        Column::OtherPaidToOpenai,
        Column::Purchases,
        Column::NetToMicrosoft,
        Column::CashToMicrosoft,
        Column::CashToOpenai,
        Column::CashNetToMicrosoft,
    ];

    /// Its heading in `ledger.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Column::Revenue => "revenue",
            Column::ShareDue => "share_due",
            Column::SharePaid => "share_paid",
            Column::CumulativePaid => "cumulative_paid",
            Column::CapRemaining => "cap_remaining",
            Column::MicrosoftRevenue => "microsoft_revenue",
            Column::MicrosoftShareDue => "microsoft_share_due",
            Column::MicrosoftSharePaid => "microsoft_share_paid",
            Column::OtherPaidToMicrosoft => "other_paid_to_microsoft",
            Column::OtherPaidToOpenai => "other_paid_to_openai",
            Column::Purchases => "purchases",
            Column::NetToMicrosoft => "net_to_microsoft",
            Column::CashToMicrosoft => "cash_to_microsoft",
            Column::CashToOpenai => "cash_to_openai",
            Column::CashNetToMicrosoft => "cash_net_to_microsoft",
        }
    }

    pub fn parse(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn names() -> Vec<String> {
        Column::ALL.iter().map(|c| c.name().to_string()).collect()
    }

    /// A level at the end of a period (read at a range's last period), not a flow (summed).
    pub fn is_level(self) -> bool {
        matches!(self, Column::CumulativePaid | Column::CapRemaining)
    }

    /// The column in one row (`cap_remaining` is 0 where no share is capped).
    pub fn of(self, row: &LedgerRow) -> Decimal {
        let money = match self {
            Column::Revenue => row.revenue,
            Column::ShareDue => row.share_due,
            Column::SharePaid => row.share_paid,
            Column::CumulativePaid => row.cumulative_paid,
            Column::CapRemaining => row.cap_remaining.unwrap_or_default(),
            Column::MicrosoftRevenue => row.microsoft_revenue,
            Column::MicrosoftShareDue => row.microsoft_share_due,
            Column::MicrosoftSharePaid => row.microsoft_share_paid,
            Column::OtherPaidToMicrosoft => row.other_paid_to_microsoft,
            Column::OtherPaidToOpenai => row.other_paid_to_openai,
            Column::Purchases => row.purchases,
            Column::NetToMicrosoft => row.net_to_microsoft,
            Column::CashToMicrosoft => row.cash_to_microsoft,
            Column::CashToOpenai => row.cash_to_openai,
            Column::CashNetToMicrosoft => row.cash_net_to_microsoft,
        };
        money.value()
    }
}

/// The days a figure covers: whole periods of its scenario (checked when the file is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSpan {
    /// As written: `2026`, `2025-Q1`, `2026..2030`.
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measure {
    Column { column: Column, period: PeriodSpan },
    CapReachedYear,
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measure::Column { column, period } => write!(f, "{} {}", column.name(), period.label),
            Measure::CapReachedYear => f.write_str("cap_reached_year"),
        }
    }
}

/// A figure's value: reported, or measured on a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Observed {
    Money(Decimal),
    /// The year the cap is reached; `None`: never within the run.
    Year(Option<i32>),
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Money(m) => write!(f, "{}", crate::money::Human(*m)),
            Observed::Year(Some(y)) => write!(f, "{y}"),
            Observed::Year(None) => f.write_str("never"),
        }
    }
}

/// How far a report may be from the truth: the kernel's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// An amount (a percentage is turned into one of the reported figure when read).
    Money(Decimal),
    Years(Decimal),
    /// A year matched exactly.
    Exact,
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerance::Money(m) => write!(f, "±{}", crate::money::Human(*m)),
            Tolerance::Years(y) => write!(f, "±{} years", y.normalize()),
            Tolerance::Exact => f.write_str("exact"),
        }
    }
}

impl Measure {
    /// The figure on a ledger (the file's check made sure the periods tile the span).
    pub fn on(&self, ledger: &Ledger) -> Result<Observed, crate::ledger::SimError> {
        match self {
            Measure::CapReachedYear => Ok(Observed::Year(ledger.summary()?.cap_reached_year)),
            Measure::Column { column, period } => {
                let mut rows = ledger
                    .rows
                    .iter()
                    .filter(|r| r.period.start >= period.start && r.period.end <= period.end);
                if column.is_level() {
                    return Ok(Observed::Money(rows.next_back().map(|r| column.of(r)).unwrap_or_default()));
                }
                let mut total = Decimal::ZERO;
                for row in rows {
                    total = total.checked_add(column.of(row)).ok_or_else(|| {
                        crate::ledger::SimError::Overflow {
                            figure: column.name(),
                            period: period.label.clone(),
                        }
                    })?;
                }
                Ok(Observed::Money(total))
            }
        }
    }
}

/// How many tolerances `model` is from `reported`: `|z|`, or infinity where they cannot agree
/// (an exact year missed, or a year against "never").
pub fn distance(model: Observed, reported: Observed, tolerance: Tolerance) -> f64 {
    match (model, reported, tolerance) {
        (Observed::Money(m), Observed::Money(r), Tolerance::Money(t)) => {
            ((m - r) / t).abs().to_f64().unwrap_or(f64::INFINITY)
        }
        (Observed::Year(m), Observed::Year(r), _) if m == r => 0.0,
        (Observed::Year(Some(m)), Observed::Year(Some(r)), Tolerance::Years(t)) => {
            f64::from((m - r).abs()) / t.to_f64().unwrap_or(1.0)
        }
        _ => f64::INFINITY,
    }
}

/// The kernel's log-weight at `z` tolerances: `−z²/2` (−∞ at infinity).
pub fn log_weight(z: f64) -> f64 {
    -0.5 * z * z
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn distances_are_in_tolerances_and_years_match_exactly_unless_given_a_tolerance() {
        let m = |d| Observed::Money(d);
        assert_eq!(distance(m(dec!(110)), m(dec!(100)), Tolerance::Money(dec!(5))), 2.0);
        assert_eq!(distance(Observed::Year(Some(2028)), Observed::Year(Some(2028)), Tolerance::Exact), 0.0);
        assert!(
            distance(Observed::Year(Some(2029)), Observed::Year(Some(2028)), Tolerance::Exact).is_infinite()
        );
        assert_eq!(
            distance(Observed::Year(Some(2029)), Observed::Year(Some(2028)), Tolerance::Years(dec!(2))),
            0.5
        );
        assert!(distance(Observed::Year(None), Observed::Year(Some(2028)), Tolerance::Years(dec!(2)))
            .is_infinite());
        assert_eq!(log_weight(2.0), -2.0);
        assert_eq!(log_weight(f64::INFINITY), f64::NEG_INFINITY);
    }
}
