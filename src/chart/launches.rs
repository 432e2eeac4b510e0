//! `launches`: per product, when it reaches Azure and when other clouds, under the agreement's
//! Azure-first clause and distribution terms; held or not-permitted launches say so.

use super::style::{self, text};
use super::{draw_error, Chart};
use crate::ledger::Ledger;
use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct LaunchesChart<'a> {
    pub ledger: &'a Ledger,
    pub reading: String,
}

fn position(date: NaiveDate) -> f64 {
    f64::from(date.year()) + f64::from(date.ordinal0()) / 365.25
}

impl Chart for LaunchesChart<'_> {
    fn name(&self) -> &'static str {
        "launches"
    }

    fn summary(&self) -> &'static str {
        "Each product launch: where it ships first and why, under the Azure-first clause's reading."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let launches = &self.ledger.launches;
        let n = launches.len().max(1);
        let dates: Vec<f64> = launches
            .iter()
            .flat_map(|l| [Some(l.date), l.azure, l.other_clouds])
            .flatten()
            .map(position)
            .collect();
        let lo = dates.iter().copied().fold(f64::INFINITY, f64::min).floor();
        let hi = dates.iter().copied().fold(f64::NEG_INFINITY, f64::max).floor() + 1.0;
        let (lo, hi) = if lo.is_finite() && hi > lo { (lo, hi) } else { (2026.0, 2027.0) };
        let products: Vec<String> = launches.iter().map(|l| l.product.clone()).collect();
        let mut chart = style::builder(
            root,
            format!(
                "Launches per cloud — {} terms, Azure-first exception read as \"{}\"",
                self.ledger.agreement, self.reading
            ),
            &s,
            s.tick * 14,
        )
        .build_cartesian_2d(lo..hi, -0.5..n as f64 - 0.5)
        .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_y_mesh()
            .x_desc("Date")
            .x_labels(((hi - lo) as usize).min(12) + 1)
            .x_label_formatter(&style::whole_year)
            .y_labels(n + 1)
            .y_label_formatter(&|y| {
                let i = n as f64 - 1.0 - y;
                if (i - i.round()).abs() > 1e-6 || i < -0.5 {
                    return String::new();
                }
                products.get(i.round() as usize).cloned().unwrap_or_default()
            })
            .draw()
            .map_err(draw_error)?;
        for (i, launch) in launches.iter().enumerate() {
            draw_launch(&mut chart, launch, n as f64 - 1.0 - i as f64, (lo, hi), &s)?;
        }
        chart
            .draw_series(
                [
                    ("● on Azure", style::BLUE),
                    ("▲ on other clouds", style::ORANGE),
                    ("× held: launch date", style::GREY),
                ]
                .into_iter()
                .enumerate()
                .map(|(k, (label, c))| {
                    Text::new(
                        label,
                        (hi - (hi - lo) * 0.01, n as f64 - 0.55 - 0.2 * k as f64),
                        text(s.note, c).pos(Pos::new(HPos::Right, VPos::Top)),
                    )
                }),
            )
            .map_err(draw_error)?;
        Ok(())
    }
}

/// One launch's row: Azure (circle) and other clouds (triangle) joined by the wait, a cross when
/// held, and the dates in words.
fn draw_launch<DB: DrawingBackend>(
    chart: &mut style::Plot<'_, DB>,
    launch: &crate::ledger::LaunchOutcome,
    y: f64,
    (lo, hi): (f64, f64),
    s: &style::Sizes,
) -> Result<(), String> {
    if let (Some(a), Some(o)) = (launch.azure, launch.other_clouds) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(position(a), y), (position(o), y)],
                style::GREY.stroke_width(2),
            )))
            .map_err(draw_error)?;
    }
    if let Some(a) = launch.azure {
        chart
            .draw_series(std::iter::once(Circle::new((position(a), y + 0.12), 9, style::BLUE.filled())))
            .map_err(draw_error)?;
    }
    if launch.azure.is_none() && launch.other_clouds.is_none() {
        chart
            .draw_series(std::iter::once(Cross::new(
                (position(launch.date), y),
                9,
                style::GREY.stroke_width(3),
            )))
            .map_err(draw_error)?;
    }
    if let Some(o) = launch.other_clouds {
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (position(o), y - 0.12),
                10,
                style::ORANGE.filled(),
            )))
            .map_err(draw_error)?;
    }
    let status = match (launch.azure, launch.other_clouds) {
        (Some(a), Some(o)) if a == o => format!("Azure and other clouds {a}"),
        (Some(a), Some(o)) => format!("Azure {a}; other clouds {o}"),
        (None, Some(o)) => format!("not on Azure; other clouds {o}"),
        (Some(a), None) => format!("Azure {a}; other clouds: not permitted"),
        (None, None) => "held: on no cloud".to_string(),
    };
    chart
        .draw_series(std::iter::once(Text::new(
            status,
            (lo + (hi - lo) * 0.01, y + 0.3),
            text(s.note, style::INK).pos(Pos::new(HPos::Left, VPos::Center)),
        )))
        .map_err(draw_error)?;
    Ok(())
}
