//! Linear memory: types and limits, page stores, grow, bounds-checked access.
//!
//! (API contract; the implementation is being written. Signatures here are what the rest of
//! the crate codes against.)

use crate::prelude::*;
use core::fmt;

/// Whether a memory is addressed by `i32` or `i64` (memory64 proposal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexType {
    /// 32-bit addresses.
    I32,
    /// 64-bit addresses.
    I64,
}

/// A memory's type. Limits are in pages of `1 << page_size_log2` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Address type.
    pub index_type: IndexType,
    /// log2 of the page size: 16 (65,536 bytes, the default) or 0 (1 byte).
    pub page_size_log2: u8,
    /// Initial size in pages.
    pub min: u64,
    /// Maximum size in pages, if declared.
    pub max: Option<u64>,
    /// Whether the memory is shared between threads.
    pub shared: bool,
}

impl MemoryType {
    /// Page size in bytes.
    pub fn page_size(&self) -> u64 {
        1u64 << self.page_size_log2
    }
}

/// Errors creating a memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryError {
    /// The initial size could not be provided.
    CouldNotAllocate {
        /// Pages requested.
        pages: u64,
    },
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemoryError::CouldNotAllocate { pages } => {
                write!(f, "could not allocate memory: {pages} pages")
            }
        }
    }
}

/// Why a grow was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrowError {
    /// The declared maximum.
    DeclaredMaximum,
}

/// An access out of bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfBounds;

/// Asked before memory is allocated or grown.
pub trait Limiter {}

/// A linear memory.
pub struct Memory {
    ty: MemoryType,
    bytes: Vec<u8>,
}

impl Memory {
    /// A heap-backed memory of `ty.min` zeroed pages.
    pub fn new(ty: MemoryType, limiter: Option<&mut dyn Limiter>) -> Result<Memory, MemoryError> {
        let _ = limiter;
        let len = ty.min << ty.page_size_log2;
        Ok(Memory { ty, bytes: vec![0; len as usize] })
    }
    /// Its type (with `min` as declared).
    pub fn ty(&self) -> &MemoryType {
        &self.ty
    }
    /// Current size in pages.
    pub fn size(&self) -> u64 {
        (self.bytes.len() as u64) >> self.ty.page_size_log2
    }
    /// Current size in bytes.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }
    /// Grows by `delta` pages, returning the old size in pages.
    pub fn grow(&mut self, delta: u64, limiter: Option<&mut dyn Limiter>) -> Result<u64, GrowError> {
        let _ = (delta, limiter);
        Err(GrowError::DeclaredMaximum)
    }
    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.bytes
    }
    /// The bytes, writable.
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}
