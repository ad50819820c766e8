//! Where rule files come from: the packs built into the binary (the repo's `rules/`
//! folder) and folders named with `--rules`.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};

use super::RuleError;
use super::schema::ListSpec;

static BUILTIN: Dir = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The folder of shared term lists, inside `rules/` or a `--rules` folder.
const LISTS_DIR: &str = "lists";

/// One rule's YAML text and where it came from.
#[derive(Clone, Debug)]
pub struct RuleFile {
    pub id: String,
    pub pack: String,
    /// Shown in messages: `rules/core/contact.yaml` or the path on disk.
    pub path: String,
    pub text: String,
}

impl RuleFile {
    pub fn new(pack: &str, stem: &str, path: String, text: String) -> Self {
        Self {
            id: format!("{pack}/{stem}"),
            pack: pack.to_string(),
            path,
            text,
        }
    }
}

/// The names of the built-in packs, sorted.
pub fn builtin_packs() -> Vec<String> {
    BUILTIN
        .dirs()
        .filter_map(|d| d.path().file_name()?.to_str())
        .filter(|name| *name != LISTS_DIR)
        .map(str::to_string)
        .collect()
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

pub(super) struct Library {
    builtin: BTreeMap<String, Vec<RuleFile>>,
    custom: Vec<RuleFile>,
    pub lists: BTreeMap<String, Vec<String>>,
}

impl Library {
    pub fn builtin() -> Result<Library, RuleError> {
        let mut library = Library {
            builtin: BTreeMap::new(),
            custom: Vec::new(),
            lists: BTreeMap::new(),
        };
        for dir in BUILTIN.dirs() {
            let Some(name) = dir.path().file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let mut files: Vec<_> = dir.files().filter(|f| is_yaml(f.path())).collect();
            files.sort_by_key(|f| f.path());
            for file in files {
                let path = format!("rules/{}", file.path().display());
                // Invariant: the build embeds only the repo's own UTF-8 YAML files.
                let text = file.contents_utf8().unwrap_or_default().to_string();
                if name == LISTS_DIR {
                    library.add_list(&stem(file.path()), &path, &text)?;
                } else {
                    let rule = RuleFile::new(name, &stem(file.path()), path, text);
                    library
                        .builtin
                        .entry(name.to_string())
                        .or_default()
                        .push(rule);
                }
            }
        }
        Ok(library)
    }

    fn add_list(&mut self, name: &str, path: &str, text: &str) -> Result<(), RuleError> {
        let spec: ListSpec =
            serde_saphyr::from_str(text).map_err(|e| RuleError::from_yaml(path, text, &e))?;
        self.lists.insert(name.to_string(), spec.terms);
        Ok(())
    }

    /// Adds a folder of custom rules: YAML files directly inside form a pack named
    /// after the folder; each subfolder is a pack of its own; `lists/` holds lists.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), RuleError> {
        let io = |e: &dyn std::fmt::Display| RuleError::Io {
            path: dir.to_path_buf(),
            message: e.to_string(),
        };
        if !dir.is_dir() {
            return Err(io(&"not a folder"));
        }
        let own_pack = dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "custom".to_string());
        let mut found = 0;
        for entry in walkdir::WalkDir::new(dir)
            .min_depth(1)
            .max_depth(2)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| io(&e))?;
            let path = entry.path();
            if !entry.file_type().is_file() || !is_yaml(path) {
                continue;
            }
            let text = std::fs::read_to_string(path).map_err(|e| RuleError::Io {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            let shown = path.display().to_string();
            let parent = if entry.depth() == 1 {
                own_pack.clone()
            } else {
                stem(path.parent().unwrap_or(dir))
            };
            if parent == LISTS_DIR {
                self.add_list(&stem(path), &shown, &text)?;
            } else {
                self.custom
                    .push(RuleFile::new(&parent, &stem(path), shown, text));
                found += 1;
            }
        }
        if found == 0 {
            return Err(io(
                &"no .yaml rule files found (a pack is a folder of rule files)",
            ));
        }
        Ok(())
    }

    pub fn builtin_pack(&self, name: &str) -> Option<&[RuleFile]> {
        self.builtin.get(name).map(Vec::as_slice)
    }

    pub fn custom_rules(&self) -> &[RuleFile] {
        &self.custom
    }
}
