//! Errors in user input: one variant per mistake, each with the file and (where there is one) the
//! byte span it concerns, so the CLI can say `file:line:col` and show the line.

use crate::agreement::OverrideError;
use crate::money::AmountError;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What was wrong. Messages say what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputErrorKind {
    #[error("cannot read the file: {reason}")]
    Unreadable { reason: String },
    #[error("this is a directory; expected a scenario file (.toml)")]
    IsADirectory,
    #[error("this is {what}, not a file; expected a scenario or agreement file (.toml)")]
    NotAFile { what: &'static str },
    #[error("the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("the file is {size} bytes; scenario and agreement files are limited to {limit} bytes")]
    FileTooLarge { size: u64, limit: u64 },
    #[error("TOML syntax error: {message}")]
    Syntax { message: String },
    #[error("unknown key `{key}`; expected one of {expected}")]
    UnknownKey { key: String, expected: String },
    #[error("missing key `{key}`")]
    MissingKey { key: String },
    #[error("{message}")]
    Schema { message: String },
    #[error("{key}: {error}")]
    Amount { key: String, error: AmountError },
    #[error("{key}: expected {expected}, found {found}")]
    WrongType { key: String, expected: &'static str, found: String },
    #[error("{key}: `{text}` is not a date (expected YYYY-MM-DD, e.g. 2026-04-27)")]
    InvalidDate { key: String, text: String },
    #[error("{key}: year {year} is outside 1900..=2200")]
    YearOutOfRange { key: String, year: i64 },
    #[error("years: `to` ({to}) is before `from` ({from})")]
    YearsReversed { from: i64, to: i64 },
    #[error("{table}: `{key}` is not a year (expected a key like 2026)")]
    NotAYear { table: String, key: String },
    #[error("{table}: {year} is outside the run ({from}..={to}), so it would be ignored")]
    YearOutsideRun { table: String, year: i32, from: i32, to: i32 },
    #[error("revenue.{path}: no revenue for {year}, and nothing to grow it from")]
    MissingRevenue { path: String, year: i32 },
    #[error("revenue.{path}: {year} grows past the 1,000T limit (overflow)")]
    RevenueOverflow { path: String, year: i32 },
    #[error("unknown agreement `{name}`; built-in agreements are {known}, or give a path to an agreement .toml file")]
    UnknownAgreement { name: String, known: String },
    #[error("`{text}` after `@` is not a day; expected YYYY-MM-DD (e.g. `microsoft-openai@2026-01-01`: the version in force that day)")]
    BadPoint { text: String },
    #[error("agreement: cannot read the agreement file {path}: {reason}")]
    AgreementFile { path: String, reason: String },
    #[error("azure_first_exception: `{text}` is not a reading; expected \"and\" or \"or\"")]
    UnknownReading { text: String },
    #[error("discounting: `{text}` is not a convention; expected \"end-of-period\" or \"mid-period\" (\"end-of-year\" and \"mid-year\" are accepted for them)")]
    UnknownConvention { text: String },
    #[error("clouds: `{text}` is not a distribution; expected \"azure-only\" or \"any-cloud\"")]
    UnknownClouds { text: String },
    #[error("name: `{name}` cannot name an output folder: {reason}")]
    BadName { name: String, reason: &'static str },
    #[error("{0}")]
    Override(OverrideError),
    /// What the agreement file reader found wrong in an agreement or timeline file.
    #[error("{0}")]
    File(crate::agreement::file::FileErrorKind),
    #[error("this timeline names itself through its versions ({chain}), so it would never finish reading")]
    TimelineCycle { chain: String },
}

/// A mistake in an input file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file as the user named it.
    pub path: PathBuf,
    /// The file's text, when it could be read, for showing the offending line.
    pub source_text: Option<Arc<str>>,
    /// Byte range of the offending text in `source_text`.
    pub span: Option<Range<usize>>,
    pub kind: Box<InputErrorKind>,
    /// A suggested fix, e.g. "did you mean `cap`?".
    pub help: Option<String>,
}

impl InputError {
    pub fn new(path: &Path, kind: InputErrorKind) -> Self {
        InputError {
            path: path.to_path_buf(),
            source_text: None,
            span: None,
            kind: Box::new(kind),
            help: None,
        }
    }

    pub fn at(source: &Source, span: Range<usize>, kind: InputErrorKind) -> Self {
        InputError {
            path: source.path.clone(),
            source_text: Some(source.text.clone()),
            span: Some(span),
            kind: Box::new(kind),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let text = self.source_text.as_deref()?;
        let offset = self.span.as_ref()?.start.min(text.len());
        let before = text.get(..offset)?;
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        Some((line, col))
    }

    /// `file:line:col` or just `file`.
    pub fn location(&self) -> String {
        match self.line_col() {
            Some((line, col)) => format!("{}:{line}:{col}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location(), self.kind)
    }
}

impl std::error::Error for InputError {}

/// A file's name and text, kept together so errors can point into it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Source { path: path.into(), text: text.into() }
    }

    /// Parses `text` as TOML twice over: first as a plain table, so a syntax error is reported
    /// as one, then into `T`, so schema errors (unknown keys, wrong types) are reported as those.
    pub fn parse_toml<T: serde::de::DeserializeOwned>(&self) -> Result<T, InputError> {
        if let Err(error) = toml::from_str::<toml::Table>(&self.text) {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim().to_string();
            return Err(InputError::at(self, span, InputErrorKind::Syntax { message }));
        }
        toml::from_str::<T>(&self.text).map_err(|e| self.schema_error(&e))
    }

    /// Turns a `toml` deserialisation error into an input error with its span, recognising
    /// unknown keys (to suggest the nearest known one) and missing keys.
    fn schema_error(&self, error: &toml::de::Error) -> InputError {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_string();
        if let Some((key, expected)) = parse_unknown_field(&message) {
            let help = suggest(&key, &expected).map(|k| format!("did you mean `{k}`?"));
            let expected_list = expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let err = InputError::at(self, span, InputErrorKind::UnknownKey { key, expected: expected_list });
            return match help {
                Some(h) => err.with_help(h),
                None => err,
            };
        }
        if let Some(key) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            return InputError::at(self, span, InputErrorKind::MissingKey { key: key.to_string() })
                .with_help(match key {
                    "years" => "add `years = { from = 2026, to = 2032 }`",
                    "revenue" | "openai" => {
                        "add a `[revenue.openai]` table with `by_year = { 2026 = \"30B\" }`"
                    }
                    "from" | "to" => "write years as `{ from = 2026, to = 2032 }`",
                    _ => "see scenarios/README.md for every key",
                });
        }
        InputError::at(self, span, InputErrorKind::Schema { message: describe_expected(&message) })
    }
}

/// serde names our raw structs in "expected struct RawYears"; say what the user should write.
fn describe_expected(message: &str) -> String {
    const SHAPES: &[(&str, &str)] = &[
        ("struct RawYears", "a table like { from = 2026, to = 2032 }"),
        ("struct RawRevenuePath", "a table with `by_year` and/or `growth`"),
        ("struct RawRevenue", "a table with [revenue.openai]"),
        ("struct RawAssumptions", "a table of assumptions ([assumptions])"),
        ("struct RawClauseOverride", "a table of clause parameters"),
        ("struct RawScenario", "a scenario table"),
    ];
    let mut out = message.to_string();
    for (internal, shape) in SHAPES {
        out = out.replace(internal, shape);
    }
    out
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected =
        rest.split('`').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s.to_string()).collect();
    Some((key.to_string(), expected))
}

/// The known key closest to a misspelt one, if it is close enough to be a likely typo.
/// Names people reach for that are not the key's name: the CLI's `rate` is `share_rate` in a
/// file, and "discount" means the rate, not the convention (which is nearer by spelling).
const SYNONYMS: &[(&str, &str)] = &[
    ("rate", "share_rate"),
    ("discount", "discount_rate"),
    ("discount_factor", "discount_rate"),
    ("base", "share_base"),
    ("effective", "effective_date"),
    ("start", "effective_date"),
    ("prior_payments", "prior_payments_toward_cap"),
    ("agi", "agi_declared"),
    ("agi_date", "agi_declared"),
    ("cap_start", "cap_counts_from"),
];

/// The known key a mistyped `key` most likely meant: a synonym first, then the nearest spelling.
pub fn suggest<'a>(key: &str, known: &'a [String]) -> Option<&'a str> {
    let lower = key.to_lowercase();
    SYNONYMS
        .iter()
        .filter(|(alias, _)| *alias == lower)
        .find_map(|(_, target)| known.iter().find(|k| k == target).map(String::as_str))
        .or_else(|| nearest(key, known))
}

pub use crate::text::nearest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        let source = Source::new("s.toml", "a = 1\nbc = \"x\"\n");
        let err = InputError::at(&source, 11..14, InputErrorKind::Schema { message: "m".into() });
        assert_eq!(err.line_col(), Some((2, 6)));
        assert_eq!(err.location(), "s.toml:2:6");
    }

    #[test]
    fn near_misses_get_a_suggestion_and_strangers_do_not() {
        let known: Vec<String> =
            ["cap", "effective_date", "share_rate"].iter().map(|s| s.to_string()).collect();
        assert_eq!(nearest("cpa", &known), Some("cap"));
        assert_eq!(nearest("efective_date", &known), Some("effective_date"));
        assert_eq!(nearest("banana", &known), None);
        let assumptions: Vec<String> =
            ["discount_rate", "discounting", "share_rate"].iter().map(|s| s.to_string()).collect();
        assert_eq!(suggest("discount", &assumptions), Some("discount_rate"));
        assert_eq!(suggest("rate", &assumptions), Some("share_rate"));
    }
}
