//! `dealsim calibrate`: the posterior finds a reading the tool itself generated figures from,
//! puts little weight on the reading the shipped reports contradict, says when no reading fits,
//! is the same on any number of threads, and refuses a reported-figures file's mistakes at their
//! line.

use crate::common::{dealsim, repo};
use dealsim::analysis::calibrate::{self, figure, Calibration, Options, UnknownShape};
use dealsim::analysis::params::{Param, Value};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

fn calibrated(path: &Path, samples: usize) -> Calibration {
    let file = calibrate::load(path).unwrap_or_else(|e| panic!("{e}"));
    calibrate::calibrate(&file, Options { samples, seed: 7 }, &|| {}, &|| false)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The posterior probability of reading `text` of unknown `name`.
fn reading(c: &Calibration, name: &str, text: &str) -> f64 {
    let unknown = c.unknowns.iter().find(|u| u.name == name).unwrap();
    let UnknownShape::Readings(readings) = &unknown.shape else { panic!("{name} is continuous") };
    readings.iter().find(|r| r.value.to_string() == text).unwrap().posterior
}

fn posterior_p50(c: &Calibration, name: &str) -> Decimal {
    let unknown = c.unknowns.iter().find(|u| u.name == name).unwrap();
    let UnknownShape::Continuous { posterior, .. } = &unknown.shape else { panic!("{name} has readings") };
    posterior.p50
}

/// Runs the plan with `settings` and returns the ledger.
fn ledger_with(settings: &[(&str, &str)]) -> dealsim::Ledger {
    let loaded = dealsim::scenario::load_file(&repo().join("scenarios/plan-feb-2026.toml")).unwrap();
    let mut scenario = loaded.scenario.clone();
    for (name, value) in settings {
        let param = Param::parse(name).unwrap();
        param.apply(&mut scenario, param.value(value).unwrap()).unwrap();
    }
    let agreement = scenario.terms.apply(&loaded.base_agreement, "test").unwrap();
    dealsim::simulate(&agreement, &scenario).unwrap()
}

/// A reported-figures file reading the shipped plan (by absolute path) with these figures and
/// priors.
fn write_reported(dir: &Path, figures: &str, priors: &str) -> std::path::PathBuf {
    let plan = repo().join("scenarios/plan-feb-2026.toml");
    let text = format!(
        "{}\n[priors]\n{priors}\n",
        figures.replace("PLAN", &plan.display().to_string().replace('\\', "/"))
    );
    let path = dir.join("reported.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn paid_figure(year: i32, paid: Decimal) -> String {
    format!(
        "[[figures]]\nscenario = \"PLAN\"\nfigure = \"share_paid\"\nperiod = {year}\nreported = \"${}\"\ntolerance = \"2%\"\nsource = \"generated\"\n",
        paid.normalize()
    )
}

#[test]
fn figures_generated_from_a_known_reading_give_that_reading_back() {
    // The truth: the capped share counts from the announcement, and the cap is 45B.
    let truth = ledger_with(&[("cap_counts_from", "2026-04-27"), ("cap", "45B")]);
    let mut figures: String =
        truth.rows[..4].iter().map(|r| paid_figure(r.period.year, r.share_paid.value())).collect();
    let cap_year = truth.summary().unwrap().cap_reached_year.unwrap();
    figures.push_str(&format!(
        "[[figures]]\nscenario = \"PLAN\"\nfigure = \"cap_reached_year\"\nreported = {cap_year}\nsource = \"generated\"\n"
    ));
    let dir = tempfile::tempdir().unwrap();
    let priors = "cap_counts_from = { dist = \"dates\", 2026-01-01 = \"50%\", 2026-04-27 = \"50%\" }\ncap = { dist = \"uniform\", min = \"30B\", max = \"60B\" }";
    let c = calibrated(&write_reported(dir.path(), &figures, priors), 4000);
    let p = reading(&c, "cap_counts_from", "2026-04-27");
    assert!(p > 0.9, "P(2026-04-27) = {p}");
    let cap = posterior_p50(&c, "cap");
    assert!((cap - dec!(45e9)).abs() < dec!(45e9) * dec!(0.05), "cap P50 {cap}");
    // The most probable reading is that reading, and the cap near 45B.
    assert_eq!(c.most_probable[0].2, Value::Date(crate::common::date(2026, 4, 27)));
    assert!(c.effective_sample_size > 10.0 && c.effective_sample_size.is_finite());
}

#[test]
fn the_shipped_reports_give_the_announcement_reading_under_a_tenth() {
    let c = calibrated(&repo().join("scenarios/reported.toml"), 2000);
    let p = reading(&c, "cap_counts_from", "2026-04-27");
    assert!(p < 0.1, "P(2026-04-27) = {p}");
    assert!((reading(&c, "cap_counts_from", "2026-01-01") + p - 1.0).abs() < 1e-9, "readings add up to 1");
    // The reading is contradicted by the 2026 payment, and named as such.
    let unknown = c.unknowns.iter().find(|u| u.name == "cap_counts_from").unwrap();
    let UnknownShape::Readings(readings) = &unknown.shape else { unreachable!() };
    let file = calibrate::load(&repo().join("scenarios/reported.toml")).unwrap();
    let contradicted: Vec<String> =
        readings[1].contradicts.iter().map(|i| file.figures[*i].label(&file.scenarios)).collect();
    assert_eq!(contradicted, ["plan-feb-2026: share_paid 2026"]);
    assert!(readings[0].contradicts.is_empty());
    // The exact-year report keeps the cap, net of earlier payments, between the cumulative dues
    // of 2027 and 2028 (18.4B and 41B): every posterior cap is above 18.4B.
    let unknown = c.unknowns.iter().find(|u| u.name == "cap").unwrap();
    let UnknownShape::Continuous { posterior, prior, .. } = &unknown.shape else { unreachable!() };
    assert!(posterior.p95 < prior.p95, "the reports rule out the largest caps: {posterior:?} vs {prior:?}");
    let by_2028 = c.predictive.cap_reached_by.iter().find(|(y, _, _)| *y == 2028).unwrap();
    assert!(
        by_2028.2 > 0.999 && by_2028.1 < 0.9,
        "P(cap by 2028): prior {} → posterior {}",
        by_2028.1,
        by_2028.2
    );
}

#[test]
fn readings_alone_are_exact_bayes_and_need_no_samples() {
    // With readings only, the posterior is exact: each reading's prior × its likelihood.
    let dir = tempfile::tempdir().unwrap();
    let paid = ledger_with(&[]).rows[0].share_paid.value();
    let path = write_reported(
        dir.path(),
        &paid_figure(2026, paid),
        "cap_counts_from = { dist = \"dates\", 2026-01-01 = \"25%\", 2026-04-27 = \"75%\" }",
    );
    let c = calibrated(&path, 5000);
    assert_eq!(c.samples, 1, "nothing is sampled");
    let prorated = ledger_with(&[("cap_counts_from", "2026-04-27")]).rows[0].share_paid.value();
    let z = ((prorated - paid) / (paid * dec!(0.02))).to_f64().unwrap();
    let expected = 0.75 * (-0.5 * z * z).exp() / (0.25 + 0.75 * (-0.5 * z * z).exp());
    assert!((reading(&c, "cap_counts_from", "2026-04-27") - expected).abs() < 1e-12);
}

#[test]
fn a_report_no_reading_can_produce_is_said_so_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    // The cap reached in 2026 is impossible for any cap from 30B: every sample misses it.
    let figures = "[[figures]]\nscenario = \"PLAN\"\nfigure = \"cap_reached_year\"\nreported = 2026\nsource = \"made up\"\n";
    let path =
        write_reported(dir.path(), figures, "cap = { dist = \"uniform\", min = \"30B\", max = \"50B\" }");
    dealsim()
        .args(["calibrate", "--samples", "200", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the reports contradict every reading within the priors: no sample produces `plan-feb-2026: cap_reached_year` = 2026",
        ));
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn a_figure_every_reading_misses_by_far_is_warned_about_and_the_posterior_stays_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_reported(
        dir.path(),
        &paid_figure(2026, dec!(60e9)),
        "cap_counts_from = { dist = \"dates\", 2026-01-01 = \"50%\", 2026-04-27 = \"50%\" }",
    );
    let out = dir.path().join("out");
    dealsim().args(["calibrate", "--no-charts", "--out"]).arg(&out).arg(&path).assert().success().stderr(
        predicates::str::contains(
            "warning: the reports contradict every reading within the priors: even the best fit is",
        ),
    );
    let json = std::fs::read_to_string(out.join("reported/calibrate/calibrate.json")).unwrap();
    assert!(!json.contains("NaN") && !json.contains("null,\n    \"posterior\""), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let posterior = &value["posterior"]["cap_counts_from"];
    assert_eq!(posterior["2026-01-01"], "1", "the least bad reading: {posterior}");
    assert!(value["warnings"][0].as_str().unwrap().contains("contradict every reading"));
}

#[test]
fn the_same_seed_gives_the_same_files_on_one_thread_and_on_two() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("out-{threads}"));
        dealsim()
            .env("RAYON_NUM_THREADS", threads)
            .args(["calibrate", "scenarios/reported.toml", "--samples", "600", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success();
        ["calibrate.json", "calibrate.csv", "report.html"]
            .map(|f| std::fs::read(out.join("reported/calibrate").join(f)).unwrap())
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn the_most_probable_reading_is_written_as_a_scenario_that_run_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("calibrated.toml");
    let out = dir.path().join("out");
    dealsim()
        .args(["calibrate", "scenarios/reported.toml", "--samples", "500", "--no-charts", "--write-scenario"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("Most probable reading ("))
        .stdout(predicates::str::contains("; the most probable reading to"));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("reported/calibrate/calibrate.json")).unwrap(),
    )
    .unwrap();
    let loaded = dealsim::scenario::load_file(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.scenario.name, "plan-feb-2026-calibrated");
    assert_eq!(loaded.scenario.terms.cap_counts_from, Some(crate::common::date(2026, 1, 1)));
    let cap = json["most_probable"]["cap"].as_str().unwrap();
    assert_eq!(loaded.scenario.terms.cap.unwrap().normalize().to_string(), cap);
    // Its ledger is the figures calibrate shows at the most probable reading.
    let ledger = dealsim::simulate(&loaded.agreement, &loaded.scenario).unwrap();
    let figure = &json["figures"][0];
    assert_eq!(figure["figure"], "share_paid 2026");
    assert_eq!(
        ledger.rows[0].share_paid.value().normalize().to_string(),
        figure["at_most_probable"].as_str().unwrap()
    );
    dealsim().arg("run").arg(&scenario).arg("--no-charts").arg("--out").arg(&out).assert().success();
    // Never over an input.
    dealsim()
        .args([
            "calibrate",
            "scenarios/reported.toml",
            "--samples",
            "10",
            "--no-charts",
            "--write-scenario",
            "scenarios/plan-feb-2026.toml",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("that is one of the command's inputs"));
}

#[test]
fn every_figure_column_is_a_heading_of_ledger_csv() {
    let dir = tempfile::tempdir().unwrap();
    dealsim().args(["run", "scenarios/base.toml", "--no-charts", "--out"]).arg(dir.path()).assert().success();
    let csv = std::fs::read_to_string(dir.path().join("base/ledger.csv")).unwrap();
    let headings: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for name in calibrate::figure::Column::names() {
        assert!(headings.contains(&name.as_str()), "{name} is not a ledger.csv heading");
    }
}

/// Seven priors of ten readings each: 10^7 combinations, refused before any is built.
fn many_readings() -> String {
    let readings = |unit: &str, base: u32| -> String {
        (0..10).map(|i| format!("\"{}{unit}\" = \"10%\"", base + i)).collect::<Vec<_>>().join(", ")
    };
    let mut out = String::new();
    for (name, unit, base) in [("cap", "B", 30), ("prior_payments_toward_cap", "B", 1)] {
        out.push_str(&format!("{name} = {{ dist = \"values\", {} }}\n", readings(unit, base)));
    }
    for name in ["share_rate", "share_base", "discount_rate", "growth", "revenue_scale"] {
        out.push_str(&format!("{name} = {{ dist = \"values\", {} }}\n", readings("%", 10)));
    }
    out
}

/// Each mistake in a reported-figures file, refused at its line and column with what was
/// expected.
#[test]
fn mistakes_in_a_reported_figures_file_are_refused_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let figure = |body: &str| format!("[[figures]]\nscenario = \"PLAN\"\nsource = \"x\"\n{body}\n");
    let good = "figure = \"share_paid\"\nperiod = 2026\nreported = \"6B\"\ntolerance = \"5%\"";
    let cases: &[(String, &str, &str)] = &[
        (
            figure("figure = \"share_payd\"\nperiod = 2026\nreported = \"6B\"\ntolerance = \"5%\""),
            "",
            "reported.toml:4:10: figure: `share_payd` is not a money column",
        ),
        (
            figure("figure = \"share_paid\"\nperiod = 2026\nreported = \"6B\""),
            "",
            "a money figure needs a `tolerance` above 0",
        ),
        (
            figure("figure = \"share_paid\"\nperiod = 2026\nreported = \"6B\"\ntolerance = 0.1"),
            "",
            "tolerance",
        ),
        (
            figure("figure = \"share_paid\"\nperiod = \"2026-Q1\"\nreported = \"6B\"\ntolerance = \"5%\""),
            "",
            "reported.toml:5:10: period: `2026-Q1` is not made of whole periods of `plan-feb-2026`",
        ),
        (
            figure("figure = \"share_paid\"\nperiod = 2040\nreported = \"6B\"\ntolerance = \"5%\""),
            "",
            "period: `2040` is not made of whole periods",
        ),
        (
            figure("figure = \"share_paid\"\nperiod = 2026\nreported = \"29,4B\"\ntolerance = \"5%\""),
            "",
            "reported.toml:6:12: reported",
        ),
        (
            figure("figure = \"cap_reached_year\"\nperiod = 2026\nreported = 2028"),
            "",
            "`cap_reached_year` is a year of the whole run; it takes no period",
        ),
        (
            figure(good),
            "cap_counts_from = { dist = \"dates\", 2026-01-01 = \"50%\", 2026-04-27 = \"40%\" }",
            "priors.cap_counts_from: the probabilities add up to 90%, not 100%",
        ),
        (
            figure(good),
            "cap_counts_from = { dist = \"uniform\", min = 1, max = 2 }",
            "priors.cap_counts_from: `cap_counts_from` is not a number",
        ),
        (figure(good), "cap = \"38B\"", "priors.cap: a prior is a distribution"),
        (
            figure(good),
            "capp = { dist = \"uniform\", min = \"30B\", max = \"50B\" }",
            "priors.capp: unknown parameter `capp`",
        ),
        (
            figure(good),
            "cap = { dist = \"dates\", 2026-01-01 = \"50%\", 2026-04-27 = \"50%\" }",
            "`cap` takes `dist = \"values\"`",
        ),
        (figure(good).replace("PLAN", "missing.toml"), "", "scenario: "),
        (format!("{}evidence = false\n", figure(good)), "", "every figure has `evidence = false`"),
        (figure(&format!("{good}\ncolour = \"red\"")), "", "unknown key `colour`"),
        (
            figure(good),
            "openai-to-microsoft.rate = { dist = \"uniform\", min = 0.1, max = 0.2 }",
            "a dotted key is a table in TOML; write a clause parameter quoted: \"openai-to-microsoft.rate\"",
        ),
        (
            figure(good),
            &many_readings(),
            "combination(s) of readings × 1 sample(s) is more than 2000000 simulations",
        ),
    ];
    for (figures, priors, expected) in cases {
        let path = write_reported(dir.path(), figures, priors);
        dealsim()
            .args(["calibrate", "--no-charts", "--out"])
            .arg(dir.path().join("out"))
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*expected));
    }
}

#[test]
fn a_scenario_with_drawn_revenue_has_its_paths_weighed_too() {
    // uncertain.toml draws 2027's revenue around 62B; a report of 70B pulls its posterior up.
    let dir = tempfile::tempdir().unwrap();
    let uncertain = repo().join("scenarios/uncertain.toml").display().to_string().replace('\\', "/");
    let figures = format!(
        "[[figures]]\nscenario = \"{uncertain}\"\nfigure = \"revenue\"\nperiod = 2027\nreported = \"70B\"\ntolerance = \"2%\"\nsource = \"made up\"\n"
    );
    let path = write_reported(dir.path(), &figures, "");
    let c = calibrated(&path, 3000);
    assert_eq!(c.samples, 3000, "the revenue is sampled though no prior is continuous");
    let figure::Observed::Money(p50) = c.figures[0].posterior_p50 else { panic!("a money figure") };
    assert!(p50 > dec!(67e9) && p50 < dec!(73e9), "posterior P50 of 2027 revenue {p50}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// With readings only, the posterior is Bayes' rule exactly: each reading's posterior is its
    /// prior times its kernel over the sum of those; they add up to 1 and none is NaN.
    #[test]
    fn readings_posteriors_follow_bayes_rule_and_add_up_to_one(
        reported_cents in 300_000_000_000i64..900_000_000_000,
        first in 1u32..100,
        tolerance in 1u32..30,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let reported = Decimal::new(reported_cents, 2);
        let figure = format!(
            "[[figures]]\nscenario = \"PLAN\"\nfigure = \"share_paid\"\nperiod = 2026\nreported = \"${}\"\ntolerance = \"{tolerance}%\"\nsource = \"generated\"\n",
            reported.normalize()
        );
        let priors = format!(
            "cap_counts_from = {{ dist = \"dates\", 2026-01-01 = \"{first}%\", 2026-04-27 = \"{}%\" }}",
            100 - first
        );
        let c = calibrated(&write_reported(dir.path(), &figure, &priors), 10);
        let kernel = |settings: &[(&str, &str)]| {
            let paid = ledger_with(settings).rows[0].share_paid.value();
            let z = ((paid - reported) / (reported * Decimal::from(tolerance) / dec!(100))).to_f64().unwrap();
            (-0.5 * z * z).exp()
        };
        let (a, b) = (f64::from(first) / 100.0 * kernel(&[]), f64::from(100 - first) / 100.0 * kernel(&[("cap_counts_from", "2026-04-27")]));
        let (pa, pb) = (reading(&c, "cap_counts_from", "2026-01-01"), reading(&c, "cap_counts_from", "2026-04-27"));
        proptest::prop_assert!(pa.is_finite() && pb.is_finite());
        proptest::prop_assert!((pa + pb - 1.0).abs() < 1e-12);
        if a + b > 1e-300 {
            proptest::prop_assert!((pa - a / (a + b)).abs() < 1e-9, "{pa} vs {}", a / (a + b));
        }
    }
}

#[test]
fn a_written_scenario_says_what_it_cannot_carry() {
    // launches.toml has launches and a cloud mix, which a scenario written from a reading omits.
    let dir = tempfile::tempdir().unwrap();
    let launches = repo().join("scenarios/launches.toml").display().to_string().replace('\\', "/");
    let figures = format!(
        "predict = \"{launches}\"\n[[figures]]\nscenario = \"{launches}\"\nfigure = \"share_paid\"\nperiod = 2026\nreported = \"6B\"\ntolerance = \"5%\"\nsource = \"[S10]\"\n"
    );
    let path =
        write_reported(dir.path(), &figures, "cap = { dist = \"uniform\", min = \"30B\", max = \"50B\" }");
    let written = dir.path().join("w.toml");
    dealsim()
        .args(["calibrate", "--samples", "50", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg("--write-scenario")
        .arg(&written)
        .arg(&path)
        .assert()
        .success()
        .stderr(predicates::str::contains("is written without its launches (copy what matters from"))
        .stderr(predicates::str::contains("is written without its cloud mix"));
    assert!(dealsim::scenario::load_file(&written).is_ok(), "the written file still runs");
    // The warnings reach the page and the JSON too.
    let folder = dir.path().join("out/reported/calibrate");
    let page = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(page.contains("is written without its launches"), "report.html carries the warning");
    let json = std::fs::read_to_string(folder.join("calibrate.json")).unwrap();
    assert!(json.contains("is written without its cloud mix"), "calibrate.json carries the warning");
}
