//! Bytes → validated [`Module`]. wasmparser parses and validates; each function body is
//! translated to Folio's bytecode in the same pass (see `compile`), so a body is read once.
//!
//! Folio accepts WebAssembly 2.0 (SIMD with the `simd` feature), plus the proposals
//! [`Proposals`](crate::Proposals) switches: memory64, multi-memory, custom page sizes,
//! extended-const, threads, relaxed SIMD, tail calls, typed function references and
//! exception handling (tags, `exnref`, `throw`, `throw_ref`, `try_table`; not the legacy
//! `try`/`catch`/`delegate`). Anything else is rejected at validation; GC's constructs,
//! which wasmparser's validation admits alongside typed references, are refused here (the
//! type section, `ref_type`) and by the translator. Of GC's type system Folio keeps
//! recursion groups (`rec`) of final function types, which decide when two function
//! types are the same.
//!
//! Function types are the engine's (`registry`): a concrete reference `(ref $t)` in a
//! module's types, imports, exports, globals and tables names the engine's [`TypeId`] of
//! `$t`, so that two modules agree on what it means.
//!
//! [`Module::disassemble`] shows a function's bytecode next to the Wasm operators each
//! instruction stands for (`folio inspect --bytecode`).

mod disasm;
mod registry;
mod types;

pub use disasm::{BrTarget, DisasmCatch, DisasmInstr, DisasmTry, Disassembler, Disassembly};
pub(crate) use registry::{TypeMap, TypeRegistry};
pub use types::{
    ExternType, FuncType, GlobalType, HeapType, Mutability, RefType, TableType, TagType, TypeId,
    ValType,
};

use crate::compile::{self, CompiledFunc};
use crate::error::Error;
use crate::memory::{IndexType, MemoryType};
use crate::prelude::*;
use hashbrown::HashMap;
use wasmparser::{Parser, Payload, ValidPayload, Validator, WasmFeatures};

/// One operation of a constant expression (globals' initialisers, segment offsets and
/// element items); evaluated at instantiation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    #[cfg_attr(not(feature = "simd"), allow(dead_code))]
    V128(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A validated constant expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr(pub(crate) Box<[ConstOp]>);

/// An import's kind and type, in the module's index spaces.
#[derive(Debug, Clone)]
pub(crate) enum ImportKind {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// A tag of the module's type index.
    Tag(u32),
}

/// An import.
#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub(crate) module: String,
    pub(crate) name: String,
    pub(crate) kind: ImportKind,
}

/// What an export names, in the module's index spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    Tag(u32),
}

/// Where an element segment goes.
#[derive(Debug, Clone)]
pub(crate) enum ElemMode {
    Passive,
    Active { table: u32, offset: ConstExpr },
    Declared,
}

/// An element segment.
#[derive(Debug, Clone)]
pub(crate) struct ElemSegment {
    pub(crate) mode: ElemMode,
    pub(crate) items: Vec<ConstExpr>,
}

/// Where a data segment goes.
#[derive(Debug, Clone)]
pub(crate) enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

/// A data segment.
#[derive(Debug, Clone)]
pub(crate) struct DataSegment {
    pub(crate) mode: DataMode,
    pub(crate) bytes: Arc<[u8]>,
}

/// Everything instantiation needs, index spaces with imports first.
#[derive(Debug, Default)]
pub(crate) struct ModuleInner {
    /// The function types, in the engine's terms (see `registry`).
    pub(crate) types: Vec<FuncType>,
    /// The engine's id of each type.
    pub(crate) type_ids: Vec<TypeId>,
    /// The engine's types, which `types` and every concrete reference type refer to.
    pub(crate) registry: Arc<TypeRegistry>,
    pub(crate) imports: Vec<Import>,
    /// Type index of every function.
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<TableType>,
    /// Initialiser of each defined table (`None`: null).
    pub(crate) table_inits: Vec<Option<ConstExpr>>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) globals: Vec<GlobalType>,
    /// Initialiser of each defined global.
    pub(crate) global_inits: Vec<ConstExpr>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) num_imported_tables: u32,
    pub(crate) num_imported_memories: u32,
    pub(crate) num_imported_globals: u32,
    /// Type index of every tag (the exception handling proposal), imports first.
    pub(crate) tags: Vec<u32>,
    pub(crate) num_imported_tags: u32,
    pub(crate) exports: Vec<(String, ExportIndex)>,
    pub(crate) export_map: HashMap<String, ExportIndex>,
    pub(crate) start: Option<u32>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    /// Bytecode of each defined function.
    pub(crate) code: Vec<Arc<CompiledFunc>>,
    /// What the module was validated with (for [`Module::disassembler`]).
    pub(crate) features: WasmFeatures,
    /// Whether it was translated for an engine that consumes fuel (`compile::translate`).
    pub(crate) metered: bool,
}

/// A validated, translated WebAssembly module; cheap to clone, instantiable many times.
///
/// [`Module::new`] builds one from the binary format; it keeps the bytecode of each
/// function, not the bytes. Each instance gets its own memories, tables and globals:
///
/// ```
/// use folio::{Engine, Instance, Module, Store, Val};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module (global (export "g") (mut i32) (i32.const 0)))"#)
///     .unwrap();
/// let module = Module::new(&engine, &wasm)?;
/// let mut store = Store::new(&engine, ());
/// let a = Instance::new(&mut store, &module, &[])?;
/// let b = Instance::new(&mut store, &module.clone(), &[])?;
/// a.get_global(&store, "g").unwrap().set(&mut store, Val::I32(1))?;
/// assert_eq!(b.get_global(&store, "g").unwrap().get(&store)?, Val::I32(0));
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

/// A data segment as [`Module::data_segments`] describes it (see there for an example).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSegmentInfo {
    /// Memory index of an active segment; `None` for a passive one.
    pub memory: Option<u32>,
    /// Offset of an active segment when it is a plain constant.
    pub offset: Option<u64>,
    /// Length in bytes.
    pub len: usize,
}

impl Module {
    /// Parses, validates and translates `bytes` with wasmparser's `features` (the engine's
    /// proposals: see [`Module::new`]).
    pub(crate) fn parse(
        features: WasmFeatures,
        metered: bool,
        registry: &Arc<TypeRegistry>,
        bytes: &[u8],
    ) -> Result<Module, Error> {
        let mut validator = Validator::new_with_features(features);
        let mut parser = Parser::new(0);
        // The parser needs the features too: what it accepts as an encoding (e.g. limits
        // as u64 LEB128) depends on them.
        parser.set_features(features);
        let mut m = ModuleInner {
            features,
            metered,
            registry: registry.clone(),
            ..ModuleInner::default()
        };
        let mut allocs = wasmparser::FuncValidatorAllocations::default();
        let mut scratch = compile::Scratch::default();
        for payload in parser.parse_all(bytes) {
            let payload = payload?;
            if let ValidPayload::Func(to_validate, body) = validator.payload(&payload)? {
                let mut fv = to_validate.into_validator(core::mem::take(&mut allocs));
                let compiled = compile::translate(&mut fv, &body, metered, &mut scratch)?;
                m.code.push(Arc::new(compiled));
                allocs = fv.into_allocations();
                continue;
            }
            read_section(&mut m, payload)?;
        }
        Ok(Module { inner: Arc::new(m) })
    }

    /// The imports in declaration order: module name, field name, type.
    ///
    /// ```
    /// use folio::{Engine, ExternType, FuncType, MemoryType, Module, ValType};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "log" (func (param i32)))
    ///     (import "env" "memory" (memory 1)))"#)
    ///     .unwrap();
    /// let module = Module::new(&Engine::default(), &wasm)?;
    /// let imports: Vec<_> = module.imports().collect();
    /// assert_eq!(imports, [
    ///     ("env", "log", ExternType::Func(FuncType::new([ValType::I32], []))),
    ///     ("env", "memory", ExternType::Memory(MemoryType::i32(1, None))),
    /// ]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn imports(&self) -> impl ExactSizeIterator<Item = (&str, &str, ExternType)> + '_ {
        let m = &*self.inner;
        m.imports.iter().map(move |i| {
            let ty = match &i.kind {
                ImportKind::Func(t) => ExternType::Func(m.types[*t as usize].clone()),
                ImportKind::Table(t) => ExternType::Table(*t),
                ImportKind::Memory(t) => ExternType::Memory(*t),
                ImportKind::Global(t) => ExternType::Global(*t),
                ImportKind::Tag(t) => ExternType::Tag(m.tag_type(*t)),
            };
            (i.module.as_str(), i.name.as_str(), ty)
        })
    }

    /// The exports in declaration order: name and type.
    ///
    /// ```
    /// use folio::{Engine, ExternType, GlobalType, Module, Mutability, ValType};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "main"))
    ///     (global (export "version") i32 (i32.const 3)))"#)
    ///     .unwrap();
    /// let module = Module::new(&Engine::default(), &wasm)?;
    /// let names: Vec<&str> = module.exports().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["main", "version"]);
    /// let (_, version) = module.exports().nth(1).unwrap();
    /// let ty = GlobalType { content: ValType::I32, mutability: Mutability::Const };
    /// assert_eq!(version, ExternType::Global(ty));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn exports(&self) -> impl ExactSizeIterator<Item = (&str, ExternType)> + '_ {
        let m = &*self.inner;
        m.exports
            .iter()
            .map(move |(name, idx)| (name.as_str(), m.extern_type(*idx)))
    }

    /// Every memory's type, imported ones first.
    ///
    /// ```
    /// use folio::{Engine, MemoryType, Module};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "memory" (memory 1))
    ///     (memory 2 10))"#)
    ///     .unwrap();
    /// let module = Module::new(&Engine::default(), &wasm)?;
    /// assert_eq!(module.memories(), [MemoryType::i32(1, None), MemoryType::i32(2, Some(10))]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn memories(&self) -> &[MemoryType] {
        &self.inner.memories
    }

    /// Every tag's type, imported ones first (the exception handling proposal).
    ///
    /// ```
    /// use folio::{Engine, FuncType, Module, TagType, ValType};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "error" (tag (param i32)))
    ///     (tag $done))"#)
    ///     .unwrap();
    /// let module = Module::new(&Engine::default(), &wasm)?;
    /// let tags: Vec<TagType> = module.tags().collect();
    /// assert_eq!(tags, [
    ///     TagType::new(FuncType::new([ValType::I32], []))?,
    ///     TagType::new(FuncType::new([], []))?,
    /// ]);
    /// assert_eq!(module.imported_tags(), 1);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn tags(&self) -> impl ExactSizeIterator<Item = TagType> + '_ {
        let m = &*self.inner;
        m.tags.iter().map(move |&t| m.tag_type(t))
    }

    /// How many of [`tags`](Self::tags) are imported (the first ones).
    pub fn imported_tags(&self) -> usize {
        self.inner.num_imported_tags as usize
    }

    /// Number of functions defined (not imported) by the module.
    ///
    /// ```
    /// use folio::{Engine, Module};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "f" (func))
    ///     (func) (func))"#)
    ///     .unwrap();
    /// assert_eq!(Module::new(&Engine::default(), &wasm)?.defined_funcs(), 2);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn defined_funcs(&self) -> usize {
        self.inner.code.len()
    }

    /// The data segments, in declaration order.
    ///
    /// ```
    /// use folio::module::DataSegmentInfo;
    /// use folio::{Engine, Module};
    ///
    /// let wasm = wat::parse_str(r#"(module
    ///     (memory 1)
    ///     (data (i32.const 1024) "hello")
    ///     (data "passive"))"#)
    ///     .unwrap();
    /// let module = Module::new(&Engine::default(), &wasm)?;
    /// let segments: Vec<_> = module.data_segments().collect();
    /// assert_eq!(segments, [
    ///     DataSegmentInfo { memory: Some(0), offset: Some(1024), len: 5 },
    ///     DataSegmentInfo { memory: None, offset: None, len: 7 },
    /// ]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn data_segments(&self) -> impl ExactSizeIterator<Item = DataSegmentInfo> + '_ {
        self.inner.datas.iter().map(|d| match &d.mode {
            DataMode::Passive => DataSegmentInfo {
                memory: None,
                offset: None,
                len: d.bytes.len(),
            },
            DataMode::Active { memory, offset } => DataSegmentInfo {
                memory: Some(*memory),
                offset: match &*offset.0 {
                    [ConstOp::I32(x)] => Some(*x as u32 as u64),
                    [ConstOp::I64(x)] => Some(*x as u64),
                    _ => None,
                },
                len: d.bytes.len(),
            },
        })
    }
}

impl ModuleInner {
    pub(crate) fn extern_type(&self, idx: ExportIndex) -> ExternType {
        match idx {
            ExportIndex::Func(f) => {
                ExternType::Func(self.types[self.funcs[f as usize] as usize].clone())
            }
            ExportIndex::Table(t) => ExternType::Table(self.tables[t as usize]),
            ExportIndex::Memory(m) => ExternType::Memory(self.memories[m as usize]),
            ExportIndex::Global(g) => ExternType::Global(self.globals[g as usize]),
            ExportIndex::Tag(t) => ExternType::Tag(self.tag_type(self.tags[t as usize])),
        }
    }

    /// The tag type of type index `t` (validation proved it a function type without
    /// results).
    pub(crate) fn tag_type(&self, t: u32) -> TagType {
        let ty = self.types.get(t as usize).cloned();
        TagType::of_validated(ty.unwrap_or_else(|| FuncType::new([], [])))
    }
}

fn read_section(m: &mut ModuleInner, payload: Payload<'_>) -> Result<(), Error> {
    match payload {
        Payload::TypeSection(reader) => {
            for group in reader {
                read_rec_group(m, &group?)?;
            }
        }
        Payload::ImportSection(reader) => {
            for import in reader.into_imports() {
                let import = import?;
                let kind = match import.ty {
                    wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) => {
                        m.funcs.push(t);
                        m.num_imported_funcs += 1;
                        ImportKind::Func(t)
                    }
                    wasmparser::TypeRef::Table(t) => {
                        let t = table_type(&t, &m.type_ids)?;
                        m.tables.push(t);
                        m.num_imported_tables += 1;
                        ImportKind::Table(t)
                    }
                    wasmparser::TypeRef::Memory(t) => {
                        let t = memory_type(&t);
                        m.memories.push(t);
                        m.num_imported_memories += 1;
                        ImportKind::Memory(t)
                    }
                    wasmparser::TypeRef::Global(g) => {
                        let g = global_type(&g, &m.type_ids)?;
                        m.globals.push(g);
                        m.num_imported_globals += 1;
                        ImportKind::Global(g)
                    }
                    wasmparser::TypeRef::Tag(t) => {
                        m.tags.push(t.func_type_idx);
                        m.num_imported_tags += 1;
                        ImportKind::Tag(t.func_type_idx)
                    }
                };
                m.imports.push(Import {
                    module: import.module.to_string(),
                    name: import.name.to_string(),
                    kind,
                });
            }
        }
        Payload::FunctionSection(reader) => {
            for t in reader {
                m.funcs.push(t?);
            }
        }
        Payload::TableSection(reader) => {
            for table in reader {
                let table = table?;
                m.tables.push(table_type(&table.ty, &m.type_ids)?);
                m.table_inits.push(match table.init {
                    wasmparser::TableInit::RefNull => None,
                    wasmparser::TableInit::Expr(e) => Some(const_expr(&e)?),
                });
            }
        }
        Payload::MemorySection(reader) => {
            for mem in reader {
                m.memories.push(memory_type(&mem?));
            }
        }
        Payload::GlobalSection(reader) => {
            for g in reader {
                let g = g?;
                m.globals.push(global_type(&g.ty, &m.type_ids)?);
                m.global_inits.push(const_expr(&g.init_expr)?);
            }
        }
        Payload::ExportSection(reader) => {
            for e in reader {
                let e = e?;
                let idx = match e.kind {
                    wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                        ExportIndex::Func(e.index)
                    }
                    wasmparser::ExternalKind::Table => ExportIndex::Table(e.index),
                    wasmparser::ExternalKind::Memory => ExportIndex::Memory(e.index),
                    wasmparser::ExternalKind::Global => ExportIndex::Global(e.index),
                    wasmparser::ExternalKind::Tag => ExportIndex::Tag(e.index),
                };
                m.exports.push((e.name.to_string(), idx));
                m.export_map.insert(e.name.to_string(), idx);
            }
        }
        Payload::TagSection(reader) => {
            for tag in reader {
                m.tags.push(tag?.func_type_idx);
            }
        }
        Payload::StartSection { func, .. } => m.start = Some(func),
        Payload::ElementSection(reader) => {
            for elem in reader {
                let elem = elem?;
                let mode = match elem.kind {
                    wasmparser::ElementKind::Passive => ElemMode::Passive,
                    wasmparser::ElementKind::Declared => ElemMode::Declared,
                    wasmparser::ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => ElemMode::Active {
                        table: table_index.unwrap_or(0),
                        offset: const_expr(&offset_expr)?,
                    },
                };
                let items = match elem.items {
                    wasmparser::ElementItems::Functions(funcs) => {
                        let mut items = Vec::new();
                        for f in funcs {
                            items.push(ConstExpr(Box::new([ConstOp::RefFunc(f?)])));
                        }
                        items
                    }
                    wasmparser::ElementItems::Expressions(_, exprs) => {
                        let mut items = Vec::new();
                        for e in exprs {
                            items.push(const_expr(&e?)?);
                        }
                        items
                    }
                };
                m.elems.push(ElemSegment { mode, items });
            }
        }
        Payload::DataSection(reader) => {
            for data in reader {
                let data = data?;
                let mode = match data.kind {
                    wasmparser::DataKind::Passive => DataMode::Passive,
                    wasmparser::DataKind::Active {
                        memory_index,
                        offset_expr,
                    } => DataMode::Active {
                        memory: memory_index,
                        offset: const_expr(&offset_expr)?,
                    },
                };
                m.datas.push(DataSegment {
                    mode,
                    bytes: Arc::from(data.data),
                });
            }
        }
        _ => {}
    }
    Ok(())
}

/// Folio's type for `t`, its concrete references resolved through `ids` (the engine's id
/// of each module type). While the recursion group of the module's types from index
/// `own` on is converted, a reference to its `j`th type is [`registry::rec_ref`]`(j)`.
pub(crate) fn val_type(
    t: wasmparser::ValType,
    ids: &[TypeId],
    own: Option<usize>,
) -> Result<ValType, Error> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ref_type(r, ids, own)?.into(),
    })
}

/// Folio's reference type for `r` (see [`val_type`]).
pub(crate) fn ref_type(
    r: wasmparser::RefType,
    ids: &[TypeId],
    own: Option<usize>,
) -> Result<RefType, Error> {
    use wasmparser::AbstractHeapType as A;
    let heap = match r.heap_type() {
        wasmparser::HeapType::Abstract { shared: false, ty } => match ty {
            A::Func => HeapType::Func,
            A::NoFunc => HeapType::NoFunc,
            A::Extern => HeapType::Extern,
            A::NoExtern => HeapType::NoExtern,
            A::Exn => HeapType::Exn,
            A::NoExn => HeapType::NoExn,
            _ => return Err(Error::unsupported(format!("reference type {r}"))),
        },
        wasmparser::HeapType::Concrete(wasmparser::UnpackedIndex::Module(i)) => {
            let i = i as usize;
            let unknown = || Error::unsupported(format!("reference type {r}"));
            match own {
                // (Validation refuses a reference to a later type outside a group.)
                Some(first) if i >= first => registry::rec_ref(i - first).ok_or_else(unknown)?,
                _ => HeapType::Concrete(*ids.get(i).ok_or_else(unknown)?),
            }
        }
        _ => return Err(Error::unsupported(format!("reference type {r}"))),
    };
    Ok(RefType {
        nullable: r.is_nullable(),
        heap,
    })
}

/// Reads a recursion group of the type section into the engine's registry and `m`'s
/// types. Only final function types without supertypes are admitted: struct and array
/// types, subtyping and shared types are GC's and its relatives'.
fn read_rec_group(m: &mut ModuleInner, group: &wasmparser::RecGroup) -> Result<(), Error> {
    let first = m.types.len();
    let mut key = Vec::with_capacity(group.types().len());
    for sub in group.types() {
        let ty = match &sub.composite_type {
            wasmparser::CompositeType {
                inner: wasmparser::CompositeInnerType::Func(ty),
                shared: false,
                descriptor_idx: None,
                describes_idx: None,
            } if sub.is_final && sub.supertype_idxs.is_empty() => ty,
            _ => return Err(Error::unsupported(format!("type {sub} (GC)"))),
        };
        key.push(func_type(ty, &m.type_ids, Some(first))?);
    }
    // (`(rec)` declares no type.)
    if key.is_empty() {
        return Ok(());
    }
    let len = key.len() as u32;
    let id = m
        .registry
        .intern_group(key)
        .ok_or_else(|| Error::unsupported("more types than the engine can name"))?;
    for j in 0..len {
        let id = TypeId(id.0 + j);
        let public = m
            .registry
            .get(id)
            .ok_or_else(|| Error::unsupported("a type the engine lost"))?;
        m.types.push(public);
        m.type_ids.push(id);
    }
    Ok(())
}

fn func_type(
    ty: &wasmparser::FuncType,
    ids: &[TypeId],
    own: Option<usize>,
) -> Result<FuncType, Error> {
    let params = ty
        .params()
        .iter()
        .map(|t| val_type(*t, ids, own))
        .collect::<Result<Vec<_>, _>>()?;
    let results = ty
        .results()
        .iter()
        .map(|t| val_type(*t, ids, own))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FuncType::new(params, results))
}

fn table_type(t: &wasmparser::TableType, ids: &[TypeId]) -> Result<TableType, Error> {
    Ok(TableType {
        element: ref_type(t.element_type, ids, None)?,
        index64: t.table64,
        min: t.initial,
        max: t.maximum,
    })
}

pub(crate) fn memory_type(t: &wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        index_type: if t.memory64 {
            IndexType::I64
        } else {
            IndexType::I32
        },
        // wasmparser validated the page size: 1 or 65,536 bytes.
        page_size_log2: t.page_size_log2() as u8,
        min: t.initial,
        max: t.maximum,
        shared: t.shared,
    }
}

fn global_type(g: &wasmparser::GlobalType, ids: &[TypeId]) -> Result<GlobalType, Error> {
    Ok(GlobalType {
        content: val_type(g.content_type, ids, None)?,
        mutability: if g.mutable {
            Mutability::Var
        } else {
            Mutability::Const
        },
    })
}

fn const_expr(e: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, Error> {
    use wasmparser::Operator as O;
    let mut ops = Vec::new();
    let mut reader = e.get_operators_reader();
    while !reader.eof() {
        let op = match reader.read()? {
            O::I32Const { value } => ConstOp::I32(value),
            O::I64Const { value } => ConstOp::I64(value),
            O::F32Const { value } => ConstOp::F32(value.bits()),
            O::F64Const { value } => ConstOp::F64(value.bits()),
            #[cfg(feature = "simd")]
            O::V128Const { value } => ConstOp::V128(value.i128() as u128),
            O::RefNull { .. } => ConstOp::RefNull,
            O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            O::I32Add => ConstOp::I32Add,
            O::I32Sub => ConstOp::I32Sub,
            O::I32Mul => ConstOp::I32Mul,
            O::I64Add => ConstOp::I64Add,
            O::I64Sub => ConstOp::I64Sub,
            O::I64Mul => ConstOp::I64Mul,
            O::End => continue,
            other => {
                return Err(Error::unsupported(format!(
                    "constant expression operator {other:?}"
                )));
            }
        };
        ops.push(op);
    }
    Ok(ConstExpr(ops.into_boxed_slice()))
}
