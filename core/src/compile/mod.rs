//! Function bodies → Folio's bytecode, validated and translated in one pass.
//!
//! [`bytecode`] defines the instructions: the only contract between this module and
//! `exec`. [`translate()`] writes them, one function body at a time, while wasmparser
//! validates the same operators.
//!
//! The bytecode is a register machine whose registers are frame slots: Wasm's operand
//! stack is resolved at translation (each height has a fixed home slot), `local.get`s and
//! constants are read in place rather than copied (constants that no immediate can carry
//! from a per-function pool of slots), results go straight into the local a `local.set`
//! names, comparisons fuse with the branches that test them, a loop's `x += k` fuses with
//! the test that follows, a few common pairs of operators become one instruction
//! (`acc + x * y`, `a + b + k`, `x ^ (x << k)`), and a `br` to a loop's test runs the
//! test instead. The translator also finds the locals a call must zero (those some path
//! reads before writing) and bounds the runs of instructions that do not count against
//! the executor's budget; each `try_table` becomes an entry of the function's handler
//! table, which only a `throw` reads. [`disasm`] gives every instruction a text and, when asked, records the
//! Wasm operators each one stands for (`folio inspect --bytecode`). Every body is checked
//! ([`CompiledFunc::place_and_check`]) before it runs: the executor's unchecked accesses rest on
//! that check.
#![forbid(unsafe_code)]

mod bytecode;
mod disasm;
mod translate;

#[cfg(test)]
mod tests;

pub(crate) use bytecode::{
    BrTableEntry, CatchClause, CompiledFunc, Imm, Instr, ONE_OF_EACH, RmwOp, for_each_op,
};
#[cfg(test)]
pub(crate) use bytecode::{SlotPair, Step};
pub(crate) use disasm::InstrText;
pub(crate) use translate::{Scratch, translate, translate_recording};
