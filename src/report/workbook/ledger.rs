//! The ledger sheet (a row per period, totals as formulas) and the Summary sheet (totals that
//! point at it, and the present value rebuilt from a rate cell).

use super::{date, formula, sum, Formats, LedgerSheet, Numbers, RunInput};
use crate::ledger::{LedgerRow, Summary};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// A column of the ledger sheet: its heading and how a row fills it.
enum Cell {
    Text(fn(&LedgerRow) -> String),
    Date(fn(&LedgerRow) -> chrono::NaiveDate),
    /// Money; `Some(total)` gets a `=SUM(…)` in the totals row with this exact result.
    Money(fn(&LedgerRow) -> Option<Decimal>, Option<fn(&Summary) -> Decimal>),
    Rate(fn(&LedgerRow) -> Option<Decimal>),
    Bool(fn(&LedgerRow) -> bool),
}

/// The ledger sheet's columns, in order. `COL_*` below are positions other sheets refer to.
const LEDGER_COLUMNS: &[(&str, bool, Cell)] = &[
    ("Period", false, Cell::Text(|r| r.period.label.clone())),
    ("Start", false, Cell::Date(|r| r.period.start)),
    ("End", false, Cell::Date(|r| r.period.end)),
    ("OpenAI revenue", true, Cell::Money(|r| Some(r.revenue.value()), Some(|s| s.totals.revenue.value()))),
    ("Share rate", false, Cell::Rate(|r| r.share_rate)),
    ("Share due", true, Cell::Money(|r| Some(r.share_due.value()), Some(|s| s.totals.share_due.value()))),
    ("Share paid", true, Cell::Money(|r| Some(r.share_paid.value()), Some(|s| s.totals.share_paid.value()))),
    ("Cumulative paid", true, Cell::Money(|r| Some(r.cumulative_paid.value()), None)),
    ("Cap remaining", true, Cell::Money(|r| r.cap_remaining.map(|m| m.value()), None)),
    ("Cap reached", false, Cell::Bool(|r| r.cap_reached)),
    (
        "Microsoft share paid",
        true,
        Cell::Money(
            |r| Some(r.microsoft_share_paid.value()),
            Some(|s| s.totals.microsoft_share_paid.value()),
        ),
    ),
    (
        "Net to Microsoft",
        true,
        Cell::Money(|r| Some(r.net_to_microsoft.value()), Some(|s| s.totals.net_to_microsoft.value())),
    ),
    (
        "Cash net to Microsoft",
        true,
        Cell::Money(
            |r| Some(r.cash_net_to_microsoft.value()),
            Some(|s| s.totals.cash_net_to_microsoft.value()),
        ),
    ),
    ("Licence", false, Cell::Text(|r| r.licence.to_string())),
    ("Distribution", false, Cell::Text(|r| r.distribution.to_string())),
    ("Azure first", false, Cell::Bool(|r| r.azure_first)),
    ("AGI clause", false, Cell::Bool(|r| r.agi_clause)),
    (
        "Other paid to Microsoft",
        true,
        Cell::Money(
            |r| Some(r.other_paid_to_microsoft.value()),
            Some(|s| s.totals.paid_to_microsoft.value() - s.totals.share_paid.value()),
        ),
    ),
    (
        "Other paid to OpenAI",
        true,
        Cell::Money(
            |r| Some(r.other_paid_to_openai.value()),
            Some(|s| s.totals.paid_to_openai.value() - s.totals.microsoft_share_paid.value()),
        ),
    ),
    ("Purchases", true, Cell::Money(|r| Some(r.purchases.value()), Some(|s| s.totals.purchases.value()))),
];

/// Column positions the Summary and Comparison sheets refer to.
pub(super) const COL_REVENUE: u16 = 3;
pub(super) const COL_SHARE_DUE: u16 = 5;
pub(super) const COL_SHARE_PAID: u16 = 6;
pub(super) const COL_MICROSOFT_PAID: u16 = 10;
pub(super) const COL_NET: u16 = 11;
pub(super) const COL_CASH_NET: u16 = 12;

pub(super) fn write_ledger(
    sheet: &mut Worksheet,
    layout: &LedgerSheet,
    run: &RunInput,
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(), XlsxError> {
    for (column, (heading, money, _)) in LEDGER_COLUMNS.iter().enumerate() {
        let column = column as u16;
        let heading = if *money { f.money_heading(heading) } else { heading.to_string() };
        sheet.write_string_with_format(0, column, heading, &f.header)?;
        sheet.set_column_width(column, if *money { 18 } else { 12 })?;
    }
    sheet.set_column_width(13, 16)?;
    sheet.set_column_width(14, 16)?;
    sheet.set_row_height(0, 32)?;
    sheet.set_freeze_panes(1, 1)?;
    for (i, row) in run.ledger.rows.iter().enumerate() {
        let r = layout.first + i as u32;
        for (column, (_, _, cell)) in LEDGER_COLUMNS.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, column, text(row))?;
                }
                Cell::Date(day) => {
                    sheet.write_datetime_with_format(r, column, date(day(row))?, &f.date)?;
                }
                Cell::Money(amount, _) => {
                    if let Some(amount) = amount(row) {
                        sheet.write_number_with_format(r, column, numbers.money(amount), &f.money)?;
                    }
                }
                Cell::Rate(rate) => {
                    if let Some(rate) = rate(row) {
                        sheet.write_number_with_format(r, column, Numbers::plain(rate), &f.rate)?;
                    }
                }
                Cell::Bool(flag) => {
                    sheet.write_boolean_with_format(r, column, flag(row), &f.boolean)?;
                }
            }
        }
    }
    sheet.write_string_with_format(layout.totals, 0, "Total", &f.label_total)?;
    for (column, (_, _, cell)) in LEDGER_COLUMNS.iter().enumerate().skip(1) {
        let column = column as u16;
        match cell {
            Cell::Money(_, Some(total)) if layout.totals > layout.first => {
                let total = formula(sum(column, layout.first + 1, layout.totals), total(run.summary));
                sheet.write_formula_with_format(layout.totals, column, total, &f.money_total)?;
            }
            _ => {
                sheet.write_blank(layout.totals, column, &f.label_total)?;
            }
        }
    }
    Ok(())
}

pub(super) fn write_summary(
    sheet: &mut Worksheet,
    ledger: &LedgerSheet,
    run: &RunInput,
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(), XlsxError> {
    let s = run.summary;
    sheet.set_column_width(0, 34)?;
    for column in 1..=4 {
        sheet.set_column_width(column, 20)?;
    }
    sheet.write_string_with_format(
        0,
        0,
        format!("Scenario `{}` under `{}`", s.scenario, s.agreement),
        &f.title,
    )?;
    sheet.write_string(1, 0, run.loaded.agreement.title.as_str())?;
    if !run.loaded.scenario.description.is_empty() {
        sheet.write_string(2, 0, run.loaded.scenario.description.as_str())?;
    }
    sheet.write_string(3, 0, "Periods")?;
    sheet.write_string(
        3,
        1,
        format!(
            "{} to {}",
            s.first_period.clone().unwrap_or_default(),
            s.last_period.clone().unwrap_or_default()
        ),
    )?;

    sheet.write_string_with_format(5, 0, "Totals", &f.header)?;
    sheet.write_string_with_format(5, 1, f.units.label(), &f.header)?;
    let totals: [(&str, u16, Decimal); 6] = [
        ("OpenAI revenue", COL_REVENUE, s.totals.revenue.value()),
        ("Share due to Microsoft", COL_SHARE_DUE, s.totals.share_due.value()),
        ("Share paid to Microsoft", COL_SHARE_PAID, s.totals.share_paid.value()),
        ("Paid by Microsoft to OpenAI", COL_MICROSOFT_PAID, s.totals.microsoft_share_paid.value()),
        ("Net to Microsoft", COL_NET, s.totals.net_to_microsoft.value()),
        ("Cash net to Microsoft within the run", COL_CASH_NET, s.totals.cash_net_to_microsoft.value()),
    ];
    let mut row = 6;
    for (label, column, value) in totals {
        sheet.write_string(row, 0, label)?;
        let reference = format!("={}", ledger.cell(ledger.totals, column));
        sheet.write_formula_with_format(row, 1, formula(reference, value), &f.money)?;
        row += 1;
    }
    sheet.write_string(row, 0, "Cap (total, OpenAI → Microsoft)")?;
    match s.openai_to_microsoft_cap() {
        Some(cap) => sheet.write_number_with_format(row, 1, numbers.money(cap), &f.money)?,
        None => sheet.write_string(row, 1, "uncapped")?,
    };
    row += 1;
    sheet.write_string(row, 0, "Cap reached in")?;
    match s.cap_reached_year {
        Some(year) => sheet.write_number(row, 1, f64::from(year))?,
        None => sheet.write_string(row, 1, "never")?,
    };
    write_present_value(sheet, ledger, run, f, row + 2)
}

/// The present value, rebuilt in the sheet from `row` down: change the rate and every factor and
/// the total follow.
fn write_present_value(
    sheet: &mut Worksheet,
    ledger: &LedgerSheet,
    run: &RunInput,
    f: &Formats,
    mut row: u32,
) -> Result<(), XlsxError> {
    let s = run.summary;
    let discounting = &s.present_value.discounting;
    sheet.write_string_with_format(row, 0, "Present value of net cash to Microsoft", &f.header)?;
    row += 1;
    sheet.write_string(row, 0, "Discount rate (a year)")?;
    let rate_cell = format!("$B${}", row + 1);
    sheet.write_number_with_format(row, 1, Numbers::plain(discounting.rate), &f.rate)?;
    row += 1;
    sheet.write_string(row, 0, "Convention")?;
    sheet.write_string(row, 1, discounting.convention.to_string())?;
    row += 1;
    if let Some(valuation) = s.present_value.valuation_date {
        sheet.write_string(row, 0, "Valued at")?;
        sheet.write_datetime_with_format(row, 1, date(valuation)?, &f.date)?;
    }
    row += 2;
    let headings = [
        "Period".to_string(),
        "Years from valuation".to_string(),
        f.money_heading("Net cash to Microsoft"),
        "Discount factor".to_string(),
        f.money_heading("Present value"),
    ];
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, heading.as_str(), &f.header)?;
    }
    sheet.set_row_height(row, 32)?;
    row += 1;
    let first = row;
    let factors = run.ledger.discount_factors().map_err(|e| XlsxError::ParameterError(e.to_string()))?;
    for (i, (ledger_row, factor)) in run.ledger.rows.iter().zip(&factors).enumerate() {
        let years = s
            .present_value
            .valuation_date
            .and_then(|v| discounting.years_from(v, &ledger_row.period))
            .unwrap_or_default();
        let net = ledger_row.cash_net_to_microsoft.value();
        let r = row + 1;
        sheet.write_string(row, 0, ledger_row.period.label.as_str())?;
        sheet.write_number_with_format(row, 1, Numbers::plain(years), &f.years)?;
        sheet.write_formula_with_format(
            row,
            2,
            formula(format!("={}", ledger.cell(ledger.first + i as u32, COL_CASH_NET)), net),
            &f.money,
        )?;
        sheet.write_formula_with_format(
            row,
            3,
            formula(format!("=1/(1+{rate_cell})^B{r}"), *factor),
            &f.factor,
        )?;
        let pv = net.checked_mul(*factor).unwrap_or_default();
        sheet.write_formula_with_format(row, 4, formula(format!("=C{r}*D{r}"), pv), &f.money)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Present value", &f.label_total)?;
    for column in 1..=3 {
        sheet.write_blank(row, column, &f.label_total)?;
    }
    let total = sum(4, first + 1, row);
    sheet.write_formula_with_format(
        row,
        4,
        formula(total, s.present_value.net_to_microsoft.value()),
        &f.money_total,
    )?;
    write_notes(sheet, f, row + 2)
}

/// How the sheet's figures are built, under the present value.
fn write_notes(sheet: &mut Worksheet, f: &Formats, mut row: u32) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        row,
        0,
        "Discount factor = 1 / (1 + rate) ^ years, years counted in whole months from the valuation date to each period's end (end-of-period) or middle (mid-period). dealsim rounds the present value to the cent.",
        &f.note,
    )?;
    row += 1;
    sheet.write_string_with_format(
        row,
        0,
        "Amounts are numbers in dollars (the format shows the unit); Excel keeps 15 significant digits. ledger.csv and ledger.json hold every amount exactly.",
        &f.note,
    )?;
    Ok(())
}
