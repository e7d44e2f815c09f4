//! Generated modules run by Folio and by wasmi, compared; see `folio_fuzz::differential`.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| folio_fuzz::differential::run_bytes(data));

#[cfg(not(fuzzing))]
fn main() -> std::process::ExitCode {
    folio_fuzz::not_fuzzing("differential")
}
