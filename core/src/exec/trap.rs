//! Traps: why execution stopped abnormally. Values, never panics.

use crate::prelude::*;
use core::fmt;

/// The kind of a trap. Each variant's message is the spec's text, so that a spec script's
/// `assert_trap` is a `contains` check.
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
    /// A null reference where a non-null one was required.
    NullReference,
    /// A host function failed.
    Host,
    /// A host function ended the program on purpose with an exit status (WASI's
    /// `proc_exit`): not a fault of the guest, but it unwinds every Wasm frame like a trap.
    Exit,
}

impl TrapKind {
    /// The spec's message for this kind.
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
            TrapKind::Host => "host function error",
            TrapKind::Exit => "exit",
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
}

impl Trap {
    /// A trap of the given kind.
    #[cold]
    pub fn new(kind: TrapKind) -> Trap {
        Trap {
            kind,
            detail: Detail::None,
        }
    }
    /// A trap raised by a host function, with its own message.
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
    #[cold]
    pub fn exit(status: i32) -> Trap {
        Trap {
            kind: TrapKind::Exit,
            detail: Detail::Status(status),
        }
    }
    /// The status of a [`Trap::exit`], `None` for every other trap.
    pub fn exit_status(&self) -> Option<i32> {
        match self.detail {
            Detail::Status(status) => Some(status),
            _ => None,
        }
    }
    /// `call_indirect` of the null entry `index`: "uninitialized element {index}".
    #[cold]
    pub(crate) fn uninitialized_element(index: u32) -> Trap {
        Trap {
            kind: TrapKind::UninitializedElement,
            detail: Detail::Text(index.to_string().into_boxed_str()),
        }
    }
    /// The kind.
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
            (Detail::None, _) => f.write_str(self.kind.message()),
        }
    }
}

impl core::error::Error for Trap {}
