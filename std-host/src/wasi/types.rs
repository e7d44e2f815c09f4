//! The numbers of `wasi_snapshot_preview1`: errno values, rights, flags, file types and the
//! byte layouts of the structures guests pass, as the preview-1 witx defines them
//! (`legacy/preview1/witx/typenames.witx` of WebAssembly/WASI; wasi-libc's `wasi/api.h`
//! asserts the same sizes and offsets).

use std::fmt;

/// Declares [`Errno`] once: variant, witx name, value.
macro_rules! errnos {
    ($($variant:ident $name:literal = $value:literal,)*) => {
        /// An error code returned to the guest (`errno`, 16 bits). `Success` is never an
        /// error: functions return `Result<_, Errno>` and success is `Ok`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        #[allow(missing_docs)]
        pub enum Errno {
            $($variant = $value,)*
        }

        impl Errno {
            /// The witx name, e.g. `badf`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Errno::$variant => $name,)*
                }
            }
            /// The errno with this value.
            pub fn from_u16(value: u16) -> Option<Errno> {
                match value {
                    $($value => Some(Errno::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    Success "success" = 0,
    TooBig "2big" = 1,
    Acces "acces" = 2,
    Addrinuse "addrinuse" = 3,
    Addrnotavail "addrnotavail" = 4,
    Afnosupport "afnosupport" = 5,
    Again "again" = 6,
    Already "already" = 7,
    Badf "badf" = 8,
    Badmsg "badmsg" = 9,
    Busy "busy" = 10,
    Canceled "canceled" = 11,
    Child "child" = 12,
    Connaborted "connaborted" = 13,
    Connrefused "connrefused" = 14,
    Connreset "connreset" = 15,
    Deadlk "deadlk" = 16,
    Destaddrreq "destaddrreq" = 17,
    Dom "dom" = 18,
    Dquot "dquot" = 19,
    Exist "exist" = 20,
    Fault "fault" = 21,
    Fbig "fbig" = 22,
    Hostunreach "hostunreach" = 23,
    Idrm "idrm" = 24,
    Ilseq "ilseq" = 25,
    Inprogress "inprogress" = 26,
    Intr "intr" = 27,
    Inval "inval" = 28,
    Io "io" = 29,
    Isconn "isconn" = 30,
    Isdir "isdir" = 31,
    Loop "loop" = 32,
    Mfile "mfile" = 33,
    Mlink "mlink" = 34,
    Msgsize "msgsize" = 35,
    Multihop "multihop" = 36,
    Nametoolong "nametoolong" = 37,
    Netdown "netdown" = 38,
    Netreset "netreset" = 39,
    Netunreach "netunreach" = 40,
    Nfile "nfile" = 41,
    Nobufs "nobufs" = 42,
    Nodev "nodev" = 43,
    Noent "noent" = 44,
    Noexec "noexec" = 45,
    Nolck "nolck" = 46,
    Nolink "nolink" = 47,
    Nomem "nomem" = 48,
    Nomsg "nomsg" = 49,
    Noprotoopt "noprotoopt" = 50,
    Nospc "nospc" = 51,
    Nosys "nosys" = 52,
    Notconn "notconn" = 53,
    Notdir "notdir" = 54,
    Notempty "notempty" = 55,
    Notrecoverable "notrecoverable" = 56,
    Notsock "notsock" = 57,
    Notsup "notsup" = 58,
    Notty "notty" = 59,
    Nxio "nxio" = 60,
    Overflow "overflow" = 61,
    Ownerdead "ownerdead" = 62,
    Perm "perm" = 63,
    Pipe "pipe" = 64,
    Proto "proto" = 65,
    Protonosupport "protonosupport" = 66,
    Prototype "prototype" = 67,
    Range "range" = 68,
    Rofs "rofs" = 69,
    Spipe "spipe" = 70,
    Srch "srch" = 71,
    Stale "stale" = 72,
    Timedout "timedout" = 73,
    Txtbsy "txtbsy" = 74,
    Xdev "xdev" = 75,
    Notcapable "notcapable" = 76,
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), *self as u16)
    }
}

impl std::error::Error for Errno {}

impl From<std::io::Error> for Errno {
    /// The errno of a host I/O error: the OS's own errno where there is one (translated
    /// number by number), otherwise by kind. cap-std reports a path that would leave its
    /// directory as `PermissionDenied` without an OS errno: that becomes `perm`, as in
    /// wasmtime.
    fn from(e: std::io::Error) -> Errno {
        #[cfg(unix)]
        if let Some(raw) = e.raw_os_error() {
            return from_os_errno(rustix::io::Errno::from_raw_os_error(raw));
        }
        use std::io::ErrorKind as K;
        match e.kind() {
            K::NotFound => Errno::Noent,
            K::PermissionDenied => Errno::Perm,
            K::ConnectionRefused => Errno::Connrefused,
            K::ConnectionReset => Errno::Connreset,
            K::ConnectionAborted => Errno::Connaborted,
            K::NotConnected => Errno::Notconn,
            K::AddrInUse => Errno::Addrinuse,
            K::AddrNotAvailable => Errno::Addrnotavail,
            K::BrokenPipe => Errno::Pipe,
            K::AlreadyExists => Errno::Exist,
            K::WouldBlock => Errno::Again,
            K::InvalidInput => Errno::Inval,
            K::InvalidData => Errno::Ilseq,
            K::TimedOut => Errno::Timedout,
            K::Interrupted => Errno::Intr,
            K::Unsupported => Errno::Notsup,
            K::OutOfMemory => Errno::Nomem,
            K::NotADirectory => Errno::Notdir,
            K::IsADirectory => Errno::Isdir,
            K::DirectoryNotEmpty => Errno::Notempty,
            K::ReadOnlyFilesystem => Errno::Rofs,
            K::StorageFull => Errno::Nospc,
            K::FileTooLarge => Errno::Fbig,
            K::ResourceBusy => Errno::Busy,
            K::Deadlock => Errno::Deadlk,
            K::CrossesDevices => Errno::Xdev,
            K::TooManyLinks => Errno::Mlink,
            K::InvalidFilename => Errno::Nametoolong,
            K::ArgumentListTooLong => Errno::TooBig,
            K::NotSeekable => Errno::Spipe,
            K::HostUnreachable => Errno::Hostunreach,
            K::NetworkUnreachable => Errno::Netunreach,
            K::NetworkDown => Errno::Netdown,
            _ => Errno::Io,
        }
    }
}

/// The WASI errno of a host OS errno.
#[cfg(unix)]
pub fn from_os_errno(e: rustix::io::Errno) -> Errno {
    use rustix::io::Errno as E;
    match e {
        E::TOOBIG => Errno::TooBig,
        E::ACCESS => Errno::Acces,
        E::ADDRINUSE => Errno::Addrinuse,
        E::ADDRNOTAVAIL => Errno::Addrnotavail,
        E::AFNOSUPPORT => Errno::Afnosupport,
        E::AGAIN => Errno::Again,
        E::ALREADY => Errno::Already,
        E::BADF => Errno::Badf,
        E::BADMSG => Errno::Badmsg,
        E::BUSY => Errno::Busy,
        E::CANCELED => Errno::Canceled,
        E::CHILD => Errno::Child,
        E::CONNABORTED => Errno::Connaborted,
        E::CONNREFUSED => Errno::Connrefused,
        E::CONNRESET => Errno::Connreset,
        E::DEADLK => Errno::Deadlk,
        E::DESTADDRREQ => Errno::Destaddrreq,
        E::DOM => Errno::Dom,
        E::DQUOT => Errno::Dquot,
        E::EXIST => Errno::Exist,
        E::FAULT => Errno::Fault,
        E::FBIG => Errno::Fbig,
        E::HOSTUNREACH => Errno::Hostunreach,
        E::IDRM => Errno::Idrm,
        E::ILSEQ => Errno::Ilseq,
        E::INPROGRESS => Errno::Inprogress,
        E::INTR => Errno::Intr,
        E::INVAL => Errno::Inval,
        E::IO => Errno::Io,
        E::ISCONN => Errno::Isconn,
        E::ISDIR => Errno::Isdir,
        E::LOOP => Errno::Loop,
        E::MFILE => Errno::Mfile,
        E::MLINK => Errno::Mlink,
        E::MSGSIZE => Errno::Msgsize,
        E::MULTIHOP => Errno::Multihop,
        E::NAMETOOLONG => Errno::Nametoolong,
        E::NETDOWN => Errno::Netdown,
        E::NETRESET => Errno::Netreset,
        E::NETUNREACH => Errno::Netunreach,
        E::NFILE => Errno::Nfile,
        E::NOBUFS => Errno::Nobufs,
        E::NODEV => Errno::Nodev,
        E::NOENT => Errno::Noent,
        E::NOEXEC => Errno::Noexec,
        E::NOLCK => Errno::Nolck,
        E::NOLINK => Errno::Nolink,
        E::NOMEM => Errno::Nomem,
        E::NOMSG => Errno::Nomsg,
        E::NOPROTOOPT => Errno::Noprotoopt,
        E::NOSPC => Errno::Nospc,
        E::NOSYS => Errno::Nosys,
        E::NOTCONN => Errno::Notconn,
        E::NOTDIR => Errno::Notdir,
        E::NOTEMPTY => Errno::Notempty,
        E::NOTRECOVERABLE => Errno::Notrecoverable,
        E::NOTSOCK => Errno::Notsock,
        E::NOTSUP => Errno::Notsup,
        E::NOTTY => Errno::Notty,
        E::NXIO => Errno::Nxio,
        E::OVERFLOW => Errno::Overflow,
        E::OWNERDEAD => Errno::Ownerdead,
        E::PERM => Errno::Perm,
        E::PIPE => Errno::Pipe,
        E::PROTO => Errno::Proto,
        E::PROTONOSUPPORT => Errno::Protonosupport,
        E::PROTOTYPE => Errno::Prototype,
        E::RANGE => Errno::Range,
        E::ROFS => Errno::Rofs,
        E::SPIPE => Errno::Spipe,
        E::SRCH => Errno::Srch,
        E::STALE => Errno::Stale,
        E::TIMEDOUT => Errno::Timedout,
        E::TXTBSY => Errno::Txtbsy,
        E::XDEV => Errno::Xdev,
        _ => Errno::Io,
    }
}

/// Rights (`rights`, a 64-bit set): what a descriptor may be used for.
pub mod rights {
    #![allow(missing_docs)]
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;

    /// Every right preview 1 defines.
    pub const ALL: u64 = (1 << 30) - 1;
    /// What applies to a regular file's own descriptor.
    pub const REGULAR_FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;
    /// What applies to a directory's own descriptor.
    pub const DIRECTORY: u64 = FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_ADVISE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;
    /// What applies to a stream (stdin, stdout, stderr, a pipe, a character device).
    pub const STREAM: u64 =
        FD_READ | FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
    /// What applies to a connected socket.
    pub const SOCKET: u64 = FD_READ
        | FD_WRITE
        | FD_FDSTAT_SET_FLAGS
        | FD_FILESTAT_GET
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN;
    /// What applies to a listening socket.
    pub const LISTENER: u64 =
        FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE | SOCK_ACCEPT;
}

/// `filetype` (u8).
pub mod filetype {
    #![allow(missing_docs)]
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags` (u16).
pub mod fdflags {
    #![allow(missing_docs)]
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
    pub const ALL: u16 = (1 << 5) - 1;
}

/// `oflags` (u16) of `path_open`.
pub mod oflags {
    #![allow(missing_docs)]
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
    pub const ALL: u16 = (1 << 4) - 1;
}

/// `lookupflags` (u32): follow a symbolic link at the end of the path.
pub const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

/// `fstflags` (u16) of the `*_set_times` functions.
pub mod fstflags {
    #![allow(missing_docs)]
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
    pub const ALL: u16 = (1 << 4) - 1;
}

/// `clockid` (u32).
pub mod clockid {
    #![allow(missing_docs)]
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME: u32 = 2;
    pub const THREAD_CPUTIME: u32 = 3;
}

/// `whence` (u8) of `fd_seek`.
pub mod whence {
    #![allow(missing_docs)]
    pub const SET: u8 = 0;
    pub const CUR: u8 = 1;
    pub const END: u8 = 2;
}

/// `advice` (u8) of `fd_advise`: `normal` 0 ..= `noreuse` 5.
pub const ADVICE_MAX: u8 = 5;

/// `eventtype` (u8) of `poll_oneoff`.
pub mod eventtype {
    #![allow(missing_docs)]
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
}

/// `subclockflags` (u16): the timeout is an absolute time of the clock.
pub const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
/// `eventrwflags` (u16): the peer hung up.
pub const EVENT_FD_READWRITE_HANGUP: u16 = 1;

/// `riflags` (u16) of `sock_recv`.
pub mod riflags {
    #![allow(missing_docs)]
    pub const RECV_PEEK: u16 = 1 << 0;
    pub const RECV_WAITALL: u16 = 1 << 1;
}
/// `roflags` (u16) of `sock_recv`: the message was truncated (datagrams only; never set here).
pub const RECV_DATA_TRUNCATED: u16 = 1;

/// `sdflags` (u8) of `sock_shutdown`.
pub mod sdflags {
    #![allow(missing_docs)]
    pub const RD: u8 = 1 << 0;
    pub const WR: u8 = 1 << 1;
}

/// Signals (`signal`, u8) go up to `sys` = 30.
pub const SIGNAL_MAX: u8 = 30;

/// `preopentype` (u8): a directory.
pub const PREOPENTYPE_DIR: u8 = 0;

/// Byte layouts: sizes of the structures guests pass (offsets are written where used, each
/// from witx).
pub mod size {
    #![allow(missing_docs)]
    pub const IOVEC: u32 = 8;
    pub const FDSTAT: u32 = 24;
    pub const FILESTAT: u32 = 64;
    pub const DIRENT: u32 = 24;
    pub const PRESTAT: u32 = 8;
    pub const SUBSCRIPTION: u32 = 48;
    pub const EVENT: u32 = 32;
}
