//! Searching a document for the leaf patterns of the rules: only the sentences that
//! hold a leaf's literals, a run of them at a time, each leaf once per document (or
//! per changed sentence, after an edit).

use std::cell::Ref;
use std::sync::MutexGuard;

use rayon::prelude::*;
use regex::Regex;
use regex_automata::{Input, Match, meta};

use super::{Evaluator, Found};
use crate::document::Document;
use crate::prefilter::Occurrences;
use crate::rules::{Leaf, Leaves};

/// The prose length from which a document's leaves are searched up front, in
/// parallel (see [`Evaluator::search_all_if_long`]).
pub const SEARCH_UP_FRONT_FROM: usize = 1 << 20;

impl<'a> Evaluator<'a> {
    /// Every match of a leaf in the document, in order.
    ///
    /// Matches are found sentence by sentence: a match lies inside one sentence, and
    /// a sentence's matches are those a search confined to it finds (word boundaries
    /// and line anchors still see the text around it). So "MS 0160 / 702 SW 8th
    /// Street" on two lines still finds the street address on the second.
    ///
    /// Only sentences holding the leaf's literals can hold a match; runs of such
    /// sentences are searched together, which finds the same matches as searching
    /// each alone (see `search_run`).
    pub fn leaf_matches(&self, leaf: usize) -> Ref<'_, [Found]> {
        self.leaf_matches_before(leaf, usize::MAX)
    }

    /// The leaf's matches in the sentences that start before `end` (and perhaps
    /// more). The document is searched only as far as asked, a stretch at a time:
    /// a rule satisfied in the second section does not search the tenth. Sentences
    /// are searched in order and each alone finds the same matches, so the result
    /// does not depend on how far each step went.
    pub(super) fn leaf_matches_before(&self, leaf: usize, end: usize) -> Ref<'_, [Found]> {
        let sentences = &self.doc.sentences;
        {
            // Most calls ask for what is searched already.
            let progress = self.found[leaf].borrow();
            let searched = progress.left.as_ref().is_some_and(|left| {
                left.get(progress.next)
                    .is_none_or(|&i| sentences[i as usize].start >= end)
            });
            if searched {
                return Ref::map(progress, |p| p.found.as_slice());
            }
        }
        {
            let mut progress = self.found[leaf].borrow_mut();
            if progress.left.is_none() {
                let left = match self.earlier_matches(leaf) {
                    None => candidates(self.doc, self.leaves, self.occurrences(), leaf),
                    Some((memo, reuse, before)) => {
                        let (moved, left) = self.reuse_and_plan(leaf, memo, reuse, before);
                        progress.found = moved;
                        left
                    }
                };
                progress.left = Some(left);
            }
            let Progress { found, left, next } = &mut *progress;
            let left = left.get_or_insert_with(Vec::new);
            let upto =
                *next + left[*next..].partition_point(|&i| sentences[i as usize].start < end);
            if upto > *next {
                let mut searcher = Searcher::new(&self.leaves[leaf]);
                let known = found.len();
                search(self.doc, &mut searcher, &left[*next..upto], found);
                // After an edit, matches moved from the earlier version may lie
                // beyond the sentences just searched: keep the list in order.
                if known > 0 && known < found.len() && found[known] < found[known - 1] {
                    found.sort();
                }
                *next = upto;
            }
            if *next == left.len() && left.capacity() > 0 {
                *left = Vec::new();
                *next = 0;
                found.shrink_to_fit();
            }
        }
        Ref::map(self.found[leaf].borrow(), |p| p.found.as_slice())
    }

    /// The earliest place where a match of the leaf that starts at `from` or later
    /// can end, from what is searched so far; `None` if there is no such match. It is
    /// the end of the first such match found, or the start of the next sentence not
    /// yet searched that may hold one, whichever comes first. Searches nothing.
    pub(super) fn next_match_ends_from(&self, leaf: usize, from: usize) -> Option<usize> {
        // Asking for nothing before 0 works out the candidate sentences if needed.
        drop(self.leaf_matches_before(leaf, 0));
        let progress = self.found[leaf].borrow();
        let found = &progress.found;
        let found_end = found
            .get(found.partition_point(|m| m.start() < from))
            .map(|m| m.end());
        let unsearched = progress
            .left
            .as_ref()
            .and_then(|left| left.get(progress.next))
            .map(|&sentence| self.doc.sentences[sentence as usize].start);
        match (found_end, unsearched) {
            (Some(end), Some(start)) => Some(end.min(start)),
            (end, start) => end.or(start),
        }
    }

    /// Where the leaves' literals occur in the document (found on first use).
    fn occurrences(&self) -> &Occurrences {
        self.occurrences.get_or_init(|| {
            self.leaves
                .prefilter()
                .scan(self.doc.prose(), &self.doc.sentences)
        })
    }

    /// Searches a document with `long` bytes of prose or more for the leaves in
    /// `wanted` (indices) up front, through the whole document, on all cores: one long
    /// document would otherwise be linted on one. (A short one is left to search each
    /// leaf as far as the rules ask: files are linted in parallel already, and a leaf
    /// that no rule reaches costs nothing.)
    pub fn search_all_if_long(&self, wanted: &[usize], long: usize) {
        if self.doc.prose().len() < long || self.earlier.is_some() {
            return;
        }
        let occurrences = self.occurrences();
        let (doc, leaves) = (self.doc, self.leaves);
        let all: Vec<(usize, Vec<Found>)> = wanted
            .par_iter()
            .filter(|&&leaf| leaf < leaves.len())
            .map(|&leaf| {
                let mut cache = leaves[leaf].regex().create_cache();
                let mut searcher = Searcher::with_cache(&leaves[leaf], &mut cache);
                let mut found = Vec::new();
                let left = candidates(doc, leaves, occurrences, leaf);
                search(doc, &mut searcher, &left, &mut found);
                found.shrink_to_fit();
                (leaf, found)
            })
            .collect();
        for (leaf, found) in all {
            // Nothing was searched yet; now everything is.
            *self.found[leaf].borrow_mut() = Progress::done(found);
        }
    }
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

/// A leaf's regex with the scratch memory its searches use, which stays for the next
/// document: the leaf's shared cache, so that the lazy DFA states one thread builds
/// serve the others (a quarter of the time of a lint of a few hundred files was
/// building them, once per thread); or, while another thread has that, the regex's
/// pool; or a cache lent by the caller. A long document lends a cache that is freed
/// when the leaf is done: it would otherwise leave every regex's cache grown to full
/// size (half the memory of a 12 MB policy).
pub(super) struct Searcher<'l> {
    leaf: &'l Leaf,
    cache: Scratch<'l>,
}

enum Scratch<'l> {
    /// The leaf's shared cache, held for this searcher's life.
    Shared(MutexGuard<'l, meta::Cache>),
    /// Another thread holds the shared one: the regex's pool gives this thread its own.
    Pooled,
    Lent(&'l mut meta::Cache),
}

impl<'l> Searcher<'l> {
    /// With the leaf's shared cache if it is free, else the regex's pool.
    pub(super) fn new(leaf: &'l Leaf) -> Self {
        let cache = leaf.shared_cache().map_or(Scratch::Pooled, Scratch::Shared);
        Searcher { leaf, cache }
    }

    fn with_cache(leaf: &'l Leaf, cache: &'l mut meta::Cache) -> Self {
        Searcher {
            leaf,
            cache: Scratch::Lent(cache),
        }
    }

    fn find(&mut self, input: Input) -> Option<Match> {
        let regex = self.leaf.regex();
        match &mut self.cache {
            Scratch::Shared(cache) => regex.search_with(cache, &input),
            Scratch::Pooled => regex.search(&input),
            Scratch::Lent(cache) => regex.search_with(cache, &input),
        }
    }
}

/// Searches `sentences` (indices, ascending) of `doc` for `leaf`, a run of
/// consecutive sentences at a time.
pub(super) fn search(
    doc: &Document,
    searcher: &mut Searcher,
    sentences: &[u32],
    found: &mut Vec<Found>,
) {
    for run in sentences.chunk_by(|a, b| *a + 1 == *b) {
        let (first, last) = (run[0] as usize, run[run.len() - 1] as usize);
        search_run(doc, searcher, first, last, found);
    }
}

/// How far a leaf has been searched in one document, and what was found.
#[derive(Default)]
pub(super) struct Progress {
    /// The matches found so far, in order.
    pub(super) found: Vec<Found>,
    /// The sentences that may hold a match (indices, ascending), once known; emptied
    /// when all are searched.
    left: Option<Vec<u32>>,
    /// How many of `left` are searched.
    next: usize,
}

impl Progress {
    /// Whether the leaf was searched through the whole document.
    #[cfg(test)]
    pub(super) fn finished(&self) -> bool {
        self.left
            .as_ref()
            .is_some_and(|left| self.next == left.len())
    }

    /// A leaf searched through the whole document.
    pub(super) fn done(found: Vec<Found>) -> Progress {
        Progress {
            found,
            left: Some(Vec::new()),
            next: 0,
        }
    }

    /// The matches found so far and the sentences that may hold more but are not
    /// searched yet; `None` if the leaf was not searched at all.
    pub(super) fn into_parts(self) -> Option<(Vec<Found>, Vec<u32>)> {
        let mut left = self.left?;
        left.drain(..self.next);
        Some((self.found, left))
    }
}

/// The sentences of a document that may hold a match of `leaf`, where `occurrences`
/// says its literals are.
fn candidates(doc: &Document, leaves: &Leaves, occurrences: &Occurrences, leaf: usize) -> Vec<u32> {
    leaves
        .prefilter()
        .candidates(leaf, occurrences)
        .unwrap_or_else(|| (0..doc.sentences.len() as u32).collect())
}

/// The matches of `leaf` in sentences `first..=last`, pushed onto `found`.
///
/// One search spans the whole run. A match found there that lies inside its
/// sentence is what a search of that sentence alone finds too: the shorter span
/// can only lose matches, never gain one, so the leftmost match of the longer
/// span is also the leftmost of the shorter. A match that leaves its sentence is
/// searched for again inside the sentence.
fn search_run(
    doc: &Document,
    searcher: &mut Searcher,
    first: usize,
    last: usize,
    found: &mut Vec<Found>,
) {
    let prose = doc.prose();
    let bytes = prose.as_bytes();
    let sentences = &doc.sentences[..=last];
    let run_end = sentences[last].end;
    let mut at = sentences[first].start;
    while at <= run_end {
        let Some(mut m) = searcher.find(Input::new(prose).span(at..run_end)) else {
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
            match searcher.find(Input::new(prose).span(m.start()..sentence.end)) {
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
            && let Some(longer) = searcher
                .leaf
                .match_to_word_end(prose, m.start(), sentence.end)
        {
            m = longer;
        }
        if !m.is_empty() && on_word_boundaries(bytes, m.start(), m.end()) {
            found.push(Found::new(m.start(), m.end()));
        }
        at = if m.is_empty() {
            next_char(prose, m.end())
        } else {
            m.end()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_words_are_not_matches() {
        assert!(!on_word_boundaries(b"retained", 0, 6));
        assert!(on_word_boundaries(b"we retain it", 3, 9));
        assert!(on_word_boundaries(b"x {{name}}", 2, 10));
    }
}
