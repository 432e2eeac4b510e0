//! The non-cash terms of a period: which rights are in force (on any day of it), which clauses
//! decide them, the days they change, and where each launched product ships.

use super::{in_force, InForce};
use crate::agreement::{Agreement, Clause, Clouds, Grant, Trigger};
use crate::ledger::{
    DistributionStatus, LaunchOutcome, LaunchRule, LicenceStatus, Right, RightState, RightsChange,
};
use crate::period::Period;
use crate::scenario::{Launch, Scenario};
use chrono::NaiveDate;

/// Every day a clause starts or stops being in force (triggers applied), sorted: where rights
/// may change. Computed once per run; `rights_changes` picks those inside a period.
pub fn boundary_days(agreement: &Agreement, scenario: &Scenario) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = agreement
        .clauses
        .iter()
        .flat_map(|clause| {
            let force = in_force(agreement, clause, scenario);
            [Some(force.first), force.last.and_then(|l| l.succ_opt())]
        })
        .flatten()
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// The rights that change on a day inside `period`: the rights in force on each day a clause
/// starts or stops, compared with the day before. A year in which the licence turns
/// non-exclusive on 27 April shows `licence exclusive→non-exclusive from 2026-04-27`.
pub fn rights_changes(
    agreement: &Agreement,
    scenario: &Scenario,
    period: &Period,
    boundaries: &[NaiveDate],
) -> Vec<RightsChange> {
    let days = boundaries.iter().copied().filter(|day| *day > period.start && *day <= period.end);
    let on = |day: NaiveDate| {
        let one_day = Period { label: String::new(), year: period.year, start: day, end: day };
        period_rights(agreement, scenario, &one_day)
    };
    let mut changes = Vec::new();
    for day in days {
        let (before, after) = (on(day.pred_opt().unwrap_or(day)), on(day));
        let pairs = [
            (Right::Licence, RightState::Licence(before.licence), RightState::Licence(after.licence)),
            (
                Right::Distribution,
                RightState::Distribution(before.distribution),
                RightState::Distribution(after.distribution),
            ),
            (Right::AzureFirst, RightState::Holds(before.azure_first), RightState::Holds(after.azure_first)),
            (Right::AgiClause, RightState::Holds(before.agi_clause), RightState::Holds(after.agi_clause)),
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
    pub right: Right,
    pub clause: String,
    pub value: String,
    pub first: NaiveDate,
    pub last: Option<NaiveDate>,
}

/// Every clause bearing on a right that is in force in `period`, in the agreement's order.
pub fn right_sources(agreement: &Agreement, scenario: &Scenario, period: &Period) -> Vec<RightSource> {
    let mut out = Vec::new();
    for (clause, force) in clauses_in_force(agreement, scenario, period) {
        let mut add = |right: Right, value: String| {
            out.push(RightSource {
                right,
                clause: clause.id().to_string(),
                value,
                first: force.first,
                last: force.last,
            });
        };
        if clause.stops_on() == Some(Trigger::AgiDeclared) {
            add(Right::AgiClause, "true".to_string());
        }
        match clause.grant() {
            Some(Grant::Licence { exclusive }) => add(
                Right::Licence,
                if exclusive { LicenceStatus::Exclusive } else { LicenceStatus::NonExclusive }.to_string(),
            ),
            Some(Grant::Clouds(clouds)) => add(Right::Distribution, distribution_status(clouds).to_string()),
            Some(Grant::ShipsFirstOnAzure(_)) => add(Right::AzureFirst, "true".to_string()),
            None => {}
        }
    }
    out
}

/// How the ledger shows a distribution grant.
fn distribution_status(clouds: Clouds) -> DistributionStatus {
    match clouds {
        Clouds::AzureOnly => DistributionStatus::AzureOnly,
        Clouds::AnyCloud => DistributionStatus::AnyCloud,
    }
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
/// period, the licence is exclusive if either is, and distribution is the later clause's: the
/// one listed later in the agreement (in a compiled timeline, the later version's).
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
        match clause.grant() {
            Some(Grant::Licence { exclusive }) => {
                rights.licence = match (rights.licence, exclusive) {
                    (_, true) | (LicenceStatus::Exclusive, _) => LicenceStatus::Exclusive,
                    _ => LicenceStatus::NonExclusive,
                };
            }
            Some(Grant::Clouds(clouds)) => rights.distribution = distribution_status(clouds),
            Some(Grant::ShipsFirstOnAzure(_)) => rights.azure_first = true,
            None => {}
        }
    }
    rights
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
    // Where two distribution clauses are in force that day, the later one in the agreement
    // decides, as it does for the ledger's distribution column (`period_rights`).
    let distribution = agreement.clauses.iter().rev().filter(|c| on(c)).find_map(|c| match c.grant() {
        Some(Grant::Clouds(clouds)) => Some((c.id().to_string(), clouds)),
        _ => None,
    });
    let priority = agreement.clauses.iter().filter(|c| on(c)).find_map(|c| match c.grant() {
        Some(Grant::ShipsFirstOnAzure(reading)) => Some((c.id().to_string(), reading)),
        _ => None,
    });
    let (other_clouds, rule) = match (&distribution, priority) {
        (Some((id, Clouds::AzureOnly)), _) => (None, LaunchRule::AzureOnly { clause: id.clone() }),
        (_, None) => (Some(day), LaunchRule::NoPriority),
        (_, Some((id, reading))) => {
            let released = reading.releases(!launch.azure_can_support, !launch.microsoft_supports);
            match (released, azure) {
                (true, _) => (Some(day), LaunchRule::Released { clause: id, reading }),
                (false, Some(azure_day)) => (
                    Some(azure_day + chrono::Duration::days(scenario.launch_lag_days)),
                    LaunchRule::AzureFirst { clause: id, lag_days: scenario.launch_lag_days },
                ),
                (false, None) => (None, LaunchRule::Held { clause: id, reading }),
            }
        }
    };
    LaunchOutcome { product: launch.product.clone(), date: day, azure, other_clouds, rule }
}
