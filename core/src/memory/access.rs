//! Bounds-checked access to a [`Memory`]: loads and stores of 1 to 16 bytes, byte ranges,
//! and the bulk-memory operations.
//!
//! Every check is done before the first byte is written, so an access that is out of
//! bounds anywhere writes nothing. Addresses are `u64` whatever the index type (an `i32`
//! address is zero-extended by the caller); `address + offset` is computed without
//! wrapping, so an overflowing sum is out of bounds. A zero-length range starting exactly
//! at the end is in bounds, one starting beyond it is not (bulk-memory semantics).
//!
//! Plain safe slice operations suffice: the check is a couple of compares (wasmi does the
//! same); `unsafe` would wait for a benchmark showing it pays.
#![forbid(unsafe_code)]

use super::error::OutOfBounds;
use super::{Memory, u64_from};
use core::ops::Range;

/// The start index of a `width`-byte access at `addr + offset` in a memory of `len` bytes:
/// `Some` iff every byte of `[addr + offset, addr + offset + width)` is below `len`,
/// computed without overflow. [`Memory::load`] and [`Memory::store`] check with it; the
/// interpreter inlines the same rule on the base and length it caches.
///
/// ```
/// use folio::memory::effective_address;
///
/// assert_eq!(effective_address(8, 4, 4, 16), Some(12)); // bytes 12..16 of 16
/// assert_eq!(effective_address(8, 5, 4, 16), None); // byte 16 is past the end
/// assert_eq!(effective_address(u64::MAX, 1, 1, 16), None); // the sum overflows: no wrap
/// ```
#[inline]
pub fn effective_address(addr: u64, offset: u64, width: usize, len: usize) -> Option<usize> {
    let start = usize::try_from(addr.checked_add(offset)?).ok()?;
    let end = start.checked_add(width)?;
    (end <= len).then_some(start)
}

/// `start..start + len` if that range lies within `[0, bound)` (it may be empty and start
/// at `bound`), computed without overflow.
#[inline]
pub(crate) fn byte_range(start: u64, len: u64, bound: usize) -> Option<Range<usize>> {
    let start = usize::try_from(start).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    (end <= bound).then_some(start..end)
}

fn within(bytes: &[u8], start: u64, len: u64) -> Result<&[u8], OutOfBounds> {
    byte_range(start, len, bytes.len())
        .and_then(|r| bytes.get(r))
        .ok_or_else(OutOfBounds::new)
}

fn within_mut(bytes: &mut [u8], start: u64, len: u64) -> Result<&mut [u8], OutOfBounds> {
    byte_range(start, len, bytes.len())
        .and_then(|r| bytes.get_mut(r))
        .ok_or_else(OutOfBounds::new)
}

/// Why an atomic access cannot happen (the threads proposal's traps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AtomicFault {
    /// The bytes pass the end of the memory ("out of bounds memory access").
    OutOfBounds,
    /// The effective address is not a multiple of the access's width ("unaligned
    /// atomic"); also any width but 1, 2, 4 and 8.
    Unaligned,
}

impl Memory {
    /// The `width`-byte value (1, 2, 4 or 8, little-endian, zero-extended) at
    /// `addr + offset`, read atomically: through the shared memory's atomic step when
    /// this is one ([`SharedMemory::atomic_load`](super::SharedMemory::atomic_load)), a
    /// plain read otherwise (a memory that is not shared has one thread at a time).
    ///
    /// # Errors
    /// [`AtomicFault::OutOfBounds`], else [`AtomicFault::Unaligned`].
    pub fn atomic_load(&self, addr: u64, offset: u64, width: usize) -> Result<u64, AtomicFault> {
        if let Some(shared) = self.shared() {
            return shared.atomic_load(addr, offset, width);
        }
        let bytes = atomic_bytes(self.data(), addr, offset, width)?;
        Ok(bytes.iter().rev().fold(0, |v, &b| (v << 8) | u64::from(b)))
    }

    /// Writes the low `width` bytes of `value` at `addr + offset` atomically (see
    /// [`atomic_load`](Self::atomic_load)).
    ///
    /// # Errors
    /// As [`atomic_load`](Self::atomic_load).
    pub fn atomic_store(
        &mut self,
        addr: u64,
        offset: u64,
        width: usize,
        value: u64,
    ) -> Result<(), AtomicFault> {
        self.atomic_rmw(addr, offset, width, |_| value).map(drop)
    }

    /// Replaces the `width`-byte value `v` at `addr + offset` by `f(v)` (truncated)
    /// atomically and returns `v` (see [`atomic_load`](Self::atomic_load)).
    ///
    /// ```
    /// use folio::memory::{AtomicFault, Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// assert_eq!(mem.atomic_rmw(2, 0, 2, |v| v.wrapping_sub(1)), Ok(0));
    /// assert_eq!(mem.atomic_load(2, 0, 2), Ok(0xffff));
    /// assert_eq!(mem.atomic_rmw(2, 0, 4, |v| v), Err(AtomicFault::Unaligned));
    /// # Ok::<(), folio::memory::MemoryError>(())
    /// ```
    ///
    /// # Errors
    /// As [`atomic_load`](Self::atomic_load).
    pub fn atomic_rmw(
        &mut self,
        addr: u64,
        offset: u64,
        width: usize,
        f: impl FnOnce(u64) -> u64,
    ) -> Result<u64, AtomicFault> {
        if let Some(shared) = self.shared() {
            return shared.atomic_rmw(addr, offset, width, f);
        }
        let bytes = atomic_bytes_mut(self.data_mut(), addr, offset, width)?;
        let old = bytes.iter().rev().fold(0, |v, &b| (v << 8) | u64::from(b));
        let new = f(old);
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (new >> (8 * i)) as u8;
        }
        Ok(old)
    }

    /// Loads `N` bytes (1, 2, 4, 8 or 16 for Wasm's loads) at `addr + offset`, in memory
    /// order: `u32::from_le_bytes(mem.load::<4>(addr, offset)?)` is `i32.load`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory, or `addr + offset` overflows.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType, OutOfBounds};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.write(16, &[0x78, 0x56, 0x34, 0x12])?;
    /// assert_eq!(u32::from_le_bytes(mem.load::<4>(8, 8)?), 0x1234_5678);
    /// assert_eq!(mem.load::<8>(65_532, 0), Err(OutOfBounds)); // half of it past the end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn load<const N: usize>(&self, addr: u64, offset: u64) -> Result<[u8; N], OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.load(addr, offset);
        }
        let data = self.data();
        let start = effective_address(addr, offset, N, data.len()).ok_or_else(OutOfBounds::new)?;
        data.get(start..)
            .and_then(<[u8]>::first_chunk::<N>)
            .copied()
            .ok_or_else(OutOfBounds::new)
    }

    /// Stores `bytes` at `addr + offset`: `mem.store(addr, offset, v.to_le_bytes())` is
    /// `i32.store` for `v: u32`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] as for [`load`](Self::load); nothing is written then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.store(0, 2, 0xbeefu16.to_le_bytes())?;
    /// assert_eq!(mem.data()[2..4], [0xef, 0xbe]);
    /// assert!(mem.store(65_535, 0, [1u8, 2]).is_err());
    /// assert_eq!(mem.data()[65_535], 0); // nothing written
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn store<const N: usize>(
        &mut self,
        addr: u64,
        offset: u64,
        bytes: [u8; N],
    ) -> Result<(), OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.store(addr, offset, bytes);
        }
        let data = self.data_mut();
        let start = effective_address(addr, offset, N, data.len()).ok_or_else(OutOfBounds::new)?;
        let dst = data
            .get_mut(start..)
            .and_then(<[u8]>::first_chunk_mut::<N>)
            .ok_or_else(OutOfBounds::new)?;
        *dst = bytes;
        Ok(())
    }

    /// Copies `buf.len()` bytes from `addr` into `buf`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory; `buf` is untouched then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.write(10, b"abc")?;
    /// let mut buf = [0u8; 3];
    /// mem.read(10, &mut buf)?;
    /// assert_eq!(&buf, b"abc");
    /// assert!(mem.read(65_534, &mut buf).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.read(addr, buf);
        }
        buf.copy_from_slice(within(self.data(), addr, u64_from(buf.len()))?);
        Ok(())
    }

    /// Copies `bytes` to `addr`.
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory; nothing is written then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.write(65_533, b"end")?;
    /// assert!(mem.write(65_534, b"end").is_err());
    /// assert_eq!(&mem.data()[65_533..], b"end");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.write(addr, bytes);
        }
        within_mut(self.data_mut(), addr, u64_from(bytes.len()))?.copy_from_slice(bytes);
        Ok(())
    }

    /// Sets `len` bytes from `dst` to `value` (`memory.fill`).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory; nothing is written then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.fill(4, 0xff, 2)?;
    /// assert_eq!(mem.data()[3..7], [0, 0xff, 0xff, 0]);
    /// assert!(mem.fill(65_536, 0xff, 0).is_ok()); // empty, at the end: in bounds
    /// assert!(mem.fill(65_537, 0xff, 0).is_err()); // empty, past the end: not
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fill(&mut self, dst: u64, value: u8, len: u64) -> Result<(), OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.fill(dst, value, len);
        }
        within_mut(self.data_mut(), dst, len)?.fill(value);
        Ok(())
    }

    /// Copies `len` bytes from `src` to `dst` within the memory; the ranges may overlap
    /// (`memory.copy` with one memory).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte of either range is beyond the memory; nothing is
    /// written then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// mem.write(0, b"abcdef")?;
    /// mem.copy_within(2, 0, 4)?; // overlapping
    /// assert_eq!(&mem.data()[..6], b"ababcd");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn copy_within(&mut self, dst: u64, src: u64, len: u64) -> Result<(), OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.copy_within(dst, src, len);
        }
        let data = self.data_mut();
        let from = byte_range(src, len, data.len()).ok_or_else(OutOfBounds::new)?;
        let to = byte_range(dst, len, data.len()).ok_or_else(OutOfBounds::new)?;
        // Both ranges are in bounds and of equal length: `copy_within` (memmove) cannot
        // panic.
        data.copy_within(from, to.start);
        Ok(())
    }

    /// Copies `len` bytes from `src` in `src_mem` to `dst` in `dst_mem` (`memory.copy`
    /// between two memories; the borrows prove they are distinct).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte of either range is beyond its memory; nothing is
    /// written then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut a = Memory::new(MemoryType::i32(1, None), None)?;
    /// let mut b = Memory::new(MemoryType::i32(1, None), None)?;
    /// a.write(0, b"shared")?;
    /// Memory::copy_between(&mut b, 100, &a, 0, 6)?;
    /// assert_eq!(&b.data()[100..106], b"shared");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn copy_between(
        dst_mem: &mut Memory,
        dst: u64,
        src_mem: &Memory,
        src: u64,
        len: u64,
    ) -> Result<(), OutOfBounds> {
        if src_mem.shared().is_some() || dst_mem.shared().is_some() {
            return copy_through_shared(dst_mem, dst, src_mem, src, len);
        }
        let from = within(src_mem.data(), src, len)?;
        within_mut(dst_mem.data_mut(), dst, len)?.copy_from_slice(from);
        Ok(())
    }

    /// Copies `len` bytes of `data` from `src` to `dst` (`memory.init` from a data
    /// segment).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds`] when any byte is beyond the memory or beyond `data`; nothing is
    /// written then.
    ///
    /// ```
    /// use folio::memory::{Memory, MemoryType};
    ///
    /// let mut mem = Memory::new(MemoryType::i32(1, None), None)?;
    /// let segment = b"0123456789";
    /// mem.init(0, segment, 3, 4)?;
    /// assert_eq!(&mem.data()[..4], b"3456");
    /// assert!(mem.init(0, segment, 8, 4).is_err()); // past the segment's end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn init(&mut self, dst: u64, data: &[u8], src: u64, len: u64) -> Result<(), OutOfBounds> {
        if let Some(shared) = self.shared() {
            return shared.init(dst, data, src, len);
        }
        let from = within(data, src, len)?;
        within_mut(self.data_mut(), dst, len)?.copy_from_slice(from);
        Ok(())
    }
}

/// [`Memory::copy_between`] when either memory is shared (two distinct memories, so the
/// ranges never overlap): both ranges checked first, then the bytes in chunks through a
/// buffer on the stack, each chunk read and written by the memories' own methods.
fn copy_through_shared(
    dst_mem: &mut Memory,
    dst: u64,
    src_mem: &Memory,
    src: u64,
    len: u64,
) -> Result<(), OutOfBounds> {
    if byte_range(src, len, src_mem.byte_len()).is_none()
        || byte_range(dst, len, dst_mem.byte_len()).is_none()
    {
        return Err(OutOfBounds::new());
    }
    let mut buf = [0u8; 256];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(buf.len() as u64);
        let chunk = &mut buf[..n as usize];
        src_mem.read(src + done, chunk)?;
        dst_mem.write(dst + done, chunk)?;
        done += n;
    }
    Ok(())
}

/// Where an atomic access of `width` bytes at `addr + offset` starts in a memory of
/// `len` bytes: bounds first, then alignment (the threads proposal's order).
pub(crate) fn atomic_start(
    len: usize,
    addr: u64,
    offset: u64,
    width: usize,
) -> Result<usize, AtomicFault> {
    let start = effective_address(addr, offset, width, len).ok_or(AtomicFault::OutOfBounds)?;
    // No atomic access has another width: refused as one no address aligns.
    if !matches!(width, 1 | 2 | 4 | 8) || !start.is_multiple_of(width) {
        return Err(AtomicFault::Unaligned);
    }
    Ok(start)
}

/// The `width` bytes an atomic access at `addr + offset` of `data` touches.
fn atomic_bytes(data: &[u8], addr: u64, offset: u64, width: usize) -> Result<&[u8], AtomicFault> {
    let start = atomic_start(data.len(), addr, offset, width)?;
    data.get(start..start.saturating_add(width))
        .ok_or(AtomicFault::OutOfBounds)
}

/// [`atomic_bytes`], writable.
fn atomic_bytes_mut(
    data: &mut [u8],
    addr: u64,
    offset: u64,
    width: usize,
) -> Result<&mut [u8], AtomicFault> {
    let start = atomic_start(data.len(), addr, offset, width)?;
    data.get_mut(start..start.saturating_add(width))
        .ok_or(AtomicFault::OutOfBounds)
}
