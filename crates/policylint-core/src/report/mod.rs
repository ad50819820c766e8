//! Writing reports: one module per output format.

pub mod diff;
mod excerpt;
mod github;
pub mod html;
mod human;
mod json;
pub mod jsonl;
mod junit;
pub mod markdown;
pub mod matrix;
mod sarif;
mod short;

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{FileReport, Severity};
use crate::rules::Catalog;

/// The output formats. A new one is a variant here, its module, and its arm in
/// [`write`] (and in [`write_streamed_file`] and [`write_streamed_summary`] if it
/// [streams](OutputFormat::streams)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum OutputFormat {
    /// Findings with the source line and an underline, then a summary.
    Human,
    /// One line per finding: path:line:column: severity rule message.
    Short,
    /// The versioned JSON contract (docs/json-output.md).
    Json,
    /// JSON Lines: a record per finding or unreadable file, then a summary record.
    Jsonl,
    /// SARIF 2.1.0, for code scanning (docs/output-formats.md).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the files.
    Github,
    /// JUnit XML: a test suite per file, a test case per rule.
    Junit,
}

impl OutputFormat {
    /// Whether a run can write each file's report as soon as it is linted and then
    /// drop it, so that memory stays flat however many files there are.
    pub fn streams(self) -> bool {
        match self {
            OutputFormat::Jsonl => true,
            OutputFormat::Human
            | OutputFormat::Short
            | OutputFormat::Json
            | OutputFormat::Sarif
            | OutputFormat::Github
            | OutputFormat::Junit => false,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Findings {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub unreadable: usize,
    pub findings: Findings,
    /// Findings left out because the baseline (`--baseline`) records them.
    pub baselined: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary::default();
        for report in reports {
            summary.add(report);
        }
        summary
    }

    /// Counts one more report (a streamed run counts them as they are written).
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        if report.error.is_some() {
            self.unreadable += 1;
        }
        self.findings.error += report.count(Severity::Error);
        self.findings.warning += report.count(Severity::Warning);
        self.findings.info += report.count(Severity::Info);
        self.baselined += report.baselined;
    }

    pub fn at_or_above(&self, level: Severity) -> usize {
        match level {
            Severity::Error => self.findings.error,
            Severity::Warning => self.findings.error + self.findings.warning,
            Severity::Info => self.findings.error + self.findings.warning + self.findings.info,
        }
    }
}

/// Options that change how a report looks, not what it says.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Human output lists every rule's outcome with its evidence.
    pub checklist: bool,
    /// Human output gives each finding's whole help, what was assumed and the
    /// references; otherwise the first sentence of the help.
    pub verbose: bool,
}

/// Writes the reports in `format`. `rules` is the rule set that produced them (for
/// titles and metadata).
pub fn write(
    format: OutputFormat,
    reports: &[FileReport],
    rules: &Catalog,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = Summary::of(reports);
    match format {
        OutputFormat::Human => human::write(reports, rules, &summary, style, out),
        OutputFormat::Short => short::write(reports, &summary, out),
        OutputFormat::Json => json::write(reports, rules, &summary, out),
        OutputFormat::Jsonl => jsonl::write(reports, &summary, out),
        OutputFormat::Sarif => sarif::write(reports, rules, out),
        OutputFormat::Github => github::write(reports, out),
        OutputFormat::Junit => junit::write(reports, out),
    }
}

/// Writes one file's report in a format that [streams](OutputFormat::streams); a
/// format that does not stream writes nothing here.
pub fn write_streamed_file(
    format: OutputFormat,
    report: &FileReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Jsonl => jsonl::write_file(report, out),
        _ => Ok(()),
    }
}

/// Ends a streamed report with the run's summary.
pub fn write_streamed_summary(
    format: OutputFormat,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Jsonl => jsonl::write_summary(summary, out),
        _ => Ok(()),
    }
}

/// The formats of the compliance report (`policylint report`): each policy against
/// each requirement, grouped by law.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum ReportFormat {
    /// One self-contained page (no network): a matrix, or a checklist for one policy.
    Html,
    /// A compact table for a pull-request comment or a job summary.
    Markdown,
    /// The JSON contract, as `lint --format json` writes it (the page's data).
    Json,
}

/// Writes the compliance report of `reports` in `format`.
pub fn write_compliance(
    format: ReportFormat,
    reports: &[FileReport],
    rules: &Catalog,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Html => html::write(reports, rules, out),
        ReportFormat::Markdown => markdown::write(&matrix::Matrix::new(reports, rules), out),
        ReportFormat::Json => json::write(reports, rules, &Summary::of(reports), out),
    }
}
