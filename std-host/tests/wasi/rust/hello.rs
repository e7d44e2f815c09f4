//! Hello world with Rust's std: println!/print! (stdout is line-buffered), eprintln!
//! (unbuffered stderr), an explicit locked write_all and flush.
//! WASI: fd_write on fds 1 and 2 (the module also imports environ_get,
//! environ_sizes_get and proc_exit, as every Rust wasip1 program does).

use std::io::Write;

fn main() {
    println!("Hello from Rust, {}!", "world");
    print!("print! without a newline, ");
    println!("then println!");
    eprintln!("eprintln! goes to stderr");
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(b"write_all on a locked stdout\n")
        .expect("stdout accepts writes");
    for i in 1..=3 {
        writeln!(lock, "line {i} of 3").expect("stdout accepts writes");
    }
    lock.flush().expect("stdout flushes");
}
