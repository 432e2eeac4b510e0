//! Reading agreement files. The TOML is parsed with a span on every key and value (`toml`'s
//! `DeTable`), and each part is read by what owns it: a clause by its kind (`ClauseKind::read`,
//! in the kind's file), the agreement's own keys, pools and invariants in `read.rs`. Every error
//! carries the span of what is wrong, so the file's line and column can be shown; a key nobody
//! asked for is an error naming the nearest one that would have been read.
//!
//! A parameter may be written plainly (`rate = "20%"`: an assumption, "this file") or with its
//! provenance (`rate = { value = "20%", basis = "reported", source = "…" }`, the form the
//! built-ins are written in). Money follows the scenario rules: a unit (`"38B"`), `$` for a
//! small exact amount, or all its digits. Dates are bare TOML dates or `"YYYY-MM-DD"`, within
//! 1900–2200. Numbers written as TOML floats are read from their exact text.

mod invariants;
mod read;
mod value;

pub use value::Value;

pub use read::{
    check_invariant_references, read_agreement, read_timeline, RawTimeline, RawVersion, MAX_CLAUSES,
    MAX_TEXT, MAX_VERSIONS,
};

use crate::money::AmountError;
use std::cell::RefCell;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// What is wrong in an agreement file, and where (a byte span of its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub span: Range<usize>,
    pub kind: Box<FileErrorKind>,
    pub help: Option<String>,
}

/// One variant per mistake; messages name the key (dotted from the clause: `clauses.<id>.rate`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileErrorKind {
    #[error("TOML syntax error: {message}")]
    Syntax { message: String },
    #[error("{key}: unknown key `{name}`; expected one of {expected}")]
    UnknownKey { key: String, name: String, expected: String },
    #[error("{key}: missing key `{name}`")]
    MissingKey { key: String, name: String },
    #[error("{key}: expected {expected}, found {found}")]
    WrongType { key: String, expected: String, found: String },
    #[error("{key}: {error}")]
    Amount { key: String, error: AmountError },
    #[error("{key}: `{text}` is not a date (expected YYYY-MM-DD, e.g. 2026-04-27)")]
    InvalidDate { key: String, text: String },
    #[error("{key}: year {year} is outside 1900..=2200")]
    YearOutOfRange { key: String, year: i64 },
    #[error("{key}: `{text}` is not {expected}")]
    UnknownValue { key: String, text: String, expected: String },
    #[error("{0}")]
    Terms(super::OverrideError),
    #[error("{message}")]
    Invalid { message: String },
}

impl FileError {
    pub fn new(span: Range<usize>, kind: FileErrorKind) -> FileError {
        FileError { span, kind: Box::new(kind), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> FileError {
        self.help = Some(help.into());
        self
    }

    /// An error about what a file says (not its shape), at `span`.
    pub fn invalid(span: Range<usize>, message: impl Into<String>) -> FileError {
        FileError::new(span, FileErrorKind::Invalid { message: message.into() })
    }
}

fn found(value: &DeValue) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the integer {}", i.as_str()),
        DeValue::Float(f) => format!("the float {}", f.as_str()),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date-time {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// A table of the file being read: its keys with their spans, and which of them were read (a key
/// never asked for is refused by `finish`).
pub struct Table<'a> {
    key: String,
    span: Range<usize>,
    entries: &'a DeTable<'a>,
    asked: RefCell<Vec<&'static str>>,
}

impl<'a> Table<'a> {
    /// The document's top-level table.
    pub fn document(doc: &'a Spanned<DeTable<'a>>) -> Table<'a> {
        Table {
            key: String::new(),
            span: doc.span(),
            entries: doc.get_ref(),
            asked: RefCell::new(Vec::new()),
        }
    }

    /// Where this table is in the file, and its dotted name for messages.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn name(&self) -> &str {
        &self.key
    }

    /// Renames the table for messages (a clause is `clauses.<id>` once its id is known).
    pub fn named(mut self, key: String) -> Table<'a> {
        self.key = key;
        self
    }

    fn dotted(&self, name: &str) -> String {
        if self.key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.key)
        }
    }

    /// The value of `name`, if written.
    pub fn get(&self, name: &'static str) -> Option<Value<'a>> {
        if !self.asked.borrow().contains(&name) {
            self.asked.borrow_mut().push(name);
        }
        let (key, value) = self.entries.get_key_value(name)?;
        Some(Value {
            key: self.dotted(name),
            key_span: key.span(),
            span: value.span(),
            value: value.get_ref(),
        })
    }

    /// The value of `name`, which must be written.
    pub fn required(&self, name: &'static str) -> Result<Value<'a>, FileError> {
        self.get(name).ok_or_else(|| {
            FileError::new(
                self.span(),
                FileErrorKind::MissingKey { key: self.key_or_file(), name: name.to_string() },
            )
        })
    }

    fn key_or_file(&self) -> String {
        if self.key.is_empty() {
            "the file".to_string()
        } else {
            self.key.clone()
        }
    }

    /// Refuses any key that was not read, naming the nearest one that is.
    pub fn finish(&self) -> Result<(), FileError> {
        let asked = self.asked.borrow();
        for (key, _) in self.entries.iter() {
            let name: &str = key.get_ref();
            if asked.contains(&name) {
                continue;
            }
            let known: Vec<String> = asked.iter().map(|k| k.to_string()).collect();
            let expected = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let error = FileError::new(
                key.span(),
                FileErrorKind::UnknownKey { key: self.key_or_file(), name: name.to_string(), expected },
            );
            return Err(match crate::text::nearest(name, &known) {
                Some(k) => error.with_help(format!("did you mean `{k}`?")),
                None => error,
            });
        }
        Ok(())
    }

    /// Every key and value, for tables whose keys are data (`amounts = { 2027-06-30 = "1B" }`).
    pub fn entries(&self) -> impl Iterator<Item = (String, Range<usize>, Value<'a>)> + '_ {
        self.entries.iter().map(move |(key, value)| {
            let name: &str = key.get_ref();
            let value = Value {
                key: self.dotted(name),
                key_span: key.span(),
                span: value.span(),
                value: value.get_ref(),
            };
            (name.to_string(), key.span(), value)
        })
    }

    /// `name` read with `read`, when written.
    pub fn optional<T>(
        &self,
        name: &'static str,
        read: impl Fn(&Value<'a>) -> Result<T, FileError>,
    ) -> Result<Option<T>, FileError> {
        self.get(name).map(|v| read(&v)).transpose()
    }
}

/// The source of a parameter written plainly in an agreement file.
pub const THIS_FILE: &str = "this file";

/// Parses an agreement or timeline file's text: the document with its spans, or the syntax
/// error at its place.
pub fn parse(text: &str) -> Result<Spanned<DeTable<'_>>, FileError> {
    DeTable::parse(text).map_err(|e| {
        FileError::new(
            e.span().unwrap_or(0..0),
            FileErrorKind::Syntax { message: e.message().trim().to_string() },
        )
    })
}
