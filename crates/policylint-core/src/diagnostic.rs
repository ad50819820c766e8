//! What linting a file produces: findings, per-rule outcomes, or the file's error.

use serde::{Deserialize, Serialize};

use crate::span::{Location, SourceSpan};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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

/// What a reference is to the rule: the provision that requires the notice to say
/// this, guidance from an official body on saying it, or a reason it is good practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    Requires,
    Guidance,
    Practice,
}

impl ReferenceKind {
    /// How reports name the kind to a reader.
    pub fn describe(self) -> &'static str {
        match self {
            ReferenceKind::Requires => "required by",
            ReferenceKind::Guidance => "guidance",
            ReferenceKind::Practice => "good practice",
        }
    }
}

/// A law, an article or a guideline a rule rests on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Reference {
    /// The citation as a reader would look it up: "GDPR Art. 13(1)(a) (...)".
    pub text: String,
    /// Absent when the rule's author did not say (custom rules may leave it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ReferenceKind>,
    /// The official text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Reference {
    /// One line for a reader: "required by: GDPR Art. 13(1)(a) <https://...>".
    pub fn to_line(&self) -> String {
        let mut line = match self.kind {
            Some(kind) => format!("{}: {}", kind.describe(), self.text),
            None => self.text.clone(),
        };
        if let Some(url) = &self.url {
            line.push_str(&format!(" <{url}>"));
        }
        line
    }
}

/// A finding's references, written in JSON twice: as `references`, the citations
/// alone (as before), and as `citations`, with their kind and address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct References(pub Vec<Reference>);

impl Serialize for References {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let texts: Vec<&str> = self.0.iter().map(|r| r.text.as_str()).collect();
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("references", &texts)?;
        map.serialize_entry("citations", &self.0)?;
        map.end()
    }
}

impl std::ops::Deref for References {
    type Target = [Reference];
    fn deref(&self) -> &[Reference] {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub message: String,
    pub span: Span,
    /// The file the label points into, when it is not the finding's own (a page of
    /// the site that loads a service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    #[serde(flatten)]
    pub references: References,
    pub span: Span,
    pub labels: Vec<Label>,
    /// Recognises the finding when the file is edited elsewhere (baselines, SARIF).
    pub fingerprint: String,
    /// Other rules whose finding this one also is: rules that `rule` supersedes and
    /// that found the same gap (their references are among this one's).
    pub merged: Vec<String>,
    /// Whether the finding says a statement is missing (rather than pointing at text
    /// that is wrong): such findings of related rules are one gap wherever anchored.
    #[serde(skip)]
    pub missing_statement: bool,
}

impl Diagnostic {
    /// Whether this finding reports a gap of `rule`: its own, or one merged into it.
    pub fn reports(&self, rule: &str) -> bool {
        self.rule == rule || self.merged.iter().any(|r| r == rule)
    }
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
    /// The rule whose finding reports this rule's gap too (a rule that supersedes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
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
    /// The third-party services the site loads, and whether the policy names each:
    /// present when the policy was compared with a site (an HTML policy page, or
    /// `--site`) by a rule that asks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceUse>,
    /// Findings left out because a baseline records them (counted in the summary).
    #[serde(skip)]
    pub baselined: usize,
}

/// A third-party service the site loads, as a report shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceUse {
    pub id: String,
    pub name: String,
    pub company: String,
    /// The catalogue's category ("analytics", "session-replay", ...).
    pub category: String,
    /// The category in plain words ("session recording").
    pub kind: String,
    /// "expected" (the policy should name it) or "optional" (information only).
    pub disclosure: String,
    /// Whether the policy (or another file of its notice) names the service or its
    /// company.
    pub named: bool,
    /// Where this file names it: the sentence.
    pub named_at: Option<Evidence>,
    /// Where pages load it: the first sign on each page.
    pub loaded_at: Vec<LoadSite>,
}

/// Where a page shows that it loads a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoadSite {
    /// The page's path (the policy's own path when the policy page loads it).
    pub path: String,
    pub span: Span,
    /// What shows it: "script loading https://..." or "inline script: fbq('init'".
    pub shown: String,
}

impl FileReport {
    pub fn failed(path: String, error: String) -> FileReport {
        FileReport {
            path,
            source: String::new(),
            diagnostics: Vec::new(),
            rules: Vec::new(),
            error: Some(error),
            services: Vec::new(),
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
