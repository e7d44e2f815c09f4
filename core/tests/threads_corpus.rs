//! Compiler output on a shared memory: four corpus programs built by clang with
//! `--shared-memory` (`tests/shared-memory/build.sh`: every load and store of the
//! program goes to a shared memory, and a start function initialises it with
//! `memory.init` and atomics) must compute what their plain builds
//! (`bench/corpus/wasm`) compute, alone and on four threads at once, each thread with
//! its own instance and memory.

use folio::{Engine, Linker, Module, Store};

fn read(path: &str) -> Vec<u8> {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `run(n)` of a module.
fn run(engine: &Engine, wasm: &[u8], n: i32) -> i64 {
    let module = Module::new(engine, wasm).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    run.call(&mut store, n).unwrap()
}

#[test]
fn shared_memory_builds_compute_what_plain_builds_do() {
    let engine = Engine::default();
    for program in ["sha256", "lz", "vm", "json"] {
        let shared = read(&format!("tests/shared-memory/{program}-shared.wasm"));
        let plain = read(&format!("../bench/corpus/wasm/{program}-c-O2-wasm32.wasm"));
        for n in [1, 3] {
            let want = run(&engine, &plain, n);
            assert_eq!(run(&engine, &shared, n), want, "{program} run({n})");
            let threads: Vec<_> = (0..4)
                .map(|_| {
                    let (engine, shared) = (engine.clone(), shared.clone());
                    std::thread::spawn(move || run(&engine, &shared, n))
                })
                .collect();
            for t in threads {
                assert_eq!(t.join().unwrap(), want, "{program} run({n}) on a thread");
            }
        }
    }
}
