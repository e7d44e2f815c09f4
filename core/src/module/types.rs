//! Folio's own value and entity types, independent of wasmparser's.

use crate::memory::MemoryType;
use crate::prelude::*;
use core::fmt;

/// The type of a WebAssembly value. Displayed as in the text format.
///
/// ```
/// use folio::ValType;
///
/// assert_eq!(ValType::F64.to_string(), "f64");
/// assert_eq!(ValType::ExternRef.to_string(), "externref");
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
    /// A nullable reference to a function.
    FuncRef,
    /// A nullable reference to a host value.
    ExternRef,
}

impl ValType {
    /// Whether this is a reference type.
    ///
    /// ```
    /// use folio::ValType;
    ///
    /// assert!(ValType::FuncRef.is_ref());
    /// assert!(!ValType::I32.is_ref());
    /// ```
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
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
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// The reference types a table or element segment can hold.
///
/// ```
/// use folio::{RefType, ValType};
///
/// assert_eq!(ValType::from(RefType::ExternRef), ValType::ExternRef);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefType {
    /// `funcref`
    FuncRef,
    /// `externref`
    ExternRef,
}

impl From<RefType> for ValType {
    fn from(r: RefType) -> ValType {
        match r {
            RefType::FuncRef => ValType::FuncRef,
            RefType::ExternRef => ValType::ExternRef,
        }
    }
}

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
/// let ty = TableType { element: RefType::FuncRef, index64: false, min: 1, max: Some(8) };
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
}
