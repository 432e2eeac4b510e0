//! The figures a sweep keeps of each point: total paid, net, present value and the cap's year.
//! The same compiled plan and `evaluate_period` as `simulate`, recording only the totals and each
//! payment's cash day (no trace, rows or rights), so a point costs a fraction of a ledger; a
//! property test holds every figure equal to `simulate(..)?.summary()?`'s. Generic over the
//! number it runs on, as `evaluate_period` is: a sweep of the cap and the rate runs it on the
//! plan in cents with them as a path's terms.

use super::evaluate::{evaluate_period, Amount, DueRule, State};
use super::{compile, SimError};
use crate::agreement::plan::Plan;
use crate::agreement::Agreement;
use crate::ledger::present_value_of;
use crate::period::Period;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// What a sweep reports of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headline {
    /// OpenAI→Microsoft revenue share paid (the summary's `totals.share_paid`).
    pub share_paid: Decimal,
    /// Every payment to Microsoft minus every payment to OpenAI (`totals.net_to_microsoft`).
    pub net_to_microsoft: Decimal,
    /// The present value of the net cash (`present_value.net_to_microsoft`).
    pub present_value: Decimal,
    pub cap_reached_year: Option<i32>,
}

impl Headline {
    /// A full run's summary, read as a headline.
    pub fn of(summary: &crate::ledger::Summary) -> Headline {
        Headline {
            share_paid: summary.totals.share_paid.value(),
            net_to_microsoft: summary.totals.net_to_microsoft.value(),
            present_value: summary.present_value.net_to_microsoft.value(),
            cap_reached_year: summary.cap_reached_year,
        }
    }
}

/// The headline of `scenario` under `agreement`, valued with `factors` (the scenario's discount
/// factor per period, `Discounting::factors`). A scenario with a cloud mix takes the full run
/// (its breach rule may refuse the run, which only the ledger checks).
pub fn headline(
    agreement: &Agreement,
    scenario: &Scenario,
    factors: &[Decimal],
) -> Result<Headline, SimError> {
    if scenario.cloud_mix.is_some() || (!scenario.agi_outcomes.is_empty() && agreement.agi_matters()) {
        return Ok(Headline::of(&super::simulate(agreement, scenario)?.summary()?));
    }
    let plan = compile(agreement, scenario)?;
    let mut state = State::new(&plan, None);
    let streams: Vec<Vec<Decimal>> = (0..scenario.periods.len()).map(|i| scenario.streams_in(i)).collect();
    headline_of(&plan, &mut state, (&scenario.periods, &streams), (), factors, Some)
}

/// The headline of a compiled plan from `state` (fresh or reset), each period's streams given,
/// with a path's `terms`; `decimal` turns an amount into dollars (exact).
pub fn headline_of<A: Amount, R: DueRule<A>>(
    plan: &Plan<A, R>,
    state: &mut State<A>,
    (periods, streams): (&[Period], &[Vec<A>]),
    terms: R::PathTerms,
    factors: &[Decimal],
    decimal: impl Fn(A) -> Option<Decimal>,
) -> Result<Headline, SimError> {
    let (mut share_paid, mut net, mut cap_reached_year) = (A::ZERO, A::ZERO, None);
    // Cash per period, by payment day: (to Microsoft, to OpenAI).
    let mut cash = vec![(A::ZERO, A::ZERO); periods.len()];
    for (i, period) in periods.iter().enumerate() {
        let overflow = |figure: &'static str| SimError::Overflow { figure, period: period.label.clone() };
        let mut paid_share = Some(A::ZERO);
        let mut cash_overflow = false;
        let totals = evaluate_period(plan, state, i, &streams[i], terms, |k, e| {
            let flow = &plan.flows[k];
            if flow.is_share_to_microsoft() {
                paid_share = paid_share.and_then(|p| p.checked_add(e.paid));
            }
            if flow.category.is_payment() {
                let day = flow.paid_on(period);
                // Periods are contiguous and in order: the first ending on or after the day.
                if let Some(j) = periods[i..].iter().position(|p| day <= p.end).map(|j| j + i) {
                    let slot = if flow.to_microsoft() { &mut cash[j].0 } else { &mut cash[j].1 };
                    match slot.checked_add(e.paid) {
                        Some(total) => *slot = total,
                        None => cash_overflow = true,
                    }
                }
            }
        })
        .ok_or_else(|| overflow("cash flows"))?;
        if cash_overflow {
            return Err(overflow("cash"));
        }
        share_paid =
            paid_share.and_then(|p| share_paid.checked_add(p)).ok_or_else(|| overflow("total share paid"))?;
        let period_net = totals
            .paid_to_microsoft
            .checked_sub(totals.paid_to_openai)
            .ok_or_else(|| overflow("net to Microsoft"))?;
        net = net.checked_add(period_net).ok_or_else(|| overflow("total net to Microsoft"))?;
        if totals.cap_reached && cap_reached_year.is_none() {
            cap_reached_year = Some(period.year);
        }
    }
    let run_overflow = |figure: &'static str| SimError::Overflow { figure, period: "the run".to_string() };
    let mut net_cash = Vec::with_capacity(cash.len());
    for ((to_microsoft, to_openai), period) in cash.into_iter().zip(periods) {
        let overflow = || SimError::Overflow { figure: "cash", period: period.label.clone() };
        let amount = to_microsoft.checked_sub(to_openai).and_then(&decimal).ok_or_else(overflow)?;
        net_cash.push(amount);
    }
    Ok(Headline {
        share_paid: decimal(share_paid).ok_or_else(|| run_overflow("total share paid"))?,
        net_to_microsoft: decimal(net).ok_or_else(|| run_overflow("total net to Microsoft"))?,
        present_value: present_value_of(net_cash.into_iter().zip(periods), factors)?,
        cap_reached_year,
    })
}
