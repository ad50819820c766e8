//! Checks shared by the fuzz targets: what must hold of any document policylint reads.

use policylint::document::{Format, ReadOptions};
use policylint::{Document, FileReport};

// The document invariants are shared with the property tests.
#[path = "../../tests/common/invariants.rs"]
mod invariants;
pub use invariants::check_document;

/// Reads `bytes` as `format`; a refusal is fine, a panic or a broken document is not.
pub fn read_and_check(bytes: &[u8], format: Format) {
    let Ok(doc) = Document::read(bytes.to_vec(), format, &ReadOptions::default()) else {
        return;
    };
    check_document(&doc);
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
