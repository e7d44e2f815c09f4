;; memcpy with loads and stores: every round copies a 64 KiB block (at 0) to 64 KiB with
;; `i64.load`/`i64.store`, then changes one word of the source. `setup` fills the source.
;; Returns the sum of the destination's words.
;; Template: ADDR is the address type (i32 or i64), MEM64 is empty or `i64`.
(module
  (memory (export "mem") MEM64 2)
  (func (export "setup") (param i32) (result i64)
    (local $p ADDR) (local $v i64)
    (loop $fill
      (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 6364136223846793005))
                             (i64.const 1442695040888963407)))
      (i64.store (local.get $p) (local.get $v))
      (local.set $p (ADDR.add (local.get $p) (ADDR.const 8)))
      (br_if $fill (ADDR.lt_u (local.get $p) (ADDR.const 0x10000))))
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $p ADDR) (local $sum i64)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (ADDR.const 0))
        (loop $copy
          (i64.store offset=0x10000 (local.get $p) (i64.load (local.get $p)))
          (local.set $p (ADDR.add (local.get $p) (ADDR.const 8)))
          (br_if $copy (ADDR.lt_u (local.get $p) (ADDR.const 0x10000))))
        (i64.store (ADDR.const 64) (i64.extend_i32_u (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (local.set $p (ADDR.const 0))
    (loop $sum
      (local.set $sum (i64.add (local.get $sum) (i64.load offset=0x10000 (local.get $p))))
      (local.set $p (ADDR.add (local.get $p) (ADDR.const 8)))
      (br_if $sum (ADDR.lt_u (local.get $p) (ADDR.const 0x10000))))
    (local.get $sum)))
