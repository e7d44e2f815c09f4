//! Tail calls (`return_call`, `return_call_indirect`): constant stack space on both of
//! Folio's stacks, exact fuel, the depth limit untouched, host and cross-instance
//! callees, resumable calls, and the proposal flag.

use folio::{
    Caller, Config, Engine, Error, Linker, Module, Proposals, Store, Trap, TrapKind,
    TypedResumableCall,
};

/// Mutual tail recursion `even`/`odd` over an `i64`, a third function in the cycle
/// through a table (`return_call_indirect`), and the same recursion with plain calls.
const EVEN_ODD: &str = r#"(module
  (type $t (func (param i64) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $via_table)
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $t)
              (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func $via_table (param i64) (result i32)
    ;; Locals beyond the parameter, zeroed at each entry, and a constant pool.
    (local $scratch i64) (local $more f64)
    (local.set $scratch (i64.add (local.get $scratch) (local.get 0)))
    (return_call $even (local.get 0)))
  (func $even_plain (export "even_plain") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (call $odd_plain (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd_plain (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $even_plain (i64.sub (local.get 0) (i64.const 1)))))))"#;

fn engine_with(f: impl FnOnce(&mut Config)) -> Engine {
    let mut config = Config::default();
    f(&mut config);
    Engine::new(&config)
}

fn instance(engine: &Engine, wat: &str) -> (Store<()>, folio::Instance) {
    let wasm = wat::parse_str(wat).unwrap();
    let module = Module::new(engine, &wasm).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn trap_kind(e: &Error) -> Option<TrapKind> {
    e.as_trap().map(Trap::kind)
}

#[test]
fn a_million_mutual_tail_calls_run_with_the_default_limits() {
    let (mut store, instance) = instance(&Engine::default(), EVEN_ODD);
    let even = instance.get_typed_func::<i64, i32>(&store, "even").unwrap();
    assert_eq!(even.call(&mut store, 1_000_000).unwrap(), 1);
    assert_eq!(even.call(&mut store, 1_000_001).unwrap(), 0);
    // The same recursion with plain calls exhausts the default depth (10,000).
    let plain = instance
        .get_typed_func::<i64, i32>(&store, "even_plain")
        .unwrap();
    let err = plain.call(&mut store, 1_000_000).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::StackExhausted), "{err}");
}

#[test]
fn tail_calls_take_no_depth_and_constant_value_stack() {
    // Two frames' worth of depth and a value stack of a few hundred cells: a plain
    // recursion of 10 fails, a tail recursion of 10^6 runs.
    let engine = engine_with(|c| {
        c.max_call_depth(2).max_value_stack(256);
    });
    let (mut store, instance) = instance(&engine, EVEN_ODD);
    let even = instance.get_typed_func::<i64, i32>(&store, "even").unwrap();
    assert_eq!(even.call(&mut store, 1_000_000).unwrap(), 1);
    let plain = instance
        .get_typed_func::<i64, i32>(&store, "even_plain")
        .unwrap();
    let err = plain.call(&mut store, 10).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::StackExhausted), "{err}");
    // A tail call still needs room for its callee's frame: a callee whose frame does not
    // fit in the value stack traps as a call would.
    let wide = r#"(module
      (func $big (param i32) (result i32)
        (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        (local.get 0))
      (func (export "f") (result i32) (return_call $big (i32.const 7))))"#;
    let engine = engine_with(|c| {
        c.max_value_stack(8);
    });
    let (mut store, instance) = self::instance(&engine, wide);
    let f = instance.get_typed_func::<(), i32>(&store, "f").unwrap();
    let err = f.call(&mut store, ()).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::StackExhausted), "{err}");
    let (mut store, instance) = self::instance(&Engine::default(), wide);
    let f = instance.get_typed_func::<(), i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 7);
}

#[test]
fn fuel_is_exact_and_linear_in_the_tail_calls() {
    let engine = engine_with(|c| {
        c.consume_fuel(true);
    });
    let (mut store, instance) = instance(&engine, EVEN_ODD);
    let even = instance.get_typed_func::<i64, i32>(&store, "even").unwrap();
    let mut spent = |n: i64| {
        store.set_fuel(1 << 40).unwrap();
        even.call(&mut store, n).unwrap();
        (1 << 40) - store.get_fuel().unwrap()
    };
    // Three calls of the cycle even -> odd -> via_table -> even cost the same each.
    let (a, b, c) = (spent(30), spent(60), spent(90));
    assert!(b > a, "{a} {b}");
    assert_eq!(c - b, b - a, "fuel per cycle varies: {a} {b} {c}");
    // A tank that ends within the recursion traps with out-of-fuel, not later.
    store.set_fuel(a - 1).unwrap();
    let err = even.call(&mut store, 30).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::OutOfFuel), "{err}");
}

#[test]
fn resumable_calls_suspend_and_resume_inside_tail_recursion() {
    let engine = engine_with(|c| {
        c.consume_fuel(true);
    });
    let (mut store, instance) = instance(&engine, EVEN_ODD);
    let even = instance.get_typed_func::<i64, i32>(&store, "even").unwrap();
    store.set_fuel(1 << 40).unwrap();
    even.call(&mut store, 10_001).unwrap();
    let whole = (1 << 40) - store.get_fuel().unwrap();
    let (mut spent, mut given, mut suspensions) = (0, 97, 0);
    store.set_fuel(given).unwrap();
    let mut call = even.call_resumable(&mut store, 10_001).unwrap();
    let result = loop {
        match call {
            TypedResumableCall::Finished(r) => {
                spent += given - store.get_fuel().unwrap();
                break r;
            }
            TypedResumableCall::OutOfFuel(suspended) => {
                spent += given - store.get_fuel().unwrap();
                suspensions += 1;
                given = suspended.required_fuel().max(97);
                store.set_fuel(given).unwrap();
                call = suspended.resume(&mut store).unwrap();
            }
            TypedResumableCall::HostTrap(_) => panic!("no host functions here"),
        }
    };
    assert_eq!(result, 0);
    assert_eq!(spent, whole);
    assert!(suspensions > 100, "{suspensions}");
}

#[test]
fn return_call_indirect_checks_the_element_as_call_indirect_does() {
    let wat = r#"(module
      (type $i (func (result i32)))
      (type $l (func (result i64)))
      (table 3 funcref)
      (elem (i32.const 0) $seven $wide)
      (func $seven (result i32) (i32.const 7))
      (func $wide (result i64) (i64.const 8))
      (func (export "at") (param i32) (result i32)
        (return_call_indirect (type $i) (local.get 0))))"#;
    let (mut store, instance) = instance(&Engine::default(), wat);
    let at = instance.get_typed_func::<i32, i32>(&store, "at").unwrap();
    assert_eq!(at.call(&mut store, 0).unwrap(), 7);
    let kind = |store: &mut Store<()>, i| trap_kind(&at.call(store, i).unwrap_err());
    assert_eq!(
        kind(&mut store, 1),
        Some(TrapKind::IndirectCallTypeMismatch)
    );
    assert_eq!(kind(&mut store, 2), Some(TrapKind::UninitializedElement));
    assert_eq!(kind(&mut store, 3), Some(TrapKind::UndefinedElement));
    assert_eq!(kind(&mut store, -1), Some(TrapKind::UndefinedElement));
}

#[test]
fn a_tail_call_of_a_host_function_returns_its_results() {
    let engine = Engine::default();
    let mut linker = Linker::new();
    linker
        .func_wrap("env", "pair", |mut caller: Caller<'_, u32>, x: i32| {
            *caller.data_mut() += 1;
            (x * 2, i64::from(x) << 40)
        })
        .unwrap();
    let wasm = wat::parse_str(
        r#"(module
          (import "env" "pair" (func $pair (param i32) (result i32 i64)))
          (table funcref (elem $pair))
          (func (export "direct") (param i32) (result i32 i64)
            (return_call $pair (local.get 0)))
          (func (export "indirect") (param i32) (result i32 i64)
            (return_call_indirect (param i32) (result i32 i64) (local.get 0) (i32.const 0)))
          (func (export "nested") (param i32) (result i32)
            (i32.wrap_i64 (call $tail (local.get 0))) (drop) (i32.const 5))
          (func $tail (param i32) (result i64)
            (return_call $second (local.get 0)))
          (func $second (param i32) (result i64)
            (call $pair (local.get 0)) (return)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, 0u32);
    let instance = linker
        .instantiate(&mut store, &Module::new(&engine, &wasm).unwrap())
        .unwrap();
    let direct = instance
        .get_typed_func::<i32, (i32, i64)>(&store, "direct")
        .unwrap();
    assert_eq!(direct.call(&mut store, 21).unwrap(), (42, 21 << 40));
    let indirect = instance
        .get_typed_func::<i32, (i32, i64)>(&store, "indirect")
        .unwrap();
    assert_eq!(indirect.call(&mut store, -3).unwrap(), (-6, -3 << 40));
    let nested = instance
        .get_typed_func::<i32, i32>(&store, "nested")
        .unwrap();
    assert_eq!(nested.call(&mut store, 1).unwrap(), 5);
    assert_eq!(*store.data(), 3);
}

#[test]
fn a_tail_call_into_another_instance_uses_that_instance_and_returns_to_the_caller() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    // The library reads its own memory 0; the app's memory 0 holds other bytes.
    let lib = wat::parse_str(
        r#"(module
          (memory 1) (data (i32.const 0) "\2a")
          (func (export "load") (param i32) (result i32)
            (i32.load8_u (local.get 0)))
          (func (export "count") (param i32 i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.add (local.get 1) (i32.load8_u (i32.const 0))))
              (else (return_call 1 (i32.sub (local.get 0) (i32.const 1))
                                   (i32.add (local.get 1) (i32.const 1)))))))"#,
    )
    .unwrap();
    let lib = linker
        .instantiate(&mut store, &Module::new(&engine, &lib).unwrap())
        .unwrap();
    linker.instance(&store, "lib", lib).unwrap();
    let app = wat::parse_str(
        r#"(module
          (import "lib" "load" (func $load (param i32) (result i32)))
          (import "lib" "count" (func $count (param i32 i32) (result i32)))
          (memory 1) (data (i32.const 0) "\07")
          (func $tail (param i32) (result i32) (return_call $load (local.get 0)))
          (func (export "both") (result i32)
            ;; 42 from the library's memory, then 7 from the app's after the return.
            (i32.add (i32.mul (call $tail (i32.const 0)) (i32.const 100))
                     (i32.load8_u (i32.const 0))))
          (func (export "count") (param i32) (result i32)
            (return_call $count (local.get 0) (i32.const 0))))"#,
    )
    .unwrap();
    let app = linker
        .instantiate(&mut store, &Module::new(&engine, &app).unwrap())
        .unwrap();
    let both = app.get_typed_func::<(), i32>(&store, "both").unwrap();
    assert_eq!(both.call(&mut store, ()).unwrap(), 4207);
    let count = app.get_typed_func::<i32, i32>(&store, "count").unwrap();
    assert_eq!(count.call(&mut store, 1_000_000).unwrap(), 1_000_042);
}

#[test]
fn tail_calls_need_their_proposal() {
    let wasm = wat::parse_str(
        r#"(module (func $f (result i32) (i32.const 1))
             (func (result i32) (return_call $f)))"#,
    )
    .unwrap();
    let mut proposals = Proposals::ALL;
    proposals.tail_call = false;
    let engine = engine_with(|c| {
        c.proposals(proposals);
    });
    let err = Module::new(&engine, &wasm).unwrap_err();
    assert!(err.to_string().contains("tail call"), "{err}");
    assert!(Module::new(&Engine::default(), &wasm).is_ok());
}

#[test]
fn a_host_function_tail_called_inside_try_table_throws_past_it() {
    use folio::{Error, ExnRef, FuncType, Tag, ValType};
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let tag = Tag::new(&mut store, FuncType::new([ValType::I32], [])).unwrap();
    let mut linker = Linker::new();
    linker.define("env", "e", tag).unwrap();
    linker
        .func_new(
            "env",
            "boom",
            FuncType::new([], [ValType::I32]),
            move |mut caller, _, _| {
                let exn = ExnRef::new(caller.store_mut(), tag, &[folio::Val::I32(7)])?;
                Err(Error::exception(exn))
            },
        )
        .unwrap();
    let wasm = wat::parse_str(
        r#"(module
          (import "env" "e" (tag $e (param i32)))
          (import "env" "boom" (func $boom (result i32)))
          ;; The tail call leaves `inner`: its try_table must not catch.
          (func $inner (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (return_call $boom))
              (i32.const -1))
            (i32.add (i32.const 100)))
          (func (export "outer") (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h) (call $inner)))))"#,
    )
    .unwrap();
    let module = Module::new(&engine, &wasm).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let outer = instance.get_typed_func::<(), i32>(&store, "outer").unwrap();
    // Caught by `outer` (7), not by `inner` (which would give 107).
    assert_eq!(outer.call(&mut store, ()).unwrap(), 7);
}

#[test]
fn return_call_indirect_through_a_64_bit_table_reads_the_whole_index() {
    let wat = r#"(module
      (type $i (func (result i32)))
      (table $t i64 2 funcref)
      (elem (table $t) (i64.const 0) func $seven)
      (func $seven (result i32) (i32.const 7))
      (func (export "at") (param i64) (result i32)
        (return_call_indirect $t (type $i) (local.get 0))))"#;
    let (mut store, instance) = instance(&Engine::default(), wat);
    let at = instance.get_typed_func::<i64, i32>(&store, "at").unwrap();
    assert_eq!(at.call(&mut store, 0).unwrap(), 7);
    // 2^32 would be index 0 if the index were cut to 32 bits.
    for i in [1i64 << 32, 1, -1] {
        let err = at.call(&mut store, i).unwrap_err();
        let want = if i == 1 {
            TrapKind::UninitializedElement
        } else {
            TrapKind::UndefinedElement
        };
        assert_eq!(trap_kind(&err), Some(want), "index {i}: {err}");
    }
}
