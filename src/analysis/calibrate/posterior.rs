//! From weighted samples to what `calibrate` reports: each unknown's prior and posterior, the
//! figures each reading contradicts, the effective sample size, the posterior predictive of
//! the headline figures, and the most probable reading.
//!
//! Weights are computed in log space (`ln prior + Σ −z²/2` over the figures that weigh as
//! evidence) and shifted by their maximum before exponentiating, so no weight underflows to a
//! posterior of 0/0. Percentiles and histograms of weighted draws are in `weighted.rs`.

use super::figure::Observed;
use super::priors::Shape;
use super::weighted::{histogram, quantile, quantiles};
use super::{prior_of, Options, Point, ReportedFile, Row, Sample};
use crate::analysis::params::{Param, Value};
use crate::analysis::AnalysisError;
use rust_decimal::Decimal;

/// Beyond this many tolerances a figure is contradicted.
pub const CONTRADICTS: f64 = 2.0;
/// When even the best sample is this far from some figure, the reports contradict every
/// reading the priors allow (said as a warning; the posterior is still the best fit).
pub const NO_READING_FITS: f64 = 3.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub file: String,
    pub description: String,
    /// Draws per combination of readings (1 when nothing is sampled: exact).
    pub samples: usize,
    pub seed: u64,
    /// Combinations of discrete readings.
    pub readings: usize,
    pub effective_sample_size: f64,
    pub unknowns: Vec<Unknown>,
    pub figures: Vec<FigureFit>,
    pub predictive: Predictive,
    /// The most probable combination of readings, each continuous unknown at its posterior
    /// median within it; with its posterior probability (of the readings).
    pub most_probable: Vec<(String, Param, Value)>,
    pub most_probable_probability: f64,
    pub contradiction: Option<Contradiction>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub name: String,
    pub param: Param,
    pub shape: UnknownShape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnknownShape {
    Readings(Vec<ReadingPosterior>),
    /// Percentiles before and after, and a histogram for the chart: per bin its range and the
    /// share of prior and of posterior weight in it.
    Continuous {
        prior: Quantiles,
        posterior: Quantiles,
        bins: Vec<(f64, f64, f64, f64)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadingPosterior {
    pub value: Value,
    pub prior: f64,
    pub posterior: f64,
    /// Figures (indices into the file's) that even this reading's best sample misses by more
    /// than `CONTRADICTS` tolerances.
    pub contradicts: Vec<usize>,
}

/// P5, P50 and P95.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantiles {
    pub p5: Decimal,
    pub p50: Decimal,
    pub p95: Decimal,
}

/// A figure at the most probable reading, and its posterior median.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureFit {
    pub at_most_probable: Observed,
    /// Tolerances from the report at the most probable reading.
    pub distance: f64,
    pub posterior_p50: Observed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Predictive {
    pub scenario: String,
    pub total_paid: (Quantiles, Quantiles),
    pub present_value: (Quantiles, Quantiles),
    /// Per year of the scenario: P(cap reached in or before it), prior and posterior.
    pub cap_reached_by: Vec<(i32, f64, f64)>,
}

/// Even the best-fitting sample misses a figure by more than `NO_READING_FITS` tolerances.
#[derive(Debug, Clone, PartialEq)]
pub struct Contradiction {
    pub figure: usize,
    pub distance: f64,
}

/// Each sample's weight, shifted so the largest is 1; `None` when every weight is zero (a
/// report no sample can produce: an exact year missed everywhere).
pub(crate) fn weights(file: &ReportedFile, results: &[Row]) -> Option<Vec<Vec<f64>>> {
    let log: Vec<Vec<f64>> = results
        .iter()
        .map(|row| {
            row.iter()
                .map(|(point, sample)| {
                    let evidence: f64 = file
                        .figures
                        .iter()
                        .zip(&sample.distances)
                        .filter(|(f, _)| f.evidence)
                        .map(|(_, z)| super::figure::log_weight(*z))
                        .sum();
                    prior_of(file, point).ln() + evidence
                })
                .collect()
        })
        .collect();
    let max = log.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
    max.is_finite().then(|| log.iter().map(|row| row.iter().map(|l| (l - max).exp()).collect()).collect())
}

/// When no sample can produce the reports: the figure that fails most (missed by the most
/// samples, then by the largest best distance) named in the error.
pub(crate) fn contradicted(file: &ReportedFile, results: &[Row]) -> AnalysisError {
    let samples = || results.iter().flatten().map(|(_, s)| s);
    let worst = (0..file.figures.len())
        .filter(|i| file.figures[*i].evidence)
        .map(|i| {
            let misses = samples().filter(|s| s.distances[i] > NO_READING_FITS).count();
            let best = samples().map(|s| s.distances[i]).fold(f64::INFINITY, f64::min);
            (i, misses, best)
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(a.2.total_cmp(&b.2)))
        .map_or(0, |(i, _, _)| i);
    let f = &file.figures[worst];
    AnalysisError::Contradicted { figure: f.label(&file.scenarios), reported: f.reported.to_string() }
}

/// The most probable point: the combination of readings with the highest posterior, each
/// continuous unknown at its weighted median within it.
pub(crate) fn most_probable_point(
    file: &ReportedFile,
    combinations: &[Point],
    results: &[Row],
    w: &[Vec<f64>],
) -> Point {
    let by_combination: Vec<f64> =
        (0..combinations.len()).map(|c| w.iter().map(|row| row[c]).sum()).collect();
    // There is always one combination (the empty one when no prior has readings).
    let best = (0..combinations.len())
        .max_by(|a, b| by_combination[*a].total_cmp(&by_combination[*b]).then(b.cmp(a)))
        .unwrap_or(0);
    file.priors
        .iter()
        .enumerate()
        .map(|(k, prior)| match prior.shape {
            Shape::Readings(_) => combinations[best][k],
            Shape::Continuous(_) => {
                let weighted: Vec<(Decimal, f64)> =
                    results.iter().zip(w).map(|(row, w)| (number(&row[best].0[k]), w[best])).collect();
                Value::Number(quantile(weighted, 0.5))
            }
        })
        .collect()
}

fn number(value: &Value) -> Decimal {
    match value {
        Value::Number(n) => *n,
        _ => Decimal::ZERO,
    }
}

/// Everything `calibrate` reports, from the weighted samples.
pub(crate) fn summarise(
    file: &ReportedFile,
    options: Options,
    (combinations, results, w): (&[Point], &[Row], &[Vec<f64>]),
    most_probable: Point,
    at_most_probable: Sample,
) -> Result<Calibration, AnalysisError> {
    let flat: Vec<(&Point, &Sample, f64)> =
        results.iter().zip(w).flat_map(|(row, w)| row.iter().zip(w).map(|((p, s), w)| (p, s, *w))).collect();
    let prior_weights: Vec<f64> = flat.iter().map(|(p, _, _)| prior_of(file, p)).collect();
    let total: f64 = flat.iter().map(|f| f.2).sum();
    let squares: f64 = flat.iter().map(|f| f.2 * f.2).sum();
    let unknowns =
        file.priors.iter().enumerate().map(|(k, _)| unknown(file, k, &flat, &prior_weights, total)).collect();
    let figures = (0..file.figures.len())
        .map(|i| FigureFit {
            at_most_probable: at_most_probable.figures[i],
            distance: at_most_probable.distances[i],
            posterior_p50: figure_p50(&flat, i),
        })
        .collect();
    let best = flat.iter().max_by(|a, b| a.2.total_cmp(&b.2));
    let contradiction = best.and_then(|(_, s, _)| {
        (0..file.figures.len())
            .filter(|i| file.figures[*i].evidence)
            .map(|i| (i, s.distances[i]))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .filter(|(_, z)| *z > NO_READING_FITS)
            .map(|(figure, distance)| Contradiction { figure, distance })
    });
    let probability_of_best = combination_posterior(file, &most_probable, &flat, total);
    Ok(Calibration {
        file: file.source.path.display().to_string(),
        description: file.description.clone(),
        samples: results.len(),
        seed: options.seed,
        readings: combinations.len(),
        effective_sample_size: if squares > 0.0 { total * total / squares } else { 0.0 },
        unknowns,
        figures,
        predictive: predictive(file, &flat, &prior_weights),
        most_probable: file
            .priors
            .iter()
            .zip(&most_probable)
            .map(|(p, v)| (p.name.clone(), p.param.clone(), *v))
            .collect(),
        most_probable_probability: probability_of_best,
        contradiction,
    })
}

/// The posterior probability of the most probable point's readings (its continuous values
/// aside).
fn combination_posterior(
    file: &ReportedFile,
    best: &[Value],
    flat: &[(&Point, &Sample, f64)],
    total: f64,
) -> f64 {
    let discrete = |p: &[Value]| -> Vec<Value> {
        file.priors.iter().zip(p).filter(|(prior, _)| !prior.is_continuous()).map(|(_, v)| *v).collect()
    };
    // With no readings every point has the same (empty) key: the probability is 1.
    let key = discrete(best);
    flat.iter().filter(|(p, _, _)| discrete(p) == key).map(|f| f.2).sum::<f64>() / total
}

fn figure_p50(flat: &[(&Point, &Sample, f64)], i: usize) -> Observed {
    match flat.first().map(|f| f.1.figures[i]) {
        Some(Observed::Year(_)) => {
            // A year's median: ordered with "never" last.
            let mut years: Vec<(Option<i32>, f64)> = flat
                .iter()
                .filter_map(|(_, s, w)| match s.figures[i] {
                    Observed::Year(y) => Some((y, *w)),
                    Observed::Money(_) => None,
                })
                .collect();
            years.sort_by_key(|(y, _)| (y.is_none(), *y));
            let total: f64 = years.iter().map(|y| y.1).sum();
            let mut cumulative = 0.0;
            let median = years.iter().find(|(_, w)| {
                cumulative += w;
                cumulative >= total / 2.0 && *w > 0.0
            });
            Observed::Year(median.and_then(|m| m.0))
        }
        _ => {
            let values = flat
                .iter()
                .map(|(_, s, w)| (if let Observed::Money(m) = s.figures[i] { m } else { Decimal::ZERO }, *w))
                .collect();
            Observed::Money(quantile(values, 0.5))
        }
    }
}

/// Unknown `k`: readings' prior and posterior (and what each contradicts), or a continuous
/// unknown's percentiles and histogram.
fn unknown(
    file: &ReportedFile,
    k: usize,
    flat: &[(&Point, &Sample, f64)],
    prior_weights: &[f64],
    total: f64,
) -> Unknown {
    let prior = &file.priors[k];
    let shape = match &prior.shape {
        Shape::Readings(readings) => UnknownShape::Readings(
            readings
                .iter()
                .map(|(value, p)| {
                    let mine = || flat.iter().filter(|(point, _, _)| point[k] == *value);
                    let posterior = mine().map(|f| f.2).sum::<f64>() / total;
                    let contradicts = (0..file.figures.len())
                        .filter(|i| file.figures[*i].evidence)
                        .filter(|i| mine().all(|(_, s, _)| s.distances[*i] > CONTRADICTS))
                        .collect();
                    use rust_decimal::prelude::ToPrimitive;
                    ReadingPosterior {
                        value: *value,
                        prior: p.to_f64().unwrap_or(0.0),
                        posterior,
                        contradicts,
                    }
                })
                .collect(),
        ),
        Shape::Continuous(_) => {
            let prior_values: Vec<(Decimal, f64)> =
                flat.iter().zip(prior_weights).map(|((p, _, _), w)| (number(&p[k]), *w)).collect();
            let posterior_values: Vec<(Decimal, f64)> =
                flat.iter().map(|(p, _, w)| (number(&p[k]), *w)).collect();
            UnknownShape::Continuous {
                prior: quantiles(&prior_values),
                posterior: quantiles(&posterior_values),
                bins: histogram(&prior_values, &posterior_values),
            }
        }
    };
    Unknown { name: prior.name.clone(), param: prior.param.clone(), shape }
}

/// The headline figures of the predicted scenario, before and after the reports.
fn predictive(file: &ReportedFile, flat: &[(&Point, &Sample, f64)], prior_weights: &[f64]) -> Predictive {
    let pair = |value: fn(&Sample) -> Decimal| {
        let prior: Vec<_> = flat.iter().zip(prior_weights).map(|((_, s, _), w)| (value(s), *w)).collect();
        let posterior: Vec<_> = flat.iter().map(|(_, s, w)| (value(s), *w)).collect();
        (quantiles(&prior), quantiles(&posterior))
    };
    let loaded = &file.scenarios[file.predict];
    let mut years: Vec<i32> = loaded.scenario.periods.iter().map(|p| p.year).collect();
    years.dedup();
    let share = |weights: &mut dyn Iterator<Item = (Option<i32>, f64)>, year: i32| {
        let (mut hit, mut all) = (0.0, 0.0);
        for (cap_year, w) in weights {
            all += w;
            if cap_year.is_some_and(|y| y <= year) {
                hit += w;
            }
        }
        if all > 0.0 {
            hit / all
        } else {
            0.0
        }
    };
    let cap_reached_by = years
        .into_iter()
        .map(|year| {
            let prior = share(
                &mut flat.iter().zip(prior_weights).map(|((_, s, _), w)| (s.headline.cap_reached_year, *w)),
                year,
            );
            let posterior = share(&mut flat.iter().map(|(_, s, w)| (s.headline.cap_reached_year, *w)), year);
            (year, prior, posterior)
        })
        .collect();
    Predictive {
        scenario: loaded.scenario.name.clone(),
        total_paid: pair(|s| s.headline.share_paid),
        present_value: pair(|s| s.headline.present_value),
        cap_reached_by,
    }
}
