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
///
/// ```
/// use folio::{Engine, Error, Func, Store};
///
/// #[derive(Debug, PartialEq)]
/// enum FsError {
///     NotFound(String),
///     Denied,
/// }
/// impl core::fmt::Display for FsError {
///     fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
///         match self {
///             FsError::NotFound(path) => write!(f, "{path}: not found"),
///             FsError::Denied => f.write_str("permission denied"),
///         }
///     }
/// }
///
/// let mut store = Store::new(&Engine::default(), ());
/// let open = Func::wrap(&mut store, |fd: i32| -> Result<i32, Error> {
///     match fd {
///         0 => Err(Error::host(FsError::NotFound("/etc/motd".into()))),
///         1 => Err(Error::host(FsError::Denied)),
///         fd => Ok(fd),
///     }
/// });
/// let open = open.typed::<i32, i32>(&store)?;
/// let err = open.call(&mut store, 0).unwrap_err();
/// assert_eq!(err.to_string(), "host function error: /etc/motd: not found");
/// let err = open.call(&mut store, 1).unwrap_err();
/// assert_eq!(err.downcast_ref::<FsError>(), Some(&FsError::Denied));
/// # Ok::<(), folio::Error>(())
/// ```
pub trait HostError: Any + fmt::Display + fmt::Debug + Send + Sync {}

impl<E: Any + fmt::Display + fmt::Debug + Send + Sync> HostError for E {}

/// What went wrong, in detail.
///
/// Every stage reports through [`Error`]; its kind tells them apart:
///
/// ```
/// use folio::{Engine, Error, ErrorKind, Func, Instance, Linker, Module, Store, TrapKind};
///
/// fn describe(err: &Error) -> String {
///     match err.kind() {
///         ErrorKind::Module { offset, .. } => format!("invalid module at byte {offset}"),
///         ErrorKind::Link(message) => format!("cannot link: {message}"),
///         ErrorKind::Trap(trap) if trap.kind() == TrapKind::Unreachable => "a bug".into(),
///         ErrorKind::Host(host) => format!("the host failed: {host}"),
///         _ => err.to_string(), // the enum is non-exhaustive
///     }
/// }
///
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let err = Module::new(&engine, b"\0asm\x01\0\0\0\x01").unwrap_err();
/// assert_eq!(describe(&err), "invalid module at byte 9");
///
/// let wasm = wat::parse_str(r#"(module (import "env" "f" (func)))"#).unwrap();
/// let needs_f = Module::new(&engine, &wasm)?;
/// let err = Linker::new().instantiate(&mut store, &needs_f).unwrap_err();
/// assert!(describe(&err).starts_with("cannot link: "));
///
/// let wasm = wat::parse_str(r#"(module (func (export "f") unreachable))"#).unwrap();
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let f = instance.get_typed_func::<(), ()>(&store, "f")?;
/// assert_eq!(describe(&f.call(&mut store, ()).unwrap_err()), "a bug");
///
/// let fail = Func::wrap(&mut store, || -> Result<(), Error> { Err(Error::host("disk full")) });
/// let err = fail.typed::<(), ()>(&store)?.call(&mut store, ()).unwrap_err();
/// assert_eq!(describe(&err), "the host failed: disk full");
/// # Ok::<(), folio::Error>(())
/// ```
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
///
/// ```
/// use folio::{Engine, Error, ErrorKind, Store};
///
/// // One pointer wide: results stay cheap to return.
/// assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
///
/// let mut store = Store::new(&Engine::default(), ());
/// let err: Error = store.set_fuel(10).unwrap_err(); // fuel is off by default
/// assert!(matches!(err.kind(), ErrorKind::FuelDisabled));
/// assert!(err.to_string().starts_with("fuel is not enabled"));
/// ```
pub struct Error {
    kind: Box<ErrorKind>,
}

impl Error {
    /// The details.
    ///
    /// ```
    /// use folio::{Engine, ErrorKind, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module (memory (export "m") 1))"#).unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let memory = instance.get_memory(&store, "m").unwrap();
    /// let err = memory.write(&mut store, 65_535, b"ab").unwrap_err();
    /// let ErrorKind::OutOfBounds { offset, len, size } = *err.kind() else { panic!("{err}") };
    /// assert_eq!((offset, len, size), (65_535, 2, 65_536));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
    /// The trap, when this error is one.
    ///
    /// A trap of the guest's, or of a host function's ([`Trap::host`]), is a trap; an
    /// [`Error::host`] is not:
    ///
    /// ```
    /// use folio::{Engine, Error, Func, Instance, Module, Store, Trap, TrapKind};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "oob") (result i32) (i32.load (i32.const 65536)))
    ///     (memory 1))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let oob = instance.get_typed_func::<(), i32>(&store, "oob")?;
    /// let err = oob.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.as_trap().map(Trap::kind), Some(TrapKind::MemoryOutOfBounds));
    ///
    /// let trap = Func::wrap(&mut store, || -> Result<(), Error> { Err(Trap::host("no").into()) });
    /// let err = trap.typed::<(), ()>(&store)?.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.as_trap().map(Trap::kind), Some(TrapKind::Host));
    /// assert!(Error::host("no").as_trap().is_none());
    /// # Ok::<(), folio::Error>(())
    /// ```
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
    ///
    /// Only an [`Error::host`] holds the host's value; the message of a [`Trap::host`] is text:
    ///
    /// ```
    /// use folio::{Error, Trap};
    ///
    /// let e = Error::host(String::from("quota exceeded"));
    /// assert_eq!(e.downcast_ref::<String>().map(String::as_str), Some("quota exceeded"));
    /// assert_eq!(e.downcast_ref::<&str>(), None); // the exact type
    /// let trap = Error::from(Trap::host("quota exceeded"));
    /// assert_eq!(trap.downcast_ref::<String>(), None);
    /// ```
    pub fn downcast_ref<E: HostError>(&self) -> Option<&E> {
        match &*self.kind {
            ErrorKind::Host(e) => (&**e as &dyn Any).downcast_ref(),
            _ => None,
        }
    }
    /// The host's error of type `E`, writable, if this is one ([`Error::host`]).
    ///
    /// Adding to a host error on its way out, here counting the attempts that failed:
    ///
    /// ```
    /// use folio::Error;
    ///
    /// #[derive(Debug)]
    /// struct Unavailable {
    ///     attempts: u32,
    /// }
    /// impl core::fmt::Display for Unavailable {
    ///     fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    ///         write!(f, "unavailable after {} attempts", self.attempts)
    ///     }
    /// }
    ///
    /// let mut err = Error::host(Unavailable { attempts: 1 });
    /// if let Some(unavailable) = err.downcast_mut::<Unavailable>() {
    ///     unavailable.attempts += 2;
    /// }
    /// assert_eq!(err.to_string(), "host function error: unavailable after 3 attempts");
    /// assert!(err.downcast_mut::<String>().is_none());
    /// ```
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
    ///
    /// ```
    /// use folio::Error;
    ///
    /// let err = Error::host(404u16);
    /// let err = err.downcast::<u32>().unwrap_err(); // not a u32: the error comes back
    /// assert_eq!(err.downcast::<u16>().ok(), Some(404));
    /// ```
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
    ///
    /// A guest calling a host `exit`, which ends the call with the guest's status:
    ///
    /// ```
    /// use folio::{Engine, Error, Func, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let exit = Func::wrap(&mut store, |status: i32| -> Result<(), Error> {
    ///     Err(Error::i32_exit(status))
    /// });
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "exit" (func $exit (param i32)))
    ///     (func (export "main") (call $exit (i32.const 3)) unreachable))"#)
    ///     .unwrap();
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[exit.into()])?;
    /// let main = instance.get_typed_func::<(), ()>(&store, "main")?;
    /// let err = main.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.i32_exit_status(), Some(3)); // `unreachable` never ran
    /// # Ok::<(), folio::Error>(())
    /// ```
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
        let mut message = e.message().to_string();
        // Without the `simd` feature no configuration enables SIMD: say so.
        if !cfg!(feature = "simd") && message.contains("SIMD") {
            message.push_str(" (Folio was built without its `simd` cargo feature)");
        }
        Error::new(ErrorKind::Module {
            message,
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
