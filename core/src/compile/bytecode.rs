//! Folio's bytecode: the one contract between `compile` (which writes it) and `exec`
//! (which runs it).
//!
//! # Machine model
//!
//! A register machine over untyped 64-bit cells, whose registers are the *slots* of the
//! running function's frame: a window of the value stack starting at its frame pointer
//! `fp`. Every instruction names its operands and its result by slot ([`Slot`], an index
//! from `fp`):
//!
//! ```text
//!   fp                       fp + num_locals    fp + num_locals + k          fp + max_height
//!   │ params │ other locals │ constant pool │ operand slots ──▶              │
//! ```
//!
//! Slot `i < num_locals` is local `i`. Then come the `k` cells of the function's constant
//! pool ([`CompiledFunc::consts`], written at every call like the locals are zeroed):
//! constants used inside loops that an immediate cannot carry. Above them, slot
//! `num_locals + k + h` is the home of the Wasm operand stack's entry at height `h`: the
//! stack machine's heights are known at every point of a validated body, so each entry has
//! a fixed home and no stack pointer exists at run time. The translator does not copy
//! `local.get`s and constants to their homes unless it must: an instruction reads a
//! local's slot directly, and takes a constant as an immediate (`…Imm` forms) or from the
//! pool. See `translate`'s docs for when values are copied.
//!
//! A call names the slot `base` where its arguments start; the callee's frame starts
//! there (`fp + base`), so the arguments become its first locals in place. `Return` copies
//! the results to the callee's slot 0 onward, which is the caller's `base` onward: the
//! caller finds them in the homes of the call's results. `max_height` (computed at
//! translation) lets the executor reserve the whole frame once per call.
//!
//! Cells hold: `i32` zero-extended (so a cell is a valid `i64`/`u64` address of an `i32`
//! memory without masking), `i64` as is, floats as their bits (`f32` zero-extended),
//! references as `0` = null, `n + 1` = store function (or extern object) `n`.
//!
//! # Instructions
//!
//! [`Instr`] is a compact enum (16 bytes, pinned by a test: a tag and three 32-bit
//! fields, or a tag, a slot and a 64-bit constant) with immediates inline. Branch targets
//! are instruction indices; loads and stores of memory 0 with a static offset below 2^32
//! carry it inline, the others (`…M` forms) index a side table of `(memory, offset)`
//! pairs; `br_table` targets live in a side table too.
//!
//! Every instruction is listed once, in [`for_each_op!`]; the enum, the translation of
//! the one-to-one operators, the retargeting and checking helpers below and the
//! executor's dispatch of the generic ones are expanded from that list.
//!
//! Besides Wasm's operators, there are fused forms: a binary operator with a constant
//! right operand (`I32AddImm`), a comparison fused with the conditional branch that
//! consumes it (`BrI32LtS`, `BrI32LtSImm`), a loop's step fused with the test after it
//! (`StepI32LtU`: `x += k; br_if x < n`), an `f64` multiply feeding an add
//! (`F64MulAdd`: `acc + x * y`, rounded twice as the two operators are), an add feeding
//! an add of a constant (`I64Add3Imm`: `a + b + k`), a shift by a constant feeding a xor
//! with the shifted value (`I64XorShlImm`: `x ^ (x << k)`, xorshift and hash mixing), and
//! every result can go straight into a local
//! (`local.set` folds into the instruction producing the value).
//!
//! Every variant lays its fields out as the same 32-bit words after the tag (a loop step
//! packs its slot and increment into one word, [`Step`], a multiply-add its two factors'
//! slots, [`SlotPair`]): a variant with 16-bit fields
//! once made the compiler load instructions differently and slowed the whole loop by a
//! third.
//!
//! # Fuel
//!
//! [`CompiledFunc::fuel`] gives each instruction its cost: the number of Wasm operators
//! it stands for (a fused `local.get; i32.const; i32.add; local.set` costs 4). Wasm
//! operators that translate to nothing (`nop`, `block`, `drop`, `i64.extend_i32_u`, a
//! `local.get` whose value is never used…) cost nothing.
//!
//! # Checked once, trusted in the loop
//!
//! [`CompiledFunc::check`] runs on every translated body: every slot an instruction names
//! is below `max_height`, every branch target inside the code, every `br_table` inside its
//! side table, and the last instruction never falls through. The executor's unchecked
//! accesses rest on these facts, not on the translator being bug-free.

use crate::prelude::*;

/// An index into the running function's frame (see the [module docs](self)).
pub(crate) type Slot = u32;

/// A constant operand encoded in an instruction's 32-bit `imm` field.
///
/// [`to_imm`](Imm::to_imm) is `Some` only when [`from_imm`](Imm::from_imm) gives back
/// exactly the cell's value, so translation never changes a constant.
pub(crate) trait Imm: Sized {
    /// The immediate for the cell `value` of this type, if it has one.
    fn to_imm(value: u64) -> Option<u32>;
    /// The value of an immediate.
    fn from_imm(imm: u32) -> Self;
}

impl Imm for i32 {
    fn to_imm(value: u64) -> Option<u32> {
        u32::try_from(value).ok()
    }
    #[inline(always)]
    fn from_imm(imm: u32) -> i32 {
        imm as i32
    }
}

impl Imm for i64 {
    fn to_imm(value: u64) -> Option<u32> {
        let narrow = value as i64 as i32;
        (i64::from(narrow) == value as i64).then_some(narrow as u32)
    }
    #[inline(always)]
    fn from_imm(imm: u32) -> i64 {
        i64::from(imm as i32)
    }
}

impl Imm for f32 {
    fn to_imm(value: u64) -> Option<u32> {
        u32::try_from(value).ok()
    }
    #[inline(always)]
    fn from_imm(imm: u32) -> f32 {
        f32::from_bits(imm)
    }
}

impl Imm for f64 {
    fn to_imm(value: u64) -> Option<u32> {
        u32::try_from(value).ok()
    }
    #[inline(always)]
    fn from_imm(imm: u32) -> f64 {
        f64::from_bits(u64::from(imm))
    }
}

/// A loop step: slot `x` (below 2^16) and a signed 16-bit increment, in one 32-bit field
/// so that every instruction keeps the same layout of 32-bit fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step(u32);

impl Step {
    /// `x += step`, if both fit.
    pub(crate) fn new(x: Slot, step: i32) -> Option<Step> {
        let x = u16::try_from(x).ok()?;
        let step = i16::try_from(step).ok()?;
        Some(Step(u32::from(x) | (u32::from(step as u16) << 16)))
    }
    /// The slot.
    #[inline(always)]
    pub(crate) fn slot(self) -> Slot {
        self.0 & 0xffff
    }
    /// The increment.
    #[inline(always)]
    pub(crate) fn step(self) -> i16 {
        (self.0 >> 16) as u16 as i16
    }
}

/// Two slots below 2^16 in one 32-bit field (the operands of a fused multiply-add), so
/// that every instruction keeps the same layout of 32-bit fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlotPair(u32);

impl SlotPair {
    /// `(a, b)`, if both fit.
    pub(crate) fn new(a: Slot, b: Slot) -> Option<SlotPair> {
        let a = u16::try_from(a).ok()?;
        let b = u16::try_from(b).ok()?;
        Some(SlotPair(u32::from(a) | (u32::from(b) << 16)))
    }
    /// The first slot.
    #[inline(always)]
    pub(crate) fn a(self) -> Slot {
        self.0 & 0xffff
    }
    /// The second slot.
    #[inline(always)]
    pub(crate) fn b(self) -> Slot {
        self.0 >> 16
    }
}

/// Calls `$mac!` with the list of every instruction, grouped by how it is translated and
/// executed. An optional `; extra tokens` is passed first, in brackets, so that the
/// executor can hand in its own match arms and local names.
///
/// Groups:
/// - `special`: instructions with their own translation and execution (control flow,
///   variables, calls, tables, bulk memory…), with their immediates; fields of type
///   `Slot` are checked below `max_height` by [`CompiledFunc::check`];
/// - `load (Name / NameM (raw, cell))`: `dst = ` the `size_of::<raw>()` bytes at
///   `addr + offset` read as `raw`, cast to `cell` (which sign- or zero-extends), then to
///   the `u64` cell. `Name` reads memory 0 at an inline offset, `NameM` any memory at any
///   offset (`memargs[memarg]`);
/// - `store (Name / NameM (narrow))`: store `value` cast to `narrow` at `addr + offset`;
/// - `unary (Name(in => out, f))`: `dst = exec::num::f(src: in) as out`;
/// - `unary_trap`: the same, where `f` returns `Result<_, TrapKind>`;
/// - `binary (Name / NameImm (in => out, f))`: `dst = f(a: in, b: in)`, `b` an operand
///   slot for `Name`, the immediate `imm` for `NameImm` (see [`Imm`]);
/// - `binary_trap`: the same, trapping;
/// - `branch_cmp (BrName / BrNameImm (in, f) if Name / NameImm else BrNot / BrNotImm)`:
///   jump to `target` if `f(a, b)` (or `f(a, imm)`); the fusion of the comparison
///   `Name` (`NameImm`) with a branch taken when it holds, and the negation `BrNot` to
///   branch when it does not.
/// - `step_cmp (Name / NameImm (in, f) after AddImm then BrName / BrNameImm)`: a loop's
///   step and test, `x = x + step` (`in` arithmetic, `step` sign-extended) then jump to
///   `target` if `f(x, b)` (or `f(x, imm)`): the fusion of `AddImm { dst: x, a: x, .. }`
///   with the `BrName` (`BrNameImm`) right after it that tests `x`.
///
/// The load, store, unary and binary instructions share their (first) name with
/// wasmparser's `Operator` variant, which is how `compile` translates them one to one.
macro_rules! for_each_op {
    ($mac:ident $(; $($extra:tt)*)?) => {
        $mac! {
            [$($($extra)*)?]
            special {
                /// Trap "unreachable".
                Unreachable,
                /// Jump to `target`.
                Br { target: u32 },
                /// Jump to `target` if the `i32` in `cond` is not zero.
                BrIfNez { cond: Slot, target: u32 },
                /// Jump to `target` if the `i32` in `cond` is zero.
                BrIfEqz { cond: Slot, target: u32 },
                /// Jump to `target` if the `i64` in `cond` is not zero.
                BrIfNez64 { cond: Slot, target: u32 },
                /// Jump to `target` if the `i64` in `cond` is zero.
                BrIfEqz64 { cond: Slot, target: u32 },
                /// Branch as `br_tables[offset + min(index, len)]` says (the last of the
                /// `len + 1` entries is the default).
                BrTable { index: Slot, offset: u32, len: u32 },
                /// Copy the `n` cells from slot `src` to slot 0 and return to the caller.
                Return { src: u32, n: u32 },
                /// Call function `func` of the instance, its arguments from slot `base`.
                Call { func: u32, base: u32 },
                /// Call the function at the `i32` index after the arguments (slot
                /// `base + params`) in table `table`, whose signature must be the
                /// instance's type `ty`; arguments from slot `base`.
                CallIndirect { ty: u32, table: u32, base: u32 },
                /// `dst = src`.
                Copy { dst: Slot, src: Slot },
                /// `dst = value` (any constant: `i32`/`f32` zero-extended, `ref.null` is 0).
                Const { dst: Slot, value: u64 },
                /// `dst = acc + xy.a() * xy.b()` in `f64`, rounded twice (`f64.mul`, then
                /// `f64.add` with the product as its right operand): the fusion of the two.
                F64MulAdd { dst: Slot, acc: Slot, xy: SlotPair },
                /// `dst = ab.a() + ab.b() + imm` in `i32`: an `i32.add` and an `i32.add`
                /// of a constant to its result.
                I32Add3Imm { dst: Slot, ab: SlotPair, imm: u32 },
                /// `dst = ab.a() + ab.b() + imm` in `i64` (`imm` sign-extended, as in
                /// `I64AddImm`).
                I64Add3Imm { dst: Slot, ab: SlotPair, imm: u32 },
                /// `dst = a ^ (a << imm)` in `i32` (a xorshift step: `i32.shl` by a
                /// constant, then `i32.xor` with the shifted value).
                I32XorShlImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = a ^ (a >> imm)` in `i32`, unsigned shift.
                I32XorShrUImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = a ^ (a << imm)` in `i64`.
                I64XorShlImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = a ^ (a >> imm)` in `i64`, unsigned shift.
                I64XorShrUImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = c != 0 ? a : b`, where `c` is the `i32` in slot `dst + 2` (the
                /// condition's home: `dst` is the home of the first operand).
                Select { dst: Slot, a: Slot, b: Slot },
                /// `dst = ` global `index` of the instance.
                GlobalGet { dst: Slot, index: u32 },
                /// Global `index` of the instance `= src`.
                GlobalSet { src: Slot, index: u32 },
                /// `dst = 1` if the reference in `src` is null, else 0.
                RefIsNull { dst: Slot, src: Slot },
                /// `dst = ` a reference to function `func` of the instance.
                RefFunc { dst: Slot, func: u32 },
                /// `dst = ` the size of memory `memory` in pages.
                MemorySize { dst: Slot, memory: u32 },
                /// Grow memory `memory` by `delta` pages; `dst = ` the old size or -1.
                MemoryGrow { dst: Slot, delta: Slot, memory: u32 },
                /// Fill: `dst`, `value`, `n` from slot `base`.
                MemoryFill { memory: u32, base: u32 },
                /// Copy from memory `src` to memory `dst`: `d`, `s`, `n` from slot `base`.
                MemoryCopy { dst: u32, src: u32, base: u32 },
                /// Copy from data segment `data` into `memory`: `d`, `s`, `n` from `base`.
                MemoryInit { memory: u32, data: u32, base: u32 },
                /// Drop data segment `data`.
                DataDrop { data: u32 },
                /// Slot `base` = the element of table `table` at the index in slot `base`.
                TableGet { table: u32, base: u32 },
                /// Set the element at index `base` of `table` to the reference in `base + 1`.
                TableSet { table: u32, base: u32 },
                /// `dst = ` the number of elements of `table`.
                TableSize { dst: Slot, table: u32 },
                /// Grow `table` by slot `base + 1` elements set to slot `base`'s reference;
                /// slot `base` = the old size or -1.
                TableGrow { table: u32, base: u32 },
                /// Fill: `dst`, a reference, `n` from slot `base`.
                TableFill { table: u32, base: u32 },
                /// Copy from table `src` to table `dst`: `d`, `s`, `n` from slot `base`.
                TableCopy { dst: u32, src: u32, base: u32 },
                /// Copy from element segment `elem` into `table`: `d`, `s`, `n` from `base`.
                TableInit { table: u32, elem: u32, base: u32 },
                /// Drop element segment `elem`.
                ElemDrop { elem: u32 },
            }
            load {
                I32Load / I32LoadM(u32, u32),
                I64Load / I64LoadM(u64, u64),
                F32Load / F32LoadM(u32, u32),
                F64Load / F64LoadM(u64, u64),
                I32Load8S / I32Load8SM(i8, u32),
                I32Load8U / I32Load8UM(u8, u32),
                I32Load16S / I32Load16SM(i16, u32),
                I32Load16U / I32Load16UM(u16, u32),
                I64Load8S / I64Load8SM(i8, u64),
                I64Load8U / I64Load8UM(u8, u64),
                I64Load16S / I64Load16SM(i16, u64),
                I64Load16U / I64Load16UM(u16, u64),
                I64Load32S / I64Load32SM(i32, u64),
                I64Load32U / I64Load32UM(u32, u64),
            }
            store {
                I32Store / I32StoreM(u32),
                I64Store / I64StoreM(u64),
                F32Store / F32StoreM(u32),
                F64Store / F64StoreM(u64),
                I32Store8 / I32Store8M(u8),
                I32Store16 / I32Store16M(u16),
                I64Store8 / I64Store8M(u8),
                I64Store16 / I64Store16M(u16),
                I64Store32 / I64Store32M(u32),
            }
            unary {
                I32Eqz(i32 => i32, i32_eqz),
                I64Eqz(i64 => i32, i64_eqz),
                I32Clz(i32 => i32, i32_clz),
                I32Ctz(i32 => i32, i32_ctz),
                I32Popcnt(i32 => i32, i32_popcnt),
                I64Clz(i64 => i64, i64_clz),
                I64Ctz(i64 => i64, i64_ctz),
                I64Popcnt(i64 => i64, i64_popcnt),
                F32Abs(f32 => f32, f32_abs),
                F32Neg(f32 => f32, f32_neg),
                F32Ceil(f32 => f32, f32_ceil),
                F32Floor(f32 => f32, f32_floor),
                F32Trunc(f32 => f32, f32_trunc),
                F32Nearest(f32 => f32, f32_nearest),
                F32Sqrt(f32 => f32, f32_sqrt),
                F64Abs(f64 => f64, f64_abs),
                F64Neg(f64 => f64, f64_neg),
                F64Ceil(f64 => f64, f64_ceil),
                F64Floor(f64 => f64, f64_floor),
                F64Trunc(f64 => f64, f64_trunc),
                F64Nearest(f64 => f64, f64_nearest),
                F64Sqrt(f64 => f64, f64_sqrt),
                I32WrapI64(i64 => i32, i32_wrap_i64),
                I64ExtendI32S(i32 => i64, i64_extend_i32_s),
                F32ConvertI32S(i32 => f32, f32_convert_i32_s),
                F32ConvertI32U(i32 => f32, f32_convert_i32_u),
                F32ConvertI64S(i64 => f32, f32_convert_i64_s),
                F32ConvertI64U(i64 => f32, f32_convert_i64_u),
                F32DemoteF64(f64 => f32, f32_demote_f64),
                F64ConvertI32S(i32 => f64, f64_convert_i32_s),
                F64ConvertI32U(i32 => f64, f64_convert_i32_u),
                F64ConvertI64S(i64 => f64, f64_convert_i64_s),
                F64ConvertI64U(i64 => f64, f64_convert_i64_u),
                F64PromoteF32(f32 => f64, f64_promote_f32),
                I32Extend8S(i32 => i32, i32_extend8_s),
                I32Extend16S(i32 => i32, i32_extend16_s),
                I64Extend8S(i64 => i64, i64_extend8_s),
                I64Extend16S(i64 => i64, i64_extend16_s),
                I64Extend32S(i64 => i64, i64_extend32_s),
                I32TruncSatF32S(f32 => i32, i32_trunc_sat_f32_s),
                I32TruncSatF32U(f32 => i32, i32_trunc_sat_f32_u),
                I32TruncSatF64S(f64 => i32, i32_trunc_sat_f64_s),
                I32TruncSatF64U(f64 => i32, i32_trunc_sat_f64_u),
                I64TruncSatF32S(f32 => i64, i64_trunc_sat_f32_s),
                I64TruncSatF32U(f32 => i64, i64_trunc_sat_f32_u),
                I64TruncSatF64S(f64 => i64, i64_trunc_sat_f64_s),
                I64TruncSatF64U(f64 => i64, i64_trunc_sat_f64_u),
            }
            unary_trap {
                I32TruncF32S(f32 => i32, i32_trunc_f32_s),
                I32TruncF32U(f32 => i32, i32_trunc_f32_u),
                I32TruncF64S(f64 => i32, i32_trunc_f64_s),
                I32TruncF64U(f64 => i32, i32_trunc_f64_u),
                I64TruncF32S(f32 => i64, i64_trunc_f32_s),
                I64TruncF32U(f32 => i64, i64_trunc_f32_u),
                I64TruncF64S(f64 => i64, i64_trunc_f64_s),
                I64TruncF64U(f64 => i64, i64_trunc_f64_u),
            }
            binary {
                I32Eq / I32EqImm(i32 => i32, i32_eq),
                I32Ne / I32NeImm(i32 => i32, i32_ne),
                I32LtS / I32LtSImm(i32 => i32, i32_lt_s),
                I32LtU / I32LtUImm(i32 => i32, i32_lt_u),
                I32GtS / I32GtSImm(i32 => i32, i32_gt_s),
                I32GtU / I32GtUImm(i32 => i32, i32_gt_u),
                I32LeS / I32LeSImm(i32 => i32, i32_le_s),
                I32LeU / I32LeUImm(i32 => i32, i32_le_u),
                I32GeS / I32GeSImm(i32 => i32, i32_ge_s),
                I32GeU / I32GeUImm(i32 => i32, i32_ge_u),
                I64Eq / I64EqImm(i64 => i32, i64_eq),
                I64Ne / I64NeImm(i64 => i32, i64_ne),
                I64LtS / I64LtSImm(i64 => i32, i64_lt_s),
                I64LtU / I64LtUImm(i64 => i32, i64_lt_u),
                I64GtS / I64GtSImm(i64 => i32, i64_gt_s),
                I64GtU / I64GtUImm(i64 => i32, i64_gt_u),
                I64LeS / I64LeSImm(i64 => i32, i64_le_s),
                I64LeU / I64LeUImm(i64 => i32, i64_le_u),
                I64GeS / I64GeSImm(i64 => i32, i64_ge_s),
                I64GeU / I64GeUImm(i64 => i32, i64_ge_u),
                F32Eq / F32EqImm(f32 => i32, f32_eq),
                F32Ne / F32NeImm(f32 => i32, f32_ne),
                F32Lt / F32LtImm(f32 => i32, f32_lt),
                F32Gt / F32GtImm(f32 => i32, f32_gt),
                F32Le / F32LeImm(f32 => i32, f32_le),
                F32Ge / F32GeImm(f32 => i32, f32_ge),
                F64Eq / F64EqImm(f64 => i32, f64_eq),
                F64Ne / F64NeImm(f64 => i32, f64_ne),
                F64Lt / F64LtImm(f64 => i32, f64_lt),
                F64Gt / F64GtImm(f64 => i32, f64_gt),
                F64Le / F64LeImm(f64 => i32, f64_le),
                F64Ge / F64GeImm(f64 => i32, f64_ge),
                I32Add / I32AddImm(i32 => i32, i32_add),
                I32Sub / I32SubImm(i32 => i32, i32_sub),
                I32Mul / I32MulImm(i32 => i32, i32_mul),
                I32And / I32AndImm(i32 => i32, i32_and),
                I32Or / I32OrImm(i32 => i32, i32_or),
                I32Xor / I32XorImm(i32 => i32, i32_xor),
                I32Shl / I32ShlImm(i32 => i32, i32_shl),
                I32ShrS / I32ShrSImm(i32 => i32, i32_shr_s),
                I32ShrU / I32ShrUImm(i32 => i32, i32_shr_u),
                I32Rotl / I32RotlImm(i32 => i32, i32_rotl),
                I32Rotr / I32RotrImm(i32 => i32, i32_rotr),
                I64Add / I64AddImm(i64 => i64, i64_add),
                I64Sub / I64SubImm(i64 => i64, i64_sub),
                I64Mul / I64MulImm(i64 => i64, i64_mul),
                I64And / I64AndImm(i64 => i64, i64_and),
                I64Or / I64OrImm(i64 => i64, i64_or),
                I64Xor / I64XorImm(i64 => i64, i64_xor),
                I64Shl / I64ShlImm(i64 => i64, i64_shl),
                I64ShrS / I64ShrSImm(i64 => i64, i64_shr_s),
                I64ShrU / I64ShrUImm(i64 => i64, i64_shr_u),
                I64Rotl / I64RotlImm(i64 => i64, i64_rotl),
                I64Rotr / I64RotrImm(i64 => i64, i64_rotr),
                F32Add / F32AddImm(f32 => f32, f32_add),
                F32Sub / F32SubImm(f32 => f32, f32_sub),
                F32Mul / F32MulImm(f32 => f32, f32_mul),
                F32Div / F32DivImm(f32 => f32, f32_div),
                F32Min / F32MinImm(f32 => f32, f32_min),
                F32Max / F32MaxImm(f32 => f32, f32_max),
                F32Copysign / F32CopysignImm(f32 => f32, f32_copysign),
                F64Add / F64AddImm(f64 => f64, f64_add),
                F64Sub / F64SubImm(f64 => f64, f64_sub),
                F64Mul / F64MulImm(f64 => f64, f64_mul),
                F64Div / F64DivImm(f64 => f64, f64_div),
                F64Min / F64MinImm(f64 => f64, f64_min),
                F64Max / F64MaxImm(f64 => f64, f64_max),
                F64Copysign / F64CopysignImm(f64 => f64, f64_copysign),
            }
            binary_trap {
                I32DivS / I32DivSImm(i32 => i32, i32_div_s),
                I32DivU / I32DivUImm(i32 => i32, i32_div_u),
                I32RemS / I32RemSImm(i32 => i32, i32_rem_s),
                I32RemU / I32RemUImm(i32 => i32, i32_rem_u),
                I64DivS / I64DivSImm(i64 => i64, i64_div_s),
                I64DivU / I64DivUImm(i64 => i64, i64_div_u),
                I64RemS / I64RemSImm(i64 => i64, i64_rem_s),
                I64RemU / I64RemUImm(i64 => i64, i64_rem_u),
            }
            branch_cmp {
                BrI32Eq / BrI32EqImm (i32, i32_eq) if I32Eq / I32EqImm else BrI32Ne / BrI32NeImm,
                BrI32Ne / BrI32NeImm (i32, i32_ne) if I32Ne / I32NeImm else BrI32Eq / BrI32EqImm,
                BrI32LtS / BrI32LtSImm (i32, i32_lt_s) if I32LtS / I32LtSImm else BrI32GeS / BrI32GeSImm,
                BrI32LtU / BrI32LtUImm (i32, i32_lt_u) if I32LtU / I32LtUImm else BrI32GeU / BrI32GeUImm,
                BrI32GtS / BrI32GtSImm (i32, i32_gt_s) if I32GtS / I32GtSImm else BrI32LeS / BrI32LeSImm,
                BrI32GtU / BrI32GtUImm (i32, i32_gt_u) if I32GtU / I32GtUImm else BrI32LeU / BrI32LeUImm,
                BrI32LeS / BrI32LeSImm (i32, i32_le_s) if I32LeS / I32LeSImm else BrI32GtS / BrI32GtSImm,
                BrI32LeU / BrI32LeUImm (i32, i32_le_u) if I32LeU / I32LeUImm else BrI32GtU / BrI32GtUImm,
                BrI32GeS / BrI32GeSImm (i32, i32_ge_s) if I32GeS / I32GeSImm else BrI32LtS / BrI32LtSImm,
                BrI32GeU / BrI32GeUImm (i32, i32_ge_u) if I32GeU / I32GeUImm else BrI32LtU / BrI32LtUImm,
                BrI64Eq / BrI64EqImm (i64, i64_eq) if I64Eq / I64EqImm else BrI64Ne / BrI64NeImm,
                BrI64Ne / BrI64NeImm (i64, i64_ne) if I64Ne / I64NeImm else BrI64Eq / BrI64EqImm,
                BrI64LtS / BrI64LtSImm (i64, i64_lt_s) if I64LtS / I64LtSImm else BrI64GeS / BrI64GeSImm,
                BrI64LtU / BrI64LtUImm (i64, i64_lt_u) if I64LtU / I64LtUImm else BrI64GeU / BrI64GeUImm,
                BrI64GtS / BrI64GtSImm (i64, i64_gt_s) if I64GtS / I64GtSImm else BrI64LeS / BrI64LeSImm,
                BrI64GtU / BrI64GtUImm (i64, i64_gt_u) if I64GtU / I64GtUImm else BrI64LeU / BrI64LeUImm,
                BrI64LeS / BrI64LeSImm (i64, i64_le_s) if I64LeS / I64LeSImm else BrI64GtS / BrI64GtSImm,
                BrI64LeU / BrI64LeUImm (i64, i64_le_u) if I64LeU / I64LeUImm else BrI64GtU / BrI64GtUImm,
                BrI64GeS / BrI64GeSImm (i64, i64_ge_s) if I64GeS / I64GeSImm else BrI64LtS / BrI64LtSImm,
                BrI64GeU / BrI64GeUImm (i64, i64_ge_u) if I64GeU / I64GeUImm else BrI64LtU / BrI64LtUImm,
            }
            step_cmp {
                StepI32Eq / StepI32EqImm (i32, i32_eq) after I32AddImm then BrI32Eq / BrI32EqImm,
                StepI32Ne / StepI32NeImm (i32, i32_ne) after I32AddImm then BrI32Ne / BrI32NeImm,
                StepI32LtS / StepI32LtSImm (i32, i32_lt_s) after I32AddImm then BrI32LtS / BrI32LtSImm,
                StepI32LtU / StepI32LtUImm (i32, i32_lt_u) after I32AddImm then BrI32LtU / BrI32LtUImm,
                StepI32GtS / StepI32GtSImm (i32, i32_gt_s) after I32AddImm then BrI32GtS / BrI32GtSImm,
                StepI32GtU / StepI32GtUImm (i32, i32_gt_u) after I32AddImm then BrI32GtU / BrI32GtUImm,
                StepI32LeS / StepI32LeSImm (i32, i32_le_s) after I32AddImm then BrI32LeS / BrI32LeSImm,
                StepI32LeU / StepI32LeUImm (i32, i32_le_u) after I32AddImm then BrI32LeU / BrI32LeUImm,
                StepI32GeS / StepI32GeSImm (i32, i32_ge_s) after I32AddImm then BrI32GeS / BrI32GeSImm,
                StepI32GeU / StepI32GeUImm (i32, i32_ge_u) after I32AddImm then BrI32GeU / BrI32GeUImm,
                StepI64Eq / StepI64EqImm (i64, i64_eq) after I64AddImm then BrI64Eq / BrI64EqImm,
                StepI64Ne / StepI64NeImm (i64, i64_ne) after I64AddImm then BrI64Ne / BrI64NeImm,
                StepI64LtS / StepI64LtSImm (i64, i64_lt_s) after I64AddImm then BrI64LtS / BrI64LtSImm,
                StepI64LtU / StepI64LtUImm (i64, i64_lt_u) after I64AddImm then BrI64LtU / BrI64LtUImm,
                StepI64GtS / StepI64GtSImm (i64, i64_gt_s) after I64AddImm then BrI64GtS / BrI64GtSImm,
                StepI64GtU / StepI64GtUImm (i64, i64_gt_u) after I64AddImm then BrI64GtU / BrI64GtUImm,
                StepI64LeS / StepI64LeSImm (i64, i64_le_s) after I64AddImm then BrI64LeS / BrI64LeSImm,
                StepI64LeU / StepI64LeUImm (i64, i64_le_u) after I64AddImm then BrI64LeU / BrI64LeUImm,
                StepI64GeS / StepI64GeSImm (i64, i64_ge_s) after I64AddImm then BrI64GeS / BrI64GeSImm,
                StepI64GeU / StepI64GeUImm (i64, i64_ge_u) after I64AddImm then BrI64GeU / BrI64GeUImm,
            }
        }
    };
}
pub(crate) use for_each_op;

/// Expands the list into [`Instr`] and its helpers.
macro_rules! define_instr {
    (
        []
        special { $( $(#[$doc:meta])* $name:ident $({ $($field:ident : $fty:ident),* $(,)? })? ),* $(,)? }
        load { $( $lname:ident / $lmname:ident ($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident / $smname:ident ($sty:ty) ),* $(,)? }
        unary { $( $uname:ident($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident / $biname:ident ($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident / $btiname:ident ($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
        branch_cmp { $( $cname:ident / $ciname:ident ($cin:ident, $cf:ident) if $cfrom:ident / $cifrom:ident else $cnot:ident / $cinot:ident ),* $(,)? }
        step_cmp { $( $stname:ident / $stiname:ident ($stin:ident, $stf:ident) after $stadd:ident then $stbr:ident / $stibr:ident ),* $(,)? }
    ) => {
        /// One instruction; see the [module docs](self) and [`for_each_op!`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Instr {
            $( $(#[$doc])* $name $({ $($field: $fty),* })?, )*
            $(
                #[doc = concat!("`dst = ` the ", stringify!($lraw), " at `addr + offset` of memory 0.")]
                $lname { dst: Slot, addr: Slot, offset: u32 },
                #[doc = concat!("`dst = ` the ", stringify!($lraw), " at `addr + offset`, `(memory, offset) = memargs[memarg]`.")]
                $lmname { dst: Slot, addr: Slot, memarg: u32 },
            )*
            $(
                #[doc = concat!("Store `value` as ", stringify!($sty), " at `addr + offset` of memory 0.")]
                $sname { addr: Slot, value: Slot, offset: u32 },
                #[doc = concat!("Store `value` as ", stringify!($sty), " at `addr + offset`, `(memory, offset) = memargs[memarg]`.")]
                $smname { addr: Slot, value: Slot, memarg: u32 },
            )*
            $( #[doc = concat!("`dst = ", stringify!($uf), "(src)`")] $uname { dst: Slot, src: Slot }, )*
            $( #[doc = concat!("`dst = ", stringify!($utf), "(src)` (may trap)")] $utname { dst: Slot, src: Slot }, )*
            $(
                #[doc = concat!("`dst = ", stringify!($bf), "(a, b)`")]
                $bname { dst: Slot, a: Slot, b: Slot },
                #[doc = concat!("`dst = ", stringify!($bf), "(a, imm)`")]
                $biname { dst: Slot, a: Slot, imm: u32 },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($btf), "(a, b)` (may trap)")]
                $btname { dst: Slot, a: Slot, b: Slot },
                #[doc = concat!("`dst = ", stringify!($btf), "(a, imm)` (may trap)")]
                $btiname { dst: Slot, a: Slot, imm: u32 },
            )*
            $(
                #[doc = concat!("Jump to `target` if `", stringify!($cf), "(a, b)`")]
                $cname { a: Slot, b: Slot, target: u32 },
                #[doc = concat!("Jump to `target` if `", stringify!($cf), "(a, imm)`")]
                $ciname { a: Slot, imm: u32, target: u32 },
            )*
            $(
                #[doc = concat!("`x += step`, then jump to `target` if `", stringify!($stf), "(x, b)`")]
                $stname { step: Step, b: Slot, target: u32 },
                #[doc = concat!("`x += step`, then jump to `target` if `", stringify!($stf), "(x, imm)`")]
                $stiname { step: Step, imm: u32, target: u32 },
            )*
        }

        impl Instr {
            /// The slot this instruction writes its one result to, if it may be moved
            /// elsewhere (a `local.set` folded into it): every operand is read before the
            /// result is written.
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    Instr::Copy { dst, .. }
                    | Instr::Const { dst, .. }
                    | Instr::F64MulAdd { dst, .. }
                    | Instr::I32Add3Imm { dst, .. }
                    | Instr::I64Add3Imm { dst, .. }
                    | Instr::I32XorShlImm { dst, .. }
                    | Instr::I32XorShrUImm { dst, .. }
                    | Instr::I64XorShlImm { dst, .. }
                    | Instr::I64XorShrUImm { dst, .. }
                    | Instr::GlobalGet { dst, .. }
                    | Instr::RefIsNull { dst, .. }
                    | Instr::RefFunc { dst, .. }
                    | Instr::MemorySize { dst, .. }
                    | Instr::TableSize { dst, .. } => Some(dst),
                    $( Instr::$lname { dst, .. } | Instr::$lmname { dst, .. } => Some(dst), )*
                    $( Instr::$uname { dst, .. } => Some(dst), )*
                    $( Instr::$utname { dst, .. } => Some(dst), )*
                    $( Instr::$bname { dst, .. } | Instr::$biname { dst, .. } => Some(dst), )*
                    $( Instr::$btname { dst, .. } | Instr::$btiname { dst, .. } => Some(dst), )*
                    _ => None,
                }
            }

            /// The branch target, for the instructions that have one.
            pub(crate) fn target_mut(&mut self) -> Option<&mut u32> {
                match self {
                    Instr::Br { target }
                    | Instr::BrIfNez { target, .. }
                    | Instr::BrIfEqz { target, .. }
                    | Instr::BrIfNez64 { target, .. }
                    | Instr::BrIfEqz64 { target, .. } => Some(target),
                    $( Instr::$cname { target, .. } | Instr::$ciname { target, .. } => Some(target), )*
                    $( Instr::$stname { target, .. } | Instr::$stiname { target, .. } => Some(target), )*
                    _ => None,
                }
            }

            /// The comparison `self` fused with a branch to `target` taken when the
            /// comparison's result is `when` (true: not zero); `None` if `self` is no
            /// integer comparison.
            pub(crate) fn fuse_branch(self, when: bool, target: u32) -> Option<Instr> {
                Some(match self {
                    $(
                        Instr::$cfrom { a, b, .. } => if when {
                            Instr::$cname { a, b, target }
                        } else {
                            Instr::$cnot { a, b, target }
                        },
                        Instr::$cifrom { a, imm, .. } => if when {
                            Instr::$ciname { a, imm, target }
                        } else {
                            Instr::$cinot { a, imm, target }
                        },
                    )*
                    _ => return None,
                })
            }

            /// The conditional branch taken exactly when `self` (a conditional branch that
            /// changes nothing else) is not, to `target`; `None` for any other instruction.
            pub(crate) fn negated(self, target: u32) -> Option<Instr> {
                Some(match self {
                    Instr::BrIfNez { cond, .. } => Instr::BrIfEqz { cond, target },
                    Instr::BrIfEqz { cond, .. } => Instr::BrIfNez { cond, target },
                    Instr::BrIfNez64 { cond, .. } => Instr::BrIfEqz64 { cond, target },
                    Instr::BrIfEqz64 { cond, .. } => Instr::BrIfNez64 { cond, target },
                    $(
                        Instr::$cname { a, b, .. } => Instr::$cnot { a, b, target },
                        Instr::$ciname { a, imm, .. } => Instr::$cinot { a, imm, target },
                    )*
                    _ => return None,
                })
            }

            /// Whether every slot it names directly is below `max` (see
            /// [`CompiledFunc::check`]).
            fn slots_below(&self, max: u32) -> bool {
                /// Whether a field of type `$ty` is a slot below `max`, or no slot.
                macro_rules! ok {
                    (Slot, $v:expr) => { *$v < max };
                    (SlotPair, $v:expr) => { $v.a() < max && $v.b() < max };
                    ($other:ident, $v:expr) => {{ let _ = $v; true }};
                }
                match self {
                    $( Instr::$name $({ $($field),* })? => true $($( && ok!($fty, $field) )*)?, )*
                    $(
                        Instr::$lname { dst, addr, .. } | Instr::$lmname { dst, addr, .. } => *dst < max && *addr < max,
                    )*
                    $(
                        Instr::$sname { addr, value, .. } | Instr::$smname { addr, value, .. } => *addr < max && *value < max,
                    )*
                    $( Instr::$uname { dst, src } => *dst < max && *src < max, )*
                    $( Instr::$utname { dst, src } => *dst < max && *src < max, )*
                    $(
                        Instr::$bname { dst, a, b } => *dst < max && *a < max && *b < max,
                        Instr::$biname { dst, a, .. } => *dst < max && *a < max,
                    )*
                    $(
                        Instr::$btname { dst, a, b } => *dst < max && *a < max && *b < max,
                        Instr::$btiname { dst, a, .. } => *dst < max && *a < max,
                    )*
                    $(
                        Instr::$cname { a, b, .. } => *a < max && *b < max,
                        Instr::$ciname { a, .. } => *a < max,
                    )*
                    $(
                        Instr::$stname { step, b, .. } => step.slot() < max && *b < max,
                        Instr::$stiname { step, .. } => step.slot() < max,
                    )*
                }
            }

            /// `self`, the instruction just before the conditional branch `br`, fused
            /// with it when `self` adds a small constant to a local slot (below 2^16) that
            /// `br` then tests: a loop's step and test in one instruction.
            pub(crate) fn fuse_step(self, br: Instr) -> Option<Instr> {
                /// The step of `AddImm { dst: x, a: x, imm }`, if it fits.
                fn step(dst: Slot, a: Slot, imm: u32, tested: Slot) -> Option<Step> {
                    if dst != a || a != tested {
                        return None;
                    }
                    Step::new(dst, imm as i32)
                }
                Some(match (self, br) {
                    $(
                        (Instr::$stadd { dst, a, imm }, Instr::$stbr { a: tested, b, target }) => {
                            let step = step(dst, a, imm, tested)?;
                            Instr::$stname { step, b, target }
                        }
                        (Instr::$stadd { dst, a, imm }, Instr::$stibr { a: tested, imm: k, target }) => {
                            let step = step(dst, a, imm, tested)?;
                            Instr::$stiname { step, imm: k, target }
                        }
                    )*
                    _ => return None,
                })
            }
        }
    };
}
for_each_op!(define_instr);

/// One target of a `br_table`: where to jump, and the values to move first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BrTableEntry {
    /// Instruction index.
    pub(crate) target: u32,
    /// Where the label's values are (the top of the operand stack).
    pub(crate) from: u32,
    /// Where the label wants them (its height); `from` when nothing moves.
    pub(crate) to: u32,
    /// How many (the label's arity).
    pub(crate) n: u32,
}

/// The memory and offset of a load or store that does not fit the inline form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemArg {
    /// Memory index (of the instance).
    pub(crate) memory: u32,
    /// Static offset.
    pub(crate) offset: u64,
}

/// A translated function body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompiledFunc {
    /// The instructions; the last one never falls through (see [`check`](Self::check)).
    pub(crate) code: Box<[Instr]>,
    /// Fuel cost of each instruction (see the [module docs](self#fuel)).
    pub(crate) fuel: Box<[u8]>,
    /// Targets of every `br_table`, each instruction's run of entries default last.
    pub(crate) br_tables: Box<[BrTableEntry]>,
    /// Operands of the `…M` loads and stores.
    pub(crate) memargs: Box<[MemArg]>,
    /// The constant pool: cells written to the slots from `num_locals` on at every call.
    pub(crate) consts: Box<[u64]>,
    /// Number of parameters (the first locals).
    pub(crate) num_params: u32,
    /// Number of locals, parameters included.
    pub(crate) num_locals: u32,
    /// Number of results.
    pub(crate) num_results: u32,
    /// Cells the frame needs at most: locals plus the highest operand stack.
    pub(crate) max_height: u32,
}

impl CompiledFunc {
    /// Whether the body keeps the promises the executor's unchecked accesses rely on:
    ///
    /// - there is one fuel cost per instruction;
    /// - every slot an instruction names is below `max_height` (and `Return`'s `src + n`
    ///   at most `max_height`), and the locals and the constant pool fit in it
    ///   (`num_locals + consts.len() <= max_height`);
    /// - every branch target is an instruction index, every `br_table`'s run of entries
    ///   lies in `br_tables` and its targets are instruction indices;
    /// - the last instruction is a `Return`, `Br`, `BrTable` or `Unreachable`, so
    ///   execution never runs past the end.
    pub(crate) fn check(&self) -> bool {
        let len = self.code.len();
        let in_code = |t: u32| (t as usize) < len;
        let max = self.max_height;
        let each = self.code.iter().all(|instr| {
            let mut instr = *instr;
            let target_ok = instr.target_mut().is_none_or(|t| in_code(*t));
            let extra_ok = match instr {
                Instr::Return { src, n } => src.checked_add(n).is_some_and(|end| end <= max),
                Instr::BrTable { offset, len, .. } => (offset as usize)
                    .checked_add(len as usize)
                    .and_then(|last| self.br_tables.get(offset as usize..=last))
                    .is_some_and(|entries| entries.iter().all(|e| in_code(e.target))),
                _ => true,
            };
            target_ok && extra_ok && instr.slots_below(max)
        });
        let terminal = matches!(
            self.code.last(),
            Some(
                Instr::Return { .. }
                    | Instr::Br { .. }
                    | Instr::BrTable { .. }
                    | Instr::Unreachable
            )
        );
        let locals_ok = (self.num_locals as usize)
            .checked_add(self.consts.len())
            .is_some_and(|end| end <= max as usize);
        each && terminal && self.fuel.len() == len && locals_ok
    }
}
