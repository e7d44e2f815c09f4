//! Values crossing the embedder API.

use super::{ExnRef, Func, Store};
use crate::module::ValType;
use crate::prelude::*;
use core::any::Any;

/// A reference to a host object stored in a [`Store`]: what a Wasm `externref` holds.
/// The object lives as long as the store.
///
/// ```
/// use folio::{Engine, ExternRef, Store};
///
/// let mut store = Store::new(&Engine::default(), ());
/// let r = ExternRef::new(&mut store, 7u64);
/// let object = r.data(&store).unwrap();
/// assert_eq!(object.downcast_ref::<u64>(), Some(&7));
/// assert!(r.data(&Store::new(&Engine::default(), ())).is_none()); // another store
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl ExternRef {
    /// Puts `value` into the store and returns a reference to it.
    pub fn new<T>(store: &mut Store<T>, value: impl Any + Send + Sync) -> ExternRef {
        let index = store.inner.externs.len() as u32;
        store.inner.externs.push(Box::new(value));
        ExternRef {
            store: store.inner.id,
            index,
        }
    }
    /// The host object, or `None` with another store.
    pub fn data<'a, T>(&self, store: &'a Store<T>) -> Option<&'a (dyn Any + Send + Sync)> {
        if self.store != store.inner.id {
            return None;
        }
        store.inner.externs.get(self.index as usize).map(|b| &**b)
    }
}

/// A WebAssembly value. Floats are carried as their bit patterns so NaN payloads survive.
///
/// ```
/// use folio::{Val, ValType};
///
/// assert_eq!(Val::from(5i32), Val::I32(5));
/// assert_eq!(Val::from(1.0f64), Val::F64(0x3ff0_0000_0000_0000));
/// let nan = Val::F32(0x7fc0_0001); // a NaN with a payload, kept bit for bit
/// assert_eq!(nan.ty(), ValType::F32);
/// assert_eq!(nan, Val::F32(0x7fc0_0001));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32`, as bits.
    F32(u32),
    /// `f64`, as bits.
    F64(u64),
    /// `v128`, as bits: lane 0 in the lowest bits (the order of memory's little-endian
    /// bytes, so `u128::from_le_bytes` of 16 bytes in memory is their `v128.load`).
    V128(u128),
    /// `funcref`, `None` for null.
    FuncRef(Option<Func>),
    /// `externref`, `None` for null.
    ExternRef(Option<ExternRef>),
    /// `exnref`, `None` for null (the exception handling proposal).
    ExnRef(Option<ExnRef>),
}

impl Val {
    /// The value's type.
    ///
    /// ```
    /// use folio::{Val, ValType};
    ///
    /// assert_eq!(Val::I64(-1).ty(), ValType::I64);
    /// assert_eq!(Val::ExternRef(None).ty(), ValType::EXTERNREF);
    /// ```
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
        }
    }
    /// The zero value (null for references) of a type: what locals and new table elements
    /// start as.
    ///
    /// ```
    /// use folio::{Val, ValType};
    ///
    /// assert_eq!(Val::default_for(ValType::F64), Val::from_f64(0.0));
    /// assert_eq!(Val::default_for(ValType::FUNCREF), Val::FuncRef(None));
    /// ```
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::Ref(r) if r.heap.is_extern() => Val::ExternRef(None),
            ValType::Ref(r) if r.heap.is_exn() => Val::ExnRef(None),
            ValType::Ref(_) => Val::FuncRef(None),
        }
    }
    /// The null reference of type `r` (a host value's null for `extern` and `noextern`,
    /// a function's for the others).
    ///
    /// ```
    /// use folio::{RefType, Val};
    ///
    /// assert_eq!(Val::null_of(RefType::EXTERNREF), Val::ExternRef(None));
    /// ```
    pub fn null_of(r: crate::RefType) -> Val {
        Val::default_for(ValType::Ref(r))
    }
    /// An `f32` value, by its bits.
    ///
    /// ```
    /// use folio::Val;
    ///
    /// assert_eq!(Val::from_f32(-0.0), Val::F32(0x8000_0000));
    /// assert_ne!(Val::from_f32(-0.0), Val::from_f32(0.0)); // bits, not IEEE equality
    /// ```
    pub fn from_f32(x: f32) -> Val {
        Val::F32(x.to_bits())
    }
    /// An `f64` value, by its bits.
    ///
    /// ```
    /// use folio::Val;
    ///
    /// let Val::F64(bits) = Val::from_f64(2.5) else { unreachable!() };
    /// assert_eq!(f64::from_bits(bits), 2.5);
    /// ```
    pub fn from_f64(x: f64) -> Val {
        Val::F64(x.to_bits())
    }

    /// Writes the value into the interpreter's cells at the start of `out` (one cell, two
    /// for a `v128`: low half first); `None` for a reference from another store or when
    /// `out` is too short.
    pub(crate) fn to_cells(self, store_id: u32, out: &mut [u64]) -> Option<()> {
        let cell = match self {
            Val::I32(x) => x as u32 as u64,
            Val::I64(x) => x as u64,
            Val::F32(x) => x as u64,
            Val::F64(x) => x,
            Val::V128(x) => {
                let [lo, hi] = out.get_mut(..2)? else {
                    return None;
                };
                (*lo, *hi) = (x as u64, (x >> 64) as u64);
                return Some(());
            }
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => 0,
            Val::FuncRef(Some(f)) if f.store == store_id => f.index as u64 + 1,
            Val::ExternRef(Some(e)) if e.store == store_id => e.index as u64 + 1,
            // (An `ExnRef`'s object is marked as referenced already: see `ExnRef`.)
            Val::ExnRef(Some(e)) if e.store == store_id => e.index as u64 + 1,
            Val::FuncRef(Some(_)) | Val::ExternRef(Some(_)) | Val::ExnRef(Some(_)) => return None,
        };
        *out.first_mut()? = cell;
        Some(())
    }

    /// Appends the value's cells to `cells`; `None` for a reference from another store.
    pub(crate) fn push_cells(self, store_id: u32, cells: &mut Vec<u64>) -> Option<()> {
        let at = cells.len();
        cells.resize(at + self.ty().cells() as usize, 0);
        self.to_cells(store_id, &mut cells[at..])
    }

    /// The value of type `ty` held by the cells at the start of `cells` (missing cells
    /// read as 0).
    pub(crate) fn from_cells(cells: &[u64], ty: ValType, store_id: u32) -> Val {
        let cell = cells.first().copied().unwrap_or(0);
        match ty {
            ValType::I32 => Val::I32(cell as u32 as i32),
            ValType::I64 => Val::I64(cell as i64),
            ValType::F32 => Val::F32(cell as u32),
            ValType::F64 => Val::F64(cell),
            ValType::V128 => {
                let hi = cells.get(1).copied().unwrap_or(0);
                Val::V128(u128::from(cell) | (u128::from(hi) << 64))
            }
            ValType::Ref(r) if r.heap.is_extern() => {
                Val::ExternRef(cell.checked_sub(1).map(|i| ExternRef {
                    store: store_id,
                    index: i as u32,
                }))
            }
            ValType::Ref(r) if r.heap.is_exn() => {
                Val::ExnRef(cell.checked_sub(1).map(|i| ExnRef {
                    store: store_id,
                    index: i as u32,
                }))
            }
            ValType::Ref(_) => Val::FuncRef(cell.checked_sub(1).map(|i| Func {
                store: store_id,
                index: i as u32,
            })),
        }
    }
}

impl From<i32> for Val {
    fn from(x: i32) -> Val {
        Val::I32(x)
    }
}
impl From<i64> for Val {
    fn from(x: i64) -> Val {
        Val::I64(x)
    }
}
impl From<f32> for Val {
    fn from(x: f32) -> Val {
        Val::from_f32(x)
    }
}
impl From<u128> for Val {
    /// A `v128` of these bits.
    fn from(x: u128) -> Val {
        Val::V128(x)
    }
}
impl From<f64> for Val {
    fn from(x: f64) -> Val {
        Val::from_f64(x)
    }
}
