//! What the interpreter runs on: every entity instances create, addressed by index, in
//! one [`StoreInner`]. The embedder's `Store<T>` (in `runtime`) owns one and adds what
//! only the embedder API needs (the engine, host closures, host data).
//!
//! Reference values travel through the interpreter as untyped 64-bit cells: `0` is null,
//! `n + 1` is function `n` (funcref), extern object `n` (externref) or exception object
//! `n` (exnref) of this store.
//!
//! # Tags and exception objects
//!
//! A tag ([`TagEntity`]) is an entity like a function: each instantiation defines fresh
//! ones, an import is the exporter's own, and two tags are the same tag exactly when they
//! are the same entity (index), whatever their types. An exception object ([`Exceptions`])
//! is a tag and the payload's cells, made by `throw` (or by the embedder) and held by the
//! store, like the host objects of `externref`s: cells name it by index, and the store
//! cannot know when no cell does any more (the value stack's cells are untyped), so it
//! keeps every object for as long as it lives, with one exception: an object that never
//! left the unwinding that made it (a `catch` or `catch_all`, which deliver the payload
//! but no reference, caught it, and no cell or embedder ever saw a reference to it) is
//! freed at once. A loop that throws and catches that way allocates nothing.
//!
//! What objects hold is counted against the store's limiter like a table that only grows
//! ([`crate::memory::Limiter::exceptions_growing`], in cells
//! of [`TABLE_ELEMENT_BYTES`](crate::memory::TABLE_ELEMENT_BYTES)), asked whenever they
//! would hold more than it approved so far; without a limiter they are capped at
//! [`MAX_EXCEPTION_CELLS`]. A refusal traps "exception storage exhausted" where the
//! `throw` is.

use super::{Trap, TrapKind};
use crate::compile::CompiledFunc;
use crate::memory::{Limiter, Memory as LinearMemory};
use crate::module::{FuncType, GlobalType, ModuleInner, TableType, TypeId, TypeRegistry};
use crate::prelude::*;
use core::any::Any;
use hashbrown::HashMap;

/// Interned signature: two functions have the same type iff their `SigId`s are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SigId(pub(crate) u32);

/// A function in the store.
pub(crate) enum FuncEntity {
    /// Defined by a Wasm module: its code and the instance whose entities it uses.
    Wasm {
        sig: SigId,
        instance: u32,
        code: Arc<CompiledFunc>,
    },
    /// A host closure: entry `host` of the embedder's list (`runtime`'s `Store`).
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

/// A global: its type and value as an untyped cell (floats as bits); a `v128`'s high
/// half in `hi`.
pub(crate) struct GlobalEntity {
    pub(crate) ty: GlobalType,
    pub(crate) value: u64,
    pub(crate) hi: u64,
}

impl GlobalEntity {
    /// A global of type `ty` holding `bits` (a cell in the low half, all of a `v128`).
    pub(crate) fn new(ty: GlobalType, bits: u128) -> GlobalEntity {
        GlobalEntity {
            ty,
            value: bits as u64,
            hi: (bits >> 64) as u64,
        }
    }
    /// The value's bits (see [`GlobalEntity::new`]).
    pub(crate) fn bits(&self) -> u128 {
        u128::from(self.value) | (u128::from(self.hi) << 64)
    }
}

/// A tag: the signature interned for its function type (parameters: the payload; no
/// results), and where it comes from, to name it in messages.
pub(crate) struct TagEntity {
    pub(crate) sig: SigId,
    /// The instance that defined it and its index among the module's tags; `None` for a
    /// tag the embedder made.
    pub(crate) owner: Option<(u32, u32)>,
}

/// At most this many cells for exception objects in a store without a limiter (as
/// tables' ten million elements): 80 MB.
pub(crate) const MAX_EXCEPTION_CELLS: u64 = 10_000_000;

/// What an exception object costs besides its payload, in cells (its tag and where its
/// payload is), as the limiter is told.
pub(crate) const EXCEPTION_OVERHEAD_CELLS: u64 = 2;

/// One exception object: its tag (store index) and its payload, `cells[start..][..len]`
/// of [`Exceptions`].
#[derive(Debug, Clone, Copy)]
struct ExnEntity {
    tag: u32,
    start: usize,
    len: u32,
    /// Whether a reference to it may exist: a cell held one (`catch_ref`,
    /// `catch_all_ref`, a payload), or the embedder saw it. Until then it can be freed
    /// when caught (see the module docs).
    exposed: bool,
}

/// A store's exception objects (see the module docs).
#[derive(Default)]
pub(crate) struct Exceptions {
    objects: Vec<ExnEntity>,
    cells: Vec<u64>,
    /// Cells the limiter approved so far (objects' overhead included).
    approved: u64,
}

impl Exceptions {
    /// The cells the objects take, overhead included.
    fn used(&self) -> u64 {
        (self.objects.len() as u64)
            .saturating_mul(EXCEPTION_OVERHEAD_CELLS)
            .saturating_add(self.cells.len() as u64)
    }

    /// A new object of tag `tag` (store index) with `payload`, asking `limiter` when the
    /// objects would hold more than it approved (capped at [`MAX_EXCEPTION_CELLS`]
    /// without one); its index, or the trap "exception storage exhausted".
    pub(crate) fn alloc(
        &mut self,
        tag: u32,
        payload: &[u64],
        limiter: Option<&mut dyn StoreLimiter>,
        exposed: bool,
    ) -> Result<u32, Trap> {
        let exhausted = |why: String| Trap::with_detail(TrapKind::ExceptionsExhausted, why);
        let need = self
            .used()
            .saturating_add(EXCEPTION_OVERHEAD_CELLS)
            .saturating_add(payload.len() as u64);
        if need > self.approved {
            match limiter {
                Some(l) => l
                    .exceptions_growing(self.approved, need)
                    .map_err(|r| exhausted(format!("(refused by the limiter: {r})")))?,
                None if need > MAX_EXCEPTION_CELLS => {
                    return Err(exhausted(format!(
                        "(more than {MAX_EXCEPTION_CELLS} cells of exception objects)"
                    )));
                }
                None => {}
            }
            self.approved = need;
        }
        let index = u32::try_from(self.objects.len())
            .ok()
            .filter(|&i| i < u32::MAX - 1)
            .ok_or_else(|| exhausted("(too many exception objects)".into()))?;
        let out_of_memory = |_| exhausted("(out of memory)".into());
        self.objects.try_reserve(1).map_err(out_of_memory)?;
        self.cells
            .try_reserve(payload.len())
            .map_err(out_of_memory)?;
        let start = self.cells.len();
        self.cells.extend_from_slice(payload);
        self.objects.push(ExnEntity {
            tag,
            start,
            // `payload` comes from a tag's parameters: far fewer than 2^32.
            len: payload.len() as u32,
            exposed,
        });
        Ok(index)
    }

    /// The tag (store index) of object `index`.
    pub(crate) fn tag(&self, index: u32) -> Option<u32> {
        self.objects.get(index as usize).map(|o| o.tag)
    }

    /// The payload cells of object `index`.
    pub(crate) fn payload(&self, index: u32) -> Option<&[u64]> {
        let o = self.objects.get(index as usize)?;
        self.cells
            .get(o.start..o.start.checked_add(o.len as usize)?)
    }

    /// A reference to object `index` now exists (in a cell, or the embedder's hands).
    pub(crate) fn expose(&mut self, index: u32) {
        if let Some(o) = self.objects.get_mut(index as usize) {
            o.exposed = true;
        }
    }

    /// Object `index` was caught without a reference to it: freed if no reference to it
    /// ever existed (it is then the last object: nothing was made since its `throw`).
    pub(crate) fn caught_unseen(&mut self, index: u32) {
        let last = self.objects.len().checked_sub(1);
        if let Some(o) = self.objects.last()
            && last == Some(index as usize)
            && !o.exposed
        {
            self.cells.truncate(o.start);
            self.objects.pop();
        }
    }

    /// How many objects the store holds.
    pub(crate) fn len(&self) -> usize {
        self.objects.len()
    }
}

/// The limiter a store owns: whatever `Limiter + Send` the embedder installed, kept as
/// `Any` too, so that the embedder can have it back as its own type
/// (`Store::limiter`).
pub(crate) trait StoreLimiter: Limiter + Any + Send {}

impl<L: Limiter + Any + Send> StoreLimiter for L {}

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
    /// By the module's function index: the bytecode of each function the module defines
    /// (null for imports), so a call within the instance finds it directly.
    pub(crate) local_code: Vec<CodePtr>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    pub(crate) datas: Vec<u32>,
    pub(crate) elems: Vec<u32>,
    /// Store index of each of the module's tags.
    pub(crate) tags: Vec<u32>,
}

/// The function signatures of a store: a dense [`SigId`] for each of the engine's types
/// ([`TypeId`]) that the store uses, so that a `call_indirect` compares two numbers.
#[derive(Default)]
pub(crate) struct SigRegistry {
    types: Vec<(FuncType, TypeId)>,
    ids: HashMap<TypeId, SigId>,
}

impl SigRegistry {
    /// The signature of the engine's type `id`, which is `ty`.
    pub(crate) fn intern(&mut self, ty: &FuncType, id: TypeId) -> SigId {
        if let Some(sig) = self.ids.get(&id) {
            return *sig;
        }
        let sig = SigId(self.types.len() as u32);
        self.types.push((ty.clone(), id));
        self.ids.insert(id, sig);
        sig
    }
    pub(crate) fn get(&self, id: SigId) -> &FuncType {
        &self.types[id.0 as usize].0
    }
    /// The engine's type of signature `id`.
    pub(crate) fn type_id(&self, id: SigId) -> TypeId {
        self.types[id.0 as usize].1
    }
}

impl StoreInner {
    /// The signature of `ty` written by the host (not by a module): interned as the
    /// engine's type of that signature, a recursion group of its own.
    pub(crate) fn host_sig(&mut self, ty: &FuncType) -> SigId {
        // The registry refuses a type only once it holds u32::MAX - 10^6 of them, each
        // a `FuncType` of at least 40 bytes: ~170 GB, which allocation cannot reach
        // before (and no 32-bit target can address).
        let id = self
            .types
            .intern(ty.clone())
            .expect("a registry of more than 4 billion types");
        self.sigs.intern(ty, id)
    }
}

/// The limits and switches of the engine that execution needs, copied into each store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Wasm (and host) frames allowed at once.
    pub(crate) max_call_depth: u32,
    /// Value-stack cells allowed at once.
    pub(crate) max_value_stack: usize,
    /// Whether execution consumes fuel.
    pub(crate) consume_fuel: bool,
    /// Host stack bytes nested calls may take below the outermost call's start.
    pub(crate) max_host_stack: usize,
    /// How a thread blocks in `memory.atomic.wait` (`None`: it cannot).
    pub(crate) new_parker: Option<crate::memory::NewParker>,
}

/// Everything in a store that does not depend on the host data type `T`.
pub(crate) struct StoreInner {
    pub(crate) limits: Limits,
    pub(crate) id: u32,
    /// The engine's function types, which every concrete reference type in the store
    /// refers to.
    pub(crate) types: Arc<TypeRegistry>,
    pub(crate) sigs: SigRegistry,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) memories: Vec<LinearMemory>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) datas: Vec<DataEntity>,
    pub(crate) elems: Vec<ElemEntity>,
    pub(crate) externs: Vec<Box<dyn Any + Send + Sync>>,
    pub(crate) tags: Vec<TagEntity>,
    pub(crate) exns: Exceptions,
    /// Remaining fuel, when the engine consumes fuel.
    pub(crate) fuel: u64,
    pub(crate) limiter: Option<Box<dyn StoreLimiter>>,
    /// The interpreter's value stack and call frames.
    pub(crate) stack: super::Stack,
}

impl StoreInner {
    /// An empty store with identity `id`.
    pub(crate) fn new(id: u32, limits: Limits, types: Arc<TypeRegistry>) -> StoreInner {
        StoreInner {
            limits,
            id,
            types,
            sigs: SigRegistry::default(),
            funcs: Vec::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            instances: Vec::new(),
            datas: Vec::new(),
            elems: Vec::new(),
            externs: Vec::new(),
            tags: Vec::new(),
            exns: Exceptions::default(),
            fuel: 0,
            limiter: None,
            stack: super::Stack::default(),
        }
    }
}

/// Grows `mem`, the store's memory `index`, by `delta` pages, asking `limiter` first and
/// telling it the outcome. Every grow of a store's memory goes through here: the
/// `memory.grow` instruction and the embedder's `Memory::grow` alike.
pub(crate) fn grow_memory(
    mem: &mut LinearMemory,
    index: u32,
    delta: u64,
    mut limiter: Option<&mut dyn StoreLimiter>,
) -> Result<u64, crate::memory::GrowError> {
    let result = mem.grow(delta, limiter.as_deref_mut().map(|l| l as &mut dyn Limiter));
    if let Some(l) = limiter {
        l.memory_grew(index, mem.ty(), delta, result.as_ref().copied());
    }
    result
}

/// A pointer to the bytecode of a function an instance defines: its module (which the
/// instance keeps in an `Arc`) owns the bytecode, so it stays valid as long as the
/// instance, that is as long as the store. Null for an imported function.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodePtr(pub(crate) *const CompiledFunc);

// SAFETY: the pointee is immutable bytecode shared through `Arc`s, which are `Send` and
// `Sync`; the pointer moves and is shared with the store that owns the instance.
#[allow(unsafe_code)]
unsafe impl Send for CodePtr {}
// SAFETY: as above.
#[allow(unsafe_code)]
unsafe impl Sync for CodePtr {}
