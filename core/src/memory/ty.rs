//! Memory types and the architectural caps they are validated against.
#![forbid(unsafe_code)]

use super::error::MemoryTypeError;

/// log2 of the default page size, 65,536 bytes.
pub const DEFAULT_PAGE_SIZE_LOG2: u8 = 16;

/// log2 of the 1-byte page the custom-page-sizes proposal adds (`(pagesize 1)`).
pub const BYTE_PAGE_SIZE_LOG2: u8 = 0;

/// Most 64 KiB pages an `i32` memory may have: 65,536 pages, 2^32 bytes.
pub const MAX_PAGES_I32: u64 = 1 << 16;

/// Most 1-byte pages an `i32` memory may have: 2^32 − 1.
///
/// Not 2^32: a page count must be representable in the index type, because `memory.size`
/// returns it as one (the custom-page-sizes spec tests reject `(memory 0x1_0000_0000
/// (pagesize 1))`).
pub const MAX_BYTE_PAGES_I32: u64 = u32::MAX as u64;

/// Most 64 KiB pages an `i64` memory may have: 2^48 pages, 2^64 bytes.
pub const MAX_PAGES_I64: u64 = 1 << 48;

/// Most 1-byte pages an `i64` memory may have: 2^64 − 1, for the same reason as
/// [`MAX_BYTE_PAGES_I32`].
pub const MAX_BYTE_PAGES_I64: u64 = u64::MAX;

/// Whether a memory is addressed by `i32` or `i64` (memory64 proposal).
///
/// ```
/// use folio::memory::{IndexType, MemoryType};
///
/// assert_eq!(MemoryType::i64(1, None).index_type, IndexType::I64);
/// assert_eq!(IndexType::I32.bits(), 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexType {
    /// 32-bit addresses; static offsets are `u32`.
    I32,
    /// 64-bit addresses; static offsets are `u64`.
    I64,
}

impl IndexType {
    /// Width of an address in bits: 32 or 64.
    pub const fn bits(self) -> u32 {
        match self {
            IndexType::I32 => 32,
            IndexType::I64 => 64,
        }
    }
}

/// A memory's type. Limits are in pages of `1 << page_size_log2` bytes.
///
/// The fields are public so a type can be written as a literal; [`MemoryType::validate`]
/// says whether it is one a memory can have. Every constructor of a memory validates it.
///
/// ```
/// use folio::memory::{BYTE_PAGE_SIZE_LOG2, IndexType, MemoryType};
///
/// // (memory i64 1 16)
/// let ty = MemoryType::i64(1, Some(16));
/// assert_eq!(ty.page_size(), 65_536);
/// // (memory 0 100 shared (pagesize 1)): 100 bytes at most, shared between threads
/// let tiny = MemoryType::i32(0, Some(100))
///     .with_page_size_log2(BYTE_PAGE_SIZE_LOG2)
///     .with_shared(true);
/// assert!(tiny.validate().is_ok());
/// // The same as a literal:
/// let literal = MemoryType {
///     index_type: IndexType::I32,
///     page_size_log2: 0,
///     min: 0,
///     max: Some(100),
///     shared: true,
/// };
/// assert_eq!(tiny, literal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Address type.
    pub index_type: IndexType,
    /// log2 of the page size: [`DEFAULT_PAGE_SIZE_LOG2`] (65,536 bytes) or
    /// [`BYTE_PAGE_SIZE_LOG2`] (1 byte).
    pub page_size_log2: u8,
    /// Initial size in pages.
    pub min: u64,
    /// Maximum size in pages, if declared.
    pub max: Option<u64>,
    /// Whether the memory is shared between threads (threads proposal).
    pub shared: bool,
}

impl MemoryType {
    /// An unshared `i32` memory of 64 KiB pages: `(memory min max)`.
    ///
    /// ```
    /// use folio::memory::MemoryType;
    ///
    /// let ty = MemoryType::i32(1, Some(3));
    /// assert_eq!((ty.min, ty.max, ty.shared), (1, Some(3), false));
    /// ```
    pub const fn i32(min: u64, max: Option<u64>) -> MemoryType {
        MemoryType {
            index_type: IndexType::I32,
            page_size_log2: DEFAULT_PAGE_SIZE_LOG2,
            min,
            max,
            shared: false,
        }
    }

    /// An unshared `i64` memory of 64 KiB pages: `(memory i64 min max)`.
    ///
    /// ```
    /// use folio::memory::{MemoryType, MAX_PAGES_I64};
    ///
    /// assert_eq!(MemoryType::i64(0, None).index_cap_pages(), MAX_PAGES_I64);
    /// ```
    pub const fn i64(min: u64, max: Option<u64>) -> MemoryType {
        MemoryType {
            index_type: IndexType::I64,
            ..MemoryType::i32(min, max)
        }
    }

    /// The same type with pages of `1 << page_size_log2` bytes.
    ///
    /// ```
    /// use folio::memory::{BYTE_PAGE_SIZE_LOG2, MemoryType};
    ///
    /// let ty = MemoryType::i32(4096, None).with_page_size_log2(BYTE_PAGE_SIZE_LOG2);
    /// assert_eq!(ty.bytes_for(ty.min), Some(4096));
    /// assert!(MemoryType::i32(0, None).with_page_size_log2(12).validate().is_err());
    /// ```
    #[must_use]
    pub const fn with_page_size_log2(self, page_size_log2: u8) -> MemoryType {
        MemoryType {
            page_size_log2,
            ..self
        }
    }

    /// The same type, shared or not. A shared type must declare a maximum.
    ///
    /// ```
    /// use folio::memory::MemoryType;
    ///
    /// assert!(MemoryType::i32(1, Some(2)).with_shared(true).validate().is_ok());
    /// assert!(MemoryType::i32(1, None).with_shared(true).validate().is_err());
    /// ```
    #[must_use]
    pub const fn with_shared(self, shared: bool) -> MemoryType {
        MemoryType { shared, ..self }
    }

    /// Page size in bytes.
    ///
    /// A type with `page_size_log2` of 64 or more (one [`validate`](Self::validate)
    /// rejects) has no page size representable in a `u64`: this returns 0 for it rather
    /// than panicking.
    ///
    /// ```
    /// use folio::memory::MemoryType;
    ///
    /// assert_eq!(MemoryType::i32(0, None).page_size(), 65_536);
    /// assert_eq!(MemoryType::i32(0, None).with_page_size_log2(0).page_size(), 1);
    /// assert_eq!(MemoryType::i32(0, None).with_page_size_log2(64).page_size(), 0);
    /// ```
    pub const fn page_size(&self) -> u64 {
        match 1u64.checked_shl(self.page_size_log2 as u32) {
            Some(size) => size,
            None => 0,
        }
    }

    /// Most pages the index type allows for this page size: the byte size must fit the
    /// address space (2^32 or 2^64 bytes) and the page count must fit the index type.
    ///
    /// | index type | 64 KiB pages | 1-byte pages |
    /// |---|---|---|
    /// | `i32` | [`MAX_PAGES_I32`] = 2^16 | [`MAX_BYTE_PAGES_I32`] = 2^32 − 1 |
    /// | `i64` | [`MAX_PAGES_I64`] = 2^48 | [`MAX_BYTE_PAGES_I64`] = 2^64 − 1 |
    ///
    /// ```
    /// use folio::memory::{MAX_BYTE_PAGES_I32, MAX_PAGES_I32, MemoryType};
    ///
    /// let ty = MemoryType::i32(0, None);
    /// assert_eq!(ty.index_cap_pages(), MAX_PAGES_I32);
    /// assert_eq!(ty.with_page_size_log2(0).index_cap_pages(), MAX_BYTE_PAGES_I32);
    /// assert_eq!(MAX_PAGES_I32 * 65_536, 1 << 32); // 4 GiB
    /// ```
    pub const fn index_cap_pages(&self) -> u64 {
        let bits = self.index_type.bits();
        // u128 so that 2^64 is representable; a page size beyond the address space leaves
        // room for no page at all.
        let by_bytes = match (1u128 << bits).checked_shr(self.page_size_log2 as u32) {
            Some(pages) => pages,
            None => 0,
        };
        let by_count = (1u128 << bits) - 1;
        let cap = if by_bytes < by_count {
            by_bytes
        } else {
            by_count
        };
        // cap ≤ 2^64 − 1, so the cast is lossless.
        cap as u64
    }

    /// Most pages a memory of this type can ever have: its declared maximum, or the index
    /// type's cap when it declares none (or a larger one, which `validate` rejects).
    ///
    /// ```
    /// use folio::memory::{MAX_PAGES_I32, MemoryType};
    ///
    /// assert_eq!(MemoryType::i32(1, Some(3)).max_pages(), 3);
    /// assert_eq!(MemoryType::i32(1, None).max_pages(), MAX_PAGES_I32);
    /// ```
    pub const fn max_pages(&self) -> u64 {
        let cap = self.index_cap_pages();
        match self.max {
            Some(max) if max < cap => max,
            _ => cap,
        }
    }

    /// Bytes in `pages` pages of this type, or `None` when that does not fit a `usize` (the
    /// host's address space) or the page size is out of range.
    ///
    /// ```
    /// use folio::memory::{MAX_PAGES_I64, MemoryType};
    ///
    /// let ty = MemoryType::i64(0, None);
    /// assert_eq!(ty.bytes_for(2), Some(131_072));
    /// assert_eq!(ty.bytes_for(MAX_PAGES_I64), None); // 2^64 bytes: no usize holds that
    /// ```
    pub fn bytes_for(&self, pages: u64) -> Option<usize> {
        usize::try_from(self.bytes_exact(pages)?).ok()
    }

    /// Bytes in `pages` pages, saturating at `u64::MAX` (an `i64` memory of 2^48 pages
    /// holds exactly 2^64 bytes). For reporting figures, not for allocating.
    ///
    /// ```
    /// use folio::memory::{MAX_PAGES_I64, MemoryType};
    ///
    /// let ty = MemoryType::i64(0, None);
    /// assert_eq!(ty.bytes_saturating(2), 131_072);
    /// assert_eq!(ty.bytes_saturating(MAX_PAGES_I64), u64::MAX);
    /// ```
    pub fn bytes_saturating(&self, pages: u64) -> u64 {
        self.bytes_exact(pages)
            .map_or(u64::MAX, |bytes| u64::try_from(bytes).unwrap_or(u64::MAX))
    }

    /// `pages << page_size_log2` without loss: below 2^128 for any shift under 64.
    fn bytes_exact(&self, pages: u64) -> Option<u128> {
        (self.page_size_log2 < 64).then(|| u128::from(pages) << self.page_size_log2)
    }

    /// Checks the type against the rules of WebAssembly 3.0 with the memory64,
    /// custom-page-sizes and threads proposals: page size 1 or 65,536 bytes; `min` and
    /// `max` within [`index_cap_pages`](Self::index_cap_pages); `min ≤ max`; a shared
    /// memory declares a maximum.
    ///
    /// # Errors
    ///
    /// The first rule broken, as a [`MemoryTypeError`] whose text is the spec test
    /// suite's message for it.
    ///
    /// ```
    /// use folio::memory::{MemoryType, MemoryTypeError};
    ///
    /// assert_eq!(MemoryType::i32(1, Some(3)).validate(), Ok(()));
    /// let err = MemoryType::i32(4, Some(3)).validate().unwrap_err();
    /// assert_eq!(err, MemoryTypeError::MinAboveMax { min: 4, max: 3 });
    /// let err = MemoryType::i32(65_537, None).validate().unwrap_err();
    /// assert!(err.to_string().starts_with("memory size must be at most 65536 pages"));
    /// ```
    pub fn validate(&self) -> Result<(), MemoryTypeError> {
        if self.page_size_log2 != DEFAULT_PAGE_SIZE_LOG2
            && self.page_size_log2 != BYTE_PAGE_SIZE_LOG2
        {
            return Err(MemoryTypeError::invalid_page_size(self.page_size_log2));
        }
        let cap = self.index_cap_pages();
        if self.min > cap {
            return Err(MemoryTypeError::too_large(self.min, cap, self.page_size()));
        }
        if let Some(max) = self.max {
            if max > cap {
                return Err(MemoryTypeError::too_large(max, cap, self.page_size()));
            }
            if self.min > max {
                return Err(MemoryTypeError::min_above_max(self.min, max));
            }
        }
        if self.shared && self.max.is_none() {
            return Err(MemoryTypeError::shared_without_maximum());
        }
        Ok(())
    }
}
