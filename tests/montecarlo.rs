//! Monte Carlo: the flat plan reproduces the exact engine; zero variance equals a plain run;
//! percentiles are ordered; results do not depend on the thread count.

use crate::common::*;
use crate::exact::Test;
use dealsim::agreement::{builtin, BUILTIN_NAMES};
use dealsim::analysis::against::counterfactual;
use dealsim::analysis::montecarlo::{run, Plan};
use dealsim::engine::simulate;
use dealsim::scenario::dist::Dist;
use dealsim::scenario::{self, GrowthSource};
use predicates::prelude::*;
use proptest::prelude::*;
use rand::SeedableRng;
use rust_decimal::Decimal;

fn lognormal_scenario(median: Decimal, sigma: Decimal, years: usize) -> dealsim::Scenario {
    let mut s = scenario(2026, vec![Decimal::from(30_000_000_000i64); years]);
    let dist = Dist::LogNormal { median, sigma };
    for i in 1..years {
        s.openai_growth[i] = GrowthSource::Random(dist);
        s.openai_revenue[i] = dealsim::money::round_money(s.openai_revenue[i - 1] * (Decimal::ONE + median));
    }
    s.terms.cap = Some(Decimal::from(38_000_000_000i64));
    s.terms.effective_date = Some(date(2026, 4, 27));
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_plan_path_reproduces_the_exact_engine_under_every_agreement(
        s in revised_scenario(), name in prop::sample::select(BUILTIN_NAMES),
    ) {
        let mut s = s;
        s.microsoft_revenue = s.openai_revenue.iter().map(|r| dealsim::money::round_money(*r / Decimal::from(3))).collect();
        let own = resolved("revised", &s);
        let agreement = counterfactual(&own, &builtin(name).unwrap(), &s).unwrap();
        let ledger = simulate(&agreement, &s).unwrap();
        let plan = Plan::new(&agreement, &s).unwrap();
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(1);
        let mut seen = Vec::new();
        plan.path(&mut rng, &mut plan.work(), |t, revenue, paid, cumulative, _| seen.push((t, revenue, paid, cumulative))).unwrap();
        prop_assert_eq!(seen.len(), ledger.rows.len());
        for (t, revenue, paid, cumulative) in seen {
            let row = &ledger.rows[t];
            prop_assert_eq!((revenue, paid, cumulative), (row.revenue.value(), row.share_paid.value(), row.cumulative_paid.value()), "{}", row.period.label);
        }
    }

    #[test]
    fn percentiles_are_ordered_in_every_year(
        median in 1u32..150, sigma in 0u32..80, seed in any::<u64>(),
    ) {
        let s = lognormal_scenario(Decimal::new(median.into(), 2), Decimal::new(sigma.into(), 2), 8);
        let plan = Plan::new(&resolved("revised", &s), &s).unwrap();
        let mc = run(&plan, 3000, seed, &|_| {}).unwrap();
        for y in &mc.years {
            prop_assert!(y.revenue.ordered() && y.paid.ordered() && y.cumulative_paid.ordered(), "{}", y.period);
            prop_assert!(y.probability_cap_reached <= Decimal::ONE);
        }
        prop_assert!(mc.total_paid.ordered());
        // The cap binds on every path: P95 of the total never exceeds it.
        prop_assert!(mc.total_paid.p95 <= Decimal::from(38_000_000_000i64));
    }
}

#[test]
fn zero_variance_monte_carlo_equals_the_deterministic_run_exactly() {
    let s = lognormal_scenario(Decimal::new(55, 2), Decimal::ZERO, 7);
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    let mc = run(&Plan::new(&agreement, &s).unwrap(), 5000, 7, &|_| {}).unwrap();
    for (y, row) in mc.years.iter().zip(&ledger.rows) {
        for p in [&y.revenue.p5, &y.revenue.p50, &y.revenue.p95] {
            assert_eq!(*p, row.revenue, "{}", row.period.label);
        }
        assert_eq!((y.paid.p5, y.paid.p95), (row.share_paid, row.share_paid));
        assert_eq!((y.cumulative_paid.p5, y.cumulative_paid.p95), (row.cumulative_paid, row.cumulative_paid));
        assert_eq!(y.probability_cap_reached, if row.cap_reached { Decimal::ONE } else { Decimal::ZERO });
    }
}

#[test]
fn the_same_seed_gives_the_same_results_on_one_thread_or_several() {
    let s = lognormal_scenario(Decimal::new(5, 1), Decimal::new(3, 1), 7);
    let plan = Plan::new(&resolved("revised", &s), &s).unwrap();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run(&plan, 50_000, 42, &|_| {}).unwrap())
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(7));
    assert_ne!(one, run(&plan, 50_000, 43, &|_| {}).unwrap(), "a different seed gives different draws");
}

#[test]
fn montecarlo_command_writes_percentiles_and_a_fan_chart_deterministically() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        dealsim()
            .args(["montecarlo", "scenarios/uncertain.toml", "--paths", "20000", "--seed", "9"])
            .args(["--against", "pre-revision", "--out"])
            .arg(out)
            .assert()
            .success()
            .stdout(predicate::str::contains("P(cap reached)"))
            .stdout(predicate::str::contains("Total paid to Microsoft over 20,000 paths (seed 9)"));
    }
    let files =
        ["montecarlo.csv", "montecarlo.json", "fan.svg", "fan.png", "against.json", "gain-histogram.png"];
    for file in files.into_iter().chain(["gain-histogram.svg", "report.html"]) {
        let x = std::fs::read(a.path().join("uncertain/montecarlo").join(file)).unwrap();
        assert!(
            x == std::fs::read(b.path().join("uncertain/montecarlo").join(file)).unwrap(),
            "{file} differs"
        );
    }
    let csv = std::fs::read_to_string(a.path().join("uncertain/montecarlo/montecarlo.csv")).unwrap();
    assert!(csv.starts_with("period,revenue_p5,revenue_p25,revenue_p50,revenue_p75,revenue_p95,paid_p5,"));
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let (p5, p50, p95) = (
        first[1].parse::<f64>().unwrap(),
        first[3].parse::<f64>().unwrap(),
        first[5].parse::<f64>().unwrap(),
    );
    assert!(
        p5 < 30e9 && p95 > 30e9 && (p50 / 30e9 - 1.0).abs() < 0.01,
        "2026 is listed, moved only by the path's scale: {first:?}"
    );
    let svg = std::fs::read_to_string(a.path().join("uncertain/montecarlo/fan.svg")).unwrap();
    assert!(svg.contains("Cumulative paid to Microsoft, 20,000 simulated paths — uncertain"));
}

#[test]
fn a_run_of_a_distribution_scenario_uses_the_median() {
    let loaded = scenario::load_file(&repo().join("scenarios/uncertain.toml")).unwrap();
    assert_eq!(
        loaded.scenario.openai_revenue[1],
        Decimal::from(62_000_000_000i64),
        "2027's median: the base path"
    );
    assert_eq!(loaded.scenario.microsoft_revenue[1], Decimal::from(20_670_000_000i64));
}

/// What every plain run of scenarios/uncertain.toml warns (its AGI date matters only with
/// `--against pre-revision`).
const UNCERTAIN_AGI_WARNING: &str = "warning: assumptions.agi_declared does nothing: no clause of `revised` ends when AGI is declared (it matters only to terms with an AGI clause, e.g. `--against pre-revision`)\n";

#[test]
fn path_counts_out_of_range_are_refused_up_front() {
    for paths in ["0", "100000000000"] {
        Test::new()
            .args(["montecarlo", "scenarios/uncertain.toml", "--paths", paths])
            .status(2)
            .stderr(&format!(
                "{UNCERTAIN_AGI_WARNING}error: --paths {paths}: must be between 1 and 100000000 (results are kept in \
                 bounded memory; this bounds time)\n"
            ))
            .run();
    }
}

#[test]
fn an_uncertain_cap_and_rate_are_drawn_per_path_and_a_run_uses_their_centre() {
    let text = std::fs::read_to_string(repo().join("scenarios/uncertain.toml"))
        .unwrap()
        .replace("cap = \"38B\"", "cap = { dist = \"uniform\", min = \"20B\", max = \"60B\" }\nshare_rate = { dist = \"triangular\", min = 0.1, mode = 0.2, max = 0.25 }");
    let source = scenario::Source::new("uncertain-terms.toml", text);
    let s = scenario::parse(&source).unwrap();
    assert_eq!(s.terms.cap, Some(Decimal::from(40_000_000_000i64)), "a plain run uses the midpoint");
    assert_eq!(s.terms.share_rate, Some(Decimal::new(2, 1)), "and the mode");
    let agreement = scenario::resolve_agreement(&s, &source).unwrap();
    let mc = run(&Plan::new(&agreement, &s).unwrap(), 20_000, 3, &|_| {}).unwrap();
    let total = &mc.total_paid;
    assert!(
        total.p5 >= Decimal::from(20_000_000_000i64) && total.p95 <= Decimal::from(60_000_000_000i64),
        "{total:?}"
    );
    assert!(
        total.p95 - total.p5 > Decimal::from(20_000_000_000i64),
        "the cap's spread shows in the total: {total:?}"
    );
    let by_2029 = &mc.years[3];
    assert!(
        by_2029.probability_cap_reached > Decimal::ZERO && by_2029.probability_cap_reached < Decimal::ONE,
        "{by_2029:?}"
    );
}

#[test]
fn zero_variance_cap_and_rate_equal_the_deterministic_run_exactly() {
    let mut s = lognormal_scenario(Decimal::new(55, 2), Decimal::ZERO, 7);
    s.uncertain.cap =
        Some(Dist::Uniform { min: Decimal::from(30_000_000_000i64), max: Decimal::from(30_000_000_000i64) });
    s.uncertain.share_rate = Some(Dist::Normal { mean: Decimal::new(15, 2), sd: Decimal::ZERO });
    s.terms.cap = Some(Decimal::from(30_000_000_000i64));
    s.terms.share_rate = Some(Decimal::new(15, 2));
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    let mc = run(&Plan::new(&agreement, &s).unwrap(), 4096, 1, &|_| {}).unwrap();
    for (y, row) in mc.years.iter().zip(&ledger.rows) {
        assert_eq!(
            (y.cumulative_paid.p5, y.cumulative_paid.p95),
            (row.cumulative_paid, row.cumulative_paid),
            "{}",
            row.period.label
        );
        assert_eq!((y.paid.p5, y.paid.p95), (row.share_paid, row.share_paid));
    }
    // The present value of each path equals the ledger's, to the cent.
    let pv = ledger.summary().unwrap().present_value.share_paid;
    let mc_pv = mc.present_value_paid.expect("factors computed");
    assert_eq!((mc_pv.p5, mc_pv.p50, mc_pv.p95), (pv, pv, pv));
}

#[test]
fn the_benchmark_twin_scenario_stays_valid_and_ten_years_long() {
    // benches/peer.toml is what benches/README.md measures against the numpy peer.
    dealsim().args(["check", "benches/peer.toml"]).assert().success();
    let loaded = scenario::load_file(&repo().join("benches/peer.toml")).unwrap();
    assert_eq!(loaded.scenario.periods.len(), 10);
}

/// Ctrl-C (SIGINT) during a long run stops it between chunks: exit 130, nothing written.
#[test]
fn ctrl_c_during_monte_carlo_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dealsim"))
        .current_dir(repo())
        .args(["montecarlo", "scenarios/uncertain.toml", "--paths", "100000000", "--out"])
        .arg(out.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted; nothing was written"));
    assert!(!out.path().join("uncertain").exists(), "nothing is written");
}

mod against {
    use super::*;
    use dealsim::analysis::against::against;
    use dealsim::analysis::montecarlo::against::run_against;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// With no randomness, every path is the deterministic run: the distribution of the gain
        /// collapses to `run --against`'s figures, nominal and present value, under any agreement.
        #[test]
        fn zero_variance_gain_equals_run_against_exactly(
            s in revised_scenario(), name in prop::sample::select(BUILTIN_NAMES),
        ) {
            let mut s = s;
            s.microsoft_revenue = s.openai_revenue.iter().map(|r| dealsim::money::round_money(*r / Decimal::from(3))).collect();
            let own = resolved("revised", &s);
            let other = counterfactual(&own, &builtin(name).unwrap(), &s).unwrap();
            let expected = against(&own, &other, &s).unwrap();
            let dist = run_against(&Plan::new(&own, &s).unwrap(), &Plan::new(&other, &s).unwrap(), name, 300, 1, &|_| {}, &|| false).unwrap();
            for p in [dist.gain.p5, dist.gain.p50, dist.gain.p95] {
                prop_assert_eq!(p, expected.microsoft_gain);
            }
            for p in [dist.gain_present_value.p5, dist.gain_present_value.p95] {
                prop_assert_eq!(p, expected.microsoft_gain_present_value);
            }
            let favours = if expected.microsoft_gain_present_value.value() > Decimal::ZERO { Decimal::ONE } else { Decimal::ZERO };
            prop_assert_eq!(dist.probability_favours_microsoft, favours);
        }
    }

    #[test]
    fn the_gain_spreads_with_growth_is_ordered_and_repeats_per_seed_on_any_thread_count() {
        let s = lognormal_scenario(Decimal::new(55, 2), Decimal::new(125, 3), 7);
        let own = resolved("revised", &s);
        let other = counterfactual(&own, &builtin("restructured").unwrap(), &s).unwrap();
        let (a, b) = (Plan::new(&own, &s).unwrap(), Plan::new(&other, &s).unwrap());
        let on =
            |threads: usize, seed: u64| {
                rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
                    run_against(&a, &b, "restructured", 30_000, seed, &|_| {}, &|| false).unwrap()
                })
            };
        let one = on(1, 9);
        assert_eq!(one, on(2, 9));
        assert_ne!(one, on(2, 10));
        let g = &one.gain_present_value;
        assert!(g.ordered() && g.p5 < g.p95, "{g:?}");
        // The uncapped earlier share grows with revenue; the revision's cap does not: the more
        // revenue, the more the revision costs Microsoft, so every path's gain is negative.
        assert!(g.p95.value() < Decimal::ZERO, "{g:?}");
        assert_eq!(one.probability_favours_openai, Decimal::ONE);
        assert_eq!(one.histogram.iter().map(|b| b.2).sum::<u64>(), 30_000);
    }

    #[test]
    fn montecarlo_against_writes_the_distribution_a_histogram_and_a_report() {
        let out = tempfile::tempdir().unwrap();
        dealsim()
            .args([
                "montecarlo",
                "scenarios/uncertain.toml",
                "--paths",
                "8000",
                "--against",
                "pre-revision",
                "--out",
            ])
            .arg(out.path())
            .assert()
            .success()
            .stdout(predicate::str::contains("Against `restructured`: present value of Microsoft's gain"))
            .stdout(predicate::str::contains(
                "AGI declared, probability-weighted: 2028-12-31 (10%), 2030-12-31 (15%), never (75%)",
            ));
        let folder = out.path().join("uncertain/montecarlo");
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("against.json")).unwrap()).unwrap();
        assert_eq!(json["against"], "restructured");
        // Under the older terms AGI on 2028-12-31 (10% of paths) ends OpenAI's payments early, so
        // on those paths the revision favours Microsoft; on the rest its cap costs Microsoft.
        let favours: Decimal = json["probability_favours_microsoft"].as_str().unwrap().parse().unwrap();
        assert!(favours > Decimal::new(5, 2) && favours < Decimal::new(25, 2), "{favours}");
        let p5: Decimal = json["gain_present_value"]["p5"].as_str().unwrap().parse().unwrap();
        let p95: Decimal = json["gain_present_value"]["p95"].as_str().unwrap().parse().unwrap();
        assert!(p5 < Decimal::ZERO && Decimal::ZERO < p95, "{p5} {p95}");
        for file in ["gain-histogram.png", "gain-histogram.svg", "report.html", "fan.png"] {
            assert!(folder.join(file).exists(), "{file}");
        }
        let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
        assert!(html.contains("P(the terms favour Microsoft vs <code>restructured</code>)"));
    }

    #[test]
    fn an_uncertain_cap_with_against_is_refused_not_half_compared() {
        let ran = Test::new()
            .edited(
                "u.toml",
                "scenarios/uncertain.toml",
                &[("cap = \"38B\"", "cap = { dist = \"uniform\", min = \"30B\", max = \"50B\" }")],
            )
            .args(["montecarlo", "{dir}/u.toml", "--paths", "1000", "--against", "pre-revision", "--out", "{dir}"])
            .status(2)
            .stderr(
                "error: --against pre-revision: --against draws each path's revenue once for both agreements, but \
                 this scenario also draws its cap or rate per path, which the comparison does not share between \
                 them; give the cap and rate as single values\n",
            )
            .run();
        assert_eq!(crate::exact::files_under(ran.dir.path()), ["u.toml"], "nothing written");
    }
}

mod probability_weighted_agi {
    use super::*;
    use dealsim::analysis::montecarlo::against::run_against;
    use dealsim::scenario::AgiOutcome;

    /// Base-like revenue, no growth uncertainty, AGI on 2028-01-01 with probability 30%.
    fn weighted(s: &mut dealsim::Scenario) {
        s.agi_outcomes = vec![
            AgiOutcome { date: Some(date(2028, 1, 1)), probability: Decimal::new(3, 1) },
            AgiOutcome { date: None, probability: Decimal::new(7, 1) },
        ];
    }

    fn near(estimate: Decimal, exact: Decimal) -> bool {
        (estimate - exact).abs() <= exact.abs() * Decimal::new(21, 4) + Decimal::ONE
    }

    #[test]
    fn each_path_draws_its_agi_date_and_the_results_mix_the_two_ledgers_by_probability() {
        let mut s =
            scenario(2026, [30u64, 62, 100, 125, 174].map(|b| Decimal::from(b * 1_000_000_000)).to_vec());
        s.terms.effective_date = Some(date(2026, 4, 27));
        let mut early = s.clone();
        early.agi_declared = Some(date(2028, 1, 1));
        let own = resolved("revised", &s);
        let old = counterfactual(&own, &builtin("restructured").unwrap(), &s).unwrap();
        let paid = |scenario: &dealsim::Scenario| {
            simulate(&old, scenario).unwrap().summary().unwrap().totals.share_paid.value()
        };
        let (paid_early, paid_never) = (paid(&early), paid(&s));
        assert!(paid_early < paid_never);
        weighted(&mut s);
        assert!(
            matches!(simulate(&old, &s), Err(dealsim::ledger::SimError::AgiDistribution { .. })),
            "a ledger refuses"
        );
        assert!(simulate(&own, &s).is_ok(), "the revision has no AGI clause: the date does not matter");

        let mc = run(&Plan::new(&old, &s).unwrap(), 40_000, 3, &|_| {}).unwrap();
        let t = &mc.total_paid;
        // 30% of paths end early: P5 and P25 are the early ledger's total, P50 and P95 the other's
        // (within the sketch's 0.2%).
        assert!(near(t.p5.value(), paid_early) && near(t.p25.value(), paid_early), "{t:?} vs {paid_early}");
        assert!(near(t.p50.value(), paid_never) && near(t.p95.value(), paid_never), "{t:?} vs {paid_never}");

        // Against the revision, the same draw: the revision favours Microsoft only where AGI would
        // have ended the old share early, so P(favours Microsoft) is the early outcome's 30%.
        let dist = run_against(
            &Plan::new(&own, &s).unwrap(),
            &Plan::new(&old, &s).unwrap(),
            "restructured",
            40_000,
            3,
            &|_| {},
            &|| false,
        )
        .unwrap();
        let p = dist.probability_favours_microsoft;
        assert!((p - Decimal::new(3, 1)).abs() < Decimal::new(15, 3), "{p}");
    }

    #[test]
    fn run_refuses_a_distribution_where_agi_matters_and_set_runs_each_date() {
        let dir = tempfile::tempdir().unwrap();
        let text = "name = \"agi\"\nagreement = \"restructured\"\nyears = { from = 2026, to = 2030 }\n\
                    [revenue.openai]\nby_year = { 2026 = \"30B\" }\ngrowth = \"40%\"\n\
                    [assumptions]\nagi_declared = { dist = \"dates\", 2028-01-01 = \"30%\", never = \"70%\" }\n";
        let file = dir.path().join("agi.toml");
        std::fs::write(&file, text).unwrap();
        dealsim().arg("run").arg(&file).arg("--out").arg(dir.path()).assert().code(2).stderr(
            predicate::str::contains("`dealsim montecarlo` draws one per path (probability-weighted)"),
        );
        assert!(!dir.path().join("agi").exists(), "nothing written");
        dealsim()
            .arg("run")
            .arg(&file)
            .args(["--set", "agi_declared=2028-01-01,never", "--no-charts", "--out"])
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicate::str::contains("agi cap=").not())
            .stdout(predicate::str::contains("agi agi_declared=2028-01-01"));
        dealsim()
            .arg("montecarlo")
            .arg(&file)
            .args(["--paths", "4000", "--no-charts", "--out"])
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "AGI declared, probability-weighted: 2028-01-01 (30%), never (70%); each path draws it",
            ));
    }
}

#[test]
fn a_payment_lag_and_an_agi_only_distribution_get_the_right_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let lagged = std::fs::read_to_string(repo().join("scenarios/uncertain.toml")).unwrap()
        + "\n[overrides.openai-to-microsoft]\npayment_lag_days = 90\n";
    std::fs::write(dir.path().join("lagged.toml"), lagged).unwrap();
    dealsim()
        .arg("montecarlo")
        .arg(dir.path().join("lagged.toml"))
        .args(["--paths", "2000", "--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: `openai-to-microsoft` is paid 90 days after each period, but Monte Carlo's present values value what each year accrues",
        ));
    // Under terms AGI ends, an AGI distribution alone is uncertainty: no "nothing uncertain".
    let agi_only = "name = \"agi\"\nagreement = \"restructured\"\nyears = { from = 2026, to = 2030 }\n\
                    [revenue.openai]\nby_year = { 2026 = \"30B\" }\ngrowth = \"40%\"\n\
                    [assumptions]\nagi_declared = { dist = \"dates\", 2028-01-01 = \"30%\", never = \"70%\" }\n";
    std::fs::write(dir.path().join("agi.toml"), agi_only).unwrap();
    dealsim()
        .arg("montecarlo")
        .arg(dir.path().join("agi.toml"))
        .args(["--paths", "2000", "--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("has no distribution").not());
}
