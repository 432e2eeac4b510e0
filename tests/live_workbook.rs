//! The workbook is the model: LibreOffice (Debian's `libreoffice-calc`) recalculates every
//! shipped scenario's `ledger.xlsx` from its inputs, with every cached result removed so that it
//! must compute each formula, and every ledger and summary figure equals `ledger.csv` and
//! `summary.json` to the cent. Then an input is edited (cap, share rate, a revenue figure, the
//! discount rate, a parameter of each cash kind) and the recalculated sheet equals `dealsim run
//! --set` of the same change. The edit rewrites the cell in the workbook's XML with the `zip`
//! crate: an independent writer, not dealsim's. Without LibreOffice the tests say SKIPPED on the
//! real standard error.

use crate::common::{dealsim, loud, repo};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

fn soffice() -> Option<PathBuf> {
    let runs =
        |path: &PathBuf| Command::new(path).arg("--version").output().is_ok_and(|o| o.status.success());
    if let Some(path) = std::env::var_os("DEALSIM_SOFFICE") {
        return Some(PathBuf::from(path)).filter(runs);
    }
    ["soffice", "libreoffice"].into_iter().map(PathBuf::from).find(runs)
}

/// An edit: the defined name of an input cell (or `NAME[k]`, the k-th cell down a named range)
/// and the number it gets (a date as its serial).
type Edit<'a> = (&'a str, String);

/// `xlsx` rewritten to `out`: each edit's cell set to its number, and every formula's cached
/// result dropped (so a reader must recalculate).
fn edit_workbook(xlsx: &Path, out: &Path, edits: &[Edit]) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.push((entry.name().unwrap().to_string(), bytes));
    }
    let text =
        |name: &str| String::from_utf8(files.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap();
    let workbook = text("xl/workbook.xml");
    // rust_xlsxwriter writes sheet N (in the workbook's order) to xl/worksheets/sheetN.xml.
    let sheets: Vec<String> = workbook
        .split("<sheet ")
        .skip(1)
        .map(|s| s.split("name=\"").nth(1).unwrap().split('"').next().unwrap().to_string())
        .collect();
    let mut cell_edits: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (target, value) in edits {
        // `NAME`, or `NAME[k]`: the k-th cell (from 0) down a named range.
        let (name, offset) = match target.split_once('[') {
            Some((name, k)) => (name, k.trim_end_matches(']').parse::<u32>().unwrap()),
            None => (*target, 0),
        };
        let marker = format!("name=\"{name}\">");
        let at = workbook.find(&marker).unwrap_or_else(|| panic!("no defined name {name}"));
        let reference = workbook[at + marker.len()..].split('<').next().unwrap();
        let (sheet, range) = reference.rsplit_once('!').unwrap();
        let sheet = sheet.trim_matches('\'');
        let index = sheets.iter().position(|s| s == sheet).unwrap();
        let first = range.split(':').next().unwrap().replace('$', "");
        let letters: String = first.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let row: u32 = first[letters.len()..].parse().unwrap();
        let cell = format!("{letters}{}", row + offset);
        cell_edits
            .entry(format!("xl/worksheets/sheet{}.xml", index + 1))
            .or_default()
            .push((cell, value.clone()));
    }
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for (name, bytes) in files {
        let mut bytes = bytes;
        if name.starts_with("xl/worksheets/sheet") {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (cell, value) in cell_edits.get(&name).into_iter().flatten() {
                let start = xml.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("no cell {cell}"));
                let open = start + xml[start..].find('>').unwrap();
                let end = if xml[..open].ends_with('/') {
                    open + 1
                } else {
                    open + xml[open..].find("</c>").unwrap() + 4
                };
                xml.replace_range(start..end, &format!("<c r=\"{cell}\"><v>{value}</v></c>"));
            }
            bytes = strip_cached(&xml).into_bytes();
        }
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
}

/// Drops every `<v>` that follows a formula's `</f>`.
fn strip_cached(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("</f><v>") {
        out.push_str(&rest[..at + 4]);
        let after = &rest[at + 4..];
        rest = &after[after.find("</v>").unwrap() + 4..];
    }
    out.push_str(rest);
    out
}

/// LibreOffice recalculates each workbook and writes one CSV per sheet (`NAME-Sheet.csv`), all in
/// one run of it.
fn recalculate(soffice: &Path, books: &[PathBuf], out: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(soffice)
        .env("HOME", profile.path())
        .args(["--headless", "--convert-to"])
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(out)
        .args(books)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice: {}", String::from_utf8_lossy(&status.stderr));
}

fn csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
}

/// A recalculated figure to the cent (LibreOffice writes up to 15 significant digits).
fn cents(text: &str) -> Decimal {
    let value = Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .unwrap_or_else(|_| panic!("`{text}` is not a number"));
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// The Ledger sheet's columns and the `ledger.csv` columns they must equal.
const COLUMNS: &[(&str, &str)] = &[
    ("OpenAI revenue", "revenue"),
    ("Share due", "share_due"),
    ("Share paid", "share_paid"),
    ("Cumulative paid", "cumulative_paid"),
    ("Cap remaining", "cap_remaining"),
    ("Microsoft share paid", "microsoft_share_paid"),
    ("Net to Microsoft", "net_to_microsoft"),
    ("Cash net to Microsoft", "cash_net_to_microsoft"),
    ("Other paid to Microsoft", "other_paid_to_microsoft"),
    ("Other paid to OpenAI", "other_paid_to_openai"),
    ("Purchases", "purchases"),
    ("Cap reached", "cap_reached"),
];

/// Every ledger figure of the recalculated `sheets` (the CSVs' common prefix) equals the run in
/// `folder`, and the Summary's totals and present value equal its summary. `what` names the case.
fn assert_equal(sheets: &Path, folder: &Path, what: &str) {
    assert_ledger(&PathBuf::from(format!("{}-Ledger.csv", sheets.display())), folder, what);
    assert_summary(sheets, folder, what);
}

/// Every figure of a recalculated ledger sheet equals `ledger.csv` in `folder`.
fn assert_ledger(sheet: &Path, folder: &Path, what: &str) {
    let recalculated = csv(sheet);
    let expected = csv(&folder.join("ledger.csv"));
    let (header, rows) = (&recalculated[0], &recalculated[1..]);
    let (names, exact) = (&expected[0], &expected[1..]);
    assert_eq!(rows.len(), exact.len() + 1, "{what}: periods and a totals row");
    for (heading, key) in COLUMNS {
        let column =
            header.iter().position(|h| h.starts_with(heading)).unwrap_or_else(|| panic!("{heading}"));
        let key_column = names.iter().position(|n| n == key).unwrap();
        for (row, exact_row) in rows.iter().zip(exact) {
            let (got, want) = (&row[column], &exact_row[key_column]);
            let equal = match *key {
                "cap_reached" => got.eq_ignore_ascii_case(want),
                _ if want.is_empty() => got.is_empty(),
                _ => cents(got) == Decimal::from_str(want).unwrap(),
            };
            assert!(equal, "{what}: {key} in {}: the sheet gives {got}, dealsim {want}", row[0]);
        }
    }
}

/// The Summary sheet's totals, present value and cap year equal `summary.json` in `folder`.
fn assert_summary(sheets: &Path, folder: &Path, what: &str) {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
    let sheet = csv(&PathBuf::from(format!("{}-Summary.csv", sheets.display())));
    let row =
        |label: &str| sheet.iter().find(|r| r[0] == label).unwrap_or_else(|| panic!("{what}: no `{label}`"));
    let figure = |path: &[&str]| {
        let value = path.iter().fold(&summary, |v, k| &v[*k]);
        Decimal::from_str(value.as_str().unwrap()).unwrap()
    };
    for (label, path) in [
        ("Share paid to Microsoft", &["totals", "share_paid"][..]),
        ("Net to Microsoft", &["totals", "net_to_microsoft"]),
        ("Cash net to Microsoft within the run", &["totals", "cash_net_to_microsoft"]),
    ] {
        assert_eq!(cents(&row(label)[1]), figure(path), "{what}: {label}");
    }
    assert_eq!(cents(&row("Present value")[4]), figure(&["present_value", "net_to_microsoft"]), "{what}: PV");
    let year = summary["cap_reached_year"].as_i64().map_or("never".to_string(), |y| y.to_string());
    assert_eq!(row("Cap reached in")[1], year, "{what}: cap reached in");
}

fn run(scenario: &Path, out: &Path, set: &[&str]) -> PathBuf {
    let mut cmd = dealsim();
    cmd.arg("run").arg(scenario).arg("--out").arg(out).arg("--no-charts");
    for s in set {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
    // One folder per scenario; a `--set` run puts its variant in a folder of that name.
    let folder = std::fs::read_dir(out).unwrap().next().unwrap().unwrap().path();
    set.iter().fold(folder, |f, s| f.join(s))
}

#[test]
fn every_shipped_workbook_recalculates_in_libreoffice_to_the_ledger() {
    let Some(soffice) = soffice() else {
        loud("!!! SKIPPED: no LibreOffice found (install Debian's `libreoffice-calc`, or set DEALSIM_SOFFICE); the workbooks were not recalculated !!!");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for path in crate::common::shipped_scenarios() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let folder = run(&path, &work.path().join(&name), &[]);
        let book = work.path().join(format!("{name}.xlsx"));
        edit_workbook(&folder.join("ledger.xlsx"), &book, &[]);
        cases.push((name, folder, book));
    }
    assert!(cases.len() >= 10, "the shipped scenarios");
    let out = work.path().join("csv");
    recalculate(&soffice, &cases.iter().map(|c| c.2.clone()).collect::<Vec<_>>(), &out);
    for (name, folder, _) in &cases {
        assert_equal(&out.join(name), folder, name);
    }
}

/// A scenario file copied with `from` replaced by `to` (its agreement path made absolute).
fn edited_scenario(scenario: &str, from: &str, to: &str, dir: &Path) -> PathBuf {
    let path = repo().join("scenarios").join(scenario);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{scenario} has `{from}`");
    let text = text.replace(from, to).replace(
        "agreement = \"agreements/",
        &format!("agreement = \"{}/scenarios/agreements/", repo().display()),
    );
    let out = dir.join(scenario);
    std::fs::write(&out, text).unwrap();
    out
}

#[test]
fn an_edited_input_recalculates_to_dealsims_run_of_the_same_change() {
    let Some(soffice) = soffice() else {
        loud("!!! SKIPPED: no LibreOffice found (install Debian's `libreoffice-calc`, or set DEALSIM_SOFFICE); edited workbooks were not recalculated !!!");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let scenarios = repo().join("scenarios");
    // (scenario, the defined name edited, its new number, what `--set` says).
    let cases: &[(&str, &str, &str, &str)] = &[
        ("base.toml", "cap", "60000000000", "cap=60B"),
        ("base.toml", "share_rate", "0.25", "share_rate=25%"),
        ("base.toml", "discount_rate", "0.05", "discount_rate=5%"),
        ("floor.toml", "cap", "60000000000", "cap=60B"),
        ("floor.toml", "openai_minimum.per_year", "3000000000", "openai-minimum.per_year=3B"),
        (
            "milestone.toml",
            "revenue_milestone.revenue_reaches",
            "125000000000",
            "revenue-milestone.revenue_reaches=125B",
        ),
        ("milestone.toml", "share_rate", "0.25", "share_rate=25%"),
        (
            "azure-commitment.toml",
            "azure_commitment.commitment",
            "300000000000",
            "azure-commitment.commitment=300B",
        ),
        ("azure-commitment.toml", "cap", "60000000000", "cap=60B"),
    ];
    let mut books = Vec::new();
    let mut expected = Vec::new();
    for (i, (scenario, name, value, set)) in cases.iter().enumerate() {
        let path = scenarios.join(scenario);
        let original = run(&path, &work.path().join(format!("original-{i}")), &[]);
        let changed = run(&path, &work.path().join(format!("changed-{i}")), &[set]);
        let book = work.path().join(format!("case{i}.xlsx"));
        edit_workbook(&original.join("ledger.xlsx"), &book, &[(name, value.to_string())]);
        books.push(book);
        expected.push((format!("case{i}"), changed, format!("{scenario} with {set}")));
    }
    // A revenue figure: OpenAI's 2027 revenue in the base case, 62B → 80B.
    let base = run(&scenarios.join("base.toml"), &work.path().join("revenue-original"), &[]);
    let edited = edited_scenario("base.toml", "2027 = \"62B\"", "2027 = \"80B\"", work.path());
    let changed = run(&edited, &work.path().join("revenue-changed"), &[]);
    let book = work.path().join("revenue.xlsx");
    edit_workbook(&base.join("ledger.xlsx"), &book, &[("revenue.openai[1]", "80000000000".to_string())]);
    books.push(book);
    expected.push(("revenue".to_string(), changed, "base.toml with 2027 revenue 80B".to_string()));
    let out = work.path().join("csv");
    recalculate(&soffice, &books, &out);
    for (name, folder, what) in &expected {
        assert_equal(&out.join(name), folder, what);
    }
}

/// Terms with every shape of due the plan has: a scheduled share in a pool with prior payments and
/// a lag, a minimum topping it up in the pool, a yearly fixed payment back and lump sums, a
/// milestone on revenue to date, and Microsoft's share of its own revenue under marginal tiers, by
/// quarter (partial periods at each start and end).
const EVERY_SHAPE: &str = r#"name = "every-shape"
title = "Every shape of due"
effective = 2026-01-01

[[cap_pools]]
name = "pool"
amount = "30B"
prior_payments = "1B"

[[clauses]]
kind = "revenue-share"
id = "share"
payer = "openai"
payee = "microsoft"
rate = "20%"
start = 2026-03-15
end = 2029-08-31
cap_pool = "pool"
payment_lag_days = 45

[[clauses]]
kind = "minimum-payment"
id = "floor"
payer = "openai"
payee = "microsoft"
per_year = "4B"
tops_up = ["share"]
end = 2029-08-31
cap_pool = "pool"

[[clauses]]
kind = "fixed-payment"
id = "fee"
payer = "microsoft"
payee = "openai"
per_year = "500M"
start = 2026-04-01
end = 2028-06-30

[[clauses]]
kind = "fixed-payment"
id = "lump"
payer = "openai"
payee = "microsoft"
amounts = { 2027-06-30 = "1B", 2031-01-01 = "2B" }

[[clauses]]
kind = "milestone-payment"
id = "mile"
payer = "microsoft"
payee = "openai"
amount = "3B"
when = { cumulative_revenue_reaches = "60B" }

[[clauses]]
kind = "revenue-share"
id = "back"
payer = "microsoft"
payee = "openai"
rate = "10%"
end = 2029-12-31
[clauses.base]
stream = "microsoft-openai-products"
fraction = "1"
"#;

const EVERY_SHAPE_SCENARIO: &str = r#"name = "every-shape"
agreement = "terms.toml"
years = { from = 2026, to = 2029 }
periods = "quarters"

[revenue.openai]
by_year = { 2026 = "30B", 2027 = "62B", 2028 = "100B", 2029 = "125B" }

[revenue.microsoft]
by_year = { 2026 = "10B", 2027 = "20B", 2028 = "35B", 2029 = "40B" }

[assumptions]
discount_rate = "8%"

[overrides."share"]
rate_schedule = { 2027-07-01 = "15%", 2028-10-15 = "12%" }

[overrides."back"]
rate_tiers = { "20B" = "5%", "30B" = "2%" }
"#;

#[test]
fn every_shape_of_due_recalculates_and_each_kinds_parameter_is_live() {
    let Some(soffice) = soffice() else {
        loud("!!! SKIPPED: no LibreOffice found (install Debian's `libreoffice-calc`, or set DEALSIM_SOFFICE); the every-shape workbook was not recalculated !!!");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("terms.toml"), EVERY_SHAPE).unwrap();
    let scenario = work.path().join("every-shape.toml");
    std::fs::write(&scenario, EVERY_SHAPE_SCENARIO).unwrap();
    let original = run(&scenario, &work.path().join("original"), &[]);
    let ledger = std::fs::read_to_string(original.join("ledger.csv")).unwrap();
    assert!(ledger.lines().count() == 17, "16 quarters");
    let cases: &[(&str, &str, &str)] = &[
        ("", "", ""),
        ("fee.per_year", "800000000", "fee.per_year=800M"),
        ("floor.per_year", "9000000000", "floor.per_year=9B"),
        ("mile.cumulative_revenue_reaches", "150000000000", "mile.cumulative_revenue_reaches=150B"),
        ("share.payment_lag_days", "120", "share.payment_lag_days=120"),
        ("cap_pools.pool.amount", "20000000000", "cap=20B"),
        ("share.start", "46174", "cap_counts_from=2026-06-01"),
    ];
    let mut books = Vec::new();
    let mut expected = Vec::new();
    for (i, (name, value, set)) in cases.iter().enumerate() {
        let book = work.path().join(format!("shape{i}.xlsx"));
        let edits: Vec<Edit> = if name.is_empty() { Vec::new() } else { vec![(name, value.to_string())] };
        edit_workbook(&original.join("ledger.xlsx"), &book, &edits);
        let changed = if set.is_empty() {
            original.clone()
        } else {
            run(&scenario, &work.path().join(format!("changed-{i}")), &[set])
        };
        books.push(book);
        expected.push((format!("shape{i}"), changed, format!("every shape with {set}")));
    }
    let out = work.path().join("csv");
    recalculate(&soffice, &books, &out);
    for (name, folder, what) in &expected {
        assert_equal(&out.join(name), folder, what);
    }
}

#[test]
fn a_comparison_workbook_recalculates_each_scenarios_ledger() {
    let Some(soffice) = soffice() else {
        loud("!!! SKIPPED: no LibreOffice found (install Debian's `libreoffice-calc`, or set DEALSIM_SOFFICE); compare.xlsx was not recalculated !!!");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let names = ["base", "bear", "floor"];
    let files: Vec<String> = names.iter().map(|n| format!("scenarios/{n}.toml")).collect();
    dealsim().arg("compare").args(&files).arg("--out").arg(work.path()).arg("--no-charts").assert().success();
    let book = work.path().join("compare.xlsx");
    edit_workbook(&work.path().join("compare/compare.xlsx"), &book, &[]);
    let out = work.path().join("csv");
    recalculate(&soffice, &[book], &out);
    for name in names {
        let folder = run(&repo().join(format!("scenarios/{name}.toml")), &work.path().join(name), &[]);
        assert_ledger(&out.join(format!("compare-{name}.csv")), &folder, &format!("compare.xlsx, {name}"));
    }
}
