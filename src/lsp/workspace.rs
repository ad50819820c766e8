//! The workspace: which rules lint its documents, and which documents are policies.

use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};

use lsp_types::Uri;
use miette::NarratableReportHandler;

use crate::config::Config;
use crate::document::Format;
use crate::engine::Linter;
use crate::linters::{LinterOptions, Linters, OptionFlags, RuleFlags};
use crate::plan::NoticeJob;

/// The workspace's rules: its configuration and a linter per distinct set of rule
/// settings (overrides give some files other packs).
pub struct Workspace {
    root: Option<PathBuf>,
    linters: Mutex<Linters>,
}

impl Workspace {
    /// The linter for a document at `path` (a document with no file is linted as
    /// if it were at the workspace root).
    pub fn linter_for(&self, path: Option<&Path>) -> Result<Arc<Linter>, String> {
        let fallback = self.root.clone().unwrap_or_default().join("untitled.md");
        let path = path.unwrap_or(&fallback);
        // A poisoned lock only means a linter build panicked; the cache is still valid.
        let mut linters = self.linters.lock().unwrap_or_else(|e| e.into_inner());
        let settings = linters.settings_for(path);
        linters
            .linter(&settings)
            .map_err(|e| plain_text(e.as_ref()))
    }

    /// The notice of the configuration that the document at `path` is a member of,
    /// linted as one document with its other files, as `policylint lint` does.
    pub fn notice_for(&self, path: Option<&Path>) -> Result<Option<NoticeJob>, String> {
        let Some(path) = path else {
            return Ok(None);
        };
        let mut linters = self.linters.lock().unwrap_or_else(|e| e.into_inner());
        NoticeJob::of_file(&mut linters, path).map_err(|e| plain_text(e.as_ref()))
    }
}

/// A workspace ready to lint, and what the user should be told about it.
pub struct Setup {
    pub workspace: Workspace,
    /// Said in the client's log (window/logMessage).
    pub notes: Vec<String>,
}

/// Reads the workspace's configuration (`policylint.yaml` at the root or the nearest
/// folder above) and loads its rules. This is the one place that decides the rules.
/// `flags` are the rules the server was started with (`policylint lsp --pack ...
/// --rules ...`), layered over the workspace's `policylint.yaml` as on the command
/// line; relative rule folders are relative to the server's working directory.
pub fn build_linter(root: Option<&Path>, flags: &RuleFlags) -> Result<Setup, String> {
    let mut notes = Vec::new();
    let config = match root {
        Some(root) => Config::discover(root).map_err(|e| plain_text(&e))?,
        None => None,
    };
    if let Some(config) = &config {
        notes.push(format!("policylint: using {}", config.path.display()));
    }
    let options = LinterOptions::layered(
        config.as_ref(),
        OptionFlags {
            // Editors stay open for days: the server lints against the current date.
            today: Some(jiff::ZonedDateTime::now().date()),
            ..OptionFlags::default()
        },
    );
    let flags = flags.clone();
    let workspace = Workspace {
        root: root.map(Path::to_path_buf),
        linters: Mutex::new(Linters::new(config, flags, options).one_document_at_a_time()),
    };
    // Load the rules now, so that an error in them is shown at once.
    workspace.linter_for(None)?;
    Ok(Setup { workspace, notes })
}

/// A rule error as plain text with its file, line and column (for a message box).
fn plain_text(error: &dyn miette::Diagnostic) -> String {
    let mut text = String::new();
    match NarratableReportHandler::new().render_report(&mut text, error) {
        Ok(()) => text.trim_end().to_string(),
        Err(_) => error.to_string(),
    }
}

/// The format of a document, from its URI's extension; `None` for files that are not
/// policies, and for .docx, which is not text an editor changes.
pub fn format_of(uri: &Uri) -> Option<Format> {
    let name = uri.path().as_str().rsplit('/').next()?;
    Format::from_path(Path::new(name)).filter(|format| format.info().editable)
}

/// The file system path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme()?.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    // `file:///C:/x` is `C:/x` on Windows.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if cfg!(windows) && drive.is_ascii_alphabetic() => &path[1..],
        _ => &path[..],
    };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(
            format_of(&uri("file:///p/Privacy.MD")),
            Some(Format::Markdown)
        );
        assert_eq!(format_of(&uri("file:///p/a.htm")), Some(Format::Html));
        assert_eq!(format_of(&uri("file:///p/a.txt")), Some(Format::Text));
        assert_eq!(format_of(&uri("file:///p/a.docx")), None);
        assert_eq!(format_of(&uri("file:///p/main.rs")), None);
        assert_eq!(format_of(&uri("untitled:Untitled-1")), None);
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            file_path(&uri("file:///home/a%20b/policy.md")),
            Some(PathBuf::from("/home/a b/policy.md"))
        );
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
    }

    #[test]
    fn the_workspace_configuration_decides_the_rules_of_each_file() {
        let dir = tempfile::tempdir().unwrap();
        let setup = build_linter(Some(dir.path()), &RuleFlags::default()).unwrap();
        assert!(setup.notes.is_empty());
        let linter = setup.workspace.linter_for(None).unwrap();
        assert!(linter.rules().get("core/contact").is_some());
        std::fs::write(
            dir.path().join(crate::config::CONFIG_FILE),
            "packs: [gdpr]\noverrides:\n  - files: ['us/**']\n    packs: [ccpa]\n",
        )
        .unwrap();
        let setup = build_linter(Some(dir.path()), &RuleFlags::default()).unwrap();
        assert_eq!(setup.notes.len(), 1);
        assert!(
            setup.notes[0].contains("policylint.yaml"),
            "{}",
            setup.notes[0]
        );
        let eu = setup
            .workspace
            .linter_for(Some(&dir.path().join("eu/privacy.md")))
            .unwrap();
        assert!(eu.rules().get("gdpr/dpo-contact").is_some());
        assert!(eu.rules().get("core/contact").is_none());
        let us = setup
            .workspace
            .linter_for(Some(&dir.path().join("us/privacy.md")))
            .unwrap();
        assert!(us.rules().get("ccpa/right-to-opt-out").is_some());
        // The server's --pack wins over the configuration, as on the command line.
        let choice = RuleFlags {
            packs: vec!["coppa".into()],
            ..RuleFlags::default()
        };
        let setup = build_linter(Some(dir.path()), &choice).unwrap();
        let linter = setup.workspace.linter_for(None).unwrap();
        assert!(linter.rules().rules.iter().all(|r| r.pack == "coppa"));
    }

    #[test]
    fn a_broken_configuration_is_an_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(crate::config::CONFIG_FILE),
            "packs: [core]\nsevertiy: {}\n",
        )
        .unwrap();
        let Err(error) = build_linter(Some(dir.path()), &RuleFlags::default()) else {
            panic!("a configuration with an unknown key loads");
        };
        assert!(
            error.contains("severtiy") && error.contains("line 2"),
            "{error}"
        );
    }

    #[test]
    fn a_broken_rule_file_is_an_error_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.yaml"), "title: x\nseverity: loud\n").unwrap();
        let choice = RuleFlags {
            packs: vec!["core".into()],
            rule_dirs: vec![dir.path().to_path_buf()],
            ..RuleFlags::default()
        };
        let Err(error) = build_linter(None, &choice) else {
            panic!("a bad severity loads");
        };
        assert!(error.contains("bad.yaml"), "{error}");
    }
}
