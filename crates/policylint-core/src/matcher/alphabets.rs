//! Which of a document's sentences are plain text ([`Alphabet::Plain`]): a leaf
//! searches those with its regex for plain text, and the few others (a language
//! menu's "日本語", a name with an accent) with its regex for any text. One such
//! character no longer sends a whole document to the larger regexes.

use crate::rules::Alphabet;
use crate::span::ProseRange;

/// The alphabet of each sentence of a document.
///
/// A plain sentence's matches are the same with either regex of a leaf. So are a run
/// of sentences' when it is searched whole, whatever lies between its sentences:
/// each match found there is what a search of its sentence alone finds (see
/// `search_run`), so only the sentences' own text counts.
#[derive(Debug, Default)]
pub(super) struct SentenceAlphabets {
    /// The sentences (indices, ascending) whose text is not plain.
    not_plain: Vec<u32>,
}

impl SentenceAlphabets {
    pub(super) fn of(prose: &str, sentences: &[ProseRange]) -> SentenceAlphabets {
        if prose.is_ascii() {
            return SentenceAlphabets::default();
        }
        let not_plain = (sentences.iter().enumerate())
            .filter(|(_, sentence)| {
                Alphabet::of(&prose[sentence.start..sentence.end]) == Alphabet::Unicode
            })
            .map(|(i, _)| i as u32)
            .collect();
        SentenceAlphabets { not_plain }
    }

    /// Every one of `count` sentences taken as not plain: searched with the regexes
    /// for any text, as every document was before sentences had alphabets.
    #[cfg(test)]
    pub(super) fn none_plain(count: usize) -> SentenceAlphabets {
        SentenceAlphabets {
            not_plain: (0..count as u32).collect(),
        }
    }

    /// The run of consecutive sentences `first..=last` cut where the alphabet
    /// changes: `(alphabet, first, last)` for each part, in order.
    pub(super) fn parts(
        &self,
        first: usize,
        last: usize,
    ) -> impl Iterator<Item = (Alphabet, usize, usize)> + '_ {
        let from = self.not_plain.partition_point(|&s| (s as usize) < first);
        let mut others = (self.not_plain[from..].iter())
            .map(|&s| s as usize)
            .take_while(move |&s| s <= last)
            .peekable();
        let mut next = first;
        std::iter::from_fn(move || {
            if next > last {
                return None;
            }
            let part = match others.peek().copied() {
                Some(other) if other == next => {
                    let mut end = other;
                    others.next();
                    while others.next_if_eq(&(end + 1)).is_some() {
                        end += 1;
                    }
                    (Alphabet::Unicode, other, end)
                }
                Some(other) => (Alphabet::Plain, next, other - 1),
                None => (Alphabet::Plain, next, last),
            };
            next = part.2 + 1;
            Some(part)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences_of(prose: &str) -> Vec<ProseRange> {
        // One sentence a line, for these tests.
        let mut at = 0;
        prose
            .split('\n')
            .map(|line| {
                let range = ProseRange::new(at, at + line.len());
                at += line.len() + 1;
                range
            })
            .collect()
    }

    #[test]
    fn only_the_sentences_with_other_characters_are_not_plain() {
        let prose =
            "We keep data.\nThe café “keeps” it.\nWe sell nothing – ever.\nEspañol\n日本語\nDone.";
        let alphabets = SentenceAlphabets::of(prose, &sentences_of(prose));
        assert_eq!(alphabets.not_plain, [1, 3, 4]);
        use Alphabet::{Plain, Unicode};
        assert_eq!(
            alphabets.parts(0, 5).collect::<Vec<_>>(),
            [
                (Plain, 0, 0),
                (Unicode, 1, 1),
                (Plain, 2, 2),
                (Unicode, 3, 4),
                (Plain, 5, 5)
            ]
        );
        assert_eq!(alphabets.parts(2, 2).collect::<Vec<_>>(), [(Plain, 2, 2)]);
        assert_eq!(alphabets.parts(3, 3).collect::<Vec<_>>(), [(Unicode, 3, 3)]);
        assert_eq!(
            alphabets.parts(4, 5).collect::<Vec<_>>(),
            [(Unicode, 4, 4), (Plain, 5, 5)]
        );
        assert_eq!(alphabets.parts(0, 0).collect::<Vec<_>>(), [(Plain, 0, 0)]);
    }

    #[test]
    fn a_run_is_cut_into_parts_of_one_alphabet_each() {
        // Random sets of other sentences among 40, and random runs: the parts cover
        // the run in order, each sentence in its own alphabet, and two parts in a
        // row differ in alphabet.
        let mut seed = 7u64;
        let mut next = |below: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % below) as usize
        };
        for _ in 0..2_000 {
            let not_plain: Vec<u32> = (0..40).filter(|_| next(4) == 0).collect();
            let alphabets = SentenceAlphabets {
                not_plain: not_plain.clone(),
            };
            let first = next(40);
            let last = first + next((40 - first) as u64);
            let parts: Vec<_> = alphabets.parts(first, last).collect();
            let mut expected_start = first;
            for (k, &(alphabet, start, end)) in parts.iter().enumerate() {
                assert_eq!(start, expected_start);
                assert!(start <= end);
                for sentence in start..=end {
                    let plain = !not_plain.contains(&(sentence as u32));
                    assert_eq!(alphabet == Alphabet::Plain, plain, "{sentence}");
                }
                if k > 0 {
                    assert_ne!(parts[k - 1].0, alphabet);
                }
                expected_start = end + 1;
            }
            assert_eq!(expected_start, last + 1);
        }
    }

    #[test]
    fn only_a_sentences_own_text_counts() {
        // What lies between two sentences is not searched for matches of either.
        let prose = "We keep data. ✦ We sell nothing.";
        let sentences = [ProseRange::new(0, 13), ProseRange::new(18, 34)];
        assert_eq!(&prose[18..34], "We sell nothing.");
        let alphabets = SentenceAlphabets::of(prose, &sentences);
        assert!(alphabets.not_plain.is_empty());
    }

    #[test]
    fn an_ascii_document_is_plain_throughout() {
        let prose = "We keep data.\nWe sell nothing.";
        let alphabets = SentenceAlphabets::of(prose, &sentences_of(prose));
        assert_eq!(
            alphabets.parts(0, 1).collect::<Vec<_>>(),
            [(Alphabet::Plain, 0, 1)]
        );
    }
}
