//! Sockets: `sock_accept` on listeners the embedder preopened, and `sock_recv`,
//! `sock_send`, `sock_shutdown` on the connections accepted. Preview 1 has no way to
//! create, bind or connect a socket, so a guest has only what the embedder gave it.
//! Any other descriptor is `notsock`.

// Each function takes what its preview-1 signature takes.
#![allow(clippy::too_many_arguments)]

use super::WasiCtx;
use super::memory::{GuestMemory, clamp_u32};
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
        mem.check(datalen_out, 4)?;
        mem.check(flags_out, 2)?;
        let mut peeked = false;
        let total = mem.read_iovecs(ri_data, ri_data_len, |buf, _| {
            if peek {
                // A peek sees the same bytes again: only the first buffer is filled.
                if std::mem::replace(&mut peeked, true) {
                    return Ok(0);
                }
                return Ok(stream.peek(buf)?);
            }
            if !wait_all {
                return Ok(stream.read(buf)?);
            }
            let mut filled = 0;
            while filled < buf.len() {
                match stream.read(&mut buf[filled..])? {
                    0 => break,
                    k => filled += k,
                }
            }
            Ok(filled)
        })?;
        mem.write_u32(datalen_out, clamp_u32(total))?;
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
        mem.check(datalen_out, 4)?;
        let total = mem.write_iovecs(si_data, si_data_len, |buf, _| Ok(stream.write(buf)?))?;
        mem.write_u32(datalen_out, clamp_u32(total))
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
