//! Folio's fuzzing oracles, shared by the cargo-fuzz targets in `fuzz_targets/` (thin glue,
//! libFuzzer entry points when cargo-fuzz builds them with `cfg(fuzzing)`) and by the
//! stable replay tests here.
//!
//! | target | oracle | checks |
//! |---|---|---|
//! | `grow_access` | [`grow_access`] | memory API vs. a plain `Vec<u8>` model: results, which limit refused, contents |
//! | `execute` | [`execute`] | wasm-smith modules run on Folio: no panic, no hang, types and sizes as promised |
//! | `differential` | [`differential`] | the same modules on Folio and wasmi: results, traps, globals, memories, tables |
//!
//! Each oracle has a `smoke` test replaying it on inputs from a seeded PRNG
//! ([`seeded_inputs`]), and a `regressions` test replaying the inputs saved under
//! `fuzz/regressions/TARGET/` ([`regression_inputs`]). See `fuzz/README.md` for running
//! the fuzzers.
#![forbid(unsafe_op_in_unsafe_fn)]

pub mod differential;
pub mod execute;
pub mod grow_access;
pub mod wasm_gen;

use std::path::PathBuf;

/// SplitMix64: a tiny, seeded, good-enough PRNG for making test inputs.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

/// `count` inputs of random bytes (each of random length up to `max_len`) from `seed`:
/// what a smoke test feeds an oracle through `arbitrary::Unstructured`.
pub fn seeded_inputs(seed: u64, count: usize, max_len: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut rng = SplitMix64(seed);
    (0..count).map(move |_| {
        let len = (rng.next_u64() % (max_len as u64 + 1)) as usize;
        rng.bytes(len)
    })
}

/// The directory regression inputs of `target` are saved in.
pub fn regression_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("regressions")
        .join(target)
}

/// The saved regression inputs of `target` with extension `ext`, by file name, sorted.
pub fn regression_inputs(target: &str, ext: &str) -> Vec<(String, Vec<u8>)> {
    let Ok(dir) = std::fs::read_dir(regression_dir(target)) else {
        return Vec::new();
    };
    let mut inputs: Vec<_> = dir
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != ext {
                return None;
            }
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&path).ok()?))
        })
        .collect();
    inputs.sort();
    inputs
}

/// The `main` of fuzz target `target` outside cargo-fuzz (built without `cfg(fuzzing)`,
/// as stable workspace builds are): says how to fuzz, or replay, and fails.
pub fn not_fuzzing(target: &str) -> std::process::ExitCode {
    eprintln!(
        "{target} is a libFuzzer target: run it with `cargo +nightly fuzz run {target}` from \
         fuzz/ or the workspace root; replay an input with \
         `cargo run -p folio-fuzz --bin regress -- show {target} INPUT`"
    );
    std::process::ExitCode::FAILURE
}
