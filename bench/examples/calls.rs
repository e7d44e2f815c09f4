//! What an embedder pays per call, Folio against wasmi in the same run: calls from the
//! host into Wasm (typed and untyped) and calls from Wasm into the host (typed host
//! functions), each a million times on a function that does almost nothing.
//!
//! ```text
//! cargo run --release -p folio-bench --example calls
//! ```
//!
//! Prints nanoseconds per call for each engine and the ratio folio/wasmi (median of 5).

use std::hint::black_box;
use std::time::Instant;

const CALLS: i32 = 1_000_000;
const REPS: usize = 5;

const WAT: &str = r#"(module
    (import "env" "h" (func $h (param i32) (result i32)))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "host_loop") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (call $h (local.get 0))))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1)))"#;

/// Median nanoseconds per call of `f`, which makes `CALLS` calls.
fn ns_per_call(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..REPS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_nanos() as f64 / f64::from(CALLS)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[REPS / 2]
}

fn main() {
    let wasm = wat::parse_str(WAT).expect("valid WAT");

    // Folio.
    let engine = folio::Engine::default();
    let module = folio::Module::new(&engine, &wasm).expect("valid");
    let mut store = folio::Store::new(&engine, ());
    let mut linker = folio::Linker::new();
    linker
        .func_wrap("env", "h", |x: i32| x & 1)
        .expect("new name");
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&store, "add")
        .expect("add");
    let host_loop = instance
        .get_typed_func::<i32, i32>(&store, "host_loop")
        .expect("host_loop");
    let add_untyped = add.func();
    let f_typed = ns_per_call(|| {
        for i in 0..CALLS {
            black_box(add.call(&mut store, (i, 1)).expect("no trap"));
        }
    });
    let f_untyped = ns_per_call(|| {
        let mut out = [folio::Val::I32(0)];
        for i in 0..CALLS {
            let args = [folio::Val::I32(i), folio::Val::I32(1)];
            add_untyped
                .call(&mut store, &args, &mut out)
                .expect("no trap");
            black_box(out[0]);
        }
    });
    let f_host = ns_per_call(|| {
        black_box(host_loop.call(&mut store, CALLS).expect("no trap"));
    });

    // wasmi.
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, &wasm).expect("valid");
    let mut store = wasmi::Store::new(&engine, ());
    let mut linker = wasmi::Linker::<()>::new(&engine);
    linker
        .func_wrap("env", "h", |x: i32| x & 1)
        .expect("new name");
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("instantiates");
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&store, "add")
        .expect("add");
    let host_loop = instance
        .get_typed_func::<i32, i32>(&store, "host_loop")
        .expect("host_loop");
    let add_untyped = instance.get_func(&store, "add").expect("add");
    let w_typed = ns_per_call(|| {
        for i in 0..CALLS {
            black_box(add.call(&mut store, (i, 1)).expect("no trap"));
        }
    });
    let w_untyped = ns_per_call(|| {
        let mut out = [wasmi::Val::I32(0)];
        for i in 0..CALLS {
            let args = [wasmi::Val::I32(i), wasmi::Val::I32(1)];
            add_untyped
                .call(&mut store, &args, &mut out)
                .expect("no trap");
            black_box(&out);
        }
    });
    let w_host = ns_per_call(|| {
        black_box(host_loop.call(&mut store, CALLS).expect("no trap"));
    });

    println!(
        "{:<28} {:>9} {:>9} {:>7}",
        "ns per call", "folio", "wasmi", "ratio"
    );
    for (name, f, w) in [
        ("host -> Wasm, TypedFunc", f_typed, w_typed),
        ("host -> Wasm, Func::call", f_untyped, w_untyped),
        ("Wasm -> host, func_wrap", f_host, w_host),
    ] {
        println!("{name:<28} {f:>9.1} {w:>9.1} {:>7.2}", f / w);
    }
}
