//! `v128` through everything that carries values: locals next to scalars, a deep operand
//! stack, blocks and branches, direct and indirect calls with mixed signatures, globals,
//! host functions in both directions, and `local.set`s that take a result in place.
//! (The lane semantics are the spec suite's and `exec::simd`'s unit tests' business.)
#![cfg(feature = "simd")]

use folio::{Engine, Func, FuncType, Instance, Linker, Module, Store, Val, ValType};

fn v(lanes: [i32; 4]) -> Val {
    let mut bits = 0u128;
    for (i, l) in lanes.iter().enumerate() {
        bits |= u128::from(*l as u32) << (32 * i);
    }
    Val::V128(bits)
}

fn instance(store: &mut Store<()>, linker: &Linker<()>, wat: &str) -> Instance {
    let module = Module::new(store.engine(), &wat::parse_str(wat).unwrap()).unwrap();
    linker.instantiate(store, &module).unwrap()
}

fn call(store: &mut Store<()>, instance: &Instance, name: &str, args: &[Val]) -> Vec<Val> {
    let f = instance.get_func(store, name).unwrap();
    let ty = f.ty(store).unwrap();
    let mut out: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    f.call(store, args, &mut out).unwrap();
    out
}

#[test]
fn vectors_and_scalars_share_frames_calls_and_blocks() {
    let mut store = Store::new(&Engine::default(), ());
    let wat = r#"(module
        (type $mix (func (param i32 v128 f64 v128) (result v128 i32 v128)))
        (table 2 funcref)
        (elem (i32.const 0) $mix $swap)
        (global $g (mut v128) (v128.const i32x4 100 200 300 400))
        (func $mix (type $mix)
            (local $t v128) (local $k i64)
            (local.set $k (i64.const 5))
            (local.set $t (i32x4.add (local.get 1) (local.get 3)))
            (block $out (result v128 i32)
                (local.get $t)
                (i32.add (local.get 0) (i32.wrap_i64 (local.get $k)))
                (br_if $out (local.get 0))
                (drop) (drop)
                (local.get 3) (i32.const -1))
            (global.get $g))
        (func $swap (type $mix)
            (local.get 3) (local.get 0) (local.get 1))
        (func (export "direct") (param i32 v128 v128) (result v128 i32 v128)
            (call $mix (local.get 0) (local.get 1) (f64.const 1.5) (local.get 2)))
        (func (export "indirect") (param i32 v128 v128 i32) (result v128 i32 v128)
            (call_indirect (type $mix)
                (local.get 0) (local.get 1) (f64.const 1.5) (local.get 2) (local.get 3)))
        (func (export "bump") (result v128)
            (global.set $g (i32x4.mul (global.get $g) (v128.const i32x4 2 2 2 2)))
            (global.get $g)))"#;
    let inst = instance(&mut store, &Linker::new(), wat);
    let (a, b) = (v([1, 2, 3, 4]), v([10, 20, 30, 40]));
    let g = v([100, 200, 300, 400]);
    // Taken branch: the block's two values (a v128 and an i32) come from the branch.
    assert_eq!(
        call(&mut store, &inst, "direct", &[Val::I32(7), a, b]),
        [v([11, 22, 33, 44]), Val::I32(12), g]
    );
    // Fallen through.
    assert_eq!(
        call(&mut store, &inst, "direct", &[Val::I32(0), a, b]),
        [b, Val::I32(-1), g]
    );
    assert_eq!(
        call(
            &mut store,
            &inst,
            "indirect",
            &[Val::I32(7), a, b, Val::I32(0)]
        ),
        [v([11, 22, 33, 44]), Val::I32(12), g]
    );
    assert_eq!(
        call(
            &mut store,
            &inst,
            "indirect",
            &[Val::I32(7), a, b, Val::I32(1)]
        ),
        [b, Val::I32(7), a]
    );
    assert_eq!(
        call(&mut store, &inst, "bump", &[]),
        [v([200, 400, 600, 800])]
    );
}

#[test]
fn a_deep_stack_of_vectors_keeps_both_halves() {
    // 20 vectors on the stack (40 cells): the translator's lazy window is 16 cells, so
    // some vectors are half copied, half lazy when the adds consume them.
    let gets: String = (0..20).map(|_| "(local.get 0) ").collect();
    let adds: String = (0..19).map(|_| "(i32x4.add) ").collect();
    let wat = format!(
        r#"(module (func (export "sum") (param v128) (result v128)
            {gets} {adds}))"#
    );
    let mut store = Store::new(&Engine::default(), ());
    let inst = instance(&mut store, &Linker::new(), &wat);
    assert_eq!(
        call(&mut store, &inst, "sum", &[v([1, -2, 3, 1 << 20])]),
        [v([20, -40, 60, 20 << 20])]
    );
}

#[test]
fn local_set_in_a_loop_takes_results_in_place() {
    // acc = acc * 3 + x, x += 1, ten times; `local.tee` and a `v128.const` in the loop.
    let wat = r#"(module (func (export "run") (param $x v128) (result v128 i32)
        (local $acc v128) (local $i i32)
        (loop $l
            (local.set $acc
                (i32x4.add
                    (i32x4.mul (local.get $acc) (v128.const i32x4 3 3 3 3))
                    (local.tee $x (i32x4.add (local.get $x) (v128.const i32x4 1 1 1 1)))))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                (i32.const 10))))
        (local.get $acc) (i32x4.extract_lane 3 (local.get $x))))"#;
    let mut store = Store::new(&Engine::default(), ());
    let inst = instance(&mut store, &Linker::new(), wat);
    let expect = |x0: i32| {
        let (mut acc, mut x) = (0i32, x0);
        for _ in 0..10 {
            x = x.wrapping_add(1);
            acc = acc.wrapping_mul(3).wrapping_add(x);
        }
        acc
    };
    let out = call(&mut store, &inst, "run", &[v([0, 5, -7, 1000])]);
    assert_eq!(
        out,
        [
            v([expect(0), expect(5), expect(-7), expect(1000)]),
            Val::I32(1010)
        ]
    );
}

#[test]
fn host_functions_take_and_return_vectors() {
    let mut store = Store::new(&Engine::default(), ());
    let ty = FuncType::new([ValType::I32, ValType::V128], [ValType::V128, ValType::I64]);
    let host = Func::new(&mut store, ty, |_, args, results| {
        let (Val::I32(k), Val::V128(x)) = (args[0], args[1]) else {
            panic!("argument types");
        };
        results[0] = Val::V128(x.rotate_left(k as u32));
        results[1] = Val::I64(x.count_ones().into());
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("host", "rot", host).unwrap();
    let wat = r#"(module
        (import "host" "rot" (func $rot (param i32 v128) (result v128 i64)))
        (func (export "twice") (param v128) (result v128 i64 i64)
            (local $n i64) (local $v v128)
            (call $rot (i32.const 32) (local.get 0))
            (local.set $n)
            (local.set $v)
            (call $rot (i32.const 32) (local.get $v))
            (local.get $n)))"#;
    let inst = instance(&mut store, &linker, wat);
    let x = v([1, 2, 3, -1]);
    let Val::V128(bits) = x else { unreachable!() };
    assert_eq!(
        call(&mut store, &inst, "twice", &[x]),
        [
            Val::V128(bits.rotate_left(64)),
            Val::I64(bits.count_ones().into()),
            Val::I64(bits.count_ones().into())
        ]
    );
    // A host function returning the wrong type is an error, not a torn vector.
    let bad = Func::new(
        &mut store,
        FuncType::new([], [ValType::V128]),
        |_, _, results| {
            results[0] = Val::I64(1);
            Ok(())
        },
    );
    let mut out = [Val::V128(0)];
    assert!(bad.call(&mut store, &[], &mut out).is_err());
}

#[test]
fn lane_and_splat_accesses_of_memory_0_shared_or_not() {
    // Memory 0's fast path reads its bytes through its pointer; a shared memory 0 has
    // none and must take the memory's own path (not trap).
    for shared in ["", "shared"] {
        let wat = format!(
            r#"(module
            (memory 1 1 {shared})
            (data (i32.const 16) "\01\02\03\04\05\06\07\08")
            (func (export "run") (result v128 v128 i32)
                (v128.store32_lane 1 (i32.const 100) (v128.const i32x4 0 0xabcdef 0 0))
                (v128.load32_splat (i32.const 100))
                (v128.load16_lane 7 (i32.const 17) (v128.const i64x2 0 0))
                (i32.load (i32.const 100)))
            (func (export "oob") (result v128)
                (v128.load64_splat (i32.const 65530))))"#
        );
        let mut store = Store::new(&Engine::default(), ());
        let inst = instance(&mut store, &Linker::new(), &wat);
        assert_eq!(
            call(&mut store, &inst, "run", &[]),
            [
                v([0xabcdef; 4]),
                Val::V128(0x0302 << 112),
                Val::I32(0xabcdef)
            ],
            "{shared}"
        );
        let f = inst.get_func(&store, "oob").unwrap();
        let err = f.call(&mut store, &[], &mut [Val::V128(0)]).unwrap_err();
        assert_eq!(
            err.as_trap().map(|t| t.kind()),
            Some(folio::TrapKind::MemoryOutOfBounds),
            "{shared}"
        );
    }
}

#[test]
fn typed_calls_and_typed_host_functions_carry_u128_as_v128() {
    let mut store = Store::new(&Engine::default(), ());
    let mut linker = Linker::new();
    linker
        .func_wrap("host", "swap", |k: i32, x: u128, y: i128| {
            (y.rotate_left(k as u32), x.count_ones() as i64, x)
        })
        .unwrap();
    let wat = r#"(module
        (import "host" "swap" (func $swap (param i32 v128 v128) (result v128 i64 v128)))
        (func (export "f") (param i32 v128 v128) (result v128 i64 v128)
            (call $swap (local.get 0) (local.get 1) (local.get 2))))"#;
    let inst = instance(&mut store, &linker, wat);
    let f = inst
        .get_typed_func::<(i32, u128, i128), (u128, i64, u128)>(&store, "f")
        .unwrap();
    let (x, y) = (0x0123_4567_89ab_cdef_0011_2233_4455_6677u128, -2i128);
    assert_eq!(
        f.call(&mut store, (8, x, y)).unwrap(),
        (y.rotate_left(8) as u128, i64::from(x.count_ones()), x)
    );
    // The signature is checked once: v128 is not i64.
    assert!(
        inst.get_typed_func::<(i32, u64, u64), (u128, i64, u128)>(&store, "f")
            .is_err()
    );
    let one = inst.get_func(&store, "f").unwrap();
    assert!(
        one.typed::<(i32, u128, u128), (u128, i64, u128)>(&store)
            .is_ok()
    );
}
