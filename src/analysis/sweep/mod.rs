//! `dealsim sweep`: every combination of the given parameter values, each point an exact run of
//! the compiled terms (`engine::headline`: the four figures a sweep keeps, as the summary has
//! them, without building the ledger), run in parallel. Point `i` decodes to one value per parameter (the last parameter
//! varies fastest), so results come back in a fixed order whatever the thread count.
//!
//! Points are computed and handed on in chunks of `CHUNK_POINTS`, in index order
//! (`sweep_stream`): the caller writes each chunk out and keeps only what a chart and the
//! terminal need (`Grid`: the chart's plane, grouped into at most `MAX_CELLS` cells per axis;
//! the lowest and highest point of each metric), so memory does not grow with the grid.

mod point;

use super::params::{Param, Value};
use super::AnalysisError;
use crate::engine::Headline;
use crate::money::Money;
use crate::scenario::Loaded;
use crate::Summary;
use point::{evaluate_point, PointContext};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

/// The most grid points one sweep may have: each point is an exact run (a million take a few
/// seconds on two cores); results stream out, so this bounds time, not memory.
pub const MAX_POINTS: usize = 1_000_000;
/// Bytes of `sweep.csv` per point, for the up-front refusal message (the file's size).
pub const BYTES_PER_POINT: usize = 60;
/// Points computed (in parallel) and handed on at a time.
pub const CHUNK_POINTS: usize = 16_384;
/// The most cells a chart keeps per axis: a longer axis is grouped into this many runs of
/// neighbouring values, each cell the mean of its points (exact), so a chart of a 1000 × 1000
/// grid stays small.
pub const MAX_CELLS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepPoint {
    pub values: Vec<String>,
    pub total_paid: Money,
    pub net_to_microsoft: Money,
    pub present_value: Money,
    pub cap_reached_year: Option<i32>,
}

impl SweepPoint {
    /// `texts`: each value as written (`Value::to_string`), formatted once per axis value.
    fn from_headline(texts: Vec<String>, headline: &Headline) -> SweepPoint {
        SweepPoint {
            values: texts,
            total_paid: Money(headline.share_paid),
            net_to_microsoft: Money(headline.net_to_microsoft),
            present_value: Money(headline.present_value),
            cap_reached_year: headline.cap_reached_year,
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

/// The position on each axis of grid point `index`: the last parameter varies fastest, the
/// first slowest (the order of `sweep.csv` and of `run --set`'s variants).
pub fn grid_indices(settings: &[(Param, Vec<Value>)], mut index: usize) -> Vec<usize> {
    let mut at = vec![0; settings.len()];
    for (slot, (_, axis)) in at.iter_mut().zip(settings).rev() {
        *slot = index % axis.len();
        index /= axis.len();
    }
    at
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

/// Runs the grid and keeps every point, in index order: `sweep_stream` collected (for the
/// library and tests; the CLI streams). `tick` is called once per finished point.
pub fn sweep(
    loaded: &Loaded,
    settings: &[(Param, Vec<Value>)],
    tick: &(dyn Fn() + Sync),
) -> Result<Sweep, AnalysisError> {
    let mut points = Vec::with_capacity(grid_size(settings)?);
    let streamed = sweep_stream(
        loaded,
        settings,
        (0, None),
        &|n| (0..n).for_each(|_| tick()),
        &|| false,
        &mut |chunk| points.extend_from_slice(chunk),
    )?;
    Ok(Sweep { params: streamed.params, axes: streamed.axes, labels: streamed.labels, points })
}

/// The three figures a sweep reports, by metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Paid,
    Net,
    Pv,
}

impl Figure {
    pub const ALL: [Figure; 3] = [Figure::Paid, Figure::Net, Figure::Pv];

    pub fn of(self, point: &SweepPoint) -> Decimal {
        match self {
            Figure::Paid => point.total_paid.value(),
            Figure::Net => point.net_to_microsoft.value(),
            Figure::Pv => point.present_value.value(),
        }
    }
}

/// One axis of a chart: which runs of the swept values each cell covers, and their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridAxis {
    /// The parameter's index among the swept ones.
    pub param: usize,
    /// For each value of the parameter, its cell.
    cell_of: Vec<usize>,
    /// Per cell, its label: its (first) value.
    pub labels: Vec<String>,
}

impl GridAxis {
    fn new(param: usize, labels: &[String]) -> GridAxis {
        let n = labels.len().max(1);
        let cells = n.min(MAX_CELLS);
        // Value i goes to cell i × cells / n: runs of equal length (±1), in order.
        let cell_of: Vec<usize> = (0..n).map(|i| i * cells / n).collect();
        // A grouped cell is labelled by its first value (the chart's title says cells group runs).
        let labels = (0..cells)
            .map(|c| {
                cell_of.iter().position(|k| *k == c).and_then(|i| labels.get(i)).cloned().unwrap_or_default()
            })
            .collect();
        GridAxis { param, cell_of, labels }
    }

    /// Whether cells group several values (the chart then shows means).
    pub fn grouped(&self) -> bool {
        self.labels.len() < self.cell_of.len()
    }
}

/// What a chart of a sweep shows: the plane of parameters `x` (and `y`), the others at their first
/// value, grouped into at most `MAX_CELLS` cells per axis; each cell the exact mean of its points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub x: GridAxis,
    pub y: Option<GridAxis>,
    /// Per cell (x fastest): number of points and the sum of each figure.
    sums: Vec<(u64, [Decimal; 3])>,
}

impl Grid {
    fn new(x: usize, y: Option<usize>, labels: &[Vec<String>]) -> Grid {
        let x = GridAxis::new(x, &labels[x]);
        let y = y.map(|y| GridAxis::new(y, &labels[y]));
        let cells = x.labels.len() * y.as_ref().map_or(1, |y| y.labels.len());
        Grid { x, y, sums: vec![(0, [Decimal::ZERO; 3]); cells] }
    }

    /// Adds a point with value indices `at` (one per parameter), if it lies on the plane.
    fn add(&mut self, at: &[usize], point: &SweepPoint) -> Option<()> {
        let on_plane = at
            .iter()
            .enumerate()
            .all(|(k, i)| k == self.x.param || Some(k) == self.y.as_ref().map(|y| y.param) || *i == 0);
        if !on_plane {
            return Some(());
        }
        let cx = self.x.cell_of[at[self.x.param]];
        let cy = self.y.as_ref().map_or(0, |y| y.cell_of[at[y.param]]);
        let cell = &mut self.sums[cy * self.x.labels.len() + cx];
        cell.0 += 1;
        for (sum, figure) in cell.1.iter_mut().zip(Figure::ALL) {
            *sum = sum.checked_add(figure.of(point))?;
        }
        Some(())
    }

    /// `(x cell, y cell, mean of the figure)` for every cell with points.
    pub fn cells(&self, figure: Figure) -> Vec<(usize, usize, Decimal)> {
        let index = Figure::ALL.iter().position(|f| *f == figure).unwrap_or(0);
        let width = self.x.labels.len();
        self.sums
            .iter()
            .enumerate()
            .filter(|(_, (count, _))| *count > 0)
            .map(|(k, (count, sums))| {
                (k % width, k / width, crate::money::round_money(sums[index] / Decimal::from(*count)))
            })
            .collect()
    }
}

/// A point and where it is, for the terminal's lowest/highest lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub point: SweepPoint,
    /// One value index per parameter.
    pub at: Vec<usize>,
}

/// What stays of a streamed sweep: its axes, the chart's grid and, per figure, the lowest and
/// highest point (the first in index order on ties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streamed {
    pub params: Vec<String>,
    pub axes: Vec<Vec<String>>,
    pub labels: Vec<Vec<String>>,
    pub points: usize,
    pub grid: Grid,
    /// Per figure (`Figure::ALL` order): lowest and highest.
    pub extremes: Vec<(Located, Located)>,
}

/// Runs the grid in chunks of `CHUNK_POINTS`, handing each chunk's points to `sink` in index
/// order (a sink that fails says so through `stop`) and keeping the chart's grid (parameters `x`, `y`) and the extremes. `tick(n)` reports
/// finished points; `stop()` is asked between chunks (Ctrl-C) and ends the run with
/// `AnalysisError::Interrupted`.
pub fn sweep_stream(
    loaded: &Loaded,
    settings: &[(Param, Vec<Value>)],
    (x, y): (usize, Option<usize>),
    tick: &(dyn Fn(u64) + Sync),
    stop: &dyn Fn() -> bool,
    sink: &mut dyn FnMut(&[SweepPoint]),
) -> Result<Streamed, AnalysisError> {
    let size = grid_size(settings)?;
    let params: Vec<Param> = settings.iter().map(|(p, _)| p.clone()).collect();
    let labels: Vec<Vec<String>> =
        settings.iter().map(|(p, vs)| vs.iter().map(|v| p.human(v)).collect()).collect();
    let indices = |index: usize| grid_indices(settings, index);
    let mut grid = Grid::new(x, y, &labels);
    let mut extremes: Vec<Option<(Located, Located)>> = vec![None; Figure::ALL.len()];
    let shared = PointContext::new(loaded, settings)?;
    let axes: Vec<Vec<String>> =
        settings.iter().map(|(_, vs)| vs.iter().map(Value::to_string).collect()).collect();
    for start in (0..size).step_by(CHUNK_POINTS) {
        if stop() {
            return Err(AnalysisError::Interrupted);
        }
        let end = (start + CHUNK_POINTS).min(size);
        let points = (start..end)
            .into_par_iter()
            .map(|index| {
                let at = indices(index);
                let values: Vec<Value> = at.iter().zip(settings).map(|(i, (_, axis))| axis[*i]).collect();
                let texts: Vec<String> = at.iter().zip(&axes).map(|(i, axis)| axis[*i].clone()).collect();
                let headline = evaluate_point(loaded, &shared, &params, &values).map_err(|e| {
                    let at: Vec<String> =
                        params.iter().zip(&values).map(|(p, v)| format!("{p}={v}")).collect();
                    AnalysisError::AtPoint { at: at.join(", "), source: Box::new(e) }
                })?;
                Ok(SweepPoint::from_headline(texts, &headline))
            })
            .collect::<Result<Vec<_>, AnalysisError>>()?;
        sink(&points);
        for (offset, point) in points.iter().enumerate() {
            let at = indices(start + offset);
            grid.add(&at, point).ok_or(AnalysisError::Sim(crate::ledger::SimError::Overflow {
                figure: "chart cell",
                period: String::new(),
            }))?;
            for (slot, figure) in extremes.iter_mut().zip(Figure::ALL) {
                let located = || Located { point: point.clone(), at: at.clone() };
                match slot {
                    None => *slot = Some((located(), located())),
                    Some((low, high)) => {
                        if figure.of(point) < figure.of(&low.point) {
                            *low = located();
                        }
                        if figure.of(point) > figure.of(&high.point) {
                            *high = located();
                        }
                    }
                }
            }
        }
        tick((end - start) as u64);
    }
    Ok(Streamed {
        params: params.iter().map(Param::to_string).collect(),
        axes,
        labels,
        points: size,
        grid,
        extremes: extremes.into_iter().flatten().collect(),
    })
}
