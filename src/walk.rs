//! Turning the paths on the command line into the policy files to lint.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::document::Format;

/// A file to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub format: Format,
}

/// A path that yields nothing to lint, with what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub path: PathBuf,
    pub message: String,
}

fn include_set() -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    // Invariant: a constant, valid glob.
    builder.add(Glob::new(Format::include_glob()).expect("valid glob"));
    builder.build().expect("valid glob set")
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// Files named on the command line are linted if their format is known; directories
/// are walked (sorted, hidden entries skipped, symbolic links followed) for files
/// of a format policylint reads ([`Format::include_glob`]). A policy file or folder the walk cannot enter (no
/// permission, a link that loops or leads nowhere) is reported, not skipped.
/// The result keeps the order of `paths`, with each path's problems in its place.
pub fn collect(paths: &[PathBuf]) -> Vec<Result<Input, InputError>> {
    let include = include_set();
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk_dir(path, &include, &mut found);
        } else if path.exists() {
            match Format::from_path(path) {
                Some(format) => found.push(Ok(Input {
                    path: path.clone(),
                    format,
                })),
                None => found.push(Err(InputError {
                    path: path.clone(),
                    message: format!(
                        "unsupported file type: policylint reads {}",
                        Format::supported()
                    ),
                })),
            }
        } else {
            found.push(Err(InputError {
                path: path.clone(),
                message: "no such file or directory".into(),
            }));
        }
    }
    found
}

fn walk_dir(dir: &Path, include: &GlobSet, found: &mut Vec<Result<Input, InputError>>) {
    let before = found.iter().filter(|f| f.is_ok()).count();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir);
                let relative = path.strip_prefix(dir).unwrap_or(path);
                // A broken link named like anything but a policy is not worth a word.
                if e.loop_ancestor().is_some() || path.is_dir() || include.is_match(relative) {
                    found.push(Err(InputError {
                        path: path.to_path_buf(),
                        message: walk_error_message(&e),
                    }));
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if !include.is_match(relative) {
            continue;
        }
        if let Some(format) = Format::from_path(entry.path()) {
            found.push(Ok(Input {
                path: entry.path().to_path_buf(),
                format,
            }));
        }
    }
    if found.iter().filter(|f| f.is_ok()).count() == before {
        found.push(Err(InputError {
            path: dir.to_path_buf(),
            message: format!(
                "no policy files ({}) in this directory",
                Format::supported()
            ),
        }));
    }
}

fn walk_error_message(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!(
            "not walked: a symbolic link that loops back to {}",
            ancestor.display()
        );
    }
    match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "cannot read: a symbolic link to nothing (its target does not exist)".into()
        }
        Some(io) => format!("cannot read: {io}"),
        None => format!("cannot read: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("eu")).unwrap();
        for f in ["b.md", "a.txt", "c.pdf", ".git/x.md", "eu/d.markdown"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let found = collect(&[root.to_path_buf()]);
        let names: Vec<String> = found
            .iter()
            .map(|i| {
                i.as_ref()
                    .unwrap()
                    .path
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, vec!["a.txt", "b.md", "eu/d.markdown"]);
    }
}
