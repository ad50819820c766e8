//! `--format jsonl`: JSON Lines, one record per line (docs/output-formats.md).
//!
//! Each diagnostic is a `{"type":"diagnostic","path":...}` record with the fields of
//! the JSON contract's diagnostic (docs/json-output.md), each file that could not be
//! linted an `{"type":"error","path":...,"error":...}` record, and the last line is
//! `{"type":"summary",...}` with the JSON contract's summary fields. Records are
//! written a file at a time ([`write_file`]), so a caller can stream them as files
//! finish; [`write_summary`] closes the stream.

use std::io::{self, Write};

use serde::Serialize;

use super::Summary;
use crate::diagnostic::{Diagnostic, FileReport};

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Record<'a> {
    Diagnostic {
        path: &'a str,
        #[serde(flatten)]
        diagnostic: &'a Diagnostic,
    },
    Error {
        path: &'a str,
        error: &'a str,
    },
    Summary {
        #[serde(flatten)]
        summary: &'a Summary,
    },
}

fn write_record(record: &Record, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}

/// Writes one file's records: its error, or one record per diagnostic (in the
/// report's order). A linted file without findings writes nothing.
pub fn write_file(report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    let path = report.path.as_str();
    if let Some(error) = &report.error {
        write_record(&Record::Error { path, error }, out)?;
    }
    for diagnostic in &report.diagnostics {
        write_record(&Record::Diagnostic { path, diagnostic }, out)?;
    }
    Ok(())
}

/// Writes the closing summary record.
pub fn write_summary(summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    write_record(&Record::Summary { summary }, out)
}

pub(super) fn write(
    reports: &[FileReport],
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    for report in reports {
        write_file(report, out)?;
    }
    write_summary(summary, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_and_summary_records() {
        let report = FileReport::failed("missing.md".into(), "no such file or directory".into());
        let mut out = Vec::new();
        write(
            std::slice::from_ref(&report),
            &Summary::of(std::slice::from_ref(&report)),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            concat!(
                r#"{"type":"error","path":"missing.md","error":"no such file or directory"}"#,
                "\n",
                r#"{"type":"summary","files":1,"unreadable":1,"findings":{"error":0,"warning":0,"info":0},"baselined":0}"#,
                "\n"
            )
        );
    }
}
