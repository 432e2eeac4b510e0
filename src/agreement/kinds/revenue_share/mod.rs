//! A revenue share: one party pays the other a percentage of a revenue base between two dates,
//! optionally capped, ended early by a trigger, paid after a lag. Its rate may change by date
//! (a schedule) or by revenue (marginal tiers); how a rate makes a due is `rate.rs`, how a share is
//! compiled and evaluated is `agreement::plan`; how it is read from a file is `read.rs`.

use crate::agreement::clause::{Party, Trigger};
use crate::agreement::describe::{lag_parameter, plain, sourced, trigger, Param, Parameter};
use crate::agreement::file::{FileError, Table, Value};
use crate::agreement::plan::{
    Category, ClauseContext, CompileError, DueSpec, ExactDue, FlowInputs, FlowSpec, PoolRef,
};
use crate::agreement::rate::{RateStep, Tier};

mod check;
mod read;
use super::{agi_words, common, until, ClauseKind, Grant, Kind};
use crate::agreement::{OverrideError, SetValue, Sourced};
use crate::money::{percent, Human};
use check::check_share;
use chrono::NaiveDate;
use read::{read_base, read_cap, read_schedule, read_tiers};
use rust_decimal::Decimal;
use serde::Serialize;

/// Which revenue a share is a percentage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueBase {
    pub stream: RevenueStream,
    pub fraction: Decimal,
}

/// A limit on what a revenue share pays. New limits (annual caps, carry-forward) are new
/// variants here plus how `engine::schedule::ShareSchedule` keeps its room; nothing else changes
/// shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Cap {
    /// A ceiling on the total paid over the clause's whole life.
    Total { amount: Decimal },
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// A `[[cap_pools]]` it draws on with other clauses, instead of a cap of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_pool: Option<String>,
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
}

fn base_text(base: &RevenueBase) -> String {
    let stream = match base.stream {
        RevenueStream::OpenaiRevenue => "OpenAI's revenue",
        RevenueStream::MicrosoftOpenaiProducts => "Microsoft's revenue from OpenAI-based products",
    };
    if base.fraction == Decimal::ONE {
        format!("all of {stream}")
    } else {
        format!("{} of {stream}", percent(base.fraction))
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

fn cap_text(cap: &Option<Sourced<Cap>>, pool: &Option<String>) -> String {
    match (cap, pool) {
        (_, Some(pool)) => format!("drawing on cap pool `{pool}`"),
        (Some(cap), None) => format!("capped at {} in total", Human(cap.value.amount())),
        (None, None) => "uncapped".to_string(),
    }
}

impl Kind for RevenueShare {
    const KIND: &'static str = "revenue-share";
}

impl ClauseKind for RevenueShare {
    fn read(t: &Table) -> Result<Self, FileError> {
        let (payer, payee) = common::parties(t)?;
        // Without a base, the share is of all the payer's revenue (OpenAI's, or Microsoft's from
        // OpenAI-based products).
        let default_base = || Sourced {
            value: RevenueBase {
                stream: if payer == Party::OpenAi {
                    RevenueStream::OpenaiRevenue
                } else {
                    RevenueStream::MicrosoftOpenaiProducts
                },
                fraction: Decimal::ONE,
            },
            basis: crate::agreement::Basis::Assumption,
            source: "this file (no base given: all of the payer's revenue)".to_string(),
        };
        Ok(RevenueShare {
            id: common::id(t)?,
            payer,
            payee,
            rate: t.required("rate")?.sourced(Value::rate)?,
            schedule: t.optional("schedule", |v| v.sourced(read_schedule))?,
            tiers: t.optional("tiers", |v| v.sourced(read_tiers))?,
            base: t.optional("base", |v| v.sourced(read_base))?.unwrap_or_else(default_base),
            start: common::start(t)?,
            end: common::required_end(t)?,
            cap: t.optional("cap", |v| v.sourced(read_cap))?,
            cap_pool: t.optional("cap_pool", Value::string)?,
            stops_on: common::stops_on(t)?,
            payment_lag_days: t.optional("payment_lag_days", |v| v.sourced(Value::integer))?,
        })
    }

    fn references(&self) -> Vec<(&'static str, String)> {
        self.cap_pool.iter().map(|p| ("cap_pool", p.clone())).collect()
    }

    fn cap_pool(&self) -> Option<&str> {
        self.cap_pool.as_deref()
    }

    fn own_cap(&self) -> Option<Decimal> {
        self.cap.as_ref().map(|c| c.value.amount())
    }

    id_and_start!();
    fn end(&self) -> Option<&Sourced<NaiveDate>> {
        Some(&self.end)
    }
    fn set_end(&mut self, end: Sourced<NaiveDate>) {
        self.end = end;
    }
    fn stops_on(&self) -> Option<Trigger> {
        self.stops_on.as_ref().map(|t| t.value)
    }
    fn grant(&self) -> Option<Grant> {
        None
    }
    fn label(&self) -> String {
        format!("revenue share {} → {}", self.payer, self.payee)
    }

    /// A schedule, tiers and a payment lag are listed only where there are some, so flat-rate
    /// agreements describe as before.
    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        let mut out = vec![
            plain(Param::PARTIES, format!("{} pays {}", self.payer, self.payee)),
            sourced(Param::RATE, percent(self.rate.value), &self.rate),
        ];
        if let Some(schedule) = &self.schedule {
            out.push(sourced(Param::RATE_SCHEDULE, schedule_text(&schedule.value), schedule));
        }
        if let Some(tiers) = &self.tiers {
            out.push(sourced(Param::RATE_TIERS, tiers_text(&tiers.value), tiers));
        }
        out.extend([
            sourced(Param::BASE, base_text(&self.base.value), &self.base),
            start,
            sourced(Param::END, self.end.value.to_string(), &self.end),
            match &self.cap {
                Some(cap) => sourced(Param::CAP, cap_text(&self.cap, &self.cap_pool), cap),
                None => plain(Param::CAP, cap_text(&self.cap, &self.cap_pool)),
            },
            trigger(&self.stops_on),
        ]);
        out.extend(lag_parameter(&self.payment_lag_days));
        out
    }

    fn sentence(&self, from: NaiveDate) -> String {
        let rate = match (&self.schedule, &self.tiers) {
            (Some(schedule), _) => {
                format!("{} ({})", percent(self.rate.value), schedule_text(&schedule.value))
            }
            (None, Some(tiers)) => format!("{} ({})", percent(self.rate.value), tiers_text(&tiers.value)),
            (None, None) => percent(self.rate.value),
        };
        format!(
            "{} pays {} {rate} of {}, from {from} {}, {}{}.",
            self.payer,
            self.payee,
            base_text(&self.base.value).trim_start_matches("all of "),
            until(Some(self.end.value)),
            cap_text(&self.cap, &self.cap_pool),
            agi_words(&self.stops_on),
        )
    }

    fn check(&self) -> Result<(), OverrideError> {
        check_share(self)
    }

    fn set(&mut self, key: &str, value: SetValue, source: &str) -> bool {
        match (key, value) {
            ("rate", SetValue::Rate(rate)) => {
                self.rate = Sourced::assumption(rate, source);
                (self.schedule, self.tiers) = (None, None);
            }
            ("cap", SetValue::Money(amount)) => {
                self.cap = Some(Sourced::assumption(Cap::Total { amount }, source));
                self.cap_pool = None;
            }
            ("fraction", SetValue::Rate(fraction)) => {
                let mut base = self.base.value;
                base.fraction = fraction;
                self.base = Sourced::assumption(base, source);
            }
            ("start", SetValue::Date(day)) => self.start = Some(Sourced::assumption(day, source)),
            ("end", SetValue::Date(day)) => self.end = Sourced::assumption(day, source),
            ("payment_lag_days", SetValue::Days(days)) => {
                self.payment_lag_days = Some(Sourced::assumption(days, source))
            }
            _ => return false,
        }
        true
    }

    fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        if let Some(pool) = &mut self.cap_pool {
            rename(pool);
        }
    }

    /// One flow: `round(base × Σ rate × days / n)` of its stream, drawing on its own cap or a pool.
    fn compile(&self, clause: &ClauseContext) -> Result<Vec<FlowSpec>, CompileError> {
        let stream = clause.stream(match self.base.value.stream {
            RevenueStream::OpenaiRevenue => "openai",
            RevenueStream::MicrosoftOpenaiProducts => "microsoft",
        })?;
        let schedule = self.schedule.as_ref().map_or((&[][..], None), |s| (&s.value[..], Some(s.basis)));
        let mut rule = ExactDue::new(
            clause.force,
            clause.run.periods,
            self.base.value.fraction,
            (self.rate.value, self.rate.basis),
            schedule,
            self.tiers.as_ref().map(|t| &t.value[..]),
        )?;
        rule.takes_drawn_rate = self.openai_pays_microsoft();
        let pool = match (&self.cap_pool, &self.cap) {
            (Some(name), _) => PoolRef::Named(name.clone()),
            (None, Some(cap)) => PoolRef::Own(cap.value.amount()),
            (None, None) => PoolRef::None,
        };
        Ok(vec![FlowSpec {
            payer: self.payer,
            payee: self.payee,
            category: Category::Share,
            pool,
            due: DueSpec::Revenue { stream, rule },
            lag_days: self.payment_lag_days.as_ref().map_or(0, |l| l.value),
            inputs: FlowInputs {
                rate: Some("rate"),
                fraction: Some("base_fraction"),
                ..FlowInputs::default()
            },
        }])
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        use Param as P;
        match name {
            P::PARTIES => (self.payer, self.payee) = (from.payer, from.payee),
            P::RATE => self.rate = from.rate.clone(),
            P::RATE_SCHEDULE => self.schedule = from.schedule.clone(),
            P::RATE_TIERS => self.tiers = from.tiers.clone(),
            P::BASE => self.base = from.base.clone(),
            P::START => self.start = from.start.clone(),
            P::END => self.end = from.end.clone(),
            P::CAP => (self.cap, self.cap_pool) = (from.cap.clone(), from.cap_pool.clone()),
            P::AGI_TRIGGER => self.stops_on = from.stops_on.clone(),
            P::PAYMENT_LAG => self.payment_lag_days = from.payment_lag_days.clone(),
            // Parameters of other kinds.
            _ => {}
        }
    }
}
