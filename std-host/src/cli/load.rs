//! Reading a module from a file: the binary format, or the text format through the `wast`
//! crate (what the `wat` crate uses, called directly so an error stays one line with its
//! `file:line:col`).
//!
//! Which format: bytes starting with `\0asm` are binary; otherwise a `.wasm` file is
//! binary too (so the validator's "magic header not detected" names the problem), and
//! anything else must be UTF-8 text.

use super::Failure;
use folio::{Engine, Module};
use std::path::Path;

/// The binary module in `path`, translated from text when it is text.
///
/// # Errors
/// A failure naming the path: unreadable, not UTF-8 text, or a text-format error with
/// `file:line:col`.
pub fn read_wasm(path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::error(format!(
            "cannot read `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    let is_binary = bytes.starts_with(b"\0asm")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wasm"));
    if is_binary {
        return Ok(bytes);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::error(format!(
            "`{}` is neither a binary module (no `\\0asm` header) nor UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    wat_to_wasm(path, &text)
}

/// `text` in the text format, as a binary module.
///
/// # Errors
/// The first parse or encode error, as `FILE:LINE:COL: MESSAGE`.
pub fn wat_to_wasm(path: &Path, text: &str) -> Result<Vec<u8>, Failure> {
    let located = |e: wast::Error| {
        let (line, col) = e.span().linecol_in(text);
        Failure::error(format!(
            "{}:{}:{}: {}",
            path.display(),
            line + 1,
            col + 1,
            e.message()
        ))
    };
    let buf = wast::parser::ParseBuffer::new(text).map_err(located)?;
    let mut wat = wast::parser::parse::<wast::Wat>(&buf).map_err(located)?;
    wat.encode().map_err(located)
}

/// The module in `path`, validated.
///
/// # Errors
/// As [`read_wasm`], plus the validator's message and byte offset.
pub fn load_module(engine: &Engine, path: &Path) -> Result<Module, Failure> {
    let bytes = read_wasm(path)?;
    Module::new(engine, &bytes).map_err(|e| Failure::error(format!("{}: {e}", path.display())))
}

/// An I/O error's reason without the OS error number Rust appends (`(os error 2)`).
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
