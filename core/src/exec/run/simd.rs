//! The handlers of the SIMD instructions (with the `simd` feature): the `simd` group of
//! the instruction list, expanded by shape, and the SIMD instructions of the `special`
//! group (memory access, shuffles, `v128` globals and `select`).
//!
//! A `v128` operand or result is named by one slot, [`VSlot`](crate::compile::VSlot): that
//! slot holds its low 64 bits and the next one its high 64 bits (see `compile`'s bytecode
//! docs). The semantics are `exec::simd`'s functions; these handlers only move cells.
#![allow(unsafe_code)]

use super::*;
use crate::exec::simd;

/// Reads the `v128` in slot `$slot` and the one after it.
macro_rules! get_v128 {
    ($fp:ident, $slot:expr) => {{
        let slot: u32 = $slot;
        // SAFETY: `slot` is a `VSlot` field of one of the running function's instructions:
        // `CompiledFunc::check` proved it and the slot after it below `max_height` (or an
        // operand of an instruction taking consecutive slots, which the translator placed
        // below the operand stack's height), and the frame's `max_height` cells are in the
        // buffer (invariant of `Ctx::cells`).
        let cells = unsafe { $fp.add(slot as usize).cast::<[u64; 2]>().read() };
        cells_to_v128(cells)
    }};
}

/// The `v128` of two cells, low half first. On a little-endian target the cells' bytes
/// are the `u128`'s: a plain reinterpretation, which the compiler can keep in a vector
/// register (assembling it from two 64-bit halves made it take every lane apart with
/// shifts, measured).
#[inline(always)]
fn cells_to_v128(cells: [u64; 2]) -> u128 {
    #[cfg(target_endian = "little")]
    {
        // SAFETY: `[u64; 2]` and `u128` have the same size, and every bit pattern is a
        // valid value of both.
        unsafe { core::mem::transmute::<[u64; 2], u128>(cells) }
    }
    #[cfg(not(target_endian = "little"))]
    {
        u128::from(cells[0]) | (u128::from(cells[1]) << 64)
    }
}

/// The two cells of a `v128`, low half first (see [`cells_to_v128`]).
#[inline(always)]
fn v128_to_cells(v: u128) -> [u64; 2] {
    #[cfg(target_endian = "little")]
    {
        // SAFETY: as in `cells_to_v128`.
        unsafe { core::mem::transmute::<u128, [u64; 2]>(v) }
    }
    #[cfg(not(target_endian = "little"))]
    {
        [v as u64, (v >> 64) as u64]
    }
}

/// Writes the `v128` `$value` to slot `$slot` and the one after it (the accumulator is
/// not a `v128`'s: no instruction reads one from it).
macro_rules! set_v128 {
    ($fp:ident, $slot:expr, $value:expr) => {{
        let value: u128 = $value;
        let slot: u32 = $slot;
        // SAFETY: as for `get_v128!`.
        unsafe {
            $fp.add(slot as usize)
                .cast::<[u64; 2]>()
                .write(v128_to_cells(value))
        };
    }};
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
                let m = at!(ctx, ctx.cf.memargs.get(memarg as usize));
                let a = get!(fp, addr);
                let bytes = with_memory!(ctx, mem, m.memory, |x| x.load::<N>(a, m.offset));
                let bytes = try_trap!(ctx, bytes.map_err(memory_oob));
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
                let m = at!(ctx, ctx.cf.memargs.get(memarg as usize));
                let a = get!(fp, base);
                let bytes = with_memory!(ctx, mem, m.memory, |x| x.load::<$n>(a, m.offset));
                let bytes = try_trap!(ctx, bytes.map_err(memory_oob));
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
                let m = at!(ctx, ctx.cf.memargs.get(memarg as usize));
                let a = get!(fp, base);
                let cell = simd::$extract(get_v128!(fp, base + 1), lane).to_le_bytes();
                let mut bytes = [0u8; $n];
                bytes.copy_from_slice(&cell[..$n]);
                let stored = with_memory!(ctx, mem, m.memory, |x| x.store(a, m.offset, bytes));
                try_trap!(ctx, stored.map_err(memory_oob));
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
            let v: u128 = load0!(ctx, mem, u128, get!(fp, addr), offset);
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
            set_v128!(fp, dst, u128::from_le_bytes(bytes));
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
            let v = get_v128!(fp, value);
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
            let bytes = get_v128!(fp, value).to_le_bytes();
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
            set_v128!(fp, dst, g.bits());
        }
    );
    handler!(
        GlobalSetV128,
        Instr::GlobalSetV128 { src, index },
        |ip, fp, acc, mem, ctx, budget| {
            let v = get_v128!(fp, src);
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
