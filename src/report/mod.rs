//! Stage 5: reports. Turns a ledger into text and files (table, CSV, JSON) and writes them so
//! that a failed or interrupted run never leaves a half-written file. Never computes a figure:
//! everything shown comes from the ledger.

mod against;
mod analysis;
mod assumptions;
mod calibrate;
mod compare;
mod files;
mod flows;
pub mod html;
mod montecarlo;
mod outputs;
mod table;
mod units;
mod workbook;

pub use against::{against_csv, against_table, attribution_csv, attribution_table};
pub use analysis::{montecarlo_csv, sensitivity_csv, sweep_csv, sweep_money_columns, SweepCsv};
pub use assumptions::{assumption_rows, AssumptionRow};
pub use calibrate::{
    calibrate_csv, calibrate_json, calibrate_table, distance_words, most_probable_words, share, unknown_rows,
};
pub use compare::{compare_csv, compare_table, pivot_table, GainAgainst};
pub use files::{
    stream_file, with_excel_bom, write_files, write_outputs, write_outputs_with, OutputError, Overwrite,
    PreWritten, StagedFile, StreamOut, UTF8_BOM,
};
pub use flows::flows_csv;
pub use montecarlo::{montecarlo_table, sensitivity_table};
pub use outputs::{FileKind, Output};
pub use table::{launches_table, ledger_table, ledger_table_fitted, summary_lines, terminal_width};
pub use units::{OutputOptions, Units};
pub use workbook::{compare_workbook, run_workbook, RunInput, WorkbookFile};

use crate::ledger::{Ledger, LedgerRow, Summary};
use crate::money::{exact, Money};

/// One row of `ledger.csv`: the field names are the column names, in order, so a column cannot
/// drift from its value. The first fourteen are the documented interface; the rest add detail
/// (period bounds, days in force, the Microsoft→OpenAI side, rights changes, cash). Money is an
/// exact decimal string; an absent value is an empty cell.
#[derive(serde::Serialize, Default)]
struct LedgerCsvRow {
    year: i32,
    revenue: Money,
    share_rate: String,
    share_due: Money,
    share_paid: Money,
    cumulative_paid: Money,
    /// Empty when uncapped.
    #[serde(serialize_with = "crate::money::optional")]
    cap_remaining: Option<Money>,
    cap_reached: bool,
    microsoft_share_paid: Money,
    net_to_microsoft: Money,
    licence: String,
    distribution: String,
    azure_first: bool,
    agi_clause: bool,
    period: String,
    period_start: String,
    period_end: String,
    share_days: i64,
    microsoft_revenue: Money,
    microsoft_share_due: Money,
    non_azure_share: String,
    distribution_breach: bool,
    share_term: String,
    rights_changes: String,
    cash_to_microsoft: Money,
    cash_to_openai: Money,
    cash_net_to_microsoft: Money,
    /// Payments other than revenue shares (top-ups, fixed, milestones, shortfalls), each way,
    /// and purchases under purchase commitments (never payments); `flows.csv` has each clause.
    other_paid_to_microsoft: Money,
    other_paid_to_openai: Money,
    purchases: Money,
}

impl LedgerCsvRow {
    fn of(row: &LedgerRow) -> LedgerCsvRow {
        LedgerCsvRow {
            year: row.year(),
            revenue: row.revenue,
            share_rate: row.share_rate.map(exact).unwrap_or_default(),
            share_due: row.share_due,
            share_paid: row.share_paid,
            cumulative_paid: row.cumulative_paid,
            cap_remaining: row.cap_remaining,
            cap_reached: row.cap_reached,
            microsoft_share_paid: row.microsoft_share_paid,
            net_to_microsoft: row.net_to_microsoft,
            licence: row.licence.to_string(),
            distribution: row.distribution.to_string(),
            azure_first: row.azure_first,
            agi_clause: row.agi_clause,
            period: row.period.label.clone(),
            period_start: row.period.start.to_string(),
            period_end: row.period.end.to_string(),
            share_days: row
                .flows
                .iter()
                .filter(|f| f.is_openai_to_microsoft())
                .map(|f| f.days_in_force)
                .max()
                .unwrap_or(0),
            microsoft_revenue: row.microsoft_revenue,
            microsoft_share_due: row.microsoft_share_due,
            non_azure_share: exact(row.non_azure_share),
            distribution_breach: row.distribution_breach,
            share_term: row.share_term.to_string(),
            rights_changes: row.rights_changes.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("; "),
            cash_to_microsoft: row.cash_to_microsoft,
            cash_to_openai: row.cash_to_openai,
            cash_net_to_microsoft: row.cash_net_to_microsoft,
            other_paid_to_microsoft: row.other_paid_to_microsoft,
            other_paid_to_openai: row.other_paid_to_openai,
            purchases: row.purchases,
        }
    }
}

/// `ledger.csv`: one row per period (`LedgerCsvRow`), money as exact decimal strings in whole
/// currency units.
pub fn ledger_csv(ledger: &Ledger, units: Units) -> Result<Vec<u8>, OutputError> {
    serialize_rows(Output::LedgerCsv.name(), units, ledger.rows.iter().map(LedgerCsvRow::of))
}

/// CSV bytes for `file` from serde rows: the header is the row type's field names (read from a
/// default row, which is not written), each money column named in `--units` when it is not raw
/// dollars; a file with no rows still gets its header. An encoding error reaches the user (exit
/// 1, nothing written) rather than a short file.
pub(crate) fn serialize_rows<R: serde::Serialize + Default>(
    file: &'static str,
    units: Units,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, OutputError> {
    let failed = |e: &dyn std::fmt::Display| OutputError::Encode { file, reason: e.to_string() };
    let header = money_header::<R>(units).map_err(|e| failed(&e))?;
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    writer.write_record(&header).map_err(|e| failed(&e))?;
    crate::money::with_csv_mode(units.csv_mode(), || {
        for row in rows {
            writer.serialize(row).map_err(|e| failed(&e))?;
        }
        Ok::<(), OutputError>(())
    })?;
    let bytes = writer.into_inner().map_err(|e| failed(&e))?;
    neutralise_formulas(&bytes).map_err(|e| failed(&e))
}

/// CSV formula injection (OWASP): a spreadsheet runs a cell that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return as a formula, so a product or agreement name `=1+2` or
/// `=HYPERLINK(…)` would run when the file is opened. Such text cells get a leading `'`, which
/// spreadsheets show as text; numbers (negative money: `-4093150684.93`) are left as they are.
fn neutralise_formulas(bytes: &[u8]) -> Result<Vec<u8>, csv::Error> {
    let starts_formula = |field: &str| field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let is_number = |field: &str| field.parse::<rust_decimal::Decimal>().is_ok();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    let mut records = Vec::new();
    let mut changed = false;
    for record in reader.records() {
        let record = record?;
        if record.iter().any(|f| starts_formula(f) && !is_number(f)) {
            changed = true;
        }
        records.push(record);
    }
    if !changed {
        return Ok(bytes.to_vec());
    }
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    for record in &records {
        let fields = record.iter().map(|f| {
            if starts_formula(f) && !is_number(f) {
                format!("'{f}")
            } else {
                f.to_string()
            }
        });
        writer.write_record(fields)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// A row type's column names with the unit after each money column (`share_paid_usd_bn`):
/// which columns are money is read by writing a default row with money marked.
pub(crate) fn money_header<R: serde::Serialize + Default>(units: Units) -> Result<Vec<String>, csv::Error> {
    let mut probe = csv::Writer::from_writer(Vec::new());
    crate::money::with_csv_mode(crate::money::CsvMode::Probe, || probe.serialize(R::default()))?;
    let bytes = probe.into_inner().map_err(|e| e.into_error())?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[..]);
    let names = reader.headers()?.clone();
    let marks = reader.records().next().transpose()?.unwrap_or_default();
    Ok(names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if marks.get(i) == Some(crate::money::MONEY_MARK) {
                format!("{name}{}", units.column_suffix())
            } else {
                name.to_string()
            }
        })
        .collect())
}

/// The money columns of a row type, by name (as written in raw currency units): read, as
/// `money_header` does, by writing a default row with money marked.
pub(crate) fn money_columns<R: serde::Serialize + Default>() -> Vec<String> {
    let plain = money_header::<R>(Units::Raw).unwrap_or_default();
    let marked = money_header::<R>(Units::Billions).unwrap_or_default();
    plain.into_iter().zip(marked).filter(|(a, b)| a != b).map(|(a, _)| a).collect()
}

/// Which columns of `ledger.csv` are money (for a reader that types them, as the Python package).
pub fn ledger_money_columns() -> Vec<String> {
    money_columns::<LedgerCsvRow>()
}

/// Which columns of `flows.csv` are money.
pub fn flows_money_columns() -> Vec<String> {
    money_columns::<flows::FlowCsvRow>()
}

/// One row of `launches.csv`: a launch, the day it is on Azure and on other clouds (empty when
/// never), and the rule that decided it.
#[derive(serde::Serialize, Default)]
struct LaunchCsvRow {
    product: String,
    launch_date: String,
    azure: String,
    other_clouds: String,
    /// What the rule decided, as a word a program can filter on: `any-cloud`, `azure-first`,
    /// `released`, `held`, `azure-only`.
    state: &'static str,
    rule: String,
}

/// `launches.csv`: per launch, when it is on Azure and on other clouds, and why (written only for
/// scenarios with launches).
pub fn launches_csv(ledger: &Ledger, units: Units) -> Result<Vec<u8>, OutputError> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    serialize_rows(
        Output::LaunchesCsv.name(),
        units,
        ledger.launches.iter().map(|l| LaunchCsvRow {
            product: l.product.clone(),
            launch_date: l.date.to_string(),
            azure: day(l.azure),
            other_clouds: day(l.other_clouds),
            state: l.rule.state(),
            rule: l.rule.to_string(),
        }),
    )
}

/// `ledger.json`: the whole ledger including each clause's trace (`flows`).
pub fn ledger_json(ledger: &Ledger) -> Result<Vec<u8>, OutputError> {
    pretty_json(Output::LedgerJson.name(), ledger)
}

/// `summary.json`: totals per clause, net total, the year the cap is reached (or null).
pub fn summary_json(summary: &Summary) -> Result<Vec<u8>, OutputError> {
    pretty_json(Output::SummaryJson.name(), summary)
}

/// Pretty JSON with a trailing newline, for the file `file`. An encoding error reaches the user
/// (exit 1, nothing written) rather than a short or empty file.
pub fn pretty_json<T: serde::Serialize>(file: &'static str, value: &T) -> Result<Vec<u8>, OutputError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| OutputError::Encode { file, reason: e.to_string() })?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod encode_tests {
    use super::*;

    #[test]
    fn a_record_the_encoder_refuses_is_an_error_not_a_short_file() {
        // A row with a missing field: the CSV writer refuses it, and that reaches the caller.
        let error = serialize_rows("test.csv", Units::Raw, [vec!["1", "2"], vec!["3"]]).unwrap_err();
        assert!(matches!(error, OutputError::Encode { file: "test.csv", .. }), "{error}");
        assert!(error.to_string().starts_with("cannot encode test.csv: "), "{error}");
        #[derive(serde::Serialize, Default)]
        struct Row {
            a: Money,
            b: Option<Money>,
        }
        let rows = [Row { a: Money(rust_decimal::Decimal::new(1960, 2)), b: None }];
        assert_eq!(serialize_rows("ok.csv", Units::Raw, rows).unwrap(), b"a,b\n19.6,\n");
        assert_eq!(
            serialize_rows("empty.csv", Units::Raw, Vec::<Row>::new()).unwrap(),
            b"a,b\n",
            "a header, no rows"
        );
    }

    #[test]
    fn csv_formula_injection_text_cells_get_a_quote_and_numbers_do_not() {
        #[derive(serde::Serialize, Default)]
        struct Row {
            product: String,
            amount: String,
        }
        let rows = ["=1+2", "@SUM(A1)", "+cmd", "-x", "\tx", "plain"]
            .map(|p| Row { product: p.to_string(), amount: "-4093150684.93".to_string() });
        let bytes = serialize_rows("launches.csv", Units::Raw, rows).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "product,amount\n'=1+2,-4093150684.93\n'@SUM(A1),-4093150684.93\n'+cmd,-4093150684.93\n'-x,-4093150684.93\n'\tx,-4093150684.93\nplain,-4093150684.93\n"
        );
    }
}
