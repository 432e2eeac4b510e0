//! Several scenarios' summaries side by side: one column per scenario, one row per figure.

use super::table::money_cell;
use crate::ledger::Summary;
use crate::money::exact;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use rust_decimal::Decimal;

/// The figures compared, in order: (CSV key, terminal label, how to read it from a summary).
type Cell = fn(&Summary) -> CellValue;

enum CellValue {
    Text(String),
    Money(Decimal),
    /// No value ("never", "uncapped"): an empty CSV cell, these words in the terminal. One
    /// convention per format: CSV empty, JSON null, terminal words.
    Missing(&'static str),
}

const FIGURES: &[(&str, &str, Cell)] = &[
    ("agreement", "Agreement", |s| CellValue::Text(s.agreement.clone())),
    ("periods", "Years", |s| {
        CellValue::Text(format!(
            "{}–{}",
            s.first_period.clone().unwrap_or_default(),
            s.last_period.clone().unwrap_or_default()
        ))
    }),
    ("revenue", "OpenAI revenue", |s| CellValue::Money(s.totals.revenue.value())),
    ("cap", "Cap", |s| match s.openai_to_microsoft_cap() {
        Some(cap) => CellValue::Money(cap),
        None => CellValue::Missing("uncapped"),
    }),
    ("share_due", "Due to Microsoft", |s| CellValue::Money(s.totals.share_due.value())),
    ("share_paid", "Paid to Microsoft", |s| CellValue::Money(s.totals.share_paid.value())),
    ("microsoft_share_paid", "Paid to OpenAI", |s| CellValue::Money(s.totals.microsoft_share_paid.value())),
    ("net_to_microsoft", "Net to Microsoft", |s| CellValue::Money(s.totals.net_to_microsoft.value())),
    ("cap_reached_year", "Cap reached", |s| match s.cap_reached_year {
        Some(y) => CellValue::Text(y.to_string()),
        None => CellValue::Missing("never"),
    }),
];

/// `compare.csv`: `metric,<scenario>,<scenario>…`, money exact.
pub fn compare_csv(summaries: &[&Summary]) -> Result<Vec<u8>, super::OutputError> {
    let header: Vec<String> =
        std::iter::once("metric".to_string()).chain(summaries.iter().map(|s| s.scenario.clone())).collect();
    let rows = FIGURES.iter().map(|(key, _, cell)| {
        std::iter::once(key.to_string())
            .chain(summaries.iter().map(|s| match cell(s) {
                CellValue::Text(t) => t,
                CellValue::Money(m) => exact(m),
                CellValue::Missing(_) => String::new(),
            }))
            .collect::<Vec<String>>()
    });
    super::csv_file("compare.csv", header, rows)
}

/// The same comparison for a terminal.
pub fn compare_table(summaries: &[&Summary], exact_money: bool) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(std::iter::once(String::new()).chain(summaries.iter().map(|s| s.scenario.clone())));
    for (_, label, cell) in FIGURES {
        table.add_row(std::iter::once(label.to_string()).chain(summaries.iter().map(|s| match cell(s) {
            CellValue::Text(t) => t,
            CellValue::Money(m) => money_cell(m, exact_money),
            CellValue::Missing(words) => words.to_string(),
        })));
    }
    for index in 1..=summaries.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}
