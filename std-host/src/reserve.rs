//! The virtual-reservation page store: a memory's whole possible size is reserved up front
//! as inaccessible address space, and growing makes more of it accessible.
//!
//! ```text
//!  base                         len      committed                       reserved
//!   |<------ accessible, Wasm's bytes --->|<-- PROT_NONE: faults on access -->|
//!   |   (zero until written; the kernel  |  no RAM, no swap, no commit charge |
//!   |    backs a page on first touch)    |                                    |
//! ```
//!
//! - **Reserve**: `mmap(PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)` of the reservation size
//!   (below). A `PROT_NONE` private mapping costs address space only.
//! - **Grow**: `mprotect(READ | WRITE)` of the pages between the committed end and the new
//!   end, rounded up to the OS page. O(delta) system work, no copy, and the base never
//!   moves, so a grow cannot invalidate anything that holds the base pointer. New bytes are
//!   zero because anonymous pages are zero-filled on first touch. Pages that are never
//!   touched never take RAM, which is why a 1 GiB initial memory starts in microseconds.
//! - **Refuse**: a grow past the reservation fails with [`StoreGrowError::Capacity`], and
//!   one the kernel refuses (`mprotect` → `ENOMEM`: the commit limit under
//!   `vm.overcommit_memory=2`, or a request beyond RAM + swap in the default heuristic
//!   mode) with [`StoreGrowError::OutOfMemory`]. Nothing changes either way.
//!
//! Decided here:
//! - The mapping is not `MAP_NORESERVE`: committing with `mprotect` then goes through the
//!   kernel's overcommit accounting, so an impossible grow fails as a grow (`-1`) rather
//!   than as an out-of-memory kill later.
//! - Reservation size, in bytes (then rounded up to the OS page): the memory's most
//!   possible size, [`MemoryType::max_pages`] (the declared maximum, or the index type's
//!   cap: 4 GiB for an `i32` memory of 64 KiB pages, just under 4 GiB with 1-byte pages);
//!   for an `i64` memory at most [`DEFAULT_I64_RESERVE`] (8 GiB; change with
//!   [`ReserveFactory::with_i64_reserve`]) or the host limit if that is larger
//!   ([`ReserveFactory::with_host_limit`]), since its cap of 2^64 bytes is more address
//!   space than any host has. Never less than the initial size. An `i64` memory grown past
//!   its reservation is refused with "store capacity": the store never moves.
//! - The host limit never makes a reservation smaller: a memory checks the store's
//!   capacity before it asks the limiter, so a reservation cut to the host limit would
//!   turn the limiter's refusal (which `--trace-grow` reports as the host limit) into a
//!   capacity refusal. Address space is cheap; the limiter does the limiting.
//! - When the reservation fails (a small address space, `ulimit -v`), the factory falls
//!   back to core's heap store for that memory and tells its observer
//!   ([`ReserveEvent::Fallback`]); `folio run --trace-grow` prints that.
//! - Shared memories get a reservation of their declared maximum too
//!   ([`PageStoreFactory::create_shared`]): this store is exactly what they need.
//!
//! All the `unsafe` of the std host is in this file: the system calls, and seeing the
//! committed part of the mapping as a slice.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

use folio::IndexType;
use folio::memory::{
    HeapStore, MemoryError, MemoryType, PageStore, PageStoreFactory, SharedPageStore,
    StoreGrowError,
};
use rustix::mm::{MapFlags, MprotectFlags, ProtFlags, mmap_anonymous, mprotect, munmap};
use std::ffi::c_void;
use std::fmt;
use std::ptr::NonNull;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Most bytes reserved for an `i64` memory (whose cap, 2^64 bytes, no host can reserve):
/// 8 GiB.
pub const DEFAULT_I64_RESERVE: u64 = 8 << 30;

/// One anonymous mapping: `reserved` bytes of address space from `base`, the first
/// `committed` of them readable and writable, the rest `PROT_NONE`.
///
/// Invariants: `committed ≤ reserved`, both multiples of the OS page size; `reserved ≤
/// isize::MAX`; when `reserved == 0` nothing is mapped and `base` dangles.
struct Mapping {
    base: NonNull<u8>,
    reserved: usize,
    committed: usize,
}

// SAFETY: a Mapping owns its address range exclusively (like a Box<[u8]>); nothing about
// it is tied to the thread that created it.
unsafe impl Send for Mapping {}
// SAFETY: shared references to a Mapping only read its fields; the bytes are reached
// through `&self`/`&mut self` methods of the stores below, which follow Rust's rules.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Reserves `size` bytes (rounded up to the OS page) of inaccessible address space.
    fn reserve(size: usize) -> Result<Mapping, rustix::io::Errno> {
        let reserved = round_up(size, os_page()).ok_or(rustix::io::Errno::NOMEM)?;
        if reserved == 0 {
            return Ok(Mapping {
                base: NonNull::dangling(),
                reserved,
                committed: 0,
            });
        }
        if reserved > isize::MAX as usize {
            return Err(rustix::io::Errno::NOMEM);
        }
        // SAFETY: a fresh anonymous mapping at an address the kernel chooses (null hint,
        // no MAP_FIXED) cannot alias any existing memory.
        let ptr = unsafe {
            mmap_anonymous(
                std::ptr::null_mut(),
                reserved,
                ProtFlags::empty(),
                MapFlags::PRIVATE,
            )
        }?;
        let base = NonNull::new(ptr.cast::<u8>()).ok_or(rustix::io::Errno::NOMEM)?;
        Ok(Mapping {
            base,
            reserved,
            committed: 0,
        })
    }

    /// Makes at least the first `len` bytes accessible. Never touches a byte.
    fn commit(&mut self, len: usize) -> Result<(), StoreGrowError> {
        if len > self.reserved {
            return Err(StoreGrowError::capacity(self.reserved));
        }
        if len <= self.committed {
            return Ok(());
        }
        // len ≤ reserved, a multiple of the page size, so rounding up cannot pass it.
        let end = round_up(len, os_page())
            .unwrap_or(self.reserved)
            .min(self.reserved);
        // SAFETY: `committed < end ≤ reserved`, so the offset stays inside the mapping.
        let start = unsafe { self.base.as_ptr().add(self.committed) };
        // SAFETY: [start, start + (end - committed)) lies inside our mapping (above), is
        // page-aligned (`committed` is a multiple of the page size, `base` is page-aligned)
        // and is PROT_NONE now, so no Rust reference to it can exist; making it readable
        // and writable invalidates nothing.
        unsafe {
            mprotect(
                start.cast::<c_void>(),
                end - self.committed,
                MprotectFlags::READ | MprotectFlags::WRITE,
            )
        }
        .map_err(|_| StoreGrowError::out_of_memory())?;
        self.committed = end;
        Ok(())
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        if self.reserved != 0 {
            // SAFETY: `base..base + reserved` is exactly the mapping made in `reserve`, and
            // the store that owned this mapping is being dropped, so no slice into it
            // survives (slices borrow the store). A failure can only leak address space.
            let _ = unsafe { munmap(self.base.as_ptr().cast::<c_void>(), self.reserved) };
        }
    }
}

impl fmt::Debug for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mapping")
            .field("base", &self.base)
            .field("reserved", &self.reserved)
            .field("committed", &self.committed)
            .finish()
    }
}

/// The OS page size.
fn os_page() -> usize {
    rustix::param::page_size()
}

/// `n` rounded up to a multiple of `page` (a power of two).
fn round_up(n: usize, page: usize) -> Option<usize> {
    Some(n.checked_add(page - 1)? & !(page - 1))
}

/// A memory's bytes in a virtual reservation (see the module docs). Grows in place, never
/// copies, never moves.
#[derive(Debug)]
pub struct ReserveStore {
    map: Mapping,
    /// The memory's length in bytes, `≤ map.committed`. Bytes in `len..committed` were
    /// never handed out, so they are still zero.
    len: usize,
}

impl ReserveStore {
    /// A store of length 0 able to grow in place to `reserve_bytes` (rounded up to the OS
    /// page).
    ///
    /// # Errors
    /// The OS's error when the address space cannot be reserved.
    pub fn new(reserve_bytes: usize) -> Result<ReserveStore, rustix::io::Errno> {
        Ok(ReserveStore {
            map: Mapping::reserve(reserve_bytes)?,
            len: 0,
        })
    }

    /// Start of the reservation; the same for the store's whole life.
    pub fn base(&self) -> *const u8 {
        self.map.base.as_ptr()
    }

    /// Bytes of address space reserved.
    pub fn reserved(&self) -> usize {
        self.map.reserved
    }

    /// Bytes made accessible so far (the length rounded up to the OS page).
    pub fn committed(&self) -> usize {
        self.map.committed
    }
}

impl PageStore for ReserveStore {
    fn data(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `len ≤ committed`, so `base..base + len` is inside the readable and
        // writable part of our mapping, initialised (zero-filled by the kernel or written
        // since), and not longer than isize::MAX (`reserved ≤ isize::MAX`). The slice
        // borrows `self`, so the mapping outlives it and no `&mut` to the bytes exists
        // meanwhile.
        unsafe { std::slice::from_raw_parts(self.map.base.as_ptr(), self.len) }
    }

    fn data_mut(&mut self) -> &mut [u8] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: as in `data`; the slice borrows `self` mutably, so it is the only
        // reference to these bytes while it lives.
        unsafe { std::slice::from_raw_parts_mut(self.map.base.as_ptr(), self.len) }
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), StoreGrowError> {
        if new_len <= self.len {
            return Ok(());
        }
        self.map.commit(new_len)?;
        self.len = new_len;
        Ok(())
    }

    fn capacity(&self) -> Option<usize> {
        Some(self.map.reserved)
    }
}

/// A shared memory's bytes in a virtual reservation of its maximum.
#[derive(Debug)]
pub struct SharedReserveStore {
    map: Mapping,
}

impl SharedReserveStore {
    /// Reserves `reserve_bytes` (rounded up to the OS page), none of it committed.
    ///
    /// # Errors
    /// The OS's error when the address space cannot be reserved.
    pub fn new(reserve_bytes: usize) -> Result<SharedReserveStore, rustix::io::Errno> {
        Ok(SharedReserveStore {
            map: Mapping::reserve(reserve_bytes)?,
        })
    }
}

// SAFETY: `base` and `reserved` are fixed at creation and `reserved ≤ isize::MAX`
// (Mapping's invariant); `commit` only calls mprotect on pages at or above the committed
// end, never reading, writing or referencing a byte, so bytes other threads use below
// `old_len` are untouched; committed bytes stay mapped read-write until drop; newly
// committed bytes were never accessible before, so they still hold the kernel's zeros;
// `commit` refuses beyond the reservation. This type makes no reference to the bytes.
unsafe impl SharedPageStore for SharedReserveStore {
    fn base(&self) -> NonNull<u8> {
        self.map.base
    }

    fn reserved(&self) -> usize {
        self.map.reserved
    }

    fn commit(&mut self, _old_len: usize, new_len: usize) -> Result<(), StoreGrowError> {
        self.map.commit(new_len)
    }
}

/// What a [`ReserveFactory`] did for a memory, told to its observer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReserveEvent {
    /// Address space was reserved.
    Reserved {
        /// Creation order of the memory among those this factory made (0 first).
        memory: u32,
        /// Bytes of address space reserved.
        reserved: usize,
        /// Bytes committed for the initial size.
        initial: usize,
    },
    /// The reservation failed; the memory's bytes are on the heap instead.
    Fallback {
        /// Creation order of the memory among those this factory made (0 first).
        memory: u32,
        /// Bytes the reservation asked for.
        wanted: usize,
        /// Why the reservation failed.
        reason: String,
    },
}

impl fmt::Display for ReserveEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReserveEvent::Reserved {
                memory,
                reserved,
                initial,
            } => write!(
                f,
                "memory[{memory}] page store: reserved {reserved} bytes of address space, \
                 {initial} committed"
            ),
            ReserveEvent::Fallback {
                memory,
                wanted,
                reason,
            } => write!(
                f,
                "memory[{memory}] page store: could not reserve {wanted} bytes ({reason}); \
                 using the heap store"
            ),
        }
    }
}

/// Something told about each reservation (for `--trace-grow`).
pub type ReserveObserver = Arc<dyn Fn(&ReserveEvent) + Send + Sync>;

/// Creates [`ReserveStore`]s (falling back to the heap when a reservation fails) and
/// [`SharedReserveStore`]s. Put it in the engine's `Config::page_store`.
#[derive(Clone)]
pub struct ReserveFactory {
    host_limit: Option<u64>,
    i64_reserve: u64,
    observer: Option<ReserveObserver>,
    created: Arc<AtomicU32>,
}

impl Default for ReserveFactory {
    fn default() -> ReserveFactory {
        ReserveFactory {
            host_limit: None,
            i64_reserve: DEFAULT_I64_RESERVE,
            observer: None,
            created: Arc::new(AtomicU32::new(0)),
        }
    }
}

impl fmt::Debug for ReserveFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReserveFactory")
            .field("host_limit", &self.host_limit)
            .field("i64_reserve", &self.i64_reserve)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

impl ReserveFactory {
    /// A factory with the defaults: no host limit, [`DEFAULT_I64_RESERVE`].
    pub fn new() -> ReserveFactory {
        ReserveFactory::default()
    }

    /// The embedder's limit per memory, in bytes: an `i64` memory reserves up to it when
    /// it is above the `i64` reservation (see the module docs).
    pub fn with_host_limit(mut self, bytes: u64) -> ReserveFactory {
        self.host_limit = Some(bytes);
        self
    }

    /// Reserve at most `bytes` for an `i64` memory.
    pub fn with_i64_reserve(mut self, bytes: u64) -> ReserveFactory {
        self.i64_reserve = bytes;
        self
    }

    /// Calls `observer` after every reservation and every fallback to the heap.
    pub fn with_observer(
        mut self,
        observer: impl Fn(&ReserveEvent) + Send + Sync + 'static,
    ) -> ReserveFactory {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Bytes to reserve for a memory of type `ty` starting at `initial_bytes` (see the
    /// module docs).
    pub fn reservation_for(&self, ty: &MemoryType, initial_bytes: usize) -> usize {
        let mut bytes = ty.bytes_saturating(ty.max_pages());
        if ty.index_type == IndexType::I64 {
            bytes = bytes.min(self.i64_reserve.max(self.host_limit.unwrap_or(0)));
        }
        usize::try_from(bytes)
            .unwrap_or(usize::MAX)
            .max(initial_bytes)
    }

    fn tell(&self, event: ReserveEvent) {
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }
}

impl PageStoreFactory for ReserveFactory {
    fn create(
        &self,
        ty: &MemoryType,
        initial_bytes: usize,
    ) -> Result<Box<dyn PageStore>, MemoryError> {
        let memory = self.created.fetch_add(1, Ordering::Relaxed);
        let wanted = self.reservation_for(ty, initial_bytes);
        let reserved = ReserveStore::new(wanted)
            .map_err(|e| e.to_string())
            .and_then(|mut store| match store.grow_to(initial_bytes) {
                Ok(()) => Ok(store),
                Err(e) => Err(format!("committing {initial_bytes} bytes: {e}")),
            });
        match reserved {
            Ok(store) => {
                self.tell(ReserveEvent::Reserved {
                    memory,
                    reserved: store.reserved(),
                    initial: initial_bytes,
                });
                Ok(Box::new(store))
            }
            Err(reason) => {
                self.tell(ReserveEvent::Fallback {
                    memory,
                    wanted,
                    reason,
                });
                Ok(Box::new(HeapStore::for_type(ty, initial_bytes)?))
            }
        }
    }

    fn create_shared(
        &self,
        ty: &MemoryType,
        reserve_bytes: usize,
    ) -> Result<Box<dyn SharedPageStore>, MemoryError> {
        let memory = self.created.fetch_add(1, Ordering::Relaxed);
        match SharedReserveStore::new(reserve_bytes) {
            Ok(store) => {
                self.tell(ReserveEvent::Reserved {
                    memory,
                    reserved: store.reserved(),
                    initial: 0,
                });
                Ok(Box::new(store))
            }
            Err(e) => {
                self.tell(ReserveEvent::Fallback {
                    memory,
                    wanted: reserve_bytes,
                    reason: e.to_string(),
                });
                Err(MemoryError::could_not_reserve(ty.max.unwrap_or(ty.min)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const GIB: usize = 1 << 30;

    /// Resident set size of this process, in bytes (`/proc/self/statm`, second field).
    fn rss() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").expect("statm readable");
        let pages: usize = statm
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("statm format");
        pages * os_page()
    }

    #[test]
    fn one_gib_initial_is_fast_and_costs_no_ram() {
        let ty = MemoryType::i32(16384, None); // 1 GiB initial, no max: 4 GiB reserved
        let before = rss();
        let start = Instant::now();
        let store = ReserveFactory::new().create(&ty, GIB).expect("reserves");
        let took = start.elapsed();
        let after = rss();
        eprintln!(
            "1 GiB initial: {took:?}, RSS +{} KiB",
            after.saturating_sub(before) >> 10
        );
        assert_eq!(store.data().len(), GIB);
        assert_eq!(store.capacity(), Some(4 * GIB));
        assert!(took < Duration::from_millis(100), "took {took:?}");
        // Nothing was touched: RSS grows by page tables at most, far from 1 GiB.
        assert!(
            after.saturating_sub(before) < 16 << 20,
            "RSS grew by {} bytes",
            after - before
        );
        // The bytes read as zero (touching a few pages costs a few pages).
        assert!(store.data()[..4096].iter().all(|&b| b == 0));
        assert_eq!(store.data()[GIB - 1], 0);
    }

    #[test]
    fn grow_in_place_keeps_the_base_and_contents() {
        let mut store = ReserveStore::new(16 << 16).unwrap();
        store.grow_to(1 << 16).unwrap();
        let base = store.data().as_ptr();
        store.data_mut()[..5].copy_from_slice(b"hello");
        for pages in 2..=16 {
            store.grow_to(pages << 16).unwrap();
            assert_eq!(store.data().as_ptr(), base, "moved at {pages} pages");
            assert_eq!(store.data().len(), pages << 16);
        }
        assert_eq!(&store.data()[..5], b"hello");
        assert!(
            store.data()[5..].iter().all(|&b| b == 0),
            "new bytes are zero"
        );
        assert_eq!(store.bytes_copied(), 0);
    }

    #[test]
    fn refusal_past_the_reservation_changes_nothing() {
        let mut store = ReserveStore::new(3 << 16).unwrap();
        store.grow_to(3 << 16).unwrap();
        store.data_mut()[(3 << 16) - 1] = 7;
        let base = store.data().as_ptr();
        assert_eq!(
            store.grow_to(4 << 16),
            Err(StoreGrowError::capacity(3 << 16))
        );
        assert_eq!(store.data().len(), 3 << 16);
        assert_eq!(store.data().as_ptr(), base);
        assert_eq!(store.data()[(3 << 16) - 1], 7);
    }

    #[test]
    fn byte_pages_commit_whole_os_pages_but_expose_exact_lengths() {
        let mut store = ReserveStore::new(10_000).unwrap();
        store.grow_to(1).unwrap();
        assert_eq!(store.data(), &[0]);
        store.data_mut()[0] = 1;
        store.grow_to(5000).unwrap();
        assert_eq!(store.data().len(), 5000);
        assert_eq!(store.data()[0], 1);
        assert!(store.data()[1..].iter().all(|&b| b == 0));
        assert_eq!(store.committed() % os_page(), 0);
        assert!(store.grow_to(store.reserved() + 1).is_err());
    }

    #[test]
    fn reservation_sizes() {
        let f = ReserveFactory::new();
        assert_eq!(
            f.reservation_for(&MemoryType::i32(1, Some(3)), 1 << 16),
            3 << 16
        );
        assert_eq!(
            f.reservation_for(&MemoryType::i32(1, None), 1 << 16),
            4 * GIB
        );
        assert_eq!(
            f.reservation_for(&MemoryType::i64(1, None), 1 << 16),
            8 * GIB
        );
        assert_eq!(
            f.reservation_for(&MemoryType::i64(1, Some(10)), 1 << 16),
            10 << 16
        );
        // A host limit never shrinks a reservation (the limiter refuses, not the store)…
        let limited = ReserveFactory::new().with_host_limit(1 << 20);
        assert_eq!(
            limited.reservation_for(&MemoryType::i32(1, None), 1 << 16),
            4 * GIB
        );
        assert_eq!(
            limited.reservation_for(&MemoryType::i64(1, None), 1 << 16),
            8 * GIB
        );
        // …but a larger one lets an i64 memory reserve more.
        let large = ReserveFactory::new().with_host_limit(16 << 30);
        assert_eq!(
            large.reservation_for(&MemoryType::i64(1, None), 1 << 16),
            16 * GIB
        );
        // Never below the initial size.
        let small = ReserveFactory::new().with_i64_reserve(1 << 16);
        assert_eq!(
            small.reservation_for(&MemoryType::i64(32, None), 32 << 16),
            32 << 16
        );
        let byte_pages = MemoryType::i32(0, None).with_page_size_log2(0);
        assert_eq!(f.reservation_for(&byte_pages, 0), u32::MAX as usize);
    }

    #[test]
    fn a_failed_reservation_falls_back_to_the_heap_and_says_so() {
        let events = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = events.clone();
        // More address space than any x86-64 or aarch64 process has.
        let f = ReserveFactory::new()
            .with_i64_reserve(1 << 62)
            .with_observer(move |e| seen.lock().unwrap().push(e.clone()));
        let store = f
            .create(&MemoryType::i64(1, None), 1 << 16)
            .expect("falls back");
        assert_eq!(store.data().len(), 1 << 16);
        assert_eq!(store.capacity(), None, "a heap store");
        let events = events.lock().unwrap();
        assert!(
            matches!(&events[..], [ReserveEvent::Fallback { memory: 0, .. }]),
            "{events:?}"
        );
        assert!(events[0].to_string().contains("using the heap store"));
    }

    #[test]
    fn shared_reservations_commit_without_moving() {
        let f = ReserveFactory::new();
        let mut store = f
            .create_shared(&MemoryType::i32(1, Some(4)).with_shared(true), 4 << 16)
            .unwrap();
        let base = store.base();
        store.commit(0, 1 << 16).unwrap();
        store.commit(1 << 16, 4 << 16).unwrap();
        assert_eq!(store.base(), base);
        assert!(store.commit(4 << 16, 5 << 16).is_err());
    }
}
