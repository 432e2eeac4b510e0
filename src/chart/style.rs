//! Shared look: font, the Okabe–Ito palette (distinguishable by colour-blind readers, and chosen so
//! paired series differ in lightness and survive greyscale), sizes, and money-to-axis helpers.

use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

pub const FONT: &str = "sans-serif";

pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const GREY: RGBColor = RGBColor(110, 110, 110);
pub const LIGHT_GREY: RGBColor = RGBColor(235, 235, 235);
pub const INK: RGBColor = RGBColor(30, 30, 30);

/// Colours for several series in turn (compare): dark/light alternate for greyscale.
pub const SERIES: [RGBColor; 6] = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE];

/// Font sizes scale with the chart's height so a larger chart keeps its proportions.
pub struct Sizes {
    pub title: u32,
    pub label: u32,
    pub tick: u32,
    pub note: u32,
}

pub fn sizes(height: u32) -> Sizes {
    // Even sizes only: plotters' bitmap text places each glyph at `size / 2 + its top` truncated
    // toward zero, so an odd size lifts short glyphs (the decimal point of "19.6B") a pixel or two
    // above the baseline of the digits beside them.
    let scale = |base: f64| ((base * f64::from(height) / 700.0 / 2.0).round() * 2.0).max(10.0) as u32;
    Sizes { title: scale(28.0), label: scale(19.0), tick: scale(16.0), note: scale(15.0) }
}

pub fn text(size: u32, color: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&color)
}

/// Money in billions, as a plot coordinate.
pub fn billions(value: Decimal) -> f64 {
    (value / Decimal::from(1_000_000_000u64)).to_f64().unwrap_or(0.0)
}

/// About how wide `text` is drawn at `size` pixels: DejaVu Sans averages ~0.55 em a character.
/// Used to decide whether a label fits before drawing it.
pub fn text_width(text: &str, size: u32) -> f64 {
    text.chars().count() as f64 * f64::from(size) * 0.55
}

/// A y-axis top that leaves room above the tallest bar for labels.
pub fn headroom(max: f64) -> f64 {
    if max <= 0.0 {
        1.0
    } else {
        max * 1.18
    }
}

/// A chart with two numeric axes, as most charts here draw: what helper functions take.
pub type Plot<'a, DB> = ChartContext<
    'a,
    DB,
    plotters::coord::cartesian::Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// Axis tick text in billions: "0", "12.5", "150" (never "-0").
pub fn tick_billions(value: &f64) -> String {
    tick(*value)
}

/// Axis tick text in millions, for an axis whose coordinates are billions: "250", "1,200".
pub fn tick_millions(value: &f64) -> String {
    tick(*value * 1000.0)
}

fn tick(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        // -0.04 rounds to -0.0, which would print as "-0".
        return "0".to_string();
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The unit of a money axis whose coordinates are billions: millions when the largest value is
/// under 2B (so the labels read "250", not "0.3"), billions otherwise. The axis description and
/// its tick formatter.
pub fn money_axis(largest: f64) -> (&'static str, fn(&f64) -> String) {
    if largest.abs() < 2.0 {
        ("USD m", tick_millions)
    } else {
        ("USD bn", tick_billions)
    }
}

/// "year" or "quarter": what a ledger's periods are, for titles and axis names.
pub fn period_word(ledger: &crate::ledger::Ledger) -> &'static str {
    if ledger.rows.iter().all(|r| r.period.label == r.period.year.to_string()) {
        "year"
    } else {
        "quarter"
    }
}

/// The label of the period at a whole-number x position, or nothing between periods.
pub fn index_label(x: f64, labels: &[String]) -> String {
    if (x - x.round()).abs() > 1e-6 || x < -0.5 {
        return String::new();
    }
    labels.get(x.round() as usize).cloned().unwrap_or_default()
}

/// A tick on a year axis: the year at whole numbers, nothing in between.
pub fn whole_year(x: &f64) -> String {
    if (x - x.round()).abs() > 1e-6 {
        String::new()
    } else {
        format!("{x:.0}")
    }
}

/// A chart builder in the house layout: title, margin, room for axis labels.
pub fn builder<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    title: String,
    s: &Sizes,
    y_label_area: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    // The terminal's backticks around names are not drawn: a chart is read as a picture.
    builder
        .caption(title.replace('`', ""), text(s.title, INK))
        .margin(24)
        .x_label_area_size(s.label * 3)
        .y_label_area_size(y_label_area);
    builder
}

/// The house style for axes: tick and description fonts, a light grid with one minor line.
pub fn axes<
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
>(
    mesh: &mut plotters::chart::MeshStyle<'_, '_, X, Y, DB>,
    s: &Sizes,
) {
    mesh.label_style(text(s.tick, INK))
        .axis_desc_style(text(s.label, INK))
        .light_line_style(LIGHT_GREY)
        .max_light_lines(1);
}

/// Draws the series legend in the house style at `position`.
pub fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    s: &Sizes,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .label_font(text(s.tick, INK))
        .draw()
        .map_err(super::draw_error)
}

/// The cap as a dashed vermillion line across `x_from..x_to` at `cap`, with its legend entry.
pub fn cap_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        plotters::coord::cartesian::Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    (x_from, x_to): (f64, f64),
    cap: f64,
    label: String,
) -> Result<(), String> {
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x_from, cap), (x_to, cap)],
            4,
            4,
            VERMILLION.stroke_width(2),
        ))
        .map_err(super::draw_error)?
        .label(label)
        .legend(|(x, y)| {
            plotters::element::DashedPathElement::new(
                vec![(x, y), (x + 22, y)],
                4,
                4,
                VERMILLION.stroke_width(2),
            )
        });
    Ok(())
}

/// A chart of one point per year: the title, the plot from `-0.4` to `n − 0.6` across (a year
/// per unit, labelled from `labels`) and `0..top` up in USD bn, the axes described. What the
/// Monte Carlo fans share.
pub fn years_plot<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    title: String,
    (x_desc, y_desc): (&str, &str),
    labels: &[String],
    top: f64,
    s: &Sizes,
) -> Result<Plot<'a, DB>, String> {
    let n = labels.len().max(1);
    let mut chart = builder(root, title, s, s.label * 4)
        .build_cartesian_2d(-0.4..n as f64 - 0.6, 0.0..top)
        .map_err(super::draw_error)?;
    let mut mesh = chart.configure_mesh();
    axes(&mut mesh, s);
    mesh.disable_x_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(n + 1)
        .x_label_formatter(&|x| index_label(*x, labels))
        .y_label_formatter(&tick_billions)
        .draw()
        .map_err(super::draw_error)?;
    Ok(chart)
}
