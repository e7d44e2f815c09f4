;; The guide's memory: 1 page (64 KiB) now, allowed to grow to 3 pages (192 KiB).
;;
;;   folio inspect examples/grow.wat
;;   folio run --invoke grow_past_max examples/grow.wat
;;   folio run --invoke grow examples/grow.wat 2
;;   folio run --trace-grow --max-memory 128KiB --invoke grow_past_max examples/grow.wat
(module
  (memory (export "memory") 1 3)
  (data (i32.const 0) "folio")

  ;; memory.grow returns the size before growing, in pages, or -1 when it cannot grow.
  (func (export "grow") (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))

  (func (export "size") (result i32)
    (memory.size))

  ;; One page at a time, three times: 1 and 2 (the old sizes), then -1 (a fourth page
  ;; would pass the maximum of 3), then the size, which the failed grow left at 3.
  (func (export "grow_past_max") (result i32 i32 i32 i32)
    (memory.grow (i32.const 1))
    (memory.grow (i32.const 1))
    (memory.grow (i32.const 1))
    (memory.size))

  ;; The first byte of the data segment ("f" = 102): still there after any failed grow.
  (func (export "first_byte") (result i32)
    (i32.load8_u (i32.const 0))))
