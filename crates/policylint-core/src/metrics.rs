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
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let (mut groups, mut previous, mut count) = (0, false, 0);
    // The last three letters, the latest last.
    let mut last = ['\0'; 3];
    for c in letters {
        let v = vowel(c);
        if v && !previous {
            groups += 1;
        }
        previous = v;
        last = [last[1], last[2], c];
        count += 1;
    }
    if count == 0 {
        return 0;
    }
    // A final silent "e" ("use", "store") is no syllable, but "-le" ("table") is.
    let consonant_le = count > 2 && last[1] == 'l' && !vowel(last[0]);
    if count > 2 && last[2] == 'e' && !vowel(last[1]) && !consonant_le {
        groups -= 1;
    }
    groups.max(1)
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
            let (mut words, mut syllables_in) = (0, 0);
            for word in doc.text(sentence).split_whitespace().filter(|t| is_word(t)) {
                words += 1;
                syllables_in += syllables(word);
            }
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
}
