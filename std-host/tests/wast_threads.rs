//! The scripts of `tests/wast-threads` (the threads proposal's `thread` and `wait`:
//! litmus tests and wait/notify) through the `.wast` driver, each 100 runs in a row: a
//! memory-model or wake-up bug shows as a run that fails or hangs, rarely.

use folio_host::wast::{WastOptions, WastReport, run_file};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const RUNS: usize = 100;

/// A run taking longer hangs: a wait nobody notifies. (A run takes milliseconds; the
/// wait/notify script's notifier gives up after seconds.)
const HANG: Duration = Duration::from_secs(120);

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wast-threads");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "wast"))
        .collect();
    scripts.sort();
    scripts
}

/// The failures of a run, one a line.
fn failures(report: &WastReport) -> String {
    let lines: Vec<String> = report.failures.iter().map(|f| format!("  {f}")).collect();
    lines.join("\n")
}

#[test]
fn thread_scripts_pass_100_runs_in_a_row() {
    let scripts = scripts();
    let names: Vec<_> = scripts.iter().filter_map(|p| p.file_stem()).collect();
    for name in ["LB", "MP", "SB", "wait_notify"] {
        assert!(
            names.iter().any(|n| *n == name),
            "no {name}.wast: {names:?}"
        );
    }
    for script in scripts {
        let start = Instant::now();
        // The runs are on a thread of their own, so that a hang fails the test.
        let (tx, rx) = mpsc::channel();
        let path = script.clone();
        std::thread::spawn(move || {
            for _ in 0..RUNS {
                let report = run_file(&path, &WastOptions::default());
                let passed = matches!(&report, Ok(r) if r.all_passed());
                if tx.send(report).is_err() || !passed {
                    return;
                }
            }
        });
        for run in 1..=RUNS {
            match rx.recv_timeout(HANG) {
                Ok(Ok(report)) if report.all_passed() => {}
                Ok(Ok(report)) => panic!(
                    "{}: run {run} of {RUNS} failed ({} passed, {} failed):\n{}",
                    script.display(),
                    report.passed,
                    report.failed,
                    failures(&report)
                ),
                Ok(Err(e)) => panic!("{e}"),
                Err(_) => panic!(
                    "{}: run {run} of {RUNS} did not end within {HANG:?}",
                    script.display()
                ),
            }
        }
        eprintln!(
            "{}: {RUNS} runs in {:.2?}",
            script.display(),
            start.elapsed()
        );
    }
}
