//! Function bodies → Folio's bytecode, validated and translated in one pass.
//!
//! [`bytecode`] defines the instructions: the only contract between this module and
//! `exec`. [`translate`] writes them, one function body at a time, while wasmparser
//! validates the same operators.
//!
//! The bytecode is a register machine whose registers are frame slots: Wasm's operand
//! stack is resolved at translation (each height has a fixed home slot), `local.get`s and
//! constants are read in place rather than copied, results go straight into the local a
//! `local.set` names, comparisons fuse with the branches that test them, and a loop's
//! `x += k` fuses with the test that follows. Every body is checked
//! ([`CompiledFunc::check`]) before it runs: the executor's unchecked accesses rest on
//! that check.
#![forbid(unsafe_code)]

mod bytecode;
mod translate;

#[cfg(test)]
mod tests;

pub(crate) use bytecode::{CompiledFunc, Imm, Instr, for_each_op};
pub(crate) use translate::translate;
