//! Standard input, output and error: the process's own, or readers and writers the embedder
//! supplies (a buffer to capture output, a pipe, bytes to feed as input).

use super::types::{Errno, filetype};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

/// Where the guest's standard input comes from.
pub enum Input {
    /// The process's stdin. Readiness for `poll_oneoff` is asked of the OS.
    Inherit,
    /// A reader the embedder supplies; always ready (a read may still block).
    Reader(Box<dyn Read + Send>),
}

/// Where the guest's standard output or error goes.
pub enum Output {
    /// The process's stdout.
    Stdout,
    /// The process's stderr.
    Stderr,
    /// A writer the embedder supplies.
    Writer(Box<dyn Write + Send>),
}

impl Input {
    /// No input: reads return end of file at once.
    pub fn empty() -> Input {
        Input::Reader(Box::new(std::io::empty()))
    }

    /// Reads into `buf`.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        let r = match self {
            Input::Inherit => std::io::stdin().lock().read(buf),
            Input::Reader(r) => r.read(buf),
        };
        r.map_err(Errno::from)
    }

    /// The file type the guest sees: the real one for the process's stdin (a terminal is a
    /// character device, a redirected file a regular file), `unknown` for a reader.
    pub(crate) fn filetype(&self) -> u8 {
        match self {
            Input::Inherit => host_filetype(&std::io::stdin()),
            Input::Reader(_) => filetype::UNKNOWN,
        }
    }
}

impl Output {
    /// Nowhere: writes succeed and are dropped.
    pub fn sink() -> Output {
        Output::Writer(Box::new(std::io::sink()))
    }

    /// Writes all of `buf` and flushes, so that the guest's own buffering is the only one
    /// and stdout and stderr stay in the order the guest wrote them.
    pub(crate) fn write_all(&mut self, buf: &[u8]) -> Result<(), Errno> {
        let r = match self {
            Output::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(buf).and_then(|()| out.flush())
            }
            Output::Stderr => {
                let mut out = std::io::stderr().lock();
                out.write_all(buf).and_then(|()| out.flush())
            }
            Output::Writer(w) => w.write_all(buf).and_then(|()| w.flush()),
        };
        r.map_err(Errno::from)
    }

    /// The file type the guest sees (as for [`Input::filetype`]).
    pub(crate) fn filetype(&self) -> u8 {
        match self {
            Output::Stdout => host_filetype(&std::io::stdout()),
            Output::Stderr => host_filetype(&std::io::stderr()),
            Output::Writer(_) => filetype::UNKNOWN,
        }
    }
}

/// The WASI file type of one of the process's standard streams.
#[cfg(unix)]
fn host_filetype(fd: &impl std::os::fd::AsFd) -> u8 {
    use rustix::fs::FileType;
    match rustix::fs::fstat(fd) {
        Ok(st) => match FileType::from_raw_mode(st.st_mode) {
            FileType::RegularFile => filetype::REGULAR_FILE,
            FileType::Directory => filetype::DIRECTORY,
            FileType::CharacterDevice => filetype::CHARACTER_DEVICE,
            FileType::BlockDevice => filetype::BLOCK_DEVICE,
            FileType::Socket => filetype::SOCKET_STREAM,
            _ => filetype::UNKNOWN,
        },
        Err(_) => filetype::UNKNOWN,
    }
}

#[cfg(not(unix))]
fn host_filetype<F>(_: &F) -> u8 {
    filetype::CHARACTER_DEVICE
}

/// A growable byte buffer shared between the embedder and the guest's output: clone it,
/// hand one clone to [`WasiCtxBuilder::stdout`](super::WasiCtxBuilder::stdout), read the
/// other with [`contents`](SharedBuffer::contents).
#[derive(Clone, Default)]
pub struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    /// An empty buffer.
    pub fn new() -> SharedBuffer {
        SharedBuffer::default()
    }
    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        match self.0.lock() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut v = match self.0.lock() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        };
        v.try_reserve(buf.len())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
        v.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
