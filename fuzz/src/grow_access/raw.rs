//! The fuzz crate's only `unsafe` code: a [`Memory`] in a [`RegionStore`] whose region is
//! given back when the memory goes, and a plain view of a [`SharedMemory`]'s bytes.
//!
//! A `RegionStore` wants a `&'static mut [u8]`, the way firmware hands over a linker-placed
//! buffer. A fuzzer creating thousands of memories cannot leak one region each, so
//! [`RegionMemory`] leaks a boxed slice to make the `'static` reference and frees it again
//! once the memory, the only holder of that reference, has been dropped.
//!
//! Comparing a shared memory's contents byte by byte through atomics costs more than
//! everything else the oracle does (under coverage instrumentation, every byte is a traced
//! comparison); [`shared_bytes`] lets a single-threaded caller compare them with `memcmp`.

use folio::memory::{Limiter, Memory, MemoryError, MemoryType, RegionStore, SharedMemory};
use std::mem::ManuallyDrop;

/// A memory whose bytes live in a region this value owns.
pub struct RegionMemory {
    /// Dropped by hand, before the region is freed.
    mem: ManuallyDrop<Memory>,
    /// The region, from `Box::into_raw`; the only reference made from it went into `mem`.
    raw: *mut [u8],
}

impl RegionMemory {
    /// A memory of type `ty` in a fresh region of `capacity` bytes, each `fill` (growing must
    /// zero them).
    ///
    /// # Errors
    ///
    /// What [`Memory::with_store`] returns.
    pub fn new(
        ty: MemoryType,
        capacity: usize,
        fill: u8,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<RegionMemory, MemoryError> {
        let raw = Box::into_raw(vec![fill; capacity].into_boxed_slice());
        // SAFETY: `raw` comes from `Box::into_raw`, so it is valid and nothing else refers
        // to it. This is the only reference made from it; it lives in the store until the
        // store is dropped, and `raw` is used again (to free) only after that.
        let region: &'static mut [u8] = unsafe { &mut *raw };
        match Memory::with_store(ty, Box::new(RegionStore::new(region)), limiter) {
            Ok(mem) => Ok(RegionMemory {
                mem: ManuallyDrop::new(mem),
                raw,
            }),
            Err(e) => {
                // SAFETY: `with_store` took the store by value and returned an error: it
                // has dropped the store and with it the reference (it keeps nothing: see
                // `Memory::with_store`, which only moves the store into the `Memory` it
                // returns on success). So `raw` is unique again and came from
                // `Box::into_raw`.
                drop(unsafe { Box::from_raw(raw) });
                Err(e)
            }
        }
    }

    /// The memory.
    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// The memory, writable.
    pub fn memory_mut(&mut self) -> &mut Memory {
        &mut self.mem
    }

    /// Start of the region: the memory's bytes must always start here.
    pub fn region_start(&self) -> *const u8 {
        self.raw.cast::<u8>().cast_const()
    }
}

impl Drop for RegionMemory {
    fn drop(&mut self) {
        // SAFETY: `mem` is dropped exactly once, here, and not used afterwards.
        unsafe { ManuallyDrop::drop(&mut self.mem) };
        // SAFETY: the memory, and with it the store and the only reference made from
        // `raw`, is gone; `raw` came from `Box::into_raw` and is freed only here.
        drop(unsafe { Box::from_raw(self.raw) });
    }
}

/// The bytes of `mem`, as plain bytes.
///
/// `mem` must not be written while the returned slice lives: the caller borrows every
/// handle it has of it (`&mut` this one; a `Memory::from_shared` handle held next to it is
/// not used meanwhile) and this thread is the only one using them.
pub fn shared_bytes(mem: &mut SharedMemory) -> &[u8] {
    let bytes = mem.atomic_bytes();
    // SAFETY: `AtomicU8` has the size, alignment and bit validity of `u8`, so the pointer
    // and length describe `bytes.len()` initialised bytes, valid as long as `bytes` (the
    // borrow of `mem`). Reading them as `&[u8]` is sound as long as nothing writes them
    // meanwhile: the exclusive borrow of `mem` keeps this thread from doing so through
    // this handle, and the caller promises no other handle or thread is in use (the
    // oracle's other handle, a `Memory`, sits next to this one, borrowed with it).
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<u8>(), bytes.len()) }
}
