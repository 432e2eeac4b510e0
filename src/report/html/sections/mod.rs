//! The three reports: a run (with `--against`), a comparison, and a Monte Carlo run. Each
//! starts with the question it answers and its headline figures; every figure comes from the
//! ledger, summary or Monte Carlo result passed in. This file holds what they share.

mod calibrate;
mod compare;
mod montecarlo;
mod run;

pub use calibrate::calibrate_report;
pub use compare::compare_report;
pub use montecarlo::montecarlo_report;
pub use run::run_report;

use super::page::{Cell, Page};
use crate::analysis::against::Against;
use crate::analysis::explain::Explanation;
use crate::ledger::Summary;
use crate::report::{AssumptionRow, RunInput, StagedFile};

/// A chart to inline: the SVG text and a caption (what the chart shows, as `chart::render`
/// staged it with the file; the SVG's `<desc>` says the same).
pub struct ChartSvg {
    pub svg: String,
    pub caption: String,
}

impl ChartSvg {
    /// The SVG charts among a command's staged files, in order.
    pub fn from_files(files: &[StagedFile]) -> Vec<ChartSvg> {
        files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "svg"))
            .filter_map(|f| {
                let svg = String::from_utf8(f.bytes.clone()).ok()?;
                Some(ChartSvg { svg, caption: f.caption.clone().unwrap_or_default() })
            })
            .collect()
    }
}

/// Everything a run's report shows.
pub struct RunReport<'a> {
    pub run: &'a RunInput<'a>,
    pub against: Option<&'a Against>,
    /// What changed: (older agreement, newer agreement, each change in words).
    pub changes: Option<(String, String, Vec<String>)>,
    /// The explanation of the year the cap binds, when it does.
    pub explanation: Option<Explanation>,
    pub charts: Vec<ChartSvg>,
    /// Warnings the command printed on standard error, repeated on the page.
    pub warnings: Vec<String>,
}

pub(super) fn years(summary: &Summary) -> String {
    format!(
        "{}–{}",
        summary.first_period.clone().unwrap_or_default(),
        summary.last_period.clone().unwrap_or_default()
    )
}

pub(super) fn assumptions_section(page: &mut Page, lists: &[(Option<String>, Vec<AssumptionRow>)]) {
    page.heading("assumptions", "Assumptions and their sources");
    page.muted("Basis: seed = stated in the articles on the revision; reported = press reports, not confirmed; assumption = a modelling choice the scenario can change. Sources: docs/SOURCES.md.");
    let with_scenario = lists.iter().any(|(s, _)| s.is_some());
    let mut header = vec![
        Cell::text("Clause"),
        Cell::text("Parameter"),
        Cell::text("Value"),
        Cell::text("Basis"),
        Cell::text("Source"),
    ];
    if with_scenario {
        header.insert(0, Cell::text("Scenario"));
    }
    let mut rows = Vec::new();
    for (scenario, list) in lists {
        for a in list {
            let mut cells = vec![
                Cell::text(a.subject.clone()),
                Cell::text(a.parameter.clone()),
                Cell::text(a.value.clone()),
                Cell::text(a.basis.clone()),
                Cell::text(a.source.clone()),
            ];
            if let Some(scenario) = scenario {
                cells.insert(0, Cell::text(scenario.clone()));
            }
            rows.push((None, cells));
        }
    }
    page.table("assumptions-table", &header, &rows);
}
