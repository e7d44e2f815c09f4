//! The crate's error: one word wide, the details boxed. Every stage reports through it
//! (module loading, translation, instantiation, calls); it names no stage's internals, so
//! any module may use it.

use crate::exec::Trap;
use crate::memory::{GrowError, MemoryError};
use crate::prelude::*;
use core::any::Any;
use core::fmt;

/// An error of the embedder's own that a host function returns through [`Error::host`]:
/// any `'static` value that can be shown and sent between threads (a `String`, an enum of
/// the embedder's, a `std::io::Error`). The embedder gets it back with
/// [`Error::downcast_ref`] or [`Error::downcast`].
pub trait HostError: Any + fmt::Display + fmt::Debug + Send + Sync {}

impl<E: Any + fmt::Display + fmt::Debug + Send + Sync> HostError for E {}

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
    /// ([`Limiter::instances`](crate::memory::Limiter::instances) and the others), or the
    /// limiter refused a module's element segments
    /// ([`Limiter::segment_elements`](crate::memory::Limiter::segment_elements)).
    StoreLimit(String),
    /// Fuel was set or read in a store whose engine does not consume fuel
    /// ([`Config::consume_fuel`](crate::Config::consume_fuel)).
    FuelDisabled,
    /// A host function failed with an error of the embedder's ([`Error::host`]); it
    /// crosses every Wasm frame unchanged and comes back out of the call.
    Host(Box<dyn HostError>),
    /// An instance has no export of that name and kind
    /// ([`Instance::get_typed_func`](crate::Instance::get_typed_func)).
    Export(String),
    /// The embedder read or wrote guest memory outside its bounds
    /// ([`Memory::read`](crate::Memory::read), [`Memory::write`](crate::Memory::write)).
    OutOfBounds {
        /// First byte of the access.
        offset: u64,
        /// Bytes accessed.
        len: u64,
        /// The memory's size in bytes.
        size: u64,
    },
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
    /// An error of the host's own, for a host function to return: it unwinds every Wasm
    /// frame of the call, like a trap, and the embedder's call returns it, to be taken
    /// back with [`downcast_ref`](Error::downcast_ref) or [`downcast`](Error::downcast).
    ///
    /// ```
    /// use folio::Error;
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Busy(u32);
    /// impl core::fmt::Display for Busy {
    ///     fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    ///         write!(f, "device {} is busy", self.0)
    ///     }
    /// }
    ///
    /// let e = Error::host(Busy(3));
    /// assert_eq!(e.to_string(), "host function error: device 3 is busy");
    /// assert_eq!(e.downcast_ref::<Busy>(), Some(&Busy(3)));
    /// assert_eq!(e.downcast::<Busy>().ok(), Some(Busy(3)));
    /// ```
    #[cold]
    pub fn host(error: impl HostError) -> Error {
        Error::new(ErrorKind::Host(Box::new(error)))
    }
    /// The host's error of type `E`, if this is one ([`Error::host`]).
    pub fn downcast_ref<E: HostError>(&self) -> Option<&E> {
        match &*self.kind {
            ErrorKind::Host(e) => (&**e as &dyn Any).downcast_ref(),
            _ => None,
        }
    }
    /// The host's error of type `E`, writable, if this is one ([`Error::host`]).
    pub fn downcast_mut<E: HostError>(&mut self) -> Option<&mut E> {
        match &mut *self.kind {
            ErrorKind::Host(e) => (&mut **e as &mut dyn Any).downcast_mut(),
            _ => None,
        }
    }
    /// The host's error of type `E`, if this is one ([`Error::host`]); this error
    /// otherwise.
    ///
    /// # Errors
    /// `self` when it is not a host error of type `E`.
    pub fn downcast<E: HostError>(self) -> Result<E, Error> {
        if self.downcast_ref::<E>().is_none() {
            return Err(self);
        }
        match *self.kind {
            ErrorKind::Host(e) => match (e as Box<dyn Any>).downcast::<E>() {
                Ok(e) => Ok(*e),
                // Checked just above: unreachable, but an error value rather than a panic.
                Err(_) => Err(Error::new(ErrorKind::Type("host error downcast".into()))),
            },
            // Checked just above: a host error.
            kind => Err(Error::new(kind)),
        }
    }
    /// A host function ending the program with `status` (WASI's `proc_exit`): the error
    /// of [`Trap::exit`], whose status [`i32_exit_status`](Error::i32_exit_status) reads.
    ///
    /// ```
    /// let e = folio::Error::i32_exit(3);
    /// assert_eq!(e.i32_exit_status(), Some(3));
    /// assert_eq!(folio::Error::host("no").i32_exit_status(), None);
    /// ```
    #[cold]
    pub fn i32_exit(status: i32) -> Error {
        Error::from(Trap::exit(status))
    }
    /// The status of an [`i32_exit`](Error::i32_exit), `None` for every other error.
    pub fn i32_exit_status(&self) -> Option<i32> {
        self.as_trap()?.exit_status()
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
            ErrorKind::Host(e) => write!(f, "host function error: {e}"),
            ErrorKind::Export(m) => write!(f, "{m}"),
            ErrorKind::OutOfBounds { offset, len, size } => write!(
                f,
                "out of bounds memory access: {len} bytes at {offset} in a memory of {size} bytes"
            ),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.kind, f)
    }
}

impl core::error::Error for Error {}
