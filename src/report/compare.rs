//! Several scenarios' summaries side by side: `compare.csv` one row per scenario (tidy, a serde
//! row), the terminal one column per scenario.

use super::table::money_cell;
use crate::ledger::Summary;
use crate::money::Money;
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
    ("share_due", "Share due", |s| CellValue::Money(s.totals.share_due.value())),
    ("share_paid", "Share paid", |s| CellValue::Money(s.totals.share_paid.value())),
    // Every payment each way: shares, and top-ups, fixed payments, milestones and shortfalls.
    ("paid_to_microsoft", "Paid to Microsoft", |s| CellValue::Money(s.totals.paid_to_microsoft.value())),
    ("paid_to_openai", "Paid to OpenAI", |s| CellValue::Money(s.totals.paid_to_openai.value())),
    ("net_to_microsoft", "Net to Microsoft", |s| CellValue::Money(s.totals.net_to_microsoft.value())),
    ("present_value", "PV net to Microsoft", |s| CellValue::Money(s.present_value.net_to_microsoft.value())),
    ("cap_reached_year", "Cap reached", |s| match s.cap_reached_year {
        Some(y) => CellValue::Text(y.to_string()),
        None => CellValue::Missing("never"),
    }),
];

/// One row of `compare.csv`: a scenario's totals. Money exact; `cap` empty when uncapped and
/// `cap_reached_year` empty when never reached.
#[derive(serde::Serialize, Default)]
struct CompareCsvRow {
    scenario: String,
    agreement: String,
    first_period: String,
    last_period: String,
    revenue: Money,
    #[serde(serialize_with = "crate::money::optional")]
    cap: Option<Money>,
    share_due: Money,
    share_paid: Money,
    microsoft_share_paid: Money,
    net_to_microsoft: Money,
    /// Of the net, at each scenario's own discount rate and convention.
    present_value_net_to_microsoft: Money,
    cap_reached_year: Option<i32>,
    /// With `--against NAME`: that agreement, and what Microsoft gains under the scenario's own
    /// terms instead (nominal and present value); empty without it.
    against: Option<String>,
    #[serde(serialize_with = "crate::money::optional")]
    microsoft_gain_against: Option<Money>,
    #[serde(serialize_with = "crate::money::optional")]
    microsoft_gain_present_value_against: Option<Money>,
    /// Every payment each way (shares and every other kind: top-ups, fixed, milestones,
    /// shortfalls).
    paid_to_microsoft: Money,
    paid_to_openai: Money,
}

/// What one scenario's terms are worth to Microsoft against another agreement (`--against`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GainAgainst {
    pub against: String,
    pub microsoft_gain: Money,
    pub microsoft_gain_present_value: Money,
}

/// `compare.csv`: one row per scenario (`CompareCsvRow`), ready for a spreadsheet or a data frame.
pub fn compare_csv(
    summaries: &[&Summary],
    gains: &[Option<GainAgainst>],
    units: super::Units,
) -> Result<Vec<u8>, super::OutputError> {
    super::serialize_rows(
        super::Output::CompareCsv.name(),
        units,
        summaries.iter().zip(gains.iter().chain(std::iter::repeat(&None))).map(|(s, gain)| CompareCsvRow {
            scenario: s.scenario.clone(),
            agreement: s.agreement.clone(),
            first_period: s.first_period.clone().unwrap_or_default(),
            last_period: s.last_period.clone().unwrap_or_default(),
            revenue: s.totals.revenue,
            cap: s.openai_to_microsoft_cap().map(Money),
            share_due: s.totals.share_due,
            share_paid: s.totals.share_paid,
            microsoft_share_paid: s.totals.microsoft_share_paid,
            net_to_microsoft: s.totals.net_to_microsoft,
            present_value_net_to_microsoft: s.present_value.net_to_microsoft,
            cap_reached_year: s.cap_reached_year,
            against: gain.as_ref().map(|g| g.against.clone()),
            microsoft_gain_against: gain.as_ref().map(|g| g.microsoft_gain),
            microsoft_gain_present_value_against: gain.as_ref().map(|g| g.microsoft_gain_present_value),
            paid_to_microsoft: s.totals.paid_to_microsoft,
            paid_to_openai: s.totals.paid_to_openai,
        }),
    )
}

/// The same comparison for a terminal.
pub fn compare_table(summaries: &[&Summary], gains: &[Option<GainAgainst>], exact_money: bool) -> String {
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
    if let Some(Some(first)) = gains.first() {
        let cell = |pick: fn(&GainAgainst) -> Money| {
            gains
                .iter()
                .map(move |g| g.as_ref().map_or("—".to_string(), |g| money_cell(pick(g), exact_money)))
        };
        table
            .add_row(std::iter::once(format!("Gain vs {}", first.against)).chain(cell(|g| g.microsoft_gain)));
        table.add_row(
            std::iter::once(format!("PV gain vs {}", first.against))
                .chain(cell(|g| g.microsoft_gain_present_value)),
        );
    }
    for index in 1..=summaries.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

/// Two varied parameters as rows × columns: `figures[r * columns.len() + c]` is the run with the
/// first parameter at `rows[r]` and the second at `columns[c]` (the order `run --set` makes
/// them). `title` names the figure, shown in the corner.
pub fn pivot_table(
    title: &str,
    (row_param, rows): (&str, &[String]),
    (column_param, columns): (&str, &[String]),
    figures: &[Money],
    exact_money: bool,
) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(
        std::iter::once(format!("{title}: {row_param} ↓ {column_param} →"))
            .chain(columns.iter().map(|c| format!("{column_param}={c}"))),
    );
    for (r, row) in rows.iter().enumerate() {
        let cells =
            figures.iter().skip(r * columns.len()).take(columns.len()).map(|m| money_cell(*m, exact_money));
        table.add_row(std::iter::once(format!("{row_param}={row}")).chain(cells));
    }
    for index in 1..=columns.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}
