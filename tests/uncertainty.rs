//! Uncertainty around a path: a year's revenue as a distribution (a plain run takes its centre,
//! Monte Carlo centres on it), a level factor per path, Microsoft's revenue drawn as OpenAI's is
//! (in `montecarlo` and `montecarlo --against`), and the two joined by `revenue_correlation`.
//! The copula's own properties (±1 comonotone/countermonotone, 0 the independent draws) are unit
//! tests in `src/analysis/montecarlo/revenue.rs`.

use crate::common::dealsim;
use crate::exact::Test;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

const AROUND: &str = r#"name = "around"
years = { from = 2026, to = 2030 }

[revenue.openai]
by_year = { 2026 = "30B", 2027 = { dist = "lognormal", median = "62B", sigma = 0.2 }, 2028 = { dist = "lognormal", median = "100B", sigma = 0.25 }, 2029 = { dist = "lognormal", median = "125B", sigma = 0.3 }, 2030 = { dist = "lognormal", median = "174B", sigma = 0.35 } }
scale = { dist = "lognormal", median = 1, sigma = 0.1 }

[revenue.microsoft]
by_year = { 2026 = "10B" }
MICROSOFT_GROWTH

[assumptions]
revenue_correlation = 0.8
"#;

fn scenario(dir: &Path, microsoft_growth: &str) -> std::path::PathBuf {
    let path = dir.join(format!("around-{}.toml", microsoft_growth.len()));
    std::fs::write(&path, AROUND.replace("MICROSOFT_GROWTH", microsoft_growth)).unwrap();
    path
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn money(v: &serde_json::Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

fn montecarlo(file: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    dealsim()
        .arg("montecarlo")
        .arg(file)
        .args(["--paths", "20000", "--seed", "7", "--no-charts", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    json(&out.join("around/montecarlo/montecarlo.json"))
}

#[test]
fn a_per_year_distribution_is_the_path_a_plain_run_takes_and_monte_carlo_centres_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "growth = { dist = \"lognormal\", median = \"60%\", sigma = 0.3 }");
    dealsim()
        .arg("run")
        .arg(&file)
        .args(["--no-charts", "--out"])
        .arg(dir.path().join("run"))
        .assert()
        .success();
    let ledger = json(&dir.path().join("run/around/ledger.json"));
    let centres = ["30000000000", "62000000000", "100000000000", "125000000000", "174000000000"];
    for (row, centre) in ledger["rows"].as_array().unwrap().iter().zip(centres) {
        assert_eq!(
            money(&row["revenue"]),
            Decimal::from_str(centre).unwrap(),
            "a plain run takes the centre"
        );
    }
    let mc = montecarlo(&file, &dir.path().join("mc"), &[]);
    for (year, centre) in mc["years"].as_array().unwrap().iter().zip(centres) {
        let (p5, p50, p95) =
            (money(&year["revenue"]["p5"]), money(&year["revenue"]["p50"]), money(&year["revenue"]["p95"]));
        let centre = Decimal::from_str(centre).unwrap();
        assert!(p5 < p50 && p50 < p95, "{year}");
        let off = ((p50 - centre) / centre).abs();
        assert!(off < Decimal::new(3, 2), "{}: P50 {p50} is {off} from the path's {centre}", year["period"]);
    }
}

#[test]
fn microsofts_revenue_is_drawn_and_moves_the_gain_against_the_earlier_terms() {
    let dir = tempfile::tempdir().unwrap();
    let drawn = scenario(dir.path(), "growth = { dist = \"lognormal\", median = \"60%\", sigma = 0.3 }\nscale = { dist = \"lognormal\", median = 1, sigma = 0.1 }");
    let held = scenario(dir.path(), "growth = \"60%\"");
    let mc = montecarlo(&drawn, &dir.path().join("drawn"), &["--against", "pre-revision"]);
    let year = &mc["years"][2]["microsoft_revenue"];
    assert!(money(&year["p5"]) < money(&year["p95"]), "Microsoft's revenue spreads: {year}");
    let csv = std::fs::read_to_string(dir.path().join("drawn/around/montecarlo/montecarlo.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with("microsoft_revenue_p95"), "{csv}");
    let html = std::fs::read_to_string(dir.path().join("drawn/around/montecarlo/report.html")).unwrap();
    assert!(html.contains("Microsoft revenue P50"), "the report's per-year table shows both revenues");
    let fixed = montecarlo(&held, &dir.path().join("held"), &["--against", "pre-revision"]);
    let fixed_year = &fixed["years"][2]["microsoft_revenue"];
    assert_eq!(money(&fixed_year["p5"]), money(&fixed_year["p95"]), "held at its path: {fixed_year}");
    let against = |dir: &str| json(&std::path::PathBuf::from(dir).join("around/montecarlo/against.json"));
    let (a, b) = (
        against(dir.path().join("drawn").to_str().unwrap()),
        against(dir.path().join("held").to_str().unwrap()),
    );
    let spread = |v: &serde_json::Value| {
        money(&v["gain_present_value"]["p95"]) - money(&v["gain_present_value"]["p5"])
    };
    // Under the earlier terms Microsoft paid OpenAI a share of its revenue, so drawing that revenue
    // (correlated 0.8 with OpenAI's) changes the distribution of the revision's worth.
    assert_ne!(spread(&a), spread(&b), "drawing Microsoft's revenue moves the gain's spread");
    assert_ne!(a["gain_present_value"]["p50"], b["gain_present_value"]["p50"]);
}

#[test]
fn weighted_scenarios_draw_each_file_by_its_weight() {
    let dir = tempfile::tempdir().unwrap();
    let files = ["scenarios/bear.toml", "scenarios/base.toml", "scenarios/bull.toml"];
    dealsim()
        .arg("montecarlo")
        .args(files)
        .args(["--weights", "25%,50%,25%", "--paths", "40000", "--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("Weighted scenarios: bear 25%, base 50%, bull 25%"));
    let mc = json(&dir.path().join("weighted/montecarlo/montecarlo.json"));
    assert_eq!(mc["weighted"][1]["scenario"], "base");
    assert_eq!(mc["weighted"][1]["weight"], "0.5");
    // The bear case reaches the cap in 2029, the base and bull cases in 2028: by 2028 the cap is
    // reached on the base and bull files' paths, 75% of them (within sampling error: 4 sd).
    let by_2028 = &mc["years"][2];
    assert_eq!(by_2028["period"], "2028");
    let p = Decimal::from_str(by_2028["probability_cap_reached"].as_str().unwrap()).unwrap();
    assert!((p - Decimal::new(75, 2)).abs() < Decimal::new(9, 3), "P(cap reached by 2028) = {p}");
    assert_eq!(mc["years"][3]["probability_cap_reached"], "1", "all three by 2029");
}

#[test]
fn weights_that_do_not_add_up_or_match_the_files_are_refused() {
    let files = ["scenarios/bear.toml", "scenarios/base.toml", "scenarios/bull.toml"];
    for (weights, message) in [
        ("25%,50%,15%", "--weights add up to 90%; they must add up to exactly 100%"),
        ("50%,50%", "3 scenario files need 3 weights"),
        ("25%,50%,lots", "--weights: `lots`"),
    ] {
        dealsim()
            .arg("montecarlo")
            .args(files)
            .args(["--weights", weights, "--paths", "100", "--out", "/nonexistent/never-written"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(message));
    }
}

#[test]
fn the_revenue_fan_chart_draws_both_revenues_and_the_report_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    dealsim()
        .args(["montecarlo", "scenarios/uncertain.toml", "--paths", "4096", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("revenue-fan.png, revenue-fan.svg"));
    let folder = dir.path().join("uncertain/montecarlo");
    let svg = std::fs::read_to_string(folder.join("revenue-fan.svg")).unwrap();
    assert!(
        svg.contains("OpenAI: median") && svg.contains("Microsoft (OpenAI-based products): median"),
        "both revenues"
    );
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(
        html.contains("Monte Carlo revenue: OpenAI's and Microsoft's revenue"),
        "the report shows the chart"
    );
}

#[test]
fn montecarlo_without_a_distribution_warns_that_every_path_is_the_same() {
    Test::new()
        .args(["montecarlo", "scenarios/base.toml", "--paths", "10", "--no-charts", "--out", "{dir}"])
        .stdout_lines(&[
            "Total paid to Microsoft over 10 paths (seed 2026): P5 38B, P50 38B, P95 38B (percentiles within 0.2%)",
            "Wrote montecarlo.csv, montecarlo.json, report.html to {dir}/base/montecarlo",
        ])
        .stderr("warning: scenario `base` has nothing Monte Carlo draws (a distribution on a year's revenue, growth or scale, cap, share_rate or agi_declared), so every path is the same and the percentiles equal a plain `run`; see scenarios/uncertain.toml for how to write one\n")
        .run();
}
