//! The one place that knows how prose positions relate to source positions.
//!
//! Prose is assembled from pieces: most are copied verbatim from the source, some stand
//! for markup (a decoded `&amp;`, a block separator). The map is piecewise: one entry
//! per piece, not per character, so memory stays proportional to the markup.

use crate::span::{ProseRange, SourceSpan};

#[derive(Clone, Copy, Debug)]
struct Piece {
    prose_start: usize,
    source_start: usize,
    source_len: usize,
    /// Verbatim pieces map byte for byte; others map to their whole source span.
    verbatim: bool,
}

#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
}

impl OffsetMap {
    /// Records that the prose from `prose_start` on (up to the next piece) comes from
    /// `source`. Pieces must be added in prose order.
    pub(crate) fn push(&mut self, prose_start: usize, source: SourceSpan, verbatim: bool) {
        let piece = Piece {
            prose_start,
            source_start: source.start,
            source_len: source.end - source.start,
            verbatim,
        };
        // An empty prose piece is shadowed by the next one at the same start.
        if let Some(last) = self.pieces.last_mut()
            && last.prose_start == prose_start
        {
            *last = piece;
            return;
        }
        self.pieces.push(piece);
    }

    fn piece_at(&self, prose: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.prose_start <= prose);
        i.checked_sub(1).map(|i| &self.pieces[i])
    }

    fn start_of(&self, prose: usize) -> usize {
        match self.piece_at(prose) {
            Some(p) if p.verbatim => p.source_start + (prose - p.prose_start).min(p.source_len),
            Some(p) => p.source_start,
            None => 0,
        }
    }

    fn end_of(&self, prose_end: usize) -> usize {
        match self.piece_at(prose_end.saturating_sub(1)) {
            Some(p) if p.verbatim => p.source_start + (prose_end - p.prose_start).min(p.source_len),
            Some(p) => p.source_start + p.source_len,
            None => 0,
        }
    }

    /// Whether the prose byte at `prose` was copied from the source byte for byte.
    pub fn is_verbatim(&self, prose: usize) -> bool {
        self.piece_at(prose).is_some_and(|p| p.verbatim)
    }

    /// The source span a prose range was made from.
    pub fn to_source(&self, range: ProseRange) -> SourceSpan {
        let start = self.start_of(range.start);
        if range.is_empty() {
            return SourceSpan::new(start, start);
        }
        let end = self.end_of(range.end).max(start);
        SourceSpan::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> OffsetMap {
        // source: "a &amp; b\n\nc"   prose: "a & b\n\nc"
        let mut m = OffsetMap::default();
        m.push(0, SourceSpan::new(0, 2), true); // "a "
        m.push(2, SourceSpan::new(2, 7), false); // "&" for "&amp;"
        m.push(3, SourceSpan::new(7, 9), true); // " b"
        m.push(5, SourceSpan::new(9, 9), false); // "\n\n" separator
        m.push(7, SourceSpan::new(11, 12), true); // "c"
        m
    }

    #[test]
    fn verbatim_pieces_map_byte_for_byte() {
        assert_eq!(
            map().to_source(ProseRange::new(4, 5)),
            SourceSpan::new(8, 9)
        );
        assert_eq!(
            map().to_source(ProseRange::new(7, 8)),
            SourceSpan::new(11, 12)
        );
    }

    #[test]
    fn replaced_pieces_map_to_their_whole_markup() {
        assert_eq!(
            map().to_source(ProseRange::new(2, 3)),
            SourceSpan::new(2, 7)
        );
        assert_eq!(
            map().to_source(ProseRange::new(0, 5)),
            SourceSpan::new(0, 9)
        );
    }

    #[test]
    fn empty_range_maps_to_a_point() {
        assert_eq!(
            map().to_source(ProseRange::new(3, 3)),
            SourceSpan::new(7, 7)
        );
    }
}
