//! Monte Carlo results for a terminal: per year, the median and the P5–P95 range.

use super::table::money_cell;
use crate::analysis::montecarlo::MonteCarlo;
use crate::money::percent;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};

pub fn montecarlo_table(mc: &MonteCarlo) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "Year",
        "Revenue P50",
        "Revenue P5–P95",
        "Paid P50",
        "Cumulative P50",
        "Cumulative P5–P95",
        "P(cap reached)",
    ]);
    for y in &mc.years {
        table.add_row([
            y.period.clone(),
            money_cell(y.revenue.p50, false),
            format!("{} – {}", money_cell(y.revenue.p5, false), money_cell(y.revenue.p95, false)),
            money_cell(y.paid.p50, false),
            money_cell(y.cumulative_paid.p50, false),
            format!(
                "{} – {}",
                money_cell(y.cumulative_paid.p5, false),
                money_cell(y.cumulative_paid.p95, false)
            ),
            percent(y.probability_cap_reached),
        ]);
    }
    for index in 1..=6 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}
