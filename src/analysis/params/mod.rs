//! Scenario and clause parameters by name, for sweeps, sensitivity and goal seeking: parse a
//! name and its values ("20B..80B:10B", "0.15,0.20"), and set one on a validated scenario.

use crate::agreement::{ClauseOverride, SetValue};
use crate::money;
use crate::scenario::Scenario;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt;

mod ranges;
pub mod registry;
mod revenue;

use revenue::{grow, scale};

/// A parameter that can be varied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// Total cap (`assumptions.cap`).
    Cap,
    /// OpenAI→Microsoft rate (`assumptions.share_rate`); also accepted as `rate`.
    ShareRate,
    /// Fraction of OpenAI's revenue the share applies to (`assumptions.share_base`).
    ShareBase,
    EffectiveDate,
    /// The first day of revenue counted toward a capped share (`assumptions.cap_counts_from`).
    CapCountsFrom,
    PriorPayments,
    DiscountRate,
    /// Constant growth of OpenAI's revenue: every year after the first grows from the year before
    /// at this rate, replacing the scenario's path after its first year.
    Growth,
    /// A multiple of OpenAI's revenue in every year (1 = as written).
    RevenueScale,
    /// The day AGI is declared (`assumptions.agi_declared`): a date, or `never`.
    AgiDeclared,
    /// `<clause-id>.rate` or `<clause-id>.cap`.
    ClauseRate(String),
    ClauseCap(String),
    /// Another parameter of a clause, by its key in the agreement file (`openai-minimum.per_year`):
    /// one of `CLAUSE_KEYS`; whether the clause's kind has it is checked when it is applied.
    Clause(String, &'static str),
}

/// What clause key `key` holds.
pub(crate) fn key_kind(key: &str) -> KeyKind {
    CLAUSE_KEYS.iter().find(|(k, _)| *k == key).map_or(KeyKind::Money, |(_, kind)| *kind)
}

/// What a `<clause-id>.<key>` parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Money,
    Rate,
    Days,
    Date,
}

/// The clause parameters `--set <clause-id>.<key>` may vary besides `rate` and `cap`: the keys the
/// kinds' files use, and what each holds.
pub const CLAUSE_KEYS: &[(&str, KeyKind)] = &[
    ("per_year", KeyKind::Money),
    ("amount", KeyKind::Money),
    ("commitment", KeyKind::Money),
    ("revenue_reaches", KeyKind::Money),
    ("cumulative_revenue_reaches", KeyKind::Money),
    ("fraction", KeyKind::Rate),
    ("payment_lag_days", KeyKind::Days),
    ("start", KeyKind::Date),
    ("end", KeyKind::Date),
    ("when", KeyKind::Date),
];

/// Why a parameter name, value or setting was refused. Rendered at the CLI edge; the messages
/// name the parameter and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("unknown parameter `{name}`{}; known: {}", hint.as_ref().map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default(), registry::names(false))]
    Unknown { name: String, hint: Option<String> },
    /// `hinted`: whether the amount's own hint ("did you mean 38B?") applies to this parameter.
    #[error("{param}: {error}{}", error.hint().filter(|_| *hinted).map(|h| format!("; {h}")).unwrap_or_default())]
    Amount { param: String, error: money::AmountError, hinted: bool },
    #[error("{param}: `{text}` must be above 0")]
    NotAboveZero { param: String, text: String },
    #[error("{param}: `{text}` is not a date (YYYY-MM-DD)")]
    NotADate { param: String, text: String },
    #[error("{param}: `{text}` is not {expected}")]
    Shape { param: String, text: String, expected: &'static str },
    #[error("{param}: the step `{step}` must be {}", if *days { "a whole number of days above 0" } else { "above 0" })]
    BadStep { param: String, step: String, days: bool },
    #[error("{param}: `{text}` mixes kinds of value")]
    Mixed { param: String, text: String },
    #[error("{param}: `{text}` runs backwards")]
    Backwards { param: String, text: String },
    #[error("{param}: `{text}` has {count} values; the limit is {limit}")]
    TooMany { param: String, text: String, count: String, limit: usize },
    #[error("{param} takes {takes}")]
    Kind { param: String, takes: &'static str },
    #[error("{setting}: revenue {} the 1,000T limit", if *grows { "grows past" } else { "past" })]
    RevenueTooLarge { setting: String, grows: bool },
    #[error("`{text}` is not NAME=VALUES (e.g. cap=20B..80B:10B)")]
    NotASetting { text: String },
    #[error("{param} is given twice; give all its values in one --set {param}=A,B")]
    SetTwice { param: String },
    /// A range's step that does not land on its upper end: the end would be dropped.
    #[error("{param}: `{text}`: steps of {} from {} end at {}, not at {} (ranges include both ends, so the step must divide the range); end the range at {} or {}, or choose a step that divides it", .miss.step, .miss.lo, .miss.last, .miss.hi, .miss.last, .miss.next)]
    StepMisses { param: String, text: String, miss: Box<StepMiss> },
}

/// A range's step, its ends, and where its steps end instead (the last value and the next).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepMiss {
    pub step: String,
    pub lo: String,
    pub hi: String,
    pub last: String,
    pub next: String,
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::ClauseRate(c) => write!(f, "{c}.rate"),
            Param::ClauseCap(c) => write!(f, "{c}.cap"),
            Param::Clause(c, key) => write!(f, "{c}.{key}"),
            scenario => f.write_str(registry::name_of(scenario).unwrap_or("?")),
        }
    }
}

/// A value of a parameter: a decimal (money or rate) or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Number(Decimal),
    Date(NaiveDate),
    /// `never`: for `agi_declared`, AGI is not declared within the run.
    Never,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => write!(f, "{}", d.normalize()),
            Value::Date(d) => write!(f, "{d}"),
            Value::Never => f.write_str("never"),
        }
    }
}

impl Param {
    pub fn parse(name: &str) -> Result<Param, ParamError> {
        let name = name.trim();
        if let Some(spec) = registry::lookup(name) {
            return Ok(spec.param.clone());
        }
        Ok(match name.rsplit_once('.') {
            Some((clause, "rate")) if !clause.is_empty() => Param::ClauseRate(clause.to_string()),
            Some((clause, "cap")) if !clause.is_empty() => Param::ClauseCap(clause.to_string()),
            Some((clause, key)) if !clause.is_empty() && CLAUSE_KEYS.iter().any(|(k, _)| *k == key) => {
                let key = CLAUSE_KEYS.iter().find(|(k, _)| *k == key).map_or("", |(k, _)| k);
                Param::Clause(clause.to_string(), key)
            }
            _ => {
                let known = registry::all_names();
                let hint = crate::scenario::suggest(name, &known);
                return Err(ParamError::Unknown { name: name.to_string(), hint: hint.map(str::to_string) });
            }
        })
    }

    /// A value as people read it: money as 20B, rates as 20%, dates as written.
    pub fn human(&self, value: &Value) -> String {
        match (self, value) {
            (Param::Cap | Param::PriorPayments | Param::ClauseCap(_), Value::Number(n)) => {
                money::Human(*n).to_string()
            }
            (Param::Clause(_, key), Value::Number(n)) => match key_kind(key) {
                KeyKind::Money => money::Human(*n).to_string(),
                KeyKind::Rate => money::percent(*n),
                _ => n.normalize().to_string(),
            },
            (
                Param::ShareRate
                | Param::ShareBase
                | Param::DiscountRate
                | Param::ClauseRate(_)
                | Param::Growth,
                Value::Number(n),
            ) => money::percent(*n),
            (Param::RevenueScale, Value::Number(n)) => format!("{}×", n.normalize()),
            (_, v) => v.to_string(),
        }
    }

    fn shape(&self, text: &str, expected: &'static str) -> ParamError {
        ParamError::Shape { param: self.to_string(), text: text.to_string(), expected }
    }

    fn too_many(&self, text: &str, count: String, limit: usize) -> ParamError {
        ParamError::TooMany { param: self.to_string(), text: text.to_string(), count, limit }
    }

    /// Whether setting it changes the scenario's term assumptions (so the agreement must be
    /// re-resolved); the others (growth, revenue scale, discount rate, earlier payments, the AGI
    /// date) change only the scenario.
    pub fn changes_terms(&self) -> bool {
        !matches!(
            self,
            Param::Growth
                | Param::RevenueScale
                | Param::DiscountRate
                | Param::PriorPayments
                | Param::AgiDeclared
        )
    }

    /// Whether the parameter is an amount of money.
    pub fn is_money(&self) -> bool {
        matches!(self, Param::Cap | Param::PriorPayments | Param::ClauseCap(_))
            || matches!(self, Param::Clause(_, key) if key_kind(key) == KeyKind::Money)
    }

    /// Parses one value of this parameter.
    pub fn value(&self, text: &str) -> Result<Value, ParamError> {
        let amount =
            |e: money::AmountError| ParamError::Amount { param: self.to_string(), error: e, hinted: true };
        let number = |r: Result<Decimal, money::AmountError>| r.map(Value::Number).map_err(amount);
        match self {
            Param::Cap | Param::PriorPayments | Param::ClauseCap(_) => {
                money::parse_large_money(text).map(Value::Number).map_err(amount)
            }
            Param::ShareRate | Param::ShareBase | Param::DiscountRate | Param::ClauseRate(_) => {
                number(money::parse_rate(text))
            }
            Param::Growth => money::parse_growth(text).map(Value::Number).map_err(amount),
            Param::RevenueScale => {
                // A multiple, not a growth rate: `2` is twice the revenue (also "2x", "200%").
                let scale = money::parse_multiple(text).map_err(|error| ParamError::Amount {
                    param: self.to_string(),
                    error,
                    hinted: false,
                })?;
                if scale <= Decimal::ZERO {
                    return Err(ParamError::NotAboveZero { param: self.to_string(), text: text.to_string() });
                }
                Ok(Value::Number(scale))
            }
            Param::Clause(_, key) => match key_kind(key) {
                KeyKind::Money => money::parse_large_money(text).map(Value::Number).map_err(amount),
                KeyKind::Rate => number(money::parse_rate(text)),
                KeyKind::Days => text
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (0..=3650).contains(d))
                    .map(|d| Value::Number(Decimal::from(d)))
                    .ok_or_else(|| self.shape(text, "a whole number of days from 0 to 3650")),
                KeyKind::Date => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map(Value::Date)
                    .map_err(|_| ParamError::NotADate { param: self.to_string(), text: text.to_string() }),
            },
            Param::AgiDeclared if text.trim() == "never" => Ok(Value::Never),
            Param::EffectiveDate | Param::CapCountsFrom | Param::AgiDeclared => {
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map(Value::Date)
                    .map_err(|_| ParamError::NotADate { param: self.to_string(), text: text.to_string() })
            }
        }
    }

    /// A value of clause key `key` as the clause's kind takes it.
    fn set_value(&self, key: &str, value: Value) -> Result<SetValue, ParamError> {
        Ok(match (key_kind(key), value) {
            (KeyKind::Money, Value::Number(n)) => SetValue::Money(n),
            (KeyKind::Rate, Value::Number(n)) => SetValue::Rate(n),
            (KeyKind::Days, Value::Number(n)) => SetValue::Days(n.try_into().unwrap_or_default()),
            (KeyKind::Date, Value::Date(d)) => SetValue::Date(d),
            _ => return Err(ParamError::Kind { param: self.to_string(), takes: "a value of another sort" }),
        })
    }

    /// Sets this parameter on `scenario` (whose agreement must then be re-resolved).
    pub fn apply(&self, scenario: &mut Scenario, value: Value) -> Result<(), ParamError> {
        let number = || match value {
            Value::Number(n) => Ok(n),
            Value::Date(_) | Value::Never => {
                Err(ParamError::Kind { param: self.to_string(), takes: "a number, not a date" })
            }
        };
        match self {
            Param::Cap => scenario.terms.cap = Some(number()?),
            Param::ShareRate => scenario.terms.share_rate = Some(number()?),
            Param::ShareBase => scenario.terms.share_base = Some(number()?),
            Param::PriorPayments => scenario.prior_payments_toward_cap = number()?,
            Param::DiscountRate => scenario.discounting.rate = number()?,
            Param::AgiDeclared => {
                scenario.agi_declared = match value {
                    Value::Date(d) => Some(d),
                    Value::Never => None,
                    Value::Number(_) => {
                        return Err(ParamError::Kind { param: self.to_string(), takes: "a date or `never`" })
                    }
                };
                // One date chosen: no longer a distribution.
                scenario.agi_outcomes.clear();
            }
            Param::EffectiveDate => match value {
                Value::Date(d) => scenario.terms.effective_date = Some(d),
                Value::Number(_) | Value::Never => {
                    return Err(ParamError::Kind { param: self.to_string(), takes: "a date" })
                }
            },
            Param::CapCountsFrom => match value {
                Value::Date(d) => scenario.terms.cap_counts_from = Some(d),
                Value::Number(_) | Value::Never => {
                    return Err(ParamError::Kind { param: self.to_string(), takes: "a date" })
                }
            },
            Param::Growth => grow(scenario, number()?)?,
            Param::RevenueScale => scale(scenario, number()?)?,
            Param::ClauseRate(clause) => scenario
                .terms
                .clause_overrides
                .push(ClauseOverride::Rate { clause: clause.clone(), rate: number()? }),
            Param::ClauseCap(clause) => scenario
                .terms
                .clause_overrides
                .push(ClauseOverride::Cap { clause: clause.clone(), amount: number()? }),
            Param::Clause(clause, key) => {
                let value = self.set_value(key, value)?;
                scenario.terms.clause_overrides.push(ClauseOverride::Set {
                    clause: clause.clone(),
                    key: key.to_string(),
                    value,
                })
            }
        }
        Ok(())
    }
}

/// `NAME=VALUES` as given to `--set`.
pub fn parse_setting(text: &str, limit: usize) -> Result<(Param, Vec<Value>), ParamError> {
    let (name, values) =
        text.split_once('=').ok_or_else(|| ParamError::NotASetting { text: text.to_string() })?;
    let param = Param::parse(name)?;
    let values = param.values(values, limit)?;
    Ok((param, values))
}
