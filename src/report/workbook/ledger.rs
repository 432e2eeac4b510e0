//! The ledger sheet (a row per period, totals as formulas) and the Summary sheet (totals that
//! point at it, and the present value rebuilt from a rate cell).

use super::flows::{FlowColumns, FlowsSheet};
use super::model::Model;
use super::{date, formula, sum, Formats, LedgerSheet, Numbers, RunInput};
use crate::agreement::plan::{Due, ExactDue, Flow};
use crate::ledger::{LedgerRow, Summary};
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

type ExactFlow = Flow<Decimal, ExactDue>;

/// What a ledger column holds: a value (the period, rights: not cash, so not formulas), or a
/// formula over the Flows sheet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Figure {
    Period,
    Start,
    End,
    Revenue,
    ShareRate,
    ShareDue,
    SharePaid,
    CumulativePaid,
    CapRemaining,
    CapReached,
    MicrosoftSharePaid,
    Net,
    CashNet,
    Licence,
    Distribution,
    AzureFirst,
    AgiClause,
    OtherToMicrosoft,
    OtherToOpenai,
    Purchases,
}

/// The ledger sheet's columns, in order, and whether each is money. `COL_*` below are positions
/// other sheets refer to.
const LEDGER_COLUMNS: &[(&str, bool, Figure)] = &[
    ("Period", false, Figure::Period),
    ("Start", false, Figure::Start),
    ("End", false, Figure::End),
    ("OpenAI revenue", true, Figure::Revenue),
    ("Share rate", false, Figure::ShareRate),
    ("Share due", true, Figure::ShareDue),
    ("Share paid", true, Figure::SharePaid),
    ("Cumulative paid", true, Figure::CumulativePaid),
    ("Cap remaining", true, Figure::CapRemaining),
    ("Cap reached", false, Figure::CapReached),
    ("Microsoft share paid", true, Figure::MicrosoftSharePaid),
    ("Net to Microsoft", true, Figure::Net),
    ("Cash net to Microsoft", true, Figure::CashNet),
    ("Licence (value)", false, Figure::Licence),
    ("Distribution (value)", false, Figure::Distribution),
    ("Azure first (value)", false, Figure::AzureFirst),
    ("AGI clause (value)", false, Figure::AgiClause),
    ("Other paid to Microsoft", true, Figure::OtherToMicrosoft),
    ("Other paid to OpenAI", true, Figure::OtherToOpenai),
    ("Purchases", true, Figure::Purchases),
];

/// Column positions the Summary and Comparison sheets refer to.
pub(super) const COL_REVENUE: u16 = 3;
pub(super) const COL_SHARE_DUE: u16 = 5;
pub(super) const COL_SHARE_PAID: u16 = 6;
pub(super) const COL_CAP_REACHED: u16 = 9;
pub(super) const COL_MICROSOFT_PAID: u16 = 10;
pub(super) const COL_NET: u16 = 11;
pub(super) const COL_CASH_NET: u16 = 12;
const COL_CUMULATIVE: u16 = 7;
const COL_OTHER_TO_MICROSOFT: u16 = 17;
const COL_OTHER_TO_OPENAI: u16 = 18;

/// The totals a money column has, from the summary.
fn total(figure: Figure, s: &Summary) -> Option<Decimal> {
    let t = &s.totals;
    Some(match figure {
        Figure::Revenue => t.revenue.value(),
        Figure::ShareDue => t.share_due.value(),
        Figure::SharePaid => t.share_paid.value(),
        Figure::MicrosoftSharePaid => t.microsoft_share_paid.value(),
        Figure::Net => t.net_to_microsoft.value(),
        Figure::CashNet => t.cash_net_to_microsoft.value(),
        Figure::OtherToMicrosoft => t.paid_to_microsoft.value() - t.share_paid.value(),
        Figure::OtherToOpenai => t.paid_to_openai.value() - t.microsoft_share_paid.value(),
        Figure::Purchases => t.purchases.value(),
        _ => return None,
    })
}

/// A money column's exact value in a row.
fn money(figure: Figure, r: &LedgerRow) -> Option<Decimal> {
    Some(match figure {
        Figure::Revenue => r.revenue.value(),
        Figure::ShareDue => r.share_due.value(),
        Figure::SharePaid => r.share_paid.value(),
        Figure::CumulativePaid => r.cumulative_paid.value(),
        Figure::CapRemaining => return r.cap_remaining.map(|m| m.value()),
        Figure::MicrosoftSharePaid => r.microsoft_share_paid.value(),
        Figure::Net => r.net_to_microsoft.value(),
        Figure::CashNet => r.cash_net_to_microsoft.value(),
        Figure::OtherToMicrosoft => r.other_paid_to_microsoft.value(),
        Figure::OtherToOpenai => r.other_paid_to_openai.value(),
        Figure::Purchases => r.purchases.value(),
        _ => return None,
    })
}

pub(super) fn write_ledger(
    sheet: &mut Worksheet,
    layout: &LedgerSheet,
    run: &RunInput,
    cells: &LedgerFormulas,
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
    for (t, row) in run.ledger.rows.iter().enumerate() {
        let r = layout.first + t as u32;
        for (column, (_, is_money, figure)) in LEDGER_COLUMNS.iter().enumerate() {
            let column = column as u16;
            match figure {
                Figure::Period => sheet.write_string(r, column, row.period.label.as_str())?,
                Figure::Start => {
                    sheet.write_datetime_with_format(r, column, date(row.period.start)?, &f.date)?
                }
                Figure::End => sheet.write_datetime_with_format(r, column, date(row.period.end)?, &f.date)?,
                Figure::Licence => sheet.write_string(r, column, row.licence.to_string())?,
                Figure::Distribution => sheet.write_string(r, column, row.distribution.to_string())?,
                Figure::AzureFirst => {
                    sheet.write_boolean_with_format(r, column, row.azure_first, &f.boolean)?
                }
                Figure::AgiClause => {
                    sheet.write_boolean_with_format(r, column, row.agi_clause, &f.boolean)?
                }
                Figure::ShareRate => {
                    let cached = row.share_rate.map_or_else(String::new, |x| x.normalize().to_string());
                    let text = cells.share_rate(t);
                    sheet.write_formula_with_format(
                        r,
                        column,
                        Formula::new(text).set_result(cached),
                        &f.rate,
                    )?
                }
                Figure::CapReached => {
                    let cached = if row.cap_reached { "TRUE" } else { "FALSE" };
                    let text = cells.cap_reached(t);
                    sheet.write_formula_with_format(
                        r,
                        column,
                        Formula::new(text).set_result(cached),
                        &f.boolean,
                    )?
                }
                figure if *is_money => {
                    let Some(value) = money(*figure, row) else { continue };
                    numbers.money(value);
                    let text = cells.money(*figure, t);
                    sheet.write_formula_with_format(r, column, formula(text, value), &f.money)?
                }
                _ => continue,
            };
        }
    }
    sheet.write_string_with_format(layout.totals, 0, "Total", &f.label_total)?;
    for (column, (_, _, figure)) in LEDGER_COLUMNS.iter().enumerate().skip(1) {
        let column = column as u16;
        match total(*figure, run.summary) {
            Some(total) if layout.totals > layout.first => {
                let total = formula(sum(column, layout.first + 1, layout.totals), total);
                sheet.write_formula_with_format(layout.totals, column, total, &f.money_total)?;
            }
            _ => {
                sheet.write_blank(layout.totals, column, &f.label_total)?;
            }
        }
    }
    Ok(())
}

/// The ledger's formulas: sums of the Flows sheet's cells, by what each flow is.
pub(super) struct LedgerFormulas<'a> {
    pub model: &'a Model<'a>,
    pub flows: &'a FlowsSheet,
}

impl LedgerFormulas<'_> {
    /// `=a+b+…` of a figure of the flows `pick` keeps, or `=0`.
    fn sum_flows(
        &self,
        t: usize,
        pick: impl Fn(&ExactFlow) -> bool,
        column: impl Fn(&FlowColumns) -> u16,
    ) -> String {
        let cells: Vec<String> = self
            .model
            .plan
            .flows
            .iter()
            .zip(&self.flows.columns)
            .filter(|(flow, _)| pick(flow))
            .map(|(_, cols)| self.flows.at(column(cols), t))
            .collect();
        if cells.is_empty() {
            "=0".to_string()
        } else {
            format!("={}", cells.join("+"))
        }
    }

    fn money(&self, figure: Figure, t: usize) -> String {
        let here = |column: u16| format!("{}{}", column_number_to_name(column), t + 2);
        let paid = |c: &FlowColumns| c.paid;
        match figure {
            Figure::Revenue => format!("={}", self.flows.stream_at(0, t)),
            Figure::ShareDue => self.sum_flows(t, |f| f.is_share_to_microsoft(), |c| c.due),
            Figure::SharePaid => self.sum_flows(t, |f| f.is_share_to_microsoft(), paid),
            Figure::MicrosoftSharePaid => self.sum_flows(t, |f| f.is_share_to_openai(), paid),
            Figure::OtherToMicrosoft => self.sum_flows(
                t,
                |f| f.category.is_payment() && f.to_microsoft() && !f.is_share_to_microsoft(),
                paid,
            ),
            Figure::OtherToOpenai => self.sum_flows(
                t,
                |f| f.category.is_payment() && !f.to_microsoft() && !f.is_share_to_openai(),
                paid,
            ),
            Figure::Purchases => self.sum_flows(t, |f| !f.category.is_payment(), paid),
            Figure::CumulativePaid if t == 0 => format!("={}", here(COL_SHARE_PAID)),
            Figure::CumulativePaid => {
                format!(
                    "={}+{}",
                    format_args!("{}{}", column_number_to_name(COL_CUMULATIVE), t + 1),
                    here(COL_SHARE_PAID)
                )
            }
            Figure::Net => format!(
                "={}+{}-{}-{}",
                here(COL_SHARE_PAID),
                here(COL_OTHER_TO_MICROSOFT),
                here(COL_MICROSOFT_PAID),
                here(COL_OTHER_TO_OPENAI)
            ),
            Figure::CashNet => self.cash_net(t),
            Figure::CapRemaining => {
                let rooms: Vec<String> =
                    self.capped_pools().into_iter().map(|(_, last)| self.room_at(last, t)).collect();
                format!("={}", rooms.join("+"))
            }
            _ => "=0".to_string(),
        }
    }

    /// Each pool holding an OpenAI→Microsoft share, with its members and its last member flow.
    fn capped_pools(&self) -> Vec<(Vec<usize>, usize)> {
        let plan = self.model.plan;
        (0..plan.pools.len())
            .filter(|p| plan.pools[*p].holds_share_to_microsoft)
            .filter_map(|p| {
                let members: Vec<usize> =
                    (0..plan.flows.len()).filter(|k| plan.flows[*k].pool == Some(p)).collect();
                members.last().copied().map(|last| (members, last))
            })
            .collect()
    }

    fn room_at(&self, flow: usize, t: usize) -> String {
        self.flows.at(self.flows.columns[flow].room.unwrap_or_default(), t)
    }

    /// Whether a pool holding an OpenAI→Microsoft share has started (a member in force by the
    /// period's end) and has no room left.
    fn cap_reached(&self, t: usize) -> String {
        let pools: Vec<String> = self
            .capped_pools()
            .into_iter()
            .map(|(members, last)| {
                let days: Vec<String> =
                    members.iter().map(|k| self.flows.to_date(self.flows.columns[*k].days, t)).collect();
                format!("AND(SUM({})>0,{}=0)", days.join(","), self.room_at(last, t))
            })
            .collect();
        if pools.is_empty() {
            "=FALSE()".to_string()
        } else {
            format!("=OR({})", pools.join(","))
        }
    }

    /// Cash: every payment whose day (its period's end plus its lag) falls in this period.
    fn cash_net(&self, t: usize) -> String {
        let ends = self.flows.range(self.flows.end_column());
        let (start, end) = (format!("$B{}", t + 2), format!("$C{}", t + 2));
        let terms: Vec<String> = self
            .model
            .plan
            .flows
            .iter()
            .zip(&self.flows.columns)
            .zip(&self.model.flows)
            .filter(|((flow, _), _)| flow.category.is_payment())
            .map(|((flow, cols), refs)| {
                let lag = self.model.inputs.cell(refs.lag);
                let sign = if flow.to_microsoft() { "+" } else { "-" };
                format!(
                    "{sign}SUMPRODUCT({},({ends}+{lag}>={start})*({ends}+{lag}<={end}))",
                    self.flows.range(cols.paid)
                )
            })
            .collect();
        if terms.is_empty() {
            "=0".to_string()
        } else {
            format!("=0{}", terms.join(""))
        }
    }

    /// The highest rate of the OpenAI→Microsoft shares in force, on the period's last day in
    /// force (a schedule's step then; under tiers, the highest bracket the base reaches), or empty.
    fn share_rate(&self, t: usize) -> String {
        let rates: Vec<String> = self
            .model
            .plan
            .flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_share_to_microsoft())
            .filter_map(|(k, flow)| {
                let Due::Revenue { stream, rule } = &flow.due else { return None };
                let refs = &self.model.flows[k];
                let input = |i: usize| self.model.inputs.cell(i);
                let flat = refs.rate.map_or_else(|| rule.flat_rate.normalize().to_string(), input);
                let rate = if !refs.tiers.is_empty() {
                    let fraction = refs.fraction.map_or_else(|| rule.fraction.normalize().to_string(), input);
                    let scaled = format!(
                        "{}*{fraction}*{}",
                        self.flows.stream_at(*stream, t),
                        self.flows.year_days_at(t)
                    );
                    refs.tiers.iter().rev().fold(flat, |inner, (above, rate)| {
                        format!(
                            "IF({scaled}>{}*{},{},{inner})",
                            input(*above),
                            self.flows.days_at(t),
                            input(*rate)
                        )
                    })
                } else {
                    let last = refs
                        .end
                        .map_or_else(|| format!("$C{}", t + 2), |e| format!("MIN($C{},{})", t + 2, input(e)));
                    refs.steps.iter().fold(flat, |inner, (from, rate)| {
                        format!("IF({last}>={},{},{inner})", input(*from), input(*rate))
                    })
                };
                Some(format!("IF({}>0,{rate},-1)", self.flows.at(self.flows.columns[k].days, t)))
            })
            .collect();
        if rates.is_empty() {
            return "=\"\"".to_string();
        }
        let highest = if rates.len() == 1 { rates[0].clone() } else { format!("MAX({})", rates.join(",")) };
        format!("=IF({highest}<0,\"\",{highest})")
    }
}
