;; Message passing, atomics.
;;
;; T1: x = 42 (the data); y = 1 (the flag)        T2: r1 = y; r2 = x
;; Forbidden: r1 = 1 and r2 = 0, the flag seen but not the data written before it.
;;
;; 64 rounds per run, each on its own pair of cells (x at 1024+8i, y at 1028+8i). The
;; threads start together every 8 rounds (a barrier on the counter at 0) and run
;; freely in between. Thread 2's registers land at 16384+8i (r1) and 16388+8i (r2).

(module $Mem (memory (export "shared") 1 1 shared))
(register "mem" $Mem)

(thread $T1 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    ;; Barrier $k: returns when both threads have arrived, the counter at 0 at 2(k+1).
    ;; The last to arrive notifies; the first spins a while, then waits (on a busy machine
    ;; spinning through a time slice while the other thread is not running costs more).
    (func $barrier (param $k i32)
      (local $target i32)
      (local $now i32)
      (local $spins i32)
      (local.set $target (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 1)))
      (if (i32.eq (i32.add (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (i32.const 1))
                  (local.get $target))
        (then (drop (memory.atomic.notify (i32.const 0) (i32.const 1))) (return)))
      (loop $spin
        (local.set $now (i32.atomic.load (i32.const 0)))
        (if (i32.lt_u (local.get $now) (local.get $target))
          (then
            (local.set $spins (i32.add (local.get $spins) (i32.const 1)))
            (if (i32.gt_u (local.get $spins) (i32.const 20000))
              (then
                (drop (memory.atomic.wait32 (i32.const 0) (local.get $now) (i64.const -1)))))
            (br $spin)))))
    ;; x = 42; y = 1, round after round; every 8 rounds the threads meet at a barrier.
    (func (export "run")
      (local $i i32)
      (local $a i32)
      (loop $round
        (if (i32.eqz (i32.and (local.get $i) (i32.const 7)))
          (then (call $barrier (i32.shr_u (local.get $i) (i32.const 3)))))
        (local.set $a (i32.shl (local.get $i) (i32.const 3)))
        (i32.atomic.store offset=1024 (local.get $a) (i32.const 42))
        (i32.atomic.store offset=1028 (local.get $a) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $round (i32.lt_u (local.get $i) (i32.const 64))))))
  (invoke "run"))

(thread $T2 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    ;; Barrier $k: returns when both threads have arrived, the counter at 0 at 2(k+1).
    ;; The last to arrive notifies; the first spins a while, then waits (on a busy machine
    ;; spinning through a time slice while the other thread is not running costs more).
    (func $barrier (param $k i32)
      (local $target i32)
      (local $now i32)
      (local $spins i32)
      (local.set $target (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 1)))
      (if (i32.eq (i32.add (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (i32.const 1))
                  (local.get $target))
        (then (drop (memory.atomic.notify (i32.const 0) (i32.const 1))) (return)))
      (loop $spin
        (local.set $now (i32.atomic.load (i32.const 0)))
        (if (i32.lt_u (local.get $now) (local.get $target))
          (then
            (local.set $spins (i32.add (local.get $spins) (i32.const 1)))
            (if (i32.gt_u (local.get $spins) (i32.const 20000))
              (then
                (drop (memory.atomic.wait32 (i32.const 0) (local.get $now) (i64.const -1)))))
            (br $spin)))))
    ;; r1 = y; r2 = x, round after round; every 8 rounds the threads meet at a barrier.
    (func (export "run")
      (local $i i32)
      (local $a i32)
      (loop $round
        (if (i32.eqz (i32.and (local.get $i) (i32.const 7)))
          (then (call $barrier (i32.shr_u (local.get $i) (i32.const 3)))))
        (local.set $a (i32.shl (local.get $i) (i32.const 3)))
        (i32.store offset=16384 (local.get $a) (i32.atomic.load offset=1028 (local.get $a)))
        (i32.store offset=16388 (local.get $a) (i32.atomic.load offset=1024 (local.get $a)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $round (i32.lt_u (local.get $i) (i32.const 64))))))
  (invoke "run"))

(wait $T1)
(wait $T2)

(module $Check
  (memory (import "mem" "shared") 1 1 shared)
  ;; Round $i's outcome: 4 + 2*r1 + (r2 = 42).
  (func $outcome (export "outcome") (param $i i32) (result i32)
    (local $a i32)
    (local.set $a (i32.shl (local.get $i) (i32.const 3)))
    (i32.add (i32.const 4)
      (i32.add (i32.shl (i32.load offset=16384 (local.get $a)) (i32.const 1))
               (i32.eq (i32.load offset=16388 (local.get $a)) (i32.const 42)))))
  ;; How many rounds had an outcome that is not allowed (6: the flag without the data).
  (func (export "forbidden") (result i32)
    (local $i i32)
    (local $o i32)
    (local $n i32)
    (loop $round
      (local.set $o (call $outcome (local.get $i)))
      (if (i32.eqz (i32.or (i32.or (i32.eq (local.get $o) (i32.const 4))
                        (i32.eq (local.get $o) (i32.const 5)))
                (i32.eq (local.get $o) (i32.const 7))))
        (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (i32.const 64))))
    (local.get $n)))

(assert_return (invoke $Check "outcome" (i32.const 0))
  (either (i32.const 4) (i32.const 5) (i32.const 7)))
(assert_return (invoke $Check "outcome" (i32.const 63))
  (either (i32.const 4) (i32.const 5) (i32.const 7)))
(assert_return (invoke $Check "forbidden") (i32.const 0))
