//! The one line of a rule's help that human output shows under a finding: what to
//! do, without the examples and the fine print that `policylint explain` gives.
//!
//! Helps are written as advice, then a worked example ("…, e.g. “We keep …”"),
//! then what counts and what does not; a few start with a sentence of background.
//! The line is the first sentence that gives advice, cut before its example, without
//! examples in parentheses, and cut before a list (after a colon) when still long.

/// Where the worked example of a sentence starts.
const EXAMPLE_STARTS: &[&str] = &[", e.g.", " e.g.", ", for example", " for example"];

/// Words that make a sentence advice rather than background.
const ADVICE_WORDS: &[&str] = &[
    "say", "state", "give", "list", "name", "describe", "explain", "tell", "replace", "write",
    "publish", "review", "must", "should", "ask", "asks", "requires",
];

/// Advice shorter than this leans on the sentence before it ("Say which one.").
const SHORT: usize = 40;

/// A line longer than this is cut before a list, if it has one.
const LONG: usize = 120;

/// The advice of `help`, as one sentence (empty for an empty help).
pub(super) fn help_line(help: &str) -> String {
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentences = sentences(&flat);
    let first = sentences.first().copied().unwrap_or(&flat);
    let advice = sentences
        .iter()
        .find(|s| gives_advice(s))
        .map(|s| cut_before_example(s))
        .filter(|s| s.chars().count() >= SHORT)
        .unwrap_or_else(|| cut_before_example(first));
    let mut advice = without_parentheses(advice, is_example);
    if advice.chars().count() > LONG {
        // An aside of several words; "(DNT)", "(ae)" and "(1)" stay.
        advice = without_parentheses(&advice, |content| content.contains(' '));
    }
    if advice.chars().count() > LONG
        && let Some(at) = advice.find(", such as ")
    {
        advice.truncate(at);
    }
    let list_starts = top_level(&advice)
        .find(|&(_, c, rest)| c == ':' && rest.starts_with(' '))
        .map(|(at, _, _)| at)
        // "say which of these it relies on: …": the list is the advice.
        .filter(|&at| !words(&advice[..at]).any(|w| w == "these" || w == "following"));
    if let Some(at) = list_starts
        && advice.chars().count() > LONG
    {
        advice.truncate(at);
    }
    let advice = advice.trim_end_matches([',', ';', ':', ' ']);
    if advice.is_empty() || advice.ends_with(['.', '!', '?']) {
        advice.to_string()
    } else {
        format!("{advice}.")
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn gives_advice(sentence: &str) -> bool {
    words(sentence).any(|w| ADVICE_WORDS.contains(&w.as_str()))
}

/// The characters of `text` outside parentheses and quotation marks: (offset,
/// character, the text after it).
fn top_level(text: &str) -> impl Iterator<Item = (usize, char, &str)> {
    let mut depth = 0usize;
    let mut quoted = false;
    text.char_indices().filter_map(move |(i, c)| {
        let outside = depth == 0 && !quoted;
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '"' => quoted = !quoted,
            '“' => quoted = true,
            '”' => quoted = false,
            _ => {}
        }
        outside.then(|| (i, c, &text[i + c.len_utf8()..]))
    })
}

/// Whether the word before a period is an abbreviation ("e.g.", "Art.", "Cal.",
/// "C.F.R.") rather than the end of a sentence. An all-capital word ("GDPR.") ends
/// one.
fn abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let capitalised = word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().skip(1).any(char::is_lowercase);
    word.contains('.')
        || (capitalised && letters <= 4)
        || ["etc", "tit", "vs", "cf", "seq"].contains(&word)
}

/// The sentences of `text`: each ends at a full stop outside parentheses and quotes
/// (or a quotation that ends with one) that a capital letter or a quotation follows.
fn sentences(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut previous = ' ';
    for (i, c, rest) in top_level(text) {
        let ends = match c {
            '.' | '?' | '!' => !(c == '.' && abbreviation(&text[start..i])),
            // A quotation that ends the sentence: `… "Contact us."`
            '"' | '”' => matches!(previous, '.' | '?' | '!'),
            _ => false,
        };
        previous = c;
        let next_starts = rest.starts_with(' ')
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_uppercase() || n == '"' || n == '“');
        if ends && next_starts {
            let end = i + c.len_utf8();
            found.push(&text[start..end]);
            start = end + 1;
        }
    }
    if start < text.len() {
        found.push(&text[start..]);
    }
    found
}

/// `sentence` up to its worked example.
fn cut_before_example(sentence: &str) -> &str {
    top_level(sentence)
        .find(|&(i, _, _)| {
            EXAMPLE_STARTS
                .iter()
                .any(|marker| sentence[i..].starts_with(marker))
        })
        .map_or(sentence, |(i, _, _)| &sentence[..i])
}

/// Whether the text in parentheses is an example: a quotation, or "e.g." or "for
/// example" first.
fn is_example(content: &str) -> bool {
    content.starts_with(['"', '“'])
        || content.starts_with("e.g.")
        || content.starts_with("for example")
}

/// `text` without the parentheses whose content `drop` picks.
fn without_parentheses(text: &str, drop: impl Fn(&str) -> bool) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(" (") {
        let inner = &rest[open + 2..];
        let Some(close) = matching_close(inner) else {
            break;
        };
        let upto = open + 2 + close + 1;
        if drop(&inner[..close]) {
            kept.push_str(&rest[..open]);
        } else {
            kept.push_str(&rest[..upto]);
        }
        rest = &rest[upto..];
    }
    kept.push_str(rest);
    kept
}

/// Where the parenthesis that is open at the start of `text` closes.
fn matching_close(text: &str) -> Option<usize> {
    let mut depth = 1usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_the_advice_before_its_example() {
        assert_eq!(
            help_line(
                "Say how people can delete their account, e.g. \"You can delete it under \
                 Settings.\" Closing an account is not enough."
            ),
            "Say how people can delete their account."
        );
        assert_eq!(
            help_line("Name the data protection officer."),
            "Name the data protection officer."
        );
        assert_eq!(help_line("Name the DPO"), "Name the DPO.");
        assert_eq!(help_line("  "), "");
    }

    #[test]
    fn a_sentence_of_background_is_passed_over() {
        let help = "Since the CPRA, the opt-out covers \"sharing\": disclosing data for ads. \
                    A business that shares must say that consumers can opt out of it, e.g. \
                    \"You have the right to opt out.\"";
        assert_eq!(
            help_line(help),
            "A business that shares must say that consumers can opt out of it."
        );
        // Advice too short to stand alone ("Say which one.") leans on the first.
        let help = "Health data may be processed only under a condition of Art. 9(2). Say \
                    which one, e.g. \"with your explicit consent\".";
        assert_eq!(
            help_line(help),
            "Health data may be processed only under a condition of Art. 9(2)."
        );
    }

    #[test]
    fn abbreviations_and_quotations_do_not_end_the_sentence() {
        let help = "Describe the names used in Cal. Civ. Code §1798.140(v)(1) and (ae) and \
                    16 C.F.R. §312.4 for \"identifiers\". Next sentence.";
        assert_eq!(
            help_line(help),
            "Describe the names used in Cal. Civ. Code §1798.140(v)(1) and (ae) and \
             16 C.F.R. §312.4 for \"identifiers\"."
        );
    }

    #[test]
    fn examples_in_parentheses_go_and_a_long_line_stops_before_its_list() {
        let help = "Say how long each kind of data is kept, as a period (\"Logs are deleted \
                    after 30 days\") or as the event that ends it (\"until you close your \
                    account\"), or as criteria the reader can apply: the law that sets it, the \
                    limitation period, or the length of the contract. More.";
        assert_eq!(
            help_line(help),
            "Say how long each kind of data is kept, as a period or as the event that ends it, \
             or as criteria the reader can apply."
        );
        // "which of these": the list is the advice.
        let help = "For each transfer, say which of these it relies on: an adequacy decision, \
                    standard contractual clauses, binding corporate rules, the Data Privacy \
                    Framework, an approved code of conduct or certification.";
        assert_eq!(help_line(help), help);
    }

    #[test]
    fn every_built_in_help_gives_one_balanced_sentence() {
        let rules = crate::rules::RuleSet::load(&crate::rules::builtin_packs(), &[]).unwrap();
        for rule in &rules.rules {
            let Some(help) = &rule.help else { continue };
            let line = help_line(help);
            let count = |c: char| line.matches(c).count();
            assert!(line.ends_with('.'), "{}: {line}", rule.id);
            assert!(line.len() < help.len(), "{}: {line}", rule.id);
            assert!(line.chars().count() <= 320, "{}: {line}", rule.id);
            assert_eq!(count('('), count(')'), "{}: {line}", rule.id);
            assert_eq!(count('"') % 2, 0, "{}: {line}", rule.id);
            assert!(!line.contains("e.g."), "{}: {line}", rule.id);
        }
    }
}
