use super::bytecode::{BrTableEntry, CatchClause, Divisor, Kind, SlotPair, Step};
use super::*;
use crate::prelude::*;
use crate::{Engine, Module};

/// The instruction stays two words: the dispatch loop copies one per step.
#[test]
fn instr_is_16_bytes() {
    assert_eq!(core::mem::size_of::<Instr>(), 16);
}

/// The translated bodies as they run, accumulator forms included.
fn compile_raw(wat: &str) -> Vec<Arc<CompiledFunc>> {
    let bytes = wat::parse_str(wat).unwrap();
    let module = Module::new(&Engine::default(), &bytes).unwrap();
    module.inner.code.clone()
}

/// The translated bodies with every accumulator form turned back into its plain form,
/// for the tests about everything else (the accumulator has its own tests below). A
/// commutative operator whose right operand came from the accumulator keeps its swapped
/// operands.
fn compile(wat: &str) -> Vec<Arc<CompiledFunc>> {
    compile_raw(wat)
        .into_iter()
        .map(|f| {
            let mut f = (*f).clone();
            f.code = f.code.iter().map(|i| i.without_acc()).collect();
            Arc::new(f)
        })
        .collect()
}

#[test]
fn locals_params_and_height() {
    let code = compile(
        r#"(module (func (param i32 i64) (result i32) (local f32 f64 f64)
            local.get 0 i32.const 1 i32.const 2 i32.add i32.add))"#,
    );
    let f = &code[0];
    assert_eq!((f.num_params, f.num_locals, f.num_results), (2, 5, 1));
    assert_eq!(f.max_height, 5 + 3);
    // Operand slots start after the locals: height h is slot 5 + h. The constant 1 needs
    // a slot (no instruction adds two immediates), the 2 is an immediate, local 0 is read
    // in place.
    assert_eq!(
        &*f.code,
        &[
            Instr::Const { dst: 6, value: 1 },
            Instr::I32AddImm {
                dst: 6,
                a: 6,
                imm: 2
            },
            Instr::I32Add { dst: 5, a: 6, b: 0 },
            Instr::Return { src: 5, n: 1 },
        ]
    );
}

#[test]
fn branch_out_of_block_drops_values_below() {
    let code = compile(
        r#"(module (func (result i32)
            (block (result i32) i32.const 7 i32.const 8 i32.const 9 br 0)))"#,
    );
    // The kept value goes straight to the label's slot; the dropped ones are never written.
    // The `br` to the function's `Return` is a copy of it.
    assert_eq!(
        &*code[0].code,
        &[
            Instr::Const { dst: 0, value: 9 },
            Instr::Return { src: 0, n: 1 },
            Instr::Return { src: 0, n: 1 },
        ]
    );
    assert_eq!(&*code[0].fuel, &[1, 2, 1]);
}

#[test]
fn loop_branches_back_and_dead_code_is_skipped() {
    let code = compile(
        r#"(module (func (param i32)
            (loop local.get 0 br_if 0 br 0 i32.const 1 drop)))"#,
    );
    // `br 0` runs a copy of the test it jumps to, then goes on after that test.
    assert_eq!(
        &*code[0].code,
        &[
            Instr::BrIfNez { cond: 0, target: 0 },
            Instr::BrIfNez { cond: 0, target: 0 },
            Instr::Br { target: 1 },
            Instr::Return { src: 1, n: 0 },
        ]
    );
    assert_eq!(&*code[0].fuel, &[2, 3, 0, 1]);
}

#[test]
fn if_else_targets() {
    let code = compile(
        r#"(module (func (param i32) (result i32)
            (if (result i32) (local.get 0) (then i32.const 1) (else i32.const 2))))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::BrIfEqz { cond: 0, target: 3 },
            Instr::Const { dst: 1, value: 1 },
            Instr::Return { src: 1, n: 1 },
            Instr::Const { dst: 1, value: 2 },
            Instr::Return { src: 1, n: 1 },
        ]
    );
}

#[test]
fn br_table_entries_in_side_table() {
    let code = compile(
        r#"(module (func (param i32) (result i32)
            (block (result i32)
              (block (result i32) i32.const 5 i32.const 6 local.get 0 br_table 0 1 1)
              i32.const 7 i32.add)))"#,
    );
    let f = &code[0];
    assert_eq!(
        &*f.code,
        &[
            Instr::Const { dst: 2, value: 6 },
            Instr::BrTable {
                index: 0,
                offset: 0,
                len: 2
            },
            Instr::I32AddImm {
                dst: 1,
                a: 1,
                imm: 7
            },
            Instr::Return { src: 1, n: 1 },
        ]
    );
    // The 6 moves from height 1 (slot 2) to the labels' height 0 (slot 1).
    let entry = |target| BrTableEntry {
        target,
        from: 2,
        to: 1,
        n: 1,
    };
    assert_eq!(&*f.br_tables, &[entry(2), entry(3), entry(3)]);
}

#[test]
fn locals_and_constants_fold_into_instructions() {
    let code = compile(
        r#"(module (memory 1) (func (param $p i32) (param $n i32) (result i32) (local $s i32)
            (loop $l
              (local.set $s (i32.add (local.get $s) (i32.load8_u offset=3 (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $p) (local.get $n))))
            (local.get $s)))"#,
    );
    let f = &code[0];
    assert_eq!(
        &*f.code,
        &[
            Instr::I32Load8U {
                dst: 4,
                addr: 0,
                offset: 3
            },
            Instr::I32Add { dst: 2, a: 4, b: 2 },
            // The loop's step and test, fused.
            Instr::StepI32LtU {
                step: Step::new(0, 1).unwrap(),
                b: 1,
                target: 0
            },
            Instr::Return { src: 2, n: 1 },
        ]
    );
    // Fuel: each instruction costs the Wasm operators it stands for (13 in the loop).
    assert_eq!(&*f.fuel, &[2, 3, 8, 2]);
}

#[test]
fn if_fuses_the_negated_comparison() {
    let code = compile(
        r#"(module (func (param i64) (result i64)
            (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
              (then (local.get 0))
              (else (i64.const -1)))))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::BrI64GeUImm {
                a: 0,
                imm: 2,
                target: 3
            },
            Instr::Copy { dst: 1, src: 0 },
            Instr::Return { src: 1, n: 1 },
            Instr::Const {
                dst: 1,
                value: u64::MAX
            },
            Instr::Return { src: 1, n: 1 },
        ]
    );
}

#[test]
fn set_copies_the_old_value_still_on_the_stack() {
    let code = compile(
        r#"(module (func (param i32) (result i32)
            local.get 0 (local.set 0 (i32.const 5)) local.get 0 i32.sub))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::Copy { dst: 1, src: 0 },
            Instr::Const { dst: 0, value: 5 },
            Instr::I32Sub { dst: 1, a: 1, b: 0 },
            Instr::Return { src: 1, n: 1 },
        ]
    );
}

#[test]
fn large_offsets_and_other_memories_use_the_side_table() {
    let code = compile(
        r#"(module (memory 1) (memory i64 1)
            (func (param i32 i64) (result i64)
              (i64.load offset=8 (local.get 0))
              (i64.load 1 offset=0x100000000 (local.get 1))
              i64.add))"#,
    );
    let f = &code[0];
    assert_eq!(
        f.code[0],
        Instr::I64Load {
            dst: 2,
            addr: 0,
            offset: 8
        }
    );
    assert_eq!(
        f.code[1],
        Instr::I64LoadM {
            dst: 3,
            addr: 1,
            memarg: 0
        }
    );
    assert_eq!(f.memargs[0].memory, 1);
    assert_eq!(f.memargs[0].offset, 0x1_0000_0000);
}

#[test]
fn every_translated_body_passes_the_check() {
    for f in compile(
        r#"(module (memory 1) (table 1 funcref)
            (func (param i32) (result i32)
              (block (result i32) (local.get 0) (br_if 0 (i32.const 1)) (drop) (i32.const 2))
              (select (local.get 0) (i32.const 3) (local.get 0))
              (call_indirect (param i32 i32) (result i32) (i32.const 0)))
            (func (param i32 i32) (result i32) (return (local.get 1))))"#,
    ) {
        assert!(f.check(), "{f:?}");
    }
}

#[test]
fn invalid_body_is_an_error() {
    let bytes = wat::parse_str(r#"(module (func (result i32) i64.const 1))"#).unwrap();
    assert!(Module::new(&Engine::default(), &bytes).is_err());
}

#[test]
fn f64_mul_then_add_fuses_into_a_multiply_add() {
    let code = compile(
        r#"(module (func (param f64 f64 f64) (result f64) (local $acc f64)
            (local.set $acc (f64.add (local.get 0) (f64.mul (local.get 1) (local.get 2))))
            ;; The product on the left: not fused (the operands' order must stay).
            (f64.add (f64.mul (local.get 1) (local.get 2)) (local.get $acc))))"#,
    );
    let f = &code[0];
    assert_eq!(
        &*f.code,
        &[
            Instr::F64MulAdd {
                dst: 3,
                acc: 0,
                xy: SlotPair::new(1, 2).unwrap()
            },
            Instr::F64Mul { dst: 4, a: 1, b: 2 },
            Instr::F64Add { dst: 4, a: 4, b: 3 },
            Instr::Return { src: 4, n: 1 },
        ]
    );
    // local.get ×3, f64.mul, f64.add, local.set: 6 operators.
    assert_eq!(&f.fuel[..1], &[6]);
}

#[test]
fn wrap_of_a_shift_is_the_i32_shift() {
    let code = compile(
        r#"(module (memory 1) (func (param i64) (result i64)
            (i64.load (i32.wrap_i64 (i64.shl (local.get 0) (i64.const 3))))))"#,
    );
    assert_eq!(
        &code[0].code[..2],
        &[
            Instr::I32ShlImm {
                dst: 1,
                a: 0,
                imm: 3
            },
            Instr::I64Load {
                dst: 1,
                addr: 1,
                offset: 0
            },
        ]
    );
    assert_eq!(&code[0].fuel[..2], &[4, 1]);
}

#[test]
fn loop_back_edge_runs_the_exit_test() {
    let code = compile(
        r#"(module (func (param $n i32)
            (block $done
              (loop $l
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $l)))))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::BrIfEqz { cond: 0, target: 3 },
            Instr::I32AddImm {
                dst: 0,
                a: 0,
                imm: u32::MAX
            },
            // `br $l` and the test it jumps to, negated: back to the body.
            Instr::BrIfNez { cond: 0, target: 1 },
            Instr::Return { src: 1, n: 0 },
        ]
    );
    assert_eq!(&*code[0].fuel, &[3, 4, 4, 1]);
}

#[test]
fn constants_in_loops_live_in_the_pool() {
    let code = compile(
        r#"(module (memory 1) (func (param $p i32) (param $x i64) (result i64)
            (loop $l
              (i32.store8 (local.get $p) (i32.const 1))
              (local.set $x (i64.mul (local.get $x) (i64.const 0x9e3779b97f4a7c15)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $p) (i32.const 100))))
            (i64.mul (local.get $x) (i64.const 0x9e3779b97f4a7c15))))"#,
    );
    let f = &code[0];
    // The stored constant is in its instruction (`StoreImm8`), not in the pool.
    assert_eq!(&*f.consts, &[0x9e37_79b9_7f4a_7c15]);
    // Locals 0 and 1, the pool after them (slot 2), operand slots 3 and 4.
    assert_eq!(f.pool_base(), 2);
    assert_eq!(
        &f.code[..2],
        &[
            Instr::StoreImm8 {
                addr: 0,
                offset: 0,
                value: 1
            },
            Instr::I64Mul { dst: 1, a: 1, b: 2 },
        ]
    );
    // After the loop too, the pool slot serves.
    assert_eq!(f.code[3], Instr::I64Mul { dst: 3, a: 1, b: 2 });
    assert_eq!(f.max_height, 2 + 1 + 2);
}

#[test]
fn add_then_add_constant_and_xorshift_fuse() {
    let code = compile(
        r#"(module (func (param $a i64) (param $b i64) (result i64)
            (local.set $a (i64.xor (local.get $a) (i64.shl (local.get $a) (i64.const 13))))
            (local.set $a (i64.xor (local.get $a) (i64.shr_u (local.get $a) (i64.const 7))))
            ;; Not the same `x` on both sides: not fused.
            (local.set $a (i64.xor (local.get $b) (i64.shl (local.get $a) (i64.const 17))))
            (i64.add (i64.add (local.get $a) (local.get $b)) (i64.const 1))))"#,
    );
    let f = &code[0];
    assert_eq!(
        &*f.code,
        &[
            Instr::I64XorShlImm {
                dst: 0,
                a: 0,
                imm: 13
            },
            Instr::I64XorShrUImm {
                dst: 0,
                a: 0,
                imm: 7
            },
            Instr::I64ShlImm {
                dst: 3,
                a: 0,
                imm: 17
            },
            Instr::I64Xor { dst: 0, a: 3, b: 1 },
            Instr::I64Add3Imm {
                dst: 2,
                ab: SlotPair::new(0, 1).unwrap(),
                imm: 1
            },
            Instr::Return { src: 2, n: 1 },
        ]
    );
    // Each fused instruction costs its operators: 6, 6, then 3 + 3, then 5 and `end`.
    assert_eq!(&*f.fuel, &[6, 6, 3, 3, 5, 1]);
}

#[test]
fn results_read_back_at_once_come_from_the_accumulator() {
    let code = compile_raw(
        r#"(module (memory 1) (func (param i64 i32) (result i32)
            (local $x i64)
            (local.set $x (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 13))))
            (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
            (i64.store (i32.const 8) (local.get $x))
            (i32.add (local.get 1) (i32.load8_u (local.get 1)))
            (block (br_if 0 (i32.eqz (local.get 1))))
            ))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::I64XorShlImm {
                dst: 2,
                a: 0,
                imm: 13
            },
            // `x` was just written: read from the accumulator.
            Instr::I64XorShrUImmA {
                dst: 2,
                a: 2,
                imm: 7
            },
            Instr::Const { dst: 3, value: 8 },
            // The stored value is `x`, but the instruction before wrote the address.
            Instr::I64StoreA {
                addr: 3,
                value: 2,
                offset: 0
            },
            Instr::I32Load8U {
                dst: 4,
                addr: 1,
                offset: 0
            },
            // `i32.add` commutes: the loaded byte becomes its left operand.
            Instr::I32AddA { dst: 3, a: 4, b: 1 },
            Instr::BrIfEqz { cond: 1, target: 7 },
            Instr::Return { src: 3, n: 1 },
        ]
    );
    assert!(code[0].check());
}

#[test]
fn no_accumulator_where_a_branch_lands() {
    // The loop's first instruction reads `x`, which the instruction before it (in the
    // code, outside the loop) has just written, but the back edge lands there too.
    let code = compile_raw(
        r#"(module (func (param i32) (result i32)
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (loop $l
              (local.set 0 (i32.mul (local.get 0) (i32.const 3)))
              (br_if $l (i32.lt_u (local.get 0) (i32.const 1000))))
            (local.get 0)))"#,
    );
    let f = &code[0];
    assert_eq!(
        f.code[0],
        Instr::I32AddImm {
            dst: 0,
            a: 0,
            imm: 1
        }
    );
    assert_eq!(
        f.code[1],
        Instr::I32MulImm {
            dst: 0,
            a: 0,
            imm: 3
        }
    );
    // After the multiply (not a branch target), the test reads the accumulator.
    assert_eq!(
        f.code[2],
        Instr::BrI32LtUImmA {
            a: 0,
            imm: 1000,
            target: 1
        }
    );
}

#[test]
fn check_rejects_a_misplaced_accumulator_form() {
    let code = compile_raw(
        r#"(module (func (param i32) (result i32)
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (i32.mul (local.get 0) (i32.const 3))))"#,
    );
    let good = (*code[0]).clone();
    assert!(matches!(good.code[1], Instr::I32MulImmA { .. }));
    assert!(good.check());
    // Reading a slot other than the one the instruction before wrote.
    let mut bad = good.clone();
    bad.code[1] = Instr::I32MulImmA {
        dst: 1,
        a: 1,
        imm: 3,
    };
    assert!(!bad.check());
    // First instruction: nothing wrote the accumulator.
    let mut bad = good.clone();
    bad.code[0] = Instr::I32AddImmA {
        dst: 0,
        a: 0,
        imm: 1,
    };
    assert!(!bad.check());
    // A branch lands on it.
    let mut bad = good.clone();
    bad.code[2] = Instr::Br { target: 1 };
    assert!(!bad.check());
    // A branch out of the code.
    let mut bad = good.clone();
    bad.code[2] = Instr::Br { target: 3 };
    assert!(!bad.check());
    bad.code[2] = Instr::Br { target: u32::MAX };
    assert!(!bad.check());
}

#[test]
fn two_in_place_steps_in_a_row_pair_up() {
    // A dot product's two pointer bumps, then the counter's step and test.
    let code = compile_raw(
        r#"(module (func (param i64 i64 i32)
            (loop $l
              (local.set 0 (i64.add (local.get 0) (i64.const 8)))
              (local.set 1 (i64.add (local.get 1) (i64.const 512)))
              (local.set 2 (i32.add (local.get 2) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get 2) (i32.const 64))))))"#,
    );
    let f = &code[0];
    assert_eq!(
        f.code[0],
        Instr::I64AddImm2 {
            x: Step::new(0, 8).unwrap(),
            y: Step::new(1, 512).unwrap()
        }
    );
    // The third step stays with its test; the back edge now lands on the pair.
    assert_eq!(
        f.code[1],
        Instr::StepI32LtUImm {
            step: Step::new(2, 1).unwrap(),
            imm: 64,
            target: 0
        }
    );
    // The pair costs the fuel of the six operators it stands for.
    assert_eq!(f.fuel[0], 8);
    assert!(f.check());
}

#[test]
fn no_pair_when_a_branch_lands_on_the_second_step() {
    let code = compile_raw(
        r#"(module (func (param i64 i64 i32)
            (local.set 0 (i64.add (local.get 0) (i64.const 8)))
            (loop $l
              (local.set 1 (i64.add (local.get 1) (i64.const 512)))
              (br_if $l (i32.eqz (local.get 2))))))"#,
    );
    let f = &code[0];
    assert_eq!(
        f.code[0],
        Instr::I64AddImm {
            dst: 0,
            a: 0,
            imm: 8
        }
    );
    assert_eq!(
        f.code[1],
        Instr::I64AddImm {
            dst: 1,
            a: 1,
            imm: 512
        }
    );
}

#[test]
fn an_operand_from_the_accumulator_on_the_right_and_no_form_twice_in_a_row() {
    let code = compile_raw(
        r#"(module (memory 1) (func (param i32 i32 i32) (result i32)
            (local $v i32) (local $sum i32)
            ;; A byte sweep's body: both adds read the last result; the second would
            ;; run the same `I32AddA` again.
            (local.set $v (i32.load8_u (local.get 0)))
            (local.set $sum (i32.add (local.get $sum) (local.get $v)))
            (i32.store8 (local.get 0) (i32.add (local.get $v) (local.get $sum)))
            ;; Not commutative: the last result on the right.
            (local.set $v (i32.load (local.get 1)))
            (local.set $sum (i32.sub (local.get $sum) (local.get $v)))
            (local.set $v (i32.shl (local.get 2) (local.get $sum)))
            (local.get $v)))"#,
    );
    let f = &code[0];
    assert_eq!(
        &f.code[..],
        &[
            Instr::I32Load8U {
                dst: 3,
                addr: 0,
                offset: 0
            },
            Instr::I32AddA { dst: 4, a: 3, b: 4 },
            Instr::I32AddB { dst: 6, a: 3, b: 4 },
            Instr::I32Store8V {
                addr: 0,
                value: 6,
                offset: 0
            },
            Instr::I32Load {
                dst: 3,
                addr: 1,
                offset: 0
            },
            Instr::I32SubB { dst: 4, a: 4, b: 3 },
            Instr::I32ShlB { dst: 3, a: 2, b: 4 },
            Instr::Return { src: 3, n: 1 },
        ]
    );
    assert!(f.check());
    // `B` forms are accumulator forms like the others: `check` wants `b` just written.
    let mut bad = (**f).clone();
    bad.code[5] = Instr::I32SubB { dst: 4, a: 3, b: 4 };
    assert!(!bad.check());
    let mut bad = (**f).clone();
    bad.code[2] = Instr::I32AddB { dst: 6, a: 4, b: 3 };
    assert!(!bad.check());
}

/// The next value of a xorshift64 generator.
fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// Numerators to divide: the edges around each multiple of `d` near 0 and the top of the
/// range, and pseudo-random ones.
fn numerators(d: u64, max: u64) -> Vec<u64> {
    let mut ns = vec![0, 1, 2, max, max - 1, max / 2, max / 2 + 1];
    for k in [1u64, 2, 3, 1000] {
        if let Some(m) = d.checked_mul(k).filter(|&m| m <= max) {
            ns.extend([m - 1, m, m.saturating_add(1).min(max)]);
        }
    }
    let top = max - max % d;
    ns.extend([top, top.saturating_sub(1), top - d.min(top)]);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15 ^ d;
    for _ in 0..2000 {
        let x = xorshift(&mut x);
        ns.push(x & max);
        ns.push((x & max) >> (x % 64));
    }
    ns
}

#[test]
fn division_by_a_constant_multiplies_and_gets_every_quotient_right() {
    let mut ds: Vec<u64> = vec![
        1,
        2,
        3,
        5,
        6,
        7,
        10,
        11,
        25,
        40000,
        641,
        6700417,
        0x7fff_ffff,
        0x8000_0000,
    ];
    ds.extend([0xffff_fffe, 0xffff_ffff]);
    let mut x: u64 = 1;
    for _ in 0..200 {
        let x = xorshift(&mut x);
        ds.push(x >> (x % 64));
    }
    for &d in &ds {
        if d == 0 {
            continue;
        }
        let div = Divisor::new(d, 64).unwrap();
        for n in numerators(d, u64::MAX) {
            assert_eq!(div.quotient64(n), n / d, "{n} / {d}");
            assert_eq!(div.remainder64(n), n % d, "{n} % {d}");
        }
        if let Ok(d32) = u32::try_from(d) {
            let div = Divisor::new(d, 32).unwrap();
            for n in numerators(d, u64::from(u32::MAX)) {
                let n = n as u32;
                assert_eq!(div.quotient32(n), n / d32, "{n} / {d32} (32 bits)");
                assert_eq!(div.remainder32(n), n % d32, "{n} % {d32} (32 bits)");
            }
        }
    }
    for d in [1u64 << 63, (1 << 63) + 1, u64::MAX - 1, u64::MAX] {
        let div = Divisor::new(d, 64).unwrap();
        for n in numerators(d, u64::MAX) {
            assert_eq!(div.quotient64(n), n / d, "{n} / {d}");
        }
    }
    assert_eq!(Divisor::new(0, 64), None);
    assert_eq!(Divisor::new(0, 32), None);
    assert_eq!(Divisor::new(1 << 32, 32), None);
}

#[test]
fn unsigned_division_by_a_constant_uses_the_divisor_table() {
    let code = compile_raw(
        r#"(module (func (param i64 i32) (result i64)
            (local.set 0 (i64.rem_u (local.get 0) (i64.const 40000)))
            (local.set 1 (i32.div_u (local.get 1) (i32.const 7)))
            (local.set 0 (i64.div_u (i64.add (local.get 0) (i64.const 3)) (i64.const -1)))
            (local.set 1 (i32.rem_u (local.get 1) (i32.const 0)))
            (local.set 0 (i64.rem_u (local.get 0) (i64.const 40000)))
            (local.get 0)))"#,
    );
    let f = &code[0];
    assert_eq!(
        &f.code[..],
        &[
            Instr::I64RemUConst { dst: 0, a: 0, k: 0 },
            Instr::I32DivUConst { dst: 1, a: 1, k: 1 },
            Instr::I64AddImm {
                dst: 2,
                a: 0,
                imm: 3
            },
            // `-1` sign-extends: the largest divisor.
            Instr::I64DivUConstA { dst: 0, a: 2, k: 2 },
            // Division by zero traps: the plain form stays.
            Instr::I32RemUImm {
                dst: 1,
                a: 1,
                imm: 0
            },
            Instr::I64RemUConst { dst: 0, a: 0, k: 0 },
            Instr::Return { src: 0, n: 1 },
        ]
    );
    let ds: Vec<u64> = f.divisors.iter().map(Divisor::d).collect();
    assert_eq!(ds, [40000, 7, u64::MAX]);
    assert!(f.check());
    let mut bad = (**f).clone();
    bad.code[1] = Instr::I32DivUConst { dst: 1, a: 1, k: 3 };
    assert!(!bad.check());
}

#[test]
fn nested_constant_adds_fold_into_one() {
    let code = compile(
        r#"(module (memory 1)
            (func (param i32) (result i32)
              (i32.load (i32.add (i32.add (local.get 0) (i32.const 112)) (i32.const 24))))
            (func (param i32) (result i32)
              (i32.add (i32.add (local.get 0) (i32.const -1)) (i32.const 0x7fffffff)))
            (func (param i64) (result i64)
              (i64.add (i64.add (local.get 0) (i64.const 0x7fffffff)) (i64.const 1))))"#,
    );
    // 112 + 24 in one add, its fuel that of both.
    assert_eq!(
        code[0].code[0],
        Instr::I32AddImm {
            dst: 1,
            a: 0,
            imm: 136
        }
    );
    assert_eq!(code[0].fuel[0], 5);
    // Wrapping: -1 + 0x7fffffff.
    assert_eq!(
        code[1].code[0],
        Instr::I32AddImm {
            dst: 1,
            a: 0,
            imm: 0x7fff_fffe
        }
    );
    // An i64 immediate is a sign-extended i32: 0x7fffffff + 1 is not one, so two adds.
    assert!(matches!(
        code[2].code[0],
        Instr::I64AddImm {
            imm: 0x7fff_ffff,
            ..
        }
    ));
    assert!(matches!(code[2].code[1], Instr::I64AddImm { imm: 1, .. }));
}

#[test]
fn shadow_stack_prologue_and_epilogue_are_one_instruction_each() {
    let code = compile(
        r#"(module
            (global $sp (mut i32) (i32.const 1024))
            (global $sp64 (mut i64) (i64.const 1024))
            (global $other (mut i32) (i32.const 0))
            (func (param i32) (result i32) (local $fp i32)
              (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 32))))
              (global.set $sp (i32.add (local.get $fp) (i32.const 32)))
              (local.get $fp))
            (func (local $fp i64)
              (global.set $sp64 (local.tee $fp (i64.sub (global.get $sp64) (i64.const 16))))
              (global.set $sp64 (i64.add (local.get $fp) (i64.const 16))))
            ;; Another global read: no fusion (the sum is of another global).
            (func (local $x i32)
              (global.set $sp (local.tee $x (i32.add (global.get $other) (i32.const 8))))))"#,
    );
    assert_eq!(
        &code[0].code[..2],
        &[
            Instr::GlobalI32AddImm {
                dst: 1,
                index: 0,
                imm: (-32i32) as u32
            },
            Instr::GlobalSetI32AddImm {
                src: 1,
                index: 0,
                imm: 32
            },
        ]
    );
    // global.get, i32.const, i32.sub, local.tee, global.set; local.get, i32.const,
    // i32.add, global.set.
    assert_eq!((code[0].fuel[0], code[0].fuel[1]), (5, 4));
    assert!(matches!(
        code[1].code[0],
        Instr::GlobalI64AddImm {
            dst: 0,
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        code[1].code[1],
        Instr::GlobalSetI64AddImm {
            src: 0,
            index: 1,
            imm: 16
        }
    ));
    assert!(matches!(code[2].code[0], Instr::GlobalGet { .. }));
}

#[test]
fn a_branch_over_a_loops_back_edge_is_inverted_unless_metered() {
    let wat = r#"(module (func (param i32) (result i32)
        (block $exit
          (loop $top
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br_if $exit (i32.eqz (local.get 0)))
            (local.set 0 (i32.add (local.get 0) (i32.const 0)))
            (br_if $exit (i32.lt_u (local.get 0) (i32.const 2)))
            (br $top)))
        (local.get 0)))"#;
    let code = compile(wat);
    // The `br_if` to the exit right before `br $top` becomes a branch back when it fails.
    assert!(
        code[0].code.iter().all(|i| !matches!(i, Instr::Br { .. })),
        "{:?}",
        code[0].code
    );
    assert!(
        code[0]
            .code
            .iter()
            .any(|i| matches!(i, Instr::BrIfNez { cond: 0, .. })),
        "{:?}",
        code[0].code
    );
    // With fuel, the `br` keeps its own instruction: it is charged only when it runs.
    let bytes = wat::parse_str(wat).unwrap();
    let mut config = crate::Config::default();
    config.consume_fuel(true);
    let module = Module::new(&Engine::new(&config), &bytes).unwrap();
    let metered = &module.inner.code[0];
    assert!(
        metered.code.iter().any(|i| matches!(i, Instr::Br { .. })),
        "{:?}",
        metered.code
    );
}

#[test]
fn a_loops_exit_test_before_its_back_edge_branches_back_unless_metered() {
    // memcmp's loop: the exit test (count down to zero) jumps past code that the loop's
    // other exit reaches, so it cannot simply be negated over the `br`: the two swap.
    let wat = r#"(module (memory 1) (func (param i32 i32 i32) (result i32)
        (block $done
          (block $differ
            (loop $top
              (br_if $differ (i32.ne (i32.load8_u (local.get 0)) (i32.load8_u (local.get 1))))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br_if $done (i32.eqz (local.tee 2 (i32.sub (local.get 2) (i32.const 1)))))
              (br $top)))
          (return (i32.const -1)))
        (i32.const 0)))"#;
    let code = &compile(wat)[0].code;
    let at = code
        .iter()
        .position(|i| matches!(i, Instr::BrIfNez { .. }))
        .expect("the exit test, negated");
    assert!(
        matches!(code[at], Instr::BrIfNez { cond: 2, target: 0 }),
        "{code:?}"
    );
    assert!(matches!(code[at + 1], Instr::Br { .. }), "{code:?}");
}

#[test]
fn long_straight_runs_get_checks_of_the_budget() {
    use super::bytecode::RUN_MAX;
    // 200 adds in a row, then a loop whose body is 150 adds and a branch back to a
    // target in the middle of a run.
    let adds = |n: usize| "(local.set 1 (i32.add (local.get 1) (local.get 0)))".repeat(n);
    let wat = format!(
        r#"(module (func (export "f") (param i32) (result i32) (local i32 i32)
            {}
            (local.set 2 (i32.const 3))
            (loop $l
              {}
              (br_if $l (local.tee 2 (i32.sub (local.get 2) (i32.const 1)))))
            (local.get 1)))"#,
        adds(200),
        adds(150)
    );
    let code = compile_raw(&wat);
    let f = &*code[0];
    let mut run = 0;
    let mut checks = 0;
    for instr in f.code.iter() {
        run = if instr.checks_budget() { 0 } else { run + 1 };
        assert!(run <= RUN_MAX);
        checks += usize::from(*instr == Instr::Check);
    }
    // 200 adds, the constant's copy, 150 adds and the loop's step: 352 in code order,
    // the run going on into the loop: a `Check` before the 65th, 129th...
    assert_eq!(checks, (352 - 1) / RUN_MAX);
    // The loop's branch still lands on the loop's first add, which the check sweep
    // accepted; the fuel of a `Check` is nothing.
    assert!(f.check());
    assert!(
        f.code
            .iter()
            .zip(f.fuel.iter())
            .all(|(i, &c)| *i != Instr::Check || c == 0)
    );
    // A run one longer than allowed is refused.
    let mut bad = f.clone();
    let first = bad.code.iter().position(|i| *i == Instr::Check).unwrap();
    bad.code[first] = bad.code[first - 1];
    assert!(!bad.check());
    // And the function computes what the adds say: 200 + 3 * 150 times its argument.
    let bytes = wat::parse_str(&wat).unwrap();
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).unwrap();
    let mut store = crate::Store::new(&engine, ());
    let instance = crate::Linker::new()
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let mut result = [crate::Val::I32(0)];
    f.call(&mut store, &[crate::Val::I32(2)], &mut result)
        .unwrap();
    assert_eq!(result, [crate::Val::I32(2 * (200 + 3 * 150))]);
}

#[test]
fn only_locals_read_before_written_are_zeroed_at_a_call() {
    let code = compile_raw(
        r#"(module
          (func (param i32) (result i32) (local i32 i32 i64)
            ;; local 1 written before any read, local 2 read first, local 3 never read.
            (local.set 1 (i32.add (local.get 0) (i32.const 1)))
            (local.set 3 (i64.const 9))
            (i32.add (local.get 1) (local.get 2)))
          (func (param i32) (result i32) (local i32)
            ;; Written on one path only.
            (if (local.get 0) (then (local.set 1 (i32.const 1))))
            (local.get 1))
          (func (param i32) (result i32) (local i32)
            ;; Returned as is: read by the `Return`.
            (local.get 1)))"#,
    );
    assert_eq!(code[0].zero, 0b010);
    assert_eq!(code[1].zero, 0b1);
    assert_eq!(code[2].zero, 0b1);
}

#[test]
fn kinds_are_read_by_tag() {
    // `Instr::kind` reads the table by the tag that `Instr::tag` finds through
    // `Discriminant`'s `Hash`: it must be the variant's index, so that the entry read is
    // the one built from that variant's matches.
    for (i, instr) in ONE_OF_EACH.iter().enumerate() {
        assert_eq!(instr.tag(), i, "{instr:?}");
        assert_eq!(instr.kind(), Kind::of(instr), "{instr:?}");
    }
    // Spot checks of the matches themselves.
    let br = Instr::Br { target: 3 };
    assert!(br.kind().has_target() && br.kind().checks_budget());
    let add = Instr::I32Add { dst: 1, a: 2, b: 3 };
    assert!(!add.kind().has_target() && !add.kind().checks_budget());
    assert_eq!(add.with_acc(3), Some(Instr::I32AddA { dst: 1, a: 3, b: 2 }));
    assert_eq!(Instr::I32AddA { dst: 1, a: 3, b: 2 }.acc_operand(), Some(3));
    let mut div = Instr::I64RemUConstA { dst: 1, a: 2, k: 5 };
    assert_eq!(div.divisor_mut().copied(), Some(5));
}

#[test]
fn try_tables_become_handler_ranges_innermost_first() {
    let code = compile(
        r#"(module
            (tag $e (param i32))
            (func $f)
            (func (param i32) (result i32 exnref)
              (call $f)
              (block $outer (result i32)
                (try_table (catch $e $outer)
                  (call $f)
                  (block $inner
                    (try_table (catch_all $inner) (catch_ref $e 3)
                      (throw $e (local.get 0))))
                  (call $f))
                (i32.const 0))
              (ref.null exn)))"#,
    );
    let f = &code[1];
    // No instruction for a `try_table`: the calls, the throw, the results, the return.
    assert_eq!(
        &*f.code,
        &[
            Instr::Call { func: 0, base: 1 },
            Instr::Call { func: 0, base: 1 },
            Instr::Copy { dst: 1, src: 0 },
            Instr::Throw { tag: 0, base: 1 },
            Instr::Call { func: 0, base: 1 },
            Instr::Const { dst: 1, value: 0 },
            Instr::Const { dst: 2, value: 0 },
            Instr::Return { src: 1, n: 2 },
        ]
    );
    let h = f.handlers.as_deref().unwrap();
    let ranges: Vec<(u32, u32)> = h.ranges.iter().map(|r| (r.start, r.end)).collect();
    assert_eq!(ranges, [(2, 4), (1, 5)]);
    let clause = |r: usize, k: usize| {
        let r = h.ranges[r];
        assert!(k < r.len as usize);
        let c = h.catches[(r.first as usize) + k];
        (c.tag, c.with_ref, f.br_tables[c.entry as usize])
    };
    // `catch_all $inner`: to the instruction after the inner block, no values.
    let all = |target| BrTableEntry {
        target,
        from: 1,
        to: 1,
        n: 0,
    };
    assert_eq!(clause(0, 0), (CatchClause::ALL, false, all(4)));
    // `catch_ref $e 3`: the function's label, its final `Return`: the payload and the
    // reference in the first operand slots (1 and 2).
    let func_label = BrTableEntry {
        target: 7,
        from: 1,
        to: 1,
        n: 2,
    };
    assert_eq!(clause(0, 1), (0, true, func_label));
    // `catch $e $outer`: the block's result slot, and the code after it.
    let outer = BrTableEntry {
        target: 6,
        from: 1,
        to: 1,
        n: 1,
    };
    assert_eq!(clause(1, 0), (0, false, outer));
}

/// Whatever the passes after translation do to the code (copies of short tails, pairs
/// fused, checks put into long runs, inverted branches), each handler range holds the
/// throwing instructions of its `try_table`'s body and no other: here calls of function
/// 1 inside `try_table`s, of function 2 outside.
#[test]
fn handler_ranges_follow_the_passes() {
    let straight = |n: usize| -> String {
        (0..n)
            .map(|i| format!("(local.set 1 (i32.xor (local.get 1) (i32.const {i})))"))
            .collect()
    };
    let pairs = "(local.set 1 (i32.add (local.get 1) (i32.const 1)))
                 (local.set 2 (i32.add (local.get 2) (i32.const 8)))";
    let loop_with_tail = |call: u32| {
        format!(
            "(block $x (loop $l
               (br_if $x (i32.eqz (local.get 0)))
               (call {call})
               (if (i32.and (local.get 0) (i32.const 1))
                 (then (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br $l)))
               {pairs}
               (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))"
        )
    };
    let body = format!(
        "{} {} {}
         (block $h (try_table (catch_all $h)
           {} (call 1) {} {} {}
           (block $h2 (try_table (catch $e $h2) {} (call 1) {}))
           (call 1)))
         {} (call 2) {}",
        straight(70),
        loop_with_tail(2),
        pairs,
        straight(80),
        loop_with_tail(1),
        pairs,
        straight(3),
        loop_with_tail(1),
        straight(66),
        loop_with_tail(2),
        straight(5),
    );
    let wat = format!(
        r#"(module (tag $e) (func) (func) (func)
             (func (param i32) (local i32 i32) {body}))"#
    );
    for metered in [false, true] {
        let bytes = wat::parse_str(&wat).unwrap();
        let mut config = crate::Config::default();
        config.consume_fuel(metered);
        let module = Module::new(&Engine::new(&config), &bytes).unwrap();
        let f = &module.inner.code[3];
        assert!(f.code.iter().any(|i| matches!(i, Instr::Check)));
        let h = f.handlers.as_deref().unwrap();
        let inside = |pc: usize| {
            h.ranges
                .iter()
                .any(|r| (r.start..r.end).contains(&(pc as u32)))
        };
        let mut seen = [0, 0];
        for (pc, instr) in f.code.iter().enumerate() {
            if let Instr::Call { func, .. } = *instr {
                assert_eq!(
                    inside(pc),
                    func == 1,
                    "call of {func} at {pc} (metered: {metered})"
                );
                seen[usize::from(func == 1)] += 1;
            }
        }
        assert!(seen[0] >= 2 && seen[1] >= 4, "{seen:?}");
        // The inner range lies in the outer one.
        let (inner, outer) = (h.ranges[0], h.ranges[1]);
        assert!(outer.start <= inner.start && inner.end <= outer.end);
    }
}

#[test]
fn check_rejects_a_handler_out_of_its_code() {
    let code = compile(
        r#"(module (tag $e) (func
             (block $h (try_table (catch $e $h) (throw $e)))))"#,
    );
    let good = (*code[0]).clone();
    assert!(good.check());
    let mut past_end = good.clone();
    if let Some(h) = past_end.handlers.as_deref_mut() {
        h.ranges[0].end = good.code.len() as u32 + 1;
    }
    assert!(!past_end.check());
    let mut bad_clause = good.clone();
    if let Some(h) = bad_clause.handlers.as_deref_mut() {
        h.ranges[0].len = 2;
    }
    assert!(!bad_clause.check());
    let mut bad_target = good.clone();
    bad_target.br_tables = [BrTableEntry {
        target: 99,
        from: 0,
        to: 0,
        n: 0,
    }]
    .into();
    assert!(!bad_target.check());
    let mut bad_slots = good;
    bad_slots.br_tables = [BrTableEntry {
        target: 0,
        from: 0,
        to: 0,
        n: 99,
    }]
    .into();
    assert!(!bad_slots.check());
}
