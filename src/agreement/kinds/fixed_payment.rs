//! A fixed payment: lump sums on dates (`amounts = { 2027-06-30 = "1B" }`), or a yearly amount
//! between two dates (`per_year = "500M"`, prorated by days and paid in each period).

use super::payment::{payment_terms, PaymentTerms};
use super::{ClauseKind, Grant, Kind};
use crate::agreement::describe::{sourced, Param, Parameter};
use crate::agreement::file::{FileError, Table, Value};
use crate::agreement::plan::{Amounts, Category, ClauseContext, CompileError, DueSpec, FlowInputs, FlowSpec};
use crate::agreement::{OverrideError, SetValue, Sourced};
use crate::money::Human;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// What a fixed payment pays: lump sums on dates, or a yearly amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedAmounts {
    /// Each amount paid in the period that holds its date (days outside the clause's dates pay
    /// nothing).
    Amounts(Vec<(NaiveDate, Decimal)>),
    /// Prorated by days in force: `round(per_year × days / days in the year)` per period.
    PerYear(Decimal),
}

const AMOUNTS: Param = Param("amounts");

/// One party pays the other fixed amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedPayment {
    #[serde(flatten)]
    pub terms: PaymentTerms,
    pub pays: Sourced<FixedAmounts>,
}

impl Kind for FixedPayment {
    const KIND: &'static str = "fixed-payment";
}

fn amounts_words(amounts: &FixedAmounts) -> String {
    match amounts {
        FixedAmounts::Amounts(list) => list
            .iter()
            .map(|(day, amount)| format!("{} on {day}", Human(*amount)))
            .collect::<Vec<_>>()
            .join(", "),
        FixedAmounts::PerYear(amount) => format!("{} a year, prorated by days", Human(*amount)),
    }
}

impl ClauseKind for FixedPayment {
    fn read(t: &Table) -> Result<Self, FileError> {
        let terms = PaymentTerms::read(t, ("payer", "payee"), false)?;
        let lump_sums = |v: &Value| -> Result<FixedAmounts, FileError> {
            let table = v.table()?;
            let mut list = Vec::new();
            for (day, key_span, amount) in table.entries() {
                let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
                    FileError::invalid(
                        key_span,
                        format!("{}: `{day}` is not a date (YYYY-MM-DD)", table.name()),
                    )
                })?;
                list.push((date, amount.money()?));
            }
            list.sort();
            Ok(FixedAmounts::Amounts(list))
        };
        let pays = match (t.get("amounts"), t.get("per_year")) {
            (Some(amounts), None) => amounts.sourced(lump_sums)?,
            (None, Some(per_year)) => {
                if terms.end.is_none() {
                    return Err(FileError::invalid(
                        t.span(),
                        format!("{}: a yearly amount needs an `end`", t.name()),
                    ));
                }
                per_year.sourced(|v| v.money().map(FixedAmounts::PerYear))?
            }
            (Some(_), Some(per_year)) => {
                return Err(FileError::invalid(
                    per_year.key_span,
                    format!("{}: give `amounts` or `per_year`, not both", t.name()),
                ))
            }
            (None, None) => {
                return Err(FileError::invalid(
                    t.span(),
                    format!(
                        "{}: give `amounts = {{ 2027-06-30 = \"1B\" }}` or `per_year = \"500M\"`",
                        t.name()
                    ),
                ))
            }
        };
        Ok(FixedPayment { terms, pays })
    }

    payment_terms!();

    fn label(&self) -> String {
        format!("fixed payment {} → {}", self.terms.payer, self.terms.payee)
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        let mut out = self.terms.parameters(start, "pays");
        out.insert(1, sourced(AMOUNTS, amounts_words(&self.pays.value), &self.pays));
        out
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{} pays {} {}, from {from} {}{}.",
            self.terms.payer,
            self.terms.payee,
            amounts_words(&self.pays.value),
            super::until(self.terms.end.as_ref().map(|e| e.value)),
            self.terms.cap_words()
        )
    }

    fn set(&mut self, key: &str, value: SetValue, source: &str) -> bool {
        match (key, value) {
            ("per_year", SetValue::Money(amount)) => {
                self.pays = Sourced::assumption(FixedAmounts::PerYear(amount), source)
            }
            _ => return self.terms.set(key, value, source),
        }
        true
    }

    fn check(&self) -> Result<(), OverrideError> {
        self.terms.check()
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        if name == AMOUNTS {
            self.pays = from.pays.clone();
        } else {
            self.terms.copy(&from.terms, name);
        }
    }

    fn references(&self) -> Vec<(&'static str, String)> {
        self.terms.references()
    }

    fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        self.terms.rename_references(rename)
    }

    fn compile(&self, clause: &ClauseContext) -> Result<Vec<FlowSpec>, CompileError> {
        let inputs = FlowInputs {
            amounts: Some(match &self.pays.value {
                FixedAmounts::PerYear(per_year) => ("per_year", Amounts::PerYear(*per_year)),
                FixedAmounts::Amounts(list) => ("amounts", Amounts::OnDates(list.clone())),
            }),
            ..FlowInputs::default()
        };
        let amounts = match &self.pays.value {
            FixedAmounts::PerYear(per_year) => clause.per_year(*per_year)?,
            FixedAmounts::Amounts(list) => {
                let mut per_period = vec![Decimal::ZERO; clause.run.periods.len()];
                for (day, amount) in list.iter().filter(|(day, _)| clause.force.contains(*day)) {
                    if let Some(t) = clause.period_of(*day) {
                        per_period[t] = per_period[t].checked_add(*amount).ok_or_else(|| {
                            CompileError::Overflow { period: clause.run.periods[t].label.clone() }
                        })?;
                    }
                }
                per_period
            }
        };
        Ok(vec![FlowSpec {
            payer: self.terms.payer,
            payee: self.terms.payee,
            category: Category::Fixed,
            pool: self.terms.pool(),
            due: DueSpec::Fixed(amounts),
            lag_days: self.terms.lag(),
            inputs,
        }])
    }
}
