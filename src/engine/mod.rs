//! Stage 3: the rules engine. A pure function from (agreement, scenario) to a ledger: no I/O, no
//! clock, no randomness. It never validates input (the scenario stage did) and never formats
//! output (the report stage does).
//!
//! Per period, each revenue-share clause yields `due = round(base × rate × d / n)` where `d` of
//! the period's `n` days are in force (see `period`), then `paid = min(due, cap room)`. Caps bind
//! exactly: the period that reaches a cap pays the remainder and later periods pay nothing.

mod rights;
pub mod schedule;

pub use rights::{
    boundary_days, launch_outcome, period_rights, right_sources, rights_changes, RightSource, Rights,
};

use crate::agreement::{Agreement, Clause, RevenueShare, Trigger};
use crate::ledger::{DistributionStatus, Ledger, LedgerRow, ShareFlow, ShareTerm};
use crate::money::Money;
use crate::period::{day_before, Period};
use crate::scenario::OnBreach;
use crate::scenario::Scenario;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schedule::{compile_shares, evaluate_period, Evaluated, ExactDue, ExactSchedule};

pub use crate::ledger::SimError;

/// The days a clause is in force: from its start to its end, cut short by its trigger if the
/// scenario fires it. `last = None` is open-ended; `last < first` means never in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    pub first: NaiveDate,
    pub last: Option<NaiveDate>,
}

impl InForce {
    pub fn days_in(&self, period: &Period) -> i64 {
        period.days_within(self.first, self.last)
    }
}

/// When `clause` is in force under `scenario`. An AGI trigger ends the clause the day before
/// AGI is declared; a clause without the trigger ignores the declaration entirely.
pub fn in_force(agreement: &Agreement, clause: &Clause, scenario: &Scenario) -> InForce {
    let first = agreement.start_of(clause);
    let mut last = clause.end();
    if let (Some(Trigger::AgiDeclared), Some(agi)) = (clause.stops_on(), scenario.agi_declared) {
        let stop = day_before(agi);
        last = Some(last.map_or(stop, |end| end.min(stop)));
    }
    InForce { first, last }
}

pub fn simulate(agreement: &Agreement, scenario: &Scenario) -> Result<Ledger, SimError> {
    // One ledger has one AGI date: a distribution of them is Monte Carlo's to draw, never ours
    // to pick silently.
    if !scenario.agi_outcomes.is_empty() && agreement.agi_matters() {
        return Err(SimError::AgiDistribution { agreement: agreement.name.clone() });
    }
    let shares = compile_shares(agreement, scenario)?;
    let mut rooms: Vec<Option<Decimal>> = shares.iter().map(|s| s.room_at_start(None)).collect();
    let mut cumulative: Vec<Decimal> = vec![Decimal::ZERO; shares.len()];
    let boundaries = boundary_days(agreement, scenario);
    let mut rows: Vec<LedgerRow> = Vec::with_capacity(scenario.periods.len());
    for i in 0..scenario.periods.len() {
        let before = rows.last().map_or(Decimal::ZERO, |r| r.cumulative_paid.value());
        let running = Running { rooms: &mut rooms, cumulative: &mut cumulative, before };
        rows.push(period_row(agreement, scenario, &shares, &boundaries, running, i)?);
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

/// What carries from one period to the next: each share's cap room and what it has paid, and
/// the OpenAI→Microsoft total paid before this period.
struct Running<'a> {
    rooms: &'a mut [Option<Decimal>],
    cumulative: &'a mut [Decimal],
    before: Decimal,
}

/// One period's row: each share's flow (advancing its running state), the totals, the rights.
fn period_row(
    agreement: &Agreement,
    scenario: &Scenario,
    shares: &[ExactSchedule],
    boundaries: &[NaiveDate],
    running: Running,
    i: usize,
) -> Result<LedgerRow, SimError> {
    let period = &scenario.periods[i];
    let overflow = |figure: &'static str| SimError::Overflow { figure, period: period.label.clone() };
    let revenues = [scenario.openai_revenue[i], scenario.microsoft_revenue[i]];
    let mut evaluated = Vec::with_capacity(shares.len());
    evaluate_period(shares, running.rooms, i, revenues, (), |_, e| evaluated.push(e))
        .ok_or_else(|| overflow("revenue share"))?;
    let mut flows = Vec::with_capacity(shares.len());
    for (k, (schedule, e)) in shares.iter().zip(evaluated).enumerate() {
        let Clause::RevenueShare(share) = &agreement.clauses[schedule.clause] else { continue };
        let stream = revenues[usize::from(!schedule.openai_stream)];
        let base = schedule.rule.base(stream).ok_or_else(|| overflow("revenue share"))?;
        running.cumulative[k] =
            running.cumulative[k].checked_add(e.paid).ok_or_else(|| overflow("revenue share"))?;
        flows.push(trace(share, &schedule.rule, period, i, base, e, running.cumulative[k]));
    }

    let sum = |pick: fn(&ShareFlow) -> bool, value: fn(&ShareFlow) -> Decimal| {
        flows.iter().filter(|f| pick(f)).try_fold(Decimal::ZERO, |acc, f| acc.checked_add(value(f)))
    };
    let share_due =
        sum(ShareFlow::is_openai_to_microsoft, |f| f.due.value()).ok_or_else(|| overflow("share due"))?;
    let share_paid =
        sum(ShareFlow::is_openai_to_microsoft, |f| f.paid.value()).ok_or_else(|| overflow("share paid"))?;
    let microsoft_share_due = sum(ShareFlow::is_microsoft_to_openai, |f| f.due.value())
        .ok_or_else(|| overflow("Microsoft share due"))?;
    let microsoft_share_paid = sum(ShareFlow::is_microsoft_to_openai, |f| f.paid.value())
        .ok_or_else(|| overflow("Microsoft share paid"))?;
    let cumulative_paid =
        running.before.checked_add(share_paid).ok_or_else(|| overflow("cumulative paid"))?;
    let capped: Vec<&ShareFlow> =
        flows.iter().filter(|f| f.is_openai_to_microsoft() && f.cap_remaining.is_some()).collect();
    let cap_remaining =
        if capped.is_empty() { None } else { Some(capped.iter().filter_map(|f| f.cap_remaining).sum()) };
    let share_rate =
        flows.iter().filter(|f| f.is_openai_to_microsoft() && f.days_in_force > 0).map(|f| f.rate).max();
    let share_term = share_term(shares, period);
    let rights = period_rights(agreement, scenario, period);
    let rights_changes = rights_changes(agreement, scenario, period, boundaries);
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
        cap_reached: capped.iter().any(|f| f.cap_reached),
        microsoft_revenue: Money(scenario.microsoft_revenue[i]),
        microsoft_share_due: Money(microsoft_share_due),
        microsoft_share_paid: Money(microsoft_share_paid),
        net_to_microsoft: Money(
            share_paid.checked_sub(microsoft_share_paid).ok_or_else(|| overflow("net to Microsoft"))?,
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

/// Each period's cash: what any period accrued and is paid on a day inside this one.
fn cash_by_period(rows: &mut [LedgerRow]) -> Result<(), SimError> {
    let payments: Vec<(NaiveDate, bool, Decimal)> = rows
        .iter()
        .flat_map(|r| r.flows.iter().map(|f| (f.paid_on, f.is_openai_to_microsoft(), f.paid.value())))
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
fn share_term(shares: &[ExactSchedule], period: &Period) -> ShareTerm {
    let to_microsoft: Vec<&InForce> =
        shares.iter().filter(|s| s.to_microsoft).map(|s| &s.rule.force).collect();
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

/// The trace of one revenue share in period `i`: what `evaluate_period` worked out, with the
/// inputs behind it (base, rate, days, segments, tiers) and when it is paid in cash.
fn trace(
    share: &RevenueShare,
    rule: &ExactDue,
    period: &Period,
    i: usize,
    base: Decimal,
    evaluated: Evaluated<Decimal>,
    cumulative_paid: Decimal,
) -> ShareFlow {
    let (force, days_in_force, period_days) = (&rule.force, rule.days[i], rule.period_days[i]);
    let segments = &rule.segments[i];
    let last_day = force.last.map_or(period.end, |l| l.min(period.end));
    ShareFlow {
        clause: share.id.clone(),
        payer: share.payer,
        payee: share.payee,
        base: Money(base),
        base_fraction: rule.fraction,
        // The rate on the period's last day in force (a schedule may change it inside the
        // period: `segments` has each part), and where that rate comes from.
        rate: match &share.tiers {
            Some(t) => crate::agreement::marginal_rate(
                base,
                share.rate.value,
                &t.value,
                period_days,
                rule.year_days[i],
            ),
            None => share.rate_on(last_day),
        },
        rate_basis: share.basis_on(last_day),
        segments: segments.clone(),
        tiers: share.tiers.as_ref().map_or(Vec::new(), |t| {
            std::iter::once((Decimal::ZERO, share.rate.value))
                .chain(t.value.iter().map(|t| (t.above, t.rate)))
                .collect()
        }),
        days_in_force,
        period_year_days: rule.year_days[i],
        period_days,
        due: Money(evaluated.due),
        cap: (share.cap.as_ref().map(|cap| cap.value.amount())).map(Money),
        cap_room_before: evaluated.room_before.map(Money),
        paid: Money(evaluated.paid),
        cumulative_paid: Money(cumulative_paid),
        cap_remaining: evaluated.room_after.map(Money),
        cap_reached: evaluated.cap_reached,
        paid_on: share.paid_on(period),
        term: if days_in_force > 0 {
            ShareTerm::InForce
        } else if force.first > period.end {
            ShareTerm::NotStarted
        } else {
            ShareTerm::Ended
        },
    }
}
