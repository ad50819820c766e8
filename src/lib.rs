//! policylint: a rule-based compliance linter for privacy policies. This crate is the
//! command line's library: the configuration file, planning a run (walking folders,
//! gathering notices), baselines, rule fixtures and the language server. The rule
//! engine, the document model and the report formats are `policylint-core`, whose
//! modules are re-exported here under the same names.

pub use policylint_core::{
    Diagnostic, Document, FileReport, Format, Linter, RuleError, RuleSet, Severity, Status, dates,
    diagnostic, document, editing, engine, examples, fingerprint, matcher, metrics, practice,
    prefilter, report, rules, snippet, span,
};

pub mod baseline;
pub mod config;
pub mod fixtures;
pub mod input;
pub mod linters;
pub mod lsp;
pub mod plan;
pub mod site;
pub mod walk;
