//! Descriptors and paths: `fd_*` and `path_*`.
//!
//! Every path is resolved by cap-std beneath the directory descriptor it is relative to
//! (see the [module docs](super)); this file only checks rights and arguments, moves bytes
//! between guest memory and the host, and encodes results.
//!
//! Decided here (where the preview-1 document is silent, as wasmtime does):
//! - A descriptor of the wrong kind gets the errno the same call gets natively: reading or
//!   writing a directory is `isdir`, seeking a stream is `spipe`, reading stdout or writing
//!   stdin is `badf`, a path operation on a file is `notdir`, `fd_readdir` on a file is
//!   `notdir`.
//! - `fd_read`/`fd_pread` stop at the first short read (a terminal or pipe that has less
//!   than asked must not block for the next buffer); writes write every buffer in order.
//! - `fd_readdir` lists `.` and `..` first, then the entries in the host's order; the
//!   cookie of an entry is its position plus one. `..` reports the directory's own inode
//!   (the parent may lie outside the sandbox).
//! - `path_open` of a directory with write access is `isdir`; `directory` together with
//!   `creat`, `excl` or `trunc` is `inval`; `creat` or `trunc` without write access works
//!   as POSIX says (the file is created or truncated, the descriptor stays read-only).
//! - `path_link` with `symlink_follow` is `inval` (links are made to the link itself).
//! - `fd_fdstat_set_flags` toggles `append` and `nonblock`; the sync flags are fixed at
//!   open, so asking to change them is `notsup`.
//! - `fd_allocate` extends the file to `offset + len` when it is shorter.
//! - Standard streams have no timestamps or sizes: their filestat is all zeros but the
//!   file type.

// Each function takes what its preview-1 signature takes.
#![allow(clippy::too_many_arguments)]

use super::WasiCtx;
use super::memory::{GuestMemory, clamp_u32, offset};
use super::table::{Entry, Kind, applicable};
use super::types::{
    ADVICE_MAX, Errno, LOOKUP_SYMLINK_FOLLOW, PREOPENTYPE_DIR, fdflags, filetype, fstflags, oflags,
    rights, size, whence,
};
use cap_fs_ext::{
    DirExt, FileTypeExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt,
    OpenOptionsSyncExt, SystemTimeSpec,
};
use cap_std::fs::{Dir, File, Metadata, OpenOptions};
use fs_set_times::SetTimes;
use std::io::{Read, Seek, SeekFrom, Write};
use std::time::{Duration, UNIX_EPOCH};

/// The WASI file type of host file metadata.
fn filetype_of(meta: &Metadata) -> u8 {
    let ft = meta.file_type();
    if ft.is_dir() {
        filetype::DIRECTORY
    } else if ft.is_file() {
        filetype::REGULAR_FILE
    } else if ft.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if FileTypeExt::is_char_device(&ft) {
        filetype::CHARACTER_DEVICE
    } else if FileTypeExt::is_block_device(&ft) {
        filetype::BLOCK_DEVICE
    } else if FileTypeExt::is_socket(&ft) {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// The 64-byte `filestat` of host metadata.
fn filestat(meta: &Metadata) -> [u8; size::FILESTAT as usize] {
    #[cfg(unix)]
    let (dev, ino, nlink, atim, mtim, ctim) = {
        use cap_std::fs::MetadataExt;
        let ns = |s: i64, n: i64| {
            u64::try_from(i128::from(s) * 1_000_000_000 + i128::from(n)).unwrap_or(0)
        };
        (
            meta.dev(),
            meta.ino(),
            meta.nlink(),
            ns(meta.atime(), meta.atime_nsec()),
            ns(meta.mtime(), meta.mtime_nsec()),
            ns(meta.ctime(), meta.ctime_nsec()),
        )
    };
    #[cfg(not(unix))]
    let (dev, ino, nlink, atim, mtim, ctim) = (0, 0, 1, 0, 0, 0);
    let mut out = [0u8; size::FILESTAT as usize];
    out[0..8].copy_from_slice(&dev.to_le_bytes());
    out[8..16].copy_from_slice(&ino.to_le_bytes());
    out[16] = filetype_of(meta);
    out[24..32].copy_from_slice(&nlink.to_le_bytes());
    out[32..40].copy_from_slice(&meta.len().to_le_bytes());
    out[40..48].copy_from_slice(&atim.to_le_bytes());
    out[48..56].copy_from_slice(&mtim.to_le_bytes());
    out[56..64].copy_from_slice(&ctim.to_le_bytes());
    out
}

/// The file type of a descriptor as `fd_fdstat_get` reports it.
fn entry_filetype(entry: &Entry) -> Result<u8, Errno> {
    Ok(match &entry.kind {
        Kind::Stdin(input) => input.filetype(),
        Kind::Output(output) => output.filetype(),
        Kind::File(file) => filetype_of(&file.metadata()?),
        Kind::Dir { .. } => filetype::DIRECTORY,
        Kind::Listener(_) | Kind::Socket(_) => filetype::SOCKET_STREAM,
    })
}

/// The access and modification times to set, from `fst_flags` and the given times.
fn times(
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(Option<SystemTimeSpec>, Option<SystemTimeSpec>), Errno> {
    let flags = u16::try_from(fst_flags).map_err(|_| Errno::Inval)?;
    if flags & !fstflags::ALL != 0 {
        return Err(Errno::Inval);
    }
    let one = |set: u16, now: u16, t: u64| -> Result<Option<SystemTimeSpec>, Errno> {
        match (flags & set != 0, flags & now != 0) {
            (true, true) => Err(Errno::Inval),
            (false, true) => Ok(Some(SystemTimeSpec::SymbolicNow)),
            (true, false) => {
                let at = UNIX_EPOCH
                    .checked_add(Duration::from_nanos(t))
                    .ok_or(Errno::Inval)?;
                Ok(Some(SystemTimeSpec::from_std(
                    fs_set_times::SystemTimeSpec::Absolute(at),
                )))
            }
            (false, false) => Ok(None),
        }
    };
    Ok((
        one(fstflags::ATIM, fstflags::ATIM_NOW, atim)?,
        one(fstflags::MTIM, fstflags::MTIM_NOW, mtim)?,
    ))
}

/// A path argument: UTF-8, not empty.
fn path<'m>(mem: &'m GuestMemory<'_>, ptr: u32, len: u32) -> Result<&'m str, Errno> {
    let p = mem.str(ptr, len)?;
    if p.is_empty() {
        return Err(Errno::Noent);
    }
    Ok(p)
}

/// Whether to follow a symbolic link at the end of a path.
fn follow(lookup_flags: u32) -> Result<bool, Errno> {
    if lookup_flags & !LOOKUP_SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval);
    }
    Ok(lookup_flags & LOOKUP_SYMLINK_FOLLOW != 0)
}

/// Which I/O a `fd_read`/`fd_write`-like call does on a descriptor.
enum Io {
    Read,
    Write,
}

/// The errno for reading or writing a descriptor that is not a file or stream of the right
/// direction, or `None` when the call may go ahead.
fn io_kind_error(kind: &Kind, io: &Io) -> Option<Errno> {
    match (kind, io) {
        (Kind::Dir { .. }, _) => Some(Errno::Isdir),
        (Kind::Stdin(_), Io::Write) | (Kind::Output(_), Io::Read) => Some(Errno::Badf),
        (Kind::Listener(_), _) => Some(Errno::Notconn),
        _ => None,
    }
}

impl WasiCtx {
    pub(super) fn fd_advise(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        _offset: u64,
        _len: u64,
        advice: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        match entry.kind {
            Kind::File(_) => {}
            Kind::Dir { .. } => return Err(Errno::Badf),
            _ => return Err(Errno::Spipe),
        }
        entry.require(rights::FD_ADVISE)?;
        if advice > u32::from(ADVICE_MAX) {
            return Err(Errno::Inval);
        }
        Ok(())
    }

    pub(super) fn fd_allocate(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        offset: u64,
        len: u64,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::File(file) = &entry.kind else {
            return Err(match entry.kind {
                Kind::Dir { .. } => Errno::Badf,
                _ => Errno::Spipe,
            });
        };
        entry.require(rights::FD_ALLOCATE)?;
        let end = offset.checked_add(len).ok_or(Errno::Fbig)?;
        if end > i64::MAX as u64 {
            return Err(Errno::Fbig);
        }
        if len == 0 {
            return Err(Errno::Inval);
        }
        if file.metadata()?.len() < end {
            file.set_len(end)?;
        }
        Ok(())
    }

    pub(super) fn fd_close(&mut self, _: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
        self.table.remove(fd).map(drop)
    }

    pub(super) fn fd_datasync(&mut self, _: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        match &entry.kind {
            Kind::File(file) => {
                entry.require(rights::FD_DATASYNC)?;
                Ok(file.sync_data()?)
            }
            Kind::Dir { .. } => {
                entry.require(rights::FD_DATASYNC)?;
                Ok(())
            }
            _ => Err(Errno::Inval),
        }
    }

    pub(super) fn fd_sync(&mut self, _: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        match &entry.kind {
            Kind::File(file) => {
                entry.require(rights::FD_SYNC)?;
                Ok(file.sync_all()?)
            }
            Kind::Dir { dir, .. } => {
                entry.require(rights::FD_SYNC)?;
                sync_dir(dir)
            }
            _ => Err(Errno::Inval),
        }
    }

    pub(super) fn fd_fdstat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        mem.check(out, u64::from(size::FDSTAT))?;
        let mut stat = [0u8; size::FDSTAT as usize];
        stat[0] = entry_filetype(entry)?;
        stat[2..4].copy_from_slice(&entry.flags.to_le_bytes());
        stat[8..16].copy_from_slice(&entry.base.to_le_bytes());
        stat[16..24].copy_from_slice(&entry.inheriting.to_le_bytes());
        mem.write(out, &stat)
    }

    pub(super) fn fd_fdstat_set_flags(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        flags: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get_mut(fd)?;
        entry.require(rights::FD_FDSTAT_SET_FLAGS)?;
        let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
        if flags & !fdflags::ALL != 0 {
            return Err(Errno::Inval);
        }
        let sync = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
        if flags & sync != entry.flags & sync {
            return Err(Errno::Notsup);
        }
        if let Kind::Socket(stream) = &entry.kind {
            stream.set_nonblocking(flags & fdflags::NONBLOCK != 0)?;
        }
        entry.flags = flags;
        Ok(())
    }

    pub(super) fn fd_fdstat_set_rights(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        base: u64,
        inheriting: u64,
    ) -> Result<(), Errno> {
        let entry = self.table.get_mut(fd)?;
        if base & !entry.base != 0 || inheriting & !entry.inheriting != 0 {
            return Err(Errno::Notcapable);
        }
        entry.base = base;
        entry.inheriting = inheriting;
        Ok(())
    }

    pub(super) fn fd_filestat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.with_rights(fd, rights::FD_FILESTAT_GET)?;
        mem.check(out, u64::from(size::FILESTAT))?;
        let stat = match &entry.kind {
            Kind::File(file) => filestat(&file.metadata()?),
            Kind::Dir { dir, .. } => filestat(&dir.dir_metadata()?),
            other => {
                let mut stat = [0u8; size::FILESTAT as usize];
                stat[16] = match other {
                    Kind::Stdin(input) => input.filetype(),
                    Kind::Output(output) => output.filetype(),
                    _ => filetype::SOCKET_STREAM,
                };
                stat
            }
        };
        mem.write(out, &stat)
    }

    pub(super) fn fd_filestat_set_size(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        size: u64,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::File(file) = &entry.kind else {
            return Err(match entry.kind {
                Kind::Dir { .. } => Errno::Isdir,
                _ => Errno::Inval,
            });
        };
        entry.require(rights::FD_FILESTAT_SET_SIZE)?;
        if size > i64::MAX as u64 {
            return Err(Errno::Fbig);
        }
        Ok(file.set_len(size)?)
    }

    pub(super) fn fd_filestat_set_times(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.with_rights(fd, rights::FD_FILESTAT_SET_TIMES)?;
        let (atime, mtime) = times(atim, mtim, fst_flags)?;
        let (atime, mtime) = (atime.map(|t| t.into_std()), mtime.map(|t| t.into_std()));
        match &entry.kind {
            Kind::File(file) => Ok(SetTimes::set_times(file, atime, mtime)?),
            Kind::Dir { dir, .. } => Ok(SetTimes::set_times(dir, atime, mtime)?),
            _ => Err(Errno::Badf),
        }
    }

    pub(super) fn fd_pread(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
        nread_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::File(file) = &entry.kind else {
            return Err(io_kind_error(&entry.kind, &Io::Read).unwrap_or(Errno::Spipe));
        };
        entry.require(rights::FD_READ | rights::FD_SEEK)?;
        mem.check(nread_out, 4)?;
        let total = mem.read_iovecs(iovs, iovs_len, |buf, done| {
            read_at(file, buf, offset.checked_add(done).ok_or(Errno::Inval)?)
        })?;
        mem.write_u32(nread_out, clamp_u32(total))
    }

    pub(super) fn fd_pwrite(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
        nwritten_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::File(file) = &entry.kind else {
            return Err(io_kind_error(&entry.kind, &Io::Write).unwrap_or(Errno::Spipe));
        };
        entry.require(rights::FD_WRITE | rights::FD_SEEK)?;
        mem.check(nwritten_out, 4)?;
        let total = mem.write_iovecs(iovs, iovs_len, |buf, done| {
            write_at(file, buf, offset.checked_add(done).ok_or(Errno::Inval)?)
        })?;
        mem.write_u32(nwritten_out, clamp_u32(total))
    }

    pub(super) fn fd_prestat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        out: u32,
    ) -> Result<(), Errno> {
        // wasi-libc finds the preopens by asking fd 3, 4, ... until `badf`: anything that
        // is not a preopened directory must answer `badf`.
        let Kind::Dir {
            preopen: Some(name),
            ..
        } = &self.table.get(fd)?.kind
        else {
            return Err(Errno::Badf);
        };
        let len = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
        let mut prestat = [0u8; size::PRESTAT as usize];
        prestat[0] = PREOPENTYPE_DIR;
        prestat[4..8].copy_from_slice(&len.to_le_bytes());
        mem.write(out, &prestat)
    }

    pub(super) fn fd_prestat_dir_name(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        path: u32,
        path_len: u32,
    ) -> Result<(), Errno> {
        let Kind::Dir {
            preopen: Some(name),
            ..
        } = &self.table.get(fd)?.kind
        else {
            return Err(Errno::Badf);
        };
        if (path_len as usize) < name.len() {
            return Err(Errno::Nametoolong);
        }
        mem.write(path, name.as_bytes())
    }

    pub(super) fn fd_read(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nread_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get_mut(fd)?;
        if let Some(e) = io_kind_error(&entry.kind, &Io::Read) {
            return Err(e);
        }
        entry.require(rights::FD_READ)?;
        mem.check(nread_out, 4)?;
        let kind = &mut entry.kind;
        let total = mem.read_iovecs(iovs, iovs_len, |buf, _| match kind {
            Kind::Stdin(input) => input.read(buf),
            Kind::File(file) => Ok(file.read(buf)?),
            Kind::Socket(stream) => Ok(stream.read(buf)?),
            _ => Err(Errno::Badf),
        })?;
        mem.write_u32(nread_out, clamp_u32(total))
    }

    pub(super) fn fd_write(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nwritten_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get_mut(fd)?;
        if let Some(e) = io_kind_error(&entry.kind, &Io::Write) {
            return Err(e);
        }
        entry.require(rights::FD_WRITE)?;
        mem.check_iovecs(iovs, iovs_len)?;
        mem.check(nwritten_out, 4)?;
        if let Kind::File(file) = &mut entry.kind
            && entry.flags & fdflags::APPEND != 0
        {
            file.seek(SeekFrom::End(0))?;
        }
        let kind = &mut entry.kind;
        let total = mem.write_iovecs(iovs, iovs_len, |buf, _| match kind {
            Kind::Output(output) => output.write_all(buf).map(|()| buf.len()),
            Kind::File(file) => Ok(file.write(buf)?),
            Kind::Socket(stream) => Ok(stream.write(buf)?),
            _ => Err(Errno::Badf),
        })?;
        mem.write_u32(nwritten_out, clamp_u32(total))
    }

    pub(super) fn fd_readdir(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        buf: u32,
        buf_len: u32,
        cookie: u64,
        bufused_out: u32,
    ) -> Result<(), Errno> {
        let entry = self.table.get(fd)?;
        let Kind::Dir { dir, .. } = &entry.kind else {
            return Err(Errno::Notdir);
        };
        entry.require(rights::FD_READDIR)?;
        mem.check(buf, u64::from(buf_len))?;
        mem.check(bufused_out, 4)?;
        #[cfg(unix)]
        let own_ino = {
            use cap_std::fs::MetadataExt;
            dir.dir_metadata()?.ino()
        };
        #[cfg(not(unix))]
        let own_ino = 0;
        let dots = [(".", own_ino), ("..", own_ino)]
            .into_iter()
            .map(|(name, ino)| Ok((name.as_bytes().to_vec(), ino, filetype::DIRECTORY)));
        let rest = dir.entries()?.map(|e| -> Result<_, Errno> {
            let e = e?;
            let ft = e.file_type()?;
            let ty = if ft.is_dir() {
                filetype::DIRECTORY
            } else if ft.is_file() {
                filetype::REGULAR_FILE
            } else if ft.is_symlink() {
                filetype::SYMBOLIC_LINK
            } else {
                filetype::UNKNOWN
            };
            #[cfg(unix)]
            let ino = std::os::unix::fs::DirEntryExt::ino(&e);
            #[cfg(not(unix))]
            let ino = 0;
            Ok((name_bytes(&e.file_name()), ino, ty))
        });
        let mut used: u32 = 0;
        let skip = usize::try_from(cookie).unwrap_or(usize::MAX);
        for (index, item) in dots.chain(rest).enumerate().skip(skip) {
            let (name, ino, ty) = item?;
            let namlen = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
            let mut header = [0u8; size::DIRENT as usize];
            header[0..8].copy_from_slice(&(index as u64 + 1).to_le_bytes());
            header[8..16].copy_from_slice(&ino.to_le_bytes());
            header[16..20].copy_from_slice(&namlen.to_le_bytes());
            header[20] = ty;
            // Copy what fits; a full buffer tells the guest to ask again from this cookie.
            for part in [&header[..], &name[..]] {
                let room = (buf_len - used) as usize;
                let n = part.len().min(room);
                mem.write(offset(buf, used)?, &part[..n])?;
                used += n as u32;
                if n < part.len() {
                    return mem.write_u32(bufused_out, buf_len);
                }
            }
        }
        mem.write_u32(bufused_out, used)
    }

    pub(super) fn fd_renumber(
        &mut self,
        _: &mut GuestMemory<'_>,
        fd: u32,
        to: u32,
    ) -> Result<(), Errno> {
        self.table.renumber(fd, to)
    }

    pub(super) fn fd_seek(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        offset: u64,
        whence: u32,
        newoffset_out: u32,
    ) -> Result<(), Errno> {
        let offset = offset as i64;
        let entry = self.table.get_mut(fd)?;
        let needed = if offset == 0 && whence == u32::from(whence::CUR) {
            rights::FD_TELL
        } else {
            rights::FD_SEEK | rights::FD_TELL
        };
        let Kind::File(file) = &mut entry.kind else {
            return Err(match entry.kind {
                Kind::Dir { .. } => Errno::Badf,
                _ => Errno::Spipe,
            });
        };
        if entry.base & needed != needed {
            return Err(Errno::Notcapable);
        }
        mem.check(newoffset_out, 8)?;
        let pos = match u8::try_from(whence) {
            Ok(whence::SET) => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
            Ok(whence::CUR) => SeekFrom::Current(offset),
            Ok(whence::END) => SeekFrom::End(offset),
            _ => return Err(Errno::Inval),
        };
        let new = file.seek(pos)?;
        mem.write_u64(newoffset_out, new)
    }

    pub(super) fn fd_tell(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        out: u32,
    ) -> Result<(), Errno> {
        self.fd_seek(mem, fd, 0, u32::from(whence::CUR), out)
    }

    pub(super) fn path_create_directory(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        path_ptr: u32,
        path_len: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
        let p = path(mem, path_ptr, path_len)?;
        Ok(dir.create_dir(p)?)
    }

    pub(super) fn path_filestat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        flags: u32,
        path_ptr: u32,
        path_len: u32,
        out: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_FILESTAT_GET)?;
        let p = path(mem, path_ptr, path_len)?;
        mem.check(out, u64::from(size::FILESTAT))?;
        let meta = if follow(flags)? {
            dir.metadata(p)?
        } else {
            dir.symlink_metadata(p)?
        };
        mem.write(out, &filestat(&meta))
    }

    pub(super) fn path_filestat_set_times(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        flags: u32,
        path_ptr: u32,
        path_len: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
        let p = path(mem, path_ptr, path_len)?;
        let (atime, mtime) = times(atim, mtim, fst_flags)?;
        if follow(flags)? {
            Ok(DirExt::set_times(dir, p, atime, mtime)?)
        } else {
            Ok(dir.set_symlink_times(p, atime, mtime)?)
        }
    }

    pub(super) fn path_link(
        &mut self,
        mem: &mut GuestMemory<'_>,
        old_fd: u32,
        old_flags: u32,
        old_path: u32,
        old_len: u32,
        new_fd: u32,
        new_path: u32,
        new_len: u32,
    ) -> Result<(), Errno> {
        let old_dir = self.table.dir(old_fd, rights::PATH_LINK_SOURCE)?;
        let new_dir = self.table.dir(new_fd, rights::PATH_LINK_TARGET)?;
        if follow(old_flags)? {
            return Err(Errno::Inval);
        }
        let old = path(mem, old_path, old_len)?;
        let new = path(mem, new_path, new_len)?;
        Ok(old_dir.hard_link(old, new_dir, new)?)
    }

    pub(super) fn path_open(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        dirflags: u32,
        path_ptr: u32,
        path_len: u32,
        oflags: u32,
        base: u64,
        inheriting: u64,
        fdflags: u32,
        fd_out: u32,
    ) -> Result<(), Errno> {
        let parent = self.table.get(fd)?;
        let Kind::Dir { dir, .. } = &parent.kind else {
            return Err(Errno::Notdir);
        };
        let o = u16::try_from(oflags).map_err(|_| Errno::Inval)?;
        let fdflags = u16::try_from(fdflags).map_err(|_| Errno::Inval)?;
        if o & !oflags::ALL != 0 || fdflags & !fdflags::ALL != 0 {
            return Err(Errno::Inval);
        }
        let mut needed = rights::PATH_OPEN;
        if o & oflags::CREAT != 0 {
            needed |= rights::PATH_CREATE_FILE;
        }
        if o & oflags::TRUNC != 0 {
            needed |= rights::PATH_FILESTAT_SET_SIZE;
        }
        parent.require(needed)?;
        if base & !parent.inheriting != 0 || inheriting & !parent.inheriting != 0 {
            return Err(Errno::Notcapable);
        }
        let p = path(mem, path_ptr, path_len)?;
        let follow = follow(dirflags)?;
        mem.check(fd_out, 4)?;

        let read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
        let write =
            base & (rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE) != 0;
        let kind = if o & oflags::DIRECTORY != 0 {
            if o & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0 {
                return Err(Errno::Inval);
            }
            if write {
                return Err(Errno::Isdir);
            }
            let sub = if follow {
                dir.open_dir(p)?
            } else {
                dir.open_dir_nofollow(p)?
            };
            Kind::Dir {
                dir: sub,
                preopen: None,
            }
        } else {
            open_file(dir, p, o, fdflags, read, write, follow)?
        };
        let base = base & applicable(&kind);
        let mut entry = Entry::new(kind, base, inheriting);
        entry.flags = fdflags;
        let new_fd = self.table.insert(entry)?;
        mem.write_u32(fd_out, new_fd)
    }

    pub(super) fn path_readlink(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        path_ptr: u32,
        path_len: u32,
        buf: u32,
        buf_len: u32,
        bufused_out: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_READLINK)?;
        let p = path(mem, path_ptr, path_len)?;
        mem.check(buf, u64::from(buf_len))?;
        mem.check(bufused_out, 4)?;
        let target = dir.read_link(p)?;
        let bytes = name_bytes(target.as_os_str());
        let n = bytes.len().min(buf_len as usize);
        mem.write(buf, &bytes[..n])?;
        mem.write_u32(bufused_out, n as u32)
    }

    pub(super) fn path_remove_directory(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        path_ptr: u32,
        path_len: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
        let p = path(mem, path_ptr, path_len)?;
        Ok(dir.remove_dir(p)?)
    }

    pub(super) fn path_rename(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        old_path: u32,
        old_len: u32,
        new_fd: u32,
        new_path: u32,
        new_len: u32,
    ) -> Result<(), Errno> {
        let old_dir = self.table.dir(fd, rights::PATH_RENAME_SOURCE)?;
        let new_dir = self.table.dir(new_fd, rights::PATH_RENAME_TARGET)?;
        let old = path(mem, old_path, old_len)?;
        let new = path(mem, new_path, new_len)?;
        Ok(old_dir.rename(old, new_dir, new)?)
    }

    pub(super) fn path_symlink(
        &mut self,
        mem: &mut GuestMemory<'_>,
        old_path: u32,
        old_len: u32,
        fd: u32,
        new_path: u32,
        new_len: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_SYMLINK)?;
        let target = path(mem, old_path, old_len)?;
        let link = path(mem, new_path, new_len)?;
        Ok(dir.symlink(target, link)?)
    }

    pub(super) fn path_unlink_file(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: u32,
        path_ptr: u32,
        path_len: u32,
    ) -> Result<(), Errno> {
        let dir = self.table.dir(fd, rights::PATH_UNLINK_FILE)?;
        let p = path(mem, path_ptr, path_len)?;
        Ok(dir.remove_file(p)?)
    }
}

/// Opens `p` beneath `dir` as `path_open` asks (without `directory`): a file, or a
/// directory when that is what the path names and no write access was asked for.
fn open_file(
    dir: &Dir,
    p: &str,
    o: u16,
    fdflags: u16,
    read: bool,
    write: bool,
    follow: bool,
) -> Result<Kind, Errno> {
    let creat = o & oflags::CREAT != 0;
    let excl = o & oflags::EXCL != 0;
    let trunc = o & oflags::TRUNC != 0;
    let link_rule = if follow {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    };
    if (creat || trunc) && !write {
        // POSIX allows creating or truncating through a read-only descriptor; the host
        // API does not, so do that part with a short-lived writable open first.
        let mut prepare = OpenOptions::new();
        prepare
            .write(true)
            .create(creat && !excl)
            .create_new(creat && excl)
            .truncate(trunc)
            .follow(link_rule);
        drop(dir.open_with(p, &prepare)?);
    }
    let mut opts = OpenOptions::new();
    opts.read(read || !write)
        .write(write)
        .follow(link_rule)
        .maybe_dir(!write)
        .dsync(fdflags & fdflags::DSYNC != 0)
        .rsync(fdflags & fdflags::RSYNC != 0)
        .sync(fdflags & fdflags::SYNC != 0);
    if write {
        opts.create(creat && !excl)
            .create_new(creat && excl)
            .truncate(trunc);
    }
    let file = dir.open_with(p, &opts)?;
    if file.metadata()?.is_dir() {
        if write {
            return Err(Errno::Isdir);
        }
        return Ok(Kind::Dir {
            dir: Dir::from_std_file(file.into_std()),
            preopen: None,
        });
    }
    Ok(Kind::File(file))
}

/// The bytes of a host name or path as the guest sees them.
fn name_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        s.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> Result<usize, Errno> {
    Ok(cap_std::fs::FileExt::read_at(file, buf, at)?)
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], at: u64) -> Result<usize, Errno> {
    Ok(cap_std::fs::FileExt::write_at(file, buf, at)?)
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> Result<usize, Errno> {
    Err(Errno::Notsup)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> Result<usize, Errno> {
    Err(Errno::Notsup)
}

#[cfg(unix)]
fn sync_dir(dir: &Dir) -> Result<(), Errno> {
    rustix::fs::fsync(dir).map_err(super::types::from_os_errno)
}

#[cfg(not(unix))]
fn sync_dir(_: &Dir) -> Result<(), Errno> {
    Ok(())
}
