//! `cashflows`: per period, the OpenAI→Microsoft share due (outlined) against what was paid
//! (filled), so the gap is what the cap removed; every other payment to Microsoft (top-ups, fixed
//! payments, milestones, shortfalls) stacked on it, one colour per clause; Microsoft→OpenAI
//! payments below zero; the period the cap is reached marked. Purchases are not payments and are
//! not drawn.

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
        "Bars per period: the revenue share due to Microsoft before the cap (outline), paid after the cap (blue), any other payment to Microsoft stacked on it by clause, and paid by Microsoft to OpenAI (below zero); a line: Microsoft's net receipts."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;

        let stacked = |r: &crate::ledger::LedgerRow| r.share_paid + r.other_paid_to_microsoft;
        let top = headroom(rows.iter().map(|r| billions(*r.share_due.max(stacked(r)))).fold(0.0, f64::max));
        let paid_to_openai = |r: &crate::ledger::LedgerRow| r.microsoft_share_paid + r.other_paid_to_openai;
        let has_reverse = rows.iter().any(|r| !paid_to_openai(r).is_zero());
        let bottom = -rows.iter().map(|r| billions(paid_to_openai(r).value())).fold(0.0, f64::max) * 1.25;
        let n = rows.len().max(1);
        let labels: Vec<String> = rows.iter().map(|r| r.period.label.clone()).collect();

        let per = style::period_word(self.ledger);
        let others = rows.iter().any(|r| !r.other_paid_to_microsoft.is_zero());
        let title = format!(
            "{} per {per} — {} ({} terms)",
            if others { "Payments to Microsoft" } else { "Revenue share due vs paid" },
            self.ledger.scenario,
            self.ledger.agreement
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
        self.stack_other_payments(&mut chart)?;
        if has_reverse {
            self.reverse_and_net(&mut chart)?;
        }

        self.annotate(&mut chart, (bottom, top), &s)?;

        style::legend(&mut chart, SeriesLabelPosition::UpperLeft, &s)?;
        Ok(())
    }
}

impl CashflowsChart<'_> {
    /// What Microsoft pays OpenAI, below zero, and Microsoft's net receipts as a line.
    fn reverse_and_net<DB: DrawingBackend>(&self, chart: &mut style::Plot<'_, DB>) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let x = |i: usize| i as f64;
        let paid_to_openai = |r: &crate::ledger::LedgerRow| r.microsoft_share_paid + r.other_paid_to_openai;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(x(i) - 0.26, 0.0), (x(i) + 0.26, -billions(paid_to_openai(r).value()))],
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
        Ok(())
    }

    /// Each payment to Microsoft besides the shares, by clause, stacked on the share paid.
    fn stack_other_payments<DB: DrawingBackend>(
        &self,
        chart: &mut style::Plot<'_, DB>,
    ) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let mut clauses: Vec<(&str, crate::ledger::Category)> = Vec::new();
        for f in rows.iter().flat_map(|r| &r.flows) {
            if f.is_payment_to_microsoft()
                && f.category != crate::ledger::Category::Share
                && !clauses.iter().any(|(c, _)| *c == f.clause)
            {
                clauses.push((f.clause.as_str(), f.category));
            }
        }
        // Each row's stack starts at the share paid and grows clause by clause.
        let mut bases: Vec<f64> = rows.iter().map(|r| billions(r.share_paid.value())).collect();
        let palette = [style::GREEN, style::PURPLE, style::SKY, style::ORANGE, style::GREY];
        for (k, (clause, category)) in clauses.iter().enumerate() {
            let colour = palette[k % palette.len()];
            let bars: Vec<Rectangle<(f64, f64)>> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let paid: crate::money::Money = r
                        .flows
                        .iter()
                        .filter(|f| f.clause == *clause && f.is_payment_to_microsoft())
                        .map(|f| f.paid)
                        .sum();
                    let (from, to) = (bases[i], bases[i] + billions(paid.value()));
                    bases[i] = to;
                    Rectangle::new([(i as f64 - 0.26, from), (i as f64 + 0.26, to)], colour.filled())
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(draw_error)?
                .label(format!("{} ({clause})", category.words()))
                .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 18, y + 7)], colour.filled()));
        }
        Ok(())
    }

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
                .draw_series(
                    rows.iter()
                        .enumerate()
                        .filter(|(_, r)| !(r.share_due + r.other_paid_to_microsoft).is_zero())
                        .map(|(i, r)| {
                            let stacked = r.share_paid + r.other_paid_to_microsoft;
                            let y = billions(*r.share_due.max(stacked)) + top * 0.015;
                            let label =
                                match (r.share_paid < r.share_due, r.other_paid_to_microsoft.is_zero()) {
                                    (true, true) => {
                                        format!("{} of {}", r.share_paid.human(), r.share_due.human())
                                    }
                                    (false, true) => r.share_paid.human().to_string(),
                                    // With other payments the label is the bar's total, the share's part in it.
                                    (_, false) if r.share_paid.is_zero() => stacked.human().to_string(),
                                    (_, false) => {
                                        format!("{} ({} share)", stacked.human(), r.share_paid.human())
                                    }
                                };
                            Text::new(
                                label,
                                (x(i), y),
                                text(s.note, style::INK).pos(Pos::new(HPos::Center, VPos::Bottom)),
                            )
                        }),
                )
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
