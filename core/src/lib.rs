//! Folio: a `#![no_std]` WebAssembly interpreter that owns its linear memory.
//!
//! A module travels through the crate in the order of its folders:
//!
//! | module | owns |
//! |---|---|
//! | [`memory`] | linear memory: types and limits, page stores, grow, bounds-checked access |
//! | [`module`] | bytes → validated [`Module`] (wasmparser parses and validates) |
//! | `compile` | function bodies → Folio's internal bytecode |
//! | `exec` | the interpreter loop, value stack, call frames, traps, fuel |
//! | [`runtime`] | [`Store`], [`Instance`], [`Linker`], [`Func`], [`Table`], [`Global`], [`Val`] |
//!
//! Dependencies point one way: `runtime → exec → compile → module`, and all of them may
//! use `memory`, which depends on nothing else in the crate.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

mod prelude;

mod compile;
mod exec;
pub mod memory;
pub mod module;
pub mod runtime;

pub use exec::{Trap, TrapKind};
pub use module::Module;
pub use runtime::*;
