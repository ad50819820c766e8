//! `--format json`: the versioned contract documented in docs/json-output.md.

use std::io::{self, Write};

use serde::Serialize;

use super::Summary;
use crate::diagnostic::FileReport;
use crate::rules::{Catalog, PackInfo};

/// Bumped when a field is removed or changes meaning; new fields may appear anytime.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    packs: &'a [PackInfo],
    files: &'a [FileReport],
    summary: &'a Summary,
}

pub(super) fn write(
    reports: &[FileReport],
    rules: &Catalog,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    let output = Output {
        version: JSON_VERSION,
        packs: &rules.packs,
        files: reports,
        summary,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
