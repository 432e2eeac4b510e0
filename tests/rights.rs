//! Rights that are not cash: launches under the Azure-first clause, and cloud mix against the
//! distribution clause.

use crate::common::*;
use dealsim::agreement::ExceptionReading;
use dealsim::engine::{launch_outcome, simulate};
use dealsim::scenario::{self, CloudMix, Launch, OnBreach};
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn launch() -> impl Strategy<Value = Launch> {
    (any_date(2026, 2034), any::<bool>(), any::<bool>()).prop_map(
        |(date, azure_can_support, microsoft_supports)| Launch {
            product: "p".into(),
            date,
            azure_can_support,
            microsoft_supports,
        },
    )
}

/// Availability as a sortable day: `None` (never) sorts last.
fn day(d: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
    d.unwrap_or(chrono::NaiveDate::MAX)
}

proptest! {
    #[test]
    fn the_or_reading_never_makes_a_product_reach_other_clouds_later_than_the_and_reading(
        l in launch(), lag in 0i64..120,
    ) {
        let mut s = scenario(2026, vec![Decimal::ONE; 3]);
        s.launch_lag_days = lag;
        s.terms.azure_first_exception = Some(ExceptionReading::And);
        let and = launch_outcome(&resolved("revised", &s), &s, &l);
        s.terms.azure_first_exception = Some(ExceptionReading::Or);
        let or = launch_outcome(&resolved("revised", &s), &s, &l);
        prop_assert!(day(or.other_clouds) <= day(and.other_clouds), "{:?} vs {:?}", or, and);
        prop_assert_eq!(or.azure, and.azure, "the reading does not change Azure's own availability");
        if l.date >= date(2026, 4, 27) && l.date <= date(2032, 12, 31) && l.azure_can_support && l.microsoft_supports {
            prop_assert_eq!(and.other_clouds, Some(l.date + chrono::Duration::days(lag)), "ships first on Azure, then the lag");
        }
    }

    #[test]
    fn under_azure_only_distribution_no_product_reaches_another_cloud(l in launch()) {
        let s = scenario(2026, vec![Decimal::ONE; 3]);
        let pre = resolved("pre-revision", &s);
        let outcome = launch_outcome(&pre, &s, &l);
        if l.date >= pre.effective.value {
            prop_assert_eq!(outcome.other_clouds, None);
        }
    }

    #[test]
    fn a_cloud_mix_outside_azure_is_a_breach_exactly_where_distribution_is_azure_only(
        aws in 0u32..=100, first in 2026i32..2030,
    ) {
        let mut s = scenario(first, vec![Decimal::from(10_000_000_000i64); 4]);
        let share = Decimal::new(aws.into(), 2);
        let mut by_year = std::collections::BTreeMap::new();
        for y in first..first + 4 {
            by_year.insert(y, [("azure".to_string(), Decimal::ONE - share), ("aws".to_string(), share)].into_iter().collect());
        }
        s.cloud_mix = Some(CloudMix { by_year, on_breach: OnBreach::Flag });
        for (name, azure_only) in [("revised", false), ("pre-revision", true)] {
            let agreement = resolved(name, &s);
            let ledger = simulate(&agreement, &s).unwrap();
            for row in &ledger.rows {
                let in_force = row.period.end >= agreement.effective.value;
                prop_assert_eq!(row.distribution_breach, azure_only && in_force && !share.is_zero(), "{} {}", name, row.period.label);
                prop_assert_eq!(row.non_azure_share, share);
            }
        }
        s.cloud_mix.as_mut().unwrap().on_breach = OnBreach::Error;
        let refused = simulate(&resolved("pre-revision", &s), &s);
        prop_assert_eq!(refused.is_err(), !share.is_zero());
    }
}

#[test]
fn launches_toml_reports_each_launch_under_the_and_reading() {
    let out = tempfile::tempdir().unwrap();
    dealsim()
        .args(["run", "scenarios/launches.toml", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "│ Frontier model        ┆ 2026-09-01 ┆ 2026-09-01  ┆ 2026-10-01      ┆",
        ))
        .stdout(predicate::str::contains(
            "│ Robotics model        ┆ 2027-03-01 ┆ not carried ┆ held            ┆",
        ));
    let csv = std::fs::read_to_string(out.path().join("launches/launches.csv")).unwrap();
    assert!(csv.starts_with("product,launch_date,azure,other_clouds,state,rule\n"));
    assert!(csv.contains("Sovereign-cloud model,2027-10-01,,2027-10-01,"), "{csv}");
    let svg = std::fs::read_to_string(out.path().join("launches/launches.svg")).unwrap();
    assert!(svg.contains("Launches per cloud — revised terms, Azure-first exception read as \"cannot and chooses not\"")
        || svg.contains("Launches per cloud — revised terms, Azure-first exception read as &quot;cannot and chooses not&quot;"));
}

#[test]
fn a_forbidden_cloud_mix_is_flagged_against_the_old_terms_or_refused_when_asked() {
    dealsim()
        .args(["run", "scenarios/launches.toml", "--against", "pre-revision", "--no-charts", "--out"])
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Under `restructured`, 2027 would be a breach: the cloud mix serves 30% outside Azure",
        ));
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/launches.toml"))
        .unwrap()
        .replace("agreement = \"revised\"", "agreement = \"pre-revision\"")
        .replace("on_breach = \"flag\"", "on_breach = \"error\"");
    std::fs::write(dir.path().join("strict.toml"), text).unwrap();
    dealsim()
        .arg("run")
        .arg(dir.path().join("strict.toml"))
        .args(["--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2026: the cloud mix serves 15% of OpenAI's revenue outside Azure, which `restructured` does not permit"));
}

#[test]
fn cloud_mix_shares_must_add_up_to_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("scenarios/launches.toml"))
        .unwrap()
        .replace("aws = 0.15", "aws = 0.25");
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    assert!(scenario::load_file(&dir.path().join("bad.toml")).is_err());
    dealsim()
        .arg("check")
        .arg(dir.path().join("bad.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cloud_mix.by_year.2026: the shares add up to 1.1, not 1"));
}
