//! `[assumptions]` and `[overrides]`: what the scenario assumes about the terms (cap, dates,
//! rate, base, the Azure-first reading, prior payments, AGI), how it discounts, and changes to
//! named clauses.

use super::*;
use crate::agreement::SetValue;

/// The validated `[assumptions]` and `[overrides]`.
pub(super) struct Assumptions {
    pub terms: TermAssumptions,
    pub uncertain: Uncertain,
    pub prior_payments_toward_cap: Decimal,
    pub agi_declared: Option<NaiveDate>,
    pub agi_outcomes: Vec<AgiOutcome>,
    pub discounting: Discounting,
}

pub(super) fn read(v: &Values, raw: &RawScenario) -> Result<Assumptions, InputError> {
    let a = &raw.assumptions;
    let cap = a.cap.as_ref().map(|x| v.money_or_dist("assumptions.cap", x)).transpose()?;
    let share_rate =
        a.share_rate.as_ref().map(|x| v.rate_or_dist("assumptions.share_rate", x)).transpose()?;
    let revenue_correlation = a
        .revenue_correlation
        .as_ref()
        .map(|x| v.correlation("assumptions.revenue_correlation", x))
        .transpose()?
        .unwrap_or_default();
    let uncertain = Uncertain {
        cap: cap.and_then(|(_, d)| d),
        share_rate: share_rate.and_then(|(_, d)| d),
        revenue_correlation,
        ..Uncertain::default()
    };
    let date = |key: &str, x: &Option<raw::RawValue>| x.as_ref().map(|x| v.date(key, x)).transpose();
    let mut terms = TermAssumptions {
        cap: cap.map(|(central, _)| central),
        effective_date: date("assumptions.effective_date", &a.effective_date)?,
        cap_counts_from: date("assumptions.cap_counts_from", &a.cap_counts_from)?,
        share_rate: share_rate.map(|(central, _)| central),
        share_base: a.share_base.as_ref().map(|x| v.rate("assumptions.share_base", x)).transpose()?,
        azure_first_exception: a.azure_first_exception.as_ref().map(|x| v.reading(x)).transpose()?,
        clause_overrides: Vec::new(),
    };
    for (clause, table) in &raw.overrides {
        terms.clause_overrides.extend(clause_overrides(v, clause.get_ref(), table.get_ref())?);
    }
    let prior_payments_toward_cap = a
        .prior_payments_toward_cap
        .as_ref()
        .map(|x| v.money("assumptions.prior_payments_toward_cap", x))
        .transpose()?
        .unwrap_or(Decimal::ZERO);
    let mut discounting = Discounting::default();
    if let Some(rate) = &a.discount_rate {
        discounting.rate = v.rate("assumptions.discount_rate", rate)?;
    }
    if let Some(convention) = &a.discounting {
        discounting.convention = v.convention(convention)?;
    }
    let (agi_declared, agi_outcomes) = match &a.agi_declared {
        Some(x) => v.agi("assumptions.agi_declared", x)?,
        None => (None, Vec::new()),
    };
    Ok(Assumptions { terms, uncertain, prior_payments_toward_cap, agi_declared, agi_outcomes, discounting })
}

pub(super) fn clause_overrides(
    v: &Values,
    clause: &str,
    raw: &raw::RawClauseOverride,
) -> Result<Vec<ClauseOverride>, InputError> {
    let key = |param: &str| format!("overrides.{clause}.{param}");
    let clause = clause.to_string();
    let mut out = Vec::new();
    if let Some(x) = &raw.rate {
        out.push(ClauseOverride::Rate { clause: clause.clone(), rate: v.rate(&key("rate"), x)? });
    }
    if let Some(x) = &raw.rate_schedule {
        out.push(ClauseOverride::Schedule {
            clause: clause.clone(),
            steps: v.rate_schedule(&key("rate_schedule"), x)?,
        });
    }
    if let Some(x) = &raw.rate_tiers {
        out.push(ClauseOverride::Tiers {
            clause: clause.clone(),
            tiers: v.rate_tiers(&key("rate_tiers"), x)?,
        });
    }
    if let Some(days) = &raw.payment_lag_days {
        if !(0..=3650).contains(days.get_ref()) {
            return Err(InputError::at(
                v.source(),
                days.span(),
                InputErrorKind::WrongType {
                    key: key("payment_lag_days"),
                    expected: "a whole number of days from 0 to 3650",
                    found: days.get_ref().to_string(),
                },
            ));
        }
        out.push(ClauseOverride::PaymentLag { clause: clause.clone(), days: *days.get_ref() });
    }
    if let Some(x) = &raw.cap {
        out.push(ClauseOverride::Cap { clause: clause.clone(), amount: v.money(&key("cap"), x)? });
    }
    if let Some(x) = &raw.base_fraction {
        out.push(ClauseOverride::BaseFraction {
            clause: clause.clone(),
            fraction: v.rate(&key("base_fraction"), x)?,
        });
    }
    if let Some(x) = &raw.start {
        out.push(ClauseOverride::Start { clause: clause.clone(), date: v.date(&key("start"), x)? });
    }
    if let Some(x) = &raw.end {
        out.push(ClauseOverride::End { clause: clause.clone(), date: v.date(&key("end"), x)? });
    }
    if let Some(x) = &raw.exclusive {
        out.push(ClauseOverride::Exclusive {
            clause: clause.clone(),
            exclusive: v.boolean(&key("exclusive"), x)?,
        });
    }
    if let Some(x) = &raw.clouds {
        out.push(ClauseOverride::Clouds { clause: clause.clone(), clouds: v.clouds(x)? });
    }
    if let Some(x) = &raw.exception {
        out.push(ClauseOverride::Exception { clause: clause.clone(), reading: v.reading(x)? });
    }
    out.extend(payment_overrides(v, &clause, raw)?);
    Ok(out)
}

/// The payment kinds' parameters an override may set: each an `Override::Set` by its key.
fn payment_overrides(
    v: &Values,
    clause: &str,
    raw: &raw::RawClauseOverride,
) -> Result<Vec<ClauseOverride>, InputError> {
    let key = |param: &str| format!("overrides.{clause}.{param}");
    let mut out = Vec::new();
    let money_keys = [
        ("per_year", &raw.per_year),
        ("amount", &raw.amount),
        ("commitment", &raw.commitment),
        ("revenue_reaches", &raw.revenue_reaches),
        ("cumulative_revenue_reaches", &raw.cumulative_revenue_reaches),
    ];
    for (name, x) in money_keys {
        if let Some(x) = x {
            let value = SetValue::Money(v.money(&key(name), x)?);
            out.push(ClauseOverride::Set { clause: clause.to_string(), key: name.to_string(), value });
        }
    }
    if let Some(x) = &raw.fraction {
        let value = SetValue::Rate(v.rate(&key("fraction"), x)?);
        out.push(ClauseOverride::Set { clause: clause.to_string(), key: "fraction".to_string(), value });
    }
    Ok(out)
}
