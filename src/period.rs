//! Time: the periods a ledger has rows for, and how many days of a period a clause is in force.
//!
//! The proration rule: a clause in force for `d` of a period's `n` days (both ends inclusive)
//! yields `d / n` of what it would yield over the whole period, on the assumption that the
//! period's revenue is earned evenly across its days. Leap years have 366 days.

use chrono::NaiveDate;
use serde::Serialize;

/// A span of days, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// What the ledger calls it: "2026", or "2025-Q1".
    pub label: String,
    /// The calendar year the period falls in.
    pub year: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The calendar year `year`, 1 January to 31 December. `None` outside chrono's range.
    pub fn calendar_year(year: i32) -> Option<Period> {
        Some(Period {
            label: year.to_string(),
            year,
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            end: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// Quarter `q` (1..=4) of `year`.
    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        let start = NaiveDate::from_ymd_opt(year, 3 * (q - 1) + 1, 1)?;
        let next = if q == 4 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, 3 * q + 1, 1)?
        };
        Some(Period { label: format!("{year}-Q{q}"), year, start, end: next.pred_opt()? })
    }

    /// Days in the calendar year the period falls in (365 or 366): annual thresholds scale by
    /// `days() / year_days()`.
    pub fn year_days(&self) -> i64 {
        if NaiveDate::from_ymd_opt(self.year, 2, 29).is_some() {
            366
        } else {
            365
        }
    }

    pub fn days(&self) -> i64 {
        days_between_inclusive(self.start, self.end)
    }

    /// Days of this period that fall within `[from, to]` (inclusive; `to = None` is open-ended).
    pub fn days_within(&self, from: NaiveDate, to: Option<NaiveDate>) -> i64 {
        let first = self.start.max(from);
        let last = match to {
            Some(to) => self.end.min(to),
            None => self.end,
        };
        days_between_inclusive(first, last)
    }
}

/// Days from `first` to `last`, both included; zero when `last` is before `first`.
pub fn days_between_inclusive(first: NaiveDate, last: NaiveDate) -> i64 {
    ((last - first).num_days() + 1).max(0)
}

/// The years a date anywhere in dealsim's input may fall in.
pub const FIRST_YEAR: i64 = 1900;
pub const LAST_YEAR: i64 = 2200;

/// The last day before `date`, saturating at chrono's minimum date.
pub fn day_before(date: NaiveDate) -> NaiveDate {
    date.pred_opt().unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_year_has_its_calendar_days() {
        assert_eq!(Period::calendar_year(2026).unwrap().days(), 365);
        assert_eq!(Period::calendar_year(2028).unwrap().days(), 366);
    }

    #[test]
    fn the_effective_date_counts_as_a_day_in_force() {
        let y2026 = Period::calendar_year(2026).unwrap();
        // 27 April to 31 December 2026: 4 days of April left after the 26th... 249 days in all.
        assert_eq!(y2026.days_within(d(2026, 4, 27), None), 249);
        assert_eq!(y2026.days_within(d(2027, 1, 1), None), 0);
        assert_eq!(y2026.days_within(d(2020, 1, 1), Some(d(2025, 12, 31))), 0);
        assert_eq!(y2026.days_within(d(2020, 1, 1), Some(d(2026, 1, 1))), 1);
    }

    #[test]
    fn quarters_tile_the_year() {
        let days: i64 = (1..=4).map(|q| Period::quarter(2024, q).unwrap().days()).sum();
        assert_eq!(days, 366);
        assert_eq!(Period::quarter(2025, 3).unwrap().end, d(2025, 9, 30));
        assert!(Period::quarter(2025, 5).is_none());
    }
}
