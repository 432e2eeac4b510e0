//! Probability-weighted AGI in Monte Carlo: where the scenario gives a distribution of AGI dates
//! and the agreement has clauses AGI ends, the plan holds one compiled plan per outcome and each
//! path draws which one it follows.

use super::Plan;
use crate::agreement::Agreement;
use crate::engine::SimError;
use crate::scenario::Scenario;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

impl Plan {
    /// An agreement and scenario compiled for the hot loop. An error only where the engine's
    /// would be (Σ rate × days overflowing).
    pub fn new(agreement: &Agreement, scenario: &Scenario) -> Result<Plan, SimError> {
        if scenario.agi_outcomes.is_empty() || !agreement.agi_matters() {
            return Plan::with_one_agi_date(agreement, scenario);
        }
        let mut single = scenario.clone();
        single.agi_outcomes.clear();
        let mut plan = Plan::with_one_agi_date(agreement, &single)?;
        let two_to_64 = Decimal::from(u64::MAX) + Decimal::ONE;
        let mut cumulative = Decimal::ZERO;
        for outcome in &scenario.agi_outcomes {
            cumulative += outcome.probability;
            let threshold = (cumulative * two_to_64).floor().to_u64().unwrap_or(u64::MAX);
            single.agi_declared = outcome.date;
            plan.agi.push((threshold, Plan::with_one_agi_date(agreement, &single)?));
        }
        Ok(plan)
    }

    /// The plan for one path: itself, or with probability-weighted AGI the outcome `u` picks.
    #[inline]
    pub(super) fn outcome(&self, u: u64) -> &Plan {
        match self.agi.iter().find(|(threshold, _)| u < *threshold) {
            Some((_, plan)) => plan,
            None => self.agi.last().map_or(self, |(_, plan)| plan),
        }
    }

    /// The cents form of this plan or, with AGI outcomes or weighted scenarios, of the first of
    /// them that has one: what a chunk's cents work is sized from (each path resets it to its own).
    pub(super) fn any_cents(&self) -> Option<&super::cents::CentsPlan> {
        self.cents.as_ref().or_else(|| self.agi.iter().find_map(|(_, p)| p.any_cents()))
    }

    /// Microsoft's revenue per period when every path has the same (nothing draws it, one
    /// scenario), else `None`.
    pub(super) fn fixed_microsoft_revenue(&self) -> Option<Vec<Decimal>> {
        let drawn = self.revenues.scales[1].is_some()
            || self.revenues.steps[1]
                .iter()
                .any(|s| !matches!(s, super::revenue::Step::Listed(_) | super::revenue::Step::Fixed(_)));
        (!self.weighted && !drawn)
            .then(|| self.streams.iter().map(|s| s.get(1).copied().unwrap_or_default()).collect())
    }

    /// Whether each path draws its AGI date.
    pub fn draws_agi(&self) -> bool {
        !self.agi.is_empty()
    }
}

impl Plan {
    /// Weighted scenarios (bear, base, bull): each path first draws which scenario it follows,
    /// by weight (the same threshold draw probability-weighted AGI makes), then that scenario's
    /// own distributions. Weights are fractions adding to exactly 1, one per plan; the plans must
    /// have the same periods. The mixture's own labels and discounting are the first plan's.
    pub fn weighted(plans: Vec<(Decimal, Plan)>) -> Result<Plan, super::super::AnalysisError> {
        use super::super::AnalysisError;
        let total: Decimal = plans.iter().map(|(w, _)| *w).sum();
        if plans.is_empty() || total != Decimal::ONE || plans.iter().any(|(w, _)| *w < Decimal::ZERO) {
            return Err(AnalysisError::Weights { total: crate::money::percent(total) });
        }
        let first = plans[0].1.clone();
        if let Some((_, odd)) = plans.iter().find(|(_, p)| p.labels != first.labels) {
            return Err(AnalysisError::WeightedPeriods {
                first: first.labels.join(", "),
                other: odd.labels.join(", "),
            });
        }
        let mut mixture = first;
        mixture.agi.clear();
        let two_to_64 = Decimal::from(u64::MAX) + Decimal::ONE;
        let mut cumulative = Decimal::ZERO;
        for (weight, plan) in plans {
            cumulative += weight;
            let threshold = (cumulative * two_to_64).floor().to_u64().unwrap_or(u64::MAX);
            mixture.agi.push((threshold, plan));
        }
        mixture.weighted = true;
        Ok(mixture)
    }
}
