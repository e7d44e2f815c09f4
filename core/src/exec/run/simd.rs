//! The handlers of the SIMD instructions (with the `simd` feature): the `simd` group of
//! the instruction list, expanded by shape, and the SIMD instructions of the `special`
//! group (memory access, shuffles, `v128` globals and `select`).
//!
//! A `v128` operand or result is named by one slot, `VSlot` (`compile/bytecode.rs`): that
//! slot holds its low 64 bits and the next one its high 64 bits (see `compile`'s bytecode
//! docs). The semantics are `exec::simd`'s functions; these handlers only move cells.
#![allow(unsafe_code)]

use super::*;
use crate::exec::simd::{self, V128};

/// Reads the `v128` in slot `$slot` and the one after it, as a [`V128`].
macro_rules! get_v128 {
    ($fp:ident, $slot:expr) => {{
        let slot: u32 = $slot;
        // SAFETY: `slot` is a `VSlot` field of one of the running function's instructions:
        // `CompiledFunc::check` proved it and the slot after it below `max_height` (or an
        // operand of an instruction taking consecutive slots, which the translator placed
        // below the operand stack's height), and the frame's `max_height` cells are in the
        // buffer (invariant of `Ctx::cells`).
        unsafe { read_v128($fp.add(slot as usize)) }
    }};
}

/// Writes the [`V128`] `$value` to slot `$slot` and the one after it (the accumulator is
/// not a `v128`'s: no instruction reads one from it).
macro_rules! set_v128 {
    ($fp:ident, $slot:expr, $value:expr) => {{
        let value: V128 = $value;
        let slot: u32 = $slot;
        // SAFETY: as for `get_v128!`.
        unsafe { write_v128($fp.add(slot as usize), value) };
    }};
}

/// The `v128` in the two cells at `cell`, low half first.
///
/// On a little-endian target the cells' 16 bytes are the vector's bytes in memory order:
/// they are read as they are, a `[u8; 16]` the compiler loads into a vector register (a
/// `u128`, kept in two general registers, made it take every lane apart with shifts,
/// measured). Elsewhere each cell is converted.
///
/// # Safety
///
/// `cell` and `cell + 1` are cells of the frame buffer, valid for reads.
#[inline(always)]
unsafe fn read_v128(cell: *const u64) -> V128 {
    #[cfg(target_endian = "little")]
    {
        // SAFETY: the caller's contract: 16 readable bytes at `cell`; `[u8; 16]` has
        // alignment 1 and every bit pattern is one of its values.
        unsafe { cell.cast::<V128>().read() }
    }
    #[cfg(not(target_endian = "little"))]
    {
        // SAFETY: the caller's contract; `cell` is a cell, aligned for `u64`.
        let [lo, hi] = unsafe { cell.cast::<[u64; 2]>().read() };
        let mut v = [0u8; 16];
        v[..8].copy_from_slice(&lo.to_le_bytes());
        v[8..].copy_from_slice(&hi.to_le_bytes());
        v
    }
}

/// Writes the `v128` `v` to the two cells at `cell`, low half first (see [`read_v128`]).
///
/// # Safety
///
/// `cell` and `cell + 1` are cells of the frame buffer, valid for writes.
#[inline(always)]
unsafe fn write_v128(cell: *mut u64, v: V128) {
    #[cfg(target_endian = "little")]
    {
        // SAFETY: the caller's contract: 16 writable bytes at `cell`; `[u8; 16]` has
        // alignment 1.
        unsafe { cell.cast::<V128>().write(v) }
    }
    #[cfg(not(target_endian = "little"))]
    {
        let (halves, _) = v.as_chunks::<8>();
        let cells = [u64::from_le_bytes(halves[0]), u64::from_le_bytes(halves[1])];
        // SAFETY: the caller's contract; `cell` is a cell, aligned for `u64`.
        unsafe { cell.cast::<[u64; 2]>().write(cells) }
    }
}

/// The bytes a `loadN` shape reads.
macro_rules! load_width {
    (load1) => {
        1
    };
    (load2) => {
        2
    };
    (load4) => {
        4
    };
    (load8) => {
        8
    };
}

/// The `$n` bytes at `$a + m.offset` of memory `m.memory` (`$m` a `MemArg`): read through
/// memory 0's pointer when they are there (the common case: a lane or splat load of
/// memory 0), else through the memory itself, which also traps out of bounds (another
/// memory; a shared memory 0, whose pointer holds no bytes: `mem0_len` is 0; an offset of
/// 2^32 or more).
macro_rules! load_m {
    ($ctx:ident, $mem:ident, $m:expr, $a:expr, $n:expr) => {{
        let m = $m;
        let a: u64 = $a;
        match in_memory0::<{ $n }>($ctx, m.memory, m.offset, a) {
            Some(start) => {
                let mut bytes = [0u8; $n];
                // SAFETY: `mem` and `mem0_len` are memory 0's bytes, taken again after
                // anything that may have moved or resized them (see `memory0`), and
                // `in_bounds` proved `start + $n <= mem0_len`.
                unsafe { core::ptr::copy_nonoverlapping($mem.add(start), bytes.as_mut_ptr(), $n) };
                bytes
            }
            None => {
                let bytes = with_memory!($ctx, $mem, m.memory, |x| x.load::<{ $n }>(a, m.offset));
                try_trap!($ctx, bytes.map_err(memory_oob))
            }
        }
    }};
}

/// Where the `N` bytes at `a + offset` of memory `memory` start in memory 0's bytes, if
/// it is memory 0 and they are all there (see `load_m!`).
#[inline(always)]
fn in_memory0<const N: usize>(ctx: &Ctx<'_>, memory: u32, offset: u64, a: u64) -> Option<usize> {
    if memory != 0 {
        return None;
    }
    in_bounds::<N>(ctx.mem0_len, a, u32::try_from(offset).ok()?)
}

/// Stores the `$n` bytes `$bytes` at `$a + m.offset` of memory `m.memory`, as `load_m!`
/// reads them.
macro_rules! store_m {
    ($ctx:ident, $mem:ident, $m:expr, $a:expr, $n:expr, $bytes:expr) => {{
        let m = $m;
        let a: u64 = $a;
        let bytes: [u8; $n] = $bytes;
        match in_memory0::<{ $n }>($ctx, m.memory, m.offset, a) {
            // SAFETY: as in `load_m!`, for writing.
            Some(start) => unsafe {
                core::ptr::copy_nonoverlapping(bytes.as_ptr(), $mem.add(start), $n)
            },
            None => {
                let stored = with_memory!($ctx, $mem, m.memory, |x| x.store(a, m.offset, bytes));
                try_trap!($ctx, stored.map_err(memory_oob));
            }
        }
    }};
}

/// Defines the handler of one instruction of the `simd` group, by its shape.
macro_rules! simd_handler {
    (unary, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, src },
            |ip, fp, acc, mem, ctx, budget| {
                set_v128!(fp, dst, simd::$f(get_v128!(fp, src)));
            }
        );
    };
    (binary, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, a, b },
            |ip, fp, acc, mem, ctx, budget| {
                set_v128!(fp, dst, simd::$f(get_v128!(fp, a), get_v128!(fp, b)));
            }
        );
    };
    (ternary, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, b, c },
            |ip, fp, acc, mem, ctx, budget| {
                let v = simd::$f(get_v128!(fp, dst), get_v128!(fp, b), get_v128!(fp, c));
                set_v128!(fp, dst, v);
            }
        );
    };
    (test, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, src },
            |ip, fp, acc, mem, ctx, budget| {
                set!(fp, acc, dst, u64::from(simd::$f(get_v128!(fp, src))));
            }
        );
    };
    (splat, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, src },
            |ip, fp, acc, mem, ctx, budget| {
                set_v128!(fp, dst, simd::$f(get!(fp, src)));
            }
        );
    };
    (shift, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, a, b },
            |ip, fp, acc, mem, ctx, budget| {
                set_v128!(fp, dst, simd::$f(get_v128!(fp, a), get!(fp, b) as u32));
            }
        );
    };
    (extract, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, src, lane },
            |ip, fp, acc, mem, ctx, budget| {
                set!(fp, acc, dst, simd::$f(get_v128!(fp, src), lane));
            }
        );
    };
    (replace, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, src, lane },
            |ip, fp, acc, mem, ctx, budget| {
                set_v128!(fp, dst, simd::$f(get_v128!(fp, dst), get!(fp, src), lane));
            }
        );
    };
    ($load:ident, $name:ident, $f:ident) => {
        handler!(
            $name,
            Instr::$name { dst, addr, memarg },
            |ip, fp, acc, mem, ctx, budget| {
                const N: usize = load_width!($load);
                let m = *at!(ctx, ctx.cf.memargs.get(memarg as usize));
                let bytes = load_m!(ctx, mem, m, get!(fp, addr), N);
                let mut cell = [0u8; 8];
                cell[..N].copy_from_slice(&bytes);
                set_v128!(fp, dst, simd::$f(u64::from_le_bytes(cell)));
            }
        );
    };
}

/// Expands the handlers of the `simd` group, and the table's entries for them.
macro_rules! simd_handlers {
    (
        []
        special { $($special:tt)* }
        load { $($load:tt)* }
        store { $($store:tt)* }
        unary { $($unary:tt)* }
        unary_trap { $($unary_trap:tt)* }
        binary { $($binary:tt)* }
        binary_trap { $($binary_trap:tt)* }
        branch_cmp { $($cmp:tt)* }
        step_cmp { $($step:tt)* }
        simd { $( $name:ident { $($field:ident : $fty:ident),* } $shape:ident $f:ident ),* $(,)? }
    ) => {
        $( simd_handler!($shape, $name, $f); )*
    };
}
for_each_op!(simd_handlers);

/// Loads lane `$lane` of the vector at slot `$base + 1` from the `$n` bytes at the address in
/// slot `$base` with `$replace`; the vector goes to slot `$base`.
macro_rules! load_lane {
    ($name:ident, $n:literal, $replace:ident) => {
        handler!(
            $name,
            Instr::$name { base, memarg, lane },
            |ip, fp, acc, mem, ctx, budget| {
                let m = *at!(ctx, ctx.cf.memargs.get(memarg as usize));
                let bytes = load_m!(ctx, mem, m, get!(fp, base), $n);
                let mut cell = [0u8; 8];
                cell[..$n].copy_from_slice(&bytes);
                let v = simd::$replace(get_v128!(fp, base + 1), u64::from_le_bytes(cell), lane);
                set_v128!(fp, base, v);
            }
        );
    };
}

/// Stores lane `$lane` of the vector at slot `$base + 1` (`$n` bytes, by `$extract`) at the
/// address in slot `$base`.
macro_rules! store_lane {
    ($name:ident, $n:literal, $extract:ident) => {
        handler!(
            $name,
            Instr::$name { base, memarg, lane },
            |ip, fp, acc, mem, ctx, budget| {
                let m = *at!(ctx, ctx.cf.memargs.get(memarg as usize));
                let cell = simd::$extract(get_v128!(fp, base + 1), lane).to_le_bytes();
                let mut bytes = [0u8; $n];
                bytes.copy_from_slice(&cell[..$n]);
                store_m!(ctx, mem, m, get!(fp, base), $n, bytes);
            }
        );
    };
}

/// The SIMD instructions of the `special` group.
pub(super) mod special {
    use super::*;

    handler!(
        V128Load,
        Instr::V128Load { dst, addr, offset },
        |ip, fp, acc, mem, ctx, budget| {
            let v = load0!(ctx, mem, u128, get!(fp, addr), offset).to_le_bytes();
            set_v128!(fp, dst, v);
        }
    );
    handler!(
        V128LoadM,
        Instr::V128LoadM { dst, addr, memarg },
        |ip, fp, acc, mem, ctx, budget| {
            let m = at!(ctx, ctx.cf.memargs.get(memarg as usize));
            let a = get!(fp, addr);
            let bytes = with_memory!(ctx, mem, m.memory, |x| x.load::<16>(a, m.offset));
            let bytes = try_trap!(ctx, bytes.map_err(memory_oob));
            set_v128!(fp, dst, bytes);
        }
    );
    handler!(
        V128Store,
        Instr::V128Store {
            addr,
            value,
            offset,
        },
        |ip, fp, acc, mem, ctx, budget| {
            let v = u128::from_le_bytes(get_v128!(fp, value));
            store0!(ctx, mem, u128, get!(fp, addr), offset, v);
        }
    );
    handler!(
        V128StoreM,
        Instr::V128StoreM {
            addr,
            value,
            memarg,
        },
        |ip, fp, acc, mem, ctx, budget| {
            let m = at!(ctx, ctx.cf.memargs.get(memarg as usize));
            let a = get!(fp, addr);
            let bytes = get_v128!(fp, value);
            let stored = with_memory!(ctx, mem, m.memory, |x| x.store(a, m.offset, bytes));
            try_trap!(ctx, stored.map_err(memory_oob));
        }
    );
    load_lane!(V128Load8Lane, 1, i8x16_replace_lane);
    load_lane!(V128Load16Lane, 2, i16x8_replace_lane);
    load_lane!(V128Load32Lane, 4, i32x4_replace_lane);
    load_lane!(V128Load64Lane, 8, i64x2_replace_lane);
    store_lane!(V128Store8Lane, 1, i8x16_extract_lane_u);
    store_lane!(V128Store16Lane, 2, i16x8_extract_lane_u);
    store_lane!(V128Store32Lane, 4, i32x4_extract_lane);
    store_lane!(V128Store64Lane, 8, i64x2_extract_lane);
    handler!(
        I8x16Shuffle,
        Instr::I8x16Shuffle { dst, b, lanes },
        |ip, fp, acc, mem, ctx, budget| {
            let v = simd::i8x16_shuffle(get_v128!(fp, dst), get_v128!(fp, b), get_v128!(fp, lanes));
            set_v128!(fp, dst, v);
        }
    );
    handler!(
        GlobalGetV128,
        Instr::GlobalGetV128 { dst, index },
        |ip, fp, acc, mem, ctx, budget| {
            let g = at!(ctx, ctx.globals.get(global(ctx, index)));
            set_v128!(fp, dst, g.bits().to_le_bytes());
        }
    );
    handler!(
        GlobalSetV128,
        Instr::GlobalSetV128 { src, index },
        |ip, fp, acc, mem, ctx, budget| {
            let v = u128::from_le_bytes(get_v128!(fp, src));
            let g = at!(ctx, ctx.globals.get_mut(global(ctx, index)));
            (g.value, g.hi) = (v as u64, (v >> 64) as u64);
        }
    );
    handler!(
        SelectV128,
        Instr::SelectV128 { dst, a, b },
        |ip, fp, acc, mem, ctx, budget| {
            // The condition's home is `dst + 4`, after the two vectors' homes.
            let c = get!(fp, dst + 4);
            let v = if c as u32 != 0 {
                get_v128!(fp, a)
            } else {
                get_v128!(fp, b)
            };
            set_v128!(fp, dst, v);
        }
    );
}
