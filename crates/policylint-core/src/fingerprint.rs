//! A finding's fingerprint: what recognises it when the file changes elsewhere. For a
//! finding at some text, a hash of the rule, the text (case-folded, white space
//! collapsed) and the headings of the sections it is in; for a finding about the
//! whole document (a missing statement, a measure of the whole text), a hash of the
//! rule and what it is about. Baselines record findings by it.

use std::sync::LazyLock;

use regex::Regex;
use sha2::{Digest, Sha256};

/// Hex digits kept of the SHA-256 of a fingerprint's inputs (64 bits).
const FINGERPRINT_HEX_DIGITS: usize = 16;

/// Separates a fingerprint's inputs; it cannot occur in normalised text.
const SEPARATOR: char = '\u{1f}';

/// What a finding is recognised by when the file changes elsewhere.
#[derive(Clone, Copy, Debug)]
pub enum Identity<'a> {
    /// A finding at some text: that text, in the sections (their headings,
    /// outermost first) it is in.
    Text {
        text: &'a str,
        section_path: &'a [&'a str],
    },
    /// A finding about the whole document, of which there is one per rule and
    /// `about` (a missing statement, a measure of the whole text, a note on the file).
    Document { about: &'a str },
}

/// The fingerprint of a finding of `rule`: 16 lowercase hex digits.
pub fn fingerprint(rule: &str, identity: Identity) -> String {
    let mut input = String::from(rule);
    match identity {
        Identity::Text { text, section_path } => {
            input.push(SEPARATOR);
            input.push_str("text");
            for heading in section_path {
                input.push(SEPARATOR);
                input.push_str(&normalise_heading(heading));
            }
            input.push(SEPARATOR);
            input.push_str(&normalise(text));
        }
        Identity::Document { about } => {
            input.push(SEPARATOR);
            input.push_str("document");
            input.push(SEPARATOR);
            input.push_str(about);
        }
    }
    let digest = Sha256::digest(input.as_bytes());
    digest
        .iter()
        .take(FINGERPRINT_HEX_DIGITS / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Text as fingerprints see it: case-folded, every run of white space (and control
/// characters) one space, no space at either end.
pub fn normalise(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A heading as fingerprints see it: normalised, without a leading section number
/// ("3.", "2.1", "(b)", "IV."), since adding a section renumbers the ones after it.
pub fn normalise_heading(heading: &str) -> String {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:(?:\d+|[ivxlc]+|[a-z])[.)]|\((?:\d+|[ivxlc]+|[a-z])\)|\d+)(?:\d+[.)]?)*(?:\s+|$)",
        )
        .expect("the section number pattern is valid")
    });
    let heading = normalise(heading);
    let stripped = NUMBER.replace(&heading, "");
    // A heading that is only a number keeps it.
    if stripped.is_empty() {
        heading
    } else {
        stripped.into_owned()
    }
}
