//! Word counts with std::fs, std::env and HashMap together (one of the programs the WASI
//! work is "done when" it runs): reads every `*.txt` file in the directory named by argv[1]
//! (or by $WORDS_DIR), counts words (runs of ASCII letters and digits, lowercased) per file and in total,
//! writes `counts.tsv` into the same directory, reads it back to check, and prints the $TOP
//! (default 5) most frequent words, ties broken alphabetically.
//! WASI: args_get, environ_get, path_open, fd_readdir, fd_read, fd_write,
//! path_filestat_get, fd_filestat_get, random_get (HashMap's RandomState), fd_close.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

fn run() -> io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("WORDS_DIR").ok())
        .map(PathBuf::from)
        .ok_or_else(|| io::Error::other("give a directory as argv[1] or $WORDS_DIR"))?;
    let top: usize = std::env::var("TOP")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(5);

    let mut files: Vec<PathBuf> = fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();

    let mut total: HashMap<String, usize> = HashMap::new();
    for path in &files {
        let text = fs::read_to_string(path)?;
        let mut here: HashMap<String, usize> = HashMap::new();
        for w in words(&text) {
            *here.entry(w).or_default() += 1;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!(
            "{name}: {} words, {} distinct",
            here.values().sum::<usize>(),
            here.len()
        );
        for (w, n) in here {
            *total.entry(w).or_default() += n;
        }
    }

    let mut sorted: Vec<(&String, &usize)> = total.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let out = dir.join("counts.tsv");
    let mut f = fs::File::create(&out)?;
    for (w, n) in &sorted {
        writeln!(f, "{w}\t{n}")?;
    }
    drop(f);
    let back = fs::read_to_string(&out)?;
    println!(
        "wrote counts.tsv: {} lines, {} bytes",
        back.lines().count(),
        back.len()
    );
    println!(
        "total: {} words, {} distinct",
        total.values().sum::<usize>(),
        total.len()
    );
    println!("top {top}:");
    for (w, n) in sorted.iter().take(top) {
        println!("  {n:4} {w}");
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("wordcount: {e}");
        std::process::exit(1);
    }
}
