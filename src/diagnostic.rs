//! What linting a file produces: findings, per-rule outcomes, or the file's error.

use serde::{Deserialize, Serialize};

use crate::span::{Location, SourceSpan};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span in the source with its line and column, as reports show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    #[serde(skip)]
    pub bytes: SourceSpan,
    #[serde(flatten)]
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub message: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub references: Vec<String>,
    pub span: Span,
    pub labels: Vec<Label>,
    /// Recognises the finding when the file is edited elsewhere (baselines, SARIF).
    pub fingerprint: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    NotApplicable,
    /// It failed, and every finding was silenced by a directive in the file.
    Suppressed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub rule: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// What was assumed or declared to reach the status ("assumed: no transfers ...").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Everything linting one file produced.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    /// The text the spans point into (for rendering; not part of the JSON).
    #[serde(skip)]
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    pub rules: Vec<Outcome>,
    pub error: Option<String>,
    /// Findings left out because a baseline records them (counted in the summary).
    #[serde(skip)]
    pub baselined: usize,
}

impl FileReport {
    pub fn failed(path: String, error: String) -> FileReport {
        FileReport {
            path,
            source: String::new(),
            diagnostics: Vec::new(),
            rules: Vec::new(),
            error: Some(error),
            baselined: 0,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}
