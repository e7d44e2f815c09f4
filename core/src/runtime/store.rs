//! The embedder's store: the interpreter's [`StoreInner`] (every entity instances create,
//! addressed by index; defined in `exec`), plus what only the embedder API needs: the
//! engine, the host functions' closures and the host data `T`.
//!
//! Handles ([`Func`], [`Memory`](super::Memory), …) are a store id plus an index; using a
//! handle with another store is an error value, never a panic.

use super::{Caller, Engine, Error, ErrorKind, Func, Val};
use crate::exec::Stack;
use crate::exec::store::{FuncEntity, Limits, SigId, StoreInner};
use crate::memory::Limiter;
use crate::module::FuncType;
use crate::prelude::*;
use core::any::Any;
use core::sync::atomic::{AtomicU32, Ordering};
use hashbrown::HashMap;

/// A closure implementing a host function, on cells: it receives its arguments in the
/// first cells of the slice (at least as many as it has parameters and results) and
/// writes its results over them. [`Func::new`]'s and [`Func::wrap`]'s closures are
/// adapted to it (`func::untyped`, `typed::IntoFunc`).
pub(crate) type HostFn<T> =
    Arc<dyn Fn(Caller<'_, T>, &mut [u64]) -> Result<(), Error> + Send + Sync>;

static NEXT_STORE_ID: AtomicU32 = AtomicU32::new(1);

/// Owns all runtime state: instances, functions, memories, tables, globals, and the host's
/// data `T`, which host functions reach through [`Caller`].
///
/// Nothing a store holds is freed before the store is dropped (but for an exception object
/// no reference to which ever existed, freed when caught: see
/// [`Limiter::exceptions_growing`]). A host
/// function that counts its calls in the host data:
///
/// ```
/// use folio::{Engine, FuncType, Linker, Module, Store};
///
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, 0u32);
/// let mut linker = Linker::new();
/// linker.func_new("host", "tick", FuncType::new([], []), |mut caller, _, _| {
///     *caller.data_mut() += 1;
///     Ok(())
/// })?;
/// let wasm = wat::parse_str(r#"(module
///     (import "host" "tick" (func $tick))
///     (func (export "run") (call $tick) (call $tick)))"#)
///     .unwrap();
/// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
/// let run = instance.get_func(&store, "run").unwrap();
/// run.call(&mut store, &[], &mut [])?;
/// assert_eq!(*store.data(), 2);
/// # Ok::<(), folio::Error>(())
/// ```
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) engine: Engine,
    pub(crate) host_funcs: Vec<HostFn<T>>,
    /// The host functions a [`Linker`](super::Linker) placed in this store, by the
    /// closure's address and the signature's index: a linker shared by many stores keeps
    /// nothing per store, and each store places each definition once. (The store holds
    /// every closure it placed, in `host_funcs`, so no address is reused while it lives.)
    pub(crate) placed: HashMap<(usize, SigId), Func>,
    /// Scratch for host calls' argument and result cells, and for the values of untyped
    /// host functions, so that host calls allocate nothing.
    pub(crate) host_cells: Vec<u64>,
    /// Scratch for [`Func::call`]'s argument and result cells.
    pub(crate) call_cells: Vec<u64>,
    /// Where the host stack was when the outermost call into this store started (0: no
    /// call is running): nested calls (a host function calling back in) are refused once
    /// they start further than the engine's `max_host_stack` from it.
    pub(crate) host_stack_start: usize,
    /// Stacks of finished resumable calls, for the next ones (see `resumable`).
    pub(crate) spare_stacks: Vec<Stack>,
    pub(crate) host_vals: Vec<Val>,
    pub(crate) data: T,
}

impl<T> Store<T> {
    /// A new empty store for `engine`, holding the host's `data`.
    ///
    /// ```
    /// use folio::{Engine, Store};
    ///
    /// let store = Store::new(&Engine::default(), String::from("host state"));
    /// assert_eq!(store.data(), "host state");
    /// ```
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        let config = &engine.config;
        let limits = Limits {
            max_call_depth: config.max_call_depth,
            max_value_stack: config.max_value_stack,
            consume_fuel: config.consume_fuel,
            max_host_stack: config.max_host_stack,
            new_parker: config.new_parker,
        };
        Store {
            inner: StoreInner::new(
                NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
                limits,
                engine.types.clone(),
            ),
            engine: engine.clone(),
            host_funcs: Vec::new(),
            placed: HashMap::new(),
            host_cells: Vec::new(),
            call_cells: Vec::new(),
            host_stack_start: 0,
            spare_stacks: Vec::new(),
            host_vals: Vec::new(),
            data,
        }
    }
    /// The engine the store was made with.
    ///
    /// ```
    /// use folio::{Engine, Module, Store};
    ///
    /// let store = Store::new(&Engine::default(), ());
    /// let wasm = wat::parse_str("(module)").unwrap();
    /// let module = Module::new(store.engine(), &wasm)?;
    /// assert_eq!(module.defined_funcs(), 0);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    /// The host data.
    ///
    /// ```
    /// use folio::{Engine, Store};
    ///
    /// let store = Store::new(&Engine::default(), vec![1, 2, 3]);
    /// assert_eq!(store.data().len(), 3);
    /// ```
    pub fn data(&self) -> &T {
        &self.data
    }
    /// The host data, writable.
    ///
    /// ```
    /// use folio::{Engine, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), Vec::new());
    /// store.data_mut().push("log line");
    /// assert_eq!(store.data(), &["log line"]);
    /// ```
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }
    /// Installs a limiter asked before any memory or table of this store is created or
    /// grown (see [`Limiter`]; install it before instantiating, so that it sees what
    /// instantiation creates). A later call replaces the limiter.
    ///
    /// A module asking for more than the limiter allows does not instantiate, and a grow
    /// past it is refused, naming the limiter:
    ///
    /// ```
    /// use folio::memory::{GrowError, MaxBytes};
    /// use folio::{Engine, ErrorKind, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// store.set_limiter(MaxBytes(2 << 16)); // two 64 KiB pages per memory
    ///
    /// let big = wat::parse_str("(module (memory 3))").unwrap();
    /// assert!(Instance::new(&mut store, &Module::new(&engine, &big)?, &[]).is_err());
    ///
    /// let small = wat::parse_str(r#"(module (memory (export "m") 1))"#).unwrap();
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &small)?, &[])?;
    /// let memory = instance.get_memory(&store, "m").unwrap();
    /// assert_eq!(memory.grow(&mut store, 1)?, 1);
    /// let err = memory.grow(&mut store, 1).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Grow(GrowError::Limiter { current: 2, .. })));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn set_limiter(&mut self, limiter: impl Limiter + Send + 'static) {
        self.inner.limiter = Some(Box::new(limiter));
    }
    /// The installed limiter, if it is an `L`: the embedder reads its own limiter's state
    /// back (what a running total has counted, say).
    ///
    /// ```
    /// use folio::memory::MaxTotalBytes;
    /// use folio::{Engine, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// store.set_limiter(MaxTotalBytes::new(1 << 20));
    /// let wasm = wat::parse_str("(module (memory 2) (table 10 funcref))").unwrap();
    /// Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let used = store.limiter::<MaxTotalBytes>().map(|l| l.used());
    /// assert_eq!(used, Some(2 * 65536 + 10 * folio::memory::TABLE_ELEMENT_BYTES));
    /// assert!(store.limiter::<folio::memory::MaxBytes>().is_none());
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn limiter<L: Limiter + 'static>(&self) -> Option<&L> {
        let limiter: &dyn Any = self.inner.limiter.as_deref()?;
        limiter.downcast_ref()
    }
    /// The installed limiter, writable, if it is an `L` (to raise a budget between calls,
    /// say).
    pub fn limiter_mut<L: Limiter + 'static>(&mut self) -> Option<&mut L> {
        let limiter: &mut dyn Any = self.inner.limiter.as_deref_mut()?;
        limiter.downcast_mut()
    }
    /// Sets the fuel left.
    ///
    /// # Errors
    /// [`ErrorKind::FuelDisabled`] when the engine's config
    /// does not consume fuel (the fuel would be ignored).
    ///
    /// ```
    /// use folio::{Config, Engine, ErrorKind, Store};
    ///
    /// let mut store = Store::new(&Engine::new(Config::default().consume_fuel(true)), ());
    /// store.set_fuel(500)?;
    /// assert_eq!(store.get_fuel()?, 500);
    ///
    /// let mut unmetered = Store::new(&Engine::default(), ());
    /// let err = unmetered.set_fuel(500).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::FuelDisabled));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.fuel_enabled()?;
        self.inner.fuel = fuel;
        Ok(())
    }
    /// The fuel left.
    ///
    /// # Errors
    /// [`ErrorKind::FuelDisabled`] when the engine's config
    /// does not consume fuel.
    ///
    /// What a call cost is the difference before and after; here four operators:
    /// `local.get`, `i32.const` and `i32.add` (fused into one instruction, charged as
    /// three) and the function's `end`.
    ///
    /// ```
    /// use folio::{Config, Engine, Instance, Module, Store, Val};
    ///
    /// let engine = Engine::new(Config::default().consume_fuel(true));
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "inc") (param i32) (result i32)
    ///       (i32.add (local.get 0) (i32.const 1))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// store.set_fuel(100)?;
    /// let mut out = [Val::I32(0)];
    /// instance.get_func(&store, "inc").unwrap().call(&mut store, &[Val::I32(41)], &mut out)?;
    /// assert_eq!(out[0], Val::I32(42));
    /// assert_eq!(100 - store.get_fuel()?, 4);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.fuel_enabled()?;
        Ok(self.inner.fuel)
    }
    /// `Ok` when the engine consumes fuel.
    fn fuel_enabled(&self) -> Result<(), Error> {
        if self.inner.limits.consume_fuel {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::FuelDisabled))
        }
    }

    /// The host function `f` of type `ty` placed in this store by a linker: placed on
    /// first use, the same `Func` after.
    pub(crate) fn placed_host_func(&mut self, ty: &FuncType, f: &HostFn<T>) -> Func {
        let key = (
            Arc::as_ptr(f) as *const () as usize,
            self.inner.host_sig(ty),
        );
        if let Some(&func) = self.placed.get(&key) {
            return func;
        }
        let func = self.add_host_func(ty, f.clone());
        self.placed.insert(key, func);
        func
    }

    pub(crate) fn add_host_func(&mut self, ty: &FuncType, f: HostFn<T>) -> Func {
        let sig = self.inner.host_sig(ty);
        let host = self.host_funcs.len() as u32;
        self.host_funcs.push(f);
        let index = self.inner.funcs.len() as u32;
        self.inner.funcs.push(FuncEntity::Host { sig, host });
        Func {
            store: self.inner.id,
            index,
        }
    }
}
