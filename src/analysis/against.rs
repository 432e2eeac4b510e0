//! A scenario under its own agreement and under another (`dealsim run --against NAME`): what each
//! party gains or loses per year, in total and in present value, and how much of it each change of
//! terms is worth.
//!
//! The other agreement gets the scenario's assumptions too, and runs from the scenario
//! agreement's effective date, so both ledgers cover the same days and differ only in terms.
//! Attribution applies the changes from the other agreement to the scenario's one at a time, in
//! the order `dealsim diff OTHER SCENARIO-AGREEMENT` lists them, re-simulating after each: a
//! change's worth is what it adds to Microsoft's net receipts given the changes before it.

use crate::agreement::describe::Param;
use crate::agreement::diff::{diff, Change};
use crate::agreement::{Agreement, Clause};
use crate::engine::{simulate, SimError};
use crate::ledger::Ledger;
use crate::money::Money;
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use serde::Serialize;

/// One period, both ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgainstRow {
    pub period: String,
    pub net_to_microsoft: Money,
    pub against_net_to_microsoft: Money,
    /// What Microsoft receives under the scenario's agreement beyond the other; OpenAI's gain is
    /// the negative of this (the net flows between the two parties only).
    pub microsoft_gain: Money,
}

/// One change of terms and what it is worth to Microsoft (OpenAI's is the negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributionStep {
    pub change: String,
    pub short: String,
    pub microsoft_gain: Money,
    pub microsoft_gain_present_value: Money,
    /// The same change's Shapley value: its gain averaged over every order of applying the
    /// changes (`analysis::shapley`); `None` beyond `shapley::MAX_PLAYERS` changes.
    pub shapley_microsoft_gain: Option<Money>,
    pub shapley_microsoft_gain_present_value: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Against {
    pub agreement: String,
    pub against: String,
    pub rows: Vec<AgainstRow>,
    pub total_net_to_microsoft: Money,
    pub against_total_net_to_microsoft: Money,
    pub microsoft_gain: Money,
    pub microsoft_gain_present_value: Money,
    pub attribution: Vec<AttributionStep>,
    #[serde(skip)]
    pub against_ledger: Ledger,
}

/// The other agreement as the counterfactual: the scenario's assumptions, the scenario
/// agreement's effective date, and only the clause overrides that name clauses it has. A revenue
/// share both agreements have counts from the same day in both (under `revised` the capped share
/// counts from 1 January 2026, before the 27 April effective date), so the two ledgers count
/// the same days of it.
pub fn counterfactual(
    own: &Agreement,
    other: &Agreement,
    scenario: &Scenario,
) -> Result<Agreement, crate::agreement::OverrideError> {
    let mut terms = scenario.terms.clone();
    terms.effective_date = Some(own.effective.value);
    terms.clause_overrides.retain(|o| other.clause(o.clause()).is_some());
    let mut out = terms.apply(other, &format!("scenario `{}` (counterfactual)", scenario.name))?;
    for clause in &mut out.clauses {
        let ours = match own.clause(clause.id()) {
            Some(Clause::RevenueShare(ours)) => ours.start.clone(),
            _ => None,
        };
        if let (Clause::RevenueShare(theirs), Some(start)) = (clause, ours) {
            if theirs.start.is_none() {
                theirs.start = Some(start);
            }
        }
    }
    crate::agreement::check(&out)?;
    Ok(out)
}

fn net_totals(ledger: &Ledger) -> Result<(Decimal, Decimal), SimError> {
    let summary = ledger.summary()?;
    Ok((summary.totals.net_to_microsoft.value(), summary.present_value.net_to_microsoft.value()))
}

/// Runs `scenario` under `own` and `other` (already resolved) and attributes the difference.
pub fn against(own: &Agreement, other: &Agreement, scenario: &Scenario) -> Result<Against, SimError> {
    let ledger = simulate(own, scenario)?;
    let against_ledger = simulate(other, scenario)?;
    let overflow = |period: &str| SimError::Overflow {
        figure: "gain against the other agreement",
        period: period.to_string(),
    };
    let mut rows = Vec::with_capacity(ledger.rows.len());
    for (a, b) in ledger.rows.iter().zip(&against_ledger.rows) {
        rows.push(AgainstRow {
            period: a.period.label.clone(),
            net_to_microsoft: a.net_to_microsoft,
            against_net_to_microsoft: b.net_to_microsoft,
            microsoft_gain: Money(
                a.net_to_microsoft
                    .checked_sub(b.net_to_microsoft.value())
                    .ok_or_else(|| overflow(&a.period.label))?,
            ),
        });
    }
    let (total, pv) = net_totals(&ledger)?;
    let (against_total, against_pv) = net_totals(&against_ledger)?;

    let mut attribution = Vec::new();
    let mut running = other.clone();
    let (mut previous, mut previous_pv) = (against_total, against_pv);
    let groups = steps(&diff(other, own), own, other);
    for group in &groups {
        for change in &group.changes {
            apply_change(&mut running, own, change);
        }
        let (now, now_pv) = net_totals(&simulate(&running, scenario)?)?;
        attribution.push(AttributionStep {
            change: group.text.clone(),
            short: group.short.clone(),
            microsoft_gain: Money(now - previous),
            microsoft_gain_present_value: Money(now_pv - previous_pv),
            shapley_microsoft_gain: None,
            shapley_microsoft_gain_present_value: None,
        });
        (previous, previous_pv) = (now, now_pv);
    }
    if let Some((nominal, present)) = order_free(own, other, scenario, &groups)? {
        for ((step, n), p) in attribution.iter_mut().zip(nominal).zip(present) {
            step.shapley_microsoft_gain = Some(Money(n));
            step.shapley_microsoft_gain_present_value = Some(Money(p));
        }
    }
    // Every difference diff reports is applied above, so nothing should remain; if a kind of
    // change were ever missed, show the remainder rather than hide it.
    if previous != total || previous_pv != pv {
        attribution.push(AttributionStep {
            change: "differences not attributed to a single change".into(),
            short: "unattributed".into(),
            microsoft_gain: Money(total - previous),
            microsoft_gain_present_value: Money(pv - previous_pv),
            shapley_microsoft_gain: None,
            shapley_microsoft_gain_present_value: None,
        });
    }
    Ok(Against {
        agreement: own.name.clone(),
        against: other.name.clone(),
        rows,
        total_net_to_microsoft: Money(total),
        against_total_net_to_microsoft: Money(against_total),
        microsoft_gain: Money(total - against_total),
        microsoft_gain_present_value: Money(pv - against_pv),
        attribution,
        against_ledger,
    })
}

/// One attribution step: one change, or every clause one version of the terms adds or removes.
struct StepOfChanges {
    text: String,
    short: String,
    changes: Vec<Change>,
}

/// The version a clause belongs to: the part of a timeline id before `/`, else the agreement.
fn version_of<'a>(clause: &'a str, agreement: &'a Agreement) -> &'a str {
    clause.split_once('/').map_or(agreement.name.as_str(), |(version, _)| version)
}

/// The changes `diff` lists, as attribution steps: whole clauses added or removed are grouped by
/// the version they belong to (a timeline against one agreement is then "terms of `original`
/// added", not one step per clause of each version); every other change is its own step.
fn steps(changes: &[Change], own: &Agreement, other: &Agreement) -> Vec<StepOfChanges> {
    let key = |change: &Change| match change {
        Change::Added { clause, .. } => Some(("added", version_of(clause, own).to_string())),
        Change::Removed { clause, .. } => Some(("removed", version_of(clause, other).to_string())),
        Change::Changed { .. } => None,
    };
    // Consecutive changes with the same (how, version) key form one group.
    type Key<'a> = Option<(&'a str, String)>;
    let mut out: Vec<(Key, Vec<Change>)> = Vec::new();
    for change in changes {
        let k = key(change);
        match out.last_mut() {
            Some((last, group)) if k.is_some() && *last == k => group.push(change.clone()),
            _ => out.push((k, vec![change.clone()])),
        }
    }
    out.into_iter()
        .map(|(k, changes)| match (k, changes.as_slice()) {
            (Some((how, version)), [_, _, ..]) => StepOfChanges {
                text: format!(
                    "terms of `{version}` {how}: {}",
                    changes.iter().map(Change::to_string).collect::<Vec<_>>().join("; ")
                ),
                short: format!("`{version}` terms {how} ({} clauses)", changes.len()),
                changes,
            },
            _ => StepOfChanges { text: changes[0].to_string(), short: changes[0].short(), changes },
        })
        .collect()
}

/// Per change: its Shapley value in nominal terms and in present value.
type NominalAndPresent = (Vec<Decimal>, Vec<Decimal>);

/// Shapley values (nominal and present value) of each group of changes: `other` with every subset
/// of `groups` applied (2^n simulations), `None` when there are too many groups.
fn order_free(
    own: &Agreement,
    other: &Agreement,
    scenario: &Scenario,
    groups: &[StepOfChanges],
) -> Result<Option<NominalAndPresent>, SimError> {
    let n = groups.len();
    if n == 0 || n > crate::analysis::shapley::MAX_PLAYERS {
        return Ok(None);
    }
    let mut nominal = Vec::with_capacity(1 << n);
    let mut present = Vec::with_capacity(1 << n);
    for mask in 0..1usize << n {
        let mut running = other.clone();
        for (_, group) in groups.iter().enumerate().filter(|(k, _)| mask >> k & 1 == 1) {
            for change in &group.changes {
                apply_change(&mut running, own, change);
            }
        }
        let (total, pv) = net_totals(&simulate(&running, scenario)?)?;
        nominal.push(total);
        present.push(pv);
    }
    let shapley = |values: &[Decimal]| crate::analysis::shapley::shapley(n, values);
    Ok(shapley(&nominal).zip(shapley(&present)))
}

/// Makes `running` take `target`'s side of one change.
fn apply_change(running: &mut Agreement, target: &Agreement, change: &Change) {
    match change {
        Change::Added { clause, .. } => {
            if let Some(c) = target.clause(clause) {
                running.clauses.push(c.clone());
            }
        }
        Change::Removed { clause, .. } => running.clauses.retain(|c| c.id() != clause),
        Change::Changed { clause, parameter, .. } if clause.is_empty() => {
            if *parameter == Param::EFFECTIVE_DATE {
                running.effective = target.effective.clone();
            }
        }
        Change::Changed { clause, parameter, .. } => {
            let (Some(to), Some(from)) =
                (running.clauses.iter_mut().find(|c| c.id() == clause), target.clause(clause))
            else {
                return;
            };
            to.copy_parameter(from, *parameter);
        }
    }
}
