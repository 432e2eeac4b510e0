//! A calibration for people and programs: the terminal's tables, `calibrate.csv` (one row per
//! reading or continuous unknown) and `calibrate.json` (everything, `posterior.<name>` a map of
//! reading → probability or `p5`/`p50`/`p95`). Values of unknowns are written exactly as `--set`
//! takes them (money in dollars, rates as fractions, dates); probabilities to six places.

use super::table::money_cell;
use super::OutputError;
use crate::analysis::calibrate::figure::Observed;
use crate::analysis::calibrate::{Calibration, Quantiles, ReportedFile, UnknownShape};
use crate::analysis::params::Value;
use crate::money::{self, Money};
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A probability as a short percentage: one decimal, `<0.1%` for a small non-zero one.
pub fn share(p: f64) -> String {
    if p > 0.0 && p < 0.0005 {
        return "<0.1%".to_string();
    }
    if p < 1.0 && p > 0.9995 {
        return ">99.9%".to_string();
    }
    money::percent(Decimal::from_f64(p).unwrap_or_default().round_dp(3))
}

/// A probability for files: six places.
fn exact_probability(p: f64) -> Decimal {
    Decimal::from_f64(p).unwrap_or_default().round_dp(6).normalize()
}

fn three(param: &crate::analysis::params::Param, q: &Quantiles) -> String {
    let h = |d: Decimal| param.human(&Value::Number(d));
    format!("{} · {} · {}", h(q.p5), h(q.p50), h(q.p95))
}

/// One row per reading of a discrete unknown (its value, prior, posterior and the figures it
/// contradicts) and per continuous unknown (its P5 · P50 · P95 before and after): the terminal's
/// and the page's table.
pub fn unknown_rows(file: &ReportedFile, c: &Calibration) -> Vec<[String; 5]> {
    let mut rows = Vec::new();
    for u in &c.unknowns {
        match &u.shape {
            UnknownShape::Readings(readings) => rows.extend(readings.iter().map(|r| {
                let contradicts: Vec<String> =
                    r.contradicts.iter().map(|i| file.figures[*i].label(&file.scenarios)).collect();
                [
                    u.name.clone(),
                    u.param.human(&r.value),
                    share(r.prior),
                    share(r.posterior),
                    contradicts.join("; "),
                ]
            })),
            UnknownShape::Continuous { prior, posterior, .. } => rows.push([
                u.name.clone(),
                "P5 · P50 · P95".to_string(),
                three(&u.param, prior),
                three(&u.param, posterior),
                String::new(),
            ]),
        }
    }
    rows
}

/// "Most probable reading (99.9% of the posterior over readings): `cap` = 36.7B, …".
pub fn most_probable_words(c: &Calibration) -> Option<String> {
    if c.most_probable.is_empty() {
        return None;
    }
    let reading: Vec<String> = c
        .most_probable
        .iter()
        .map(|(name, param, value)| format!("`{name}` = {}", param.human(value)))
        .collect();
    Some(format!(
        "Most probable reading ({} of the posterior over readings): {}",
        share(c.most_probable_probability),
        reading.join(", ")
    ))
}

/// The terminal's report: unknowns, figures, the predictive and the most probable reading.
pub fn calibrate_table(file: &ReportedFile, c: &Calibration) -> String {
    let evidence = file.figures.iter().filter(|f| f.evidence).count();
    let mut out = format!(
        "Calibrated on {} reported figure(s) ({evidence} weighed as evidence) in {}: {} combination(s) of readings × {} sample(s), seed {}; effective sample size {}.\n",
        file.figures.len(),
        c.file,
        c.readings,
        money::grouped(c.samples as u64),
        c.seed,
        money::grouped(c.effective_sample_size.round() as u64),
    );
    let mut unknowns = Table::new();
    unknowns.load_preset(UTF8_FULL_CONDENSED).set_header([
        "Unknown",
        "Reading",
        "Prior",
        "Posterior",
        "Contradicts",
    ]);
    for row in unknown_rows(file, c) {
        unknowns.add_row(row);
    }
    out.push_str(&format!("{unknowns}\n"));
    out.push_str(&figures_table(file, c));
    out.push_str(&predictive_lines(c));
    if let Some(words) = most_probable_words(c) {
        out.push_str(&format!("{words}\n"));
    }
    out
}

fn figures_table(file: &ReportedFile, c: &Calibration) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "Figure",
        "Reported",
        "Tolerance",
        "At most probable",
        "Off by",
        "Posterior P50",
        "Source",
    ]);
    for (f, fit) in file.figures.iter().zip(&c.figures) {
        let label = if f.evidence {
            f.label(&file.scenarios)
        } else {
            format!("{} (check)", f.label(&file.scenarios))
        };
        table.add_row([
            label,
            f.reported.to_string(),
            f.tolerance.to_string(),
            fit.at_most_probable.to_string(),
            distance_words(fit.distance),
            fit.posterior_p50.to_string(),
            f.source.clone(),
        ]);
    }
    for index in 1..=5 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!("{table}\n")
}

/// `0.4 tol.`, or `missed` for an exact year not matched.
pub fn distance_words(z: f64) -> String {
    if z.is_finite() {
        format!("{z:.1} tol.")
    } else {
        "missed".to_string()
    }
}

fn predictive_lines(c: &Calibration) -> String {
    let p = &c.predictive;
    let q = |q: &Quantiles| {
        format!(
            "P50 {} (P5 {} – P95 {})",
            money_cell(q.p50, false),
            money_cell(q.p5, false),
            money_cell(q.p95, false)
        )
    };
    let by: Vec<String> = p
        .cap_reached_by
        .iter()
        .map(|(y, prior, post)| format!("{y} {} → {}", share(*prior), share(*post)))
        .collect();
    format!(
        "Posterior predictive of `{}` (prior → posterior):\n  total paid to Microsoft: {} → {}\n  present value to Microsoft: {} → {}\n  P(cap reached by): {}\n",
        p.scenario,
        q(&p.total_paid.0),
        q(&p.total_paid.1),
        q(&p.present_value.0),
        q(&p.present_value.1),
        by.join(", ")
    )
}

/// One row of `calibrate.csv`: a reading of a discrete unknown (its value, prior and posterior
/// probability), or a continuous unknown (its percentiles before and after).
#[derive(Serialize, Default)]
struct CsvRow {
    unknown: String,
    reading: String,
    prior: Option<Decimal>,
    posterior: Option<Decimal>,
    prior_p5: String,
    prior_p50: String,
    prior_p95: String,
    posterior_p5: String,
    posterior_p50: String,
    posterior_p95: String,
    contradicts: String,
}

/// `calibrate.csv`: probabilities and values, no money (`--units` has nothing to scale).
pub fn calibrate_csv(file: &ReportedFile, c: &Calibration) -> Result<Vec<u8>, OutputError> {
    let mut rows = Vec::new();
    for u in &c.unknowns {
        match &u.shape {
            UnknownShape::Readings(readings) => rows.extend(readings.iter().map(|r| {
                CsvRow {
                    unknown: u.name.clone(),
                    reading: r.value.to_string(),
                    prior: Some(exact_probability(r.prior)),
                    posterior: Some(exact_probability(r.posterior)),
                    contradicts: r
                        .contradicts
                        .iter()
                        .map(|i| file.figures[*i].label(&file.scenarios))
                        .collect::<Vec<_>>()
                        .join("; "),
                    ..CsvRow::default()
                }
            })),
            UnknownShape::Continuous { prior, posterior, .. } => {
                let s = |d: Decimal| d.normalize().to_string();
                rows.push(CsvRow {
                    unknown: u.name.clone(),
                    prior_p5: s(prior.p5),
                    prior_p50: s(prior.p50),
                    prior_p95: s(prior.p95),
                    posterior_p5: s(posterior.p5),
                    posterior_p50: s(posterior.p50),
                    posterior_p95: s(posterior.p95),
                    ..CsvRow::default()
                });
            }
        }
    }
    super::serialize_rows(super::Output::CalibrateCsv.name(), super::Units::Raw, rows)
}

#[derive(Serialize)]
#[serde(untagged)]
enum PosteriorJson {
    Readings(BTreeMap<String, Decimal>),
    Continuous { p5: String, p50: String, p95: String },
}

#[derive(Serialize)]
struct QuantilesJson {
    p5: Money,
    p50: Money,
    p95: Money,
}

impl From<&Quantiles> for QuantilesJson {
    fn from(q: &Quantiles) -> Self {
        QuantilesJson { p5: Money(q.p5), p50: Money(q.p50), p95: Money(q.p95) }
    }
}

#[derive(Serialize)]
struct FigureJson {
    scenario: String,
    figure: String,
    reported: String,
    tolerance: String,
    source: String,
    evidence: bool,
    at_most_probable: String,
    /// Tolerances from the report there; `null` for an exact year missed.
    distance: Option<Decimal>,
    posterior_p50: String,
}

#[derive(Serialize)]
struct PredictiveJson {
    scenario: String,
    total_paid: BTreeMap<&'static str, QuantilesJson>,
    present_value: BTreeMap<&'static str, QuantilesJson>,
    cap_reached_by: Vec<CapByJson>,
}

/// P(cap reached in or before `year`), before and after the reports.
#[derive(Serialize)]
struct CapByJson {
    year: i32,
    prior: Decimal,
    posterior: Decimal,
}

#[derive(Serialize)]
struct CalibrationJson {
    file: String,
    description: String,
    method: &'static str,
    seed: u64,
    samples: usize,
    readings: usize,
    effective_sample_size: Decimal,
    prior: BTreeMap<String, PosteriorJson>,
    posterior: BTreeMap<String, PosteriorJson>,
    most_probable: BTreeMap<String, String>,
    most_probable_probability: Decimal,
    figures: Vec<FigureJson>,
    predictive: PredictiveJson,
    warnings: Vec<String>,
}

/// The value of an observed figure as written in files: money exact in dollars, a year, `never`.
fn observed_exact(o: Observed) -> String {
    match o {
        Observed::Money(m) => m.normalize().to_string(),
        Observed::Year(y) => y.map_or("never".to_string(), |y| y.to_string()),
    }
}

fn unknown_json(c: &Calibration, after: bool) -> BTreeMap<String, PosteriorJson> {
    c.unknowns
        .iter()
        .map(|u| {
            let json = match &u.shape {
                UnknownShape::Readings(readings) => PosteriorJson::Readings(
                    readings
                        .iter()
                        .map(|r| {
                            (
                                r.value.to_string(),
                                exact_probability(if after { r.posterior } else { r.prior }),
                            )
                        })
                        .collect(),
                ),
                UnknownShape::Continuous { prior, posterior, .. } => {
                    let q = if after { posterior } else { prior };
                    let s = |d: Decimal| d.normalize().to_string();
                    PosteriorJson::Continuous { p5: s(q.p5), p50: s(q.p50), p95: s(q.p95) }
                }
            };
            (u.name.clone(), json)
        })
        .collect()
}

pub fn calibrate_json(
    file: &ReportedFile,
    c: &Calibration,
    warnings: &[String],
) -> Result<Vec<u8>, OutputError> {
    let p = &c.predictive;
    let pair =
        |q: &(Quantiles, Quantiles)| BTreeMap::from([("prior", (&q.0).into()), ("posterior", (&q.1).into())]);
    let json = CalibrationJson {
        file: c.file.clone(),
        description: c.description.clone(),
        method: "exact over readings; importance sampling from the prior over continuous unknowns and drawn revenue; Gaussian kernel of each figure's tolerance",
        seed: c.seed,
        samples: c.samples,
        readings: c.readings,
        effective_sample_size: Decimal::from_f64(c.effective_sample_size).unwrap_or_default().round_dp(1).normalize(),
        prior: unknown_json(c, false),
        posterior: unknown_json(c, true),
        most_probable: c.most_probable.iter().map(|(n, _, v)| (n.clone(), v.to_string())).collect(),
        most_probable_probability: exact_probability(c.most_probable_probability),
        figures: file
            .figures
            .iter()
            .zip(&c.figures)
            .map(|(f, fit)| FigureJson {
                scenario: f.scenario_file.clone(),
                figure: f.measure.to_string(),
                reported: observed_exact(f.reported),
                tolerance: f.tolerance.to_string(),
                source: f.source.clone(),
                evidence: f.evidence,
                at_most_probable: observed_exact(fit.at_most_probable),
                // `None` (null) for an exact year missed: no finite distance.
                distance: Decimal::from_f64(fit.distance).map(|d| d.round_dp(3).normalize()),
                posterior_p50: observed_exact(fit.posterior_p50),
            })
            .collect(),
        predictive: PredictiveJson {
            scenario: p.scenario.clone(),
            total_paid: pair(&p.total_paid),
            present_value: pair(&p.present_value),
            cap_reached_by: p
                .cap_reached_by
                .iter()
                .map(|(y, prior, post)| CapByJson {
                    year: *y,
                    prior: exact_probability(*prior),
                    posterior: exact_probability(*post),
                })
                .collect(),
        },
        warnings: warnings.to_vec(),
    };
    super::pretty_json(super::Output::CalibrateJson.name(), &json)
}
