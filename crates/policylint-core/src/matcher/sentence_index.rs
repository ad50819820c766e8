//! Finding the sentences around a place in the prose in a step or two. Rules ask
//! about a leaf unit by unit, many times per document, and each ask turns the unit's
//! range into the sentences it covers: by binary search over the sentences, that
//! was most of the cost of an ask.

use crate::span::ProseRange;

/// How many bytes of prose one entry of the index covers.
const STRIDE: usize = 64;

/// For each multiple of [`STRIDE`] bytes, the first sentence that ends after it.
#[derive(Debug)]
pub(super) struct SentenceIndex {
    first_ending_after: Vec<u32>,
}

impl SentenceIndex {
    /// The index of `sentences` (in order, not overlapping).
    pub(super) fn new(sentences: &[ProseRange]) -> SentenceIndex {
        let end = sentences.last().map_or(0, |s| s.end);
        let mut first_ending_after = Vec::with_capacity(end / STRIDE + 1);
        let mut i = 0;
        for at in (0..=end).step_by(STRIDE) {
            while sentences.get(i).is_some_and(|s| s.end <= at) {
                i += 1;
            }
            first_ending_after.push(i as u32);
        }
        SentenceIndex { first_ending_after }
    }

    /// How many sentences end by `at`: the first that ends after it.
    pub(super) fn ending_by(&self, sentences: &[ProseRange], at: usize) -> usize {
        let entry = (at / STRIDE).min(self.first_ending_after.len() - 1);
        let mut i = self.first_ending_after[entry] as usize;
        while sentences.get(i).is_some_and(|s| s.end <= at) {
            i += 1;
        }
        i
    }

    /// How many sentences start before `at`.
    pub(super) fn starting_before(&self, sentences: &[ProseRange], at: usize) -> usize {
        // Those that end by `at` start before it, but for an empty one at `at`; of
        // the others, only the first can.
        let ending = self.ending_by(sentences, at);
        let next = usize::from(sentences.get(ending).is_some_and(|s| s.start < at));
        let mut before = ending;
        while before > 0 && sentences[before - 1].start >= at {
            before -= 1;
        }
        before + next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_those_of_a_search_through_every_sentence() {
        // Sentences of every length from 0 to 149 bytes, with gaps of 0 to 3.
        let mut sentences = Vec::new();
        let mut at = 2;
        for i in 0..400 {
            let len = (i * 37) % 150;
            sentences.push(ProseRange::new(at, at + len));
            at += len + i % 4;
        }
        let index = SentenceIndex::new(&sentences);
        for at in (0..at + 200).chain([usize::MAX]) {
            assert_eq!(
                index.ending_by(&sentences, at),
                sentences.partition_point(|s| s.end <= at),
                "ending by {at}"
            );
            assert_eq!(
                index.starting_before(&sentences, at),
                sentences.partition_point(|s| s.start < at),
                "starting before {at}"
            );
        }
        let none = SentenceIndex::new(&[]);
        assert_eq!(
            (none.ending_by(&[], 5), none.starting_before(&[], 5)),
            (0, 0)
        );
    }
}
