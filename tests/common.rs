//! Helpers shared by the integration tests: building scenarios in code, running the binary.

use chrono::NaiveDate;
use dealsim::agreement::{builtin, Agreement, TermAssumptions};
use dealsim::period::Period;
use dealsim::scenario::AgreementRef;
use dealsim::Scenario;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::PathBuf;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn dealsim() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_dealsim"));
    cmd.current_dir(repo());
    cmd
}

/// The scenario files shipped in `scenarios/`, sorted: every `.toml` there but the file of
/// reported figures `dealsim calibrate` reads.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| !std::fs::read_to_string(p).unwrap().lines().any(|l| l.trim() == "[[figures]]"))
        .collect();
    files.sort();
    files
}

/// Every file below `root` (folders descended into, not listed), sorted.
pub fn files_in(root: &std::path::Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A scenario over calendar years `first..first+revenue.len()` with the given revenue.
pub fn scenario(first: i32, revenue: Vec<Decimal>) -> Scenario {
    let periods: Vec<Period> =
        (0..revenue.len()).map(|i| Period::calendar_year(first + i as i32).unwrap()).collect();
    Scenario {
        name: "prop".into(),
        description: String::new(),
        agreement: AgreementRef::Builtin("revised".into()),
        granularity: Default::default(),
        microsoft_revenue: vec![Decimal::ZERO; periods.len()],
        periods,
        openai_growth: vec![dealsim::scenario::GrowthSource::Listed; revenue.len()],
        microsoft_growth: vec![dealsim::scenario::GrowthSource::Listed; revenue.len()],
        other_streams: Vec::new(),
        openai_revenue: revenue,
        terms: TermAssumptions::default(),
        prior_payments_toward_cap: Decimal::ZERO,
        agi_declared: None,
        agi_outcomes: Vec::new(),
        discounting: Default::default(),
        launches: Vec::new(),
        launch_lag_days: dealsim::scenario::DEFAULT_LAUNCH_LAG_DAYS,
        cloud_mix: None,
        uncertain: Default::default(),
    }
}

/// The built-in `name` with the scenario's term assumptions applied.
pub fn resolved(name: &str, scenario: &Scenario) -> Agreement {
    scenario.terms.apply(&builtin(name).unwrap(), "test").unwrap()
}

/// Plausible money in cents: 0 to 500B.
pub fn money() -> impl Strategy<Value = Decimal> {
    (0i64..=50_000_000_000_000).prop_map(|cents| Decimal::new(cents, 2))
}

/// A cap from 0 to 200B, in whole dollars.
pub fn cap() -> impl Strategy<Value = Decimal> {
    (0i64..=200_000_000_000).prop_map(Decimal::from)
}

/// A rate in 0..=1 with four decimals.
pub fn rate() -> impl Strategy<Value = Decimal> {
    (0i64..=10_000).prop_map(|bp| Decimal::new(bp, 4))
}

pub fn any_date(first_year: i32, last_year: i32) -> impl Strategy<Value = NaiveDate> {
    let first = date(first_year, 1, 1);
    let days = (date(last_year, 12, 31) - first).num_days();
    (0..=days).prop_map(move |d| first + chrono::Duration::days(d))
}

/// A revenue path of 1 to 12 years starting between 2024 and 2034.
pub fn revenue_path() -> impl Strategy<Value = (i32, Vec<Decimal>)> {
    (2024i32..=2034, prop::collection::vec(money(), 1..=12))
}

/// A scenario under `revised` with random revenue, cap, rate, base, effective date, the day the
/// cap counts from and prior payments: the assumptions a finance team would vary.
pub fn revised_scenario() -> impl Strategy<Value = Scenario> {
    (
        revenue_path(),
        cap(),
        rate(),
        rate(),
        any_date(2024, 2030),
        money(),
        prop::option::of(any_date(2024, 2040)),
        any_date(2024, 2030),
    )
        .prop_map(|((first, revenue), cap, rate, base, effective, prior, agi, counts_from)| {
            let mut s = scenario(first, revenue);
            s.terms.cap = Some(cap);
            s.terms.share_rate = Some(rate);
            s.terms.share_base = Some(base);
            s.terms.effective_date = Some(effective);
            s.terms.cap_counts_from = Some(counts_from);
            s.prior_payments_toward_cap = prior;
            s.agi_declared = agi;
            s
        })
}

/// Says `text` on the real standard error: libtest captures `eprintln!` of a passing test, and a
/// skipped check (no browser, no LibreOffice) must not pass silently.
pub fn loud(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n{text}\n");
}
