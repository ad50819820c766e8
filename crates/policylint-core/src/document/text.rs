//! Plain text: blocks are separated by blank lines; a list item or a short
//! heading-like line starts a block of its own; a setext underline makes a heading.

use std::sync::LazyLock;

use regex::Regex;

use super::{BlockKind, DocumentBuilder};
use crate::span::{SourceSpan, line_spans};

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"^(?:[-*•·‣◦–]\s|\(?[a-z0-9]{1,3}\)\s)").expect("valid regex")
});

static UNDERLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:=+|-+)\s*$").expect("valid regex"));

/// Lines with their byte span (without the line ending), for LF, CRLF and CR endings;
/// the first starts at `start` (past a byte order mark), and a last line left empty by
/// a final line ending is not one.
fn lines(source: &str, start: usize) -> Vec<SourceSpan> {
    line_spans(source)
        .map(|line| SourceSpan::new(line.start.max(start), line.end))
        .filter(|line| line.start < source.len())
        .collect()
}

/// The line without surrounding white space (tabs and no-break spaces included).
fn trimmed(source: &str, line: SourceSpan) -> SourceSpan {
    let text = &source[line.start..line.end];
    let lead = text.len() - text.trim_start().len();
    SourceSpan::new(line.start + lead, line.start + lead + text.trim().len())
}

pub(super) fn parse(source: &str, builder: &mut DocumentBuilder) {
    let base = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let all = lines(source, base);
    let mut lines_in_block = 0usize;
    let mut previous_end = None;
    for (i, &line) in all.iter().enumerate() {
        let text_span = trimmed(source, line);
        let text = &source[text_span.start..text_span.end];
        if text.is_empty() {
            builder.end_block();
            lines_in_block = 0;
            continue;
        }
        if lines_in_block == 1 && UNDERLINE.is_match(text) && builder.open_is(BlockKind::Paragraph)
        {
            let level = if text.starts_with('=') { 1 } else { 2 };
            builder.mark_open_heading(level);
            builder.end_block();
            lines_in_block = 0;
            continue;
        }
        let starts_block = LIST_ITEM.is_match(text);
        if starts_block {
            builder.end_block();
            lines_in_block = 0;
        }
        let kind = if starts_block {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        if lines_in_block > 0
            && let Some(end) = previous_end
        {
            builder.line_break(SourceSpan::new(end, text_span.start), false);
        }
        builder.push_text(kind, text, text_span, false);
        lines_in_block += 1;
        previous_end = Some(text_span.end);
        let _ = i;
    }
    builder.end_block();
}

/// One block per non-empty line (the paragraphs of a Word document).
pub(super) fn parse_lines(source: &str, builder: &mut DocumentBuilder) {
    for line in lines(source, 0) {
        let span = trimmed(source, line);
        builder.push_text(
            BlockKind::Paragraph,
            &source[span.start..span.end],
            span,
            false,
        );
        builder.end_block();
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{BlockKind, Document, Format};
    use crate::span::ProseRange;

    fn doc(text: &str) -> Document {
        Document::parse(text.to_string(), Format::Text)
    }

    #[test]
    fn short_lines_before_paragraphs_are_headings() {
        let d = doc("Privacy Policy \n\n We collect data.\n\nUse of Cookies\n\nWe use cookies.\n");
        let heads: Vec<&str> = d.headings().map(|(_, b)| d.text(b.range)).collect();
        assert_eq!(heads, vec!["Privacy Policy", "Use of Cookies"]);
    }

    #[test]
    fn crlf_bom_and_multibyte_keep_exact_positions() {
        let src = "\u{feff}Title\r\n=====\r\n\r\nWe’re here.\r\nContact é: a@b.co\r\n";
        let d = doc(src);
        let at = d.prose().find("a@b.co").unwrap();
        let span = d.to_source(ProseRange::new(at, at + 6));
        assert_eq!(&src[span.start..span.end], "a@b.co");
        assert_eq!(d.blocks[0].kind, BlockKind::Heading(1));
        let loc = d.locate(span);
        assert_eq!((loc.start.line, loc.start.column), (5, 12));
    }

    #[test]
    fn list_items_are_blocks() {
        let d = doc("We collect:\n- names\n- emails\n");
        assert_eq!(d.blocks.len(), 3);
        assert_eq!(d.blocks[1].kind, BlockKind::ListItem);
    }
}
