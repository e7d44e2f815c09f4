//! Folio and wasmi behind one small interface: compile a module once, instantiate it as
//! often as needed, call exports of type `(i32) -> i64`.
//!
//! Every workload exports only functions of that one type, so the interface needs no
//! `Val` juggling and the call itself costs the same on both engines (one call per timed
//! run, negligible against 50–200 ms of work).

use std::sync::Arc;

/// Which engine, and for Folio which page store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Folio with its default page store, the heap (`folio::memory::HeapStore`).
    Folio,
    /// Folio with the std host's virtual-reservation store (`folio_host::reserve`).
    FolioReserve,
    /// wasmi 2.0, eager translation, memory64 and SIMD on.
    Wasmi,
    /// wasmi 2.0 with its default lazy translation (validation only up front); used by the
    /// translation benchmark only.
    WasmiLazy,
}

impl Kind {
    /// A short name for tables and the child-process command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Folio => "folio",
            Kind::FolioReserve => "folio-reserve",
            Kind::Wasmi => "wasmi",
            Kind::WasmiLazy => "wasmi-lazy",
        }
    }

    /// The kind with this [`name`](Kind::name).
    pub fn from_name(name: &str) -> Option<Kind> {
        [
            Kind::Folio,
            Kind::FolioReserve,
            Kind::Wasmi,
            Kind::WasmiLazy,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// An engine, ready to compile modules.
pub enum Engine {
    /// Folio.
    Folio(folio::Engine),
    /// wasmi.
    Wasmi(wasmi::Engine),
}

impl Engine {
    /// An engine of `kind`, with every proposal the workloads use (memory64, bulk memory,
    /// SIMD).
    pub fn new(kind: Kind) -> Engine {
        match kind {
            Kind::Folio => Engine::Folio(folio::Engine::default()),
            Kind::FolioReserve => {
                let mut config = folio::Config::default();
                config.page_store(Arc::new(folio_host::reserve::ReserveFactory::new()));
                Engine::Folio(folio::Engine::new(&config))
            }
            Kind::Wasmi | Kind::WasmiLazy => {
                let mut config = wasmi::Config::default();
                // SIMD is on by default once wasmi is built with its `simd` feature; said
                // here so that building without the feature fails rather than rejecting the
                // corpus's SIMD builds at run time.
                config.wasm_memory64(true).wasm_simd(true);
                if kind == Kind::Wasmi {
                    config.compilation_mode(wasmi::CompilationMode::Eager);
                }
                Engine::Wasmi(wasmi::Engine::new(&config))
            }
        }
    }

    /// Validates and translates `wasm`.
    ///
    /// # Errors
    /// The engine's message when the module is invalid.
    pub fn compile(&self, wasm: &[u8]) -> Result<Module, String> {
        match self {
            Engine::Folio(engine) => folio::Module::new(engine, wasm)
                .map(|m| Module::Folio(engine.clone(), m))
                .map_err(|e| format!("folio: {e}")),
            Engine::Wasmi(engine) => wasmi::Module::new(engine, wasm)
                .map(|m| Module::Wasmi(engine.clone(), m))
                .map_err(|e| format!("wasmi: {e}")),
        }
    }
}

/// A compiled module with the engine that compiled it.
pub enum Module {
    /// Folio's.
    Folio(folio::Engine, folio::Module),
    /// wasmi's.
    Wasmi(wasmi::Engine, wasmi::Module),
}

impl Module {
    /// A fresh instance in a fresh store (no imports).
    ///
    /// # Errors
    /// The engine's message when instantiation fails.
    pub fn instantiate(&self) -> Result<Instance, String> {
        match self {
            Module::Folio(engine, module) => {
                let mut store = folio::Store::new(engine, ());
                let instance = folio::Linker::new()
                    .instantiate(&mut store, module)
                    .map_err(|e| format!("folio: {e}"))?;
                Ok(Instance::Folio(Box::new(store), instance))
            }
            Module::Wasmi(engine, module) => {
                let mut store = wasmi::Store::new(engine, ());
                let instance = wasmi::Linker::<()>::new(engine)
                    .instantiate_and_start(&mut store, module)
                    .map_err(|e| format!("wasmi: {e}"))?;
                Ok(Instance::Wasmi(Box::new(store), instance))
            }
        }
    }
}

/// An instance with its store.
pub enum Instance {
    /// Folio's (stores are large: boxed).
    Folio(Box<folio::Store<()>>, folio::Instance),
    /// wasmi's.
    Wasmi(Box<wasmi::Store<()>>, wasmi::Instance),
}

impl Instance {
    /// Calls the export `name` of type `(i32) -> i64`.
    ///
    /// # Errors
    /// A missing export, a type mismatch or a trap, as the engine words it.
    pub fn call(&mut self, name: &str, arg: i32) -> Result<i64, String> {
        match self {
            Instance::Folio(store, instance) => {
                let func = instance
                    .get_func(&**store, name)
                    .ok_or_else(|| format!("folio: no export {name:?}"))?;
                let mut out = [folio::Val::I64(0)];
                func.call(&mut **store, &[folio::Val::I32(arg)], &mut out)
                    .map_err(|e| format!("folio: {name}: {e}"))?;
                match out[0] {
                    folio::Val::I64(x) => Ok(x),
                    other => Err(format!("folio: {name} returned {other:?}")),
                }
            }
            Instance::Wasmi(store, instance) => {
                let func = instance
                    .get_typed_func::<i32, i64>(&**store, name)
                    .map_err(|e| format!("wasmi: {name}: {e}"))?;
                func.call(&mut **store, arg)
                    .map_err(|e| format!("wasmi: {name}: {e}"))
            }
        }
    }

    /// The bytes of the exported memory `name`, for checks.
    pub fn memory(&self, name: &str) -> Option<&[u8]> {
        match self {
            Instance::Folio(store, instance) => instance.get_memory(store, name)?.data(store).ok(),
            Instance::Wasmi(store, instance) => {
                Some(instance.get_memory(&**store, name)?.data(&**store))
            }
        }
    }
}

/// Compiles `wat` (text) with an engine of `kind` and instantiates it.
///
/// # Errors
/// A parse, validation or instantiation error.
pub fn instantiate_wat(kind: Kind, wat: &str) -> Result<Instance, String> {
    let wasm = wat::parse_str(wat).map_err(|e| e.to_string())?;
    Engine::new(kind).compile(&wasm)?.instantiate()
}
