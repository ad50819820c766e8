//! Evaluating compiled matchers on a document.
//!
//! Each leaf regex is searched for once per document, sentence by sentence, on first
//! use (or up front, in parallel, for a long document); a matcher is then evaluated
//! per scope unit (sentence, paragraph, section, document) by looking up the leaf
//! matches that lie inside the unit. A [`Memo`] of one version's matches lets the
//! next version, after an edit, search only the sentences that changed.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::document::Document;
use regex::Regex;

use crate::prefilter::Occurrences;
use crate::rules::{Clause, Leaf, Leaves, Matcher, Scope};
use crate::span::ProseRange;
use rayon::prelude::*;
use regex_automata::{Input, Match, meta};

/// The prose length from which a document's leaves are searched in parallel.
const PARALLEL_FROM: usize = 1 << 20;

pub struct Evaluator<'a> {
    doc: &'a Document,
    leaves: &'a Leaves,
    found: Vec<OnceCell<Vec<ProseRange>>>,
    /// What a lint of an earlier version of the document found, and how that
    /// version's sentences map to this one's (worked out on first use).
    earlier: Option<(&'a Memo, OnceCell<Reuse>)>,
    /// Where the leaves' literals occur (found for all leaves at once, on first use).
    occurrences: OnceCell<Occurrences>,
}

/// The leaf matches one lint found, kept so that linting the next version of the
/// document (after an edit) searches only the sentences that changed.
///
/// A sentence's matches depend only on its text and the character on either side
/// (which word boundaries and line anchors look at), so a sentence whose text and
/// neighbouring characters are unchanged has the same matches, moved.
pub struct Memo {
    /// The rule set the matches were found under ([`Leaves::id`]).
    rules: u64,
    prose: String,
    sentences: Vec<ProseRange>,
    /// Sentence by [`context_hash`]; the first of equal sentences.
    index: HashMap<u64, u32>,
    /// Per leaf, its matches, if the lint searched for it.
    found: Vec<Option<Vec<ProseRange>>>,
}

/// How the sentences of an earlier version map to a document's.
struct Reuse {
    /// (earlier sentence, sentence now with the same text), ascending.
    pairs: Vec<(u32, u32)>,
    /// The sentences with no earlier twin, ascending.
    changed: Vec<u32>,
    /// Where the leaves' literals occur in the changed sentences.
    occurrences: Occurrences,
}

impl Reuse {
    /// The sentences that repeat earlier sentence `then`.
    fn now_of(&self, then: usize) -> impl Iterator<Item = &u32> {
        let then = then as u32;
        let lo = self.pairs.partition_point(|&(j, _)| j < then);
        self.pairs[lo..]
            .iter()
            .take_while(move |&&(j, _)| j == then)
            .map(|(_, i)| i)
    }
}

impl Memo {
    fn reuse(&self, doc: &Document, leaves: &Leaves) -> Reuse {
        let prose = doc.prose();
        let mut pairs = Vec::new();
        let mut changed = Vec::new();
        for (i, &s) in doc.sentences.iter().enumerate() {
            let twin = self.index.get(&context_hash(prose, s)).filter(|&&j| {
                let then = self.sentences[j as usize];
                context(&self.prose, then) == context(prose, s)
            });
            match twin {
                Some(&j) => pairs.push((j, i as u32)),
                None => changed.push(i as u32),
            }
        }
        pairs.sort_unstable();
        Reuse {
            occurrences: leaves
                .prefilter()
                .scan_some(prose, &doc.sentences, &changed),
            pairs,
            changed,
        }
    }
}

/// A sentence with the character before and after it (none at either end of the
/// prose): all that its matches depend on.
fn context(prose: &str, s: ProseRange) -> (Option<char>, &str, Option<char>) {
    let before = prose[..s.start].chars().next_back();
    let after = prose[s.end..].chars().next();
    (before, &prose[s.start..s.end], after)
}

fn context_hash(prose: &str, s: ProseRange) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    context(prose, s).hash(&mut hasher);
    hasher.finish()
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

/// The number of words strictly between two ranges (0 when they touch or overlap),
/// counted up to `limit + 1`. A word is a run of non-space with a letter or digit; it
/// counts when it starts after the first range ends and before the second starts.
fn words_between(prose: &str, a: ProseRange, b: ProseRange, limit: usize) -> usize {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if first.end >= second.start {
        return 0;
    }
    let mut chars = prose[first.end..].char_indices().peekable();
    // The rest of a word that began inside the first range is not between.
    if prose[..first.end]
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace())
    {
        while chars.next_if(|&(_, c)| !c.is_whitespace()).is_some() {}
    }
    let mut count = 0;
    while count <= limit {
        while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        match chars.peek() {
            Some(&(at, _)) if first.end + at < second.start => {}
            _ => break,
        }
        let mut word = false;
        while let Some((_, c)) = chars.next_if(|&(_, c)| !c.is_whitespace()) {
            word |= c.is_alphanumeric();
        }
        count += usize::from(word);
    }
    count
}

impl<'a> Evaluator<'a> {
    /// An evaluator that takes the matches of unchanged sentences from `earlier`, the
    /// memo of an earlier version of the document under the same rules.
    pub fn reusing(doc: &'a Document, leaves: &'a Leaves, earlier: Option<&'a Memo>) -> Self {
        Self {
            doc,
            leaves,
            found: (0..leaves.len()).map(|_| OnceCell::new()).collect(),
            earlier: earlier
                .filter(|memo| memo.rules == leaves.id())
                .map(|memo| (memo, OnceCell::new())),
            occurrences: OnceCell::new(),
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
        self.found[leaf].get_or_init(|| match self.earlier_matches(leaf) {
            None => {
                let mut searcher = Searcher::pooled(&self.leaves[leaf]);
                search_document(
                    self.doc,
                    self.leaves,
                    self.occurrences(),
                    leaf,
                    &mut searcher,
                )
            }
            Some((memo, reuse, before)) => self.reuse_and_search(leaf, memo, reuse, before),
        })
    }

    /// The matches of `leaf`: in the sentences unchanged since the earlier version,
    /// its earlier matches moved; the sentences that changed are searched.
    fn reuse_and_search(
        &self,
        leaf: usize,
        memo: &Memo,
        reuse: &Reuse,
        before: &[ProseRange],
    ) -> Vec<ProseRange> {
        let mut found = Vec::new();
        for m in before {
            let then = memo.sentences.partition_point(|s| s.end <= m.start);
            for &now in reuse.now_of(then) {
                let (from, to) = (memo.sentences[then], self.doc.sentences[now as usize]);
                found.push(ProseRange::new(
                    m.start - from.start + to.start,
                    m.end - from.start + to.start,
                ));
            }
        }
        let sentences = match self.leaves.prefilter().candidates(leaf, &reuse.occurrences) {
            Some(candidates) => candidates,
            None => reuse.changed.clone(),
        };
        let mut searcher = Searcher::pooled(&self.leaves[leaf]);
        search(self.doc, &mut searcher, &sentences, &mut found);
        found.sort_unstable();
        found.shrink_to_fit();
        found
    }

    /// Where the leaves' literals occur in the document (found on first use).
    fn occurrences(&self) -> &Occurrences {
        self.occurrences.get_or_init(|| {
            self.leaves
                .prefilter()
                .scan(self.doc.prose(), &self.doc.sentences)
        })
    }

    /// Searches a long document for every leaf up front, on all cores: one long
    /// document would otherwise be linted on one. (A short one is left to find its
    /// leaves on first use: files are linted in parallel already, and a leaf that no
    /// rule reaches costs nothing.)
    pub fn search_all_if_long(&self) {
        if self.doc.prose().len() < PARALLEL_FROM || self.earlier.is_some() {
            return;
        }
        let occurrences = self.occurrences();
        let (doc, leaves) = (self.doc, self.leaves);
        let all: Vec<Vec<ProseRange>> = (0..leaves.len())
            .into_par_iter()
            .map(|leaf| {
                let mut cache = leaves[leaf].regex.create_cache();
                let mut searcher = Searcher::with_cache(&leaves[leaf], &mut cache);
                search_document(doc, leaves, occurrences, leaf, &mut searcher)
            })
            .collect();
        for (cell, found) in self.found.iter().zip(all) {
            // The cells are empty: nothing was searched yet.
            let _ = cell.set(found);
        }
    }

    /// The earlier version's matches of `leaf`, when the earlier lint searched for
    /// it, with how its sentences map to this version's.
    fn earlier_matches(&self, leaf: usize) -> Option<(&'a Memo, &Reuse, &'a [ProseRange])> {
        let (memo, reuse) = self.earlier.as_ref()?;
        let before = memo.found.get(leaf)?.as_deref()?;
        let reuse = reuse.get_or_init(|| memo.reuse(self.doc, self.leaves));
        Some((memo, reuse, before))
    }

    /// What this evaluation found, for linting the next version of the document.
    pub fn into_memo(self) -> Memo {
        let doc = self.doc;
        let sentences = doc.sentences.clone();
        let mut index = HashMap::with_capacity(sentences.len());
        for (i, &s) in sentences.iter().enumerate().rev() {
            index.insert(context_hash(doc.prose(), s), i as u32);
        }
        Memo {
            rules: self.leaves.id(),
            prose: doc.prose().to_string(),
            sentences,
            index,
            found: self.found.into_iter().map(OnceCell::into_inner).collect(),
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
            Matcher::AtLeast { n, parts } => {
                let found: Vec<ProseRange> =
                    parts.iter().filter_map(|p| self.first(p, unit)).collect();
                (found.len() >= *n).then(|| found.into_iter().min())?
            }
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
            Matcher::AtLeast { n, parts } => {
                let found: Vec<Vec<ProseRange>> = parts
                    .iter()
                    .map(|p| self.positions(p, unit))
                    .filter(|positions| !positions.is_empty())
                    .collect();
                if found.len() < *n {
                    return Vec::new();
                }
                let mut all: Vec<ProseRange> = found.into_iter().flatten().collect();
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
                let prose = self.doc.prose();
                // Positions are sorted by start: the nearest candidates on either side
                // of a head are the only ones that can be within reach.
                let near = |h: ProseRange, candidates: &[ProseRange]| {
                    let i = candidates.partition_point(|c| c.start < h.start);
                    candidates[i.saturating_sub(2)..(i + 2).min(candidates.len())]
                        .iter()
                        .any(|&c| words_between(prose, h, c, *within) <= *within)
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

/// A leaf's regex with the scratch memory its searches use: the regex's own pool,
/// whose caches stay for the next document, or a cache lent by the caller. A long
/// document lends a cache that is freed when the leaf is done: it would otherwise
/// leave every regex's cache grown to full size (half the memory of a 12 MB policy).
struct Searcher<'l> {
    leaf: &'l Leaf,
    cache: Option<&'l mut meta::Cache>,
}

impl<'l> Searcher<'l> {
    fn pooled(leaf: &'l Leaf) -> Self {
        Searcher { leaf, cache: None }
    }

    fn with_cache(leaf: &'l Leaf, cache: &'l mut meta::Cache) -> Self {
        Searcher {
            leaf,
            cache: Some(cache),
        }
    }

    fn find(&mut self, input: Input) -> Option<Match> {
        match &mut self.cache {
            Some(cache) => self.leaf.regex.search_with(cache, &input),
            None => self.leaf.regex.search(&input),
        }
    }
}

/// Searches `sentences` (indices, ascending) of `doc` for `leaf`, a run of
/// consecutive sentences at a time.
fn search(doc: &Document, searcher: &mut Searcher, sentences: &[u32], found: &mut Vec<ProseRange>) {
    for run in sentences.chunk_by(|a, b| *a + 1 == *b) {
        let (first, last) = (run[0] as usize, run[run.len() - 1] as usize);
        search_run(doc, searcher, first, last, found);
    }
}

/// Every match of `leaf` in a document, where `occurrences` says its literals are.
fn search_document(
    doc: &Document,
    leaves: &Leaves,
    occurrences: &Occurrences,
    leaf: usize,
    searcher: &mut Searcher,
) -> Vec<ProseRange> {
    let mut found = Vec::new();
    match leaves.prefilter().candidates(leaf, occurrences) {
        Some(candidates) => search(doc, searcher, &candidates, &mut found),
        None => {
            let all: Vec<u32> = (0..doc.sentences.len() as u32).collect();
            search(doc, searcher, &all, &mut found);
        }
    }
    found.shrink_to_fit();
    found
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
    found: &mut Vec<ProseRange>,
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
            found.push(ProseRange::new(m.start(), m.end()));
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
    fn words_between_counts_only_words() {
        let prose = "contact us — by phone";
        let a = ProseRange::new(0, 7);
        let b = ProseRange::new(18, 23);
        assert_eq!(words_between(prose, a, b, 5), 2);
        assert_eq!(words_between(prose, b, a, 5), 2);
        assert_eq!(words_between(prose, a, b, 0), 1);
        assert_eq!(words_between(prose, a, ProseRange::new(3, 9), 5), 0);
        // The rest of a word the first range ends inside is not between.
        let prose = "personal-data is kept";
        let kept = ProseRange::new(17, 21);
        assert_eq!(words_between(prose, ProseRange::new(0, 8), kept, 5), 1);
    }

    #[test]
    fn partial_words_are_not_matches() {
        assert!(!on_word_boundaries(b"retained", 0, 6));
        assert!(on_word_boundaries(b"we retain it", 3, 9));
        assert!(on_word_boundaries(b"x {{name}}", 2, 10));
    }
}
