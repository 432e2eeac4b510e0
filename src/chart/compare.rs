//! `compare/cumulative`: the cumulative paid to Microsoft of several scenarios on one chart, with
//! each distinct cap drawn once.

use super::style::{self, billions, headroom, text, tick_billions};
use super::{draw_error, Chart};
use crate::ledger::Ledger;
use crate::money::Human;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

pub struct CompareChart<'a> {
    /// Each scenario's ledger and the total cap it ran under (if capped).
    pub runs: Vec<(&'a Ledger, Option<Decimal>)>,
}

impl Chart for CompareChart<'_> {
    fn name(&self) -> &'static str {
        "cumulative"
    }

    fn summary(&self) -> &'static str {
        "One line per scenario: cumulative revenue share paid to Microsoft by the end of each year, with the cap."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;

        let mut years: Vec<i32> =
            self.runs.iter().flat_map(|(l, _)| l.rows.iter().map(|r| r.period.year)).collect();
        years.sort_unstable();
        years.dedup();
        let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
            return Ok(());
        };
        let max_paid = self
            .runs
            .iter()
            .flat_map(|(l, cap)| {
                l.rows.iter().map(|r| billions(r.cumulative_paid.value())).chain(cap.map(billions))
            })
            .fold(0.0, f64::max);
        let top = headroom(max_paid);

        let names: Vec<&str> = self.runs.iter().map(|(l, _)| l.scenario.as_str()).collect();
        let (width, _) = root.dim_in_pixel();
        let title = title(&names, width, &s);
        let mut chart = style::builder(root, title, &s, s.label * 4)
            .build_cartesian_2d(f64::from(first) - 0.4..f64::from(last) + 0.4, 0.0..top)
            .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_x_mesh()
            .x_desc("Year (cumulative to the end of each year)")
            .y_desc("USD bn, cumulative")
            .x_labels(years.len().min(16) + 1)
            .x_label_formatter(&style::whole_year)
            .y_label_formatter(&tick_billions)
            .draw()
            .map_err(draw_error)?;

        for (index, (ledger, _)) in self.runs.iter().enumerate() {
            // A line that coincides with an earlier one is hidden under it: its legend says so.
            let path =
                |l: &Ledger| l.rows.iter().map(|r| (r.period.year, r.cumulative_paid)).collect::<Vec<_>>();
            let same_as = self.runs[..index].iter().find(|(earlier, _)| path(earlier) == path(ledger));
            draw_run(&mut chart, index, ledger, same_as.map(|(earlier, _)| earlier.scenario.as_str()))?;
        }
        self.cap_lines(&mut chart, (first, last), top, &s)?;
        style::legend(&mut chart, SeriesLabelPosition::LowerRight, &s)?;
        Ok(())
    }
}

/// The title naming every scenario, or their count when the names do not fit the width
/// (`style::text_width`); the legend names them then.
fn title(names: &[&str], width: u32, s: &style::Sizes) -> String {
    let full = format!("Cumulative revenue share paid to Microsoft — {}", names.join(" vs "));
    if style::text_width(&full, s.title) <= f64::from(width) - 60.0 {
        full
    } else {
        format!("Cumulative revenue share paid to Microsoft — {} scenarios", names.len())
    }
}

/// One scenario's cumulative line, with markers. Every other series is dashed as well as
/// coloured, so greyscale prints stay legible; earlier series are wider, so where scenarios
/// coincide each stays visible.
fn draw_run<'a, DB: DrawingBackend + 'a>(
    chart: &mut style::Plot<'a, DB>,
    index: usize,
    ledger: &Ledger,
    same_as: Option<&str>,
) -> Result<(), String> {
    let color = style::SERIES[index % style::SERIES.len()];
    let points: Vec<(f64, f64)> =
        ledger.rows.iter().map(|r| (f64::from(r.period.year), billions(r.cumulative_paid.value()))).collect();
    let width = 7 - 2 * (index % 3) as u32;
    let dashed = index % 2 == 1;
    if !dashed {
        chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(width)))
    } else {
        chart.draw_series(DashedLineSeries::new(points.clone(), 12, 5, color.stroke_width(width)))
    }
    .map_err(draw_error)?
    .label(match same_as {
        Some(earlier) => format!("{} ({}) — same line as {earlier}", ledger.scenario, ledger.agreement),
        None => format!("{} ({})", ledger.scenario, ledger.agreement),
    })
    .legend(move |(x, y)| {
        // The swatch is drawn the way the line is: dashed lines get dashed swatches.
        if dashed {
            plotters::element::DashedPathElement::new(
                vec![(x, y), (x + 24, y)],
                8,
                4,
                color.stroke_width(width),
            )
            .into_dyn()
        } else {
            PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(width)).into_dyn()
        }
    });
    let marker = index % 3;
    chart
        .draw_series(points.iter().map(move |p| match marker {
            0 => Circle::new(*p, 5, color.filled()).into_dyn(),
            1 => TriangleMarker::new(*p, 7, color.filled()).into_dyn(),
            _ => Cross::new(*p, 6, color.stroke_width(2)).into_dyn(),
        }))
        .map_err(draw_error)?;
    Ok(())
}

impl CompareChart<'_> {
    /// Each distinct cap once, as a grey dashed line with its amount.
    fn cap_lines<DB: DrawingBackend>(
        &self,
        chart: &mut style::Plot<'_, DB>,
        (first, last): (i32, i32),
        top: f64,
        s: &style::Sizes,
    ) -> Result<(), String> {
        let mut caps_drawn: Vec<Decimal> = Vec::new();
        for cap in self.runs.iter().filter_map(|(_, cap)| *cap) {
            if caps_drawn.contains(&cap) {
                continue;
            }
            caps_drawn.push(cap);
            let y = billions(cap);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(f64::from(first) - 0.4, y), (f64::from(last) + 0.4, y)],
                    4,
                    4,
                    style::GREY.stroke_width(2),
                ))
                .map_err(draw_error)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("cap {}", Human(cap)),
                    (f64::from(first) - 0.35, y + top * 0.01),
                    text(s.note, style::GREY).pos(Pos::new(HPos::Left, VPos::Bottom)),
                )))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}
