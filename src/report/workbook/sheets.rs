//! The sheets beside the ledger: Assumptions, Comparison (compare), Against and Attribution
//! (`--against`).

use super::ledger::{COL_MICROSOFT_PAID, COL_NET, COL_REVENUE, COL_SHARE_DUE, COL_SHARE_PAID};
use super::{formula, header_row, sum, Formats, LedgerSheet, Numbers, RunInput};
use crate::analysis::against::Against;
use crate::report::{AssumptionRow, GainAgainst};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn write_assumptions(
    sheet: &mut Worksheet,
    lists: &[(Option<String>, Vec<AssumptionRow>)],
    f: &Formats,
) -> Result<(), XlsxError> {
    let with_scenario = lists.iter().any(|(scenario, _)| scenario.is_some());
    let mut headings = vec!["Clause", "Parameter", "Value", "Basis", "Source"];
    if with_scenario {
        headings.insert(0, "Scenario");
    }
    let widths = if with_scenario {
        &[14.0, 36.0, 26.0, 34.0, 12.0, 70.0][..]
    } else {
        &[36.0, 26.0, 34.0, 12.0, 70.0]
    };
    let headings: Vec<String> = headings.into_iter().map(String::from).collect();
    header_row(sheet, 0, &headings, |column| widths[column], false, f)?;
    let mut row = 1;
    for (scenario, rows) in lists {
        for a in rows {
            let mut cells = vec![&a.subject, &a.parameter, &a.value, &a.basis, &a.source];
            if let Some(scenario) = scenario {
                cells.insert(0, scenario);
            }
            for (column, text) in cells.into_iter().enumerate() {
                sheet.write_string(row, column as u16, text.as_str())?;
            }
            row += 1;
        }
    }
    Ok(())
}

/// The Comparison sheet's headings: the figures, then the gain columns with `--against`.
fn comparison_headings(gains: &[Option<GainAgainst>], f: &Formats) -> Vec<String> {
    let mut headings = vec![
        "Scenario".to_string(),
        "Agreement".to_string(),
        "First period".to_string(),
        "Last period".to_string(),
        f.money_heading("OpenAI revenue"),
        f.money_heading("Cap"),
        f.money_heading("Share due"),
        f.money_heading("Share paid"),
        f.money_heading("Microsoft share paid"),
        f.money_heading("Net to Microsoft"),
        f.money_heading("PV net to Microsoft"),
        "Cap reached".to_string(),
    ];
    let against = gains.iter().flatten().next().map(|g| g.against.clone());
    if let Some(name) = &against {
        headings.push(f.money_heading(&format!("Gain vs {name}")));
        headings.push(f.money_heading(&format!("PV gain vs {name}")));
    }
    headings
}

pub(super) fn write_comparison(
    sheet: &mut Worksheet,
    runs: &[RunInput],
    (sheets, caps): (&[LedgerSheet], &[Option<String>]),
    gains: &[Option<GainAgainst>],
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(), XlsxError> {
    let headings = comparison_headings(gains, f);
    header_row(sheet, 0, &headings, |column| if column < 4 { 14.0 } else { 18.0 }, true, f)?;
    for (i, (run, layout)) in runs.iter().zip(sheets).enumerate() {
        let r = 1 + i as u32;
        let s = run.summary;
        sheet.write_string(r, 0, s.scenario.as_str())?;
        sheet.write_string(r, 1, s.agreement.as_str())?;
        sheet.write_string(r, 2, s.first_period.clone().unwrap_or_default())?;
        sheet.write_string(r, 3, s.last_period.clone().unwrap_or_default())?;
        let total =
            |column: u16, value: Decimal| formula(format!("={}", layout.cell(layout.totals, column)), value);
        sheet.write_formula_with_format(r, 4, total(COL_REVENUE, s.totals.revenue.value()), &f.money)?;
        // The cap is the scenario's input cell; the present value and gains are values (each is
        // a run's own discounting, and another agreement's run).
        match (s.openai_to_microsoft_cap(), caps.get(i).cloned().flatten()) {
            (Some(cap), Some(input)) => {
                numbers.money(cap);
                sheet.write_formula_with_format(r, 5, formula(format!("={input}"), cap), &f.money)?
            }
            (Some(cap), None) => sheet.write_number_with_format(r, 5, numbers.money(cap), &f.money)?,
            (None, _) => sheet.write_string(r, 5, "uncapped")?,
        };
        sheet.write_formula_with_format(r, 6, total(COL_SHARE_DUE, s.totals.share_due.value()), &f.money)?;
        sheet.write_formula_with_format(
            r,
            7,
            total(COL_SHARE_PAID, s.totals.share_paid.value()),
            &f.money,
        )?;
        sheet.write_formula_with_format(
            r,
            8,
            total(COL_MICROSOFT_PAID, s.totals.microsoft_share_paid.value()),
            &f.money,
        )?;
        sheet.write_formula_with_format(r, 9, total(COL_NET, s.totals.net_to_microsoft.value()), &f.money)?;
        sheet.write_number_with_format(
            r,
            10,
            numbers.money(s.present_value.net_to_microsoft.value()),
            &f.money,
        )?;
        match s.cap_reached_year {
            Some(year) => sheet.write_number(r, 11, f64::from(year))?,
            None => sheet.write_string(r, 11, "never")?,
        };
        if let Some(Some(gain)) = gains.get(i) {
            sheet.write_number_with_format(r, 12, numbers.money(gain.microsoft_gain.value()), &f.money)?;
            sheet.write_number_with_format(
                r,
                13,
                numbers.money(gain.microsoft_gain_present_value.value()),
                &f.money,
            )?;
        }
    }
    Ok(())
}

pub(super) fn write_against(
    sheet: &mut Worksheet,
    against: &Against,
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(), XlsxError> {
    let headings = [
        "Period".to_string(),
        f.money_heading(&format!("Net to Microsoft under {}", against.agreement)),
        f.money_heading(&format!("Net to Microsoft under {}", against.against)),
        f.money_heading("Microsoft's gain"),
    ];
    header_row(sheet, 1, &headings, |column| if column == 0 { 12.0 } else { 24.0 }, true, f)?;
    values_note(sheet, &format!("Values, not formulas: each agreement's net is its own run (recalculate `{}` on its own workbook); the gain is their difference.", against.against), f)?;
    let mut row = 2;
    for a in &against.rows {
        let r = row + 1;
        sheet.write_string(row, 0, a.period.as_str())?;
        sheet.write_number_with_format(row, 1, numbers.money(a.net_to_microsoft.value()), &f.money)?;
        sheet.write_number_with_format(
            row,
            2,
            numbers.money(a.against_net_to_microsoft.value()),
            &f.money,
        )?;
        sheet.write_formula_with_format(
            row,
            3,
            formula(format!("=B{r}-C{r}"), a.microsoft_gain.value()),
            &f.money,
        )?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Total", &f.label_total)?;
    let totals = [
        against.total_net_to_microsoft.value(),
        against.against_total_net_to_microsoft.value(),
        against.microsoft_gain.value(),
    ];
    for (i, value) in totals.into_iter().enumerate() {
        let column = 1 + i as u16;
        sheet.write_formula_with_format(row, column, formula(sum(column, 3, row), value), &f.money_total)?;
    }
    Ok(())
}

pub(super) fn write_attribution(
    sheet: &mut Worksheet,
    against: &Against,
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(), XlsxError> {
    let headings = [
        "Change of terms".to_string(),
        f.money_heading("Gain, in diff order"),
        f.money_heading("PV gain, in diff order"),
        f.money_heading("Gain, order-free (Shapley)"),
        f.money_heading("PV gain, order-free (Shapley)"),
    ];
    header_row(sheet, 1, &headings, |column| if column == 0 { 60.0 } else { 20.0 }, true, f)?;
    values_note(
        sheet,
        "Values, not formulas: each step's gain is a run of its own (and Shapley's an average over every order of the steps), which a sheet cannot redo.",
        f,
    )?;
    let mut row = 2;
    for step in &against.attribution {
        sheet.write_string(row, 0, step.change.as_str())?;
        let values = [
            Some(step.microsoft_gain.value()),
            Some(step.microsoft_gain_present_value.value()),
            step.shapley_microsoft_gain.map(|m| m.value()),
            step.shapley_microsoft_gain_present_value.map(|m| m.value()),
        ];
        for (i, value) in values.into_iter().enumerate() {
            if let Some(value) = value {
                sheet.write_number_with_format(row, 1 + i as u16, numbers.money(value), &f.money)?;
            }
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Total", &f.label_total)?;
    let gain = against.microsoft_gain.value();
    let pv = against.microsoft_gain_present_value.value();
    let shapley = against.attribution.iter().any(|s| s.shapley_microsoft_gain.is_some());
    let totals = [Some(gain), Some(pv), shapley.then_some(gain), shapley.then_some(pv)];
    for (i, total) in totals.into_iter().enumerate() {
        match total {
            Some(total) => sheet.write_formula_with_format(
                row,
                1 + i as u16,
                formula(sum(1 + i as u16, 3, row), total),
                &f.money_total,
            )?,
            None => sheet.write_blank(row, 1 + i as u16, &f.label_total)?,
        };
    }
    Ok(())
}

/// A sheet of values says so, and why, in its first row (its header is the second).
fn values_note(sheet: &mut Worksheet, text: &str, f: &Formats) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, text, &f.note).map(|_| ())
}
