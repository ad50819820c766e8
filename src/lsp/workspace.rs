//! The workspace: which rules lint its documents, and which documents are policies.

use std::path::{Path, PathBuf};

use lsp_types::Uri;
use miette::NarratableReportHandler;

use crate::document::Format;
use crate::engine::Linter;
use crate::rules::RuleSet;

/// The workspace configuration file (read by `policylint lint`; not yet by the server).
pub const CONFIG_FILE: &str = "policylint.yaml";

/// The rules the server was started with (`policylint lsp --pack ... --rules ...`).
#[derive(Clone, Debug)]
pub struct RuleChoice {
    pub packs: Vec<String>,
    /// Folders of custom rules; relative ones are relative to the server's working
    /// directory, as on the command line.
    pub rule_dirs: Vec<PathBuf>,
}

impl Default for RuleChoice {
    fn default() -> Self {
        RuleChoice {
            packs: vec!["core".to_string()],
            rule_dirs: Vec::new(),
        }
    }
}

/// A linter ready for the workspace, and what the user should be told about it.
pub struct Setup {
    pub linter: Linter,
    /// Said in the client's log (window/logMessage).
    pub notes: Vec<String>,
}

/// Builds the linter for a workspace. This is the one place that decides the rules,
/// so reading the workspace's configuration file belongs here too.
pub fn build_linter(root: Option<&Path>, choice: &RuleChoice) -> Result<Setup, String> {
    let mut notes = Vec::new();
    if let Some(config) = root.map(|r| r.join(CONFIG_FILE)).filter(|p| p.is_file()) {
        notes.push(format!(
            "{} is not read by the language server yet; linting with --pack {}{}",
            config.display(),
            choice.packs.join(","),
            choice
                .rule_dirs
                .iter()
                .map(|d| format!(" --rules {}", d.display()))
                .collect::<String>()
        ));
    }
    let mut packs = choice.packs.clone();
    packs.sort();
    packs.dedup();
    let rules = RuleSet::load(&packs, &choice.rule_dirs).map_err(|e| plain_text(&e))?;
    let today = jiff::ZonedDateTime::now().date();
    Ok(Setup {
        linter: Linter::new(rules, today),
        notes,
    })
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
    match Format::from_path(Path::new(name))? {
        Format::Docx => None,
        format => Some(format),
    }
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
    fn a_config_file_is_mentioned_and_the_default_pack_used() {
        let dir = tempfile::tempdir().unwrap();
        let setup = build_linter(Some(dir.path()), &RuleChoice::default()).unwrap();
        assert!(setup.notes.is_empty());
        assert!(setup.linter.rules().get("core/contact").is_some());
        std::fs::write(dir.path().join(CONFIG_FILE), "packs: [gdpr]\n").unwrap();
        let setup = build_linter(Some(dir.path()), &RuleChoice::default()).unwrap();
        assert_eq!(setup.notes.len(), 1);
        assert!(setup.notes[0].contains("not read"), "{}", setup.notes[0]);
    }

    #[test]
    fn a_broken_rule_file_is_an_error_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.yaml"), "title: x\nseverity: loud\n").unwrap();
        let choice = RuleChoice {
            packs: vec!["core".into()],
            rule_dirs: vec![dir.path().to_path_buf()],
        };
        let Err(error) = build_linter(None, &choice) else {
            panic!("a bad severity loads");
        };
        assert!(error.contains("bad.yaml"), "{error}");
    }
}
