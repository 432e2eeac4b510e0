//! `cumulative`: cumulative OpenAI→Microsoft payments against the cap, the uncapped path for
//! comparison, and the end of the revenue-share term marked.

use super::style::{self, billions, headroom, text, tick_billions};
use super::{draw_error, Chart};
use crate::agreement::{Agreement, Clause, Party};
use crate::ledger::Ledger;
use crate::money::Human;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

pub struct CumulativeChart<'a> {
    pub ledger: &'a Ledger,
    pub agreement: &'a Agreement,
}

impl CumulativeChart<'_> {
    /// Last day of the OpenAI→Microsoft share, and how many periods end on or before it.
    /// Due without a cap (dashed) and paid (solid, with a point per period).
    fn lines<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut style::Plot<'a, DB>,
        cumulative_due: &[f64],
    ) -> Result<(), String> {
        let x = |i: usize| i as f64;
        chart
            .draw_series(DashedLineSeries::new(
                cumulative_due.iter().enumerate().map(|(i, y)| (x(i), *y)),
                10,
                6,
                style::ORANGE.stroke_width(3),
            ))
            .map_err(draw_error)?
            .label("Due without a cap")
            .legend(|(x, y)| {
                plotters::element::DashedPathElement::new(
                    vec![(x, y), (x + 22, y)],
                    7,
                    4,
                    style::ORANGE.stroke_width(3),
                )
            });
        chart
            .draw_series(LineSeries::new(
                self.ledger.rows.iter().enumerate().map(|(i, r)| (x(i), billions(r.cumulative_paid.value()))),
                style::BLUE.stroke_width(4),
            ))
            .map_err(draw_error)?
            .label("Paid (cumulative)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style::BLUE.stroke_width(4)));
        chart
            .draw_series(self.ledger.rows.iter().enumerate().map(|(i, r)| {
                Circle::new((x(i), billions(r.cumulative_paid.value())), 5, style::BLUE.filled())
            }))
            .map_err(draw_error)?;
        // Where other clauses draw on the share's cap pool (a minimum's top-ups), what the pool
        // has paid out is what meets the cap, not the share alone.
        if let Some(pooled) = self.pooled() {
            chart
                .draw_series(LineSeries::new(
                    pooled.iter().enumerate().map(|(i, y)| (x(i), *y)),
                    style::GREEN.stroke_width(3),
                ))
                .map_err(draw_error)?
                .label("Paid from the cap pool (cumulative, every clause in it)")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style::GREEN.stroke_width(3)));
        }
        Ok(())
    }

    /// The running total paid from the pools an OpenAI→Microsoft share draws on, by every clause
    /// in them, when that is more than the share paid; `None` otherwise.
    fn pooled(&self) -> Option<Vec<f64>> {
        let rows = &self.ledger.rows;
        let pools: Vec<&str> = rows
            .iter()
            .flat_map(|r| &r.flows)
            .filter(|f| f.is_openai_to_microsoft())
            .filter_map(|f| f.cap_pool.as_deref())
            .collect();
        let others = rows.iter().flat_map(|r| &r.flows).any(|f| {
            !f.is_openai_to_microsoft()
                && f.cap_pool.as_deref().is_some_and(|p| pools.contains(&p))
                && !f.paid.is_zero()
        });
        if !others {
            return None;
        }
        let mut running = Decimal::ZERO;
        Some(
            rows.iter()
                .map(|r| {
                    let paid: Decimal = r
                        .flows
                        .iter()
                        .filter(|f| f.cap_pool.as_deref().is_some_and(|p| pools.contains(&p)))
                        .map(|f| f.paid.value())
                        .sum();
                    running = running.saturating_add(paid);
                    billions(running)
                })
                .collect(),
        )
    }

    /// The cap, drawn above what uncapped shares paid (under a timeline: the earlier versions'
    /// shares): those payments do not count toward it, and a paid line above a bare "38B" would
    /// read as a breach.
    fn cap<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut style::Plot<'a, DB>,
        cap: Decimal,
        n: usize,
    ) -> Result<(), String> {
        let rows = &self.ledger.rows;
        // What uncapped shares paid (under a timeline: the earlier versions' shares) does not
        // count toward the cap, so the cap sits above it: a paid line above a bare "38B"
        // would read as a breach.
        let uncapped: Decimal = rows
            .iter()
            .flat_map(|r| &r.flows)
            .filter(|f| f.is_openai_to_microsoft() && f.cap.is_none())
            .map(|f| f.paid)
            .sum();
        let label = if uncapped.is_zero() {
            format!("Cap: {}", Human(cap))
        } else {
            format!("Cap: {} on top of {} paid under uncapped terms", Human(cap), Human(uncapped))
        };
        style::cap_line(chart, (-0.4, n as f64 - 0.6), billions(cap + uncapped), label)?;
        Ok(())
    }

    /// The day the revenue share ends, and the total paid at the last point.
    fn term_end_and_total<DB: DrawingBackend>(
        &self,
        chart: &mut style::Plot<'_, DB>,
        top: f64,
        s: &style::Sizes,
    ) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let x = |i: usize| i as f64;
        if let Some((end, periods_within)) = self.term_end() {
            if periods_within > 0 && periods_within < rows.len() {
                // Each point is the running total at the end of its period, so the last day of
                // the share is the point of the last period ending on or before it.
                let line_x = x(periods_within - 1);
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(line_x, 0.0), (line_x, top * 0.9)],
                        8,
                        6,
                        style::GREY.stroke_width(2),
                    ))
                    .map_err(draw_error)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("revenue share ends {end}"),
                        (line_x, top * 0.91),
                        text(s.note, style::GREY).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )))
                    .map_err(draw_error)?;
            }
        }

        if let Some(last) = rows.last() {
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} paid", last.cumulative_paid.human()),
                    (x(rows.len() - 1), billions(last.cumulative_paid.value()) - top * 0.03),
                    text(s.note, style::BLUE).pos(Pos::new(HPos::Right, VPos::Top)),
                )))
                .map_err(draw_error)?;
        }
        Ok(())
    }

    /// A timeline's take-overs inside the run, as thin lines at their day (a point is the total
    /// at its period's end, so a day inside period `i` sits between points `i − 1` and `i`).
    fn version_markers<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        top: f64,
        s: &style::Sizes,
    ) -> Result<(), String> {
        let Some(timeline) = &self.agreement.timeline else { return Ok(()) };
        // The first version is the deal's start, not a change of terms.
        for (k, version) in timeline.versions.iter().enumerate().skip(1) {
            let day = version.from.value;
            let Some(i) = self.ledger.rows.iter().position(|r| r.period.start <= day && day <= r.period.end)
            else {
                continue;
            };
            let period = &self.ledger.rows[i].period;
            let fraction = ((day - period.start).num_days() as f64) / (period.days() as f64);
            let x = i as f64 - 1.0 + fraction;
            if x < -0.4 {
                continue;
            }
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, top * 0.8)],
                    style::GREY.mix(0.6).stroke_width(1),
                )))
                .map_err(draw_error)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} from {day}", version.agreement.name),
                    (x, top * (0.8 - 0.04 * (k % 2) as f64)),
                    text(s.note, style::GREY).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))
                .map_err(draw_error)?;
        }
        Ok(())
    }

    fn term_end(&self) -> Option<(chrono::NaiveDate, usize)> {
        let end = self
            .agreement
            .clauses
            .iter()
            .filter_map(|c| match c {
                Clause::RevenueShare(s) if s.payer == Party::OpenAi => Some(s.end.value),
                _ => None,
            })
            .max()?;
        Some((end, self.ledger.rows.iter().filter(|r| r.period.end <= end).count()))
    }
}

impl Chart for CumulativeChart<'_> {
    fn name(&self) -> &'static str {
        "cumulative"
    }

    fn summary(&self) -> &'static str {
        "Cumulative revenue share paid to Microsoft (solid) and due without a cap (dashed) by the end of each period, the cap (dotted) and the day the revenue share ends (vertical)."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let rows = &self.ledger.rows;
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;

        let mut due_running = Decimal::ZERO;
        let cumulative_due: Vec<f64> = rows
            .iter()
            .map(|r| {
                due_running = due_running.saturating_add(r.share_due.value());
                billions(due_running)
            })
            .collect();
        let cap = self.agreement.openai_to_microsoft_cap();
        let paid_top = rows.last().map_or(0.0, |r| billions(r.cumulative_paid.value()));
        let top = headroom(
            cumulative_due.iter().copied().fold(cap.map(billions).unwrap_or(0.0), f64::max).max(paid_top),
        );
        let n = rows.len().max(1);
        let labels: Vec<String> = rows.iter().map(|r| r.period.label.clone()).collect();

        let title = format!(
            "Cumulative revenue share paid to Microsoft vs the cap — {} ({} terms)",
            self.ledger.scenario, self.ledger.agreement
        );
        let mut chart = style::builder(root, title, &s, s.label * 4)
            .build_cartesian_2d(-0.4..(n as f64 - 0.6), 0.0..top)
            .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_x_mesh()
            .x_desc("Year (cumulative to the end of each year)")
            .y_desc("USD bn, cumulative")
            .x_labels(n + 1)
            .x_label_formatter(&|x| style::index_label(*x, &labels))
            .y_label_formatter(&tick_billions)
            .draw()
            .map_err(draw_error)?;

        self.lines(&mut chart, &cumulative_due)?;

        if let Some(cap) = cap {
            self.cap(&mut chart, cap, n)?;
        }
        self.version_markers(&mut chart, top, &s)?;

        self.term_end_and_total(&mut chart, top, &s)?;

        style::legend(&mut chart, SeriesLabelPosition::UpperLeft, &s)?;
        Ok(())
    }
}
