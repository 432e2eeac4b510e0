//! Stage 1: scenario files. `raw` mirrors the TOML; this module validates it into a `Scenario`,
//! the only form the engine ever sees, so the engine never re-checks input. Every rejection is an
//! `InputError` naming the file, the span and what was expected.

mod discounting;
pub mod dist;
mod error;
mod raw;
mod values;
mod warnings;
mod write;

pub use error::{nearest, suggest, InputError, InputErrorKind, Source};
pub use warnings::{
    against_warnings, microsoft_revenue_basis, montecarlo_warnings, scenario_warnings, Warning,
};

use crate::agreement::{self, Agreement, ClauseOverride, TermAssumptions};
use crate::period::Period;
use chrono::NaiveDate;
pub use discounting::{Convention, Discounting};
use raw::{RawRevenuePath, RawScenario};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use values::Values;

/// Scenario and agreement files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Years a scenario may span; far more than any deal, small enough that no run is huge.
pub const MAX_YEARS: i64 = 300;
pub const FIRST_YEAR: i64 = 1900;
pub const LAST_YEAR: i64 = 2200;

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
    /// Assumptions about the terms, applied to the agreement before simulating.
    pub terms: TermAssumptions,
    /// Payments made before the effective date that count toward the cap (docs/SOURCES.md Q3).
    pub prior_payments_toward_cap: Decimal,
    /// The day AGI is declared, if it is. Matters only to clauses with an AGI trigger.
    pub agi_declared: Option<NaiveDate>,
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

/// Assumptions given as distributions, for Monte Carlo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uncertain {
    /// The total cap of every capped revenue share.
    pub cap: Option<dist::Dist>,
    /// The rate of every OpenAI→Microsoft revenue share.
    pub share_rate: Option<dist::Dist>,
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

/// Each year's amount split across its four quarters in proportion to their days, rounded to the
/// cent, the last quarter taking the remainder so the quarters add up to the year exactly.
fn split_by_quarter(years: &[Period], amounts: &[Decimal]) -> Vec<Decimal> {
    let mut out = Vec::with_capacity(years.len() * 4);
    for (year, amount) in years.iter().zip(amounts) {
        let mut left = *amount;
        for q in 1..=4 {
            let Some(quarter) = Period::quarter(year.year, q) else { continue };
            let share = if q == 4 {
                left
            } else {
                crate::money::round_money(
                    *amount * Decimal::from(quarter.days()) / Decimal::from(year.days()),
                )
            };
            left -= share;
            out.push(share);
        }
    }
    out
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

/// Reads a file as UTF-8 text, refusing directories, huge files and non-UTF-8 bytes.
pub fn read_source(path: &Path) -> Result<Source, InputError> {
    let unreadable =
        |e: std::io::Error| InputError::new(path, InputErrorKind::Unreadable { reason: io_reason(&e) });
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(InputError::new(path, InputErrorKind::IsADirectory));
    }
    if !metadata.is_file() {
        // A device or pipe (`/dev/zero`) has no length and may never end: say what it is.
        return Err(InputError::new(path, InputErrorKind::NotAFile { what: special_file_kind(&metadata) }));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(InputError::new(
            path,
            InputErrorKind::FileTooLarge { size: metadata.len(), limit: MAX_FILE_BYTES },
        ));
    }
    // Read at most one byte past the limit, in case the file grew since it was measured.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(unreadable)?, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(unreadable)?;
    source_from_bytes(path, bytes)
}

/// What a path that is neither a file nor a directory is, in words.
fn special_file_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = metadata;
    "not a regular file"
}

/// A file's bytes as a `Source`, refusing oversized input and non-UTF-8 bytes: the checks a file
/// on disk gets, for input that arrives another way (standard input, a fuzzer).
pub fn source_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source, InputError> {
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(InputError::new(path, InputErrorKind::FileTooLarge { size, limit: MAX_FILE_BYTES }));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        InputError::new(path, InputErrorKind::NotUtf8 { offset: e.utf8_error().valid_up_to() })
    })?;
    Ok(Source::new(path, text))
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Validates a scenario's text. The default name is the file's stem.
pub fn parse(source: &Source) -> Result<Scenario, InputError> {
    let raw: RawScenario = source.parse_toml()?;
    validate(source, raw)
}

/// The agreement the scenario names, with the scenario's term assumptions applied.
pub fn resolve_agreement(scenario: &Scenario, source: &Source) -> Result<Agreement, InputError> {
    apply_terms(scenario, &named_agreement(scenario)?, source)
}

/// The agreement the scenario names, as written (built-in or file), before its assumptions.
pub fn named_agreement(scenario: &Scenario) -> Result<Agreement, InputError> {
    match &scenario.agreement {
        AgreementRef::Builtin(name) => {
            agreement::builtin(name).ok_or_else(|| unknown_agreement(&Source::new("", ""), 0..0, name))
        }
        AgreementRef::File(path) => load_agreement_file(path),
    }
}

/// `base` with the scenario's term assumptions applied.
pub fn apply_terms(scenario: &Scenario, base: &Agreement, source: &Source) -> Result<Agreement, InputError> {
    scenario
        .terms
        .apply(base, &format!("scenario `{}`", scenario.name))
        .map_err(|e| agreement_error(source, e))
}

/// An agreement named on the command line: a built-in name, or a path to an agreement file.
pub fn load_agreement(name_or_path: &str) -> Result<Agreement, InputError> {
    // `NAME@DATE`: the version of a timeline in force on that day (an agreement is itself on
    // every day).
    if let Some((name, day)) = name_or_path.rsplit_once('@') {
        let Ok(day) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
            return Err(InputError::new(
                Path::new(name_or_path),
                InputErrorKind::BadPoint { text: day.to_string() },
            ));
        };
        let whole = load_agreement(name)?;
        return Ok(match &whole.timeline {
            Some(timeline) => timeline.version_on(day).agreement.clone(),
            None => whole,
        });
    }
    if let Some(agreement) = agreement::builtin(name_or_path) {
        return Ok(agreement);
    }
    let path = Path::new(name_or_path);
    if path.exists() || name_or_path.ends_with(".toml") {
        return load_agreement_file(path);
    }
    let known: Vec<String> = agreement::builtin_names().iter().map(|s| s.to_string()).collect();
    let with_aliases: Vec<String> =
        known.iter().cloned().chain(agreement::ALIASES.iter().map(|(a, _)| a.to_string())).collect();
    let error = InputError::new(
        path,
        InputErrorKind::UnknownAgreement {
            name: name_or_path.to_string(),
            known: known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        },
    );
    Err(match nearest(name_or_path, &with_aliases) {
        Some(k) => error.with_help(format!("did you mean `{k}`?")),
        None => error,
    })
}

/// Reads an agreement written as TOML (the schema the built-ins serialise to), or a timeline: a
/// file with `[[versions]]`, each naming an agreement (built-in, or a file relative to this one)
/// and the day it takes over.
pub fn load_agreement_file(path: &Path) -> Result<Agreement, InputError> {
    let source = read_source(path)?;
    let is_timeline = toml::from_str::<toml::Table>(&source.text).is_ok_and(|t| t.contains_key("versions"));
    let agreement =
        if is_timeline { load_timeline(path, &source)? } else { source.parse_toml::<Agreement>()? };
    agreement::check(&agreement)
        .map_err(|e| InputError::new(path, InputErrorKind::Override(e)).with_source(&source))?;
    Ok(agreement)
}

/// A timeline file as written.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    name: String,
    title: String,
    versions: Vec<RawVersion>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    agreement: toml::Spanned<String>,
    from: agreement::Sourced<chrono::NaiveDate>,
}

fn load_timeline(path: &Path, source: &Source) -> Result<Agreement, InputError> {
    let raw: RawTimeline = source.parse_toml()?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut versions = Vec::with_capacity(raw.versions.len());
    for version in raw.versions {
        let name = version.agreement.get_ref();
        let loaded = match agreement::builtin(name) {
            Some(builtin) => Ok(builtin),
            None if name.ends_with(".toml") => load_agreement_file(&folder.join(name)),
            None => Err(unknown_agreement(source, version.agreement.span(), name)),
        }?;
        versions.push(agreement::timeline::Version { agreement: loaded, from: version.from });
    }
    agreement::timeline::Timeline { name: raw.name, title: raw.title, versions }
        .compile()
        .map_err(|e| InputError::new(path, InputErrorKind::Override(e.into())).with_source(source))
}

fn unknown_agreement(source: &Source, span: std::ops::Range<usize>, name: &str) -> InputError {
    let known: Vec<String> = agreement::builtin_names().iter().map(|s| s.to_string()).collect();
    let err = InputError::at(
        source,
        span,
        InputErrorKind::UnknownAgreement {
            name: name.to_string(),
            known: known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        },
    );
    match nearest(name, &known) {
        Some(k) => err.with_help(format!("did you mean `{k}`?")),
        None => err,
    }
}

fn agreement_error(source: &Source, error: agreement::OverrideError) -> InputError {
    // Point at the override or assumption that caused it when we can find its key.
    let needle = match &error {
        agreement::OverrideError::UnknownClause { clause, .. } => Some(clause.clone()),
        agreement::OverrideError::NotApplicable { parameter, .. } => Some((*parameter).to_string()),
        // The start date as written is the value that caused it (effective_date or cap_counts_from).
        agreement::OverrideError::EndBeforeStart { clause, start, .. } => {
            let written = start.to_string();
            Some(if source.text.contains(&written) { written } else { clause.clone() })
        }
        _ => None,
    };
    let span = needle.and_then(|n| source.text.find(&n).map(|i| i..i + n.len())).unwrap_or(0..0);
    InputError::at(source, span, InputErrorKind::Override(error))
}

impl InputError {
    fn with_source(mut self, source: &Source) -> Self {
        self.source_text = Some(source.text.clone());
        self.span = Some(0..0);
        self
    }
}

fn validate(source: &Source, raw: RawScenario) -> Result<Scenario, InputError> {
    let v = Values::new(source);
    let name = match &raw.name {
        Some(name) => {
            check_name(name.get_ref()).map_err(|reason| {
                InputError::at(
                    source,
                    name.span(),
                    InputErrorKind::BadName { name: name.get_ref().clone(), reason },
                )
            })?;
            name.get_ref().clone()
        }
        None => default_name(&source.path).map_err(|reason| {
            InputError::at(
                source,
                0..0,
                InputErrorKind::BadName { name: source.path.display().to_string(), reason },
            )
        })?,
    };
    let agreement = match &raw.agreement {
        None => AgreementRef::Builtin("revised".to_string()),
        Some(text) => {
            let reference = agreement_ref(text.get_ref(), &source.path);
            check_agreement_ref(source, text.span(), &reference)?;
            reference
        }
    };

    let from = *raw.years.get_ref().from.get_ref();
    let to = *raw.years.get_ref().to.get_ref();
    for (key, year) in [("years.from", &raw.years.get_ref().from), ("years.to", &raw.years.get_ref().to)] {
        if !(FIRST_YEAR..=LAST_YEAR).contains(year.get_ref()) {
            return Err(InputError::at(
                source,
                year.span(),
                InputErrorKind::YearOutOfRange { key: key.to_string(), year: *year.get_ref() },
            ));
        }
    }
    if to < from {
        return Err(InputError::at(source, raw.years.span(), InputErrorKind::YearsReversed { from, to }));
    }
    let years: Vec<Period> =
        (from..=to).filter_map(|y| i32::try_from(y).ok().and_then(Period::calendar_year)).collect();

    let revenue = raw.revenue.get_ref();
    let (openai_revenue, openai_growth) = revenue_path(&v, "openai", &revenue.openai, &years)?;
    let microsoft_revenue = match &revenue.microsoft {
        Some(path) => revenue_path(&v, "microsoft", path, &years)?.0,
        None => vec![Decimal::ZERO; years.len()],
    };
    let granularity = match &raw.periods {
        None => Granularity::Years,
        Some(text) => match text.get_ref().as_str() {
            "years" => Granularity::Years,
            "quarters" => Granularity::Quarters,
            other => {
                return Err(InputError::at(
                    source,
                    text.span(),
                    InputErrorKind::WrongType {
                        key: "periods".into(),
                        expected: "\"years\" or \"quarters\"",
                        found: format!("\"{other}\""),
                    },
                ))
            }
        },
    };
    let (periods, openai_revenue, openai_growth, microsoft_revenue) = match granularity {
        Granularity::Years => (years, openai_revenue, openai_growth, microsoft_revenue),
        Granularity::Quarters => {
            let quarters: Vec<Period> =
                years.iter().flat_map(|y| (1..=4).filter_map(move |q| Period::quarter(y.year, q))).collect();
            let listed = vec![GrowthSource::Listed; quarters.len()];
            (
                quarters,
                split_by_quarter(&years, &openai_revenue),
                listed,
                split_by_quarter(&years, &microsoft_revenue),
            )
        }
    };

    let a = &raw.assumptions;
    let cap = a.cap.as_ref().map(|x| v.money_or_dist("assumptions.cap", x)).transpose()?;
    let share_rate =
        a.share_rate.as_ref().map(|x| v.rate_or_dist("assumptions.share_rate", x)).transpose()?;
    let uncertain = Uncertain { cap: cap.and_then(|(_, d)| d), share_rate: share_rate.and_then(|(_, d)| d) };
    let mut terms = TermAssumptions {
        cap: cap.map(|(central, _)| central),
        effective_date: a
            .effective_date
            .as_ref()
            .map(|x| v.date("assumptions.effective_date", x))
            .transpose()?,
        cap_counts_from: a
            .cap_counts_from
            .as_ref()
            .map(|x| v.date("assumptions.cap_counts_from", x))
            .transpose()?,
        share_rate: share_rate.map(|(central, _)| central),
        share_base: a.share_base.as_ref().map(|x| v.rate("assumptions.share_base", x)).transpose()?,
        azure_first_exception: a.azure_first_exception.as_ref().map(|x| v.reading(x)).transpose()?,
        clause_overrides: Vec::new(),
    };
    let prior_payments_toward_cap = a
        .prior_payments_toward_cap
        .as_ref()
        .map(|x| v.money("assumptions.prior_payments_toward_cap", x))
        .transpose()?
        .unwrap_or(Decimal::ZERO);
    let agi_declared = a.agi_declared.as_ref().map(|x| v.date("assumptions.agi_declared", x)).transpose()?;
    let mut discounting = Discounting::default();
    if let Some(rate) = &a.discount_rate {
        discounting.rate = v.rate("assumptions.discount_rate", rate)?;
    }
    if let Some(convention) = &a.discounting {
        discounting.convention = v.convention(convention)?;
    }

    let launch_lag_days = match &a.launch_lag_days {
        None => DEFAULT_LAUNCH_LAG_DAYS,
        Some(days) if (0..=3650).contains(days.get_ref()) => *days.get_ref(),
        Some(days) => {
            return Err(InputError::at(
                source,
                days.span(),
                InputErrorKind::WrongType {
                    key: "assumptions.launch_lag_days".into(),
                    expected: "a whole number of days from 0 to 3650",
                    found: days.get_ref().to_string(),
                },
            ))
        }
    };
    let mut launches = Vec::with_capacity(raw.launches.len());
    for launch in &raw.launches {
        let l = launch.get_ref();
        launches.push(Launch {
            product: l.product.get_ref().clone(),
            date: v.date("launches.date", &l.date)?,
            azure_can_support: *l.azure_can_support.get_ref(),
            microsoft_supports: *l.microsoft_supports.get_ref(),
        });
    }
    let cloud_mix = match &raw.cloud_mix {
        None => None,
        Some(mix) => Some(cloud_mix(&v, mix)?),
    };
    for (clause, table) in &raw.overrides {
        terms.clause_overrides.extend(clause_overrides(&v, clause.get_ref(), table.get_ref())?);
    }

    Ok(Scenario {
        name,
        description: raw.description.unwrap_or_default(),
        agreement,
        granularity,
        periods,
        openai_revenue,
        openai_growth,
        microsoft_revenue,
        terms,
        prior_payments_toward_cap,
        agi_declared,
        discounting,
        launches,
        launch_lag_days,
        cloud_mix,
        uncertain,
    })
}

fn agreement_ref(text: &str, scenario_path: &Path) -> AgreementRef {
    if text.ends_with(".toml") || text.contains('/') || text.contains('\\') {
        let relative = Path::new(text);
        let resolved = if relative.is_absolute() {
            relative.to_path_buf()
        } else {
            scenario_path.parent().unwrap_or(Path::new("")).join(relative)
        };
        AgreementRef::File(resolved)
    } else {
        AgreementRef::Builtin(text.to_string())
    }
}

/// Catches a misspelt built-in or a missing agreement file here, where the scenario's line is
/// known, rather than later.
fn check_agreement_ref(
    source: &Source,
    span: std::ops::Range<usize>,
    reference: &AgreementRef,
) -> Result<(), InputError> {
    match reference {
        AgreementRef::Builtin(name) if agreement::builtin(name).is_none() => {
            Err(unknown_agreement(source, span, name))
        }
        AgreementRef::File(path) => match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Ok(()),
            Ok(m) => Err(InputError::at(
                source,
                span,
                InputErrorKind::AgreementFile {
                    path: path.display().to_string(),
                    reason: if m.is_dir() {
                        "it is a directory".into()
                    } else {
                        format!("it is {}, not a file", special_file_kind(&m))
                    },
                },
            )),
            Err(e) => Err(InputError::at(
                source,
                span,
                InputErrorKind::AgreementFile { path: path.display().to_string(), reason: io_reason(&e) },
            )),
        },
        AgreementRef::Builtin(_) => Ok(()),
    }
}

/// A scenario name becomes a folder under the output directory, so it must be one plain,
/// portable path component.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.len() > 64 {
        return Err("it is longer than 64 characters");
    }
    if name.contains(['/', '\\']) {
        return Err("it contains a path separator");
    }
    if name.starts_with('.') {
        return Err("it starts with a dot");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err("use only letters, digits, `-`, `_` and `.` (no spaces)");
    }
    Ok(())
}

fn default_name(path: &Path) -> Result<String, &'static str> {
    let stem = path.file_stem().and_then(|s| s.to_str()).ok_or("the file name is not UTF-8")?;
    check_name(stem)?;
    Ok(stem.to_string())
}

/// A revenue path: listed years as given, other years grown from the year before.
fn revenue_path(
    v: &Values,
    path_name: &str,
    path: &toml::Spanned<RawRevenuePath>,
    periods: &[Period],
) -> Result<(Vec<Decimal>, Vec<GrowthSource>), InputError> {
    let raw = path.get_ref();
    let key = |suffix: &str| format!("revenue.{path_name}.{suffix}");
    let mut listed: BTreeMap<i32, Decimal> = BTreeMap::new();
    for (year_key, amount) in &raw.by_year {
        let year = year_key_in(v, year_key, &format!("revenue.{path_name}.by_year"))?;
        listed.insert(year, v.money(&key(&format!("by_year.{year}")), amount)?);
    }
    let growth = match &raw.growth {
        Some(g) => Some(v.growth(&key("growth"), g)?),
        None => None,
    };
    let mut out: Vec<Decimal> = Vec::with_capacity(periods.len());
    let mut sources = Vec::with_capacity(periods.len());
    for period in periods {
        let rate = growth.as_ref().and_then(|g| g.for_year(period.year));
        let amount = match (listed.get(&period.year), out.last(), rate) {
            (Some(amount), _, _) => *amount,
            (None, Some(previous), Some(rate)) => previous
                .checked_mul(Decimal::ONE + rate)
                .map(crate::money::round_money)
                .filter(|x| *x <= crate::money::MAX_MONEY)
                .ok_or_else(|| {
                    // The growth that compounded past the limit is what to change: point at it.
                    let span = raw.growth.as_ref().map_or(path.span(), |g| g.span());
                    InputError::at(
                        v.source(),
                        span,
                        InputErrorKind::RevenueOverflow { path: path_name.to_string(), year: period.year },
                    )
                })?,
            _ => {
                let help = match (&growth, out.is_empty()) {
                    (Some(_), true) => {
                        format!("the first year ({}) must be listed in `by_year`", period.year)
                    }
                    (Some(_), false) => {
                        format!("list {0} in `by_year`, or give a growth rate for {0}", period.year)
                    }
                    (None, _) => {
                        format!(
                            "list {} in `by_year`, or add `growth` to grow it from the year before",
                            period.year
                        )
                    }
                };
                return Err(InputError::at(
                    v.source(),
                    path.span(),
                    InputErrorKind::MissingRevenue { path: path_name.to_string(), year: period.year },
                )
                .with_help(help));
            }
        };
        sources.push(match (listed.contains_key(&period.year), &growth, rate) {
            (true, _, _) => GrowthSource::Listed,
            (false, Some(values::Growth::Random(dist)), _) => GrowthSource::Random(*dist),
            (false, _, rate) => GrowthSource::Fixed(rate.unwrap_or_default()),
        });
        out.push(amount);
    }
    Ok((out, sources))
}

/// A table key that must be a year within range, e.g. the `2026` of `by_year = { 2026 = … }`.
fn year_key_in(v: &Values, key: &toml::Spanned<String>, table: &str) -> Result<i32, InputError> {
    key.get_ref()
        .trim()
        .parse()
        .ok()
        .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(&i64::from(*y)))
        .ok_or_else(|| {
            InputError::at(
                v.source(),
                key.span(),
                InputErrorKind::NotAYear { table: table.to_string(), key: key.get_ref().clone() },
            )
        })
}

fn cloud_mix(v: &Values, raw: &toml::Spanned<raw::RawCloudMix>) -> Result<CloudMix, InputError> {
    let r = raw.get_ref();
    let on_breach = match &r.on_breach {
        None => OnBreach::Flag,
        Some(text) => match text.get_ref().as_str() {
            "flag" => OnBreach::Flag,
            "error" => OnBreach::Error,
            other => {
                return Err(InputError::at(
                    v.source(),
                    text.span(),
                    InputErrorKind::WrongType {
                        key: "cloud_mix.on_breach".into(),
                        expected: "\"flag\" or \"error\"",
                        found: format!("\"{other}\""),
                    },
                ))
            }
        },
    };
    let mut by_year = BTreeMap::new();
    for (year_key, shares) in &r.by_year {
        let year = year_key_in(v, year_key, "cloud_mix.by_year")?;
        let mut parsed = BTreeMap::new();
        for (cloud, share) in shares.get_ref() {
            parsed.insert(
                cloud.to_ascii_lowercase(),
                v.rate(&format!("cloud_mix.by_year.{year}.{cloud}"), share)?,
            );
        }
        let total: Decimal = parsed.values().sum();
        if total != Decimal::ONE {
            return Err(InputError::at(
                v.source(),
                shares.span(),
                InputErrorKind::Schema {
                    message: format!(
                        "cloud_mix.by_year.{year}: the shares add up to {}, not 1",
                        total.normalize()
                    ),
                },
            ));
        }
        by_year.insert(year, parsed);
    }
    Ok(CloudMix { by_year, on_breach })
}

fn clause_overrides(
    v: &Values,
    clause: &str,
    raw: &raw::RawClauseOverride,
) -> Result<Vec<ClauseOverride>, InputError> {
    let key = |param: &str| format!("overrides.{clause}.{param}");
    let clause = clause.to_string();
    let mut out = Vec::new();
    if let Some(x) = &raw.rate {
        out.push(ClauseOverride::Rate { clause: clause.clone(), rate: v.rate(&key("rate"), x)? });
    }
    if let Some(x) = &raw.cap {
        out.push(ClauseOverride::Cap { clause: clause.clone(), amount: v.money(&key("cap"), x)? });
    }
    if let Some(x) = &raw.base_fraction {
        out.push(ClauseOverride::BaseFraction {
            clause: clause.clone(),
            fraction: v.rate(&key("base_fraction"), x)?,
        });
    }
    if let Some(x) = &raw.start {
        out.push(ClauseOverride::Start { clause: clause.clone(), date: v.date(&key("start"), x)? });
    }
    if let Some(x) = &raw.end {
        out.push(ClauseOverride::End { clause: clause.clone(), date: v.date(&key("end"), x)? });
    }
    if let Some(x) = &raw.exclusive {
        out.push(ClauseOverride::Exclusive {
            clause: clause.clone(),
            exclusive: v.boolean(&key("exclusive"), x)?,
        });
    }
    if let Some(x) = &raw.clouds {
        out.push(ClauseOverride::Clouds { clause: clause.clone(), clouds: v.clouds(x)? });
    }
    if let Some(x) = &raw.exception {
        out.push(ClauseOverride::Exception { clause, reading: v.reading(x)? });
    }
    Ok(out)
}
