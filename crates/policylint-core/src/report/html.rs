//! The compliance report as one self-contained HTML page: the JSON contract (the
//! same bytes as `--format json`) and the rules' metadata embedded as data, drawn
//! by the page's own script and style sheet. The page loads nothing: it opens from
//! disk, offline.

use std::io::{self, Write};

use super::matrix::{Matrix, PageCatalog};
use super::{Summary, json};
use crate::diagnostic::FileReport;
use crate::rules::Catalog;

const STYLE: &str = include_str!("assets/report.css");
const SCRIPT: &str = include_str!("assets/report.js");
const PAGE: &str = include_str!("assets/report.html");

/// The id of the element holding the JSON contract.
pub const DATA_ID: &str = "policylint-data";
/// The id of the element holding the laws and the rules' metadata.
pub const CATALOG_ID: &str = "policylint-catalog";

pub fn write(reports: &[FileReport], catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    let mut contract = Vec::new();
    json::write(reports, catalog, &Summary::of(reports), &mut contract)?;
    let contract = String::from_utf8(contract).map_err(io::Error::other)?;
    let matrix = Matrix::new(reports, catalog);
    let page_catalog = serde_json::to_string(&PageCatalog::of(&matrix))?;

    let title = match reports {
        [one] => format!("Compliance report: {}", one.path),
        _ => format!("Compliance report: {} policies", reports.len()),
    };
    let page = PAGE
        .replace("{{title}}", &escape_text(&title))
        .replace("{{style}}", STYLE)
        .replace("{{data_id}}", DATA_ID)
        .replace("{{catalog_id}}", CATALOG_ID);
    // The data goes in last, so that nothing in it is taken for a placeholder.
    let (before, after) = page
        .split_once("{{data}}")
        .expect("the page template has a data placeholder");
    let (middle, after) = after
        .split_once("{{catalog}}")
        .expect("the page template has a catalog placeholder");
    let (middle2, after) = after
        .split_once("{{script}}")
        .expect("the page template has a script placeholder");
    out.write_all(before.as_bytes())?;
    out.write_all(script_data(&contract).as_bytes())?;
    out.write_all(middle.as_bytes())?;
    out.write_all(script_data(&page_catalog).as_bytes())?;
    out.write_all(middle2.as_bytes())?;
    out.write_all(SCRIPT.as_bytes())?;
    out.write_all(after.as_bytes())
}

/// JSON made safe inside a `<script>` element: `</` (which could end the element)
/// and `<!` (which could start a comment) are written with a JSON escape, `<\/`
/// and `<\u0021`, which parse to the same text. Both only occur inside strings.
pub fn script_data(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!", "<\\u0021")
}

/// The JSON text again from [`script_data`] (what a test or a tool reading the page
/// does to get the contract's exact bytes).
pub fn unescape_script_data(text: &str) -> String {
    text.replace("<\\/", "</").replace("<\\u0021", "<!")
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_data_cannot_end_the_script_element_and_reads_back() {
        let json = r#"{"text":"a </script> b <!-- c --> \\/ d"}"#;
        let safe = script_data(json);
        assert!(!safe.contains("</") && !safe.contains("<!"), "{safe}");
        assert_eq!(unescape_script_data(&safe), json);
        let parsed: serde_json::Value = serde_json::from_str(&safe).unwrap();
        let original: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(parsed, original);
    }
}
