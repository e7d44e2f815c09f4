//! How a Rust program ends: `exit N` (std::process::exit after a print! without a newline,
//! flushed first because std::process::exit does not flush), `panic` (the message on
//! stderr, then abort: a trap), `err` (main returns Err: `Error: ...` on stderr, status 1),
//! no argument: status 0.
//! WASI: proc_exit, fd_write.

use std::io::Write;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("exit") => {
            let code: i32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
            print!("exiting with {code}");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            std::process::exit(code);
        }
        Some("panic") => {
            println!("about to panic");
            panic!("deliberate panic");
        }
        Some("err") => {
            println!("returning Err");
            Err("deliberate error".to_string())
        }
        Some(other) => Err(format!("unknown mode {other}")),
        None => {
            println!("no arguments: Ok(())");
            Ok(())
        }
    }
}
