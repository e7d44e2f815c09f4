//! Embedder-API behaviour the spec suite does not reach: misuse, linking errors, limits.

extern crate std;

use super::*;
use crate::Module;
use crate::exec::TrapKind;

fn module(wat: &str) -> Module {
    let bytes = wat::parse_str(wat).expect("test WAT is valid");
    Module::new(&Engine::default(), &bytes).expect("test module is valid")
}

fn instantiate(wat: &str) -> (Store<()>, Instance) {
    let mut store = Store::new(&Engine::default(), ());
    let instance = Linker::new()
        .instantiate(&mut store, &module(wat))
        .expect("instantiates");
    (store, instance)
}

#[test]
fn malformed_module_is_an_error_with_offset() {
    let err = Module::new(&Engine::default(), b"\0asm\x01\0\0\0\x05").unwrap_err();
    match err.kind() {
        ErrorKind::Module { offset, .. } => assert!(*offset >= 8),
        other => panic!("expected a module error, got {other:?}"),
    }
}

#[test]
#[cfg(feature = "simd")]
fn simd_runs_unless_switched_off() {
    let bytes = wat::parse_str(
        r#"(module
            (global $g (mut v128) (v128.const i32x4 10 20 30 40))
            (func (export "f") (param $x v128) (param $k i32) (result v128 i32)
                (local $t v128)
                (local.set $t (i32x4.add (local.get $x) (global.get $g)))
                (global.set $g (local.get $t))
                (select (local.get $t) (local.get $x) (local.get $k))
                (i32x4.extract_lane 3 (global.get $g))))"#,
    )
    .unwrap();
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &Module::new(&engine, &bytes).unwrap(), &[]).unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let x = Val::V128(1 | 2 << 32 | 3 << 64 | 4 << 96);
    let mut out = [Val::I32(0), Val::I32(0)];
    f.call(&mut store, &[x, Val::I32(1)], &mut out).unwrap();
    assert_eq!(
        out,
        [Val::V128(11 | 22 << 32 | 33 << 64 | 44 << 96), Val::I32(44)]
    );
    f.call(&mut store, &[x, Val::I32(0)], &mut out).unwrap();
    assert_eq!(out, [x, Val::I32(48)]);

    let mut config = Config::default();
    config.wasm_simd(false);
    let err = Module::new(&Engine::new(&config), &bytes).unwrap_err();
    assert!(err.to_string().contains("SIMD"), "{err}");
}

#[test]
fn unknown_import_names_the_import() {
    let mut store = Store::new(&Engine::default(), ());
    let m = module(r#"(module (import "env" "f" (func)))"#);
    let err = Linker::new().instantiate(&mut store, &m).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("unknown import") && text.contains("env::f"),
        "{text}"
    );
}

#[test]
fn incompatible_import_type_is_a_link_error() {
    let mut store = Store::new(&Engine::default(), ());
    let f = Func::new(&mut store, FuncType::new([ValType::I32], []), |_, _, _| {
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("env", "f", f).unwrap();
    let m = module(r#"(module (import "env" "f" (func (param i64))))"#);
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert!(
        err.to_string().contains("incompatible import type"),
        "{err}"
    );
    // A memory where a function is expected is incompatible too.
    let mem = Memory::new(
        &mut store,
        MemoryType {
            index_type: IndexType::I32,
            page_size_log2: 16,
            min: 1,
            max: None,
            shared: false,
        },
    )
    .unwrap();
    linker.allow_shadowing(true);
    linker.define("env", "f", mem).unwrap();
    assert!(
        linker
            .instantiate(&mut store, &m)
            .unwrap_err()
            .to_string()
            .contains("incompatible")
    );
}

#[test]
fn imported_memory_limits_must_fit() {
    let mut store = Store::new(&Engine::default(), ());
    let ty = MemoryType {
        index_type: IndexType::I32,
        page_size_log2: 16,
        min: 1,
        max: Some(4),
        shared: false,
    };
    let mem = Memory::new(&mut store, ty).unwrap();
    let mut linker = Linker::new();
    linker.define("env", "m", mem).unwrap();
    // Declared max 3 < actual max 4: incompatible.
    let m = module(r#"(module (import "env" "m" (memory 1 3)))"#);
    assert!(linker.instantiate(&mut store, &m).is_err());
    // Declared max 8 >= 4: fine.
    let m = module(r#"(module (import "env" "m" (memory 1 8)))"#);
    assert!(linker.instantiate(&mut store, &m).is_ok());
    // i64 memory where an i32 one is provided: incompatible.
    let m = module(r#"(module (import "env" "m" (memory i64 1)))"#);
    assert!(linker.instantiate(&mut store, &m).is_err());
}

#[test]
fn handles_from_another_store_are_refused() {
    let (store_a, inst) =
        instantiate(r#"(module (memory (export "m") 1) (global (export "g") i32 (i32.const 7)))"#);
    let mut store_b = Store::new(&Engine::default(), ());
    let mem = inst.get_memory(&store_a, "m").unwrap();
    assert!(matches!(
        mem.size(&store_b).unwrap_err().kind(),
        ErrorKind::WrongStore
    ));
    assert!(matches!(
        mem.grow(&mut store_b, 1).unwrap_err().kind(),
        ErrorKind::WrongStore
    ));
    let g = inst.get_global(&store_a, "g").unwrap();
    assert_eq!(g.get(&store_a).unwrap(), Val::I32(7));
    assert!(g.get(&store_b).is_err());
    assert!(inst.get_export(&store_b, "m").is_none());
}

#[test]
fn call_checks_argument_count_and_types() {
    let (mut store, inst) =
        instantiate(r#"(module (func (export "id") (param i32) (result i32) local.get 0))"#);
    let f = inst.get_func(&store, "id").unwrap();
    let mut out = [Val::I32(0)];
    let e = f.call(&mut store, &[], &mut out).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Type(_)), "{e}");
    let e = f.call(&mut store, &[Val::I64(1)], &mut out).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Type(_)), "{e}");
    let e = f.call(&mut store, &[Val::I32(1)], &mut []).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Type(_)), "{e}");
}

#[test]
fn immutable_globals_cannot_be_set() {
    let (mut store, inst) = instantiate(
        r#"(module (global (export "c") i32 (i32.const 1)) (global (export "v") (mut i64) (i64.const 2)))"#,
    );
    let c = inst.get_global(&store, "c").unwrap();
    assert!(c.set(&mut store, Val::I32(5)).is_err());
    let v = inst.get_global(&store, "v").unwrap();
    assert!(v.set(&mut store, Val::I32(5)).is_err(), "wrong type");
    v.set(&mut store, Val::I64(5)).unwrap();
    assert_eq!(v.get(&store).unwrap(), Val::I64(5));
}

#[test]
fn tables_report_bounds_and_grow_to_their_maximum() {
    let (mut store, inst) = instantiate(r#"(module (table (export "t") 2 3 funcref))"#);
    let t = inst.get_table(&store, "t").unwrap();
    assert_eq!(t.size(&store).unwrap(), 2);
    assert_eq!(t.get(&store, 1).unwrap(), Some(Val::FuncRef(None)));
    assert_eq!(t.get(&store, 2).unwrap(), None);
    assert_eq!(t.get(&store, u64::MAX).unwrap(), None);
    assert!(t.set(&mut store, 5, Val::FuncRef(None)).is_err());
    assert!(
        t.set(&mut store, 0, Val::ExternRef(None)).is_err(),
        "wrong element type"
    );
    assert_eq!(t.grow(&mut store, 1, Val::FuncRef(None)).unwrap(), 2);
    assert!(t.grow(&mut store, 1, Val::FuncRef(None)).is_err());
    assert!(t.grow(&mut store, u64::MAX, Val::FuncRef(None)).is_err());
    assert_eq!(t.size(&store).unwrap(), 3);
}

#[test]
fn data_segment_out_of_bounds_fails_instantiation_with_a_trap() {
    let mut store = Store::new(&Engine::default(), ());
    let m = module(r#"(module (memory 1) (data (i32.const 65535) "ab"))"#);
    let err = Linker::new().instantiate(&mut store, &m).unwrap_err();
    assert_eq!(
        err.as_trap().map(|t| t.kind()),
        Some(TrapKind::MemoryOutOfBounds)
    );
}

#[test]
fn earlier_segments_stay_written_when_a_later_one_traps() {
    let mut store = Store::new(&Engine::default(), ());
    let ty = MemoryType {
        index_type: IndexType::I32,
        page_size_log2: 16,
        min: 1,
        max: None,
        shared: false,
    };
    let mem = Memory::new(&mut store, ty).unwrap();
    let mut linker = Linker::new();
    linker.define("env", "m", mem).unwrap();
    let m = module(
        r#"(module (import "env" "m" (memory 1)) (data (i32.const 0) "hi") (data (i32.const 65536) "x"))"#,
    );
    assert!(linker.instantiate(&mut store, &m).is_err());
    assert_eq!(&mem.data(&store).unwrap()[..2], b"hi");
}

#[test]
fn exports_are_listed_in_order() {
    let (store, inst) = instantiate(
        r#"(module (func (export "b")) (memory (export "a") 1) (global (export "c") i32 (i32.const 0)))"#,
    );
    let names: Vec<_> = inst.exports(&store).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["b", "a", "c"]);
    let m = module(
        r#"(module (import "x" "y" (global i64)) (memory (export "m") i64 2 5 (pagesize 1)))"#,
    );
    let (modname, name, ty) = m.imports().next().unwrap();
    assert_eq!((modname, name), ("x", "y"));
    assert!(matches!(ty, ExternType::Global(_)));
    let mt = m.memories()[0];
    assert_eq!(
        (mt.index_type, mt.page_size_log2, mt.min, mt.max),
        (IndexType::I64, 0, 2, Some(5))
    );
}

#[test]
fn error_is_one_word() {
    assert_eq!(core::mem::size_of::<Error>(), core::mem::size_of::<usize>());
    assert_eq!(
        core::mem::size_of::<Result<(), Error>>(),
        core::mem::size_of::<usize>()
    );
}

#[test]
fn a_host_exit_unwinds_every_frame_with_its_status() {
    let mut store = Store::new(&Engine::default(), 0u32);
    let mut linker = Linker::new();
    linker
        .func_new(
            "host",
            "exit",
            FuncType::new([ValType::I32], []),
            |_, args, _| match args {
                [Val::I32(status)] => Err(Error::i32_exit(*status)),
                _ => Err(crate::Trap::host("bad arguments").into()),
            },
        )
        .unwrap();
    // The exit happens two Wasm frames deep; the code after the call never runs.
    let m = module(
        r#"(module (import "host" "exit" (func $exit (param i32)))
             (global $after (export "after") (mut i32) (i32.const 0))
             (func $inner (call $exit (i32.const 42)) (global.set $after (i32.const 1)))
             (func (export "main") (call $inner) (global.set $after (i32.const 2))))"#,
    );
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let main = instance.get_func(&store, "main").unwrap();
    let err = main.call(&mut store, &[], &mut []).unwrap_err();
    let trap = err.as_trap().expect("an exit is a trap value");
    assert_eq!(trap.kind(), TrapKind::Exit);
    assert_eq!(trap.exit_status(), Some(42));
    assert_eq!(err.to_string(), "exit with status 42");
    let after = instance.get_global(&store, "after").unwrap();
    assert_eq!(after.get(&store).unwrap(), Val::I32(0));
    // Other traps carry no status, and the store stays usable after an exit.
    assert_eq!(crate::Trap::host("x").exit_status(), None);
    assert_eq!(crate::Trap::new(TrapKind::Unreachable).exit_status(), None);
    assert!(main.call(&mut store, &[], &mut []).is_err());
}

#[test]
fn memory_bytes_and_host_data_borrow_together() {
    let mut store = Store::new(&Engine::default(), Vec::<u8>::new());
    let memory = Memory::new(&mut store, MemoryType::i32(1, Some(1))).unwrap();
    {
        let (bytes, log) = memory.data_and_store_mut(&mut store).unwrap();
        bytes[..3].copy_from_slice(b"abc");
        log.extend_from_slice(&bytes[1..3]);
    }
    assert_eq!(store.data().as_slice(), b"bc");
    assert_eq!(&memory.data(&store).unwrap()[..3], b"abc");
    let mut other = Store::new(&Engine::default(), Vec::<u8>::new());
    let err = memory.data_and_store_mut(&mut other).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore));
}

#[test]
fn one_linker_serves_many_stores_and_threads() {
    fn shared<L: Send + Sync>(_: &L) {}
    let mut linker = Linker::<u32>::new();
    linker
        .func_new(
            "host",
            "id",
            FuncType::new([], [crate::ValType::I32]),
            |caller, _, results| {
                results[0] = Val::I32(*caller.data() as i32);
                Ok(())
            },
        )
        .unwrap();
    shared(&linker);
    let m = module(
        r#"(module (import "host" "id" (func $id (result i32)))
             (import "host" "id" (func $again (result i32)))
             (func (export "f") (result i32) (i32.add (call $id) (call $again))))"#,
    );
    let linker = &linker;
    let m = &m;
    std::thread::scope(|scope| {
        for t in 0..2u32 {
            scope.spawn(move || {
                for k in 0..100u32 {
                    let mut store = Store::new(&Engine::default(), t * 1000 + k);
                    let instance = linker.instantiate(&mut store, m).unwrap();
                    // Both imports are the one placement of the definition in this store.
                    assert_eq!(store.host_funcs.len(), 1);
                    let f = instance.get_func(&store, "f").unwrap();
                    let mut out = [Val::I32(0)];
                    f.call(&mut store, &[], &mut out).unwrap();
                    assert_eq!(out, [Val::I32(2 * (t * 1000 + k) as i32)]);
                    // Asked again, the linker gives the same function.
                    let a = linker.get(&mut store, "host", "id");
                    let b = linker.get(&mut store, "host", "id");
                    assert!(
                        matches!((a, b), (Some(Extern::Func(a)), Some(Extern::Func(b))) if a == b)
                    );
                    assert_eq!(store.host_funcs.len(), 1);
                }
            });
        }
    });
}

#[test]
fn defining_a_name_twice_is_an_error_unless_shadowing_is_allowed() {
    let ty = || FuncType::new([], []);
    let mut linker = Linker::<()>::new();
    linker
        .func_new("host", "f", ty(), |_, _, _| Ok(()))
        .unwrap();
    let e = linker
        .func_new("host", "f", ty(), |_, _, _| Ok(()))
        .err()
        .expect("a second definition of host::f is refused");
    assert!(
        e.to_string().contains("`host::f` is already defined"),
        "{e}"
    );
    // Another name, or the same one with shadowing allowed, is fine: the later wins.
    linker
        .func_new("host", "g", ty(), |_, _, _| Ok(()))
        .unwrap();
    linker.allow_shadowing(true);
    linker
        .func_new("host", "f", ty(), |_, _, _| {
            Err(crate::Trap::host("the second").into())
        })
        .unwrap();
    let m = module(r#"(module (import "host" "f" (func $f)) (func (export "run") (call $f)))"#);
    let mut store = Store::new(&Engine::default(), ());
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let run = instance.get_func(&store, "run").unwrap();
    let e = run.call(&mut store, &[], &mut []).unwrap_err();
    assert!(e.to_string().contains("the second"), "{e}");
}

#[test]
fn the_limiter_bounds_how_many_instances_tables_and_memories_a_store_holds() {
    struct Counts;
    impl crate::memory::Limiter for Counts {
        fn memory_growing(
            &mut self,
            _: u64,
            _: u64,
            _: Option<u64>,
        ) -> Result<(), crate::memory::LimiterRefusal> {
            Ok(())
        }
        fn table_growing(
            &mut self,
            _: u64,
            _: u64,
            _: Option<u64>,
        ) -> Result<(), crate::memory::LimiterRefusal> {
            Ok(())
        }
        fn instances(&self) -> usize {
            2
        }
        fn tables(&self) -> usize {
            3
        }
        fn memories(&self) -> usize {
            2
        }
    }
    let refused = |wat: &str| {
        let mut store = Store::new(&Engine::default(), ());
        store.set_limiter(Counts);
        let e = Linker::new()
            .instantiate(&mut store, &module(wat))
            .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::StoreLimit(_)), "{e}");
        e.to_string()
    };
    let e =
        refused("(module (table 0 funcref) (table 0 funcref) (table 0 funcref) (table 0 funcref))");
    assert!(e.contains("holds 3 tables"), "{e}");
    let e = refused("(module (memory 0) (memory 0) (memory 0))");
    assert!(e.contains("holds 2 memories"), "{e}");
    // Instances: two fit, the third does not.
    let mut store = Store::new(&Engine::default(), ());
    store.set_limiter(Counts);
    let m = module("(module (table 1 funcref) (memory 0))");
    let linker = Linker::new();
    linker.instantiate(&mut store, &m).unwrap();
    linker.instantiate(&mut store, &m).unwrap();
    let e = linker.instantiate(&mut store, &m).unwrap_err();
    assert!(e.to_string().contains("holds 2 instances"), "{e}");
}

#[test]
fn typed_calls_check_the_signature_once_and_convert_every_type() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "mix") (param i32 i64 f32 f64) (result f64 i64)
              (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
                       (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)))
              (i64.extend_i32_u (local.get 0)))
            (func (export "id") (param funcref) (result funcref) (local.get 0))
            (func (export "unit")))"#,
    );
    let mix = instance
        .get_typed_func::<(i32, i64, f32, f64), (f64, i64)>(&store, "mix")
        .unwrap();
    assert_eq!(
        mix.call(&mut store, (-1, 10, 0.5, 0.25)).unwrap(),
        (9.75, 0xffff_ffff)
    );
    // u32 and u64 are i32 and i64 read unsigned.
    let mix_u = instance
        .get_typed_func::<(u32, u64, f32, f64), (f64, u64)>(&store, "mix")
        .unwrap();
    assert_eq!(mix_u.call(&mut store, (1, 2, 0.0, 0.0)).unwrap(), (3.0, 1));

    let id = instance
        .get_typed_func::<Option<Func>, Option<Func>>(&store, "id")
        .unwrap();
    assert_eq!(id.call(&mut store, None).unwrap(), None);
    let f = mix.func();
    assert_eq!(id.call(&mut store, Some(f)).unwrap(), Some(f));
    let unit = instance.get_typed_func::<(), ()>(&store, "unit").unwrap();
    unit.call(&mut store, ()).unwrap();

    let wrong = instance
        .get_typed_func::<i32, i32>(&store, "mix")
        .unwrap_err();
    assert!(matches!(wrong.kind(), ErrorKind::Type(_)), "{wrong}");
    assert!(wrong.to_string().contains("(param f32)"), "{wrong}");
    let missing = instance
        .get_typed_func::<(), ()>(&store, "nope")
        .unwrap_err();
    assert!(matches!(missing.kind(), ErrorKind::Export(_)), "{missing}");

    // A handle of another store, and a reference from another store as a parameter.
    let mut other = Store::new(&Engine::default(), ());
    let e = unit.call(&mut other, ()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::WrongStore));
    let foreign = Func::wrap(&mut other, || {});
    let e = id.call(&mut store, Some(foreign)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::WrongStore));
}

/// An error type of the embedder's, to come back out of a call through Wasm frames.
#[derive(Debug, PartialEq)]
struct Yield(u32);

impl core::fmt::Display for Yield {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "yield {}", self.0)
    }
}

#[test]
fn wrapped_host_functions_take_typed_values_a_caller_and_return_errors() {
    let engine = Engine::default();
    let m = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module
                (import "host" "add" (func $add (param i32 i64) (result i64)))
                (import "host" "count" (func $count (param f32)))
                (import "host" "pair" (func $pair (result i32 f64)))
                (import "host" "fail" (func $fail (param i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "run") (param i32) (result i64)
                  (call $count (f32.const 1.5))
                  (call $count (f32.const 2.5))
                  (call $pair) (drop) (drop)
                  (call $add (local.get 0) (i64.const 100)))
                (func (export "fail") (param i32) (result i32)
                  (i32.add (call $fail (local.get 0)) (i32.const 1))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, 0.0f32);
    let mut linker = Linker::new();
    linker
        .func_wrap("host", "add", |a: i32, b: i64| i64::from(a) + b)
        .unwrap()
        .func_wrap("host", "count", |mut caller: Caller<'_, f32>, x: f32| {
            *caller.data_mut() += x;
            // The caller's exports are at hand: the memory, written through the handle.
            let memory = caller.get_export("memory").and_then(Extern::into_memory);
            memory.unwrap().write(caller.store_mut(), 0, &[7]).unwrap();
        })
        .unwrap()
        .func_wrap("host", "pair", || (1i32, 2.0f64))
        .unwrap()
        .func_wrap("host", "fail", |x: i32| -> Result<i32, Error> {
            if x == 0 {
                Ok(x)
            } else {
                Err(Error::host(Yield(x as u32)))
            }
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), 105);
    assert_eq!(*store.data(), 4.0);
    let memory = instance.get_memory(&store, "memory").unwrap();
    let mut byte = [0];
    memory.read(&store, 0, &mut byte).unwrap();
    assert_eq!(byte, [7]);

    let fail = instance.get_typed_func::<i32, i32>(&store, "fail").unwrap();
    assert_eq!(fail.call(&mut store, 0).unwrap(), 1);
    let e = fail.call(&mut store, 9).unwrap_err();
    assert_eq!(e.downcast_ref::<Yield>(), Some(&Yield(9)));
    assert_eq!(e.to_string(), "host function error: yield 9");
    // The error left the store usable.
    assert_eq!(fail.call(&mut store, 0).unwrap(), 1);

    // Func::wrap in one store, its type from the closure.
    let f = Func::wrap(&mut store, |x: u64| -> (u64, u32) { (x * 2, 1) });
    assert_eq!(
        f.ty(&store).unwrap(),
        FuncType::new([ValType::I64], [ValType::I64, ValType::I32])
    );
    let mut out = [Val::I32(0), Val::I32(0)];
    f.call(&mut store, &[Val::I64(21)], &mut out).unwrap();
    assert_eq!(out, [Val::I64(42), Val::I32(1)]);
}

#[test]
fn memory_read_and_write_check_bounds_and_name_the_figures() {
    let (mut store, instance) = instantiate(r#"(module (memory (export "m") 1))"#);
    let memory = instance.get_memory(&store, "m").unwrap();
    memory.write(&mut store, 65_534, &[1, 2]).unwrap();
    let mut buf = [0; 2];
    memory.read(&store, 65_534, &mut buf).unwrap();
    assert_eq!(buf, [1, 2]);

    let e = memory.write(&mut store, 65_535, &[9, 9]).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::OutOfBounds {
            offset: 65_535,
            len: 2,
            size: 65_536
        }
    ));
    assert_eq!(memory.data(&store).unwrap()[65_535], 2, "nothing written");
    let e = memory.read(&store, usize::MAX, &mut buf).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::OutOfBounds { .. }), "{e}");
    // The empty access at the end is in bounds, one past it is not.
    memory.read(&store, 65_536, &mut []).unwrap();
    assert!(memory.read(&store, 65_537, &mut []).is_err());
}

#[test]
fn host_errors_suspend_resumable_calls_and_resume_with_the_host_results() {
    let engine = Engine::default();
    let m = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module
                (import "host" "ask" (func $ask (param i32) (result i32 i64)))
                (global $g (mut i32) (i32.const 0))
                (func (export "run") (param i32) (result i64)
                  (local i64)
                  (loop $l
                    (call $ask (local.get 0))
                    (local.set 1 (i64.add (local.get 1)))
                    (drop)
                    (global.set $g (i32.add (global.get $g) (i32.const 1)))
                    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                  (local.get 1))
                (func (export "count") (result i32) (global.get $g)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    // Yields when asked an odd number; answers an even one itself. A trap of the host's
    // (not an `Error::host`) ends the call.
    linker
        .func_wrap("host", "ask", |x: i32| -> Result<(i32, i64), Error> {
            match x {
                100 => Err(crate::Trap::host("no").into()),
                x if x % 2 == 1 => Err(Error::host(Yield(x as u32))),
                x => Ok((0, i64::from(x))),
            }
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let run = instance.get_func(&store, "run").unwrap();
    let count = instance.get_typed_func::<(), i32>(&store, "count").unwrap();

    // run(4): asks 4 (answered: 4), 3 (yields: the embedder answers 30), 2 (2), 1 (10).
    let mut out = [Val::I64(0)];
    let mut call = run
        .call_resumable(&mut store, &[Val::I32(4)], &mut out)
        .unwrap();
    let mut yields = Vec::new();
    loop {
        match call {
            ResumableCall::Finished => break,
            ResumableCall::OutOfFuel(_) => panic!("no fuel metering"),
            ResumableCall::HostTrap(trap) => {
                let Yield(x) = *trap.host_error().downcast_ref::<Yield>().unwrap();
                yields.push(x);
                // The store runs other calls while this one waits.
                // Rounds done before asking 3, and before asking 1.
                let done = count.call(&mut store, ()).unwrap();
                assert_eq!(done, [1, 3][yields.len() - 1]);
                // Results of the wrong type are refused and the call is lost; here they
                // are right.
                let answer = [Val::I32(0), Val::I64(i64::from(x) * 10)];
                call = trap.resume(&mut store, &answer, &mut out).unwrap();
            }
        }
    }
    assert_eq!(yields, [3, 1]);
    assert_eq!(out, [Val::I64(4 + 30 + 2 + 10)]);
    assert_eq!(count.call(&mut store, ()).unwrap(), 4);

    // Wrong host results: a type error.
    let ResumableCall::HostTrap(trap) = run
        .call_resumable(&mut store, &[Val::I32(1)], &mut out)
        .unwrap()
    else {
        panic!("asks 1 first: yields")
    };
    assert_eq!(trap.host_func().ty(&store).unwrap().results().len(), 2);
    let e = trap
        .resume(&mut store, &[Val::I32(0)], &mut out)
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Type(_)), "{e}");
    // A host trap ends a resumable call like any call.
    let e = run
        .call_resumable(&mut store, &[Val::I32(100)], &mut out)
        .unwrap_err();
    assert_eq!(e.as_trap().map(|t| t.kind()), Some(TrapKind::Host));
    // Another store cannot resume it.
    let ResumableCall::HostTrap(trap) = run
        .call_resumable(&mut store, &[Val::I32(1)], &mut out)
        .unwrap()
    else {
        panic!("yields")
    };
    let mut other = Store::new(&engine, ());
    let e = trap
        .resume(&mut other, &[Val::I32(0), Val::I64(0)], &mut out)
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::WrongStore));
    // The store is usable after all that.
    assert_eq!(count.call(&mut store, ()).unwrap(), 4);
}

#[test]
fn two_suspended_calls_interleave_on_one_store() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let m = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module
                (func (export "sum") (param i32) (result i64)
                  (local i64)
                  (loop $l
                    (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
                    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                  (local.get 1)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &m).unwrap();
    let sum = instance.get_typed_func::<i32, i64>(&store, "sum").unwrap();
    store.set_fuel(50).unwrap();
    let mut a = sum.call_resumable(&mut store, 1000).unwrap();
    store.set_fuel(50).unwrap();
    let mut b = sum.call_resumable(&mut store, 2000).unwrap();
    let (mut ra, mut rb) = (None, None);
    while ra.is_none() || rb.is_none() {
        for (call, result) in [(&mut a, &mut ra), (&mut b, &mut rb)] {
            let next = match core::mem::replace(call, TypedResumableCall::Finished(0)) {
                TypedResumableCall::OutOfFuel(c) => {
                    store.set_fuel(50).unwrap();
                    c.resume(&mut store).unwrap()
                }
                TypedResumableCall::Finished(r) => {
                    result.get_or_insert(r);
                    TypedResumableCall::Finished(r)
                }
                TypedResumableCall::HostTrap(_) => unreachable!("no host functions"),
            };
            *call = next;
        }
    }
    assert_eq!((ra, rb), (Some(500_500), Some(2_001_000)));
}

#[test]
fn a_panic_in_a_resumable_call_leaves_the_store_usable() {
    let engine = Engine::default();
    let m = module(
        r#"(module
            (import "host" "boom" (func $boom (param i32)))
            (func (export "run") (param i32) (result i32)
              (call $boom (local.get 0)) (local.get 0)))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    linker
        .func_wrap("host", "boom", |x: i32| {
            if x != 0 {
                panic!("host panics");
            }
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    for _ in 0..100 {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = run.call_resumable(&mut store, 1);
        }));
        assert!(caught.is_err());
    }
    assert_eq!(store.inner.stack.depth, 0);
    assert_eq!(run.call(&mut store, 0).unwrap(), 0);
    assert!(matches!(
        run.call_resumable(&mut store, 0).unwrap(),
        TypedResumableCall::Finished(0)
    ));
}

/// Host↔Wasm re-entrant recursion: host function `down(n)` calls Wasm `f(n)`, which
/// calls `down(n - 1)`, to depth `n`; the host stack address at each level is recorded.
fn reentrant(config: &Config, n: i32) -> (Result<i32, Error>, Vec<usize>) {
    let engine = Engine::new(config);
    let m = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module
                (import "host" "down" (func $down (param i32) (result i32)))
                (func (export "f") (param i32) (result i32)
                  (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 0))
                    (else (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, Vec::<usize>::new());
    let mut linker = Linker::new();
    linker
        .func_wrap(
            "host",
            "down",
            |mut caller: Caller<'_, Vec<usize>>, n: i32| -> Result<i32, Error> {
                caller.data_mut().push(crate::exec::stack_here());
                let f = caller.get_export("f").and_then(Extern::into_func).unwrap();
                let f = f.typed::<i32, i32>(caller.store()).unwrap();
                f.call(caller.store_mut(), n)
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let result = f.call(&mut store, n);
    (result, core::mem::take(store.data_mut()))
}

#[test]
fn host_stack_per_round_trip_and_the_budget_bounds_it() {
    // Measured: `cargo test -p folio --lib host_stack -- --nocapture` (add `--release`,
    // or `--config 'profile.dev.package.folio.opt-level=0'`).
    let mut config = Config::default();
    config.max_call_depth(1_000_000).max_host_stack(usize::MAX);
    let (result, marks) = reentrant(&config, 100);
    assert_eq!(result.unwrap(), 100);
    let per_trip = marks[1].abs_diff(marks[99]) / 98;
    std::eprintln!("host stack per Wasm->host->Wasm round trip: {per_trip} bytes");

    // A budget of 64 KiB: the recursion stops there, with a trap.
    let budget = 64 * 1024;
    config.max_host_stack(budget);
    let (result, marks) = reentrant(&config, 100_000);
    let e = result.unwrap_err();
    assert_eq!(
        e.as_trap().map(|t| t.kind()),
        Some(TrapKind::StackExhausted),
        "{e}"
    );
    let span = marks[0].abs_diff(*marks.last().unwrap());
    assert!(span <= budget, "{span} bytes taken, budget {budget}");
    assert!(
        span + 2 * per_trip >= budget,
        "stopped at {span} bytes, budget {budget}"
    );
}

#[test]
fn reentrant_recursion_traps_before_a_2_mib_thread_overflows() {
    // The default limits: 10,000 frames would be 5,000 round trips, more host stack
    // than a 2 MiB thread has in an unoptimised build; the host-stack budget traps first.
    let thread = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let config = Config::default();
            let (result, marks) = reentrant(&config, 10_000);
            let e = result.unwrap_err();
            assert_eq!(
                e.as_trap().map(|t| t.kind()),
                Some(TrapKind::StackExhausted),
                "{e}"
            );
            assert!(marks.len() > 100, "only {} round trips", marks.len());
            // Shallower recursion runs in the same thread.
            assert_eq!(reentrant(&config, 50).0.unwrap(), 50);
        })
        .unwrap();
    thread.join().unwrap();
}

#[test]
fn element_segments_are_in_the_budget() {
    use crate::memory::{MaxBytes, MaxTotalBytes, TABLE_ELEMENT_BYTES};
    // 10,000 references in a passive segment (3 bytes of module each, 8 of host).
    let items = " (ref.func 0)".repeat(10_000);
    let wat = format!("(module (func) (elem funcref{items}))");
    let m = module(&wat);
    let engine = Engine::default();

    let mut store = Store::new(&engine, ());
    store.set_limiter(MaxBytes(64 * 1024));
    let e = Linker::new().instantiate(&mut store, &m).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::StoreLimit(_)), "{e}");
    assert!(e.to_string().contains("10000 elements"), "{e}");
    assert_eq!(store.inner.elems.len(), 0, "nothing allocated");

    let mut store = Store::new(&engine, ());
    store.set_limiter(MaxTotalBytes::new(1 << 20));
    Linker::new().instantiate(&mut store, &m).unwrap();
    let used = store.limiter::<MaxTotalBytes>().unwrap().used();
    assert_eq!(used, 10_000 * TABLE_ELEMENT_BYTES);
    // Thirteen instances fit in 1 MiB, the fourteenth does not.
    for _ in 1..13 {
        Linker::new().instantiate(&mut store, &m).unwrap();
    }
    assert!(Linker::new().instantiate(&mut store, &m).is_err());
    // The limiter can be raised between calls.
    *store.limiter_mut::<MaxTotalBytes>().unwrap() = MaxTotalBytes::new(2 << 20);
    Linker::new().instantiate(&mut store, &m).unwrap();
}
