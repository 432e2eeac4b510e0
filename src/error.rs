//! The library's error type: every failure a command can report, with its exit status.

use crate::analysis::invariants::Violation;
use crate::analysis::AnalysisError;
use crate::engine::SimError;
use crate::report::OutputError;
use crate::scenario::InputError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A mistake in a user's file or arguments (exit status 2).
    #[error(transparent)]
    Input(Box<InputError>),
    /// A figure overflowed while simulating: the inputs are too large to compute (exit status 2).
    #[error("scenario `{scenario}`: {source}")]
    Simulation { scenario: String, source: SimError },
    /// A command-line value that no file is to blame for (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// An analysis (sweep, sensitivity, goal seek, Monte Carlo, calibrate) that could not answer,
    /// typed to the edge; `context` says where (`--set `, `sweep: `). Exit status by its kind: 1
    /// for a question with no answer, 2 for what the inputs or flags caused.
    #[error("{context}{source}")]
    Analysis { context: String, source: Box<AnalysisError> },
    /// The run breaks a promise its agreement declares (exit status 1): the terms as written, or
    /// the scenario's assumptions, contradict them. Nothing is written.
    #[error(
        "scenario `{scenario}` breaks {} of `{agreement}`'s invariants; nothing was written:\n{}",
        how_many(violations),
        listed(violations)
    )]
    Invariants { scenario: String, agreement: String, violations: Vec<Violation> },
    /// `verify` found a scenario under which the agreement breaks a promise (exit status 1).
    #[error(
        "`{agreement}` breaks {} of its invariants on the scenario in {file} (shrunk to a minimal one):\n{}\nreproduce: dealsim run {file}",
        how_many(violations),
        listed(violations)
    )]
    Counterexample { agreement: String, file: String, violations: Vec<Violation> },
    /// A question with no answer: `goalseek` found no input in its range that reaches the target
    /// (exit status 1). The message says how close the range got.
    #[error("{0}")]
    NoSolution(String),
    /// Writing output failed (exit status 1).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Writing to the terminal failed for a reason other than a closed pipe (exit status 1).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

/// "one", or the number of broken invariants.
fn how_many(violations: &[Violation]) -> String {
    if violations.len() == 1 {
        "one".to_string()
    } else {
        violations.len().to_string()
    }
}

/// Broken invariants, one per line.
fn listed(violations: &[Violation]) -> String {
    violations.iter().map(|v| format!("  - {v}")).collect::<Vec<_>>().join("\n")
}

impl From<InputError> for Error {
    fn from(error: InputError) -> Self {
        Error::Input(Box::new(error))
    }
}

impl Error {
    /// An analysis that could not answer, `context` saying where (`--set `, `sweep: `; may be
    /// empty): the one way every layer wraps an `AnalysisError`.
    pub fn analysis(context: &str, source: impl Into<AnalysisError>) -> Error {
        Error::Analysis { context: context.to_string(), source: Box::new(source.into()) }
    }

    /// 2 for anything the user's input caused, 1 for anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) | Error::Simulation { .. } | Error::Usage(_) => 2,
            Error::Analysis { source, .. } => source.exit_code(),
            Error::Invariants { .. }
            | Error::Counterexample { .. }
            | Error::NoSolution(_)
            | Error::Output(_)
            | Error::Stdout(_) => 1,
        }
    }
}
