//! `line`: a one-parameter sweep's metric against the swept values. A heat map needs two axes;
//! with one parameter a line reads better than a single row of coloured cells.

use super::style::{self, billions, text, tick_billions};
use super::{draw_error, Chart, Metric};
use crate::analysis::sweep::Streamed;
use crate::money::Human;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct SweepLineChart<'a> {
    pub sweep: &'a Streamed,
    pub scenario: &'a str,
    pub metric: Metric,
}

impl Chart for SweepLineChart<'_> {
    fn name(&self) -> &'static str {
        "line"
    }

    fn summary(&self) -> &'static str {
        "A line: the swept figure against the values of the one swept parameter, each point labelled."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let sweep = self.sweep;
        // One value per cell of the grid's x axis (a mean where values are grouped).
        let labels = sweep.grid.x.labels.clone();
        let cells = sweep.grid.cells(self.metric.figure());
        let values: Vec<f64> = cells.iter().map(|(_, _, v)| billions(*v)).collect();
        let n = values.len().max(1);
        let low = values.iter().copied().fold(0.0f64, f64::min);
        let high = values.iter().copied().fold(0.0f64, f64::max);
        let title = format!(
            "{} by {}{} — sweep of {}",
            self.metric.title(),
            sweep.params[sweep.grid.x.param],
            if sweep.grid.x.grouped() { " (each point a mean)" } else { "" },
            self.scenario
        );
        let mut chart = style::builder(root, title, &s, s.label * 4)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, low..style::headroom(high))
            .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_x_mesh()
            .x_desc(sweep.params[sweep.grid.x.param].clone())
            .y_desc(format!("{}, USD bn", self.metric.title()))
            .x_labels(n.min(20) + 1)
            .x_label_formatter(&|x| style::index_label(*x, &labels))
            .y_label_formatter(&tick_billions)
            .draw()
            .map_err(draw_error)?;
        let points: Vec<(f64, f64)> = values.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), style::BLUE.stroke_width(3)))
            .map_err(draw_error)?;
        chart
            .draw_series(points.iter().map(|p| Circle::new(*p, 5, style::BLUE.filled())))
            .map_err(draw_error)?;
        if n <= 20 {
            chart
                .draw_series(cells.iter().zip(&points).map(|((_, _, value), (x, y))| {
                    Text::new(
                        Human(*value).to_string(),
                        (*x, *y + (high - low).max(1.0) * 0.03),
                        text(s.note, style::INK).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
                }))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}
