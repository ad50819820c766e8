//! The document model every rule runs on: the prose text of a policy, its blocks,
//! sections and sentences, and the map from prose back to source bytes.
//!
//! Each input format has its own parser (one file each) that feeds a [`DocumentBuilder`];
//! what happens after that (fake headings, sections, sentences) is shared.

pub mod directives;
pub mod docx;
pub mod formats;
mod headings;
mod html;
pub mod loads;
mod markdown;
mod offset_map;
mod sentences;
pub mod source;
mod text;

pub use formats::{FORMATS, Format, FormatInfo, Markers, Preamble};
pub use html::HtmlOptions;
pub use offset_map::OffsetMap;
pub use sentences::Splits;
pub use source::SourceText;

use crate::span::{LineIndex, Location, ProseRange, SourceSpan};

/// Prose (bytes) from which a document's blocks are split into sentences on all
/// cores: splitting was the longest part of reading the 50 MB test file (0.16 s, on
/// one core while the other waited).
const SPLIT_ON_ALL_CORES_FROM: usize = 1 << 20;

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
    pub range: ProseRange,
    /// The innermost section that holds this one's start, if any: sections nest, so
    /// the sections that hold a position are one chain of parents.
    pub parent: Option<usize>,
}

impl Section {
    /// Whether the section holds a prose position (a section with an empty heading
    /// and nothing under it still holds its start).
    fn holds(&self, offset: usize) -> bool {
        self.range.start <= offset && offset < self.range.end.max(self.range.start + 1)
    }
}

#[derive(Debug)]
pub struct Document {
    source: SourceText,
    prose: String,
    map: OffsetMap,
    lines: LineIndex,
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    pub sentences: Vec<ProseRange>,
    /// Suppression directives written in the source.
    pub directives: Vec<directives::Directive>,
    /// An HTML page: it may load services from other sites ([`Document::page_loads`]).
    is_page: bool,
    /// What the page loads, read on first use: only rules about the site ask.
    loads: std::sync::OnceLock<loads::PageLoads>,
}

impl Document {
    /// Parses UTF-8 text. (A .docx is read from its bytes with [`Document::read`]; given
    /// as text, each line is one paragraph.)
    pub fn parse(text: String, format: Format) -> Document {
        Document::from_source(SourceText::utf8(text), format, &ReadOptions::default())
    }

    /// Reads a policy file's bytes, or says why it cannot be read.
    pub fn read(bytes: Vec<u8>, format: Format, options: &ReadOptions) -> Result<Document, String> {
        if format == Format::Docx {
            let paragraphs = docx::paragraphs(&bytes)?;
            return Ok(Document::from_paragraphs(&paragraphs));
        }
        let source = source::decode(bytes, format)?;
        Ok(Document::from_source(source, format, options))
    }

    pub fn from_source(source: SourceText, format: Format, options: &ReadOptions) -> Document {
        Document::from_source_reusing(source, format, options, None)
    }

    /// Like [`Document::from_source`], taking the sentences of each block that an
    /// earlier version of the document had unchanged from `earlier` (see
    /// [`Document::splits`]).
    pub fn from_source_reusing(
        source: SourceText,
        format: Format,
        options: &ReadOptions,
        earlier: Option<&Splits>,
    ) -> Document {
        let text = &source.text;
        let mut builder = DocumentBuilder::new(text);
        match format {
            Format::Markdown => markdown::parse(text, &mut builder, options.html),
            Format::Html => html::parse(
                text,
                SourceSpan::new(0, text.len()),
                &mut builder,
                options.html,
            ),
            Format::Text => text::parse(text, &mut builder),
            Format::Docx => text::parse_lines(text, &mut builder),
        }
        let (prose, map, blocks) = builder.finish();
        let directives = directives::scan(&source.text, format);
        let mut doc = Document::assemble(source, prose, map, blocks, earlier);
        doc.directives = directives;
        doc.is_page = format == Format::Html;
        doc
    }

    /// A Word document: its paragraphs are the lines of the text findings point into.
    fn from_paragraphs(paragraphs: &[docx::Paragraph]) -> Document {
        let text = paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut builder = DocumentBuilder::new(&text);
        let mut start = 0;
        for p in paragraphs {
            let span = SourceSpan::new(start, start + p.text.len());
            builder.push_text(p.kind, &p.text, span, false);
            builder.end_block();
            start = span.end + 1;
        }
        let (prose, map, blocks) = builder.finish();
        Document::assemble(SourceText::utf8(text), prose, map, blocks, None)
    }

    fn assemble(
        source: SourceText,
        prose: String,
        map: OffsetMap,
        blocks: Vec<Block>,
        earlier: Option<&Splits>,
    ) -> Document {
        let blocks = headings::promote_fake_headings(&prose, blocks);
        let sections = build_sections(&blocks);
        let split = |b: &Block| sentences::split_reusing(&prose, b, earlier);
        let sentences = if prose.len() >= SPLIT_ON_ALL_CORES_FROM {
            use rayon::prelude::*;
            blocks.par_iter().flat_map_iter(split).collect()
        } else {
            blocks.iter().flat_map(split).collect()
        };
        let lines = LineIndex::new(&source.text);
        Document {
            source,
            prose,
            map,
            lines,
            blocks,
            sections,
            sentences,
            directives: Vec::new(),
            is_page: false,
            loads: std::sync::OnceLock::new(),
        }
    }

    pub fn source(&self) -> &str {
        &self.source.text
    }

    /// The sentences of each block, for parsing the next version of the document.
    pub fn splits(&self) -> Splits {
        Splits::of(&self.prose, &self.blocks, &self.sentences)
    }

    /// The source text, for a report that outlives the document.
    pub fn into_source(self) -> String {
        self.source.text
    }

    /// What the user should know about how the file was decoded, if anything.
    pub fn decoding_note(&self) -> Option<&str> {
        self.source.note.as_deref()
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

    /// Whether the prose at `offset` is the source's own text (not a decoded reference,
    /// a separator or other stand-in for markup).
    pub fn is_verbatim(&self, offset: usize) -> bool {
        self.map.is_verbatim(offset)
    }

    /// Line and column of a span; offsets are bytes of the original file.
    pub fn locate(&self, span: SourceSpan) -> Location {
        let mut location = self.lines.location(&self.source.text, span);
        location.start.offset = self.source.file_offset(location.start.offset);
        location.end.offset = self.source.file_offset(location.end.offset);
        location
    }

    /// What an HTML page loads from other sites (`None` for other formats).
    pub fn page_loads(&self) -> Option<&loads::PageLoads> {
        self.is_page.then(|| {
            self.loads
                .get_or_init(|| loads::page_loads(&self.source.text))
        })
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

    /// The headings of the sections a prose position lies in, outermost first. The
    /// document's title is left out when its section holds all the rest: it names the
    /// document, not a part of it.
    ///
    /// Sections are in order of their starts, so the last one that starts by `offset`
    /// holds it or lies inside the innermost one that does; the others that hold it
    /// are that one's parents. (A linear scan of every section, once per finding,
    /// took most of the time of writing the report of a 50 MB document.)
    pub fn section_path(&self, offset: usize) -> Vec<&str> {
        let end = self.blocks.last().map_or(0, |b| b.range.end);
        let title = self.headings().next().map(|(i, _)| i);
        let last = self.sections.partition_point(|s| s.range.start <= offset);
        let mut holding = Vec::new();
        let mut at = last.checked_sub(1);
        while let Some(i) = at {
            let section = &self.sections[i];
            if section.holds(offset) {
                holding.push(section);
            }
            at = section.parent;
        }
        (holding.into_iter().rev())
            .filter(|s| !(s.heading == title && s.range.end == end))
            .filter_map(|s| s.heading)
            .map(|i| self.text(self.blocks[i].range))
            .collect()
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
            range: ProseRange::new(0, blocks[blocks.len() - 1].range.end),
            parent: None,
        }),
        Some(i) if i > 0 => sections.push(Section {
            heading: None,
            range: ProseRange::new(0, blocks[i - 1].range.end),
            parent: None,
        }),
        _ => {}
    }
    // The sections that hold the start of the one being added, innermost last.
    let mut open: Vec<usize> = (0..sections.len()).collect();
    for (i, block) in blocks.iter().enumerate() {
        let BlockKind::Heading(level) = block.kind else {
            continue;
        };
        while open
            .last()
            .is_some_and(|&o| !sections[o].holds(block.range.start))
        {
            open.pop();
        }
        let next = blocks[i + 1..]
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading(l) if l <= level))
            .map_or(blocks.len(), |j| i + 1 + j);
        let end = blocks[next - 1].range.end;
        let parent = open.last().copied();
        open.push(sections.len());
        sections.push(Section {
            heading: Some(i),
            range: ProseRange::new(block.range.start, end),
            parent,
        });
    }
    sections
}

/// How to read documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions {
    pub html: HtmlOptions,
}

/// Collects prose and blocks from a format parser.
pub(crate) struct DocumentBuilder<'s> {
    source: &'s str,
    prose: String,
    map: OffsetMap,
    blocks: Vec<Block>,
    open: Option<Block>,
    /// Source offset just after the last text pushed; anchors block separators.
    pub(crate) last_source_end: usize,
}

impl<'s> DocumentBuilder<'s> {
    fn new(source: &'s str) -> Self {
        Self {
            source,
            // Prose is at most about as long as the source: reserved once, not doubled.
            prose: String::with_capacity(source.len()),
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
        // White space between blocks (indentation in HTML) opens no block.
        if text.is_empty() || (self.open.is_none() && text.trim().is_empty()) {
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

    #[test]
    fn a_section_path_names_the_headings_above_but_not_the_title() {
        let text = "# Policy\n\nIntro.\n\n## Data\n\nWe collect.\n\n### Logs\n\nKept.\n\n## Contact\n\nMail us.\n";
        let doc = Document::parse(text.into(), Format::Markdown);
        let at = |needle: &str| doc.prose().find(needle).unwrap();
        assert_eq!(doc.section_path(at("Kept")), ["Data", "Logs"]);
        assert_eq!(doc.section_path(at("Mail")), ["Contact"]);
        assert_eq!(doc.section_path(at("Intro")), Vec::<&str>::new());
        // Two top-level headings are sections, not a title.
        let doc = Document::parse("# A\n\nOne.\n\n# B\n\nTwo.\n".into(), Format::Markdown);
        assert_eq!(doc.section_path(doc.prose().find("Two").unwrap()), ["B"]);
        assert_eq!(doc.section_path(doc.prose().find("One").unwrap()), ["A"]);
    }

    #[test]
    fn a_long_document_split_on_all_cores_has_the_sentences_of_its_blocks_in_order() {
        let mut text = String::new();
        let mut n = 0;
        while text.len() <= SPLIT_ON_ALL_CORES_FROM * 5 / 4 {
            n += 1;
            text.push_str(&format!(
                "## Part {n}\n\nWe keep logs for {n} days. Is that long? No! See e.g. \
                 section {n}.{n} of the terms.\nA line of its own\n\n- item {n}; another\n\n"
            ));
        }
        let doc = Document::parse(text, Format::Markdown);
        assert!(doc.prose().len() >= SPLIT_ON_ALL_CORES_FROM);
        let in_turn: Vec<ProseRange> = (doc.blocks.iter())
            .flat_map(|b| sentences::split(doc.prose(), b))
            .collect();
        assert!(in_turn.len() > 4 * n);
        assert_eq!(doc.sentences, in_turn);
    }

    /// The headings of every section that holds `offset`, found by looking at each.
    fn section_path_by_scan(doc: &Document, offset: usize) -> Vec<&str> {
        let end = doc.blocks.last().map_or(0, |b| b.range.end);
        let title = doc.headings().next().map(|(i, _)| i);
        (doc.sections.iter())
            .filter(|s| s.holds(offset))
            .filter(|s| !(s.heading == title && s.range.end == end))
            .filter_map(|s| s.heading)
            .map(|i| doc.text(doc.blocks[i].range))
            .collect()
    }

    #[test]
    fn a_section_path_is_every_section_that_holds_the_position() {
        let mut random = crate::testing::random_below(7);
        for _ in 0..300 {
            let mut text = String::new();
            for block in 0..random(12) {
                match random(4) {
                    0 => text.push_str(&format!("{} H{block}\n\n", "#".repeat(1 + random(4)))),
                    1 => text.push_str(&format!("**Bold {block}**\n\n")),
                    2 => text.push_str("#\n\n"),
                    _ => text.push_str(&format!("Text {block}. More text.\n\n")),
                }
            }
            let doc = Document::parse(text.clone(), Format::Markdown);
            for offset in 0..=doc.prose().len() + 1 {
                assert_eq!(
                    doc.section_path(offset),
                    section_path_by_scan(&doc, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }
}
