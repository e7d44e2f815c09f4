//! Shared memories and atomics with real threads: one shared memory, imported by
//! instances in stores of their own, each store on its own thread, all at once. The
//! checks accept only outcomes the threads proposal's memory model allows.

use folio::memory::{MemoryType, SharedMemory};
use folio::{Engine, ErrorKind, Instance, Linker, Memory, Module, Store, TrapKind, TypedFunc};
use std::sync::{Arc, Barrier};

/// A shared memory of `pages` pages, up to `max`.
fn shared(pages: u64, max: u64) -> SharedMemory {
    SharedMemory::new(MemoryType::i32(pages, Some(max)).with_shared(true), None).unwrap()
}

/// `wat` instantiated in a store of its own, importing `memory` as `env.memory`.
fn instance(engine: &Engine, wat: &str, memory: &SharedMemory) -> (Store<()>, Instance) {
    let module = Module::new(engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new();
    let mem = Memory::from_shared(&mut store, memory).unwrap();
    linker.define("env", "memory", mem).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

/// Runs `body(thread index, store, instance)` on `n` threads at once, each with its own
/// store of `wat`, and returns what each returned.
fn on_threads<R: Send + 'static>(
    n: usize,
    wat: &'static str,
    memory: &SharedMemory,
    body: impl Fn(usize, &mut Store<()>, Instance) -> R + Send + Sync + 'static,
) -> Vec<R> {
    let engine = Engine::default();
    let body = Arc::new(body);
    let start = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (engine, memory, body, start) =
                (engine.clone(), memory.clone(), body.clone(), start.clone());
            std::thread::spawn(move || {
                let (mut store, instance) = instance(&engine, wat, &memory);
                start.wait();
                body(i, &mut store, instance)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn typed<P: folio::WasmParams, R: folio::WasmResults>(
    store: &Store<()>,
    instance: Instance,
    name: &str,
) -> TypedFunc<P, R> {
    instance.get_typed_func(store, name).unwrap()
}

const COUNTERS: &str = r#"(module
    (import "env" "memory" (memory 1 4 shared))
    ;; n atomic increments of the i32 at 0, the i64 at 8 and the byte at 16.
    (func (export "add") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 3)))
        (drop (i32.atomic.rmw8.add_u (i32.const 16) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"#;

#[test]
fn n_threads_times_m_atomic_increments_give_an_exact_total() {
    const THREADS: usize = 8;
    const EACH: i32 = 20_000;
    for _ in 0..5 {
        let memory = shared(1, 4);
        on_threads(THREADS, COUNTERS, &memory, |_, store, instance| {
            typed::<i32, ()>(store, instance, "add")
                .call(store, EACH)
                .unwrap();
        });
        let total = THREADS as u64 * EACH as u64;
        assert_eq!(memory.atomic_load(0, 0, 4), Ok(total));
        assert_eq!(memory.atomic_load(8, 0, 8), Ok(3 * total));
        // The byte counter wraps, and never carries into its neighbour.
        assert_eq!(memory.atomic_load(16, 0, 1), Ok(total % 256));
        assert_eq!(memory.atomic_load(17, 0, 1), Ok(0));
    }
}

const SPINLOCK: &str = r#"(module
    (import "env" "memory" (memory 1 1 shared))
    ;; A lock at 0 (taken with cmpxchg 0 -> 1, released by an atomic store of 0) around
    ;; a plain increment of the counter at 64: the lock must make it exact.
    (func (export "bump") (param $n i32)
      (loop $l
        (loop $spin
          (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 0) (i32.const 1))))
        (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.const 1)))
        (i64.store (i32.const 72) (i64.add (i64.load (i32.const 72)) (i64.const 1)))
        (i32.atomic.store (i32.const 0) (i32.const 0))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"#;

#[test]
fn a_lock_from_cmpxchg_guards_a_plain_counter() {
    const THREADS: usize = 4;
    const EACH: i32 = 5_000;
    for _ in 0..5 {
        let memory = shared(1, 1);
        on_threads(THREADS, SPINLOCK, &memory, |_, store, instance| {
            typed::<i32, ()>(store, instance, "bump")
                .call(store, EACH)
                .unwrap();
        });
        let total = THREADS as u64 * EACH as u64;
        assert_eq!(memory.atomic_load(64, 0, 4), Ok(total));
        assert_eq!(memory.atomic_load(72, 0, 8), Ok(total));
        assert_eq!(memory.atomic_load(0, 0, 4), Ok(0), "released");
    }
}

const LITMUS: &str = r#"(module
    (import "env" "memory" (memory 1 1 shared))
    ;; Message passing: data (plain) then flag (atomic); the reader waits for the flag,
    ;; then reads the data. Round r uses flag r at 4096 + 4r and data r at 8192 + 4r.
    (func (export "mp_write") (param $rounds i32) (local $r i32)
      (loop $l
        (i32.store offset=8192 (i32.shl (local.get $r) (i32.const 2))
          (i32.add (local.get $r) (i32.const 1000)))
        (i32.atomic.store offset=4096 (i32.shl (local.get $r) (i32.const 2)) (i32.const 1))
        (br_if $l (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                            (local.get $rounds)))))
    ;; Returns how many rounds read data other than what was written before the flag.
    (func (export "mp_read") (param $rounds i32) (result i32) (local $r i32) (local $bad i32)
      (loop $l
        (loop $wait
          (br_if $wait (i32.eqz
            (i32.atomic.load offset=4096 (i32.shl (local.get $r) (i32.const 2))))))
        (local.set $bad (i32.add (local.get $bad)
          (i32.ne (i32.load offset=8192 (i32.shl (local.get $r) (i32.const 2)))
                  (i32.add (local.get $r) (i32.const 1000)))))
        (br_if $l (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                            (local.get $rounds))))
      (local.get $bad))
    ;; Store buffering, round r: x at 16384 + 8r, y at 16388 + 8r. One side stores 1 to
    ;; its own, then loads the other's (all atomic); returns the loads' sum over the
    ;; rounds with the results as bits: bit r set when round r read 0.
    (func (export "sb") (param $me i32) (param $rounds i32) (result i64)
      (local $r i32) (local $zeros i64) (local $at i32)
      (loop $l
        (local.set $at (i32.add (i32.const 16384) (i32.shl (local.get $r) (i32.const 3))))
        ;; wait until both sides reached this round (a counter at 32768 + 4r)
        (drop (i32.atomic.rmw.add offset=32768 (i32.shl (local.get $r) (i32.const 2)) (i32.const 1)))
        (loop $both
          (br_if $both (i32.lt_u
            (i32.atomic.load offset=32768 (i32.shl (local.get $r) (i32.const 2)))
            (i32.const 2))))
        (i32.atomic.store (i32.add (local.get $at) (i32.shl (local.get $me) (i32.const 2)))
          (i32.const 1))
        (if (i32.eqz (i32.atomic.load
              (i32.add (local.get $at) (i32.shl (i32.sub (i32.const 1) (local.get $me)) (i32.const 2)))))
          (then (local.set $zeros (i64.or (local.get $zeros)
                  (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $r)))))))
        (br_if $l (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                            (local.get $rounds))))
      (local.get $zeros))
    ;; Load buffering, round r: x at 40960 + 8r, y at 40964 + 8r. One side loads the
    ;; other's, then stores 1 to its own (all atomic); bit r set when round r read 1.
    (func (export "lb") (param $me i32) (param $rounds i32) (result i64)
      (local $r i32) (local $ones i64) (local $at i32) (local $v i32)
      (loop $l
        (local.set $at (i32.add (i32.const 40960) (i32.shl (local.get $r) (i32.const 3))))
        (drop (i32.atomic.rmw.add offset=49152 (i32.shl (local.get $r) (i32.const 2)) (i32.const 1)))
        (loop $both
          (br_if $both (i32.lt_u
            (i32.atomic.load offset=49152 (i32.shl (local.get $r) (i32.const 2)))
            (i32.const 2))))
        (local.set $v (i32.atomic.load
          (i32.add (local.get $at) (i32.shl (i32.sub (i32.const 1) (local.get $me)) (i32.const 2)))))
        (i32.atomic.store (i32.add (local.get $at) (i32.shl (local.get $me) (i32.const 2)))
          (i32.const 1))
        (if (local.get $v)
          (then (local.set $ones (i64.or (local.get $ones)
                  (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $r)))))))
        (br_if $l (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                            (local.get $rounds))))
      (local.get $ones))
    ;; Store buffering with plain accesses, round r at 57344 + 8r (counter at 61440 + 4r):
    ;; any pair of outcomes is allowed, but each load reads 0 or 1, never anything else.
    ;; Returns the number of loads that read something else.
    (func (export "sb_plain") (param $me i32) (param $rounds i32) (result i32)
      (local $r i32) (local $odd i32) (local $at i32) (local $v i32)
      (loop $l
        (local.set $at (i32.add (i32.const 57344) (i32.shl (local.get $r) (i32.const 3))))
        (drop (i32.atomic.rmw.add offset=61440 (i32.shl (local.get $r) (i32.const 2)) (i32.const 1)))
        (loop $both
          (br_if $both (i32.lt_u
            (i32.atomic.load offset=61440 (i32.shl (local.get $r) (i32.const 2)))
            (i32.const 2))))
        (i32.store (i32.add (local.get $at) (i32.shl (local.get $me) (i32.const 2)))
          (i32.const 1))
        (local.set $v (i32.load
          (i32.add (local.get $at) (i32.shl (i32.sub (i32.const 1) (local.get $me)) (i32.const 2)))))
        (local.set $odd (i32.add (local.get $odd) (i32.gt_u (local.get $v) (i32.const 1))))
        (br_if $l (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                            (local.get $rounds))))
      (local.get $odd)))"#;

#[test]
fn message_passing_sees_the_data_written_before_the_flag() {
    for _ in 0..10 {
        let memory = shared(1, 1);
        let bad = on_threads(2, LITMUS, &memory, |i, store, instance| {
            if i == 0 {
                typed::<i32, ()>(store, instance, "mp_write")
                    .call(store, 1000)
                    .unwrap();
                0
            } else {
                typed::<i32, i32>(store, instance, "mp_read")
                    .call(store, 1000)
                    .unwrap()
            }
        });
        assert_eq!(bad, [0, 0], "a reader saw the flag before the data");
    }
}

#[test]
fn store_buffering_with_atomics_never_reads_zero_on_both_sides() {
    for _ in 0..20 {
        let memory = shared(1, 1);
        let zeros = on_threads(2, LITMUS, &memory, |i, store, instance| {
            typed::<(i32, i32), i64>(store, instance, "sb")
                .call(store, (i as i32, 64))
                .unwrap()
        });
        // Sequential consistency: in no round did both sides read 0.
        assert_eq!(zeros[0] & zeros[1], 0, "both read 0 in a round: {zeros:x?}");
    }
}

#[test]
fn load_buffering_with_atomics_never_reads_one_on_both_sides() {
    for _ in 0..20 {
        let memory = shared(1, 1);
        let ones = on_threads(2, LITMUS, &memory, |i, store, instance| {
            typed::<(i32, i32), i64>(store, instance, "lb")
                .call(store, (i as i32, 64))
                .unwrap()
        });
        // Each side loads before it stores: in no round did both read the other's 1.
        assert_eq!(ones[0] & ones[1], 0, "both read 1 in a round: {ones:x?}");
    }
}

#[test]
fn store_buffering_with_plain_accesses_reads_only_values_written() {
    for _ in 0..20 {
        let memory = shared(1, 1);
        let odd = on_threads(2, LITMUS, &memory, |i, store, instance| {
            typed::<(i32, i32), i32>(store, instance, "sb_plain")
                .call(store, (i as i32, 64))
                .unwrap()
        });
        assert_eq!(odd, [0, 0]);
    }
}

#[test]
fn shared_i64_memories_take_atomics_at_64_bit_addresses() {
    let wat = r#"(module
        (memory (export "m") i64 1 2 shared)
        (func (export "run") (result i64)
          (drop (i64.atomic.rmw.add (i64.const 65528) (i64.const 5)))
          (drop (i32.atomic.rmw16.or_u offset=4 (i64.const 65528) (i32.const 0x100)))
          (i64.atomic.load (i64.const 65528)))
        (func (export "oob") (result i32)
          (i32.atomic.load (i64.const 0x1_0000_0000)))
        (func (export "grow") (result i64) (memory.grow (i64.const 1))))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let run = typed::<(), i64>(&store, instance, "run");
    assert_eq!(run.call(&mut store, ()).unwrap(), 5 | (0x100 << 32));
    let oob = typed::<(), i32>(&store, instance, "oob");
    let e = oob.call(&mut store, ()).unwrap_err();
    assert_eq!(
        e.as_trap().map(|t| t.kind()),
        Some(TrapKind::MemoryOutOfBounds)
    );
    let grow = typed::<(), i64>(&store, instance, "grow");
    assert_eq!(grow.call(&mut store, ()).unwrap(), 1);
    assert_eq!(grow.call(&mut store, ()).unwrap(), -1, "beyond the maximum");
    let memory = instance.get_memory(&store, "m").unwrap();
    let shared = memory.shared(&store).unwrap().unwrap();
    assert_eq!(shared.size(), 2);
    assert_eq!(shared.atomic_load(65528, 0, 8), Ok(5 | (0x100 << 32)));
}

const GROWER: &str = r#"(module
    (import "env" "memory" (memory 1 64 shared))
    (func (export "grow") (param $n i32) (result i32)
      (loop $l
        (drop (memory.grow (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (memory.size))
    ;; Writes and reads back the last 8 bytes of the first page, n times; returns the
    ;; number of mismatches.
    (func (export "poke") (param $n i32) (param $v i64) (result i32) (local $bad i32)
      (loop $l
        (i64.store (i32.const 65528) (local.get $v))
        (local.set $bad (i32.add (local.get $bad)
          (i64.ne (i64.atomic.load (i32.const 65528)) (local.get $v))))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $bad)))"#;

#[test]
fn one_thread_grows_while_others_access_near_the_old_end() {
    let memory = shared(1, 64);
    let results = on_threads(4, GROWER, &memory, |i, store, instance| {
        if i == 0 {
            typed::<i32, i32>(store, instance, "grow")
                .call(store, 63)
                .unwrap()
        } else {
            // Every poker writes the same value, so each must read it back whole.
            typed::<(i32, i64), i32>(store, instance, "poke")
                .call(store, (50_000, 0x0102_0304_0506_0708))
                .unwrap()
        }
    });
    assert_eq!(results[0], 64, "grown to the maximum");
    assert_eq!(results[1..], [0, 0, 0], "a poke read back something else");
    assert_eq!(memory.size(), 64);
}

/// Without `Config::thread_parker` a thread cannot block: a matching wait with a timeout
/// times out at once (std-host's `atomic_wait` tests block for real).
#[test]
fn wait_and_notify_without_a_parker() {
    let wat = r#"(module
        (import "env" "memory" (memory 1 1 shared))
        (memory $plain 1)
        (func (export "wait32") (param i32 i32 i64) (result i32)
          (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
        (func (export "wait64") (param i32 i64 i64) (result i32)
          (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
        (func (export "notify") (param i32 i32) (result i32)
          (memory.atomic.notify (local.get 0) (local.get 1)))
        (func (export "wait_plain") (result i32)
          (memory.atomic.wait32 $plain (i32.const 0) (i32.const 0) (i64.const 0)))
        (func (export "notify_plain") (result i32)
          (memory.atomic.notify $plain (i32.const 0) (i32.const 1))))"#;
    let memory = shared(1, 1);
    memory.atomic_store(0, 0, 8, 7).unwrap();
    let (mut store, instance) = instance(&Engine::default(), wat, &memory);
    let wait32 = typed::<(i32, i32, i64), i32>(&store, instance, "wait32");
    let wait64 = typed::<(i32, i64, i64), i32>(&store, instance, "wait64");
    let notify = typed::<(i32, i32), i32>(&store, instance, "notify");
    assert_eq!(wait32.call(&mut store, (0, 6, -1)).unwrap(), 1, "not equal");
    assert_eq!(wait64.call(&mut store, (0, 8, -1)).unwrap(), 1, "not equal");
    assert_eq!(wait32.call(&mut store, (0, 7, 0)).unwrap(), 2, "timed out");
    assert_eq!(
        wait64.call(&mut store, (0, 7, 1000)).unwrap(),
        2,
        "timed out"
    );
    assert_eq!(notify.call(&mut store, (0, 5)).unwrap(), 0, "nobody waits");
    let kind = |e: folio::Error| e.as_trap().map(|t| t.kind());
    let e = wait32.call(&mut store, (2, 0, 0)).unwrap_err();
    assert_eq!(kind(e), Some(TrapKind::UnalignedAtomic));
    let e = notify.call(&mut store, (65_536, 1)).unwrap_err();
    assert_eq!(kind(e), Some(TrapKind::MemoryOutOfBounds));
    let plain = typed::<(), i32>(&store, instance, "wait_plain");
    let e = plain.call(&mut store, ()).unwrap_err();
    assert_eq!(kind(e), Some(TrapKind::ExpectedSharedMemory));
    let notify_plain = typed::<(), i32>(&store, instance, "notify_plain");
    assert_eq!(notify_plain.call(&mut store, ()).unwrap(), 0);
}

#[test]
fn atomics_on_shared_and_plain_memories_agree() {
    // The same sequence on a shared memory (imported) and on a plain one (memory 1).
    let wat = r#"(module
        (import "env" "memory" (memory 1 1 shared))
        (memory $plain 1)
        (func (export "run") (param $m i32) (result i64)
          (if (local.get $m) (then (return (call $on_plain))))
          (call $on_shared))
        (func $on_shared (result i64) (local $h i64)
          (i64.atomic.store (i32.const 8) (i64.const 0x1122334455667788))
          (local.set $h (i64.atomic.rmw8.add_u (i32.const 8) (i64.const 0xff)))   ;; 0x88
          (local.set $h (i64.add (local.get $h) (i64.atomic.rmw16.sub_u (i32.const 10) (i64.const 1))))
          (local.set $h (i64.add (local.get $h) (i64.extend_i32_u
            (i32.atomic.rmw.xor (i32.const 12) (i32.const -1)))))
          (local.set $h (i64.add (local.get $h) (i64.atomic.rmw32.cmpxchg_u (i32.const 12)
            (i64.const 0x1_eeddccbb) (i64.const 7))))   ;; expected truncated: swaps
          (local.set $h (i64.add (local.get $h) (i64.atomic.rmw.xchg (i32.const 8) (i64.const 5))))
          (i64.add (local.get $h) (i64.atomic.load (i32.const 8))))
        (func $on_plain (result i64) (local $h i64)
          (i64.atomic.store $plain (i32.const 8) (i64.const 0x1122334455667788))
          (local.set $h (i64.atomic.rmw8.add_u $plain (i32.const 8) (i64.const 0xff)))
          (local.set $h (i64.add (local.get $h) (i64.atomic.rmw16.sub_u $plain (i32.const 10) (i64.const 1))))
          (local.set $h (i64.add (local.get $h) (i64.extend_i32_u
            (i32.atomic.rmw.xor $plain (i32.const 12) (i32.const -1)))))
          (local.set $h (i64.add (local.get $h) (i64.atomic.rmw32.cmpxchg_u $plain (i32.const 12)
            (i64.const 0x1_eeddccbb) (i64.const 7))))
          (local.set $h (i64.add (local.get $h) (i64.atomic.rmw.xchg $plain (i32.const 8) (i64.const 5))))
          (i64.add (local.get $h) (i64.atomic.load $plain (i32.const 8)))))"#;
    let memory = shared(1, 1);
    let (mut store, instance) = instance(&Engine::default(), wat, &memory);
    let run = typed::<i32, i64>(&store, instance, "run");
    let on_shared = run.call(&mut store, 0).unwrap();
    let on_plain = run.call(&mut store, 1).unwrap();
    assert_eq!(on_shared, on_plain);
    // By hand: 0x88, then 0x5566 (before subtracting 1), then 0x11223344, then
    // 0xeeddccbb (the xor's result; cmpxchg compares in 32 bits and swaps), then the
    // whole word before xchg, then 5.
    let before_xchg = 0x0000_0007_5565_7787u64;
    assert_eq!(
        on_shared as u64,
        0x88 + 0x5566 + 0x1122_3344 + 0xeedd_ccbb + before_xchg + 5
    );
}

#[test]
fn the_embedder_reads_and_writes_shared_bytes_but_never_borrows_them() {
    let memory = shared(1, 2);
    let mut store = Store::new(&Engine::default(), ());
    let mem = Memory::from_shared(&mut store, &memory).unwrap();
    mem.write(&mut store, 10, &[1, 2, 3]).unwrap();
    assert_eq!(memory.atomic_load(10, 0, 1), Ok(1));
    let e = mem.data(&store).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Unsupported(_)), "{e}");
    assert!(mem.data_mut(&mut store).is_err());
    assert_eq!(mem.grow(&mut store, 1).unwrap(), 1);
    assert_eq!(memory.size(), 2);
    assert!(mem.grow(&mut store, 1).is_err(), "beyond the maximum");
}

#[test]
fn stores_move_between_threads_and_shared_memories_are_shared() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<Store<()>>();
    send::<folio::ResumableCall>();
    send_sync::<SharedMemory>();
    send_sync::<Engine>();
    send_sync::<Linker<()>>();
    send_sync::<Module>();
}
