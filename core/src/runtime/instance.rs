//! Instantiation (core spec 2.0, §4.5.4): resolve imports, allocate, evaluate
//! initialisers, apply active segments in order, run the start function.
//!
//! As in the spec, entities are allocated before segments are applied: a segment that
//! traps leaves what earlier segments wrote (also in imported memories and tables) and
//! the instantiation fails with that trap.

use super::{
    Error, ErrorKind, Extern, Func, Global, Memory, Store, Table, Tag, TypedFunc, WasmParams,
    WasmResults,
};
use crate::exec::store::{
    CodePtr, DataEntity, ElemEntity, FuncEntity, GlobalEntity, InstanceEntity, StoreInner,
    TagEntity,
};
use crate::exec::{Trap, TrapKind};
use crate::memory::MemoryType;
use crate::memory::PageStoreFactory;
use crate::module::{
    ConstExpr, ConstOp, DataMode, ElemMode, ExportIndex, GlobalType, ImportKind, Module,
    Mutability, TableType, TypeMap,
};
use crate::prelude::*;

/// An instantiated module in a [`Store`]: a handle, `Copy`, valid only with that store.
///
/// Its exports are found by name ([`get_export`](Self::get_export) and the typed getters)
/// or listed ([`exports`](Self::exports)).
///
/// ```
/// use folio::{Engine, Instance, Module, Store, Val};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (global $n (export "n") (mut i32) (i32.const 0))
///     (func (export "bump") (global.set $n (i32.add (global.get $n) (i32.const 1)))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let bump = instance.get_func(&store, "bump").unwrap();
/// bump.call(&mut store, &[], &mut [])?;
/// bump.call(&mut store, &[], &mut [])?;
/// assert_eq!(instance.get_global(&store, "n").unwrap().get(&store)?, Val::I32(2));
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl Instance {
    /// Instantiates `module` with `imports` given in the order of the module's imports.
    ///
    /// # Errors
    /// A link error when an import is missing or of an incompatible type; a trap when a
    /// segment is out of bounds or the start function traps; a memory error when a memory
    /// cannot be allocated.
    ///
    /// Without a [`Linker`](super::Linker), imports are handles given in order:
    ///
    /// ```
    /// use folio::{Engine, Func, FuncType, Global, GlobalType, Instance, Module, Mutability};
    /// use folio::{Store, Val, ValType};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "base" (global i32))
    ///     (import "env" "double" (func $double (param i32) (result i32)))
    ///     (func (export "run") (result i32) (call $double (global.get 0))))"#)
    ///     .unwrap();
    /// let module = Module::new(&engine, &wasm)?;
    /// let mut store = Store::new(&engine, ());
    /// let ty = GlobalType { content: ValType::I32, mutability: Mutability::Const };
    /// let base = Global::new(&mut store, ty, Val::I32(21))?;
    /// let ty = FuncType::new([ValType::I32], [ValType::I32]);
    /// let double = Func::new(&mut store, ty, |_, args, results| {
    ///     let Val::I32(x) = args[0] else { unreachable!() };
    ///     results[0] = Val::I32(x * 2);
    ///     Ok(())
    /// });
    ///
    /// assert!(Instance::new(&mut store, &module, &[base.into()]).is_err()); // one missing
    /// let instance = Instance::new(&mut store, &module, &[base.into(), double.into()])?;
    /// let mut out = [Val::I32(0)];
    /// instance.get_func(&store, "run").unwrap().call(&mut store, &[], &mut out)?;
    /// assert_eq!(out[0], Val::I32(42));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn new<T>(
        store: &mut Store<T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance, Error> {
        let m = &module.inner;
        if imports.len() != m.imports.len() {
            return Err(Error::link(format!(
                "expected {} imports, got {}",
                m.imports.len(),
                imports.len()
            )));
        }
        let held = store.inner.instances.len();
        store
            .inner
            .below_limit("instances", held, |l| l.instances())?;
        let factory = store.engine.config.page_store.as_deref();
        let index = allocate(&mut store.inner, factory, module, imports)?;
        if let Some(start) = m.start {
            let func = store.inner.instances[index as usize].funcs[start as usize];
            super::call::call(store, func, &[], &mut [])?;
        }
        Ok(Instance {
            store: store.inner.id,
            index,
        })
    }

    /// The export called `name`; `None` when there is none, or with another store.
    ///
    /// ```
    /// use folio::{Engine, Extern, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module (memory (export "mem") 1))"#).unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// assert!(matches!(instance.get_export(&store, "mem"), Some(Extern::Memory(_))));
    /// assert!(instance.get_export(&store, "nothing").is_none());
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_export<T>(&self, store: &Store<T>, name: &str) -> Option<Extern> {
        if self.store != store.inner.id {
            return None;
        }
        export_of(&store.inner, self.index, name)
    }
    /// The exported function called `name`; `None` also when the export is not a function.
    ///
    /// ```
    /// use folio::{Engine, FuncType, Instance, Module, Store, ValType};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "id") (param f64) (result f64) (local.get 0))
    ///     (memory (export "mem") 1))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let id = instance.get_func(&store, "id").unwrap();
    /// assert_eq!(id.ty(&store)?, FuncType::new([ValType::F64], [ValType::F64]));
    /// assert!(instance.get_func(&store, "mem").is_none());
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_func<T>(&self, store: &Store<T>, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }
    /// The exported function called `name`, as a [`TypedFunc`] with parameters `Params`
    /// and results `Results`.
    ///
    /// # Errors
    /// [`ErrorKind::Export`] when there is no function export of that name;
    /// [`ErrorKind::Type`] when its signature is not `Params -> Results`.
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "div") (param i64 i64) (result i64 i64)
    ///       (i64.div_u (local.get 0) (local.get 1))
    ///       (i64.rem_u (local.get 0) (local.get 1))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let div = instance.get_typed_func::<(i64, i64), (i64, i64)>(&store, "div")?;
    /// assert_eq!(div.call(&mut store, (17, 5))?, (3, 2));
    /// assert!(instance.get_typed_func::<i32, i32>(&store, "div").is_err()); // wrong signature
    /// let err = div.call(&mut store, (1, 0)).unwrap_err();
    /// assert!(err.to_string().contains("integer divide by zero"));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        store: &Store<impl Sized>,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let func = self.get_func(store, name).ok_or_else(|| {
            Error::new(ErrorKind::Export(format!(
                "no function export named `{name}`"
            )))
        })?;
        func.typed(store)
    }
    /// The exported memory called `name`.
    ///
    /// The embedder reads and writes its bytes, and grows it, through the handle:
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (memory (export "mem") 1 2)
    ///     (data (i32.const 0) "folio"))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let mem = instance.get_memory(&store, "mem").unwrap();
    /// assert_eq!(&mem.data(&store)?[..5], b"folio");
    /// mem.data_mut(&mut store)?[0] = b'F';
    /// assert_eq!(mem.grow(&mut store, 1)?, 1);
    /// assert_eq!(mem.data(&store)?.len(), 2 << 16);
    /// assert_eq!(&mem.data(&store)?[..5], b"Folio"); // kept across the grow
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_memory<T>(&self, store: &Store<T>, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }
    /// The exported table called `name`.
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store, Val};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (table (export "t") 3 funcref)
    ///     (func $f)
    ///     (elem (i32.const 1) $f))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let table = instance.get_table(&store, "t").unwrap();
    /// assert_eq!(table.size(&store)?, 3);
    /// assert_eq!(table.get(&store, 0)?, Some(Val::FuncRef(None)));
    /// assert!(matches!(table.get(&store, 1)?, Some(Val::FuncRef(Some(_)))));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_table<T>(&self, store: &Store<T>, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }
    /// The exported global called `name`.
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store, Val};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (global (export "pi") f64 (f64.const 3.25))
    ///     (global (export "count") (mut i32) (i32.const 0)))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let pi = instance.get_global(&store, "pi").unwrap();
    /// assert_eq!(pi.get(&store)?, Val::from_f64(3.25));
    /// assert!(pi.set(&mut store, Val::from_f64(3.0)).is_err()); // immutable
    /// let count = instance.get_global(&store, "count").unwrap();
    /// count.set(&mut store, Val::I32(5))?;
    /// assert_eq!(count.get(&store)?, Val::I32(5));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_global<T>(&self, store: &Store<T>, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
    /// The exported tag called `name` (the exception handling proposal).
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store, ValType};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module (tag (export "e") (param f32)))"#).unwrap();
    /// let module = Module::new(&engine, &wasm)?;
    /// let mut store = Store::new(&engine, ());
    /// let a = Instance::new(&mut store, &module, &[])?;
    /// let b = Instance::new(&mut store, &module, &[])?;
    /// let tag = a.get_tag(&store, "e").unwrap();
    /// assert_eq!(tag.ty(&store)?.params(), [ValType::F32]);
    /// assert_ne!(b.get_tag(&store, "e"), Some(tag)); // each instance defines its own
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_tag<T>(&self, store: &Store<T>, name: &str) -> Option<Tag> {
        self.get_export(store, name)?.into_tag()
    }
    /// All exports, in declaration order (empty with another store).
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (memory (export "memory") 1)
    ///     (func (export "main")))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let names: Vec<String> = instance.exports(&store).into_iter().map(|(n, _)| n).collect();
    /// assert_eq!(names, ["memory", "main"]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn exports<T>(&self, store: &Store<T>) -> Vec<(String, Extern)> {
        if self.store != store.inner.id {
            return Vec::new();
        }
        let inst = &store.inner.instances[self.index as usize];
        inst.module
            .exports
            .iter()
            .map(|(name, idx)| (name.clone(), extern_at(&store.inner, inst, *idx)))
            .collect()
    }
}

pub(crate) fn export_of(store: &StoreInner, instance: u32, name: &str) -> Option<Extern> {
    let inst = store.instances.get(instance as usize)?;
    let idx = *inst.module.export_map.get(name)?;
    Some(extern_at(store, inst, idx))
}

fn extern_at(store: &StoreInner, inst: &InstanceEntity, idx: ExportIndex) -> Extern {
    let s = store.id;
    match idx {
        ExportIndex::Func(i) => Extern::Func(Func {
            store: s,
            index: inst.funcs[i as usize],
        }),
        ExportIndex::Table(i) => Extern::Table(Table {
            store: s,
            index: inst.tables[i as usize],
        }),
        ExportIndex::Memory(i) => Extern::Memory(Memory {
            store: s,
            index: inst.memories[i as usize],
        }),
        ExportIndex::Global(i) => Extern::Global(Global {
            store: s,
            index: inst.globals[i as usize],
        }),
        ExportIndex::Tag(i) => Extern::Tag(Tag {
            store: s,
            index: inst.tags[i as usize],
        }),
    }
}

/// Whether limits `(min, max)` of an actual entity match an import's declared limits.
fn limits_match(actual_min: u64, actual_max: Option<u64>, min: u64, max: Option<u64>) -> bool {
    actual_min >= min
        && match (max, actual_max) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(m), Some(am)) => am <= m,
        }
}

fn table_matches(actual: &TableType, size: u64, want: &TableType) -> bool {
    actual.element == want.element
        && actual.index64 == want.index64
        && limits_match(size, actual.max, want.min, want.max)
}

fn memory_matches(actual: &MemoryType, size: u64, want: &MemoryType) -> bool {
    actual.index_type == want.index_type
        && actual.page_size_log2 == want.page_size_log2
        && actual.shared == want.shared
        && limits_match(size, actual.max, want.min, want.max)
}

fn incompatible(module: &str, name: &str) -> Error {
    Error::link(format!("incompatible import type for `{module}::{name}`"))
}

/// Resolves imports, allocates everything, applies segments; returns the instance index.
/// Does not run the start function.
fn allocate(
    store: &mut StoreInner,
    page_store: Option<&dyn PageStoreFactory>,
    module: &Module,
    imports: &[Extern],
) -> Result<u32, Error> {
    let m = &module.inner;
    // A module of another engine: its types in this store's engine's terms.
    let map = TypeMap::new(&m.type_ids, &m.registry, &store.types)
        .ok_or_else(|| Error::unsupported("more types than the store's engine can name"))?;
    let sigs: Vec<_> = m
        .types
        .iter()
        .zip(&m.type_ids)
        .map(|(t, &id)| store.sigs.intern(&map.func(t), map.id(id)))
        .collect();
    let mut inst = InstanceEntity {
        module: module.inner.clone(),
        sigs,
        funcs: Vec::with_capacity(m.funcs.len()),
        local_code: Vec::with_capacity(m.funcs.len()),
        tables: Vec::with_capacity(m.tables.len()),
        memories: Vec::with_capacity(m.memories.len()),
        globals: Vec::with_capacity(m.globals.len()),
        datas: Vec::with_capacity(m.datas.len()),
        elems: Vec::with_capacity(m.elems.len()),
        tags: Vec::with_capacity(m.tags.len()),
    };

    // Imports: check each against its declared type.
    for (import, ext) in m.imports.iter().zip(imports) {
        let bad = || incompatible(&import.module, &import.name);
        match (&import.kind, ext) {
            (ImportKind::Func(t), Extern::Func(f)) => {
                if f.store != store.id {
                    return Err(Error::new(super::ErrorKind::WrongStore));
                }
                let entity = store.funcs.get(f.index as usize).ok_or_else(bad)?;
                if entity.sig() != inst.sigs[*t as usize] {
                    return Err(bad());
                }
                inst.funcs.push(f.index);
                inst.local_code.push(CodePtr(core::ptr::null()));
            }
            (ImportKind::Table(want), Extern::Table(t)) => {
                let entity = store
                    .tables
                    .get(t.index as usize)
                    .filter(|_| t.store == store.id)
                    .ok_or_else(bad)?;
                let want = &TableType {
                    element: map.ref_type(want.element),
                    ..*want
                };
                if !table_matches(&entity.ty, entity.elements.len() as u64, want) {
                    return Err(bad());
                }
                inst.tables.push(t.index);
            }
            (ImportKind::Memory(want), Extern::Memory(mem)) => {
                let entity = store
                    .memories
                    .get(mem.index as usize)
                    .filter(|_| mem.store == store.id)
                    .ok_or_else(bad)?;
                if !memory_matches(entity.ty(), entity.size(), want) {
                    return Err(bad());
                }
                inst.memories.push(mem.index);
            }
            (ImportKind::Global(want), Extern::Global(g)) => {
                let entity = store
                    .globals
                    .get(g.index as usize)
                    .filter(|_| g.store == store.id)
                    .ok_or_else(bad)?;
                // An immutable global may hold a subtype of what the import asks for.
                let content = map.val(want.content);
                let fits = match want.mutability {
                    Mutability::Const => entity.ty.content.matches(content),
                    Mutability::Var => entity.ty.content == content,
                };
                if entity.ty.mutability != want.mutability || !fits {
                    return Err(bad());
                }
                inst.globals.push(g.index);
            }
            // A tag's function type must be exactly the import's.
            (ImportKind::Tag(t), Extern::Tag(tag)) => {
                let entity = store
                    .tags
                    .get(tag.index as usize)
                    .filter(|_| tag.store == store.id)
                    .ok_or_else(bad)?;
                if entity.sig != inst.sigs[*t as usize] {
                    return Err(bad());
                }
                inst.tags.push(tag.index);
            }
            _ => return Err(bad()),
        }
    }

    // The element segments' references are the one thing an instance allocates in
    // proportion to what its module declares, beyond memories and tables: the limiter
    // is asked for them before anything is created.
    let elements = m.elems.iter().map(|s| s.items.len() as u64).sum::<u64>();
    if let Some(limiter) = store.limiter.as_deref_mut().filter(|_| elements > 0) {
        limiter.segment_elements(elements).map_err(|refusal| {
            Error::new(super::ErrorKind::StoreLimit(format!(
                "the module's element segments hold {elements} elements: refused by the \
                 limiter: {refusal}"
            )))
        })?;
    }

    let instance_index = store.instances.len() as u32;

    // Functions defined by the module.
    for (i, code) in m.code.iter().enumerate() {
        let ty = m.funcs[m.num_imported_funcs as usize + i];
        let sig = inst.sigs[ty as usize];
        inst.funcs.push(store.funcs.len() as u32);
        inst.local_code.push(CodePtr(Arc::as_ptr(code)));
        store.funcs.push(FuncEntity::Wasm {
            sig,
            instance: instance_index,
            code: code.clone(),
        });
    }

    // Tags: new ones, each its own identity.
    for (i, &ty) in m.tags[m.num_imported_tags as usize..].iter().enumerate() {
        let index = m.num_imported_tags + i as u32;
        inst.tags.push(store.tags.len() as u32);
        store.tags.push(TagEntity {
            sig: inst.sigs[ty as usize],
            owner: Some((instance_index, index)),
        });
    }

    // Globals, in order: an initialiser may read imported and earlier globals.
    for (i, init) in m.global_inits.iter().enumerate() {
        let ty = m.globals[m.num_imported_globals as usize + i];
        let ty = GlobalType {
            content: map.val(ty.content),
            ..ty
        };
        let value = eval_bits(store, &inst, init);
        inst.globals.push(store.globals.len() as u32);
        store.globals.push(GlobalEntity::new(ty, value));
    }

    // Tables and memories.
    for (i, init) in m.table_inits.iter().enumerate() {
        let ty = m.tables[m.num_imported_tables as usize + i];
        let ty = TableType {
            element: map.ref_type(ty.element),
            ..ty
        };
        let cell = init.as_ref().map_or(0, |e| eval_const(store, &inst, e));
        inst.tables.push(store.create_table(ty, cell)?);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        inst.memories.push(store.create_memory(*ty, page_store)?);
    }

    // Segments as store entities (passive ones stay until dropped).
    for seg in &m.elems {
        let items = seg
            .items
            .iter()
            .map(|e| eval_const(store, &inst, e))
            .collect();
        inst.elems.push(store.elems.len() as u32);
        store.elems.push(ElemEntity { items });
    }
    for seg in &m.datas {
        inst.datas.push(store.datas.len() as u32);
        store.datas.push(DataEntity {
            bytes: seg.bytes.clone(),
        });
    }

    // Offsets are evaluated before any segment is applied.
    let elem_offsets: Vec<Option<(u32, u64)>> = m
        .elems
        .iter()
        .map(|s| match &s.mode {
            ElemMode::Active { table, offset } => Some((*table, eval_const(store, &inst, offset))),
            _ => None,
        })
        .collect();
    let data_offsets: Vec<Option<(u32, u64)>> = m
        .datas
        .iter()
        .map(|s| match &s.mode {
            DataMode::Active { memory, offset } => {
                Some((*memory, eval_const(store, &inst, offset)))
            }
            DataMode::Passive => None,
        })
        .collect();

    store.instances.push(inst);
    let inst = &store.instances[instance_index as usize];
    let (elems, datas, tables, memories) = (
        inst.elems.clone(),
        inst.datas.clone(),
        inst.tables.clone(),
        inst.memories.clone(),
    );

    // Active element segments: table.init then elem.drop; declared ones are dropped too.
    for (i, seg) in m.elems.iter().enumerate() {
        let elem = elems[i] as usize;
        if let Some((table, offset)) = elem_offsets[i] {
            let items = core::mem::take(&mut store.elems[elem].items);
            let t = &mut store.tables[tables[table as usize] as usize];
            let dst = usize::try_from(offset).ok();
            let range = dst.and_then(|d| Some(d..d.checked_add(items.len())?));
            match range.and_then(|r| t.elements.get_mut(r)) {
                Some(slots) => slots.copy_from_slice(&items),
                None => return Err(Trap::new(TrapKind::TableOutOfBounds).into()),
            }
        } else if matches!(seg.mode, ElemMode::Declared) {
            store.elems[elem].items = Vec::new();
        }
    }
    // Active data segments: memory.init then data.drop.
    for (i, off) in data_offsets.iter().enumerate() {
        if let Some((memory, offset)) = *off {
            let data = &mut store.datas[datas[i] as usize];
            let bytes = core::mem::replace(&mut data.bytes, Arc::from(&[][..]));
            let mem = &mut store.memories[memories[memory as usize] as usize];
            mem.write(offset, &bytes)
                .map_err(|_| Trap::new(TrapKind::MemoryOutOfBounds))?;
        }
    }
    Ok(instance_index)
}

/// Evaluates a validated constant expression. Validation proved it well typed and
/// balanced, so the stack never underflows; integer arithmetic wraps as the spec says.
/// The value's bits: a cell in the low half, all of a `v128`.
fn eval_bits(store: &StoreInner, inst: &InstanceEntity, expr: &ConstExpr) -> u128 {
    let mut stack: Vec<u128> = Vec::with_capacity(4);
    for op in expr.0.iter() {
        let v = match *op {
            ConstOp::I32(x) => u128::from(x as u32),
            ConstOp::I64(x) => u128::from(x as u64),
            ConstOp::F32(b) => u128::from(b),
            ConstOp::F64(b) => u128::from(b),
            ConstOp::V128(b) => b,
            ConstOp::RefNull => 0,
            ConstOp::RefFunc(f) => u128::from(inst.funcs[f as usize]) + 1,
            ConstOp::GlobalGet(g) => store.globals[inst.globals[g as usize] as usize].bits(),
            bin => {
                let b = stack.pop().unwrap_or(0) as u64;
                let a = stack.pop().unwrap_or(0) as u64;
                u128::from(match bin {
                    ConstOp::I32Add => (a as u32).wrapping_add(b as u32) as u64,
                    ConstOp::I32Sub => (a as u32).wrapping_sub(b as u32) as u64,
                    ConstOp::I32Mul => (a as u32).wrapping_mul(b as u32) as u64,
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
        };
        stack.push(v);
    }
    stack.pop().unwrap_or(0)
}

/// [`eval_bits`] of an expression of a type that takes one cell (an offset, a reference).
fn eval_const(store: &StoreInner, inst: &InstanceEntity, expr: &ConstExpr) -> u64 {
    eval_bits(store, inst, expr) as u64
}
