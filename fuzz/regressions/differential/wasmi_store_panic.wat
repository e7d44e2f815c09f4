(module
  (type (;0;) (func (param i32) (result f32 i32)))
  (import "" "\u{0}" (table (;0;) 10000 10000 funcref))
  (import "" "" (func (;0;) (type 0) (param i32) (result f32 i32)))
  (import "" "i" (func (;1;) (type 0) (param i32) (result f32 i32)))
  (import "" "" (func (;2;) (type 0) (param i32) (result f32 i32)))
  (import "" "" (func (;3;) (type 0) (param i32) (result f32 i32)))
  (import "" "\u{0}\u{0}]" (func (;4;) (type 0) (param i32) (result f32 i32)))
  (import "" "" (func (;5;) (type 0) (param i32) (result f32 i32)))
  (import "" "" (func (;6;) (type 0) (param i32) (result f32 i32)))
  (memory (;0;) 16 16)
  (memory (;1;) 16 16)
  (memory (;2;) 16 16)
  (memory (;3;) 16 16)
  (global (;0;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -256 i32.const 25559040 i32.const 0 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;1;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;2;) (mut i32) i32.const -1 i32.const -1 i32.const -256 i32.const 25559040 i32.const 0 i32.const 6815743 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.sub i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;3;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;4;) (mut i32) i32.const -370546199 i32.const -370563607 i32.const -370546177 i32.const -65537 i32.const -1 i32.const -1 i32.const -2 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;5;) (mut f64) f64.const -nan:0xfff0a000200e9 (;=NaN;))
  (global (;6;) (mut i32) i32.const -1 i32.const -65535 i32.const -1 i32.const -1 i32.const -16777216 i32.const 0 i32.const 67108863 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -192 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;7;) (mut i32) i32.const -1 i32.const -16777216 i32.const 0 i32.const 67108863 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.mul i32.const 10325248 i32.add i32.const 33488896 i32.sub i32.add i32.mul i32.mul)
  (global (;8;) (mut i32) i32.const -16774656 i32.const -2122191105 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const 10325248 i32.const 66047 i32.const 5 i32.sub i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.const -1 i32.add)
  (global (;9;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -2113537 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.const -65536 i32.add i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;10;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const 184549375 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;11;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -40705 i32.const -50671 i32.const 511 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul)
  (global (;12;) (mut f64) f64.const -nan:0xfffffffffffff (;=NaN;))
  (global (;13;) (mut f32) f32.const -0x1.7bfffep-4 (;=-0.09277343;))
  (global (;14;) (mut externref) ref.null extern)
  (global (;15;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.const -38808 i32.const 1751711743 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.const -16777216 i32.mul i32.mul)
  (global (;16;) (mut i32) i32.const -1 i32.const -1 i32.const -1 i32.const -204 i32.const 16777215 i32.const -1 i32.const -122 i32.const -2038035713 i32.const -1 i32.const -1 i32.const -1 i32.const -1 i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.mul i32.sub)
  (global (;17;) (mut i64) i64.const -7812738666512280777 i64.const 633836114835 i64.const -7816412192986628097 i64.const 3811140277606015796 i64.const 3811140277606015971 i64.const -2025718008567811020 i64.const 3761882156681651171 i64.const -2025524839466146845 i64.const -2025524839466146845 i64.const -2025524839466146845 i64.mul i64.mul i64.mul i64.mul i64.const -2025525594032950220 i64.mul i64.mul i64.mul i64.mul i64.mul i64.mul)
  (global (;18;) (mut f32) f32.const -0x1.272726p-88 (;=-0.0000000000000000000000000037253536;))
  (global (;19;) (mut f32) f32.const -0x1.272726p-88 (;=-0.0000000000000000000000000037253536;))
  (global (;20;) (mut i64) i64.const 0)
  (global (;21;) (mut i64) i64.const 0)
  (global (;22;) (mut i32) i32.const 0)
  (global (;23;) (mut i32) i32.const 0)
  (global (;24;) (mut i32) i32.const 1000)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (func 2))
  (export "3" (func 3))
  (export "4" (func 4))
  (export "5" (func 5))
  (export "6" (func 6))
  (export "7" (func 7))
  (export "8" (func 8))
  (export "9" (func 9))
  (export "10" (func 10))
  (export "11" (func 11))
  (export "12" (func 12))
  (export "13" (func 13))
  (export "14" (func 14))
  (export "15" (func 15))
  (export "16" (func 16))
  (export "17" (func 17))
  (export "18" (func 18))
  (export "19" (func 19))
  (export "20" (table 0))
  (export "21" (memory 0))
  (export "22" (memory 1))
  (export "23" (memory 2))
  (export "24" (memory 3))
  (export "25" (global 0))
  (export "26" (global 1))
  (export "27" (global 2))
  (export "28" (global 3))
  (export "29" (global 4))
  (export "30" (global 5))
  (export "31" (global 6))
  (export "32" (global 7))
  (export "33" (global 8))
  (export "34" (global 9))
  (export "35" (global 10))
  (export "36" (global 11))
  (export "37" (global 12))
  (export "38" (global 13))
  (export "39" (global 14))
  (export "40" (global 15))
  (export "41" (global 16))
  (export "42" (global 17))
  (export "43" (global 18))
  (export "44" (global 19))
  (elem (;0;) (table 0) (i32.const 367) func)
  (elem (;1;) (table 0) (i32.const 367) func)
  (elem (;2;) (table 0) (i32.const 367) func)
  (elem (;3;) (table 0) (i32.const 367) func)
  (elem (;4;) (i32.const 2192) funcref)
  (func (;7;) (type 0) (param i32) (result f32 i32)
    (local f64 f64 f64 f64 f64 f64)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    loop ;; label = @1
      global.get 24
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 24
      i32.const 1
      i32.sub
      global.set 24
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      ref.null func
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      memory.size 3
      i64.extend_i32_u
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      memory.size 3
      i64.extend_i32_u
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      memory.size 3
      i64.extend_i32_u
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      memory.size 3
      i64.extend_i32_u
      f64.const -0x1.6c6c6c6c6c6c6p+109 (;=-923923411592226600000000000000000;)
      f64.sqrt
      local.tee 1
      f64.const nan (;=NaN;)
      local.get 1
      local.get 1
      f64.eq
      select
      f64.sqrt
      local.tee 2
      f64.const nan (;=NaN;)
      local.get 2
      local.get 2
      f64.eq
      select
      f64.sqrt
      local.tee 3
      f64.const nan (;=NaN;)
      local.get 3
      local.get 3
      f64.eq
      select
      f64.sqrt
      local.tee 4
      f64.const nan (;=NaN;)
      local.get 4
      local.get 4
      f64.eq
      select
      f64.sqrt
      local.tee 5
      f64.const nan (;=NaN;)
      local.get 5
      local.get 5
      f64.eq
      select
      f64.sqrt
      local.tee 6
      f64.const nan (;=NaN;)
      local.get 6
      local.get 6
      f64.eq
      select
      nop
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      block (result i32) ;; label = @2
        elem.drop 0
        elem.drop 0
        elem.drop 4
        i64.const 18014398509481983
        f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
        memory.size 3
        i64.extend_i32_u
        f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
        memory.size 3
        i64.extend_i32_u
        f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
        memory.size 3
        i64.extend_i32_u
        f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
        memory.size 3
        i64.extend_i32_u
        f64.const 0x1.fffp-1062 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004047;)
        i32.trunc_f64_u
        loop ;; label = @3
          global.get 24
          i32.eqz
          if ;; label = @4
            unreachable
          end
          global.get 24
          i32.const 1
          i32.sub
          global.set 24
          i64.const -3472328296238428218
          table.size 0
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          br 0 (;@3;)
          i64.extend_i32_u
          i64.shr_u
          f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
          memory.size 3
          i64.extend_i32_u
          f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
          memory.size 3
          i64.extend_i32_u
          global.get 20
          i64.xor
          global.set 20
          i64.reinterpret_f64
          global.get 21
          i64.xor
          global.set 21
          global.get 20
          i64.xor
          global.set 20
          i64.reinterpret_f64
          global.get 21
          i64.xor
          global.set 21
          global.get 20
          i64.xor
          global.set 20
        end
        global.get 22
        i32.xor
        global.set 22
        global.get 20
        i64.xor
        global.set 20
        i64.reinterpret_f64
        global.get 21
        i64.xor
        global.set 21
        global.get 20
        i64.xor
        global.set 20
        i64.reinterpret_f64
        global.get 21
        i64.xor
        global.set 21
        global.get 20
        i64.xor
        global.set 20
        i64.reinterpret_f64
        global.get 21
        i64.xor
        global.set 21
        global.get 20
        i64.xor
        global.set 20
        i64.reinterpret_f64
        global.get 21
        i64.xor
        global.set 21
        global.get 20
        i64.xor
        global.set 20
        i32.const 1
      end
      global.get 22
      i32.xor
      global.set 22
      i64.reinterpret_f64
      global.get 21
      i64.xor
      global.set 21
      global.get 20
      i64.xor
      global.set 20
      i64.reinterpret_f64
      global.get 21
      i64.xor
      global.set 21
      global.get 20
      i64.xor
      global.set 20
      i64.reinterpret_f64
      global.get 21
      i64.xor
      global.set 21
      global.get 20
      i64.xor
      global.set 20
      i64.reinterpret_f64
      global.get 21
      i64.xor
      global.set 21
      global.get 20
      i64.xor
      global.set 20
      i64.reinterpret_f64
      global.get 21
      i64.xor
      global.set 21
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
      drop
    end
    f32.const 0x1.fffffep-124 (;=0.00000000000000000000000000000000000009403954;)
    i32.const 33554431
  )
  (func (;8;) (type 0) (param i32) (result f32 i32)
    (local f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    loop ;; label = @1
      global.get 24
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 24
      i32.const 1
      i32.sub
      global.set 24
      i64.const -4123389851770370362
      i64.extend32_s
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      memory.size 3
      i64.extend_i32_u
      f64.const -0x1.fffffffffffffp+1023 (;=-179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      i32.trunc_f64_u
      loop ;; label = @2
        global.get 24
        i32.eqz
        if ;; label = @3
          unreachable
        end
        global.get 24
        i32.const 1
        i32.sub
        global.set 24
        i64.const -3472328296227682618
        table.size 0
        br 1 (;@1;)
        br 1 (;@1;)
        f64.load 3 offset=995117
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        ref.null extern
        table.size 0
        global.get 12
        i64.trunc_sat_f64_s
        ref.null extern
        table.size 0
        global.get 15
        i32.eq
        i32.load8_s 3 offset=1048560
        i32.load8_s 3 offset=917496
        unreachable
        global.get 22
        i32.xor
        global.set 22
        drop
        global.get 20
        i64.xor
        global.set 20
        global.get 22
        i32.xor
        global.set 22
        drop
        i64.reinterpret_f64
        global.get 21
        i64.xor
        global.set 21
        global.get 20
        i64.xor
        global.set 20
      end
      global.get 22
      i32.xor
      global.set 22
      global.get 20
      i64.xor
      global.set 20
      i64.reinterpret_f64
      global.get 21
      i64.xor
      global.set 21
      global.get 20
      i64.xor
      global.set 20
    end
    f32.const -0x1.31313p-78 (;=-0.000000000000000000000003944516;)
    i32.const -1734829928
  )
  (func (;9;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    local.get 0
    f64.convert_i32_u
    f32.const -0x1.31313p-78 (;=-0.000000000000000000000003944516;)
    f32.const -0x1.31313p-78 (;=-0.000000000000000000000003944516;)
    i64.trunc_sat_f32_s
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    f32.const -nan:0x7fffef (;=NaN;)
    global.set 19
    f32.const -nan:0x7fffef (;=NaN;)
    global.set 19
    i64.const 9218868437227405311
    i64.const 67108863
    i64.lt_u
    i64.load32_s 3 offset=1048560 align=1
    i64.lt_u
    i32.load16_u 3 offset=1048560
    i32.load16_u 3 offset=1048560
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.get 0
    i32.store16 3 offset=1036227
    i32.reinterpret_f32
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    local.tee 0
    f64.convert_i32_u
    i64.trunc_sat_f64_s
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    i64.ctz
    f32.const -nan:0x7fffef (;=NaN;)
    global.set 19
    f32.const -nan:0x7fffef (;=NaN;)
    global.set 19
    i64.const 9218868437227405311
    i64.const 67108863
    i64.lt_u
    i64.load32_s 3 offset=1048560 align=1
    i64.lt_u
    i64.load32_s 3 offset=1048560 align=1
    i64.ctz
    i64.ctz
    i64.ctz
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    i64.const 9218868437227405311
    loop (result f32) ;; label = @1
      global.get 24
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 24
      i32.const 1
      i32.sub
      global.set 24
      f32.const 0x1.fffffep-124 (;=0.00000000000000000000000000000000000009403954;)
    end
    i32.reinterpret_f32
    global.get 23
    i32.xor
    global.set 23
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    global.get 20
    i64.xor
    global.set 20
    i64.reinterpret_f64
    global.get 21
    i64.xor
    global.set 21
    f32.const 0x1.fffffep-124 (;=0.00000000000000000000000000000000000009403954;)
    i32.const 33554431
  )
  (func (;10;) (type 0) (param i32) (result f32 i32)
    (local f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 i32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    loop ;; label = @1
      global.get 24
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 24
      i32.const 1
      i32.sub
      global.set 24
      i64.const -4123389851770370362
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      f64.const 0x1.ffffff8p-1049 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000331561837;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      i32.trunc_f64_u
      loop ;; label = @2
        global.get 24
        i32.eqz
        if ;; label = @3
          unreachable
        end
        global.get 24
        i32.const 1
        i32.sub
        global.set 24
        i64.const -1
        f64.const 0x1.ffffff8p-1049 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000331561837;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 0 (;@2;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        i32.trunc_f64_u
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        br 1 (;@1;)
        loop ;; label = @3
          global.get 24
          i32.eqz
          if ;; label = @4
            unreachable
          end
          global.get 24
          i32.const 1
          i32.sub
          global.set 24
          i64.const 8796093022207
          f64.const -0x1.6c6c6c6c6c6c6p+109 (;=-923923411592226600000000000000000;)
          i32.trunc_f64_u
          loop ;; label = @4
            global.get 24
            i32.eqz
            if ;; label = @5
              unreachable
            end
            global.get 24
            i32.const 1
            i32.sub
            global.set 24
            i64.const -7812738666508925242
            f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
            memory.size 3
            i64.extend_i32_u
            i64.extend32_s
            i64.extend32_s
            table.size 0
            br 3 (;@1;)
            br 3 (;@1;)
            br 3 (;@1;)
            br 3 (;@1;)
            br 3 (;@1;)
            br 3 (;@1;)
            br 3 (;@1;)
            br 3 (;@1;)
            loop ;; label = @5
              global.get 24
              i32.eqz
              if ;; label = @6
                unreachable
              end
              global.get 24
              i32.const 1
              i32.sub
              global.set 24
              i64.const -4123389851770370362
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              i64.extend32_s
              f64.const 0x1.ffffff8p-1049 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000331561837;)
              br 0 (;@5;)
              block ;; label = @6
                i64.const -16106991608478010
                f64.const 0x1.ffffff8p-1049 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000331561837;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 0 (;@6;)
                i32.trunc_f64_u
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                br 3 (;@3;)
                global.get 22
                i32.xor
                global.set 22
                global.get 20
                i64.xor
                global.set 20
              end
              i64.reinterpret_f64
              global.get 21
              i64.xor
              global.set 21
              global.get 20
              i64.xor
              global.set 20
            end
            global.get 22
            i32.xor
            global.set 22
            global.get 20
            i64.xor
            global.set 20
            i64.reinterpret_f64
            global.get 21
            i64.xor
            global.set 21
            global.get 20
            i64.xor
            global.set 20
          end
          global.get 22
          i32.xor
          global.set 22
          global.get 20
          i64.xor
          global.set 20
        end
        global.get 22
        i32.xor
        global.set 22
        global.get 20
        i64.xor
        global.set 20
      end
      global.get 22
      i32.xor
      global.set 22
      global.get 20
      i64.xor
      global.set 20
    end
    f32.const 0x1.fffffep-124 (;=0.00000000000000000000000000000000000009403954;)
    i32.const 33554431
  )
  (func (;11;) (type 0) (param i32) (result f32 i32)
    (local f32 f32 f32 f32 f32 f32 f32 f64)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    loop (result i32) ;; label = @1
      global.get 24
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 24
      i32.const 1
      i32.sub
      global.set 24
      table.size 0
      i64.load 2 offset=1048576 align=4
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      local.set 8
      f64.const 0x1.fffffffffffffp-1020 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001780059086805761;)
      local.set 8
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      i64.extend32_s
      table.size 0
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      br 0 (;@1;)
      loop ;; label = @2
        global.get 24
        i32.eqz
        if ;; label = @3
          unreachable
        end
        global.get 24
        i32.const 1
        i32.sub
        global.set 24
        i64.const -4123389851770370362
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        i64.extend32_s
        f64.const 0x1.ffffff8p-1049 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000331561837;)
        elem.drop 0
        elem.drop 0
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        f64.abs
        loop ;; label = @3
          global.get 24
          i32.eqz
          if ;; label = @4
            unreachable
          end
          global.get 24
          i32.const 1
          i32.sub
          global.set 24
          global.get 14
          local.get 8
          loop ;; label = @4
            global.get 24
            i32.eqz
            if ;; label = @5
              unreachable
            end
            global.get 24
            i32.const 1
            i32.sub
            global.set 24
            global.get 14
            local.get 0
            i32.ctz
            i32.ctz
            i32.ctz
            i32.load8_s 3 offset=1048560
            i32.load8_s offset=65023
            i32.load8_s 3 offset=458750
            i32.load8_s 3 offset=1048560
            i32.load8_s 3 offset=1048560
            block (result i32) ;; label = @5
              unreachable
            end
            global.get 22
            i32.xor
            global.set 22
            global.get 22
            i32.xor
            global.set 22
            drop
          end
          unreachable
        end
        unreachable
      end
      unreachable
    end
    unreachable
  )
  (func (;12;) (type 0) (param i32) (result f32 i32)
    (local i64 i64)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    memory.size 3
    i32.load8_s 1 offset=649691
    i32.load8_s 1 offset=649458
    if (result i32) ;; label = @1
      memory.size 3
      i32.load16_s 3 offset=928457 align=1
      f32.load offset=144124 align=1
      global.set 13
      nop
      nop
      elem.drop 3
      nop
      nop
      block ;; label = @2
        elem.drop 2
        elem.drop 0
        i64.const 67108863
        global.get 15
        i32.load8_s 3 offset=338632
        i64.load offset=77877 align=4
        i64.eqz
        block (result i32) ;; label = @3
          unreachable
          elem.drop 0
          elem.drop 0
          elem.drop 0
          table.size 0
          i64.extend_i32_s
          global.set 17
          elem.drop 0
          elem.drop 4
          elem.drop 0
          elem.drop 0
          elem.drop 0
          elem.drop 0
          elem.drop 0
          elem.drop 0
          elem.drop 0
          elem.drop 3
          elem.drop 0
          elem.drop 0
          block (result i32) ;; label = @4
            block (result i32) ;; label = @5
              elem.drop 0
              block (result i32) ;; label = @6
                block (result i32) ;; label = @7
                  elem.drop 0
                  elem.drop 0
                  elem.drop 0
                  elem.drop 0
                  elem.drop 0
                  elem.drop 0
                  elem.drop 0
                  elem.drop 0
                  ref.null extern
                  memory.size 1
                  loop ;; label = @8
                    global.get 24
                    i32.eqz
                    if ;; label = @9
                      unreachable
                    end
                    global.get 24
                    i32.const 1
                    i32.sub
                    global.set 24
                    i64.const -4096
                    global.get 15
                    i32.load8_s 3 offset=1048560
                    i32.load8_s 3 offset=1048560
                    i32.load8_s 3 offset=1048560
                    i32.load8_s 3 offset=1048560
                    unreachable
                    unreachable
                  end
                  unreachable
                end
              end
            end
          end
        end
        unreachable
      end
      unreachable
    else
      unreachable
    end
    unreachable
  )
  (func (;13;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
  (func (;14;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
  (func (;15;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
  (func (;16;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
  (func (;17;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
  (func (;18;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
  (func (;19;) (type 0) (param i32) (result f32 i32)
    global.get 24
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 24
    i32.const 1
    i32.sub
    global.set 24
    unreachable
  )
)
