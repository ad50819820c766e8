//! The pages of a site that policies are compared with (`--site`, `site:`): found
//! like policy files, read, and scanned once for the services they load.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::document::Format;
use crate::document::source::decode;
use crate::practice::{Detector, PageScan, Site};
use crate::walk::collect;

/// Scans the HTML pages in `paths` (files, or folders walked for `.html` and `.htm`).
/// A path that does not exist, a file that is not HTML, a folder without pages or a
/// page that cannot be read is an error that names it.
pub fn scan_site(paths: &[PathBuf], detector: &Detector) -> miette::Result<Site> {
    let mut pages = Vec::new();
    for found in collect(paths) {
        let input = found.map_err(|e| {
            miette::miette!(
                help = "give --site the site's built pages or saved HTML pages (a folder is searched for .html and .htm files)",
                "site page {}: {}",
                e.path.display(),
                e.message
            )
        })?;
        if input.format == Format::Html {
            pages.push(input.path);
        } else if paths.contains(&input.path) {
            return Err(miette::miette!(
                help = "--site takes HTML pages (.html, .htm); lint a policy in another format as usual and give its site's pages here",
                "site page {}: not an HTML page",
                input.path.display()
            ));
        }
    }
    if pages.is_empty() {
        return Err(miette::miette!(
            help = "give --site the site's built pages or saved HTML pages",
            "no HTML pages in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let pages: Vec<PageScan> = pages
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| {
                miette::miette!("site page {}: cannot read it: {e}", path.display())
            })?;
            let source = decode(bytes, Format::Html)
                .map_err(|e| miette::miette!("site page {}: {e}", path.display()))?;
            // Shown as a linted file's path is, so a page that is also linted is
            // recognised as the same file.
            Ok(detector.scan(&path.display().to_string(), &source.text))
        })
        .collect::<miette::Result<_>>()?;
    Ok(Site { pages })
}
