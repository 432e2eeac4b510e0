//! The page: head with inline styles and the no-network policy, and small builders for the
//! headline figures, tables and sections every report uses.

use super::escape;
use crate::money::{exact, Human};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Styles for screen (down to a 360 px phone: tables scroll sideways inside their box, charts
/// shrink to the width) and print (no backgrounds, charts kept whole on a page).
const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; margin: 0 auto;
  max-width: 1200px; padding: 16px; color: #1b1f24; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.2rem; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
p.lede { color: #424a53; margin-top: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 1em 0; }
.figure { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; background: #f6f8fa; }
.figure .label { font-size: 0.8rem; color: #57606a; }
.figure .value { font-size: 1.45rem; font-weight: 600; }
.figure .note { font-size: 0.75rem; color: #57606a; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: 0.88rem; width: 100%; }
th, td { white-space: nowrap; padding: 4px 8px; border-bottom: 1px solid #e4e8ec; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
#assumptions-table td, #attribution-table td:first-child, #launches-table td:last-child { white-space: normal; min-width: 9em; }
tr.total td { font-weight: 600; border-top: 2px solid #8c959f; }
tr.bind td { background: #fff8c5; }
figure { margin: 1em 0; }
figure svg { width: 100%; height: auto; border: 1px solid #e4e8ec; }
/* On a phone a chart keeps a readable size and scrolls sideways inside its box. */
@media screen and (max-width: 700px) { figure .scroll svg { width: 760px; max-width: none; } }
figcaption { font-size: 0.85rem; color: #57606a; }
.warning { border-left: 4px solid #cf222e; background: #ffebe9; padding: 8px 12px; margin: 8px 0; }
.muted { color: #57606a; font-size: 0.85rem; }
code { background: #eff1f3; padding: 0 3px; border-radius: 3px; }
@media print {
  body { max-width: none; padding: 0; }
  .figure, th { background: none; }
  figure, table, .figures { break-inside: avoid; }
  .scroll { overflow: visible; }
  table { font-size: 0.7rem; }
  h2 { break-after: avoid; }
  th, td { white-space: normal; padding: 2px 4px; }
}
";

/// A report being written: sections are appended in order, then `finish` closes the page.
pub struct Page {
    html: String,
}

impl Page {
    /// Opens a page whose title and first line is `question`, the question the report answers.
    pub fn new(question: &str, lede: &str) -> Page {
        let mut html = String::with_capacity(64 * 1024);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <meta name=\"generator\" content=\"dealsim\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <h1 id=\"question\">{q}</h1>\n<p class=\"lede\">{l}</p>\n",
            t = escape(&super::plain(question)),
            q = super::inline(question),
            l = super::inline(lede),
        );
        Page { html }
    }

    /// The page so far plus its closing tags, as bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.html.push_str(
            "<p class=\"muted\">Written by dealsim. Figures are rounded for reading; each cell's exact amount is in its <code>data-exact</code> attribute and in the CSV and JSON files beside this page.</p>\n</body>\n</html>\n",
        );
        self.html.into_bytes()
    }

    /// A section heading with an id (for links and tests).
    pub fn heading(&mut self, id: &str, text: &str) {
        let _ = writeln!(self.html, "<h2 id=\"{}\">{}</h2>", escape(id), super::inline(text));
    }

    pub fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.html, "<p>{}</p>", super::inline(text));
    }

    pub fn muted(&mut self, text: &str) {
        let _ = writeln!(self.html, "<p class=\"muted\">{}</p>", super::inline(text));
    }

    /// A loud notice: a warning the command also printed on standard error.
    pub fn warning(&mut self, text: &str) {
        let _ = writeln!(self.html, "<div class=\"warning\" role=\"alert\">{}</div>", super::inline(text));
    }

    /// A list of plain sentences.
    pub fn list(&mut self, items: &[String]) {
        self.html.push_str("<ul>\n");
        for item in items {
            let _ = writeln!(self.html, "<li>{}</li>", super::inline(item));
        }
        self.html.push_str("</ul>\n");
    }

    /// The headline figures as cards: (id, label, value, note).
    pub fn figures(&mut self, cards: &[Card]) {
        self.html.push_str("<div class=\"figures\">\n");
        for card in cards {
            let exact = card.exact.map(|d| format!(" data-exact=\"{}\"", exact(d))).unwrap_or_default();
            let _ = writeln!(
                self.html,
                "<div class=\"figure\" id=\"{}\"><div class=\"label\">{}</div><div class=\"value\"{exact}>{}</div><div class=\"note\">{}</div></div>",
                escape(card.id),
                super::inline(&card.label),
                escape(&card.value),
                super::inline(&card.note)
            );
        }
        self.html.push_str("</div>\n");
    }

    /// A table: the header, then rows of cells; `class` marks rows (`total`, `bind`).
    pub fn table(&mut self, id: &str, header: &[Cell], rows: &[(Option<&str>, Vec<Cell>)]) {
        let _ = write!(self.html, "<div class=\"scroll\"><table id=\"{}\">\n<thead><tr>", escape(id));
        for cell in header {
            let _ = write!(self.html, "<th{}>{}</th>", cell.class_attr(), super::inline(&cell.text));
        }
        self.html.push_str("</tr></thead>\n<tbody>\n");
        for (class, cells) in rows {
            match class {
                Some(class) => {
                    let _ = write!(self.html, "<tr class=\"{class}\">");
                }
                None => self.html.push_str("<tr>"),
            }
            for cell in cells {
                let exact = cell.exact.map(|d| format!(" data-exact=\"{}\"", exact(d))).unwrap_or_default();
                let _ =
                    write!(self.html, "<td{}{exact}>{}</td>", cell.class_attr(), super::inline(&cell.text));
            }
            self.html.push_str("</tr>\n");
        }
        self.html.push_str("</tbody></table></div>\n");
    }

    /// A chart: its SVG inlined (without an XML prolog) with a caption.
    pub fn chart(&mut self, svg: &str, caption: &str) {
        let svg = svg.trim_start();
        let svg = match svg.strip_prefix("<?xml") {
            Some(rest) => rest.split_once("?>").map_or(rest, |(_, body)| body).trim_start(),
            None => svg,
        };
        let _ = writeln!(
            self.html,
            "<figure>\n<div class=\"scroll\">{svg}</div>\n<figcaption>{}</figcaption>\n</figure>",
            super::inline(caption)
        );
    }
}

/// A headline figure.
pub struct Card {
    pub id: &'static str,
    pub label: String,
    pub value: String,
    pub exact: Option<Decimal>,
    pub note: String,
}

impl Card {
    /// A money card: the value shown as 38B, the exact amount kept beside it.
    pub fn money(id: &'static str, label: &str, amount: Decimal, note: &str) -> Card {
        Card {
            id,
            label: label.to_string(),
            value: Human(amount).to_string(),
            exact: Some(amount),
            note: note.to_string(),
        }
    }

    pub fn text(id: &'static str, label: &str, value: String, note: &str) -> Card {
        Card { id, label: label.to_string(), value, exact: None, note: note.to_string() }
    }
}

/// A table cell: text, right-aligned with its exact amount when it is money.
pub struct Cell {
    pub text: String,
    pub exact: Option<Decimal>,
    pub numeric: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), exact: None, numeric: false }
    }

    pub fn money(amount: Decimal) -> Cell {
        Cell { text: Human(amount).to_string(), exact: Some(amount), numeric: true }
    }

    pub fn number(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), exact: None, numeric: true }
    }

    fn class_attr(&self) -> &'static str {
        if self.numeric {
            " class=\"num\""
        } else {
            ""
        }
    }
}
