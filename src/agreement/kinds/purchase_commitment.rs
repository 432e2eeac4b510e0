//! A purchase commitment (take-or-pay): the buyer commits to buy `commitment` of the seller's
//! services between two dates. Its purchases come from a scenario stream (`[revenue.<name>]`) or
//! are a fraction of one (`{ fraction_of = "openai", fraction = "0.3" }`), prorated by days in
//! force; they are a category of their own, never a payment or part of a cap. With `shortfall =
//! "pay-at-end"`, what they fall short of the commitment by is paid in the period that holds the
//! commitment's end.

use super::payment::{payment_terms, PaymentTerms};
use super::{ClauseKind, Grant, Kind};
use crate::agreement::describe::{sourced, Param, Parameter};
use crate::agreement::file::{FileError, Table, Value};
use crate::agreement::plan::{
    Category, ClauseContext, CompileError, DueSpec, ExactDue, FlowInputs, FlowSpec, PoolRef,
};
use crate::agreement::{Basis, OverrideError, SetValue, Sourced};
use crate::money::{percent, Human};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

const COMMITMENT: Param = Param("commitment");
const PURCHASES: Param = Param("purchases");
const SHORTFALL: Param = Param("shortfall");

/// Where a commitment's purchases come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchases {
    /// A scenario stream of its own (`[revenue.azure_purchases]`), as given.
    Stream(String),
    /// A fraction of a stream (`openai`: OpenAI's revenue).
    FractionOf { stream: String, fraction: Decimal },
}

/// What happens when purchases fall short of the commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shortfall {
    /// The buyer pays the difference in the period that holds the commitment's end.
    PayAtEnd,
    /// Nothing: the commitment is a target.
    None,
}

/// The buyer commits to purchase `commitment` from the seller between `start` and `end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseCommitment {
    #[serde(flatten)]
    pub terms: PaymentTerms,
    pub commitment: Sourced<Decimal>,
    pub purchases: Sourced<Purchases>,
    pub shortfall: Sourced<Shortfall>,
}

impl Kind for PurchaseCommitment {
    const KIND: &'static str = "purchase-commitment";
}

fn purchases_words(p: &Purchases) -> String {
    match p {
        Purchases::Stream(stream) => format!("the scenario's `{stream}` stream"),
        Purchases::FractionOf { stream, fraction } => {
            format!("{} of the `{stream}` stream", percent(*fraction))
        }
    }
}

fn read_purchases(v: &Value) -> Result<Purchases, FileError> {
    if !v.is_table() {
        return v.string().map(Purchases::Stream);
    }
    let t = v.table()?;
    let out = Purchases::FractionOf {
        stream: t.required("fraction_of")?.string()?,
        fraction: t.required("fraction")?.rate()?,
    };
    t.finish()?;
    Ok(out)
}

impl ClauseKind for PurchaseCommitment {
    fn read(t: &Table) -> Result<Self, FileError> {
        let terms = PaymentTerms::read(t, ("buyer", "seller"), true)?;
        if let Some(key) = ["cap", "cap_pool"].into_iter().find(|k| t.get(k).is_some()) {
            let at = t.get(key).map_or(t.span(), |v| v.key_span);
            return Err(FileError::invalid(
                at,
                format!("{}: purchases draw on no cap (they are not payments under the agreement)", t.name()),
            ));
        }
        Ok(PurchaseCommitment {
            terms,
            commitment: t.required("commitment")?.sourced(Value::money)?,
            purchases: t.required("purchases")?.sourced(read_purchases)?,
            shortfall: t
                .required("shortfall")?
                .sourced(|v| v.choice(&[("pay-at-end", Shortfall::PayAtEnd), ("none", Shortfall::None)]))?,
        })
    }

    payment_terms!();

    fn label(&self) -> String {
        format!("purchase commitment {} from {}", self.terms.payer, self.terms.payee)
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        let mut out = self.terms.parameters(start, "buys from");
        out.insert(1, sourced(COMMITMENT, Human(self.commitment.value).to_string(), &self.commitment));
        out.insert(2, sourced(PURCHASES, purchases_words(&self.purchases.value), &self.purchases));
        out.insert(
            3,
            sourced(
                SHORTFALL,
                match self.shortfall.value {
                    Shortfall::PayAtEnd => "the shortfall is paid at the end",
                    Shortfall::None => "no shortfall payment",
                }
                .to_string(),
                &self.shortfall,
            ),
        );
        out
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{} commits to buy {} of {}'s services from {from} {}, its purchases being {}{}.",
            self.terms.payer,
            Human(self.commitment.value),
            self.terms.payee,
            super::until(self.terms.end.as_ref().map(|e| e.value)),
            purchases_words(&self.purchases.value),
            match self.shortfall.value {
                Shortfall::PayAtEnd => "; any shortfall is paid at the end",
                Shortfall::None => "",
            }
        )
    }

    fn streams(&self) -> Vec<&str> {
        match &self.purchases.value {
            Purchases::Stream(stream) | Purchases::FractionOf { stream, .. } => vec![stream.as_str()],
        }
    }

    fn set(&mut self, key: &str, value: SetValue, source: &str) -> bool {
        match (key, value, &self.purchases.value) {
            ("commitment", SetValue::Money(amount), _) => {
                self.commitment = Sourced::assumption(amount, source)
            }
            ("fraction", SetValue::Rate(fraction), Purchases::FractionOf { stream, .. }) => {
                let stream = stream.clone();
                self.purchases = Sourced::assumption(Purchases::FractionOf { stream, fraction }, source)
            }
            ("cap", _, _) => return false,
            _ => return self.terms.set(key, value, source),
        }
        true
    }

    fn check(&self) -> Result<(), OverrideError> {
        self.terms.check()
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        match name {
            COMMITMENT => self.commitment = from.commitment.clone(),
            PURCHASES => self.purchases = from.purchases.clone(),
            SHORTFALL => self.shortfall = from.shortfall.clone(),
            other => {
                self.terms.copy(&from.terms, other);
            }
        }
    }

    /// Two flows: its purchases (a share of a stream at the fraction, or all of it, prorated by
    /// days in force), and, paying at the end, the shortfall in the period holding its end.
    fn compile(&self, clause: &ClauseContext) -> Result<Vec<FlowSpec>, CompileError> {
        let (stream, fraction) = match &self.purchases.value {
            Purchases::Stream(stream) => (stream.as_str(), Decimal::ONE),
            Purchases::FractionOf { stream, fraction } => (stream.as_str(), *fraction),
        };
        let rule = ExactDue::new(
            clause.force,
            clause.run.periods,
            Decimal::ONE,
            (fraction, Basis::Assumption),
            (&[], None),
            None,
        )?;
        let mut flows = vec![FlowSpec {
            payer: self.terms.payer,
            payee: self.terms.payee,
            category: Category::Purchase,
            pool: PoolRef::None,
            due: DueSpec::Revenue { stream: clause.stream(stream)?, rule },
            lag_days: self.terms.lag(),
            inputs: FlowInputs {
                rate: matches!(self.purchases.value, Purchases::FractionOf { .. }).then_some("fraction"),
                ..FlowInputs::default()
            },
        }];
        if self.shortfall.value == Shortfall::PayAtEnd {
            let period = self.terms.end.as_ref().and_then(|end| clause.period_of(end.value));
            flows.push(FlowSpec {
                payer: self.terms.payer,
                payee: self.terms.payee,
                category: Category::Shortfall,
                pool: PoolRef::None,
                due: DueSpec::Shortfall { commitment: self.commitment.value, of: 0, period },
                lag_days: self.terms.lag(),
                inputs: FlowInputs {
                    amount: Some("commitment"),
                    day: self.terms.end.as_ref().map(|end| ("end", end.value)),
                    ..FlowInputs::default()
                },
            });
        }
        Ok(flows)
    }
}
