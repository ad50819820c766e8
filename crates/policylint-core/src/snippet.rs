//! The source text shown under an error, kept readable: a line far longer than a
//! screen is cut, so that a mistake in a 10 MB line prints a few hundred characters,
//! not the line (miette prints whole lines).

/// Lines longer than this many bytes are cut...
const LONG_LINE: usize = 400;
/// ...to about this many.
const KEPT: usize = 200;
/// Messages longer than this (quoting a huge value or pattern) are cut.
const LONG_TEXT: usize = 1000;

/// `text` with long lines cut, and the byte range `start..start + len` moved into it.
/// Line numbers stay right; a span that starts past a cut points at the cut.
pub fn readable(text: &str, start: usize, len: usize) -> (String, usize, usize) {
    let (start, end) = (
        start.min(text.len()),
        start.saturating_add(len).min(text.len()),
    );
    if text.len() <= LONG_LINE {
        return (text.to_string(), start, end - start);
    }
    let mut out = String::new();
    let (mut new_start, mut new_end) = (None, None);
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let kept = if body.len() > LONG_LINE {
            floor_boundary(body, KEPT)
        } else {
            body.len()
        };
        // Where an offset of this line lands in the output.
        let place = |offset: usize| out.len() + (offset - at).min(kept);
        if new_start.is_none() && start < at + line.len() {
            new_start = Some(place(start));
        }
        if new_end.is_none() && end < at + line.len() {
            new_end = Some(place(end).max(new_start.unwrap_or(0)));
        }
        if kept < body.len() {
            out.push_str(&body[..kept]);
            out.push('…');
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
        at += line.len();
    }
    let new_start = new_start.unwrap_or(out.len());
    let new_end = new_end.unwrap_or(out.len()).max(new_start);
    (out, new_start, new_end - new_start)
}

/// A message, label or help that quotes a huge input, cut in the middle: its start
/// and its end (which usually says what to do) are kept.
pub fn readable_text(text: String) -> String {
    if text.len() <= LONG_TEXT {
        return text;
    }
    let head = floor_boundary(&text, KEPT);
    let mut tail = text.len() - KEPT;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{} … {}", &text[..head], &text[tail..])
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_shown_as_it_is() {
        assert_eq!(readable("a: b\n", 3, 1), ("a: b\n".to_string(), 3, 1));
        assert_eq!(readable("a", 5, 5), ("a".to_string(), 1, 0));
    }

    #[test]
    fn a_long_line_is_cut_and_later_spans_move_with_it() {
        let text = format!("key: 'x{}'\nnext: é\n", "y".repeat(10_000));
        let (shown, start, len) = readable(&text, 5, 3);
        assert!(shown.len() < 300, "{}", shown.len());
        assert_eq!(&shown[start..start + len], "'xy");
        assert!(shown.ends_with("…\nnext: é\n"));
        let next = text.find("é").unwrap();
        let (shown, start, len) = readable(&text, next, 2);
        assert_eq!(&shown[start..start + len], "é");
        // A span that starts past the cut points at the cut.
        let (shown, start, _) = readable(&text, 9_000, 5);
        assert!(shown[start..].starts_with('…'));
    }

    #[test]
    fn a_long_message_keeps_its_start_and_end() {
        let message = format!(
            "`{}` is not a date; write it as YYYY-MM-DD",
            "9".repeat(5000)
        );
        let shown = readable_text(message);
        assert!(shown.len() < 500, "{}", shown.len());
        assert!(shown.starts_with("`999") && shown.contains(" … "));
        assert!(shown.ends_with("is not a date; write it as YYYY-MM-DD"));
        assert_eq!(readable_text("short".into()), "short");
    }
}
