#!/bin/sh
# Rebuilds controller.wasm (committed, so that `cargo test` needs no C toolchain).
# Needs clang and wasm-ld (Debian: clang lld). One 64 KiB page: 4 KiB of stack, the data.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,-z,stack-size=4096 \
  -Wl,--initial-memory=65536 -Wl,--max-memory=131072 -Wl,--strip-all \
  -o controller.wasm controller.c
