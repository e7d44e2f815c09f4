//! Folio's own `.wast` scripts (`tests/wast/`), for what the pinned spec suite does not
//! cover (64-bit tables), through the `.wast` driver with every proposal on (the
//! driver's default, as `folio wast` without `--proposals`).

use folio_host::wast::{WastOptions, run_file};
use std::path::{Path, PathBuf};

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wast");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "wast"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn every_script_passes() {
    let scripts = scripts();
    let names: Vec<_> = scripts.iter().filter_map(|p| p.file_stem()).collect();
    assert!(
        names.iter().any(|n| *n == "table64"),
        "no table64.wast: {names:?}"
    );
    for script in scripts {
        let report = run_file(&script, &WastOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", script.display()));
        let failures: Vec<String> = report.failures.iter().map(|f| format!("  {f}")).collect();
        assert!(
            report.all_passed() && report.passed > 0,
            "{}: {} passed, {} failed\n{}",
            script.display(),
            report.passed,
            report.failed,
            failures.join("\n")
        );
    }
}

/// Without memory64, a 64-bit table is invalid: the script's first module is rejected.
#[test]
fn table64_needs_memory64() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wast/table64.wast");
    let mut options = WastOptions::default();
    options.config.proposals(folio::Proposals {
        memory64: false,
        ..folio::Proposals::ALL
    });
    let report = run_file(&script, &options).unwrap();
    let first = report.failures.first().expect("the first module fails");
    assert!(
        first
            .message
            .contains("memory64 must be enabled for 64-bit tables"),
        "{first}"
    );
}
