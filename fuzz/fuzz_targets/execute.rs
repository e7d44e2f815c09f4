//! Generated modules run on Folio alone; see `folio_fuzz::execute`.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| folio_fuzz::execute::run_bytes(data));

#[cfg(not(fuzzing))]
fn main() -> std::process::ExitCode {
    folio_fuzz::not_fuzzing("execute")
}
