//! `report.html`: one self-contained page per run, comparison and Monte Carlo run, for a memo or
//! a phone. No network: styles are inline, charts are the run's own SVGs inlined, there are no
//! scripts, and a Content-Security-Policy forbids the browser to fetch anything. Every figure is
//! formatted from the ledger's exact decimal (the exact value rides along in `data-exact`), and
//! the page has no timestamp, so the same input gives the same bytes.

mod page;
mod sections;

pub use page::Page;
pub use sections::{calibrate_report, compare_report, montecarlo_report, run_report, ChartSvg, RunReport};

/// Escapes text for HTML element content and attribute values.
/// Escaped text whose `code` spans (the terminal's backticks around names) become `<code>`: a
/// reader sees the name set in type, not a literal backtick.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        out.push_str(&escape(first));
    }
    let rest: Vec<&str> = parts.collect();
    // Pairs of backticks: odd parts are code; an unpaired last backtick stays as it was.
    for (i, part) in rest.iter().enumerate() {
        let closes = i % 2 == 0 && i + 1 < rest.len();
        match (i % 2, closes) {
            (0, true) => {
                out.push_str("<code>");
                out.push_str(&escape(part));
                out.push_str("</code>");
            }
            (0, false) => {
                out.push('`');
                out.push_str(&escape(part));
            }
            _ => out.push_str(&escape(part)),
        }
    }
    out
}

/// Text with the terminal's backticks taken out: for a page's `<title>` and chart labels.
pub fn plain(text: &str) -> String {
    text.replace('`', "")
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }
}
