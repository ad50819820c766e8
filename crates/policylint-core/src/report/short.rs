//! `--format short`: one line per finding, for grep and editors' quickfix lists.

use std::io::{self, Write};

use super::Summary;
use crate::diagnostic::FileReport;

pub(super) fn write(
    reports: &[FileReport],
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    for report in reports {
        if let Some(error) = &report.error {
            writeln!(out, "{}: error: {error}", report.path)?;
        }
        for d in &report.diagnostics {
            let start = d.span.location.start;
            writeln!(
                out,
                "{}:{}:{}: {} {} {}",
                report.path,
                start.line,
                start.column,
                d.severity.as_str(),
                d.rule,
                d.message
            )?;
        }
    }
    writeln!(out, "{}", super::human::summary_line(summary))
}
