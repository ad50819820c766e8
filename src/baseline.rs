//! Baselines: the findings a team has accepted for now, so that only new ones are
//! reported.
//!
//! A finding is recognised by its fingerprint, which survives edits elsewhere in the
//! file: for a finding at some text, a hash of the rule, the text (case-folded, white
//! space collapsed) and the headings of the sections it is in; for a finding about
//! the whole document (a missing statement, a measure of the whole text), a hash of
//! the rule and what it is about. A baseline pairs each fingerprint with the file's
//! path and counts how often it occurs, so a third copy of a finding is new when two
//! are recorded.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{FileReport, Status};
pub use crate::fingerprint::{Identity, fingerprint, normalise, normalise_heading};

/// The version of the baseline file format this build reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// A file's path as a baseline records it: as the report shows it, with `/`
/// separators and without `.` segments.
pub fn normalise_path(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    match parts.as_slice() {
        [] => path.to_string(),
        [root] if root.is_empty() => "/".to_string(),
        _ => parts.join("/"),
    }
}

/// One recorded finding, or several with the same fingerprint in the same file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    /// How many times the finding occurs in the file (at least 1).
    pub count: usize,
    /// The finding's message, for people reading the file.
    pub message: String,
}

/// The findings a team has accepted, as read from or written to a baseline file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    version: u32,
    findings: Vec<Entry>,
}

/// Why a baseline file could not be read or written; each names the file, and
/// [`BaselineError::help`] says what to do.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {p}: {source}", p = .path.display())]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("the baseline {p} is not a policylint baseline: {reason}", p = .path.display())]
    Malformed { path: PathBuf, reason: String },
    #[error(
        "the baseline {p} has version {found}, but this policylint reads version {BASELINE_VERSION}",
        p = .path.display()
    )]
    WrongVersion { path: PathBuf, found: u64 },
    #[error(
        "{p} exists and is not a policylint baseline, so it is left as it is ({reason})",
        p = .path.display()
    )]
    WouldOverwrite { path: PathBuf, reason: String },
    #[error("cannot write the baseline {p}: {source}", p = .path.display())]
    Unwritable { path: PathBuf, source: io::Error },
}

impl BaselineError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            BaselineError::Unreadable { path, .. } => format!(
                "write the baseline first: policylint lint --write-baseline {} PATHS",
                path.display()
            ),
            BaselineError::Malformed { path, .. } | BaselineError::WrongVersion { path, .. } => {
                format!(
                    "write the baseline again: policylint lint --write-baseline {} PATHS",
                    path.display()
                )
            }
            BaselineError::WouldOverwrite { .. } => {
                "remove the file, or write the baseline to another file".into()
            }
            BaselineError::Unwritable { .. } => {
                "check that the folder exists and can be written to".into()
            }
        }
    }
}

impl Baseline {
    /// Every finding of the reports, counted by file, rule and fingerprint.
    pub fn of(reports: &[FileReport]) -> Baseline {
        let mut recorder = Recorder::default();
        for report in reports {
            recorder.add(report);
        }
        recorder.finish()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.findings
    }

    /// How many findings the baseline records, copies counted.
    pub fn len(&self) -> usize {
        self.findings.iter().map(|e| e.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// Reads a baseline file; anything but a baseline of this version is an error.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        Baseline::parse(&text).map_err(|e| e.at(path))
    }

    /// Parses a baseline's text (the version first, so an old or newer file is told
    /// apart from a broken one).
    fn parse(text: &str) -> Result<Baseline, ParseError> {
        #[derive(Deserialize)]
        struct Versioned {
            version: u64,
        }
        let versioned: Versioned =
            serde_json::from_str(text).map_err(|e| ParseError::Malformed(e.to_string()))?;
        if versioned.version != u64::from(BASELINE_VERSION) {
            return Err(ParseError::WrongVersion(versioned.version));
        }
        let baseline: Baseline =
            serde_json::from_str(text).map_err(|e| ParseError::Malformed(e.to_string()))?;
        if let Some(entry) = baseline.findings.iter().find(|e| e.count == 0) {
            return Err(ParseError::Malformed(format!(
                "the entry for {} in {} has count 0",
                entry.rule, entry.path
            )));
        }
        Ok(baseline)
    }

    /// Refuses to replace a file that is not a baseline (a policy given by mistake).
    pub fn check_replaceable(path: &Path) -> Result<(), BaselineError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(BaselineError::WouldOverwrite {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        };
        match Baseline::parse(&text) {
            Ok(_) => Ok(()),
            Err(e) => Err(BaselineError::WouldOverwrite {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        }
    }

    /// Writes the baseline to a temporary file beside `path`, then renames it over
    /// `path`, so a reader never sees half a baseline.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let failed = |source: io::Error| BaselineError::Unwritable {
            path: path.to_path_buf(),
            source,
        };
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut file = tempfile::Builder::new()
            .prefix(".policylint-baseline")
            .tempfile_in(folder)
            .map_err(failed)?;
        let mut text = serde_json::to_string_pretty(self)
            .map_err(io::Error::other)
            .map_err(failed)?;
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(failed)?;
        file.as_file().sync_all().map_err(failed)?;
        file.persist(path).map_err(|e| failed(e.error))?;
        Ok(())
    }

    /// Takes the findings the baseline records out of the reports, each recorded
    /// finding as many times as its count, and counts them in each report's
    /// `baselined`. A rule whose every finding in a file was taken out has the status
    /// `suppressed` there.
    pub fn hide_known(&self, reports: &mut [FileReport]) {
        let mut known = self.known();
        for report in reports {
            known.hide(report);
        }
    }

    /// The findings still to hide, for hiding them one report at a time (as
    /// [`Baseline::hide_known`] does for all the reports of a run at once).
    pub fn known(&self) -> Known {
        let mut left: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.findings {
            *left
                .entry((e.path.clone(), e.rule.clone(), e.fingerprint.clone()))
                .or_default() += e.count;
        }
        Known { left }
    }
}

/// Builds a baseline from reports one at a time, so a streamed run need not keep them.
#[derive(Default)]
pub struct Recorder {
    counts: BTreeMap<(String, String, String), Entry>,
}

impl Recorder {
    pub fn add(&mut self, report: &FileReport) {
        let path = normalise_path(&report.path);
        for d in &report.diagnostics {
            let key = (path.clone(), d.rule.clone(), d.fingerprint.clone());
            self.counts
                .entry(key)
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    rule: d.rule.clone(),
                    path: path.clone(),
                    fingerprint: d.fingerprint.clone(),
                    count: 1,
                    message: d.message.clone(),
                });
        }
    }

    pub fn finish(self) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            findings: self.counts.into_values().collect(),
        }
    }
}

/// A baseline's findings not yet matched in this run: a copy recorded once hides one
/// finding, whichever report it is in.
pub struct Known {
    left: HashMap<(String, String, String), usize>,
}

impl Known {
    /// Leaves out the report's findings the baseline records.
    pub fn hide(&mut self, report: &mut FileReport) {
        let left = &mut self.left;
        let path = normalise_path(&report.path);
        // The rules whose gaps the hidden findings report (merged ones included).
        let mut hidden_rules: Vec<String> = Vec::new();
        let mut hidden = 0;
        report.diagnostics.retain(|d| {
            let key = (path.clone(), d.rule.clone(), d.fingerprint.clone());
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    hidden += 1;
                    hidden_rules.push(d.rule.clone());
                    hidden_rules.extend(d.merged.iter().cloned());
                    false
                }
                _ => true,
            }
        });
        report.baselined += hidden;
        for outcome in &mut report.rules {
            let hidden = hidden_rules.contains(&outcome.rule);
            let shown = report.diagnostics.iter().any(|d| d.reports(&outcome.rule));
            if outcome.status == Status::Fail && hidden && !shown {
                outcome.status = Status::Suppressed;
            }
        }
    }
}

/// A baseline's text that is not a baseline of this version.
#[derive(Debug)]
enum ParseError {
    Malformed(String),
    WrongVersion(u64),
}

impl ParseError {
    fn at(self, path: &Path) -> BaselineError {
        let path = path.to_path_buf();
        match self {
            ParseError::Malformed(reason) => BaselineError::Malformed { path, reason },
            ParseError::WrongVersion(found) => BaselineError::WrongVersion { path, found },
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Malformed(reason) => write!(f, "{reason}"),
            ParseError::WrongVersion(found) => write!(
                f,
                "a baseline of version {found}, which this policylint does not read"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_case_folded_and_white_space_collapsed() {
        assert_eq!(normalise("  [Company\n\tNAME]  "), "[company name]");
        assert_eq!(normalise("Ünïcode  ÉTÉ"), "ünïcode été");
        assert_eq!(normalise("a\u{a0}b\r\nc"), "a b c");
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn section_numbers_are_left_out_of_headings() {
        assert_eq!(normalise_heading("3. How We Keep Data"), "how we keep data");
        assert_eq!(normalise_heading("2.1 Logs"), "logs");
        assert_eq!(normalise_heading("2.1. Logs"), "logs");
        assert_eq!(normalise_heading("(b) Cookies"), "cookies");
        assert_eq!(normalise_heading("IV. Contact"), "contact");
        assert_eq!(normalise_heading("a) Contact"), "contact");
        assert_eq!(normalise_heading("12 Contact"), "contact");
        // Words that merely start like a number stay.
        assert_eq!(normalise_heading("A Note on Cookies"), "a note on cookies");
        assert_eq!(
            normalise_heading("Information We Collect"),
            "information we collect"
        );
        assert_eq!(normalise_heading("7"), "7");
    }

    #[test]
    fn fingerprints_ignore_case_spacing_and_numbering_but_not_content() {
        let at = |text: &str, path: &[&str]| {
            fingerprint(
                "core/placeholder",
                Identity::Text {
                    text,
                    section_path: path,
                },
            )
        };
        let base = at("[Company Name]", &["Privacy Policy", "1. Contact"]);
        assert_eq!(base.len(), 16);
        assert!(
            base.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(
            base,
            at("[company\n name]", &["PRIVACY  POLICY", "4. Contact"])
        );
        assert_ne!(base, at("[Company]", &["Privacy Policy", "1. Contact"]));
        assert_ne!(base, at("[Company Name]", &["Privacy Policy", "Cookies"]));
        assert_ne!(base, at("[Company Name]", &["Privacy Policy"]));
        // The section path and the text cannot trade words.
        assert_ne!(at("b", &["a"]), at("a b", &[]));
        let missing = fingerprint("core/contact", Identity::Document { about: "missing" });
        assert_ne!(
            missing,
            fingerprint("core/children", Identity::Document { about: "missing" })
        );
        assert_ne!(
            missing,
            fingerprint(
                "core/contact",
                Identity::Text {
                    text: "missing",
                    section_path: &[]
                }
            )
        );
    }

    #[test]
    fn paths_use_slashes_without_dot_segments() {
        assert_eq!(normalise_path("./policies/a.md"), "policies/a.md");
        assert_eq!(normalise_path("policies//a.md"), "policies/a.md");
        assert_eq!(normalise_path("/srv/policies/a.md"), "/srv/policies/a.md");
        assert_eq!(normalise_path("stdin.md"), "stdin.md");
        if cfg!(windows) {
            assert_eq!(normalise_path(r"policies\a.md"), "policies/a.md");
        }
    }

    #[test]
    fn a_baseline_round_trips_and_rejects_other_versions_and_zero_counts() {
        let baseline = Baseline {
            version: BASELINE_VERSION,
            findings: vec![Entry {
                rule: "core/placeholder".into(),
                path: "a.md".into(),
                fingerprint: "0123456789abcdef".into(),
                count: 2,
                message: "m".into(),
            }],
        };
        let text = serde_json::to_string(&baseline).unwrap();
        assert_eq!(Baseline::parse(&text).unwrap(), baseline);
        assert_eq!(baseline.len(), 2);
        assert!(matches!(
            Baseline::parse(&text.replace("\"version\":1", "\"version\":2")),
            Err(ParseError::WrongVersion(2))
        ));
        assert!(matches!(
            Baseline::parse(&text.replace("\"count\":2", "\"count\":0")),
            Err(ParseError::Malformed(_))
        ));
        assert!(matches!(
            Baseline::parse("{}"),
            Err(ParseError::Malformed(_))
        ));
        assert!(matches!(
            Baseline::parse("[1, 2"),
            Err(ParseError::Malformed(_))
        ));
    }
}
