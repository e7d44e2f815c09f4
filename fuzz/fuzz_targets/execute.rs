//! Generated modules run on Folio alone; see `folio_fuzz::execute`.
#![no_main]

use folio_fuzz::execute::run_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| run_bytes(data));
