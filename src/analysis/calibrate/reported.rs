//! `scenarios/reported.toml`, validated: the figures public reports give, each read against a
//! scenario file (its revenue path and terms), with how far the report may be from the truth;
//! and the priors over the terms nobody has disclosed (`priors.rs`). Every mistake is an
//! `InputError` at its line in the file.

use super::figure::{Column, Measure, Observed, PeriodSpan, Tolerance};
use super::priors::{self, Prior};
use crate::scenario::{self, InputError, InputErrorKind, Loaded, Source, Values};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

type RawValue = Spanned<toml::Value>;

/// A file of reported figures and priors, with every scenario it names loaded.
#[derive(Debug, Clone)]
pub struct ReportedFile {
    pub source: Source,
    pub description: String,
    /// Each scenario file the figures name, once, in the order first named.
    pub scenarios: Vec<Loaded>,
    pub figures: Vec<ReportedFigure>,
    pub priors: Vec<Prior>,
    /// The scenario whose headline figures the posterior predicts (`predict`, else the first
    /// figure's).
    pub predict: usize,
}

/// One reported figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedFigure {
    /// Index into `ReportedFile::scenarios`.
    pub scenario: usize,
    /// The scenario file as the figure names it (`plan-feb-2026.toml`).
    pub scenario_file: String,
    pub measure: Measure,
    pub reported: Observed,
    pub tolerance: Tolerance,
    /// Where it was reported: a key of docs/SOURCES.md (`[S10]`).
    pub source: String,
    /// Whether it weighs as evidence: `false` for a check that reads a report already weighed
    /// against another path (counting one report twice would square its weight).
    pub evidence: bool,
}

impl ReportedFigure {
    /// `plan-feb-2026: share_paid 2026`, for tables and messages.
    pub fn label(&self, scenarios: &[Loaded]) -> String {
        let name = scenarios.get(self.scenario).map_or("?", |l| l.scenario.name.as_str());
        format!("{name}: {}", self.measure)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReported {
    description: Option<Spanned<String>>,
    predict: Option<Spanned<String>>,
    #[serde(default)]
    figures: Vec<Spanned<RawFigure>>,
    #[serde(default)]
    priors: BTreeMap<Spanned<String>, RawValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    scenario: Spanned<String>,
    figure: Spanned<String>,
    period: Option<RawValue>,
    reported: RawValue,
    tolerance: Option<RawValue>,
    source: Spanned<String>,
    evidence: Option<Spanned<bool>>,
}

fn schema(source: &Source, span: std::ops::Range<usize>, message: String) -> InputError {
    InputError::at(source, span, InputErrorKind::Schema { message })
}

/// Reads and validates a reported-figures file and every scenario it names.
pub fn load(path: &Path) -> Result<ReportedFile, InputError> {
    let source = scenario::read_source(path)?;
    let raw: RawReported = source.parse_toml()?;
    if raw.figures.is_empty() {
        return Err(schema(&source, 0..0, "no `[[figures]]`: give at least one reported figure".into())
            .with_help("see scenarios/reported.toml for the shape of a figure"));
    }
    let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut scenarios: Vec<(String, Loaded)> = Vec::new();
    let mut figures = Vec::new();
    for raw_figure in &raw.figures {
        let figure = figure(&source, &folder, raw_figure.get_ref(), &mut scenarios)?;
        figures.push(figure);
    }
    if !figures.iter().any(|f| f.evidence) {
        return Err(schema(
            &source,
            raw.figures[0].span(),
            "every figure has `evidence = false`, so nothing weighs: give at least one as evidence".into(),
        ));
    }
    let predict = match &raw.predict {
        None => figures[0].scenario,
        Some(name) => scenarios.iter().position(|(file, _)| file == name.get_ref()).ok_or_else(|| {
            let named: Vec<&str> = scenarios.iter().map(|(f, _)| f.as_str()).collect();
            schema(
                &source,
                name.span(),
                format!(
                    "predict: `{}` is not a scenario any figure reads; expected one of {}",
                    name.get_ref(),
                    named.join(", ")
                ),
            )
        })?,
    };
    let priors = priors::read(&Values::new(&source), &raw.priors)?;
    Ok(ReportedFile {
        description: raw.description.map(|d| d.into_inner()).unwrap_or_default(),
        scenarios: scenarios.into_iter().map(|(_, l)| l).collect(),
        figures,
        priors,
        predict,
        source,
    })
}

/// One `[[figures]]` entry, loading its scenario the first time it is named.
fn figure(
    source: &Source,
    folder: &Path,
    raw: &RawFigure,
    scenarios: &mut Vec<(String, Loaded)>,
) -> Result<ReportedFigure, InputError> {
    let file = raw.scenario.get_ref().clone();
    let index = match scenarios.iter().position(|(f, _)| *f == file) {
        Some(i) => i,
        None => {
            let loaded = load_scenario(source, raw.scenario.span(), &folder.join(&file))?;
            scenarios.push((file.clone(), loaded));
            scenarios.len() - 1
        }
    };
    let loaded = &scenarios[index].1;
    let v = Values::new(source);
    let measure = measure(source, raw, loaded)?;
    let reported = observed(&v, &measure, &raw.reported)?;
    let tolerance = tolerance(&v, &measure, &reported, raw)?;
    Ok(ReportedFigure {
        scenario: index,
        scenario_file: file,
        measure,
        reported,
        tolerance,
        source: raw.source.get_ref().clone(),
        evidence: raw.evidence.as_ref().is_none_or(|e| *e.get_ref()),
    })
}

/// A scenario a figure reads: its own errors name its own file; a file that is not there is
/// said at the figure's line.
fn load_scenario(source: &Source, span: std::ops::Range<usize>, path: &Path) -> Result<Loaded, InputError> {
    if !path.is_file() {
        return Err(schema(
            source,
            span,
            format!(
                "scenario: {} is not a file (scenario files are named relative to this file's folder)",
                path.display()
            ),
        ));
    }
    scenario::load_file(path)
}

fn measure(source: &Source, raw: &RawFigure, loaded: &Loaded) -> Result<Measure, InputError> {
    let name = raw.figure.get_ref().trim();
    if name == "cap_reached_year" {
        if let Some(period) = &raw.period {
            return Err(schema(
                source,
                period.span(),
                "period: `cap_reached_year` is a year of the whole run; it takes no period".into(),
            ));
        }
        return Ok(Measure::CapReachedYear);
    }
    let column = Column::parse(name).ok_or_else(|| {
        let known = Column::names();
        let hint = scenario::nearest(name, &known).map(|k| format!("did you mean `{k}`?"));
        let error = schema(
            source,
            raw.figure.span(),
            format!(
                "figure: `{name}` is not a money column of ledger.csv or `cap_reached_year`; expected one of {}, cap_reached_year",
                known.join(", ")
            ),
        );
        match hint {
            Some(h) => error.with_help(h),
            None => error,
        }
    })?;
    let Some(period) = &raw.period else {
        return Err(schema(
            source,
            raw.figure.span(),
            format!("`{name}` needs a `period`: a year (2026), a quarter (\"2025-Q1\") or a range summed (\"2026..2030\")"),
        ));
    };
    let span = period_span(source, period, loaded)?;
    Ok(Measure::Column { column, period: span })
}

/// `period`: a year, a quarter, or a range of either, which the scenario's periods must tile.
fn period_span(source: &Source, value: &RawValue, loaded: &Loaded) -> Result<PeriodSpan, InputError> {
    let fail = |message: String| schema(source, value.span(), format!("period: {message}"));
    let text = match value.get_ref() {
        toml::Value::Integer(y) => y.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => {
            return Err(fail(
                "expected a year (2026), a quarter (\"2025-Q1\") or a range (\"2026..2030\")".into(),
            ))
        }
    };
    let bounds = |one: &str| -> Option<(NaiveDate, NaiveDate)> {
        let period = match one.split_once("-Q") {
            Some((y, q)) => crate::period::Period::quarter(y.parse().ok()?, q.parse().ok()?)?,
            None => crate::period::Period::calendar_year(one.parse().ok()?)?,
        };
        Some((period.start, period.end))
    };
    let (first, last) = text.split_once("..").unwrap_or((&text, &text));
    let (Some((start, _)), Some((_, end))) = (bounds(first.trim()), bounds(last.trim())) else {
        return Err(fail(format!(
            "`{text}` is not a year (2026), a quarter (\"2025-Q1\") or a range of them (\"2026..2030\", \"2025-Q1..2025-Q3\")"
        )));
    };
    if start > end {
        return Err(fail(format!("`{text}` runs backwards")));
    }
    let periods = &loaded.scenario.periods;
    let covered: Vec<_> = periods.iter().filter(|p| p.start >= start && p.end <= end).collect();
    let tiles =
        covered.first().is_some_and(|p| p.start == start) && covered.last().is_some_and(|p| p.end == end);
    if !tiles {
        let run = match (periods.first(), periods.last()) {
            (Some(a), Some(b)) => format!("{}..{}", a.label, b.label),
            _ => "none".to_string(),
        };
        return Err(fail(format!(
            "`{text}` is not made of whole periods of `{}` (its periods run {run}{})",
            loaded.scenario.name,
            if periods.len() > 1 && periods[0].year == periods[1].year {
                ", by quarter"
            } else {
                ", by year"
            }
        )));
    }
    Ok(PeriodSpan { label: text, start, end })
}

/// `reported`: money for a money figure, a year (or "never") for `cap_reached_year`.
fn observed(v: &Values, measure: &Measure, value: &RawValue) -> Result<Observed, InputError> {
    match measure {
        Measure::Column { .. } => v.money("reported", value).map(Observed::Money),
        Measure::CapReachedYear => match value.get_ref() {
            toml::Value::Integer(y) => i32::try_from(*y)
                .ok()
                .filter(|y| (1900..=2200).contains(y))
                .map(|y| Observed::Year(Some(y)))
                .ok_or_else(|| schema(v.source(), value.span(), format!("reported: {y} is not a year"))),
            toml::Value::String(s) if s.trim() == "never" => Ok(Observed::Year(None)),
            _ => Err(schema(
                v.source(),
                value.span(),
                "reported: `cap_reached_year` is a year such as 2028, or \"never\"".into(),
            )),
        },
    }
}

/// `tolerance`: for money, a percentage of the reported figure ("10%") or an amount ("0.6B"),
/// above 0; for `cap_reached_year`, none (matched exactly) or years above 0.
fn tolerance(
    v: &Values,
    measure: &Measure,
    reported: &Observed,
    raw: &RawFigure,
) -> Result<Tolerance, InputError> {
    let source = v.source();
    match (measure, &raw.tolerance) {
        (Measure::CapReachedYear, None) => Ok(Tolerance::Exact),
        (Measure::CapReachedYear, Some(value)) => {
            let years = v.amount("tolerance", value, "a number of years above 0", crate::money::parse_multiple)?;
            if years <= rust_decimal::Decimal::ZERO {
                return Err(schema(source, value.span(), "tolerance: years must be above 0 (leave it out to match exactly)".into()));
            }
            Ok(Tolerance::Years(years))
        }
        (Measure::Column { .. }, None) => Err(schema(
            source,
            raw.reported.span(),
            "a money figure needs a `tolerance` above 0: how far the report may be from the truth, as a percentage (\"10%\") or an amount (\"0.6B\")".into(),
        )),
        (Measure::Column { .. }, Some(value)) => {
            let text = match value.get_ref() {
                toml::Value::String(s) => s.trim().to_string(),
                _ => String::new(),
            };
            let amount = if let Some(percent) = text.strip_suffix('%') {
                let fraction = crate::money::parse_rate(&format!("{percent}%"))
                    .map_err(|e| schema(source, value.span(), format!("tolerance: {e}")))?;
                let Observed::Money(reported) = reported else {
                    return Err(schema(source, value.span(), "tolerance: a percentage needs a money figure".into()));
                };
                (reported.abs() * fraction).round_dp(2)
            } else {
                v.money("tolerance", value).map_err(|e| {
                    e.with_help("a tolerance is a percentage of the reported figure (\"10%\") or an amount (\"0.6B\")")
                })?
            };
            if amount <= rust_decimal::Decimal::ZERO {
                return Err(schema(source, value.span(), "tolerance: must be above 0 (a report is never exact)".into()));
            }
            Ok(Tolerance::Money(amount))
        }
    }
}
