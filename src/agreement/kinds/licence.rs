//! A licence to the licensor's IP (models, products, research IP), exclusive or not, to an end
//! date or until a trigger (the original deal's "until AGI").

use super::super::clause::{Party, Trigger};
use super::super::describe::{end_parameter, plain, sourced, trigger, Param, Parameter};
use super::{agi_words, until, ClauseKind, Grant};
use crate::agreement::Sourced;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

impl ClauseKind for Licence {
    const KIND: &'static str = "licence";

    id_and_start!();
    fn end(&self) -> Option<&Sourced<NaiveDate>> {
        self.end.as_ref()
    }
    fn set_end(&mut self, end: Sourced<NaiveDate>) {
        self.end = Some(end);
    }
    fn stops_on(&self) -> Option<Trigger> {
        self.stops_on.as_ref().map(|t| t.value)
    }
    fn grant(&self) -> Option<Grant> {
        Some(Grant::Licence { exclusive: self.exclusive.value })
    }
    fn label(&self) -> String {
        if self.scope.value == [IpScope::ResearchIp] { "research IP licence" } else { "IP licence" }
            .to_string()
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        vec![
            plain(Param::Parties, format!("{} licenses {}", self.licensor, self.licensee)),
            sourced(Param::Scope, self.scope_text(), &self.scope),
            sourced(
                Param::Exclusivity,
                if self.exclusive.value { "exclusive" } else { "non-exclusive" }.to_string(),
                &self.exclusive,
            ),
            start,
            end_parameter(&self.end),
            trigger(&self.stops_on),
        ]
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{} holds {} licence to {}'s {}, from {from} {}{}.",
            self.licensee,
            if self.exclusive.value { "an exclusive" } else { "a non-exclusive" },
            self.licensor,
            self.scope_text(),
            until(self.end.as_ref().map(|e| e.value)),
            agi_words(&self.stops_on),
        )
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        use Param as P;
        match name {
            P::Parties => (self.licensee, self.licensor) = (from.licensee, from.licensor),
            P::Scope => self.scope = from.scope.clone(),
            P::Exclusivity => self.exclusive = from.exclusive.clone(),
            P::Start => self.start = from.start.clone(),
            P::End => self.end = from.end.clone(),
            P::AgiTrigger => self.stops_on = from.stops_on.clone(),
            P::EffectiveDate
            | P::Rate
            | P::RateSchedule
            | P::RateTiers
            | P::Base
            | P::Cap
            | P::PaymentLag
            | P::Clouds
            | P::FirstOn
            | P::Exception => {}
        }
    }
}

impl Licence {
    /// "models, products".
    fn scope_text(&self) -> String {
        self.scope
            .value
            .iter()
            .map(|s| match s {
                IpScope::Models => "models",
                IpScope::Products => "products",
                IpScope::ResearchIp => "research IP",
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}
