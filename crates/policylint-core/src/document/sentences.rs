//! Sentence boundaries. Unicode's sentence rules (UAX #29) do the splitting; a short
//! list of abbreviations that end in a period ("e.g.", "Inc.", "No.") and initials glue
//! back what they wrongly split. A sentence never crosses a block or a hard line break.
//!
//! Unicode's rules run a character at a time and were a tenth of the time of linting
//! many policies, though a sentence can only end after a terminator or a line break. So
//! they are run only on the short stretches around those ([`unicode_fragments`]).

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
    for (offset, fragment) in unicode_fragments(text) {
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

/// The pieces of `text` between Unicode sentence boundaries, with their offsets: what
/// `split_sentence_bound_indices` gives, with its rules run only near the characters
/// a boundary can follow.
///
/// A boundary other than at the ends of the text comes only after a terminator (`.`,
/// `?`, `!` and others, then closing marks and spaces) or a paragraph separator (a
/// line break and others); every character that could be one of these outside ASCII is
/// treated as if it were. The rules are run on a stretch from the last ASCII letter or
/// digit before such a character, through the first ASCII letter after it. Where a
/// boundary falls depends on the characters back to the first letter or digit before
/// (none of the rules looks back past one), and ahead to the first letter after it
/// (rule SB8 looks ahead no further), so the stretch gives the same boundaries inside
/// it as the whole text does.
fn unicode_fragments(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    let mut from = 0;
    while let Some(found) = bytes[from..].iter().position(|&b| may_end_sentence(b)) {
        let at = from + found;
        let start = bytes[..at]
            .iter()
            .rposition(u8::is_ascii_alphanumeric)
            .unwrap_or(0);
        let end = bytes[at..]
            .iter()
            .position(u8::is_ascii_alphabetic)
            .map_or(text.len(), |letter| at + letter + 1);
        // The boundaries at the stretch's own ends are not the text's.
        bounds.extend(
            text[start..end]
                .split_sentence_bound_indices()
                .map(|(offset, _)| start + offset)
                .filter(|&bound| bound > start),
        );
        from = end;
    }
    if !text.is_empty() {
        bounds.push(text.len());
    }
    bounds.dedup();
    (1..bounds.len()).map(move |i| (bounds[i - 1], &text[bounds[i - 1]..bounds[i]]))
}

/// Whether a sentence may end after the character that starts with this byte: ASCII
/// terminators and line breaks, and every character outside ASCII.
fn may_end_sentence(byte: u8) -> bool {
    matches!(byte, b'.' | b'?' | b'!' | b'\r' | b'\n') || !byte.is_ascii()
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

    /// `unicode_fragments` against the Unicode rules run on the whole text.
    fn same_fragments_as_unicode(text: &str) {
        let whole: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
        let near_ends: Vec<(usize, &str)> = unicode_fragments(text).collect();
        assert_eq!(near_ends, whole, "{text:?}");
    }

    /// Characters of every kind the sentence rules tell apart: letters of both cases in
    /// and outside ASCII, digits, terminators, closing marks, spaces, separators,
    /// continuations, marks that extend the character before.
    const KINDS: &[&str] = &[
        "a", "B", "7", ".", "?", "!", " ", "\n", "\r", ")", "\"", "’", "\u{a0}", "。", ",", "é",
        "Ω", "\u{301}", "\u{ad}", "\u{2029}", "\u{85}", "-", "日",
    ];

    #[test]
    fn fragments_near_possible_ends_are_those_of_the_whole_text() {
        // Every string of up to four of these characters.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| KINDS.iter().map(move |k| format!("{t}{k}")))
                .collect();
            texts.iter().for_each(|t| same_fragments_as_unicode(t));
        }
        // Longer texts drawn from them, and from words, with a fixed seed.
        let words = ["e.g.", "U.S. ", "Inc. ", "we", " the", "Data", ". ", "..."];
        let mut next = crate::testing::random_below(0x9e37_79b9_7f4a_7c15_u64);
        for _ in 0..20_000 {
            let text: String = (0..next(40))
                .map(|_| match next(3) {
                    0 => words[next(words.len())],
                    _ => KINDS[next(KINDS.len())],
                })
                .collect();
            same_fragments_as_unicode(&text);
        }
        same_fragments_as_unicode(
            "We keep it (see “Retention.”) for 2.5 years.  Then: e.g. deletion!\nAsk us. ok",
        );
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
