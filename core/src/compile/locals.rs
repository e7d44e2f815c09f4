//! Which locals a call must zero.
//!
//! Wasm gives every local that is not a parameter the value zero when the function
//! starts, so a call has to write those zeros before the body runs — unless the body
//! writes a local before anything reads it, on every path. Compilers declare a local
//! for every temporary and assign it before use, so most of those zeros are never read:
//! in compiled C and Rust they were a quarter of the machine instructions of a call.
//!
//! [`locals_to_zero`] finds the locals that some path may read before writing, by a
//! forward "definitely written" analysis over the finished bytecode: the set of locals
//! written on every path to an instruction is the intersection of the sets its
//! predecessors (the instruction before it, when that one falls through, and every
//! branch to it) leave, iterated to a fixed point. It is conservative where the bytecode
//! is not simple: a write counts only as an instruction's `dst`, a slot named anywhere
//! else counts as a read, and an operand range that starts among the locals (a `Return`
//! of a local) reads all of them from there. Only the first 64 locals after the
//! parameters are analysed; the others are always zeroed.
//!
//! What a mistake here would cost: a local read before it is written would see a value
//! left by an earlier call instead of zero (a wrong result, not an unsafe access: every
//! slot is in the frame whatever it holds). The executor's safety does not rest on it.

use super::bytecode::{BrTableEntry, Instr};
use crate::prelude::*;

/// How many fixed-point rounds before giving up (and zeroing everything): structured
/// control flow needs two or three.
const ROUNDS: usize = 8;

/// The locals `num_params + k` (bit `k`, `k < 64`) that `code` may read before writing
/// them; locals beyond `num_params + 64` are not in the mask (always zeroed).
pub(crate) fn locals_to_zero(
    code: &[Instr],
    br_tables: &[BrTableEntry],
    num_params: u32,
    num_locals: u32,
) -> u64 {
    let tracked = (num_locals - num_params.min(num_locals)).min(64);
    if tracked == 0 {
        return 0;
    }
    let all: u64 = if tracked == 64 {
        u64::MAX
    } else {
        (1 << tracked) - 1
    };
    // The bit of slot `s`, if it is a tracked local.
    let bit = |s: u32| -> u64 {
        match s.checked_sub(num_params) {
            Some(k) if k < tracked => 1 << k,
            _ => 0,
        }
    };
    let n = code.len();
    // Each instruction's reads and write, as masks.
    let mut reads = Vec::with_capacity(n);
    let mut writes = Vec::with_capacity(n);
    for &instr in code {
        let mut i = instr;
        let w = i.dst_mut().map_or(0, |d| {
            let w = bit(*d);
            // Not a slot: `map_slots` below then skips it as a read.
            *d = u32::MAX;
            w
        });
        let mut r = 0;
        i.map_slots(|s| {
            r |= bit(s);
            s
        });
        // An operand range starting among the locals reads every local from there on.
        i.map_homes(|h| {
            if h < num_params + tracked {
                r |= all & !(bit(h).wrapping_sub(1));
                if h < num_params {
                    r = all;
                }
            }
            h
        });
        reads.push(r);
        writes.push(w);
    }
    // Predecessors by branch: (target, source) pairs sorted by target.
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for (p, &instr) in code.iter().enumerate() {
        let mut i = instr;
        if let Some(&mut t) = i.target_mut() {
            edges.push((t, p as u32));
        }
        if let Instr::BrTable { offset, len, .. } = instr {
            let from = offset as usize;
            let entries = br_tables.get(from..=from + len as usize).unwrap_or(&[]);
            edges.extend(entries.iter().map(|e| (e.target, p as u32)));
        }
    }
    edges.sort_unstable();
    let falls_through = |i: usize| {
        !matches!(
            code[i],
            Instr::Br { .. } | Instr::BrTable { .. } | Instr::Return { .. } | Instr::Unreachable
        )
    };
    // `ins[i]`: the locals written on every path to `i` so far (all of them until a
    // path is seen: unreachable code reads nothing that matters).
    let mut ins = vec![all; n];
    if n > 0 {
        ins[0] = 0;
    }
    let mut need = 0u64;
    for _ in 0..ROUNDS {
        let mut changed = false;
        let mut e = 0;
        for i in 0..n {
            let mut x = if i == 0 { 0 } else { all };
            if i > 0 && falls_through(i - 1) {
                x &= ins[i - 1] | writes[i - 1];
            }
            while e < edges.len() && (edges[e].0 as usize) < i {
                e += 1;
            }
            while e < edges.len() && edges[e].0 as usize == i {
                let p = edges[e].1 as usize;
                x &= ins[p] | writes[p];
                e += 1;
            }
            if x != ins[i] {
                ins[i] = x;
                changed = true;
            }
        }
        if !changed {
            for i in 0..n {
                need |= reads[i] & !ins[i];
            }
            return need;
        }
    }
    all
}
