//! The embedder API: [`Engine`], [`Store`], [`Linker`], [`Instance`] and the handles
//! [`Func`], [`Memory`], [`Table`], [`Global`], plus [`Val`].
//!
//! Handles are plain `Copy` values (store id + index). Every entity lives in its
//! [`Store`]; a handle used with another store yields [`ErrorKind::WrongStore`].

mod call;
mod func;
mod handles;
mod instance;
mod linker;
mod resumable;
pub(crate) mod store;
mod typed;
mod val;

pub use crate::error::{Error, ErrorKind, HostError};
pub use func::{Caller, Func};
pub use handles::{Extern, Global, Memory, Table};
pub use instance::Instance;
pub use linker::Linker;
pub use resumable::{
    ResumableCall, ResumableCallHostTrap, ResumableCallOutOfFuel, TypedResumableCall,
    TypedResumableCallHostTrap, TypedResumableCallOutOfFuel,
};
pub use store::Store;
pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy, WasmTyList};
pub use val::{ExternRef, Val};

pub use crate::memory::{IndexType, MemoryType};
pub use crate::module::{
    ExternType, FuncType, GlobalType, Mutability, RefType, TableType, ValType,
};

use crate::memory::PageStoreFactory;
use crate::module::Module;
use crate::prelude::*;
use wasmparser::WasmFeatures;

/// Settings shared by every store of an engine.
#[derive(Clone)]
pub struct Config {
    pub(crate) max_call_depth: u32,
    pub(crate) max_value_stack: usize,
    pub(crate) consume_fuel: bool,
    pub(crate) proposals: Proposals,
    /// Creates the page stores of the memories instances define (`None`: the heap).
    pub(crate) page_store: Option<Arc<dyn PageStoreFactory>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_call_depth: 10_000,
            max_value_stack: 1 << 20,
            consume_fuel: false,
            proposals: Proposals::ALL,
            page_store: None,
        }
    }
}

impl Config {
    /// Wasm call frames allowed at once; one more traps "call stack exhausted".
    pub fn max_call_depth(&mut self, depth: u32) -> &mut Self {
        self.max_call_depth = depth;
        self
    }
    /// Value-stack cells (64-bit) allowed at once; more traps "call stack exhausted".
    pub fn max_value_stack(&mut self, cells: usize) -> &mut Self {
        self.max_value_stack = cells;
        self
    }
    /// Which proposals beyond WebAssembly 2.0 modules may use (default: all Folio
    /// implements). A module using a disabled one is invalid.
    pub fn proposals(&mut self, proposals: Proposals) -> &mut Self {
        self.proposals = proposals;
        self
    }
    /// Whether execution consumes fuel (see [`Store::set_fuel`]); running out traps.
    pub fn consume_fuel(&mut self, on: bool) -> &mut Self {
        self.consume_fuel = on;
        self
    }
    /// Where the bytes of memories live: `factory` creates a page store for each memory
    /// (the default is the heap, [`HeapStoreFactory`](crate::memory::HeapStoreFactory)).
    pub fn page_store(&mut self, factory: Arc<dyn PageStoreFactory>) -> &mut Self {
        self.page_store = Some(factory);
        self
    }
}

/// The proposals beyond WebAssembly 2.0 that Folio implements, each switchable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposals {
    /// 64-bit memories (`i64` addresses).
    pub memory64: bool,
    /// More than one memory per module.
    pub multi_memory: bool,
    /// Memories with 1-byte pages.
    pub custom_page_sizes: bool,
    /// Arithmetic in constant expressions.
    pub extended_const: bool,
}

impl Proposals {
    /// Every proposal Folio implements.
    pub const ALL: Proposals = Proposals {
        memory64: true,
        multi_memory: true,
        custom_page_sizes: true,
        extended_const: true,
    };
    /// None: WebAssembly 2.0 (without SIMD) only.
    pub const NONE: Proposals = Proposals {
        memory64: false,
        multi_memory: false,
        custom_page_sizes: false,
        extended_const: false,
    };
}

/// WebAssembly 2.0 without SIMD, plus the proposals `p` enables, and nothing else.
pub(crate) fn features(p: &Proposals) -> WasmFeatures {
    let mut f = WasmFeatures::WASM2.difference(WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD);
    f.set(WasmFeatures::MEMORY64, p.memory64);
    f.set(WasmFeatures::MULTI_MEMORY, p.multi_memory);
    f.set(WasmFeatures::CUSTOM_PAGE_SIZES, p.custom_page_sizes);
    f.set(WasmFeatures::EXTENDED_CONST, p.extended_const);
    f
}

impl Module {
    /// Parses, validates and translates `bytes` (the binary format), with the proposals
    /// `engine` enables.
    ///
    /// # Errors
    /// [`ErrorKind::Module`] with wasmparser's message and byte offset for malformed or
    /// invalid modules; [`ErrorKind::Unsupported`] for what Folio lacks.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        Module::parse(
            features(&engine.config.proposals),
            engine.config.consume_fuel,
            bytes,
        )
    }
}

/// Compiles modules and creates stores; cheap to clone.
#[derive(Clone)]
pub struct Engine {
    pub(crate) config: Arc<Config>,
}

impl Engine {
    /// An engine with the given settings.
    pub fn new(config: &Config) -> Engine {
        Engine {
            config: Arc::new(config.clone()),
        }
    }
    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new(&Config::default())
    }
}

#[cfg(test)]
mod tests;
