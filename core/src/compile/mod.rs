//! Function bodies → Folio's bytecode, validated and translated in one pass.
//!
//! [`bytecode`] defines the instructions: the only contract between this module and
//! `exec`. [`translate`] writes them, one function body at a time, while wasmparser
//! validates the same operators.
#![forbid(unsafe_code)]

mod bytecode;
mod translate;

#[cfg(test)]
mod tests;

pub(crate) use bytecode::{CompiledFunc, Instr, for_each_op};
pub(crate) use translate::translate;
