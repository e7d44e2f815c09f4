;; An image filter sized as in the guide's budget: one 1920x1080 RGBA frame in, one out.
;;
;;   one frame  = 1920 * 1080 * 4 = 8,294,400 bytes ~ 127 pages
;;   two frames                   = 16,588,800 bytes ~ 254 pages
;;   + data and shadow stack (8 pages) + allocator slack -> initial 288 pages (18 MiB)
;;   maximum 512 pages (32 MiB) for two frames at a higher resolution
;;
;;   folio inspect examples/frames.wat
;;   folio run --invoke process examples/frames.wat 1920 1080   # fits: no grow
;;   folio run --trace-grow --invoke process examples/frames.wat 2560 1440   # grows
;;   folio run --trace-grow --invoke process examples/frames.wat 3840 2160   # -1: past max
;;
;; Layout: frame A (input) at 512 KiB, after 8 pages for data and stack; frame B (output)
;; right after it.
(module
  (memory (export "memory") 288 512)

  (global $frame_a i32 (i32.const 0x8_0000))

  ;; Frame A: pixel (x, y) = RGBA(x, y, x + y, 255), each channel mod 256.
  (func $fill (param $w i32) (param $h i32)
    (local $x i32) (local $y i32) (local $p i32)
    (local.set $p (global.get $frame_a))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
        (local.set $x (i32.const 0))
        (block $row_done
          (loop $cols
            (br_if $row_done (i32.ge_u (local.get $x) (local.get $w)))
            (i32.store (local.get $p)
              (i32.or
                (i32.or
                  (i32.and (local.get $x) (i32.const 0xff))
                  (i32.shl (i32.and (local.get $y) (i32.const 0xff)) (i32.const 8)))
                (i32.or
                  (i32.shl (i32.and (i32.add (local.get $x) (local.get $y)) (i32.const 0xff))
                           (i32.const 16))
                  (i32.const 0xff00_0000))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; Frame B = frame A with the colour channels inverted (alpha kept); returns the sum of
  ;; frame B's pixels as unsigned 32-bit numbers.
  (func $invert (param $src i32) (param $dst i32) (param $n i32) (result i64)
    (local $i i32) (local $px i32) (local $sum i64)
    (block $done
      (loop $pixels
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $px (i32.xor (i32.load (local.get $src)) (i32.const 0x00ff_ffff)))
        (i32.store (local.get $dst) (local.get $px))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $px))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pixels)))
    (local.get $sum))

  ;; Fills frame A at w x h, inverts it into frame B and returns frame B's checksum.
  ;; Grows the memory first if two frames do not fit; returns -1 if it cannot.
  (func (export "process") (param $w i32) (param $h i32) (result i64)
    (local $frame_bytes i32) (local $need_pages i32)
    (local.set $frame_bytes (i32.mul (i32.mul (local.get $w) (local.get $h)) (i32.const 4)))
    ;; pages = ceil((frame_a + 2 * frame_bytes) / 65536), in i64 so it cannot overflow
    (local.set $need_pages
      (i32.wrap_i64
        (i64.shr_u
          (i64.add
            (i64.add (i64.extend_i32_u (global.get $frame_a))
                     (i64.mul (i64.extend_i32_u (local.get $frame_bytes)) (i64.const 2)))
            (i64.const 0xffff))
          (i64.const 16))))
    (if (i32.gt_u (local.get $need_pages) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $need_pages) (memory.size))) (i32.const -1))
          (then (return (i64.const -1))))))
    (call $fill (local.get $w) (local.get $h))
    (call $invert
      (global.get $frame_a)
      (i32.add (global.get $frame_a) (local.get $frame_bytes))
      (i32.mul (local.get $w) (local.get $h)))))
