//! `calibrate`: each unknown before (grey) and after (blue) the reports, one panel each:
//! readings as paired bars of probability; a continuous unknown as the share of its prior and
//! posterior weight in each of 30 bins of the drawn range.

use super::style::{self, text};
use super::{draw_error, Chart};
use crate::analysis::calibrate::{Calibration, Unknown, UnknownShape};
use crate::analysis::params::Value;
use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

pub struct CalibrateChart<'a> {
    pub calibration: &'a Calibration,
    /// The reported-figures file's name, for the title.
    pub file: &'a str,
}

impl Chart for CalibrateChart<'_> {
    fn name(&self) -> &'static str {
        "calibrate"
    }

    fn summary(&self) -> &'static str {
        "Each undisclosed term before and after weighing the reported figures: grey bars are the prior, blue the posterior; readings as probabilities, continuous terms as the share of weight in each range of values."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let title = format!("What the reports imply: prior (grey) and posterior (blue) — {}", self.file);
        let area = root.titled(&title, text(s.title, style::INK)).map_err(draw_error)?;
        let unknowns = &self.calibration.unknowns;
        if unknowns.is_empty() {
            return Ok(());
        }
        let panels = area.split_evenly((1, unknowns.len()));
        for (panel, unknown) in panels.iter().zip(unknowns) {
            match &unknown.shape {
                UnknownShape::Readings(readings) => {
                    let bars: Vec<(String, f64, f64)> = readings
                        .iter()
                        .map(|r| (unknown.param.human(&r.value), r.prior, r.posterior))
                        .collect();
                    readings_panel(panel, &unknown.name, &bars, &s)?
                }
                UnknownShape::Continuous { bins, .. } => continuous_panel(panel, unknown, bins, &s)?,
            }
        }
        Ok(())
    }
}

/// Paired bars per reading: prior left (grey), posterior right (blue), probability on y.
fn readings_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    bars: &[(String, f64, f64)],
    s: &style::Sizes,
) -> Result<(), String> {
    let n = bars.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(name, text(s.label, style::INK))
        .margin(16)
        .x_label_area_size(s.label * 2)
        .y_label_area_size(s.label * 4)
        .build_cartesian_2d(-0.5..n - 0.5, 0.0..1.08)
        .map_err(draw_error)?;
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut mesh = chart.configure_mesh();
    style::axes(&mut mesh, s);
    mesh.disable_x_mesh()
        .x_labels(bars.len())
        .x_label_formatter(&|x| style::index_label(*x, &labels))
        .y_desc("Probability")
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .draw()
        .map_err(draw_error)?;
    for (i, (_, prior, posterior)) in bars.iter().enumerate() {
        let x = i as f64;
        chart
            .draw_series([
                Rectangle::new([(x - 0.38, 0.0), (x - 0.02, *prior)], style::GREY.mix(0.55).filled()),
                Rectangle::new([(x + 0.02, 0.0), (x + 0.38, *posterior)], style::BLUE.filled()),
            ])
            .map_err(draw_error)?;
        chart
            .draw_series(std::iter::once(Text::new(
                crate::report::share(*posterior),
                (x + 0.03, posterior + 0.05),
                text(s.note, style::BLUE),
            )))
            .map_err(draw_error)?;
    }
    Ok(())
}

/// A continuous unknown: the share of prior (grey) and posterior (blue) weight per bin.
fn continuous_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    unknown: &Unknown,
    bins: &[(f64, f64, f64, f64)],
    s: &style::Sizes,
) -> Result<(), String> {
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else { return Ok(()) };
    let (lo, hi) = (first.0, last.1.max(first.0 + f64::MIN_POSITIVE));
    let top = bins.iter().map(|b| b.2.max(b.3)).fold(0.0, f64::max);
    let param = &unknown.param;
    let value_label =
        |x: &f64| param.human(&Value::Number(Decimal::from_f64(*x).unwrap_or_default().round_dp(4)));
    let mut chart = ChartBuilder::on(area)
        .caption(&unknown.name, text(s.label, style::INK))
        .margin(16)
        .x_label_area_size(s.label * 2)
        .y_label_area_size(s.label * 4)
        .build_cartesian_2d(lo..hi, 0.0..style::headroom(top))
        .map_err(draw_error)?;
    let mut mesh = chart.configure_mesh();
    style::axes(&mut mesh, s);
    mesh.disable_x_mesh()
        .x_labels(5)
        .x_label_formatter(&value_label)
        .y_desc("Share of weight")
        .y_label_formatter(&|y| {
            if top < 0.1 {
                format!("{:.1}%", y * 100.0)
            } else {
                format!("{:.0}%", y * 100.0)
            }
        })
        .draw()
        .map_err(draw_error)?;
    chart
        .draw_series(bins.iter().map(|(a, b, prior, _)| {
            Rectangle::new([(*a, 0.0), (*b, *prior)], style::GREY.mix(0.45).filled())
        }))
        .map_err(draw_error)?;
    chart
        .draw_series(bins.iter().map(|(a, b, _, posterior)| {
            let inset = (b - a) * 0.2;
            Rectangle::new([(a + inset, 0.0), (b - inset, *posterior)], style::BLUE.mix(0.9).filled())
        }))
        .map_err(draw_error)?;
    Ok(())
}
