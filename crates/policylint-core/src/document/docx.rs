//! Word drafts (.docx): the paragraphs of `word/document.xml`, read through a zip
//! reader and an XML parser.
//!
//! The text a .docx finding points into is the document's paragraphs, one per line,
//! in order (empty paragraphs included), so a position's line is the paragraph number
//! and its column the character in that paragraph.

use std::io::{Cursor, Read};
use std::sync::LazyLock;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use regex::Regex;

use super::BlockKind;

/// `word/document.xml` larger than this (uncompressed) is refused: a zip bomb guard.
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// One paragraph of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub kind: BlockKind,
}

static HEADING_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern. Style ids such as Heading1, heading 2, Title.
    Regex::new(r"(?i)^(?:heading\s*([1-9])|title)$").expect("valid regex")
});

fn attribute(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The paragraphs of a .docx file, or why it cannot be read.
pub fn paragraphs(bytes: &[u8]) -> Result<Vec<Paragraph>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a Word document (a .docx is a zip archive): {e}"))?;
    let mut entry = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::FileNotFound => {
            "not a Word document: the archive has no word/document.xml".to_string()
        }
        e => format!("cannot read word/document.xml: {e}"),
    })?;
    if entry.size() > MAX_XML_BYTES {
        return Err(format!(
            "word/document.xml is {} MB uncompressed, over the {} MB limit",
            entry.size() / 1_048_576,
            MAX_XML_BYTES / 1_048_576
        ));
    }
    let mut xml = String::new();
    // The declared size can lie; never read past the limit.
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err("word/document.xml is over the size limit".into());
    }
    parse_xml(&xml)
}

#[derive(Default)]
struct State {
    paragraphs: Vec<Paragraph>,
    text: Option<String>,
    kind: Option<BlockKind>,
    numbered: bool,
    in_text: bool,
    table_cells: usize,
    /// Open `w:p` elements: a paragraph inside a text box is part of the outer one.
    paragraph_depth: usize,
    /// Open `w:r` runs: tabs and breaks are characters only inside a run (a `w:tab`
    /// in the paragraph properties is a tab stop).
    runs: usize,
}

impl State {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        match e.local_name().as_ref() {
            "p" if !empty => {
                self.paragraph_depth += 1;
                if self.paragraph_depth == 1 {
                    self.text = Some(String::new());
                    self.kind = None;
                    self.numbered = false;
                } else {
                    self.push(" ");
                }
            }
            "p" if self.paragraph_depth == 0 => self.paragraphs.push(Paragraph {
                text: String::new(),
                kind: BlockKind::Paragraph,
            }),
            "r" if !empty => self.runs += 1,
            "pStyle" => {
                let style = attribute(e, "val").unwrap_or_default();
                if let Some(caps) = HEADING_STYLE.captures(style.trim()) {
                    let level = caps.get(1).map_or(1, |m| m.as_str().parse().unwrap_or(1));
                    self.kind = Some(BlockKind::Heading(level.min(6)));
                }
            }
            "numPr" => self.numbered = true,
            "tc" if !empty => self.table_cells += 1,
            "t" if !empty => self.in_text = true,
            "tab" if self.runs > 0 => self.push("\t"),
            "br" | "cr" if self.runs > 0 => self.push(" "),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "tc" => self.table_cells = self.table_cells.saturating_sub(1),
            "r" => self.runs = self.runs.saturating_sub(1),
            "p" => {
                self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                if self.paragraph_depth > 0 {
                    self.push(" ");
                    return;
                }
                let Some(text) = self.text.take() else {
                    return;
                };
                let kind = self.kind.unwrap_or(if self.table_cells > 0 {
                    BlockKind::TableCell
                } else if self.numbered {
                    BlockKind::ListItem
                } else {
                    BlockKind::Paragraph
                });
                self.paragraphs.push(Paragraph { text, kind });
            }
            _ => {}
        }
    }

    fn push(&mut self, s: &str) {
        if let Some(text) = self.text.as_mut() {
            text.push_str(s);
        }
    }
}

fn parse_xml(xml: &str) -> Result<Vec<Paragraph>, String> {
    let mut reader = Reader::from_str(xml);
    let mut state = State::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("word/document.xml is not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) => state.start(&e, false),
            Event::Empty(e) => state.start(&e, true),
            Event::End(e) => state.end(e.local_name().as_ref()),
            Event::Text(t) if state.in_text => {
                let text = t.into_inner();
                // Paragraphs are lines: a line break inside w:t is a space.
                state.push(&text.replace(['\r', '\n'], " "));
            }
            Event::GeneralRef(r) if state.in_text => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(&r.clone().into_inner())
                        .map(str::to_string)
                };
                state.push(resolved.as_deref().unwrap_or("\u{fffd}"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(state.paragraphs)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal .docx with the given body XML.
    pub(crate) fn docx(body: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", options).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn reads_headings_lists_tables_and_references() {
        let bytes = docx(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Privacy</w:t></w:r></w:p>"#,
            r#"<w:p/>"#,
            r#"<w:p><w:pPr><w:numPr/></w:pPr><w:r><w:t xml:space="preserve">Names &amp; </w:t></w:r><w:r><w:t>emails</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        ));
        let paragraphs = paragraphs(&bytes).unwrap();
        assert_eq!(
            paragraphs,
            vec![
                Paragraph {
                    text: "Privacy".into(),
                    kind: BlockKind::Heading(1)
                },
                Paragraph {
                    text: String::new(),
                    kind: BlockKind::Paragraph
                },
                Paragraph {
                    text: "Names & emails".into(),
                    kind: BlockKind::ListItem
                },
                Paragraph {
                    text: "Cell".into(),
                    kind: BlockKind::TableCell
                },
            ]
        );
    }

    #[test]
    fn tab_stops_are_not_text_and_text_boxes_stay_in_their_paragraph() {
        let bytes = docx(concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:t>A</w:t><w:tab/><w:t>B</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>Outer</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:r>"#,
            r#"<w:r><w:t>end</w:t></w:r></w:p>"#,
        ));
        let texts: Vec<String> = paragraphs(&bytes)
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts, vec!["A\tB", "Outer box end"]);
    }

    #[test]
    fn not_a_zip_or_not_word_is_a_clear_error() {
        assert!(
            paragraphs(b"plain text")
                .unwrap_err()
                .contains("not a Word document")
        );
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("x.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.finish().unwrap();
        assert!(
            paragraphs(&out.into_inner())
                .unwrap_err()
                .contains("no word/document.xml")
        );
    }
}
