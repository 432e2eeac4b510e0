//! Stage 2: the agreement as data. A clause is a plain value (printable, diffable, serialisable to
//! TOML) that carries the provenance of every parameter. Nothing here computes cash: the engine
//! reads these values; this module never looks at a scenario's revenue.

mod builtin;
mod clause;
pub mod describe;
pub mod diff;
pub mod file;
pub mod invariant;
mod kinds;
mod overrides;
pub mod plan;
mod rate;
mod reach;
pub mod timeline;

pub use builtin::{
    builtin, builtin_names, microsoft_openai, predecessor, ALIASES, ALL_NAMES, BUILTIN_NAMES, TIMELINE_NAMES,
};
pub use clause::{
    due_on, marginal_rate, rate_days, tiered_due, Cap, Clause, ClauseKind, Cloud, Clouds, Distribution,
    DistributionStatus, ExceptionReading, Grant, IpScope, Licence, LicenceStatus, Party, RateStep,
    RevenueBase, RevenueShare, RevenueStream, ShippingPriority, Tier, Trigger,
};
pub use clause::{
    FixedAmounts, FixedPayment, Milestone, MilestonePayment, MinimumPayment, PaymentTerms,
    PurchaseCommitment, Purchases, Shortfall,
};
pub use invariant::{Figure, Invariant, RightValue};
pub use overrides::{check, ClauseOverride, OverrideError, SetValue, TermAssumptions};
pub use reach::{reach, Reached};

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// How sure we are of a parameter: confirmed by the seeds, reported by the press, or assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Stated in the articles on the revision (docs/SOURCES.md, S1–S5: the companies' announcement as carried).
    Seed,
    /// Reported by the press, not confirmed by the companies.
    Reported,
    /// A modelling assumption: a default someone chose, to be varied by scenarios.
    Assumption,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Seed => "seed",
            Basis::Reported => "reported",
            Basis::Assumption => "assumption",
        })
    }
}

/// A parameter value with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub basis: Basis,
    pub source: String,
}

impl<T> Sourced<T> {
    pub fn seed(value: T, source: &str) -> Self {
        Sourced { value, basis: Basis::Seed, source: source.to_string() }
    }
    pub fn reported(value: T, source: &str) -> Self {
        Sourced { value, basis: Basis::Reported, source: source.to_string() }
    }
    pub fn assumption(value: T, source: &str) -> Self {
        Sourced { value, basis: Basis::Assumption, source: source.to_string() }
    }
}

fn no_invariants(invariants: &std::sync::Arc<Vec<Invariant>>) -> bool {
    invariants.is_empty()
}

/// A cap several payment clauses draw on, in the order the agreement lists them: one room,
/// `amount − prior_payments` at the start (a clause's own `cap` is a pool of one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CapPool {
    pub name: String,
    pub amount: Sourced<rust_decimal::Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_payments: Option<Sourced<rust_decimal::Decimal>>,
}

/// A named version of the deal: its effective date and its clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Short machine name, e.g. `revised`.
    pub name: String,
    /// One line for humans.
    pub title: String,
    /// The day the terms take effect. Clauses without a start date start here.
    pub effective: Sourced<NaiveDate>,
    pub clauses: Vec<Clause>,
    /// Promises the terms make about every ledger (`dealsim verify` searches for a break; `run`
    /// checks its own ledger).
    /// Shared: every scenario's copy of the agreement (one per sweep point) points at one list.
    #[serde(default, skip_serializing_if = "no_invariants")]
    pub invariants: std::sync::Arc<Vec<Invariant>>,
    /// Caps several payment clauses share (`[[cap_pools]]`; a clause names one with `cap_pool`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap_pools: Vec<CapPool>,
    /// For a timeline compiled into one agreement, the versions it came from (assumptions are
    /// applied to them before compiling, so the take-over days move with them).
    #[serde(skip)]
    pub timeline: Option<Box<timeline::Timeline>>,
}

impl Agreement {
    /// The first day a clause is in force: its own start, or the agreement's effective date.
    pub fn start_of(&self, clause: &Clause) -> NaiveDate {
        clause.start().map(|s| s.value).unwrap_or(self.effective.value)
    }

    /// The first day any clause is in force: a clause may start before the agreement's
    /// effective date (the revised share counts from 1 January 2026, its rights from 27 April).
    /// Whether any clause ends when AGI is declared (the only way an AGI date matters).
    pub fn agi_matters(&self) -> bool {
        self.clauses.iter().any(|c| matches!(c.stops_on(), Some(Trigger::AgiDeclared)) || c.waits_for_agi())
    }

    pub fn first_day(&self) -> NaiveDate {
        self.clauses
            .iter()
            .map(|c| self.start_of(c))
            .min()
            .unwrap_or(self.effective.value)
            .min(self.effective.value)
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id() == id)
    }

    /// The total cap across OpenAI→Microsoft revenue shares (their own caps, and each cap pool
    /// one draws on, once), or `None` when none is capped.
    pub fn openai_to_microsoft_cap(&self) -> Option<rust_decimal::Decimal> {
        let mut total: Option<rust_decimal::Decimal> = None;
        let mut pools: Vec<&str> = Vec::new();
        for clause in &self.clauses {
            let Clause::RevenueShare(s) = clause else { continue };
            if !s.openai_pays_microsoft() {
                continue;
            }
            let amount = match (&s.cap_pool, &s.cap) {
                (Some(pool), _) if !pools.contains(&pool.as_str()) => {
                    pools.push(pool);
                    self.cap_pools.iter().find(|p| p.name == *pool).map(|p| p.amount.value)
                }
                (None, Some(cap)) => Some(cap.value.amount()),
                _ => None,
            };
            if let Some(amount) = amount {
                total = Some(total.unwrap_or_default() + amount);
            }
        }
        total
    }
}
