;; A memory64 memory: addresses are i64, so it may pass the 4 GiB cap of i32 memories.
;; The guide's declaration: initial 1 page, maximum 100000 pages (6.1 GiB).
;;
;;   folio inspect examples/memory64.wat
;;   folio run --invoke past_4gib examples/memory64.wat
;;   folio run --invoke grow examples/memory64.wat 99999
;;   folio run --max-memory 2GiB --trace-grow --invoke past_4gib examples/memory64.wat
(module
  (memory (export "mem") i64 1 100000)

  (func (export "size") (result i64)
    (memory.size))

  (func (export "grow") (param $pages i64) (result i64)
    (memory.grow (local.get $pages)))

  ;; Grows by 65536 pages (to 4 GiB + 64 KiB), stores 42 at byte 4 GiB, the first
  ;; address no i32 memory has, and reads it back. Returns the old size, the value read
  ;; and the new size: 1, 42, 65537. Only the touched page takes RAM.
  (func (export "past_4gib") (result i64 i32 i64)
    (memory.grow (i64.const 65536))
    (i32.store (i64.const 0x1_0000_0000) (i32.const 42))
    (i32.load (i64.const 0x1_0000_0000))
    (memory.size)))
