(module
  (type (;0;) (func (result i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32 i32 i32 i64) (result i32 i32)))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 1000)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (func 2))
  (export "3" (global 0))
  (export "4" (global 1))
  (export "5" (global 2))
  (export "6" (global 3))
  (func (;0;) (type 1) (param i32 i32 i32 i32 i32 i32 i64) (result i32 i32)
    (local f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32)
    global.get 4
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    f32.const -0x1.e9e9e8p+106 (;=-155259850000000000000000000000000;)
    f32.nearest
    local.tee 7
    f32.const nan (;=NaN;)
    local.get 7
    local.get 7
    f32.eq
    select
    f32.nearest
    local.tee 8
    f32.const nan (;=NaN;)
    local.get 8
    local.get 8
    f32.eq
    select
    f32.nearest
    local.tee 9
    f32.const nan (;=NaN;)
    local.get 9
    local.get 9
    f32.eq
    select
    f32.nearest
    local.tee 10
    f32.const nan (;=NaN;)
    local.get 10
    local.get 10
    f32.eq
    select
    f32.nearest
    local.tee 11
    f32.const nan (;=NaN;)
    local.get 11
    local.get 11
    f32.eq
    select
    f32.nearest
    local.tee 12
    f32.const nan (;=NaN;)
    local.get 12
    local.get 12
    f32.eq
    select
    f32.nearest
    local.tee 13
    f32.const nan (;=NaN;)
    local.get 13
    local.get 13
    f32.eq
    select
    f32.nearest
    local.tee 14
    f32.const nan (;=NaN;)
    local.get 14
    local.get 14
    f32.eq
    select
    f32.nearest
    local.tee 15
    f32.const nan (;=NaN;)
    local.get 15
    local.get 15
    f32.eq
    select
    f32.nearest
    local.tee 16
    f32.const nan (;=NaN;)
    local.get 16
    local.get 16
    f32.eq
    select
    f32.nearest
    local.tee 17
    f32.const nan (;=NaN;)
    local.get 17
    local.get 17
    f32.eq
    select
    f32.nearest
    local.tee 18
    f32.const nan (;=NaN;)
    local.get 18
    local.get 18
    f32.eq
    select
    f32.nearest
    local.tee 19
    f32.const nan (;=NaN;)
    local.get 19
    local.get 19
    f32.eq
    select
    f32.nearest
    local.tee 20
    f32.const nan (;=NaN;)
    local.get 20
    local.get 20
    f32.eq
    select
    f32.neg
    f32.neg
    f32.neg
    f32.neg
    f32.abs
    f32.abs
    f32.sqrt
    local.tee 21
    f32.const nan (;=NaN;)
    local.get 21
    local.get 21
    f32.eq
    select
    f32.abs
    f32.abs
    f32.abs
    f32.abs
    f32.abs
    f32.abs
    f32.abs
    f32.abs
    i32.reinterpret_f32
    global.get 0
    i32.xor
    global.set 0
    i32.const -2097153
    i32.const -2097153
  )
  (func (;1;) (type 1) (param i32 i32 i32 i32 i32 i32 i64) (result i32 i32)
    (local f32 f32 f32 f32 f64 f32)
    global.get 4
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    block (type 0) (result i32 i32) ;; label = @1
      block (type 0) (result i32 i32) ;; label = @2
        block (type 0) (result i32 i32) ;; label = @3
          block (type 0) (result i32 i32) ;; label = @4
            block (type 0) (result i32 i32) ;; label = @5
              block (type 0) (result i32 i32) ;; label = @6
                block (type 0) (result i32 i32) ;; label = @7
                  ref.null func
                  block ;; label = @8
                    local.get 3
                    i64.const 64993124034209510
                    i64.eqz
                    local.get 5
                    br_table 1 (;@7;) 2 (;@6;) 3 (;@5;) 4 (;@4;) 5 (;@3;) 6 (;@2;) 7 (;@1;) 8 5 (;@3;)
                    f32.const -0x1.cdcdccp+78 (;=-545201800000000000000000;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    f32.const -nan:0x7fff7f (;=NaN;)
                    f32.sub
                    local.tee 9
                    f32.const nan (;=NaN;)
                    local.get 9
                    local.get 9
                    f32.eq
                    select
                    f32.const -nan:0x7fff7f (;=NaN;)
                    f32.abs
                    f32.abs
                    f32.sub
                    local.tee 10
                    f32.const nan (;=NaN;)
                    local.get 10
                    local.get 10
                    f32.eq
                    select
                    f32.const -0x1.0d0c14p-114 (;=-0.00000000000000000000000000000000005060215;)
                    f32.eq
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    br 0 (;@8;)
                    i64.const -137438953473
                    f32.convert_i64_u
                    f64.promote_f32
                    f64.trunc
                    local.tee 11
                    f64.const nan (;=NaN;)
                    local.get 11
                    local.get 11
                    f64.eq
                    select
                    i64.const -2466250753
                    f32.convert_i64_u
                    f32.const -nan:0x7fff7f (;=NaN;)
                    f32.sub
                    local.tee 12
                    f32.const nan (;=NaN;)
                    local.get 12
                    local.get 12
                    f32.eq
                    select
                    i32.const 0
                    unreachable
                  end
                  drop
                  i32.const -129
                  i32.const -129
                end
              end
            end
          end
        end
      end
    end
  )
  (func (;2;) (type 1) (param i32 i32 i32 i32 i32 i32 i64) (result i32 i32)
    (local i64 i32 f64 f64 f64)
    global.get 4
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    loop (type 0) (result i32 i32) ;; label = @1
      global.get 4
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 4
      i32.const 1
      i32.sub
      global.set 4
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      local.get 5
      br_if 0 (;@1;)
      block ;; label = @2
        local.get 3
        i64.const -137438953473
        f64.const 0x1.ff8p-1065 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005054;)
        f64.nearest
        local.tee 9
        f64.const nan (;=NaN;)
        local.get 9
        local.get 9
        f64.eq
        select
        i64.const 1023
        f64.const 0x1.ff8p-1065 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005054;)
        i64.const 1023
        f64.const 0x1.ff8p-1065 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005054;)
        i64.const 1023
        f64.const 0x1.fffffffffffep-1027 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001390671161566996;)
        i64.const 1023
        f64.const 0x1.ff8p-1065 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005054;)
        i64.const 1023
        f64.const 0x1.ff8p-1065 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005054;)
        i64.const 1023
        f64.const -nan:0xfffdfffffffff (;=NaN;)
        f64.trunc
        local.tee 10
        f64.const nan (;=NaN;)
        local.get 10
        local.get 10
        f64.eq
        select
        f64.trunc
        local.tee 11
        f64.const nan (;=NaN;)
        local.get 11
        local.get 11
        f64.eq
        select
        f32.const -0x1.cdcdccp+78 (;=-545201800000000000000000;)
        i32.reinterpret_f32
        global.get 0
        i32.xor
        global.set 0
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        global.get 3
        i32.xor
        global.set 3
      end
      i32.const -421075226
      i32.const -421075226
    end
  )
)
