//! Checks an agreement's declared invariants (`agreement::invariant`) on a ledger: what `run`
//! does on every ledger it produces, and what `dealsim verify` does on random scenarios. Each
//! broken promise is reported once, at the first period that breaks it, with the figures.

use crate::agreement::{Agreement, Figure, Invariant, RightValue};
use crate::engine::simulate;
use crate::ledger::{Ledger, LedgerRow, SimError};
use crate::money::{round_money, Human, Money};
use crate::scenario::Scenario;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt;

/// A broken promise: which, where and the figures that break it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The invariant in words, as its file states it.
    pub says: String,
    /// The rule, as checked: "share_paid = 0 after 2030-12-31".
    pub rule: String,
    /// The first period that breaks it (`None` for a whole-run figure).
    pub period: Option<String>,
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "broken: {} ({})", self.rule, self.says)?;
        if let Some(period) = &self.period {
            write!(f, " in {period}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

fn figure_of(row: &LedgerRow, figure: Figure) -> Money {
    match figure {
        Figure::ShareDue => row.share_due,
        Figure::SharePaid => row.share_paid,
        Figure::MicrosoftSharePaid => row.microsoft_share_paid,
        Figure::NetToMicrosoft => row.net_to_microsoft,
        Figure::CashToMicrosoft => row.cash_to_microsoft,
        Figure::PaidToMicrosoft => row.share_paid + row.other_paid_to_microsoft,
        Figure::Purchases => row.purchases,
        // One clause's figures: `part_of` reads its flows (a read file always names the clause).
        Figure::Due | Figure::Paid => Money::ZERO,
    }
}

/// `figure` in a row, or only `clause`'s part of it (its flows' due, or their paid), or
/// everything paid from cap pool `pool`.
fn part_of(row: &LedgerRow, figure: Figure, clause: Option<&str>, pool: Option<&str>) -> Money {
    let due = matches!(figure, Figure::ShareDue | Figure::Due);
    match (clause, pool) {
        (Some(id), _) => {
            row.flows.iter().filter(|f| f.clause == id).map(|f| if due { f.due } else { f.paid }).sum()
        }
        (None, Some(pool)) => row
            .flows
            .iter()
            .filter(|f| f.cap_pool.as_deref() == Some(pool))
            .map(|f| if due { f.due } else { f.paid })
            .sum(),
        (None, None) => figure_of(row, figure),
    }
}

fn after(row: &LedgerRow, day: Option<NaiveDate>) -> bool {
    day.is_none_or(|d| row.period.start > d)
}

fn right_holds(row: &LedgerRow, right: RightValue) -> bool {
    match right {
        RightValue::Licence(v) => row.licence == v,
        RightValue::Distribution(v) => row.distribution == v,
        RightValue::AzureFirst(v) => row.azure_first == v,
        RightValue::AgiClause(v) => row.agi_clause == v,
    }
}

fn right_shown(row: &LedgerRow, right: RightValue) -> String {
    match right {
        RightValue::Licence(_) => format!("licence {}", row.licence),
        RightValue::Distribution(_) => format!("distribution {}", row.distribution),
        RightValue::AzureFirst(_) => format!("azure_first {}", row.azure_first),
        RightValue::AgiClause(_) => format!("agi_clause {}", row.agi_clause),
    }
}

/// Every invariant of `agreement` that `ledger` (the run of `scenario`) breaks. An error only
/// when the second run a monotonicity check needs cannot be simulated.
pub fn check(
    agreement: &Agreement,
    scenario: &Scenario,
    ledger: &Ledger,
) -> Result<Vec<Violation>, SimError> {
    let mut out = Vec::new();
    for invariant in agreement.invariants.iter() {
        let broken = |period: Option<&LedgerRow>, detail: String| Violation {
            says: invariant.says().to_string(),
            rule: invariant.to_string(),
            period: period.map(|r| r.period.label.clone()),
            detail,
        };
        let found = match invariant {
            Invariant::TotalWithinCap { figure, clause, pool, cap, .. } => {
                within_cap(agreement, scenario, ledger, *figure, (clause.as_deref(), pool.as_deref()), *cap)
                    .map(|(row, total, room)| {
                        // Where the rounded figures read alike, the exact ones say which is above.
                        let (total, room) = if total.human().to_string() == Human(room).to_string() {
                            (crate::money::exact(total.value()), crate::money::exact(room))
                        } else {
                            (total.human().to_string(), Human(room).to_string())
                        };
                        let prior = if scenario.prior_payments_toward_cap.is_zero() {
                            String::new()
                        } else {
                            format!(" after {} of prior payments", Human(scenario.prior_payments_toward_cap))
                        };
                        broken(
                            Some(row),
                            format!(
                                "{figure} reaches {total} by then, above the {room} the cap allows{prior}"
                            ),
                        )
                    })
            }
            Invariant::Zero { figure, clause, after: day, .. } => {
                let of = |r: &LedgerRow| part_of(r, *figure, clause.as_deref(), None);
                ledger
                    .rows
                    .iter()
                    .find(|r| after(r, *day) && !of(r).is_zero())
                    .map(|r| broken(Some(r), format!("{figure} = {}", of(r).human())))
            }
            Invariant::AtLeast { figure, clause, value, .. } => {
                let of = |r: &LedgerRow| part_of(r, *figure, clause.as_deref(), None);
                ledger
                    .rows
                    .iter()
                    .find(|r| of(r) < *value)
                    .map(|r| broken(Some(r), format!("{figure} = {}", of(r).human())))
            }
            Invariant::MonotoneInRevenue { figure, .. } => monotone(agreement, scenario, ledger, *figure)?
                .map(|(now, higher)| {
                    broken(
                        None,
                        format!(
                            "total {figure} is {} but {} with every period's OpenAI revenue 10% higher",
                            now.human(),
                            higher.human()
                        ),
                    )
                }),
            Invariant::RightNever { right, after: day, .. } => ledger
                .rows
                .iter()
                .find(|r| after(r, *day) && right_holds(r, *right))
                .map(|r| broken(Some(r), right_shown(r, *right))),
            Invariant::RightIs { right, after: day, .. } => ledger
                .rows
                .iter()
                .find(|r| after(r, *day) && !right_holds(r, *right))
                .map(|r| broken(Some(r), right_shown(r, *right))),
        };
        out.extend(found);
    }
    Ok(out)
}

/// The first row at which the running total passes what the cap allows (the scenario's `cap`
/// if it sets one, else the invariant's, else the named clause's or the agreement's own, less
/// prior payments), with
/// that total and the room; `None` when it never does or there is no cap to speak of.
fn within_cap<'a>(
    agreement: &Agreement,
    scenario: &Scenario,
    ledger: &'a Ledger,
    figure: Figure,
    (clause, pool): (Option<&str>, Option<&str>),
    cap: Option<Decimal>,
) -> Option<(&'a LedgerRow, Money, Decimal)> {
    let own_cap = || match (clause, pool) {
        (_, Some(name)) => agreement.cap_pools.iter().find(|p| p.name == name).map(|p| p.amount.value),
        (Some(id), None) => agreement.clause(id).and_then(|c| c.own_cap()),
        (None, None) => agreement.openai_to_microsoft_cap(),
    };
    // The scenario's cap and prior payments are about the cap a revenue share draws on: an
    // invariant on another clause's own limit (a milestone paid once) keeps its own figure.
    let is_share = |id: &str| matches!(agreement.clause(id), Some(crate::agreement::Clause::RevenueShare(_)));
    let about_a_share = match (clause, pool) {
        (Some(id), _) => is_share(id),
        (None, Some(name)) => {
            agreement.clauses.iter().any(|c| is_share(c.id()) && c.cap_pool() == Some(name))
        }
        (None, None) => true,
    };
    let (limit, prior) = if about_a_share {
        (scenario.terms.cap.or(cap).or_else(own_cap)?, scenario.prior_payments_toward_cap)
    } else {
        (cap.or_else(own_cap)?, Decimal::ZERO)
    };
    let room = (limit - prior).max(Decimal::ZERO);
    let mut total = Money::ZERO;
    for row in &ledger.rows {
        total += part_of(row, figure, clause, pool);
        if total > room {
            return Some((row, total, room));
        }
    }
    None
}

/// The run's total of `figure`, and the same with every period's OpenAI revenue 10% higher,
/// when the second is lower.
fn monotone(
    agreement: &Agreement,
    scenario: &Scenario,
    ledger: &Ledger,
    figure: Figure,
) -> Result<Option<(Money, Money)>, SimError> {
    let total = |l: &Ledger| l.rows.iter().map(|r| figure_of(r, figure)).sum::<Money>();
    let mut higher = scenario.clone();
    for revenue in &mut higher.openai_revenue {
        *revenue = round_money(*revenue * Decimal::new(11, 1));
    }
    let (now, then) = (total(ledger), total(&simulate(agreement, &higher)?));
    Ok((then < now).then_some((now, then)))
}
