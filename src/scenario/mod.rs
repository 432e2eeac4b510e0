//! Stage 1: scenario files. `raw` mirrors the TOML; this module validates it into a `Scenario`,
//! the only form the engine ever sees, so the engine never re-checks input. Every rejection is an
//! `InputError` naming the file, the span and what was expected.

mod agreements;
mod assumptions;
mod discounting;
pub mod dist;
mod error;
mod launches;
mod quarters;
mod raw;
mod revenue;
mod source;
mod uncertain;
mod values;
mod warnings;
mod write;

pub use agreements::{apply_terms, load_agreement, load_agreement_file, named_agreement, resolve_agreement};
pub use error::{nearest, suggest, InputError, InputErrorKind, Source};
pub use source::{read_source, source_from_bytes};
pub use warnings::{
    against_warnings, microsoft_revenue_basis, montecarlo_warnings, scenario_warnings,
    varied_parameter_warnings, Warning,
};

use crate::agreement::{self, Agreement, ClauseOverride, TermAssumptions};
use crate::period::Period;
use chrono::NaiveDate;
pub use discounting::{Convention, Discounting};
use raw::{RawRevenuePath, RawScenario};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
pub use values::Values;

/// Scenario and agreement files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Years a scenario may span; far more than any deal, small enough that no run is huge.
pub const MAX_YEARS: i64 = 300;
pub use crate::period::{FIRST_YEAR, LAST_YEAR};

/// Which agreement a scenario runs under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementRef {
    Builtin(String),
    /// An agreement TOML file, resolved against the scenario file's folder.
    File(PathBuf),
}

impl std::fmt::Display for AgreementRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AgreementRef::Builtin(name) => f.write_str(name),
            AgreementRef::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A validated scenario: what the world does (revenue, AGI) and what the scenario assumes about
/// the unknown terms. One revenue figure per period, in whole currency units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub agreement: AgreementRef,
    /// Whether the ledger has a row per year or per quarter.
    pub granularity: Granularity,
    pub periods: Vec<Period>,
    /// OpenAI's revenue in each period (grown at a distribution's central value where random).
    pub openai_revenue: Vec<Decimal>,
    /// Where each period's OpenAI revenue comes from: listed, or grown from the period before.
    pub openai_growth: Vec<GrowthSource>,
    /// Microsoft's revenue from OpenAI-based products in each period (zero when not given).
    pub microsoft_revenue: Vec<Decimal>,
    /// Where each period's Microsoft revenue comes from (all `Listed` when not given).
    pub microsoft_growth: Vec<GrowthSource>,
    /// Other revenue streams by name (`[revenue.azure_purchases]`), per period: what clauses such
    /// as a purchase commitment's purchases read.
    pub other_streams: Vec<(String, Vec<Decimal>)>,
    /// Assumptions about the terms, applied to the agreement before simulating.
    pub terms: TermAssumptions,
    /// Payments made before the effective date that count toward the cap (docs/SOURCES.md Q3).
    pub prior_payments_toward_cap: Decimal,
    /// The day AGI is declared, if it is. Matters only to clauses with an AGI trigger.
    pub agi_declared: Option<NaiveDate>,
    /// Probability-weighted AGI: when `assumptions.agi_declared` is a distribution, its
    /// outcomes (a date or never, each with its probability; they sum to 1) and `agi_declared`
    /// is `None`. Monte Carlo draws one per path; a single run refuses where AGI matters (an
    /// agreement with an AGI trigger) rather than pick one. Empty for a single date.
    pub agi_outcomes: Vec<AgiOutcome>,
    /// Discount rate and convention for present values.
    pub discounting: Discounting,
    /// Product launches, for the Azure-first clause.
    pub launches: Vec<Launch>,
    /// Days after Azure that other clouds get a product that must ship first on Azure.
    pub launch_lag_days: i64,
    /// The share of OpenAI's revenue served from clouds other than Azure, by calendar year.
    pub cloud_mix: Option<CloudMix>,
    /// Terms drawn once per path in Monte Carlo (a plain run uses their central values, which
    /// `terms` holds).
    pub uncertain: Uncertain,
}

impl Scenario {
    /// The names of its revenue streams, in the order `streams_in` gives their amounts:
    /// `openai`, `microsoft`, then the others in name order.
    pub fn stream_names(&self) -> Vec<String> {
        let mut names = vec!["openai".to_string(), "microsoft".to_string()];
        names.extend(self.other_streams.iter().map(|(name, _)| name.clone()));
        names
    }

    /// Each stream's amount in period `i`.
    pub fn streams_in(&self, i: usize) -> Vec<Decimal> {
        let mut amounts = vec![self.openai_revenue[i], self.microsoft_revenue[i]];
        amounts.extend(self.other_streams.iter().map(|(_, a)| a[i]));
        amounts
    }
}

/// One outcome of a probability-weighted AGI date: the day AGI is declared (`None`: never, within
/// the run) and its probability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgiOutcome {
    pub date: Option<NaiveDate>,
    pub probability: Decimal,
}

/// Probability-weighted AGI in words: "2028-01-01 (30%), never (70%)".
pub fn agi_outcomes_words(outcomes: &[AgiOutcome]) -> String {
    outcomes
        .iter()
        .map(|o| {
            let day = o.date.map_or("never".to_string(), |d| d.to_string());
            format!("{day} ({})", crate::money::percent(o.probability))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Assumptions given as distributions, for Monte Carlo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uncertain {
    /// The total cap of every capped revenue share.
    pub cap: Option<dist::Dist>,
    /// The rate of every OpenAI→Microsoft revenue share.
    pub share_rate: Option<dist::Dist>,
    /// A level factor on OpenAI's and on Microsoft's whole revenue path (`scale`), drawn once
    /// per path (a plain run multiplies by its central value).
    pub openai_scale: Option<dist::Dist>,
    pub microsoft_scale: Option<dist::Dist>,
    /// The correlation of the Gaussian copula joining a year's OpenAI and Microsoft draws (and
    /// the two scales): 0 draws them independently.
    pub revenue_correlation: Decimal,
}

/// A product launch: when, and whether Azure can and Microsoft chooses to support it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Launch {
    pub product: String,
    pub date: NaiveDate,
    pub azure_can_support: bool,
    pub microsoft_supports: bool,
}

/// How OpenAI's revenue is served across clouds, and what to do when a distribution clause does
/// not permit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudMix {
    /// Per calendar year, each cloud's share (the shares add up to 1).
    pub by_year: BTreeMap<i32, BTreeMap<String, Decimal>>,
    pub on_breach: OnBreach,
}

impl CloudMix {
    /// The share served outside Azure in `year` (zero when the year is not given).
    pub fn outside_azure(&self, year: i32) -> Decimal {
        self.by_year
            .get(&year)
            .map(|shares| shares.iter().filter(|(cloud, _)| cloud.as_str() != "azure").map(|(_, s)| *s).sum())
            .unwrap_or(Decimal::ZERO)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnBreach {
    /// Refuse to simulate: the scenario contradicts the agreement.
    Error,
    /// Simulate, and mark the periods in breach in the ledger.
    Flag,
}

/// Default lag of other clouds behind Azure for products that must ship first on Azure: an
/// assumption; [S4] expected OpenAI models on AWS "within the next 30 days".
pub const DEFAULT_LAUNCH_LAG_DAYS: i64 = 30;

/// The length of a ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Granularity {
    #[default]
    Years,
    /// Calendar quarters; each year's revenue is split across its quarters by days.
    Quarters,
}

/// How one period's revenue was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthSource {
    /// Given in `by_year`.
    Listed,
    /// Grown from the period before at this rate.
    Fixed(Decimal),
    /// Grown at a rate drawn from this distribution (its central value in a deterministic run).
    Random(dist::Dist),
    /// The amount itself drawn from this distribution of money (`by_year = { 2027 = { dist =
    /// … } }`), its central value in a deterministic run; later years grow from the drawn amount.
    Drawn(dist::Dist),
}

/// A scenario with the agreement it names, resolved and with its assumptions applied.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    /// The agreement the scenario names, before its assumptions: re-apply `scenario.terms` to it
    /// after changing them (sweeps, goal seeking).
    pub base_agreement: Agreement,
    /// `base_agreement` with the scenario's assumptions applied: what the scenario simulates.
    pub agreement: Agreement,
    pub source: Source,
}

/// Reads, validates and resolves a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, InputError> {
    let source = read_source(path)?;
    let scenario = parse(&source)?;
    let base_agreement = named_agreement(&scenario)?;
    let agreement = apply_terms(&scenario, &base_agreement, &source)?;
    Ok(Loaded { scenario, base_agreement, agreement, source })
}

/// Validates a scenario's text. The default name is the file's stem.
pub fn parse(source: &Source) -> Result<Scenario, InputError> {
    if let Some(at) =
        source.text.find("[[figures]]").filter(|at| *at == 0 || source.text[..*at].ends_with('\n'))
    {
        // A reported-figures file (scenarios/reported.toml) sits beside the scenarios.
        return Err(InputError::at(
            source,
            at..at + "[[figures]]".len(),
            InputErrorKind::Schema { message: "this is a file of reported figures, not a scenario".into() },
        )
        .with_help(format!("`dealsim calibrate {}` reads it", source.path.display())));
    }
    let raw: RawScenario = source.parse_toml()?;
    validate(source, raw)
}

/// Validates the raw mirror section by section; each section's function checks its own part.
fn validate(source: &Source, raw: RawScenario) -> Result<Scenario, InputError> {
    let v = Values::new(source);
    let name = scenario_name(source, &raw)?;
    let agreement = match &raw.agreement {
        None => AgreementRef::Builtin("revised".to_string()),
        Some(text) => {
            let reference = agreements::agreement_ref(text.get_ref(), &source.path);
            agreements::check_agreement_ref(source, text.span(), &reference)?;
            reference
        }
    };
    let revenue = revenue::paths(&v, source, &raw)?;
    let assumptions = assumptions::read(&v, &raw)?;
    let launch_lag_days = launches::launch_lag_days(source, &raw.assumptions)?;
    let launches = launches::launches(&v, &raw.launches)?;
    let cloud_mix = raw.cloud_mix.as_ref().map(|mix| launches::cloud_mix(&v, mix)).transpose()?;
    Ok(Scenario {
        name,
        description: description(source, raw.description)?,
        agreement,
        granularity: revenue.granularity,
        periods: revenue.periods,
        openai_revenue: revenue.openai_revenue,
        openai_growth: revenue.openai_growth,
        microsoft_revenue: revenue.microsoft_revenue,
        microsoft_growth: revenue.microsoft_growth,
        other_streams: revenue.other_streams,
        terms: assumptions.terms,
        prior_payments_toward_cap: assumptions.prior_payments_toward_cap,
        agi_declared: assumptions.agi_declared,
        agi_outcomes: assumptions.agi_outcomes,
        discounting: assumptions.discounting,
        launches,
        launch_lag_days,
        cloud_mix,
        uncertain: Uncertain {
            openai_scale: revenue.openai_scale,
            microsoft_scale: revenue.microsoft_scale,
            ..assumptions.uncertain
        },
    })
}

/// `description`: at most what a workbook cell holds (Excel's 32,767 characters), so `check`
/// refuses what `run` could not write.
fn description(source: &Source, text: Option<toml::Spanned<String>>) -> Result<String, InputError> {
    let Some(text) = text else { return Ok(String::new()) };
    let count = text.get_ref().chars().count();
    let limit = crate::agreement::file::MAX_TEXT;
    if count > limit {
        return Err(InputError::at(
            source,
            text.span(),
            InputErrorKind::Schema {
                message: format!(
                    "description: {count} characters; the limit is {limit} (a workbook cell holds no more)"
                ),
            },
        ));
    }
    Ok(text.into_inner())
}

/// `name = "…"`, or the file's stem: a folder name under the output directory.
fn scenario_name(source: &Source, raw: &RawScenario) -> Result<String, InputError> {
    match &raw.name {
        Some(name) => {
            check_name(name.get_ref()).map_err(|reason| {
                InputError::at(
                    source,
                    name.span(),
                    InputErrorKind::BadName { name: name.get_ref().clone(), reason },
                )
            })?;
            Ok(name.get_ref().clone())
        }
        None => default_name(&source.path).map_err(|reason| {
            InputError::at(
                source,
                0..0,
                InputErrorKind::BadName { name: source.path.display().to_string(), reason },
            )
        }),
    }
}

pub use crate::text::check_name;

fn default_name(path: &Path) -> Result<String, &'static str> {
    let stem = path.file_stem().and_then(|s| s.to_str()).ok_or("the file name is not UTF-8")?;
    check_name(stem)?;
    Ok(stem.to_string())
}
