//! Timing one workload on Folio and wasmi: same module, same argument, same run.

use crate::engines::{Engine, Instance, Kind, Module};
use crate::workloads::{Group, Workload};
use rustix::time::{ClockId, clock_gettime};
use std::time::Duration;

/// The calling thread's CPU time so far (`CLOCK_THREAD_CPUTIME_ID`). Every benchmark
/// measures with it rather than wall time: the machine's two cores are shared, and time
/// the thread spends descheduled would inflate long runs (Folio's) more than short ones
/// (wasmi's), skewing the ratio. Page faults and system calls made for the thread count.
pub fn cpu_time() -> Duration {
    let t = clock_gettime(ClockId::ThreadCPUTime);
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(t.tv_nsec).unwrap_or(0);
    Duration::new(secs, nanos)
}

/// What one workload measured (thread CPU time, see [`cpu_time`]).
#[derive(Debug, Clone)]
pub struct Row {
    /// The workload's name.
    pub name: String,
    /// The workload's group.
    pub group: Group,
    /// `run`'s argument.
    pub rounds: i32,
    /// The checksum both engines returned.
    pub checksum: i64,
    /// Median time of `run` on Folio.
    pub folio: Duration,
    /// Median time of `run` on wasmi.
    pub wasmi: Duration,
    /// Fastest time of `run` on Folio.
    pub folio_min: Duration,
    /// Fastest time of `run` on wasmi.
    pub wasmi_min: Duration,
}

impl Row {
    /// Folio's time over wasmi's: above 1, Folio is slower.
    pub fn ratio(&self) -> f64 {
        self.folio.as_secs_f64() / self.wasmi.as_secs_f64()
    }

    /// The ratio of the fastest runs: steadier than the medians' on a loaded machine,
    /// since interference only ever adds time.
    pub fn min_ratio(&self) -> f64 {
        self.folio_min.as_secs_f64() / self.wasmi_min.as_secs_f64()
    }
}

/// Compiles the workload for both engines.
///
/// # Errors
/// A WAT or validation error.
pub fn compile(w: &Workload) -> Result<(Module, Module), String> {
    let wasm = w.wasm()?;
    let folio = Engine::new(Kind::Folio).compile(&wasm)?;
    let wasmi = Engine::new(Kind::Wasmi).compile(&wasm)?;
    Ok((folio, wasmi))
}

/// A fresh instance, set up (`setup(0)`, where the workload has one), then `run(rounds)`:
/// the checksum and the time of `run` alone.
///
/// # Errors
/// Instantiation errors and traps.
pub fn run_once(module: &Module, setup: bool, rounds: i32) -> Result<(i64, Duration), String> {
    let mut instance: Instance = module.instantiate()?;
    if setup {
        instance.call("setup", 0)?;
    }
    let start = cpu_time();
    let sum = call_run(&mut instance, rounds)?;
    let elapsed = cpu_time().saturating_sub(start);
    // Dropping the instance (and its memory) stays out of the timing.
    drop(instance);
    Ok((sum, elapsed))
}

/// The timed call, `run(rounds)`, kept out of line under this name so that a profiler can
/// count it alone (`valgrind --tool=callgrind --toggle-collect='*call_run*'`; see
/// `BENCHMARKS.md`).
#[inline(never)]
pub fn call_run(instance: &mut Instance, rounds: i32) -> Result<i64, String> {
    instance.call("run", rounds)
}

/// Runs `run(rounds)` once on each engine and returns the common checksum; where the
/// workload has an independently known result for its `check_rounds`, that too must match.
///
/// # Errors
/// When the engines disagree (with both checksums) or differ from the known result, or
/// either fails.
pub fn check(w: &Workload, folio: &Module, wasmi: &Module, rounds: i32) -> Result<i64, String> {
    let name = &w.name;
    let (a, _) = run_once(folio, w.has_setup(), rounds)?;
    let (b, _) = run_once(wasmi, w.has_setup(), rounds)?;
    if a != b {
        return Err(format!(
            "{name}: engines disagree on run({rounds}): folio {a}, wasmi {b}"
        ));
    }
    if let Some(want) = w
        .expected
        .filter(|&want| rounds == w.check_rounds && a != want)
    {
        return Err(format!(
            "{name}: run({rounds}) returned {a} on both engines; the native build returns {want}"
        ));
    }
    Ok(a)
}

/// Checks that the engines agree on `check_rounds`, then times `reps` runs of `rounds` on each
/// (alternating engines, so that a burst of load from elsewhere hits both), checking every
/// result, and keeps the medians.
///
/// # Errors
/// Disagreement between the engines or between repetitions, and engine failures.
///
/// With `only`, the timed runs are of that engine alone (`Kind::Folio` or `Kind::Wasmi`;
/// the other's median is then zero): for profiling one engine. The check still runs both.
pub fn measure(w: &Workload, rounds: i32, reps: usize, only: Option<Kind>) -> Result<Row, String> {
    let (folio, wasmi) = compile(w)?;
    check(w, &folio, &wasmi, w.check_rounds)?;
    let mut times = (Vec::new(), Vec::new());
    let mut checksum = None;
    for rep in 0..reps.max(1) {
        let order = if rep % 2 == 0 {
            [(&folio, true), (&wasmi, false)]
        } else {
            [(&wasmi, false), (&folio, true)]
        };
        let wanted = |is_folio: bool| match only {
            Some(kind) => (kind == Kind::Folio) == is_folio,
            None => true,
        };
        for (module, is_folio) in order.into_iter().filter(|&(_, f)| wanted(f)) {
            let (sum, t) = run_once(module, w.has_setup(), rounds)?;
            let engine = if is_folio { "folio" } else { "wasmi" };
            match checksum {
                None => checksum = Some(sum),
                Some(c) if c != sum => {
                    return Err(format!(
                        "{}: run({rounds}) on {engine} returned {sum:#x}, earlier {c:#x}",
                        w.name
                    ));
                }
                Some(_) => {}
            }
            if is_folio {
                times.0.push(t);
            } else {
                times.1.push(t);
            }
        }
    }
    Ok(Row {
        name: w.name.clone(),
        group: w.group,
        rounds,
        checksum: checksum.unwrap_or_default(),
        folio: median(&mut times.0),
        wasmi: median(&mut times.1),
        folio_min: times.0.first().copied().unwrap_or_default(),
        wasmi_min: times.1.first().copied().unwrap_or_default(),
    })
}

/// The median (the lower one of an even count). Zero for no samples. Sorts `samples`.
pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples
        .get(samples.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}

/// Milliseconds, for tables.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Exactly one run of `run(rounds)` on one engine, nothing else: no agreement check, no
/// second engine, so that an instruction count (`valgrind --tool=callgrind`) of the process
/// is this engine's alone. Returns the checksum and the time.
///
/// # Errors
/// As [`run_once`], and when `kind` is not an execution engine (`folio` or `wasmi`).
pub fn run_single(w: &Workload, kind: Kind, rounds: i32) -> Result<(i64, Duration), String> {
    if !matches!(kind, Kind::Folio | Kind::Wasmi) {
        return Err(format!(
            "--once needs --only folio or --only wasmi, not {}",
            kind.name()
        ));
    }
    let wasm = w.wasm()?;
    let module = Engine::new(kind).compile(&wasm)?;
    run_once(&module, w.has_setup(), rounds)
}
