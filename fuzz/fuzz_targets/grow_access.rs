//! Memory operations on Folio and on a plain model; see `folio_fuzz::grow_access`.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|input: folio_fuzz::grow_access::Input| {
    folio_fuzz::grow_access::run(&input)
});

#[cfg(not(fuzzing))]
fn main() -> std::process::ExitCode {
    folio_fuzz::not_fuzzing("grow_access")
}
