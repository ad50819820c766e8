//! What the server offers on a finding: a hover that explains the rule, and quick
//! fixes that write a suppression directive (`README.md`, "Silencing a finding").

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent,
    MarkupKind, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::convert::{Utf16Index, explain_hint};
use super::linting::Linted;
use crate::diagnostic::Diagnostic;
use crate::document::{Format, Markers, Preamble};

/// What a suppression directive says when the user has not yet said why.
const REASON_PLACEHOLDER: &str = "reason";

/// The findings whose range holds `position`, explained in Markdown.
pub fn hover(linted: &Linted, position: Position) -> Option<Hover> {
    let text = &linted.report.source;
    let offset = linted.index.offset(text, position);
    let found: Vec<&Diagnostic> = linted
        .report
        .diagnostics
        .iter()
        .filter(|d| d.span.bytes.start <= offset && offset <= d.span.bytes.end)
        .collect();
    let first = found.first()?;
    let sections: Vec<String> = found.iter().map(|d| explain(linted, d)).collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: Some(
            linted
                .index
                .range(text, first.span.bytes.start, first.span.bytes.end),
        ),
    })
}

/// One finding: the rule's title, the finding, how to fix it, and the references.
fn explain(linted: &Linted, d: &Diagnostic) -> String {
    let rules = linted.linter.rules();
    let rule = rules.get(&d.rule);
    let title = rule.map_or(d.rule.as_str(), |r| &r.title);
    let mut text = format!("**{}** (`{}`, {})\n\n", title, d.rule, d.severity.as_str());
    // The rule's general message, then what was found here when that says more.
    match rule.filter(|r| r.message != d.message) {
        Some(rule) => text.push_str(&format!("{}\n\nHere: {}", rule.message, d.message)),
        None => text.push_str(&d.message),
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\n\n**How to fix:** {}", help.trim()));
    }
    if !d.references.is_empty() {
        text.push_str("\n\n**References:**\n");
        for reference in d.references.iter() {
            text.push_str(&format!("\n- {}", reference.to_line()));
        }
    }
    if let Some(hint) = explain_hint(&d.rule, rules) {
        text.push_str(&format!("\n\nMore: `{hint}`"));
    }
    text
}

/// Quick fixes for the findings in `range`: silence the rule on the finding's line,
/// or in the whole file. Edits apply to `current`, the document's text now.
pub fn code_actions(
    linted: &Linted,
    uri: &Uri,
    current: &str,
    format: Format,
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let text = &linted.report.source;
    let (from, to) = (
        linted.index.offset(text, range.start),
        linted.index.offset(text, range.end),
    );
    let now = Utf16Index::new(current);
    let mut actions = Vec::new();
    let mut files_done: Vec<&str> = Vec::new();
    let mut lines_done: Vec<(&str, u32)> = Vec::new();
    for (i, d) in linted.report.diagnostics.iter().enumerate() {
        // Notes about the file itself come from no rule and cannot be silenced.
        let touches = d.span.bytes.start <= to && from <= d.span.bytes.end;
        if !touches || linted.linter.rules().get(&d.rule).is_none() {
            continue;
        }
        let resolves = linted.diagnostics.get(i).cloned().map(|d| vec![d]);
        let line = linted.index.position(text, d.span.bytes.start).line;
        // A finding that stands for other rules' gaps too is silenced with all of them.
        let rules: Vec<&str> = std::iter::once(d.rule.as_str())
            .chain(d.merged.iter().map(String::as_str))
            .collect();
        let rules = rules.join(", ");
        if !lines_done.contains(&(&d.rule, line)) {
            lines_done.push((&d.rule, line));
            let edit = next_line_directive(current, &now, format, line as usize, &rules);
            actions.push(quick_fix(
                format!("Disable {rules} for this line"),
                uri,
                edit,
                resolves.clone(),
            ));
        }
        if !files_done.contains(&d.rule.as_str()) {
            files_done.push(&d.rule);
            let edit = file_directive(current, &now, format, &rules);
            actions.push(quick_fix(
                format!("Disable {rules} for this file"),
                uri,
                edit,
                resolves,
            ));
        }
    }
    actions
}

fn quick_fix(
    title: String,
    uri: &Uri,
    edit: TextEdit,
    diagnostics: Option<Vec<lsp_types::Diagnostic>>,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics,
        edit: Some(WorkspaceEdit::new(HashMap::from([(
            uri.clone(),
            vec![edit],
        )]))),
        ..CodeAction::default()
    })
}

/// A directive as the format writes it: a comment, or in plain text a bare line.
fn directive(format: Format, kind: &str, rule: &str) -> String {
    let body = format!("policylint-{kind} {rule} -- {REASON_PLACEHOLDER}");
    match format.info().markers {
        Markers::Line => body,
        Markers::Comment | Markers::None => format!("<!-- {body} -->"),
    }
}

fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// An edit that inserts `content` as a line of its own at the start of `line`.
fn insert_line(text: &str, index: &Utf16Index, line: usize, content: &str) -> TextEdit {
    let eol = line_ending(text);
    if line >= index.line_count() {
        // After the last line: start a new one.
        let at = index.position(text, text.len());
        let lead = if text.is_empty() || text.ends_with(['\n', '\r']) {
            ""
        } else {
            eol
        };
        return TextEdit::new(Range::new(at, at), format!("{lead}{content}{eol}"));
    }
    let (start, end) = index.line_span(text, line);
    // Not before a byte order mark, which must stay first.
    let start = if start == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        start
    };
    let indent_len = text[start..end]
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(end - start);
    let indent = &text[start..start + indent_len];
    let at = index.position(text, start);
    TextEdit::new(Range::new(at, at), format!("{indent}{content}{eol}"))
}

/// `disable-next-line` on the line above the finding's line.
fn next_line_directive(
    text: &str,
    index: &Utf16Index,
    format: Format,
    line: usize,
    rule: &str,
) -> TextEdit {
    insert_line(
        text,
        index,
        line,
        &directive(format, "disable-next-line", rule),
    )
}

/// `disable-file` at the top, after what the format keeps first (front matter, a
/// doctype).
fn file_directive(text: &str, index: &Utf16Index, format: Format, rule: &str) -> TextEdit {
    let content = directive(format, "disable-file", rule);
    match format.info().preamble {
        Preamble::FrontMatter => {
            insert_line(text, index, front_matter_lines(text, index), &content)
        }
        Preamble::Prolog => match prolog_end(text) {
            None => insert_line(text, index, 0, &content),
            Some(end) => {
                let (_, line_end) = index.line_span(text, index.position(text, end).line as usize);
                if text[end..line_end].trim().is_empty() {
                    let next = index.position(text, end).line as usize + 1;
                    insert_line(text, index, next, &content)
                } else {
                    // Markup goes on after the doctype on the same line.
                    let at = index.position(text, end);
                    TextEdit::new(Range::new(at, at), content)
                }
            }
        },
        Preamble::None => insert_line(text, index, 0, &content),
    }
}

/// How many lines YAML front matter (`---` ... `---` or `...`) takes at the start.
fn front_matter_lines(text: &str, index: &Utf16Index) -> usize {
    let line = |i: usize| {
        let (start, end) = index.line_span(text, i);
        text[start..end].trim_start_matches('\u{feff}').trim_end()
    };
    if index.line_count() < 3 || line(0) != "---" || line(1).is_empty() {
        return 0;
    }
    (1..index.line_count())
        .find(|&i| line(i) == "---" || line(i) == "...")
        .map_or(0, |closing| closing + 1)
}

/// The byte offset just after a leading `<!DOCTYPE ...>` or `<?xml ...?>`.
fn prolog_end(text: &str) -> Option<usize> {
    let mut at = 0;
    let mut end = None;
    loop {
        let rest = text[at..].trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        let head = rest.get(..9).unwrap_or(rest).to_ascii_lowercase();
        if !(head.starts_with("<!doctype") || head.starts_with("<?xml")) {
            return end;
        }
        let start = text.len() - rest.len();
        let close = rest.find('>')?;
        at = start + close + 1;
        end = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: &TextEdit) -> String {
        let index = Utf16Index::new(text);
        let at = index.offset(text, edit.range.start);
        format!("{}{}{}", &text[..at], edit.new_text, &text[at..])
    }

    #[test]
    fn next_line_directives_keep_indent_and_line_endings() {
        let text = "# T\r\n\r\n  - We keep it.\r\n";
        let index = Utf16Index::new(text);
        let edit = next_line_directive(text, &index, Format::Markdown, 2, "core/x");
        assert_eq!(
            apply(text, &edit),
            "# T\r\n\r\n  <!-- policylint-disable-next-line core/x -- reason -->\r\n  - We keep it.\r\n"
        );
        let text = "Title\nWe keep it.";
        let edit = next_line_directive(text, &Utf16Index::new(text), Format::Text, 1, "core/x");
        assert_eq!(
            apply(text, &edit),
            "Title\npolicylint-disable-next-line core/x -- reason\nWe keep it."
        );
    }

    #[test]
    fn file_directives_go_after_front_matter() {
        let text = "---\ntitle: P\n---\n# Policy\n";
        let edit = file_directive(text, &Utf16Index::new(text), Format::Markdown, "core/x");
        assert_eq!(
            apply(text, &edit),
            "---\ntitle: P\n---\n<!-- policylint-disable-file core/x -- reason -->\n# Policy\n"
        );
        // A thematic break is not front matter.
        let text = "---\n\n# Policy\n";
        let edit = file_directive(text, &Utf16Index::new(text), Format::Markdown, "core/x");
        assert!(apply(text, &edit).starts_with("<!-- policylint-disable-file"));
    }

    #[test]
    fn file_directives_go_after_an_html_doctype() {
        let text = "<!DOCTYPE html>\n<html><p>Hi</p></html>";
        let edit = file_directive(text, &Utf16Index::new(text), Format::Html, "core/x");
        assert_eq!(
            apply(text, &edit),
            "<!DOCTYPE html>\n<!-- policylint-disable-file core/x -- reason -->\n<html><p>Hi</p></html>"
        );
        let text = "<!doctype html><html><p>Hi</p></html>";
        let edit = file_directive(text, &Utf16Index::new(text), Format::Html, "core/x");
        assert_eq!(
            apply(text, &edit),
            "<!doctype html><!-- policylint-disable-file core/x -- reason --><html><p>Hi</p></html>"
        );
        let text = "\u{feff}plain";
        let edit = file_directive(text, &Utf16Index::new(text), Format::Text, "core/x");
        assert_eq!(
            apply(text, &edit),
            "\u{feff}policylint-disable-file core/x -- reason\nplain"
        );
    }

    #[test]
    fn a_file_of_front_matter_only_gets_the_directive_at_its_end() {
        let text = "---\na: b\n---";
        let edit = file_directive(text, &Utf16Index::new(text), Format::Markdown, "core/x");
        assert_eq!(
            apply(text, &edit),
            "---\na: b\n---\n<!-- policylint-disable-file core/x -- reason -->\n"
        );
    }
}
