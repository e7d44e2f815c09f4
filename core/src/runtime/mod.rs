//! The embedder API: [`Engine`], [`Store`], [`Linker`], [`Instance`] and the handles
//! [`Func`], [`Memory`], [`Table`], [`Global`], [`Tag`], plus [`Val`] and [`ExnRef`].
//!
//! Handles are plain `Copy` values (store id + index). Every entity lives in its
//! [`Store`]; a handle used with another store yields [`ErrorKind::WrongStore`].

mod call;
mod exn;
mod func;
mod handles;
mod instance;
mod linker;
mod resumable;
pub(crate) mod store;
mod typed;
mod val;

pub use crate::error::{Error, ErrorKind, HostError};
pub use exn::{ExnRef, Tag};
pub use func::{Caller, Func};
pub use handles::{Extern, Global, Memory, Table};
pub use instance::Instance;
pub use linker::Linker;
pub use resumable::{
    ResumableCall, ResumableCallHostTrap, ResumableCallOutOfFuel, TypedResumableCall,
    TypedResumableCallHostTrap, TypedResumableCallOutOfFuel,
};
pub use store::Store;
pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy, WasmTyList};
pub use val::{ExternRef, Val};

pub use crate::memory::{IndexType, MemoryType};
pub use crate::module::{
    ExternType, FuncType, GlobalType, HeapType, Mutability, RefType, TableType, TagType, TypeId,
    ValType,
};

use crate::memory::PageStoreFactory;
use crate::module::Module;
use crate::prelude::*;
use wasmparser::WasmFeatures;

/// The default of [`Config::max_host_stack`]: 512 KiB.
///
/// ```
/// use folio::{Config, DEFAULT_MAX_HOST_STACK};
///
/// assert_eq!(DEFAULT_MAX_HOST_STACK, 512 * 1024);
/// let mut config = Config::default();
/// config.max_host_stack(DEFAULT_MAX_HOST_STACK * 2); // a thread with an 8 MiB stack
/// ```
pub const DEFAULT_MAX_HOST_STACK: usize = 512 * 1024;

/// Settings shared by every store of an engine.
///
/// The defaults: 10,000 call frames, 2^20 value-stack cells (8 MiB), no fuel, every
/// proposal in [`Proposals::ALL`], memories on the heap. The setters chain:
///
/// ```
/// use folio::{Config, Engine, Store};
///
/// let mut config = Config::default();
/// config.max_call_depth(1_000).consume_fuel(true);
/// let engine = Engine::new(&config);
/// let mut store = Store::new(&engine, ());
/// store.set_fuel(10_000)?;
/// assert_eq!(store.get_fuel()?, 10_000);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) max_call_depth: u32,
    pub(crate) max_value_stack: usize,
    pub(crate) consume_fuel: bool,
    pub(crate) max_host_stack: usize,
    pub(crate) new_parker: Option<crate::memory::NewParker>,
    pub(crate) proposals: Proposals,
    pub(crate) reference_types: bool,
    pub(crate) simd: bool,
    /// Creates the page stores of the memories instances define (`None`: the heap).
    pub(crate) page_store: Option<Arc<dyn PageStoreFactory>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_call_depth: 10_000,
            max_value_stack: 1 << 20,
            consume_fuel: false,
            max_host_stack: DEFAULT_MAX_HOST_STACK,
            new_parker: None,
            proposals: Proposals::ALL,
            reference_types: true,
            simd: true,
            page_store: None,
        }
    }
}

impl Config {
    /// Wasm call frames allowed at once; one more traps "call stack exhausted".
    ///
    /// ```
    /// use folio::{Config, Engine, Instance, Module, Store, Val};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "down") (param i32)
    ///       (if (local.get 0) (then (call 0 (i32.sub (local.get 0) (i32.const 1)))))))"#)
    ///     .unwrap();
    /// let mut config = Config::default();
    /// config.max_call_depth(100);
    /// let engine = Engine::new(&config);
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let down = instance.get_func(&store, "down").unwrap();
    /// down.call(&mut store, &[Val::I32(50)], &mut [])?; // 51 frames
    /// let err = down.call(&mut store, &[Val::I32(500)], &mut []).unwrap_err();
    /// assert!(err.to_string().contains("call stack exhausted"));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn max_call_depth(&mut self, depth: u32) -> &mut Self {
        self.max_call_depth = depth;
        self
    }
    /// Value-stack cells (64-bit) allowed at once; more traps "call stack exhausted".
    /// Every frame takes at least one cell per parameter and local.
    ///
    /// ```
    /// use folio::{Config, Engine, Instance, Module, Store, Val};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "down") (param i32)
    ///       (if (local.get 0) (then (call 0 (i32.sub (local.get 0) (i32.const 1)))))))"#)
    ///     .unwrap();
    /// let mut config = Config::default();
    /// config.max_value_stack(1_000);
    /// let engine = Engine::new(&config);
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let down = instance.get_func(&store, "down").unwrap();
    /// down.call(&mut store, &[Val::I32(10)], &mut [])?;
    /// // 5,001 frames are within the call depth (10,000), not within 1,000 cells.
    /// let err = down.call(&mut store, &[Val::I32(5_000)], &mut []).unwrap_err();
    /// assert!(err.to_string().contains("call stack exhausted"));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn max_value_stack(&mut self, cells: usize) -> &mut Self {
        self.max_value_stack = cells;
        self
    }
    /// Host stack bytes that calls nested in a call may take: a host function calling
    /// back into Wasm starts a call further down the host's stack, and a nested call
    /// that would start more than `bytes` below where the outermost call into the store
    /// started traps "call stack exhausted" instead (default
    /// [`DEFAULT_MAX_HOST_STACK`]).
    ///
    /// Wasm calls do not recurse on the host stack; host↔Wasm re-entry does. Each
    /// Wasm→host→Wasm round trip costs about 0.6 KiB of host stack optimised, 2.3 KiB
    /// unoptimised (x86-64, measured by the test `host_stack_per_round_trip`), plus the
    /// host function's own frames: the default allows some 800 round trips (200
    /// unoptimised) and leaves three quarters of a 2 MiB thread (a spawned Rust thread's
    /// default) to the embedder's frames below the call and to the host functions. On a
    /// smaller stack (firmware tasks), set it to what the stack can spare.
    ///
    /// A host function and a Wasm function calling each other: the re-entry traps once it
    /// has taken 64 KiB, long before the call depth limit (10,000 frames) would stop it.
    ///
    /// ```
    /// use folio::{Caller, Config, Engine, Error, Extern, Linker, Module, Store, TrapKind};
    ///
    /// let mut config = Config::default();
    /// config.max_host_stack(64 * 1024); // a task with a 128 KiB stack, say
    /// let engine = Engine::new(&config);
    /// let mut linker = Linker::new();
    /// // down(n) calls the guest's f(n), which calls down(n - 1): f(n) is n round trips.
    /// linker.func_wrap("host", "down", |mut caller: Caller<'_, u32>, n: i32| {
    ///     *caller.data_mut() += 1;
    ///     let f = caller.get_export("f").and_then(Extern::into_func).unwrap();
    ///     f.typed::<i32, i32>(caller.store())?.call(caller.store_mut(), n)
    /// })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "host" "down" (func $down (param i32) (result i32)))
    ///     (func (export "f") (param i32) (result i32)
    ///       (if (result i32) (i32.eqz (local.get 0))
    ///         (then (i32.const 0))
    ///         (else (i32.add (call $down (i32.sub (local.get 0) (i32.const 1)))
    ///                        (i32.const 1))))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, 0u32);
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// let f = instance.get_typed_func::<i32, i32>(&store, "f")?;
    /// assert_eq!(f.call(&mut store, 10)?, 10);
    ///
    /// *store.data_mut() = 0;
    /// let err = f.call(&mut store, 5_000).unwrap_err();
    /// assert_eq!(err.as_trap().map(|t| t.kind()), Some(TrapKind::StackExhausted));
    /// assert!(*store.data() < 1_000); // round trips made before the trap
    /// # Ok::<(), Error>(())
    /// ```
    pub fn max_host_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_host_stack = bytes;
        self
    }
    /// Which proposals beyond WebAssembly 2.0 modules may use (default: all Folio
    /// implements). A module using a disabled one is invalid.
    ///
    /// ```
    /// use folio::{Config, Engine, Module, Proposals};
    ///
    /// let wasm = wat::parse_str("(module (memory i64 1))").unwrap(); // memory64
    /// let mut config = Config::default();
    /// config.proposals(Proposals { memory64: false, ..Proposals::ALL });
    /// assert!(Module::new(&Engine::new(&config), &wasm).is_err());
    /// assert!(Module::new(&Engine::default(), &wasm).is_ok());
    /// ```
    pub fn proposals(&mut self, proposals: Proposals) -> &mut Self {
        self.proposals = proposals;
        self
    }
    /// How a thread blocks in `memory.atomic.wait` on a shared memory until another
    /// thread's `memory.atomic.notify` wakes it: `new_parker` makes a
    /// [`Parker`](crate::memory::Parker) for the waiting thread (`folio-host` has one for
    /// std: `folio_host::threads::new_parker`). Without one (the default: Folio's core
    /// knows no threads), a wait whose value matches returns "timed-out" at once when it
    /// has a timeout, and traps when it has none (it could never end); shared memories
    /// work otherwise, on one thread or many.
    pub fn thread_parker(&mut self, new_parker: crate::memory::NewParker) -> &mut Self {
        self.new_parker = Some(new_parker);
        self
    }
    /// Whether modules may use 128-bit SIMD (`v128`), part of WebAssembly 2.0 (default:
    /// yes; wasmi's `wasm_simd`). Folio built without its `simd` cargo feature never
    /// accepts SIMD, whatever this says: the validator refuses such a module.
    ///
    /// ```
    /// let simd = wat::parse_str("(module (func (result v128) v128.const i32x4 1 2 3 4))").unwrap();
    /// let mut config = folio::Config::default();
    /// assert!(folio::Module::new(&folio::Engine::new(&config), &simd).is_ok());
    /// config.wasm_simd(false);
    /// assert!(folio::Module::new(&folio::Engine::new(&config), &simd).is_err());
    /// ```
    pub fn wasm_simd(&mut self, on: bool) -> &mut Self {
        self.simd = on;
        self
    }
    /// Whether modules may use reference types, part of WebAssembly 2.0 (default: yes;
    /// wasmi's `wasm_reference_types`). Off, modules are held to 1.0's rules there: one
    /// table, no `externref`, no `table.*` instructions beyond `call_indirect`, which
    /// suites written against 1.0 (the threads proposal's) check.
    ///
    /// ```
    /// let two_tables = wat::parse_str("(module (table 1 funcref) (table 1 funcref))").unwrap();
    /// let mut config = folio::Config::default();
    /// assert!(folio::Module::new(&folio::Engine::new(&config), &two_tables).is_ok());
    /// config.wasm_reference_types(false);
    /// assert!(folio::Module::new(&folio::Engine::new(&config), &two_tables).is_err());
    /// ```
    pub fn wasm_reference_types(&mut self, on: bool) -> &mut Self {
        self.reference_types = on;
        self
    }
    /// Whether execution consumes fuel (see [`Store::set_fuel`]); running out traps. A
    /// store starts with none. Fuel counts the Wasm operators executed, one unit each
    /// (those that do nothing at run time, like `nop` and `block`, are free).
    ///
    /// ```
    /// use folio::{Config, Engine, Instance, Module, Store};
    ///
    /// let wasm = wat::parse_str(r#"(module (func (export "spin") (loop (br 0))))"#).unwrap();
    /// let mut config = Config::default();
    /// config.consume_fuel(true);
    /// let engine = Engine::new(&config);
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// store.set_fuel(1_000)?;
    /// let spin = instance.get_func(&store, "spin").unwrap();
    /// let err = spin.call(&mut store, &[], &mut []).unwrap_err();
    /// assert!(err.to_string().contains("all fuel consumed"));
    /// assert_eq!(store.get_fuel()?, 0);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn consume_fuel(&mut self, on: bool) -> &mut Self {
        self.consume_fuel = on;
        self
    }
    /// Where the bytes of memories live: `factory` creates a page store for each memory
    /// (the default is the heap, [`HeapStoreFactory`](crate::memory::HeapStoreFactory)).
    ///
    /// A factory that counts the memories it creates and leaves the bytes on the heap:
    ///
    /// ```
    /// use folio::memory::{HeapStoreFactory, MemoryError, PageStore, PageStoreFactory};
    /// use folio::{Config, Engine, Instance, MemoryType, Module, Store};
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// #[derive(Default)]
    /// struct Counting(AtomicUsize);
    ///
    /// impl PageStoreFactory for Counting {
    ///     fn create(
    ///         &self,
    ///         ty: &MemoryType,
    ///         initial_bytes: usize,
    ///     ) -> Result<Box<dyn PageStore>, MemoryError> {
    ///         self.0.fetch_add(1, Ordering::Relaxed);
    ///         HeapStoreFactory.create(ty, initial_bytes)
    ///     }
    /// }
    ///
    /// let factory = Arc::new(Counting::default());
    /// let mut config = Config::default();
    /// config.page_store(factory.clone());
    /// let engine = Engine::new(&config);
    /// let wasm = wat::parse_str("(module (memory 1) (memory 2))").unwrap();
    /// let mut store = Store::new(&engine, ());
    /// Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// assert_eq!(factory.0.load(Ordering::Relaxed), 2);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn page_store(&mut self, factory: Arc<dyn PageStoreFactory>) -> &mut Self {
        self.page_store = Some(factory);
        self
    }
}

/// The proposals beyond WebAssembly 2.0 that Folio implements, each switchable
/// ([`Config::proposals`]).
///
/// ```
/// use folio::Proposals;
///
/// let no_memory64 = Proposals { memory64: false, ..Proposals::ALL };
/// assert!(no_memory64.multi_memory);
/// assert_ne!(no_memory64, Proposals::ALL);
/// assert!(!Proposals::NONE.extended_const);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposals {
    /// 64-bit memories (`i64` addresses) and 64-bit tables (`i64` indices).
    pub memory64: bool,
    /// More than one memory per module.
    pub multi_memory: bool,
    /// Memories with 1-byte pages.
    pub custom_page_sizes: bool,
    /// Arithmetic in constant expressions.
    pub extended_const: bool,
    /// Threads: shared memories and the atomic instructions.
    pub threads: bool,
    /// Relaxed SIMD: SIMD instructions whose results the standard lets depend on the
    /// host; Folio's are the same on every host (see `exec::simd`'s docs). Needs SIMD
    /// ([`Config::wasm_simd`] and the `simd` cargo feature).
    pub relaxed_simd: bool,
    /// Tail calls: `return_call`, `return_call_indirect` (and `return_call_ref` with
    /// typed function references). A tail call replaces the caller's frame, so a chain of
    /// them runs in constant stack space and does not count against the call depth.
    pub tail_call: bool,
    /// Typed function references: `(ref null? $t)` types, non-nullable locals, `call_ref`,
    /// `return_call_ref` (with tail calls), `ref.as_non_null`, `br_on_null`,
    /// `br_on_non_null`, tables with an initializer.
    pub function_references: bool,
    /// Exception handling (the final proposal, with `exnref`): tags, `throw`,
    /// `throw_ref` and `try_table`. The legacy instructions (`try`, `catch`,
    /// `rethrow`, `delegate`) are not accepted.
    pub exceptions: bool,
    /// Wide arithmetic: `i64.add128`, `i64.sub128`, `i64.mul_wide_s`, `i64.mul_wide_u`
    /// (128-bit results as two `i64`s, low half first).
    pub wide_arithmetic: bool,
}

impl Proposals {
    /// Every proposal Folio implements.
    pub const ALL: Proposals = Proposals {
        memory64: true,
        multi_memory: true,
        custom_page_sizes: true,
        extended_const: true,
        threads: true,
        relaxed_simd: true,
        tail_call: true,
        function_references: true,
        exceptions: true,
        wide_arithmetic: true,
    };
    /// None: WebAssembly 2.0 only.
    pub const NONE: Proposals = Proposals {
        memory64: false,
        multi_memory: false,
        custom_page_sizes: false,
        extended_const: false,
        threads: false,
        relaxed_simd: false,
        tail_call: false,
        function_references: false,
        exceptions: false,
        wide_arithmetic: false,
    };
}

/// WebAssembly 2.0 (SIMD if the `simd` feature is on and `config` wants it), plus the
/// proposals `config` enables, and nothing else.
pub(crate) fn features(config: &Config) -> WasmFeatures {
    let p = &config.proposals;
    let mut f = WasmFeatures::WASM2.difference(WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD);
    let simd = cfg!(feature = "simd") && config.simd;
    f.set(WasmFeatures::SIMD, simd);
    f.set(WasmFeatures::RELAXED_SIMD, simd && p.relaxed_simd);
    f.set(WasmFeatures::REFERENCE_TYPES, config.reference_types);
    f.set(WasmFeatures::MEMORY64, p.memory64);
    f.set(WasmFeatures::MULTI_MEMORY, p.multi_memory);
    f.set(WasmFeatures::CUSTOM_PAGE_SIZES, p.custom_page_sizes);
    f.set(WasmFeatures::EXTENDED_CONST, p.extended_const);
    f.set(WasmFeatures::THREADS, p.threads);
    f.set(WasmFeatures::TAIL_CALL, p.tail_call);
    f.set(WasmFeatures::FUNCTION_REFERENCES, p.function_references);
    // WebAssembly 3.0 lets a constant expression read any earlier immutable global, a
    // rule wasmparser validates only with its GC feature. With typed references on, that
    // feature is on too, and Folio refuses every construct of GC itself: struct and
    // array types, recursion groups, declared supertypes (the type section), heap types
    // other than func, extern and exn and their bottoms (`module::ref_type`), and GC's
    // instructions (the translator knows none of them).
    f.set(WasmFeatures::GC, p.function_references);
    f.set(WasmFeatures::EXCEPTIONS, p.exceptions);
    f.set(WasmFeatures::LEGACY_EXCEPTIONS, false);
    f.set(WasmFeatures::WIDE_ARITHMETIC, p.wide_arithmetic);
    f
}

impl Module {
    /// Parses, validates and translates `bytes` (the binary format), with the proposals
    /// `engine` enables.
    ///
    /// # Errors
    /// [`ErrorKind::Module`] with wasmparser's message and byte offset for malformed or
    /// invalid modules; [`ErrorKind::Unsupported`] for what Folio lacks.
    ///
    /// ```
    /// use folio::{Engine, ErrorKind, Module};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module (func (export "f")))"#).unwrap();
    /// let module = Module::new(&engine, &wasm)?;
    /// assert_eq!(module.defined_funcs(), 1);
    ///
    /// // A module section cut short: an error with the byte offset, never a panic.
    /// let err = Module::new(&engine, b"\0asm\x01\0\0\0\x05").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Module { offset: 8.., .. }));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        Module::parse(
            features(&engine.config),
            engine.config.consume_fuel,
            &engine.types,
            bytes,
        )
    }
}

/// Compiles modules and creates stores; cheap to clone.
///
/// An engine holds only its [`Config`]: every store made from it, and every module
/// compiled with it, follows that config. Stores are independent of each other; a module
/// may be instantiated in any store of its engine.
///
/// ```
/// use folio::{Engine, Instance, Module, Store};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module (global (export "g") i32 (i32.const 7)))"#).unwrap();
/// let module = Module::new(&engine, &wasm)?;
/// let mut a = Store::new(&engine, ());
/// let mut b = Store::new(&engine.clone(), ());
/// let in_a = Instance::new(&mut a, &module, &[])?;
/// Instance::new(&mut b, &module, &[])?;
/// assert!(in_a.get_export(&a, "g").is_some());
/// assert!(in_a.get_export(&b, "g").is_none()); // a handle belongs to one store
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    pub(crate) config: Arc<Config>,
    /// The function types of every module it loaded (see [`Engine::func_type`]).
    pub(crate) types: Arc<crate::module::TypeRegistry>,
}

impl Engine {
    /// An engine with the given settings (copied: changing `config` later does not
    /// change the engine).
    ///
    /// ```
    /// use folio::{Config, Engine, Store};
    ///
    /// let mut config = Config::default();
    /// config.consume_fuel(true);
    /// let engine = Engine::new(&config);
    /// config.consume_fuel(false);
    /// assert_eq!(Store::new(&engine, ()).get_fuel()?, 0);
    /// assert!(Store::new(&Engine::default(), ()).get_fuel().is_err()); // fuel is off
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn new(config: &Config) -> Engine {
        Engine {
            config: Arc::new(config.clone()),
            types: Arc::default(),
        }
    }
    /// The function type `id` stands for in a concrete reference type (`(ref $t)`)
    /// of this engine's modules and stores; `None` for an id it never gave.
    ///
    /// ```
    /// use folio::{Engine, ExternType, FuncType, HeapType, Module, RefType, ValType};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (type $t (func (param i32) (result i32)))
    ///     (global (export "g") (ref null $t) (ref.null $t)))"#)
    ///     .unwrap();
    /// let module = Module::new(&engine, &wasm)?;
    /// let Some((_, ExternType::Global(g))) = module.exports().next() else { panic!() };
    /// let ValType::Ref(RefType { heap: HeapType::Concrete(id), .. }) = g.content else {
    ///     panic!("a concrete reference")
    /// };
    /// let t = FuncType::new([ValType::I32], [ValType::I32]);
    /// assert_eq!(engine.func_type(id), Some(t));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn func_type(&self, id: crate::module::TypeId) -> Option<FuncType> {
        self.types.get(id)
    }
    /// The settings, e.g. to make another engine like this one.
    ///
    /// ```
    /// use folio::{Config, Engine, Store};
    ///
    /// let mut config = Config::default();
    /// config.consume_fuel(true);
    /// let twin = Engine::new(Engine::new(&config).config());
    /// assert!(Store::new(&twin, ()).get_fuel().is_ok());
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new(&Config::default())
    }
}

#[cfg(test)]
mod tests;
