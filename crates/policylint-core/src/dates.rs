//! Dates as policies write them. One grammar serves both the `{date}` macro (finding a
//! date) and [`parse`] (reading it), so what is found can always be read.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::{Captures, Regex};

/// How to read an all-numeric date with slashes such as 04/02/2021.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum DateOrder {
    /// 12/23/2014 is December 23 (US usage, the default).
    #[default]
    MonthDay,
    /// 23/12/2014 is December 23.
    DayMonth,
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const DAY: &str = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?";
const YEAR: &str = r"(?:19|20)[0-9]{2}";

/// The regex source of the `{date}` macro, without named groups.
pub fn pattern() -> String {
    format!(
        r"(?:{MONTH}\s+{DAY},?\s+{YEAR}|{DAY}(?:\s+of)?\s+{MONTH},?\s+{YEAR}|{MONTH},?\s+{YEAR}|{YEAR}[-/][0-9]{{1,2}}[-/][0-9]{{1,2}}|{DAY}-{MONTH}-(?:{YEAR}|[0-9]{{2}})|[0-9]{{1,2}}[./][0-9]{{1,2}}[./](?:{YEAR}|[0-9]{{2}}))"
    )
}

static PARSER: LazyLock<Regex> = LazyLock::new(|| {
    let named = format!(
        r"(?ix)^(?:
            (?P<m1>{MONTH})\s+(?P<d1>{DAY}),?\s+(?P<y1>{YEAR})
          | (?P<d2>{DAY})(?:\s+of)?\s+(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR})
          | (?P<m3>{MONTH}),?\s+(?P<y3>{YEAR})
          | (?P<y4>{YEAR})[-/](?P<m4>[0-9]{{1,2}})[-/](?P<d4>[0-9]{{1,2}})
          | (?P<d5>{DAY})-(?P<m5>{MONTH})-(?P<y5>{YEAR}|[0-9]{{2}})
          | (?P<a6>[0-9]{{1,2}})(?P<sep6>[./])(?P<b6>[0-9]{{1,2}})[./](?P<y6>{YEAR}|[0-9]{{2}})
        )$"
    );
    // Invariant: built from constant parts.
    Regex::new(&named).expect("valid date regex")
});

fn month_number(name: &str) -> Option<i8> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let n = match lower.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn number(text: &str) -> Option<i16> {
    text.trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()
}

fn year(text: &str) -> Option<i16> {
    let y = number(text)?;
    // Two-digit years: 00-69 are 2000s, 70-99 are 1900s.
    Some(match (text.len(), y) {
        (2, 0..=69) => 2000 + y,
        (2, _) => 1900 + y,
        _ => y,
    })
}

/// Reads a date matched by [`pattern`]. A month and year alone mean the first day.
pub fn parse(text: &str, order: DateOrder) -> Option<Date> {
    let caps = PARSER.captures(text.trim())?;
    let get = |name: &str| caps.name(name).map(|m| m.as_str());
    let (y, m, d) = if let Some(y) = get("y1") {
        (year(y)?, month_number(get("m1")?)?, number(get("d1")?)?)
    } else if let Some(y) = get("y2") {
        (year(y)?, month_number(get("m2")?)?, number(get("d2")?)?)
    } else if let Some(y) = get("y3") {
        (year(y)?, month_number(get("m3")?)?, 1)
    } else if let Some(y) = get("y4") {
        (year(y)?, number(get("m4")?)? as i8, number(get("d4")?)?)
    } else if let Some(y) = get("y5") {
        (year(y)?, month_number(get("m5")?)?, number(get("d5")?)?)
    } else {
        numeric(&caps, order)?
    };
    Date::new(y, m, i8::try_from(d).ok()?).ok()
}

/// 04.02.2021 is always day first; slashes follow `order`, unless the first number
/// cannot be a month.
fn numeric(caps: &Captures, order: DateOrder) -> Option<(i16, i8, i16)> {
    let a = number(caps.name("a6")?.as_str())?;
    let b = number(caps.name("b6")?.as_str())?;
    let y = year(caps.name("y6")?.as_str())?;
    let day_first = caps.name("sep6")?.as_str() == "." || order == DateOrder::DayMonth || a > 12;
    let (m, d) = if day_first { (b, a) } else { (a, b) };
    Some((y, i8::try_from(m).ok()?, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Option<Date> {
        Some(Date::new(y, m, day).unwrap())
    }

    #[test]
    fn reads_the_formats_policies_use() {
        let md = DateOrder::MonthDay;
        assert_eq!(parse("March 04, 2013", md), d(2013, 3, 4));
        assert_eq!(parse("Dec 1, 2011", md), d(2011, 12, 1));
        assert_eq!(parse("December 1st, 2014", md), d(2014, 12, 1));
        assert_eq!(parse("2021-02-04", md), d(2021, 2, 4));
        assert_eq!(parse("4-Feb-21", md), d(2021, 2, 4));
        assert_eq!(parse("04.02.2021", md), d(2021, 2, 4));
        assert_eq!(parse("12/23/2014", md), d(2014, 12, 23));
        assert_eq!(parse("4 February 2021", md), d(2021, 2, 4));
        assert_eq!(parse("Sept. 5, 2020", md), d(2020, 9, 5));
        assert_eq!(parse("May 2018", md), d(2018, 5, 1));
    }

    #[test]
    fn slash_dates_follow_the_order_setting() {
        assert_eq!(parse("04/02/2021", DateOrder::MonthDay), d(2021, 4, 2));
        assert_eq!(parse("04/02/2021", DateOrder::DayMonth), d(2021, 2, 4));
        assert_eq!(parse("23/12/2014", DateOrder::MonthDay), d(2014, 12, 23));
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(parse("February 30, 2020", DateOrder::MonthDay), None);
        assert_eq!(parse("next week", DateOrder::MonthDay), None);
    }

    #[test]
    fn the_pattern_finds_what_parse_reads() {
        let re = Regex::new(&format!("(?i){}", pattern())).unwrap();
        let text = "Last updated: March 04, 2013 (was 12/23/2014 or 4-Feb-21).";
        let found: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
        assert_eq!(found, vec!["March 04, 2013", "12/23/2014", "4-Feb-21"]);
        for f in found {
            assert!(parse(f, DateOrder::MonthDay).is_some(), "{f}");
        }
    }
}
