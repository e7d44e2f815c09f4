use super::bytecode::{BrTableEntry, Step};
use super::*;
use crate::prelude::*;
use crate::{Engine, Module};

/// The instruction stays two words: the dispatch loop copies one per step.
#[test]
fn instr_is_16_bytes() {
    assert_eq!(core::mem::size_of::<Instr>(), 16);
}

fn compile(wat: &str) -> Vec<Arc<CompiledFunc>> {
    let bytes = wat::parse_str(wat).unwrap();
    let module = Module::new(&Engine::default(), &bytes).unwrap();
    module.inner.code.clone()
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
            Instr::I32Add { dst: 5, a: 0, b: 6 },
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
    assert_eq!(
        &*code[0].code,
        &[
            Instr::Const { dst: 0, value: 9 },
            Instr::Br { target: 2 },
            Instr::Return { src: 0, n: 1 },
        ]
    );
}

#[test]
fn loop_branches_back_and_dead_code_is_skipped() {
    let code = compile(
        r#"(module (func (param i32)
            (loop local.get 0 br_if 0 br 0 i32.const 1 drop)))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::BrIfNez { cond: 0, target: 0 },
            Instr::Br { target: 0 },
            Instr::Return { src: 1, n: 0 },
        ]
    );
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
            Instr::Br { target: 4 },
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
            Instr::I32Add { dst: 2, a: 2, b: 4 },
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
            Instr::Br { target: 4 },
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
