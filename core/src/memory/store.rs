//! Page stores: where a [`Memory`](super::Memory)'s bytes live.
//!
//! A store only keeps bytes and grows them; the memory decides whether a grow is allowed.
//! Two stores live here:
//!
//! - [`HeapStore`]: a zeroed heap allocation, grown fallibly and geometrically, so growing
//!   one page at a time copies O(final size) bytes in total rather than O(n²). Its first
//!   allocation comes from `alloc_zeroed` and is not written before Wasm writes it, so
//!   where the allocator hands out fresh pages for large blocks (glibc's `calloc` does,
//!   through `mmap`), pages never touched cost no RAM: a 1 GiB initial memory that touches
//!   one byte takes a few KiB. Its one `unsafe` block turns that zeroed allocation into a
//!   `Vec<u8>`.
//! - [`RegionStore`]: a caller-provided `&'static mut [u8]`, grown in place up to its
//!   length; it never allocates.
//!
//! The std host adds a virtual-reservation store (reserve the maximum as inaccessible
//! address space, commit on grow) through the same [`PageStore`] trait: nothing in it asks
//! a store to move or copy, and [`PageStore::capacity`] lets such a store say how far it can
//! grow in place.
#![deny(clippy::undocumented_unsafe_blocks)]

use super::error::{MemoryError, StoreGrowError};
use super::shared::{HeapReservation, SharedPageStore};
use super::ty::MemoryType;
use super::u64_from;
use crate::prelude::*;
use alloc::alloc::{Layout, alloc_zeroed};
use core::fmt;

/// The bytes of one linear memory: a contiguous, growable byte buffer.
///
/// `Send + Sync` because a runtime's store of memories may move to, or be read from,
/// another thread; a store is only ever mutated through `&mut self`.
///
/// A store of one's own: a `Vec` that never holds more than a fixed number of bytes.
///
/// ```
/// use folio::memory::{GrowError, Memory, MemoryType, PageStore, StoreGrowError};
///
/// struct Capped {
///     bytes: Vec<u8>,
///     cap: usize,
/// }
///
/// impl PageStore for Capped {
///     fn data(&self) -> &[u8] {
///         &self.bytes
///     }
///     fn data_mut(&mut self) -> &mut [u8] {
///         &mut self.bytes
///     }
///     fn grow_to(&mut self, new_len: usize) -> Result<(), StoreGrowError> {
///         if new_len > self.cap {
///             return Err(StoreGrowError::capacity(self.cap));
///         }
///         let more = new_len.saturating_sub(self.bytes.len());
///         self.bytes.try_reserve_exact(more).map_err(|_| StoreGrowError::out_of_memory())?;
///         self.bytes.resize(self.bytes.len() + more, 0);
///         Ok(())
///     }
///     fn capacity(&self) -> Option<usize> {
///         Some(self.cap)
///     }
/// }
///
/// let store = Capped { bytes: Vec::new(), cap: 3 << 16 };
/// let mut mem = Memory::with_store(MemoryType::i32(1, None), Box::new(store), None)?;
/// assert_eq!(mem.grow(2, None)?, 1);
/// let err = mem.grow(1, None).unwrap_err();
/// assert!(matches!(err, GrowError::StoreCapacity { capacity: 196_608, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait PageStore: Send + Sync {
    /// The memory's bytes: exactly its current length.
    fn data(&self) -> &[u8];

    /// The memory's bytes, writable.
    fn data_mut(&mut self) -> &mut [u8];

    /// Grows to `new_len` bytes; the new bytes are zero. A `new_len` not above the current
    /// length changes nothing. The store may move its bytes (unless it promises otherwise,
    /// as a reservation does) but keeps their values.
    ///
    /// # Errors
    ///
    /// [`StoreGrowError::Capacity`] when the store can never hold `new_len` bytes,
    /// [`StoreGrowError::OutOfMemory`] when the allocator refuses. Either way nothing
    /// changed: length, contents and base address are as before.
    fn grow_to(&mut self, new_len: usize) -> Result<(), StoreGrowError>;

    /// The most bytes this store can ever hold, when it knows (a region's length, a
    /// reservation's size); `None` when only the allocator can tell.
    fn capacity(&self) -> Option<usize>;

    /// Bytes copied to move the data while growing, since the store was created. The heap
    /// store counts every reallocation as a full copy (an upper bound: `realloc` may extend
    /// in place). Stores that never move report 0, the default.
    fn bytes_copied(&self) -> u64 {
        0
    }
}

/// Creates page stores for a runtime's memories. The runtime's `Config` holds one; the
/// default is [`HeapStoreFactory`].
///
/// A factory that refuses memories above one page and puts the others on the heap (for
/// one installed in a runtime, see [`Config::page_store`](crate::Config::page_store)):
///
/// ```
/// use folio::memory::{HeapStoreFactory, Memory, MemoryError, MemoryType, PageStore};
/// use folio::memory::PageStoreFactory;
///
/// struct OnePage;
///
/// impl PageStoreFactory for OnePage {
///     fn create(
///         &self,
///         ty: &MemoryType,
///         initial_bytes: usize,
///     ) -> Result<Box<dyn PageStore>, MemoryError> {
///         if initial_bytes > 1 << 16 {
///             return Err(MemoryError::could_not_allocate(ty.min));
///         }
///         HeapStoreFactory.create(ty, initial_bytes)
///     }
/// }
///
/// assert!(Memory::with_factory(MemoryType::i32(1, None), &OnePage, None).is_ok());
/// let err = Memory::with_factory(MemoryType::i32(2, None), &OnePage, None).unwrap_err();
/// assert_eq!(err, MemoryError::CouldNotAllocate { pages: 2 });
/// ```
pub trait PageStoreFactory: Send + Sync {
    /// A store for a memory of type `ty` (already validated, limiter already asked), holding
    /// `initial_bytes` zero bytes, or fewer (the memory then grows it to `initial_bytes`).
    ///
    /// # Errors
    ///
    /// Usually [`MemoryError::CouldNotAllocate`] when the bytes cannot be provided.
    fn create(
        &self,
        ty: &MemoryType,
        initial_bytes: usize,
    ) -> Result<Box<dyn PageStore>, MemoryError>;

    /// A store for a [`SharedMemory`](super::SharedMemory) of type `ty`, reserving
    /// `reserve_bytes` (its maximum) so that it never moves. The default reserves on the
    /// heap ([`HeapReservation`]).
    ///
    /// # Errors
    ///
    /// Usually [`MemoryError::CouldNotReserve`] when the reservation cannot be made.
    fn create_shared(
        &self,
        ty: &MemoryType,
        reserve_bytes: usize,
    ) -> Result<Box<dyn SharedPageStore>, MemoryError> {
        let store = HeapReservation::new(reserve_bytes)
            .ok_or_else(|| MemoryError::could_not_reserve(ty.max.unwrap_or(ty.min)))?;
        Ok(Box::new(store))
    }
}

/// The default [`PageStoreFactory`]: [`HeapStore`]s, and [`HeapReservation`]s for shared
/// memories.
///
/// ```
/// use folio::memory::{HeapStoreFactory, MemoryType, PageStoreFactory};
///
/// let store = HeapStoreFactory.create(&MemoryType::i32(1, None), 65_536)?;
/// assert_eq!(store.data().len(), 65_536);
/// assert_eq!(store.capacity(), None); // only the allocator knows
/// # Ok::<(), folio::memory::MemoryError>(())
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HeapStoreFactory;

impl PageStoreFactory for HeapStoreFactory {
    fn create(
        &self,
        ty: &MemoryType,
        initial_bytes: usize,
    ) -> Result<Box<dyn PageStore>, MemoryError> {
        Ok(Box::new(HeapStore::for_type(ty, initial_bytes)?))
    }
}

/// Bytes on the heap: a zeroed allocation, grown fallibly and geometrically.
///
/// Capacity at least doubles on each reallocation (capped at the most the memory can ever
/// need), so n one-page grows copy fewer than 2 × final size bytes in total. When the
/// doubled reservation is refused, the exact one is tried before giving up. The price is
/// capacity up to twice the length; firmware that cannot afford that uses a
/// [`RegionStore`] or declares a maximum.
///
/// The first allocation comes zeroed from `alloc_zeroed` and is not written, so a large
/// initial memory costs no RAM until touched where the allocator serves large blocks from
/// fresh pages (glibc's `calloc`). Later allocations go through `realloc` (which can move
/// a large block without copying, glibc's `mremap`), and the new bytes are zeroed when the
/// length reaches them, as `Vec::resize` does.
///
/// ```
/// use folio::memory::{HeapStore, PageStore};
///
/// let mut store = HeapStore::default();
/// for len in (1..=100).map(|pages| pages << 16) {
///     store.grow_to(len)?; // one 64 KiB page at a time
/// }
/// assert_eq!(store.data().len(), 100 << 16);
/// assert!(store.bytes_copied() < 2 * (100 << 16));
/// # Ok::<(), folio::memory::StoreGrowError>(())
/// ```
pub struct HeapStore {
    /// The allocation. Its initialised part (`bytes.len()`) is at least the memory's
    /// length, and zero past it: `bytes[len..]` are all zero. The spare capacity beyond is
    /// uninitialised.
    bytes: Vec<u8>,
    /// The memory's length in bytes, `≤ bytes.len()`.
    len: usize,
    /// Geometric growth stops here: past it, reservations are exact.
    limit: usize,
    copied: u64,
}

/// `size` zero bytes, or `None` when the allocator refuses (or `size` exceeds
/// `isize::MAX`). Unlike `vec![0; size]` it fails softly; unlike `try_reserve` + `resize`
/// it writes nothing, so the allocator may hand out untouched zero pages.
fn try_zeroed(size: usize) -> Option<Vec<u8>> {
    if size == 0 {
        return Some(Vec::new());
    }
    let layout = Layout::array::<u8>(size).ok()?;
    // SAFETY: `layout` has a non-zero size (checked above).
    let ptr = unsafe { alloc_zeroed(layout) };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: `ptr` is non-null and was allocated by the global allocator with the layout
    // of `[u8; size]`, which is what a `Vec<u8>` of capacity `size` frees with; the length
    // `size` does not exceed the capacity and all `size` bytes are initialised (zeroed);
    // nothing else owns the allocation.
    Some(unsafe { Vec::from_raw_parts(ptr, size, size) })
}

impl HeapStore {
    /// An empty store that will reserve geometrically up to `limit` bytes (and exactly
    /// beyond it).
    ///
    /// ```
    /// use folio::memory::{HeapStore, PageStore};
    ///
    /// let mut store = HeapStore::new(0); // every reservation exact
    /// store.grow_to(10)?;
    /// store.grow_to(20)?;
    /// assert_eq!(store.data(), [0; 20]);
    /// # Ok::<(), folio::memory::StoreGrowError>(())
    /// ```
    pub const fn new(limit: usize) -> HeapStore {
        HeapStore {
            bytes: Vec::new(),
            len: 0,
            limit,
            copied: 0,
        }
    }

    /// A store of `initial_bytes` zero bytes for a memory of type `ty`. A shared type
    /// allocates its maximum now, so its bytes never move.
    ///
    /// # Errors
    ///
    /// [`MemoryError::CouldNotAllocate`] (or [`MemoryError::CouldNotReserve`] for a shared
    /// type) when the allocator refuses.
    ///
    /// ```
    /// use folio::memory::{HeapStore, MemoryType, PageStore};
    ///
    /// let store = HeapStore::for_type(&MemoryType::i32(1, Some(4)), 65_536)?;
    /// assert_eq!(store.data().len(), 65_536);
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn for_type(ty: &MemoryType, initial_bytes: usize) -> Result<HeapStore, MemoryError> {
        let limit = ty.bytes_for(ty.max_pages()).unwrap_or(usize::MAX);
        let mut store = HeapStore::new(limit);
        if ty.shared {
            store.bytes = try_zeroed(limit.max(initial_bytes))
                .ok_or_else(|| MemoryError::could_not_reserve(ty.max_pages()))?;
        }
        store
            .grow_to(initial_bytes)
            .map_err(|_| MemoryError::could_not_allocate(ty.min))?;
        Ok(store)
    }
}

impl Default for HeapStore {
    /// An empty store growing geometrically without limit.
    fn default() -> HeapStore {
        HeapStore::new(usize::MAX)
    }
}

impl fmt::Debug for HeapStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeapStore")
            .field("len", &self.len)
            .field("capacity", &self.bytes.capacity())
            .field("limit", &self.limit)
            .field("copied", &self.copied)
            .finish()
    }
}

impl PageStore for HeapStore {
    fn data(&self) -> &[u8] {
        // `len ≤ bytes.len()` (field invariant), so this never falls back.
        self.bytes.get(..self.len).unwrap_or_default()
    }

    fn data_mut(&mut self) -> &mut [u8] {
        self.bytes.get_mut(..self.len).unwrap_or_default()
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), StoreGrowError> {
        if new_len <= self.len {
            return Ok(());
        }
        let old_capacity = self.bytes.capacity();
        if new_len > old_capacity {
            let doubled = old_capacity.saturating_mul(2).min(self.limit).max(new_len);
            if self.len == 0 {
                // Nothing to keep: a fresh zeroed allocation, untouched.
                self.bytes = try_zeroed(doubled)
                    .or_else(|| try_zeroed(new_len))
                    .ok_or_else(StoreGrowError::out_of_memory)?;
            } else {
                // `doubled ≥ new_len > old_capacity ≥ bytes.len()`: no wrap.
                let init = self.bytes.len();
                if self.bytes.try_reserve_exact(doubled - init).is_err() {
                    self.bytes
                        .try_reserve_exact(new_len - init)
                        .map_err(|_| StoreGrowError::out_of_memory())?;
                }
                // realloc copies the whole old allocation unless it can move or extend it
                // in place: count the worst case.
                self.copied = self.copied.saturating_add(u64_from(old_capacity));
            }
        }
        if new_len > self.bytes.len() {
            // Capacity suffices now: this writes zeros and cannot allocate.
            self.bytes.resize(new_len, 0);
        }
        // `bytes[len..]` were zero already (field invariant).
        self.len = new_len;
        Ok(())
    }

    fn capacity(&self) -> Option<usize> {
        None
    }

    fn bytes_copied(&self) -> u64 {
        self.copied
    }
}

/// A caller-provided region: memory grows in place up to the region's length and nothing
/// is ever allocated for its bytes.
///
/// Firmware hands over a `static` buffer, e.g. one placed by its linker script:
///
/// ```
/// use folio::memory::{Memory, MemoryType, RegionStore};
///
/// // In firmware: a `static mut` taken once, or a linker-provided region. `Box::leak`
/// // stands in for it here.
/// let region: &'static mut [u8] = Box::leak(vec![0u8; 1 << 20].into_boxed_slice());
/// let store = Box::new(RegionStore::new(region));
/// let mut mem = Memory::with_store(MemoryType::i32(1, None), store, None).unwrap();
/// assert_eq!(mem.grow(15, None), Ok(1)); // 16 pages = 1 MiB: fits
/// assert!(mem.grow(1, None).is_err()); // the region is full
/// ```
///
/// The region is `'static` so that [`Memory`](super::Memory) needs no lifetime parameter
/// and the rest of the crate none either. A region that lives shorter cannot be used
/// without `unsafe` on the caller's side; the memory holds it until dropped.
#[derive(Debug)]
pub struct RegionStore {
    region: &'static mut [u8],
    /// Bytes in use, `≤ region.len()`: `grow_to` never sets it beyond.
    len: usize,
}

impl RegionStore {
    /// A store of length 0 over `region`. Its bytes need not be zero: growing zeroes
    /// them, as a memory's new pages must be.
    pub fn new(region: &'static mut [u8]) -> RegionStore {
        RegionStore { region, len: 0 }
    }
}

impl PageStore for RegionStore {
    fn data(&self) -> &[u8] {
        // `len ≤ region.len()` (field invariant), so this never falls back.
        self.region.get(..self.len).unwrap_or_default()
    }

    fn data_mut(&mut self) -> &mut [u8] {
        self.region.get_mut(..self.len).unwrap_or_default()
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), StoreGrowError> {
        let capacity = self.region.len();
        let Some(new) = self.region.get_mut(self.len..new_len) else {
            return if new_len > capacity {
                Err(StoreGrowError::capacity(capacity))
            } else {
                // new_len < len: nothing to do.
                Ok(())
            };
        };
        new.fill(0);
        self.len = new_len;
        Ok(())
    }

    fn capacity(&self) -> Option<usize> {
        Some(self.region.len())
    }
}

#[cfg(test)]
mod heap_tests {
    use super::{HeapStore, PageStore};

    /// The zeroed-allocation invariant: bytes a grow adds are zero whether the grow fits
    /// the capacity or reallocates, even after every byte of the old length was written.
    #[test]
    fn heap_store_new_bytes_are_zero_after_writes() {
        let mut store = HeapStore::default();
        let mut len = 0;
        for new_len in [1, 3, 4, 100, 101, 4096, 70_000] {
            store.grow_to(new_len).unwrap();
            let data = store.data_mut();
            assert_eq!(data.len(), new_len);
            assert!(data[..len].iter().all(|&b| b == 0xa5), "old bytes kept");
            assert!(data[len..].iter().all(|&b| b == 0), "new bytes zero");
            data.fill(0xa5);
            len = new_len;
        }
        // Shrinking is not a thing: a smaller length changes nothing.
        store.grow_to(10).unwrap();
        assert_eq!(store.data().len(), 70_000);
        assert!(store.bytes_copied() < 2 * 70_000);
    }
}
