;; Recursive Fibonacci (call-heavy control): `run(n)` computes fib(25) n times (242,785
;; calls each) and returns the sum. No memory.
(module
  (func $fib (param $k i64) (result i64)
    (if (result i64) (i64.lt_u (local.get $k) (i64.const 2))
      (then (local.get $k))
      (else
        (i64.add
          (call $fib (i64.sub (local.get $k) (i64.const 1)))
          (call $fib (i64.sub (local.get $k) (i64.const 2)))))))
  (func (export "setup") (param i32) (result i64)
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (call $fib (i64.const 25))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (local.get $sum)))
