//! Stage 6: analyses built on the engine: running one scenario under two agreements and
//! attributing the difference to each change of terms. Never re-implements the rules: every
//! figure here comes from `engine::simulate`.

pub mod against;
pub mod calibrate;
pub mod explain;
pub mod goalseek;
pub mod invariants;
pub mod montecarlo;
pub mod params;
pub mod sensitivity;
pub mod shapley;
pub mod sketch;
pub mod sweep;
pub mod variants;
pub mod verify;

/// Why an analysis (sweep, sensitivity, goal seek, Monte Carlo, calibrate) could not give an
/// answer: typed here, rendered for people at the CLI edge (`Error::Analysis`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Param(#[from] params::ParamError),
    #[error(transparent)]
    Terms(#[from] crate::agreement::OverrideError),
    #[error(transparent)]
    Sim(#[from] crate::ledger::SimError),
    /// One point of a sweep failed: `at cap=20B, growth=10%: …`.
    #[error("at {at}: {source}")]
    AtPoint { at: String, source: Box<AnalysisError> },
    /// One end of a sensitivity range failed: `share_rate = 25%: …`.
    #[error("{param} = {value}: {source}")]
    AtInput { param: String, value: String, source: Box<AnalysisError> },
    /// Goal seeking could not simulate an input it tried.
    #[error(
        "at {param} = {value}: {source}; give a narrower --range LO..HI (the range tried was {lo}..{hi})"
    )]
    AtSeek { param: String, value: String, lo: String, hi: String, source: Box<AnalysisError> },
    #[error(
        "the grid has {points} points (a sweep.csv of about {megabytes} MB); the limit is {limit} points"
    )]
    GridTooLarge { points: usize, megabytes: u128, limit: usize },
    #[error("{count} variants (every combination of the --set values); the limit is {limit}: use `dealsim sweep` for a grid")]
    TooManyVariants { count: usize, limit: usize },
    #[error("--against draws each path's revenue once for both agreements, but this scenario also draws its cap or rate per path, which the comparison does not share between them; give the cap and rate as single values")]
    UncertainAgainst,
    #[error("--weights add up to {total}; they must add up to exactly 100%, one per scenario file")]
    Weights { total: String },
    #[error("weighted scenarios must have the same periods: {first} against {other}")]
    WeightedPeriods { first: String, other: String },
    #[error("the range {lo}..{hi} is empty")]
    EmptyRange { lo: String, hi: String },
    #[error("`{text}` is not NAME=VALUE (paid=30B, net=…, pv=…, cap_year=2028)")]
    TargetShape { text: String },
    #[error("--target {name}: {error}{}", error.hint().map(|h| format!("; {h}")).unwrap_or_default())]
    TargetAmount { name: String, error: crate::money::AmountError },
    #[error("--target {name}: `{value}` is not a year")]
    TargetYear { name: &'static str, value: String },
    #[error("unknown target `{name}`{}; expected paid, net, pv, cap_year (in or before the year) or cap_year_exactly", hint.as_ref().map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default())]
    UnknownTarget { name: String, hint: Option<String> },
    #[error("--paths must be between 1 and {max}")]
    Paths { max: u64 },
    #[error("an uncertain cap or rate needs every amount in whole cents (no sub-cent digits)")]
    UncertainNeedsCents,
    #[error("an uncertain cap or rate cannot be combined with rate tiers yet; draw growth only, or remove the tiers")]
    UncertainWithTiers,
    #[error("a path's revenue grew past what exact arithmetic can hold; narrow the growth distribution")]
    PathOverflow,
    #[error("{readings} combination(s) of readings × {samples} sample(s) is more than {limit} simulations (samples must be 1 to 1,000,000); give fewer --samples or fewer readings")]
    CalibrationSize { samples: usize, readings: usize, limit: usize },
    #[error("scenario `{scenario}` draws its cap or share rate from a distribution; in calibrate the undisclosed terms are the file's [priors]: give it there (`[priors] cap = {{ dist = \"uniform\", … }}`) and a single value in the scenario")]
    CalibrationDrawnTerms { scenario: String },
    #[error("scenario `{scenario}` is by quarter and draws its revenue from a distribution; revenue is drawn per year (as in montecarlo): give it by year, or its quarters as fixed amounts")]
    CalibrationQuarterlyDraws { scenario: String },
    /// No reading the priors allow can produce a report (an exact year missed by every sample).
    #[error("the reports contradict every reading within the priors: no sample produces `{figure}` = {reported}; widen the priors, or give the figure a tolerance")]
    Contradicted { figure: String, reported: String },
    /// A Monte Carlo shard, or a merge of them, that cannot be run or read.
    #[error(transparent)]
    Shard(Box<montecarlo::shard::ShardError>),
    /// Ctrl-C: the run stopped between chunks; nothing was written.
    #[error("interrupted; nothing was written")]
    Interrupted,
}

impl From<montecarlo::shard::ShardError> for AnalysisError {
    fn from(error: montecarlo::shard::ShardError) -> Self {
        AnalysisError::Shard(Box::new(error))
    }
}

impl AnalysisError {
    /// 1 for a question with no answer (reports no reading can produce), 2 for what the inputs
    /// or flags caused (Ctrl-C's 130 is the CLI's).
    pub fn exit_code(&self) -> u8 {
        match self {
            AnalysisError::Contradicted { .. } => 1,
            AnalysisError::AtPoint { source, .. }
            | AnalysisError::AtInput { source, .. }
            | AnalysisError::AtSeek { source, .. } => source.exit_code(),
            _ => 2,
        }
    }
}
