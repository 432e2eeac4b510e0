//! Turning spanned TOML values into typed ones: money, rates, dates, growth. Floats are re-read
//! from their exact source text, so money never passes through `f64`.

mod agi;

use super::dist::Dist;
use super::error::{InputError, InputErrorKind, Source};
use super::raw::RawValue;
use super::{FIRST_YEAR, LAST_YEAR};
use crate::agreement::{Clouds, ExceptionReading};
use crate::money::{self, AmountError};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use toml::Value;

/// Growth of revenue from one year to the next: one rate for every year, or one per year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Growth {
    Constant(Decimal),
    ByYear(BTreeMap<i32, Decimal>),
    /// Drawn per path and year in Monte Carlo; deterministic runs use its central value.
    Random(Dist),
}

impl Growth {
    /// The growth into `year` from the year before, if known.
    pub fn for_year(&self, year: i32) -> Option<Decimal> {
        match self {
            Growth::Constant(rate) => Some(*rate),
            Growth::ByYear(rates) => rates.get(&year).copied(),
            Growth::Random(dist) => Some(dist.central()),
        }
    }
}

pub struct Values<'a> {
    source: &'a Source,
}

fn type_name(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Integer(i) => format!("the integer {i}"),
        Value::Float(f) => format!("the float {f}"),
        Value::Boolean(b) => format!("the boolean {b}"),
        Value::Datetime(d) => format!("the date-time {d}"),
        Value::Array(_) => "an array".to_string(),
        Value::Table(_) => "a table".to_string(),
    }
}

impl<'a> Values<'a> {
    pub fn new(source: &'a Source) -> Self {
        Values { source }
    }

    pub fn source(&self) -> &Source {
        self.source
    }

    fn error(&self, value: &RawValue, kind: InputErrorKind) -> InputError {
        InputError::at(self.source, value.span(), kind)
    }

    fn wrong_type(&self, key: &str, value: &RawValue, expected: &'static str) -> InputError {
        self.error(
            value,
            InputErrorKind::WrongType { key: key.to_string(), expected, found: type_name(value.get_ref()) },
        )
    }

    /// The text of a number as written: a string's contents, or a number's exact source text.
    fn number_text(&self, key: &str, value: &RawValue, expected: &'static str) -> Result<String, InputError> {
        match value.get_ref() {
            Value::String(s) => Ok(s.clone()),
            Value::Integer(_) | Value::Float(_) => Ok(self.source.text[value.span()].to_string()),
            _ => Err(self.wrong_type(key, value, expected)),
        }
    }

    pub fn amount(
        &self,
        key: &str,
        value: &RawValue,
        expected: &'static str,
        parse: fn(&str) -> Result<Decimal, AmountError>,
    ) -> Result<Decimal, InputError> {
        let text = self.number_text(key, value, expected)?;
        parse(&text).map_err(|error| self.amount_error(value, key, error))
    }

    /// An amount that did not parse, with the fix where there is an obvious one.
    fn amount_error(&self, value: &RawValue, key: &str, error: AmountError) -> InputError {
        let hint = error.hint();
        let err = self.error(value, InputErrorKind::Amount { key: key.to_string(), error });
        match hint {
            Some(hint) => err.with_help(hint),
            None => err,
        }
    }

    /// Money in a field of billions (caps, revenue, payments): see `money::parse_large_money`.
    pub fn money(&self, key: &str, value: &RawValue) -> Result<Decimal, InputError> {
        self.amount(key, value, "an amount of money such as \"38B\" or 38000000000", money::parse_large_money)
    }

    pub fn rate(&self, key: &str, value: &RawValue) -> Result<Decimal, InputError> {
        self.amount(key, value, "a rate between 0 and 1, such as 0.2 or \"20%\"", money::parse_rate)
    }

    fn growth_rate(&self, key: &str, value: &RawValue) -> Result<Decimal, InputError> {
        self.amount(key, value, "a growth rate such as 0.5 or \"50%\"", money::parse_growth)
    }

    /// A rate schedule: a table of `YYYY-MM-DD = rate`, each the rate from that day on.
    pub fn rate_schedule(
        &self,
        key: &str,
        value: &RawValue,
    ) -> Result<Vec<crate::agreement::RateStep>, InputError> {
        let Value::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(key, value, "a table of day = rate, e.g. { 2028-01-01 = \"15%\" }"));
        };
        let mut steps = Vec::with_capacity(table.len());
        for (day_text, rate) in table {
            let entry = format!("{key}.{day_text}");
            // Keys and values inside a table carry no spans of their own: use the table's.
            let from =
                self.date(&entry, &toml::Spanned::new(value.span(), Value::String(day_text.clone())))?;
            let rate = self.rate_in_table(&entry, value, day_text, rate, "a rate such as \"15%\" or 0.15")?;
            steps.push(crate::agreement::RateStep { from, rate });
        }
        steps.sort_by_key(|s| s.from);
        Ok(steps)
    }

    /// A rate that is one value of an inline table (`{ 2028-01-01 = 0.15 }`): a string, an
    /// integer, or a float read from its exact text in the table.
    fn rate_in_table(
        &self,
        entry: &str,
        table: &RawValue,
        key: &str,
        rate: &Value,
        expected: &'static str,
    ) -> Result<Decimal, InputError> {
        let text = match rate {
            Value::String(_) | Value::Integer(_) => {
                return self.rate(entry, &toml::Spanned::new(table.span(), rate.clone()));
            }
            Value::Float(_) => float_text_in(&self.source.text[table.span()], key),
            _ => None,
        };
        let text = text.ok_or_else(|| self.wrong_type(entry, table, expected))?;
        self.rate(entry, &toml::Spanned::new(table.span(), Value::String(text)))
    }

    /// Rate tiers: a table of `"threshold" = rate` (thresholds are annual money, e.g. "100B").
    pub fn rate_tiers(&self, key: &str, value: &RawValue) -> Result<Vec<crate::agreement::Tier>, InputError> {
        let Value::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(
                key,
                value,
                "a table of threshold = rate, e.g. { \"100B\" = \"10%\" }",
            ));
        };
        let mut tiers = Vec::with_capacity(table.len());
        for (threshold, rate) in table {
            let entry = format!("{key}.{threshold}");
            let above =
                self.money(&entry, &toml::Spanned::new(value.span(), Value::String(threshold.clone())))?;
            let rate =
                self.rate_in_table(&entry, value, threshold, rate, "a rate such as \"10%\" or 0.10")?;
            tiers.push(crate::agreement::Tier { above, rate });
        }
        tiers.sort_by_key(|t| t.above);
        Ok(tiers)
    }

    /// One growth rate, or a table of year = rate.
    pub fn growth(&self, key: &str, value: &RawValue) -> Result<Growth, InputError> {
        let Value::Table(table) = value.get_ref() else {
            return self.growth_rate(key, value).map(Growth::Constant);
        };
        if table.contains_key("dist") {
            return self.dist(key, value, table, money::parse_growth, true).map(Growth::Random);
        }
        let mut rates = BTreeMap::new();
        for (year_text, rate) in table {
            let year: i32 = year_text
                .parse()
                .ok()
                .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(&i64::from(*y)))
                .ok_or_else(|| {
                    self.error(
                        value,
                        InputErrorKind::WrongType {
                            key: format!("{key}.{year_text}"),
                            expected: "a year between 1900 and 2200 as the key",
                            found: format!("`{year_text}`"),
                        },
                    )
                })?;
            // Values inside a table carry no spans of their own: re-wrap with the table's span.
            let spanned = toml::Spanned::new(value.span(), rate.clone());
            let text = match rate {
                Value::String(s) => s.clone(),
                Value::Integer(i) => i.to_string(),
                Value::Float(_) => {
                    float_text_in(&self.source.text[value.span()], year_text).ok_or_else(|| {
                        self.wrong_type(&format!("{key}.{year_text}"), &spanned, "a growth rate")
                    })?
                }
                _ => {
                    return Err(self.wrong_type(
                        &format!("{key}.{year_text}"),
                        &spanned,
                        "a growth rate such as 0.5",
                    ))
                }
            };
            let rate = money::parse_growth(&text)
                .map_err(|error| self.amount_error(value, &format!("{key}.{year_text}"), error))?;
            rates.insert(year, rate);
        }
        Ok(Growth::ByYear(rates))
    }

    /// `{ dist = "lognormal", median = 0.4, sigma = 0.2 }` and the like.
    pub fn dist(
        &self,
        key: &str,
        value: &RawValue,
        table: &toml::Table,
        parse: fn(&str) -> Result<Decimal, AmountError>,
        growth: bool,
    ) -> Result<Dist, InputError> {
        let fail = |message: String| {
            self.error(value, InputErrorKind::Schema { message: format!("{key}: {message}") })
        };
        let kind = match table.get("dist") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(fail(
                    "`dist` must be a string: \"lognormal\", \"normal\", \"triangular\" or \"uniform\""
                        .into(),
                ))
            }
        };
        let wanted: &[&str] = match kind.as_str() {
            "lognormal" => &["median", "sigma"],
            "normal" => &["mean", "sd"],
            "triangular" => &["min", "mode", "max"],
            "uniform" => &["min", "max"],
            other => {
                return Err(fail(format!(
                    "unknown distribution `{other}`; expected \"lognormal\", \"normal\", \"triangular\" or \"uniform\""
                )))
            }
        };
        if let Some(extra) = table.keys().find(|k| *k != "dist" && !wanted.contains(&k.as_str())) {
            let expected = wanted.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
            return Err(fail(format!(
                "unknown key `{extra}` for a {kind} distribution; expected {expected}"
            )));
        }
        let table_text = &self.source.text[value.span()];
        let mut numbers = Vec::with_capacity(wanted.len());
        for name in wanted {
            let text = match table.get(*name) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Integer(i)) => i.to_string(),
                Some(Value::Float(_)) => float_text_in(table_text, name).unwrap_or_default(),
                Some(_) => return Err(fail(format!("`{name}` must be a number"))),
                None => return Err(fail(format!("a {kind} distribution needs `{name}`"))),
            };
            // A lognormal's sigma is a spread in log space, not an amount or a growth rate.
            let parse_one = if *name == "sigma" { money::parse_spread } else { parse };
            let number = parse_one(&text)
                .map_err(|error| self.amount_error(value, &format!("{key}.{name}"), error))?;
            numbers.push(number);
        }
        let dist = match (kind.as_str(), numbers.as_slice()) {
            ("lognormal", [median, sigma]) => Dist::LogNormal { median: *median, sigma: *sigma },
            ("normal", [mean, sd]) => Dist::Normal { mean: *mean, sd: *sd },
            ("triangular", [min, mode, max]) => Dist::Triangular { min: *min, mode: *mode, max: *max },
            (_, [min, max]) => Dist::Uniform { min: *min, max: *max },
            _ => return Err(fail("malformed distribution".into())),
        };
        dist.check(growth).map_err(fail)?;
        Ok(dist)
    }

    /// Money, or a distribution of money for Monte Carlo (its central value, and the
    /// distribution). Distribution parameters are money too: `{ dist = "uniform", min = "20B", max = "60B" }`.
    pub fn money_or_dist(&self, key: &str, value: &RawValue) -> Result<(Decimal, Option<Dist>), InputError> {
        match value.get_ref() {
            Value::Table(table) if table.contains_key("dist") => {
                let dist = self.dist(key, value, table, money::parse_large_money, false)?;
                Ok((dist.central(), Some(dist)))
            }
            _ => Ok((self.money(key, value)?, None)),
        }
    }

    /// A rate, or a distribution of rates for Monte Carlo (draws are clamped to 0..=1).
    pub fn rate_or_dist(&self, key: &str, value: &RawValue) -> Result<(Decimal, Option<Dist>), InputError> {
        match value.get_ref() {
            Value::Table(table) if table.contains_key("dist") => {
                let dist = self.dist(key, value, table, money::parse_rate, false)?;
                Ok((dist.central(), Some(dist)))
            }
            _ => Ok((self.rate(key, value)?, None)),
        }
    }

    pub fn date(&self, key: &str, value: &RawValue) -> Result<NaiveDate, InputError> {
        let invalid =
            |text: String| self.error(value, InputErrorKind::InvalidDate { key: key.to_string(), text });
        let date = match value.get_ref() {
            Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                        .ok_or_else(|| invalid(dt.to_string()))?
                }
                _ => return Err(invalid(dt.to_string())),
            },
            Value::String(s) => {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| invalid(s.clone()))?
            }
            _ => return Err(self.wrong_type(key, value, "a date such as 2026-04-27")),
        };
        let year = i64::from(chrono::Datelike::year(&date));
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(self.error(value, InputErrorKind::YearOutOfRange { key: key.to_string(), year }));
        }
        Ok(date)
    }

    pub fn boolean(&self, key: &str, value: &RawValue) -> Result<bool, InputError> {
        match value.get_ref() {
            Value::Boolean(b) => Ok(*b),
            _ => Err(self.wrong_type(key, value, "true or false")),
        }
    }

    pub fn reading(&self, value: &RawValue) -> Result<ExceptionReading, InputError> {
        match value.get_ref() {
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "and" => Ok(ExceptionReading::And),
                "or" => Ok(ExceptionReading::Or),
                _ => Err(self.error(value, InputErrorKind::UnknownReading { text: s.clone() })),
            },
            _ => Err(self.wrong_type("azure_first_exception", value, "\"and\" or \"or\"")),
        }
    }

    pub fn convention(&self, value: &RawValue) -> Result<super::Convention, InputError> {
        match value.get_ref() {
            Value::String(s) => match s.trim() {
                "end-of-period" | "end-of-year" => Ok(super::Convention::EndOfPeriod),
                "mid-period" | "mid-year" => Ok(super::Convention::MidPeriod),
                _ => Err(self.error(value, InputErrorKind::UnknownConvention { text: s.clone() })),
            },
            _ => Err(self.wrong_type("discounting", value, "\"end-of-period\" or \"mid-period\"")),
        }
    }

    pub fn clouds(&self, value: &RawValue) -> Result<Clouds, InputError> {
        match value.get_ref() {
            Value::String(s) => match s.trim() {
                "azure-only" => Ok(Clouds::AzureOnly),
                "any-cloud" => Ok(Clouds::AnyCloud),
                _ => Err(self.error(value, InputErrorKind::UnknownClouds { text: s.clone() })),
            },
            _ => Err(self.wrong_type("clouds", value, "\"azure-only\" or \"any-cloud\"")),
        }
    }
}

/// Finds `key = <float>` inside an inline table's source text and returns the float's text.
fn float_text_in(table_text: &str, key: &str) -> Option<String> {
    let at = table_text.find(key)?;
    let after = &table_text[at + key.len()..];
    // A quoted key (`"100B" = 0.1`): past its closing quote.
    let after = after.strip_prefix(['"', '\'']).unwrap_or(after);
    let rest = after.trim_start().strip_prefix('=')?.trim_start();
    let end = rest.find([',', '}', '\n', '#']).unwrap_or(rest.len());
    Some(rest[..end].trim().to_string())
}
