//! policylint: a rule-based compliance linter for privacy policies.

pub mod document;
pub mod span;
