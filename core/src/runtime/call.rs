//! Calling a store function: the interpreter ([`exec`]) runs Wasm and stops at each call
//! of a host function, which is run here, with the whole store, before resuming. A host
//! function that throws (returns an uncaught exception of this store: see `exn`) is not
//! resumed: the interpreter unwinds its Wasm callers for the exception instead
//! ([`exec::resume_throwing`]).

use super::{Caller, Error, Store};
use crate::exec::store::FuncEntity;
use crate::exec::{self, Entered, Exit, Trap, TrapKind};

/// Calls store function `func` with argument cells, writing result cells.
///
/// The caller checked `args` and `results` against the function's signature. Whatever
/// happens, the stack is as it was before the call (a trap unwinds every frame of it),
/// even when a host function panics and the embedder catches the panic: the stack is put
/// back as the unwinding leaves (see [`Restore`]).
pub(crate) fn call<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[u64],
    results: &mut [u64],
) -> Result<(), Error> {
    let outermost = enter_host_stack(store)?;
    let stack = &store.inner.stack;
    let restore = Restore {
        top: stack.top,
        depth: stack.depth,
        frames: stack.frames.len(),
        outermost,
        store,
    };
    let base = restore.top;
    call_at(restore.store, func, args, results, base)
}

/// Puts the stack back to where a call started (top, depth, frames) when dropped: after
/// the call returns or traps, and when a host function's panic unwinds through it (the
/// depth counted that call's frames: left, they would exhaust it call after call).
struct Restore<'s, T> {
    top: usize,
    depth: u32,
    frames: usize,
    /// Whether this is the outermost call (see [`enter_host_stack`]).
    outermost: bool,
    store: &'s mut Store<T>,
}

impl<T> Drop for Restore<'_, T> {
    fn drop(&mut self) {
        let stack = &mut self.store.inner.stack;
        stack.top = self.top;
        stack.depth = self.depth;
        stack.frames.truncate(self.frames);
        leave_host_stack(self.store, self.outermost);
    }
}

/// Notes where the outermost call into the store starts on the host stack, or, for a
/// nested call (a host function calling back into Wasm), checks that it starts within
/// the engine's `max_host_stack` of that: each Wasm→host→Wasm round trip takes host
/// stack (see `Config::max_host_stack`), and a re-entrant recursion must trap "call
/// stack exhausted" before the thread's stack overflows. `Ok(true)` for the outermost
/// call, which calls [`leave_host_stack`] when it ends.
pub(super) fn enter_host_stack<T>(store: &mut Store<T>) -> Result<bool, Error> {
    let here = exec::stack_here();
    let start = store.host_stack_start;
    if start == 0 {
        store.host_stack_start = here;
        return Ok(true);
    }
    if start.abs_diff(here) > store.inner.limits.max_host_stack {
        return Err(Trap::new(TrapKind::StackExhausted).into());
    }
    Ok(false)
}

/// Ends what [`enter_host_stack`] began.
pub(super) fn leave_host_stack<T>(store: &mut Store<T>, outermost: bool) {
    if outermost {
        store.host_stack_start = 0;
    }
}

fn call_at<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[u64],
    results: &mut [u64],
    base: usize,
) -> Result<(), Error> {
    let depth = store.inner.stack.depth;
    match exec::enter(&mut store.inner, func, args, results.len(), base)? {
        Entered::Host => call_host(store, func, None, base, depth)?,
        Entered::Wasm(mut regs) => {
            let mut thrown = None;
            loop {
                let exit = match thrown.take() {
                    None => exec::resume(&mut store.inner, &mut regs)?,
                    Some(exn) => exec::resume_throwing(&mut store.inner, &mut regs, exn)?,
                };
                match exit {
                    Exit::Return => break,
                    Exit::Host { func, args } => {
                        let called = call_host(store, func, Some(regs.instance), args, regs.depth);
                        thrown = thrown_by(store, called)?;
                    }
                    // Only a resumable call stops for fuel (`regs.resumable` is false here).
                    Exit::OutOfFuel { .. } => return Err(Trap::new(TrapKind::OutOfFuel).into()),
                }
            }
        }
    }
    results.copy_from_slice(&store.inner.stack.cells[base..base + results.len()]);
    Ok(())
}

/// What a host function's outcome means to the Wasm code that called it: `Ok(None)`, go
/// on; `Ok(Some(exn))`, it threw exception object `exn` of this store, to unwind for;
/// the error otherwise.
pub(super) fn thrown_by<T>(
    store: &Store<T>,
    called: Result<(), Error>,
) -> Result<Option<u32>, Error> {
    match called {
        Ok(()) => Ok(None),
        Err(e) => e.exception_of(store.inner.id).map(Some).ok_or(e),
    }
}

/// Calls host function `func` (store index) with its arguments in the cells from
/// `args_at`, and writes its results there. `depth` is the number of active frames
/// before this one.
pub(super) fn call_host<T>(
    store: &mut Store<T>,
    func: u32,
    instance: Option<u32>,
    args_at: usize,
    depth: u32,
) -> Result<(), Error> {
    let inner = &mut store.inner;
    let FuncEntity::Host { sig, host } = inner.funcs[func as usize] else {
        unreachable!("call_host of a Wasm function")
    };
    if depth >= inner.limits.max_call_depth {
        return Err(Trap::new(TrapKind::StackExhausted).into());
    }
    let ty = inner.sigs.get(sig);
    let (num_params, num_results) = (ty.param_cells(), ty.result_cells());
    let sp = args_at + num_params;
    let mut cells = core::mem::take(&mut store.host_cells);
    cells.clear();
    cells.extend_from_slice(&inner.stack.cells[args_at..sp]);
    cells.resize(num_params.max(num_results), 0);
    inner.stack.top = sp;
    inner.stack.depth = depth + 1;

    let f = store.host_funcs[host as usize].clone();
    let outcome = f(
        Caller {
            store: &mut *store,
            instance,
        },
        &mut cells,
    );
    let inner = &mut store.inner;
    inner.stack.depth = depth;
    outcome?;
    inner.stack.cells[args_at..args_at + num_results].copy_from_slice(&cells[..num_results]);
    store.host_cells = cells;
    Ok(())
}
