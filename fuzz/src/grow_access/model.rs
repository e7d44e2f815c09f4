//! The model `grow_access` checks Folio against: a `Vec<u8>` per memory and the rules of
//! the WebAssembly spec (with memory64, custom-page-sizes and threads) and of Folio's
//! memory docs, written out plainly.
//!
//! Nothing here calls Folio's code: the caps, the order in which limits are checked, the
//! limiters' arithmetic and the bounds checks are spelled out again (in `u128`, where
//! overflow cannot hide), so that a bug in Folio's helpers cannot agree with itself. Only
//! Folio's error *types* are used, to state what is expected.

use super::ops::RmwOp;
use folio::memory::{
    AtomicFault, GrowError, IndexType, LimiterRefusal, MemoryError, MemoryType, MemoryTypeError,
    OutOfBounds,
};

/// Host address space: the largest size in bytes a memory could have (`usize::MAX`).
const ADDRESS_SPACE: u128 = usize::MAX as u128;

/// The largest allocation Rust allows (`isize::MAX`): reserving more fails before the
/// allocator is asked.
const ALLOCATION_MAX: u128 = isize::MAX as u128;

/// Which API a memory is made and used through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// [`folio::memory::Memory`]: heap store or caller-provided region.
    Plain,
    /// [`folio::memory::SharedMemory`]: heap reservation of the maximum, or of the region
    /// size handed to `with_store`.
    Shared,
    /// A [`folio::memory::Memory`] handle of a shared memory
    /// ([`Memory::from_shared`](folio::memory::Memory::from_shared)): created as for
    /// [`Flavor::Shared`], then used through the handle.
    Handle,
}

/// What a limiter was told, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimiterCall {
    /// `memory_growing(current, desired, maximum)`.
    Growing {
        /// Bytes now.
        current: u64,
        /// Bytes wanted.
        desired: u64,
        /// Declared maximum in bytes.
        maximum: Option<u64>,
    },
    /// `memory_grow_failed(current, desired)`.
    Failed {
        /// Bytes now.
        current: u64,
        /// Bytes that were wanted.
        desired: u64,
    },
}

/// The limiter's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimiterRule {
    /// None installed: nobody is asked.
    None,
    /// `MaxBytes(limit)`: a memory may have at most `limit` bytes.
    PerMemory(u64),
    /// `MaxTotalBytes::new(limit)`: the bytes approved, minus those given back, stay within
    /// `limit`.
    Total(u64),
}

/// The model of a limiter: its rule, running total and the calls it expects.
#[derive(Debug, Clone)]
pub struct ModelLimiter {
    /// The rule.
    pub rule: LimiterRule,
    /// Bytes approved and not given back (for [`LimiterRule::Total`]).
    pub used: u64,
    /// Calls so far.
    pub calls: Vec<LimiterCall>,
}

impl ModelLimiter {
    /// A limiter with `rule` that has approved nothing yet.
    pub fn new(rule: LimiterRule) -> ModelLimiter {
        ModelLimiter {
            rule,
            used: 0,
            calls: Vec::new(),
        }
    }

    /// Asks about going from `current` to `desired` bytes.
    fn growing(
        &mut self,
        current: u64,
        desired: u64,
        maximum: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        match self.rule {
            LimiterRule::None => return Ok(()),
            LimiterRule::PerMemory(limit) => {
                self.calls.push(LimiterCall::Growing {
                    current,
                    desired,
                    maximum,
                });
                if desired > limit {
                    return Err(LimiterRefusal::with_limit("bytes per memory", limit));
                }
            }
            LimiterRule::Total(limit) => {
                self.calls.push(LimiterCall::Growing {
                    current,
                    desired,
                    maximum,
                });
                let used = u128::from(self.used) + u128::from(desired) - u128::from(current);
                if desired < current || used > u128::from(limit) {
                    return Err(LimiterRefusal::with_limit("bytes in total", limit));
                }
                self.used += desired - current;
            }
        }
        Ok(())
    }

    /// Told that an approved request failed anyway.
    fn failed(&mut self, current: u64, desired: u64) {
        if self.rule == LimiterRule::None {
            return;
        }
        self.calls.push(LimiterCall::Failed { current, desired });
        if let LimiterRule::Total(_) = self.rule {
            let back = desired.saturating_sub(current);
            self.used = self.used.saturating_sub(back);
        }
    }
}

/// Most pages an index type allows for a page size (the page count must fit the index type
/// and the bytes the address space: 2^32 or 2^64).
pub fn index_cap(index64: bool, log2: u8) -> u64 {
    match (index64, log2) {
        (false, 16) => 65_536,
        (false, _) => 4_294_967_295,
        (true, 16) => 1 << 48,
        (true, _) => u64::MAX,
    }
}

/// `pages` pages in bytes, exactly.
fn bytes_of(pages: u64, log2: u8) -> u128 {
    u128::from(pages) << log2
}

/// Bytes as the figures of errors and limiter calls report them: saturating at `u64::MAX`.
fn saturate(bytes: u128) -> u64 {
    u64::try_from(bytes).unwrap_or(u64::MAX)
}

/// A memory type as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ty {
    /// `i64` addresses.
    pub index64: bool,
    /// log2 of the page size.
    pub log2: u8,
    /// Initial pages.
    pub min: u64,
    /// Maximum pages.
    pub max: Option<u64>,
    /// Shared.
    pub shared: bool,
}

impl Ty {
    /// The same type in Folio's terms.
    pub fn folio(&self) -> MemoryType {
        MemoryType {
            index_type: if self.index64 {
                IndexType::I64
            } else {
                IndexType::I32
            },
            page_size_log2: self.log2,
            min: self.min,
            max: self.max,
            shared: self.shared,
        }
    }

    /// The validation rules, in the order Folio documents them.
    fn validate(&self) -> Result<(), MemoryTypeError> {
        if self.log2 != 0 && self.log2 != 16 {
            return Err(MemoryTypeError::InvalidPageSize {
                page_size_log2: self.log2,
            });
        }
        let cap = index_cap(self.index64, self.log2);
        let page_size = 1u64 << self.log2;
        if self.min > cap {
            return Err(MemoryTypeError::TooLarge {
                pages: self.min,
                cap,
                page_size,
            });
        }
        if let Some(max) = self.max {
            if max > cap {
                return Err(MemoryTypeError::TooLarge {
                    pages: max,
                    cap,
                    page_size,
                });
            }
            if self.min > max {
                return Err(MemoryTypeError::MinAboveMax { min: self.min, max });
            }
        }
        if self.shared && self.max.is_none() {
            return Err(MemoryTypeError::SharedWithoutMaximum);
        }
        Ok(())
    }

    fn max_bytes(&self) -> Option<u64> {
        self.max.map(|max| saturate(bytes_of(max, self.log2)))
    }
}

/// Where the model's memory keeps its bytes: it matters only for the capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelStore {
    /// The heap: no capacity of its own (a shared memory reserves its maximum).
    Heap,
    /// A region (or a reservation handed in) of this many bytes.
    Region(u64),
}

/// A memory of the model.
#[derive(Debug, Clone)]
pub struct ModelMemory {
    /// Its type, as declared.
    pub ty: Ty,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The most bytes its store can hold, when the store knows.
    pub capacity: Option<u64>,
}

impl ModelMemory {
    /// Creates a memory of type `ty` in `store` through `flavor`'s API.
    ///
    /// # Errors
    ///
    /// What Folio must answer, in the order its docs give: the type's validity, the address
    /// space, a capacity known in advance, the limiter, then the store itself.
    pub fn create(
        flavor: Flavor,
        ty: Ty,
        store: ModelStore,
        limiter: &mut ModelLimiter,
    ) -> Result<ModelMemory, MemoryError> {
        ty.validate().map_err(MemoryError::InvalidType)?;
        let max = match (flavor, ty.max) {
            (Flavor::Shared | Flavor::Handle, None) => {
                return Err(MemoryError::InvalidType(
                    MemoryTypeError::SharedWithoutMaximum,
                ));
            }
            (_, max) => max,
        };
        let initial = bytes_of(ty.min, ty.log2);
        if initial > ADDRESS_SPACE {
            return Err(MemoryError::CouldNotAllocate { pages: ty.min });
        }
        // A shared memory's reservation is its maximum (or what was handed in).
        let reservation = match (flavor, store) {
            (Flavor::Shared | Flavor::Handle, ModelStore::Heap) => {
                let max = max.unwrap_or(ty.min);
                let bytes = bytes_of(max, ty.log2);
                if bytes > ADDRESS_SPACE {
                    return Err(MemoryError::CouldNotReserve { pages: max });
                }
                Some(bytes)
            }
            (Flavor::Shared | Flavor::Handle, ModelStore::Region(size)) => {
                let max = max.unwrap_or(ty.min);
                if bytes_of(max, ty.log2) > ADDRESS_SPACE {
                    return Err(MemoryError::CouldNotReserve { pages: max });
                }
                Some(u128::from(size))
            }
            (Flavor::Plain, _) => None,
        };
        let capacity = match store {
            ModelStore::Region(size) => Some(size),
            ModelStore::Heap => reservation.map(saturate),
        };
        if let Some(capacity) = capacity
            && initial > u128::from(capacity)
        {
            return Err(MemoryError::StoreCapacity {
                pages: ty.min,
                bytes: saturate(initial),
                capacity,
            });
        }
        let initial = saturate(initial);
        limiter
            .growing(0, initial, ty.max_bytes())
            .map_err(|refusal| MemoryError::Limiter {
                pages: ty.min,
                bytes: initial,
                refusal,
            })?;
        // The store itself: a reservation beyond what Rust can allocate fails (the fuzz
        // inputs never ask the allocator for more than a few MiB, see `normalize`).
        let reserve = match (flavor, store) {
            (Flavor::Shared | Flavor::Handle, ModelStore::Heap) => reservation,
            (Flavor::Plain, ModelStore::Heap) if ty.shared => {
                let max = bytes_of(max.unwrap_or(ty.min), ty.log2).min(ADDRESS_SPACE);
                Some(max.max(u128::from(initial)))
            }
            _ => None,
        };
        if let Some(reserve) = reserve
            && reserve > ALLOCATION_MAX
        {
            limiter.failed(0, initial);
            let pages = max.unwrap_or(ty.min);
            return Err(MemoryError::CouldNotReserve { pages });
        }
        let len = usize::try_from(initial).expect("initial size bounded by the limiter");
        Ok(ModelMemory {
            ty,
            bytes: vec![0; len],
            capacity,
        })
    }

    /// Bytes now.
    pub fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// Whether the memory holds no byte.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Pages now.
    pub fn size(&self) -> u64 {
        self.len() >> self.ty.log2
    }

    /// Pages the limiter still allows this memory to reach, for relative deltas.
    pub fn limiter_pages(&self, limiter: &ModelLimiter) -> u64 {
        let bytes = match limiter.rule {
            LimiterRule::None => return index_cap(self.ty.index64, self.ty.log2),
            LimiterRule::PerMemory(limit) => limit,
            LimiterRule::Total(limit) => (limit - limiter.used).saturating_add(self.len()),
        };
        bytes >> self.ty.log2
    }

    /// `memory.grow`: the old size in pages, or which limit refused.
    pub fn grow(&mut self, delta: u64, limiter: &mut ModelLimiter) -> Result<u64, GrowError> {
        let current = self.size();
        if delta == 0 {
            return Ok(current);
        }
        let new = u128::from(current) + u128::from(delta);
        if let Some(maximum) = self.ty.max
            && new > u128::from(maximum)
        {
            return Err(GrowError::DeclaredMaximum {
                current,
                delta,
                maximum,
            });
        }
        let cap = index_cap(self.ty.index64, self.ty.log2);
        if new > u128::from(cap) {
            return Err(GrowError::IndexCap {
                current,
                delta,
                cap,
            });
        }
        let bytes = new << self.ty.log2;
        if bytes > ADDRESS_SPACE {
            return Err(GrowError::OutOfMemory {
                current,
                delta,
                bytes: saturate(bytes),
            });
        }
        let bytes = saturate(bytes);
        if let Some(capacity) = self.capacity
            && bytes > capacity
        {
            return Err(GrowError::StoreCapacity {
                current,
                delta,
                bytes,
                capacity,
            });
        }
        limiter
            .growing(self.len(), bytes, self.ty.max_bytes())
            .map_err(|refusal| GrowError::Limiter {
                current,
                delta,
                bytes,
                refusal,
            })?;
        let len = usize::try_from(bytes).expect("bounded by the limiter or the capacity");
        self.bytes.resize(len, 0);
        Ok(current)
    }

    /// The byte range `[start, start + len)` if it lies within `bound` bytes.
    fn range(start: u128, len: u128, bound: usize) -> Result<core::ops::Range<usize>, OutOfBounds> {
        let end = start + len;
        if end > bound as u128 {
            return Err(OutOfBounds);
        }
        Ok(start as usize..end as usize)
    }

    /// A load of `width` bytes at `addr + offset`.
    pub fn load(&self, addr: u64, offset: u64, width: usize) -> Result<Vec<u8>, OutOfBounds> {
        let ea = u128::from(addr) + u128::from(offset);
        let r = ModelMemory::range(ea, width as u128, self.bytes.len())?;
        Ok(self.bytes[r].to_vec())
    }

    /// A store of `value` at `addr + offset`.
    pub fn store(&mut self, addr: u64, offset: u64, value: &[u8]) -> Result<(), OutOfBounds> {
        let ea = u128::from(addr) + u128::from(offset);
        let r = ModelMemory::range(ea, value.len() as u128, self.bytes.len())?;
        self.bytes[r].copy_from_slice(value);
        Ok(())
    }

    /// `memory.fill`.
    pub fn fill(&mut self, dst: u64, value: u8, len: u64) -> Result<(), OutOfBounds> {
        let r = ModelMemory::range(dst.into(), len.into(), self.bytes.len())?;
        self.bytes[r].fill(value);
        Ok(())
    }

    /// `memory.copy` within one memory: as if through a temporary buffer.
    pub fn copy(&mut self, dst: u64, src: u64, len: u64) -> Result<(), OutOfBounds> {
        let from = ModelMemory::range(src.into(), len.into(), self.bytes.len())?;
        let to = ModelMemory::range(dst.into(), len.into(), self.bytes.len())?;
        let tmp = self.bytes[from].to_vec();
        self.bytes[to].copy_from_slice(&tmp);
        Ok(())
    }

    /// `memory.copy` from `src_mem` into `self`.
    pub fn copy_from(
        &mut self,
        dst: u64,
        src_mem: &ModelMemory,
        src: u64,
        len: u64,
    ) -> Result<(), OutOfBounds> {
        let from = ModelMemory::range(src.into(), len.into(), src_mem.bytes.len())?;
        let to = ModelMemory::range(dst.into(), len.into(), self.bytes.len())?;
        self.bytes[to].copy_from_slice(&src_mem.bytes[from]);
        Ok(())
    }

    /// The bytes of a `width`-byte atomic access at `addr + offset`: every byte below the
    /// end (out of bounds otherwise), then the effective address a multiple of `width`
    /// (unaligned otherwise).
    fn atomic_range(
        &self,
        addr: u64,
        offset: u64,
        width: usize,
    ) -> Result<core::ops::Range<usize>, AtomicFault> {
        let ea = u128::from(addr) + u128::from(offset);
        let r = ModelMemory::range(ea, width as u128, self.bytes.len())
            .map_err(|OutOfBounds| AtomicFault::OutOfBounds)?;
        if ea % width as u128 != 0 {
            return Err(AtomicFault::Unaligned);
        }
        Ok(r)
    }

    /// The little-endian value of `bytes` (at most 8).
    fn value_of(bytes: &[u8]) -> u64 {
        let mut le = [0u8; 8];
        le[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(le)
    }

    /// All ones in the low `width` bytes.
    pub fn mask(width: usize) -> u64 {
        ((1u128 << (8 * width)) - 1) as u64
    }

    /// The `width`-byte value at `addr + offset` if every byte is in bounds, aligned or
    /// not, else 0: what a value relative to the current one is resolved against.
    pub fn peek(&self, addr: u64, offset: u64, width: usize) -> u64 {
        let ea = u128::from(addr) + u128::from(offset);
        ModelMemory::range(ea, width as u128, self.bytes.len())
            .map_or(0, |r| ModelMemory::value_of(&self.bytes[r]))
    }

    /// An atomic load: the value, zero-extended.
    pub fn atomic_load(&self, addr: u64, offset: u64, width: usize) -> Result<u64, AtomicFault> {
        let r = self.atomic_range(addr, offset, width)?;
        Ok(ModelMemory::value_of(&self.bytes[r]))
    }

    /// An atomic store of the low `width` bytes of `value`.
    pub fn atomic_store(
        &mut self,
        addr: u64,
        offset: u64,
        width: usize,
        value: u64,
    ) -> Result<(), AtomicFault> {
        let r = self.atomic_range(addr, offset, width)?;
        self.bytes[r].copy_from_slice(&value.to_le_bytes()[..width]);
        Ok(())
    }

    /// An atomic read-modify-write with operand `value` (and, for `cmpxchg`, `expected`):
    /// the old value. The arithmetic is done in `u128` and cut to the width here.
    pub fn atomic_rmw(
        &mut self,
        addr: u64,
        offset: u64,
        width: usize,
        op: RmwOp,
        value: u64,
        expected: u64,
    ) -> Result<u64, AtomicFault> {
        let r = self.atomic_range(addr, offset, width)?;
        let old = ModelMemory::value_of(&self.bytes[r.clone()]);
        let modulus = 1u128 << (8 * width);
        let (a, v) = (u128::from(old), u128::from(value) % modulus);
        let new = match op {
            RmwOp::Add => (a + v) % modulus,
            RmwOp::Sub => (a + modulus - v) % modulus,
            RmwOp::And => a & v,
            RmwOp::Or => a | v,
            RmwOp::Xor => a ^ v,
            RmwOp::Xchg => v,
            RmwOp::Cmpxchg(_) if a == u128::from(expected) % modulus => v,
            RmwOp::Cmpxchg(_) => a,
        };
        let new = u64::try_from(new).expect("below 2^64");
        self.bytes[r].copy_from_slice(&new.to_le_bytes()[..width]);
        Ok(old)
    }

    /// `wait` without a parker: 1 ("not-equal") unless the value equals `expected` cut to
    /// the width; else 2 ("timed-out") with a timeout, and no answer without one (it would
    /// block forever).
    pub fn wait(
        &self,
        addr: u64,
        offset: u64,
        width: usize,
        expected: u64,
        timeout: Option<u64>,
    ) -> Result<Option<u32>, AtomicFault> {
        let value = self.atomic_load(addr, offset, width)?;
        if value != expected & ModelMemory::mask(width) {
            return Ok(Some(1));
        }
        Ok(timeout.map(|_| 2))
    }

    /// `notify` with nobody waiting: 0, after the checks of a 4-byte access.
    pub fn notify(&self, addr: u64, offset: u64) -> Result<u32, AtomicFault> {
        self.atomic_range(addr, offset, 4).map(|_| 0)
    }

    /// `memory.init` from `data`.
    pub fn init(&mut self, dst: u64, data: &[u8], src: u64, len: u64) -> Result<(), OutOfBounds> {
        let from = ModelMemory::range(src.into(), len.into(), data.len())?;
        let to = ModelMemory::range(dst.into(), len.into(), self.bytes.len())?;
        self.bytes[to].copy_from_slice(&data[from]);
        Ok(())
    }
}
