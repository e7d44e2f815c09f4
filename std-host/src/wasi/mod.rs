//! WASI preview 1 (`wasi_snapshot_preview1`) for Folio: what C programs built against
//! wasi-libc and Rust programs built for `wasm32-wasip1` import.
//!
//! ```no_run
//! use folio::{Engine, Linker, Module, Store};
//! use folio_host::wasi::{self, WasiCtx};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Engine::default();
//! let module = Module::new(&engine, &std::fs::read("hello.wasm")?)?;
//! let ctx = WasiCtx::builder()
//!     .arg("hello.wasm")
//!     .env("LANG", "C")
//!     .preopened_dir("/tmp/data", "/data")?
//!     .inherit_stdio()
//!     .build();
//! let mut store = Store::new(&engine, ctx);
//! let mut linker = Linker::new();
//! wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_func(&store, "_start").ok_or("no _start")?;
//! match start.call(&mut store, &[], &mut []) {
//!     Ok(()) => {}
//!     Err(e) => match e.as_trap().and_then(|t| t.exit_status()) {
//!         Some(status) => println!("exited with {status}"),
//!         None => return Err(e.into()),
//!     },
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What is decided here
//!
//! - **Every function of preview 1** is provided (46, listed in [`FUNCTION_NAMES`]).
//!   Semantics and errno values follow the preview-1 document (WebAssembly/WASI,
//!   `legacy/preview1/docs.md`); where it is silent, wasmtime's behaviour. A function never
//!   traps: whatever goes wrong is an errno. The one exception is `proc_exit`, which ends
//!   the call with [`Error::i32_exit`](folio::Error::i32_exit) carrying the status.
//! - **The sandbox is cap-std's.** Every path a guest names is resolved by
//!   [`cap_std::fs::Dir`] beneath the directory descriptor it is relative to: `..` past
//!   the top, absolute paths, and symbolic links whose target lies outside (absolute,
//!   relative, chained, to a parent) fail, with `perm` where cap-std detects the escape.
//!   Creating a symbolic link with an absolute target, and reading one (`path_readlink`),
//!   are refused as in wasmtime, so host paths never reach the guest. Hard links and
//!   renames name both ends relative to directory descriptors, so both ends stay inside.
//!   No path is ever resolved by code in this crate.
//! - **Guest pointers** are checked by [`memory::GuestMemory`] before anything happens:
//!   out of range is `fault`, with nothing written and host state unchanged; invalid UTF-8
//!   in a path is `ilseq`. A module that exports no memory named `memory` can still call
//!   the functions that take no pointer (`fd_close`, `sched_yield`, `proc_exit`, ...);
//!   every pointer it passes is `fault`.
//! - **Rights** are honoured (see [`table`]): a descriptor without the right an operation
//!   needs gets `notcapable`; `fd_fdstat_set_rights` can only drop rights.
//! - **Stdio**: by default stdin is empty and stdout/stderr discard what is written (as
//!   wasmtime's builder does); [`WasiCtxBuilder::inherit_stdio`] gives the process's own,
//!   and [`WasiCtxBuilder::stdin`]/[`stdout`](WasiCtxBuilder::stdout)/
//!   [`stderr`](WasiCtxBuilder::stderr) take any reader or writer.
//! - **Exit**: `proc_exit(n)` ends the program with status `n` (any `u32`, passed on as
//!   `i32` bits). The `folio` command turns it into its own exit status (see
//!   [`crate::cli`]).
//! - **Clocks**: realtime is the host's wall clock; monotonic counts from when the context
//!   was built; process and thread CPU time are the host's (`clock_gettime`).
//!   `random_get` reads the host's OS random source.
//! - **Not supportable here** (the documented errno, never a trap): `proc_raise` is
//!   `nosys` (wasi-libc emulates signals inside the guest); `fd_advise` only checks its
//!   arguments (advice is a hint). Sockets exist only as listeners the embedder preopens
//!   ([`WasiCtxBuilder::preopened_listener`]) and the connections accepted on them.

mod fs;
mod host;
pub mod memory;
mod poll;
mod process;
mod sock;
pub mod stdio;
pub mod table;
pub mod types;

#[cfg(test)]
mod tests;

pub use host::{FUNCTION_NAMES, MODULE, add_to_linker};
pub use stdio::{Input, Output, SharedBuffer};
pub use types::Errno;

use cap_std::ambient_authority;
use cap_std::fs::Dir;
use std::ffi::OsStr;
use std::net::TcpListener;
use std::path::Path;
use std::time::Instant;
use table::{Entry, Kind, Table};
use types::rights;

/// Everything a guest's WASI calls act on: arguments, environment, descriptors, clocks.
/// Keep it in the store's host data and give [`add_to_linker`] the way to reach it.
pub struct WasiCtx {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    table: Table,
    /// The origin of the monotonic clock.
    start: Instant,
}

impl WasiCtx {
    /// A builder with no arguments, no environment, no preopened directories, empty stdin
    /// and discarding stdout/stderr.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// The descriptor table (for embedders that inspect or add descriptors).
    pub fn table(&mut self) -> &mut Table {
        &mut self.table
    }
}

/// Builds a [`WasiCtx`].
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    dirs: Vec<(Dir, String)>,
    listeners: Vec<TcpListener>,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            stdin: Input::empty(),
            stdout: Output::sink(),
            stderr: Output::sink(),
            dirs: Vec::new(),
            listeners: Vec::new(),
        }
    }
}

/// The bytes of an OS string as the guest sees them (on Unix, exactly the OS's bytes).
fn os_bytes(s: &OsStr) -> Vec<u8> {
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

impl WasiCtxBuilder {
    /// Appends one argument (the first is the program's name, `argv[0]`).
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(os_bytes(arg.as_ref()));
        self
    }
    /// Appends arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Self {
        for a in args {
            self = self.arg(a);
        }
        self
    }
    /// Adds the environment variable `name=value`.
    pub fn env(mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        let mut entry = os_bytes(name.as_ref());
        entry.push(b'=');
        entry.extend_from_slice(&os_bytes(value.as_ref()));
        self.env.push(entry);
        self
    }
    /// Adds every variable of the host process's environment.
    pub fn inherit_env(mut self) -> Self {
        for (name, value) in std::env::vars_os() {
            self = self.env(name, value);
        }
        self
    }
    /// Standard input from `reader`.
    pub fn stdin(mut self, reader: impl std::io::Read + Send + 'static) -> Self {
        self.stdin = Input::Reader(Box::new(reader));
        self
    }
    /// Standard output to `writer`.
    pub fn stdout(mut self, writer: impl std::io::Write + Send + 'static) -> Self {
        self.stdout = Output::Writer(Box::new(writer));
        self
    }
    /// Standard error to `writer`.
    pub fn stderr(mut self, writer: impl std::io::Write + Send + 'static) -> Self {
        self.stderr = Output::Writer(Box::new(writer));
        self
    }
    /// The process's own stdin, stdout and stderr.
    pub fn inherit_stdio(mut self) -> Self {
        self.stdin = Input::Inherit;
        self.stdout = Output::Stdout;
        self.stderr = Output::Stderr;
        self
    }
    /// Makes the host directory `host` visible to the guest as `guest` (e.g. `/data` or
    /// `.`): the guest can reach what lies beneath it and nothing else.
    ///
    /// # Errors
    /// The host directory cannot be opened (missing, not a directory, no permission).
    pub fn preopened_dir(
        mut self,
        host: impl AsRef<Path>,
        guest: impl Into<String>,
    ) -> std::io::Result<Self> {
        let dir = Dir::open_ambient_dir(host.as_ref(), ambient_authority())?;
        self.dirs.push((dir, guest.into()));
        Ok(self)
    }
    /// A listening TCP socket the guest can `sock_accept` on (it follows the preopened
    /// directories in descriptor numbering).
    pub fn preopened_listener(mut self, listener: TcpListener) -> Self {
        self.listeners.push(listener);
        self
    }
    /// The context.
    pub fn build(self) -> WasiCtx {
        let mut table = Table::default();
        // Inserting into an empty table yields 0, 1, 2, ... in order; the table only
        // refuses past u32::MAX descriptors.
        let stdio = [
            (Kind::Stdin(self.stdin), rights::STREAM & !rights::FD_WRITE),
            (Kind::Output(self.stdout), rights::STREAM & !rights::FD_READ),
            (Kind::Output(self.stderr), rights::STREAM & !rights::FD_READ),
        ];
        for (kind, base) in stdio {
            let _ = table.insert(Entry::new(kind, base, 0));
        }
        for (dir, name) in self.dirs {
            let kind = Kind::Dir {
                dir,
                preopen: Some(name),
            };
            let _ = table.insert(Entry::new(kind, rights::DIRECTORY, rights::ALL));
        }
        for listener in self.listeners {
            let kind = Kind::Listener(listener);
            let _ = table.insert(Entry::new(kind, rights::LISTENER, rights::SOCKET));
        }
        WasiCtx {
            args: self.args,
            env: self.env,
            table,
            start: Instant::now(),
        }
    }
}
