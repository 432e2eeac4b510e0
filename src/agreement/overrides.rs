//! A scenario's assumptions about the terms (the cap's size, the effective date, …) applied to an
//! agreement, giving the agreement that scenario simulates. Each changed value is re-labelled an
//! assumption with the scenario as its source, so a reader can see what the scenario changed.

use super::clause::{Cap, Clause, Clouds, ExceptionReading, RevenueStream};
use super::{Agreement, Sourced};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A scenario's assumptions about unknown terms. `None` keeps the agreement's own value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermAssumptions {
    /// Total cap of every capped revenue share (docs/SOURCES.md Q1).
    pub cap: Option<Decimal>,
    /// The agreement's effective date (question 2): when the rights change, and when clauses
    /// without a start date of their own start.
    pub effective_date: Option<NaiveDate>,
    /// The first day whose revenue counts toward a capped share (question 2): the start of every
    /// capped revenue share, independent of the effective date.
    pub cap_counts_from: Option<NaiveDate>,
    /// Rate of every OpenAI→Microsoft revenue share.
    pub share_rate: Option<Decimal>,
    /// Fraction of OpenAI's revenue that OpenAI-revenue shares apply to (question 4).
    pub share_base: Option<Decimal>,
    /// Reading of the Azure-first exception (question 5).
    pub azure_first_exception: Option<ExceptionReading>,
    /// Changes to one named clause's parameters.
    pub clause_overrides: Vec<ClauseOverride>,
}

/// One parameter of one clause, set by a scenario's `[overrides."clause-id"]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseOverride {
    Rate {
        clause: String,
        rate: Decimal,
    },
    Schedule {
        clause: String,
        steps: Vec<super::clause::RateStep>,
    },
    PaymentLag {
        clause: String,
        days: i64,
    },
    Tiers {
        clause: String,
        tiers: Vec<super::clause::Tier>,
    },
    Cap {
        clause: String,
        amount: Decimal,
    },
    BaseFraction {
        clause: String,
        fraction: Decimal,
    },
    Start {
        clause: String,
        date: NaiveDate,
    },
    End {
        clause: String,
        date: NaiveDate,
    },
    Exclusive {
        clause: String,
        exclusive: bool,
    },
    Clouds {
        clause: String,
        clouds: Clouds,
    },
    Exception {
        clause: String,
        reading: ExceptionReading,
    },
    /// Any other parameter a clause's kind lets `--set` change (`openai-minimum.per_year`), by
    /// its key in the agreement file.
    Set {
        clause: String,
        key: String,
        value: SetValue,
    },
}

/// A value `--set` gives a clause parameter: money, a rate or fraction, a date, or days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetValue {
    Money(Decimal),
    Rate(Decimal),
    Date(NaiveDate),
    Days(i64),
}

impl ClauseOverride {
    pub fn clause(&self) -> &str {
        match self {
            ClauseOverride::Rate { clause, .. }
            | ClauseOverride::Schedule { clause, .. }
            | ClauseOverride::PaymentLag { clause, .. }
            | ClauseOverride::Tiers { clause, .. }
            | ClauseOverride::Cap { clause, .. }
            | ClauseOverride::BaseFraction { clause, .. }
            | ClauseOverride::Start { clause, .. }
            | ClauseOverride::End { clause, .. }
            | ClauseOverride::Exclusive { clause, .. }
            | ClauseOverride::Clouds { clause, .. }
            | ClauseOverride::Exception { clause, .. }
            | ClauseOverride::Set { clause, .. } => clause,
        }
    }

    pub fn parameter(&self) -> &str {
        match self {
            ClauseOverride::Rate { .. } => "rate",
            ClauseOverride::Schedule { .. } => "rate_schedule",
            ClauseOverride::PaymentLag { .. } => "payment_lag_days",
            ClauseOverride::Tiers { .. } => "rate_tiers",
            ClauseOverride::Cap { .. } => "cap",
            ClauseOverride::BaseFraction { .. } => "base_fraction",
            ClauseOverride::Start { .. } => "start",
            ClauseOverride::End { .. } => "end",
            ClauseOverride::Exclusive { .. } => "exclusive",
            ClauseOverride::Clouds { .. } => "clouds",
            ClauseOverride::Exception { .. } => "exception",
            ClauseOverride::Set { key, .. } => key,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("agreement `{agreement}` has no clause `{clause}` (its clauses: {known})")]
    UnknownClause { agreement: String, clause: String, known: String },
    #[error("clause `{clause}` is a {kind} clause, which has no parameter `{parameter}`")]
    NotApplicable { clause: String, kind: &'static str, parameter: String },
    #[error("clause `{clause}` would end ({end}) before it starts ({start})")]
    EndBeforeStart { clause: String, start: NaiveDate, end: NaiveDate },
    #[error("clause `{clause}`: {parameter} is {value}; expected {expected}")]
    OutOfRange { clause: String, parameter: &'static str, value: String, expected: &'static str },
    #[error("two clauses are both called `{clause}`; clause ids must be unique")]
    DuplicateClause { clause: String },
    #[error(transparent)]
    Timeline(#[from] super::timeline::TimelineError),
}

impl TermAssumptions {
    pub fn is_empty(&self) -> bool {
        *self == TermAssumptions::default()
    }

    /// The agreement with these assumptions applied. `source` names where they come from (the
    /// scenario), and becomes the provenance of every value changed.
    pub fn apply(&self, agreement: &Agreement, source: &str) -> Result<Agreement, OverrideError> {
        if let Some(timeline) = &agreement.timeline {
            return self.apply_to_timeline(timeline, source);
        }
        let mut out = agreement.clone();
        let label = |key: &str| format!("{source}: {key}");
        if let Some(date) = self.effective_date {
            out.effective = Sourced::assumption(date, &label("assumptions.effective_date"));
        }
        for clause in &mut out.clauses {
            match clause {
                Clause::RevenueShare(share) => {
                    if let (Some(amount), Some(cap)) = (self.cap, share.cap.as_mut()) {
                        *cap = Sourced::assumption(Cap::Total { amount }, &label("assumptions.cap"));
                    }
                    if let (Some(date), true) =
                        (self.cap_counts_from, share.cap.is_some() || share.cap_pool.is_some())
                    {
                        share.start = Some(Sourced::assumption(date, &label("assumptions.cap_counts_from")));
                    }
                    let openai_pays_microsoft = share.openai_pays_microsoft();
                    if let (Some(rate), true) = (self.share_rate, openai_pays_microsoft) {
                        // A rate is flat: it replaces a schedule as well as the rate.
                        share.rate = Sourced::assumption(rate, &label("assumptions.share_rate"));
                        share.schedule = None;
                        share.tiers = None;
                    }
                    if let Some(fraction) = self.share_base {
                        if share.base.value.stream == RevenueStream::OpenaiRevenue {
                            let mut base = share.base.value;
                            base.fraction = fraction;
                            share.base = Sourced::assumption(base, &label("assumptions.share_base"));
                        }
                    }
                }
                Clause::ShippingPriority(priority) => {
                    if let Some(reading) = self.azure_first_exception {
                        priority.exception =
                            Sourced::assumption(reading, &label("assumptions.azure_first_exception"));
                    }
                }
                // The other kinds have no parameter a scenario-wide assumption sets.
                _ => {}
            }
        }
        // The scenario's cap is the cap of the pool a revenue share draws on, as it is a share's
        // own cap: a pool shared with a minimum payment is resized, not only the share's part.
        if let Some(amount) = self.cap {
            let shared: Vec<String> = out
                .clauses
                .iter()
                .filter_map(|c| match c {
                    Clause::RevenueShare(s) => s.cap_pool.clone(),
                    _ => None,
                })
                .collect();
            for pool in out.cap_pools.iter_mut().filter(|p| shared.contains(&p.name)) {
                pool.amount = Sourced::assumption(amount, &label("assumptions.cap"));
            }
        }
        for change in &self.clause_overrides {
            apply_override(&mut out, change, source)?;
        }
        check(&out)?;
        Ok(out)
    }
}

impl TermAssumptions {
    /// A timeline's assumptions go to each version before it is compiled, so what they move
    /// (the day the capped share counts from) moves the day the version before hands over too.
    /// `effective_date` is the last version's take-over day. Clause overrides apply afterwards to
    /// the compiled clauses (`<version>/<clause>`), exactly as written.
    fn apply_to_timeline(
        &self,
        timeline: &super::timeline::Timeline,
        source: &str,
    ) -> Result<Agreement, OverrideError> {
        let per_version =
            TermAssumptions { effective_date: None, clause_overrides: Vec::new(), ..self.clone() };
        let mut edited = timeline.clone();
        for version in &mut edited.versions {
            version.agreement = per_version.apply(&version.agreement, source)?;
        }
        if let (Some(date), Some(last)) = (self.effective_date, edited.versions.last_mut()) {
            last.from = Sourced::assumption(date, &format!("{source}: assumptions.effective_date"));
        }
        let mut out = edited.compile()?;
        for change in &self.clause_overrides {
            apply_override(&mut out, change, source)?;
        }
        check(&out)?;
        Ok(out)
    }
}

fn apply_override(
    agreement: &mut Agreement,
    change: &ClauseOverride,
    source: &str,
) -> Result<(), OverrideError> {
    let Some(index) = agreement.clauses.iter().position(|c| c.id() == change.clause()) else {
        return Err(OverrideError::UnknownClause {
            agreement: agreement.name.clone(),
            clause: change.clause().to_string(),
            known: agreement.clauses.iter().map(|c| format!("`{}`", c.id())).collect::<Vec<_>>().join(", "),
        });
    };
    let clause = &mut agreement.clauses[index];
    let label = format!("{source}: overrides.{}.{}", change.clause(), change.parameter());
    let not_applicable = |clause: &Clause| OverrideError::NotApplicable {
        clause: clause.id().to_string(),
        kind: clause.kind_name(),
        parameter: change.parameter().to_string(),
    };
    let set = |clause: &mut Clause, key: &str, value: SetValue| {
        if clause.set(key, value, &label) {
            Ok(())
        } else {
            Err(not_applicable(clause))
        }
    };
    match (change, &mut *clause) {
        (ClauseOverride::Rate { rate, .. }, Clause::RevenueShare(s)) => {
            s.rate = Sourced::assumption(*rate, &label);
            s.schedule = None;
            s.tiers = None;
        }
        (ClauseOverride::Schedule { steps, .. }, Clause::RevenueShare(s)) => {
            s.schedule = Some(Sourced::assumption(steps.clone(), &label));
        }
        (ClauseOverride::Tiers { tiers, .. }, Clause::RevenueShare(s)) => {
            s.tiers = Some(Sourced::assumption(tiers.clone(), &label));
        }
        (ClauseOverride::PaymentLag { days, .. }, Clause::RevenueShare(s)) => {
            s.payment_lag_days = Some(Sourced::assumption(*days, &label));
        }
        (ClauseOverride::Cap { amount, .. }, Clause::RevenueShare(s)) => {
            s.cap = Some(Sourced::assumption(Cap::Total { amount: *amount }, &label));
        }
        (ClauseOverride::BaseFraction { fraction, .. }, Clause::RevenueShare(s)) => {
            let mut base = s.base.value;
            base.fraction = *fraction;
            s.base = Sourced::assumption(base, &label);
        }
        (ClauseOverride::Start { date, .. }, c) => c.set_start(Some(Sourced::assumption(*date, &label))),
        (ClauseOverride::End { date, .. }, c) => c.set_end(Sourced::assumption(*date, &label)),
        (ClauseOverride::Exclusive { exclusive, .. }, Clause::Licence(l)) => {
            l.exclusive = Sourced::assumption(*exclusive, &label);
        }
        (ClauseOverride::Clouds { clouds, .. }, Clause::Distribution(d)) => {
            d.clouds = Sourced::assumption(*clouds, &label);
        }
        (ClauseOverride::Exception { reading, .. }, Clause::ShippingPriority(p)) => {
            p.exception = Sourced::assumption(*reading, &label);
        }
        // A payment clause's own cap and lag, and any other parameter, through its kind.
        (ClauseOverride::Cap { amount, .. }, c) => set(c, "cap", SetValue::Money(*amount))?,
        (ClauseOverride::PaymentLag { days, .. }, c) => set(c, "payment_lag_days", SetValue::Days(*days))?,
        (ClauseOverride::Set { key, value, .. }, c) => set(c, key, *value)?,
        (_, c) => return Err(not_applicable(c)),
    }
    Ok(())
}

/// Checks what serde cannot: unique ids, rates and fractions in 0..=1, caps within the money
/// limit, and no clause ending before it starts.
pub fn check(agreement: &Agreement) -> Result<(), OverrideError> {
    let mut seen = std::collections::HashSet::new();
    for clause in &agreement.clauses {
        if !seen.insert(clause.id()) {
            return Err(OverrideError::DuplicateClause { clause: clause.id().to_string() });
        }
        clause.check()?;
        let start = agreement.start_of(clause);
        if let Some(end) = clause.end() {
            if end < start {
                return Err(OverrideError::EndBeforeStart { clause: clause.id().to_string(), start, end });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::{builtin, Basis};
    use rust_decimal_macros::dec;

    #[test]
    fn cap_assumption_resizes_the_cap_and_relabels_it() {
        let revised = builtin("revised").unwrap();
        let terms = TermAssumptions { cap: Some(dec!(20_000_000_000)), ..Default::default() };
        let out = terms.apply(&revised, "scenario base").unwrap();
        let Some(Clause::RevenueShare(share)) = out.clause("openai-to-microsoft") else {
            panic!("share clause")
        };
        let cap = share.cap.as_ref().unwrap();
        assert_eq!(cap.value.amount(), dec!(20_000_000_000));
        assert_eq!(cap.basis, Basis::Assumption);
        assert_eq!(cap.source, "scenario base: assumptions.cap");
    }

    #[test]
    fn override_of_a_missing_clause_names_the_known_ones() {
        let revised = builtin("revised").unwrap();
        let terms = TermAssumptions {
            clause_overrides: vec![ClauseOverride::Rate { clause: "nope".into(), rate: dec!(0.1) }],
            ..Default::default()
        };
        let err = terms.apply(&revised, "s").unwrap_err();
        assert!(err.to_string().contains("`openai-to-microsoft`"), "{err}");
    }

    #[test]
    fn override_of_a_parameter_the_clause_lacks_is_refused() {
        let revised = builtin("revised").unwrap();
        let terms = TermAssumptions {
            clause_overrides: vec![ClauseOverride::Rate { clause: "azure-first".into(), rate: dec!(0.1) }],
            ..Default::default()
        };
        assert_eq!(
            terms.apply(&revised, "s").unwrap_err(),
            OverrideError::NotApplicable {
                clause: "azure-first".into(),
                kind: "shipping-priority",
                parameter: "rate".into()
            }
        );
    }

    #[test]
    fn an_effective_date_after_a_clause_end_is_refused() {
        let revised = builtin("revised").unwrap();
        let terms =
            TermAssumptions { effective_date: NaiveDate::from_ymd_opt(2033, 1, 1), ..Default::default() };
        assert!(matches!(terms.apply(&revised, "s"), Err(OverrideError::EndBeforeStart { .. })));
    }
}
