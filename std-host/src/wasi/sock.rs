//! Sockets: `sock_accept` on listeners the embedder preopened, and `sock_recv`,
//! `sock_send`, `sock_shutdown` on the connections accepted. Preview 1 has no way to
//! create, bind or connect a socket, so a guest has only what the embedder gave it.
//! Any other descriptor is `notsock`.

// Each function takes what its preview-1 signature takes.
#![allow(clippy::too_many_arguments)]

use super::WasiCtx;
use super::memory::GuestMemory;
use super::table::{Entry, Kind};
use super::types::{Errno, fdflags, riflags, rights, sdflags};
use std::io::{Read, Write};
use std::net::Shutdown;

impl WasiCtx {
    pub(super) fn sock_accept(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        flags: u32,
        fd_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::Listener(listener) = &entry.kind else {
            return Err(match entry.kind {
                Kind::Socket(_) => Errno::Inval,
                _ => Errno::Notsock,
            });
        };
        entry.require(rights::SOCK_ACCEPT)?;
        if flags & !u32::from(fdflags::NONBLOCK) != 0 {
            return Err(Errno::Inval);
        }
        mem.check(fd_out, 4)?;
        let (stream, _) = listener.accept()?;
        let nonblocking = flags & u32::from(fdflags::NONBLOCK) != 0;
        stream.set_nonblocking(nonblocking)?;
        let inheriting = entry.inheriting;
        let mut new = Entry::new(Kind::Socket(stream), rights::SOCKET & inheriting, 0);
        if nonblocking {
            new.flags = fdflags::NONBLOCK;
        }
        let new_fd = self.table.insert(new)?;
        mem.write_u32(fd_out, new_fd)
    }

    pub(super) fn sock_recv(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        ri_data: u32,
        ri_data_len: u32,
        ri_flags: u32,
        datalen_out: u32,
        flags_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get_mut(fd)?;
        let Kind::Socket(stream) = &mut entry.kind else {
            return Err(Errno::Notsock);
        };
        if entry.base & rights::FD_READ == 0 {
            return Err(Errno::Notcapable);
        }
        let known = u32::from(riflags::RECV_PEEK | riflags::RECV_WAITALL);
        if ri_flags & !known != 0 {
            return Err(Errno::Inval);
        }
        let peek = ri_flags & u32::from(riflags::RECV_PEEK) != 0;
        let wait_all = ri_flags & u32::from(riflags::RECV_WAITALL) != 0;
        mem.check_iovecs(ri_data, ri_data_len)?;
        mem.check(datalen_out, 4)?;
        mem.check(flags_out, 2)?;
        let mut total: u64 = 0;
        for i in 0..ri_data_len {
            let iov = mem.iovec_at(ri_data, i)?;
            let buf = mem.slice_mut(iov.ptr, iov.len)?;
            let n = if peek {
                // A peek sees the same bytes again: only the first buffer is filled.
                let n = stream.peek(buf)?;
                total += n as u64;
                break;
            } else if wait_all {
                let mut filled = 0;
                while filled < buf.len() {
                    match stream.read(&mut buf[filled..])? {
                        0 => break,
                        k => filled += k,
                    }
                }
                filled
            } else {
                match stream.read(buf) {
                    Ok(n) => n,
                    Err(_) if total > 0 => break,
                    Err(e) => return Err(e.into()),
                }
            };
            total += n as u64;
            if n < buf.len() {
                break;
            }
        }
        mem.write_u32(datalen_out, u32::try_from(total).unwrap_or(u32::MAX))?;
        mem.write(flags_out, &0u16.to_le_bytes())
    }

    pub(super) fn sock_send(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        si_data: u32,
        si_data_len: u32,
        si_flags: u32,
        datalen_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get_mut(fd)?;
        let Kind::Socket(stream) = &mut entry.kind else {
            return Err(Errno::Notsock);
        };
        if entry.base & rights::FD_WRITE == 0 {
            return Err(Errno::Notcapable);
        }
        // Preview 1 defines no send flags.
        if si_flags != 0 {
            return Err(Errno::Inval);
        }
        mem.check_iovecs(si_data, si_data_len)?;
        mem.check(datalen_out, 4)?;
        let mut total: u64 = 0;
        for i in 0..si_data_len {
            let iov = mem.iovec_at(si_data, i)?;
            let buf = mem.slice(iov.ptr, iov.len)?;
            let n = match stream.write(buf) {
                Ok(n) => n,
                Err(_) if total > 0 => break,
                Err(e) => return Err(e.into()),
            };
            total += n as u64;
            if n < buf.len() {
                break;
            }
        }
        mem.write_u32(datalen_out, u32::try_from(total).unwrap_or(u32::MAX))
    }

    pub(super) fn sock_shutdown(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        how: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::Socket(stream) = &entry.kind else {
            return Err(Errno::Notsock);
        };
        entry.require(rights::SOCK_SHUTDOWN)?;
        let rd = u32::from(sdflags::RD);
        let wr = u32::from(sdflags::WR);
        let how = match how {
            x if x == rd => Shutdown::Read,
            x if x == wr => Shutdown::Write,
            x if x == rd | wr => Shutdown::Both,
            _ => return Err(Errno::Inval),
        };
        Ok(stream.shutdown(how)?)
    }
}
