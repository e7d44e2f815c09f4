//! std::fs in a preopened directory (argv[1]): create_dir_all, write/read_to_string,
//! OpenOptions (append, create_new), Seek, set_len, sync_all, metadata/symlink_metadata,
//! read_dir (sorted), copy, rename, hard_link, remove_file, remove_dir, remove_dir_all,
//! and the io::ErrorKind of the usual failures.
//! WASI: path_open, fd_read, fd_write, fd_seek, fd_filestat_get, fd_filestat_set_size,
//! fd_sync, path_filestat_get, path_create_directory, fd_readdir, path_rename, path_link,
//! path_unlink_file, path_remove_directory, fd_close, clock_time_get (SystemTime::elapsed).

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

fn kind(r: io::Result<impl Sized>) -> String {
    match r {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("{:?}", e.kind()),
    }
}

/// Every entry under `dir`, sorted, with its type and size; directories recursively.
fn tree(dir: &Path, depth: usize) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let ty = e.file_type()?;
        let name = e.file_name().to_string_lossy().into_owned();
        let indent = "  ".repeat(depth + 1);
        if ty.is_dir() {
            println!("{indent}{name}/");
            tree(&e.path(), depth + 1)?;
        } else {
            println!("{indent}{name} ({} bytes)", e.metadata()?.len());
        }
    }
    Ok(())
}

fn run(root: &Path) -> io::Result<()> {
    let p = |name: &str| -> PathBuf { root.join(name) };

    println!("== write, read, append, create_new");
    fs::create_dir_all(p("notes/2024/june"))?;
    fs::write(p("notes/2024/june/a.txt"), "first line\n")?;
    let mut f = OpenOptions::new()
        .append(true)
        .open(p("notes/2024/june/a.txt"))?;
    f.write_all(b"appended line\n")?;
    drop(f);
    print!("{}", fs::read_to_string(p("notes/2024/june/a.txt"))?);
    println!(
        "create_new on an existing file: {}",
        kind(
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p("notes/2024/june/a.txt"))
        )
    );
    println!(
        "read a missing file: {}",
        kind(fs::read(p("notes/missing.txt")))
    );
    println!(
        "create_dir on an existing dir: {}",
        kind(fs::create_dir(p("notes")))
    );
    println!(
        "create_dir_all on an existing dir: {}",
        kind(fs::create_dir_all(p("notes/2024")))
    );

    println!("== seek, set_len, sync_all, metadata");
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(p("data.bin"))?;
    f.write_all(b"0123456789abcdef")?;
    println!("seek End(-6): {}", f.seek(SeekFrom::End(-6))?);
    let mut buf = [0u8; 3];
    f.read_exact(&mut buf)?;
    println!("read 3: {:?}", String::from_utf8_lossy(&buf));
    println!("seek Current(-5): {}", f.seek(SeekFrom::Current(-5))?);
    f.write_all(b"XY")?;
    println!("stream_position: {}", f.stream_position()?);
    f.set_len(32)?;
    println!("len after set_len(32): {}", f.metadata()?.len());
    f.set_len(12)?;
    f.sync_all()?;
    f.seek(SeekFrom::Start(0))?;
    let mut s = String::new();
    f.read_to_string(&mut s)?;
    println!("contents after set_len(12): {s:?}");
    println!(
        "seek before the start: {}",
        kind(f.seek(SeekFrom::Current(-100)))
    );
    drop(f);
    let m = fs::metadata(p("data.bin"))?;
    println!(
        "metadata: file {}, dir {}, len {}",
        m.is_file(),
        m.is_dir(),
        m.len()
    );
    let modified = m.modified()?;
    let age = modified.elapsed().unwrap_or_default();
    println!("modified within the last hour: {}", age.as_secs() < 3600);
    let m = fs::metadata(p("notes"))?;
    println!(
        "metadata of a dir: file {}, dir {}",
        m.is_file(),
        m.is_dir()
    );

    println!("== copy, rename, hard_link");
    println!(
        "copy: {} bytes",
        fs::copy(p("data.bin"), p("notes/copy.bin"))?
    );
    fs::rename(p("data.bin"), p("notes/2024/moved.bin"))?;
    println!(
        "old name after rename: {}",
        kind(fs::metadata(p("data.bin")))
    );
    fs::hard_link(p("notes/copy.bin"), p("notes/hard.bin"))?;
    fs::write(p("notes/hard.bin"), "changed through the hard link")?;
    println!(
        "copy.bin reads: {:?}",
        fs::read_to_string(p("notes/copy.bin"))?
    );
    fs::remove_file(p("notes/hard.bin"))?;
    println!(
        "copy.bin still there: {}",
        fs::metadata(p("notes/copy.bin")).is_ok()
    );

    println!("== tree");
    tree(root, 0)?;

    println!("== remove");
    // Not its ErrorKind: Rust's wasip1 std maps ENOTEMPTY to `Uncategorized`.
    let refused = fs::remove_dir(p("notes")).is_err();
    println!(
        "remove_dir of a non-empty dir fails: {refused}, still there: {}",
        p("notes").is_dir()
    );
    println!(
        "remove_file of a dir: {}",
        kind(fs::remove_file(p("notes/2024")))
    );
    println!(
        "read_dir of a file: {}",
        kind(fs::read_dir(p("notes/copy.bin")))
    );
    fs::remove_dir_all(p("notes"))?;
    println!("after remove_dir_all: {}", kind(fs::metadata(p("notes"))));
    println!("entries left: {}", fs::read_dir(root)?.count());
    Ok(())
}

fn main() {
    let root = match std::env::args().nth(1) {
        Some(r) => PathBuf::from(r),
        None => {
            eprintln!("usage: fs DIR");
            std::process::exit(64);
        }
    };
    if let Err(e) = run(&root) {
        println!("error: {e} ({:?})", e.kind());
        std::process::exit(1);
    }
}
