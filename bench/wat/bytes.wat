;; Byte sweep: every round reads each byte of a 256 KiB region with `i32.load8_u`, adds it to
;; a running sum, and writes back `byte + sum` with `i32.store8`. `setup` fills the region
;; with pseudo-random bytes.
;; Template: ADDR is the address type (i32 or i64), MEM64 is empty or `i64`.
(module
  (memory (export "mem") MEM64 4)
  (func (export "setup") (param i32) (result i64)
    (local $p ADDR) (local $k i32)
    (loop $fill
      (local.set $k (i32.add (i32.mul (local.get $k) (i32.const 1103515245)) (i32.const 12345)))
      (i32.store8 (local.get $p) (local.get $k))
      (local.set $p (ADDR.add (local.get $p) (ADDR.const 1)))
      (br_if $fill (ADDR.lt_u (local.get $p) (ADDR.const 0x40000))))
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $p ADDR) (local $v i32) (local $sum i32)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (ADDR.const 0))
        (loop $sweep
          (local.set $v (i32.load8_u (local.get $p)))
          (local.set $sum (i32.add (local.get $sum) (local.get $v)))
          (i32.store8 (local.get $p) (i32.add (local.get $v) (local.get $sum)))
          (local.set $p (ADDR.add (local.get $p) (ADDR.const 1)))
          (br_if $sweep (ADDR.lt_u (local.get $p) (ADDR.const 0x40000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (i64.extend_i32_u (local.get $sum))))
