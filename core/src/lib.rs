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
//! | [`runtime`] | [`Store`], [`Instance`], [`Linker`], [`Func`], [`Table`], [`Global`], [`Tag`], [`Val`] |
//!
//! Dependencies point one way: `runtime → exec → module → compile`, and `exec` also uses
//! `compile`'s bytecode. `module` translates each body as it validates it, so it calls
//! `compile`; `compile` knows nothing of modules. `exec` runs on the store state it
//! defines itself (`exec::store`), which `runtime`'s [`Store`] owns; it never calls the
//! embedder API (a host call leaves the interpreter and `runtime` runs it). All of them
//! may use `memory`, which depends on nothing else in the crate, and report through the
//! crate's [`Error`] (a type that names a [`Trap`] or a memory error, nothing more).
//!
//! # Example
//!
//! Instantiate a module with a host function, call an export, and grow its memory from
//! the embedder, asking which limit refuses once the declared maximum is reached:
//!
//! ```
//! use folio::{Engine, ErrorKind, FuncType, Linker, Module, Store, Val, ValType};
//! use folio::memory::GrowError;
//!
//! // (module
//! //   (import "host" "double" (func $double (param i32) (result i32)))
//! //   (memory (export "memory") 1 3)
//! //   (func (export "run") (param i32) (result i32)
//! //     (call $double (i32.add (local.get 0) (i32.const 1)))))
//! let wasm: &[u8] = &[
//!     0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
//!     0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type 0: (i32) -> i32
//!     0x02, 0x0f, 0x01, 0x04, b'h', b'o', b's', b't', // import "host"
//!     0x06, b'd', b'o', b'u', b'b', b'l', b'e', 0x00, 0x00, //   "double" (func type 0)
//!     0x03, 0x02, 0x01, 0x00, // function 1 has type 0
//!     0x05, 0x04, 0x01, 0x01, 0x01, 0x03, // memory 1..3 pages
//!     0x07, 0x10, 0x02, // two exports
//!     0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, // "memory" = memory 0
//!     0x03, b'r', b'u', b'n', 0x00, 0x01, // "run" = func 1
//!     0x0a, 0x0b, 0x01, 0x09, 0x00, // code: one body, no locals
//!     0x20, 0x00, 0x41, 0x01, 0x6a, 0x10, 0x00, 0x0b, // local.get 0, i32.const 1, i32.add, call 0, end
//! ];
//! let engine = Engine::default();
//! let module = Module::new(&engine, wasm)?;
//! let mut store = Store::new(&engine, ());
//! let mut linker = Linker::new();
//! let ty = FuncType::new([ValType::I32], [ValType::I32]);
//! linker.func_new("host", "double", ty, |_caller, args, results| {
//!     let Val::I32(x) = args[0] else { unreachable!("checked against the signature") };
//!     results[0] = Val::I32(x * 2);
//!     Ok(())
//! })?;
//! let instance = linker.instantiate(&mut store, &module)?;
//!
//! let run = instance.get_func(&store, "run").expect("exported");
//! let mut out = [Val::I32(0)];
//! run.call(&mut store, &[Val::I32(20)], &mut out)?;
//! assert_eq!(out[0], Val::I32(42));
//!
//! let memory = instance.get_memory(&store, "memory").expect("exported");
//! assert_eq!(memory.grow(&mut store, 2)?, 1); // 1 -> 3 pages
//! let refused = memory.grow(&mut store, 1).unwrap_err();
//! assert!(matches!(
//!     refused.kind(),
//!     ErrorKind::Grow(GrowError::DeclaredMaximum { current: 3, delta: 1, maximum: 3 })
//! ));
//! assert_eq!(memory.size(&store)?, 3); // a refused grow changes nothing
//! # Ok::<(), folio::Error>(())
//! ```
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

mod prelude;

mod compile;
mod error;
mod exec;
pub mod memory;
pub mod module;
pub mod runtime;

pub use exec::{Trap, TrapKind};
pub use module::Module;
pub use runtime::*;
