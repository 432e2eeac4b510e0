//! The rights a period carries, by ledger column, their states, and the changes of state inside a
//! period: typed, and put in words in one place (`Display`), which the CSV, JSON, table, report
//! and explanations all use.

use super::{DistributionStatus, LicenceStatus};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// A right that changes on a day inside a period: `licence` from `exclusive` to `non-exclusive`
/// on 2026-04-27.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RightsChange {
    pub day: NaiveDate,
    pub right: Right,
    pub from: RightState,
    pub to: RightState,
}

/// A right a period carries, by its ledger column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    Licence,
    Distribution,
    AzureFirst,
    AgiClause,
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Right::Licence => "licence",
            Right::Distribution => "distribution",
            Right::AzureFirst => "azure_first",
            Right::AgiClause => "agi_clause",
        })
    }
}

/// A right's state on a day: the licence's, the distribution's, or whether a yes/no right holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightState {
    Licence(LicenceStatus),
    Distribution(DistributionStatus),
    Holds(bool),
}

impl RightState {
    /// Whether it is the state of a right not in force (`none`, `no`): what a run shows before
    /// its agreement begins.
    pub fn is_absent(&self) -> bool {
        matches!(
            self,
            RightState::Licence(LicenceStatus::None)
                | RightState::Distribution(DistributionStatus::None)
                | RightState::Holds(false)
        )
    }
}

/// How a yes/no right reads, in the table, the report and a change's words.
pub fn yes_no(holds: bool) -> &'static str {
    if holds {
        "yes"
    } else {
        "no"
    }
}

impl fmt::Display for RightState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RightState::Licence(l) => l.fmt(f),
            RightState::Distribution(d) => d.fmt(f),
            RightState::Holds(b) => f.write_str(yes_no(*b)),
        }
    }
}

/// Both serialise as the words they display (`licence`, `non-exclusive`, `yes`).
macro_rules! serialize_as_words {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    )*};
}
serialize_as_words!(Right, RightState);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_and_serialise_as_their_words_and_know_when_a_right_is_absent() {
        let change = RightsChange {
            day: NaiveDate::from_ymd_opt(2026, 4, 27).unwrap(),
            right: Right::AzureFirst,
            from: RightState::Holds(false),
            to: RightState::Holds(true),
        };
        assert_eq!(change.to_string(), "azure_first no→yes from 2026-04-27");
        assert_eq!(
            serde_json::to_string(&change).unwrap(),
            r#"{"day":"2026-04-27","right":"azure_first","from":"no","to":"yes"}"#
        );
        assert!(RightState::Licence(LicenceStatus::None).is_absent());
        assert!(RightState::Distribution(DistributionStatus::None).is_absent());
        assert!(!RightState::Licence(LicenceStatus::Exclusive).is_absent());
        assert_eq!(RightState::Distribution(DistributionStatus::AnyCloud).to_string(), "any-cloud");
    }
}
