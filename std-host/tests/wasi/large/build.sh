#!/usr/bin/env bash
# Rebuild sqlite.wasm (the SQLite 3.52.0 command-line shell for wasm32-wasi)
# from upstream sources, and a native build of the same sources to compare
# against.  See README.md for why each flag is there.
#
#   std-host/tests/wasi/large/build.sh [WORKDIR]
#
# WORKDIR (default: a fresh mktemp -d) receives the download, the unpacked
# sources and the native binary WORKDIR/sqlite3-native.  The only file
# written outside WORKDIR is sqlite.wasm next to this script.
#
# Needs: npm (to fetch the tarball from the npm registry), clang 14 with
# Debian's wasi-libc (apt: clang lld wasi-libc libclang-rt-14-dev-wasm32),
# gcc, sha256sum, tar.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${1:-$(mktemp -d /tmp/folio-sqlite-build.XXXXXX)}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

# The SQLite "autoconf" amalgamation tarball (sqlite3.c, sqlite3.h,
# shell.c, ...) exactly as sqlite.org ships it, bundled in the npm package
# `sqlite3` (node-sqlite3) under deps/.  Pinned by version and SHA-256.
NPM_PKG=sqlite3
NPM_VER=6.0.1
NPM_TGZ="sqlite3-${NPM_VER}.tgz"
NPM_SHA256=ab8d044a93e05bd031d7ea75547c7fa60387cdc259d27f93c0e3e2832c4b1df9
SQLITE_DIR=sqlite-autoconf-3520000
SQLITE_TGZ="${SQLITE_DIR}.tar.gz"
SQLITE_SHA256=f6b50b0c103392af32a8be15b2b9d25959de9a00a70c3979128aafeaa5338b3f

CC_WASM="${CC_WASM:-clang}"
CC_NATIVE="${CC_NATIVE:-gcc}"

cd "$WORK"
if [ ! -f "$NPM_TGZ" ]; then
  echo "== fetching $NPM_PKG@$NPM_VER from the npm registry"
  npm pack --silent "$NPM_PKG@$NPM_VER" >/dev/null
fi
echo "$NPM_SHA256  $NPM_TGZ" | sha256sum -c --quiet -
tar xzf "$NPM_TGZ" "package/deps/$SQLITE_TGZ"
echo "$SQLITE_SHA256  package/deps/$SQLITE_TGZ" | sha256sum -c --quiet -
rm -rf "$SQLITE_DIR"
tar xzf "package/deps/$SQLITE_TGZ"
SRC="$WORK/$SQLITE_DIR"
grep -q '#define SQLITE_VERSION        "3.52.0"' "$SRC/sqlite3.h"

# ---- wasm32-wasi ---------------------------------------------------------
# sqlite3.h itself turns on, for __wasi__: SQLITE_WASI, SQLITE_THREADSAFE=0,
# SQLITE_OMIT_LOAD_EXTENSION; os_unix.c then drops WAL/mmap/fchmod/fchown
# and makes "unix-dotfile" the default VFS.  Nothing below overrides that.
WASM_CFLAGS=(
  --target=wasm32-wasi --sysroot=/usr -O2
  -D_WASI_EMULATED_SIGNAL          # shell.c: <signal.h>, signal(SIGINT, ...)
  -D_WASI_EMULATED_PROCESS_CLOCKS  # shell.c: <sys/resource.h>, getrusage() for .timer
  -D_WASI_EMULATED_GETPID          # shell.c: getpid() in the SQLITE_DEBUG_BREAK message
)
WASM_LIBS=(
  -lwasi-emulated-signal
  -lwasi-emulated-process-clocks
  -lwasi-emulated-getpid
)
echo "== compiling for wasm32-wasi"
# Compile from inside $SRC with relative names: shell.c embeds __FILE__, and
# the .wasm must not depend on where WORKDIR was.
cd "$SRC"
"$CC_WASM" "${WASM_CFLAGS[@]}" -c sqlite3.c -o "$WORK/sqlite3.wasm.o"
# shell.c warns about chmod() (undeclared in wasi-libc), realpath() and
# getpid(); wasi_stubs.c and -lwasi-emulated-getpid resolve them.
"$CC_WASM" "${WASM_CFLAGS[@]}" -Wno-implicit-function-declaration -Wno-int-conversion \
  -Wno-deprecated-declarations -c shell.c -o "$WORK/shell.wasm.o"
"$CC_WASM" --target=wasm32-wasi --sysroot=/usr -O2 -c "$HERE/wasi_stubs.c" -o "$WORK/wasi_stubs.wasm.o"
"$CC_WASM" --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-all \
  -o "$HERE/sqlite.wasm" \
  "$WORK/shell.wasm.o" "$WORK/sqlite3.wasm.o" "$WORK/wasi_stubs.wasm.o" "${WASM_LIBS[@]}"

# ---- native (reference output, timing) -----------------------------------
# The same compile-time choices the wasm build gets from sqlite3.h, and the
# same default VFS, so both builds issue the same kind of file operations.
echo "== compiling natively"
"$CC_NATIVE" -O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
  -DSQLITE_DEFAULT_UNIX_VFS='"unix-dotfile"' \
  -o "$WORK/sqlite3-native" shell.c sqlite3.c -lm

ls -l "$HERE/sqlite.wasm" "$WORK/sqlite3-native"
sha256sum "$HERE/sqlite.wasm"
echo "native binary: $WORK/sqlite3-native"
