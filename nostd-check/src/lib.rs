//! What the no_std gate links: [`check`] instantiates a small module with a host function
//! and calls its export, so the image built from `main.rs` holds folio's whole path from
//! bytes to execution (validation, translation, `Engine`, `Store`, `Linker`, typed calls,
//! linear memory and its growth), not only the parts a smaller call would keep.
//!
//! `cargo test --release --manifest-path nostd-check/Cargo.toml` runs [`check`] on the
//! host, so the function every firmware image of the gate links is known to work.
#![no_std]

#[cfg(test)]
extern crate std;

use folio::{Engine, Error, Linker, Module, Store};

/// The module [`check`] runs (90 bytes, from this text by the `wat` crate):
///
/// ```wat
/// (module
///   (import "host" "double" (func (param i32) (result i32)))
///   (memory (export "memory") 16 64 (pagesize 1))
///   (func (export "run") (param i32) (result i32)
///     (i32.store (i32.const 8) (call 0 (i32.add (local.get 0) (i32.const 1))))
///     (drop (memory.grow (i32.const 16)))
///     (i32.load (i32.const 8))))
/// ```
///
/// Its memory has 1-byte pages (custom-page-sizes), so a board needs 16 bytes for it,
/// not 64 KiB.
pub const WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type 0: (i32) -> i32
    0x02, 0x0f, 0x01, 0x04, b'h', b'o', b's', b't', // import "host"
    0x06, b'd', b'o', b'u', b'b', b'l', b'e', 0x00, 0x00, //   "double" (func type 0)
    0x03, 0x02, 0x01, 0x00, // function 1 has type 0
    0x05, 0x05, 0x01, 0x09, 0x10, 0x40, 0x00, // memory 16..64 pages of 2^0 bytes
    0x07, 0x10, 0x02, // two exports
    0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, // "memory" = memory 0
    0x03, b'r', b'u', b'n', 0x00, 0x01, // "run" = func 1
    0x0a, 0x1a, 0x01, 0x18, 0x00, // code: one body of 24 bytes, no locals
    0x41, 0x08, 0x20, 0x00, // i32.const 8, local.get 0
    0x41, 0x01, 0x6a, // i32.const 1, i32.add
    0x10, 0x00, 0x36, 0x02, 0x00, // call 0, i32.store
    0x41, 0x10, 0x40, 0x00, 0x1a, // i32.const 16, memory.grow 0, drop
    0x41, 0x08, 0x28, 0x02, 0x00, 0x0b, // i32.const 8, i32.load, end
];

/// A SIMD module (64 bytes, from this text by `wat2wasm`), which [`check`] runs with the
/// `simd` feature and sees refused without it:
///
/// ```wat
/// (module (func (export "simd") (param i32) (result i32)
///   (i32x4.extract_lane 3
///     (i32x4.mul (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4)))))
/// ```
pub const SIMD_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type 0: (i32) -> i32
    0x03, 0x02, 0x01, 0x00, // function 0 has type 0
    0x07, 0x08, 0x01, 0x04, b's', b'i', b'm', b'd', 0x00, 0x00, // export "simd" = func 0
    0x0a, 0x20, 0x01, 0x1e, 0x00, // code: one body of 30 bytes, no locals
    0x20, 0x00, 0xfd, 0x11, // local.get 0, i32x4.splat
    0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // v128.const i32x4 1 2
    0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, //   3 4
    0xfd, 0xb5, 0x01, 0xfd, 0x1b, 0x03, 0x0b, // i32x4.mul, i32x4.extract_lane 3, end
];

/// Runs `run(x)` of [`WASM`] with `double` as the host function, and checks from the
/// embedder's side what it left in memory: returns `2 * (x + 1)` (wrapping).
///
/// # Errors
/// Whatever folio reports: an allocation it could not make, a trap, or (if the module
/// and this function disagreed) a missing export or a wrong result.
pub fn check(x: i32) -> Result<i32, Error> {
    let engine = Engine::default();
    let module = Module::new(&engine, WASM)?;
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    linker.func_wrap("host", "double", |x: i32| x.wrapping_mul(2))?;
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<i32, i32>(&store, "run")?;
    let result = run.call(&mut store, x)?;
    let memory = instance
        .get_memory(&store, "memory")
        .ok_or_else(|| Error::host("no export `memory`"))?;
    let mut stored = [0; 4];
    memory.read(&store, 8, &mut stored)?;
    if memory.size(&store)? != 32 || i32::from_le_bytes(stored) != result {
        return Err(Error::host("run: not what the module stores"));
    }
    check_simd(&engine, x)?;
    Ok(result)
}

/// With the `simd` feature: `simd(x)` of [`SIMD_WASM`] is `4 * x`.
#[cfg(feature = "simd")]
fn check_simd(engine: &Engine, x: i32) -> Result<(), Error> {
    let module = Module::new(engine, SIMD_WASM)?;
    let mut store = Store::new(engine, ());
    let instance = Linker::new().instantiate(&mut store, &module)?;
    let simd = instance.get_typed_func::<i32, i32>(&store, "simd")?;
    if simd.call(&mut store, x)? == x.wrapping_mul(4) {
        Ok(())
    } else {
        Err(Error::host("simd: not 4 * x"))
    }
}

/// Without the `simd` feature: [`SIMD_WASM`] is refused, saying why.
#[cfg(not(feature = "simd"))]
fn check_simd(engine: &Engine, _x: i32) -> Result<(), Error> {
    match Module::new(engine, SIMD_WASM) {
        Err(e) if matches!(e.kind(), folio::ErrorKind::Module { message, .. } if message.contains("`simd` cargo feature")) => Ok(()),
        Err(e) => Err(e),
        Ok(_) => Err(Error::host("a SIMD module accepted without the `simd` feature")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_module_runs() {
        assert_eq!(super::check(20).unwrap(), 42);
        assert_eq!(super::check(-1).unwrap(), 0);
    }
}
