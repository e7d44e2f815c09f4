//! Typed calls, typed host functions, and (once their scratch has grown) untyped calls
//! allocate nothing: counted by a global allocator. One test in this binary, so that no
//! other test's allocations are counted.

use folio::{Engine, Func, FuncType, Linker, Module, Store, Val, ValType};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above; `ptr` came from `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations while `f` runs.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    f();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

#[test]
fn calls_allocate_nothing() {
    let wat = r#"(module
        (import "host" "typed" (func $typed (param i32 f64) (result i64)))
        (import "host" "untyped" (func $untyped (param i64) (result i64)))
        (func (export "run") (param i32) (result i64)
          (call $untyped (call $typed (local.get 0) (f64.const 0.5)))))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, 0u64);
    let mut linker = Linker::new();
    linker
        .func_wrap("host", "typed", |x: i32, y: f64| i64::from(x) + y as i64)
        .unwrap();
    let ty = FuncType::new([ValType::I64], [ValType::I64]);
    linker
        .func_new("host", "untyped", ty, |mut caller, args, results| {
            *caller.data_mut() += 1;
            results[0] = args[0];
            Ok(())
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    let untyped = run.func();
    let double = Func::wrap(&mut store, |x: i64| x * 2);
    let double = double.typed::<i64, i64>(&store).unwrap();

    // Warm up: the value stack, the frame stack and the scratch buffers grow once.
    let mut out = [Val::I64(0)];
    run.call(&mut store, 1).unwrap();
    untyped.call(&mut store, &[Val::I32(1)], &mut out).unwrap();
    double.call(&mut store, 1).unwrap();

    let typed = allocations(|| {
        for i in 0..1000 {
            assert_eq!(run.call(&mut store, i).unwrap(), i64::from(i));
            assert_eq!(
                double.call(&mut store, i64::from(i)).unwrap(),
                2 * i64::from(i)
            );
        }
    });
    assert_eq!(typed, 0, "typed calls and host functions allocated");
    let untyped = allocations(|| {
        for i in 0..1000 {
            untyped.call(&mut store, &[Val::I32(i)], &mut out).unwrap();
            assert_eq!(out[0], Val::I64(i64::from(i)));
        }
    });
    assert_eq!(untyped, 0, "untyped calls allocated after warming up");
    assert_eq!(*store.data(), 2002);
}
