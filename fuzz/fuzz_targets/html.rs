#![no_main]
//! Any bytes read as Html: a document or a refusal, never a panic.

use libfuzzer_sys::fuzz_target;
use policylint::Format;

fuzz_target!(|bytes: &[u8]| policylint_fuzz::read_and_check(bytes, Format::Html));
