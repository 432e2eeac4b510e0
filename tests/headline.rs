//! `engine::headline`, what a sweep computes per point without building a ledger, is the same
//! four figures as the full run's summary: on random scenarios under every built-in agreement
//! and on every shipped scenario, cash lags and quarters included.

use crate::common::{resolved, revised_scenario, shipped_scenarios};
use dealsim::agreement::BUILTIN_NAMES;
use dealsim::{engine, scenario, Agreement, Scenario};
use proptest::prelude::*;

fn assert_same(agreement: &Agreement, scenario: &Scenario) -> Result<(), TestCaseError> {
    let ledger = engine::simulate(agreement, scenario);
    let factors = scenario.discounting.factors(&scenario.periods);
    let (Ok(ledger), Ok(factors)) = (ledger, factors) else { return Ok(()) };
    let Ok(summary) = ledger.summary() else { return Ok(()) };
    let headline =
        engine::headline(agreement, scenario, &factors).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(headline.share_paid, summary.totals.share_paid.value(), "total share paid");
    prop_assert_eq!(headline.net_to_microsoft, summary.totals.net_to_microsoft.value(), "net");
    prop_assert_eq!(headline.present_value, summary.present_value.net_to_microsoft.value(), "present value");
    prop_assert_eq!(headline.cap_reached_year, summary.cap_reached_year, "cap year");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_headline_is_the_summarys_figures_on_random_scenarios(s in revised_scenario(), which in 0usize..16) {
        let name = BUILTIN_NAMES[which % BUILTIN_NAMES.len()];
        assert_same(&resolved(name, &s), &s)?;
    }
}

#[test]
fn the_headline_is_the_summarys_figures_on_every_shipped_scenario() {
    let mut checked = 0;
    for path in shipped_scenarios() {
        let loaded = scenario::load_file(&path).unwrap();
        if !loaded.scenario.agi_outcomes.is_empty() && loaded.agreement.agi_matters() {
            continue;
        }
        assert_same(&loaded.agreement, &loaded.scenario)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        checked += 1;
    }
    assert!(checked >= 10, "{checked} shipped scenarios checked");
}

#[test]
fn the_headline_counts_cash_by_its_payment_day_as_the_ledger_does() {
    // A 1,500-day lag on base's share moves each year's payment four years on, the later ones
    // past the run: cash and its present value differ from what accrued.
    let mut loaded = scenario::load_file(&crate::common::repo().join("scenarios/base.toml")).unwrap();
    let lag = dealsim::analysis::params::Param::parse("openai-to-microsoft.payment_lag_days").unwrap();
    lag.apply(&mut loaded.scenario, lag.value("1500").unwrap()).unwrap();
    let agreement = loaded.scenario.terms.apply(&loaded.base_agreement, "test").unwrap();
    assert_same(&agreement, &loaded.scenario).unwrap();
    let summary = engine::simulate(&agreement, &loaded.scenario).unwrap().summary().unwrap();
    assert_ne!(summary.totals.cash_net_to_microsoft, summary.totals.net_to_microsoft, "the lag moves cash");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A sweep of the cap and the share rate (with growth, revenue scale or the discount rate)
    /// runs on the compiled plan in cents (the cap and rate as a path's terms) where it can;
    /// every point equals re-resolving the terms with them and running the whole ledger, on
    /// every shipped scenario (schedules, pools, timelines, overrides and quarters among them),
    /// sub-cent caps and rates of many decimals included.
    #[test]
    fn a_cap_and_rate_sweep_equals_the_full_run_at_every_point(
        which in 0usize..64,
        caps in prop::collection::vec(prop_oneof![0i64..8_000_000_000_000, 0i64..8_000_000_000_000_000], 1..4),
        rates in prop::collection::vec(prop_oneof![0i64..=10_000, 0i64..=10_000_000_000_000], 1..4),
        shape in 0usize..8,
        other in prop::collection::vec(0i64..150, 1..4),
    ) {
        use dealsim::analysis::params::{Param, Value};
        use dealsim::analysis::sweep::{evaluate, sweep};
        let files = shipped_scenarios();
        let loaded = scenario::load_file(&files[which % files.len()]).unwrap();
        if !loaded.scenario.agi_outcomes.is_empty() && loaded.agreement.agi_matters() {
            return Ok(());
        }
        let mut caps: Vec<Value> = caps.iter().map(|c| Value::Number(rust_decimal::Decimal::new(*c, 3))).collect();
        let mut rates: Vec<Value> = rates.iter().map(|r| Value::Number(rust_decimal::Decimal::new(*r, if *r > 10_000 { 13 } else { 4 }))).collect();
        caps.sort();
        caps.dedup();
        rates.sort();
        rates.dedup();
        let mut other: Vec<i64> = other;
        other.sort();
        other.dedup();
        let scaled = |scale: u32, offset: i64| -> Vec<Value> {
            other.iter().map(|k| Value::Number(rust_decimal::Decimal::new(k + offset, scale))).collect()
        };
        let settings = match shape {
            0 => vec![(Param::Cap, caps), (Param::ShareRate, rates)],
            1 => vec![(Param::Cap, caps)],
            2 => vec![(Param::ShareRate, rates)],
            // Growth −50%..+99%, a revenue scale 0.5..2, a discount rate 0..15%: the plan does not
            // depend on them, so these run on the compiled plan too.
            3 => vec![(Param::Growth, scaled(2, -50)), (Param::ShareRate, rates)],
            4 => vec![(Param::RevenueScale, scaled(2, 50)), (Param::Cap, caps)],
            5 => vec![(Param::DiscountRate, scaled(3, 0)), (Param::Cap, caps)],
            // Both kept per value (each growth's streams, each rate's factors), and two revenue
            // parameters at once (whose streams are not).
            6 => vec![(Param::Growth, scaled(2, -50)), (Param::DiscountRate, scaled(3, 0))],
            _ => vec![(Param::Growth, scaled(2, -50)), (Param::RevenueScale, scaled(2, 50)), (Param::Cap, caps)],
        };
        let swept = sweep(&loaded, &settings, &|| {}).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let params: Vec<Param> = settings.iter().map(|(p, _)| p.clone()).collect();
        for (index, point) in swept.points.iter().enumerate() {
            let at = dealsim::analysis::sweep::grid_indices(&settings, index);
            let values: Vec<Value> = at.iter().zip(&settings).map(|(i, (_, axis))| axis[*i]).collect();
            let summary = evaluate(&loaded, &params, &values).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(point.total_paid, summary.totals.share_paid, "{:?} at {:?}", loaded.scenario.name, values);
            prop_assert_eq!(point.net_to_microsoft, summary.totals.net_to_microsoft);
            prop_assert_eq!(point.present_value, summary.present_value.net_to_microsoft);
            prop_assert_eq!(point.cap_reached_year, summary.cap_reached_year);
        }
    }
}
