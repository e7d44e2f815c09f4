//! Numeric instruction semantics: WebAssembly core spec 2.0, §4.3 "Numerics".
//!
//! One small pure function per numeric instruction, named after the instruction
//! (`i32.div_s` → [`i32_div_s`], `f64.convert_i64_u` → [`f64_convert_i64_u`]). The list is
//! complete on purpose, trivial one-liners included, so that the interpreter loop never has
//! to re-derive a rule.
//!
//! # Calling conventions
//!
//! - Integers are passed and returned as the *signed* Rust type of their width (`i32`,
//!   `i64`), whatever the signedness of the instruction; `_u` functions reinterpret
//!   internally. A `u32` result such as `i32.trunc_f32_u` is returned as its `i32` bit
//!   pattern.
//! - Floats are passed and returned as `f32` / `f64`. The interpreter holds raw bits, so it
//!   calls e.g. `f32_floor(f32::from_bits(x)).to_bits()`. `from_bits` / `to_bits` are exact
//!   bit copies in Rust (signalling NaNs included), so no payload is lost on the way.
//! - Test and comparison instructions (`eqz`, `eq`, `lt_s`, `f32.lt`, ...) return the wasm
//!   `i32` result, `1` or `0`, for every operand type.
//! - Instructions that can trap return `Result<_, TrapKind>`.
//!
//! # NaNs
//!
//! The spec (§4.3.3) lets an operator that produces a NaN return any *arithmetic* NaN (quiet
//! bit set), and requires a *canonical* NaN (quiet bit only) when every NaN input was
//! canonical or there was no NaN input. Here:
//!
//! - `abs`, `neg`, `copysign` and the `reinterpret`s are bit operations: they never change a
//!   NaN's payload (a signalling NaN stays signalling, as the spec requires).
//! - `add`, `sub`, `mul`, `div`, `demote`, `promote` use the native operation. Rust
//!   guarantees the NaN it produces is quiet: either a fresh canonical NaN or an input NaN
//!   with the quiet bit set (payload truncated/extended by the conversions). Both satisfy the
//!   spec, but the exact bits may differ between hosts.
//! - `ceil`, `floor`, `trunc`, `nearest`, `sqrt`, `min`, `max` return their NaN input (the
//!   first NaN operand, for `min`/`max`) with the quiet bit set: deterministic on every host.
//!   libm's rounding functions would return a signalling NaN unchanged, which the spec
//!   forbids, hence the explicit check.
#![allow(dead_code)] // A complete table of operators; the interpreter may inline some itself.

use crate::exec::TrapKind;

// ---------------------------------------------------------------------------------------------
// Integer operators, i32 (§4.3.2).
// ---------------------------------------------------------------------------------------------

/// `i32.add`: addition modulo 2^32.
#[inline]
pub(crate) fn i32_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `i32.sub`: subtraction modulo 2^32.
#[inline]
pub(crate) fn i32_sub(a: i32, b: i32) -> i32 {
    a.wrapping_sub(b)
}

/// `i32.mul`: multiplication modulo 2^32.
#[inline]
pub(crate) fn i32_mul(a: i32, b: i32) -> i32 {
    a.wrapping_mul(b)
}

/// `i32.div_s`: signed division truncating toward zero. Traps on a zero divisor, and with
/// `IntegerOverflow` on `i32::MIN / -1` (the quotient 2^31 is not representable).
#[inline]
pub(crate) fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(TrapKind::IntegerOverflow)
}

/// `i32.div_u`: unsigned division truncating toward zero. Traps on a zero divisor.
#[inline]
pub(crate) fn i32_div_u(a: i32, b: i32) -> Result<i32, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(((a as u32) / (b as u32)) as i32)
}

/// `i32.rem_s`: signed remainder, sign of the dividend. Traps on a zero divisor;
/// `i32::MIN % -1` is `0` (no trap).
#[inline]
pub(crate) fn i32_rem_s(a: i32, b: i32) -> Result<i32, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i32.rem_u`: unsigned remainder. Traps on a zero divisor.
#[inline]
pub(crate) fn i32_rem_u(a: i32, b: i32) -> Result<i32, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(((a as u32) % (b as u32)) as i32)
}

/// `i32.and`.
#[inline]
pub(crate) fn i32_and(a: i32, b: i32) -> i32 {
    a & b
}

/// `i32.or`.
#[inline]
pub(crate) fn i32_or(a: i32, b: i32) -> i32 {
    a | b
}

/// `i32.xor`.
#[inline]
pub(crate) fn i32_xor(a: i32, b: i32) -> i32 {
    a ^ b
}

/// `i32.shl`: shift left by `b mod 32`.
#[inline]
pub(crate) fn i32_shl(a: i32, b: i32) -> i32 {
    a.wrapping_shl(b as u32) // wrapping_shl masks the count to the bit width.
}

/// `i32.shr_s`: arithmetic shift right by `b mod 32`.
#[inline]
pub(crate) fn i32_shr_s(a: i32, b: i32) -> i32 {
    a.wrapping_shr(b as u32)
}

/// `i32.shr_u`: logical shift right by `b mod 32`.
#[inline]
pub(crate) fn i32_shr_u(a: i32, b: i32) -> i32 {
    (a as u32).wrapping_shr(b as u32) as i32
}

/// `i32.rotl`: rotate left by `b mod 32`.
#[inline]
pub(crate) fn i32_rotl(a: i32, b: i32) -> i32 {
    a.rotate_left(b as u32) // rotate_left reduces the count modulo the bit width.
}

/// `i32.rotr`: rotate right by `b mod 32`.
#[inline]
pub(crate) fn i32_rotr(a: i32, b: i32) -> i32 {
    a.rotate_right(b as u32)
}

/// `i32.clz`: count of leading zero bits (32 for 0).
#[inline]
pub(crate) fn i32_clz(a: i32) -> i32 {
    a.leading_zeros() as i32
}

/// `i32.ctz`: count of trailing zero bits (32 for 0).
#[inline]
pub(crate) fn i32_ctz(a: i32) -> i32 {
    a.trailing_zeros() as i32
}

/// `i32.popcnt`: count of one bits.
#[inline]
pub(crate) fn i32_popcnt(a: i32) -> i32 {
    a.count_ones() as i32
}

/// `i32.eqz`: `1` if `a == 0`, else `0`.
#[inline]
pub(crate) fn i32_eqz(a: i32) -> i32 {
    (a == 0) as i32
}

/// `i32.eq`.
#[inline]
pub(crate) fn i32_eq(a: i32, b: i32) -> i32 {
    (a == b) as i32
}

/// `i32.ne`.
#[inline]
pub(crate) fn i32_ne(a: i32, b: i32) -> i32 {
    (a != b) as i32
}

/// `i32.lt_s`.
#[inline]
pub(crate) fn i32_lt_s(a: i32, b: i32) -> i32 {
    (a < b) as i32
}

/// `i32.lt_u`.
#[inline]
pub(crate) fn i32_lt_u(a: i32, b: i32) -> i32 {
    ((a as u32) < (b as u32)) as i32
}

/// `i32.gt_s`.
#[inline]
pub(crate) fn i32_gt_s(a: i32, b: i32) -> i32 {
    (a > b) as i32
}

/// `i32.gt_u`.
#[inline]
pub(crate) fn i32_gt_u(a: i32, b: i32) -> i32 {
    ((a as u32) > (b as u32)) as i32
}

/// `i32.le_s`.
#[inline]
pub(crate) fn i32_le_s(a: i32, b: i32) -> i32 {
    (a <= b) as i32
}

/// `i32.le_u`.
#[inline]
pub(crate) fn i32_le_u(a: i32, b: i32) -> i32 {
    ((a as u32) <= (b as u32)) as i32
}

/// `i32.ge_s`.
#[inline]
pub(crate) fn i32_ge_s(a: i32, b: i32) -> i32 {
    (a >= b) as i32
}

/// `i32.ge_u`.
#[inline]
pub(crate) fn i32_ge_u(a: i32, b: i32) -> i32 {
    ((a as u32) >= (b as u32)) as i32
}

/// `i32.extend8_s`: sign-extend the low 8 bits.
#[inline]
pub(crate) fn i32_extend8_s(a: i32) -> i32 {
    a as i8 as i32
}

/// `i32.extend16_s`: sign-extend the low 16 bits.
#[inline]
pub(crate) fn i32_extend16_s(a: i32) -> i32 {
    a as i16 as i32
}

// ---------------------------------------------------------------------------------------------
// Integer operators, i64 (§4.3.2). Same rules as i32 at width 64; shift and rotate counts are
// taken modulo 64, and `clz`/`ctz`/`popcnt` return an i64. Tests still return an i32.
// ---------------------------------------------------------------------------------------------

/// `i64.add`: addition modulo 2^64.
#[inline]
pub(crate) fn i64_add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// `i64.sub`: subtraction modulo 2^64.
#[inline]
pub(crate) fn i64_sub(a: i64, b: i64) -> i64 {
    a.wrapping_sub(b)
}

/// `i64.mul`: multiplication modulo 2^64.
#[inline]
pub(crate) fn i64_mul(a: i64, b: i64) -> i64 {
    a.wrapping_mul(b)
}

/// `i64.div_s`: signed division truncating toward zero. Traps on a zero divisor, and with
/// `IntegerOverflow` on `i64::MIN / -1`.
#[inline]
pub(crate) fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(TrapKind::IntegerOverflow)
}

/// `i64.div_u`: unsigned division truncating toward zero. Traps on a zero divisor.
#[inline]
pub(crate) fn i64_div_u(a: i64, b: i64) -> Result<i64, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(((a as u64) / (b as u64)) as i64)
}

/// `i64.rem_s`: signed remainder, sign of the dividend. Traps on a zero divisor;
/// `i64::MIN % -1` is `0` (no trap).
#[inline]
pub(crate) fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i64.rem_u`: unsigned remainder. Traps on a zero divisor.
#[inline]
pub(crate) fn i64_rem_u(a: i64, b: i64) -> Result<i64, TrapKind> {
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(((a as u64) % (b as u64)) as i64)
}

/// `i64.and`.
#[inline]
pub(crate) fn i64_and(a: i64, b: i64) -> i64 {
    a & b
}

/// `i64.or`.
#[inline]
pub(crate) fn i64_or(a: i64, b: i64) -> i64 {
    a | b
}

/// `i64.xor`.
#[inline]
pub(crate) fn i64_xor(a: i64, b: i64) -> i64 {
    a ^ b
}

/// `i64.shl`: shift left by `b mod 64`.
#[inline]
pub(crate) fn i64_shl(a: i64, b: i64) -> i64 {
    // `b as u32` keeps the low 32 bits, which carry `b mod 64`; wrapping_shl masks to 63.
    a.wrapping_shl(b as u32)
}

/// `i64.shr_s`: arithmetic shift right by `b mod 64`.
#[inline]
pub(crate) fn i64_shr_s(a: i64, b: i64) -> i64 {
    a.wrapping_shr(b as u32)
}

/// `i64.shr_u`: logical shift right by `b mod 64`.
#[inline]
pub(crate) fn i64_shr_u(a: i64, b: i64) -> i64 {
    (a as u64).wrapping_shr(b as u32) as i64
}

/// `i64.rotl`: rotate left by `b mod 64`.
#[inline]
pub(crate) fn i64_rotl(a: i64, b: i64) -> i64 {
    a.rotate_left(b as u32) // 2^32 is a multiple of 64, so truncating the count is harmless.
}

/// `i64.rotr`: rotate right by `b mod 64`.
#[inline]
pub(crate) fn i64_rotr(a: i64, b: i64) -> i64 {
    a.rotate_right(b as u32)
}

/// `i64.clz`: count of leading zero bits (64 for 0).
#[inline]
pub(crate) fn i64_clz(a: i64) -> i64 {
    a.leading_zeros() as i64
}

/// `i64.ctz`: count of trailing zero bits (64 for 0).
#[inline]
pub(crate) fn i64_ctz(a: i64) -> i64 {
    a.trailing_zeros() as i64
}

/// `i64.popcnt`: count of one bits.
#[inline]
pub(crate) fn i64_popcnt(a: i64) -> i64 {
    a.count_ones() as i64
}

/// `i64.eqz`: `1` if `a == 0`, else `0` (an i32).
#[inline]
pub(crate) fn i64_eqz(a: i64) -> i32 {
    (a == 0) as i32
}

/// `i64.eq`.
#[inline]
pub(crate) fn i64_eq(a: i64, b: i64) -> i32 {
    (a == b) as i32
}

/// `i64.ne`.
#[inline]
pub(crate) fn i64_ne(a: i64, b: i64) -> i32 {
    (a != b) as i32
}

/// `i64.lt_s`.
#[inline]
pub(crate) fn i64_lt_s(a: i64, b: i64) -> i32 {
    (a < b) as i32
}

/// `i64.lt_u`.
#[inline]
pub(crate) fn i64_lt_u(a: i64, b: i64) -> i32 {
    ((a as u64) < (b as u64)) as i32
}

/// `i64.gt_s`.
#[inline]
pub(crate) fn i64_gt_s(a: i64, b: i64) -> i32 {
    (a > b) as i32
}

/// `i64.gt_u`.
#[inline]
pub(crate) fn i64_gt_u(a: i64, b: i64) -> i32 {
    ((a as u64) > (b as u64)) as i32
}

/// `i64.le_s`.
#[inline]
pub(crate) fn i64_le_s(a: i64, b: i64) -> i32 {
    (a <= b) as i32
}

/// `i64.le_u`.
#[inline]
pub(crate) fn i64_le_u(a: i64, b: i64) -> i32 {
    ((a as u64) <= (b as u64)) as i32
}

/// `i64.ge_s`.
#[inline]
pub(crate) fn i64_ge_s(a: i64, b: i64) -> i32 {
    (a >= b) as i32
}

/// `i64.ge_u`.
#[inline]
pub(crate) fn i64_ge_u(a: i64, b: i64) -> i32 {
    ((a as u64) >= (b as u64)) as i32
}

/// `i64.extend8_s`: sign-extend the low 8 bits.
#[inline]
pub(crate) fn i64_extend8_s(a: i64) -> i64 {
    a as i8 as i64
}

/// `i64.extend16_s`: sign-extend the low 16 bits.
#[inline]
pub(crate) fn i64_extend16_s(a: i64) -> i64 {
    a as i16 as i64
}

/// `i64.extend32_s`: sign-extend the low 32 bits.
#[inline]
pub(crate) fn i64_extend32_s(a: i64) -> i64 {
    a as i32 as i64
}

// ---------------------------------------------------------------------------------------------
// Floating-point operators, f32 (§4.3.3). See the module docs for NaN rules.
// ---------------------------------------------------------------------------------------------

const F32_SIGN: u32 = 0x8000_0000;
const F32_QUIET: u32 = 0x0040_0000;
const F64_SIGN: u64 = 0x8000_0000_0000_0000;
const F64_QUIET: u64 = 0x0008_0000_0000_0000;

/// `x` with the quiet bit set: the spec's arithmetic NaN derived from a NaN input (keeps the
/// sign and payload, so a canonical NaN stays canonical).
#[inline]
fn f32_quiet(x: f32) -> f32 {
    f32::from_bits(x.to_bits() | F32_QUIET)
}

/// `f32.abs`: clear the sign bit. Bitwise, NaN payload untouched.
#[inline]
pub(crate) fn f32_abs(a: f32) -> f32 {
    f32::from_bits(a.to_bits() & !F32_SIGN)
}

/// `f32.neg`: flip the sign bit. Bitwise, NaN payload untouched.
#[inline]
pub(crate) fn f32_neg(a: f32) -> f32 {
    f32::from_bits(a.to_bits() ^ F32_SIGN)
}

/// `f32.copysign`: magnitude bits of `a`, sign bit of `b`. Bitwise, NaN payload untouched;
/// the sign of a NaN `b` counts too.
#[inline]
pub(crate) fn f32_copysign(a: f32, b: f32) -> f32 {
    f32::from_bits((a.to_bits() & !F32_SIGN) | (b.to_bits() & F32_SIGN))
}

/// `f32.ceil`: round toward +∞. Zeros, infinities and integers are returned as is;
/// `ceil(-0.5) = -0.0`.
#[inline]
pub(crate) fn f32_ceil(a: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else {
        libm::ceilf(a)
    }
}

/// `f32.floor`: round toward -∞. `floor(0.5) = +0.0`, `floor(-0.0) = -0.0`.
#[inline]
pub(crate) fn f32_floor(a: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else {
        libm::floorf(a)
    }
}

/// `f32.trunc`: round toward zero, keeping the sign (`trunc(-0.5) = -0.0`).
#[inline]
pub(crate) fn f32_trunc(a: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else {
        libm::truncf(a)
    }
}

/// `f32.nearest`: round to the nearest integer, ties to even, keeping the sign
/// (`nearest(-0.5) = -0.0`, `nearest(2.5) = 2.0`). libm's `rintf` is exactly that (default
/// rounding mode, which Rust never changes).
#[inline]
pub(crate) fn f32_nearest(a: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else {
        libm::rintf(a)
    }
}

/// `f32.sqrt`: correctly rounded square root; `sqrt(-0.0) = -0.0`, negative → NaN.
#[inline]
pub(crate) fn f32_sqrt(a: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else {
        libm::sqrtf(a)
    }
}

/// `f32.add`: IEEE addition, round to nearest even (native).
#[inline]
pub(crate) fn f32_add(a: f32, b: f32) -> f32 {
    a + b
}

/// `f32.sub`: IEEE subtraction (native).
#[inline]
pub(crate) fn f32_sub(a: f32, b: f32) -> f32 {
    a - b
}

/// `f32.mul`: IEEE multiplication (native).
#[inline]
pub(crate) fn f32_mul(a: f32, b: f32) -> f32 {
    a * b
}

/// `f32.div`: IEEE division (native); `x / 0` is ±∞, `0 / 0` is NaN, no trap.
#[inline]
pub(crate) fn f32_div(a: f32, b: f32) -> f32 {
    a / b
}

/// `f32.min`: a NaN operand gives NaN (the first NaN operand, quieted); `min(-0, +0) = -0`;
/// otherwise the smaller operand. Not Rust's `f32::min`, which ignores NaNs.
#[inline]
pub(crate) fn f32_min(a: f32, b: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else if b.is_nan() {
        f32_quiet(b)
    } else if a == 0.0 && b == 0.0 {
        f32::from_bits(a.to_bits() | b.to_bits()) // negative if either is -0
    } else if a < b {
        a
    } else {
        b
    }
}

/// `f32.max`: a NaN operand gives NaN (the first NaN operand, quieted); `max(-0, +0) = +0`;
/// otherwise the larger operand. Not Rust's `f32::max`, which ignores NaNs.
#[inline]
pub(crate) fn f32_max(a: f32, b: f32) -> f32 {
    if a.is_nan() {
        f32_quiet(a)
    } else if b.is_nan() {
        f32_quiet(b)
    } else if a == 0.0 && b == 0.0 {
        f32::from_bits(a.to_bits() & b.to_bits()) // positive if either is +0
    } else if a > b {
        a
    } else {
        b
    }
}

/// `f32.eq`: IEEE equality (NaN ≠ everything, `-0 == +0`).
#[inline]
pub(crate) fn f32_eq(a: f32, b: f32) -> i32 {
    (a == b) as i32
}

/// `f32.ne`: IEEE inequality (`1` if either operand is NaN).
#[inline]
pub(crate) fn f32_ne(a: f32, b: f32) -> i32 {
    (a != b) as i32
}

/// `f32.lt`: `0` if either operand is NaN.
#[inline]
pub(crate) fn f32_lt(a: f32, b: f32) -> i32 {
    (a < b) as i32
}

/// `f32.gt`: `0` if either operand is NaN.
#[inline]
pub(crate) fn f32_gt(a: f32, b: f32) -> i32 {
    (a > b) as i32
}

/// `f32.le`: `0` if either operand is NaN.
#[inline]
pub(crate) fn f32_le(a: f32, b: f32) -> i32 {
    (a <= b) as i32
}

/// `f32.ge`: `0` if either operand is NaN.
#[inline]
pub(crate) fn f32_ge(a: f32, b: f32) -> i32 {
    (a >= b) as i32
}

// ---------------------------------------------------------------------------------------------
// Floating-point operators, f64 (§4.3.3). Same rules as f32.
// ---------------------------------------------------------------------------------------------

/// `x` with the quiet bit set (see [`f32_quiet`]).
#[inline]
fn f64_quiet(x: f64) -> f64 {
    f64::from_bits(x.to_bits() | F64_QUIET)
}

/// `f64.abs`: clear the sign bit. Bitwise, NaN payload untouched.
#[inline]
pub(crate) fn f64_abs(a: f64) -> f64 {
    f64::from_bits(a.to_bits() & !F64_SIGN)
}

/// `f64.neg`: flip the sign bit. Bitwise, NaN payload untouched.
#[inline]
pub(crate) fn f64_neg(a: f64) -> f64 {
    f64::from_bits(a.to_bits() ^ F64_SIGN)
}

/// `f64.copysign`: magnitude bits of `a`, sign bit of `b`. Bitwise, NaN payload untouched.
#[inline]
pub(crate) fn f64_copysign(a: f64, b: f64) -> f64 {
    f64::from_bits((a.to_bits() & !F64_SIGN) | (b.to_bits() & F64_SIGN))
}

/// `f64.ceil`: round toward +∞, keeping the sign of zero results.
#[inline]
pub(crate) fn f64_ceil(a: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else {
        libm::ceil(a)
    }
}

/// `f64.floor`: round toward -∞.
#[inline]
pub(crate) fn f64_floor(a: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else {
        libm::floor(a)
    }
}

/// `f64.trunc`: round toward zero, keeping the sign.
#[inline]
pub(crate) fn f64_trunc(a: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else {
        libm::trunc(a)
    }
}

/// `f64.nearest`: round to the nearest integer, ties to even, keeping the sign.
#[inline]
pub(crate) fn f64_nearest(a: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else {
        libm::rint(a)
    }
}

/// `f64.sqrt`: correctly rounded square root; `sqrt(-0.0) = -0.0`, negative → NaN.
#[inline]
pub(crate) fn f64_sqrt(a: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else {
        libm::sqrt(a)
    }
}

/// `f64.add`: IEEE addition (native).
#[inline]
pub(crate) fn f64_add(a: f64, b: f64) -> f64 {
    a + b
}

/// `f64.sub`: IEEE subtraction (native).
#[inline]
pub(crate) fn f64_sub(a: f64, b: f64) -> f64 {
    a - b
}

/// `f64.mul`: IEEE multiplication (native).
#[inline]
pub(crate) fn f64_mul(a: f64, b: f64) -> f64 {
    a * b
}

/// `f64.div`: IEEE division (native), no trap.
#[inline]
pub(crate) fn f64_div(a: f64, b: f64) -> f64 {
    a / b
}

/// `f64.min`: NaN if either operand is NaN; `min(-0, +0) = -0`.
#[inline]
pub(crate) fn f64_min(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else if b.is_nan() {
        f64_quiet(b)
    } else if a == 0.0 && b == 0.0 {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

/// `f64.max`: NaN if either operand is NaN; `max(-0, +0) = +0`.
#[inline]
pub(crate) fn f64_max(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        f64_quiet(a)
    } else if b.is_nan() {
        f64_quiet(b)
    } else if a == 0.0 && b == 0.0 {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

/// `f64.eq`.
#[inline]
pub(crate) fn f64_eq(a: f64, b: f64) -> i32 {
    (a == b) as i32
}

/// `f64.ne`.
#[inline]
pub(crate) fn f64_ne(a: f64, b: f64) -> i32 {
    (a != b) as i32
}

/// `f64.lt`.
#[inline]
pub(crate) fn f64_lt(a: f64, b: f64) -> i32 {
    (a < b) as i32
}

/// `f64.gt`.
#[inline]
pub(crate) fn f64_gt(a: f64, b: f64) -> i32 {
    (a > b) as i32
}

/// `f64.le`.
#[inline]
pub(crate) fn f64_le(a: f64, b: f64) -> i32 {
    (a <= b) as i32
}

/// `f64.ge`.
#[inline]
pub(crate) fn f64_ge(a: f64, b: f64) -> i32 {
    (a >= b) as i32
}

// ---------------------------------------------------------------------------------------------
// Conversions (§4.3.4).
// ---------------------------------------------------------------------------------------------

/// `i32.wrap_i64`: the low 32 bits.
#[inline]
pub(crate) fn i32_wrap_i64(a: i64) -> i32 {
    a as i32
}

/// `i64.extend_i32_s`: sign extension.
#[inline]
pub(crate) fn i64_extend_i32_s(a: i32) -> i64 {
    a as i64
}

/// `i64.extend_i32_u`: zero extension.
#[inline]
pub(crate) fn i64_extend_i32_u(a: i32) -> i64 {
    a as u32 as i64
}

// Trapping truncations (`trunc_s`/`trunc_u`): NaN traps with `InvalidConversionToInteger`;
// a value whose truncation toward zero lies outside the target range traps with
// `IntegerOverflow` (±∞ included). Each function checks the *open* interval of inputs that
// truncate into range, written with bounds that are exact in the source type:
//
//   signed N bits:   -2^(N-1) - 1 < x < 2^(N-1)
//   unsigned N bits:          -1 < x < 2^N        (so -0.99 → 0 is fine)
//
// When -2^(N-1) - 1 is not representable (f32 for N = 32 and 64, f64 for N = 64), no value
// of the source type lies strictly between it and -2^(N-1), so the lower check is
// `x >= -2^(N-1)` instead. Inside the interval, Rust's `as` truncates toward zero exactly.

/// `i32.trunc_f32_s`: accepts `[-2147483648.0, 2147483648.0)`.
#[inline]
pub(crate) fn i32_trunc_f32_s(a: f32) -> Result<i32, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if (-2147483648.0_f32..2147483648.0_f32).contains(&a) {
        Ok(a as i32)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i32.trunc_f32_u`: accepts `(-1.0, 4294967296.0)`; the result is the u32's bit pattern.
#[inline]
pub(crate) fn i32_trunc_f32_u(a: f32) -> Result<i32, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if a > -1.0_f32 && a < 4294967296.0_f32 {
        Ok(a as u32 as i32)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i32.trunc_f64_s`: accepts `(-2147483649.0, 2147483648.0)`.
#[inline]
pub(crate) fn i32_trunc_f64_s(a: f64) -> Result<i32, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if a > -2147483649.0_f64 && a < 2147483648.0_f64 {
        Ok(a as i32)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i32.trunc_f64_u`: accepts `(-1.0, 4294967296.0)`; the result is the u32's bit pattern.
#[inline]
pub(crate) fn i32_trunc_f64_u(a: f64) -> Result<i32, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if a > -1.0_f64 && a < 4294967296.0_f64 {
        Ok(a as u32 as i32)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i64.trunc_f32_s`: accepts `[-2^63, 2^63)`.
#[inline]
pub(crate) fn i64_trunc_f32_s(a: f32) -> Result<i64, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if (-9223372036854775808.0_f32..9223372036854775808.0_f32).contains(&a) {
        Ok(a as i64)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i64.trunc_f32_u`: accepts `(-1.0, 2^64)`; the result is the u64's bit pattern.
#[inline]
pub(crate) fn i64_trunc_f32_u(a: f32) -> Result<i64, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if a > -1.0_f32 && a < 18446744073709551616.0_f32 {
        Ok(a as u64 as i64)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i64.trunc_f64_s`: accepts `[-2^63, 2^63)`.
#[inline]
pub(crate) fn i64_trunc_f64_s(a: f64) -> Result<i64, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if (-9223372036854775808.0_f64..9223372036854775808.0_f64).contains(&a) {
        Ok(a as i64)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `i64.trunc_f64_u`: accepts `(-1.0, 2^64)`; the result is the u64's bit pattern.
#[inline]
pub(crate) fn i64_trunc_f64_u(a: f64) -> Result<i64, TrapKind> {
    if a.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if a > -1.0_f64 && a < 18446744073709551616.0_f64 {
        Ok(a as u64 as i64)
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

// Saturating truncations (`trunc_sat_s`/`trunc_sat_u`, §4.3.4): NaN → 0, values below the
// range → the minimum, above → the maximum, otherwise truncation toward zero. That is exactly
// Rust's float-to-int `as` cast.

/// `i32.trunc_sat_f32_s`.
#[inline]
pub(crate) fn i32_trunc_sat_f32_s(a: f32) -> i32 {
    a as i32
}

/// `i32.trunc_sat_f32_u`: the result is the u32's bit pattern.
#[inline]
pub(crate) fn i32_trunc_sat_f32_u(a: f32) -> i32 {
    a as u32 as i32
}

/// `i32.trunc_sat_f64_s`.
#[inline]
pub(crate) fn i32_trunc_sat_f64_s(a: f64) -> i32 {
    a as i32
}

/// `i32.trunc_sat_f64_u`: the result is the u32's bit pattern.
#[inline]
pub(crate) fn i32_trunc_sat_f64_u(a: f64) -> i32 {
    a as u32 as i32
}

/// `i64.trunc_sat_f32_s`.
#[inline]
pub(crate) fn i64_trunc_sat_f32_s(a: f32) -> i64 {
    a as i64
}

/// `i64.trunc_sat_f32_u`: the result is the u64's bit pattern.
#[inline]
pub(crate) fn i64_trunc_sat_f32_u(a: f32) -> i64 {
    a as u64 as i64
}

/// `i64.trunc_sat_f64_s`.
#[inline]
pub(crate) fn i64_trunc_sat_f64_s(a: f64) -> i64 {
    a as i64
}

/// `i64.trunc_sat_f64_u`: the result is the u64's bit pattern.
#[inline]
pub(crate) fn i64_trunc_sat_f64_u(a: f64) -> i64 {
    a as u64 as i64
}

// Integer to float (`convert_s`/`convert_u`, §4.3.4): round to nearest, ties to even. Rust's
// int-to-float `as` does exactly that, in one rounding step (an i64 is never routed through
// f64 on its way to f32, which would round twice).

/// `f32.convert_i32_s`.
#[inline]
pub(crate) fn f32_convert_i32_s(a: i32) -> f32 {
    a as f32
}

/// `f32.convert_i32_u`.
#[inline]
pub(crate) fn f32_convert_i32_u(a: i32) -> f32 {
    a as u32 as f32
}

/// `f32.convert_i64_s`.
#[inline]
pub(crate) fn f32_convert_i64_s(a: i64) -> f32 {
    a as f32
}

/// `f32.convert_i64_u`.
#[inline]
pub(crate) fn f32_convert_i64_u(a: i64) -> f32 {
    a as u64 as f32
}

/// `f64.convert_i32_s` (exact).
#[inline]
pub(crate) fn f64_convert_i32_s(a: i32) -> f64 {
    a as f64
}

/// `f64.convert_i32_u` (exact).
#[inline]
pub(crate) fn f64_convert_i32_u(a: i32) -> f64 {
    a as u32 as f64
}

/// `f64.convert_i64_s`.
#[inline]
pub(crate) fn f64_convert_i64_s(a: i64) -> f64 {
    a as f64
}

/// `f64.convert_i64_u`.
#[inline]
pub(crate) fn f64_convert_i64_u(a: i64) -> f64 {
    a as u64 as f64
}

/// `f32.demote_f64`: round to nearest even; values beyond f32's range become ±∞, tiny ones
/// round to a subnormal or ±0. A NaN gives a quiet NaN (canonical for a canonical input).
#[inline]
pub(crate) fn f32_demote_f64(a: f64) -> f32 {
    a as f32
}

/// `f64.promote_f32`: exact. A NaN gives a quiet NaN (canonical for a canonical input).
#[inline]
pub(crate) fn f64_promote_f32(a: f32) -> f64 {
    a as f64
}

/// `i32.reinterpret_f32`: the bits. (On a raw-bits value stack this is a no-op.)
#[inline]
pub(crate) fn i32_reinterpret_f32(a: f32) -> i32 {
    a.to_bits() as i32
}

/// `i64.reinterpret_f64`: the bits.
#[inline]
pub(crate) fn i64_reinterpret_f64(a: f64) -> i64 {
    a.to_bits() as i64
}

/// `f32.reinterpret_i32`: the bits, signalling NaNs included.
#[inline]
pub(crate) fn f32_reinterpret_i32(a: i32) -> f32 {
    f32::from_bits(a as u32)
}

/// `f64.reinterpret_i64`: the bits, signalling NaNs included.
#[inline]
pub(crate) fn f64_reinterpret_i64(a: i64) -> f64 {
    f64::from_bits(a as u64)
}

// ---------------------------------------------------------------------------------------------
// Wide arithmetic (the wide-arithmetic proposal): a 128-bit integer is two `i64`s, its low
// 64 bits first, as on the operand stack. Results are `(low, high)`.
// ---------------------------------------------------------------------------------------------

/// The 128-bit integer whose halves are `lo` and `hi`.
#[inline]
fn join128(lo: i64, hi: i64) -> u128 {
    u128::from(lo as u64) | (u128::from(hi as u64) << 64)
}

/// The halves `(low, high)` of a 128-bit integer.
#[inline]
fn split128(v: u128) -> (i64, i64) {
    (v as u64 as i64, (v >> 64) as u64 as i64)
}

/// `i64.add128`: `(a_lo, a_hi) + (b_lo, b_hi)` modulo 2^128 (the carry out of the low
/// halves goes into the high half; the one out of the high half is lost).
#[inline]
pub(crate) fn i64_add128(a_lo: i64, a_hi: i64, b_lo: i64, b_hi: i64) -> (i64, i64) {
    split128(join128(a_lo, a_hi).wrapping_add(join128(b_lo, b_hi)))
}

/// `i64.sub128`: `(a_lo, a_hi) - (b_lo, b_hi)` modulo 2^128.
#[inline]
pub(crate) fn i64_sub128(a_lo: i64, a_hi: i64, b_lo: i64, b_hi: i64) -> (i64, i64) {
    split128(join128(a_lo, a_hi).wrapping_sub(join128(b_lo, b_hi)))
}

/// `i64.mul_wide_s`: the full 128-bit product of two signed `i64`s (it always fits:
/// `|a * b| <= 2^126`).
#[inline]
pub(crate) fn i64_mul_wide_s(a: i64, b: i64) -> (i64, i64) {
    split128((i128::from(a) * i128::from(b)) as u128)
}

/// `i64.mul_wide_u`: the full 128-bit product of two unsigned `i64`s (it always fits:
/// `a * b < 2^128`).
#[inline]
pub(crate) fn i64_mul_wide_u(a: i64, b: i64) -> (i64, i64) {
    split128(u128::from(a as u64) * u128::from(b as u64))
}

#[cfg(test)]
mod tests {
    //! Tricky cases lifted from the spec scripts (i32/i64, f32/f64, float_misc, conversions).
    use super::*;
    use crate::exec::TrapKind::{IntegerDivideByZero, IntegerOverflow, InvalidConversionToInteger};

    const F32_CANON: u32 = 0x7fc0_0000;
    const F32_SNAN: u32 = 0x7fa0_0000; // nan:0x200000
    const F64_CANON: u64 = 0x7ff8_0000_0000_0000;
    const F64_SNAN: u64 = 0x7ff4_0000_0000_0000; // nan:0x4000000000000

    // Through `black_box`: the interpreter computes on values it cannot know at compile
    // time, so the tests must too. Folded at compile time (the crate is optimised in
    // test builds), `sNaN * 1.0` became the sNaN itself, which no run-time multiply
    // returns.
    fn f32b(bits: u32) -> f32 {
        core::hint::black_box(f32::from_bits(bits))
    }
    fn f64b(bits: u64) -> f64 {
        core::hint::black_box(f64::from_bits(bits))
    }
    /// Spec `nan:arithmetic`: a NaN with the quiet bit set.
    fn is_arith32(x: f32) -> bool {
        x.to_bits() & 0x7fc0_0000 == 0x7fc0_0000
    }
    fn is_arith64(x: f64) -> bool {
        x.to_bits() & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
    }
    /// Spec `nan:canonical`: quiet bit only, either sign.
    fn is_canon32(x: f32) -> bool {
        x.to_bits() & 0x7fff_ffff == F32_CANON
    }
    fn is_canon64(x: f64) -> bool {
        x.to_bits() & 0x7fff_ffff_ffff_ffff == F64_CANON
    }

    #[test]
    fn div_rem_traps_and_overflow() {
        assert_eq!(i32_div_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_div_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_rem_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_rem_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(IntegerOverflow));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_div_s(-7, 2), Ok(-3));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
        assert_eq!(i32_rem_s(7, -2), Ok(1));
        assert_eq!(i32_div_u(i32::MIN, 2), Ok(0x4000_0000));
        assert_eq!(i32_div_u(-1, -1), Ok(1));
        assert_eq!(i32_div_u(-5, 2), Ok(0x7fff_fffd));
        assert_eq!(i32_rem_u(-5, 2), Ok(1));
        assert_eq!(i32_rem_u(i32::MIN, -1), Ok(i32::MIN));

        assert_eq!(i64_div_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_div_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_rem_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_rem_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(IntegerOverflow));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_div_s(-7, 2), Ok(-3));
        assert_eq!(i64_rem_s(-7, 2), Ok(-1));
        assert_eq!(i64_div_u(i64::MIN, 2), Ok(0x4000_0000_0000_0000));
        assert_eq!(i64_div_u(-5, 2), Ok(0x7fff_ffff_ffff_fffd));
        assert_eq!(i64_rem_u(-5, 2), Ok(1));
    }

    #[test]
    fn shifts_and_rotates_take_count_mod_width() {
        assert_eq!(i32_shl(1, 32), 1);
        assert_eq!(i32_shl(1, 33), 2);
        assert_eq!(i32_shl(1, -1), i32::MIN);
        assert_eq!(i32_shr_s(i32::MIN, 32), i32::MIN);
        assert_eq!(i32_shr_s(i32::MIN, 63), -1);
        assert_eq!(i32_shr_u(-1, 32), -1);
        assert_eq!(i32_shr_u(-1, 33), 0x7fff_ffff);
        assert_eq!(i32_shr_u(i32::MIN, -1), 1);
        assert_eq!(i32_rotl(0xabcd_9876_u32 as i32, 1), 0x579b_30ed);
        assert_eq!(i32_rotl(0x0000_8000, 37), 0x0010_0000);
        assert_eq!(i32_rotl(0x769a_bcdf, 0xffff_ffed_u32 as i32), 0x579b_eed3);
        assert_eq!(i32_rotr(0xb0c1_d2e3_u32 as i32, 0xff05), 0x1d86_0e97);
        assert_eq!(
            i32_rotr(0x769a_bcdf, 0x8000_000d_u32 as i32),
            0xe6fb_b4d5_u32 as i32
        );

        assert_eq!(i64_shl(1, 64), 1);
        assert_eq!(i64_shl(1, 65), 2);
        assert_eq!(i64_shl(1, 0x1_0000_0001), 2);
        assert_eq!(i64_shl(1, -1), i64::MIN);
        assert_eq!(i64_shr_s(i64::MIN, 127), -1);
        assert_eq!(i64_shr_u(-1, 64), -1);
        assert_eq!(i64_shr_u(-1, 65), i64::MAX);
        assert_eq!(i64_rotl(1, 64), 1);
        assert_eq!(i64_rotl(1, 63 + 0x1_0000_0000), i64::MIN);
        assert_eq!(
            i64_rotl(
                0xabcd_7294_ef56_7809_u64 as i64,
                0xffff_ffff_ffff_ffed_u64 as i64
            ),
            0xcf01_3579_ae52_9dea_u64 as i64
        );
        assert_eq!(
            i64_rotl(
                0xabd1_234e_f567_809c_u64 as i64,
                0x8000_0000_0000_003f_u64 as i64
            ),
            0x55e8_91a7_7ab3_c04e
        );
        assert_eq!(
            i64_rotr(0xabcd_1234_ef56_7809_u64 as i64, 0xf5),
            0x6891_a77a_b3c0_4d5e
        );
        assert_eq!(
            i64_rotr(
                0xabcd_7294_ef56_7809_u64 as i64,
                0xffff_ffff_ffff_ffed_u64 as i64
            ),
            0x94a7_7ab3_c04d_5e6b_u64 as i64
        );
    }

    #[test]
    fn bit_counts_tests_and_sign_extension() {
        assert_eq!(i32_clz(0), 32);
        assert_eq!(i32_ctz(0), 32);
        assert_eq!(i32_clz(i32::MIN), 0);
        assert_eq!(i32_ctz(i32::MIN), 31);
        assert_eq!(i32_popcnt(-1), 32);
        assert_eq!(i64_clz(0), 64);
        assert_eq!(i64_ctz(0), 64);
        assert_eq!(i64_clz(1), 63);
        assert_eq!(i64_popcnt(-1), 64);
        assert_eq!(i64_popcnt(0x00aa_aa00_0000_0000), 8);
        assert_eq!((i32_eqz(0), i32_eqz(i32::MIN)), (1, 0));
        assert_eq!((i64_eqz(0), i64_eqz(i64::MIN)), (1, 0));
        assert_eq!(i32_lt_u(1, -1), 1);
        assert_eq!(i32_lt_s(1, -1), 0);
        assert_eq!(i64_ge_u(-1, 1), 1);
        assert_eq!(i64_ge_s(-1, 1), 0);

        assert_eq!(i32_extend8_s(0x7f), 127);
        assert_eq!(i32_extend8_s(0x80), -128);
        assert_eq!(i32_extend8_s(0x0123_4580), -128);
        assert_eq!(i32_extend16_s(0x8000), -32768);
        assert_eq!(i32_extend16_s(0x7fff), 32767);
        assert_eq!(i64_extend8_s(0x0123_4567_89ab_cd80), -128);
        assert_eq!(i64_extend16_s(0x0123_4567_89ab_8000), -32768);
        assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
        assert_eq!(i64_extend32_s(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(i64_extend32_s(0x1_0000_0000), 0);
    }

    #[test]
    fn abs_neg_copysign_are_bitwise() {
        assert_eq!(f32_neg(f32b(F32_SNAN)).to_bits(), 0xffa0_0000);
        assert_eq!(f32_abs(f32b(0xffa0_0000)).to_bits(), F32_SNAN);
        assert_eq!(f32_neg(0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_copysign(f32b(F32_SNAN), -0.0).to_bits(), 0xffa0_0000);
        assert_eq!(f32_copysign(1.0, f32b(0xffc0_0000)), -1.0);
        assert_eq!(f32_copysign(-1.0, f32b(F32_CANON)), 1.0);
        assert_eq!(f32_copysign(f32b(0xffc0_0000), 1.0).to_bits(), F32_CANON);

        assert_eq!(f64_neg(f64b(F64_SNAN)).to_bits(), 0xfff4_0000_0000_0000);
        assert_eq!(f64_abs(f64b(0xfff4_0000_0000_0000)).to_bits(), F64_SNAN);
        assert_eq!(
            f64_copysign(f64b(F64_SNAN), -1.0).to_bits(),
            0xfff4_0000_0000_0000
        );
        assert_eq!(f64_copysign(2.0, f64b(0xfff8_0000_0000_0000)), -2.0);
        assert_eq!(f64_copysign(-0.0, 0.0).to_bits(), 0);
    }

    #[test]
    fn nearest_rounds_half_to_even_keeping_sign() {
        let cases32: [(f32, f32); 12] = [
            (0.5, 0.0),
            (1.5, 2.0),
            (2.5, 2.0),
            (-2.5, -2.0),
            (-3.5, -4.0),
            (4.5, 4.0),
            (-4.5, -4.0),
            (8388607.5, 8388608.0),                 // 0x1.fffffep+22
            (-8388607.5, -8388608.0),               // -0x1.fffffep+22
            (f32b(0x3eff_ffff), 0.0),               // 0x1.fffffep-2
            (f32b(0x4b00_0001), f32b(0x4b00_0001)), // 0x1.000002p+23, already integral
            (f32::INFINITY, f32::INFINITY),
        ];
        for (x, r) in cases32 {
            assert_eq!(f32_nearest(x).to_bits(), r.to_bits(), "nearest({x})");
        }
        assert_eq!(f32_nearest(-0.5).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(f32_nearest(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(f32_nearest(f32b(0x8000_0001)).to_bits(), 0x8000_0000); // -0x1p-149

        let cases64: [(f64, f64); 8] = [
            (0.5, 0.0),
            (2.5, 2.0),
            (-3.5, -4.0),
            (4.5, 4.0),
            (4503599627370495.5, 4503599627370496.0), // 0x1.fffffffffffffp+51
            (-4503599627370495.5, -4503599627370496.0),
            (f64b(0x4330_0000_0000_0001), f64b(0x4330_0000_0000_0001)),
            (f64::NEG_INFINITY, f64::NEG_INFINITY),
        ];
        for (x, r) in cases64 {
            assert_eq!(f64_nearest(x).to_bits(), r.to_bits(), "nearest({x})");
        }
        assert_eq!(f64_nearest(-0.5).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(
            f64_nearest(f64b(0x8000_0000_0000_0001)).to_bits(),
            0x8000_0000_0000_0000
        );
    }

    #[test]
    fn ceil_floor_trunc_signs_of_zero() {
        assert_eq!(f32_ceil(-0.5).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(f32_ceil(f32b(1)), 1.0); // 0x1p-149
        assert_eq!(f32_floor(0.5).to_bits(), 0);
        assert_eq!(f32_floor(-0.5), -1.0);
        assert_eq!(f32_floor(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(f32_floor(f32b(0x8000_0001)), -1.0);
        assert_eq!(f32_trunc(-0.5).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(f32_trunc(-1.5), -1.0);
        assert_eq!(f32_ceil(f32::NEG_INFINITY), f32::NEG_INFINITY);
        assert_eq!(f32_floor(f32::MAX), f32::MAX);

        assert_eq!(f64_ceil(-0.5).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(f64_ceil(f64b(1)), 1.0);
        assert_eq!(f64_floor(-0.5), -1.0);
        assert_eq!(f64_floor(f64b(0x8000_0000_0000_0001)), -1.0);
        assert_eq!(f64_trunc(-0.5).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(f64_trunc(1e300), 1e300);
    }

    #[test]
    fn unary_rounding_and_sqrt_quiet_nans() {
        let unary32: [fn(f32) -> f32; 5] = [f32_ceil, f32_floor, f32_trunc, f32_nearest, f32_sqrt];
        for op in unary32 {
            assert_eq!(op(f32b(F32_CANON)).to_bits(), F32_CANON);
            assert_eq!(op(f32b(0xffc0_0000)).to_bits(), 0xffc0_0000);
            assert_eq!(op(f32b(F32_SNAN)).to_bits(), 0x7fe0_0000);
            assert_eq!(op(f32b(0xffa0_0000)).to_bits(), 0xffe0_0000);
            assert!(is_arith32(op(f32b(0x7f80_0001))));
        }
        let unary64: [fn(f64) -> f64; 5] = [f64_ceil, f64_floor, f64_trunc, f64_nearest, f64_sqrt];
        for op in unary64 {
            assert_eq!(op(f64b(F64_CANON)).to_bits(), F64_CANON);
            assert_eq!(op(f64b(F64_SNAN)).to_bits(), 0x7ffc_0000_0000_0000);
            assert!(is_arith64(op(f64b(0xfff0_0000_0000_0001))));
        }
    }

    #[test]
    fn sqrt_is_correctly_rounded() {
        assert_eq!(f32_sqrt(-0.0).to_bits(), 0x8000_0000);
        assert!(is_canon32(f32_sqrt(-1.0)));
        assert!(is_canon32(f32_sqrt(f32::NEG_INFINITY)));
        assert_eq!(f32_sqrt(f32::INFINITY), f32::INFINITY);
        assert_eq!(f32_sqrt(f32b(0x432b_0000)).to_bits(), 0x4151_3a26); // 0x1.56p+7
        assert_eq!(f32_sqrt(f32b(0x3f80_0001)).to_bits(), 0x3f80_0000); // 0x1.000002p+0
        assert_eq!(f32_sqrt(f32b(0x3f80_0002)).to_bits(), 0x3f80_0001);
        assert_eq!(f32_sqrt(f32b(0x3f7f_fffe)).to_bits(), 0x3f7f_ffff);
        assert_eq!(f64_sqrt(-0.0).to_bits(), 0x8000_0000_0000_0000);
        assert!(is_canon64(f64_sqrt(-1.0)));
        assert_eq!(
            f64_sqrt(f64b(0x4065_6000_0000_0000)).to_bits(),
            0x402a_2744_ce96_74f5
        );
        assert_eq!(
            f64_sqrt(f64b(0x3ff0_0000_0000_0001)).to_bits(),
            0x3ff0_0000_0000_0000
        );
        assert_eq!(
            f64_sqrt(f64b(0x3ff0_0000_0000_0002)).to_bits(),
            0x3ff0_0000_0000_0001
        );
    }

    #[test]
    fn min_max_signed_zeros_and_nans() {
        assert_eq!(f32_min(-0.0, 0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_min(0.0, -0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_max(0.0, -0.0).to_bits(), 0);
        assert_eq!(f32_min(-0.0, -0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_max(0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_min(1.0, 2.0), 1.0);
        assert_eq!(f32_max(1.0, 2.0), 2.0);
        assert_eq!(f32_min(f32::NEG_INFINITY, f32::MIN), f32::NEG_INFINITY);
        assert_eq!(f32_max(f32::INFINITY, f32::MAX), f32::INFINITY);
        assert!(is_canon32(f32_min(f32b(F32_CANON), 1.0)));
        assert!(is_canon32(f32_max(1.0, f32b(0xffc0_0000))));
        assert!(is_canon32(f32_min(f32b(0xffc0_0000), f32b(F32_CANON))));
        assert!(is_arith32(f32_min(-0.0, f32b(F32_SNAN))));
        assert!(is_arith32(f32_max(f32b(0xffa0_0000), f32::INFINITY)));

        assert_eq!(f64_min(-0.0, 0.0).to_bits(), 0x8000_0000_0000_0000);
        assert_eq!(f64_min(0.0, -0.0).to_bits(), 0x8000_0000_0000_0000);
        assert_eq!(f64_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f64_max(0.0, -0.0).to_bits(), 0);
        assert_eq!(f64_min(-1.0, 1.0), -1.0);
        assert!(is_canon64(f64_min(1.0, f64b(F64_CANON))));
        assert!(is_arith64(f64_max(f64b(F64_SNAN), 0.0)));
        assert!(is_arith64(f64_min(0.0, f64b(0xfff4_0000_0000_0000))));
    }

    #[test]
    fn comparisons_follow_ieee() {
        let nan = f32b(F32_CANON);
        assert_eq!(f32_eq(nan, nan), 0);
        assert_eq!(f32_ne(nan, nan), 1);
        assert_eq!(f32_lt(nan, 0.0), 0);
        assert_eq!(f32_ge(nan, 0.0), 0);
        assert_eq!(f32_le(0.0, f32b(F32_SNAN)), 0);
        assert_eq!(f32_eq(-0.0, 0.0), 1);
        assert_eq!(f32_lt(-0.0, 0.0), 0);
        assert_eq!(f32_ge(f32::INFINITY, f32::INFINITY), 1);
        assert_eq!(f32_gt(f32b(1), 0.0), 1);
        let nan = f64b(F64_SNAN);
        assert_eq!(f64_eq(nan, nan), 0);
        assert_eq!(f64_ne(nan, 1.0), 1);
        assert_eq!(f64_gt(nan, f64::NEG_INFINITY), 0);
        assert_eq!(f64_le(-0.0, 0.0), 1);
        assert_eq!(f64_lt(f64::NEG_INFINITY, f64::MIN), 1);
    }

    #[test]
    fn trapping_truncation_boundaries() {
        let nans32 = [F32_CANON, F32_SNAN, 0xffc0_0000, 0xffa0_0000].map(f32b);
        let nans64 = [F64_CANON, F64_SNAN, 0xfff8_0000_0000_0000].map(f64b);
        for x in nans32 {
            assert_eq!(i32_trunc_f32_s(x), Err(InvalidConversionToInteger));
            assert_eq!(i32_trunc_f32_u(x), Err(InvalidConversionToInteger));
            assert_eq!(i64_trunc_f32_s(x), Err(InvalidConversionToInteger));
            assert_eq!(i64_trunc_f32_u(x), Err(InvalidConversionToInteger));
        }
        for x in nans64 {
            assert_eq!(i32_trunc_f64_s(x), Err(InvalidConversionToInteger));
            assert_eq!(i32_trunc_f64_u(x), Err(InvalidConversionToInteger));
            assert_eq!(i64_trunc_f64_s(x), Err(InvalidConversionToInteger));
            assert_eq!(i64_trunc_f64_u(x), Err(InvalidConversionToInteger));
        }

        // i32 ← f32, signed
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(2147483520.0), Ok(2147483520));
        assert_eq!(i32_trunc_f32_s(2147483648.0), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f32_s(-2147483904.0), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f32_s(f32::INFINITY), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f32_s(f32::NEG_INFINITY), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
        assert_eq!(i32_trunc_f32_s(f32b(0x8000_0001)), Ok(0));
        // i32 ← f32, unsigned
        assert_eq!(i32_trunc_f32_u(2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_u(4294967040.0), Ok(-256));
        assert_eq!(i32_trunc_f32_u(f32b(0xbf7f_ffff)), Ok(0)); // -0x1.fffffep-1
        assert_eq!(i32_trunc_f32_u(-0.0), Ok(0));
        assert_eq!(i32_trunc_f32_u(4294967296.0), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f32_u(-1.0), Err(IntegerOverflow));
        // i32 ← f64, signed
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(2147483647.9), Ok(i32::MAX));
        assert_eq!(i32_trunc_f64_s(2147483648.0), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f64_s(-2147483649.0), Err(IntegerOverflow));
        // i32 ← f64, unsigned
        assert_eq!(i32_trunc_f64_u(-0.99999), Ok(0));
        assert_eq!(i32_trunc_f64_u(f64b(0xbfef_ffff_ffff_ffff)), Ok(0)); // -0x1.fffffffffffffp-1
        assert_eq!(i32_trunc_f64_u(4294967295.9), Ok(4294967295_u32 as i32));
        assert_eq!(i32_trunc_f64_u(1e8), Ok(100_000_000));
        assert_eq!(i32_trunc_f64_u(4294967296.0), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f64_u(-1.0), Err(IntegerOverflow));
        assert_eq!(i32_trunc_f64_u(9223372036854775808.0), Err(IntegerOverflow));
        // i64 ← f32
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(
            i64_trunc_f32_s(9223371487098961920.0),
            Ok(9223371487098961920)
        );
        assert_eq!(i64_trunc_f32_s(9223372036854775808.0), Err(IntegerOverflow));
        assert_eq!(
            i64_trunc_f32_s(-9223373136366403584.0),
            Err(IntegerOverflow)
        );
        assert_eq!(i64_trunc_f32_u(18446742974197923840.0), Ok(-1099511627776));
        assert_eq!(i64_trunc_f32_u(f32b(0xbf7f_ffff)), Ok(0));
        assert_eq!(
            i64_trunc_f32_u(18446744073709551616.0),
            Err(IntegerOverflow)
        );
        assert_eq!(i64_trunc_f32_u(-1.0), Err(IntegerOverflow));
        // i64 ← f64
        assert_eq!(i64_trunc_f64_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(
            i64_trunc_f64_s(9223372036854774784.0),
            Ok(9223372036854774784)
        );
        assert_eq!(i64_trunc_f64_s(9223372036854775808.0), Err(IntegerOverflow));
        assert_eq!(
            i64_trunc_f64_s(-9223372036854777856.0),
            Err(IntegerOverflow)
        );
        assert_eq!(i64_trunc_f64_u(18446744073709549568.0), Ok(-2048));
        assert_eq!(i64_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(
            i64_trunc_f64_u(18446744073709551616.0),
            Err(IntegerOverflow)
        );
        assert_eq!(i64_trunc_f64_u(-1.0), Err(IntegerOverflow));
        assert_eq!(i64_trunc_f64_u(f64::INFINITY), Err(IntegerOverflow));
    }

    #[test]
    fn saturating_truncation() {
        assert_eq!(i32_trunc_sat_f32_s(f32b(F32_SNAN)), 0);
        assert_eq!(i32_trunc_sat_f32_s(2147483648.0), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f32::NEG_INFINITY), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);
        assert_eq!(i32_trunc_sat_f32_u(f32b(0xbf7f_ffff)), 0);
        assert_eq!(i32_trunc_sat_f32_u(4294967296.0), -1);
        assert_eq!(i32_trunc_sat_f64_s(-2147483649.0), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_s(-2147483648.9), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_u(4294967295.9), -1);
        assert_eq!(i32_trunc_sat_f64_u(f64b(F64_CANON)), 0);
        assert_eq!(i64_trunc_sat_f32_s(f32::INFINITY), i64::MAX);
        assert_eq!(i64_trunc_sat_f32_u(1e30), -1);
        assert_eq!(i64_trunc_sat_f32_u(-1e30), 0);
        assert_eq!(i64_trunc_sat_f64_s(-9223372036854777856.0), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_s(f64b(0xfff8_0000_0000_0000)), 0);
        assert_eq!(i64_trunc_sat_f64_u(18446744073709549568.0), -2048);
    }

    #[test]
    fn int_to_float_rounds_once_to_nearest_even() {
        // 2^53 + 2^29 + 1: just above the f32 halfway point; rounding through f64 first
        // would land exactly on the tie and round down.
        assert_eq!(f32_convert_i64_s(9007199791611905), 9007200328482816.0);
        assert_eq!(f32_convert_i64_u(9007199791611905), 9007200328482816.0);
        assert_eq!(f32_convert_i64_s(-9007199791611905), -9007200328482816.0);
        assert_eq!(f32_convert_i32_s(16777217), 16777216.0);
        assert_eq!(f32_convert_i32_s(16777219), 16777220.0);
        assert_eq!(f32_convert_i32_u(-1), 4294967296.0);
        assert_eq!(f32_convert_i32_u(i32::MIN), 2147483648.0);
        assert_eq!(
            f32_convert_i64_s(0x7fff_ff40_0000_0001).to_bits(),
            0x5eff_ffff
        );
        assert_eq!(
            f32_convert_i64_s(0x8000_0040_0000_0001_u64 as i64).to_bits(),
            0xdeff_ffff
        );
        assert_eq!(
            f32_convert_i64_s(0x0020_0000_2000_0001).to_bits(),
            0x5a00_0001
        );
        assert_eq!(f32_convert_i64_u(-1), 18446744073709551616.0);
        assert_eq!(
            f32_convert_i64_u(0x8000_0080_0000_0001_u64 as i64).to_bits(),
            0x5f00_0001
        );
        assert_eq!(
            f32_convert_i64_u(0xffff_fe80_0000_0001_u64 as i64).to_bits(),
            0x5f7f_ffff
        );
        assert_eq!(f64_convert_i32_u(-1), 4294967295.0);
        assert_eq!(f64_convert_i64_s(9007199254740993), 9007199254740992.0);
        assert_eq!(f64_convert_i64_s(-9007199254740995), -9007199254740996.0);
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0401_u64 as i64).to_bits(),
            0x43e0_0000_0000_0001
        );
        assert_eq!(
            f64_convert_i64_u(0xffff_ffff_ffff_f401_u64 as i64).to_bits(),
            0x43ef_ffff_ffff_ffff
        );
        assert_eq!(f64_convert_i64_u(-1), 18446744073709551616.0);
    }

    #[test]
    fn demote_rounding_overflow_and_nans() {
        let cases: [(u64, u32); 16] = [
            (0x47ef_ffff_f000_0000, 0x7f80_0000), // 0x1.ffffffp+127 → inf
            (0xc7ef_ffff_f000_0000, 0xff80_0000), // → -inf
            (0x47ef_ffff_efff_ffff, 0x7f7f_ffff), // just below the overflow tie → f32::MAX
            (0x47ef_ffff_d000_0000, 0x7f7f_fffe), // tie → even
            (0x47ef_ffff_d000_0001, 0x7f7f_ffff),
            (0x3ff0_0000_1000_0000, 0x3f80_0000), // 0x1.0000010p+0, tie → even (1.0)
            (0x3ff0_0000_1000_0001, 0x3f80_0001),
            (0x3ff0_0000_3000_0000, 0x3f80_0002), // tie → even (up)
            (0x380f_ffff_e000_0000, 0x0080_0000), // rounds up to the smallest normal
            (0x380f_ffff_dfff_ffff, 0x007f_ffff), // largest subnormal
            (0x3690_0000_0000_0000, 0x0000_0000), // 0x1p-150: tie → +0
            (0xb690_0000_0000_0000, 0x8000_0000), // → -0
            (0x3690_0000_0000_0001, 0x0000_0001), // just above → 0x1p-149
            (0x0000_0000_0000_0001, 0x0000_0000), // f64 subnormal → +0
            (0x46b4_eae4_f702_4c70, 0x75a7_5728),
            (0x7ff0_0000_0000_0000, 0x7f80_0000),
        ];
        for (x, r) in cases {
            assert_eq!(f32_demote_f64(f64b(x)).to_bits(), r, "demote({x:#x})");
        }
        assert!(is_canon32(f32_demote_f64(f64b(F64_CANON))));
        assert!(is_canon32(f32_demote_f64(f64b(0xfff8_0000_0000_0000))));
        assert!(is_arith32(f32_demote_f64(f64b(F64_SNAN))));
        assert!(is_arith32(f32_demote_f64(f64b(0x7ff0_0000_0000_0001))));
    }

    #[test]
    fn promote_is_exact_and_quiets_nans() {
        assert_eq!(f64_promote_f32(f32b(1)), 1.401298464324817e-45); // 0x1p-149
        assert_eq!(f64_promote_f32(-0.0).to_bits(), 0x8000_0000_0000_0000);
        assert_eq!(f64_promote_f32(f32::MAX), f32::MAX as f64);
        assert_eq!(f64_promote_f32(f32::NEG_INFINITY), f64::NEG_INFINITY);
        assert!(is_canon64(f64_promote_f32(f32b(F32_CANON))));
        assert!(is_canon64(f64_promote_f32(f32b(0xffc0_0000))));
        assert!(is_arith64(f64_promote_f32(f32b(F32_SNAN))));
        assert!(is_arith64(f64_promote_f32(f32b(0xff80_0001))));
    }

    #[test]
    fn wrap_extend_reinterpret() {
        assert_eq!(i32_wrap_i64(0x1_0000_0001), 1);
        assert_eq!(i32_wrap_i64(-1), -1);
        assert_eq!(i32_wrap_i64(0xfe_0000_0000), 0);
        assert_eq!(i64_extend_i32_s(-1), -1);
        assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
        assert_eq!(i64_extend_i32_u(i32::MIN), 0x8000_0000);
        assert_eq!(
            i32_reinterpret_f32(f32_reinterpret_i32(0x7fa0_0000)),
            0x7fa0_0000
        );
        assert_eq!(i32_reinterpret_f32(-0.0), i32::MIN);
        assert_eq!(f32_reinterpret_i32(0x3f80_0000), 1.0);
        assert_eq!(
            i64_reinterpret_f64(f64_reinterpret_i64(0x7ff4_0000_0000_0001)),
            0x7ff4_0000_0000_0001
        );
        assert_eq!(i64_reinterpret_f64(1.0), 0x3ff0_0000_0000_0000);
    }

    #[test]
    fn arithmetic_is_ieee() {
        assert_eq!(f32_add(f32b(1), f32b(1)).to_bits(), 2);
        assert_eq!(f32_add(-0.0, -0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_add(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_sub(0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_div(1.0, -0.0), f32::NEG_INFINITY);
        assert!(is_canon32(f32_div(0.0, 0.0)));
        assert!(is_canon32(f32_sub(f32::INFINITY, f32::INFINITY)));
        assert!(is_arith32(f32_mul(
            f32b(F32_SNAN),
            core::hint::black_box(1.0)
        )));
        assert_eq!(f32_mul(f32::MAX, 2.0), f32::INFINITY);
        assert_eq!(f64_add(0.1, 0.2), 0.30000000000000004);
        assert_eq!(f64_mul(-0.0, 1.0).to_bits(), 0x8000_0000_0000_0000);
        assert!(is_canon64(f64_mul(0.0, f64::INFINITY)));
        assert!(is_arith64(f64_div(
            f64b(F64_SNAN),
            core::hint::black_box(1.0)
        )));
        assert_eq!(i32_add(i32::MAX, 1), i32::MIN);
        assert_eq!(i32_mul(0x1234_5678, 0x1_0000), 0x5678_0000);
        assert_eq!(i64_sub(i64::MIN, 1), i64::MAX);
        assert_eq!(i64_mul(i64::MIN, -1), i64::MIN);
    }

    #[test]
    fn add128_and_sub128_carry_between_halves_and_wrap() {
        const M: i64 = -1; // all ones: u64::MAX
        // The carry out of the low half goes into the high half.
        assert_eq!(i64_add128(M, 0, 1, 0), (0, 1));
        assert_eq!(i64_add128(M, 5, M, 7), (-2, 13));
        // A carry into the high half's sign bit, and out of 128 bits (lost).
        assert_eq!(i64_add128(M, i64::MAX, 1, 0), (0, i64::MIN));
        assert_eq!(i64_add128(M, M, 1, 0), (0, 0));
        assert_eq!(i64_add128(0, i64::MIN, 0, i64::MIN), (0, 0));
        // No carry: the halves add on their own.
        assert_eq!(i64_add128(1, 2, 3, 4), (4, 6));
        // The borrow out of the low half comes from the high half.
        assert_eq!(i64_sub128(0, 1, 1, 0), (M, 0));
        assert_eq!(i64_sub128(0, 0, 1, 0), (M, M));
        assert_eq!(i64_sub128(0, i64::MIN, 1, 0), (M, i64::MAX));
        assert_eq!(i64_sub128(0, 0, 0, 1), (0, M));
        assert_eq!(i64_sub128(5, 9, 3, 4), (2, 5));
        // x - x = 0, and (x + y) - y = x.
        assert_eq!(i64_sub128(M, i64::MIN, M, i64::MIN), (0, 0));
        let (lo, hi) = i64_add128(0x1234, M, M, 0x77);
        assert_eq!(i64_sub128(lo, hi, M, 0x77), (0x1234, M));
    }

    #[test]
    fn mul_wide_signed_and_unsigned() {
        const M: i64 = -1;
        assert_eq!(i64_mul_wide_s(0, 0), (0, 0));
        assert_eq!(i64_mul_wide_s(M, M), (1, 0));
        assert_eq!(i64_mul_wide_s(M, 1), (M, M));
        // i64::MIN * -1 = 2^63: no overflow, the high half is 0.
        assert_eq!(i64_mul_wide_s(i64::MIN, M), (i64::MIN, 0));
        // (-2^63)^2 = 2^126.
        assert_eq!(i64_mul_wide_s(i64::MIN, i64::MIN), (0, 1 << 62));
        // -2^63 * (2^63 - 1) = -2^126 + 2^63.
        assert_eq!(i64_mul_wide_s(i64::MIN, i64::MAX), (i64::MIN, -(1 << 62)));
        // (2^63 - 1)^2 = 2^126 - 2^64 + 1.
        assert_eq!(i64_mul_wide_s(i64::MAX, i64::MAX), (1, (1 << 62) - 1));
        // The same bits unsigned: (2^64 - 1)^2 = 2^128 - 2^65 + 1.
        assert_eq!(i64_mul_wide_u(M, M), (1, -2));
        assert_eq!(i64_mul_wide_u(M, 1), (M, 0));
        assert_eq!(i64_mul_wide_u(M, 2), (-2, 1));
        assert_eq!(i64_mul_wide_u(i64::MIN, 2), (0, 1));
        assert_eq!(i64_mul_wide_u(i64::MIN, i64::MIN), (0, 1 << 62));
        assert_eq!(i64_mul_wide_u(0, M), (0, 0));
    }

    /// Schoolbook products and sums on 32-bit limbs, against the `u128` ones.
    #[test]
    fn wide_arithmetic_agrees_with_limbs() {
        fn limbs_mul_u(a: u64, b: u64) -> (u64, u64) {
            let (a0, a1, b0, b1) = (a & 0xffff_ffff, a >> 32, b & 0xffff_ffff, b >> 32);
            let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
            let mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
            let lo = (p00 & 0xffff_ffff) | (mid << 32);
            let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
            (lo, hi)
        }
        fn limbs_add(a: (u64, u64), b: (u64, u64)) -> (u64, u64) {
            let (lo, carry) = a.0.overflowing_add(b.0);
            (lo, a.1.wrapping_add(b.1).wrapping_add(u64::from(carry)))
        }
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pair = |(lo, hi): (i64, i64)| (lo as u64, hi as u64);
        for _ in 0..10_000 {
            let (a, b, c, d) = (next(), next(), next(), next());
            let (ai, bi, ci, di) = (a as i64, b as i64, c as i64, d as i64);
            assert_eq!(pair(i64_mul_wide_u(ai, bi)), limbs_mul_u(a, b));
            // Signed: the unsigned product less `b * 2^64` if `a < 0`, `a * 2^64` if `b < 0`.
            let mut s = limbs_mul_u(a, b);
            if ai < 0 {
                s.1 = s.1.wrapping_sub(b);
            }
            if bi < 0 {
                s.1 = s.1.wrapping_sub(a);
            }
            assert_eq!(pair(i64_mul_wide_s(ai, bi)), s);
            assert_eq!(pair(i64_add128(ai, bi, ci, di)), limbs_add((a, b), (c, d)));
            let neg = limbs_add((!c, !d), (1, 0));
            assert_eq!(pair(i64_sub128(ai, bi, ci, di)), limbs_add((a, b), neg));
        }
    }
}
