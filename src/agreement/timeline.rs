//! A deal as a sequence of versions: each version takes over from the one before on its own date,
//! and the timeline compiles into one agreement in which every day is under exactly the terms in
//! force that day. The engine needs nothing new: a compiled timeline is an agreement whose clauses
//! carry their own dates, named `<version>/<clause>`.
//!
//! The rule (the book's "Timelines"): a clause of version *i* runs from its own start (or the day its
//! version takes over) to the earlier of its own end and the day before any later version takes
//! that clause over, where a later version takes a clause over on its same-id clause's own start,
//! or on its take-over day if it has no such clause (a version that drops a clause ends it). So a
//! later clause may start before its version (the revised share counts from 1 January 2026, the
//! revision takes over on 27 April), and no day is under two versions of one clause.

use super::{Agreement, Sourced};
use chrono::NaiveDate;

/// Separates a version's name from a clause id in a compiled timeline: `revised/openai-to-microsoft`.
pub const SEPARATOR: char = '/';

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub name: String,
    pub title: String,
    pub versions: Vec<Version>,
    /// What the deal as a whole promises (the versions' own promises hold only while each is in
    /// force, so they are not carried over).
    pub invariants: Vec<super::Invariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub agreement: Agreement,
    /// The day this version takes over from the one before (the first: the deal's start).
    pub from: Sourced<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimelineError {
    #[error("timeline `{timeline}` has no versions; list at least one under [[versions]]")]
    Empty { timeline: String },
    #[error(
        "timeline `{timeline}`: `{later}` takes over on {later_from}, not after `{earlier}` ({earlier_from}); list versions in date order"
    )]
    OutOfOrder {
        timeline: String,
        earlier: String,
        earlier_from: NaiveDate,
        later: String,
        later_from: NaiveDate,
    },
    #[error("timeline `{timeline}` lists `{version}` twice; each version appears once")]
    Repeated { timeline: String, version: String },
    #[error("timeline `{timeline}`: a version cannot itself be a timeline (`{version}`)")]
    Nested { timeline: String, version: String },
}

impl Timeline {
    /// The one agreement the timeline amounts to (see the module's rule).
    pub fn compile(&self) -> Result<Agreement, TimelineError> {
        self.check()?;
        let mut clauses = Vec::new();
        let mut cap_pools = Vec::new();
        for (i, version) in self.versions.iter().enumerate() {
            let name = &version.agreement.name;
            let compiled_id = |id: &str| format!("{name}{SEPARATOR}{id}");
            for pool in &version.agreement.cap_pools {
                cap_pools.push(super::CapPool { name: compiled_id(&pool.name), ..pool.clone() });
            }
            let later = &self.versions[i + 1..];
            for clause in &version.agreement.clauses {
                let start = clause.start().cloned().unwrap_or_else(|| self.took_over(version));
                let taken_over = later
                    .iter()
                    .map(|v| {
                        let by = v.agreement.clause(clause.id()).and_then(|c| c.start().cloned());
                        (by.unwrap_or_else(|| self.took_over(v)), v)
                    })
                    .min_by_key(|(day, _)| day.value);
                let mut end = clause.end_sourced();
                if let Some((day, by)) = taken_over {
                    let last = day.value.pred_opt().unwrap_or(day.value);
                    if end.as_ref().is_none_or(|e| last < e.value) {
                        end = Some(Sourced {
                            value: last,
                            basis: day.basis,
                            source: format!(
                                "the day before `{}` takes it over ({}; that date's source is on its clause)",
                                by.agreement.name, day.value
                            ),
                        });
                    }
                }
                if end.as_ref().is_some_and(|e| e.value < start.value) {
                    continue; // taken over before it began: never in force
                }
                let mut compiled = clause.clone();
                compiled.set_id(compiled_id(clause.id()));
                // What it names (a cap pool, the clauses a minimum tops up) is its version's.
                compiled.rename_references(&mut |reference: &mut String| *reference = compiled_id(reference));
                compiled.set_start(Some(start));
                if let Some(end) = end {
                    compiled.set_end(end);
                }
                clauses.push(compiled);
            }
        }
        let first = &self.versions[0];
        Ok(Agreement {
            name: self.name.clone(),
            title: self.title.clone(),
            effective: first.from.clone(),
            clauses,
            invariants: std::sync::Arc::new(self.invariants.clone()),
            cap_pools,
            timeline: Some(Box::new(self.clone())),
        })
    }

    /// The version in force on `day`: the last one that has taken over by then (the first
    /// before the deal began).
    pub fn version_on(&self, day: NaiveDate) -> &Version {
        self.versions.iter().rev().find(|v| v.from.value <= day).unwrap_or(&self.versions[0])
    }

    fn took_over(&self, version: &Version) -> Sourced<NaiveDate> {
        Sourced {
            value: version.from.value,
            basis: version.from.basis,
            source: format!(
                "`{}` takes over in timeline `{}`: {}",
                version.agreement.name, self.name, version.from.source
            ),
        }
    }

    fn check(&self) -> Result<(), TimelineError> {
        let timeline = self.name.clone();
        if self.versions.is_empty() {
            return Err(TimelineError::Empty { timeline });
        }
        for (i, v) in self.versions.iter().enumerate() {
            if v.agreement.timeline.is_some() {
                return Err(TimelineError::Nested { timeline, version: v.agreement.name.clone() });
            }
            if self.versions[..i].iter().any(|w| w.agreement.name == v.agreement.name) {
                return Err(TimelineError::Repeated { timeline, version: v.agreement.name.clone() });
            }
            if let Some(before) = i.checked_sub(1).map(|k| &self.versions[k]) {
                if v.from.value <= before.from.value {
                    return Err(TimelineError::OutOfOrder {
                        timeline,
                        earlier: before.agreement.name.clone(),
                        earlier_from: before.from.value,
                        later: v.agreement.name.clone(),
                        later_from: v.from.value,
                    });
                }
            }
        }
        Ok(())
    }
}
