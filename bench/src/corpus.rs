//! The compiler-output corpus: C and Rust programs in `bench/corpus/`, compiled by clang
//! and rustc (`bench/corpus/build.sh`, which records what it built in
//! `bench/corpus/manifest.txt`), each exporting `run(n: i32) -> i64`. The `.wasm` files
//! are compiled into the bench binary.
//!
//! Every entry names a program, a build (`c-O2-wasm32`, `c-O2-wasm64` for memory64,
//! `c-Os`, `c-O0`, `rust`; with 128-bit SIMD, `c-O3-simd128` and `rust-simd128`, and
//! `c-O3-wasm32` for the SIMD program's scalar fallback; with tail calls, `c-O2-tailcall`),
//! `run`'s argument at scale 1
//! (sized for ~100–300 ms on Folio in a release build), and a small argument with the
//! checksum a native build of the same source returns for it (gcc or rustc for the host:
//! `build.sh --check`).

use crate::workloads::{Group, Source, Workload};

/// One module of the corpus.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The program (its source is `c/PROGRAM.c` or `rust/PROGRAM.rs`).
    pub program: &'static str,
    /// How it was built: `c-O2-wasm32`, `c-O2-wasm64`, `c-Os`, `c-O0`, `c-O3-simd128`,
    /// `c-O3-wasm32`, `c-O2-tailcall`, `rust` or `rust-simd128`.
    pub build: &'static str,
    /// The module (`wasm/PROGRAM-BUILD.wasm`).
    pub wasm: &'static [u8],
    /// `run`'s argument at scale 1.
    pub rounds: u32,
    /// A small argument, for checks and tests.
    pub test_rounds: i32,
    /// What the native build's `run(test_rounds)` returns.
    pub native: i64,
}

impl Entry {
    /// The name in tables and filters: `PROGRAM/BUILD`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.program, self.build)
    }

    /// The file name build.sh writes, relative to `bench/corpus/`.
    pub fn file(&self) -> String {
        format!("wasm/{}-{}.wasm", self.program, self.build)
    }

    /// Whether it is built from Rust (`rust/PROGRAM.rs`) rather than C (`c/PROGRAM.c`).
    pub fn is_rust(&self) -> bool {
        self.build.starts_with("rust")
    }

    /// Its group: the SIMD builds (and [`SIMD_PROGRAM`]'s scalar one), the tail-call
    /// builds ([`TAIL_CALL_BUILD`]), C, or Rust.
    pub fn group(&self) -> Group {
        if self.build.contains("simd128") || self.program == SIMD_PROGRAM {
            Group::CorpusSimd
        } else if self.build == TAIL_CALL_BUILD {
            Group::CorpusTailCall
        } else if self.is_rust() {
            Group::CorpusRust
        } else {
            Group::CorpusC
        }
    }
}

macro_rules! entry {
    ($program:literal, $build:literal, $rounds:expr, $test:expr, $native:expr) => {
        Entry {
            program: $program,
            build: $build,
            wasm: include_bytes!(concat!("../corpus/wasm/", $program, "-", $build, ".wasm")),
            rounds: $rounds,
            test_rounds: $test,
            native: $native,
        }
    };
}

/// The C program written with `<wasm_simd128.h>` intrinsics (`c/simd.c`); its builds are
/// `c-O3-simd128` and the plain-C fallback `c-O3-wasm32`, not the `c-O2` ones every other C
/// program has.
pub const SIMD_PROGRAM: &str = "simd";

/// The C program whose hot path is tail calls (`c/tailvm.c`: `vm.c`'s instruction set and
/// guest programs, its handlers tail-calling each other); built only as
/// [`TAIL_CALL_BUILD`], since without the tail-call feature clang cannot compile it
/// (`musttail`), and with the calls made ordinary ones it runs out of stack.
pub const TAIL_CALL_PROGRAM: &str = "tailvm";

/// The tail-call build: `-O2 -mtail-call`, wasm32 (clang emits `return_call_indirect` and
/// `return_call`).
pub const TAIL_CALL_BUILD: &str = "c-O2-tailcall";

/// The corpus, C builds first (program by program), then Rust, then the tail-call builds,
/// then the SIMD builds.
pub const CORPUS: &[Entry] = &[
    entry!("sha256", "c-O2-wasm32", 500, 1, -762251858584799463),
    entry!("chacha20", "c-O2-wasm32", 120, 1, 9030822986253676174),
    entry!("lz", "c-O2-wasm32", 240, 1, 642988339511823393),
    entry!("sort", "c-O2-wasm32", 240, 1, -8771985739786453322),
    entry!("json", "c-O2-wasm32", 260, 1, 8514784823945542901),
    entry!("vm", "c-O2-wasm32", 220, 1, 2509542595927329182),
    entry!("nbody", "c-O2-wasm32", 170, 1, 5257947585293661647),
    entry!("strsearch", "c-O2-wasm32", 180, 1, -8268025710758126306),
    entry!("alloc", "c-O2-wasm32", 120, 1, 2015262027214048510),
    entry!("raytrace", "c-O2-wasm32", 280, 1, 5088158532243142182),
    entry!("sha256", "c-O2-wasm64", 500, 1, -762251858584799463),
    entry!("chacha20", "c-O2-wasm64", 120, 1, 9030822986253676174),
    entry!("lz", "c-O2-wasm64", 240, 1, 642988339511823393),
    entry!("sort", "c-O2-wasm64", 240, 1, -8771985739786453322),
    entry!("json", "c-O2-wasm64", 260, 1, 8514784823945542901),
    entry!("vm", "c-O2-wasm64", 220, 1, 2509542595927329182),
    entry!("nbody", "c-O2-wasm64", 170, 1, 5257947585293661647),
    entry!("strsearch", "c-O2-wasm64", 180, 1, -8268025710758126306),
    entry!("alloc", "c-O2-wasm64", 120, 1, 2015262027214048510),
    entry!("raytrace", "c-O2-wasm64", 280, 1, 5088158532243142182),
    entry!("sha256", "c-Os", 500, 1, -762251858584799463),
    entry!("sort", "c-Os", 220, 1, -8771985739786453322),
    entry!("json", "c-Os", 260, 1, 8514784823945542901),
    entry!("vm", "c-Os", 220, 1, 2509542595927329182),
    entry!("raytrace", "c-Os", 300, 1, 5088158532243142182),
    entry!("sha256", "c-O0", 85, 1, -762251858584799463),
    entry!("sort", "c-O0", 60, 1, -8771985739786453322),
    entry!("json", "c-O0", 50, 1, 8514784823945542901),
    entry!("vm", "c-O0", 80, 1, 2509542595927329182),
    entry!("raytrace", "c-O0", 75, 1, 5088158532243142182),
    entry!("wordfreq", "rust", 75, 1, -268234646172843698),
    entry!("json", "rust", 130, 1, 8140872460993758503),
    entry!("interp", "rust", 70, 1, 5860005674804280089),
    entry!("graph", "rust", 100, 1, -4231142904380895783),
    entry!("fft", "rust", 170, 1, 3535953671632146856),
    entry!("records", "rust", 60, 1, -713498105920131803),
    // Tail calls: threaded code, every guest instruction a `return_call_indirect` (vm's
    // guest programs, so vm's checksum; a round costs about twice a vm round, so half of
    // vm's rounds).
    entry!("tailvm", "c-O2-tailcall", 110, 1, 2509542595927329182),
    // 128-bit SIMD: clang's vectorizers (-O3 -msimd128) on the programs whose loops they
    // vectorize; simd.c with intrinsics, and its plain-C fallback (the same program without
    // SIMD, for comparison); fft with +simd128.
    entry!("sha256", "c-O3-simd128", 500, 1, -762251858584799463),
    entry!("chacha20", "c-O3-simd128", 120, 1, 9030822986253676174),
    entry!("nbody", "c-O3-simd128", 170, 1, 5257947585293661647),
    entry!("strsearch", "c-O3-simd128", 180, 1, -8268025710758126306),
    entry!("raytrace", "c-O3-simd128", 280, 1, 5088158532243142182),
    entry!("simd", "c-O3-simd128", 40, 1, -1947222283903247977),
    entry!("simd", "c-O3-wasm32", 40, 1, -1947222283903247977),
    entry!("fft", "rust-simd128", 170, 1, 3535953671632146856),
];

/// The corpus as workloads.
pub fn workloads() -> Vec<Workload> {
    CORPUS
        .iter()
        .map(|e| Workload {
            name: e.name(),
            source: Source::Wasm(e.wasm),
            rounds: e.rounds,
            check_rounds: e.test_rounds,
            expected: Some(e.native),
            group: e.group(),
        })
        .collect()
}

/// The largest module of the corpus (for the translation benchmark).
pub fn largest() -> &'static Entry {
    CORPUS
        .iter()
        .max_by_key(|e| e.wasm.len())
        .expect("the corpus is not empty")
}
