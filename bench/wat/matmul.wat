;; f64 matrix multiply, C = A × B for 64 × 64 row-major matrices (A at 0, B at 32 KiB,
;; C at 64 KiB). `setup` fills A and B; every round of `run` recomputes C and then adds
;; 1/1024 of C[i][i] to A[i][i], so rounds differ. Returns the bits of the sum of C.
;; Template: ADDR is the address type (i32 or i64), MEM64 is empty or `i64`.
(module
  (memory (export "mem") MEM64 2)
  (func (export "setup") (param i32) (result i64)
    (local $p ADDR) (local $k i32)
    (loop $fill
      ;; A[k] = (k mod 7) - 3 + k/256, B[k] = (k mod 5)/2 - 1 + k/512
      (f64.store (local.get $p)
        (f64.add
          (f64.sub (f64.convert_i32_u (i32.rem_u (local.get $k) (i32.const 7))) (f64.const 3))
          (f64.div (f64.convert_i32_u (local.get $k)) (f64.const 256))))
      (f64.store offset=32768 (local.get $p)
        (f64.add
          (f64.sub (f64.mul (f64.convert_i32_u (i32.rem_u (local.get $k) (i32.const 5)))
                            (f64.const 0.5))
                   (f64.const 1))
          (f64.div (f64.convert_i32_u (local.get $k)) (f64.const 512))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $p (ADDR.add (local.get $p) (ADDR.const 8)))
      (br_if $fill (ADDR.lt_u (local.get $p) (ADDR.const 32768))))
    (i64.const 0))
  (func (export "run") (param $n i32) (result i64)
    (local $i ADDR) (local $j ADDR) (local $k ADDR)
    (local $pa ADDR) (local $pb ADDR) (local $acc f64) (local $total f64)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $total (f64.const 0))
        (local.set $i (ADDR.const 0))
        (loop $rows
          (local.set $j (ADDR.const 0))
          (loop $cols
            (local.set $acc (f64.const 0))
            ;; pa walks row i of A (8 bytes a step), pb column j of B (512 bytes a step).
            (local.set $pa (ADDR.mul (local.get $i) (ADDR.const 512)))
            (local.set $pb (ADDR.add (ADDR.const 32768) (ADDR.mul (local.get $j) (ADDR.const 8))))
            (local.set $k (ADDR.const 0))
            (loop $dot
              (local.set $acc
                (f64.add (local.get $acc)
                  (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
              (local.set $pa (ADDR.add (local.get $pa) (ADDR.const 8)))
              (local.set $pb (ADDR.add (local.get $pb) (ADDR.const 512)))
              (local.set $k (ADDR.add (local.get $k) (ADDR.const 1)))
              (br_if $dot (ADDR.lt_u (local.get $k) (ADDR.const 64))))
            (f64.store offset=65536
              (ADDR.add (ADDR.mul (local.get $i) (ADDR.const 512))
                        (ADDR.mul (local.get $j) (ADDR.const 8)))
              (local.get $acc))
            (local.set $total (f64.add (local.get $total) (local.get $acc)))
            (local.set $j (ADDR.add (local.get $j) (ADDR.const 1)))
            (br_if $cols (ADDR.lt_u (local.get $j) (ADDR.const 64))))
          ;; A[i][i] += C[i][i] / 1024
          (local.set $pa (ADDR.mul (local.get $i) (ADDR.const 520)))
          (f64.store (local.get $pa)
            (f64.add (f64.load (local.get $pa))
                     (f64.div (f64.load offset=65536 (local.get $pa)) (f64.const 1024))))
          (local.set $i (ADDR.add (local.get $i) (ADDR.const 1)))
          (br_if $rows (ADDR.lt_u (local.get $i) (ADDR.const 64))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (i64.reinterpret_f64 (local.get $total))))
