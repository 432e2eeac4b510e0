//! Clauses in plain words: each parameter as readable text with its provenance, and one sentence
//! per clause. Used by `dealsim terms` and, through `Parameter` values, by `diff`.

use super::clause::*;
use super::{Agreement, Basis, Sourced};
use crate::money::{percent, Human};
use chrono::NaiveDate;

/// One parameter of a clause, as text, with where it comes from (`None` for structural facts
/// such as who pays whom, which have no separate source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: &'static str,
    pub value: String,
    pub basis: Option<Basis>,
    pub source: Option<String>,
}

fn sourced<T>(name: &'static str, value: String, from: &Sourced<T>) -> Parameter {
    Parameter { name, value, basis: Some(from.basis), source: Some(from.source.clone()) }
}

fn plain(name: &'static str, value: String) -> Parameter {
    Parameter { name, value, basis: None, source: None }
}

fn start(agreement: &Agreement, start: &Option<Sourced<NaiveDate>>) -> Parameter {
    match start {
        Some(s) => sourced("start", s.value.to_string(), s),
        // Relative, so a diff of two agreements with different effective dates reports that once.
        None => sourced("start", "the effective date".to_string(), &agreement.effective),
    }
}

fn end(end: &Option<Sourced<NaiveDate>>) -> Parameter {
    match end {
        Some(e) => sourced("end", e.value.to_string(), e),
        None => plain("end", "none".to_string()),
    }
}

fn trigger(stops_on: &Option<Sourced<Trigger>>) -> Parameter {
    match stops_on {
        Some(t) => sourced("AGI trigger", "ends it when AGI is declared".to_string(), t),
        None => plain("AGI trigger", "none".to_string()),
    }
}

fn base_text(base: &RevenueBase) -> String {
    let stream = match base.stream {
        RevenueStream::OpenaiRevenue => "OpenAI's revenue",
        RevenueStream::MicrosoftOpenaiProducts => "Microsoft's revenue from OpenAI-based products",
    };
    if base.fraction == rust_decimal::Decimal::ONE {
        format!("all of {stream}")
    } else {
        format!("{} of {stream}", percent(base.fraction))
    }
}

/// What kind of term a clause is, for people: "revenue share OpenAI → Microsoft".
pub fn label(clause: &Clause) -> String {
    match clause {
        Clause::RevenueShare(s) => format!("revenue share {} → {}", s.payer, s.payee),
        Clause::Licence(l) if l.scope.value == [IpScope::ResearchIp] => "research IP licence".to_string(),
        Clause::Licence(_) => "IP licence".to_string(),
        Clause::Distribution(_) => "distribution".to_string(),
        Clause::ShippingPriority(_) => "Azure-first".to_string(),
    }
}

/// A rate schedule in words: "15% from 2028-01-01, 8% from 2030-01-01".
fn schedule_text(steps: &[RateStep]) -> String {
    steps.iter().map(|s| format!("{} from {}", percent(s.rate), s.from)).collect::<Vec<_>>().join(", ")
}

/// Every parameter of a clause, in a fixed order per kind.
pub fn parameters(agreement: &Agreement, clause: &Clause) -> Vec<Parameter> {
    match clause {
        Clause::RevenueShare(s) => {
            let mut out = vec![
                plain("parties", format!("{} pays {}", s.payer, s.payee)),
                sourced("rate", percent(s.rate.value), &s.rate),
            ];
            // Listed only where there is one, so flat-rate agreements describe as before.
            if let Some(schedule) = &s.schedule {
                out.push(sourced("rate schedule", schedule_text(&schedule.value), schedule));
            }
            out.extend([
                sourced("base", base_text(&s.base.value), &s.base),
                start(agreement, &s.start),
                sourced("end", s.end.value.to_string(), &s.end),
                match &s.cap {
                    Some(cap) => {
                        sourced("cap", format!("capped at {} in total", Human(cap.value.amount())), cap)
                    }
                    None => plain("cap", "uncapped".to_string()),
                },
                trigger(&s.stops_on),
            ]);
            if let Some(lag) = &s.payment_lag_days {
                out.push(sourced(
                    "payment lag",
                    format!("paid {} days after each period ends", lag.value),
                    lag,
                ));
            }
            out
        }
        Clause::Licence(l) => vec![
            plain("parties", format!("{} licenses {}", l.licensor, l.licensee)),
            sourced(
                "scope",
                l.scope
                    .value
                    .iter()
                    .map(|s| match s {
                        IpScope::Models => "models",
                        IpScope::Products => "products",
                        IpScope::ResearchIp => "research IP",
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                &l.scope,
            ),
            sourced(
                "exclusivity",
                if l.exclusive.value { "exclusive" } else { "non-exclusive" }.to_string(),
                &l.exclusive,
            ),
            start(agreement, &l.start),
            end(&l.end),
            trigger(&l.stops_on),
        ],
        Clause::Distribution(d) => vec![
            sourced(
                "clouds",
                match d.clouds.value {
                    Clouds::AzureOnly => "Azure only".to_string(),
                    Clouds::AnyCloud => "any cloud".to_string(),
                },
                &d.clouds,
            ),
            start(agreement, &d.start),
            end(&d.end),
        ],
        Clause::ShippingPriority(p) => vec![
            plain("first on", "Azure".to_string()),
            sourced("exception", format!("unless Microsoft {} to support", p.exception.value), &p.exception),
            start(agreement, &p.start),
            sourced("end", p.end.value.to_string(), &p.end),
        ],
    }
}

/// The clause as one sentence.
pub fn sentence(agreement: &Agreement, clause: &Clause) -> String {
    let from = agreement.start_of(clause);
    let until = |end: Option<NaiveDate>| end.map_or("with no end date".to_string(), |e| format!("to {e}"));
    let agi = |t: &Option<Sourced<Trigger>>| if t.is_some() { "; ends early if AGI is declared" } else { "" };
    match clause {
        Clause::RevenueShare(s) => format!(
            "{} pays {} {} of {}, from {from} {}, {}{}.",
            s.payer,
            s.payee,
            match &s.schedule {
                Some(schedule) => format!("{} ({})", percent(s.rate.value), schedule_text(&schedule.value)),
                None => percent(s.rate.value),
            },
            base_text(&s.base.value).trim_start_matches("all of "),
            until(Some(s.end.value)),
            match &s.cap {
                Some(cap) => format!("capped at {} in total", Human(cap.value.amount())),
                None => "uncapped".to_string(),
            },
            agi(&s.stops_on),
        ),
        Clause::Licence(l) => format!(
            "{} holds {} licence to {}'s {}, from {from} {}{}.",
            l.licensee,
            if l.exclusive.value { "an exclusive" } else { "a non-exclusive" },
            l.licensor,
            parameters(agreement, clause)
                .iter()
                .find(|p| p.name == "scope")
                .map(|p| p.value.clone())
                .unwrap_or_default(),
            until(clause.end()),
            agi(&l.stops_on),
        ),
        Clause::Distribution(d) => format!(
            "{} may serve its products {}, from {from} {}.",
            d.licensor,
            match d.clouds.value {
                Clouds::AzureOnly => "on Azure only",
                Clouds::AnyCloud => "on any cloud",
            },
            until(clause.end()),
        ),
        Clause::ShippingPriority(p) => format!(
            "{}'s products ship first on Azure unless Microsoft {} to support them, from {from} {}.",
            p.licensor,
            p.exception.value,
            until(clause.end()),
        ),
    }
}
