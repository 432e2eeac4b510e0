//! A comparison's report: the figures side by side, the overlay chart, every scenario's
//! assumptions.

use super::super::page::{Cell, Page};
use super::{assumptions_section, years, ChartSvg};
use crate::ledger::Summary;
use crate::report::{assumption_rows, AssumptionRow, GainAgainst, RunInput};

/// `report.html` of a comparison: the figures side by side, the overlay chart, and every
/// scenario's assumptions.
pub fn compare_report(
    runs: &[RunInput],
    gains: &[Option<GainAgainst>],
    charts: &[ChartSvg],
    warnings: &[String],
) -> Vec<u8> {
    let names: Vec<String> = runs.iter().map(|r| format!("`{}`", r.summary.scenario)).collect();
    let question = format!(
        "How do {} compare: what Microsoft is paid, what it is worth today, and when the cap binds?",
        names.join(", ")
    );
    let mut page =
        Page::new(&question, "Each scenario under its own agreement and assumptions, side by side.");
    for warning in warnings {
        page.warning(&format!("warning: {warning}"));
    }
    page.heading("comparison", "Side by side");
    let mut header = vec![Cell::text("")];
    header.extend(runs.iter().map(|r| Cell::number(r.summary.scenario.clone())));
    type Pick = fn(&Summary) -> Cell;
    let figures: [(&str, Pick); 10] = [
        ("Agreement", |s| Cell::number(s.agreement.clone())),
        ("Years", |s| Cell::number(years(s))),
        ("OpenAI revenue", |s| Cell::money(s.totals.revenue.value())),
        ("Cap", |s| s.openai_to_microsoft_cap().map_or(Cell::number("uncapped"), Cell::money)),
        ("Share paid to Microsoft", |s| Cell::money(s.totals.share_paid.value())),
        ("All paid to Microsoft", |s| Cell::money(s.totals.paid_to_microsoft.value())),
        ("Paid to OpenAI", |s| Cell::money(s.totals.microsoft_share_paid.value())),
        ("Net to Microsoft", |s| Cell::money(s.totals.net_to_microsoft.value())),
        ("PV net to Microsoft", |s| Cell::money(s.present_value.net_to_microsoft.value())),
        ("Cap reached", |s| Cell::number(s.cap_reached_year.map_or("never".to_string(), |y| y.to_string()))),
    ];
    let mut rows: Vec<(Option<&str>, Vec<Cell>)> = figures
        .iter()
        .map(|(label, pick)| {
            let mut cells = vec![Cell::text(*label)];
            cells.extend(runs.iter().map(|r| pick(r.summary)));
            (None, cells)
        })
        .collect();
    if let Some(name) = gains.iter().flatten().next().map(|g| g.against.clone()) {
        for (label, pick) in [
            (format!("Gain vs {name}"), (|g: &GainAgainst| g.microsoft_gain) as fn(&GainAgainst) -> _),
            (format!("PV gain vs {name}"), |g: &GainAgainst| g.microsoft_gain_present_value),
        ] {
            let mut cells = vec![Cell::text(label)];
            cells.extend(
                gains
                    .iter()
                    .map(|g| g.as_ref().map_or(Cell::number("—"), |g| Cell::money(pick(g).value()))),
            );
            rows.push((None, cells));
        }
    }
    page.table("comparison-table", &header, &rows);
    for chart in charts {
        page.chart(&chart.svg, &chart.caption);
    }
    let lists: Vec<(Option<String>, Vec<AssumptionRow>)> =
        runs.iter().map(|r| (Some(r.summary.scenario.clone()), assumption_rows(r.loaded))).collect();
    assumptions_section(&mut page, &lists);
    page.finish()
}
