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
mod fixed_payment;
mod licence;
mod milestone_payment;
mod minimum_payment;
mod payment;
mod purchase_commitment;
mod revenue_share;
mod shipping_priority;

pub use distribution::{Clouds, Distribution};
pub use fixed_payment::{FixedAmounts, FixedPayment};
pub use licence::{IpScope, Licence};
pub use milestone_payment::{Milestone, MilestonePayment};
pub use minimum_payment::MinimumPayment;
pub use payment::PaymentTerms;
pub use purchase_commitment::{PurchaseCommitment, Purchases, Shortfall};
pub use revenue_share::{Cap, RevenueBase, RevenueShare, RevenueStream};
pub use shipping_priority::{Cloud, ExceptionReading, ShippingPriority};

use super::clause::Trigger;
use super::describe::{Param, Parameter};
use super::file::{FileError, Table};
use super::overrides::SetValue;
use super::plan::{ClauseContext, CompileError, FlowSpec};
use super::Sourced;
use chrono::NaiveDate;
use serde::Serialize;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// A kind's name: its `kind = "…"` in TOML.
pub trait Kind {
    const KIND: &'static str;
}

/// What every kind of clause answers about itself. A new kind is a file in this folder with its
/// struct, this impl and `Kind`, plus one line in `kinds!` (clause.rs).
pub trait ClauseKind {
    /// Reads it from its `[[clauses]]` table (every key it takes; `finish` refuses the rest).
    fn read(table: &Table) -> Result<Self, FileError>
    where
        Self: Sized;
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
    fn copy_parameter(&mut self, from: &Self, name: Param)
    where
        Self: Sized;
    /// The names of other clauses and cap pools it holds, each with its key in the file.
    fn references(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// Sets parameter `key` (its key in the file) to `value`, labelled an assumption from
    /// `source`: what `--set CLAUSE.KEY=…` changes. `false` when it has no such parameter or the
    /// value is of another sort.
    fn set(&mut self, _key: &str, _value: SetValue, _source: &str) -> bool {
        false
    }
    /// Whether what it pays depends on the day AGI is declared (a milestone paid then), besides
    /// a trigger that ends it (`stops_on`).
    fn waits_for_agi(&self) -> bool {
        false
    }
    /// The scenario revenue streams it reads, by name.
    fn streams(&self) -> Vec<&str> {
        Vec::new()
    }
    /// The cap pool it draws on with other clauses, if any.
    fn cap_pool(&self) -> Option<&str> {
        None
    }
    /// Its own cap (a pool of one), if any.
    fn own_cap(&self) -> Option<rust_decimal::Decimal> {
        None
    }
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

/// What every kind reads the same way: its id, its parties, its dates and its trigger.
pub(super) mod common {
    use super::super::clause::{Party, Trigger};
    use super::super::file::{FileError, Table, Value};
    use super::super::Sourced;
    use chrono::NaiveDate;

    /// `id`: how outputs, overrides and other clauses name it. A `/` is reserved for the
    /// `<version>/<clause>` ids of compiled timelines.
    pub fn id(t: &Table) -> Result<String, FileError> {
        let v = t.required("id")?;
        let id = v.string()?;
        if id.trim().is_empty() || id.contains('/') || id.chars().any(char::is_whitespace) {
            return Err(FileError::invalid(
                v.span.clone(),
                format!("id `{id}`: an id is one word without spaces or `/` (e.g. \"openai-minimum\")"),
            ));
        }
        Ok(id)
    }

    pub fn party(v: &Value) -> Result<Party, FileError> {
        v.choice(&[("openai", Party::OpenAi), ("microsoft", Party::Microsoft)])
    }

    /// `start`: its first day, when it has one of its own (else the agreement's effective date).
    pub fn start(t: &Table) -> Result<Option<Sourced<NaiveDate>>, FileError> {
        t.optional("start", |v| v.sourced(Value::date))
    }

    pub fn end(t: &Table) -> Result<Option<Sourced<NaiveDate>>, FileError> {
        t.optional("end", |v| v.sourced(Value::date))
    }

    pub fn required_end(t: &Table) -> Result<Sourced<NaiveDate>, FileError> {
        t.required("end")?.sourced(Value::date)
    }

    /// `stops_on = "agi-declared"`: ends early when AGI is declared.
    pub fn stops_on(t: &Table) -> Result<Option<Sourced<Trigger>>, FileError> {
        t.optional("stops_on", |v| v.sourced(|v| v.choice(&[("agi-declared", Trigger::AgiDeclared)])))
    }

    /// A payer and a payee, who must differ (a clause paying itself moves nothing).
    pub fn parties(t: &Table) -> Result<(Party, Party), FileError> {
        let payer = party(&t.required("payer")?)?;
        let payee_value = t.required("payee")?;
        let payee = party(&payee_value)?;
        if payer == payee {
            return Err(FileError::invalid(
                payee_value.span.clone(),
                format!(
                    "{}: payer and payee are both {payer}; a payment goes from one party to the other",
                    t.name()
                ),
            ));
        }
        Ok((payer, payee))
    }
}
