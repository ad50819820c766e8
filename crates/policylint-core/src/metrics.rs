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
    let lower: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if lower.is_empty() {
        return 0;
    }
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous = false;
    for &c in &lower {
        let v = vowel(c);
        if v && !previous {
            groups += 1;
        }
        previous = v;
    }
    // A final silent "e" ("use", "store") is no syllable, but "-le" ("table") is.
    let n = lower.len();
    let consonant_le = n > 2 && lower[n - 2] == 'l' && !vowel(lower[n - 3]);
    if n > 2 && lower[n - 1] == 'e' && !vowel(lower[n - 2]) && !consonant_le {
        groups -= 1;
    }
    groups.max(1)
}

impl TextStats {
    pub fn of(doc: &Document) -> TextStats {
        let mut stats = TextStats::default();
        let headings: Vec<ProseRange> = doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
            .map(|b| b.range)
            .collect();
        for &sentence in &doc.sentences {
            if headings.contains(&sentence) {
                continue;
            }
            let words: Vec<&str> = doc
                .text(sentence)
                .split_whitespace()
                .filter(|t| is_word(t))
                .collect();
            if words.is_empty() {
                continue;
            }
            stats.sentences += 1;
            stats.words += words.len();
            stats.syllables += words.iter().map(|w| syllables(w)).sum::<usize>();
            stats.sentence_words.push((sentence, words.len()));
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
