#!/usr/bin/env bash
# Rebuilds the shared-memory builds of four corpus programs (committed, so that `cargo
# test` needs no C toolchain): the sources of bench/corpus/c with the flags of its -O2
# wasm32 builds, plus atomics and `--shared-memory` (wasm-ld then initialises the data
# segments in a start function, with memory.init and atomics). `threads_corpus.rs` runs
# them against the plain builds in bench/corpus/wasm.
# Needs clang and wasm-ld (Debian: clang lld).
set -euo pipefail
cd "$(dirname "$0")"
src=../../../bench/corpus/c
for p in sha256 lz vm json; do
    clang --target=wasm32 -O2 -nostdlib -matomics -mbulk-memory -mnontrapping-fptoint \
        -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=run \
        -Wl,-z,stack-size=1048576 -Wl,--shared-memory -Wl,--max-memory=67108864 \
        -Wl,--strip-all -o "$p-shared.wasm" "$src/$p.c" "$src/rt.c"
done
