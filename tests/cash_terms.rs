//! Cash terms beyond the revenue share: each kind's invariants as property tests (a minimum is met
//! unless its pool runs out, a milestone pays once, purchases plus shortfall reach the commitment,
//! a pool never pays out more than its amount, lump sums and yearly amounts add up), Monte Carlo
//! at zero variance equal to `run` for every kind, the shipped examples' figures worked by hand,
//! and the rule that no evaluator names a kind.

use crate::common::{dealsim, money, repo, scenario};
use dealsim::agreement::plan::Category;
use dealsim::agreement::Agreement;
use dealsim::analysis::montecarlo::{run, Plan};
use dealsim::ledger::Ledger;
use dealsim::scenario::load_agreement_file;
use dealsim::simulate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// An agreement file's text, written to a temporary folder and read.
fn agreement(text: &str) -> Agreement {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("terms.toml");
    std::fs::write(&path, text).unwrap();
    load_agreement_file(&path).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A share of `rate` from 2026 to 2030 and `extra` clauses, in a pool of `pool` when given.
fn terms(rate: &str, pool: Option<Decimal>, extra: &str) -> Agreement {
    let pools =
        pool.map_or(String::new(), |p| format!("[[cap_pools]]\nname = \"pool\"\namount = \"${p}\"\n\n"));
    let draws = if pool.is_some() { "cap_pool = \"pool\"\n" } else { "" };
    agreement(&format!(
        "name = \"t\"\ntitle = \"t\"\neffective = 2026-01-01\n\n{pools}[[clauses]]\nkind = \"revenue-share\"\nid = \"share\"\npayer = \"openai\"\npayee = \"microsoft\"\nrate = \"{rate}\"\nend = 2030-12-31\n{draws}\n{extra}"
    ))
}

fn paid(ledger: &Ledger, clause: &str) -> Vec<Decimal> {
    ledger
        .rows
        .iter()
        .map(|r| r.flows.iter().filter(|f| f.clause == clause).map(|f| f.paid.value()).sum())
        .collect()
}

/// Five yearly revenues from 2026, 0 to 500B each.
fn five_years() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(money(), 5)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_minimum_is_met_each_period_unless_its_pool_runs_out(
        revenue in five_years(), minimum in 0u64..=20, pool in 0u64..=60,
    ) {
        let (minimum, pool) = (Decimal::from(minimum) * dec!(1_000_000_000), Decimal::from(pool) * dec!(1_000_000_000));
        let floor = format!("[[clauses]]\nkind = \"minimum-payment\"\nid = \"floor\"\npayer = \"openai\"\npayee = \"microsoft\"\nper_year = \"${minimum}\"\ntops_up = [\"share\"]\nstart = 2026-01-01\nend = 2030-12-31\ncap_pool = \"pool\"\n");
        let a = terms("20%", Some(pool), &floor);
        let s = scenario(2026, revenue);
        let ledger = simulate(&a, &s).unwrap();
        let (share, top_up) = (paid(&ledger, "share"), paid(&ledger, "floor"));
        let mut room = pool;
        for (t, row) in ledger.rows.iter().enumerate() {
            let total = share[t] + top_up[t];
            // What the pool still allowed before the period bounds what the minimum can add.
            prop_assert!(total >= minimum.min(room), "{}: {total} < min({minimum}, {room})", row.period.label);
            prop_assert!(top_up[t] <= (minimum - share[t]).max(Decimal::ZERO), "{}: a top-up beyond the shortfall", row.period.label);
            room -= total;
        }
    }

    #[test]
    fn a_pools_clauses_together_never_pay_more_than_its_amount(
        revenue in five_years(), pool in 0u64..=80, minimum in 0u64..=30, fixed in 0u64..=30,
    ) {
        let b = dec!(1_000_000_000);
        let extra = format!(
            "[[clauses]]\nkind = \"minimum-payment\"\nid = \"floor\"\npayer = \"openai\"\npayee = \"microsoft\"\nper_year = \"${}\"\ntops_up = [\"share\"]\nend = 2030-12-31\ncap_pool = \"pool\"\n\n[[clauses]]\nkind = \"fixed-payment\"\nid = \"fee\"\npayer = \"openai\"\npayee = \"microsoft\"\nper_year = \"${}\"\nend = 2030-12-31\ncap_pool = \"pool\"\n",
            Decimal::from(minimum) * b,
            Decimal::from(fixed) * b
        );
        let amount = Decimal::from(pool) * b;
        let a = terms("20%", Some(amount), &extra);
        let ledger = simulate(&a, &scenario(2026, revenue)).unwrap();
        let total: Decimal = ledger.rows.iter().flat_map(|r| &r.flows).filter(|f| f.cap_pool.as_deref() == Some("pool")).map(|f| f.paid.value()).sum();
        prop_assert!(total <= amount, "{total} > {amount}");
        // And the row's cap left is the pool's room: the amount less everything paid from it.
        let left = ledger.rows.last().unwrap().cap_remaining.unwrap().value();
        prop_assert_eq!(left, amount - total);
    }

    #[test]
    fn a_milestone_pays_once_at_most_and_only_when_its_trigger_holds(
        revenue in five_years(), level in 1u64..=400, cumulative in any::<bool>(),
    ) {
        let level = Decimal::from(level) * dec!(1_000_000_000);
        let when = if cumulative { format!("{{ cumulative_revenue_reaches = \"${level}\" }}") } else { format!("{{ revenue_reaches = \"${level}\" }}") };
        let extra = format!("[[clauses]]\nkind = \"milestone-payment\"\nid = \"m\"\npayer = \"openai\"\npayee = \"microsoft\"\namount = \"5B\"\nwhen = {when}\n");
        let a = terms("20%", None, &extra);
        let ledger = simulate(&a, &scenario(2026, revenue.clone())).unwrap();
        let paid = paid(&ledger, "m");
        prop_assert!(paid.iter().filter(|p| !p.is_zero()).count() <= 1, "{paid:?}");
        // The period it pays in is the first whose revenue (or running total) reaches the level.
        let mut running = Decimal::ZERO;
        let first = revenue.iter().position(|r| {
            running += *r;
            if cumulative { running >= level } else { *r >= level }
        });
        let expected: Vec<Decimal> = (0..5).map(|t| if Some(t) == first { dec!(5_000_000_000) } else { Decimal::ZERO }).collect();
        prop_assert_eq!(paid, expected);
    }

    #[test]
    fn purchases_plus_the_shortfall_paid_at_the_end_reach_the_commitment(
        purchases in five_years(), commitment in 0u64..=3000,
    ) {
        let commitment = Decimal::from(commitment) * dec!(1_000_000_000);
        let extra = format!("[[clauses]]\nkind = \"purchase-commitment\"\nid = \"azure\"\nbuyer = \"openai\"\nseller = \"microsoft\"\ncommitment = \"${commitment}\"\nstart = 2026-01-01\nend = 2030-12-31\npurchases = \"bought\"\nshortfall = \"pay-at-end\"\n");
        let a = terms("20%", None, &extra);
        let mut s = scenario(2026, vec![dec!(1_000_000_000); 5]);
        s.other_streams = vec![("bought".to_string(), purchases.clone())];
        let ledger = simulate(&a, &s).unwrap();
        let bought: Decimal = ledger.rows.iter().map(|r| r.purchases.value()).sum();
        prop_assert_eq!(bought, purchases.iter().copied().sum::<Decimal>(), "purchases are the stream, full years");
        let shortfall: Vec<Decimal> = ledger.rows.iter().map(|r| r.paid_in(Category::Shortfall, dealsim::agreement::Party::Microsoft).value()).collect();
        prop_assert!(shortfall[..4].iter().all(|s| s.is_zero()), "only at the end: {shortfall:?}");
        prop_assert_eq!(bought + shortfall[4], bought.max(commitment));
        // Purchases are not payments: the net counts the shortfall and the share, never them.
        let share: Decimal = ledger.rows.iter().map(|r| r.share_paid.value()).sum();
        let net: Decimal = ledger.rows.iter().map(|r| r.net_to_microsoft.value()).sum();
        prop_assert_eq!(net, share + shortfall[4]);
    }

    #[test]
    fn a_yearly_fixed_payment_prorates_by_days_and_lump_sums_land_in_their_periods(
        per_year in 0u64..=10_000, quarterly in any::<bool>(),
    ) {
        let per_year = Decimal::from(per_year) * dec!(1_000_000);
        let extra = format!("[[clauses]]\nkind = \"fixed-payment\"\nid = \"fee\"\npayer = \"openai\"\npayee = \"microsoft\"\nper_year = \"${per_year}\"\nstart = 2026-04-01\nend = 2028-12-31\n\n[[clauses]]\nkind = \"fixed-payment\"\nid = \"lump\"\npayer = \"microsoft\"\npayee = \"openai\"\namounts = {{ 2027-06-30 = \"1B\", 2031-01-01 = \"2B\" }}\n");
        let a = terms("20%", None, &extra);
        let mut s = scenario(2026, vec![dec!(10_000_000_000); 5]);
        if quarterly {
            s = dealsim::scenario::parse(&dealsim::scenario::Source::new("q.toml", "years = { from = 2026, to = 2030 }\nperiods = \"quarters\"\n[revenue.openai]\nby_year = { 2026 = \"10B\" }\ngrowth = \"0%\"\n")).unwrap();
        }
        let ledger = simulate(&a, &s).unwrap();
        let by_year = |clause: &str, year: i32| -> Decimal {
            ledger.rows.iter().filter(|r| r.year() == year).flat_map(|r| &r.flows).filter(|f| f.clause == clause).map(|f| f.paid.value()).sum()
        };
        // A full year in force pays the yearly amount (a quarter's parts may round a cent each).
        let tolerance = if quarterly { dec!(0.04) } else { Decimal::ZERO };
        prop_assert!((by_year("fee", 2027) - per_year).abs() <= tolerance);
        // From 1 April 2026: 275 of 365 days.
        let expected = dealsim::money::round_money(per_year * Decimal::from(275) / Decimal::from(365));
        prop_assert!((by_year("fee", 2026) - expected).abs() <= tolerance, "{} vs {expected}", by_year("fee", 2026));
        prop_assert_eq!(by_year("fee", 2029), Decimal::ZERO);
        // A lump sum lands in the period that holds its day; one dated after the run does not.
        prop_assert_eq!(by_year("lump", 2027), dec!(1_000_000_000));
        let lumps: Decimal = (2026..=2030).map(|y| by_year("lump", y)).sum();
        prop_assert_eq!(lumps, dec!(1_000_000_000));
    }

    #[test]
    fn monte_carlo_at_zero_variance_equals_run_for_every_kind_of_cash(revenue in five_years()) {
        for file in ["revised-with-floor.toml", "revised-with-milestone.toml", "revised-with-azure-commitment.toml"] {
            let a = load_agreement_file(&repo().join("scenarios/agreements").join(file)).unwrap();
            let mut s = scenario(2026, revenue.clone());
            s.other_streams = vec![("azure_purchases".to_string(), vec![dec!(20_000_000_000); 5])];
            let ledger = simulate(&a, &s).unwrap();
            let plan = Plan::new(&a, &s).unwrap();
            let mc = run(&plan, 64, 1, &|_| {}).unwrap();
            for (year, row) in mc.years.iter().zip(&ledger.rows) {
                let all = row.share_paid + row.other_paid_to_microsoft;
                prop_assert_eq!(year.paid.p5, all, "{} {}", file, row.period.label);
                prop_assert_eq!(year.paid.p95, all, "{} {}", file, row.period.label);
            }
            let total: Decimal = ledger.rows.iter().map(|r| (r.share_paid + r.other_paid_to_microsoft).value()).sum();
            prop_assert_eq!(mc.total_paid.p50.value(), total, "{}", file);
        }
    }
}

/// the book's "Cash terms": the figures a reader can check with a calculator.
#[test]
fn the_readme_cash_terms_examples_give_the_figures_worked_by_hand() {
    let out = tempfile::tempdir().unwrap();
    let run = |file: &str| {
        dealsim().args(["run", file, "--no-charts", "--out"]).arg(out.path()).assert().success();
        let text = std::fs::read_to_string(
            out.path().join(std::path::Path::new(file).file_stem().unwrap()).join("summary.json"),
        )
        .unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    // Floor: shares 1.2B and 1.8B in 2026–27 are topped up to 2B (0.8B + 0.2B); later years pay more.
    let floor = run("scenarios/floor.toml");
    assert_eq!(floor["totals"]["share_paid"], "12600000000");
    assert_eq!(floor["totals"]["paid_to_microsoft"], "13600000000");
    assert_eq!(floor["by_category"][1]["category"], "top-up");
    assert_eq!(floor["by_category"][1]["paid"], "1000000000");
    // Milestone: revenue reaches 100B in 2028, so 5B once, outside the 38B cap.
    let milestone = run("scenarios/milestone.toml");
    assert_eq!(milestone["totals"]["paid_to_microsoft"], "43000000000");
    // Azure commitment: 10 + 15 + 20 + 25 + 30 + 33 + 36.3 = 169.3B bought, 80.7B short in 2032.
    let azure = run("scenarios/azure-commitment.toml");
    assert_eq!(azure["totals"]["purchases"], "169300000000");
    assert_eq!(azure["totals"]["paid_to_microsoft"], "118700000000");
    let flows = std::fs::read_to_string(out.path().join("azure-commitment/flows.csv")).unwrap();
    assert!(flows.contains("\n2032,2032-01-01,2032-12-31,azure-commitment,purchase-commitment,openai,microsoft,shortfall,80700000000,80700000000,,,2032-12-31\n"), "{flows}");
}

/// No evaluator names a kind of clause: the engine, Monte Carlo and explain read the compiled
/// plan's flows (their due's shape), never `Clause::…` or a kind's type.
#[test]
fn the_engine_monte_carlo_explain_and_the_workbook_never_match_on_a_kind_of_clause() {
    // The kinds' type names as whole words (a right's grant, `Grant::Licence`, is the rights
    // vocabulary the engine folds, not a kind).
    let kinds = [
        "RevenueShare",
        "FixedPayment",
        "MinimumPayment",
        "MilestonePayment",
        "PurchaseCommitment",
        "ShippingPriority",
    ];
    let mut offenders = Vec::new();
    // Every file under each folder, its subfolders' too (a module split into a folder stays read).
    let mut paths: Vec<std::path::PathBuf> =
        ["src/engine", "src/analysis/montecarlo", "src/analysis/explain", "src/report/workbook"]
            .iter()
            .map(|dir| repo().join(dir))
            .collect();
    while let Some(path) = paths.pop() {
        if path.is_dir() {
            paths.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let words: Vec<&str> = code.split(|c: char| !c.is_alphanumeric() && c != '_').collect();
            if code.contains("Clause::") || words.iter().any(|w| kinds.contains(w)) {
                offenders.push(format!("{}:{}: {}", path.display(), n + 1, code.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "evaluators naming kinds:\n{}", offenders.join("\n"));
}

/// Attribution copies one parameter at a time between two versions of a clause: for every kind,
/// every parameter it lists must copy (so `diff` then finds that parameter equal).
#[test]
fn every_parameter_of_every_kind_copies_from_one_clause_to_another() {
    use dealsim::agreement::describe::{parameters, Parameter};
    let a = agreement(
        r#"name = "a"
title = "a"
effective = 2026-01-01
[[cap_pools]]
name = "p"
amount = "10B"
[[clauses]]
kind = "fixed-payment"
id = "fixed"
payer = "openai"
payee = "microsoft"
amounts = { 2027-06-30 = "1B" }
[[clauses]]
kind = "minimum-payment"
id = "min"
payer = "openai"
payee = "microsoft"
per_year = "1B"
tops_up = ["fixed"]
end = 2030-12-31
cap_pool = "p"
[[clauses]]
kind = "milestone-payment"
id = "mile"
payer = "openai"
payee = "microsoft"
amount = "1B"
when = 2028-01-01
[[clauses]]
kind = "purchase-commitment"
id = "buy"
buyer = "openai"
seller = "microsoft"
commitment = "100B"
end = 2030-12-31
purchases = { fraction_of = "openai", fraction = "10%" }
shortfall = "none"
"#,
    );
    let b = agreement(
        r#"name = "b"
title = "b"
effective = 2025-01-01
[[clauses]]
kind = "fixed-payment"
id = "fixed"
payer = "microsoft"
payee = "openai"
per_year = "2B"
start = 2026-06-01
end = 2029-12-31
cap = "9B"
payment_lag_days = 30
[[clauses]]
kind = "minimum-payment"
id = "min"
payer = "microsoft"
payee = "openai"
per_year = "3B"
tops_up = ["mile"]
start = 2026-02-01
end = 2031-12-31
payment_lag_days = 10
[[clauses]]
kind = "milestone-payment"
id = "mile"
payer = "microsoft"
payee = "openai"
amount = "7B"
when = { revenue_reaches = "100B" }
end = 2029-12-31
cap = "7B"
[[clauses]]
kind = "purchase-commitment"
id = "buy"
buyer = "microsoft"
seller = "openai"
commitment = "250B"
start = 2026-03-01
end = 2032-12-31
purchases = "bought"
shortfall = "pay-at-end"
payment_lag_days = 5
"#,
    );
    let shown = |agreement: &Agreement, clause: &dealsim::agreement::Clause| -> Vec<(String, String)> {
        parameters(agreement, clause)
            .iter()
            .map(|p: &Parameter| (p.name.to_string(), p.shown().to_string()))
            .collect()
    };
    for (to, from) in a.clauses.iter().zip(&b.clauses) {
        for parameter in parameters(&a, to) {
            let mut copied = to.clone();
            copied.copy_parameter(from, parameter.name);
            let (ours, theirs) = (shown(&a, &copied), shown(&b, from));
            let find = |list: &[(String, String)]| {
                list.iter().find(|(n, _)| *n == parameter.name.to_string()).cloned()
            };
            // The start reads relative to each agreement's effective date when a clause has none.
            if parameter.name == dealsim::agreement::describe::Param::START && from.start().is_none() {
                continue;
            }
            assert_eq!(find(&ours), find(&theirs), "`{}`: {} did not copy", to.id(), parameter.name);
        }
    }
}
