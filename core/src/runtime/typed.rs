//! Typed calls and typed host functions: Rust types stand for Wasm value types, checked
//! once against a function's signature ([`Func::typed`], [`Func::wrap`]), so that a call
//! converts each value with a cast and allocates nothing. [`WasmTy`] lists the types.

use super::call;
use super::store::HostFn;
use super::{Caller, Error, ErrorKind, ExternRef, Func, Store};
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
/// | `Option<Func>` | `funcref` (`None`: null) |
/// | `Option<ExternRef>` | `externref` (`None`: null) |
///
/// Parameters and results are one of these, `()` for none, or a tuple of up to 16
/// ([`WasmTyList`]).
pub trait WasmTy: Sealed + Sized + Send + 'static {
    /// The Wasm value type.
    const TY: ValType;
    /// The interpreter's cell for this value in the store of id `store`; a reference from
    /// another store is an error.
    #[doc(hidden)]
    fn into_cell(self, store: u32) -> Result<u64, Error>;
    /// The value a cell of this type holds, in the store of id `store`.
    #[doc(hidden)]
    fn from_cell(cell: u64, store: u32) -> Self;
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
            fn from_cell($c: u64, _store: u32) -> Self {
                $from
            }
        }
    )*};
}

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
            fn from_cell(cell: u64, store: u32) -> Self {
                cell.checked_sub(1).map(|i| $ty {
                    store,
                    index: i as u32,
                })
            }
        }
    )*};
}

wasm_ty_ref! {
    Func => FuncRef;
    ExternRef => ExternRef;
}

/// A list of Wasm values as Rust types: `()`, one [`WasmTy`], or a tuple of up to 16.
pub trait WasmTyList: Sized + Send + 'static {
    /// The Wasm value types, in order.
    const TYPES: &'static [ValType];
    /// One cell per value, on the host's stack.
    #[doc(hidden)]
    type Cells: AsRef<[u64]> + AsMut<[u64]>;
    /// Cells of zeros.
    #[doc(hidden)]
    fn zeroed() -> Self::Cells;
    /// The values' cells in the store of id `store`.
    #[doc(hidden)]
    fn into_cells(self, store: u32) -> Result<Self::Cells, Error>;
    /// The values the first cells of `cells` hold, in the store of id `store`; `cells`
    /// has at least one per value.
    #[doc(hidden)]
    fn from_cells(cells: &[u64], store: u32) -> Self;
}

/// The parameters of a [`TypedFunc`]: a [`WasmTyList`].
pub trait WasmParams: WasmTyList {}
impl<L: WasmTyList> WasmParams for L {}

/// The results of a [`TypedFunc`]: a [`WasmTyList`].
pub trait WasmResults: WasmTyList {}
impl<L: WasmTyList> WasmResults for L {}

impl<A: WasmTy> WasmTyList for A {
    const TYPES: &'static [ValType] = &[A::TY];
    type Cells = [u64; 1];
    #[inline]
    fn zeroed() -> [u64; 1] {
        [0]
    }
    #[inline]
    fn into_cells(self, store: u32) -> Result<[u64; 1], Error> {
        Ok([self.into_cell(store)?])
    }
    #[inline]
    fn from_cells(cells: &[u64], store: u32) -> Self {
        A::from_cell(cells.first().copied().unwrap_or(0), store)
    }
}

/// Counts identifiers, for the tuples' cell arrays.
macro_rules! count {
    () => { 0 };
    ($head:ident $($tail:ident)*) => { 1 + count!($($tail)*) };
}

macro_rules! wasm_ty_list {
    ($($p:ident)*) => {
        #[allow(non_snake_case, unused_variables, unused_mut, clippy::unused_unit)]
        impl<$($p: WasmTy,)*> WasmTyList for ($($p,)*) {
            const TYPES: &'static [ValType] = &[$($p::TY,)*];
            type Cells = [u64; count!($($p)*)];
            #[inline]
            fn zeroed() -> Self::Cells {
                [0; count!($($p)*)]
            }
            #[inline]
            fn into_cells(self, store: u32) -> Result<Self::Cells, Error> {
                let ($($p,)*) = self;
                Ok([$($p.into_cell(store)?,)*])
            }
            #[inline]
            fn from_cells(cells: &[u64], store: u32) -> Self {
                let mut cells = cells.iter().copied();
                ($($p::from_cell(cells.next().unwrap_or(0), store),)*)
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
    let out = out.as_ref();
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
    pub fn func(&self) -> Func {
        self.func
    }

    /// Calls the function.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] with another store (or a reference from one among the
    /// parameters); the trap or host error that ended the call.
    pub fn call<T>(&self, store: &mut Store<T>, params: Params) -> Result<Results, Error> {
        self.func.entity(store)?;
        let id = store.inner.id;
        let args = params.into_cells(id)?;
        let mut out = Results::zeroed();
        call::call(store, self.func.index, args.as_ref(), out.as_mut())?;
        Ok(Results::from_cells(out.as_ref(), id))
    }
}

impl Func {
    /// This function as a [`TypedFunc`] with parameters `Params` and results `Results`.
    ///
    /// # Errors
    /// [`ErrorKind::Type`] when the signature is not `Params -> Results`;
    /// [`ErrorKind::WrongStore`].
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
    pub fn wrap<T, Params, Results>(
        store: &mut Store<T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, func) = f.into_func();
        store.add_host_func(&ty, func)
    }
}
