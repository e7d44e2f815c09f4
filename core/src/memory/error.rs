//! What can go wrong with a memory: an invalid type, a creation or a grow refused (and by
//! which limit), an access out of bounds.
//!
//! Constructors are `#[cold]` so the paths that build an error stay out of the way of the
//! paths that succeed.
#![forbid(unsafe_code)]

use super::limiter::LimiterRefusal;
use core::fmt;

/// A memory type that breaks a validation rule. The texts are the spec test suite's.
///
/// ```
/// use folio::memory::{MemoryType, MemoryTypeError};
///
/// let err = MemoryType::i32(1, None).with_page_size_log2(12).validate().unwrap_err();
/// assert_eq!(err, MemoryTypeError::InvalidPageSize { page_size_log2: 12 });
/// assert_eq!(err.to_string(), "invalid custom page size (2^12 bytes)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemoryTypeError {
    /// The page size is neither 1 nor 65,536 bytes.
    InvalidPageSize {
        /// The type's `page_size_log2`.
        page_size_log2: u8,
    },
    /// `min` or `max` is beyond what the index type can address.
    TooLarge {
        /// The offending limit, in pages.
        pages: u64,
        /// The index type's cap, in pages.
        cap: u64,
        /// The page size, in bytes.
        page_size: u64,
    },
    /// `min` is greater than `max`.
    MinAboveMax {
        /// Initial pages.
        min: u64,
        /// Maximum pages.
        max: u64,
    },
    /// A shared memory without a maximum.
    SharedWithoutMaximum,
}

impl MemoryTypeError {
    #[cold]
    pub(crate) fn invalid_page_size(page_size_log2: u8) -> MemoryTypeError {
        MemoryTypeError::InvalidPageSize { page_size_log2 }
    }
    #[cold]
    pub(crate) fn too_large(pages: u64, cap: u64, page_size: u64) -> MemoryTypeError {
        MemoryTypeError::TooLarge {
            pages,
            cap,
            page_size,
        }
    }
    #[cold]
    pub(crate) fn min_above_max(min: u64, max: u64) -> MemoryTypeError {
        MemoryTypeError::MinAboveMax { min, max }
    }
    #[cold]
    pub(crate) fn shared_without_maximum() -> MemoryTypeError {
        MemoryTypeError::SharedWithoutMaximum
    }
}

impl fmt::Display for MemoryTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MemoryTypeError::InvalidPageSize { page_size_log2 } => {
                write!(f, "invalid custom page size (2^{page_size_log2} bytes)")
            }
            MemoryTypeError::TooLarge {
                pages,
                cap,
                page_size,
            } => write!(
                f,
                "memory size must be at most {cap} pages of {page_size} bytes, not {pages}"
            ),
            MemoryTypeError::MinAboveMax { min, max } => write!(
                f,
                "size minimum must not be greater than maximum ({min} > {max} pages)"
            ),
            MemoryTypeError::SharedWithoutMaximum => f.write_str("shared memory must have maximum"),
        }
    }
}

impl core::error::Error for MemoryTypeError {}

/// Why a memory could not be created. Every text starts the way the spec's and browsers'
/// does, "could not allocate memory", except an invalid type's.
///
/// ```
/// use folio::memory::{MaxBytes, Memory, MemoryType};
///
/// let err = Memory::new(MemoryType::i32(2, None), Some(&mut MaxBytes(65_536))).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "could not allocate memory: 2 pages (131072 bytes) refused by the embedder's \
///      limiter: limit of 65536 bytes per memory"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemoryError {
    /// The type is not one a memory can have.
    InvalidType(MemoryTypeError),
    /// The initial size could not be provided: beyond the host's address space, or the
    /// allocator refused it.
    CouldNotAllocate {
        /// Pages requested.
        pages: u64,
    },
    /// A shared memory could not reserve its maximum up front.
    CouldNotReserve {
        /// The maximum, in pages.
        pages: u64,
    },
    /// The embedder's [`Limiter`](super::Limiter) refused the initial size.
    Limiter {
        /// Pages requested.
        pages: u64,
        /// Bytes requested.
        bytes: u64,
        /// What the limiter said.
        refusal: LimiterRefusal,
    },
    /// The page store cannot hold the initial size.
    StoreCapacity {
        /// Pages requested.
        pages: u64,
        /// Bytes requested.
        bytes: u64,
        /// The store's capacity, in bytes.
        capacity: u64,
    },
    /// The page store handed to [`Memory::with_store`](super::Memory::with_store) already
    /// holds more bytes than the memory's initial size.
    StoreTooLong {
        /// Bytes in the store.
        store_bytes: u64,
        /// The memory's initial size, in bytes.
        initial_bytes: u64,
    },
}

impl MemoryError {
    #[cold]
    pub(crate) fn invalid_type(e: MemoryTypeError) -> MemoryError {
        MemoryError::InvalidType(e)
    }
    /// An initial size of `pages` that the host cannot provide: what a
    /// [`PageStoreFactory`](super::PageStoreFactory) returns when it cannot.
    ///
    /// ```
    /// use folio::memory::MemoryError;
    ///
    /// let err = MemoryError::could_not_allocate(3);
    /// assert_eq!(err.to_string(), "could not allocate memory: 3 pages");
    /// ```
    #[cold]
    pub fn could_not_allocate(pages: u64) -> MemoryError {
        MemoryError::CouldNotAllocate { pages }
    }
    /// A shared memory's maximum of `pages` that the host cannot reserve.
    ///
    /// ```
    /// use folio::memory::MemoryError;
    ///
    /// let err = MemoryError::could_not_reserve(8);
    /// assert!(matches!(err, MemoryError::CouldNotReserve { pages: 8 }));
    /// ```
    #[cold]
    pub fn could_not_reserve(pages: u64) -> MemoryError {
        MemoryError::CouldNotReserve { pages }
    }
    #[cold]
    pub(crate) fn limiter(pages: u64, bytes: u64, refusal: LimiterRefusal) -> MemoryError {
        MemoryError::Limiter {
            pages,
            bytes,
            refusal,
        }
    }
    #[cold]
    pub(crate) fn store_capacity(pages: u64, bytes: u64, capacity: u64) -> MemoryError {
        MemoryError::StoreCapacity {
            pages,
            bytes,
            capacity,
        }
    }
    #[cold]
    pub(crate) fn store_too_long(store_bytes: u64, initial_bytes: u64) -> MemoryError {
        MemoryError::StoreTooLong {
            store_bytes,
            initial_bytes,
        }
    }
}

impl From<MemoryTypeError> for MemoryError {
    fn from(e: MemoryTypeError) -> MemoryError {
        MemoryError::invalid_type(e)
    }
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MemoryError::InvalidType(e) => write!(f, "invalid memory type: {e}"),
            MemoryError::CouldNotAllocate { pages } => {
                write!(f, "could not allocate memory: {pages} pages")
            }
            MemoryError::CouldNotReserve { pages } => write!(
                f,
                "could not allocate memory: {pages} pages (the maximum a shared memory reserves)"
            ),
            MemoryError::Limiter {
                pages,
                bytes,
                refusal,
            } => write!(
                f,
                "could not allocate memory: {pages} pages ({bytes} bytes) refused by the \
                 embedder's limiter: {refusal}"
            ),
            MemoryError::StoreCapacity {
                pages,
                bytes,
                capacity,
            } => write!(
                f,
                "could not allocate memory: {pages} pages ({bytes} bytes) exceed the page \
                 store's capacity of {capacity} bytes"
            ),
            MemoryError::StoreTooLong {
                store_bytes,
                initial_bytes,
            } => write!(
                f,
                "could not create memory: its page store already holds {store_bytes} bytes, \
                 more than the initial {initial_bytes}"
            ),
        }
    }
}

impl core::error::Error for MemoryError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            MemoryError::InvalidType(e) => Some(e),
            MemoryError::Limiter { refusal, .. } => Some(refusal),
            _ => None,
        }
    }
}

/// Which limit refused a grow, with the figures. A refused grow changes nothing.
///
/// Every variant carries the size before the grow (`current`) and the requested `delta`,
/// in pages; [`GrowError::limit`] names the limit in a word or two, for traces.
///
/// ```
/// use folio::memory::{Memory, MemoryType};
///
/// let mut mem = Memory::new(MemoryType::i32(1, Some(3)), None)?;
/// let err = mem.grow(5, None).unwrap_err();
/// assert_eq!((err.current(), err.delta(), err.limit()), (1, 5, "declared maximum"));
/// assert_eq!(
///     err.to_string(),
///     "cannot grow memory of 1 pages by 5: exceeds the declared maximum of 3 pages"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrowError {
    /// The memory type's declared maximum.
    DeclaredMaximum {
        /// Pages before the grow.
        current: u64,
        /// Pages requested.
        delta: u64,
        /// The declared maximum, in pages.
        maximum: u64,
    },
    /// The index type's architectural cap ([`MemoryType::index_cap_pages`]), for a memory
    /// that declares no maximum. Also a `current + delta` beyond `u64`.
    ///
    /// [`MemoryType::index_cap_pages`]: super::MemoryType::index_cap_pages
    IndexCap {
        /// Pages before the grow.
        current: u64,
        /// Pages requested.
        delta: u64,
        /// The cap, in pages.
        cap: u64,
    },
    /// The embedder's [`Limiter`](super::Limiter).
    Limiter {
        /// Pages before the grow.
        current: u64,
        /// Pages requested.
        delta: u64,
        /// The size the grow asked for, in bytes.
        bytes: u64,
        /// What the limiter said.
        refusal: LimiterRefusal,
    },
    /// The page store's capacity (a caller-provided region's length, a reservation's size).
    StoreCapacity {
        /// Pages before the grow.
        current: u64,
        /// Pages requested.
        delta: u64,
        /// The size the grow asked for, in bytes.
        bytes: u64,
        /// The store's capacity, in bytes.
        capacity: u64,
    },
    /// The host could not provide the bytes: the allocator refused, or the size is beyond
    /// the host's address space.
    OutOfMemory {
        /// Pages before the grow.
        current: u64,
        /// Pages requested.
        delta: u64,
        /// The size the grow asked for, in bytes (saturating at `u64::MAX`).
        bytes: u64,
    },
}

impl GrowError {
    #[cold]
    pub(crate) fn declared_maximum(current: u64, delta: u64, maximum: u64) -> GrowError {
        GrowError::DeclaredMaximum {
            current,
            delta,
            maximum,
        }
    }
    #[cold]
    pub(crate) fn index_cap(current: u64, delta: u64, cap: u64) -> GrowError {
        GrowError::IndexCap {
            current,
            delta,
            cap,
        }
    }
    #[cold]
    pub(crate) fn limiter(
        current: u64,
        delta: u64,
        bytes: u64,
        refusal: LimiterRefusal,
    ) -> GrowError {
        GrowError::Limiter {
            current,
            delta,
            bytes,
            refusal,
        }
    }
    #[cold]
    pub(crate) fn store_capacity(current: u64, delta: u64, bytes: u64, capacity: u64) -> GrowError {
        GrowError::StoreCapacity {
            current,
            delta,
            bytes,
            capacity,
        }
    }
    #[cold]
    pub(crate) fn out_of_memory(current: u64, delta: u64, bytes: u64) -> GrowError {
        GrowError::OutOfMemory {
            current,
            delta,
            bytes,
        }
    }
    #[cold]
    pub(crate) fn from_store(current: u64, delta: u64, bytes: u64, e: StoreGrowError) -> GrowError {
        match e {
            StoreGrowError::Capacity { capacity } => {
                GrowError::store_capacity(current, delta, bytes, super::u64_from(capacity))
            }
            StoreGrowError::OutOfMemory => GrowError::out_of_memory(current, delta, bytes),
        }
    }

    /// Pages before the grow.
    pub fn current(&self) -> u64 {
        match *self {
            GrowError::DeclaredMaximum { current, .. }
            | GrowError::IndexCap { current, .. }
            | GrowError::Limiter { current, .. }
            | GrowError::StoreCapacity { current, .. }
            | GrowError::OutOfMemory { current, .. } => current,
        }
    }

    /// Pages requested.
    pub fn delta(&self) -> u64 {
        match *self {
            GrowError::DeclaredMaximum { delta, .. }
            | GrowError::IndexCap { delta, .. }
            | GrowError::Limiter { delta, .. }
            | GrowError::StoreCapacity { delta, .. }
            | GrowError::OutOfMemory { delta, .. } => delta,
        }
    }

    /// The limit that refused, in a few words: "declared maximum", "index cap", "limiter",
    /// "store capacity" or "out of memory".
    pub fn limit(&self) -> &'static str {
        match self {
            GrowError::DeclaredMaximum { .. } => "declared maximum",
            GrowError::IndexCap { .. } => "index cap",
            GrowError::Limiter { .. } => "limiter",
            GrowError::StoreCapacity { .. } => "store capacity",
            GrowError::OutOfMemory { .. } => "out of memory",
        }
    }
}

impl fmt::Display for GrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot grow memory of {} pages by {}: ",
            self.current(),
            self.delta()
        )?;
        match *self {
            GrowError::DeclaredMaximum { maximum, .. } => {
                write!(f, "exceeds the declared maximum of {maximum} pages")
            }
            GrowError::IndexCap { cap, .. } => {
                write!(f, "exceeds the index type's cap of {cap} pages")
            }
            GrowError::Limiter { bytes, refusal, .. } => {
                write!(f, "the embedder's limiter refused {bytes} bytes: {refusal}")
            }
            GrowError::StoreCapacity {
                bytes, capacity, ..
            } => {
                write!(
                    f,
                    "{bytes} bytes exceed the page store's capacity of {capacity} bytes"
                )
            }
            GrowError::OutOfMemory { bytes, .. } => {
                write!(f, "out of memory: could not allocate {bytes} bytes")
            }
        }
    }
}

impl core::error::Error for GrowError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            GrowError::Limiter { refusal, .. } => Some(refusal),
            _ => None,
        }
    }
}

/// Why a [`PageStore`](super::PageStore) could not grow. Nothing changed in the store.
///
/// ```
/// use folio::memory::{PageStore, RegionStore, StoreGrowError};
///
/// let mut store = RegionStore::new(Box::leak(Box::new([0u8; 16])));
/// assert_eq!(store.grow_to(17), Err(StoreGrowError::Capacity { capacity: 16 }));
/// assert_eq!(StoreGrowError::out_of_memory().to_string(), "out of memory");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreGrowError {
    /// The store can never hold that many bytes.
    Capacity {
        /// The most bytes the store can hold.
        capacity: usize,
    },
    /// The allocator (or the operating system) refused.
    OutOfMemory,
}

impl StoreGrowError {
    /// The store holds at most `capacity` bytes.
    #[cold]
    pub fn capacity(capacity: usize) -> StoreGrowError {
        StoreGrowError::Capacity { capacity }
    }
    /// The allocator refused.
    #[cold]
    pub fn out_of_memory() -> StoreGrowError {
        StoreGrowError::OutOfMemory
    }
}

impl fmt::Display for StoreGrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StoreGrowError::Capacity { capacity } => {
                write!(f, "page store capacity of {capacity} bytes exceeded")
            }
            StoreGrowError::OutOfMemory => f.write_str("out of memory"),
        }
    }
}

impl core::error::Error for StoreGrowError {}

/// A load, store or bulk operation touching a byte outside the memory (or a data
/// segment). Nothing was written. Its text is the spec's trap message.
///
/// ```
/// use folio::memory::{Memory, MemoryType, OutOfBounds};
///
/// let mut mem = Memory::new(MemoryType::i32(0, None), None)?;
/// assert_eq!(mem.write(0, b"x"), Err(OutOfBounds));
/// assert_eq!(OutOfBounds.to_string(), "out of bounds memory access");
/// # Ok::<(), folio::memory::MemoryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OutOfBounds;

impl OutOfBounds {
    /// The error, built off the hot path.
    #[cold]
    #[inline(never)]
    pub(crate) fn new() -> OutOfBounds {
        OutOfBounds
    }
}

impl fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The spec's trap message, so `assert_trap` can match it.
        f.write_str("out of bounds memory access")
    }
}

impl core::error::Error for OutOfBounds {}
