;; 64-bit tables (the memory64 proposal's table64): every table instruction with `i64`
;; indices, sizes and deltas; indices of 2^32 and more, which must be past the end and
;; never wrap to a small index (each such trap is followed by a check that nothing was
;; written where the wrapped index would point); `table.grow` failing with -1 as an
;; `i64`; `call_indirect` through a 64-bit table; `table.copy` between a 32-bit and a
;; 64-bit table; `elem` segments at `i64` offsets; and imports and exports of 64-bit
;; tables, whose index types must match. Written for Folio (the pinned spec suite has no
;; 64-bit table scripts); run with every proposal on by `tests/wast_scripts.rs`.

(module $M
  (type $i (func (result i32)))
  (type $v (func))
  (table $t i64 4 10 funcref)    ;; 64-bit, with a maximum
  (table $u 4 funcref)           ;; 32-bit
  (table $w i64 3 externref)     ;; 64-bit, no maximum
  (table $z i64 0 2 funcref)     ;; 64-bit, empty
  (table $a i64 funcref (elem $f2 $f3))  ;; inline elements: offset (i64.const 0)
  (func $f0 (type $i) (i32.const 100))
  (func $f1 (type $i) (i32.const 101))
  (func $f2 (type $i) (i32.const 102))
  (func $f3 (type $i) (i32.const 103))
  ;; Active segments at `i64` offsets, a plain constant and an extended one.
  (elem (table $t) (i64.const 1) func $f1 $f2)
  (elem (table $t) (offset (i64.add (i64.const 2) (i64.const 1))) func $f3)
  (elem (table $u) (i32.const 0) func $f0)
  (elem $p func $f0 $f1 $f2 $f3)

  ;; The result of the function at index i of $t, or -1 where the element is null.
  (func (export "t.id") (param i64) (result i32)
    (if (result i32) (ref.is_null (table.get $t (local.get 0)))
      (then (i32.const -1))
      (else (call_indirect $t (type $i) (local.get 0)))))
  (func (export "u.id") (param i32) (result i32)
    (if (result i32) (ref.is_null (table.get $u (local.get 0)))
      (then (i32.const -1))
      (else (call_indirect $u (type $i) (local.get 0)))))
  (func (export "t.size") (result i64) (table.size $t))
  (func (export "u.size") (result i32) (table.size $u))
  (func (export "w.size") (result i64) (table.size $w))
  (func (export "z.size") (result i64) (table.size $z))
  (func (export "a.size") (result i64) (table.size $a))
  (func (export "t.is_null") (param i64) (result i32)
    (ref.is_null (table.get $t (local.get 0))))
  (func (export "t.set_f0") (param i64) (table.set $t (local.get 0) (ref.func $f0)))
  (func (export "t.set_null") (param i64) (table.set $t (local.get 0) (ref.null func)))
  (func (export "t.grow") (param i64) (result i64)
    (table.grow $t (ref.null func) (local.get 0)))
  (func (export "t.grow_f2") (param i64) (result i64)
    (table.grow $t (ref.func $f2) (local.get 0)))
  (func (export "t.fill") (param i64 i64) (table.fill $t (local.get 0) (ref.func $f1) (local.get 1)))
  (func (export "t.copy") (param i64 i64 i64)
    (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  ;; Mixed: the destination's index type for d, the source's for s, i32 for n.
  (func (export "u_from_t") (param i32 i64 i32)
    (table.copy $u $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "t_from_u") (param i64 i32 i32)
    (table.copy $t $u (local.get 0) (local.get 1) (local.get 2)))
  ;; Two 64-bit tables: n is an i64.
  (func (export "z_from_t") (param i64 i64 i64)
    (table.copy $z $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "z.grow") (param i64) (result i64)
    (table.grow $z (ref.null func) (local.get 0)))
  (func (export "z.call") (param i64) (result i32) (call_indirect $z (type $i) (local.get 0)))
  (func (export "a.call") (param i64) (result i32) (call_indirect $a (type $i) (local.get 0)))
  ;; d is an i64, s and n i32s.
  (func (export "t.init_p") (param i64 i32 i32)
    (table.init $t $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop_p") (elem.drop $p))
  (func (export "t.call") (param i64) (result i32) (call_indirect $t (type $i) (local.get 0)))
  (func (export "t.call_v") (param i64) (call_indirect $t (type $v) (local.get 0)))
  ;; Constant indices, read in place by the translator.
  (func (export "t.call_2") (result i32) (call_indirect $t (type $i) (i64.const 2)))
  (func (export "t.call_big") (result i32)
    (call_indirect $t (type $i) (i64.const 0x1_0000_0002)))
  (func (export "t.get_big") (result i32)
    (ref.is_null (table.get $t (i64.const 0x1_0000_0000))))
  (func (export "w.get") (param i64) (result externref) (table.get $w (local.get 0)))
  (func (export "w.set") (param i64 externref) (table.set $w (local.get 0) (local.get 1)))
  (func (export "w.grow") (param externref i64) (result i64)
    (table.grow $w (local.get 0) (local.get 1)))
  (func (export "w.fill") (param i64 externref i64)
    (table.fill $w (local.get 0) (local.get 1) (local.get 2)))
)

;; Sizes are i64s; the segments were applied at their i64 offsets.
(assert_return (invoke "t.size") (i64.const 4))
(assert_return (invoke "u.size") (i32.const 4))
(assert_return (invoke "w.size") (i64.const 3))
(assert_return (invoke "z.size") (i64.const 0))
(assert_return (invoke "a.size") (i64.const 2))
(assert_return (invoke "t.id" (i64.const 0)) (i32.const -1))
(assert_return (invoke "t.id" (i64.const 1)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 2)) (i32.const 102))
(assert_return (invoke "t.id" (i64.const 3)) (i32.const 103))
(assert_return (invoke "u.id" (i32.const 0)) (i32.const 100))
(assert_return (invoke "a.call" (i64.const 1)) (i32.const 103))

;; call_indirect: null, past the end (2^32 + 1 would wrap to $f1), wrong type.
(assert_return (invoke "t.call" (i64.const 2)) (i32.const 102))
(assert_return (invoke "t.call_2") (i32.const 102))
(assert_trap (invoke "t.call" (i64.const 0)) "uninitialized element")
(assert_trap (invoke "t.call" (i64.const 4)) "undefined element")
(assert_trap (invoke "t.call" (i64.const 0x1_0000_0001)) "undefined element")
(assert_trap (invoke "t.call_big") "undefined element")
(assert_trap (invoke "t.call" (i64.const -1)) "undefined element")
(assert_trap (invoke "t.call" (i64.const 0x8000_0000_0000_0000)) "undefined element")
(assert_trap (invoke "t.call_v" (i64.const 1)) "indirect call type mismatch")
(assert_trap (invoke "a.call" (i64.const 0x1_0000_0000)) "undefined element")

;; table.get
(assert_return (invoke "t.is_null" (i64.const 0)) (i32.const 1))
(assert_return (invoke "t.is_null" (i64.const 3)) (i32.const 0))
(assert_trap (invoke "t.is_null" (i64.const 4)) "out of bounds table access")
(assert_trap (invoke "t.is_null" (i64.const 0x1_0000_0003)) "out of bounds table access")
(assert_trap (invoke "t.get_big") "out of bounds table access")
(assert_trap (invoke "t.is_null" (i64.const -1)) "out of bounds table access")
(assert_trap (invoke "t.is_null" (i64.const 0x7fff_ffff_ffff_ffff)) "out of bounds table access")

;; table.set: the failed sets (2^32 would wrap to 0) leave element 0 as it is.
(assert_return (invoke "t.set_f0" (i64.const 0)))
(assert_return (invoke "t.id" (i64.const 0)) (i32.const 100))
(assert_trap (invoke "t.set_null" (i64.const 4)) "out of bounds table access")
(assert_trap (invoke "t.set_null" (i64.const 0x1_0000_0000)) "out of bounds table access")
(assert_trap (invoke "t.set_null" (i64.const -1)) "out of bounds table access")
(assert_return (invoke "t.id" (i64.const 0)) (i32.const 100))

;; table.grow: the old size, or -1 as an i64 (past the maximum, or a delta that does not
;; fit; 2^32 would wrap to 0 and succeed).
(assert_return (invoke "t.grow" (i64.const 0)) (i64.const 4))
(assert_return (invoke "t.grow_f2" (i64.const 2)) (i64.const 4))
(assert_return (invoke "t.size") (i64.const 6))
(assert_return (invoke "t.id" (i64.const 4)) (i32.const 102))
(assert_return (invoke "t.id" (i64.const 5)) (i32.const 102))
(assert_return (invoke "t.grow" (i64.const 5)) (i64.const -1))
(assert_return (invoke "t.grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "t.grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "t.grow" (i64.const 0x8000_0000_0000_0000)) (i64.const -1))
(assert_return (invoke "t.size") (i64.const 6))
(assert_return (invoke "t.grow" (i64.const 4)) (i64.const 6))
(assert_return (invoke "t.size") (i64.const 10))
(assert_return (invoke "t.grow" (i64.const 1)) (i64.const -1))
(assert_return (invoke "t.grow" (i64.const 0)) (i64.const 10))
(assert_return (invoke "t.id" (i64.const 9)) (i32.const -1))
;; $t: 100 101 102 103 102 102 null null null null

;; table.fill: bounds are checked before anything is written.
(assert_return (invoke "t.fill" (i64.const 6) (i64.const 3)))
(assert_return (invoke "t.id" (i64.const 6)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 8)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 9)) (i32.const -1))
(assert_return (invoke "t.fill" (i64.const 10) (i64.const 0)))
(assert_trap (invoke "t.fill" (i64.const 11) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "t.fill" (i64.const 9) (i64.const 2)) "out of bounds table access")
(assert_trap (invoke "t.fill" (i64.const 0x1_0000_0000) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "t.fill" (i64.const 0x1_0000_0009) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "t.fill" (i64.const 9) (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "t.fill" (i64.const 1) (i64.const -1)) "out of bounds table access")
(assert_trap (invoke "t.fill" (i64.const -1) (i64.const 1)) "out of bounds table access")
(assert_return (invoke "t.id" (i64.const 9)) (i32.const -1))
;; $t: 100 101 102 103 102 102 101 101 101 null

;; table.copy within a 64-bit table (n an i64), overlapping both ways.
(assert_return (invoke "t.copy" (i64.const 7) (i64.const 0) (i64.const 3)))
(assert_return (invoke "t.id" (i64.const 7)) (i32.const 100))
(assert_return (invoke "t.id" (i64.const 8)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 9)) (i32.const 102))
;; $t: 100 101 102 103 102 102 101 100 101 102
(assert_return (invoke "t.copy" (i64.const 0) (i64.const 1) (i64.const 3)))
(assert_return (invoke "t.id" (i64.const 0)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 1)) (i32.const 102))
(assert_return (invoke "t.id" (i64.const 2)) (i32.const 103))
(assert_return (invoke "t.id" (i64.const 3)) (i32.const 103))
;; $t: 101 102 103 103 102 102 101 100 101 102
(assert_return (invoke "t.copy" (i64.const 1) (i64.const 0) (i64.const 3)))
(assert_return (invoke "t.id" (i64.const 1)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 2)) (i32.const 102))
(assert_return (invoke "t.id" (i64.const 3)) (i32.const 103))
;; $t: 101 101 102 103 102 102 101 100 101 102
(assert_return (invoke "t.copy" (i64.const 10) (i64.const 0) (i64.const 0)))
(assert_return (invoke "t.copy" (i64.const 0) (i64.const 10) (i64.const 0)))
(assert_trap (invoke "t.copy" (i64.const 11) (i64.const 0) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "t.copy" (i64.const 0) (i64.const 11) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "t.copy" (i64.const 0x1_0000_0000) (i64.const 2) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "t.copy" (i64.const 0) (i64.const 0x1_0000_0009) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "t.copy" (i64.const 0) (i64.const 2) (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "t.copy" (i64.const 0) (i64.const 1) (i64.const -1)) "out of bounds table access")
(assert_trap (invoke "t.copy" (i64.const -1) (i64.const 1) (i64.const 1)) "out of bounds table access")
(assert_return (invoke "t.id" (i64.const 0)) (i32.const 101))

;; table.copy from the 64-bit $t to the 32-bit $u: d an i32, s an i64, n an i32.
(assert_return (invoke "u_from_t" (i32.const 1) (i64.const 2) (i32.const 2)))
(assert_return (invoke "u.id" (i32.const 1)) (i32.const 102))
(assert_return (invoke "u.id" (i32.const 2)) (i32.const 103))
(assert_return (invoke "u.id" (i32.const 3)) (i32.const -1))
(assert_return (invoke "u_from_t" (i32.const 4) (i64.const 10) (i32.const 0)))
(assert_trap (invoke "u_from_t" (i32.const 0) (i64.const 0x1_0000_0003) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "u_from_t" (i32.const 3) (i64.const 3) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "u_from_t" (i32.const 0) (i64.const 9) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "u_from_t" (i32.const -1) (i64.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "u_from_t" (i32.const 0) (i64.const 0) (i32.const -1)) "out of bounds table access")
(assert_return (invoke "u.id" (i32.const 0)) (i32.const 100))
;; $u: 100 102 103 null

;; ... and from the 32-bit $u to the 64-bit $t: d an i64, s an i32, n an i32.
(assert_return (invoke "t_from_u" (i64.const 8) (i32.const 0) (i32.const 2)))
(assert_return (invoke "t.id" (i64.const 8)) (i32.const 100))
(assert_return (invoke "t.id" (i64.const 9)) (i32.const 102))
(assert_return (invoke "t_from_u" (i64.const 10) (i32.const 4) (i32.const 0)))
(assert_trap (invoke "t_from_u" (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "t_from_u" (i64.const 9) (i32.const 3) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "t_from_u" (i64.const 0) (i32.const 3) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "t_from_u" (i64.const 0) (i32.const -1) (i32.const 1)) "out of bounds table access")
(assert_return (invoke "t.id" (i64.const 0)) (i32.const 101))
;; $t: 101 101 102 103 102 102 101 100 100 102

;; table.copy between two 64-bit tables.
(assert_return (invoke "z_from_t" (i64.const 0) (i64.const 10) (i64.const 0)))
(assert_trap (invoke "z_from_t" (i64.const 0) (i64.const 0) (i64.const 1)) "out of bounds table access")
(assert_return (invoke "z.grow" (i64.const 2)) (i64.const 0))
(assert_return (invoke "z_from_t" (i64.const 0) (i64.const 2) (i64.const 2)))
(assert_return (invoke "z.call" (i64.const 0)) (i32.const 102))
(assert_return (invoke "z.call" (i64.const 1)) (i32.const 103))
(assert_trap (invoke "z_from_t" (i64.const 0) (i64.const 0x1_0000_0000) (i64.const 1)) "out of bounds table access")
(assert_return (invoke "z.call" (i64.const 0)) (i32.const 102))
(assert_return (invoke "z.grow" (i64.const 1)) (i64.const -1))

;; table.init: d an i64, s and n i32s.
(assert_return (invoke "t.init_p" (i64.const 6) (i32.const 1) (i32.const 3)))
(assert_return (invoke "t.id" (i64.const 6)) (i32.const 101))
(assert_return (invoke "t.id" (i64.const 7)) (i32.const 102))
(assert_return (invoke "t.id" (i64.const 8)) (i32.const 103))
(assert_return (invoke "t.init_p" (i64.const 10) (i32.const 4) (i32.const 0)))
(assert_trap (invoke "t.init_p" (i64.const 11) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "t.init_p" (i64.const 8) (i32.const 0) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "t.init_p" (i64.const 0) (i32.const 2) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "t.init_p" (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "t.init_p" (i64.const -1) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "t.init_p" (i64.const 0) (i32.const -1) (i32.const 1)) "out of bounds table access")
(assert_return (invoke "t.id" (i64.const 0)) (i32.const 101))
(invoke "drop_p")
(assert_return (invoke "t.init_p" (i64.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "t.init_p" (i64.const 0) (i32.const 0) (i32.const 1)) "out of bounds table access")

;; An externref table.
(assert_return (invoke "w.get" (i64.const 0)) (ref.null extern))
(assert_return (invoke "w.set" (i64.const 2) (ref.extern 7)))
(assert_return (invoke "w.get" (i64.const 2)) (ref.extern 7))
(assert_trap (invoke "w.get" (i64.const 0x1_0000_0002)) "out of bounds table access")
(assert_trap (invoke "w.set" (i64.const 0x1_0000_0000) (ref.extern 8)) "out of bounds table access")
(assert_return (invoke "w.get" (i64.const 0)) (ref.null extern))
(assert_return (invoke "w.grow" (ref.extern 9) (i64.const 2)) (i64.const 3))
(assert_return (invoke "w.get" (i64.const 3)) (ref.extern 9))
(assert_return (invoke "w.get" (i64.const 4)) (ref.extern 9))
;; No maximum, but more than Folio holds (2^32 would wrap to 0 and succeed).
(assert_return (invoke "w.grow" (ref.extern 9) (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "w.grow" (ref.extern 9) (i64.const -1)) (i64.const -1))
(assert_return (invoke "w.size") (i64.const 5))
(assert_return (invoke "w.fill" (i64.const 1) (ref.extern 3) (i64.const 2)))
(assert_return (invoke "w.get" (i64.const 1)) (ref.extern 3))
(assert_return (invoke "w.get" (i64.const 2)) (ref.extern 3))
(assert_return (invoke "w.get" (i64.const 3)) (ref.extern 9))
(assert_trap (invoke "w.fill" (i64.const 4) (ref.extern 3) (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_return (invoke "w.get" (i64.const 4)) (ref.extern 9))

;; A maximum of 2^64 - 1 is a valid type; growing stops at what Folio holds.
(module
  (table $h i64 1 0xffff_ffff_ffff_ffff funcref)
  (func (export "grow") (param i64) (result i64) (table.grow $h (ref.null func) (local.get 0)))
  (func (export "size") (result i64) (table.size $h))
)
(assert_return (invoke "grow" (i64.const 1)) (i64.const 1))
(assert_return (invoke "grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0xffff_ffff_ffff_fffe)) (i64.const -1))
(assert_return (invoke "size") (i64.const 2))

;; Calls through a 64-bit table that recurse (the call stack grows) and never end.
(module
  (type $r (func (param i64) (result i64)))
  (table $t i64 2 funcref)
  (elem (table $t) (i64.const 1) func $count)
  (elem declare func $forever)
  (func $count (type $r)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else
        (i64.add (i64.const 1)
          (call_indirect $t (type $r) (i64.sub (local.get 0) (i64.const 1)) (i64.const 1))))))
  (func $forever (type $r) (call_indirect $t (type $r) (local.get 0) (i64.const 0)))
  (func (export "count") (param i64) (result i64)
    (call_indirect $t (type $r) (local.get 0) (i64.const 1)))
  (func (export "forever") (result i64)
    (table.set $t (i64.const 0) (ref.func $forever))
    (call_indirect $t (type $r) (i64.const 0) (i64.const 0)))
)
(assert_return (invoke "count" (i64.const 5000)) (i64.const 5000))
(assert_exhaustion (invoke "forever") "call stack exhausted")

;; A host function through a 64-bit table, and one of another instance.
(module $Callee (func (export "nine") (result i32) (i32.const 9)))
(register "callee" $Callee)
(module
  (import "spectest" "print_i64" (func $print (param i64)))
  (import "callee" "nine" (func $nine (result i32)))
  (type $p (func (param i64)))
  (type $i (func (result i32)))
  (table $t i64 2 funcref)
  (elem (table $t) (i64.const 0) func $print $nine)
  (func (export "print") (param i64) (call_indirect $t (type $p) (local.get 0) (i64.const 0)))
  (func (export "nine") (result i32) (call_indirect $t (type $i) (i64.const 1)))
)
(assert_return (invoke "print" (i64.const 64)))
(assert_return (invoke "nine") (i32.const 9))

;; Elem segments at i64 offsets, checked at instantiation.
(module
  (table $t i64 2 funcref)
  (func $f)
  (elem (table $t) (i64.const 2) func)   ;; empty, at the end: in bounds
  (elem (table $t) (i64.const 1) func $f)
  (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
)
(assert_return (invoke "is_null" (i64.const 0)) (i32.const 1))
(assert_return (invoke "is_null" (i64.const 1)) (i32.const 0))
(assert_trap
  (module (table i64 2 funcref) (func $f) (elem (table 0) (i64.const 2) func $f))
  "out of bounds table access")
(assert_trap
  (module (table i64 2 funcref) (func $f) (elem (table 0) (i64.const 0x1_0000_0000) func $f))
  "out of bounds table access")
(assert_trap
  (module (table i64 2 funcref) (func $f) (elem (table 0) (i64.const -1) func $f))
  "out of bounds table access")
(assert_trap
  (module (table i64 2 funcref) (func $f) (elem (table 0) (i64.const 0x1_0000_0000) func))
  "out of bounds table access")

;; Exports and imports: the index types must match, and the limits as for any table.
(module $Exp
  (type $i (func (result i32)))
  (table $t64 (export "t64") i64 2 5 funcref)
  (table $t32 (export "t32") 2 5 funcref)
  (func $seven (type $i) (i32.const 7))
  (elem (table $t64) (i64.const 1) func $seven)
  (func (export "size64") (result i64) (table.size $t64))
)
(register "exp" $Exp)
(module $Imp
  (type $i (func (result i32)))
  (import "exp" "t64" (table $t i64 2 funcref))
  ;; The callee is the exporter's: a call into another instance.
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $i) (local.get 0)))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "size") (result i64) (table.size $t))
)
(assert_return (invoke $Imp "call" (i64.const 1)) (i32.const 7))
(assert_trap (invoke $Imp "call" (i64.const 0x1_0000_0001)) "undefined element")
(assert_return (invoke $Imp "grow" (i64.const 3)) (i64.const 2))
(assert_return (invoke $Imp "grow" (i64.const 1)) (i64.const -1))  ;; the exporter's maximum
(assert_return (invoke $Exp "size64") (i64.const 5))
(module (import "exp" "t64" (table i64 2 5 funcref)))
(module (import "exp" "t64" (table i64 5 funcref)))
(module (import "exp" "t32" (table 2 5 funcref)))
(assert_unlinkable (module (import "exp" "t64" (table 2 funcref))) "incompatible import type")
(assert_unlinkable (module (import "exp" "t64" (table 2 5 funcref))) "incompatible import type")
(assert_unlinkable (module (import "exp" "t32" (table i64 2 funcref))) "incompatible import type")
(assert_unlinkable (module (import "exp" "t32" (table i64 2 5 funcref))) "incompatible import type")
(assert_unlinkable (module (import "exp" "t64" (table i64 6 funcref))) "incompatible import type")
(assert_unlinkable (module (import "exp" "t64" (table i64 2 4 funcref))) "incompatible import type")
(assert_unlinkable (module (import "exp" "t64" (table i64 2 externref))) "incompatible import type")

;; Operand types follow each table's index type.
(assert_invalid
  (module (table i64 1 funcref) (func (result i32) (ref.is_null (table.get 0 (i32.const 0)))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (table.set 0 (i32.const 0) (ref.null func))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (result i32) (table.size 0)))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (result i32) (table.grow 0 (ref.null func) (i64.const 1))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (result i64) (table.grow 0 (ref.null func) (i32.const 1))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (table.fill 0 (i64.const 0) (ref.null func) (i32.const 1))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (type (func)) (func (call_indirect (type 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table 1 funcref) (type (func)) (func (call_indirect (type 0) (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (table 1 funcref)
    (func (table.copy 0 1 (i64.const 0) (i32.const 0) (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (table 1 funcref)
    (func (table.copy 1 0 (i32.const 0) (i32.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (table i64 1 funcref)
    (func (table.copy 0 1 (i64.const 0) (i64.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (elem func)
    (func (table.init 0 0 (i64.const 0) (i64.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func $f) (elem (table 0) (i32.const 0) func $f))
  "type mismatch")
(assert_invalid
  (module (table 1 funcref) (func $f) (elem (table 0) (i64.const 0) func $f))
  "type mismatch")
