//! The Excel workbooks, read back with an independent reader (calamine): values equal the
//! ledger, totals and present values are formulas, money is a number with a number format,
//! dates are dates, and the same input gives the same bytes.

use crate::common::{dealsim, repo};
use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn run(args: &[&str], out: &Path) {
    dealsim().current_dir(repo()).args(args).arg("--out").arg(out).arg("--no-charts").assert().success();
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn decimal(v: &serde_json::Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("{v} is not a decimal string"))).unwrap()
}

/// A cell as the exact decimal Excel would show to 15 digits.
fn number(cell: &Data) -> Decimal {
    match cell {
        Data::Float(f) => Decimal::from_str(&f.to_string()).unwrap(),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("expected a number, found {other:?}"),
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

#[test]
fn a_runs_workbook_has_the_ledger_as_numbers_with_formula_totals_and_a_present_value_to_rebuild() {
    let out = tempfile::tempdir().unwrap();
    run(&["run", "scenarios/base.toml", "--against", "pre-revision"], out.path());
    let folder = out.path().join("base");
    let ledger = json(&folder.join("ledger.json"));
    let summary = json(&folder.join("summary.json"));
    let mut book: Xlsx<_> = open_workbook(folder.join("ledger.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Summary", "Inputs", "Ledger", "Flows", "Assumptions", "Against", "Attribution"]
    );

    // Ledger: one row per period, money as numbers equal to the exact ledger.
    let sheet = book.worksheet_range("Ledger").unwrap();
    let rows = ledger["rows"].as_array().unwrap();
    assert_eq!(sheet.height(), rows.len() + 2, "header, periods, totals");
    assert_eq!(cell_text(&sheet[(0, 6)]), "Share paid (USD)");
    for (i, row) in rows.iter().enumerate() {
        let r = i + 1;
        assert_eq!(cell_text(&sheet[(r, 0)]), row["period"]["label"].as_str().unwrap());
        assert!(matches!(sheet[(r, 1)], Data::DateTime(_)), "start is a date: {:?}", sheet[(r, 1)]);
        assert_eq!(number(&sheet[(r, 3)]), decimal(&row["revenue"]));
        assert_eq!(number(&sheet[(r, 6)]), decimal(&row["share_paid"]));
        assert_eq!(number(&sheet[(r, 11)]), decimal(&row["net_to_microsoft"]));
        assert_eq!(sheet[(r, 9)], Data::Bool(row["cap_reached"].as_bool().unwrap()));
    }
    // Totals: formulas, with the exact totals as their results.
    let totals = rows.len() + 1;
    assert_eq!(cell_text(&sheet[(totals, 0)]), "Total");
    assert_eq!(number(&sheet[(totals, 6)]), decimal(&summary["totals"]["share_paid"]));
    assert_eq!(number(&sheet[(totals, 11)]), decimal(&summary["totals"]["net_to_microsoft"]));
    let formulas = book.worksheet_formula("Ledger").unwrap();
    let total_row = u32::try_from(totals).unwrap();
    assert_eq!(formulas.get_value((total_row, 6)).unwrap(), &format!("SUM(G2:G{})", totals));
    assert_eq!(formulas.get_value((total_row, 3)).unwrap(), &format!("SUM(D2:D{})", totals));

    // Formats: money `#,##0.00`, dates `yyyy-mm-dd`, a frozen header.
    let styles = book.worksheet_style("Ledger").unwrap();
    let format = |pos: (u32, u32)| {
        styles
            .get(pos)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    };
    assert_eq!(format((1, 6)), "#,##0.00");
    assert_eq!(format((total_row, 6)), "#,##0.00");
    assert_eq!(format((1, 1)), "yyyy-mm-dd");
    assert_eq!(format((1, 4)), "0.00%");

    // Summary: totals point at the ledger's totals; the present value is rebuilt from a rate
    // cell, a discount factor per period and a SUM, with dealsim's exact figure as its result.
    let sheet = book.worksheet_range("Summary").unwrap();
    let formulas = book.worksheet_formula("Summary").unwrap();
    let find = |label: &str| {
        (0..sheet.height())
            .find(|r| sheet[(*r, 0)] == Data::String(label.to_string()))
            .unwrap_or_else(|| panic!("no `{label}` row on the Summary sheet"))
    };
    let net = find("Net to Microsoft");
    assert_eq!(number(&sheet[(net, 1)]), decimal(&summary["totals"]["net_to_microsoft"]));
    assert_eq!(formulas.get_value((net as u32, 1)).unwrap(), &format!("Ledger!L{}", totals + 1));
    let pv = find("Present value");
    assert_eq!(number(&sheet[(pv, 4)]), decimal(&summary["present_value"]["net_to_microsoft"]));
    let first = find("2026");
    assert!(formulas.get_value((pv as u32, 4)).unwrap().starts_with(&format!("ROUND(SUM(E{}:E", first + 1)));
    let rate = find("Discount rate (a year)");
    assert_eq!(number(&sheet[(rate, 1)]), Decimal::from_str("0.08").unwrap());
    assert_eq!(formulas.get_value((rate as u32, 1)).unwrap(), "Inputs!$B$10", "the rate is an input's");
    assert_eq!(
        formulas.get_value((first as u32, 3)).unwrap(),
        &format!("1/(1+$B${})^B{}", rate + 1, first + 1),
        "each factor is a formula of the rate cell"
    );
    // The factors, recomputed here from the sheet's own years and rate, rebuild dealsim's PV.
    let mut rebuilt = 0.0;
    for r in first..pv {
        let years = number(&sheet[(r, 1)]).to_string().parse::<f64>().unwrap();
        let cash = number(&sheet[(r, 2)]).to_string().parse::<f64>().unwrap();
        rebuilt += cash / 1.08f64.powf(years);
    }
    let exact = decimal(&summary["present_value"]["net_to_microsoft"]).to_string().parse::<f64>().unwrap();
    assert!((rebuilt - exact).abs() < 0.01, "PV rebuilt in the sheet {rebuilt} vs dealsim {exact}");
    let cap = find("Cap (total, OpenAI → Microsoft)");
    assert_eq!(number(&sheet[(cap, 1)]), Decimal::from(38_000_000_000u64));
    assert_eq!(number(&sheet[(find("Cap reached in"), 1)]), Decimal::from(2028));

    // Assumptions: every parameter with its basis and source.
    let sheet = book.worksheet_range("Assumptions").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0], ["Clause", "Parameter", "Value", "Basis", "Source"]);
    let cap_row = rows.iter().find(|r| r[1] == "cap").expect("a cap row");
    assert_eq!(cap_row[3], "assumption");
    assert!(cap_row[4].contains("assumptions.cap"), "{cap_row:?}");
    assert!(rows.iter().any(|r| r[1] == "discount rate" && r[2] == "8%"), "{rows:?}");

    // Attribution: the steps add up, by formula, to the gain against the other agreement.
    let against = json(&folder.join("against-pre-revision/against.json"));
    let sheet = book.worksheet_range("Attribution").unwrap();
    let last = sheet.height() - 1;
    assert_eq!(cell_text(&sheet[(last, 0)]), "Total");
    assert_eq!(number(&sheet[(last, 1)]), decimal(&against["microsoft_gain"]));
    assert_eq!(number(&sheet[(last, 3)]), decimal(&against["microsoft_gain"]), "Shapley sums to the total");
    let formulas = book.worksheet_formula("Attribution").unwrap();
    assert_eq!(formulas.get_value((last as u32, 1)).unwrap(), &format!("SUM(B3:B{last})"));
    assert!(cell_text(&sheet[(0, 0)]).starts_with("Values, not formulas"), "a sheet of values says so first");
}

#[test]
fn units_change_the_format_not_the_numbers_and_workbooks_and_reports_are_byte_identical() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run(&["run", "scenarios/base.toml", "--units", "B"], a.path());
    run(&["run", "scenarios/base.toml", "--units", "B"], b.path());
    let path = |dir: &Path| dir.join("base/ledger.xlsx");
    assert_eq!(std::fs::read(path(a.path())).unwrap(), std::fs::read(path(b.path())).unwrap(), "same bytes");
    let html = |dir: &Path| std::fs::read(dir.join("base/report.html")).unwrap();
    assert_eq!(html(a.path()), html(b.path()), "report.html: same bytes, no timestamp");
    let mut book: Xlsx<_> = open_workbook(path(a.path())).unwrap();
    let sheet = book.worksheet_range("Ledger").unwrap();
    assert_eq!(cell_text(&sheet[(0, 6)]), "Share paid (USD bn)");
    let ledger = json(&a.path().join("base/ledger.json"));
    assert_eq!(number(&sheet[(1, 6)]), decimal(&ledger["rows"][0]["share_paid"]), "still dollars");
    let styles = book.worksheet_style("Ledger").unwrap();
    let code = styles.get((1, 6)).and_then(|s| s.number_format.clone()).unwrap().format_code;
    assert_eq!(code, "#,##0.000,,,\" B\"");
}

#[test]
fn a_comparison_workbook_has_a_sheet_per_scenario_and_a_comparison_of_formulas() {
    let out = tempfile::tempdir().unwrap();
    run(
        &[
            "compare",
            "scenarios/base.toml",
            "scenarios/bear.toml",
            "scenarios/bull.toml",
            "--against",
            "pre-revision",
        ],
        out.path(),
    );
    let mut book: Xlsx<_> = open_workbook(out.path().join("compare/compare.xlsx")).unwrap();
    let sheets: Vec<String> = ["base", "bear", "bull"]
        .iter()
        .flat_map(|s| [format!("{s} inputs"), s.to_string(), format!("{s} flows")])
        .collect();
    let mut expected = vec!["Comparison".to_string()];
    expected.extend(sheets);
    expected.push("Assumptions".to_string());
    assert_eq!(book.sheet_names(), expected);
    let csv = std::fs::read_to_string(out.path().join("compare/compare.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let sheet = book.worksheet_range("Comparison").unwrap();
    let formulas = book.worksheet_formula("Comparison").unwrap();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let r = i + 1;
        assert_eq!(cell_text(&sheet[(r, 0)]), &record[column("scenario")]);
        assert_eq!(number(&sheet[(r, 9)]), Decimal::from_str(&record[column("net_to_microsoft")]).unwrap());
        assert_eq!(
            number(&sheet[(r, 10)]),
            Decimal::from_str(&record[column("present_value_net_to_microsoft")]).unwrap()
        );
        assert_eq!(
            number(&sheet[(r, 12)]),
            Decimal::from_str(&record[column("microsoft_gain_against")]).unwrap()
        );
        let name = &record[column("scenario")];
        assert!(formulas.get_value((r as u32, 9)).unwrap().starts_with(&format!("{name}!L")));
    }
}

#[test]
fn an_amount_excel_cannot_hold_exactly_is_said_on_stderr_and_on_the_summary_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.toml");
    // 987,654,321,098,765.43 has 17 significant digits: the nearest float is ...765.4. It is in
    // three cells: the revenue input, the ledger's revenue, and the share due on it.
    std::fs::write(
        &file,
        "name = \"huge\"\nyears = { from = 2026, to = 2027 }\n[revenue.openai]\n\
         by_year = { 2026 = \"987654321098765.43\", 2027 = \"30B\" }\n[assumptions]\ncap = \"38B\"\n",
    )
    .unwrap();
    dealsim()
        .arg("run")
        .arg(&file)
        .args(["--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicates::str::contains("3 amount(s) have more than Excel's 15 significant digits"));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("huge/ledger.xlsx")).unwrap();
    let sheet = book.worksheet_range("Summary").unwrap();
    assert!(cell_text(&sheet[(4, 0)]).starts_with("3 amount(s) have more than Excel's 15 significant digits"));
    let csv = std::fs::read_to_string(dir.path().join("huge/ledger.csv")).unwrap();
    assert!(csv.contains(",987654321098765.43,"), "the CSV stays exact");
}
