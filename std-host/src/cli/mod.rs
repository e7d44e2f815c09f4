//! The `folio` command line: reading it ([`Cli`], with `clap`), the `run`, `inspect` and
//! `wast` subcommands, the helpers they share (loading a `.wasm`/`.wat` file, reading and
//! printing values), and the one place where failures become a message and an exit code.
//!
//! `main.rs` only hands [`main`] the process's arguments.
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
//! | 0 | success (also `--help` and `--version`, printed on stdout) |
//! | 0–125 | `folio run`: the status a WASI program passed to `proc_exit` (returning from `main` in C or Rust calls it too); nothing is printed on stderr |
//! | 1 | the module ran and trapped: in the start function or the called export, or a segment out of bounds during instantiation; including `all fuel consumed` (`--fuel`) and `call stack exhausted` (`--stack-depth`); for `wast`, a failed directive |
//! | 2 | bad input, the module could not be run: usage error, missing or unreadable file, malformed or invalid module (with the byte offset, or `file:line:col` for text), link error, unknown export, wrong argument count or type, unparsable argument, a memory that cannot be allocated |
//! | 101 | internal error: a bug in Folio (a panic, caught and reported in one line) |
//!
//! Decided here:
//! - The codes are those `folio wast` already used (1: the command ran and something
//!   failed; 2: bad input), so the whole binary speaks one convention. The one distinction
//!   a script needs is kept: a trap is the guest's behaviour, everything under 2 is the
//!   input's (or the host's) fault.
//! - `clap` reads the options, but its errors are not printed as `clap` would (several
//!   lines, exit 2): [`usage_failure`] turns each into one `error:` line in Folio's words,
//!   naming the option and pointing at the subcommand's `--help`. Only `folio` with no
//!   command at all prints the whole help (on stderr, exit 2).
//! - An option given twice takes the last value (`args_override_self`), except the
//!   repeatable `--dir` and `--env` of `run`.

pub mod args;
pub mod inspect;
pub mod load;
pub mod run;
pub mod trace;
pub mod wast;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};
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

/// The end of every `--help`: the exit codes.
pub const EXIT_CODES_HELP: &str = "\
Exit codes (every failure is one `error:` line on stderr):
  0    success
  N    run: a WASI program called proc_exit(N) (0 <= N <= 125; exiting from main
       does); no `error:` line. A larger status is an error (exit 1), as in wasmtime
  1    the command ran and failed: a trap (including `all fuel consumed` and
       `call stack exhausted`); for wast, a failed directive
  2    bad input: usage error, missing or unreadable file, malformed or invalid module,
       link error, unknown export, wrong argument count or type, unparsable argument,
       memory that cannot be allocated
  101  internal error (a bug in folio)";

/// `folio`'s command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "folio",
    version,
    about = "Folio, a WebAssembly interpreter",
    after_help = EXIT_CODES_HELP,
    subcommand_required = true,
    arg_required_else_help = true,
    args_override_self = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// A subcommand of `folio`, with its arguments.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Instantiate FILE (.wasm or .wat), call an export, print its results
    #[command(after_help = run::after_help(), args_override_self = true)]
    Run(run::RunArgs),
    /// Print FILE's memories, imports, exports, functions and data segments, or with
    /// --bytecode what Folio runs for each function
    #[command(after_help = inspect::after_help())]
    Inspect(inspect::InspectArgs),
    /// Run .wast spec scripts; prints `FILE: N passed, M failed` and each failure
    #[command(after_help = EXIT_CODES_HELP, args_override_self = true)]
    Wast(wast::WastArgs),
}

/// Reads `folio`'s command line, program name first.
///
/// # Errors
/// What `clap` reports: a usage error, or a request for help or the version (which
/// `clap` reports as errors too: see [`main`] for how each is shown).
pub fn parse<I, T>(argv: I) -> Result<Command, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    Cli::try_parse_from(argv).map(|cli| cli.command)
}

/// Runs the `folio` command line `argv` (program name first) and returns the exit code.
pub fn main(argv: impl IntoIterator<Item = OsString>) -> ExitCode {
    let argv: Vec<OsString> = argv.into_iter().collect();
    let command = match parse(&argv) {
        Ok(command) => command,
        Err(e) => return clap_exit(&e, subcommand_name(&argv)),
    };
    match command {
        Command::Run(args) => {
            install_panic_hook();
            match run::main(args) {
                Ok(status) => ExitCode::from(status),
                Err(failure) => report(Err(failure)),
            }
        }
        Command::Inspect(args) => {
            install_panic_hook();
            report(inspect::main(&args))
        }
        // The `.wast` driver installs its own hook: it counts a panic as a failed
        // directive and goes on.
        Command::Wast(args) => wast::main(&args),
    }
}

/// The subcommand `argv` names, if it names one: for error messages.
fn subcommand_name(argv: &[OsString]) -> Option<String> {
    let name = argv.get(1)?.to_str()?;
    Cli::command()
        .find_subcommand(name)
        .map(|c| c.get_name().to_string())
}

/// Shows what `clap` reported and returns the exit code: help and version on stdout
/// (exit 0); the whole help on stderr when no command was given (exit 2); anything else
/// as one `error:` line (exit 2).
fn clap_exit(e: &clap::Error, subcommand: Option<String>) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A reader that went away is not an error (`folio --help | head`).
            let _ = e.print();
            ExitCode::from(EXIT_OK)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(EXIT_ERROR)
        }
        _ => report(Err(usage_failure(e, subcommand.as_deref()))),
    }
}

/// A `clap` error as a one-line usage failure (exit 2) in Folio's words; `subcommand` is
/// the command whose arguments were being read, if any.
pub fn usage_failure(e: &clap::Error, subcommand: Option<&str>) -> Failure {
    let command = match subcommand {
        Some(name) => format!("folio {name}"),
        None => "folio".to_string(),
    };
    let see = format!("(see `{command} --help`)");
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(list)) => Some(list.join(", ")),
        _ => None,
    };
    // `--invoke <NAME>` -> `--invoke`.
    let option = || {
        context(ContextKind::InvalidArg)
            .map(|arg| arg.split(' ').next().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let message = match e.kind() {
        // Our own value parsers' messages already name the option and the value.
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(why) => why.to_string(),
            None => clap_line(e),
        },
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).as_deref() == Some("") => {
            format!("option `{}` needs a value {see}", option())
        }
        // `--trace-grow=yes`: a flag (its InvalidArg has no `<VALUE>`) given a value.
        ErrorKind::TooManyValues
            if context(ContextKind::InvalidArg).is_some_and(|a| !a.contains('<')) =>
        {
            let value = context(ContextKind::InvalidValue).unwrap_or_default();
            format!("option `{}` takes no value, got `{value}`", option())
        }
        ErrorKind::UnknownArgument => {
            let arg = option();
            if arg.starts_with('-') {
                let hint = match context(ContextKind::SuggestedArg) {
                    Some(similar) => format!(" (did you mean `{similar}`?)"),
                    None => String::new(),
                };
                format!("unknown option `{arg}` for `{command}`{hint} {see}")
            } else {
                format!("unexpected argument `{arg}`: `{command}` takes one FILE {see}")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let name = context(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("unknown command `{name}` {see}")
        }
        ErrorKind::MissingRequiredArgument => {
            // `<FILE>` (inspect), `<FILE> [ARGS]...` (run), `<FILE>...` (wast).
            let missing = context(ContextKind::InvalidArg).unwrap_or_default();
            let first = missing.split(' ').next().unwrap_or_default();
            let name = first.trim_matches(['<', '>', '.']);
            let what = if first.ends_with("...") {
                format!("at least one {name}")
            } else {
                format!("a {name}")
            };
            format!("`{command}` needs {what} {see}")
        }
        _ => format!("{} {see}", clap_line(e)),
    };
    Failure::error(message)
}

/// The first line of what `clap` would print, without its `error: `.
fn clap_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    first.trim().trim_start_matches("error: ").to_string()
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

impl std::error::Error for Failure {}

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
            assert!(EXIT_CODES_HELP.contains(&format!("\n  {code} ")), "{code}");
        }
    }
}
