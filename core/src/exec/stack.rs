//! The value stack and the call frames, shared by every call into a store (host
//! re-entry included), so that depth and size limits hold across them and a call
//! allocates nothing once the stack has grown.

use super::{Trap, TrapKind};
use crate::compile::{CompiledFunc, Instr};
use crate::prelude::*;

/// What a Wasm call saved of its caller, to resume it on `Return`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// The caller's bytecode: owned by the store's function entity (an `Arc` the store
    /// keeps as long as it lives), so valid while the frame is.
    pub(crate) cf: *const CompiledFunc,
    /// Where the caller resumes: an instruction of `cf`'s code.
    pub(crate) ret: *const Instr,
    /// The caller's frame pointer (a cell index: the buffer may move).
    pub(crate) fp: usize,
    /// Store index of the caller's instance.
    pub(crate) instance: u32,
}

// SAFETY: a `Frame`'s pointers point into bytecode the store owns through `Arc`s, which
// is never mutated; the frame is data of the store's stack and moves with the store.
#[allow(unsafe_code)]
unsafe impl Send for Frame {}
// SAFETY: as above; shared access only reads the pointers.
#[allow(unsafe_code)]
unsafe impl Sync for Frame {}

/// A store's execution stack.
#[derive(Debug, Default)]
pub(crate) struct Stack {
    /// Untyped cells; zero-filled up to `len()`, which only grows (up to the engine's
    /// `max_value_stack`).
    pub(crate) cells: Vec<u64>,
    /// Saved callers of every active Wasm frame but the innermost of each call.
    pub(crate) frames: Vec<Frame>,
    /// First free cell while a host function runs: where a nested call starts.
    pub(crate) top: usize,
    /// Active frames, Wasm and host, across nested calls; bounded by `max_call_depth`.
    pub(crate) depth: u32,
}

/// Makes `cells` at least `need` long, within `max` cells.
#[inline]
pub(crate) fn reserve(cells: &mut Vec<u64>, need: usize, max: usize) -> Result<(), Trap> {
    if need <= cells.len() {
        Ok(())
    } else {
        grow(cells, need, max)
    }
}

#[cold]
fn grow(cells: &mut Vec<u64>, need: usize, max: usize) -> Result<(), Trap> {
    if need > max {
        return Err(Trap::new(TrapKind::StackExhausted));
    }
    // Geometric growth: a deep recursion reallocates O(log n) times.
    let new_len = need.max(cells.len().saturating_mul(2)).max(1024).min(max);
    cells
        .try_reserve_exact(new_len - cells.len())
        .map_err(|_| Trap::new(TrapKind::StackExhausted))?;
    cells.resize(new_len, 0);
    Ok(())
}
