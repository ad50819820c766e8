//! The project configuration, `policylint.yaml`: which packs and rules apply to which
//! files, run-wide settings, and notices (several files read as one policy). Read
//! strictly: an unknown key or a bad value is an error at its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use jiff::civil::Date;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use serde_saphyr::Spanned;
use thiserror::Error;

use crate::dates::DateOrder;
use crate::diagnostic::Severity;
use crate::engine::LanguageCheck;
pub use crate::rules::settings::{DEFAULT_PACK, Level, RuleSettings, rule_glob};
use crate::rules::{self, source_range};

/// What parsing a configuration asks about the files and folders it names (that a
/// rule folder or a notice's file exists, which rules a folder holds). Parsing reads
/// nothing itself: [`Config::load`] answers from the disk, a caller with the files
/// elsewhere (an editor's workspace, a test) answers as it can.
pub trait Paths {
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;
    /// Whether two paths name the same file.
    fn same_file(&self, a: &Path, b: &Path) -> bool;
    /// The ids of the built-in rules and of the rules in `dirs`.
    fn rule_ids(&self, dirs: &[PathBuf]) -> Result<Vec<String>, String>;
}

/// The files and folders on disk.
pub struct OnDisk;

impl Paths for OnDisk {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn same_file(&self, a: &Path, b: &Path) -> bool {
        same_file(a, b)
    }

    fn rule_ids(&self, dirs: &[PathBuf]) -> Result<Vec<String>, String> {
        rules::rule_ids(dirs).map_err(|e| e.to_string())
    }
}

/// The name the configuration is discovered by.
pub const CONFIG_FILE: &str = "policylint.yaml";

/// A configuration that cannot be used, pointing at the place in the file.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
    #[error("cannot read {path}: {message}")]
    #[diagnostic(
        code(policylint::config_io),
        help("pass an existing file to --config, or run `policylint init` to write one")
    )]
    Io { path: PathBuf, message: String },
}

/// A mistake in the configuration, with the place it is at.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(policylint::config))]
pub struct InvalidConfig {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// A fact's value: YAML `true`/`false`, or the words yes and no.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FactSpec {
    Bool(bool),
    Word(String),
}

/// The YAML shape of `policylint.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigSpec {
    #[serde(default)]
    packs: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Level>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    today: Option<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Severity>,
    #[serde(default)]
    date_order: Option<DateOrder>,
    #[serde(default)]
    lang: Option<LanguageCheck>,
    #[serde(default)]
    keep_chrome: Option<bool>,
    #[serde(default)]
    site: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, Spanned<FactSpec>>,
    #[serde(default)]
    overrides: Vec<Spanned<OverrideSpec>>,
    #[serde(default)]
    notices: Vec<Spanned<NoticeSpec>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OverrideSpec {
    files: Vec<Spanned<String>>,
    #[serde(default)]
    packs: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Level>>,
    #[serde(default)]
    facts: BTreeMap<String, Spanned<FactSpec>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NoticeSpec {
    #[serde(default)]
    name: Option<String>,
    files: Vec<Spanned<String>>,
}

/// Settings for files matching some globs, added to the base settings.
#[derive(Debug)]
struct Override {
    files: GlobSet,
    packs: Vec<String>,
    ignore: Vec<String>,
    severity: BTreeMap<String, Level>,
    facts: BTreeMap<String, bool>,
}

/// Several files that together form one notice (a privacy policy, its cookie policy,
/// its California notice): linted as one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub name: String,
    /// The member files, the first being where a missing statement is reported.
    pub files: Vec<PathBuf>,
}

/// A loaded, checked configuration.
#[derive(Debug)]
pub struct Config {
    /// The configuration file.
    pub path: PathBuf,
    /// The folder globs and relative paths are taken from.
    pub root: PathBuf,
    pub base: RuleSettings,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    overrides: Vec<Override>,
    pub notices: Vec<Notice>,
    pub today: Option<Date>,
    pub fail_on: Option<Severity>,
    pub date_order: Option<DateOrder>,
    pub lang: Option<LanguageCheck>,
    pub keep_chrome: Option<bool>,
    /// Pages of the site the policies are compared with (`site:`), from the root.
    pub site: Vec<PathBuf>,
}

impl Config {
    /// The configuration in `start` or the nearest folder above it, if any.
    pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE);
            if candidate.is_file() {
                return Config::load(&candidate).map(Some);
            }
        }
        Ok(None)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let root = absolute
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Config::parse(&path.display().to_string(), &text, root, &OnDisk)
    }

    /// Reads a configuration's text; `root` is the folder relative paths start from,
    /// `paths` says what exists there.
    pub fn parse(
        name: &str,
        text: &str,
        root: PathBuf,
        paths: &dyn Paths,
    ) -> Result<Config, ConfigError> {
        let file = SourceFile { name, text };
        // An empty file (or one of only comments) is an empty configuration.
        let spec: ConfigSpec = if text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#')
        }) {
            ConfigSpec::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| file.yaml_error(&e))?
        };
        let known = KnownRules::new(&file, &spec, &root, paths)?;
        let base = RuleSettings {
            packs: match &spec.packs {
                Some(packs) => known.packs(&file, packs)?,
                None => vec![DEFAULT_PACK.to_string()],
            },
            rule_dirs: known.rule_dirs.clone(),
            select: known.rule_patterns(&file, &spec.select)?,
            ignore: known.rule_patterns(&file, &spec.ignore)?,
            severity: known.severities(&file, &spec.severity)?,
            facts: facts(&file, &spec.facts)?,
        };
        let mut overrides = Vec::new();
        for o in &spec.overrides {
            let o = &o.value;
            if o.files.is_empty() {
                return Err(file
                    .error_at_start("an override needs `files`: the globs it applies to", "here"));
            }
            overrides.push(Override {
                files: globs(&file, &o.files)?,
                packs: known.packs(&file, &o.packs)?,
                ignore: known.rule_patterns(&file, &o.ignore)?,
                severity: known.severities(&file, &o.severity)?,
                facts: facts(&file, &o.facts)?,
            });
        }
        let notices = notices(&file, &spec.notices, &root, paths)?;
        let today = match &spec.today {
            Some(day) => Some(day.value.parse::<Date>().map_err(|_| {
                file.error(
                    &day.referenced,
                    format!("`{}` is not a date", day.value),
                    "write it as YYYY-MM-DD",
                    None,
                )
            })?),
            None => None,
        };
        let optional_globs = |list: &[Spanned<String>]| -> Result<Option<GlobSet>, ConfigError> {
            if list.is_empty() {
                Ok(None)
            } else {
                globs(&file, list).map(Some)
            }
        };
        let site = spec.site.iter().map(|p| root.join(p)).collect();
        Ok(Config {
            path: PathBuf::from(name),
            include: optional_globs(&spec.include)?,
            exclude: optional_globs(&spec.exclude)?,
            root,
            base,
            overrides,
            notices,
            today,
            fail_on: spec.fail_on,
            date_order: spec.date_order,
            lang: spec.lang,
            keep_chrome: spec.keep_chrome,
            site,
        })
    }

    /// The rule settings for one file: the base, then each matching override in order
    /// (packs and ignores add up; severities and facts replace).
    pub fn settings_for(&self, file: &Path) -> RuleSettings {
        let mut settings = self.base.clone();
        let relative = self.relative(file);
        for o in &self.overrides {
            if !o.files.is_match(&relative) {
                continue;
            }
            settings.packs.extend(o.packs.iter().cloned());
            settings.ignore.extend(o.ignore.iter().cloned());
            settings
                .severity
                .extend(o.severity.iter().map(|(k, v)| (k.clone(), *v)));
            settings
                .facts
                .extend(o.facts.iter().map(|(k, v)| (k.clone(), *v)));
        }
        settings
    }

    /// Every rule id or glob the configuration names (in select, ignore, severity and
    /// overrides), to check against the rules of a run.
    pub fn rule_patterns(&self) -> Vec<String> {
        let mut patterns: Vec<String> = self
            .base
            .select
            .iter()
            .chain(&self.base.ignore)
            .chain(self.base.severity.keys())
            .cloned()
            .collect();
        for o in &self.overrides {
            patterns.extend(o.ignore.iter().chain(o.severity.keys()).cloned());
        }
        patterns
    }

    /// Whether a file found by walking a folder is linted: it matches `include` (when
    /// given) and not `exclude`.
    pub fn walks_into(&self, file: &Path) -> bool {
        let relative = self.relative(file);
        self.include.as_ref().is_none_or(|g| g.is_match(&relative)) && !self.excludes(file)
    }

    /// Whether `exclude` names a file or folder.
    pub fn excludes(&self, path: &Path) -> bool {
        let relative = self.relative(path);
        self.exclude.as_ref().is_some_and(|g| g.is_match(&relative))
    }

    /// The index in `notices` of the notice a file belongs to, if any.
    pub fn notice_of(&self, file: &Path) -> Option<usize> {
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        self.notices
            .iter()
            .position(|n| n.files.iter().any(|f| same_file(f, &file)))
    }

    /// A path relative to the configuration's folder (as globs are written), or the
    /// path itself when it lies outside.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        absolute
            .strip_prefix(&self.root)
            .map_or(absolute.clone(), Path::to_path_buf)
    }
}

/// Whether two paths name the same file (equal, or equal once links are resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (a.canonicalize(), b.canonicalize()),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The configuration's text, for errors that point into it.
struct SourceFile<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceFile<'_> {
    fn error(
        &self,
        at: &serde_saphyr::Location,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        let (start, len) = source_range(self.text, at);
        let (shown, start, len) = crate::snippet::readable(self.text, start, len);
        ConfigError::Invalid(Box::new(InvalidConfig {
            message: format!(
                "{}: {}",
                self.name,
                crate::snippet::readable_text(message.into())
            ),
            src: NamedSource::new(self.name, shown),
            span: (start, len).into(),
            label: crate::snippet::readable_text(label.into()),
            help: help.map(crate::snippet::readable_text),
        }))
    }

    fn error_at_start(&self, message: &str, label: &str) -> ConfigError {
        ConfigError::Invalid(Box::new(InvalidConfig {
            message: format!("{}: {message}", self.name),
            src: NamedSource::new(self.name, crate::snippet::readable(self.text, 0, 0).0),
            span: (0, 0).into(),
            label: label.into(),
            help: None,
        }))
    }

    fn yaml_error(&self, err: &serde_saphyr::Error) -> ConfigError {
        let message = rules::yaml_message(err);
        let help = message.contains("unknown field").then(|| {
            "README.md (Configuration) describes every key; `policylint init` writes a \
             commented example"
                .to_string()
        });
        match err.location() {
            Some(at) => self.error(
                &at,
                format!("invalid configuration: {message}"),
                message,
                help,
            ),
            None => ConfigError::Invalid(Box::new(InvalidConfig {
                message: format!("{}: invalid configuration: {message}", self.name),
                src: NamedSource::new(self.name, crate::snippet::readable(self.text, 0, 0).0),
                span: (0, 0).into(),
                label: message,
                help,
            })),
        }
    }
}

/// The packs and rule ids there are, to check the names a configuration uses.
struct KnownRules {
    packs: Vec<String>,
    ids: Vec<String>,
    rule_dirs: Vec<PathBuf>,
}

impl KnownRules {
    fn new(
        file: &SourceFile,
        spec: &ConfigSpec,
        root: &Path,
        paths: &dyn Paths,
    ) -> Result<KnownRules, ConfigError> {
        let mut rule_dirs = Vec::new();
        for dir in &spec.rules {
            let path = root.join(&dir.value);
            if !paths.is_dir(&path) {
                return Err(file.error(
                    &dir.referenced,
                    format!("rule folder `{}` does not exist", dir.value),
                    "not a folder",
                    Some(format!(
                        "folders are relative to the configuration's folder, {}",
                        root.display()
                    )),
                ));
            }
            rule_dirs.push(path);
        }
        let ids = paths
            .rule_ids(&rule_dirs)
            .map_err(|message| ConfigError::Io {
                path: PathBuf::from(file.name),
                message,
            })?;
        Ok(KnownRules {
            packs: rules::builtin_packs(),
            ids,
            rule_dirs,
        })
    }

    fn packs(
        &self,
        file: &SourceFile,
        packs: &[Spanned<String>],
    ) -> Result<Vec<String>, ConfigError> {
        packs
            .iter()
            .map(|p| {
                if self.packs.contains(&p.value) {
                    Ok(p.value.clone())
                } else {
                    Err(file.error(
                        &p.referenced,
                        format!("unknown pack `{}`", p.value),
                        "no such built-in pack",
                        Some(format!(
                            "the built-in packs are: {} (custom rules go under `rules:`)",
                            self.packs.join(", ")
                        )),
                    ))
                }
            })
            .collect()
    }

    /// Checks that a rule id or glob names at least one rule.
    fn check_rule(
        &self,
        file: &SourceFile,
        pattern: &str,
        at: &serde_saphyr::Location,
    ) -> Result<(), ConfigError> {
        let matcher = rule_glob(pattern).map_err(|e| {
            file.error(
                at,
                format!("bad rule pattern `{pattern}`: {e}"),
                "here",
                None,
            )
        })?;
        // A pack this file does not know may come from `--rules` on the command line.
        let pack = pattern.split('/').next().unwrap_or_default();
        let known_pack = self.ids.iter().any(|id| id.split('/').next() == Some(pack));
        if !known_pack && !pack.contains(['*', '?', '[', '{']) {
            return Ok(());
        }
        if self.ids.iter().any(|id| matcher.is_match(id)) {
            Ok(())
        } else {
            Err(file.error(
                at,
                format!("no rule matches `{pattern}`"),
                "no such rule",
                Some(
                    "write a rule id such as core/retention-period, or a glob such as gdpr/*; \
                     `policylint rules --pack core,gdpr,ccpa,caloppa,coppa` lists them"
                        .into(),
                ),
            ))
        }
    }

    fn rule_patterns(
        &self,
        file: &SourceFile,
        list: &[Spanned<String>],
    ) -> Result<Vec<String>, ConfigError> {
        list.iter()
            .map(|p| {
                self.check_rule(file, &p.value, &p.referenced)?;
                Ok(p.value.clone())
            })
            .collect()
    }

    fn severities(
        &self,
        file: &SourceFile,
        map: &BTreeMap<String, Spanned<Level>>,
    ) -> Result<BTreeMap<String, Level>, ConfigError> {
        let mut out = BTreeMap::new();
        for (id, level) in map {
            self.check_rule(file, id, &level.referenced)?;
            out.insert(id.clone(), level.value);
        }
        Ok(out)
    }
}

/// A fact's value written as a word: yes or no (true or false), in any case.
pub fn fact_value(word: &str) -> Option<bool> {
    match word.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

fn facts(
    file: &SourceFile,
    map: &BTreeMap<String, Spanned<FactSpec>>,
) -> Result<BTreeMap<String, bool>, ConfigError> {
    let mut out = BTreeMap::new();
    for (name, value) in map {
        let parsed = match &value.value {
            FactSpec::Bool(b) => Some(*b),
            FactSpec::Word(w) => fact_value(w),
        };
        let Some(parsed) = parsed else {
            return Err(file.error(
                &value.referenced,
                format!("fact `{name}` must be yes or no"),
                "not yes or no",
                None,
            ));
        };
        out.insert(name.clone(), parsed);
    }
    Ok(out)
}

fn globs(file: &SourceFile, list: &[Spanned<String>]) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for glob in list {
        // `*` stays within a folder; `**` crosses folders, as in .gitignore.
        let compiled = GlobBuilder::new(&glob.value)
            .literal_separator(true)
            .build()
            .map_err(|e| {
                file.error(
                    &glob.referenced,
                    format!("bad glob `{}`: {}", glob.value, e.kind()),
                    "here",
                    None,
                )
            })?;
        builder.add(compiled);
    }
    builder.build().map_err(|e| ConfigError::Io {
        path: PathBuf::from(file.name),
        message: e.to_string(),
    })
}

fn notices(
    file: &SourceFile,
    specs: &[Spanned<NoticeSpec>],
    root: &Path,
    paths: &dyn Paths,
) -> Result<Vec<Notice>, ConfigError> {
    let mut notices: Vec<Notice> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        if spec.value.files.len() < 2 {
            return Err(file.error(
                &spec.referenced,
                "a notice lists at least two files",
                "here",
                Some(
                    "a single file is linted on its own; list the files that form one notice"
                        .into(),
                ),
            ));
        }
        let mut files = Vec::new();
        for f in &spec.value.files {
            let path = root.join(&f.value);
            if !paths.is_file(&path) {
                return Err(file.error(
                    &f.referenced,
                    format!("notice file `{}` does not exist", f.value),
                    "not a file",
                    Some(format!(
                        "paths are relative to the configuration's folder, {}",
                        root.display()
                    )),
                ));
            }
            let taken = notices
                .iter()
                .chain(std::iter::once(&Notice {
                    name: String::new(),
                    files: files.clone(),
                }))
                .any(|n| n.files.iter().any(|g| paths.same_file(g, &path)));
            if taken {
                return Err(file.error(
                    &f.referenced,
                    format!("`{}` is listed in two notices (or twice)", f.value),
                    "listed again",
                    None,
                ));
            }
            files.push(path);
        }
        notices.push(Notice {
            name: spec
                .value
                .name
                .clone()
                .unwrap_or_else(|| format!("notice {}", i + 1)),
            files,
        });
    }
    Ok(notices)
}

/// The commented starter configuration `policylint init` writes.
pub const STARTER: &str = r#"# policylint configuration. Paths and globs are relative to this file's folder.
# Every key is optional; command-line options override what is set here.

# Built-in packs: core, gdpr, ccpa, caloppa, coppa.
packs: [core]

# Folders of custom rules (YAML), added to the packs.
# rules: [policy-rules/]

# Only these rules (ids or globs), and rules never to run.
# select: ["core/*", "gdpr/*"]
# ignore: [gdpr/plain-language]

# A rule's severity: error, warning, info, or off.
# severity:
#   core/placeholder: error
#   core/cookies: off

# Which files a folder walk picks up, and which it skips.
# include: ["**/*.md", "**/*.html"]
# exclude: ["archive/**", "drafts/**"]

# Exit 1 on findings at or above this severity: error, warning or info.
# fail-on: error

# How to read 04/02/2021: month-day or day-month.
# date-order: month-day

# Facts about the service that decide "where applicable" rules (yes or no).
# facts:
#   transfers-outside-eea: yes

# Pages of the site (HTML files or folders of them): every third-party service they
# load must be named by the policy (core/undisclosed-service).
# site: [public/]

# Settings for some files only: packs and ignores add up, severities and facts replace.
# overrides:
#   - files: ["policies/eu/**"]
#     packs: [gdpr]
#   - files: ["policies/us/**"]
#     packs: [ccpa, caloppa]

# Files that together form one notice, linted as one document; a missing statement is
# reported in the first file.
# notices:
#   - name: Privacy notice
#     files: [policies/privacy.md, policies/cookies.md, policies/california.md]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse("policylint.yaml", text, PathBuf::from("/nowhere"), &OnDisk)
    }

    fn message(err: ConfigError) -> String {
        match err {
            ConfigError::Invalid(invalid) => {
                let line = invalid.src.inner()[..invalid.span.offset()]
                    .matches('\n')
                    .count()
                    + 1;
                format!("line {line}: {}", invalid.message)
            }
            ConfigError::Io { message, .. } => message,
        }
    }

    /// A project that exists only in memory: parsing must not look at the disk.
    struct InMemory {
        dirs: Vec<PathBuf>,
        files: Vec<PathBuf>,
    }

    impl Paths for InMemory {
        fn is_dir(&self, path: &Path) -> bool {
            self.dirs.iter().any(|d| d == path)
        }

        fn is_file(&self, path: &Path) -> bool {
            self.files.iter().any(|f| f == path)
        }

        fn same_file(&self, a: &Path, b: &Path) -> bool {
            a == b
        }

        fn rule_ids(&self, dirs: &[PathBuf]) -> Result<Vec<String>, String> {
            let mut ids = rules::rule_ids(&[]).map_err(|e| e.to_string())?;
            if dirs.iter().any(|d| d.ends_with("house-rules")) {
                ids.push("house/names-the-dpo".into());
            }
            Ok(ids)
        }
    }

    #[test]
    fn parsing_asks_what_exists_instead_of_reading_the_disk() {
        let root = PathBuf::from("/project-in-memory");
        let project = InMemory {
            dirs: vec![root.join("house-rules")],
            files: vec![root.join("privacy.md"), root.join("cookies.md")],
        };
        let text = "rules: [house-rules]\nselect: [house/*, core/contact]\nnotices:\n  - files: [privacy.md, cookies.md]\n";
        let config = Config::parse("policylint.yaml", text, root.clone(), &project).unwrap();
        assert_eq!(config.base.rule_dirs, vec![root.join("house-rules")]);
        assert_eq!(config.notices[0].files[1], root.join("cookies.md"));
        assert_eq!(config.notice_of(&root.join("cookies.md")), Some(0));

        let missing = "notices:\n  - files: [privacy.md, terms.md]\n";
        let err = Config::parse("policylint.yaml", missing, root.clone(), &project).unwrap_err();
        let said = message(err);
        assert!(said.starts_with("line 2:"), "{said}");
        assert!(
            said.ends_with("notice file `terms.md` does not exist"),
            "{said}"
        );
        let unknown = "rules: [house-rules]\nselect: [house/names-the-ceo]\n";
        let err = Config::parse("policylint.yaml", unknown, root, &project).unwrap_err();
        assert!(message(err).contains("house/names-the-ceo"));
    }

    #[test]
    fn site_pages_are_relative_to_the_configuration() {
        let config = parse("site: [public/, shop/checkout.html]\n").unwrap();
        assert_eq!(
            config.site,
            [
                PathBuf::from("/nowhere/public/"),
                PathBuf::from("/nowhere/shop/checkout.html")
            ]
        );
    }

    #[test]
    fn the_starter_file_is_a_valid_configuration() {
        let config = parse(STARTER).unwrap();
        assert_eq!(config.base.packs, vec!["core".to_string()]);
    }

    #[test]
    fn the_starter_file_names_only_rules_that_exist() {
        // Its commented examples must work when a reader uncomments them.
        let ids = rules::rule_ids(&[]).unwrap();
        let mentioned = regex::Regex::new(r"\b(?:core|gdpr|ccpa|caloppa|coppa)/[a-z*-]+").unwrap();
        let mut checked = 0;
        for m in mentioned.find_iter(STARTER) {
            let glob = rule_glob(m.as_str()).unwrap();
            assert!(ids.iter().any(|id| glob.is_match(id)), "{}", m.as_str());
            checked += 1;
        }
        assert!(checked >= 4);
    }

    #[test]
    fn unknown_keys_and_bad_values_point_at_their_line() {
        let err = message(parse("packs: [core]\nseverty:\n  core/children: off\n").unwrap_err());
        assert!(
            err.starts_with("line 2:") && err.contains("unknown field"),
            "{err}"
        );
        let err = message(parse("packs: [core, gdrp]\n").unwrap_err());
        assert!(
            err.starts_with("line 1:") && err.contains("unknown pack `gdrp`"),
            "{err}"
        );
        let err = message(parse("severity:\n  core/children: loud\n").unwrap_err());
        assert!(err.starts_with("line 2:"), "{err}");
        let err = message(parse("severity:\n  core/no-such-rule: off\n").unwrap_err());
        assert!(err.contains("no rule matches `core/no-such-rule`"), "{err}");
        // A pack the configuration does not know may come from --rules.
        assert!(parse("severity:\n  acme/own-rule: off\n").is_ok());
        let err = message(parse("today: 2026-13-01\n").unwrap_err());
        assert!(
            err.starts_with("line 1:") && err.contains("not a date"),
            "{err}"
        );
        let err = message(parse("facts:\n  transfers-outside-eea: maybe\n").unwrap_err());
        assert!(
            err.starts_with("line 2:") && err.contains("yes or no"),
            "{err}"
        );
        let err = message(parse("include: ['[a']\n").unwrap_err());
        assert!(err.contains("bad glob"), "{err}");
    }

    #[test]
    fn overrides_add_packs_for_matching_files() {
        let config = parse(
            "packs: [core]\nfacts: {transfers-outside-eea: no}\noverrides:\n  - files: ['eu/**']\n    packs: [gdpr]\n    severity: {core/children: off}\n    facts: {transfers-outside-eea: yes}\n",
        )
        .unwrap();
        let eu = config.settings_for(Path::new("/nowhere/eu/de/privacy.md"));
        assert_eq!(eu.packs, vec!["core", "gdpr"]);
        assert_eq!(eu.severity.get("core/children"), Some(&Level::Off));
        assert_eq!(eu.facts.get("transfers-outside-eea"), Some(&true));
        let us = config.settings_for(Path::new("/nowhere/us/privacy.md"));
        assert_eq!(us.packs, vec!["core"]);
        assert_eq!(us.facts.get("transfers-outside-eea"), Some(&false));
    }

    #[test]
    fn include_and_exclude_are_relative_to_the_configuration() {
        let config = parse("include: ['**/*.md']\nexclude: ['archive/**']\n").unwrap();
        assert!(config.walks_into(Path::new("/nowhere/a/b.md")));
        assert!(!config.walks_into(Path::new("/nowhere/a/b.html")));
        assert!(!config.walks_into(Path::new("/nowhere/archive/old.md")));
    }

    #[test]
    fn rule_globs_cross_the_pack_separator() {
        assert!(rule_glob("gdpr/*").unwrap().is_match("gdpr/dpo-contact"));
        assert!(!rule_glob("gdpr/*").unwrap().is_match("core/contact"));
    }
}
