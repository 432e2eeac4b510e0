//! What changed between two agreements, clause by clause. Clauses are matched by id; a change is
//! data, so `diff(a, b)` and `diff(b, a)` can be checked to be mirror images.

use super::describe::{label, parameters, sentence, Param};
use super::Agreement;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A clause only the newer agreement has.
    Added { clause: String, label: String, sentence: String },
    /// A clause only the older agreement has.
    Removed { clause: String, label: String, sentence: String },
    /// A parameter whose text differs between the two (provenance alone does not count);
    /// `None` where that side has no such term.
    Changed { clause: String, label: String, parameter: Param, from: Option<String>, to: Option<String> },
}

impl Change {
    /// The same change seen from the other side.
    pub fn mirror(&self) -> Change {
        match self.clone() {
            Change::Added { clause, label, sentence } => Change::Removed { clause, label, sentence },
            Change::Removed { clause, label, sentence } => Change::Added { clause, label, sentence },
            Change::Changed { clause, label, parameter, from, to } => {
                Change::Changed { clause, label, parameter, from: to, to: from }
            }
        }
    }
}

impl Change {
    /// A few words naming the change, for chart labels: "revenue share OpenAI → Microsoft: cap".
    pub fn short(&self) -> String {
        match self {
            Change::Added { label, .. } => format!("{label} added"),
            Change::Removed { label, .. } => format!("{label} removed"),
            Change::Changed { label, parameter, to: None, .. } => format!("{label}: {parameter} removed"),
            Change::Changed { label, parameter, .. } => format!("{label}: {parameter}"),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added { label, sentence, .. } => write!(f, "{label}: added: {sentence}"),
            Change::Removed { label, sentence, .. } => write!(f, "{label}: removed: {sentence}"),
            Change::Changed { label, parameter, from: Some(from), to: None, .. } => {
                write!(f, "{label}: {parameter}: removed (was: {from})")
            }
            Change::Changed { label, parameter, from: None, to: Some(to), .. } => {
                write!(f, "{label}: {parameter}: added ({to})")
            }
            Change::Changed { label, parameter, from, to, .. } => {
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
                write!(f, "{label}: {parameter}: {} → {}", shown(from), shown(to))
            }
        }
    }
}

/// Changes from `older` to `newer`: the effective date, then clauses in `older`'s order (changed
/// or removed), then clauses only `newer` has.
pub fn diff(older: &Agreement, newer: &Agreement) -> Vec<Change> {
    let mut changes = Vec::new();
    if older.effective.value != newer.effective.value {
        changes.push(Change::Changed {
            clause: String::new(),
            label: "agreement".into(),
            parameter: Param::EFFECTIVE_DATE,
            from: Some(older.effective.value.to_string()),
            to: Some(newer.effective.value.to_string()),
        });
    }
    for old in &older.clauses {
        match newer.clause(old.id()) {
            None => changes.push(Change::Removed {
                clause: old.id().into(),
                label: label(old),
                sentence: sentence(older, old),
            }),
            Some(new) => {
                let before = parameters(older, old);
                let after = parameters(newer, new);
                for a in &before {
                    let b = after.iter().find(|b| b.name == a.name);
                    let to = b.and_then(|b| b.value.clone());
                    if to != a.value {
                        changes.push(Change::Changed {
                            clause: old.id().into(),
                            label: label(old),
                            parameter: a.name,
                            from: a.value.clone(),
                            to,
                        });
                    }
                }
                for b in after.iter().filter(|b| !before.iter().any(|a| a.name == b.name)) {
                    changes.push(Change::Changed {
                        clause: old.id().into(),
                        label: label(old),
                        parameter: b.name,
                        from: None,
                        to: b.value.clone(),
                    });
                }
            }
        }
    }
    for new in newer.clauses.iter().filter(|c| older.clause(c.id()).is_none()) {
        changes.push(Change::Added {
            clause: new.id().into(),
            label: label(new),
            sentence: sentence(newer, new),
        });
    }
    changes
}
