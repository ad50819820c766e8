//! The little of git that `diff --git` needs, through the `git` program: the
//! repository's top folder, whether a revision exists, which files changed since it,
//! and a file's bytes at it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A git working tree.
pub struct Repo {
    /// The top folder of the working tree (as git names it).
    top: PathBuf,
    /// The current folder, as the top folder is written (to show paths from here).
    here: PathBuf,
}

/// A file that changed since the revision; paths are relative to the top folder.
pub struct Changed {
    /// The path at the revision; `None` for a file that is new.
    pub old: Option<String>,
    /// The path now; `None` for a file that was deleted.
    pub new: Option<String>,
}

/// Runs git in `dir`; an error when git cannot be started at all.
fn git<I, S>(dir: &Path, args: I) -> miette::Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                miette::miette!(
                    help = "install git, or compare two files with `policylint diff OLD NEW`",
                    "git is not installed (or not on the PATH)"
                )
            } else {
                miette::miette!("cannot run git: {e}")
            }
        })
}

/// Git's own explanation of a failure, on one line.
fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Repo {
    /// The working tree that `dir` is in.
    pub fn open(dir: &Path) -> miette::Result<Repo> {
        let output = git(dir, ["rev-parse", "--show-toplevel"])?;
        if !output.status.success() {
            return Err(miette::miette!(
                help = "run the command inside a git repository, or compare two files with `policylint diff OLD NEW`",
                "{} is not in a git repository",
                std::path::absolute(dir)
                    .unwrap_or_else(|_| dir.to_path_buf())
                    .display()
            ));
        }
        let top = String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_string();
        let here = dir
            .canonicalize()
            .map_err(|e| miette::miette!("cannot read {}: {e}", dir.display()))?;
        Ok(Repo {
            top: PathBuf::from(top),
            here,
        })
    }

    /// Checks that `revision` names a commit of the repository.
    pub fn check_revision(&self, revision: &str) -> miette::Result<()> {
        let unknown = || {
            miette::miette!(
                help = "give a commit, branch or tag of this repository, such as HEAD~1 or main (`git log --oneline` lists commits)",
                "`{revision}` is not a revision of the repository in {}",
                self.top.display()
            )
        };
        // A revision that starts with a dash would be read as an option.
        if revision.is_empty() || revision.starts_with('-') {
            return Err(unknown());
        }
        let output = git(
            &self.here,
            [
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{revision}^{{commit}}"),
            ],
        )?;
        if output.status.success() {
            Ok(())
        } else {
            Err(unknown())
        }
    }

    /// The files under `paths` (relative to the current folder) that differ between
    /// `revision` and the working tree, untracked new files included, renames paired.
    pub fn changes(&self, revision: &str, paths: &[PathBuf]) -> miette::Result<Vec<Changed>> {
        let diff = [
            "diff",
            "--name-status",
            "-z",
            "--find-renames",
            "--no-color",
            "--no-ext-diff",
            revision,
            "--",
        ];
        let mut args: Vec<&OsStr> = diff.iter().map(OsStr::new).collect();
        args.extend(paths.iter().map(|p| p.as_os_str()));
        let output = self.run(&args)?;
        let mut changes = parse_name_status(&output.stdout);

        let untracked = [
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
            "-z",
            "--",
        ];
        let mut args: Vec<&OsStr> = untracked.iter().map(OsStr::new).collect();
        args.extend(paths.iter().map(|p| p.as_os_str()));
        let output = self.run(&args)?;
        changes.extend(split_z(&output.stdout).map(|path| Changed {
            old: None,
            new: Some(path),
        }));
        changes.sort_by(|a, b| {
            a.new
                .as_ref()
                .or(a.old.as_ref())
                .cmp(&b.new.as_ref().or(b.old.as_ref()))
        });
        Ok(changes)
    }

    /// The bytes of `path` (relative to the top folder) at `revision`.
    pub fn show(&self, revision: &str, path: &str) -> miette::Result<Vec<u8>> {
        let output = self.run(&[
            OsStr::new("cat-file"),
            OsStr::new("blob"),
            OsStr::new(&format!("{revision}:{path}")),
        ])?;
        Ok(output.stdout)
    }

    /// A path relative to the top folder, as seen from the current folder.
    pub fn local(&self, path: &str) -> PathBuf {
        let full = self.top.join(path);
        match full.strip_prefix(&self.here) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => full,
        }
    }

    /// Runs git in the current folder; its failure is an error that says what git said.
    fn run(&self, args: &[&OsStr]) -> miette::Result<Output> {
        let output = git(&self.here, args)?;
        if !output.status.success() {
            let command: Vec<String> = args.iter().map(|a| a.to_string_lossy().into()).collect();
            return Err(miette::miette!(
                "git {} failed: {}",
                command.join(" "),
                said(&output)
            ));
        }
        Ok(output)
    }
}

/// The NUL-separated names of `git ... -z`.
fn split_z(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
}

/// `git diff --name-status -z`: a status letter (with a score for renames and
/// copies), then one path, or two for a rename or copy.
fn parse_name_status(bytes: &[u8]) -> Vec<Changed> {
    let mut fields = split_z(bytes);
    let mut changes = Vec::new();
    while let Some(status) = fields.next() {
        let Some(first) = fields.next() else { break };
        let change = match status.chars().next() {
            Some('A') => Changed {
                old: None,
                new: Some(first),
            },
            Some('D') => Changed {
                old: Some(first),
                new: None,
            },
            Some('R') => Changed {
                old: Some(first),
                new: fields.next(),
            },
            // A copy is a new file with the text of another.
            Some('C') => Changed {
                old: None,
                new: fields.next(),
            },
            _ => Changed {
                old: Some(first.clone()),
                new: Some(first),
            },
        };
        changes.push(change);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_status_pairs_renames_and_reads_copies_as_new_files() {
        let out = b"M\0a.md\0R087\0old.md\0new.md\0D\0gone.md\0C100\0a.md\0copy.md\0A\0added.md\0";
        let pairs: Vec<(Option<String>, Option<String>)> = parse_name_status(out)
            .into_iter()
            .map(|c| (c.old, c.new))
            .collect();
        let s = |t: &str| Some(t.to_string());
        assert_eq!(
            pairs,
            vec![
                (s("a.md"), s("a.md")),
                (s("old.md"), s("new.md")),
                (s("gone.md"), None),
                (None, s("copy.md")),
                (None, s("added.md")),
            ]
        );
    }
}
