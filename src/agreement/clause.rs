//! The kinds of clause an agreement can hold. Each is data; the small pure functions here answer
//! questions about the clause alone (its dates, its rate applied to a base), never about a
//! scenario's state.

pub use super::rate::{due_on, marginal_rate, rate_days, tiered_due, RateStep, Tier};
use super::Sourced;
use crate::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    Microsoft,
    #[serde(rename = "openai")]
    OpenAi,
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Party::Microsoft => "Microsoft",
            Party::OpenAi => "OpenAI",
        })
    }
}

/// An event that ends a clause early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// AGI is declared (by OpenAI's board, or verified by an expert panel, depending on the
    /// version). The clause is in force up to the day before the scenario's `agi_declared` date.
    AgiDeclared,
}

/// Which revenue a share is a percentage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevenueStream {
    /// OpenAI's revenue (the scenario's `[revenue.openai]`).
    OpenaiRevenue,
    /// Microsoft's revenue from OpenAI-based products, e.g. Azure OpenAI and Bing (the
    /// scenario's `[revenue.microsoft]`).
    MicrosoftOpenaiProducts,
}

/// The base of a revenue share: a stream, and the fraction of it the rate applies to. The
/// fraction is an open question for the flagship deal (docs/SOURCES.md Q4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueBase {
    pub stream: RevenueStream,
    #[serde(deserialize_with = "super::FileValue::read")]
    pub fraction: Decimal,
}

/// A limit on what a revenue share pays. New limits (annual caps, carry-forward) are new
/// variants here plus how `engine::schedule::ShareSchedule` keeps its room; nothing else changes
/// shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Cap {
    /// A ceiling on the total paid over the clause's whole life.
    Total {
        #[serde(deserialize_with = "super::FileValue::read")]
        amount: Decimal,
    },
}

impl Cap {
    pub fn amount(&self) -> Decimal {
        match self {
            Cap::Total { amount } => *amount,
        }
    }
}

/// One party pays the other a percentage of a revenue base between two dates, optionally
/// capped and optionally ended early by a trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueShare {
    pub id: String,
    pub payer: Party,
    pub payee: Party,
    pub rate: Sourced<Decimal>,
    /// A rate that changes by date: from each step's day on, its rate (until the next step);
    /// `rate` before the first step. `None` is a flat rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Sourced<Vec<RateStep>>>,
    /// Marginal brackets on the year's base: the part above each tier's threshold (and below the
    /// next) pays that tier's rate; `rate` below the first. `None`: one rate for all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Sourced<Vec<Tier>>>,
    pub base: Sourced<RevenueBase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Sourced<NaiveDate>>,
    pub end: Sourced<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Sourced<Cap>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stops_on: Option<Sourced<Trigger>>,
    /// Days after a period's end that its share is paid in cash (`None`: at the period's end).
    /// The cap counts what accrues; cash only moves the payment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_lag_days: Option<Sourced<i64>>,
}

impl RevenueShare {
    /// OpenAI pays Microsoft: the share the cap, `share_rate` and the ledger's `share_*` are about.
    pub fn openai_pays_microsoft(&self) -> bool {
        self.payer == Party::OpenAi && self.payee == Party::Microsoft
    }

    /// The day the share accrued in `period` is paid: `payment_lag_days` after the period's end.
    pub fn paid_on(&self, period: &Period) -> NaiveDate {
        let lag = self.payment_lag_days.as_ref().map_or(0, |l| l.value);
        period.end + chrono::Duration::days(lag)
    }

    /// The rate in force on `day`: the last step on or before it, else `rate`.
    pub fn rate_on(&self, day: NaiveDate) -> Decimal {
        let steps = self.schedule.as_ref().map_or(&[][..], |s| s.value.as_slice());
        steps.iter().rev().find(|step| step.from <= day).map_or(self.rate.value, |step| step.rate)
    }

    /// Where the rate in force on `day` comes from: the schedule's basis once a step applies.
    pub fn basis_on(&self, day: NaiveDate) -> super::Basis {
        match &self.schedule {
            Some(s) if s.value.iter().any(|step| step.from <= day) => s.basis,
            _ => self.rate.basis,
        }
    }

    /// The days of `period` this share is in force (`first..=last`), split where its rate
    /// changes: `(rate, days)` in date order, days > 0. One segment for a flat rate.
    pub fn segments(
        &self,
        first: NaiveDate,
        last: Option<NaiveDate>,
        period: &Period,
    ) -> Vec<(Decimal, i64)> {
        let (from, to) = (first.max(period.start), last.map_or(period.end, |l| l.min(period.end)));
        if to < from {
            return Vec::new();
        }
        let steps = self.schedule.as_ref().map_or(&[][..], |s| s.value.as_slice());
        let mut cuts: Vec<NaiveDate> =
            steps.iter().map(|s| s.from).filter(|d| *d > from && *d <= to).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut out = Vec::with_capacity(cuts.len() + 1);
        let mut start = from;
        for cut in cuts.into_iter().chain(to.succ_opt()) {
            let days = (cut - start).num_days();
            if days > 0 {
                out.push((self.rate_on(start), days));
            }
            start = cut;
        }
        out
    }

    /// What the share yields on `base_amount` over `segments` of a `period_days`-day period,
    /// before any cap: `round(base × Σ rate × days / period_days)`. Multiplies first and divides
    /// last so the only rounding is the final one (to the cent). `None` on overflow. The one
    /// place a share's due is computed: the engine and Monte Carlo both come here (or to its
    /// integer-cents twin, which a property test holds equal).
    pub fn due(
        &self,
        base_amount: Decimal,
        segments: &[(Decimal, i64)],
        period_days: i64,
        year_days: i64,
    ) -> Option<Decimal> {
        match &self.tiers {
            Some(tiers) => {
                let days: i64 = segments.iter().map(|(_, d)| d).sum();
                tiered_due(base_amount, self.rate.value, &tiers.value, days, period_days, year_days)
            }
            None => due_on(base_amount, rate_days(segments)?, period_days),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpScope {
    Models,
    Products,
    ResearchIp,
}

/// A licence to use the licensor's IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub id: String,
    pub licensee: Party,
    pub licensor: Party,
    pub scope: Sourced<Vec<IpScope>>,
    pub exclusive: Sourced<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Sourced<NaiveDate>>,
    /// Last day in force; `None` runs until a trigger ends it (the original deal's "until AGI").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Sourced<NaiveDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stops_on: Option<Sourced<Trigger>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clouds {
    AzureOnly,
    AnyCloud,
}

impl fmt::Display for Clouds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Clouds::AzureOnly => "azure-only",
            Clouds::AnyCloud => "any-cloud",
        })
    }
}

/// Which clouds may serve the licensor's products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    pub id: String,
    pub licensor: Party,
    pub clouds: Sourced<Clouds>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Sourced<NaiveDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Sourced<NaiveDate>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    Azure,
}

/// The two readings of the Azure-first exception, as the sources disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExceptionReading {
    /// "unless Microsoft cannot **and** chooses not to support" ([S2]): the product may
    /// launch elsewhere first only when both hold.
    And,
    /// "unless Microsoft cannot **or** chooses not to support" ([S3]): either suffices.
    Or,
}

impl ExceptionReading {
    /// Whether a product is released from shipping first on the priority cloud.
    pub fn releases(self, cloud_cannot_support: bool, chooses_not_to: bool) -> bool {
        match self {
            ExceptionReading::And => cloud_cannot_support && chooses_not_to,
            ExceptionReading::Or => cloud_cannot_support || chooses_not_to,
        }
    }
}

impl fmt::Display for ExceptionReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExceptionReading::And => "cannot and chooses not",
            ExceptionReading::Or => "cannot or chooses not",
        })
    }
}

/// Products ship first on one cloud unless the exception releases them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippingPriority {
    pub id: String,
    pub licensor: Party,
    pub first_on: Cloud,
    pub exception: Sourced<ExceptionReading>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Sourced<NaiveDate>>,
    pub end: Sourced<NaiveDate>,
}

/// A term of an agreement. Adding a kind: a struct above, a variant here, an arm in
/// `engine::period_rights` or `engine::share_flows`, and its property tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
// An agreement holds a handful of clauses, so the size of the largest variant does not matter,
// and boxing it would complicate every match on a clause.
#[allow(clippy::large_enum_variant)]
pub enum Clause {
    RevenueShare(RevenueShare),
    Licence(Licence),
    Distribution(Distribution),
    ShippingPriority(ShippingPriority),
}

impl Clause {
    pub fn id(&self) -> &str {
        match self {
            Clause::RevenueShare(c) => &c.id,
            Clause::Licence(c) => &c.id,
            Clause::Distribution(c) => &c.id,
            Clause::ShippingPriority(c) => &c.id,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Clause::RevenueShare(_) => "revenue-share",
            Clause::Licence(_) => "licence",
            Clause::Distribution(_) => "distribution",
            Clause::ShippingPriority(_) => "shipping-priority",
        }
    }

    pub fn start(&self) -> Option<&Sourced<NaiveDate>> {
        match self {
            Clause::RevenueShare(c) => c.start.as_ref(),
            Clause::Licence(c) => c.start.as_ref(),
            Clause::Distribution(c) => c.start.as_ref(),
            Clause::ShippingPriority(c) => c.start.as_ref(),
        }
    }

    /// The last day in force (inclusive); `None` is open-ended.
    pub fn end(&self) -> Option<NaiveDate> {
        match self {
            Clause::RevenueShare(c) => Some(c.end.value),
            Clause::Licence(c) => c.end.as_ref().map(|e| e.value),
            Clause::Distribution(c) => c.end.as_ref().map(|e| e.value),
            Clause::ShippingPriority(c) => Some(c.end.value),
        }
    }

    pub fn stops_on(&self) -> Option<Trigger> {
        match self {
            Clause::RevenueShare(c) => c.stops_on.as_ref().map(|t| t.value),
            Clause::Licence(c) => c.stops_on.as_ref().map(|t| t.value),
            Clause::Distribution(_) | Clause::ShippingPriority(_) => None,
        }
    }
}

/// Setters used where a clause is re-dated (overrides, timelines).
impl Clause {
    pub(super) fn set_id(&mut self, id: String) {
        match self {
            Clause::RevenueShare(c) => c.id = id,
            Clause::Licence(c) => c.id = id,
            Clause::Distribution(c) => c.id = id,
            Clause::ShippingPriority(c) => c.id = id,
        }
    }

    pub(super) fn set_start(&mut self, start: Option<Sourced<NaiveDate>>) {
        match self {
            Clause::RevenueShare(c) => c.start = start,
            Clause::Licence(c) => c.start = start,
            Clause::Distribution(c) => c.start = start,
            Clause::ShippingPriority(c) => c.start = start,
        }
    }

    pub(super) fn set_end(&mut self, end: Sourced<NaiveDate>) {
        match self {
            Clause::RevenueShare(c) => c.end = end,
            Clause::Licence(c) => c.end = Some(end),
            Clause::Distribution(c) => c.end = Some(end),
            Clause::ShippingPriority(c) => c.end = end,
        }
    }

    /// The end date with its provenance, when the clause has one.
    pub fn end_sourced(&self) -> Option<Sourced<NaiveDate>> {
        match self {
            Clause::RevenueShare(c) => Some(c.end.clone()),
            Clause::Licence(c) => c.end.clone(),
            Clause::Distribution(c) => c.end.clone(),
            Clause::ShippingPriority(c) => Some(c.end.clone()),
        }
    }
}
