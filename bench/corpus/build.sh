#!/usr/bin/env bash
# Rebuilds the compiler-output corpus (wasm/*.wasm from c/ and rust/) and rewrites
# manifest.txt. The .wasm files are committed, so the benchmark needs none of this.
#
#   bash bench/corpus/build.sh                # every .wasm + manifest.txt
#   bash bench/corpus/build.sh --native DIR   # native builds of the same sources (gcc, rustc)
#   bash bench/corpus/build.sh --check [DIR]  # native builds, then compare every program's
#                                             # checksum with both engines' (folio-bench) at
#                                             # the test n and at the default n
#   bash bench/corpus/build.sh --node [DIR]   # native builds, then every module under Node
#                                             # (V8, run-node.mjs) at n = 1 and 3: V8 must
#                                             # return the native checksums
#
# Needs: clang and wasm-ld (Debian `clang lld`; clang 14 here), rustc with the
# `wasm32-unknown-unknown` target (`rustup target add wasm32-unknown-unknown`); --native
# and --check need gcc and rustc for the host, --check also cargo, --node also node (20+).
#
# C: freestanding (no libc; the module has no imports), each program plus c/rt.c (malloc,
# free, memcpy...; see c/rt.h). The -m flags turn on what current clang's default CPU has
# (bulk memory, so memcpy/memset become memory.copy/memory.fill; non-trapping float-to-int;
# sign extension; mutable globals), which clang 14's default lacks in part. A 1 MiB stack.
# Every program (but simd.c and tailvm.c) at -O2 for wasm32 and wasm64 (memory64); some
# also at -Os and -O0.
# SIMD: -O3 -msimd128 (clang's loop and SLP vectorizers then emit v128 code) for the
# programs whose loops vectorize, and for simd.c (written with <wasm_simd128.h>), which also
# builds without -msimd128 (its plain-C fallback: the same program without SIMD). clang 14
# crashes compiling simd.c for wasm64 with -msimd128, so there is no memory64 SIMD build.
# Tail calls: tailvm.c (threaded code, `musttail` dispatch) at -O2 with -mtail-call, which
# makes clang emit return_call_indirect; without it clang refuses `musttail` for wasm.
# Rust: `cargo build --release` flags for a cdylib (opt-level 3, no LTO), symbols stripped;
# fft also with `-C target-feature=+simd128` (std itself stays scalar: it is prebuilt).
#
# The table below is the single list of programs: OUTPUT, SOURCES (comma-separated; every
# file the output depends on) and the exact COMMAND, run from this directory as a plain
# word list (no shell expansion). bench/src/tests.rs (`stale_corpus`) reads the same table
# and recomputes the hashes in manifest.txt: change a source or a command without running
# this script and that test fails.
set -euo pipefail
cd "$(dirname "$0")"

read -r -d '' PROGRAMS <<'END_PROGRAMS' || true
wasm/sha256-c-O2-wasm32.wasm    c/sha256.c,c/rt.c,c/rt.h        clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sha256-c-O2-wasm32.wasm c/sha256.c c/rt.c
wasm/sha256-c-O2-wasm64.wasm    c/sha256.c,c/rt.c,c/rt.h        clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sha256-c-O2-wasm64.wasm c/sha256.c c/rt.c
wasm/chacha20-c-O2-wasm32.wasm  c/chacha20.c,c/rt.c,c/rt.h      clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/chacha20-c-O2-wasm32.wasm c/chacha20.c c/rt.c
wasm/chacha20-c-O2-wasm64.wasm  c/chacha20.c,c/rt.c,c/rt.h      clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/chacha20-c-O2-wasm64.wasm c/chacha20.c c/rt.c
wasm/lz-c-O2-wasm32.wasm        c/lz.c,c/rt.c,c/rt.h            clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/lz-c-O2-wasm32.wasm c/lz.c c/rt.c
wasm/lz-c-O2-wasm64.wasm        c/lz.c,c/rt.c,c/rt.h            clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/lz-c-O2-wasm64.wasm c/lz.c c/rt.c
wasm/sort-c-O2-wasm32.wasm      c/sort.c,c/rt.c,c/rt.h          clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sort-c-O2-wasm32.wasm c/sort.c c/rt.c
wasm/sort-c-O2-wasm64.wasm      c/sort.c,c/rt.c,c/rt.h          clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sort-c-O2-wasm64.wasm c/sort.c c/rt.c
wasm/json-c-O2-wasm32.wasm      c/json.c,c/rt.c,c/rt.h          clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/json-c-O2-wasm32.wasm c/json.c c/rt.c
wasm/json-c-O2-wasm64.wasm      c/json.c,c/rt.c,c/rt.h          clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/json-c-O2-wasm64.wasm c/json.c c/rt.c
wasm/vm-c-O2-wasm32.wasm        c/vm.c,c/vm_isa.h,c/vm_guest.h,c/rt.c,c/rt.h clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/vm-c-O2-wasm32.wasm c/vm.c c/rt.c
wasm/vm-c-O2-wasm64.wasm        c/vm.c,c/vm_isa.h,c/vm_guest.h,c/rt.c,c/rt.h clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/vm-c-O2-wasm64.wasm c/vm.c c/rt.c
wasm/nbody-c-O2-wasm32.wasm     c/nbody.c,c/rt.c,c/rt.h         clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/nbody-c-O2-wasm32.wasm c/nbody.c c/rt.c
wasm/nbody-c-O2-wasm64.wasm     c/nbody.c,c/rt.c,c/rt.h         clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/nbody-c-O2-wasm64.wasm c/nbody.c c/rt.c
wasm/strsearch-c-O2-wasm32.wasm c/strsearch.c,c/rt.c,c/rt.h     clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/strsearch-c-O2-wasm32.wasm c/strsearch.c c/rt.c
wasm/strsearch-c-O2-wasm64.wasm c/strsearch.c,c/rt.c,c/rt.h     clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/strsearch-c-O2-wasm64.wasm c/strsearch.c c/rt.c
wasm/alloc-c-O2-wasm32.wasm     c/alloc.c,c/rt.c,c/rt.h         clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/alloc-c-O2-wasm32.wasm c/alloc.c c/rt.c
wasm/alloc-c-O2-wasm64.wasm     c/alloc.c,c/rt.c,c/rt.h         clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/alloc-c-O2-wasm64.wasm c/alloc.c c/rt.c
wasm/raytrace-c-O2-wasm32.wasm  c/raytrace.c,c/rt.c,c/rt.h      clang --target=wasm32 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/raytrace-c-O2-wasm32.wasm c/raytrace.c c/rt.c
wasm/raytrace-c-O2-wasm64.wasm  c/raytrace.c,c/rt.c,c/rt.h      clang --target=wasm64 -O2 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/raytrace-c-O2-wasm64.wasm c/raytrace.c c/rt.c
wasm/sha256-c-Os.wasm           c/sha256.c,c/rt.c,c/rt.h        clang --target=wasm32 -Os -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sha256-c-Os.wasm c/sha256.c c/rt.c
wasm/sha256-c-O0.wasm           c/sha256.c,c/rt.c,c/rt.h        clang --target=wasm32 -O0 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sha256-c-O0.wasm c/sha256.c c/rt.c
wasm/sort-c-Os.wasm             c/sort.c,c/rt.c,c/rt.h          clang --target=wasm32 -Os -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sort-c-Os.wasm c/sort.c c/rt.c
wasm/sort-c-O0.wasm             c/sort.c,c/rt.c,c/rt.h          clang --target=wasm32 -O0 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sort-c-O0.wasm c/sort.c c/rt.c
wasm/json-c-Os.wasm             c/json.c,c/rt.c,c/rt.h          clang --target=wasm32 -Os -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/json-c-Os.wasm c/json.c c/rt.c
wasm/json-c-O0.wasm             c/json.c,c/rt.c,c/rt.h          clang --target=wasm32 -O0 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/json-c-O0.wasm c/json.c c/rt.c
wasm/vm-c-Os.wasm               c/vm.c,c/vm_isa.h,c/vm_guest.h,c/rt.c,c/rt.h clang --target=wasm32 -Os -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/vm-c-Os.wasm c/vm.c c/rt.c
wasm/vm-c-O0.wasm               c/vm.c,c/vm_isa.h,c/vm_guest.h,c/rt.c,c/rt.h clang --target=wasm32 -O0 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/vm-c-O0.wasm c/vm.c c/rt.c
wasm/raytrace-c-Os.wasm         c/raytrace.c,c/rt.c,c/rt.h      clang --target=wasm32 -Os -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/raytrace-c-Os.wasm c/raytrace.c c/rt.c
wasm/raytrace-c-O0.wasm         c/raytrace.c,c/rt.c,c/rt.h      clang --target=wasm32 -O0 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/raytrace-c-O0.wasm c/raytrace.c c/rt.c
wasm/wordfreq-rust.wasm         rust/wordfreq.rs,rust/common.rs rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C strip=symbols -o wasm/wordfreq-rust.wasm rust/wordfreq.rs
wasm/json-rust.wasm             rust/json.rs,rust/common.rs     rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C strip=symbols -o wasm/json-rust.wasm rust/json.rs
wasm/interp-rust.wasm           rust/interp.rs,rust/common.rs   rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C strip=symbols -o wasm/interp-rust.wasm rust/interp.rs
wasm/graph-rust.wasm            rust/graph.rs,rust/common.rs    rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C strip=symbols -o wasm/graph-rust.wasm rust/graph.rs
wasm/fft-rust.wasm              rust/fft.rs,rust/common.rs      rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C strip=symbols -o wasm/fft-rust.wasm rust/fft.rs
wasm/records-rust.wasm          rust/records.rs,rust/common.rs  rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C strip=symbols -o wasm/records-rust.wasm rust/records.rs
wasm/tailvm-c-O2-tailcall.wasm  c/tailvm.c,c/vm_isa.h,c/vm_guest.h,c/rt.c,c/rt.h clang --target=wasm32 -O2 -mtail-call -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/tailvm-c-O2-tailcall.wasm c/tailvm.c c/rt.c
wasm/sha256-c-O3-simd128.wasm   c/sha256.c,c/rt.c,c/rt.h        clang --target=wasm32 -O3 -msimd128 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/sha256-c-O3-simd128.wasm c/sha256.c c/rt.c
wasm/chacha20-c-O3-simd128.wasm c/chacha20.c,c/rt.c,c/rt.h      clang --target=wasm32 -O3 -msimd128 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/chacha20-c-O3-simd128.wasm c/chacha20.c c/rt.c
wasm/nbody-c-O3-simd128.wasm    c/nbody.c,c/rt.c,c/rt.h         clang --target=wasm32 -O3 -msimd128 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/nbody-c-O3-simd128.wasm c/nbody.c c/rt.c
wasm/strsearch-c-O3-simd128.wasm c/strsearch.c,c/rt.c,c/rt.h    clang --target=wasm32 -O3 -msimd128 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/strsearch-c-O3-simd128.wasm c/strsearch.c c/rt.c
wasm/raytrace-c-O3-simd128.wasm c/raytrace.c,c/rt.c,c/rt.h      clang --target=wasm32 -O3 -msimd128 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/raytrace-c-O3-simd128.wasm c/raytrace.c c/rt.c
wasm/simd-c-O3-simd128.wasm     c/simd.c,c/rt.c,c/rt.h          clang --target=wasm32 -O3 -msimd128 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/simd-c-O3-simd128.wasm c/simd.c c/rt.c
wasm/simd-c-O3-wasm32.wasm      c/simd.c,c/rt.c,c/rt.h          clang --target=wasm32 -O3 -nostdlib -mbulk-memory -mnontrapping-fptoint -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=1048576 -Wl,--strip-all -o wasm/simd-c-O3-wasm32.wasm c/simd.c c/rt.c
wasm/fft-rust-simd128.wasm      rust/fft.rs,rust/common.rs      rustc --target wasm32-unknown-unknown --edition 2024 --crate-type cdylib -C opt-level=3 -C target-feature=+simd128 -C strip=symbols -o wasm/fft-rust-simd128.wasm rust/fft.rs
END_PROGRAMS

sha() { sha256sum "$1" | cut -d' ' -f1; }

# The programs, once each (name, language).
programs() {
    while read -r output _; do
        base=${output#wasm/}
        base=${base%.wasm}
        case $base in
        *-rust | *-rust-*) echo "${base%-rust*} rust" ;;
        *-c-*) echo "${base%%-c-*} c" ;;
        esac
    done <<<"$PROGRAMS" | awk '!seen[$0]++'
}

native() {
    out=$1
    mkdir -p "$out"
    cat >"$out/main.rs" <<'EOF_MAIN'
fn main() {
    for a in std::env::args().skip(1) {
        println!("{}", prog::run(a.parse().expect("an integer argument")));
    }
}
EOF_MAIN
    programs | while read -r name lang; do
        case $lang in
        c) gcc -O2 -o "$out/$name-c" "c/$name.c" c/rt.c c/native_main.c -lm ;;
        rust)
            rustc --edition 2024 -C opt-level=3 --crate-type rlib --crate-name prog \
                -o "$out/lib$name.rlib" "rust/$name.rs"
            rustc --edition 2024 -C opt-level=3 -o "$out/$name-rust" "$out/main.rs" \
                --extern prog="$out/lib$name.rlib"
            ;;
        esac
        echo "built $out/$name-$lang"
    done
}

case ${1:-} in
--native)
    native "${2:?usage: build.sh --native DIR}"
    exit 0
    ;;
--check)
    dir=${2:-$(mktemp -d)}
    native "$dir"
    # `--checksums` prints NAME N CHECKSUM for every corpus build, at the test argument and
    # at the default one, after checking that Folio and wasmi agree (and, at the test
    # argument, match the checksum recorded in src/corpus.rs); the native build of the
    # same program must print the same.
    fail=0
    (cd ../.. && cargo run --quiet --release -p folio-bench -- corpus --checksums) >"$dir/checksums.txt" || fail=1
    while read -r name n sum; do
        prog=${name%%/*}
        lang=${name#*/}
        lang=${lang%%-*}
        want=$("$dir/$prog-$lang" "$n")
        if [[ $want == "$sum" ]]; then
            echo "ok    $name run($n) = $sum"
        else
            echo "FAIL  $name run($n) = $sum on both engines, native $want"
            fail=1
        fi
    done <"$dir/checksums.txt"
    exit $fail
    ;;
--node)
    # V8 as a third engine: every module at n = 1 and 3 against the native build (the
    # memory64 modules need the flag on Node 20).
    dir=${2:-$(mktemp -d)}
    native "$dir"
    fail=0
    while read -r output _; do
        base=${output#wasm/}
        base=${base%.wasm}
        case $base in
        *-rust | *-rust-*) exe="$dir/${base%-rust*}-rust" ;;
        *) exe="$dir/${base%%-c-*}-c" ;;
        esac
        want=$("$exe" 1 3 | tr '\n' ' ')
        got=$(node --experimental-wasm-memory64 run-node.mjs "$output" 1 3 2>&1 | tr '\n' ' ')
        if [[ $got == "$want" ]]; then
            echo "ok    $base run(1), run(3) = $got"
        else
            echo "FAIL  $base run(1), run(3) = $got on node, native $want"
            fail=1
        fi
    done <<<"$PROGRAMS"
    exit $fail
    ;;
esac

manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
{
    echo "# Written by build.sh; checked by bench/src/tests.rs (stale_corpus)."
    echo "# OUTPUT wasm=SHA256(output) cmd=SHA256(command, words joined by one space) SOURCE=SHA256(source)..."
    echo "# Built with: $(clang --version | head -n1); $(rustc --version)"
} >"$manifest"
mkdir -p wasm
while read -r output sources command; do
    read -r -a words <<<"$command"
    echo "${words[*]}"
    "${words[@]}"
    line="$output wasm=$(sha "$output") cmd=$(printf '%s' "${words[*]}" | sha256sum | cut -d' ' -f1)"
    IFS=, read -r -a files <<<"$sources"
    for f in "${files[@]}"; do
        line+=" $f=$(sha "$f")"
    done
    echo "$line" >>"$manifest"
done <<<"$PROGRAMS"
mv "$manifest" manifest.txt
trap - EXIT
du -cb wasm/*.wasm | tail -n1 | sed 's/total$/bytes of .wasm in total/'
