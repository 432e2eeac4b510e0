//! Rate schedules: a revenue share's rate changing by date (the book's "Rate schedules").

use crate::common::{any_date, dealsim, money, resolved, scenario};
use crate::exact::Test;
use dealsim::agreement::{ClauseOverride, RateStep};
use dealsim::analysis::explain::{explain, reproduces};
use dealsim::simulate;
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn schedule(steps: &[(chrono::NaiveDate, Decimal)]) -> ClauseOverride {
    ClauseOverride::Schedule {
        clause: "openai-to-microsoft".into(),
        steps: steps.iter().map(|(from, rate)| RateStep { from: *from, rate: *rate }).collect(),
    }
}

#[test]
fn a_rate_that_changes_inside_a_year_is_prorated_by_days_at_each_rate_and_rounded_once() {
    // 2027: 20% for 1 Jan–30 Jun (181 days), 15% for 1 Jul–31 Dec (184 days), on 100B.
    let mut s = scenario(2027, vec![dec!(100_000_000_000)]);
    s.terms.cap = Some(dec!(1_000_000_000_000));
    s.terms.clause_overrides.push(schedule(&[(crate::common::date(2027, 7, 1), dec!(0.15))]));
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    let expected =
        (dec!(100_000_000_000) * (dec!(0.20) * dec!(181) + dec!(0.15) * dec!(184)) / dec!(365)).round_dp(2);
    assert_eq!(ledger.rows[0].share_due, expected);
    assert_eq!(ledger.rows[0].share_rate, Some(dec!(0.15)), "the rate on the year's last day");
    let flow = &ledger.rows[0].flows[0];
    assert_eq!(flow.revenue().unwrap().segments, vec![(dec!(0.20), 181), (dec!(0.15), 184)]);
    let explanation = explain(&ledger, &agreement, &s, 0).unwrap();
    reproduces(&explanation).unwrap();
    let due = explanation.figures.iter().find(|f| f.column == "due[openai-to-microsoft]").unwrap();
    assert!(due.explanation.contains("20% × 100B × 181/365 + 15% × 100B × 184/365"), "{}", due.explanation);
}

#[test]
fn share_rate_makes_the_rate_flat_again() {
    let mut s = scenario(2027, vec![dec!(100_000_000_000); 3]);
    s.terms.clause_overrides.push(schedule(&[(crate::common::date(2028, 1, 1), dec!(0.10))]));
    s.terms.share_rate = Some(dec!(0.2));
    // The override comes after the assumption, so the schedule applies on top of 20%.
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    assert_eq!(ledger.rows[1].share_rate, Some(dec!(0.10)));
    // A rate override after the schedule makes it flat.
    s.terms
        .clause_overrides
        .push(ClauseOverride::Rate { clause: "openai-to-microsoft".into(), rate: dec!(0.2) });
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    assert_eq!(ledger.rows[1].share_rate, Some(dec!(0.2)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A schedule of one step on or before the clause's first day (1 January 2026) is a flat rate.
    #[test]
    fn a_one_rate_schedule_equals_a_flat_rate(
        revenue in prop::collection::vec(money(), 1..=8),
        rate in (0i64..=10_000).prop_map(|bp| Decimal::new(bp, 4)),
        from in any_date(2000, 2025),
    ) {
        let mut flat = scenario(2025, revenue);
        let mut stepped = flat.clone();
        flat.terms.clause_overrides.push(ClauseOverride::Rate { clause: "openai-to-microsoft".into(), rate });
        stepped.terms.clause_overrides.push(schedule(&[(from, rate)]));
        let (a, b) = (simulate(&resolved("revised", &flat), &flat).unwrap(), simulate(&resolved("revised", &stepped), &stepped).unwrap());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            prop_assert_eq!((x.share_due, x.share_paid, x.share_rate), (y.share_due, y.share_paid, y.share_rate));
        }
    }
}

#[test]
fn rate_falls_runs_and_a_schedule_rate_over_100_percent_or_a_key_that_is_not_a_day_is_refused() {
    dealsim()
        .args(["run", "scenarios/rate-falls.toml", "--no-charts", "--out"])
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Total: OpenAI→Microsoft due 75.32B, paid 75.32B; Microsoft→OpenAI paid 44.87B",
        ));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "name = \"bad\"\nagreement = \"revised\"\nyears = { from = 2027, to = 2028 }\n\
         [revenue.openai]\nby_year = { 2027 = \"60B\", 2028 = \"70B\" }\n\
         [overrides.\"openai-to-microsoft\"]\nrate_schedule = { 2028-01-01 = \"150%\" }\n",
    )
    .unwrap();
    dealsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("overrides.openai-to-microsoft.rate_schedule.2028-01-01"))
        .stderr(predicate::str::contains("bad.toml:7:"));
    std::fs::write(
        &file,
        "name = \"bad\"\nagreement = \"revised\"\nyears = { from = 2027, to = 2028 }\n\
         [revenue.openai]\nby_year = { 2027 = \"60B\", 2028 = \"70B\" }\n\
         [overrides.\"openai-to-microsoft\"]\nrate_schedule = { next-year = \"15%\" }\n",
    )
    .unwrap();
    dealsim().arg("check").arg(&file).assert().code(2).stderr(predicate::str::contains("next-year"));
}

#[test]
fn an_agreement_file_may_carry_a_schedule_and_terms_and_diff_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(crate::common::repo().join("scenarios/agreements/revised.toml")).unwrap();
    let marker = "[clauses.base]";
    let at = text.find(marker).unwrap();
    let with_schedule = format!(
        "{}[clauses.schedule]\nvalue = [{{ from = 2028-01-01, rate = \"0.15\" }}, {{ from = 2030-01-01, rate = \"0.08\" }}]\nbasis = \"assumption\"\nsource = \"OpenAI's 2025 plan [S12]\"\n\n{}",
        &text[..at],
        &text[at..]
    )
    .replacen("name = \"revised\"", "name = \"falling\"", 1);
    let file = dir.path().join("falling.toml");
    std::fs::write(&file, with_schedule).unwrap();
    dealsim()
        .arg("terms")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "OpenAI pays Microsoft 20% (15% from 2028-01-01, 8% from 2030-01-01) of",
        ))
        .stdout(predicate::str::contains(
            "- rate schedule: 15% from 2028-01-01, 8% from 2030-01-01 (assumption: OpenAI's 2025 plan [S12])",
        ));
    dealsim().arg("diff").arg("revised").arg(&file).assert().success().stdout(predicate::str::contains(
        "- revenue share OpenAI → Microsoft: rate schedule: added (15% from 2028-01-01, 8% from 2030-01-01)",
    ));
}

#[test]
fn attribution_applies_a_schedule_and_a_payment_lag_as_changes_leaving_nothing_unattributed() {
    // `revised` against a copy whose share falls by schedule and is paid 90 days late: each is
    // a change of its own in the waterfall, and the steps add up with no remainder.
    let s = scenario(2026, vec![dec!(30_000_000_000), dec!(62_000_000_000), dec!(113_000_000_000)]);
    let own = resolved("revised", &s);
    let mut other = own.clone();
    other.name = "falling".into();
    if let dealsim::agreement::Clause::RevenueShare(share) = &mut other.clauses[0] {
        share.schedule = Some(dealsim::agreement::Sourced::assumption(
            vec![RateStep { from: crate::common::date(2027, 1, 1), rate: dec!(0.1) }],
            "test",
        ));
        share.payment_lag_days = Some(dealsim::agreement::Sourced::assumption(90, "test"));
    }
    let against = dealsim::analysis::against::against(&own, &other, &s).unwrap();
    let names: Vec<&str> = against.attribution.iter().map(|a| a.short.as_str()).collect();
    assert!(names.iter().any(|n| n.contains("rate schedule")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("payment lag")), "{names:?}");
    assert!(!names.contains(&"unattributed"), "{names:?}");
}

#[test]
fn varying_a_rate_over_a_schedule_says_what_it_does() {
    Test::new()
        .args(["sweep", "scenarios/rate-falls.toml", "--set", "rate=10%,20%", "--no-charts", "--out", "{dir}"])
        .stdout(
            "Swept `rate-falls` over 2 points (share_rate).
Lowest: Total paid to Microsoft 72.32B at share_rate=10%
Highest: Total paid to Microsoft 75.32B at share_rate=20%
Wrote sweep.csv to {dir}/rate-falls/sweep
",
        )
        .stderr(
            "warning: varying `share_rate` moves only the rate of `openai-to-microsoft` before its rate schedule's \
             first step (2027-01-01): the scenario's rate_schedule is applied after it and keeps its steps\n",
        )
        .run();
    Test::new()
        .args(["goalseek", "scenarios/rate-falls.toml", "--vary", "openai-to-microsoft.rate", "--target", "paid=50B"])
        .stdout(
            "openai-to-microsoft.rate = 0.074294206 (7.4294206%) meets the target (total paid to Microsoft = 50B): \
             it gives 50B; at 0.074294205 it does not. 30 iterations, to within 0.0000001%\n",
        )
        .stderr(
            "warning: varying `openai-to-microsoft.rate` replaces the rate schedule of `openai-to-microsoft` with one \
             flat rate at every point\n",
        )
        .run();
    // No schedule in base: sensitivity warns of nothing (stderr empty); its table is not the point.
    let quiet = Test::new()
        .args(["sensitivity", "scenarios/base.toml", "--no-charts", "--out", "{dir}"])
        .stdout_lines(&["Wrote sensitivity.csv to {dir}/base/sensitivity"])
        .run();
    assert!(quiet.path("base/sensitivity/sensitivity.csv").is_file());
}

fn tiers(steps: &[(Decimal, Decimal)]) -> ClauseOverride {
    ClauseOverride::Tiers {
        clause: "openai-to-microsoft".into(),
        tiers: steps
            .iter()
            .map(|(above, rate)| dealsim::agreement::Tier { above: *above, rate: *rate })
            .collect(),
    }
}

#[test]
fn marginal_tiers_charge_each_bracket_at_its_rate_scaled_to_the_period() {
    // 20% up to 100B a year, 10% above: 150B in 2027 pays 20B + 5B = 25B.
    let mut s = scenario(2027, vec![dec!(150_000_000_000)]);
    s.terms.cap = Some(dec!(1_000_000_000_000));
    s.terms.clause_overrides.push(tiers(&[(dec!(100_000_000_000), dec!(0.10))]));
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    assert_eq!(ledger.rows[0].share_due, dec!(25_000_000_000));
    assert_eq!(ledger.rows[0].share_rate, Some(dec!(0.10)), "the top bracket's marginal rate");
    let explanation = explain(&ledger, &agreement, &s, 0).unwrap();
    reproduces(&explanation).unwrap();
    // By quarter the brackets scale to each quarter: the same year's total to the cent.
    let mut q = s.clone();
    q.periods = (1..=4).map(|k| dealsim::period::Period::quarter(2027, k).unwrap()).collect();
    let year = dec!(150_000_000_000);
    q.openai_revenue =
        [90, 91, 92].iter().map(|d| (year * Decimal::from(*d) / dec!(365)).round_dp(2)).collect();
    let rest = year - q.openai_revenue.iter().sum::<Decimal>();
    q.openai_revenue.push(rest);
    q.microsoft_revenue = vec![Decimal::ZERO; 4];
    q.openai_growth = vec![dealsim::scenario::GrowthSource::Listed; 4];
    let by_quarter = simulate(&resolved("revised", &q), &q).unwrap().summary().unwrap();
    let difference = (by_quarter.totals.share_due - dec!(25_000_000_000)).abs();
    assert!(difference <= dec!(0.04), "quarters add up to the year within their roundings: {difference}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// One tier at the clause's own rate is a flat rate.
    #[test]
    fn one_tier_at_the_same_rate_equals_a_flat_rate(
        revenue in prop::collection::vec(money(), 1..=6),
        above in (1i64..=300).prop_map(|b| Decimal::from(b) * dec!(1_000_000_000)),
    ) {
        let flat = scenario(2026, revenue);
        let mut tiered = flat.clone();
        tiered.terms.clause_overrides.push(tiers(&[(above, dec!(0.20))]));
        let (a, b) = (simulate(&resolved("revised", &flat), &flat).unwrap(), simulate(&resolved("revised", &tiered), &tiered).unwrap());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            prop_assert_eq!((x.share_due, x.share_paid), (y.share_due, y.share_paid));
        }
    }

    /// Marginal tiers are continuous in revenue: a cent more revenue never changes the due by
    /// more than the top rate of a cent, plus the cent of rounding.
    #[test]
    fn marginal_tiers_are_continuous_in_revenue(
        revenue in (1i64..=30_000_000_000_000i64).prop_map(|c| Decimal::new(c, 2)),
        extra in (1i64..=100_000i64).prop_map(|c| Decimal::new(c, 2)),
    ) {
        let due = |r: Decimal| {
            let mut s = scenario(2027, vec![r]);
            s.terms.cap = Some(dec!(1_000_000_000_000));
            s.terms.clause_overrides.push(tiers(&[(dec!(50_000_000_000), dec!(0.10)), (dec!(150_000_000_000), dec!(0.05))]));
            simulate(&resolved("revised", &s), &s).unwrap().rows[0].share_due
        };
        let (lo, hi) = (due(revenue), due(revenue + extra));
        prop_assert!(hi >= lo, "more revenue never pays less");
        prop_assert!(hi - lo <= extra * dec!(0.20) + dec!(0.01), "{} → {}", lo, hi);
    }
}

#[test]
fn tiers_run_in_monte_carlo_from_a_scenario_file_and_a_schedule_beside_them_is_refused() {
    let mut s = scenario(2026, vec![dec!(30_000_000_000), dec!(62_000_000_000), dec!(113_000_000_000)]);
    s.terms.cap = Some(dec!(1_000_000_000_000));
    s.terms.clause_overrides.push(tiers(&[(dec!(50_000_000_000), dec!(0.10))]));
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    let plan = dealsim::analysis::montecarlo::Plan::new(&agreement, &s).unwrap();
    let mc = dealsim::analysis::montecarlo::run(&plan, 1, 1, &|_| {}).unwrap();
    for (row, year) in ledger.rows.iter().zip(&mc.years) {
        assert_eq!(row.share_paid, year.paid.p50, "{}", row.period.label);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiers.toml");
    std::fs::write(
        &file,
        "name = \"tiers\"\nagreement = \"revised\"\nyears = { from = 2026, to = 2027 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\", 2027 = \"62B\" }\n\
         [overrides.\"openai-to-microsoft\"]\nrate_tiers = { \"50B\" = \"10%\" }\n",
    )
    .unwrap();
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("due 17.2B, paid 17.2B"));
    std::fs::write(
        &file,
        "name = \"tiers\"\nagreement = \"revised\"\nyears = { from = 2026, to = 2027 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\", 2027 = \"62B\" }\n\
         [overrides.\"openai-to-microsoft\"]\nrate_tiers = { \"50B\" = \"10%\" }\nrate_schedule = { 2027-01-01 = \"15%\" }\n",
    )
    .unwrap();
    dealsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("one of the two on a share"));
}

#[test]
fn varying_a_rate_over_tiers_says_what_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiers.toml");
    std::fs::write(
        &file,
        "name = \"tiers\"\nagreement = \"revised\"\nyears = { from = 2026, to = 2027 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\", 2027 = \"62B\" }\n\
         [overrides.\"openai-to-microsoft\"]\nrate_tiers = { \"50B\" = \"10%\" }\n",
    )
    .unwrap();
    dealsim()
        .args(["sweep", "--set", "rate=10%,20%", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "moves only the rate of `openai-to-microsoft` below its first tier",
        ));
}

#[test]
fn an_uncertain_cap_beside_tiers_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ut.toml");
    std::fs::write(
        &file,
        "name = \"ut\"\nagreement = \"revised\"\nyears = { from = 2026, to = 2028 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\" }\ngrowth = { dist = \"lognormal\", median = 0.55, sigma = 0.125 }\n\
         [assumptions]\ncap = { dist = \"uniform\", min = \"20B\", max = \"60B\" }\n\
         [overrides.\"openai-to-microsoft\"]\nrate_tiers = { \"50B\" = \"10%\" }\n",
    )
    .unwrap();
    dealsim()
        .args(["montecarlo", "--paths", "1000", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be combined with rate tiers yet"));
}
