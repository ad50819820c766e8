//! `--format github`: GitHub Actions workflow commands, one line per finding, which
//! the runner turns into annotations on the file (docs/output-formats.md).
//!
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE`, with
//! `warning` for warnings and `notice` for info; a file that could not be linted is
//! `::error file=PATH::ERROR`.

use std::io::{self, Write};

use crate::diagnostic::{FileReport, Severity};

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message (the text after `::`), as the runner unescapes it.
fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Escapes a property value (`file=...`, `title=...`): also `:` and `,`, which end a
/// value.
fn escape_property(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' => escaped.push_str("%3A"),
            ',' => escaped.push_str("%2C"),
            _ => escaped.push(c),
        }
    }
    escaped
}

pub(super) fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let file = escape_property(&report.path);
        if let Some(error) = &report.error {
            writeln!(out, "::error file={file}::{}", escape_data(error))?;
        }
        for d in &report.diagnostics {
            let (start, end) = (d.span.location.start, d.span.location.end);
            writeln!(
                out,
                "::{} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                command(d.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&d.rule),
                escape_data(&d.message),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;
    use crate::engine::Linter;
    use crate::rules::RuleSet;

    #[test]
    fn escapes_messages_and_properties() {
        assert_eq!(escape_data("100%: a\r\nb, c"), "100%25: a%0D%0Ab, c");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    }

    #[test]
    fn one_line_per_finding() {
        let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
        let linter = Linter::new(rules, "2026-11-23".parse().unwrap());
        let text = "# Privacy\n\nWe collect your email address.\n";
        let mut report = linter.lint("dir,1/a:b.md", text.to_string(), Format::Markdown);
        report.diagnostics.truncate(1);
        let d = &mut report.diagnostics[0];
        d.message = "50% done: see\nthe next line".into();
        let (start, end) = (d.span.location.start, d.span.location.end);
        let expected = format!(
            "::{} file=dir%2C1/a%3Ab.md,line={},col={},endLine={},endColumn={},title={}::\
             50%25 done: see%0Athe next line\n\
             ::error file=gone.md::cannot read: 100%25 gone\n",
            command(d.severity),
            start.line,
            start.column,
            end.line,
            end.column,
            d.rule,
        );
        let failed = FileReport::failed("gone.md".into(), "cannot read: 100% gone".into());
        let mut out = Vec::new();
        write(&[report, failed], &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
