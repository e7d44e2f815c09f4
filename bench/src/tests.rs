//! Correctness only: both engines agree on every workload (at its small check argument)
//! and on the memory benchmarks' modules; the corpus also matches its native builds and
//! its binaries match their sources. No test looks at a time.

use crate::engines::{Kind, instantiate_wat};
use crate::workloads::Group;
use crate::{corpus, exec, memory, workloads};
#[path = "../../std-host/tests/common/built.rs"]
mod built;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Both engines agree on one round of every WAT workload; the checksum is not the trivial
/// 0; and each memory64 variant computes what its `i32` original does.
#[test]
fn engines_agree_on_every_wat_workload() {
    let mut sums = HashMap::new();
    for w in workloads::wat() {
        let (folio, wasmi) = exec::compile(&w).unwrap();
        let sum = exec::check(&w, &folio, &wasmi, 1).unwrap();
        assert_ne!(sum, 0, "{}", w.name);
        sums.insert(w.name, sum);
    }
    for (name, sum) in &sums {
        if let Some(narrow) = name.strip_suffix("64") {
            assert_eq!(Some(sum), sums.get(narrow), "{name}");
        }
    }
}

/// Checks the corpus workloads whose build is one of `builds`: both engines agree with
/// each other and with the native build of the same source at the test argument. (Every
/// build of a program is checked against the same native checksum, so they agree too.)
fn check_corpus(builds: &[&str]) {
    let mut checked = 0;
    for (w, e) in corpus::workloads().iter().zip(corpus::CORPUS) {
        if builds.contains(&e.build) {
            let (folio, wasmi) = exec::compile(w).unwrap();
            exec::check(w, &folio, &wasmi, w.check_rounds).unwrap();
            checked += 1;
        }
    }
    assert!(checked > 0, "no corpus build among {builds:?}");
}

// One test per build, so that the test harness runs them in parallel.

#[test]
fn corpus_c_o2_wasm32_matches_native_on_both_engines() {
    check_corpus(&["c-O2-wasm32"]);
}

#[test]
fn corpus_c_o2_wasm64_matches_native_on_both_engines() {
    check_corpus(&["c-O2-wasm64"]);
}

#[test]
fn corpus_c_os_o0_match_native_on_both_engines() {
    check_corpus(&["c-Os", "c-O0"]);
}

#[test]
fn corpus_rust_matches_native_on_both_engines() {
    check_corpus(&["rust"]);
}

/// The 128-bit SIMD builds (clang's vectorizers, `simd.c`'s intrinsics, rustc's
/// `+simd128`); Node (V8) returns the same checksums (`build.sh --node`).
#[test]
fn corpus_simd_matches_native_on_both_engines() {
    check_corpus(&["c-O3-simd128", "rust-simd128"]);
}

/// `simd.c` without `-msimd128`: its plain-C fallback, the program the SIMD build is
/// compared with.
#[test]
fn corpus_simd_scalar_fallback_matches_native_on_both_engines() {
    check_corpus(&["c-O3-wasm32"]);
}

/// The tail-call build: threaded code whose every guest instruction ends in a
/// `return_call_indirect`; vm's guest programs, so vm's checksum.
#[test]
fn corpus_tail_call_matches_native_on_both_engines() {
    check_corpus(&[corpus::TAIL_CALL_BUILD]);
}

/// The tail-call builds use tail calls (clang emitted `return_call`s or
/// `return_call_indirect`s) and no other build does: wasmi with tail calls switched off
/// rejects exactly the former.
#[test]
fn corpus_tail_call_builds_use_tail_calls() {
    let mut config = wasmi::Config::default();
    config
        .wasm_memory64(true)
        .wasm_simd(true)
        .wasm_tail_call(false);
    let no_tail_calls = wasmi::Engine::new(&config);
    for e in corpus::CORPUS {
        let rejected = wasmi::Module::new(&no_tail_calls, e.wasm)
            .err()
            .map(|e| e.to_string());
        let uses_tail_calls = rejected.as_deref().is_some_and(|m| m.contains("tail"));
        assert_eq!(
            uses_tail_calls,
            e.build == corpus::TAIL_CALL_BUILD,
            "{}: {rejected:?}",
            e.name()
        );
    }
}

/// Every `*-simd128` build uses SIMD (clang or rustc vectorized something, or the
/// intrinsics survived), and the scalar fallback uses none: wasmi with SIMD switched off
/// rejects exactly the former.
#[test]
fn corpus_simd_builds_use_simd() {
    let mut config = wasmi::Config::default();
    config.wasm_memory64(true).wasm_simd(false);
    let scalar = wasmi::Engine::new(&config);
    for e in corpus::CORPUS {
        let rejected = wasmi::Module::new(&scalar, e.wasm)
            .err()
            .map(|e| e.to_string());
        let uses_simd = rejected.as_deref().is_some_and(|m| m.contains("SIMD"));
        assert_eq!(
            uses_simd,
            e.build.contains("simd128"),
            "{}: {rejected:?}",
            e.name()
        );
    }
}

/// Every build of a program runs with the same test argument against the same native
/// checksum, and the C programs have every build the table promises.
#[test]
fn corpus_table_is_consistent() {
    let mut programs: BTreeMap<&str, Vec<&corpus::Entry>> = BTreeMap::new();
    for e in corpus::CORPUS {
        programs.entry(e.program).or_default().push(e);
    }
    for e in corpus::CORPUS {
        let same_source = programs[e.program]
            .iter()
            .filter(|o| o.is_rust() == e.is_rust());
        for other in same_source {
            assert_eq!(
                (other.test_rounds, other.native),
                (e.test_rounds, e.native),
                "{} vs {}",
                other.name(),
                e.name()
            );
        }
        assert!(e.rounds >= 1 && e.test_rounds >= 1, "{}", e.name());
    }
    let c: Vec<&str> = programs
        .iter()
        .filter(|(_, es)| es.iter().any(|e| !e.is_rust()))
        .map(|(p, _)| *p)
        .collect();
    for program in &c {
        let builds: &[&str] = if *program == corpus::SIMD_PROGRAM {
            &["c-O3-simd128", "c-O3-wasm32"]
        } else if *program == corpus::TAIL_CALL_PROGRAM {
            &[corpus::TAIL_CALL_BUILD]
        } else {
            &["c-O2-wasm32", "c-O2-wasm64"]
        };
        for build in builds {
            assert!(
                programs[program].iter().any(|e| e.build == *build),
                "{program}: no {build} build"
            );
        }
    }
    let with = |build: &str| corpus::CORPUS.iter().filter(|e| e.build == build).count();
    assert!(with("c-Os") >= 3 && with("c-O0") >= 3 && with("c-O3-simd128") >= 3);
    assert!(with("rust") >= 3);
    // The SIMD builds are a group of their own, after the others (the table prints
    // groups in order); the tail-call builds too, just before them.
    let first_simd = corpus::CORPUS
        .iter()
        .position(|e| e.group() == Group::CorpusSimd);
    assert!(first_simd.is_some_and(|i| {
        corpus::CORPUS[i..]
            .iter()
            .all(|e| e.group() == Group::CorpusSimd)
    }));
    let tail: Vec<usize> = (0..corpus::CORPUS.len())
        .filter(|&i| corpus::CORPUS[i].group() == Group::CorpusTailCall)
        .collect();
    assert!(!tail.is_empty(), "no tail-call build");
    assert!(tail.windows(2).all(|w| w[1] == w[0] + 1), "{tail:?}");
    assert_eq!(tail.last().map(|i| i + 1), first_simd);
}

// ---------------------------------------------------------------------------------------
// Stale corpus binaries (the same scheme as std-host/tests/wasi/build.sh's manifest)

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Fails when a committed `.wasm` no longer matches its source or build command (or was
/// rebuilt without the manifest), naming each, and says to run build.sh. Also when the
/// corpus table (`src/corpus.rs`) and build.sh's table list different modules.
#[test]
fn stale_corpus() {
    let dir = corpus_dir();
    let table = built::build_table(&dir);
    let mut stale = built::stale_against_manifest(&dir, &table);
    let entries = std::fs::read_dir(dir.join("wasm")).expect("bench/corpus/wasm");
    for entry in entries {
        let name = entry.expect("a directory entry").file_name();
        let rel = format!("wasm/{}", name.to_string_lossy());
        if !table.iter().any(|(o, _, _)| *o == rel) {
            stale.push(format!("{rel}: not built by build.sh"));
        }
    }
    for e in corpus::CORPUS {
        if !table.iter().any(|(o, _, _)| *o == e.file()) {
            stale.push(format!(
                "{}: in src/corpus.rs but not in build.sh",
                e.file()
            ));
        }
        let on_disk = std::fs::read(dir.join(e.file())).unwrap_or_default();
        if on_disk != e.wasm {
            stale.push(format!("{}: differs from the bytes compiled in", e.file()));
        }
    }
    for (o, _, _) in &table {
        if !corpus::CORPUS.iter().any(|e| e.file() == *o) {
            stale.push(format!("{o}: built by build.sh but not in src/corpus.rs"));
        }
    }
    assert!(
        stale.is_empty(),
        "stale corpus binaries; run `bash bench/corpus/build.sh`:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn grow_module_grows_on_every_store() {
    for kind in memory::STORE_KINDS {
        let mut inst = instantiate_wat(kind, memory::GROW_WAT).unwrap();
        assert_eq!(inst.call("run", 3), Ok(3), "{}", kind.name());
        assert_eq!(inst.memory("mem").map(<[u8]>::len), Some(3 * 65_536));
    }
}

#[test]
fn touch_module_reads_back_on_every_store() {
    for kind in memory::STORE_KINDS {
        let mut inst = instantiate_wat(kind, &memory::touch_wat(2)).unwrap();
        assert_eq!(inst.call("run", 70_000), Ok(42), "{}", kind.name());
    }
}

#[test]
fn big_module_is_valid_for_every_engine() {
    let wasm = wat::parse_str(memory::big_module_wat(3, 2)).unwrap();
    for kind in [Kind::Folio, Kind::Wasmi, Kind::WasmiLazy] {
        let module = crate::engines::Engine::new(kind).compile(&wasm).unwrap();
        module.instantiate().unwrap();
    }
}

#[test]
fn workload_rounds_scale() {
    let w = &workloads::all()[0];
    assert_eq!(w.rounds_at(1.0), w.rounds as i32);
    assert_eq!(w.rounds_at(1e-9), 1);
}
