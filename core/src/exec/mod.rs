//! The interpreter: runs the bytecode of `compile` on a store.
//!
//! # Shape
//!
//! - One contiguous stack of untyped 64-bit cells per store ([`Stack`]); a function's
//!   locals are the first slots of its frame (the bytecode module docs draw the layout).
//! - Calls never recurse on the host stack: a Wasm call pushes a [`Frame`](stack::Frame)
//!   with the caller's `pc` and `fp` and continues in the same loop; `Return` pops it.
//! - Host functions are called from [`call`], outside the loop, with the whole store: they
//!   may grow memories or call back into Wasm ([`call`] is re-entrant and nested calls
//!   start above the caller's cells). Depth counts Wasm and host frames across such
//!   re-entry, so mutual host↔Wasm recursion hits the same limit.
//!
//! # Memory
//!
//! The loop holds memory 0 of the running instance as a `&mut [u8]` and takes it again
//! after whatever may grow or replace it (see `run`'s module docs); other memories, and
//! the bulk operations, go through [`Memory`](crate::memory::Memory)'s checked methods.
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
//! With `consume_fuel`, every executed bytecode instruction costs one unit (Wasm
//! operators that translate to nothing, like `nop`, `block` or `i64.extend_i32_u`, cost
//! nothing); the instruction that finds the tank empty traps "all fuel consumed" instead of
//! running. The loop is compiled twice (a const generic), so without fuel not a single
//! instruction of metering runs.
//!
//! # Traps
//!
//! A trap unwinds the whole call (back to the embedder, or to the host function that
//! called in, as an `Err`): the stack and depth are reset to where the call started.
//!
//! # Unsafe code
//!
//! None: every cell and byte access is a checked slice access. An `unchecked` hot path
//! may come once a benchmark shows it pays (then with `// SAFETY:` comments resting on
//! the validation and frame-size invariants above).
#![forbid(unsafe_code)]

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
    let height = args.len().max(results.len()).max(frame.map_or(0, |f| f.0));
    let need = base
        .checked_add(height)
        .ok_or_else(|| Trap::new(TrapKind::StackExhausted))?;
    stack::reserve(&mut inner.stack.cells, need, max_cells)?;
    let cells = &mut inner.stack.cells;
    cells[base..base + args.len()].copy_from_slice(args);

    match frame {
        None => {
            call_host(store, func, None, base + args.len(), depth)?;
        }
        Some((_, num_locals, instance)) => {
            if depth >= inner.engine.config.max_call_depth {
                return Err(Trap::new(TrapKind::StackExhausted));
            }
            cells[base + args.len()..base + num_locals].fill(0);
            let mut regs = Regs {
                func,
                instance,
                pc: 0,
                fp: base,
                sp: base + num_locals,
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
                    Exit::Host(callee) => {
                        regs.sp =
                            call_host(store, callee, Some(regs.instance), regs.sp, regs.depth)?;
                    }
                }
            }
        }
    }
    results.copy_from_slice(&store.inner.stack.cells[base..base + results.len()]);
    Ok(())
}

/// Calls host function `func` (store index) with its arguments on top of the stack,
/// below `sp`; replaces them with its results and returns the new `sp`. `depth` is the
/// number of active frames before this one.
fn call_host<T>(
    store: &mut Store<T>,
    func: u32,
    instance: Option<u32>,
    sp: usize,
    depth: u32,
) -> Result<usize, Trap> {
    let inner = &mut store.inner;
    let FuncEntity::Host { sig, host } = inner.funcs[func as usize] else {
        unreachable!("call_host of a Wasm function")
    };
    if depth >= inner.engine.config.max_call_depth {
        return Err(Trap::new(TrapKind::StackExhausted));
    }
    let id = inner.id;
    let ty = inner.sigs.get(sig);
    let (num_params, num_results) = (ty.params().len(), ty.results().len());
    let args_at = sp - num_params;
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
    Ok(args_at + num_results)
}
