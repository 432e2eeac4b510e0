//! One sweep point: its four figures (`engine::headline`) with the terms re-resolved only when
//! a swept parameter changes them, or, for a sweep of the cap and the share rate alone, on the
//! loaded plan in cents with them as a path's terms (no re-resolving, no compiling).

use super::super::params::{Param, Value};
use super::super::AnalysisError;
use crate::engine::Headline;
use crate::scenario::Loaded;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What every point of one sweep shares: the context its terms are applied in, the discount
/// factors when no swept parameter changes them, and, for a sweep of only the cap and the
/// share rate, the loaded plan in cents that runs them without re-resolving the terms.
pub(super) struct PointContext {
    context: String,
    factors: Option<Vec<Decimal>>,
    cap_rate: Option<super::super::montecarlo::CapRatePlan>,
    /// For the compiled plan's points, what one swept value alone decides, worked out once per
    /// value instead of once per point: each discount rate's factors, and each value's revenue
    /// streams when it is the only revenue parameter swept.
    per_value: PerValue,
}

/// What a swept value alone decides, by value. A value whose own computation fails is left out:
/// its points go the way they would without it, and fail there as before.
#[derive(Default)]
struct PerValue {
    factors: HashMap<Decimal, Vec<Decimal>>,
    streams: Option<(Param, HashMap<Decimal, Streams>)>,
}

/// Every period's revenue streams in cents.
type Streams = Vec<Vec<i128>>;

/// The most values of one axis kept per value (a grid's axes are short; a one-axis sweep of a
/// million values reuses none of them).
const MOST_VALUES_KEPT: usize = 4096;

impl PerValue {
    fn new(loaded: &Loaded, settings: &[(Param, Vec<Value>)]) -> PerValue {
        let mut per_value = PerValue::default();
        let kept = |values: &[Value]| values.len() <= MOST_VALUES_KEPT && settings.len() > 1;
        let number = |v: &Value| match v {
            Value::Number(n) => Some(*n),
            _ => None,
        };
        let revenue: Vec<&(Param, Vec<Value>)> =
            settings.iter().filter(|(p, _)| matches!(p, Param::Growth | Param::RevenueScale)).collect();
        for (param, values) in settings.iter().filter(|(_, values)| kept(values)) {
            for value in values {
                let (Some(n), mut s) = (number(value), loaded.scenario.clone()) else { continue };
                if param.apply(&mut s, *value).is_err() {
                    continue;
                }
                if *param == Param::DiscountRate {
                    if let Ok(factors) = s.discounting.factors(&s.periods) {
                        per_value.factors.insert(n, factors);
                    }
                } else if revenue.len() == 1 && revenue[0].0 == *param {
                    if let Some(streams) = super::super::montecarlo::CapRatePlan::streams_of(&s) {
                        per_value
                            .streams
                            .get_or_insert_with(|| (param.clone(), HashMap::new()))
                            .1
                            .insert(n, streams);
                    }
                }
            }
        }
        per_value
    }

    /// The factors kept for `param = value`, if it is a discount rate kept.
    fn factors_at(&self, param: &Param, value: &Value) -> Option<&Vec<Decimal>> {
        match (param, value) {
            (Param::DiscountRate, Value::Number(n)) => self.factors.get(n),
            _ => None,
        }
    }

    /// The streams kept for `param = value`, if it is the revenue parameter whose streams are kept.
    fn streams_at(&self, param: &Param, value: &Value) -> Option<&Streams> {
        match (&self.streams, value) {
            (Some((kept, by)), Value::Number(n)) if kept == param => by.get(n),
            _ => None,
        }
    }
}

impl PointContext {
    /// A point's discount factors: the sweep's own, or its scenario's when the rate is swept.
    fn factors_of(
        &self,
        s: &crate::scenario::Scenario,
    ) -> Result<std::borrow::Cow<'_, [Decimal]>, AnalysisError> {
        match &self.factors {
            Some(factors) => Ok(std::borrow::Cow::Borrowed(factors)),
            None => s
                .discounting
                .factors(&s.periods)
                .map(std::borrow::Cow::Owned)
                .map_err(|p| overflow_at(&p.label)),
        }
    }

    pub(super) fn new(
        loaded: &Loaded,
        settings: &[(Param, Vec<Value>)],
    ) -> Result<PointContext, AnalysisError> {
        let s = &loaded.scenario;
        let params: Vec<Param> = settings.iter().map(|(p, _)| p.clone()).collect();
        let factors = match params.contains(&Param::DiscountRate) {
            true => None,
            false => Some(s.discounting.factors(&s.periods).map_err(|p| overflow_at(&p.label))?),
        };
        let cap_rate = cap_rate_plan(loaded, &params);
        let per_value = match cap_rate {
            Some(_) => PerValue::new(loaded, settings),
            None => PerValue::default(),
        };
        Ok(PointContext { context: format!("scenario `{}`", s.name), factors, cap_rate, per_value })
    }
}

/// The cents plan for a sweep of the cap, the share rate, growth, revenue scale and the discount
/// rate (the compiled plan depends on none but the first two, which run as a path's terms),
/// where it is the same as re-resolving the terms: one agreement (not a timeline, whose versions each take the
/// assumptions), no clause overrides in the scenario (applied after the assumptions, one may
/// set the rate or a cap back), no cloud mix (its breach rule is the ledger's), one AGI date.
fn cap_rate_plan(loaded: &Loaded, params: &[Param]) -> Option<super::super::montecarlo::CapRatePlan> {
    let only_cap_and_rate = !params.is_empty()
        && params.iter().all(|p| {
            matches!(
                p,
                Param::Cap | Param::ShareRate | Param::Growth | Param::RevenueScale | Param::DiscountRate
            )
        });
    let s = &loaded.scenario;
    let plain = loaded.agreement.timeline.is_none()
        && s.terms.clause_overrides.is_empty()
        && s.cloud_mix.is_none()
        && (s.agi_outcomes.is_empty() || !loaded.agreement.agi_matters());
    if !(only_cap_and_rate && plain) {
        return None;
    }
    let plan = crate::engine::compile(&loaded.agreement, s).ok()?;
    super::super::montecarlo::CapRatePlan::new(&plan, s)
}

fn overflow_at(period: &str) -> AnalysisError {
    AnalysisError::Sim(crate::ledger::SimError::Overflow {
        figure: "present value",
        period: period.to_string(),
    })
}

/// One grid point's headline (`engine::headline`: the figures of `evaluate`'s summary that a
/// sweep keeps, without building the ledger).
pub(super) fn evaluate_point(
    loaded: &Loaded,
    shared: &PointContext,
    params: &[Param],
    values: &[Value],
) -> Result<Headline, AnalysisError> {
    if let Some(plan) = &shared.cap_rate {
        if let Some(headline) = on_compiled_plan(loaded, shared, plan, params, values)? {
            return Ok(headline);
        }
    }
    let mut scenario = loaded.scenario.clone();
    for (param, value) in params.iter().zip(values) {
        param.apply(&mut scenario, *value)?;
    }
    // Terms the point does not change are the loaded scenario's, already applied.
    let applied;
    let agreement = match params.iter().any(Param::changes_terms) {
        true => {
            applied = scenario.terms.apply(&loaded.base_agreement, &shared.context)?;
            &applied
        }
        false => &loaded.agreement,
    };
    Ok(crate::engine::headline(agreement, &scenario, &shared.factors_of(&scenario)?)?)
}

/// The point on the loaded plan in cents: the cap and rate as a path's terms, growth, revenue
/// scale and the discount rate set on a copy of the scenario. `Ok(None)`: it cannot run so (an
/// amount with sub-cent digits, a value the terms' own checks would refuse there).
fn on_compiled_plan(
    loaded: &Loaded,
    shared: &PointContext,
    plan: &super::super::montecarlo::CapRatePlan,
    params: &[Param],
    values: &[Value],
) -> Result<Option<Headline>, AnalysisError> {
    let (mut cap, mut rate, mut scenario) = (None, None, None);
    let (mut kept_factors, mut kept_streams) = (None, None);
    let kept = &shared.per_value;
    for (param, value) in params.iter().zip(values) {
        if let Some(factors) = kept.factors_at(param, value) {
            kept_factors = Some(factors);
        } else if let Some(streams) = kept.streams_at(param, value) {
            kept_streams = Some(streams);
        } else {
            match (param, value) {
                (Param::Cap, Value::Number(n)) => cap = Some(*n),
                (Param::ShareRate, Value::Number(n)) => rate = Some(*n),
                _ => param.apply(scenario.get_or_insert_with(|| loaded.scenario.clone()), *value)?,
            }
        }
    }
    let in_range = cap.is_none_or(|c| c >= Decimal::ZERO && c <= crate::money::MAX_MONEY)
        && rate.is_none_or(|r| r >= Decimal::ZERO && r <= Decimal::ONE);
    if !in_range {
        return Ok(None);
    }
    let s = scenario.as_ref().unwrap_or(&loaded.scenario);
    let factors = match kept_factors {
        Some(factors) => std::borrow::Cow::Borrowed(&factors[..]),
        None => shared.factors_of(s)?,
    };
    let revenue_set = params.iter().any(|p| matches!(p, Param::Growth | Param::RevenueScale));
    let computed;
    let streams = match (kept_streams, revenue_set) {
        (Some(streams), _) => Some(&streams[..]),
        (None, true) => match super::super::montecarlo::CapRatePlan::streams_of(s) {
            Some(streams) => {
                computed = streams;
                Some(&computed[..])
            }
            None => return Ok(None),
        },
        (None, false) => None,
    };
    Ok(plan.headline((cap, rate), streams, &s.periods, &factors).transpose()?)
}
