//! A licence to the licensor's IP (models, products, research IP), exclusive or not, to an end
//! date or until a trigger (the original deal's "until AGI").

use super::super::clause::{Party, Trigger};
use super::super::describe::{end_parameter, plain, sourced, trigger, Param, Parameter};
use super::super::file::{FileError, Table, Value};
use super::{agi_words, common, until, ClauseKind, Grant, Kind};
use crate::agreement::Sourced;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpScope {
    Models,
    Products,
    ResearchIp,
}

/// A licence to use the licensor's IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl Kind for Licence {
    const KIND: &'static str = "licence";
}

impl ClauseKind for Licence {
    fn read(t: &Table) -> Result<Self, FileError> {
        let scope = |v: &Value| -> Result<Vec<IpScope>, FileError> {
            v.array()?
                .iter()
                .map(|s| {
                    s.choice(&[
                        ("models", IpScope::Models),
                        ("products", IpScope::Products),
                        ("research-ip", IpScope::ResearchIp),
                    ])
                })
                .collect()
        };
        Ok(Licence {
            id: common::id(t)?,
            licensee: common::party(&t.required("licensee")?)?,
            licensor: common::party(&t.required("licensor")?)?,
            scope: t.required("scope")?.sourced(scope)?,
            exclusive: t.required("exclusive")?.sourced(Value::boolean)?,
            start: common::start(t)?,
            end: common::end(t)?,
            stops_on: common::stops_on(t)?,
        })
    }

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
            plain(Param::PARTIES, format!("{} licenses {}", self.licensor, self.licensee)),
            sourced(Param::SCOPE, self.scope_text(), &self.scope),
            sourced(
                Param::EXCLUSIVITY,
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
            P::PARTIES => (self.licensee, self.licensor) = (from.licensee, from.licensor),
            P::SCOPE => self.scope = from.scope.clone(),
            P::EXCLUSIVITY => self.exclusive = from.exclusive.clone(),
            P::START => self.start = from.start.clone(),
            P::END => self.end = from.end.clone(),
            P::AGI_TRIGGER => self.stops_on = from.stops_on.clone(),
            // Parameters of other kinds.
            _ => {}
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
