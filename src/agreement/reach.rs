//! Which clause parameters a scenario-wide assumption sets (`cap`, `cap_counts_from`,
//! `share_rate`, `share_base`): the rules of `TermAssumptions::apply`, as data, so that a reader
//! of the compiled terms can tie each parameter back to the one assumption that moves it (the
//! workbook's Inputs sheet makes the clause's cell a formula over the assumption's cell). A test
//! below keeps the two in step: applying each assumption changes exactly what `reach` names.

use super::clause::RevenueStream;
use super::{Agreement, Clause};

/// A parameter an assumption sets: a clause's (`key` as `--set CLAUSE.KEY` names it), or a cap
/// pool's amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    Clause { clause: String, key: &'static str },
    Pool { pool: String },
}

/// Per scenario-wide assumption, what it sets in `agreement`. An assumption is left out where one
/// cell cannot stand for it: under a timeline (its versions are edited before they are joined,
/// moving the hand-over days too), and `share_rate` where a share it sets has a schedule or tiers
/// (which it replaces by one flat rate).
pub fn reach(agreement: &Agreement) -> Vec<(&'static str, Vec<Reached>)> {
    if agreement.timeline.is_some() {
        return Vec::new();
    }
    let shares: Vec<&super::RevenueShare> = agreement
        .clauses
        .iter()
        .filter_map(|c| match c {
            Clause::RevenueShare(s) => Some(s),
            _ => None,
        })
        .collect();
    let clause = |s: &&super::RevenueShare, key| Reached::Clause { clause: s.id.clone(), key };
    let mut cap: Vec<Reached> = shares.iter().filter(|s| s.cap.is_some()).map(|s| clause(s, "cap")).collect();
    let pooled: Vec<&String> = shares.iter().filter_map(|s| s.cap_pool.as_ref()).collect();
    cap.extend(
        agreement
            .cap_pools
            .iter()
            .filter(|p| pooled.contains(&&p.name))
            .map(|p| Reached::Pool { pool: p.name.clone() }),
    );
    let counts_from = shares
        .iter()
        .filter(|s| s.cap.is_some() || s.cap_pool.is_some())
        .map(|s| clause(s, "start"))
        .collect();
    let to_microsoft: Vec<&&super::RevenueShare> =
        shares.iter().filter(|s| s.openai_pays_microsoft()).collect();
    let flat = to_microsoft.iter().all(|s| s.schedule.is_none() && s.tiers.is_none());
    let share_base = shares
        .iter()
        .filter(|s| s.base.value.stream == RevenueStream::OpenaiRevenue)
        .map(|s| clause(s, "base_fraction"))
        .collect();
    let mut out = vec![("cap", cap), ("cap_counts_from", counts_from)];
    if flat {
        out.push(("share_rate", to_microsoft.iter().map(|s| clause(s, "rate")).collect()));
    }
    out.push(("share_base", share_base));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::{builtin, describe, TermAssumptions};
    use rust_decimal::Decimal;

    /// The parameters whose shown value differs between two agreements, as `Reached`.
    fn changed(before: &Agreement, after: &Agreement) -> Vec<Reached> {
        let mut out = Vec::new();
        for (b, a) in before.clauses.iter().zip(&after.clauses) {
            let (pb, pa) = (describe::parameters(before, b), describe::parameters(after, a));
            for (x, y) in pb.iter().zip(&pa) {
                if x.shown() != y.shown() {
                    out.push(x.name.label().to_string());
                }
            }
        }
        let pools = before.cap_pools.iter().zip(&after.cap_pools).filter(|(b, a)| b.amount != a.amount);
        let mut reached: Vec<Reached> =
            out.into_iter().map(|label| Reached::Clause { clause: label, key: "" }).collect();
        reached.extend(pools.map(|(p, _)| Reached::Pool { pool: p.name.clone() }));
        reached
    }

    #[test]
    fn each_assumption_reaches_what_apply_changes() {
        let agreement = builtin("revised").unwrap();
        let reach = reach(&agreement);
        let names: Vec<&str> = reach.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["cap", "cap_counts_from", "share_rate", "share_base"]);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let changes = [
            TermAssumptions { cap: Some(Decimal::from(1)), ..Default::default() },
            TermAssumptions { cap_counts_from: Some(day), ..Default::default() },
            TermAssumptions { share_rate: Some(Decimal::new(33, 2)), ..Default::default() },
            TermAssumptions { share_base: Some(Decimal::new(5, 1)), ..Default::default() },
        ];
        for ((key, targets), change) in reach.iter().zip(changes) {
            let after = change.apply(&agreement, "test").unwrap();
            let moved = changed(&agreement, &after);
            assert_eq!(moved.len(), targets.len(), "{key}: {targets:?} but {moved:?} changed");
            assert!(!targets.is_empty(), "{key} reaches something in the revised terms");
        }
    }

    #[test]
    fn a_schedule_keeps_share_rate_out() {
        let mut agreement = builtin("revised").unwrap();
        for clause in &mut agreement.clauses {
            if let Clause::RevenueShare(s) = clause {
                s.schedule = Some(crate::agreement::Sourced::assumption(Vec::new(), "test"));
            }
        }
        assert!(reach(&agreement).iter().all(|(k, _)| *k != "share_rate"));
    }
}
