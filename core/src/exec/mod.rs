//! The interpreter: runs the bytecode of `compile` on a store.
//!
//! # Shape
//!
//! - One contiguous stack of untyped 64-bit cells per store ([`Stack`]); a function's
//!   frame is a window of it whose slots are the registers its instructions name: locals
//!   first, then the homes of the operand stack's entries (the bytecode module docs draw
//!   the layout). There is no stack pointer at run time.
//! - The loop is a plain `loop { match instr { … } }` over the running function's code
//!   (`run`), its shared dispatch block kept to four instructions (load the tag, load
//!   the jump-table entry, add, jump): where that block lands in the binary once decided
//!   whether a workload ran in 70 or 180 ms (see `run`'s comments and BENCHMARKS.md).
//!   The arms of the loads, stores, numeric operators and fused compare-and-branch
//!   instructions are expanded from the one instruction list. Most of the speed comes from
//!   executing few instructions (the translator folds `local.get`, constants, `local.set`
//!   and comparisons into the instructions that use them) and from unchecked slot,
//!   instruction and memory-0 accesses (see "Unsafe code").
//! - Calls never recurse on the host stack: a Wasm call pushes a [`Frame`](stack::Frame)
//!   with the caller's `pc` and `fp` and continues in the same loop, the callee's frame
//!   starting at the caller's argument slots; `Return` pops it.
//! - The loop never calls the host: a call of a host function leaves it ([`Exit::Host`])
//!   and the embedder API (`runtime`) runs the closure with the whole store, then
//!   [`resume`]s. Host functions may grow memories or call back into Wasm (nested calls
//!   start above the caller's cells). Depth counts Wasm and host frames across such
//!   re-entry, so mutual host↔Wasm recursion hits the same limit.
//! - `exec` knows nothing of the embedder API: the state it runs on is
//!   [`store::StoreInner`], defined here and owned by `runtime`'s `Store<T>`.
//!
//! # Memory
//!
//! The loop holds the base pointer and length of memory 0 of the running instance and
//! takes them again after whatever may grow or replace it (see `run`'s module docs); a
//! load or store of memory 0 with an offset below 2^32 is one overflow-checked add, one
//! compare and an unaligned read or write. Other memories, larger offsets and the bulk
//! operations go through [`Memory`](crate::memory::Memory)'s checked methods.
//! `memory.grow` asks the store's limiter and pushes -1, changing nothing, when any limit
//! refuses.
//!
//! # Limits
//!
//! More than the engine's `max_call_depth` active frames, or a value stack beyond
//! `max_value_stack` cells (or one the allocator refuses), traps "call stack exhausted".
//!
//! # Fuel
//!
//! With `consume_fuel`, every executed bytecode instruction costs the number of Wasm
//! operators it stands for (its entry in `CompiledFunc::fuel`: a fused `local.get;
//! i32.const; i32.add; local.set` costs 4), so fuel counts executed Wasm operators,
//! deterministically, whatever the fusion. Operators that translate to nothing (`nop`,
//! `block`, `drop`, `i64.extend_i32_u`, a `local.get` whose value is dropped) cost
//! nothing. An instruction that finds less fuel than its cost traps "all fuel consumed"
//! instead of running, and empties the tank. The loop is compiled twice (a const
//! generic), so without fuel not a single instruction of metering runs.
//!
//! # Traps
//!
//! A trap unwinds the whole call (back to the embedder, or to the host function that
//! called in, as an `Err`): the stack and depth are reset to where the call started.
//!
//! # Unsafe code
//!
//! Only in the dispatch loop (`run`), where a benchmark showed it pays, and denied
//! everywhere else in this module. The loop reads and writes frame slots, fetches
//! instructions and accesses memory 0 through raw pointers without bounds checks; each
//! `unsafe` block says why it holds, resting on three facts:
//!
//! - every translated body passed `CompiledFunc::check`: each slot an instruction names
//!   is below the function's `max_height`, each branch target is inside its code, and
//!   the last instruction never falls through;
//! - a call reserves the callee's `max_height` cells from its frame pointer before the
//!   callee runs, and the value stack never shrinks;
//! - memory 0's base and length are taken again after anything that can grow, move or
//!   borrow that memory, and every access checks `addr + offset + width <= length`
//!   (overflow-checked) first.
//!
//! The loop's other `unsafe` blocks hold an empty `asm!` comment each (`end!`, no
//! instruction, register, memory or flag): it keeps LLVM from merging the arms' endings
//! into shared blocks, which measured 1.5-2.4x on whole builds (BENCHMARKS.md).
#![deny(unsafe_code)]

mod num;
mod run;
mod stack;
pub(crate) mod store;
mod trap;

#[cfg(test)]
mod tests;

pub(crate) use run::{Exit, Regs};
pub(crate) use stack::Stack;
pub use trap::{Trap, TrapKind};

use crate::prelude::*;
use store::{FuncEntity, StoreInner};

/// What [`enter`] prepared.
pub(crate) enum Entered {
    /// The callee is a host function: the caller runs it with its arguments at `base`.
    Host,
    /// The callee is a Wasm function: [`resume`] runs it from these registers.
    Wasm(Regs),
}

/// Prepares a call of store function `func` with argument cells `args`, its frame starting
/// at cell `base`: reserves the stack (room for the frame and for `results` result
/// cells), copies the arguments, zeroes the locals, counts the frame against the depth
/// limit.
///
/// The caller checked `args` against the function's signature.
pub(crate) fn enter(
    inner: &mut StoreInner,
    func: u32,
    args: &[u64],
    results: usize,
    base: usize,
) -> Result<Entered, Trap> {
    let limits = inner.limits;
    let depth = inner.stack.depth;
    let frame = match &inner.funcs[func as usize] {
        FuncEntity::Wasm { code, instance, .. } => Some((
            code.max_height as usize,
            code.num_locals as usize,
            *instance,
            Arc::as_ptr(code),
        )),
        FuncEntity::Host { .. } => None,
    };
    let height = args
        .len()
        .max(results)
        .max(frame.as_ref().map_or(0, |f| f.0));
    let need = base
        .checked_add(height)
        .ok_or_else(|| Trap::new(TrapKind::StackExhausted))?;
    stack::reserve(&mut inner.stack.cells, need, limits.max_value_stack)?;
    let cells = &mut inner.stack.cells;
    cells[base..base + args.len()].copy_from_slice(args);
    let Some((_, num_locals, instance, cf)) = frame else {
        return Ok(Entered::Host);
    };
    if depth >= limits.max_call_depth {
        return Err(Trap::new(TrapKind::StackExhausted));
    }
    cells[base + args.len()..base + num_locals].fill(0);
    // `run` writes the constant pool as it starts.
    Ok(Entered::Wasm(Regs {
        cf,
        instance,
        pc: 0,
        fp: base,
        depth: depth + 1,
        base_frames: inner.stack.frames.len(),
    }))
}

/// Runs from `regs` until the call [`enter`] started returns (its results are then in
/// the cells from its `base`), or a host function is to be called ([`Exit::Host`]: the
/// caller runs it, writes its results over its arguments, and resumes).
pub(crate) fn resume(inner: &mut StoreInner, regs: &mut Regs) -> Result<Exit, Trap> {
    if inner.limits.consume_fuel {
        run::run::<true>(inner, regs)
    } else {
        run::run::<false>(inner, regs)
    }
}
