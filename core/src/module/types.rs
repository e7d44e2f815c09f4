//! Folio's own value and entity types, independent of wasmparser's.

use crate::memory::MemoryType;
use crate::prelude::*;
use core::fmt;

/// The type of a WebAssembly value. Displayed as in the text format.
///
/// ```
/// use folio::{HeapType, RefType, ValType};
///
/// assert_eq!(ValType::F64.to_string(), "f64");
/// assert_eq!(ValType::EXTERNREF.to_string(), "externref");
/// let non_null = ValType::Ref(RefType { nullable: false, heap: HeapType::Func });
/// assert_eq!(non_null.to_string(), "(ref func)");
/// assert!(non_null.matches(ValType::FUNCREF) && !ValType::FUNCREF.matches(non_null));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE 754 float.
    F32,
    /// 64-bit IEEE 754 float.
    F64,
    /// 128-bit vector (SIMD).
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// `funcref`: a nullable reference to any function.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`: a nullable reference to a host value.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);
    /// `exnref`: a nullable reference to an exception (exception handling).
    pub const EXNREF: ValType = ValType::Ref(RefType::EXNREF);

    /// Whether this is a reference type.
    ///
    /// ```
    /// use folio::ValType;
    ///
    /// assert!(ValType::FUNCREF.is_ref());
    /// assert!(!ValType::I32.is_ref());
    /// ```
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// Whether every value of this type is a value of `other` (subtyping: equal types,
    /// or references as [`RefType::matches`] says).
    pub fn matches(self, other: ValType) -> bool {
        match (self, other) {
            (ValType::Ref(a), ValType::Ref(b)) => a.matches(b),
            (a, b) => a == b,
        }
    }

    /// How many of the interpreter's 64-bit cells a value of this type takes: 2 for
    /// `v128`, 1 for the others.
    pub(crate) const fn cells(self) -> u32 {
        if matches!(self, ValType::V128) { 2 } else { 1 }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(r) => return r.fmt(f),
        })
    }
}

/// A reference type: what it may point at, and whether it may be null (typed function
/// references). `funcref` is `(ref null func)`, `externref` `(ref null extern)`.
///
/// ```
/// use folio::{HeapType, RefType, ValType};
///
/// assert_eq!(ValType::from(RefType::EXTERNREF), ValType::EXTERNREF);
/// let nofunc = RefType { nullable: true, heap: HeapType::NoFunc };
/// assert_eq!(nofunc.to_string(), "nullfuncref");
/// assert!(nofunc.matches(RefType::FUNCREF) && !nofunc.matches(RefType::EXTERNREF));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RefType {
    /// Whether null is a value of the type.
    pub nullable: bool,
    /// What a non-null reference points at.
    pub heap: HeapType,
}

impl RefType {
    /// `funcref`.
    pub const FUNCREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Func,
    };
    /// `externref`.
    pub const EXTERNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Extern,
    };
    /// `exnref`.
    pub const EXNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Exn,
    };

    /// Whether every reference of this type is one of `other`: null only where `other`
    /// is nullable, and a heap type below `other`'s ([`HeapType::matches`]).
    pub fn matches(self, other: RefType) -> bool {
        (!self.nullable || other.nullable) && self.heap.matches(other.heap)
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = match self.heap {
            HeapType::Func => "funcref",
            HeapType::NoFunc => "nullfuncref",
            HeapType::Extern => "externref",
            HeapType::NoExtern => "nullexternref",
            HeapType::Exn => "exnref",
            HeapType::NoExn => "nullexnref",
            HeapType::Concrete(_) => "",
        };
        if self.nullable && !short.is_empty() {
            return f.write_str(short);
        }
        let null = if self.nullable { "null " } else { "" };
        write!(f, "(ref {null}{})", self.heap)
    }
}

impl From<RefType> for ValType {
    fn from(r: RefType) -> ValType {
        ValType::Ref(r)
    }
}

/// What a reference points at: the abstract heap types of functions, host values and
/// exceptions, the empty ones below each (whose only value is null), or a function type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// Any function.
    Func,
    /// No function (below every function type).
    NoFunc,
    /// Any host value.
    Extern,
    /// No host value.
    NoExtern,
    /// Any exception.
    Exn,
    /// No exception.
    NoExn,
    /// A function of this type.
    Concrete(TypeId),
}

impl HeapType {
    /// Whether references of this type point at host values (`extern`, `noextern`).
    pub fn is_extern(self) -> bool {
        matches!(self, HeapType::Extern | HeapType::NoExtern)
    }

    /// Whether references of this type point at exceptions (`exn`, `noexn`).
    pub fn is_exn(self) -> bool {
        matches!(self, HeapType::Exn | HeapType::NoExn)
    }

    /// Whether this heap type is below `other`. Function types are final (without GC no
    /// type declares a supertype), so a concrete type is below itself and `func` only.
    pub fn matches(self, other: HeapType) -> bool {
        use HeapType::*;
        match (self, other) {
            (a, b) if a == b => true,
            (NoFunc, Func | Concrete(_)) | (Concrete(_), Func) => true,
            (NoExtern, Extern) | (NoExn, Exn) => true,
            _ => false,
        }
    }
}

impl fmt::Display for HeapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HeapType::Func => "func",
            HeapType::NoFunc => "nofunc",
            HeapType::Extern => "extern",
            HeapType::NoExtern => "noextern",
            HeapType::Exn => "exn",
            HeapType::NoExn => "noexn",
            HeapType::Concrete(id) => return write!(f, "{}", id.0),
        })
    }
}

/// A function type as the [`Engine`](crate::Engine) knows it: one id per distinct type
/// among every module it loaded (two modules declaring the same type get the same id;
/// a type declared in a recursion group is the same only as the type at its place in an
/// equal group, even where their signatures are equal),
/// which is what `(ref $t)` refers to outside its module. Read it with
/// [`Engine::func_type`](crate::Engine::func_type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) u32);

/// A function's signature. Displayed as in the text format.
///
/// ```
/// use folio::{FuncType, ValType};
///
/// let ty = FuncType::new([ValType::I32, ValType::I64], [ValType::F32]);
/// assert_eq!(ty.params(), [ValType::I32, ValType::I64]);
/// assert_eq!(ty.results(), [ValType::F32]);
/// assert_eq!(ty.to_string(), "(func (param i32) (param i64) (result f32))");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
    /// The cells the parameters and the results take (see [`ValType::cells`]).
    param_cells: u32,
    result_cells: u32,
}

impl FuncType {
    /// A signature from its parameter and result types.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        let params: Box<[ValType]> = params.into_iter().collect();
        let results: Box<[ValType]> = results.into_iter().collect();
        let cells = |tys: &[ValType]| {
            tys.iter()
                .map(|t| t.cells())
                .fold(0u32, u32::saturating_add)
        };
        FuncType {
            param_cells: cells(&params),
            result_cells: cells(&results),
            params,
            results,
        }
    }
    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }
    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
    /// The cells the parameters take in the interpreter (a `v128` takes two).
    pub(crate) fn param_cells(&self) -> usize {
        self.param_cells as usize
    }
    /// The cells the results take.
    pub(crate) fn result_cells(&self) -> usize {
        self.result_cells as usize
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        for p in self.params.iter() {
            write!(f, " (param {p})")?;
        }
        for r in self.results.iter() {
            write!(f, " (result {r})")?;
        }
        f.write_str(")")
    }
}

/// Whether a global may be written (see [`GlobalType`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutability {
    /// `const`
    Const,
    /// `var`
    Var,
}

/// A global's type.
///
/// ```
/// use folio::{Engine, ExternType, GlobalType, Module, Mutability, ValType};
///
/// let wasm = wat::parse_str(r#"(module (global (export "g") (mut f32) (f32.const 0)))"#)
///     .unwrap();
/// let module = Module::new(&Engine::default(), &wasm)?;
/// let ty = GlobalType { content: ValType::F32, mutability: Mutability::Var };
/// assert_eq!(module.exports().next(), Some(("g", ExternType::Global(ty))));
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// Its value type.
    pub content: ValType,
    /// Whether it may be written.
    pub mutability: Mutability,
}

/// A table's type: element type and limits in elements.
///
/// ```
/// use folio::{Engine, ExternType, Module, RefType, TableType};
///
/// let wasm = wat::parse_str(r#"(module (table (export "t") 1 8 funcref))"#).unwrap();
/// let module = Module::new(&Engine::default(), &wasm)?;
/// let ty = TableType { element: RefType::FUNCREF, index64: false, min: 1, max: Some(8) };
/// assert_eq!(module.exports().next(), Some(("t", ExternType::Table(ty))));
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// What the table holds.
    pub element: RefType,
    /// Whether it is indexed by `i64` (the memory64 proposal's 64-bit tables, with
    /// [`Proposals::memory64`](crate::Proposals::memory64)): its instructions take and
    /// return `i64` indices and sizes, and an import matches only a table of the same
    /// index type. Folio caps both kinds at the same number of elements (see
    /// [`Table`](crate::Table)).
    pub index64: bool,
    /// Initial number of elements.
    pub min: u64,
    /// Maximum number of elements, if declared.
    pub max: Option<u64>,
}

/// The type of something that can be imported or exported.
///
/// ```
/// use folio::{Engine, ExternType, Module};
///
/// let wasm = wat::parse_str(r#"(module (memory (export "m") 1 2))"#).unwrap();
/// let module = Module::new(&Engine::default(), &wasm)?;
/// let (_, ty) = module.exports().next().unwrap();
/// let ExternType::Memory(memory) = ty else { panic!("a memory") };
/// assert_eq!((memory.min, memory.max), (1, Some(2)));
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A linear memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// A tag (the exception handling proposal).
    Tag(TagType),
}

/// A tag's type (the exception handling proposal): the function type whose parameters
/// are the values an exception of the tag carries, its payload. A tag's function type
/// has no results. Displayed as in the text format.
///
/// ```
/// use folio::{Engine, ExternType, FuncType, Module, TagType, ValType};
///
/// let wasm = wat::parse_str(r#"(module (tag (export "oops") (param i32 f64)))"#).unwrap();
/// let module = Module::new(&Engine::default(), &wasm)?;
/// let ty = TagType::new(FuncType::new([ValType::I32, ValType::F64], []))?;
/// assert_eq!(module.exports().next(), Some(("oops", ExternType::Tag(ty.clone()))));
/// assert_eq!(ty.params(), [ValType::I32, ValType::F64]);
/// assert_eq!(ty.to_string(), "(tag (param i32) (param f64))");
/// assert!(TagType::new(FuncType::new([], [ValType::I32])).is_err()); // a result
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagType {
    ty: FuncType,
}

impl TagType {
    /// The tag type of function type `ty`.
    ///
    /// # Errors
    /// A type error when `ty` has results: a tag's function type has none.
    pub fn new(ty: FuncType) -> Result<TagType, crate::Error> {
        if !ty.results().is_empty() {
            return Err(crate::Error::ty(format!(
                "a tag's function type has no results, {ty} has"
            )));
        }
        Ok(TagType { ty })
    }
    /// A tag type whose function type has no results (validation proved it).
    pub(crate) fn of_validated(ty: FuncType) -> TagType {
        TagType { ty }
    }
    /// The function type (its parameters are the payload; it has no results).
    pub fn func_type(&self) -> &FuncType {
        &self.ty
    }
    /// The payload's types: the function type's parameters.
    pub fn params(&self) -> &[ValType] {
        self.ty.params()
    }
}

impl fmt::Display for TagType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(tag")?;
        for p in self.ty.params() {
            write!(f, " (param {p})")?;
        }
        f.write_str(")")
    }
}
