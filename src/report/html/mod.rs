//! `report.html`: one self-contained page per run, comparison and Monte Carlo run, for a memo or
//! a phone. No network: styles are inline, charts are the run's own SVGs inlined, there are no
//! scripts, and a Content-Security-Policy forbids the browser to fetch anything. Every figure is
//! formatted from the ledger's exact decimal (the exact value rides along in `data-exact`), and
//! the page has no timestamp, so the same input gives the same bytes.

mod page;
mod sections;

pub use page::Page;
pub use sections::{compare_report, montecarlo_report, run_report, ChartSvg, RunReport};

/// Escapes text for HTML element content and attribute values.
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
