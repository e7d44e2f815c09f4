//! Functions: Wasm or host, called with typed values.

use super::store::HostFn;
use super::{Error, ErrorKind, Extern, Store, Val};
use crate::exec::store::FuncEntity;
use crate::module::FuncType;
use crate::prelude::*;

/// A function in a [`Store`]: defined by a module or by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

/// What a host function sees of its caller: the store (and its host data) and the
/// calling instance's exports.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<u32>,
}

/// A host function of signature `ty` on [`Val`]s, adapted to the cells host calls pass:
/// the values live in the store's scratch (`Store::host_vals`), so a call allocates
/// nothing once the scratch has grown.
pub(crate) fn untyped<T>(
    ty: FuncType,
    f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
) -> HostFn<T> {
    Arc::new(move |caller: Caller<'_, T>, cells: &mut [u64]| {
        let Caller { store, instance } = caller;
        let id = store.inner.id;
        let mut vals = core::mem::take(&mut store.host_vals);
        vals.clear();
        vals.extend(
            cells
                .iter()
                .zip(ty.params())
                .map(|(&cell, &t)| Val::from_cell(cell, t, id)),
        );
        vals.extend(ty.results().iter().map(|&t| Val::default_for(t)));
        let (args, rets) = vals.split_at_mut(ty.params().len());
        f(
            Caller {
                store: &mut *store,
                instance,
            },
            args,
            rets,
        )?;
        for (i, ((v, &t), cell)) in rets.iter().zip(ty.results()).zip(cells).enumerate() {
            if v.ty() != t {
                return Err(Error::ty(format!(
                    "host function result {i}: expected {t}, got {}",
                    v.ty()
                )));
            }
            *cell = v.to_cell(id).ok_or_else(|| {
                Error::ty(format!(
                    "host function result {i}: a reference from another store"
                ))
            })?;
        }
        store.host_vals = vals;
        Ok(())
    })
}

impl<T> Caller<'_, T> {
    /// The host data.
    pub fn data(&self) -> &T {
        &self.store.data
    }
    /// The host data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }
    /// The store, e.g. to read or grow a memory or to call back into Wasm.
    pub fn store(&self) -> &Store<T> {
        self.store
    }
    /// The store, writable.
    pub fn store_mut(&mut self) -> &mut Store<T> {
        self.store
    }
    /// An export of the calling instance (`None` when called from the embedder directly).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        super::instance::export_of(&self.store.inner, instance, name)
    }
}

impl Func {
    /// A host function of signature `ty`. The closure receives the arguments (already
    /// checked against `ty`) and writes one value per result; results of a wrong type
    /// make the call fail with a type error. [`Func::wrap`] is the typed, faster form.
    pub fn new<T>(
        store: &mut Store<T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        let func = untyped(ty.clone(), f);
        store.add_host_func(&ty, func)
    }

    pub(crate) fn entity<'a, T>(&self, store: &'a Store<T>) -> Result<&'a FuncEntity, Error> {
        if self.store != store.inner.id {
            return Err(Error::new(ErrorKind::WrongStore));
        }
        store
            .inner
            .funcs
            .get(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))
    }

    /// The function's signature.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] with a handle of another store.
    pub fn ty<T>(&self, store: &Store<T>) -> Result<FuncType, Error> {
        let sig = self.entity(store)?.sig();
        Ok(store.inner.sigs.get(sig).clone())
    }

    /// Calls the function with `args`, writing its results into `results`.
    ///
    /// # Errors
    /// A type error when `args` or `results` do not match the signature (count or types);
    /// a trap when execution traps.
    pub fn call<T>(
        &self,
        store: &mut Store<T>,
        args: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let sig = self.entity(store)?.sig();
        let ty = store.inner.sigs.get(sig);
        if args.len() != ty.params().len() {
            return Err(Error::ty(format!(
                "expected {} arguments, got {}",
                ty.params().len(),
                args.len()
            )));
        }
        if results.len() != ty.results().len() {
            return Err(Error::ty(format!(
                "expected room for {} results, got {}",
                ty.results().len(),
                results.len()
            )));
        }
        // The argument cells, then room for the result cells, in the store's scratch
        // (taken, so that a host function calling back in finds its own).
        let mut cells = core::mem::take(&mut store.call_cells);
        cells.clear();
        for (i, (arg, pty)) in args.iter().zip(ty.params()).enumerate() {
            if arg.ty() != *pty {
                return Err(Error::ty(format!(
                    "argument {i}: expected {pty}, got {}",
                    arg.ty()
                )));
            }
            let cell = arg
                .to_cell(store.inner.id)
                .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
            cells.push(cell);
        }
        cells.resize(args.len() + results.len(), 0);
        let (arg_cells, out) = cells.split_at_mut(args.len());
        super::call::call(store, self.index, arg_cells, out)?;
        let ty = store.inner.sigs.get(sig);
        for ((slot, &cell), &rty) in results.iter_mut().zip(&*out).zip(ty.results()) {
            *slot = Val::from_cell(cell, rty, store.inner.id);
        }
        store.call_cells = cells;
        Ok(())
    }
}
