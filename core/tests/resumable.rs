//! Resumable calls on compiler output: programs of the speed corpus (clang and rustc
//! builds, `bench/corpus`) run in fuel slices, down to one instruction at a time, must
//! give the result and spend the fuel of one uninterrupted run.

use folio::{Config, Engine, Error, Module, Store, TypedResumableCall};

fn engine() -> Engine {
    let mut config = Config::default();
    config.consume_fuel(true);
    Engine::new(&config)
}

fn corpus(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../bench/corpus/wasm/{name}.wasm",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const TANK: u64 = u64::MAX / 2;

/// `run(n)`'s result and the fuel it spent, in one call.
fn straight(engine: &Engine, module: &Module, n: i32) -> (i64, u64) {
    let mut store = Store::new(engine, ());
    let instance = folio::Linker::new()
        .instantiate(&mut store, module)
        .unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    store.set_fuel(TANK).unwrap();
    let result = run.call(&mut store, n).unwrap();
    (result, TANK - store.get_fuel().unwrap())
}

/// `run(n)` in slices: each time the call runs out, the tank is filled with `slice` (or
/// with what the next instruction needs, if more). Returns the result, the fuel spent
/// and the number of suspensions.
fn sliced(engine: &Engine, module: &Module, n: i32, slice: u64) -> (i64, u64, u64) {
    let mut store = Store::new(engine, ());
    let instance = folio::Linker::new()
        .instantiate(&mut store, module)
        .unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    let mut spent = 0;
    let mut suspensions = 0;
    store.set_fuel(slice).unwrap();
    let mut given = slice;
    let mut call = run.call_resumable(&mut store, n).unwrap();
    loop {
        match call {
            TypedResumableCall::Finished(result) => {
                spent += given - store.get_fuel().unwrap();
                return (result, spent, suspensions);
            }
            TypedResumableCall::OutOfFuel(suspended) => {
                let left = store.get_fuel().unwrap();
                assert!(
                    left < suspended.required_fuel(),
                    "suspended with enough fuel"
                );
                spent += given - left;
                suspensions += 1;
                given = slice.max(suspended.required_fuel());
                store.set_fuel(given).unwrap();
                call = suspended.resume(&mut store).unwrap();
            }
            TypedResumableCall::HostTrap(_) => panic!("the corpus has no imports"),
        }
    }
}

fn check(name: &str, n: i32, slices: &[u64]) {
    let engine = engine();
    let module = Module::new(&engine, &corpus(name)).unwrap();
    let (result, fuel) = straight(&engine, &module, n);
    for &slice in slices {
        let (r, f, suspensions) = sliced(&engine, &module, n, slice);
        eprintln!("{name}: slices of {slice}: {suspensions} suspensions, {fuel} fuel");
        assert_eq!(r, result, "{name}: result in slices of {slice}");
        assert_eq!(f, fuel, "{name}: fuel in slices of {slice}");
        assert!(
            suspensions >= fuel / slice.max(4) / 2,
            "{name}: only {suspensions} suspensions for {fuel} fuel in slices of {slice}"
        );
    }
}

#[test]
fn c_programs_single_stepped_and_in_slices() {
    // Slice 1: every instruction suspends before it runs (the tank gets exactly what it
    // costs), so every instruction form is resumed from, with whatever it left live.
    check("sha256-c-O2-wasm32", 1, &[1, 7, 1000]);
    check("vm-c-O2-wasm32", 1, &[1, 333]);
    check("json-c-O0", 1, &[1, 1000]);
    check("lz-c-O2-wasm64", 1, &[1, 4096]);
}

/// SIMD programs (clang `-O3 -msimd128`: intrinsics and vectorized loops): a suspension
/// between any two instructions keeps both halves of every `v128` in flight.
#[test]
fn simd_programs_single_stepped_and_in_slices() {
    check("simd-c-O3-simd128", 1, &[1, 4093]);
    check("sha256-c-O3-simd128", 1, &[1, 1000]);
}

#[test]
fn rust_programs_in_slices() {
    check("interp-rust", 1, &[1, 999]);
    check("records-rust", 1, &[13, 10_000]);
}

#[test]
fn a_plain_call_that_runs_out_traps_and_empties_the_tank() {
    let engine = engine();
    let module = Module::new(&engine, &corpus("sha256-c-O2-wasm32")).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = folio::Linker::new()
        .instantiate(&mut store, &module)
        .unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    store.set_fuel(1000).unwrap();
    let e: Error = run.call(&mut store, 1).unwrap_err();
    assert_eq!(
        e.as_trap().map(|t| t.kind()),
        Some(folio::TrapKind::OutOfFuel)
    );
    assert_eq!(store.get_fuel().unwrap(), 0);
}
