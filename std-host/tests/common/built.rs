//! The committed `.wasm` files built by a `build.sh` from sources, and the manifest that
//! records what each was built from: shared by the WASI test programs
//! (`std-host/tests/wasi`) and the benchmark corpus (`bench/corpus`, which includes this
//! file by path), whose build scripts write the same manifest format.
//!
//! `build.sh` lists its programs in a table after `<<'END_PROGRAMS'`, one per line:
//! output, comma-separated sources, command. `manifest.txt` has one line per output:
//! `OUTPUT wasm=SHA256 cmd=SHA256 SOURCE=SHA256...`.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// One program of build.sh's table: output, sources, command (words joined by one space,
/// as build.sh hashes it).
pub type Built = (String, Vec<String>, String);

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The SHA-256 of a file, in hexadecimal.
pub fn sha256_file(path: &Path) -> String {
    hex(&Sha256::digest(
        std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
    ))
}

/// The program table of `dir/build.sh`.
pub fn build_table(dir: &Path) -> Vec<Built> {
    let script = read(&dir.join("build.sh"));
    let start = script
        .find("<<'END_PROGRAMS'")
        .and_then(|i| script[i..].find('\n').map(|j| i + j + 1))
        .expect("build.sh has a table after <<'END_PROGRAMS'");
    let end = script[start..]
        .find("\nEND_PROGRAMS\n")
        .map(|i| start + i)
        .expect("build.sh's table ends with END_PROGRAMS");
    script[start..end]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let output = words.next().expect("an output").to_string();
            let sources = words
                .next()
                .unwrap_or_else(|| panic!("no sources in build.sh line {l:?}"))
                .split(',')
                .map(str::to_string)
                .collect();
            let command = words.collect::<Vec<_>>().join(" ");
            (output, sources, command)
        })
        .collect()
}

/// What is stale in `dir` against its `manifest.txt`: each output of `table` whose
/// `.wasm`, command or sources changed since it was built (or that the manifest lacks),
/// and each manifest entry that build.sh no longer builds.
pub fn stale_against_manifest(dir: &Path, table: &[Built]) -> Vec<String> {
    let manifest = read(&dir.join("manifest.txt"));
    let mut recorded = BTreeMap::new();
    for line in manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut fields = line.split_whitespace();
        let output = fields.next().expect("an output").to_string();
        let hashes: Vec<(String, String)> = fields
            .map(|f| {
                let (k, v) = f.split_once('=').expect("manifest fields are NAME=SHA256");
                (k.to_string(), v.to_string())
            })
            .collect();
        recorded.insert(output, hashes);
    }
    let mut stale = Vec::new();
    for (output, sources, command) in table {
        let Some(hashes) = recorded.remove(output) else {
            stale.push(format!("{output}: not in manifest.txt"));
            continue;
        };
        let mut want = vec![
            ("wasm".to_string(), sha256_file(&dir.join(output))),
            ("cmd".to_string(), hex(&Sha256::digest(command.as_bytes()))),
        ];
        for s in sources {
            want.push((s.clone(), sha256_file(&dir.join(s))));
        }
        if hashes != want {
            let what: Vec<&str> = want
                .iter()
                .filter(|w| !hashes.contains(w))
                .map(|(k, _)| match k.as_str() {
                    "wasm" => "the .wasm itself",
                    "cmd" => "its build command in build.sh",
                    source => source,
                })
                .collect();
            stale.push(format!(
                "{output}: changed since it was built: {}",
                what.join(", ")
            ));
        }
    }
    for output in recorded.keys() {
        stale.push(format!("{output}: in manifest.txt but not in build.sh"));
    }
    stale
}
