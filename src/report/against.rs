//! Reports of `run --against`: per-year gains and the attribution, as CSV and terminal tables.

use super::table::money_cell;
use super::{serialize_rows, OutputError};
use crate::analysis::against::Against;
use crate::money::Money;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};

/// One row of `against.csv`: per period, Microsoft's net under each agreement and each party's gain.
#[derive(serde::Serialize, Default)]
struct AgainstCsvRow {
    period: String,
    net_to_microsoft: Money,
    against_net_to_microsoft: Money,
    microsoft_gain: Money,
    openai_gain: Money,
}

/// `against.csv`: `period, net_to_microsoft, against_net_to_microsoft, microsoft_gain, openai_gain`.
pub fn against_csv(a: &Against, units: super::Units) -> Result<Vec<u8>, OutputError> {
    serialize_rows(
        super::Output::AgainstCsv.name(),
        units,
        a.rows.iter().map(|row| AgainstCsvRow {
            period: row.period.clone(),
            net_to_microsoft: row.net_to_microsoft,
            against_net_to_microsoft: row.against_net_to_microsoft,
            microsoft_gain: row.microsoft_gain,
            openai_gain: -row.microsoft_gain,
        }),
    )
}

/// One row of `attribution.csv`: a change of terms (or a version's, grouped) and what it is worth.
#[derive(serde::Serialize, Default)]
struct AttributionCsvRow {
    step: usize,
    change: String,
    microsoft_gain: Money,
    openai_gain: Money,
    microsoft_gain_present_value: Money,
    /// Order-free (Shapley) worth of the same change; empty beyond 12 changes.
    #[serde(serialize_with = "crate::money::optional")]
    shapley_microsoft_gain: Option<Money>,
    #[serde(serialize_with = "crate::money::optional")]
    shapley_microsoft_gain_present_value: Option<Money>,
}

/// `attribution.csv`; two agreements with no difference give the header alone.
pub fn attribution_csv(a: &Against, units: super::Units) -> Result<Vec<u8>, OutputError> {
    serialize_rows(
        super::Output::AttributionCsv.name(),
        units,
        a.attribution.iter().enumerate().map(|(i, step)| AttributionCsvRow {
            step: i + 1,
            change: step.change.clone(),
            microsoft_gain: step.microsoft_gain,
            openai_gain: -step.microsoft_gain,
            microsoft_gain_present_value: step.microsoft_gain_present_value,
            shapley_microsoft_gain: step.shapley_microsoft_gain,
            shapley_microsoft_gain_present_value: step.shapley_microsoft_gain_present_value,
        }),
    )
}

fn right_align(table: &mut Table, columns: std::ops::RangeInclusive<usize>) {
    for index in columns {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// Per-year net receipts under both agreements and who gains.
pub fn against_table(a: &Against, exact_money: bool) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "Year".to_string(),
        format!("Net to MS ({})", a.agreement),
        format!("Net to MS ({})", a.against),
        "Microsoft gains".to_string(),
        "OpenAI gains".to_string(),
    ]);
    for row in &a.rows {
        table.add_row([
            row.period.clone(),
            money_cell(row.net_to_microsoft, exact_money),
            money_cell(row.against_net_to_microsoft, exact_money),
            money_cell(row.microsoft_gain, exact_money),
            money_cell(-row.microsoft_gain, exact_money),
        ]);
    }
    table.add_row([
        "Total".to_string(),
        money_cell(a.total_net_to_microsoft, exact_money),
        money_cell(a.against_total_net_to_microsoft, exact_money),
        money_cell(a.microsoft_gain, exact_money),
        money_cell(-a.microsoft_gain, exact_money),
    ]);
    right_align(&mut table, 1..=4);
    table.to_string()
}

/// What each change of terms is worth, in the order applied.
pub fn attribution_table(a: &Against, exact_money: bool) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "#",
        "Change of terms",
        "Microsoft gains",
        "OpenAI gains",
        "PV to Microsoft",
        "Order-free (Shapley)",
    ]);
    for (i, step) in a.attribution.iter().enumerate() {
        table.add_row([
            (i + 1).to_string(),
            step.short.clone(),
            money_cell(step.microsoft_gain, exact_money),
            money_cell(-step.microsoft_gain, exact_money),
            money_cell(step.microsoft_gain_present_value, exact_money),
            step.shapley_microsoft_gain.map_or("—".to_string(), |m| money_cell(m, exact_money)),
        ]);
    }
    right_align(&mut table, 2..=5);
    table.to_string()
}
