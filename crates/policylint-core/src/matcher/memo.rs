//! What one lint found, kept so that the next version of a document (after an
//! edit) is searched only where it changed.

use std::hash::BuildHasher;
use std::sync::PoisonError;

use foldhash::HashMap;
use foldhash::fast::FixedState;

use super::{Evaluator, Found};
use crate::document::Document;
use crate::prefilter::Occurrences;
use crate::rules::Leaves;
use crate::span::ProseRange;

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
    /// Per leaf, what the lint searched for it, if it did.
    pub(super) found: Vec<Option<Searched>>,
    /// The start of the prose the language was told from, and the language other
    /// than English it was found to be, if it was told.
    pub(crate) language: Option<(String, Option<&'static str>)>,
}

/// How far one lint searched a leaf: a rule satisfied early leaves the rest of the
/// document unsearched, and the next version need not search it either.
pub(super) struct Searched {
    /// The matches in the sentences searched, in order.
    pub(super) found: Vec<Found>,
    /// The sentences that may hold a match but were not searched (ascending). Every
    /// other sentence's matches are in `found`.
    pub(super) unsearched: Vec<u32>,
}

/// The bytes of earlier prose per entry of [`Reuse::sentence_by_block`]: shorter
/// than most sentences, so a position's sentence is at most a step or two on.
const BLOCK: usize = 64;

/// How the sentences of an earlier version map to a document's.
pub(super) struct Reuse {
    /// (earlier sentence, sentence now with the same text), ascending.
    pairs: Vec<(u32, u32)>,
    /// Per earlier sentence, where its pairs start in `pairs` (one more entry at the
    /// end).
    pairs_from: Vec<u32>,
    /// Per 64 bytes of the earlier prose, the first earlier sentence that ends after
    /// their start: where to look for the sentence of a position there.
    sentence_by_block: Vec<u32>,
    /// The sentences with no earlier twin, ascending.
    changed: Vec<u32>,
    /// Where the leaves' literals occur in the changed sentences.
    occurrences: Occurrences,
}

impl Reuse {
    /// The earlier sentence that holds position `at` of the earlier prose (or the
    /// next one, if it lies between sentences).
    fn earlier_sentence_at(&self, sentences: &[ProseRange], at: usize) -> usize {
        let mut i = self
            .sentence_by_block
            .get(at / BLOCK)
            .map_or(sentences.len(), |&i| i as usize);
        while sentences.get(i).is_some_and(|s| s.end <= at) {
            i += 1;
        }
        i
    }

    /// The sentences that repeat earlier sentence `then`.
    fn now_of(&self, then: usize) -> impl Iterator<Item = &u32> {
        let lo = self.pairs_from.get(then).copied().unwrap_or_default();
        let hi = self.pairs_from.get(then + 1).copied().unwrap_or(lo);
        self.pairs[lo as usize..hi as usize].iter().map(|(_, i)| i)
    }
}

impl Memo {
    /// Whether the matches were found under these rules.
    pub(super) fn is_for(&self, leaves: &Leaves) -> bool {
        self.rules == leaves.id()
    }

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
        let mut pairs_from = Vec::with_capacity(self.sentences.len() + 1);
        let mut at = 0;
        for then in 0..=self.sentences.len() as u32 {
            at += pairs[at..].partition_point(|&(j, _)| j < then);
            pairs_from.push(at as u32);
        }
        let mut sentence_by_block = Vec::with_capacity(self.prose.len() / BLOCK + 1);
        let mut i = 0;
        for start in (0..=self.prose.len()).step_by(BLOCK) {
            while self.sentences.get(i).is_some_and(|s| s.end <= start) {
                i += 1;
            }
            sentence_by_block.push(i as u32);
        }
        Reuse {
            pairs_from,
            sentence_by_block,
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

/// A fast hash (collisions cost only a comparison of the two sentences), with a
/// fixed seed so that it is the same for the memo and the next version.
fn context_hash(prose: &str, s: ProseRange) -> u64 {
    FixedState::default().hash_one(context(prose, s))
}

impl<'a> Evaluator<'a> {
    /// What is known of `leaf` from the earlier version: in the sentences unchanged
    /// since then and searched then, its earlier matches moved (in order); and the
    /// sentences still to search (ascending), which changed or were not searched then
    /// and may hold a match.
    pub(super) fn reuse_and_plan(
        &self,
        leaf: usize,
        memo: &Memo,
        reuse: &Reuse,
        before: &Searched,
    ) -> (Vec<Found>, Vec<u32>) {
        // An earlier sentence's first place now goes to `found`, its second to
        // `repeats[0]`, and so on: each list is mostly in order already, so the sort
        // below only merges a few runs.
        let mut found = Vec::with_capacity(before.found.len());
        let mut repeats: Vec<Vec<Found>> = Vec::new();
        for m in before.found.iter().map(|m| m.range()) {
            let then = reuse.earlier_sentence_at(&memo.sentences, m.start);
            for (rank, &now) in reuse.now_of(then).enumerate() {
                let (from, to) = (memo.sentences[then], self.doc.sentences[now as usize]);
                let moved = Found::new(
                    m.start - from.start + to.start,
                    m.end - from.start + to.start,
                );
                match rank.checked_sub(1) {
                    None => found.push(moved),
                    Some(r) => {
                        if repeats.len() <= r {
                            repeats.resize_with(r + 1, Vec::new);
                        }
                        repeats[r].push(moved);
                    }
                }
            }
        }
        for more in repeats {
            found.extend(more);
        }
        // A stable sort finds the runs already in order and merges them.
        found.sort();
        let mut left = match self.leaves.prefilter().candidates(leaf, &reuse.occurrences) {
            Some(candidates) => candidates,
            None => reuse.changed.clone(),
        };
        if !before.unsearched.is_empty() {
            for &then in &before.unsearched {
                left.extend(reuse.now_of(then as usize));
            }
            left.sort_unstable();
            left.dedup();
        }
        (found, left)
    }

    /// The earlier version's search of `leaf`, when the earlier lint searched for it,
    /// with how its sentences map to this version's.
    pub(super) fn earlier_matches(&self, leaf: usize) -> Option<(&'a Memo, &Reuse, &'a Searched)> {
        let (memo, reuse) = self.earlier.as_ref()?;
        let before = memo.found.get(leaf)?.as_ref()?;
        let reuse = reuse.get_or_init(|| memo.reuse(self.doc, self.leaves));
        Some((memo, reuse, before))
    }

    /// What this evaluation found, for linting the next version of the document.
    /// Each leaf is kept as far as it was searched: the next version searches the
    /// rest only if its rules ask (finishing every leaf here made a first lint half
    /// as slow again).
    pub fn into_memo(self) -> Memo {
        let doc = self.doc;
        let sentences = doc.sentences.clone();
        let mut index = HashMap::with_capacity_and_hasher(sentences.len(), Default::default());
        for (i, &s) in sentences.iter().enumerate().rev() {
            index.insert(context_hash(doc.prose(), s), i as u32);
        }
        Memo {
            rules: self.leaves.id(),
            prose: doc.prose().to_string(),
            sentences,
            index,
            found: self
                .found
                .into_iter()
                .map(|progress| {
                    let progress = progress
                        .into_inner()
                        .unwrap_or_else(PoisonError::into_inner);
                    let (found, unsearched) = progress.into_parts()?;
                    Some(Searched { found, unsearched })
                })
                .collect(),
            language: None,
        }
    }
}
