//! Which of a document's sentences are plain text ([`Alphabet::Plain`]): a leaf
//! searches those with its regex for plain text, and the few others (a language
//! menu's "日本語", a name with an accent) with its regex for any text. One such
//! character no longer sends a whole document to the larger regexes.

use crate::rules::Alphabet;
use crate::span::ProseRange;

/// The alphabet of each sentence of a document.
#[derive(Debug, Default)]
pub(super) struct SentenceAlphabets {
    /// The sentences (indices, ascending) whose text, with the gap between it and
    /// the sentence before, is not plain. A run of the other sentences is plain
    /// from its first sentence's start to its last one's end.
    not_plain: Vec<u32>,
}

impl SentenceAlphabets {
    pub(super) fn of(prose: &str, sentences: &[ProseRange]) -> SentenceAlphabets {
        if prose.is_ascii() {
            return SentenceAlphabets::default();
        }
        let mut previous_end = 0;
        let not_plain = (sentences.iter().enumerate())
            .filter_map(|(i, sentence)| {
                let from = previous_end.min(sentence.start);
                previous_end = sentence.end;
                let text = &prose[from..sentence.end];
                (Alphabet::of(text) == Alphabet::Unicode).then_some(i as u32)
            })
            .collect();
        SentenceAlphabets { not_plain }
    }

    /// The run of consecutive sentences `first..=last` cut where the alphabet
    /// changes: `(alphabet, first, last)` for each part, in order.
    pub(super) fn parts(&self, first: usize, last: usize) -> Vec<(Alphabet, usize, usize)> {
        let from = self.not_plain.partition_point(|&s| (s as usize) < first);
        let mut parts: Vec<(Alphabet, usize, usize)> = Vec::new();
        let mut next = first;
        for sentence in self.not_plain[from..].iter().map(|&s| s as usize) {
            if sentence > last {
                break;
            }
            if next < sentence {
                parts.push((Alphabet::Plain, next, sentence - 1));
            }
            match parts.last_mut() {
                Some((Alphabet::Unicode, _, end)) if *end + 1 == sentence => *end = sentence,
                _ => parts.push((Alphabet::Unicode, sentence, sentence)),
            }
            next = sentence + 1;
        }
        if next <= last {
            parts.push((Alphabet::Plain, next, last));
        }
        parts
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
            alphabets.parts(0, 5),
            [
                (Plain, 0, 0),
                (Unicode, 1, 1),
                (Plain, 2, 2),
                (Unicode, 3, 4),
                (Plain, 5, 5)
            ]
        );
        assert_eq!(alphabets.parts(2, 2), [(Plain, 2, 2)]);
        assert_eq!(alphabets.parts(3, 3), [(Unicode, 3, 3)]);
        assert_eq!(alphabets.parts(4, 5), [(Unicode, 4, 4), (Plain, 5, 5)]);
        assert_eq!(alphabets.parts(0, 0), [(Plain, 0, 0)]);
    }

    #[test]
    fn the_gap_before_a_sentence_counts_as_its_own() {
        // A run of plain sentences is searched from its first's start to its last's
        // end, gaps included: a gap with another character makes the sentence after
        // it not plain.
        let prose = "We keep data. ✦ We sell nothing.";
        let sentences = [ProseRange::new(0, 13), ProseRange::new(18, 34)];
        assert_eq!(&prose[18..34], "We sell nothing.");
        let alphabets = SentenceAlphabets::of(prose, &sentences);
        assert_eq!(alphabets.not_plain, [1]);
    }

    #[test]
    fn an_ascii_document_is_plain_throughout() {
        let prose = "We keep data.\nWe sell nothing.";
        let alphabets = SentenceAlphabets::of(prose, &sentences_of(prose));
        assert_eq!(alphabets.parts(0, 1), [(Alphabet::Plain, 0, 1)]);
    }
}
