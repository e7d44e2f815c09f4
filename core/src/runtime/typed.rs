//! Typed calls and typed host functions: Rust types stand for Wasm value types, checked
//! once against a function's signature ([`Func::typed`], [`Func::wrap`]), so that a call
//! converts each value with a cast and allocates nothing. [`WasmTy`] lists the types.

use super::call;
use super::store::HostFn;
use super::{Caller, Error, ErrorKind, ExnRef, ExternRef, Func, Store};
use crate::module::{FuncType, ValType};
use crate::prelude::*;
use core::marker::PhantomData;

mod sealed {
    /// Only this crate implements the typed-value traits: their conversions are the
    /// interpreter's cell layout, which may change.
    pub trait Sealed {}
}
use sealed::Sealed;

/// A Rust type that stands for a Wasm value type:
///
/// | Rust | Wasm |
/// |---|---|
/// | `i32`, `u32` | `i32` |
/// | `i64`, `u64` | `i64` |
/// | `f32`, `f64` | `f32`, `f64` |
/// | `u128`, `i128` | `v128` (lane 0 in the low bits, as [`Val::V128`](crate::Val::V128)) |
/// | `Option<Func>` | `funcref` (`None`: null) |
/// | `Option<ExternRef>` | `externref` (`None`: null) |
/// | `Option<ExnRef>` | `exnref` (`None`: null) |
///
/// Parameters and results are one of these, `()` for none, or a tuple of up to 16
/// ([`WasmTyList`]).
///
/// ```
/// use folio::{Engine, ExternRef, Func, Store, ValType, WasmTy};
///
/// let mut store = Store::new(&Engine::default(), ());
/// // `i32` and `u32` both stand for Wasm's `i32`: the same bits, read signed or unsigned.
/// let negate = Func::wrap(&mut store, |x: i32| x.wrapping_neg());
/// assert_eq!(negate.typed::<i32, i32>(&store)?.call(&mut store, 1)?, -1);
/// assert_eq!(negate.typed::<u32, u32>(&store)?.call(&mut store, 1)?, u32::MAX);
///
/// // References are `Option`s, `None` the null reference.
/// let is_null = Func::wrap(&mut store, |r: Option<ExternRef>| i32::from(r.is_none()));
/// let is_null = is_null.typed::<Option<ExternRef>, i32>(&store)?;
/// let object = ExternRef::new(&mut store, "a host object");
/// assert_eq!(is_null.call(&mut store, None)?, 1);
/// assert_eq!(is_null.call(&mut store, Some(object))?, 0);
/// assert_eq!(<Option<Func> as WasmTy>::TY, ValType::FUNCREF);
/// # Ok::<(), folio::Error>(())
/// ```
pub trait WasmTy: Sealed + Sized + Send + 'static {
    /// The Wasm value type.
    const TY: ValType;
    /// The interpreter's cell for this value in the store of id `store` (the low one of
    /// a `v128`'s two); a reference from another store is an error.
    #[doc(hidden)]
    fn into_cell(self, store: u32) -> Result<u64, Error>;
    /// The value a cell of this type holds (with `hi`, the high cell of a `v128`), in
    /// the store of id `store`.
    #[doc(hidden)]
    fn from_cell(cell: u64, hi: u64, store: u32) -> Self;
    /// A `v128`'s high cell (0 for the one-cell types).
    #[doc(hidden)]
    #[inline]
    fn high_cell(&self) -> u64 {
        0
    }
}

macro_rules! wasm_ty_num {
    ($($ty:ty => $vt:ident, |$x:ident| $into:expr, |$c:ident| $from:expr;)*) => {$(
        impl Sealed for $ty {}
        impl WasmTy for $ty {
            const TY: ValType = ValType::$vt;
            #[inline]
            fn into_cell(self, _store: u32) -> Result<u64, Error> {
                let $x = self;
                Ok($into)
            }
            #[inline]
            fn from_cell($c: u64, _hi: u64, _store: u32) -> Self {
                $from
            }
        }
    )*};
}

macro_rules! wasm_ty_v128 {
    ($($ty:ty),*) => {$(
        impl Sealed for $ty {}
        impl WasmTy for $ty {
            const TY: ValType = ValType::V128;
            #[inline]
            fn into_cell(self, _store: u32) -> Result<u64, Error> {
                Ok(self as u64)
            }
            #[inline]
            fn from_cell(cell: u64, hi: u64, _store: u32) -> Self {
                (u128::from(cell) | (u128::from(hi) << 64)) as $ty
            }
            #[inline]
            fn high_cell(&self) -> u64 {
                (*self as u128 >> 64) as u64
            }
        }
    )*};
}

wasm_ty_v128!(u128, i128);

wasm_ty_num! {
    i32 => I32, |x| x as u32 as u64, |c| c as u32 as i32;
    u32 => I32, |x| x as u64, |c| c as u32;
    i64 => I64, |x| x as u64, |c| c as i64;
    u64 => I64, |x| x, |c| c;
    f32 => F32, |x| x.to_bits() as u64, |c| f32::from_bits(c as u32);
    f64 => F64, |x| x.to_bits(), |c| f64::from_bits(c);
}

macro_rules! wasm_ty_ref {
    ($($ty:ident => $vt:ident;)*) => {$(
        impl Sealed for Option<$ty> {}
        impl WasmTy for Option<$ty> {
            const TY: ValType = ValType::$vt;
            #[inline]
            fn into_cell(self, store: u32) -> Result<u64, Error> {
                match self {
                    None => Ok(0),
                    Some(r) if r.store == store => Ok(u64::from(r.index) + 1),
                    Some(_) => Err(Error::new(ErrorKind::WrongStore)),
                }
            }
            #[inline]
            fn from_cell(cell: u64, _hi: u64, store: u32) -> Self {
                cell.checked_sub(1).map(|i| $ty {
                    store,
                    index: i as u32,
                })
            }
        }
    )*};
}

wasm_ty_ref! {
    Func => FUNCREF;
    ExternRef => EXTERNREF;
    ExnRef => EXNREF;
}

/// A list of Wasm values as Rust types: `()`, one [`WasmTy`], or a tuple of up to 16.
///
/// ```
/// use folio::{ValType, WasmTyList};
///
/// assert!(<() as WasmTyList>::TYPES.is_empty());
/// assert_eq!(<f64 as WasmTyList>::TYPES, [ValType::F64]);
/// assert_eq!(<(f64,) as WasmTyList>::TYPES, [ValType::F64]); // the same list
/// assert_eq!(
///     <(i32, u64, Option<folio::Func>) as WasmTyList>::TYPES,
///     [ValType::I32, ValType::I64, ValType::FUNCREF]
/// );
/// ```
pub trait WasmTyList: Sized + Send + 'static {
    /// The Wasm value types, in order.
    const TYPES: &'static [ValType];
    /// The cells the values take (a `v128` two, the others one).
    #[doc(hidden)]
    const CELLS: usize;
    /// Room for the values' cells on the host's stack: two per value, of which the first
    /// [`CELLS`](Self::CELLS) are used.
    #[doc(hidden)]
    type Cells: AsRef<[u64]> + AsMut<[u64]>;
    /// Cells of zeros.
    #[doc(hidden)]
    fn zeroed() -> Self::Cells;
    /// The values' cells in the store of id `store`.
    #[doc(hidden)]
    fn into_cells(self, store: u32) -> Result<Self::Cells, Error>;
    /// The values the first cells of `cells` hold, in the store of id `store`; `cells`
    /// has at least [`CELLS`](Self::CELLS).
    #[doc(hidden)]
    fn from_cells(cells: &[u64], store: u32) -> Self;
}

/// The parameters of a [`TypedFunc`]: a [`WasmTyList`]. A call takes them as one value:
/// `()` for none, the value itself for one, a tuple for more.
///
/// ```
/// use folio::{Engine, Instance, Module, Store};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (func (export "zero") (result i32) (i32.const 0))
///     (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
///     (func (export "add3") (param i32 i32 i32) (result i32)
///       (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2)))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let zero = instance.get_typed_func::<(), i32>(&store, "zero")?;
/// let inc = instance.get_typed_func::<i32, i32>(&store, "inc")?;
/// let add3 = instance.get_typed_func::<(i32, i32, i32), i32>(&store, "add3")?;
/// assert_eq!(zero.call(&mut store, ())?, 0);
/// assert_eq!(inc.call(&mut store, 41)?, 42);
/// assert_eq!(add3.call(&mut store, (1, 2, 3))?, 6);
/// # Ok::<(), folio::Error>(())
/// ```
pub trait WasmParams: WasmTyList {}
impl<L: WasmTyList> WasmParams for L {}

/// The results of a [`TypedFunc`]: a [`WasmTyList`]. A call returns them as one value:
/// `()` for none, the value itself for one, a tuple for more.
///
/// ```
/// use folio::{Engine, Instance, Module, Store};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (global $calls (mut i32) (i32.const 0))
///     (func (export "tick") (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
///     (func (export "swap") (param i64 f32) (result f32 i64) (local.get 1) (local.get 0)))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let tick = instance.get_typed_func::<(), ()>(&store, "tick")?;
/// let swap = instance.get_typed_func::<(i64, f32), (f32, i64)>(&store, "swap")?;
/// tick.call(&mut store, ())?;
/// assert_eq!(swap.call(&mut store, (7, 0.5))?, (0.5, 7));
/// # Ok::<(), folio::Error>(())
/// ```
pub trait WasmResults: WasmTyList {}
impl<L: WasmTyList> WasmResults for L {}

impl<A: WasmTy> WasmTyList for A {
    const TYPES: &'static [ValType] = &[A::TY];
    const CELLS: usize = A::TY.cells() as usize;
    type Cells = [u64; 2];
    #[inline]
    fn zeroed() -> [u64; 2] {
        [0; 2]
    }
    #[inline]
    fn into_cells(self, store: u32) -> Result<[u64; 2], Error> {
        let hi = self.high_cell();
        Ok([self.into_cell(store)?, hi])
    }
    #[inline]
    fn from_cells(cells: &[u64], store: u32) -> Self {
        let cell = |i: usize| cells.get(i).copied().unwrap_or(0);
        A::from_cell(cell(0), cell(1), store)
    }
}

/// The first `n` of `cells` (all of them if fewer: never, `n` being a list's
/// [`CELLS`](WasmTyList::CELLS) and `cells` its room).
#[inline]
pub(crate) fn used(cells: &[u64], n: usize) -> &[u64] {
    cells.get(..n).unwrap_or(cells)
}

/// [`used`], writable.
#[inline]
pub(crate) fn used_mut(cells: &mut [u64], n: usize) -> &mut [u64] {
    let len = cells.len();
    &mut cells[..n.min(len)]
}

/// Counts identifiers, for the tuples' cell arrays.
macro_rules! count {
    () => { 0 };
    ($head:ident $($tail:ident)*) => { 1 + count!($($tail)*) };
}

macro_rules! wasm_ty_list {
    ($($p:ident)*) => {
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($p: WasmTy,)*> WasmTyList for ($($p,)*) {
            const TYPES: &'static [ValType] = &[$($p::TY,)*];
            const CELLS: usize = 0 $(+ $p::TY.cells() as usize)*;
            type Cells = [u64; 2 * count!($($p)*)];
            #[inline]
            fn zeroed() -> Self::Cells {
                [0; 2 * count!($($p)*)]
            }
            #[inline]
            fn into_cells(self, store: u32) -> Result<Self::Cells, Error> {
                let ($($p,)*) = self;
                let mut cells = [0; 2 * count!($($p)*)];
                let mut at = 0;
                $(
                    let hi = $p.high_cell();
                    if let Some(c) = cells.get_mut(at) {
                        *c = $p.into_cell(store)?;
                    }
                    if $p::TY == ValType::V128 && let Some(c) = cells.get_mut(at + 1) {
                        *c = hi;
                    }
                    at += $p::TY.cells() as usize;
                )*
                Ok(cells)
            }
            #[inline]
            fn from_cells(cells: &[u64], store: u32) -> Self {
                let cell = |i: usize| cells.get(i).copied().unwrap_or(0);
                let mut at = 0;
                ($({
                    let v = $p::from_cell(cell(at), cell(at + 1), store);
                    at += $p::TY.cells() as usize;
                    v
                },)*)
            }
        }
    };
}

/// Expands `$m` for every tuple length from 0 to 16.
macro_rules! for_each_tuple {
    ($m:ident) => {
        $m!();
        $m!(P1);
        $m!(P1 P2);
        $m!(P1 P2 P3);
        $m!(P1 P2 P3 P4);
        $m!(P1 P2 P3 P4 P5);
        $m!(P1 P2 P3 P4 P5 P6);
        $m!(P1 P2 P3 P4 P5 P6 P7);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12 P13);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12 P13 P14);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12 P13 P14 P15);
        $m!(P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12 P13 P14 P15 P16);
    };
}

for_each_tuple!(wasm_ty_list);

/// What a typed host function returns: its results ([`WasmTyList`]), or
/// `Result<results, Error>` to fail.
///
/// Both closures below have the signature `(param i32) (result i32)`; the second fails
/// the call with an error of the host's own ([`Error::host`]):
///
/// ```
/// use folio::{Engine, Error, Func, Store};
///
/// let mut store = Store::new(&Engine::default(), ());
/// let halve = Func::wrap(&mut store, |x: i32| x / 2);
/// let halve_even = Func::wrap(&mut store, |x: i32| -> Result<i32, Error> {
///     if x % 2 == 0 { Ok(x / 2) } else { Err(Error::host(format!("{x} is odd"))) }
/// });
/// assert_eq!(halve.ty(&store)?, halve_even.ty(&store)?);
///
/// let halve_even = halve_even.typed::<i32, i32>(&store)?;
/// assert_eq!(halve_even.call(&mut store, 8)?, 4);
/// let err = halve_even.call(&mut store, 7).unwrap_err();
/// assert_eq!(err.downcast_ref::<String>().map(String::as_str), Some("7 is odd"));
/// # Ok::<(), folio::Error>(())
/// ```
pub trait WasmRet: Send + 'static {
    /// The results.
    type Ok: WasmTyList;
    /// The results, or the host function's error.
    #[doc(hidden)]
    fn into_result(self) -> Result<Self::Ok, Error>;
}

impl<L: WasmTyList> WasmRet for L {
    type Ok = L;
    #[inline]
    fn into_result(self) -> Result<L, Error> {
        Ok(self)
    }
}

impl<L: WasmTyList> WasmRet for Result<L, Error> {
    type Ok = L;
    #[inline]
    fn into_result(self) -> Result<L, Error> {
        self
    }
}

/// A Rust closure that can be a host function ([`Func::wrap`],
/// [`Linker::func_wrap`](super::Linker::func_wrap)): `Fn(P1, …, Pn) -> R` or
/// `Fn(Caller<'_, T>, P1, …, Pn) -> R`, with up to 16 [`WasmTy`] parameters and a
/// [`WasmRet`] result. `Params` tells the two forms apart; it is inferred.
///
/// ```
/// use folio::{Caller, Engine, Func, FuncType, Store, ValType};
///
/// let mut store = Store::new(&Engine::default(), 10i64);
/// let add = Func::wrap(&mut store, |a: i64, b: i64| a + b);
/// let nothing = Func::wrap(&mut store, || {});
/// // A `Caller` first reaches the host data; it is not a Wasm parameter.
/// let add_data = Func::wrap(&mut store, |caller: Caller<'_, i64>, a: i64| a + *caller.data());
///
/// assert_eq!(add.ty(&store)?, FuncType::new([ValType::I64; 2], [ValType::I64]));
/// assert_eq!(nothing.ty(&store)?, FuncType::new([], []));
/// assert_eq!(add_data.ty(&store)?, FuncType::new([ValType::I64], [ValType::I64]));
/// assert_eq!(add_data.typed::<i64, i64>(&store)?.call(&mut store, 5)?, 15);
/// # Ok::<(), folio::Error>(())
/// ```
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The signature, and the closure on cells.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFn<T>);
}

/// The `Params` of [`IntoFunc`] for closures that take a [`Caller`] first.
#[doc(hidden)]
pub struct WithCaller<P>(PhantomData<P>);

/// Writes a typed host function's results over its argument cells.
#[inline]
fn write_results<L: WasmTyList>(results: L, cells: &mut [u64], store: u32) -> Result<(), Error> {
    let out = results.into_cells(store)?;
    let out = used(out.as_ref(), L::CELLS);
    // `call_host` passes a cell per parameter and per result of the signature, which was
    // built from `L::TYPES`: the slice is long enough, but a short one is an error value.
    let room = cells
        .get_mut(..out.len())
        .ok_or_else(|| Error::ty("host function results: no room"))?;
    room.copy_from_slice(out);
    Ok(())
}

/// The signature of a typed host function.
fn signature<P: WasmTyList, R: WasmTyList>() -> FuncType {
    FuncType::new(P::TYPES.iter().copied(), R::TYPES.iter().copied())
}

macro_rules! into_func {
    ($($p:ident)*) => {
        #[allow(non_snake_case)]
        impl<T, F, R, $($p: WasmTy,)*> IntoFunc<T, ($($p,)*), R> for F
        where
            F: Fn($($p),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let func: HostFn<T> = Arc::new(move |caller: Caller<'_, T>, cells: &mut [u64]| {
                    let store = caller.store.inner.id;
                    let ($($p,)*) = <($($p,)*) as WasmTyList>::from_cells(cells, store);
                    let results = self($($p),*).into_result()?;
                    write_results(results, cells, store)
                });
                (signature::<($($p,)*), R::Ok>(), func)
            }
        }

        #[allow(non_snake_case)]
        impl<T, F, R, $($p: WasmTy,)*> IntoFunc<T, WithCaller<($($p,)*)>, R> for F
        where
            F: Fn(Caller<'_, T>, $($p),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let func: HostFn<T> = Arc::new(move |caller: Caller<'_, T>, cells: &mut [u64]| {
                    let store = caller.store.inner.id;
                    let ($($p,)*) = <($($p,)*) as WasmTyList>::from_cells(cells, store);
                    let results = self(caller, $($p),*).into_result()?;
                    write_results(results, cells, store)
                });
                (signature::<($($p,)*), R::Ok>(), func)
            }
        }
    };
}

for_each_tuple!(into_func);

/// A function whose signature was checked against `Params` and `Results` once
/// ([`Func::typed`], [`Instance::get_typed_func`](super::Instance::get_typed_func)), so
/// that each [`call`](TypedFunc::call) converts values with casts and allocates nothing.
///
/// A typed function is a `Copy` handle, like the [`Func`] it wraps:
///
/// ```
/// use folio::{Engine, Instance, Module, Store, TypedFunc};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let mul: TypedFunc<(i64, i64), i64> = instance.get_typed_func(&store, "mul")?;
/// let copy = mul;
/// assert_eq!(copy.call(&mut store, (6, 7))?, 42);
/// assert_eq!(mul.call(&mut store, (-3, 4))?, -12);
/// # Ok::<(), folio::Error>(())
/// ```
pub struct TypedFunc<Params, Results> {
    func: Func,
    _types: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> core::fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TypedFunc").field(&self.func).finish()
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// The untyped function.
    ///
    /// ```
    /// use folio::{Engine, Func, Store, Val};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let double = Func::wrap(&mut store, |x: f32| x * 2.0);
    /// let typed = double.typed::<f32, f32>(&store)?;
    /// assert_eq!(typed.func(), double);
    /// let mut out = [Val::from_f32(0.0)];
    /// typed.func().call(&mut store, &[Val::from_f32(1.5)], &mut out)?;
    /// assert_eq!(out, [Val::from_f32(3.0)]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn func(&self) -> Func {
        self.func
    }

    /// Calls the function.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] with another store (or a reference from one among the
    /// parameters); the trap or host error that ended the call.
    ///
    /// ```
    /// use folio::{Engine, ErrorKind, Instance, Module, Store, TrapKind};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "div") (param i32 i32) (result i32)
    ///       (i32.div_s (local.get 0) (local.get 1))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let div = instance.get_typed_func::<(i32, i32), i32>(&store, "div")?;
    /// assert_eq!(div.call(&mut store, (-7, 2))?, -3);
    ///
    /// let err = div.call(&mut store, (1, 0)).unwrap_err();
    /// assert_eq!(err.as_trap().map(|t| t.kind()), Some(TrapKind::IntegerDivideByZero));
    /// let mut other = Store::new(&engine, ());
    /// let err = div.call(&mut other, (1, 1)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::WrongStore));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn call<T>(&self, store: &mut Store<T>, params: Params) -> Result<Results, Error> {
        self.func.entity(store)?;
        let id = store.inner.id;
        let args = params.into_cells(id)?;
        let mut out = Results::zeroed();
        call::call(
            store,
            self.func.index,
            used(args.as_ref(), Params::CELLS),
            used_mut(out.as_mut(), Results::CELLS),
        )?;
        Ok(Results::from_cells(out.as_ref(), id))
    }
}

impl Func {
    /// This function as a [`TypedFunc`] with parameters `Params` and results `Results`.
    ///
    /// # Errors
    /// [`ErrorKind::Type`] when the signature is not `Params -> Results`;
    /// [`ErrorKind::WrongStore`].
    ///
    /// The types must match exactly; only the Rust types standing for the same Wasm type
    /// ([`WasmTy`]) are interchangeable:
    ///
    /// ```
    /// use folio::{Engine, ErrorKind, Func, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let add = Func::wrap(&mut store, |a: i32, b: i32| a.wrapping_add(b));
    /// let typed = add.typed::<(i32, i32), i32>(&store)?;
    /// assert_eq!(typed.call(&mut store, (2, 3))?, 5);
    /// assert!(add.typed::<(u32, u32), u32>(&store).is_ok());
    ///
    /// let err = add.typed::<(i64, i64), i64>(&store).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Type(_)));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "type mismatch: the function is (func (param i32) (param i32) (result i32)), \
    ///      not (func (param i64) (param i64) (result i64))"
    /// );
    /// assert!(add.typed::<(i32, i32), ()>(&store).is_err()); // the results count too
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: &Store<impl Sized>,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let sig = self.entity(store)?.sig();
        let ty = store.inner.sigs.get(sig);
        if ty.params() != Params::TYPES || ty.results() != Results::TYPES {
            return Err(Error::ty(format!(
                "the function is {ty}, not {}",
                signature::<Params, Results>()
            )));
        }
        Ok(TypedFunc {
            func: *self,
            _types: PhantomData,
        })
    }

    /// A host function from a Rust closure whose parameter and result types give its
    /// signature (see [`IntoFunc`]); it may take a [`Caller`] first.
    ///
    /// A host function given to a module as its import, keeping a log in the host data:
    ///
    /// ```
    /// use folio::{Caller, Engine, Func, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, Vec::<i32>::new());
    /// let log = Func::wrap(&mut store, |mut caller: Caller<'_, Vec<i32>>, x: i32| {
    ///     caller.data_mut().push(x);
    /// });
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "log" (func $log (param i32)))
    ///     (func (export "run") (call $log (i32.const 1)) (call $log (i32.const 2))))"#)
    ///     .unwrap();
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[log.into()])?;
    /// instance.get_typed_func::<(), ()>(&store, "run")?.call(&mut store, ())?;
    /// assert_eq!(store.data(), &[1, 2]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn wrap<T, Params, Results>(
        store: &mut Store<T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, func) = f.into_func();
        store.add_host_func(&ty, func)
    }
}
