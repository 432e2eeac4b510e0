//! An agreement file's own keys (name, title, effective date, clauses, cap pools, invariants) and
//! a timeline file's (versions), read with spans; and what the file must say consistently (ids
//! unique, dates in order, references that resolve), each refusal at its key.

use super::invariants::read_invariant;
use super::{parse, FileError, FileErrorKind, Table, Value};
use crate::agreement::{Agreement, CapPool, Clause, Invariant, OverrideError, Sourced};
use chrono::NaiveDate;
use std::ops::Range;

/// The most clauses one agreement may list, and versions one timeline: far beyond any deal, and
/// small enough that `check` answers at once.
pub const MAX_CLAUSES: usize = 500;
pub const MAX_VERSIONS: usize = 100;
/// Excel's limit on one cell's text: a title or description longer would not survive the workbook.
pub const MAX_TEXT: usize = 32_767;

/// A name that becomes a folder under the output directory (`verify/<agreement>/`): one plain,
/// portable path component, as scenario names are.
fn name_of(v: &Value) -> Result<String, FileError> {
    let name = v.string()?;
    crate::text::check_name(&name).map_err(|reason| {
        FileError::invalid(v.span.clone(), format!("name: `{name}` cannot name an output folder: {reason}"))
    })?;
    Ok(name)
}

fn text_of(v: &Value) -> Result<String, FileError> {
    let text = v.string()?;
    let count = text.chars().count();
    if count > MAX_TEXT {
        return Err(FileError::invalid(
            v.span.clone(),
            format!("{}: {count} characters; the limit is {MAX_TEXT} (a workbook cell holds no more)", v.key),
        ));
    }
    Ok(text)
}

/// What a clause's keys are and where: for refusing at the offending key after it is read.
struct Read {
    clause: Clause,
    span: Range<usize>,
    keys: Vec<(String, Range<usize>)>,
}

impl Read {
    fn at(&self, key: &str) -> Range<usize> {
        self.keys.iter().find(|(k, _)| k == key).map_or(self.span.clone(), |(_, s)| s.clone())
    }
}

/// Reads an agreement file's text into an `Agreement`, checked.
pub fn read_agreement(text: &str) -> Result<Agreement, FileError> {
    let doc = parse(text)?;
    let t = Table::document(&doc);
    let name = name_of(&t.required("name")?)?;
    let title = text_of(&t.required("title")?)?;
    let effective = t.required("effective")?.sourced(Value::date)?;
    let clause_values = t.required("clauses")?.array()?;
    if clause_values.len() > MAX_CLAUSES {
        return Err(FileError::invalid(
            clause_values[MAX_CLAUSES].span.clone(),
            format!("clauses: {} clauses; the limit is {MAX_CLAUSES}", clause_values.len()),
        ));
    }
    let mut read = Vec::with_capacity(clause_values.len());
    for value in &clause_values {
        read.push(read_clause(value)?);
    }
    let pools =
        t.optional("cap_pools", |v| v.array()?.iter().map(read_pool).collect::<Result<Vec<_>, _>>())?;
    let invariants =
        t.optional("invariants", |v| v.array()?.iter().map(read_invariant).collect::<Result<Vec<_>, _>>())?;
    t.finish()?;
    let pools = pools.unwrap_or_default();
    let invariants = invariants.unwrap_or_default();
    let agreement = Agreement {
        name,
        title,
        effective,
        clauses: read.iter().map(|r| r.clause.clone()).collect(),
        invariants: std::sync::Arc::new(invariants.iter().map(|(i, _)| i.clone()).collect()),
        cap_pools: pools.iter().map(|(p, _)| p.clone()).collect(),
        timeline: None,
    };
    check_clauses(&agreement, &read)?;
    check_pools(&read, &pools)?;
    check_invariant_clauses(&agreement, &invariants)?;
    Ok(agreement)
}

/// One `[[clauses]]` table, read by its kind.
fn read_clause(value: &Value) -> Result<Read, FileError> {
    let table = value.table()?;
    let kind = table.required("kind")?;
    let id = table.get("id").and_then(|v| v.string().ok()).unwrap_or_default();
    let table = table.named(format!("clauses.{}", if id.is_empty() { "?" } else { &id }));
    let clause = Clause::read(&kind, &table)?;
    table.finish()?;
    let keys = table.entries().map(|(k, _, v)| (k, v.span)).collect();
    Ok(Read { clause, span: table.span(), keys })
}

/// The file key an agreement check's parameter names (its words for people otherwise).
fn key_of(parameter: &str) -> &str {
    match parameter {
        "rate schedule" => "schedule",
        "rate tiers" => "tiers",
        "payment lag" => "payment_lag_days",
        "base fraction" => "base",
        other => other,
    }
}

/// Ids unique, each clause within its ranges (its kind's `check`), none ending before it starts:
/// each refused at the key that is wrong.
fn check_clauses(agreement: &Agreement, read: &[Read]) -> Result<(), FileError> {
    for (i, r) in read.iter().enumerate() {
        let id = r.clause.id();
        if read[..i].iter().any(|other| other.clause.id() == id) {
            return Err(FileError::new(
                r.at("id"),
                FileErrorKind::Terms(OverrideError::DuplicateClause { clause: id.to_string() }),
            ));
        }
        if let Err(error) = r.clause.check() {
            let key = match &error {
                OverrideError::OutOfRange { parameter, .. } => key_of(parameter).to_string(),
                OverrideError::NotApplicable { parameter, .. } => parameter.to_string(),
                _ => String::new(),
            };
            return Err(FileError::new(r.at(&key), FileErrorKind::Terms(error)));
        }
        let start = agreement.start_of(&r.clause);
        if let Some(end) = r.clause.end().filter(|end| *end < start) {
            return Err(FileError::new(
                r.at("end"),
                FileErrorKind::Terms(OverrideError::EndBeforeStart { clause: id.to_string(), start, end }),
            )
            .with_help(if r.clause.start().is_none() {
                format!("the clause has no start of its own, so it starts on the agreement's effective date ({start})")
            } else {
                "end is the clause's last day in force; give a date on or after its start".to_string()
            }));
        }
        for (key, reference) in r.clause.references() {
            let target = reference.as_str();
            let is_pool = agreement.cap_pools.iter().any(|p| p.name == target);
            let is_clause = read.iter().any(|other| other.clause.id() == target && other.clause.id() != id);
            let found = if key == "cap_pool" { is_pool } else { is_clause };
            if !found {
                let known: Vec<String> = read
                    .iter()
                    .map(|o| o.clause.id().to_string())
                    .chain(agreement.cap_pools.iter().map(|p| p.name.clone()))
                    .collect();
                let error = FileError::invalid(
                    r.at(key),
                    if key == "cap_pool" {
                        format!(
                            "clauses.{id}.cap_pool: `{target}` names no [[cap_pools]] pool of this agreement"
                        )
                    } else {
                        format!("clauses.{id}.{key}: `{target}` names no other clause of this agreement")
                    },
                );
                return Err(match crate::text::nearest(target, &known) {
                    Some(k) => error.with_help(format!("did you mean `{k}`?")),
                    None => error,
                });
            }
        }
    }
    Ok(())
}

/// `[[cap_pools]]`: each with a unique name, an amount, optional prior payments.
fn read_pool(value: &Value) -> Result<(CapPool, Range<usize>), FileError> {
    let t = value.table()?;
    let name = t.required("name")?;
    let t = t.named(format!("cap_pools.{}", name.string()?));
    let pool = CapPool {
        name: name.string()?,
        amount: t.required("amount")?.sourced(Value::money)?,
        prior_payments: t.optional("prior_payments", |v| v.sourced(Value::money))?,
    };
    t.finish()?;
    Ok((pool, name.span.clone()))
}

/// Every pool named once and used by some clause; no clause with both a cap and a pool.
fn check_pools(read: &[Read], pools: &[(CapPool, Range<usize>)]) -> Result<(), FileError> {
    for (i, (pool, span)) in pools.iter().enumerate() {
        if pools[..i].iter().any(|(p, _)| p.name == pool.name) {
            return Err(FileError::invalid(
                span.clone(),
                format!("cap_pools: `{}` is defined twice", pool.name),
            ));
        }
        if !read.iter().any(|r| r.clause.cap_pool() == Some(pool.name.as_str())) {
            return Err(FileError::invalid(
                span.clone(),
                format!("cap_pools.{}: no clause draws on it (give a clause `cap_pool = \"{}\"`, or remove the pool)", pool.name, pool.name),
            ));
        }
    }
    for r in read {
        if r.clause.cap_pool().is_some() && r.clause.own_cap().is_some() {
            return Err(FileError::invalid(
                r.at("cap_pool"),
                format!(
                    "clauses.{}: both a cap of its own and cap_pool; a clause draws on one cap",
                    r.clause.id()
                ),
            ));
        }
    }
    Ok(())
}

/// An invariant naming a clause must name one the agreement has (a typo could never fail).
fn check_invariant_clauses(
    agreement: &Agreement,
    invariants: &[(Invariant, Option<Range<usize>>)],
) -> Result<(), FileError> {
    check_invariant_references(agreement, invariants)
}

/// The same for a compiled timeline, whose clause ids carry their version (`revised/…`).
pub fn check_invariant_references(
    agreement: &Agreement,
    invariants: &[(Invariant, Option<Range<usize>>)],
) -> Result<(), FileError> {
    let known: Vec<String> = agreement.clauses.iter().map(|c| c.id().to_string()).collect();
    for (invariant, span) in invariants {
        let Some(clause) = invariant.clause() else { continue };
        if known.iter().any(|k| k == clause) {
            continue;
        }
        let error = FileError::invalid(
            span.clone().unwrap_or(0..0),
            format!(
                "invariants: `{clause}` names no clause of `{}`, so the promise could never be broken",
                agreement.name
            ),
        );
        // Under a timeline a bare id (`openai-to-microsoft`) needs its version (`revised/…`).
        let suffixed: Vec<&String> = known.iter().filter(|k| k.ends_with(&format!("/{clause}"))).collect();
        return Err(match (suffixed.as_slice(), crate::text::nearest(clause, &known)) {
            ([one], _) => error.with_help(format!(
                "did you mean `{one}`? (under a timeline a clause's id carries its version)"
            )),
            (_, Some(k)) => error.with_help(format!("did you mean `{k}`?")),
            _ => error.with_help(format!(
                "its clauses: {}",
                known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            )),
        });
    }
    Ok(())
}

/// A timeline file as written: versions by name or file, each with the day it takes over.
pub struct RawTimeline {
    pub name: String,
    pub title: String,
    pub versions: Vec<RawVersion>,
    pub invariants: Vec<(Invariant, Option<Range<usize>>)>,
}

pub struct RawVersion {
    /// A built-in name or a file relative to the timeline's, and where it is written.
    pub agreement: String,
    pub span: Range<usize>,
    pub from: Sourced<NaiveDate>,
    pub from_span: Range<usize>,
}

/// Reads a timeline file's text (a file with `[[versions]]`); its versions are loaded by the
/// caller, which knows where files are.
pub fn read_timeline(text: &str) -> Result<RawTimeline, FileError> {
    let doc = parse(text)?;
    let t = Table::document(&doc);
    let name = name_of(&t.required("name")?)?;
    let title = text_of(&t.required("title")?)?;
    let versions = t.required("versions")?.array()?;
    if versions.len() > MAX_VERSIONS {
        return Err(FileError::invalid(
            versions[MAX_VERSIONS].span.clone(),
            format!("versions: {} versions; the limit is {MAX_VERSIONS}", versions.len()),
        ));
    }
    let mut out = Vec::with_capacity(versions.len());
    for value in &versions {
        let v = value.table()?.named("versions".to_string());
        let agreement = v.required("agreement")?;
        let from = v.required("from")?;
        out.push(RawVersion {
            agreement: agreement.string()?,
            span: agreement.span.clone(),
            from: from.sourced(Value::date)?,
            from_span: from.span.clone(),
        });
        v.finish()?;
    }
    let invariants =
        t.optional("invariants", |v| v.array()?.iter().map(read_invariant).collect::<Result<Vec<_>, _>>())?;
    t.finish()?;
    Ok(RawTimeline { name, title, versions: out, invariants: invariants.unwrap_or_default() })
}
