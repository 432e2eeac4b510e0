//! Invariants declared with the terms: promises an agreement makes about every ledger it can
//! produce ("nothing is paid after 2030", "never more than the cap in total", "the licence is never
//! exclusive"), written as `[[invariants]]` in an agreement or timeline file. A small, typed
//! vocabulary (one `kind` per shape of promise, every figure and right by name), parsed by serde
//! with the same file:line:column errors as the rest of the file; no expression language.
//! `analysis::invariants` checks them on a ledger; `dealsim verify` searches for a scenario
//! that breaks one.

use super::{DistributionStatus, LicenceStatus};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// A money column of the ledger an invariant may speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// What OpenAI owes Microsoft under revenue shares before any cap.
    ShareDue,
    /// What OpenAI pays Microsoft under revenue shares (accrued).
    SharePaid,
    /// What Microsoft pays OpenAI under revenue shares (accrued).
    MicrosoftSharePaid,
    /// Every payment to Microsoft minus every payment to OpenAI.
    NetToMicrosoft,
    /// Cash received by Microsoft in the period (after payment lags).
    CashToMicrosoft,
    /// Every payment to Microsoft: shares, top-ups, fixed payments, milestones, shortfalls.
    PaidToMicrosoft,
    /// One clause's due, or its paid (the invariant names it with `clause`).
    Due,
    Paid,
    /// Purchases under purchase commitments.
    Purchases,
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Figure::ShareDue => "share_due",
            Figure::SharePaid => "share_paid",
            Figure::MicrosoftSharePaid => "microsoft_share_paid",
            Figure::NetToMicrosoft => "net_to_microsoft",
            Figure::CashToMicrosoft => "cash_to_microsoft",
            Figure::PaidToMicrosoft => "paid_to_microsoft",
            Figure::Due => "due",
            Figure::Paid => "paid",
            Figure::Purchases => "purchases",
        })
    }
}

/// A right and one of its values: `{ licence = "exclusive" }`, `{ azure_first = true }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
/// not judged: its rights hold on any of its days). Read from a file by `file::read`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Invariant {
    /// The run's total of `figure` (one clause's flows if `clause` is named, or everything a
    /// cap pool's clauses pay if `pool` is) stays within a cap: `cap` as written, or the
    /// scenario's `cap` assumption when it sets one (the seeds' "unless another cap is agreed");
    /// without `cap`, the named pool's amount, the named clause's own cap, or the agreement's
    /// total cap on OpenAI→Microsoft shares. Prior payments toward the cap count: total ≤ cap − prior.
    /// The scenario's cap and prior payments apply only where the invariant is about a revenue
    /// share (no clause named, a share, or a pool holding one): another clause's limit (a
    /// milestone paid once) keeps its own figure.
    TotalWithinCap {
        says: String,
        figure: Figure,
        #[serde(skip_serializing_if = "Option::is_none")]
        clause: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pool: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none", serialize_with = "crate::money::canonical::option")]
        cap: Option<Decimal>,
    },
    /// `figure` (of `clause`, when named) is zero in every period (after `after`, when given).
    Zero {
        says: String,
        figure: Figure,
        #[serde(skip_serializing_if = "Option::is_none")]
        clause: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        after: Option<NaiveDate>,
    },
    /// `figure` (of `clause`, when named) is at least `value` in every period.
    AtLeast {
        says: String,
        figure: Figure,
        #[serde(skip_serializing_if = "Option::is_none")]
        clause: Option<String>,
        #[serde(serialize_with = "crate::money::canonical::serialize")]
        value: Decimal,
    },
    /// The run's total of `figure` does not fall when OpenAI's revenue rises (checked by running
    /// the scenario again with every period's revenue 10% higher).
    MonotoneInRevenue { says: String, figure: Figure },
    /// The right never has this value (after `after`, when given).
    RightNever {
        says: String,
        right: RightValue,
        #[serde(skip_serializing_if = "Option::is_none")]
        after: Option<NaiveDate>,
    },
    /// The right has this value in every period (after `after`, when given).
    RightIs {
        says: String,
        right: RightValue,
        #[serde(skip_serializing_if = "Option::is_none")]
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

    /// The clause it is about, when it names one.
    pub fn clause(&self) -> Option<&str> {
        match self {
            Invariant::TotalWithinCap { clause, .. }
            | Invariant::Zero { clause, .. }
            | Invariant::AtLeast { clause, .. } => clause.as_deref(),
            _ => None,
        }
    }

    /// The money figure it is about, for the kinds that have one.
    pub fn figure(&self) -> Option<Figure> {
        match self {
            Invariant::TotalWithinCap { figure, .. }
            | Invariant::Zero { figure, .. }
            | Invariant::AtLeast { figure, .. }
            | Invariant::MonotoneInRevenue { figure, .. } => Some(*figure),
            _ => None,
        }
    }
}

fn after_words(after: &Option<NaiveDate>) -> String {
    after.map_or(String::new(), |d| format!(" after {d}"))
}

fn of_words(clause: &Option<String>) -> String {
    clause.as_ref().map_or(String::new(), |c| format!(" of `{c}`"))
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invariant::TotalWithinCap { figure, clause, pool, cap, .. } => write!(
                f,
                "total {figure}{}{} ≤ {}",
                of_words(clause),
                pool.as_ref().map_or(String::new(), |p| format!(" from cap pool `{p}`")),
                cap.map_or("the cap".to_string(), |c| format!(
                    "{} (or the scenario's cap)",
                    crate::money::Human(c)
                ))
            ),
            Invariant::Zero { figure, clause, after, .. } => {
                write!(f, "{figure}{} = 0{}", of_words(clause), after_words(after))
            }
            Invariant::AtLeast { figure, clause, value, .. } => {
                write!(f, "{figure}{} ≥ {}", of_words(clause), crate::money::Human(*value))
            }
            Invariant::MonotoneInRevenue { figure, .. } => {
                write!(f, "total {figure} does not fall when revenue rises")
            }
            Invariant::RightNever { right, after, .. } => write!(f, "never {right}{}", after_words(after)),
            Invariant::RightIs { right, after, .. } => write!(f, "always {right}{}", after_words(after)),
        }
    }
}
