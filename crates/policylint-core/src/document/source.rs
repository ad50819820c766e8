//! Turning a file's bytes into text, and text offsets back into file bytes.
//!
//! UTF-8 is read as is. UTF-16 with a byte order mark, a `<meta charset>` in HTML, and
//! a Windows-1252 fallback for HTML that is not UTF-8 are decoded; reported offsets
//! then still point at the bytes of the original file.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use regex::bytes::Regex;

use super::Format;

/// A run of characters that each take `text_unit` bytes of text and `file_unit`
/// bytes of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    text_start: usize,
    file_start: usize,
    text_unit: usize,
    file_unit: usize,
}

/// The decoded text of a policy file.
#[derive(Clone, Debug, Default)]
pub struct SourceText {
    pub text: String,
    /// Empty when the text is the file's bytes (UTF-8).
    runs: Vec<Run>,
    /// The encoding, when the file was not UTF-8.
    pub decoded_from: Option<&'static str>,
    /// Said about the decoding to the user (an info finding).
    pub note: Option<String>,
}

impl SourceText {
    pub fn utf8(text: String) -> SourceText {
        SourceText {
            text,
            ..SourceText::default()
        }
    }

    /// The byte offset in the original file of a text offset.
    pub fn file_offset(&self, text_offset: usize) -> usize {
        if self.runs.is_empty() {
            return text_offset;
        }
        let i = self
            .runs
            .partition_point(|r| r.text_start <= text_offset)
            .saturating_sub(1);
        let run = self.runs[i];
        let chars = (text_offset.saturating_sub(run.text_start)) / run.text_unit;
        run.file_start + chars * run.file_unit
    }
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.-]+)"#).expect("valid regex")
});

/// How many bytes of an HTML file are searched for `<meta charset>` (as browsers do).
const PRESCAN_BYTES: usize = 1024;

/// Decodes a file's bytes for `format`, or says why it is not a readable policy.
pub fn decode(bytes: Vec<u8>, format: Format) -> Result<SourceText, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(decode_with(UTF_16LE, rest, 2, None));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(decode_with(UTF_16BE, rest, 2, None));
    }
    if bytes.contains(&0) {
        return Err("binary file (it contains NUL bytes): not a policy text".into());
    }
    let declared = (format == Format::Html && !bytes.starts_with(&[0xEF, 0xBB, 0xBF]))
        .then(|| declared_encoding(&bytes))
        .flatten();
    if let Some(encoding) = declared
        && encoding != encoding_rs::UTF_8
        && encoding != UTF_16LE
        && encoding != UTF_16BE
    {
        return Ok(decode_with(encoding, &bytes, 0, None));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::utf8(text)),
        Err(e) if format == Format::Html => {
            let at = e.utf8_error().valid_up_to();
            let note = if declared.is_some() {
                format!(
                    "declared UTF-8 but not valid UTF-8 (byte {at}): read as Windows-1252; save the page as UTF-8"
                )
            } else {
                format!(
                    "not valid UTF-8 (byte {at}) and no other encoding declared: read as Windows-1252; declare the encoding with <meta charset>"
                )
            };
            Ok(decode_with(WINDOWS_1252, e.as_bytes(), 0, Some(note)))
        }
        Err(e) => Err(format!(
            "not valid UTF-8 (first bad byte at offset {}): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )),
    }
}

fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let label = META_CHARSET.captures(head)?.get(1)?.as_bytes();
    Encoding::for_label(label)
}

/// Decodes byte by byte so that every character knows the bytes it came from.
fn decode_with(
    encoding: &'static Encoding,
    bytes: &[u8],
    skipped: usize,
    note: Option<String>,
) -> SourceText {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut runs: Vec<Run> = Vec::new();
    let mut char_file_start = 0;
    let mut buffer = String::with_capacity(16);
    for i in 0..=bytes.len() {
        let last = i == bytes.len();
        let input = if last { &[][..] } else { &bytes[i..i + 1] };
        buffer.clear();
        let (_, _, _) = decoder.decode_to_string(input, &mut buffer, last);
        if buffer.is_empty() {
            continue;
        }
        // All characters produced now end at byte i (inclusive); the first takes the
        // bytes since the previous output, the others (rare) take none.
        let file_end = if last { bytes.len() } else { i + 1 };
        for (n, c) in buffer.chars().enumerate() {
            let file_len = if n == 0 {
                file_end - char_file_start
            } else {
                0
            };
            let text_start = text.len();
            text.push(c);
            let (text_unit, file_unit) = (c.len_utf8(), file_len);
            match runs.last_mut() {
                Some(run)
                    if run.text_unit == text_unit
                        && run.file_unit == file_unit
                        && file_unit > 0 => {}
                _ => runs.push(Run {
                    text_start,
                    file_start: skipped + char_file_start,
                    text_unit,
                    file_unit: file_unit.max(1),
                }),
            }
            if n == 0 {
                char_file_start = file_end;
            }
        }
    }
    SourceText {
        text,
        runs,
        decoded_from: Some(encoding.name()),
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_as_is() {
        let s = decode("a’b".as_bytes().to_vec(), Format::Text).unwrap();
        assert_eq!(s.text, "a’b");
        assert_eq!(s.file_offset(4), 4);
        assert!(s.note.is_none());
    }

    #[test]
    fn utf16_with_bom_maps_back_to_file_bytes() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hé’x".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let s = decode(bytes, Format::Text).unwrap();
        assert_eq!(s.text, "Hé’x");
        assert_eq!(s.file_offset(0), 2);
        assert_eq!(s.file_offset(1), 4); // é
        assert_eq!(s.file_offset(3), 6); // ’
        assert_eq!(s.file_offset(6), 8); // x
        assert_eq!(s.file_offset(7), 10); // end
    }

    #[test]
    fn html_falls_back_to_windows_1252_with_a_note() {
        let bytes = b"<p>Caf\xe9 \x93quoted\x94 ok</p>".to_vec();
        let s = decode(bytes, Format::Html).unwrap();
        assert_eq!(s.text, "<p>Café “quoted” ok</p>");
        assert!(s.note.as_deref().unwrap().contains("Windows-1252"));
        let ok = s.text.find("ok").unwrap();
        assert_eq!(s.file_offset(ok), 17);
        assert_eq!(s.file_offset(s.text.find('é').unwrap()), 6);
    }

    #[test]
    fn html_meta_charset_is_honoured_without_a_note() {
        let bytes = b"<meta charset=\"iso-8859-1\"><p>Caf\xe9</p>".to_vec();
        let s = decode(bytes, Format::Html).unwrap();
        assert!(s.text.ends_with("Café</p>"));
        assert_eq!(s.decoded_from, Some("windows-1252"));
        assert!(s.note.is_none());
    }

    #[test]
    fn text_that_is_not_utf8_or_has_nul_is_refused() {
        assert!(
            decode(b"Caf\xe9".to_vec(), Format::Text)
                .unwrap_err()
                .contains("offset 3")
        );
        assert!(
            decode(b"a\0b".to_vec(), Format::Markdown)
                .unwrap_err()
                .contains("binary")
        );
    }
}
