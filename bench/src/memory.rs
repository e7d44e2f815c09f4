//! Memory benchmarks, each on Folio's heap store, Folio's reservation store and wasmi:
//!
//! - **grow**: `memory.grow 1` in a loop to 4,096 and to 16,384 pages (256 MiB, 1 GiB).
//!   Linear growth means the 16,384-page time is ~4× the 4,096-page one.
//! - **instantiate_1gib**: instantiate a module whose memory starts at 16,384 pages and
//!   touch one byte, in a fresh child process per case (this binary run again with
//!   `__rss KIND PAGES`), which reports the time and its peak RSS (`VmHWM`). The same
//!   module with a 1-page memory gives each case's baseline.
//! - **translate**: `Module::new` on the largest module of the compiler-output corpus and
//!   on a generated module of many functions (a few MB of wasm): MB/s of wasm for Folio,
//!   wasmi with eager translation (what Folio does) and wasmi's default lazy translation
//!   (validation only up front).
//!
//! Times are the thread's CPU time ([`cpu_time`]), system time (page faults, `mprotect`)
//! included.

use crate::corpus::Entry;
use crate::engines::{Engine, Kind};
use crate::exec::{cpu_time, median};
use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

/// The engines every memory benchmark compares.
pub const STORE_KINDS: [Kind; 3] = [Kind::Folio, Kind::FolioReserve, Kind::Wasmi];

/// A module whose `run(n)` grows its `i32` memory (0 pages, no maximum) one page at a time,
/// `n` times, trapping if a grow fails, and returns the final size.
pub const GROW_WAT: &str = r#"
(module
  (memory (export "mem") 0)
  (func (export "setup") (param i32) (result i64) (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (block $done
      (loop $grow
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $grow)))
    (i64.extend_i32_u (memory.size))))
"#;

/// A module with an `i32` memory of `pages` initial pages whose `run(a)` writes one byte at
/// `a` and reads it back.
pub fn touch_wat(pages: u32) -> String {
    format!(
        r#"(module
  (memory (export "mem") {pages})
  (func (export "setup") (param i32) (result i64) (i64.const 0))
  (func (export "run") (param $a i32) (result i64)
    (i32.store8 (local.get $a) (i32.const 42))
    (i64.extend_i32_u (i32.load8_u (local.get $a)))))"#
    )
}

/// Median time of growing a fresh instance's memory page by page to `pages` on `kind`.
///
/// # Errors
/// A failed grow (the module traps) or an engine error.
pub fn time_grow(kind: Kind, pages: u32, reps: usize) -> Result<Duration, String> {
    let wasm = wat::parse_str(GROW_WAT).map_err(|e| e.to_string())?;
    let module = Engine::new(kind).compile(&wasm)?;
    let arg = i32::try_from(pages).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    for _ in 0..reps.max(1) {
        let mut instance = module.instantiate()?;
        let start = cpu_time();
        let size = instance.call("run", arg)?;
        times.push(cpu_time().saturating_sub(start));
        if size != i64::from(pages) {
            return Err(format!(
                "{}: grew to {size} pages, not {pages}",
                kind.name()
            ));
        }
    }
    Ok(median(&mut times))
}

/// The grow table: per kind, the time to 4,096 and to 16,384 pages and their ratio.
///
/// # Errors
/// As [`time_grow`].
pub fn grow_report(reps: usize) -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "grow one page at a time (memory.grow 1 in a loop; linear = ratio 4.0)\n\
         {:<16}{:>14}{:>15}{:>8}{:>16}",
        "store", "4096 pages ms", "16384 pages ms", "ratio", "us/page @16384"
    );
    for kind in STORE_KINDS {
        let small = time_grow(kind, 4_096, reps)?;
        let large = time_grow(kind, 16_384, reps)?;
        let _ = writeln!(
            out,
            "{:<16}{:>14.2}{:>15.2}{:>8.2}{:>16.3}",
            kind.name(),
            small.as_secs_f64() * 1e3,
            large.as_secs_f64() * 1e3,
            large.as_secs_f64() / small.as_secs_f64(),
            large.as_secs_f64() * 1e6 / 16_384.0
        );
    }
    Ok(out)
}

/// What a child process measured: instantiate + touch time, peak and current RSS.
#[derive(Debug, Clone, Copy)]
pub struct ChildReport {
    /// Instantiation plus the call that touches one byte.
    pub time: Duration,
    /// `VmHWM`, KiB.
    pub peak_kib: u64,
}

/// The child's side of `instantiate_1gib`: compile the touch module for `pages` (untimed),
/// then time instantiation plus touching the byte at the middle of the memory, and print
/// `ms=… hwm_kib=…`.
///
/// # Errors
/// Engine errors, or when `/proc/self/status` cannot be read.
pub fn child_main(kind: Kind, pages: u32) -> Result<String, String> {
    let wasm = wat::parse_str(touch_wat(pages)).map_err(|e| e.to_string())?;
    let module = Engine::new(kind).compile(&wasm)?;
    let addr = i32::try_from(u64::from(pages) * 65_536 / 2).unwrap_or(i32::MAX);
    let start = cpu_time();
    let mut instance = module.instantiate()?;
    let byte = instance.call("run", addr)?;
    let time = cpu_time().saturating_sub(start);
    if byte != 42 {
        return Err(format!("read back {byte}, wrote 42"));
    }
    let peak = status_kib("VmHWM")?;
    // Keep the instance alive until the RSS was read.
    drop(instance);
    Ok(format!("ms={} hwm_kib={peak}", time.as_secs_f64() * 1e3))
}

/// A `kB` field of `/proc/self/status`.
fn status_kib(field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/self/status"))
}

/// Runs this executable as `__rss KIND PAGES` and parses its report.
///
/// # Errors
/// When the child cannot start, fails, or prints something else.
pub fn run_child(kind: Kind, pages: u32) -> Result<ChildReport, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["__rss", kind.name(), &pages.to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "child {} {pages}: {}{}",
            kind.name(),
            stdout,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let field = |name: &str| {
        stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .ok_or_else(|| format!("child printed {stdout:?}"))
    };
    let ms: f64 = field("ms")?.parse().map_err(|e| format!("{e}"))?;
    let peak_kib = field("hwm_kib")?.parse().map_err(|e| format!("{e}"))?;
    Ok(ChildReport {
        time: Duration::from_secs_f64(ms / 1e3),
        peak_kib,
    })
}

/// The 1 GiB table: per kind, median instantiate + touch time over `reps` children, their
/// largest peak RSS, and the peak RSS of the same module with a 1-page memory.
///
/// # Errors
/// As [`run_child`].
pub fn instantiate_report(reps: usize) -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "instantiate a 16384-page (1 GiB) memory and touch one byte (fresh process each)\n\
         {:<16}{:>10}{:>15}{:>18}{:>12}",
        "store", "time ms", "peak RSS MiB", "1-page peak MiB", "extra MiB"
    );
    for kind in STORE_KINDS {
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..reps.max(1) {
            let r = run_child(kind, 16_384)?;
            times.push(r.time);
            peak = peak.max(r.peak_kib);
        }
        let base = run_child(kind, 1)?.peak_kib;
        let mib = |kib: u64| kib as f64 / 1024.0;
        let _ = writeln!(
            out,
            "{:<16}{:>10.3}{:>15.1}{:>18.1}{:>12.1}",
            kind.name(),
            median(&mut times).as_secs_f64() * 1e3,
            mib(peak),
            mib(base),
            mib(peak.saturating_sub(base))
        );
    }
    Ok(out)
}

/// A module of `funcs` functions, each `reps` repetitions of a block mixing loops,
/// branches, loads, stores, integer and float arithmetic, a call and a global.
pub fn big_module_wat(funcs: usize, reps: usize) -> String {
    let mut w = String::from("(module\n  (memory 1)\n  (global $g (mut i32) (i32.const 0))\n");
    for k in 0..funcs {
        let _ = writeln!(
            w,
            "  (func $f{k} (param $a i32) (param $b i32) (result i32)\n    \
             (local $x i32) (local $y i64) (local $z f64)"
        );
        for r in 0..reps {
            let c = k * 7 + r;
            let off = (r * 4) % 1024;
            let callee = if k == 0 {
                format!("(i32.add (local.get $a) (i32.const {r}))")
            } else {
                format!("(call $f{} (local.get $b) (local.get $a))", k - 1)
            };
            let _ = write!(
                w,
                "    (local.set $x (i32.add (local.get $a) (i32.const {c})))
    (block $b{r}
      (loop $l{r}
        (local.set $y (i64.add (local.get $y)
          (i64.extend_i32_u (i32.load offset={off} (i32.and (local.get $x) (i32.const 0xfff0))))))
        (i32.store offset={off} (i32.and (local.get $b) (i32.const 0xfff0))
          (i32.mul (local.get $x) (local.get $a)))
        (local.set $z (f64.add (local.get $z) (f64.convert_i32_s (local.get $x))))
        (br_if $b{r} (i32.eqz (local.get $x)))
        (local.set $x (i32.sub (local.get $x) (i32.const 1)))
        (br_if $l{r} (i32.gt_s (local.get $x) (i32.const 100)))))
    (if (i32.lt_s (local.get $a) (i32.const {r}))
      (then (local.set $a {callee}))
      (else (global.set $g (i32.xor (global.get $g) (local.get $x)))))
"
            );
        }
        let _ = writeln!(
            w,
            "    (i32.add (i32.add (local.get $x) (i32.wrap_i64 (local.get $y)))\n      \
             (i32.trunc_sat_f64_s (local.get $z))))"
        );
    }
    let _ = writeln!(
        w,
        "  (export \"run\" (func $f{}))\n)",
        funcs.saturating_sub(1)
    );
    w
}

/// Median time of `Module::new` on `wasm` for `kind`, over `reps` measurements of `batch`
/// translations each (fresh engines, made before the clock starts), per translation.
///
/// # Errors
/// When the module is invalid for the engine.
pub fn time_translate(
    kind: Kind,
    wasm: &[u8],
    reps: usize,
    batch: usize,
) -> Result<Duration, String> {
    let batch = batch.max(1);
    let mut times = Vec::new();
    for _ in 0..reps.max(1) {
        let engines: Vec<Engine> = (0..batch).map(|_| Engine::new(kind)).collect();
        let mut modules = Vec::with_capacity(batch);
        let start = cpu_time();
        for engine in &engines {
            modules.push(engine.compile(wasm)?);
        }
        times.push(cpu_time().saturating_sub(start) / batch as u32);
        drop(modules);
    }
    Ok(median(&mut times))
}

/// One translation table: MB/s of `wasm` for Folio, wasmi eager and wasmi lazy.
fn translate_table(
    out: &mut String,
    title: &str,
    wasm: &[u8],
    reps: usize,
    batch: usize,
) -> Result<(), String> {
    let mb = wasm.len() as f64 / 1e6;
    let _ = writeln!(
        out,
        "{title}\n{:<16}{:>10}{:>10}{:>16}",
        "engine", "time ms", "MB/s", "folio/engine"
    );
    let folio = time_translate(Kind::Folio, wasm, reps, batch)?;
    for kind in [Kind::Folio, Kind::Wasmi, Kind::WasmiLazy] {
        let t = if kind == Kind::Folio {
            folio
        } else {
            time_translate(kind, wasm, reps, batch)?
        };
        let _ = writeln!(
            out,
            "{:<16}{:>10.2}{:>10.1}{:>16.2}",
            kind.name(),
            t.as_secs_f64() * 1e3,
            mb / t.as_secs_f64(),
            folio.as_secs_f64() / t.as_secs_f64()
        );
    }
    Ok(())
}

/// The translation tables: the largest corpus module (translated 20 times per measurement:
/// one takes a few ms), then the generated module (2,000 functions at scale 1).
///
/// # Errors
/// As [`time_translate`].
pub fn translate_report(reps: usize, scale: f64, largest: &Entry) -> Result<String, String> {
    let mut out = String::new();
    translate_table(
        &mut out,
        &format!(
            "translate (Module::new) the largest corpus module, {}: {:.3} MB of wasm",
            largest.name(),
            largest.wasm.len() as f64 / 1e6
        ),
        largest.wasm,
        reps,
        20,
    )?;
    let funcs = ((2_000.0 * scale).round() as usize).max(1);
    let wasm = wat::parse_str(big_module_wat(funcs, 20)).map_err(|e| e.to_string())?;
    out.push('\n');
    translate_table(
        &mut out,
        &format!(
            "translate (Module::new) a generated module: {funcs} functions, {:.2} MB of wasm",
            wasm.len() as f64 / 1e6
        ),
        &wasm,
        reps,
        1,
    )?;
    Ok(out)
}
