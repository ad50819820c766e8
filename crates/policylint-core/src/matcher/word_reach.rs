//! How far a number of words reaches from a match, for `near`.
//!
//! The words between two matches are the runs of non-space holding a letter or digit
//! that start at or after the end of the first and before the start of the second (the
//! rest of a word the first ends inside is not between). Two matches are within `n`
//! words when at most `n` lie between. `near` asks this of every match of its first
//! part and the nearest matches of the others; on a long document that is millions of
//! pairs. So the words are counted once per match, each way, up to `n + 1`: where the
//! `n + 1`th word after it starts, and where the `n + 1`th before it does. Each pair is
//! then one comparison.

use std::cell::OnceCell;

use crate::span::ProseRange;

/// The reach of `within` words from one match, each way found on first use.
pub(super) struct WordReach<'p> {
    prose: &'p str,
    at: ProseRange,
    within: usize,
    /// Where the word after the `within` words after the match starts, if there is one.
    after: OnceCell<Option<usize>>,
    /// Where the word before the `within` words before the match starts, if there is one.
    before: OnceCell<Option<usize>>,
}

impl<'p> WordReach<'p> {
    pub(super) fn new(prose: &'p str, at: ProseRange, within: usize) -> Self {
        WordReach {
            prose,
            at,
            within,
            after: OnceCell::new(),
            before: OnceCell::new(),
        }
    }

    /// Where the match starts.
    pub(super) fn start(&self) -> usize {
        self.at.start
    }

    /// Whether at most `within` words lie between the match and `other`.
    pub(super) fn reaches(&self, other: ProseRange) -> bool {
        if self.at.start <= other.start {
            // The words that start from the end of this match to the start of the other.
            let after = self
                .after
                .get_or_init(|| nth_word_after(self.prose, self.at.end, self.within));
            after.is_none_or(|word| other.start <= word)
        } else {
            // The words that start from the end of the other to the start of this one.
            let before = self
                .before
                .get_or_init(|| nth_word_before(self.prose, self.at.start, self.within));
            before.is_none_or(|word| word < other.end)
        }
    }
}

/// Where the word after the first `n` words that start at `from` or later starts.
fn nth_word_after(prose: &str, from: usize, n: usize) -> Option<usize> {
    let mut at = from;
    // The rest of a word that began before `from` is not one of them.
    if char_before(prose, from).is_some_and(|c| !c.is_whitespace()) {
        at = run_after(prose, at, false).0;
    }
    let mut count = 0;
    loop {
        at = run_after(prose, at, true).0;
        if at >= prose.len() {
            return None;
        }
        let (end, word) = run_after(prose, at, false);
        if word {
            if count == n {
                return Some(at);
            }
            count += 1;
        }
        at = end;
    }
}

/// Where the word before the last `n` words that start before `until` starts.
fn nth_word_before(prose: &str, until: usize, n: usize) -> Option<usize> {
    // A word that starts before `until` may go on after it.
    let mut word_after = run_after(prose, until, false).1;
    let mut at = until;
    let mut count = 0;
    loop {
        at = run_before(prose, at, true).0;
        if at == 0 {
            return None;
        }
        if at < until {
            word_after = false;
        }
        let (start, word) = run_before(prose, at, false);
        if word || word_after {
            if count == n {
                return Some(start);
            }
            count += 1;
        }
        at = start;
    }
}

/// The character that ends at byte `at`.
fn char_before(prose: &str, at: usize) -> Option<char> {
    match prose.as_bytes()[..at].last() {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => prose[..at].chars().next_back(),
        None => None,
    }
}

/// Where the run of white space (if `space`) or of other characters that starts at
/// byte `at` ends, and whether it holds a letter or digit. Byte by byte, decoding only
/// characters outside ASCII.
fn run_after(prose: &str, mut at: usize, space: bool) -> (usize, bool) {
    let bytes = prose.as_bytes();
    let mut alphanumeric = false;
    while let Some(&byte) = bytes.get(at) {
        let (c, len) = if byte.is_ascii() {
            (char::from(byte), 1)
        } else {
            let c = prose[at..].chars().next().unwrap_or_default();
            (c, c.len_utf8())
        };
        if c.is_whitespace() != space {
            break;
        }
        alphanumeric |= c.is_alphanumeric();
        at += len;
    }
    (at, alphanumeric)
}

/// Where the run of white space (if `space`) or of other characters that ends at byte
/// `at` starts, and whether it holds a letter or digit.
fn run_before(prose: &str, mut at: usize, space: bool) -> (usize, bool) {
    let mut alphanumeric = false;
    while let Some(c) = char_before(prose, at) {
        if c.is_whitespace() != space {
            break;
        }
        alphanumeric |= c.is_alphanumeric();
        at -= c.len_utf8();
    }
    (at, alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words between two ranges, counted a character at a time up to `limit + 1`.
    fn words_between(prose: &str, a: ProseRange, b: ProseRange, limit: usize) -> usize {
        let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
        if first.end >= second.start {
            return 0;
        }
        let mut chars = prose[first.end..].char_indices().peekable();
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

    #[test]
    fn words_are_counted_between_matches() {
        let prose = "contact us — by phone";
        let (contact, phone) = (ProseRange::new(0, 7), ProseRange::new(18, 23));
        for within in 0..4 {
            let expected = within >= 2;
            assert_eq!(
                WordReach::new(prose, contact, within).reaches(phone),
                expected
            );
            assert_eq!(
                WordReach::new(prose, phone, within).reaches(contact),
                expected
            );
        }
        // Overlapping matches have no words between them.
        let us = ProseRange::new(3, 9);
        assert!(WordReach::new(prose, contact, 0).reaches(us));
        // The rest of a word the first ends inside is not between.
        let prose = "personal-data is kept";
        let (personal, kept) = (ProseRange::new(0, 8), ProseRange::new(17, 21));
        assert!(WordReach::new(prose, personal, 1).reaches(kept));
        assert!(!WordReach::new(prose, personal, 0).reaches(kept));
        assert!(!WordReach::new(prose, kept, 0).reaches(personal));
    }

    #[test]
    fn reach_agrees_with_counting_characters() {
        // Texts of words, punctuation and white space in and outside ASCII (a
        // no-break space, an em space, a line separator), with a fixed seed.
        let pieces = [
            "we", "Data", "é", "日本", "—", "-", ",", " ", "  ", "\n", "\t", "\u{a0}", "\u{2003}",
            "\u{2028}", "\u{b}", "3", "(", "ſ",
        ];
        let mut next = crate::testing::random_below(0x9e37_79b9_7f4a_7c15_u64);
        for _ in 0..20_000 {
            let prose: String = (0..next(30)).map(|_| pieces[next(pieces.len())]).collect();
            let bounds: Vec<usize> = (0..=prose.len())
                .filter(|&i| prose.is_char_boundary(i))
                .collect();
            let mut range = || {
                let (x, y) = (bounds[next(bounds.len())], bounds[next(bounds.len())]);
                ProseRange::new(x.min(y), x.max(y))
            };
            let (a, b, within) = (range(), range(), next(6));
            assert_eq!(
                WordReach::new(&prose, a, within).reaches(b),
                words_between(&prose, a, b, within) <= within,
                "{prose:?} {a:?} {b:?} {within}"
            );
        }
    }
}
