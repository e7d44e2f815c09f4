//! Turns a fuzzer's crash input into a regression test, or shows what an input means.
//!
//! ```text
//! cargo run -p folio-fuzz --bin regress -- save TARGET ARTIFACT NAME
//! cargo run -p folio-fuzz --bin regress -- show TARGET ARTIFACT
//! ```
//!
//! `save` writes `fuzz/regressions/TARGET/NAME.*`, which the target's `regressions` test
//! replays: for `grow_access` the raw input (`.bin`) and the operations it decodes to
//! (`.txt`); for `execute` and `differential` the generated module (`.wasm`) and its text
//! (`.wat`). `show` prints the operations or the module's text, and replays the input.

use arbitrary::{Arbitrary, Unstructured};
use folio_fuzz::grow_access::Input;
use folio_fuzz::wasm_gen::{self, Purpose};
use folio_fuzz::{differential, execute, grow_access, regression_dir};
use std::process::ExitCode;

// `cargo fuzz build` with no target builds every bin, this one too, instrumented for
// coverage: the instrumentation's hooks are in libFuzzer's runtime (and, weakly, in a
// sanitizer's), so link it, keeping this `main`.
#[cfg(fuzzing)]
use libfuzzer_sys as _;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["save", target, artifact, name] => save(target, artifact, name),
        ["show", target, artifact] => show(target, artifact),
        _ => Err("usage: regress save TARGET ARTIFACT NAME | regress show TARGET ARTIFACT".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("regress: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What an input of `target` decodes to: the operations' debug text, or the module.
enum Decoded {
    Ops(String),
    Module(Vec<u8>),
}

fn decode(target: &str, data: &[u8]) -> Result<Decoded, String> {
    let mut u = Unstructured::new(data);
    let purpose = match target {
        "grow_access" => {
            let input = Input::arbitrary(&mut u).map_err(|e| e.to_string())?;
            return Ok(Decoded::Ops(format!("{input:#?}\n")));
        }
        "execute" => Purpose::Execute,
        "differential" => Purpose::Differential,
        _ => return Err(format!("unknown target {target}")),
    };
    let wasm = wasm_gen::generate(&mut u, purpose).map_err(|e| e.to_string())?;
    Ok(Decoded::Module(wasm))
}

fn wat(wasm: &[u8]) -> Result<String, String> {
    wasmprinter::print_bytes(wasm).map_err(|e| e.to_string())
}

fn save(target: &str, artifact: &str, name: &str) -> Result<(), String> {
    let data = std::fs::read(artifact).map_err(|e| format!("{artifact}: {e}"))?;
    let dir = regression_dir(target);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let write = |ext: &str, bytes: &[u8]| {
        let path = dir.join(format!("{name}.{ext}"));
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
        Ok::<(), String>(())
    };
    match decode(target, &data)? {
        Decoded::Ops(text) => {
            write("bin", &data)?;
            write("txt", text.as_bytes())?;
        }
        Decoded::Module(wasm) => {
            write("wasm", &wasm)?;
            write("wat", wat(&wasm)?.as_bytes())?;
        }
    }
    Ok(())
}

fn show(target: &str, artifact: &str) -> Result<(), String> {
    let data = std::fs::read(artifact).map_err(|e| format!("{artifact}: {e}"))?;
    match decode(target, &data)? {
        Decoded::Ops(text) => print!("{text}"),
        Decoded::Module(wasm) => print!("{}", wat(&wasm)?),
    }
    println!(";; replaying…");
    match target {
        "grow_access" => grow_access::run_bytes(&data),
        "execute" => execute::run_bytes(&data),
        _ => differential::run_bytes(&data),
    }
    println!(";; no failure");
    Ok(())
}
