//! The `folio` command: `folio run`, `folio inspect`, `folio wast` (see `folio --help`).
//!
//! Everything lives in [`folio_host::cli`]: reading the command line with `clap`, each
//! subcommand, and the exit codes (0 success; 1 the command ran and something failed, a
//! trap or a directive; 2 bad input, reported as one `error:` line on stderr; 101 a bug).
//! This file only hands it the process's arguments.

use std::process::ExitCode;

fn main() -> ExitCode {
    folio_host::cli::main(std::env::args_os())
}
