//! Evaluating compiled matchers on a document.
//!
//! Each leaf regex runs once over the whole prose, on first use; a matcher is then
//! evaluated per scope unit (sentence, paragraph, section, document) by looking up
//! the leaf matches that lie inside the unit.

use std::cell::OnceCell;

use crate::document::Document;
use regex::Regex;

use crate::prefilter::Occurrences;
use crate::rules::{Clause, Leaf, Leaves, Matcher, Scope};
use crate::span::ProseRange;
use regex_automata::Input;

pub struct Evaluator<'a> {
    doc: &'a Document,
    leaves: &'a Leaves,
    found: Vec<OnceCell<Vec<ProseRange>>>,
    /// Where the leaves' literals occur (found for all leaves at once, on first use).
    occurrences: OnceCell<Occurrences>,
    /// Where words start, for `near` (worked out on first use).
    word_starts: OnceCell<Vec<usize>>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A match that starts or ends inside a word is not a match ("retain" in "retained").
fn on_word_boundaries(text: &[u8], start: usize, end: usize) -> bool {
    let starts_inside = start > 0
        && start < text.len()
        && is_word_byte(text[start])
        && is_word_byte(text[start - 1]);
    let ends_inside =
        end > start && end < text.len() && is_word_byte(text[end - 1]) && is_word_byte(text[end]);
    !starts_inside && !ends_inside
}

/// Whether `regex` matches somewhere in `text` without cutting a word.
pub fn matches_whole_words(regex: &Regex, text: &str) -> bool {
    regex
        .find_iter(text)
        .any(|m| !m.is_empty() && on_word_boundaries(text.as_bytes(), m.start(), m.end()))
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

/// Where the words of a text start: runs of non-space with a letter or digit.
fn word_starts(prose: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut token: Option<(usize, bool)> = None;
    for (i, c) in prose.char_indices() {
        if c.is_whitespace() {
            if let Some((start, true)) = token.take() {
                starts.push(start);
            }
            token = None;
        } else {
            let (start, word) = token.unwrap_or((i, false));
            token = Some((start, word || c.is_alphanumeric()));
        }
    }
    if let Some((start, true)) = token {
        starts.push(start);
    }
    starts
}

/// The number of words strictly between two ranges (0 when they touch or overlap),
/// from the document's word starts.
fn words_between(starts: &[usize], a: ProseRange, b: ProseRange) -> usize {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if first.end >= second.start {
        return 0;
    }
    let from = starts.partition_point(|&s| s < first.end);
    let to = starts.partition_point(|&s| s < second.start);
    to.saturating_sub(from)
}

impl<'a> Evaluator<'a> {
    pub fn new(doc: &'a Document, leaves: &'a Leaves) -> Self {
        Self {
            doc,
            leaves,
            found: (0..leaves.len()).map(|_| OnceCell::new()).collect(),
            occurrences: OnceCell::new(),
            word_starts: OnceCell::new(),
        }
    }

    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// Every match of a leaf in the document, in order.
    ///
    /// Matches are found sentence by sentence: a match lies inside one sentence, and
    /// a sentence's matches are those a search confined to it finds (word boundaries
    /// and line anchors still see the text around it). So "MS 0160 / 702 SW 8th
    /// Street" on two lines still finds the street address on the second.
    ///
    /// Only sentences holding one of the leaf's literals can hold a match; runs of
    /// such sentences are searched together, which finds the same matches as
    /// searching each alone (see `search_run`).
    pub fn leaf_matches(&self, leaf: usize) -> &[ProseRange] {
        self.found[leaf].get_or_init(|| {
            let sentences = &self.doc.sentences;
            let candidates = self.leaves.prefilter().candidates(
                leaf,
                self.occurrences
                    .get_or_init(|| self.leaves.prefilter().scan(self.doc.prose(), sentences)),
            );
            let mut found = Vec::new();
            let mut search = |first: usize, last: usize| {
                self.search_run(&self.leaves[leaf], first, last, &mut found)
            };
            match candidates {
                None if !sentences.is_empty() => search(0, sentences.len() - 1),
                None => {}
                Some(candidates) => {
                    for run in candidates.chunk_by(|a, b| *a + 1 == *b) {
                        search(run[0] as usize, run[run.len() - 1] as usize);
                    }
                }
            }
            found.shrink_to_fit();
            found
        })
    }

    /// The matches of `leaf` in sentences `first..=last`, pushed onto `found`.
    ///
    /// One search spans the whole run. A match found there that lies inside its
    /// sentence is what a search of that sentence alone finds too: the shorter span
    /// can only lose matches, never gain one, so the leftmost match of the longer
    /// span is also the leftmost of the shorter. A match that leaves its sentence is
    /// searched for again inside the sentence.
    fn search_run(&self, leaf: &Leaf, first: usize, last: usize, found: &mut Vec<ProseRange>) {
        let prose = self.doc.prose();
        let bytes = prose.as_bytes();
        let sentences = &self.doc.sentences[..=last];
        let run_end = sentences[last].end;
        let mut at = sentences[first].start;
        while at <= run_end {
            let Some(mut m) = leaf.regex.find(Input::new(prose).span(at..run_end)) else {
                break;
            };
            // The sentence the match starts in, or the next one if it starts between
            // sentences (such a match belongs to none).
            let i = first + sentences[first..].partition_point(|s| s.end <= m.start());
            let Some(&sentence) = sentences.get(i) else {
                break;
            };
            if sentence.start > m.start() {
                at = sentence.start;
                continue;
            }
            if m.end() > sentence.end {
                match leaf
                    .regex
                    .find(Input::new(prose).span(m.start()..sentence.end))
                {
                    Some(inside) => m = inside,
                    None => {
                        match sentences.get(i + 1) {
                            Some(next) => at = next.start,
                            None => break,
                        }
                        continue;
                    }
                }
            }
            if !m.is_empty()
                && !on_word_boundaries(bytes, m.start(), m.end())
                && let Some(longer) = leaf.match_to_word_end(prose, m.start(), sentence.end)
            {
                m = longer;
            }
            if !m.is_empty() && on_word_boundaries(bytes, m.start(), m.end()) {
                found.push(ProseRange::new(m.start(), m.end()));
            }
            at = if m.is_empty() {
                next_char(prose, m.end())
            } else {
                m.end()
            };
        }
    }

    /// The leaf's matches that lie entirely inside `unit`.
    fn leaf_within(&self, leaf: usize, unit: ProseRange) -> &[ProseRange] {
        let all = self.leaf_matches(leaf);
        // Matches do not overlap, so starts and ends are both sorted.
        let lo = all.partition_point(|m| m.start < unit.start);
        let hi = all.partition_point(|m| m.end <= unit.end).max(lo);
        &all[lo..hi]
    }

    /// The units a scope divides the document into.
    pub fn units(&self, scope: Scope) -> Vec<ProseRange> {
        let doc = self.doc;
        match scope {
            Scope::Document => vec![ProseRange::new(0, doc.prose().len())],
            Scope::Section => doc.sections.iter().map(|s| s.range).collect(),
            Scope::Paragraph => doc.blocks.iter().map(|b| b.range).collect(),
            Scope::Sentence => doc.sentences.clone(),
        }
    }

    /// The first position where `matcher` matches inside `unit`.
    pub fn first(&self, matcher: &Matcher, unit: ProseRange) -> Option<ProseRange> {
        match matcher {
            Matcher::Leaf(leaf) => self.leaf_within(*leaf, unit).first().copied(),
            Matcher::All(parts) => {
                let (head, rest) = parts.split_first()?;
                let first = self.first(head, unit)?;
                rest.iter()
                    .all(|p| self.first(p, unit).is_some())
                    .then_some(first)
            }
            Matcher::Any(parts) => parts.iter().filter_map(|p| self.first(p, unit)).min(),
            Matcher::Not(inner) => self.first(inner, unit).is_none().then_some(unit),
            Matcher::Near { .. } => self.positions(matcher, unit).first().copied(),
        }
    }

    /// Every position where `matcher` matches inside `unit`. `all` and `near` report
    /// the positions of their first part; `not` reports the whole unit.
    pub fn positions(&self, matcher: &Matcher, unit: ProseRange) -> Vec<ProseRange> {
        match matcher {
            Matcher::Leaf(leaf) => self.leaf_within(*leaf, unit).to_vec(),
            Matcher::All(parts) => {
                let Some((head, rest)) = parts.split_first() else {
                    return Vec::new();
                };
                if rest.iter().all(|p| self.first(p, unit).is_some()) {
                    self.positions(head, unit)
                } else {
                    Vec::new()
                }
            }
            Matcher::Any(parts) => {
                let mut all: Vec<ProseRange> =
                    parts.iter().flat_map(|p| self.positions(p, unit)).collect();
                all.sort();
                all.dedup();
                all
            }
            Matcher::Not(inner) => match self.first(inner, unit) {
                Some(_) => Vec::new(),
                None => vec![unit],
            },
            Matcher::Near { within, parts } => {
                let Some((head, rest)) = parts.split_first() else {
                    return Vec::new();
                };
                let others: Vec<Vec<ProseRange>> =
                    rest.iter().map(|p| self.positions(p, unit)).collect();
                let starts = self
                    .word_starts
                    .get_or_init(|| word_starts(self.doc.prose()));
                // Positions are sorted by start: the nearest candidates on either side
                // of a head are the only ones that can be within reach.
                let near = |h: ProseRange, candidates: &[ProseRange]| {
                    let i = candidates.partition_point(|c| c.start < h.start);
                    candidates[i.saturating_sub(2)..(i + 2).min(candidates.len())]
                        .iter()
                        .any(|&c| words_between(starts, h, c) <= *within)
                };
                self.positions(head, unit)
                    .into_iter()
                    .filter(|&h| others.iter().all(|candidates| near(h, candidates)))
                    .collect()
            }
        }
    }

    /// The first unit of the clause's scope where it matches, and the position.
    pub fn find(&self, clause: &Clause) -> Option<(ProseRange, ProseRange)> {
        self.units(clause.scope)
            .into_iter()
            .find_map(|unit| self.first(&clause.matcher, unit).map(|at| (unit, at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_between_counts_only_words() {
        let prose = "contact us — by phone";
        let starts = word_starts(prose);
        let a = ProseRange::new(0, 7);
        let b = ProseRange::new(16, 21);
        assert_eq!(words_between(&starts, a, b), 2);
        assert_eq!(words_between(&starts, b, a), 2);
        assert_eq!(words_between(&starts, a, ProseRange::new(3, 9)), 0);
    }

    #[test]
    fn partial_words_are_not_matches() {
        assert!(!on_word_boundaries(b"retained", 0, 6));
        assert!(on_word_boundaries(b"we retain it", 3, 9));
        assert!(on_word_boundaries(b"x {{name}}", 2, 10));
    }
}
