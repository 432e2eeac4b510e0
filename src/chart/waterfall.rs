//! `waterfall`: from Microsoft's net receipts under the other agreement to those under the
//! scenario's, one bar per change of terms, drawn horizontally so each change can be named.

use super::style::{self, billions, text, tick_billions};
use super::{draw_error, Chart};
use crate::analysis::against::Against;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct WaterfallChart<'a> {
    pub against: &'a Against,
    pub scenario: &'a str,
}

impl Chart for WaterfallChart<'_> {
    fn name(&self) -> &'static str {
        "waterfall"
    }

    fn summary(&self) -> &'static str {
        "Waterfall: Microsoft's net receipts under the other terms, one bar per change of terms, and under the scenario's terms."
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (_, height) = root.dim_in_pixel();
        let s = style::sizes(height);
        root.fill(&WHITE).map_err(draw_error)?;
        let a = self.against;
        // Rows top to bottom: the other agreement's total, each change with an effect, our total.
        // A change is drawn when it is worth something in the waterfall's order or order-free.
        let worthless = |st: &&crate::analysis::against::AttributionStep| {
            st.microsoft_gain.is_zero() && st.shapley_microsoft_gain.is_none_or(|v| v.is_zero())
        };
        let steps: Vec<_> = a.attribution.iter().filter(|st| !worthless(st)).collect();
        // Changes worth nothing on this path get no bar, but are named under the chart so a reader
        // does not take them for forgotten.
        let unchanged: Vec<&str> =
            a.attribution.iter().filter(worthless).map(|st| st.short.as_str()).collect();
        let foot = if unchanged.is_empty() { 0.0 } else { 0.6 };
        let (labels, bars) = bars(a, &steps);
        let n = labels.len();
        let low = bars.iter().map(|b| b.0.min(b.1)).fold(0.0, f64::min);
        let high = bars.iter().map(|b| b.0.max(b.1)).fold(0.0, f64::max);
        // Room on the right for the longest figure beside a bar (its text drawn past the bar's
        // end): the share of the plot's width it needs, as a share of the data range.
        let (width, _) = root.dim_in_pixel();
        let plot = (f64::from(width) - f64::from(s.tick * 26) - 48.0).max(100.0);
        let widest = bars.iter().map(|b| style::text_width(&b.3, s.note)).fold(0.0, f64::max) + 12.0;
        let share = (widest / plot).min(0.6);
        let pad = ((high - low) * share / (0.95 - 1.2 * share)).max((high - low) * 0.12).max(1.0);

        let mut chart = style::builder(
            root,
            format!(
                "What the change of terms is worth to Microsoft — {} vs {} ({})",
                a.agreement, a.against, self.scenario
            ),
            &s,
            s.tick * 26,
        )
        .build_cartesian_2d((low - pad * 0.2).min(0.0)..high + pad, -0.5 - foot..(n as f64 - 0.5))
        .map_err(draw_error)?;
        let mut mesh = chart.configure_mesh();
        style::axes(&mut mesh, &s);
        mesh.disable_y_mesh()
            .x_desc("Microsoft's net receipts over the run, USD bn (OpenAI's are the mirror image)")
            .x_label_formatter(&tick_billions)
            .y_labels(n + 1)
            .y_label_formatter(&|y| {
                let i = (n as f64 - 1.0 - y).round();
                if (n as f64 - 1.0 - y - i).abs() > 1e-6 || i < 0.0 || i >= n as f64 {
                    return String::new();
                }
                labels.get(i as usize).cloned().unwrap_or_default()
            })
            .draw()
            .map_err(draw_error)?;
        draw_bars(&mut chart, &bars, pad, &s)?;
        if !unchanged.is_empty() {
            // Named when they fit the plot's width (`style::text_width`), counted otherwise.
            let (width, _) = root.dim_in_pixel();
            let room = f64::from(width.saturating_sub(48 + s.tick * 26));
            let named = format!("No effect on this path, so no bar: {}", unchanged.join("; "));
            let note = if style::text_width(&named, s.note) <= room {
                named
            } else {
                format!(
                    "{} more change{} of terms had no effect on this path (no bar; listed in attribution.csv)",
                    unchanged.len(),
                    if unchanged.len() == 1 { "" } else { "s" }
                )
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    note,
                    ((low - pad * 0.2).min(0.0) + pad * 0.03, -0.5 - foot / 2.0),
                    text(s.note, style::GREY).pos(Pos::new(HPos::Left, VPos::Center)),
                )))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}

/// The rows top to bottom, as labels and bars `(from, to, colour, figure)`: the other
/// agreement's total, each change with an effect (from the running level), this agreement's total.
#[allow(clippy::type_complexity)]
fn bars(
    a: &Against,
    steps: &[&crate::analysis::against::AttributionStep],
) -> (Vec<String>, Vec<(f64, f64, RGBColor, String)>) {
    let mut labels = vec![format!("{} terms", a.against)];
    labels.extend(steps.iter().map(|st| st.short.replace('`', "")));
    labels.push(format!("{} terms", a.agreement));
    let n = labels.len();
    let mut bars: Vec<(f64, f64, RGBColor, String)> = Vec::with_capacity(n);
    let start = billions(a.against_total_net_to_microsoft.value());
    bars.push((0.0, start, style::GREY, a.against_total_net_to_microsoft.human().to_string()));
    let mut level = start;
    for st in steps {
        let next = level + billions(st.microsoft_gain.value());
        let colour = if st.microsoft_gain.is_sign_positive() { style::BLUE } else { style::VERMILLION };
        let sign = if st.microsoft_gain.is_sign_positive() { "+" } else { "" };
        // Where the order-free (Shapley) value differs, it is given beside the step's.
        let order_free = match st.shapley_microsoft_gain {
            Some(v) if v != st.microsoft_gain => format!("  (order-free {})", v.human()),
            _ => String::new(),
        };
        // Its present value beside it: the figure a memo quotes.
        let pv = format!(
            "  PV {}{}",
            if st.microsoft_gain_present_value.is_sign_positive() { "+" } else { "" },
            st.microsoft_gain_present_value.human()
        );
        bars.push((level, next, colour, format!("{sign}{}{pv}{order_free}", st.microsoft_gain.human())));
        level = next;
    }
    bars.push((
        0.0,
        billions(a.total_net_to_microsoft.value()),
        style::GREY,
        a.total_net_to_microsoft.human().to_string(),
    ));
    (labels, bars)
}

/// Each bar on its row with its figure to the right.
fn draw_bars<DB: DrawingBackend>(
    chart: &mut style::Plot<'_, DB>,
    bars: &[(f64, f64, RGBColor, String)],
    pad: f64,
    s: &style::Sizes,
) -> Result<(), String> {
    for (i, (from, to, colour, label)) in bars.iter().enumerate() {
        let y = (bars.len() - 1 - i) as f64;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(*from, y - 0.32), (*to, y + 0.32)],
                colour.filled(),
            )))
            .map_err(draw_error)?;
        chart
            .draw_series(std::iter::once(Text::new(
                label.clone(),
                (from.max(*to) + pad * 0.05, y),
                text(s.note, style::INK).pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(draw_error)?;
    }
    Ok(())
}
