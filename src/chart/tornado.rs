//! `tornado`: each input's range of present values around the scenario's own, widest on top.

use super::style::{self, billions, text, tick_billions};
use super::{draw_error, Chart};
use crate::analysis::sensitivity::SensitivityReport;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct TornadoChart<'a> {
    pub report: &'a SensitivityReport,
    pub scenario: &'a str,
}

impl Chart for TornadoChart<'_> {
    fn name(&self) -> &'static str {
        "tornado"
    }

    fn summary(&self) -> &'static str {
        "Tornado: for each input, the present value of Microsoft's net receipts at its low end (orange) and high end (blue) around the scenario as written."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let r = self.report;
        let n = r.inputs.len().max(1);
        let base = billions(r.base_pv.value());
        let low = r.inputs.iter().map(|i| billions(*i.pv_low.min(i.pv_high))).fold(base, f64::min);
        let high = r.inputs.iter().map(|i| billions(*i.pv_low.max(i.pv_high))).fold(base, f64::max);
        let pad = ((high - low) * 0.25).max(1.0);
        let labels: Vec<String> =
            r.inputs.iter().map(|i| format!("{} ({} – {})", i.input, i.low, i.high)).collect();
        let mut chart = style::builder(
            root,
            format!("What moves the present value of Microsoft's net receipts — {}", self.scenario),
            &s,
            s.tick * 22,
        )
        .build_cartesian_2d((low - pad).max(0.0f64.min(low))..high + pad, -0.5..n as f64 - 0.5)
        .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_y_mesh()
            .x_desc(format!("Present value, USD bn (the scenario as written: {})", r.base_pv.human()))
            .x_label_formatter(&tick_billions)
            .y_labels(n + 1)
            .y_label_formatter(&|y| {
                let i = n as f64 - 1.0 - y;
                if (i - i.round()).abs() > 1e-6 || i < -0.5 {
                    return String::new();
                }
                labels.get(i.round() as usize).cloned().unwrap_or_default()
            })
            .draw()
            .map_err(draw_error)?;
        for (i, input) in r.inputs.iter().enumerate() {
            let y = n as f64 - 1.0 - i as f64;
            // The low end of the input in orange, the high end in blue, each from the base.
            for (value, colour) in [(input.pv_low, style::ORANGE), (input.pv_high, style::BLUE)] {
                let x = billions(value.value());
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(base.min(x), y - 0.32), (base.max(x), y + 0.32)],
                        colour.filled(),
                    )))
                    .map_err(draw_error)?;
                let anchor = if x < base { HPos::Right } else { HPos::Left };
                let nudge = if x < base { -pad * 0.03 } else { pad * 0.03 };
                chart
                    .draw_series(std::iter::once(Text::new(
                        value.human().to_string(),
                        (x + nudge, y),
                        text(s.note, style::INK).pos(Pos::new(anchor, VPos::Center)),
                    )))
                    .map_err(draw_error)?;
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(base, -0.5), (base, n as f64 - 0.5)],
                style::INK.stroke_width(2),
            )))
            .map_err(draw_error)?;
        chart
            .draw_series(
                [("input at the low end", style::ORANGE), ("input at the high end", style::BLUE)]
                    .into_iter()
                    .enumerate()
                    .map(|(k, (label, colour))| {
                        Text::new(
                            format!("■ {label}"),
                            (high + pad * 0.95, -0.45 + 0.3 * k as f64),
                            text(s.note, colour).pos(Pos::new(HPos::Right, VPos::Bottom)),
                        )
                    }),
            )
            .map_err(draw_error)?;
        Ok(())
    }
}
