//! Clauses in plain words: each parameter as readable text with its provenance, and one sentence
//! per clause. Used by `dealsim terms` and, through `Parameter` values, by `diff`.

use super::clause::*;
use super::{Agreement, Basis, Sourced};
use crate::money::{percent, Human};
use chrono::NaiveDate;

/// The parameters clauses have, by name: what `diff` compares and attribution copies, so a new
/// parameter is a new variant that every `match` on it must handle (no string to mistype).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    EffectiveDate,
    Parties,
    Rate,
    RateSchedule,
    RateTiers,
    Base,
    Start,
    End,
    Cap,
    AgiTrigger,
    PaymentLag,
    Scope,
    Exclusivity,
    Clouds,
    FirstOn,
    Exception,
}

impl Param {
    pub fn label(self) -> &'static str {
        match self {
            Param::EffectiveDate => "effective date",
            Param::Parties => "parties",
            Param::Rate => "rate",
            Param::RateSchedule => "rate schedule",
            Param::RateTiers => "rate tiers",
            Param::Base => "base",
            Param::Start => "start",
            Param::End => "end",
            Param::Cap => "cap",
            Param::AgiTrigger => "AGI trigger",
            Param::PaymentLag => "payment lag",
            Param::Scope => "scope",
            Param::Exclusivity => "exclusivity",
            Param::Clouds => "clouds",
            Param::FirstOn => "first on",
            Param::Exception => "exception",
        }
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One parameter of a clause, as text, with where it comes from (`None` for structural facts
/// such as who pays whom, which have no separate source). `value` is `None` where the clause
/// has no such term (no end date, no AGI trigger).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: Param,
    pub value: Option<String>,
    pub basis: Option<Basis>,
    pub source: Option<String>,
}

impl Parameter {
    /// The value for a reader: the text, or "none".
    pub fn shown(&self) -> &str {
        self.value.as_deref().unwrap_or("none")
    }
}

fn sourced<T>(name: Param, value: String, from: &Sourced<T>) -> Parameter {
    Parameter { name, value: Some(value), basis: Some(from.basis), source: Some(from.source.clone()) }
}

fn plain(name: Param, value: String) -> Parameter {
    Parameter { name, value: Some(value), basis: None, source: None }
}

fn absent(name: Param) -> Parameter {
    Parameter { name, value: None, basis: None, source: None }
}

fn start(agreement: &Agreement, start: &Option<Sourced<NaiveDate>>) -> Parameter {
    match start {
        Some(s) => sourced(Param::Start, s.value.to_string(), s),
        // Relative, so a diff of two agreements with different effective dates reports that once.
        None => sourced(Param::Start, "the effective date".to_string(), &agreement.effective),
    }
}

fn end(end: &Option<Sourced<NaiveDate>>) -> Parameter {
    match end {
        Some(e) => sourced(Param::End, e.value.to_string(), e),
        None => absent(Param::End),
    }
}

fn trigger(stops_on: &Option<Sourced<Trigger>>) -> Parameter {
    match stops_on {
        Some(t) => sourced(Param::AgiTrigger, "ends it when AGI is declared".to_string(), t),
        None => absent(Param::AgiTrigger),
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

/// Rate tiers in words: "10% above 100B a year, 5% above 200B a year".
fn tiers_text(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|t| format!("{} above {} a year", percent(t.rate), Human(t.above)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rate schedule in words: "15% from 2028-01-01, 8% from 2030-01-01".
fn schedule_text(steps: &[RateStep]) -> String {
    steps.iter().map(|s| format!("{} from {}", percent(s.rate), s.from)).collect::<Vec<_>>().join(", ")
}

/// A revenue share's parameters; a schedule, tiers and a payment lag only where there are some.
fn share_parameters(agreement: &Agreement, s: &RevenueShare) -> Vec<Parameter> {
    let mut out = vec![
        plain(Param::Parties, format!("{} pays {}", s.payer, s.payee)),
        sourced(Param::Rate, percent(s.rate.value), &s.rate),
    ];
    // Listed only where there is one, so flat-rate agreements describe as before.
    if let Some(schedule) = &s.schedule {
        out.push(sourced(Param::RateSchedule, schedule_text(&schedule.value), schedule));
    }
    if let Some(tiers) = &s.tiers {
        out.push(sourced(Param::RateTiers, tiers_text(&tiers.value), tiers));
    }
    out.extend([
        sourced(Param::Base, base_text(&s.base.value), &s.base),
        start(agreement, &s.start),
        sourced(Param::End, s.end.value.to_string(), &s.end),
        match &s.cap {
            Some(cap) => {
                sourced(Param::Cap, format!("capped at {} in total", Human(cap.value.amount())), cap)
            }
            None => plain(Param::Cap, "uncapped".to_string()),
        },
        trigger(&s.stops_on),
    ]);
    if let Some(lag) = &s.payment_lag_days {
        out.push(sourced(Param::PaymentLag, format!("paid {} days after each period ends", lag.value), lag));
    }
    out
}

/// Every parameter of a clause, in a fixed order per kind.
pub fn parameters(agreement: &Agreement, clause: &Clause) -> Vec<Parameter> {
    match clause {
        Clause::RevenueShare(s) => share_parameters(agreement, s),
        Clause::Licence(l) => vec![
            plain(Param::Parties, format!("{} licenses {}", l.licensor, l.licensee)),
            sourced(
                Param::Scope,
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
                Param::Exclusivity,
                if l.exclusive.value { "exclusive" } else { "non-exclusive" }.to_string(),
                &l.exclusive,
            ),
            start(agreement, &l.start),
            end(&l.end),
            trigger(&l.stops_on),
        ],
        Clause::Distribution(d) => vec![
            sourced(
                Param::Clouds,
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
            plain(Param::FirstOn, "Azure".to_string()),
            sourced(
                Param::Exception,
                format!("unless Microsoft {} to support", p.exception.value),
                &p.exception,
            ),
            start(agreement, &p.start),
            sourced(Param::End, p.end.value.to_string(), &p.end),
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
            match (&s.schedule, &s.tiers) {
                (Some(schedule), _) =>
                    format!("{} ({})", percent(s.rate.value), schedule_text(&schedule.value)),
                (None, Some(tiers)) => format!("{} ({})", percent(s.rate.value), tiers_text(&tiers.value)),
                (None, None) => percent(s.rate.value),
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
                .find(|p| p.name == Param::Scope)
                .and_then(|p| p.value.clone())
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
