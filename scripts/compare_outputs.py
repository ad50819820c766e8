#!/usr/bin/env python3
"""Check that two policylint binaries write byte-identical output on a corpus.

Use it around a refactoring that must not change any output: build the binary
from the commit before the change, then compare it with the current build.

    git worktree add /tmp/old REV
    cargo build --release --manifest-path /tmp/old/Cargo.toml
    cargo build --release
    scripts/compare_outputs.py --before /tmp/old/target/release/policylint \\
        --after target/release/policylint ../shared/corpus
    scripts/compare_outputs.py ... ../shared/corpus --sample 10    # quick check
    scripts/compare_outputs.py ... ../shared/corpus --formats json,sarif

CORPUS_DIR holds one folder per corpus (opp115/, goppc150/, gt200/, c3pa/, ...);
every file with an extension policylint lints is taken from it, recursively.
Both binaries get the same arguments:

    policylint lint --no-config --pack core,gdpr,ccpa,caloppa,coppa
        --today 2026-11-23 --format FMT PATH...

with NO_COLOR=1: once per file and format, then once per corpus and format with
all the corpus's files in one process (multi-file output: SARIF runs, JSON
documents, the streamed JSON Lines). Standard output and exit codes must match;
standard error is compared too and its differences are listed apart.

Every run loads all five packs, which takes most of a second, so a full run is
long (one process per file, format and binary). `--fast` writes all formats of a
file from one process (one to standard output, the others through `--output`),
which is several times quicker; the per-corpus runs still write each format
alone, to standard output, so every writing path is exercised. On two cores and
the 682 files of the shared corpus, `--fast` takes about 45 minutes, one process
per format about 3 hours, `--sample 10` about 5 and 20 minutes.

`--sample N` takes N files per corpus (sorted, every k-th), the same ones each
time. Exit status: 0 all identical, 1 something differs, 2 bad usage.
"""

import argparse
import concurrent.futures
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXTENSIONS = {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".docx"}
FORMATS = ["human", "short", "json", "jsonl", "sarif", "github", "junit"]
LINT = ["lint", "--no-config", "--pack", "core,gdpr,ccpa,caloppa,coppa", "--today", "2026-11-23"]
ENV = dict(os.environ, NO_COLOR="1")
TIMEOUT = 1800  # seconds for one process
SHOWN = 3  # differences shown in full per format
DIFF_LINES = 40
LINE_CHARS = 300  # longer diff lines are cut


def collect(corpus_dir, sample):
    """{corpus name: sorted policy files} for each folder of corpus_dir."""
    corpora = {}
    for folder in sorted(p for p in corpus_dir.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.rglob("*") if p.is_file()
                       and p.suffix.lower() in EXTENSIONS
                       and not p.name.upper().startswith("README"))
        if sample and len(files) > sample:
            files = files[::len(files) // sample][:sample]
        if files:
            corpora[folder.name] = files
    return corpora


def run(binary, formats, paths, outdir):
    """Lint paths; returns ({format: output}, exit code, stderr).
    The first format goes to standard output, the others to files in outdir."""
    os.mkdir(outdir)
    cmd = [binary, *LINT]
    for fmt in formats[1:]:
        cmd += ["--format", fmt, "--output", os.path.join(outdir, fmt)]
    cmd += ["--format", formats[0]]  # the n-th --output goes with the n-th --format
    try:
        proc = subprocess.run(cmd + [str(p) for p in paths], capture_output=True,
                              env=ENV, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {fmt: b"" for fmt in formats}, f"timeout after {TIMEOUT} s", b""
    outputs = {formats[0]: proc.stdout}
    for fmt in formats[1:]:
        out = Path(outdir, fmt)
        outputs[fmt] = out.read_bytes() if out.exists() else b"(no output file)\n"
    return outputs, proc.returncode, proc.stderr.replace(outdir.encode(), b"OUTDIR")


def compare(job, before, after):
    label, formats, paths = job
    with tempfile.TemporaryDirectory(prefix="compare-outputs-") as tmp:
        # The same output folder name for both, as it may appear in messages.
        old = run(before, formats, paths, os.path.join(tmp, "out"))
        shutil.rmtree(os.path.join(tmp, "out"))
        new = run(after, formats, paths, os.path.join(tmp, "out"))
    return label, formats, old, new


def show_diff(label, fmt, old, new, old_rc, new_rc):
    print(f"\n=== {fmt}: {label}")
    if old_rc != new_rc:
        print(f"exit code {old_rc} before, {new_rc} after")
    if old == new:
        return
    lines = list(difflib.unified_diff(
        old.decode(errors="replace").splitlines(keepends=True),
        new.decode(errors="replace").splitlines(keepends=True),
        fromfile="before", tofile="after", n=2))
    for line in lines[:DIFF_LINES]:
        line = line.rstrip("\n")
        print(line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + " [...]")
    if len(lines) > DIFF_LINES:
        print(f"... ({len(lines) - DIFF_LINES} more diff lines)")
    if not lines:
        print("(the outputs differ in bytes that do not show as text)")


def executable(parser, name):
    path = shutil.which(name)
    if path is None:
        parser.error(f"not an executable file: {name}")
    return os.path.abspath(path)


def main():
    parser = argparse.ArgumentParser(
        description="Check that two policylint binaries write identical output on a corpus.")
    parser.add_argument("--before", required=True, help="the binary built before the change")
    parser.add_argument("--after", required=True, help="the binary built after the change")
    parser.add_argument("corpus", metavar="CORPUS_DIR", help="folder with one folder per corpus")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes at once (default: the number of CPUs)")
    parser.add_argument("--sample", type=int, help="only N files per corpus (every k-th)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated (default: {','.join(FORMATS)})")
    parser.add_argument("--fast", action="store_true",
                        help="one process per file for all formats, not one per format")
    args = parser.parse_args()

    before, after = executable(parser, args.before), executable(parser, args.after)
    corpus_dir = Path(args.corpus)
    if not corpus_dir.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        parser.error(f"unknown format {','.join(unknown)}; known: {','.join(FORMATS)}")
    if args.jobs < 1 or (args.sample is not None and args.sample < 1):
        parser.error("--jobs and --sample take a number of at least 1")
    corpora = collect(corpus_dir, args.sample)
    if not corpora:
        parser.error(f"no policy files in the folders of {args.corpus}")

    jobs = []
    singles = [p for files in corpora.values() for p in files]
    for i, path in enumerate(singles):
        label = str(path.relative_to(corpus_dir))
        if args.fast:  # each format in turn goes to standard output
            k = i % len(formats)
            jobs.append((label, formats[k:] + formats[:k], [path]))
        else:
            jobs += [(label, [fmt], [path]) for fmt in formats]
    jobs += [(f"{name}/ (all {len(files)} files in one run)", [fmt], files)
             for name, files in corpora.items() for fmt in formats]
    print(f"{len(singles)} files in {len(corpora)} corpora, {len(jobs)} runs per binary, "
          f"{args.jobs} at once", file=sys.stderr)

    results = [None] * len(jobs)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        # The long multi-file runs (last in the list) start first, not to end alone.
        futures = {pool.submit(compare, jobs[i], before, after): i
                   for i in reversed(range(len(jobs)))}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            results[futures[future]] = future.result()
            if sys.stderr.isatty():
                print(f"\r{done}/{len(jobs)} runs", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)

    counts = {fmt: [0, 0, 0] for fmt in formats}  # compared, identical, different
    shown = {fmt: [] for fmt in formats}
    stderr_diffs = []
    for label, fmts, (old, old_rc, old_err), (new, new_rc, new_err) in results:
        for fmt in fmts:
            same = old[fmt] == new[fmt] and old_rc == new_rc
            counts[fmt][0] += 1
            counts[fmt][1 if same else 2] += 1
            if not same and len(shown[fmt]) < SHOWN:
                shown[fmt].append((label, fmt, old[fmt], new[fmt], old_rc, new_rc))
        if old_err != new_err:
            stderr_diffs.append((label, "+".join(fmts), old_err, new_err, old_rc, new_rc))

    for fmt in formats:
        for diff in shown[fmt]:
            show_diff(*diff)
    for diff in stderr_diffs[:SHOWN]:
        show_diff(diff[0], diff[1] + " (stderr)", *diff[2:])
    if any(shown.values()) or stderr_diffs:
        print()
    batches = len(corpora)
    for fmt in formats:
        compared, same, different = counts[fmt]
        print(f"{fmt:7} {compared - batches} files + {batches} multi-file runs compared: "
              f"{same} identical, {different} different")
    print(f"stderr  {len(results)} runs compared: {len(stderr_diffs)} different")
    identical = not stderr_diffs and all(c[2] == 0 for c in counts.values())
    print("IDENTICAL" if identical else "DIFFERENT")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
