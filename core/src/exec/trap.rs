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
        }
    }
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A trap: its kind, plus a message for host traps or a detail (such as the table index
/// of an uninitialized element, which the spec's message names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    kind: TrapKind,
    message: Option<Box<str>>,
}

impl Trap {
    /// A trap of the given kind.
    #[cold]
    pub fn new(kind: TrapKind) -> Trap {
        Trap {
            kind,
            message: None,
        }
    }
    /// A trap raised by a host function, with its own message.
    #[cold]
    pub fn host(message: impl Into<String>) -> Trap {
        Trap {
            kind: TrapKind::Host,
            message: Some(message.into().into_boxed_str()),
        }
    }
    /// `call_indirect` of the null entry `index`: "uninitialized element {index}".
    #[cold]
    pub(crate) fn uninitialized_element(index: u32) -> Trap {
        Trap {
            kind: TrapKind::UninitializedElement,
            message: Some(index.to_string().into_boxed_str()),
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
        match (&self.message, self.kind) {
            (Some(m), TrapKind::Host) => write!(f, "{}: {m}", self.kind.message()),
            (Some(detail), _) => write!(f, "{} {detail}", self.kind.message()),
            (None, _) => f.write_str(self.kind.message()),
        }
    }
}

impl core::error::Error for Trap {}
