//! Inputs that are valid but probably not what the user meant: they run, and the CLI says so
//! loudly on stderr. A finance memo built on a silently ignored assumption is the failure this
//! guards against.

use super::{Loaded, Scenario};
use crate::agreement::{Agreement, Clause, Party, RevenueStream};
use crate::money::Human;
use std::fmt;

/// One thing worth telling the user before they trust the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// `assumptions.cap` (or `cap_counts_from`) is set, but the agreement has no capped share.
    CapIgnored { key: &'static str, agreement: String },
    /// The other agreement of `--against` pays Microsoft→OpenAI a share of `[revenue.microsoft]`,
    /// which the scenario leaves empty, so that share is priced at zero.
    NoMicrosoftRevenue { scenario: String, agreement: String },
    /// An assumption and a clause override set the same parameter of one clause; the override
    /// is applied after the assumptions, so it wins for that clause.
    OverrideWins { key: &'static str, clause: String, parameter: String },
    /// A sweep, sensitivity or goal seek varies a rate of a share whose rate follows a schedule:
    /// `share_rate` moves only the rate before the schedule's first step when the schedule is
    /// the scenario's override, and any other rate parameter replaces the schedule with a flat rate.
    RateOverSchedule { parameter: String, clause: String, first_step: chrono::NaiveDate, keeps_steps: bool },
    /// The same for marginal tiers: `share_rate` moves only the rate below the first threshold
    /// when the tiers are the scenario's override; otherwise the tiers give way to a flat rate.
    RateOverTiers { parameter: String, clause: String, keeps_tiers: bool },
    /// `montecarlo` on a scenario with nothing uncertain: every path is the same.
    NothingUncertain { scenario: String },
    /// A sweep or `--set` varies a parameter the agreement has no use for (a cap under uncapped
    /// terms, an AGI date under terms AGI ends nothing of): every variant is the same.
    VariedIgnored { parameter: String, agreement: String, why: &'static str },
    /// Monte Carlo values what each year accrues; a payment lag moves `run`'s cash (and its
    /// present value) later.
    LagInMonteCarlo { clause: String, days: i64 },
    /// `assumptions.agi_declared` is set, but no clause of the terms it runs under ends when AGI
    /// is declared.
    AgiIgnored { agreement: String },
    /// A launch dated outside the run's periods: no row shows it, though launches.csv lists it.
    LaunchOutsideRun {
        product: String,
        date: chrono::NaiveDate,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
    },
    /// A `cloud_mix.by_year` year outside the run: no period reads it.
    CloudMixYearOutsideRun { year: i32, first: i32, last: i32 },
    /// A milestone whose trigger cannot hold in the run: its date outside the run or its clause's
    /// days, or AGI never declared.
    MilestoneNever { clause: String, why: String },
    /// A `[revenue.<name>]` stream no clause of the terms reads.
    StreamUnused { stream: String, agreement: String },
    /// A version's clause that a later version of the timeline takes over before the clause
    /// starts: it is never in force, so the compiled terms leave it out.
    ClauseNeverInForce { clause: String, timeline: String },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::CapIgnored { key, agreement } => write!(
                f,
                "assumptions.{key} does nothing: `{agreement}` has no capped revenue share (its shares are uncapped)"
            ),
            Warning::NoMicrosoftRevenue { scenario, agreement } => write!(
                f,
                "scenario `{scenario}` has no [revenue.microsoft], so Microsoft's share to OpenAI under `{agreement}` is priced at zero: \
                 the revision's saving to Microsoft from ending that share is left out. Add a [revenue.microsoft] path \
                 (scenarios/base.toml shows a sourced construction)"
            ),
            Warning::OverrideWins { key, clause, parameter } => write!(
                f,
                "assumptions.{key} and overrides.\"{clause}\".{parameter} both set the {parameter} of clause `{clause}`: \
                 the override wins for that clause (overrides apply after assumptions); remove one to say which you mean"
            ),
            Warning::RateOverSchedule { parameter, clause, first_step, keeps_steps: true } => write!(
                f,
                "varying `{parameter}` moves only the rate of `{clause}` before its rate schedule's first step ({first_step}): \
                 the scenario's rate_schedule is applied after it and keeps its steps"
            ),
            Warning::RateOverSchedule { parameter, clause, keeps_steps: false, .. } => write!(
                f,
                "varying `{parameter}` replaces the rate schedule of `{clause}` with one flat rate at every point"
            ),
            Warning::RateOverTiers { parameter, clause, keeps_tiers: true } => write!(
                f,
                "varying `{parameter}` moves only the rate of `{clause}` below its first tier: the scenario's rate_tiers \
                 is applied after it and keeps its brackets"
            ),
            Warning::RateOverTiers { parameter, clause, keeps_tiers: false } => write!(
                f,
                "varying `{parameter}` replaces the rate tiers of `{clause}` with one flat rate at every point"
            ),
            Warning::NothingUncertain { scenario } => write!(
                f,
                "scenario `{scenario}` has nothing Monte Carlo draws (a distribution on a year's revenue, growth or scale, cap, share_rate or agi_declared), \
                 so every path is the same and the percentiles equal a plain `run`; see scenarios/uncertain.toml for how to write one"
            ),
            Warning::AgiIgnored { agreement } => write!(
                f,
                "assumptions.agi_declared does nothing: no clause of `{agreement}` ends when AGI is declared \
                 (it matters only to terms with an AGI clause, e.g. `--against pre-revision`)"
            ),
            Warning::LaunchOutsideRun { product, date, first, last } => write!(
                f,
                "launch `{product}` on {date} is outside the run ({first} to {last}): launches.csv decides it under the terms in force that day, \
                 but no ledger period shows it; widen `years` or check the date"
            ),
            Warning::CloudMixYearOutsideRun { year, first, last } => write!(
                f,
                "cloud_mix.by_year.{year} is outside the run ({first}..={last}) and is ignored; widen `years` or check the year"
            ),
            Warning::MilestoneNever { clause, why } => {
                write!(f, "milestone `{clause}` can never be paid in this run: {why}")
            }
            Warning::StreamUnused { stream, agreement } => write!(
                f,
                "[revenue.{stream}] is read by no clause of `{agreement}` and changes nothing (a purchase commitment names its stream with `purchases = \"{stream}\"`)"
            ),
            Warning::ClauseNeverInForce { clause, timeline } => write!(
                f,
                "clause `{clause}` of timeline `{timeline}` is never in force: a later version takes over before it starts, so it pays nothing and no output lists it"
            ),
            Warning::VariedIgnored { parameter, agreement, why } => write!(
                f,
                "varying `{parameter}` changes nothing here: `{agreement}` {why}, so every value gives the same ledger"
            ),
            Warning::LagInMonteCarlo { clause, days } => write!(
                f,
                "`{clause}` is paid {days} days after each period, but Monte Carlo's present values value what each year accrues, at the year's end; \
                 `run` values the cash when it arrives, so its present value is lower than the P50 of a zero-variance run"
            ),
        }
    }
}

/// Warnings about a loaded scenario on its own, run under its agreement and, with `--against`,
/// under `against` too (an AGI date one of them uses is not ignored).
/// The clauses of a timeline's versions that compiling it left out (taken over before they
/// began), by their compiled ids.
fn clauses_never_in_force(agreement: &Agreement) -> Vec<Warning> {
    let Some(timeline) = &agreement.timeline else { return Vec::new() };
    let separator = crate::agreement::timeline::SEPARATOR;
    timeline
        .versions
        .iter()
        .flat_map(|v| {
            v.agreement.clauses.iter().map(move |c| format!("{}{separator}{}", v.agreement.name, c.id()))
        })
        .filter(|id| agreement.clauses.iter().all(|c| c.id() != id))
        .map(|clause| Warning::ClauseNeverInForce { clause, timeline: agreement.name.clone() })
        .collect()
}

pub fn scenario_warnings(loaded: &Loaded, against: Option<&Agreement>) -> Vec<Warning> {
    let mut out = Vec::new();
    let scenario = &loaded.scenario;
    let agi_given = scenario.agi_declared.is_some() || !scenario.agi_outcomes.is_empty();
    if agi_given && !loaded.agreement.agi_matters() && !against.is_some_and(Agreement::agi_matters) {
        out.push(Warning::AgiIgnored { agreement: loaded.agreement.name.clone() });
    }
    out.extend(milestones_that_never_pay(loaded));
    out.extend(clauses_never_in_force(&loaded.agreement));
    let read: Vec<&str> = loaded.agreement.clauses.iter().flat_map(|c| c.streams()).collect();
    for (stream, _) in scenario.other_streams.iter().filter(|(s, _)| !read.contains(&s.as_str())) {
        out.push(Warning::StreamUnused { stream: stream.clone(), agreement: loaded.agreement.name.clone() });
    }
    if let (Some(first), Some(last)) = (scenario.periods.first(), scenario.periods.last()) {
        for launch in scenario.launches.iter().filter(|l| l.date < first.start || l.date > last.end) {
            out.push(Warning::LaunchOutsideRun {
                product: launch.product.clone(),
                date: launch.date,
                first: first.start,
                last: last.end,
            });
        }
        let years = first.year..=last.year;
        for year in scenario.cloud_mix.iter().flat_map(|m| m.by_year.keys()).filter(|y| !years.contains(y)) {
            out.push(Warning::CloudMixYearOutsideRun { year: *year, first: first.year, last: last.year });
        }
    }
    if loaded.agreement.openai_to_microsoft_cap().is_none() {
        let terms = &loaded.scenario.terms;
        for (key, set) in [("cap", terms.cap.is_some()), ("cap_counts_from", terms.cap_counts_from.is_some())]
        {
            if set {
                out.push(Warning::CapIgnored { key, agreement: loaded.agreement.name.clone() });
            }
        }
    }
    out.extend(overrides_that_win(loaded));
    out
}

/// Milestones a date or an AGI trigger keeps out of the run.
fn milestones_that_never_pay(loaded: &Loaded) -> Vec<Warning> {
    use crate::agreement::Milestone;
    let (scenario, agreement) = (&loaded.scenario, &loaded.agreement);
    let (Some(first), Some(last)) = (scenario.periods.first(), scenario.periods.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for clause in &agreement.clauses {
        let Clause::MilestonePayment(m) = clause else { continue };
        let force = crate::agreement::plan::in_force(agreement, clause, scenario.agi_declared);
        let day_outside = |day: chrono::NaiveDate| {
            if day < first.start || day > last.end {
                Some(format!("{day} is outside the run ({} to {})", first.start, last.end))
            } else if !force.contains(day) {
                Some(format!("{day} is outside the clause's days in force"))
            } else {
                None
            }
        };
        let why = match m.when.value {
            Milestone::On(day) => day_outside(day),
            Milestone::AgiDeclared => match scenario.agi_declared {
                None if scenario.agi_outcomes.is_empty() => Some(
                    "it waits for AGI, and the scenario declares none (assumptions.agi_declared)".to_string(),
                ),
                Some(day) => day_outside(day),
                None => None,
            },
            Milestone::RevenueReaches(_) | Milestone::CumulativeRevenueReaches(_) => None,
        };
        if let Some(why) = why {
            out.push(Warning::MilestoneNever { clause: m.terms.id.clone(), why });
        }
    }
    out
}

/// Each override that replaces, for its clause, what an assumption set for every such clause.
fn overrides_that_win(loaded: &Loaded) -> Vec<Warning> {
    use crate::agreement::ClauseOverride as O;
    let terms = &loaded.scenario.terms;
    // The clause as the agreement wrote it: what the assumption would have applied to.
    let share = |id: &str| {
        loaded.base_agreement.clauses.iter().find_map(|c| match c {
            Clause::RevenueShare(s) if s.id == id => Some(s),
            _ => None,
        })
    };
    let mut out = Vec::new();
    for change in &terms.clause_overrides {
        let Some(s) = share(change.clause()) else { continue };
        let openai_pays_microsoft = s.openai_pays_microsoft();
        let key = match change {
            O::Rate { .. } | O::Schedule { .. } if terms.share_rate.is_some() && openai_pays_microsoft => {
                "share_rate"
            }
            O::Cap { .. } if terms.cap.is_some() => "cap",
            O::BaseFraction { .. }
                if terms.share_base.is_some() && s.base.value.stream == RevenueStream::OpenaiRevenue =>
            {
                "share_base"
            }
            O::Start { .. } if terms.cap_counts_from.is_some() && s.cap.is_some() => "cap_counts_from",
            _ => continue,
        };
        out.push(Warning::OverrideWins {
            key,
            clause: s.id.clone(),
            parameter: change.parameter().to_string(),
        });
    }
    out
}

/// Warnings about varying these parameters of `loaded` (sweep, sensitivity, goal seek): the
/// names as `analysis::params` prints them (`share_rate`, `<clause>.rate`).
pub fn varied_parameter_warnings(loaded: &Loaded, parameters: &[String]) -> Vec<Warning> {
    use crate::agreement::ClauseOverride as O;
    let mut out = Vec::new();
    let agreement = &loaded.agreement;
    for parameter in parameters {
        let why = match parameter.as_str() {
            "cap" | "cap_counts_from" if agreement.openai_to_microsoft_cap().is_none() => {
                "has no capped revenue share"
            }
            "agi_declared" if !agreement.agi_matters() => {
                "has no clause that AGI ends (only an --against comparison can use it)"
            }
            _ => continue,
        };
        out.push(Warning::VariedIgnored {
            parameter: parameter.clone(),
            agreement: agreement.name.clone(),
            why,
        });
    }
    for clause in &loaded.agreement.clauses {
        let Clause::RevenueShare(s) = clause else { continue };
        // Tiers or a schedule (a share has one or the other), and whether the scenario's own
        // override set it: then it is applied after `share_rate` and survives it.
        let first_step = s.schedule.as_ref().and_then(|sch| sch.value.first()).map(|st| st.from);
        let tiered = s.tiers.is_some();
        if !tiered && first_step.is_none() {
            continue;
        }
        let from_override = loaded.scenario.terms.clause_overrides.iter().any(|o| match o {
            O::Tiers { clause, .. } if tiered => *clause == s.id,
            O::Schedule { clause, .. } if !tiered => *clause == s.id,
            _ => false,
        });
        let openai_pays_microsoft = s.openai_pays_microsoft();
        for parameter in parameters {
            let share_rate = parameter == "share_rate" && openai_pays_microsoft;
            if !share_rate && *parameter != format!("{}.rate", s.id) {
                continue;
            }
            let (parameter, clause, keeps) = (parameter.clone(), s.id.clone(), share_rate && from_override);
            out.push(match first_step.filter(|_| !tiered) {
                Some(first_step) => {
                    Warning::RateOverSchedule { parameter, clause, first_step, keeps_steps: keeps }
                }
                None => Warning::RateOverTiers { parameter, clause, keeps_tiers: keeps },
            });
        }
    }
    out
}

/// Warnings about running `scenario` against `other` (`run --against`).
pub fn against_warnings(scenario: &Scenario, other: &Agreement) -> Vec<Warning> {
    let uses_microsoft_revenue = other.clauses.iter().any(|c| {
        matches!(c, Clause::RevenueShare(s)
            if s.payer == Party::Microsoft && s.base.value.stream == RevenueStream::MicrosoftOpenaiProducts)
    });
    let no_revenue = scenario.microsoft_revenue.iter().all(|r| r.is_zero());
    if uses_microsoft_revenue && no_revenue {
        vec![Warning::NoMicrosoftRevenue { scenario: scenario.name.clone(), agreement: other.name.clone() }]
    } else {
        Vec::new()
    }
}

/// Warnings about a Monte Carlo run of `scenario`.
pub fn montecarlo_warnings(scenario: &Scenario, agreement: &Agreement) -> Vec<Warning> {
    let drawn = |g: &super::GrowthSource| matches!(g, super::GrowthSource::Random(d) | super::GrowthSource::Drawn(d) if d.has_spread());
    let u = &scenario.uncertain;
    let random_growth = scenario.openai_growth.iter().chain(&scenario.microsoft_growth).any(drawn)
        || u.openai_scale.is_some()
        || u.microsoft_scale.is_some();
    let random_agi = !scenario.agi_outcomes.is_empty() && agreement.agi_matters();
    let uncertain = random_growth
        || random_agi
        || scenario.uncertain.cap.is_some()
        || scenario.uncertain.share_rate.is_some();
    let mut warnings = Vec::new();
    if !uncertain {
        warnings.push(Warning::NothingUncertain { scenario: scenario.name.clone() });
    }
    for clause in &agreement.clauses {
        if let crate::agreement::Clause::RevenueShare(share) = clause {
            if let Some(lag) = share.payment_lag_days.as_ref().filter(|l| l.value > 0) {
                warnings.push(Warning::LagInMonteCarlo { clause: share.id.clone(), days: lag.value });
            }
        }
    }
    warnings
}

/// What the Microsoft→OpenAI line of an `--against` report rests on, in words.
pub fn microsoft_revenue_basis(scenario: &Scenario) -> String {
    let total: rust_decimal::Decimal = scenario.microsoft_revenue.iter().sum();
    if total.is_zero() {
        "Microsoft's share to OpenAI is priced at zero: the scenario has no [revenue.microsoft] path"
            .to_string()
    } else {
        format!(
            "Microsoft's share to OpenAI rests on the scenario's [revenue.microsoft] path ({} over the run), an assumption",
            Human(total)
        )
    }
}
