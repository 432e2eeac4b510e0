//! Clauses in plain words: each parameter as readable text with its provenance, and one sentence
//! per clause. Used by `dealsim terms` and, through `Parameter` values, by `diff`.

use super::clause::{Clause, Trigger};
use super::{Agreement, Basis, Sourced};
use chrono::NaiveDate;

/// The parameters clauses have, by name: what `diff` compares and attribution copies, so a new
/// parameter is a new variant that every `match` on it must handle (no string to mistype).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    EffectiveDate,
    Parties,
    Rate,
    RateSchedule,
    RateTiers,
    Base,
    Start,
    End,
    Cap,
    AgiTrigger,
    PaymentLag,
    Scope,
    Exclusivity,
    Clouds,
    FirstOn,
    Exception,
}

impl Param {
    pub fn label(self) -> &'static str {
        match self {
            Param::EffectiveDate => "effective date",
            Param::Parties => "parties",
            Param::Rate => "rate",
            Param::RateSchedule => "rate schedule",
            Param::RateTiers => "rate tiers",
            Param::Base => "base",
            Param::Start => "start",
            Param::End => "end",
            Param::Cap => "cap",
            Param::AgiTrigger => "AGI trigger",
            Param::PaymentLag => "payment lag",
            Param::Scope => "scope",
            Param::Exclusivity => "exclusivity",
            Param::Clouds => "clouds",
            Param::FirstOn => "first on",
            Param::Exception => "exception",
        }
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One parameter of a clause, as text, with where it comes from (`None` for structural facts
/// such as who pays whom, which have no separate source). `value` is `None` where the clause
/// has no such term (no end date, no AGI trigger).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: Param,
    pub value: Option<String>,
    pub basis: Option<Basis>,
    pub source: Option<String>,
}

impl Parameter {
    /// The value for a reader: the text, or "none".
    pub fn shown(&self) -> &str {
        self.value.as_deref().unwrap_or("none")
    }
}

pub(super) fn sourced<T>(name: Param, value: String, from: &Sourced<T>) -> Parameter {
    Parameter { name, value: Some(value), basis: Some(from.basis), source: Some(from.source.clone()) }
}

pub(super) fn plain(name: Param, value: String) -> Parameter {
    Parameter { name, value: Some(value), basis: None, source: None }
}

fn absent(name: Param) -> Parameter {
    Parameter { name, value: None, basis: None, source: None }
}

/// A clause's start: its own date, or the agreement's effective date, worded relative so a diff of
/// two agreements with different effective dates reports that once.
fn start(agreement: &Agreement, start: Option<&Sourced<NaiveDate>>) -> Parameter {
    match start {
        Some(s) => sourced(Param::Start, s.value.to_string(), s),
        None => sourced(Param::Start, "the effective date".to_string(), &agreement.effective),
    }
}

pub(super) fn end_parameter(end: &Option<Sourced<NaiveDate>>) -> Parameter {
    match end {
        Some(e) => sourced(Param::End, e.value.to_string(), e),
        None => absent(Param::End),
    }
}

pub(super) fn trigger(stops_on: &Option<Sourced<Trigger>>) -> Parameter {
    match stops_on {
        Some(t) => sourced(Param::AgiTrigger, "ends it when AGI is declared".to_string(), t),
        None => absent(Param::AgiTrigger),
    }
}

/// What kind of term a clause is, for people: "revenue share OpenAI → Microsoft".
pub fn label(clause: &Clause) -> String {
    clause.label()
}

/// Every parameter of a clause, in a fixed order per kind.
pub fn parameters(agreement: &Agreement, clause: &Clause) -> Vec<Parameter> {
    clause.parameters(start(agreement, clause.start()))
}

/// The clause as one sentence.
pub fn sentence(agreement: &Agreement, clause: &Clause) -> String {
    clause.sentence(agreement.start_of(clause))
}
