//! `heatmap`: a sweep's metric over two of its parameters (one parameter is drawn as a line, see
//! `sweep_line`), one cell per pair of values, labelled with the exact figure formatted for
//! humans when few enough to read. Other parameters are held at their first value. An axis of
//! more than `sweep::MAX_CELLS` values is grouped into that many runs, each cell the exact mean
//! of its points, so the SVG of a 1000 × 1000 sweep stays small.

use super::style::{self, billions, text};
use super::{draw_error, Chart};
use crate::analysis::sweep::{Figure, Streamed, SweepPoint};
use crate::money::Human;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

/// Which figure a heat map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Metric {
    /// Total paid by OpenAI to Microsoft.
    Paid,
    /// Net to Microsoft.
    Net,
    /// Present value of the net to Microsoft.
    Pv,
}

impl Metric {
    pub fn figure(self) -> Figure {
        match self {
            Metric::Paid => Figure::Paid,
            Metric::Net => Figure::Net,
            Metric::Pv => Figure::Pv,
        }
    }

    pub fn of(self, point: &SweepPoint) -> Decimal {
        self.figure().of(point)
    }

    pub fn title(self) -> &'static str {
        match self {
            Metric::Paid => "Total paid to Microsoft",
            Metric::Net => "Net to Microsoft",
            Metric::Pv => "Present value of net to Microsoft",
        }
    }
}

/// Viridis, sampled at five points and interpolated: even in lightness, so it reads in greyscale.
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];
    let t = t.clamp(0.0, 1.0) * 4.0;
    let i = (t.floor() as usize).min(3);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The key to the colours: a vertical gradient from the lowest to the highest figure, in USD bn,
/// aligned with the cells (same top and bottom margins as the main chart).
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (low, high): (f64, f64),
    s: &style::Sizes,
) -> Result<(), String> {
    let (low, high) = if high > low { (low, high) } else { (low - 0.5, low + 0.5) };
    let mut bar = ChartBuilder::on(area)
        .margin(24)
        .margin_top(24 + s.title * 2)
        .x_label_area_size(s.label * 3)
        .right_y_label_area_size(s.tick * 4)
        .build_cartesian_2d(0.0..1.0, low..high)
        .map_err(draw_error)?;
    let mut mesh = bar.configure_mesh();
    style::axes(&mut mesh, s);
    mesh.disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_formatter(&style::tick_billions)
        .draw()
        .map_err(draw_error)?;
    const STEPS: usize = 64;
    let step = (high - low) / STEPS as f64;
    bar.draw_series((0..STEPS).map(|k| {
        let from = low + step * k as f64;
        Rectangle::new([(0.0, from), (1.0, from + step)], viridis((k as f64 + 0.5) / STEPS as f64).filled())
    }))
    .map_err(draw_error)?;
    Ok(())
}

pub struct HeatmapChart<'a> {
    pub sweep: &'a Streamed,
    pub scenario: &'a str,
    pub metric: Metric,
}

impl Chart for HeatmapChart<'_> {
    fn name(&self) -> &'static str {
        "heatmap"
    }

    fn summary(&self) -> &'static str {
        "Heat map: one cell per pair of swept values, coloured and labelled with the figure; a colour bar gives the scale in USD bn."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let sweep = self.sweep;
        let grid = &sweep.grid;
        let Some(y_grid) = &grid.y else { return Err("a heat map needs two swept parameters".into()) };
        let (x_axis, y_axis) = (&grid.x.labels, &y_grid.labels);
        let (xp, yp) = (grid.x.param, y_grid.param);
        let cells = grid.cells(self.metric.figure());
        let low = cells.iter().map(|c| billions(c.2)).fold(f64::INFINITY, f64::min);
        let high = cells.iter().map(|c| billions(c.2)).fold(f64::NEG_INFINITY, f64::max);
        let span = if high > low { high - low } else { 1.0 };
        let held: Vec<String> = sweep
            .params
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != xp && *k != yp)
            .map(|(k, p)| format!("{p}={}", sweep.labels[k][0]))
            .collect();
        let grouped = grid.x.grouped() || y_grid.grouped();
        let title = format!(
            "{} (USD bn{}) — sweep of {}{}",
            self.metric.title(),
            if grouped { ", each cell a mean" } else { "" },
            self.scenario,
            if held.is_empty() { String::new() } else { format!(", {}", held.join(", ")) }
        );
        let (nx, ny) = (x_axis.len(), y_axis.len());
        // The colour bar takes a strip on the right; the cells the rest.
        let (width, _) = root.dim_in_pixel();
        let (cells_area, bar_area) = root.split_horizontally(width.saturating_sub(s.tick * 9));
        let mut chart = style::builder(&cells_area, title, &s, s.label * 6)
            .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)
            .map_err(draw_error)?;
        let x_name = sweep.params[xp].clone();
        let y_name = sweep.params[yp].clone();
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_mesh()
            .x_desc(x_name)
            .y_desc(y_name)
            .x_labels(nx.min(20) + 1)
            .y_labels(ny.min(20) + 1)
            .x_label_formatter(&|x| style::index_label(*x, x_axis))
            .y_label_formatter(&|y| style::index_label(*y, y_axis))
            .draw()
            .map_err(draw_error)?;
        let labelled = nx <= 14 && ny <= 14;
        for (xi, yi, value) in &cells {
            let t = (billions(*value) - low) / span;
            let colour = viridis(t);
            let (x, y) = (*xi as f64, *yi as f64);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    colour.filled(),
                )))
                .map_err(draw_error)?;
            if labelled {
                let ink = if t > 0.55 { style::INK } else { WHITE };
                chart
                    .draw_series(std::iter::once(Text::new(
                        Human(*value).to_string(),
                        (x, y),
                        text(s.note, ink).pos(Pos::new(HPos::Center, VPos::Center)),
                    )))
                    .map_err(draw_error)?;
            }
        }
        colour_bar(&bar_area, (low, high), &s)?;
        Ok(())
    }
}
