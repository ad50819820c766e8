//! The input formats, described once: which files are read as which format, and how
//! each writes what the linter and the editor put in it. The walk, directives,
//! fixtures, the editor and the reports read these descriptions instead of matching
//! on the format themselves. A new format is a variant of [`Format`], its entry in
//! [`FORMATS`], and its parser in [`crate::document::Document::from_source_reusing`]
//! (and its extensions in the pre-commit hook's `files`, which a test checks).

use std::path::Path;
use std::sync::LazyLock;

/// The formats a policy can be read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Text,
    Html,
    Docx,
}

/// How a format writes a suppression directive or a fixture annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markers {
    /// Inside an HTML comment: `<!-- policylint-disable core/x -->`.
    Comment,
    /// On a line of its own, as plain text.
    Line,
    /// Not at all (a Word document is not written by hand).
    None,
}

/// What comes before the first line a file-wide directive may go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preamble {
    /// Nothing: the directive goes on the first line.
    None,
    /// YAML front matter (`---` ... `---`), which must stay first.
    FrontMatter,
    /// A doctype or XML declaration (a comment before it would put browsers in
    /// quirks mode).
    Prolog,
}

/// What the rest of the program needs to know about a format.
#[derive(Debug)]
pub struct FormatInfo {
    pub format: Format,
    /// File name extensions, lower case, without the dot; the first is the usual one.
    pub extensions: &'static [&'static str],
    pub markers: Markers,
    pub preamble: Preamble,
    /// Positions are paragraph and character rather than line and column.
    pub paragraphs: bool,
    /// Text an editor changes and the language server lints as typed.
    pub editable: bool,
}

pub const FORMATS: &[FormatInfo] = &[
    FormatInfo {
        format: Format::Markdown,
        extensions: &["md", "markdown"],
        markers: Markers::Comment,
        preamble: Preamble::FrontMatter,
        paragraphs: false,
        editable: true,
    },
    FormatInfo {
        format: Format::Text,
        extensions: &["txt", "text"],
        markers: Markers::Line,
        preamble: Preamble::None,
        paragraphs: false,
        editable: true,
    },
    FormatInfo {
        format: Format::Html,
        extensions: &["html", "htm", "xhtml"],
        markers: Markers::Comment,
        preamble: Preamble::Prolog,
        paragraphs: false,
        editable: true,
    },
    FormatInfo {
        format: Format::Docx,
        extensions: &["docx"],
        markers: Markers::None,
        preamble: Preamble::None,
        paragraphs: true,
        editable: false,
    },
];

impl Format {
    /// The format a file name implies, if policylint reads it.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|info| info.extensions.contains(&ext.as_str()))
            .map(|info| info.format)
    }

    pub fn info(self) -> &'static FormatInfo {
        // Invariant: every format has its entry.
        FORMATS
            .iter()
            .find(|info| info.format == self)
            .unwrap_or(&FORMATS[0])
    }

    /// The extensions policylint reads, for messages: ".md, .markdown, ...".
    pub fn supported() -> &'static str {
        static LIST: LazyLock<String> = LazyLock::new(|| {
            let all: Vec<String> = FORMATS
                .iter()
                .flat_map(|info| info.extensions.iter().map(|e| format!(".{e}")))
                .collect();
            all.join(", ")
        });
        &LIST
    }

    /// A glob matching every file policylint reads: `**/*.{md,markdown,...}`.
    pub fn include_glob() -> &'static str {
        static GLOB: LazyLock<String> = LazyLock::new(|| {
            let all: Vec<&str> = FORMATS
                .iter()
                .flat_map(|info| info.extensions.iter().copied())
                .collect();
            format!("**/*.{{{}}}", all.join(","))
        });
        &GLOB
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_entry_and_extensions_are_unique() {
        for format in [Format::Markdown, Format::Text, Format::Html, Format::Docx] {
            assert_eq!(FORMATS.iter().filter(|i| i.format == format).count(), 1);
            assert_eq!(format.info().format, format);
        }
        let mut all: Vec<&str> = FORMATS
            .iter()
            .flat_map(|i| i.extensions.iter().copied())
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }

    #[test]
    fn names_and_globs_come_from_the_table() {
        assert_eq!(
            Format::supported(),
            ".md, .markdown, .txt, .text, .html, .htm, .xhtml, .docx"
        );
        assert_eq!(
            Format::include_glob(),
            "**/*.{md,markdown,txt,text,html,htm,xhtml,docx}"
        );
        assert_eq!(Format::from_path(Path::new("a/B.HTM")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("a/b.pdf")), None);
    }
}
