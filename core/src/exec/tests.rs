extern crate std;

use crate::prelude::*;
use crate::{
    Caller, Config, Engine, Error, Extern, Func, FuncType, Instance, Linker, Module, Store,
    TrapKind, Val, ValType,
};

fn instantiate_with(engine: &Engine, linker: &mut Linker<()>, wat: &str) -> (Store<()>, Instance) {
    let bytes = wat::parse_str(wat).unwrap();
    let module = Module::new(engine, &bytes).unwrap();
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn instantiate(wat: &str) -> (Store<()>, Instance) {
    instantiate_with(&Engine::default(), &mut Linker::new(), wat)
}

fn call(
    store: &mut Store<()>,
    instance: Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, Error> {
    let f = instance.get_func(store, name).unwrap();
    let n = f.ty(store).unwrap().results().len();
    let mut results = vec![Val::I32(0); n];
    f.call(store, args, &mut results)?;
    Ok(results)
}

fn trap_kind(r: Result<Vec<Val>, Error>) -> TrapKind {
    r.unwrap_err().as_trap().expect("a trap").kind()
}

#[test]
fn arithmetic_and_locals() {
    let (mut s, i) = instantiate(
        r#"(module (func (export "f") (param i32 i32) (result i32) (local i32)
            (local.set 2 (i32.mul (local.get 0) (local.get 1)))
            (i32.sub (local.get 2) (i32.const 1))))"#,
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(6), Val::I32(7)]).unwrap(),
        [Val::I32(41)]
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(0), Val::I32(7)]).unwrap(),
        [Val::I32(-1)]
    );
}

#[test]
fn loops_and_recursion() {
    let (mut s, i) = instantiate(
        r#"(module
          (func $fac (export "fac-rec") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
          (func (export "fac-iter") (param i64) (result i64) (local i64)
            (local.set 1 (i64.const 1))
            (block $done
              (loop $again
                (br_if $done (i64.eqz (local.get 0)))
                (local.set 1 (i64.mul (local.get 0) (local.get 1)))
                (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
                (br $again)))
            (local.get 1)))"#,
    );
    for name in ["fac-rec", "fac-iter"] {
        assert_eq!(
            call(&mut s, i, name, &[Val::I64(20)]).unwrap(),
            [Val::I64(2_432_902_008_176_640_000)]
        );
    }
}

#[test]
fn multi_value_blocks_and_calls() {
    let (mut s, i) = instantiate(
        r#"(module
          (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
          (func (export "f") (param i32 i32) (result i32 i32 i32)
            (i32.const 100)
            (local.get 0) (local.get 1)
            (block (param i32 i32) (result i32 i32)
              (call $swap)
              (br 0 (i32.const 99) (i32.const 98)))  ;; drops 2 cells below the kept ones
            )
          (func (export "g") (param i32) (result i32 i64)
            (block (result i32 i64)
              (i32.const 1) (i64.const 2)
              (br_if 0 (local.get 0))
              (drop) (drop)
              (i32.const 3) (i64.const 4))))"#,
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(1), Val::I32(2)]).unwrap(),
        [Val::I32(100), Val::I32(99), Val::I32(98)]
    );
    assert_eq!(
        call(&mut s, i, "g", &[Val::I32(1)]).unwrap(),
        [Val::I32(1), Val::I64(2)]
    );
    assert_eq!(
        call(&mut s, i, "g", &[Val::I32(0)]).unwrap(),
        [Val::I32(3), Val::I64(4)]
    );
}

#[test]
fn br_table_picks_targets_and_default() {
    let (mut s, i) = instantiate(
        r#"(module (func (export "f") (param i32) (result i32)
            (block $d (block $c (block $b (block $a
              (br_table $a $b $c $d (local.get 0)))
              (return (i32.const 10)))
              (return (i32.const 11)))
              (return (i32.const 12)))
            (i32.const 13)))"#,
    );
    for (arg, want) in [(0, 10), (1, 11), (2, 12), (3, 13), (4, 13), (-1, 13)] {
        assert_eq!(
            call(&mut s, i, "f", &[Val::I32(arg)]).unwrap(),
            [Val::I32(want)],
            "index {arg}"
        );
    }
}

#[test]
fn select_globals_and_numeric_traps() {
    let (mut s, i) = instantiate(
        r#"(module
          (global $g (mut i64) (i64.const 5))
          (func (export "sel") (param i32) (result f64)
            (select (f64.const 1.5) (f64.const -2.5) (local.get 0)))
          (func (export "bump") (result i64)
            (global.set $g (i64.add (global.get $g) (i64.const 1))) (global.get $g))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut s, i, "sel", &[Val::I32(7)]).unwrap(),
        [Val::from_f64(1.5)]
    );
    assert_eq!(
        call(&mut s, i, "sel", &[Val::I32(0)]).unwrap(),
        [Val::from_f64(-2.5)]
    );
    assert_eq!(call(&mut s, i, "bump", &[]).unwrap(), [Val::I64(6)]);
    assert_eq!(call(&mut s, i, "bump", &[]).unwrap(), [Val::I64(7)]);
    assert_eq!(
        call(&mut s, i, "div", &[Val::I32(-7), Val::I32(2)]).unwrap(),
        [Val::I32(-3)]
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "div", &[Val::I32(1), Val::I32(0)])),
        TrapKind::IntegerDivideByZero
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "div", &[Val::I32(i32::MIN), Val::I32(-1)])),
        TrapKind::IntegerOverflow
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "trunc", &[Val::from_f32(f32::NAN)])),
        TrapKind::InvalidConversionToInteger
    );
}

#[test]
fn call_indirect_and_its_traps() {
    let (mut s, i) = instantiate(
        r#"(module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (table 4 funcref)
          (elem (i32.const 0) $inc $nop)
          (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
          (func $nop (type $v))
          (func (export "call") (param i32 i32) (result i32)
            (call_indirect (type $ii) (local.get 1) (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut s, i, "call", &[Val::I32(0), Val::I32(41)]).unwrap(),
        [Val::I32(42)]
    );
    let err = call(&mut s, i, "call", &[Val::I32(1), Val::I32(0)]);
    assert_eq!(trap_kind(err), TrapKind::IndirectCallTypeMismatch);
    let err = call(&mut s, i, "call", &[Val::I32(2), Val::I32(0)]).unwrap_err();
    assert_eq!(err.to_string(), "uninitialized element 2");
    assert_eq!(
        trap_kind(call(&mut s, i, "call", &[Val::I32(4), Val::I32(0)])),
        TrapKind::UndefinedElement
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "call", &[Val::I32(-1), Val::I32(0)])),
        TrapKind::UndefinedElement
    );
}

#[test]
fn table_instructions() {
    let (mut s, i) = instantiate(
        r#"(module
          (table $t 2 10 funcref)
          (table $u 3 externref)
          (elem $e func $a $b)
          (func $a (result i32) (i32.const 1))
          (func $b (result i32) (i32.const 2))
          (func (export "run") (result i32 i32 i32 i32)
            (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
            (elem.drop $e)
            (drop (table.grow $t (ref.null func) (i32.const 3)))   ;; size 5
            (table.copy $t $t (i32.const 3) (i32.const 0) (i32.const 2))
            (table.fill $t (i32.const 2) (ref.func $b) (i32.const 1))
            (table.size $t)
            (call_indirect (result i32) (i32.const 2))
            (call_indirect (result i32) (i32.const 3))
            (table.grow $t (ref.null func) (i32.const 100)))       ;; past the max: -1
          (func (export "init-dropped")
            (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1)))
          (func (export "extern") (param externref) (result i32)
            (table.set $u (i32.const 1) (local.get 0))
            (ref.is_null (table.get $u (i32.const 1))))
          (func (export "get-oob") (result externref) (table.get $u (i32.const 3))))"#,
    );
    assert_eq!(
        call(&mut s, i, "run", &[]).unwrap(),
        [Val::I32(5), Val::I32(2), Val::I32(1), Val::I32(-1)]
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "init-dropped", &[])),
        TrapKind::TableOutOfBounds
    );
    assert_eq!(
        call(&mut s, i, "extern", &[Val::ExternRef(None)]).unwrap(),
        [Val::I32(1)]
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "get-oob", &[])),
        TrapKind::TableOutOfBounds
    );
}

#[test]
fn bulk_memory() {
    let (mut s, i) = instantiate(
        r#"(module
          (memory (export "mem") 1)
          (data $d "\01\02\03\04")
          (func (export "run") (result i64)
            (memory.init $d (i32.const 8) (i32.const 1) (i32.const 3))  ;; 02 03 04 at 8
            (data.drop $d)
            (memory.copy (i32.const 9) (i32.const 8) (i32.const 3))     ;; overlapping
            (memory.fill (i32.const 14) (i32.const 0xff) (i32.const 2))
            (i64.load (i32.const 8)))
          (func (export "init-dropped") (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)))
          (func (export "fill-oob") (memory.fill (i32.const 65535) (i32.const 1) (i32.const 2))))"#,
    );
    assert_eq!(
        call(&mut s, i, "run", &[]).unwrap(),
        [Val::I64(0xffff_0000_0403_0202_u64 as i64)]
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "init-dropped", &[])),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "fill-oob", &[])),
        TrapKind::MemoryOutOfBounds
    );
    // A trapping fill wrote nothing.
    let mem = i.get_memory(&s, "mem").unwrap();
    assert_eq!(mem.data(&s).unwrap()[65535], 0);
}

#[test]
fn memory_grow_in_a_loop() {
    let (mut s, i) = instantiate(
        r#"(module
          (memory 0 5)
          (func (export "grow-all") (result i32 i32 i32) (local $n i32)
            (block $full
              (loop $again
                (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
                (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (memory.size))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (br $again)))
            (local.get $n) (memory.size) (i32.load (i32.const 65532))))"#,
    );
    assert_eq!(
        call(&mut s, i, "grow-all", &[]).unwrap(),
        [Val::I32(5), Val::I32(5), Val::I32(1)]
    );
}

#[test]
fn memory_grow_asks_the_limiter() {
    let (mut s, i) = instantiate(
        r#"(module (memory 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    s.set_limiter(crate::memory::MaxBytes(3 * 65536));
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(2)]).unwrap(),
        [Val::I32(1)]
    );
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(1)]).unwrap(),
        [Val::I32(-1)]
    );
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(0)]).unwrap(),
        [Val::I32(3)]
    );
}

#[test]
fn tables_are_in_the_limiters_budget() {
    use crate::memory::{MaxBytes, MaxTotalBytes, TABLE_ELEMENT_BYTES};
    let per_kib = 1024 / TABLE_ELEMENT_BYTES as i32;
    // A table too large for the budget is refused at instantiation, before anything is
    // allocated (ten million elements would be 80 MB).
    let engine = Engine::default();
    let big = wat::parse_str("(module (table 10000000 funcref))").unwrap();
    let module = Module::new(&engine, &big).unwrap();
    let mut store = Store::new(&engine, ());
    store.set_limiter(MaxBytes(64 * 1024));
    let e = Linker::new()
        .instantiate(&mut store, &module)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("refused by the limiter") && e.contains("65536"),
        "{e}"
    );
    // `table.grow` asks too: -1 past the budget, nothing changed.
    let grow = r#"(module (table (export "t") 1 funcref) (memory 1)
        (func (export "grow") (param i32) (result i32)
          (table.grow (ref.null func) (local.get 0)))
        (func (export "size") (result i32) (table.size)))"#;
    let (mut s, i) = instantiate(grow);
    s.set_limiter(MaxBytes(64 * 1024));
    let grown = call(&mut s, i, "grow", &[Val::I32(64 * per_kib - 1)]).unwrap();
    assert_eq!(grown, [Val::I32(1)]);
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(1)]).unwrap(),
        [Val::I32(-1)]
    );
    assert_eq!(
        call(&mut s, i, "size", &[]).unwrap(),
        [Val::I32(64 * per_kib)]
    );
    // And `Table::grow`, with the refusal in the error.
    let t = i.get_table(&s, "t").unwrap();
    let e = t
        .grow(&mut s, 1, Val::FuncRef(None))
        .unwrap_err()
        .to_string();
    assert!(e.contains("refused by the limiter"), "{e}");
    // A total budget counts memories and tables together, from their creation: a page of
    // memory and one KiB of table elements (the one created, and more) fit, one more
    // element does not.
    let module = Module::new(&engine, &wat::parse_str(grow).unwrap()).unwrap();
    let mut s = Store::new(&engine, ());
    s.set_limiter(MaxTotalBytes::new(65536 + 1024));
    let i = Linker::new().instantiate(&mut s, &module).unwrap();
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(per_kib)]).unwrap(),
        [Val::I32(-1)]
    );
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(per_kib - 1)]).unwrap(),
        [Val::I32(1)]
    );
}

#[test]
fn memory64_addresses_and_sizes() {
    let (mut s, i) = instantiate(
        r#"(module
          (memory i64 1)
          (func (export "size-grow") (result i64 i64 i64)
            (memory.size) (memory.grow (i64.const 2)) (memory.size))
          (func (export "store-load") (param i64) (result i64)
            (i64.store offset=0x10 (local.get 0) (i64.const 0x1122334455667788))
            (i64.load offset=0x10 (local.get 0)))
          (func (export "load-huge") (result i32) (i32.load offset=0xffffffffffffffff (i64.const 1))))"#,
    );
    assert_eq!(
        call(&mut s, i, "size-grow", &[]).unwrap(),
        [Val::I64(1), Val::I64(1), Val::I64(3)]
    );
    let addr = 3 * 65536 - 0x18;
    assert_eq!(
        call(&mut s, i, "store-load", &[Val::I64(addr)]).unwrap(),
        [Val::I64(0x1122334455667788)]
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "store-load", &[Val::I64(addr + 1)])),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "load-huge", &[])),
        TrapKind::MemoryOutOfBounds
    );
}

#[test]
fn multi_memory() {
    let (mut s, i) = instantiate(
        r#"(module
          (memory $a 1)
          (memory $b i64 2 3)
          (data (memory $b) (i64.const 70000) "\2a")
          (func (export "run") (result i32 i32 i64 i32 i64)
            (memory.copy $a $b (i32.const 5) (i64.const 70000) (i32.const 1))
            (i32.store8 $b (i64.const 70001) (i32.const 7))
            (i32.load8_u $a (i32.const 5))
            (i32.load8_u $b (i64.const 70001))
            (memory.grow $b (i64.const 1))
            (memory.grow $a (i32.const 0))
            (memory.size $b)))"#,
    );
    assert_eq!(
        call(&mut s, i, "run", &[]).unwrap(),
        [
            Val::I32(42),
            Val::I32(7),
            Val::I64(2),
            Val::I32(1),
            Val::I64(3)
        ]
    );
}

#[test]
fn custom_page_size_counts_bytes() {
    let (mut s, i) = instantiate(
        r#"(module
          (memory 3 10 (pagesize 1))
          (func (export "run") (result i32 i32 i32 i32)
            (memory.grow (i32.const 4)) (memory.size) (memory.grow (i32.const 4))
            (i32.store8 (i32.const 6) (i32.const 9)) (i32.load8_u (i32.const 6))))"#,
    );
    assert_eq!(
        call(&mut s, i, "run", &[]).unwrap(),
        [Val::I32(3), Val::I32(7), Val::I32(-1), Val::I32(9)]
    );
}

#[test]
fn stack_exhaustion_traps_and_the_store_recovers() {
    let (mut s, i) = instantiate(
        r#"(module
          (func $inf (export "inf") (param i32) (result i32) (call $inf (i32.add (local.get 0) (i32.const 1))))
          (func $deep (export "deep") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))"#,
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "inf", &[Val::I32(0)])),
        TrapKind::StackExhausted
    );
    assert_eq!(
        call(&mut s, i, "deep", &[Val::I32(5000)]).unwrap(),
        [Val::I32(5000)]
    );
    assert_eq!(s.inner.stack.depth, 0);
    assert!(s.inner.stack.frames.is_empty());
}

#[test]
fn a_panicking_host_function_leaves_the_store_usable() {
    // Each call below enters Wasm, which calls the host, which panics; the embedder
    // catches the panic. Had the frames and depth of the abandoned calls stayed counted,
    // the 25th would have hit the depth limit of 50.
    let mut config = Config::default();
    config.max_call_depth(50);
    let engine = Engine::new(&config);
    let mut linker = Linker::new();
    linker
        .func_new("host", "boom", FuncType::new([], []), |_, _, _| {
            panic!("the host function fails")
        })
        .unwrap();
    let (mut s, i) = instantiate_with(
        &engine,
        &mut linker,
        r#"(module (import "host" "boom" (func $boom))
             (func (export "f") (param i32) (result i32)
               (if (local.get 0) (then (call $boom)))
               (i32.const 7)))"#,
    );
    for _ in 0..100 {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            call(&mut s, i, "f", &[Val::I32(1)])
        }));
        assert!(caught.is_err());
        assert_eq!((s.inner.stack.depth, s.inner.stack.frames.len()), (0, 0));
    }
    assert_eq!(call(&mut s, i, "f", &[Val::I32(0)]).unwrap(), [Val::I32(7)]);
}

#[test]
fn fuel_calls_fail_when_the_engine_consumes_none() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let set = store.set_fuel(10).unwrap_err();
    assert!(
        matches!(set.kind(), crate::ErrorKind::FuelDisabled),
        "{set}"
    );
    assert!(store.get_fuel().is_err());
    let mut config = Config::default();
    config.consume_fuel(true);
    let mut store = Store::new(&Engine::new(&config), ());
    store.set_fuel(10).unwrap();
    assert_eq!(store.get_fuel().unwrap(), 10);
}

#[test]
fn small_value_stack_limit() {
    let mut config = Config::default();
    config.max_value_stack(100);
    let engine = Engine::new(&config);
    let (mut s, i) = instantiate_with(
        &engine,
        &mut Linker::new(),
        r#"(module (func $f (export "f") (param i32) (result i32) (local i64 i64 i64 i64)
             (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
               (else (call $f (i32.sub (local.get 0) (i32.const 1)))))))"#,
    );
    assert_eq!(call(&mut s, i, "f", &[Val::I32(3)]).unwrap(), [Val::I32(7)]);
    assert_eq!(
        trap_kind(call(&mut s, i, "f", &[Val::I32(1000)])),
        TrapKind::StackExhausted
    );
}

#[test]
fn fuel_runs_out_and_is_counted_per_instruction() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let (mut s, i) = instantiate_with(
        &engine,
        &mut Linker::new(),
        r#"(module
          (func (export "spin") (loop (br 0)))
          (func (export "three") (result i32) (i32.add (i32.const 1) (i32.const 2))))"#,
    );
    s.set_fuel(1000).unwrap();
    assert_eq!(trap_kind(call(&mut s, i, "spin", &[])), TrapKind::OutOfFuel);
    assert_eq!(s.get_fuel().unwrap(), 0);
    // const, const, add, return.
    s.set_fuel(4).unwrap();
    assert_eq!(call(&mut s, i, "three", &[]).unwrap(), [Val::I32(3)]);
    assert_eq!(s.get_fuel().unwrap(), 0);
    s.set_fuel(3).unwrap();
    assert_eq!(
        trap_kind(call(&mut s, i, "three", &[])),
        TrapKind::OutOfFuel
    );
}

#[test]
fn without_fuel_calls_run_and_fuel_cannot_be_read() {
    let (mut s, i) = instantiate(r#"(module (func (export "f") (result i32) (i32.const 1)))"#);
    assert!(s.get_fuel().is_err());
    assert_eq!(call(&mut s, i, "f", &[]).unwrap(), [Val::I32(1)]);
}

#[test]
fn host_growing_memory_is_seen_by_the_live_frame() {
    let mut linker = Linker::new();
    linker
        .func_new(
            "host",
            "grow",
            FuncType::new([], []),
            |mut caller: Caller<'_, ()>, _, _| {
                let mem = caller
                    .get_export("mem")
                    .and_then(Extern::into_memory)
                    .unwrap();
                mem.grow(caller.store_mut(), 3)
                    .map_err(|e| crate::Trap::host(e.to_string()))?;
                Ok(())
            },
        )
        .unwrap();
    let (mut s, i) = instantiate_with(
        &Engine::default(),
        &mut linker,
        r#"(module
          (import "host" "grow" (func $grow))
          (memory (export "mem") 1)
          (func (export "f") (param i32) (result i32 i32 i32)
            (i32.store (i32.const 8) (local.get 0))            ;; memory 0 cached, 1 page
            (call $grow)                                       ;; now 4 pages
            (i32.store (i32.const 200000) (i32.load (i32.const 8)))
            (i32.load (i32.const 200000))
            (memory.size)
            (i32.load (i32.const 8)))
          (func (export "oob") (result i32) (i32.load (i32.const 400000))))"#,
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "oob", &[])),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(77)]).unwrap(),
        [Val::I32(77), Val::I32(4), Val::I32(77)]
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(78)]).unwrap(),
        [Val::I32(78), Val::I32(7), Val::I32(78)]
    );
    assert_eq!(call(&mut s, i, "oob", &[]).unwrap(), [Val::I32(0)]);
}

/// Wasm `ping(n) = n == 0 ? 0 : pong(n - 1) + n`, the host's `pong` calling `ping` back;
/// each level keeps its `n` in memory across the nested calls.
fn ping_pong(engine: &Engine) -> (Store<()>, Instance) {
    let mut linker = Linker::new();
    linker
        .func_new(
            "host",
            "pong",
            FuncType::new([ValType::I32], [ValType::I32]),
            |mut caller: Caller<'_, ()>, args, results| {
                let f = caller
                    .get_export("ping")
                    .and_then(Extern::into_func)
                    .unwrap();
                f.call(caller.store_mut(), args, results)
            },
        )
        .unwrap();
    instantiate_with(
        engine,
        &mut linker,
        r#"(module
          (import "host" "pong" (func $pong (param i32) (result i32)))
          (memory 1)
          (func (export "ping") (param i32) (result i32)
            (i32.store (i32.mul (local.get 0) (i32.const 4)) (local.get 0))
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (call $pong (i32.sub (local.get 0) (i32.const 1)))
                             (i32.load (i32.mul (local.get 0) (i32.const 4))))))))"#,
    )
}

#[test]
fn host_reentry() {
    let (mut s, i) = ping_pong(&Engine::default());
    assert_eq!(
        call(&mut s, i, "ping", &[Val::I32(100)]).unwrap(),
        [Val::I32(5050)]
    );
    assert_eq!(s.inner.stack.depth, 0);
    assert_eq!(s.inner.stack.top, 0);
}

#[test]
fn host_reentry_counts_towards_the_depth_limit() {
    let mut config = Config::default();
    config.max_call_depth(50);
    let (mut s, i) = ping_pong(&Engine::new(&config));
    assert!(call(&mut s, i, "ping", &[Val::I32(20)]).is_ok());
    // Each level is a Wasm frame and a host frame: 30 levels are 60 frames.
    assert_eq!(
        trap_kind(call(&mut s, i, "ping", &[Val::I32(30)])),
        TrapKind::StackExhausted
    );
    assert_eq!((s.inner.stack.depth, s.inner.stack.top), (0, 0));
    assert!(s.inner.stack.frames.is_empty());
    assert!(call(&mut s, i, "ping", &[Val::I32(20)]).is_ok());
}

#[test]
fn host_result_of_the_wrong_type_is_a_type_error() {
    let mut linker = Linker::new();
    linker
        .func_new(
            "host",
            "bad",
            FuncType::new([], [ValType::I32]),
            |_, _, results| {
                results[0] = Val::I64(1);
                Ok(())
            },
        )
        .unwrap();
    let (mut s, i) = instantiate_with(
        &Engine::default(),
        &mut linker,
        r#"(module (import "host" "bad" (func $bad (result i32)))
             (func (export "f") (result i32) (call $bad)))"#,
    );
    let e = call(&mut s, i, "f", &[]).unwrap_err();
    assert!(matches!(e.kind(), crate::ErrorKind::Type(_)), "{e}");
    assert!(e.to_string().contains("expected i32, got i64"), "{e}");
}

#[test]
fn host_function_called_directly() {
    let mut s = Store::new(&Engine::default(), ());
    let f = Func::new(
        &mut s,
        FuncType::new([ValType::I32], [ValType::I32, ValType::I64]),
        |_, args, results| {
            let Val::I32(x) = args[0] else { unreachable!() };
            results[0] = Val::I32(x * 2);
            results[1] = Val::I64(-1);
            Ok(())
        },
    );
    let mut results = [Val::I32(0), Val::I64(0)];
    f.call(&mut s, &[Val::I32(21)], &mut results).unwrap();
    assert_eq!(results, [Val::I32(42), Val::I64(-1)]);
}

#[test]
fn calls_across_instances_switch_memories() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    let a = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module (memory (export "mem") 1)
                 (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
                 (func (export "get") (param i32) (result i32) (i32.load (local.get 0))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let a = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&store, "a", a).unwrap();
    let b = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module
                 (import "a" "put" (func $put (param i32 i32)))
                 (import "a" "get" (func $get (param i32) (result i32)))
                 (memory 1)
                 (func (export "f") (result i32 i32 i32)
                   (i32.store (i32.const 4) (i32.const 11))
                   (call $put (i32.const 4) (i32.const 22))
                   (i32.load (i32.const 4))
                   (call $get (i32.const 4))
                   (i32.load (i32.const 4))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let b = linker.instantiate(&mut store, &b).unwrap();
    assert_eq!(
        call(&mut store, b, "f", &[]).unwrap(),
        [Val::I32(11), Val::I32(22), Val::I32(11)]
    );
}

#[test]
fn traps_unwind_nested_calls() {
    let (mut s, i) = instantiate(
        r#"(module
          (func $boom (param i32) (result i32) (if (local.get 0) (then unreachable)) (local.get 0))
          (func (export "f") (param i32) (result i32) (i32.add (i32.const 1) (call $boom (local.get 0)))))"#,
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "f", &[Val::I32(1)])),
        TrapKind::Unreachable
    );
    assert_eq!(call(&mut s, i, "f", &[Val::I32(0)]).unwrap(), [Val::I32(1)]);
    assert!(s.inner.stack.frames.is_empty());
}

#[test]
fn unreachable_code_after_branches_is_harmless() {
    let (mut s, i) = instantiate(
        r#"(module (func (export "f") (param i32) (result i32)
            (block (result i32)
              (block (result i32) (br 1 (i32.const 1)) (i32.add) (drop) (i32.const 9))
              (drop)
              (br_table 0 0 (i32.const 2) (local.get 0))
              (unreachable))
            (return)
            (i32.const 3)))"#,
    );
    assert_eq!(call(&mut s, i, "f", &[Val::I32(0)]).unwrap(), [Val::I32(1)]);
}

#[test]
fn fused_loop_steps_wrap_and_count_down() {
    let (mut s, i) = instantiate(
        r#"(module
          ;; i32 step that wraps past 2^32: from 0xffff_fff0 by 8 until it is below 16.
          (func (export "wrap") (result i32) (local $x i32) (local $n i32)
            (local.set $x (i32.const 0xffff_fff0))
            (loop $l
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $x (i32.add (local.get $x) (i32.const 8)))
              (br_if $l (i32.ge_u (local.get $x) (i32.const 16))))
            (i32.add (i32.mul (local.get $n) (i32.const 1000)) (local.get $x)))
          ;; A countdown with `sub` and a signed test against another local.
          (func (export "down") (param $x i64) (param $stop i64) (result i64) (local $n i64)
            (loop $l
              (local.set $n (i64.add (local.get $n) (i64.const 1)))
              (local.set $x (i64.sub (local.get $x) (i64.const 3)))
              (br_if $l (i64.gt_s (local.get $x) (local.get $stop))))
            (i64.add (i64.mul (local.get $n) (i64.const 1000)) (local.get $x)))
          ;; The old value of a local stays on the stack when the local changes.
          (func (export "old") (param i32) (result i32)
            local.get 0 (local.set 0 (i32.const 5)) local.get 0 i32.sub))"#,
    );
    // 0xffff_fff0 + 8 = 0xffff_fff8 (>= 16), + 8 = 0 (< 16): two rounds.
    assert_eq!(call(&mut s, i, "wrap", &[]).unwrap(), [Val::I32(2000)]);
    // 10 → 7 → 4 → 1 → -2: four rounds, stop at -2 (not > -1).
    assert_eq!(
        call(&mut s, i, "down", &[Val::I64(10), Val::I64(-1)]).unwrap(),
        [Val::I64(4000 - 2)]
    );
    assert_eq!(
        call(&mut s, i, "old", &[Val::I32(7)]).unwrap(),
        [Val::I32(2)]
    );
}

#[test]
fn fuel_counts_wasm_operators_through_fused_instructions() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let (mut s, i) = instantiate_with(
        &engine,
        &mut Linker::new(),
        r#"(module
          (func (export "count") (param $n i32) (result i32) (local $i i32)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $i)))"#,
    );
    // Per round: local.get, i32.const, i32.add, local.set, local.get, local.get,
    // i32.lt_u, br_if = 8; then local.get and the final `end` (the return) = 2.
    s.set_fuel(1000).unwrap();
    assert_eq!(
        call(&mut s, i, "count", &[Val::I32(10)]).unwrap(),
        [Val::I32(10)]
    );
    assert_eq!(s.get_fuel().unwrap(), 1000 - (8 * 10 + 2));
}

#[test]
fn fused_multiply_add_rounds_twice() {
    let (mut s, i) = instantiate(
        r#"(module (func (export "f") (param f64 f64 f64) (result f64)
            (f64.add (local.get 0) (f64.mul (local.get 1) (local.get 2)))))"#,
    );
    let f = |s: &mut Store<()>, a: f64, x: f64, y: f64| {
        let args = [a, x, y].map(|v| Val::F64(v.to_bits()));
        match call(s, i, "f", &args).unwrap()[..] {
            [Val::F64(bits)] => bits,
            ref other => panic!("{other:?}"),
        }
    };
    // A fused multiply-add (one rounding) would give 2^-104 here, not 0.
    let x = 1.0 + f64::EPSILON;
    let a = -(x * x);
    assert_eq!(f(&mut s, a, x, x), (a + x * x).to_bits());
    assert_eq!(f(&mut s, 1.5, 2.0, 4.0), 9.5f64.to_bits());
    assert!(f64::from_bits(f(&mut s, 1.0, f64::INFINITY, 0.0)).is_nan());
}

#[test]
fn wrap_folded_into_i64_operators_keeps_the_low_half() {
    let (mut s, i) = instantiate(
        r#"(module
          (func (export "shl3") (param i64) (result i32)
            (i32.wrap_i64 (i64.shl (local.get 0) (i64.const 3))))
          (func (export "shl40") (param i64) (result i32)
            (i32.wrap_i64 (i64.shl (local.get 0) (i64.const 40))))
          (func (export "add") (param i64 i64) (result i32)
            (i32.wrap_i64 (i64.add (local.get 0) (local.get 1))))
          (func (export "mulk") (param i64) (result i64)
            (i64.extend_i32_u (i32.wrap_i64 (i64.mul (local.get 0) (i64.const -3))))))"#,
    );
    let x = 0x1234_5678_9abc_def1_i64;
    assert_eq!(
        call(&mut s, i, "shl3", &[Val::I64(x)]).unwrap(),
        [Val::I32((x << 3) as i32)]
    );
    assert_eq!(
        call(&mut s, i, "shl40", &[Val::I64(x)]).unwrap(),
        [Val::I32(0)]
    );
    assert_eq!(
        call(&mut s, i, "add", &[Val::I64(x), Val::I64(x)]).unwrap(),
        [Val::I32(x.wrapping_add(x) as i32)]
    );
    // The i32 result is zero-extended, whatever the i64 product's high half.
    assert_eq!(
        call(&mut s, i, "mulk", &[Val::I64(x)]).unwrap(),
        [Val::I64(i64::from(x.wrapping_mul(-3) as u32))]
    );
}

#[test]
fn constant_pool_survives_calls_and_recursion() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    // Both functions keep constants in their pools (a big i64 multiplier, a stored 7);
    // `outer` calls `inner` from its loop, whose frame starts at `outer`'s operand slots
    // (above the pool).
    let (mut s, i) = instantiate_with(
        &engine,
        &mut Linker::new(),
        r#"(module
          (memory 1)
          (func $inner (param $x i64) (result i64) (local $k i32)
            (loop $l
              (local.set $x (i64.mul (local.get $x) (i64.const 0x9e3779b97f4a7c15)))
              (i32.store (local.get $k) (i32.const 7))
              (local.set $k (i32.add (local.get $k) (i32.const 4)))
              (br_if $l (i32.lt_u (local.get $k) (i32.const 12))))
            (local.get $x))
          (func (export "outer") (param $n i32) (result i64) (local $acc i64)
            (block $done
              (loop $l
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc
                  (i64.add (i64.mul (local.get $acc) (i64.const 0x100000001))
                           (call $inner (i64.extend_i32_u (local.get $n)))))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $l)))
            (i64.add (local.get $acc) (i64.load (i32.const 8)))))"#,
    );
    let inner = |x: i64| (0..3).fold(x, |x, _| x.wrapping_mul(0x9e37_79b9_7f4a_7c15_u64 as i64));
    let mut acc = 0i64;
    for n in (1..=5).rev() {
        acc = acc.wrapping_mul(0x1_0000_0001).wrapping_add(inner(n));
    }
    // Stores at 0, 4 and 8: the i64 at 8 is 7.
    let expected = acc.wrapping_add(7);
    s.set_fuel(100_000).unwrap();
    assert_eq!(
        call(&mut s, i, "outer", &[Val::I32(5)]).unwrap(),
        [Val::I64(expected)]
    );
    // Fuel counts Wasm operators whatever the pool and the fused back edge: `inner` runs
    // 3 rounds of 15 operators, then `local.get` and `end` (47); a round of `outer` is
    // 3 for the test, 3 for the multiply, `local.get` and the call (`i64.extend_i32_u`
    // is free), `i64.add` and `local.set`, 4 for `$n`, and `br` (15 + 47); then the last
    // test (3), and `local.get`, `i32.const`, `i64.load`, `i64.add`, `end` (5).
    assert_eq!(s.get_fuel().unwrap(), 100_000 - (5 * (15 + 47) + 3 + 5));
}

#[test]
fn fused_add3_and_xorshift_compute_what_they_replace() {
    let (mut s, i) = instantiate(
        r#"(module
          (func (export "xs64") (param $x i64) (result i64)
            (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
            (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
            (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 81))))
          (func (export "xs32") (param $x i32) (result i32)
            (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
            (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 49))))
          (func (export "add3") (param i64 i64) (result i64)
            (i64.add (i64.add (local.get 0) (local.get 1)) (i64.const -5)))
          (func (export "add3_32") (param i32 i32) (result i32)
            (i32.add (i32.add (local.get 0) (local.get 1)) (i32.const 0x7fffffff))))"#,
    );
    let x = 0x9e37_79b9_7f4a_7c15_u64 as i64;
    let mut y = x ^ (x << 13);
    y ^= (y as u64 >> 7) as i64;
    // Shift counts are taken mod 64 (81 is 17) and mod 32 (49 is 17).
    y ^= y << 17;
    assert_eq!(
        call(&mut s, i, "xs64", &[Val::I64(x)]).unwrap(),
        [Val::I64(y)]
    );
    let x32 = x as i32;
    let mut y32 = x32 ^ (x32 << 13);
    y32 ^= (y32 as u32 >> 17) as i32;
    assert_eq!(
        call(&mut s, i, "xs32", &[Val::I32(x32)]).unwrap(),
        [Val::I32(y32)]
    );
    assert_eq!(
        call(&mut s, i, "add3", &[Val::I64(i64::MAX), Val::I64(7)]).unwrap(),
        [Val::I64(i64::MAX.wrapping_add(7).wrapping_sub(5))]
    );
    assert_eq!(
        call(&mut s, i, "add3_32", &[Val::I32(i32::MAX), Val::I32(2)]).unwrap(),
        [Val::I32(i32::MAX.wrapping_add(2).wrapping_add(i32::MAX))]
    );
}

#[test]
fn copied_loop_tails_run_and_charge_as_the_branches_did() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    // `br $next` jumps to the loop's step and test, which the translator copies in its
    // place; counts the multiples of 3 below $n (and of anything else).
    let (mut s, i) = instantiate_with(
        &engine,
        &mut Linker::new(),
        r#"(module
          (func (export "f") (param $n i32) (result i32) (local $i i32) (local $c i32)
            (block $done
              (loop $l
                (block $next
                  (br_if $next (i32.rem_u (local.get $i) (i32.const 3)))
                  (local.set $c (i32.add (local.get $c) (i32.const 1)))
                  (br $next))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
            (local.get $c)))"#,
    );
    s.set_fuel(10_000).unwrap();
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(10)]).unwrap(),
        [Val::I32(4)]
    );
    // Every round: 4 for the test and `br_if`, 4 for the step, 4 for the loop's test;
    // rounds 0, 3, 6, 9 (`br_if` not taken) also 4 for the count and 1 for `br $next`.
    // Then `local.get` and `end`.
    assert_eq!(s.get_fuel().unwrap(), 10_000 - (10 * 12 + 4 * 5 + 2));
}

/// Chains that read the previous result from the accumulator, a loop head reached both
/// by falling in and by the back edge, paired pointer steps and a 64-bit address: the
/// results a plain evaluation gives.
#[test]
fn accumulator_forms_and_paired_steps_compute_what_the_operators_say() {
    let (mut s, i) = instantiate(
        r#"(module (memory i64 1)
          (func (export "f") (param $n i32) (result i64)
            (local $p i64) (local $q i64) (local $x i64) (local $acc i64)
            (local.set $x (i64.const 0x2545f4914f6cdd1d))
            (local.set $q (i64.const 4096))
            (loop $l
              (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
              (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
              (i64.store (local.get $p) (i64.rem_u (local.get $x) (i64.const 40000)))
              (i64.store (local.get $q) (i64.add (i64.load (local.get $p)) (i64.const 1)))
              (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $q))))
              (local.set $p (i64.add (local.get $p) (i64.const 8)))
              (local.set $q (i64.add (local.get $q) (i64.const 8)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l (i32.ne (local.get $n) (i32.const 0))))
            (i64.add (local.get $acc) (i64.load (i64.const 4096)))))"#,
    );
    let mut x: u64 = 0x2545f4914f6cdd1d;
    let mut acc: u64 = 0;
    let mut first = None;
    for _ in 0..100 {
        x ^= x << 13;
        x ^= x >> 7;
        let v = x % 40000 + 1;
        first.get_or_insert(v);
        acc = acc.wrapping_add(v);
    }
    let expected = acc.wrapping_add(first.unwrap()) as i64;
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(100)]).unwrap(),
        [Val::I64(expected)]
    );
}

/// A function whose loop keeps a constant in its pool calls the host, which calls back
/// into Wasm: the pool (the top of the caller's frame) is intact when the loop resumes.
#[test]
fn constant_pool_survives_host_reentry() {
    let mut linker = Linker::new();
    linker
        .func_new(
            "host",
            "h",
            FuncType::new([ValType::I64], [ValType::I64]),
            |mut caller: Caller<'_, ()>, args, results| {
                let g = caller.get_export("g").and_then(Extern::into_func).unwrap();
                g.call(caller.store_mut(), args, results)
            },
        )
        .unwrap();
    let (mut s, i) = instantiate_with(
        &Engine::default(),
        &mut linker,
        r#"(module
          (import "host" "h" (func $h (param i64) (result i64)))
          (func (export "g") (param $x i64) (result i64) (local $k i32)
            (loop $l
              (local.set $x (i64.mul (local.get $x) (i64.const 0x9e3779b97f4a7c15)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $k) (i32.const 2))))
            (local.get $x))
          (func (export "f") (param $n i32) (result i64) (local $acc i64)
            (loop $l
              (local.set $acc
                (i64.xor (i64.mul (local.get $acc) (i64.const 0x100000001))
                         (call $h (i64.extend_i32_u (local.get $n)))))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l (local.get $n)))
            (local.get $acc)))"#,
    );
    let g = |x: i64| (0..2).fold(x, |x, _| x.wrapping_mul(0x9e37_79b9_7f4a_7c15_u64 as i64));
    let mut acc = 0i64;
    for n in (1..=6).rev() {
        acc = acc.wrapping_mul(0x1_0000_0001) ^ g(n);
    }
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(6)]).unwrap(),
        [Val::I64(acc)]
    );
}

/// The module of `right_operands_from_the_accumulator_compute_what_the_operators_say`.
const B_FORMS: &str = r#"(module (memory 1)
          (func (export "f") (param $a i32) (param $b i32) (result i32)
            (local $x i32) (local $y i32) (local $r i32)
            (local.set $x (i32.mul (local.get $a) (i32.const 3)))
            (local.set $y (i32.add (local.get $b) (i32.const 5)))
            ;; x - y, y just written: the `B` form
            (local.set $r (i32.sub (local.get $x) (local.get $y)))
            (local.set $x (i32.xor (local.get $a) (i32.const 0x55)))
            (local.set $y (i32.rotl (local.get $b) (i32.const 3)))
            ;; y - x, y just written: the `A` form
            (local.set $r (i32.add (local.get $r) (i32.sub (local.get $y) (local.get $x))))
            (local.set $x (i32.load8_s offset=100 (i32.and (local.get $a) (i32.const 0xff))))
            (local.set $y (i32.load8_u offset=100 (i32.and (local.get $b) (i32.const 0xff))))
            ;; y < x, y just written: the `A` form; then an add, swapped to `A`
            (local.set $r (i32.add (local.get $r) (i32.lt_s (local.get $y) (local.get $x))))
            (local.set $x (i32.shl (local.get $a) (i32.const 1)))
            (local.set $y (i32.shr_u (local.get $b) (i32.const 2)))
            ;; two adds reading the last result in a row: `A`, then `B`
            (i32.add (local.get $r) (i32.add (local.get $y) (local.get $x))))
          (func (export "g") (param $p i32) (param $k i64) (result f64)
            (local $acc f64) (local $u i64)
            (f64.store (i32.const 0) (f64.const 1.5))
            (f64.store (i32.const 8) (f64.const -2.25))
            (local.set $acc (f64.const 10))
            (local.set $acc (f64.add (local.get $acc)
              (f64.mul (f64.load (i32.const 0)) (f64.load (local.get $p)))))
            (local.set $u (i64.mul (local.get $k) (i64.const 7)))
            (local.set $k (i64.div_s (local.get $k) (i64.const 2)))
            (local.set $u (i64.sub (local.get $u) (local.get $k)))
            (f64.add (local.get $acc) (f64.convert_i64_s (local.get $u)))))"#;

/// Operators reading the last result on the right (`B` forms) or on the left, in
/// chains of two: the results a plain evaluation gives.
#[test]
fn right_operands_from_the_accumulator_compute_what_the_operators_say() {
    let (mut s, i) = instantiate(B_FORMS);
    // The byte loads read zeros (`g` stores below address 16 only).
    let f = |a: i32, b: i32| {
        let mut r = (a.wrapping_mul(3)).wrapping_sub(b.wrapping_add(5));
        let (x, y) = (a ^ 0x55, b.rotate_left(3));
        r = r.wrapping_add(y.wrapping_sub(x));
        r = r.wrapping_add(i32::from(0 < 0));
        r.wrapping_add(((b as u32) >> 2) as i32)
            .wrapping_add(a << 1)
    };
    for (a, b) in [(7, 100), (-3, 1 << 30), (0x1234, -1), (1000, 2000)] {
        assert_eq!(
            call(&mut s, i, "f", &[Val::I32(a), Val::I32(b)]).unwrap(),
            [Val::I32(f(a, b))],
            "f({a}, {b})"
        );
    }
    // The `B` forms are there: `f`'s `x - y` and the second of two adds in a row, `g`'s
    // `u - k`.
    let module = crate::Module::new(&Engine::default(), &wat::parse_str(B_FORMS).unwrap()).unwrap();
    for (func, n) in [(0, 2), (1, 1)] {
        let code = &module.inner.code[func].code;
        let b_forms = code
            .iter()
            .filter(|i| {
                matches!(
                    i,
                    crate::compile::Instr::I32SubB { .. }
                        | crate::compile::Instr::I32LtSB { .. }
                        | crate::compile::Instr::I32AddB { .. }
                        | crate::compile::Instr::I64SubB { .. }
                )
            })
            .count();
        assert_eq!(b_forms, n, "{code:?}");
    }
    for (p, k) in [(8i32, 9i64), (0, -13), (8, i64::MAX)] {
        let x = if p == 8 { -2.25 } else { 1.5 };
        let u = k.wrapping_mul(7).wrapping_sub(k / 2);
        let expected = 10.0 + 1.5 * x + u as f64;
        assert_eq!(
            call(&mut s, i, "g", &[Val::I32(p), Val::I64(k)]).unwrap(),
            [Val::F64(expected.to_bits())],
            "g({p}, {k})"
        );
    }
}

/// Unsigned division and remainder by constants (translated to multiplications, their
/// operand from a slot or from the accumulator) against Rust's operators.
#[test]
fn unsigned_division_by_constants_computes_what_the_operators_say() {
    let (mut s, i) = instantiate(
        r#"(module
          (func (export "d64") (param $n i64) (result i64 i64 i64 i64 i64 i64)
            (i64.div_u (local.get $n) (i64.const 40000))
            (i64.rem_u (local.get $n) (i64.const 40000))
            (i64.rem_u (i64.xor (local.get $n) (i64.const 0x55)) (i64.const 7))
            (i64.div_u (i64.xor (local.get $n) (i64.const 0x55)) (i64.const -1))
            (i64.rem_u (local.get $n) (i64.const -3))
            (i64.div_u (local.get $n) (i64.const 0x7fffffff)))
          (func (export "d32") (param $n i32) (result i32 i32 i32 i32 i32)
            (i32.div_u (local.get $n) (i32.const 10))
            (i32.rem_u (local.get $n) (i32.const 10))
            (i32.rem_u (i32.add (local.get $n) (i32.const 1)) (i32.const -1))
            (i32.div_u (i32.add (local.get $n) (i32.const 1)) (i32.const 0x80000001))
            (i32.div_u (local.get $n) (i32.const 1))))"#,
    );
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut ns: Vec<u64> = vec![0, 1, 39_999, 40_000, u64::MAX, u64::MAX - 2, 1 << 63];
    for _ in 0..300 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ns.push(x >> (x % 64));
    }
    for &n in &ns {
        let m = n ^ 0x55;
        let expected = [
            n / 40000,
            n % 40000,
            m % 7,
            m / u64::MAX,
            n % (u64::MAX - 2),
            n / 0x7fff_ffff,
        ];
        assert_eq!(
            call(&mut s, i, "d64", &[Val::I64(n as i64)]).unwrap(),
            expected.map(|v| Val::I64(v as i64)),
            "n = {n}"
        );
        let n = n as u32;
        let m = n.wrapping_add(1);
        let expected = [n / 10, n % 10, m % u32::MAX, m / 0x8000_0001, n];
        assert_eq!(
            call(&mut s, i, "d32", &[Val::I32(n as i32)]).unwrap(),
            expected.map(|v| Val::I32(v as i32)),
            "n = {n}"
        );
    }
}

#[test]
fn handlers_cover_every_instruction_in_tag_order() {
    // The dispatch finds a handler by the instruction's tag (`repr(u16)`: its variant's
    // index): the table must list one handler per variant, in declaration order. Each
    // example below is built from the same list as the table, so a tag equal to its
    // position proves the two orders agree.
    let all = crate::compile::ONE_OF_EACH;
    let (plain, fuel) = super::run::handler_count();
    assert_eq!(all.len(), plain);
    assert_eq!(all.len(), fuel);
    for (i, instr) in all.iter().enumerate() {
        assert_eq!(super::run::tag(instr), i, "{instr:?}");
        // The translator's safe reading of the tag agrees with the executor's.
        assert_eq!(instr.tag(), i, "{instr:?}");
    }
}

#[test]
fn fused_shadow_stack_updates_compute_as_the_operators_do() {
    let wat = r#"(module
        (global $sp (export "sp") (mut i32) (i32.const 16))
        (global $sp64 (export "sp64") (mut i64) (i64.const 5))
        (func (export "f") (result i32) (local $fp i32)
          ;; 16 - 32 wraps below zero; the epilogue adds 8 only.
          (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 32))))
          (global.set $sp (i32.add (local.get $fp) (i32.const 8)))
          (local.get $fp))
        (func (export "g") (result i64) (local $fp i64)
          (global.set $sp64 (local.tee $fp (i64.add (global.get $sp64) (i64.const -7))))
          (local.get $fp)))"#;
    let engine = crate::Engine::default();
    let module = crate::Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = crate::Store::new(&engine, ());
    let instance = crate::Linker::new()
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let mut out = [crate::Val::I32(0)];
    f.call(&mut store, &[], &mut out).unwrap();
    assert_eq!(out[0], crate::Val::I32(-16));
    let sp = instance.get_global(&store, "sp").unwrap();
    assert_eq!(sp.get(&store).unwrap(), crate::Val::I32(-8));
    let g = instance.get_func(&store, "g").unwrap();
    let mut out = [crate::Val::I64(0)];
    g.call(&mut store, &[], &mut out).unwrap();
    assert_eq!(out[0], crate::Val::I64(-2));
    let sp64 = instance.get_global(&store, "sp64").unwrap();
    assert_eq!(sp64.get(&store).unwrap(), crate::Val::I64(-2));
}

/// The constant pool sits between the locals and the operand slots: calls, a `br_table`
/// moving a value, `select` and bulk memory (which read consecutive operand slots) all
/// see the operand slots where the renumbering put them, and a callee with a pool of its
/// own leaves the caller's intact.
#[test]
fn constant_pools_survive_calls_and_operand_slots_move_above_them() {
    let (mut s, i) = instantiate(
        r#"(module (memory 1)
          (func $mix (param i64 i64) (result i64) (local i64 i64 i64 i64 i64 i64)
            (local.set 2 (local.get 0))
            (loop $l
              (local.set 2 (i64.add (i64.mul (local.get 2) (i64.const 0x100000001b3)) (local.get 1)))
              (local.set 3 (i64.add (local.get 3) (i64.const 1)))
              (br_if $l (i64.lt_u (local.get 3) (i64.const 3))))
            (local.get 2))
          (func (export "f") (param $n i32) (result i64) (local $acc i64) (local $i i32)
            (loop $l
              (local.set $acc (i64.xor
                (call $mix (local.get $acc) (i64.const 0x9e3779b97f4a7c15))
                (i64.const 0x0123456789abcdef)))
              (local.set $acc (i64.add (local.get $acc)
                (block $b (result i64)
                  (block $a (result i64)
                    (i64.const 5)
                    (i64.const 0x7777777777777)
                    (br_table $a $b (i32.and (local.get $i) (i32.const 1)))))))
              (local.set $acc
                (select (local.get $acc) (i64.const 0x5555555555555555)
                  (i32.and (local.get $i) (i32.const 2))))
              (memory.fill (i32.const 16) (i32.wrap_i64 (local.get $acc)) (i32.const 8))
              (local.set $acc (i64.add (local.get $acc) (i64.load (i32.const 16))))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                  (local.get $n))))
            (local.get $acc)))"#,
    );
    let mix =
        |a: u64, b: u64| (0..3).fold(a, |x, _| x.wrapping_mul(0x100_0000_01b3).wrapping_add(b));
    let mut acc = 0u64;
    for i in 0..7u32 {
        acc = mix(acc, 0x9e37_79b9_7f4a_7c15) ^ 0x0123_4567_89ab_cdef;
        acc = acc.wrapping_add(0x7_7777_7777_7777);
        if i & 2 == 0 {
            acc = 0x5555_5555_5555_5555;
        }
        acc = acc.wrapping_add(u64::from_le_bytes([acc as u8; 8]));
    }
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(7)]).unwrap(),
        [Val::I64(acc as i64)]
    );
}

#[test]
fn bounds_test_of_memory_accesses_never_wraps() {
    use super::run::in_bounds_4 as ok;
    // The last four bytes, and one past them.
    assert_eq!(ok(65536, 65532, 0), Some(65532));
    assert_eq!(ok(65536, 65530, 2), Some(65532));
    assert_eq!(ok(65536, 65533, 0), None);
    assert_eq!(ok(65536, 0, 65533), None);
    // A memory shorter than the access; an empty one.
    assert_eq!(ok(3, 0, 0), None);
    assert_eq!(ok(0, 0, 0), None);
    // 64-bit addresses whose sum with the offset and the size wraps around to a small
    // number must not pass.
    assert_eq!(ok(65536, u64::MAX, 0), None);
    assert_eq!(ok(65536, u64::MAX - 3, 0), None);
    assert_eq!(ok(65536, u64::MAX - 2, 0), None);
    assert_eq!(ok(65536, u64::MAX - u64::from(u32::MAX), u32::MAX), None);
    assert_eq!(ok(usize::MAX, u64::MAX - 4, 0), Some(usize::MAX - 4));
    assert_eq!(ok(usize::MAX, u64::MAX - 3, 0), None);
    assert_eq!(ok(65536, 1, u32::MAX), None);
}

/// A call zeroes only the locals its body may read before writing; the others keep
/// whatever an earlier call left in those cells, which nothing reads. A local written on
/// one path only, or in a loop after its first read, still reads zero.
#[test]
fn locals_read_before_written_on_some_path_start_at_zero() {
    let (mut s, i) = instantiate(
        r#"(module
          (func $dirty (local i64 i64 i64 i64 i64 i64 i64 i64)
            (local.set 0 (i64.const -1)) (local.set 1 (i64.const -1))
            (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
            (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1))
            (local.set 6 (i64.const -1)) (local.set 7 (i64.const -1)))
          (func $one_path (param $c i32) (result i64) (local $x i64) (local $y i64)
            (local.set $y (i64.const 7))
            (if (local.get $c) (then (local.set $x (i64.const 5))))
            (i64.add (local.get $x) (local.get $y)))
          (func $loop (param $n i32) (result i64) (local $sum i64) (local $prev i64)
            (loop $l
              (local.set $sum (i64.add (local.get $sum) (local.get $prev)))
              (local.set $prev (i64.extend_i32_u (local.get $n)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))
          (func $br_table (param $k i32) (result i64) (local $x i64)
            (block $b
              (block $a (br_table $a $b (local.get $k)))
              (local.set $x (i64.const 3)))
            (local.get $x))
          (func (export "f") (param i32) (result i64)
            (call $dirty)
            (call $one_path (local.get 0)))
          (func (export "g") (param i32) (result i64)
            (call $dirty)
            (call $loop (local.get 0)))
          (func (export "h") (param i32) (result i64)
            (call $dirty)
            (call $br_table (local.get 0))))"#,
    );
    assert_eq!(call(&mut s, i, "f", &[Val::I32(0)]).unwrap(), [Val::I64(7)]);
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(1)]).unwrap(),
        [Val::I64(12)]
    );
    // 0 + 3 + 2 (prev is zero on the first iteration).
    assert_eq!(call(&mut s, i, "g", &[Val::I32(3)]).unwrap(), [Val::I64(5)]);
    assert_eq!(call(&mut s, i, "h", &[Val::I32(1)]).unwrap(), [Val::I64(0)]);
    assert_eq!(call(&mut s, i, "h", &[Val::I32(0)]).unwrap(), [Val::I64(3)]);
}

/// A long run of branches, calls and returns on a thread with a small host stack: the
/// handlers' chain stays within it whether their calls of each other are jumps (then it
/// uses no stack) or calls (then it returns to the loop in `run` before it uses much).
#[test]
fn long_runs_fit_a_small_host_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let (mut s, i) = instantiate(
                r#"(module
                  (func $step (param i32) (result i32)
                    (if (result i32) (i32.and (local.get 0) (i32.const 1))
                      (then (i32.add (local.get 0) (i32.const 3)))
                      (else (i32.sub (local.get 0) (i32.const 1)))))
                  (func (export "f") (param $n i32) (result i32) (local $x i32)
                    (loop $l
                      (local.set $x (call $step (local.get $x)))
                      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                    (local.get $x)))"#,
            );
            call(&mut s, i, "f", &[Val::I32(300_000)]).unwrap()
        })
        .unwrap();
    // 0 -> 0 - 1 = -1 (odd) -> 2 -> 1 -> 4 -> 3 -> 6 ...: +1 every two steps after the first.
    let mut x = 0i32;
    for _ in 0..300_000 {
        x = if x & 1 != 0 { x + 3 } else { x - 1 };
    }
    assert_eq!(worker.join().unwrap(), [Val::I32(x)]);
}

#[test]
fn stores_of_constants() {
    // Each width of `StoreImm…`, a 64-bit constant sign-extended from 32 bits and one
    // that does not fit (a plain store), and the trap past the end.
    let (mut s, i) = instantiate(
        r#"(module (memory 1)
          (func (export "f") (param i32) (result i64)
            (i64.store (local.get 0) (i64.const -1))
            (i32.store8 offset=1 (local.get 0) (i32.const 0x1234))
            (i32.store16 offset=2 (local.get 0) (i32.const 0x5678))
            (i64.load (local.get 0)))
          (func (export "g") (param i32) (result i64)
            (i64.store (local.get 0) (i64.const 0x80000000))
            (i64.store32 offset=8 (local.get 0) (i64.const -2))
            (f32.store offset=12 (local.get 0) (f32.const 1))
            (i64.add (i64.load (local.get 0)) (i64.load offset=8 (local.get 0)))))"#,
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(8)]).unwrap(),
        [Val::I64(0xffff_ffff_5678_34ff_u64 as i64)]
    );
    assert_eq!(
        call(&mut s, i, "g", &[Val::I32(16)]).unwrap(),
        [Val::I64(0x8000_0000 + 0x3f80_0000_ffff_fffe)]
    );
    assert_eq!(
        trap_kind(call(&mut s, i, "f", &[Val::I32(65536 - 4)])),
        TrapKind::MemoryOutOfBounds
    );
}
