//! Stage 3: the rules engine. A pure function from (agreement, scenario) to a ledger: no I/O, no
//! clock, no randomness. It never validates input (the scenario stage did) and never formats
//! output (the report stage does).
//!
//! Per period, each revenue-share clause yields `due = round(base × rate × d / n)` where `d` of
//! the period's `n` days are in force (see `period`), then `paid = min(due, cap room)`. Caps bind
//! exactly: the period that reaches a cap pays the remainder and later periods pay nothing.

use crate::agreement::{
    Agreement, Cap, Clause, Clouds, Licence, Party, RevenueShare, RevenueStream, Trigger,
};
use crate::ledger::{
    DistributionStatus, LaunchOutcome, Ledger, LedgerRow, LicenceStatus, RightsChange, ShareFlow, ShareTerm,
};
use crate::period::{day_before, Period};
use crate::scenario::Scenario;
use crate::scenario::{Launch, OnBreach};
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

    let mut rows: Vec<LedgerRow> = Vec::with_capacity(scenario.periods.len());
    for i in 0..scenario.periods.len() {
        let before = rows.last().map_or(Decimal::ZERO, |r| r.cumulative_paid);
        rows.push(period_row(agreement, scenario, &shares, &mut states, i, before)?);
    }
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
    let rights_changes = rights_changes(agreement, scenario, period);
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
        flows,
    })
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
    let to_microsoft: Vec<&InForce> = shares
        .iter()
        .filter(|(s, _)| s.payer == Party::OpenAi && s.payee == Party::Microsoft)
        .map(|(_, force)| force)
        .collect();
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

/// Where and when a launched product becomes available. Distribution decides whether other
/// clouds may serve it at all; an Azure-first clause in force on the launch day makes other
/// clouds wait `launch_lag_days` after Azure, unless its exception releases the product (under
/// the clause's reading of "cannot and/or chooses not to support"). A product that must ship
/// first on Azure but that Azure will not carry is held from other clouds too.
pub fn launch_outcome(agreement: &Agreement, scenario: &Scenario, launch: &Launch) -> LaunchOutcome {
    let day = launch.date;
    let on = |clause: &Clause| {
        let force = in_force(agreement, clause, scenario);
        force.first <= day && force.last.is_none_or(|last| day <= last)
    };
    let azure = (launch.azure_can_support && launch.microsoft_supports).then_some(day);
    let distribution = agreement.clauses.iter().filter(|c| on(c)).find_map(|c| match c {
        Clause::Distribution(d) => Some((d.id.clone(), d.clouds.value)),
        _ => None,
    });
    let priority = agreement.clauses.iter().filter(|c| on(c)).find_map(|c| match c {
        Clause::ShippingPriority(p) => Some((p.id.clone(), p.exception.value)),
        _ => None,
    });
    let (other_clouds, rule) = match (&distribution, priority) {
        (Some((id, Clouds::AzureOnly)), _) => {
            (None, format!("`{id}`: Azure-only distribution; other clouds may not serve it"))
        }
        (_, None) => (Some(day), "no Azure-first clause in force; any cloud from launch".to_string()),
        (_, Some((id, reading))) => {
            let released = reading.releases(!launch.azure_can_support, !launch.microsoft_supports);
            match (released, azure) {
                (true, _) => (Some(day), format!("`{id}`: released from Azure-first (Microsoft {reading} to support it)")),
                (false, Some(azure_day)) => (
                    Some(azure_day + chrono::Duration::days(scenario.launch_lag_days)),
                    format!("`{id}`: ships first on Azure; other clouds {} days later", scenario.launch_lag_days),
                ),
                (false, None) => (
                    None,
                    format!("`{id}`: must ship first on Azure, which will not carry it, and the \"{reading}\" reading does not release it: held"),
                ),
            }
        }
    };
    LaunchOutcome { product: launch.product.clone(), date: day, azure, other_clouds, rule }
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
    let due = share.due(base, days_in_force, period_days)?;
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
        rate: share.rate.value,
        rate_basis: share.rate.basis,
        days_in_force,
        period_days,
        due,
        cap: share.cap.as_ref().map(|cap| cap.value.amount()),
        cap_room_before,
        paid,
        cumulative_paid: state.cumulative_paid,
        cap_remaining,
        cap_reached: state.started && cap_remaining.is_some_and(|room| room.is_zero()),
        term: if days_in_force > 0 {
            ShareTerm::InForce
        } else if force.first > period.end {
            ShareTerm::NotStarted
        } else {
            ShareTerm::Ended
        },
    })
}

/// The rights that change on a day inside `period`: the rights in force on each day a clause
/// starts or stops, compared with the day before. A year in which the licence turns
/// non-exclusive on 27 April shows `licence exclusive→non-exclusive from 2026-04-27`.
pub fn rights_changes(agreement: &Agreement, scenario: &Scenario, period: &Period) -> Vec<RightsChange> {
    let mut days: Vec<NaiveDate> = agreement
        .clauses
        .iter()
        .flat_map(|clause| {
            let force = in_force(agreement, clause, scenario);
            [Some(force.first), force.last.and_then(|l| l.succ_opt())]
        })
        .flatten()
        .filter(|day| *day > period.start && *day <= period.end)
        .collect();
    days.sort_unstable();
    days.dedup();
    let on = |day: NaiveDate| {
        let one_day = Period { label: String::new(), year: period.year, start: day, end: day };
        period_rights(agreement, scenario, &one_day)
    };
    let mut changes = Vec::new();
    for day in days {
        let (before, after) = (on(day.pred_opt().unwrap_or(day)), on(day));
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        let pairs = [
            ("licence", before.licence.to_string(), after.licence.to_string()),
            ("distribution", before.distribution.to_string(), after.distribution.to_string()),
            ("azure_first", yes_no(before.azure_first), yes_no(after.azure_first)),
            ("agi_clause", yes_no(before.agi_clause), yes_no(after.agi_clause)),
        ];
        for (right, from, to) in pairs {
            if from != to {
                changes.push(RightsChange { day, right, from, to });
            }
        }
    }
    changes
}

/// The clauses in force on at least one day of `period` (their dates, triggers applied).
fn clauses_in_force<'a>(
    agreement: &'a Agreement,
    scenario: &'a Scenario,
    period: &'a Period,
) -> impl Iterator<Item = (&'a Clause, InForce)> + 'a {
    agreement
        .clauses
        .iter()
        .map(move |clause| (clause, in_force(agreement, clause, scenario)))
        .filter(move |(_, force)| force.days_in(period) > 0)
}

/// A clause that decides a right in a period: which right, the value it gives, and the days it
/// is in force (triggers applied). What `explain` reports, so it never re-derives a right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightSource {
    pub right: &'static str,
    pub clause: String,
    pub value: String,
    pub first: NaiveDate,
    pub last: Option<NaiveDate>,
}

/// Every clause bearing on a right that is in force in `period`, in the agreement's order.
pub fn right_sources(agreement: &Agreement, scenario: &Scenario, period: &Period) -> Vec<RightSource> {
    let mut out = Vec::new();
    for (clause, force) in clauses_in_force(agreement, scenario, period) {
        let mut add = |right: &'static str, value: String| {
            out.push(RightSource {
                right,
                clause: clause.id().to_string(),
                value,
                first: force.first,
                last: force.last,
            });
        };
        if clause.stops_on() == Some(Trigger::AgiDeclared) {
            add("agi_clause", "true".to_string());
        }
        match clause {
            Clause::Licence(l) => add(
                "licence",
                if l.exclusive.value { LicenceStatus::Exclusive } else { LicenceStatus::NonExclusive }
                    .to_string(),
            ),
            Clause::Distribution(d) => add(
                "distribution",
                match d.clouds.value {
                    Clouds::AzureOnly => DistributionStatus::AzureOnly,
                    Clouds::AnyCloud => DistributionStatus::AnyCloud,
                }
                .to_string(),
            ),
            Clause::ShippingPriority(_) => add("azure_first", "true".to_string()),
            Clause::RevenueShare(_) => {}
        }
    }
    out
}

/// The non-cash rights in force during a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rights {
    pub licence: LicenceStatus,
    pub distribution: DistributionStatus,
    pub azure_first: bool,
    pub agi_clause: bool,
}

/// Rights in force for at least one day of the period. Where two clauses of a kind overlap the
/// period, the licence is exclusive if either is, and distribution is the later clause's.
pub fn period_rights(agreement: &Agreement, scenario: &Scenario, period: &Period) -> Rights {
    let mut rights = Rights {
        licence: LicenceStatus::None,
        distribution: DistributionStatus::None,
        azure_first: false,
        agi_clause: false,
    };
    for (clause, _) in clauses_in_force(agreement, scenario, period) {
        if clause.stops_on() == Some(Trigger::AgiDeclared) {
            rights.agi_clause = true;
        }
        match clause {
            Clause::Licence(Licence { exclusive, .. }) => {
                rights.licence = match (rights.licence, exclusive.value) {
                    (_, true) | (LicenceStatus::Exclusive, _) => LicenceStatus::Exclusive,
                    _ => LicenceStatus::NonExclusive,
                };
            }
            Clause::Distribution(d) => {
                rights.distribution = match d.clouds.value {
                    Clouds::AzureOnly => DistributionStatus::AzureOnly,
                    Clouds::AnyCloud => DistributionStatus::AnyCloud,
                };
            }
            Clause::ShippingPriority(_) => rights.azure_first = true,
            Clause::RevenueShare(_) => {}
        }
    }
    rights
}
