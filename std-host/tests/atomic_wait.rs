//! `memory.atomic.wait` and `notify` with real threads and the std parker
//! (`folio_host::threads`): waits block, notifies wake as many as asked, timeouts
//! expire, and a mutex built on them keeps a plain counter exact.

use folio::memory::{MemoryType, SharedMemory};
use folio::{Config, Engine, Instance, Linker, Memory, Module, Store, TypedFunc};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const WAT: &str = r#"(module
    (import "env" "memory" (memory 1 1 shared))
    (func (export "wait32") (param i32 i32 i64) (result i32)
      (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "notify") (param i32 i32) (result i32)
      (memory.atomic.notify (local.get 0) (local.get 1)))
    ;; A futex mutex at 0 (0 free, 1 taken, 2 taken with waiters), as in Drepper's
    ;; "Futexes Are Tricky", guarding plain increments of the counter at 64.
    (func $lock (local $c i32)
      (local.set $c (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 0) (i32.const 1)))
      (if (local.get $c)
        (then
          (if (i32.ne (local.get $c) (i32.const 2))
            (then (local.set $c (i32.atomic.rmw.xchg (i32.const 0) (i32.const 2)))))
          (block $done
            (loop $again
              (br_if $done (i32.eqz (local.get $c)))
              (drop (memory.atomic.wait32 (i32.const 0) (i32.const 2) (i64.const -1)))
              (local.set $c (i32.atomic.rmw.xchg (i32.const 0) (i32.const 2)))
              (br $again))))))
    (func $unlock
      (if (i32.ne (i32.atomic.rmw.sub (i32.const 0) (i32.const 1)) (i32.const 1))
        (then
          (i32.atomic.store (i32.const 0) (i32.const 0))
          (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))))
    (func (export "bump") (param $n i32)
      (loop $l
        (call $lock)
        (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.const 1)))
        (call $unlock)
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"#;

fn engine() -> Engine {
    let mut config = Config::default();
    config.thread_parker(folio_host::threads::new_parker);
    Engine::new(&config)
}

fn shared() -> SharedMemory {
    SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None).unwrap()
}

fn instance(engine: &Engine, memory: &SharedMemory) -> (Store<()>, Instance) {
    let module = Module::new(engine, &wat::parse_str(WAT).unwrap()).unwrap();
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new();
    let mem = Memory::from_shared(&mut store, memory).unwrap();
    linker.define("env", "memory", mem).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn func<P: folio::WasmParams, R: folio::WasmResults>(
    store: &Store<()>,
    instance: Instance,
    name: &str,
) -> TypedFunc<P, R> {
    instance.get_typed_func(store, name).unwrap()
}

#[test]
fn a_mutex_from_cmpxchg_wait_and_notify_keeps_a_plain_counter_exact() {
    const THREADS: usize = 4;
    const EACH: i32 = 3_000;
    let engine = engine();
    for _ in 0..3 {
        let memory = shared();
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let (engine, memory) = (engine.clone(), memory.clone());
                std::thread::spawn(move || {
                    let (mut store, instance) = instance(&engine, &memory);
                    func::<i32, ()>(&store, instance, "bump")
                        .call(&mut store, EACH)
                        .unwrap();
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(
            memory.atomic_load(64, 0, 4),
            Ok(THREADS as u64 * EACH as u64)
        );
        assert_eq!(memory.atomic_load(0, 0, 4), Ok(0), "unlocked");
    }
}

#[test]
fn a_wait_with_a_timeout_expires() {
    let engine = engine();
    let memory = shared();
    let (mut store, instance) = instance(&engine, &memory);
    let wait = func::<(i32, i32, i64), i32>(&store, instance, "wait32");
    let start = Instant::now();
    assert_eq!(wait.call(&mut store, (8, 0, 30_000_000)).unwrap(), 2);
    assert!(
        start.elapsed() >= Duration::from_millis(30),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(wait.call(&mut store, (8, 1, -1)).unwrap(), 1, "not equal");
    let notify = func::<(i32, i32), i32>(&store, instance, "notify");
    assert_eq!(notify.call(&mut store, (8, 10)).unwrap(), 0, "nobody waits");
}

#[test]
fn notify_wakes_as_many_waiters_as_asked() {
    let engine = engine();
    let memory = shared();
    let done = Arc::new(AtomicUsize::new(0));
    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let (engine, memory, done) = (engine.clone(), memory.clone(), done.clone());
            std::thread::spawn(move || {
                let (mut store, instance) = instance(&engine, &memory);
                let wait = func::<(i32, i32, i64), i32>(&store, instance, "wait32");
                // Waits for good on the 0 at 16; woken, returns 0 ("ok").
                let outcome = wait.call(&mut store, (16, 0, -1)).unwrap();
                done.fetch_add(1, Ordering::SeqCst);
                outcome
            })
        })
        .collect();
    let (mut store, instance) = instance(&engine, &memory);
    let notify = func::<(i32, i32), i32>(&store, instance, "notify");
    // Wake two: notify until two were woken (the threads may not all be waiting yet).
    let mut woken = 0;
    while woken < 2 {
        woken += notify.call(&mut store, (16, 2 - woken)).unwrap();
        std::thread::sleep(Duration::from_millis(1));
    }
    while done.load(Ordering::SeqCst) < 2 {
        std::thread::yield_now();
    }
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(done.load(Ordering::SeqCst), 2, "a third waiter woke");
    // A notify elsewhere wakes no one; then the last one.
    assert_eq!(notify.call(&mut store, (20, 5)).unwrap(), 0);
    let mut last = 0;
    while last == 0 {
        last = notify.call(&mut store, (16, 5)).unwrap();
    }
    assert_eq!(last, 1);
    for t in waiters {
        assert_eq!(t.join().unwrap(), 0);
    }
}
