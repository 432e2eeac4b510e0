//! Amounts as written: a unit is required where a bare number would be read as dollars it almost
//! certainly is not, `$38` is exactly $38, `38bn` is 38 billion, and a range's unit reaches both
//! of its ends. Growth written as whole percent is pinned by the bad-input corpus
//! (`tests/bad_inputs/growth_*`), with every other malformed amount.

use crate::exact::Test;

const BARE_38_HELP: &str = "did you mean \"38B\"? Write billions with a unit (\"38B\", \"38bn\") or in full (38000000000); to mean a small amount exactly, write it with a $ (\"$38\")";

#[test]
fn cap_38_without_a_unit_is_refused_with_did_you_mean_38b() {
    let ran = Test::new()
        .edited("c.toml", "scenarios/base.toml", &[("cap = \"38B\"", "cap = 38")])
        .args(["run", "--no-charts", "--out", "{dir}", "{dir}/c.toml"])
        .status(2)
        .stderr(&format!(
            "  x {{dir}}/c.toml:27:7: assumptions.cap: `38` is $38 exactly: amounts are in US dollars, and one this small with no unit is almost certainly missing its B
    ,-[{{dir}}/c.toml:27:7]
 26 | [assumptions]
 27 | cap = 38                        # reported by The Information via Reuters, 11 May 2026; undisclosed officially
    :       ^|
    :        `-- here
 28 | effective_date = 2026-04-27        # the rights change on the announcement date (public reporting)
    `----
  help: {BARE_38_HELP}
"
        ))
        .run();
    assert_eq!(crate::exact::files_under(ran.dir.path()), ["c.toml"], "nothing is written");
}

#[test]
fn a_small_amount_written_with_a_dollar_sign_is_taken_exactly() {
    Test::new()
        .edited("c.toml", "scenarios/base.toml", &[("cap = \"38B\"", "cap = \"$38\"")])
        .args(["check", "{dir}/c.toml"])
        .stdout("ok: {dir}/c.toml (scenario `base`, agreement `revised`, 2026–2032)\n")
        .run();
}

#[test]
fn set_cap_38_without_a_unit_is_refused() {
    Test::new()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=38", "--no-charts", "--out", "{dir}"])
        .status(2)
        .stderr(&format!(
            "error: --set cap: `38` is $38 exactly: amounts are in US dollars, and one this small with no unit is almost certainly missing its B; {BARE_38_HELP}\n"
        ))
        .run();
}

#[test]
fn set_cap_range_20_to_80b_carries_the_unit_to_both_ends() {
    let ran = Test::new()
        .args(["sweep", "scenarios/base.toml", "--set", "cap=20..80B:10B", "--no-charts", "--out", "{dir}"])
        .stdout(
            "Swept `base` over 7 points (cap).
Lowest: Total paid to Microsoft 20B at cap=20B
Highest: Total paid to Microsoft 80B at cap=80B
Wrote sweep.csv to {dir}/base/sweep
",
        )
        .run();
    let csv = std::fs::read_to_string(ran.path("base/sweep/sweep.csv")).unwrap();
    let caps: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(caps.first(), Some(&"20000000000"));
    assert_eq!(caps.last(), Some(&"80000000000"));
}

#[test]
fn thirty_eight_bn_is_accepted_as_38_billion() {
    Test::new()
        .edited("c.toml", "scenarios/base.toml", &[("cap = \"38B\"", "cap = \"38bn\"")])
        .args(["run", "--no-charts", "--out", "{dir}", "{dir}/c.toml"])
        .stdout_lines(&[
            "Total: OpenAI→Microsoft due 98.2B, paid 38B; Microsoft→OpenAI paid 0; net to Microsoft 38B",
            "Cap of 38B on `openai-to-microsoft` reached in 2028",
        ])
        .run();
}
