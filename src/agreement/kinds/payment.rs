//! What every payment clause has besides its rule: who pays whom, its dates, the cap it draws on
//! (its own, or a `[[cap_pools]]` pool), and a payment lag. The payment kinds (fixed, minimum,
//! milestone, purchase commitment) embed it, so each kind's file holds only its own rule.

use super::common;
use crate::agreement::clause::Party;
use crate::agreement::describe::{end_parameter, lag_parameter, plain, sourced, Param, Parameter};
use crate::agreement::file::{FileError, Table, Value};
use crate::agreement::plan::PoolRef;
use crate::agreement::{OverrideError, SetValue, Sourced};
use crate::money::Human;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// A payment clause's common terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentTerms {
    pub id: String,
    pub payer: Party,
    pub payee: Party,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Sourced<NaiveDate>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Sourced<NaiveDate>>,
    /// A total cap of its own: a pool of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Sourced<Decimal>>,
    /// A pool it draws on with other clauses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap_pool: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_lag_days: Option<Sourced<i64>>,
}

/// The words for its parties' keys: `payer`/`payee`, or a purchase's `buyer`/`seller`.
pub type PartyKeys = (&'static str, &'static str);

impl PaymentTerms {
    /// Reads the common terms; `parties` names the keys of who pays and who is paid.
    pub fn read(t: &Table, (from, to): PartyKeys, end_required: bool) -> Result<PaymentTerms, FileError> {
        let payer = common::party(&t.required(from)?)?;
        let payee_value = t.required(to)?;
        let payee = common::party(&payee_value)?;
        if payer == payee {
            return Err(FileError::invalid(
                payee_value.span.clone(),
                format!(
                    "{}: {from} and {to} are both {payer}; a payment goes from one party to the other",
                    t.name()
                ),
            ));
        }
        Ok(PaymentTerms {
            id: common::id(t)?,
            payer,
            payee,
            start: common::start(t)?,
            end: if end_required { Some(common::required_end(t)?) } else { common::end(t)? },
            cap: t.optional("cap", |v| v.sourced(Value::money))?,
            cap_pool: t.optional("cap_pool", Value::string)?,
            payment_lag_days: t.optional("payment_lag_days", |v| v.sourced(Value::integer))?,
        })
    }

    /// Which cap it draws on.
    pub fn pool(&self) -> PoolRef {
        match (&self.cap_pool, &self.cap) {
            (Some(name), _) => PoolRef::Named(name.clone()),
            (None, Some(cap)) => PoolRef::Own(cap.value),
            (None, None) => PoolRef::None,
        }
    }

    /// The pool it names, for reference checks and timelines' renaming.
    pub fn references(&self) -> Vec<(&'static str, String)> {
        self.cap_pool.iter().map(|p| ("cap_pool", p.clone())).collect()
    }

    pub fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        if let Some(pool) = &mut self.cap_pool {
            rename(pool);
        }
    }

    pub fn lag(&self) -> i64 {
        self.payment_lag_days.as_ref().map_or(0, |l| l.value)
    }

    /// ", capped at 5B in total", ", drawing on cap pool `openai-payments`", or nothing.
    pub fn cap_words(&self) -> String {
        match (&self.cap_pool, &self.cap) {
            (Some(pool), _) => format!(", drawing on cap pool `{pool}`"),
            (None, Some(cap)) => format!(", capped at {} in total", Human(cap.value)),
            (None, None) => String::new(),
        }
    }

    /// Parties, start, end, cap and lag, as `terms` prints them and `diff` compares them.
    pub fn parameters(&self, start: Parameter, verb: &str) -> Vec<Parameter> {
        let mut out = vec![
            plain(Param::PARTIES, format!("{} {verb} {}", self.payer, self.payee)),
            start,
            end_parameter(&self.end),
        ];
        out.push(match (&self.cap_pool, &self.cap) {
            (Some(pool), _) => plain(Param::CAP, format!("draws on cap pool `{pool}`")),
            (None, Some(cap)) => sourced(Param::CAP, format!("capped at {} in total", Human(cap.value)), cap),
            (None, None) => plain(Param::CAP, "uncapped".to_string()),
        });
        out.extend(lag_parameter(&self.payment_lag_days));
        out
    }

    /// Copies one of the common parameters; `false` when `name` is not one of them.
    pub fn copy(&mut self, from: &PaymentTerms, name: Param) -> bool {
        match name {
            Param::PARTIES => (self.payer, self.payee) = (from.payer, from.payee),
            Param::START => self.start = from.start.clone(),
            Param::END => self.end = from.end.clone(),
            Param::CAP => (self.cap, self.cap_pool) = (from.cap.clone(), from.cap_pool.clone()),
            Param::PAYMENT_LAG => self.payment_lag_days = from.payment_lag_days.clone(),
            _ => return false,
        }
        true
    }

    /// Sets one of the common parameters (`cap`, `start`, `end`, `payment_lag_days`); `false`
    /// for any other key.
    pub fn set(&mut self, key: &str, value: SetValue, source: &str) -> bool {
        match (key, value) {
            ("cap", SetValue::Money(amount)) => {
                self.cap = Some(Sourced::assumption(amount, source));
                self.cap_pool = None;
            }
            ("start", SetValue::Date(day)) => self.start = Some(Sourced::assumption(day, source)),
            ("end", SetValue::Date(day)) => self.end = Some(Sourced::assumption(day, source)),
            ("payment_lag_days", SetValue::Days(days)) => {
                self.payment_lag_days = Some(Sourced::assumption(days, source))
            }
            _ => return false,
        }
        true
    }

    /// A cap within the money limit and a lag within ten years.
    pub fn check(&self) -> Result<(), OverrideError> {
        if let Some(cap) =
            self.cap.as_ref().filter(|c| c.value < Decimal::ZERO || c.value > crate::money::MAX_MONEY)
        {
            return Err(OverrideError::OutOfRange {
                clause: self.id.clone(),
                parameter: "cap",
                value: cap.value.to_string(),
                expected: "an amount between 0 and 1,000T",
            });
        }
        if let Some(lag) = self.payment_lag_days.as_ref().filter(|l| !(0..=3650).contains(&l.value)) {
            return Err(OverrideError::OutOfRange {
                clause: self.id.clone(),
                parameter: "payment_lag_days",
                value: format!("{} days", lag.value),
                expected: "0 to 3650 days",
            });
        }
        Ok(())
    }
}

/// `ClauseKind`'s accessors for a kind that embeds `terms: PaymentTerms`.
macro_rules! payment_terms {
    () => {
        fn id(&self) -> &str {
            &self.terms.id
        }
        fn id_mut(&mut self) -> &mut String {
            &mut self.terms.id
        }
        fn start(&self) -> Option<&Sourced<NaiveDate>> {
            self.terms.start.as_ref()
        }
        fn start_mut(&mut self) -> &mut Option<Sourced<NaiveDate>> {
            &mut self.terms.start
        }
        fn end(&self) -> Option<&Sourced<NaiveDate>> {
            self.terms.end.as_ref()
        }
        fn set_end(&mut self, end: Sourced<NaiveDate>) {
            self.terms.end = Some(end);
        }
        fn grant(&self) -> Option<Grant> {
            None
        }
        fn cap_pool(&self) -> Option<&str> {
            self.terms.cap_pool.as_deref()
        }
        fn own_cap(&self) -> Option<Decimal> {
            self.terms.cap.as_ref().map(|c| c.value)
        }
    };
}
pub(super) use payment_terms;
