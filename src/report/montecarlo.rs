//! Monte Carlo results for a terminal: per year, the median and the P5–P95 range.

use super::table::money_cell;
use crate::analysis::montecarlo::MonteCarlo;
use crate::money::percent;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};

pub fn montecarlo_table(mc: &MonteCarlo) -> String {
    let mut table = Table::new();
    // Microsoft's revenue (drawn as OpenAI's is) when the scenario has any.
    let microsoft = mc.years.iter().any(|y| !y.microsoft_revenue.p95.value().is_zero());
    let mut header = vec![
        "Year",
        "Revenue P50",
        "Revenue P5–P95",
        "Paid P50",
        "Cumulative P50",
        "Cumulative P5–P95",
        "P(cap reached)",
    ];
    if microsoft {
        header.push("Microsoft revenue P50");
    }
    table.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    for y in &mc.years {
        let mut row = vec![
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
        ];
        if microsoft {
            row.push(money_cell(y.microsoft_revenue.p50, false));
        }
        table.add_row(row);
    }
    for index in 1..=7 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

/// Sensitivity results for a terminal, ranked.
pub fn sensitivity_table(report: &crate::analysis::sensitivity::SensitivityReport) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "#",
        "Input",
        "Range",
        "PV at low",
        "PV at high",
        "Swing",
        "Net total low – high",
    ]);
    for (i, s) in report.inputs.iter().enumerate() {
        table.add_row([
            (i + 1).to_string(),
            s.input.clone(),
            format!("{} – {}", s.low, s.high),
            money_cell(s.pv_low, false),
            money_cell(s.pv_high, false),
            money_cell(s.pv_swing, false),
            format!("{} – {}", money_cell(s.total_low, false), money_cell(s.total_high, false)),
        ]);
    }
    for index in 3..=6 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!(
        "{table}\nAs written: net to Microsoft {}, present value {}",
        money_cell(report.base_total, false),
        money_cell(report.base_pv, false)
    )
}
