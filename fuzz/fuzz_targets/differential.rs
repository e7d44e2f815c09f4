//! Generated modules run by Folio and by wasmi, compared; see `folio_fuzz::differential`.
#![no_main]

use folio_fuzz::differential::run_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| run_bytes(data));
