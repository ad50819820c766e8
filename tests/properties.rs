//! Property tests for robustness: any bytes in any format read without panic into a
//! document whose ranges are ordered, nested and on character boundaries, whose
//! prose-to-source map never runs backwards, and whose positions stay inside the file.
//! Rule files and configurations of any text load or fail with an error, never panic.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use policylint::config::Config;
use policylint::document::{ReadOptions, docx};
use policylint::rules::RuleFile;
use policylint::span::{ProseRange, SourceSpan};
use policylint::{Document, Format, RuleSet};
use proptest::prelude::*;

const FORMATS: [Format; 4] = [Format::Markdown, Format::Html, Format::Text, Format::Docx];

/// Text that is mostly markup: the characters parsers branch on.
const MARKUP: &str =
    "[a-zA-Z0-9 <>/=&;#!*_`~\\[\\]()|>:.\\-\"'\n\r\t\u{a0}é’中😀\u{feff}\u{0}\u{fffd}]{0,300}";

/// Everything that must hold of a document, whatever it was read from.
fn check(doc: &Document) {
    let prose = doc.prose();
    let source = doc.source();
    let in_prose = |r: ProseRange| {
        r.start <= r.end
            && r.end <= prose.len()
            && prose.is_char_boundary(r.start)
            && prose.is_char_boundary(r.end)
    };
    for pair in doc.blocks.windows(2) {
        assert!(pair[0].range.end <= pair[1].range.start, "blocks overlap");
    }
    for pair in doc.sentences.windows(2) {
        assert!(pair[0].end <= pair[1].start, "sentences overlap");
    }
    for block in &doc.blocks {
        assert!(in_prose(block.range) && !block.range.is_empty());
    }
    for sentence in &doc.sentences {
        assert!(in_prose(*sentence));
        assert!(
            doc.blocks.iter().any(|b| b.range.contains(*sentence)),
            "a sentence outside every block"
        );
    }
    for section in &doc.sections {
        assert!(in_prose(section.range));
    }
    // The map from prose to source runs forwards (but for link addresses), inside the
    // source, on boundaries.
    let mut last = 0;
    for (at, c) in prose.char_indices() {
        let span = doc.to_source(ProseRange::new(at, at + c.len_utf8()));
        assert!(span.start <= span.end && span.end <= source.len());
        assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        if is_link_address(source, span) {
            continue;
        }
        assert!(
            span.start >= last,
            "prose {at} maps to {span:?}, before {last}"
        );
        last = span.start;
    }
}

/// Whether a prose character maps to a `mailto:` link's address: the one place prose
/// maps backwards (an address is read after the link's text, and maps to the whole
/// Markdown link or into the HTML tag).
fn is_link_address(source: &str, span: SourceSpan) -> bool {
    if source[span.start..span.end].contains("mailto:") {
        return true;
    }
    let Some(open) = source[..span.start].rfind('<') else {
        return false;
    };
    let close = source[open..].find('>').map_or(source.len(), |i| open + i);
    span.start <= close && source[open..close].contains("mailto:")
}

/// Reads bytes as a format; a refusal is an error message, never an empty one.
fn read(bytes: Vec<u8>, format: Format) -> Option<Document> {
    match Document::read(bytes, format, &ReadOptions::default()) {
        Ok(doc) => Some(doc),
        Err(message) => {
            assert!(!message.trim().is_empty());
            None
        }
    }
}

/// A .docx whose paragraphs hold the given texts.
fn docx_of(paragraphs: &[String]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    write!(zip, r#"<w:document xmlns:w="w"><w:body>"#).unwrap();
    for text in paragraphs {
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        write!(
            zip,
            r#"<w:p><w:r><w:t xml:space="preserve">{escaped}</w:t></w:r></w:p>"#
        )
        .unwrap();
    }
    write!(zip, "</w:body></w:document>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// Pieces of HTML and Markdown that move prose around: links, entities, chrome.
const LINKS: &[&str] = &[
    "<p>",
    "</p>",
    "<a href=\"mailto:p@x.org\">write to us</a>",
    "<a href=\"mailto:q@x.org\">q@x.org</a>",
    "[write](mailto:m@x.org) ",
    "We keep data. ",
    "&amp;",
    "&#8217;",
    "<br>",
    "<h2>Rights</h2>",
    "<nav>menu</nav>",
    "<li>",
    "<td>",
    "é",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn links_map_forwards_but_for_their_addresses(
        parts in prop::collection::vec(0..LINKS.len(), 0..50),
    ) {
        let text: String = parts.into_iter().map(|i| LINKS[i]).collect();
        for format in [Format::Html, Format::Markdown] {
            check(&Document::parse(text.clone(), format));
        }
    }

    #[test]
    fn any_bytes_in_any_format_read_or_are_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        for format in FORMATS {
            if let Some(doc) = read(bytes.clone(), format) {
                check(&doc);
            }
        }
    }

    #[test]
    fn markup_heavy_text_keeps_every_invariant(text in MARKUP) {
        for format in FORMATS {
            if let Some(doc) = read(text.clone().into_bytes(), format) {
                check(&doc);
            }
        }
    }

    #[test]
    fn utf16_with_a_bom_reads_as_the_same_text_at_file_offsets(
        text in "[a-zA-Z \n<>&é’中😀]{1,120}",
        big_endian in any::<bool>(),
    ) {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        let file_len = bytes.len();
        let doc = read(bytes, Format::Text).expect("UTF-16 with a BOM is read");
        prop_assert_eq!(doc.source(), text.as_str());
        check(&doc);
        for sentence in &doc.sentences {
            let location = doc.locate(doc.to_source(*sentence));
            for offset in [location.start.offset, location.end.offset] {
                // Past the BOM, on a code unit, inside the file.
                prop_assert!((2..=file_len).contains(&offset) && offset % 2 == 0);
            }
        }
    }

    #[test]
    fn docx_paragraphs_are_lines_of_the_text(
        paragraphs in prop::collection::vec("[a-zA-Z .,&<>é’]{0,40}", 0..12),
    ) {
        let read_back = docx::paragraphs(&docx_of(&paragraphs)).unwrap();
        let texts: Vec<&str> = read_back.iter().map(|p| p.text.as_str()).collect();
        prop_assert_eq!(&texts, &paragraphs);
        if let Some(doc) = read(docx_of(&paragraphs), Format::Docx) {
            check(&doc);
            for block in &doc.blocks {
                let location = doc.locate(doc.to_source(block.range));
                let line = &paragraphs[location.start.line - 1];
                prop_assert!(line.contains(doc.text(block.range)));
            }
        }
    }

    #[test]
    fn any_text_as_a_rule_file_compiles_or_is_an_error(text in "[a-z:\\- \n\\[\\]{}'\"*&|^$().?+0-9]{0,200}") {
        let file = RuleFile::new("prop", "rule", "prop/rule.yaml".into(), text);
        if let Err(e) = RuleSet::from_files(&[file], &BTreeMap::new()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn any_text_as_a_configuration_loads_or_is_an_error(text in "[a-z:\\- \n\\[\\]{}'\"*&/.0-9]{0,200}") {
        if let Err(e) = Config::parse("policylint.yaml", &text, PathBuf::from("/nowhere")) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
