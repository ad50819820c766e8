//! The built-in rule packs are embedded from `rules/`: rebuild when any file there
//! changes, is added or is removed.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
