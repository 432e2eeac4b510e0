//! Monte Carlo in shards: a run cut into parts anywhere and merged equals the run made in one
//! piece, to the byte; the merge refuses parts of another run, a part given twice or missing,
//! a damaged or foreign file, and a scenario file changed since.

use crate::common::*;
use dealsim::analysis::montecarlo::shard::{RunIdentity, Shard, ShardError, ShardSketch};
use dealsim::analysis::montecarlo::{run, Plan, CHUNK};
use dealsim::scenario::dist::Dist;
use dealsim::scenario::GrowthSource;
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A scenario drawing both revenues and its cap, discounted: every sketch a shard keeps is used.
fn drawn_scenario() -> dealsim::Scenario {
    let mut s = scenario(2026, vec![Decimal::from(30_000_000_000i64); 6]);
    let growth = Dist::LogNormal { median: Decimal::new(4, 1), sigma: Decimal::new(25, 2) };
    for i in 1..6 {
        s.openai_growth[i] = GrowthSource::Random(growth);
        s.microsoft_growth[i] = GrowthSource::Random(growth);
        s.openai_revenue[i] = dealsim::money::round_money(s.openai_revenue[i - 1] * Decimal::new(14, 1));
    }
    s.microsoft_revenue =
        s.openai_revenue.iter().map(|r| dealsim::money::round_money(*r / Decimal::from(3))).collect();
    s.terms.cap = Some(Decimal::from(38_000_000_000i64));
    s.terms.effective_date = Some(date(2026, 4, 27));
    s
}

fn identity(paths: u64, seed: u64) -> RunIdentity {
    RunIdentity {
        scenario: "prop".into(),
        scenario_file: "prop.toml".into(),
        scenario_fingerprint: "0".into(),
        agreement: "revised".into(),
        paths,
        seed,
        dealsim: "test".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The parts of any cut, merged in any order, are the whole run.
    #[test]
    fn shards_merged_in_any_order_equal_the_whole_run(
        paths in 1u64..30_000, of in 1u64..7, seed in any::<u64>(), rotate in 0usize..7,
    ) {
        let s = drawn_scenario();
        let plan = Plan::new(&resolved("revised", &s), &s).unwrap();
        let whole = run(&plan, paths, seed, &|_| {}).unwrap();
        let mut parts: Vec<ShardSketch> = (1..=of)
            .map(|i| ShardSketch::run(&plan, identity(paths, seed), Shard::new(i, of).unwrap(), &|_| {}, &|| false).unwrap())
            .collect();
        let by = rotate % parts.len();
        parts.rotate_left(by);
        // Each part survives its file.
        let parts: Vec<ShardSketch> = parts.iter().map(|p| ShardSketch::from_json(&p.to_json()).unwrap()).collect();
        let merged = ShardSketch::merge(&parts).unwrap().finish(&plan).unwrap();
        prop_assert_eq!(serde_json::to_string(&merged).unwrap(), serde_json::to_string(&whole).unwrap());
        prop_assert_eq!(merged.total_paid_histogram, whole.total_paid_histogram);
    }

    /// The parts' chunks cover the run's chunks once each, in order, as evenly as they go.
    #[test]
    fn shard_chunks_partition_the_run(paths in 1u64..100_000_000, of in 1u64..1000) {
        let chunks = paths.div_ceil(CHUNK);
        let mut next = 0;
        for i in 1..=of {
            let range = Shard::new(i, of).unwrap().chunks(paths);
            prop_assert_eq!(range.start, next);
            prop_assert!(range.end - range.start <= chunks / of + 1);
            next = range.end;
        }
        prop_assert_eq!(next, chunks);
    }
}

#[test]
fn shard_specs_are_one_based_parts_of_a_whole() {
    assert_eq!(Shard::parse("3/16"), Ok(Shard { index: 3, of: 16 }));
    for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] {
        assert!(matches!(Shard::parse(bad), Err(ShardError::Spec { .. })), "{bad}");
    }
}

#[test]
fn merging_refuses_parts_of_other_runs_repeats_gaps_and_damage() {
    let s = drawn_scenario();
    let plan = Plan::new(&resolved("revised", &s), &s).unwrap();
    let part = |i, of, seed| {
        ShardSketch::run(&plan, identity(5_000, seed), Shard::new(i, of).unwrap(), &|_| {}, &|| false)
            .unwrap()
    };
    let (a, b) = (part(1, 2, 7), part(2, 2, 7));
    let err = ShardSketch::merge(&[a.clone(), part(2, 2, 8)]).unwrap_err();
    assert_eq!(err.to_string(), "the shards are of different runs: --seed is 7 in one and 8 in another");
    assert_eq!(
        ShardSketch::merge(&[a.clone(), a.clone()]).unwrap_err(),
        ShardError::Repeated { shard: Shard { index: 1, of: 2 } }
    );
    let err = ShardSketch::merge(std::slice::from_ref(&b)).unwrap().finish(&plan).unwrap_err();
    assert_eq!(err.to_string(), "shard(s) 1 of 2 are missing: merge every shard of the run");
    assert_eq!(ShardSketch::merge(&[]).unwrap_err(), ShardError::Empty);
    // A count changed by hand no longer adds up.
    let text = a.to_json().replacen("\"count\":", "\"count\":1", 1);
    assert!(matches!(ShardSketch::from_json(&text), Err(ShardError::Damaged { .. })), "{text:.200}");
    assert!(matches!(ShardSketch::from_json("{\"paths\": 3}"), Err(ShardError::NotASketch { .. })));
    let newer = a.to_json().replacen("\"version\":1", "\"version\":2", 1);
    assert_eq!(ShardSketch::from_json(&newer).unwrap_err(), ShardError::Version { found: 2 });
}

/// Every file of `dir`, relative path → bytes.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::common::files_in(dir)
        .into_iter()
        .map(|path| (path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&path).unwrap()))
        .collect()
}

#[test]
fn the_cli_runs_shards_and_merges_them_into_the_whole_runs_files_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let (whole, merged) = (tmp.path().join("whole"), tmp.path().join("merged"));
    let base = ["montecarlo", "scenarios/uncertain.toml", "--paths", "20000", "--seed", "11"];
    dealsim().args(base).arg("--out").arg(&whole).assert().success();
    let parts: Vec<_> = (1..=3).map(|i| tmp.path().join(format!("part-{i}.json"))).collect();
    for (i, part) in parts.iter().enumerate() {
        dealsim()
            .args(base)
            .args(["--shard", &format!("{}/3", i + 1), "--sketch-out"])
            .arg(part)
            .assert()
            .success()
            .stdout(predicate::str::starts_with(format!("Shard {}/3 of 20,000 paths (seed 11): ", i + 1)));
    }
    dealsim().arg("merge").args(parts.iter().rev()).arg("--out").arg(&merged).assert().success().stdout(
        predicate::str::contains("Merged 3 sketch file(s). Wrote montecarlo.csv, montecarlo.json, fan.png"),
    );
    let (a, b) = (files_under(&whole), files_under(&merged));
    assert!(
        a.contains_key("uncertain/montecarlo/montecarlo.json")
            && a.contains_key("uncertain/montecarlo/report.html"),
        "{:?}",
        a.keys()
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs");
    }
}

#[test]
fn the_cli_refuses_a_shard_without_a_sketch_a_missing_part_and_a_changed_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("mine.toml");
    std::fs::copy(repo().join("scenarios/uncertain.toml"), &scenario).unwrap();
    dealsim()
        .args(["montecarlo", "scenarios/uncertain.toml", "--shard", "1/2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shard needs --sketch-out FILE"));
    dealsim()
        .args(["montecarlo", "scenarios/uncertain.toml", "--shard", "3/2", "--sketch-out", "x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shard `3/2` is not I/N with 1 <= I <= N"));
    let part = tmp.path().join("part.json");
    dealsim()
        .arg("montecarlo")
        .arg(&scenario)
        .args(["--paths", "9000", "--shard", "1/2", "--sketch-out"])
        .arg(&part)
        .assert()
        .success();
    let out = tmp.path().join("out");
    dealsim()
        .arg("merge")
        .arg(&part)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard(s) 2 of 2 are missing"));
    dealsim()
        .args(["merge"])
        .arg(&part)
        .arg(&part)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard 1/2 is given twice"));
    let second = tmp.path().join("second.json");
    dealsim()
        .arg("montecarlo")
        .arg(&scenario)
        .args(["--paths", "9000", "--shard", "2/2", "--sketch-out"])
        .arg(&second)
        .assert()
        .success();
    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, format!("{text}\n# edited\n")).unwrap();
    dealsim()
        .arg("merge")
        .arg(&part)
        .arg(&second)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mine.toml has changed since its shards ran"));
    let other = tmp.path().join("other.json");
    std::fs::write(&other, "{\"format\": \"something-else\"}").unwrap();
    dealsim()
        .arg("merge")
        .arg(&other)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("other.json: not a dealsim Monte Carlo sketch"));
    assert!(!out.exists(), "a refused merge writes nothing");
}
