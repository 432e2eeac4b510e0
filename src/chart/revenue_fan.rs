//! `revenue-fan`: Monte Carlo revenue per year, OpenAI's and Microsoft's (drawn the same way),
//! each its P5–P95 band around its median.

use super::style::{self, billions, headroom};
use super::{draw_error, Chart};
use crate::analysis::montecarlo::{MonteCarlo, Percentiles};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A revenue drawn: its name, its percentiles in a year, its line and band colours.
type Stream =
    (&'static str, fn(&crate::analysis::montecarlo::YearResult) -> &Percentiles, RGBColor, RGBColor);

pub struct RevenueFanChart<'a> {
    pub mc: &'a MonteCarlo,
    pub scenario: &'a str,
}

impl Chart for RevenueFanChart<'_> {
    fn name(&self) -> &'static str {
        "revenue-fan"
    }

    fn summary(&self) -> &'static str {
        "Monte Carlo revenue: OpenAI's and Microsoft's revenue from OpenAI-based products per year, each its median with the P5–P95 band."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let years = &self.mc.years;
        let labels: Vec<String> = years.iter().map(|y| y.period.clone()).collect();
        let top = headroom(
            years
                .iter()
                .map(|y| billions(y.revenue.p95.value().max(y.microsoft_revenue.p95.value())))
                .fold(0.0, f64::max),
        ) * 1.05;
        // Microsoft's line only where the scenario has its revenue.
        let microsoft = years.iter().any(|y| !y.microsoft_revenue.p95.value().is_zero());
        let title =
            format!("Revenue, {} simulated paths — {}", crate::money::grouped(self.mc.paths), self.scenario);
        let mut chart = style::years_plot(root, title, ("Year", "USD bn a year"), &labels, top, &s)?;
        let streams: [Stream; 2] = [
            ("OpenAI", |y| &y.revenue, style::BLUE, RGBColor(198, 224, 242)),
            (
                "Microsoft (OpenAI-based products)",
                |y| &y.microsoft_revenue,
                style::VERMILLION,
                RGBColor(246, 214, 196),
            ),
        ];
        for (name, pick, line, band) in streams.into_iter().take(if microsoft { 2 } else { 1 }) {
            let p = |i: usize, f: fn(&Percentiles) -> rust_decimal::Decimal| {
                (i as f64, billions(f(pick(&years[i]))))
            };
            let mut points: Vec<(f64, f64)> = (0..years.len()).map(|i| p(i, |x| x.p95.value())).collect();
            points.extend((0..years.len()).rev().map(|i| p(i, |x| x.p5.value())));
            chart
                .draw_series(std::iter::once(Polygon::new(points, band.mix(0.8).filled())))
                .map_err(draw_error)?
                .label(format!("{name}: P5–P95"))
                .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], band.filled()));
            chart
                .draw_series(LineSeries::new(
                    (0..years.len()).map(|i| p(i, |x| x.p50.value())),
                    line.stroke_width(4),
                ))
                .map_err(draw_error)?
                .label(format!("{name}: median"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], line.stroke_width(4)));
        }
        style::legend(&mut chart, SeriesLabelPosition::UpperLeft, &s)?;
        Ok(())
    }
}
