//! Traps: why execution stopped abnormally. Values, never panics.

use crate::prelude::*;
use core::fmt;

/// The kind of a trap. Each variant's message is the spec's text, so that a spec script's
/// `assert_trap` is a `contains` check.
///
/// ```
/// use folio::{Engine, Instance, Module, Store, TrapKind};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (memory 1)
///     (table 1 funcref)
///     (func (export "unreachable") unreachable)
///     (func (export "load") (drop (i32.load (i32.const 65536))))
///     (func (export "div") (drop (i32.div_s (i32.const 1) (i32.const 0))))
///     (func (export "overflow") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
///     (func (export "nan") (drop (i32.trunc_f32_s (f32.const nan))))
///     (func (export "null") (call_indirect (i32.const 0))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// for (name, kind) in [
///     ("unreachable", TrapKind::Unreachable),
///     ("load", TrapKind::MemoryOutOfBounds),
///     ("div", TrapKind::IntegerDivideByZero),
///     ("overflow", TrapKind::IntegerOverflow),
///     ("nan", TrapKind::InvalidConversionToInteger),
///     ("null", TrapKind::UninitializedElement),
/// ] {
///     let f = instance.get_typed_func::<(), ()>(&store, name)?;
///     let err = f.call(&mut store, ()).unwrap_err();
///     assert_eq!(err.as_trap().map(|t| t.kind()), Some(kind), "{name}");
/// }
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapKind {
    /// `unreachable` executed.
    Unreachable,
    /// A load, store or bulk memory operation outside the memory.
    MemoryOutOfBounds,
    /// A table access outside the table.
    TableOutOfBounds,
    /// `call_indirect` on an index past the end of the table.
    UndefinedElement,
    /// `call_indirect` on a null entry.
    UninitializedElement,
    /// `call_indirect` whose callee has another signature.
    IndirectCallTypeMismatch,
    /// Division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow, or a truncation out of range.
    IntegerOverflow,
    /// Truncation of NaN to an integer.
    InvalidConversionToInteger,
    /// The call stack (or value stack) limit was reached.
    StackExhausted,
    /// The fuel budget ran out.
    OutOfFuel,
    /// A null reference where a non-null one was required (`ref.as_non_null`).
    NullReference,
    /// `call_ref` or `return_call_ref` of a null reference.
    NullFunctionReference,
    /// An atomic access at an address that is not a multiple of its width.
    UnalignedAtomic,
    /// `memory.atomic.wait` on a memory that is not shared.
    ExpectedSharedMemory,
    /// A host function failed.
    Host,
    /// A host function ended the program on purpose with an exit status (WASI's
    /// `proc_exit`): not a fault of the guest, but it unwinds every Wasm frame like a trap.
    Exit,
    /// An exception (the exception handling proposal) that no `try_table` of the call
    /// caught: the trap names its tag and carries it
    /// ([`Trap::exception`](crate::Trap::exception)). Unlike the other kinds, Wasm can
    /// catch it: returned by a host function, it goes on unwinding the Wasm frames that
    /// called it.
    UncaughtException,
    /// `throw_ref` of a null `exnref`.
    NullExceptionReference,
    /// A `throw` found no room for its exception object: the store's limiter refused it
    /// ([`Limiter::exceptions_growing`](crate::memory::Limiter::exceptions_growing)), or
    /// the cap without one.
    ExceptionsExhausted,
}

impl TrapKind {
    /// The spec's message for this kind.
    ///
    /// The `Display` of a kind, and the start of its trap's:
    ///
    /// ```
    /// use folio::{Trap, TrapKind};
    ///
    /// assert_eq!(TrapKind::IntegerDivideByZero.message(), "integer divide by zero");
    /// assert_eq!(TrapKind::StackExhausted.to_string(), "call stack exhausted");
    /// assert_eq!(TrapKind::OutOfFuel.message(), "all fuel consumed");
    /// assert!(Trap::host("disk full").to_string().starts_with(TrapKind::Host.message()));
    /// ```
    pub fn message(self) -> &'static str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::MemoryOutOfBounds => "out of bounds memory access",
            TrapKind::TableOutOfBounds => "out of bounds table access",
            TrapKind::UndefinedElement => "undefined element",
            TrapKind::UninitializedElement => "uninitialized element",
            TrapKind::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapKind::IntegerDivideByZero => "integer divide by zero",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::InvalidConversionToInteger => "invalid conversion to integer",
            TrapKind::StackExhausted => "call stack exhausted",
            TrapKind::OutOfFuel => "all fuel consumed",
            TrapKind::NullReference => "null reference",
            TrapKind::NullFunctionReference => "null function reference",
            TrapKind::UnalignedAtomic => "unaligned atomic",
            TrapKind::ExpectedSharedMemory => "expected shared memory",
            TrapKind::Host => "host function error",
            TrapKind::Exit => "exit",
            TrapKind::UncaughtException => "uncaught exception",
            TrapKind::NullExceptionReference => "null exception reference",
            TrapKind::ExceptionsExhausted => "exception storage exhausted",
        }
    }
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A trap: its kind, plus a message for host traps, a detail (such as the table index
/// of an uninitialized element, which the spec's message names), or an exit status.
///
/// A guest's trap, as a call's error returns it:
///
/// ```
/// use folio::{Engine, Instance, Module, Store, TrapKind};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (table 4 funcref)
///     (func (export "call") (param i32) (call_indirect (local.get 0))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let call = instance.get_typed_func::<i32, ()>(&store, "call")?;
///
/// let err = call.call(&mut store, 2).unwrap_err();
/// let trap = err.as_trap().unwrap();
/// assert_eq!(trap.kind(), TrapKind::UninitializedElement);
/// assert_eq!(trap.to_string(), "uninitialized element 2"); // the spec's message, and a detail
/// let err = call.call(&mut store, 4).unwrap_err();
/// assert_eq!(err.as_trap().unwrap().kind(), TrapKind::UndefinedElement);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    kind: TrapKind,
    detail: Detail,
}

/// What a [`Trap`] says beyond its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Detail {
    None,
    /// A host function's message, or a detail appended to the spec's message.
    Text(Box<str>),
    /// The status of [`TrapKind::Exit`].
    Status(i32),
    /// The exception of [`TrapKind::UncaughtException`]: exception object `index` of store
    /// `store`, and its description (its tag, its payload), empty when not known.
    Exception {
        store: u32,
        index: u32,
        text: Box<str>,
    },
}

impl Trap {
    /// A trap of the given kind.
    ///
    /// A host function trapping as the guest's own instruction would, here on a pointer outside
    /// the guest's memory:
    ///
    /// ```
    /// use folio::{Caller, Engine, Error, Extern, Linker, Module, Store, Trap, TrapKind};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::new();
    /// linker.func_wrap("env", "peek", |caller: Caller<'_, ()>, ptr: u32| -> Result<i32, Error> {
    ///     let memory = caller.get_export("memory").and_then(Extern::into_memory).unwrap();
    ///     let mut byte = [0];
    ///     memory
    ///         .read(caller.store(), ptr as usize, &mut byte)
    ///         .map_err(|_| Trap::new(TrapKind::MemoryOutOfBounds))?;
    ///     Ok(i32::from(byte[0]))
    /// })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "peek" (func $peek (param i32) (result i32)))
    ///     (memory (export "memory") 1)
    ///     (data (i32.const 0) "\2a")
    ///     (func (export "peek") (param i32) (result i32) (call $peek (local.get 0))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// let peek = instance.get_typed_func::<u32, i32>(&store, "peek")?;
    /// assert_eq!(peek.call(&mut store, 0)?, 42);
    /// let err = peek.call(&mut store, 1 << 20).unwrap_err();
    /// assert_eq!(err.to_string(), "out of bounds memory access");
    /// assert_eq!(Trap::new(TrapKind::Unreachable), Trap::from(TrapKind::Unreachable));
    /// # Ok::<(), folio::Error>(())
    /// ```
    #[cold]
    pub fn new(kind: TrapKind) -> Trap {
        Trap {
            kind,
            detail: Detail::None,
        }
    }
    /// A trap raised by a host function, with its own message.
    ///
    /// A trap with a message: it ends the call like a guest's trap (unlike an [`Error::host`],
    /// which can suspend a resumable call, and whose value the embedder gets back).
    ///
    /// [`Error::host`]: crate::Error::host
    ///
    /// ```
    /// use folio::{Engine, Error, Func, Store, Trap, TrapKind};
    ///
    /// let trap = Trap::host("disk full");
    /// assert_eq!(trap.kind(), TrapKind::Host);
    /// assert_eq!(trap.to_string(), "host function error: disk full");
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let write = Func::wrap(&mut store, || -> Result<(), Error> {
    ///     Err(Trap::host("disk full").into())
    /// });
    /// let err = write.typed::<(), ()>(&store)?.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.as_trap(), Some(&trap));
    /// # Ok::<(), folio::Error>(())
    /// ```
    #[cold]
    pub fn host(message: impl Into<String>) -> Trap {
        Trap {
            kind: TrapKind::Host,
            detail: Detail::Text(message.into().into_boxed_str()),
        }
    }
    /// A host function ending the program with `status` (WASI's `proc_exit`): every Wasm
    /// frame unwinds and the embedder's call returns this trap, whose
    /// [`exit_status`](Trap::exit_status) is `Some(status)`.
    ///
    /// ```
    /// use folio::{Trap, TrapKind};
    ///
    /// let exit = Trap::exit(3);
    /// assert_eq!(exit.kind(), TrapKind::Exit);
    /// assert_eq!(exit.exit_status(), Some(3));
    /// assert_eq!(exit.to_string(), "exit with status 3");
    /// ```
    #[cold]
    pub fn exit(status: i32) -> Trap {
        Trap {
            kind: TrapKind::Exit,
            detail: Detail::Status(status),
        }
    }
    /// The status of a [`Trap::exit`], `None` for every other trap.
    ///
    /// ```
    /// use folio::{Trap, TrapKind};
    ///
    /// assert_eq!(Trap::exit(0).exit_status(), Some(0));
    /// assert_eq!(Trap::new(TrapKind::Unreachable).exit_status(), None);
    /// assert_eq!(Trap::host("1").exit_status(), None);
    /// ```
    pub fn exit_status(&self) -> Option<i32> {
        match self.detail {
            Detail::Status(status) => Some(status),
            _ => None,
        }
    }
    /// A trap of `kind` with `detail` after its message.
    #[cold]
    pub(crate) fn with_detail(kind: TrapKind, detail: String) -> Trap {
        Trap {
            kind,
            detail: Detail::Text(detail.into_boxed_str()),
        }
    }
    /// The uncaught exception object `index` of store `store`, described by `text` (its
    /// tag and payload: see `exec::run`'s `describe_exception`; empty: not known).
    #[cold]
    pub(crate) fn uncaught(store: u32, index: u32, text: String) -> Trap {
        Trap {
            kind: TrapKind::UncaughtException,
            detail: Detail::Exception {
                store,
                index,
                text: text.into_boxed_str(),
            },
        }
    }
    /// The store and index of the exception object of an uncaught exception.
    pub(crate) fn exception_object(&self) -> Option<(u32, u32)> {
        match self.detail {
            Detail::Exception { store, index, .. } => Some((store, index)),
            _ => None,
        }
    }
    /// `call_indirect` of the null entry `index` (of an `i32` or a 64-bit table):
    /// "uninitialized element {index}".
    #[cold]
    pub(crate) fn uninitialized_element(index: impl Into<u64>) -> Trap {
        Trap {
            kind: TrapKind::UninitializedElement,
            detail: Detail::Text(index.into().to_string().into_boxed_str()),
        }
    }
    /// The kind.
    ///
    /// ```
    /// use folio::{Config, Engine, Instance, Module, Store, TrapKind};
    ///
    /// let engine = Engine::new(Config::default().consume_fuel(true));
    /// let wasm = wat::parse_str(r#"(module (func (export "spin") (loop (br 0))))"#).unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// store.set_fuel(100)?;
    /// let spin = instance.get_typed_func::<(), ()>(&store, "spin")?;
    /// let err = spin.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.as_trap().map(|t| t.kind()), Some(TrapKind::OutOfFuel));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn kind(&self) -> TrapKind {
        self.kind
    }
}

impl From<TrapKind> for Trap {
    #[cold]
    fn from(kind: TrapKind) -> Trap {
        Trap::new(kind)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.detail, self.kind) {
            (Detail::Text(m), TrapKind::Host) => write!(f, "{}: {m}", self.kind.message()),
            (Detail::Text(detail), _) => write!(f, "{} {detail}", self.kind.message()),
            (Detail::Status(status), _) => write!(f, "exit with status {status}"),
            (Detail::Exception { text, .. }, _) if text.is_empty() => {
                f.write_str(self.kind.message())
            }
            (Detail::Exception { text, .. }, _) => write!(f, "{}: {text}", self.kind.message()),
            (Detail::None, _) => f.write_str(self.kind.message()),
        }
    }
}

impl core::error::Error for Trap {}
