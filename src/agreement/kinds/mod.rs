//! The kinds of clause, one file each: the kind's data and everything the program asks a clause
//! about itself through `ClauseKind`: its id and dates, what it grants while in force (rights),
//! its parameters in words (what `terms` prints, `diff` compares and attribution copies) and its
//! sentence. `Clause` (clause.rs) is the list of kinds and forwards each question to the kind; the
//! engine asks a clause what it grants (`grant`) or, for cash, compiles a revenue share
//! (`engine::schedule`), and never matches on a kind for anything else.

/// `ClauseKind`'s id and start accessors for a struct with `id` and `start` fields (every kind).
macro_rules! id_and_start {
    () => {
        fn id(&self) -> &str {
            &self.id
        }
        fn id_mut(&mut self) -> &mut String {
            &mut self.id
        }
        fn start(&self) -> Option<&Sourced<NaiveDate>> {
            self.start.as_ref()
        }
        fn start_mut(&mut self) -> &mut Option<Sourced<NaiveDate>> {
            &mut self.start
        }
    };
}

mod distribution;
mod licence;
mod revenue_share;
mod shipping_priority;

pub use distribution::{Clouds, Distribution};
pub use licence::{IpScope, Licence};
pub use revenue_share::{Cap, RevenueBase, RevenueShare, RevenueStream};
pub use shipping_priority::{Cloud, ExceptionReading, ShippingPriority};

use super::clause::Trigger;
use super::describe::{Param, Parameter};
use super::plan::{ClauseContext, CompileError, FlowSpec};
use super::Sourced;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a clause grants on a day it is in force: the rights the ledger shows. Revenue shares
/// grant none (they make cash, `engine::schedule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// A licence to the licensor's IP.
    Licence { exclusive: bool },
    /// Which clouds may serve the licensor's products.
    Clouds(Clouds),
    /// Products ship first on Azure unless the exception (in this reading) releases them.
    ShipsFirstOnAzure(ExceptionReading),
}

/// Microsoft's licence to OpenAI's IP during a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceStatus {
    Exclusive,
    NonExclusive,
    None,
}

impl fmt::Display for LicenceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LicenceStatus::Exclusive => "exclusive",
            LicenceStatus::NonExclusive => "non-exclusive",
            LicenceStatus::None => "none",
        })
    }
}

/// Where OpenAI's products may be served during a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DistributionStatus {
    AzureOnly,
    AnyCloud,
    None,
}

impl fmt::Display for DistributionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DistributionStatus::AzureOnly => "azure-only",
            DistributionStatus::AnyCloud => "any-cloud",
            DistributionStatus::None => "none",
        })
    }
}

/// What every kind of clause answers about itself. A new kind is a file in this folder with its
/// struct and this impl, plus one line in `Clause` (clause.rs).
pub trait ClauseKind {
    /// Its `kind = "…"` in TOML.
    const KIND: &'static str;
    fn id(&self) -> &str;
    fn id_mut(&mut self) -> &mut String;
    /// Its first day, when it has its own (else the agreement's effective date).
    fn start(&self) -> Option<&Sourced<NaiveDate>>;
    fn start_mut(&mut self) -> &mut Option<Sourced<NaiveDate>>;
    /// Its last day in force, when it has one.
    fn end(&self) -> Option<&Sourced<NaiveDate>>;
    fn set_end(&mut self, end: Sourced<NaiveDate>);
    /// The event that ends it early, if any.
    fn stops_on(&self) -> Option<Trigger> {
        None
    }
    /// What it grants on a day in force (`None`: no right, e.g. a revenue share).
    fn grant(&self) -> Option<Grant>;
    /// What kind of term it is, for people: "revenue share OpenAI → Microsoft".
    fn label(&self) -> String;
    /// Its parameters, in a fixed order; `start` is the start parameter as the agreement words it
    /// (a clause without its own start begins on the effective date).
    fn parameters(&self, start: Parameter) -> Vec<Parameter>;
    /// The clause as one sentence, `from` being its first day.
    fn sentence(&self, from: NaiveDate) -> String;
    /// What serde cannot check (ranges, consistency): `Ok` for kinds with nothing to check.
    fn check(&self) -> Result<(), super::OverrideError> {
        Ok(())
    }
    /// Copies parameter `name` from `from`: each kind names every `Param` (those it lacks as
    /// such), so a new parameter cannot be skipped by attribution.
    fn copy_parameter(&mut self, from: &Self, name: Param);
    /// Calls `rename` on every name of another clause or of a cap pool it holds (a compiled
    /// timeline prefixes them with the version, as it does ids).
    fn rename_references(&mut self, _rename: &mut dyn FnMut(&mut String)) {}
    /// Its cash, as flows of the plan's vocabulary (`agreement::plan`): none for a right.
    fn compile(&self, _clause: &ClauseContext) -> Result<Vec<FlowSpec>, CompileError> {
        Ok(Vec::new())
    }
}

/// "to 2032-12-31" or "with no end date".
pub(super) fn until(end: Option<NaiveDate>) -> String {
    end.map_or("with no end date".to_string(), |e| format!("to {e}"))
}

/// "; ends early if AGI is declared" where the clause has the trigger.
pub(super) fn agi_words(stops_on: &Option<Sourced<Trigger>>) -> &'static str {
    if stops_on.is_some() {
        "; ends early if AGI is declared"
    } else {
        ""
    }
}
