//! A validated scenario written back as a scenario file: every year's revenue listed exactly,
//! every assumption stated, money as exact strings and dates as bare TOML dates. Parsing the
//! result gives a scenario that simulates identically (a property test checks this).

use super::{AgreementRef, Scenario};
use crate::agreement::{ClauseOverride, Clouds, ExceptionReading};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use toml::{Table, Value};

fn exact(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

/// Money, exact: amounts under $1M carry a `$` so reading them back does not take them for a
/// missing unit (`cap = "38"` is refused as a likely slip for 38B; `"$38"` is $38).
fn money(d: Decimal) -> Value {
    let text = d.normalize().to_string();
    if !d.is_zero() && d < crate::money::UNITLESS_FLOOR {
        Value::String(format!("${text}"))
    } else {
        Value::String(text)
    }
}

fn date(d: NaiveDate) -> Value {
    let text = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    text.parse::<toml::value::Datetime>().map(Value::Datetime).unwrap_or(Value::String(text))
}

/// Amounts per calendar year (quarters add up to their year, as they were split from it).
fn by_year(periods: &[crate::period::Period], amounts: &[Decimal]) -> Table {
    let mut totals: std::collections::BTreeMap<i32, Decimal> = std::collections::BTreeMap::new();
    for (p, a) in periods.iter().zip(amounts) {
        *totals.entry(p.year).or_default() += *a;
    }
    let mut years = Table::new();
    for (year, total) in totals {
        years.insert(year.to_string(), money(total));
    }
    let mut path = Table::new();
    path.insert("by_year".into(), Value::Table(years));
    path
}

impl Scenario {
    /// The scenario as TOML text.
    pub fn to_toml(&self) -> String {
        let mut root = Table::new();
        root.insert("name".into(), Value::String(self.name.clone()));
        if !self.description.is_empty() {
            root.insert("description".into(), Value::String(self.description.clone()));
        }
        root.insert(
            "agreement".into(),
            Value::String(match &self.agreement {
                AgreementRef::Builtin(name) => name.clone(),
                AgreementRef::File(path) => path.display().to_string(),
            }),
        );
        let mut years = Table::new();
        if let (Some(first), Some(last)) = (self.periods.first(), self.periods.last()) {
            years.insert("from".into(), Value::Integer(first.year.into()));
            years.insert("to".into(), Value::Integer(last.year.into()));
        }
        root.insert("years".into(), Value::Table(years));
        if self.granularity == super::Granularity::Quarters {
            root.insert("periods".into(), Value::String("quarters".into()));
        }
        let mut revenue = Table::new();
        revenue.insert("openai".into(), Value::Table(by_year(&self.periods, &self.openai_revenue)));
        revenue.insert("microsoft".into(), Value::Table(by_year(&self.periods, &self.microsoft_revenue)));
        for (name, amounts) in &self.other_streams {
            revenue.insert(name.clone(), Value::Table(by_year(&self.periods, amounts)));
        }
        root.insert("revenue".into(), Value::Table(revenue));

        root.insert("assumptions".into(), Value::Table(self.assumptions_table()));
        let overrides = overrides_table(&self.terms.clause_overrides);
        if !overrides.is_empty() {
            root.insert("overrides".into(), Value::Table(overrides));
        }
        toml::to_string(&root).unwrap_or_default()
    }
}

impl Scenario {
    /// `[assumptions]`: every term assumption the scenario sets, and its discounting.
    fn assumptions_table(&self) -> Table {
        let t = &self.terms;
        let mut a = Table::new();
        if let Some(cap) = t.cap {
            a.insert("cap".into(), money(cap));
        }
        if let Some(d) = t.effective_date {
            a.insert("effective_date".into(), date(d));
        }
        if let Some(d) = t.cap_counts_from {
            a.insert("cap_counts_from".into(), date(d));
        }
        a.insert("prior_payments_toward_cap".into(), money(self.prior_payments_toward_cap));
        if let Some(r) = t.share_rate {
            a.insert("share_rate".into(), exact(r));
        }
        if let Some(b) = t.share_base {
            a.insert("share_base".into(), exact(b));
        }
        if let Some(reading) = t.azure_first_exception {
            a.insert("azure_first_exception".into(), Value::String(reading_text(reading).into()));
        }
        if let Some(d) = self.agi_declared {
            a.insert("agi_declared".into(), date(d));
        }
        if !self.agi_outcomes.is_empty() {
            let mut outcomes = Table::new();
            outcomes.insert("dist".into(), Value::String("dates".into()));
            for o in &self.agi_outcomes {
                let key = o.date.map_or("never".to_string(), |d| d.to_string());
                outcomes.insert(key, exact(o.probability));
            }
            a.insert("agi_declared".into(), Value::Table(outcomes));
        }
        a.insert("discount_rate".into(), exact(self.discounting.rate));
        a.insert("discounting".into(), Value::String(self.discounting.convention.to_string()));
        a
    }
}

/// `[overrides."clause-id"]`: each clause's overridden parameters.
fn overrides_table(overrides_in: &[ClauseOverride]) -> Table {
    let mut overrides = Table::new();
    for o in overrides_in {
        let entry = overrides.entry(o.clause().to_string()).or_insert_with(|| Value::Table(Table::new()));
        let Value::Table(params) = entry else { continue };
        let value = match o {
            ClauseOverride::Rate { rate, .. } => exact(*rate),
            ClauseOverride::PaymentLag { days, .. } => Value::Integer(*days),
            ClauseOverride::Tiers { tiers, .. } => {
                Value::Table(tiers.iter().map(|t| (t.above.normalize().to_string(), exact(t.rate))).collect())
            }
            ClauseOverride::Schedule { steps, .. } => {
                Value::Table(steps.iter().map(|step| (step.from.to_string(), exact(step.rate))).collect())
            }
            ClauseOverride::Cap { amount, .. } => money(*amount),
            ClauseOverride::BaseFraction { fraction, .. } => exact(*fraction),
            ClauseOverride::Start { date: d, .. } | ClauseOverride::End { date: d, .. } => date(*d),
            ClauseOverride::Exclusive { exclusive, .. } => Value::Boolean(*exclusive),
            ClauseOverride::Clouds { clouds, .. } => Value::String(
                match clouds {
                    Clouds::AzureOnly => "azure-only",
                    Clouds::AnyCloud => "any-cloud",
                }
                .into(),
            ),
            ClauseOverride::Exception { reading, .. } => Value::String(reading_text(*reading).into()),
            ClauseOverride::Set { value, .. } => match value {
                crate::agreement::SetValue::Money(amount) => money(*amount),
                crate::agreement::SetValue::Rate(rate) => exact(*rate),
                crate::agreement::SetValue::Date(day) => date(*day),
                crate::agreement::SetValue::Days(days) => Value::Integer(*days),
            },
        };
        // A later override of the same parameter wins, as when applying them in order.
        params.insert(o.parameter().to_string(), value);
    }
    overrides
}

fn reading_text(reading: ExceptionReading) -> &'static str {
    match reading {
        ExceptionReading::And => "and",
        ExceptionReading::Or => "or",
    }
}
