//! The sweep's plan in cents (`CapRatePlan`): the loaded scenario's compiled terms in integer
//! cents, run with a sweep point's cap and rate as a Monte Carlo path runs drawn ones.

use super::cents::{cents, rule_in_cents, CentsDue, Ratio};
use super::*;
use crate::agreement::plan::Plan as Terms;

/// The loaded scenario's plan in cents, for sweep points that set the cap and the
/// OpenAI→Microsoft rate (and revenue or discounting, which the plan does not depend on): they
/// run as a Monte Carlo path runs a drawn cap and rate (every pool holding a revenue share
/// resized, every OpenAI→Microsoft share's rate flat on its days in force), which is what
/// re-resolving the terms with them gives (tests/headline.rs holds the two equal point by point).
/// `None` when an amount has sub-cent digits or a rule is not linear.
#[derive(Debug, Clone)]
pub struct CapRatePlan {
    terms: Terms<i128, CentsDue>,
    streams: Vec<Vec<i128>>,
}

impl CapRatePlan {
    pub fn new(plan: &crate::agreement::plan::ExactPlan, scenario: &Scenario) -> Option<CapRatePlan> {
        let terms = plan.try_map(|amount| cents(*amount), rule_in_cents)?;
        Some(CapRatePlan { terms, streams: CapRatePlan::streams_of(scenario)? })
    }

    /// Every period's streams in cents (`None` when one has sub-cent digits).
    pub fn streams_of(scenario: &Scenario) -> Option<Vec<Vec<i128>>> {
        (0..scenario.periods.len())
            .map(|i| scenario.streams_in(i).into_iter().map(cents).collect::<Option<Vec<_>>>())
            .collect()
    }

    /// The headline with this cap and rate (either as the plan has it when `None`), valued with
    /// `factors`; `None` when they cannot run in cents (a cap with sub-cent digits, a rate with
    /// more than nine decimals): the caller re-resolves the terms instead.
    pub fn headline(
        &self,
        (cap, rate): (Option<Decimal>, Option<Decimal>),
        streams: Option<&[Vec<i128>]>,
        periods: &[crate::period::Period],
        factors: &[Decimal],
    ) -> Option<Result<crate::engine::Headline, SimError>> {
        let cap = match cap {
            None => None,
            Some(cap) => Some(cents(cap)?),
        };
        let rate = match rate {
            None => None,
            Some(rate) => Some(Some(Ratio::of(rate)).filter(|r| r.den <= 1_000_000_000 && r.num >= 0)?),
        };
        let mut state = State::new(&self.terms, cap);
        let dollars = |c: i128| Decimal::try_from_i128_with_scale(c, 2).ok();
        let streams = streams.unwrap_or(&self.streams);
        Some(crate::engine::headline_of(&self.terms, &mut state, (periods, streams), rate, factors, dollars))
    }
}
