//! `gain-histogram`: `montecarlo --against`, how many paths give Microsoft each present-value
//! gain from the scenario's terms over the other agreement's; bars right of zero favour
//! Microsoft (blue), left of zero OpenAI (orange), with the P5/P50/P95 marked.

use super::style::{self, text};
use super::{draw_error, Chart};
use crate::analysis::montecarlo::against::AgainstDistribution;
use crate::money::percent;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct GainHistogramChart<'a> {
    pub dist: &'a AgainstDistribution,
    pub scenario: &'a str,
    pub agreement: &'a str,
}

impl Chart for GainHistogramChart<'_> {
    fn name(&self) -> &'static str {
        "gain-histogram"
    }

    fn summary(&self) -> &'static str {
        "Histogram of Microsoft's present-value gain per simulated path from the scenario's terms over another agreement's: bars above zero favour Microsoft, below zero OpenAI; dashed lines mark P5, P50 and P95."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let d = self.dist;
        let pv = &d.gain_present_value;
        let bn = 1e9;
        let (mut lo, mut hi) = d
            .histogram
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (a, b, _)| (lo.min(*a / bn), hi.max(*b / bn)));
        if lo > hi {
            (lo, hi) = (style::billions(pv.p5.value()), style::billions(pv.p95.value()));
        }
        let pad = ((hi - lo) * 0.05).max(0.5);
        let (lo, hi) = (lo.min(0.0) - pad, hi.max(0.0) + pad);
        let tallest = d.histogram.iter().map(|(_, _, n)| *n).max().unwrap_or(1) as f64;
        let top = tallest * 1.25;
        let title = format!(
            "PV gain to Microsoft: `{}` over `{}`, {} paths — {}",
            self.agreement,
            d.against,
            crate::money::grouped(d.paths),
            self.scenario
        );
        let mut chart = style::builder(root, title, &s, s.label * 5)
            .build_cartesian_2d(lo..hi, 0.0..top)
            .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_x_mesh()
            .x_desc("Present-value gain to Microsoft per path, USD bn (OpenAI's is the negative)")
            .y_desc("Paths")
            .x_label_formatter(&style::tick_billions)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(d.histogram.iter().map(|(a, b, n)| {
                let color = if (a + b) / 2.0 >= 0.0 { style::BLUE } else { style::ORANGE };
                Rectangle::new([(a / bn, 0.0), (b / bn, *n as f64)], color.mix(0.85).filled())
            }))
            .map_err(draw_error)?;
        let marks = [("P5", pv.p5.value()), ("P50", pv.p50.value()), ("P95", pv.p95.value())];
        for (i, (name, value)) in marks.into_iter().enumerate() {
            let x = style::billions(value);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, tallest * 1.05)],
                    5,
                    4,
                    style::INK.stroke_width(2),
                ))
                .map_err(draw_error)?;
            let y = tallest * (1.2 - 0.06 * i as f64);
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{name} {}", crate::money::Human(value)),
                    (x, y),
                    text(s.note, style::INK).pos(Pos::new(HPos::Center, VPos::Top)),
                )))
                .map_err(draw_error)?;
        }
        chart
            .draw_series(std::iter::once(Text::new(
                format!(
                    "favours Microsoft on {} of paths, OpenAI on {}",
                    percent(d.probability_favours_microsoft),
                    percent(d.probability_favours_openai)
                ),
                (lo + (hi - lo) * 0.01, tallest * 1.24),
                text(s.note, style::VERMILLION).pos(Pos::new(HPos::Left, VPos::Top)),
            )))
            .map_err(draw_error)?;
        Ok(())
    }
}
