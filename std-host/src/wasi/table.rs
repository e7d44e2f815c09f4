//! The descriptor table: what each guest file descriptor number stands for, with the
//! rights it carries.
//!
//! Decided here:
//! - Numbers 0, 1, 2 are stdin, stdout and stderr; preopened directories follow from 3 in
//!   the order they were given, then preopened sockets. A new descriptor takes the lowest
//!   free number, as POSIX `open` does.
//! - Rights are honoured: every operation names the right it needs, and a descriptor
//!   without it gets `notcapable`. Preopened directories carry every right that applies to
//!   a directory, and every right as inheriting rights; files opened beneath them get the
//!   rights the guest asked for, which must be within the directory's inheriting rights
//!   (else `notcapable`), less those that cannot apply to what was opened.
//! - `append` is kept here and applied on each write (the file is positioned at its end
//!   first), so `fd_fdstat_set_flags` can turn it on and off portably.

use super::stdio::{Input, Output};
use super::types::{Errno, rights};
use cap_std::fs::{Dir, File};
use std::net::{TcpListener, TcpStream};

/// What a descriptor refers to.
pub enum Kind {
    /// Standard input.
    Stdin(Input),
    /// Standard output or error.
    Output(Output),
    /// A file opened beneath a preopened directory.
    File(File),
    /// A directory: preopened (with its guest name) or opened beneath one.
    Dir {
        /// The directory, as a capability: paths resolve beneath it.
        dir: Dir,
        /// The name the guest knows a preopened directory by.
        preopen: Option<String>,
    },
    /// A listening socket the embedder preopened.
    Listener(TcpListener),
    /// A connection accepted on a listener.
    Socket(TcpStream),
}

/// One open descriptor.
pub struct Entry {
    /// What it refers to.
    pub kind: Kind,
    /// Rights for operations on this descriptor.
    pub base: u64,
    /// Rights that descriptors opened through this one may have.
    pub inheriting: u64,
    /// `fdflags` (`append`, `nonblock`, and the sync flags given at open).
    pub flags: u16,
}

impl Entry {
    /// A descriptor with the given rights and no flags.
    pub fn new(kind: Kind, base: u64, inheriting: u64) -> Entry {
        Entry {
            kind,
            base,
            inheriting,
            flags: 0,
        }
    }

    /// Checks that this descriptor has every right in `needed`.
    ///
    /// # Errors
    /// `notcapable` otherwise.
    pub fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }
}

/// The guest's descriptors, by number.
#[derive(Default)]
pub struct Table {
    entries: Vec<Option<Entry>>,
}

impl Table {
    /// The descriptor `fd`.
    ///
    /// # Errors
    /// `badf` when it is not open.
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.entries
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    /// The descriptor `fd`, writable.
    ///
    /// # Errors
    /// `badf` when it is not open.
    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.entries
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// The descriptor `fd`, which must have the rights `needed`.
    ///
    /// # Errors
    /// `badf` when it is not open, `notcapable` when a right is missing.
    pub fn with_rights(&self, fd: u32, needed: u64) -> Result<&Entry, Errno> {
        let entry = self.get(fd)?;
        entry.require(needed)?;
        Ok(entry)
    }

    /// The directory `fd`, which must have the rights `needed`.
    ///
    /// # Errors
    /// `badf` when it is not open, `notdir` when it is not a directory, `notcapable` when
    /// a right is missing.
    pub fn dir(&self, fd: u32, needed: u64) -> Result<&Dir, Errno> {
        let entry = self.get(fd)?;
        let Kind::Dir { dir, .. } = &entry.kind else {
            return Err(Errno::Notdir);
        };
        entry.require(needed)?;
        Ok(dir)
    }

    /// Places `entry` under the lowest free number.
    ///
    /// # Errors
    /// `mfile` when every `u32` number is taken (never in practice).
    pub fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        let free = self.entries.iter().position(Option::is_none);
        let index = match free {
            Some(i) => {
                self.entries[i] = Some(entry);
                i
            }
            None => {
                self.entries.push(Some(entry));
                self.entries.len() - 1
            }
        };
        u32::try_from(index).map_err(|_| Errno::Mfile)
    }

    /// Closes `fd`, returning what it referred to.
    ///
    /// # Errors
    /// `badf` when it is not open.
    pub fn remove(&mut self, fd: u32) -> Result<Entry, Errno> {
        self.entries
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)
    }

    /// Moves `from` to `to`, closing what `to` was. Both must be open.
    ///
    /// # Errors
    /// `badf` when either is not open.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from != to {
            let entry = self.remove(from)?;
            self.entries[to as usize] = Some(entry);
        }
        Ok(())
    }

    /// Whether no descriptor is open (for tests).
    pub fn open_count(&self) -> usize {
        self.entries.iter().filter(|e| e.is_some()).count()
    }
}

/// The rights a newly opened descriptor of this kind can use at all.
pub fn applicable(kind: &Kind) -> u64 {
    match kind {
        Kind::Dir { .. } => rights::DIRECTORY,
        Kind::File(_) => rights::REGULAR_FILE,
        Kind::Stdin(_) | Kind::Output(_) => rights::STREAM,
        Kind::Listener(_) => rights::LISTENER,
        Kind::Socket(_) => rights::SOCKET,
    }
}
