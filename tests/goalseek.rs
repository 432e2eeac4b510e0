//! Goal seek (`dealsim goalseek`, `analysis::goalseek::seek`): answers against hand arithmetic,
//! and its refusals and hints. The one place to look for goal seek's tests.

use crate::common::{dealsim, repo};
use dealsim::analysis::goalseek::{seek, Target};
use dealsim::analysis::params::Param;
use dealsim::scenario;
use predicates::prelude::*;
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

#[test]
fn goalseek_says_when_there_is_no_solution_in_the_range() {
    dealsim()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "paid=500B"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "error: no solution in 0..1T: at 0 it gives 0, at 1T it gives 98.2B; both on the same side of the target \
             (total paid to Microsoft = 500B); the closest it got is 98.2B at 1T. Widen --range, or check the target can be reached at all.\n",
        );
    dealsim()
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
        .assert()
        .success()
        .stdout(predicate::str::contains("growth = 0.091280624"));
}

#[test]
fn goalseek_target_pv_30_is_refused_as_30_dollars() {
    dealsim()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "pv=30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean \"30B\"?"));
}

#[test]
fn goalseek_range_carries_its_unit_to_both_ends() {
    dealsim()
        .args([
            "goalseek",
            "scenarios/base.toml",
            "--vary",
            "cap",
            "--target",
            "pv=30B",
            "--range",
            "0..100B",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("cap = 35800960000.04"));
}

#[test]
fn goalseek_vary_growth_works_with_its_documented_default_range() {
    dealsim()
        .args(["goalseek", "scenarios/bear.toml", "--vary", "growth", "--target", "paid=30B"])
        .assert()
        .success()
        .stdout(predicate::str::contains("growth = 0.091280624"));
}

#[test]
fn goalseek_growth_past_the_money_limit_suggests_a_narrower_range() {
    dealsim()
        .args([
            "goalseek",
            "scenarios/base.toml",
            "--vary",
            "growth",
            "--target",
            "paid=30B",
            "--range",
            "-50%..900%",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at growth = 900%"))
        .stderr(predicate::str::contains("give a narrower --range LO..HI"));
}

#[test]
fn goalseek_cap_year_says_in_or_before_and_cap_year_exactly_gives_both_ends() {
    dealsim()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "cap_year=2028"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(cap reached in or before 2028)"))
        .stdout(predicate::str::contains("use --target cap_year_exactly=2028"));
    // By hand: 6B + 12.4B = 18.4B paid by the end of 2027, 38.4B by the end of 2028.
    dealsim()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "cap_year_exactly=2028"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "cap from 18400000000.85 to 38399999999.46 (18.4B to 38.4B) reaches the cap in exactly 2028",
        ));
}

#[test]
fn a_misspelt_goalseek_target_gets_a_did_you_mean() {
    dealsim()
        .args(["goalseek", "scenarios/base.toml", "--vary", "cap", "--target", "cap_yeer=2028"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `cap_year`?"));
}
