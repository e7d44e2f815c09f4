//! Reading the values on the command line (sizes, counts, and Wasm values typed by a
//! function's parameters) and printing Wasm values. Which option is which is `clap`'s
//! job ([`super::Cli`]); the values are decoded here, by hand.
//!
//! Decided here:
//! - Integers are decimal or `0x` hex with an optional sign and `_` separators, like the
//!   text format. An `i32` takes anything in `-2^31 ..= 2^32 - 1`: values above
//!   `i32::MAX` are read as their two's-complement bit pattern (`0xffffffff` is `-1`),
//!   as `i32.const` does; `i64` likewise.
//! - Floats are what Rust's `f32`/`f64` parsers accept (decimal, exponent, `inf`,
//!   `infinity`, `nan`, any case, with a sign), plus `nan:0xPAYLOAD` for a NaN with a
//!   given payload. The sign of a NaN is kept (`-nan` has the sign bit set).
//! - References: `null` for any type; an `externref` may also be an integer, which
//!   becomes a host object holding that `u64`.
//! - A `v128` is `0x` and up to 32 hex digits (the 128-bit number whose low byte is lane 0
//!   of `i8x16`, i.e. memory's byte 0), or a shape and its lanes, lane 0 first, each
//!   read as the lane's scalar type: `i8x16:…` (16 lanes), `i16x8:…`, `i32x4:1,2,3,4`,
//!   `i64x2:…`, `f32x4:1.5,-0,nan,inf`, `f64x2:…`. It prints as `0x` and 32 hex digits.
//! - Results print `i32`/`i64` as signed decimal and floats with `{}`: the shortest digits
//!   that read back to the same value, in positional notation (`0.1`, `-0`, `inf`, `NaN`;
//!   `1e21` prints as `1000000000000000000000`); references as `null`, `ref.func`,
//!   `ref.extern` or `ref.exn`.

use super::Failure;
use folio::{ExternRef, HeapType, Store, Val, ValType};

/// Strips an optional sign: `(negative, rest)`.
fn sign(s: &str) -> (bool, &str) {
    if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    }
}

/// An unsigned magnitude in decimal or `0x` hex, with `_` allowed between digits.
fn magnitude(s: &str) -> Option<u64> {
    let (digits, radix) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (s, 10),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    // from_str_radix accepts a leading `+`, which would allow `++1`.
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

/// A non-negative count (fuel, depth): decimal or `0x` hex.
///
/// # Errors
/// A message for a usage failure.
pub fn parse_count(option: &str, s: &str) -> Result<u64, Failure> {
    magnitude(s.strip_prefix('+').unwrap_or(s)).ok_or_else(|| {
        Failure::error(format!(
            "invalid value `{s}` for `{option}`: expected a non-negative integer"
        ))
    })
}

/// A byte size: an integer with an optional binary suffix `B`, `K`/`KiB`, `M`/`MiB`,
/// `G`/`GiB` or `T`/`TiB` (any case, optionally after a space): `192KiB`, `2 GiB`, `65536`.
///
/// # Errors
/// A usage failure for a malformed size or one beyond `u64`.
pub fn parse_size(option: &str, s: &str) -> Result<u64, Failure> {
    let bad = || {
        Failure::error(format!(
            "invalid size `{s}` for `{option}`: expected bytes with an optional KiB, MiB or GiB suffix"
        ))
    };
    let t = s.trim();
    let split = t
        .find(|c: char| c.is_ascii_alphabetic() && !t.starts_with("0x"))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kib" | "kb" => 10,
        "m" | "mib" | "mb" => 20,
        "g" | "gib" | "gb" => 30,
        "t" | "tib" | "tb" => 40,
        _ => return Err(bad()),
    };
    let n = magnitude(number.trim().strip_prefix('+').unwrap_or(number.trim())).ok_or_else(bad)?;
    n.checked_mul(1 << shift).ok_or_else(bad)
}

/// An integer that fits `bits` bits, signed or as an unsigned bit pattern; returned as
/// the bit pattern in a `u64`.
fn parse_int_bits(s: &str, bits: u32) -> Option<u64> {
    let (negative, rest) = sign(s);
    let m = magnitude(rest)?;
    let unsigned_max = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let mask = unsigned_max;
    if negative {
        // Down to -2^(bits-1).
        if m > 1u64 << (bits - 1) {
            return None;
        }
        Some(m.wrapping_neg() & mask)
    } else if m <= unsigned_max {
        Some(m)
    } else {
        None
    }
}

/// A NaN written `nan`, `nan:0xPAYLOAD` (after the sign), as the bits of a float with
/// `mantissa_bits` mantissa bits; `None` if `s` is not a NaN spelling.
fn parse_nan(
    s: &str,
    negative: bool,
    exp_bits: u32,
    mantissa_bits: u32,
) -> Option<Result<u64, ()>> {
    let lower = s.to_ascii_lowercase();
    let payload = if lower == "nan" {
        1u64 << (mantissa_bits - 1)
    } else if let Some(p) = lower.strip_prefix("nan:") {
        match p.strip_prefix("0x").and_then(magnitude_hex) {
            Some(p) if p != 0 && p < 1u64 << mantissa_bits => p,
            _ => return Some(Err(())),
        }
    } else {
        return None;
    };
    let exponent = ((1u64 << exp_bits) - 1) << mantissa_bits;
    let sign_bit = u64::from(negative) << (exp_bits + mantissa_bits);
    Some(Ok(sign_bit | exponent | payload))
}

fn magnitude_hex(s: &str) -> Option<u64> {
    magnitude(&format!("0x{s}"))
}

/// Reads `s` as a value of type `ty`. An `externref` integer is put in `store`.
///
/// # Errors
/// A message saying what was expected (the caller adds which argument).
pub fn parse_val<T>(s: &str, ty: ValType, store: &mut Store<T>) -> Result<Val, String> {
    let expected = |what: &str| format!("`{s}` is not {what}");
    match ty {
        ValType::I32 => parse_int_bits(s, 32)
            .map(|b| Val::I32(b as u32 as i32))
            .ok_or_else(|| expected("an i32 (decimal or 0x hex, -2147483648 ..= 4294967295)")),
        ValType::I64 => parse_int_bits(s, 64)
            .map(|b| Val::I64(b as i64))
            .ok_or_else(|| expected("an i64 (decimal or 0x hex)")),
        ValType::F32 => {
            let (negative, rest) = sign(s);
            match parse_nan(rest, negative, 8, 23) {
                Some(Ok(bits)) => Ok(Val::F32(bits as u32)),
                Some(Err(())) => Err(expected("an f32 NaN (payload must be 1 ..= 0x7fffff)")),
                None => parse_float::<f32>(s)
                    .map(Val::from_f32)
                    .ok_or_else(|| expected("an f32")),
            }
        }
        ValType::F64 => {
            let (negative, rest) = sign(s);
            match parse_nan(rest, negative, 11, 52) {
                Some(Ok(bits)) => Ok(Val::F64(bits)),
                Some(Err(())) => Err(expected(
                    "an f64 NaN (payload must be 1 ..= 0xfffffffffffff)",
                )),
                None => parse_float::<f64>(s)
                    .map(Val::from_f64)
                    .ok_or_else(|| expected("an f64")),
            }
        }
        ValType::V128 => parse_v128(s, store)
            .map(Val::V128)
            .ok_or_else(|| expected("a v128 (0x and up to 32 hex digits, or e.g. i32x4:1,2,3,4)")),
        ValType::Ref(r) if r.heap == HeapType::Extern => match s {
            "null" if r.nullable => Ok(Val::ExternRef(None)),
            _ => {
                let n = parse_int_bits(s, 64).ok_or_else(|| {
                    expected(if r.nullable {
                        "an externref (`null` or an integer)"
                    } else {
                        "a non-null externref (an integer)"
                    })
                })?;
                Ok(Val::ExternRef(Some(ExternRef::new(store, n))))
            }
        },
        ValType::Ref(r) => match s {
            "null" if r.nullable => Ok(Val::null_of(r)),
            _ if r.nullable => Err(expected(&format!("a {r} (only `null` can be written)"))),
            _ => Err(expected(&format!(
                "a {r} (a non-null reference cannot be written)"
            ))),
        },
    }
}

/// A `v128` written as `0x` hex or as a shape and its lanes (see the module docs).
fn parse_v128<T>(s: &str, store: &mut Store<T>) -> Option<u128> {
    if let Some(hex) = s.strip_prefix("0x") {
        let digits = hex.replace('_', "");
        if digits.is_empty() || digits.len() > 32 {
            return None;
        }
        return u128::from_str_radix(&digits, 16).ok();
    }
    let (shape, lanes) = s.split_once(':')?;
    let (ty, count) = match shape {
        "i8x16" => (None, 16),
        "i16x8" => (None, 8),
        "i32x4" => (Some(ValType::I32), 4),
        "i64x2" => (Some(ValType::I64), 2),
        "f32x4" => (Some(ValType::F32), 4),
        "f64x2" => (Some(ValType::F64), 2),
        _ => return None,
    };
    let width = 128 / count;
    let lanes: Vec<&str> = lanes.split(',').map(str::trim).collect();
    if lanes.len() != count {
        return None;
    }
    let mut bits = 0u128;
    for (i, lane) in lanes.iter().enumerate() {
        let lane_bits = match ty {
            None => parse_int_bits(lane, width as u32)?,
            Some(ty) => match parse_val(lane, ty, store).ok()? {
                Val::I32(x) => u64::from(x as u32),
                Val::I64(x) => x as u64,
                Val::F32(b) => u64::from(b),
                Val::F64(b) => b,
                _ => return None,
            },
        };
        bits |= u128::from(lane_bits) << (i * width);
    }
    Some(bits)
}

/// Rust's float parser, minus the NaN spellings handled by [`parse_nan`] (Rust's `nan`
/// ignores the sign).
fn parse_float<F: std::str::FromStr>(s: &str) -> Option<F> {
    let t = s.trim_start_matches(['+', '-']);
    if t.to_ascii_lowercase().starts_with("nan") || s.contains('_') {
        return None;
    }
    s.parse().ok()
}

/// A value as `folio run` prints it (see the module docs).
pub fn format_val(v: &Val) -> String {
    match *v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(bits) => f32::from_bits(bits).to_string(),
        Val::F64(bits) => f64::from_bits(bits).to_string(),
        Val::V128(bits) => format!("{bits:#034x}"),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => "null".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(Some(_)) => "ref.extern".into(),
        Val::ExnRef(Some(_)) => "ref.exn".into(),
    }
}

/// A byte count for people: the largest binary unit in which it is at least 1, exact when
/// it divides evenly, otherwise to two decimals (`64 KiB`, `6.1 GiB`, `100 B`).
pub fn format_bytes(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut unit = 0;
    while unit + 1 < UNITS.len() && bytes >= 1u128 << (10 * (unit + 1)) {
        unit += 1;
    }
    let scale = 1u128 << (10 * unit);
    if bytes.is_multiple_of(scale) {
        format!("{} {}", bytes / scale, UNITS[unit])
    } else {
        let value = bytes as f64 / scale as f64;
        let text = format!("{value:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("{text} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio::Engine;

    fn val(s: &str, ty: ValType) -> Result<Val, String> {
        parse_val(s, ty, &mut Store::new(&Engine::default(), ()))
    }

    #[test]
    fn integers_decimal_hex_negative_and_bit_patterns() {
        assert_eq!(val("42", ValType::I32), Ok(Val::I32(42)));
        assert_eq!(val("-7", ValType::I32), Ok(Val::I32(-7)));
        assert_eq!(val("0x10", ValType::I32), Ok(Val::I32(16)));
        assert_eq!(val("-0x10", ValType::I32), Ok(Val::I32(-16)));
        assert_eq!(val("0xffffffff", ValType::I32), Ok(Val::I32(-1)));
        assert_eq!(val("-2147483648", ValType::I32), Ok(Val::I32(i32::MIN)));
        assert_eq!(val("1_000", ValType::I32), Ok(Val::I32(1000)));
        assert!(val("4294967296", ValType::I32).is_err());
        assert!(val("-2147483649", ValType::I32).is_err());
        assert!(val("", ValType::I32).is_err());
        assert!(val("1.5", ValType::I32).is_err());
        assert!(val("--1", ValType::I32).is_err());
        assert!(val("+-1", ValType::I32).is_err());
        assert!(val("0x", ValType::I32).is_err());
        assert_eq!(
            val("-9223372036854775808", ValType::I64),
            Ok(Val::I64(i64::MIN))
        );
        assert_eq!(val("0xffffffffffffffff", ValType::I64), Ok(Val::I64(-1)));
        assert_eq!(val("18446744073709551615", ValType::I64), Ok(Val::I64(-1)));
        assert!(val("18446744073709551616", ValType::I64).is_err());
    }

    #[test]
    fn floats_with_specials_and_nan_payloads() {
        assert_eq!(val("1.5", ValType::F32), Ok(Val::from_f32(1.5)));
        assert_eq!(val("-0", ValType::F64), Ok(Val::F64((-0.0f64).to_bits())));
        assert_eq!(val("inf", ValType::F64), Ok(Val::from_f64(f64::INFINITY)));
        assert_eq!(
            val("-inf", ValType::F32),
            Ok(Val::from_f32(f32::NEG_INFINITY))
        );
        assert_eq!(val("1e3", ValType::F64), Ok(Val::from_f64(1000.0)));
        assert_eq!(val("nan", ValType::F32), Ok(Val::F32(0x7fc0_0000)));
        assert_eq!(val("-nan", ValType::F32), Ok(Val::F32(0xffc0_0000)));
        assert_eq!(val("nan:0x1", ValType::F32), Ok(Val::F32(0x7f80_0001)));
        assert_eq!(
            val("nan", ValType::F64),
            Ok(Val::F64(0x7ff8_0000_0000_0000))
        );
        assert_eq!(
            val("-nan:0x4", ValType::F64),
            Ok(Val::F64(0xfff0_0000_0000_0004))
        );
        assert!(val("nan:0x0", ValType::F32).is_err());
        assert!(val("nan:0x800000", ValType::F32).is_err());
        assert!(val("one", ValType::F64).is_err());
        assert!(val("1_0", ValType::F64).is_err());
    }

    #[test]
    fn references() {
        assert_eq!(val("null", ValType::FUNCREF), Ok(Val::FuncRef(None)));
        assert_eq!(val("null", ValType::EXTERNREF), Ok(Val::ExternRef(None)));
        assert_eq!(val("null", ValType::EXNREF), Ok(Val::ExnRef(None)));
        assert!(val("1", ValType::EXNREF).is_err());
        assert_eq!(format_val(&Val::ExnRef(None)), "null");
        assert!(val("7", ValType::FUNCREF).is_err());
        assert!(matches!(
            val("7", ValType::EXTERNREF),
            Ok(Val::ExternRef(Some(_)))
        ));
    }

    #[test]
    fn vectors_by_hex_or_by_lanes() {
        let bits = |s: &str| match val(s, ValType::V128) {
            Ok(Val::V128(b)) => Ok(b),
            other => Err(format!("{other:?}")),
        };
        assert_eq!(bits("0x1"), Ok(1));
        assert_eq!(bits("0xffff_0000"), Ok(0xffff_0000));
        assert_eq!(bits(&format!("0x{}", "f".repeat(32))), Ok(u128::MAX));
        assert!(bits(&format!("0x1{}", "0".repeat(32))).is_err()); // 33 digits
        assert_eq!(
            bits("i32x4:1,2,3,-1"),
            Ok(1 | 2 << 32 | 3 << 64 | 0xffff_ffff << 96)
        );
        assert_eq!(bits("i64x2:-1,0x10"), Ok(u128::from(u64::MAX) | 0x10 << 64));
        assert_eq!(bits("i16x8:1,0,0,0,0,0,0,-32768"), Ok(1 | 0x8000 << 112));
        assert_eq!(bits(&format!("i8x16:255{}", ",0".repeat(15))), Ok(0xff));
        assert_eq!(
            bits("f32x4:1.5,-0,nan,inf"),
            Ok(0x3fc0_0000 | 0x8000_0000 << 32 | 0x7fc0_0000 << 64 | 0x7f80_0000 << 96)
        );
        assert_eq!(
            bits("f64x2:0.5,-inf"),
            Ok(u128::from(0.5f64.to_bits()) | u128::from((-f64::INFINITY).to_bits()) << 64)
        );
        let overflow = format!("i8x16:256{}", ",0".repeat(15));
        for bad in ["i32x4:1,2,3", &overflow, "f64x2:1,x", "u8x16:0", "12", "0x"] {
            assert!(bits(bad).is_err(), "{bad}");
        }
        assert_eq!(
            format_val(&Val::V128(0x0102)),
            "0x00000000000000000000000000000102"
        );
    }

    #[test]
    fn values_print_as_documented() {
        assert_eq!(format_val(&Val::I32(-1)), "-1");
        assert_eq!(format_val(&Val::I64(i64::MIN)), "-9223372036854775808");
        assert_eq!(format_val(&Val::from_f32(0.1)), "0.1");
        assert_eq!(format_val(&Val::from_f64(-0.0)), "-0");
        assert_eq!(format_val(&Val::from_f64(f64::INFINITY)), "inf");
        assert_eq!(format_val(&Val::from_f32(f32::NAN)), "NaN");
        assert_eq!(format_val(&Val::FuncRef(None)), "null");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("--m", "65536").unwrap(), 65536);
        assert_eq!(parse_size("--m", "192KiB").unwrap(), 192 << 10);
        assert_eq!(parse_size("--m", "2 GiB").unwrap(), 2 << 30);
        assert_eq!(parse_size("--m", "1m").unwrap(), 1 << 20);
        assert_eq!(parse_size("--m", "0x10000").unwrap(), 65536);
        assert!(parse_size("--m", "12XB").is_err());
        assert!(parse_size("--m", "-1").is_err());
        assert!(parse_size("--m", "KiB").is_err());
        assert!(parse_size("--m", "99999999999TiB").is_err());
    }

    #[test]
    fn bytes_for_people() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(100), "100 B");
        assert_eq!(format_bytes(65536), "64 KiB");
        assert_eq!(format_bytes(196608), "192 KiB");
        assert_eq!(format_bytes(1 << 32), "4 GiB");
        assert_eq!(format_bytes(100_000 * 65536), "6.1 GiB");
        assert_eq!(format_bytes(1 << 64), "16 EiB");
    }
}
