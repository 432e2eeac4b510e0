//! `dealsim sweep`: every combination of the given parameter values, each point a full exact
//! simulation, run in parallel. Point `i` decodes to one value per parameter (the last parameter
//! varies fastest), so results come back in a fixed order whatever the thread count.

use super::params::{Param, Value};
use super::AnalysisError;
use crate::money::Money;
use crate::scenario::Loaded;
use crate::Summary;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

/// The most grid points one sweep may have: each point is a full simulation, and its result is
/// kept (about 200 bytes), so a million points is ~200 MB and a few seconds.
pub const MAX_POINTS: usize = 1_000_000;
/// Bytes kept per point, for the up-front refusal message.
pub const BYTES_PER_POINT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepPoint {
    pub values: Vec<String>,
    pub total_paid: Money,
    pub net_to_microsoft: Money,
    pub present_value: Money,
    pub cap_reached_year: Option<i32>,
}

impl SweepPoint {
    fn from_summary(values: &[Value], summary: &Summary) -> SweepPoint {
        SweepPoint {
            values: values.iter().map(Value::to_string).collect(),
            total_paid: summary.totals.share_paid,
            net_to_microsoft: summary.totals.net_to_microsoft,
            present_value: summary.present_value.net_to_microsoft,
            cap_reached_year: summary.cap_reached_year,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sweep {
    pub params: Vec<String>,
    /// Each parameter's values, exactly as in `sweep.csv`.
    pub axes: Vec<Vec<String>>,
    /// The same values for people (20B, 15%), for charts and the terminal.
    pub labels: Vec<Vec<String>>,
    pub points: Vec<SweepPoint>,
}

/// The number of points, or why the grid is refused.
pub fn grid_size(settings: &[(Param, Vec<Value>)]) -> Result<usize, AnalysisError> {
    let mut size: usize = 1;
    for (_, values) in settings {
        size = size.saturating_mul(values.len());
    }
    if size > MAX_POINTS {
        let bytes = (size as u128) * BYTES_PER_POINT as u128;
        return Err(AnalysisError::GridTooLarge {
            points: size,
            megabytes: bytes / 1_000_000,
            limit: MAX_POINTS,
        });
    }
    Ok(size)
}

/// Simulates `loaded` with each parameter set to its value: the summary a plain run of a
/// scenario file with those values would give.
pub fn evaluate(loaded: &Loaded, params: &[Param], values: &[Value]) -> Result<Summary, AnalysisError> {
    let mut scenario = loaded.scenario.clone();
    for (param, value) in params.iter().zip(values) {
        param.apply(&mut scenario, *value)?;
    }
    let agreement = scenario.terms.apply(&loaded.base_agreement, &format!("scenario `{}`", scenario.name))?;
    let ledger = crate::engine::simulate(&agreement, &scenario)?;
    Ok(ledger.summary()?)
}

/// Runs the grid. `tick` is called once per finished point (for a progress bar).
pub fn sweep(
    loaded: &Loaded,
    settings: &[(Param, Vec<Value>)],
    tick: &(dyn Fn() + Sync),
) -> Result<Sweep, AnalysisError> {
    let size = grid_size(settings)?;
    let params: Vec<Param> = settings.iter().map(|(p, _)| p.clone()).collect();
    let decode = |mut index: usize| -> Vec<Value> {
        let mut values = vec![Value::Number(Decimal::ZERO); settings.len()];
        for (slot, (_, axis)) in values.iter_mut().zip(settings).rev() {
            *slot = axis[index % axis.len()];
            index /= axis.len();
        }
        values
    };
    let points = (0..size)
        .into_par_iter()
        .map(|index| {
            let values = decode(index);
            let summary = evaluate(loaded, &params, &values).map_err(|e| {
                let at: Vec<String> = params.iter().zip(&values).map(|(p, v)| format!("{p}={v}")).collect();
                AnalysisError::AtPoint { at: at.join(", "), source: Box::new(e) }
            })?;
            tick();
            Ok(SweepPoint::from_summary(&values, &summary))
        })
        .collect::<Result<Vec<_>, AnalysisError>>()?;
    Ok(Sweep {
        params: params.iter().map(Param::to_string).collect(),
        axes: settings.iter().map(|(_, vs)| vs.iter().map(Value::to_string).collect()).collect(),
        labels: settings.iter().map(|(p, vs)| vs.iter().map(|v| p.human(v)).collect()).collect(),
        points,
    })
}
