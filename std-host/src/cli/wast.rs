//! `folio wast [--proposals LIST] FILE...`: runs each script with the shared driver
//! ([`crate::wast`]) and prints `FILE: N passed, M failed` and each failure.
//!
//! Exits 0 only when every directive of every file passed, 1 when one failed. A file that
//! cannot be read or parsed is an `error:` line (the other files still run) and exit
//! code 2.

use super::{EXIT_ERROR, EXIT_OK, EXIT_TRAP};
use crate::wast::{self, WastOptions};
use folio::Proposals;
use std::path::PathBuf;
use std::process::ExitCode;

/// `folio wast`'s command line.
#[derive(Debug, Clone, clap::Args)]
pub struct WastArgs {
    /// Proposals beyond WebAssembly 2.0 that scripts may use [default: all]
    ///
    /// `all`, `none`, or a comma-separated list of memory64, multi-memory,
    /// custom-page-sizes, extended-const, threads, relaxed-simd, tail-call,
    /// function-references, exceptions, wide-arithmetic (the rest off). The official core
    /// scripts (wasm-v1, wasm-v2) expect `none`: they check, e.g., that a second memory is
    /// invalid. SIMD is part of WebAssembly 2.0: always on.
    #[arg(long, value_name = "LIST", value_parser = parse_proposals)]
    pub proposals: Option<Proposals>,
    /// The .wast scripts
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs `folio wast` and returns the exit code.
pub fn main(args: &WastArgs) -> ExitCode {
    let mut options = WastOptions::default();
    if let Some(proposals) = args.proposals {
        options.config.proposals(proposals);
    }
    let mut any_failed = false;
    let mut any_error = false;
    for path in &args.files {
        match wast::run_file(path, &options) {
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
    ExitCode::from(if any_error {
        EXIT_ERROR
    } else if any_failed {
        EXIT_TRAP
    } else {
        EXIT_OK
    })
}

/// `--proposals LIST`: `all`, `none`, or a comma-separated list of `memory64`,
/// `multi-memory`, `custom-page-sizes`, `extended-const`, `threads`, `relaxed-simd`,
/// `tail-call`, `function-references`, `exceptions`, `wide-arithmetic` (the rest off).
///
/// # Errors
/// The message for an unknown proposal.
pub fn parse_proposals(list: &str) -> Result<Proposals, String> {
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
            "threads" => p.threads = true,
            "relaxed-simd" => p.relaxed_simd = true,
            "tail-call" => p.tail_call = true,
            "function-references" => p.function_references = true,
            "exceptions" => p.exceptions = true,
            "wide-arithmetic" => p.wide_arithmetic = true,
            other => {
                return Err(format!(
                    "unknown proposal `{other}` in `--proposals {list}`"
                ));
            }
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposal_lists() {
        assert_eq!(parse_proposals("all"), Ok(Proposals::ALL));
        assert_eq!(parse_proposals("none"), Ok(Proposals::NONE));
        let p = parse_proposals("memory64, extended-const").unwrap();
        assert!(p.memory64 && p.extended_const && !p.multi_memory && !p.custom_page_sizes);
        assert!(
            parse_proposals("threads,relaxed-simd")
                .unwrap()
                .relaxed_simd
        );
        let p = parse_proposals("tail-call,function-references").unwrap();
        assert!(p.tail_call && p.function_references && !p.memory64);
        let p = parse_proposals("exceptions").unwrap();
        assert!(p.exceptions && !p.threads);
        assert_eq!(
            p,
            Proposals {
                exceptions: true,
                ..Proposals::NONE
            }
        );
        let p = parse_proposals("wide-arithmetic").unwrap();
        assert!(p.wide_arithmetic && !p.memory64 && !p.threads);
        assert!(!parse_proposals("memory64").unwrap().wide_arithmetic);
        assert!(parse_proposals("all").unwrap().wide_arithmetic);
        assert_eq!(
            parse_proposals("gc"),
            Err("unknown proposal `gc` in `--proposals gc`".to_string())
        );
    }
}
