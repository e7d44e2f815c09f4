//! Vector instruction semantics: the 128-bit SIMD instructions of WebAssembly core spec 2.0
//! (§4.4.3 "Vector Instructions", lane operators from §4.3 "Numerics") and the relaxed SIMD
//! instructions of WebAssembly 3.0.
//!
//! One small pure function per instruction, named after it (`i8x16.add_sat_s` →
//! [`i8x16_add_sat_s`], `v128.load32_zero` → [`v128_load32_zero`]), like the scalar
//! operators in `num`, whose lane functions these reuse.
//!
//! # Representation
//!
//! A `v128` is a [`V128`], `[u8; 16]`: the vector's bytes in memory order, exactly the 16
//! bytes `v128.load` reads and `v128.store` writes. Lanes are little-endian, lane 0 in
//! the lowest bytes: lane `i` of `i8x16` is byte `i`, lane `i` of `i32x4`/`f32x4` the
//! `u32::from_le_bytes` of bytes `4i..4i+4`, and so on. (As a number, the vector is
//! `u128::from_le_bytes` of the array.) Float lanes are raw bits.
//!
//! Every operator is written lane by lane (or byte by byte, for the bitwise ones) on fixed
//! arrays, so that the compiler can turn it into one SIMD instruction of the host where
//! there is one: a `u128`, which LLVM keeps in two general registers, made it take every
//! lane apart with shifts.
//!
//! # Calling conventions
//!
//! - Vector operands are [`V128`]s, in Wasm stack order: `a` is the deeper (first) operand.
//!   Ternary operators take theirs the same way: `v128.bitselect(a, b, mask)`,
//!   `f32x4.relaxed_madd(a, b, c) = a * b + c`, `i8x16.relaxed_laneselect(a, b, mask)`.
//! - Scalars travel as the interpreter's 64-bit cells: an `i32` zero-extended, an `i64` as
//!   is, an `f32` as its bits zero-extended, an `f64` as its bits. `splat` and
//!   `replace_lane` use the low bits of the cell; `extract_lane` returns a cell, the
//!   `_s` forms of `i8x16`/`i16x8` sign-extending the lane to `i32` first.
//! - Lane indices are immediates that validation proved in range; they are masked anyway
//!   (`lane & (lanes - 1)`), so no input can make a function panic. The same holds for the
//!   shuffle's lane bytes (`& 31`).
//! - Shift counts are taken modulo the lane width (§4.4.3, `ishl`/`ishr`).
//! - Tests (`any_true`, `all_true`, `bitmask`) return the wasm `i32` result as `u32`.
//! - The `load` functions build a vector from the little-endian value of the bytes read
//!   (1, 2, 4 or 8 of them), zero-extended to `u64`: `v128.load8x8_s` receives 8 bytes and
//!   sign-extends each to an `i16` lane. The lane loads and stores reuse
//!   `replace_lane` / `extract_lane` (`_u`).
//!
//! # NaNs
//!
//! Float lanes follow `num`'s rules exactly, lane by lane: `abs`, `neg` and `pmin`/`pmax`
//! are bit selections that never touch a NaN's payload; `add`, `sub`, `mul`, `div`,
//! `demote` and `promote` return the native operation's quiet NaN; `ceil`, `floor`, `trunc`,
//! `nearest`, `sqrt`, `min` and `max` return their (first) NaN input with the quiet bit set.
//! Nothing is canonicalised.
//!
//! # Relaxed SIMD
//!
//! The relaxed instructions may return one of several results, chosen by the
//! implementation. Folio always makes the choice of the WebAssembly 3.0 spec's
//! *deterministic profile*, in which every relaxed operator takes its first alternative
//! (spec, Numerics, "Relaxed Operations": "In the deterministic profile, every parameter is
//! prescribed to be 0"). The result is the same on every host, whatever its CPU:
//!
//! | instruction | Folio computes |
//! |---|---|
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle`: an index of 16 or more selects `0` |
//! | `i32x4.relaxed_trunc_f32x4_s`/`_u`, `i32x4.relaxed_trunc_f64x2_s_zero`/`_u_zero` | the `trunc_sat` form: NaN → 0, out of range → the nearest bound |
//! | `f32x4.relaxed_madd`, `f64x2.relaxed_madd` | unfused `a * b + c`: the product is rounded, then the sum (two roundings, no FMA) |
//! | `f32x4.relaxed_nmadd`, `f64x2.relaxed_nmadd` | unfused `-a * b + c` (two roundings) |
//! | `i8x16`/`i16x8`/`i32x4`/`i64x2.relaxed_laneselect` | `v128.bitselect`: every bit of the mask selects, not only the top bit of each lane |
//! | `f32x4.relaxed_min`/`_max`, `f64x2.relaxed_min`/`_max` | `min`/`max`: NaN propagates, `-0 < +0` |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s`: `-32768 * -32768` saturates to `32767` |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | both operands signed `i8`; each pair of products summed with signed saturation to `i16` |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | the `i16` sums above, added pairwise into `i32`, plus `c` (wrapping) |
//!
//! Source: the WebAssembly 3.0 specification (<https://github.com/WebAssembly/spec>),
//! `document/core/exec/numerics.rst`, "Relaxed Operations", and
//! `specification/wasm-3.0/3.2-numerics.vector.spectec` (`RELAXED_DOT` sums with
//! `$ivdot_sat_`; `RELAXED_DOT_ADD` is `RELAXED_DOT`, then `EXTADD_PAIRWISE S`, then `ADD`).
#![allow(dead_code)] // A complete table of operators; the interpreter calls them one by one.
#![forbid(unsafe_code)]

use super::num;

/// A `v128`: its 16 bytes in memory order. Byte `i` is byte `i` of the vector in memory,
/// so lane 0 of every shape is in the lowest bytes (see the module docs).
pub(crate) type V128 = [u8; 16];

// ---------------------------------------------------------------------------------------------
// Lane access: each lane read from and written to its own bytes; the only indexing is of
// fixed-size arrays by their own lane numbers (or a lane index masked to them), so nothing
// can panic.
// ---------------------------------------------------------------------------------------------

/// Defines a module `$m` with, for one integer lane type, the conversions between a
/// [`V128`] and its lanes and the lane-wise combinators the instructions are written with.
///
/// All of them are `#[inline(always)]` and index fixed-size arrays, so that after
/// inlining the compiler sees 16 (8, 4, 2) independent lane operations on bytes in memory
/// and turns them into one vector instruction where the target has one. (Through a
/// `u128`, which LLVM keeps in a pair of general registers, every lane was taken apart
/// with shifts instead, measured.)
macro_rules! int_lanes {
    ($m:ident, $t:ty, $n:literal) => {
        mod $m {
            use super::V128;

            /// The width of a lane in bytes.
            const W: usize = size_of::<$t>();

            /// The lanes of `a`, lane 0 first.
            #[inline(always)]
            pub(super) fn lanes(a: V128) -> [$t; $n] {
                let (chunks, _) = a.as_chunks::<W>();
                core::array::from_fn(|i| <$t>::from_le_bytes(chunks[i]))
            }

            /// The vector whose lanes are `l`, lane 0 first.
            #[inline(always)]
            pub(super) fn from_lanes(l: [$t; $n]) -> V128 {
                let mut bytes = [0u8; 16];
                let (chunks, _) = bytes.as_chunks_mut::<W>();
                for (chunk, x) in chunks.iter_mut().zip(l) {
                    *chunk = x.to_le_bytes();
                }
                bytes
            }

            /// Lane `lane & (lanes - 1)` of `a`.
            #[inline(always)]
            pub(super) fn get(a: V128, lane: u32) -> $t {
                let (chunks, _) = a.as_chunks::<W>();
                <$t>::from_le_bytes(chunks[lane as usize & ($n - 1)])
            }

            /// `a` with lane `lane & (lanes - 1)` replaced by `x`.
            #[inline(always)]
            pub(super) fn set(mut a: V128, lane: u32, x: $t) -> V128 {
                let (chunks, _) = a.as_chunks_mut::<W>();
                chunks[lane as usize & ($n - 1)] = x.to_le_bytes();
                a
            }

            /// `x` in every lane.
            #[inline(always)]
            pub(super) fn splat(x: $t) -> V128 {
                from_lanes([x; $n])
            }

            /// `f` applied to every lane of `a`. (`from_fn`, not `[T; N]::map`, which
            /// the compiler left out of line.)
            #[inline(always)]
            pub(super) fn map(a: V128, f: impl Fn($t) -> $t) -> V128 {
                let x = lanes(a);
                from_lanes(core::array::from_fn(|i| f(x[i])))
            }

            /// `f` applied to the lanes of `a` and `b` pairwise.
            #[inline(always)]
            pub(super) fn zip(a: V128, b: V128, f: impl Fn($t, $t) -> $t) -> V128 {
                let (x, y) = (lanes(a), lanes(b));
                from_lanes(core::array::from_fn(|i| f(x[i], y[i])))
            }

            /// Lane-wise comparison: all ones where `f` holds, zeros elsewhere.
            #[inline(always)]
            pub(super) fn cmp(a: V128, b: V128, f: impl Fn($t, $t) -> bool) -> V128 {
                zip(a, b, |x, y| if f(x, y) { !0 } else { 0 })
            }
        }
    };
}

int_lanes!(i8x16, i8, 16);
int_lanes!(u8x16, u8, 16);
int_lanes!(i16x8, i16, 8);
int_lanes!(u16x8, u16, 8);
int_lanes!(i32x4, i32, 4);
int_lanes!(u32x4, u32, 4);
int_lanes!(i64x2, i64, 2);
int_lanes!(u64x2, u64, 2);

/// Defines a module `$m` with the same helpers for one float lane type, over the lanes'
/// bit patterns (`from_bits`/`to_bits` are exact copies, signalling NaNs included); `$bits`
/// is the module of the unsigned lanes of the same width.
macro_rules! float_lanes {
    ($m:ident, $f:ty, $n:literal, $bits:ident) => {
        mod $m {
            use super::{V128, $bits};

            /// The lanes of `a`, lane 0 first.
            #[inline(always)]
            pub(super) fn lanes(a: V128) -> [$f; $n] {
                let x = $bits::lanes(a);
                core::array::from_fn(|i| <$f>::from_bits(x[i]))
            }

            /// The vector whose lanes are `l`, lane 0 first.
            #[inline(always)]
            pub(super) fn from_lanes(l: [$f; $n]) -> V128 {
                $bits::from_lanes(core::array::from_fn(|i| l[i].to_bits()))
            }

            /// `f` applied to every lane of `a`.
            #[inline(always)]
            pub(super) fn map(a: V128, f: impl Fn($f) -> $f) -> V128 {
                let x = lanes(a);
                from_lanes(core::array::from_fn(|i| f(x[i])))
            }

            /// `f` applied to the lanes of `a` and `b` pairwise.
            #[inline(always)]
            pub(super) fn zip(a: V128, b: V128, f: impl Fn($f, $f) -> $f) -> V128 {
                let (x, y) = (lanes(a), lanes(b));
                from_lanes(core::array::from_fn(|i| f(x[i], y[i])))
            }

            /// Lane-wise comparison: all ones where `f` holds, zeros elsewhere.
            #[inline(always)]
            pub(super) fn cmp(a: V128, b: V128, f: impl Fn($f, $f) -> bool) -> V128 {
                let (x, y) = (lanes(a), lanes(b));
                $bits::from_lanes(core::array::from_fn(|i| if f(x[i], y[i]) { !0 } else { 0 }))
            }
        }
    };
}

float_lanes!(f32x4, f32, 4, u32x4);
float_lanes!(f64x2, f64, 2, u64x2);

/// Saturates `x` to the range of `i8`.
#[inline]
fn sat_i8(x: i16) -> i8 {
    x.clamp(i8::MIN.into(), i8::MAX.into()) as i8
}

/// Saturates `x` (a signed value, spec `narrow_u` of §4.3.2) to `0..=255`.
#[inline]
fn sat_u8(x: i16) -> u8 {
    x.clamp(0, u8::MAX.into()) as u8
}

/// Saturates `x` to the range of `i16`.
#[inline]
fn sat_i16(x: i32) -> i16 {
    x.clamp(i16::MIN.into(), i16::MAX.into()) as i16
}

/// Saturates `x` (a signed value) to `0..=65535`.
#[inline]
fn sat_u16(x: i32) -> u16 {
    x.clamp(0, u16::MAX.into()) as u16
}

/// The `bitmask` of lanes of `width` bits: bit `i` is the top bit of lane `i`.
///
/// One multiplication per 64-bit half, not a shift and an `or` per lane, which is what the
/// compiler made of a lane-by-lane loop (the hosts' "move mask" instructions are out of
/// reach of portable code). With `n = 64 / width` lanes in a half, the top bit of lane `k`
/// (bit `width·k + width − 1`) times `2^((width − 1)·j)` lands on bit
/// `width·k + (width − 1)·(j + 1)`. Those positions differ for all `k, j < n` (`width − 1`
/// and `width` are coprime, and `n ≤ width`), so the product has no carries, and
/// `j = n − 1 − k` puts lane `k`'s bit on bit `64 − n + k`: the top `n` bits of the product
/// are the half's mask.
#[inline(always)]
fn top_bits_mask(a: V128, width: u32) -> u32 {
    let n = 64 / width;
    let tops = (0..n).fold(0u64, |m, k| m | 1 << (width * k + width - 1));
    let spread = (0..n).fold(0u64, |m, j| m | 1 << ((width - 1) * j));
    let half = |x: u64| ((x & tops).wrapping_mul(spread) >> (64 - n)) as u32;
    let [lo, hi] = u64x2::lanes(a);
    half(lo) | half(hi) << n
}

// ---------------------------------------------------------------------------------------------
// Loads: the vector built from the bytes read (§4.4.7 "Memory Instructions").
// ---------------------------------------------------------------------------------------------

/// `v128.load8x8_s`: 8 bytes, each sign-extended to an `i16` lane.
#[inline]
pub(crate) fn v128_load8x8_s(loaded: u64) -> V128 {
    let x = loaded.to_le_bytes();
    i16x8::from_lanes(core::array::from_fn(|i| i16::from(x[i] as i8)))
}

/// `v128.load8x8_u`: 8 bytes, each zero-extended to an `i16` lane.
#[inline]
pub(crate) fn v128_load8x8_u(loaded: u64) -> V128 {
    let x = loaded.to_le_bytes();
    u16x8::from_lanes(core::array::from_fn(|i| u16::from(x[i])))
}

/// `v128.load16x4_s`: 4 `i16`s, each sign-extended to an `i32` lane.
#[inline]
pub(crate) fn v128_load16x4_s(loaded: u64) -> V128 {
    i32x4::from_lanes(core::array::from_fn(|i| {
        i32::from((loaded >> (16 * i)) as i16)
    }))
}

/// `v128.load16x4_u`: 4 `i16`s, each zero-extended to an `i32` lane.
#[inline]
pub(crate) fn v128_load16x4_u(loaded: u64) -> V128 {
    u32x4::from_lanes(core::array::from_fn(|i| {
        u32::from((loaded >> (16 * i)) as u16)
    }))
}

/// `v128.load32x2_s`: 2 `i32`s, each sign-extended to an `i64` lane.
#[inline]
pub(crate) fn v128_load32x2_s(loaded: u64) -> V128 {
    i64x2::from_lanes(core::array::from_fn(|i| {
        i64::from((loaded >> (32 * i)) as i32)
    }))
}

/// `v128.load32x2_u`: 2 `i32`s, each zero-extended to an `i64` lane.
#[inline]
pub(crate) fn v128_load32x2_u(loaded: u64) -> V128 {
    u64x2::from_lanes(core::array::from_fn(|i| {
        u64::from((loaded >> (32 * i)) as u32)
    }))
}

/// `v128.load8_splat`: the byte read, in all 16 lanes.
#[inline]
pub(crate) fn v128_load8_splat(loaded: u64) -> V128 {
    i8x16_splat(loaded)
}

/// `v128.load16_splat`: the `i16` read, in all 8 lanes.
#[inline]
pub(crate) fn v128_load16_splat(loaded: u64) -> V128 {
    i16x8_splat(loaded)
}

/// `v128.load32_splat`: the `i32` read, in all 4 lanes.
#[inline]
pub(crate) fn v128_load32_splat(loaded: u64) -> V128 {
    i32x4_splat(loaded)
}

/// `v128.load64_splat`: the `i64` read, in both lanes.
#[inline]
pub(crate) fn v128_load64_splat(loaded: u64) -> V128 {
    i64x2_splat(loaded)
}

/// `v128.load32_zero`: the `i32` read in lane 0 of an `i32x4`, the other lanes zero.
#[inline]
pub(crate) fn v128_load32_zero(loaded: u64) -> V128 {
    u32x4::from_lanes([loaded as u32, 0, 0, 0])
}

/// `v128.load64_zero`: the `i64` read in lane 0 of an `i64x2`, lane 1 zero.
#[inline]
pub(crate) fn v128_load64_zero(loaded: u64) -> V128 {
    u64x2::from_lanes([loaded, 0])
}

// ---------------------------------------------------------------------------------------------
// Lanes: extract, replace, shuffle, swizzle, splat.
// ---------------------------------------------------------------------------------------------

/// `i8x16.extract_lane_s`: the lane sign-extended to `i32`, as a cell.
#[inline]
pub(crate) fn i8x16_extract_lane_s(a: V128, lane: u32) -> u64 {
    u64::from(i32::from(i8x16::get(a, lane)) as u32)
}

/// `i8x16.extract_lane_u`: the lane zero-extended, as a cell.
#[inline]
pub(crate) fn i8x16_extract_lane_u(a: V128, lane: u32) -> u64 {
    u64::from(u8x16::get(a, lane))
}

/// `i8x16.replace_lane`: `a` with the lane replaced by the low 8 bits of `x`.
#[inline]
pub(crate) fn i8x16_replace_lane(a: V128, x: u64, lane: u32) -> V128 {
    u8x16::set(a, lane, x as u8)
}

/// `i16x8.extract_lane_s`: the lane sign-extended to `i32`, as a cell.
#[inline]
pub(crate) fn i16x8_extract_lane_s(a: V128, lane: u32) -> u64 {
    u64::from(i32::from(i16x8::get(a, lane)) as u32)
}

/// `i16x8.extract_lane_u`: the lane zero-extended, as a cell.
#[inline]
pub(crate) fn i16x8_extract_lane_u(a: V128, lane: u32) -> u64 {
    u64::from(u16x8::get(a, lane))
}

/// `i16x8.replace_lane`: `a` with the lane replaced by the low 16 bits of `x`.
#[inline]
pub(crate) fn i16x8_replace_lane(a: V128, x: u64, lane: u32) -> V128 {
    u16x8::set(a, lane, x as u16)
}

/// `i32x4.extract_lane`.
#[inline]
pub(crate) fn i32x4_extract_lane(a: V128, lane: u32) -> u64 {
    u64::from(u32x4::get(a, lane))
}

/// `i32x4.replace_lane`: `a` with the lane replaced by the low 32 bits of `x`.
#[inline]
pub(crate) fn i32x4_replace_lane(a: V128, x: u64, lane: u32) -> V128 {
    u32x4::set(a, lane, x as u32)
}

/// `i64x2.extract_lane`.
#[inline]
pub(crate) fn i64x2_extract_lane(a: V128, lane: u32) -> u64 {
    u64x2::get(a, lane)
}

/// `i64x2.replace_lane`.
#[inline]
pub(crate) fn i64x2_replace_lane(a: V128, x: u64, lane: u32) -> V128 {
    u64x2::set(a, lane, x)
}

/// `f32x4.extract_lane`: the lane's bits (no NaN is touched).
#[inline]
pub(crate) fn f32x4_extract_lane(a: V128, lane: u32) -> u64 {
    i32x4_extract_lane(a, lane)
}

/// `f32x4.replace_lane`: `a` with the lane replaced by the `f32` bits in the cell.
#[inline]
pub(crate) fn f32x4_replace_lane(a: V128, x: u64, lane: u32) -> V128 {
    i32x4_replace_lane(a, x, lane)
}

/// `f64x2.extract_lane`: the lane's bits (no NaN is touched).
#[inline]
pub(crate) fn f64x2_extract_lane(a: V128, lane: u32) -> u64 {
    i64x2_extract_lane(a, lane)
}

/// `f64x2.replace_lane`: `a` with the lane replaced by the `f64` bits in the cell.
#[inline]
pub(crate) fn f64x2_replace_lane(a: V128, x: u64, lane: u32) -> V128 {
    i64x2_replace_lane(a, x, lane)
}

/// `i8x16.shuffle`: byte `i` of the result is byte `lanes[i]` of the 32 bytes `a ‖ b`
/// (`a`'s bytes are 0..16). Each index is masked with `& 31`.
#[inline]
pub(crate) fn i8x16_shuffle(a: V128, b: V128, lanes: V128) -> V128 {
    let mut ab = [0u8; 32];
    ab[..16].copy_from_slice(&a);
    ab[16..].copy_from_slice(&b);
    core::array::from_fn(|i| ab[usize::from(lanes[i] & 31)])
}

/// `i8x16.swizzle`: byte `i` of the result is byte `b[i]` of `a`, or `0` if `b[i] >= 16`.
#[inline]
pub(crate) fn i8x16_swizzle(a: V128, b: V128) -> V128 {
    let x = u8x16::lanes(a);
    u8x16::map(b, |j| x.get(usize::from(j)).copied().unwrap_or(0))
}

/// `i8x16.splat`: the low 8 bits of `x` in every lane.
#[inline]
pub(crate) fn i8x16_splat(x: u64) -> V128 {
    u8x16::splat(x as u8)
}

/// `i16x8.splat`: the low 16 bits of `x` in every lane.
#[inline]
pub(crate) fn i16x8_splat(x: u64) -> V128 {
    u16x8::splat(x as u16)
}

/// `i32x4.splat`: the low 32 bits of `x` in every lane.
#[inline]
pub(crate) fn i32x4_splat(x: u64) -> V128 {
    u32x4::splat(x as u32)
}

/// `i64x2.splat`.
#[inline]
pub(crate) fn i64x2_splat(x: u64) -> V128 {
    u64x2::splat(x)
}

/// `f32x4.splat`: the `f32` bits in the cell, in every lane.
#[inline]
pub(crate) fn f32x4_splat(x: u64) -> V128 {
    i32x4_splat(x)
}

/// `f64x2.splat`: the `f64` bits in the cell, in both lanes.
#[inline]
pub(crate) fn f64x2_splat(x: u64) -> V128 {
    i64x2_splat(x)
}

// ---------------------------------------------------------------------------------------------
// Comparisons: each lane all ones (true) or all zeros (false).
// ---------------------------------------------------------------------------------------------

/// `i8x16.eq`.
#[inline]
pub(crate) fn i8x16_eq(a: V128, b: V128) -> V128 {
    u8x16::cmp(a, b, |x, y| x == y)
}

/// `i8x16.ne`.
#[inline]
pub(crate) fn i8x16_ne(a: V128, b: V128) -> V128 {
    u8x16::cmp(a, b, |x, y| x != y)
}

/// `i8x16.lt_s`.
#[inline]
pub(crate) fn i8x16_lt_s(a: V128, b: V128) -> V128 {
    i8x16::cmp(a, b, |x, y| x < y)
}

/// `i8x16.lt_u`.
#[inline]
pub(crate) fn i8x16_lt_u(a: V128, b: V128) -> V128 {
    u8x16::cmp(a, b, |x, y| x < y)
}

/// `i8x16.gt_s`.
#[inline]
pub(crate) fn i8x16_gt_s(a: V128, b: V128) -> V128 {
    i8x16::cmp(a, b, |x, y| x > y)
}

/// `i8x16.gt_u`.
#[inline]
pub(crate) fn i8x16_gt_u(a: V128, b: V128) -> V128 {
    u8x16::cmp(a, b, |x, y| x > y)
}

/// `i8x16.le_s`.
#[inline]
pub(crate) fn i8x16_le_s(a: V128, b: V128) -> V128 {
    i8x16::cmp(a, b, |x, y| x <= y)
}

/// `i8x16.le_u`.
#[inline]
pub(crate) fn i8x16_le_u(a: V128, b: V128) -> V128 {
    u8x16::cmp(a, b, |x, y| x <= y)
}

/// `i8x16.ge_s`.
#[inline]
pub(crate) fn i8x16_ge_s(a: V128, b: V128) -> V128 {
    i8x16::cmp(a, b, |x, y| x >= y)
}

/// `i8x16.ge_u`.
#[inline]
pub(crate) fn i8x16_ge_u(a: V128, b: V128) -> V128 {
    u8x16::cmp(a, b, |x, y| x >= y)
}

/// `i16x8.eq`.
#[inline]
pub(crate) fn i16x8_eq(a: V128, b: V128) -> V128 {
    u16x8::cmp(a, b, |x, y| x == y)
}

/// `i16x8.ne`.
#[inline]
pub(crate) fn i16x8_ne(a: V128, b: V128) -> V128 {
    u16x8::cmp(a, b, |x, y| x != y)
}

/// `i16x8.lt_s`.
#[inline]
pub(crate) fn i16x8_lt_s(a: V128, b: V128) -> V128 {
    i16x8::cmp(a, b, |x, y| x < y)
}

/// `i16x8.lt_u`.
#[inline]
pub(crate) fn i16x8_lt_u(a: V128, b: V128) -> V128 {
    u16x8::cmp(a, b, |x, y| x < y)
}

/// `i16x8.gt_s`.
#[inline]
pub(crate) fn i16x8_gt_s(a: V128, b: V128) -> V128 {
    i16x8::cmp(a, b, |x, y| x > y)
}

/// `i16x8.gt_u`.
#[inline]
pub(crate) fn i16x8_gt_u(a: V128, b: V128) -> V128 {
    u16x8::cmp(a, b, |x, y| x > y)
}

/// `i16x8.le_s`.
#[inline]
pub(crate) fn i16x8_le_s(a: V128, b: V128) -> V128 {
    i16x8::cmp(a, b, |x, y| x <= y)
}

/// `i16x8.le_u`.
#[inline]
pub(crate) fn i16x8_le_u(a: V128, b: V128) -> V128 {
    u16x8::cmp(a, b, |x, y| x <= y)
}

/// `i16x8.ge_s`.
#[inline]
pub(crate) fn i16x8_ge_s(a: V128, b: V128) -> V128 {
    i16x8::cmp(a, b, |x, y| x >= y)
}

/// `i16x8.ge_u`.
#[inline]
pub(crate) fn i16x8_ge_u(a: V128, b: V128) -> V128 {
    u16x8::cmp(a, b, |x, y| x >= y)
}

/// `i32x4.eq`.
#[inline]
pub(crate) fn i32x4_eq(a: V128, b: V128) -> V128 {
    u32x4::cmp(a, b, |x, y| x == y)
}

/// `i32x4.ne`.
#[inline]
pub(crate) fn i32x4_ne(a: V128, b: V128) -> V128 {
    u32x4::cmp(a, b, |x, y| x != y)
}

/// `i32x4.lt_s`.
#[inline]
pub(crate) fn i32x4_lt_s(a: V128, b: V128) -> V128 {
    i32x4::cmp(a, b, |x, y| x < y)
}

/// `i32x4.lt_u`.
#[inline]
pub(crate) fn i32x4_lt_u(a: V128, b: V128) -> V128 {
    u32x4::cmp(a, b, |x, y| x < y)
}

/// `i32x4.gt_s`.
#[inline]
pub(crate) fn i32x4_gt_s(a: V128, b: V128) -> V128 {
    i32x4::cmp(a, b, |x, y| x > y)
}

/// `i32x4.gt_u`.
#[inline]
pub(crate) fn i32x4_gt_u(a: V128, b: V128) -> V128 {
    u32x4::cmp(a, b, |x, y| x > y)
}

/// `i32x4.le_s`.
#[inline]
pub(crate) fn i32x4_le_s(a: V128, b: V128) -> V128 {
    i32x4::cmp(a, b, |x, y| x <= y)
}

/// `i32x4.le_u`.
#[inline]
pub(crate) fn i32x4_le_u(a: V128, b: V128) -> V128 {
    u32x4::cmp(a, b, |x, y| x <= y)
}

/// `i32x4.ge_s`.
#[inline]
pub(crate) fn i32x4_ge_s(a: V128, b: V128) -> V128 {
    i32x4::cmp(a, b, |x, y| x >= y)
}

/// `i32x4.ge_u`.
#[inline]
pub(crate) fn i32x4_ge_u(a: V128, b: V128) -> V128 {
    u32x4::cmp(a, b, |x, y| x >= y)
}

/// `i64x2.eq`.
#[inline]
pub(crate) fn i64x2_eq(a: V128, b: V128) -> V128 {
    u64x2::cmp(a, b, |x, y| x == y)
}

/// `i64x2.ne`.
#[inline]
pub(crate) fn i64x2_ne(a: V128, b: V128) -> V128 {
    u64x2::cmp(a, b, |x, y| x != y)
}

/// `i64x2.lt_s` (there are no unsigned `i64x2` comparisons).
#[inline]
pub(crate) fn i64x2_lt_s(a: V128, b: V128) -> V128 {
    i64x2::cmp(a, b, |x, y| x < y)
}

/// `i64x2.gt_s`.
#[inline]
pub(crate) fn i64x2_gt_s(a: V128, b: V128) -> V128 {
    i64x2::cmp(a, b, |x, y| x > y)
}

/// `i64x2.le_s`.
#[inline]
pub(crate) fn i64x2_le_s(a: V128, b: V128) -> V128 {
    i64x2::cmp(a, b, |x, y| x <= y)
}

/// `i64x2.ge_s`.
#[inline]
pub(crate) fn i64x2_ge_s(a: V128, b: V128) -> V128 {
    i64x2::cmp(a, b, |x, y| x >= y)
}

/// `f32x4.eq`: IEEE (NaN ≠ everything, `-0 == +0`).
#[inline]
pub(crate) fn f32x4_eq(a: V128, b: V128) -> V128 {
    f32x4::cmp(a, b, |x, y| x == y)
}

/// `f32x4.ne`: true where either lane is NaN.
#[inline]
pub(crate) fn f32x4_ne(a: V128, b: V128) -> V128 {
    f32x4::cmp(a, b, |x, y| x != y)
}

/// `f32x4.lt`.
#[inline]
pub(crate) fn f32x4_lt(a: V128, b: V128) -> V128 {
    f32x4::cmp(a, b, |x, y| x < y)
}

/// `f32x4.gt`.
#[inline]
pub(crate) fn f32x4_gt(a: V128, b: V128) -> V128 {
    f32x4::cmp(a, b, |x, y| x > y)
}

/// `f32x4.le`.
#[inline]
pub(crate) fn f32x4_le(a: V128, b: V128) -> V128 {
    f32x4::cmp(a, b, |x, y| x <= y)
}

/// `f32x4.ge`.
#[inline]
pub(crate) fn f32x4_ge(a: V128, b: V128) -> V128 {
    f32x4::cmp(a, b, |x, y| x >= y)
}

/// `f64x2.eq`: IEEE (NaN ≠ everything, `-0 == +0`).
#[inline]
pub(crate) fn f64x2_eq(a: V128, b: V128) -> V128 {
    f64x2::cmp(a, b, |x, y| x == y)
}

/// `f64x2.ne`: true where either lane is NaN.
#[inline]
pub(crate) fn f64x2_ne(a: V128, b: V128) -> V128 {
    f64x2::cmp(a, b, |x, y| x != y)
}

/// `f64x2.lt`.
#[inline]
pub(crate) fn f64x2_lt(a: V128, b: V128) -> V128 {
    f64x2::cmp(a, b, |x, y| x < y)
}

/// `f64x2.gt`.
#[inline]
pub(crate) fn f64x2_gt(a: V128, b: V128) -> V128 {
    f64x2::cmp(a, b, |x, y| x > y)
}

/// `f64x2.le`.
#[inline]
pub(crate) fn f64x2_le(a: V128, b: V128) -> V128 {
    f64x2::cmp(a, b, |x, y| x <= y)
}

/// `f64x2.ge`.
#[inline]
pub(crate) fn f64x2_ge(a: V128, b: V128) -> V128 {
    f64x2::cmp(a, b, |x, y| x >= y)
}

// ---------------------------------------------------------------------------------------------
// Bitwise operators on the whole vector, byte by byte.
// ---------------------------------------------------------------------------------------------

/// `v128.not`.
#[inline]
pub(crate) fn v128_not(a: V128) -> V128 {
    u8x16::map(a, |x| !x)
}

/// `v128.and`.
#[inline]
pub(crate) fn v128_and(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, |x, y| x & y)
}

/// `v128.andnot`: `a & !b`.
#[inline]
pub(crate) fn v128_andnot(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, |x, y| x & !y)
}

/// `v128.or`.
#[inline]
pub(crate) fn v128_or(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, |x, y| x | y)
}

/// `v128.xor`.
#[inline]
pub(crate) fn v128_xor(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, |x, y| x ^ y)
}

/// `v128.bitselect`: each bit from `a` where `mask` has a 1, from `b` where it has a 0.
#[inline]
pub(crate) fn v128_bitselect(a: V128, b: V128, mask: V128) -> V128 {
    // By 64-bit halves, not bytes: the relaxed `laneselect`s share this function, and the
    // compiler called the 16-byte `from_fn` out of line for the five of them.
    let (x, y, m) = (u64x2::lanes(a), u64x2::lanes(b), u64x2::lanes(mask));
    u64x2::from_lanes(core::array::from_fn(|i| (x[i] & m[i]) | (y[i] & !m[i])))
}

/// `v128.any_true`: `1` if any bit is set.
#[inline]
pub(crate) fn v128_any_true(a: V128) -> u32 {
    let [lo, hi] = u64x2::lanes(a);
    u32::from(lo | hi != 0)
}

// ---------------------------------------------------------------------------------------------
// i8x16.
// ---------------------------------------------------------------------------------------------

/// `i8x16.abs`: wrapping, so `abs(-128) = -128`.
#[inline]
pub(crate) fn i8x16_abs(a: V128) -> V128 {
    i8x16::map(a, i8::wrapping_abs)
}

/// `i8x16.neg`: wrapping, so `neg(-128) = -128`.
#[inline]
pub(crate) fn i8x16_neg(a: V128) -> V128 {
    i8x16::map(a, i8::wrapping_neg)
}

/// `i8x16.popcnt`: the number of set bits of each lane.
#[inline]
pub(crate) fn i8x16_popcnt(a: V128) -> V128 {
    u8x16::map(a, |x| x.count_ones() as u8)
}

/// `i8x16.all_true`: `1` if no lane is zero.
#[inline]
pub(crate) fn i8x16_all_true(a: V128) -> u32 {
    u32::from(u8x16::lanes(a).iter().all(|&x| x != 0))
}

/// `i8x16.bitmask`: bit `i` is the top bit of lane `i`.
#[inline]
pub(crate) fn i8x16_bitmask(a: V128) -> u32 {
    top_bits_mask(a, 8)
}

/// `i8x16.narrow_i16x8_s`: the `i16` lanes of `a` then `b`, each saturated to `i8`.
#[inline]
pub(crate) fn i8x16_narrow_i16x8_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i16x8::lanes(a), i16x8::lanes(b));
    i8x16::from_lanes(core::array::from_fn(|i| {
        sat_i8(if i < 8 { x[i] } else { y[i - 8] })
    }))
}

/// `i8x16.narrow_i16x8_u`: the *signed* `i16` lanes of `a` then `b`, each saturated to
/// `0..=255`.
#[inline]
pub(crate) fn i8x16_narrow_i16x8_u(a: V128, b: V128) -> V128 {
    let (x, y) = (i16x8::lanes(a), i16x8::lanes(b));
    u8x16::from_lanes(core::array::from_fn(|i| {
        sat_u8(if i < 8 { x[i] } else { y[i - 8] })
    }))
}

/// `i8x16.shl`: shift left by `count mod 8`.
#[inline]
pub(crate) fn i8x16_shl(a: V128, count: u32) -> V128 {
    let k = count & 7;
    u8x16::map(a, |x| x << k)
}

/// `i8x16.shr_s`: arithmetic shift right by `count mod 8`.
#[inline]
pub(crate) fn i8x16_shr_s(a: V128, count: u32) -> V128 {
    let k = count & 7;
    i8x16::map(a, |x| x >> k)
}

/// `i8x16.shr_u`: logical shift right by `count mod 8`.
#[inline]
pub(crate) fn i8x16_shr_u(a: V128, count: u32) -> V128 {
    let k = count & 7;
    u8x16::map(a, |x| x >> k)
}

/// `i8x16.add`: wrapping.
#[inline]
pub(crate) fn i8x16_add(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, u8::wrapping_add)
}

/// `i8x16.add_sat_s`: saturating to `-128..=127`.
#[inline]
pub(crate) fn i8x16_add_sat_s(a: V128, b: V128) -> V128 {
    i8x16::zip(a, b, i8::saturating_add)
}

/// `i8x16.add_sat_u`: saturating to `0..=255`.
#[inline]
pub(crate) fn i8x16_add_sat_u(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, u8::saturating_add)
}

/// `i8x16.sub`: wrapping.
#[inline]
pub(crate) fn i8x16_sub(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, u8::wrapping_sub)
}

/// `i8x16.sub_sat_s`: saturating to `-128..=127`.
#[inline]
pub(crate) fn i8x16_sub_sat_s(a: V128, b: V128) -> V128 {
    i8x16::zip(a, b, i8::saturating_sub)
}

/// `i8x16.sub_sat_u`: saturating to `0..=255` (so `1 - 2 = 0`).
#[inline]
pub(crate) fn i8x16_sub_sat_u(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, u8::saturating_sub)
}

/// `i8x16.min_s`.
#[inline]
pub(crate) fn i8x16_min_s(a: V128, b: V128) -> V128 {
    i8x16::zip(a, b, Ord::min)
}

/// `i8x16.min_u`.
#[inline]
pub(crate) fn i8x16_min_u(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, Ord::min)
}

/// `i8x16.max_s`.
#[inline]
pub(crate) fn i8x16_max_s(a: V128, b: V128) -> V128 {
    i8x16::zip(a, b, Ord::max)
}

/// `i8x16.max_u`.
#[inline]
pub(crate) fn i8x16_max_u(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, Ord::max)
}

/// `i8x16.avgr_u`: `(a + b + 1) / 2` without overflow (rounds halves up).
#[inline]
pub(crate) fn i8x16_avgr_u(a: V128, b: V128) -> V128 {
    u8x16::zip(a, b, |x, y| ((u16::from(x) + u16::from(y) + 1) >> 1) as u8)
}

// ---------------------------------------------------------------------------------------------
// i16x8.
// ---------------------------------------------------------------------------------------------

/// `i16x8.extadd_pairwise_i8x16_s`: lane `i` is `a[2i] + a[2i+1]`, sign-extended.
#[inline]
pub(crate) fn i16x8_extadd_pairwise_i8x16_s(a: V128) -> V128 {
    let x = i8x16::lanes(a);
    i16x8::from_lanes(core::array::from_fn(|i| {
        i16::from(x[2 * i]) + i16::from(x[2 * i + 1])
    }))
}

/// `i16x8.extadd_pairwise_i8x16_u`: lane `i` is `a[2i] + a[2i+1]`, zero-extended.
#[inline]
pub(crate) fn i16x8_extadd_pairwise_i8x16_u(a: V128) -> V128 {
    let x = u8x16::lanes(a);
    u16x8::from_lanes(core::array::from_fn(|i| {
        u16::from(x[2 * i]) + u16::from(x[2 * i + 1])
    }))
}

/// `i16x8.abs`: wrapping, so `abs(-32768) = -32768`.
#[inline]
pub(crate) fn i16x8_abs(a: V128) -> V128 {
    i16x8::map(a, i16::wrapping_abs)
}

/// `i16x8.neg`: wrapping.
#[inline]
pub(crate) fn i16x8_neg(a: V128) -> V128 {
    i16x8::map(a, i16::wrapping_neg)
}

/// `i16x8.q15mulr_sat_s`: Q15 multiply, rounding to nearest (ties up):
/// `sat_s((a * b + 2^14) >> 15)`. Only `-32768 * -32768` saturates (to `32767`).
#[inline]
pub(crate) fn i16x8_q15mulr_sat_s(a: V128, b: V128) -> V128 {
    i16x8::zip(a, b, |x, y| {
        sat_i16((i32::from(x) * i32::from(y) + (1 << 14)) >> 15)
    })
}

/// `i16x8.all_true`: `1` if no lane is zero.
#[inline]
pub(crate) fn i16x8_all_true(a: V128) -> u32 {
    u32::from(u16x8::lanes(a).iter().all(|&x| x != 0))
}

/// `i16x8.bitmask`: bit `i` is the top bit of lane `i`.
#[inline]
pub(crate) fn i16x8_bitmask(a: V128) -> u32 {
    top_bits_mask(a, 16)
}

/// `i16x8.narrow_i32x4_s`: the `i32` lanes of `a` then `b`, each saturated to `i16`.
#[inline]
pub(crate) fn i16x8_narrow_i32x4_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i32x4::lanes(a), i32x4::lanes(b));
    i16x8::from_lanes(core::array::from_fn(|i| {
        sat_i16(if i < 4 { x[i] } else { y[i - 4] })
    }))
}

/// `i16x8.narrow_i32x4_u`: the *signed* `i32` lanes of `a` then `b`, each saturated to
/// `0..=65535`.
#[inline]
pub(crate) fn i16x8_narrow_i32x4_u(a: V128, b: V128) -> V128 {
    let (x, y) = (i32x4::lanes(a), i32x4::lanes(b));
    u16x8::from_lanes(core::array::from_fn(|i| {
        sat_u16(if i < 4 { x[i] } else { y[i - 4] })
    }))
}

/// `i16x8.extend_low_i8x16_s`: lanes 0..8, sign-extended.
#[inline]
pub(crate) fn i16x8_extend_low_i8x16_s(a: V128) -> V128 {
    let x = i8x16::lanes(a);
    i16x8::from_lanes(core::array::from_fn(|i| i16::from(x[i])))
}

/// `i16x8.extend_high_i8x16_s`: lanes 8..16, sign-extended.
#[inline]
pub(crate) fn i16x8_extend_high_i8x16_s(a: V128) -> V128 {
    let x = i8x16::lanes(a);
    i16x8::from_lanes(core::array::from_fn(|i| i16::from(x[i + 8])))
}

/// `i16x8.extend_low_i8x16_u`: lanes 0..8, zero-extended.
#[inline]
pub(crate) fn i16x8_extend_low_i8x16_u(a: V128) -> V128 {
    let x = u8x16::lanes(a);
    u16x8::from_lanes(core::array::from_fn(|i| u16::from(x[i])))
}

/// `i16x8.extend_high_i8x16_u`: lanes 8..16, zero-extended.
#[inline]
pub(crate) fn i16x8_extend_high_i8x16_u(a: V128) -> V128 {
    let x = u8x16::lanes(a);
    u16x8::from_lanes(core::array::from_fn(|i| u16::from(x[i + 8])))
}

/// `i16x8.shl`: shift left by `count mod 16`.
#[inline]
pub(crate) fn i16x8_shl(a: V128, count: u32) -> V128 {
    let k = count & 15;
    u16x8::map(a, |x| x << k)
}

/// `i16x8.shr_s`: arithmetic shift right by `count mod 16`.
#[inline]
pub(crate) fn i16x8_shr_s(a: V128, count: u32) -> V128 {
    let k = count & 15;
    i16x8::map(a, |x| x >> k)
}

/// `i16x8.shr_u`: logical shift right by `count mod 16`.
#[inline]
pub(crate) fn i16x8_shr_u(a: V128, count: u32) -> V128 {
    let k = count & 15;
    u16x8::map(a, |x| x >> k)
}

/// `i16x8.add`: wrapping.
#[inline]
pub(crate) fn i16x8_add(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, u16::wrapping_add)
}

/// `i16x8.add_sat_s`: saturating to `i16`.
#[inline]
pub(crate) fn i16x8_add_sat_s(a: V128, b: V128) -> V128 {
    i16x8::zip(a, b, i16::saturating_add)
}

/// `i16x8.add_sat_u`: saturating to `u16`.
#[inline]
pub(crate) fn i16x8_add_sat_u(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, u16::saturating_add)
}

/// `i16x8.sub`: wrapping.
#[inline]
pub(crate) fn i16x8_sub(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, u16::wrapping_sub)
}

/// `i16x8.sub_sat_s`: saturating to `i16`.
#[inline]
pub(crate) fn i16x8_sub_sat_s(a: V128, b: V128) -> V128 {
    i16x8::zip(a, b, i16::saturating_sub)
}

/// `i16x8.sub_sat_u`: saturating to `u16`.
#[inline]
pub(crate) fn i16x8_sub_sat_u(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, u16::saturating_sub)
}

/// `i16x8.mul`: wrapping.
#[inline]
pub(crate) fn i16x8_mul(a: V128, b: V128) -> V128 {
    i16x8::zip(a, b, i16::wrapping_mul)
}

/// `i16x8.min_s`.
#[inline]
pub(crate) fn i16x8_min_s(a: V128, b: V128) -> V128 {
    i16x8::zip(a, b, Ord::min)
}

/// `i16x8.min_u`.
#[inline]
pub(crate) fn i16x8_min_u(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, Ord::min)
}

/// `i16x8.max_s`.
#[inline]
pub(crate) fn i16x8_max_s(a: V128, b: V128) -> V128 {
    i16x8::zip(a, b, Ord::max)
}

/// `i16x8.max_u`.
#[inline]
pub(crate) fn i16x8_max_u(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, Ord::max)
}

/// `i16x8.avgr_u`: `(a + b + 1) / 2` without overflow (rounds halves up).
#[inline]
pub(crate) fn i16x8_avgr_u(a: V128, b: V128) -> V128 {
    u16x8::zip(a, b, |x, y| ((u32::from(x) + u32::from(y) + 1) >> 1) as u16)
}

/// `i16x8.extmul_low_i8x16_s`: lanes 0..8 sign-extended and multiplied (never overflows).
#[inline]
pub(crate) fn i16x8_extmul_low_i8x16_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i8x16::lanes(a), i8x16::lanes(b));
    i16x8::from_lanes(core::array::from_fn(|i| i16::from(x[i]) * i16::from(y[i])))
}

/// `i16x8.extmul_high_i8x16_s`: lanes 8..16 sign-extended and multiplied.
#[inline]
pub(crate) fn i16x8_extmul_high_i8x16_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i8x16::lanes(a), i8x16::lanes(b));
    i16x8::from_lanes(core::array::from_fn(|i| {
        i16::from(x[i + 8]) * i16::from(y[i + 8])
    }))
}

/// `i16x8.extmul_low_i8x16_u`: lanes 0..8 zero-extended and multiplied (never overflows).
#[inline]
pub(crate) fn i16x8_extmul_low_i8x16_u(a: V128, b: V128) -> V128 {
    let (x, y) = (u8x16::lanes(a), u8x16::lanes(b));
    u16x8::from_lanes(core::array::from_fn(|i| u16::from(x[i]) * u16::from(y[i])))
}

/// `i16x8.extmul_high_i8x16_u`: lanes 8..16 zero-extended and multiplied.
#[inline]
pub(crate) fn i16x8_extmul_high_i8x16_u(a: V128, b: V128) -> V128 {
    let (x, y) = (u8x16::lanes(a), u8x16::lanes(b));
    u16x8::from_lanes(core::array::from_fn(|i| {
        u16::from(x[i + 8]) * u16::from(y[i + 8])
    }))
}

// ---------------------------------------------------------------------------------------------
// i32x4.
// ---------------------------------------------------------------------------------------------

/// `i32x4.extadd_pairwise_i16x8_s`: lane `i` is `a[2i] + a[2i+1]`, sign-extended.
#[inline]
pub(crate) fn i32x4_extadd_pairwise_i16x8_s(a: V128) -> V128 {
    let x = i16x8::lanes(a);
    i32x4::from_lanes(core::array::from_fn(|i| {
        i32::from(x[2 * i]) + i32::from(x[2 * i + 1])
    }))
}

/// `i32x4.extadd_pairwise_i16x8_u`: lane `i` is `a[2i] + a[2i+1]`, zero-extended.
#[inline]
pub(crate) fn i32x4_extadd_pairwise_i16x8_u(a: V128) -> V128 {
    let x = u16x8::lanes(a);
    u32x4::from_lanes(core::array::from_fn(|i| {
        u32::from(x[2 * i]) + u32::from(x[2 * i + 1])
    }))
}

/// `i32x4.abs`: wrapping, so `abs(i32::MIN) = i32::MIN`.
#[inline]
pub(crate) fn i32x4_abs(a: V128) -> V128 {
    i32x4::map(a, i32::wrapping_abs)
}

/// `i32x4.neg`: wrapping.
#[inline]
pub(crate) fn i32x4_neg(a: V128) -> V128 {
    i32x4::map(a, i32::wrapping_neg)
}

/// `i32x4.all_true`: `1` if no lane is zero.
#[inline]
pub(crate) fn i32x4_all_true(a: V128) -> u32 {
    u32::from(u32x4::lanes(a).iter().all(|&x| x != 0))
}

/// `i32x4.bitmask`: bit `i` is the top bit of lane `i`.
#[inline]
pub(crate) fn i32x4_bitmask(a: V128) -> u32 {
    top_bits_mask(a, 32)
}

/// `i32x4.extend_low_i16x8_s`: lanes 0..4, sign-extended.
#[inline]
pub(crate) fn i32x4_extend_low_i16x8_s(a: V128) -> V128 {
    let x = i16x8::lanes(a);
    i32x4::from_lanes(core::array::from_fn(|i| i32::from(x[i])))
}

/// `i32x4.extend_high_i16x8_s`: lanes 4..8, sign-extended.
#[inline]
pub(crate) fn i32x4_extend_high_i16x8_s(a: V128) -> V128 {
    let x = i16x8::lanes(a);
    i32x4::from_lanes(core::array::from_fn(|i| i32::from(x[i + 4])))
}

/// `i32x4.extend_low_i16x8_u`: lanes 0..4, zero-extended.
#[inline]
pub(crate) fn i32x4_extend_low_i16x8_u(a: V128) -> V128 {
    let x = u16x8::lanes(a);
    u32x4::from_lanes(core::array::from_fn(|i| u32::from(x[i])))
}

/// `i32x4.extend_high_i16x8_u`: lanes 4..8, zero-extended.
#[inline]
pub(crate) fn i32x4_extend_high_i16x8_u(a: V128) -> V128 {
    let x = u16x8::lanes(a);
    u32x4::from_lanes(core::array::from_fn(|i| u32::from(x[i + 4])))
}

/// `i32x4.shl`: shift left by `count mod 32`.
#[inline]
pub(crate) fn i32x4_shl(a: V128, count: u32) -> V128 {
    let k = count & 31;
    u32x4::map(a, |x| x << k)
}

/// `i32x4.shr_s`: arithmetic shift right by `count mod 32`.
#[inline]
pub(crate) fn i32x4_shr_s(a: V128, count: u32) -> V128 {
    let k = count & 31;
    i32x4::map(a, |x| x >> k)
}

/// `i32x4.shr_u`: logical shift right by `count mod 32`.
#[inline]
pub(crate) fn i32x4_shr_u(a: V128, count: u32) -> V128 {
    let k = count & 31;
    u32x4::map(a, |x| x >> k)
}

/// `i32x4.add`: wrapping.
#[inline]
pub(crate) fn i32x4_add(a: V128, b: V128) -> V128 {
    u32x4::zip(a, b, u32::wrapping_add)
}

/// `i32x4.sub`: wrapping.
#[inline]
pub(crate) fn i32x4_sub(a: V128, b: V128) -> V128 {
    u32x4::zip(a, b, u32::wrapping_sub)
}

/// `i32x4.mul`: wrapping.
#[inline]
pub(crate) fn i32x4_mul(a: V128, b: V128) -> V128 {
    i32x4::zip(a, b, i32::wrapping_mul)
}

/// `i32x4.min_s`.
#[inline]
pub(crate) fn i32x4_min_s(a: V128, b: V128) -> V128 {
    i32x4::zip(a, b, Ord::min)
}

/// `i32x4.min_u`.
#[inline]
pub(crate) fn i32x4_min_u(a: V128, b: V128) -> V128 {
    u32x4::zip(a, b, Ord::min)
}

/// `i32x4.max_s`.
#[inline]
pub(crate) fn i32x4_max_s(a: V128, b: V128) -> V128 {
    i32x4::zip(a, b, Ord::max)
}

/// `i32x4.max_u`.
#[inline]
pub(crate) fn i32x4_max_u(a: V128, b: V128) -> V128 {
    u32x4::zip(a, b, Ord::max)
}

/// `i32x4.dot_i16x8_s`: lane `i` is `a[2i]*b[2i] + a[2i+1]*b[2i+1]`, products signed and
/// exact, the sum wrapping (only `(-32768)^2 + (-32768)^2 = 2^31` overflows, to `i32::MIN`).
#[inline]
pub(crate) fn i32x4_dot_i16x8_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i16x8::lanes(a), i16x8::lanes(b));
    let p: [i32; 8] = core::array::from_fn(|i| i32::from(x[i]) * i32::from(y[i]));
    i32x4::from_lanes(core::array::from_fn(|i| {
        p[2 * i].wrapping_add(p[2 * i + 1])
    }))
}

/// `i32x4.extmul_low_i16x8_s`: lanes 0..4 sign-extended and multiplied (never overflows).
#[inline]
pub(crate) fn i32x4_extmul_low_i16x8_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i16x8::lanes(a), i16x8::lanes(b));
    i32x4::from_lanes(core::array::from_fn(|i| i32::from(x[i]) * i32::from(y[i])))
}

/// `i32x4.extmul_high_i16x8_s`: lanes 4..8 sign-extended and multiplied.
#[inline]
pub(crate) fn i32x4_extmul_high_i16x8_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i16x8::lanes(a), i16x8::lanes(b));
    i32x4::from_lanes(core::array::from_fn(|i| {
        i32::from(x[i + 4]) * i32::from(y[i + 4])
    }))
}

/// `i32x4.extmul_low_i16x8_u`: lanes 0..4 zero-extended and multiplied (never overflows).
#[inline]
pub(crate) fn i32x4_extmul_low_i16x8_u(a: V128, b: V128) -> V128 {
    let (x, y) = (u16x8::lanes(a), u16x8::lanes(b));
    u32x4::from_lanes(core::array::from_fn(|i| u32::from(x[i]) * u32::from(y[i])))
}

/// `i32x4.extmul_high_i16x8_u`: lanes 4..8 zero-extended and multiplied.
#[inline]
pub(crate) fn i32x4_extmul_high_i16x8_u(a: V128, b: V128) -> V128 {
    let (x, y) = (u16x8::lanes(a), u16x8::lanes(b));
    u32x4::from_lanes(core::array::from_fn(|i| {
        u32::from(x[i + 4]) * u32::from(y[i + 4])
    }))
}

// ---------------------------------------------------------------------------------------------
// i64x2.
// ---------------------------------------------------------------------------------------------

/// `i64x2.abs`: wrapping, so `abs(i64::MIN) = i64::MIN`.
#[inline]
pub(crate) fn i64x2_abs(a: V128) -> V128 {
    i64x2::map(a, i64::wrapping_abs)
}

/// `i64x2.neg`: wrapping.
#[inline]
pub(crate) fn i64x2_neg(a: V128) -> V128 {
    i64x2::map(a, i64::wrapping_neg)
}

/// `i64x2.all_true`: `1` if neither lane is zero.
#[inline]
pub(crate) fn i64x2_all_true(a: V128) -> u32 {
    u32::from(u64x2::lanes(a).iter().all(|&x| x != 0))
}

/// `i64x2.bitmask`: bit `i` is the top bit of lane `i`.
#[inline]
pub(crate) fn i64x2_bitmask(a: V128) -> u32 {
    top_bits_mask(a, 64)
}

/// `i64x2.extend_low_i32x4_s`: lanes 0..2, sign-extended.
#[inline]
pub(crate) fn i64x2_extend_low_i32x4_s(a: V128) -> V128 {
    let x = i32x4::lanes(a);
    i64x2::from_lanes(core::array::from_fn(|i| i64::from(x[i])))
}

/// `i64x2.extend_high_i32x4_s`: lanes 2..4, sign-extended.
#[inline]
pub(crate) fn i64x2_extend_high_i32x4_s(a: V128) -> V128 {
    let x = i32x4::lanes(a);
    i64x2::from_lanes(core::array::from_fn(|i| i64::from(x[i + 2])))
}

/// `i64x2.extend_low_i32x4_u`: lanes 0..2, zero-extended.
#[inline]
pub(crate) fn i64x2_extend_low_i32x4_u(a: V128) -> V128 {
    let x = u32x4::lanes(a);
    u64x2::from_lanes(core::array::from_fn(|i| u64::from(x[i])))
}

/// `i64x2.extend_high_i32x4_u`: lanes 2..4, zero-extended.
#[inline]
pub(crate) fn i64x2_extend_high_i32x4_u(a: V128) -> V128 {
    let x = u32x4::lanes(a);
    u64x2::from_lanes(core::array::from_fn(|i| u64::from(x[i + 2])))
}

/// `i64x2.shl`: shift left by `count mod 64`.
#[inline]
pub(crate) fn i64x2_shl(a: V128, count: u32) -> V128 {
    let k = count & 63;
    u64x2::map(a, |x| x << k)
}

/// `i64x2.shr_s`: arithmetic shift right by `count mod 64`.
#[inline]
pub(crate) fn i64x2_shr_s(a: V128, count: u32) -> V128 {
    let k = count & 63;
    i64x2::map(a, |x| x >> k)
}

/// `i64x2.shr_u`: logical shift right by `count mod 64`.
#[inline]
pub(crate) fn i64x2_shr_u(a: V128, count: u32) -> V128 {
    let k = count & 63;
    u64x2::map(a, |x| x >> k)
}

/// `i64x2.add`: wrapping.
#[inline]
pub(crate) fn i64x2_add(a: V128, b: V128) -> V128 {
    u64x2::zip(a, b, u64::wrapping_add)
}

/// `i64x2.sub`: wrapping.
#[inline]
pub(crate) fn i64x2_sub(a: V128, b: V128) -> V128 {
    u64x2::zip(a, b, u64::wrapping_sub)
}

/// `i64x2.mul`: wrapping.
#[inline]
pub(crate) fn i64x2_mul(a: V128, b: V128) -> V128 {
    i64x2::zip(a, b, i64::wrapping_mul)
}

/// `i64x2.extmul_low_i32x4_s`: lanes 0..2 sign-extended and multiplied (never overflows).
#[inline]
pub(crate) fn i64x2_extmul_low_i32x4_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i32x4::lanes(a), i32x4::lanes(b));
    i64x2::from_lanes(core::array::from_fn(|i| i64::from(x[i]) * i64::from(y[i])))
}

/// `i64x2.extmul_high_i32x4_s`: lanes 2..4 sign-extended and multiplied.
#[inline]
pub(crate) fn i64x2_extmul_high_i32x4_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i32x4::lanes(a), i32x4::lanes(b));
    i64x2::from_lanes(core::array::from_fn(|i| {
        i64::from(x[i + 2]) * i64::from(y[i + 2])
    }))
}

/// `i64x2.extmul_low_i32x4_u`: lanes 0..2 zero-extended and multiplied (never overflows).
#[inline]
pub(crate) fn i64x2_extmul_low_i32x4_u(a: V128, b: V128) -> V128 {
    let (x, y) = (u32x4::lanes(a), u32x4::lanes(b));
    u64x2::from_lanes(core::array::from_fn(|i| u64::from(x[i]) * u64::from(y[i])))
}

/// `i64x2.extmul_high_i32x4_u`: lanes 2..4 zero-extended and multiplied.
#[inline]
pub(crate) fn i64x2_extmul_high_i32x4_u(a: V128, b: V128) -> V128 {
    let (x, y) = (u32x4::lanes(a), u32x4::lanes(b));
    u64x2::from_lanes(core::array::from_fn(|i| {
        u64::from(x[i + 2]) * u64::from(y[i + 2])
    }))
}

// ---------------------------------------------------------------------------------------------
// f32x4 (`num`'s operators lane by lane; see the module docs for NaNs).
// ---------------------------------------------------------------------------------------------

/// The sign bit of an `f32` lane.
const F32_SIGN: u32 = 1 << 31;
/// The sign bit of an `f64` lane.
const F64_SIGN: u64 = 1 << 63;

/// `f32x4.ceil`.
#[inline]
pub(crate) fn f32x4_ceil(a: V128) -> V128 {
    f32x4::map(a, num::f32_ceil)
}

/// `f32x4.floor`.
#[inline]
pub(crate) fn f32x4_floor(a: V128) -> V128 {
    f32x4::map(a, num::f32_floor)
}

/// `f32x4.trunc`.
#[inline]
pub(crate) fn f32x4_trunc(a: V128) -> V128 {
    f32x4::map(a, num::f32_trunc)
}

/// `f32x4.nearest`: ties to even.
#[inline]
pub(crate) fn f32x4_nearest(a: V128) -> V128 {
    f32x4::map(a, num::f32_nearest)
}

/// `f32x4.abs`: clears each sign bit (bitwise, as `num::f32_abs`; NaN payloads untouched).
#[inline]
pub(crate) fn f32x4_abs(a: V128) -> V128 {
    u32x4::map(a, |x| x & !F32_SIGN)
}

/// `f32x4.neg`: flips each sign bit (bitwise, as `num::f32_neg`).
#[inline]
pub(crate) fn f32x4_neg(a: V128) -> V128 {
    u32x4::map(a, |x| x ^ F32_SIGN)
}

/// `f32x4.sqrt`.
#[inline]
pub(crate) fn f32x4_sqrt(a: V128) -> V128 {
    f32x4::map(a, num::f32_sqrt)
}

/// `f32x4.add`.
#[inline]
pub(crate) fn f32x4_add(a: V128, b: V128) -> V128 {
    f32x4::zip(a, b, num::f32_add)
}

/// `f32x4.sub`.
#[inline]
pub(crate) fn f32x4_sub(a: V128, b: V128) -> V128 {
    f32x4::zip(a, b, num::f32_sub)
}

/// `f32x4.mul`.
#[inline]
pub(crate) fn f32x4_mul(a: V128, b: V128) -> V128 {
    f32x4::zip(a, b, num::f32_mul)
}

/// `f32x4.div`.
#[inline]
pub(crate) fn f32x4_div(a: V128, b: V128) -> V128 {
    f32x4::zip(a, b, num::f32_div)
}

/// `f32x4.min`: NaN propagates (quieted), `min(-0, +0) = -0`.
#[inline]
pub(crate) fn f32x4_min(a: V128, b: V128) -> V128 {
    f32x4::zip(a, b, num::f32_min)
}

/// `f32x4.max`: NaN propagates (quieted), `max(-0, +0) = +0`.
#[inline]
pub(crate) fn f32x4_max(a: V128, b: V128) -> V128 {
    f32x4::zip(a, b, num::f32_max)
}

/// `f32x4.pmin`: `b < a ? b : a` (so `a` when either is NaN, and for `-0`/`+0`), the
/// chosen lane's bits unchanged.
#[inline]
pub(crate) fn f32x4_pmin(a: V128, b: V128) -> V128 {
    let (x, y) = (u32x4::lanes(a), u32x4::lanes(b));
    u32x4::from_lanes(core::array::from_fn(|i| {
        if f32::from_bits(y[i]) < f32::from_bits(x[i]) {
            y[i]
        } else {
            x[i]
        }
    }))
}

/// `f32x4.pmax`: `a < b ? b : a`, the chosen lane's bits unchanged.
#[inline]
pub(crate) fn f32x4_pmax(a: V128, b: V128) -> V128 {
    let (x, y) = (u32x4::lanes(a), u32x4::lanes(b));
    u32x4::from_lanes(core::array::from_fn(|i| {
        if f32::from_bits(x[i]) < f32::from_bits(y[i]) {
            y[i]
        } else {
            x[i]
        }
    }))
}

// ---------------------------------------------------------------------------------------------
// f64x2.
// ---------------------------------------------------------------------------------------------

/// `f64x2.ceil`.
#[inline]
pub(crate) fn f64x2_ceil(a: V128) -> V128 {
    f64x2::map(a, num::f64_ceil)
}

/// `f64x2.floor`.
#[inline]
pub(crate) fn f64x2_floor(a: V128) -> V128 {
    f64x2::map(a, num::f64_floor)
}

/// `f64x2.trunc`.
#[inline]
pub(crate) fn f64x2_trunc(a: V128) -> V128 {
    f64x2::map(a, num::f64_trunc)
}

/// `f64x2.nearest`: ties to even.
#[inline]
pub(crate) fn f64x2_nearest(a: V128) -> V128 {
    f64x2::map(a, num::f64_nearest)
}

/// `f64x2.abs`: clears each sign bit (bitwise, as `num::f64_abs`).
#[inline]
pub(crate) fn f64x2_abs(a: V128) -> V128 {
    u64x2::map(a, |x| x & !F64_SIGN)
}

/// `f64x2.neg`: flips each sign bit (bitwise, as `num::f64_neg`).
#[inline]
pub(crate) fn f64x2_neg(a: V128) -> V128 {
    u64x2::map(a, |x| x ^ F64_SIGN)
}

/// `f64x2.sqrt`.
#[inline]
pub(crate) fn f64x2_sqrt(a: V128) -> V128 {
    f64x2::map(a, num::f64_sqrt)
}

/// `f64x2.add`.
#[inline]
pub(crate) fn f64x2_add(a: V128, b: V128) -> V128 {
    f64x2::zip(a, b, num::f64_add)
}

/// `f64x2.sub`.
#[inline]
pub(crate) fn f64x2_sub(a: V128, b: V128) -> V128 {
    f64x2::zip(a, b, num::f64_sub)
}

/// `f64x2.mul`.
#[inline]
pub(crate) fn f64x2_mul(a: V128, b: V128) -> V128 {
    f64x2::zip(a, b, num::f64_mul)
}

/// `f64x2.div`.
#[inline]
pub(crate) fn f64x2_div(a: V128, b: V128) -> V128 {
    f64x2::zip(a, b, num::f64_div)
}

/// `f64x2.min`: NaN propagates (quieted), `min(-0, +0) = -0`.
#[inline]
pub(crate) fn f64x2_min(a: V128, b: V128) -> V128 {
    f64x2::zip(a, b, num::f64_min)
}

/// `f64x2.max`: NaN propagates (quieted), `max(-0, +0) = +0`.
#[inline]
pub(crate) fn f64x2_max(a: V128, b: V128) -> V128 {
    f64x2::zip(a, b, num::f64_max)
}

/// `f64x2.pmin`: `b < a ? b : a`, the chosen lane's bits unchanged.
#[inline]
pub(crate) fn f64x2_pmin(a: V128, b: V128) -> V128 {
    let (x, y) = (u64x2::lanes(a), u64x2::lanes(b));
    u64x2::from_lanes(core::array::from_fn(|i| {
        if f64::from_bits(y[i]) < f64::from_bits(x[i]) {
            y[i]
        } else {
            x[i]
        }
    }))
}

/// `f64x2.pmax`: `a < b ? b : a`, the chosen lane's bits unchanged.
#[inline]
pub(crate) fn f64x2_pmax(a: V128, b: V128) -> V128 {
    let (x, y) = (u64x2::lanes(a), u64x2::lanes(b));
    u64x2::from_lanes(core::array::from_fn(|i| {
        if f64::from_bits(x[i]) < f64::from_bits(y[i]) {
            y[i]
        } else {
            x[i]
        }
    }))
}

// ---------------------------------------------------------------------------------------------
// Conversions.
// ---------------------------------------------------------------------------------------------

/// `i32x4.trunc_sat_f32x4_s`: NaN → 0, out of range → `i32::MIN`/`i32::MAX`.
#[inline]
pub(crate) fn i32x4_trunc_sat_f32x4_s(a: V128) -> V128 {
    let x = f32x4::lanes(a);
    i32x4::from_lanes(core::array::from_fn(|i| num::i32_trunc_sat_f32_s(x[i])))
}

/// `i32x4.trunc_sat_f32x4_u`: NaN and negatives → 0, too large → `u32::MAX`.
#[inline]
pub(crate) fn i32x4_trunc_sat_f32x4_u(a: V128) -> V128 {
    let x = f32x4::lanes(a);
    i32x4::from_lanes(core::array::from_fn(|i| num::i32_trunc_sat_f32_u(x[i])))
}

/// `f32x4.convert_i32x4_s`: round to nearest even.
#[inline]
pub(crate) fn f32x4_convert_i32x4_s(a: V128) -> V128 {
    let x = i32x4::lanes(a);
    f32x4::from_lanes(core::array::from_fn(|i| num::f32_convert_i32_s(x[i])))
}

/// `f32x4.convert_i32x4_u`: round to nearest even.
#[inline]
pub(crate) fn f32x4_convert_i32x4_u(a: V128) -> V128 {
    let x = i32x4::lanes(a);
    f32x4::from_lanes(core::array::from_fn(|i| num::f32_convert_i32_u(x[i])))
}

/// `i32x4.trunc_sat_f64x2_s_zero`: the two `f64` lanes truncated with saturation into
/// lanes 0 and 1; lanes 2 and 3 are zero.
#[inline]
pub(crate) fn i32x4_trunc_sat_f64x2_s_zero(a: V128) -> V128 {
    let [x, y] = f64x2::lanes(a);
    i32x4::from_lanes([
        num::i32_trunc_sat_f64_s(x),
        num::i32_trunc_sat_f64_s(y),
        0,
        0,
    ])
}

/// `i32x4.trunc_sat_f64x2_u_zero`: as the `_s` form, unsigned.
#[inline]
pub(crate) fn i32x4_trunc_sat_f64x2_u_zero(a: V128) -> V128 {
    let [x, y] = f64x2::lanes(a);
    i32x4::from_lanes([
        num::i32_trunc_sat_f64_u(x),
        num::i32_trunc_sat_f64_u(y),
        0,
        0,
    ])
}

/// `f64x2.convert_low_i32x4_s`: `i32` lanes 0 and 1, exactly.
#[inline]
pub(crate) fn f64x2_convert_low_i32x4_s(a: V128) -> V128 {
    let [x, y, _, _] = i32x4::lanes(a);
    f64x2::from_lanes([num::f64_convert_i32_s(x), num::f64_convert_i32_s(y)])
}

/// `f64x2.convert_low_i32x4_u`: `i32` lanes 0 and 1 read as unsigned, exactly.
#[inline]
pub(crate) fn f64x2_convert_low_i32x4_u(a: V128) -> V128 {
    let [x, y, _, _] = i32x4::lanes(a);
    f64x2::from_lanes([num::f64_convert_i32_u(x), num::f64_convert_i32_u(y)])
}

/// `f32x4.demote_f64x2_zero`: both `f64` lanes rounded to `f32` into lanes 0 and 1; lanes 2
/// and 3 are `+0.0`.
#[inline]
pub(crate) fn f32x4_demote_f64x2_zero(a: V128) -> V128 {
    let [x, y] = f64x2::lanes(a);
    f32x4::from_lanes([num::f32_demote_f64(x), num::f32_demote_f64(y), 0.0, 0.0])
}

/// `f64x2.promote_low_f32x4`: `f32` lanes 0 and 1, exactly.
#[inline]
pub(crate) fn f64x2_promote_low_f32x4(a: V128) -> V128 {
    let [x, y, _, _] = f32x4::lanes(a);
    f64x2::from_lanes([num::f64_promote_f32(x), num::f64_promote_f32(y)])
}

// ---------------------------------------------------------------------------------------------
// Relaxed SIMD: the deterministic profile's choice (see the table in the module docs).
// ---------------------------------------------------------------------------------------------

/// `i8x16.relaxed_swizzle`: as [`i8x16_swizzle`], an index of 16 or more selects `0`.
#[inline]
pub(crate) fn i8x16_relaxed_swizzle(a: V128, b: V128) -> V128 {
    i8x16_swizzle(a, b)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as [`i32x4_trunc_sat_f32x4_s`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(a: V128) -> V128 {
    i32x4_trunc_sat_f32x4_s(a)
}

/// `i32x4.relaxed_trunc_f32x4_u`: as [`i32x4_trunc_sat_f32x4_u`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(a: V128) -> V128 {
    i32x4_trunc_sat_f32x4_u(a)
}

/// `i32x4.relaxed_trunc_f64x2_s_zero`: as [`i32x4_trunc_sat_f64x2_s_zero`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(a: V128) -> V128 {
    i32x4_trunc_sat_f64x2_s_zero(a)
}

/// `i32x4.relaxed_trunc_f64x2_u_zero`: as [`i32x4_trunc_sat_f64x2_u_zero`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(a: V128) -> V128 {
    i32x4_trunc_sat_f64x2_u_zero(a)
}

/// `f32x4.relaxed_madd`: `a * b + c`, unfused (the product is rounded to `f32` first).
#[inline]
pub(crate) fn f32x4_relaxed_madd(a: V128, b: V128, c: V128) -> V128 {
    f32x4_add(f32x4_mul(a, b), c)
}

/// `f32x4.relaxed_nmadd`: `-a * b + c`, unfused.
#[inline]
pub(crate) fn f32x4_relaxed_nmadd(a: V128, b: V128, c: V128) -> V128 {
    f32x4_add(f32x4_mul(f32x4_neg(a), b), c)
}

/// `f64x2.relaxed_madd`: `a * b + c`, unfused (the product is rounded to `f64` first).
#[inline]
pub(crate) fn f64x2_relaxed_madd(a: V128, b: V128, c: V128) -> V128 {
    f64x2_add(f64x2_mul(a, b), c)
}

/// `f64x2.relaxed_nmadd`: `-a * b + c`, unfused.
#[inline]
pub(crate) fn f64x2_relaxed_nmadd(a: V128, b: V128, c: V128) -> V128 {
    f64x2_add(f64x2_mul(f64x2_neg(a), b), c)
}

/// `i8x16.relaxed_laneselect`: as [`v128_bitselect`] (every mask bit selects).
#[inline]
pub(crate) fn i8x16_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `i16x8.relaxed_laneselect`: as [`v128_bitselect`].
#[inline]
pub(crate) fn i16x8_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `i32x4.relaxed_laneselect`: as [`v128_bitselect`].
#[inline]
pub(crate) fn i32x4_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `i64x2.relaxed_laneselect`: as [`v128_bitselect`].
#[inline]
pub(crate) fn i64x2_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `f32x4.relaxed_min`: as [`f32x4_min`].
#[inline]
pub(crate) fn f32x4_relaxed_min(a: V128, b: V128) -> V128 {
    f32x4_min(a, b)
}

/// `f32x4.relaxed_max`: as [`f32x4_max`].
#[inline]
pub(crate) fn f32x4_relaxed_max(a: V128, b: V128) -> V128 {
    f32x4_max(a, b)
}

/// `f64x2.relaxed_min`: as [`f64x2_min`].
#[inline]
pub(crate) fn f64x2_relaxed_min(a: V128, b: V128) -> V128 {
    f64x2_min(a, b)
}

/// `f64x2.relaxed_max`: as [`f64x2_max`].
#[inline]
pub(crate) fn f64x2_relaxed_max(a: V128, b: V128) -> V128 {
    f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as [`i16x8_q15mulr_sat_s`] (`-32768 * -32768 = 32767`).
#[inline]
pub(crate) fn i16x8_relaxed_q15mulr_s(a: V128, b: V128) -> V128 {
    i16x8_q15mulr_sat_s(a, b)
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: lane `i` is `a[2i]*b[2i] + a[2i+1]*b[2i+1]`, both
/// operands signed `i8`, the sum saturated to `i16` (spec `ivdot_sat`; only
/// `2 * (-128)^2 = 32768` is out of range).
#[inline]
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: V128, b: V128) -> V128 {
    let (x, y) = (i8x16::lanes(a), i8x16::lanes(b));
    let p: [i16; 16] = core::array::from_fn(|i| i16::from(x[i]) * i16::from(y[i]));
    i16x8::from_lanes(core::array::from_fn(|i| {
        p[2 * i].saturating_add(p[2 * i + 1])
    }))
}

/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the `i16` lanes of
/// [`i16x8_relaxed_dot_i8x16_i7x16_s`] added pairwise (sign-extended) into `i32`, plus `c`
/// (wrapping).
#[inline]
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V128, b: V128, c: V128) -> V128 {
    let dot = i16x8_relaxed_dot_i8x16_i7x16_s(a, b);
    i32x4_add(i32x4_extadd_pairwise_i16x8_s(dot), c)
}

#[cfg(test)]
mod tests {
    //! Hand-checked values for the tricky lanes (mostly from the spec's `simd_*.wast` and
    //! `relaxed_*.wast` scripts), then lane-by-lane cross-checks against a plain scalar
    //! reference on pseudo-random vectors. The reference reads and writes lanes byte by
    //! byte, not through the lane helpers the implementation uses; `v128` writes a vector as
    //! the number `u128::from_le_bytes` of its bytes, for the hand-written bit patterns.
    use super::*;

    const F32_CANON: u32 = 0x7fc0_0000;
    const F32_SNAN: u32 = 0x7fa0_0000;
    const F64_CANON: u64 = 0x7ff8_0000_0000_0000;
    const F64_SNAN: u64 = 0x7ff4_0000_0000_0000;

    /// The vector whose bytes are `x`'s, least significant first.
    fn v128(x: u128) -> V128 {
        x.to_le_bytes()
    }

    // Vectors from lanes and back, through memory order.
    fn v8(l: [i8; 16]) -> V128 {
        l.map(|x| x as u8)
    }
    fn v16(l: [i16; 8]) -> V128 {
        put(&l.map(i128::from), 16)
    }
    fn v32(l: [i32; 4]) -> V128 {
        put(&l.map(i128::from), 32)
    }
    fn v64(l: [i64; 2]) -> V128 {
        put(&l.map(i128::from), 64)
    }
    fn vf32(l: [f32; 4]) -> V128 {
        put(&l.map(|x| i128::from(x.to_bits())), 32)
    }
    fn vf64(l: [f64; 2]) -> V128 {
        put(&l.map(|x| i128::from(x.to_bits())), 64)
    }
    fn l8(v: V128) -> [i8; 16] {
        v.map(|x| x as i8)
    }
    fn l16(v: V128) -> [i16; 8] {
        core::array::from_fn(|i| sget(v, 16, i) as i16)
    }
    fn l32(v: V128) -> [i32; 4] {
        core::array::from_fn(|i| sget(v, 32, i) as i32)
    }
    fn l64(v: V128) -> [i64; 2] {
        core::array::from_fn(|i| sget(v, 64, i) as i64)
    }
    fn lf32(v: V128) -> [u32; 4] {
        core::array::from_fn(|i| get(v, 32, i) as u32)
    }
    fn lf64(v: V128) -> [u64; 2] {
        core::array::from_fn(|i| get(v, 64, i) as u64)
    }

    /// Lane `i` of `bits` bits, unsigned, read byte by byte.
    fn get(v: V128, bits: usize, i: usize) -> i128 {
        let w = bits / 8;
        v[i * w..(i + 1) * w]
            .iter()
            .rev()
            .fold(0, |acc, &b| (acc << 8) | i128::from(b))
    }
    /// Lane `i`, signed.
    fn sget(v: V128, bits: usize, i: usize) -> i128 {
        sx(get(v, bits, i), bits)
    }
    fn sx(x: i128, bits: usize) -> i128 {
        let m = 1i128 << bits;
        let x = x.rem_euclid(m);
        if x >= m / 2 { x - m } else { x }
    }
    /// The vector of `lanes` (each taken modulo 2^bits), written byte by byte.
    fn put(lanes: &[i128], bits: usize) -> V128 {
        let w = bits / 8;
        let mut bytes = [0u8; 16];
        for (i, &x) in lanes.iter().enumerate() {
            for (k, byte) in bytes[i * w..(i + 1) * w].iter_mut().enumerate() {
                *byte = (x >> (8 * k)) as u8;
            }
        }
        bytes
    }

    /// xorshift64*, with lanes biased towards the boundary values where saturation and
    /// sign handling go wrong.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn vec(&mut self, bits: usize) -> V128 {
            let n = 128 / bits;
            let lanes: [i128; 16] = core::array::from_fn(|_| {
                let r = self.next();
                let half = 1i128 << (bits - 1);
                match r % 8 {
                    0 => [0, 1, -1, half - 1, -half, half - 2, -half + 1, 2][(r >> 8) as usize % 8],
                    1 => i128::from((r >> 8) as i8), // small magnitudes
                    _ => i128::from(r) ^ (i128::from(self.next()) << 64),
                }
            });
            put(&lanes[..n], bits)
        }
        /// Random float lanes: specials, NaNs of both kinds and signs, ordinary values.
        fn fvec(&mut self, bits: usize) -> V128 {
            let specials32: [u32; 12] = [
                0,
                0x8000_0000,
                F32_CANON,
                F32_SNAN | 0x8000_0000,
                F32_SNAN,
                0x7f80_0000,
                0xff80_0000,
                1.5f32.to_bits(),
                (-2.5f32).to_bits(),
                0x4f00_0000, // 2^31
                0xcf00_0000, // -2^31
                1,
            ];
            let specials64: [u64; 12] = [
                0,
                1 << 63,
                F64_CANON,
                F64_SNAN | 1 << 63,
                F64_SNAN,
                f64::INFINITY.to_bits(),
                f64::NEG_INFINITY.to_bits(),
                0.5f64.to_bits(),
                (-2.5f64).to_bits(),
                2147483647.5f64.to_bits(),
                (-2147483648.9f64).to_bits(),
                4294967295.9f64.to_bits(),
            ];
            let n = 128 / bits;
            let lanes: [i128; 4] = core::array::from_fn(|_| {
                let r = self.next();
                let k = (r >> 8) as usize % 12;
                match (r % 4, bits) {
                    (0, 32) => i128::from(specials32[k]),
                    (0, _) => i128::from(specials64[k]),
                    (1, 32) => i128::from(((r >> 16) as i32 as f32 / 7.0).to_bits()),
                    (1, _) => i128::from(((r >> 16) as i64 as f64 / 7.0).to_bits()),
                    _ => i128::from(self.next()),
                }
            });
            put(&lanes[..n], bits)
        }
    }

    const ROUNDS: usize = 400;

    /// Checks a lane-wise binary operator against `reference(a_lane, b_lane)` (lanes
    /// unsigned; the result is taken modulo 2^bits).
    fn check_binary(name: &str, bits: usize, f: fn(V128, V128) -> V128, r: fn(i128, i128) -> i128) {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ bits as u64);
        for _ in 0..ROUNDS {
            let (a, b) = (rng.vec(bits), rng.vec(bits));
            let lanes: Vec<i128> = (0..128 / bits)
                .map(|i| r(get(a, bits, i), get(b, bits, i)))
                .collect();
            assert_eq!(f(a, b), put(&lanes, bits), "{name}({a:02x?}, {b:02x?})");
        }
    }

    fn check_unary(name: &str, bits: usize, f: fn(V128) -> V128, r: fn(i128) -> i128) {
        let mut rng = Rng(0x1234_5678 ^ bits as u64);
        for _ in 0..ROUNDS {
            let a = rng.vec(bits);
            let lanes: Vec<i128> = (0..128 / bits).map(|i| r(get(a, bits, i))).collect();
            assert_eq!(f(a), put(&lanes, bits), "{name}({a:02x?})");
        }
    }

    extern crate std;
    use std::vec::Vec;

    // -----------------------------------------------------------------------------------
    // Lane plumbing.
    // -----------------------------------------------------------------------------------

    #[test]
    fn lanes_are_little_endian() {
        let bytes: [u8; 16] = core::array::from_fn(|i| i as u8);
        let v: V128 = bytes;
        assert_eq!(i8x16::lanes(v), core::array::from_fn(|i| i as i8));
        assert_eq!(u16x8::lanes(v)[1], 0x0302);
        assert_eq!(u32x4::lanes(v)[3], 0x0f0e_0d0c);
        assert_eq!(u64x2::lanes(v)[0], 0x0706_0504_0302_0100);
        assert_eq!(i16x8::from_lanes(i16x8::lanes(v)), v);
        assert_eq!(f32x4::from_lanes(f32x4::lanes(v)), v);
        assert_eq!(f64x2::from_lanes(f64x2::lanes(v)), v);
        let mut rng = Rng(7);
        for _ in 0..ROUNDS {
            let v = rng.vec(8);
            assert_eq!(i8x16::from_lanes(i8x16::lanes(v)), v);
            assert_eq!(u16x8::from_lanes(u16x8::lanes(v)), v);
            assert_eq!(i32x4::from_lanes(i32x4::lanes(v)), v);
            assert_eq!(i64x2::from_lanes(i64x2::lanes(v)), v);
            assert_eq!(l16(v), i16x8::lanes(v));
            assert_eq!(l32(v), i32x4::lanes(v));
        }
    }

    #[test]
    fn splat_uses_the_low_bits_of_the_cell() {
        assert_eq!(i8x16_splat(0xffff_ff80), v8([-128; 16]));
        assert_eq!(i16x8_splat(0x1234_8001), v16([-32767; 8]));
        assert_eq!(i32x4_splat(0xdead_beef_8000_0000), v32([i32::MIN; 4]));
        assert_eq!(i64x2_splat(u64::MAX), v128(u128::MAX));
        assert_eq!(
            f32x4_splat(u64::from(F32_SNAN)),
            put(&[i128::from(F32_SNAN); 4], 32)
        );
        assert_eq!(f64x2_splat(F64_SNAN), put(&[i128::from(F64_SNAN); 2], 64));
        assert_eq!(i8x16_splat(0), [0; 16]);
    }

    #[test]
    fn extract_lane_sign_and_zero_extension() {
        let v = v8([0, -1, 2, -128, 127, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, -2]);
        assert_eq!(i8x16_extract_lane_s(v, 1), 0xffff_ffff); // i32 -1, zero-extended cell
        assert_eq!(i8x16_extract_lane_u(v, 1), 0xff);
        assert_eq!(i8x16_extract_lane_s(v, 3), 0xffff_ff80);
        assert_eq!(i8x16_extract_lane_s(v, 4), 127);
        assert_eq!(i8x16_extract_lane_u(v, 15), 0xfe);
        let w = v16([0, -32768, 32767, -1, 0, 0, 0, 0x1234]);
        assert_eq!(i16x8_extract_lane_s(w, 1), 0xffff_8000);
        assert_eq!(i16x8_extract_lane_u(w, 1), 0x8000);
        assert_eq!(i16x8_extract_lane_s(w, 2), 0x7fff);
        assert_eq!(i16x8_extract_lane_u(w, 7), 0x1234);
        assert_eq!(i32x4_extract_lane(v32([1, -1, 3, 4]), 1), 0xffff_ffff);
        assert_eq!(i64x2_extract_lane(v64([1, -2]), 1), (-2i64) as u64);
        let f = vf32([1.0, -0.0, 0.0, 0.0]);
        assert_eq!(f32x4_extract_lane(f, 1), 0x8000_0000);
        let snan = put(&[0, i128::from(F64_SNAN)], 64);
        assert_eq!(f64x2_extract_lane(snan, 1), F64_SNAN);
        // Out-of-range indices (never produced by validated code) are masked, not a panic.
        assert_eq!(i8x16_extract_lane_u(v, 17), i8x16_extract_lane_u(v, 1));
        assert_eq!(i64x2_extract_lane(v64([1, -2]), u32::MAX), (-2i64) as u64);
    }

    #[test]
    fn replace_lane_order_and_width() {
        let v = i8x16_replace_lane([0; 16], 0x1ff, 3); // only the low 8 bits
        assert_eq!(v[3], 0xff);
        assert_eq!(v, v128(0xff << 24));
        assert_eq!(
            i16x8_replace_lane(v128(u128::MAX), 0x1_0000, 7),
            v128(u128::MAX >> 16)
        );
        assert_eq!(
            i32x4_replace_lane([0; 16], 0xdead_beef_1234_5678, 1),
            v128(0x1234_5678 << 32)
        );
        assert_eq!(
            i64x2_replace_lane(v128(1), u64::MAX, 1),
            v128((u128::from(u64::MAX) << 64) | 1)
        );
        let f = f32x4_replace_lane(vf32([1.0; 4]), u64::from(F32_SNAN), 2);
        assert_eq!(
            lf32(f),
            [1f32.to_bits(), 1f32.to_bits(), F32_SNAN, 1f32.to_bits()]
        );
        let d = f64x2_replace_lane([0; 16], (-0.0f64).to_bits(), 0);
        assert_eq!(lf64(d), [1 << 63, 0]);
        assert_eq!(i8x16_replace_lane([0; 16], 1, 16 + 2), v128(1 << 16)); // masked index
        let mut rng = Rng(99);
        for _ in 0..ROUNDS {
            let (v, x) = (rng.vec(8), rng.next());
            let lane = (x >> 40) as u32;
            for (bits, rep, ext) in [
                (
                    8,
                    i8x16_replace_lane as fn(V128, u64, u32) -> V128,
                    i8x16_extract_lane_u as fn(V128, u32) -> u64,
                ),
                (16, i16x8_replace_lane, i16x8_extract_lane_u),
                (32, i32x4_replace_lane, i32x4_extract_lane),
                (64, i64x2_replace_lane, i64x2_extract_lane),
            ] {
                let n = 128 / bits;
                let i = lane as usize % n;
                let mut lanes: Vec<i128> = (0..n).map(|k| get(v, bits, k)).collect();
                lanes[i] = i128::from(x);
                let r = rep(v, x, lane);
                assert_eq!(r, put(&lanes, bits));
                assert_eq!(i128::from(ext(r, lane)), get(r, bits, i));
            }
        }
    }

    #[test]
    fn loads_extend_splat_and_zero() {
        let bytes = u64::from_le_bytes([0x80, 0x7f, 0xff, 0x01, 0x00, 0xfe, 0x02, 0x81]);
        assert_eq!(
            v128_load8x8_s(bytes),
            v16([-128, 127, -1, 1, 0, -2, 2, -127])
        );
        assert_eq!(
            v128_load8x8_u(bytes),
            v16([128, 127, 255, 1, 0, 254, 2, 129])
        );
        assert_eq!(
            v128_load16x4_s(bytes),
            v32([0x7f80, 0x01ff, -512, i32::from(0x8102u16 as i16)])
        );
        assert_eq!(
            v128_load16x4_u(bytes),
            v32([0x7f80, 0x01ff, 0xfe00, 0x8102])
        );
        assert_eq!(
            v128_load32x2_s(bytes),
            v64([0x01ff_7f80, i64::from(0x8102_fe00u32 as i32)])
        );
        assert_eq!(v128_load32x2_u(bytes), v64([0x01ff_7f80, 0x8102_fe00]));
        assert_eq!(v128_load8_splat(0x80), v8([-128; 16]));
        assert_eq!(v128_load16_splat(0xfffe), v16([-2; 8]));
        assert_eq!(v128_load32_splat(0x8000_0001), v32([-0x7fff_ffff; 4]));
        assert_eq!(v128_load64_splat(bytes), put(&[i128::from(bytes); 2], 64));
        assert_eq!(v128_load32_zero(0xffff_ffff), v32([-1, 0, 0, 0]));
        assert_eq!(v128_load64_zero(u64::MAX), v64([-1, 0]));
        assert_eq!(v128_load32_zero(0x1_0000_0002), v32([2, 0, 0, 0])); // low 32 bits only
        // Memory order: v128.load of bytes 0..16 then extract_lane reads lane i at byte i.
        let mem: [u8; 16] = core::array::from_fn(|i| 0xf0 | i as u8);
        assert_eq!(i8x16_extract_lane_u(mem, 5), 0xf5);
    }

    // -----------------------------------------------------------------------------------
    // Shuffles and bitwise.
    // -----------------------------------------------------------------------------------

    #[test]
    fn swizzle_out_of_range_gives_zero() {
        let a = v8(core::array::from_fn(|i| (i as i8 + 1) * 3));
        let idx = v8([
            0,
            15,
            16,
            -1,
            -128,
            127,
            3,
            17,
            255u8 as i8,
            1,
            2,
            4,
            5,
            6,
            7,
            8,
        ]);
        let expect = v8([3, 48, 0, 0, 0, 0, 12, 0, 0, 6, 9, 15, 18, 21, 24, 27]);
        assert_eq!(i8x16_swizzle(a, idx), expect);
        assert_eq!(i8x16_relaxed_swizzle(a, idx), expect);
        let mut rng = Rng(3);
        for _ in 0..ROUNDS {
            let (a, s) = (rng.vec(8), rng.vec(8));
            let lanes: Vec<i128> = (0..16)
                .map(|i| {
                    let j = get(s, 8, i) as usize;
                    if j < 16 { get(a, 8, j) } else { 0 }
                })
                .collect();
            assert_eq!(i8x16_swizzle(a, s), put(&lanes, 8));
        }
    }

    #[test]
    fn shuffle_indexes_a_then_b() {
        let a = v8(core::array::from_fn(|i| i as i8));
        let b = v8(core::array::from_fn(|i| 100 + i as i8));
        let lanes = v8([0, 16, 1, 17, 15, 31, 30, 14, 8, 24, 2, 3, 19, 20, 5, 6]);
        let expect = v8([
            0, 100, 1, 101, 15, 115, 114, 14, 8, 108, 2, 3, 103, 104, 5, 6,
        ]);
        assert_eq!(i8x16_shuffle(a, b, lanes), expect);
        // Indices >= 32 (impossible after validation) wrap, they do not panic.
        assert_eq!(i8x16_shuffle(a, b, i8x16_splat(32 + 17)), i8x16_splat(101));
        assert_eq!(i8x16_shuffle(a, b, i8x16_splat(255)), i8x16_splat(115));
    }

    #[test]
    fn bitwise_and_bitselect() {
        let (x, y, z) = (
            0xf0f0_u128 << 64 | 0xff,
            0x0ff0_u128 << 64 | 0x0f,
            u128::MAX << 64 | 0x3c,
        );
        let (a, b, c) = (v128(x), v128(y), v128(z));
        assert_eq!(v128_not(a), v128(!x));
        assert_eq!(v128_and(a, b), v128(0x00f0 << 64 | 0x0f));
        assert_eq!(v128_andnot(a, b), v128(0xf000 << 64 | 0xf0));
        assert_eq!(v128_or(a, b), v128(0xfff0 << 64 | 0xff));
        assert_eq!(v128_xor(a, b), v128(0xff00 << 64 | 0xf0));
        // From a where the mask is 1, from b where it is 0.
        assert_eq!(v128_bitselect(a, b, c), v128(0xf0f0 << 64 | 0x3f));
        for sel in [
            i8x16_relaxed_laneselect,
            i16x8_relaxed_laneselect,
            i32x4_relaxed_laneselect,
            i64x2_relaxed_laneselect,
        ] {
            // Mixed masks too: every mask bit selects (deterministic profile).
            assert_eq!(sel(a, b, c), v128_bitselect(a, b, c));
            assert_eq!(sel(v128(u128::MAX), [0; 16], v128(0x0180)), v128(0x0180));
        }
        assert_eq!(v128_any_true([0; 16]), 0);
        assert_eq!(v128_any_true(v128(1 << 127)), 1);
    }

    #[test]
    fn all_true_and_bitmask() {
        assert_eq!(i8x16_all_true(i8x16_splat(1)), 1);
        assert_eq!(i8x16_all_true(i8x16_replace_lane(i8x16_splat(1), 0, 15)), 0);
        assert_eq!(i16x8_all_true(i8x16_splat(1)), 1);
        assert_eq!(i16x8_all_true(v16([1, 1, 1, 0x100, 1, 1, 0, 1])), 0);
        assert_eq!(i32x4_all_true(v32([1, 1 << 31, 1 << 16, -1])), 1);
        assert_eq!(i32x4_all_true(v32([1, 1, 1, 0])), 0);
        assert_eq!(i64x2_all_true(v64([1 << 40, -1])), 1);
        assert_eq!(i64x2_all_true(v64([0, -1])), 0);
        let v = v8([-1, 0, 1, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -2]);
        assert_eq!(i8x16_bitmask(v), 0b1000_0000_0000_1001);
        assert_eq!(i16x8_bitmask(v16([-1, 0, 0, 0, 0, 0, 0, i16::MIN])), 0x81);
        assert_eq!(i32x4_bitmask(v32([0, -1, i32::MAX, i32::MIN])), 0b1010);
        assert_eq!(i64x2_bitmask(v64([-1, 1])), 0b01);
        assert_eq!(i8x16_bitmask(v128(u128::MAX)), 0xffff);
        let mut rng = Rng(5);
        for _ in 0..ROUNDS {
            let v = rng.vec(8);
            for (bits, mask, all) in [
                (
                    8,
                    i8x16_bitmask as fn(V128) -> u32,
                    i8x16_all_true as fn(V128) -> u32,
                ),
                (16, i16x8_bitmask, i16x8_all_true),
                (32, i32x4_bitmask, i32x4_all_true),
                (64, i64x2_bitmask, i64x2_all_true),
            ] {
                let n = 128 / bits;
                let m = (0..n).fold(0, |acc, i| acc | u32::from(sget(v, bits, i) < 0) << i);
                assert_eq!(mask(v), m);
                assert_eq!(all(v), u32::from((0..n).all(|i| get(v, bits, i) != 0)));
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Integer arithmetic.
    // -----------------------------------------------------------------------------------

    #[test]
    fn saturating_boundaries() {
        let max = i8x16_splat(127);
        let min = i8x16_splat(0x80);
        assert_eq!(i8x16_add_sat_s(max, i8x16_splat(1)), max);
        assert_eq!(i8x16_add_sat_s(min, i8x16_splat(0xff)), min);
        assert_eq!(i8x16_sub_sat_s(min, i8x16_splat(1)), min);
        assert_eq!(i8x16_sub_sat_s(max, i8x16_splat(0xff)), max);
        assert_eq!(
            i8x16_add_sat_u(i8x16_splat(200), i8x16_splat(100)),
            i8x16_splat(255)
        );
        assert_eq!(i8x16_sub_sat_u(i8x16_splat(1), i8x16_splat(2)), [0; 16]);
        assert_eq!(
            i16x8_add_sat_s(i16x8_splat(0x7fff), i16x8_splat(0x7fff)),
            i16x8_splat(0x7fff)
        );
        assert_eq!(
            i16x8_sub_sat_s(i16x8_splat(0x8000), i16x8_splat(1)),
            i16x8_splat(0x8000)
        );
        assert_eq!(
            i16x8_add_sat_u(i16x8_splat(0xffff), i16x8_splat(1)),
            v128(u128::MAX)
        );
        assert_eq!(i16x8_sub_sat_u([0; 16], i16x8_splat(1)), [0; 16]);
        // Wrapping forms do wrap.
        assert_eq!(i8x16_add(max, i8x16_splat(1)), min);
        assert_eq!(i16x8_sub([0; 16], i16x8_splat(1)), v128(u128::MAX));
        assert_eq!(
            i32x4_add(i32x4_splat(u64::from(u32::MAX)), i32x4_splat(1)),
            [0; 16]
        );
        assert_eq!(i64x2_sub([0; 16], v64([1, 2])), v64([-1, -2]));
    }

    #[test]
    fn abs_and_neg_of_the_minimum_wrap() {
        assert_eq!(
            i8x16_abs(v8([
                -128, -1, 1, 0, 127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            ])),
            v8([-128, 1, 1, 0, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(i8x16_neg(i8x16_splat(0x80)), i8x16_splat(0x80));
        assert_eq!(
            i16x8_abs(v16([i16::MIN, -5, 5, 0, 0, 0, 0, 0])),
            v16([i16::MIN, 5, 5, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i16x8_neg(v16([1, -1, 0, i16::MIN, 0, 0, 0, 0])),
            v16([-1, 1, 0, i16::MIN, 0, 0, 0, 0])
        );
        assert_eq!(
            i32x4_abs(v32([i32::MIN, -7, 7, 0])),
            v32([i32::MIN, 7, 7, 0])
        );
        assert_eq!(
            i32x4_neg(v32([i32::MIN, -7, 7, 0])),
            v32([i32::MIN, 7, -7, 0])
        );
        assert_eq!(i64x2_abs(v64([i64::MIN, -9])), v64([i64::MIN, 9]));
        assert_eq!(i64x2_neg(v64([i64::MIN, -9])), v64([i64::MIN, 9]));
    }

    #[test]
    fn shifts_take_the_count_modulo_the_lane_width() {
        let v = v8([1, -128, -1, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x55]);
        assert_eq!(i8x16_shl(v, 9), i8x16_shl(v, 1));
        assert_eq!(
            i8x16_shl(v, 1),
            v8([2, 0, -2, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -86])
        );
        assert_eq!(i8x16_shr_s(v, 8), v);
        assert_eq!(
            i8x16_shr_s(v, 15),
            v8([0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i8x16_shr_u(v, 7),
            v8([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i8x16_shr_u(v, 8 + 4),
            v8([0, 8, 15, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])
        );
        assert_eq!(i16x8_shl(i16x8_splat(1), 16 + 15), i16x8_splat(0x8000));
        assert_eq!(i16x8_shr_s(i16x8_splat(0x8000), 15), v128(u128::MAX));
        assert_eq!(i16x8_shr_u(i16x8_splat(0x8000), 31), i16x8_splat(1));
        assert_eq!(i32x4_shl(i32x4_splat(1), 32), i32x4_splat(1));
        assert_eq!(
            i32x4_shr_s(v32([i32::MIN, -1, 1, 8]), 33),
            v32([i32::MIN / 2, -1, 0, 4])
        );
        assert_eq!(
            i32x4_shr_u(v32([i32::MIN, -1, 1, 8]), 63),
            v32([1, 1, 0, 0])
        );
        assert_eq!(i64x2_shl(v64([1, -1]), 64 + 63), v64([i64::MIN, i64::MIN]));
        assert_eq!(i64x2_shr_s(v64([i64::MIN, 4]), u32::MAX), v64([-1, 0]));
        assert_eq!(i64x2_shr_u(v64([i64::MIN, 4]), 65), v64([1 << 62, 2]));
        let mut rng = Rng(11);
        type Shift = fn(V128, u32) -> V128;
        let ops: [(usize, Shift, Shift, Shift); 4] = [
            (8, i8x16_shl, i8x16_shr_s, i8x16_shr_u),
            (16, i16x8_shl, i16x8_shr_s, i16x8_shr_u),
            (32, i32x4_shl, i32x4_shr_s, i32x4_shr_u),
            (64, i64x2_shl, i64x2_shr_s, i64x2_shr_u),
        ];
        for _ in 0..ROUNDS {
            let count = (rng.next() % 300) as u32;
            for (bits, shl, shr_s, shr_u) in ops {
                let v = rng.vec(bits);
                let k = count as usize % bits;
                let n = 128 / bits;
                let l = |f: &dyn Fn(usize) -> i128| put(&(0..n).map(f).collect::<Vec<_>>(), bits);
                assert_eq!(shl(v, count), l(&|i| get(v, bits, i) << k));
                assert_eq!(shr_s(v, count), l(&|i| sget(v, bits, i) >> k));
                assert_eq!(shr_u(v, count), l(&|i| get(v, bits, i) >> k));
            }
        }
    }

    #[test]
    fn avgr_rounds_halves_up() {
        let a = v8([
            0,
            1,
            255u8 as i8,
            254u8 as i8,
            3,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ]);
        let b = v8([
            1,
            1,
            255u8 as i8,
            255u8 as i8,
            4,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ]);
        assert_eq!(
            i8x16_avgr_u(a, b),
            v8([1, 1, -1, -1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        let a = v16([0, -1, -2, 5, 0, 0, 0, 0]);
        let b = v16([1, -1, -1, 6, 0, 0, 0, 0]);
        assert_eq!(i16x8_avgr_u(a, b), v16([1, -1, -1, 6, 0, 0, 0, 0]));
    }

    #[test]
    fn popcnt_counts_each_byte() {
        let v = v8([0, 1, -1, -128, 0x55, 0x0f, 3, 7, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            i8x16_popcnt(v),
            v8([0, 1, 8, 1, 4, 4, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        check_unary("i8x16.popcnt", 8, i8x16_popcnt, |x| {
            i128::from(x.count_ones())
        });
    }

    #[test]
    fn narrow_saturates_signed_inputs() {
        let a = v16([-129, -128, 127, 128, 255, 256, -1, 0]);
        let b = v16([i16::MIN, i16::MAX, 1, -2, 300, -300, 100, 0]);
        assert_eq!(
            i8x16_narrow_i16x8_s(a, b),
            v8([
                -128, -128, 127, 127, 127, 127, -1, 0, -128, 127, 1, -2, 127, -128, 100, 0
            ])
        );
        // Unsigned narrow reads its inputs as signed: -1 → 0, 256 → 255.
        assert_eq!(
            i8x16_narrow_i16x8_u(a, b),
            [0, 0, 127, 128, 255, 255, 0, 0, 0, 255, 1, 0, 255, 0, 100, 0]
        );
        let a = v32([-32769, 32768, -1, 65536]);
        let b = v32([i32::MIN, i32::MAX, 1234, 65535]);
        assert_eq!(
            i16x8_narrow_i32x4_s(a, b),
            v16([
                i16::MIN,
                i16::MAX,
                -1,
                i16::MAX,
                i16::MIN,
                i16::MAX,
                1234,
                i16::MAX
            ])
        );
        assert_eq!(
            i16x8_narrow_i32x4_u(a, b),
            v16([0, -32768, 0, -1, 0, -1, 1234, -1])
        );
        let mut rng = Rng(21);
        for _ in 0..ROUNDS {
            let (a, b) = (rng.vec(16), rng.vec(16));
            let lane = |i: usize| {
                if i < 8 {
                    sget(a, 16, i)
                } else {
                    sget(b, 16, i - 8)
                }
            };
            let s: Vec<i128> = (0..16).map(|i| lane(i).clamp(-128, 127)).collect();
            let u: Vec<i128> = (0..16).map(|i| lane(i).clamp(0, 255)).collect();
            assert_eq!(i8x16_narrow_i16x8_s(a, b), put(&s, 8));
            assert_eq!(i8x16_narrow_i16x8_u(a, b), put(&u, 8));
            let (a, b) = (rng.vec(32), rng.vec(32));
            let lane = |i: usize| {
                if i < 4 {
                    sget(a, 32, i)
                } else {
                    sget(b, 32, i - 4)
                }
            };
            let s: Vec<i128> = (0..8).map(|i| lane(i).clamp(-32768, 32767)).collect();
            let u: Vec<i128> = (0..8).map(|i| lane(i).clamp(0, 65535)).collect();
            assert_eq!(i16x8_narrow_i32x4_s(a, b), put(&s, 16));
            assert_eq!(i16x8_narrow_i32x4_u(a, b), put(&u, 16));
        }
    }

    #[test]
    fn q15mulr_saturates_only_min_times_min() {
        let a = v16([i16::MIN, i16::MIN, i16::MAX, 0x4000, -0x4000, 1, -1, 0x2000]);
        let b = v16([
            i16::MIN,
            i16::MAX,
            i16::MAX,
            0x4000,
            0x4000,
            0x4000,
            0x4000,
            3,
        ]);
        // 0x4000 * 0x4000 = 2^28 → 0x2000; 1 * 0x4000 = 0.5 ulp → rounds up to 1;
        // -1 * 0x4000 = -0.5 ulp → rounds up to 0; 0x2000 * 3 = 0.75 → 1.
        let expect = v16([i16::MAX, -32767, 32766, 0x2000, -0x2000, 1, 0, 1]);
        assert_eq!(i16x8_q15mulr_sat_s(a, b), expect);
        assert_eq!(i16x8_relaxed_q15mulr_s(a, b), expect);
        check_binary("i16x8.q15mulr_sat_s", 16, i16x8_q15mulr_sat_s, |x, y| {
            ((sx(x, 16) * sx(y, 16) + 0x4000) >> 15).clamp(-32768, 32767)
        });
    }

    #[test]
    fn dot_wraps_only_on_min_times_min_twice() {
        let a = v16([i16::MIN, i16::MIN, 1, 2, i16::MAX, i16::MAX, -3, 4]);
        let b = v16([i16::MIN, i16::MIN, 3, 4, i16::MAX, i16::MAX, 5, 6]);
        assert_eq!(
            i32x4_dot_i16x8_s(a, b),
            v32([i32::MIN, 11, 2 * 32767 * 32767, 9])
        );
        let mut rng = Rng(31);
        for _ in 0..ROUNDS {
            let (a, b) = (rng.vec(16), rng.vec(16));
            let p = |i: usize| sget(a, 16, i) * sget(b, 16, i);
            let lanes: Vec<i128> = (0..4).map(|i| p(2 * i) + p(2 * i + 1)).collect();
            assert_eq!(i32x4_dot_i16x8_s(a, b), put(&lanes, 32));
        }
    }

    #[test]
    fn extend_extmul_and_extadd_against_reference() {
        let mut rng = Rng(41);
        type Un = fn(V128) -> V128;
        type Bin = fn(V128, V128) -> V128;
        // (from bits, extend low/high s/u, extmul low/high s/u)
        let families: [(usize, [Un; 4], [Bin; 4]); 3] = [
            (
                8,
                [
                    i16x8_extend_low_i8x16_s,
                    i16x8_extend_high_i8x16_s,
                    i16x8_extend_low_i8x16_u,
                    i16x8_extend_high_i8x16_u,
                ],
                [
                    i16x8_extmul_low_i8x16_s,
                    i16x8_extmul_high_i8x16_s,
                    i16x8_extmul_low_i8x16_u,
                    i16x8_extmul_high_i8x16_u,
                ],
            ),
            (
                16,
                [
                    i32x4_extend_low_i16x8_s,
                    i32x4_extend_high_i16x8_s,
                    i32x4_extend_low_i16x8_u,
                    i32x4_extend_high_i16x8_u,
                ],
                [
                    i32x4_extmul_low_i16x8_s,
                    i32x4_extmul_high_i16x8_s,
                    i32x4_extmul_low_i16x8_u,
                    i32x4_extmul_high_i16x8_u,
                ],
            ),
            (
                32,
                [
                    i64x2_extend_low_i32x4_s,
                    i64x2_extend_high_i32x4_s,
                    i64x2_extend_low_i32x4_u,
                    i64x2_extend_high_i32x4_u,
                ],
                [
                    i64x2_extmul_low_i32x4_s,
                    i64x2_extmul_high_i32x4_s,
                    i64x2_extmul_low_i32x4_u,
                    i64x2_extmul_high_i32x4_u,
                ],
            ),
        ];
        for _ in 0..ROUNDS {
            for (bits, extend, extmul) in families {
                let (a, b) = (rng.vec(bits), rng.vec(bits));
                let n = 64 / bits; // result lanes
                for (k, (ext, mul)) in extend.iter().zip(extmul).enumerate() {
                    let high = k % 2 == 1;
                    let signed = k < 2;
                    let lane = |v: V128, i: usize| {
                        let i = if high { i + n } else { i };
                        if signed {
                            sget(v, bits, i)
                        } else {
                            get(v, bits, i)
                        }
                    };
                    let e: Vec<i128> = (0..n).map(|i| lane(a, i)).collect();
                    let m: Vec<i128> = (0..n).map(|i| lane(a, i) * lane(b, i)).collect();
                    assert_eq!(ext(a), put(&e, 2 * bits), "extend {bits} #{k}");
                    assert_eq!(mul(a, b), put(&m, 2 * bits), "extmul {bits} #{k}");
                }
            }
            let a = rng.vec(8);
            let pair = |bits: usize, f: fn(V128, usize, usize) -> i128| -> V128 {
                let n = 64 / bits;
                put(
                    &(0..n)
                        .map(|i| f(a, bits, 2 * i) + f(a, bits, 2 * i + 1))
                        .collect::<Vec<_>>(),
                    2 * bits,
                )
            };
            assert_eq!(i16x8_extadd_pairwise_i8x16_s(a), pair(8, sget));
            assert_eq!(i16x8_extadd_pairwise_i8x16_u(a), pair(8, get));
            assert_eq!(i32x4_extadd_pairwise_i16x8_s(a), pair(16, sget));
            assert_eq!(i32x4_extadd_pairwise_i16x8_u(a), pair(16, get));
        }
        // Hand-checked extremes.
        assert_eq!(
            i16x8_extmul_low_i8x16_s(i8x16_splat(0x80), i8x16_splat(0x80)),
            i16x8_splat(16384)
        );
        assert_eq!(
            i16x8_extmul_high_i8x16_u(v128(u128::MAX), v128(u128::MAX)),
            i16x8_splat(65025)
        );
        assert_eq!(
            i32x4_extmul_low_i16x8_s(i16x8_splat(0x8000), i16x8_splat(0x8000)),
            i32x4_splat(1 << 30)
        );
        assert_eq!(
            i64x2_extmul_high_i32x4_u(v128(u128::MAX), v128(u128::MAX)),
            i64x2_splat(0xffff_fffe_0000_0001)
        );
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_s(v128(u128::MAX)),
            i16x8_splat((-2i16) as u64)
        );
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_u(v128(u128::MAX)),
            i16x8_splat(510)
        );
        assert_eq!(
            i32x4_extadd_pairwise_i16x8_s(i16x8_splat(0x8000)),
            i32x4_splat((-65536i32) as u32 as u64)
        );
        assert_eq!(
            i32x4_extadd_pairwise_i16x8_u(v128(u128::MAX)),
            i32x4_splat(131070)
        );
        assert_eq!(i64x2_extend_high_i32x4_s(v32([0, 0, -1, 5])), v64([-1, 5]));
        assert_eq!(
            i64x2_extend_high_i32x4_u(v32([0, 0, -1, 5])),
            v64([0xffff_ffff, 5])
        );
    }

    #[test]
    fn integer_lane_ops_against_reference() {
        fn u(x: i128) -> i128 {
            x
        }
        macro_rules! check {
            ($bits:literal, $($name:ident: $f:expr;)*) => {$(
                check_binary(stringify!($name), $bits, $name, $f);
            )*};
        }
        check!(8,
            i8x16_add: |x, y| x + y;
            i8x16_sub: |x, y| x - y;
            i8x16_add_sat_s: |x, y| (sx(x, 8) + sx(y, 8)).clamp(-128, 127);
            i8x16_add_sat_u: |x, y| (x + y).min(255);
            i8x16_sub_sat_s: |x, y| (sx(x, 8) - sx(y, 8)).clamp(-128, 127);
            i8x16_sub_sat_u: |x, y| (x - y).max(0);
            i8x16_min_s: |x, y| sx(x, 8).min(sx(y, 8));
            i8x16_min_u: |x, y| u(x).min(y);
            i8x16_max_s: |x, y| sx(x, 8).max(sx(y, 8));
            i8x16_max_u: |x, y| u(x).max(y);
            i8x16_avgr_u: |x, y| (x + y + 1) / 2;
            i8x16_eq: |x, y| -i128::from(x == y);
            i8x16_ne: |x, y| -i128::from(x != y);
            i8x16_lt_s: |x, y| -i128::from(sx(x, 8) < sx(y, 8));
            i8x16_lt_u: |x, y| -i128::from(x < y);
            i8x16_gt_s: |x, y| -i128::from(sx(x, 8) > sx(y, 8));
            i8x16_gt_u: |x, y| -i128::from(x > y);
            i8x16_le_s: |x, y| -i128::from(sx(x, 8) <= sx(y, 8));
            i8x16_le_u: |x, y| -i128::from(x <= y);
            i8x16_ge_s: |x, y| -i128::from(sx(x, 8) >= sx(y, 8));
            i8x16_ge_u: |x, y| -i128::from(x >= y);
        );
        check!(16,
            i16x8_add: |x, y| x + y;
            i16x8_sub: |x, y| x - y;
            i16x8_mul: |x, y| x * y;
            i16x8_add_sat_s: |x, y| (sx(x, 16) + sx(y, 16)).clamp(-32768, 32767);
            i16x8_add_sat_u: |x, y| (x + y).min(65535);
            i16x8_sub_sat_s: |x, y| (sx(x, 16) - sx(y, 16)).clamp(-32768, 32767);
            i16x8_sub_sat_u: |x, y| (x - y).max(0);
            i16x8_min_s: |x, y| sx(x, 16).min(sx(y, 16));
            i16x8_min_u: |x, y| u(x).min(y);
            i16x8_max_s: |x, y| sx(x, 16).max(sx(y, 16));
            i16x8_max_u: |x, y| u(x).max(y);
            i16x8_avgr_u: |x, y| (x + y + 1) / 2;
            i16x8_eq: |x, y| -i128::from(x == y);
            i16x8_ne: |x, y| -i128::from(x != y);
            i16x8_lt_s: |x, y| -i128::from(sx(x, 16) < sx(y, 16));
            i16x8_lt_u: |x, y| -i128::from(x < y);
            i16x8_gt_s: |x, y| -i128::from(sx(x, 16) > sx(y, 16));
            i16x8_gt_u: |x, y| -i128::from(x > y);
            i16x8_le_s: |x, y| -i128::from(sx(x, 16) <= sx(y, 16));
            i16x8_le_u: |x, y| -i128::from(x <= y);
            i16x8_ge_s: |x, y| -i128::from(sx(x, 16) >= sx(y, 16));
            i16x8_ge_u: |x, y| -i128::from(x >= y);
        );
        check!(32,
            i32x4_add: |x, y| x + y;
            i32x4_sub: |x, y| x - y;
            i32x4_mul: |x, y| x * y;
            i32x4_min_s: |x, y| sx(x, 32).min(sx(y, 32));
            i32x4_min_u: |x, y| u(x).min(y);
            i32x4_max_s: |x, y| sx(x, 32).max(sx(y, 32));
            i32x4_max_u: |x, y| u(x).max(y);
            i32x4_eq: |x, y| -i128::from(x == y);
            i32x4_ne: |x, y| -i128::from(x != y);
            i32x4_lt_s: |x, y| -i128::from(sx(x, 32) < sx(y, 32));
            i32x4_lt_u: |x, y| -i128::from(x < y);
            i32x4_gt_s: |x, y| -i128::from(sx(x, 32) > sx(y, 32));
            i32x4_gt_u: |x, y| -i128::from(x > y);
            i32x4_le_s: |x, y| -i128::from(sx(x, 32) <= sx(y, 32));
            i32x4_le_u: |x, y| -i128::from(x <= y);
            i32x4_ge_s: |x, y| -i128::from(sx(x, 32) >= sx(y, 32));
            i32x4_ge_u: |x, y| -i128::from(x >= y);
        );
        check!(64,
            i64x2_add: |x, y| x + y;
            i64x2_sub: |x, y| x - y;
            i64x2_mul: |x, y| x.wrapping_mul(y); // i128 product of two u64s may overflow
            i64x2_eq: |x, y| -i128::from(x == y);
            i64x2_ne: |x, y| -i128::from(x != y);
            i64x2_lt_s: |x, y| -i128::from(sx(x, 64) < sx(y, 64));
            i64x2_gt_s: |x, y| -i128::from(sx(x, 64) > sx(y, 64));
            i64x2_le_s: |x, y| -i128::from(sx(x, 64) <= sx(y, 64));
            i64x2_ge_s: |x, y| -i128::from(sx(x, 64) >= sx(y, 64));
        );
        check_unary("i8x16.abs", 8, i8x16_abs, |x| sx(x, 8).abs());
        check_unary("i8x16.neg", 8, i8x16_neg, |x| -x);
        check_unary("i16x8.abs", 16, i16x8_abs, |x| sx(x, 16).abs());
        check_unary("i16x8.neg", 16, i16x8_neg, |x| -x);
        check_unary("i32x4.abs", 32, i32x4_abs, |x| sx(x, 32).abs());
        check_unary("i32x4.neg", 32, i32x4_neg, |x| -x);
        check_unary("i64x2.abs", 64, i64x2_abs, |x| sx(x, 64).abs());
        check_unary("i64x2.neg", 64, i64x2_neg, |x| -x);
    }

    // -----------------------------------------------------------------------------------
    // Floats.
    // -----------------------------------------------------------------------------------

    fn is_arith32(bits: u32) -> bool {
        bits & 0x7fc0_0000 == 0x7fc0_0000
    }
    fn is_arith64(bits: u64) -> bool {
        bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
    }

    #[test]
    fn min_max_signed_zeros_and_nans() {
        let a = vf32([-0.0, 0.0, 1.0, f32::from_bits(F32_SNAN)]);
        let b = vf32([0.0, -0.0, f32::from_bits(F32_CANON | 0x8000_0000), 2.0]);
        let min = lf32(f32x4_min(a, b));
        let max = lf32(f32x4_max(a, b));
        assert_eq!(min[..2], [0x8000_0000, 0x8000_0000]); // -0 < +0 either way round
        assert_eq!(max[..2], [0, 0]);
        assert_eq!(min[2], F32_CANON | 0x8000_0000); // the NaN operand, sign kept
        assert_eq!(max[2], F32_CANON | 0x8000_0000);
        assert_eq!(min[3], F32_SNAN | 0x0040_0000); // signalling NaN quieted, payload kept
        assert_eq!(max[3], F32_SNAN | 0x0040_0000);
        assert_eq!(f32x4_relaxed_min(a, b), f32x4_min(a, b));
        assert_eq!(f32x4_relaxed_max(a, b), f32x4_max(a, b));
        let a = vf64([-0.0, f64::from_bits(F64_SNAN)]);
        let b = vf64([0.0, f64::from_bits(F64_CANON)]);
        assert_eq!(
            lf64(f64x2_min(a, b)),
            [1 << 63, F64_SNAN | 0x0008_0000_0000_0000]
        );
        assert_eq!(lf64(f64x2_max(a, b)), [0, F64_SNAN | 0x0008_0000_0000_0000]);
        assert_eq!(lf64(f64x2_min(b, a)), [1 << 63, F64_CANON]);
        assert_eq!(f64x2_relaxed_min(a, b), f64x2_min(a, b));
        assert_eq!(f64x2_relaxed_max(b, a), f64x2_max(b, a));
    }

    #[test]
    fn pmin_pmax_select_bits_without_touching_nans() {
        let nan = f32::from_bits(F32_SNAN);
        let a = vf32([nan, 1.0, -0.0, 0.0]);
        let b = vf32([1.0, nan, 0.0, -0.0]);
        // pmin(a, b) = b < a ? b : a. Every comparison with NaN is false, so `a`; zeros
        // compare equal, so `a`.
        assert_eq!(f32x4_pmin(a, b), a);
        assert_eq!(f32x4_pmax(a, b), a);
        assert_eq!(lf32(f32x4_pmin(a, b))[0], F32_SNAN); // not quieted
        assert_eq!(
            f32x4_pmin(vf32([2.0, -1.0, 3.0, -5.0]), vf32([1.0, 1.0, 3.0, -6.0])),
            vf32([1.0, -1.0, 3.0, -6.0])
        );
        assert_eq!(
            f32x4_pmax(vf32([2.0, -1.0, 3.0, -5.0]), vf32([1.0, 1.0, 3.0, -6.0])),
            vf32([2.0, 1.0, 3.0, -5.0])
        );
        let nan = f64::from_bits(F64_SNAN);
        assert_eq!(
            f64x2_pmin(vf64([nan, 0.0]), vf64([1.0, -0.0])),
            vf64([nan, 0.0])
        );
        assert_eq!(
            f64x2_pmax(vf64([1.0, -0.0]), vf64([nan, 0.0])),
            vf64([1.0, -0.0])
        );
        assert_eq!(
            f64x2_pmax(vf64([1.0, -3.0]), vf64([2.0, -4.0])),
            vf64([2.0, -3.0])
        );
        assert_eq!(
            f64x2_pmin(vf64([1.0, -3.0]), vf64([2.0, -4.0])),
            vf64([1.0, -4.0])
        );
    }

    #[test]
    fn abs_neg_are_bitwise_and_rounding_quiets_nans() {
        let a = put(
            &[
                i128::from(F32_SNAN),
                0x8000_0000,
                0xff80_0000,
                i128::from((-1.5f32).to_bits()),
            ],
            32,
        );
        assert_eq!(
            lf32(f32x4_abs(a)),
            [F32_SNAN, 0, 0x7f80_0000, 1.5f32.to_bits()]
        );
        assert_eq!(
            lf32(f32x4_neg(a)),
            [F32_SNAN | 0x8000_0000, 0, 0x7f80_0000, 1.5f32.to_bits()]
        );
        let d = put(&[i128::from(F64_SNAN | 1 << 63), 0], 64);
        assert_eq!(lf64(f64x2_abs(d)), [F64_SNAN, 0]);
        assert_eq!(lf64(f64x2_neg(d)), [F64_SNAN, 1 << 63]);
        for op in [
            f32x4_ceil,
            f32x4_floor,
            f32x4_trunc,
            f32x4_nearest,
            f32x4_sqrt,
        ] {
            assert_eq!(lf32(op(a))[0], F32_SNAN | 0x0040_0000);
        }
        for op in [
            f64x2_ceil,
            f64x2_floor,
            f64x2_trunc,
            f64x2_nearest,
            f64x2_sqrt,
        ] {
            assert_eq!(lf64(op(d))[0], F64_SNAN | 1 << 63 | 0x0008_0000_0000_0000);
        }
        let v = vf32([-0.5, 2.5, -3.5, 0.5]);
        assert_eq!(
            lf32(f32x4_nearest(v)),
            [(-0.0f32).to_bits(), 2f32.to_bits(), (-4f32).to_bits(), 0]
        );
        assert_eq!(
            lf32(f32x4_ceil(v)),
            [
                (-0.0f32).to_bits(),
                3f32.to_bits(),
                (-3f32).to_bits(),
                1f32.to_bits()
            ]
        );
        assert_eq!(
            lf32(f32x4_floor(v)),
            [(-1f32).to_bits(), 2f32.to_bits(), (-4f32).to_bits(), 0]
        );
        assert_eq!(
            lf32(f32x4_trunc(v)),
            [(-0.0f32).to_bits(), 2f32.to_bits(), (-3f32).to_bits(), 0]
        );
        assert_eq!(
            f32x4_sqrt(vf32([4.0, -0.0, 2.25, 0.0])),
            vf32([2.0, -0.0, 1.5, 0.0])
        );
        assert!(f32::from_bits(lf32(f32x4_sqrt(vf32([-1.0; 4])))[0]).is_nan());
        assert_eq!(f64x2_nearest(vf64([-2.5, 4.5])), vf64([-2.0, 4.0]));
        assert_eq!(
            f64x2_sqrt(vf64([2.0, 9.0])),
            vf64([core::f64::consts::SQRT_2, 3.0])
        );
    }

    #[test]
    fn arithmetic_nans_are_quiet() {
        // Operands through `black_box`, as in `num`'s tests: folded at compile time,
        // `sNaN * 1.0` becomes the sNaN itself, which no run-time multiply returns.
        let snan = core::hint::black_box(put(&[i128::from(F32_SNAN); 4], 32));
        let one = core::hint::black_box(vf32([1.0; 4]));
        for op in [f32x4_add, f32x4_sub, f32x4_mul, f32x4_div] {
            assert!(lf32(op(snan, one)).iter().all(|&x| is_arith32(x)));
            assert!(lf32(op(one, snan)).iter().all(|&x| is_arith32(x)));
        }
        let snan = core::hint::black_box(put(&[i128::from(F64_SNAN); 2], 64));
        let one = core::hint::black_box(vf64([1.0; 2]));
        for op in [f64x2_add, f64x2_sub, f64x2_mul, f64x2_div] {
            assert!(lf64(op(snan, one)).iter().all(|&x| is_arith64(x)));
        }
        assert_eq!(
            f32x4_div(vf32([1.0, -1.0, 0.0, 6.0]), vf32([0.0, 0.0, 1.0, 3.0])),
            vf32([f32::INFINITY, f32::NEG_INFINITY, 0.0, 2.0])
        );
        assert_eq!(
            f64x2_sub(vf64([1.0, 0.0]), vf64([0.5, 0.0])),
            vf64([0.5, 0.0])
        );
    }

    /// `op` against `r` applied to each `f32` lane, bit for bit, except that for the native
    /// operations (`native`) a NaN result may be any arithmetic NaN: which one is the
    /// host's choice (see `num`).
    fn check_f32(op: fn(V128, V128) -> V128, r: fn(f32, f32) -> f32, native: bool) {
        let mut rng = Rng(51);
        for _ in 0..ROUNDS {
            let (a, b) = (rng.fvec(32), rng.fvec(32));
            let got = lf32(op(a, b));
            for (k, (x, y)) in lf32(a).into_iter().zip(lf32(b)).enumerate() {
                let want = r(f32::from_bits(x), f32::from_bits(y));
                if native && want.is_nan() {
                    assert!(is_arith32(got[k]), "{a:02x?} {b:02x?}");
                } else {
                    assert_eq!(got[k], want.to_bits(), "{a:02x?} {b:02x?}");
                }
            }
        }
    }

    /// As [`check_f32`], for `f64` lanes.
    fn check_f64(op: fn(V128, V128) -> V128, r: fn(f64, f64) -> f64, native: bool) {
        let mut rng = Rng(52);
        for _ in 0..ROUNDS {
            let (a, b) = (rng.fvec(64), rng.fvec(64));
            let got = lf64(op(a, b));
            for (k, (x, y)) in lf64(a).into_iter().zip(lf64(b)).enumerate() {
                let want = r(f64::from_bits(x), f64::from_bits(y));
                if native && want.is_nan() {
                    assert!(is_arith64(got[k]), "{a:02x?} {b:02x?}");
                } else {
                    assert_eq!(got[k], want.to_bits(), "{a:02x?} {b:02x?}");
                }
            }
        }
    }

    fn f32b(x: u64) -> f32 {
        f32::from_bits(x as u32)
    }

    /// A comparison against `r` (`1`/`0`) on each lane of `bits` bits.
    fn check_fcmp(bits: usize, op: fn(V128, V128) -> V128, r: fn(u64, u64) -> i32) {
        let mut rng = Rng(53);
        for _ in 0..ROUNDS {
            let (a, b) = (rng.fvec(bits), rng.fvec(bits));
            let lanes: Vec<i128> = (0..128 / bits)
                .map(|i| -i128::from(r(get(a, bits, i) as u64, get(b, bits, i) as u64)))
                .collect();
            assert_eq!(op(a, b), put(&lanes, bits), "{a:02x?} {b:02x?}");
        }
    }

    #[test]
    fn float_lane_ops_against_num() {
        check_f32(f32x4_add, num::f32_add, true);
        check_f32(f32x4_sub, num::f32_sub, true);
        check_f32(f32x4_mul, num::f32_mul, true);
        check_f32(f32x4_div, num::f32_div, true);
        check_f32(f32x4_min, num::f32_min, false);
        check_f32(f32x4_max, num::f32_max, false);
        check_f32(f32x4_pmin, |x, y| if y < x { y } else { x }, false);
        check_f32(f32x4_pmax, |x, y| if x < y { y } else { x }, false);
        check_f64(f64x2_add, num::f64_add, true);
        check_f64(f64x2_sub, num::f64_sub, true);
        check_f64(f64x2_mul, num::f64_mul, true);
        check_f64(f64x2_div, num::f64_div, true);
        check_f64(f64x2_min, num::f64_min, false);
        check_f64(f64x2_max, num::f64_max, false);
        check_f64(f64x2_pmin, |x, y| if y < x { y } else { x }, false);
        check_f64(f64x2_pmax, |x, y| if x < y { y } else { x }, false);
        check_fcmp(32, f32x4_eq, |x, y| num::f32_eq(f32b(x), f32b(y)));
        check_fcmp(32, f32x4_ne, |x, y| num::f32_ne(f32b(x), f32b(y)));
        check_fcmp(32, f32x4_lt, |x, y| num::f32_lt(f32b(x), f32b(y)));
        check_fcmp(32, f32x4_gt, |x, y| num::f32_gt(f32b(x), f32b(y)));
        check_fcmp(32, f32x4_le, |x, y| num::f32_le(f32b(x), f32b(y)));
        check_fcmp(32, f32x4_ge, |x, y| num::f32_ge(f32b(x), f32b(y)));
        check_fcmp(64, f64x2_eq, |x, y| {
            num::f64_eq(f64::from_bits(x), f64::from_bits(y))
        });
        check_fcmp(64, f64x2_ne, |x, y| {
            num::f64_ne(f64::from_bits(x), f64::from_bits(y))
        });
        check_fcmp(64, f64x2_lt, |x, y| {
            num::f64_lt(f64::from_bits(x), f64::from_bits(y))
        });
        check_fcmp(64, f64x2_gt, |x, y| {
            num::f64_gt(f64::from_bits(x), f64::from_bits(y))
        });
        check_fcmp(64, f64x2_le, |x, y| {
            num::f64_le(f64::from_bits(x), f64::from_bits(y))
        });
        check_fcmp(64, f64x2_ge, |x, y| {
            num::f64_ge(f64::from_bits(x), f64::from_bits(y))
        });
    }

    #[test]
    fn float_unary_ops_against_num() {
        let mut rng = Rng(54);
        for _ in 0..ROUNDS {
            let a = rng.fvec(32);
            let x = lf32(a).map(f32::from_bits);
            for (op, r) in [
                (
                    f32x4_ceil as fn(V128) -> V128,
                    num::f32_ceil as fn(f32) -> f32,
                ),
                (f32x4_floor, num::f32_floor),
                (f32x4_trunc, num::f32_trunc),
                (f32x4_nearest, num::f32_nearest),
                (f32x4_sqrt, num::f32_sqrt),
                (f32x4_abs, num::f32_abs),
                (f32x4_neg, num::f32_neg),
            ] {
                assert_eq!(lf32(op(a)), x.map(|v| r(v).to_bits()), "{a:02x?}");
            }
            let a = rng.fvec(64);
            let x = lf64(a).map(f64::from_bits);
            for (op, r) in [
                (
                    f64x2_ceil as fn(V128) -> V128,
                    num::f64_ceil as fn(f64) -> f64,
                ),
                (f64x2_floor, num::f64_floor),
                (f64x2_trunc, num::f64_trunc),
                (f64x2_nearest, num::f64_nearest),
                (f64x2_sqrt, num::f64_sqrt),
                (f64x2_abs, num::f64_abs),
                (f64x2_neg, num::f64_neg),
            ] {
                assert_eq!(lf64(op(a)), x.map(|v| r(v).to_bits()), "{a:02x?}");
            }
        }
    }

    #[test]
    fn float_comparisons_make_full_masks() {
        let nan = f32::NAN;
        let a = vf32([1.0, nan, -0.0, 2.0]);
        let b = vf32([1.0, nan, 0.0, 1.0]);
        assert_eq!(f32x4_eq(a, b), v32([-1, 0, -1, 0]));
        assert_eq!(f32x4_ne(a, b), v32([0, -1, 0, -1]));
        assert_eq!(f32x4_lt(a, b), v32([0, 0, 0, 0]));
        assert_eq!(f32x4_gt(a, b), v32([0, 0, 0, -1]));
        assert_eq!(f32x4_le(a, b), v32([-1, 0, -1, 0]));
        assert_eq!(f32x4_ge(a, b), v32([-1, 0, -1, -1]));
        assert_eq!(
            f64x2_eq(vf64([f64::NAN, 0.0]), vf64([f64::NAN, -0.0])),
            v64([0, -1])
        );
        assert_eq!(
            f64x2_ne(vf64([f64::NAN, 0.0]), vf64([f64::NAN, -0.0])),
            v64([-1, 0])
        );
        assert_eq!(f64x2_lt(vf64([1.0, 2.0]), vf64([2.0, 2.0])), v64([-1, 0]));
        assert_eq!(f64x2_ge(vf64([1.0, 2.0]), vf64([2.0, 2.0])), v64([0, -1]));
    }

    // -----------------------------------------------------------------------------------
    // Conversions.
    // -----------------------------------------------------------------------------------

    #[test]
    fn trunc_sat_nan_infinities_and_range() {
        let a = vf32([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -2.9]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(a), v32([0, i32::MAX, i32::MIN, -2]));
        assert_eq!(i32x4_trunc_sat_f32x4_u(a), v32([0, -1, 0, 0]));
        let b = vf32([2147483648.0, -2147483904.0, 4294967296.0, -0.9]);
        assert_eq!(
            i32x4_trunc_sat_f32x4_s(b),
            v32([i32::MAX, i32::MIN, i32::MAX, 0])
        );
        assert_eq!(i32x4_trunc_sat_f32x4_u(b), v32([i32::MIN, 0, -1, 0])); // 2^31 as u32
        let d = vf64([f64::NAN, 2147483647.9]);
        assert_eq!(i32x4_trunc_sat_f64x2_s_zero(d), v32([0, i32::MAX, 0, 0]));
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(d), v32([0, i32::MAX, 0, 0]));
        let d = vf64([-2147483648.9, 4294967295.9]);
        assert_eq!(
            i32x4_trunc_sat_f64x2_s_zero(d),
            v32([i32::MIN, i32::MAX, 0, 0])
        );
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(d), v32([0, -1, 0, 0]));
        let d = vf64([-1e300, 1e300]);
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(d), v32([0, -1, 0, 0]));
        // Relaxed forms: the deterministic profile's trunc_sat.
        let mut rng = Rng(61);
        for _ in 0..ROUNDS {
            let a = rng.fvec(32);
            assert_eq!(i32x4_relaxed_trunc_f32x4_s(a), i32x4_trunc_sat_f32x4_s(a));
            assert_eq!(i32x4_relaxed_trunc_f32x4_u(a), i32x4_trunc_sat_f32x4_u(a));
            let lanes: Vec<i128> = lf32(a)
                .iter()
                .map(|&x| i128::from(num::i32_trunc_sat_f32_s(f32::from_bits(x))))
                .collect();
            assert_eq!(i32x4_trunc_sat_f32x4_s(a), put(&lanes, 32));
            let d = rng.fvec(64);
            assert_eq!(
                i32x4_relaxed_trunc_f64x2_s_zero(d),
                i32x4_trunc_sat_f64x2_s_zero(d)
            );
            assert_eq!(
                i32x4_relaxed_trunc_f64x2_u_zero(d),
                i32x4_trunc_sat_f64x2_u_zero(d)
            );
            let [x, y] = lf64(d).map(f64::from_bits);
            let lanes = [
                num::i32_trunc_sat_f64_u(x),
                num::i32_trunc_sat_f64_u(y),
                0,
                0,
            ]
            .map(i128::from);
            assert_eq!(i32x4_trunc_sat_f64x2_u_zero(d), put(&lanes, 32));
        }
    }

    #[test]
    fn int_to_float_conversions() {
        let a = v32([-1, i32::MIN, 16777217, i32::MAX]);
        assert_eq!(
            f32x4_convert_i32x4_s(a),
            vf32([-1.0, -2147483648.0, 16777216.0, 2147483648.0])
        );
        assert_eq!(
            f32x4_convert_i32x4_u(a),
            vf32([4294967296.0, 2147483648.0, 16777216.0, 2147483648.0])
        );
        // 16777219 lies halfway between two f32s: ties to even.
        assert_eq!(
            f32x4_convert_i32x4_s(v32([16777219, 0, 0, 0])),
            vf32([16777220.0, 0.0, 0.0, 0.0])
        );
        let a = v32([-1, i32::MIN, 7, 7]);
        assert_eq!(f64x2_convert_low_i32x4_s(a), vf64([-1.0, -2147483648.0]));
        assert_eq!(
            f64x2_convert_low_i32x4_u(a),
            vf64([4294967295.0, 2147483648.0])
        );
        assert_eq!(
            f64x2_convert_low_i32x4_u(v32([-1, 0, 0, 0])),
            vf64([4294967295.0, 0.0])
        );
    }

    #[test]
    fn demote_and_promote() {
        let d = vf64([1.0 / 3.0, 1e300]);
        assert_eq!(
            f32x4_demote_f64x2_zero(d),
            vf32([1.0 / 3.0, f32::INFINITY, 0.0, 0.0])
        );
        assert_eq!(
            lf32(f32x4_demote_f64x2_zero(vf64([-1e-300, -0.0]))),
            [1 << 31, 1 << 31, 0, 0]
        );
        let nan = core::hint::black_box(put(&[i128::from(F64_SNAN), i128::from(F64_CANON)], 64));
        let r = lf32(f32x4_demote_f64x2_zero(nan));
        assert!(is_arith32(r[0]) && r[1] == F32_CANON && r[2] == 0 && r[3] == 0);
        let f = vf32([1.5, -0.0, 99.0, 99.0]);
        assert_eq!(f64x2_promote_low_f32x4(f), vf64([1.5, -0.0]));
        let nan = core::hint::black_box(put(
            &[i128::from(F32_SNAN), i128::from(F32_CANON), 0, 0],
            32,
        ));
        let r = lf64(f64x2_promote_low_f32x4(nan));
        assert!(is_arith64(r[0]) && r[1] == F64_CANON);
    }

    // -----------------------------------------------------------------------------------
    // Relaxed SIMD (deterministic profile).
    // -----------------------------------------------------------------------------------

    #[test]
    fn relaxed_madd_is_unfused() {
        // x = 1 + 2^-22, so x * x = 1 + 2^-21 + 2^-44 is not an f32: rounded first it is
        // 1 + 2^-21, and adding -(1 + 2^-21) gives 0; a fused multiply-add gives 2^-44.
        let x = 1.0 + f32::EPSILON * 2.0;
        let (a, b) = (vf32([x, 1.0, 2.0, -1.0]), vf32([x, f32::NAN, 3.0, 4.0]));
        let c = vf32([-(x * x), 1.0, 1.0, 0.5]);
        let r = lf32(f32x4_relaxed_madd(a, b, c));
        assert_eq!(r[0], 0);
        assert!(f32::from_bits(r[1]).is_nan());
        assert_eq!(r[2..], [7f32.to_bits(), (-3.5f32).to_bits()]);
        let fused = libm::fmaf(x, x, -(x * x));
        assert_ne!(fused, 0.0); // the test does tell fused and unfused apart
        let r = lf32(f32x4_relaxed_nmadd(a, b, vf32([x * x, 1.0, 1.0, 0.5])));
        assert_eq!(r[0], 0);
        assert_eq!(r[2..], [(-5f32).to_bits(), 4.5f32.to_bits()]);
        let y = 1.0 + f64::EPSILON;
        let (a, b) = (vf64([y, 2.0]), vf64([y, 3.0]));
        assert_eq!(
            f64x2_relaxed_madd(a, b, vf64([-(y * y), 1.0])),
            vf64([0.0, 7.0])
        );
        assert_ne!(libm::fma(y, y, -(y * y)), 0.0);
        assert_eq!(
            f64x2_relaxed_nmadd(a, b, vf64([y * y, 1.0])),
            vf64([0.0, -5.0])
        );
        let mut rng = Rng(71);
        for _ in 0..ROUNDS {
            let (a, b, c) = (rng.fvec(32), rng.fvec(32), rng.fvec(32));
            let want = lf32(f32x4_add(f32x4_mul(a, b), c));
            let got = lf32(f32x4_relaxed_madd(a, b, c));
            for k in 0..4 {
                assert!(
                    got[k] == want[k] || (is_arith32(got[k]) && f32::from_bits(want[k]).is_nan())
                );
            }
        }
    }

    #[test]
    fn relaxed_dot_saturates_the_i16_pair_sums() {
        // From relaxed_dot_product.wast.
        let a = v8(core::array::from_fn(|i| i as i8));
        assert_eq!(
            i16x8_relaxed_dot_i8x16_i7x16_s(a, a),
            v16([1, 13, 41, 85, 145, 221, 313, 421])
        );
        let a = v8([-128, -128, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = v8([127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            i16x8_relaxed_dot_i8x16_i7x16_s(a, b),
            v16([-32512, 32258, 0, 0, 0, 0, 0, 0])
        );
        // Second operand outside i7: read as signed (-128 * -127 * 2 = 32512).
        let b = v8([-127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            i16x8_relaxed_dot_i8x16_i7x16_s(a, b),
            v16([32512, 0, 0, 0, 0, 0, 0, 0])
        );
        // -128 * -128 * 2 = 32768 saturates.
        let m = i8x16_splat(0x80);
        assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(m, m), i16x8_splat(0x7fff));
        let c = v32([0, 1, 2, 3]);
        let a = v8(core::array::from_fn(|i| i as i8));
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(a, a, c),
            v32([14, 127, 368, 737])
        );
        let a = v8([
            -128, -128, -128, -128, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        let b = v8([
            127, 127, 127, 127, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, v32([1, 2, 3, 4])),
            v32([-65023, 64518, 3, 4])
        );
        let b = v8([-127, -127, -127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, v32([1, 2, 3, 4])),
            v32([65025, 2, 3, 4])
        );
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, [0; 16]),
            i32x4_splat(65534)
        );
        // The final addition wraps.
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, i32x4_splat(i32::MAX as u64)),
            i32x4_splat((i32::MAX as u32).wrapping_add(65534) as u64)
        );
        let mut rng = Rng(81);
        for _ in 0..ROUNDS {
            let (a, b, c) = (rng.vec(8), rng.vec(8), rng.vec(32));
            let p = |i: usize| sget(a, 8, i) * sget(b, 8, i);
            let dot: Vec<i128> = (0..8)
                .map(|i| (p(2 * i) + p(2 * i + 1)).clamp(-32768, 32767))
                .collect();
            assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(a, b), put(&dot, 16));
            let acc: Vec<i128> = (0..4)
                .map(|i| dot[2 * i] + dot[2 * i + 1] + sget(c, 32, i))
                .collect();
            assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c), put(&acc, 32));
        }
    }
}
