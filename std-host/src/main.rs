//! The `folio` command.
//!
//! `folio COMMAND ARGS…`. Each command is an entry of [`COMMANDS`]: its name, a usage
//! line, and a function from its arguments to an exit code. Adding one is adding an entry
//! and its function; no CLI-parsing dependency.
//!
//! Exit codes: 0 success; 1 the command ran and something failed (a directive, a trap);
//! 2 bad input (unknown command, wrong arguments, unreadable or unparsable file). Bad input
//! is reported as one line starting `error:` on stderr, never a panic.

use folio::Proposals;
use folio_host::cli;
use folio_host::wast::{self, WastOptions};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// A subcommand.
struct Command {
    name: &'static str,
    usage: &'static str,
    about: &'static str,
    run: fn(&[OsString]) -> ExitCode,
}

/// Every subcommand, in the order `folio --help` lists them.
const COMMANDS: &[Command] = &[
    Command {
        name: "run",
        usage: cli::RUN_USAGE,
        about: cli::RUN_ABOUT,
        run: cli::run_main,
    },
    Command {
        name: "inspect",
        usage: cli::INSPECT_USAGE,
        about: cli::INSPECT_ABOUT,
        run: cli::inspect_main,
    },
    Command {
        name: "wast",
        usage: "folio wast [--proposals LIST] FILE...",
        about: "run .wast spec scripts; prints `FILE: N passed, M failed` and each failure",
        run: wast_command,
    },
];

/// Exit code for bad input.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let Some(first) = args.first() else {
        eprint!("{}", usage());
        return ExitCode::from(BAD_INPUT);
    };
    match first.to_str() {
        Some("-h" | "--help" | "help") => {
            print!("{}", usage());
            ExitCode::SUCCESS
        }
        Some(name) => match COMMANDS.iter().find(|c| c.name == name) {
            Some(command) => (command.run)(&args[1..]),
            None => bad_input(&format!("unknown command `{name}` (see `folio --help`)")),
        },
        None => bad_input(&format!("unknown command {first:?} (see `folio --help`)")),
    }
}

fn usage() -> String {
    let mut text = String::from("usage: folio COMMAND ARGS...\n\ncommands:\n");
    for c in COMMANDS {
        text.push_str(&format!("  {:<35} {}\n", c.usage, c.about));
    }
    text.push_str(cli::HELP_DETAILS);
    text
}

/// Prints `error: MESSAGE` and returns the bad-input exit code.
fn bad_input(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(BAD_INPUT)
}

/// `folio wast FILE...`: runs each script with the shared driver. Exits 0 only when every
/// directive of every file passed; a file that cannot be read or parsed is an `error:`
/// line (the other files still run) and exit code 2.
fn wast_command(args: &[OsString]) -> ExitCode {
    let mut options = WastOptions::default();
    let mut files = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.to_str() {
            Some("--proposals") => {
                let Some(list) = rest.next().and_then(|l| l.to_str()) else {
                    return bad_input("`--proposals` needs a LIST (see `folio --help`)");
                };
                match parse_proposals(list) {
                    Ok(p) => {
                        options.config.proposals(p);
                    }
                    Err(e) => return bad_input(&e),
                }
            }
            Some(flag) if flag.starts_with('-') => {
                return bad_input(&format!("unknown option `{flag}` for `folio wast`"));
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        return bad_input("`folio wast` needs at least one FILE");
    }
    let mut any_failed = false;
    let mut any_error = false;
    for arg in files {
        let path = PathBuf::from(arg);
        match wast::run_file(&path, &options) {
            Ok(report) => {
                println!(
                    "{}: {} passed, {} failed",
                    report.file, report.passed, report.failed
                );
                for failure in &report.failures {
                    println!("  {failure}");
                }
                any_failed |= !report.all_passed();
            }
            Err(e) => {
                eprintln!("error: {e}");
                any_error = true;
            }
        }
    }
    if any_error {
        ExitCode::from(BAD_INPUT)
    } else if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `--proposals LIST`: `all`, `none`, or a comma-separated list of `memory64`,
/// `multi-memory`, `custom-page-sizes`, `extended-const` (the rest off). The official
/// suite's core scripts (wasm-v1, wasm-v2) expect `none`: they check, e.g., that a second
/// memory is invalid.
fn parse_proposals(list: &str) -> Result<Proposals, String> {
    match list {
        "all" => return Ok(Proposals::ALL),
        "none" => return Ok(Proposals::NONE),
        _ => {}
    }
    let mut p = Proposals::NONE;
    for name in list.split(',') {
        match name.trim() {
            "memory64" => p.memory64 = true,
            "multi-memory" => p.multi_memory = true,
            "custom-page-sizes" => p.custom_page_sizes = true,
            "extended-const" => p.extended_const = true,
            other => {
                return Err(format!(
                    "unknown proposal `{other}` in `--proposals {list}`"
                ));
            }
        }
    }
    Ok(p)
}
