//! Values in scripts: `invoke` arguments, `assert_return` patterns, and how both print in
//! failure messages.

use folio::{Store, Val};
use wast::WastRet;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastRetCore};

/// Whether `actual` matches the pattern `expected`; `Err` when the pattern is one Folio
/// cannot check (GC references, …), which the driver counts as a failure.
pub(super) fn matches<T>(
    store: &Store<T>,
    expected: &WastRetCore<'_>,
    actual: &Val,
) -> Result<bool, String> {
    use WastRetCore as R;
    Ok(match (expected, actual) {
        (R::I32(e), Val::I32(a)) => e == a,
        (R::I64(e), Val::I64(a)) => e == a,
        (R::F32(p), Val::F32(bits)) => f32_matches(p, *bits),
        (R::F64(p), Val::F64(bits)) => f64_matches(p, *bits),
        (R::V128(p), Val::V128(bits)) => v128_matches(p, *bits),
        (R::RefNull(None), Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None)) => true,
        (R::RefNull(Some(heap)), _) => matches!(
            (null_kind(heap)?, actual),
            (NullKind::Func, Val::FuncRef(None))
                | (NullKind::Extern, Val::ExternRef(None))
                | (NullKind::Exn, Val::ExnRef(None))
        ),
        (R::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (R::RefExtern(Some(n)), Val::ExternRef(Some(r))) => {
            r.data(store).and_then(|d| d.downcast_ref::<u32>()) == Some(n)
        }
        (R::RefFunc(None), Val::FuncRef(Some(_))) => true,
        (R::RefFunc(Some(_)), _) => {
            return Err("unsupported result pattern: `ref.func` with an index".into());
        }
        (R::Either(alternatives), _) => {
            let mut unsupported = None;
            for alt in alternatives {
                match matches(store, alt, actual) {
                    Ok(true) => return Ok(true),
                    Ok(false) => {}
                    Err(e) => unsupported = Some(e),
                }
            }
            match unsupported {
                Some(e) => return Err(e),
                None => false,
            }
        }
        (
            R::RefHost(_)
            | R::RefAny
            | R::RefEq
            | R::RefArray
            | R::RefStruct
            | R::RefI31
            | R::RefI31Shared,
            _,
        ) => {
            return Err(format!(
                "unsupported result pattern: {}",
                fmt_ret_core(expected)
            ));
        }
        _ => false,
    })
}

/// Spec §4.3.3 (NaN propagation): canonical NaNs have only the quiet bit of the payload
/// set; arithmetic NaNs have at least the quiet bit set. Either sign.
fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(f) => f.bits == bits,
    }
}

/// As [`f32_matches`], for `f64`.
fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(f) => f.bits == bits,
    }
}

/// Whether the `v128` `bits` matches `p` lane by lane (lane 0 in the low bits), float
/// lanes by their NaN patterns.
fn v128_matches(p: &V128Pattern, bits: u128) -> bool {
    let lane = |i: usize, width: usize| (bits >> (i * width)) as u64 & (u64::MAX >> (64 - width));
    match p {
        V128Pattern::I8x16(l) => l
            .iter()
            .enumerate()
            .all(|(i, &x)| lane(i, 8) == u64::from(x as u8)),
        V128Pattern::I16x8(l) => l
            .iter()
            .enumerate()
            .all(|(i, &x)| lane(i, 16) == u64::from(x as u16)),
        V128Pattern::I32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, &x)| lane(i, 32) == u64::from(x as u32)),
        V128Pattern::I64x2(l) => l.iter().enumerate().all(|(i, &x)| lane(i, 64) == x as u64),
        V128Pattern::F32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, p)| f32_matches(p, lane(i, 32) as u32)),
        V128Pattern::F64x2(l) => l
            .iter()
            .enumerate()
            .all(|(i, p)| f64_matches(p, lane(i, 64))),
    }
}

/// The reference hierarchy a `ref.null` belongs to, for the three Folio has.
pub(super) enum NullKind {
    Func,
    Extern,
    Exn,
}

/// Which null `ref.null HEAP` is; `Err` for heap types Folio does not have.
pub(super) fn null_kind(heap: &HeapType<'_>) -> Result<NullKind, String> {
    match heap {
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
        } => Ok(NullKind::Func),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
        } => Ok(NullKind::Extern),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Exn | AbstractHeapType::NoExn,
        } => Ok(NullKind::Exn),
        other => Err(format!("unsupported reference type: ref.null {other:?}")),
    }
}

/// A value as failure messages show it: `i32:-1`, `f32:1.5 [0x3fc00000]`, `externref:7`,
/// `exnref:ExnRef { .. }`.
pub(super) fn fmt_val<T>(store: &Store<T>, v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(bits) => format!("f32:{} [{bits:#010x}]", f32::from_bits(*bits)),
        Val::F64(bits) => format!("f64:{} [{bits:#018x}]", f64::from_bits(*bits)),
        Val::V128(bits) => format!("v128:{bits:#034x}"),
        Val::FuncRef(None) => "funcref:null".into(),
        Val::FuncRef(Some(f)) => format!("funcref:{f:?}"),
        Val::ExternRef(None) => "externref:null".into(),
        Val::ExnRef(None) => "exnref:null".into(),
        Val::ExnRef(Some(r)) => format!("exnref:{r:?}"),
        Val::ExternRef(Some(r)) => match r.data(store).and_then(|d| d.downcast_ref::<u32>()) {
            Some(n) => format!("externref:{n}"),
            None => format!("externref:{r:?}"),
        },
    }
}

/// Values as a list: `[i32:1, i64:2]`.
pub(super) fn fmt_vals<T>(store: &Store<T>, vals: &[Val]) -> String {
    let items: Vec<String> = vals.iter().map(|v| fmt_val(store, v)).collect();
    format!("[{}]", items.join(", "))
}

/// Expected results as a list, in the same notation as [`fmt_vals`].
pub(super) fn fmt_rets(rets: &[WastRet<'_>]) -> String {
    let items: Vec<String> = rets
        .iter()
        .map(|r| match r {
            WastRet::Core(c) => fmt_ret_core(c),
            other => format!("{other:?}"),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn fmt_ret_core(r: &WastRetCore<'_>) -> String {
    use WastRetCore as R;
    match r {
        R::I32(x) => format!("i32:{x}"),
        R::I64(x) => format!("i64:{x}"),
        R::F32(NanPattern::CanonicalNan) => "f32:nan:canonical".into(),
        R::F32(NanPattern::ArithmeticNan) => "f32:nan:arithmetic".into(),
        R::F32(NanPattern::Value(f)) => {
            format!("f32:{} [{:#010x}]", f32::from_bits(f.bits), f.bits)
        }
        R::F64(NanPattern::CanonicalNan) => "f64:nan:canonical".into(),
        R::F64(NanPattern::ArithmeticNan) => "f64:nan:arithmetic".into(),
        R::F64(NanPattern::Value(f)) => {
            format!("f64:{} [{:#018x}]", f64::from_bits(f.bits), f.bits)
        }
        R::V128(p) => format!("v128:{p:?}"),
        R::RefNull(None) => "ref.null".into(),
        R::RefNull(Some(h)) => match null_kind(h) {
            Ok(NullKind::Func) => "funcref:null".into(),
            Ok(NullKind::Extern) => "externref:null".into(),
            Ok(NullKind::Exn) => "exnref:null".into(),
            Err(_) => format!("ref.null {h:?}"),
        },
        R::RefExtern(None) => "externref:non-null".into(),
        R::RefExtern(Some(n)) => format!("externref:{n}"),
        R::RefFunc(None) => "funcref:non-null".into(),
        R::RefFunc(Some(i)) => format!("ref.func {i:?}"),
        R::Either(alts) => {
            let items: Vec<String> = alts.iter().map(fmt_ret_core).collect();
            format!("either({})", items.join(" | "))
        }
        other => format!("{other:?}"),
    }
}
