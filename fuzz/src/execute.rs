//! `execute`: generated modules run on Folio alone. Nothing may panic or hang; errors and
//! traps are fine.
//!
//! A module from [`wasm_gen`] is compiled, its imports are satisfied with
//! dummies of the right types ([`folio_imports`]: host functions returning zeros, globals
//! holding zero, tables of nulls, fresh memories), and it is instantiated under a memory
//! limiter. Then every exported function is called with zero arguments, each call with a
//! fresh tank of fuel (so that every call ends), and the exported globals, memories and
//! tables are read.
//!
//! Beyond not panicking, it checks what must hold whatever the module does: a valid module
//! is accepted (or refused as *unsupported*, never as invalid), results have the types the
//! signature promises, and a memory's bytes are its size in pages times its page size.
//!
//! And resumable calls as an oracle of their own: a second store (`Shadow`) runs the
//! same calls with `call_resumable`, fuel given in small slices, its host functions
//! suspending the call every other time (resumed with the zeros the first store's
//! return); each call must end as in the first store (results, or the trap's kind) having
//! spent the same fuel, and the exported memories and globals must end equal.

use crate::wasm_gen::{self, Purpose};
use arbitrary::Unstructured;
use folio::memory::MaxBytes;
use folio::{
    Config, Engine, Error, ErrorKind, Extern, ExternType, Func, Global, Instance, Memory, Module,
    ResumableCall, Store, Table, Tag, Val,
};
use std::sync::atomic::{AtomicU32, Ordering};

/// Fuel for each call (Folio charges one unit per executed instruction).
pub const FUEL: u64 = 100_000;

/// Most bytes any memory may have: the store's limiter refuses more.
pub const MEMORY_LIMIT: u64 = 16 << 20;

/// Most active Wasm frames: recursion traps here, quickly.
pub const MAX_CALL_DEPTH: u32 = 2_000;

/// Generates a module from `data` and runs it; see the module docs.
pub fn run_bytes(data: &[u8]) {
    let mut u = Unstructured::new(data);
    if let Ok(wasm) = wasm_gen::generate(&mut u, Purpose::Execute) {
        run_module(&wasm);
    }
}

/// The engine the fuzz targets run Folio with: fuel on, a modest call depth.
pub fn folio_engine() -> Engine {
    let mut config = Config::default();
    config.consume_fuel(true).max_call_depth(MAX_CALL_DEPTH);
    Engine::new(&config)
}

/// Whether `e` is Folio saying it does not implement something (fine), rather than that the
/// module is malformed or invalid.
pub fn unsupported(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Unsupported(_))
}

/// Compiles, instantiates and runs `wasm`, which must be a valid module.
///
/// # Panics
///
/// When Folio rejects it as invalid, panics itself, or breaks a type or size promise.
pub fn run_module(wasm: &[u8]) {
    let engine = folio_engine();
    let module = match Module::new(&engine, wasm) {
        Ok(m) => m,
        Err(e) if unsupported(&e) => return,
        Err(e) => panic!("Folio rejects a valid module: {e}"),
    };
    let mut store = Store::new(&engine, ());
    store.set_limiter(MaxBytes(MEMORY_LIMIT));
    let Ok(imports) = folio_imports(&mut store, &module) else {
        return;
    };
    store.set_fuel(FUEL).expect("fuel is on");
    let Ok(instance) = Instance::new(&mut store, &module, &imports) else {
        return;
    };
    let mut shadow = Shadow::new(&engine, &module);
    for (name, export) in instance.exports(&store) {
        match export {
            Extern::Func(f) => {
                let outcome = call_with_zeros(&mut store, f, &name);
                let spent = FUEL - store.get_fuel().expect("fuel is on");
                if let Some(shadow) = &mut shadow {
                    shadow.call(&name, &outcome, spent);
                }
            }
            Extern::Global(g) => {
                let ty = g.ty(&store).expect("own global");
                let v = g.get(&store).expect("own global");
                assert_eq!(
                    v.ty(),
                    ty.content,
                    "global {name} holds a value of another type"
                );
            }
            Extern::Memory(m) => check_memory(&store, m, &name),
            Extern::Table(t) => {
                let size = t.size(&store).expect("own table");
                if size > 0 {
                    assert!(t.get(&store, size - 1).expect("own table").is_some());
                }
                assert!(t.get(&store, size).expect("own table").is_none());
            }
            Extern::Tag(t) => {
                let ty = t.ty(&store).expect("own tag");
                assert!(
                    ty.func_type().results().is_empty(),
                    "tag {name} has results"
                );
            }
        }
    }
    if let Some(shadow) = shadow {
        shadow.compare_exports(&store, instance);
    }
}

/// How a call ended: its results (references by null-ness: the two stores' handles
/// differ), or the trap's kind (`None`: an error that is not a trap).
type Outcome = Result<Vec<Val>, Option<folio::TrapKind>>;

/// A value comparable across stores.
fn comparable(v: Val) -> Val {
    match v {
        Val::FuncRef(f) => Val::I32(i32::from(f.is_some())),
        Val::ExternRef(r) => Val::I64(i64::from(r.is_some())),
        Val::ExnRef(r) => Val::F32(u32::from(r.is_some())),
        v => v,
    }
}

/// Calls `f` with zero arguments and a full tank; a trap is fine.
fn call_with_zeros(store: &mut Store<()>, f: Func, name: &str) -> Outcome {
    let ty = f.ty(store).expect("own function");
    let args: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
    let mut results: Vec<Val> = ty.results().iter().map(|_| Val::I32(0)).collect();
    store.set_fuel(FUEL).expect("fuel is on");
    match f.call(store, &args, &mut results) {
        Ok(()) => {
            for (i, (r, &t)) in results.iter().zip(ty.results()).enumerate() {
                assert_eq!(
                    r.ty(),
                    t,
                    "{name}: result {i} has another type than declared"
                );
            }
            Ok(results.into_iter().map(comparable).collect())
        }
        Err(e) => Err(e.as_trap().map(|t| t.kind())),
    }
}

/// Fuel a resumable call gets at a time (a prime, so that slices end anywhere).
const SLICE: u64 = 97;

/// The host functions of the shadow store suspend the call with this every other call.
#[derive(Debug)]
struct Yield;

impl std::fmt::Display for Yield {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("yield")
    }
}

/// The second store of the resumable-call oracle (see the module docs).
struct Shadow {
    store: Store<()>,
    instance: Instance,
}

impl Shadow {
    /// The module instantiated in a store of its own with suspending host functions;
    /// `None` when that fails (the first store's instantiation succeeded, so it would
    /// be a limit's doing, e.g. a second memory under the same limiter: not compared).
    fn new(engine: &Engine, module: &Module) -> Option<Shadow> {
        let mut store = Store::new(engine, ());
        store.set_limiter(MaxBytes(MEMORY_LIMIT));
        let imports = imports(&mut store, module, true).ok()?;
        store.set_fuel(FUEL).expect("fuel is on");
        let instance = Instance::new(&mut store, module, &imports).ok()?;
        Some(Shadow { store, instance })
    }

    /// Calls export `name` resumably; it must end as `expected` having spent `spent`.
    fn call(&mut self, name: &str, expected: &Outcome, spent_expected: u64) {
        let store = &mut self.store;
        let f = self.instance.get_func(store, name).expect("same module");
        let ty = f.ty(store).expect("own function");
        let args: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
        let mut results: Vec<Val> = ty.results().iter().map(|_| Val::I32(0)).collect();
        let (mut spent, mut tank) = (0, SLICE.min(FUEL));
        store.set_fuel(tank).expect("fuel is on");
        let mut call = f.call_resumable(store, &args, &mut results);
        let outcome: Outcome = loop {
            match call {
                Ok(ResumableCall::Finished) => {
                    break Ok(results.iter().copied().map(comparable).collect());
                }
                Ok(ResumableCall::OutOfFuel(c)) => {
                    spent += tank - store.get_fuel().expect("fuel is on");
                    let left = FUEL - spent;
                    if left < c.required_fuel() {
                        // Where one call with all the fuel traps.
                        store.set_fuel(0).expect("fuel is on");
                        tank = 0;
                        break Err(Some(folio::TrapKind::OutOfFuel));
                    }
                    tank = left.min(SLICE.max(c.required_fuel()));
                    store.set_fuel(tank).expect("fuel is on");
                    call = c.resume(store, &mut results);
                }
                Ok(ResumableCall::HostTrap(c)) => {
                    assert!(c.host_error().downcast_ref::<Yield>().is_some());
                    let host_ty = c.host_func().ty(store).expect("own function");
                    let zeros: Vec<Val> = host_ty
                        .results()
                        .iter()
                        .map(|&t| Val::default_for(t))
                        .collect();
                    call = c.resume(store, &zeros, &mut results);
                }
                Err(e) => break Err(e.as_trap().map(|t| t.kind())),
            }
        };
        spent += tank - store.get_fuel().expect("fuel is on");
        assert_eq!(
            &outcome, expected,
            "{name}: a resumable call ended otherwise"
        );
        if outcome == Err(Some(folio::TrapKind::OutOfFuel)) {
            // A plain call that runs out empties the tank; this one spent what ran.
            assert!(spent <= FUEL, "{name}: a resumable call spent {spent}");
        } else {
            assert_eq!(
                spent, spent_expected,
                "{name}: a resumable call spent other fuel"
            );
        }
    }

    /// The exported memories and globals hold what the first store's do.
    fn compare_exports(&self, store: &Store<()>, instance: Instance) {
        for (name, export) in instance.exports(store) {
            match export {
                Extern::Memory(m) => {
                    let theirs = self.instance.get_memory(&self.store, &name).expect("same");
                    assert!(
                        m.data(store).expect("own") == theirs.data(&self.store).expect("own"),
                        "memory {name} differs after resumable calls"
                    );
                }
                Extern::Global(g) => {
                    let theirs = self.instance.get_global(&self.store, &name).expect("same");
                    assert_eq!(
                        comparable(g.get(store).expect("own")),
                        comparable(theirs.get(&self.store).expect("own")),
                        "global {name} differs after resumable calls"
                    );
                }
                _ => {}
            }
        }
    }
}

fn check_memory(store: &Store<()>, m: Memory, name: &str) {
    let ty = m.ty(store).expect("own memory");
    let pages = m.size(store).expect("own memory");
    let len = m.data(store).expect("own memory").len() as u128;
    assert_eq!(
        len,
        u128::from(pages) << ty.page_size_log2,
        "memory {name}: {pages} pages but {len} bytes"
    );
    assert!(pages >= ty.min, "memory {name} smaller than its minimum");
    if let Some(max) = ty.max {
        assert!(pages <= max, "memory {name} beyond its maximum");
    }
}

/// Dummies for `module`'s imports, in order: host functions returning zeros, globals
/// holding zero, tables full of nulls, and memories of the minimum size.
///
/// # Errors
///
/// When a memory or table cannot be created (the limiter refused it).
pub fn folio_imports(store: &mut Store<()>, module: &Module) -> Result<Vec<Extern>, Error> {
    imports(store, module, false)
}

/// [`folio_imports`]; with `yielding`, each host function returns `Error::host(Yield)`
/// every other call instead of its zeros.
fn imports(store: &mut Store<()>, module: &Module, yielding: bool) -> Result<Vec<Extern>, Error> {
    let mut imports = Vec::new();
    for (_, _, ty) in module.imports() {
        imports.push(match ty {
            ExternType::Func(ty) => {
                let results: Vec<_> = ty.results().to_vec();
                let calls = AtomicU32::new(0);
                Extern::Func(Func::new(store, ty, move |_, _, out| {
                    if yielding && calls.fetch_add(1, Ordering::Relaxed).is_multiple_of(2) {
                        return Err(Error::host(Yield));
                    }
                    for (slot, &t) in out.iter_mut().zip(&results) {
                        *slot = Val::default_for(t);
                    }
                    Ok(())
                }))
            }
            ExternType::Global(ty) => {
                Extern::Global(Global::new(store, ty, Val::default_for(ty.content))?)
            }
            ExternType::Table(ty) => {
                Extern::Table(Table::new(store, ty, Val::default_for(ty.element.into()))?)
            }
            ExternType::Memory(ty) => Extern::Memory(Memory::new(store, ty)?),
            ExternType::Tag(ty) => Extern::Tag(Tag::new(store, ty.func_type().clone())?),
        });
    }
    Ok(imports)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{regression_inputs, seeded_inputs};

    /// The seed, count and most length of the `smoke` inputs.
    pub(crate) const SMOKE: (u64, usize, usize) = (0x6578_6563, 1500, 4096);

    /// Seeded random inputs, as the fuzzer would start from.
    #[test]
    fn smoke() {
        let (seed, count, max_len) = SMOKE;
        for data in seeded_inputs(seed, count, max_len) {
            run_bytes(&data);
        }
    }

    /// Modules that once found a bug (`fuzz/regressions/execute/*.wasm`).
    #[test]
    fn regressions() {
        for (name, wasm) in regression_inputs("execute", "wasm") {
            println!("replaying {name}");
            run_module(&wasm);
        }
    }
}
