//! `dealsim calibrate`: what the reported figures imply about the terms nobody has disclosed.
//!
//! Method. The unknowns are the `[priors]` of a reported-figures file. Discrete readings are
//! enumerated exactly: every combination of readings (its prior the product of theirs) is
//! simulated. Continuous priors (and the revenue distributions of any scenario the figures
//! read) are sampled: sample `j` draws them from ChaCha8 stream `j` of the seed, the same draws
//! for every combination, so results do not depend on the thread count. Each (combination,
//! sample) runs every scenario the figures read through the exact engine with those values set,
//! as `--set` would, and is weighted by its prior times the likelihood of the reports: a Gaussian
//! kernel of each figure's tolerance (`figure.rs`). This is importance sampling with the prior as
//! the proposal; with only readings it is exact Bayes. The effective sample size
//! `(Σw)² / Σw²` says how many draws carry the posterior.

pub mod figure;
mod posterior;
pub mod priors;
pub mod reported;
mod weighted;

pub use posterior::{
    Calibration, Contradiction, FigureFit, Predictive, Quantiles, ReadingPosterior, Unknown, UnknownShape,
};
pub use reported::{load, ReportedFigure, ReportedFile};

use super::montecarlo::PathDraws;
use super::params::Value;
use super::AnalysisError;
use crate::engine::Headline;
use figure::{distance, Observed};
use priors::Shape;
use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;
use rayon::prelude::*;
use rust_decimal::Decimal;

/// The most samples per combination of readings.
pub const MAX_SAMPLES: usize = 1_000_000;
/// The most simulated (combination, sample) pairs in one calibration.
pub const MAX_EVALUATIONS: usize = 2_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Draws of the continuous unknowns (ignored when there are none: readings are exact).
    pub samples: usize,
    pub seed: u64,
}

/// What one simulated (combination, sample) gave: each figure's value and distance from its
/// report, and the predicted scenario's headline figures.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub figures: Vec<Observed>,
    pub distances: Vec<f64>,
    /// The predicted scenario's total paid, present value and cap year (its net unused).
    pub headline: Headline,
}

/// One simulated point: a value for every prior (in the file's order).
pub(crate) type Point = Vec<Value>;

/// One sample's points, one per combination of readings, with what each gave.
pub(crate) type Row = Vec<(Point, Sample)>;

/// Runs the calibration. `tick` is called once per sample; `cancelled` is polled between them.
pub fn calibrate(
    file: &ReportedFile,
    options: Options,
    tick: &(dyn Fn() + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Calibration, AnalysisError> {
    refuse_drawn_terms(file)?;
    let draws: Vec<Option<PathDraws>> = file.scenarios.iter().map(|l| PathDraws::new(&l.scenario)).collect();
    let sampled = file.priors.iter().any(priors::Prior::is_continuous) || draws.iter().any(Option::is_some);
    let samples = if sampled { options.samples } else { 1 };
    // Counted before the combinations are built: ten priors of ten readings are 10^10 of them.
    let readings = file.priors.iter().fold(1usize, |n, prior| match &prior.shape {
        Shape::Readings(r) => n.saturating_mul(r.len()),
        Shape::Continuous(_) => n,
    });
    if samples == 0 || samples > MAX_SAMPLES || samples.saturating_mul(readings) > MAX_EVALUATIONS {
        return Err(AnalysisError::CalibrationSize { samples, readings, limit: MAX_EVALUATIONS });
    }
    let combinations = combinations(file);
    let samplers: Vec<_> = file.priors.iter().map(priors::Prior::sampler).collect();
    let results: Vec<Row> = (0..samples)
        .into_par_iter()
        .map(|j| {
            if cancelled() {
                return Err(AnalysisError::Interrupted);
            }
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream(j as u64);
            let continuous: Vec<Option<Value>> = file
                .priors
                .iter()
                .zip(&samplers)
                .map(|(prior, sampler)| sampler.as_ref().map(|s| prior.draw(s, &mut rng)))
                .collect();
            let paths: Vec<Option<[Vec<Decimal>; 2]>> = draws
                .iter()
                .map(|d| d.as_ref().map(|d| d.draw(&mut rng).ok_or(AnalysisError::PathOverflow)).transpose())
                .collect::<Result<_, _>>()?;
            let out = combinations
                .iter()
                .map(|combination| {
                    let point: Point =
                        combination.iter().zip(&continuous).map(|(r, c)| c.unwrap_or(*r)).collect();
                    let sample = simulate_point(file, &point, &paths)?;
                    Ok((point, sample))
                })
                .collect::<Result<Vec<_>, AnalysisError>>()?;
            tick();
            Ok(out)
        })
        .collect::<Result<_, _>>()?;
    // Weighed once, for the most probable point and the summary.
    let weights =
        posterior::weights(file, &results).ok_or_else(|| posterior::contradicted(file, &results))?;
    let most_probable = posterior::most_probable_point(file, &combinations, &results, &weights);
    let at_most_probable = simulate_point(file, &most_probable, &vec![None; file.scenarios.len()])?;
    posterior::summarise(file, options, (&combinations, &results, &weights), most_probable, at_most_probable)
}

/// Every combination of the discrete readings, in order (the last prior varies fastest); a
/// continuous prior holds a placeholder its draw replaces.
fn combinations(file: &ReportedFile) -> Vec<Point> {
    let mut points: Vec<Point> = vec![Vec::new()];
    for prior in &file.priors {
        let values: Vec<Value> = match &prior.shape {
            Shape::Readings(readings) => readings.iter().map(|(v, _)| *v).collect(),
            Shape::Continuous(_) => vec![Value::Number(Decimal::ZERO)],
        };
        points = points
            .into_iter()
            .flat_map(|p| values.iter().map(move |v| [p.clone(), vec![*v]].concat()))
            .collect();
    }
    points
}

/// The prior probability of a combination of readings (continuous priors count 1).
pub(crate) fn prior_of(file: &ReportedFile, point: &[Value]) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    file.priors
        .iter()
        .zip(point)
        .map(|(prior, value)| match &prior.shape {
            Shape::Readings(readings) => {
                readings.iter().find(|(v, _)| v == value).and_then(|(_, p)| p.to_f64()).unwrap_or(0.0)
            }
            Shape::Continuous(_) => 1.0,
        })
        .product()
}

/// A scenario that draws its cap or rate per path would hide an unknown from the priors; one
/// by quarter cannot have its revenue drawn per year.
fn refuse_drawn_terms(file: &ReportedFile) -> Result<(), AnalysisError> {
    for loaded in &file.scenarios {
        let u = &loaded.scenario.uncertain;
        if u.cap.is_some() || u.share_rate.is_some() {
            return Err(AnalysisError::CalibrationDrawnTerms { scenario: loaded.scenario.name.clone() });
        }
        // Revenue is drawn per year, as `montecarlo` draws it.
        let by_quarter = loaded.scenario.granularity != crate::scenario::Granularity::Years;
        if by_quarter && PathDraws::new(&loaded.scenario).is_some() {
            return Err(AnalysisError::CalibrationQuarterlyDraws { scenario: loaded.scenario.name.clone() });
        }
    }
    Ok(())
}

/// Every scenario the figures read, simulated with `point`'s values set (after the drawn
/// revenue `paths`, where a scenario has them): each figure measured, and the predicted
/// scenario's headline figures.
fn simulate_point(
    file: &ReportedFile,
    point: &[Value],
    paths: &[Option<[Vec<Decimal>; 2]>],
) -> Result<Sample, AnalysisError> {
    let at = || {
        file.priors
            .iter()
            .zip(point)
            .map(|(p, v)| format!("{}={}", p.name, p.param.human(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fail = |source: AnalysisError| AnalysisError::AtPoint { at: at(), source: Box::new(source) };
    let mut figures = vec![Observed::Money(Decimal::ZERO); file.figures.len()];
    let mut headline = None;
    for (s, loaded) in file.scenarios.iter().enumerate() {
        let mut scenario = loaded.scenario.clone();
        if let Some([openai, microsoft]) = &paths[s] {
            scenario.openai_revenue.clone_from(openai);
            scenario.microsoft_revenue.clone_from(microsoft);
        }
        for (prior, value) in file.priors.iter().zip(point) {
            prior.param.apply(&mut scenario, *value).map_err(|e| fail(e.into()))?;
        }
        let agreement = scenario
            .terms
            .apply(&loaded.base_agreement, &format!("scenario `{}`", scenario.name))
            .map_err(|e| fail(e.into()))?;
        let ledger = crate::engine::simulate(&agreement, &scenario).map_err(|e| fail(e.into()))?;
        for (i, f) in file.figures.iter().enumerate().filter(|(_, f)| f.scenario == s) {
            figures[i] = f.measure.on(&ledger).map_err(|e| fail(e.into()))?;
        }
        if s == file.predict {
            headline = Some(Headline::of(&ledger.summary().map_err(|e| fail(e.into()))?));
        }
    }
    let distances =
        file.figures.iter().zip(&figures).map(|(f, m)| distance(*m, f.reported, f.tolerance)).collect();
    // `predict` is an index into the scenarios, each of which was simulated above.
    let headline = headline.unwrap_or(Headline {
        share_paid: Decimal::ZERO,
        net_to_microsoft: Decimal::ZERO,
        present_value: Decimal::ZERO,
        cap_reached_year: None,
    });
    Ok(Sample { figures, distances, headline })
}
