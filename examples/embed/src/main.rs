//! Folio embedded the way firmware would do it:
//!
//! - the guest's linear memory lives in a static region (a `RegionStore` handed out by a
//!   page-store factory; on a device, a region the linker script reserves);
//! - one byte budget over everything the guest allocates (`MaxTotalBytes`: memories,
//!   tables, element segments), read back after instantiation;
//! - a scheduler giving the guest fuel in slices and resuming it after each, so that it
//!   never holds the CPU for longer than a slice;
//! - typed host functions (`Linker::func_wrap`); the sensor one sometimes is not ready
//!   and suspends the guest with an error of the host's own (`Error::host`), and the
//!   scheduler resumes it with the reading once it has one.
//!
//! The guest is `guest/controller.c`, built by clang (`guest/build.sh`). The result is
//! checked against the same computation done natively.

use folio::memory::{
    MaxTotalBytes, MemoryError, MemoryType, PageStore, PageStoreFactory, RegionStore,
};
use folio::{Caller, Config, Engine, Error, Linker, Module, Store, TypedResumableCall, Val};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The guest, as clang built it.
const GUEST: &[u8] = include_bytes!("../guest/controller.wasm");

/// Control steps the guest runs.
const STEPS: i32 = 500;
/// Fuel the scheduler gives the guest at a time.
const SLICE: u64 = 20_000;
/// Every how many sensor reads one is not ready.
const NOT_READY_EVERY: u32 = 7;
/// The budget over everything the guest allocates.
const BUDGET_BYTES: u64 = 160 * 1024;

/// Bytes reserved for Wasm memory: the guest's maximum of two 64 KiB pages.
const REGION_BYTES: usize = 128 * 1024;
static mut REGION: [u8; REGION_BYTES] = [0; REGION_BYTES];
static REGION_TAKEN: AtomicBool = AtomicBool::new(false);

/// The static region, to the first caller only.
fn take_region() -> Option<&'static mut [u8]> {
    if REGION_TAKEN.swap(true, Ordering::AcqRel) {
        return None;
    }
    let region = &raw mut REGION;
    // SAFETY: the swap lets exactly one caller past, once per process, so this is the
    // only reference to `REGION` there ever is.
    Some(unsafe { &mut *region })
}

/// Page stores for the engine's memories: the static region, for the first memory.
struct StaticRegion;

impl PageStoreFactory for StaticRegion {
    fn create(&self, ty: &MemoryType, _initial: usize) -> Result<Box<dyn PageStore>, MemoryError> {
        let region = take_region().ok_or(MemoryError::CouldNotAllocate { pages: ty.min })?;
        Ok(Box::new(RegionStore::new(region)))
    }
}

/// The host's state: simulated sensors and actuators.
#[derive(Debug, Default)]
struct Board {
    /// The sensors' noise generator.
    seed: u32,
    /// Sensor reads the guest asked for.
    reads: u32,
    /// What the guest last set each actuator to.
    outputs: [f32; 4],
}

impl Board {
    /// The next reading of `channel`: 10 × channel plus noise in [0, 10).
    fn sample(&mut self, channel: i32) -> f32 {
        self.seed = self
            .seed
            .wrapping_mul(1_664_525)
            .wrapping_add(1_013_904_223);
        10.0 * channel as f32 + (self.seed >> 8) as f32 / (1u32 << 24) as f32 * 10.0
    }
}

/// A sensor without a reading yet: the guest waits (its call is suspended) until the
/// scheduler has one.
#[derive(Debug, Clone, Copy)]
struct NotReady {
    channel: i32,
}

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sensor {} not ready", self.channel)
    }
}

/// What a run came to.
#[derive(Debug)]
struct Report {
    checksum: i64,
    /// Fuel slices the guest took.
    slices: u32,
    /// Times the guest waited for a sensor.
    waits: u32,
    /// Fuel the guest used.
    fuel: u64,
    /// Bytes the budget counted.
    budget_used: u64,
    /// Whether the guest's memory is the static region.
    memory_in_region: bool,
    outputs: [f32; 4],
}

fn run() -> Result<Report, Error> {
    let mut config = Config::default();
    config
        .consume_fuel(true)
        .page_store(Arc::new(StaticRegion))
        // The guest calls no host function that calls back: little host stack is needed.
        .max_host_stack(64 * 1024);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, GUEST)?;

    let mut linker = Linker::new();
    linker
        .func_wrap(
            "env",
            "sensor_read",
            |mut caller: Caller<'_, Board>, channel: i32| -> Result<f32, Error> {
                let board = caller.data_mut();
                board.reads += 1;
                if board.reads.is_multiple_of(NOT_READY_EVERY) {
                    return Err(Error::host(NotReady { channel }));
                }
                Ok(board.sample(channel))
            },
        )?
        .func_wrap(
            "env",
            "actuate",
            |mut caller: Caller<'_, Board>, channel: i32, value: f32| {
                if let Some(out) = caller.data_mut().outputs.get_mut(channel as usize) {
                    *out = value;
                }
            },
        )?;

    let mut store = Store::new(&engine, Board::default());
    store.set_limiter(MaxTotalBytes::new(BUDGET_BYTES));
    let instance = linker.instantiate(&mut store, &module)?;
    let budget_used = store.limiter::<MaxTotalBytes>().map_or(0, |l| l.used());
    let memory = instance
        .get_memory(&store, "memory")
        .ok_or_else(|| Error::host("the guest exports no memory"))?;
    let data = memory.data(&store)?.as_ptr_range();
    let region = (&raw const REGION).cast::<u8>();
    let memory_in_region = data.start == region;

    let run = instance.get_typed_func::<i32, i64>(&store, "run")?;
    let (mut slices, mut waits, mut fuel) = (1, 0, SLICE);
    store.set_fuel(SLICE)?;
    let mut call = run.call_resumable(&mut store, STEPS)?;
    let checksum = loop {
        call = match call {
            TypedResumableCall::Finished(checksum) => break checksum,
            TypedResumableCall::OutOfFuel(suspended) => {
                // Other tasks would run here.
                let slice = SLICE.max(suspended.required_fuel());
                fuel += slice - store.get_fuel()?;
                slices += 1;
                store.set_fuel(slice)?;
                suspended.resume(&mut store)?
            }
            TypedResumableCall::HostTrap(suspended) => {
                let Some(&NotReady { channel }) = suspended.host_error().downcast_ref() else {
                    return Err(suspended.into_host_error());
                };
                // The reading arrives later; the guest's call waits for it, intact.
                waits += 1;
                let reading = store.data_mut().sample(channel);
                suspended.resume(&mut store, &[Val::from_f32(reading)])?
            }
        };
    };
    fuel -= store.get_fuel()?;
    Ok(Report {
        checksum,
        slices,
        waits,
        fuel,
        budget_used,
        memory_in_region,
        outputs: store.data().outputs,
    })
}

/// `controller.c`'s `run`, natively: the checksum the guest must return.
fn expected(steps: i32) -> (i64, [f32; 4]) {
    let mut board = Board::default();
    let mut history = [[0f32; 16]; 4];
    let mut outputs = [0f32; 4];
    let mut checksum = 0i64;
    for step in 0..steps as usize {
        for c in 0..4 {
            let x = board.sample(c as i32);
            history[c][step % 16] = x;
            let sum = history[c].iter().fold(0.0f32, |s, &v| s + v);
            let out = 0.5 * (sum / 16.0) + 0.5 * x;
            outputs[c] = out;
            checksum += (out * 1000.0) as i64;
        }
    }
    (checksum, outputs)
}

fn main() {
    match run() {
        Ok(r) => {
            let (native, _) = expected(STEPS);
            println!("checksum {} (natively {native})", r.checksum);
            println!("{} fuel in {} slices of {SLICE}", r.fuel, r.slices);
            println!("{} waits for a sensor", r.waits);
            println!("budget: {} of {BUDGET_BYTES} bytes", r.budget_used);
            println!("memory in the static region: {}", r.memory_in_region);
            println!("actuators: {:?}", r.outputs);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test: the static region is handed out once per process.
    #[test]
    fn the_guest_runs_in_slices_waits_for_sensors_and_stays_in_its_budget() {
        let report = run().unwrap();
        let (checksum, outputs) = expected(STEPS);
        assert_eq!(report.checksum, checksum);
        assert_eq!(report.outputs, outputs);
        assert!(report.memory_in_region, "the memory is the static region");
        // One 64 KiB page and the table's one element.
        assert_eq!(
            report.budget_used,
            65_536 + folio::memory::TABLE_ELEMENT_BYTES
        );
        let reads = STEPS as u32 * 4;
        assert_eq!(report.waits, reads / NOT_READY_EVERY);
        assert!(report.fuel > 10 * SLICE, "{report:?}");
        assert_eq!(
            u64::from(report.slices),
            report.fuel.div_ceil(SLICE),
            "{report:?}"
        );
        // The region is taken: a second run cannot create its memory.
        let e = run().unwrap_err();
        assert!(matches!(e.kind(), folio::ErrorKind::Memory(_)), "{e}");
    }
}
