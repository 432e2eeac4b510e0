//! `assumptions.agi_declared`: one date, or a probability-weighted distribution of dates
//! (`{ dist = "dates", 2028-06-30 = "25%", 2030-06-30 = "25%", never = "50%" }`).

use super::{float_text_in, Values};
use crate::scenario::error::{InputError, InputErrorKind};
use crate::scenario::raw::RawValue;
use crate::scenario::{AgiOutcome, FIRST_YEAR, LAST_YEAR};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Value;

const SHAPE: &str =
    "a distribution of AGI dates is { dist = \"dates\", 2028-06-30 = \"25%\", never = \"75%\" }: each date (or `never`) with its probability, adding up to 100%";

impl Values<'_> {
    /// One date (`(Some(date), [])`), or a distribution (`(None, outcomes)`, in date order with
    /// `never` last; the probabilities add up to exactly 1).
    pub fn agi(
        &self,
        key: &str,
        value: &RawValue,
    ) -> Result<(Option<NaiveDate>, Vec<AgiOutcome>), InputError> {
        let Value::Table(table) = value.get_ref() else {
            // `never` as `--set agi_declared=never` writes it: not declared within the run.
            if value.get_ref().as_str().is_some_and(|s| s.trim() == "never") {
                return Ok((None, Vec::new()));
            }
            return Ok((Some(self.date(key, value)?), Vec::new()));
        };
        let fail = |message: String| {
            self.error(value, InputErrorKind::Schema { message: format!("{key}: {message}") })
        };
        if table.get("dist").and_then(Value::as_str) != Some("dates") {
            return Err(fail(SHAPE.to_string()));
        }
        let table_text = &self.source().text[value.span()];
        let mut outcomes = Vec::new();
        for (name, probability) in table.iter().filter(|(k, _)| *k != "dist") {
            let date = if name == "never" {
                None
            } else {
                let date = NaiveDate::parse_from_str(name, "%Y-%m-%d")
                    .map_err(|_| fail(format!("`{name}` is not a date (YYYY-MM-DD) or `never`; {SHAPE}")))?;
                let year = i64::from(chrono::Datelike::year(&date));
                if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
                    return Err(self.error(
                        value,
                        InputErrorKind::YearOutOfRange { key: format!("{key}.{name}"), year },
                    ));
                }
                Some(date)
            };
            let text = match probability {
                Value::String(s) => s.clone(),
                Value::Integer(i) => i.to_string(),
                Value::Float(f) => float_text_in(table_text, name).unwrap_or_else(|| f.to_string()),
                _ => return Err(fail(format!("`{name}` must be a probability such as \"25%\" or 0.25"))),
            };
            let probability = crate::money::parse_rate(&text)
                .map_err(|error| self.amount_error(value, &format!("{key}.{name}"), error))?;
            outcomes.push(AgiOutcome { date, probability });
        }
        if outcomes.len() < 2 {
            return Err(fail(format!("give two or more outcomes (for one, write the date itself); {SHAPE}")));
        }
        let total: Decimal = outcomes.iter().map(|o| o.probability).sum();
        if total != Decimal::ONE {
            return Err(fail(format!(
                "the probabilities add up to {}, not 100%",
                crate::money::percent(total)
            )));
        }
        // `never` sorts after every date.
        outcomes.sort_by_key(|o| (o.date.is_none(), o.date));
        Ok((None, outcomes))
    }
}
