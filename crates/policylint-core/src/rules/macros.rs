//! Named macros (`{email}`, `{duration}`, ...) inside rule patterns, and the ASCII
//! word boundaries every pattern gets.
//!
//! `{name}` cannot collide with regex syntax: a brace followed by a letter is not a
//! valid regex repetition (`{2,5}` is digits), and escapes such as `\p{L}` are copied
//! whole before any brace is looked at.

use crate::dates;

/// The macros and what they expand to. Each expansion is a self-contained regex.
pub fn expansion(name: &str) -> Option<String> {
    let number_word = r"(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|forty-five|fifty|sixty|seventy|eighty|ninety|hundred|a|an)";
    let s = match name {
        "email" => r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}".to_string(),
        "url" => r#"(?:https?://|www\.)[^\s<>()"]*[^\s<>()".,;:!?'’]"#.to_string(),
        "phone" => r"(?:(?:\+?1[\s.-]?)?\(?[0-9]{3}\)?[\s.-][0-9]{3}[\s.-][0-9]{4}|\+[0-9]{1,3}(?:[\s.-]?\(?[0-9]{1,4}\)?){2,5})".to_string(),
        "duration" => format!(
            r"{number_word}(?:\s*\([0-9]+\))?(?:\s+|-)(?:(?:calendar|business|working|full)\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)"
        ),
        "date" => dates::pattern(),
        "postal-address" => r"(?:[0-9]{1,6}\s+(?:[a-z0-9.'-]+\s+){1,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|square|sq|parkway|pkwy|highway|hwy|strasse|straße)(?-u:\b)\.?|p\.?\s?o\.?\s+box\s+[0-9]+|[a-z][a-z.'-]*,\s*[a-z]{2}\.?\s+[0-9]{5}(?:-[0-9]{4})?(?-u:\b)|(?-u:\b)[a-z]{1,2}[0-9][a-z0-9]?\s?[0-9][a-z]{2}(?-u:\b))".to_string(),
        _ => return None,
    };
    Some(s)
}

pub const NAMES: &[&str] = &[
    "date",
    "duration",
    "email",
    "phone",
    "postal-address",
    "url",
];

#[derive(Debug, PartialEq, Eq)]
pub struct UnknownMacro {
    pub name: String,
    /// Byte offset of the `{` in the pattern.
    pub offset: usize,
}

/// Expands macros and turns `\b`/`\B` into their ASCII forms (Unicode word
/// boundaries cost 30-100x on text with any non-ASCII character).
pub fn expand(pattern: &str) -> Result<String, UnknownMacro> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, next)) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match next {
                    'b' => out.push_str("(?-u:\\b)"),
                    'B' => out.push_str("(?-u:\\B)"),
                    // \p{..}, \x{..}, \u{..}: copy the braces with the escape.
                    'p' | 'P' | 'x' | 'u' if chars.peek().is_some_and(|&(_, c)| c == '{') => {
                        out.push('\\');
                        out.push(next);
                        for (_, c) in chars.by_ref() {
                            out.push(c);
                            if c == '}' {
                                break;
                            }
                        }
                    }
                    _ => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '{' if chars.peek().is_some_and(|&(_, c)| c.is_ascii_alphabetic()) => {
                let rest = &pattern[i + 1..];
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(rest.len());
                let name = &rest[..len];
                if !rest[len..].starts_with('}') {
                    return Err(UnknownMacro {
                        name: name.to_string(),
                        offset: i,
                    });
                }
                let Some(expanded) = expansion(name) else {
                    return Err(UnknownMacro {
                        name: name.to_string(),
                        offset: i,
                    });
                };
                out.push_str("(?:");
                out.push_str(&expanded);
                out.push(')');
                // Skip the name and the closing brace.
                for _ in 0..=name.chars().count() {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let re = RegexBuilder::new(&expand(pattern).unwrap())
            .case_insensitive(true)
            .build()
            .unwrap();
        re.find_iter(text).map(|m| m.as_str().to_string()).collect()
    }

    #[test]
    fn macros_do_not_collide_with_regex_syntax() {
        assert_eq!(expand(r"a{2,5}\p{L}").unwrap(), r"a{2,5}\p{L}");
        assert_eq!(expand(r"\{literal\}").unwrap(), r"\{literal\}");
        assert_eq!(
            expand("{nope}"),
            Err(UnknownMacro {
                name: "nope".into(),
                offset: 0
            })
        );
    }

    #[test]
    fn word_boundaries_are_ascii() {
        assert_eq!(expand(r"\bcookie\b").unwrap(), r"(?-u:\b)cookie(?-u:\b)");
    }

    #[test]
    fn macros_find_what_they_name() {
        assert_eq!(
            matches("{email}", "mail privacy@example.co.uk or support-at-put.io"),
            vec!["privacy@example.co.uk"]
        );
        assert_eq!(
            matches("{duration}", "deleted after thirty (30) days or 2 years"),
            vec!["thirty (30) days", "2 years"]
        );
        assert_eq!(
            matches(
                "{phone}",
                "call +1 (555) 010-9999 or 555-010-1234, not 2013"
            ),
            vec!["+1 (555) 010-9999", "555-010-1234"]
        );
        assert_eq!(
            matches("{url}", "see https://example.com/contact."),
            vec!["https://example.com/contact"]
        );
        assert_eq!(
            matches("{postal-address}", "write to 123 Main Street, Springfield"),
            vec!["123 Main Street"]
        );
        assert_eq!(
            matches("{postal-address}", "Acme, P.O. Box 42, Springfield"),
            vec!["P.O. Box 42"]
        );
        assert_eq!(
            matches("{duration}", "seventeen days"),
            vec!["seventeen days"]
        );
    }
}
