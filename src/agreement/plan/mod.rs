//! Stage 2b: the compiled terms. Every cash clause compiles itself (`ClauseKind::compile`, in
//! its kind's file) into flows of a small, closed vocabulary of dues (`Due`): a share of a
//! revenue stream, fixed amounts, a top-up to a minimum, a milestone, a shortfall. This module
//! resolves what the flows refer to (cap pools by name, the clauses a minimum tops up) into
//! one `Plan` per run: the data the engine (exact `Decimal`), Monte Carlo (integer cents),
//! explain and the workbook's formulas all evaluate. None of them names a kind of clause.
//!
//! Evaluation order (documented in the book, "The rules"): flows are evaluated, and draw on
//! their pools, in the order the agreement lists their clauses, except that a minimum payment
//! comes right after the last clause it tops up (it needs what they paid).

mod compile;
mod share_rule;

pub use compile::compile;

pub use share_rule::{CompiledRate, ExactDue};

use super::{Agreement, Clause, Party, Trigger};
use crate::period::{day_before, Period};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// The days a clause is in force: from its start to its end, cut short by its trigger if the
/// scenario fires it. `last = None` is open-ended; `last < first` means never in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    pub first: NaiveDate,
    pub last: Option<NaiveDate>,
}

impl InForce {
    pub fn days_in(&self, period: &Period) -> i64 {
        period.days_within(self.first, self.last)
    }

    /// Whether `day` is one of its days.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && self.last.is_none_or(|last| day <= last)
    }
}

/// When `clause` is in force, AGI declared on `agi` (if ever). An AGI trigger ends the clause
/// the day before AGI is declared; a clause without the trigger ignores the declaration.
pub fn in_force(agreement: &Agreement, clause: &Clause, agi: Option<NaiveDate>) -> InForce {
    let first = agreement.start_of(clause);
    let mut last = clause.end();
    if let (Some(Trigger::AgiDeclared), Some(agi)) = (clause.stops_on(), agi) {
        let stop = day_before(agi);
        last = Some(last.map_or(stop, |end| end.min(stop)));
    }
    InForce { first, last }
}

/// What a flow is, for totals and outputs: a payment under the agreement of one kind, or a
/// purchase (reported apart: never part of payment totals or a cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A share of a revenue stream (a revenue share's flow).
    #[serde(rename = "revenue-share")]
    Share,
    Fixed,
    TopUp,
    Milestone,
    Shortfall,
    Purchase,
}

impl Category {
    /// Whether it is a payment from payer to payee (everything but a purchase of services).
    pub fn is_payment(self) -> bool {
        self != Category::Purchase
    }

    pub fn words(self) -> &'static str {
        match self {
            Category::Share => "revenue share",
            Category::Fixed => "fixed payment",
            Category::TopUp => "minimum top-up",
            Category::Milestone => "milestone",
            Category::Shortfall => "shortfall",
            Category::Purchase => "purchases",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Category::Share => "revenue-share",
            Category::Fixed => "fixed",
            Category::TopUp => "top-up",
            Category::Milestone => "milestone",
            Category::Shortfall => "shortfall",
            Category::Purchase => "purchase",
        })
    }
}

/// What the scenario gives compiling: its periods, its revenue streams by name (`openai`,
/// `microsoft`, then any other `[revenue.<name>]`), the AGI date, and prior payments toward a cap.
#[derive(Debug, Clone, Copy)]
pub struct CompileContext<'a> {
    pub periods: &'a [Period],
    pub streams: &'a [String],
    pub agi_declared: Option<NaiveDate>,
    /// The scenario's `prior_payments_toward_cap`: what counts toward every pool that holds a
    /// revenue share before the run (when not zero; it replaces a pool's own `prior_payments`).
    pub prior_payments_toward_cap: Decimal,
}

/// One clause, as its kind's `compile` sees it: the run, and the days the clause is in force.
#[derive(Debug, Clone, Copy)]
pub struct ClauseContext<'a> {
    pub run: CompileContext<'a>,
    pub force: InForce,
    pub agreement: &'a Agreement,
}

impl ClauseContext<'_> {
    /// Days in force in each period.
    pub fn days(&self) -> Vec<i64> {
        self.run.periods.iter().map(|p| self.force.days_in(p)).collect()
    }

    /// The index of a revenue stream by name.
    pub fn stream(&self, name: &str) -> Result<usize, CompileError> {
        self.run.streams.iter().position(|s| s == name).ok_or_else(|| CompileError::UnknownStream {
            stream: name.to_string(),
            known: self.run.streams.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
        })
    }

    /// The period that holds `day`, if the run has it.
    pub fn period_of(&self, day: NaiveDate) -> Option<usize> {
        self.run.periods.iter().position(|p| p.start <= day && day <= p.end)
    }

    /// `per_year` prorated by days in force, per period: `round(per_year × days / days in the
    /// period's year)`, so a full year pays `per_year` and a quarter its share of it.
    pub fn per_year(&self, per_year: Decimal) -> Result<Vec<Decimal>, CompileError> {
        self.run
            .periods
            .iter()
            .map(|p| {
                let days = self.force.days_in(p);
                per_year
                    .checked_mul(Decimal::from(days))
                    .and_then(|x| x.checked_div(Decimal::from(p.year_days())))
                    .map(crate::money::round_money)
                    .ok_or(CompileError::Overflow { period: p.label.clone() })
            })
            .collect()
    }
}

/// A clause's compiled cash, before references are resolved: what its kind's `compile` returns.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub payer: Party,
    pub payee: Party,
    pub category: Category,
    pub pool: PoolRef,
    pub due: DueSpec,
    /// Days after a period's end that what it accrued is paid.
    pub lag_days: i64,
    /// The keys of the parameters its due is built from.
    pub inputs: FlowInputs,
}

/// The clause parameters a flow's due is built from, by the keys `--set CLAUSE.KEY` knows them
/// by: what an evaluator that rebuilds the figures from editable inputs reads (the workbook's
/// formulas). The values are in the flow's `Due`, except where the `Due` holds only their
/// per-period result (`amounts`, `day`). The parameters every flow has (`start`, `end`, `cap`,
/// `payment_lag_days`) are not repeated here. `None`: the due has no such parameter, or it is a
/// constant of the kind (a purchase of a whole stream has no fraction).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowInputs {
    /// A revenue rule's rate (`rate`; a purchase's `fraction`).
    pub rate: Option<&'static str>,
    /// A revenue rule's fraction of the stream (`base_fraction`).
    pub fraction: Option<&'static str>,
    /// What fixed or minimum amounts per period were made from.
    pub amounts: Option<(&'static str, Amounts)>,
    /// A milestone's amount or a commitment (`amount`, `commitment`).
    pub amount: Option<&'static str>,
    /// A milestone's revenue threshold (`revenue_reaches`, `cumulative_revenue_reaches`).
    pub threshold: Option<&'static str>,
    /// The day a milestone is paid or a shortfall falls due (`when`, `end`), when it has one.
    pub day: Option<(&'static str, NaiveDate)>,
}

/// Amounts per period, as a clause writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amounts {
    /// A yearly amount, prorated by days in force: `round(per_year × days / days in the year)`.
    PerYear(Decimal),
    /// Lump sums, each in the period holding its date when the clause is in force that day.
    OnDates(Vec<(NaiveDate, Decimal)>),
}

/// Which cap a flow draws on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolRef {
    None,
    /// The clause's own cap: a pool of one, named after the clause.
    Own(Decimal),
    /// A `[[cap_pools]]` of the agreement, by name.
    Named(String),
}

/// What a flow is due in a period, before references are resolved (`Due` after).
#[derive(Debug, Clone)]
pub enum DueSpec {
    Revenue {
        stream: usize,
        rule: ExactDue,
    },
    Fixed(Vec<Decimal>),
    TopUp {
        minimum: Vec<Decimal>,
        of: Vec<String>,
    },
    Milestone {
        amount: Decimal,
        when: When<Decimal>,
    },
    /// What the clause's own flow `of` (its purchases) falls short of `commitment` by, in
    /// `period` (the one holding the commitment's end), when it does.
    Shortfall {
        commitment: Decimal,
        of: usize,
        period: Option<usize>,
    },
}

/// When a milestone is paid: the first period in which this holds (once).
#[derive(Debug, Clone)]
pub enum When<A> {
    /// A period fixed by a date (or AGI's date); `None` when the run does not reach it.
    Period(Option<usize>),
    /// The first period, among those in force, whose stream annualised reaches `threshold`:
    /// `stream × year_days ≥ threshold × period_days`.
    StreamReaches { stream: usize, threshold: A, days: Vec<(i64, i64)>, active: Vec<bool> },
    /// The first period, among those in force, by which the stream summed over the periods in
    /// force (whole periods) reaches `threshold`.
    CumulativeReaches { stream: usize, threshold: A, active: Vec<bool> },
}

/// A cap several flows draw on: one room, `amount − prior` at the start.
#[derive(Debug, Clone)]
pub struct Pool<A> {
    pub name: String,
    pub amount: A,
    pub prior: A,
    /// Whether it holds a revenue share: the scenario's `cap` assumption sets it (a cap drawn for
    /// a Monte Carlo path replaces `amount`), and its prior payments toward a cap count in it.
    pub holds_share: bool,
    /// Whether it holds an OpenAI→Microsoft revenue share: the cap the ledger's `cap_*` columns
    /// and `P(cap reached)` are about.
    pub holds_share_to_microsoft: bool,
    /// Per period: whether any of its flows has been in force by the period's end (a pool is
    /// reached only once its clauses exist, even when prior payments already fill it).
    pub started: Vec<bool>,
}

impl<A: Copy + Ord + Default + std::ops::Sub<Output = A>> Pool<A> {
    /// The room at the start of a run: `amount − prior`, not below zero (`amount` replaced by a
    /// cap drawn for the path where it takes one).
    pub fn room_at_start(&self, drawn: Option<A>) -> A {
        let amount = drawn.filter(|_| self.holds_share).unwrap_or(self.amount);
        if amount > self.prior {
            amount - self.prior
        } else {
            A::default()
        }
    }
}

/// A due with its references resolved to flow indices: what the evaluator runs, generic over the
/// number (`A`: `Decimal` or cents) and the revenue rule (`R`).
#[derive(Debug, Clone)]
pub enum Due<A, R> {
    Revenue {
        stream: usize,
        rule: R,
    },
    Fixed(Vec<A>),
    /// `max(0, minimum − Σ paid this period by the flows `of`)`.
    TopUp {
        minimum: Vec<A>,
        of: Vec<usize>,
    },
    Milestone {
        amount: A,
        when: When<A>,
    },
    /// `max(0, commitment − Σ paid by flow `of` through the period)`, in `period` only.
    Shortfall {
        commitment: A,
        of: usize,
        period: Option<usize>,
    },
}

/// One compiled flow.
#[derive(Debug, Clone)]
pub struct Flow<A, R> {
    /// Its clause's index in the agreement, id and kind (for traces and outputs, never matched).
    pub clause: usize,
    pub clause_id: String,
    pub kind: &'static str,
    pub payer: Party,
    pub payee: Party,
    pub category: Category,
    pub pool: Option<usize>,
    pub due: Due<A, R>,
    pub force: InForce,
    /// Days in force per period.
    pub days: Vec<i64>,
    pub lag_days: i64,
    pub inputs: FlowInputs,
}

impl<A, R> Flow<A, R> {
    pub fn to_microsoft(&self) -> bool {
        self.payee == Party::Microsoft
    }

    /// Paid by OpenAI to Microsoft under a revenue share: what the ledger's `share_*` columns sum.
    pub fn is_share_to_microsoft(&self) -> bool {
        self.category == Category::Share && self.payer == Party::OpenAi && self.payee == Party::Microsoft
    }

    pub fn is_share_to_openai(&self) -> bool {
        self.category == Category::Share && self.payer == Party::Microsoft && self.payee == Party::OpenAi
    }

    /// The day what it accrued in `period` is paid.
    pub fn paid_on(&self, period: &Period) -> NaiveDate {
        period.end + chrono::Duration::days(self.lag_days)
    }
}

/// The compiled terms of one run.
#[derive(Debug, Clone)]
pub struct Plan<A, R> {
    pub flows: Vec<Flow<A, R>>,
    pub pools: Vec<Pool<A>>,
    pub periods: usize,
}

/// The exact plan: `Decimal` money and the exact share rule.
pub type ExactPlan = Plan<Decimal, ExactDue>;

/// What compiling can refuse: terms that name a stream the scenario lacks, a pool or clause the
/// agreement lacks, or arithmetic past `Decimal`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error(
        "the scenario has no revenue stream `{stream}` (its streams: {known}); add a [revenue.{stream}] path"
    )]
    UnknownStream { stream: String, known: String },
    #[error("clause `{clause}` draws on cap pool `{pool}`, which the agreement does not define under [[cap_pools]]")]
    UnknownPool { clause: String, pool: String },
    #[error("clause `{clause}` tops up `{target}`, which is not a payment clause of the agreement")]
    UnknownTarget { clause: String, target: String },
    #[error("arithmetic overflow compiling the terms for {period}")]
    Overflow { period: String },
}
