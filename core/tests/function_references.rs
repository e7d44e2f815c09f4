//! Typed function references: `call_ref`, `return_call_ref`, `ref.as_non_null`,
//! `br_on_null`, `br_on_non_null`, non-nullable tables, and what the embedder sees of
//! `(ref $t)`: engine-wide type ids, import matching with subtyping, checked host values.

use folio::{
    Config, Engine, Error, ExternType, Func, FuncType, HeapType, Linker, Module, Proposals,
    RefType, Store, Trap, TrapKind, Val, ValType,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).unwrap()).unwrap()
}

fn trap_kind(e: &Error) -> Option<TrapKind> {
    e.as_trap().map(Trap::kind)
}

const REFS: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (table $t 2 (ref $ii) (ref.func $inc))
  (elem declare func $dbl)
  (func (export "set_dbl") (table.set $t (i32.const 1) (ref.func $dbl)))
  (func (export "apply") (param i32 i32) (result i32)
    (call_ref $ii (local.get 1) (table.get $t (local.get 0))))
  (func (export "apply_null") (result i32)
    (call_ref $ii (i32.const 1) (ref.null $ii)))
  (func $count (export "count") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call_ref $count_t (i64.sub (local.get 0) (i64.const 1))
                                      (ref.func $count)))))
  (type $count_t (func (param i64) (result i64)))
  (elem declare func $count)
  (func (export "non_null") (param funcref) (result funcref)
    (ref.as_non_null (local.get 0)))
  ;; 1 for null, else 2: br_on_null drops the reference when it branches.
  (func (export "on_null") (param funcref) (result i32)
    (block $null
      (br_on_null $null (local.get 0))
      (drop)
      (return (i32.const 2)))
    (i32.const 1))
  ;; br_on_non_null carries the reference; the fall-through drops it.
  (func (export "on_non_null") (param funcref) (result i32)
    (block $some (result (ref func))
      (br_on_non_null $some (local.get 0))
      (return (i32.const 1)))
    (drop)
    (i32.const 2))
  (func (export "get") (param i32) (result (ref $ii)) (table.get $t (local.get 0))))"#;

#[test]
fn call_ref_and_friends_run_and_trap_as_the_spec_says() {
    let engine = Engine::default();
    let m = module(&engine, REFS);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &m).unwrap();
    let apply = instance
        .get_typed_func::<(i32, i32), i32>(&store, "apply")
        .unwrap();
    // The table's initializer filled both elements with $inc.
    assert_eq!(apply.call(&mut store, (1, 41)).unwrap(), 42);
    instance
        .get_typed_func::<(), ()>(&store, "set_dbl")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(apply.call(&mut store, (1, 21)).unwrap(), 42);
    assert_eq!(apply.call(&mut store, (0, 21)).unwrap(), 22);
    let err = apply.call(&mut store, (2, 0)).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::TableOutOfBounds), "{err}");

    let null = instance
        .get_typed_func::<(), i32>(&store, "apply_null")
        .unwrap();
    let err = null.call(&mut store, ()).unwrap_err();
    assert_eq!(
        trap_kind(&err),
        Some(TrapKind::NullFunctionReference),
        "{err}"
    );
    assert_eq!(err.to_string(), "null function reference");

    // return_call_ref: a million tail calls with the default limits.
    let count = instance
        .get_typed_func::<i64, i64>(&store, "count")
        .unwrap();
    assert_eq!(count.call(&mut store, 1_000_000).unwrap(), 0);

    let non_null = instance
        .get_typed_func::<Option<Func>, Option<Func>>(&store, "non_null")
        .unwrap();
    let f = instance.get_func(&store, "apply").unwrap();
    assert_eq!(non_null.call(&mut store, Some(f)).unwrap(), Some(f));
    let err = non_null.call(&mut store, None).unwrap_err();
    assert_eq!(trap_kind(&err), Some(TrapKind::NullReference), "{err}");

    for (name, null, some) in [("on_null", 1, 2), ("on_non_null", 1, 2)] {
        let g = instance
            .get_typed_func::<Option<Func>, i32>(&store, name)
            .unwrap();
        assert_eq!(g.call(&mut store, None).unwrap(), null, "{name}(null)");
        assert_eq!(g.call(&mut store, Some(f)).unwrap(), some, "{name}(f)");
    }
}

#[test]
fn concrete_reference_types_name_the_engines_type() {
    let engine = Engine::default();
    let m = module(&engine, REFS);
    let ty = m
        .exports()
        .find(|(name, _)| *name == "get")
        .map(|(_, t)| t)
        .unwrap();
    let ExternType::Func(ty) = ty else {
        panic!("a function")
    };
    let [ValType::Ref(r)] = ty.results() else {
        panic!("one reference result: {ty}")
    };
    assert!(!r.nullable);
    let HeapType::Concrete(id) = r.heap else {
        panic!("a concrete type: {r}")
    };
    assert_eq!(
        engine.func_type(id),
        Some(FuncType::new([ValType::I32], [ValType::I32]))
    );
    assert_eq!(r.to_string(), format!("(ref {})", r.heap));
    assert!(
        ty.to_string()
            .contains(&format!("(result (ref {}))", r.heap)),
        "{ty}"
    );
    // Another module declaring the same type gets the same id.
    let other = module(
        &engine,
        r#"(module (type $x (func (param i32) (result i32)))
             (global (export "g") (ref null $x) (ref.null $x)))"#,
    );
    let Some((_, ExternType::Global(g))) = other.exports().next() else {
        panic!("a global")
    };
    assert_eq!(
        g.content,
        ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Concrete(id)
        })
    );
}

#[test]
fn imports_match_by_type_and_immutable_globals_by_subtype() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    let lib = module(
        &engine,
        r#"(module
          (type $ii (func (param i32) (result i32)))
          (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
          (global (export "inc") (ref $ii) (ref.func $inc))
          (global (export "var") (mut (ref null $ii)) (ref.null $ii)))"#,
    );
    let lib = linker.instantiate(&mut store, &lib).unwrap();
    linker.instance(&store, "lib", lib).unwrap();
    // The same type under another name, and a supertype for the immutable global.
    for ok in [
        r#"(module (type $f (func (param i32) (result i32)))
             (import "lib" "inc" (global (ref $f))))"#,
        r#"(module (import "lib" "inc" (global funcref)))"#,
        r#"(module (import "lib" "inc" (global (ref func))))"#,
        r#"(module (type $f (func (param i32) (result i32)))
             (import "lib" "var" (global (mut (ref null $f)))))"#,
    ] {
        let m = module(&engine, ok);
        linker
            .instantiate(&mut store, &m)
            .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in [
        // Another type; a mutable global's type must be equal, not a supertype.
        r#"(module (type $f (func (param i64) (result i32)))
             (import "lib" "inc" (global (ref $f))))"#,
        r#"(module (import "lib" "var" (global (mut funcref))))"#,
        r#"(module (type $f (func (param i32) (result i32)))
             (import "lib" "var" (global (ref $f))))"#,
    ] {
        let m = module(&engine, bad);
        let err = linker.instantiate(&mut store, &m).unwrap_err();
        assert!(
            err.to_string().contains("incompatible import type"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn host_values_are_checked_against_typed_references() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
          (type $ii (func (param i32) (result i32)))
          (type $l (func (param i64)))
          (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
          (func (export "other") (type $l))
          (func (export "call") (param (ref $ii)) (param i32) (result i32)
            (call_ref $ii (local.get 1) (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &m).unwrap();
    let call = instance.get_func(&store, "call").unwrap();
    let inc = instance.get_func(&store, "inc").unwrap();
    let other = instance.get_func(&store, "other").unwrap();
    let mut out = [Val::I32(0)];
    call.call(
        &mut store,
        &[Val::FuncRef(Some(inc)), Val::I32(9)],
        &mut out,
    )
    .unwrap();
    assert_eq!(out[0], Val::I32(10));
    for bad in [Val::FuncRef(None), Val::FuncRef(Some(other)), Val::I32(0)] {
        let err = call
            .call(&mut store, &[bad, Val::I32(9)], &mut out)
            .unwrap_err();
        assert!(err.to_string().contains("argument 0"), "{bad:?}: {err}");
    }
}

#[test]
fn a_module_of_another_engine_keeps_its_types_apart() {
    // The type ids of two engines differ; a module of one instantiated in a store of the
    // other still tells its types apart (call_indirect) and links by them.
    let (a, b) = (Engine::default(), Engine::default());
    let _warm = module(&a, r#"(module (type (func (param f64))) (func (type 0)))"#);
    let m = module(
        &a,
        r#"(module
          (type $ii (func (param i32) (result i32)))
          (type $self (func (param (ref null $self)) (result i32)))
          (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
          (func $me (type $self) (i32.const 7))
          (table funcref (elem $inc $me))
          (func (export "at") (param i32) (result i32)
            (call_indirect (type $ii) (i32.const 1) (local.get 0)))
          (func (export "me") (result i32)
            (call_indirect (type $self) (ref.null $self) (i32.const 1))))"#,
    );
    let mut store = Store::new(&b, ());
    let instance = Linker::new().instantiate(&mut store, &m).unwrap();
    let at = instance.get_typed_func::<i32, i32>(&store, "at").unwrap();
    assert_eq!(at.call(&mut store, 0).unwrap(), 2);
    let err = at.call(&mut store, 1).unwrap_err();
    assert_eq!(
        trap_kind(&err),
        Some(TrapKind::IndirectCallTypeMismatch),
        "{err}"
    );
    let me = instance.get_typed_func::<(), i32>(&store, "me").unwrap();
    assert_eq!(me.call(&mut store, ()).unwrap(), 7);
}

#[test]
fn self_referential_types_are_one_type_across_modules() {
    let engine = Engine::default();
    let wat = r#"(module
      (type $s (func (param (ref null $s)) (result i32)))
      (func $f (export "f") (type $s) (i32.const 3)))"#;
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    let lib = linker
        .instantiate(&mut store, &module(&engine, wat))
        .unwrap();
    linker.instance(&store, "lib", lib).unwrap();
    let user = module(
        &engine,
        r#"(module
          (type $t (func (param (ref null $t)) (result i32)))
          (import "lib" "f" (func $f (type $t)))
          (func (export "g") (result i32) (call $f (ref.func $f)))
          (elem declare func $f))"#,
    );
    let user = linker.instantiate(&mut store, &user).unwrap();
    let g = user.get_typed_func::<(), i32>(&store, "g").unwrap();
    assert_eq!(g.call(&mut store, ()).unwrap(), 3);
}

#[test]
fn a_type_in_a_recursion_group_is_its_place_in_the_group() {
    // `$a` and `$b` have one signature, `(func (result i32))`, but are two types, and
    // neither is the lone `(func (result i32))`. The library comes from another engine,
    // so its groups are also carried into the store's engine.
    let (lib_engine, engine) = (Engine::default(), Engine::default());
    let _warm = module(
        &engine,
        r#"(module (type (func (param f64))) (func (type 0)))"#,
    );
    let pair = r#"(rec (type $a (func (result i32))) (type $b (func (result i32))))"#;
    let lib = module(
        &lib_engine,
        &format!(
            r#"(module {pair}
              (func $fa (export "fa") (type $a) (i32.const 1))
              (func $fb (export "fb") (type $b) (i32.const 2))
              (table (export "t") funcref (elem $fa $fb))
              (func (export "via_b") (param i32) (result i32)
                (call_indirect (type $b) (local.get 0))))"#
        ),
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    let lib = linker.instantiate(&mut store, &lib).unwrap();
    linker.instance(&store, "lib", lib).unwrap();
    let via_b = lib.get_typed_func::<i32, i32>(&store, "via_b").unwrap();
    assert_eq!(via_b.call(&mut store, 1).unwrap(), 2);
    let err = via_b.call(&mut store, 0).unwrap_err();
    assert_eq!(
        trap_kind(&err),
        Some(TrapKind::IndirectCallTypeMismatch),
        "{err}"
    );
    // Imports match by place: `$b` of an equal group links, `$a` and the lone type not.
    let import = |ty: &str, name: &str| {
        format!(
            r#"(module {pair} (type $lone (func (result i32))) (import "lib" "{name}" (func (type {ty}))))"#
        )
    };
    for (ty, name, links) in [
        ("$b", "fb", true),
        ("$a", "fa", true),
        ("$a", "fb", false),
        ("$lone", "fb", false),
        ("$b", "fa", false),
    ] {
        let m = module(&engine, &import(ty, name));
        let r = linker.instantiate(&mut store, &m);
        assert_eq!(r.is_ok(), links, "{ty} from {name}");
    }
    // A group whose types name each other, declared in two modules: one pair of types.
    let cycle = r#"(rec (type $p (func (param (ref null $q)) (result i32)))
                         (type $q (func (param (ref null $p)) (result i32))))"#;
    let m1 = module(
        &engine,
        &format!(r#"(module {cycle} (func (export "f") (type $q) (i32.const 5)))"#),
    );
    let m2 = module(
        &engine,
        &format!(
            r#"(module {cycle} (import "m1" "f" (func $f (type $q)))
             (func (export "g") (result i32) (call $f (ref.null $p))))"#
        ),
    );
    let m1 = linker.instantiate(&mut store, &m1).unwrap();
    linker.instance(&store, "m1", m1).unwrap();
    let g = linker.instantiate(&mut store, &m2).unwrap();
    let g = g.get_typed_func::<(), i32>(&store, "g").unwrap();
    assert_eq!(g.call(&mut store, ()).unwrap(), 5);
    // The embedder reads each type back: `$q`'s parameter names `$p`, whose parameter
    // names `$q` again.
    let exported = module(
        &engine,
        &format!(r#"(module {cycle} (func (export "f") (type $q) (i32.const 0)))"#),
    );
    let Some((_, ExternType::Func(q))) = exported.exports().next() else {
        panic!("an exported function")
    };
    let concrete = |t: ValType| match t {
        ValType::Ref(RefType {
            heap: HeapType::Concrete(id),
            ..
        }) => id,
        other => panic!("{other:?} is not a concrete reference"),
    };
    let p = engine.func_type(concrete(q.params()[0])).unwrap();
    assert_eq!(engine.func_type(concrete(p.params()[0])), Some(q.clone()));
    assert_ne!(p.params()[0], q.params()[0]);
}

#[test]
fn typed_references_need_their_proposal() {
    let wasm = wat::parse_str(r#"(module (type $t (func)) (func (param (ref null $t))))"#).unwrap();
    let mut proposals = Proposals::ALL;
    proposals.function_references = false;
    let mut config = Config::default();
    config.proposals(proposals);
    assert!(Module::new(&Engine::new(&config), &wasm).is_err());
    assert!(Module::new(&Engine::default(), &wasm).is_ok());
    // GC stays out even though wasmparser validates with its GC feature.
    for gc in [
        r#"(module (type (struct)))"#,
        r#"(module (rec (type (func)) (type (struct))))"#,
        r#"(module (type $a (sub (func))) (type (sub $a (func))))"#,
        r#"(module (global anyref (ref.null any)))"#,
        r#"(module (func (drop (ref.i31 (i32.const 1)))))"#,
    ] {
        let bytes = wat::parse_str(gc).unwrap();
        assert!(
            Module::new(&Engine::default(), &bytes).is_err(),
            "{gc} was accepted"
        );
    }
}
