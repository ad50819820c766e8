//! Suppression directives: which findings a `policylint-disable` comment silences,
//! and the directives that silence nothing.

use super::*;

/// The document's suppression directives, and which of them silenced something.
pub(super) struct Suppressions<'d> {
    pub(super) directives: &'d [Directive],
    /// For each directive: the line its "next line" form applies to.
    pub(super) next_lines: Vec<usize>,
    /// For each `disable`: where its range ends (the matching `enable`, else the end).
    pub(super) range_ends: Vec<usize>,
    pub(super) used: Vec<bool>,
}

impl<'d> Suppressions<'d> {
    pub(super) fn new(doc: &'d Document) -> Suppressions<'d> {
        let directives = &doc.directives;
        let source = doc.source();
        let lines = doc.line_index();
        let next_lines = directives
            .iter()
            .map(|d| {
                // The first line after the directive that has any text.
                let mut line = lines.position(source, d.span.end).line + 1;
                let mut at = source[d.span.end..].find('\n').map(|i| d.span.end + i + 1);
                while let Some(start) = at {
                    let end = source[start..]
                        .find('\n')
                        .map_or(source.len(), |i| start + i);
                    if !source[start..end].trim().is_empty() {
                        break;
                    }
                    line += 1;
                    at = (end < source.len()).then_some(end + 1);
                }
                line
            })
            .collect();
        let range_ends = directives
            .iter()
            .enumerate()
            .map(|(i, d)| {
                directives[i + 1..]
                    .iter()
                    .find(|e| {
                        e.kind == DirectiveKind::Enable
                            && e.rules.iter().any(|r| d.rules.contains(r))
                    })
                    .map_or(source.len(), |e| e.span.start)
            })
            .collect();
        Suppressions {
            directives,
            next_lines,
            range_ends,
            used: vec![false; directives.len()],
        }
    }

    /// Whether a directive silences this finding of `rule` (and marks it used).
    pub(super) fn suppresses(&mut self, rule: &str, finding: &Diagnostic) -> bool {
        let offset = finding.span.bytes.start;
        let line = finding.span.location.start.line;
        for (i, d) in self.directives.iter().enumerate() {
            if !d.rules.iter().any(|r| r == rule) {
                continue;
            }
            let hit = match d.kind {
                DirectiveKind::DisableFile => true,
                DirectiveKind::Disable => d.span.end <= offset && offset < self.range_ends[i],
                DirectiveKind::DisableNextLine => line == self.next_lines[i],
                DirectiveKind::Enable => false,
            };
            if hit {
                self.used[i] = true;
                return true;
            }
        }
        false
    }

    /// A warning for each directive that silenced nothing.
    pub(super) fn unused(&self, doc: &Document, rules: &RuleSet) -> Vec<Diagnostic> {
        self.directives
            .iter()
            .zip(&self.used)
            .filter(|(d, used)| d.kind != DirectiveKind::Enable && !**used)
            .map(|(d, _)| {
                let unknown: Vec<&str> = d
                    .rules
                    .iter()
                    .filter(|r| rules.get(r).is_none())
                    .map(String::as_str)
                    .collect();
                let message = if d.rules.is_empty() {
                    "this suppression names no rule".to_string()
                } else if !unknown.is_empty() {
                    format!("this suppression names {}, which is not a rule that ran", unknown.join(", "))
                } else {
                    format!("this suppression silences nothing: {} reports nothing here", d.rules.join(", "))
                };
                let bytes = d.span;
                Diagnostic {
                    rule: UNUSED_SUPPRESSION.to_string(),
                    severity: Severity::Warning,
                    message,
                    help: Some("Remove the directive, or correct the rule id (`policylint rules` lists them).".into()),
                    references: Default::default(),
                    span: Span {
                        bytes,
                        location: doc.locate(bytes),
                    },
                    labels: Vec::new(),
                    // The directive's own text; it is not prose, so no section.
                    fingerprint: fingerprint(
                        UNUSED_SUPPRESSION,
                        Identity::Text { text: &doc.source()[bytes.start..bytes.end], section_path: &[] },
                    ),
                    merged: Vec::new(),
                    missing_statement: false,
                }
            })
            .collect()
    }
}
