//! Stage 5b: charts of a ledger, drawn with plotters as PNG and SVG from the same drawing code.
//! Text uses DejaVu Sans embedded in the binary, so charts render on machines with no fonts.
//! Charts never compute a figure: every value comes from the ledger or the agreement. Pixel
//! positions are `f64` (plotting needs them); every money figure printed on a chart is formatted
//! from the exact `Decimal`.

mod calibrate;
mod cashflows;
mod compare;
mod cumulative;
mod fan;
mod gain_histogram;
mod heatmap;
mod launches;
mod revenue_fan;
mod rights;
mod style;
mod sweep_line;
mod tornado;
mod waterfall;

pub use calibrate::CalibrateChart;
pub use cashflows::CashflowsChart;
pub use compare::CompareChart;
pub use cumulative::CumulativeChart;
pub use fan::FanChart;
pub use gain_histogram::GainHistogramChart;
pub use heatmap::{HeatmapChart, Metric};
pub use launches::LaunchesChart;
pub use revenue_fan::RevenueFanChart;
pub use rights::RightsChart;
pub use sweep_line::SweepLineChart;
pub use tornado::TornadoChart;
pub use waterfall::WaterfallChart;

use crate::report::StagedFile;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Width and height of a chart in pixels (PNG) or user units (SVG).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

impl Default for ChartSize {
    fn default() -> Self {
        ChartSize { width: 1200, height: 700 }
    }
}

impl ChartSize {
    pub const MIN: u32 = 400;
    pub const MAX: u32 = 6000;
}

impl FromStr for ChartSize {
    type Err = String;

    /// `WIDTHxHEIGHT`, each between 400 and 6000.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (w, h) = text
            .split_once(['x', 'X'])
            .ok_or_else(|| format!("`{text}` is not a size; expected WIDTHxHEIGHT, e.g. 1200x700"))?;
        let parse = |s: &str| {
            s.trim().parse::<u32>().ok().filter(|v| (Self::MIN..=Self::MAX).contains(v)).ok_or_else(|| {
                format!(
                    "`{text}`: width and height must be whole numbers from {} to {}",
                    Self::MIN,
                    Self::MAX
                )
            })
        };
        Ok(ChartSize { width: parse(w)?, height: parse(h)? })
    }
}

impl std::fmt::Display for ChartSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

/// Something that can draw itself onto any plotters backend.
pub trait Chart {
    /// The file stem: `cashflows` gives `cashflows.png` and `cashflows.svg`.
    fn name(&self) -> &'static str;
    /// What the chart shows, in one sentence: the SVG's `<desc>`, read out by screen readers.
    fn summary(&self) -> &'static str;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Registers the embedded font once. plotters looks fonts up by family name; every text style in
/// this module uses `style::FONT`.
fn ensure_font() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(style::FONT, FontStyle::Normal, DEJAVU_SANS)
                .map_err(|_| "the embedded font could not be loaded".to_string())
        })
        .clone()
}

pub fn draw_error<E: std::fmt::Display>(error: E) -> String {
    error.to_string()
}

/// Renders a chart to PNG and SVG bytes, staged for writing beside the ledger in `folder`.
pub fn render(chart: &impl Chart, size: ChartSize, folder: &Path) -> Result<Vec<StagedFile>, String> {
    ensure_font()?;
    let (w, h) = (size.width, size.height);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(draw_error)?;
    }
    let svg = with_title_and_desc(&svg, chart.summary());
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(draw_error)?;
    }
    let image = image::RgbImage::from_raw(w, h, pixels).ok_or("the drawing buffer has the wrong size")?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageOutputFormat::Png)
        .map_err(|e| format!("PNG encoding failed: {e}"))?;
    Ok(vec![
        StagedFile::chart(folder.join(format!("{}.png", chart.name())), png, chart.summary()),
        StagedFile::chart(folder.join(format!("{}.svg", chart.name())), svg.into_bytes(), chart.summary()),
    ])
}

/// Adds `<title>` (the chart's caption, the first text drawn) and `<desc>` right after the
/// opening `<svg>` tag, so a browser tab, a screen reader or a search shows what the file is.
/// plotters writes neither.
fn with_title_and_desc(svg: &str, summary: &str) -> String {
    let Some(open_end) = svg.find('>') else { return svg.to_string() };
    let caption = svg
        .find("<text")
        .and_then(|start| svg[start..].find('>').map(|end| start + end + 1))
        .and_then(|body| svg[body..].find("</text>").map(|end| svg[body..body + end].trim()))
        .unwrap_or("");
    // The caption is already escaped by plotters; the summary is ours and has no markup.
    let summary = summary.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!("{}\n<title>{caption}</title>\n<desc>{summary}</desc>{}", &svg[..=open_end], &svg[open_end + 1..])
}

/// The three charts of one scenario run: cash flows, cumulative paid, and the rights timeline.
pub fn scenario_charts(
    loaded: &crate::scenario::Loaded,
    ledger: &crate::Ledger,
    size: ChartSize,
    folder: &Path,
) -> Result<Vec<StagedFile>, crate::report::OutputError> {
    let failed =
        |name: &str, reason: String| crate::report::OutputError::Chart { path: folder.join(name), reason };
    let mut files = Vec::new();
    let cashflows = CashflowsChart { ledger };
    files.extend(render(&cashflows, size, folder).map_err(|e| failed("cashflows.png", e))?);
    let cumulative = CumulativeChart { ledger, agreement: &loaded.agreement };
    files.extend(render(&cumulative, size, folder).map_err(|e| failed("cumulative.png", e))?);
    let rights = RightsChart { agreement: &loaded.agreement, scenario: &loaded.scenario };
    files.extend(render(&rights, size, folder).map_err(|e| failed("rights.png", e))?);
    if !ledger.launches.is_empty() {
        let reading = loaded
            .agreement
            .clauses
            .iter()
            .find_map(|c| match c {
                crate::agreement::Clause::ShippingPriority(p) => Some(p.exception.value.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "no Azure-first clause".to_string());
        let launches = LaunchesChart { ledger, reading };
        files.extend(render(&launches, size, folder).map_err(|e| failed("launches.png", e))?);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_within_bounds() {
        assert_eq!("1200x700".parse::<ChartSize>().unwrap(), ChartSize { width: 1200, height: 700 });
        assert_eq!("800X600".parse::<ChartSize>().unwrap(), ChartSize { width: 800, height: 600 });
        assert!("1200".parse::<ChartSize>().is_err());
        assert!("10x10".parse::<ChartSize>().is_err());
        assert!("99999x700".parse::<ChartSize>().is_err());
        assert!("-5x700".parse::<ChartSize>().is_err());
    }
}
