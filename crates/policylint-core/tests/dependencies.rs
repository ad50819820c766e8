//! An embedder of the engine builds neither the command line's argument parser nor
//! the editor protocol: `policylint-core` with its default features depends on no
//! clap and no LSP crate.

use std::process::Command;

#[test]
fn the_core_crate_pulls_in_no_command_line_or_editor_crates() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--locked", "-e", "normal,build"])
        .args(["--prefix", "none", "--manifest-path", manifest])
        .output()
        .expect("cargo runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tree.starts_with("policylint-core "), "{tree}");
    let unwanted: Vec<&str> = tree
        .lines()
        .filter(|line| line.starts_with("clap") || line.starts_with("lsp-"))
        .collect();
    assert!(
        unwanted.is_empty(),
        "the core crate depends on {unwanted:?}"
    );
}
