//! Findings in the Language Server Protocol's terms. Reports point at byte offsets;
//! the protocol counts lines (ended by `\n`, `\r\n` or `\r`) and, within a line,
//! UTF-16 code units, so "é" is one unit and "😀" two.

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString,
    Position, Range, Uri,
};

use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::engine::UNUSED_SUPPRESSION;
use crate::rules::{RuleSet, builtin_packs};
use crate::span::line_spans;

/// What every published diagnostic names as its source.
pub const SOURCE: &str = "policylint";

/// Where each line of a text starts, to turn byte offsets into protocol positions
/// and back.
#[derive(Clone, Debug)]
pub struct Utf16Index {
    /// Byte offset of the first character of each line.
    line_starts: Vec<usize>,
}

impl Utf16Index {
    pub fn new(text: &str) -> Utf16Index {
        Utf16Index {
            line_starts: line_spans(text).map(|line| line.start).collect(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of line `line` (0-based) without its line ending; the last line
    /// when `line` is past the end.
    pub fn line_span(&self, text: &str, line: usize) -> (usize, usize) {
        let line = line.min(self.line_starts.len() - 1);
        let start = self.line_starts[line];
        let end = match self.line_starts.get(line + 1) {
            None => text.len(),
            Some(&next) => {
                let ending = &text.as_bytes()[start..next];
                next - if ending.ends_with(b"\r\n") { 2 } else { 1 }
            }
        };
        (start, end)
    }

    /// The protocol position of a byte offset. An offset past the end is the end; one
    /// inside a character or a line ending moves back to where they begin.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let (start, end) = self.line_span(text, line);
        let units = text[start..offset.min(end)].encode_utf16().count();
        Position::new(as_u32(line), as_u32(units))
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of a protocol position. A position past the end of its line is
    /// the end of the line, past the last line the end of the text, and one between
    /// the two halves of a surrogate pair the start of that character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let (start, end) = self.line_span(text, line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            units += c.len_utf16();
            if units > wanted {
                return start + i;
            }
        }
        end
    }
}

fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The protocol diagnostics of a report on the text `index` was built from.
pub fn diagnostics(
    report: &FileReport,
    index: &Utf16Index,
    uri: &Uri,
    rules: &RuleSet,
) -> Vec<lsp_types::Diagnostic> {
    let text = &report.source;
    if let Some(error) = &report.error {
        // The file could not be linted (e.g. it is empty): say so rather than show a
        // clean file.
        return vec![lsp_types::Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some(SOURCE.to_string()),
            message: format!("not linted: {error}"),
            ..lsp_types::Diagnostic::default()
        }];
    }
    report
        .diagnostics
        .iter()
        .map(|d| lsp_types::Diagnostic {
            range: index.range(text, d.span.bytes.start, d.span.bytes.end),
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.rule.clone())),
            // No page describes a rule; `policylint explain` does, named in the message.
            code_description: None,
            source: Some(SOURCE.to_string()),
            message: message(d, rules),
            // Labels in other files (a site page) are in the message already.
            related_information: d.labels.iter().any(|l| l.path.is_none()).then(|| {
                d.labels
                    .iter()
                    .filter(|label| label.path.is_none())
                    .map(|label| DiagnosticRelatedInformation {
                        location: Location::new(
                            uri.clone(),
                            index.range(text, label.span.bytes.start, label.span.bytes.end),
                        ),
                        message: label.message.clone(),
                    })
                    .collect()
            }),
            tags: (d.rule == UNUSED_SUPPRESSION).then(|| vec![DiagnosticTag::UNNECESSARY]),
            data: None,
        })
        .collect()
}

/// The finding, how to fix it and where to read more.
fn message(d: &Diagnostic, rules: &RuleSet) -> String {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nHow to fix: ");
        text.push_str(help.trim());
    }
    if let Some(hint) = explain_hint(&d.rule, rules) {
        text.push_str("\nMore: ");
        text.push_str(&hint);
    }
    text
}

/// The command that explains a rule, for built-in rules (custom ones need `--rules`).
pub fn explain_hint(rule: &str, rules: &RuleSet) -> Option<String> {
    let rule = rules.get(rule)?;
    builtin_packs()
        .contains(&rule.pack)
        .then(|| format!("policylint explain {}", rule.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn multi_byte_characters_count_in_utf16_units() {
        let text = "Café — 😀 [Name]";
        let index = Utf16Index::new(text);
        let at = text.find('[').unwrap();
        // C a f é ␠ — ␠ 😀(2) ␠ = 10 units, but 14 bytes.
        assert_eq!(at, 15);
        assert_eq!(index.position(text, at), pos(0, 10));
        assert_eq!(index.offset(text, pos(0, 10)), at);
    }

    #[test]
    fn crlf_lone_cr_and_lf_all_end_lines() {
        let text = "a\r\nb\rc\nd";
        let index = Utf16Index::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, text.find('b').unwrap()), pos(1, 0));
        assert_eq!(index.position(text, text.find('c').unwrap()), pos(2, 0));
        assert_eq!(index.position(text, text.find('d').unwrap()), pos(3, 0));
        // The `\n` of a `\r\n` is part of the line ending: the end of line 0.
        assert_eq!(index.position(text, 2), pos(0, 1));
        assert_eq!(index.line_span(text, 0), (0, 1));
    }

    #[test]
    fn bad_positions_are_clamped_not_fatal() {
        let text = "ab\n😀";
        let index = Utf16Index::new(text);
        assert_eq!(index.offset(text, pos(0, 99)), 2);
        assert_eq!(index.offset(text, pos(7, 0)), text.len());
        // Between the halves of a surrogate pair: the start of the emoji.
        assert_eq!(index.offset(text, pos(1, 1)), 3);
        assert_eq!(index.position(text, 999), pos(1, 2));
        // Inside the emoji's bytes: its start.
        assert_eq!(index.position(text, 4), pos(1, 0));
        assert_eq!(Utf16Index::new("").position("", 0), pos(0, 0));
    }

    /// Walks the text character by character: the position of each character start.
    fn oracle(text: &str) -> Vec<(usize, Position)> {
        let mut out = Vec::new();
        let (mut line, mut col) = (0u32, 0u32);
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            out.push((i, pos(line, col)));
            match c {
                '\r' if chars.peek().map(|&(_, n)| n) == Some('\n') => {
                    let (j, _) = chars.next().unwrap_or((i, c));
                    // The `\n` is inside the line ending: it belongs to the line's end.
                    out.push((j, pos(line, col)));
                    line += 1;
                    col = 0;
                }
                '\r' | '\n' => {
                    line += 1;
                    col = 0;
                }
                c => col += c.len_utf16() as u32,
            }
        }
        out.push((text.len(), pos(line, col)));
        out
    }

    proptest! {
        #[test]
        fn positions_agree_with_a_character_walk(text in "[a\\r\\né—😀中\\u{feff} ]{0,40}") {
            let index = Utf16Index::new(&text);
            for (offset, expected) in oracle(&text) {
                prop_assert_eq!(index.position(&text, offset), expected);
            }
        }

        #[test]
        fn offsets_round_trip_through_positions(text in "[a\\r\\né—😀中 ]{0,40}") {
            let index = Utf16Index::new(&text);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let inside_crlf = offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n');
                let back = index.offset(&text, index.position(&text, offset));
                if inside_crlf {
                    prop_assert_eq!(back, offset - 1);
                } else {
                    prop_assert_eq!(back, offset);
                }
            }
        }

        #[test]
        fn any_position_maps_to_a_char_boundary(text in "[a\\r\\né😀]{0,20}", line in 0u32..30, character in 0u32..30) {
            let index = Utf16Index::new(&text);
            let offset = index.offset(&text, pos(line, character));
            prop_assert!(text.is_char_boundary(offset));
        }
    }
}
