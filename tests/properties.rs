//! Property tests of the term invariants, one per clause kind at least, each stated in its name.

use crate::common::*;
use dealsim::agreement::{Clause, ClauseOverride, Clouds, ExceptionReading};
use dealsim::engine::{in_force, simulate};
use dealsim::ledger::{DistributionStatus, LicenceStatus};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    // ---- RevenueShare ----

    #[test]
    fn cumulative_paid_plus_prior_payments_never_exceeds_the_cap(s in revised_scenario()) {
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        let cap = s.terms.cap.unwrap();
        for row in &ledger.rows {
            prop_assert!(row.cumulative_paid <= (cap - s.prior_payments_toward_cap).max(Decimal::ZERO),
                "{}: paid {} with cap {} and prior {}", row.period.label, row.cumulative_paid, cap, s.prior_payments_toward_cap);
            prop_assert!(row.cap_remaining.unwrap() >= Decimal::ZERO);
        }
    }

    #[test]
    fn nothing_is_paid_on_days_a_share_is_not_in_force(s in revised_scenario()) {
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        let clause = agreement.clause("openai-to-microsoft").unwrap();
        let force = in_force(&agreement, clause, &s);
        for row in &ledger.rows {
            for flow in &row.flows {
                prop_assert_eq!(flow.days_in_force, force.days_in(&row.period));
                if flow.days_in_force == 0 {
                    prop_assert_eq!(flow.paid, Decimal::ZERO);
                    prop_assert_eq!(flow.due, Decimal::ZERO);
                }
            }
            // Under `revised` the share ends with 2030 and starts on its own date (cap_counts_from).
            if row.period.start > date(2030, 12, 31) || row.period.end < agreement.start_of(clause) {
                prop_assert_eq!(row.share_paid, Decimal::ZERO);
            }
        }
    }

    #[test]
    fn paid_never_exceeds_rate_times_revenue_in_any_year(s in revised_scenario()) {
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        for row in &ledger.rows {
            // + half a cent: the prorated figure is rounded to the cent.
            let ceiling = row.revenue * s.terms.share_rate.unwrap() + Decimal::new(5, 3);
            prop_assert!(row.share_paid <= row.share_due);
            prop_assert!(row.share_paid <= ceiling, "{} > {}", row.share_paid, ceiling);
        }
    }

    #[test]
    fn raising_any_years_revenue_never_lowers_the_total_paid(
        s in revised_scenario(), pick in any::<prop::sample::Index>(), extra in money(),
    ) {
        let agreement = resolved("revised", &s);
        let before = simulate(&agreement, &s).unwrap().summary().unwrap().totals.share_paid;
        let mut raised = s.clone();
        let i = pick.index(raised.openai_revenue.len());
        raised.openai_revenue[i] += extra;
        let after = simulate(&agreement, &raised).unwrap().summary().unwrap().totals.share_paid;
        prop_assert!(after >= before, "raising year {} by {} lowered paid {} → {}", i, extra, before, after);
    }

    #[test]
    fn the_total_paid_is_the_sum_of_the_rows_and_the_last_cumulative(s in revised_scenario()) {
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        let summary = ledger.summary().unwrap();
        let sum: Decimal = ledger.rows.iter().map(|r| r.share_paid).sum();
        prop_assert_eq!(summary.totals.share_paid, sum);
        prop_assert_eq!(ledger.rows.last().unwrap().cumulative_paid, sum);
        let net: Decimal = ledger.rows.iter().map(|r| r.net_to_microsoft).sum();
        prop_assert_eq!(summary.totals.net_to_microsoft, net);
    }

    #[test]
    fn the_cap_binds_exactly_once_reached_later_years_pay_nothing(s in revised_scenario()) {
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        let cap = s.terms.cap.unwrap();
        let mut reached = false;
        for row in &ledger.rows {
            if reached {
                prop_assert_eq!(row.share_paid, Decimal::ZERO);
            }
            if row.cap_reached {
                // The year that reaches the cap pays exactly the remainder.
                prop_assert_eq!(row.cumulative_paid, (cap - s.prior_payments_toward_cap).max(Decimal::ZERO));
                reached = true;
            } else {
                prop_assert_eq!(row.share_paid, row.share_due);
            }
        }
    }

    // ---- The revised agreement ----

    #[test]
    fn under_revised_microsoft_never_pays_openai_a_share(s in revised_scenario()) {
        let mut s = s;
        s.microsoft_revenue = s.openai_revenue.clone();
        let ledger = simulate(&resolved("revised", &s), &s).unwrap();
        for row in &ledger.rows {
            prop_assert_eq!(row.microsoft_share_paid, Decimal::ZERO);
            prop_assert_eq!(row.net_to_microsoft, row.share_paid);
        }
    }

    #[test]
    fn under_revised_the_licence_is_never_exclusive_nor_active_after_2032(s in revised_scenario()) {
        let ledger = simulate(&resolved("revised", &s), &s).unwrap();
        for row in &ledger.rows {
            prop_assert_ne!(row.licence, LicenceStatus::Exclusive);
            if row.period.start > date(2032, 12, 31) {
                prop_assert_eq!(row.licence, LicenceStatus::None);
            }
        }
    }

    #[test]
    fn under_revised_the_agi_year_changes_nothing(s in revised_scenario(), agi in prop::option::of(any_date(1990, 2100))) {
        let agreement = resolved("revised", &s);
        let mut other = s.clone();
        other.agi_declared = agi;
        let a = simulate(&agreement, &s).unwrap();
        let b = simulate(&agreement, &other).unwrap();
        prop_assert_eq!(a, b);
        prop_assert!(simulate(&agreement, &other).unwrap().rows.iter().all(|r| !r.agi_clause));
    }

    // ---- Licence ----

    #[test]
    fn a_licence_is_reported_only_within_its_dates_and_with_its_exclusivity(
        s in revised_scenario(), end in any_date(2027, 2040), exclusive in any::<bool>(),
    ) {
        let mut s = s;
        s.terms.effective_date = Some(date(2026, 4, 27));
        s.terms.clause_overrides = vec![
            ClauseOverride::End { clause: "microsoft-ip-licence".into(), date: end },
            ClauseOverride::Exclusive { clause: "microsoft-ip-licence".into(), exclusive },
        ];
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        for row in &ledger.rows {
            let active = row.period.end >= date(2026, 4, 27) && row.period.start <= end;
            let expected = match (active, exclusive) {
                (false, _) => LicenceStatus::None,
                (true, true) => LicenceStatus::Exclusive,
                (true, false) => LicenceStatus::NonExclusive,
            };
            prop_assert_eq!(row.licence, expected, "{}", row.period.label);
        }
    }

    // ---- Distribution ----

    #[test]
    fn distribution_reports_its_clouds_from_its_start_and_nothing_before(
        s in revised_scenario(), azure_only in any::<bool>(),
    ) {
        let mut s = s;
        let clouds = if azure_only { Clouds::AzureOnly } else { Clouds::AnyCloud };
        s.terms.clause_overrides = vec![ClauseOverride::Clouds { clause: "openai-distribution".into(), clouds }];
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        for row in &ledger.rows {
            let expected = if row.period.end < agreement.effective.value {
                DistributionStatus::None
            } else if azure_only {
                DistributionStatus::AzureOnly
            } else {
                DistributionStatus::AnyCloud
            };
            prop_assert_eq!(row.distribution, expected);
        }
    }

    // ---- ShippingPriority (Azure-first) ----

    #[test]
    fn the_and_reading_releases_a_product_only_when_the_or_reading_does(cannot in any::<bool>(), chooses_not in any::<bool>()) {
        let and = ExceptionReading::And.releases(cannot, chooses_not);
        let or = ExceptionReading::Or.releases(cannot, chooses_not);
        prop_assert!(!and || or);
        prop_assert_eq!(and, cannot && chooses_not);
        prop_assert_eq!(or, cannot || chooses_not);
    }

    #[test]
    fn azure_first_is_in_force_exactly_within_its_dates(s in revised_scenario(), end in any_date(2026, 2040)) {
        let mut s = s;
        s.terms.effective_date = Some(date(2026, 1, 1));
        s.terms.clause_overrides = vec![ClauseOverride::End { clause: "azure-first".into(), date: end }];
        let agreement = resolved("revised", &s);
        let ledger = simulate(&agreement, &s).unwrap();
        let Some(Clause::ShippingPriority(_)) = agreement.clause("azure-first") else { panic!("azure-first") };
        for row in &ledger.rows {
            let expected = row.period.end >= date(2026, 1, 1) && row.period.start <= end;
            prop_assert_eq!(row.azure_first, expected, "{}", row.period.label);
        }
    }

    // ---- Proration ----

    #[test]
    fn a_share_in_force_all_year_is_rate_times_revenue_and_part_years_are_prorated_by_days(
        revenue in money(), effective in any_date(2027, 2027),
    ) {
        let mut s = scenario(2027, vec![revenue, revenue]);
        s.terms.cap_counts_from = Some(effective);
        s.terms.cap = Some(Decimal::from(1_000_000_000_000_000i64));
        let ledger = simulate(&resolved("revised", &s), &s).unwrap();
        let days = (date(2027, 12, 31) - effective).num_days() + 1;
        let expected = (revenue * Decimal::new(2, 1) * Decimal::from(days) / Decimal::from(365))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(ledger.rows[0].share_due, expected);
        prop_assert_eq!(ledger.rows[1].share_due, (revenue * Decimal::new(2, 1)).round_dp(2));
    }
}

// ---- Earlier versions and the revision's worth ----

mod versions {
    use crate::common::*;
    use dealsim::agreement::builtin;
    use dealsim::analysis::against::{against, counterfactual};
    use dealsim::engine::simulate;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn under_the_pre_revision_terms_nothing_is_paid_to_microsoft_after_agi_is_declared(
            s in revised_scenario(), agi in any_date(2024, 2034),
        ) {
            let mut s = s;
            s.agi_declared = Some(agi);
            s.microsoft_revenue = s.openai_revenue.clone();
            let pre = resolved("pre-revision", &s);
            let ledger = simulate(&pre, &s).unwrap();
            for row in &ledger.rows {
                if row.period.start >= agi {
                    prop_assert_eq!(row.share_paid, Decimal::ZERO, "{} after AGI on {}", row.period.label, agi);
                }
                for flow in row.flows.iter().filter(|f| f.is_openai_to_microsoft()) {
                    let days_after_agi = row.period.days_within(agi, None);
                    prop_assert!(flow.days_in_force + days_after_agi <= row.period.days());
                }
            }
        }

        #[test]
        fn the_attribution_steps_add_up_exactly_to_the_difference_between_the_agreements(
            s in revised_scenario(), name in prop::sample::select(vec!["original", "restructured"]),
        ) {
            let mut s = s;
            s.microsoft_revenue = s.openai_revenue.iter().map(|r| *r / Decimal::from(3)).map(dealsim::money::round_money).collect();
            let own = resolved("revised", &s);
            let other = counterfactual(&own, &builtin(name).unwrap(), &s).unwrap();
            let result = against(&own, &other, &s).unwrap();
            let steps: Decimal = result.attribution.iter().map(|st| st.microsoft_gain).sum();
            prop_assert_eq!(steps, result.microsoft_gain);
            let pv: Decimal = result.attribution.iter().map(|st| st.microsoft_gain_present_value).sum();
            prop_assert_eq!(pv, result.microsoft_gain_present_value);
            prop_assert!(result.attribution.iter().all(|st| st.short != "unattributed"), "every difference has a named change");
            // The order-free (Shapley) values add up to the same totals, to the cent.
            let shapley: Option<Decimal> = result.attribution.iter().map(|st| st.shapley_microsoft_gain.map(|m| m.value())).sum();
            prop_assert_eq!(shapley, Some(result.microsoft_gain.value()));
            let shapley_pv: Option<Decimal> =
                result.attribution.iter().map(|st| st.shapley_microsoft_gain_present_value.map(|m| m.value())).sum();
            prop_assert_eq!(shapley_pv, Some(result.microsoft_gain_present_value.value()));
            let own_total = simulate(&own, &s).unwrap().summary().unwrap().totals.net_to_microsoft;
            prop_assert_eq!(result.total_net_to_microsoft, own_total);
        }
    }

    #[test]
    fn against_the_same_agreement_nobody_gains() {
        let s = scenario(2026, vec![Decimal::from(30_000_000_000i64); 5]);
        let own = resolved("revised", &s);
        let result =
            against(&own, &counterfactual(&own, &builtin("revised").unwrap(), &s).unwrap(), &s).unwrap();
        assert_eq!(result.microsoft_gain, Decimal::ZERO);
        assert!(result.attribution.is_empty());
    }
}

// ---- Scenario files round-trip ----

mod round_trip {
    use crate::common::*;
    use dealsim::agreement::{ClauseOverride, Clouds, ExceptionReading};
    use dealsim::engine::simulate;
    use dealsim::ledger::Convention;
    use dealsim::scenario::{self, Source};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_valid_scenario_written_back_to_toml_and_parsed_again_simulates_identically(
            s in revised_scenario(),
            discount in rate(),
            mid_year in any::<bool>(),
            or_reading in any::<bool>(),
            licence_end in prop::option::of(any_date(2031, 2040)),
            azure_only in any::<bool>(),
        ) {
            let mut s = s;
            s.microsoft_revenue = s.openai_revenue.iter().rev().copied().collect();
            s.discounting.rate = discount;
            s.discounting.convention = if mid_year { Convention::MidPeriod } else { Convention::EndOfPeriod };
            s.terms.azure_first_exception = Some(if or_reading { ExceptionReading::Or } else { ExceptionReading::And });
            if let Some(date) = licence_end {
                s.terms.clause_overrides.push(ClauseOverride::End { clause: "microsoft-ip-licence".into(), date });
            }
            if azure_only {
                s.terms.clause_overrides.push(ClauseOverride::Clouds { clause: "openai-distribution".into(), clouds: Clouds::AzureOnly });
            }
            let agreement = resolved("revised", &s);
            let before = simulate(&agreement, &s).unwrap();

            let text = s.to_toml();
            let source = Source::new("round-trip.toml", text.clone());
            let parsed = scenario::parse(&source).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let again = scenario::resolve_agreement(&parsed, &source).unwrap();
            let after = simulate(&again, &parsed).unwrap();
            prop_assert_eq!(&before, &after, "{}", text);
            prop_assert_eq!(before.summary().unwrap(), after.summary().unwrap());
            prop_assert_eq!(parsed.openai_revenue, s.openai_revenue);
            prop_assert_eq!(parsed.prior_payments_toward_cap, s.prior_payments_toward_cap);
            prop_assert_eq!(parsed.discounting, s.discounting);
        }
    }

    #[test]
    fn every_shipped_scenario_round_trips() {
        for name in ["base", "bear", "bull", "uncertain"] {
            let loaded = scenario::load_file(&repo().join(format!("scenarios/{name}.toml"))).unwrap();
            let source = Source::new(format!("{name}-again.toml"), loaded.scenario.to_toml());
            let parsed = scenario::parse(&source).unwrap();
            let agreement = scenario::resolve_agreement(&parsed, &source).unwrap();
            assert_eq!(
                simulate(&loaded.agreement, &loaded.scenario).unwrap(),
                simulate(&agreement, &parsed).unwrap(),
                "{name}"
            );
        }
    }
}
