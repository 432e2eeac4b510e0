//! `dealsim verify`: searches random scenarios for one under which an agreement breaks an
//! invariant it declares, with proptest's runner and shrinking used as a library (not
//! hand-written): a failure is shrunk to a minimal scenario (fewer years, smaller revenue, fewer
//! assumptions) and returned as a scenario file that `dealsim run` reproduces.
//!
//! What is drawn (documented in the README): a first year 2019–2032 and 1–12 years; OpenAI's
//! and Microsoft's revenue per year, 0–300B and 0–100B in steps of 1M (and 0–100B for any other
//! stream the agreement reads, such as a purchase commitment's); and, each optional, a
//! `cap` 0–200B, `cap_counts_from` in 2025–2027, `prior_payments_toward_cap` 0–20B, a
//! `share_rate` 0–50% and an `agi_declared` date in 2019–2034. Scenarios the scenario stage or
//! the agreement refuses are skipped, not counted as failures. The same seed gives the same
//! cases and the same counterexample.

use super::invariants::{check, Violation};
use crate::agreement::Agreement;
use crate::engine::simulate;
use crate::scenario::{self, Scenario, Source};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::fmt::Write as _;

/// One random scenario, as drawn (what proptest shrinks).
#[derive(Debug, Clone)]
struct Draw {
    first: i32,
    years: usize,
    openai_millions: Vec<u64>,
    microsoft_millions: Vec<u64>,
    /// Every other stream the agreement reads (purchases: `[revenue.<name>]`), one path for all.
    other_millions: Vec<u64>,
    cap_millions: Option<u64>,
    cap_counts_from: Option<i64>,
    prior_millions: Option<u64>,
    share_rate_bp: Option<u32>,
    agi_declared: Option<i64>,
}

fn draws() -> impl Strategy<Value = Draw> {
    (
        // The first year as an offset that shrinks toward 2026 (the revision), alternating
        // 2026, 2025, 2027, 2024, … so a shrunk case starts where the terms are.
        (0i32..=13, 1usize..=12),
        prop::collection::vec(0u64..=300_000, 12),
        (prop::collection::vec(0u64..=100_000, 12), prop::collection::vec(0u64..=100_000, 12)),
        prop::option::of(0u64..=200_000),
        prop::option::of(0i64..=1094),
        prop::option::of(0u64..=20_000),
        prop::option::of(0u32..=5_000),
        prop::option::of(0i64..=5843),
    )
        .prop_map(|((offset, years), openai, (microsoft, other), cap, counts_from, prior, rate, agi)| {
            Draw {
                first: 2026 + if offset % 2 == 0 { offset / 2 } else { -(offset + 1) / 2 },
                years,
                openai_millions: openai,
                microsoft_millions: microsoft,
                other_millions: other,
                cap_millions: cap,
                cap_counts_from: counts_from,
                prior_millions: prior,
                share_rate_bp: rate,
                agi_declared: agi,
            }
        })
}

fn day(from: NaiveDate, days: i64) -> NaiveDate {
    from + Duration::days(days)
}

fn start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

impl Draw {
    /// The scenario file this draw stands for, under `agreement` (a built-in name or a path),
    /// with a path for each of `streams` (the others the agreement reads).
    fn to_toml(&self, agreement: &str, streams: &[String]) -> String {
        let mut text = String::new();
        let years: Vec<i32> = (0..self.years).map(|k| self.first + k as i32).collect();
        let path = |millions: &[u64]| {
            years.iter().zip(millions).map(|(y, m)| format!("{y} = \"{m}M\"")).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(
            text,
            "# A scenario `dealsim verify` found breaking an invariant of `{agreement}`, shrunk"
        );
        let _ = writeln!(text, "# to a minimal one. Reproduce with: dealsim run THIS-FILE");
        let _ = writeln!(text, "name = \"counterexample\"");
        let _ = writeln!(text, "agreement = {}", toml::Value::String(agreement.to_string()));
        let _ = writeln!(
            text,
            "years = {{ from = {}, to = {} }}",
            self.first,
            self.first + self.years as i32 - 1
        );
        let _ = writeln!(text, "\n[revenue.openai]\nby_year = {{ {} }}", path(&self.openai_millions));
        let _ = writeln!(text, "\n[revenue.microsoft]\nby_year = {{ {} }}", path(&self.microsoft_millions));
        for stream in streams {
            let _ = writeln!(text, "\n[revenue.{stream}]\nby_year = {{ {} }}", path(&self.other_millions));
        }
        let _ = writeln!(text, "\n[assumptions]");
        if let Some(cap) = self.cap_millions {
            let _ = writeln!(text, "cap = \"{cap}M\"");
        }
        if let Some(d) = self.cap_counts_from {
            let _ = writeln!(text, "cap_counts_from = {}", day(start(2025), d));
        }
        if let Some(prior) = self.prior_millions {
            let _ = writeln!(text, "prior_payments_toward_cap = \"{prior}M\"");
        }
        if let Some(bp) = self.share_rate_bp {
            let _ = writeln!(text, "share_rate = \"{}\"", rust_decimal::Decimal::new(i64::from(bp), 4));
        }
        if let Some(d) = self.agi_declared {
            let _ = writeln!(text, "agi_declared = {}", day(start(2019), d));
        }
        text
    }
}

/// The revenue streams besides OpenAI's and Microsoft's that `agreement`'s clauses read.
fn other_streams(agreement: &Agreement) -> Vec<String> {
    let mut out: Vec<String> = agreement
        .clauses
        .iter()
        .flat_map(|c| c.streams())
        .filter(|s| !matches!(*s, "openai" | "microsoft"))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What a search found.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Every invariant held on every case checked (`checked` may fall short of the cases asked
    /// for when too many draws were refused inputs).
    Holds { checked: u32, invariants: usize, skipped: u32 },
    /// A minimal scenario that breaks at least one invariant, as a scenario file, and what breaks.
    Broken { scenario_toml: String, violations: Vec<Violation> },
}

/// The scenario a draw stands for, the agreement with its assumptions, and what breaks; `None`
/// when the scenario or the agreement refuses it (not a counterexample).
fn try_case(base: &Agreement, reference: &str, draw: &Draw) -> Option<(Scenario, Vec<Violation>)> {
    let source = Source::new("counterexample.toml", draw.to_toml(reference, &other_streams(base)));
    let scenario: Scenario = scenario::parse(&source).ok()?;
    let agreement = scenario.terms.apply(base, "verify").ok()?;
    let ledger = simulate(&agreement, &scenario).ok()?;
    let violations = check(&agreement, &scenario, &ledger).ok()?;
    Some((scenario, violations))
}

/// Searches `cases` random scenarios (seeded by `seed`) for one under which `base` (named by
/// `reference` in the scenario file: a built-in name or an agreement file's absolute path)
/// breaks an invariant it declares.
pub fn verify(base: &Agreement, reference: &str, cases: u32, seed: u64) -> Verdict {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_global_rejects: cases.saturating_mul(4).max(1024),
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let (checked, skipped) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let result = runner.run(&draws(), |draw| match try_case(base, reference, &draw) {
        None => {
            skipped.set(skipped.get() + 1);
            Err(TestCaseError::reject("refused input"))
        }
        Some((_, violations)) if violations.is_empty() => {
            checked.set(checked.get() + 1);
            Ok(())
        }
        Some((_, violations)) => Err(TestCaseError::fail(violations[0].to_string())),
    });
    match result {
        Err(TestError::Fail(_, minimal)) => {
            let violations = try_case(base, reference, &minimal).map(|(_, v)| v).unwrap_or_default();
            Verdict::Broken { scenario_toml: minimal.to_toml(reference, &other_streams(base)), violations }
        }
        // `Abort`: too many refused inputs to reach `cases`; what was checked held.
        Ok(()) | Err(TestError::Abort(_)) => Verdict::Holds {
            checked: checked.get(),
            invariants: base.invariants.len(),
            skipped: skipped.get(),
        },
    }
}
