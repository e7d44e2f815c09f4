//! The `folio` command line: the `run` and `inspect` subcommands, the helpers they share
//! (loading a `.wasm`/`.wat` file, parsing options and values), and the one place where
//! failures become a message and an exit code.
//!
//! (`folio wast` lives in [`crate::wast`]'s driver; `main.rs` only dispatches.)
//!
//! # Failures and exit codes
//!
//! Every failure is reported as exactly one line on stderr starting with `error:`, and the
//! process exits with a non-zero code. Nothing a user can feed the command (a bad path, a
//! malformed module, an argument that does not parse, a trap) produces a panic or a
//! backtrace; a panic would be a bug in Folio, and even then the hook [`install_panic_hook`]
//! reduces it to one line.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the module ran and trapped: in the start function or the called export, or a segment out of bounds during instantiation; including `all fuel consumed` (`--fuel`) and `call stack exhausted` (`--stack-depth`) |
//! | 2 | bad input, the module could not be run: usage error, missing or unreadable file, malformed or invalid module (with the byte offset, or `file:line:col` for text), link error, unknown export, wrong argument count or type, unparsable argument, a memory that cannot be allocated |
//! | 101 | internal error: a bug in Folio (a panic, caught and reported in one line) |
//!
//! Decided here: the codes are those `folio wast` already used (1: the command ran and
//! something failed; 2: bad input), so the whole binary speaks one convention. The one
//! distinction a script needs is kept: a trap is the guest's behaviour, everything under
//! 2 is the input's (or the host's) fault.

pub mod args;
pub mod inspect;
pub mod load;
pub mod run;
pub mod trace;

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the Wasm code trapped (including out of fuel and call stack exhausted).
pub const EXIT_TRAP: u8 = 1;
/// Exit code: bad input, the module could not be run (usage, I/O, invalid module, link,
/// arguments, memory allocation).
pub const EXIT_ERROR: u8 = 2;
/// Exit code: a bug in Folio (a panic).
pub const EXIT_INTERNAL: u8 = 101;

/// `folio run`'s usage line.
pub const RUN_USAGE: &str = "folio run [OPTIONS] FILE [ARGS]...";
/// What `folio run` does, in one line.
pub const RUN_ABOUT: &str = "instantiate FILE (.wasm or .wat), call an export, print its results";
/// `folio inspect`'s usage line.
pub const INSPECT_USAGE: &str = "folio inspect FILE";
/// What `folio inspect` does, in one line.
pub const INSPECT_ABOUT: &str =
    "print FILE's memories, imports, exports, functions and data segments";

/// What `folio --help` says after the list of commands: `run`'s options, how ARGS are
/// read and results printed, and the exit codes.
pub const HELP_DETAILS: &str = "
Options of `run` (before or after FILE; `--` ends them):
  --invoke NAME         call export NAME with ARGS and print its results, one per line
                        (default: call `_start` if the module exports it)
  --max-memory SIZE     host limit per memory, in bytes with an optional KiB, MiB or GiB
                        suffix (e.g. 192KiB, 2GiB): a larger memory cannot be allocated,
                        a larger grow returns -1
  --trace-grow          print one line per memory grow on stderr: memory index, old size,
                        delta, new size or `refused` and the limit that refused
  --fuel N              trap with `all fuel consumed` after N units of fuel
  --stack-depth N       most Wasm call frames at once (default 10000)
  --store heap|reserve  where memory bytes live: `heap` (allocator, grows by copying) or
                        `reserve` (reserved address space, grows in place; the default on
                        64-bit Unix)

Options of `wast`:
  --proposals LIST      proposals beyond WebAssembly 2.0 that scripts may use: `all` (the
                        default), `none`, or a comma-separated list of memory64,
                        multi-memory, custom-page-sizes, extended-const. The official
                        core scripts (wasm-v1, wasm-v2) expect `none`.

ARGS are read by the export's parameter types: integers in decimal or 0x hex, negative
allowed; floats in decimal or as inf, -inf, nan, nan:0xPAYLOAD, -0; references as `null`
(an externref may also be an integer, passed as a host object). Results print as i32/i64
in signed decimal, floats in shortest round-trip form, references as null, ref.func or
ref.extern.

Exit codes (every failure is one `error:` line on stderr):
  0    success
  1    the command ran and failed: a trap (including `all fuel consumed` and
       `call stack exhausted`); for wast, a failed directive
  2    bad input: usage error, missing or unreadable file, malformed or invalid module,
       link error, unknown export, wrong argument count or type, unparsable argument,
       memory that cannot be allocated
  101  internal error (a bug in folio)
";

/// `folio run --help`.
pub fn run_help() -> String {
    format!("usage: {RUN_USAGE}\n\n{RUN_ABOUT}.\n{HELP_DETAILS}")
}

/// `folio inspect --help`.
pub fn inspect_help() -> String {
    format!(
        "usage: {INSPECT_USAGE}\n\n{INSPECT_ABOUT}; memories first, as\n  memory[0] pages: initial=1 max=3 (64 KiB .. 192 KiB)\n{HELP_DETAILS}"
    )
}

/// A failure of a subcommand: the exit code and the one-line message after `error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The process exit code, one of the `EXIT_*` constants.
    pub code: u8,
    /// The message, one line (newlines are folded when it is printed).
    pub message: String,
}

impl Failure {
    /// A failure with exit code [`EXIT_ERROR`].
    #[cold]
    pub fn error(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_ERROR,
            message: message.into(),
        }
    }
    /// A trap, exit code [`EXIT_TRAP`].
    #[cold]
    pub fn trap(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_TRAP,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.message))
    }
}

/// `message` on one line: every run of whitespace that contains a line break becomes a
/// single space, so an error is always exactly one line of stderr.
pub fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut lines = message.lines().map(str::trim).filter(|l| !l.is_empty());
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push(' ');
        out.push_str(line);
    }
    out
}

/// Prints `error: MESSAGE` on stderr and turns the failure into the process exit code.
pub fn report(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(failure) => {
            // Nothing sensible is left to do if stderr itself is gone.
            let _ = writeln!(std::io::stderr().lock(), "error: {failure}");
            ExitCode::from(failure.code)
        }
    }
}

/// Makes a panic print one `error: internal error: …` line (no backtrace) and exit with
/// [`EXIT_INTERNAL`]. Panics are bugs, never the response to bad input, but a user should
/// still see one line rather than a backtrace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr().lock(),
            "error: internal error (a bug in folio): {}{place}",
            one_line(what)
        );
        std::process::exit(i32::from(EXIT_INTERNAL));
    }));
}

/// Writes `text` to stdout; a full disk is a failure, never a panic. A reader that went
/// away (`folio inspect F | head -1`) is not an error: the output is simply cut short.
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::error(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// Runs `folio run` with the arguments after `run`.
pub fn run_main(args: &[OsString]) -> ExitCode {
    install_panic_hook();
    report(run::main(args.to_vec()))
}

/// Runs `folio inspect` with the arguments after `inspect`.
pub fn inspect_main(args: &[OsString]) -> ExitCode {
    install_panic_hook();
    report(inspect::main(args.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_folded_to_one_line() {
        assert_eq!(one_line("a\n  b\n\n c  "), "a b c");
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(Failure::error("x\ny").to_string(), "x y");
    }

    #[test]
    fn help_documents_every_exit_code() {
        for code in [EXIT_OK, EXIT_ERROR, EXIT_TRAP, EXIT_INTERNAL] {
            assert!(HELP_DETAILS.contains(&format!("\n  {code} ")), "{code}");
        }
    }
}
