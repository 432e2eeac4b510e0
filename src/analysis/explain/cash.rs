//! The cash columns in words, when a payment lag makes them differ from what accrued: which
//! periods' accruals are paid on a day inside this one.

use super::{money, Figure, Step};
use crate::ledger::{CashFlow, Ledger};

/// Cash to Microsoft, to OpenAI and net for row `index`; nothing when no share has a lag (the
/// cash columns then equal the accrued ones, explained above).
pub(super) fn cash_figures(ledger: &Ledger, index: usize) -> Vec<Figure> {
    let Some(row) = ledger.rows.get(index) else { return Vec::new() };
    let lagged = ledger
        .rows
        .iter()
        .flat_map(|r| r.flows.iter().map(move |f| (r, f)))
        .any(|(r, f)| f.paid_on != r.period.end);
    if !lagged {
        return Vec::new();
    }
    let arriving = |pick: fn(&CashFlow) -> bool| -> Vec<(String, &CashFlow)> {
        ledger
            .rows
            .iter()
            .flat_map(|r| r.flows.iter().map(move |f| (r.period.label.clone(), f)))
            .filter(|(_, f)| pick(f) && row.period.start <= f.paid_on && f.paid_on <= row.period.end)
            .collect()
    };
    let mut figures = Vec::new();
    for (column, value, pick, who) in [
        (
            "cash_to_microsoft",
            row.cash_to_microsoft,
            CashFlow::is_payment_to_microsoft as fn(&CashFlow) -> bool,
            "OpenAI → Microsoft",
        ),
        ("cash_to_openai", row.cash_to_openai, CashFlow::is_payment_to_openai, "Microsoft → OpenAI"),
    ] {
        let parts = arriving(pick);
        let words: Vec<String> = parts
            .iter()
            .filter(|(_, f)| !f.paid.is_zero())
            .map(|(label, f)| {
                format!("{} accrued in {label} under `{}`, paid {}", f.paid.human(), f.clause, f.paid_on)
            })
            .collect();
        figures.push(Figure {
            column: column.into(),
            value: money(value.value()),
            explanation: if words.is_empty() {
                format!("{column} 0 — no {who} payment falls in {}", row.period.label)
            } else {
                format!("{column} {} = {}", value.human(), words.join(" + "))
            },
            clause: None,
            steps: vec![Step::Sum {
                terms: parts.iter().map(|(_, f)| f.paid.value()).collect(),
                result: value.value(),
            }],
        });
    }
    figures.push(Figure {
        column: "cash_net_to_microsoft".into(),
        value: money(row.cash_net_to_microsoft.value()),
        explanation: format!(
            "cash net to Microsoft {} = {} received − {} paid",
            row.cash_net_to_microsoft.human(),
            row.cash_to_microsoft.human(),
            row.cash_to_openai.human()
        ),
        clause: None,
        steps: vec![Step::Subtract {
            a: row.cash_to_microsoft.value(),
            b: row.cash_to_openai.value(),
            result: row.cash_net_to_microsoft.value(),
        }],
    });
    figures
}
