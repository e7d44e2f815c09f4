//! Folio against wasmi, in the same run: every benchmark runs the same module on both
//! engines and reports the ratio of their times (Folio / wasmi; above 1, Folio is slower).
//!
//! | module | owns |
//! |---|---|
//! | [`engines`] | Folio and wasmi behind one small interface |
//! | [`workloads`] | the execution workloads: WAT (`bench/wat/`, with memory64 variants) and the corpus |
//! | [`corpus`] | compiler output: C and Rust programs built by clang and rustc (`bench/corpus/`) |
//! | [`exec`] | timing a workload on both engines: check they agree, time, take medians |
//! | [`memory`] | memory benchmarks: page-by-page grow, a 1 GiB initial memory, translation |
//!
//! The command is `cargo run --release -p folio-bench -- [FILTER...]` (see `BENCHMARKS.md`
//! at the repository root). Tests check only that the engines agree, never a time.

pub mod corpus;
pub mod engines;
pub mod exec;
pub mod memory;
pub mod workloads;

#[cfg(test)]
mod tests;
