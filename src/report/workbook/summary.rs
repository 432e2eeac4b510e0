//! The Summary sheet: the totals, pointing at the ledger sheet's totals row; the cap and the
//! discount rate, pointing at the Inputs sheet; and the present value rebuilt from them.

use super::ledger::{
    COL_CAP_REACHED, COL_CASH_NET, COL_MICROSOFT_PAID, COL_NET, COL_REVENUE, COL_SHARE_DUE, COL_SHARE_PAID,
};
use super::model::Model;
use super::{date, formula, sum, Formats, LedgerSheet, Numbers, RunInput};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

pub(super) fn write_summary(
    sheet: &mut Worksheet,
    ledger: &LedgerSheet,
    run: &RunInput,
    model: &Model,
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
    match (s.openai_to_microsoft_cap(), model.inputs.find("cap")) {
        (Some(cap), Some(input)) => {
            numbers.money(cap);
            sheet.write_formula_with_format(
                row,
                1,
                formula(format!("={}", model.inputs.cell(input)), cap),
                &f.money,
            )?
        }
        (Some(cap), None) => sheet.write_number_with_format(row, 1, numbers.money(cap), &f.money)?,
        (None, _) => sheet.write_string(row, 1, "uncapped")?,
    };
    row += 1;
    sheet.write_string(row, 0, "Cap reached in")?;
    // The year of the first period whose `Cap reached` is TRUE.
    let (first, last) = (ledger.first + 1, ledger.totals);
    let reached = ledger.column(COL_CAP_REACHED, first, last);
    let starts = ledger.column(1, first, last);
    let text = format!("=IFERROR(YEAR(INDEX({starts},MATCH(TRUE(),{reached},0))),\"never\")");
    let cached = s.cap_reached_year.map_or_else(|| "never".to_string(), |y| y.to_string());
    sheet.write_formula(row, 1, Formula::new(text).set_result(cached))?;
    write_present_value(sheet, ledger, run, model, f, row + 2)
}

/// The present value, rebuilt in the sheet from `row` down: change the rate and every factor and
/// the total follow.
fn write_present_value(
    sheet: &mut Worksheet,
    ledger: &LedgerSheet,
    run: &RunInput,
    model: &Model,
    f: &Formats,
    mut row: u32,
) -> Result<(), XlsxError> {
    let s = run.summary;
    let discounting = &s.present_value.discounting;
    sheet.write_string_with_format(row, 0, "Present value of net cash to Microsoft", &f.header)?;
    row += 1;
    sheet.write_string(row, 0, "Discount rate (a year)")?;
    let rate_cell = format!("$B${}", row + 1);
    let rate = formula(format!("={}", model.inputs.cell(model.discount_rate)), discounting.rate);
    sheet.write_formula_with_format(row, 1, rate, &f.rate)?;
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
    let total = format!("=ROUND({},2)", &sum(4, first + 1, row)[1..]);
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
