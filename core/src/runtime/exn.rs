//! Tags and exceptions (the exception handling proposal) in the embedder API: [`Tag`],
//! [`ExnRef`], and how an exception crosses a host function.
//!
//! An exception that no `try_table` of a call catches ends the call with a trap of kind
//! [`TrapKind::UncaughtException`], whose text names
//! the tag and shows the payload, and which carries the exception itself
//! ([`Trap::exception`], [`Error::as_exception`]): the embedder reads its tag and payload
//! through the [`ExnRef`]. Exceptions are values all the way: Folio never unwinds the
//! host's stack for them.
//!
//! Through a host function: a host function that called back into Wasm gets such an
//! error when the nested call throws; if it returns it (`?` does), or returns one of its
//! own made with [`Error::exception`], the exception goes on unwinding the Wasm frames
//! that called the host function, where a `try_table` may catch it, as if the host
//! function had thrown it. Every other error a host function returns ends the call.

use super::{Error, ErrorKind, Store, Val};
use crate::exec::store::TagEntity;
use crate::exec::{Trap, TrapKind};
use crate::module::{FuncType, TagType};
use crate::prelude::*;

/// A tag in a [`Store`] (the exception handling proposal): what an exception is thrown
/// with and caught by. A handle, like [`Func`](super::Func): `Copy`, compared by
/// identity, usable only with its own store.
///
/// Two tags are the same tag only if they are the same entity: each instantiation of a
/// module defines new tags, a module importing a tag uses the exporter's, and tags of
/// equal types are still different tags. A tag the embedder makes can be given to
/// modules to import, so that the host and the guest throw and catch the same tag:
///
/// ```
/// use folio::{Engine, FuncType, Linker, Module, Store, Tag, Val, ValType};
///
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let error = Tag::new(&mut store, FuncType::new([ValType::I32], []))?;
/// let mut linker = Linker::new();
/// linker.define("host", "error", error)?;
/// let wasm = wat::parse_str(r#"(module
///     (import "host" "error" (tag $error (param i32)))
///     (func (export "fail") (param i32) (throw $error (local.get 0))))"#)
///     .unwrap();
/// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
/// let fail = instance.get_typed_func::<i32, ()>(&store, "fail")?;
/// let err = fail.call(&mut store, 7).unwrap_err();
/// let exn = err.as_exception().unwrap();
/// assert_eq!(exn.tag(&store)?, error);
/// assert_eq!(exn.payload(&store)?, [Val::I32(7)]);
/// assert_eq!(err.to_string(), r#"uncaught exception: tag "host"."error" [i32 7]"#);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl Tag {
    /// A new tag of function type `ty` (its parameters are the payload).
    ///
    /// # Errors
    /// A type error when `ty` has results (a tag's function type has none).
    pub fn new<T>(store: &mut Store<T>, ty: FuncType) -> Result<Tag, Error> {
        let ty = TagType::new(ty)?;
        let inner = &mut store.inner;
        let sig = inner.host_sig(ty.func_type());
        let index = inner.tags.len() as u32;
        inner.tags.push(TagEntity { sig, owner: None });
        Ok(Tag {
            store: inner.id,
            index,
        })
    }

    /// The tag's type.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    ///
    /// ```
    /// use folio::{Engine, FuncType, Store, Tag, TagType, ValType};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = FuncType::new([ValType::F64, ValType::I64], []);
    /// let tag = Tag::new(&mut store, ty.clone())?;
    /// assert_eq!(tag.ty(&store)?, TagType::new(ty)?);
    /// assert!(Tag::new(&mut store, FuncType::new([], [ValType::I32])).is_err());
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn ty<T>(&self, store: &Store<T>) -> Result<TagType, Error> {
        let sig = self.entity(store)?.sig;
        Ok(TagType::of_validated(store.inner.sigs.get(sig).clone()))
    }

    pub(crate) fn entity<'a, T>(&self, store: &'a Store<T>) -> Result<&'a TagEntity, Error> {
        if self.store != store.inner.id {
            return Err(Error::new(ErrorKind::WrongStore));
        }
        store
            .inner
            .tags
            .get(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))
    }
}

/// A reference to an exception object in a [`Store`]: what a Wasm `exnref` holds, and
/// what an uncaught exception carries ([`Error::as_exception`]). The object (its tag and
/// payload) lives as long as the store.
///
/// ```
/// use folio::{Engine, ExnRef, FuncType, Store, Tag, Val, ValType};
///
/// let mut store = Store::new(&Engine::default(), ());
/// let tag = Tag::new(&mut store, FuncType::new([ValType::I32, ValType::I64], []))?;
/// let exn = ExnRef::new(&mut store, tag, &[Val::I32(1), Val::I64(2)])?;
/// assert_eq!(exn.tag(&store)?, tag);
/// assert_eq!(exn.payload(&store)?, [Val::I32(1), Val::I64(2)]);
/// assert!(ExnRef::new(&mut store, tag, &[Val::I32(1)]).is_err()); // the payload's types
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExnRef {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl ExnRef {
    /// A new exception of `tag` carrying `payload` (checked against the tag's type), for
    /// a host function to throw ([`Error::exception`]) or to pass to Wasm as an `exnref`.
    /// Its cells count against the store's limiter as a thrown exception's do
    /// ([`Limiter::exceptions_growing`](crate::memory::Limiter::exceptions_growing)).
    ///
    /// # Errors
    /// A tag of another store; a payload of the wrong types; no room (the limiter
    /// refused).
    pub fn new<T>(store: &mut Store<T>, tag: Tag, payload: &[Val]) -> Result<ExnRef, Error> {
        let sig = tag.entity(store)?.sig;
        let ty = store.inner.sigs.get(sig);
        if payload.len() != ty.params().len() {
            return Err(Error::ty(format!(
                "the tag's payload has {} values, got {}",
                ty.params().len(),
                payload.len()
            )));
        }
        let mut cells = Vec::with_capacity(ty.param_cells());
        for (i, (v, &t)) in payload.iter().zip(ty.params()).enumerate() {
            if v.ty() != t {
                return Err(Error::ty(format!(
                    "payload value {i}: expected {t}, got {}",
                    v.ty()
                )));
            }
            v.push_cells(store.inner.id, &mut cells)
                .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        }
        let inner = &mut store.inner;
        let limiter = inner.limiter.as_deref_mut();
        let index = inner.exns.alloc(tag.index, &cells, limiter, true)?;
        Ok(ExnRef {
            store: inner.id,
            index,
        })
    }

    /// The exception's tag.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn tag<T>(&self, store: &Store<T>) -> Result<Tag, Error> {
        let index = self.object(store)?;
        let tag = store
            .inner
            .exns
            .tag(index)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        Ok(Tag {
            store: store.inner.id,
            index: tag,
        })
    }

    /// The exception's payload: one value per parameter of its tag's type.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn payload<T>(&self, store: &Store<T>) -> Result<Vec<Val>, Error> {
        let tag = self.tag(store)?;
        let sig = tag.entity(store)?.sig;
        let ty = store.inner.sigs.get(sig);
        let cells = store
            .inner
            .exns
            .payload(self.index)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        let mut at = 0;
        Ok(ty
            .params()
            .iter()
            .map(|&t| {
                let v = Val::from_cells(cells.get(at..).unwrap_or(&[]), t, store.inner.id);
                at += t.cells() as usize;
                v
            })
            .collect())
    }

    /// The object's index, if it is one of `store`'s.
    fn object<T>(&self, store: &Store<T>) -> Result<u32, Error> {
        if self.store != store.inner.id || self.index as usize >= store.inner.exns.len() {
            return Err(Error::new(ErrorKind::WrongStore));
        }
        Ok(self.index)
    }
}

impl Trap {
    /// The exception of an uncaught exception ([`TrapKind::UncaughtException`]), `None`
    /// for every other trap.
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store, TrapKind, Val};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (tag $overflow (export "overflow") (param i64))
    ///     (func (export "add") (param i64 i64) (result i64)
    ///       (local $sum i64)
    ///       (local.set $sum (i64.add (local.get 0) (local.get 1)))
    ///       (if (i64.lt_s (local.get $sum) (local.get 0))
    ///         (then (throw $overflow (local.get $sum))))
    ///       (local.get $sum)))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let add = instance.get_typed_func::<(i64, i64), i64>(&store, "add")?;
    /// let err = add.call(&mut store, (i64::MAX, 1)).unwrap_err();
    /// let trap = err.as_trap().unwrap();
    /// assert_eq!(trap.kind(), TrapKind::UncaughtException);
    /// let exn = trap.exception().unwrap();
    /// assert_eq!(Some(exn.tag(&store)?), instance.get_tag(&store, "overflow"));
    /// assert_eq!(exn.payload(&store)?, [Val::I64(i64::MIN)]);
    /// assert_eq!(trap.to_string(), r#"uncaught exception: tag "overflow" [i64 -9223372036854775808]"#);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn exception(&self) -> Option<ExnRef> {
        let (store, index) = self.exception_object()?;
        Some(ExnRef { store, index })
    }
}

impl Error {
    /// The error of the exception `exn`, for a host function to throw it: it unwinds the
    /// Wasm frames that called the host function, and a `try_table` there may catch it
    /// (see [`Tag`] for how a host and a guest share a tag). Outside a call from Wasm it
    /// is a trap of kind [`TrapKind::UncaughtException`] like any other.
    ///
    /// A host function throwing the guest's own tag, which the guest catches:
    ///
    /// ```
    /// use folio::{Caller, Engine, Error, ExnRef, Extern, Linker, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::new();
    /// linker.func_wrap("host", "check", |mut caller: Caller<'_, ()>, x: i32| {
    ///     if x >= 0 {
    ///         return Ok(x);
    ///     }
    ///     let negative = caller.get_export("negative").and_then(Extern::into_tag).unwrap();
    ///     let exn = ExnRef::new(caller.store_mut(), negative, &[x.into()])?;
    ///     Err(Error::exception(exn))
    /// })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "host" "check" (func $check (param i32) (result i32)))
    ///     (tag $negative (export "negative") (param i32))
    ///     (func (export "abs") (param i32) (result i32)
    ///       (block $caught (result i32)
    ///         (try_table (catch $negative $caught)
    ///           (return (call $check (local.get 0))))
    ///         (unreachable))
    ///       (i32.mul (i32.const -1))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// let abs = instance.get_typed_func::<i32, i32>(&store, "abs")?;
    /// assert_eq!(abs.call(&mut store, 5)?, 5);
    /// assert_eq!(abs.call(&mut store, -5)?, 5); // thrown by the host, caught by Wasm
    /// # Ok::<(), folio::Error>(())
    /// ```
    #[cold]
    pub fn exception(exn: ExnRef) -> Error {
        Error::from(Trap::uncaught(exn.store, exn.index, String::new()))
    }

    /// The exception, if this error is an uncaught exception (see [`Trap::exception`]).
    pub fn as_exception(&self) -> Option<ExnRef> {
        self.as_trap()?.exception()
    }

    /// The exception object of store `store` an uncaught exception carries.
    pub(crate) fn exception_of(&self, store: u32) -> Option<u32> {
        let trap = self.as_trap()?;
        match trap.exception_object() {
            Some((s, index)) if s == store && trap.kind() == TrapKind::UncaughtException => {
                Some(index)
            }
            _ => None,
        }
    }
}
