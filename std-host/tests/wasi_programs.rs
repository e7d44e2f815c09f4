//! WASI preview 1 programs run by `folio run`: C (wasi-libc) and Rust (std) programs from
//! `tests/wasi/`, each case with its arguments, environment, stdin, a fresh sandbox, the
//! exact stdout and exit status it must produce, and host-side checks that nothing outside
//! the sandbox was touched. The programs and how they are built: `tests/wasi/README.md`.
//!
//! # Running
//!
//! - One case: `cargo test -p folio-host --test wasi_programs -- c_files --exact`.
//! - One case, shown rather than judged: `FOLIO_WASI_CASE=c_files cargo test -p folio-host
//!   --test wasi_programs show_case -- --ignored --nocapture` prints the command line to
//!   paste into a shell, the status, stdout and stderr, and where the expected output
//!   differs; the case's directory is kept.
//! - `FOLIO_WASI_PEER=wasmi|node|native` runs the table against a peer instead of folio
//!   (below); `FOLIO_WASI_NO_SKIP=1` also runs the cases a peer is known to differ on, to
//!   watch it differ; `FOLIO_WASI_RECORD=DIR` writes each run's stdout to `DIR/NAME.stdout`
//!   (for recording a changed program's output from a peer, never from folio).
//! - `FOLIO_WASI_KEEP=1` keeps every case's directory (normally removed when it passes,
//!   kept when it fails) under `$CARGO_TARGET_TMPDIR/wasi-programs/`.
//! - `stale_binaries` fails when a `.wasm` is older than its source or build command:
//!   run `bash std-host/tests/wasi/build.sh`.
//!
//! # Where the expectations come from
//!
//! Every expected stdout and status below was produced by real peers, not written by hand,
//! by running this same table against them with `FOLIO_WASI_PEER` (a case that a peer is
//! known to disagree with says so with `.differs(peer, why)` and is skipped for that peer):
//!
//! - `FOLIO_WASI_PEER=wasmi`: `wasmi run --dir HOST [--env K=V]... FILE ARGS...`, wasmi_cli
//!   2.0.0 (`cargo install wasmi_cli` installs the binary `wasmi`; `FOLIO_WASI_WASMI` names
//!   another; WASI from wasi-common 36 over cap-std 3.4, the sandbox library Folio's design
//!   names). wasmi names a preopen by its host path, so for wasmi `/sandbox` in arguments
//!   and environment values becomes the host path.
//! - `FOLIO_WASI_PEER=node`: Node v20.20.2's `node:wasi` through `tests/wasi/node-run.mjs`,
//!   which takes folio's command line (`--dir HOST::/sandbox`; `FOLIO_WASI_NODE` names
//!   another node).
//! - `FOLIO_WASI_PEER=native`: the same sources built for the host by
//!   `bash tests/wasi/build.sh --native DIR` (gcc 12, rustc 1.95; `FOLIO_WASI_NATIVE_DIR`,
//!   default `$CARGO_TARGET_TMPDIR/wasi-native`), run with argv[0] set to the .wasm's name,
//!   an empty environment plus the case's, and `/sandbox` mapped to the host path.
//!
//! Checked on 2026-11-26 (x86_64 Linux, ext4, 2 cores): every case passes against wasmi,
//! native and node except those marked `.differs` for that peer, and each case is
//! confirmed by at least one peer: c_escape by wasmi alone (the only peer with a sandbox;
//! native shows each attempt is a real escape without one), c_files and c_symlinks by
//! wasmi and, but for the lines named below, native. The disagreements, all worth knowing
//! when implementing:
//!
//! | case | peer | what it does instead |
//! |---|---|---|
//! | c_env | wasmi | refuses `--env EMPTY=` (an empty value) on its command line |
//! | c_exit_255 | node, native | exit 255; wasmi, like wasmtime and folio's --help, refuses a status of 126 or more (an error, status 1) |
//! | c_clocks | wasmi | `clock_res_get`/`clock_time_get` of the process CPU-time clock: EBADF |
//! | c_clocks | node | hangs in `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)` (poll_oneoff with an absolute clock subscription) |
//! | c_bigmem | node | prints the expected stdout, then segfaults at exit (status 139) |
//! | c_stdin_count, c_stdin_cat | node | stdin is a pipe libuv made non-blocking: when the guest reads faster than the test writes, `fd_read` fails with EAGAIN (`read: EAGAIN`, or `cat` stops after 64 KiB). A WASI stdin must block. |
//! | rust_clocks_random | node | about 1 run in 15, `thread::sleep` (poll_oneoff, relative clock) returns up to 1 ms before the time asked for |
//! | c_files | node | `utimensat`/`futimens` keep whole seconds only (1600000000.000000000) |
//! | c_symlinks | node | readlink into a short buffer: ENOBUFS instead of truncating; ignores O_NOFOLLOW; refuses to create `d/up -> ../target.txt` and `d/parent -> ..` (ENOTCAPABLE) although both stay inside |
//! | c_escape | node | ESCAPES: reads and creates files through `planted_dir` (a host symlink to `../outside`) and through a guest-made chain `s2 -> s1/..`, `s1 -> sub/..` (Node documents that its WASI is no sandbox) |
//! | c_escape, c_symlinks | native | no sandbox: every escape attempt succeeds (except `/outside/secret.txt`, which does not exist on the host), absolute symlinks work |
//! | c_files | native | `open("")`: ENOENT natively, ENOTCAPABLE from wasi-libc (no preopen matches `""`) |
//! | c_abort, c_trap_div, rust_panic | native | a signal (SIGABRT, SIGFPE) or, for Rust, unwinding (status 101) instead of a trap |
//!
//! Errno names differ where the runtime may choose: refusing an escape is EPERM from
//! cap-std (wasmi), ENOTCAPABLE from node and from wasi-libc itself when no preopen
//! matches an absolute path. The escape case accepts any of EPERM, ENOTCAPABLE and EACCES
//! on a `refused` line (see [`compare_escape`]); every other line is exact.
//!
//! Folio's own conventions (`folio run --help`, following wasmtime): options before FILE,
//! everything after FILE is the guest's; argv[0] is FILE as given; `proc_exit(n)` exits n
//! for n in 0..=125 (more is an error, status 1); a trap exits 1 with one `error:` line on
//! stderr after whatever the guest wrote; bad input exits 2.

#[path = "common/built.rs"]
mod built;

use built::hex;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Exit status of a trap.
const TRAP: i32 = 1;
/// Exit status of bad input (a usage error, a directory that cannot be opened).
const BAD_INPUT: i32 = 2;
/// What every case finds in `outside/secret.txt`; it must never reach the guest's output.
const SECRET: &str = "TOP SECRET host file\n";
/// No run may take longer than this (a hang fails instead of blocking the suite).
const TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------
// Runtimes

/// Who runs the programs: folio, or a peer the expectations were checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    Folio,
    Wasmi,
    Node,
    Native,
}

impl Peer {
    fn current() -> Peer {
        match std::env::var("FOLIO_WASI_PEER").as_deref() {
            Err(_) | Ok("") | Ok("folio") => Peer::Folio,
            Ok("wasmi") => Peer::Wasmi,
            Ok("node") => Peer::Node,
            Ok("native") => Peer::Native,
            Ok(other) => panic!("FOLIO_WASI_PEER={other}: expected folio, wasmi, node or native"),
        }
    }

    /// Whether the guest sees the sandbox under its host path rather than `/sandbox`.
    fn host_paths(self) -> bool {
        matches!(self, Peer::Wasmi | Peer::Native)
    }
}

/// `std-host/tests/wasi`, where the programs live; runs start here so that argv[0] is the
/// relative name `c/hello.wasm`.
fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wasi")
}

fn scratch_root() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasi-programs")
}

// ---------------------------------------------------------------------------------------
// Cases

/// The directories of one run: `root/sandbox` is preopened, `root/outside` is not.
struct Dirs {
    root: PathBuf,
    sandbox: PathBuf,
    outside: PathBuf,
}

/// What stdout must be.
enum Stdout {
    /// Exactly this text.
    Exact(String),
    /// Exactly this text, except that a `NAME: refused (ERRNO)` line may name any errno
    /// that means "not permitted" (see [`compare_escape`]).
    Escape(&'static str),
    /// The bytes given on stdin.
    EchoStdin,
}

/// What stderr must be.
enum Stderr {
    /// Nothing.
    Empty,
    /// Exactly this text (what the guest writes).
    Exact(&'static str),
    /// The guest's text, then (for folio) exactly one line `error: ...` containing the
    /// needle; peers report traps their own way, so for them only the needle is looked for.
    Trap {
        guest: &'static str,
        needle: &'static str,
    },
    /// The guest's text starts so, then a trap as in `Trap` (a Rust panic message has a
    /// thread id and line numbers).
    TrapAfter {
        guest_start: &'static str,
        needle: &'static str,
    },
}

type Setup = fn(&Dirs);
type Check = fn(&Dirs, &Output);

/// One run of one program.
struct Case {
    program: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    /// Preopen `sandbox` under its host path (`--dir HOST`) instead of `/sandbox`.
    host_path_preopen: bool,
    setup: Option<Setup>,
    check: Option<Check>,
    stdout: Stdout,
    stderr: Stderr,
    status: i32,
    differs: Vec<(Peer, &'static str)>,
}

impl Case {
    fn new(program: &'static str) -> Case {
        Case {
            program,
            args: Vec::new(),
            env: Vec::new(),
            stdin: Vec::new(),
            host_path_preopen: false,
            setup: None,
            check: None,
            stdout: Stdout::Exact(String::new()),
            stderr: Stderr::Empty,
            status: 0,
            differs: Vec::new(),
        }
    }
    fn args(mut self, args: &[&str]) -> Case {
        self.args = args.iter().map(|a| a.to_string()).collect();
        self
    }
    fn env(mut self, name: &str, value: &str) -> Case {
        self.env.push((name.to_string(), value.to_string()));
        self
    }
    fn stdin(mut self, bytes: Vec<u8>) -> Case {
        self.stdin = bytes;
        self
    }
    fn host_path_preopen(mut self) -> Case {
        self.host_path_preopen = true;
        self
    }
    fn setup(mut self, f: Setup) -> Case {
        self.setup = Some(f);
        self
    }
    fn check(mut self, f: Check) -> Case {
        self.check = Some(f);
        self
    }
    fn stdout(mut self, text: impl Into<String>) -> Case {
        self.stdout = Stdout::Exact(text.into());
        self
    }
    fn escape_stdout(mut self, text: &'static str) -> Case {
        self.stdout = Stdout::Escape(text);
        self
    }
    fn echo_stdin(mut self) -> Case {
        self.stdout = Stdout::EchoStdin;
        self
    }
    fn stderr(mut self, text: &'static str) -> Case {
        self.stderr = Stderr::Exact(text);
        self
    }
    fn trap(mut self, guest: &'static str, needle: &'static str) -> Case {
        self.stderr = Stderr::Trap { guest, needle };
        self.status = TRAP;
        self
    }
    fn trap_after(mut self, guest_start: &'static str, needle: &'static str) -> Case {
        self.stderr = Stderr::TrapAfter {
            guest_start,
            needle,
        };
        self.status = TRAP;
        self
    }
    fn status(mut self, status: i32) -> Case {
        self.status = status;
        self
    }
    /// `peer` is known to do otherwise (and why); the case is skipped for it.
    fn differs(mut self, peer: Peer, why: &'static str) -> Case {
        self.differs.push((peer, why));
        self
    }
}

// ---------------------------------------------------------------------------------------
// Running a case

/// `/sandbox` and `{outside}` in an argument or environment value, as this run sees them.
fn map_value(value: &str, dirs: &Dirs, host_paths: bool) -> String {
    let value = value.replace("{outside}", &dirs.outside.to_string_lossy());
    if !host_paths {
        return value;
    }
    match value.strip_prefix("/sandbox") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            format!("{}{rest}", dirs.sandbox.to_string_lossy())
        }
        _ => value,
    }
}

/// The command that runs `case` under `peer` in `dirs`.
fn command(case: &Case, peer: Peer, dirs: &Dirs) -> std::process::Command {
    let host_paths = case.host_path_preopen || peer.host_paths();
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| map_value(a, dirs, host_paths))
        .collect();
    let env: Vec<(String, String)> = case
        .env
        .iter()
        .map(|(k, v)| (k.clone(), map_value(v, dirs, host_paths)))
        .collect();
    let sandbox = dirs.sandbox.to_string_lossy().into_owned();
    let preopen = if host_paths {
        sandbox.clone()
    } else {
        format!("{sandbox}::/sandbox")
    };
    let env_flags = env
        .iter()
        .flat_map(|(k, v)| ["--env".to_string(), format!("{k}={v}")]);
    let mut cmd;
    match peer {
        Peer::Folio => {
            cmd = std::process::Command::new(env!("CARGO_BIN_EXE_folio"));
            cmd.args(["run", "--dir", &preopen]);
            cmd.args(env_flags);
            cmd.arg(case.program);
        }
        Peer::Wasmi => {
            let wasmi = std::env::var("FOLIO_WASI_WASMI").unwrap_or_else(|_| "wasmi".into());
            cmd = std::process::Command::new(wasmi);
            cmd.args(["run", "--dir", &sandbox]);
            cmd.args(env_flags);
            cmd.arg(case.program);
        }
        Peer::Node => {
            let node = std::env::var("FOLIO_WASI_NODE").unwrap_or_else(|_| "node".into());
            cmd = std::process::Command::new(node);
            cmd.args([
                "--no-warnings",
                "--experimental-wasi-unstable-preview1",
                "node-run.mjs",
                "--dir",
                &preopen,
            ]);
            cmd.args(env_flags);
            cmd.arg(case.program);
        }
        Peer::Native => {
            use std::os::unix::process::CommandExt;
            let dir = std::env::var_os("FOLIO_WASI_NATIVE_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasi-native"));
            let name = case.program.trim_end_matches(".wasm").replace('/', "_");
            let bin = dir.join(&name);
            assert!(
                bin.exists(),
                "{} is missing: run `bash std-host/tests/wasi/build.sh --native {}`",
                bin.display(),
                dir.display()
            );
            cmd = std::process::Command::new(bin);
            cmd.arg0(case.program);
            cmd.env_clear();
            cmd.envs(env.iter().map(|(k, v)| (k, v)));
        }
    }
    cmd.args(&args);
    cmd.current_dir(programs_dir());
    cmd
}

/// The command as a line to paste into a shell (run from `std-host/tests/wasi`).
fn shell_line(cmd: &std::process::Command) -> String {
    let quote = |s: &std::ffi::OsStr| {
        let s = s.to_string_lossy();
        if !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c))
        {
            s.into_owned()
        } else {
            format!("'{}'", s.replace('\'', r"'\''"))
        }
    };
    let mut line = format!("cd {} && ", quote(programs_dir().as_os_str()));
    line.push_str(&quote(cmd.get_program()));
    for a in cmd.get_args() {
        line.push(' ');
        line.push_str(&quote(a));
    }
    line
}

/// Everything under `dir` (which must not be followed out of): one line per entry with its
/// kind, and a file's length, modification time and contents' hash or a link's target.
fn snapshot(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            out.push(format!("{}: unreadable", dir.display()));
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .display()
                .to_string();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                out.push(format!("{rel}: vanished"));
                continue;
            };
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap_or_default();
                out.push(format!("{rel} -> {}", target.display()));
            } else if meta.is_dir() {
                out.push(format!("{rel}/ mtime {mtime}"));
                walk(base, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.push(format!(
                    "{rel}: {} bytes, mtime {mtime}, sha256 {}",
                    meta.len(),
                    hex(&Sha256::digest(&bytes))
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Names directly in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Makes the case's directories: `sandbox/` (empty) and `outside/secret.txt`.
fn fresh_dirs(name: &str, peer: Peer) -> Dirs {
    let root = scratch_root().join(format!("{name}-{peer:?}").to_lowercase());
    if root.exists() {
        std::fs::remove_dir_all(&root)
            .unwrap_or_else(|e| panic!("cannot remove {}: {e}", root.display()));
    }
    let dirs = Dirs {
        sandbox: root.join("sandbox"),
        outside: root.join("outside"),
        root,
    };
    std::fs::create_dir_all(&dirs.sandbox).expect("create the sandbox directory");
    std::fs::create_dir_all(&dirs.outside).expect("create the outside directory");
    std::fs::write(dirs.outside.join("secret.txt"), SECRET).expect("write outside/secret.txt");
    dirs
}

/// A run's result, kept for the checks and for the failure message.
struct Ran {
    line: String,
    output: Output,
}

fn execute(case: &Case, peer: Peer, dirs: &Dirs) -> Ran {
    let cmd = command(case, peer, dirs);
    let line = shell_line(&cmd);
    let output = assert_cmd::Command::from_std(cmd)
        .write_stdin(case.stdin.clone())
        .timeout(TIMEOUT)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{line}`: {e}"));
    Ran { line, output }
}

/// Every way `ran` departs from `case`'s expectations, one message each.
fn judge(
    case: &Case,
    peer: Peer,
    dirs: &Dirs,
    ran: &Ran,
    outside_before: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    let out = &ran.output;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    match out.status.code() {
        Some(code) if code == case.status => {}
        code => problems.push(format!(
            "exit status {code:?} (killed by a signal if None), expected {}",
            case.status
        )),
    }
    match &case.stdout {
        Stdout::Exact(want) => {
            if stdout != want.as_str() {
                problems.push(format!("stdout differs:\n{}", diff(want, &stdout)));
            }
        }
        Stdout::Escape(want) => {
            if let Err(e) = compare_escape(want, &stdout) {
                problems.push(e);
            }
        }
        Stdout::EchoStdin => {
            if out.stdout != case.stdin {
                problems.push(format!(
                    "stdout is not stdin: {} bytes out, {} in, first difference at byte {:?}",
                    out.stdout.len(),
                    case.stdin.len(),
                    out.stdout.iter().zip(&case.stdin).position(|(a, b)| a != b)
                ));
            }
        }
    }
    match &case.stderr {
        Stderr::Empty => {
            if !stderr.is_empty() {
                problems.push(format!("stderr should be empty: {stderr:?}"));
            }
        }
        Stderr::Exact(want) => {
            if stderr != *want {
                problems.push(format!("stderr differs:\n{}", diff(want, &stderr)));
            }
        }
        Stderr::Trap { guest, needle } => {
            if let Err(e) = check_trap(peer, &stderr, |g| g == *guest, guest, needle) {
                problems.push(e);
            }
        }
        Stderr::TrapAfter {
            guest_start,
            needle,
        } => {
            if let Err(e) = check_trap(
                peer,
                &stderr,
                |g| g.starts_with(guest_start),
                guest_start,
                needle,
            ) {
                problems.push(e);
            }
        }
    }

    // Nothing outside the sandbox changed, whatever the case.
    let outside_after = snapshot(&dirs.outside);
    if outside_after != outside_before {
        problems.push(format!(
            "the directory outside the sandbox changed:\nbefore: {outside_before:#?}\nafter: {outside_after:#?}"
        ));
    }
    let beside = names(&dirs.root);
    if beside != ["outside", "sandbox"] {
        problems.push(format!("something appeared beside the sandbox: {beside:?}"));
    }
    if stdout.contains(SECRET.trim_end()) || stderr.contains(SECRET.trim_end()) {
        problems.push("the secret outside the sandbox reached the guest's output".into());
    }
    problems
}

/// A trap's stderr: for folio the guest's own text, then exactly one `error:` line
/// containing `needle`; for a peer, `needle` anywhere (ignoring case).
fn check_trap(
    peer: Peer,
    stderr: &str,
    guest_ok: impl Fn(&str) -> bool,
    guest_desc: &str,
    needle: &str,
) -> Result<(), String> {
    if peer != Peer::Folio {
        return if stderr.to_lowercase().contains(&needle.to_lowercase()) {
            Ok(())
        } else {
            Err(format!("stderr does not mention `{needle}`: {stderr:?}"))
        };
    }
    let body = stderr.strip_suffix('\n').unwrap_or(stderr);
    let (guest, last) = match body.rfind('\n') {
        Some(i) => (&stderr[..=i], &body[i + 1..]),
        None => ("", body),
    };
    if !guest_ok(guest) {
        return Err(format!(
            "stderr before the error line should be {guest_desc:?}: {stderr:?}"
        ));
    }
    if !last.starts_with("error: ") || !last.contains(needle) || !stderr.ends_with('\n') {
        return Err(format!(
            "stderr should end with one line `error: ...{needle}...`: {stderr:?}"
        ));
    }
    if stderr.contains("panicked") && !guest.contains("panicked") {
        return Err(format!("folio panicked: {stderr:?}"));
    }
    Ok(())
}

/// Errnos that mean "not permitted" when a sandbox refuses a path: cap-std says EPERM,
/// node and wasi-libc ENOTCAPABLE, some hosts EACCES.
const REFUSALS: &[&str] = &["EPERM", "ENOTCAPABLE", "EACCES"];

/// The escape program's output: line for line as expected, except that a refusal may name
/// any errno in [`REFUSALS`] (or the one expected). An `ESCAPED` line never matches.
fn compare_escape(want: &str, got: &str) -> Result<(), String> {
    let refused = |line: &str| -> Option<(String, String)> {
        let (name, rest) = line.split_once(": refused (")?;
        Some((name.to_string(), rest.strip_suffix(')')?.to_string()))
    };
    let want_lines: Vec<&str> = want.lines().collect();
    let got_lines: Vec<&str> = got.lines().collect();
    let mut bad = Vec::new();
    for i in 0..want_lines.len().max(got_lines.len()) {
        let (w, g) = (want_lines.get(i).copied(), got_lines.get(i).copied());
        let ok = match (w, g) {
            (Some(w), Some(g)) if w == g => true,
            (Some(w), Some(g)) => match (refused(w), refused(g)) {
                (Some((wn, we)), Some((gn, ge))) => {
                    wn == gn && (ge == we || REFUSALS.contains(&ge.as_str()))
                }
                _ => false,
            },
            _ => false,
        };
        if !ok {
            bad.push(format!(
                "line {}: expected {:?}, got {:?}",
                i + 1,
                w.unwrap_or("(nothing)"),
                g.unwrap_or("(nothing)")
            ));
        }
    }
    if got.contains("ESCAPED") {
        bad.insert(0, "THE SANDBOX WAS ESCAPED".into());
    }
    if bad.is_empty() && !got.ends_with('\n') {
        bad.push("stdout does not end with a newline".into());
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "escape output differs:\n{}\nwhole stdout:\n{got}",
            bad.join("\n")
        ))
    }
}

/// The first differing line, then both texts in full.
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.split_inclusive('\n').collect();
    let g: Vec<&str> = got.split_inclusive('\n').collect();
    let at = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    format!(
        "first difference at line {}:\n  expected {:?}\n  got      {:?}\n--- expected\n{want}--- got\n{got}---",
        at + 1,
        w.get(at).copied().unwrap_or("(end)"),
        g.get(at).copied().unwrap_or("(end)"),
    )
}

/// Runs `case` under the peer chosen by `FOLIO_WASI_PEER` (folio by default) and panics
/// with every problem found.
fn run_case(name: &str, case: Case) {
    let peer = Peer::current();
    if let Some((_, why)) = case.differs.iter().find(|(p, _)| *p == peer)
        && std::env::var_os("FOLIO_WASI_NO_SKIP").is_none()
    {
        eprintln!("{name}: skipped for {peer:?}, which is known to differ: {why}");
        return;
    }
    let dirs = fresh_dirs(name, peer);
    if let Some(setup) = case.setup {
        setup(&dirs);
    }
    let outside_before = snapshot(&dirs.outside);
    let ran = execute(&case, peer, &dirs);
    if let Some(record) = std::env::var_os("FOLIO_WASI_RECORD") {
        let path = Path::new(&record).join(format!("{name}.stdout"));
        std::fs::create_dir_all(Path::new(&record))
            .expect("create the FOLIO_WASI_RECORD directory");
        std::fs::write(&path, &ran.output.stdout)
            .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    let mut problems = judge(&case, peer, &dirs, &ran, &outside_before);
    if problems.is_empty()
        && let Some(check) = case.check
    {
        // Host-side checks panic with their own message; say where to look first.
        eprintln!("{name}: host-side checks of {}", dirs.root.display());
        check(&dirs, &ran.output);
    }

    let keep = std::env::var_os("FOLIO_WASI_KEEP").is_some();
    if problems.is_empty() {
        if !keep {
            let _ = std::fs::remove_dir_all(&dirs.root);
        }
        return;
    }
    problems.push(format!(
        "command: {}\nstderr: {:?}\n(the case's directory is kept: {})",
        ran.line,
        String::from_utf8_lossy(&ran.output.stderr),
        dirs.root.display()
    ));
    panic!("{name} under {peer:?}:\n{}", problems.join("\n\n"));
}

/// `FOLIO_WASI_CASE=NAME cargo test -p folio-host --test wasi_programs show_case --
/// --ignored --nocapture`: runs one case, prints its command line, status and output and
/// what differs from the expectation, and keeps its directory.
#[test]
#[ignore = "a helper: set FOLIO_WASI_CASE=NAME"]
fn show_case() {
    let name = std::env::var("FOLIO_WASI_CASE").expect("set FOLIO_WASI_CASE to a case name");
    let case = case_by_name(&name)
        .unwrap_or_else(|| panic!("no case {name}; the cases are {CASE_NAMES:?}"));
    let peer = Peer::current();
    let dirs = fresh_dirs(&name, peer);
    if let Some(setup) = case.setup {
        setup(&dirs);
    }
    let outside_before = snapshot(&dirs.outside);
    let ran = execute(&case, peer, &dirs);
    println!("command: {}", ran.line);
    println!("directory: {}", dirs.root.display());
    println!("status: {:?}", ran.output.status.code());
    println!(
        "--- stdout\n{}",
        String::from_utf8_lossy(&ran.output.stdout)
    );
    println!(
        "--- stderr\n{}",
        String::from_utf8_lossy(&ran.output.stderr)
    );
    let problems = judge(&case, peer, &dirs, &ran, &outside_before);
    if problems.is_empty() {
        println!("--- as expected");
    } else {
        println!("--- problems\n{}", problems.join("\n\n"));
    }
}

// ---------------------------------------------------------------------------------------
// Inputs and host-side setups and checks

/// `len` bytes of xorshift32 from `seed`: the top byte of each step.
fn pseudo_random_bytes(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target.as_ref(), link)
        .unwrap_or_else(|e| panic!("symlink {}: {e}", link.display()));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// What the escape program finds: victims outside and symlinks the host planted inside.
fn escape_setup(d: &Dirs) {
    for v in ["a", "b", "c", "d"] {
        write(
            &d.outside,
            &format!("victim_{v}.txt"),
            format!("victim {v}\n"),
        );
    }
    std::fs::create_dir(d.outside.join("victim_dir")).expect("create outside/victim_dir");
    symlink("secret.txt", &d.outside.join("link_out"));
    symlink(d.outside.join("secret.txt"), &d.sandbox.join("planted_abs"));
    symlink("../outside/secret.txt", &d.sandbox.join("planted_rel"));
    symlink("../outside", &d.sandbox.join("planted_dir"));
    symlink(&d.outside, &d.sandbox.join("planted_abs_dir"));
}

/// Beyond what every case checks (nothing outside changed, nothing beside the sandbox):
/// the planted links are intact and nothing in the sandbox is a hard link to a file
/// outside.
fn escape_check(d: &Dirs, out: &Output) {
    use std::os::unix::fs::MetadataExt;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("root:x:0:"),
        "/etc/passwd was read: {stdout}"
    );
    let secret = std::fs::metadata(d.outside.join("secret.txt")).expect("secret.txt is there");
    assert_eq!(secret.nlink(), 1, "someone made a hard link to secret.txt");
    assert_eq!(read(&d.outside.join("secret.txt")), SECRET);
    for victim in [
        "victim_a.txt",
        "victim_b.txt",
        "victim_c.txt",
        "victim_d.txt",
    ] {
        assert!(d.outside.join(victim).exists(), "{victim} is gone");
    }
    for stolen in ["stolen.txt", "stolen2.txt", "hard", "hard2"] {
        assert!(
            !d.sandbox.join(stolen).exists(),
            "{stolen} appeared in the sandbox"
        );
    }
    assert_eq!(
        std::fs::read_link(d.sandbox.join("planted_rel")).expect("planted_rel is a link"),
        Path::new("../outside/secret.txt")
    );
}

fn textdb_setup(d: &Dirs) {
    write(
        &d.sandbox,
        "db.txt",
        "apple\tred fruit\nzebra\tstriped animal\n",
    );
    write(
        &d.sandbox,
        "import.txt",
        "# fruit\nbanana=yellow fruit\n\napple=green or red fruit\nnovalue\n=nokey\ncherry=small Red fruit\n",
    );
}

fn textdb_check(d: &Dirs, _: &Output) {
    assert_eq!(
        read(&d.sandbox.join("db.txt")),
        "apple\tgreen or red fruit\nbanana\tyellow fruit\ncherry\tsmall Red fruit\nkiwi\tbrown, fuzzy\n"
    );
    assert_eq!(
        read(&d.sandbox.join("journal.log")),
        "put banana yellow fruit\nput apple green or red fruit\nput cherry small Red fruit\nput kiwi brown, fuzzy\ndel zebra\n"
    );
    assert_eq!(names(&d.sandbox), ["db.txt", "import.txt", "journal.log"]);
}

/// 5000 `keyNNNNN=value ...` lines in a scrambled order.
fn textdb_bulk_setup(d: &Dirs) {
    let mut s = String::new();
    for i in 0..5000u32 {
        let k = (i * 7919) % 5000;
        let _ = writeln!(
            s,
            "key{k:05}=value number {i}, {}",
            "x".repeat((i % 37) as usize)
        );
    }
    write(&d.sandbox, "bulk.txt", s);
}

fn textdb_bulk_check(d: &Dirs, _: &Output) {
    let db = read(&d.sandbox.join("db.txt"));
    assert_eq!(db.len(), 233_766);
    assert_eq!(db.lines().count(), 4999);
    assert!(
        db.starts_with("key00000\tvalue number 0, \nkey00002\t"),
        "{}",
        &db[..60]
    );
    assert_eq!(read(&d.sandbox.join("journal.log")).lines().count(), 5001);
}

fn words_setup(d: &Dirs) {
    write(
        &d.sandbox,
        "a.txt",
        "The quick brown fox jumps over the lazy dog.\nThe dog sleeps; the fox doesn't!\n",
    );
    write(
        &d.sandbox,
        "b.txt",
        "A fox, a dog, and 2 cats: the cats watch the fox and the dog.\nNumbers like 42 and 2024 count as words too (42 twice).\n",
    );
    write(
        &d.sandbox,
        "notes.md",
        "these words are not counted: fox fox fox\n",
    );
    write(&d.sandbox, "empty.txt", "");
}

fn words_check(d: &Dirs, _: &Output) {
    let counts = read(&d.sandbox.join("counts.tsv"));
    assert_eq!(counts.len(), 170);
    assert!(
        counts.starts_with("the\t7\ndog\t4\nfox\t4\nand\t3\n42\t2\na\t2\ncats\t2\n"),
        "{counts}"
    );
}

// ---------------------------------------------------------------------------------------
// The cases

const NODE_STDIN: &str = "stdin is a non-blocking pipe under node: a read before the writer catches up fails with EAGAIN";

macro_rules! cases {
    ($($name:ident => $case:expr;)*) => {
        /// The names of all cases, for `show_case`.
        const CASE_NAMES: &[&str] = &[$(stringify!($name)),*];

        fn case_by_name(name: &str) -> Option<Case> {
            match name {
                $(stringify!($name) => Some($case),)*
                _ => None,
            }
        }

        $(
            #[test]
            fn $name() {
                run_case(stringify!($name), $case);
            }
        )*
    };
}

cases! {
    c_hello => Case::new("c/hello.wasm")
        .stdout("Hello, world! 2 + 3 = 5\nputs adds a newline\nformats| 3.14|ff  |z\n")
        .stderr("this line goes to stderr\n");

    // Arguments after FILE are the guest's, options or not; the host's environment
    // (cargo's, with HOME and PATH) does not reach the guest.
    c_args => Case::new("c/args_env.wasm")
        .args(&["hello world", "", "--", "--dir", "x", "--env=Y=1", "-x", "ünïcödé"])
        .stdout(C_ARGS);

    c_env => Case::new("c/args_env.wasm")
        .env("GREETING", "hi=there")
        .env("EMPTY", "")
        .env("UNICODE", "ünï")
        .env("A_FIRST", "1")
        .stdout(C_ENV)
        .differs(Peer::Wasmi, "wasmi_cli refuses `--env EMPTY=`");

    c_exit_return_0 => Case::new("c/exit.wasm").stdout("no arguments: returning 0\n");

    c_exit_0 => Case::new("c/exit.wasm")
        .args(&["exit", "0"])
        .stdout("calling exit(0), this line has no newline");

    c_exit_3 => Case::new("c/exit.wasm")
        .args(&["exit", "3"])
        .stdout("calling exit(3), this line has no newline")
        .status(3);

    c_exit_113 => Case::new("c/exit.wasm")
        .args(&["exit", "113"])
        .stdout("calling exit(113), this line has no newline")
        .status(113);

    // A status a shell cannot take for a plain exit status (126 and up) is an error, as in
    // wasmtime and wasi-common (folio's --help says so).
    c_exit_255 => Case::new("c/exit.wasm")
        .args(&["exit", "255"])
        .stdout("calling exit(255), this line has no newline")
        .trap("", "outside")
        .differs(Peer::Node, "exits 255")
        .differs(Peer::Native, "exits 255");

    c_return_7 => Case::new("c/exit.wasm")
        .args(&["return", "7"])
        .stdout("returning 7 from main\n")
        .status(7);

    c_abort => Case::new("c/exit.wasm")
        .args(&["abort"])
        .stdout("calling abort()\n")
        .trap("", "unreachable")
        .differs(Peer::Native, "abort() raises SIGABRT");

    c_trap_div => Case::new("c/exit.wasm")
        .args(&["trap-div"])
        .stdout("dividing by zero\n")
        .trap("", "divide by zero")
        .differs(Peer::Native, "SIGFPE");

    c_bigmem => Case::new("c/bigmem.wasm")
        .stdout(C_BIGMEM)
        .differs(Peer::Node, "node v20.20.2 prints all of it, then segfaults at exit (139)");

    c_clocks => Case::new("c/clocks.wasm")
        .stdout(C_CLOCKS)
        .differs(Peer::Wasmi, "process CPU-time clock: EBADF")
        .differs(Peer::Node, "hangs in an absolute-time poll_oneoff clock subscription");

    c_random => Case::new("c/random.wasm").stdout(C_RANDOM);

    c_stdin_count => Case::new("c/stdin.wasm")
        .args(&["count"])
        .stdin(pseudo_random_bytes(1 << 20, 0x0123_4567))
        .stdout("bytes: 1048576\nlines: 4235\nfnv1a64: 2a9f87649d2c332c\n")
        .differs(Peer::Node, NODE_STDIN);

    c_stdin_empty => Case::new("c/stdin.wasm")
        .args(&["count"])
        .stdout("bytes: 0\nlines: 0\nfnv1a64: cbf29ce484222325\n");

    c_stdin_cat => Case::new("c/stdin.wasm")
        .args(&["cat"])
        .stdin(pseudo_random_bytes(1 << 20, 0x0123_4567))
        .echo_stdin()
        .differs(Peer::Node, NODE_STDIN);

    c_stdin_lines => Case::new("c/stdin.wasm")
        .args(&["lines"])
        .stdin(format!("first line\nsecond line\n\n{}\nno newline at the end", "x".repeat(300)).into_bytes())
        // fgets into 256 bytes splits the 300-byte line after 255.
        .stdout(format!(
            "1: first line\n2: second line\n3: \n4: {}5: {}\n6: no newline at the end(6 lines, eof: yes)\n",
            "x".repeat(255),
            "x".repeat(45)
        ));

    c_files => Case::new("c/files.wasm")
        .args(&["/sandbox"])
        .stdout(C_FILES)
        .differs(Peer::Node, "file times keep whole seconds only")
        .differs(Peer::Native, "open(\"\") is ENOENT natively, ENOTCAPABLE in wasi-libc");

    c_dirs => Case::new("c/dirs.wasm").args(&["/sandbox"]).stdout(C_DIRS);

    // The same program with the preopen named by its host path (`--dir HOST`).
    c_dirs_host_path => Case::new("c/dirs.wasm")
        .args(&["/sandbox"])
        .host_path_preopen()
        .stdout(C_DIRS);

    c_symlinks => Case::new("c/symlinks.wasm")
        .args(&["/sandbox"])
        .stdout(C_SYMLINKS)
        .differs(Peer::Node, "ENOBUFS for a short readlink buffer, ignores O_NOFOLLOW, refuses links with `..` that stay inside")
        .differs(Peer::Native, "absolute symlinks work natively");

    c_escape => Case::new("c/escape.wasm")
        .args(&["/sandbox"])
        .env("OUTSIDE_HOST", "{outside}")
        .setup(escape_setup)
        .check(escape_check)
        .escape_stdout(C_ESCAPE)
        .differs(Peer::Node, "node's WASI is no sandbox: it escapes through planted_dir and a `..` chain")
        .differs(Peer::Native, "no sandbox natively");

    c_textdb => Case::new("c/textdb.wasm")
        .args(&[
            "/sandbox", "import", "import.txt", "put", "kiwi", "brown, fuzzy", "get", "apple",
            "get", "nothing", "del", "zebra", "del", "zebra", "find", "RED", "list", "stats",
            "import", "missing.txt",
        ])
        .setup(textdb_setup)
        .check(textdb_check)
        .stdout(C_TEXTDB);

    c_textdb_bulk => Case::new("c/textdb.wasm")
        .args(&[
            "/sandbox", "import", "bulk.txt", "get", "key02500", "get", "key04999", "del",
            "key00001", "find", "NUMBER 4999,", "stats",
        ])
        .setup(textdb_bulk_setup)
        .check(textdb_bulk_check)
        .stdout(C_TEXTDB_BULK);

    rust_hello => Case::new("rust/hello.wasm")
        .stdout(RUST_HELLO)
        .stderr("eprintln! goes to stderr\n");

    rust_args_env => Case::new("rust/args_env.wasm")
        .args(&["hello world", "", "--env", "X=1", "ünï"])
        .env("GREETING", "hi=there")
        .env("ZED", "last")
        .env("A_FIRST", "1")
        .stdout(RUST_ARGS_ENV);

    rust_exit_ok => Case::new("rust/exit.wasm").stdout("no arguments: Ok(())\n");

    rust_exit_42 => Case::new("rust/exit.wasm")
        .args(&["exit", "42"])
        .stdout("exiting with 42")
        .status(42);

    rust_err => Case::new("rust/exit.wasm")
        .args(&["err"])
        .stdout("returning Err\n")
        .stderr("Error: \"deliberate error\"\n")
        .status(1);

    rust_panic => Case::new("rust/exit.wasm")
        .args(&["panic"])
        .stdout("about to panic\n")
        .trap_after("\nthread 'main' (1) panicked at rust/exit.rs:", "unreachable")
        .differs(Peer::Native, "a native panic unwinds: status 101");

    rust_clocks_random => Case::new("rust/clocks_random.wasm")
        .stdout(RUST_CLOCKS_RANDOM)
        .differs(Peer::Node, "sometimes wakes from a sleep up to 1 ms early");

    rust_fs => Case::new("rust/fs.wasm").args(&["/sandbox"]).stdout(RUST_FS);

    rust_wordcount_args => Case::new("rust/wordcount.wasm")
        .args(&["/sandbox"])
        .setup(words_setup)
        .check(words_check)
        .stdout(RUST_WORDCOUNT);

    rust_wordcount_env => Case::new("rust/wordcount.wasm")
        .env("WORDS_DIR", "/sandbox")
        .env("TOP", "3")
        .setup(words_setup)
        .check(words_check)
        .stdout(RUST_WORDCOUNT_TOP3);
}

// ---------------------------------------------------------------------------------------
// Folio's own command line around WASI (no peer has the same conventions).

fn folio_only() -> bool {
    Peer::current() == Peer::Folio
}

fn run_folio(args: &[&str]) -> Output {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(programs_dir())
        .timeout(TIMEOUT)
        .output()
        .expect("run folio")
}

fn one_error_line(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line of stderr: {stderr:?}");
    assert!(lines[0].starts_with("error: "), "{stderr:?}");
    assert!(lines[0].contains(needle), "`{needle}` not in {stderr:?}");
}

#[test]
fn a_missing_preopen_directory_is_bad_input() {
    if !folio_only() {
        return;
    }
    let missing = scratch_root().join("no-such-directory");
    let dir = format!("{}::/sandbox", missing.display());
    let out = run_folio(&["run", "--dir", &dir, "c/hello.wasm"]);
    assert_eq!(out.status.code(), Some(BAD_INPUT), "{out:?}");
    one_error_line(&out, "no-such-directory");
    assert!(out.stdout.is_empty(), "the program ran: {out:?}");
}

/// `--env NAME` without `=VALUE` passes folio's own NAME, if it has one (wasmtime's rule,
/// in folio's --help); nothing else of folio's environment reaches the guest.
#[test]
fn an_env_option_without_a_value_takes_folios_own() {
    if !folio_only() {
        return;
    }
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "run",
            "--env",
            "FOLIO_WASI_INHERITED",
            "--env",
            "FOLIO_WASI_UNSET",
        ])
        .args(["--env", "GIVEN=here", "c/args_env.wasm"])
        .env("FOLIO_WASI_INHERITED", "from folio")
        .env_remove("FOLIO_WASI_UNSET")
        .current_dir(programs_dir())
        .timeout(TIMEOUT)
        .output()
        .expect("run folio");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("environ: 2 entries\n  [FOLIO_WASI_INHERITED=from folio]\n  [GIVEN=here]\n"),
        "{stdout}"
    );
}

/// `poll` on stdin with a timeout (poll_oneoff with an fd_read subscription and a clock):
/// with nothing written yet it times out; the program then blocks in `read` until the
/// input comes. The input is written only after the program has reported the timeout, so
/// the outcome does not depend on how fast the machine is. Native and wasmi print the
/// same for this case.
#[test]
fn poll_on_stdin_times_out_then_reads_late_input() {
    use std::io::{BufRead, BufReader, Read, Write};
    if !folio_only() {
        return;
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["run", "c/poll_stdin.wasm", "200"])
        .current_dir(programs_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run folio");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut seen = String::new();
    while !seen.contains("stdin: ") {
        let mut line = String::new();
        if stdout.read_line(&mut line).expect("read folio's stdout") == 0 {
            break;
        }
        seen.push_str(&line);
    }
    stdin.write_all(b"late\n").expect("write stdin");
    drop(stdin);
    stdout.read_to_string(&mut seen).expect("read the rest");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    assert_eq!(seen, "stdout writable: yes\nstdin: timeout\nread 5 bytes\n");

    // With input already there (or at end of file), it is ready at once.
    for (input, read) in [(&b"hello\n"[..], 6), (&b""[..], 0)] {
        let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["run", "c/poll_stdin.wasm", "10000"])
            .current_dir(programs_dir())
            .write_stdin(input)
            .timeout(TIMEOUT)
            .output()
            .expect("run folio");
        let want = format!("stdout writable: yes\nstdin: ready\nread {read} bytes\n");
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{out:?}");
    }
}

/// `--trace-grow` shows malloc's growth on a C program: wasi-libc's allocator grows memory
/// 8 MiB at a time for `bigmem`'s 8 MiB blocks, and under `--max-memory` the refused grow
/// names the host limit while malloc returns NULL to the program (no trap).
#[test]
fn trace_grow_shows_mallocs_growth_and_the_limit_that_refused() {
    if !folio_only() {
        return;
    }
    let out = run_folio(&[
        "run",
        "--trace-grow",
        "--max-memory",
        "64MiB",
        "c/bigmem.wasm",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let grows: Vec<&str> = stderr.lines().filter(|l| l.contains(" grow: ")).collect();
    assert_eq!(
        grows.first().copied(),
        Some("memory[0] grow: 2 + 128 pages -> 130 pages"),
        "{stderr}"
    );
    assert!(grows.len() >= 8, "{stderr}");
    assert!(
        grows
            .iter()
            .any(|l| l.ends_with("refused: host limit (--max-memory 67108864 bytes)")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "malloc of block 7 failed\n");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

// ---------------------------------------------------------------------------------------
// Stale binaries

/// Fails when a committed `.wasm` no longer matches its source or build command (or was
/// rebuilt without the manifest), naming each, and says to run build.sh.
#[test]
fn stale_binaries() {
    let dir = programs_dir();
    let table = built::build_table(&dir);
    let mut stale = built::stale_against_manifest(&dir, &table);
    for sub in ["c", "rust"] {
        for name in names(&dir.join(sub)) {
            let rel = format!("{sub}/{name}");
            if name.ends_with(".wasm") && !table.iter().any(|(o, _, _)| *o == rel) {
                stale.push(format!("{rel}: not built by build.sh"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale WASI test programs:\n  {}\nrun `bash std-host/tests/wasi/build.sh` (see std-host/tests/wasi/README.md) and commit the .wasm files with manifest.txt",
        stale.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------
// Expected outputs (recorded from the peers, see the top of this file)

const C_ARGS: &str = "argc=9
argv[0]=[c/args_env.wasm] (15 bytes)
argv[1]=[hello world] (11 bytes)
argv[2]=[] (0 bytes)
argv[3]=[--] (2 bytes)
argv[4]=[--dir] (5 bytes)
argv[5]=[x] (1 bytes)
argv[6]=[--env=Y=1] (9 bytes)
argv[7]=[-x] (2 bytes)
argv[8]=[ünïcödé] (11 bytes)
environ: 0 entries
getenv(GREETING) unset
getenv(EMPTY) unset
getenv(HOME) unset
getenv(PATH) unset
";

const C_ENV: &str = "argc=1
argv[0]=[c/args_env.wasm] (15 bytes)
environ: 4 entries
  [A_FIRST=1]
  [EMPTY=]
  [GREETING=hi=there]
  [UNICODE=ünï]
getenv(GREETING)=[hi=there]
getenv(EMPTY)=[]
getenv(HOME) unset
getenv(PATH) unset
";

const C_BIGMEM: &str = "live: 320 MiB in 40 blocks
checksum: 173604999774208, read back: same, bad pages: 0
after reuse: checksum 126327735126016, bad pages: 0
freed all blocks
realloc grown to 128 MiB: checksum 21793793458176
realloc shrunk to 1 MiB: checksum 35886899328
calloc 16 MiB: 0 nonzero pages
bad pages in total: 0
";

const C_CLOCKS: &str = "realtime after 2020-01-01: yes
realtime before 2100-01-01: yes
time() within 2 s of realtime: yes
gettimeofday within 2 s of realtime: yes
clock_getres(realtime): between 1 ns and 1 ms: yes
clock_getres(monotonic): between 1 ns and 1 ms: yes
clock_getres(process cputime): between 1 ns and 1 ms: yes
monotonic never goes back over 1000 reads: yes
nanosleep 0: returned 0
poll(NULL, 0, 0): returned 0
nanosleep 50 ms: returned 0, slept at least 50 ms: yes
usleep 20000 us: returned 0, slept at least 20 ms: yes
poll(NULL, 0, 30): returned 0, slept at least 30 ms: yes
clock_nanosleep monotonic relative 20 ms: returned 0, slept at least 20 ms: yes
clock_nanosleep realtime relative 20 ms: returned 0, slept at least 20 ms: yes
clock_nanosleep monotonic absolute +30 ms: returned 0, slept at least 30 ms: yes
process cputime advances with work: yes
";

const C_RANDOM: &str = "getentropy 256 bytes (a): ok
getentropy 256 bytes (b): ok
a is all zero: no
b is all zero: no
a and b differ: yes
a has more than 64 distinct byte values: yes
getentropy 0 bytes: ok
getentropy 257 bytes: EIO
1 MiB in 256-byte pieces, all-zero pieces: 0
random_get 4096 bytes: ok, all zero: no
";

const C_FILES: &str = r#"== create, write, read back
open data.txt O_CREAT|O_WRONLY|O_TRUNC: ok
write: 12
close: ok
  data.txt (12 bytes): "hello, file\n"
read 100: 12, read at eof: 0
write to an O_RDONLY fd: EBADF
read from an O_WRONLY fd: EBADF
== lseek
SEEK_END 0: 12
SEEK_END -5: 7
read 4: 4 "file"
SEEK_CUR 0: 11
SEEK_CUR -9: 2
SEEK_SET 2: 2
write LL: 2
SEEK_SET -1: EINVAL
offset after the failed seek: 4
SEEK_SET 20 (past the end): 20
write X: 1
  data.txt (21 bytes): "heLLo, file\n\0\0\0\0\0\0\0\0X"
== ftruncate, fstat, stat
ftruncate 100: ok
fstat: file, 100 bytes
pread 79 at 21: 79, all zero: yes
ftruncate 5: ok
fstat: file, 5 bytes
offset is still: 0
ftruncate -1: EINVAL
  data.txt (5 bytes): "heLLo"
  stat data.txt: file, 5 bytes
  stat .: dir
  stat missing.txt: ENOENT
== pread, pwrite
write: 10
lseek SET 3: 3
pwrite ABC at 6: 3
pwrite Z at 12 (past the end): 1
pread 4 at 5: 4 "5ABC"
pread at 13 (the end): 0
offset unchanged: 3
pread at -1: EINVAL
  p.bin (13 bytes): "012345ABC9\0\0Z"
== O_APPEND
open O_WRONLY|O_APPEND: ok
F_GETFL: append yes, write-only yes
write after SEEK_SET 0: 7
offset after: 13
F_GETFL of O_RDWR: append no, read-write yes
  log.txt (13 bytes): "first\nsecond\n"
== O_EXCL, missing files, wrong types
O_CREAT|O_EXCL on an existing file: EEXIST
O_CREAT|O_EXCL on a new file: ok
open a missing file: ENOENT
open in a missing directory: ENOENT
O_CREAT in a missing directory: ENOENT
open a file as a directory: ENOTDIR
O_DIRECTORY on a file: ENOTDIR
open a directory for writing: EISDIR
open an empty path: ENOTCAPABLE
== fsync, fdatasync
fsync: ok
fdatasync: ok
== utimensat, futimens
utimensat: ok
atime 1500000000.250000000
mtime 1600000000.123456789
futimens (atime UTIME_OMIT): ok
atime 1500000000.250000000
mtime 1234567890.500000000
set both times to now: ok
mtime is now after 2020: yes
== rename, unlink
rename data.txt -> renamed.txt: ok
  stat data.txt: ENOENT
  renamed.txt (5 bytes): "heLLo"
rename renamed.txt over new.txt: ok
  new.txt (5 bytes): "heLLo"
unlink new.txt: ok
  stat new.txt: ENOENT
unlink a missing file: ENOENT
rename a missing file: ENOENT
== 1 MiB in one write
written: 1048576
read back: 1048576, checksum 6f800000
== stdio
ftell after fprintf: 14
fgets: line 1
fgets: line 2
  stdio.txt (21 bytes): "line 1\nline 2\nline 3\n"
fopen a missing file: ENOENT
== listing
  big.bin file 1048576
  log.txt file 13
  p.bin file 13
  stdio.txt file 21
"#;

const C_DIRS: &str = r#"== mkdir
mkdir a: ok
mkdir a again: EEXIST
mkdir a/b: ok
mkdir a/b/c: ok
mkdir x/y (no x): ENOENT
mkdir e (stays empty): ok
mkdir over a file: EEXIST
mkdir under a file: ENOTDIR
tree:
  a/
    b/
      c/
        f3.txt (6 bytes)
      f2.txt (5 bytes)
    f1.txt (4 bytes)
  e/
== rmdir, unlink
rmdir a (not empty): ENOTEMPTY
rmdir a/b/c (not empty): ENOTEMPTY
rmdir a/f1.txt (a file): ENOTDIR
rmdir missing: ENOENT
unlink a/b (a directory): EISDIR
rmdir e: ok
rmdir e again: ENOENT
== opendir
opendir a/f1.txt: ENOTDIR
opendir missing: ENOENT
mkdir empty: ok
entries in empty: 0
== rename directories
rename a/b -> a/moved: ok
rename a/moved/c -> top: ok
mkdir full, full/x: ok
rename empty onto full (not empty): ENOTEMPTY
rename a directory onto a file: ENOTDIR
rename a file onto a directory: EISDIR
rename a directory into itself: EINVAL
rename empty onto full/x (empty): ok
tree:
  a/
    f1.txt (4 bytes)
    moved/
      f2.txt (5 bytes)
  full/
    x/
  top/
    f3.txt (6 bytes)
== 300 entries
mkdir many: ok
readdir many: 300 entries
after rewinddir: 300 entries
rmdir many: ok
== remove everything
a/f1.txt: ok
a/moved/f2.txt: ok
top/f3.txt: ok
a/moved: ok
a: ok
top: ok
full/x: ok
full: ok
tree:
entries in the preopened dir: 0
"#;

const C_SYMLINKS: &str = r#"== a link to a file
symlink target.txt <- link: ok
readlink link (buffer 256): 10 "target.txt"
readlink link (buffer 4): 4 "targ"
readlink target.txt: EINVAL
readlink missing: ENOENT
stat link: file, 16 bytes
lstat link: symlink, 10 bytes
open link: "target contents"
open link O_NOFOLLOW: ELOOP
symlink over an existing name: EEXIST
== links to directories, `..` inside
symlink d <- dlink: ok
stat dlink: dir
lstat dlink: symlink, 1 bytes
open dlink/inner.txt: "inner contents"
symlink ../target.txt <- d/up: ok
open d/up: "target contents"
open dlink/up: "target contents"
symlink .. <- d/parent: ok
open d/parent/target.txt: "target contents"
open d/parent/d/parent/d/inner.txt: "inner contents"
== chains
symlink c2 <- c1: ok
symlink d/../c3 <- c2: ok
symlink link <- c3: ok
open c1: "target contents"
stat c1: file, 16 bytes
readlink c1 (buffer 256): 2 "c2"
== dangling
symlink nowhere.txt <- dangling: ok
open dangling: ENOENT
stat dangling: ENOENT
lstat dangling: symlink, 11 bytes
readlink dangling (buffer 256): 11 "nowhere.txt"
symlink made.txt <- dangling2: ok
open dangling2 O_CREAT: ok
lstat made.txt: file, 20 bytes
open dangling2: "made through a link"
== loops
symlink loop2 <- loop1: ok
symlink loop1 <- loop2: ok
symlink self <- self: ok
open loop1: ELOOP
open self: ELOOP
stat loop1: ELOOP
lstat loop1: symlink, 5 bytes
open loop1/x: ELOOP
mkdir through a loop: ELOOP
== unlink and rename links
rename link -> renamed_link: ok
readlink renamed_link (buffer 256): 10 "target.txt"
open renamed_link: "target contents"
open c1: ENOENT
unlink renamed_link: ok
open target.txt: "target contents"
unlink dlink (a link to a directory): ok
stat d: dir
== absolute link
symlink to an absolute path: EPERM
== readdir types
  c1 link
  c2 link
  c3 link
  d dir
  dangling link
  dangling2 link
  loop1 link
  loop2 link
  made.txt file
  self link
  target.txt file
"#;

const C_ESCAPE: &str = r#"open_dotdot: refused (EPERM)
open_sub_dotdot: refused (EPERM)
open_many_dotdot: refused (EPERM)
open_parent_dir: refused (EPERM)
list_outside: refused (EPERM)
openat_subdir_dotdot: refused (EPERM)
open_abs_etc_passwd: refused (ENOTCAPABLE)
open_abs_outside: refused (ENOTCAPABLE)
open_root_dotdot: refused (EPERM)
open_abs_host_path: refused (ENOTCAPABLE)
guest_symlink_dotdot: refused (EPERM)
guest_symlink_outside_dir: refused (EPERM)
guest_symlink_to_file: refused (EPERM)
guest_symlink_abs_host: refused (EPERM)
guest_symlink_abs_etc: refused (EPERM)
guest_symlink_root: refused (EPERM)
guest_symlink_chain: refused (EPERM)
guest_symlink_climb: refused (EPERM)
host_symlink_abs: refused (EPERM)
host_symlink_rel: refused (EPERM)
host_symlink_dir: refused (EPERM)
host_symlink_abs_dir: refused (EPERM)
create_through_host_symlink_dir: refused (EPERM)
stat_through_host_symlink: refused (EPERM)
mkdir_through_host_symlink_dir: refused (EPERM)
hardlink_outside: refused (EPERM)
hardlink_follow_host_symlink: refused (EINVAL)
hardlink_into_outside: refused (EPERM)
rename_to_outside: refused (EPERM)
rename_from_outside: refused (EPERM)
rename_through_host_symlink_dir: refused (EPERM)
mkdir_outside: refused (EPERM)
unlink_outside: refused (EPERM)
unlink_through_host_symlink_dir: refused (EPERM)
rmdir_outside: refused (EPERM)
readlink_outside: refused (EPERM)
stat_outside: refused (EPERM)
lstat_outside: refused (EPERM)
create_outside: refused (EPERM)
symlink_in_outside: refused (EPERM)
utimes_outside: refused (EPERM)
utimes_through_host_symlink: refused (EPERM)
truncate_through_host_symlink: refused (EPERM)
mine.txt still opens: yes
"#;

const C_TEXTDB: &str = r#"loaded 2 records
imported import.txt: 2 added, 1 replaced, 2 malformed
put kiwi: added
apple = green or red fruit
nothing: not found
del zebra: deleted
del zebra: not found
find RED: apple cherry
4 records:
  apple = green or red fruit
  banana = yellow fruit
  cherry = small Red fruit
  kiwi = brown, fuzzy
stats: 4 records, 78 bytes, longest key banana
import missing.txt: ENOENT
saved 4 records (86 bytes)
"#;

const C_TEXTDB_BULK: &str = r#"new database (ENOENT)
imported bulk.txt: 5000 added, 0 replaced, 0 malformed
key02500 = value number 2500, xxxxxxxxxxxxxxxxxxxxx
key04999 = value number 2321, xxxxxxxxxxxxxxxxxxxxxxxxxxx
del key00001: deleted
find NUMBER 4999,: key02081
stats: 4999 records, 223768 bytes, longest key key00000
saved 4999 records (233766 bytes)
"#;

const RUST_HELLO: &str = r#"Hello from Rust, world!
print! without a newline, then println!
write_all on a locked stdout
line 1 of 3
line 2 of 3
line 3 of 3
"#;

const RUST_ARGS_ENV: &str = r#"6 args
arg 0: "rust/args_env.wasm"
arg 1: "hello world"
arg 2: ""
arg 3: "--env"
arg 4: "X=1"
arg 5: "ünï"
3 vars
  A_FIRST="1"
  GREETING="hi=there"
  ZED="last"
var GREETING: "hi=there"
var EMPTY: environment variable not found
var HOME: environment variable not found
var PATH: environment variable not found
"#;

const RUST_CLOCKS_RANDOM: &str = r#"SystemTime after 2020: yes
Instant never goes back over 1000 reads: yes
sleep 1 ms: slept at least 1 ms: yes
sleep 10 ms: slept at least 10 ms: yes
sleep 40 ms: slept at least 40 ms: yes
wall and monotonic clocks agree within 1 s: yes
two RandomStates hash a key differently: yes
"#;

const RUST_FS: &str = r#"== write, read, append, create_new
first line
appended line
create_new on an existing file: AlreadyExists
read a missing file: NotFound
create_dir on an existing dir: AlreadyExists
create_dir_all on an existing dir: ok
== seek, set_len, sync_all, metadata
seek End(-6): 10
read 3: "abc"
seek Current(-5): 8
stream_position: 10
len after set_len(32): 32
contents after set_len(12): "01234567XYab"
seek before the start: InvalidInput
metadata: file true, dir false, len 12
modified within the last hour: true
metadata of a dir: file false, dir true
== copy, rename, hard_link
copy: 12 bytes
old name after rename: NotFound
copy.bin reads: "changed through the hard link"
copy.bin still there: true
== tree
  notes/
    2024/
      june/
        a.txt (25 bytes)
      moved.bin (12 bytes)
    copy.bin (29 bytes)
== remove
remove_dir of a non-empty dir fails: true, still there: true
remove_file of a dir: IsADirectory
read_dir of a file: NotADirectory
after remove_dir_all: NotFound
entries left: 0
"#;

const RUST_WORDCOUNT: &str = r#"a.txt: 16 words, 11 distinct
b.txt: 26 words, 17 distinct
empty.txt: 0 words, 0 distinct
wrote counts.tsv: 25 lines, 170 bytes
total: 42 words, 25 distinct
top 5:
     7 the
     4 dog
     4 fox
     3 and
     2 42
"#;

const RUST_WORDCOUNT_TOP3: &str = r#"a.txt: 16 words, 11 distinct
b.txt: 26 words, 17 distinct
empty.txt: 0 words, 0 distinct
wrote counts.tsv: 25 lines, 170 bytes
total: 42 words, 25 distinct
top 3:
     7 the
     4 dog
     4 fox
"#;
