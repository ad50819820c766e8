//! The YAML shape of a rule file. Every type denies unknown keys, so a typo is an
//! error at load time, with its line and column.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostic::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    pub title: String,
    pub severity: Severity,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    /// A regex for the heading of the section where a missing statement belongs.
    #[serde(default)]
    pub section: Option<Spanned<String>>,
    #[serde(default)]
    pub when: Option<Spanned<MatcherSpec>>,
    #[serde(default)]
    pub require: Option<Spanned<MatcherSpec>>,
    #[serde(default)]
    pub forbid: Vec<Spanned<MatcherSpec>>,
    #[serde(default)]
    pub hint: Vec<Spanned<MatcherSpec>>,
    #[serde(default)]
    pub date: Option<Spanned<DateSpec>>,
    #[serde(default)]
    pub examples: Option<Spanned<ExamplesSpec>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Document,
    Section,
    Paragraph,
    #[default]
    Sentence,
}

/// One matcher. Exactly one of `pattern`, `terms`, `all`, `any`, `not`, `near` is
/// set; `scope`, `unless` and `message` are allowed only where the loader says so.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MatcherSpec {
    #[serde(default)]
    pub scope: Option<Spanned<Scope>>,
    #[serde(default)]
    pub message: Option<Spanned<String>>,
    #[serde(default)]
    pub unless: Option<Box<Spanned<MatcherSpec>>>,
    #[serde(default)]
    pub pattern: Option<Spanned<String>>,
    #[serde(default)]
    pub terms: Option<Spanned<TermsSpec>>,
    #[serde(default)]
    pub all: Option<Vec<Spanned<MatcherSpec>>>,
    #[serde(default)]
    pub any: Option<Vec<Spanned<MatcherSpec>>>,
    #[serde(default)]
    pub not: Option<Box<Spanned<MatcherSpec>>>,
    #[serde(default)]
    pub near: Option<Spanned<NearSpec>>,
}

/// `terms: [a, b]` or `terms: "@list-name"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum TermsSpec {
    List(String),
    Inline(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NearSpec {
    /// At most this many words between the first matcher's match and each other's.
    pub within: u32,
    pub all: Vec<Spanned<MatcherSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DateSpec {
    /// Dates count only when they follow a match of this in the same sentence.
    pub cue: Spanned<MatcherSpec>,
    /// Fail when the latest such date is more than this many calendar months old.
    pub max_age_months: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExamplesSpec {
    #[serde(default)]
    pub pass: Vec<String>,
    #[serde(default)]
    pub fail: Vec<String>,
    /// The date examples are linted on (for date rules), as YYYY-MM-DD.
    #[serde(default)]
    pub today: Option<Spanned<String>>,
}

/// A shared term list, `rules/lists/NAME.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ListSpec {
    #[serde(default)]
    pub description: Option<String>,
    pub terms: Vec<String>,
}
