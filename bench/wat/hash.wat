;; Random i64 accesses in a hash table: 65,536 slots of one i64 key each (512 KiB, open
;; addressing, linear probing, 0 = empty). `run(n)` does n lookup-or-insert operations on
;; keys from a xorshift64 generator, drawn from 40,000 distinct keys so the table never
;; fills (at most 61% load). Returns hits × 2^32 + inserts.
;; Template: ADDR is the address type (i32 or i64), MEM64 is empty or `i64`, WRAP turns
;; an i64 into an ADDR (`i32.wrap_i64`, or nothing).
(module
  (memory (export "mem") MEM64 8)
  (global $seed (mut i64) (i64.const 0x2545f4914f6cdd1d))
  (func (export "setup") (param i32) (result i64)
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $x i64) (local $key i64) (local $h i64) (local $slot i64)
    (local $hits i64) (local $inserts i64)
    (local.set $x (global.get $seed))
    (block $done
      (loop $op
        (br_if $done (i32.eqz (local.get $n)))
        ;; xorshift64
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (local.set $key (i64.add (i64.rem_u (local.get $x) (i64.const 40000)) (i64.const 1)))
        ;; Fibonacci hashing to 16 bits
        (local.set $h
          (i64.shr_u (i64.mul (local.get $key) (i64.const 0x9e3779b97f4a7c15)) (i64.const 48)))
        (block $found
          (loop $probe
            local.get $h
            i64.const 3
            i64.shl
            WRAP
            i64.load
            local.set $slot
            (if (i64.eq (local.get $slot) (local.get $key))
              (then
                (local.set $hits (i64.add (local.get $hits) (i64.const 1)))
                (br $found)))
            (if (i64.eqz (local.get $slot))
              (then
                local.get $h
                i64.const 3
                i64.shl
                WRAP
                local.get $key
                i64.store
                (local.set $inserts (i64.add (local.get $inserts) (i64.const 1)))
                (br $found)))
            (local.set $h (i64.and (i64.add (local.get $h) (i64.const 1)) (i64.const 0xffff)))
            (br $probe)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $op)))
    (global.set $seed (local.get $x))
    (i64.add (i64.shl (local.get $hits) (i64.const 32)) (local.get $inserts))))
