//! Memory operations on Folio and on a plain model; see `folio_fuzz::grow_access`.
#![no_main]

use folio_fuzz::grow_access::{Input, run};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: Input| run(&input));
