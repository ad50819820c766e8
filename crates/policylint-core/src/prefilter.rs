//! Which sentences can hold a leaf's match, found for every leaf in one pass.
//!
//! Most leaves need a word that most sentences lack ("over time", "erasure",
//! "supervisory authority"). At compile time each leaf gets a set of literals of which
//! every match must contain one; one Aho-Corasick automaton over all of them finds,
//! per document, the sentences where each literal occurs. A leaf's regex then only
//! runs on the sentences that hold one of its literals (see `Evaluator::leaf_matches`),
//! so a leaf whose vocabulary does not occur costs nothing.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::span::ProseRange;

/// The most strings a finite piece of a pattern is expanded to.
const MAX_SET: usize = 64;
/// The most characters a class may have to count as a choice of literals.
const MAX_CLASS: usize = 8;

/// The literals of every leaf, in one automaton.
#[derive(Debug)]
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    literal_count: usize,
    /// For each leaf: the literals one of which each of its matches contains, or
    /// `None` when no such set is known (the leaf then runs over every sentence).
    needs: Vec<Option<Vec<usize>>>,
}

/// Per document: the sentences each literal occurs in (inside a single sentence).
pub struct Occurrences {
    sentences_of: Vec<Vec<u32>>,
}

impl Prefilter {
    /// `patterns` are the leaves' regexes, compiled case-insensitively.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let needs = patterns
            .into_iter()
            .map(|pattern| {
                let set = required_literals(pattern)?;
                Some(
                    set.into_iter()
                        .map(|lit| {
                            *index.entry(lit.clone()).or_insert_with(|| {
                                literals.push(lit);
                                literals.len() - 1
                            })
                        })
                        .collect(),
                )
            })
            .collect();
        // Standard semantics with overlapping search report every occurrence, so
        // "data" is seen inside "personal data" too. A failure to build (it cannot
        // happen with this few literals) only turns the prefilter off.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .ok();
        let needs = if automaton.is_some() {
            needs
        } else {
            Vec::new()
        };
        Prefilter {
            automaton,
            literal_count: literals.len(),
            needs,
        }
    }

    /// Finds every literal in the prose, by sentence.
    pub fn scan(&self, prose: &str, sentences: &[ProseRange]) -> Occurrences {
        let mut sentences_of = vec![Vec::new(); self.literal_count];
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(prose) {
                let i = sentences.partition_point(|s| s.end <= m.start());
                let Some(s) = sentences.get(i) else {
                    continue;
                };
                if s.start <= m.start() && m.end() <= s.end {
                    record(&mut sentences_of, m.pattern().as_usize(), i as u32);
                }
            }
        }
        Occurrences { sentences_of }
    }

    /// Finds every literal in some of the sentences (indices, ascending).
    pub fn scan_some(&self, prose: &str, sentences: &[ProseRange], some: &[u32]) -> Occurrences {
        let mut sentences_of = vec![Vec::new(); self.literal_count];
        if let Some(automaton) = &self.automaton {
            for &i in some {
                let s = sentences[i as usize];
                for m in automaton.find_overlapping_iter(&prose[s.start..s.end]) {
                    record(&mut sentences_of, m.pattern().as_usize(), i);
                }
            }
        }
        Occurrences { sentences_of }
    }

    /// The sentences (indices, ascending) that may hold a match of `leaf`, or `None`
    /// when any sentence may.
    pub fn candidates(&self, leaf: usize, found: &Occurrences) -> Option<Vec<u32>> {
        let needs = self.needs.get(leaf)?.as_ref()?;
        let mut all: Vec<u32> = needs
            .iter()
            .flat_map(|&lit| found.sentences_of[lit].iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        Some(all)
    }
}

/// Notes that a literal occurs in a sentence; sentences come in ascending order.
fn record(sentences_of: &mut [Vec<u32>], literal: usize, sentence: u32) {
    let list = &mut sentences_of[literal];
    if list.last() != Some(&sentence) {
        list.push(sentence);
    }
}

/// A set of literals one of which every match of `pattern` (compiled
/// case-insensitively) contains, compared ASCII-case-insensitively; `None` when the
/// pattern has no such set (a match may be made of classes only).
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .multi_line(true)
        .build()
        .parse(pattern)
        .ok()?;
    analyse(&hir).required
}

/// What is known about the strings a piece of a pattern matches.
struct Pieces {
    /// Every string it matches, when they are few.
    exact: Option<Vec<Vec<u8>>>,
    /// Strings one of which each of its matches contains (none empty).
    required: Option<Vec<Vec<u8>>>,
}

fn analyse(hir: &Hir) -> Pieces {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Pieces {
            exact: Some(vec![Vec::new()]),
            required: None,
        },
        HirKind::Literal(lit) => exact(vec![lit.0.to_vec()]),
        HirKind::Class(class) => match class_members(class) {
            Some(members) => exact(members),
            None => Pieces {
                exact: None,
                required: None,
            },
        },
        HirKind::Capture(capture) => analyse(&capture.sub),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                let exact = (rep.max == Some(0)).then(|| vec![Vec::new()]);
                return Pieces {
                    exact,
                    required: None,
                };
            }
            let sub = analyse(&rep.sub);
            let exact = match (&sub.exact, rep.max) {
                (Some(set), Some(max)) if max == rep.min && rep.min <= 3 => {
                    (0..rep.min).try_fold(vec![Vec::new()], |product, _| concat(&product, set))
                }
                _ => None,
            };
            let required = sub.required.or_else(|| sub.exact.and_then(non_empty));
            Pieces { exact, required }
        }
        HirKind::Concat(parts) => {
            let mut candidates: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut run: Option<Vec<Vec<u8>>> = Some(vec![Vec::new()]);
            let mut all_exact = true;
            for part in parts {
                let piece = analyse(part);
                match piece.exact {
                    Some(set) => {
                        run = match run.take() {
                            Some(prefix) => match concat(&prefix, &set) {
                                Some(joined) => Some(joined),
                                None => {
                                    candidates.extend(non_empty(prefix));
                                    all_exact = false;
                                    Some(set)
                                }
                            },
                            None => Some(set),
                        };
                    }
                    None => {
                        all_exact = false;
                        if let Some(prefix) = run.take() {
                            candidates.extend(non_empty(prefix));
                        }
                        candidates.extend(piece.required);
                    }
                }
            }
            let exact = if all_exact { run.clone() } else { None };
            candidates.extend(run.and_then(non_empty));
            Pieces {
                exact,
                required: candidates.into_iter().max_by_key(|set| selectivity(set)),
            }
        }
        HirKind::Alternation(branches) => {
            let pieces: Vec<Pieces> = branches.iter().map(analyse).collect();
            let mut exact = Some(Vec::new());
            let mut required = Some(Vec::new());
            for piece in pieces {
                exact = match (exact, &piece.exact) {
                    (Some(mut all), Some(set)) => {
                        all.extend(set.iter().cloned());
                        (all.len() <= MAX_SET).then_some(all)
                    }
                    _ => None,
                };
                let needed = piece.required.or_else(|| piece.exact.and_then(non_empty));
                required = match (required, needed) {
                    (Some(mut all), Some(set)) => {
                        all.extend(set);
                        Some(all)
                    }
                    _ => None,
                };
            }
            Pieces {
                exact: exact.map(dedup),
                required: required.map(dedup),
            }
        }
    }
}

fn exact(set: Vec<Vec<u8>>) -> Pieces {
    let set = dedup(set);
    Pieces {
        required: non_empty(set.clone()),
        exact: Some(set),
    }
}

/// The set, unless one of its strings is empty (an empty string is in every text).
fn non_empty(set: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    (!set.is_empty() && set.iter().all(|s| !s.is_empty())).then_some(set)
}

/// Lower-cased (ASCII), sorted, without repeats: the automaton ignores ASCII case.
fn dedup(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut set: Vec<Vec<u8>> = set.into_iter().map(|s| s.to_ascii_lowercase()).collect();
    set.sort();
    set.dedup();
    set
}

/// Every string of `a` followed by every string of `b`, if there are not too many.
fn concat(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    Some(dedup(out))
}

/// The characters of a small class, as UTF-8 strings.
fn class_members(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut members = Vec::new();
    match class {
        Class::Unicode(c) => {
            for range in c.iter() {
                for ch in range.start()..=range.end() {
                    if members.len() >= MAX_CLASS {
                        return None;
                    }
                    members.push(ch.to_string().into_bytes());
                }
            }
        }
        Class::Bytes(c) => {
            for range in c.iter() {
                for b in range.start()..=range.end() {
                    if members.len() >= MAX_CLASS {
                        return None;
                    }
                    members.push(vec![b]);
                }
            }
        }
    }
    Some(dedup(members))
}

/// How few sentences a set is likely to pass: longer shortest strings first, then
/// fewer strings.
fn selectivity(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern).map(|set| {
            set.into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect()
        })
    }

    #[test]
    fn the_most_selective_piece_of_a_sequence_is_required() {
        assert_eq!(
            required(r"(?:data|you)(?-u:\b)[^.]{0,60}?(?-u:\b)over\s+time"),
            Some(vec!["time".to_string()])
        );
    }

    #[test]
    fn every_branch_must_contribute() {
        assert_eq!(
            required(r"deletion|right\s+to\s+be\s+forgotten"),
            Some(vec!["deletion".to_string(), "forgotten".to_string()])
        );
        assert_eq!(
            required(r"deletion|[0-9]+ month"),
            Some(vec![" month".into(), "deletion".into()])
        );
        assert_eq!(required(r"deletion|[0-9]+"), None);
    }

    #[test]
    fn case_folding_keeps_unusual_forms() {
        // (?i)s also matches U+017F LATIN SMALL LETTER LONG S.
        let set = required("sale").unwrap();
        assert!(set.contains(&"sale".to_string()));
        assert!(set.contains(&"\u{17f}ale".to_string()));
    }

    #[test]
    fn optional_pieces_are_not_required() {
        assert_eq!(required(r"(?:opt)?\s+"), None);
        assert_eq!(required(r"[a-z0-9.]+@[a-z]+"), Some(vec!["@".to_string()]));
    }

    #[test]
    fn occurrences_are_counted_per_sentence() {
        let prose = "We keep data. Over time it goes. Nothing here.";
        let sentences = vec![
            ProseRange::new(0, 13),
            ProseRange::new(14, 32),
            ProseRange::new(33, 46),
        ];
        let prefilter = Prefilter::new(["over\\s+time", "data", "[0-9]+"]);
        let found = prefilter.scan(prose, &sentences);
        assert_eq!(prefilter.candidates(0, &found), Some(vec![1]));
        assert_eq!(prefilter.candidates(1, &found), Some(vec![0]));
        assert_eq!(prefilter.candidates(2, &found), None);
    }
}
