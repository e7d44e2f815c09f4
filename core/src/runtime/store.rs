//! The store: every entity instances create lives here, addressed by index.
//!
//! Handles ([`Func`], [`Memory`](super::Memory), …) are a store id plus an index; using a
//! handle with another store is an error value, never a panic.
//!
//! Reference values travel through the interpreter as untyped 64-bit cells: `0` is null,
//! `n + 1` is function `n` (funcref) or extern object `n` (externref) of this store.

use super::{Caller, Engine, Func, Val};
use crate::compile::CompiledFunc;
use crate::exec::Trap;
use crate::memory::{Limiter, Memory as LinearMemory};
use crate::module::{FuncType, GlobalType, ModuleInner, TableType};
use crate::prelude::*;
use core::any::Any;
use core::sync::atomic::{AtomicU32, Ordering};
use hashbrown::HashMap;

/// Interned signature: two functions have the same type iff their `SigId`s are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SigId(pub(crate) u32);

/// A closure implementing a host function.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync>;

/// A function in the store.
pub(crate) enum FuncEntity {
    /// Defined by a Wasm module: its code and the instance whose entities it uses.
    Wasm {
        sig: SigId,
        instance: u32,
        code: Arc<CompiledFunc>,
    },
    /// A host closure, `Store::host_funcs[host]`.
    Host { sig: SigId, host: u32 },
}

impl FuncEntity {
    pub(crate) fn sig(&self) -> SigId {
        match self {
            FuncEntity::Wasm { sig, .. } | FuncEntity::Host { sig, .. } => *sig,
        }
    }
}

/// A table: reference cells (see the module docs for their encoding).
pub(crate) struct TableEntity {
    pub(crate) ty: TableType,
    pub(crate) elements: Vec<u64>,
}

/// A global: its type and value as an untyped cell (floats as bits).
pub(crate) struct GlobalEntity {
    pub(crate) ty: GlobalType,
    pub(crate) value: u64,
}

/// A data segment's bytes; empty once dropped (and for active segments after instantiation).
pub(crate) struct DataEntity {
    pub(crate) bytes: Arc<[u8]>,
}

/// An element segment's references as cells; empty once dropped.
pub(crate) struct ElemEntity {
    pub(crate) items: Vec<u64>,
}

/// An instance: the module it came from and the store indices of everything it uses,
/// indexed by the module's own index spaces (imports first).
pub(crate) struct InstanceEntity {
    pub(crate) module: Arc<ModuleInner>,
    /// Signature of each of the module's type indices.
    pub(crate) sigs: Vec<SigId>,
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    pub(crate) datas: Vec<u32>,
    pub(crate) elems: Vec<u32>,
}

/// Interning of function signatures.
#[derive(Default)]
pub(crate) struct SigRegistry {
    types: Vec<FuncType>,
    ids: HashMap<FuncType, SigId>,
}

impl SigRegistry {
    pub(crate) fn intern(&mut self, ty: &FuncType) -> SigId {
        if let Some(id) = self.ids.get(ty) {
            return *id;
        }
        let id = SigId(self.types.len() as u32);
        self.types.push(ty.clone());
        self.ids.insert(ty.clone(), id);
        id
    }
    pub(crate) fn get(&self, id: SigId) -> &FuncType {
        &self.types[id.0 as usize]
    }
}

/// Everything in a store that does not depend on the host data type `T`.
pub(crate) struct StoreInner {
    pub(crate) engine: Engine,
    pub(crate) id: u32,
    pub(crate) sigs: SigRegistry,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) memories: Vec<LinearMemory>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) datas: Vec<DataEntity>,
    pub(crate) elems: Vec<ElemEntity>,
    pub(crate) externs: Vec<Box<dyn Any + Send + Sync>>,
    /// Remaining fuel, when the engine consumes fuel.
    pub(crate) fuel: u64,
    pub(crate) limiter: Option<Box<dyn Limiter + Send>>,
    /// The interpreter's value stack and call frames.
    pub(crate) stack: crate::exec::Stack,
}

/// Grows `mem`, the store's memory `index`, by `delta` pages, asking `limiter` first and
/// telling it the outcome. Every grow of a store's memory goes through here: the
/// `memory.grow` instruction and [`Memory::grow`](super::Memory::grow) alike.
pub(crate) fn grow_memory(
    mem: &mut LinearMemory,
    index: u32,
    delta: u64,
    mut limiter: Option<&mut (dyn Limiter + Send + 'static)>,
) -> Result<u64, crate::memory::GrowError> {
    let result = mem.grow(delta, limiter.as_deref_mut().map(|l| l as &mut dyn Limiter));
    if let Some(l) = limiter {
        l.memory_grew(index, mem.ty(), delta, result.as_ref().copied());
    }
    result
}

static NEXT_STORE_ID: AtomicU32 = AtomicU32::new(1);

/// Owns all runtime state: instances, functions, memories, tables, globals, and the host's
/// data `T`, which host functions reach through [`Caller`].
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<HostFn<T>>,
    pub(crate) data: T,
}

impl<T> Store<T> {
    /// A new empty store for `engine`, holding the host's `data`.
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        Store {
            inner: StoreInner {
                engine: engine.clone(),
                id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
                sigs: SigRegistry::default(),
                funcs: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                datas: Vec::new(),
                elems: Vec::new(),
                externs: Vec::new(),
                fuel: 0,
                limiter: None,
                stack: crate::exec::Stack::default(),
            },
            host_funcs: Vec::new(),
            data,
        }
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
    /// The host data.
    pub fn data(&self) -> &T {
        &self.data
    }
    /// The host data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }
    /// Installs a limiter asked before any memory of this store is created or grown.
    pub fn set_limiter(&mut self, limiter: impl Limiter + Send + 'static) {
        self.inner.limiter = Some(Box::new(limiter));
    }
    /// Sets the fuel left. Only meaningful when the engine's config consumes fuel.
    pub fn set_fuel(&mut self, fuel: u64) {
        self.inner.fuel = fuel;
    }
    /// Fuel left.
    pub fn fuel(&self) -> u64 {
        self.inner.fuel
    }

    pub(crate) fn add_host_func(&mut self, ty: &FuncType, f: HostFn<T>) -> Func {
        let sig = self.inner.sigs.intern(ty);
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
