//! Linear memory: types and limits, page stores, grow, bounds-checked access.
//!
//! # How the pieces stack up
//!
//! ```text
//!   MemoryType ── validate(): page size 1 or 64 KiB, min/max within the index cap,
//!       │          min ≤ max, shared ⇒ max
//!       ▼
//!  ┌───────────────────────────────┐          ┌──────────────────────────────────┐
//!  │ Memory                        │          │ SharedMemory (Arc: Send + Sync)  │
//!  │ owned, one thread at a time   │          │ many threads at once             │
//!  │ access: &[u8] / &mut [u8]     │          │ access: &[AtomicU8], per byte    │
//!  │ grow(&mut self)               │          │ grow(&self) under a spin lock    │
//!  └──────────────┬────────────────┘          └────────────────┬─────────────────┘
//!                 │ Box<dyn PageStore>                         │ Box<dyn SharedPageStore>
//!                 │ (may move on grow)                         │ (reserves max, never moves)
//!     ┌───────────┼──────────────────┐                 ┌───────┴────────────────┐
//!  HeapStore   RegionStore    std-host: mmap     HeapReservation     std-host: mmap
//!  Vec, grows  &'static mut   reservation,       alloc_zeroed(max)   reservation
//!  ×2 on       [u8], in       commit on grow
//!  realloc     place
//!
//!  PageStoreFactory (the runtime's Config holds one) creates either kind of store;
//!  HeapStoreFactory is the default.
//! ```
//!
//! # Grow, and which limit says no
//!
//! `grow(delta)` returns the old size in pages; `grow(0)` returns the size and asks no
//! one. Otherwise the new size is checked, in this order, and the first limit that refuses
//! is named in the [`GrowError`] with its figures:
//!
//! 1. the declared maximum ([`GrowError::DeclaredMaximum`]);
//! 2. the index type's cap, when no maximum is declared ([`GrowError::IndexCap`]), which
//!    also catches `size + delta` overflowing `u64`;
//! 3. the host's address space: a size in bytes beyond `usize` ([`GrowError::OutOfMemory`]);
//! 4. a capacity the store knows ([`GrowError::StoreCapacity`]);
//! 5. the embedder's [`Limiter`] ([`GrowError::Limiter`]) — nothing has been allocated yet;
//! 6. the store itself ([`GrowError::StoreCapacity`] or [`GrowError::OutOfMemory`]); the
//!    limiter is then told, so a running total can be corrected.
//!
//! A refused grow changes nothing: size, contents, and (for a store that never moves)
//! the base address. Creating a memory runs the same checks for its initial size, with
//! [`MemoryError`]s whose text starts "could not allocate memory: N pages".
//!
//! # Borrowing instead of detached views
//!
//! [`Memory::data`] borrows the memory, so a slice cannot outlive the next
//! [`Memory::grow`], which needs `&mut`. The interpreter caches the base and length of the
//! slice and refreshes them after anything that can grow memory.
//!
//! # Shared memory and Rust's aliasing rules
//!
//! A [`SharedMemory`] is an `Arc` handle, `Send + Sync`, whose bytes sit in a
//! [`SharedPageStore`] that reserved the declared maximum up front; a grow only commits
//! more of the reservation, so nothing ever moves and every thread's view stays valid.
//!
//! WebAssembly lets threads race on plain loads and stores; Rust allows no data race on
//! non-atomic memory, nor a `&[u8]` or `&mut [u8]` over bytes another thread writes. So no
//! Rust reference to a shared memory's bytes as `u8` ever exists. The committed bytes are
//! seen only as `&[AtomicU8]` ([`SharedMemory::atomic_bytes`]), and every access is a
//! per-byte `Relaxed` atomic load or store: racing guest code may see torn multi-byte
//! values (as the threads proposal allows for non-atomic accesses), never undefined
//! behaviour. Every access is one byte wide, so there are no mixed-size atomic accesses
//! either. The threads proposal's atomic instructions keep that scheme: each takes a lock
//! of the 8-byte block it touches (64 locks per memory, by address) and does its bytes
//! `SeqCst` inside ([`SharedMemory::atomic_rmw`]), so atomic instructions are
//! indivisible and sequentially consistent with one another, while plain accesses racing
//! with them may see them half done, as the proposal allows for non-atomic accesses.
//!
//! `memory.atomic.wait` and `notify` keep a list of waiting threads per shared memory,
//! in the order they began to wait, under a lock that a wait holds from reading the value
//! to enqueuing itself (so a store followed by a notify cannot slip in between). A waiting
//! thread blocks on a [`Parker`] the embedder provides (the core has no threads of its
//! own; `folio-host` has one on a mutex and a condition variable); a notify takes up to
//! `count` waiters of that address off the list and unparks them.
//!
//! A store's [`Memory`] can be a handle of a shared memory ([`Memory::from_shared`]):
//! its [`data`](Memory::data) is then empty and every access goes to the shared bytes.
//! The interpreter never takes the fast path of memory 0 (a raw pointer) for one: the
//! translator sends every access of a shared memory through the checked methods.
//!
//! The length is an `AtomicUsize`. A grow, under a `spin` lock that serialises growers,
//! commits and zeroes the new bytes (above the old length, where no thread may look), then
//! publishes the new length with `Release`; readers load it with `Acquire`, so whoever sees
//! the new length also sees the zeroes behind it. The store is dropped with the last
//! handle, when no view can remain.
//!
//! # Unsafe code
//!
//! Two files use `unsafe`, each block with the argument for it: the shared memory's code
//! (`shared.rs`: [`HeapReservation`]'s allocation, and turning the reservation's base
//! pointer into `&[AtomicU8]`), and the heap store (`store.rs`: its first allocation comes
//! zeroed from the allocator, `alloc_zeroed`, so a large initial memory costs no writes
//! and untouched pages no RAM). Every other file of the module forbids it.
#![deny(missing_docs)]

mod access;
mod error;
mod limiter;
mod shared;
mod store;
mod ty;

#[cfg(test)]
mod tests;

pub use access::{AtomicFault, effective_address};
pub use error::{GrowError, MemoryError, MemoryTypeError, OutOfBounds, StoreGrowError};
pub(crate) use limiter::ask_table_then;
pub use limiter::{
    DEFAULT_STORE_COUNT, Limiter, LimiterRefusal, MaxBytes, MaxTotalBytes, TABLE_ELEMENT_BYTES,
};
pub use shared::{HeapReservation, NewParker, Parker, SharedMemory, SharedPageStore};
pub use store::{HeapStore, HeapStoreFactory, PageStore, PageStoreFactory, RegionStore};
pub use ty::{
    BYTE_PAGE_SIZE_LOG2, DEFAULT_PAGE_SIZE_LOG2, IndexType, MAX_BYTE_PAGES_I32, MAX_BYTE_PAGES_I64,
    MAX_PAGES_I32, MAX_PAGES_I64, MemoryType,
};

use crate::prelude::*;
use core::fmt;
use limiter::ask_then;

/// A linear memory owned by one store, used by one thread at a time.
///
/// Its bytes live in a [`PageStore`]: the heap by default ([`Memory::new`]), or any store
/// ([`Memory::with_store`], [`Memory::with_factory`]).
///
/// This is the memory itself, usable without a runtime; an embedder of instances reaches
/// the same memory through the [`Memory`](crate::Memory) handle of a store.
///
/// ```
/// use folio::memory::{GrowError, Memory, MemoryType};
///
/// let mut mem = Memory::new(MemoryType::i32(1, Some(2)), None)?;
/// mem.write(100, b"page one")?;
/// assert_eq!(mem.grow(1, None)?, 1); // the old size, in pages
/// assert_eq!(&mem.data()[100..108], b"page one");
/// let refused = mem.grow(1, None).unwrap_err();
/// assert!(matches!(refused, GrowError::DeclaredMaximum { current: 2, delta: 1, maximum: 2 }));
/// assert_eq!(mem.size(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Memory {
    ty: MemoryType,
    backing: Backing,
}

/// Where a [`Memory`]'s bytes are.
enum Backing {
    /// A page store this memory owns, holding exactly `size() << page_size_log2` bytes:
    /// plain bytes, one thread at a time.
    Owned(Box<dyn PageStore>),
    /// A shared memory (a handle of it): its bytes are only ever accessed as atomics,
    /// through [`SharedMemory`]'s methods; [`Memory::data`] is empty.
    Shared(SharedMemory),
}

impl Memory {
    /// A memory of `ty.min` zero pages on the heap ([`HeapStore`]). A shared type
    /// reserves its maximum now, so that its bytes never move.
    ///
    /// # Errors
    ///
    /// [`MemoryError::InvalidType`] for a type [`MemoryType::validate`] rejects;
    /// [`MemoryError::Limiter`] when the limiter refuses the initial size;
    /// [`MemoryError::CouldNotAllocate`] when the initial size is beyond the address space
    /// or the allocator refuses it ("could not allocate memory: N pages"), and
    /// [`MemoryError::CouldNotReserve`] for a shared type's maximum. Never a panic or an
    /// abort.
    ///
    /// ```
    /// use folio::memory::{MaxBytes, Memory, MemoryError, MemoryType};
    ///
    /// let mem = Memory::new(MemoryType::i32(2, None), None)?;
    /// assert_eq!(mem.byte_len(), 2 * 65_536);
    /// assert!(mem.data().iter().all(|&b| b == 0));
    ///
    /// let err = Memory::new(MemoryType::i32(3, Some(2)), None).unwrap_err();
    /// assert!(matches!(err, MemoryError::InvalidType(_))); // min above max
    /// let err = Memory::new(MemoryType::i32(2, None), Some(&mut MaxBytes(65_536))).unwrap_err();
    /// assert!(matches!(err, MemoryError::Limiter { pages: 2, .. }));
    /// // 2^47 pages of 64 KiB: more than any address space. An error, not an abort.
    /// let err = Memory::new(MemoryType::i64(1 << 47, None), None).unwrap_err();
    /// assert_eq!(err.to_string(), "could not allocate memory: 140737488355328 pages");
    /// # Ok::<(), MemoryError>(())
    /// ```
    pub fn new(ty: MemoryType, limiter: Option<&mut dyn Limiter>) -> Result<Memory, MemoryError> {
        Memory::with_factory(ty, &HeapStoreFactory, limiter)
    }

    /// A memory whose store `factory` creates, after the limiter has agreed.
    ///
    /// # Errors
    ///
    /// As [`Memory::new`], plus whatever the factory returns.
    ///
    /// ```
    /// use folio::memory::{HeapStoreFactory, Memory, MemoryType};
    ///
    /// let mem = Memory::with_factory(MemoryType::i32(1, None), &HeapStoreFactory, None)?;
    /// assert_eq!(mem.size(), 1);
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn with_factory(
        ty: MemoryType,
        factory: &dyn PageStoreFactory,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<Memory, MemoryError> {
        let initial = initial_bytes(&ty)?;
        let refused = |r| MemoryError::limiter(ty.min, u64_from(initial), r);
        ask_then(limiter, creation_request(&ty, initial), refused, || {
            Memory::adopt(ty, factory.create(&ty, initial)?, initial)
        })
    }

    /// A memory in `store`, e.g. a [`RegionStore`]. The store must hold at most the
    /// initial size (usually nothing); it is grown to it, new bytes zeroed. The limiter is
    /// asked before that growth, not about the store itself, which the caller made.
    ///
    /// Whether the bytes move on grow is the store's business, even for a shared type.
    ///
    /// # Errors
    ///
    /// As [`Memory::new`]; [`MemoryError::StoreCapacity`] when the store cannot hold the
    /// initial size; [`MemoryError::StoreTooLong`] when it already holds more.
    ///
    /// A heap store that reserves exactly what is asked (no geometric growth), for a
    /// memory of 1-byte pages:
    ///
    /// ```
    /// use folio::memory::{BYTE_PAGE_SIZE_LOG2, HeapStore, Memory, MemoryType};
    ///
    /// let ty = MemoryType::i32(100, None).with_page_size_log2(BYTE_PAGE_SIZE_LOG2);
    /// let mut mem = Memory::with_store(ty, Box::new(HeapStore::new(0)), None)?;
    /// assert_eq!(mem.grow(28, None)?, 100);
    /// assert_eq!(mem.byte_len(), 128);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// [`RegionStore`] has an example with a caller-provided region.
    pub fn with_store(
        ty: MemoryType,
        store: Box<dyn PageStore>,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<Memory, MemoryError> {
        let initial = initial_bytes(&ty)?;
        // A refusal that is certain is not the limiter's business.
        if let Some(capacity) = store.capacity()
            && initial > capacity
        {
            return Err(MemoryError::store_capacity(
                ty.min,
                u64_from(initial),
                u64_from(capacity),
            ));
        }
        let refused = |r| MemoryError::limiter(ty.min, u64_from(initial), r);
        ask_then(limiter, creation_request(&ty, initial), refused, || {
            Memory::adopt(ty, store, initial)
        })
    }

    /// Grows `store` to `initial` bytes and wraps it.
    fn adopt(
        ty: MemoryType,
        mut store: Box<dyn PageStore>,
        initial: usize,
    ) -> Result<Memory, MemoryError> {
        let held = store.data().len();
        if held > initial {
            return Err(MemoryError::store_too_long(
                u64_from(held),
                u64_from(initial),
            ));
        }
        store.grow_to(initial).map_err(|e| match e {
            StoreGrowError::Capacity { capacity } => {
                MemoryError::store_capacity(ty.min, u64_from(initial), u64_from(capacity))
            }
            StoreGrowError::OutOfMemory => MemoryError::could_not_allocate(ty.min),
        })?;
        Ok(Memory {
            ty,
            backing: Backing::Owned(store),
        })
    }

    /// Its type, as declared (`min` is the initial size, not the current one).
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.grow(1, None)?;
    /// assert_eq!((mem.ty().min, mem.size()), (1, 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ty(&self) -> &MemoryType {
        &self.ty
    }

    /// Current size in pages (of the type's page size).
    ///
    /// ```
    /// use folio::memory::{BYTE_PAGE_SIZE_LOG2, Memory, MemoryType};
    ///
    /// let ty = MemoryType::i32(10, None).with_page_size_log2(BYTE_PAGE_SIZE_LOG2);
    /// let mem = Memory::new(ty, None)?;
    /// assert_eq!((mem.size(), mem.byte_len()), (10, 10));
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn size(&self) -> u64 {
        u64_from(self.byte_len()) >> self.ty.page_size_log2
    }

    /// Current size in bytes.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// assert_eq!(Memory::new(MemoryType::i32(3, None), None)?.byte_len(), 3 * 65_536);
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn byte_len(&self) -> usize {
        match &self.backing {
            Backing::Owned(store) => store.data().len(),
            Backing::Shared(shared) => shared.byte_len(),
        }
    }

    /// Grows by `delta` pages, returning the old size in pages. `grow(0)` returns the size
    /// and consults no limiter. New pages are zero. The bytes may move (see
    /// [`PageStore::grow_to`]); the borrow checker ends every slice of them first.
    ///
    /// # Errors
    ///
    /// A [`GrowError`] naming the limit that refused, with the figures (the order they are
    /// checked in is in the [module docs](self)). Nothing changes then.
    ///
    /// ```
    /// use folio::memory::{GrowError, MaxBytes, Memory, MemoryType, MAX_PAGES_I32};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// assert_eq!(mem.grow(0, None)?, 1); // asks no one
    /// // No declared maximum: the i32 index type's cap of 65,536 pages applies.
    /// let err = mem.grow(MAX_PAGES_I32, None).unwrap_err();
    /// let cap = MAX_PAGES_I32;
    /// assert_eq!(err, GrowError::IndexCap { current: 1, delta: cap, cap });
    /// // The embedder's limiter, asked before anything is allocated:
    /// let err = mem.grow(1, Some(&mut MaxBytes(65_536))).unwrap_err();
    /// assert_eq!(err.limit(), "limiter");
    /// assert_eq!(mem.size(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grow(
        &mut self,
        delta: u64,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<u64, GrowError> {
        let current = self.size();
        if delta == 0 {
            return Ok(current);
        }
        let store = match &mut self.backing {
            Backing::Owned(store) => store,
            Backing::Shared(shared) => return shared.grow(delta, limiter),
        };
        let new_len = plan_grow(&self.ty, current, delta)?;
        let bytes = u64_from(new_len);
        if let Some(capacity) = store.capacity()
            && new_len > capacity
        {
            return Err(GrowError::store_capacity(
                current,
                delta,
                bytes,
                u64_from(capacity),
            ));
        }
        let request = (u64_from(store.data().len()), bytes, max_bytes(&self.ty));
        let refused = |r| GrowError::limiter(current, delta, bytes, r);
        ask_then(limiter, request, refused, || {
            store
                .grow_to(new_len)
                .map_err(|e| GrowError::from_store(current, delta, bytes, e))
        })?;
        Ok(current)
    }

    /// The bytes. The slice ends before the next grow.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// assert_eq!(mem.data().len(), 65_536);
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn data(&self) -> &[u8] {
        match &self.backing {
            Backing::Owned(store) => store.data(),
            Backing::Shared(_) => &[],
        }
    }

    /// The bytes, writable.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.data_mut()[..4].copy_from_slice(&7u32.to_le_bytes());
    /// assert_eq!(mem.load::<4>(0, 0), Ok(7u32.to_le_bytes()));
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn data_mut(&mut self) -> &mut [u8] {
        match &mut self.backing {
            Backing::Owned(store) => store.data_mut(),
            Backing::Shared(_) => &mut [],
        }
    }

    /// A memory of a store that is `shared`'s bytes: the same bytes as every other handle
    /// of it, in any store on any thread. Its [`data`](Memory::data) is empty (a shared
    /// memory's bytes are never `&[u8]`: see the [module docs](self)); every access goes
    /// through the shared memory's atomic bytes.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType, SharedMemory};
    ///
    /// let shared = SharedMemory::new(MemoryType::i32(1, Some(2)).with_shared(true), None)?;
    /// let mut mem = Memory::from_shared(shared.clone());
    /// mem.store::<4>(8, 0, 7u32.to_le_bytes())?;
    /// assert_eq!(shared.load::<4>(8, 0)?, 7u32.to_le_bytes());
    /// assert!(mem.data().is_empty());
    /// assert_eq!(mem.grow(1, None)?, 1);
    /// assert_eq!(shared.size(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_shared(shared: SharedMemory) -> Memory {
        Memory {
            ty: *shared.ty(),
            backing: Backing::Shared(shared),
        }
    }

    /// The shared memory this is a handle of, if it is one ([`Memory::from_shared`]).
    pub fn shared(&self) -> Option<&SharedMemory> {
        match &self.backing {
            Backing::Owned(_) => None,
            Backing::Shared(shared) => Some(shared),
        }
    }

    /// Bytes the store has copied to move the data while growing, since creation (see
    /// [`PageStore::bytes_copied`]). What growing page by page costs.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// for _ in 0..63 {
    ///     mem.grow(1, None)?;
    /// }
    /// // The heap store doubles its capacity: fewer than twice the final size copied.
    /// assert!(mem.bytes_copied() < 2 * mem.byte_len() as u64);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes_copied(&self) -> u64 {
        match &self.backing {
            Backing::Owned(store) => store.bytes_copied(),
            Backing::Shared(_) => 0,
        }
    }
}

impl fmt::Debug for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memory")
            .field("ty", &self.ty)
            .field("byte_len", &self.byte_len())
            .finish_non_exhaustive()
    }
}

/// Validates `ty` and returns its initial size in bytes.
fn initial_bytes(ty: &MemoryType) -> Result<usize, MemoryError> {
    ty.validate()?;
    ty.bytes_for(ty.min)
        .ok_or_else(|| MemoryError::could_not_allocate(ty.min))
}

/// What a limiter is asked on creation: from nothing to `initial` bytes.
fn creation_request(ty: &MemoryType, initial: usize) -> (u64, u64, Option<u64>) {
    (0, u64_from(initial), max_bytes(ty))
}

fn max_bytes(ty: &MemoryType) -> Option<u64> {
    ty.max.map(|max| ty.bytes_saturating(max))
}

/// Checks growing from `current` by `delta > 0` pages against the type's own limits and
/// the address space, and returns the new size in bytes. Allocates nothing.
pub(crate) fn plan_grow(ty: &MemoryType, current: u64, delta: u64) -> Result<usize, GrowError> {
    // `None` is beyond u64, and so beyond every limit.
    let new = current.checked_add(delta);
    if let Some(maximum) = ty.max
        && new.is_none_or(|new| new > maximum)
    {
        return Err(GrowError::declared_maximum(current, delta, maximum));
    }
    let cap = ty.index_cap_pages();
    let Some(new) = new.filter(|&new| new <= cap) else {
        return Err(GrowError::index_cap(current, delta, cap));
    };
    ty.bytes_for(new)
        .ok_or_else(|| GrowError::out_of_memory(current, delta, ty.bytes_saturating(new)))
}

/// A byte count as `u64`: lossless on every target Rust supports (`usize` ≤ 64 bits);
/// saturating otherwise rather than wrapping.
pub(crate) fn u64_from(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}
