//! A ledger's summary: totals per clause and in all, cash after payment lags, the year the cap
//! is reached, and present values at the scenario's discount rate.

use super::{Ledger, LedgerRow, SimError};
use crate::agreement::Party;
use crate::ledger::Category;
use crate::money::Money;
use crate::scenario::Discounting;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Present values at the scenario's discount rate, valued at the start of the first period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentValue {
    pub discounting: Discounting,
    pub valuation_date: Option<NaiveDate>,
    pub share_paid: Money,
    pub microsoft_share_paid: Money,
    pub net_to_microsoft: Money,
}

/// Totals of one cash clause over the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseTotal {
    pub clause: String,
    pub payer: Party,
    pub payee: Party,
    pub due: Money,
    pub paid: Money,
    /// The cap it draws on (a shared pool's amount), and when it is first reached.
    pub cap: Option<Money>,
    pub cap_reached_in: Option<String>,
    /// The `[[cap_pools]]` pool it shares, when it draws on one (not for a cap of its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap_pool: Option<String>,
}

/// What one kind of cash moved over the run, one way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryTotal {
    pub category: Category,
    pub payer: Party,
    pub payee: Party,
    pub due: Money,
    pub paid: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub revenue: Money,
    pub share_due: Money,
    pub share_paid: Money,
    pub microsoft_share_paid: Money,
    pub net_to_microsoft: Money,
    /// Every payment each way (shares and every other kind), and purchases (apart).
    pub paid_to_microsoft: Money,
    pub paid_to_openai: Money,
    pub purchases: Money,
    /// Net cash received by Microsoft within the run (after payment lags).
    pub cash_net_to_microsoft: Money,
    /// Accrued in the run but paid after its last day: `net_to_microsoft − cash_net_to_microsoft`.
    pub outstanding_at_end: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub agreement: String,
    pub effective: NaiveDate,
    pub first_period: Option<String>,
    pub last_period: Option<String>,
    pub totals: Totals,
    pub clauses: Vec<ClauseTotal>,
    /// Totals per kind of cash and direction (`revenue-share` OpenAI → Microsoft, `top-up`, …).
    pub by_category: Vec<CategoryTotal>,
    /// The year the OpenAI→Microsoft cap is first reached, or `None`.
    pub cap_reached_year: Option<i32>,
    pub present_value: PresentValue,
    /// Every warning the command printed about this run (`warning: …` on stderr), so a file
    /// read without the terminal says it too. Filled in by the command that runs it.
    pub warnings: Vec<String>,
}

impl Summary {
    /// The total cap on OpenAI→Microsoft payments (each clause's own cap, each shared pool once),
    /// or `None` when none is capped.
    pub fn openai_to_microsoft_cap(&self) -> Option<Decimal> {
        let mut pools: Vec<&str> = Vec::new();
        let caps: Vec<Decimal> = self
            .clauses
            .iter()
            .filter(|c| c.payer == Party::OpenAi && c.payee == Party::Microsoft)
            .filter(|c| match &c.cap_pool {
                Some(pool) if pools.contains(&pool.as_str()) => false,
                Some(pool) => {
                    pools.push(pool);
                    true
                }
                None => true,
            })
            .filter_map(|c| c.cap.map(Money::value))
            .collect();
        (!caps.is_empty()).then(|| caps.iter().sum())
    }
}

impl Ledger {
    /// Each period's discount factor from the first period's start (computed once: a summary
    /// values three figures with them).
    pub fn discount_factors(&self) -> Result<Vec<Decimal>, SimError> {
        self.discounting
            .factors(self.rows.iter().map(|r| &r.period))
            .map_err(|period| SimError::Overflow { figure: "present value", period: period.label.clone() })
    }

    /// The present value of a per-period figure with `factors` (`discount_factors`), rounded to
    /// the cent.
    pub fn present_value_with(
        &self,
        factors: &[Decimal],
        figure: fn(&LedgerRow) -> Decimal,
    ) -> Result<Decimal, SimError> {
        present_value_of(self.rows.iter().map(|row| (figure(row), &row.period)), factors)
    }

    /// Totals per clause and overall. Sums use checked arithmetic; the figures are bounded by the
    /// engine (which already summed them cumulatively), so overflow here would be a bug.
    pub fn summary(&self) -> Result<Summary, SimError> {
        let sum = |figure: &'static str, f: fn(&LedgerRow) -> Money| {
            self.rows.iter().try_fold(Money::ZERO, |acc, row| {
                acc.checked_add(f(row).value())
                    .map(Money)
                    .ok_or_else(|| SimError::Overflow { figure, period: row.period.label.clone() })
            })
        };
        let totals = Totals {
            revenue: sum("total revenue", |r| r.revenue)?,
            share_due: sum("total share due", |r| r.share_due)?,
            share_paid: sum("total share paid", |r| r.share_paid)?,
            microsoft_share_paid: sum("total Microsoft share paid", |r| r.microsoft_share_paid)?,
            net_to_microsoft: sum("total net to Microsoft", |r| r.net_to_microsoft)?,
            paid_to_microsoft: sum("total paid to Microsoft", |r| r.share_paid + r.other_paid_to_microsoft)?,
            paid_to_openai: sum("total paid to OpenAI", |r| r.microsoft_share_paid + r.other_paid_to_openai)?,
            purchases: sum("total purchases", |r| r.purchases)?,
            cash_net_to_microsoft: sum("total cash to Microsoft", |r| r.cash_net_to_microsoft)?,
            outstanding_at_end: Money::ZERO,
        };
        let totals = Totals {
            outstanding_at_end: Money(
                totals
                    .net_to_microsoft
                    .checked_sub(totals.cash_net_to_microsoft.value())
                    .ok_or(SimError::Overflow { figure: "outstanding", period: String::from("the run") })?,
            ),
            ..totals
        };
        let clauses = self.clause_totals()?;
        let cap_reached_year = self.rows.iter().find(|r| r.cap_reached).map(LedgerRow::year);
        let factors = self.discount_factors()?;
        let present_value = PresentValue {
            discounting: self.discounting,
            valuation_date: self.rows.first().map(|r| r.period.start),
            // Cash is valued when it is paid: with a payment lag, in the period it arrives.
            share_paid: Money(self.present_value_with(&factors, |r| r.cash_to_microsoft.value())?),
            microsoft_share_paid: Money(self.present_value_with(&factors, |r| r.cash_to_openai.value())?),
            net_to_microsoft: Money(self.present_value_with(&factors, |r| r.cash_net_to_microsoft.value())?),
        };
        Ok(Summary {
            present_value,
            scenario: self.scenario.clone(),
            agreement: self.agreement.clone(),
            effective: self.effective,
            first_period: self.rows.first().map(|r| r.period.label.clone()),
            last_period: self.rows.last().map(|r| r.period.label.clone()),
            totals,
            by_category: self.category_totals(),
            clauses,
            cap_reached_year,
            warnings: Vec::new(),
        })
    }

    /// Totals per category and direction, in category order.
    fn category_totals(&self) -> Vec<CategoryTotal> {
        let mut out: Vec<CategoryTotal> = Vec::new();
        for flow in self.rows.iter().flat_map(|r| &r.flows) {
            let index = match out
                .iter()
                .position(|c| (c.category, c.payer, c.payee) == (flow.category, flow.payer, flow.payee))
            {
                Some(i) => i,
                None => {
                    out.push(CategoryTotal {
                        category: flow.category,
                        payer: flow.payer,
                        payee: flow.payee,
                        due: Money::ZERO,
                        paid: Money::ZERO,
                    });
                    out.len() - 1
                }
            };
            out[index].due += flow.due;
            out[index].paid += flow.paid;
        }
        out.sort_by_key(|c| (c.category, c.payer));
        out
    }

    /// Each clause's totals over the run, in the order clauses first appear.
    fn clause_totals(&self) -> Result<Vec<ClauseTotal>, SimError> {
        let mut clauses: Vec<ClauseTotal> = Vec::new();
        for row in &self.rows {
            for flow in &row.flows {
                let index = match clauses.iter().position(|c| c.clause == flow.clause) {
                    Some(i) => i,
                    None => {
                        clauses.push(ClauseTotal {
                            clause: flow.clause.clone(),
                            payer: flow.payer,
                            payee: flow.payee,
                            due: Money::ZERO,
                            paid: Money::ZERO,
                            cap: None,
                            cap_reached_in: None,
                            cap_pool: flow.cap_pool.clone().filter(|p| *p != flow.clause),
                        });
                        clauses.len() - 1
                    }
                };
                let total = &mut clauses[index];
                let overflow =
                    || SimError::Overflow { figure: "clause total", period: row.period.label.clone() };
                total.due = Money(total.due.checked_add(flow.due.value()).ok_or_else(overflow)?);
                total.paid = Money(total.paid.checked_add(flow.paid.value()).ok_or_else(overflow)?);
                total.cap = flow.cap;
                if flow.cap_reached && total.cap_reached_in.is_none() {
                    total.cap_reached_in = Some(row.period.label.clone());
                }
            }
        }
        Ok(clauses)
    }
}

/// The present value of per-period amounts with `factors`: `round(Σ amount × factor)` to the
/// cent; what every present value of a ledger (and of a sweep's point) is.
pub fn present_value_of<'a>(
    amounts: impl IntoIterator<Item = (Decimal, &'a crate::period::Period)>,
    factors: &[Decimal],
) -> Result<Decimal, SimError> {
    let mut total = Decimal::ZERO;
    for ((amount, period), factor) in amounts.into_iter().zip(factors) {
        let overflow = || SimError::Overflow { figure: "present value", period: period.label.clone() };
        total = total.checked_add(amount.checked_mul(*factor).ok_or_else(overflow)?).ok_or_else(overflow)?;
    }
    Ok(crate::money::round_money(total))
}
