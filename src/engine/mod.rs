//! Stage 3: the rules engine. A pure function from (agreement, scenario) to a ledger: no I/O, no
//! clock, no randomness. It never validates input (the scenario stage did) and never formats
//! output (the report stage does).
//!
//! Per period, each revenue-share clause yields `due = round(base × rate × d / n)` where `d` of
//! the period's `n` days are in force (see `period`), then `paid = min(due, cap room)`. Caps bind
//! exactly: the period that reaches a cap pays the remainder and later periods pay nothing.

mod rights;

pub use rights::{
    boundary_days, launch_outcome, period_rights, right_sources, rights_changes, RightSource, Rights,
};

use crate::agreement::{Agreement, Cap, Clause, RevenueShare, RevenueStream, Trigger};
use crate::ledger::{DistributionStatus, Ledger, LedgerRow, ShareFlow, ShareTerm};
use crate::period::{day_before, Period};
use crate::scenario::OnBreach;
use crate::scenario::Scenario;
use chrono::NaiveDate;
use rust_decimal::Decimal;

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

/// Running state of one revenue share across periods. Annual caps or carry-forward would add
/// fields here and arms in `cap_room`.
#[derive(Debug, Clone, Copy, Default)]
struct ShareState {
    cumulative_paid: Decimal,
    counted_toward_cap: Decimal,
    /// Whether the share has been in force on any day yet: a cap cannot be reached before its
    /// clause exists, even when prior payments already fill it.
    started: bool,
}

/// What the cap still allows, given what already counts toward it.
fn cap_room(cap: &Cap, state: &ShareState) -> Decimal {
    match cap {
        Cap::Total { amount } => (*amount - state.counted_toward_cap).max(Decimal::ZERO),
    }
}

pub fn simulate(agreement: &Agreement, scenario: &Scenario) -> Result<Ledger, SimError> {
    let shares: Vec<(&RevenueShare, InForce)> = agreement
        .clauses
        .iter()
        .filter_map(|clause| match clause {
            Clause::RevenueShare(share) => Some((share, in_force(agreement, clause, scenario))),
            _ => None,
        })
        .collect();
    let mut states: Vec<ShareState> = shares
        .iter()
        .map(|(share, _)| ShareState {
            cumulative_paid: Decimal::ZERO,
            counted_toward_cap: if share.cap.is_some() {
                scenario.prior_payments_toward_cap
            } else {
                Decimal::ZERO
            },
            started: false,
        })
        .collect();

    let boundaries = boundary_days(agreement, scenario);
    let mut rows: Vec<LedgerRow> = Vec::with_capacity(scenario.periods.len());
    for i in 0..scenario.periods.len() {
        let before = rows.last().map_or(Decimal::ZERO, |r| r.cumulative_paid);
        rows.push(period_row(agreement, scenario, &shares, &boundaries, &mut states, i, before)?);
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

/// One period's row: each share's flow (advancing its running state), the totals, the rights.
fn period_row(
    agreement: &Agreement,
    scenario: &Scenario,
    shares: &[(&RevenueShare, InForce)],
    boundaries: &[NaiveDate],
    states: &mut [ShareState],
    i: usize,
    cumulative_before: Decimal,
) -> Result<LedgerRow, SimError> {
    let period = &scenario.periods[i];
    let overflow = |figure: &'static str| SimError::Overflow { figure, period: period.label.clone() };
    let flows = shares
        .iter()
        .zip(states.iter_mut())
        .map(|((share, force), state)| {
            let revenue = match share.base.value.stream {
                RevenueStream::OpenaiRevenue => scenario.openai_revenue[i],
                RevenueStream::MicrosoftOpenaiProducts => scenario.microsoft_revenue[i],
            };
            share_flow(share, force, period, revenue, state).ok_or_else(|| overflow("revenue share"))
        })
        .collect::<Result<Vec<ShareFlow>, SimError>>()?;

    let sum = |pick: fn(&ShareFlow) -> bool, value: fn(&ShareFlow) -> Decimal| {
        flows.iter().filter(|f| pick(f)).try_fold(Decimal::ZERO, |acc, f| acc.checked_add(value(f)))
    };
    let share_due = sum(ShareFlow::is_openai_to_microsoft, |f| f.due).ok_or_else(|| overflow("share due"))?;
    let share_paid =
        sum(ShareFlow::is_openai_to_microsoft, |f| f.paid).ok_or_else(|| overflow("share paid"))?;
    let microsoft_share_due =
        sum(ShareFlow::is_microsoft_to_openai, |f| f.due).ok_or_else(|| overflow("Microsoft share due"))?;
    let microsoft_share_paid =
        sum(ShareFlow::is_microsoft_to_openai, |f| f.paid).ok_or_else(|| overflow("Microsoft share paid"))?;
    let cumulative_paid =
        cumulative_before.checked_add(share_paid).ok_or_else(|| overflow("cumulative paid"))?;
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
        revenue: scenario.openai_revenue[i],
        share_rate,
        share_term,
        share_due,
        share_paid,
        cumulative_paid,
        cap_remaining,
        cap_reached: capped.iter().any(|f| f.cap_reached),
        microsoft_revenue: scenario.microsoft_revenue[i],
        microsoft_share_due,
        microsoft_share_paid,
        net_to_microsoft: share_paid
            .checked_sub(microsoft_share_paid)
            .ok_or_else(|| overflow("net to Microsoft"))?,
        licence: rights.licence,
        distribution: rights.distribution,
        azure_first: rights.azure_first,
        agi_clause: rights.agi_clause,
        rights_changes,
        // Filled in by `cash_by_period` once every period's payments are known.
        cash_to_microsoft: Decimal::ZERO,
        cash_to_openai: Decimal::ZERO,
        cash_net_to_microsoft: Decimal::ZERO,
        flows,
    })
}

/// Each period's cash: what any period accrued and is paid on a day inside this one.
fn cash_by_period(rows: &mut [LedgerRow]) -> Result<(), SimError> {
    let payments: Vec<(NaiveDate, bool, Decimal)> = rows
        .iter()
        .flat_map(|r| r.flows.iter().map(|f| (f.paid_on, f.is_openai_to_microsoft(), f.paid)))
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
        row.cash_to_microsoft = to_microsoft;
        row.cash_to_openai = to_openai;
        row.cash_net_to_microsoft = to_microsoft.checked_sub(to_openai).ok_or_else(overflow)?;
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
fn share_term(shares: &[(&RevenueShare, InForce)], period: &Period) -> ShareTerm {
    let to_microsoft: Vec<&InForce> =
        shares.iter().filter(|(s, _)| s.openai_pays_microsoft()).map(|(_, force)| force).collect();
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

/// One revenue share in one period. `None` on overflow.
fn share_flow(
    share: &RevenueShare,
    force: &InForce,
    period: &Period,
    revenue: Decimal,
    state: &mut ShareState,
) -> Option<ShareFlow> {
    // Not rounded: the documented rule rounds once, at `due` (a rounded base would move a cent).
    let base = revenue.checked_mul(share.base.value.fraction)?;
    let days_in_force = force.days_in(period);
    let period_days = period.days();
    state.started |= days_in_force > 0;
    let segments = share.segments(force.first, force.last, period);
    let last_day = force.last.map_or(period.end, |l| l.min(period.end));
    let due = share.due(base, &segments, period_days, period.year_days())?;
    let cap_room_before = share.cap.as_ref().map(|cap| cap_room(&cap.value, state));
    let paid = cap_room_before.map_or(due, |room| due.min(room));
    state.cumulative_paid = state.cumulative_paid.checked_add(paid)?;
    state.counted_toward_cap = state.counted_toward_cap.checked_add(paid)?;
    let cap_remaining = share.cap.as_ref().map(|cap| cap_room(&cap.value, state));
    Some(ShareFlow {
        clause: share.id.clone(),
        payer: share.payer,
        payee: share.payee,
        base,
        base_fraction: share.base.value.fraction,
        // The rate on the period's last day in force (a schedule may change it inside the
        // period: `segments` has each part), and where that rate comes from.
        rate: match &share.tiers {
            Some(t) => crate::agreement::marginal_rate(
                base,
                share.rate.value,
                &t.value,
                period_days,
                period.year_days(),
            ),
            None => share.rate_on(last_day),
        },
        rate_basis: share.basis_on(last_day),
        segments: if segments.len() > 1 { segments.clone() } else { Vec::new() },
        tiers: share.tiers.as_ref().map_or(Vec::new(), |t| {
            std::iter::once((Decimal::ZERO, share.rate.value))
                .chain(t.value.iter().map(|t| (t.above, t.rate)))
                .collect()
        }),
        days_in_force,
        period_year_days: period.year_days(),
        period_days,
        due,
        cap: share.cap.as_ref().map(|cap| cap.value.amount()),
        cap_room_before,
        paid,
        cumulative_paid: state.cumulative_paid,
        cap_remaining,
        cap_reached: state.started && cap_remaining.is_some_and(|room| room.is_zero()),
        paid_on: share.paid_on(period),
        term: if days_in_force > 0 {
            ShareTerm::InForce
        } else if force.first > period.end {
            ShareTerm::NotStarted
        } else {
            ShareTerm::Ended
        },
    })
}
