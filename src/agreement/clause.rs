//! A clause of an agreement: one of the kinds in `kinds/`, each data with the answers it gives
//! about itself (never about a scenario's state); and the parties and triggers every kind uses.

use super::describe::{Param, Parameter};
use super::file::{FileError, FileErrorKind, Table, Value};
pub use super::kinds::{
    Cap, ClauseKind, Cloud, Clouds, Distribution, DistributionStatus, ExceptionReading, Grant, IpScope, Kind,
    Licence, LicenceStatus, RevenueBase, RevenueShare, RevenueStream, ShippingPriority,
};
pub use super::kinds::{
    FixedAmounts, FixedPayment, Milestone, MilestonePayment, MinimumPayment, PaymentTerms,
    PurchaseCommitment, Purchases, Shortfall,
};
pub use super::rate::{due_on, marginal_rate, rate_days, tiered_due, RateStep, Tier};
use super::Sourced;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// AGI is declared (by OpenAI's board, or verified by an expert panel, depending on the
    /// version). The clause is in force up to the day before the scenario's `agi_declared` date.
    AgiDeclared,
}

/// The kinds of clause, one line each: `Variant(Type)`. The one place that lists them: it makes
/// the `Clause` enum (serialised with `kind = "<ClauseKind::KIND>"`), reading one from a file by
/// its kind, and every question the program asks a clause, forwarded to its kind.
macro_rules! kinds {
    ($($variant:ident($kind:ty),)*) => {
        /// A term of an agreement: one variant per kind (`kinds/`). Adding a kind: its file in
        /// `kinds/` (struct and `ClauseKind` impl) and one line in `kinds!`; the rest of the
        /// program asks the clause through the methods below.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(tag = "kind", rename_all = "kebab-case")]
        // An agreement holds a handful of clauses, so the size of the largest variant does not
        // matter, and boxing it would complicate every match on a clause.
        #[allow(clippy::large_enum_variant)]
        pub enum Clause {
            $($variant($kind),)*
        }

        /// Every kind's `kind = "…"`, in the order above.
        pub const KIND_NAMES: &[&str] = &[$(<$kind as Kind>::KIND,)*];

        impl Clause {
            /// Reads a `[[clauses]]` table by its `kind`.
            pub fn read(kind: &Value, table: &Table) -> Result<Clause, FileError> {
                let name = kind.string()?;
                $(if name == <$kind as Kind>::KIND {
                    return Ok(Clause::$variant(<$kind as ClauseKind>::read(table)?));
                })*
                let known: Vec<String> = KIND_NAMES.iter().map(|k| k.to_string()).collect();
                let error = FileError::new(
                    kind.span.clone(),
                    FileErrorKind::UnknownValue {
                        key: kind.key.clone(),
                        text: name.clone(),
                        expected: format!("a kind of clause: {}", KIND_NAMES.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")),
                    },
                );
                Err(match crate::text::nearest(&name, &known) {
                    Some(k) => error.with_help(format!("did you mean \"{k}\"?")),
                    None => error,
                })
            }

            /// Its `kind = "…"`.
            pub fn kind_name(&self) -> &'static str {
                match self {
                    $(Clause::$variant(_) => <$kind as Kind>::KIND,)*
                }
            }

            fn kind(&self) -> &dyn ClauseKind {
                match self {
                    $(Clause::$variant(c) => c,)*
                }
            }

            fn kind_mut(&mut self) -> &mut dyn ClauseKind {
                match self {
                    $(Clause::$variant(c) => c,)*
                }
            }

            /// Copies parameter `name` from `from`, a clause of the same kind; a clause of
            /// another kind replaces this one whole.
            pub fn copy_parameter(&mut self, from: &Clause, name: Param) {
                match (self, from) {
                    $((Clause::$variant(t), Clause::$variant(f)) => t.copy_parameter(f, name),)*
                    #[allow(unreachable_patterns)]
                    (to, from) => *to = from.clone(),
                }
            }
        }
    };
}

kinds! {
    RevenueShare(RevenueShare),
    Licence(Licence),
    Distribution(Distribution),
    ShippingPriority(ShippingPriority),
    FixedPayment(FixedPayment),
    MinimumPayment(MinimumPayment),
    MilestonePayment(MilestonePayment),
    PurchaseCommitment(PurchaseCommitment),
}

impl Clause {
    pub fn id(&self) -> &str {
        self.kind().id()
    }

    pub fn start(&self) -> Option<&Sourced<NaiveDate>> {
        self.kind().start()
    }

    /// The last day in force (inclusive); `None` is open-ended.
    pub fn end(&self) -> Option<NaiveDate> {
        self.kind().end().map(|e| e.value)
    }

    /// The end date with its provenance, when the clause has one.
    pub fn end_sourced(&self) -> Option<Sourced<NaiveDate>> {
        self.kind().end().cloned()
    }

    pub fn stops_on(&self) -> Option<Trigger> {
        self.kind().stops_on()
    }

    /// What the clause grants on a day in force; `None` for cash.
    pub fn grant(&self) -> Option<Grant> {
        self.kind().grant()
    }

    /// What kind of term it is, for people: "revenue share OpenAI → Microsoft".
    pub fn label(&self) -> String {
        self.kind().label()
    }

    /// Its parameters in words, `start` being its start as the agreement words it.
    pub fn parameters(&self, start: Parameter) -> Vec<Parameter> {
        self.kind().parameters(start)
    }

    /// The clause as one sentence, from its first day `from`.
    pub fn sentence(&self, from: NaiveDate) -> String {
        self.kind().sentence(from)
    }

    /// Its cash, compiled for a run: the flows its kind makes (none for a right).
    pub fn compile(
        &self,
        clause: &super::plan::ClauseContext,
    ) -> Result<Vec<super::plan::FlowSpec>, super::plan::CompileError> {
        self.kind().compile(clause)
    }

    /// What a file cannot say by its shape alone (ranges, consistency).
    pub fn check(&self) -> Result<(), super::OverrideError> {
        self.kind().check()
    }

    /// The names of other clauses and cap pools it refers to, each with its key.
    pub fn references(&self) -> Vec<(&'static str, String)> {
        self.kind().references()
    }

    /// Sets parameter `key` (`--set CLAUSE.KEY=…`); `false` when the kind has no such parameter.
    pub fn set(&mut self, key: &str, value: super::overrides::SetValue, source: &str) -> bool {
        self.kind_mut().set(key, value, source)
    }

    /// Whether what it pays depends on the day AGI is declared (besides `stops_on`).
    pub fn waits_for_agi(&self) -> bool {
        self.kind().waits_for_agi()
    }

    /// The scenario revenue streams it reads, by name.
    pub fn streams(&self) -> Vec<&str> {
        self.kind().streams()
    }

    /// The cap pool it draws on with other clauses, if any.
    pub fn cap_pool(&self) -> Option<&str> {
        self.kind().cap_pool()
    }

    /// Its own cap (a pool of one), if any.
    pub fn own_cap(&self) -> Option<rust_decimal::Decimal> {
        self.kind().own_cap()
    }
}

/// Setters used where a clause is re-dated (overrides, timelines).
impl Clause {
    pub(super) fn set_id(&mut self, id: String) {
        *self.kind_mut().id_mut() = id;
    }

    pub(super) fn set_start(&mut self, start: Option<Sourced<NaiveDate>>) {
        *self.kind_mut().start_mut() = start;
    }

    pub(super) fn rename_references(&mut self, rename: &mut dyn FnMut(&mut String)) {
        self.kind_mut().rename_references(rename)
    }

    pub(super) fn set_end(&mut self, end: Sourced<NaiveDate>) {
        self.kind_mut().set_end(end)
    }
}
