//! WASI behaviour at the level of single calls: the sandbox against every kind of escape,
//! rights, guest pointers out of range (nothing written, nothing changed on the host), and
//! the wiring into a `Linker` through hand-written WAT.

use super::memory::GuestMemory;
use super::types::{Errno, fdflags, filetype, oflags, rights, whence};
use super::{SharedBuffer, WasiCtx};
use folio::{Engine, Linker, Module, Store, Val};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh directory `root` with `root/sandbox` (preopened as fd 3, `/sandbox`) and
/// `root/outside/secret.txt`; removed on drop.
struct Sandbox {
    root: PathBuf,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Sandbox {
    fn new() -> Sandbox {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("folio-wasi-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("sandbox")).expect("create sandbox");
        std::fs::create_dir_all(root.join("outside")).expect("create outside");
        std::fs::write(root.join("outside/secret.txt"), "secret").expect("write secret");
        Sandbox { root }
    }
    fn sandbox(&self) -> PathBuf {
        self.root.join("sandbox")
    }
    fn ctx(&self) -> WasiCtx {
        WasiCtx::builder()
            .preopened_dir(self.sandbox(), "/sandbox")
            .expect("preopen")
            .build()
    }
    /// Everything under `outside/`, to show that no call changed it.
    fn outside_listing(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(self.root.join("outside")).expect("list outside") {
            let e = e.expect("entry");
            let content = std::fs::read(e.path()).unwrap_or_default();
            out.push((e.path(), content));
        }
        out.sort();
        out
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

const PREOPEN: u32 = 3;
/// Where tests put strings in guest memory, and where results go.
const STR: u32 = 1024;
const STR2: u32 = 2048;
const OUT: u32 = 4096;

/// Guest memory of one 64 KiB page.
fn memory() -> Vec<u8> {
    vec![0; 65536]
}

fn put(mem: &mut [u8], at: u32, s: &str) -> u32 {
    mem[at as usize..at as usize + s.len()].copy_from_slice(s.as_bytes());
    s.len() as u32
}

fn u32_at(mem: &[u8], at: u32) -> u32 {
    u32::from_le_bytes(
        mem[at as usize..at as usize + 4]
            .try_into()
            .expect("4 bytes"),
    )
}

fn u64_at(mem: &[u8], at: u32) -> u64 {
    u64::from_le_bytes(
        mem[at as usize..at as usize + 8]
            .try_into()
            .expect("8 bytes"),
    )
}

/// `path_open` of `path` beneath `dir` with the given flags and rights; the new fd.
fn open(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    dir: u32,
    path: &str,
    oflags: u16,
    base: u64,
    follow: bool,
) -> Result<u32, Errno> {
    let len = put(mem, STR, path);
    let mut m = GuestMemory::new(mem);
    ctx.path_open(
        &mut m,
        dir,
        u32::from(follow),
        STR,
        len,
        u32::from(oflags),
        base,
        rights::ALL,
        0,
        OUT,
    )?;
    Ok(u32_at(mem, OUT))
}

const READ: u64 = rights::FD_READ | rights::FD_SEEK | rights::FD_TELL | rights::FD_FILESTAT_GET;
const WRITE: u64 = READ
    | rights::FD_WRITE
    | rights::FD_FILESTAT_SET_SIZE
    | rights::FD_FDSTAT_SET_FLAGS
    | rights::FD_FILESTAT_SET_TIMES
    | rights::FD_ALLOCATE;

/// Reads up to 64 bytes from `fd` through one iovec.
fn read_all(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32) -> Result<Vec<u8>, Errno> {
    let buf = 8192u32;
    mem[STR2 as usize..STR2 as usize + 4].copy_from_slice(&buf.to_le_bytes());
    mem[STR2 as usize + 4..STR2 as usize + 8].copy_from_slice(&64u32.to_le_bytes());
    let mut m = GuestMemory::new(mem);
    ctx.fd_read(&mut m, fd, STR2, 1, OUT)?;
    let n = u32_at(mem, OUT) as usize;
    Ok(mem[buf as usize..buf as usize + n].to_vec())
}

fn write(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, data: &str) -> Result<u32, Errno> {
    let buf = 8192u32;
    let len = put(mem, buf, data);
    mem[STR2 as usize..STR2 as usize + 4].copy_from_slice(&buf.to_le_bytes());
    mem[STR2 as usize + 4..STR2 as usize + 8].copy_from_slice(&len.to_le_bytes());
    let mut m = GuestMemory::new(mem);
    ctx.fd_write(&mut m, fd, STR2, 1, OUT)?;
    Ok(u32_at(mem, OUT))
}

fn symlink(ctx: &mut WasiCtx, mem: &mut [u8], target: &str, link: &str) -> Result<(), Errno> {
    let tlen = put(mem, STR, target);
    let llen = put(mem, STR2, link);
    ctx.path_symlink(&mut GuestMemory::new(mem), STR, tlen, PREOPEN, STR2, llen)
}

// ---------------------------------------------------------------------------------------
// The sandbox: one test per kind of escape.

#[test]
fn dot_dot_cannot_leave_the_preopen() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    for path in [
        "../outside/secret.txt",
        "..",
        "a/../../outside/secret.txt",
        "./../outside/secret.txt",
    ] {
        std::fs::create_dir_all(s.sandbox().join("a")).expect("mkdir a");
        let r = open(&mut ctx, &mut mem, PREOPEN, path, 0, READ, true);
        assert_eq!(r, Err(Errno::Perm), "{path}");
    }
    // `..` that stays inside is fine.
    std::fs::write(s.sandbox().join("in.txt"), "in").expect("write");
    let fd = open(&mut ctx, &mut mem, PREOPEN, "a/../in.txt", 0, READ, true).expect("inside");
    assert_eq!(read_all(&mut ctx, &mut mem, fd).expect("read"), b"in");
}

#[test]
fn absolute_paths_are_refused() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    let secret = s.root.join("outside/secret.txt");
    for path in ["/etc/passwd", secret.to_str().expect("utf-8 temp dir"), "/"] {
        let r = open(&mut ctx, &mut mem, PREOPEN, path, 0, READ, true);
        assert_eq!(r, Err(Errno::Perm), "{path}");
    }
}

#[test]
fn symlinks_made_by_the_guest_cannot_point_out() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    let before = s.outside_listing();
    // Relative links to the parent and beyond can be made, but never followed out.
    symlink(&mut ctx, &mut mem, "..", "up").expect("relative link");
    symlink(&mut ctx, &mut mem, "../outside", "out").expect("relative link");
    symlink(&mut ctx, &mut mem, "../outside/secret.txt", "secret").expect("relative link");
    for path in ["up/outside/secret.txt", "out/secret.txt", "secret", "up"] {
        let r = open(&mut ctx, &mut mem, PREOPEN, path, 0, READ, true);
        assert_eq!(r, Err(Errno::Perm), "{path}");
    }
    // Creating through them is refused too, and nothing appears outside.
    let r = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "out/new.txt",
        oflags::CREAT,
        WRITE,
        true,
    );
    assert_eq!(r, Err(Errno::Perm));
    // An absolute target is refused when the link is made (as in wasmtime).
    let abs = s.root.join("outside/secret.txt");
    let r = symlink(&mut ctx, &mut mem, abs.to_str().expect("utf-8"), "abs");
    assert_eq!(r, Err(Errno::Perm));
    assert!(!s.sandbox().join("abs").exists());
    assert_eq!(s.outside_listing(), before);
}

#[test]
fn chained_symlinks_climb_out_step_by_step_and_are_refused() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    std::fs::create_dir_all(s.sandbox().join("d1/d2")).expect("mkdir");
    // d1/d2/l1 -> .. (d1), d1/l2 -> d2/l1/.. (the sandbox), l3 -> d1/l2/.. (outside).
    for (target, link) in [
        ("..", "d1/d2/l1"),
        ("d2/l1/..", "d1/l2"),
        ("d1/l2/..", "l3"),
    ] {
        symlink(&mut ctx, &mut mem, target, link).expect("make link");
    }
    let r = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "l3/outside/secret.txt",
        0,
        READ,
        true,
    );
    assert_eq!(r, Err(Errno::Perm));
    // The chain that stays inside resolves.
    std::fs::write(s.sandbox().join("in.txt"), "in").expect("write");
    let fd = open(&mut ctx, &mut mem, PREOPEN, "d1/l2/in.txt", 0, READ, true).expect("inside");
    assert_eq!(read_all(&mut ctx, &mut mem, fd).expect("read"), b"in");
}

#[test]
fn dangling_and_looping_symlinks() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    symlink(&mut ctx, &mut mem, "missing", "dangling").expect("link");
    symlink(&mut ctx, &mut mem, "loop2", "loop1").expect("link");
    symlink(&mut ctx, &mut mem, "loop1", "loop2").expect("link");
    assert_eq!(
        open(&mut ctx, &mut mem, PREOPEN, "dangling", 0, READ, true),
        Err(Errno::Noent)
    );
    assert_eq!(
        open(&mut ctx, &mut mem, PREOPEN, "loop1", 0, READ, true),
        Err(Errno::Loop)
    );
    // Without following, opening the link itself is refused (O_NOFOLLOW).
    assert_eq!(
        open(&mut ctx, &mut mem, PREOPEN, "dangling", 0, READ, false),
        Err(Errno::Loop)
    );
    // Creating through a dangling link may not create its target outside the tree.
    symlink(&mut ctx, &mut mem, "../outside/created.txt", "to_create").expect("link");
    let r = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "to_create",
        oflags::CREAT,
        WRITE,
        true,
    );
    assert_eq!(r, Err(Errno::Perm));
    assert!(!s.root.join("outside/created.txt").exists());
}

#[test]
fn symlinks_planted_by_the_host_cannot_be_followed_out() {
    let s = Sandbox::new();
    let secret = s.root.join("outside/secret.txt");
    std::os::unix::fs::symlink(&secret, s.sandbox().join("abs")).expect("host link");
    std::os::unix::fs::symlink("../outside/secret.txt", s.sandbox().join("rel")).expect("link");
    std::os::unix::fs::symlink("/", s.sandbox().join("root")).expect("host link");
    let mut ctx = s.ctx();
    let mut mem = memory();
    for path in ["abs", "rel", "root/etc/passwd"] {
        let r = open(&mut ctx, &mut mem, PREOPEN, path, 0, READ, true);
        assert_eq!(r, Err(Errno::Perm), "{path}");
    }
    // Reading an absolute link's target would tell the guest a host path: refused.
    let len = put(&mut mem, STR, "abs");
    let r = ctx.path_readlink(
        &mut GuestMemory::new(&mut mem),
        PREOPEN,
        STR,
        len,
        8192,
        256,
        OUT,
    );
    assert_eq!(r, Err(Errno::Perm));
    assert!(mem[8192..8192 + 256].iter().all(|&b| b == 0));
    // A relative one is readable: it names nothing outside by itself.
    let len = put(&mut mem, STR, "rel");
    ctx.path_readlink(
        &mut GuestMemory::new(&mut mem),
        PREOPEN,
        STR,
        len,
        8192,
        256,
        OUT,
    )
    .expect("readlink");
    let n = u32_at(&mem, OUT) as usize;
    assert_eq!(&mem[8192..8192 + n], b"../outside/secret.txt");
}

#[test]
fn hard_links_and_renames_keep_both_ends_inside() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    std::fs::write(s.sandbox().join("mine.txt"), "mine").expect("write");
    let before = s.outside_listing();
    let pair = |mem: &mut Vec<u8>, a: &str, b: &str| (put(mem, STR, a), put(mem, STR2, b));

    // A hard link to a file outside, or from a file inside to a name outside.
    for (old, new) in [
        ("../outside/secret.txt", "stolen"),
        ("mine.txt", "../outside/planted"),
    ] {
        let (ol, nl) = pair(&mut mem, old, new);
        let r = ctx.path_link(
            &mut GuestMemory::new(&mut mem),
            PREOPEN,
            0,
            STR,
            ol,
            PREOPEN,
            STR2,
            nl,
        );
        assert_eq!(r, Err(Errno::Perm), "link {old} -> {new}");
    }
    // Renames out of and into the sandbox.
    for (old, new) in [
        ("mine.txt", "../outside/moved"),
        ("../outside/secret.txt", "taken"),
    ] {
        let (ol, nl) = pair(&mut mem, old, new);
        let r = ctx.path_rename(
            &mut GuestMemory::new(&mut mem),
            PREOPEN,
            STR,
            ol,
            PREOPEN,
            STR2,
            nl,
        );
        assert_eq!(r, Err(Errno::Perm), "rename {old} -> {new}");
    }
    assert!(!s.sandbox().join("stolen").exists() && !s.sandbox().join("taken").exists());
    assert!(s.sandbox().join("mine.txt").exists());
    assert_eq!(s.outside_listing(), before);
    // Inside, both work.
    let (ol, nl) = pair(&mut mem, "mine.txt", "linked.txt");
    ctx.path_link(
        &mut GuestMemory::new(&mut mem),
        PREOPEN,
        0,
        STR,
        ol,
        PREOPEN,
        STR2,
        nl,
    )
    .expect("link inside");
    let (ol, nl) = pair(&mut mem, "linked.txt", "renamed.txt");
    ctx.path_rename(
        &mut GuestMemory::new(&mut mem),
        PREOPEN,
        STR,
        ol,
        PREOPEN,
        STR2,
        nl,
    )
    .expect("rename inside");
    assert_eq!(
        std::fs::read(s.sandbox().join("renamed.txt")).expect("read"),
        b"mine"
    );
}

#[test]
fn directory_operations_outside_are_refused() {
    let s = Sandbox::new();
    std::fs::create_dir(s.root.join("outside/victim")).expect("mkdir");
    let mut ctx = s.ctx();
    let mut mem = memory();
    let before = s.outside_listing();
    let len = put(&mut mem, STR, "../outside/newdir");
    let r = ctx.path_create_directory(&mut GuestMemory::new(&mut mem), PREOPEN, STR, len);
    assert_eq!(r, Err(Errno::Perm));
    let len = put(&mut mem, STR, "../outside/victim");
    let r = ctx.path_remove_directory(&mut GuestMemory::new(&mut mem), PREOPEN, STR, len);
    assert_eq!(r, Err(Errno::Perm));
    let len = put(&mut mem, STR, "../outside/secret.txt");
    let r = ctx.path_unlink_file(&mut GuestMemory::new(&mut mem), PREOPEN, STR, len);
    assert_eq!(r, Err(Errno::Perm));
    let r = ctx.path_filestat_get(&mut GuestMemory::new(&mut mem), PREOPEN, 1, STR, len, OUT);
    assert_eq!(r, Err(Errno::Perm));
    let r = ctx.path_filestat_set_times(
        &mut GuestMemory::new(&mut mem),
        PREOPEN,
        1,
        STR,
        len,
        0,
        0,
        4,
    );
    assert_eq!(r, Err(Errno::Perm));
    assert_eq!(s.outside_listing(), before);
    assert!(s.root.join("outside/victim").is_dir());
}

#[test]
fn a_subdirectory_descriptor_is_a_sandbox_of_its_own() {
    let s = Sandbox::new();
    std::fs::create_dir(s.sandbox().join("sub")).expect("mkdir");
    std::fs::write(s.sandbox().join("top.txt"), "top").expect("write");
    let mut ctx = s.ctx();
    let mut mem = memory();
    let sub = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "sub",
        oflags::DIRECTORY,
        rights::DIRECTORY,
        true,
    )
    .expect("open sub");
    let r = open(&mut ctx, &mut mem, sub, "../top.txt", 0, READ, true);
    assert_eq!(r, Err(Errno::Perm));
}

// ---------------------------------------------------------------------------------------
// Rights.

#[test]
fn rights_are_honoured_and_can_only_shrink() {
    let s = Sandbox::new();
    std::fs::write(s.sandbox().join("f.txt"), "abc").expect("write");
    let mut ctx = s.ctx();
    let mut mem = memory();
    let ro = open(&mut ctx, &mut mem, PREOPEN, "f.txt", 0, READ, true).expect("open");
    assert_eq!(write(&mut ctx, &mut mem, ro, "x"), Err(Errno::Notcapable));
    // The descriptor was opened read-only on the host too: nothing was written.
    assert_eq!(
        std::fs::read(s.sandbox().join("f.txt")).expect("read"),
        b"abc"
    );
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.fd_filestat_set_size(&mut m, ro, 0),
        Err(Errno::Notcapable)
    );
    // Dropping FD_READ makes reads fail; rights cannot come back.
    ctx.fd_fdstat_set_rights(&mut m, ro, READ & !rights::FD_READ, 0)
        .expect("drop");
    assert_eq!(
        ctx.fd_fdstat_set_rights(&mut m, ro, READ, 0),
        Err(Errno::Notcapable)
    );
    assert_eq!(read_all(&mut ctx, &mut mem, ro), Err(Errno::Notcapable));
    // A directory whose inheriting rights lack writing cannot open a file for writing.
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_fdstat_set_rights(&mut m, PREOPEN, rights::DIRECTORY, READ)
        .expect("shrink");
    let r = open(&mut ctx, &mut mem, PREOPEN, "f.txt", 0, WRITE, true);
    assert_eq!(r, Err(Errno::Notcapable));
    // And without PATH_CREATE_FILE nothing can be created.
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_fdstat_set_rights(&mut m, PREOPEN, rights::PATH_OPEN, READ)
        .expect("shrink");
    let r = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "new.txt",
        oflags::CREAT,
        READ,
        true,
    );
    assert_eq!(r, Err(Errno::Notcapable));
    assert!(!s.sandbox().join("new.txt").exists());
}

#[test]
fn fdstat_reports_type_flags_and_rights() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    let fd = open(&mut ctx, &mut mem, PREOPEN, "f", oflags::CREAT, WRITE, true).expect("open");
    ctx.fd_fdstat_set_flags(
        &mut GuestMemory::new(&mut mem),
        fd,
        u32::from(fdflags::APPEND),
    )
    .expect("append");
    ctx.fd_fdstat_get(&mut GuestMemory::new(&mut mem), fd, OUT)
        .expect("fdstat");
    assert_eq!(mem[OUT as usize], filetype::REGULAR_FILE);
    assert_eq!(
        u16::from_le_bytes([mem[OUT as usize + 2], mem[OUT as usize + 3]]),
        fdflags::APPEND
    );
    assert_eq!(u64_at(&mem, OUT + 8), WRITE);
    ctx.fd_fdstat_get(&mut GuestMemory::new(&mut mem), PREOPEN, OUT)
        .expect("fdstat");
    assert_eq!(mem[OUT as usize], filetype::DIRECTORY);
    assert_eq!(u64_at(&mem, OUT + 16), rights::ALL);
    // Changing a sync flag after open is not supported; unknown flags are invalid.
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.fd_fdstat_set_flags(&mut m, fd, u32::from(fdflags::SYNC)),
        Err(Errno::Notsup)
    );
    assert_eq!(
        ctx.fd_fdstat_set_flags(&mut m, fd, 1 << 9),
        Err(Errno::Inval)
    );
}

// ---------------------------------------------------------------------------------------
// Files: what the calls do.

#[test]
fn write_seek_read_append_truncate_and_stat() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    let fd = open(&mut ctx, &mut mem, PREOPEN, "f", oflags::CREAT, WRITE, true).expect("open");
    assert_eq!(write(&mut ctx, &mut mem, fd, "hello world"), Ok(11));
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_seek(&mut m, fd, 6, u32::from(whence::SET), OUT)
        .expect("seek");
    assert_eq!(read_all(&mut ctx, &mut mem, fd).expect("read"), b"world");
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_seek(&mut m, fd, (-5i64) as u64, u32::from(whence::END), OUT)
        .expect("seek end");
    assert_eq!(u64_at(&mem, OUT), 6);
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.fd_seek(&mut m, fd, (-100i64) as u64, u32::from(whence::CUR), OUT),
        Err(Errno::Inval)
    );
    ctx.fd_tell(&mut m, fd, OUT).expect("tell");
    assert_eq!(u64_at(&mem, OUT), 6);
    // Append writes at the end whatever the position.
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_fdstat_set_flags(&mut m, fd, u32::from(fdflags::APPEND))
        .expect("append");
    ctx.fd_seek(&mut m, fd, 0, u32::from(whence::SET), OUT)
        .expect("seek");
    write(&mut ctx, &mut mem, fd, "!").expect("append write");
    assert_eq!(
        std::fs::read(s.sandbox().join("f")).expect("read"),
        b"hello world!"
    );
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_filestat_set_size(&mut m, fd, 5).expect("truncate");
    ctx.fd_filestat_get(&mut m, fd, OUT).expect("stat");
    assert_eq!(mem[OUT as usize + 16], filetype::REGULAR_FILE);
    assert_eq!(u64_at(&mem, OUT + 32), 5);
    // Times set explicitly read back (nanoseconds since 1970).
    let mut m = GuestMemory::new(&mut mem);
    let t = 1_000_000_000_123_456_789u64;
    ctx.fd_filestat_set_times(&mut m, fd, t, t + 1, 1 | 4)
        .expect("times");
    ctx.fd_filestat_get(&mut m, fd, OUT).expect("stat");
    assert_eq!((u64_at(&mem, OUT + 40), u64_at(&mem, OUT + 48)), (t, t + 1));
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.fd_filestat_set_times(&mut m, fd, 0, 0, 1 | 2),
        Err(Errno::Inval)
    );
    // fd_allocate extends.
    ctx.fd_allocate(&mut m, fd, 10, 90).expect("allocate");
    assert_eq!(
        std::fs::metadata(s.sandbox().join("f"))
            .expect("stat")
            .len(),
        100
    );
}

#[test]
fn readdir_lists_dots_then_entries_with_cookies() {
    let s = Sandbox::new();
    for name in ["a", "bb", "ccc"] {
        std::fs::write(s.sandbox().join(name), name).expect("write");
    }
    let mut ctx = s.ctx();
    let mut mem = memory();
    let read = |ctx: &mut WasiCtx, mem: &mut Vec<u8>, cookie: u64, len: u32| {
        ctx.fd_readdir(&mut GuestMemory::new(mem), PREOPEN, 8192, len, cookie, OUT)
            .expect("readdir");
        let used = u32_at(mem, OUT);
        let mut names = Vec::new();
        let mut at = 8192u32;
        while at + 24 <= 8192 + used {
            let next = u64_at(mem, at);
            let namlen = u32_at(mem, at + 16);
            let start = (at + 24) as usize;
            let end = (start + namlen as usize).min((8192 + used) as usize);
            names.push((next, String::from_utf8_lossy(&mem[start..end]).into_owned()));
            at += 24 + namlen;
        }
        (used, names)
    };
    let (used, names) = read(&mut ctx, &mut mem, 0, 4096);
    assert!(used < 4096);
    let listed: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(&listed[..2], [".", ".."]);
    let mut rest = listed[2..].to_vec();
    rest.sort();
    assert_eq!(rest, ["a", "bb", "ccc"]);
    // Resuming from a cookie gives the rest; a small buffer comes back full.
    let (_, from_third) = read(&mut ctx, &mut mem, names[2].0, 4096);
    assert_eq!(from_third.len(), 2);
    let (used, _) = read(&mut ctx, &mut mem, 0, 30);
    assert_eq!(used, 30);
}

#[test]
fn wrong_kinds_of_descriptor_get_the_native_errno() {
    let s = Sandbox::new();
    let mut ctx = s.ctx();
    let mut mem = memory();
    // Writing a directory, seeking a stream, reading stdout, path calls on a file.
    assert_eq!(write(&mut ctx, &mut mem, PREOPEN, "x"), Err(Errno::Isdir));
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.fd_seek(&mut m, 1, 0, 0, OUT), Err(Errno::Spipe));
    assert_eq!(read_all(&mut ctx, &mut mem, 1), Err(Errno::Badf));
    let fd = open(&mut ctx, &mut mem, PREOPEN, "f", oflags::CREAT, WRITE, true).expect("open");
    assert_eq!(
        open(&mut ctx, &mut mem, fd, "x", 0, READ, true),
        Err(Errno::Notdir)
    );
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.fd_readdir(&mut m, fd, 0, 100, 0, OUT),
        Err(Errno::Notdir)
    );
    assert_eq!(ctx.fd_close(&mut m, 77), Err(Errno::Badf));
    assert_eq!(ctx.fd_renumber(&mut m, fd, 77), Err(Errno::Badf));
    // prestat: only preopens answer; anything else is badf (wasi-libc stops there).
    assert_eq!(ctx.fd_prestat_get(&mut m, fd, OUT), Err(Errno::Badf));
    ctx.fd_prestat_get(&mut m, PREOPEN, OUT).expect("prestat");
    assert_eq!(u32_at(&mem, OUT + 4), 8);
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.fd_prestat_dir_name(&mut m, PREOPEN, STR, 3),
        Err(Errno::Nametoolong)
    );
    ctx.fd_prestat_dir_name(&mut m, PREOPEN, STR, 8)
        .expect("name");
    assert_eq!(&mem[STR as usize..STR as usize + 8], b"/sandbox");
    // Directory + creat is invalid; a directory opened for writing is isdir.
    let r = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "d",
        oflags::DIRECTORY | oflags::CREAT,
        READ,
        true,
    );
    assert_eq!(r, Err(Errno::Inval));
    assert_eq!(
        open(&mut ctx, &mut mem, PREOPEN, ".", 0, WRITE, true),
        Err(Errno::Isdir)
    );
    // Sockets: nothing here is one.
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.sock_accept(&mut m, fd, 0, OUT), Err(Errno::Notsock));
    assert_eq!(ctx.sock_shutdown(&mut m, 1, 3), Err(Errno::Notsock));
    assert_eq!(ctx.proc_raise(&mut m, 6), Err(Errno::Nosys));
}

// ---------------------------------------------------------------------------------------
// Guest pointers: out of range is `fault`, and nothing happens.

#[test]
fn bad_pointers_fault_without_writing_or_changing_the_host() {
    let s = Sandbox::new();
    std::fs::write(s.sandbox().join("f"), "0123456789").expect("write");
    let mut ctx = WasiCtx::builder()
        .arg("prog")
        .arg("argument")
        .env("A", "1")
        .preopened_dir(s.sandbox(), "/sandbox")
        .expect("preopen")
        .build();
    let mut mem = memory();
    let end = mem.len() as u32;
    let fd = open(&mut ctx, &mut mem, PREOPEN, "f", 0, WRITE, true).expect("open");
    let snapshot = mem.clone();
    let mut m = GuestMemory::new(&mut mem);
    // Each output pointer placed so that the value would straddle the end of memory.
    assert_eq!(ctx.args_sizes_get(&mut m, OUT, end - 2), Err(Errno::Fault));
    assert_eq!(ctx.args_get(&mut m, OUT, end - 4), Err(Errno::Fault));
    assert_eq!(ctx.args_get(&mut m, end - 4, OUT), Err(Errno::Fault));
    assert_eq!(ctx.environ_get(&mut m, u32::MAX, OUT), Err(Errno::Fault));
    assert_eq!(ctx.environ_sizes_get(&mut m, end, OUT), Err(Errno::Fault));
    assert_eq!(ctx.clock_time_get(&mut m, 0, 0, end - 7), Err(Errno::Fault));
    assert_eq!(ctx.clock_res_get(&mut m, 1, end - 1), Err(Errno::Fault));
    assert_eq!(ctx.random_get(&mut m, end - 10, 11), Err(Errno::Fault));
    assert_eq!(
        ctx.random_get(&mut m, u32::MAX, u32::MAX),
        Err(Errno::Fault)
    );
    assert_eq!(ctx.fd_fdstat_get(&mut m, fd, end - 23), Err(Errno::Fault));
    assert_eq!(ctx.fd_filestat_get(&mut m, fd, end - 63), Err(Errno::Fault));
    assert_eq!(
        ctx.fd_prestat_get(&mut m, PREOPEN, end - 7),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.fd_prestat_dir_name(&mut m, PREOPEN, end - 7, 8),
        Err(Errno::Fault)
    );
    assert_eq!(ctx.fd_tell(&mut m, fd, end - 4), Err(Errno::Fault));
    assert_eq!(
        ctx.fd_readdir(&mut m, PREOPEN, end - 10, 11, 0, OUT),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.fd_readdir(&mut m, PREOPEN, OUT, 100, 0, end),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.poll_oneoff(&mut m, end - 47, OUT, 1, OUT),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.poll_oneoff(&mut m, OUT, end - 31, 1, OUT),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.poll_oneoff(&mut m, 0, 0, u32::MAX, OUT),
        Err(Errno::Fault)
    );
    // Paths out of range, and paths that are not UTF-8.
    assert_eq!(
        ctx.path_create_directory(&mut m, PREOPEN, end - 2, 3),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.path_unlink_file(&mut m, PREOPEN, u32::MAX, 2),
        Err(Errno::Fault)
    );
    assert_eq!(
        ctx.path_symlink(&mut m, end, 1, PREOPEN, STR, 1),
        Err(Errno::Fault)
    );
    // The memory is exactly as it was.
    assert!(mem == snapshot, "a failed call wrote guest memory");
    mem[STR as usize] = 0xff;
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.path_create_directory(&mut m, PREOPEN, STR, 1),
        Err(Errno::Ilseq)
    );

    // path_open with an output pointer out of range creates no file.
    let len = put(&mut mem, STR, "created");
    let mut m = GuestMemory::new(&mut mem);
    let r = ctx.path_open(&mut m, PREOPEN, 1, STR, len, 1, WRITE, 0, 0, end - 3);
    assert_eq!(r, Err(Errno::Fault));
    assert!(!s.sandbox().join("created").exists());

    // Reads and writes: an iovec list or buffer out of range moves no byte.
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.fd_write(&mut m, fd, end - 4, 1, OUT), Err(Errno::Fault));
    assert_eq!(
        ctx.fd_write(&mut m, fd, OUT, u32::MAX, OUT),
        Err(Errno::Fault)
    );
    // A valid first iovec followed by one out of range: nothing is written.
    for (i, (ptr, len)) in [(8192u32, 4u32), (end - 2, 4)].iter().enumerate() {
        let at = STR2 as usize + i * 8;
        mem[at..at + 4].copy_from_slice(&ptr.to_le_bytes());
        mem[at + 4..at + 8].copy_from_slice(&len.to_le_bytes());
    }
    put(&mut mem, 8192, "XXXX");
    let before = mem.clone();
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.fd_write(&mut m, fd, STR2, 2, OUT), Err(Errno::Fault));
    assert_eq!(ctx.fd_read(&mut m, fd, STR2, 2, OUT), Err(Errno::Fault));
    assert_eq!(
        ctx.fd_pwrite(&mut m, fd, STR2, 2, 0, OUT),
        Err(Errno::Fault)
    );
    assert_eq!(ctx.fd_pread(&mut m, fd, STR2, 2, 0, OUT), Err(Errno::Fault));
    // A good list but the count output out of range: nothing is read or written.
    assert_eq!(
        ctx.fd_write(&mut m, fd, STR2, 1, end - 1),
        Err(Errno::Fault)
    );
    assert_eq!(ctx.fd_read(&mut m, fd, STR2, 1, end), Err(Errno::Fault));
    assert!(mem == before, "a failed read wrote guest memory");
    assert_eq!(
        std::fs::read(s.sandbox().join("f")).expect("read"),
        b"0123456789"
    );
    // The file position did not move either.
    let mut m = GuestMemory::new(&mut mem);
    ctx.fd_tell(&mut m, fd, OUT).expect("tell");
    assert_eq!(u64_at(&mem, OUT), 0);
}

#[test]
fn huge_iovec_lengths_cost_no_host_memory() {
    // One 64 KiB memory whose single buffer is named 2^16 times: the total (4 GiB) is
    // never allocated; the write goes straight from guest memory to the writer.
    let out = SharedBuffer::new();
    let mut ctx = WasiCtx::builder().stdout(out.clone()).build();
    let mut mem = memory();
    let count = 4096u32;
    for i in 0..count {
        let at = (i * 8) as usize;
        mem[at..at + 4].copy_from_slice(&60000u32.to_le_bytes());
        mem[at + 4..at + 8].copy_from_slice(&1u32.to_le_bytes());
    }
    mem[60000] = b'z';
    ctx.fd_write(&mut GuestMemory::new(&mut mem), 1, 0, count, 65000)
        .expect("write");
    assert_eq!(u32_at(&mem, 65000), count);
    assert_eq!(out.contents(), vec![b'z'; count as usize]);
}

// ---------------------------------------------------------------------------------------
// Clocks, randomness, poll.

#[test]
fn clocks_random_and_poll_with_a_clock() {
    let mut ctx = WasiCtx::builder().build();
    let mut mem = memory();
    let mut m = GuestMemory::new(&mut mem);
    for id in 0..4 {
        ctx.clock_time_get(&mut m, id, 1, OUT).expect("clock");
        ctx.clock_res_get(&mut m, id, OUT + 8).expect("res");
    }
    assert_eq!(ctx.clock_time_get(&mut m, 4, 1, OUT), Err(Errno::Inval));
    ctx.clock_time_get(&mut m, 0, 1, OUT).expect("realtime");
    // After 2020-01-01.
    assert!(u64_at(&mem, OUT) > 1_577_836_800_000_000_000);
    // Random bytes: two fills differ.
    let mut m = GuestMemory::new(&mut mem);
    ctx.random_get(&mut m, 100, 32).expect("random");
    ctx.random_get(&mut m, 200, 32).expect("random");
    assert_ne!(mem[100..132], mem[200..232]);
    // poll_oneoff with one relative clock of 20 ms sleeps at least that long.
    let sub = 1000u32;
    mem[sub as usize..sub as usize + 8].copy_from_slice(&42u64.to_le_bytes());
    mem[sub as usize + 8] = 0; // clock
    mem[sub as usize + 16..sub as usize + 20].copy_from_slice(&1u32.to_le_bytes());
    mem[sub as usize + 24..sub as usize + 32].copy_from_slice(&20_000_000u64.to_le_bytes());
    let start = std::time::Instant::now();
    ctx.poll_oneoff(&mut GuestMemory::new(&mut mem), sub, 2000, 1, OUT)
        .expect("poll");
    assert!(start.elapsed() >= std::time::Duration::from_millis(20));
    assert_eq!(u32_at(&mem, OUT), 1);
    assert_eq!(u64_at(&mem, 2000), 42);
    // No subscriptions is invalid.
    assert_eq!(
        ctx.poll_oneoff(&mut GuestMemory::new(&mut mem), sub, 2000, 0, OUT),
        Err(Errno::Inval)
    );
}

#[test]
fn poll_reports_a_ready_file_at_once_and_a_bad_fd_as_an_event() {
    let s = Sandbox::new();
    std::fs::write(s.sandbox().join("f"), "12345").expect("write");
    let mut ctx = s.ctx();
    let mut mem = memory();
    let fd = open(
        &mut ctx,
        &mut mem,
        PREOPEN,
        "f",
        0,
        READ | rights::POLL_FD_READWRITE,
        true,
    )
    .expect("open");
    let subs = 1000usize;
    let entries: [(u64, u8, u32, u64); 3] =
        [(1, 1, fd, 0), (2, 1, 99, 0), (3, 0, 1, 10_000_000_000)];
    for (i, (userdata, tag, fd_or_clock, timeout)) in entries.iter().enumerate() {
        let at = subs + i * 48;
        mem[at..at + 8].copy_from_slice(&userdata.to_le_bytes());
        mem[at + 8] = *tag;
        mem[at + 16..at + 20].copy_from_slice(&fd_or_clock.to_le_bytes());
        mem[at + 24..at + 32].copy_from_slice(&timeout.to_le_bytes());
    }
    let start = std::time::Instant::now();
    ctx.poll_oneoff(&mut GuestMemory::new(&mut mem), subs as u32, 4000, 3, OUT)
        .expect("poll");
    // The 10 s clock did not have to run out.
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(u32_at(&mem, OUT), 2);
    let events: Vec<(u64, u16, u64)> = (0..2)
        .map(|i| {
            let at = 4000 + i * 32;
            let error = u16::from_le_bytes([mem[at as usize + 8], mem[at as usize + 9]]);
            (u64_at(&mem, at), error, u64_at(&mem, at + 16))
        })
        .collect();
    assert!(events.contains(&(1, 0, 5)), "{events:?}");
    assert!(events.contains(&(2, Errno::Badf as u16, 0)), "{events:?}");
}

// ---------------------------------------------------------------------------------------
// Through a Linker, with hand-written WAT.

/// A module that imports `wasi_snapshot_preview1` functions and calls them from Wasm.
const WAT: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hi\n")
  ;; iovec at 16: (100, 3)
  (data (i32.const 16) "\64\00\00\00\03\00\00\00")
  (func (export "hello") (result i32)
    (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))
  ;; Every iovec list past the end of memory.
  (func (export "bad_iovecs") (result i32)
    (call $fd_write (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 32)))
  ;; A count that would cover all of memory many times.
  (func (export "huge_count") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const -1) (i32.const 32)))
  (func (export "bad_fd") (result i32)
    (call $fd_write (i32.const 12345) (i32.const 16) (i32.const 1) (i32.const 32)))
  (func (export "bad_sizes") (result i32)
    (call $args_sizes_get (i32.const 65535) (i32.const 0)))
  (func (export "exit") (param i32) (call $proc_exit (local.get 0)) unreachable))
"#;

fn instantiate(wat: &str, ctx: WasiCtx) -> (Store<WasiCtx>, folio::Instance) {
    let engine = Engine::default();
    let bytes = wat::parse_str(wat).expect("test WAT");
    let module = Module::new(&engine, &bytes).expect("valid module");
    let mut store = Store::new(&engine, ctx);
    let mut linker = Linker::new();
    super::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
    let instance = linker.instantiate(&mut store, &module).expect("links");
    (store, instance)
}

fn call_i32(store: &mut Store<WasiCtx>, instance: &folio::Instance, name: &str) -> i32 {
    let f = instance.get_func(store, name).expect("export");
    let mut out = [Val::I32(0)];
    f.call(store, &[], &mut out).expect("no trap");
    match out[0] {
        Val::I32(v) => v,
        _ => panic!("not i32"),
    }
}

#[test]
fn wat_calls_through_the_linker() {
    let out = SharedBuffer::new();
    let ctx = WasiCtx::builder().arg("x").stdout(out.clone()).build();
    let (mut store, instance) = instantiate(WAT, ctx);
    assert_eq!(call_i32(&mut store, &instance, "hello"), 0);
    assert_eq!(out.contents(), b"hi\n");
    assert_eq!(
        call_i32(&mut store, &instance, "bad_iovecs"),
        Errno::Fault as i32
    );
    assert_eq!(
        call_i32(&mut store, &instance, "huge_count"),
        Errno::Fault as i32
    );
    assert_eq!(
        call_i32(&mut store, &instance, "bad_fd"),
        Errno::Badf as i32
    );
    assert_eq!(
        call_i32(&mut store, &instance, "bad_sizes"),
        Errno::Fault as i32
    );
    assert_eq!(out.contents(), b"hi\n");
    // proc_exit ends the call with the status; the `unreachable` after it never runs.
    let exit = instance.get_func(&store, "exit").expect("export");
    let err = exit
        .call(&mut store, &[Val::I32(3)], &mut [])
        .expect_err("exits");
    assert_eq!(err.as_trap().and_then(|t| t.exit_status()), Some(3));
}

#[test]
fn a_module_without_memory_can_call_what_needs_none() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "sched_yield" (func $y (result i32)))
      (import "wasi_snapshot_preview1" "fd_close" (func $c (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get"
        (func $t (param i32 i64 i32) (result i32)))
      (func (export "yield") (result i32) (call $y))
      (func (export "close") (result i32) (call $c (i32.const 99)))
      (func (export "time") (result i32) (call $t (i32.const 0) (i64.const 0) (i32.const 0))))"#;
    let (mut store, instance) = instantiate(wat, WasiCtx::builder().build());
    assert_eq!(call_i32(&mut store, &instance, "yield"), 0);
    assert_eq!(call_i32(&mut store, &instance, "close"), Errno::Badf as i32);
    assert_eq!(call_i32(&mut store, &instance, "time"), Errno::Fault as i32);
}

#[test]
fn every_function_is_defined_with_its_signature() {
    assert_eq!(super::FUNCTION_NAMES.len(), 46);
    let engine = Engine::default();
    let mut store = Store::new(&engine, WasiCtx::builder().build());
    let mut linker = Linker::new();
    super::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
    for name in super::FUNCTION_NAMES {
        let f = linker.get(&mut store, super::MODULE, name);
        assert!(f.is_some(), "{name}");
    }
    // Signatures as wasi-libc imports them: a wrong one fails to link.
    let wat =
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32))))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).expect("wat")).expect("module");
    let err = linker
        .instantiate(&mut store, &module)
        .expect_err("bad signature");
    assert!(
        err.to_string().contains("incompatible import type"),
        "{err}"
    );
}

#[test]
fn preopen_of_a_missing_directory_is_an_error() {
    let missing = Path::new("/definitely/not/here");
    assert!(WasiCtx::builder().preopened_dir(missing, "/x").is_err());
}

#[test]
fn a_64_bit_memory_takes_32_bit_pointers_checked_the_same_way() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "fd_write"
        (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") i64 1)
      (data (i64.const 100) "64\n")
      (data (i64.const 16) "\64\00\00\00\03\00\00\00")
      (func (export "hello") (result i32)
        (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))
      (func (export "bad") (result i32)
        (call $fd_write (i32.const 1) (i32.const 65530) (i32.const 1) (i32.const 32))))"#;
    let out = SharedBuffer::new();
    let (mut store, instance) = instantiate(wat, WasiCtx::builder().stdout(out.clone()).build());
    assert_eq!(call_i32(&mut store, &instance, "hello"), 0);
    assert_eq!(call_i32(&mut store, &instance, "bad"), Errno::Fault as i32);
    assert_eq!(out.contents(), b"64\n");
}

#[test]
fn sockets_accept_receive_send_and_shut_down_on_a_preopened_listener() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    let mut ctx = WasiCtx::builder().preopened_listener(listener).build();
    let client = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        s.write_all(b"ping").expect("send");
        let mut reply = Vec::new();
        s.read_to_end(&mut reply).expect("receive until shutdown");
        reply
    });
    let mut mem = memory();
    // The listener follows stdio (no preopened directory here): fd 3.
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.sock_accept(&mut m, 3, 1 << 7, OUT), Err(Errno::Inval));
    ctx.sock_accept(&mut m, 3, 0, OUT).expect("accept");
    let conn = u32_at(&mem, OUT);
    // Receive with WAITALL into one 4-byte buffer.
    mem[STR2 as usize..STR2 as usize + 4].copy_from_slice(&8192u32.to_le_bytes());
    mem[STR2 as usize + 4..STR2 as usize + 8].copy_from_slice(&4u32.to_le_bytes());
    let mut m = GuestMemory::new(&mut mem);
    ctx.sock_recv(&mut m, conn, STR2, 1, 2, OUT, OUT + 4)
        .expect("recv");
    assert_eq!(u32_at(&mem, OUT), 4);
    assert_eq!(&mem[8192..8196], b"ping");
    put(&mut mem, 8192, "pong");
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(
        ctx.sock_send(&mut m, conn, STR2, 1, 1, OUT),
        Err(Errno::Inval)
    );
    ctx.sock_send(&mut m, conn, STR2, 1, 0, OUT).expect("send");
    assert_eq!(u32_at(&mem, OUT), 4);
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.sock_shutdown(&mut m, conn, 0), Err(Errno::Inval));
    ctx.sock_shutdown(&mut m, conn, 2).expect("shutdown write");
    assert_eq!(client.join().expect("client"), b"pong");
    // fdstat: a socket; the listener is not a directory for prestat.
    ctx.fd_fdstat_get(&mut m, conn, OUT).expect("fdstat");
    assert_eq!(mem[OUT as usize], filetype::SOCKET_STREAM);
    let mut m = GuestMemory::new(&mut mem);
    assert_eq!(ctx.fd_prestat_get(&mut m, 3, OUT), Err(Errno::Badf));
    assert_eq!(
        ctx.sock_recv(&mut m, 1, STR2, 1, 0, OUT, OUT + 4),
        Err(Errno::Notsock)
    );
}

/// Every function (but `poll_oneoff`, which would sleep for random timeouts) called many
/// times with arguments drawn from edge values, on a memory of random words: each call
/// returns, none panics, and a call that fails with `fault` wrote nothing.
#[test]
fn random_arguments_never_panic_and_faults_write_nothing() {
    let s = Sandbox::new();
    std::fs::write(s.sandbox().join("f"), "file").expect("write");
    std::fs::create_dir(s.sandbox().join("d")).expect("mkdir");
    let mut ctx = s.ctx();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut mem = memory();
    for word in mem.chunks_mut(4) {
        let r = next();
        let v = if r % 2 == 0 {
            (r >> 8) as u32 % 64
        } else {
            (r >> 8) as u32
        };
        word.copy_from_slice(&v.to_le_bytes());
    }
    // Some valid paths for the path functions to find.
    for (at, p) in [(0u32, "f"), (16, "d"), (32, "d/x"), (48, "..")] {
        put(&mut mem, at, p);
    }
    let len = mem.len() as u32;
    let u32s = [
        0,
        1,
        2,
        3,
        4,
        5,
        16,
        32,
        48,
        255,
        len - 8,
        len - 1,
        len,
        u32::MAX,
        1 << 31,
    ];
    let u64s = [
        0,
        1,
        3,
        1 << 20,
        1 << 32,
        i64::MAX as u64,
        1 << 63,
        u64::MAX,
    ];
    for round in 0..30_000u32 {
        let def = &super::host::FUNCTIONS[round as usize % super::host::FUNCTIONS.len()];
        if def.name == "poll_oneoff" {
            continue;
        }
        // A fresh context now and then: random calls close the preopen soon enough.
        if round % 100 == 0 {
            ctx = s.ctx();
        }
        let args: Vec<Val> = def
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                let r = next();
                match ty {
                    folio::ValType::I64 => Val::I64(u64s[r as usize % u64s.len()] as i64),
                    // The first parameter is mostly a descriptor: often the preopen.
                    _ if i == 0 && r % 2 == 0 => Val::I32(PREOPEN as i32),
                    _ if r % 3 == 0 => Val::I32((r >> 32) as i32),
                    _ => Val::I32(u32s[(r >> 8) as usize % u32s.len()] as i32),
                }
            })
            .collect();
        let before = mem.clone();
        let result = (def.call)(&mut ctx, &mut GuestMemory::new(&mut mem), &args);
        if result == Err(Errno::Fault) {
            assert!(
                mem == before,
                "{}({args:?}) faulted after writing",
                def.name
            );
        }
    }
}
