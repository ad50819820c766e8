#![no_main]
//! Any text as policylint.yaml: a configuration or an error with a place, never a panic.

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use policylint::config::Config;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match Config::parse("policylint.yaml", text, PathBuf::from("/nonexistent-root")) {
        Ok(config) => {
            let file = Path::new("/nonexistent-root/policies/eu/policy.md");
            let _ = config.settings_for(file);
            let _ = config.walks_into(file);
            let _ = config.notice_of(file);
        }
        Err(e) => policylint_fuzz::render(&e),
    }
});
