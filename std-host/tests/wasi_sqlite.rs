//! A large real C program under `folio run`: the SQLite 3.52.0 shell built with wasi-libc
//! (`tests/wasi/large/`, see its README for the source, flags and `build.sh`). Its
//! workloads' expected output is what the native build of the same source printed.
//!
//! The main workload creates a database of 40,000 rows in a preopened directory, indexes,
//! joins, aggregates, rolls back, attaches a second file, writes and imports a CSV,
//! vacuums and checks integrity: some 16,000 WASI calls (seek, read, write, sync, stat,
//! the lock directory SQLite makes and removes). The second makes SQLite fsync the
//! directory itself (a transaction over two files).

use std::path::{Path, PathBuf};

fn large(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/wasi/large")
        .join(name)
}

/// A fresh empty directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("folio-sqlite-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `script` through the shell with database `db` in a fresh preopened directory;
/// checks stdout against `expected`, an empty stderr, exit 0, and the files left behind.
fn run_workload(script: &str, expected: &str, db: &str, files: &[&str]) {
    let dir = TempDir::new(script);
    let stdin = std::fs::read(large(script)).expect("workload script");
    let dir_arg = format!("{}::/data", dir.0.display());
    let db_arg = format!("/data/{db}");
    let out = assert_cmd::cargo::cargo_bin_cmd!("folio")
        .args(["run", "--dir", &dir_arg, "--env", "HOME=/data"])
        .arg(large("sqlite.wasm"))
        .args(["-cmd", ".cd /data", &db_arg])
        .write_stdin(stdin)
        .output()
        .expect("run folio");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "", "stderr");
    let want = std::fs::read_to_string(large(expected)).expect("expected output");
    assert!(stdout == want, "stdout differs from {expected}:\n{stdout}");
    let mut left: Vec<String> = std::fs::read_dir(&dir.0)
        .expect("list dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, files, "files left in the directory");
}

#[test]
fn sqlite_shell_runs_the_workload_as_natively() {
    run_workload(
        "workload.sql",
        "workload.expected",
        "bench.db",
        &["archive.db", "bench.db", "products.csv"],
    );
}

#[test]
fn sqlite_shell_syncs_a_directory_for_a_two_file_transaction() {
    run_workload(
        "superjournal.sql",
        "superjournal.expected",
        "two.db",
        &["two-archive.db", "two.db"],
    );
}
