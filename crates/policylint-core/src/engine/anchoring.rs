//! Where a missing statement is reported: at a hint, else in the section where the
//! statement belongs, else at the title.

use super::*;

/// The finding for a missing statement, anchored where it belongs: at a vague attempt
/// (a `forbid` match, which it absorbs, or a `hint`), else at the section named by
/// `section`, else at the title.
pub(super) fn missing(
    rule: &Rule,
    members: &[DocContext],
    forbidden: &mut Vec<(Place, Option<String>)>,
) -> Finding {
    // Its anchor moves with the text around it; the statement is missing wherever.
    let finding = |at, label: String| Finding {
        message: rule.message.clone(),
        at,
        labels: vec![(label, at)],
        whole_document_about: Some(MISSING.to_string()),
        severity: None,
        tag: None,
        elsewhere: Vec::new(),
    };
    if !forbidden.is_empty() {
        let (at, message) = forbidden.remove(0);
        let label = message.unwrap_or_else(|| "this does not satisfy the rule".into());
        return finding(at, label);
    }
    // Hints are tried in the order written: the first that matches anchors.
    for hint in &rule.hints {
        for (member, ctx) in members.iter().enumerate() {
            let whole = ProseRange::new(0, ctx.eval.document().prose().len());
            if let Some(range) = ctx.eval.first(&hint.matcher, whole) {
                let label = hint.message.clone().unwrap_or_else(|| {
                    "related text here, but it does not say what the rule requires".into()
                });
                return finding(Place { member, range }, label);
            }
        }
    }
    if let Some(at) = section_heading(rule, members) {
        return finding(at, "expected in this section".into());
    }
    // Invariant: a notice has at least one member.
    let first = members[0].eval.document();
    let at = Place {
        member: 0,
        range: first.title().map_or(ProseRange::new(0, 0), |b| b.range),
    };
    let sections: usize = members
        .iter()
        .map(|c| c.eval.document().sections.len())
        .sum();
    let whole = match (members.len(), sections) {
        (1, 1) => "the whole document (1 section)".to_string(),
        (1, n) => format!("the whole document ({n} sections)"),
        (files, n) => format!("the whole notice ({files} files, {n} sections)"),
    };
    let label = match &rule.section {
        // Readers are not shown the section pattern: `policylint explain` has it.
        Some(_) => format!("searched {whole}; no section heading is about this"),
        None => format!("searched {whole}"),
    };
    finding(at, label)
}

/// The first heading, in the members' order, of a section the rule's `section`
/// names.
pub(super) fn section_heading(rule: &Rule, members: &[DocContext]) -> Option<Place> {
    let section = rule.section.as_ref()?;
    members.iter().enumerate().find_map(|(member, ctx)| {
        let doc = ctx.eval.document();
        doc.headings()
            .find(|(_, b)| matches_whole_words(&section.regex, doc.text(b.range)))
            .map(|(_, block)| Place {
                member,
                range: block.range,
            })
    })
}
