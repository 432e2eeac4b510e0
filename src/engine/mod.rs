//! Stage 3: the rules engine. A pure function from (agreement, scenario) to a ledger: no I/O, no
//! clock, no randomness. It never validates input (the scenario stage did) and never formats
//! output (the report stage does).
//!
//! The agreement's cash clauses are compiled once per run into a `Plan` of flows
//! (`agreement::plan`); each period, `evaluate::evaluate_period` works out every flow's due and
//! what its cap pool lets it pay, and this module records the trace of each figure. Caps bind
//! exactly: the period that reaches a pool pays the remainder and later periods nothing.

pub mod evaluate;
mod headline;
mod rights;

pub use headline::{headline, headline_of, Headline};
pub use rights::{
    boundary_days, launch_outcome, period_rights, right_sources, rights_changes, RightSource, Rights,
};

pub use crate::agreement::plan::InForce;
use crate::agreement::plan::{self, Due, ExactPlan};
use crate::agreement::{Agreement, Clause};
use crate::ledger::{CashFlow, DistributionStatus, DueBasis, Ledger, LedgerRow, RevenueBasis, ShareTerm};
use crate::money::Money;
use crate::period::Period;
use crate::scenario::OnBreach;
use crate::scenario::Scenario;
use chrono::NaiveDate;
use evaluate::{evaluate_period, Evaluated, State};
use rust_decimal::Decimal;

pub use crate::ledger::SimError;

/// When `clause` is in force under `scenario` (its AGI date applied to an AGI trigger).
pub fn in_force(agreement: &Agreement, clause: &Clause, scenario: &Scenario) -> InForce {
    plan::in_force(agreement, clause, scenario.agi_declared)
}

/// The agreement's cash compiled for the scenario's periods, streams and AGI date.
pub fn compile(agreement: &Agreement, scenario: &Scenario) -> Result<ExactPlan, SimError> {
    let streams = scenario.stream_names();
    let run = plan::CompileContext {
        periods: &scenario.periods,
        streams: &streams,
        agi_declared: scenario.agi_declared,
        prior_payments_toward_cap: scenario.prior_payments_toward_cap,
    };
    Ok(plan::compile(agreement, run)?)
}

pub fn simulate(agreement: &Agreement, scenario: &Scenario) -> Result<Ledger, SimError> {
    // One ledger has one AGI date: a distribution of them is Monte Carlo's to draw, never ours
    // to pick silently.
    if !scenario.agi_outcomes.is_empty() && agreement.agi_matters() {
        return Err(SimError::AgiDistribution { agreement: agreement.name.clone() });
    }
    let plan = compile(agreement, scenario)?;
    let mut state = State::new(&plan, None);
    let boundaries = boundary_days(agreement, scenario);
    let stream_names = scenario.stream_names();
    let mut rows: Vec<LedgerRow> = Vec::with_capacity(scenario.periods.len());
    for i in 0..scenario.periods.len() {
        let before = rows.last().map_or(Decimal::ZERO, |r| r.cumulative_paid.value());
        let run = Run { plan: &plan, stream_names: &stream_names, boundaries: &boundaries, before };
        rows.push(period_row(agreement, scenario, run, &mut state, i)?);
    }
    cash_by_period(&mut rows)?;
    Ok(Ledger {
        scenario: scenario.name.clone(),
        agreement: agreement.name.clone(),
        effective: agreement.effective.value,
        discounting: scenario.discounting,
        launches: scenario.launches.iter().map(|l| launch_outcome(agreement, scenario, l)).collect(),
        rows,
    })
}

/// What a period's row reads besides the state: the plan, the streams' names, the days rights
/// may change, and the OpenAI→Microsoft share total paid before this period.
struct Run<'a> {
    plan: &'a ExactPlan,
    stream_names: &'a [String],
    boundaries: &'a [NaiveDate],
    before: Decimal,
}

/// One period's row: each flow's trace (advancing the state), the totals, the rights.
fn period_row(
    agreement: &Agreement,
    scenario: &Scenario,
    run: Run,
    state: &mut State<Decimal>,
    i: usize,
) -> Result<LedgerRow, SimError> {
    let period = &scenario.periods[i];
    let overflow = |figure: &'static str| SimError::Overflow { figure, period: period.label.clone() };
    let flows = period_flows(&run, state, i, period, scenario).ok_or_else(|| overflow("cash flows"))?;
    let CashTotals {
        share_due,
        share_paid,
        microsoft_share_due,
        microsoft_share_paid,
        paid_to_microsoft,
        paid_to_openai,
        purchases,
    } = CashTotals::of(&flows).ok_or_else(|| overflow("cash totals"))?;
    let cumulative_paid = run.before.checked_add(share_paid).ok_or_else(|| overflow("cumulative paid"))?;
    // The cap the table and the summary speak of: each pool holding an OpenAI→Microsoft share, once.
    let capped: Vec<usize> =
        (0..run.plan.pools.len()).filter(|p| run.plan.pools[*p].holds_share_to_microsoft).collect();
    let cap_remaining = (!capped.is_empty()).then(|| capped.iter().map(|p| Money(state.rooms[*p])).sum());
    let cap_reached = capped.iter().any(|p| run.plan.pools[*p].started[i] && state.rooms[*p].is_zero());
    let share_rate = flows
        .iter()
        .filter(|f| f.is_openai_to_microsoft() && f.days_in_force > 0)
        .filter_map(|f| f.revenue().map(|r| r.rate))
        .max();
    let share_term = share_term(run.plan, period);
    let rights = period_rights(agreement, scenario, period);
    let rights_changes = rights_changes(agreement, scenario, period, run.boundaries);
    let (non_azure_share, distribution_breach) = cloud_breach(agreement, scenario, period, &rights)?;
    Ok(LedgerRow {
        non_azure_share,
        distribution_breach,
        period: period.clone(),
        revenue: Money(scenario.openai_revenue[i]),
        share_rate,
        share_term,
        share_due: Money(share_due),
        share_paid: Money(share_paid),
        cumulative_paid: Money(cumulative_paid),
        cap_remaining,
        cap_reached,
        microsoft_revenue: Money(scenario.microsoft_revenue[i]),
        microsoft_share_due: Money(microsoft_share_due),
        microsoft_share_paid: Money(microsoft_share_paid),
        other_paid_to_microsoft: Money(paid_to_microsoft - share_paid),
        other_paid_to_openai: Money(paid_to_openai - microsoft_share_paid),
        purchases: Money(purchases),
        net_to_microsoft: Money(
            paid_to_microsoft.checked_sub(paid_to_openai).ok_or_else(|| overflow("net to Microsoft"))?,
        ),
        licence: rights.licence,
        distribution: rights.distribution,
        azure_first: rights.azure_first,
        agi_clause: rights.agi_clause,
        rights_changes,
        // Filled in by `cash_by_period` once every period's payments are known.
        cash_to_microsoft: Money::ZERO,
        cash_to_openai: Money::ZERO,
        cash_net_to_microsoft: Money::ZERO,
        flows,
    })
}

/// Every flow of period `i` evaluated (advancing the state) and traced. `None` on overflow.
fn period_flows(
    run: &Run,
    state: &mut State<Decimal>,
    i: usize,
    period: &Period,
    scenario: &Scenario,
) -> Option<Vec<CashFlow>> {
    let streams = scenario.streams_in(i);
    let mut evaluated = Vec::with_capacity(run.plan.flows.len());
    evaluate_period(run.plan, state, i, &streams, (), |_, e| evaluated.push(e))?;
    let inputs = TraceInputs {
        evaluated: &evaluated,
        paid_so_far: &state.paid_so_far,
        streams: &streams,
        stream_names: run.stream_names,
    };
    (0..evaluated.len()).map(|k| trace(run.plan, &inputs, k, period, i)).collect()
}

/// A period's flows summed the ways the row shows them.
struct CashTotals {
    share_due: Decimal,
    share_paid: Decimal,
    microsoft_share_due: Decimal,
    microsoft_share_paid: Decimal,
    paid_to_microsoft: Decimal,
    paid_to_openai: Decimal,
    purchases: Decimal,
}

impl CashTotals {
    fn of(flows: &[CashFlow]) -> Option<CashTotals> {
        let sum = |pick: fn(&CashFlow) -> bool, value: fn(&CashFlow) -> Decimal| {
            flows.iter().filter(|f| pick(f)).try_fold(Decimal::ZERO, |acc, f| acc.checked_add(value(f)))
        };
        type Figure = fn(&CashFlow) -> Decimal;
        let (due, paid): (Figure, Figure) = (|f| f.due.value(), |f| f.paid.value());
        Some(CashTotals {
            share_due: sum(CashFlow::is_openai_to_microsoft, due)?,
            share_paid: sum(CashFlow::is_openai_to_microsoft, paid)?,
            microsoft_share_due: sum(CashFlow::is_microsoft_to_openai, due)?,
            microsoft_share_paid: sum(CashFlow::is_microsoft_to_openai, paid)?,
            paid_to_microsoft: sum(CashFlow::is_payment_to_microsoft, paid)?,
            paid_to_openai: sum(CashFlow::is_payment_to_openai, paid)?,
            purchases: sum(|f| !f.category.is_payment(), paid)?,
        })
    }
}

/// Each period's cash: every payment any period accrued whose payment day falls in this one.
fn cash_by_period(rows: &mut [LedgerRow]) -> Result<(), SimError> {
    let payments: Vec<(NaiveDate, bool, Decimal)> = rows
        .iter()
        .flat_map(|r| {
            r.flows
                .iter()
                .filter(|f| f.category.is_payment())
                .map(|f| (f.paid_on, f.is_payment_to_microsoft(), f.paid.value()))
        })
        .collect();
    for row in rows.iter_mut() {
        let overflow = || SimError::Overflow { figure: "cash", period: row.period.label.clone() };
        let (mut to_microsoft, mut to_openai) = (Decimal::ZERO, Decimal::ZERO);
        for (day, openai_pays, amount) in &payments {
            if row.period.start <= *day && *day <= row.period.end {
                let total = if *openai_pays { &mut to_microsoft } else { &mut to_openai };
                *total = total.checked_add(*amount).ok_or_else(overflow)?;
            }
        }
        row.cash_to_microsoft = Money(to_microsoft);
        row.cash_to_openai = Money(to_openai);
        row.cash_net_to_microsoft = Money(to_microsoft.checked_sub(to_openai).ok_or_else(overflow)?);
    }
    Ok(())
}

/// The share of revenue served outside Azure, and whether that breaches an Azure-only clause;
/// an error when the scenario asked breaches to be refused.
fn cloud_breach(
    agreement: &Agreement,
    scenario: &Scenario,
    period: &Period,
    rights: &Rights,
) -> Result<(Decimal, bool), SimError> {
    let non_azure_share = scenario.cloud_mix.as_ref().map_or(Decimal::ZERO, |m| m.outside_azure(period.year));
    let breach = rights.distribution == DistributionStatus::AzureOnly && non_azure_share > Decimal::ZERO;
    if breach && scenario.cloud_mix.as_ref().is_some_and(|m| m.on_breach == OnBreach::Error) {
        return Err(SimError::DistributionBreach {
            period: period.label.clone(),
            share: crate::money::percent(non_azure_share),
            agreement: agreement.name.clone(),
        });
    }
    Ok((non_azure_share, breach))
}

/// Whether the OpenAI→Microsoft shares are in force in `period`, not yet, or over.
fn share_term(plan: &ExactPlan, period: &Period) -> ShareTerm {
    let to_microsoft: Vec<&InForce> =
        plan.flows.iter().filter(|f| f.is_share_to_microsoft()).map(|f| &f.force).collect();
    if to_microsoft.is_empty() {
        ShareTerm::None
    } else if to_microsoft.iter().any(|f| f.days_in(period) > 0) {
        ShareTerm::InForce
    } else if to_microsoft.iter().any(|f| f.first > period.end) {
        ShareTerm::NotStarted
    } else {
        ShareTerm::Ended
    }
}

/// What the traces of one period read: every flow as evaluated, what each has paid so far, and
/// the period's streams with their names.
struct TraceInputs<'a> {
    evaluated: &'a [Evaluated<Decimal>],
    paid_so_far: &'a [Decimal],
    streams: &'a [Decimal],
    stream_names: &'a [String],
}

/// The inputs of a revenue rule in period `i`: the base, and the rate on the period's last day in
/// force (a schedule may change it inside the period: `segments` has each part), or under tiers
/// the highest bracket reached.
fn revenue_basis(
    rule: &plan::ExactDue,
    force: InForce,
    period: &Period,
    i: usize,
    stream: Decimal,
    name: &str,
) -> Option<RevenueBasis> {
    let base = rule.base(stream)?;
    let last_day = force.last.map_or(period.end, |l| l.min(period.end));
    let (rate, rate_basis) = rule.rate_on(last_day);
    let (rate, tiers) = match &rule.rate {
        plan::CompiledRate::Tiered { below_first, tiers } => (
            crate::agreement::marginal_rate(
                base,
                *below_first,
                tiers,
                rule.period_days[i],
                rule.year_days[i],
            ),
            std::iter::once((Decimal::ZERO, *below_first))
                .chain(tiers.iter().map(|t| (t.above, t.rate)))
                .collect(),
        ),
        plan::CompiledRate::RateDays(_) => (rate, Vec::new()),
    };
    Some(RevenueBasis {
        stream: name.to_string(),
        stream_amount: Money(stream),
        base: Money(base),
        base_fraction: rule.fraction,
        rate,
        rate_basis,
        segments: rule.segments[i].clone(),
        tiers,
        period_year_days: rule.year_days[i],
    })
}

/// The trace of flow `k` in period `i`: what `evaluate_period` worked out, with the inputs behind
/// it (by the shape of its due) and when it is paid in cash. `None` on overflow.
fn trace(plan: &ExactPlan, inputs: &TraceInputs, k: usize, period: &Period, i: usize) -> Option<CashFlow> {
    let TraceInputs { evaluated, paid_so_far, streams, stream_names } = *inputs;
    let flow = &plan.flows[k];
    let e = evaluated[k];
    let cumulative_paid = paid_so_far[k];
    let days_in_force = flow.days[i];
    let basis = match &flow.due {
        Due::Revenue { stream, rule } => DueBasis::Revenue(revenue_basis(
            rule,
            flow.force,
            period,
            i,
            *streams.get(*stream)?,
            stream_names.get(*stream)?,
        )?),
        Due::Fixed(_) => DueBasis::Fixed,
        Due::TopUp { minimum, of } => DueBasis::TopUp {
            minimum: Money(minimum[i]),
            topped_up: of
                .iter()
                .map(|j| (plan.flows[*j].clause_id.clone(), Money(evaluated[*j].paid)))
                .collect(),
        },
        Due::Milestone { .. } => DueBasis::Milestone,
        Due::Shortfall { commitment, of, period } => DueBasis::Shortfall {
            commitment: Money(*commitment),
            due_now: *period == Some(i),
            // Purchases through this period (the purchases flow is evaluated before the shortfall).
            purchased: Money(paid_so_far[*of]),
        },
    };
    let pool = flow.pool.map(|p| &plan.pools[p]);
    Some(CashFlow {
        clause: flow.clause_id.clone(),
        kind: flow.kind,
        category: flow.category,
        payer: flow.payer,
        payee: flow.payee,
        due: Money(e.due),
        paid: Money(e.paid),
        cumulative_paid: Money(cumulative_paid),
        cap_pool: pool.map(|p| p.name.clone()),
        cap: pool.map(|p| Money(p.amount)),
        cap_room_before: e.room_before.map(Money),
        cap_remaining: e.room_after.map(Money),
        cap_reached: e.pool_reached,
        term: if days_in_force > 0 {
            ShareTerm::InForce
        } else if flow.force.first > period.end {
            ShareTerm::NotStarted
        } else {
            ShareTerm::Ended
        },
        paid_on: flow.paid_on(period),
        days_in_force,
        period_days: period.days(),
        basis,
    })
}
