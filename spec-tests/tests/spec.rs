//! The spec-suite harness: one test per `.wast` file in scope, judged against
//! `expected-failures.txt`, then a per-suite table. See `spec-tests/README.md`.
//!
//! Environment:
//! - `FOLIO_SPEC_BLESS=1` rewrites `expected-failures.txt` from this run (reasons of files
//!   that still fail are kept; new entries get `FOLIO_SPEC_BLESS_REASON` or a summary).
//! - `FOLIO_SPEC_RESULTS=1` rewrites `results.csv` (only after an unfiltered run).
//! - `FOLIO_SPEC_ALL_FAILURES=1` shows every failure of a failing file, not the first 25.

use folio_host::wast::{self, WastOptions};
use folio_spec_tests::{
    ExpectedFailures, Outcome, bless, config_for, files, parse_expected_failures, render_csv,
    render_expected_failures, render_table, tally,
};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Failures shown per failing file, unless `FOLIO_SPEC_ALL_FAILURES=1`; the rest are counted.
const SHOWN_FAILURES: usize = 25;

fn manifest_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

fn main() {
    let args = Arguments::from_args();
    let blessing = env_flag("FOLIO_SPEC_BLESS");
    let write_results = env_flag("FOLIO_SPEC_RESULTS");

    let list_path = manifest_path("expected-failures.txt");
    let list_text = std::fs::read_to_string(&list_path).unwrap_or_default();
    let (expected, list_error) = match parse_expected_failures(&list_text) {
        Ok(list) => (list, None),
        Err(e) => (ExpectedFailures::new(), Some(e)),
    };
    // Blessing over a list that does not parse would lose its reasons.
    let blessing = blessing && list_error.is_none();
    let expected = Arc::new(expected);

    let files = files();
    let in_scope: Vec<String> = files.iter().map(|f| f.key()).collect();
    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();

    let mut trials = Vec::with_capacity(files.len() + 1);
    {
        // The list itself: parsable, and naming only files in scope.
        let stale: Vec<String> = expected
            .keys()
            .filter(|k| !in_scope.contains(k))
            .cloned()
            .collect();
        trials.push(Trial::test("expected-failures.txt", move || {
            if let Some(e) = list_error {
                return Err(format!("spec-tests/expected-failures.txt: {e}").into());
            }
            if !stale.is_empty() && !blessing {
                return Err(format!(
                    "listed but not in scope (remove from the list): {}",
                    stale.join(", ")
                )
                .into());
            }
            Ok(())
        }));
    }
    for file in files {
        let key = file.key();
        let expected = Arc::clone(&expected);
        let outcomes = Arc::clone(&outcomes);
        trials.push(Trial::test(key.clone(), move || {
            let options = WastOptions {
                config: config_for(file.suite),
                ..WastOptions::default()
            };
            let report = wast::run_script(&key, file.text, &options).map_err(|e| e.to_string());
            let outcome = Outcome {
                suite: file.suite,
                key: key.clone(),
                report,
            };
            let verdict = judge(&outcome, expected.get(&key), blessing);
            outcomes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(outcome);
            verdict
        }));
    }

    let conclusion = libtest_mimic::run(&args, trials);

    let mut outcomes = std::mem::take(&mut *outcomes.lock().unwrap_or_else(|e| e.into_inner()));
    outcomes.sort_by(|a, b| a.key.cmp(&b.key));
    if !outcomes.is_empty() {
        let rows = tally(&outcomes);
        println!("\n{}", render_table(&rows));
        let complete = outcomes.len() == in_scope.len();
        if write_results {
            if complete {
                write(&manifest_path("results.csv"), &render_csv(&rows));
            } else {
                eprintln!(
                    "FOLIO_SPEC_RESULTS: not all files ran (filtered?); results.csv left as is"
                );
            }
        }
        if blessing {
            let reason = std::env::var("FOLIO_SPEC_BLESS_REASON").ok();
            let list = bless(&expected, &outcomes, &in_scope, reason.as_deref());
            write(&list_path, &render_expected_failures(&list));
        }
    }
    conclusion.exit();
}

fn write(path: &std::path::Path, text: &str) {
    match std::fs::write(path, text) {
        Ok(()) => eprintln!("wrote {}", path.display()),
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(101);
        }
    }
}

/// A file passes the test when it passes and is not listed, or fails and is listed.
/// While blessing, the list is being rewritten to match, so every file passes.
fn judge(outcome: &Outcome, listed: Option<&String>, blessing: bool) -> Result<(), Failed> {
    match (outcome.passed(), listed) {
        (true, None) | (false, Some(_)) => Ok(()),
        _ if blessing => Ok(()),
        (true, Some(reason)) => Err(format!(
            "now passes: remove it from spec-tests/expected-failures.txt (listed as: {reason})"
        )
        .into()),
        (false, None) => Err(describe_failure(outcome).into()),
    }
}

fn describe_failure(outcome: &Outcome) -> String {
    match &outcome.report {
        Err(e) => format!("script does not run: {e}"),
        Ok(report) => {
            let mut text = format!(
                "{} of {} directives failed:\n",
                report.failed,
                report.passed + report.failed
            );
            let shown = if env_flag("FOLIO_SPEC_ALL_FAILURES") {
                usize::MAX
            } else {
                SHOWN_FAILURES
            };
            for f in report.failures.iter().take(shown) {
                text.push_str(&format!("  {f}\n"));
            }
            if report.failures.len() > shown {
                text.push_str(&format!(
                    "  … and {} more (all of them: FOLIO_SPEC_ALL_FAILURES=1)\n",
                    report.failures.len() - shown
                ));
            }
            text
        }
    }
}
