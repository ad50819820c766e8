//! Fake headings. Published policies often mark headings with bold text, numbers,
//! capitals or a short line of their own instead of heading markup; readers see
//! headings there, so sections must start there too.

use std::sync::LazyLock;

use regex::Regex;

use super::{Block, BlockKind};
use crate::span::ProseRange;

/// "1. General", "8.2 How to contact us", "IV. Cookies", "A. Scope".
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"^(?:(\d{1,2}(?:\.\d{1,2})*)\.?|[IVX]{1,5}\.|[A-Z]\.)\s+").expect("valid regex")
});

const MAX_HEADING_WORDS: usize = 12;
const MAX_TITLE_LINE_WORDS: usize = 10;

/// The words of `text`, counted up to one more than a heading may have (a paragraph's
/// length does not matter beyond that).
fn word_count(text: &str) -> usize {
    text.split_whitespace().take(MAX_HEADING_WORDS + 1).count()
}

fn starts_upper(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// The nesting depth of a numbered heading ("1." → 1, "2.3" → 2), if `line` is one.
fn numbered_depth(line: &str, numbered_marker: bool) -> Option<u8> {
    let line = line.trim();
    // Counting words is the dearer test, and most paragraphs fail the other first.
    if line.ends_with(['.', ',', ';']) || word_count(line) > MAX_HEADING_WORDS {
        return None;
    }
    if numbered_marker {
        return starts_upper(line).then_some(1);
    }
    let caps = NUMBERED.captures(line)?;
    let rest = &line[caps.get(0).map_or(0, |m| m.end())..];
    if rest.is_empty() || !starts_upper(rest) {
        return None;
    }
    let depth = caps.get(1).map_or(1, |m| m.as_str().split('.').count());
    Some(depth.min(4) as u8)
}

fn is_all_caps(line: &str) -> bool {
    // Most paragraphs have a small letter near their start: stop there.
    let mut letters = 0;
    for c in line.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 3 && word_count(line) <= MAX_HEADING_WORDS
}

fn is_title_line(line: &str) -> bool {
    !line.ends_with(['.', ',', ';', ':', '!'])
        && starts_upper(line)
        && (1..=MAX_TITLE_LINE_WORDS).contains(&word_count(line))
        && line.chars().any(char::is_alphabetic)
}

fn heading(range: ProseRange, level: u8) -> Block {
    Block {
        range,
        kind: BlockKind::Heading(level.min(6)),
        marked_heading: false,
        all_strong: false,
        numbered: false,
        line_breaks: Vec::new(),
    }
}

/// Turns blocks that read as headings into headings, splitting a paragraph whose first
/// line is a numbered heading ("1\. General" followed by a line break).
pub(super) fn promote_fake_headings(prose: &str, blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    // Fake headings nest under the last heading that came from markup.
    let mut base = 1u8;
    let next_is_paragraph: Vec<bool> = blocks
        .iter()
        .skip(1)
        .map(|b| b.kind == BlockKind::Paragraph)
        .chain([false])
        .collect();
    for (i, block) in blocks.into_iter().enumerate() {
        if let BlockKind::Heading(level) = block.kind {
            if block.marked_heading {
                base = level;
            }
            out.push(block);
            continue;
        }
        if block.kind != BlockKind::Paragraph {
            out.push(block);
            continue;
        }
        let text = &prose[block.range.start..block.range.end];
        if let Some(&(next_line, _)) = block.line_breaks.first() {
            let first = ProseRange::new(block.range.start, next_line - 1);
            let first_text = prose[first.start..first.end].trim_end();
            if let Some(depth) = numbered_depth(first_text, block.numbered) {
                let head = ProseRange::new(first.start, first.start + first_text.len());
                out.push(heading(head, base + depth));
                let mut rest = block;
                rest.range = ProseRange::new(next_line, rest.range.end);
                rest.line_breaks.remove(0);
                rest.numbered = false;
                out.push(rest);
                continue;
            }
            out.push(block);
            continue;
        }
        let level = if let Some(depth) = numbered_depth(text, block.numbered) {
            Some(base + depth)
        } else if (block.all_strong
            && word_count(text) <= MAX_HEADING_WORDS
            && !text.ends_with('.'))
            || is_all_caps(text)
            || (next_is_paragraph[i] && is_title_line(text))
        {
            Some(base + 1)
        } else {
            None
        };
        match level {
            Some(level) => out.push(heading(block.range, level)),
            None => out.push(block),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lines_are_headings_but_numbered_sentences_are_not() {
        assert_eq!(numbered_depth("1. General", false), Some(1));
        assert_eq!(numbered_depth("8.2 How to Contact Us", false), Some(2));
        assert_eq!(
            numbered_depth("1. What information does AnySend collect and use?", false),
            Some(1)
        );
        assert_eq!(numbered_depth("1. We collect your name.", false), None);
        assert_eq!(numbered_depth("2015 was a good year", false), None);
        assert_eq!(numbered_depth("3.4 “Do Not Track”", false), Some(2));
    }

    #[test]
    fn capitals_and_title_lines() {
        assert!(is_all_caps("CONTACT US"));
        assert!(!is_all_caps("Contact US"));
        assert!(is_title_line(
            "Information that Sci-News.com May Collect Online"
        ));
        assert!(!is_title_line("We collect the following:"));
    }
}
