//! `explain`: the traced arithmetic reproduces the ledger exactly, for every row of every shipped
//! scenario under every built-in agreement, and for random scenarios.

use crate::common::*;
use crate::exact::Test;
use dealsim::agreement::{builtin, BUILTIN_NAMES};
use dealsim::analysis::against::counterfactual;
use dealsim::analysis::explain::{explain, reproduces};
use dealsim::engine::simulate;
use dealsim::scenario;
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

#[test]
fn the_trace_reproduces_every_row_of_every_shipped_scenario_under_every_version() {
    let mut checked = 0;
    for path in crate::common::shipped_scenarios() {
        let mut loaded = scenario::load_file(&path).unwrap();
        // A probability-weighted AGI date is Monte Carlo's: here, its earliest outcome.
        if let Some(first) = loaded.scenario.agi_outcomes.first() {
            loaded.scenario.agi_declared = first.date;
            loaded.scenario.agi_outcomes.clear();
        }
        // Under its own terms (cash kinds beyond the share included), and under every built-in.
        let own = std::iter::once((loaded.agreement.name.clone(), loaded.agreement.clone()));
        let builtins = BUILTIN_NAMES.iter().map(|name| {
            let other = counterfactual(&loaded.agreement, &builtin(name).unwrap(), &loaded.scenario).unwrap();
            (name.to_string(), other)
        });
        for (name, agreement) in own.chain(builtins).collect::<Vec<_>>() {
            let ledger = simulate(&agreement, &loaded.scenario).unwrap();
            for index in 0..ledger.rows.len() {
                let explanation = explain(&ledger, &agreement, &loaded.scenario, index).unwrap();
                reproduces(&explanation)
                    .unwrap_or_else(|e| panic!("{} under {name}, row {index}: {e}", path.display()));
                let row = &ledger.rows[index];
                let value = |column: &str| {
                    explanation.figures.iter().find(|f| f.column == column).map(|f| f.value.clone())
                };
                assert_eq!(value("share_paid"), Some(row.share_paid.normalize().to_string()));
                assert_eq!(value("net_to_microsoft"), Some(row.net_to_microsoft.normalize().to_string()));
                assert_eq!(value("licence"), Some(row.licence.to_string()));
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 3 * 7, "only {checked} rows checked");
}

proptest! {
    #[test]
    fn the_trace_reproduces_random_ledgers_under_the_pre_revision_terms_too(
        s in revised_scenario(), name in prop::sample::select(BUILTIN_NAMES),
    ) {
        let mut s = s;
        s.microsoft_revenue = s.openai_revenue.iter().map(|r| dealsim::money::round_money(*r / Decimal::from(3))).collect();
        let own = resolved("revised", &s);
        let agreement = counterfactual(&own, &builtin(name).unwrap(), &s).unwrap();
        let ledger = simulate(&agreement, &s).unwrap();
        for index in 0..ledger.rows.len() {
            let explanation = explain(&ledger, &agreement, &s, index).unwrap();
            prop_assert!(reproduces(&explanation).is_ok(), "{:?}", reproduces(&explanation));
        }
    }

    /// Every right `explain` states is the ledger's, for any version, any AGI date and the
    /// timeline: explain reads the engine's record of who decided a right, never re-derives it.
    #[test]
    fn explain_states_every_right_exactly_as_the_ledger_has_it(
        s in revised_scenario(),
        name in prop::sample::select(vec!["original", "restructured", "revised", "microsoft-openai"]),
        agi in prop::option::of(any_date(2019, 2034)),
        first in 2019i32..=2030,
    ) {
        let mut s = s;
        s.agi_declared = agi;
        if name == "microsoft-openai" {
            s.terms.effective_date = None; // the timeline's own take-over days
        }
        let years = s.openai_revenue.len();
        let rebuilt = scenario(first, s.openai_revenue.clone());
        (s.periods, s.openai_growth, s.microsoft_revenue) =
            (rebuilt.periods, rebuilt.openai_growth, vec![Decimal::ZERO; years]);
        // Assumptions a version refuses (an effective date before the previous version's) are
        // refused inputs, not the subject here.
        let Ok(agreement) = s.terms.apply(&builtin(name).unwrap(), "t") else { return Ok(()) };
        let ledger = simulate(&agreement, &s).unwrap();
        for (index, row) in ledger.rows.iter().enumerate() {
            let explanation = explain(&ledger, &agreement, &s, index).unwrap();
            let value = |column: &str| {
                explanation.figures.iter().find(|f| f.column == column).map(|f| f.value.clone())
            };
            let label = &row.period.label;
            prop_assert_eq!(value("licence"), Some(row.licence.to_string()), "{} under {}", label, name);
            prop_assert_eq!(value("distribution"), Some(row.distribution.to_string()), "{}", label);
            prop_assert_eq!(value("azure_first"), Some(row.azure_first.to_string()), "{}", label);
            prop_assert_eq!(value("agi_clause"), Some(row.agi_clause.to_string()), "{}", label);
        }
    }
}

/// The cap year of the base case, every figure's clause and arithmetic, exactly.
const BASE_2028: &str = "Scenario `base` under `revised`, 2028:
- revenue 100B — scenario input (revenue.openai.by_year) for 2028
- base 100B = 100% of OpenAI's revenue 100B — revenue-share `openai-to-microsoft` (OpenAI → Microsoft), revised
- due 20% × 100B = 20B — revenue-share `openai-to-microsoft` (OpenAI → Microsoft), revised; rate 20% is reported
- paid 19.6B = min(20% × 100B = 20B, cap remaining 19.6B) = 19.6B, cap reached — revenue-share `openai-to-microsoft` (OpenAI → Microsoft), revised
- share due 20B = sum of OpenAI → Microsoft shares due (`openai-to-microsoft`)
- share paid 19.6B = sum of OpenAI → Microsoft shares paid (`openai-to-microsoft`)
- cumulative paid 38B = 18.4B paid before 2028 + 19.6B paid in it
- cap remaining 0 = cap room before 2028 − paid from it in it; the cap is reached
- Microsoft → OpenAI paid 0: `revised` has no such revenue share
- net to Microsoft 19.6B = 19.6B paid by OpenAI − 0 paid by Microsoft (net settlement)
- licence non-exclusive — clause `microsoft-ip-licence` (non-exclusive, in force from 2026-04-27 to 2032-12-31)
- distribution any-cloud — clause `openai-distribution` (any-cloud, in force from 2026-04-27 with no end date)
- azure_first true — clause `azure-first` (true, in force from 2026-04-27 to 2032-12-31)
- agi_clause false — no such clause of `revised` is in force in 2028
";

#[test]
fn explain_prints_the_clause_and_arithmetic_behind_each_figure() {
    Test::new().args(["explain", "scenarios/base.toml", "--year", "2028"]).stdout(BASE_2028).run();
    Test::new()
        .args(["explain", "scenarios/base.toml", "--year", "2026"])
        .stdout_lines(&[
            "- revenue 30B — scenario input (revenue.openai.by_year) for 2026",
            "- due 20% × 30B = 6B — revenue-share `openai-to-microsoft` (OpenAI → Microsoft), revised; rate 20% is reported",
        ])
        .run();
    Test::new()
        .args(["explain", "scenarios/base.toml", "--year", "2031"])
        .stdout_lines(&["- revenue 200.1B — grown 15% from 2030's 174B (assumption: revenue.openai.growth), rounded to the cent"])
        .run();
    Test::new()
        .args(["explain", "scenarios/history.toml", "--year", "2025-Q1"])
        .stdout_lines(&["- revenue 2.14B — 2025's 13.07B split across its quarters by days (90 of 365; the last quarter takes the remainder)"])
        .run();
}

#[test]
fn explain_json_carries_the_checkable_steps() {
    let output =
        dealsim().args(["explain", "scenarios/bear.toml", "--year", "2029", "--json"]).output().unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paid = json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["column"] == "paid[openai-to-microsoft]")
        .unwrap();
    assert_eq!(paid["steps"][0]["op"], "cap");
    assert_eq!(paid["steps"][0]["result"], paid["value"]);
}

#[test]
fn explain_a_year_outside_the_scenario_is_exit_2_naming_the_years() {
    Test::new()
        .args(["explain", "scenarios/base.toml", "--year", "2040"])
        .status(2)
        .stderr("error: --year 2040: scenario `base` has no such period; it has 2026, 2027, 2028, 2029, 2030, 2031, 2032\n")
        .run();
}

#[test]
fn explain_under_original_after_agi_says_no_licence_is_in_force_instead_of_citing_a_clause_with_no_end() {
    // Issue 15's second disagreement: the figure said `none` while its explanation cited the
    // licence "in force from 2019-07-22 with no end date". The engine now names the deciders.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agi.toml");
    std::fs::write(
        &file,
        "name = \"agi\"\nagreement = \"original\"\nyears = { from = 2027, to = 2028 }\n\
         [revenue.openai]\nby_year = { 2027 = \"60B\", 2028 = \"66B\" }\n[assumptions]\nagi_declared = 2027-06-30\n",
    )
    .unwrap();
    crate::common::dealsim()
        .args(["explain", "--year", "2028"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "- licence none — no such clause of `original` is in force in 2028",
        ))
        .stdout(predicates::str::contains("- agi_clause false — no such clause"));
    crate::common::dealsim()
        .args(["explain", "--year", "2027"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "- licence exclusive — clause `microsoft-ip-licence` (exclusive, in force from 2019-07-22 to 2027-06-29)",
        ));
}

#[test]
fn explain_names_every_clause_that_decides_a_right_that_changes_inside_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deal.toml");
    std::fs::write(
        &file,
        "name = \"deal\"\nagreement = \"microsoft-openai\"\nyears = { from = 2026, to = 2026 }\n\
         [revenue.openai]\nby_year = { 2026 = \"30B\" }\n",
    )
    .unwrap();
    crate::common::dealsim()
        .args(["explain", "--year", "2026"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "- distribution any-cloud — clause `restructured/openai-distribution` (azure-only, in force from 2025-10-28 to 2026-04-26), clause `revised/openai-distribution` (any-cloud",
        ))
        .stdout(predicates::str::contains("changes azure-only→any-cloud on 2026-04-27"))
        // Earlier versions' shares, not in force in 2026, are named once rather than explained as zeros.
        .stdout(predicates::str::contains(
            "- not in force in 2026, so 0 from each: `original/openai-to-microsoft` (ended), `original/microsoft-to-openai` (ended), `restructured/openai-to-microsoft` (ended)",
        ))
        .stdout(predicates::str::contains("revenue-share `original/openai-to-microsoft`").not());
}
