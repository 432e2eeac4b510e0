//! `rights`: a timeline of every clause of the agreement, one row per kind of term, each bar
//! labelled with its state (exclusive or not, Azure-only or any cloud, rate and cap); the
//! scenario's own years are shaded, and the effective date and any AGI declaration marked.

use super::style::{self, text};
use super::{draw_error, Chart};
use crate::agreement::{Agreement, Clause, Clouds, Grant, Party, Trigger};
use crate::money::{percent, Human};
use crate::scenario::Scenario;
use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct RightsChart<'a> {
    pub agreement: &'a Agreement,
    pub scenario: &'a Scenario,
}

const ROWS: [&str; 6] = [
    "IP licence to Microsoft",
    "Where OpenAI may serve",
    "Azure-first launches",
    "Share OpenAI → Microsoft",
    "Share Microsoft → OpenAI",
    "AGI trigger",
];

/// A date as a fractional year, for the x axis.
fn year_position(date: NaiveDate) -> f64 {
    let days_in_year = if NaiveDate::from_ymd_opt(date.year(), 2, 29).is_some() { 366.0 } else { 365.0 };
    f64::from(date.year()) + f64::from(date.ordinal0()) / days_in_year
}

struct Bar {
    row: usize,
    from: NaiveDate,
    /// Last day in force; `None` is open-ended (drawn to the chart's right edge).
    to: Option<NaiveDate>,
    label: String,
    /// A shorter label for a bar too narrow for `label`.
    short: String,
    fill: RGBColor,
    ink: RGBColor,
}

impl RightsChart<'_> {
    fn bars(&self) -> Vec<Bar> {
        let mut bars = Vec::new();
        let mut agi_from: Option<NaiveDate> = None;
        let mut agi_to: Option<NaiveDate> = None;
        let mut agi_ends: Vec<&str> = Vec::new();
        for clause in &self.agreement.clauses {
            let from = self.agreement.start_of(clause);
            let to = clause.end();
            let until =
                |to: Option<NaiveDate>| to.map_or(" (no end date)".to_string(), |d| format!(" to {d}"));
            let (row, label, fill, ink) = match (clause.grant(), clause) {
                (Some(Grant::Licence { exclusive: true }), _) => {
                    (0, format!("exclusive{}", until(to)), style::BLUE, WHITE)
                }
                (Some(Grant::Licence { .. }), _) => {
                    (0, format!("non-exclusive{}", until(to)), style::SKY, style::INK)
                }
                (Some(Grant::Clouds(Clouds::AzureOnly)), _) => {
                    (1, format!("Azure only{}", until(to)), style::VERMILLION, WHITE)
                }
                (Some(Grant::Clouds(Clouds::AnyCloud)), _) => {
                    (1, format!("any cloud{}", until(to)), style::GREEN, WHITE)
                }
                (Some(Grant::ShipsFirstOnAzure(reading)), _) => (
                    2,
                    format!("first on Azure unless Microsoft {reading} to support"),
                    style::PURPLE,
                    style::INK,
                ),
                (None, Clause::RevenueShare(share)) => {
                    let cap = match &share.cap {
                        Some(cap) => format!("capped at {}", Human(cap.value.amount())),
                        None => "uncapped".to_string(),
                    };
                    let row = if share.payer == Party::OpenAi { 3 } else { 4 };
                    (row, format!("{}, {cap}", percent(share.rate.value)), style::ORANGE, style::INK)
                }
                // A kind that neither grants a right nor makes cash has no row.
                (None, _) => continue,
            };
            let short = match (clause.grant(), clause) {
                (Some(Grant::ShipsFirstOnAzure(_)), _) => "Azure first".to_string(),
                (_, Clause::RevenueShare(share)) => percent(share.rate.value),
                // "exclusive", "non-exclusive", "Azure only", "any cloud": the label without dates.
                _ => label
                    .split(" to ")
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches(" (no end date)")
                    .to_string(),
            };
            bars.push(Bar { row, from, to, label, short, fill, ink });
            if clause.stops_on() == Some(Trigger::AgiDeclared) {
                agi_from = Some(agi_from.map_or(from, |f| f.min(from)));
                agi_to = match (agi_to, to) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                agi_ends.push(clause.id());
            }
        }
        if let Some(from) = agi_from {
            bars.push(Bar {
                row: 5,
                from,
                to: agi_to,
                label: format!("AGI would end: {}", agi_ends.join(", ")),
                short: format!(
                    "AGI would end {} clause{}",
                    agi_ends.len(),
                    if agi_ends.len() == 1 { "" } else { "s" }
                ),
                fill: style::GREY,
                ink: WHITE,
            });
        }
        bars
    }
}

impl Chart for RightsChart<'_> {
    fn name(&self) -> &'static str {
        "rights"
    }

    fn summary(&self) -> &'static str {
        "Timeline of the terms in force: licence, cloud, Azure-first, revenue shares and the AGI clause, across the scenario's years."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let bars = self.bars();
        let periods = &self.scenario.periods;
        let (first, last) = match (periods.first(), periods.last()) {
            (Some(f), Some(l)) => (f.start, l.end),
            _ => (self.agreement.effective.value, self.agreement.effective.value),
        };
        let start = bars.iter().map(|b| b.from).chain([first]).min().unwrap_or(first);
        let end = bars.iter().filter_map(|b| b.to).chain([last]).max().unwrap_or(last);
        let x_min = f64::from(start.year());
        let x_max = f64::from(end.year() + 1);
        let year_count = (end.year() + 2 - start.year()).max(1) as usize;
        let rows = ROWS.len() as f64;
        // Row 0 at the top; row centres sit on whole numbers so the axis ticks land on them.
        let centre = |row: usize| rows - 1.0 - row as f64;

        let kind = if self.agreement.timeline.is_some() { "timeline" } else { "agreement" };
        let title = format!(
            "Terms in force over time — {} {kind}, scenario {}",
            self.agreement.name, self.scenario.name
        );
        let mut chart = style::builder(root, title, &s, s.tick * 15)
            .build_cartesian_2d(x_min..x_max, -0.5..rows - 0.5)
            .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_y_mesh()
            .x_desc("Year")
            .x_labels(year_count.min(16))
            .x_label_formatter(&style::whole_year)
            .y_labels(ROWS.len() + 1)
            .y_label_formatter(&|y| {
                let row = rows - 1.0 - y;
                if (row - row.round()).abs() > 1e-6 || row < -0.5 {
                    return String::new();
                }
                ROWS.get(row.round() as usize).map(|r| r.to_string()).unwrap_or_default()
            })
            .draw()
            .map_err(draw_error)?;

        // The scenario's own years, shaded behind the bars.
        let shade = RGBColor(255, 249, 222);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(year_position(first).max(x_min), -0.5), (year_position(last) + 1.0 / 365.0, rows - 0.5)],
                shade.filled(),
            )))
            .map_err(draw_error)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("scenario years {}–{}", first.year(), last.year()),
                (year_position(first).max(x_min) + 0.05, -0.46),
                text(s.note, style::GREY).pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))
            .map_err(draw_error)?;

        draw_bars(&mut chart, &bars, x_max, &s)?;
        for row in 0..ROWS.len() {
            if bars.iter().all(|b| b.row != row) {
                let note = if row == 5 { "no AGI clause in this agreement" } else { "not in this agreement" };
                chart
                    .draw_series(std::iter::once(Text::new(
                        note,
                        (x_min + 0.08, centre(row)),
                        text(s.note, style::GREY).pos(Pos::new(HPos::Left, VPos::Center)),
                    )))
                    .map_err(draw_error)?;
            }
        }

        self.markers(&mut chart, (x_min, x_max), rows, &bars, &s)?;
        Ok(())
    }
}

/// Each clause as a bar on its row, labelled if the label fits.
fn draw_bars<DB: DrawingBackend>(
    chart: &mut style::Plot<'_, DB>,
    bars: &[Bar],
    x_max: f64,
    s: &style::Sizes,
) -> Result<(), String> {
    let x_min = chart.x_range().start;
    for bar in bars {
        let from = year_position(bar.from).max(x_min);
        let to = bar.to.map_or(x_max, |d| year_position(d) + 1.0 / 365.0).min(x_max);
        let y = ROWS.len() as f64 - 1.0 - bar.row as f64;
        chart
            .draw_series(std::iter::once(Rectangle::new([(from, y - 0.3), (to, y + 0.3)], bar.fill.filled())))
            .map_err(draw_error)?;
        // The label if it fits the bar (`style::text_width`), else its short form, else
        // nothing: `dealsim terms` has every clause in words.
        let room = f64::from(chart.backend_coord(&(to, y)).0 - chart.backend_coord(&(from, y)).0);
        let fits = |label: &str| style::text_width(label, s.note) + 12.0 <= room;
        let label = [&bar.label, &bar.short].into_iter().find(|l| fits(l));
        if let Some(label) = label {
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (from + 0.08, y),
                    text(s.note, bar.ink).pos(Pos::new(HPos::Left, VPos::Center)),
                )))
                .map_err(draw_error)?;
        }
    }
    Ok(())
}

/// The stretches of a marker line at `x` that cross no row's label: a row's label starts just
/// right of its bar's start (or of the chart's left edge when the row has no bar, its "not in
/// this agreement" note), so the line breaks around the centre of each row whose label starts
/// left of it, and starts above the note along the bottom.
fn line_segments(x: f64, x_min: f64, rows: f64, bars: &[Bar]) -> Vec<(f64, f64)> {
    let label_start = |row: usize| {
        let starts = bars.iter().filter(|b| b.row == row).map(|b| year_position(b.from).max(x_min));
        starts.fold(None, |low: Option<f64>, from| Some(low.map_or(from, |l| l.min(from)))).unwrap_or(x_min)
    };
    let mut gaps: Vec<f64> = (0..ROWS.len())
        .filter(|row| label_start(*row) < x)
        .map(|row| ROWS.len() as f64 - 1.0 - row as f64)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let mut segments = Vec::new();
    // From just above the "scenario years" note along the bottom.
    let mut from = -0.28;
    for centre in gaps {
        segments.push((from, centre - 0.16));
        from = centre + 0.16;
    }
    segments.push((from, rows - 0.5));
    segments
}

/// `segments` with the stretch `gap` cut out of them.
fn without(segments: &[(f64, f64)], (low, high): (f64, f64)) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for &(from, to) in segments {
        if to <= low || from >= high {
            out.push((from, to));
            continue;
        }
        if from < low {
            out.push((from, low));
        }
        if to > high {
            out.push((high, to));
        }
    }
    out
}

impl RightsChart<'_> {
    /// Dashed lines at each version's take-over (a timeline) or the effective date, and at the
    /// AGI declaration; labels staggered so nearby dates stay readable.
    fn markers<DB: DrawingBackend>(
        &self,
        chart: &mut style::Plot<'_, DB>,
        (x_min, x_max): (f64, f64),
        rows: f64,
        bars: &[Bar],
        s: &style::Sizes,
    ) -> Result<(), String> {
        // A timeline marks each version's take-over; an agreement its effective date.
        let mut markers = match &self.agreement.timeline {
            Some(timeline) => timeline
                .versions
                .iter()
                .map(|v| (v.from.value, format!("{} from {}", v.agreement.name, v.from.value)))
                .collect(),
            None => vec![(
                self.agreement.effective.value,
                format!("effective {}", self.agreement.effective.value),
            )],
        };
        if let Some(agi) = self.scenario.agi_declared {
            markers.push((agi, format!("AGI declared {agi}")));
        }
        // Each label's band (years across, rows up): another marker's line breaks around it.
        let px =
            f64::from(chart.backend_coord(&(x_max, 0.0)).0 - chart.backend_coord(&(x_min, 0.0)).0).max(1.0);
        let bands: Vec<(f64, f64, f64, f64)> = markers
            .iter()
            .enumerate()
            .map(|(k, (date, label))| {
                let (x, top) = (year_position(*date) + 0.04, rows - 0.52 - 0.16 * (k % 2) as f64);
                (x, x + style::text_width(label, s.note) * (x_max - x_min) / px, top - 0.16, top + 0.02)
            })
            .collect();
        for (k, (date, label)) in markers.into_iter().enumerate() {
            let x = year_position(date);
            if !(x_min..=x_max).contains(&x) {
                continue;
            }
            let mut segments = line_segments(x, x_min, rows, bars);
            for (j, (from, to, low, high)) in bands.iter().enumerate() {
                if j != k && (*from..=*to).contains(&x) {
                    segments = without(&segments, (*low, *high));
                }
            }
            for (low, high) in segments {
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(x, low), (x, high)],
                        6,
                        5,
                        style::INK.stroke_width(1),
                    ))
                    .map_err(draw_error)?;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    // Staggered, so take-overs months apart do not print over each other.
                    (x + 0.04, rows - 0.52 - 0.16 * (k % 2) as f64),
                    text(s.note, style::INK).pos(Pos::new(HPos::Left, VPos::Top)),
                )))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The effective-date line of the revised terms crosses the "not in this agreement" notes
    /// (they start at the left edge): it breaks around the centre of every row it would cut, and
    /// above the note along the bottom.
    #[test]
    fn the_effective_date_line_breaks_around_every_label_it_would_cut() {
        let rows = ROWS.len() as f64;
        let segments = line_segments(2026.3, 2026.0, rows, &[]);
        assert_eq!(segments.len(), ROWS.len() + 1);
        for centre in 0..ROWS.len() {
            let centre = centre as f64;
            assert!(segments.iter().all(|(low, high)| !(low..=high).contains(&&centre)), "{segments:?}");
        }
        assert_eq!(segments[0].0, -0.28);
        assert_eq!(segments.last().unwrap().1, rows - 0.5);
        // A gap cut out of the middle of a stretch splits it; one past its ends leaves it.
        assert_eq!(without(&[(0.0, 5.0)], (2.0, 3.0)), vec![(0.0, 2.0), (3.0, 5.0)]);
        assert_eq!(without(&[(0.0, 5.0)], (6.0, 7.0)), vec![(0.0, 5.0)]);
        // A line left of every label crosses none: one stretch.
        assert_eq!(line_segments(2026.0, 2026.0, rows, &[]).len(), 1);
    }
}
