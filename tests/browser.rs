//! Every shipped scenario's `report.html` (and a comparison's, a Monte Carlo run's and a
//! calibration's) loaded in a real browser, headless Chromium: the DOM the browser built shows the ledger's figures, no
//! request leaves the file (read from Chromium's own network log), and a screenshot is not
//! blank. `.ci/run` installs Chromium (Debian package `chromium`) when it is absent; where it
//! cannot be found the test says so loudly on stderr and checks nothing else.

use crate::common::{dealsim, loud, repo};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser: `DEALSIM_CHROMIUM`, or the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    let runs =
        |path: &PathBuf| Command::new(path).arg("--version").output().is_ok_and(|o| o.status.success());
    if let Some(path) = std::env::var_os("DEALSIM_CHROMIUM") {
        return Some(PathBuf::from(path)).filter(runs);
    }
    ["chromium", "chromium-browser", "google-chrome"].into_iter().map(PathBuf::from).find(runs)
}

/// Runs headless Chromium on `page` with a fresh profile, logging its network activity to
/// `netlog`; `extra` picks what it produces (`--dump-dom` or `--screenshot=…`). Returns stdout.
fn browse(browser: &Path, page: &Path, netlog: &Path, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The URLs the page itself asked for (Chromium's own background requests have no origin and
/// are left out), other than `file:` and `data:`.
fn requests_from_page(netlog: &Path) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(netlog).unwrap()).unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().unwrap();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str().is_some_and(|i| i != "not an origin"))
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
        .map(str::to_string)
        .collect()
}

/// The `data-exact` amounts of one table's body rows, by row, as the browser serialised them.
fn table_amounts(dom: &str, id: &str) -> Vec<Vec<String>> {
    let start = dom.find(&format!("<table id=\"{id}\">")).unwrap_or_else(|| panic!("no table #{id}"));
    let table = &dom[start..start + dom[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("data-exact=\"")
                .skip(1)
                .map(|cell| cell[..cell.find('"').unwrap()].to_string())
                .collect()
        })
        .collect()
}

/// Share of pixels that are not near-white, and how many distinct coarse colours there are.
fn ink(png: &Path) -> (f64, usize) {
    let image = image::open(png).unwrap().to_rgb8();
    let mut colours = std::collections::HashSet::new();
    let mut inked = 0u64;
    for pixel in image.pixels() {
        let [r, g, b] = pixel.0;
        if r < 235 || g < 235 || b < 235 {
            inked += 1;
        }
        colours.insert((r / 32, g / 32, b / 32));
    }
    (inked as f64 / (image.width() * image.height()) as f64, colours.len())
}

fn check_page(browser: &Path, page: &Path, work: &Path) -> String {
    let netlog = work.join("net.json");
    let dom = browse(browser, page, &netlog, &["--dump-dom"]);
    let left = requests_from_page(&netlog);
    assert!(left.is_empty(), "{} made requests: {left:?}", page.display());
    let shot = work.join("shot.png");
    browse(
        browser,
        page,
        &work.join("net2.json"),
        &[&format!("--screenshot={}", shot.display()), "--window-size=1280,2400"],
    );
    let (inked, colours) = ink(&shot);
    assert!(
        inked > 0.03 && colours >= 8,
        "{}: the screenshot looks blank ({inked:.3} inked, {colours} colours)",
        page.display()
    );
    dom
}

fn exact(value: &serde_json::Value) -> String {
    let d: rust_decimal::Decimal = value.as_str().unwrap().parse().unwrap();
    d.normalize().to_string()
}

#[test]
fn every_shipped_report_renders_in_a_browser_with_the_ledgers_figures_and_no_network() {
    let Some(browser) = chromium() else {
        loud("!!! SKIPPED: no Chromium found (install Debian's `chromium`, or set DEALSIM_CHROMIUM); report.html was not checked in a browser !!!");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let scenarios = crate::common::shipped_scenarios();
    assert!(scenarios.len() >= 8, "{scenarios:?}");
    for file in &scenarios {
        dealsim().current_dir(repo()).arg("run").arg(file).arg("--out").arg(out.path()).assert().success();
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let folder = out.path().join(&name);
        let dom = check_page(&browser, &folder.join("report.html"), out.path());
        let ledger: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("ledger.json")).unwrap()).unwrap();
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
        assert!(
            dom.contains("id=\"question\">How much does OpenAI pay Microsoft"),
            "{name}: the question comes first"
        );
        // Every row of the ledger table: revenue, due, paid and net equal the ledger's exact figures.
        let rows = table_amounts(&dom, "ledger-table");
        let ledger_rows = ledger["rows"].as_array().unwrap();
        assert_eq!(rows.len(), ledger_rows.len() + 1, "{name}: a row per period and a total");
        for (cells, row) in rows.iter().zip(ledger_rows) {
            assert_eq!(cells[0], exact(&row["revenue"]), "{name} {}", row["period"]["label"]);
            assert_eq!(cells[1], exact(&row["share_due"]), "{name}");
            assert_eq!(cells[2], exact(&row["share_paid"]), "{name}");
            assert_eq!(cells.last().unwrap(), &exact(&row["net_to_microsoft"]), "{name}");
        }
        assert!(
            dom.contains(&format!("id=\"paid\"><div class=\"label\">Paid to Microsoft</div><div class=\"value\" data-exact=\"{}\">", exact(&summary["totals"]["paid_to_microsoft"]))),
            "{name}: the headline paid figure"
        );
        let human = dealsim_human(&summary["totals"]["net_to_microsoft"]);
        assert!(dom.contains(&format!(">{human}</div>")), "{name}: the net shown as {human}");
        assert!(dom.contains("Content-Security-Policy"), "{name}: the no-network policy is in the page");
        // What the terminal says, the page says: launches, the period word, `ended` not a 0% rate.
        for launch in ledger["launches"].as_array().into_iter().flatten() {
            assert!(
                dom.contains(&format!("<td>{}</td>", launch["product"].as_str().unwrap())),
                "{name}: launches"
            );
        }
        let quarterly = ledger_rows.iter().any(|r| r["period"]["label"].as_str().unwrap().contains('Q'));
        let heading = if quarterly { "The ledger, quarter by quarter" } else { "The ledger, year by year" };
        assert!(dom.contains(heading), "{name}: {heading}");
        if ledger_rows.iter().any(|r| r["share_term"] == "ended") {
            assert!(dom.contains("<td class=\"num\">ended</td>"), "{name}: an ended share says so");
        }
    }

    // A comparison and a Monte Carlo run with --against.
    dealsim()
        .current_dir(repo())
        .args(["compare", "scenarios/base.toml", "scenarios/bear.toml", "scenarios/bull.toml", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let dom = check_page(&browser, &out.path().join("compare/report.html"), out.path());
    assert!(
        dom.contains("How do <code>base</code>, <code>bear</code>, <code>bull</code> compare"),
        "compare's question"
    );
    dealsim()
        .current_dir(repo())
        .args([
            "montecarlo",
            "scenarios/uncertain.toml",
            "--paths",
            "20000",
            "--against",
            "pre-revision",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let folder = out.path().join("uncertain/montecarlo");
    let dom = check_page(&browser, &folder.join("report.html"), out.path());
    let against: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("against.json")).unwrap()).unwrap();
    assert!(
        dom.contains(&format!("P50 {}", dealsim_human(&against["gain_present_value"]["p50"]))),
        "the median PV gain is on the page"
    );
    dealsim()
        .current_dir(repo())
        .args(["calibrate", "scenarios/reported.toml", "--samples", "1000", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let folder = out.path().join("reported/calibrate");
    let dom = check_page(&browser, &folder.join("report.html"), out.path());
    let calibration: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("calibrate.json")).unwrap()).unwrap();
    let paid = &calibration["predictive"]["total_paid"]["posterior"]["p50"];
    assert!(
        dom.contains(&format!("data-exact=\"{}\"", exact(paid))),
        "the posterior median paid is on the page"
    );
    assert!(
        dom.contains("Most probable reading (") && dom.contains("<svg"),
        "the reading and the chart are on the page"
    );
}

/// An amount as the tool shows it to people (38B, 19.6B).
fn dealsim_human(value: &serde_json::Value) -> String {
    dealsim::money::Human(value.as_str().unwrap().parse().unwrap()).to_string()
}

#[test]
fn the_network_check_sees_a_page_that_fetches() {
    let Some(browser) = chromium() else {
        loud("!!! SKIPPED: no Chromium found; the network check was not exercised !!!");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("fetches.html");
    std::fs::write(&page, "<html><body><img src=\"http://example.invalid/x.png\"></body></html>").unwrap();
    let netlog = work.path().join("net.json");
    browse(&browser, &page, &netlog, &["--dump-dom"]);
    assert_eq!(requests_from_page(&netlog), ["http://example.invalid/x.png"]);
}
