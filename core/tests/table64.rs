//! 64-bit tables (memory64's table64) through the embedder API: their types in a module's
//! imports and exports, `Table`'s `u64` indices on both kinds of table (never truncated,
//! never a panic), import matching by index type, the limiter asked as for any table, and
//! `call_indirect` through a host-made 64-bit table. (The instructions themselves:
//! `std-host/tests/wast/table64.wast`.)

use folio::memory::{Limiter, LimiterRefusal};
use folio::{
    Caller, Config, Engine, ErrorKind, ExternRef, ExternType, Func, Instance, Linker, Module,
    Proposals, RefType, Store, Table, TableType, TrapKind, Val,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).unwrap()).unwrap()
}

fn ty(element: RefType, index64: bool, min: u64, max: Option<u64>) -> TableType {
    TableType {
        element,
        index64,
        min,
        max,
    }
}

#[test]
fn imports_and_exports_say_index64() {
    let m = module(
        &Engine::default(),
        r#"(module
            (import "env" "t" (table i64 1 externref))
            (table (export "big") i64 2 18446744073709551615 funcref)
            (table (export "small") 3 funcref))"#,
    );
    let imports: Vec<_> = m.imports().map(|(_, _, t)| t).collect();
    assert_eq!(
        imports,
        [ExternType::Table(ty(RefType::EXTERNREF, true, 1, None))]
    );
    let exports: Vec<_> = m.exports().collect();
    assert_eq!(
        exports,
        [
            (
                "big",
                ExternType::Table(ty(RefType::FUNCREF, true, 2, Some(u64::MAX)))
            ),
            (
                "small",
                ExternType::Table(ty(RefType::FUNCREF, false, 3, None))
            ),
        ]
    );
}

#[test]
fn invalid_without_memory64() {
    let mut config = Config::default();
    config.proposals(Proposals {
        memory64: false,
        ..Proposals::ALL
    });
    let wasm = wat::parse_str("(module (table i64 1 funcref))").unwrap();
    let err = Module::new(&Engine::new(&config), &wasm).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Module { .. }), "{err}");
    assert!(err.to_string().contains("64-bit tables"), "{err}");
    // With it (the default), the same bytes are a module.
    Module::new(&Engine::default(), &wasm).unwrap();
}

/// `get`, `set`, `grow` and `size` with indices and deltas of 2^32 and more, on a 64-bit
/// table and on a 32-bit one: past the end, never wrapped, never a panic.
#[test]
fn table_api_takes_u64_indices_on_both_kinds() {
    for index64 in [true, false] {
        let mut store = Store::new(&Engine::default(), ());
        let t = Table::new(
            &mut store,
            ty(RefType::EXTERNREF, index64, 3, Some(10)),
            Val::ExternRef(None),
        )
        .unwrap();
        assert_eq!(t.ty(&store).unwrap().index64, index64);
        let a = ExternRef::new(&mut store, "a");
        t.set(&mut store, 1, Val::ExternRef(Some(a))).unwrap();
        assert_eq!(t.get(&store, 1).unwrap(), Some(Val::ExternRef(Some(a))));
        // 2^32 + 1 would wrap to 1, 2^32 to 0.
        for index in [3, 1 << 32, (1 << 32) + 1, u64::MAX, 1 << 63] {
            assert_eq!(t.get(&store, index).unwrap(), None, "{index}");
            let err = t.set(&mut store, index, Val::ExternRef(None)).unwrap_err();
            let trap = err.as_trap().map(|t| t.kind());
            assert_eq!(trap, Some(TrapKind::TableOutOfBounds), "{index}");
        }
        assert_eq!(t.get(&store, 1).unwrap(), Some(Val::ExternRef(Some(a))));
        assert_eq!(t.get(&store, 0).unwrap(), Some(Val::ExternRef(None)));
        // A delta of 2^32 would wrap to 0 and succeed.
        for delta in [8, 1 << 32, (1 << 32) + 1, u64::MAX] {
            let err = t.grow(&mut store, delta, Val::ExternRef(None)).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Table(_)), "{err}");
        }
        assert_eq!(t.size(&store).unwrap(), 3);
        assert_eq!(t.grow(&mut store, 7, Val::ExternRef(Some(a))).unwrap(), 3);
        assert_eq!(t.size(&store).unwrap(), 10);
        assert_eq!(t.get(&store, 9).unwrap(), Some(Val::ExternRef(Some(a))));
        assert_eq!(t.ty(&store).unwrap().min, 3); // as declared
    }
}

#[test]
fn table_new_refuses_types_no_module_could_declare() {
    let mut store = Store::new(&Engine::default(), ());
    let null = Val::FuncRef(None);
    let refused = [
        ty(RefType::FUNCREF, false, 0, Some(1 << 32)),
        ty(RefType::FUNCREF, false, 1 << 32, None),
        ty(RefType::FUNCREF, false, 5, Some(4)),
        ty(RefType::FUNCREF, true, 5, Some(4)),
    ];
    for t in refused {
        let err = Table::new(&mut store, t, null).unwrap_err();
        assert!(
            err.to_string().contains("invalid table type"),
            "{t:?}: {err}"
        );
    }
    let err = Table::new(&mut store, refused[0], null).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid table type: initial=0 max=4294967296 for a 32-bit table"
    );
    // The largest limits of each kind are types; the maximum is not allocated.
    Table::new(
        &mut store,
        ty(RefType::FUNCREF, true, 1, Some(u64::MAX)),
        null,
    )
    .unwrap();
    let t = ty(RefType::FUNCREF, false, 1, Some(u64::from(u32::MAX)));
    Table::new(&mut store, t, null).unwrap();
    // A minimum past Folio's cap is an error, not an allocation.
    let huge = ty(RefType::FUNCREF, true, 1 << 40, None);
    let err = Table::new(&mut store, huge, null).unwrap_err();
    assert!(err.to_string().contains("too large"), "{err}");
}

/// A 64-bit table made by the host: imported where a 64-bit table is declared (and only
/// there), holding a host function and a Wasm function that `call_indirect` reaches
/// with `i64` indices.
#[test]
fn host_table_imported_and_called_through() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<i64>::new());
    let t64 = Table::new(
        &mut store,
        ty(RefType::FUNCREF, true, 4, None),
        Val::FuncRef(None),
    )
    .unwrap();
    let t32 = Table::new(
        &mut store,
        ty(RefType::FUNCREF, false, 4, None),
        Val::FuncRef(None),
    )
    .unwrap();
    let log = Func::wrap(&mut store, |mut caller: Caller<'_, Vec<i64>>, x: i64| {
        caller.data_mut().push(x);
        x * 2
    });
    t64.set(&mut store, 3, Val::FuncRef(Some(log))).unwrap();
    let mut linker = Linker::new();
    linker.define("env", "t64", t64).unwrap();
    linker.define("env", "t32", t32).unwrap();

    let user = module(
        &engine,
        r#"(module
            (type $h (func (param i64) (result i64)))
            (import "env" "t64" (table $t i64 2 funcref))
            (func $triple (type $h) (i64.mul (local.get 0) (i64.const 3)))
            (elem (table $t) (i64.const 1) func $triple)
            (func (export "call") (param i64 i64) (result i64)
                (call_indirect $t (type $h) (local.get 1) (local.get 0)))
            (func (export "grow") (param i64) (result i64)
                (table.grow $t (ref.null func) (local.get 0))))"#,
    );
    let instance = linker.instantiate(&mut store, &user).unwrap();
    let call = instance
        .get_typed_func::<(i64, i64), i64>(&store, "call")
        .unwrap();
    assert_eq!(call.call(&mut store, (3, 21)).unwrap(), 42);
    assert_eq!(store.data(), &[21]);
    assert_eq!(call.call(&mut store, (1, 5)).unwrap(), 15);
    let trap = |r: Result<i64, folio::Error>| r.unwrap_err().as_trap().map(|t| t.kind());
    assert_eq!(
        trap(call.call(&mut store, (0, 5))),
        Some(TrapKind::UninitializedElement)
    );
    // 2^32 + 3 would wrap to the host function.
    assert_eq!(
        trap(call.call(&mut store, ((1 << 32) + 3, 5))),
        Some(TrapKind::UndefinedElement)
    );
    assert_eq!(store.data(), &[21]);
    // The guest grows the host's table; the host sees it.
    let grow = instance.get_typed_func::<i64, i64>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 2).unwrap(), 4);
    assert_eq!(t64.size(&store).unwrap(), 6);
    assert_eq!(grow.call(&mut store, 1 << 32).unwrap(), -1);
    assert_eq!(t64.size(&store).unwrap(), 6);
    // The Wasm function the segment put there is callable by the host.
    let Some(Val::FuncRef(Some(triple))) = t64.get(&store, 1).unwrap() else {
        panic!("the segment's function");
    };
    let mut out = [Val::I64(0)];
    triple.call(&mut store, &[Val::I64(7)], &mut out).unwrap();
    assert_eq!(out, [Val::I64(21)]);

    // Index types must match, both ways.
    for (wat, name) in [
        (
            r#"(module (import "env" "t64" (table 1 funcref)))"#,
            "env::t64",
        ),
        (
            r#"(module (import "env" "t32" (table i64 1 funcref)))"#,
            "env::t32",
        ),
    ] {
        let err = linker
            .instantiate(&mut store, &module(&engine, wat))
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Link(_)), "{err}");
        assert!(
            err.to_string()
                .contains(&format!("incompatible import type for `{name}`")),
            "{err}"
        );
    }
    let ok = module(
        &engine,
        r#"(module (import "env" "t32" (table 4 funcref)))"#,
    );
    linker.instantiate(&mut store, &ok).unwrap();
}

/// Records what it is asked about tables, and allows up to `max` elements.
struct Tables {
    asked: Vec<(u64, u64, Option<u64>)>,
    max: u64,
}

impl Limiter for Tables {
    fn memory_growing(&mut self, _: u64, _: u64, _: Option<u64>) -> Result<(), LimiterRefusal> {
        Ok(())
    }
    fn table_growing(
        &mut self,
        current: u64,
        desired: u64,
        maximum: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        self.asked.push((current, desired, maximum));
        if desired <= self.max {
            Ok(())
        } else {
            Err(LimiterRefusal::new("elements"))
        }
    }
}

#[test]
fn limiter_is_asked_about_64_bit_tables() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    store.set_limiter(Tables {
        asked: Vec::new(),
        max: 100,
    });
    let m = module(
        &engine,
        r#"(module
            (table $t i64 10 1000 funcref)
            (func (export "grow") (param i64) (result i64)
                (table.grow $t (ref.null func) (local.get 0))))"#,
    );
    let instance = Instance::new(&mut store, &m, &[]).unwrap();
    let grow = instance.get_typed_func::<i64, i64>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 90).unwrap(), 10);
    // Refused by the limiter: -1 as an i64.
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
    // Past the declared maximum: refused before the limiter is asked.
    assert_eq!(grow.call(&mut store, 1 << 32).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 0).unwrap(), 100);
    let asked = &store.limiter::<Tables>().unwrap().asked;
    assert_eq!(
        asked,
        &[
            (0, 10, Some(1000)),
            (10, 100, Some(1000)),
            (100, 101, Some(1000))
        ]
    );
}

/// Which instructions each kind of table gets, decided at translation: the `i32` forms,
/// unchanged, for a 32-bit table; the `…64` forms for a 64-bit one, and for a copy with
/// a 64-bit table at either end. (`TableSize` serves both.)
#[test]
fn instructions_follow_each_tables_index_type() {
    let wat = r#"(module
        (type $i (func (result i32)))
        (table $t32 2 funcref)
        (table $t64 i64 2 funcref)
        (elem $e func $f)
        (func $f (type $i) (i32.const 1))
        (func (export "t32") (result i32)
            (table.set $t32 (i32.const 0) (table.get $t32 (i32.const 1)))
            (table.fill $t32 (i32.const 0) (ref.null func) (i32.const 1))
            (table.copy $t32 $t32 (i32.const 0) (i32.const 1) (i32.const 1))
            (table.init $t32 $e (i32.const 0) (i32.const 0) (i32.const 1))
            (drop (table.grow $t32 (ref.null func) (i32.const 1)))
            (drop (table.size $t32))
            (call_indirect $t32 (type $i) (i32.const 0)))
        (func (export "t64") (result i32)
            (table.set $t64 (i64.const 0) (table.get $t64 (i64.const 1)))
            (table.fill $t64 (i64.const 0) (ref.null func) (i64.const 1))
            (table.copy $t32 $t64 (i32.const 0) (i64.const 1) (i32.const 1))
            (table.copy $t64 $t32 (i64.const 0) (i32.const 1) (i32.const 1))
            (table.init $t64 $e (i64.const 0) (i32.const 0) (i32.const 1))
            (drop (table.grow $t64 (ref.null func) (i64.const 1)))
            (drop (table.size $t64))
            (call_indirect $t64 (type $i) (i64.const 0))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let m = Module::new(&Engine::default(), &wasm).unwrap();
    let names = |func: u32| -> Vec<String> {
        let d = m.disassemble(&wasm, func).unwrap();
        d.instrs
            .iter()
            .filter_map(|i| {
                let text = i.text.split(" = ").last().unwrap_or(&i.text);
                let name = text.split(' ').next().unwrap_or("");
                (name.starts_with("Table") || name.starts_with("CallIndirect"))
                    .then(|| name.to_string())
            })
            .collect()
    };
    let expect = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        names(1),
        expect(&[
            "TableGet",
            "TableSet",
            "TableFill",
            "TableCopy",
            "TableInit",
            "TableGrow",
            "TableSize",
            "CallIndirect"
        ])
    );
    assert_eq!(
        names(2),
        expect(&[
            "TableGet64",
            "TableSet64",
            "TableFill64",
            "TableCopy64",
            "TableCopy64",
            "TableInit64",
            "TableGrow64",
            "TableSize",
            "CallIndirect64"
        ])
    );
}
