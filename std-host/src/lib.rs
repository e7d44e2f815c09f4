//! Folio's std host: the `folio` command, WASI preview 1, the `.wast` driver, the
//! `spectest` module, and the virtual-reservation page store.
//!
//! - [`wast`] runs `.wast` scripts (the spec suite's format) and reports, per script, the
//!   directives that passed and every failure with `file:line:col`. Both `folio wast` and
//!   the `folio-spec-tests` harness use it, so they agree file by file.
//! - [`spectest`] is the host module the spec suite imports.
//! - [`threads`] is how a thread blocks in `memory.atomic.wait` on std.
//! - [`wasi`] is `wasi_snapshot_preview1` for Rust embedders and for `folio run`: a
//!   context (args, env, preopened directories, stdio) and one call that adds every
//!   function to a `Linker`; paths resolve through cap-std beneath their preopen.
//! - [`cli`] is the `folio` command (`run`, `inspect`, `wast`; options read by clap);
//!   [`reserve`] the virtual-reservation page store (Unix).

pub mod cli;
#[cfg(unix)]
pub mod reserve;
pub mod spectest;
pub mod threads;
pub mod wasi;
pub mod wast;
