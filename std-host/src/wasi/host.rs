//! The link between Folio's [`Linker`] and the WASI functions: one list of every function
//! with its Wasm signature, from which both the registration and [`FUNCTION_NAMES`] come.

use super::WasiCtx;
use super::memory::GuestMemory;
use super::types::Errno;
use folio::{Caller, Error, Extern, FuncType, Linker, Val, ValType};

/// The import module name.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// One parameter of a WASI function as the Wasm signature has it.
trait Param: Sized {
    const TYPE: ValType;
    fn from_val(v: &Val) -> Option<Self>;
}

impl Param for u32 {
    const TYPE: ValType = ValType::I32;
    fn from_val(v: &Val) -> Option<u32> {
        match v {
            Val::I32(x) => Some(*x as u32),
            _ => None,
        }
    }
}

impl Param for u64 {
    const TYPE: ValType = ValType::I64;
    fn from_val(v: &Val) -> Option<u64> {
        match v {
            Val::I64(x) => Some(*x as u64),
            _ => None,
        }
    }
}

/// Argument `i` of `args`. The linker checks arguments against the signature before a
/// host function runs, so a mismatch cannot happen; it would be `inval`, not a panic.
fn arg<P: Param>(args: &[Val], i: usize) -> Result<P, Errno> {
    args.get(i).and_then(P::from_val).ok_or(Errno::Inval)
}

/// A WASI function: its name, parameter types, and the call that reads its arguments.
pub(super) struct Def {
    pub(super) name: &'static str,
    pub(super) params: &'static [ValType],
    pub(super) call: fn(&mut WasiCtx, &mut GuestMemory<'_>, &[Val]) -> Result<(), Errno>,
}

/// Lists every function returning an errno, as `name(param: type, ...)`; each is the
/// method of the same name on [`WasiCtx`], taking the guest memory and the parameters.
macro_rules! functions {
    ($($name:ident($($p:ident: $t:ty),* $(,)?);)*) => {
        pub(super) const FUNCTIONS: &[Def] = &[$(
            Def {
                name: stringify!($name),
                params: &[$(<$t as Param>::TYPE),*],
                call: |ctx, mem, _args| {
                    let mut _i = 0;
                    $(
                        let $p: $t = arg(_args, _i)?;
                        _i += 1;
                    )*
                    ctx.$name(mem, $($p),*)
                },
            },
        )*];

        /// The name of every function of `wasi_snapshot_preview1` Folio provides.
        pub const FUNCTION_NAMES: &[&str] = &[$(stringify!($name),)* "proc_exit"];
    };
}

functions! {
    args_get(argv: u32, argv_buf: u32);
    args_sizes_get(argc_out: u32, size_out: u32);
    environ_get(environ: u32, environ_buf: u32);
    environ_sizes_get(count_out: u32, size_out: u32);
    clock_res_get(id: u32, out: u32);
    clock_time_get(id: u32, precision: u64, out: u32);
    fd_advise(fd: u32, offset: u64, len: u64, advice: u32);
    fd_allocate(fd: u32, offset: u64, len: u64);
    fd_close(fd: u32);
    fd_datasync(fd: u32);
    fd_fdstat_get(fd: u32, out: u32);
    fd_fdstat_set_flags(fd: u32, flags: u32);
    fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64);
    fd_filestat_get(fd: u32, out: u32);
    fd_filestat_set_size(fd: u32, size: u64);
    fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst_flags: u32);
    fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread_out: u32);
    fd_prestat_get(fd: u32, out: u32);
    fd_prestat_dir_name(fd: u32, path: u32, path_len: u32);
    fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten_out: u32);
    fd_read(fd: u32, iovs: u32, iovs_len: u32, nread_out: u32);
    fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused_out: u32);
    fd_renumber(fd: u32, to: u32);
    fd_seek(fd: u32, offset: u64, whence: u32, newoffset_out: u32);
    fd_sync(fd: u32);
    fd_tell(fd: u32, out: u32);
    fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten_out: u32);
    path_create_directory(fd: u32, path: u32, path_len: u32);
    path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, out: u32);
    path_filestat_set_times(
        fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32,
    );
    path_link(
        old_fd: u32, old_flags: u32, old_path: u32, old_len: u32,
        new_fd: u32, new_path: u32, new_len: u32,
    );
    path_open(
        fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32,
        base: u64, inheriting: u64, fdflags: u32, fd_out: u32,
    );
    path_readlink(fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused_out: u32);
    path_remove_directory(fd: u32, path: u32, path_len: u32);
    path_rename(fd: u32, old_path: u32, old_len: u32, new_fd: u32, new_path: u32, new_len: u32);
    path_symlink(old_path: u32, old_len: u32, fd: u32, new_path: u32, new_len: u32);
    path_unlink_file(fd: u32, path: u32, path_len: u32);
    poll_oneoff(subs: u32, events: u32, nsubscriptions: u32, nevents_out: u32);
    proc_raise(signal: u32);
    sched_yield();
    random_get(buf: u32, buf_len: u32);
    sock_accept(fd: u32, flags: u32, fd_out: u32);
    sock_recv(
        fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, datalen_out: u32, flags_out: u32,
    );
    sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, datalen_out: u32);
    sock_shutdown(fd: u32, how: u32);
}

/// Runs `f` with the guest's exported memory `memory` (an empty one when the caller exports
/// none, so every pointer is `fault`) and its WASI context.
fn with_memory<T, R>(
    caller: &mut Caller<'_, T>,
    ctx_of: fn(&mut T) -> &mut WasiCtx,
    f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> R,
) -> R {
    if let Some(Extern::Memory(memory)) = caller.get_export("memory")
        && let Ok((bytes, data)) = memory.data_and_store_mut(caller.store_mut())
    {
        return f(ctx_of(data), &mut GuestMemory::new(bytes));
    }
    f(ctx_of(caller.data_mut()), &mut GuestMemory::new(&mut []))
}

/// Defines every function of `wasi_snapshot_preview1` in `linker`. `ctx_of` finds the
/// [`WasiCtx`] in the store's host data (`|ctx: &mut WasiCtx| ctx` when the data is the
/// context itself).
///
/// # Errors
/// A name of `wasi_snapshot_preview1` is defined in `linker` already (and shadowing is
/// not allowed).
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    ctx_of: fn(&mut T) -> &mut WasiCtx,
) -> Result<(), Error> {
    for def in FUNCTIONS {
        let call = def.call;
        let ty = FuncType::new(def.params.iter().copied(), [ValType::I32]);
        linker.func_new(MODULE, def.name, ty, move |mut caller, args, results| {
            let outcome = with_memory(&mut caller, ctx_of, |ctx, mem| call(ctx, mem, args));
            let errno = match outcome {
                Ok(()) => Errno::Success,
                Err(e) => e,
            };
            if let Some(result) = results.first_mut() {
                *result = Val::I32(i32::from(errno as u16));
            }
            Ok(())
        })?;
    }
    let ty = FuncType::new([ValType::I32], []);
    linker.func_new(MODULE, "proc_exit", ty, |_, args, _| {
        let status = arg::<u32>(args, 0).unwrap_or(0);
        Err(Error::i32_exit(status as i32))
    })?;
    Ok(())
}
