//! Stage 4: the ledger, the engine's output. One row per period, with the figures of each flow
//! of each cash clause kept beside the row (`flows`) so every number can be traced to the
//! clause and inputs that produced it. Money here is exact and already rounded to the cent.

pub use crate::agreement::plan::Category;
use crate::agreement::{Basis, Party};
use crate::money::Money;
use crate::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

pub use crate::scenario::{Convention, Discounting};

/// Arithmetic the engine or a summary cannot do exactly (an overflow), or terms the scenario
/// breaks where it asked to be refused. Lives with the ledger, which both the engine and the
/// summaries produce.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    #[error("arithmetic overflow computing {figure} for {period}")]
    Overflow { figure: &'static str, period: String },
    #[error(
        "{period}: the cloud mix serves {share} of OpenAI's revenue outside Azure, which `{agreement}` does not permit (Azure-only distribution); set cloud_mix.on_breach = \"flag\" to simulate it anyway"
    )]
    DistributionBreach { period: String, share: String, agreement: String },
    #[error("{0}")]
    Compile(#[from] crate::agreement::plan::CompileError),
    #[error(
        "`assumptions.agi_declared` is a distribution of dates, and `{agreement}` has clauses that end when AGI is declared, so one ledger would have to pick a date; `dealsim montecarlo` draws one per path (probability-weighted), or run the dates one by one with --set agi_declared=2028-06-30,never"
    )]
    AgiDistribution { agreement: String },
}

// The rights a period shows are what clauses grant: defined with the kinds that grant them.
pub use crate::agreement::{DistributionStatus, LicenceStatus};

/// Whether the OpenAI→Microsoft revenue share is in force during a period: a rate of 0% after
/// the share ended would read like a rate cut, so the ledger says which it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShareTerm {
    /// In force for at least one day of the period.
    InForce,
    /// Not yet in force (the period is before its first day).
    NotStarted,
    /// No longer in force (ended by its date or a trigger).
    Ended,
    /// The agreement has no OpenAI→Microsoft share.
    None,
}

impl ShareTerm {
    /// How the table and the report say it where a rate or cap room would be (`ledger.csv` writes
    /// `Display`'s word instead).
    pub fn table_word(&self) -> &'static str {
        match self {
            ShareTerm::InForce => "in force",
            ShareTerm::NotStarted => "not yet",
            ShareTerm::Ended => "ended",
            ShareTerm::None => "none",
        }
    }
}

impl fmt::Display for ShareTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ShareTerm::InForce => "in-force",
            ShareTerm::NotStarted => "not-started",
            ShareTerm::Ended => "ended",
            ShareTerm::None => "none",
        })
    }
}

/// What one flow of a cash clause did in one period, with every input it used: the trace
/// behind the row's figures. `paid = min(due, cap_room_before)` where it draws on a cap pool;
/// how `due` was made is `basis`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CashFlow {
    pub clause: String,
    /// The clause's kind (`revenue-share`, `minimum-payment`, …) and what the flow is.
    pub kind: &'static str,
    pub category: Category,
    pub payer: Party,
    pub payee: Party,
    pub due: Money,
    pub paid: Money,
    /// What this flow has paid so far, this period included.
    pub cumulative_paid: Money,
    /// The cap pool it draws on (a clause's own cap is a pool named after it), its amount, its
    /// room before this flow drew, after, and whether it is reached.
    pub cap_pool: Option<String>,
    pub cap: Option<Money>,
    pub cap_room_before: Option<Money>,
    pub cap_remaining: Option<Money>,
    pub cap_reached: bool,
    /// Whether its clause is in force in the period, not yet, or over.
    pub term: ShareTerm,
    /// The day what this period accrued (`paid`) is paid in cash.
    pub paid_on: NaiveDate,
    pub days_in_force: i64,
    pub period_days: i64,
    pub basis: DueBasis,
}

/// How a flow's due was made, by the shape of its rule (never by the kind of its clause).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum DueBasis {
    /// A share of a revenue stream: `round(base × rate × days_in_force / period_days)`.
    Revenue(RevenueBasis),
    /// A fixed amount for the period (lump sums dated in it, or a yearly amount prorated by days).
    Fixed,
    /// `max(0, minimum − what the clauses it tops up paid in the period)`.
    TopUp { minimum: Money, topped_up: Vec<(String, Money)> },
    /// Its amount in the first period its trigger holds; zero before and after.
    Milestone,
    /// `max(0, commitment − purchases through the period)`, in the commitment's last period
    /// (`due_now`); zero in every other.
    Shortfall { commitment: Money, purchased: Money, due_now: bool },
}

/// The inputs of a revenue rule in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevenueBasis {
    /// The stream it is a share of (`openai`, `microsoft`, or another `[revenue.<name>]`), and
    /// the stream's amount in the period.
    pub stream: String,
    pub stream_amount: Money,
    /// The revenue the rule applies to over the whole period (stream × base fraction).
    pub base: Money,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub base_fraction: Decimal,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub rate: Decimal,
    pub rate_basis: Basis,
    /// Where a rate schedule changes the rate inside the period: `(rate, days)` in date order
    /// (empty when one rate covers the days in force).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<(Decimal, i64)>,
    /// Under marginal tiers: `(annual threshold, rate)` from 0 up (empty for one rate).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<(Decimal, Decimal)>,
    /// Days in the year the period falls in (annual tier thresholds scale by period/year days).
    #[serde(skip)]
    pub period_year_days: i64,
}

impl CashFlow {
    /// A revenue share OpenAI pays Microsoft: what the ledger's `share_*` columns sum.
    pub fn is_openai_to_microsoft(&self) -> bool {
        self.category == Category::Share && self.payer == Party::OpenAi && self.payee == Party::Microsoft
    }
    /// A revenue share Microsoft pays OpenAI: the `microsoft_share_*` columns.
    pub fn is_microsoft_to_openai(&self) -> bool {
        self.category == Category::Share && self.payer == Party::Microsoft && self.payee == Party::OpenAi
    }
    /// A payment (not a purchase) to Microsoft of any kind.
    pub fn is_payment_to_microsoft(&self) -> bool {
        self.category.is_payment() && self.payee == Party::Microsoft
    }
    pub fn is_payment_to_openai(&self) -> bool {
        self.category.is_payment() && self.payee == Party::OpenAi
    }
    /// The revenue rule's inputs, when it has one.
    pub fn revenue(&self) -> Option<&RevenueBasis> {
        match &self.basis {
            DueBasis::Revenue(r) => Some(r),
            _ => None,
        }
    }
}

/// One period of the ledger. `share_*` aggregate the OpenAI→Microsoft revenue shares,
/// `microsoft_share_*` the Microsoft→OpenAI ones; `other_paid_*` every other payment (top-ups,
/// fixed payments, milestones, shortfalls); purchases are apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    pub period: Period,
    pub revenue: Money,
    /// The nominal rate of the OpenAI→Microsoft share in force during the period; `None` (empty
    /// in CSV, null in JSON) when none is in force: see `share_term` for why.
    #[serde(serialize_with = "crate::money::canonical::option")]
    pub share_rate: Option<Decimal>,
    /// Whether the OpenAI→Microsoft share is in force, not yet, or ended.
    pub share_term: ShareTerm,
    pub share_due: Money,
    pub share_paid: Money,
    pub cumulative_paid: Money,
    /// Room left under the cap(s) after this period; `None` when no share is capped.
    pub cap_remaining: Option<Money>,
    pub cap_reached: bool,
    pub microsoft_revenue: Money,
    pub microsoft_share_due: Money,
    pub microsoft_share_paid: Money,
    /// Payments other than revenue shares, each way.
    pub other_paid_to_microsoft: Money,
    pub other_paid_to_openai: Money,
    /// Purchases under purchase commitments in the period (never part of the payments).
    pub purchases: Money,
    /// Net settlement: every payment to Microsoft minus every payment to OpenAI.
    pub net_to_microsoft: Money,
    pub licence: LicenceStatus,
    pub distribution: DistributionStatus,
    pub azure_first: bool,
    pub agi_clause: bool,
    /// The share of OpenAI's revenue served outside Azure (the scenario's cloud mix; 0 if none).
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    pub non_azure_share: Decimal,
    /// Whether that share is served where the distribution clause does not permit it.
    pub distribution_breach: bool,
    /// Rights that change inside the period, in date order (the columns above show a right as
    /// in force if it is on any day; these say from which day it changed).
    pub rights_changes: Vec<RightsChange>,
    /// Cash that changes hands in this period: what earlier (or this) periods accrued and whose
    /// payment day falls in it. Equal to the accrued columns when no share has a payment lag.
    pub cash_to_microsoft: Money,
    pub cash_to_openai: Money,
    pub cash_net_to_microsoft: Money,
    pub flows: Vec<CashFlow>,
}

impl fmt::Display for RightsChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}→{} from {}", self.right, self.from, self.to, self.day)
    }
}

/// Where and when a launched product is available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaunchOutcome {
    pub product: String,
    pub date: NaiveDate,
    /// On Azure from this day; `None` when Azure cannot or Microsoft chooses not to carry it.
    pub azure: Option<NaiveDate>,
    /// On other clouds from this day; `None` when not permitted or held.
    pub other_clouds: Option<NaiveDate>,
    /// The clause and reasoning that decided it (written as its sentence in files).
    #[serde(serialize_with = "serialize_display")]
    pub rule: LaunchRule,
}

fn serialize_display<S: serde::Serializer>(value: &LaunchRule, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Which term decided where a launched product ships, as data (the table and charts match on it;
/// the sentence is for readers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LaunchRule {
    /// An Azure-only distribution clause: other clouds may not serve it.
    AzureOnly { clause: String },
    /// No Azure-first clause in force on the launch day: any cloud from launch.
    NoPriority,
    /// The Azure-first exception releases it (under its reading).
    Released { clause: String, reading: crate::agreement::ExceptionReading },
    /// It ships first on Azure; other clouds `lag_days` later.
    AzureFirst { clause: String, lag_days: i64 },
    /// It must ship first on Azure, which will not carry it, and the reading does not release it.
    Held { clause: String, reading: crate::agreement::ExceptionReading },
}

impl LaunchRule {
    /// The outcome in one word, for files: `any-cloud`, `azure-first`, `released`, `held`,
    /// `azure-only`.
    pub fn state(&self) -> &'static str {
        match self {
            LaunchRule::AzureOnly { .. } => "azure-only",
            LaunchRule::NoPriority => "any-cloud",
            LaunchRule::Released { .. } => "released",
            LaunchRule::AzureFirst { .. } => "azure-first",
            LaunchRule::Held { .. } => "held",
        }
    }
}

impl fmt::Display for LaunchRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LaunchRule::AzureOnly { clause } => {
                write!(f, "`{clause}`: Azure-only distribution; other clouds may not serve it")
            }
            LaunchRule::NoPriority => f.write_str("no Azure-first clause in force; any cloud from launch"),
            LaunchRule::Released { clause, reading } => {
                write!(f, "`{clause}`: released from Azure-first (Microsoft {reading} to support it)")
            }
            LaunchRule::AzureFirst { clause, lag_days } => {
                write!(f, "`{clause}`: ships first on Azure; other clouds {lag_days} days later")
            }
            LaunchRule::Held { clause, reading } => write!(
                f,
                "`{clause}`: must ship first on Azure, which will not carry it, and the \"{reading}\" reading does not release it: held"
            ),
        }
    }
}

impl LedgerRow {
    pub fn year(&self) -> i32 {
        self.period.year
    }

    /// What the row's flows of `category` paid to `payee`.
    pub fn paid_in(&self, category: Category, payee: Party) -> Money {
        self.flows.iter().filter(|f| f.category == category && f.payee == payee).map(|f| f.paid).sum()
    }
}

impl Ledger {
    /// The kinds of cash beyond revenue shares the ledger has, each with who receives it, in
    /// category order: the extra columns a table shows (`Top-up→MS`).
    pub fn other_flows(&self) -> Vec<(Category, Party)> {
        let mut out: Vec<(Category, Party)> = self
            .rows
            .iter()
            .flat_map(|r| &r.flows)
            .filter(|f| f.category != Category::Share)
            .map(|f| (f.category, f.payee))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ledger {
    pub scenario: String,
    pub agreement: String,
    pub effective: NaiveDate,
    pub discounting: Discounting,
    pub rows: Vec<LedgerRow>,
    pub launches: Vec<LaunchOutcome>,
}

mod rights;
mod summary;

pub use rights::{yes_no, Right, RightState, RightsChange};
pub use summary::{present_value_of, ClauseTotal, PresentValue, Summary, Totals};
