//! Charts: written beside the ledger, decodable at the requested size, not blank, text drawn
//! (the embedded font), titles and labels present in the SVG, and deterministic.

use crate::common::dealsim;
use predicates::prelude::*;
use std::path::Path;

/// Decodes a PNG and checks its size, that it is not blank, and that the title band has text.
fn assert_drawn_png(path: &Path, width: u32, height: u32) {
    let image = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).to_rgb8();
    assert_eq!(image.dimensions(), (width, height), "{}", path.display());
    let non_white = image.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let total = (width * height) as usize;
    assert!(non_white * 50 > total, "{}: only {non_white} of {total} pixels drawn", path.display());
    let mut colours: Vec<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 8, "{}: only {} colours", path.display(), colours.len());
    // The title is dark text on white across the top 8% of the chart: with no font it is empty.
    let title_band = height * 8 / 100;
    let dark_in_title = (0..title_band)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| image.get_pixel(x, y).0.iter().all(|c| *c < 100))
        .count();
    assert!(
        dark_in_title > 200,
        "{}: the title has {dark_in_title} dark pixels: is text drawn?",
        path.display()
    );
}

fn svg(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_draws_three_charts_as_png_and_svg_at_the_requested_size() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--chart-size", "900x500", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("cashflows.png, cashflows.svg, cumulative.png"));
    let folder = out.path().join("base");
    for name in ["cashflows", "cumulative", "rights"] {
        assert_drawn_png(&folder.join(format!("{name}.png")), 900, 500);
    }
    let cashflows = svg(&folder.join("cashflows.svg"));
    for expected in [
        "Revenue share due vs paid per year — base (revised terms)",
        "USD bn",
        "Year",
        "Due to Microsoft before the cap",
        "cap reached in 2028",
        "19.6B of 20B",
    ] {
        assert!(cashflows.contains(expected), "cashflows.svg lacks `{expected}`");
    }
    let cumulative = svg(&folder.join("cumulative.svg"));
    for expected in [
        "Cumulative revenue share paid to Microsoft vs the cap",
        "Cap: 38B",
        "revenue share ends 2030-12-31",
        "USD bn, cumulative",
    ] {
        assert!(cumulative.contains(expected), "cumulative.svg lacks `{expected}`");
    }
    let rights = svg(&folder.join("rights.svg"));
    for expected in [
        "Terms in force over time — revised agreement, scenario base",
        "non-exclusive to 2032-12-31",
        "any cloud",
        "20%, capped at 38B",
        "no AGI clause in this agreement",
        "effective 2026-04-27",
        "scenario years 2026–2032",
    ] {
        assert!(rights.contains(expected), "rights.svg lacks `{expected}`");
    }
}

#[test]
fn the_default_chart_size_is_1200_by_700_and_charts_are_byte_identical_across_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        dealsim().args(["run", "scenarios/bull.toml", "--out"]).arg(out).assert().success();
    }
    assert_drawn_png(&a.path().join("bull/rights.png"), 1200, 700);
    for file in
        ["cashflows.svg", "cumulative.svg", "rights.svg", "cashflows.png", "cumulative.png", "rights.png"]
    {
        let x = std::fs::read(a.path().join("bull").join(file)).unwrap();
        let y = std::fs::read(b.path().join("bull").join(file)).unwrap();
        assert!(x == y, "{file} differs between two runs of the same input");
    }
}

#[test]
fn no_charts_skips_them() {
    let out = tempfile::tempdir().unwrap();
    dealsim().args(["run", "scenarios/bear.toml", "--no-charts", "--out"]).arg(out.path()).assert().success();
    let mut names: Vec<String> = std::fs::read_dir(out.path().join("bear"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(names, ["ledger.csv", "ledger.json", "summary.json"]);
}

#[test]
fn a_bad_chart_size_is_a_usage_error() {
    dealsim()
        .args(["run", "scenarios/base.toml", "--chart-size", "10x10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("width and height must be whole numbers from 400 to 6000"));
    dealsim()
        .args(["run", "scenarios/base.toml", "--chart-size", "wide"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected WIDTHxHEIGHT"));
}

#[test]
fn compare_writes_a_side_by_side_table_csv_and_an_overlay_chart() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["compare", "scenarios/base.toml", "scenarios/bear.toml", "scenarios/bull.toml", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("│ Due to Microsoft  ┆     98.2B ┆    65.94B ┆    110.2B │"))
        .stdout(predicate::str::contains("│ Cap reached       ┆      2028 ┆      2029 ┆      2028 │"));
    let folder = out.path().join("compare");
    let csv = std::fs::read_to_string(folder.join("compare.csv")).unwrap();
    assert!(csv.starts_with("metric,base,bear,bull\n"), "{csv}");
    assert!(csv.contains("\nshare_due,98200000000,65937500000,110200000000\n"), "{csv}");
    assert_drawn_png(&folder.join("cumulative.png"), 1200, 700);
    let chart = svg(&folder.join("cumulative.svg"));
    for expected in [
        "Cumulative revenue share paid to Microsoft — base vs bear vs bull",
        "base (revised)",
        "bear (revised)",
        "cap 38B",
    ] {
        assert!(chart.contains(expected), "compare chart lacks `{expected}`");
    }
}

#[test]
fn compare_needs_two_scenarios() {
    dealsim().args(["compare", "scenarios/base.toml"]).assert().code(2);
}
