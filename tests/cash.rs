//! Accrued versus cash: a payment lag moves when a share is paid, not what accrues or what the
//! cap counts (the book's "Accrued and cash").

use crate::common::{dealsim, money, resolved, scenario};
use dealsim::agreement::ClauseOverride;
use dealsim::simulate;
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn lag(days: i64) -> ClauseOverride {
    ClauseOverride::PaymentLag { clause: "openai-to-microsoft".into(), days }
}

#[test]
fn a_90_day_lag_pays_each_year_in_the_next_and_values_it_then() {
    let mut s = scenario(2026, vec![dec!(30_000_000_000), dec!(62_000_000_000), dec!(100_000_000_000)]);
    s.terms.clause_overrides.push(lag(90));
    let ledger = simulate(&resolved("revised", &s), &s).unwrap();
    let cash: Vec<Decimal> = ledger.rows.iter().map(|r| r.cash_to_microsoft.value()).collect();
    // 2026's 6B is paid on 2027-03-31, 2027's 12.4B on 2028-03-30; 2028's 19.6B after the run.
    assert_eq!(cash, [dec!(0), dec!(6_000_000_000), dec!(12_400_000_000)]);
    assert_eq!(ledger.rows[0].flows[0].paid_on, crate::common::date(2027, 3, 31));
    let summary = ledger.summary().unwrap();
    assert_eq!(summary.totals.net_to_microsoft, dec!(38_000_000_000), "what accrues is unchanged");
    assert_eq!(summary.totals.cash_net_to_microsoft, dec!(18_400_000_000));
    assert_eq!(summary.totals.outstanding_at_end, dec!(19_600_000_000));
    assert_eq!(summary.cap_reached_year, Some(2028), "the cap counts what accrues");
    let mut no_lag = s.clone();
    no_lag.terms.clause_overrides.clear();
    let without = simulate(&resolved("revised", &no_lag), &no_lag).unwrap().summary().unwrap();
    assert!(
        summary.present_value.net_to_microsoft < without.present_value.net_to_microsoft,
        "later cash is worth less"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_lag_of_zero_days_equals_no_lag(revenue in prop::collection::vec(money(), 1..=8)) {
        let plain = scenario(2026, revenue);
        let mut zero = plain.clone();
        zero.terms.clause_overrides.push(lag(0));
        let (a, b) = (simulate(&resolved("revised", &plain), &plain).unwrap(), simulate(&resolved("revised", &zero), &zero).unwrap());
        prop_assert_eq!(a.summary().unwrap(), b.summary().unwrap());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            prop_assert_eq!((x.cash_to_microsoft, x.cash_net_to_microsoft), (y.cash_to_microsoft, y.cash_net_to_microsoft));
            prop_assert_eq!(x.cash_net_to_microsoft, x.net_to_microsoft);
        }
    }

    /// The revised share ends in 2030; a run to 2032 with a lag under two years receives all of it.
    #[test]
    fn cash_equals_what_accrued_once_the_run_passes_the_last_payment(
        revenue in prop::collection::vec(money(), 7),
        days in 0i64..=700,
    ) {
        let mut s = scenario(2026, revenue);
        s.terms.clause_overrides.push(lag(days));
        let summary = simulate(&resolved("revised", &s), &s).unwrap().summary().unwrap();
        prop_assert_eq!(summary.totals.cash_net_to_microsoft, summary.totals.net_to_microsoft);
        prop_assert_eq!(summary.totals.outstanding_at_end, Decimal::ZERO);
    }
}

#[test]
fn a_lag_is_shown_under_the_table_and_a_lag_past_ten_years_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lag.toml");
    let text = |days: i64| {
        format!(
            "name = \"lag\"\nagreement = \"revised\"\nyears = {{ from = 2026, to = 2028 }}\n\
             [revenue.openai]\nby_year = {{ 2026 = \"30B\", 2027 = \"62B\", 2028 = \"100B\" }}\n\
             [overrides.\"openai-to-microsoft\"]\npayment_lag_days = {days}\n"
        )
    };
    std::fs::write(&file, text(90)).unwrap();
    dealsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Cash (payment lags): net to Microsoft 18.4B received within the run, 19.6B accrued but paid after it ends",
        ));
    let csv = std::fs::read_to_string(dir.path().join("out/lag/ledger.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",cash_to_microsoft,cash_to_openai,cash_net_to_microsoft,other_paid_to_microsoft,other_paid_to_openai,purchases"));
    dealsim()
        .arg("terms")
        .arg("revised")
        .assert()
        .success()
        .stdout(predicate::str::contains("payment lag").not());
    std::fs::write(&file, text(5000)).unwrap();
    dealsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("overrides.openai-to-microsoft.payment_lag_days"))
        .stderr(predicate::str::contains("a whole number of days from 0 to 3650"));
}

#[test]
fn explain_traces_each_cash_payment_to_the_period_it_accrued_in() {
    let mut s = scenario(2026, vec![dec!(30_000_000_000), dec!(62_000_000_000), dec!(100_000_000_000)]);
    s.terms.clause_overrides.push(lag(90));
    let agreement = resolved("revised", &s);
    let ledger = simulate(&agreement, &s).unwrap();
    let explanation = dealsim::analysis::explain::explain(&ledger, &agreement, &s, 1).unwrap();
    dealsim::analysis::explain::reproduces(&explanation).unwrap();
    let cash = explanation.figures.iter().find(|f| f.column == "cash_to_microsoft").unwrap();
    assert_eq!(
        cash.explanation,
        "cash_to_microsoft 6B = 6B accrued in 2026 under `openai-to-microsoft`, paid 2027-03-31"
    );
    // Without a lag the cash columns are the accrued ones, explained there: no extra lines.
    let plain = scenario(2026, vec![dec!(30_000_000_000)]);
    let agreement = resolved("revised", &plain);
    let ledger = simulate(&agreement, &plain).unwrap();
    let explanation = dealsim::analysis::explain::explain(&ledger, &agreement, &plain, 0).unwrap();
    assert!(!explanation.figures.iter().any(|f| f.column.starts_with("cash")));
}
