//! Where rule files come from: the packs built into the binary (the repo's `rules/`
//! folder) and folders named with `--rules`.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};

use super::RuleError;
use super::schema::{ListSpec, PackSpec};

static BUILTIN: Dir = include_dir!("$CARGO_MANIFEST_DIR/../../rules");

/// The folder of shared term lists, inside `rules/` or a `--rules` folder.
const LISTS_DIR: &str = "lists";
/// The folder of fact definitions.
const FACTS_DIR: &str = "facts";
/// The folder of the third-party service catalogue (`crate::services`).
const SERVICES_DIR: &str = "services";
/// A pack's name, version and description, in the pack's folder.
const PACK_FILE: &str = "pack";

/// A pack's metadata.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PackInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    /// How a reader names the law ("GDPR", "CalOPPA"), for reports that group rules
    /// by law; not part of the JSON contract.
    #[serde(skip)]
    pub title: Option<String>,
}

/// A rule, list or fact given as text rather than read from a folder (rules kept in
/// a database, sent by a client, written by a test): `folder` and `name` say what it
/// is, as `FOLDER/NAME.yaml` would in a rule folder.
#[derive(Clone, Debug)]
pub struct RuleText {
    /// The pack for a rule; `lists` for a term list, `facts` for a fact.
    pub folder: String,
    /// The file name without `.yaml`: the rule's id is `folder/name`.
    pub name: String,
    pub yaml: String,
}

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
        .filter(|name| ![LISTS_DIR, FACTS_DIR, SERVICES_DIR].contains(name))
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

/// Whether `dir` holds a rule file where [`Library::add_dir`] looks for one (a YAML
/// file directly inside or one subfolder down, not a list, fact or `pack.yaml`).
pub fn holds_rule_files(dir: &Path) -> bool {
    let own = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_yaml(e.path()))
        .any(|e| {
            let folder = if e.depth() == 1 {
                own.clone()
            } else {
                stem(e.path().parent().unwrap_or(dir))
            };
            matches!(role(&folder, &stem(e.path())), Role::Rule)
        })
}

pub(super) struct Library {
    builtin: BTreeMap<String, Vec<RuleFile>>,
    custom: Vec<RuleFile>,
    pub lists: BTreeMap<String, Vec<String>>,
    /// Fact definitions, `facts/NAME.yaml`, compiled with the rules.
    pub facts: BTreeMap<String, RuleFile>,
    /// `pack.yaml` of each pack that has one.
    pub packs: BTreeMap<String, PackInfo>,
    /// The files of the service catalogue, `services/CATEGORY.yaml`: (path, text).
    pub services: Vec<(String, String)>,
}

/// Where a file sits decides what it is.
enum Role {
    List,
    Fact,
    Services,
    PackMetadata,
    Rule,
}

fn role(folder: &str, stem: &str) -> Role {
    match (folder, stem) {
        (LISTS_DIR, _) => Role::List,
        (FACTS_DIR, _) => Role::Fact,
        (SERVICES_DIR, _) => Role::Services,
        (_, PACK_FILE) => Role::PackMetadata,
        _ => Role::Rule,
    }
}

impl Library {
    pub fn builtin() -> Result<Library, RuleError> {
        let mut library = Library {
            builtin: BTreeMap::new(),
            custom: Vec::new(),
            lists: BTreeMap::new(),
            facts: BTreeMap::new(),
            packs: BTreeMap::new(),
            services: Vec::new(),
        };
        for dir in BUILTIN.dirs() {
            let Some(folder) = dir.path().file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let mut files: Vec<_> = dir.files().filter(|f| is_yaml(f.path())).collect();
            files.sort_by_key(|f| f.path());
            for file in files {
                let path = format!("rules/{}", file.path().display());
                // Invariant: the build embeds only the repo's own UTF-8 YAML files.
                let text = file.contents_utf8().unwrap_or_default().to_string();
                if let Some(rule) = library.add(folder, &stem(file.path()), path, text)? {
                    library
                        .builtin
                        .entry(folder.to_string())
                        .or_default()
                        .push(rule);
                }
            }
        }
        Ok(library)
    }

    /// Files that are not rules are taken in here; a rule is handed back.
    fn add(
        &mut self,
        folder: &str,
        stem: &str,
        path: String,
        text: String,
    ) -> Result<Option<RuleFile>, RuleError> {
        match role(folder, stem) {
            Role::List => {
                let spec: ListSpec = serde_saphyr::from_str(&text)
                    .map_err(|e| RuleError::from_yaml(&path, &text, &e))?;
                self.lists.insert(stem.to_string(), spec.terms);
            }
            Role::Fact => {
                let fact = RuleFile::new(FACTS_DIR, stem, path, text);
                self.facts.insert(stem.to_string(), fact);
            }
            Role::Services => self.services.push((path, text)),
            Role::PackMetadata => {
                let spec: PackSpec = serde_saphyr::from_str(&text)
                    .map_err(|e| RuleError::from_yaml(&path, &text, &e))?;
                self.packs.insert(
                    folder.to_string(),
                    PackInfo {
                        name: folder.to_string(),
                        version: spec.version,
                        description: spec.description,
                        title: spec.title,
                    },
                );
            }
            Role::Rule => return Ok(Some(RuleFile::new(folder, stem, path, text))),
        }
        Ok(None)
    }

    /// Adds a folder of custom rules: YAML files directly inside form a pack named
    /// after the folder; each subfolder is a pack of its own; `lists/` holds term
    /// lists and `facts/` fact definitions.
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
        // A folder may hold only services (`services/`), and no rules.
        let services_before = self.services.len();
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
            let folder = if entry.depth() == 1 {
                own_pack.clone()
            } else {
                stem(path.parent().unwrap_or(dir))
            };
            if let Some(rule) = self.add(&folder, &stem(path), path.display().to_string(), text)? {
                self.custom.push(rule);
                found += 1;
            }
        }
        if found == 0 && self.services.len() == services_before {
            return Err(io(
                &"no .yaml rule files found (a pack is a folder of rule files)",
            ));
        }
        Ok(())
    }

    /// The rules of a built-in pack (none yet is fine), or `None` if there is no such pack.
    pub fn builtin_pack(&self, name: &str) -> Option<&[RuleFile]> {
        match self.builtin.get(name) {
            Some(rules) => Some(rules.as_slice()),
            None => builtin_packs().iter().any(|p| p == name).then_some(&[][..]),
        }
    }

    /// Adds one file given as text, as if it were `PACK/NAME.yaml` in a rule folder:
    /// a rule of pack `PACK`, or a list (`lists/NAME`), a fact (`facts/NAME`) or the
    /// pack's metadata (`PACK/pack`).
    pub fn add_text(&mut self, file: &RuleText) -> Result<(), RuleError> {
        let path = format!("{}/{}.yaml", file.folder, file.name);
        if let Some(rule) = self.add(&file.folder, &file.name, path, file.yaml.clone())? {
            self.custom.push(rule);
        }
        Ok(())
    }

    pub fn custom_rules(&self) -> &[RuleFile] {
        &self.custom
    }

    /// Every rule id the library knows, selected or not.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        self.builtin
            .values()
            .flatten()
            .chain(&self.custom)
            .map(|r| r.id.as_str())
    }
}
