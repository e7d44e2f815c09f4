//! The interpreter: runs the bytecode of `compile` on a store.
//!
//! # Shape
//!
//! - One contiguous stack of untyped 64-bit cells per store ([`Stack`]); a function's
//!   frame is a window of it whose slots are the registers its instructions name: locals
//!   first, then the homes of the operand stack's entries (the bytecode module docs draw
//!   the layout). There is no stack pointer at run time.
//! - Each instruction form has its handler, a function of its own (`run`); a handler
//!   does its instruction and calls the next instruction's handler, found by the tag in
//!   a table, as its last act, which an optimising compiler turns into a jump: every
//!   handler ends with its own indirect jump (threaded code), where a `loop { match }`
//!   shares one jump among all instructions and the processor mispredicts it far more
//!   (measured: a third of the time on compiled C went to that one jump; see
//!   BENCHMARKS.md). Branches, calls and returns count against a budget; when it runs
//!   out, the chain measures the host stack and returns to the loop in `run` only if it
//!   has grown, so the stack stays bounded however the handlers are compiled
//!   (unoptimised, or where the calls are not turned into jumps), and costs nothing
//!   where they are jumps. The handlers of
//!   the loads, stores, numeric operators and fused compare-and-branch instructions are
//!   expanded from the one instruction list, and so is the table. Most of the rest of the
//!   speed comes from executing few instructions (the translator folds `local.get`,
//!   constants, `local.set` and comparisons into the instructions that use them) and
//!   from unchecked slot, instruction and memory-0 accesses (see "Unsafe code"); the
//!   common call and return, and each handler's hot path, make no call of their own, so
//!   they save no registers.
//! - Calls never recurse on the host stack: a Wasm call pushes a [`Frame`](stack::Frame)
//!   with the caller's bytecode, return address and frame pointer and goes on with the
//!   callee's first instruction, the callee's frame starting at the caller's argument
//!   slots; `Return` pops it. A call within an instance finds the callee's bytecode in a
//!   per-instance table (`InstanceEntity::local_code`).
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
//! The handlers carry the base pointer of memory 0 of the running instance in a register
//! (its length is in the shared state) and take both again after whatever may grow or
//! replace it (see `run`'s module docs); a
//! load or store of memory 0 with an offset below 2^32 is one overflow-checked add, one
//! compare and an unaligned read or write. Other memories, larger offsets and the bulk
//! operations go through [`Memory`](crate::memory::Memory)'s checked methods.
//! `memory.grow` and `table.grow` ask the store's limiter and push -1, changing nothing,
//! when any limit refuses.
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
//! nothing. An instruction that finds less fuel than its cost does not run: it traps "all
//! fuel consumed" and empties the tank, or, in a resumable call ([`Regs::resumable`]),
//! the loop returns [`Exit::OutOfFuel`] with the registers (the accumulator among them)
//! saved at that instruction, charging nothing, so that the call can go on from it. Every handler is compiled twice (a const
//! generic, two tables), so without fuel not a single instruction of metering runs. A
//! module translated for a metering engine also leaves out the branch rewrites that
//! would charge a `br` on a path where it does not run.
//!
//! # Traps
//!
//! A trap unwinds the whole call (back to the embedder, or to the host function that
//! called in, as an `Err`): the stack and depth are reset to where the call started.
//!
//! # Exceptions
//!
//! Exceptions (the exception handling proposal) cost nothing until one is thrown: a
//! `try_table` is no instruction, only an entry of its function's handler table (see
//! `compile`'s bytecode docs), and calls, returns and branches do what they did without
//! exceptions. A `throw` makes an exception object (its tag and its payload's cells, kept
//! by the store: [`store::Exceptions`]) and unwinds (`run`'s `unwind`), out of line: the
//! handler table of the running function is searched for the innermost `try_table`
//! around the throwing instruction with a clause that catches the exception's tag; if
//! one does, the payload (and for `catch_ref` and `catch_all_ref` the `exnref`) goes to
//! the label's slots and the code goes on at the label, as a branch there would. If
//! none does, the frame is popped as a `Return` pops it (so the depth, which is the
//! frame stack's length, stays exact) and the search goes on in the caller, at its call.
//! Where the call into the interpreter started, the exception leaves it: the trap
//! `UncaughtException`, which names the tag and carries the object.
//!
//! Exceptions cross host functions as values, never as a Rust unwinding: a host function
//! called from Wasm that fails with such an error of this store (passing on what a nested
//! call threw, or one of its own) is not resumed with results; [`resume_throwing`] goes
//! on unwinding for it from the Wasm frame that called the host function, where a
//! `try_table` may catch it. `runtime` decides this (`call`, `resumable`).
//!
//! A throw costs the fuel of its operators, like a call; unwinding and landing cost
//! nothing more. Traps are never caught by `try_table`.
//!
//! # Unsafe code
//!
//! Only in the handlers (`run`), where a benchmark showed it pays, and in the two small
//! `Send`/`Sync` declarations for the bytecode pointers frames and instances keep
//! (`stack::Frame`, `store::CodePtr`); denied everywhere else in this module. The
//! handlers read and write frame slots, fetch instructions, find a handler by tag and
//! access memory 0 through raw pointers without bounds checks; each `unsafe` block says
//! why it holds, resting on four facts:
//!
//! - every translated body passed `CompiledFunc::check`: each slot an instruction names
//!   is below the function's `max_height`, each branch target is inside its code, and
//!   the last instruction never falls through;
//! - a call reserves the callee's `max_height` cells from its frame pointer before the
//!   callee runs, and the value stack never shrinks;
//! - memory 0's base and length are taken again after anything that can grow, move or
//!   borrow that memory, and every access checks `addr + offset + width <= length`
//!   (overflow-checked) first;
//! - the handler table lists one handler per instruction variant in declaration order
//!   (both expanded from the one list; a unit test checks the orders agree), and
//!   bytecode is owned by `Arc`s the store keeps for as long as it lives.
#![deny(unsafe_code)]

mod num;
mod run;
#[cfg(feature = "simd")]
mod simd;
mod stack;
pub(crate) mod store;
mod trap;

#[cfg(test)]
mod tests;

pub(crate) use run::{Exit, Regs, stack_here};
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
/// cells), copies the arguments, zeroes the locals and writes the constant pool after
/// them, counts the frame against the depth limit.
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
    let height = match &inner.funcs[func as usize] {
        FuncEntity::Wasm { code, .. } => code.max_height as usize,
        FuncEntity::Host { .. } => 0,
    };
    let height = args.len().max(results).max(height);
    let need = base
        .checked_add(height)
        .ok_or_else(|| Trap::new(TrapKind::StackExhausted))?;
    stack::reserve(&mut inner.stack.cells, need, limits.max_value_stack)?;
    let cells = &mut inner.stack.cells;
    cells[base..base + args.len()].copy_from_slice(args);
    let FuncEntity::Wasm { code, instance, .. } = &inner.funcs[func as usize] else {
        return Ok(Entered::Host);
    };
    if depth >= limits.max_call_depth {
        return Err(Trap::new(TrapKind::StackExhausted));
    }
    // The locals after the parameters are zero, the constant pool follows them.
    let (locals, pool) = (base + code.num_locals as usize, &code.consts);
    cells[base + args.len()..locals].fill(0);
    cells[locals..locals + pool.len()].copy_from_slice(pool);
    Ok(Entered::Wasm(Regs {
        cf: Arc::as_ptr(code),
        instance: *instance,
        pc: 0,
        fp: base,
        depth: depth + 1,
        base_frames: inner.stack.frames.len(),
        acc: 0,
        resumable: false,
    }))
}

/// Runs from `regs` until the call [`enter`] started returns (its results are then in
/// the cells from its `base`), or a host function is to be called ([`Exit::Host`]: the
/// caller runs it, writes its results over its arguments, and resumes).
pub(crate) fn resume(inner: &mut StoreInner, regs: &mut Regs) -> Result<Exit, Trap> {
    if inner.limits.consume_fuel {
        run::run::<true>(inner, regs, None)
    } else {
        run::run::<false>(inner, regs, None)
    }
}

/// As [`resume`] after a host call ([`Exit::Host`]) that threw exception object `exn`
/// (of this store) instead of returning: the exception unwinds from the call in the
/// function at `regs` (see `run`'s `unwind`), which may catch it and go on.
pub(crate) fn resume_throwing(
    inner: &mut StoreInner,
    regs: &mut Regs,
    exn: u32,
) -> Result<Exit, Trap> {
    if inner.limits.consume_fuel {
        run::run::<true>(inner, regs, Some(exn))
    } else {
        run::run::<false>(inner, regs, Some(exn))
    }
}
