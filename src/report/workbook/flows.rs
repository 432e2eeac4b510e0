//! The Flows sheet: per period, each flow of the compiled plan as formulas over the Inputs sheet,
//! in the engine's evaluation order and by the engine's rules (`engine::evaluate`): days in
//! force, the due by the shape of its `Due` (never by the kind of clause), `paid = MIN(due,
//! room)` over its cap pool, the room after. Every formula rounds where the engine rounds
//! (`ROUND(…, 2)` at the due) and caches the engine's exact result.

use super::formulas::Formulas;
use super::model::Model;
use super::{formula, Formats};
use crate::agreement::plan::{Due, ExactDue, Flow, When};
use crate::ledger::Ledger;
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::{column_number_to_name, quote_sheet_name};
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

/// Where one flow's columns are.
#[derive(Debug, Clone)]
pub(super) struct FlowColumns {
    pub days: u16,
    pub tracked: Option<u16>,
    pub reached: Option<u16>,
    pub due: u16,
    pub paid: u16,
    pub room: Option<u16>,
}

/// Where the Flows sheet puts things, for the Ledger's formulas.
pub(super) struct FlowsSheet {
    pub name: String,
    pub columns: Vec<FlowColumns>,
    pub periods: usize,
}

pub(super) const START: u16 = 1;
pub(super) const END: u16 = 2;
pub(super) const DAYS: u16 = 3;
pub(super) const YEAR_DAYS: u16 = 4;
pub(super) const FIRST_STREAM: u16 = 5;

impl FlowsSheet {
    /// `'Flows'!F5`: column `column` in period `t`'s row.
    pub fn at(&self, column: u16, t: usize) -> String {
        format!("{}!{}", quote_sheet_name(&self.name), cell(column, t))
    }

    /// `'Flows'!$F$2:$F$6`: the column over every period.
    pub fn range(&self, column: u16) -> String {
        format!("{}!{}", quote_sheet_name(&self.name), range(column, 0, self.periods))
    }

    /// `'Flows'!$F$2:F5`: the column from the first period to period `t`.
    pub fn to_date(&self, column: u16, t: usize) -> String {
        let letter = column_number_to_name(column);
        format!("{}!${letter}$2:{letter}{}", quote_sheet_name(&self.name), t + 2)
    }

    pub fn end_column(&self) -> u16 {
        END
    }

    pub fn year_days_at(&self, t: usize) -> String {
        self.at(YEAR_DAYS, t)
    }

    pub fn days_at(&self, t: usize) -> String {
        self.at(DAYS, t)
    }

    pub fn stream_at(&self, stream: usize, t: usize) -> String {
        self.at(FIRST_STREAM + stream as u16, t)
    }
}

pub(super) fn cell(column: u16, t: usize) -> String {
    format!("{}{}", column_number_to_name(column), t + 2)
}

fn range(column: u16, first: usize, periods: usize) -> String {
    let letter = column_number_to_name(column);
    format!("${letter}${}:${letter}${}", first + 2, periods + 1)
}

/// A constant in a formula: its exact decimal text.
pub(super) fn constant(value: Decimal) -> String {
    value.normalize().to_string()
}

/// `DATE(2026,1,1)`.
pub(super) fn date_literal(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("DATE({},{},{})", day.year(), day.month(), day.day())
}

pub(super) fn write_flows(
    sheet: &mut Worksheet,
    name: &str,
    model: &Model,
    ledger: &Ledger,
    ledger_sheet: &str,
    f: &Formats,
) -> Result<FlowsSheet, XlsxError> {
    let layout = write_header(sheet, name, model, ledger.rows.len(), f)?;
    let ledger_at = |column: u16, t: usize| format!("{}!{}", quote_sheet_name(ledger_sheet), cell(column, t));
    for t in 0..ledger.rows.len() {
        write_period(sheet, &layout, model, ledger, t, &ledger_at(1, t), &ledger_at(2, t), f)?;
    }
    Ok(layout)
}

/// The header row, and where each flow's columns go.
fn write_header(
    sheet: &mut Worksheet,
    name: &str,
    model: &Model,
    periods: usize,
    f: &Formats,
) -> Result<FlowsSheet, XlsxError> {
    let plan = model.plan;
    let streams = model.inputs.revenue.len();
    let mut next = FIRST_STREAM + streams as u16;
    let mut columns = Vec::new();
    let mut headings: Vec<(u16, String)> = vec![
        (0, "Period".into()),
        (START, "Start".into()),
        (END, "End".into()),
        (DAYS, "Days".into()),
        (YEAR_DAYS, "Days in its year".into()),
    ];
    for (s, (stream, _)) in model.inputs.revenue.iter().enumerate() {
        headings.push((FIRST_STREAM + s as u16, format!("revenue.{stream}")));
    }
    for flow in &plan.flows {
        let mut take = |heading: String| {
            headings.push((next, format!("{} {heading}", flow.clause_id)));
            next += 1;
            next - 1
        };
        let days = take("days in force".into());
        let tracked = matches!(&flow.due, Due::Milestone { when: When::CumulativeReaches { .. }, .. })
            .then(|| take("revenue to date".into()));
        let reached = matches!(
            &flow.due,
            Due::Milestone { when: When::CumulativeReaches { .. } | When::StreamReaches { .. }, .. }
        )
        .then(|| take("reached (1 = yes)".into()));
        let due = take(format!("{} due", flow.category.words()));
        let paid = take(format!("{} paid", flow.category.words()));
        let room = flow.pool.map(|p| take(format!("cap room after ({})", plan.pools[p].name)));
        columns.push(FlowColumns { days, tracked, reached, due, paid, room });
    }
    sheet.write_string_with_format(0, 0, "", &f.header)?;
    for (column, heading) in &headings {
        sheet.write_string_with_format(0, *column, heading.as_str(), &f.header)?;
        sheet.set_column_width(*column, if *column < FIRST_STREAM { 11.0 } else { 18.0 })?;
    }
    sheet.set_row_height(0, 45)?;
    sheet.set_freeze_panes(1, 1)?;
    Ok(FlowsSheet { name: name.to_string(), columns, periods })
}

/// Period `t`'s row: its dates (from the ledger sheet), streams (from the inputs), and each flow.
#[allow(clippy::too_many_arguments)]
fn write_period(
    sheet: &mut Worksheet,
    layout: &FlowsSheet,
    model: &Model,
    ledger: &Ledger,
    t: usize,
    ledger_start: &str,
    ledger_end: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    let (plan, streams) = (model.plan, model.inputs.revenue.len());
    let row = &ledger.rows[t];
    {
        let r = t as u32 + 1;
        let p = &row.period;
        sheet.write_string(r, 0, p.label.as_str())?;
        let serial = |d| super::inputs::excel_serial(d).to_string();
        let start = Formula::new(format!("={ledger_start}")).set_result(serial(p.start));
        sheet.write_formula_with_format(r, START, start, &f.date)?;
        let end = Formula::new(format!("={ledger_end}")).set_result(serial(p.end));
        sheet.write_formula_with_format(r, END, end, &f.date)?;
        let (b, c) = (cell(START, t), cell(END, t));
        sheet.write_formula(r, DAYS, formula(format!("={c}-{b}+1"), Decimal::from(p.days())))?;
        let year_days = format!("=DATE(YEAR({b})+1,1,1)-DATE(YEAR({b}),1,1)");
        sheet.write_formula(r, YEAR_DAYS, formula(year_days, Decimal::from(p.year_days())))?;
        for s in 0..streams {
            let amount = model.inputs.revenue[s].1[t];
            let text = format!("={}", model.inputs.revenue_cell(s, t));
            sheet.write_formula_with_format(r, FIRST_STREAM + s as u16, formula(text, amount), &f.money)?;
        }
        for (k, flow) in plan.flows.iter().enumerate() {
            let cols = &layout.columns[k];
            let refs = &model.flows[k];
            let traced = &row.flows[k];
            let x = Formulas { model, layout, refs, t };
            sheet.write_formula(r, cols.days, formula(x.days_in_force(), Decimal::from(flow.days[t])))?;
            if let (Some(column), When::CumulativeReaches { stream, .. }) = (cols.tracked, when(&flow.due)) {
                let so_far = (0..=t).map(|s| active_stream(model, flow, *stream, s)).sum::<Decimal>();
                let text = format!(
                    "={}+IF({}>0,{},0)",
                    x.previous(column, "0"),
                    cell(cols.days, t),
                    x.stream(*stream)
                );
                sheet.write_formula_with_format(r, column, formula(text, so_far), &f.money)?;
            }
            if let Some(column) = cols.reached {
                let fired = ledger.rows[..=t].iter().any(|row| !row.flows[k].due.value().is_zero());
                let text = format!("=IF(OR({}=1,{}),1,0)", x.previous(column, "0"), x.reaches(flow, cols));
                sheet.write_formula(r, column, formula(text, Decimal::from(u8::from(fired))))?;
            }
            sheet.write_formula_with_format(
                r,
                cols.due,
                formula(x.due(flow, cols), traced.due.value()),
                &f.money,
            )?;
            let before = x.room_before(k);
            let paid = match &before {
                Some(room) => format!("=MIN({},{room})", cell(cols.due, t)),
                None => format!("={}", cell(cols.due, t)),
            };
            sheet.write_formula_with_format(r, cols.paid, formula(paid, traced.paid.value()), &f.money)?;
            if let (Some(column), Some(room)) = (cols.room, before) {
                let after = traced.cap_remaining.map_or(Decimal::ZERO, |m| m.value());
                let text = format!("={room}-{}", cell(cols.paid, t));
                sheet.write_formula_with_format(r, column, formula(text, after), &f.money)?;
            }
        }
    }
    Ok(())
}

pub(super) fn when<R>(due: &Due<Decimal, R>) -> &When<Decimal> {
    static NEVER: When<Decimal> = When::Period(None);
    match due {
        Due::Milestone { when, .. } => when,
        _ => &NEVER,
    }
}

fn active_stream(model: &Model, flow: &Flow<Decimal, ExactDue>, stream: usize, t: usize) -> Decimal {
    if flow.days[t] > 0 {
        model.inputs.revenue[stream].1[t]
    } else {
        Decimal::ZERO
    }
}

impl Model<'_> {
    /// A pool's room at the start of the run, as a formula: `MAX(0, amount − prior)`, the prior
    /// being the scenario's `prior_payments_toward_cap` where it is not 0 and the pool holds a
    /// revenue share, else the pool's own.
    pub(super) fn pool_start(&self, pool: usize) -> String {
        let refs = &self.pools[pool];
        let listed = refs.listed_prior.map_or_else(|| "0".to_string(), |i| self.inputs.cell(i));
        let prior = match refs.scenario_prior {
            Some(scenario) => {
                let scenario = self.inputs.cell(scenario);
                format!("IF({scenario}<>0,{scenario},{listed})")
            }
            None => listed,
        };
        format!("MAX(0,{}-{prior})", self.inputs.cell(refs.amount))
    }
}
