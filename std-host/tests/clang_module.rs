//! `folio inspect` and `folio run` on modules built by a C toolchain: the memory limits
//! `wasm-ld --initial-memory/--max-memory` wrote (bytes, turned into pages) show as
//! declared. The modules are committed fixtures (see `fixtures/README.md`).

use assert_cmd::Command;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn folio(args: &[&str], file: &str) -> (Option<i32>, String) {
    let out = Command::cargo_bin("folio")
        .unwrap()
        .args(args)
        .arg(fixture(file))
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn inspect_shows_the_linker_limits_of_a_wasm32_module() {
    let (code, out) = folio(&["inspect"], "frame32.wasm");
    assert_eq!(code, Some(0));
    assert_eq!(
        out.lines().next(),
        Some("memory[0] pages: initial=288 max=512 (18 MiB .. 32 MiB)")
    );
}

#[test]
fn inspect_shows_the_linker_limits_of_a_wasm64_module() {
    let (code, out) = folio(&["inspect"], "frame64.wasm");
    assert_eq!(code, Some(0));
    assert_eq!(
        out.lines().next(),
        Some("memory[0] pages: initial=288 max=100000 i64 (18 MiB .. 6.1 GiB)")
    );
}

#[test]
fn the_c_module_runs() {
    // Inverting a zeroed 1080p RGBA frame: 1920 * 1080 * 4 bytes of 255.
    let (code, out) = folio(&["run", "--invoke", "invert"], "frame32.wasm");
    assert_eq!(code, Some(0));
    assert_eq!(out, format!("{}\n", 1920u64 * 1080 * 4 * 255));
}
