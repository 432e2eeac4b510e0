//! Stage 5: reports. Turns a ledger into text and files (table, CSV, JSON) and writes them so
//! that a failed or interrupted run never leaves a half-written file. Never computes a figure:
//! everything shown comes from the ledger.

mod against;
mod analysis;
mod compare;
mod files;
mod montecarlo;
mod table;

pub use against::{against_csv, against_table, attribution_csv, attribution_table};
pub use analysis::{montecarlo_csv, sensitivity_csv, sweep_csv};
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
    "cash_to_microsoft",
    "cash_to_openai",
    "cash_net_to_microsoft",
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
        exact(row.cash_to_microsoft),
        exact(row.cash_to_openai),
        exact(row.cash_net_to_microsoft),
    ]
}

/// `ledger.csv`: one row per period, money as exact decimal strings in whole currency units.
pub fn ledger_csv(ledger: &Ledger) -> Result<Vec<u8>, OutputError> {
    csv_file("ledger.csv", LEDGER_COLUMNS, ledger.rows.iter().map(csv_record))
}

/// `launches.csv`: per launch, when it is on Azure and on other clouds, and why.
pub fn launches_csv(ledger: &Ledger) -> Result<Vec<u8>, OutputError> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    csv_file(
        "launches.csv",
        ["product", "launch_date", "azure", "other_clouds", "rule"],
        ledger.launches.iter().map(|l| {
            [l.product.clone(), l.date.to_string(), day(l.azure), day(l.other_clouds), l.rule.to_string()]
        }),
    )
}

/// `ledger.json`: the whole ledger including each clause's trace (`flows`).
pub fn ledger_json(ledger: &Ledger) -> Result<Vec<u8>, OutputError> {
    pretty_json("ledger.json", ledger)
}

/// `summary.json`: totals per clause, net total, the year the cap is reached (or null).
pub fn summary_json(summary: &Summary) -> Result<Vec<u8>, OutputError> {
    pretty_json("summary.json", summary)
}

/// Pretty JSON with a trailing newline, for the file `file`. An encoding error reaches the user
/// (exit 1, nothing written) rather than a short or empty file.
pub fn pretty_json<T: serde::Serialize>(file: &'static str, value: &T) -> Result<Vec<u8>, OutputError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| OutputError::Encode { file, reason: e.to_string() })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// CSV bytes for the file `file`: a header, then the rows. An encoding error reaches the user
/// (exit 1, nothing written) rather than a file missing rows.
pub fn csv_file<H, R>(
    file: &'static str,
    header: H,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, OutputError>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let failed = |e: &dyn std::fmt::Display| OutputError::Encode { file, reason: e.to_string() };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(|e| failed(&e))?;
    for row in rows {
        writer.write_record(row).map_err(|e| failed(&e))?;
    }
    writer.into_inner().map_err(|e| failed(&e))
}

#[cfg(test)]
mod encode_tests {
    use super::*;

    #[test]
    fn a_record_the_encoder_refuses_is_an_error_not_a_short_file() {
        // A row with a missing field: the CSV writer refuses it, and that reaches the caller.
        let error = csv_file("test.csv", ["a", "b"], [vec!["1", "2"], vec!["3"]]).unwrap_err();
        assert!(matches!(error, OutputError::Encode { file: "test.csv", .. }), "{error}");
        assert!(error.to_string().starts_with("cannot encode test.csv: "), "{error}");
        assert_eq!(csv_file("ok.csv", ["a"], [["1"]]).unwrap(), b"a\n1\n");
    }
}
