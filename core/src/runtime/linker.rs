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
    /// An empty linker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a definition may replace an earlier one of the same name (by default it
    /// may not: defining a name twice is an error).
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

    /// Defines `module::name` as `item`.
    ///
    /// # Errors
    /// The name is defined already and shadowing is not allowed.
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
    /// # Errors
    /// The name is defined already and shadowing is not allowed.
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

    /// The definition of `module::name` in `store`, placing a host function there if needed.
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
