;; Sieve of Eratosthenes over the 262,144 bytes of a 4-page memory (one byte per number,
;; 1 = composite): every round clears the array with `memory.fill`, marks the composites
;; and counts the primes. Returns the total count over all rounds.
;; Template: ADDR is the address type (i32 or i64), MEM64 is empty or `i64`.
(module
  (memory (export "mem") MEM64 4)
  (func (export "setup") (param i32) (result i64)
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $i ADDR) (local $j ADDR) (local $count i64)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (memory.fill (ADDR.const 0) (i32.const 0) (ADDR.const 0x40000))
        (local.set $i (ADDR.const 2))
        (loop $numbers
          (if (i32.eqz (i32.load8_u (local.get $i)))
            (then
              (local.set $count (i64.add (local.get $count) (i64.const 1)))
              ;; i * i < 2^18 exactly when i < 512: no overflow in an i32 address.
              (if (ADDR.lt_u (local.get $i) (ADDR.const 512))
                (then
                  (local.set $j (ADDR.mul (local.get $i) (local.get $i)))
                  (loop $multiples
                    (i32.store8 (local.get $j) (i32.const 1))
                    (local.set $j (ADDR.add (local.get $j) (local.get $i)))
                    (br_if $multiples (ADDR.lt_u (local.get $j) (ADDR.const 0x40000))))))))
          (local.set $i (ADDR.add (local.get $i) (ADDR.const 1)))
          (br_if $numbers (ADDR.lt_u (local.get $i) (ADDR.const 0x40000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (local.get $count)))
