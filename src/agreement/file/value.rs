//! One value of an agreement file, read as what its key takes: money, a rate, a date, a choice of
//! words, a table, a list, or any of them with its provenance.

use super::{found, FileError, FileErrorKind, Table, THIS_FILE};
use crate::agreement::{Basis, Sourced};
use crate::money::AmountError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::ops::Range;
use toml::de::DeValue;

/// One value of the file: its dotted key, where it is, and what it is.
#[derive(Clone)]
pub struct Value<'a> {
    pub key: String,
    pub key_span: Range<usize>,
    pub span: Range<usize>,
    pub(super) value: &'a DeValue<'a>,
}

impl<'a> Value<'a> {
    fn wrong(&self, expected: &str) -> FileError {
        FileError::new(
            self.span.clone(),
            FileErrorKind::WrongType {
                key: self.key.clone(),
                expected: expected.to_string(),
                found: found(self.value),
            },
        )
    }

    /// The text of a number as written: a string's contents, or a number's exact text.
    fn number_text(&self, expected: &str) -> Result<String, FileError> {
        match self.value {
            DeValue::String(s) => Ok(s.to_string()),
            DeValue::Integer(i) => Ok(i.as_str().replace('_', "")),
            DeValue::Float(f) => Ok(f.as_str().replace('_', "")),
            _ => Err(self.wrong(expected)),
        }
    }

    fn parsed(
        &self,
        expected: &str,
        parse: fn(&str) -> Result<Decimal, AmountError>,
    ) -> Result<Decimal, FileError> {
        let text = self.number_text(expected)?;
        parse(&text).map_err(|error| {
            let help = error.hint();
            let e = FileError::new(self.span.clone(), FileErrorKind::Amount { key: self.key.clone(), error });
            match help {
                Some(h) => e.with_help(h),
                None => e,
            }
        })
    }

    pub fn string(&self) -> Result<String, FileError> {
        match self.value {
            DeValue::String(s) => Ok(s.to_string()),
            _ => Err(self.wrong("a string")),
        }
    }

    /// Money where billions are expected: a unit, `$`, or all the digits (`crate::money`).
    pub fn money(&self) -> Result<Decimal, FileError> {
        self.parsed("an amount of money such as \"38B\"", crate::money::parse_large_money)
    }

    /// A rate or fraction between 0 and 1: `"20%"`, `"0.2"`, `0.2`.
    pub fn rate(&self) -> Result<Decimal, FileError> {
        self.parsed("a rate between 0 and 1, such as \"20%\" or \"0.2\"", crate::money::parse_rate)
    }

    pub fn integer(&self) -> Result<i64, FileError> {
        match self.value {
            DeValue::Integer(i) => {
                i.as_str().replace('_', "").parse().map_err(|_| self.wrong("a whole number"))
            }
            _ => Err(self.wrong("a whole number")),
        }
    }

    pub fn boolean(&self) -> Result<bool, FileError> {
        match self.value {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.wrong("true or false")),
        }
    }

    /// A date: bare (`2030-12-31`) or a string, within 1900–2200.
    pub fn date(&self) -> Result<NaiveDate, FileError> {
        let invalid = |text: String| {
            FileError::new(self.span.clone(), FileErrorKind::InvalidDate { key: self.key.clone(), text })
        };
        let date = match self.value {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                        .ok_or_else(|| invalid(dt.to_string()))?
                }
                _ => return Err(invalid(dt.to_string())),
            },
            DeValue::String(s) => {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| invalid(s.to_string()))?
            }
            _ => return Err(self.wrong("a date such as 2030-12-31")),
        };
        let year = i64::from(chrono::Datelike::year(&date));
        if !(crate::period::FIRST_YEAR..=crate::period::LAST_YEAR).contains(&year) {
            return Err(FileError::new(
                self.span.clone(),
                FileErrorKind::YearOutOfRange { key: self.key.clone(), year },
            ));
        }
        Ok(date)
    }

    /// One of a few words: `choice(&[("openai", Party::OpenAi), …])`.
    pub fn choice<T: Copy>(&self, options: &[(&str, T)]) -> Result<T, FileError> {
        let words = options.iter().map(|(w, _)| format!("\"{w}\"")).collect::<Vec<_>>().join(" or ");
        let text = match self.value {
            DeValue::String(s) => s.to_string(),
            _ => return Err(self.wrong(&words)),
        };
        options.iter().find(|(w, _)| *w == text.trim()).map(|(_, t)| *t).ok_or_else(|| {
            let known: Vec<String> = options.iter().map(|(w, _)| w.to_string()).collect();
            let error = FileError::new(
                self.span.clone(),
                FileErrorKind::UnknownValue {
                    key: self.key.clone(),
                    text: text.clone(),
                    expected: words.clone(),
                },
            );
            match crate::text::nearest(&text, &known) {
                Some(k) => error.with_help(format!("did you mean \"{k}\"?")),
                None => error,
            }
        })
    }

    pub fn table(&self) -> Result<Table<'a>, FileError> {
        match self.value {
            DeValue::Table(entries) => Ok(Table {
                key: self.key.clone(),
                span: self.span.clone(),
                entries,
                asked: RefCell::new(Vec::new()),
            }),
            _ => Err(self.wrong("a table")),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self.value, DeValue::Table(_))
    }

    pub fn array(&self) -> Result<Vec<Value<'a>>, FileError> {
        match self.value {
            DeValue::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, item)| Value {
                    key: format!("{}[{i}]", self.key),
                    key_span: item.span(),
                    span: item.span(),
                    value: item.get_ref(),
                })
                .collect()),
            _ => Err(self.wrong("an array")),
        }
    }

    /// A list of strings (`["openai-to-microsoft"]`), each with its span.
    pub fn strings(&self) -> Result<Vec<(String, Range<usize>)>, FileError> {
        self.array()?.iter().map(|v| Ok((v.string()?, v.span.clone()))).collect()
    }

    /// A parameter with its provenance: written plainly (an assumption, this file) or as
    /// `{ value = …, basis = "seed" | "reported" | "assumption", source = "…" }`.
    pub fn sourced<T>(
        &self,
        read: impl Fn(&Value<'a>) -> Result<T, FileError>,
    ) -> Result<Sourced<T>, FileError> {
        let sourced_form = matches!(self.value, DeValue::Table(t) if t.contains_key("value"));
        if !sourced_form {
            return Ok(Sourced {
                value: read(self)?,
                basis: Basis::Assumption,
                source: THIS_FILE.to_string(),
            });
        }
        let table = self.table()?;
        let value = read(&table.required("value")?)?;
        let basis = table.required("basis")?.choice(&[
            ("seed", Basis::Seed),
            ("reported", Basis::Reported),
            ("assumption", Basis::Assumption),
        ])?;
        let source = table.required("source")?.string()?;
        table.finish()?;
        Ok(Sourced { value, basis, source })
    }
}
