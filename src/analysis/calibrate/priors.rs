//! `[priors]`: what is believed about each undisclosed term before the reports are weighed. Any
//! parameter `--set` accepts may have one, in the distribution syntax scenarios use:
//!
//! - readings, each with its probability (adding up to exactly 100%): `{ dist = "dates",
//!   2026-01-01 = "50%", 2026-04-27 = "50%" }` for a date, `{ dist = "values", "38B" = "50%",
//!   "45B" = "50%" }` for a number. Calibration is exact over readings.
//! - a continuous distribution of a number: `{ dist = "uniform", min = "30B", max = "50B" }`
//!   (also "triangular", "normal", "lognormal"), sampled. A draw outside what the parameter can
//!   be is clamped to it (money at 0, a share's rate to 0..=100%, a discount rate above −99%),
//!   and money is rounded to the cent, rates and multiples to nine places.

use super::super::params::{KeyKind, Param, Value};
use crate::money;
use crate::scenario::dist::{Dist, Sampler};
use crate::scenario::{InputError, InputErrorKind, Values};
use rand::Rng;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use toml::Spanned;

/// One unknown and what is believed about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    /// As written in the file (`cap_counts_from`).
    pub name: String,
    pub param: Param,
    pub shape: Shape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Discrete readings with their probabilities (exactly 1 in all), in the file's order.
    Readings(Vec<(Value, Decimal)>),
    Continuous(Dist),
}

impl Prior {
    pub fn is_continuous(&self) -> bool {
        matches!(self.shape, Shape::Continuous(_))
    }

    /// A sampler of a continuous prior (a growth prior draws `1 + g` for a lognormal, as
    /// scenarios do); `None` for readings.
    pub fn sampler(&self) -> Option<Sampler> {
        match &self.shape {
            Shape::Continuous(dist) if self.param == Param::Growth => Some(dist.sampler()),
            Shape::Continuous(dist) => Some(dist.value_sampler()),
            Shape::Readings(_) => None,
        }
    }

    /// One draw from `sampler`, clamped to what the parameter can be and rounded.
    pub fn draw<R: Rng + ?Sized>(&self, sampler: &Sampler, rng: &mut R) -> Value {
        if self.param == Param::Growth {
            return Value::Number(sampler.draw(rng));
        }
        let Some(x) = sampler.draw_raw(rng) else {
            return Value::Number(sampler.fixed().unwrap_or_default());
        };
        let x = Decimal::from_f64(x).unwrap_or_default();
        Value::Number(match self.param.clamp_range() {
            Range::Money => x.max(Decimal::ZERO).min(money::MAX_MONEY).round_dp(2),
            Range::Fraction => x.clamp(Decimal::ZERO, Decimal::ONE).round_dp(9),
            Range::Rate => x.max(Decimal::new(-99, 2)).round_dp(9),
            Range::Multiple => x.max(Decimal::new(1, 9)).round_dp(9),
        })
    }
}

/// How a prior's numbers are read from text.
type Parser = fn(&str) -> Result<Decimal, money::AmountError>;

/// What values a continuous prior's draws are clamped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    Money,
    /// 0..=1: a share's rate or base.
    Fraction,
    /// Above −99%: a discount rate.
    Rate,
    /// Above 0: a revenue multiple.
    Multiple,
}

impl Param {
    /// How a number of this parameter is read and clamped; `None`: it is a date or days, which
    /// take readings only.
    fn number_kind(&self) -> Option<(Range, Parser)> {
        Some(match self {
            _ if self.is_money() => (Range::Money, money::parse_large_money),
            Param::ShareRate | Param::ShareBase | Param::ClauseRate(_) => {
                (Range::Fraction, money::parse_rate)
            }
            Param::Clause(_, key) if super::super::params::key_kind(key) == KeyKind::Rate => {
                (Range::Fraction, money::parse_rate)
            }
            Param::DiscountRate => (Range::Rate, money::parse_rate),
            Param::Growth => (Range::Rate, money::parse_growth),
            Param::RevenueScale => (Range::Multiple, money::parse_multiple),
            _ => return None,
        })
    }

    fn clamp_range(&self) -> Range {
        self.number_kind().map_or(Range::Money, |(range, _)| range)
    }

    /// Whether its values are dates (or `never`).
    fn is_date(&self) -> bool {
        matches!(self, Param::EffectiveDate | Param::CapCountsFrom | Param::AgiDeclared)
            || matches!(self, Param::Clause(_, key) if super::super::params::key_kind(key) == KeyKind::Date)
    }
}

/// Reads `[priors]`.
pub fn read(
    v: &Values,
    raw: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
) -> Result<Vec<Prior>, InputError> {
    let mut priors = Vec::new();
    // In the file's order (a map sorts its keys).
    let mut in_order: Vec<_> = raw.iter().collect();
    in_order.sort_by_key(|(name, _)| name.span().start);
    for (name, value) in in_order {
        let fail = |span: std::ops::Range<usize>, message: String| {
            InputError::at(
                v.source(),
                span,
                InputErrorKind::Schema { message: format!("priors.{}: {message}", name.get_ref()) },
            )
        };
        // `openai-to-microsoft.rate = { … }` is a dotted key: TOML reads a table of tables.
        if let toml::Value::Table(inner) = value.get_ref() {
            if let Some((key, _)) =
                inner.iter().find(|(_, v)| v.is_table()).filter(|_| !inner.contains_key("dist"))
            {
                let quoted = format!("\"{}.{key}\" = {{ dist = … }}", name.get_ref());
                return Err(fail(
                    name.span(),
                    format!("a dotted key is a table in TOML; write a clause parameter quoted: {quoted}"),
                ));
            }
        }
        let param = Param::parse(name.get_ref()).map_err(|e| fail(name.span(), e.to_string()))?;
        let toml::Value::Table(table) = value.get_ref() else {
            return Err(fail(
                value.span(),
                "a prior is a distribution: readings `{ dist = \"dates\", 2026-01-01 = \"50%\", 2026-04-27 = \"50%\" }` or `{ dist = \"values\", \"38B\" = \"50%\", \"45B\" = \"50%\" }`, or `{ dist = \"uniform\", min = \"30B\", max = \"50B\" }`; a single value is not uncertain: set it in the scenario".into(),
            ));
        };
        let kind = table.get("dist").and_then(toml::Value::as_str).unwrap_or_default();
        let shape = match kind {
            "dates" | "values" => {
                let wanted = if param.is_date() { "dates" } else { "values" };
                if kind != wanted {
                    return Err(fail(
                        value.span(),
                        format!("`{param}` takes `dist = \"{wanted}\"`, not \"{kind}\""),
                    ));
                }
                Shape::Readings(readings(&param, table).map_err(|m| fail(value.span(), m))?)
            }
            _ => {
                let Some((_, parse)) = param.number_kind() else {
                    return Err(fail(
                        value.span(),
                        format!(
                            "`{param}` is not a number: give readings, `{{ dist = \"{}\", … }}`",
                            if param.is_date() { "dates" } else { "values" }
                        ),
                    ));
                };
                let dist = v.dist(
                    &format!("priors.{}", name.get_ref()),
                    value,
                    table,
                    parse,
                    param == Param::Growth,
                )?;
                Shape::Continuous(dist)
            }
        };
        priors.push(Prior { name: name.get_ref().clone(), param, shape });
    }
    Ok(priors)
}

/// `{ dist = "dates", 2026-01-01 = "50%", … }`: each reading parsed as the parameter's value,
/// each probability a rate; two or more, adding up to exactly 100%.
fn readings(param: &Param, table: &toml::Table) -> Result<Vec<(Value, Decimal)>, String> {
    let mut out = Vec::new();
    for (key, probability) in table.iter().filter(|(k, _)| *k != "dist") {
        let value = param.value(key).map_err(|e| e.to_string())?;
        let text = match probability {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            _ => return Err(format!("`{key}` must be a probability such as \"50%\" or 0.5")),
        };
        let p = money::parse_rate(&text).map_err(|e| format!("{key}: {e}"))?;
        if out.iter().any(|(v, _)| *v == value) {
            return Err(format!("`{key}` is given twice"));
        }
        out.push((value, p));
    }
    if out.len() < 2 {
        return Err("give two or more readings (for one, set it in the scenario)".into());
    }
    let total: Decimal = out.iter().map(|(_, p)| *p).sum();
    if total != Decimal::ONE {
        return Err(format!("the probabilities add up to {}, not 100%", money::percent(total)));
    }
    Ok(out)
}
