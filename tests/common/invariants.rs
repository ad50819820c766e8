//! What must hold of any document policylint reads. Shared by the property tests and
//! the fuzz targets (`fuzz/src/lib.rs` includes this file), so it uses nothing but
//! policylint itself.

use policylint::Document;
use policylint::span::{ProseRange, SourceSpan};

/// Blocks, sentences and sections lie in the prose on character boundaries, in order
/// and without overlap; every sentence is inside a block; every range maps to a span of
/// the source on character boundaries; and the map from prose to source runs forwards
/// (but for `mailto:` addresses).
pub fn check_document(doc: &Document) {
    let prose = doc.prose();
    let source = doc.source();
    for pair in doc.blocks.windows(2) {
        assert!(pair[0].range.end <= pair[1].range.start, "blocks overlap");
    }
    for pair in doc.sentences.windows(2) {
        assert!(pair[0].end <= pair[1].start, "sentences overlap");
    }
    for block in &doc.blocks {
        assert!(
            !block.range.is_empty(),
            "an empty block at {:?}",
            block.range
        );
    }
    for sentence in &doc.sentences {
        assert!(
            doc.blocks.iter().any(|b| b.range.contains(*sentence)),
            "a sentence outside every block"
        );
    }
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
        assert!(
            span.start >= last,
            "prose {at} maps to {span:?}, before {last}"
        );
        last = span.start;
    }
}

/// A prose range maps inside the source, on boundaries, to lines from 1.
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
