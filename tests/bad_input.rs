//! Bad input through the binary: every case gets a clear message and the documented
//! exit code, the other files are still reported, nothing panics and nothing is
//! written. Big inputs are made here, in a temporary folder, not kept in the repo.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

/// A hang guard, not a speed check: a run that takes this long is stuck.
const HANG_GUARD: Duration = Duration::from_secs(60);

const GOOD: &str = "# Privacy Policy\n\nWe collect your name and email address.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Both streams, for messages that may go to either.
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs policylint in `dir` with no configuration discovery beyond it.
fn run(dir: &Path, args: &[&str]) -> Run {
    run_with_stdin(dir, args, Vec::new())
}

fn run_with_stdin(dir: &Path, args: &[&str], stdin: Vec<u8>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policylint"));
    cmd.current_dir(dir).env("NO_COLOR", "1").args(args);
    let output = assert_cmd::Command::from_std(cmd)
        .timeout(HANG_GUARD)
        .write_stdin(stdin)
        .output()
        .expect("policylint runs");
    let run = Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by the hang guard"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "panic:\n{}", run.stderr);
    run
}

/// Every entry under `dir` (not following links), with its size: to show that a run
/// wrote nothing.
fn listing(dir: &Path) -> BTreeMap<PathBuf, u64> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let meta = entry.path().symlink_metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            }
            found.insert(entry.path(), meta.len());
        }
    }
    found
}

/// A folder holding `good.md` and the given files, and what it held before the run.
struct Case {
    dir: TempDir,
    before: BTreeMap<PathBuf, u64>,
}

impl Case {
    fn new(files: &[(&str, &[u8])]) -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
        for (name, bytes) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        Case::of(dir)
    }

    fn of(dir: TempDir) -> Case {
        let before = listing(dir.path());
        Case { dir, before }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Lints the whole folder.
    fn lint(&self, extra: &[&str]) -> Run {
        let mut args = vec!["lint", "--no-config"];
        args.extend(extra);
        args.push(".");
        self.run(&args)
    }

    fn run(&self, args: &[&str]) -> Run {
        let run = run(self.path(), args);
        assert_eq!(listing(self.path()), self.before, "the run changed files");
        run
    }
}

/// The good file was linted alongside the bad one.
fn assert_good_reported(run: &Run) {
    assert!(
        run.stdout.contains("good.md: "),
        "good.md not reported:\n{}",
        run.stdout
    );
}

/// One file failed with a message that contains `message`, the others were reported,
/// and the run exits 2.
fn assert_not_linted(run: &Run, file: &str, message: &str) {
    let line = run
        .all()
        .lines()
        .find(|l| l.starts_with("error: ") && l.contains(file))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no error for {file}:\n{}", run.all()));
    assert!(line.contains(message), "{line}");
    assert_good_reported(run);
    assert_eq!(run.code, 2, "{}", run.all());
}

#[test]
fn an_empty_file_is_not_linted() {
    let case = Case::new(&[("empty.md", b"")]);
    assert_not_linted(&case.lint(&[]), "empty.md", "the file is empty");
}

#[test]
fn a_binary_file_with_nul_bytes_is_not_linted() {
    let case = Case::new(&[("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")]);
    assert_not_linted(&case.lint(&[]), "image.txt", "binary file");
}

#[test]
fn invalid_utf8_names_the_first_bad_byte() {
    let case = Case::new(&[("latin1.md", b"# Privacy\n\nCaf\xe9 data.\n")]);
    assert_not_linted(
        &case.lint(&[]),
        "latin1.md",
        "not valid UTF-8 (first bad byte at offset 14)",
    );
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded_and_linted() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in GOOD.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let case = Case::new(&[("utf16.md", &bytes)]);
    let run = case.lint(&[]);
    assert!(run.stdout.contains("utf16.md: "), "{}", run.all());
    assert!(!run.all().contains("error: ./utf16.md"), "{}", run.all());
    assert_good_reported(&run);
}

#[test]
fn a_file_over_max_file_size_is_skipped_naming_file_size_and_flag() {
    let big = "We collect data.\n".repeat(100);
    let case = Case::new(&[("big.md", big.as_bytes())]);
    let run = case.lint(&["--max-file-size", "1000"]);
    assert_not_linted(
        &run,
        "big.md",
        "skipped: 1700 bytes, over the size limit of 1000 bytes",
    );
    assert!(run.all().contains("--max-file-size"), "{}", run.all());
    // At the limit it is linted.
    let run = case.lint(&["--max-file-size", "1700"]);
    assert!(run.stdout.contains("big.md: "), "{}", run.all());
    assert_ne!(run.code, 2, "{}", run.all());
}

#[test]
fn the_default_size_limit_skips_a_huge_file_without_reading_it() {
    let case = Case::new(&[]);
    // A sparse file: 200 MB long, no disk used, and never read.
    let file = std::fs::File::create(case.path().join("huge.txt")).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    let case = Case::of(case.dir);
    assert_not_linted(
        &case.lint(&[]),
        "huge.txt",
        "skipped: 209715200 bytes, over the size limit of 104857600 bytes",
    );
}

#[test]
fn standard_input_over_the_size_limit_is_skipped() {
    let case = Case::new(&[]);
    let run = run_with_stdin(
        case.path(),
        &[
            "lint",
            "--no-config",
            "--max-file-size",
            "10",
            "-",
            "good.md",
        ],
        b"# Privacy\n\nWe collect data.\n".to_vec(),
    );
    assert!(
        run.all()
            .contains("error: stdin.md: skipped: 11 bytes, over the size limit of 10 bytes"),
        "{}",
        run.all()
    );
    assert_good_reported(&run);
    assert_eq!(run.code, 2);
}

#[test]
fn a_hundred_thousand_nested_html_elements_are_read() {
    let depth = 100_000;
    let html = format!(
        "{}<p>We collect your name and email address.</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let case = Case::new(&[("nested.html", html.as_bytes())]);
    let run = case.lint(&[]);
    assert!(run.stdout.contains("nested.html: "), "{}", run.all());
    assert!(!run.all().contains("error: ./nested.html"), "{}", run.all());
    assert_good_reported(&run);
    assert_ne!(run.code, 2, "{}", run.all());
}

#[test]
fn deeply_nested_markdown_is_read() {
    let depth = 10_000;
    let quotes = format!("{} We collect data.\n", ">".repeat(depth));
    let lists: String = (0..depth)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let case = Case::new(&[
        ("quotes.md", quotes.as_bytes()),
        ("lists.md", lists.as_bytes()),
    ]);
    let run = case.lint(&[]);
    for file in ["quotes.md", "lists.md"] {
        assert!(run.stdout.contains(&format!("{file}: ")), "{}", run.all());
        assert!(
            !run.all().contains(&format!("error: ./{file}")),
            "{}",
            run.all()
        );
    }
    assert_ne!(run.code, 2, "{}", run.all());
}

#[test]
fn a_million_line_file_is_linted() {
    // Paragraphs of ten lines, mostly short, so the test is about the line count.
    let mut text = String::from("PRIVACY POLICY\n\n");
    for i in 0..1_000_000 {
        text.push_str(match i % 100 {
            99 => "We keep logs.\n",
            n if n % 10 == 9 => "\n",
            _ => "x\n",
        });
    }
    let case = Case::new(&[("long.txt", text.as_bytes())]);
    let run = case.lint(&[]);
    assert!(run.stdout.contains("long.txt: "), "{}", run.all());
    assert!(!run.all().contains("error: ./long.txt"), "{}", run.all());
    assert_ne!(run.code, 2, "{}", run.all());
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_walked_folder_is_reported_and_the_rest_linted() {
    use std::os::unix::fs::symlink;
    let case = Case::new(&[("sub/inner.md", GOOD.as_bytes())]);
    let root = case.path().to_path_buf();
    symlink("self.md", root.join("self.md")).unwrap();
    symlink("b.md", root.join("a.md")).unwrap();
    symlink("a.md", root.join("b.md")).unwrap();
    symlink("..", root.join("sub/up")).unwrap();
    symlink("nowhere.md", root.join("dangling.md")).unwrap();
    symlink("nowhere.png", root.join("dangling.png")).unwrap();
    let case = Case::of(case.dir);
    let run = case.lint(&[]);
    let all = run.all();
    assert!(all.contains("error: ./self.md: cannot read: "), "{all}");
    assert!(all.contains("error: ./a.md: cannot read: "), "{all}");
    assert!(
        all.contains("error: ./sub/up: not walked: a symbolic link that loops back to"),
        "{all}"
    );
    assert!(
        all.contains("error: ./dangling.md: cannot read: a symbolic link to nothing"),
        "{all}"
    );
    // A broken link that is not a policy file is none of policylint's business.
    assert!(!all.contains("dangling.png"), "{all}");
    assert!(run.stdout.contains("./sub/inner.md: "), "{all}");
    assert_good_reported(&run);
    assert_eq!(run.code, 2, "{all}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_in_a_walked_folder_is_reported_and_the_rest_linted() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new(&[("locked.md", GOOD.as_bytes())]);
    let locked = case.path().join("locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&locked).is_ok() {
        // Root reads any file whatever its mode: there is nothing to test.
        println!("skipped: running as a user whom chmod 000 does not stop from reading");
        return;
    }
    let case = Case::of(case.dir);
    let run = case.lint(&[]);
    assert_not_linted(&run, "locked.md", "cannot read: Permission denied");
}

/// A "billion laughs": nine levels of aliases, each repeating the one before ten times.
fn alias_bomb(indent: &str) -> String {
    let mut yaml = format!("{indent}- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        yaml.push_str(&format!("{indent}- &a{i} [{refs}]\n"));
    }
    yaml
}

#[test]
fn an_alias_bomb_in_a_rule_file_is_refused() {
    // `terms` takes a list or a name, so the reader buffers the whole value.
    let rule = format!(
        "title: Bomb\nseverity: error\nmessage: m\nrequire:\n  terms:\n{}",
        alias_bomb("    ")
    );
    let case = Case::new(&[("my-rules/bomb.yaml", rule.as_bytes())]);
    let run = case.run(&["lint", "--no-config", "--rules", "my-rules", "good.md"]);
    assert!(run.stderr.contains("my-rules/bomb.yaml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("too much YAML to read"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 2);
}

#[test]
fn an_alias_bomb_in_the_configuration_is_refused() {
    let config = format!("packs: [core]\nfacts:\n  bomb:\n{}", alias_bomb("    "));
    let case = Case::new(&[("policylint.yaml", config.as_bytes())]);
    let run = case.run(&["lint", "good.md"]);
    assert!(run.stderr.contains("policylint.yaml:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("too much YAML to read"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 2);
}

#[test]
fn a_ten_megabyte_regex_is_refused() {
    let pattern: String = (0..1_000_000).map(|i| format!("w{i:07}|")).collect();
    assert!(pattern.len() >= 9_000_000);
    let rule =
        format!("title: Huge\nseverity: error\nmessage: m\nrequire:\n  pattern: '{pattern}x'\n");
    let case = Case::new(&[("my-rules/huge.yaml", rule.as_bytes())]);
    let run = case.run(&["lint", "--no-config", "--rules", "my-rules", "good.md"]);
    assert!(
        run.stderr.contains("my-rules/huge.yaml:5:12"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("invalid regex in pattern"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("exceeds size limit"), "{}", run.stderr);
    // The snippet under the error is cut, not the 10 MB line.
    assert!(
        run.stderr.len() < 10_000,
        "{} bytes of error",
        run.stderr.len()
    );
    assert_eq!(run.code, 2);
}

#[test]
fn ten_thousand_rules_in_a_folder_load_and_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let rules = dir.path().join("many");
    std::fs::create_dir(&rules).unwrap();
    for i in 0..10_000 {
        let mut file = std::fs::File::create(rules.join(format!("r{i:05}.yaml"))).unwrap();
        write!(
            file,
            "title: Rule {i}\nseverity: info\nmessage: says w{i}\nrequire:\n  terms: [w{i}]\n"
        )
        .unwrap();
    }
    let case = Case::of(dir);
    let run = case.run(&[
        "lint",
        "--no-config",
        "--format",
        "short",
        "--rules",
        "many",
        "good.md",
    ]);
    assert_eq!(
        run.stdout.matches("many/r0").count(),
        10_000,
        "{}",
        &run.all()[..2000]
    );
    // The core pack runs too, and finds errors in the short policy.
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn a_docx_that_is_not_a_zip_is_not_linted() {
    let case = Case::new(&[("draft.docx", b"This is not a Word document.")]);
    assert_not_linted(&case.lint(&[]), "draft.docx", "not a Word document");
}

/// A raw deflate stream that inflates to `len` spaces in about `len / 1032` bytes: one
/// dynamic-Huffman block whose codes are a space, copies of 258 bytes at distance 1
/// (one bit for the length, one for the distance) and the end of the block.
fn deflate_spaces(len: u64) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.push(1, 1); // the last block
    bits.push(0b10, 2); // dynamic Huffman codes
    bits.push(286 - 257, 5); // literal/length codes
    bits.push(0, 5); // one distance code
    bits.push(18 - 4, 4); // code length codes given, in the order below
    // Order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: symbol 18 (a run of zeros)
    // gets one bit, the lengths 1 and 2 two bits each.
    for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits.push(length, 3);
    }
    // Code lengths: ' ' (32) and end of block (256) two bits, length 285 one bit, then
    // distance 0 one bit. Codes: 18 → 0, 1 → 10, 2 → 11.
    let zeros = |bits: &mut BitWriter, n: u32| {
        bits.push_code(0, 1);
        bits.push(n - 11, 7);
    };
    zeros(&mut bits, 32);
    bits.push_code(0b11, 2); // ' ': 2
    zeros(&mut bits, 138);
    zeros(&mut bits, 223 - 138);
    bits.push_code(0b11, 2); // end of block: 2
    zeros(&mut bits, 28);
    bits.push_code(0b10, 2); // 285: 1
    bits.push_code(0b10, 2); // distance 0: 1
    // Canonical codes: 285 → 0, ' ' → 10, end of block → 11; distance 0 → 0.
    bits.push_code(0b10, 2); // the first space
    let mut left = len - 1;
    let copies = left / 258;
    left %= 258;
    // Each copy is two zero bits.
    for _ in 0..copies / 16 {
        bits.push(0, 32);
    }
    bits.push(0, 2 * (copies % 16) as u32);
    for _ in 0..left {
        bits.push_code(0b10, 2);
    }
    bits.push_code(0b11, 2);
    bits.finish()
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    buffer: u64,
    count: u32,
}

impl BitWriter {
    /// Bits least significant first, as deflate stores header fields.
    fn push(&mut self, value: u32, count: u32) {
        self.buffer |= u64::from(value) << self.count;
        self.count += count;
        while self.count >= 8 {
            self.out.push(self.buffer as u8);
            self.buffer >>= 8;
            self.count -= 8;
        }
    }

    /// Huffman codes are stored most significant bit first.
    fn push_code(&mut self, code: u32, count: u32) {
        let reversed = code.reverse_bits() >> (32 - count);
        self.push(reversed, count);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.buffer as u8);
        }
        self.out
    }
}

/// A zip archive holding `word/document.xml` as the given deflate stream, with the
/// uncompressed size and checksum it declares (which a bomb may get wrong).
fn zip_with(deflated: &[u8], declared_size: u32, crc: u32) -> Vec<u8> {
    let name = b"word/document.xml";
    let compressed = u32::try_from(deflated.len()).unwrap();
    let mut zip = Vec::new();
    let header = |zip: &mut Vec<u8>, signature: u32, central: bool| {
        zip.extend(signature.to_le_bytes());
        if central {
            zip.extend(20u16.to_le_bytes()); // made by
        }
        zip.extend(20u16.to_le_bytes()); // needed to extract
        zip.extend(0u16.to_le_bytes()); // flags
        zip.extend(8u16.to_le_bytes()); // deflate
        zip.extend(0u32.to_le_bytes()); // time and date
        zip.extend(crc.to_le_bytes());
        zip.extend(compressed.to_le_bytes());
        zip.extend(declared_size.to_le_bytes());
        zip.extend((name.len() as u16).to_le_bytes());
        zip.extend(0u16.to_le_bytes()); // extra field
        if central {
            zip.extend([0u8; 6]); // comment length, disk, internal attributes
            zip.extend(0u32.to_le_bytes()); // external attributes
            zip.extend(0u32.to_le_bytes()); // offset of the local header
        }
        zip.extend(name);
    };
    header(&mut zip, 0x0403_4b50, false);
    zip.extend(deflated);
    let central_start = zip.len() as u32;
    header(&mut zip, 0x0201_4b50, true);
    let central_len = zip.len() as u32 - central_start;
    zip.extend(0x0605_4b50u32.to_le_bytes());
    zip.extend([0u8; 4]); // disk numbers
    zip.extend(1u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend(central_len.to_le_bytes());
    zip.extend(central_start.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

#[test]
fn a_docx_zip_bomb_is_refused_without_inflating_it() {
    // 3 GB of spaces in about 3 MB.
    let size: u32 = 3 << 30;
    let deflated = deflate_spaces(u64::from(size));
    assert!(deflated.len() < 4_000_000);
    // The checksum is never reached: the reader stops at its limit first.
    let honest = zip_with(&deflated, size, 0);
    let lying = zip_with(&deflated, 1000, 0);
    let case = Case::new(&[("honest.docx", &honest), ("lying.docx", &lying)]);
    let run = case.lint(&[]);
    assert_not_linted(&run, "honest.docx", "over the 64 MB limit");
    assert_not_linted(
        &run,
        "lying.docx",
        "larger than its declared uncompressed size",
    );
}

/// CRC-32 (as zip uses it) of `len` spaces.
fn crc_of_spaces(len: usize) -> u32 {
    let mut crc = !0u32;
    for _ in 0..len {
        crc ^= u32::from(b' ');
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_bomb_builder_makes_a_valid_archive() {
    // Small enough to inflate: the reader accepts it and finds no paragraph in spaces.
    let len = 258 * 40 + 7;
    let zip = zip_with(&deflate_spaces(len as u64), len as u32, crc_of_spaces(len));
    assert_eq!(policylint::document::docx::paragraphs(&zip), Ok(Vec::new()));
}

#[test]
fn an_error_in_a_ten_megabyte_line_of_the_configuration_prints_a_short_snippet() {
    let config = format!("packs: [core]\ntoday: '{}'\n", "9".repeat(10_000_000));
    let case = Case::new(&[("policylint.yaml", config.as_bytes())]);
    let run = case.run(&["lint", "good.md"]);
    assert!(
        run.stderr.contains("policylint.yaml:2:"),
        "{}",
        &run.stderr[..2000.min(run.stderr.len())]
    );
    assert!(
        run.stderr.len() < 10_000,
        "{} bytes of error",
        run.stderr.len()
    );
    assert_eq!(run.code, 2);
}
