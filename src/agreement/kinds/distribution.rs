//! Which clouds may serve the licensor's products: Azure only, or any cloud.

use super::super::clause::Party;
use super::super::describe::{end_parameter, sourced, Param, Parameter};
use super::super::file::{FileError, Table, Value};
use super::{common, until, ClauseKind, Grant, Kind};
use crate::agreement::Sourced;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl Kind for Distribution {
    const KIND: &'static str = "distribution";
}

impl ClauseKind for Distribution {
    fn read(t: &Table) -> Result<Self, FileError> {
        let clouds =
            |v: &Value| v.choice(&[("azure-only", Clouds::AzureOnly), ("any-cloud", Clouds::AnyCloud)]);
        Ok(Distribution {
            id: common::id(t)?,
            licensor: common::party(&t.required("licensor")?)?,
            clouds: t.required("clouds")?.sourced(clouds)?,
            start: common::start(t)?,
            end: common::end(t)?,
        })
    }

    id_and_start!();
    fn end(&self) -> Option<&Sourced<NaiveDate>> {
        self.end.as_ref()
    }
    fn set_end(&mut self, end: Sourced<NaiveDate>) {
        self.end = Some(end);
    }
    fn grant(&self) -> Option<Grant> {
        Some(Grant::Clouds(self.clouds.value))
    }
    fn label(&self) -> String {
        "distribution".to_string()
    }

    fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        let clouds = match self.clouds.value {
            Clouds::AzureOnly => "Azure only",
            Clouds::AnyCloud => "any cloud",
        };
        vec![sourced(Param::CLOUDS, clouds.to_string(), &self.clouds), start, end_parameter(&self.end)]
    }

    fn sentence(&self, from: NaiveDate) -> String {
        format!(
            "{} may serve its products {}, from {from} {}.",
            self.licensor,
            match self.clouds.value {
                Clouds::AzureOnly => "on Azure only",
                Clouds::AnyCloud => "on any cloud",
            },
            until(self.end.as_ref().map(|e| e.value)),
        )
    }

    fn copy_parameter(&mut self, from: &Self, name: Param) {
        use Param as P;
        match name {
            P::CLOUDS => self.clouds = from.clouds.clone(),
            P::START => self.start = from.start.clone(),
            P::END => self.end = from.end.clone(),
            // Parameters of other kinds.
            _ => {}
        }
    }
}
