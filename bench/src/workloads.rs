//! The execution workloads. Every module exports `run(n: i32) -> i64` (the timed work,
//! scaled by `n`, returning a checksum both engines must agree on); the WAT ones also
//! export `setup(i32) -> i64` (untimed preparation of a fresh instance).
//!
//! Two kinds:
//!
//! - **WAT** (`bench/wat/`): loops written for the benchmark, each stressing one thing.
//!   The memory workloads are templates instantiated twice, for an `i32` and an `i64`
//!   (memory64) memory: `ADDR` becomes the address type, `MEM64` the memory's index type
//!   (nothing, or `i64`), `WRAP` the conversion of an `i64` to an address
//!   (`i32.wrap_i64`, or nothing). The 64-bit variants are named with a `64` suffix.
//! - **Compiler output** (`bench/corpus/`, see [`crate::corpus`]): C and Rust programs
//!   compiled by clang and rustc, what users actually run.

use std::borrow::Cow;

/// Which table group a workload belongs to (each gets its own geomean).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Hand-written WAT (`bench/wat/`).
    Wat,
    /// C compiled by clang (`bench/corpus/c/`), any build.
    CorpusC,
    /// Rust compiled by rustc (`bench/corpus/rust/`).
    CorpusRust,
    /// The corpus's tail-call builds (C built with `-mtail-call`): a group of their own,
    /// like SIMD's, so that the other groups' geomeans stay comparable across engines and
    /// versions without tail calls.
    CorpusTailCall,
    /// The corpus's SIMD builds (C and Rust built with `simd128`), and the scalar build of
    /// the C program written for SIMD: a group of their own, so that the other groups'
    /// geomeans stay comparable across engines and versions without SIMD.
    CorpusSimd,
}

impl Group {
    /// The name in the geomean lines.
    pub fn label(self) -> &'static str {
        match self {
            Group::Wat => "WAT",
            Group::CorpusC => "corpus C",
            Group::CorpusRust => "corpus Rust",
            Group::CorpusTailCall => "corpus tail calls",
            Group::CorpusSimd => "corpus SIMD",
        }
    }

    /// The name a command-line filter selects the whole group by.
    pub fn filter(self) -> &'static str {
        match self {
            Group::Wat => "exec",
            Group::CorpusC | Group::CorpusRust | Group::CorpusTailCall | Group::CorpusSimd => {
                "corpus"
            }
        }
    }
}

/// A module's source.
#[derive(Debug, Clone)]
pub enum Source {
    /// WAT text, assembled before use.
    Wat(String),
    /// A binary module (the corpus, compiled into the bench binary).
    Wasm(&'static [u8]),
}

/// One workload: a module and how many rounds make it run ~100–300 ms on Folio.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Name in the table, and what filters match.
    pub name: String,
    /// The module.
    pub source: Source,
    /// `run`'s argument at scale 1.
    pub rounds: u32,
    /// `run`'s argument for the agreement check before timing, and in tests: small, so
    /// that a debug build runs it quickly.
    pub check_rounds: i32,
    /// What `run(check_rounds)` must return, where known independently of both engines
    /// (the corpus: a native build of the same source computed it).
    pub expected: Option<i64>,
    /// Its group.
    pub group: Group,
}

impl Workload {
    /// `run`'s argument at `scale` (at least 1).
    pub fn rounds_at(&self, scale: f64) -> i32 {
        let scaled = (f64::from(self.rounds) * scale).round();
        // Clamped to 1..=i32::MAX, so the cast is exact.
        scaled.clamp(1.0, f64::from(i32::MAX)) as i32
    }

    /// Whether a fresh instance needs `setup(0)` before `run` (the WAT workloads).
    pub fn has_setup(&self) -> bool {
        self.group == Group::Wat
    }

    /// The module's bytes.
    ///
    /// # Errors
    /// A WAT syntax error.
    pub fn wasm(&self) -> Result<Cow<'_, [u8]>, String> {
        match &self.source {
            Source::Wat(text) => wat::parse_str(text)
                .map(Cow::Owned)
                .map_err(|e| format!("{}: {e}", self.name)),
            Source::Wasm(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }
}

/// (name, template, rounds at scale 1, whether it has a memory64 variant).
const TEMPLATES: &[(&str, &str, u32, bool)] = &[
    ("bytes", include_str!("../wat/bytes.wat"), 36, true),
    ("words", include_str!("../wat/words.wat"), 288, true),
    ("sieve", include_str!("../wat/sieve.wat"), 20, true),
    ("matmul", include_str!("../wat/matmul.wat"), 30, true),
    ("hash", include_str!("../wat/hash.wat"), 2_400_000, true),
    (
        "copy_loop",
        include_str!("../wat/copy_loop.wat"),
        2_400,
        true,
    ),
    (
        "copy_bulk",
        include_str!("../wat/copy_bulk.wat"),
        80_000,
        true,
    ),
    ("fib", include_str!("../wat/fib.wat"), 30, false),
];

/// Instantiates a template for a memory with index type `i64` (`mem64`) or `i32`.
pub fn render(template: &str, mem64: bool) -> String {
    let (addr, mem, wrap) = if mem64 {
        ("i64", "i64", "")
    } else {
        ("i32", "", "i32.wrap_i64")
    };
    template
        .replace("ADDR", addr)
        .replace("MEM64", mem)
        .replace("WRAP", wrap)
}

fn wat_workload(name: String, wat: String, rounds: u32) -> Workload {
    Workload {
        name,
        source: Source::Wat(wat),
        rounds,
        check_rounds: 1,
        expected: None,
        group: Group::Wat,
    }
}

/// The WAT workloads, `i32` variants first, then the memory64 ones.
pub fn wat() -> Vec<Workload> {
    let plain = TEMPLATES
        .iter()
        .map(|&(name, tpl, rounds, _)| wat_workload(name.to_string(), render(tpl, false), rounds));
    let wide = TEMPLATES
        .iter()
        .filter(|t| t.3)
        .map(|&(name, tpl, rounds, _)| {
            wat_workload(format!("{name}64"), render(tpl, true), rounds)
        });
    plain.chain(wide).collect()
}

/// Every workload: the WAT ones, then the corpus.
pub fn all() -> Vec<Workload> {
    let mut list = wat();
    list.extend(crate::corpus::workloads());
    list
}
