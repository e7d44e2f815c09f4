//! `folio wast`: output per file, exit codes, and one-line errors for bad input.

use assert_cmd::Command;
use std::path::PathBuf;

/// Writes `text` to a fresh file in the temp directory and returns its path.
fn script(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("folio-wast-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn folio() -> Command {
    Command::cargo_bin("folio").unwrap()
}

/// Module-level directives only, so the result does not depend on the interpreter.
const PASSING: &str = r#"(module $m (global (export "g") i32 (i32.const 7)))
(assert_return (get $m "g") (i32.const 7))
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_unlinkable (module (import "spectest" "nope" (func))) "unknown import")
"#;

#[test]
fn passing_script_exits_zero() {
    let path = script("pass.wast", PASSING);
    let out = folio()
        .arg("wast")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, format!("{}: 5 passed, 0 failed\n", path.display()));
}

#[test]
fn failures_are_listed_with_position_and_exit_one() {
    let pass = script("pass2.wast", PASSING);
    let fail = script(
        "fail.wast",
        "(module $m (global (export \"g\") i32 (i32.const 7)))\n  (assert_return (get $m \"g\") (i32.const 8))\n",
    );
    let out = folio()
        .arg("wast")
        .arg(&pass)
        .arg(&fail)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("{}: 5 passed, 0 failed", pass.display()));
    assert_eq!(lines[1], format!("{}: 1 passed, 1 failed", fail.display()));
    assert_eq!(
        lines[2],
        format!(
            "  {}:2:4: assert_return (get $m \"g\"): expected [i32:8], got [i32:7]",
            fail.display()
        )
    );
}

#[test]
fn bad_input_is_one_error_line_and_exit_two() {
    let unparsable = script("bad.wast", "(module)\n(assert_return\n");
    let missing = std::env::temp_dir().join("folio-wast-cli-does-not-exist.wast");
    for args in [
        vec!["wast".to_string()],
        vec!["wast".to_string(), missing.display().to_string()],
        vec!["wast".to_string(), unparsable.display().to_string()],
        vec!["nonsense".to_string()],
    ] {
        let out = folio().args(&args).assert().code(2).get_output().clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}

/// The core scripts expect proposals off: `--proposals none` makes `folio wast` agree with
/// the spec harness, which runs wasm-v1/wasm-v2 that way.
#[test]
fn proposals_option_switches_validation() {
    let script = script(
        "two-memories.wast",
        "(assert_invalid (module (memory 1) (memory 1)) \"multiple memories\")\n",
    );
    let out = folio()
        .arg("wast")
        .arg("--proposals")
        .arg("none")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The `--opt=value` form, and options after a FILE (wast takes no module arguments).
    let out = folio()
        .arg("wast")
        .arg(&script)
        .arg("--proposals=memory64")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = folio().arg("wast").arg(&script).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "multi-memory is on by default");
    let out = folio()
        .args(["wast", "--proposals", "simd"])
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: unknown proposal"));
}

#[test]
fn thread_script_passes() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wast-threads/wait_notify.wast");
    let out = folio()
        .arg("wast")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, format!("{}: 8 passed, 0 failed\n", path.display()));
}

#[test]
fn a_failing_thread_is_listed_at_its_directive() {
    let path = script(
        "thread.wast",
        r#"(module $Mem (memory (export "m") 1 1 shared))
(thread $T (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "m") 1 1 shared)
    (func (export "get") (result i32) (i32.atomic.load (i32.const 0))))
  (assert_return (invoke "get") (i32.const 1)))
(wait $T)
"#,
    );
    let out = folio()
        .arg("wast")
        .arg(&path)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        format!(
            "{0}: 2 passed, 1 failed\n  {0}:2:2: thread $T: 1 of its directives failed: \
             6:4: assert_return (invoke \"get\"): expected [i32:1], got [i32:0]\n",
            path.display()
        )
    );
}

/// `assert_exception` passes on an exception no `try_table` caught, and only on that;
/// `--proposals exceptions` turns the proposal on alone.
#[test]
fn exceptions_and_assert_exception() {
    let text = r#"(module
  (tag $e (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw $e (local.get 0)))
      (unreachable)))
  (func (export "trap") unreachable))
(assert_exception (invoke "throw" (i32.const 1)))
(assert_return (invoke "catch" (i32.const 5)) (i32.const 5))
(assert_exception (invoke "catch" (i32.const 5)))
(assert_exception (invoke "trap"))
(assert_trap (invoke "throw" (i32.const 1)) "unreachable")
"#;
    let path = script("exceptions.wast", text);
    let out = folio()
        .args(["wast", "--proposals", "exceptions"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("{}: 3 passed, 3 failed", path.display()));
    assert!(
        lines[1].ends_with(":11:2: assert_exception: expected an uncaught exception, got [i32:5]"),
        "{stdout}"
    );
    assert!(
        lines[2].ends_with(
            r#":12:2: assert_exception: expected an uncaught exception, got trap "unreachable""#
        ),
        "{stdout}"
    );
    assert!(
        lines[3].contains(r#":13:2: assert_trap (invoke "throw"): expected trap "unreachable", got uncaught exception: tag 0 [i32 1]"#),
        "{stdout}"
    );
    let out = folio()
        .args(["wast", "--proposals", "none"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("exceptions proposal not enabled"));
}

/// `--proposals wide-arithmetic` turns on the four wide instructions (and only them: the
/// 64-bit table script needs memory64, and extended-const for one of its offsets).
#[test]
fn wide_arithmetic_proposal() {
    let wide = script(
        "wide.wast",
        r#"(module (func (export "mul") (param i64 i64) (result i64 i64)
  (i64.mul_wide_s (local.get 0) (local.get 1))))
(assert_return (invoke "mul" (i64.const 0x8000000000000000) (i64.const -1))
  (i64.const 0x8000000000000000) (i64.const 0))
"#,
    );
    let out = folio()
        .args(["wast", "--proposals", "wide-arithmetic"])
        .arg(&wide)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, format!("{}: 2 passed, 0 failed\n", wide.display()));
    let out = folio()
        .args(["wast", "--proposals", "memory64"])
        .arg(&wide)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("wide arithmetic support is not enabled")
    );
    let table64 = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wast/table64.wast");
    let out = folio()
        .args(["wast", "--proposals", "wide-arithmetic"])
        .arg(&table64)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "64-bit tables need memory64");
    folio()
        .args(["wast", "--proposals", "memory64,extended-const"])
        .arg(&table64)
        .assert()
        .success();
}
