//! The YAML shape of a rule file. Every type denies unknown keys, so a typo is an
//! error at load time, with its line and column.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::services::Category;

use crate::diagnostic::{ReferenceKind, Severity};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    pub title: String,
    pub severity: Severity,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub references: Vec<ReferenceSpec>,
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
    pub metrics: Vec<Spanned<MetricSpec>>,
    /// Each third-party service the site loads must be named in the policy.
    #[serde(default)]
    pub services: Option<Spanned<ServicesSpec>>,
    /// Rules asking for the same statement (`core/retention-period`): a gap both
    /// find is one finding, this rule's.
    #[serde(default)]
    pub supersedes: Vec<Spanned<String>>,
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

/// One matcher. Exactly one of its kinds ([`MatcherSpec::kinds`]) is set; `scope`,
/// `unless` and `message` are allowed only where the loader says so. A new kind of
/// match is a field here, its entry in `kinds`, its arm in the compiler
/// (`rules/compile.rs`) and its evaluation (`matcher/mod.rs`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MatcherSpec {
    /// Only at the top of `when`: the rule applies when this fact is true.
    #[serde(default)]
    pub fact: Option<Spanned<String>>,
    /// Only at the top of `when`: the rule applies when the site loads a service of
    /// one of these categories.
    #[serde(default)]
    pub site_loads: Option<Spanned<Vec<Category>>>,
    /// Only beside `site-loads`: the rule also applies when this matches the text.
    #[serde(default)]
    pub or: Option<Box<Spanned<MatcherSpec>>>,
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
    pub at_least: Option<Spanned<AtLeastSpec>>,
    #[serde(default)]
    pub not: Option<Box<Spanned<MatcherSpec>>>,
    #[serde(default)]
    pub near: Option<Spanned<NearSpec>>,
}

impl MatcherSpec {
    /// Each kind of match by its YAML keyword, and whether this matcher uses it.
    pub fn kinds(&self) -> [(&'static str, bool); 7] {
        [
            ("pattern", self.pattern.is_some()),
            ("terms", self.terms.is_some()),
            ("all", self.all.is_some()),
            ("any", self.any.is_some()),
            ("at-least", self.at_least.is_some()),
            ("not", self.not.is_some()),
            ("near", self.near.is_some()),
        ]
    }
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

/// `at-least: {n: 2, of: [...]}`: matches where `n` of the matchers do.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AtLeastSpec {
    pub n: u32,
    pub of: Vec<Spanned<MatcherSpec>>,
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

/// One entry of `references`: a citation alone, or a mapping that also says what
/// kind of authority it is and where to read it.
#[derive(Debug)]
pub enum ReferenceSpec {
    Plain(String),
    Detailed(DetailedReference),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DetailedReference {
    pub cite: String,
    #[serde(default)]
    pub kind: Option<ReferenceKind>,
    #[serde(default)]
    pub url: Option<String>,
}

// By hand rather than `untagged`, so that a mistake inside the mapping (an unknown
// key, a bad kind) is reported as itself, with its line, not as "no variant matched".
impl<'de> Deserialize<'de> for ReferenceSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ReferenceSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a citation, or a mapping with `cite`, `kind` and `url`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ReferenceSpec, E> {
                Ok(ReferenceSpec::Plain(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ReferenceSpec, A::Error> {
                DetailedReference::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ReferenceSpec::Detailed)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A pack's `pack.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackSpec {
    pub version: String,
    pub description: String,
    /// How a reader names the law ("GDPR"); the folder name when absent.
    #[serde(default)]
    pub title: Option<String>,
}

/// A fact about the service, `rules/facts/NAME.yaml`: declared by the user, or else
/// inferred from the text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FactSpec {
    pub description: String,
    /// The text that makes the fact count as true when it is not declared.
    pub infer: Spanned<MatcherSpec>,
    /// Said when the fact is inferred true: "transfers outside the EEA are mentioned".
    pub if_yes: String,
    /// Said when it is inferred false: "no transfers outside the EEA are mentioned".
    pub if_no: String,
    /// The text that makes the fact count as false. Without it, a text that does not
    /// match `infer` makes the fact false; with it, a text that matches neither
    /// leaves the fact unknown, and rules that depend on it apply.
    #[serde(default)]
    pub infer_no: Option<Spanned<MatcherSpec>>,
    /// Said when the text settles neither way (required with `infer-no`): "the policy
    /// does not say whether personal information is sold or shared".
    #[serde(default)]
    pub if_unknown: Option<String>,
}

/// `services:` in a rule: each service the site loads must be named by the policy.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServicesSpec {
    /// The severity of an unnamed service of a category; others take the rule's.
    #[serde(default)]
    pub severity: BTreeMap<Category, Severity>,
    /// The severity of an unnamed service the catalogue marks `disclosure: optional`.
    #[serde(default)]
    pub optional: Option<Severity>,
}

/// A measure of the text with a limit (`metrics:` in a rule).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MetricSpec {
    pub measure: Measure,
    /// The finding is reported above this value.
    pub max: f64,
    /// For `term-density`: the terms counted.
    #[serde(default)]
    pub terms: Option<Spanned<TermsSpec>>,
    /// Replaces the rule's message for this metric.
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// The Flesch–Kincaid grade level of the whole text.
    FleschKincaidGrade,
    /// Words in a sentence: reported once, at the longest sentence over the limit.
    SentenceWords,
    /// Matches of `terms` per 100 words of the whole text.
    TermDensity,
}

/// A shared term list, `rules/lists/NAME.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ListSpec {
    #[serde(default)]
    pub description: Option<String>,
    pub terms: Vec<String>,
}
