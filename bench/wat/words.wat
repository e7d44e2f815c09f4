;; Word sweep: every round reads each 64-bit word of a 256 KiB region with `i64.load`, adds it
;; to a running sum, and writes back `word + sum + 1` with `i64.store`. `setup` fills the
;; region with pseudo-random words.
;; Template: ADDR is the address type (i32 or i64), MEM64 is empty or `i64`.
(module
  (memory (export "mem") MEM64 4)
  (func (export "setup") (param i32) (result i64)
    (local $p ADDR) (local $k i32)
    (loop $fill
      (local.set $k (i32.add (i32.mul (local.get $k) (i32.const 1103515245)) (i32.const 12345)))
      (i64.store (local.get $p) (i64.extend_i32_u (local.get $k)))
      (local.set $p (ADDR.add (local.get $p) (ADDR.const 8)))
      (br_if $fill (ADDR.lt_u (local.get $p) (ADDR.const 0x40000))))
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $p ADDR) (local $v i64) (local $sum i64)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (ADDR.const 0))
        (loop $sweep
          (local.set $v (i64.load (local.get $p)))
          (local.set $sum (i64.add (local.get $sum) (local.get $v)))
          (i64.store (local.get $p)
            (i64.add (i64.add (local.get $v) (local.get $sum)) (i64.const 1)))
          (local.set $p (ADDR.add (local.get $p) (ADDR.const 8)))
          (br_if $sweep (ADDR.lt_u (local.get $p) (ADDR.const 0x40000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (local.get $sum)))
