//! Parameters by name (`--set`, `sweep`, `goalseek`, `sensitivity`): values, lists and ranges.

use dealsim::analysis::params::{parse_setting, Param, Value};
use rust_decimal_macros::dec;

#[test]
fn ranges_lists_and_single_values_parse() {
    let (p, v) = parse_setting("cap=20B..80B:10B", 1000).unwrap();
    assert_eq!(p, Param::Cap);
    assert_eq!(v.len(), 7);
    assert_eq!(v[6], Value::Number(dec!(80_000_000_000)));
    let (p, v) = parse_setting("rate=0.15,20%", 1000).unwrap();
    assert_eq!(p, Param::ShareRate);
    assert_eq!(v, [Value::Number(dec!(0.15)), Value::Number(dec!(0.2))]);
    let (_, v) = parse_setting("effective_date=2026-01-01..2026-03-02:30", 1000).unwrap();
    assert_eq!(v.len(), 3);
    assert!(parse_setting("cap=1B..2B:$1", 1000).unwrap_err().to_string().contains("limit is 1000"));
    assert!(parse_setting("capp=1", 10).unwrap_err().to_string().contains("unknown parameter"));
    assert!(parse_setting("rate=2", 10).is_err());
    assert!(parse_setting("cap=80B..20B:10B", 10).unwrap_err().to_string().contains("backwards"));
}

#[test]
fn a_step_that_does_not_divide_the_range_is_refused_naming_the_ends_it_would_give() {
    let error = parse_setting("cap=20B..80B:25B", 100).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cap: `20B..80B:25B`: steps of 25B from 20B end at 70B, not at 80B (ranges include both ends, so the step must divide the range); end the range at 70B or 95B, or choose a step that divides it"
    );
    let error = parse_setting("effective_date=2026-01-01..2026-03-01:30", 100).unwrap_err();
    assert!(error.to_string().contains("end at 2026-01-31, not at 2026-03-01"), "{error}");
}

#[test]
fn a_tiny_step_is_too_many_values_not_a_panic() {
    let error = parse_setting("cap=1B..2B:$1e-20", 100).unwrap_err();
    assert!(error.to_string().contains("more than 10^28 values; the limit is 100"), "{error}");
}

#[test]
fn revenue_scale_is_a_multiple_not_a_growth_rate() {
    for (text, scale) in [("2", dec!(2)), ("2x", dec!(2)), ("150%", dec!(1.5)), ("0.5", dec!(0.5))] {
        assert_eq!(Param::RevenueScale.value(text).unwrap(), Value::Number(scale), "{text}");
    }
    assert!(Param::RevenueScale.value("0").is_err());
}

#[test]
fn a_backward_range_is_refused() {
    assert!(Param::Cap.range("80B..20B").unwrap_err().to_string().contains("backwards"));
}

/// The help of every command taking parameters lists every parameter the registry knows (the
/// lists were once written by hand and drifted: sweep's lacked cap_counts_from and agi_declared).
#[test]
fn every_command_taking_parameters_lists_every_registered_name() {
    use dealsim::analysis::params::registry::SCENARIO_PARAMS;
    for (command, flag) in [("run", "--set"), ("sweep", "--set"), ("goalseek", "--vary")] {
        let output = crate::common::dealsim().args([command, "--help"]).output().unwrap();
        assert!(output.status.success());
        let help = String::from_utf8(output.stdout).unwrap();
        let at = help.find(&format!("{flag} <")).unwrap_or_else(|| panic!("{command} --help has no {flag}"));
        let text = &help[at..];
        for spec in SCENARIO_PARAMS.iter().filter(|s| command != "goalseek" || s.numeric()) {
            assert!(text.contains(&format!("{} (", spec.name)), "{command} {flag} help lacks {}", spec.name);
        }
        assert!(text.contains("<clause-id>.rate"), "{command}");
    }
}

#[test]
fn a_misspelt_set_parameter_gets_a_did_you_mean() {
    crate::exact::Test::new()
        .args(["sweep", "scenarios/base.toml", "--set", "cpa=1B", "--no-charts"])
        .status(2)
        .stderr("error: --set unknown parameter `cpa` (did you mean `cap`?); known: cap (money, e.g. 38B), share_rate (a rate, e.g. 20%; also `rate`), share_base (a fraction, e.g. 100%), effective_date (a date), cap_counts_from (a date), prior_payments_toward_cap (money), discount_rate (a rate), growth (a rate), revenue_scale (a multiple, e.g. 1.5), agi_declared (a date or never; also `agi`), <clause-id>.rate, <clause-id>.cap, <clause-id>.per_year|amount|commitment|revenue_reaches|cumulative_revenue_reaches|fraction|payment_lag_days|start|end|when\n")
        .run();
}
