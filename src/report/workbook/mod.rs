//! Excel workbooks: `ledger.xlsx` beside every run's CSVs and `compare.xlsx` beside
//! `compare.csv`, written with rust_xlsxwriter.
//!
//! Money cells are numbers in dollars with a number format (`--units` only changes the format,
//! so sums and formulas still work on dollars); totals and present values are **formulas** with
//! their exact results cached, so the sheet recomputes when a reader edits a cell and shows the
//! right figure before it does. Excel keeps a number as a 64-bit float (15 significant digits):
//! that conversion happens here, at the file's edge, and nowhere else. An amount it cannot hold
//! exactly is counted and said on the Summary sheet; the CSV and JSON files stay exact.
//!
//! The same input gives the same bytes: the document's creation date is fixed (`CREATED`), not
//! the time of the run, and rust_xlsxwriter dates every zip entry 1980-01-01.

mod flows;
mod formulas;
mod inputs;
mod ledger;
mod model;
mod sheets;
mod summary;

use super::assumptions::{assumption_rows, AssumptionRow};
use super::{OutputError, Units};
use crate::analysis::against::Against;
use crate::ledger::{Ledger, Summary};
use crate::scenario::Loaded;
use ledger::{write_ledger, LedgerFormulas};
use model::Model;
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::{column_number_to_name, quote_sheet_name};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError,
};
use sheets::{write_against, write_assumptions, write_attribution, write_comparison};
use std::str::FromStr;
use summary::write_summary;

/// The creation date written into every workbook, so two runs give identical files.
const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// A workbook's bytes, and how many amounts Excel could not hold exactly (said on its first
/// sheet; the command says it on stderr too).
pub struct WorkbookFile {
    pub bytes: Vec<u8>,
    pub inexact: usize,
}

/// One scenario's run, as the workbook needs it.
pub struct RunInput<'a> {
    pub loaded: &'a Loaded,
    pub ledger: &'a Ledger,
    pub summary: &'a Summary,
}

/// `ledger.xlsx`: sheets Summary, Ledger, Assumptions, and with `--against` Against and
/// Attribution.
pub fn run_workbook(
    run: &RunInput,
    against: Option<&Against>,
    units: Units,
) -> Result<WorkbookFile, OutputError> {
    let file = super::Output::LedgerXlsx.name();
    let plan = plan_of(run, file)?;
    build(file, units, 4, |book, f, numbers| {
        book.add_worksheet().set_name("Summary")?;
        let assumptions = assumption_rows(run.loaded);
        let (model, ledger_sheet) =
            write_model(book, run, &plan, &assumptions, ModelSheets::single(), f, numbers)?;
        {
            let sheet = book.worksheet_from_name("Summary")?;
            write_summary(sheet, &ledger_sheet, run, &model, f, numbers)?;
        }
        {
            let sheet = book.add_worksheet().set_name("Assumptions")?;
            write_assumptions(sheet, &[(None, assumptions)], f)?;
        }
        if let Some(against) = against {
            let sheet = book.add_worksheet().set_name("Against")?;
            write_against(sheet, against, f, numbers)?;
            let sheet = book.add_worksheet().set_name("Attribution")?;
            write_attribution(sheet, against, f, numbers)?;
        }
        Ok(())
    })
}

/// `compare.xlsx`: a Comparison sheet (one row per scenario, its totals as formulas over the
/// scenario's sheet), one ledger sheet per scenario, and every scenario's assumptions.
pub fn compare_workbook(
    runs: &[RunInput],
    gains: &[Option<super::GainAgainst>],
    units: Units,
) -> Result<WorkbookFile, OutputError> {
    let warning_row = u32::try_from(runs.len()).unwrap_or(u32::MAX - 2) + 2;
    let file = super::Output::CompareXlsx.name();
    let plans = runs.iter().map(|run| plan_of(run, file)).collect::<Result<Vec<_>, _>>()?;
    build(file, units, warning_row, |book, f, numbers| {
        book.add_worksheet().set_name("Comparison")?;
        let mut taken = vec!["comparison".to_string(), "assumptions".to_string()];
        let (mut sheets, mut caps) = (Vec::new(), Vec::new());
        for (run, plan) in runs.iter().zip(&plans) {
            let name = sheet_name(&run.summary.scenario, &mut taken);
            let names = ModelSheets {
                ledger: name.clone(),
                inputs: sheet_name(&format!("{name} inputs"), &mut taken),
                flows: sheet_name(&format!("{name} flows"), &mut taken),
                local_names: true,
            };
            let assumptions = assumption_rows(run.loaded);
            let (model, layout) = write_model(book, run, plan, &assumptions, names, f, numbers)?;
            caps.push(model.inputs.find("cap").map(|i| model.inputs.cell(i)));
            sheets.push(layout);
        }
        let sheet = book.worksheet_from_name("Comparison")?;
        write_comparison(sheet, runs, (&sheets, &caps), gains, f, numbers)?;
        let sheet = book.add_worksheet().set_name("Assumptions")?;
        let lists: Vec<(Option<String>, Vec<AssumptionRow>)> =
            runs.iter().map(|r| (Some(r.summary.scenario.clone()), assumption_rows(r.loaded))).collect();
        write_assumptions(sheet, &lists, f)?;
        Ok(())
    })
}

/// The compiled plan a run's workbook is generated from: the terms the engine evaluated.
fn plan_of(run: &RunInput, file: &'static str) -> Result<crate::agreement::plan::ExactPlan, OutputError> {
    crate::engine::compile(&run.loaded.agreement, &run.loaded.scenario)
        .map_err(|e| OutputError::Encode { file, reason: e.to_string() })
}

/// The names of one run's model sheets, and whether its defined names are local to its Inputs
/// sheet (a workbook of several runs) or global.
struct ModelSheets {
    ledger: String,
    inputs: String,
    flows: String,
    local_names: bool,
}

impl ModelSheets {
    fn single() -> ModelSheets {
        ModelSheets {
            ledger: "Ledger".into(),
            inputs: "Inputs".into(),
            flows: "Flows".into(),
            local_names: false,
        }
    }
}

/// One run's Inputs, Ledger and Flows sheets (in that order) and the Inputs' defined names.
fn write_model<'a>(
    book: &mut Workbook,
    run: &RunInput,
    plan: &'a crate::agreement::plan::ExactPlan,
    assumptions: &[AssumptionRow],
    names: ModelSheets,
    f: &Formats,
    numbers: &mut Numbers,
) -> Result<(Model<'a>, LedgerSheet), XlsxError> {
    let model = Model::new(&names.inputs, run.loaded, plan, assumptions);
    let mut defined = Vec::new();
    {
        let sheet = book.add_worksheet().set_name(&names.inputs)?;
        let scope = names.local_names.then_some(names.inputs.as_str());
        inputs::write_inputs(sheet, &model.inputs, &model.not_inputs, f, numbers, &mut defined, scope)?;
    }
    for (name, range) in defined {
        book.define_name(name, &range)?;
    }
    let layout = LedgerSheet::new(&names.ledger, run.ledger.rows.len());
    book.add_worksheet().set_name(&names.ledger)?;
    let flows = {
        let sheet = book.add_worksheet().set_name(&names.flows)?;
        flows::write_flows(sheet, &names.flows, &model, run.ledger, &names.ledger, f)?
    };
    let sheet = book.worksheet_from_name(&names.ledger)?;
    write_ledger(sheet, &layout, run, &LedgerFormulas { model: &model, flows: &flows }, f, numbers)?;
    Ok((model, layout))
}

/// Creates a workbook, lets `fill` add its sheets, and returns the file's bytes; an error from
/// the writer names the file. Amounts Excel cannot hold exactly are said in red on the first
/// sheet, at `warning_row`.
fn build(
    file: &'static str,
    units: Units,
    warning_row: u32,
    fill: impl FnOnce(&mut Workbook, &Formats, &mut Numbers) -> Result<(), XlsxError>,
) -> Result<WorkbookFile, OutputError> {
    let failed = |e: XlsxError| OutputError::Encode { file, reason: e.to_string() };
    let mut book = Workbook::new();
    let (y, m, d) = CREATED;
    let created = ExcelDateTime::from_ymd(y, m, d).map_err(failed)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("dealsim"));
    let formats = Formats::new(units);
    let mut numbers = Numbers::default();
    fill(&mut book, &formats, &mut numbers).map_err(failed)?;
    // Printed, every sheet is landscape and one page wide.
    for sheet in book.worksheets_mut() {
        sheet.set_landscape().set_print_fit_to_pages(1, 0);
    }
    if numbers.inexact > 0 {
        let sheet = book
            .worksheets_mut()
            .iter_mut()
            .next()
            .ok_or_else(|| failed(XlsxError::ParameterError("a workbook without sheets".to_string())))?;
        sheet
            .write_string_with_format(
                warning_row,
                0,
                format!(
                    "{} amount(s) have more than Excel's 15 significant digits and show here rounded to them; the CSV and JSON files hold them exactly.",
                    numbers.inexact
                ),
                &formats.warning,
            )
            .map_err(failed)?;
    }
    Ok(WorkbookFile { bytes: book.save_to_buffer().map_err(failed)?, inexact: numbers.inexact })
}

/// The formats every sheet uses.
struct Formats {
    units: Units,
    header: Format,
    title: Format,
    money: Format,
    money_total: Format,
    label_total: Format,
    date: Format,
    rate: Format,
    factor: Format,
    years: Format,
    /// Shows a boolean as TRUE/FALSE in readers that would show 1/0 (LibreOffice).
    boolean: Format,
    note: Format,
    plain: Format,
    warning: Format,
}

impl Formats {
    fn new(units: Units) -> Formats {
        let money = Format::new().set_num_format(units.excel_format());
        Formats {
            units,
            header: Format::new().set_bold().set_text_wrap().set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            money_total: money.clone().set_bold().set_border_top(FormatBorder::Thin),
            money,
            label_total: Format::new().set_bold().set_border_top(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Left),
            rate: Format::new().set_num_format("0.00%"),
            factor: Format::new().set_num_format("0.000000"),
            years: Format::new().set_num_format("0.00"),
            boolean: Format::new()
                .set_num_format("\"TRUE\";\"TRUE\";\"FALSE\"")
                .set_align(FormatAlign::Center),
            note: Format::new().set_italic(),
            plain: Format::new(),
            warning: Format::new().set_bold().set_font_color(rust_xlsxwriter::Color::Red),
        }
    }

    /// A money column's heading with the unit it is shown in: "Share paid (USD bn)".
    fn money_heading(&self, what: &str) -> String {
        format!("{what} ({})", self.units.label())
    }
}

/// Converts exact amounts to Excel's numbers, counting those it cannot hold exactly.
#[derive(Default)]
struct Numbers {
    inexact: usize,
}

impl Numbers {
    /// The float nearest the amount (parsed from its decimal text, so correctly rounded).
    fn money(&mut self, amount: Decimal) -> f64 {
        let float = f64::from_str(&amount.to_string()).unwrap_or(f64::NAN);
        let back = Decimal::from_str(&float.to_string()).ok();
        if back.map(|d| d.normalize()) != Some(amount.normalize()) {
            self.inexact += 1;
        }
        float
    }

    /// A rate, factor or year count: not money, so not counted (a factor has 28 digits).
    fn plain(value: Decimal) -> f64 {
        f64::from_str(&value.to_string()).unwrap_or(f64::NAN)
    }
}

/// A formula whose result is cached as `result`, so readers that do not recompute (and tests)
/// see the exact figure.
fn formula(text: String, result: Decimal) -> Formula {
    Formula::new(text).set_result(result.normalize().to_string())
}

fn date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    let year =
        u16::try_from(d.year()).map_err(|_| XlsxError::ParameterError(format!("year {}", d.year())))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// A sheet's header row at `row` (0, or 1 under a note): bold headings, each column
/// `widths(column)` wide, the row taller for wrapped headings, and the panes frozen below it (and
/// right of the first column when `freeze_first` is set).
fn header_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    headings: &[String],
    widths: impl Fn(usize) -> f64,
    freeze_first: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, heading.as_str(), &f.header)?;
        sheet.set_column_width(column as u16, widths(column))?;
    }
    sheet.set_row_height(row, 32)?;
    sheet.set_freeze_panes(row + 1, u16::from(freeze_first))?;
    Ok(())
}

/// `=SUM(…)` of a column from 1-based row `first` to `last`, or `=0` when the range is empty.
fn sum(column: u16, first: u32, last: u32) -> String {
    if last < first {
        return "=0".to_string();
    }
    let letter = column_number_to_name(column);
    format!("=SUM({letter}{first}:{letter}{last})")
}

/// Where a ledger sheet puts its rows, for formulas on other sheets.
struct LedgerSheet {
    name: String,
    /// 0-based row of the first period (the header is row 0).
    first: u32,
    /// 0-based row of the totals.
    totals: u32,
}

impl LedgerSheet {
    fn new(name: &str, rows: usize) -> LedgerSheet {
        let rows = u32::try_from(rows).unwrap_or(u32::MAX - 2);
        LedgerSheet { name: name.to_string(), first: 1, totals: 1 + rows }
    }

    /// An absolute-free A1 reference to a cell of this sheet from another: `Ledger!D9`.
    fn cell(&self, row: u32, column: u16) -> String {
        format!("{}!{}{}", quote_sheet_name(&self.name), column_number_to_name(column), row + 1)
    }

    /// An absolute reference to a column from 1-based row `first` to `last`: `Ledger!$J$2:$J$6`.
    fn column(&self, column: u16, first: u32, last: u32) -> String {
        let letter = column_number_to_name(column);
        format!("{}!${letter}${first}:${letter}${last}", quote_sheet_name(&self.name))
    }
}

/// A sheet name Excel accepts (at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with `'`), unique among `taken` ignoring case.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim_matches('\'')
        .chars()
        .take(28)
        .collect();
    let cleaned = if cleaned.is_empty() { "scenario".to_string() } else { cleaned };
    let mut name = cleaned.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{cleaned} {n}");
        n += 1;
    }
    taken.push(name.to_lowercase());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec!["comparison".to_string()];
        assert_eq!(sheet_name("base", &mut taken), "base");
        assert_eq!(sheet_name("BASE", &mut taken), "BASE 2");
        assert_eq!(sheet_name("Comparison", &mut taken), "Comparison 2");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name(&"x".repeat(40), &mut taken).len(), 28);
    }

    #[test]
    fn amounts_excel_cannot_hold_are_counted() {
        let mut numbers = Numbers::default();
        assert_eq!(numbers.money(Decimal::new(3_800_000_000_000, 2)), 38_000_000_000.0);
        assert_eq!(numbers.inexact, 0);
        numbers.money(Decimal::from_str("123456789012345.678").unwrap());
        assert_eq!(numbers.inexact, 1);
    }
}
