//! Evaluating compiled matchers on a document.
//!
//! Each leaf regex is searched for once per document, sentence by sentence, in the
//! units the rules ask about (`search.rs`); a matcher is then evaluated per scope unit
//! (sentence, paragraph, section, document) by looking up the leaf matches that lie
//! inside the unit (this file). A [`Memo`] of one version's matches lets the next
//! version, after an edit, search only the sentences that changed (`memo.rs`).
//!
//! An evaluator may be shared by threads that check different rules of one document
//! (a long one, or the only one being linted): each leaf's search is behind a lock of
//! its own, taken only while its matches are read or it is searched further, never
//! while another leaf's is held.

mod alphabets;
mod memo;
mod search;
mod sentence_index;
mod word_reach;

use std::sync::{OnceLock, RwLock};

use crate::document::Document;
use crate::prefilter::Occurrences;
use crate::rules::{Clause, Leaves, Matcher, Scope};
use crate::span::ProseRange;

use alphabets::SentenceAlphabets;
pub use memo::Memo;
use memo::Reuse;
use search::Progress;
pub use search::{Matches, matches_whole_words};
use sentence_index::SentenceIndex;
use word_reach::WordReach;

pub struct Evaluator<'a> {
    doc: &'a Document,
    leaves: &'a Leaves,
    found: Vec<RwLock<Progress>>,
    /// What a lint of an earlier version of the document found, and how that
    /// version's sentences map to this one's (worked out on first use).
    earlier: Option<(&'a Memo, OnceLock<Reuse>)>,
    /// Where the leaves' literals occur (found for all leaves at once, on first use).
    occurrences: OnceLock<Occurrences>,
    /// The sentences around each place in the prose (made on first use).
    sentence_index: OnceLock<SentenceIndex>,
    /// Each sentence's alphabet, which decides the leaves' regexes that search it
    /// (found on first use).
    alphabets: OnceLock<SentenceAlphabets>,
    /// The document as one unit, and the ranges of its sections and of its
    /// paragraphs (on first use).
    whole: ProseRange,
    sections: OnceLock<Vec<ProseRange>>,
    paragraphs: OnceLock<Vec<ProseRange>>,
}

/// A match, in 32-bit offsets: half the memory of a [`ProseRange`], for the largest
/// thing held per document (documents with 4 GiB of prose or more are refused when
/// read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    start: u32,
    end: u32,
}

impl Found {
    fn new(start: usize, end: usize) -> Found {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        Found {
            start: offset(start),
            end: offset(end),
        }
    }

    pub fn range(self) -> ProseRange {
        ProseRange::new(self.start as usize, self.end as usize)
    }

    fn start(self) -> usize {
        self.start as usize
    }

    fn end(self) -> usize {
        self.end as usize
    }
}

/// The longest prose a document may have: match offsets are 32-bit.
pub const MAX_PROSE: usize = u32::MAX as usize;

impl<'a> Evaluator<'a> {
    /// An evaluator that takes the matches of unchanged sentences from `earlier`, the
    /// memo of an earlier version of the document under the same rules.
    pub fn reusing(doc: &'a Document, leaves: &'a Leaves, earlier: Option<&'a Memo>) -> Self {
        Self {
            doc,
            leaves,
            found: (0..leaves.len()).map(|_| RwLock::default()).collect(),
            earlier: earlier
                .filter(|memo| memo.is_for(leaves))
                .map(|memo| (memo, OnceLock::new())),
            occurrences: OnceLock::new(),
            sentence_index: OnceLock::new(),
            alphabets: OnceLock::new(),
            whole: ProseRange::new(0, doc.prose().len()),
            sections: OnceLock::new(),
            paragraphs: OnceLock::new(),
        }
    }

    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// The leaf's matches that lie entirely inside `unit`.
    fn leaf_within(&self, leaf: usize, unit: ProseRange) -> Matches<'_> {
        self.leaf_matches_in(leaf, unit.start, unit.end)
            .narrowed(|all| {
                // Matches do not overlap, so starts and ends are both sorted.
                let lo = all.partition_point(|m| m.start() < unit.start);
                let hi = all.partition_point(|m| m.end() <= unit.end).max(lo);
                lo..hi
            })
    }

    /// The units a scope divides the document into, in order of their starts.
    fn units(&self, scope: Scope) -> &[ProseRange] {
        let doc = self.doc;
        match scope {
            Scope::Document => std::slice::from_ref(&self.whole),
            Scope::Section => self
                .sections
                .get_or_init(|| doc.sections.iter().map(|s| s.range).collect()),
            Scope::Paragraph => self
                .paragraphs
                .get_or_init(|| doc.blocks.iter().map(|b| b.range).collect()),
            Scope::Sentence => &doc.sentences,
        }
    }

    /// The units of `scope`, in order, without those that cannot hold a match of
    /// `matcher`: a unit that ends before the earliest place a match starting in it
    /// could end (see [`Evaluator::earliest_end`]). A rule over every sentence then
    /// looks only at the sentences near its leaves' matches. Searches only what
    /// looking at the units that remain searches.
    pub fn units_that_may_match<'e>(
        &'e self,
        matcher: &'e Matcher,
        scope: Scope,
    ) -> impl Iterator<Item = ProseRange> + 'e {
        let mut earliest = 0;
        self.units(scope).iter().copied().filter(move |unit| {
            // Units start in order, so a bound worked out at an earlier start holds
            // for this unit too.
            if unit.end < earliest {
                return false;
            }
            earliest = self.earliest_end(matcher, unit.start);
            unit.end >= earliest
        })
    }

    /// A place before which no match of `matcher` that starts at `from` or later can
    /// end (`usize::MAX` when there can be none), from what is searched so far. A
    /// unit that starts at `from` or later and ends before it cannot match. Only a
    /// part that every match needs, or all the parts of a choice, can move it on.
    fn earliest_end(&self, matcher: &Matcher, from: usize) -> usize {
        match matcher {
            Matcher::Leaf(leaf) => self.next_match_ends_from(*leaf, from).unwrap_or(usize::MAX),
            // The positions of `all` and `near` are those of their first part.
            Matcher::All(parts) | Matcher::Near { parts, .. } => parts
                .first()
                .map_or(usize::MAX, |head| self.earliest_end(head, from)),
            Matcher::AtLeast { n: 0, .. } | Matcher::Not(_) => from,
            Matcher::Any(parts) | Matcher::AtLeast { parts, .. } => parts
                .iter()
                .map(|p| self.earliest_end(p, from))
                .min()
                .unwrap_or(usize::MAX),
        }
    }

    /// The first position where `matcher` matches inside `unit`.
    pub fn first(&self, matcher: &Matcher, unit: ProseRange) -> Option<ProseRange> {
        match matcher {
            Matcher::Leaf(leaf) => self.leaf_within(*leaf, unit).first().map(|m| m.range()),
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
            Matcher::Leaf(leaf) => self
                .leaf_within(*leaf, unit)
                .iter()
                .map(|m| m.range())
                .collect(),
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
                let near = |reach: &WordReach, candidates: &[ProseRange]| {
                    let i = candidates.partition_point(|c| c.start < reach.start());
                    candidates[i.saturating_sub(2)..(i + 2).min(candidates.len())]
                        .iter()
                        .any(|&c| reach.reaches(c))
                };
                self.positions(head, unit)
                    .into_iter()
                    .filter(|&h| {
                        let reach = WordReach::new(prose, h, *within);
                        others.iter().all(|candidates| near(&reach, candidates))
                    })
                    .collect()
            }
        }
    }

    /// The first unit of the clause's scope where it matches, and the position.
    pub fn find(&self, clause: &Clause) -> Option<(ProseRange, ProseRange)> {
        self.units_that_may_match(&clause.matcher, clause.scope)
            .find_map(|unit| self.first(&clause.matcher, unit).map(|at| (unit, at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;
    use crate::rules::Leaf;

    #[test]
    fn a_leaf_searched_in_steps_finds_what_one_search_finds() {
        let text = "We keep data. Data is kept.\n\nYour data stays. We delete data, then data.";
        let doc = Document::parse(text.to_string(), Format::Text);
        let leaves = Leaves::new(vec![Leaf::pattern("data".into()).unwrap()]);
        let whole: Vec<Found> = Evaluator::reusing(&doc, &leaves, None)
            .leaf_matches(0)
            .to_vec();
        assert_eq!(whole.len(), 5);

        let stepwise = Evaluator::reusing(&doc, &leaves, None);
        let second = doc.sentences[1];
        // Only what is asked: the first two sentences.
        let early = stepwise.leaf_matches_in(0, 0, second.end).to_vec();
        assert_eq!(early, whole[..2]);
        let third = doc.sentences[2];
        assert_eq!(stepwise.leaf_within(0, third).to_vec(), whole[2..3]);
        assert_eq!(stepwise.leaf_matches(0).to_vec(), whole);

        // Out of order, only what is asked: the last sentence, then the first.
        let sparse = Evaluator::reusing(&doc, &leaves, None);
        let last = doc.sentences[3];
        assert_eq!(sparse.leaf_within(0, last).to_vec(), whole[3..]);
        assert_eq!(sparse.leaf_matches_in(0, 0, 0).to_vec(), whole[3..]);
        assert_eq!(sparse.leaf_within(0, doc.sentences[0]).to_vec(), whole[..1]);
        assert_eq!(
            sparse.leaf_matches_in(0, 0, 0).len(),
            3,
            "nor the two between"
        );
        assert_eq!(sparse.leaf_matches(0).to_vec(), whole);

        // Threads that ask at once, each about a sentence of its own, find the same.
        let shared = Evaluator::reusing(&doc, &leaves, None);
        std::thread::scope(|threads| {
            for &sentence in doc.sentences.iter().rev() {
                let (shared, whole) = (&shared, &whole);
                threads.spawn(move || {
                    let within = shared.leaf_within(0, sentence).to_vec();
                    let expected: Vec<Found> = whole
                        .iter()
                        .copied()
                        .filter(|m| sentence.start <= m.start() && m.end() <= sentence.end)
                        .collect();
                    assert_eq!(within, expected);
                });
            }
        });
        assert_eq!(shared.leaf_matches_in(0, 0, 0).to_vec(), whole);
    }

    #[test]
    fn a_leaf_searched_part_way_is_remembered_part_way() {
        let text = "We keep data. Data is kept.\n\nYour data stays. We delete data, then data.";
        let doc = Document::parse(text.to_string(), Format::Text);
        let leaves = Leaves::new(vec![Leaf::pattern("data".into()).unwrap()]);
        let first = Evaluator::reusing(&doc, &leaves, None);
        drop(first.leaf_matches_in(0, 0, doc.sentences[1].end));
        let memo = first.into_memo();
        let kept = memo.found[0].as_ref().expect("the leaf was searched");
        assert_eq!(
            kept.found.len(),
            2,
            "only the first two sentences were searched"
        );
        assert_eq!(kept.unsearched, vec![2, 3]);

        // The next version: one sentence searched and one not searched are edited.
        // It searches the sentences edited or not searched before, and finds what a
        // fresh search finds, in order, whether asked part way or to the end.
        let edited = "We keep data. Data is kept, data.\n\nYour data stays. We delete data.";
        let next = Document::parse(edited.to_string(), Format::Text);
        let fresh: Vec<Found> = Evaluator::reusing(&next, &leaves, None)
            .leaf_matches(0)
            .to_vec();
        let again = Evaluator::reusing(&next, &leaves, Some(&memo));
        let early = again.leaf_matches_in(0, 0, next.sentences[1].end).to_vec();
        assert_eq!(early[..3], fresh[..3]);
        assert_eq!(again.leaf_matches(0).to_vec(), fresh);
    }

    #[test]
    fn units_left_out_are_those_that_cannot_match() {
        let text = "# Keeping data\n\nWe keep data. Cookies last a year.\n\n\
                    ## Sharing\n\nWe share nothing. Data is kept. Ads use cookies.\n\n\
                    # Contact\n\nWrite to us. We answer. We keep records.";
        let doc = Document::parse(text.to_string(), Format::Markdown);
        let leaves = Leaves::new(
            ["keep|kept", "data", "cookies", "nothing", "write"]
                .map(|p| Leaf::pattern(p.into()).unwrap())
                .into(),
        );
        let (keep, data, cookies, nothing, write) = (0, 1, 2, 3, 4);
        let leaf = |i| Matcher::Leaf(i);
        let matchers = [
            leaf(keep),
            leaf(write),
            Matcher::All(vec![leaf(data), leaf(keep)]),
            Matcher::Any(vec![leaf(cookies), leaf(nothing)]),
            Matcher::AtLeast {
                n: 2,
                parts: vec![leaf(data), leaf(cookies), leaf(keep)],
            },
            Matcher::AtLeast {
                n: 0,
                parts: vec![leaf(write)],
            },
            Matcher::Not(Box::new(leaf(data))),
            Matcher::Near {
                within: 1,
                parts: vec![leaf(keep), leaf(data)],
            },
            Matcher::All(Vec::new()),
        ];
        let scopes = [
            Scope::Sentence,
            Scope::Paragraph,
            Scope::Section,
            Scope::Document,
        ];
        // Fresh (searched as asked) and with every leaf searched first.
        for searched_first in [false, true] {
            for matcher in &matchers {
                for scope in scopes {
                    let eval = Evaluator::reusing(&doc, &leaves, None);
                    if searched_first {
                        (0..leaves.len()).for_each(|leaf| drop(eval.leaf_matches(leaf)));
                    }
                    let kept: Vec<ProseRange> = eval.units_that_may_match(matcher, scope).collect();
                    let matching: Vec<ProseRange> = eval
                        .units(scope)
                        .iter()
                        .copied()
                        .filter(|&u| eval.first(matcher, u).is_some())
                        .collect();
                    // Every unit that matches is kept, in order.
                    let mut rest = kept.iter();
                    assert!(
                        matching.iter().all(|u| rest.any(|k| k == u)),
                        "{matcher:?} {scope:?}: kept {kept:?}, matching {matching:?}"
                    );
                    // Once every leaf is searched, a sentence is kept only if it
                    // holds a match of the part every match needs.
                    if searched_first && scope == Scope::Sentence {
                        let needed = match matcher {
                            Matcher::Not(_) | Matcher::AtLeast { n: 0, .. } => None,
                            // Without parts, nothing matches.
                            Matcher::All(parts) | Matcher::Near { parts, .. } => {
                                Some(parts.first().cloned().unwrap_or(Matcher::Any(Vec::new())))
                            }
                            Matcher::AtLeast { parts, .. } => Some(Matcher::Any(parts.clone())),
                            other => Some(other.clone()),
                        };
                        let expected: Vec<ProseRange> = match needed {
                            None => eval.units(scope).to_vec(),
                            Some(needed) => eval
                                .units(scope)
                                .iter()
                                .copied()
                                .filter(|&u| eval.first(&needed, u).is_some())
                                .collect(),
                        };
                        assert_eq!(kept, expected, "{matcher:?}");
                    }
                }
            }
        }
        // Asked unit by unit, last first, each unit finds what it finds with every
        // leaf searched first: only the units asked about are searched, in any order.
        for matcher in &matchers {
            for scope in scopes {
                let everything = Evaluator::reusing(&doc, &leaves, None);
                (0..leaves.len()).for_each(|leaf| drop(everything.leaf_matches(leaf)));
                let backwards = Evaluator::reusing(&doc, &leaves, None);
                for &unit in everything.units(scope).iter().rev() {
                    assert_eq!(
                        backwards.positions(matcher, unit),
                        everything.positions(matcher, unit),
                        "{matcher:?} {scope:?} {unit:?}"
                    );
                }
            }
        }
        // Skipping is real: one sentence of eight holds "write".
        let eval = Evaluator::reusing(&doc, &leaves, None);
        drop(eval.leaf_matches(write));
        let kept: Vec<ProseRange> = eval
            .units_that_may_match(&leaf(write), Scope::Sentence)
            .collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(doc.text(kept[0]), "Write to us.");
    }
}
