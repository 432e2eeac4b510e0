//! `flows.csv`: the ledger's cash tidy, one row per period and flow of each cash clause (a
//! purchase commitment has two: its purchases and its shortfall), for a notebook or a pivot
//! table.

use super::{serialize_rows, OutputError};
use crate::ledger::Ledger;
use crate::money::Money;

#[derive(serde::Serialize, Default)]
pub(super) struct FlowCsvRow {
    period: String,
    period_start: String,
    period_end: String,
    clause: String,
    kind: &'static str,
    payer: String,
    payee: String,
    /// `revenue-share`, `fixed`, `top-up`, `milestone`, `shortfall` or `purchase`.
    category: String,
    due: Money,
    paid: Money,
    /// The cap pool it draws on (a clause's own cap is a pool named after it), and the pool's
    /// room after it drew; empty when uncapped.
    cap_pool: String,
    #[serde(serialize_with = "crate::money::optional")]
    pool_remaining: Option<Money>,
    paid_on: String,
}

/// A party as agreement files write it.
fn party(p: crate::agreement::Party) -> String {
    match p {
        crate::agreement::Party::OpenAi => "openai".into(),
        crate::agreement::Party::Microsoft => "microsoft".into(),
    }
}

pub fn flows_csv(ledger: &Ledger, units: super::Units) -> Result<Vec<u8>, OutputError> {
    let rows = ledger.rows.iter().flat_map(|row| {
        row.flows.iter().map(move |f| FlowCsvRow {
            period: row.period.label.clone(),
            period_start: row.period.start.to_string(),
            period_end: row.period.end.to_string(),
            clause: f.clause.clone(),
            kind: f.kind,
            payer: party(f.payer),
            payee: party(f.payee),
            category: f.category.to_string(),
            due: f.due,
            paid: f.paid,
            cap_pool: f.cap_pool.clone().unwrap_or_default(),
            pool_remaining: f.cap_remaining,
            paid_on: f.paid_on.to_string(),
        })
    });
    serialize_rows(super::Output::FlowsCsv.name(), units, rows)
}
