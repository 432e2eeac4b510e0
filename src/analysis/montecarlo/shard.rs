//! A Monte Carlo run cut into shards that run anywhere and merge exactly.
//!
//! Paths run in chunks of `CHUNK`, each drawn from its own random stream of the seed (`run_chunk`),
//! so shard `i` of `n` is a range of chunk indices and its paths are the ones the whole run would
//! draw there. A shard keeps its accumulator (integer bins, exact extremes, integer cap counts)
//! as a `ShardSketch`; merging adds counts, so the merged shards are, bin for bin, the run one
//! machine would have made, and its percentiles and files are byte for byte the same.

use super::accumulate::Accumulator;
use super::{Plan, CHUNK};
use crate::analysis::sketch::{Sketch, SketchRecord};
use crate::analysis::AnalysisError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::Range;

/// What a sketch file says it is, so another JSON file is refused by name.
pub const FORMAT: &str = "dealsim-montecarlo-sketch";
/// Raised when the file's layout changes; a merge refuses another version.
pub const VERSION: u32 = 1;

/// Part `index` (1-based) of `of` equal parts of a run's chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub of: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, of: 1 };

    /// `3/16`: the third of sixteen parts.
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError::Spec { text: text.to_string() };
        let (index, of) = text.split_once('/').ok_or_else(bad)?;
        let (index, of) = (index.trim().parse().map_err(|_| bad())?, of.trim().parse().map_err(|_| bad())?);
        Shard::new(index, of).ok_or_else(bad)
    }

    /// `None` unless `1 <= index <= of`.
    pub fn new(index: u64, of: u64) -> Option<Shard> {
        (index >= 1 && index <= of).then_some(Shard { index, of })
    }

    /// The chunk indices this part runs of a run of `paths` paths: the chunks split as evenly as
    /// they go (a part may be empty when there are more parts than chunks).
    pub fn chunks(&self, paths: u64) -> Range<u64> {
        let chunks = u128::from(paths.div_ceil(CHUNK));
        let edge = |i: u64| (chunks * u128::from(i) / u128::from(self.of)) as u64;
        edge(self.index - 1)..edge(self.index)
    }
}

impl Shard {
    /// How many of a run's `paths` paths this part runs (the last chunk may be short).
    pub fn paths(&self, paths: u64) -> u64 {
        let chunks = self.chunks(paths);
        (chunks.end * CHUNK).min(paths).saturating_sub(chunks.start * CHUNK)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.of)
    }
}

/// Why shards cannot be read or merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("--shard `{text}` is not I/N with 1 <= I <= N (e.g. 3/16: the third of sixteen parts)")]
    Spec { text: String },
    #[error("not a dealsim Monte Carlo sketch ({reason}); write one with `dealsim montecarlo FILE --shard I/N --sketch-out FILE`")]
    NotASketch { reason: String },
    #[error("a sketch of version {found}; this dealsim reads version {VERSION}: run every shard and the merge with the same dealsim")]
    Version { found: u32 },
    #[error("the sketch's {what} is damaged; run its shard again")]
    Damaged { what: String },
    #[error("the shards are of different runs: {what} is {first} in one and {other} in another")]
    Mismatch { what: &'static str, first: String, other: String },
    #[error("shard {shard} is given twice")]
    Repeated { shard: Shard },
    #[error("shard(s) {missing} of {of} are missing: merge every shard of the run")]
    Missing { missing: String, of: u64 },
    #[error("{file} has changed since its shards ran: run them again, or merge with the file they ran")]
    Changed { file: String },
    #[error("nothing to merge: give the sketch files of every shard")]
    Empty,
}

/// The run a set of shards belongs to: every shard must agree on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// The scenario's name and its file as the shard was given it (the merge reads it again).
    pub scenario: String,
    pub scenario_file: String,
    /// FNV-1a of the scenario file's text, in hex: the merge refuses a file changed since.
    pub scenario_fingerprint: String,
    pub agreement: String,
    pub paths: u64,
    pub seed: u64,
    /// The dealsim that ran it: the same seed draws the same paths only in the same version.
    pub dealsim: String,
}

/// FNV-1a (64-bit) of `text`, as 16 hex digits: a fingerprint, not a defence against tampering.
pub fn fingerprint(text: &str) -> String {
    let hash =
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}")
}

/// One or more shards of a run, merged: the JSON a `--sketch-out` file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardSketch {
    pub format: String,
    pub version: u32,
    pub run: RunIdentity,
    /// How many parts the run was cut into, and which of them this holds.
    pub of: u64,
    pub shards: BTreeSet<u64>,
    pub periods: Vec<String>,
    revenue: Vec<SketchRecord>,
    /// Empty when Microsoft's revenue is the same on every path.
    microsoft_revenue: Vec<SketchRecord>,
    paid: Vec<SketchRecord>,
    cumulative: Vec<SketchRecord>,
    cap_reached: Vec<u64>,
    total: SketchRecord,
    present_value: SketchRecord,
}

impl ShardSketch {
    /// Runs `shard` of the run `run` describes (its paths and seed) on `plan`.
    pub fn run(
        plan: &Plan,
        run: RunIdentity,
        shard: Shard,
        tick: &(dyn Fn(u64) + Sync),
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<ShardSketch, AnalysisError> {
        let acc = super::accumulate_chunks(
            (plan, None),
            run.paths,
            run.seed,
            shard.chunks(run.paths),
            (tick, stop),
        )?;
        Ok(ShardSketch::of(run, shard.of, BTreeSet::from([shard.index]), plan.labels.clone(), &acc))
    }

    fn of(
        run: RunIdentity,
        of: u64,
        shards: BTreeSet<u64>,
        periods: Vec<String>,
        acc: &Accumulator,
    ) -> ShardSketch {
        let records = |s: &[Sketch]| s.iter().map(Sketch::record).collect();
        ShardSketch {
            format: FORMAT.to_string(),
            version: VERSION,
            run,
            of,
            shards,
            periods,
            revenue: records(&acc.revenue),
            microsoft_revenue: records(&acc.microsoft_revenue),
            paid: records(&acc.paid),
            cumulative: records(&acc.cumulative),
            cap_reached: acc.cap_reached.clone(),
            total: acc.total.record(),
            present_value: acc.present_value.record(),
        }
    }

    /// Reads a sketch file's JSON, checking what it says it is.
    pub fn from_json(text: &str) -> Result<ShardSketch, ShardError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ShardError::NotASketch { reason: e.to_string() })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(ShardError::NotASketch { reason: format!("no \"format\": \"{FORMAT}\"") });
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != u64::from(VERSION) {
            return Err(ShardError::Version { found: u32::try_from(version).unwrap_or(u32::MAX) });
        }
        let sketch: ShardSketch =
            serde_json::from_value(value).map_err(|e| ShardError::NotASketch { reason: e.to_string() })?;
        sketch.accumulator().map(|_| sketch)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The sketches back as an accumulator, every record checked.
    fn accumulator(&self) -> Result<Accumulator, ShardError> {
        let years = self.periods.len();
        let sketches =
            |what: &str, records: &[SketchRecord], expected: usize| -> Result<Vec<Sketch>, ShardError> {
                let damaged = || ShardError::Damaged { what: what.to_string() };
                if records.len() != expected {
                    return Err(damaged());
                }
                records.iter().map(|r| Sketch::from_record(r).ok_or_else(damaged)).collect()
            };
        let one = |what: &str, record: &SketchRecord| {
            Sketch::from_record(record).ok_or_else(|| ShardError::Damaged { what: what.to_string() })
        };
        let microsoft_years = if self.microsoft_revenue.is_empty() { 0 } else { years };
        if self.cap_reached.len() != years || self.shards.iter().any(|&i| Shard::new(i, self.of).is_none()) {
            return Err(ShardError::Damaged { what: "list of shards or periods".into() });
        }
        Ok(Accumulator {
            revenue: sketches("revenue", &self.revenue, years)?,
            microsoft_revenue: sketches("Microsoft revenue", &self.microsoft_revenue, microsoft_years)?,
            paid: sketches("paid", &self.paid, years)?,
            cumulative: sketches("cumulative paid", &self.cumulative, years)?,
            cap_reached: self.cap_reached.clone(),
            total: one("total paid", &self.total)?,
            present_value: one("present value", &self.present_value)?,
            overflowed: false,
            interrupted: false,
            against: None,
        })
    }

    /// Every sketch merged into one: the shards must be of one run, each given once.
    pub fn merge(sketches: &[ShardSketch]) -> Result<ShardSketch, ShardError> {
        let (first, rest) = sketches.split_first().ok_or(ShardError::Empty)?;
        let mut acc = first.accumulator()?;
        let mut shards = first.shards.clone();
        for other in rest {
            first.same_run(other)?;
            for &index in &other.shards {
                if !shards.insert(index) {
                    return Err(ShardError::Repeated { shard: Shard { index, of: first.of } });
                }
            }
            acc = acc.merge(other.accumulator()?);
        }
        Ok(ShardSketch::of(first.run.clone(), first.of, shards, first.periods.clone(), &acc))
    }

    fn same_run(&self, other: &ShardSketch) -> Result<(), ShardError> {
        let differ = |what, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| ShardError::Mismatch {
            what,
            first: format!("{a:?}"),
            other: format!("{b:?}"),
        };
        let (a, b) = (&self.run, &other.run);
        let checks: [(&'static str, &dyn std::fmt::Debug, &dyn std::fmt::Debug, bool); 8] = [
            ("the scenario", &a.scenario, &b.scenario, a.scenario == b.scenario),
            (
                "the scenario file's fingerprint",
                &a.scenario_fingerprint,
                &b.scenario_fingerprint,
                a.scenario_fingerprint == b.scenario_fingerprint,
            ),
            ("the agreement", &a.agreement, &b.agreement, a.agreement == b.agreement),
            ("--paths", &a.paths, &b.paths, a.paths == b.paths),
            ("--seed", &a.seed, &b.seed, a.seed == b.seed),
            ("the dealsim version", &a.dealsim, &b.dealsim, a.dealsim == b.dealsim),
            ("the number of shards", &self.of, &other.of, self.of == other.of),
            ("the periods", &self.periods, &other.periods, self.periods == other.periods),
        ];
        match checks.into_iter().find(|c| !c.3) {
            Some((what, first, other, _)) => Err(differ(what, first, other)),
            None => Ok(()),
        }
    }

    /// The run's results, once every shard is here; `plan` is the run's (its periods, fixed
    /// revenue and discounting), rebuilt from the scenario file.
    pub fn finish(&self, plan: &Plan) -> Result<super::MonteCarlo, ShardError> {
        let missing: Vec<String> =
            (1..=self.of).filter(|i| !self.shards.contains(i)).map(|i| i.to_string()).collect();
        if !missing.is_empty() {
            return Err(ShardError::Missing { missing: missing.join(", "), of: self.of });
        }
        if plan.labels != self.periods {
            return Err(ShardError::Mismatch {
                what: "the periods",
                first: format!("{:?}", self.periods),
                other: format!("{:?} (the scenario file now)", plan.labels),
            });
        }
        Ok(super::summarise(plan, self.run.paths, self.run.seed, &self.accumulator()?))
    }
}
