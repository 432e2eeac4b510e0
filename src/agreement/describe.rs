//! Clauses in plain words: each parameter as readable text with its provenance, and one sentence
//! per clause. Used by `dealsim terms` and, through `Parameter` values, by `diff`.

use super::clause::{Clause, Trigger};
use super::{Agreement, Basis, Sourced};
use chrono::NaiveDate;

/// A parameter of a clause, by its name for people ("rate schedule"): what `diff` compares and
/// attribution copies. Each kind declares its own (a kind's file holds everything about it); a
/// test copies every parameter each kind lists between two differing clauses and checks it is
/// copied, so none can be skipped by attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param(pub &'static str);

impl Param {
    pub const EFFECTIVE_DATE: Param = Param("effective date");
    pub const PARTIES: Param = Param("parties");
    pub const RATE: Param = Param("rate");
    pub const RATE_SCHEDULE: Param = Param("rate schedule");
    pub const RATE_TIERS: Param = Param("rate tiers");
    pub const BASE: Param = Param("base");
    pub const START: Param = Param("start");
    pub const END: Param = Param("end");
    pub const CAP: Param = Param("cap");
    pub const AGI_TRIGGER: Param = Param("AGI trigger");
    pub const PAYMENT_LAG: Param = Param("payment lag");
    pub const SCOPE: Param = Param("scope");
    pub const EXCLUSIVITY: Param = Param("exclusivity");
    pub const CLOUDS: Param = Param("clouds");
    pub const FIRST_ON: Param = Param("first on");
    pub const EXCEPTION: Param = Param("exception");

    pub fn label(self) -> &'static str {
        self.0
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
        Some(s) => sourced(Param::START, s.value.to_string(), s),
        None => sourced(Param::START, "the effective date".to_string(), &agreement.effective),
    }
}

pub(super) fn end_parameter(end: &Option<Sourced<NaiveDate>>) -> Parameter {
    match end {
        Some(e) => sourced(Param::END, e.value.to_string(), e),
        None => absent(Param::END),
    }
}

/// A payment lag, when the clause has one: "paid N days after each period ends".
pub(super) fn lag_parameter(lag: &Option<Sourced<i64>>) -> Option<Parameter> {
    lag.as_ref()
        .map(|l| sourced(Param::PAYMENT_LAG, format!("paid {} days after each period ends", l.value), l))
}

pub(super) fn trigger(stops_on: &Option<Sourced<Trigger>>) -> Parameter {
    match stops_on {
        Some(t) => sourced(Param::AGI_TRIGGER, "ends it when AGI is declared".to_string(), t),
        None => absent(Param::AGI_TRIGGER),
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
