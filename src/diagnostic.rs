//! Rendering errors for people, compiler-style: `file:line:col`, the offending line with a
//! marker under it, and a hint. Colour and Unicode only when writing to a terminal; plain ASCII
//! otherwise, so logs and tests see stable text.

use crate::error::Error;
use crate::scenario::InputError;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;

struct InputDiagnostic<'a> {
    error: &'a InputError,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for InputDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.error, f)
    }
}

impl fmt::Display for InputDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.error, f)
    }
}

impl std::error::Error for InputDiagnostic<'_> {}

impl Diagnostic for InputDiagnostic<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.error.span.clone()?;
        let label =
            LabeledSpan::new_with_span(Some("here".to_string()), span.start..span.end.max(span.start));
        Some(Box::new(std::iter::once(label)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

/// The error as text for standard error.
pub fn render(error: &Error, terminal: bool) -> String {
    match error {
        Error::Input(input) => render_input(input, terminal),
        other => format!("error: {other}\n"),
    }
}

/// Lines longer than this are not drawn with a marker under them (the marker would be
/// thousands of columns out, and miette cannot draw past column 65,535): the message still
/// gives `file:line:col`, and an excerpt of the line around the value follows it.
const MAX_SNIPPET_LINE: usize = 500;

fn render_input(error: &InputError, terminal: bool) -> String {
    let long_line = long_line_excerpt(error);
    let source = error
        .source_text
        .as_ref()
        .filter(|_| error.span.is_some() && long_line.is_none())
        .map(|text| NamedSource::new(error.path.display().to_string(), text.to_string()));
    let diagnostic = InputDiagnostic { error, source };
    let theme = if terminal { GraphicalTheme::unicode() } else { GraphicalTheme::none() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_wrap_lines(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &diagnostic).is_err() {
        out = format!("error: {error}\n");
    }
    if let Some(excerpt) = long_line {
        out.push_str(&format!("   | {excerpt}\n"));
    }
    out
}

/// `...text around >>> the error...` when the error's line is too long to draw, else `None`.
fn long_line_excerpt(error: &InputError) -> Option<String> {
    let text = error.source_text.as_deref()?;
    let at = error.span.as_ref()?.start.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if text[start..end].chars().count() <= MAX_SNIPPET_LINE {
        return None;
    }
    let before: String =
        text[start..at].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[at..end].chars().take(60).collect();
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!("...{} >>> {}...", squeeze(&before), squeeze(&after)))
}
