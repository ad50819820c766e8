//! policylint: a rule-based compliance linter for privacy policies.

pub mod baseline;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod fingerprint;
mod gaps;
pub mod matcher;
pub mod prefilter;
pub mod rules;
mod snippet;
pub mod span;

pub use diagnostic::{Diagnostic, FileReport, Severity, Status};
pub use document::{Document, Format};
pub use engine::Linter;
pub use rules::{RuleError, RuleSet};
pub mod examples;
pub mod fixtures;
pub mod input;
pub mod linters;
pub mod lsp;
pub mod metrics;
pub mod plan;
pub mod report;
pub mod walk;
