//! A minimum payment: in each period, if the clauses it tops up pay less than the minimum
//! (`per_year`, prorated by days in force), the difference is paid as a top-up of its own. Drawing
//! on the same cap pool as the clauses it tops up, a minimum is met each period unless the pool
//! is exhausted.

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

const PER_YEAR: Param = Param("minimum per year");
const TOPS_UP: Param = Param("tops up");

/// One party pays the other at least `per_year`, counting what the clauses in `tops_up` pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinimumPayment {
    #[serde(flatten)]
    pub terms: PaymentTerms,
    pub per_year: Sourced<Decimal>,
    /// The ids of the clauses whose payments count toward the minimum.
    pub tops_up: Vec<String>,
}

impl Kind for MinimumPayment {
    const KIND: &'static str = "minimum-payment";
}

impl ClauseKind for MinimumPayment {
    fn read(t: &Table) -> Result<Self, FileError> {
        let terms = PaymentTerms::read(t, ("payer", "payee"), true)?;
        let tops_up_value = t.required("tops_up")?;
        let tops_up: Vec<String> = tops_up_value.strings()?.into_iter().map(|(id, _)| id).collect();
        if tops_up.is_empty() {
            return Err(FileError::invalid(
                tops_up_value.span,
                format!(
                    "{}: name the clauses it tops up, e.g. tops_up = [\"openai-to-microsoft\"]",
                    t.name()
                ),
            ));
        }
        Ok(MinimumPayment { terms, per_year: t.required("per_year")?.sourced(Value::money)?, tops_up })
    }

    payment_terms!();

    fn label(&self) -> String {
        format!("minimum payment {} → {}", self.terms.payer, self.terms.payee)
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        let mut out = self.terms.parameters(start, "pays");
        out.insert(
            1,
            sourced(
                PER_YEAR,
                format!("{} a year, prorated by days", Human(self.per_year.value)),
                &self.per_year,
            ),
        );
        out.insert(
            2,
            crate::agreement::describe::plain(
                TOPS_UP,
                self.tops_up.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
            ),
        );
        out
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{} pays {} at least {} a year (prorated by days), topping up what {} pays, from {from} {}{}.",
            self.terms.payer,
            self.terms.payee,
            Human(self.per_year.value),
            self.tops_up.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" and "),
            super::until(self.terms.end.as_ref().map(|e| e.value)),
            self.terms.cap_words()
        )
    }

    fn set(&mut self, key: &str, value: SetValue, source: &str) -> bool {
        match (key, value) {
            ("per_year", SetValue::Money(amount)) => self.per_year = Sourced::assumption(amount, source),
            _ => return self.terms.set(key, value, source),
        }
        true
    }

    fn check(&self) -> Result<(), OverrideError> {
        self.terms.check()?;
        if self.tops_up.contains(&self.terms.id) {
            return Err(OverrideError::OutOfRange {
                clause: self.terms.id.clone(),
                parameter: "tops_up",
                value: "itself".into(),
                expected: "other clauses (a minimum cannot top itself up)",
            });
        }
        Ok(())
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        match name {
            PER_YEAR => self.per_year = from.per_year.clone(),
            TOPS_UP => self.tops_up = from.tops_up.clone(),
            other => {
                self.terms.copy(&from.terms, other);
            }
        }
    }

    fn references(&self) -> Vec<(&'static str, String)> {
        let mut out = self.terms.references();
        out.extend(self.tops_up.iter().map(|c| ("tops_up", c.clone())));
        out
    }

    fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        self.terms.rename_references(rename);
        self.tops_up.iter_mut().for_each(rename);
    }

    fn compile(&self, clause: &ClauseContext) -> Result<Vec<FlowSpec>, CompileError> {
        Ok(vec![FlowSpec {
            payer: self.terms.payer,
            payee: self.terms.payee,
            category: Category::TopUp,
            pool: self.terms.pool(),
            due: DueSpec::TopUp { minimum: clause.per_year(self.per_year.value)?, of: self.tops_up.clone() },
            lag_days: self.terms.lag(),
            inputs: FlowInputs {
                amounts: Some(("per_year", Amounts::PerYear(self.per_year.value))),
                ..FlowInputs::default()
            },
        }])
    }
}
