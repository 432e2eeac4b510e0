//! A clause of an agreement: one of the kinds in `kinds/`, each data with the answers it gives
//! about itself (never about a scenario's state); and the parties and triggers every kind uses.

use super::describe::{Param, Parameter};
pub use super::kinds::{
    Cap, ClauseKind, Cloud, Clouds, Distribution, DistributionStatus, ExceptionReading, Grant, IpScope,
    Licence, LicenceStatus, RevenueBase, RevenueShare, RevenueStream, ShippingPriority,
};
pub use super::rate::{due_on, marginal_rate, rate_days, tiered_due, RateStep, Tier};
use super::Sourced;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    Microsoft,
    #[serde(rename = "openai")]
    OpenAi,
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Party::Microsoft => "Microsoft",
            Party::OpenAi => "OpenAI",
        })
    }
}

/// An event that ends a clause early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// AGI is declared (by OpenAI's board, or verified by an expert panel, depending on the
    /// version). The clause is in force up to the day before the scenario's `agi_declared` date.
    AgiDeclared,
}

/// Forwards a question to the clause's kind: `each_kind!(clause, c => c.id())`. The one place
/// that lists the kinds besides the enum itself.
macro_rules! each_kind {
    ($clause:expr, $c:ident => $body:expr) => {
        match $clause {
            Clause::RevenueShare($c) => $body,
            Clause::Licence($c) => $body,
            Clause::Distribution($c) => $body,
            Clause::ShippingPriority($c) => $body,
        }
    };
}

/// A term of an agreement: one variant per kind (`kinds/`). Adding a kind: its file in `kinds/`
/// (struct and `ClauseKind` impl), a variant here and an arm in `each_kind!`, and its property
/// tests; the rest of the program asks the clause through the methods below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
// An agreement holds a handful of clauses, so the size of the largest variant does not matter,
// and boxing it would complicate every match on a clause.
#[allow(clippy::large_enum_variant)]
pub enum Clause {
    RevenueShare(RevenueShare),
    Licence(Licence),
    Distribution(Distribution),
    ShippingPriority(ShippingPriority),
}

impl Clause {
    pub fn id(&self) -> &str {
        each_kind!(self, c => c.id())
    }

    pub fn kind_name(&self) -> &'static str {
        fn kind<K: ClauseKind>(_: &K) -> &'static str {
            K::KIND
        }
        each_kind!(self, c => kind(c))
    }

    pub fn start(&self) -> Option<&Sourced<NaiveDate>> {
        each_kind!(self, c => c.start())
    }

    /// The last day in force (inclusive); `None` is open-ended.
    pub fn end(&self) -> Option<NaiveDate> {
        each_kind!(self, c => c.end().map(|e| e.value))
    }

    /// The end date with its provenance, when the clause has one.
    pub fn end_sourced(&self) -> Option<Sourced<NaiveDate>> {
        each_kind!(self, c => c.end().cloned())
    }

    pub fn stops_on(&self) -> Option<Trigger> {
        each_kind!(self, c => c.stops_on())
    }

    /// What the clause grants on a day in force; `None` for a revenue share.
    pub fn grant(&self) -> Option<Grant> {
        each_kind!(self, c => c.grant())
    }

    /// What kind of term it is, for people: "revenue share OpenAI → Microsoft".
    pub fn label(&self) -> String {
        each_kind!(self, c => c.label())
    }

    /// Its parameters in words, `start` being its start as the agreement words it.
    pub fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        each_kind!(self, c => c.parameters(start))
    }

    /// The clause as one sentence, from its first day `from`.
    pub fn sentence(&self, from: NaiveDate) -> String {
        each_kind!(self, c => c.sentence(from))
    }

    /// Its cash, compiled for a run: the flows its kind makes (none for a right).
    pub fn compile(
        &self,
        clause: &super::plan::ClauseContext,
    ) -> Result<Vec<super::plan::FlowSpec>, super::plan::CompileError> {
        each_kind!(self, c => c.compile(clause))
    }

    /// What serde cannot check about the clause alone (ranges, consistency).
    pub fn check(&self) -> Result<(), super::OverrideError> {
        each_kind!(self, c => c.check())
    }

    /// Copies parameter `name` from `from`, a clause of the same kind; a clause of another kind
    /// replaces this one whole.
    pub fn copy_parameter(&mut self, from: &Clause, name: Param) {
        match (self, from) {
            (Clause::RevenueShare(t), Clause::RevenueShare(f)) => t.copy_parameter(f, name),
            (Clause::Licence(t), Clause::Licence(f)) => t.copy_parameter(f, name),
            (Clause::Distribution(t), Clause::Distribution(f)) => t.copy_parameter(f, name),
            (Clause::ShippingPriority(t), Clause::ShippingPriority(f)) => t.copy_parameter(f, name),
            (to, from) => *to = from.clone(),
        }
    }
}

/// Setters used where a clause is re-dated (overrides, timelines).
impl Clause {
    pub(super) fn set_id(&mut self, id: String) {
        each_kind!(self, c => *c.id_mut() = id)
    }

    pub(super) fn set_start(&mut self, start: Option<Sourced<NaiveDate>>) {
        each_kind!(self, c => *c.start_mut() = start)
    }

    pub(super) fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        each_kind!(self, c => c.rename_references(rename))
    }

    pub(super) fn set_end(&mut self, end: Sourced<NaiveDate>) {
        each_kind!(self, c => c.set_end(end))
    }
}
