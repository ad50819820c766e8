//! Checks shared by the fuzz targets: what must hold of any document policylint reads.

use policylint::document::{Format, ReadOptions};
use policylint::span::{ProseRange, SourceSpan};
use policylint::{Document, FileReport};

/// Reads `bytes` as `format`; a refusal is fine, a panic or a broken document is not.
pub fn read_and_check(bytes: &[u8], format: Format) {
    let Ok(doc) = Document::read(bytes.to_vec(), format, &ReadOptions::default()) else {
        return;
    };
    check_document(&doc);
}

/// Every block, sentence and section lies in the prose on character boundaries, and
/// maps to a span of the source on character boundaries.
pub fn check_document(doc: &Document) {
    let prose = doc.prose();
    let source = doc.source();
    let ranges = doc
        .blocks
        .iter()
        .map(|b| b.range)
        .chain(doc.sentences.iter().copied())
        .chain(doc.sections.iter().map(|s| s.range));
    for range in ranges {
        assert!(
            range.start <= range.end && range.end <= prose.len(),
            "{range:?} outside the prose"
        );
        assert!(prose.is_char_boundary(range.start) && prose.is_char_boundary(range.end));
        check_span(doc, source, range);
    }
    let mut last = 0;
    for (at, c) in prose.char_indices() {
        let char_range = ProseRange::new(at, at + c.len_utf8());
        check_span(doc, source, char_range);
        let span = doc.to_source(char_range);
        if is_link_address(source, span) {
            continue;
        }
        assert!(span.start >= last, "prose offset {at} maps before {last}");
        last = span.start;
    }
}

/// Whether a prose character maps to a `mailto:` link's address: the one place prose
/// maps backwards (an address is read after the link's text, and maps to the whole
/// Markdown link or into the HTML tag).
pub fn is_link_address(source: &str, span: SourceSpan) -> bool {
    if source[span.start..span.end].contains("mailto:") {
        return true;
    }
    let Some(open) = source[..span.start].rfind('<') else {
        return false;
    };
    let close = source[open..].find('>').map_or(source.len(), |i| open + i);
    span.start <= close && source[open..close].contains("mailto:")
}

fn check_span(doc: &Document, source: &str, range: ProseRange) {
    let span = doc.to_source(range);
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{range:?} maps to {span:?}, outside the source"
    );
    assert!(
        source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
        "{range:?} maps to {span:?}, off a character boundary"
    );
    let location = doc.locate(span);
    assert!(location.start.line >= 1 && location.start.line <= location.end.line);
}

/// A report's findings point inside the text it read, on character boundaries.
pub fn check_report(report: &FileReport) {
    let source = &report.source;
    let spans = report
        .diagnostics
        .iter()
        .flat_map(|d| std::iter::once(&d.span).chain(d.labels.iter().map(|l| &l.span)));
    for span in spans {
        let bytes = span.bytes;
        assert!(
            bytes.start <= bytes.end && bytes.end <= source.len(),
            "{bytes:?} outside the source"
        );
        assert!(source.is_char_boundary(bytes.start) && source.is_char_boundary(bytes.end));
        assert!(span.location.start.line >= 1);
    }
}

/// Renders an error the way the command line does, which walks its labels' spans.
pub fn render(error: &dyn miette::Diagnostic) {
    let mut out = String::new();
    let _ = miette::GraphicalReportHandler::new().render_report(&mut out, error);
}
