//! The crate's error: one word wide, the details boxed. Every stage reports through it
//! (module loading, translation, instantiation, calls); it names no stage's internals, so
//! any module may use it.

use crate::exec::Trap;
use crate::memory::{GrowError, MemoryError};
use crate::prelude::*;
use core::fmt;

/// What went wrong, in detail.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The module bytes are malformed or invalid; wasmparser's message and byte offset.
    Module {
        /// wasmparser's message.
        message: String,
        /// Byte offset in the module.
        offset: u64,
    },
    /// The module uses something Folio does not support.
    Unsupported(String),
    /// An import could not be satisfied ("unknown import", "incompatible import type").
    Link(String),
    /// Execution trapped (also during instantiation: a segment out of bounds, a start trap).
    Trap(Trap),
    /// A memory could not be created.
    Memory(MemoryError),
    /// A memory could not be grown (embedder API).
    Grow(GrowError),
    /// A table could not be grown or created (embedder API).
    Table(String),
    /// Arguments or results did not match a function's signature, or a value's type did not
    /// fit where it was put.
    Type(String),
    /// A handle was used with a store it does not belong to.
    WrongStore,
    /// The store holds as many instances, tables or memories as its limiter allows
    /// ([`Limiter::instances`](crate::memory::Limiter::instances) and the others).
    StoreLimit(String),
    /// Fuel was set or read in a store whose engine does not consume fuel
    /// ([`Config::consume_fuel`](crate::Config::consume_fuel)).
    FuelDisabled,
}

/// An error from the embedder API. Boxed so `Result<_, Error>` stays one word.
pub struct Error {
    kind: Box<ErrorKind>,
}

impl Error {
    /// The details.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
    /// The trap, when this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }
    #[cold]
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
        }
    }
    #[cold]
    pub(crate) fn link(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Link(msg.into()))
    }
    #[cold]
    pub(crate) fn ty(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Type(msg.into()))
    }
    #[cold]
    pub(crate) fn unsupported(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Unsupported(msg.into()))
    }
}

impl From<Trap> for Error {
    #[cold]
    fn from(t: Trap) -> Error {
        Error::new(ErrorKind::Trap(t))
    }
}

impl From<MemoryError> for Error {
    #[cold]
    fn from(e: MemoryError) -> Error {
        Error::new(ErrorKind::Memory(e))
    }
}

impl From<GrowError> for Error {
    #[cold]
    fn from(e: GrowError) -> Error {
        Error::new(ErrorKind::Grow(e))
    }
}

impl From<wasmparser::BinaryReaderError> for Error {
    #[cold]
    fn from(e: wasmparser::BinaryReaderError) -> Error {
        Error::new(ErrorKind::Module {
            message: e.message().to_string(),
            offset: e.offset(),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Module { message, offset } => {
                write!(f, "invalid module: {message} (at offset {offset:#x})")
            }
            ErrorKind::Unsupported(m) => write!(f, "unsupported: {m}"),
            ErrorKind::Link(m) => write!(f, "{m}"),
            ErrorKind::Trap(t) => write!(f, "{t}"),
            ErrorKind::Memory(e) => write!(f, "{e}"),
            ErrorKind::Grow(e) => write!(f, "{e}"),
            ErrorKind::Table(m) => write!(f, "{m}"),
            ErrorKind::Type(m) => write!(f, "type mismatch: {m}"),
            ErrorKind::WrongStore => f.write_str("handle used with a store it does not belong to"),
            ErrorKind::StoreLimit(m) => write!(f, "{m}"),
            ErrorKind::FuelDisabled => {
                f.write_str("fuel is not enabled: the engine's config does not consume fuel")
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.kind, f)
    }
}

impl core::error::Error for Error {}
