//! Exception handling through the embedder API: tags (host-made, imported, exported,
//! fresh per instance), exceptions caught in Wasm, crossing host functions both ways,
//! what an uncaught one says and carries, resumable calls and fuel, the call depth after
//! unwinding, exception objects against the limiter, and malformed modules.

use folio::memory::MaxTotalBytes;
use folio::{
    Caller, Config, Engine, Error, ErrorKind, ExnRef, Extern, Func, FuncType, Global, GlobalType,
    Instance, Linker, Module, Mutability, ResumableCall, Store, Tag, TagType, TrapKind, Val,
    ValType,
};

fn module(engine: &Engine, wat: &str) -> Module {
    let wasm = wat::parse_str(wat).expect("test WAT is valid");
    Module::new(engine, &wasm).expect("test module is valid")
}

fn trap_kind(e: &Error) -> Option<TrapKind> {
    e.as_trap().map(|t| t.kind())
}

#[test]
fn host_tag_imported_thrown_by_wasm_and_caught_by_wasm() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let failure = Tag::new(&mut store, FuncType::new([ValType::I32, ValType::I64], [])).unwrap();
    let other = Tag::new(&mut store, FuncType::new([ValType::I32, ValType::I64], [])).unwrap();
    assert_ne!(failure, other, "equal types, different tags");
    let mut linker = Linker::new();
    linker.define("host", "failure", failure).unwrap();
    linker.define("host", "other", other).unwrap();
    let m = module(
        &engine,
        r#"(module
             (import "host" "failure" (tag $failure (param i32 i64)))
             (import "host" "other" (tag $other (param i32 i64)))
             (func $throw (param i32)
               (if (local.get 0)
                 (then (throw $failure (local.get 0) (i64.const -5)))
                 (else (throw $other (i32.const 0) (i64.const 0)))))
             (func (export "throw") (param i32) (call $throw (local.get 0)))
             ;; Catches `failure` only: the sum of its payload.
             (func (export "catch") (param i32) (result i64) (local $b i64)
               (block $h (result i32 i64)
                 (try_table (catch $failure $h) (call $throw (local.get 0)))
                 (unreachable))
               (local.set $b)
               (i64.extend_i32_s)
               (i64.add (local.get $b))))"#,
    );
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let throw = instance.get_typed_func::<i32, ()>(&store, "throw").unwrap();
    let err = throw.call(&mut store, 7).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::UncaughtException));
    let exn = err.as_exception().unwrap();
    assert_eq!(exn.tag(&store).unwrap(), failure);
    assert_eq!(exn.payload(&store).unwrap(), [Val::I32(7), Val::I64(-5)]);
    assert_eq!(
        err.to_string(),
        r#"uncaught exception: tag "host"."failure" [i32 7, i64 -5]"#
    );

    let catch = instance
        .get_typed_func::<i32, i64>(&store, "catch")
        .unwrap();
    assert_eq!(catch.call(&mut store, 7).unwrap(), 2);
    // `other` passes the `catch` clause of `failure`.
    let err = catch.call(&mut store, 0).unwrap_err();
    assert_eq!(err.as_exception().unwrap().tag(&store).unwrap(), other);
}

#[test]
fn each_instance_defines_fresh_tags_and_imports_keep_identity() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let definer = module(
        &engine,
        r#"(module
             (tag $e (export "e") (param i32))
             (func (export "throw") (param i32) (throw $e (local.get 0))))"#,
    );
    let a = Instance::new(&mut store, &definer, &[]).unwrap();
    let b = Instance::new(&mut store, &definer, &[]).unwrap();
    let (tag_a, tag_b) = (
        a.get_tag(&store, "e").unwrap(),
        b.get_tag(&store, "e").unwrap(),
    );
    assert_ne!(tag_a, tag_b);
    assert_eq!(tag_a.ty(&store).unwrap(), tag_b.ty(&store).unwrap());

    // The catcher imports `a`'s tag and calls a function that throws `a`'s or `b`'s.
    let catcher = module(
        &engine,
        r#"(module
             (import "lib" "e" (tag $e (param i32)))
             (import "lib" "throw" (func $throw (param i32)))
             (func (export "run") (param i32) (result i32)
               (block $h (result i32)
                 (try_table (catch $e $h) (call $throw (local.get 0)))
                 (i32.const -1))))"#,
    );
    let throw_a = a.get_func(&store, "throw").unwrap();
    let throw_b = b.get_func(&store, "throw").unwrap();
    let own = Instance::new(&mut store, &catcher, &[tag_a.into(), throw_a.into()]).unwrap();
    let run = own.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 9).unwrap(), 9);
    let mixed = Instance::new(&mut store, &catcher, &[tag_a.into(), throw_b.into()]).unwrap();
    let run = mixed.get_typed_func::<i32, i32>(&store, "run").unwrap();
    let err = run.call(&mut store, 9).unwrap_err();
    assert_eq!(err.as_exception().unwrap().tag(&store).unwrap(), tag_b);
    assert_eq!(err.to_string(), r#"uncaught exception: tag "e" [i32 9]"#);

    // Import matching: the exact function type, and a tag, nothing else.
    let wrong = module(&engine, r#"(module (import "lib" "e" (tag (param i64))))"#);
    let err = Instance::new(&mut store, &wrong, &[tag_a.into()]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Link(m) if m.contains("incompatible import type")));
    let f = Func::wrap(&mut store, |_: i32| {});
    let err = Instance::new(&mut store, &wrong, &[f.into()]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Link(_)));
    // A tag of another store.
    let mut other_store = Store::new(&engine, ());
    let foreign = Tag::new(&mut other_store, FuncType::new([ValType::I64], [])).unwrap();
    assert!(Instance::new(&mut store, &wrong, &[foreign.into()]).is_err());
    assert!(foreign.ty(&store).is_err());

    // Exports and `Extern`.
    let e = a.get_export(&store, "e").unwrap();
    assert_eq!(e.into_tag(), Some(tag_a));
    assert_eq!(e.into_func(), None);
    let ty = TagType::new(FuncType::new([ValType::I32], [])).unwrap();
    assert_eq!(e.ty(&store).unwrap(), folio::ExternType::Tag(ty));
}

#[test]
fn exceptions_cross_host_functions_as_values() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::new();
    // Calls the guest's `inner`, and does with its exception what `mode` says: 0 pass it
    // on (`?`), 1 swallow it, 2 replace it with a host error, 3 throw a new one.
    linker
        .func_wrap(
            "host",
            "call_inner",
            |mut caller: Caller<'_, Vec<String>>, mode: i32, x: i32| -> Result<i32, Error> {
                let inner = caller
                    .get_export("inner")
                    .and_then(Extern::into_func)
                    .unwrap();
                let inner = inner.typed::<i32, i32>(caller.store()).unwrap();
                let result = inner.call(caller.store_mut(), x);
                let err = match result {
                    Ok(v) => return Ok(v),
                    Err(err) => err,
                };
                let exn = err.as_exception().expect("the guest threw");
                let payload = exn.payload(caller.store()).unwrap();
                caller.data_mut().push(format!("{mode}: {payload:?}"));
                match mode {
                    0 => Err(err),
                    1 => Ok(-1),
                    2 => Err(Error::host(String::from("not an exception"))),
                    _ => {
                        let tag = exn.tag(caller.store()).unwrap();
                        let again = ExnRef::new(caller.store_mut(), tag, &[Val::I32(x * 100)])?;
                        Err(Error::exception(again))
                    }
                }
            },
        )
        .unwrap();
    let m = module(
        &engine,
        r#"(module
             (import "host" "call_inner" (func $call_inner (param i32 i32) (result i32)))
             (tag $e (export "e") (param i32))
             (global $depth (mut i32) (i32.const 0))
             (func (export "inner") (param i32) (result i32)
               (if (i32.lt_s (local.get 0) (i32.const 0)) (then (throw $e (local.get 0))))
               (local.get 0))
             (func (export "outer") (param i32 i32) (result i32)
               (block $h (result i32)
                 (try_table (result i32) (catch $e $h)
                   (call $call_inner (local.get 0) (local.get 1)))
                 (return))
               ;; Caught: the payload, plus 1000.
               (i32.add (i32.const 1000))))"#,
    );
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let outer = instance
        .get_typed_func::<(i32, i32), i32>(&store, "outer")
        .unwrap();
    // Nothing thrown: the host returns the value.
    assert_eq!(outer.call(&mut store, (0, 5)).unwrap(), 5);
    // Passed on: the guest's `try_table` around the host call catches it.
    assert_eq!(outer.call(&mut store, (0, -5)).unwrap(), 995);
    // Swallowed by the host.
    assert_eq!(outer.call(&mut store, (1, -5)).unwrap(), -1);
    // Replaced by an error of the host's: no `try_table` catches that.
    let err = outer.call(&mut store, (2, -5)).unwrap_err();
    assert_eq!(
        err.downcast_ref::<String>().map(String::as_str),
        Some("not an exception")
    );
    // A new exception made by the host.
    assert_eq!(outer.call(&mut store, (3, -5)).unwrap(), 1000 - 500);
    assert_eq!(
        store.data(),
        &[
            "0: [I32(-5)]",
            "1: [I32(-5)]",
            "2: [I32(-5)]",
            "3: [I32(-5)]"
        ]
    );

    // A host function called by the embedder directly: its exception is its error.
    let e = instance.get_tag(&store, "e").unwrap();
    let thrower = Func::wrap(&mut store, move |mut caller: Caller<'_, Vec<String>>| {
        let exn = ExnRef::new(caller.store_mut(), e, &[Val::I32(1)])?;
        Err::<(), Error>(Error::exception(exn))
    });
    let err = thrower.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::UncaughtException));
    assert_eq!(err.as_exception().unwrap().tag(&store).unwrap(), e);
    // An exception of another store thrown by a host function is its error, not caught.
    let mut other = Store::new(&engine, ());
    let foreign_tag = Tag::new(&mut other, FuncType::new([], [])).unwrap();
    let foreign = ExnRef::new(&mut other, foreign_tag, &[]).unwrap();
    assert!(foreign.tag(&store).is_err());
    assert!(foreign.payload(&store).is_err());
}

#[test]
fn uncaught_exceptions_name_their_tag_and_show_their_payload() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let host_tag = Tag::new(&mut store, FuncType::new([ValType::F32], [])).unwrap();
    let unnamed = Tag::new(&mut store, FuncType::new([], [])).unwrap();
    let lib = module(
        &engine,
        r#"(module
             (tag $exported (export "exported") (param i64 f64))
             (tag $hidden (param funcref externref exnref))
             (func $f)
             (elem declare func $f)
             (func (export "throw_exported") (throw $exported (i64.const -1) (f64.const 0.5)))
             (func (export "hidden")
               (throw $hidden (ref.func $f) (ref.null extern) (ref.null exn))))"#,
    );
    let lib = Instance::new(&mut store, &lib, &[]).unwrap();
    let importer = module(
        &engine,
        r#"(module
             (import "env" "host" (tag $host (param f32)))
             (func (export "host") (throw $host (f32.const -2))))"#,
    );
    let importer = Instance::new(&mut store, &importer, &[host_tag.into()]).unwrap();
    let message = |store: &mut Store<()>, instance: Instance, name: &str| {
        let f = instance.get_func(store, name).unwrap();
        let err = f.call(store, &[], &mut []).unwrap_err();
        assert_eq!(trap_kind(&err), Some(TrapKind::UncaughtException));
        err.to_string()
    };
    assert_eq!(
        message(&mut store, lib, "throw_exported"),
        r#"uncaught exception: tag "exported" [i64 -1, f64 0.5]"#
    );
    let hidden = message(&mut store, lib, "hidden");
    assert!(
        hidden.starts_with("uncaught exception: tag 1 [funcref ")
            && hidden.ends_with(", externref null, exnref null]"),
        "{hidden}"
    );
    assert_eq!(
        message(&mut store, importer, "host"),
        r#"uncaught exception: tag "env"."host" [f32 -2]"#
    );
    // A host tag no module imports, thrown by the host.
    let exn = ExnRef::new(&mut store, unnamed, &[]).unwrap();
    let err = Error::exception(exn);
    assert_eq!(err.to_string(), "uncaught exception");
    assert_eq!(err.as_exception(), Some(exn));
    assert!(Error::host("x").as_exception().is_none());
}

#[test]
fn exnref_values_cross_the_api_and_keep_their_identity() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
             (tag $e (export "e") (param i32))
             (global $kept (export "kept") (mut exnref) (ref.null exn))
             (table $t (export "table") 2 exnref)
             (func (export "catch") (param i32) (result exnref)
               (block $h (result i32 exnref)
                 (try_table (catch_ref $e $h) (throw $e (local.get 0)))
                 (unreachable))
               (global.set $kept)
               (drop)
               (global.get $kept))
             (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
             (func (export "is_null") (param exnref) (result i32) (ref.is_null (local.get 0))))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let catch = instance.get_func(&store, "catch").unwrap();
    let mut out = [Val::ExnRef(None)];
    catch.call(&mut store, &[Val::I32(42)], &mut out).unwrap();
    let Val::ExnRef(Some(exn)) = out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(exn.payload(&store).unwrap(), [Val::I32(42)]);
    let kept = instance.get_global(&store, "kept").unwrap();
    assert_eq!(kept.get(&store).unwrap(), Val::ExnRef(Some(exn)));

    // Thrown again, it is the same exception.
    let rethrow = instance
        .get_typed_func::<Option<ExnRef>, ()>(&store, "rethrow")
        .unwrap();
    let err = rethrow.call(&mut store, Some(exn)).unwrap_err();
    assert_eq!(err.as_exception(), Some(exn));
    let err = rethrow.call(&mut store, None).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::NullExceptionReference));
    assert_eq!(err.to_string(), "null exception reference");

    // Tables and globals of `exnref`, from the host.
    let table = instance.get_table(&store, "table").unwrap();
    table.set(&mut store, 1, Val::ExnRef(Some(exn))).unwrap();
    assert_eq!(table.get(&store, 1).unwrap(), Some(Val::ExnRef(Some(exn))));
    assert_eq!(table.get(&store, 0).unwrap(), Some(Val::ExnRef(None)));
    let ty = GlobalType {
        content: ValType::EXNREF,
        mutability: Mutability::Var,
    };
    let g = Global::new(&mut store, ty, Val::ExnRef(None)).unwrap();
    g.set(&mut store, Val::ExnRef(Some(exn))).unwrap();
    assert!(g.set(&mut store, Val::ExternRef(None)).is_err());
    let is_null = instance
        .get_typed_func::<Option<ExnRef>, i32>(&store, "is_null")
        .unwrap();
    assert_eq!(is_null.call(&mut store, None).unwrap(), 1);
    assert_eq!(is_null.call(&mut store, Some(exn)).unwrap(), 0);
    // Another store's exception is refused as an argument.
    let mut other = Store::new(&engine, ());
    let tag = Tag::new(&mut other, FuncType::new([], [])).unwrap();
    let foreign = ExnRef::new(&mut other, tag, &[]).unwrap();
    assert!(is_null.call(&mut store, Some(foreign)).is_err());
    // The payload's types are checked.
    let e = instance.get_tag(&store, "e").unwrap();
    assert!(ExnRef::new(&mut store, e, &[Val::I64(1)]).is_err());
    assert!(ExnRef::new(&mut store, e, &[]).is_err());
    assert!(ExnRef::new(&mut other, e, &[Val::I32(1)]).is_err());
}

#[test]
fn catch_all_catches_exceptions_but_never_traps() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
             (tag $e (param i64 i64))
             (func $work (param i32)
               (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e (i64.const 1) (i64.const 2))))
               (if (i32.eq (local.get 0) (i32.const 2)) (then (unreachable)))
               (if (i32.eq (local.get 0) (i32.const 3)) (then (drop (i32.div_u (i32.const 1) (i32.const 0))))))
             (func (export "all") (param i32) (result i32)
               (block $h
                 (try_table (catch_all $h) (call $work (local.get 0)))
                 (return (i32.const 0)))
               (i32.const 1))
             (func (export "all_ref") (param i32) (result i32)
               (block $h (result exnref)
                 (try_table (catch_all_ref $h) (call $work (local.get 0)))
                 (return (i32.const 0)))
               (ref.is_null)))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    for name in ["all", "all_ref"] {
        let f = instance.get_typed_func::<i32, i32>(&store, name).unwrap();
        assert_eq!(f.call(&mut store, 0).unwrap(), 0, "{name}");
        // `catch_all` delivers nothing, `catch_all_ref` the reference (not null).
        assert_eq!(
            f.call(&mut store, 1).unwrap(),
            i32::from(name == "all"),
            "{name}"
        );
        let err = f.call(&mut store, 2).unwrap_err();
        assert_eq!(trap_kind(&err), Some(TrapKind::Unreachable), "{name}");
        let err = f.call(&mut store, 3).unwrap_err();
        assert_eq!(
            trap_kind(&err),
            Some(TrapKind::IntegerDivideByZero),
            "{name}"
        );
    }
}

/// The instruction where a `catch` lands reads its slots, never the accumulator: that
/// the instruction before it in the code (the `try_table`'s last) left there a value the
/// exception skipped.
#[test]
fn a_catch_lands_on_slots_not_on_the_accumulator() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
             (tag $e)
             (func $thrower (param i32)
               (if (local.get 0)
                 (then
                   (local.set 0 (i32.mul (local.get 0) (i32.const 1000)))
                   (throw $e))))
             (func (export "f") (param i32) (result i32) (local i32)
               (local.set 1 (i32.const 7))
               (block $h
                 (try_table (catch_all $h)
                   (call $thrower (local.get 0))
                   (local.set 1 (i32.add (local.get 0) (i32.const 1)))))
               (i32.mul (local.get 1) (i32.const 3))))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, 0).unwrap(), 3);
    assert_eq!(f.call(&mut store, 1).unwrap(), 21);
    assert_eq!(f.call(&mut store, 5).unwrap(), 21);
}

/// Unwinding many frames, across instances (with different memories), leaves the call
/// depth exact: the deepest recursion the limit allows still runs afterwards, one more
/// frame traps.
#[test]
fn unwinding_keeps_the_call_depth_exact_across_instances() {
    const DEPTH: u32 = 200;
    let mut config = Config::default();
    config.max_call_depth(DEPTH);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, ());
    let lib = module(
        &engine,
        r#"(module
             (tag $bottom (export "bottom") (param i32))
             (memory (export "mem") 1)
             (func $down (export "down") (param i32) (param i32)
               (i32.store (i32.const 0) (local.get 0))
               (if (i32.eqz (local.get 0)) (then (throw $bottom (local.get 1))))
               (call $down (i32.sub (local.get 0) (i32.const 1)) (local.get 1))))"#,
    );
    let lib = Instance::new(&mut store, &lib, &[]).unwrap();
    let app = module(
        &engine,
        r#"(module
             (import "lib" "bottom" (tag $bottom (param i32)))
             (import "lib" "down" (func $down (param i32 i32)))
             (memory 1)
             (data (i32.const 8) "\2a")
             (func (export "run") (param i32) (result i32)
               (block $h (result i32)
                 (try_table (catch $bottom $h)
                   (call $down (local.get 0) (i32.const 5)))
                 (return (i32.const -1)))
               ;; The payload plus this instance's own memory (not `lib`'s).
               (i32.add (i32.load8_u (i32.const 8)))))"#,
    );
    let down = lib.get_func(&store, "down").unwrap();
    let bottom = lib.get_tag(&store, "bottom").unwrap();
    let app = Instance::new(&mut store, &app, &[bottom.into(), down.into()]).unwrap();
    let run = app.get_typed_func::<i32, i32>(&store, "run").unwrap();
    for _ in 0..3 {
        // `run` and `down` with n .. 0: n + 2 frames.
        assert_eq!(run.call(&mut store, (DEPTH - 2) as i32).unwrap(), 47);
        let err = run.call(&mut store, (DEPTH - 1) as i32).unwrap_err();
        assert_eq!(trap_kind(&err), Some(TrapKind::StackExhausted));
    }
    // Uncaught at the bottom: the same.
    let down = lib
        .get_typed_func::<(i32, i32), ()>(&store, "down")
        .unwrap();
    for _ in 0..3 {
        let err = down.call(&mut store, ((DEPTH - 1) as i32, 3)).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"uncaught exception: tag "bottom" [i32 3]"#
        );
        assert_eq!(
            trap_kind(&down.call(&mut store, (DEPTH as i32, 3)).unwrap_err()),
            Some(TrapKind::StackExhausted)
        );
    }
}

/// Wasm → host → Wasm frames count against one depth limit, however an exception
/// unwinds through them.
#[test]
fn depth_stays_exact_through_host_frames() {
    const DEPTH: u32 = 60;
    let mut config = Config::default();
    config.max_call_depth(DEPTH);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    linker
        .func_wrap("host", "reenter", |mut caller: Caller<'_, ()>, n: i32| {
            let f = caller.get_export("f").and_then(Extern::into_func).unwrap();
            f.typed::<i32, i32>(caller.store())?
                .call(caller.store_mut(), n)
        })
        .unwrap();
    let m = module(
        &engine,
        r#"(module
             (import "host" "reenter" (func $reenter (param i32) (result i32)))
             (tag $e (param i32))
             ;; f(n): throws at 0, else re-enters through the host; f(n) catches only
             ;; when n is a multiple of 4, and then returns the payload plus n.
             (func (export "f") (param i32) (result i32)
               (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 100))))
               (if (i32.rem_u (local.get 0) (i32.const 4))
                 (then (return (call $reenter (i32.sub (local.get 0) (i32.const 1))))))
               (block $h (result i32)
                 (try_table (catch $e $h)
                   (return (call $reenter (i32.sub (local.get 0) (i32.const 1)))))
                 (unreachable))
               (i32.add (local.get 0))))"#,
    );
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    // f(n) .. f(1) and n host frames: 2n frames, then f(0).
    let deepest = (DEPTH as i32 - 1) / 2;
    for _ in 0..3 {
        // Caught by the f(k) with k the lowest multiple of 4 above 0 (4).
        assert_eq!(f.call(&mut store, 8).unwrap(), 104);
        assert_eq!(f.call(&mut store, deepest).unwrap(), 104);
        let err = f.call(&mut store, deepest + 1).unwrap_err();
        assert_eq!(trap_kind(&err), Some(TrapKind::StackExhausted), "{err}");
        // Below 4, nothing catches: the exception leaves the call.
        let err = f.call(&mut store, 3).unwrap_err();
        assert_eq!(trap_kind(&err), Some(TrapKind::UncaughtException));
    }
}

/// A throw costs the fuel of its operators, like a call; unwinding and landing cost
/// nothing more.
#[test]
fn fuel_counts_a_throw_as_one_operator() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
             (tag $e (param i32))
             (func $thrower (param i32) (throw $e (local.get 0)))
             (func (export "f") (param i32) (result i32)
               (block $h (result i32)
                 (try_table (catch $e $h) (call $thrower (local.get 0)))
                 (unreachable))))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    store.set_fuel(1000).unwrap();
    assert_eq!(f.call(&mut store, 3).unwrap(), 3);
    // `local.get` + `call` in `f`, `local.get` + `throw` in `$thrower`, `f`'s `end`.
    assert_eq!(1000 - store.get_fuel().unwrap(), 5);
    // Fuel for all but the `throw`: it does not run.
    store.set_fuel(3).unwrap();
    let err = f.call(&mut store, 3).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::OutOfFuel));
}

/// Resumable calls: suspended for fuel in the middle of throwing and catching, and by
/// host functions, whose exceptions still unwind the call's Wasm frames.
#[test]
fn resumable_calls_throw_and_catch() {
    #[derive(Debug)]
    struct Later;
    impl core::fmt::Display for Later {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("later")
        }
    }
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let wat = r#"(module
         (import "host" "check" (func $check (param i32) (result i32)))
         (tag $odd (export "odd") (param i32))
         (func $classify (param i32) (result i32)
           (if (i32.and (local.get 0) (i32.const 1)) (then (throw $odd (local.get 0))))
           (call $check (local.get 0)))
         ;; Sums classify(i) for i < n, counting each odd i (caught) as 1000, each
         ;; exception the host throws (caught, rethrown with `throw_ref`, caught) as 7.
         (func (export "sum") (param i32) (result i32) (local $s i32) (local $i i32)
           (loop $next
             (block $done
               (block $odd (result i32)
                 (block $host (result exnref)
                   (try_table (catch $odd $odd) (catch_all_ref $host)
                     (local.set $s (i32.add (local.get $s) (call $classify (local.get $i)))))
                   (br $done))
                 (block $again (param exnref) (result exnref)
                   (try_table (param exnref) (catch_all_ref $again) (throw_ref))
                   (unreachable))
                 (drop)
                 (local.set $s (i32.add (local.get $s) (i32.const 7)))
                 (br $done))
               (drop)
               (local.set $s (i32.add (local.get $s) (i32.const 1000))))
             (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                    (local.get 0))))
           (local.get $s)))"#;
    // The host's `check`: throws its own tag for multiples of 3, suspends (once each)
    // for multiples of 5, returns its argument otherwise.
    let run = |resumable: bool| -> (i32, u32) {
        let mut store = Store::new(&engine, (0u32, Vec::<i32>::new()));
        let own_tag = Tag::new(&mut store, FuncType::new([], [])).unwrap();
        let mut linker = Linker::new();
        linker
            .func_wrap(
                "host",
                "check",
                move |mut caller: Caller<'_, (u32, Vec<i32>)>, x: i32| -> Result<i32, Error> {
                    if x % 3 == 0 && x > 0 {
                        let exn = ExnRef::new(caller.store_mut(), own_tag, &[])?;
                        return Err(Error::exception(exn));
                    }
                    if resumable && x % 5 == 0 && !caller.data().1.contains(&x) {
                        caller.data_mut().1.push(x);
                        return Err(Error::host(Later));
                    }
                    Ok(x)
                },
            )
            .unwrap();
        let instance = linker
            .instantiate(&mut store, &module(&engine, wat))
            .unwrap();
        let sum = instance.get_func(&store, "sum").unwrap();
        let mut out = [Val::I32(0)];
        if !resumable {
            store.set_fuel(1_000_000).unwrap();
            sum.call(&mut store, &[Val::I32(40)], &mut out).unwrap();
        } else {
            store.set_fuel(37).unwrap();
            let mut call = sum
                .call_resumable(&mut store, &[Val::I32(40)], &mut out)
                .unwrap();
            loop {
                call = match call {
                    ResumableCall::Finished => break,
                    ResumableCall::OutOfFuel(s) => {
                        store.data_mut().0 += 1;
                        store.set_fuel(37).unwrap();
                        s.resume(&mut store, &mut out).unwrap()
                    }
                    ResumableCall::HostTrap(h) => {
                        assert!(h.host_error().downcast_ref::<Later>().is_some());
                        // Resume as if `check` had returned its argument.
                        let x = *store.data().1.last().unwrap();
                        h.resume(&mut store, &[Val::I32(x)], &mut out).unwrap()
                    }
                };
            }
        }
        let Val::I32(s) = out[0] else { panic!() };
        (s, store.data().0)
    };
    let expected: i32 = (0..40)
        .map(|i| match i {
            i if i % 2 == 1 => 1000,
            i if i % 3 == 0 && i > 0 => 7,
            i => i,
        })
        .sum();
    let (plain, _) = run(false);
    assert_eq!(plain, expected);
    let (resumed, rations) = run(true);
    assert_eq!(resumed, expected);
    assert!(rations > 20, "{rations} rations");
}

/// Exception objects count against the limiter; those a `catch` takes without a
/// reference are freed at once, so a loop of them allocates nothing.
#[test]
fn exception_objects_against_the_limiter() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (tag $e (param i64 i64 i64))
             (func (export "plain") (param i32) (result i32) (local $caught i32)
               (loop $again
                 (block $h (result i64 i64 i64)
                   (try_table (catch $e $h)
                     (throw $e (i64.const 1) (i64.const 2) (i64.const 3)))
                   (unreachable))
                 (drop) (drop) (drop)
                 (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
                 (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
               (local.get $caught))
             (func (export "kept") (param i32) (result i32) (local $caught i32)
               (loop $again
                 (block $h (result i64 i64 i64 exnref)
                   (try_table (catch_ref $e $h)
                     (throw $e (i64.const 1) (i64.const 2) (i64.const 3)))
                   (unreachable))
                 (drop) (drop) (drop) (drop)
                 (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
                 (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
               (local.get $caught)))"#,
    );
    let mut store = Store::new(&engine, ());
    // Room for 10 objects of 3 + 2 cells.
    store.set_limiter(MaxTotalBytes::new(10 * 5 * 8));
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let plain = instance
        .get_typed_func::<i32, i32>(&store, "plain")
        .unwrap();
    assert_eq!(plain.call(&mut store, 100_000).unwrap(), 100_000);
    assert_eq!(store.limiter::<MaxTotalBytes>().unwrap().used(), 5 * 8);
    let kept = instance.get_typed_func::<i32, i32>(&store, "kept").unwrap();
    assert_eq!(kept.call(&mut store, 10).unwrap(), 10);
    let err = kept.call(&mut store, 1).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::ExceptionsExhausted));
    assert!(
        err.to_string()
            .starts_with("exception storage exhausted (refused by the limiter: limit of 400 bytes"),
        "{err}"
    );
    // The host makes objects within the same budget.
    let e = Tag::new(&mut store, FuncType::new([], [])).unwrap();
    assert!(ExnRef::new(&mut store, e, &[]).is_err());
}

#[cfg(feature = "simd")]
#[test]
fn vector_payloads() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
             (tag $v (export "v") (param i32 v128 i64))
             (func $throw (param v128) (throw $v (i32.const -1) (local.get 0) (i64.const 9)))
             (func (export "throw") (param v128) (call $throw (local.get 0)))
             (func (export "catch") (param v128) (result v128)
               (block $h (result i32 v128 i64)
                 (try_table (catch $v $h) (call $throw (local.get 0)))
                 (unreachable))
               (drop)
               (local.set 0)
               (drop)
               (local.get 0)))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let x = 0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10_u128;
    let catch = instance
        .get_typed_func::<u128, u128>(&store, "catch")
        .unwrap();
    assert_eq!(catch.call(&mut store, x).unwrap(), x);
    let throw = instance
        .get_typed_func::<u128, ()>(&store, "throw")
        .unwrap();
    let err = throw.call(&mut store, x).unwrap_err();
    let payload = err.as_exception().unwrap().payload(&store).unwrap();
    assert_eq!(payload, [Val::I32(-1), Val::V128(x), Val::I64(9)]);
    assert_eq!(
        err.to_string(),
        r#"uncaught exception: tag "v" [i32 -1, v128 0x0102030405060708090a0b0c0d0e0f10, i64 9]"#
    );
}

/// Exceptions thrown by start functions make the instantiation fail with them.
#[test]
fn start_function_exception() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module (tag $e (export "e") (param i32)) (func $s (throw $e (i32.const 3))) (start $s))"#,
    );
    let err = Instance::new(&mut store, &m, &[]).unwrap_err();
    assert_eq!(err.to_string(), r#"uncaught exception: tag "e" [i32 3]"#);
    let exn = err.as_exception().unwrap();
    assert_eq!(exn.payload(&store).unwrap(), [Val::I32(3)]);
}

/// A tiny deterministic generator (xorshift64*), for the mutations below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Modules with tags and exceptions, mutated byte by byte (flips, cut short, bytes
/// inserted and removed): each is rejected with an error or runs, never a panic; what
/// runs, runs with fuel and dummy imports, and every export is called.
#[test]
fn mutated_exception_modules_never_panic() {
    let seeds = [
        r#"(module
             (import "env" "t" (tag $imported (param i32)))
             (tag $e (export "e") (param i32 i64))
             (tag $f)
             (global $g (mut exnref) (ref.null exn))
             (table 2 exnref)
             (func $thrower (export "thrower") (param i32)
               (if (local.get 0) (then (throw $e (local.get 0) (i64.const 2))))
               (throw $f))
             (func (export "a") (param i32) (result i32)
               (block $x (result i32 i64)
                 (block $y (result exnref)
                   (block $z (result i32)
                     (try_table (catch $e $x) (catch_all_ref $y) (catch $imported $z)
                       (call $thrower (local.get 0)))
                     (return (i32.const 0)))
                   (return))
                 (global.set $g)
                 (throw_ref (global.get $g)))
               (drop)))"#,
        r#"(module
             (tag $e (param i32))
             (func (export "loop") (param i32) (result i32) (local i32)
               (loop $l
                 (block $h (result i32)
                   (try_table (result i32) (catch $e $h)
                     (try_table (catch_all $l)
                       (if (i32.and (local.get 0) (i32.const 1))
                         (then (throw $e (local.get 0)))))
                     (local.get 1))
                   (br 0))
                 (local.set 1 (i32.add (local.get 1)))
                 (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
               (local.get 1)))"#,
    ];
    let mut config = Config::default();
    config.consume_fuel(true).max_call_depth(200);
    let engine = Engine::new(&config);
    let mut rng = Rng(0x6578_6e5f_6675_7a7a);
    let mut ran = 0;
    for seed in seeds {
        let wasm = wat::parse_str(seed).unwrap();
        Module::new(&engine, &wasm).expect("the seed is valid");
        for _ in 0..3000 {
            let mut bytes = wasm.clone();
            for _ in 0..=rng.below(3) {
                let i = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[i] ^= 1 << rng.below(8),
                    1 => bytes[i] = rng.next() as u8,
                    2 => bytes.insert(i, rng.next() as u8),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            if rng.below(8) == 0 {
                let len = rng.below(bytes.len() + 1);
                bytes.truncate(len);
            }
            let Ok(module) = Module::new(&engine, &bytes) else {
                continue;
            };
            ran += 1;
            run_every_export(&engine, &module);
        }
    }
    assert!(ran > 100, "only {ran} mutants were valid");
}

/// Instantiates `module` with dummy imports and calls every exported function with zero
/// arguments; errors and traps are fine.
fn run_every_export(engine: &Engine, module: &Module) {
    let mut store = Store::new(engine, ());
    store.set_limiter(MaxTotalBytes::new(1 << 20));
    let mut imports = Vec::new();
    for (_, _, ty) in module.imports() {
        let import: Extern = match ty {
            folio::ExternType::Func(ty) => {
                let results = ty.results().to_vec();
                Func::new(&mut store, ty, move |_, _, out| {
                    for (slot, &t) in out.iter_mut().zip(&results) {
                        *slot = Val::default_for(t);
                    }
                    Ok(())
                })
                .into()
            }
            folio::ExternType::Tag(ty) => {
                Tag::new(&mut store, ty.func_type().clone()).unwrap().into()
            }
            _ => return,
        };
        imports.push(import);
    }
    let Ok(instance) = Instance::new(&mut store, module, &imports) else {
        return;
    };
    for (_, export) in instance.exports(&store) {
        let Extern::Func(f) = export else { continue };
        let ty = f.ty(&store).unwrap();
        let args: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
        let mut out: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        store.set_fuel(10_000).unwrap();
        if let Err(e) = f.call(&mut store, &args, &mut out)
            && let Some(exn) = e.as_exception()
        {
            assert!(exn.payload(&store).is_ok());
        }
    }
}

/// A `throw` after a `try_table` is not caught by it, even where the translator copies
/// the code a branch out of the `try_table` leads to into the `try_table` (a `br` to a
/// short tail becomes a copy of the tail): code that throws is never copied.
#[test]
fn a_branch_out_of_a_try_table_to_a_throw_is_not_caught_by_it() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
             (tag $e)
             (func (export "f") (param i32)
               (block $h
                 (block $b
                   (try_table (catch $e $h)
                     (br_if $h (local.get 0))
                     (br $b)))
                 (throw $e))))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let f = instance.get_typed_func::<i32, ()>(&store, "f").unwrap();
    f.call(&mut store, 1).unwrap();
    let err = f.call(&mut store, 0).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::UncaughtException));
}
