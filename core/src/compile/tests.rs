use super::bytecode::BrTableEntry;
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
    assert_eq!(f.code.last(), Some(&Instr::Return));
}

#[test]
fn branch_out_of_block_drops_values_below() {
    let code = compile(
        r#"(module (func (result i32)
            (block (result i32) i32.const 7 i32.const 8 i32.const 9 br 0)))"#,
    );
    assert_eq!(
        &*code[0].code,
        &[
            Instr::Const { value: 7 },
            Instr::Const { value: 8 },
            Instr::Const { value: 9 },
            Instr::BrAdjust {
                target: 4,
                drop: 2,
                keep: 1
            },
            Instr::Return,
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
            Instr::LocalGet { index: 0 },
            Instr::BrIfNez { target: 0 },
            Instr::Br { target: 0 },
            Instr::Return
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
            Instr::LocalGet { index: 0 },
            Instr::BrIfEqz { target: 4 },
            Instr::Const { value: 1 },
            Instr::Br { target: 5 },
            Instr::Const { value: 2 },
            Instr::Return,
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
    assert_eq!(f.code[3], Instr::BrTable { offset: 0, len: 2 });
    assert_eq!(
        &*f.br_tables,
        &[
            BrTableEntry {
                target: 4,
                drop: 1,
                keep: 1
            },
            BrTableEntry {
                target: 6,
                drop: 1,
                keep: 1
            },
            BrTableEntry {
                target: 6,
                drop: 1,
                keep: 1
            },
        ]
    );
}

#[test]
fn invalid_body_is_an_error() {
    let bytes = wat::parse_str(r#"(module (func (result i32) i64.const 1))"#).unwrap();
    assert!(Module::new(&Engine::default(), &bytes).is_err());
}
