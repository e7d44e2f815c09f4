//! Shared memories: one linear memory used by several threads at once (threads proposal).
//!
//! A [`SharedMemory`] is a handle (`Arc`) that is `Send + Sync` and clones cheaply. Its
//! bytes sit in a [`SharedPageStore`] that reserved the declared maximum up front, so they
//! never move: a grow only commits more of the reservation, and every thread's view stays
//! valid.
//!
//! How racing threads stay within Rust's aliasing rules is told in the
//! [memory module's docs](crate::memory#shared-memory-and-rusts-aliasing-rules). The only
//! `unsafe` code of the memory module is here: the heap reservation's allocation, and
//! turning the reservation's base pointer into `&[AtomicU8]`.

use super::access::{AtomicFault, atomic_start, byte_range, effective_address};
use super::error::{GrowError, MemoryError, MemoryTypeError, OutOfBounds, StoreGrowError};
use super::limiter::{Limiter, ask_then};
use super::store::{HeapStoreFactory, PageStoreFactory};
use super::ty::MemoryType;
use super::{plan_grow, u64_from};
use crate::prelude::*;
use alloc::alloc::{Layout, alloc_zeroed, dealloc};
use core::fmt;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// Where a [`SharedMemory`]'s bytes live: one contiguous reservation that never moves and
/// is committed as the memory grows (heap: [`HeapReservation`]; the std host: `mmap`).
///
/// # Safety
///
/// A [`SharedMemory`] hands out views of the bytes to several threads on the strength of
/// these promises, so an implementation must keep all of them:
///
/// - [`base`](Self::base) returns the same pointer for the store's whole life, and
///   [`reserved`](Self::reserved) the same size, at most `isize::MAX`.
/// - Once `commit(_, n)` has returned `Ok`, the `n` bytes from `base` are readable and
///   writable until the store is dropped, and the bytes it newly committed read as zero.
/// - `commit(old_len, new_len)` neither reads nor writes the bytes below `old_len`, nor
///   makes a reference to them: other threads are using them. It never succeeds for a
///   `new_len` beyond `reserved()`.
/// - The store creates no reference to committed bytes at any other time either.
///
/// [`SharedMemory`] calls `commit` with the previous length as `old_len` (0 first), under
/// its grow lock.
///
/// [`HeapReservation`] is the usual store. One of one's own, over a region the firmware
/// hands over once and for all:
///
/// ```
/// use folio::memory::{MemoryType, SharedMemory, SharedPageStore, StoreGrowError};
/// use std::ptr::NonNull;
///
/// struct StaticRegion {
///     base: NonNull<u8>,
///     len: usize,
/// }
///
/// impl StaticRegion {
///     fn new(region: &'static mut [u8]) -> StaticRegion {
///         let len = region.len();
///         StaticRegion { base: NonNull::from(region).cast(), len }
///     }
/// }
///
/// // SAFETY: the region is owned for good (`&'static mut`), tied to no thread.
/// unsafe impl Send for StaticRegion {}
///
/// // SAFETY: `base` and `len` never change and `len <= isize::MAX` (a slice's length);
/// // the whole region stays valid for ever; `commit` writes only `[old_len, new_len)`,
/// // through the raw pointer, and only within `len`.
/// unsafe impl SharedPageStore for StaticRegion {
///     fn base(&self) -> NonNull<u8> {
///         self.base
///     }
///     fn reserved(&self) -> usize {
///         self.len
///     }
///     fn commit(&mut self, old_len: usize, new_len: usize) -> Result<(), StoreGrowError> {
///         if new_len > self.len {
///             return Err(StoreGrowError::capacity(self.len));
///         }
///         if new_len > old_len {
///             // SAFETY: `old_len < new_len <= len`: inside the region, and above the
///             // length other threads may look at.
///             unsafe { self.base.add(old_len).write_bytes(0, new_len - old_len) };
///         }
///         Ok(())
///     }
/// }
///
/// let region: &'static mut [u8] = Box::leak(vec![0xa5; 2 << 16].into_boxed_slice());
/// let ty = MemoryType::i32(1, Some(2)).with_shared(true);
/// let mem = SharedMemory::with_store(ty, Box::new(StaticRegion::new(region)), None)?;
/// assert_eq!(mem.load::<1>(0, 0)?, [0]); // committed bytes are zero
/// assert_eq!(mem.grow(1, None)?, 1);
/// assert_eq!(mem.load::<1>(65_536, 0)?, [0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub unsafe trait SharedPageStore: Send {
    /// Start of the reservation.
    fn base(&self) -> NonNull<u8>;

    /// Size of the reservation in bytes: the most the memory can grow to in place.
    fn reserved(&self) -> usize;

    /// Makes the bytes `[old_len, new_len)` accessible and zero.
    ///
    /// # Errors
    ///
    /// [`StoreGrowError::Capacity`] beyond the reservation; [`StoreGrowError::OutOfMemory`]
    /// when the host cannot back the bytes. Nothing is committed then.
    fn commit(&mut self, old_len: usize, new_len: usize) -> Result<(), StoreGrowError>;
}

/// The default [`SharedPageStore`]: the whole maximum allocated zeroed up front
/// (`alloc_zeroed`, which hosts with virtual memory back lazily), so commit has nothing to
/// do.
///
/// ```
/// use folio::memory::{HeapReservation, MemoryType, SharedMemory, SharedPageStore};
///
/// let store = HeapReservation::new(4 << 16).expect("256 KiB");
/// assert_eq!(store.reserved(), 4 << 16);
/// let ty = MemoryType::i32(1, Some(8)).with_shared(true);
/// let mem = SharedMemory::with_store(ty, Box::new(store), None)?;
/// assert_eq!(mem.grow(3, None)?, 1);
/// assert!(mem.grow(1, None).is_err()); // the reservation is full, though 8 are declared
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HeapReservation {
    base: NonNull<u8>,
    /// The allocation's layout; size 0 means nothing was allocated (`base` dangles).
    layout: Layout,
}

// SAFETY: a HeapReservation owns its allocation as a Box<[u8]> would; nothing about it is
// tied to the thread that made it.
unsafe impl Send for HeapReservation {}

impl HeapReservation {
    /// Reserves `size` zero bytes, or `None` when the allocator refuses (or `size` is beyond
    /// `isize::MAX`).
    ///
    /// ```
    /// use folio::memory::HeapReservation;
    ///
    /// assert!(HeapReservation::new(1 << 16).is_some());
    /// assert!(HeapReservation::new(usize::MAX).is_none());
    /// ```
    pub fn new(size: usize) -> Option<HeapReservation> {
        let layout = Layout::from_size_align(size, 1).ok()?;
        if size == 0 {
            // A zero-size allocation is not allowed; a 0-byte memory never dereferences.
            return Some(HeapReservation {
                base: NonNull::dangling(),
                layout,
            });
        }
        // SAFETY: the layout has a non-zero size (checked above).
        let ptr = unsafe { alloc_zeroed(layout) };
        NonNull::new(ptr).map(|base| HeapReservation { base, layout })
    }
}

impl Drop for HeapReservation {
    fn drop(&mut self) {
        if self.layout.size() != 0 {
            // SAFETY: `base` came from `alloc_zeroed(self.layout)` and is freed only here.
            // The SharedMemory that owned this store is gone, and with it every view.
            unsafe { dealloc(self.base.as_ptr(), self.layout) }
        }
    }
}

impl fmt::Debug for HeapReservation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeapReservation")
            .field("reserved", &self.layout.size())
            .finish_non_exhaustive()
    }
}

// SAFETY: `base` and the size never change; all `layout.size()` bytes were zeroed by
// `alloc_zeroed` and stay valid until drop; `commit` touches no byte (the bytes above the
// committed length were never written, since nothing writes beyond it, so they are still
// zero) and refuses beyond the reservation; `Layout` guarantees the size ≤ isize::MAX.
unsafe impl SharedPageStore for HeapReservation {
    fn base(&self) -> NonNull<u8> {
        self.base
    }

    fn reserved(&self) -> usize {
        self.layout.size()
    }

    fn commit(&mut self, _old_len: usize, new_len: usize) -> Result<(), StoreGrowError> {
        if new_len > self.layout.size() {
            return Err(StoreGrowError::capacity(self.layout.size()));
        }
        Ok(())
    }
}

/// A linear memory several threads use at once. Clone the handle to share it.
///
/// It must declare a maximum; the whole maximum is reserved when it is created, and its
/// bytes never move. All accesses are bounds-checked against the length at the moment of
/// the access; see the [module docs](crate::memory#shared-memory-and-rusts-aliasing-rules)
/// for how racing accesses stay sound.
///
/// ```
/// use folio::memory::{MemoryType, SharedMemory};
///
/// let mem = SharedMemory::new(MemoryType::i32(1, Some(4)).with_shared(true), None)?;
/// let base = mem.base_ptr();
/// let other = mem.clone();
/// std::thread::spawn(move || {
///     other.write(0, b"from a thread").unwrap();
///     other.grow(1, None).unwrap();
/// })
/// .join()
/// .unwrap();
/// let mut buf = [0u8; 13];
/// mem.read(0, &mut buf)?;
/// assert_eq!(&buf, b"from a thread");
/// assert_eq!(mem.size(), 2);
/// assert_eq!(mem.base_ptr(), base); // grown in place
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SharedMemory {
    inner: Arc<Inner>,
}

struct Inner {
    ty: MemoryType,
    base: Base,
    /// Committed bytes. Written only under the `store` lock, with `Release`.
    len: AtomicUsize,
    /// Locked while growing, so that growers commit one after another.
    store: spin::Mutex<Box<dyn SharedPageStore>>,
    /// The atomic instructions' locks, by 8-byte block (see [`SharedMemory::atomic_rmw`]).
    stripes: [spin::Mutex<()>; STRIPES],
    /// The threads blocked in `memory.atomic.wait`, in the order they began to wait.
    waiters: spin::Mutex<Vec<Waiter>>,
}

/// A thread blocked in [`SharedMemory::wait`].
struct Waiter {
    /// The byte index it waits on.
    index: usize,
    parker: Arc<dyn Parker>,
}

/// How a thread blocks in `memory.atomic.wait` until another notifies it: Folio's core
/// has no threads of its own, so the embedder provides this (`folio-host` has one for
/// std, on a mutex and a condition variable).
///
/// ```
/// use folio::memory::Parker;
/// use std::sync::{Condvar, Mutex};
/// use std::time::Duration;
///
/// #[derive(Default)]
/// struct CondvarParker {
///     unparked: Mutex<bool>,
///     cond: Condvar,
/// }
///
/// impl Parker for CondvarParker {
///     fn park(&self, timeout_ns: Option<u64>) -> bool {
///         let guard = self.unparked.lock().unwrap();
///         let guard = match timeout_ns {
///             None => self.cond.wait_while(guard, |u| !*u).unwrap(),
///             Some(ns) => {
///                 let limit = Duration::from_nanos(ns);
///                 self.cond.wait_timeout_while(guard, limit, |u| !*u).unwrap().0
///             }
///         };
///         *guard
///     }
///     fn unpark(&self) {
///         *self.unparked.lock().unwrap() = true;
///         self.cond.notify_one();
///     }
/// }
///
/// let parker = CondvarParker::default();
/// assert!(!parker.park(Some(1_000))); // nobody unparks it: times out
/// parker.unpark();
/// assert!(parker.park(None)); // unparked before it parks: returns at once
/// ```
pub trait Parker: Send + Sync {
    /// Blocks the calling thread until [`unpark`](Parker::unpark) is called (returns
    /// `true`; also when it was called before) or `timeout_ns` nanoseconds pass (returns
    /// `false`; `None`: no timeout). Must not return `true` without an `unpark`.
    fn park(&self, timeout_ns: Option<u64>) -> bool;
    /// Wakes the thread parked (or about to park) on this parker.
    fn unpark(&self);
}

/// Makes a [`Parker`] for the calling thread (`Config::thread_parker`).
pub type NewParker = fn() -> Arc<dyn Parker>;

/// How many locks the atomic instructions of one shared memory spread over.
const STRIPES: usize = 64;

/// The reservation's start, cached so that accesses need not lock the store.
struct Base(NonNull<u8>);

// SAFETY: the pointer is the reservation's base, owned by `Inner::store` next to it. Other
// threads only ever turn it into `&[AtomicU8]` of the committed length (see
// `SharedMemory::atomic_bytes`), which is sound to share.
unsafe impl Send for Base {}
// SAFETY: as for Send: shared use is only ever through atomics.
unsafe impl Sync for Base {}

impl SharedMemory {
    /// A shared memory of `ty.min` zero pages on the heap, with `ty.max` pages reserved.
    ///
    /// # Errors
    ///
    /// An invalid type, or one without a maximum ([`MemoryError::InvalidType`]); the
    /// limiter's refusal ([`MemoryError::Limiter`]); a maximum that cannot be reserved
    /// ([`MemoryError::CouldNotReserve`]) or an initial size beyond the address space
    /// ([`MemoryError::CouldNotAllocate`]).
    ///
    /// ```
    /// use folio::memory::{MemoryError, MemoryType, SharedMemory};
    ///
    /// let ty = MemoryType::i32(1, None).with_shared(true);
    /// let err = SharedMemory::new(ty, None).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid memory type: shared memory must have maximum");
    /// let mem = SharedMemory::new(MemoryType::i32(1, Some(2)).with_shared(true), None)?;
    /// assert_eq!(mem.byte_len(), 65_536);
    /// # Ok::<(), MemoryError>(())
    /// ```
    pub fn new(
        ty: MemoryType,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<SharedMemory, MemoryError> {
        SharedMemory::with_factory(ty, &HeapStoreFactory, limiter)
    }

    /// A shared memory whose store comes from `factory`'s
    /// [`create_shared`](PageStoreFactory::create_shared); the limiter is asked first.
    ///
    /// # Errors
    ///
    /// As [`SharedMemory::new`], plus whatever the factory returns.
    ///
    /// ```
    /// use folio::memory::{HeapStoreFactory, MemoryType, SharedMemory};
    ///
    /// let ty = MemoryType::i32(1, Some(2)).with_shared(true);
    /// let mem = SharedMemory::with_factory(ty, &HeapStoreFactory, None)?;
    /// assert_eq!(mem.ty(), &ty);
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn with_factory(
        ty: MemoryType,
        factory: &dyn PageStoreFactory,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<SharedMemory, MemoryError> {
        let (initial, reserve) = SharedMemory::sizes(&ty)?;
        let request = (
            0,
            u64_from(initial),
            ty.max.map(|max| ty.bytes_saturating(max)),
        );
        let refused = |r| MemoryError::limiter(ty.min, u64_from(initial), r);
        ask_then(limiter, request, refused, || {
            SharedMemory::adopt(ty, factory.create_shared(&ty, reserve)?, initial)
        })
    }

    /// A shared memory in `store`, which must have reserved room for at least `ty.min`
    /// pages; it is committed up to that. Growth beyond `store.reserved()` is refused.
    ///
    /// # Errors
    ///
    /// As [`SharedMemory::new`], and [`MemoryError::StoreCapacity`] when the reservation is
    /// smaller than the initial size.
    pub fn with_store(
        ty: MemoryType,
        store: Box<dyn SharedPageStore>,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<SharedMemory, MemoryError> {
        let (initial, _) = SharedMemory::sizes(&ty)?;
        // A refusal that is certain is not the limiter's business (as for
        // `Memory::with_store` and for a grow beyond the reservation).
        let reserved = store.reserved();
        if initial > reserved {
            return Err(MemoryError::store_capacity(
                ty.min,
                u64_from(initial),
                u64_from(reserved),
            ));
        }
        let request = (
            0,
            u64_from(initial),
            ty.max.map(|max| ty.bytes_saturating(max)),
        );
        let refused = |r| MemoryError::limiter(ty.min, u64_from(initial), r);
        ask_then(limiter, request, refused, || {
            SharedMemory::adopt(ty, store, initial)
        })
    }

    /// Validates `ty` and returns its initial and maximum sizes in bytes.
    fn sizes(ty: &MemoryType) -> Result<(usize, usize), MemoryError> {
        ty.validate()?;
        let max = ty.max.ok_or_else(MemoryTypeError::shared_without_maximum)?;
        let initial = ty
            .bytes_for(ty.min)
            .ok_or_else(|| MemoryError::could_not_allocate(ty.min))?;
        let reserve = ty
            .bytes_for(max)
            .ok_or_else(|| MemoryError::could_not_reserve(max))?;
        Ok((initial, reserve))
    }

    fn adopt(
        ty: MemoryType,
        mut store: Box<dyn SharedPageStore>,
        initial: usize,
    ) -> Result<SharedMemory, MemoryError> {
        let reserved = store.reserved();
        let too_small =
            || MemoryError::store_capacity(ty.min, u64_from(initial), u64_from(reserved));
        if initial > reserved {
            return Err(too_small());
        }
        store.commit(0, initial).map_err(|e| match e {
            StoreGrowError::Capacity { .. } => too_small(),
            StoreGrowError::OutOfMemory => MemoryError::could_not_allocate(ty.min),
        })?;
        let base = Base(store.base());
        let inner = Inner {
            ty,
            base,
            len: AtomicUsize::new(initial),
            store: spin::Mutex::new(store),
            stripes: [const { spin::Mutex::new(()) }; STRIPES],
            waiters: spin::Mutex::new(Vec::new()),
        };
        Ok(SharedMemory {
            inner: Arc::new(inner),
        })
    }

    /// Its type, as declared.
    pub fn ty(&self) -> &MemoryType {
        &self.inner.ty
    }

    /// Current size in pages (other threads may grow it any time).
    pub fn size(&self) -> u64 {
        u64_from(self.byte_len()) >> self.inner.ty.page_size_log2
    }

    /// Current size in bytes.
    pub fn byte_len(&self) -> usize {
        self.inner.len.load(Ordering::Acquire)
    }

    /// Start of the bytes. It never changes, not even when the memory grows; for
    /// identifying the memory or handing it to foreign code. Reading or writing through it
    /// from Rust must be atomic, like [`atomic_bytes`](Self::atomic_bytes).
    pub fn base_ptr(&self) -> NonNull<u8> {
        self.inner.base.0
    }

    /// Grows by `delta` pages, returning the old size in pages. Other threads' views stay
    /// valid: nothing moves. Concurrent grows run one after another.
    ///
    /// # Errors
    ///
    /// As [`Memory::grow`](super::Memory::grow): the declared maximum, the index cap, the
    /// reservation's size ([`GrowError::StoreCapacity`]), the limiter, or the store's
    /// commit. Nothing changes then.
    ///
    /// ```
    /// use folio::memory::{MemoryType, SharedMemory};
    ///
    /// let mem = SharedMemory::new(MemoryType::i32(1, Some(2)).with_shared(true), None)?;
    /// assert_eq!(mem.grow(1, None)?, 1);
    /// assert_eq!(mem.grow(1, None).unwrap_err().limit(), "declared maximum");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grow(&self, delta: u64, limiter: Option<&mut dyn Limiter>) -> Result<u64, GrowError> {
        let ty = &self.inner.ty;
        let mut store = self.inner.store.lock();
        // Only grow writes the length, and we hold the lock: no ordering needed.
        let old_len = self.inner.len.load(Ordering::Relaxed);
        let current = u64_from(old_len) >> ty.page_size_log2;
        if delta == 0 {
            return Ok(current);
        }
        let new_len = plan_grow(ty, current, delta)?;
        let bytes = u64_from(new_len);
        let reserved = store.reserved();
        if new_len > reserved {
            return Err(GrowError::store_capacity(
                current,
                delta,
                bytes,
                u64_from(reserved),
            ));
        }
        let request = (
            u64_from(old_len),
            bytes,
            ty.max.map(|max| ty.bytes_saturating(max)),
        );
        let refused = |r| GrowError::limiter(current, delta, bytes, r);
        ask_then(limiter, request, refused, || {
            store
                .commit(old_len, new_len)
                .map_err(|e| GrowError::from_store(current, delta, bytes, e))
        })?;
        // Release: a thread that sees the new length sees the committed zeros too.
        self.inner.len.store(new_len, Ordering::Release);
        Ok(current)
    }

    /// The bytes as atomics, as long as the memory is now (a later grow does not lengthen
    /// this slice). Any thread may read and write them at any time.
    ///
    /// ```
    /// use folio::memory::{MemoryType, SharedMemory};
    /// use std::sync::atomic::Ordering;
    ///
    /// let mem = SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None)?;
    /// let bytes = mem.atomic_bytes();
    /// bytes[7].store(42, Ordering::Relaxed);
    /// assert_eq!(mem.load::<1>(7, 0)?, [42]);
    /// assert_eq!(bytes.len(), 65_536);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn atomic_bytes(&self) -> &[AtomicU8] {
        // Acquire pairs with grow's Release: the bytes below `len` are committed and their
        // zeroing happened before this.
        let len = self.inner.len.load(Ordering::Acquire);
        let base = self.inner.base.0.as_ptr().cast::<AtomicU8>();
        // SAFETY: `base` is non-null, and AtomicU8 has alignment 1. The `len` bytes from it
        // are committed (SharedPageStore: valid for reads and writes until the store
        // drops), lie in one reservation, and `len ≤ reserved ≤ isize::MAX`. The store is
        // owned by `self.inner`, which the returned borrow of `self` keeps alive. While the
        // slice lives, those bytes are only mutated through AtomicU8 (an UnsafeCell): every
        // access in this module is, the store promises not to touch committed bytes, and
        // `commit` only zeroes bytes at or above the length, outside this slice.
        unsafe { core::slice::from_raw_parts(base, len) }
    }

    /// Loads `N` bytes at `addr + offset`, in memory order (little-endian for numbers).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory, or `addr + offset` overflows.
    ///
    /// ```
    /// use folio::memory::{MemoryType, SharedMemory};
    ///
    /// let mem = SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None)?;
    /// mem.store(8, 0, 0x0102_0304u32.to_le_bytes())?; // `store` takes `&self`
    /// assert_eq!(u32::from_le_bytes(mem.load::<4>(0, 8)?), 0x0102_0304);
    /// assert!(mem.load::<2>(65_535, 0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load<const N: usize>(&self, addr: u64, offset: u64) -> Result<[u8; N], OutOfBounds> {
        let bytes = self.atomic_bytes();
        let start = effective_address(addr, offset, N, bytes.len()).ok_or_else(OutOfBounds::new)?;
        let src = bytes
            .get(start..)
            .and_then(<[AtomicU8]>::first_chunk::<N>)
            .ok_or_else(OutOfBounds::new)?;
        Ok(src.each_ref().map(|b| b.load(Ordering::Relaxed)))
    }

    /// Stores `bytes` at `addr + offset`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] as for [`load`](Self::load); nothing is written then.
    pub fn store<const N: usize>(
        &self,
        addr: u64,
        offset: u64,
        bytes: [u8; N],
    ) -> Result<(), OutOfBounds> {
        let mem = self.atomic_bytes();
        let start = effective_address(addr, offset, N, mem.len()).ok_or_else(OutOfBounds::new)?;
        let dst = mem
            .get(start..)
            .and_then(<[AtomicU8]>::first_chunk::<N>)
            .ok_or_else(OutOfBounds::new)?;
        store_all(dst, &bytes);
        Ok(())
    }

    /// Copies `buf.len()` bytes from `addr` into `buf`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory; `buf` is untouched then.
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), OutOfBounds> {
        let src = self.range(addr, u64_from(buf.len()))?;
        for (d, s) in buf.iter_mut().zip(src) {
            *d = s.load(Ordering::Relaxed);
        }
        Ok(())
    }

    /// Copies `bytes` to `addr`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory; nothing is written then.
    pub fn write(&self, addr: u64, bytes: &[u8]) -> Result<(), OutOfBounds> {
        store_all(self.range(addr, u64_from(bytes.len()))?, bytes);
        Ok(())
    }

    /// Sets `len` bytes from `dst` to `value` (`memory.fill`).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory; nothing is written then.
    pub fn fill(&self, dst: u64, value: u8, len: u64) -> Result<(), OutOfBounds> {
        for b in self.range(dst, len)? {
            b.store(value, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Copies `len` bytes from `src` to `dst` within the memory; the ranges may overlap
    /// (`memory.copy`).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte of either range is beyond the memory; nothing is
    /// written then.
    pub fn copy_within(&self, dst: u64, src: u64, len: u64) -> Result<(), OutOfBounds> {
        let bytes = self.atomic_bytes();
        let within = |start| byte_range(start, len, bytes.len()).and_then(|r| bytes.get(r));
        let (Some(to), Some(from)) = (within(dst), within(src)) else {
            return Err(OutOfBounds::new());
        };
        let pairs = to.iter().zip(from);
        // Like memmove: copy away from the overlap so no source byte is overwritten first.
        if dst <= src {
            pairs.for_each(|(d, s)| d.store(s.load(Ordering::Relaxed), Ordering::Relaxed));
        } else {
            pairs
                .rev()
                .for_each(|(d, s)| d.store(s.load(Ordering::Relaxed), Ordering::Relaxed));
        }
        Ok(())
    }

    /// Copies `len` bytes of `data` from `src` to `dst` (`memory.init`).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory or beyond `data`; nothing is
    /// written then.
    ///
    /// With [`fill`](Self::fill) and [`copy_within`](Self::copy_within), the bulk
    /// operations of a plain [`Memory`](super::Memory), on shared bytes:
    ///
    /// ```
    /// use folio::memory::{MemoryType, SharedMemory};
    ///
    /// let mem = SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None)?;
    /// mem.init(0, b"abcdef", 0, 6)?;
    /// mem.copy_within(2, 0, 4)?;
    /// mem.fill(6, b'!', 2)?;
    /// let mut buf = [0u8; 8];
    /// mem.read(0, &mut buf)?;
    /// assert_eq!(&buf, b"ababcd!!");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn init(&self, dst: u64, data: &[u8], src: u64, len: u64) -> Result<(), OutOfBounds> {
        let from = byte_range(src, len, data.len())
            .and_then(|r| data.get(r))
            .ok_or_else(OutOfBounds::new)?;
        store_all(self.range(dst, len)?, from);
        Ok(())
    }

    /// The bytes `[start, start + len)`, if all are in bounds now.
    /// The `width` bytes (1, 2, 4 or 8) an atomic instruction at `addr + offset`
    /// accesses, and the index of the first.
    fn atomic_range(
        &self,
        addr: u64,
        offset: u64,
        width: usize,
    ) -> Result<(&[AtomicU8], usize), AtomicFault> {
        let bytes = self.atomic_bytes();
        let start = atomic_start(bytes.len(), addr, offset, width)?;
        let range = bytes
            .get(start..start.saturating_add(width))
            .ok_or(AtomicFault::OutOfBounds)?;
        Ok((range, start))
    }

    /// Replaces the `width`-byte value `v` (1, 2, 4 or 8 bytes, little-endian) at
    /// `addr + offset` by `f(v)` (truncated to `width` bytes), as one atomic step of
    /// every thread's atomic instructions; returns `v`.
    ///
    /// Sound in Rust's terms without mixed-size atomics: every access to a shared
    /// memory's bytes, the guest's plain loads and stores included, is a one-byte atomic
    /// access. An atomic instruction is made one step by a lock, one per 8-byte block
    /// (spread over 64 locks), which every atomic instruction on those bytes takes, and
    /// its byte accesses inside are `SeqCst`, so atomic instructions are sequentially
    /// consistent as the threads proposal requires. A plain store racing with an atomic
    /// instruction may interleave with its bytes, which the proposal allows (non-atomic
    /// accesses are not ordered, and may tear).
    ///
    /// # Errors
    /// [`AtomicFault::OutOfBounds`] when the bytes pass the end, else
    /// [`AtomicFault::Unaligned`] when the address is not a multiple of `width`.
    ///
    /// ```
    /// use folio::memory::{AtomicFault, MemoryType, SharedMemory};
    ///
    /// let mem = SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None)?;
    /// assert_eq!(mem.atomic_rmw(8, 0, 4, |v| v + 5), Ok(0));
    /// assert_eq!(mem.atomic_rmw(8, 0, 4, |v| v + 5), Ok(5));
    /// assert_eq!(mem.atomic_load(8, 0, 4), Ok(10));
    /// assert_eq!(mem.atomic_load(9, 0, 4), Err(AtomicFault::Unaligned));
    /// assert_eq!(mem.atomic_load(65_536, 0, 1), Err(AtomicFault::OutOfBounds));
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    pub fn atomic_rmw(
        &self,
        addr: u64,
        offset: u64,
        width: usize,
        f: impl FnOnce(u64) -> u64,
    ) -> Result<u64, AtomicFault> {
        let (bytes, start) = self.atomic_range(addr, offset, width)?;
        let _step = self.lock_block(start);
        let old = load_le(bytes);
        store_le(bytes, f(old));
        Ok(old)
    }

    /// The `width`-byte value at `addr + offset`, read as one atomic step (see
    /// [`atomic_rmw`](Self::atomic_rmw)).
    ///
    /// # Errors
    /// As [`atomic_rmw`](Self::atomic_rmw).
    pub fn atomic_load(&self, addr: u64, offset: u64, width: usize) -> Result<u64, AtomicFault> {
        let (bytes, start) = self.atomic_range(addr, offset, width)?;
        let _step = self.lock_block(start);
        Ok(load_le(bytes))
    }

    /// Writes the low `width` bytes of `value` at `addr + offset` as one atomic step (see
    /// [`atomic_rmw`](Self::atomic_rmw)).
    ///
    /// # Errors
    /// As [`atomic_rmw`](Self::atomic_rmw).
    pub fn atomic_store(
        &self,
        addr: u64,
        offset: u64,
        width: usize,
        value: u64,
    ) -> Result<(), AtomicFault> {
        let (bytes, start) = self.atomic_range(addr, offset, width)?;
        let _step = self.lock_block(start);
        store_le(bytes, value);
        Ok(())
    }

    /// `memory.atomic.wait32`/`wait64` (`width` 4 or 8): unless the value at
    /// `addr + offset` equals `expected` (truncated to `width`), returns 1 ("not-equal");
    /// otherwise blocks the calling thread on a parker from `new_parker` until
    /// [`notify`](Self::notify) wakes it (returns 0, "ok") or `timeout_ns` nanoseconds
    /// pass (returns 2, "timed-out"; `None`: no timeout). The value is read and the
    /// thread enqueued under the waiters' lock, which `notify` takes too, so a store
    /// followed by a notify never slips between them.
    ///
    /// Without `new_parker` the thread cannot block: a wait with a timeout returns 2 at
    /// once, and one without returns `Ok(None)` (it would never end).
    ///
    /// # Errors
    /// [`AtomicFault::OutOfBounds`], else [`AtomicFault::Unaligned`].
    pub fn wait(
        &self,
        addr: u64,
        offset: u64,
        width: usize,
        expected: u64,
        timeout_ns: Option<u64>,
        new_parker: Option<NewParker>,
    ) -> Result<Option<u32>, AtomicFault> {
        let (bytes, start) = self.atomic_range(addr, offset, width)?;
        let mask = u64::MAX >> (64 - 8 * width.clamp(1, 8));
        let mut waiters = self.inner.waiters.lock();
        let value = {
            let _step = self.lock_block(start);
            load_le(bytes)
        };
        if value != expected & mask {
            return Ok(Some(1));
        }
        let Some(new_parker) = new_parker else {
            return Ok(timeout_ns.map(|_| 2));
        };
        let parker = new_parker();
        waiters.push(Waiter {
            index: start,
            parker: parker.clone(),
        });
        drop(waiters);
        if parker.park(timeout_ns) {
            return Ok(Some(0));
        }
        // Timed out, unless a notify took it off the list meanwhile.
        let mut waiters = self.inner.waiters.lock();
        match waiters.iter().position(|w| Arc::ptr_eq(&w.parker, &parker)) {
            Some(i) => {
                waiters.remove(i);
                Ok(Some(2))
            }
            None => Ok(Some(0)),
        }
    }

    /// `memory.atomic.notify`: wakes up to `count` threads waiting on `addr + offset`
    /// (the longest waiting first) and returns how many it woke.
    ///
    /// # Errors
    /// [`AtomicFault::OutOfBounds`], else [`AtomicFault::Unaligned`] (as a 4-byte
    /// access).
    pub fn notify(&self, addr: u64, offset: u64, count: u32) -> Result<u32, AtomicFault> {
        let (_, start) = self.atomic_range(addr, offset, 4)?;
        let mut waiters = self.inner.waiters.lock();
        let mut woken = 0;
        waiters.retain(|w| {
            if woken < count && w.index == start {
                w.parker.unpark();
                woken += 1;
                false
            } else {
                true
            }
        });
        Ok(woken)
    }

    /// The lock of the 8-byte block holding byte `index`.
    fn lock_block(&self, index: usize) -> spin::MutexGuard<'_, ()> {
        let stripe = (index / 8) % STRIPES;
        // `stripe < STRIPES`, the array's length.
        self.inner.stripes[stripe].lock()
    }

    fn range(&self, start: u64, len: u64) -> Result<&[AtomicU8], OutOfBounds> {
        let bytes = self.atomic_bytes();
        byte_range(start, len, bytes.len())
            .and_then(|r| bytes.get(r))
            .ok_or_else(OutOfBounds::new)
    }
}

fn store_all(dst: &[AtomicU8], src: &[u8]) {
    for (d, &s) in dst.iter().zip(src) {
        d.store(s, Ordering::Relaxed);
    }
}

impl fmt::Debug for SharedMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedMemory")
            .field("ty", &self.inner.ty)
            .field("byte_len", &self.byte_len())
            .finish_non_exhaustive()
    }
}

/// The little-endian value of `bytes` (at most 8), each read `SeqCst`.
fn load_le(bytes: &[AtomicU8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0, |v, b| (v << 8) | u64::from(b.load(Ordering::SeqCst)))
}

/// Writes the low bytes of `value` into `bytes` (at most 8), little-endian, each `SeqCst`.
fn store_le(bytes: &[AtomicU8], value: u64) {
    for (i, b) in bytes.iter().enumerate() {
        b.store((value >> (8 * i)) as u8, Ordering::SeqCst);
    }
}
