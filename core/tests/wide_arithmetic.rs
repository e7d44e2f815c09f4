//! The wide-arithmetic instructions (`i64.add128`, `i64.sub128`, `i64.mul_wide_s`,
//! `i64.mul_wide_u`) as the translator sees them: operands from locals, constants (in a
//! loop: the constant pool) and other instructions' results, results into locals, dropped,
//! fed to the next wide instruction or returned, with and without fuel, against Rust's
//! `u128`/`i128` on many inputs. (The semantics' edge cases: `exec::num`'s unit tests and
//! the spec suite's `wide-arithmetic.wast`.)

use folio::{Config, Engine, ErrorKind, Instance, Module, Proposals, Store};

const WAT: &str = r#"(module
  ;; 128 x 128 -> 128 bits: the low product in full, the cross products' low halves.
  (func (export "mul128") (param $al i64) (param $ah i64) (param $bl i64) (param $bh i64)
      (result i64 i64)
    (local $lo i64) (local $hi i64)
    (i64.mul_wide_u (local.get $al) (local.get $bl))
    (local.set $hi)
    (local.set $lo)
    (local.get $lo)
    (i64.add (local.get $hi)
      (i64.add (i64.mul (local.get $al) (local.get $bh))
               (i64.mul (local.get $ah) (local.get $bl)))))
  ;; Results of two wide multiplies as the operands of a 128-bit subtraction, on the stack.
  (func (export "det") (param $a i64) (param $b i64) (param $c i64) (param $d i64)
      (result i64 i64)
    (i64.sub128 (i64.mul_wide_s (local.get $a) (local.get $d))
                (i64.mul_wide_s (local.get $b) (local.get $c))))
  ;; sum of i * k for i below n, in 128 bits: a constant operand in a loop.
  (func (export "sum") (param $n i64) (result i64 i64)
    (local $i i64) (local $lo i64) (local $hi i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (i64.add128 (local.get $lo) (local.get $hi)
          (i64.mul_wide_u (local.get $i) (i64.const 0xfedc_ba98_7654_3210)))
        (local.set $hi)
        (local.set $lo)
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $lo) (local.get $hi))
  ;; The signed counterpart, subtracting: -(sum of i * -k).
  (func (export "neg_sum") (param $n i64) (result i64 i64)
    (local $i i64) (local $lo i64) (local $hi i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (i64.sub128 (local.get $lo) (local.get $hi)
          (i64.mul_wide_s (local.get $i) (i64.const -0x7654_3210_fedc_ba98)))
        (local.set $hi)
        (local.set $lo)
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $lo) (local.get $hi))
  ;; One half kept, the other dropped; the high half consumed by another operator.
  (func (export "high_u") (param i64 i64) (result i64)
    (i64.mul_wide_u (local.get 0) (local.get 1))
    (local.set 0)
    (drop)
    (local.get 0))
  (func (export "carry") (param i64 i64) (result i64 i64)
    (i64.add128 (local.get 0) (i64.const 0) (local.get 1) (i64.const 0))
    (i64.add (i64.const 100)))
  ;; Constant operands of every kind (immediates outside a loop).
  (func (export "consts") (result i64 i64 i64 i64)
    (i64.add128 (i64.const -1) (i64.const 0x7fff_ffff_ffff_ffff) (i64.const 1) (i64.const 0))
    (i64.mul_wide_s (i64.const 0x8000_0000_0000_0000) (i64.const -1))
    (i64.sub128)
    (i64.mul_wide_u (i64.const -1) (i64.const -1)))
)"#;

fn split(v: u128) -> (i64, i64) {
    (v as u64 as i64, (v >> 64) as u64 as i64)
}

fn join(lo: i64, hi: i64) -> u128 {
    u128::from(lo as u64) | (u128::from(hi as u64) << 64)
}

fn run(consume_fuel: bool) {
    let mut config = Config::default();
    config.consume_fuel(consume_fuel);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &wat::parse_str(WAT).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    if consume_fuel {
        store.set_fuel(u64::MAX).unwrap();
    }
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let mul128 = instance
        .get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&store, "mul128")
        .unwrap();
    let det = instance
        .get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&store, "det")
        .unwrap();
    let high_u = instance
        .get_typed_func::<(i64, i64), i64>(&store, "high_u")
        .unwrap();
    let carry = instance
        .get_typed_func::<(i64, i64), (i64, i64)>(&store, "carry")
        .unwrap();
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as i64
    };
    for round in 0..2000 {
        let (a, b, c, d) = (next(), next(), next(), next());
        // Edge values now and then.
        let (a, b) = match round % 5 {
            0 => (i64::MIN, -1),
            1 => (-1, i64::MAX),
            _ => (a, b),
        };
        let want = join(a, b).wrapping_mul(join(c, d));
        assert_eq!(mul128.call(&mut store, (a, b, c, d)).unwrap(), split(want));
        let want = (i128::from(a) * i128::from(d)).wrapping_sub(i128::from(b) * i128::from(c));
        assert_eq!(
            det.call(&mut store, (a, b, c, d)).unwrap(),
            split(want as u128)
        );
        let want = (u128::from(a as u64) * u128::from(c as u64)) >> 64;
        assert_eq!(high_u.call(&mut store, (a, c)).unwrap(), want as i64);
        let (lo, hi) = split(u128::from(a as u64) + u128::from(c as u64));
        assert_eq!(carry.call(&mut store, (a, c)).unwrap(), (lo, 100 + hi));
    }
    let sum = instance
        .get_typed_func::<i64, (i64, i64)>(&store, "sum")
        .unwrap();
    let neg_sum = instance
        .get_typed_func::<i64, (i64, i64)>(&store, "neg_sum")
        .unwrap();
    for n in [0u64, 1, 2, 1000] {
        let want: u128 = (0..n).map(|i| u128::from(i) * 0xfedc_ba98_7654_3210).sum();
        assert_eq!(sum.call(&mut store, n as i64).unwrap(), split(want));
        let want: i128 = (0..n).map(|i| i128::from(i) * 0x7654_3210_fedc_ba98).sum();
        assert_eq!(
            neg_sum.call(&mut store, n as i64).unwrap(),
            split(want as u128)
        );
    }
    let consts = instance
        .get_typed_func::<(), (i64, i64, i64, i64)>(&store, "consts")
        .unwrap();
    // (2^127 - 1 + 1) - 2^63, then (2^64 - 1)^2.
    let (lo, hi) = split((1u128 << 127) - (1 << 63));
    assert_eq!(consts.call(&mut store, ()).unwrap(), (lo, hi, 1, -2));
}

#[test]
fn agrees_with_rust_u128() {
    run(false);
}

#[test]
fn agrees_with_rust_u128_with_fuel() {
    run(true);
}

#[test]
fn fuel_counts_each_wide_operator_once() {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let wat = r#"(module
      (func (export "f") (param i64 i64) (result i64 i64)
        (i64.mul_wide_s (local.get 0) (local.get 1))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let module = Module::new(&engine, &wasm).unwrap();
    // Two `local.get`s, the multiply and the `end`: one instruction for the first three.
    let d = module.disassemble(&wasm, 0).unwrap();
    let mul = d
        .instrs
        .iter()
        .find(|i| i.text.contains("I64MulWideS"))
        .unwrap();
    assert_eq!(
        (mul.text.as_str(), mul.fuel),
        ("s2 = I64MulWideS s0, s1", 3)
    );
    let mut store = Store::new(&engine, ());
    store.set_fuel(1000).unwrap();
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance
        .get_typed_func::<(i64, i64), (i64, i64)>(&store, "f")
        .unwrap();
    assert_eq!(f.call(&mut store, (i64::MIN, -1)).unwrap(), (i64::MIN, 0));
    let spent = 1000 - store.get_fuel().unwrap();
    assert_eq!(
        spent,
        d.instrs.iter().map(|i| u64::from(i.fuel)).sum::<u64>()
    );
}

#[test]
fn invalid_without_the_proposal() {
    let mut config = Config::default();
    config.proposals(Proposals {
        wide_arithmetic: false,
        ..Proposals::ALL
    });
    let wasm = wat::parse_str(
        "(module (func (param i64 i64) (result i64 i64) \
         (i64.mul_wide_u (local.get 0) (local.get 1))))",
    )
    .unwrap();
    let err = Module::new(&Engine::new(&config), &wasm).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Module { .. }), "{err}");
    assert!(err.to_string().contains("wide arithmetic"), "{err}");
    Module::new(&Engine::default(), &wasm).unwrap();
}
