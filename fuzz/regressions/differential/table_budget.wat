(module
  (type (;0;) (func (result f32)))
  (type (;1;) (func))
  (table (;0;) 10000 externref)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 1000)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (func 2))
  (export "3" (func 3))
  (export "4" (func 4))
  (export "5" (func 5))
  (export "6" (func 6))
  (export "7" (table 0))
  (start 0)
  (elem (;0;) externref)
  (func (;0;) (type 1)
    (local f64)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
  )
  (func (;1;) (type 1)
    (local i32 f32)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
  )
  (func (;2;) (type 1)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    block (type 0) (result f32) ;; label = @1
      ref.null extern
      i32.const 4194304
      table.grow 0
      br_if 1
      block (type 1) ;; label = @2
        ref.null func
        ref.is_null
        i32.const -4194304
        br_if 0 (;@2;)
        block (type 1) ;; label = @3
        end
        drop
      end
      f32.const 0x0p+0 (;=0;)
    end
    i32.reinterpret_f32
    global.get 0
    i32.xor
    global.set 0
  )
  (func (;3;) (type 1)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    call 0
    unreachable
    f64.const -0x1.0000893ffffffp-719 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003626074063541828;)
    block (type 0) (result f32) ;; label = @1
      ref.null extern
      i32.const -2038035738
      data.drop 0
      data.drop 0
      data.drop 0
      data.drop 0
      table.grow 0
      block (type 0) (result f32) ;; label = @2
        ref.null extern
        i32.const -421075226
        unreachable
        table.grow 0
        br_if 2
        ref.null func
        ref.is_null
        i32.const -2038004090
        i32.or
        f32.const -0x1.fffffep+0 (;=-1.9999999;)
        i64.trunc_sat_f32_s
        call 1
        br 2
        call 1
        call 1
        call 1
        i64.popcnt
        i64.popcnt
        i64.popcnt
        f64.const -0x1.3939393939393p-710 (;=-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000022715248494335547;)
        f64.const -nan:0xfffffffffbfff (;=NaN;)
        f64.neg
        f64.le
        block (type 1) ;; label = @3
          block ;; label = @4
          end
        end
        global.get 1
        i32.xor
        global.set 1
        drop
        global.get 1
        i32.xor
        global.set 1
        f32.const -0x1.1601fep+127 (;=-184767860000000000000000000000000000000;)
      end
      i32.reinterpret_f32
      global.get 0
      i32.xor
      global.set 0
      drop
      f32.const 0x1.ea0604p-127 (;=0.000000000000000000000000000000000000011250388;)
    end
    unreachable
  )
  (func (;4;) (type 1)
    (local f32)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
  )
  (func (;5;) (type 1)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
  )
  (func (;6;) (type 1)
    global.get 2
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
  )
  (data (;0;) "")
  (data (;1;) "\ff")
  (data (;2;) "")
)
