//! Every parameter a run rests on, with its basis and source: the agreement's clauses as the
//! scenario's assumptions left them, and the scenario's own settings. One list for the
//! workbook's Assumptions sheet and the HTML report.

use crate::agreement::describe;
use crate::scenario::Loaded;

/// One parameter: what it belongs to, its value for a reader, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumptionRow {
    /// The clause id, or `scenario` for the scenario's own settings.
    pub subject: String,
    pub parameter: String,
    pub value: String,
    /// `seed`, `reported`, `assumption`, or empty for structural facts (who pays whom).
    pub basis: String,
    pub source: String,
}

/// A scenario file's path as the files a memo is built on show it: relative to the working
/// folder when inside it, else its name alone, so a report sent outside never shows the sender's
/// folders (`/home/…/scenarios/base.toml`).
pub fn shown_path(path: &std::path::Path) -> String {
    if path.is_relative() {
        return path.display().to_string();
    }
    let inside = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()));
    inside.unwrap_or_else(|| {
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    })
}

/// The parameters of `loaded`, agreement first (effective date, then each clause in order),
/// then the scenario's settings.
pub fn assumption_rows(loaded: &Loaded) -> Vec<AssumptionRow> {
    let agreement = &loaded.agreement;
    let file = shown_path(&loaded.source.path);
    let mut rows = vec![AssumptionRow {
        subject: agreement.name.clone(),
        parameter: "effective date".to_string(),
        value: agreement.effective.value.to_string(),
        basis: agreement.effective.basis.to_string(),
        source: agreement.effective.source.clone(),
    }];
    for clause in &agreement.clauses {
        for p in describe::parameters(agreement, clause) {
            rows.push(AssumptionRow {
                subject: clause.id().to_string(),
                parameter: p.name.label().to_string(),
                value: p.shown().to_string(),
                basis: p.basis.map(|b| b.to_string()).unwrap_or_default(),
                source: p.source.unwrap_or_default(),
            });
        }
    }
    let s = &loaded.scenario;
    // Whether the file sets a key, read from its own text: a value equal to the default may
    // still be the file's.
    let table: Option<toml::Table> = toml::from_str(&loaded.source.text).ok();
    let sets = |section: &str, key: &str| {
        table
            .as_ref()
            .and_then(|t| t.get(section))
            .and_then(|v| v.as_table())
            .is_some_and(|t| t.contains_key(key))
    };
    let source = |section: &str, key: &str, default: &str| {
        if sets(section, key) {
            format!("{file}: {section}.{key}")
        } else {
            format!("not set in {file}: {default}")
        }
    };
    let mut setting = |parameter: &str, value: String, source: String| {
        rows.push(AssumptionRow {
            subject: "scenario".to_string(),
            parameter: parameter.to_string(),
            value,
            basis: "assumption".to_string(),
            source,
        })
    };
    let periods = match (s.periods.first(), s.periods.last()) {
        (Some(first), Some(last)) => format!("{} to {}", first.label, last.label),
        _ => "none".to_string(),
    };
    setting("periods", periods, format!("{file}: years"));
    setting("OpenAI revenue", "by period (see the ledger)".to_string(), format!("{file}: revenue.openai"));
    setting(
        "prior payments toward the cap",
        crate::money::exact(s.prior_payments_toward_cap),
        source("assumptions", "prior_payments_toward_cap", "none count (docs/SOURCES.md Q3)"),
    );
    let agi = if s.agi_outcomes.is_empty() {
        s.agi_declared.map_or("never".to_string(), |d| d.to_string())
    } else {
        crate::scenario::agi_outcomes_words(&s.agi_outcomes)
    };
    setting("AGI declared", agi, source("assumptions", "agi_declared", "never declared in the run"));
    setting(
        "discount rate",
        crate::money::percent(s.discounting.rate),
        source("assumptions", "discount_rate", "the default, 8% (docs/SOURCES.md)"),
    );
    setting(
        "discounting",
        s.discounting.convention.to_string(),
        source("assumptions", "discounting", "the default, end-of-period"),
    );
    rows
}
