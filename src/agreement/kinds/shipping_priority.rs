//! Products ship first on one cloud (Azure) unless the exception releases them; the sources
//! disagree on "and"/"or", so both readings are modelled.

use super::super::clause::Party;
use super::super::describe::{plain, sourced, Param, Parameter};
use super::super::file::{FileError, Table, Value};
use super::{common, until, ClauseKind, Grant, Kind};
use crate::agreement::Sourced;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    Azure,
}

/// The two readings of the Azure-first exception, as the sources disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl Kind for ShippingPriority {
    const KIND: &'static str = "shipping-priority";
}

impl ClauseKind for ShippingPriority {
    fn read(t: &Table) -> Result<Self, FileError> {
        let reading = |v: &Value| v.choice(&[("and", ExceptionReading::And), ("or", ExceptionReading::Or)]);
        Ok(ShippingPriority {
            id: common::id(t)?,
            licensor: common::party(&t.required("licensor")?)?,
            first_on: t.required("first_on")?.choice(&[("azure", Cloud::Azure)])?,
            exception: t.required("exception")?.sourced(reading)?,
            start: common::start(t)?,
            end: common::required_end(t)?,
        })
    }

    id_and_start!();
    fn end(&self) -> Option<&Sourced<NaiveDate>> {
        Some(&self.end)
    }
    fn set_end(&mut self, end: Sourced<NaiveDate>) {
        self.end = end;
    }
    fn grant(&self) -> Option<Grant> {
        Some(Grant::ShipsFirstOnAzure(self.exception.value))
    }
    fn label(&self) -> String {
        "Azure-first".to_string()
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        vec![
            plain(Param::FIRST_ON, "Azure".to_string()),
            sourced(
                Param::EXCEPTION,
                format!("unless Microsoft {} to support", self.exception.value),
                &self.exception,
            ),
            start,
            sourced(Param::END, self.end.value.to_string(), &self.end),
        ]
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{}'s products ship first on Azure unless Microsoft {} to support them, from {from} {}.",
            self.licensor,
            self.exception.value,
            until(Some(self.end.value)),
        )
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        use Param as P;
        match name {
            P::EXCEPTION => self.exception = from.exception.clone(),
            P::FIRST_ON => self.first_on = from.first_on,
            P::START => self.start = from.start.clone(),
            P::END => self.end = from.end.clone(),
            // Parameters of other kinds.
            _ => {}
        }
    }
}
