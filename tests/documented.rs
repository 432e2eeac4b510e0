//! The edge cases the book's "Edge cases, as the tool reads them" writes down, each run through the
//! binary and read back from the files a user gets.

use crate::common::{dealsim, repo};
use std::path::Path;

/// Runs `text` as a scenario file (written beside the shipped ones, so its agreement paths
/// resolve) and returns the ledger rows and summary.json.
fn run(text: &str, dir: &Path) -> (Vec<std::collections::HashMap<String, String>>, serde_json::Value) {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("case.toml");
    std::fs::write(&file, text).unwrap();
    dealsim().args(["run", "--no-charts", "--out"]).arg(dir.join("out")).arg(&file).assert().success();
    let name = text.lines().find_map(|l| l.strip_prefix("name = ")).unwrap().trim_matches('"');
    let folder = dir.join("out").join(name);
    let mut reader = csv::Reader::from_path(folder.join("ledger.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect();
    let summary =
        serde_json::from_str(&std::fs::read_to_string(folder.join("summary.json")).unwrap()).unwrap();
    (rows, summary)
}

fn shipped(name: &str) -> String {
    std::fs::read_to_string(repo().join("scenarios").join(name)).unwrap()
}

#[test]
fn prior_payments_at_or_above_the_cap_leave_no_room_and_the_cap_reads_reached() {
    let dir = tempfile::tempdir().unwrap();
    let text = shipped("base.toml")
        .replace("prior_payments_toward_cap = \"0\" ", "prior_payments_toward_cap = \"40B\" ");
    assert!(text.contains("\"40B\""));
    let (rows, summary) = run(&text.replace("scenarios/", ""), dir.path());
    for row in &rows {
        assert_eq!(
            (row["cap_remaining"].as_str(), row["cap_reached"].as_str(), row["share_paid"].as_str()),
            ("0", "true", "0")
        );
    }
    assert_eq!(summary["cap_reached_year"], 2026);
}

#[test]
fn rate_and_rate_schedule_in_one_override_apply_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let original = shipped("rate-falls.toml");
    let first = original.replace(
        "[overrides.\"openai-to-microsoft\"]",
        "[overrides.\"openai-to-microsoft\"]\nrate = \"10%\"",
    );
    let last = format!("{original}rate = \"10%\"\n");
    for text in [first, last] {
        let (rows, _) = run(&text, dir.path());
        let rates: Vec<&str> = rows.iter().map(|r| r["share_rate"].as_str()).collect();
        assert_eq!(&rates[..5], ["0.1", "0.17", "0.14", "0.11", "0.08"]);
    }
}

/// Under the `microsoft-openai` timeline the original share ends on 27 October 2025 and the
/// restructured one starts the next day: 2025-Q4 has a share on all 92 days, `share_days` is the
/// longer of the two (65), `share_rate` the higher (both 20%). The revised cap's room shows whole
/// before its share starts, and summary.effective is the first version's date.
#[test]
fn shares_meeting_in_a_period_cap_room_before_it_starts_and_a_timelines_effective_date() {
    let dir = tempfile::tempdir().unwrap();
    let text = shipped("history.toml")
        .replace("agreements/", &format!("{}/", repo().join("scenarios/agreements").display()));
    let (rows, summary) = run(&text, dir.path());
    let q4 = rows.iter().find(|r| r["period"] == "2025-Q4").unwrap();
    assert_eq!((q4["share_days"].as_str(), q4["share_rate"].as_str()), ("65", "0.2"));
    assert!(rows.iter().all(|r| r["cap_remaining"] == "38000000000"));
    assert_eq!(summary["effective"], "2019-07-22");
}

/// Within one run every total is the exact sum of its rows, quarterly or yearly; the two runs of
/// one year may differ by the cents each period's rounding moves (at most one cent a period).
#[test]
fn rounding_per_period_keeps_each_runs_totals_equal_to_its_rows() {
    use rust_decimal::Decimal;
    let dir = tempfile::tempdir().unwrap();
    let yearly = shipped("base.toml");
    let quarterly = yearly.replace("[revenue.openai]", "periods = \"quarters\"\n\n[revenue.openai]");
    assert_ne!(yearly, quarterly);
    let mut year_2026 = Vec::new();
    for (k, text) in [yearly, quarterly.replace("name = \"base\"", "name = \"base-q\"")].iter().enumerate() {
        let (rows, summary) = run(text, &dir.path().join(k.to_string()));
        let sum = |f: &str| rows.iter().map(|r| r[f].parse::<Decimal>().unwrap()).sum::<Decimal>();
        let total = |f: &str| summary["totals"][f].as_str().unwrap().parse::<Decimal>().unwrap();
        assert_eq!(sum("share_paid"), total("share_paid"));
        assert_eq!(sum("share_due"), total("share_due"));
        let in_2026 =
            rows.iter().filter(|r| r["year"] == "2026").map(|r| r["share_due"].parse::<Decimal>().unwrap());
        year_2026.push((in_2026.clone().sum::<Decimal>(), in_2026.count()));
    }
    let ((yearly_due, _), (quarterly_due, quarters)) = (year_2026[0], year_2026[1]);
    assert_eq!(quarters, 4);
    assert_eq!(
        (yearly_due, quarterly_due),
        (Decimal::new(6_000_000_000, 0), Decimal::new(599_999_999_999, 2))
    );
}

/// `schedule` and `tiers` in an agreement file, plain (an assumption of that file) or sourced.
#[test]
fn schedules_and_tiers_in_an_agreement_file_plain_or_sourced() {
    let dir = tempfile::tempdir().unwrap();
    let plain = "name = \"sched\"\ntitle = \"Schedule\"\neffective = 2026-01-01\n\n[[clauses]]\nkind = \"revenue-share\"\n\
                 id = \"share\"\npayer = \"openai\"\npayee = \"microsoft\"\nrate = \"20%\"\nend = 2030-12-31\n";
    let cases = [
        (format!("{plain}schedule = {{ 2028-01-01 = \"15%\" }}\n"), "rate schedule: 15% from 2028-01-01 (assumption: this file)"),
        (format!("{plain}tiers = {{ \"100B\" = \"10%\" }}\n"), "rate tiers: 10% above 100B a year (assumption: this file)"),
        (
            format!("{plain}\n[clauses.schedule]\nvalue = {{ 2028-01-01 = \"15%\" }}\nbasis = \"assumption\"\nsource = \"a memo\"\n"),
            "rate schedule: 15% from 2028-01-01 (assumption: a memo)",
        ),
    ];
    for (k, (text, says)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("a{k}.toml"));
        std::fs::write(&file, text).unwrap();
        dealsim().arg("terms").arg(&file).assert().success().stdout(predicates::str::contains(*says));
    }
}

/// A growth distribution's median of `1` is 100% a year typed without its sign: refused; the
/// spread `sigma = 1.5` is no growth and runs.
#[test]
fn growth_of_one_or_more_is_refused_in_distribution_parameters_but_not_spreads() {
    let dir = tempfile::tempdir().unwrap();
    let original = "name = \"u\"\nyears = { from = 2026, to = 2028 }\n[revenue.openai]\nby_year = { 2026 = \"30B\" }\ngrowth = { dist = \"lognormal\", median = 0.55, sigma = 0.125 }\n".to_string();
    for (replacement, ok) in [
        ("median = \"1\", sigma = 0.125", false),
        ("median = 0.55, sigma = 1.5", true),
        ("median = \"100%\", sigma = 0.125", true),
    ] {
        let file = dir.path().join("u.toml");
        std::fs::write(&file, original.replace("median = 0.55, sigma = 0.125", replacement)).unwrap();
        let assert = dealsim().arg("check").arg(&file).assert();
        if ok {
            assert.success();
        } else {
            assert
                .code(2)
                .stderr(predicates::str::contains("`1` would be 100% a year: growth is a fraction"));
        }
    }
}

/// `--units M` suffixes money columns `_usd_m`.
#[test]
fn units_m_names_money_columns_usd_m() {
    let dir = tempfile::tempdir().unwrap();
    dealsim()
        .args(["--units", "M", "run", "scenarios/base.toml", "--no-charts", "--out"])
        .arg(dir.path())
        .current_dir(repo())
        .assert()
        .success();
    let header = std::fs::read_to_string(dir.path().join("base/ledger.csv")).unwrap();
    assert!(header
        .lines()
        .next()
        .unwrap()
        .starts_with("year,revenue_usd_m,share_rate,share_due_usd_m,share_paid_usd_m"));
}

/// `early` has a bonus from 2028, but `late` takes over in 2027: the bonus is never in force, the
/// compiled terms leave it out, and `check` and `run` warn, naming it.
#[test]
fn a_timeline_clause_taken_over_before_it_starts_is_left_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let share = |rate: &str| {
        format!("[[clauses]]\nkind = \"revenue-share\"\nid = \"share\"\npayer = \"openai\"\npayee = \"microsoft\"\nrate = \"{rate}\"\nend = 2030-12-31\n")
    };
    let early = format!(
        "name = \"early\"\ntitle = \"Early\"\neffective = 2026-01-01\n\n{}\n[[clauses]]\nkind = \"fixed-payment\"\nid = \"bonus\"\n\
         payer = \"openai\"\npayee = \"microsoft\"\nper_year = \"1B\"\nstart = 2028-01-01\nend = 2030-12-31\n",
        share("20%")
    );
    let late = format!("name = \"late\"\ntitle = \"Late\"\neffective = 2027-01-01\n\n{}", share("10%"));
    let timeline = "name = \"tl\"\ntitle = \"Two versions\"\n\n[[versions]]\nagreement = \"early.toml\"\nfrom = 2026-01-01\n\n\
                    [[versions]]\nagreement = \"late.toml\"\nfrom = 2027-01-01\n";
    for (name, text) in
        [("early.toml", early.as_str()), ("late.toml", late.as_str()), ("timeline.toml", timeline)]
    {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let scenario = format!(
        "name = \"tls\"\nagreement = \"{}\"\nyears = {{ from = 2026, to = 2029 }}\n\n[revenue.openai]\nby_year = {{ 2026 = \"30B\" }}\ngrowth = \"10%\"\n",
        dir.path().join("timeline.toml").display()
    );
    let (rows, summary) = run(&scenario, &dir.path().join("run"));
    assert_eq!(rows.len(), 4);
    let warnings = summary["warnings"].to_string();
    assert!(warnings.contains("clause `early/bonus` of timeline `tl` is never in force"), "{warnings}");
    let flows = std::fs::read_to_string(dir.path().join("run/out/tls/flows.csv")).unwrap();
    assert!(!flows.contains("bonus") && flows.contains("early/share") && flows.contains("late/share"));
    dealsim().arg("check").arg(dir.path().join("run/case.toml")).assert().success().stderr(
        predicates::str::contains("warning: clause `early/bonus` of timeline `tl` is never in force"),
    );
}

/// A cap of 0 is reached from the first period its share is in force; `share_term` reads
/// `in-force` through 2030 and `ended` after, where the rate column is empty.
#[test]
fn a_cap_of_zero_reads_reached_and_share_term_ends_after_2030() {
    let dir = tempfile::tempdir().unwrap();
    let text = shipped("base.toml").replace("cap = \"38B\"", "cap = \"0\"");
    let (rows, summary) = run(&text, dir.path());
    for row in &rows {
        let year: i32 = row["year"].parse().unwrap();
        let term = if year <= 2030 { "in-force" } else { "ended" };
        assert_eq!(
            (row["cap_remaining"].as_str(), row["cap_reached"].as_str(), row["share_term"].as_str()),
            ("0", "true", term),
            "{year}"
        );
        assert_eq!(row["share_rate"].is_empty(), year > 2030);
    }
    assert_eq!(summary["cap_reached_year"], 2026);
}

/// Terms with neither a distribution clause nor an Azure-first clause: a launch ships on other
/// clouds the same day (and on Azure that day when Azure can and Microsoft does support it).
#[test]
fn a_launch_with_no_distribution_clause_ships_everywhere_the_same_day() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path()).unwrap();
    let agreement = dir.path().join("share-only.toml");
    std::fs::write(
        &agreement,
        "name = \"share-only\"\ntitle = \"A share and nothing else\"\neffective = 2026-01-01\n\n[[clauses]]\n\
         kind = \"revenue-share\"\nid = \"share\"\npayer = \"openai\"\npayee = \"microsoft\"\nrate = \"20%\"\nend = 2030-12-31\n",
    )
    .unwrap();
    let scenario = format!(
        "name = \"bare\"\nagreement = \"{}\"\nyears = {{ from = 2026, to = 2027 }}\n\n[revenue.openai]\nby_year = {{ 2026 = \"30B\" }}\n\
         growth = \"10%\"\n\n[[launches]]\nproduct = \"Model\"\ndate = 2026-09-01\nazure_can_support = true\nmicrosoft_supports = true\n",
        agreement.display()
    );
    run(&scenario, &dir.path().join("run"));
    let launches = std::fs::read_to_string(dir.path().join("run/out/bare/launches.csv")).unwrap();
    let row = launches.lines().nth(1).unwrap();
    assert!(row.starts_with("Model,2026-09-01,2026-09-01,2026-09-01,"), "{row}");
}
