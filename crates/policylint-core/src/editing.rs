//! Re-linting a document as someone edits it, in one call per version: the sentences
//! the new version shares with the one before are not split or searched again.

use jiff::civil::Date;

use crate::diagnostic::FileReport;
use crate::document::{Format, SourceText, Splits};
use crate::engine::Linter;
use crate::matcher::Memo;

/// What linting a version of a document leaves for linting the next: its blocks'
/// sentences and what the rules found in each sentence.
pub struct Earlier {
    splits: Splits,
    matches: Memo,
}

impl Linter {
    /// Lints a version of a document being edited, reusing what the lint of its
    /// previous version (`earlier`) found in the blocks and sentences that did not
    /// change; returns the report and what to pass with the next version. The text is
    /// already Unicode: unlike a file's bytes it is not decoded again (an HTML
    /// `<meta charset>` would otherwise re-decode it). `today` is the date date rules
    /// measure against: an editor stays open for days.
    pub fn lint_edited(
        &self,
        path: &str,
        text: String,
        format: Format,
        today: Date,
        earlier: Option<&Earlier>,
    ) -> (FileReport, Option<Earlier>) {
        let doc = match self.read_text(
            path,
            SourceText::utf8(text),
            format,
            earlier.map(|e| &e.splits),
        ) {
            Ok(doc) => doc,
            Err(report) => return (*report, None),
        };
        let splits = doc.splits();
        let (report, matches) = self.relint(path, doc, today, earlier.map(|e| &e.matches));
        (report, Some(Earlier { splits, matches }))
    }
}
