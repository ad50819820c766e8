//! `--format sarif`: a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange
//! Format), for code scanning dashboards such as GitHub's (docs/output-formats.md).
//!
//! One run. `tool.driver.rules` describes every rule of the rule set (then any id a
//! finding has that is not a rule, such as `policylint/encoding`); each finding is a
//! result pointing at its rule by id and index. Columns count Unicode scalar values,
//! which the run declares with `columnKind: unicodeCodePoints` (SARIF's default is
//! UTF-16 code units). Files that could not be linted are error notifications of the
//! run's invocation.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, FileReport, Reference, ServiceUse, Severity, Span};
use crate::document::Format;
use crate::rules::Catalog;

/// The OASIS schema of the format written (errata 01, the current 2.1.0 text).
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation<'a>; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

/// The third-party services each linted file's site loads (a SARIF property bag).
#[derive(Serialize)]
struct RunProperties<'a> {
    services: Vec<FileServices<'a>>,
}

#[derive(Serialize)]
struct FileServices<'a> {
    uri: String,
    services: &'a [ServiceUse],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<OwnedText>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<&'a str>,
    /// The references with their kind and address.
    #[serde(skip_serializing_if = "<[Reference]>::is_empty")]
    citations: &'a [Reference],
    pack: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pack_version: Option<&'a str>,
    severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    locations: [FileLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileLocation {
    physical_location: ArtifactOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: PartialFingerprints<'a>,
}

/// The finding's fingerprint, which survives edits elsewhere in the file.
#[derive(Serialize)]
struct PartialFingerprints<'a> {
    #[serde(rename = "policylintFingerprint/v1")]
    policylint: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    /// Bytes of the file on disk; absent for .docx, whose offsets are into its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file path as a SARIF URI reference: relative paths stay relative (to the
/// directory policylint ran in), characters a URI cannot hold are percent-encoded.
fn uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let mut uri = String::with_capacity(path.len());
    let first_segment = path.split('/').next().unwrap_or_default();
    let drive = first_segment.len() == 2
        && first_segment.as_bytes()[0].is_ascii_alphabetic()
        && first_segment.ends_with(':');
    if drive {
        // `C:/dir/x.md`: an absolute Windows path.
        uri.push_str("file:///");
    } else if first_segment.contains(':') {
        // `a:b.md` would read as a URI with the scheme `a`.
        uri.push_str("./");
    }
    for &byte in path.as_bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if keep {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// "How to fix it", then the references.
fn help_text(help: Option<&str>, references: &[Reference]) -> Option<OwnedText> {
    let mut text = help.unwrap_or_default().to_string();
    if !references.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("References:");
        for reference in references {
            text.push_str("\n- ");
            text.push_str(&reference.to_line());
        }
    }
    (!text.is_empty()).then_some(OwnedText { text })
}

fn descriptors<'a>(rules: &'a Catalog, reports: &'a [FileReport]) -> Vec<Descriptor<'a>> {
    let mut list: Vec<Descriptor> = rules
        .rules
        .iter()
        .map(|rule| Descriptor {
            id: &rule.id,
            name: &rule.title,
            short_description: Text { text: &rule.title },
            full_description: Some(Text {
                text: &rule.message,
            }),
            help: help_text(rule.help.as_deref(), &rule.references),
            default_configuration: Configuration {
                level: level(rule.severity),
            },
            properties: RuleProperties {
                references: rule.references.iter().map(|r| r.text.as_str()).collect(),
                citations: &rule.references,
                pack: &rule.pack,
                pack_version: rules
                    .packs
                    .iter()
                    .find(|p| p.name == rule.pack)
                    .map(|p| p.version.as_str()),
                severity: rule.severity.as_str(),
            },
        })
        .collect();
    // Findings the linter makes itself (`policylint/encoding`, ...) are no rule of the
    // set; they get a descriptor too, so every result has a rule index.
    let mut others: Vec<&Diagnostic> = Vec::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        if rules.get(&d.rule).is_none() && !others.iter().any(|o| o.rule == d.rule) {
            others.push(d);
        }
    }
    others.sort_by(|a, b| a.rule.cmp(&b.rule));
    list.extend(others.into_iter().map(|d| Descriptor {
        id: &d.rule,
        name: &d.rule,
        short_description: Text {
            text: "A note policylint makes about the file itself, not a rule's finding.",
        },
        full_description: None,
        help: help_text(d.help.as_deref(), &d.references),
        default_configuration: Configuration {
            level: level(d.severity),
        },
        properties: RuleProperties {
            references: d.references.iter().map(|r| r.text.as_str()).collect(),
            citations: &d.references,
            pack: d.rule.split('/').next().unwrap_or_default(),
            pack_version: None,
            severity: d.severity.as_str(),
        },
    }));
    list
}

fn region(span: &Span, docx: bool) -> Region {
    let (start, end) = (span.location.start, span.location.end);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_offset: (!docx).then_some(start.offset),
        byte_length: (!docx).then_some(end.offset - start.offset),
    }
}

fn services_of(reports: &[FileReport]) -> Option<RunProperties<'_>> {
    let services: Vec<FileServices> = reports
        .iter()
        .filter(|r| !r.services.is_empty())
        .map(|r| FileServices {
            uri: uri(&r.path),
            services: &r.services,
        })
        .collect();
    (!services.is_empty()).then_some(RunProperties { services })
}

fn location<'a>(
    uri: &str,
    span: &Span,
    docx: bool,
    id: Option<usize>,
    message: Option<&'a str>,
) -> Location<'a> {
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri.to_string(),
            },
            region: region(span, docx),
        },
        message: message.map(|text| Text { text }),
    }
}

pub(super) fn write(
    reports: &[FileReport],
    rules: &Catalog,
    out: &mut dyn Write,
) -> io::Result<()> {
    let descriptors = descriptors(rules, reports);
    let index: HashMap<&str, usize> = descriptors
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id, i))
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in reports {
        let uri = uri(&report.path);
        if let Some(error) = &report.error {
            notifications.push(Notification {
                level: "error",
                message: Text { text: error },
                locations: [FileLocation {
                    physical_location: ArtifactOnly {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                    },
                }],
            });
        }
        let docx = Format::from_path(Path::new(&report.path)).is_some_and(|f| f.info().paragraphs);
        for d in &report.diagnostics {
            results.push(SarifResult {
                rule_id: &d.rule,
                rule_index: index[d.rule.as_str()],
                level: level(d.severity),
                message: Text { text: &d.message },
                locations: [location(&uri, &d.span, docx, None, None)],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| match &label.path {
                        // A label in another file: a page of the site (HTML, not .docx).
                        Some(page) => location(
                            &self::uri(page),
                            &label.span,
                            false,
                            Some(i),
                            Some(&label.message),
                        ),
                        None => location(&uri, &label.span, docx, Some(i), Some(&label.message)),
                    })
                    .collect(),
                partial_fingerprints: PartialFingerprints {
                    policylint: &d.fingerprint,
                },
            });
        }
    }
    let log = Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "policylint",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: descriptors,
                },
            },
            invocations: [Invocation {
                execution_successful: !reports.is_empty() && notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: services_of(reports),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("examples/policies/putio.md"),
            "examples/policies/putio.md"
        );
        assert_eq!(uri("my policy/été.md"), "my%20policy/%C3%A9t%C3%A9.md");
        assert_eq!(uri("/abs/a#b?.md"), "/abs/a%23b%3F.md");
        assert_eq!(uri("a:b.md"), "./a:b.md");
        assert_eq!(uri("C:/x/p.md"), "file:///C:/x/p.md");
        assert_eq!(uri("100%.md"), "100%25.md");
    }
}
