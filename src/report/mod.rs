//! Stage 5: reports. Turns a ledger into text and files (table, CSV, JSON) and writes them so
//! that a failed or interrupted run never leaves a half-written file. Never computes a figure:
//! everything shown comes from the ledger.

mod against;
mod compare;
mod files;
mod montecarlo;
mod table;

pub use against::{against_csv, against_table, attribution_csv, attribution_table};
pub use compare::{compare_csv, compare_table};
pub use files::{write_files, write_outputs, OutputError, Overwrite, StagedFile};
pub use montecarlo::{montecarlo_table, sensitivity_table};
pub use table::{launches_table, ledger_table, ledger_table_fitted, summary_lines, terminal_width};

use crate::ledger::{Ledger, LedgerRow, Summary};
use crate::money::exact;

/// The CSV columns, in order. The first fourteen are the documented interface; the rest add
/// detail (period bounds, days in force, the Microsoft→OpenAI side).
pub const LEDGER_COLUMNS: &[&str] = &[
    "year",
    "revenue",
    "share_rate",
    "share_due",
    "share_paid",
    "cumulative_paid",
    "cap_remaining",
    "cap_reached",
    "microsoft_share_paid",
    "net_to_microsoft",
    "licence",
    "distribution",
    "azure_first",
    "agi_clause",
    "period",
    "period_start",
    "period_end",
    "share_days",
    "microsoft_revenue",
    "microsoft_share_due",
    "non_azure_share",
    "distribution_breach",
    "share_term",
    "rights_changes",
];

fn csv_record(row: &LedgerRow) -> Vec<String> {
    let share_days =
        row.flows.iter().filter(|f| f.is_openai_to_microsoft()).map(|f| f.days_in_force).max().unwrap_or(0);
    vec![
        row.year().to_string(),
        exact(row.revenue),
        row.share_rate.map(exact).unwrap_or_default(),
        exact(row.share_due),
        exact(row.share_paid),
        exact(row.cumulative_paid),
        row.cap_remaining.map(exact).unwrap_or_default(),
        row.cap_reached.to_string(),
        exact(row.microsoft_share_paid),
        exact(row.net_to_microsoft),
        row.licence.to_string(),
        row.distribution.to_string(),
        row.azure_first.to_string(),
        row.agi_clause.to_string(),
        row.period.label.clone(),
        row.period.start.to_string(),
        row.period.end.to_string(),
        share_days.to_string(),
        exact(row.microsoft_revenue),
        exact(row.microsoft_share_due),
        exact(row.non_azure_share),
        row.distribution_breach.to_string(),
        row.share_term.to_string(),
        row.rights_changes.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("; "),
    ]
}

/// `ledger.csv`: one row per period, money as exact decimal strings in whole currency units.
pub fn ledger_csv(ledger: &Ledger) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail except on allocation, which aborts anyway.
    let _ = writer.write_record(LEDGER_COLUMNS);
    for row in &ledger.rows {
        let _ = writer.write_record(csv_record(row));
    }
    writer.into_inner().unwrap_or_default()
}

/// `launches.csv`: per launch, when it is on Azure and on other clouds, and why.
pub fn launches_csv(ledger: &Ledger) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["product", "launch_date", "azure", "other_clouds", "rule"]);
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for l in &ledger.launches {
        let _ = writer.write_record([
            l.product.clone(),
            l.date.to_string(),
            day(l.azure),
            day(l.other_clouds),
            l.rule.clone(),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

/// `ledger.json`: the whole ledger including each clause's trace (`flows`).
pub fn ledger_json(ledger: &Ledger) -> Vec<u8> {
    pretty_json(ledger)
}

/// `summary.json`: totals per clause, net total, the year the cap is reached (or null).
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    pretty_json(summary)
}

/// Pretty JSON with a trailing newline. Our types serialise infallibly (no maps with non-string
/// keys), so an error here is a bug we surface as an empty object rather than a panic.
pub fn pretty_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    bytes
}
