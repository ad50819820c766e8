//! Sentence boundaries. Unicode's sentence rules (UAX #29) do the splitting; a short
//! list of abbreviations that end in a period ("e.g.", "Inc.", "No.") and initials glue
//! back what they wrongly split. A sentence never crosses a block or a hard line break.

use std::collections::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use super::{Block, BlockKind};
use crate::span::ProseRange;

/// Lower-cased abbreviations after which a sentence does not end.
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "eg.", "ie.", "cf.", "viz.", "approx.", "incl.", "inc.", "ltd.", "co.",
    "corp.", "llc.", "plc.", "gmbh.", "no.", "nos.", "nr.", "art.", "arts.", "sec.", "para.", "p.",
    "pp.", "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "vs.", "u.s.", "u.k.", "e.u.", "u.s.a.",
    "p.o.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.",
    "nov.", "dec.", "ref.", "fig.", "tel.", "ph.", "ext.",
];

fn ends_with_abbreviation(fragment: &str) -> bool {
    let last = fragment
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if !last.ends_with('.') {
        return false;
    }
    let lower = last.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // An initial: "J. Smith".
    let mut chars = last.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// Whether a boundary at `at` falls between two characters with no space: an address
/// ("answer.py?id=1", "example.com/a?b") rather than the end of a sentence. Only ASCII
/// terminators count, so scripts written without spaces still split.
fn ends_inside_token(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    matches!((before, after), (Some(b), Some(a)) if b.is_ascii_punctuation() && !a.is_whitespace())
}

/// The sentences of the blocks of an earlier version of a document, by block, so that
/// parsing the next version after an edit splits only the blocks that changed.
#[derive(Debug, Default)]
pub struct Splits {
    /// Sentences as offsets into their block.
    by_block: HashMap<BlockKey, Vec<(usize, usize)>>,
}

/// What a block's sentences depend on.
#[derive(Debug, PartialEq, Eq, Hash)]
struct BlockKey {
    text: String,
    heading: bool,
    /// Hard line breaks, as offsets into the block.
    hard_breaks: Vec<usize>,
}

impl BlockKey {
    fn of(prose: &str, block: &Block) -> BlockKey {
        BlockKey {
            text: prose[block.range.start..block.range.end].to_string(),
            heading: matches!(block.kind, BlockKind::Heading(_)),
            hard_breaks: block
                .line_breaks
                .iter()
                .filter(|(_, hard)| *hard)
                .map(|&(at, _)| at - block.range.start)
                .collect(),
        }
    }
}

impl Splits {
    /// Remembers the sentences of `blocks` (`sentences` in order, each inside a block).
    pub(super) fn of(prose: &str, blocks: &[Block], sentences: &[ProseRange]) -> Splits {
        let mut by_block = HashMap::with_capacity(blocks.len());
        let mut rest = sentences;
        for block in blocks {
            let inside = rest.partition_point(|s| s.end <= block.range.end);
            let (mine, later) = rest.split_at(inside);
            rest = later;
            let relative = mine
                .iter()
                .map(|s| (s.start - block.range.start, s.end - block.range.start))
                .collect();
            by_block.insert(BlockKey::of(prose, block), relative);
        }
        Splits { by_block }
    }

    fn get(&self, prose: &str, block: &Block) -> Option<Vec<ProseRange>> {
        let relative = self.by_block.get(&BlockKey::of(prose, block))?;
        let at = block.range.start;
        Some(
            relative
                .iter()
                .map(|&(start, end)| ProseRange::new(at + start, at + end))
                .collect(),
        )
    }
}

/// The sentences of one block, taken from `earlier` when it split the same block.
pub(super) fn split_reusing(
    prose: &str,
    block: &Block,
    earlier: Option<&Splits>,
) -> Vec<ProseRange> {
    earlier
        .and_then(|splits| splits.get(prose, block))
        .unwrap_or_else(|| split(prose, block))
}

/// The sentences of one block, trimmed, in order.
pub(super) fn split(prose: &str, block: &Block) -> Vec<ProseRange> {
    if matches!(block.kind, BlockKind::Heading(_)) {
        return vec![block.range];
    }
    let mut sentences = Vec::new();
    let mut piece_start = block.range.start;
    let hard_breaks = block
        .line_breaks
        .iter()
        .filter(|(_, hard)| *hard)
        .map(|&(at, _)| at);
    for piece_end in hard_breaks.chain([block.range.end]) {
        split_piece(
            prose,
            ProseRange::new(piece_start, piece_end),
            &mut sentences,
        );
        piece_start = piece_end;
    }
    sentences
}

fn split_piece(prose: &str, piece: ProseRange, out: &mut Vec<ProseRange>) {
    let text = &prose[piece.start..piece.end];
    let mut pending: Option<usize> = None;
    for (offset, fragment) in text.split_sentence_bound_indices() {
        let start = pending.unwrap_or(offset);
        let end = offset + fragment.len();
        if (ends_with_abbreviation(fragment) || ends_inside_token(text, end)) && end < text.len() {
            pending = Some(start);
            continue;
        }
        pending = None;
        push_trimmed(text, piece.start, start, end, out);
    }
    if let Some(start) = pending {
        push_trimmed(text, piece.start, start, text.len(), out);
    }
}

fn push_trimmed(text: &str, base: usize, start: usize, end: usize, out: &mut Vec<ProseRange>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let s = base + start + lead;
    out.push(ProseRange::new(s, s + trimmed.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let block = Block {
            range: ProseRange::new(0, text.len()),
            kind: BlockKind::Paragraph,
            marked_heading: false,
            all_strong: false,
            numbered: false,
            line_breaks: Vec::new(),
        };
        split(text, &block)
            .into_iter()
            .map(|r| &text[r.start..r.end])
            .collect()
    }

    #[test]
    fn abbreviations_decimals_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences(
                "We use tools, e.g. Google Analytics. Acme Inc. Holds data in the U.S. Government cloud."
            ),
            vec![
                "We use tools, e.g. Google Analytics.",
                "Acme Inc. Holds data in the U.S. Government cloud."
            ]
        );
        assert_eq!(
            sentences("See No. 5 of the rules. Fees rose 2.5 percent. Ask J. Smith. Done."),
            vec![
                "See No. 5 of the rules.",
                "Fees rose 2.5 percent.",
                "Ask J. Smith.",
                "Done."
            ]
        );
    }

    #[test]
    fn addresses_do_not_end_sentences() {
        assert_eq!(
            sentences("Go to https://example.com/answer.py?answer=1 today. Next one."),
            vec![
                "Go to https://example.com/answer.py?answer=1 today.",
                "Next one."
            ]
        );
        assert_eq!(sentences("同意。次の文。"), vec!["同意。", "次の文。"]);
    }

    #[test]
    fn hard_breaks_end_sentences() {
        let text = "(a) Identification data; (b) Payment data";
        let block = Block {
            range: ProseRange::new(0, text.len()),
            kind: BlockKind::Paragraph,
            marked_heading: false,
            all_strong: false,
            numbered: false,
            line_breaks: vec![(25, true)],
        };
        let got: Vec<&str> = split(text, &block)
            .into_iter()
            .map(|r| &text[r.start..r.end])
            .collect();
        assert_eq!(got, vec!["(a) Identification data;", "(b) Payment data"]);
    }
}
