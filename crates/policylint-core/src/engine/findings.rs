//! Findings before and after they are resolved to source positions, and their
//! fingerprints.

use super::*;
use crate::span::SourceSpan;

/// A place in one of the documents linted together: the member's index and a range
/// of its prose. A single file is a notice of one member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Place {
    pub(super) member: usize,
    pub(super) range: ProseRange,
}

/// What a missing-statement finding is about: the whole document.
pub(super) const MISSING: &str = "missing";

/// A finding before it is resolved to source positions.
pub(super) struct Finding {
    pub(super) message: String,
    pub(super) at: Place,
    /// Labels in other files than the finding's are dropped when it is resolved.
    pub(super) labels: Vec<(String, Place)>,
    /// What the finding is about, when that is the whole document rather than the
    /// text at `at` (which then only shows where to look): its fingerprint's basis.
    pub(super) whole_document_about: Option<String>,
    /// Replaces the rule's severity (a service's category sets it).
    pub(super) severity: Option<Severity>,
    /// The finding is at these bytes of its file, outside the prose (the tag that
    /// loads a service); `at` then only says which file.
    pub(super) tag: Option<SourceSpan>,
    /// Labels in files that are not linted (a site page): message, path, span.
    pub(super) elsewhere: Vec<(String, String, Span)>,
}

/// A finding about the file itself, at its title.
pub(super) fn file_note(doc: &Document, id: &str, message: String, help: &str) -> Diagnostic {
    let at = doc.title().map_or(ProseRange::new(0, 0), |b| b.range);
    Diagnostic {
        rule: id.to_string(),
        severity: Severity::Info,
        message,
        help: Some(help.to_string()),
        references: Default::default(),
        span: span(doc, at),
        labels: Vec::new(),
        fingerprint: fingerprint(id, Identity::Document { about: "file" }),
        merged: Vec::new(),
        missing_statement: false,
    }
}

pub(super) fn span(doc: &Document, at: ProseRange) -> Span {
    let bytes = doc.to_source(at);
    Span {
        bytes,
        location: doc.locate(bytes),
    }
}

pub(super) fn evidence_for(doc: &Document, at: ProseRange) -> Evidence {
    let sentence = doc.sentence_at(at.start).unwrap_or(at);
    Evidence {
        span: span(doc, sentence),
        text: doc.text(sentence).to_string(),
    }
}

pub(super) fn diagnostic(doc: &Document, rule: &Rule, finding: Finding) -> Diagnostic {
    let member = finding.at.member;
    let missing_statement = finding.whole_document_about.as_deref() == Some(MISSING);
    let identity = match finding.whole_document_about.as_deref() {
        Some(about) => Identity::Document { about },
        None => Identity::Text {
            text: doc.text(finding.at.range),
            section_path: &doc.section_path(finding.at.range.start),
        },
    };
    Diagnostic {
        fingerprint: fingerprint(&rule.id, identity),
        merged: Vec::new(),
        missing_statement,
        rule: rule.id.clone(),
        severity: finding.severity.unwrap_or(rule.severity),
        message: finding.message,
        help: rule.help.clone(),
        references: References(rule.references.clone()),
        span: match finding.tag {
            Some(bytes) => site::tag_span(doc, bytes),
            None => span(doc, finding.at.range),
        },
        labels: finding
            .labels
            .into_iter()
            .filter(|(_, at)| at.member == member)
            .map(|(message, at)| Label {
                message,
                span: span(doc, at.range),
                path: None,
            })
            .chain(
                finding
                    .elsewhere
                    .into_iter()
                    .map(|(message, path, span)| Label {
                        message,
                        span,
                        path: Some(path),
                    }),
            )
            .collect(),
    }
}
