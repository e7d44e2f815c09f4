//! Name-based import resolution.

use super::store::HostFn;
use super::{Caller, Error, Extern, Instance, IntoFunc, Store, Val};
use crate::module::{FuncType, Module};
use crate::prelude::*;
use hashbrown::HashMap;

enum Definition<T> {
    Extern(Extern),
    /// A host function, placed in a store on first use there (the store remembers it:
    /// see `Store::placed_host_func`).
    HostFunc {
        ty: FuncType,
        func: HostFn<T>,
    },
}

/// Resolves a module's imports by module and field name. One linker serves any number of
/// stores, from any number of threads (instantiating takes `&self`), and keeps nothing
/// per store.
///
/// A host function is placed in a store the first time a module of that store imports
/// it; other definitions ([`define`](Self::define)) are handles of one store.
///
/// ```
/// use folio::{Engine, FuncType, Linker, Module, Store, Val, ValType};
///
/// let engine = Engine::default();
/// let mut linker = Linker::new();
/// let ty = FuncType::new([ValType::I32, ValType::I32], [ValType::I32]);
/// linker.func_new("env", "add", ty, |_caller, args, results| {
///     let (Val::I32(a), Val::I32(b)) = (args[0], args[1]) else { unreachable!() };
///     results[0] = Val::I32(a.wrapping_add(b));
///     Ok(())
/// })?;
/// let wasm = wat::parse_str(r#"(module
///     (import "env" "add" (func $add (param i32 i32) (result i32)))
///     (func (export "twice") (param i32) (result i32)
///       (call $add (local.get 0) (local.get 0))))"#)
///     .unwrap();
/// let module = Module::new(&engine, &wasm)?;
///
/// // The same linker, two stores.
/// for x in [1, 20] {
///     let mut store = Store::new(&engine, ());
///     let instance = linker.instantiate(&mut store, &module)?;
///     let mut out = [Val::I32(0)];
///     let twice = instance.get_func(&store, "twice").unwrap();
///     twice.call(&mut store, &[Val::I32(x)], &mut out)?;
///     assert_eq!(out[0], Val::I32(2 * x));
/// }
/// # Ok::<(), folio::Error>(())
/// ```
pub struct Linker<T> {
    defs: HashMap<(String, String), Definition<T>>,
    /// Whether a definition may replace an earlier one of the same name.
    shadowing: bool,
}

impl<T> Default for Linker<T> {
    fn default() -> Self {
        Linker {
            defs: HashMap::new(),
            shadowing: false,
        }
    }
}

impl<T> Linker<T> {
    /// An empty linker; `T` is the host data of the stores it serves.
    ///
    /// ```
    /// use folio::{Engine, Linker, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let linker = Linker::new();
    /// assert!(linker.get(&mut store, "env", "f").is_none());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a definition may replace an earlier one of the same name (by default it
    /// may not: defining a name twice is an error).
    ///
    /// ```
    /// use folio::{Engine, Global, GlobalType, Linker, Mutability, Store, Val, ValType};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = GlobalType { content: ValType::I32, mutability: Mutability::Const };
    /// let one = Global::new(&mut store, ty, Val::I32(1))?;
    /// let two = Global::new(&mut store, ty, Val::I32(2))?;
    ///
    /// let mut linker = Linker::new();
    /// linker.define("env", "g", one)?;
    /// assert!(linker.define("env", "g", two).is_err());
    /// linker.allow_shadowing(true).define("env", "g", two)?;
    /// let g = linker.get(&mut store, "env", "g").unwrap().into_global().unwrap();
    /// assert_eq!(g.get(&store)?, Val::I32(2));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.shadowing = allow;
        self
    }

    /// Adds a definition, unless the name is taken and shadowing is not allowed.
    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<(), Error> {
        let key = (String::from(module), String::from(name));
        if !self.shadowing && self.defs.contains_key(&key) {
            return Err(Error::link(format!(
                "`{module}::{name}` is already defined (see `Linker::allow_shadowing`)"
            )));
        }
        self.defs.insert(key, def);
        Ok(())
    }

    /// Defines `module::name` as `item`: a [`Func`](super::Func), [`Memory`](super::Memory),
    /// [`Table`](super::Table), [`Global`](super::Global) or [`Tag`](super::Tag) of one
    /// store, which only modules instantiated in that store can import.
    ///
    /// # Errors
    /// The name is defined already and shadowing is not allowed.
    ///
    /// ```
    /// use folio::{Engine, Global, GlobalType, Linker, Module, Mutability, Store, Val, ValType};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let ty = GlobalType { content: ValType::I64, mutability: Mutability::Var };
    /// let counter = Global::new(&mut store, ty, Val::I64(0))?;
    ///
    /// let mut linker = Linker::new();
    /// linker.define("env", "counter", counter)?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (global $c (import "env" "counter") (mut i64))
    ///     (func $start (global.set $c (i64.const 99)))
    ///     (start $start))"#)
    ///     .unwrap();
    /// linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// assert_eq!(counter.get(&store)?, Val::I64(99)); // the module wrote the host's global
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Extern(item.into()))?;
        Ok(self)
    }

    /// Defines `module::name` as a host function of signature `ty`, usable in any store.
    ///
    /// The closure gets the [`Caller`] (the store, its host data, the calling instance's
    /// exports), the arguments, already checked against `ty`, and one slot per result,
    /// which it must fill with values of the result types.
    ///
    /// # Errors
    /// The name is defined already and shadowing is not allowed.
    ///
    /// A host function that reads a string from the calling instance's memory:
    ///
    /// ```
    /// use folio::{Engine, FuncType, Linker, Module, Store, Val, ValType};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::<Vec<String>>::new();
    /// let ty = FuncType::new([ValType::I32, ValType::I32], []);
    /// linker.func_new("env", "log", ty, |mut caller, args, _| {
    ///     let (Val::I32(ptr), Val::I32(len)) = (args[0], args[1]) else { unreachable!() };
    ///     let memory = caller.get_export("memory").and_then(|e| e.into_memory()).unwrap();
    ///     let (bytes, log) = memory.data_and_store_mut(caller.store_mut()).unwrap();
    ///     let text = &bytes[ptr as usize..][..len as usize];
    ///     log.push(String::from_utf8_lossy(text).into_owned());
    ///     Ok(())
    /// })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "log" (func $log (param i32 i32)))
    ///     (memory (export "memory") 1)
    ///     (data (i32.const 16) "hello")
    ///     (func (export "run") (call $log (i32.const 16) (i32.const 5))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, Vec::new());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// instance.get_func(&store, "run").unwrap().call(&mut store, &[], &mut [])?;
    /// assert_eq!(store.data(), &["hello"]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        let func = super::func::untyped(ty.clone(), f);
        let def = Definition::HostFunc { ty, func };
        self.insert(module, name, def)?;
        Ok(self)
    }

    /// Defines `module::name` as a host function from a Rust closure, usable in any store;
    /// its parameter and result types give the signature (see [`Func::wrap`](super::Func::wrap)).
    ///
    /// # Errors
    /// The name is defined already and shadowing is not allowed.
    ///
    /// ```
    /// use folio::{Caller, Engine, Linker, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::new();
    /// linker.func_wrap("env", "add", |a: i32, b: i32| a.wrapping_add(b))?;
    /// linker.func_wrap("env", "count", |mut caller: Caller<'_, u32>| *caller.data_mut() += 1)?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "add" (func $add (param i32 i32) (result i32)))
    ///     (import "env" "count" (func $count))
    ///     (func (export "run") (result i32)
    ///       (call $count)
    ///       (call $add (i32.const 2) (i32.const 3))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, 0u32);
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// let run = instance.get_typed_func::<(), i32>(&store, "run")?;
    /// assert_eq!(run.call(&mut store, ())?, 5);
    /// assert_eq!(*store.data(), 1);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        let (ty, func) = f.into_func();
        self.insert(module, name, Definition::HostFunc { ty, func })?;
        Ok(self)
    }

    /// Defines every export of `instance` under the module name `module`.
    ///
    /// # Errors
    /// A name is defined already and shadowing is not allowed (the exports before it are
    /// defined).
    ///
    /// One module importing another's function:
    ///
    /// ```
    /// use folio::{Engine, Linker, Module, Store, Val};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let mut linker = Linker::new();
    /// let lib = wat::parse_str(r#"(module
    ///     (func (export "seven") (result i32) (i32.const 7)))"#)
    ///     .unwrap();
    /// let lib = linker.instantiate(&mut store, &Module::new(&engine, &lib)?)?;
    /// linker.instance(&store, "lib", lib)?;
    ///
    /// let app = wat::parse_str(r#"(module
    ///     (import "lib" "seven" (func $seven (result i32)))
    ///     (func (export "fourteen") (result i32) (i32.mul (call $seven) (i32.const 2))))"#)
    ///     .unwrap();
    /// let app = linker.instantiate(&mut store, &Module::new(&engine, &app)?)?;
    /// let mut out = [Val::I32(0)];
    /// app.get_func(&store, "fourteen").unwrap().call(&mut store, &[], &mut out)?;
    /// assert_eq!(out[0], Val::I32(14));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn instance(
        &mut self,
        store: &Store<T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(store) {
            self.define(module, &name, ext)?;
        }
        Ok(self)
    }

    /// The definition of `module::name` in `store`, placing a host function there if needed
    /// (the same [`Func`](super::Func) on every call with one store).
    ///
    /// ```
    /// use folio::{Engine, FuncType, Linker, Store, Val, ValType};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let mut linker = Linker::new();
    /// let ty = FuncType::new([], [ValType::I32]);
    /// linker.func_new("env", "answer", ty, |_, _, results| {
    ///     results[0] = Val::I32(42);
    ///     Ok(())
    /// })?;
    /// let answer = linker.get(&mut store, "env", "answer").unwrap().into_func().unwrap();
    /// assert_eq!(linker.get(&mut store, "env", "answer").unwrap().into_func(), Some(answer));
    /// let mut out = [Val::I32(0)];
    /// answer.call(&mut store, &[], &mut out)?;
    /// assert_eq!(out[0], Val::I32(42));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn get(&self, store: &mut Store<T>, module: &str, name: &str) -> Option<Extern> {
        let def = self.defs.get(&(String::from(module), String::from(name)))?;
        Some(match def {
            Definition::Extern(e) => *e,
            Definition::HostFunc { ty, func } => Extern::Func(store.placed_host_func(ty, func)),
        })
    }

    /// Instantiates `module`, resolving its imports by name.
    ///
    /// # Errors
    /// "unknown import" when a name is not defined; otherwise as [`Instance::new`].
    ///
    /// ```
    /// use folio::{Engine, Linker, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let wasm = wat::parse_str(r#"(module (import "env" "missing" (func)))"#).unwrap();
    /// let err = Linker::new().instantiate(&mut store, &Module::new(&engine, &wasm)?).unwrap_err();
    /// assert!(err.to_string().contains("unknown import: `env::missing`"));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn instantiate(&self, store: &mut Store<T>, module: &Module) -> Result<Instance, Error> {
        let mut imports = Vec::with_capacity(module.inner.imports.len());
        for import in &module.inner.imports {
            match self.get(store, &import.module, &import.name) {
                Some(e) => imports.push(e),
                None => {
                    return Err(Error::link(format!(
                        "unknown import: `{}::{}` has not been defined",
                        import.module, import.name
                    )));
                }
            }
        }
        Instance::new(store, module, &imports)
    }
}
