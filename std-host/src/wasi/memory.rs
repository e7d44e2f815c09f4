//! Guest memory as the WASI functions see it: every pointer, length, iovec and string a
//! guest passes is checked here against the memory's current length before a byte is read
//! or written.
//!
//! Decided here:
//! - A range that does not lie entirely inside the memory is `fault`; nothing is read or
//!   written. Functions check every range they will write before their first side effect,
//!   so a failed call leaves guest memory and host state as they were.
//! - Pointers are 32-bit, as preview 1 defines them. A guest whose exported memory is 64-bit
//!   (memory64) can therefore pass only addresses below 4 GiB; they are checked the same way.
//! - Alignment is not required: values are copied byte by byte (little-endian), so an
//!   unaligned pointer works as it would in Wasm itself.
//! - Strings (paths) must be UTF-8: anything else is `ilseq`.
//! - No iovec list or buffer is ever copied into host memory: iovecs are read one at a time
//!   and file data moves directly between the guest's bytes and the host's I/O call.

use super::types::{Errno, size};

/// A guest's linear memory, borrowed for the duration of one WASI call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One iovec (`ciovec`/`iovec`): a guest buffer, checked to lie in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iovec {
    /// Start of the buffer in guest memory.
    pub ptr: u32,
    /// Its length in bytes.
    pub len: u32,
}

impl<'a> GuestMemory<'a> {
    /// The guest memory `bytes`.
    pub fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    /// The memory's length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the memory has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The host range of `len` bytes at guest address `ptr`.
    fn range(&self, ptr: u32, len: u64) -> Result<std::ops::Range<usize>, Errno> {
        let start = u64::from(ptr);
        let end = start.checked_add(len).ok_or(Errno::Fault)?;
        if end > self.bytes.len() as u64 {
            return Err(Errno::Fault);
        }
        // Both fit in usize: end <= the slice's length.
        Ok(start as usize..end as usize)
    }

    /// Checks that `len` bytes at `ptr` lie in memory.
    ///
    /// # Errors
    /// `fault` otherwise.
    pub fn check(&self, ptr: u32, len: u64) -> Result<(), Errno> {
        self.range(ptr, len).map(|_| ())
    }

    /// The `len` bytes at `ptr`.
    ///
    /// # Errors
    /// `fault` when they are not all in memory.
    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let r = self.range(ptr, u64::from(len))?;
        Ok(&self.bytes[r])
    }

    /// The `len` bytes at `ptr`, writable.
    ///
    /// # Errors
    /// `fault` when they are not all in memory.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let r = self.range(ptr, u64::from(len))?;
        Ok(&mut self.bytes[r])
    }

    /// Writes `data` at `ptr`.
    ///
    /// # Errors
    /// `fault` (nothing written) when it does not fit.
    pub fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Errno> {
        let len = u32::try_from(data.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(data);
        Ok(())
    }

    fn read_array<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Errno> {
        let r = self.range(ptr, N as u64)?;
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes[r]);
        Ok(out)
    }

    /// The little-endian `u8` at `ptr`.
    pub fn read_u8(&self, ptr: u32) -> Result<u8, Errno> {
        Ok(self.read_array::<1>(ptr)?[0])
    }
    /// The little-endian `u16` at `ptr`.
    pub fn read_u16(&self, ptr: u32) -> Result<u16, Errno> {
        Ok(u16::from_le_bytes(self.read_array(ptr)?))
    }
    /// The little-endian `u32` at `ptr`.
    pub fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        Ok(u32::from_le_bytes(self.read_array(ptr)?))
    }
    /// The little-endian `u64` at `ptr`.
    pub fn read_u64(&self, ptr: u32) -> Result<u64, Errno> {
        Ok(u64::from_le_bytes(self.read_array(ptr)?))
    }

    /// Writes a little-endian `u32` at `ptr`.
    pub fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), Errno> {
        self.write(ptr, &value.to_le_bytes())
    }
    /// Writes a little-endian `u64` at `ptr`.
    pub fn write_u64(&mut self, ptr: u32, value: u64) -> Result<(), Errno> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// The UTF-8 string of `len` bytes at `ptr`.
    ///
    /// # Errors
    /// `fault` when out of memory, `ilseq` when not UTF-8.
    pub fn str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq)
    }

    /// The `index`-th iovec of the list at `list`, its buffer checked.
    fn iovec(&self, list: u32, index: u32) -> Result<Iovec, Errno> {
        let at = element(list, index, size::IOVEC)?;
        let ptr = self.read_u32(at)?;
        let len = self.read_u32(offset(at, 4)?)?;
        self.check(ptr, u64::from(len))?;
        Ok(Iovec { ptr, len })
    }

    /// Checks an iovec list: the list itself and every buffer in it lie in memory. Returns
    /// the total length (which may exceed `u32`: the guest may name one buffer twice).
    ///
    /// # Errors
    /// `fault` on the first range outside memory.
    pub fn check_iovecs(&self, list: u32, count: u32) -> Result<u64, Errno> {
        self.check(list, u64::from(count) * u64::from(size::IOVEC))?;
        let mut total = 0u64;
        for i in 0..count {
            total += u64::from(self.iovec(list, i)?.len);
        }
        Ok(total)
    }

    /// Fills the buffers of the iovec list at `list` in order with `read(buffer, bytes so
    /// far)`, as `readv` does: the list and every buffer are checked first (so nothing is
    /// read when any is out of memory), and the first short read ends it, so that a
    /// terminal or pipe with less than asked never blocks for the next buffer. An error
    /// after some bytes ends the call with those bytes (they are in guest memory now); an
    /// error before any is returned. Returns the bytes read.
    ///
    /// # Errors
    /// `fault` for a range outside memory; `read`'s error when nothing was read.
    pub fn read_iovecs(
        &mut self,
        list: u32,
        count: u32,
        mut read: impl FnMut(&mut [u8], u64) -> Result<usize, Errno>,
    ) -> Result<u64, Errno> {
        self.check_iovecs(list, count)?;
        let mut total: u64 = 0;
        for i in 0..count {
            let iov = self.iovec(list, i)?;
            let buf = self.slice_mut(iov.ptr, iov.len)?;
            match read(buf, total) {
                Ok(n) => {
                    total += n.min(buf.len()) as u64;
                    if n < buf.len() {
                        break;
                    }
                }
                Err(_) if total > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(total)
    }

    /// Hands the buffers of the iovec list at `list` in order to `write(buffer, bytes so
    /// far)`, as `writev` does, with the checks and stopping rules of
    /// [`read_iovecs`](Self::read_iovecs). Returns the bytes written.
    ///
    /// # Errors
    /// `fault` for a range outside memory; `write`'s error when nothing was written.
    pub fn write_iovecs(
        &self,
        list: u32,
        count: u32,
        mut write: impl FnMut(&[u8], u64) -> Result<usize, Errno>,
    ) -> Result<u64, Errno> {
        self.check_iovecs(list, count)?;
        let mut total: u64 = 0;
        for i in 0..count {
            let iov = self.iovec(list, i)?;
            let buf = self.slice(iov.ptr, iov.len)?;
            match write(buf, total) {
                Ok(n) => {
                    total += n.min(buf.len()) as u64;
                    if n < buf.len() {
                        break;
                    }
                }
                Err(_) if total > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(total)
    }
}

/// A byte count for a 32-bit result: a guest cannot move more than 4 GiB in one call, but
/// it can name the same buffer many times.
pub fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The guest address `ptr + by`.
///
/// # Errors
/// `fault` past the 32-bit address space.
pub fn offset(ptr: u32, by: u32) -> Result<u32, Errno> {
    ptr.checked_add(by).ok_or(Errno::Fault)
}

/// The guest address of element `index` of `size` bytes in an array at `base`.
///
/// # Errors
/// `fault` past the 32-bit address space.
pub fn element(base: u32, index: u32, size: u32) -> Result<u32, Errno> {
    let at = u64::from(base) + u64::from(index) * u64::from(size);
    u32::try_from(at).map_err(|_| Errno::Fault)
}
