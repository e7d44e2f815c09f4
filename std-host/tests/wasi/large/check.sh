#!/usr/bin/env bash
# Run workload.sql (and superjournal.sql) through sqlite.wasm under one or
# more runners, each time in a fresh directory, and compare with the
# expected output that the native build produced.  Prints wall times.
#
#   std-host/tests/wasi/large/check.sh RUNNER...
#
# RUNNER is one of
#   folio   $FOLIO (default: target/release/folio) run --dir D::/data --env HOME=/data ...
#   wasmi   $WASMI (default: ~/.cargo/bin/wasmi, from `cargo install wasmi_cli`)
#   node    node's WASI via run-node.mjs, same --dir/--env shape as folio
#   native  $NATIVE (the sqlite3-native that build.sh printed)
# Exit status: 0 when every run matched.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
WASM="$HERE/sqlite.wasm"
FOLIO="${FOLIO:-$ROOT/target/release/folio}"
WASMI="${WASMI:-$HOME/.cargo/bin/wasmi}"
NATIVE="${NATIVE:-}"
TIMEFORMAT='%R'
fail=0

# run_one RUNNER DIR DBNAME SCRIPT OUT ERR: run SCRIPT on stdin with the
# database DIR/DBNAME; the shell is told to chdir into the directory first.
run_one() {
  local runner=$1 dir=$2 db=$3 script=$4 out=$5 err=$6
  case $runner in
    folio)
      "$FOLIO" run --dir "$dir::/data" --env HOME=/data "$WASM" \
        -cmd '.cd /data' "/data/$db" <"$script" >"$out" 2>"$err" ;;
    node)
      node --no-warnings "$HERE/run-node.mjs" --dir "$dir::/data" --env HOME=/data "$WASM" \
        -cmd '.cd /data' "/data/$db" <"$script" >"$out" 2>"$err" ;;
    wasmi)
      # wasmi's --dir takes no ::GUEST; its guest name is the host path as
      # given.  SQLite lstat()s every component of a database path, and a
      # component outside every preopen (e.g. /tmp of /tmp/x/bench.db) is
      # ENOTCAPABLE, so run from inside the directory and preopen ".".
      (cd "$dir" && "$WASMI" run --dir . --env HOME=. "$WASM" \
        -cmd '.cd .' "$db" <"$script" >"$out" 2>"$err") ;;
    native)
      (cd "$dir" && HOME="$dir" "$NATIVE" -cmd ".cd $dir" "$dir/$db" \
        <"$script" >"$out" 2>"$err") ;;
    *) echo "unknown runner $runner" >&2; return 2 ;;
  esac
}

check() {
  local runner=$1 name=$2 db=$3 files=$4
  local dir out err rc t
  dir="$(mktemp -d "${TMPDIR:-/tmp}/folio-sqlite-run.XXXXXX")"
  out="$dir.out"; err="$dir.err"
  t=$( { time run_one "$runner" "$dir" "$db" "$HERE/$name.sql" "$out" "$err"; } 2>&1 )
  rc=$?
  local ok=1
  if [ $rc -ne 0 ]; then echo "  exit status $rc"; ok=0; fi
  if ! cmp -s "$out" "$HERE/$name.expected"; then
    echo "  stdout differs from $name.expected:"; diff "$HERE/$name.expected" "$out" | head -20; ok=0
  fi
  if [ -s "$err" ]; then echo "  stderr not empty:"; head -5 "$err"; ok=0; fi
  local left
  left="$(cd "$dir" && ls -A | tr '\n' ' ')"
  if [ "$left" != "$files" ]; then
    echo "  directory holds [$left], expected [$files]"; ok=0
  fi
  if [ $ok = 1 ]; then
    printf '%-7s %-13s ok    %6ss\n' "$runner" "$name" "$t"
  else
    printf '%-7s %-13s FAIL  %6ss  (kept %s)\n' "$runner" "$name" "$t" "$dir"; fail=1; return
  fi
  rm -rf "$dir" "$out" "$err"
}

[ $# -gt 0 ] || set -- folio
for runner in "$@"; do
  case $runner in
    native) [ -x "$NATIVE" ] || { echo "set NATIVE=path/to/sqlite3-native (build.sh prints it)"; exit 2; } ;;
    folio) [ -x "$FOLIO" ] || { echo "no $FOLIO (cargo build --release, or set FOLIO)"; exit 2; } ;;
    wasmi) [ -x "$WASMI" ] || { echo "no $WASMI (cargo install wasmi_cli, or set WASMI)"; exit 2; } ;;
  esac
  check "$runner" workload bench.db "archive.db bench.db products.csv "
  if [ "$runner" = wasmi ]; then
    # wasmi (wasi-common) answers fd_sync on a directory with EBADF.
    echo "wasmi   superjournal  skipped (fd_sync on a directory fd fails under wasmi)"
  else
    check "$runner" superjournal two.db "two-archive.db two.db "
  fi
done
exit $fail
