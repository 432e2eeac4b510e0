//! `dealsim verify`: random scenarios against an agreement's declared invariants; a break is
//! shrunk to a minimal scenario and written as a file `dealsim run` reproduces.

use super::super::{say, write_all, wrote};
use crate::analysis::verify::{verify, Verdict};
use crate::error::Error;
use crate::report::OutputOptions;
use crate::report::StagedFile;
use crate::scenario;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most cases one run checks: about three minutes here (≈6,000 cases a second on one core).
const MAX_CASES: u32 = 1_000_000;
/// Measured rate, for the refusal's estimate.
const CASES_PER_HOUR: u64 = 20_000_000;
/// Above this many cases the run says it has started (it prints nothing else until it ends).
const SAY_WHEN_LONGER_THAN: u32 = 100_000;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim verify revised
  dealsim verify scenarios/agreements/microsoft-openai.toml --cases 1000 --seed 7
  dealsim verify my-agreement.toml --out results")]
pub struct Args {
    /// A built-in agreement or timeline name, or an agreement or timeline file.
    pub agreement: String,
    /// How many random scenarios to check (at most 1,000,000, about three minutes; search further
    /// with more seeds).
    #[arg(long, default_value_t = 256)]
    pub cases: u32,
    /// Random seed: the same seed checks the same scenarios and finds the same counterexample.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where a counterexample is written: OUT/verify/<agreement>/counterexample.toml.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let base = scenario::load_agreement(&args.agreement).map_err(Error::from)?;
    if args.cases == 0 {
        return Err(vec![Error::Usage("--cases must be at least 1".into())]);
    }
    if args.cases > MAX_CASES {
        return Err(vec![Error::Usage(format!(
            "--cases {} would take about {} hours: at most {MAX_CASES} cases a run (about three minutes); \
             search further with more runs under other seeds (--seed 1, --seed 2, …)",
            args.cases,
            (u64::from(args.cases) / CASES_PER_HOUR).max(1)
        ))]);
    }
    if args.cases >= SAY_WHEN_LONGER_THAN {
        eprintln!(
            "verify `{}`: checking {} random scenarios (about a minute for each 300,000)…",
            base.name, args.cases
        );
    }
    // The scenario file names the agreement as `run` will find it: a built-in by name, a file by
    // its absolute path (the counterexample is written elsewhere).
    let reference = match crate::agreement::builtin(&args.agreement) {
        Some(_) => args.agreement.clone(),
        None => std::fs::canonicalize(Path::new(&args.agreement))
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| args.agreement.clone()),
    };
    if base.invariants.is_empty() {
        return say(
            out,
            &format!(
                "`{}` declares no invariants: nothing to verify (see README \"Verifying your own terms\")",
                base.name
            ),
        );
    }
    match verify(&base, &reference, args.cases, args.seed) {
        Verdict::Holds { checked, invariants, skipped } => say(
            out,
            &format!(
                "verify `{}`: {invariants} {} on {checked} random scenarios (seed {}{})",
                base.name,
                if invariants == 1 { "invariant holds" } else { "invariants hold" },
                args.seed,
                if skipped > 0 { format!("; {skipped} refused inputs skipped") } else { String::new() }
            ),
        ),
        Verdict::Broken { scenario_toml, violations } => {
            let file = StagedFile::new(
                crate::report::Output::Counterexample.in_folder(&args.out.join("verify").join(&base.name)),
                scenario_toml.into_bytes(),
            );
            write_all(std::slice::from_ref(&file), &args.agreement, options)?;
            say(out, &wrote(std::slice::from_ref(&file)))?;
            Err(vec![Error::Counterexample {
                agreement: base.name.clone(),
                file: file.path.display().to_string(),
                violations,
            }])
        }
    }
}
