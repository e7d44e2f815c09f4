use super::*;

fn run(text: &str) -> WastReport {
    run_script("inline.wast", text, &WastOptions::default()).expect("script parses")
}

#[test]
fn failing_assert_return_is_counted_with_its_position() {
    // Module-level checks only: they do not depend on the interpreter.
    let report = run(r#"(module (func (export "f") (result i32) (i32.const 1)))
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
  (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_return (invoke "f") (i32.const 2))
"#);
    assert_eq!(report.passed, 3, "{report:#?}");
    assert_eq!(report.failed, 1, "{report:#?}");
    let failure = &report.failures[0];
    assert_eq!((failure.line, failure.col), (4, 2), "{failure}");
    assert_eq!(failure.directive, r#"assert_return (invoke "f")"#);
    let text = failure.to_string();
    assert!(
        text.starts_with("inline.wast:4:2: assert_return (invoke \"f\"): expected [i32:2], got "),
        "{text}"
    );
}

#[test]
fn malformed_and_invalid_modules_that_are_accepted_fail() {
    let report = run(r#"(assert_invalid (module (func)) "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")
(assert_malformed (module quote "(func)") "whatever")
"#);
    assert_eq!(report.passed, 0, "{report:#?}");
    assert_eq!(report.failed, 3, "{report:#?}");
    assert_eq!(report.failures[1].line, 2);
    assert!(report.failures[2].message.contains("Folio accepted it"));
}

#[test]
fn unlinkable_register_and_spectest() {
    let report = run(r#"(module $m (global (export "g") i32 (i32.const 7)))
(register "m" $m)
(module (import "m" "g" (global i32)))
(assert_unlinkable (module (import "m" "g" (global i64))) "incompatible import type")
(assert_unlinkable (module (import "m" "nope" (global i32))) "unknown import")
(module
  (import "spectest" "print_i32" (func (param i32)))
  (import "spectest" "global_i32" (global i32))
  (import "spectest" "global_f64" (global f64))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "memory" (memory 1 2)))
(assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "global_i32" (global (mut i32)))) "incompatible import type")
(assert_return (get $m "g") (i32.const 7))
(assert_return (get $m "g") (i32.const 8))
"#);
    assert_eq!(report.failed, 1, "{report:#?}");
    assert_eq!(report.passed, 9, "{report:#?}");
    assert!(
        report.failures[0]
            .message
            .contains("expected [i32:8], got [i32:7]")
    );
}

#[test]
fn unsupported_directives_fail_rather_than_skip() {
    let report = run(r#"(module (func (export "v") (param i32)))
(assert_return (invoke "v" (v128.const i32x4 0 0 0 0)))
(assert_return (invoke "missing"))
(invoke $nobody "x")
"#);
    assert_eq!(report.passed, 1, "{report:#?}");
    assert_eq!(report.failed, 3, "{report:#?}");
    assert!(
        report.failures[0].message.contains("unsupported"),
        "{}",
        report.failures[0]
    );
    assert!(report.failures[1].message.contains("no exported function"));
    assert!(
        report.failures[2]
            .message
            .contains("no module named $nobody")
    );
}

#[test]
fn a_failed_module_leaves_no_current_module() {
    let report = run(r#"(module (func (export "f")))
(module (import "nowhere" "f" (func)))
(invoke "f")
"#);
    assert_eq!(report.passed, 1, "{report:#?}");
    assert!(report.failures[0].message.contains("unknown import"));
    assert!(report.failures[1].message.contains("no current module"));
}

#[test]
fn unparsable_script_is_an_error_with_position() {
    let err = run_script(
        "bad.wast",
        "(module)\n(assert_return",
        &WastOptions::default(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("bad.wast:2:"), "{text}");
    assert!(!text.contains('\n'), "{text}");
}

#[test]
fn result_patterns() {
    use wast::core::NanPattern;
    let store = Store::new(&Engine::default(), ());
    let f32_pat = |p| WastRetCore::F32(p);
    use wast::core::WastRetCore;
    // Canonical NaN: either sign, quiet bit only.
    for bits in [0x7fc0_0000u32, 0xffc0_0000] {
        assert!(
            value::matches(&store, &f32_pat(NanPattern::CanonicalNan), &Val::F32(bits)).unwrap()
        );
    }
    assert!(
        !value::matches(
            &store,
            &f32_pat(NanPattern::CanonicalNan),
            &Val::F32(0x7fc0_0001)
        )
        .unwrap()
    );
    assert!(
        value::matches(
            &store,
            &f32_pat(NanPattern::ArithmeticNan),
            &Val::F32(0x7fc0_0001)
        )
        .unwrap()
    );
    // A signalling NaN is not arithmetic.
    assert!(
        !value::matches(
            &store,
            &f32_pat(NanPattern::ArithmeticNan),
            &Val::F32(0x7f80_0001)
        )
        .unwrap()
    );
    assert!(
        !value::matches(
            &store,
            &f32_pat(NanPattern::ArithmeticNan),
            &Val::F32(0x7f80_0000)
        )
        .unwrap()
    );
    let f64_canon = WastRetCore::F64(NanPattern::CanonicalNan);
    assert!(value::matches(&store, &f64_canon, &Val::F64(0xfff8_0000_0000_0000)).unwrap());
    assert!(!value::matches(&store, &f64_canon, &Val::F64(0x7ff8_0000_0000_0001)).unwrap());
    // Exact bits otherwise: -0.0 is not 0.0.
    let zero = WastRetCore::F32(NanPattern::Value(wast::token::F32 { bits: 0 }));
    assert!(!value::matches(&store, &zero, &Val::F32(0x8000_0000)).unwrap());
    // A wrong type never matches.
    assert!(!value::matches(&store, &WastRetCore::I32(0), &Val::I64(0)).unwrap());
}

#[test]
fn externref_arguments_are_cached_per_number() {
    let mut runner = Runner::new(&WastOptions::default()).unwrap();
    let a = runner
        .arg(&WastArg::Core(WastArgCore::RefExtern(1)))
        .unwrap();
    let b = runner
        .arg(&WastArg::Core(WastArgCore::RefExtern(1)))
        .unwrap();
    let c = runner
        .arg(&WastArg::Core(WastArgCore::RefExtern(2)))
        .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let pattern = wast::core::WastRetCore::RefExtern(Some(2));
    assert!(value::matches(&runner.store, &pattern, &c).unwrap());
    assert!(!value::matches(&runner.store, &pattern, &a).unwrap());
}

#[test]
fn panics_become_failures() {
    install_panic_hook();
    let result = catch_panic(|| panic!("boom"));
    let message = result.unwrap_err();
    assert!(message.starts_with("panicked at "), "{message}");
    assert!(message.contains("tests.rs"), "{message}");
    assert!(message.contains("boom"), "{message}");
}
