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
(assert_return (invoke "v" (ref.host 1)))
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

/// A module `$Mem` exporting a shared memory, a function, a global and a table, and one
/// importing its memory as "mem" "shared" (the start of every thread test).
const SHARED: &str = r#"(module $Mem
  (memory (export "shared") 1 1 shared)
  (func (export "f") (result i32) (i32.const 7))
  (global (export "g") i32 (i32.const 7))
  (table (export "t") 1 funcref))
"#;

/// A module on "mem" "shared" whose `put` and `get` store and load the word at 0.
const USER: &str = r#"(module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "put") (param i32) (i32.atomic.store (i32.const 0) (local.get 0)))
    (func (export "get") (result i32) (i32.atomic.load (i32.const 0))))"#;

#[test]
fn threads_share_memories_and_wait_joins() {
    let report = run(&format!(
        r#"{SHARED}
(thread $T (shared (module $Mem))
  (register "mem" $Mem)
  {USER}
  (invoke "put" (i32.const 42)))
(wait $T)
(register "mem" $Mem)
{USER}
(assert_return (invoke "get") (i32.const 42))
"#
    ));
    assert!(report.all_passed(), "{report:#?}");
    // The module, the thread (once, with everything in it), the wait, register, module,
    // assert_return.
    assert_eq!(report.passed, 6, "{report:#?}");
}

#[test]
fn a_failure_in_a_thread_fails_its_thread_directive() {
    let report = run(&format!(
        r#"{SHARED}
  (thread $T (shared (module $Mem))
  (register "mem" $Mem)
  {USER}
  (assert_return (invoke "get") (i32.const 1))
  (invoke "get"))
(wait $T)
"#
    ));
    assert_eq!(report.passed, 2, "{report:#?}");
    assert_eq!(report.failed, 1, "{report:#?}");
    let failure = &report.failures[0];
    assert_eq!((failure.line, failure.col), (7, 4), "{failure}");
    assert_eq!(failure.directive, "thread $T");
    assert_eq!(
        failure.message,
        "1 of its directives failed: 13:4: assert_return (invoke \"get\"): expected [i32:1], got [i32:0]"
    );
}

#[test]
fn only_shared_memories_cross_into_a_thread() {
    let report = run(&format!(
        r#"{SHARED}
(thread $T (shared (module $Mem))
  (invoke $Mem "f")
  (assert_return (get $Mem "g") (i32.const 7))
  (invoke $Mem "nope")
  (register "mem" $Mem)
  (module (import "mem" "g" (global i32)))
  (module (import "mem" "t" (table 1 funcref)))
  (assert_unlinkable (module (import "mem" "f" (func))) "unknown import")
  {USER}
  (invoke "put" (i32.const 1)))
(wait $T)
"#
    ));
    assert_eq!(report.failed, 1, "{report:#?}");
    let message = &report.failures[0].message;
    assert!(
        message.starts_with("6 of its directives failed: "),
        "{message}"
    );
    for needle in [
        "8:4: invoke $Mem \"f\": expected success, got error: the function \"f\" of $Mem stays in the enclosing script: only shared memories cross into a thread",
        "9:4: assert_return (get $Mem \"g\"): expected [i32:7], got error: the global \"g\" of $Mem stays",
        "10:4: invoke $Mem \"nope\": expected success, got error: $Mem, shared into this thread, has no function \"nope\"",
        "12:4: module: import \"mem\" \"g\": the global \"g\" of $Mem stays",
        "13:4: module: import \"mem\" \"t\": the table \"t\" of $Mem stays",
        "14:4: assert_unlinkable: import \"mem\" \"f\": the function \"f\" of $Mem stays",
    ] {
        assert!(message.contains(needle), "{needle:?} not in {message}");
    }
}

#[test]
fn an_unshared_memory_stays_behind() {
    let report = run(r#"(module $M (memory (export "m") 1))
(thread $T (shared (module $M))
  (register "m" $M)
  (module (memory (import "m" "m") 1)))
(wait $T)
"#);
    assert_eq!(report.failed, 1, "{report:#?}");
    assert!(
        report.failures[0]
            .message
            .contains("import \"m\" \"m\": the unshared memory \"m\" of $M stays"),
        "{report:#?}"
    );
}

#[test]
fn threads_start_clean() {
    // A thread sees nothing of the enclosing script but what it shares: no current
    // module, no registrations, no other instances; `spectest` is there.
    let report = run(r#"(module $A (func (export "f")))
(register "a" $A)
(thread $T
  (invoke "f")
  (invoke $A "f")
  (assert_unlinkable (module (import "a" "f" (func))) "unknown import")
  (module (import "spectest" "print_i32" (func (param i32)))))
(wait $T)
"#);
    assert_eq!(report.failed, 1, "{report:#?}");
    let message = &report.failures[0].message;
    assert!(
        message.starts_with("2 of its directives failed: "),
        "{message}"
    );
    assert!(message.contains("4:4: invoke \"f\": expected success, got error: no current module"));
    assert!(
        message.contains("5:4: invoke $A \"f\": expected success, got error: no module named $A")
    );
}

#[test]
fn wait_needs_a_running_thread() {
    let report = run(r#"(thread $T)
(thread $T)
(wait $T)
(wait $T)
(wait $U)
(thread $T)
(thread $S (shared (module $Nobody)))
(wait $S)
"#);
    // The first $T, its wait, the third $T (joined at the end).
    assert_eq!(report.passed, 3, "{report:#?}");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{}:{} {}: {}", f.line, f.col, f.directive, f.message))
        .collect();
    assert_eq!(
        failures,
        [
            "2:2 thread $T: a thread named $T is running already",
            "4:2 wait $T: no running thread named $T (it did not start, or was waited for already)",
            "5:2 wait $U: no running thread named $U (it did not start, or was waited for already)",
            "7:2 thread $S: no module instance named $Nobody to share",
            "8:2 wait $S: no running thread named $S (it did not start, or was waited for already)",
        ]
    );
}

#[test]
fn threads_nest() {
    // The inner thread gets $Mem from the outer one; its failure is the outer's, at the
    // outer's directive, with both positions. Thread names are per level: the inner $T
    // is not the outer $T.
    let report = run(&format!(
        r#"{SHARED}
(thread $T (shared (module $Mem))
  (thread $T (shared (module $Mem))
    (register "mem" $Mem)
    {USER}
    (invoke "put" (i32.const 5))
    (assert_return (invoke "get") (i32.const 6)))
  (wait $T)
  (register "mem" $Mem)
  {USER}
  (assert_return (invoke "get") (i32.const 5)))
(wait $T)
"#
    ));
    assert_eq!(report.passed, 2, "{report:#?}");
    assert_eq!(report.failed, 1, "{report:#?}");
    let failure = &report.failures[0];
    assert_eq!(
        (failure.line, failure.col, failure.directive.as_str()),
        (7, 2, "thread $T")
    );
    assert_eq!(
        failure.message,
        "1 of its directives failed: 8:4: thread $T: 1 of its directives failed: \
         15:6: assert_return (invoke \"get\"): expected [i32:6], got [i32:5]"
    );
}

#[test]
fn malformed_thread_directives_are_parse_errors() {
    for text in [
        "(thread)",
        "(thread $T (shared))",
        "(thread $T (shared (module)))",
        "(thread $T (shared (module $M $N)))",
        "(thread $T (nonsense))",
        "(wait)",
        "(wait 1)",
        "(wait $T $U)",
        "(thread $T (thread $U (wait)))",
    ] {
        let err = run_script("bad.wast", text, &WastOptions::default());
        assert!(
            matches!(err, Err(ScriptError::Parse { .. })),
            "{text}: {err:?}"
        );
    }
}
