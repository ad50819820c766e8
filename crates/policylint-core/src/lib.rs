//! policylint-core: the rule engine of policylint, a compliance linter for privacy
//! policies. It reads a policy (Markdown, plain text, HTML, Word) into a document,
//! runs declarative YAML rules over it and returns each rule's outcome and findings
//! with exact source positions; with the `report` feature it also writes them in the
//! linter's output formats. No command line, no editor protocol: embed it to lint a
//! string.
//!
//! ```
//! use policylint_core::{Format, Linter, RuleSet, Status};
//!
//! // The built-in packs are embedded: no files are needed.
//! let rules = RuleSet::load(&["core".to_string()], &[]).expect("the core pack loads");
//! let linter = Linter::new(rules, "2026-11-23".parse().expect("a date"));
//! let policy = "# Privacy Policy\n\nWe collect your email address to send you our newsletter.\n";
//! let report = linter.lint("policy.md", policy.to_string(), Format::Markdown);
//!
//! let contact = report.rules.iter().find(|o| o.rule == "core/contact").unwrap();
//! assert_eq!(contact.status, Status::Fail);
//! for finding in &report.diagnostics {
//!     let at = finding.span.location.start;
//!     println!("{}:{}: {} {}", at.line, at.column, finding.rule, finding.message);
//! }
//! ```

pub mod dates;
pub mod diagnostic;
pub mod document;
pub mod editing;
pub mod engine;
pub mod examples;
pub mod fingerprint;
mod gaps;
pub mod matcher;
pub mod metrics;
pub mod practice;
pub mod prefilter;
#[cfg(feature = "report")]
pub mod report;
pub mod rules;
pub mod snippet;
pub mod span;
#[cfg(test)]
mod testing;

pub use diagnostic::{Diagnostic, FileReport, Severity, Status};
pub use document::{Document, Format};
pub use engine::Linter;
pub use rules::{RuleError, RuleSet};
