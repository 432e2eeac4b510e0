//! `dealsim explain`: for one period of a ledger, each figure with the clause that produced it,
//! the inputs it used and the arithmetic, as checkable steps. `Step::holds` recomputes a step
//! from its inputs, so tests can prove the trace reproduces the ledger exactly.

mod cash;
mod flows;
mod revenue;
mod rights;
mod step;

pub use step::Step;

use crate::agreement::Agreement;
use crate::ledger::{CashFlow, Ledger, LedgerRow};
use crate::money::Human;
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use serde::Serialize;

/// One figure of the ledger row: its column, its value, why, and (for money) the arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// The ledger column it explains (`share_paid`, `licence`, …), or `<column>[<clause>]` for
    /// one clause's part of a summed column.
    pub column: String,
    pub value: String,
    pub explanation: String,
    pub clause: Option<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub scenario: String,
    pub agreement: String,
    pub period: String,
    pub figures: Vec<Figure>,
}

fn money(value: Decimal) -> String {
    crate::money::exact(value)
}

fn figure(
    column: &str,
    value: Decimal,
    explanation: String,
    clause: Option<&str>,
    steps: Vec<Step>,
) -> Figure {
    Figure {
        column: column.into(),
        value: money(value),
        explanation,
        clause: clause.map(str::to_string),
        steps,
    }
}

/// The row's totals: shares due and paid, cumulative, cap room, Microsoft's share, the net.
fn total_figures(ledger: &Ledger, index: usize, name: &str) -> Vec<Figure> {
    let Some(row) = ledger.rows.get(index) else { return Vec::new() };
    let mut figures = Vec::new();
    let to_microsoft: Vec<&CashFlow> = row.flows.iter().filter(|f| f.is_openai_to_microsoft()).collect();
    let to_openai: Vec<&CashFlow> = row.flows.iter().filter(|f| f.is_microsoft_to_openai()).collect();
    let ids =
        |flows: &[&CashFlow]| flows.iter().map(|f| format!("`{}`", f.clause)).collect::<Vec<_>>().join(" + ");
    figures.push(figure(
        "share_due",
        row.share_due.value(),
        format!(
            "share due {} = sum of OpenAI → Microsoft shares due ({})",
            row.share_due.human(),
            ids(&to_microsoft)
        ),
        None,
        vec![Step::Sum {
            terms: to_microsoft.iter().map(|f| f.due.value()).collect(),
            result: row.share_due.value(),
        }],
    ));
    figures.push(figure(
        "share_paid",
        row.share_paid.value(),
        format!(
            "share paid {} = sum of OpenAI → Microsoft shares paid ({})",
            row.share_paid.human(),
            ids(&to_microsoft)
        ),
        None,
        vec![Step::Sum {
            terms: to_microsoft.iter().map(|f| f.paid.value()).collect(),
            result: row.share_paid.value(),
        }],
    ));
    let previous = index
        .checked_sub(1)
        .and_then(|i| ledger.rows.get(i))
        .map_or(Decimal::ZERO, |r| r.cumulative_paid.value());
    figures.push(figure(
        "cumulative_paid",
        row.cumulative_paid.value(),
        format!(
            "cumulative paid {} = {} paid before {} + {} paid in it",
            row.cumulative_paid.human(),
            Human(previous),
            row.period.label,
            row.share_paid.human()
        ),
        None,
        vec![Step::Sum {
            terms: vec![previous, row.share_paid.value()],
            result: row.cumulative_paid.value(),
        }],
    ));
    figures.extend(cap_and_net_figures(row, &to_microsoft, &to_openai, name));
    figures
}

/// Cap room left, Microsoft's share to OpenAI, and the net.
fn cap_and_net_figures(
    row: &LedgerRow,
    to_microsoft: &[&CashFlow],
    to_openai: &[&CashFlow],
    name: &str,
) -> Vec<Figure> {
    let ids =
        |flows: &[&CashFlow]| flows.iter().map(|f| format!("`{}`", f.clause)).collect::<Vec<_>>().join(" + ");
    let mut figures = Vec::new();
    if let Some(remaining) = row.cap_remaining {
        // Each pool an OpenAI → Microsoft share draws on, once: its room before the period less
        // everything its clauses paid in it (a minimum's top-ups too).
        let mut pools: Vec<&str> = Vec::new();
        for f in to_microsoft {
            if let Some(pool) = f.cap_pool.as_deref().filter(|p| !pools.contains(p)) {
                pools.push(pool);
            }
        }
        let rooms: Vec<Step> = pools
            .iter()
            .filter_map(|pool| {
                let members: Vec<&CashFlow> =
                    row.flows.iter().filter(|f| f.cap_pool.as_deref() == Some(*pool)).collect();
                let before = members.first()?.cap_room_before?;
                let after = members.last()?.cap_remaining?;
                Some(Step::Subtract {
                    a: before.value(),
                    b: members.iter().map(|f| f.paid.value()).sum(),
                    result: after.value(),
                })
            })
            .collect();
        let mut steps = rooms.clone();
        steps.push(Step::Sum { terms: rooms.iter().map(Step::result).collect(), result: remaining.value() });
        figures.push(figure(
            "cap_remaining",
            remaining.value(),
            format!(
                "cap remaining {} = cap room before {} − paid from it in it{}",
                remaining.human(),
                row.period.label,
                if row.cap_reached { "; the cap is reached" } else { "" }
            ),
            None,
            steps,
        ));
    }
    figures.push(figure(
        "microsoft_share_paid",
        row.microsoft_share_paid.value(),
        if to_openai.is_empty() {
            format!("Microsoft → OpenAI paid 0: `{name}` has no such revenue share")
        } else {
            format!(
                "Microsoft → OpenAI paid {} = sum of ({})",
                row.microsoft_share_paid.human(),
                ids(to_openai)
            )
        },
        None,
        vec![Step::Sum {
            terms: to_openai.iter().map(|f| f.paid.value()).collect(),
            result: row.microsoft_share_paid.value(),
        }],
    ));
    figures.extend(other_and_net_figures(row, &ids));
    figures
}

/// Payments other than shares each way (when there are any), and the net over every payment.
fn other_and_net_figures(row: &LedgerRow, ids: &dyn Fn(&[&CashFlow]) -> String) -> Vec<Figure> {
    let mut figures = Vec::new();
    let others: Vec<&CashFlow> = row
        .flows
        .iter()
        .filter(|f| f.category != crate::ledger::Category::Share && f.category.is_payment())
        .collect();
    let (paid_to_microsoft, paid_to_openai) =
        (row.share_paid + row.other_paid_to_microsoft, row.microsoft_share_paid + row.other_paid_to_openai);
    if !others.is_empty() {
        for (column, value, to) in [
            ("other_paid_to_microsoft", row.other_paid_to_microsoft, crate::agreement::Party::Microsoft),
            ("other_paid_to_openai", row.other_paid_to_openai, crate::agreement::Party::OpenAi),
        ] {
            let parts: Vec<&&CashFlow> = others.iter().filter(|f| f.payee == to).collect();
            if parts.is_empty() {
                continue;
            }
            figures.push(figure(
                column,
                value.value(),
                format!(
                    "other payments to {to} {} = sum of ({})",
                    value.human(),
                    ids(&parts.iter().map(|f| **f).collect::<Vec<_>>())
                ),
                None,
                vec![Step::Sum {
                    terms: parts.iter().map(|f| f.paid.value()).collect(),
                    result: value.value(),
                }],
            ));
        }
    }
    let words = if others.is_empty() {
        format!(
            "net to Microsoft {} = {} paid by OpenAI − {} paid by Microsoft (net settlement)",
            row.net_to_microsoft.human(),
            row.share_paid.human(),
            row.microsoft_share_paid.human()
        )
    } else {
        format!(
            "net to Microsoft {} = {} paid to Microsoft (shares and other payments) − {} paid to OpenAI (net settlement)",
            row.net_to_microsoft.human(),
            paid_to_microsoft.human(),
            paid_to_openai.human()
        )
    };
    figures.push(figure(
        "net_to_microsoft",
        row.net_to_microsoft.value(),
        words,
        None,
        vec![Step::Subtract {
            a: paid_to_microsoft.value(),
            b: paid_to_openai.value(),
            result: row.net_to_microsoft.value(),
        }],
    ));
    figures
}

/// Explains row `index` of `ledger`, which `agreement` produced from `scenario`.
pub fn explain(
    ledger: &Ledger,
    agreement: &Agreement,
    scenario: &Scenario,
    index: usize,
) -> Option<Explanation> {
    let row = ledger.rows.get(index)?;
    let name = agreement.name.as_str();
    let mut figures = vec![Figure {
        column: "revenue".into(),
        value: money(row.revenue.value()),
        explanation: revenue::revenue_words(scenario, index),
        clause: None,
        steps: Vec::new(),
    }];
    // Shares not in force on any day of the period (an earlier version's, under a timeline)
    // pay nothing: one line names them rather than three lines of zeros each.
    let (idle, active): (Vec<&CashFlow>, Vec<&CashFlow>) =
        row.flows.iter().partition(|f| f.days_in_force == 0 && f.due.is_zero());
    for flow in active {
        let sentence = agreement
            .clause(&flow.clause)
            .map(|c| crate::agreement::describe::sentence(agreement, c))
            .unwrap_or_default();
        figures.extend(flows::flow_figures(flow, name, sentence.trim_end_matches('.')));
    }
    if !idle.is_empty() {
        let names: Vec<String> = idle.iter().map(|f| format!("`{}` ({})", f.clause, f.term)).collect();
        figures.push(Figure {
            column: "not_in_force".into(),
            value: "0".into(),
            explanation: format!(
                "not in force in {}, so 0 from each: {}",
                row.period.label,
                names.join(", ")
            ),
            clause: None,
            steps: Vec::new(),
        });
    }
    figures.extend(total_figures(ledger, index, name));
    figures.extend(cash::cash_figures(ledger, index));
    figures.extend(rights::right_figures(agreement, scenario, row));
    Some(Explanation {
        scenario: ledger.scenario.clone(),
        agreement: name.to_string(),
        period: row.period.label.clone(),
        figures,
    })
}

/// Whether an explanation reproduces its row: every step holds and each money figure's last step
/// gives the ledger's value.
pub fn reproduces(explanation: &Explanation) -> Result<(), String> {
    for figure in &explanation.figures {
        for step in &figure.steps {
            if !step.holds() {
                return Err(format!("{}: step {step:?} does not hold", figure.column));
            }
        }
        if let Some(last) = figure.steps.last() {
            if money(last.result()) != figure.value {
                return Err(format!(
                    "{}: steps give {} but the figure is {}",
                    figure.column,
                    last.result(),
                    figure.value
                ));
            }
        }
    }
    Ok(())
}
