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

    /// Whether each path draws its AGI date.
    pub fn draws_agi(&self) -> bool {
        !self.agi.is_empty()
    }
}
