//! The Inputs sheet: every value the ledger's formulas depend on, one per row, each a cell with a
//! defined name (`cap`, `share_rate`, `openai-share.rate` as `openai_share.rate`), its unit, and
//! its basis and source as the Assumptions sheet shows them; then revenue by period, one named
//! column per stream (`revenue.openai`). A clause parameter that a scenario-wide assumption sets
//! (`agreement::reach`) is a formula over the assumption's cell, so editing `cap` moves every cap
//! it sets, as `--set cap=…` does.

use super::{date, Formats, Numbers};
use crate::report::AssumptionRow;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::{column_number_to_name, quote_sheet_name};
use rust_xlsxwriter::{Format, Formula, Worksheet, XlsxError};

/// What an input holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Money(Decimal),
    Rate(Decimal),
    Date(NaiveDate),
    Days(i64),
    /// The cell of another input (by its index), the value it holds cached.
    Link(usize, Box<Value>),
}

/// One input row.
#[derive(Debug, Clone)]
pub(super) struct Input {
    pub name: String,
    pub value: Value,
    pub what: String,
    pub basis: String,
    pub source: String,
}

/// The inputs of one run, and where each is: the formulas refer to them by cell.
pub(super) struct Inputs {
    pub sheet: String,
    pub rows: Vec<Input>,
    /// Revenue by period, per stream in the scenario's order: name and amounts.
    pub revenue: Vec<(String, Vec<Decimal>)>,
    pub periods: Vec<String>,
    taken: Vec<String>,
}

/// Rows above the first input: two lines of notes, a blank, the header.
const FIRST_ROW: u32 = 4;

impl Inputs {
    pub fn new(sheet: &str) -> Inputs {
        Inputs {
            sheet: sheet.to_string(),
            rows: Vec::new(),
            revenue: Vec::new(),
            periods: Vec::new(),
            taken: Vec::new(),
        }
    }

    /// Adds an input named `name` (sanitised to a valid, unique defined name); its index.
    pub fn add(&mut self, name: &str, value: Value, what: String, provenance: (String, String)) -> usize {
        let name = defined_name(name, &mut self.taken);
        self.rows.push(Input { name, value, what, basis: provenance.0, source: provenance.1 });
        self.rows.len() - 1
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        let wanted = defined_name(name, &mut Vec::new());
        self.rows.iter().position(|r| r.name == wanted)
    }

    /// An absolute reference to input `index`'s value cell: `Inputs!$B$5`.
    pub fn cell(&self, index: usize) -> String {
        format!("{}!$B${}", quote_sheet_name(&self.sheet), FIRST_ROW + 1 + index as u32)
    }

    /// The value input `index` holds (a link's cached value).
    pub fn value(&self, index: usize) -> &Value {
        match &self.rows[index].value {
            Value::Link(_, cached) => cached,
            v => v,
        }
    }

    fn revenue_first_row(&self) -> u32 {
        FIRST_ROW + self.rows.len() as u32 + 3
    }

    /// An absolute reference to stream `stream`'s revenue in period `t`.
    pub fn revenue_cell(&self, stream: usize, t: usize) -> String {
        let column = column_number_to_name(1 + stream as u16);
        format!("{}!${column}${}", quote_sheet_name(&self.sheet), self.revenue_first_row() + 1 + t as u32)
    }
}

/// A defined name Excel accepts, unique (ignoring case) among `taken`: letters, digits, `_` and
/// `.`; not starting with a digit or `.`; never a cell reference (`fee1`, `R1C1`).
fn defined_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let mut name: String = wanted
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '.' { c } else { '_' })
        .collect();
    let letters = name.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = &name[letters..];
    let looks_like_cell =
        (1..=3).contains(&letters) && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    let r1c1 = name.eq_ignore_ascii_case("r") || name.eq_ignore_ascii_case("c");
    if name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        || looks_like_cell
        || r1c1
    {
        name.insert(0, '_');
    }
    let base = name.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.push(name.to_lowercase());
    name
}

/// The basis and source of a clause parameter as the Assumptions sheet lists it (`labels`: the
/// names it may have there), or empty.
pub(super) fn provenance(rows: &[AssumptionRow], subject: &str, labels: &[&str]) -> (String, String) {
    rows.iter()
        .find(|r| r.subject == subject && labels.contains(&r.parameter.as_str()))
        .map(|r| (r.basis.clone(), r.source.clone()))
        .unwrap_or_default()
}

/// Writes the sheet and defines its names (`scope`: the sheet a name is local to, in a workbook
/// of several scenarios; `None`: global).
pub(super) fn write_inputs(
    sheet: &mut Worksheet,
    inputs: &Inputs,
    not_inputs: &[String],
    f: &Formats,
    numbers: &mut Numbers,
    names: &mut Vec<(String, String)>,
    scope: Option<&str>,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        "Inputs: every figure on the Flows and Ledger sheets is a formula over these cells. Edit an input (blue on yellow, the usual convention for inputs) and the workbook recalculates; black cells are formulas.",
        &f.note,
    )?;
    sheet.write_string_with_format(
        1,
        0,
        "A clause's parameter that a scenario-wide assumption sets is a formula over it (=cap): edit the assumption, or type a value over the formula to set that clause alone, as --set does. Periods, rights and present-value years are fixed by the scenario; run dealsim again to change them.",
        &f.note,
    )?;
    if !not_inputs.is_empty() {
        sheet.write_string_with_format(
            2,
            0,
            format!("Not one cell here: {}.", not_inputs.join("; ")),
            &f.note,
        )?;
    }
    let headings = ["Name", "Value", "Unit", "Parameter", "Basis", "Source"];
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(FIRST_ROW - 1, column as u16, *heading, &f.header)?;
    }
    for (column, width) in [34.0, 18.0, 8.0, 50.0, 12.0, 60.0].into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    let scoped = |name: &str| match scope {
        Some(sheet) => format!("{}!{name}", quote_sheet_name(sheet)),
        None => name.to_string(),
    };
    for (i, input) in inputs.rows.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        sheet.write_string(row, 0, input.name.as_str())?;
        write_value(sheet, row, &input.value, inputs, f, numbers)?;
        sheet.write_string(row, 2, unit(&input.value))?;
        sheet.write_string(row, 3, input.what.as_str())?;
        sheet.write_string(row, 4, input.basis.as_str())?;
        sheet.write_string(row, 5, input.source.as_str())?;
        names.push((scoped(&input.name), format!("={}", inputs.cell(i))));
    }
    let first = inputs.revenue_first_row();
    sheet.write_string_with_format(first - 1, 0, "Revenue by period (USD)", &f.header)?;
    for (s, (stream, _)) in inputs.revenue.iter().enumerate() {
        sheet.write_string_with_format(first - 1, 1 + s as u16, format!("revenue.{stream}"), &f.header)?;
    }
    for (t, label) in inputs.periods.iter().enumerate() {
        let row = first + t as u32;
        sheet.write_string(row, 0, label.as_str())?;
        for (s, (_, amounts)) in inputs.revenue.iter().enumerate() {
            sheet.write_number_with_format(
                row,
                1 + s as u16,
                numbers.money(amounts[t]),
                &input_style(&f.money),
            )?;
        }
    }
    for (s, (stream, _)) in inputs.revenue.iter().enumerate() {
        if inputs.periods.is_empty() {
            continue;
        }
        let column = column_number_to_name(1 + s as u16);
        let last = first + inputs.periods.len() as u32;
        let range = format!("={}!${column}${}:${column}${last}", quote_sheet_name(&inputs.sheet), first + 1);
        let name = defined_name(&format!("revenue.{stream}"), &mut Vec::new());
        names.push((scoped(&name), range));
    }
    Ok(())
}

/// Blue on yellow: an input.
pub(super) fn input_style(format: &Format) -> Format {
    format.clone().set_font_color("#0000FF").set_background_color("#FFFF99")
}

fn unit(value: &Value) -> &'static str {
    match value {
        Value::Money(_) => "USD",
        Value::Rate(_) => "rate",
        Value::Date(_) => "date",
        Value::Days(_) => "days",
        Value::Link(_, cached) => unit(cached),
    }
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    value: &Value,
    inputs: &Inputs,
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(), XlsxError> {
    match value {
        Value::Money(m) => {
            sheet.write_number_with_format(row, 1, numbers.money(*m), &input_style(&f.money))?
        }
        Value::Rate(r) => {
            sheet.write_number_with_format(row, 1, Numbers::plain(*r), &input_style(&f.rate))?
        }
        Value::Date(d) => sheet.write_datetime_with_format(row, 1, date(*d)?, &input_style(&f.date))?,
        Value::Days(d) => sheet.write_number_with_format(row, 1, *d as f64, &input_style(&Format::new()))?,
        Value::Link(to, cached) => {
            let result = match cached.as_ref() {
                Value::Money(x) | Value::Rate(x) => x.normalize().to_string(),
                Value::Date(d) => excel_serial(*d).to_string(),
                Value::Days(d) => d.to_string(),
                Value::Link(..) => String::new(),
            };
            let format = match cached.as_ref() {
                Value::Money(_) => &f.money,
                Value::Rate(_) => &f.rate,
                Value::Date(_) => &f.date,
                _ => &f.plain,
            };
            let formula = Formula::new(format!("={}", inputs.cell(*to))).set_result(result);
            sheet.write_formula_with_format(row, 1, formula, format)?
        }
    };
    Ok(())
}

/// A date as Excel's serial number (days since 1899-12-30), for a formula's cached result.
pub(super) fn excel_serial(day: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (day - epoch).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(defined_name("openai-share.rate", &mut taken), "openai_share.rate");
        assert_eq!(defined_name("cap", &mut taken), "cap");
        assert_eq!(defined_name("CAP", &mut taken), "CAP_2");
        assert_eq!(defined_name("fee1", &mut taken), "_fee1");
        assert_eq!(defined_name("2026-fee", &mut taken), "_2026_fee");
        assert_eq!(defined_name("r", &mut taken), "_r");
        assert_eq!(defined_name("revised/openai-share.cap", &mut taken), "revised_openai_share.cap");
    }

    #[test]
    fn serial_dates_are_excels() {
        assert_eq!(excel_serial(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()), 46023);
    }
}
