//! Folio's std host: the `.wast` driver, the `spectest` module, and the virtual-reservation
//! page store.
//!
//! - [`wast`] runs `.wast` scripts (the spec suite's format) and reports, per script, the
//!   directives that passed and every failure with `file:line:col`. Both `folio wast` and
//!   the `folio-spec-tests` harness use it, so they agree file by file.
//! - [`spectest`] is the host module the spec suite imports.
//! - [`cli`] is `folio run` and `folio inspect`; [`reserve`] the virtual-reservation
//!   page store (Unix).

pub mod cli;
#[cfg(unix)]
pub mod reserve;
pub mod spectest;
pub mod wasi;
pub mod wast;
