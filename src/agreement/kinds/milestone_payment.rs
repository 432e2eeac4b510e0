//! A milestone payment: an amount paid once, in the first period its trigger holds: a date, OpenAI's
//! revenue reaching a level (annualised), its cumulative revenue reaching one, or AGI declared.

use super::payment::{payment_terms, PaymentTerms};
use super::{ClauseKind, Grant, Kind};
use crate::agreement::describe::{sourced, Param, Parameter};
use crate::agreement::file::{FileError, Table, Value};
use crate::agreement::plan::{Category, ClauseContext, CompileError, DueSpec, FlowInputs, FlowSpec, When};
use crate::agreement::{OverrideError, SetValue, Sourced};
use crate::money::Human;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

const AMOUNT: Param = Param("amount");
const WHEN: Param = Param("when");

/// What makes a milestone due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// On a date.
    On(NaiveDate),
    /// The first period whose OpenAI revenue, annualised (× days in its year / days in it),
    /// reaches this.
    RevenueReaches(Decimal),
    /// The first period by which OpenAI's revenue, summed over the periods the clause is in force
    /// (whole periods), reaches this.
    CumulativeRevenueReaches(Decimal),
    /// The period in which AGI is declared (the scenario's `agi_declared`).
    AgiDeclared,
}

impl Milestone {
    fn words(&self) -> String {
        match self {
            Milestone::On(day) => format!("on {day}"),
            Milestone::RevenueReaches(level) => {
                format!("when OpenAI's revenue reaches {} a year", Human(*level))
            }
            Milestone::CumulativeRevenueReaches(level) => {
                format!("when OpenAI's cumulative revenue reaches {}", Human(*level))
            }
            Milestone::AgiDeclared => "when AGI is declared".to_string(),
        }
    }
}

/// One party pays the other `amount` once, when the milestone is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestonePayment {
    #[serde(flatten)]
    pub terms: PaymentTerms,
    pub amount: Sourced<Decimal>,
    pub when: Sourced<Milestone>,
}

impl Kind for MilestonePayment {
    const KIND: &'static str = "milestone-payment";
}

/// `when` as written: a date, `{ revenue_reaches = "100B" }`, `{ cumulative_revenue_reaches =
/// "300B" }` or `{ agi_declared = true }`.
fn read_when(v: &Value) -> Result<Milestone, FileError> {
    if !v.is_table() {
        return v.date().map(Milestone::On);
    }
    let t = v.table()?;
    let entries: Vec<_> = t.entries().collect();
    let shape = "give one of: a date, { revenue_reaches = \"100B\" }, { cumulative_revenue_reaches = \"300B\" }, { agi_declared = true }";
    let [(name, key_span, value)] = entries.as_slice() else {
        return Err(FileError::invalid(t.span(), format!("{}: {shape}", t.name())));
    };
    Ok(match name.as_str() {
        "revenue_reaches" => Milestone::RevenueReaches(value.money()?),
        "cumulative_revenue_reaches" => Milestone::CumulativeRevenueReaches(value.money()?),
        "agi_declared" if value.boolean()? => Milestone::AgiDeclared,
        "agi_declared" => {
            return Err(FileError::invalid(
                value.span.clone(),
                format!("{}: `agi_declared = false` never triggers; {shape}", t.name()),
            ))
        }
        other => {
            return Err(FileError::invalid(
                key_span.clone(),
                format!("{}: unknown trigger `{other}`; {shape}", t.name()),
            ))
        }
    })
}

impl ClauseKind for MilestonePayment {
    fn read(t: &Table) -> Result<Self, FileError> {
        Ok(MilestonePayment {
            terms: PaymentTerms::read(t, ("payer", "payee"), false)?,
            amount: t.required("amount")?.sourced(Value::money)?,
            when: t.required("when")?.sourced(read_when)?,
        })
    }

    payment_terms!();

    fn label(&self) -> String {
        format!("milestone payment {} → {}", self.terms.payer, self.terms.payee)
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        let mut out = self.terms.parameters(start, "pays");
        out.insert(1, sourced(AMOUNT, Human(self.amount.value).to_string(), &self.amount));
        out.insert(2, sourced(WHEN, self.when.value.words(), &self.when));
        out
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{} pays {} {} once, {} (from {from} {}){}.",
            self.terms.payer,
            self.terms.payee,
            Human(self.amount.value),
            self.when.value.words(),
            super::until(self.terms.end.as_ref().map(|e| e.value)),
            self.terms.cap_words()
        )
    }

    fn set(&mut self, key: &str, value: SetValue, source: &str) -> bool {
        match (key, value) {
            ("amount", SetValue::Money(amount)) => self.amount = Sourced::assumption(amount, source),
            ("revenue_reaches", SetValue::Money(level)) => {
                self.when = Sourced::assumption(Milestone::RevenueReaches(level), source)
            }
            ("cumulative_revenue_reaches", SetValue::Money(level)) => {
                self.when = Sourced::assumption(Milestone::CumulativeRevenueReaches(level), source)
            }
            ("when", SetValue::Date(day)) => self.when = Sourced::assumption(Milestone::On(day), source),
            _ => return self.terms.set(key, value, source),
        }
        true
    }

    fn waits_for_agi(&self) -> bool {
        self.when.value == Milestone::AgiDeclared
    }

    fn check(&self) -> Result<(), OverrideError> {
        self.terms.check()
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        match name {
            AMOUNT => self.amount = from.amount.clone(),
            WHEN => self.when = from.when.clone(),
            other => {
                self.terms.copy(&from.terms, other);
            }
        }
    }

    fn references(&self) -> Vec<(&'static str, String)> {
        self.terms.references()
    }

    fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        self.terms.rename_references(rename)
    }

    /// One flow, paid once: in the period of its date (or of AGI's), or the first period in force
    /// in which OpenAI's revenue (annualised, or summed) reaches the level.
    fn compile(&self, clause: &ClauseContext) -> Result<Vec<FlowSpec>, CompileError> {
        let active: Vec<bool> = clause.days().iter().map(|d| *d > 0).collect();
        let in_force = |day: NaiveDate| clause.force.contains(day).then(|| clause.period_of(day)).flatten();
        let inputs = FlowInputs {
            amount: Some("amount"),
            threshold: match self.when.value {
                Milestone::RevenueReaches(_) => Some("revenue_reaches"),
                Milestone::CumulativeRevenueReaches(_) => Some("cumulative_revenue_reaches"),
                Milestone::On(_) | Milestone::AgiDeclared => None,
            },
            day: match self.when.value {
                Milestone::On(day) => Some(("when", day)),
                _ => None,
            },
            ..FlowInputs::default()
        };
        let when = match self.when.value {
            Milestone::On(day) => When::Period(in_force(day)),
            Milestone::AgiDeclared => When::Period(clause.run.agi_declared.and_then(in_force)),
            Milestone::RevenueReaches(threshold) => When::StreamReaches {
                stream: clause.stream("openai")?,
                threshold,
                days: clause.run.periods.iter().map(|p| (p.days(), p.year_days())).collect(),
                active,
            },
            Milestone::CumulativeRevenueReaches(threshold) => {
                When::CumulativeReaches { stream: clause.stream("openai")?, threshold, active }
            }
        };
        Ok(vec![FlowSpec {
            payer: self.terms.payer,
            payee: self.terms.payee,
            category: Category::Milestone,
            pool: self.terms.pool(),
            due: DueSpec::Milestone { amount: self.amount.value, when },
            lag_days: self.terms.lag(),
            inputs,
        }])
    }
}
