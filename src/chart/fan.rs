//! `fan`: Monte Carlo cumulative paid to Microsoft, P5–P95 and P25–P75 bands around the median,
//! against the cap, with the probability the cap is reached by each year written above it.

use super::style::{self, billions, headroom, text};
use super::{draw_error, Chart};
use crate::analysis::montecarlo::MonteCarlo;
use crate::money::{percent, Human};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

pub struct FanChart<'a> {
    pub mc: &'a MonteCarlo,
    pub scenario: &'a str,
    pub cap: Option<Decimal>,
}

impl Chart for FanChart<'_> {
    fn name(&self) -> &'static str {
        "fan"
    }

    fn summary(&self) -> &'static str {
        "Monte Carlo fan: median cumulative paid to Microsoft with the P25–P75 and P5–P95 bands, the cap, and above each year the share of paths that have reached the cap."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let years = &self.mc.years;
        let n = years.len().max(1);
        let labels: Vec<String> = years.iter().map(|y| y.period.clone()).collect();
        let top = headroom(
            years
                .iter()
                .map(|y| billions(y.cumulative_paid.p95.value()))
                .fold(self.cap.map(billions).unwrap_or(0.0), f64::max),
        ) * 1.08;
        let title = format!(
            "Cumulative paid to Microsoft, {} simulated paths — {}",
            crate::money::grouped(self.mc.paths),
            self.scenario
        );
        let axes = ("Year (cumulative to the end of each year)", "USD bn, cumulative");
        let mut chart = style::years_plot(root, title, axes, &labels, top, &s)?;
        let band = |lo: fn(&crate::analysis::montecarlo::Percentiles) -> Decimal,
                    hi: fn(&crate::analysis::montecarlo::Percentiles) -> Decimal| {
            let mut points: Vec<(f64, f64)> =
                years.iter().enumerate().map(|(i, y)| (i as f64, billions(hi(&y.cumulative_paid)))).collect();
            points.extend(
                years.iter().enumerate().rev().map(|(i, y)| (i as f64, billions(lo(&y.cumulative_paid)))),
            );
            points
        };
        let light = RGBColor(198, 224, 242);
        let mid = RGBColor(120, 178, 219);
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(|p| p.p5.value(), |p| p.p95.value()),
                light.filled(),
            )))
            .map_err(draw_error)?
            .label("P5–P95")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], light.filled()));
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(|p| p.p25.value(), |p| p.p75.value()),
                mid.filled(),
            )))
            .map_err(draw_error)?
            .label("P25–P75")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], mid.filled()));
        chart
            .draw_series(LineSeries::new(
                years.iter().enumerate().map(|(i, y)| (i as f64, billions(y.cumulative_paid.p50.value()))),
                style::BLUE.stroke_width(4),
            ))
            .map_err(draw_error)?
            .label("Median")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style::BLUE.stroke_width(4)));
        self.cap_and_probabilities(&mut chart, n, top, &s)?;
        style::legend(&mut chart, SeriesLabelPosition::LowerRight, &s)?;
        Ok(())
    }
}

impl FanChart<'_> {
    /// The cap, and above each year the share of paths that have reached it.
    fn cap_and_probabilities<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut style::Plot<'a, DB>,
        n: usize,
        top: f64,
        s: &style::Sizes,
    ) -> Result<(), String> {
        let years = &self.mc.years;
        if let Some(cap) = self.cap {
            style::cap_line(
                chart,
                (-0.4, n as f64 - 0.6),
                billions(cap),
                format!("Cap: {} (P(cap): share of paths at the cap by that year)", Human(cap)),
            )?;
            chart
                .draw_series(years.iter().enumerate().map(|(i, yr)| {
                    Text::new(
                        format!(
                            "P(cap) {}",
                            percent(
                                (yr.probability_cap_reached * Decimal::ONE_HUNDRED).round()
                                    / Decimal::ONE_HUNDRED
                            )
                        ),
                        (i as f64, top * 0.97),
                        text(s.note, style::VERMILLION).pos(Pos::new(HPos::Center, VPos::Top)),
                    )
                }))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}
