//! Measures of how readable a policy is: words, sentences, syllables, and the
//! Flesch–Kincaid grade computed from them.

use crate::document::{BlockKind, Document};
use crate::span::ProseRange;

/// Counts over a document's prose sentences (headings left out).
#[derive(Clone, Debug, Default)]
pub struct TextStats {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Each sentence and its number of words.
    pub sentence_words: Vec<(ProseRange, usize)>,
}

fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphabetic)
}

/// Syllables in an English word, by vowel groups: close enough for a grade level.
pub fn syllables(word: &str) -> usize {
    if word.is_ascii() {
        // Most words: no Unicode case tables needed.
        syllables_of_letters(
            word.bytes()
                .filter(u8::is_ascii_alphabetic)
                .map(|b| char::from(b.to_ascii_lowercase())),
        )
    } else {
        syllables_of_letters(
            word.chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase),
        )
    }
}

/// Syllables in a word's letters, in lower case.
fn syllables_of_letters(letters: impl Iterator<Item = char>) -> usize {
    let mut groups = VowelGroups::default();
    letters.for_each(|c| groups.push(c));
    groups.take().unwrap_or(0)
}

/// The words of a text (runs of non-space holding a letter) and their syllables.
fn words_and_syllables(text: &str) -> (usize, usize) {
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .filter(|t| is_word(t))
            .fold((0, 0), |(words, total), word| {
                (words + 1, total + syllables(word))
            });
    }
    // Most sentences: one pass over the bytes, each word's letters counted as read.
    let (mut words, mut total) = (0, 0);
    let mut word = VowelGroups::default();
    for &b in text.as_bytes() {
        // The ASCII characters `char::is_whitespace` holds.
        if matches!(b, b'\t'..=b'\r' | b' ') {
            if let Some(n) = word.take() {
                words += 1;
                total += n;
            }
        } else if b.is_ascii_alphabetic() {
            word.push(char::from(b.to_ascii_lowercase()));
        }
    }
    if let Some(n) = word.take() {
        words += 1;
        total += n;
    }
    (words, total)
}

/// A word's vowel groups, its letters (lower case) given one at a time.
#[derive(Default)]
struct VowelGroups {
    groups: usize,
    previous: bool,
    count: usize,
    /// The last three letters, the latest last.
    last: [char; 3],
}

impl VowelGroups {
    fn is_vowel(c: char) -> bool {
        matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }

    fn push(&mut self, c: char) {
        let v = Self::is_vowel(c);
        if v && !self.previous {
            self.groups += 1;
        }
        self.previous = v;
        self.last = [self.last[1], self.last[2], c];
        self.count += 1;
    }

    /// The word's syllables, or `None` if it had no letters; starts the next word.
    fn take(&mut self) -> Option<usize> {
        let VowelGroups {
            mut groups,
            count,
            last,
            ..
        } = std::mem::take(self);
        if count == 0 {
            return None;
        }
        let vowel = Self::is_vowel;
        // A final silent "e" ("use", "store") is no syllable, but "-le" ("table") is.
        let consonant_le = count > 2 && last[1] == 'l' && !vowel(last[0]);
        if count > 2 && last[2] == 'e' && !vowel(last[1]) && !consonant_le {
            groups -= 1;
        }
        Some(groups.max(1))
    }
}

impl TextStats {
    pub fn of(doc: &Document) -> TextStats {
        let mut stats = TextStats::default();
        // Blocks and sentences are both in order of their starts.
        let mut headings = doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
            .map(|b| b.range)
            .peekable();
        for &sentence in &doc.sentences {
            while headings.next_if(|h| h.start < sentence.start).is_some() {}
            if headings.peek() == Some(&sentence) {
                continue;
            }
            let (words, syllables_in) = words_and_syllables(doc.text(sentence));
            if words == 0 {
                continue;
            }
            stats.sentences += 1;
            stats.words += words;
            stats.syllables += syllables_in;
            stats.sentence_words.push((sentence, words));
        }
        stats
    }

    /// The Flesch–Kincaid grade level (0 for a text without sentences).
    pub fn flesch_kincaid_grade(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        let words = self.words as f64;
        0.39 * (words / self.sentences as f64) + 11.8 * (self.syllables as f64 / words) - 15.59
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    #[test]
    fn syllables_of_common_words() {
        for (word, n) in [
            ("data", 2),
            ("use", 1),
            ("privacy", 3),
            ("table", 2),
            ("we", 1),
            ("information", 4),
            ("Table", 2),
            ("données", 2),
            ("e-mail", 2),
            ("42", 0),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn grade_rises_with_long_sentences_and_long_words() {
        let plain = Document::parse(
            "# P\n\nWe keep your data. You can ask us to delete it.".into(),
            Format::Markdown,
        );
        let dense = Document::parse(
            "# P\n\nNotwithstanding the foregoing, personally identifiable information may additionally be processed for legitimate organizational purposes including, without limitation, analytics, administration and communications.".into(),
            Format::Markdown,
        );
        let (p, d) = (TextStats::of(&plain), TextStats::of(&dense));
        assert_eq!(p.sentences, 2);
        assert!(
            p.flesch_kincaid_grade() < 4.0,
            "{}",
            p.flesch_kincaid_grade()
        );
        assert!(
            d.flesch_kincaid_grade() > 16.0,
            "{}",
            d.flesch_kincaid_grade()
        );
    }

    #[test]
    fn words_and_syllables_read_byte_by_byte_as_word_by_word() {
        let word_by_word = |text: &str| {
            text.split_whitespace()
                .filter(|t| is_word(t))
                .fold((0, 0), |(w, s), t| (w + 1, s + syllables(t)))
        };
        let pieces = [
            "we", "use", "table", "data", "Privacy", "e-mail", "42", "x", "AEIOU", "rhythm", "bye",
            "cable", "the", "(c)", "--", ".", ",", "don't", " ", "  ", "\t", "\n", "\r\n", "\u{b}",
            "\u{c}", "données", "\u{a0}", "\u{2003}", "é", "naïve",
        ];
        let mut next = crate::testing::random_below(0x2f1e_55a9_0c3d_7e41_u64);
        for _ in 0..20_000 {
            let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(words_and_syllables(&text), word_by_word(&text), "{text:?}");
        }
    }
}
