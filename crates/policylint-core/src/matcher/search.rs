//! Searching a document for the leaf patterns of the rules: only the sentences that
//! hold a leaf's literals, a run of them at a time, each leaf once per document (or
//! per changed sentence, after an edit).

use std::ops::{Deref, Range};
use std::sync::{Arc, MutexGuard, PoisonError, RwLock, RwLockReadGuard};

use regex::Regex;
use regex_automata::{Input, Match, meta};

use super::{Evaluator, Found, SentenceAlphabets, SentenceIndex};
use crate::document::Document;
use crate::prefilter::{Occurrences, SentenceSet};
use crate::rules::{Alphabet, Leaf, SharedCache};

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
    pub fn leaf_matches(&self, leaf: usize) -> Matches<'_> {
        self.leaf_matches_in(leaf, 0, usize::MAX)
    }

    /// The leaf's matches, with those in the sentences that overlap `start..end`
    /// among them (and perhaps more). Only the sentences asked about are searched: a
    /// rule satisfied in the second section does not search the tenth, and a rule
    /// that needs a second statement in the sentence of the first searches for it
    /// only there. Each sentence alone finds the same matches, so the result does not
    /// depend on what was asked before, nor on which thread searched what.
    pub(super) fn leaf_matches_in(&self, leaf: usize, start: usize, end: usize) -> Matches<'_> {
        let sentences = &self.doc.sentences;
        let index = self.sentence_index();
        let first = index.ending_by(sentences, start);
        let past = index.starting_before(sentences, end);
        let searched = |progress: &Progress| {
            progress
                .left
                .as_ref()
                .is_some_and(|left| left.first_from(first).is_none_or(|i| i as usize >= past))
        };
        {
            // Most calls ask for what is searched already.
            let progress = read(&self.found[leaf]);
            if searched(&progress) {
                return Matches::all(progress);
            }
        }
        {
            let mut progress = self.found[leaf]
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let Progress { found, left } = &mut *progress;
            let left = match left {
                Some(left) => left,
                None => left.insert(match self.earlier_matches(leaf) {
                    None => self.leaves.prefilter().candidate_set(
                        leaf,
                        self.occurrences(),
                        sentences.len(),
                    ),
                    Some((memo, reuse, before)) => {
                        let (moved, left) = self.reuse_and_plan(leaf, memo, reuse, before);
                        *found = moved;
                        SentenceSet::of(&left, sentences.len())
                    }
                }),
            };
            // Another thread may have searched these meanwhile.
            let mut stretch = Vec::new();
            left.take_within(first..past, &mut stretch);
            if !stretch.is_empty() {
                let mut more = Vec::new();
                let leaf = &self.leaves[leaf];
                search(self.doc, leaf, self.alphabets(), &stretch, &mut more);
                merge_into(found, more);
                if left.is_empty() {
                    found.shrink_to_fit();
                }
            }
        }
        Matches::all(read(&self.found[leaf]))
    }

    /// How many sentences may hold a match of the leaf and are not searched yet, as
    /// [`Evaluator::sentences_left`] says, but without keeping the set of them when
    /// it is still to be worked out (and no earlier version's matches are reused):
    /// asked about every leaf of a long document before any is searched, the sets
    /// of all of them would be held at once.
    pub fn count_left(&self, leaf: usize) -> usize {
        if self.earlier.is_some() {
            return self.sentences_left(leaf);
        }
        if let Some(left) = &read(&self.found[leaf]).left {
            return left.len();
        }
        let count = self.doc.sentences.len();
        (self.leaves.prefilter())
            .candidate_set(leaf, self.occurrences(), count)
            .len()
    }

    /// Drops what the leaf's searches found in this document and which sentences are
    /// left to search, once no rule will ask: on a long document these add up. Were
    /// the leaf asked about again, it would be searched again.
    pub fn forget(&self, leaf: usize) {
        *self.found[leaf]
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Progress::default();
    }

    /// How many sentences may hold a match of the leaf and are not searched yet
    /// (worked out now if need be). Searches nothing.
    pub fn sentences_left(&self, leaf: usize) -> usize {
        let progress = self.leaf_matches_in(leaf, 0, 0).progress;
        progress.left.as_ref().map_or(0, SentenceSet::len)
    }

    /// The earliest place where a match of the leaf that starts at `from` or later
    /// can end, from what is searched so far; `None` if there is no such match. It is
    /// the end of the first such match found, or the start of the first sentence not
    /// yet searched that may hold one, whichever comes first. Searches nothing.
    pub(super) fn next_match_ends_from(&self, leaf: usize, from: usize) -> Option<usize> {
        // Asking about no sentence works out the candidate sentences if needed.
        let progress = self.leaf_matches_in(leaf, 0, 0).progress;
        let found = &progress.found;
        let found_end = found
            .get(found.partition_point(|m| m.start() < from))
            .map(|m| m.end());
        let sentences = &self.doc.sentences;
        // A sentence that ends by `from` holds no match that starts there or later.
        let unsearched = progress
            .left
            .as_ref()
            .and_then(|left| left.first_from(self.sentence_index().ending_by(sentences, from)))
            .map(|sentence| sentences[sentence as usize].start);
        match (found_end, unsearched) {
            (Some(end), Some(start)) => Some(end.min(start)),
            (end, start) => end.or(start),
        }
    }

    /// The alphabet of each of the document's sentences.
    fn alphabets(&self) -> &SentenceAlphabets {
        self.alphabets
            .get_or_init(|| SentenceAlphabets::of(self.doc.prose(), &self.doc.sentences))
    }

    fn sentence_index(&self) -> &SentenceIndex {
        self.sentence_index
            .get_or_init(|| SentenceIndex::new(&self.doc.sentences))
    }

    /// Finds where the leaves' literals occur now, unless an earlier version's
    /// matches are reused (only the changed sentences are then scanned, as needed).
    /// A long text is scanned on all cores: no rule runs yet, so no leaf is locked.
    pub fn find_literals(&self) {
        if self.earlier.is_none() {
            self.occurrences.get_or_init(|| {
                self.leaves
                    .prefilter()
                    .scan(self.doc.prose(), &self.doc.sentences)
            });
        }
    }

    /// Where the leaves' literals occur in the document (found on first use). Found
    /// here on this thread alone, whatever the text's length: the caller may hold a
    /// leaf's lock, and a thread that waited for a scan on all cores could take up
    /// another rule meanwhile, which might ask for the same leaf, or for these
    /// occurrences, and wait on itself.
    fn occurrences(&self) -> &Occurrences {
        self.occurrences.get_or_init(|| {
            self.leaves
                .prefilter()
                .scan_on_one_core(self.doc.prose(), &self.doc.sentences)
        })
    }
}

fn read(progress: &RwLock<Progress>) -> RwLockReadGuard<'_, Progress> {
    // A thread that panicked while searching leaves the matches it had found in
    // order; the panic itself reaches the caller.
    progress.read().unwrap_or_else(PoisonError::into_inner)
}

/// Some of a leaf's matches, in order. The leaf is not searched further while they
/// are held, so hold them only to read them.
pub struct Matches<'e> {
    progress: RwLockReadGuard<'e, Progress>,
    range: Range<usize>,
}

impl<'e> Matches<'e> {
    fn all(progress: RwLockReadGuard<'e, Progress>) -> Matches<'e> {
        let range = 0..progress.found.len();
        Matches { progress, range }
    }

    /// The part that `part` picks out of these matches.
    pub(super) fn narrowed(self, part: impl FnOnce(&[Found]) -> Range<usize>) -> Matches<'e> {
        let within = part(&self);
        let start = self.range.start;
        Matches {
            range: start + within.start..start + within.end,
            progress: self.progress,
        }
    }
}

impl Deref for Matches<'_> {
    type Target = [Found];

    fn deref(&self) -> &[Found] {
        &self.progress.found[self.range.clone()]
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

/// A leaf's regex for one alphabet with the scratch memory its searches use, which
/// stays for the next document: the leaf's shared cache, so that the lazy DFA states
/// one thread builds serve the others (a quarter of the time of a lint of a few
/// hundred files was building them, once per thread); or, while another thread has
/// that, the regex's pool.
pub(super) struct Searcher<'l> {
    leaf: &'l Leaf,
    alphabet: Alphabet,
    cache: Scratch<'l>,
}

enum Scratch<'l> {
    /// The leaf's shared cache, held for this searcher's life (made by its first
    /// search if the leaf has none).
    Shared(MutexGuard<'l, Option<SharedCache>>),
    /// Another thread holds the shared one: the regex's pool gives this thread its own.
    Pooled(Arc<meta::Regex>),
}

impl<'l> Searcher<'l> {
    /// For text in `alphabet`, with the leaf's shared cache if it is free, else the
    /// regex's pool.
    pub(super) fn new(leaf: &'l Leaf, alphabet: Alphabet) -> Self {
        let cache = match leaf.shared_cache(alphabet) {
            Some(shared) => Scratch::Shared(shared),
            None => Scratch::Pooled(leaf.regex(alphabet)),
        };
        Searcher {
            leaf,
            alphabet,
            cache,
        }
    }

    fn find(&mut self, input: Input) -> Option<Match> {
        match &mut self.cache {
            Scratch::Shared(shared) => {
                let shared =
                    shared.get_or_insert_with(|| SharedCache::of(self.leaf, self.alphabet));
                shared.regex.search_with(&mut shared.cache, &input)
            }
            Scratch::Pooled(regex) => regex.search(&input),
        }
    }
}

/// Searches `sentences` (indices, ascending) of `doc` for `leaf`, a run of
/// consecutive sentences of one alphabet at a time, each with the leaf's regex for
/// that alphabet.
pub(super) fn search(
    doc: &Document,
    leaf: &Leaf,
    alphabets: &SentenceAlphabets,
    sentences: &[u32],
    found: &mut Vec<Found>,
) {
    let (mut plain, mut unicode) = (None, None);
    for run in sentences.chunk_by(|a, b| *a + 1 == *b) {
        let (first, last) = (run[0] as usize, run[run.len() - 1] as usize);
        for (alphabet, first, last) in alphabets.parts(first, last) {
            let searcher = match alphabet {
                Alphabet::Plain => &mut plain,
                Alphabet::Unicode => &mut unicode,
            }
            .get_or_insert_with(|| Searcher::new(leaf, alphabet));
            search_run(doc, searcher, first, last, found);
        }
    }
}

/// Where a leaf has been searched in one document, and what was found.
#[derive(Default)]
pub(super) struct Progress {
    /// The matches found so far, in order.
    pub(super) found: Vec<Found>,
    /// The sentences that may hold a match and are not searched yet, once known.
    left: Option<SentenceSet>,
}

impl Progress {
    /// The matches found so far and the sentences that may hold more but are not
    /// searched yet; `None` if the leaf was not searched at all.
    pub(super) fn into_parts(self) -> Option<(Vec<Found>, Vec<u32>)> {
        let left = self.left?;
        Some((self.found, left.to_list()))
    }
}

/// Adds `more` (in order) to `found` (in order), keeping the order. The sentences
/// just searched may lie before, between or after those searched before; none
/// was searched twice, so no match is in both.
fn merge_into(found: &mut Vec<Found>, more: Vec<Found>) {
    let Some(&first) = more.first() else {
        return;
    };
    let at = found.partition_point(|m| *m < first);
    if at == found.len() {
        found.extend(more);
        return;
    }
    let after = found.split_off(at);
    found.reserve(after.len() + more.len());
    let (mut a, mut b) = (after.into_iter().peekable(), more.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek().copied(), b.peek().copied()) {
        let next = if x <= y { a.next() } else { b.next() };
        found.extend(next);
    }
    found.extend(a);
    found.extend(b);
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
        // After an empty match, the next search starts a character on, unless the
        // match is at the sentence's end (found by the search inside it): the next
        // sentence may start right there, and is searched from its start.
        at = if m.is_empty() && m.end() < sentence.end {
            next_char(prose, m.end())
        } else {
            m.end()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;
    use crate::rules::Leaves;
    use crate::span::ProseRange;

    #[test]
    fn counting_the_sentences_left_keeps_nothing_and_forgetting_searches_again() {
        let text = "We keep data. Nothing here.\n\nYour data stays. Still nothing. Data, data.";
        let doc = Document::parse(text.to_string(), Format::Text);
        let leaves = Leaves::new(vec![
            Leaf::pattern("data".into()).unwrap(),
            Leaf::pattern(r"\w+".into()).unwrap(),
        ]);
        let counted = Evaluator::reusing(&doc, &leaves, None);
        let worked_out = Evaluator::reusing(&doc, &leaves, None);
        for leaf in 0..leaves.len() {
            let count = counted.count_left(leaf);
            assert!(read(&counted.found[leaf]).left.is_none(), "nothing kept");
            assert_eq!(count, worked_out.sentences_left(leaf));
        }
        assert_eq!(counted.count_left(0), 3, "the sentences that hold `data`");
        assert_eq!(
            counted.count_left(1),
            doc.sentences.len(),
            "no literal: every one"
        );
        // Part searched: the count is of what is left.
        let whole = counted.leaf_matches(0).to_vec();
        let fresh = Evaluator::reusing(&doc, &leaves, None);
        fresh.leaf_within(0, doc.sentences[0]);
        assert_eq!(fresh.count_left(0), 2);
        assert_eq!(fresh.count_left(0), fresh.sentences_left(0));

        counted.forget(0);
        assert!(read(&counted.found[0]).left.is_none());
        assert!(read(&counted.found[0]).found.is_empty());
        assert_eq!(
            counted.leaf_matches(0).to_vec(),
            whole,
            "searched again if asked"
        );
    }

    #[test]
    fn plain_sentences_are_searched_with_the_regexes_for_plain_text() {
        // (text, the matches of `(?:data|café)\w*`, which regexes searched it)
        let cases = [
            ("We don’t sell data.", vec!["data"], [true, false]),
            // The accented sentence holds neither word: only the plain regex searches.
            (
                "Señor Ruiz is here. We sell no data.",
                vec!["data"],
                [true, false],
            ),
            // "café" is found only by the regex for any text: the plain one has no
            // "é".
            (
                "We sell no data. The café keeps data.",
                vec!["data", "café", "data"],
                [true, true],
            ),
            ("Café.", vec!["Café"], [false, true]),
        ];
        for (text, expected, [plain, unicode]) in cases {
            let doc = Document::parse(text.to_string(), Format::Text);
            let leaves = Leaves::new(vec![Leaf::pattern(r"(?:data|café)\w*".into()).unwrap()]);
            let eval = Evaluator::reusing(&doc, &leaves, None);
            let found: Vec<&str> = (eval.leaf_matches_in(0, 0, doc.prose().len()).iter())
                .map(|m| &doc.prose()[m.range().start..m.range().end])
                .collect();
            assert_eq!(found, expected, "{text}");
            let used = |alphabet| {
                leaves[0]
                    .shared_cache(alphabet)
                    .is_some_and(|cache| cache.is_some())
            };
            assert_eq!(used(Alphabet::Plain), plain, "{text}");
            assert_eq!(used(Alphabet::Unicode), unicode, "{text}");
        }
    }

    /// `leaf`'s matches in all of `doc`'s sentences, searched as the evaluator does
    /// (runs of sentences, each part with the regex of its alphabet).
    fn matches_in(doc: &Document, leaf: &Leaf, alphabets: &SentenceAlphabets) -> Vec<Found> {
        let all: Vec<u32> = (0..doc.sentences.len() as u32).collect();
        let mut found = Vec::new();
        search(doc, leaf, alphabets, &all, &mut found);
        found
    }

    #[test]
    fn a_run_finds_what_each_sentence_alone_finds() {
        // Two sentences with nothing between them. Searched as one run, ".bc" leaves
        // the first sentence, and inside it only the empty alternative matches, at
        // its end: the second sentence is still searched from its start.
        let mut doc = Document::parse("..bc".to_string(), Format::Text);
        doc.sentences = vec![ProseRange::new(0, 2), ProseRange::new(2, 4)];
        let leaf = Leaf::pattern(r"\.bc|bc|\b".into()).unwrap();
        let alphabets = SentenceAlphabets::of(doc.prose(), &doc.sentences);
        let run = matches_in(&doc, &leaf, &alphabets);
        let mut alone = Vec::new();
        for i in 0..doc.sentences.len() as u32 {
            search(&doc, &leaf, &alphabets, &[i], &mut alone);
        }
        assert_eq!(run, alone);
        assert_eq!(run, [Found::new(2, 4)]);
    }

    #[test]
    fn searching_each_sentence_in_its_alphabet_finds_what_the_full_regexes_find() {
        let texts = [
            "We keep data. The café keeps data too. Données: 日本語. We sell no data.",
            "Data, data… “data” – café ✦ data. Straße data.\n\nMore data here. Ünïcödé data.",
            "café data café. data café data. ✦✦ data ✦✦. Nothing. Ça va, data.",
        ];
        let patterns = [
            r"\w+",
            r"(?:data|café)\w*",
            r"[^.]{0,12}data",
            r"\bdata\b[^.]{0,20}",
            r"caf\w",
            r"\w+\s+data",
        ];
        for text in texts {
            let doc = Document::parse(text.to_string(), Format::Text);
            let by_sentence = SentenceAlphabets::of(doc.prose(), &doc.sentences);
            let full = SentenceAlphabets::none_plain(doc.sentences.len());
            for pattern in patterns {
                let leaf = Leaf::pattern(pattern.into()).unwrap();
                let found = matches_in(&doc, &leaf, &by_sentence);
                assert!(!found.is_empty(), "{pattern} in {text}");
                assert_eq!(found, matches_in(&doc, &leaf, &full), "{pattern} in {text}");
            }
            assert!(
                has_both_alphabets(&doc, &by_sentence),
                "the text has sentences of both alphabets: {text}"
            );
        }
    }

    /// Whether the document has plain sentences and others.
    fn has_both_alphabets(doc: &Document, alphabets: &SentenceAlphabets) -> bool {
        let parts: Vec<_> = alphabets.parts(0, doc.sentences.len() - 1).collect();
        parts.iter().any(|p| p.0 == Alphabet::Plain)
            && parts.iter().any(|p| p.0 == Alphabet::Unicode)
    }

    #[test]
    fn partial_words_are_not_matches() {
        assert!(!on_word_boundaries(b"retained", 0, 6));
        assert!(on_word_boundaries(b"we retain it", 3, 9));
        assert!(on_word_boundaries(b"x {{name}}", 2, 10));
    }
}
