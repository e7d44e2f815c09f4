//! `--max-memory` and `--trace-grow`: the limiter `folio run` installs in its store, and the
//! grow trace it writes to stderr.
//!
//! Trace lines (one per grow, plus one per memory from the page store):
//!
//! ```text
//! memory[0] page store: reserved 196608 bytes of address space, 65536 committed
//! memory[0] grow: 1 + 1 pages -> 2 pages
//! memory[0] grow: 2 + 1 pages -> refused: host limit (--max-memory 131072 bytes)
//! memory[0] grow: 3 + 1 pages -> refused: declared maximum (3 pages)
//! ```
//!
//! The core tells the store's [`Limiter`] the outcome of every grow
//! ([`Limiter::memory_grew`]: the memory's index in the store, its type, the delta, and the
//! old size or the [`GrowError`]), whichever rule decided it. The refusal names the limit
//! the way [`GrowError`] does: the declared maximum, the index type's cap, the host limit
//! (`--max-memory`), or the page store (its capacity, or out of memory). `folio run` has
//! one instance whose memories are all its own, so the store's index is the module's.

use super::args::format_bytes;
use crate::reserve::ReserveEvent;
use folio::MemoryType;
use folio::memory::{GrowError, Limiter, LimiterRefusal, TABLE_ELEMENT_BYTES};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// What the host limiter calls its limit; also how the trace recognises its own refusals.
pub const HOST_LIMIT_REASON: &str = "bytes per memory (--max-memory)";

/// What the host limiter calls its limit on a table (its elements at
/// `TABLE_ELEMENT_BYTES` each).
pub const HOST_TABLE_LIMIT_REASON: &str = "bytes per table (--max-memory)";

/// The limiter of `folio run`: an optional byte limit per memory and per table, and an
/// optional trace.
pub struct HostLimiter {
    max_bytes: Option<u64>,
    trace: Option<SharedTrace>,
}

impl HostLimiter {
    /// A limiter allowing at most `max_bytes` per memory and per table (`None`: no limit),
    /// tracing to `trace` when given.
    pub fn new(max_bytes: Option<u64>, trace: Option<SharedTrace>) -> HostLimiter {
        HostLimiter { max_bytes, trace }
    }
}

impl Limiter for HostLimiter {
    fn memory_growing(
        &mut self,
        _current_bytes: u64,
        desired_bytes: u64,
        _maximum_bytes: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        match self.max_bytes {
            Some(limit) if desired_bytes > limit => {
                Err(LimiterRefusal::with_limit(HOST_LIMIT_REASON, limit))
            }
            _ => Ok(()),
        }
    }

    fn table_growing(
        &mut self,
        _current: u64,
        desired: u64,
        _maximum: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        match self.max_bytes {
            Some(limit) if desired.saturating_mul(TABLE_ELEMENT_BYTES) > limit => {
                Err(LimiterRefusal::with_limit(HOST_TABLE_LIMIT_REASON, limit))
            }
            _ => Ok(()),
        }
    }

    fn memory_grew(
        &mut self,
        memory: u32,
        _ty: &MemoryType,
        delta: u64,
        result: Result<u64, &GrowError>,
    ) {
        if let Some(trace) = &self.trace {
            trace.lock().grew(memory, delta, result);
        }
    }
}

/// A [`GrowTrace`] shared by the limiter, the page store's observer and `folio run`.
#[derive(Clone)]
pub struct SharedTrace(Arc<Mutex<GrowTrace>>);

impl SharedTrace {
    /// A trace written to `out`.
    pub fn new(out: Box<dyn Write + Send>) -> SharedTrace {
        SharedTrace(Arc::new(Mutex::new(GrowTrace { out })))
    }

    /// The trace, locked. A panic while it was locked left nothing half-written that
    /// matters, so poisoning is ignored.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, GrowTrace> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The grow trace: one line per event (see the module docs).
pub struct GrowTrace {
    out: Box<dyn Write + Send>,
}

impl GrowTrace {
    fn line(&mut self, text: &str) {
        // A trace that cannot be written is not worth failing the run for.
        let _ = writeln!(self.out, "{text}");
    }

    /// Prints what the page store did for a memory.
    pub fn reserve_event(&mut self, event: &ReserveEvent) {
        self.line(&event.to_string());
    }

    /// Prints the outcome of a grow of memory `memory` by `delta` pages.
    pub fn grew(&mut self, memory: u32, delta: u64, result: Result<u64, &GrowError>) {
        let text = match result {
            Ok(old) => format!(
                "memory[{memory}] grow: {old} + {delta} pages -> {} pages",
                old.saturating_add(delta)
            ),
            Err(e) => format!(
                "memory[{memory}] grow: {} + {delta} pages -> refused: {}",
                e.current(),
                refusal(e)
            ),
        };
        self.line(&text);
    }
}

/// How the trace names a limiter's refusal: the host limit for our own.
fn limiter_refusal(r: &LimiterRefusal) -> String {
    match (r.reason, r.limit_bytes) {
        (HOST_LIMIT_REASON, Some(limit)) => format!("host limit (--max-memory {limit} bytes)"),
        _ => format!("limiter ({r})"),
    }
}

/// The limit that refused a grow, as the trace names it, with its figures:
/// `declared maximum (3 pages)`, `index type's cap (65536 pages)`, `host limit
/// (--max-memory 131072 bytes)`, `page store (capacity 196608 bytes)`, `page store (out of
/// memory: 1073741824 bytes)`.
pub fn refusal(e: &GrowError) -> String {
    match e {
        GrowError::DeclaredMaximum { maximum, .. } => format!("declared maximum ({maximum} pages)"),
        GrowError::IndexCap { cap, .. } => format!("index type's cap ({cap} pages)"),
        GrowError::Limiter { refusal, .. } => limiter_refusal(refusal),
        GrowError::StoreCapacity { capacity, .. } => {
            format!(
                "page store (capacity {capacity} bytes = {})",
                format_bytes(u128::from(*capacity))
            )
        }
        GrowError::OutOfMemory { bytes, .. } => {
            format!("page store (out of memory: {bytes} bytes)")
        }
        other => format!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test can read back.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    const PAGE: u64 = 65536;

    #[test]
    fn the_host_limit_refuses_past_max_memory() {
        let mut limiter = HostLimiter::new(Some(2 * PAGE), None);
        assert!(limiter.memory_growing(PAGE, 2 * PAGE, None).is_ok());
        let r = limiter
            .memory_growing(2 * PAGE, 3 * PAGE, None)
            .unwrap_err();
        assert_eq!(
            limiter_refusal(&r),
            "host limit (--max-memory 131072 bytes)"
        );
    }

    #[test]
    fn outcomes_are_traced_with_the_limit_that_refused() {
        let sink = Sink::default();
        let trace = SharedTrace::new(Box::new(sink.clone()));
        let mut limiter = HostLimiter::new(None, Some(trace));
        let ty = MemoryType::i32(1, Some(3));
        limiter.memory_grew(0, &ty, 1, Ok(1));
        let max = GrowError::DeclaredMaximum {
            current: 3,
            delta: 1,
            maximum: 3,
        };
        limiter.memory_grew(2, &ty, 1, Err(&max));
        assert_eq!(
            sink.text(),
            "memory[0] grow: 1 + 1 pages -> 2 pages\n\
             memory[2] grow: 3 + 1 pages -> refused: declared maximum (3 pages)\n"
        );
    }

    #[test]
    fn refusals_name_the_limit_with_figures() {
        let max = GrowError::DeclaredMaximum {
            current: 3,
            delta: 1,
            maximum: 3,
        };
        assert_eq!(refusal(&max), "declared maximum (3 pages)");
        let cap = GrowError::IndexCap {
            current: 65536,
            delta: 1,
            cap: 65536,
        };
        assert_eq!(refusal(&cap), "index type's cap (65536 pages)");
        let host = GrowError::Limiter {
            current: 2,
            delta: 1,
            bytes: 3 * PAGE,
            refusal: LimiterRefusal::with_limit(HOST_LIMIT_REASON, 2 * PAGE),
        };
        assert_eq!(refusal(&host), "host limit (--max-memory 131072 bytes)");
        let store = GrowError::StoreCapacity {
            current: 1,
            delta: 3,
            bytes: 4 * PAGE,
            capacity: 3 * PAGE,
        };
        assert_eq!(
            refusal(&store),
            "page store (capacity 196608 bytes = 192 KiB)"
        );
    }
}
