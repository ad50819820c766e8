//! The document model every rule runs on: the prose text of a policy, its blocks,
//! sections and sentences, and the map from prose back to source bytes.
//!
//! Each input format has its own parser (one file each) that feeds a [`DocumentBuilder`];
//! what happens after that (fake headings, sections, sentences) is shared.

mod headings;
mod markdown;
mod offset_map;
mod sentences;
mod text;

use std::path::Path;

pub use offset_map::OffsetMap;

use crate::span::{LineIndex, Location, ProseRange, SourceSpan};

/// The formats a policy can be read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
}

impl Format {
    /// The format a file name implies, if policylint reads it.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    pub const SUPPORTED: &'static str = ".md, .markdown, .txt";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    Paragraph,
    ListItem,
    TableCell,
}

/// A run of prose that never shares a sentence with its neighbours.
#[derive(Clone, Debug)]
pub struct Block {
    pub range: ProseRange,
    pub kind: BlockKind,
    /// The heading level came from markup (`#`, `<h2>`, setext), not from a guess.
    pub marked_heading: bool,
    /// All of the text was bold (`**Cookies**`), a common fake heading.
    pub all_strong: bool,
    /// The block carried a list number ("8. How to Contact Us" as a one-item list).
    pub numbered: bool,
    /// Line breaks inside the block: (prose offset where the next line starts, hard).
    pub line_breaks: Vec<(usize, bool)>,
}

/// A heading and everything under it up to the next heading of the same or a higher
/// level. Text before the first heading forms a section with no heading.
#[derive(Clone, Debug)]
pub struct Section {
    pub heading: Option<usize>,
    pub level: u8,
    pub range: ProseRange,
}

#[derive(Debug)]
pub struct Document {
    source: String,
    prose: String,
    map: OffsetMap,
    lines: LineIndex,
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    pub sentences: Vec<ProseRange>,
}

impl Document {
    pub fn parse(source: String, format: Format) -> Document {
        let mut builder = DocumentBuilder::new(&source);
        match format {
            Format::Markdown => markdown::parse(&source, &mut builder),
            Format::Text => text::parse(&source, &mut builder),
        }
        let (prose, map, blocks) = builder.finish();
        Document::assemble(source, prose, map, blocks)
    }

    fn assemble(source: String, prose: String, map: OffsetMap, blocks: Vec<Block>) -> Document {
        let blocks = headings::promote_fake_headings(&prose, blocks);
        let sections = build_sections(&blocks);
        let sentences = blocks
            .iter()
            .flat_map(|b| sentences::split(&prose, b))
            .collect();
        let lines = LineIndex::new(&source);
        Document {
            source,
            prose,
            map,
            lines,
            blocks,
            sections,
            sentences,
        }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The text rules see: markup removed, blocks separated by blank lines.
    pub fn prose(&self) -> &str {
        &self.prose
    }

    pub fn text(&self, range: ProseRange) -> &str {
        &self.prose[range.start..range.end]
    }

    pub fn to_source(&self, range: ProseRange) -> SourceSpan {
        self.map.to_source(range)
    }

    pub fn locate(&self, span: SourceSpan) -> Location {
        self.lines.location(&self.source, span)
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
    }

    pub fn headings(&self) -> impl Iterator<Item = (usize, &Block)> {
        self.blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b.kind, BlockKind::Heading(_)))
    }

    /// The title: the first heading, else the first block.
    pub fn title(&self) -> Option<&Block> {
        self.headings()
            .map(|(_, b)| b)
            .next()
            .or_else(|| self.blocks.first())
    }

    /// The sentence that contains a prose position, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<ProseRange> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        self.sentences.get(i).filter(|s| s.start <= offset).copied()
    }
}

fn build_sections(blocks: &[Block]) -> Vec<Section> {
    let mut sections = Vec::new();
    let first_heading = blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading(_)));
    match first_heading {
        None if !blocks.is_empty() => sections.push(Section {
            heading: None,
            level: 0,
            range: ProseRange::new(0, blocks[blocks.len() - 1].range.end),
        }),
        Some(i) if i > 0 => sections.push(Section {
            heading: None,
            level: 0,
            range: ProseRange::new(0, blocks[i - 1].range.end),
        }),
        _ => {}
    }
    for (i, block) in blocks.iter().enumerate() {
        let BlockKind::Heading(level) = block.kind else {
            continue;
        };
        let next = blocks[i + 1..]
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading(l) if l <= level))
            .map_or(blocks.len(), |j| i + 1 + j);
        let end = blocks[next - 1].range.end;
        sections.push(Section {
            heading: Some(i),
            level,
            range: ProseRange::new(block.range.start, end),
        });
    }
    sections
}

/// Collects prose and blocks from a format parser.
pub(crate) struct DocumentBuilder<'s> {
    source: &'s str,
    prose: String,
    map: OffsetMap,
    blocks: Vec<Block>,
    open: Option<Block>,
    /// Source offset just after the last text pushed; anchors block separators.
    last_source_end: usize,
}

impl<'s> DocumentBuilder<'s> {
    fn new(source: &'s str) -> Self {
        Self {
            source,
            prose: String::new(),
            map: OffsetMap::default(),
            blocks: Vec::new(),
            open: None,
            last_source_end: 0,
        }
    }

    fn ensure_block(&mut self, kind: BlockKind) -> &mut Block {
        if self.open.is_none() {
            if !self.blocks.is_empty() {
                let at = SourceSpan::new(self.last_source_end, self.last_source_end);
                self.map.push(self.prose.len(), at, false);
                self.prose.push_str("\n\n");
            }
            self.open = Some(Block {
                range: ProseRange::new(self.prose.len(), self.prose.len()),
                kind,
                marked_heading: matches!(kind, BlockKind::Heading(_)),
                all_strong: true,
                numbered: false,
                line_breaks: Vec::new(),
            });
        }
        // Invariant: set just above when it was None.
        self.open.as_mut().expect("block is open")
    }

    /// Appends prose text that stands for `span` of the source. Text equal to its
    /// source maps byte for byte; other text (a decoded entity) maps to the whole span.
    pub(crate) fn push_text(
        &mut self,
        kind: BlockKind,
        text: &str,
        span: SourceSpan,
        strong: bool,
    ) {
        if text.is_empty() {
            return;
        }
        let block = self.ensure_block(kind);
        block.all_strong &= strong || text.trim().is_empty();
        let verbatim = &self.source[span.start..span.end] == text;
        self.map.push(self.prose.len(), span, verbatim);
        self.prose.push_str(text);
        self.last_source_end = span.end;
    }

    /// A line break inside the current block: a space in the prose.
    pub(crate) fn line_break(&mut self, span: SourceSpan, hard: bool) {
        if self.open.is_none() {
            return;
        }
        self.map.push(self.prose.len(), span, false);
        self.prose.push(' ');
        let at = self.prose.len();
        if let Some(block) = self.open.as_mut() {
            block.line_breaks.push((at, hard));
        }
        self.last_source_end = span.end;
    }

    pub(crate) fn open_is(&self, kind: BlockKind) -> bool {
        self.open.as_ref().is_some_and(|b| b.kind == kind)
    }

    /// Makes the open block a heading (a setext underline in text).
    pub(crate) fn mark_open_heading(&mut self, level: u8) {
        if let Some(block) = self.open.as_mut() {
            block.kind = BlockKind::Heading(level);
            block.marked_heading = true;
        }
    }

    pub(crate) fn end_block(&mut self) {
        let Some(mut block) = self.open.take() else {
            return;
        };
        // Trim whitespace at both ends so blocks start and end on text.
        let text = &self.prose[block.range.start..];
        let start = block.range.start + (text.len() - text.trim_start().len());
        let end = block.range.start + text.trim_end().len();
        block.range = ProseRange::new(start, end.max(start));
        block.line_breaks.retain(|&(at, _)| at > start && at < end);
        if block.range.is_empty() {
            return;
        }
        self.blocks.push(block);
    }

    fn finish(mut self) -> (String, OffsetMap, Vec<Block>) {
        self.end_block();
        (self.prose, self.map, self.blocks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_nest_by_level() {
        let doc = Document::parse(
            "# Policy\n\nIntro.\n\n## Data\n\nWe collect.\n\n### Logs\n\nKept.\n\n## Contact\n\nMail us.\n"
                .into(),
            Format::Markdown,
        );
        let titles: Vec<(&str, &str)> = doc
            .sections
            .iter()
            .map(|s| {
                let h = &doc.blocks[s.heading.unwrap()];
                (doc.text(h.range), doc.text(s.range))
            })
            .collect();
        assert_eq!(titles[1].0, "Data");
        assert!(titles[1].1.contains("Kept."));
        assert!(!titles[1].1.contains("Mail us"));
        assert_eq!(titles[2], ("Logs", "Logs\n\nKept."));
    }
}
