//! Positions. Prose offsets (into the text rules see) and source offsets (into the
//! file the user edits) are different types so they cannot be mixed by accident.

use serde::Serialize;

/// A byte range in a document's prose text (end exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProseRange {
    pub start: usize,
    pub end: usize,
}

impl ProseRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }

    pub fn contains(&self, other: ProseRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A byte range in the source file (end exclusive). Created from prose ranges by the
/// document's offset map and never recomputed by searching the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceSpan {
    pub start: usize,
    pub end: usize,
}

impl SourceSpan {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }
}

/// A point in the source: 0-based byte offset, 1-based line, 1-based column counted in
/// Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// A source span resolved to line and column at both ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub start: Position,
    pub end: Position,
}

/// The lines of `text`, each as the byte span of its content without the line
/// ending. A line ends at `\n`, `\r\n` or a lone `\r` (old Mac text); a text that
/// ends with a line ending has an empty last line, and an empty text one empty line.
pub fn line_spans(text: &str) -> impl Iterator<Item = SourceSpan> + '_ {
    let bytes = text.as_bytes();
    let mut next = Some(0);
    std::iter::from_fn(move || {
        let start = next?;
        let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) else {
            next = None;
            return Some(SourceSpan::new(start, bytes.len()));
        };
        let end = start + i;
        let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
        next = Some(end + if crlf { 2 } else { 1 });
        Some(SourceSpan::new(start, end))
    })
}

/// Line-start table: line and column of any offset without rescanning the file.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        Self {
            line_starts: line_spans(source).map(|line| line.start).collect(),
        }
    }

    /// The position of a byte offset. An offset inside a multi-byte character is moved
    /// back to the start of that character.
    pub fn position(&self, source: &str, offset: usize) -> Position {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let line_start = self.line_starts[line - 1];
        let mut column = source[line_start..offset].chars().count() + 1;
        // A byte order mark is invisible: the first character is column 1.
        if line_start == 0 && offset > 0 && source.starts_with('\u{feff}') {
            column -= 1;
        }
        Position {
            offset,
            line,
            column,
        }
    }

    pub fn location(&self, source: &str, span: SourceSpan) -> Location {
        Location {
            start: self.position(source, span.start),
            end: self.position(source, span.end),
        }
    }

    /// The 1-based column of `offset` counted in UTF-16 code units, as editors (and the
    /// Language Server Protocol) count.
    pub fn utf16_column(&self, source: &str, offset: usize) -> usize {
        let p = self.position(source, offset);
        let line_start = self.line_starts[p.line - 1];
        source[line_start..p.offset].encode_utf16().count() + 1
    }

    /// The byte range of the 1-based line `line`, without its line ending.
    pub fn line_span(&self, source: &str, line: usize) -> SourceSpan {
        let start = self.line_starts[line.clamp(1, self.line_starts.len()) - 1];
        let end = source[start..]
            .find(['\n', '\r'])
            .map_or(source.len(), |i| start + i);
        SourceSpan::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        fn spans(text: &str) -> Vec<(usize, usize)> {
            line_spans(text).map(|l| (l.start, l.end)).collect()
        }
        assert_eq!(spans("a\r\nb\rc\nd"), [(0, 1), (3, 4), (5, 6), (7, 8)]);
        assert_eq!(spans("a\n"), [(0, 1), (2, 2)]);
        assert_eq!(spans("\r\r\n"), [(0, 0), (1, 1), (3, 3)]);
        assert_eq!(spans(""), [(0, 0)]);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "a’b\nxé中z";
        let idx = LineIndex::new(src);
        let z = src.find('z').unwrap();
        assert_eq!(
            idx.position(src, z),
            Position {
                offset: z,
                line: 2,
                column: 4
            }
        );
        assert_eq!(idx.position(src, src.find('b').unwrap()).column, 3);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let src = "a\r\nb\rc";
        let idx = LineIndex::new(src);
        assert_eq!(idx.position(src, 3).line, 2);
        assert_eq!(idx.position(src, 5).line, 3);
        assert_eq!(idx.line_span(src, 1), SourceSpan::new(0, 1));
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let src = "a😀b’c";
        let idx = LineIndex::new(src);
        assert_eq!(idx.utf16_column(src, src.find('b').unwrap()), 4);
        assert_eq!(idx.utf16_column(src, src.find('c').unwrap()), 6);
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let src = "\u{feff}Hi";
        assert_eq!(LineIndex::new(src).position(src, 3).column, 1);
        assert_eq!(LineIndex::new(src).position(src, 4).column, 2);
    }

    #[test]
    fn offset_inside_a_character_moves_to_its_start() {
        let src = "’x";
        let idx = LineIndex::new(src);
        assert_eq!(idx.position(src, 1).offset, 0);
    }
}
