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
//! The refusal names the limit the way [`GrowError`] does: the declared maximum, the index
//! type's cap, the host limit (`--max-memory`), or the page store (its capacity, or out of
//! memory).
//!
//! # What the core lets a limiter see (and the gap)
//!
//! The core asks a [`Limiter`] about a memory's creation (`0 → initial` bytes) and about a
//! grow by a non-zero delta only after the memory's own rules (declared maximum, index
//! cap, a store capacity it knows) have passed, and tells it when the store then fails. It
//! does not say which memory, nor the page size. So this tracer:
//!
//! - learns the memories from their creations, which come first and in index order (a
//!   `folio run` store holds one instance, whose memories are all defined, not imported);
//! - finds the memory of a grow by its current size and maximum, printing `memory[?]`
//!   when two memories match;
//! - reports a grow the limiter approved once the next event shows it did not fail;
//! - cannot see grows refused before the limiter is asked (declared maximum, index cap,
//!   known store capacity). Tracing those needs a hook after every grow outcome; see
//!   [`refusal`], which is ready to describe them.

use super::args::format_bytes;
use crate::reserve::ReserveEvent;
use folio::MemoryType;
use folio::memory::{GrowError, Limiter, LimiterRefusal};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// What the host limiter calls its limit; also how the trace recognises its own refusals.
pub const HOST_LIMIT_REASON: &str = "bytes per memory (--max-memory)";

/// The limiter of `folio run`: an optional byte limit per memory, and an optional trace.
pub struct HostLimiter {
    max_bytes: Option<u64>,
    trace: Option<SharedTrace>,
}

impl HostLimiter {
    /// A limiter allowing at most `max_bytes` per memory (`None`: no limit), tracing to
    /// `trace` when given.
    pub fn new(max_bytes: Option<u64>, trace: Option<SharedTrace>) -> HostLimiter {
        HostLimiter { max_bytes, trace }
    }
}

impl Limiter for HostLimiter {
    fn memory_growing(
        &mut self,
        current_bytes: u64,
        desired_bytes: u64,
        maximum_bytes: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        let verdict = match self.max_bytes {
            Some(limit) if desired_bytes > limit => {
                Err(LimiterRefusal::with_limit(HOST_LIMIT_REASON, limit))
            }
            _ => Ok(()),
        };
        if let Some(trace) = &self.trace {
            trace.lock().asked(
                current_bytes,
                desired_bytes,
                maximum_bytes,
                verdict.as_ref().err(),
            );
        }
        verdict
    }

    fn memory_grow_failed(&mut self, current_bytes: u64, desired_bytes: u64) {
        if let Some(trace) = &self.trace {
            trace.lock().store_failed(current_bytes, desired_bytes);
        }
    }
}

/// A [`GrowTrace`] shared by the limiter, the page store's observer and `folio run`.
#[derive(Clone)]
pub struct SharedTrace(Arc<Mutex<GrowTrace>>);

impl SharedTrace {
    /// A trace written to `out`, of memories of `types` (the module's, in index order;
    /// see [`GrowTrace::set_types`] when they are known only later).
    pub fn new(types: Vec<MemoryType>, out: Box<dyn Write + Send>) -> SharedTrace {
        SharedTrace(Arc::new(Mutex::new(GrowTrace {
            types,
            memories: Vec::new(),
            pending: None,
            out,
        })))
    }

    /// The trace, locked. A panic while it was locked left nothing half-written that
    /// matters, so poisoning is ignored.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, GrowTrace> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A memory the trace has seen created.
#[derive(Debug, Clone, Copy)]
struct Tracked {
    page_size_log2: u8,
    max_bytes: Option<u64>,
    current_bytes: u64,
}

/// A grow the limiter approved and the store has not (yet) refused.
#[derive(Debug, Clone, Copy)]
struct Pending {
    memory: Option<usize>,
    current_bytes: u64,
    desired_bytes: u64,
}

/// The grow trace: turns limiter and page-store events into lines (see the module docs).
pub struct GrowTrace {
    types: Vec<MemoryType>,
    memories: Vec<Tracked>,
    pending: Option<Pending>,
    out: Box<dyn Write + Send>,
}

impl GrowTrace {
    /// The types of the memories about to be created, in index order.
    pub fn set_types(&mut self, types: Vec<MemoryType>) {
        self.types = types;
    }

    fn line(&mut self, text: &str) {
        // A trace that cannot be written is not worth failing the run for.
        let _ = writeln!(self.out, "{text}");
    }

    /// Prints what the page store did for a memory.
    pub fn reserve_event(&mut self, event: &ReserveEvent) {
        self.flush();
        self.line(&event.to_string());
    }

    /// Reports a pending approved grow as done. Call before anything else is reported,
    /// and when the run ends.
    pub fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            let text = match p.memory {
                Some(i) => {
                    self.memories[i].current_bytes = p.desired_bytes;
                    let log2 = self.memories[i].page_size_log2;
                    format!(
                        "memory[{i}] grow: {} + {} pages -> {} pages",
                        p.current_bytes >> log2,
                        (p.desired_bytes - p.current_bytes) >> log2,
                        p.desired_bytes >> log2
                    )
                }
                None => format!(
                    "memory[?] grow: {} -> {} bytes",
                    p.current_bytes, p.desired_bytes
                ),
            };
            self.line(&text);
        }
    }

    fn asked(
        &mut self,
        current: u64,
        desired: u64,
        max: Option<u64>,
        refusal: Option<&LimiterRefusal>,
    ) {
        self.flush();
        let creating = current == 0 && self.memories.len() < self.types.len();
        if creating {
            // Creations come first, in index order. A refused one fails the instantiation
            // with an error of its own; nothing to trace.
            let ty = self.types[self.memories.len()];
            self.memories.push(Tracked {
                page_size_log2: ty.page_size_log2,
                max_bytes: max,
                current_bytes: desired,
            });
            return;
        }
        let memory = self.find(current, max);
        match refusal {
            None => {
                self.pending = Some(Pending {
                    memory,
                    current_bytes: current,
                    desired_bytes: desired,
                })
            }
            Some(r) => {
                let why = limiter_refusal(r);
                let text = self.grow_line(memory, current, desired, &format!("refused: {why}"));
                self.line(&text);
            }
        }
    }

    fn store_failed(&mut self, current: u64, desired: u64) {
        match self.pending.take() {
            Some(p) if p.current_bytes == current && p.desired_bytes == desired => {
                let text = self.grow_line(
                    p.memory,
                    current,
                    desired,
                    "refused: page store (could not provide the bytes)",
                );
                self.line(&text);
            }
            Some(p) => {
                // Not the grow we were waiting for: report both as the events say.
                self.pending = Some(p);
                self.flush();
                let text = self.grow_line(None, current, desired, "refused: page store");
                self.line(&text);
            }
            // A creation the store refused: an error of its own ends the run.
            None => {}
        }
    }

    /// The memory with this current size and maximum, if exactly one matches.
    fn find(&self, current: u64, max: Option<u64>) -> Option<usize> {
        let mut matches = self
            .memories
            .iter()
            .enumerate()
            .filter(|(_, m)| m.current_bytes == current && m.max_bytes == max)
            .map(|(i, _)| i);
        match (matches.next(), matches.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    }

    fn grow_line(
        &self,
        memory: Option<usize>,
        current: u64,
        desired: u64,
        outcome: &str,
    ) -> String {
        match memory {
            Some(i) => {
                let log2 = self.memories[i].page_size_log2;
                format!(
                    "memory[{i}] grow: {} + {} pages -> {outcome}",
                    current >> log2,
                    (desired - current) >> log2
                )
            }
            None => format!("memory[?] grow: {current} -> {desired} bytes -> {outcome}"),
        }
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
    fn grows_and_host_limit_refusals_are_traced() {
        let sink = Sink::default();
        let trace = SharedTrace::new(vec![MemoryType::i32(1, Some(3))], Box::new(sink.clone()));
        let mut limiter = HostLimiter::new(Some(2 * PAGE), Some(trace.clone()));
        // Creation, then 1 -> 2 (allowed), then 2 -> 3 (over the host limit).
        assert!(limiter.memory_growing(0, PAGE, Some(3 * PAGE)).is_ok());
        assert!(
            limiter
                .memory_growing(PAGE, 2 * PAGE, Some(3 * PAGE))
                .is_ok()
        );
        assert!(
            limiter
                .memory_growing(2 * PAGE, 3 * PAGE, Some(3 * PAGE))
                .is_err()
        );
        trace.lock().flush();
        assert_eq!(
            sink.text(),
            "memory[0] grow: 1 + 1 pages -> 2 pages\n\
             memory[0] grow: 2 + 1 pages -> refused: host limit (--max-memory 131072 bytes)\n"
        );
    }

    #[test]
    fn a_store_failure_after_approval_is_a_refusal_by_the_page_store() {
        let sink = Sink::default();
        let trace = SharedTrace::new(vec![MemoryType::i32(1, None)], Box::new(sink.clone()));
        let mut limiter = HostLimiter::new(None, Some(trace.clone()));
        limiter.memory_growing(0, PAGE, None).unwrap();
        limiter.memory_growing(PAGE, 5 * PAGE, None).unwrap();
        limiter.memory_grow_failed(PAGE, 5 * PAGE);
        trace.lock().flush();
        assert_eq!(
            sink.text(),
            "memory[0] grow: 1 + 4 pages -> refused: page store (could not provide the bytes)\n"
        );
    }

    #[test]
    fn byte_pages_and_two_memories() {
        let sink = Sink::default();
        let types = vec![
            MemoryType::i32(0, None).with_page_size_log2(0),
            MemoryType::i64(1, Some(9)),
        ];
        let trace = SharedTrace::new(types, Box::new(sink.clone()));
        let mut limiter = HostLimiter::new(None, Some(trace.clone()));
        limiter.memory_growing(0, 0, None).unwrap();
        limiter.memory_growing(0, PAGE, Some(9 * PAGE)).unwrap();
        limiter
            .memory_growing(PAGE, 3 * PAGE, Some(9 * PAGE))
            .unwrap();
        limiter.memory_growing(0, 10, None).unwrap();
        trace.lock().flush();
        assert_eq!(
            sink.text(),
            "memory[1] grow: 1 + 2 pages -> 3 pages\nmemory[0] grow: 0 + 10 pages -> 10 pages\n"
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
