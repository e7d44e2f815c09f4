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
//! - Host functions are called from [`call`], outside the loop, with the whole store: they
//!   may grow memories or call back into Wasm ([`call`] is re-entrant and nested calls
//!   start above the caller's cells). Depth counts Wasm and host frames across such
//!   re-entry, so mutual host↔Wasm recursion hits the same limit.
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
mod trap;

#[cfg(test)]
mod tests;

pub(crate) use stack::Stack;
pub use trap::{Trap, TrapKind};

use crate::prelude::*;
use crate::runtime::store::FuncEntity;
use crate::runtime::{Caller, Store, Val};
use run::{Exit, Regs};

/// Calls store function `func` with argument cells, writing result cells.
///
/// The caller checked `args` and `results` against the function's signature.
pub(crate) fn call<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[u64],
    results: &mut [u64],
) -> Result<(), Trap> {
    let stack = &store.inner.stack;
    let (base, base_depth, base_frames) = (stack.top, stack.depth, stack.frames.len());
    let result = call_at(store, func, args, results, base);
    let stack = &mut store.inner.stack;
    stack.top = base;
    stack.depth = base_depth;
    stack.frames.truncate(base_frames);
    result
}

fn call_at<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[u64],
    results: &mut [u64],
    base: usize,
) -> Result<(), Trap> {
    let inner = &mut store.inner;
    let config = &inner.engine.config;
    let (max_cells, fuel) = (config.max_value_stack, config.consume_fuel);
    let depth = inner.stack.depth;
    let frame = match &inner.funcs[func as usize] {
        FuncEntity::Wasm { code, instance, .. } => Some((
            code.max_height as usize,
            code.num_locals as usize,
            *instance,
        )),
        FuncEntity::Host { .. } => None,
    };
    let height = args
        .len()
        .max(results.len())
        .max(frame.as_ref().map_or(0, |f| f.0));
    let need = base
        .checked_add(height)
        .ok_or_else(|| Trap::new(TrapKind::StackExhausted))?;
    stack::reserve(&mut inner.stack.cells, need, max_cells)?;
    let cells = &mut inner.stack.cells;
    cells[base..base + args.len()].copy_from_slice(args);

    match frame {
        None => {
            call_host(store, func, None, base, depth)?;
        }
        Some((_, num_locals, instance)) => {
            if depth >= inner.engine.config.max_call_depth {
                return Err(Trap::new(TrapKind::StackExhausted));
            }
            cells[base + args.len()..base + num_locals].fill(0);
            // `run` writes the constant pool as it starts.
            let mut regs = Regs {
                func,
                instance,
                pc: 0,
                fp: base,
                depth: depth + 1,
                base_frames: inner.stack.frames.len(),
            };
            loop {
                let exit = if fuel {
                    run::run::<true>(&mut store.inner, &mut regs)?
                } else {
                    run::run::<false>(&mut store.inner, &mut regs)?
                };
                match exit {
                    Exit::Return => break,
                    Exit::Host { func, args } => {
                        call_host(store, func, Some(regs.instance), args, regs.depth)?;
                    }
                }
            }
        }
    }
    results.copy_from_slice(&store.inner.stack.cells[base..base + results.len()]);
    Ok(())
}

/// Calls host function `func` (store index) with its arguments in the cells from
/// `args_at`, and writes its results there. `depth` is the number of active frames
/// before this one.
fn call_host<T>(
    store: &mut Store<T>,
    func: u32,
    instance: Option<u32>,
    args_at: usize,
    depth: u32,
) -> Result<(), Trap> {
    let inner = &mut store.inner;
    let FuncEntity::Host { sig, host } = inner.funcs[func as usize] else {
        unreachable!("call_host of a Wasm function")
    };
    if depth >= inner.engine.config.max_call_depth {
        return Err(Trap::new(TrapKind::StackExhausted));
    }
    let id = inner.id;
    let ty = inner.sigs.get(sig);
    let num_params = ty.params().len();
    let sp = args_at + num_params;
    let mut vals = core::mem::take(&mut inner.stack.vals);
    vals.clear();
    let args = &inner.stack.cells[args_at..sp];
    vals.extend(
        args.iter()
            .zip(ty.params())
            .map(|(&cell, &t)| Val::from_cell(cell, t, id)),
    );
    vals.extend(ty.results().iter().map(|&t| Val::default_for(t)));
    inner.stack.top = sp;
    inner.stack.depth = depth + 1;

    let f = store.host_funcs[host as usize].clone();
    let (args, rets) = vals.split_at_mut(num_params);
    let outcome = f(
        Caller {
            store: &mut *store,
            instance,
        },
        args,
        rets,
    );
    let inner = &mut store.inner;
    inner.stack.depth = depth;
    outcome?;

    let ty = inner.sigs.get(sig);
    for (i, (v, &t)) in rets.iter().zip(ty.results()).enumerate() {
        if v.ty() != t {
            return Err(Trap::host(format!(
                "host function result {i}: expected {t}, got {}",
                v.ty()
            )));
        }
        let cell = v.to_cell(id).ok_or_else(|| {
            Trap::host(format!(
                "host function result {i}: a reference from another store"
            ))
        })?;
        inner.stack.cells[args_at + i] = cell;
    }
    inner.stack.vals = vals;
    Ok(())
}
