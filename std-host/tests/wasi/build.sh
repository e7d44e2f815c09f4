#!/usr/bin/env bash
# Rebuilds every WASI test program (.wasm beside its source) and rewrites manifest.txt.
#
#   bash std-host/tests/wasi/build.sh               # the committed .wasm files + manifest
#   bash std-host/tests/wasi/build.sh --native DIR  # native builds of the same sources, for
#                                                   # checking expectations (see README.md)
#
# Needs: clang, lld and wasi-libc (Debian packages `clang lld wasi-libc`), rustc with the
# `wasm32-wasip1` target (`rustup target add wasm32-wasip1`); --native needs gcc and rustc.
#
# The table below is the single list of programs: OUTPUT, SOURCES (comma-separated; every
# file the output depends on) and the exact COMMAND, run from this directory as a plain
# word list (no shell expansion, so no quoting or variables). tests/wasi_programs.rs reads
# the same table and recomputes the hashes in manifest.txt: change a source or a command
# without running this script and that test fails.
set -euo pipefail
cd "$(dirname "$0")"

read -r -d '' PROGRAMS <<'END_PROGRAMS' || true
c/hello.wasm      c/hello.c                clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/hello.wasm c/hello.c
c/args_env.wasm   c/args_env.c             clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/args_env.wasm c/args_env.c
c/exit.wasm       c/exit.c                 clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/exit.wasm c/exit.c
c/bigmem.wasm     c/bigmem.c               clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/bigmem.wasm c/bigmem.c
c/clocks.wasm     c/clocks.c,c/common.h    clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/clocks.wasm c/clocks.c
c/random.wasm     c/random.c,c/common.h    clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/random.wasm c/random.c
c/stdin.wasm      c/stdin.c,c/common.h     clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/stdin.wasm c/stdin.c
c/files.wasm      c/files.c,c/common.h     clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/files.wasm c/files.c
c/dirs.wasm       c/dirs.c,c/common.h      clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/dirs.wasm c/dirs.c
c/symlinks.wasm   c/symlinks.c,c/common.h  clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/symlinks.wasm c/symlinks.c
c/escape.wasm     c/escape.c,c/common.h    clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/escape.wasm c/escape.c
c/textdb.wasm     c/textdb.c,c/common.h    clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/textdb.wasm c/textdb.c
c/poll_stdin.wasm c/poll_stdin.c,c/common.h clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o c/poll_stdin.wasm c/poll_stdin.c
rust/hello.wasm         rust/hello.rs          rustc --target wasm32-wasip1 --edition 2024 -C opt-level=s -C lto=fat -C codegen-units=1 -C strip=symbols -o rust/hello.wasm rust/hello.rs
rust/args_env.wasm      rust/args_env.rs       rustc --target wasm32-wasip1 --edition 2024 -C opt-level=s -C lto=fat -C codegen-units=1 -C strip=symbols -o rust/args_env.wasm rust/args_env.rs
rust/exit.wasm          rust/exit.rs           rustc --target wasm32-wasip1 --edition 2024 -C opt-level=s -C lto=fat -C codegen-units=1 -C strip=symbols -o rust/exit.wasm rust/exit.rs
rust/clocks_random.wasm rust/clocks_random.rs  rustc --target wasm32-wasip1 --edition 2024 -C opt-level=s -C lto=fat -C codegen-units=1 -C strip=symbols -o rust/clocks_random.wasm rust/clocks_random.rs
rust/fs.wasm            rust/fs.rs             rustc --target wasm32-wasip1 --edition 2024 -C opt-level=s -C lto=fat -C codegen-units=1 -C strip=symbols -o rust/fs.wasm rust/fs.rs
rust/wordcount.wasm     rust/wordcount.rs      rustc --target wasm32-wasip1 --edition 2024 -C opt-level=s -C lto=fat -C codegen-units=1 -C strip=symbols -o rust/wordcount.wasm rust/wordcount.rs
../../../examples/hello-c.wasm  ../../../examples/hello.c   clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-all -o ../../../examples/hello-c.wasm ../../../examples/hello.c
../../../examples/hello-rs.wasm ../../../examples/hello.rs  rustc --target wasm32-wasip1 -C opt-level=s -C strip=symbols -o ../../../examples/hello-rs.wasm ../../../examples/hello.rs
END_PROGRAMS

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [[ ${1:-} == --native ]]; then
    out=${2:?usage: build.sh --native DIR}
    mkdir -p "$out"
    while read -r output sources _; do
        main=${sources%%,*}
        name=${output%.wasm}
        name=${name//\//_}
        case $main in
        *.c) gcc -O2 -o "$out/$name" "$main" ;;
        *.rs) rustc --edition 2024 -C opt-level=2 -o "$out/$name" "$main" ;;
        esac
        echo "built $out/$name"
    done <<<"$PROGRAMS"
    exit 0
fi

manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
{
    echo "# Written by build.sh; checked by tests/wasi_programs.rs (stale_binaries)."
    echo "# OUTPUT wasm=SHA256(output) cmd=SHA256(command, words joined by one space) SOURCE=SHA256(source)..."
    echo "# Built with: $(clang --version | head -n1); $(rustc --version); wasi-libc $(dpkg-query -W -f='${Version}' wasi-libc 2>/dev/null || echo unknown)"
} >"$manifest"
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
du -cb c/*.wasm rust/*.wasm | tail -n1 | sed 's/total$/bytes of .wasm in total/'
