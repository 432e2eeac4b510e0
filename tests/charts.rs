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
    assert_eq!(
        names,
        ["flows.csv", "ledger.csv", "ledger.json", "ledger.xlsx", "report.html", "summary.json"]
    );
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
        .stdout(predicate::str::contains("│ Share due           ┆     98.2B ┆    65.94B ┆    110.2B │"))
        .stdout(predicate::str::contains("│ PV net to Microsoft ┆    31.75B ┆    30.46B ┆    31.75B │"))
        .stdout(predicate::str::contains("│ Cap reached         ┆      2028 ┆      2029 ┆      2028 │"));
    let folder = out.path().join("compare");
    let csv = std::fs::read_to_string(folder.join("compare.csv")).unwrap();
    let header = "scenario,agreement,first_period,last_period,revenue,cap,share_due,share_paid,\
                  microsoft_share_paid,net_to_microsoft,present_value_net_to_microsoft,cap_reached_year,\
                  against,microsoft_gain_against,microsoft_gain_present_value_against,paid_to_microsoft,paid_to_openai\n";
    assert!(csv.starts_with(header), "one row per scenario: {csv}");
    let share_due: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(6).unwrap()).collect();
    assert_eq!(share_due, ["98200000000", "65937500000", "110200000000"], "{csv}");
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

/// The `<text>` bodies of an SVG (plotters writes each on its own lines), trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")))
        .map(|(body, _)| body.trim().to_string())
        .collect()
}

#[test]
fn quarterly_cashflows_say_quarter_use_millions_and_never_print_minus_zero() {
    let out = tempfile::tempdir().unwrap();
    dealsim().args(["run", "scenarios/history.toml", "--out"]).arg(out.path()).assert().success();
    let chart = svg(&out.path().join("history/cashflows.svg"));
    let texts = svg_texts(&chart);
    assert!(texts.iter().any(|t| t.contains("per quarter")), "{texts:?}");
    assert!(texts.iter().any(|t| t == "Quarter"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "USD m"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("per year") || t == "Year"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "-0"), "a tick reads -0: {texts:?}");
}

#[test]
fn every_svg_has_a_title_and_a_desc_and_draws_each_line_once() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/launches.toml", "--against", "original", "--out"])
        .arg(out.path())
        .assert()
        .success();
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20B,40B", "--set", "growth=10%,20%", "--out"])
        .arg(out.path())
        .assert()
        .success();
    dealsim().args(["sensitivity", "scenarios/base.toml", "--out"]).arg(out.path()).assert().success();
    dealsim()
        .args(["montecarlo", "scenarios/uncertain.toml", "--paths", "2000", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let mut seen = 0;
    for entry in crate::common::files_in(out.path()) {
        if entry.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        seen += 1;
        let chart = svg(&entry);
        let title = chart.split_once("<title>").and_then(|(_, r)| r.split_once("</title>")).map(|(t, _)| t);
        assert!(title.is_some_and(|t| t.len() > 10), "{}: no <title>", entry.display());
        assert!(chart.contains("<desc>"), "{}: no <desc>", entry.display());
        let mut lines: Vec<&str> = chart.lines().filter(|l| l.starts_with("<line")).collect();
        let all = lines.len();
        lines.sort_unstable();
        lines.dedup();
        assert_eq!(lines.len(), all, "{}: a line is drawn twice", entry.display());
    }
    assert!(seen >= 8, "only {seen} SVGs written");
}

#[test]
fn a_heat_map_has_a_colour_bar_and_one_swept_parameter_draws_a_line_instead() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20B,40B", "--set", "growth=10%,20%", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let heatmap = svg(&out.path().join("base/sweep/heatmap.svg"));
    // Four cells have at most four colours; the bar is a 64-step gradient.
    let mut fills: Vec<&str> =
        heatmap.split("fill=\"").skip(1).filter_map(|f| f.split_once('"')).map(|(c, _)| c).collect();
    fills.sort_unstable();
    fills.dedup();
    assert!(fills.len() >= 64, "no colour bar: {} colours", fills.len());

    let one = tempfile::tempdir().unwrap();
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20B,40B,60B", "--out"])
        .arg(one.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("line.png, line.svg"));
    let folder = one.path().join("base/sweep");
    assert!(!folder.join("heatmap.png").exists(), "a one-parameter sweep drew a heat map");
    assert_drawn_png(&folder.join("line.png"), 1200, 700);
    let line = svg_texts(&svg(&folder.join("line.svg")));
    for expected in ["Total paid to Microsoft by cap — sweep of base", "20B", "40B", "60B"] {
        assert!(line.iter().any(|t| t == expected), "line.svg lacks `{expected}`: {line:?}");
    }
}

#[test]
fn the_same_parameter_on_both_heat_map_axes_is_refused() {
    dealsim()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20B,40B", "--set", "growth=10%,20%"])
        .args(["--x", "cap", "--y", "cap", "--no-charts"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--x and --y are both `cap`"));
}

#[test]
fn the_fan_chart_labels_probabilities_as_p_cap_and_groups_the_path_count() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["montecarlo", "scenarios/uncertain.toml", "--paths", "20000", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("over 20,000 paths"));
    let texts = svg_texts(&svg(&out.path().join("uncertain/montecarlo/fan.svg")));
    assert!(texts.iter().any(|t| t.contains("20,000 simulated paths")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("P(cap) ") && t.ends_with('%')), "{texts:?}");
    assert!(!texts.iter().any(|t| t.ends_with("% cap")), "{texts:?}");
}

#[test]
fn the_waterfall_names_or_counts_the_changes_it_draws_no_bar_for() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/base.toml", "--against", "original", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let texts = svg_texts(&svg(&out.path().join("base/against-original/waterfall.svg")));
    let csv = std::fs::read_to_string(out.path().join("base/against-original/attribution.csv")).unwrap();
    let zero_steps = csv.lines().skip(1).filter(|l| l.split(',').rev().nth(2) == Some("0")).count();
    assert!(zero_steps > 0, "{csv}");
    assert!(
        texts.iter().any(|t| t.contains("no effect on this path") || t.starts_with("No effect on this path")),
        "{texts:?}"
    );
}

#[test]
fn a_timeline_marks_each_version_and_draws_the_cap_above_what_uncapped_terms_paid() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("deal.toml");
    std::fs::write(
        &file,
        "name = \"deal\"\nagreement = \"microsoft-openai\"\nyears = { from = 2024, to = 2030 }\n\
         [revenue.openai]\nby_year = { 2024 = \"3.7B\", 2025 = \"13.07B\", 2026 = \"30B\" }\ngrowth = \"80%\"\n",
    )
    .unwrap();
    dealsim().args(["run", "--out"]).arg(out.path()).arg(&file).assert().success();
    let rights = svg_texts(&svg(&out.path().join("deal/rights.svg")));
    for expected in [
        "Terms in force over time — microsoft-openai timeline, scenario deal",
        "restructured from 2025-10-28",
        "revised from 2026-04-27",
    ] {
        assert!(rights.iter().any(|t| t == expected), "rights.svg lacks `{expected}`: {rights:?}");
    }
    let cumulative = svg_texts(&svg(&out.path().join("deal/cumulative.svg")));
    assert!(
        cumulative
            .iter()
            .any(|t| t.starts_with("Cap: 38B on top of ") && t.ends_with(" paid under uncapped terms")),
        "{cumulative:?}"
    );
    assert!(cumulative.iter().any(|t| t == "revised from 2026-04-27"), "{cumulative:?}");
}

#[test]
fn each_chart_in_a_report_is_captioned_with_what_the_chart_says_it_shows() {
    // The caption travels with the chart's staged files (`chart::render`), not read back out of
    // the SVG; it must still say what the SVG's `<desc>` says, for every chart on the page.
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .current_dir(crate::common::repo())
        .args(["run", "scenarios/base.toml", "--against", "pre-revision", "--chart-size", "600x400", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(out.path().join("base/report.html")).unwrap();
    let between = |text: &str, open: &str, close: &str| -> String {
        let start = text.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
        text[start..start + text[start..].find(close).unwrap()].to_string()
    };
    let plain = |text: String| text.replace("&quot;", "\"").replace("&#39;", "'");
    let figures: Vec<&str> = page.split("<figure>").skip(1).collect();
    assert_eq!(figures.len(), 4, "cash flows, cumulative, rights and the waterfall");
    for figure in figures {
        let caption = plain(between(figure, "<figcaption>", "</figcaption>"));
        assert!(caption.len() > 20, "{caption:?}");
        assert_eq!(caption, plain(between(figure, "<desc>", "</desc>")));
    }
}
