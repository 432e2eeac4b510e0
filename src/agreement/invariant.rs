//! Invariants declared with the terms: promises an agreement makes about every ledger it can
//! produce ("nothing is paid after 2030", "never more than the cap in total", "the licence is never
//! exclusive"), written as `[[invariants]]` in an agreement or timeline file. A small, typed
//! vocabulary (one `kind` per shape of promise, every figure and right by name), parsed by serde
//! with the same file:line:column errors as the rest of the file; no expression language.
//! `analysis::invariants` checks them on a ledger; `dealsim verify` searches for a scenario
//! that breaks one.

use super::{DistributionStatus, FileValue, LicenceStatus};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A money column of the ledger an invariant may speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// What OpenAI owes Microsoft before any cap.
    ShareDue,
    /// What OpenAI pays Microsoft (accrued).
    SharePaid,
    /// What Microsoft pays OpenAI (accrued).
    MicrosoftSharePaid,
    /// `share_paid − microsoft_share_paid`.
    NetToMicrosoft,
    /// Cash received by Microsoft in the period (after payment lags).
    CashToMicrosoft,
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Figure::ShareDue => "share_due",
            Figure::SharePaid => "share_paid",
            Figure::MicrosoftSharePaid => "microsoft_share_paid",
            Figure::NetToMicrosoft => "net_to_microsoft",
            Figure::CashToMicrosoft => "cash_to_microsoft",
        })
    }
}

/// A right and one of its values: `{ licence = "exclusive" }`, `{ azure_first = true }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RightValue {
    Licence(LicenceStatus),
    Distribution(DistributionStatus),
    AzureFirst(bool),
    AgiClause(bool),
}

impl fmt::Display for RightValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RightValue::Licence(v) => write!(f, "licence {v}"),
            RightValue::Distribution(v) => write!(f, "distribution {v}"),
            RightValue::AzureFirst(v) => write!(f, "azure_first {v}"),
            RightValue::AgiClause(v) => write!(f, "agi_clause {v}"),
        }
    }
}

/// A promise, by shape, with `says`: the promise in words and its source, what a reader sees when
/// it is broken. "After D" means every period that starts after D (a period that straddles D is
/// not judged: its rights hold on any of its days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Invariant {
    /// The run's total of `figure` (one clause's flows if `clause` is named) stays within a cap:
    /// `cap` as written, or the scenario's `cap` assumption when it sets one (the seeds' "unless
    /// another cap is agreed"); without `cap`, the named clause's own cap, or the agreement's total
    /// cap on OpenAI→Microsoft shares.
    /// Prior payments toward the cap count: total ≤ cap − prior.
    TotalWithinCap {
        says: String,
        figure: Figure,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clause: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "read_money",
            serialize_with = "crate::money::canonical::option"
        )]
        cap: Option<Decimal>,
    },
    /// `figure` is zero in every period (after `after`, when given).
    Zero {
        says: String,
        figure: Figure,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "read_date")]
        after: Option<NaiveDate>,
    },
    /// `figure` is at least `value` in every period.
    AtLeast {
        says: String,
        figure: Figure,
        #[serde(deserialize_with = "read_amount", serialize_with = "crate::money::canonical::serialize")]
        value: Decimal,
    },
    /// The run's total of `figure` does not fall when OpenAI's revenue rises (checked by running
    /// the scenario again with every period's revenue 10% higher).
    MonotoneInRevenue { says: String, figure: Figure },
    /// The right never has this value (after `after`, when given).
    RightNever {
        says: String,
        right: RightValue,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "read_date")]
        after: Option<NaiveDate>,
    },
    /// The right has this value in every period (after `after`, when given).
    RightIs {
        says: String,
        right: RightValue,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "read_date")]
        after: Option<NaiveDate>,
    },
}

impl Invariant {
    /// The promise in words, as the file states it.
    pub fn says(&self) -> &str {
        match self {
            Invariant::TotalWithinCap { says, .. }
            | Invariant::Zero { says, .. }
            | Invariant::AtLeast { says, .. }
            | Invariant::MonotoneInRevenue { says, .. }
            | Invariant::RightNever { says, .. }
            | Invariant::RightIs { says, .. } => says,
        }
    }
}

/// An amount of money, with a unit ("38B") as everywhere else: `"38"` is refused as $38 (zero
/// needs none).
fn read_amount<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    use serde::de::Error;
    match toml::Value::deserialize(deserializer)? {
        toml::Value::String(s) => crate::money::parse_large_money(&s).map_err(D::Error::custom),
        toml::Value::Integer(0) => Ok(Decimal::ZERO),
        other => {
            Err(D::Error::custom(format!("expected an amount such as \"38B\", found {}", other.type_str())))
        }
    }
}

/// An optional amount of money (`read_amount`).
fn read_money<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    read_amount(deserializer).map(Some)
}

/// An optional date, bare (`2030-12-31`) or as a string.
fn read_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    NaiveDate::read(deserializer).map(Some)
}

fn after_words(after: &Option<NaiveDate>) -> String {
    after.map_or(String::new(), |d| format!(" after {d}"))
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invariant::TotalWithinCap { figure, clause, cap, .. } => write!(
                f,
                "total {figure}{} ≤ {}",
                clause.as_ref().map_or(String::new(), |c| format!(" of `{c}`")),
                cap.map_or("the cap".to_string(), |c| format!(
                    "{} (or the scenario's cap)",
                    crate::money::Human(c)
                ))
            ),
            Invariant::Zero { figure, after, .. } => write!(f, "{figure} = 0{}", after_words(after)),
            Invariant::AtLeast { figure, value, .. } => {
                write!(f, "{figure} ≥ {}", crate::money::Human(*value))
            }
            Invariant::MonotoneInRevenue { figure, .. } => {
                write!(f, "total {figure} does not fall when revenue rises")
            }
            Invariant::RightNever { right, after, .. } => write!(f, "never {right}{}", after_words(after)),
            Invariant::RightIs { right, after, .. } => write!(f, "always {right}{}", after_words(after)),
        }
    }
}
