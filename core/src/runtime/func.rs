//! Functions: Wasm or host, called with typed values.

use super::store::HostFn;
use super::{Error, ErrorKind, Extern, Store, Val};
use crate::exec::store::FuncEntity;
use crate::module::FuncType;
use crate::prelude::*;

/// A function in a [`Store`]: defined by a module or by the host.
///
/// A handle: `Copy`, compared by identity, and usable only with its own store.
///
/// ```
/// use folio::{Engine, Func, Instance, Module, Store, Val};
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (func $answer (export "answer") (result i32) (i32.const 42))
///     (export "also_answer" (func $answer)))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let answer: Func = instance.get_func(&store, "answer").unwrap();
/// assert_eq!(instance.get_func(&store, "also_answer"), Some(answer)); // the same function
///
/// let mut out = [Val::I32(0)];
/// answer.call(&mut store, &[], &mut out)?;
/// assert_eq!(out, [Val::I32(42)]);
/// let mut other = Store::new(&engine, ());
/// assert!(answer.call(&mut other, &[], &mut out).is_err());
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

/// What a host function sees of its caller: the store (and its host data) and the
/// calling instance's exports.
///
/// ```
/// use folio::{Caller, Engine, Extern, Linker, Module, Store};
///
/// let engine = Engine::default();
/// let mut linker = Linker::new();
/// // Appends the guest's string at `ptr`, `len` to the host's log.
/// linker.func_wrap("env", "log", |mut caller: Caller<'_, Vec<String>>, ptr: u32, len: u32| {
///     let memory = caller.get_export("memory").and_then(Extern::into_memory).unwrap();
///     let mut bytes = vec![0; len as usize];
///     memory.read(caller.store(), ptr as usize, &mut bytes).unwrap();
///     caller.data_mut().push(String::from_utf8(bytes).unwrap());
/// })?;
/// let wasm = wat::parse_str(r#"(module
///     (import "env" "log" (func $log (param i32 i32)))
///     (memory (export "memory") 1)
///     (data (i32.const 8) "hello")
///     (func (export "run") (call $log (i32.const 8) (i32.const 5))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, Vec::new());
/// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
/// instance.get_typed_func::<(), ()>(&store, "run")?.call(&mut store, ())?;
/// assert_eq!(store.data(), &["hello"]);
/// # Ok::<(), folio::Error>(())
/// ```
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
        let mut at = 0;
        vals.extend(ty.params().iter().map(|&t| {
            let v = Val::from_cells(cells.get(at..).unwrap_or(&[]), t, id);
            at += t.cells() as usize;
            v
        }));
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
        let mut at = 0;
        for (i, (v, &t)) in rets.iter().zip(ty.results()).enumerate() {
            if !store.inner.val_fits(*v, t) {
                return Err(Error::ty(format!(
                    "host function result {i}: expected {t}, got {}",
                    v.ty()
                )));
            }
            // (The cells have room for every result: `call_host` sizes them.)
            v.to_cells(id, cells.get_mut(at..).unwrap_or(&mut []))
                .ok_or_else(|| {
                    Error::ty(format!(
                        "host function result {i}: a reference from another store"
                    ))
                })?;
            at += t.cells() as usize;
        }
        store.host_vals = vals;
        Ok(())
    })
}

impl<T> Caller<'_, T> {
    /// The host data.
    ///
    /// ```
    /// use folio::{Caller, Engine, Func, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), 3i32);
    /// let scale = Func::wrap(&mut store, |caller: Caller<'_, i32>, x: i32| x * *caller.data());
    /// assert_eq!(scale.typed::<i32, i32>(&store)?.call(&mut store, 14)?, 42);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn data(&self) -> &T {
        &self.store.data
    }
    /// The host data, writable.
    ///
    /// ```
    /// use folio::{Caller, Engine, Func, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), 0u64);
    /// let add = Func::wrap(&mut store, |mut caller: Caller<'_, u64>, x: u64| {
    ///     *caller.data_mut() += x;
    ///     *caller.data()
    /// });
    /// let add = add.typed::<u64, u64>(&store)?;
    /// add.call(&mut store, 40)?;
    /// assert_eq!(add.call(&mut store, 2)?, 42);
    /// assert_eq!(*store.data(), 42);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }
    /// The store, e.g. to read or grow a memory or to call back into Wasm.
    ///
    /// A host function reading a global of its caller through the store:
    ///
    /// ```
    /// use folio::{Caller, Engine, Linker, Module, Store, Val};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::new();
    /// linker.func_wrap("env", "level", |caller: Caller<'_, ()>| {
    ///     let level = caller.get_export("level").and_then(|e| e.into_global()).unwrap();
    ///     match level.get(caller.store()) {
    ///         Ok(Val::I32(x)) => x * 10,
    ///         _ => -1,
    ///     }
    /// })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "level" (func $level (result i32)))
    ///     (global (export "level") (mut i32) (i32.const 4))
    ///     (func (export "run") (result i32) (call $level)))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// assert_eq!(instance.get_typed_func::<(), i32>(&store, "run")?.call(&mut store, ())?, 40);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn store(&self) -> &Store<T> {
        self.store
    }
    /// The store, writable.
    ///
    /// A host function calling back into its caller (re-entry nests on the host stack, see
    /// [`Config::max_host_stack`](crate::Config::max_host_stack)):
    ///
    /// ```
    /// use folio::{Caller, Engine, Extern, Linker, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::new();
    /// linker.func_wrap("env", "twice", |mut caller: Caller<'_, ()>, x: i32| {
    ///     let inc = caller.get_export("inc").and_then(Extern::into_func).unwrap();
    ///     let inc = inc.typed::<i32, i32>(caller.store())?;
    ///     let once = inc.call(caller.store_mut(), x)?;
    ///     inc.call(caller.store_mut(), once) // a Result<i32, Error>
    /// })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "twice" (func $twice (param i32) (result i32)))
    ///     (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    ///     (func (export "run") (param i32) (result i32) (call $twice (local.get 0))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// assert_eq!(instance.get_typed_func::<i32, i32>(&store, "run")?.call(&mut store, 40)?, 42);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn store_mut(&mut self) -> &mut Store<T> {
        self.store
    }
    /// An export of the calling instance (`None` when called from the embedder directly).
    ///
    /// The exports are the calling instance's: called by the embedder, a host function has
    /// none.
    ///
    /// ```
    /// use folio::{Caller, Engine, Func, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let has_memory = Func::wrap(&mut store, |caller: Caller<'_, ()>| {
    ///     i32::from(caller.get_export("memory").is_some())
    /// });
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "has_memory" (func $has_memory (result i32)))
    ///     (memory (export "memory") 1)
    ///     (func (export "run") (result i32) (call $has_memory)))"#)
    ///     .unwrap();
    /// let module = Module::new(&engine, &wasm)?;
    /// let instance = Instance::new(&mut store, &module, &[has_memory.into()])?;
    /// let run = instance.get_typed_func::<(), i32>(&store, "run")?;
    /// assert_eq!(run.call(&mut store, ())?, 1);
    /// assert_eq!(has_memory.typed::<(), i32>(&store)?.call(&mut store, ())?, 0);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        super::instance::export_of(&self.store.inner, instance, name)
    }
}

impl Func {
    /// A host function of signature `ty`. The closure receives the arguments (already
    /// checked against `ty`) and writes one value per result; results of a wrong type
    /// make the call fail with a type error. [`Func::wrap`] is the typed, faster form.
    ///
    /// ```
    /// use folio::{Engine, Func, FuncType, Store, Val, ValType};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = FuncType::new([ValType::I32, ValType::I32], [ValType::I32]);
    /// let max = Func::new(&mut store, ty.clone(), |_caller, args, results| {
    ///     let (Val::I32(a), Val::I32(b)) = (args[0], args[1]) else {
    ///         unreachable!("checked against the signature")
    ///     };
    ///     results[0] = Val::I32(a.max(b));
    ///     Ok(())
    /// });
    /// assert_eq!(max.ty(&store)?, ty);
    /// let mut out = [Val::I32(0)];
    /// max.call(&mut store, &[Val::I32(3), Val::I32(9)], &mut out)?;
    /// assert_eq!(out, [Val::I32(9)]);
    ///
    /// // A result of the wrong type fails the call.
    /// let bad = Func::new(&mut store, FuncType::new([], [ValType::I32]), |_, _, results| {
    ///     results[0] = Val::I64(1);
    ///     Ok(())
    /// });
    /// let err = bad.call(&mut store, &[], &mut out).unwrap_err();
    /// assert_eq!(err.to_string(), "type mismatch: host function result 0: expected i32, got i64");
    /// # Ok::<(), folio::Error>(())
    /// ```
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
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store, ValType};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "f") (param i32 f64) (result i64) (i64.const 0)))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let ty = instance.get_func(&store, "f").unwrap().ty(&store)?;
    /// assert_eq!(ty.params(), [ValType::I32, ValType::F64]);
    /// assert_eq!(ty.results(), [ValType::I64]);
    /// assert_eq!(ty.to_string(), "(func (param i32) (param f64) (result i64))");
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn ty<T>(&self, store: &Store<T>) -> Result<FuncType, Error> {
        let sig = self.entity(store)?.sig();
        Ok(store.inner.sigs.get(sig).clone())
    }

    /// Calls the function with `args`, writing its results into `results`.
    ///
    /// # Errors
    /// A type error when `args` or `results` do not match the signature (count or types);
    /// a trap when execution traps.
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store, TrapKind, Val};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (func (export "divmod") (param i32 i32) (result i32 i32)
    ///       (i32.div_u (local.get 0) (local.get 1))
    ///       (i32.rem_u (local.get 0) (local.get 1))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let divmod = instance.get_func(&store, "divmod").unwrap();
    ///
    /// let mut out = [Val::I32(0), Val::I32(0)]; // one slot per result, any values
    /// divmod.call(&mut store, &[Val::I32(17), Val::I32(5)], &mut out)?;
    /// assert_eq!(out, [Val::I32(3), Val::I32(2)]);
    ///
    /// let err = divmod.call(&mut store, &[Val::I32(17), Val::I64(5)], &mut out).unwrap_err();
    /// assert_eq!(err.to_string(), "type mismatch: argument 1: expected i32, got i64");
    /// assert!(divmod.call(&mut store, &[Val::I32(17), Val::I32(5)], &mut [Val::I32(0)]).is_err());
    /// let err = divmod.call(&mut store, &[Val::I32(1), Val::I32(0)], &mut out).unwrap_err();
    /// let trap = err.as_trap().map(|t| t.kind());
    /// assert_eq!(trap, Some(TrapKind::IntegerDivideByZero));
    /// # Ok::<(), folio::Error>(())
    /// ```
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
            if !store.inner.val_fits(*arg, *pty) {
                return Err(Error::ty(format!(
                    "argument {i}: expected {pty}, got {}",
                    arg.ty()
                )));
            }
            arg.push_cells(store.inner.id, &mut cells)
                .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        }
        let num_args = cells.len();
        cells.resize(num_args + ty.result_cells(), 0);
        let (arg_cells, out) = cells.split_at_mut(num_args);
        super::call::call(store, self.index, arg_cells, out)?;
        let ty = store.inner.sigs.get(sig);
        let mut at = 0;
        for (slot, &rty) in results.iter_mut().zip(ty.results()) {
            *slot = Val::from_cells(out.get(at..).unwrap_or(&[]), rty, store.inner.id);
            at += rty.cells() as usize;
        }
        store.call_cells = cells;
        Ok(())
    }
}
