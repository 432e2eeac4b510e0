//! Goal seek (`dealsim goalseek`, `analysis::goalseek::seek`): answers against hand arithmetic,
//! and its refusals and hints. The one place to look for goal seek's tests.

use crate::common::repo;
use crate::exact::Test;
use dealsim::analysis::goalseek::{seek, Target};
use dealsim::analysis::params::Param;
use dealsim::scenario;
use rust_decimal::Decimal;

#[test]
fn goalseek_finds_the_largest_cap_that_binds_by_2028_to_within_a_dollar() {
    let loaded = scenario::load_file(&repo().join("scenarios/base.toml")).unwrap();
    let r = seek(
        &loaded,
        &Param::Cap,
        Target::CapYear(2028),
        Decimal::ZERO,
        Decimal::from(1_000_000_000_000i64),
        Decimal::ONE,
    )
    .unwrap();
    // By hand: cumulative due through 2028 is 6B + 12.4B + 20B (all of 2026 counts).
    let exact = Decimal::new(38_400_000_000, 0);
    let answer: Decimal = r.answer.unwrap().parse().unwrap();
    assert!((answer - exact).abs() <= Decimal::ONE && answer <= exact, "{answer}");
    assert!(r.iterations > 10 && r.iterations < 60);
}

/// What bear's growth must be for 30B to be paid, by `--range` or the documented default.
const BEAR_GROWTH_FOR_30B: &str = "growth = 0.091280624 (9.1280624%) meets the target (total paid to Microsoft = 30B): it gives 30B; at 0.091280623 it does not. 31 iterations, to within 0.0000001%\n";

#[test]
fn goalseek_says_when_there_is_no_solution_in_the_range() {
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "paid=500B"])
        .status(1)
        .stderr(
            "error: no solution in 0..1T: at 0 it gives 0, at 1T it gives 98.2B; both on the same side of the target \
             (total paid to Microsoft = 500B); the closest it got is 98.2B at 1T. Widen --range, or check the target can be reached at all.\n",
        )
        .run();
    Test::new()
        .args([
            "goalseek",
            "scenarios/bear.toml",
            "--vary",
            "growth",
            "--target",
            "paid=30B",
            "--range",
            "-50%..200%",
        ])
        .stdout(BEAR_GROWTH_FOR_30B)
        .run();
}

#[test]
fn goalseek_target_pv_30_is_refused_as_30_dollars() {
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "pv=30"])
        .status(2)
        .stderr(
            "error: --target pv: `30` is $30 exactly: amounts are in US dollars, and one this small with no unit is \
             almost certainly missing its B; did you mean \"30B\"? Write billions with a unit (\"38B\", \"38bn\") or in \
             full (38000000000); to mean a small amount exactly, write it with a $ (\"$38\")\n",
        )
        .run();
}

#[test]
fn goalseek_range_carries_its_unit_to_both_ends() {
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "pv=30B", "--range", "0..100B"])
        .stdout(
            "cap = 35800960000.04 (35.8B) meets the target (present value of net to Microsoft = 30B): it gives 30B; \
             at 35800959999.31 it does not. 37 iterations, to within 1\n",
        )
        .run();
}

#[test]
fn goalseek_vary_growth_works_with_its_documented_default_range() {
    Test::new()
        .args(["goalseek", "scenarios/bear.toml", "--vary", "growth", "--target", "paid=30B"])
        .stdout(BEAR_GROWTH_FOR_30B)
        .run();
}

#[test]
fn goalseek_growth_past_the_money_limit_suggests_a_narrower_range() {
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "growth", "--target", "paid=30B", "--range", "-50%..900%"])
        .status(2)
        .stderr(
            "error: goalseek: at growth = 900%: growth 9: revenue grows past the 1,000T limit; give a narrower \
             --range LO..HI (the range tried was -50%..900%)\n",
        )
        .run();
}

#[test]
fn goalseek_cap_year_says_in_or_before_and_cap_year_exactly_gives_both_ends() {
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "cap_year=2028"])
        .stdout(
            "cap = 38399999999.46 (38.4B) meets the target (cap reached in or before 2028): it gives 2028; at \
             38400000000.37 it does not. 40 iterations, to within 1 (\"in or before 2028\"; for the inputs that reach \
             it in exactly 2028, use --target cap_year_exactly=2028)\n",
        )
        .run();
    // By hand: 6B + 12.4B = 18.4B paid by the end of 2027, 38.4B by the end of 2028.
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "cap_year_exactly=2028"])
        .stdout(
            "cap from 18400000000.85 to 38399999999.46 (18.4B to 38.4B) reaches the cap in exactly 2028, both ends \
             within 1; outside it the cap is reached in another year or not at all. 80 iterations\n",
        )
        .run();
}

#[test]
fn a_misspelt_goalseek_target_gets_a_did_you_mean() {
    Test::new()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "cap_yeer=2028"])
        .status(2)
        .stderr(
            "error: unknown target `cap_yeer` (did you mean `cap_year`?); expected paid, net, pv, cap_year (in or \
             before the year) or cap_year_exactly\n",
        )
        .run();
}
