//! The `folio` binary, run as a user runs it: `inspect` and `run` output, every error
//! case (one `error:` line on stderr and the documented exit code), and the memory knobs.
//!
//! Exit codes (see `folio --help`): 0 success, 1 trap, 2 bad input.

use std::path::PathBuf;
use std::time::{Duration, Instant};

const TRAP: i32 = 1;
const BAD_INPUT: i32 = 2;

/// What one run of `folio` did.
#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn folio(args: &[&str]) -> Out {
    let assert = assert_cmd::cargo::cargo_bin_cmd!("folio")
        .args(args)
        .assert();
    let out = assert.get_output();
    Out {
        code: out
            .status
            .code()
            .expect("folio exited, not killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `args` succeed and print exactly `stdout`.
fn ok(args: &[&str], stdout: &str) -> Out {
    let out = folio(args);
    assert_eq!(out.code, 0, "{args:?} failed: {out:?}");
    assert_eq!(out.stdout, stdout, "{args:?}: {out:?}");
    out
}

/// `args` fail with `code` and exactly one stderr line, `error: …` containing `needle`.
fn fails(args: &[&str], code: i32, needle: &str) -> Out {
    let out = folio(args);
    assert_eq!(out.code, code, "{args:?}: {out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: not one line of stderr: {out:?}");
    assert!(lines[0].starts_with("error: "), "{args:?}: {out:?}");
    assert!(
        lines[0].contains(needle),
        "{args:?}: `{needle}` not in {:?}",
        lines[0]
    );
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"),
        "{out:?}"
    );
    out
}

fn example(name: &str) -> String {
    format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Writes `contents` to a file named `name` in the test scratch directory.
fn scratch(name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("folio-cli")
        .join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn wasm(name: &str, wat: &str) -> String {
    scratch(name, wat::parse_str(wat).expect("test WAT is valid"))
}

// ---------------------------------------------------------------------------------------
// inspect

#[test]
fn inspect_prints_memories_first_then_the_rest() {
    ok(
        &["inspect", &example("grow.wat")],
        "\
memory[0] pages: initial=1 max=3 (64 KiB .. 192 KiB)
imports: 0
exports: 5
  memory: memory pages: initial=1 max=3
  grow: func (param i32) (result i32)
  size: func (result i32)
  grow_past_max: func (result i32 i32 i32 i32)
  first_byte: func (result i32)
functions: 4 (0 imported, 4 defined)
data segments: 1
  data[0] memory[0] offset=0 len=5
",
    );
}

#[test]
fn inspect_marks_i64_pagesize_and_no_max() {
    let file = scratch(
        "flags.wat",
        r#"(module
             (memory i64 1 100000)
             (memory 0 65536 (pagesize 1))
             (memory 2)
             (memory i64 0))"#,
    );
    let out = folio(&["inspect", &file]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "memory[0] pages: initial=1 max=100000 i64 (64 KiB .. 6.1 GiB)"
    );
    assert_eq!(
        lines[1],
        "memory[1] pages: initial=0 max=65536 pagesize=1 (0 B .. 64 KiB)"
    );
    assert_eq!(
        lines[2],
        "memory[2] pages: initial=2 (128 KiB .. no max, i32 cap 4 GiB)"
    );
    assert_eq!(
        lines[3],
        "memory[3] pages: initial=0 i64 (0 B .. no max, i64 cap 16 EiB)"
    );
}

#[test]
fn inspect_marks_shared() {
    let file = scratch("shared.wat", "(module (memory 1 4 shared))");
    let out = folio(&["inspect", &file]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with("memory[0] pages: initial=1 max=4 shared (64 KiB .. 256 KiB)\n")
    );
}

#[test]
fn inspect_reads_binary_modules_and_lists_imports_and_segments() {
    let file = wasm(
        "imports.wasm",
        r#"(module
             (import "env" "mem" (memory 1 2))
             (import "env" "log" (func (param i32 i64)))
             (global (export "g") (mut f64) (f64.const 0))
             (func (export "f"))
             (data (i32.const 1024) "hello")
             (data "passive!"))"#,
    );
    ok(
        &["inspect", &file],
        "\
memory[0] pages: initial=1 max=2 (64 KiB .. 128 KiB) <- env.mem
imports: 2
  env.mem: memory pages: initial=1 max=2
  env.log: func (param i32 i64)
exports: 2
  g: global (mut f64)
  f: func
functions: 2 (1 imported, 1 defined)
data segments: 2
  data[0] memory[0] offset=1024 len=5
  data[1] passive len=8
",
    );
}

#[test]
fn inspect_shows_the_frame_budget() {
    let out = folio(&["inspect", &example("frames.wat")]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with("memory[0] pages: initial=288 max=512 (18 MiB .. 32 MiB)\n"),
        "{out:?}"
    );
}

#[test]
fn inspect_memory64_example() {
    let out = folio(&["inspect", &example("memory64.wat")]);
    assert!(
        out.stdout
            .starts_with("memory[0] pages: initial=1 max=100000 i64 (64 KiB .. 6.1 GiB)\n"),
        "{out:?}"
    );
}

/// A module for `--bytecode`: an imported function first, a loop whose step and test
/// fuse, a call with a constant argument, a constant a `f64.mul` needs in a slot.
const BYTECODE_WAT: &str = r#"(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (func $sum (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u offset=3 (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $n))))
    (local.get $s))
  (func $scale (param $x f64) (result f64)
    (call $log (i32.const 7))
    (f64.mul (local.get $x) (f64.const 2.5))))"#;

const BYTECODE_SUM: &str = "\
func[1] $sum (export \"sum\") (param i32 i32) (result i32)
  locals: s0..s2 (param i32 i32) (local i32)
  slots: 5 (stack s3..s4)
  code: 4 instructions (fuel 15) for 17 operators, 2 of which translate to nothing
  #  fuel  bytecode                     wasm
  -                                     0x41  loop $l
  0     2  s4 = I32Load8U mem0[s0 + 3]  0x45  local.get $p
                                        0x47  i32.load8_u offset=3
  1     3  s2 = I32AddA s4, s2          0x43  local.get $s
                                        0x4a  i32.add
                                        0x4b  local.set $s
  2     8  StepI32LtU s0 += 1, s1 -> 0  0x4d  local.get $p
                                        0x4f  i32.const 1
                                        0x51  i32.add
                                        0x52  local.set $p
                                        0x54  local.get $p
                                        0x56  local.get $n
                                        0x58  i32.lt_u
                                        0x59  br_if $l
  -                                     0x5b  end
  3     2  Return s2                    0x5c  local.get $s
                                        0x5e  end
";

const BYTECODE_SCALE: &str = "\
func[2] $scale (param f64) (result f64)
  locals: s0 (param f64)
  slots: 3 (stack s1..s2)
  code: 5 instructions (fuel 6) for 6 operators, 0 of which translate to nothing
  #  fuel  bytecode                       wasm
  0     1  s1 = Const 7                   0x61  i32.const 7
                                          0x63  (for call $log)
  1     1  Call func=0, base=s1           0x63  call $log
  2     1  s2 = Const 0x4004000000000000  0x67  f64.const 0x1.4p+1 (;=2.5;)
                                          0x70  (for f64.mul)
  3     2  s1 = F64MulB s0, s2            0x65  local.get $x
                                          0x70  f64.mul
  4     1  Return s1                      0x71  end
";

#[test]
fn inspect_bytecode_lists_every_defined_function() {
    let file = scratch("bytecode.wat", BYTECODE_WAT);
    ok(
        &["inspect", "--bytecode", &file],
        &format!("{BYTECODE_SUM}\n{BYTECODE_SCALE}"),
    );
    // The binary form prints the same (the offsets are the binary's either way).
    let binary = wasm("bytecode.wasm", BYTECODE_WAT);
    ok(
        &["inspect", "--bytecode", &binary],
        &format!("{BYTECODE_SUM}\n{BYTECODE_SCALE}"),
    );
    // Without --bytecode, `inspect` is what it was.
    let out = ok(
        &["inspect", &file],
        "\
memory[0] pages: initial=1 (64 KiB .. no max, i32 cap 4 GiB)
imports: 1
  env.log: func (param i32)
exports: 1
  sum: func (param i32 i32) (result i32)
functions: 3 (1 imported, 2 defined)
data segments: 0
",
    );
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn inspect_bytecode_of_one_function_by_export_name_or_index() {
    let file = scratch("bytecode-one.wat", BYTECODE_WAT);
    ok(&["inspect", "--bytecode", &file, "sum"], BYTECODE_SUM);
    ok(&["inspect", "--bytecode", &file, "1"], BYTECODE_SUM);
    ok(&["inspect", "--bytecode", &file, "2"], BYTECODE_SCALE);
    // Options may come after the arguments.
    ok(&["inspect", &file, "2", "--bytecode"], BYTECODE_SCALE);
}

#[test]
fn inspect_bytecode_of_an_unknown_function_lists_what_exists() {
    let file = scratch("bytecode-unknown.wat", BYTECODE_WAT);
    let what_exists = "it defines functions 1..=2 and exports sum (1)";
    for (func, why) in [
        ("nope", "no exported function `nope` in `"),
        ("3", "no function 3 in `"),
        ("0", "is imported, it has no bytecode"),
        ("sum ", "no exported function `sum ` in `"),
    ] {
        let out = fails(&["inspect", "--bytecode", &file, func], BAD_INPUT, why);
        assert!(out.stderr.contains(what_exists), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
    }
    // A FUNC needs --bytecode.
    fails(
        &["inspect", &file, "sum"],
        BAD_INPUT,
        "`folio inspect` takes one FILE (a FUNC only after --bytecode)",
    );
    // A bad module is reported as without --bytecode.
    let bad = scratch("bytecode-bad.wat", "(module (func (result i32)))");
    fails(&["inspect", "--bytecode", &bad], BAD_INPUT, "type mismatch");
}

/// A real compiler-built module: SQLite, clang -O2, 1971 functions, no name section.
#[test]
fn inspect_bytecode_of_sqlite() {
    let sqlite = format!(
        "{}/tests/wasi/large/sqlite.wasm",
        env!("CARGO_MANIFEST_DIR")
    );
    ok(
        &["inspect", "--bytecode", &sqlite, "_start"],
        "\
func[1997] (export \"_start\")
  locals: none
  slots: 0 (stack none)
  code: 4 instructions (fuel 4) for 4 operators, 0 of which translate to nothing
  #  fuel  bytecode                  wasm
  0     1  Call func=27, base=s0     0x1470f6  call 27
  1     1  Call func=28, base=s0     0x1470f8  call 28
  2     1  Call func=1884, base=s0   0x1470fa  call 1884
  3     1  Return                    0x1470fd  end
",
    );
    // A larger function: every row is an instruction, a Wasm operator under it, or an
    // operator that translates to nothing, and the instructions count from 0.
    let out = folio(&["inspect", "--bytecode", &sqlite, "1000"]);
    assert_eq!(out.code, 0, "{out:?}");
    let mut next = 0;
    for line in out.stdout.lines().skip(5) {
        let row = line.trim_start();
        if row.starts_with("0x") || row.starts_with("- ") {
            continue;
        }
        let index = row.split(' ').next().unwrap();
        assert_eq!(index, next.to_string(), "{line}");
        assert!(line.contains("  0x"), "{line}");
        next += 1;
    }
    let code_line = out.stdout.lines().nth(3).unwrap();
    assert!(
        code_line.starts_with(&format!("  code: {next} instructions")),
        "{code_line}"
    );
}

// ---------------------------------------------------------------------------------------
// help

#[test]
fn help_lists_commands_and_exit_codes() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let out = folio(args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {out:?}");
        for needle in [
            "Usage: folio <COMMAND>",
            "\n  run ",
            "\n  inspect ",
            "\n  wast ",
            "Exit codes",
            "  1    the command ran and failed",
            "  2    bad input",
            "  101  internal error",
        ] {
            assert!(
                out.stdout.contains(needle),
                "`{needle}` missing from {args:?}: {}",
                out.stdout
            );
        }
    }
}

/// Each subcommand's `--help` (and `-h`, and `folio help COMMAND`) goes to stdout, exits
/// 0, and documents its arguments, every option, and the exit codes.
#[test]
fn help_of_each_subcommand_documents_its_options() {
    let commands: &[(&str, &[&str])] = &[
        (
            "run",
            &[
                "Usage: folio run [OPTIONS] <FILE> [ARGS]...",
                "--invoke <NAME>",
                "--max-memory <SIZE>",
                "KiB, MiB or GiB",
                "--trace-grow",
                "--fuel <N>",
                "--stack-depth <N>",
                "--store <heap|reserve>",
                "--dir <HOST[::GUEST]>",
                "--env <NAME[=VALUE]>",
                "Options go before FILE",
                "nan:0xPAYLOAD",
                "ref.extern",
                "  2    bad input",
            ],
        ),
        (
            "inspect",
            &[
                "Usage: folio inspect [OPTIONS] <FILE> [FUNC]",
                "memory[0] pages: initial=1 max=3 (64 KiB .. 192 KiB)",
                "--bytecode",
                "StepI32LtU s0 += 1, s1 -> 0",
                "  2    bad input",
            ],
        ),
        (
            "wast",
            &[
                "Usage: folio wast [OPTIONS] <FILE>...",
                "--proposals <LIST>",
                "  1    the command ran and failed",
            ],
        ),
    ];
    for (command, needles) in commands {
        for args in [[command, "--help"], [command, "-h"], ["help", command]] {
            let out = folio(&args);
            assert_eq!(out.code, 0, "{args:?}: {out:?}");
            assert!(out.stderr.is_empty(), "{args:?}: {out:?}");
            for needle in *needles {
                assert!(
                    flat(&out.stdout).contains(&flat(needle)),
                    "`{needle}` missing from {args:?}: {}",
                    out.stdout
                );
            }
        }
    }
    // The long help explains more than the summary.
    let long = flat(&folio(&["run", "--help"]).stdout);
    assert!(long.contains("split at the first `::`"), "{long}");
    assert!(
        long.contains("Without `=VALUE`, NAME takes its value from folio's own environment"),
        "{long}"
    );
    let long = flat(&folio(&["wast", "--help"]).stdout);
    assert!(long.contains("memory64, multi-memory"), "{long}");
}

/// `text` with every run of whitespace made one space: help is wrapped to the terminal.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn version() {
    for flag in ["--version", "-V"] {
        let out = folio(&[flag]);
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(
            out.stdout,
            format!("folio {}\n", env!("CARGO_PKG_VERSION")),
            "{out:?}"
        );
        assert!(out.stderr.is_empty(), "{out:?}");
    }
}

/// `folio` alone is a usage error too, but shows the whole help (on stderr).
#[test]
fn no_command_shows_the_help_and_exits_2() {
    let out = folio(&[]);
    assert_eq!(out.code, BAD_INPUT, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(out.stderr.contains("Usage: folio <COMMAND>"), "{out:?}");
}

// ---------------------------------------------------------------------------------------
// errors that stop before any Wasm code runs: exit 2, one line

#[test]
fn missing_file() {
    fails(
        &["run", "no/such/file.wasm"],
        BAD_INPUT,
        "cannot read `no/such/file.wasm`: No such file or directory",
    );
    fails(&["inspect", "no/such/file.wat"], BAD_INPUT, "cannot read");
}

#[test]
fn unreadable_file() {
    // A directory cannot be read as a file (and, unlike a chmod, this holds for root too).
    let dir = env!("CARGO_TARGET_TMPDIR");
    fails(&["run", dir], BAD_INPUT, "cannot read");
}

#[test]
fn malformed_binary_names_the_offset() {
    let file = scratch("malformed.wasm", b"\0asm\x01\0\0\0\x05\x03");
    fails(&["run", &file], BAD_INPUT, "(at offset 0x");
    let file = scratch("garbage.wasm", b"not wasm at all");
    fails(&["inspect", &file], BAD_INPUT, "magic header not detected");
}

#[test]
fn invalid_module_names_the_offset() {
    let file = wasm_unvalidated("invalid.wasm", "(module (func (result i32) (i64.const 0)))");
    fails(&["run", &file], BAD_INPUT, "invalid module: type mismatch");
    fails(&["inspect", &file], BAD_INPUT, "(at offset 0x");
}

/// `wat` encodes without validating, so an invalid module can be written.
fn wasm_unvalidated(name: &str, wat: &str) -> String {
    wasm(name, wat)
}

#[test]
fn text_syntax_error_names_file_line_col() {
    let file = scratch(
        "syntax.wat",
        "(module\n  (func (result i32)\n    (i32.const nope)))",
    );
    fails(&["run", &file], BAD_INPUT, "syntax.wat:3:16: ");
}

#[test]
fn neither_binary_nor_text() {
    let file = scratch("binary.dat", [0xff, 0xfe, 0x00, 0x01]);
    fails(&["inspect", &file], BAD_INPUT, "neither a binary module");
}

#[test]
fn unknown_export_and_non_function_export() {
    let grow = example("grow.wat");
    fails(
        &["run", "--invoke", "nope", &grow],
        BAD_INPUT,
        "unknown export `nope` (exported functions: grow, size, grow_past_max, first_byte)",
    );
    fails(
        &["run", "--invoke", "memory", &grow],
        BAD_INPUT,
        "export `memory` is a memory, not a function",
    );
}

#[test]
fn wrong_argument_count() {
    let grow = example("grow.wat");
    fails(
        &["run", "--invoke", "grow", &grow],
        BAD_INPUT,
        "`grow` takes 1 argument (i32), got 0",
    );
    fails(
        &["run", "--invoke", "size", &grow, "1"],
        BAD_INPUT,
        "`size` takes no arguments, got 1",
    );
}

#[test]
fn unparsable_or_mistyped_argument() {
    let grow = example("grow.wat");
    fails(
        &["run", "--invoke", "grow", &grow, "two"],
        BAD_INPUT,
        "argument 1 of `grow`: `two` is not an i32",
    );
    fails(
        &["run", "--invoke", "grow", &grow, "1.5"],
        BAD_INPUT,
        "`1.5` is not an i32",
    );
    fails(
        &["run", "--invoke", "grow", &grow, "4294967296"],
        BAD_INPUT,
        "is not an i32",
    );
    let m64 = example("memory64.wat");
    fails(
        &["run", "--invoke", "grow", &m64, "nan"],
        BAD_INPUT,
        "`nan` is not an i64",
    );
}

#[test]
fn vectors_in_and_out() {
    let simd = scratch(
        "simd.wat",
        r#"(module (func (export "mul") (param v128 v128) (result v128 i32)
            (i32x4.mul (local.get 0) (local.get 1))
            (i32x4.extract_lane 3 (local.get 0))))"#,
    );
    ok(
        &[
            "run",
            "--invoke",
            "mul",
            &simd,
            "i32x4:1,2,3,-4",
            "0x2_00000002_00000002_00000002",
        ],
        "0xfffffff8000000060000000400000002\n-4\n",
    );
    fails(
        &["run", "--invoke", "mul", &simd, "i32x4:1,2,3", "0x0"],
        BAD_INPUT,
        "argument 1 of `mul`: `i32x4:1,2,3` is not a v128",
    );
}

#[test]
fn usage_errors() {
    let grow = example("grow.wat");
    fails(&["run"], BAD_INPUT, "`folio run` needs a FILE");
    fails(&["inspect"], BAD_INPUT, "`folio inspect` needs a FILE");
    fails(&["inspect", &grow, &grow], BAD_INPUT, "takes one FILE");
    fails(
        &["run", "--frobnicate", &grow],
        BAD_INPUT,
        "unknown option `--frobnicate`",
    );
    fails(
        &["run", "--invoke"],
        BAD_INPUT,
        "option `--invoke` needs a value",
    );
    fails(
        &["run", "--max-memory", "lots", &grow],
        BAD_INPUT,
        "invalid size `lots` for `--max-memory`",
    );
    fails(
        &["run", "--fuel", "-5", &grow],
        BAD_INPUT,
        "invalid value `-5` for `--fuel`",
    );
    fails(
        &["run", "--stack-depth", "0", &grow],
        BAD_INPUT,
        "invalid value `0` for `--stack-depth`",
    );
    fails(
        &["run", "--store", "disk", &grow],
        BAD_INPUT,
        "expected `heap` or `reserve`",
    );
    fails(
        &["run", "--trace-grow=yes", &grow],
        BAD_INPUT,
        "takes no value",
    );
    fails(&["run", &grow, "1"], BAD_INPUT, "exports no `_start`");
    fails(&["frobnicate"], BAD_INPUT, "unknown command");
}

/// What `clap` finds wrong is one `error:` line in Folio's words, exit 2, whichever
/// subcommand and whichever form (`--opt value` or `--opt=value`).
#[test]
fn usage_errors_are_one_line_in_either_form() {
    let grow = example("grow.wat");
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "--fuel=-5", &grow],
            "invalid value `-5` for `--fuel`: expected a non-negative integer",
        ),
        (
            &["run", "--max-memory=lots", &grow],
            "invalid size `lots` for `--max-memory`",
        ),
        (
            &["run", "--max-memory", "-1", &grow],
            "invalid size `-1` for `--max-memory`",
        ),
        (
            &["run", "--stack-depth=4294967296", &grow],
            "invalid value `4294967296` for `--stack-depth`: expected 1 ..= 4294967295",
        ),
        (
            &["run", "--store=disk", &grow],
            "invalid value `disk` for `--store`: expected `heap` or `reserve`",
        ),
        (
            &["run", "--fule", "3", &grow],
            "unknown option `--fule` for `folio run` (did you mean `--fuel`?) (see `folio run --help`)",
        ),
        (&["run", "-x", &grow], "unknown option `-x` for `folio run`"),
        (
            &["run", "--dir", "::guest", &grow],
            "invalid value `::guest` for `--dir`: expected HOST[::GUEST], HOST is empty",
        ),
        (
            &["run", "--dir=host::", &grow],
            "invalid value `host::` for `--dir`: expected HOST[::GUEST], GUEST is empty",
        ),
        (
            &["run", "--env", "=1", &grow],
            "invalid value `=1` for `--env`: expected NAME=VALUE or NAME, NAME is empty",
        ),
        (&["run", "--env="], "NAME is empty"),
        (&["run", "--dir"], "option `--dir` needs a value"),
        (
            &["inspect", "--x=3", &grow],
            "unknown option `--x` for `folio inspect` (see `folio inspect --help`)",
        ),
        (
            &["wast", "--proposals"],
            "option `--proposals` needs a value (see `folio wast --help`)",
        ),
        (
            &["wast", "--bogus", &grow],
            "unknown option `--bogus` for `folio wast`",
        ),
        (&["wast"], "`folio wast` needs at least one FILE"),
        (
            &["--bogus"],
            "unknown option `--bogus` for `folio` (see `folio --help`)",
        ),
        (
            &["help", "frob"],
            "unknown command `frob` (see `folio --help`)",
        ),
    ];
    for (args, message) in cases {
        let out = fails(args, BAD_INPUT, message);
        assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
    }
}

/// Options go before FILE; everything after it belongs to the module, even what looks
/// like an option of folio's (wasmtime's convention).
#[test]
fn arguments_after_file_belong_to_the_module() {
    let file = scratch(
        "echo_i32.wat",
        r#"(module (func (export "echo") (param i32) (result i32) (local.get 0)))"#,
    );
    ok(&["run", "--invoke", "echo", &file, "-1"], "-1\n");
    ok(&["run", "--invoke=echo", &file, "-0x10"], "-16\n");
    // `--` before FILE ends folio's options; after FILE it is an argument like any other.
    ok(&["run", "--invoke", "echo", "--", &file, "7"], "7\n");
    fails(
        &["run", "--invoke", "echo", &file, "--", "7"],
        BAD_INPUT,
        "`echo` takes 1 argument (i32), got 2",
    );
    fails(
        &["run", "--invoke", "echo", &file, "--fuel"],
        BAD_INPUT,
        "argument 1 of `echo`: `--fuel` is not an i32",
    );
    fails(
        &["run", "--invoke", "echo", &file, "--help"],
        BAD_INPUT,
        "argument 1 of `echo`: `--help` is not an i32",
    );
    fails(
        &["run", "--invoke", "echo", &file, "--version"],
        BAD_INPUT,
        "`--version` is not an i32",
    );
    // Written after FILE, `--invoke` is the module's: there is no function to take it.
    fails(
        &["run", &file, "--invoke", "echo", "1"],
        BAD_INPUT,
        "ARGS given but the module exports no `_start`: name the function with `--invoke NAME` before FILE",
    );
}

/// Every option in its `--opt=value` form, and the last of a repeated option wins.
#[test]
fn options_in_equals_form() {
    let out = ok(
        &[
            "run",
            "--store=heap",
            "--max-memory=128KiB",
            "--fuel=1000000",
            "--stack-depth=100",
            "--trace-grow",
            "--dir=.::here",
            "--env=A=1",
            "--invoke=grow_past_max",
            &example("grow.wat"),
        ],
        "1\n-1\n-1\n2\n",
    );
    assert!(
        out.stderr
            .contains("refused: host limit (--max-memory 131072 bytes)"),
        "{out:?}"
    );
    ok(
        &[
            "run",
            "--invoke=size",
            "--invoke",
            "grow",
            &example("grow.wat"),
            "2",
        ],
        "1\n",
    );
}

/// A module's arguments are whatever bytes the OS gave; one read as a Wasm value must be
/// text.
#[cfg(unix)]
#[test]
fn non_utf8_argument_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let file = scratch(
        "echo_i32_bytes.wat",
        r#"(module (func (export "echo") (param i32) (result i32) (local.get 0)))"#,
    );
    let out = assert_cmd::cargo::cargo_bin_cmd!("folio")
        .args(["run", "--invoke", "echo", &file])
        .arg(std::ffi::OsStr::from_bytes(b"\xff1"))
        .output()
        .expect("folio runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(BAD_INPUT), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: argument 1 of `echo`: \"\\xFF1\" is not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn link_error_names_the_import() {
    let file = scratch("import.wat", r#"(module (import "env" "f" (func)))"#);
    fails(
        &["run", &file],
        BAD_INPUT,
        "unknown import: `env::f` has not been defined (folio run provides only `wasi_snapshot_preview1`)",
    );
}

#[test]
fn tables_count_against_max_memory() {
    // Ten million elements (80 MB) under a 64 KiB limit: refused before allocating.
    let big = scratch("big_table.wat", "(module (table 10000000 funcref))");
    fails(
        &["run", "--max-memory", "64KiB", &big],
        BAD_INPUT,
        "table of 10000000 elements is too large: refused by the limiter: limit of 65536 bytes per table (--max-memory)",
    );
    // A grow past it returns -1 (8,192 elements of 8 bytes fit in 64 KiB).
    let grow = scratch(
        "grow_table.wat",
        r#"(module (table 1 funcref)
             (func (export "grow") (param i32) (result i32)
               (table.grow (ref.null func) (local.get 0))))"#,
    );
    ok(
        &[
            "run",
            "--max-memory",
            "64KiB",
            "--invoke",
            "grow",
            &grow,
            "8191",
        ],
        "1\n",
    );
    ok(
        &[
            "run",
            "--max-memory",
            "64KiB",
            "--invoke",
            "grow",
            &grow,
            "8192",
        ],
        "-1\n",
    );
}

#[test]
fn memory_that_cannot_be_allocated() {
    // Refused by the host limit…
    let file = scratch("two_pages.wat", "(module (memory 2))");
    fails(
        &["run", "--max-memory", "64KiB", &file],
        BAD_INPUT,
        "could not allocate memory: 2 pages (131072 bytes) refused by the embedder's limiter",
    );
    // …and more than any host has: 2^36 pages of 64 KiB = 4 PiB, in either store.
    let huge = scratch("huge.wat", "(module (memory i64 0x10_0000_0000))");
    fails(
        &["run", &huge],
        BAD_INPUT,
        "could not allocate memory: 68719476736 pages",
    );
    fails(
        &["run", "--store", "heap", &huge],
        BAD_INPUT,
        "could not allocate memory: 68719476736 pages",
    );
}

// ---------------------------------------------------------------------------------------
// instantiation

#[test]
fn a_module_without_start_instantiates_and_prints_nothing() {
    ok(&["run", &example("grow.wat")], "");
    ok(&["run", "--store", "heap", &example("frames.wat")], "");
}

#[test]
fn a_segment_out_of_bounds_traps_at_instantiation() {
    let file = scratch(
        "oob_data.wat",
        r#"(module (memory 1) (data (i32.const 65535) "ab"))"#,
    );
    fails(
        &["run", &file],
        TRAP,
        "trap while instantiating: out of bounds memory access",
    );
}

#[test]
fn one_gib_initial_memory_starts_fast() {
    // Reserved address space, committed but never touched: no zero-filling pass. (The
    // heap store writes its zeros, so it is not timed here.)
    let file = scratch("gib.wat", "(module (memory (export \"m\") 16384))");
    let start = Instant::now();
    ok(&["run", "--store", "reserve", &file], "");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn trace_reports_the_reservation() {
    let out = ok(
        &[
            "run",
            "--trace-grow",
            "--store",
            "reserve",
            &example("grow.wat"),
        ],
        "",
    );
    assert!(
        out.stderr.contains(
            "memory[0] page store: reserved 196608 bytes of address space, 65536 committed"
        ),
        "{out:?}"
    );
}

// ---------------------------------------------------------------------------------------
// running code (these wait for the interpreter)

#[test]
fn grow_to_the_maximum_and_past_it() {
    for store in ["reserve", "heap"] {
        ok(
            &[
                "run",
                "--store",
                store,
                "--invoke",
                "grow_past_max",
                &example("grow.wat"),
            ],
            "1\n2\n-1\n3\n",
        );
    }
    ok(
        &["run", "--invoke", "grow", &example("grow.wat"), "2"],
        "1\n",
    );
    ok(
        &["run", "--invoke", "grow", &example("grow.wat"), "3"],
        "-1\n",
    );
    ok(
        &["run", "--invoke", "first_byte", &example("grow.wat")],
        "102\n",
    );
}

#[test]
fn arguments_of_every_type_round_trip() {
    let file = scratch(
        "echo.wat",
        r#"(module
             (func (export "i32") (param i32) (result i32) (local.get 0))
             (func (export "i64") (param i64) (result i64) (local.get 0))
             (func (export "f32") (param f32) (result f32) (local.get 0))
             (func (export "f64") (param f64) (result f64) (local.get 0))
             (func (export "funcref") (param funcref) (result funcref) (local.get 0))
             (func (export "externref") (param externref) (result externref) (local.get 0))
             (func (export "all") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
               (local.get 3) (local.get 2) (local.get 1) (local.get 0)))"#,
    );
    let cases: &[(&str, &str, &str)] = &[
        ("i32", "42", "42"),
        ("i32", "-7", "-7"),
        ("i32", "0x10", "16"),
        ("i32", "0xffffffff", "-1"),
        ("i32", "-2147483648", "-2147483648"),
        ("i64", "-9223372036854775808", "-9223372036854775808"),
        ("i64", "0x7fffffffffffffff", "9223372036854775807"),
        ("f32", "0.1", "0.1"),
        ("f32", "-0", "-0"),
        ("f32", "inf", "inf"),
        ("f32", "nan", "NaN"),
        ("f64", "-inf", "-inf"),
        // `{}` is positional: shortest digits that read back exactly, never an exponent.
        ("f64", "1e21", "1000000000000000000000"),
        ("f64", "1.5e-5", "0.000015"),
        ("f64", "2.5", "2.5"),
        ("funcref", "null", "null"),
        ("externref", "null", "null"),
        ("externref", "7", "ref.extern"),
    ];
    for (func, arg, printed) in cases {
        ok(
            &["run", "--invoke", func, &file, arg],
            &format!("{printed}\n"),
        );
    }
    ok(
        &["run", "--invoke", "all", &file, "-1", "-2", "0.5", "-0.25"],
        "-0.25\n0.5\n-2\n-1\n",
    );
}

#[test]
fn start_and_underscore_start() {
    let file = scratch(
        "start.wat",
        r#"(module
             (memory 1)
             (func $init (i32.store (i32.const 0) (i32.const 41)))
             (start $init)
             (func (export "_start") (result i32) (i32.add (i32.load (i32.const 0)) (i32.const 1))))"#,
    );
    ok(&["run", &file], "42\n");
}

#[test]
fn traps_exit_1_with_the_spec_message() {
    let file = scratch(
        "traps.wat",
        r#"(module
             (memory 1)
             (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
             (func (export "oob") (result i32) (i32.load (i32.const 65535)))
             (func (export "boom") unreachable))"#,
    );
    ok(&["run", "--invoke", "div", &file, "7", "2"], "3\n");
    fails(
        &["run", "--invoke", "div", &file, "7", "0"],
        TRAP,
        "trap in `div`: integer divide by zero",
    );
    fails(
        &["run", "--invoke", "div", &file, "-2147483648", "-1"],
        TRAP,
        "integer overflow",
    );
    fails(
        &["run", "--invoke", "oob", &file],
        TRAP,
        "trap in `oob`: out of bounds memory access",
    );
    fails(
        &["run", "--invoke", "boom", &file],
        TRAP,
        "trap in `boom`: unreachable",
    );
    let start = scratch(
        "start_trap.wat",
        "(module (func $s unreachable) (start $s))",
    );
    fails(
        &["run", &start],
        TRAP,
        "trap while instantiating: unreachable",
    );
}

#[test]
fn fuel_runs_out() {
    let file = scratch(
        "spin.wat",
        r#"(module
             (func (export "spin") (loop $l (br $l)))
             (func (export "count") (param $n i32) (result i32)
               (local $i i32)
               (block $done
                 (loop $l
                   (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                   (local.set $i (i32.add (local.get $i) (i32.const 1)))
                   (br $l)))
               (local.get $i)))"#,
    );
    fails(
        &["run", "--fuel", "1000", "--invoke", "spin", &file],
        TRAP,
        "trap in `spin`: all fuel consumed (--fuel 1000)",
    );
    ok(
        &["run", "--fuel", "1000000", "--invoke", "count", &file, "10"],
        "10\n",
    );
    fails(
        &["run", "--fuel", "100", "--invoke", "count", &file, "1000"],
        TRAP,
        "all fuel consumed",
    );
}

#[test]
fn stack_depth_limits_recursion() {
    let file = scratch(
        "recurse.wat",
        r#"(module
             (func $depth (export "depth") (param $n i32) (result i32)
               (if (result i32) (i32.eqz (local.get $n))
                 (then (i32.const 0))
                 (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1))))))))"#,
    );
    ok(
        &[
            "run",
            "--stack-depth",
            "100",
            "--invoke",
            "depth",
            &file,
            "50",
        ],
        "50\n",
    );
    fails(
        &[
            "run",
            "--stack-depth",
            "100",
            "--invoke",
            "depth",
            &file,
            "500",
        ],
        TRAP,
        "trap in `depth`: call stack exhausted (--stack-depth 100)",
    );
    fails(
        &["run", "--invoke", "depth", &file, "1000000"],
        TRAP,
        "call stack exhausted",
    );
}

#[test]
fn max_memory_refusal_shows_in_the_trace() {
    let out = ok(
        &[
            "run",
            "--max-memory",
            "128KiB",
            "--trace-grow",
            "--invoke",
            "grow_past_max",
            &example("grow.wat"),
        ],
        "1\n-1\n-1\n2\n",
    );
    assert!(
        out.stderr
            .contains("memory[0] grow: 1 + 1 pages -> 2 pages\n"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains(
            "memory[0] grow: 2 + 1 pages -> refused: host limit (--max-memory 131072 bytes)\n"
        ),
        "{out:?}"
    );
}

#[test]
fn trace_names_the_declared_maximum() {
    let out = ok(
        &[
            "run",
            "--trace-grow",
            "--invoke",
            "grow_past_max",
            &example("grow.wat"),
        ],
        "1\n2\n-1\n3\n",
    );
    assert!(
        out.stderr
            .contains("memory[0] grow: 2 + 1 pages -> 3 pages\n"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("memory[0] grow: 3 + 1 pages -> refused: declared maximum (3 pages)\n"),
        "{out:?}"
    );
}

#[test]
fn memory64_passes_4_gib() {
    ok(
        &["run", "--invoke", "past_4gib", &example("memory64.wat")],
        "1\n42\n65537\n",
    );
    ok(
        &["run", "--invoke", "grow", &example("memory64.wat"), "99999"],
        "1\n",
    );
    ok(
        &[
            "run",
            "--invoke",
            "grow",
            &example("memory64.wat"),
            "100000",
        ],
        "-1\n",
    );
    // Below the host limit the grow fails, and the store at 4 GiB traps.
    let out = fails(
        &[
            "run",
            "--max-memory",
            "2GiB",
            "--invoke",
            "past_4gib",
            &example("memory64.wat"),
        ],
        TRAP,
        "trap in `past_4gib`: out of bounds memory access",
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn frames_checksum() {
    // Small frames here (a debug build interprets slowly); the README shows 1920x1080.
    ok(
        &[
            "run",
            "--invoke",
            "process",
            &example("frames.wat"),
            "64",
            "32",
        ],
        "8789776595968\n",
    );
    ok(
        &[
            "run",
            "--store",
            "heap",
            "--invoke",
            "process",
            &example("frames.wat"),
            "64",
            "32",
        ],
        "8789776595968\n",
    );
}

// ---------------------------------------------------------------------------------------
// the examples' README shows exact output

/// Every `$ folio …` command in a console block of `examples/README.md` prints exactly
/// what the README shows (stderr then stdout with `2>&1`; the `error:` line of a failing
/// command), and `$ echo $?` after one shows its exit code. Commands with a pipe or of
/// another program (clang) are not run.
#[test]
fn examples_readme_output_is_exact() {
    let readme = std::fs::read_to_string(example("README.md")).unwrap();
    let mut in_console = false;
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            if in_console {
                blocks.push(Vec::new());
            }
        } else if in_console {
            blocks.last_mut().unwrap().push(line);
        }
    }
    let mut checked = 0;
    for block in blocks {
        let mut i = 0;
        let mut last_code = None;
        while i < block.len() {
            let command = block[i].strip_prefix("$ ").expect("a command line");
            let mut expected = String::new();
            i += 1;
            while i < block.len() && !block[i].starts_with("$ ") {
                expected.push_str(block[i]);
                expected.push('\n');
                i += 1;
            }
            if command == "echo $?" {
                assert_eq!(
                    Some(expected.trim().to_string()),
                    last_code.take(),
                    "exit code before `echo $?`"
                );
                continue;
            }
            let Some(rest) = command.strip_prefix("folio ") else {
                continue;
            };
            if rest.contains('|') || rest.ends_with('\\') {
                continue;
            }
            let merged = rest.ends_with(" 2>&1");
            let rest = rest.trim_end_matches(" 2>&1");
            let args: Vec<String> = rest
                .split_whitespace()
                .map(|a| {
                    a.strip_prefix("examples/")
                        .map_or_else(|| a.to_string(), example)
                })
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = folio(&args);
            let shown = if merged || out.code != 0 {
                format!("{}{}", out.stderr, out.stdout)
            } else {
                out.stdout.clone()
            };
            assert_eq!(shown, expected, "`{command}`");
            last_code = Some(out.code.to_string());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} commands checked");
}

// ---------------------------------------------------------------------------------------
// WASI modules: --invoke, exit statuses, traps (the C and Rust programs are in
// tests/wasi_programs.rs)

const WASI_WAT: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hi\n")
  (data (i32.const 16) "\64\00\00\00\03\00\00\00")
  (func $hi (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32))))
  (func (export "greet") (param i32) (result i32)
    (call $hi) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "exit_with") (param i32) (result i32)
    (call $hi) (call $proc_exit (local.get 0)) (i32.const -1))
  (func (export "crash") (call $hi) unreachable)
  (func (export "_start") (call $hi) (call $proc_exit (i32.const 7))))"#;

#[test]
fn invoke_works_on_a_wasi_module() {
    let file = scratch("wasi_invoke.wat", WASI_WAT);
    let out = ok(&["run", "--invoke", "greet", &file, "21"], "hi\n42\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn proc_exit_is_the_exit_status_without_an_error_line() {
    let file = scratch("wasi_exit.wat", WASI_WAT);
    // `_start` exits 7; nothing else is printed, results of --invoke included.
    let out = folio(&["run", &file]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (7, "hi\n", "")
    );
    let out = folio(&["run", "--invoke", "exit_with", &file, "0"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "hi\n", "")
    );
    let out = folio(&["run", "--invoke", "exit_with", &file, "125"]);
    assert_eq!((out.code, out.stderr.as_str()), (125, ""));
    // 126 and up are the shell's: refused as wasmtime refuses them.
    let out = fails(
        &["run", "--invoke", "exit_with", &file, "126"],
        TRAP,
        "the program exited with status 126, outside the 0..=125",
    );
    assert_eq!(out.stdout, "hi\n");
    fails(
        &["run", "--invoke", "exit_with", &file, "-1"],
        TRAP,
        "status 4294967295",
    );
}

#[test]
fn a_trap_in_a_wasi_module_is_one_error_line_after_its_output() {
    let file = scratch("wasi_trap.wat", WASI_WAT);
    let out = fails(&["run", "--invoke", "crash", &file], TRAP, "unreachable");
    assert_eq!(out.stdout, "hi\n");
}

#[test]
fn uncaught_exception_names_the_tag_and_exits_1() {
    let file = scratch(
        "exceptions.wat",
        r#"(module
             (tag $oops (export "oops") (param i32 f64))
             (tag $quiet)
             (func $deep (param i32) (throw $oops (local.get 0) (f64.const 2.5)))
             (func (export "fail") (param i32) (call $deep (local.get 0)))
             (func (export "silent") (throw $quiet))
             (func (export "caught") (param i32) (result i32)
               (block $h (result i32 f64)
                 (try_table (catch $oops $h) (call $deep (local.get 0)))
                 (unreachable))
               (drop))
             (func $start (throw $quiet))
             (func (export "null_ref") (throw_ref (ref.null exn))))"#,
    );
    fails(
        &["run", "--invoke", "fail", &file, "42"],
        TRAP,
        r#"uncaught exception in `fail`: tag "oops" [i32 42, f64 2.5]"#,
    );
    // Not exported: named by its index among the module's tags.
    fails(
        &["run", "--invoke", "silent", &file],
        TRAP,
        "uncaught exception in `silent`: tag 1",
    );
    ok(&["run", "--invoke", "caught", &file, "7"], "7\n");
    fails(
        &["run", "--invoke", "null_ref", &file],
        TRAP,
        "trap in `null_ref`: null exception reference",
    );
    let start = scratch(
        "start_throws.wat",
        "(module (tag $t (param i64)) (func $s (throw $t (i64.const -1))) (start $s))",
    );
    fails(
        &["run", &start],
        TRAP,
        "uncaught exception while instantiating: tag 0 [i64 -1]",
    );
}

#[test]
fn inspect_lists_tags() {
    let file = wasm(
        "tags.wasm",
        r#"(module
             (import "env" "failure" (tag (param i32)))
             (tag (export "done"))
             (tag (param i64 f32)))"#,
    );
    let out = ok(&["inspect", &file], &folio(&["inspect", &file]).stdout);
    for line in [
        "  env.failure: tag (param i32)\n",
        "  done: tag\n",
        "tags: 3 (1 imported, 2 defined)\n",
        "  tag[0] tag (param i32)\n",
        "  tag[1] tag\n",
        "  tag[2] tag (param i64 f32)\n",
    ] {
        assert!(out.stdout.contains(line), "{line:?} not in {}", out.stdout);
    }
}
