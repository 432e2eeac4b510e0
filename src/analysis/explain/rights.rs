//! The rights of a row in words: which clauses decided each (as the engine records them), the
//! rule that combined them, and the day a right changes inside the period.

use super::Figure;
use crate::agreement::Agreement;
use crate::ledger::{LedgerRow, Right};
use crate::scenario::Scenario;

pub(super) fn right_figures(agreement: &Agreement, scenario: &Scenario, row: &LedgerRow) -> Vec<Figure> {
    let mut figures = Vec::new();
    // The engine says which clauses decided each right; explain only puts it in words.
    let sources = crate::engine::right_sources(agreement, scenario, &row.period);
    let rights = [
        (Right::Licence, row.licence.to_string(), "exclusive if any licence in force is"),
        (Right::Distribution, row.distribution.to_string(), "the later clause's clouds"),
        (Right::AzureFirst, row.azure_first.to_string(), "in force on any day"),
        (Right::AgiClause, row.agi_clause.to_string(), "in force on any day"),
    ];
    for (right, value, rule) in rights {
        let column = right.to_string();
        let deciding: Vec<&crate::engine::RightSource> =
            sources.iter().filter(|s| s.right == right).collect();
        let clauses: Vec<String> = deciding
            .iter()
            .map(|s| {
                let end = s.last.map_or("with no end date".to_string(), |e| format!("to {e}"));
                format!("clause `{}` ({}, in force from {} {end})", s.clause, s.value, s.first)
            })
            .collect();
        let mut why = match clauses.len() {
            0 => format!("no such clause of `{}` is in force in {}", agreement.name, row.period.label),
            1 => clauses[0].clone(),
            _ => format!("{}; {rule}", clauses.join(", ")),
        };
        for change in row.rights_changes.iter().filter(|c| c.right == right) {
            why.push_str(&format!("; changes {}→{} on {}", change.from, change.to, change.day));
        }
        figures.push(Figure {
            column: column.clone(),
            explanation: format!("{column} {value} — {why}"),
            value,
            clause: deciding.last().map(|s| s.clause.clone()),
            steps: Vec::new(),
        });
    }
    figures
}
