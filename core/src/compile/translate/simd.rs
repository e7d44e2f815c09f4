//! The translation of SIMD operators (with the `simd` feature).
//!
//! A `v128` takes two consecutive cells, low half first, in a local's slots and on the
//! operand stack alike: the translator's stack model has one entry per cell, so a
//! `v128.const` is two lazy constants, a `local.get` of a `v128` local two lazy locals,
//! and blocks, branches, calls and returns move cells without knowing what they hold.
//! An instruction reads a `v128` operand from one slot ([`VSlot`]: that slot and the
//! next), which [`Translator::v128_slot`] finds or makes: both halves in their homes, in
//! a local's two slots, or two cells of the constant pool. The instructions that would
//! need a fourth field take their first operand in the result's slot (`I8x16Shuffle`,
//! the ternary operators, `replace_lane`: the vector is copied to its home first) or
//! their operands from consecutive slots (`load_lane`, `store_lane`).

use super::{Entry, Error, LAZY_DEPTH, Record, Translator, Val};
#[cfg(feature = "simd")]
use super::{MemArg, internal, memarg};
#[cfg(feature = "simd")]
use crate::compile::bytecode::for_each_op;
use crate::compile::bytecode::{Instr, Slot, VSlot};
use wasmparser::Operator;

/// How to build again an instruction that computed a `v128` into a slot of its own,
/// with another destination: its constructor and its operands. A `local.set` of the
/// `v128` right after it makes it write the local instead of a temporary (no copy).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "simd"), allow(dead_code))]
pub(super) enum Redo {
    /// `make(dst, a)`.
    One(fn(VSlot, u32) -> Instr, u32),
    /// `make(dst, a, b)`.
    Two(fn(VSlot, u32, u32) -> Instr, u32, u32),
}

impl Redo {
    /// The instruction, writing `dst`.
    fn build(self, dst: VSlot) -> Instr {
        match self {
            Redo::One(make, a) => make(dst, a),
            Redo::Two(make, a, b) => make(dst, a, b),
        }
    }
}

/// How a SIMD operator translated by its shape becomes an instruction.
#[cfg(feature = "simd")]
pub(super) enum SimdForm {
    /// `v128 -> v128`: `make(dst, src)`.
    Unary(fn(VSlot, VSlot) -> Instr),
    /// `v128 v128 -> v128`: `make(dst, a, b)`.
    Binary(fn(VSlot, VSlot, VSlot) -> Instr),
    /// `v128 v128 v128 -> v128`: `make(dst, b, c)`, the first operand in `dst`.
    Ternary(fn(VSlot, VSlot, VSlot) -> Instr),
    /// `v128 -> i32`: `make(dst, src)`.
    Test(fn(Slot, VSlot) -> Instr),
    /// A scalar `-> v128`: `make(dst, src)`.
    Splat(fn(VSlot, Slot) -> Instr),
    /// `v128 i32 -> v128`: `make(dst, a, count)`.
    Shift(fn(VSlot, VSlot, Slot) -> Instr),
    /// `v128 -> scalar`: `make(dst, src, lane)`.
    Extract(fn(Slot, VSlot, u32) -> Instr, u32),
    /// `v128 scalar -> v128`: `make(dst, x, lane)`, the vector in `dst`.
    Replace(fn(VSlot, Slot, u32) -> Instr, u32),
    /// A load building a vector: `make(dst, addr, memarg)`.
    Load(fn(VSlot, Slot, u32) -> Instr, MemArg),
}

/// One operator of the `simd` list, by its shape: returns its [`SimdForm`] if `$op` is it.
#[cfg(feature = "simd")]
macro_rules! simd_form {
    (unary, $name:ident, $op:expr) => {
        if let Operator::$name = $op {
            return Some(SimdForm::Unary(|dst, src| Instr::$name { dst, src }));
        }
    };
    (binary, $name:ident, $op:expr) => {
        if let Operator::$name = $op {
            return Some(SimdForm::Binary(|dst, a, b| Instr::$name { dst, a, b }));
        }
    };
    (ternary, $name:ident, $op:expr) => {
        if let Operator::$name = $op {
            return Some(SimdForm::Ternary(|dst, b, c| Instr::$name { dst, b, c }));
        }
    };
    (test, $name:ident, $op:expr) => {
        if let Operator::$name = $op {
            return Some(SimdForm::Test(|dst, src| Instr::$name { dst, src }));
        }
    };
    (splat, $name:ident, $op:expr) => {
        if let Operator::$name = $op {
            return Some(SimdForm::Splat(|dst, src| Instr::$name { dst, src }));
        }
    };
    (shift, $name:ident, $op:expr) => {
        if let Operator::$name = $op {
            return Some(SimdForm::Shift(|dst, a, b| Instr::$name { dst, a, b }));
        }
    };
    (extract, $name:ident, $op:expr) => {
        if let Operator::$name { lane } = $op {
            return Some(SimdForm::Extract(
                |dst, src, lane| Instr::$name { dst, src, lane },
                u32::from(*lane),
            ));
        }
    };
    (replace, $name:ident, $op:expr) => {
        if let Operator::$name { lane } = $op {
            return Some(SimdForm::Replace(
                |dst, src, lane| Instr::$name { dst, src, lane },
                u32::from(*lane),
            ));
        }
    };
    ($load:ident, $name:ident, $op:expr) => {
        if let Operator::$name { memarg: m } = $op {
            return Some(SimdForm::Load(
                |dst, addr, memarg| Instr::$name { dst, addr, memarg },
                memarg(m)?,
            ));
        }
    };
}

/// Generates `simd_form` from the instruction list.
#[cfg(feature = "simd")]
macro_rules! define_simd_form {
    (
        []
        special { $($special:tt)* }
        load { $($load:tt)* }
        store { $($store:tt)* }
        unary { $($unary:tt)* }
        unary_trap { $($unary_trap:tt)* }
        binary { $($binary:tt)* }
        binary_trap { $($binary_trap:tt)* }
        branch_cmp { $($cmp:tt)* }
        step_cmp { $($step:tt)* }
        simd { $( $name:ident { $($field:ident : $fty:ident),* } $shape:ident $f:ident ),* $(,)? }
    ) => {
        /// How to translate a SIMD operator of the `simd` list, or `None` for any other.
        fn simd_form(op: &Operator<'_>) -> Option<SimdForm> {
            $( simd_form!($shape, $name, op); )*
            None
        }
    };
}
#[cfg(feature = "simd")]
for_each_op!(define_simd_form);

#[cfg(not(feature = "simd"))]
impl<R: Record> Translator<R> {
    /// Without the `simd` feature the validator refuses every SIMD operator: none is
    /// ever translated.
    pub(super) fn simd(&mut self, _op: &Operator<'_>) -> Result<bool, Error> {
        Ok(false)
    }
}

#[cfg(feature = "simd")]
impl<R: Record> Translator<R> {
    /// Translates `op` if it is a SIMD operator (`Ok(false)` if not).
    pub(super) fn simd(&mut self, op: &Operator<'_>) -> Result<bool, Error> {
        match *op {
            Operator::V128Const { value } => {
                let bits = value.i128() as u128;
                self.push_lazy(Val::Const(bits as u64));
                self.push_high(Val::Const((bits >> 64) as u64));
            }
            Operator::V128Load { ref memarg } => {
                let m = self::memarg(memarg).ok_or_else(|| internal("v128.load memarg"))?;
                let h = self.below_top(0)?;
                let addr = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                let (make, operand) = self.mem_operand(
                    m,
                    |dst, addr, offset| Instr::V128Load { dst, addr, offset },
                    |dst, addr, memarg| Instr::V128LoadM { dst, addr, memarg },
                );
                self.push_v128_redo(Redo::Two(make, addr, operand), cost);
            }
            Operator::V128Store { ref memarg } => {
                let m = self::memarg(memarg).ok_or_else(|| internal("v128.store memarg"))?;
                let h = self.below_top(2)?;
                let addr = self.slot(h)?;
                let value = self.v128_slot(h + 1)?;
                let cost = self.take_cost(3).saturating_add(1);
                self.pop_n(3)?;
                let (make, operand) = self.mem_operand(
                    m,
                    |addr, value, offset| Instr::V128Store {
                        addr,
                        value,
                        offset,
                    },
                    |addr, value, memarg| Instr::V128StoreM {
                        addr,
                        value,
                        memarg,
                    },
                );
                self.emit(make(addr, value, operand), cost);
            }
            Operator::V128Load8Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 2, |base, memarg, lane| Instr::V128Load8Lane {
                    base,
                    memarg,
                    lane,
                })?;
            }
            Operator::V128Load16Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 2, |base, memarg, lane| {
                    Instr::V128Load16Lane { base, memarg, lane }
                })?;
            }
            Operator::V128Load32Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 2, |base, memarg, lane| {
                    Instr::V128Load32Lane { base, memarg, lane }
                })?;
            }
            Operator::V128Load64Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 2, |base, memarg, lane| {
                    Instr::V128Load64Lane { base, memarg, lane }
                })?;
            }
            Operator::V128Store8Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 0, |base, memarg, lane| {
                    Instr::V128Store8Lane { base, memarg, lane }
                })?;
            }
            Operator::V128Store16Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 0, |base, memarg, lane| {
                    Instr::V128Store16Lane { base, memarg, lane }
                })?;
            }
            Operator::V128Store32Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 0, |base, memarg, lane| {
                    Instr::V128Store32Lane { base, memarg, lane }
                })?;
            }
            Operator::V128Store64Lane { ref memarg, lane } => {
                self.lane_access(memarg, lane, 0, |base, memarg, lane| {
                    Instr::V128Store64Lane { base, memarg, lane }
                })?;
            }
            Operator::I8x16Shuffle { lanes } => {
                let h = self.below_top(3)?;
                self.materialize(h);
                self.materialize(h + 1);
                let mask = u128::from_le_bytes(lanes);
                self.push_lazy(Val::Const(mask as u64));
                self.push_high(Val::Const((mask >> 64) as u64));
                let b = self.v128_slot(h + 2)?;
                let lanes = self.v128_slot(h + 4)?;
                // (The mask's entries cost nothing: the shuffle's fuel is its own.)
                let cost = self.take_cost(6);
                self.pop_n(6)?;
                self.push_v128(|dst| Instr::I8x16Shuffle { dst, b, lanes }, cost);
            }
            ref other => {
                let Some(form) = simd_form(other) else {
                    return Ok(false);
                };
                self.simd_shaped(form)?;
            }
        }
        Ok(true)
    }

    /// A `load_lane` (`results` 2: the vector) or `store_lane` (`results` 0): address and
    /// vector from consecutive slots, `make(base, memarg, lane)`.
    fn lane_access(
        &mut self,
        memarg: &wasmparser::MemArg,
        lane: u8,
        results: u32,
        make: fn(u32, u32, u32) -> Instr,
    ) -> Result<(), Error> {
        let m = self::memarg(memarg).ok_or_else(|| internal("lane memarg"))?;
        let memarg = self.memargs.len() as u32;
        self.memargs.push(m);
        self.in_place(3, results, |base| make(base, memarg, u32::from(lane)))
    }

    /// Translates an operator of the `simd` list by its shape.
    fn simd_shaped(&mut self, form: SimdForm) -> Result<(), Error> {
        match form {
            SimdForm::Unary(make) => {
                let h = self.below_top(1)?;
                let src = self.v128_slot(h)?;
                let cost = self.take_cost(2).saturating_add(1);
                self.pop_n(2)?;
                self.push_v128_redo(Redo::One(make, src), cost);
            }
            SimdForm::Binary(make) => {
                let h = self.below_top(3)?;
                let a = self.v128_slot(h)?;
                let b = self.v128_slot(h + 2)?;
                let cost = self.take_cost(4).saturating_add(1);
                self.pop_n(4)?;
                self.push_v128_redo(Redo::Two(make, a, b), cost);
            }
            SimdForm::Ternary(make) => {
                let h = self.below_top(5)?;
                self.materialize(h);
                self.materialize(h + 1);
                let b = self.v128_slot(h + 2)?;
                let c = self.v128_slot(h + 4)?;
                let cost = self.take_cost(6).saturating_add(1);
                self.pop_n(6)?;
                self.push_v128(|dst| make(dst, b, c), cost);
            }
            SimdForm::Test(make) => {
                let h = self.below_top(1)?;
                let src = self.v128_slot(h)?;
                let cost = self.take_cost(2).saturating_add(1);
                self.pop_n(2)?;
                self.push_result(|dst| make(dst, src), cost);
            }
            SimdForm::Splat(make) => {
                let h = self.below_top(0)?;
                let src = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                self.push_v128_redo(Redo::One(make, src), cost);
            }
            SimdForm::Shift(make) => {
                let h = self.below_top(2)?;
                let a = self.v128_slot(h)?;
                let count = self.slot(h + 2)?;
                let cost = self.take_cost(3).saturating_add(1);
                self.pop_n(3)?;
                self.push_v128_redo(Redo::Two(make, a, count), cost);
            }
            SimdForm::Extract(make, lane) => {
                let h = self.below_top(1)?;
                let src = self.v128_slot(h)?;
                let cost = self.take_cost(2).saturating_add(1);
                self.pop_n(2)?;
                self.push_result(|dst| make(dst, src, lane), cost);
            }
            SimdForm::Replace(make, lane) => {
                let h = self.below_top(2)?;
                self.materialize(h);
                self.materialize(h + 1);
                let x = self.slot(h + 2)?;
                let cost = self.take_cost(3).saturating_add(1);
                self.pop_n(3)?;
                self.push_v128(|dst| make(dst, x, lane), cost);
            }
            SimdForm::Load(make, m) => {
                let h = self.below_top(0)?;
                let addr = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                let memarg = self.memargs.len() as u32;
                self.memargs.push(m);
                self.push_v128_redo(Redo::Two(make, addr, memarg), cost);
            }
        }
        Ok(())
    }
}

impl<R: Record> Translator<R> {
    /// Pushes a `v128` computed by `make(dst)` into its home (two cells).
    #[cfg_attr(not(feature = "simd"), allow(dead_code))]
    pub(super) fn push_v128(&mut self, make: impl FnOnce(VSlot) -> Instr, cost: u8) {
        let h = self.height();
        self.push(Entry::TEMP);
        self.push(Entry::TEMP);
        let dst = self.home(h);
        self.emit(make(dst), cost);
    }

    /// [`push_v128`](Self::push_v128) of an instruction that reads its operands before
    /// it writes `dst`, which a `local.set` right after may retarget.
    #[cfg_attr(not(feature = "simd"), allow(dead_code))]
    pub(super) fn push_v128_redo(&mut self, redo: Redo, cost: u8) {
        let h = self.height();
        self.push_v128(|dst| redo.build(dst), cost);
        self.last_v128 = Some((self.pc() - 1, h, redo));
    }

    /// The slot of the `v128` whose low half is the entry at height `h` (the high half
    /// at `h + 1`): both halves in their homes, a `v128` local's slots, or two cells of
    /// the constant pool (in a loop, if it has room); else both are copied home first.
    pub(super) fn v128_slot(&mut self, h: u32) -> Result<VSlot, Error> {
        let (lo, hi) = (self.entry(h)?.val, self.entry(h + 1)?.val);
        match (lo, hi) {
            (Val::Temp, Val::Temp) => return Ok(self.home(h)),
            (Val::Local(a), Val::Local(b)) if a.checked_add(1) == Some(b) => return Ok(a),
            (Val::Const(lo), Val::Const(hi)) if self.loops > 0 => {
                if let Some(i) = self.pool.windows(2).position(|w| w == [lo, hi]) {
                    return Ok(super::POOL_SLOT + i as u32);
                }
                if self.pool.len() + 2 <= super::POOL_MAX as usize {
                    self.pool.extend([lo, hi]);
                    return Ok(super::POOL_SLOT + self.pool.len() as u32 - 2);
                }
            }
            _ => {}
        }
        self.materialize(h);
        self.materialize(h + 1);
        Ok(self.home(h))
    }

    /// `local.set` (or `local.tee`) of the `v128` local in slots `s` and `s + 1`.
    pub(super) fn local_set_v128(&mut self, s: Slot, tee: bool) -> Result<(), Error> {
        self.written |= self.local_bit(s) | self.local_bit(s + 1);
        let h = self.below_top(1)?;
        let cost = self.take_cost(2).saturating_add(1);
        let halves = [self.entry(h)?, self.entry(h + 1)?];
        self.pop_n(2)?;
        // The last instruction computed the value into its home: it writes the local
        // instead, unless a lazy copy of the local's old value waits below.
        let last = self.code.len().wrapping_sub(1);
        let pending = self.stack[h.saturating_sub(LAZY_DEPTH as u32) as usize..]
            .iter()
            .any(|e| matches!(e.val, Val::Local(l) if l == s || l == s + 1));
        if let Some((pc, at, redo)) = self.last_v128
            && pc as usize == last
            && at == h
            && self.barrier <= pc
            && !pending
            && halves.iter().all(|e| e.val == Val::Temp)
        {
            self.code[last] = redo.build(s);
            self.fuel[last] = self.fuel[last].saturating_add(cost);
            self.rec.merged_into_last(cost);
            self.last_v128 = None;
        } else {
            self.preserve_local(s);
            self.preserve_local(s + 1);
            self.copy_v128(s, h, halves, cost);
        }
        if tee {
            for k in 0..2 {
                self.push_high(Val::Local(s + k));
            }
        }
        Ok(())
    }

    /// Copies the `v128` whose halves are the entries `halves` (popped from height `h`)
    /// into slots `s` and `s + 1`, charging `cost` on the first copy.
    fn copy_v128(&mut self, s: Slot, h: u32, halves: [Entry; 2], cost: u8) {
        for (k, e) in (0u32..).zip(halves) {
            let copy = self.copy_of(e, h + k, s + k);
            self.emit(copy, if k == 0 { cost } else { 0 });
        }
    }
}
