//! The workbook as a model: the run's compiled plan (the one the engine evaluated) read into
//! input cells (`inputs`) and, per flow, the inputs its formulas refer to. `flows` writes the
//! Flows sheet from this; the Ledger sheet sums it.

use super::inputs::{provenance, Inputs, Value};
use crate::agreement::plan::{Amounts, CompiledRate, Due, ExactDue, ExactPlan, Flow, FlowInputs};
use crate::agreement::{reach, Reached};
use crate::report::AssumptionRow;
use crate::scenario::Loaded;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The inputs one flow's formulas read (indices into `Inputs::rows`); `None` where the value is
/// a constant of its kind, written into the formula.
#[derive(Debug, Clone, Default)]
pub(super) struct FlowRefs {
    pub start: usize,
    pub end: Option<usize>,
    pub lag: usize,
    pub rate: Option<usize>,
    pub fraction: Option<usize>,
    /// A schedule's steps: `(from, rate)`, in date order.
    pub steps: Vec<(usize, usize)>,
    /// Marginal tiers: `(above, rate)`, in order.
    pub tiers: Vec<(usize, usize)>,
    pub per_year: Option<usize>,
    pub lumps: Vec<(NaiveDate, usize)>,
    pub amount: Option<usize>,
    pub threshold: Option<usize>,
    pub day: Option<usize>,
}

/// A pool's inputs: its amount and the prior payments that count in it.
#[derive(Debug, Clone)]
pub(super) struct PoolRefs {
    pub amount: usize,
    /// The pool's own prior payments (a `[[cap_pools]]` entry's), if any.
    pub listed_prior: Option<usize>,
    /// The scenario's `prior_payments_toward_cap`, for a pool holding a revenue share.
    pub scenario_prior: Option<usize>,
}

pub(super) struct Model<'a> {
    pub plan: &'a ExactPlan,
    pub inputs: Inputs,
    pub flows: Vec<FlowRefs>,
    pub pools: Vec<PoolRefs>,
    pub discount_rate: usize,
    /// Scenario-wide assumptions that one cell cannot stand for here, with why (said on the sheet).
    pub not_inputs: Vec<String>,
}

/// The parameter labels the Assumptions sheet uses for a key (for its basis and source).
fn labels(key: &str) -> &'static [&'static str] {
    match key {
        "rate" => &["rate"],
        "base_fraction" => &["base"],
        "start" => &["start"],
        "end" => &["end"],
        "cap" => &["cap"],
        "payment_lag_days" => &["payment lag"],
        "per_year" => &["minimum per year", "amounts"],
        "amounts" => &["amounts"],
        "amount" => &["amount"],
        "commitment" => &["commitment"],
        "fraction" => &["purchases"],
        "revenue_reaches" | "cumulative_revenue_reaches" | "when" => &["when"],
        "rate_schedule" => &["rate schedule"],
        "rate_tiers" => &["rate tiers"],
        _ => &[],
    }
}

impl<'a> Model<'a> {
    pub fn new(
        sheet: &str,
        loaded: &Loaded,
        plan: &'a ExactPlan,
        assumptions: &[AssumptionRow],
    ) -> Model<'a> {
        let scenario = &loaded.scenario;
        let mut inputs = Inputs::new(sheet);
        inputs.periods = scenario.periods.iter().map(|p| p.label.clone()).collect();
        inputs.revenue = scenario
            .stream_names()
            .into_iter()
            .enumerate()
            .map(|(s, name)| (name, (0..scenario.periods.len()).map(|t| scenario.streams_in(t)[s]).collect()))
            .collect();
        let of_scenario = |key: &str| {
            let label = key.replace('_', " ").replace("toward cap", "toward the cap");
            assumptions
                .iter()
                .find(|r| r.subject == "scenario" && r.parameter == label)
                .map(|r| (r.basis.clone(), r.source.clone()))
                .unwrap_or_default()
        };
        // Scenario-wide assumptions first: each clause cell they set links to them.
        let mut links: Vec<(Reached, usize)> = Vec::new();
        let mut not_inputs = Vec::new();
        for (key, targets) in reach(&loaded.agreement) {
            let values: Vec<Value> = targets.iter().filter_map(|t| target_value(plan, key, t)).collect();
            let Some(first) = values.first().cloned() else { continue };
            if values.iter().any(|v| *v != first) {
                not_inputs.push(format!("{key}: the clauses it sets differ here; edit each clause's cell"));
                continue;
            }
            let what = format!("{key} (sets {})", targets.iter().map(words).collect::<Vec<_>>().join(", "));
            let mut source = of_scenario(key);
            if source.0.is_empty() {
                source = match &targets[0] {
                    Reached::Clause { clause, key } => provenance(assumptions, clause, labels(key)),
                    Reached::Pool { pool } => loaded
                        .agreement
                        .cap_pools
                        .iter()
                        .find(|p| p.name == *pool)
                        .map_or(source, |p| (p.amount.basis.to_string(), p.amount.source.clone())),
                };
            }
            let index = inputs.add(key, first, what, source);
            links.extend(targets.into_iter().map(|t| (t, index)));
        }
        let holds_share = plan.pools.iter().any(|p| p.holds_share);
        let scenario_prior = holds_share.then(|| {
            inputs.add(
                "prior_payments_toward_cap",
                Value::Money(scenario.prior_payments_toward_cap),
                "prior payments toward the cap (replace a pool's own when not 0)".to_string(),
                of_scenario("prior_payments_toward_cap"),
            )
        });
        let discount_rate = inputs.add(
            "discount_rate",
            Value::Rate(scenario.discounting.rate),
            "discount rate a year, for present values".to_string(),
            of_scenario("discount_rate"),
        );
        let mut model =
            Model { plan, inputs, flows: Vec::new(), pools: Vec::new(), discount_rate, not_inputs };
        let linked = |sets: &dyn Fn(&Reached) -> bool| links.iter().find(|(r, _)| sets(r)).map(|(_, i)| *i);
        model.pools = (0..plan.pools.len())
            .map(|p| model.pool_refs(p, loaded, assumptions, &linked, scenario_prior))
            .collect();
        for flow in &plan.flows {
            let refs = model.flow_refs(flow, assumptions, &linked);
            model.flows.push(refs);
        }
        model
    }

    /// Pool `p`'s inputs: a `[[cap_pools]]` pool's amount and prior payments, or a clause's own cap.
    fn pool_refs(
        &mut self,
        p: usize,
        loaded: &Loaded,
        assumptions: &[AssumptionRow],
        linked: &Linked<'_>,
        scenario_prior: Option<usize>,
    ) -> PoolRefs {
        let pool = &self.plan.pools[p];
        let listed = loaded
            .agreement
            .cap_pools
            .iter()
            .find(|c| c.name == pool.name && p < loaded.agreement.cap_pools.len());
        let (name, reached) = match listed {
            Some(_) => (format!("cap_pools.{}.amount", pool.name), Reached::Pool { pool: pool.name.clone() }),
            None => (format!("{}.cap", pool.name), Reached::Clause { clause: pool.name.clone(), key: "cap" }),
        };
        let source = listed.map_or_else(
            || provenance(assumptions, &pool.name, labels("cap")),
            |c| (c.amount.basis.to_string(), c.amount.source.clone()),
        );
        let amount = self.input(
            &name,
            Value::Money(pool.amount),
            "total cap of the pool",
            source,
            linked(&|r| *r == reached),
        );
        let listed_prior = listed.and_then(|c| c.prior_payments.as_ref()).map(|prior| {
            self.input(
                &format!("cap_pools.{}.prior_payments", pool.name),
                Value::Money(prior.value),
                "payments before the run that count toward the pool",
                (prior.basis.to_string(), prior.source.clone()),
                None,
            )
        });
        PoolRefs { amount, listed_prior, scenario_prior: scenario_prior.filter(|_| pool.holds_share) }
    }

    /// Adds an input, or a link to `link` holding the same value.
    fn input(
        &mut self,
        name: &str,
        value: Value,
        what: &str,
        source: (String, String),
        link: Option<usize>,
    ) -> usize {
        if let Some(existing) = self.inputs.find(name) {
            return existing;
        }
        let value = match link {
            Some(to) => Value::Link(to, Box::new(self.inputs.value(to).clone())),
            None => value,
        };
        self.inputs.add(name, value, what.to_string(), source)
    }

    fn flow_refs(
        &mut self,
        flow: &Flow<Decimal, ExactDue>,
        assumptions: &[AssumptionRow],
        linked: &Linked<'_>,
    ) -> FlowRefs {
        let at = Clause { id: &flow.clause_id, assumptions, linked };
        let mut refs = FlowRefs {
            start: self.param(&at, "start", Value::Date(flow.force.first), "first day in force"),
            end: flow.force.last.map(|last| self.param(&at, "end", Value::Date(last), "last day in force")),
            lag: self.param(
                &at,
                "payment_lag_days",
                Value::Days(flow.lag_days),
                "days after a period's end it is paid",
            ),
            ..FlowRefs::default()
        };
        let inputs = &flow.inputs;
        match &flow.due {
            Due::Revenue { rule, .. } => self.revenue_refs(&at, rule, inputs, &mut refs),
            Due::Fixed(_) | Due::TopUp { .. } => match &inputs.amounts {
                Some((key, Amounts::PerYear(per_year))) => {
                    refs.per_year = Some(self.param(
                        &at,
                        key,
                        Value::Money(*per_year),
                        "a year's amount, prorated by days",
                    ));
                }
                Some((key, Amounts::OnDates(lumps))) => {
                    for (day, amount) in lumps {
                        let name = format!("{key}.{}", day.format("%Y_%m_%d"));
                        refs.lumps
                            .push((*day, self.param(&at, &name, Value::Money(*amount), "paid on the day")));
                    }
                }
                None => {}
            },
            Due::Milestone { amount, when } => {
                refs.amount = inputs.amount.map(|k| self.param(&at, k, Value::Money(*amount), "paid once"));
                if let (
                    Some(key),
                    crate::agreement::plan::When::StreamReaches { threshold, .. }
                    | crate::agreement::plan::When::CumulativeReaches { threshold, .. },
                ) = (inputs.threshold, when)
                {
                    refs.threshold =
                        Some(self.param(&at, key, Value::Money(*threshold), "revenue that triggers it"));
                }
            }
            Due::Shortfall { commitment, .. } => {
                refs.amount = inputs
                    .amount
                    .map(|k| self.param(&at, k, Value::Money(*commitment), "purchases committed"));
            }
        }
        refs.day = match inputs.day {
            Some(("end", _)) => refs.end,
            Some((key, day)) => Some(self.param(&at, key, Value::Date(day), "the day it falls due")),
            None => None,
        };
        refs
    }

    /// A revenue rule's inputs: its rate and fraction, a schedule's steps, marginal tiers.
    fn revenue_refs(&mut self, at: &Clause, rule: &ExactDue, inputs: &FlowInputs, refs: &mut FlowRefs) {
        refs.rate = inputs.rate.map(|k| self.param(at, k, Value::Rate(rule.flat_rate), "rate"));
        refs.fraction =
            inputs.fraction.map(|k| self.param(at, k, Value::Rate(rule.fraction), "fraction of the stream"));
        let mut steps = rule.steps.clone();
        steps.sort_by_key(|s| s.from);
        for (n, step) in steps.iter().enumerate() {
            let from = self.param(
                at,
                &format!("rate_schedule.{}.from", n + 1),
                Value::Date(step.from),
                "a step's first day",
            );
            let rate = self.param(
                at,
                &format!("rate_schedule.{}.rate", n + 1),
                Value::Rate(step.rate),
                "a step's rate",
            );
            refs.steps.push((from, rate));
        }
        if let CompiledRate::Tiered { tiers, .. } = &rule.rate {
            for (n, tier) in tiers.iter().enumerate() {
                let above = self.param(
                    at,
                    &format!("rate_tiers.{}.above", n + 1),
                    Value::Money(tier.above),
                    "a year's base above which the tier's rate applies",
                );
                let rate = self.param(
                    at,
                    &format!("rate_tiers.{}.rate", n + 1),
                    Value::Rate(tier.rate),
                    "the tier's rate",
                );
                refs.tiers.push((above, rate));
            }
        }
    }

    /// Clause `at.id`'s parameter `key` as an input (a link where an assumption sets it).
    fn param(&mut self, at: &Clause, key: &str, value: Value, what: &str) -> usize {
        let name = format!("{}.{key}", at.id);
        let source = provenance(at.assumptions, at.id, labels(key.split('.').next().unwrap_or(key)));
        let link =
            (at.linked)(&|r| matches!(r, Reached::Clause { clause, key: k } if clause == at.id && *k == key));
        self.input(&name, value, what, source, link)
    }
}

/// The clause whose parameters are being read, and what its inputs' provenance and links come from.
struct Clause<'a> {
    id: &'a str,
    assumptions: &'a [AssumptionRow],
    linked: &'a Linked<'a>,
}

/// The input a scenario-wide assumption gives the first parameter `sets` picks, if any.
type Linked<'a> = dyn Fn(&dyn Fn(&Reached) -> bool) -> Option<usize> + 'a;

fn words(target: &Reached) -> String {
    match target {
        Reached::Clause { clause, key } => format!("{clause}.{key}"),
        Reached::Pool { pool } => format!("cap pool {pool}"),
    }
}

/// The compiled value an assumption's target holds, as an input.
fn target_value(plan: &ExactPlan, key: &str, target: &Reached) -> Option<Value> {
    match target {
        Reached::Pool { pool } => plan.pools.iter().find(|p| p.name == *pool).map(|p| Value::Money(p.amount)),
        Reached::Clause { clause, .. } => {
            let flow = plan.flows.iter().find(|f| f.clause_id == *clause)?;
            match (key, &flow.due) {
                ("cap", _) => flow.pool.map(|p| Value::Money(plan.pools[p].amount)),
                ("cap_counts_from", _) => Some(Value::Date(flow.force.first)),
                ("share_rate", Due::Revenue { rule, .. }) => Some(Value::Rate(rule.flat_rate)),
                ("share_base", Due::Revenue { rule, .. }) => Some(Value::Rate(rule.fraction)),
                _ => None,
            }
        }
    }
}
