//! `cashflows`: per period, the OpenAI→Microsoft share due (outlined) against what was paid
//! (filled), so the gap is what the cap removed; Microsoft→OpenAI payments below zero; the period
//! the cap is reached marked.

use super::style::{self, billions, headroom, text};
use super::{draw_error, Chart};
use crate::ledger::Ledger;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct CashflowsChart<'a> {
    pub ledger: &'a Ledger,
}

impl Chart for CashflowsChart<'_> {
    fn name(&self) -> &'static str {
        "cashflows"
    }

    fn summary(&self) -> &'static str {
        "Bars per period: the revenue share due to Microsoft before the cap (outline), paid after the cap (blue), and paid by Microsoft to OpenAI (below zero); a line: Microsoft's net receipts."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;

        let top = headroom(rows.iter().map(|r| billions(*r.share_due.max(r.share_paid))).fold(0.0, f64::max));
        let has_reverse = rows.iter().any(|r| !r.microsoft_share_paid.is_zero());
        let bottom =
            -rows.iter().map(|r| billions(r.microsoft_share_paid.value())).fold(0.0, f64::max) * 1.25;
        let n = rows.len().max(1);
        let labels: Vec<String> = rows.iter().map(|r| r.period.label.clone()).collect();

        let per = style::period_word(self.ledger);
        let title = format!(
            "Revenue share due vs paid per {per} — {} ({} terms)",
            self.ledger.scenario, self.ledger.agreement
        );
        let (unit, ticks) = style::money_axis(top.max(-bottom) / 1.18);
        let mut chart = style::builder(root, title, &s, s.label * 4)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), bottom..top)
            .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        let x_desc = if per == "year" { "Year" } else { "Quarter" };
        mesh.disable_x_mesh()
            .x_desc(x_desc)
            .y_desc(unit)
            .x_labels(n + 1)
            .x_label_formatter(&|x| style::index_label(*x, &labels))
            .y_label_formatter(&ticks)
            .draw()
            .map_err(draw_error)?;

        let x = |i: usize| i as f64;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(x(i) - 0.36, 0.0), (x(i) + 0.36, billions(r.share_due.value()))],
                    style::ORANGE.stroke_width(3),
                )
            }))
            .map_err(draw_error)?
            .label("Due to Microsoft before the cap")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], style::ORANGE.stroke_width(3)));
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(x(i) - 0.26, 0.0), (x(i) + 0.26, billions(r.share_paid.value()))],
                    style::BLUE.filled(),
                )
            }))
            .map_err(draw_error)?
            .label("Paid to Microsoft (after the cap)")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], style::BLUE.filled()));
        if has_reverse {
            chart
                .draw_series(rows.iter().enumerate().map(|(i, r)| {
                    Rectangle::new(
                        [(x(i) - 0.26, 0.0), (x(i) + 0.26, -billions(r.microsoft_share_paid.value()))],
                        style::VERMILLION.filled(),
                    )
                }))
                .map_err(draw_error)?
                .label("Paid by Microsoft to OpenAI")
                .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], style::VERMILLION.filled()));
            chart
                .draw_series(LineSeries::new(
                    rows.iter().enumerate().map(|(i, r)| (x(i), billions(r.net_to_microsoft.value()))),
                    style::INK.stroke_width(2),
                ))
                .map_err(draw_error)?
                .label("Net to Microsoft")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style::INK.stroke_width(2)));
        }

        self.annotate(&mut chart, (bottom, top), &s)?;

        style::legend(&mut chart, SeriesLabelPosition::UpperLeft, &s)?;
        Ok(())
    }
}

impl CashflowsChart<'_> {
    /// The paid figure above each bar (when there is room), and the line where the cap binds.
    fn annotate<DB: DrawingBackend>(
        &self,
        chart: &mut style::Plot<'_, DB>,
        (bottom, top): (f64, f64),
        s: &style::Sizes,
    ) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let x = |i: usize| i as f64;
        // Paid figures above each bar, when there is room for them.
        if rows.len() <= 16 {
            chart
                .draw_series(rows.iter().enumerate().filter(|(_, r)| !r.share_due.is_zero()).map(|(i, r)| {
                    let y = billions(*r.share_due.max(r.share_paid)) + top * 0.015;
                    let label = if r.share_paid < r.share_due {
                        format!("{} of {}", r.share_paid.human(), r.share_due.human())
                    } else {
                        r.share_paid.human().to_string()
                    };
                    Text::new(
                        label,
                        (x(i), y),
                        text(s.note, style::INK).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
                }))
                .map_err(draw_error)?;
        }

        if let Some(i) = rows.iter().position(|r| r.cap_reached) {
            let line_x = x(i) + 0.5;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(line_x, bottom), (line_x, top * 0.92)],
                    8,
                    6,
                    style::VERMILLION.stroke_width(2),
                ))
                .map_err(draw_error)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("cap reached in {}", rows[i].period.label),
                    (line_x, top * 0.93),
                    text(s.note, style::VERMILLION).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}
