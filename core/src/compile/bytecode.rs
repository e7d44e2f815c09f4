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
//!   fp                       fp + num_locals   fp + num_locals + k            fp + max_height
//!   │ params │ other locals │ constant pool │ operand slots ──▶                  │
//! ```
//!
//! Slot `i < num_locals` is local `i`. The next `k` cells are the function's constant
//! pool ([`CompiledFunc::consts`], from [`pool_base`](CompiledFunc::pool_base), written at
//! every call as the locals are zeroed): constants used inside loops that an immediate
//! cannot carry. Above them, slot `num_locals + k + h` is the home of the Wasm operand
//! stack's entry at height `h`: the stack machine's heights are known at every point of
//! a validated body, so each entry has a fixed home and no stack pointer exists at run
//! time. A callee's frame starts among the operand slots, so a call never overwrites
//! the caller's locals or pool. The translator does not copy
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
//! # Vectors
//!
//! A `v128` takes two consecutive cells, its low 64 bits first (lane 0 of every shape
//! in the low bits: the order of its bytes in memory). Everything that counts values
//! counts cells instead: a local's slot is the number of cells of the locals before it
//! (local `i` is slot `i` unless the function has a `v128` local or parameter), a call's
//! arguments and results, a block's values and a `Return`'s `n` are cells, and a
//! signature's [`param_cells`](crate::module::FuncType::param_cells) are what a
//! `CallIndirect` skips to find its index. So a function without `v128`s is laid out
//! exactly as before SIMD existed, and calls, branches and returns move vectors without
//! knowing they do. An instruction names a `v128` operand or result by one [`VSlot`]
//! (that slot and the next; [`CompiledFunc::place_and_check`] holds both below
//! `max_height`). SIMD instructions have no [`dst`](Instr::dst_mut) in the sense of the
//! passes: no `local.set` is folded into them and they never feed the accumulator.
//!
//! # Wide arithmetic and 64-bit tables
//!
//! The wide-arithmetic instructions' 128-bit operands and results are two `i64` values
//! on the Wasm stack, low half first, so two cells: `I64Add128` and `I64Sub128` name
//! each as a [`VSlot`] (the translator puts the four operands in their homes, where the
//! result goes too); `I64MulWideS`/`U` read their `i64` operands in place and write a
//! [`VSlot`]. Like SIMD's, they have no `dst` for the passes.
//!
//! A 64-bit table's instructions are instructions of their own (`CallIndirect64`,
//! `TableGet64`…), chosen at translation by the table's index type: they read indices,
//! counts and deltas as whole cells (an index beyond the host's `usize` is past the end)
//! and `TableGrow64` fails with -1 as an `i64`, while the `i32` forms keep their code
//! and cost. `TableSize` serves both (a size is the same cell). `TableCopy64` serves
//! every copy involving a 64-bit table: an `i32` operand is zero-extended in its cell,
//! so reading it whole gives its value.
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
//! an add of a constant (`I64Add3Imm`: `a + b + k`), two in-place steps in a row
//! (`I64AddImm2`: `p += 8; q += 512`), a shift by a constant feeding a xor
//! with the shifted value (`I64XorShlImm`: `x ^ (x << k)`, xorshift and hash mixing), an
//! unsigned division or remainder by a constant done by multiplying (`I64RemUConst`, its
//! [`Divisor`] in a side table), and every result can go straight into a local
//! (`local.set` folds into the instruction producing the value).
//!
//! Every variant lays its fields out as the same 32-bit words after the tag (a loop step
//! packs its slot and increment into one word, [`Step`], a multiply-add its two factors'
//! slots, [`SlotPair`]): a variant with 16-bit fields
//! once made the compiler load instructions differently and slowed the whole loop by a
//! third.
//!
//! # The accumulator
//!
//! Besides the frame's slots, the executor keeps the last value any instruction wrote to
//! a slot in a machine register, the *accumulator*. An instruction right after the one
//! that produced its operand can read it from there instead of loading the slot back
//! (which, just after the store, puts a store-to-load forwarding on the critical path of
//! every dependent chain: `x ^= x << 13; x ^= x >> 7; …`). Its `…A` form (`I64AddImmA`,
//! `I32LoadA`, `BrI64NeA`…; `…V` for a store's value) names the same slots as the plain
//! form and reads the accumulator for one of them: `a` (`addr`, `src`, `cond`; `value`
//! for `…V`). The result is still written to its slot: later instructions and branches
//! find it there.
//!
//! A binary operator reads its left operand from the accumulator in its `A` form and its
//! right one in its `B` form (`I32SubB`: `x - acc`). A commutative operator has both: the
//! translator picks the `A` form (operands swapped if need be), except right after an
//! instruction of that same `A` form, where it picks the `B` form. The reason is the
//! processor, not the work: two runs in a row of one handler, the second reading a slot
//! stored two instructions before (a byte sweep's `sum += v; t = v + sum`), cost that
//! loop a fifth of its time on x86-64 (measured: the same code with the second run in a
//! copy of the handler was 8-13% faster; our reading is that the processor predicts a
//! load's dependence on earlier stores per instruction address). Two forms of one
//! operator give the two runs different addresses.
//!
//! The translator emits plain forms only; a last pass (`translate::use_accumulator`)
//! turns an instruction into its accumulator form when the instruction before it falls
//! through to it and writes the slot it reads (one with a [`dst`](Instr::dst_mut)), and
//! no branch lands on it. [`CompiledFunc::place_and_check`] verifies exactly that.
//!
//! # Exceptions
//!
//! A `try_table` costs nothing where nothing throws: it is no instruction, only an entry
//! of its function's handler table ([`Handlers`]), looked at when something throws.
//! Each entry is a range of instructions (the `try_table`'s body) and its catch clauses
//! in order, innermost `try_table` first (an inner one's entry comes before the
//! entries of those around it, which contain its range). A clause names an instance's
//! tag (or catches all) and its label as an entry of `br_tables`, as a branch there
//! would: where to jump (`target`), and the slots where the label wants its values
//! (`to`, `n` cells): the payload's cells (for `catch` and `catch_ref`), then the
//! `exnref` (for `catch_ref` and `catch_all_ref`). The passes that renumber instructions renumber the ranges and, as
//! `br_tables` entries, the clauses' targets, which also keeps them from being taken
//! for instructions that only fall through (no accumulator form lands there).
//!
//! The instructions that can throw are `Throw`, `ThrowRef`, and calls; a body's passes
//! never move one of them into or out of a range (a copied run of code never holds one).
//! An exception thrown at instruction `pc` is caught by the first clause that matches in
//! the first range holding `pc`; in a caller, `pc` is its call's.
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
//! [`CompiledFunc::place_and_check`] runs on every translated body (with the renumbering
//! that puts the constant pool after the locals): every slot an instruction names
//! is below `max_height`, every branch target inside the code, every `br_table` inside its
//! side table, and the last instruction never falls through. The executor's unchecked
//! accesses rest on these facts, not on the translator being bug-free.

use crate::prelude::*;

/// An index into the running function's frame (see the [module docs](self)).
pub(crate) type Slot = u32;

/// A slot holding a `v128`: the slot and the one after it, the low half first (see the
/// [module docs](self#vectors)). [`CompiledFunc::place_and_check`] holds both below
/// `max_height`. The wide-arithmetic instructions (`I64Add128`…) name their 128-bit
/// operands and results the same way: two `i64` cells, the low half first.
pub(crate) type VSlot = u32;

/// The first of consecutive operand slots an instruction reads or writes (a call's
/// arguments and results, a `Return`'s values, bulk memory's operands): a slot, but one
/// that [`CompiledFunc::place_and_check`] does not hold below `max_height` (a call without
/// arguments or results may name the frame's end). The executor reaches these cells
/// through checked accesses, or, for a call, reserves the callee's frame from there.
pub(crate) type Home = u32;

/// How many constants a function's pool holds at most (each costs a store per call).
pub(crate) const POOL_MAX: u32 = 16;

/// How many instructions that do not count against the executor's budget
/// ([`Instr::checks_budget`]) a body has in a row at most.
pub(crate) const RUN_MAX: usize = 64;

/// Slots below this fit the 16-bit halves of a new [`SlotPair`] or [`Step`]. It leaves
/// room below 2^16 for the renumbering that makes room for the constant pool after the
/// locals, which moves an operand slot up by at most [`POOL_MAX`].
const PAIR_SLOTS: u32 = (1 << 16) - POOL_MAX;

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
    /// `x += step`, if both fit (`x` below [`PAIR_SLOTS`]).
    pub(crate) fn new(x: Slot, step: i32) -> Option<Step> {
        if x >= PAIR_SLOTS {
            return None;
        }
        Step::fit(x, step)
    }
    /// `x += step`, if both fit their 16 bits.
    fn fit(x: Slot, step: i32) -> Option<Step> {
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
    /// `(a, b)`, if both fit (below [`PAIR_SLOTS`]).
    pub(crate) fn new(a: Slot, b: Slot) -> Option<SlotPair> {
        if a.max(b) >= PAIR_SLOTS {
            return None;
        }
        SlotPair::fit(a, b)
    }
    /// `(a, b)`, if both fit their 16 bits.
    fn fit(a: Slot, b: Slot) -> Option<SlotPair> {
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
///   `Slot` are checked below `max_height` by [`CompiledFunc::place_and_check`];
/// - `load (Name / NameM (raw, cell))`: `dst = ` the `size_of::<raw>()` bytes at
///   `addr + offset` read as `raw`, cast to `cell` (which sign- or zero-extends), then to
///   the `u64` cell. `Name` reads memory 0 at an inline offset, `NameM` any memory at any
///   offset (`memargs[memarg]`);
/// - `store (Name / NameM (narrow))`: store `value` cast to `narrow` at `addr + offset`;
/// - `unary (Name(in => out, f))`: `dst = exec::num::f(src: in) as out`;
/// - `unary_trap`: the same, where `f` returns `Result<_, TrapKind>`;
/// - `binary (Name / NameImm / NameA / NameImmA / NameB (in => out, f))`:
///   `dst = f(a: in, b: in)`, `b` an operand slot for `Name`, the immediate `imm` for
///   `NameImm` (see [`Imm`]); the `A` forms read `a` from the accumulator, `NameB` reads
///   `b` from there;
/// - `binary_trap`: the same, trapping;
/// - `branch_cmp (BrName / BrNameImm (in, f) if Name / NameImm else BrNot / BrNotImm)`:
///   jump to `target` if `f(a, b)` (or `f(a, imm)`); the fusion of the comparison
///   `Name` (`NameImm`) with a branch taken when it holds, and the negation `BrNot` to
///   branch when it does not.
/// - `step_cmp (Name / NameImm (in, f) after AddImm then BrName / BrNameImm)`: a loop's
///   step and test, `x = x + step` (`in` arithmetic, `step` sign-extended) then jump to
///   `target` if `f(x, b)` (or `f(x, imm)`): the fusion of `AddImm { dst: x, a: x, .. }`
///   with the `BrName` (`BrNameImm`) right after it that tests `x`.
/// - `simd (Name { fields } shape f)`: a SIMD instruction (with the `simd` feature;
///   without it no SIMD instruction is ever translated), executed by `exec::simd::f`
///   according to its `shape`: `unary` (`dst = f(src)`, `v128`s), `binary`
///   (`dst = f(a, b)`), `ternary` (`dst = f(dst, b, c)`: the first operand is in `dst`),
///   `test` (`dst = f(src)`, an `i32`), `splat` (`dst = f(src)` from a scalar), `shift`
///   (`dst = f(a, b)`, `b` the `i32` count), `extract` (`dst = f(src, lane)`, a scalar),
///   `replace` (`dst = f(dst, src, lane)`, `src` a scalar), `loadN` (`dst = f(bytes)`,
///   the `N` bytes at `addr + offset`, `(memory, offset) = memargs[memarg]`, as a
///   little-endian `u64`).
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
                /// Nothing; an instruction that counts against the executor's budget
                /// (see [`Instr::checks_budget`]), put into runs of more than [`RUN_MAX`]
                /// instructions that do not.
                Check,
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
                /// `BrIfNez` reading `cond` from the accumulator (see the module docs).
                BrIfNezA { cond: Slot, target: u32 },
                /// `BrIfEqz` reading `cond` from the accumulator.
                BrIfEqzA { cond: Slot, target: u32 },
                /// `BrIfNez64` reading `cond` from the accumulator.
                BrIfNez64A { cond: Slot, target: u32 },
                /// `BrIfEqz64` reading `cond` from the accumulator.
                BrIfEqz64A { cond: Slot, target: u32 },
                /// Branch as `br_tables[offset + min(index, len)]` says (the last of the
                /// `len + 1` entries is the default).
                BrTable { index: Slot, offset: u32, len: u32 },
                /// Copy the `n` cells from slot `src` to slot 0 and return to the caller.
                Return { src: Home, n: u32 },
                /// Call function `func` of the instance, its arguments from slot `base`.
                Call { func: u32, base: Home },
                /// Call the function at the `i32` index after the arguments (slot
                /// `base + params`) in table `table`, whose signature must be the
                /// instance's type `ty`; arguments from slot `base`.
                CallIndirect { ty: u32, table: u32, base: Home },
                /// Tail call of function `func` of the instance, its arguments from slot
                /// `base`: a Wasm function takes the running one's place (its arguments
                /// moved to slot 0, the same caller to return to) and this never falls
                /// through; a host function is called as by `Call`, and the `Return`
                /// that always follows returns its results.
                ReturnCall { func: u32, base: Home },
                /// `CallIndirect`'s tail call, as `ReturnCall`.
                ReturnCallIndirect { ty: u32, table: u32, base: Home },
                /// Call the function the reference after the arguments (slot `base +
                /// params` of the instance's type `ty`) points at (trap if null);
                /// arguments from slot `base`.
                CallRef { ty: u32, base: Home },
                /// `CallRef`'s tail call, as `ReturnCall`.
                ReturnCallRef { ty: u32, base: Home },
                /// Trap "null reference" if the reference in `src` is null.
                RefAsNonNull { src: Slot },
                /// `dst = src`.
                Copy { dst: Slot, src: Slot },
                /// `dst = src`, then `then.a() = then.b()`: two `Copy`s in a row (a call's
                /// arguments, mostly) in one instruction.
                Copy2 { dst: Slot, src: Slot, then: SlotPair },
                /// `dst = value` (any constant: `i32`/`f32` zero-extended, `ref.null` is 0).
                Const { dst: Slot, value: u64 },
                /// Store the low byte of `value` at `addr + offset` of memory 0: an
                /// `i32.store8` or `i64.store8` of a constant (which no slot then holds).
                StoreImm8 { addr: Slot, offset: u32, value: u32 },
                /// The same with the low 16 bits: `i32.store16`, `i64.store16`.
                StoreImm16 { addr: Slot, offset: u32, value: u32 },
                /// The same with all 32 bits: `i32.store`, `f32.store`, `i64.store32`.
                StoreImm32 { addr: Slot, offset: u32, value: u32 },
                /// The same with `value` sign-extended to 64 bits: an `i64.store` or
                /// `f64.store` of a constant whose bits fit.
                StoreImm64 { addr: Slot, offset: u32, value: u32 },
                /// `dst = acc + xy.a() * xy.b()` in `f64`, rounded twice (`f64.mul`, then
                /// `f64.add` with the product as its right operand): the fusion of the two.
                F64MulAdd { dst: Slot, acc: Slot, xy: SlotPair },
                /// `dst = ab.a() + ab.b() + imm` in `i32`: an `i32.add` and an `i32.add`
                /// of a constant to its result.
                I32Add3Imm { dst: Slot, ab: SlotPair, imm: u32 },
                /// `dst = ab.a() + ab.b() + imm` in `i64` (`imm` sign-extended, as in
                /// `I64AddImm`).
                I64Add3Imm { dst: Slot, ab: SlotPair, imm: u32 },
                /// `dst = a / d` in `u32`, `d = divisors[k]` (nonzero, known at translation:
                /// a multiply and shifts, no divide; see [`Divisor`]).
                I32DivUConst { dst: Slot, a: Slot, k: u32 },
                /// `dst = a % d` in `u32`, `d = divisors[k]`.
                I32RemUConst { dst: Slot, a: Slot, k: u32 },
                /// `dst = a / d` in `u64`, `d = divisors[k]`.
                I64DivUConst { dst: Slot, a: Slot, k: u32 },
                /// `dst = a % d` in `u64`, `d = divisors[k]`.
                I64RemUConst { dst: Slot, a: Slot, k: u32 },
                /// `I32DivUConst` reading `a` from the accumulator.
                I32DivUConstA { dst: Slot, a: Slot, k: u32 },
                /// `I32RemUConst` reading `a` from the accumulator.
                I32RemUConstA { dst: Slot, a: Slot, k: u32 },
                /// `I64DivUConst` reading `a` from the accumulator.
                I64DivUConstA { dst: Slot, a: Slot, k: u32 },
                /// `I64RemUConst` reading `a` from the accumulator.
                I64RemUConstA { dst: Slot, a: Slot, k: u32 },
                /// `x += x.step()` then `y += y.step()` in `i32`: two loop counters or
                /// pointers stepped in place one after the other (two `I32AddImm`s).
                I32AddImm2 { x: Step, y: Step },
                /// The same in `i64`.
                I64AddImm2 { x: Step, y: Step },
                /// `dst = a ^ (a << imm)` in `i32` (a xorshift step: `i32.shl` by a
                /// constant, then `i32.xor` with the shifted value).
                I32XorShlImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = a ^ (a >> imm)` in `i32`, unsigned shift.
                I32XorShrUImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = a ^ (a << imm)` in `i64`.
                I64XorShlImm { dst: Slot, a: Slot, imm: u32 },
                /// `dst = a ^ (a >> imm)` in `i64`, unsigned shift.
                I64XorShrUImm { dst: Slot, a: Slot, imm: u32 },
                /// `I32XorShlImm` reading `a` from the accumulator.
                I32XorShlImmA { dst: Slot, a: Slot, imm: u32 },
                /// `I32XorShrUImm` reading `a` from the accumulator.
                I32XorShrUImmA { dst: Slot, a: Slot, imm: u32 },
                /// `I64XorShlImm` reading `a` from the accumulator.
                I64XorShlImmA { dst: Slot, a: Slot, imm: u32 },
                /// `I64XorShrUImm` reading `a` from the accumulator.
                I64XorShrUImmA { dst: Slot, a: Slot, imm: u32 },
                /// `dst = c != 0 ? a : b`, where `c` is the `i32` in slot `dst + 2` (the
                /// condition's home: `dst` is the home of the first operand).
                Select { dst: Slot, a: Slot, b: Slot },
                /// `dst = ` global `index` of the instance.
                GlobalGet { dst: Slot, index: u32 },
                /// Global `index` of the instance `= src`.
                GlobalSet { src: Slot, index: u32 },
                /// `dst = ` global `index` `+ imm` in `i32` (wrapping), and the global
                /// `= dst`: a shadow stack's prologue (`global.get`, `i32.const`, `i32.sub`
                /// or `i32.add`, `local.tee`, `global.set`).
                GlobalI32AddImm { dst: Slot, index: u32, imm: u32 },
                /// The same in `i64` (`imm` sign-extended, as in `I64AddImm`).
                GlobalI64AddImm { dst: Slot, index: u32, imm: u32 },
                /// Global `index` `= src + imm` in `i32` (wrapping): a shadow stack's
                /// epilogue (`local.get`, `i32.const`, `i32.add`, `global.set`).
                GlobalSetI32AddImm { src: Slot, index: u32, imm: u32 },
                /// The same in `i64` (`imm` sign-extended).
                GlobalSetI64AddImm { src: Slot, index: u32, imm: u32 },
                /// `dst = 1` if the reference in `src` is null, else 0.
                RefIsNull { dst: Slot, src: Slot },
                /// `dst = ` a reference to function `func` of the instance.
                RefFunc { dst: Slot, func: u32 },
                /// `dst = ` the size of memory `memory` in pages.
                MemorySize { dst: Slot, memory: u32 },
                /// Grow memory `memory` by `delta` pages; `dst = ` the old size or -1.
                MemoryGrow { dst: Slot, delta: Slot, memory: u32 },
                /// Fill: `dst`, `value`, `n` from slot `base`.
                MemoryFill { memory: u32, base: Home },
                /// Copy from memory `src` to memory `dst`: `d`, `s`, `n` from slot `base`.
                MemoryCopy { dst: u32, src: u32, base: Home },
                /// Copy from data segment `data` into `memory`: `d`, `s`, `n` from `base`.
                MemoryInit { memory: u32, data: u32, base: Home },
                /// Drop data segment `data`.
                DataDrop { data: u32 },
                /// Slot `base` = the element of table `table` at the index in slot `base`.
                TableGet { table: u32, base: Home },
                /// Set the element at index `base` of `table` to the reference in `base + 1`.
                TableSet { table: u32, base: Home },
                /// `dst = ` the number of elements of `table`.
                TableSize { dst: Slot, table: u32 },
                /// Grow `table` by slot `base + 1` elements set to slot `base`'s reference;
                /// slot `base` = the old size or -1.
                TableGrow { table: u32, base: Home },
                /// Fill: `dst`, a reference, `n` from slot `base`.
                TableFill { table: u32, base: Home },
                /// Copy from table `src` to table `dst`: `d`, `s`, `n` from slot `base`.
                TableCopy { dst: u32, src: u32, base: Home },
                /// Copy from element segment `elem` into `table`: `d`, `s`, `n` from `base`.
                TableInit { table: u32, elem: u32, base: Home },
                /// Drop element segment `elem`.
                ElemDrop { elem: u32 },
                /// Slot `base` = the `width`-byte value (zero-extended) at the address in
                /// slot `base`, read atomically; `(memory, offset) = memargs[memarg]`.
                AtomicLoad { base: Home, memarg: u32, width: u32 },
                /// Store the low `width` bytes of slot `base + 1` at the address in slot
                /// `base`, atomically.
                AtomicStore { base: Home, memarg: u32, width: u32 },
                /// Atomically replace the `op & 15`-byte value `v` at the address in slot
                /// `base` by `v ∘ s` (`s` from slot `base + 1`; `∘` is [`RmwOp`]
                /// `op >> 4`); slot `base` = `v`.
                AtomicRmw { base: Home, memarg: u32, op: u32 },
                /// Atomically: where the `width`-byte value `v` at the address in slot
                /// `base` equals slot `base + 1` (truncated), write slot `base + 2`; slot
                /// `base` = `v`.
                AtomicCmpxchg { base: Home, memarg: u32, width: u32 },
                /// `memory.atomic.wait32`/`wait64` (`width` 4 or 8): address, expected
                /// value, timeout (ns, negative: none) from slot `base`; slot `base` = 0
                /// (woken), 1 (not equal) or 2 (timed out).
                AtomicWait { base: Home, memarg: u32, width: u32 },
                /// `memory.atomic.notify`: address and count from slot `base`; slot
                /// `base` = the number of waiters woken.
                AtomicNotify { base: Home, memarg: u32 },
                /// `atomic.fence`.
                AtomicFence,
                /// `dst = ` the 16 bytes at `addr + offset` of memory 0 (`v128.load`).
                V128Load { dst: VSlot, addr: Slot, offset: u32 },
                /// `dst = ` the 16 bytes at `addr + offset`, `(memory, offset) = memargs[memarg]`.
                V128LoadM { dst: VSlot, addr: Slot, memarg: u32 },
                /// Store `value`'s 16 bytes at `addr + offset` of memory 0 (`v128.store`).
                V128Store { addr: Slot, value: VSlot, offset: u32 },
                /// Store `value`'s 16 bytes at `addr + offset`, `(memory, offset) = memargs[memarg]`.
                V128StoreM { addr: Slot, value: VSlot, memarg: u32 },
                /// `v128.load8_lane`: slot `base` (2 cells) = the vector in slot `base + 1`
                /// with lane `lane` replaced by the byte at the address in slot `base`,
                /// `(memory, offset) = memargs[memarg]`.
                V128Load8Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.load16_lane`, as `V128Load8Lane`.
                V128Load16Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.load32_lane`, as `V128Load8Lane`.
                V128Load32Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.load64_lane`, as `V128Load8Lane`.
                V128Load64Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.store8_lane`: store lane `lane` of the vector in slot `base + 1` at the
                /// address in slot `base`, `(memory, offset) = memargs[memarg]`.
                V128Store8Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.store16_lane`, as `V128Store8Lane`.
                V128Store16Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.store32_lane`, as `V128Store8Lane`.
                V128Store32Lane { base: Home, memarg: u32, lane: u32 },
                /// `v128.store64_lane`, as `V128Store8Lane`.
                V128Store64Lane { base: Home, memarg: u32, lane: u32 },
                /// `dst = i8x16.shuffle(dst, b)` with the lane indices in `lanes` (a constant's
                /// slot): `dst` holds the first operand.
                I8x16Shuffle { dst: VSlot, b: VSlot, lanes: VSlot },
                /// `dst = ` the `v128` global `index` of the instance.
                GlobalGetV128 { dst: VSlot, index: u32 },
                /// The `v128` global `index` of the instance `= src`.
                GlobalSetV128 { src: VSlot, index: u32 },
                /// `dst = c != 0 ? a : b` of `v128`s, where `c` is the `i32` in slot `dst + 4`.
                SelectV128 { dst: VSlot, a: VSlot, b: VSlot },
                /// Throw a new exception of the instance's tag `tag`, its payload the
                /// cells of the tag's parameters from slot `base` (see
                /// [exceptions](self#exceptions)).
                Throw { tag: u32, base: Home },
                /// Throw again the exception the `exnref` in `src` refers to; trap "null
                /// exception reference" when it is null.
                ThrowRef { src: Slot },
                /// `i64.add128`: `dst` = `a + b` modulo 2^128, each a 128-bit integer in two
                /// cells (a [`VSlot`]: low 64 bits, then high 64 bits).
                I64Add128 { dst: VSlot, a: VSlot, b: VSlot },
                /// `i64.sub128`: `dst` = `a - b` modulo 2^128, as `I64Add128`.
                I64Sub128 { dst: VSlot, a: VSlot, b: VSlot },
                /// `i64.mul_wide_s`: `dst` (two cells, low half first) = the 128-bit product
                /// of the `i64`s in `a` and `b`, signed.
                I64MulWideS { dst: VSlot, a: Slot, b: Slot },
                /// `i64.mul_wide_u`: the same, unsigned.
                I64MulWideU { dst: VSlot, a: Slot, b: Slot },
                /// `CallIndirect` through a 64-bit table: the index after the arguments is
                /// an `i64` (an index beyond the host's `usize` is past the table's end).
                CallIndirect64 { ty: u32, table: u32, base: Home },
                /// `TableGet` of a 64-bit table: the index in slot `base` is an `i64`.
                TableGet64 { table: u32, base: Home },
                /// `TableSet` of a 64-bit table: the index in slot `base` is an `i64`.
                TableSet64 { table: u32, base: Home },
                /// `TableGrow` of a 64-bit table: the delta in slot `base + 1` is an `i64`, and
                /// slot `base` = the old size or -1 as an `i64`.
                TableGrow64 { table: u32, base: Home },
                /// `TableFill` of a 64-bit table: the index and count are `i64`s.
                TableFill64 { table: u32, base: Home },
                /// `TableCopy` where `dst` or `src` (or both) is a 64-bit table: `d` has
                /// `dst`'s index type, `s` `src`'s, `n` is an `i64` only if both are 64-bit
                /// (an `i32` is zero-extended in its cell, so all three are read whole).
                TableCopy64 { dst: u32, src: u32, base: Home },
                /// `TableInit` of a 64-bit table: `d` is an `i64`, `s` and `n` `i32`s.
                TableInit64 { table: u32, elem: u32, base: Home },
                /// `ReturnCallIndirect` through a 64-bit table (an `i64` index).
                ReturnCallIndirect64 { ty: u32, table: u32, base: Home },
            }
            load {
                I32Load / I32LoadM / I32LoadA (u32, u32),
                I64Load / I64LoadM / I64LoadA (u64, u64),
                F32Load / F32LoadM / F32LoadA (u32, u32),
                F64Load / F64LoadM / F64LoadA (u64, u64),
                I32Load8S / I32Load8SM / I32Load8SA (i8, u32),
                I32Load8U / I32Load8UM / I32Load8UA (u8, u32),
                I32Load16S / I32Load16SM / I32Load16SA (i16, u32),
                I32Load16U / I32Load16UM / I32Load16UA (u16, u32),
                I64Load8S / I64Load8SM / I64Load8SA (i8, u64),
                I64Load8U / I64Load8UM / I64Load8UA (u8, u64),
                I64Load16S / I64Load16SM / I64Load16SA (i16, u64),
                I64Load16U / I64Load16UM / I64Load16UA (u16, u64),
                I64Load32S / I64Load32SM / I64Load32SA (i32, u64),
                I64Load32U / I64Load32UM / I64Load32UA (u32, u64),
            }
            store {
                I32Store / I32StoreM / I32StoreA / I32StoreV (u32),
                I64Store / I64StoreM / I64StoreA / I64StoreV (u64),
                F32Store / F32StoreM / F32StoreA / F32StoreV (u32),
                F64Store / F64StoreM / F64StoreA / F64StoreV (u64),
                I32Store8 / I32Store8M / I32Store8A / I32Store8V (u8),
                I32Store16 / I32Store16M / I32Store16A / I32Store16V (u16),
                I64Store8 / I64Store8M / I64Store8A / I64Store8V (u8),
                I64Store16 / I64Store16M / I64Store16A / I64Store16V (u16),
                I64Store32 / I64Store32M / I64Store32A / I64Store32V (u32),
            }
            unary {
                I32Eqz / I32EqzA (i32 => i32, i32_eqz),
                I64Eqz / I64EqzA (i64 => i32, i64_eqz),
                I32Clz / I32ClzA (i32 => i32, i32_clz),
                I32Ctz / I32CtzA (i32 => i32, i32_ctz),
                I32Popcnt / I32PopcntA (i32 => i32, i32_popcnt),
                I64Clz / I64ClzA (i64 => i64, i64_clz),
                I64Ctz / I64CtzA (i64 => i64, i64_ctz),
                I64Popcnt / I64PopcntA (i64 => i64, i64_popcnt),
                F32Abs / F32AbsA (f32 => f32, f32_abs),
                F32Neg / F32NegA (f32 => f32, f32_neg),
                F32Ceil / F32CeilA (f32 => f32, f32_ceil),
                F32Floor / F32FloorA (f32 => f32, f32_floor),
                F32Trunc / F32TruncA (f32 => f32, f32_trunc),
                F32Nearest / F32NearestA (f32 => f32, f32_nearest),
                F32Sqrt / F32SqrtA (f32 => f32, f32_sqrt),
                F64Abs / F64AbsA (f64 => f64, f64_abs),
                F64Neg / F64NegA (f64 => f64, f64_neg),
                F64Ceil / F64CeilA (f64 => f64, f64_ceil),
                F64Floor / F64FloorA (f64 => f64, f64_floor),
                F64Trunc / F64TruncA (f64 => f64, f64_trunc),
                F64Nearest / F64NearestA (f64 => f64, f64_nearest),
                F64Sqrt / F64SqrtA (f64 => f64, f64_sqrt),
                I32WrapI64 / I32WrapI64A (i64 => i32, i32_wrap_i64),
                I64ExtendI32S / I64ExtendI32SA (i32 => i64, i64_extend_i32_s),
                F32ConvertI32S / F32ConvertI32SA (i32 => f32, f32_convert_i32_s),
                F32ConvertI32U / F32ConvertI32UA (i32 => f32, f32_convert_i32_u),
                F32ConvertI64S / F32ConvertI64SA (i64 => f32, f32_convert_i64_s),
                F32ConvertI64U / F32ConvertI64UA (i64 => f32, f32_convert_i64_u),
                F32DemoteF64 / F32DemoteF64A (f64 => f32, f32_demote_f64),
                F64ConvertI32S / F64ConvertI32SA (i32 => f64, f64_convert_i32_s),
                F64ConvertI32U / F64ConvertI32UA (i32 => f64, f64_convert_i32_u),
                F64ConvertI64S / F64ConvertI64SA (i64 => f64, f64_convert_i64_s),
                F64ConvertI64U / F64ConvertI64UA (i64 => f64, f64_convert_i64_u),
                F64PromoteF32 / F64PromoteF32A (f32 => f64, f64_promote_f32),
                I32Extend8S / I32Extend8SA (i32 => i32, i32_extend8_s),
                I32Extend16S / I32Extend16SA (i32 => i32, i32_extend16_s),
                I64Extend8S / I64Extend8SA (i64 => i64, i64_extend8_s),
                I64Extend16S / I64Extend16SA (i64 => i64, i64_extend16_s),
                I64Extend32S / I64Extend32SA (i64 => i64, i64_extend32_s),
                I32TruncSatF32S / I32TruncSatF32SA (f32 => i32, i32_trunc_sat_f32_s),
                I32TruncSatF32U / I32TruncSatF32UA (f32 => i32, i32_trunc_sat_f32_u),
                I32TruncSatF64S / I32TruncSatF64SA (f64 => i32, i32_trunc_sat_f64_s),
                I32TruncSatF64U / I32TruncSatF64UA (f64 => i32, i32_trunc_sat_f64_u),
                I64TruncSatF32S / I64TruncSatF32SA (f32 => i64, i64_trunc_sat_f32_s),
                I64TruncSatF32U / I64TruncSatF32UA (f32 => i64, i64_trunc_sat_f32_u),
                I64TruncSatF64S / I64TruncSatF64SA (f64 => i64, i64_trunc_sat_f64_s),
                I64TruncSatF64U / I64TruncSatF64UA (f64 => i64, i64_trunc_sat_f64_u),
            }
            unary_trap {
                I32TruncF32S / I32TruncF32SA (f32 => i32, i32_trunc_f32_s),
                I32TruncF32U / I32TruncF32UA (f32 => i32, i32_trunc_f32_u),
                I32TruncF64S / I32TruncF64SA (f64 => i32, i32_trunc_f64_s),
                I32TruncF64U / I32TruncF64UA (f64 => i32, i32_trunc_f64_u),
                I64TruncF32S / I64TruncF32SA (f32 => i64, i64_trunc_f32_s),
                I64TruncF32U / I64TruncF32UA (f32 => i64, i64_trunc_f32_u),
                I64TruncF64S / I64TruncF64SA (f64 => i64, i64_trunc_f64_s),
                I64TruncF64U / I64TruncF64UA (f64 => i64, i64_trunc_f64_u),
            }
            binary {
                I32Eq / I32EqImm / I32EqA / I32EqImmA / I32EqB (i32 => i32, i32_eq),
                I32Ne / I32NeImm / I32NeA / I32NeImmA / I32NeB (i32 => i32, i32_ne),
                I32LtS / I32LtSImm / I32LtSA / I32LtSImmA / I32LtSB (i32 => i32, i32_lt_s),
                I32LtU / I32LtUImm / I32LtUA / I32LtUImmA / I32LtUB (i32 => i32, i32_lt_u),
                I32GtS / I32GtSImm / I32GtSA / I32GtSImmA / I32GtSB (i32 => i32, i32_gt_s),
                I32GtU / I32GtUImm / I32GtUA / I32GtUImmA / I32GtUB (i32 => i32, i32_gt_u),
                I32LeS / I32LeSImm / I32LeSA / I32LeSImmA / I32LeSB (i32 => i32, i32_le_s),
                I32LeU / I32LeUImm / I32LeUA / I32LeUImmA / I32LeUB (i32 => i32, i32_le_u),
                I32GeS / I32GeSImm / I32GeSA / I32GeSImmA / I32GeSB (i32 => i32, i32_ge_s),
                I32GeU / I32GeUImm / I32GeUA / I32GeUImmA / I32GeUB (i32 => i32, i32_ge_u),
                I64Eq / I64EqImm / I64EqA / I64EqImmA / I64EqB (i64 => i32, i64_eq),
                I64Ne / I64NeImm / I64NeA / I64NeImmA / I64NeB (i64 => i32, i64_ne),
                I64LtS / I64LtSImm / I64LtSA / I64LtSImmA / I64LtSB (i64 => i32, i64_lt_s),
                I64LtU / I64LtUImm / I64LtUA / I64LtUImmA / I64LtUB (i64 => i32, i64_lt_u),
                I64GtS / I64GtSImm / I64GtSA / I64GtSImmA / I64GtSB (i64 => i32, i64_gt_s),
                I64GtU / I64GtUImm / I64GtUA / I64GtUImmA / I64GtUB (i64 => i32, i64_gt_u),
                I64LeS / I64LeSImm / I64LeSA / I64LeSImmA / I64LeSB (i64 => i32, i64_le_s),
                I64LeU / I64LeUImm / I64LeUA / I64LeUImmA / I64LeUB (i64 => i32, i64_le_u),
                I64GeS / I64GeSImm / I64GeSA / I64GeSImmA / I64GeSB (i64 => i32, i64_ge_s),
                I64GeU / I64GeUImm / I64GeUA / I64GeUImmA / I64GeUB (i64 => i32, i64_ge_u),
                F32Eq / F32EqImm / F32EqA / F32EqImmA / F32EqB (f32 => i32, f32_eq),
                F32Ne / F32NeImm / F32NeA / F32NeImmA / F32NeB (f32 => i32, f32_ne),
                F32Lt / F32LtImm / F32LtA / F32LtImmA / F32LtB (f32 => i32, f32_lt),
                F32Gt / F32GtImm / F32GtA / F32GtImmA / F32GtB (f32 => i32, f32_gt),
                F32Le / F32LeImm / F32LeA / F32LeImmA / F32LeB (f32 => i32, f32_le),
                F32Ge / F32GeImm / F32GeA / F32GeImmA / F32GeB (f32 => i32, f32_ge),
                F64Eq / F64EqImm / F64EqA / F64EqImmA / F64EqB (f64 => i32, f64_eq),
                F64Ne / F64NeImm / F64NeA / F64NeImmA / F64NeB (f64 => i32, f64_ne),
                F64Lt / F64LtImm / F64LtA / F64LtImmA / F64LtB (f64 => i32, f64_lt),
                F64Gt / F64GtImm / F64GtA / F64GtImmA / F64GtB (f64 => i32, f64_gt),
                F64Le / F64LeImm / F64LeA / F64LeImmA / F64LeB (f64 => i32, f64_le),
                F64Ge / F64GeImm / F64GeA / F64GeImmA / F64GeB (f64 => i32, f64_ge),
                I32Add / I32AddImm / I32AddA / I32AddImmA / I32AddB (i32 => i32, i32_add),
                I32Sub / I32SubImm / I32SubA / I32SubImmA / I32SubB (i32 => i32, i32_sub),
                I32Mul / I32MulImm / I32MulA / I32MulImmA / I32MulB (i32 => i32, i32_mul),
                I32And / I32AndImm / I32AndA / I32AndImmA / I32AndB (i32 => i32, i32_and),
                I32Or / I32OrImm / I32OrA / I32OrImmA / I32OrB (i32 => i32, i32_or),
                I32Xor / I32XorImm / I32XorA / I32XorImmA / I32XorB (i32 => i32, i32_xor),
                I32Shl / I32ShlImm / I32ShlA / I32ShlImmA / I32ShlB (i32 => i32, i32_shl),
                I32ShrS / I32ShrSImm / I32ShrSA / I32ShrSImmA / I32ShrSB (i32 => i32, i32_shr_s),
                I32ShrU / I32ShrUImm / I32ShrUA / I32ShrUImmA / I32ShrUB (i32 => i32, i32_shr_u),
                I32Rotl / I32RotlImm / I32RotlA / I32RotlImmA / I32RotlB (i32 => i32, i32_rotl),
                I32Rotr / I32RotrImm / I32RotrA / I32RotrImmA / I32RotrB (i32 => i32, i32_rotr),
                I64Add / I64AddImm / I64AddA / I64AddImmA / I64AddB (i64 => i64, i64_add),
                I64Sub / I64SubImm / I64SubA / I64SubImmA / I64SubB (i64 => i64, i64_sub),
                I64Mul / I64MulImm / I64MulA / I64MulImmA / I64MulB (i64 => i64, i64_mul),
                I64And / I64AndImm / I64AndA / I64AndImmA / I64AndB (i64 => i64, i64_and),
                I64Or / I64OrImm / I64OrA / I64OrImmA / I64OrB (i64 => i64, i64_or),
                I64Xor / I64XorImm / I64XorA / I64XorImmA / I64XorB (i64 => i64, i64_xor),
                I64Shl / I64ShlImm / I64ShlA / I64ShlImmA / I64ShlB (i64 => i64, i64_shl),
                I64ShrS / I64ShrSImm / I64ShrSA / I64ShrSImmA / I64ShrSB (i64 => i64, i64_shr_s),
                I64ShrU / I64ShrUImm / I64ShrUA / I64ShrUImmA / I64ShrUB (i64 => i64, i64_shr_u),
                I64Rotl / I64RotlImm / I64RotlA / I64RotlImmA / I64RotlB (i64 => i64, i64_rotl),
                I64Rotr / I64RotrImm / I64RotrA / I64RotrImmA / I64RotrB (i64 => i64, i64_rotr),
                F32Add / F32AddImm / F32AddA / F32AddImmA / F32AddB (f32 => f32, f32_add),
                F32Sub / F32SubImm / F32SubA / F32SubImmA / F32SubB (f32 => f32, f32_sub),
                F32Mul / F32MulImm / F32MulA / F32MulImmA / F32MulB (f32 => f32, f32_mul),
                F32Div / F32DivImm / F32DivA / F32DivImmA / F32DivB (f32 => f32, f32_div),
                F32Min / F32MinImm / F32MinA / F32MinImmA / F32MinB (f32 => f32, f32_min),
                F32Max / F32MaxImm / F32MaxA / F32MaxImmA / F32MaxB (f32 => f32, f32_max),
                F32Copysign / F32CopysignImm / F32CopysignA / F32CopysignImmA / F32CopysignB (f32 => f32, f32_copysign),
                F64Add / F64AddImm / F64AddA / F64AddImmA / F64AddB (f64 => f64, f64_add),
                F64Sub / F64SubImm / F64SubA / F64SubImmA / F64SubB (f64 => f64, f64_sub),
                F64Mul / F64MulImm / F64MulA / F64MulImmA / F64MulB (f64 => f64, f64_mul),
                F64Div / F64DivImm / F64DivA / F64DivImmA / F64DivB (f64 => f64, f64_div),
                F64Min / F64MinImm / F64MinA / F64MinImmA / F64MinB (f64 => f64, f64_min),
                F64Max / F64MaxImm / F64MaxA / F64MaxImmA / F64MaxB (f64 => f64, f64_max),
                F64Copysign / F64CopysignImm / F64CopysignA / F64CopysignImmA / F64CopysignB (f64 => f64, f64_copysign),
            }
            binary_trap {
                I32DivS / I32DivSImm / I32DivSA / I32DivSImmA (i32 => i32, i32_div_s),
                I32DivU / I32DivUImm / I32DivUA / I32DivUImmA (i32 => i32, i32_div_u),
                I32RemS / I32RemSImm / I32RemSA / I32RemSImmA (i32 => i32, i32_rem_s),
                I32RemU / I32RemUImm / I32RemUA / I32RemUImmA (i32 => i32, i32_rem_u),
                I64DivS / I64DivSImm / I64DivSA / I64DivSImmA (i64 => i64, i64_div_s),
                I64DivU / I64DivUImm / I64DivUA / I64DivUImmA (i64 => i64, i64_div_u),
                I64RemS / I64RemSImm / I64RemSA / I64RemSImmA (i64 => i64, i64_rem_s),
                I64RemU / I64RemUImm / I64RemUA / I64RemUImmA (i64 => i64, i64_rem_u),
            }
            branch_cmp {
                BrI32Eq / BrI32EqImm / BrI32EqA / BrI32EqImmA (i32, i32_eq) if I32Eq / I32EqImm else BrI32Ne / BrI32NeImm,
                BrI32Ne / BrI32NeImm / BrI32NeA / BrI32NeImmA (i32, i32_ne) if I32Ne / I32NeImm else BrI32Eq / BrI32EqImm,
                BrI32LtS / BrI32LtSImm / BrI32LtSA / BrI32LtSImmA (i32, i32_lt_s) if I32LtS / I32LtSImm else BrI32GeS / BrI32GeSImm,
                BrI32LtU / BrI32LtUImm / BrI32LtUA / BrI32LtUImmA (i32, i32_lt_u) if I32LtU / I32LtUImm else BrI32GeU / BrI32GeUImm,
                BrI32GtS / BrI32GtSImm / BrI32GtSA / BrI32GtSImmA (i32, i32_gt_s) if I32GtS / I32GtSImm else BrI32LeS / BrI32LeSImm,
                BrI32GtU / BrI32GtUImm / BrI32GtUA / BrI32GtUImmA (i32, i32_gt_u) if I32GtU / I32GtUImm else BrI32LeU / BrI32LeUImm,
                BrI32LeS / BrI32LeSImm / BrI32LeSA / BrI32LeSImmA (i32, i32_le_s) if I32LeS / I32LeSImm else BrI32GtS / BrI32GtSImm,
                BrI32LeU / BrI32LeUImm / BrI32LeUA / BrI32LeUImmA (i32, i32_le_u) if I32LeU / I32LeUImm else BrI32GtU / BrI32GtUImm,
                BrI32GeS / BrI32GeSImm / BrI32GeSA / BrI32GeSImmA (i32, i32_ge_s) if I32GeS / I32GeSImm else BrI32LtS / BrI32LtSImm,
                BrI32GeU / BrI32GeUImm / BrI32GeUA / BrI32GeUImmA (i32, i32_ge_u) if I32GeU / I32GeUImm else BrI32LtU / BrI32LtUImm,
                BrI64Eq / BrI64EqImm / BrI64EqA / BrI64EqImmA (i64, i64_eq) if I64Eq / I64EqImm else BrI64Ne / BrI64NeImm,
                BrI64Ne / BrI64NeImm / BrI64NeA / BrI64NeImmA (i64, i64_ne) if I64Ne / I64NeImm else BrI64Eq / BrI64EqImm,
                BrI64LtS / BrI64LtSImm / BrI64LtSA / BrI64LtSImmA (i64, i64_lt_s) if I64LtS / I64LtSImm else BrI64GeS / BrI64GeSImm,
                BrI64LtU / BrI64LtUImm / BrI64LtUA / BrI64LtUImmA (i64, i64_lt_u) if I64LtU / I64LtUImm else BrI64GeU / BrI64GeUImm,
                BrI64GtS / BrI64GtSImm / BrI64GtSA / BrI64GtSImmA (i64, i64_gt_s) if I64GtS / I64GtSImm else BrI64LeS / BrI64LeSImm,
                BrI64GtU / BrI64GtUImm / BrI64GtUA / BrI64GtUImmA (i64, i64_gt_u) if I64GtU / I64GtUImm else BrI64LeU / BrI64LeUImm,
                BrI64LeS / BrI64LeSImm / BrI64LeSA / BrI64LeSImmA (i64, i64_le_s) if I64LeS / I64LeSImm else BrI64GtS / BrI64GtSImm,
                BrI64LeU / BrI64LeUImm / BrI64LeUA / BrI64LeUImmA (i64, i64_le_u) if I64LeU / I64LeUImm else BrI64GtU / BrI64GtUImm,
                BrI64GeS / BrI64GeSImm / BrI64GeSA / BrI64GeSImmA (i64, i64_ge_s) if I64GeS / I64GeSImm else BrI64LtS / BrI64LtSImm,
                BrI64GeU / BrI64GeUImm / BrI64GeUA / BrI64GeUImmA (i64, i64_ge_u) if I64GeU / I64GeUImm else BrI64LtU / BrI64LtUImm,
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
            simd {
                V128Load8x8S { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load8x8_s,
                V128Load8x8U { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load8x8_u,
                V128Load16x4S { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load16x4_s,
                V128Load16x4U { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load16x4_u,
                V128Load32x2S { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load32x2_s,
                V128Load32x2U { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load32x2_u,
                V128Load8Splat { dst: VSlot, addr: Slot, memarg: u32 } load1 v128_load8_splat,
                V128Load16Splat { dst: VSlot, addr: Slot, memarg: u32 } load2 v128_load16_splat,
                V128Load32Splat { dst: VSlot, addr: Slot, memarg: u32 } load4 v128_load32_splat,
                V128Load64Splat { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load64_splat,
                V128Load32Zero { dst: VSlot, addr: Slot, memarg: u32 } load4 v128_load32_zero,
                V128Load64Zero { dst: VSlot, addr: Slot, memarg: u32 } load8 v128_load64_zero,
                I8x16ExtractLaneS { dst: Slot, src: VSlot, lane: u32 } extract i8x16_extract_lane_s,
                I8x16ExtractLaneU { dst: Slot, src: VSlot, lane: u32 } extract i8x16_extract_lane_u,
                I8x16ReplaceLane { dst: VSlot, src: Slot, lane: u32 } replace i8x16_replace_lane,
                I16x8ExtractLaneS { dst: Slot, src: VSlot, lane: u32 } extract i16x8_extract_lane_s,
                I16x8ExtractLaneU { dst: Slot, src: VSlot, lane: u32 } extract i16x8_extract_lane_u,
                I16x8ReplaceLane { dst: VSlot, src: Slot, lane: u32 } replace i16x8_replace_lane,
                I32x4ExtractLane { dst: Slot, src: VSlot, lane: u32 } extract i32x4_extract_lane,
                I32x4ReplaceLane { dst: VSlot, src: Slot, lane: u32 } replace i32x4_replace_lane,
                I64x2ExtractLane { dst: Slot, src: VSlot, lane: u32 } extract i64x2_extract_lane,
                I64x2ReplaceLane { dst: VSlot, src: Slot, lane: u32 } replace i64x2_replace_lane,
                F32x4ExtractLane { dst: Slot, src: VSlot, lane: u32 } extract f32x4_extract_lane,
                F32x4ReplaceLane { dst: VSlot, src: Slot, lane: u32 } replace f32x4_replace_lane,
                F64x2ExtractLane { dst: Slot, src: VSlot, lane: u32 } extract f64x2_extract_lane,
                F64x2ReplaceLane { dst: VSlot, src: Slot, lane: u32 } replace f64x2_replace_lane,
                I8x16Swizzle { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_swizzle,
                I8x16Splat { dst: VSlot, src: Slot } splat i8x16_splat,
                I16x8Splat { dst: VSlot, src: Slot } splat i16x8_splat,
                I32x4Splat { dst: VSlot, src: Slot } splat i32x4_splat,
                I64x2Splat { dst: VSlot, src: Slot } splat i64x2_splat,
                F32x4Splat { dst: VSlot, src: Slot } splat f32x4_splat,
                F64x2Splat { dst: VSlot, src: Slot } splat f64x2_splat,
                I8x16Eq { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_eq,
                I8x16Ne { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_ne,
                I8x16LtS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_lt_s,
                I8x16LtU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_lt_u,
                I8x16GtS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_gt_s,
                I8x16GtU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_gt_u,
                I8x16LeS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_le_s,
                I8x16LeU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_le_u,
                I8x16GeS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_ge_s,
                I8x16GeU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_ge_u,
                I16x8Eq { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_eq,
                I16x8Ne { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_ne,
                I16x8LtS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_lt_s,
                I16x8LtU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_lt_u,
                I16x8GtS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_gt_s,
                I16x8GtU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_gt_u,
                I16x8LeS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_le_s,
                I16x8LeU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_le_u,
                I16x8GeS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_ge_s,
                I16x8GeU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_ge_u,
                I32x4Eq { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_eq,
                I32x4Ne { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_ne,
                I32x4LtS { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_lt_s,
                I32x4LtU { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_lt_u,
                I32x4GtS { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_gt_s,
                I32x4GtU { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_gt_u,
                I32x4LeS { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_le_s,
                I32x4LeU { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_le_u,
                I32x4GeS { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_ge_s,
                I32x4GeU { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_ge_u,
                I64x2Eq { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_eq,
                I64x2Ne { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_ne,
                I64x2LtS { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_lt_s,
                I64x2GtS { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_gt_s,
                I64x2LeS { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_le_s,
                I64x2GeS { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_ge_s,
                F32x4Eq { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_eq,
                F32x4Ne { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_ne,
                F32x4Lt { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_lt,
                F32x4Gt { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_gt,
                F32x4Le { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_le,
                F32x4Ge { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_ge,
                F64x2Eq { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_eq,
                F64x2Ne { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_ne,
                F64x2Lt { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_lt,
                F64x2Gt { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_gt,
                F64x2Le { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_le,
                F64x2Ge { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_ge,
                V128Not { dst: VSlot, src: VSlot } unary v128_not,
                V128And { dst: VSlot, a: VSlot, b: VSlot } binary v128_and,
                V128AndNot { dst: VSlot, a: VSlot, b: VSlot } binary v128_andnot,
                V128Or { dst: VSlot, a: VSlot, b: VSlot } binary v128_or,
                V128Xor { dst: VSlot, a: VSlot, b: VSlot } binary v128_xor,
                V128Bitselect { dst: VSlot, b: VSlot, c: VSlot } ternary v128_bitselect,
                V128AnyTrue { dst: Slot, src: VSlot } test v128_any_true,
                I8x16Abs { dst: VSlot, src: VSlot } unary i8x16_abs,
                I8x16Neg { dst: VSlot, src: VSlot } unary i8x16_neg,
                I8x16Popcnt { dst: VSlot, src: VSlot } unary i8x16_popcnt,
                I8x16AllTrue { dst: Slot, src: VSlot } test i8x16_all_true,
                I8x16Bitmask { dst: Slot, src: VSlot } test i8x16_bitmask,
                I8x16NarrowI16x8S { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_narrow_i16x8_s,
                I8x16NarrowI16x8U { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_narrow_i16x8_u,
                I8x16Shl { dst: VSlot, a: VSlot, b: Slot } shift i8x16_shl,
                I8x16ShrS { dst: VSlot, a: VSlot, b: Slot } shift i8x16_shr_s,
                I8x16ShrU { dst: VSlot, a: VSlot, b: Slot } shift i8x16_shr_u,
                I8x16Add { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_add,
                I8x16AddSatS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_add_sat_s,
                I8x16AddSatU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_add_sat_u,
                I8x16Sub { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_sub,
                I8x16SubSatS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_sub_sat_s,
                I8x16SubSatU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_sub_sat_u,
                I8x16MinS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_min_s,
                I8x16MinU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_min_u,
                I8x16MaxS { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_max_s,
                I8x16MaxU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_max_u,
                I8x16AvgrU { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_avgr_u,
                I16x8ExtAddPairwiseI8x16S { dst: VSlot, src: VSlot } unary i16x8_extadd_pairwise_i8x16_s,
                I16x8ExtAddPairwiseI8x16U { dst: VSlot, src: VSlot } unary i16x8_extadd_pairwise_i8x16_u,
                I16x8Abs { dst: VSlot, src: VSlot } unary i16x8_abs,
                I16x8Neg { dst: VSlot, src: VSlot } unary i16x8_neg,
                I16x8Q15MulrSatS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_q15mulr_sat_s,
                I16x8AllTrue { dst: Slot, src: VSlot } test i16x8_all_true,
                I16x8Bitmask { dst: Slot, src: VSlot } test i16x8_bitmask,
                I16x8NarrowI32x4S { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_narrow_i32x4_s,
                I16x8NarrowI32x4U { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_narrow_i32x4_u,
                I16x8ExtendLowI8x16S { dst: VSlot, src: VSlot } unary i16x8_extend_low_i8x16_s,
                I16x8ExtendHighI8x16S { dst: VSlot, src: VSlot } unary i16x8_extend_high_i8x16_s,
                I16x8ExtendLowI8x16U { dst: VSlot, src: VSlot } unary i16x8_extend_low_i8x16_u,
                I16x8ExtendHighI8x16U { dst: VSlot, src: VSlot } unary i16x8_extend_high_i8x16_u,
                I16x8Shl { dst: VSlot, a: VSlot, b: Slot } shift i16x8_shl,
                I16x8ShrS { dst: VSlot, a: VSlot, b: Slot } shift i16x8_shr_s,
                I16x8ShrU { dst: VSlot, a: VSlot, b: Slot } shift i16x8_shr_u,
                I16x8Add { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_add,
                I16x8AddSatS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_add_sat_s,
                I16x8AddSatU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_add_sat_u,
                I16x8Sub { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_sub,
                I16x8SubSatS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_sub_sat_s,
                I16x8SubSatU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_sub_sat_u,
                I16x8Mul { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_mul,
                I16x8MinS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_min_s,
                I16x8MinU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_min_u,
                I16x8MaxS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_max_s,
                I16x8MaxU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_max_u,
                I16x8AvgrU { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_avgr_u,
                I16x8ExtMulLowI8x16S { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_extmul_low_i8x16_s,
                I16x8ExtMulHighI8x16S { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_extmul_high_i8x16_s,
                I16x8ExtMulLowI8x16U { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_extmul_low_i8x16_u,
                I16x8ExtMulHighI8x16U { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_extmul_high_i8x16_u,
                I32x4ExtAddPairwiseI16x8S { dst: VSlot, src: VSlot } unary i32x4_extadd_pairwise_i16x8_s,
                I32x4ExtAddPairwiseI16x8U { dst: VSlot, src: VSlot } unary i32x4_extadd_pairwise_i16x8_u,
                I32x4Abs { dst: VSlot, src: VSlot } unary i32x4_abs,
                I32x4Neg { dst: VSlot, src: VSlot } unary i32x4_neg,
                I32x4AllTrue { dst: Slot, src: VSlot } test i32x4_all_true,
                I32x4Bitmask { dst: Slot, src: VSlot } test i32x4_bitmask,
                I32x4ExtendLowI16x8S { dst: VSlot, src: VSlot } unary i32x4_extend_low_i16x8_s,
                I32x4ExtendHighI16x8S { dst: VSlot, src: VSlot } unary i32x4_extend_high_i16x8_s,
                I32x4ExtendLowI16x8U { dst: VSlot, src: VSlot } unary i32x4_extend_low_i16x8_u,
                I32x4ExtendHighI16x8U { dst: VSlot, src: VSlot } unary i32x4_extend_high_i16x8_u,
                I32x4Shl { dst: VSlot, a: VSlot, b: Slot } shift i32x4_shl,
                I32x4ShrS { dst: VSlot, a: VSlot, b: Slot } shift i32x4_shr_s,
                I32x4ShrU { dst: VSlot, a: VSlot, b: Slot } shift i32x4_shr_u,
                I32x4Add { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_add,
                I32x4Sub { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_sub,
                I32x4Mul { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_mul,
                I32x4MinS { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_min_s,
                I32x4MinU { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_min_u,
                I32x4MaxS { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_max_s,
                I32x4MaxU { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_max_u,
                I32x4DotI16x8S { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_dot_i16x8_s,
                I32x4ExtMulLowI16x8S { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_extmul_low_i16x8_s,
                I32x4ExtMulHighI16x8S { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_extmul_high_i16x8_s,
                I32x4ExtMulLowI16x8U { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_extmul_low_i16x8_u,
                I32x4ExtMulHighI16x8U { dst: VSlot, a: VSlot, b: VSlot } binary i32x4_extmul_high_i16x8_u,
                I64x2Abs { dst: VSlot, src: VSlot } unary i64x2_abs,
                I64x2Neg { dst: VSlot, src: VSlot } unary i64x2_neg,
                I64x2AllTrue { dst: Slot, src: VSlot } test i64x2_all_true,
                I64x2Bitmask { dst: Slot, src: VSlot } test i64x2_bitmask,
                I64x2ExtendLowI32x4S { dst: VSlot, src: VSlot } unary i64x2_extend_low_i32x4_s,
                I64x2ExtendHighI32x4S { dst: VSlot, src: VSlot } unary i64x2_extend_high_i32x4_s,
                I64x2ExtendLowI32x4U { dst: VSlot, src: VSlot } unary i64x2_extend_low_i32x4_u,
                I64x2ExtendHighI32x4U { dst: VSlot, src: VSlot } unary i64x2_extend_high_i32x4_u,
                I64x2Shl { dst: VSlot, a: VSlot, b: Slot } shift i64x2_shl,
                I64x2ShrS { dst: VSlot, a: VSlot, b: Slot } shift i64x2_shr_s,
                I64x2ShrU { dst: VSlot, a: VSlot, b: Slot } shift i64x2_shr_u,
                I64x2Add { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_add,
                I64x2Sub { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_sub,
                I64x2Mul { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_mul,
                I64x2ExtMulLowI32x4S { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_extmul_low_i32x4_s,
                I64x2ExtMulHighI32x4S { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_extmul_high_i32x4_s,
                I64x2ExtMulLowI32x4U { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_extmul_low_i32x4_u,
                I64x2ExtMulHighI32x4U { dst: VSlot, a: VSlot, b: VSlot } binary i64x2_extmul_high_i32x4_u,
                F32x4Ceil { dst: VSlot, src: VSlot } unary f32x4_ceil,
                F32x4Floor { dst: VSlot, src: VSlot } unary f32x4_floor,
                F32x4Trunc { dst: VSlot, src: VSlot } unary f32x4_trunc,
                F32x4Nearest { dst: VSlot, src: VSlot } unary f32x4_nearest,
                F32x4Abs { dst: VSlot, src: VSlot } unary f32x4_abs,
                F32x4Neg { dst: VSlot, src: VSlot } unary f32x4_neg,
                F32x4Sqrt { dst: VSlot, src: VSlot } unary f32x4_sqrt,
                F32x4Add { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_add,
                F32x4Sub { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_sub,
                F32x4Mul { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_mul,
                F32x4Div { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_div,
                F32x4Min { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_min,
                F32x4Max { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_max,
                F32x4PMin { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_pmin,
                F32x4PMax { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_pmax,
                F64x2Ceil { dst: VSlot, src: VSlot } unary f64x2_ceil,
                F64x2Floor { dst: VSlot, src: VSlot } unary f64x2_floor,
                F64x2Trunc { dst: VSlot, src: VSlot } unary f64x2_trunc,
                F64x2Nearest { dst: VSlot, src: VSlot } unary f64x2_nearest,
                F64x2Abs { dst: VSlot, src: VSlot } unary f64x2_abs,
                F64x2Neg { dst: VSlot, src: VSlot } unary f64x2_neg,
                F64x2Sqrt { dst: VSlot, src: VSlot } unary f64x2_sqrt,
                F64x2Add { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_add,
                F64x2Sub { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_sub,
                F64x2Mul { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_mul,
                F64x2Div { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_div,
                F64x2Min { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_min,
                F64x2Max { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_max,
                F64x2PMin { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_pmin,
                F64x2PMax { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_pmax,
                I32x4TruncSatF32x4S { dst: VSlot, src: VSlot } unary i32x4_trunc_sat_f32x4_s,
                I32x4TruncSatF32x4U { dst: VSlot, src: VSlot } unary i32x4_trunc_sat_f32x4_u,
                F32x4ConvertI32x4S { dst: VSlot, src: VSlot } unary f32x4_convert_i32x4_s,
                F32x4ConvertI32x4U { dst: VSlot, src: VSlot } unary f32x4_convert_i32x4_u,
                I32x4TruncSatF64x2SZero { dst: VSlot, src: VSlot } unary i32x4_trunc_sat_f64x2_s_zero,
                I32x4TruncSatF64x2UZero { dst: VSlot, src: VSlot } unary i32x4_trunc_sat_f64x2_u_zero,
                F64x2ConvertLowI32x4S { dst: VSlot, src: VSlot } unary f64x2_convert_low_i32x4_s,
                F64x2ConvertLowI32x4U { dst: VSlot, src: VSlot } unary f64x2_convert_low_i32x4_u,
                F32x4DemoteF64x2Zero { dst: VSlot, src: VSlot } unary f32x4_demote_f64x2_zero,
                F64x2PromoteLowF32x4 { dst: VSlot, src: VSlot } unary f64x2_promote_low_f32x4,
                I8x16RelaxedSwizzle { dst: VSlot, a: VSlot, b: VSlot } binary i8x16_relaxed_swizzle,
                I32x4RelaxedTruncF32x4S { dst: VSlot, src: VSlot } unary i32x4_relaxed_trunc_f32x4_s,
                I32x4RelaxedTruncF32x4U { dst: VSlot, src: VSlot } unary i32x4_relaxed_trunc_f32x4_u,
                I32x4RelaxedTruncF64x2SZero { dst: VSlot, src: VSlot } unary i32x4_relaxed_trunc_f64x2_s_zero,
                I32x4RelaxedTruncF64x2UZero { dst: VSlot, src: VSlot } unary i32x4_relaxed_trunc_f64x2_u_zero,
                F32x4RelaxedMadd { dst: VSlot, b: VSlot, c: VSlot } ternary f32x4_relaxed_madd,
                F32x4RelaxedNmadd { dst: VSlot, b: VSlot, c: VSlot } ternary f32x4_relaxed_nmadd,
                F64x2RelaxedMadd { dst: VSlot, b: VSlot, c: VSlot } ternary f64x2_relaxed_madd,
                F64x2RelaxedNmadd { dst: VSlot, b: VSlot, c: VSlot } ternary f64x2_relaxed_nmadd,
                I8x16RelaxedLaneselect { dst: VSlot, b: VSlot, c: VSlot } ternary i8x16_relaxed_laneselect,
                I16x8RelaxedLaneselect { dst: VSlot, b: VSlot, c: VSlot } ternary i16x8_relaxed_laneselect,
                I32x4RelaxedLaneselect { dst: VSlot, b: VSlot, c: VSlot } ternary i32x4_relaxed_laneselect,
                I64x2RelaxedLaneselect { dst: VSlot, b: VSlot, c: VSlot } ternary i64x2_relaxed_laneselect,
                F32x4RelaxedMin { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_relaxed_min,
                F32x4RelaxedMax { dst: VSlot, a: VSlot, b: VSlot } binary f32x4_relaxed_max,
                F64x2RelaxedMin { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_relaxed_min,
                F64x2RelaxedMax { dst: VSlot, a: VSlot, b: VSlot } binary f64x2_relaxed_max,
                I16x8RelaxedQ15mulrS { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_relaxed_q15mulr_s,
                I16x8RelaxedDotI8x16I7x16S { dst: VSlot, a: VSlot, b: VSlot } binary i16x8_relaxed_dot_i8x16_i7x16_s,
                I32x4RelaxedDotI8x16I7x16AddS { dst: VSlot, b: VSlot, c: VSlot } ternary i32x4_relaxed_dot_i8x16_i7x16_add_s
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
        load { $( $lname:ident / $lmname:ident / $laname:ident ($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident / $smname:ident / $saname:ident / $svname:ident ($sty:ty) ),* $(,)? }
        unary { $( $uname:ident / $uaname:ident ($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident / $utaname:ident ($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident / $biname:ident / $baname:ident / $bianame:ident / $bbname:ident ($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident / $btiname:ident / $btaname:ident / $btianame:ident ($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
        branch_cmp { $( $cname:ident / $ciname:ident / $caname:ident / $cianame:ident ($cin:ident, $cf:ident) if $cfrom:ident / $cifrom:ident else $cnot:ident / $cinot:ident ),* $(,)? }
        step_cmp { $( $stname:ident / $stiname:ident ($stin:ident, $stf:ident) after $stadd:ident then $stbr:ident / $stibr:ident ),* $(,)? }
        simd { $( $simdname:ident { $($sfield:ident : $sfty:ident),* } $sshape:ident $sf:ident ),* $(,)? }
    ) => {
        /// One instruction; see the [module docs](self) and [`for_each_op!`].
        ///
        /// `repr(u16)`: the first two bytes are the tag, the variant's index in declaration
        /// order, which the executor uses to find the instruction's handler.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u16)]
        pub(crate) enum Instr {
            $( $(#[$doc])* $name $({ $($field: $fty),* })?, )*
            $(
                #[doc = concat!("`dst = ` the ", stringify!($lraw), " at `addr + offset` of memory 0.")]
                $lname { dst: Slot, addr: Slot, offset: u32 },
                #[doc = concat!("`dst = ` the ", stringify!($lraw), " at `addr + offset`, `(memory, offset) = memargs[memarg]`.")]
                $lmname { dst: Slot, addr: Slot, memarg: u32 },
                #[doc = concat!("`", stringify!($lname), "` reading `addr` from the accumulator.")]
                $laname { dst: Slot, addr: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("Store `value` as ", stringify!($sty), " at `addr + offset` of memory 0.")]
                $sname { addr: Slot, value: Slot, offset: u32 },
                #[doc = concat!("Store `value` as ", stringify!($sty), " at `addr + offset`, `(memory, offset) = memargs[memarg]`.")]
                $smname { addr: Slot, value: Slot, memarg: u32 },
                #[doc = concat!("`", stringify!($sname), "` reading `addr` from the accumulator.")]
                $saname { addr: Slot, value: Slot, offset: u32 },
                #[doc = concat!("`", stringify!($sname), "` reading `value` from the accumulator.")]
                $svname { addr: Slot, value: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($uf), "(src)`")]
                $uname { dst: Slot, src: Slot },
                #[doc = concat!("`", stringify!($uname), "` reading `src` from the accumulator.")]
                $uaname { dst: Slot, src: Slot },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($utf), "(src)` (may trap)")]
                $utname { dst: Slot, src: Slot },
                #[doc = concat!("`", stringify!($utname), "` reading `src` from the accumulator.")]
                $utaname { dst: Slot, src: Slot },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($bf), "(a, b)`")]
                $bname { dst: Slot, a: Slot, b: Slot },
                #[doc = concat!("`dst = ", stringify!($bf), "(a, imm)`")]
                $biname { dst: Slot, a: Slot, imm: u32 },
                #[doc = concat!("`", stringify!($bname), "` reading `a` from the accumulator.")]
                $baname { dst: Slot, a: Slot, b: Slot },
                #[doc = concat!("`", stringify!($biname), "` reading `a` from the accumulator.")]
                $bianame { dst: Slot, a: Slot, imm: u32 },
                #[doc = concat!("`", stringify!($bname), "` reading `b` from the accumulator.")]
                $bbname { dst: Slot, a: Slot, b: Slot },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($btf), "(a, b)` (may trap)")]
                $btname { dst: Slot, a: Slot, b: Slot },
                #[doc = concat!("`dst = ", stringify!($btf), "(a, imm)` (may trap)")]
                $btiname { dst: Slot, a: Slot, imm: u32 },
                #[doc = concat!("`", stringify!($btname), "` reading `a` from the accumulator.")]
                $btaname { dst: Slot, a: Slot, b: Slot },
                #[doc = concat!("`", stringify!($btiname), "` reading `a` from the accumulator.")]
                $btianame { dst: Slot, a: Slot, imm: u32 },
            )*
            $(
                #[doc = concat!("Jump to `target` if `", stringify!($cf), "(a, b)`")]
                $cname { a: Slot, b: Slot, target: u32 },
                #[doc = concat!("Jump to `target` if `", stringify!($cf), "(a, imm)`")]
                $ciname { a: Slot, imm: u32, target: u32 },
                #[doc = concat!("`", stringify!($cname), "` reading `a` from the accumulator.")]
                $caname { a: Slot, b: Slot, target: u32 },
                #[doc = concat!("`", stringify!($ciname), "` reading `a` from the accumulator.")]
                $cianame { a: Slot, imm: u32, target: u32 },
            )*
            $(
                #[doc = concat!("`x += step`, then jump to `target` if `", stringify!($stf), "(x, b)`")]
                $stname { step: Step, b: Slot, target: u32 },
                #[doc = concat!("`x += step`, then jump to `target` if `", stringify!($stf), "(x, imm)`")]
                $stiname { step: Step, imm: u32, target: u32 },
            )*
            $(
                #[doc = concat!("SIMD: `exec::simd::", stringify!($sf), "` (", stringify!($sshape), ").")]
                $simdname { $($sfield: $sfty),* },
            )*
        }

        /// One instruction of every variant, in declaration order: the one at index `k`
        /// has tag `k` (the [`KINDS`] table is built from them, and tests use them).
        pub(crate) const ONE_OF_EACH: &[Instr] = &[
            $( Instr::$name $({ $($field: <$fty as Zero>::ZERO),* })?, )*
            $(
                Instr::$lname { dst: 0, addr: 0, offset: 0 },
                Instr::$lmname { dst: 0, addr: 0, memarg: 0 },
                Instr::$laname { dst: 0, addr: 0, offset: 0 },
            )*
            $(
                Instr::$sname { addr: 0, value: 0, offset: 0 },
                Instr::$smname { addr: 0, value: 0, memarg: 0 },
                Instr::$saname { addr: 0, value: 0, offset: 0 },
                Instr::$svname { addr: 0, value: 0, offset: 0 },
            )*
            $( Instr::$uname { dst: 0, src: 0 }, Instr::$uaname { dst: 0, src: 0 }, )*
            $( Instr::$utname { dst: 0, src: 0 }, Instr::$utaname { dst: 0, src: 0 }, )*
            $(
                Instr::$bname { dst: 0, a: 0, b: 0 },
                Instr::$biname { dst: 0, a: 0, imm: 0 },
                Instr::$baname { dst: 0, a: 0, b: 0 },
                Instr::$bianame { dst: 0, a: 0, imm: 0 },
                Instr::$bbname { dst: 0, a: 0, b: 0 },
            )*
            $(
                Instr::$btname { dst: 0, a: 0, b: 0 },
                Instr::$btiname { dst: 0, a: 0, imm: 0 },
                Instr::$btaname { dst: 0, a: 0, b: 0 },
                Instr::$btianame { dst: 0, a: 0, imm: 0 },
            )*
            $(
                Instr::$cname { a: 0, b: 0, target: 0 },
                Instr::$ciname { a: 0, imm: 0, target: 0 },
                Instr::$caname { a: 0, b: 0, target: 0 },
                Instr::$cianame { a: 0, imm: 0, target: 0 },
            )*
            $(
                Instr::$stname { step: Step::ZERO, b: 0, target: 0 },
                Instr::$stiname { step: Step::ZERO, imm: 0, target: 0 },
            )*
            $( Instr::$simdname { $($sfield: <$sfty as Zero>::ZERO),* }, )*
        ];

        impl Instr {
            /// The slot this instruction writes its one result to, if it may be moved
            /// elsewhere (a `local.set` folded into it): every operand is read before the
            /// result is written.
            #[inline(always)]
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
                if !self.kind().has_dst() {
                    return None;
                }
                self.dst_field()
            }

            /// [`dst_mut`](Self::dst_mut) by a `match` (which [`Kind`] is built from).
            const fn dst_field(&mut self) -> Option<&mut Slot> {
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
                    | Instr::I32XorShlImmA { dst, .. }
                    | Instr::I32XorShrUImmA { dst, .. }
                    | Instr::I64XorShlImmA { dst, .. }
                    | Instr::I64XorShrUImmA { dst, .. }
                    | Instr::GlobalGet { dst, .. }
                    | Instr::GlobalI32AddImm { dst, .. }
                    | Instr::GlobalI64AddImm { dst, .. }
                    | Instr::RefIsNull { dst, .. }
                    | Instr::RefFunc { dst, .. }
                    | Instr::MemorySize { dst, .. }
                    | Instr::TableSize { dst, .. }
                    | Instr::I32DivUConst { dst, .. }
                    | Instr::I32RemUConst { dst, .. }
                    | Instr::I64DivUConst { dst, .. }
                    | Instr::I64RemUConst { dst, .. }
                    | Instr::I32DivUConstA { dst, .. }
                    | Instr::I32RemUConstA { dst, .. }
                    | Instr::I64DivUConstA { dst, .. }
                    | Instr::I64RemUConstA { dst, .. } => Some(dst),
                    $( Instr::$lname { dst, .. } | Instr::$lmname { dst, .. } | Instr::$laname { dst, .. } => Some(dst), )*
                    $( Instr::$uname { dst, .. } | Instr::$uaname { dst, .. } => Some(dst), )*
                    $( Instr::$utname { dst, .. } | Instr::$utaname { dst, .. } => Some(dst), )*
                    $(
                        Instr::$bname { dst, .. }
                        | Instr::$biname { dst, .. }
                        | Instr::$baname { dst, .. }
                        | Instr::$bianame { dst, .. }
                        | Instr::$bbname { dst, .. } => Some(dst),
                    )*
                    $(
                        Instr::$btname { dst, .. }
                        | Instr::$btiname { dst, .. }
                        | Instr::$btaname { dst, .. }
                        | Instr::$btianame { dst, .. } => Some(dst),
                    )*
                    _ => None,
                }
            }

            /// Moves every slot the instruction names directly (its `Slot` fields and the
            /// halves of its `SlotPair` and `Step` fields) and every [`Home`] where `p`
            /// puts it. Returns whether every slot named directly is then below `max` and
            /// every half still fits its 16 bits (a half that does not keeps its old
            /// value). (Not a closure: the hundreds of calls inline this way.)
            pub(crate) fn map_slots(&mut self, p: &Placement, max: u32) -> bool {
                // The `simd` group in a function of its own: with it, this one's frame
                // grew too large for a small thread's stack in an unoptimised build.
                if self.kind().is_simd() {
                    return self.map_simd_slots(p, max);
                }
                let mut fits = true;
                let mut m = Placer { p, max, below: true };
                /// Places slot `$s`.
                macro_rules! place {
                    ($s:expr) => {
                        m.slot($s)
                    };
                }
                /// Maps a field of type `$ty`, if it holds slots.
                macro_rules! map {
                    (Slot, $v:expr) => { *$v = place!(*$v) };
                    (VSlot, $v:expr) => { *$v = m.wide_slot(*$v) };
                    (Home, $v:expr) => { *$v = p.place(*$v) };
                    (SlotPair, $v:expr) => {
                        match SlotPair::fit(place!($v.a()), place!($v.b())) {
                            Some(pair) => *$v = pair,
                            None => fits = false,
                        }
                    };
                    (Step, $v:expr) => {
                        match Step::fit(place!($v.slot()), i32::from($v.step())) {
                            Some(step) => *$v = step,
                            None => fits = false,
                        }
                    };
                    ($other:ident, $v:expr) => {{ let _ = $v; }};
                }
                match self {
                    $( Instr::$name $({ $($field),* })? => { $($( map!($fty, $field); )*)? } )*
                    $(
                        Instr::$lname { dst, addr, .. }
                        | Instr::$lmname { dst, addr, .. }
                        | Instr::$laname { dst, addr, .. } => { map!(Slot, dst); map!(Slot, addr); }
                    )*
                    $(
                        Instr::$sname { addr, value, .. }
                        | Instr::$smname { addr, value, .. }
                        | Instr::$saname { addr, value, .. }
                        | Instr::$svname { addr, value, .. } => { map!(Slot, addr); map!(Slot, value); }
                    )*
                    $( Instr::$uname { dst, src } | Instr::$uaname { dst, src } => { map!(Slot, dst); map!(Slot, src); } )*
                    $( Instr::$utname { dst, src } | Instr::$utaname { dst, src } => { map!(Slot, dst); map!(Slot, src); } )*
                    $(
                        Instr::$bname { dst, a, b } | Instr::$baname { dst, a, b } | Instr::$bbname { dst, a, b } => {
                            map!(Slot, dst); map!(Slot, a); map!(Slot, b);
                        }
                        Instr::$biname { dst, a, .. } | Instr::$bianame { dst, a, .. } => { map!(Slot, dst); map!(Slot, a); }
                    )*
                    $(
                        Instr::$btname { dst, a, b } | Instr::$btaname { dst, a, b } => { map!(Slot, dst); map!(Slot, a); map!(Slot, b); }
                        Instr::$btiname { dst, a, .. } | Instr::$btianame { dst, a, .. } => { map!(Slot, dst); map!(Slot, a); }
                    )*
                    $(
                        Instr::$cname { a, b, .. } | Instr::$caname { a, b, .. } => { map!(Slot, a); map!(Slot, b); }
                        Instr::$ciname { a, .. } | Instr::$cianame { a, .. } => { map!(Slot, a); }
                    )*
                    $(
                        Instr::$stname { step, b, .. } => { map!(Step, step); map!(Slot, b); }
                        Instr::$stiname { step, .. } => { map!(Step, step); }
                    )*
                    // (The `simd` group: `map_simd_slots`.)
                    _ => {}
                }
                fits && m.below
            }

            /// [`map_slots`](Self::map_slots) of an instruction of the `simd` group.
            #[inline(never)]
            fn map_simd_slots(&mut self, p: &Placement, max: u32) -> bool {
                let mut m = Placer { p, max, below: true };
                /// Maps a field of type `$ty`, if it holds slots.
                macro_rules! map {
                    (Slot, $v:expr) => { *$v = m.slot(*$v) };
                    (VSlot, $v:expr) => { *$v = m.wide_slot(*$v) };
                    ($other:ident, $v:expr) => {{ let _ = $v; }};
                }
                match self {
                    $( Instr::$simdname { $($sfield),* } => { $( map!($sfty, $sfield); )* } )*
                    _ => {}
                }
                m.below
            }

            /// Whether the instruction is of the `simd` group.
            const fn simd_group(&self) -> bool {
                matches!(self, $( Instr::$simdname { .. } )|* )
            }

            /// Whether the executor counts the instruction against its budget of handlers
            /// run in a row: every instruction that may branch, call or return does, on
            /// every path (see `exec::run`), and so does `Check`. The others do not, and a
            /// body never has more than [`RUN_MAX`] of them in a row
            /// ([`CompiledFunc::place_and_check`]).
            #[inline(always)]
            pub(crate) const fn checks_budget(&self) -> bool {
                self.has_target()
                    || matches!(
                        self,
                        Instr::Unreachable
                            | Instr::Check
                            | Instr::BrTable { .. }
                            | Instr::Return { .. }
                            | Instr::Call { .. }
                            | Instr::CallIndirect { .. }
                            | Instr::ReturnCall { .. }
                            | Instr::ReturnCallIndirect { .. }
                            | Instr::CallRef { .. }
                            | Instr::ReturnCallRef { .. }
                            | Instr::Throw { .. }
                            | Instr::ThrowRef { .. }
                            | Instr::CallIndirect64 { .. }
                            | Instr::ReturnCallIndirect64 { .. }
                    )
            }

            /// The `base` of a call (plain, tail, through a table of either index type or
            /// a reference): the slot of its first argument. `None` for other instructions.
            /// The one list of the call instructions for the passes that place and check
            /// their arguments.
            pub(crate) fn call_base_mut(&mut self) -> Option<&mut Home> {
                match self {
                    Instr::Call { base, .. }
                    | Instr::CallIndirect { base, .. }
                    | Instr::CallIndirect64 { base, .. }
                    | Instr::CallRef { base, .. }
                    | Instr::ReturnCall { base, .. }
                    | Instr::ReturnCallIndirect { base, .. }
                    | Instr::ReturnCallIndirect64 { base, .. }
                    | Instr::ReturnCallRef { base, .. } => Some(base),
                    _ => None,
                }
            }

            /// Whether the instruction is a tail call (`return_call`, `return_call_indirect`
            /// through a table of either index type, `return_call_ref`).
            pub(crate) const fn is_tail_call(&self) -> bool {
                matches!(
                    self,
                    Instr::ReturnCall { .. }
                        | Instr::ReturnCallIndirect { .. }
                        | Instr::ReturnCallIndirect64 { .. }
                        | Instr::ReturnCallRef { .. }
                )
            }

            /// [`call_base_mut`](Self::call_base_mut), read.
            pub(crate) fn call_base(mut self) -> Option<Home> {
                self.call_base_mut().map(|b| *b)
            }

            /// Whether the instruction has a branch target (see [`Instr::target_mut`]).
            #[inline(always)]
            pub(crate) const fn has_target(&self) -> bool {
                let mut instr = *self;
                instr.target_field().is_some()
            }

            /// The branch target, for the instructions that have one. (Inlined: most
            /// instructions have none, and the passes ask every one.)
            #[inline(always)]
            pub(crate) fn target_mut(&mut self) -> Option<&mut u32> {
                if !self.kind().has_target() {
                    return None;
                }
                self.target_by_match()
            }

            /// [`target_field`](Self::target_field), out of line.
            #[inline(never)]
            fn target_by_match(&mut self) -> Option<&mut u32> {
                self.target_field()
            }

            /// [`target_mut`](Self::target_mut) by a `match` (inlined: a handler's
            /// `checks_budget` folds to a constant).
            #[inline(always)]
            const fn target_field(&mut self) -> Option<&mut u32> {
                match self {
                    Instr::Br { target }
                    | Instr::BrIfNez { target, .. }
                    | Instr::BrIfEqz { target, .. }
                    | Instr::BrIfNez64 { target, .. }
                    | Instr::BrIfEqz64 { target, .. }
                    | Instr::BrIfNezA { target, .. }
                    | Instr::BrIfEqzA { target, .. }
                    | Instr::BrIfNez64A { target, .. }
                    | Instr::BrIfEqz64A { target, .. } => Some(target),
                    $(
                        Instr::$cname { target, .. }
                        | Instr::$ciname { target, .. }
                        | Instr::$caname { target, .. }
                        | Instr::$cianame { target, .. } => Some(target),
                    )*
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

            /// `self` reading the slot `d` from the accumulator instead, where it has such
            /// a form: `d` is the result of the instruction before (see the
            /// [module docs](self#the-accumulator)). A commutative operator whose right
            /// operand is `d` swaps its operands first.
            #[inline(always)]
            pub(crate) fn with_acc(self, d: Slot) -> Option<Instr> {
                if !self.kind().may_take_acc() {
                    return None;
                }
                self.acc_form(d)
            }

            /// [`with_acc`](Self::with_acc) by a `match` (which [`Kind`] is built from).
            const fn acc_form(self, d: Slot) -> Option<Instr> {
                Some(match self {
                    Instr::BrIfNez { cond, target } if cond == d => Instr::BrIfNezA { cond, target },
                    Instr::BrIfEqz { cond, target } if cond == d => Instr::BrIfEqzA { cond, target },
                    Instr::BrIfNez64 { cond, target } if cond == d => Instr::BrIfNez64A { cond, target },
                    Instr::BrIfEqz64 { cond, target } if cond == d => Instr::BrIfEqz64A { cond, target },
                    Instr::I32XorShlImm { dst, a, imm } if a == d => Instr::I32XorShlImmA { dst, a, imm },
                    Instr::I32XorShrUImm { dst, a, imm } if a == d => Instr::I32XorShrUImmA { dst, a, imm },
                    Instr::I64XorShlImm { dst, a, imm } if a == d => Instr::I64XorShlImmA { dst, a, imm },
                    Instr::I64XorShrUImm { dst, a, imm } if a == d => Instr::I64XorShrUImmA { dst, a, imm },
                    $(
                        Instr::$lname { dst, addr, offset } if addr == d => Instr::$laname { dst, addr, offset },
                    )*
                    $(
                        Instr::$sname { addr, value, offset } if value == d => Instr::$svname { addr, value, offset },
                        Instr::$sname { addr, value, offset } if addr == d => Instr::$saname { addr, value, offset },
                    )*
                    $( Instr::$uname { dst, src } if src == d => Instr::$uaname { dst, src }, )*
                    $( Instr::$utname { dst, src } if src == d => Instr::$utaname { dst, src }, )*
                    $(
                        Instr::$bname { dst, a, b } if a == d => Instr::$baname { dst, a, b },
                        Instr::$bname { dst, a, b } if b == d && self.commutes() => Instr::$baname { dst, a: b, b: a },
                        Instr::$bname { dst, a, b } if b == d => Instr::$bbname { dst, a, b },
                        Instr::$biname { dst, a, imm } if a == d => Instr::$bianame { dst, a, imm },
                    )*
                    $(
                        Instr::$btname { dst, a, b } if a == d => Instr::$btaname { dst, a, b },
                        Instr::$btiname { dst, a, imm } if a == d => Instr::$btianame { dst, a, imm },
                    )*
                    $(
                        Instr::$cname { a, b, target } if a == d => Instr::$caname { a, b, target },
                        Instr::$cname { a, b, target } if b == d && self.commutes() => Instr::$caname { a: b, b: a, target },
                        Instr::$ciname { a, imm, target } if a == d => Instr::$cianame { a, imm, target },
                    )*
                    _ => return None,
                })
            }

            /// The slot an accumulator form reads from the accumulator (the `d` it was
            /// made for by [`with_acc`](Self::with_acc)); `None` for every other
            /// instruction.
            #[inline(always)]
            pub(crate) fn acc_operand(&self) -> Option<Slot> {
                if !self.kind().is_acc_form() {
                    return None;
                }
                self.acc_field()
            }

            /// [`acc_operand`](Self::acc_operand) by a `match` (which [`Kind`] is built
            /// from).
            const fn acc_field(&self) -> Option<Slot> {
                Some(match *self {
                    Instr::BrIfNezA { cond, .. }
                    | Instr::BrIfEqzA { cond, .. }
                    | Instr::BrIfNez64A { cond, .. }
                    | Instr::BrIfEqz64A { cond, .. } => cond,
                    Instr::I32XorShlImmA { a, .. }
                    | Instr::I32XorShrUImmA { a, .. }
                    | Instr::I64XorShlImmA { a, .. }
                    | Instr::I64XorShrUImmA { a, .. }
                    | Instr::I32DivUConstA { a, .. }
                    | Instr::I32RemUConstA { a, .. }
                    | Instr::I64DivUConstA { a, .. }
                    | Instr::I64RemUConstA { a, .. } => a,
                    $( Instr::$laname { addr, .. } => addr, )*
                    $(
                        Instr::$saname { addr, .. } => addr,
                        Instr::$svname { value, .. } => value,
                    )*
                    $( Instr::$uaname { src, .. } => src, )*
                    $( Instr::$utaname { src, .. } => src, )*
                    $( Instr::$baname { a, .. } | Instr::$bianame { a, .. } => a, )*
                    $( Instr::$bbname { b, .. } => b, )*
                    $( Instr::$btaname { a, .. } | Instr::$btianame { a, .. } => a, )*
                    $( Instr::$caname { a, .. } | Instr::$cianame { a, .. } => a, )*
                    _ => return None,
                })
            }

            /// `self`, an accumulator form, as the other form of the same operator that
            /// reads the same slot from the accumulator, if it has one: the `B` form of
            /// a commutative operator's `A` form (operands swapped back). The translator
            /// uses it where the same form would run twice in a row (see the
            /// [module docs](self#the-accumulator)).
            pub(crate) fn alternate(self) -> Option<Instr> {
                Some(match self {
                    $(
                        Instr::$baname { dst, a, b } if (Instr::$bname { dst, a, b }).commutes() => {
                            Instr::$bbname { dst, a: b, b: a }
                        }
                    )*
                    _ => return None,
                })
            }

            /// `self` with every operand read from its slot: the inverse of
            /// [`with_acc`](Self::with_acc) (up to the swap of commutative operands).
            #[cfg(test)]
            pub(crate) fn without_acc(self) -> Instr {
                match self {
                    Instr::BrIfNezA { cond, target } => Instr::BrIfNez { cond, target },
                    Instr::BrIfEqzA { cond, target } => Instr::BrIfEqz { cond, target },
                    Instr::BrIfNez64A { cond, target } => Instr::BrIfNez64 { cond, target },
                    Instr::BrIfEqz64A { cond, target } => Instr::BrIfEqz64 { cond, target },
                    Instr::I32XorShlImmA { dst, a, imm } => Instr::I32XorShlImm { dst, a, imm },
                    Instr::I32XorShrUImmA { dst, a, imm } => Instr::I32XorShrUImm { dst, a, imm },
                    Instr::I64XorShlImmA { dst, a, imm } => Instr::I64XorShlImm { dst, a, imm },
                    Instr::I64XorShrUImmA { dst, a, imm } => Instr::I64XorShrUImm { dst, a, imm },
                    Instr::I32DivUConstA { dst, a, k } => Instr::I32DivUConst { dst, a, k },
                    Instr::I32RemUConstA { dst, a, k } => Instr::I32RemUConst { dst, a, k },
                    Instr::I64DivUConstA { dst, a, k } => Instr::I64DivUConst { dst, a, k },
                    Instr::I64RemUConstA { dst, a, k } => Instr::I64RemUConst { dst, a, k },
                    $( Instr::$laname { dst, addr, offset } => Instr::$lname { dst, addr, offset }, )*
                    $(
                        Instr::$saname { addr, value, offset } | Instr::$svname { addr, value, offset } => {
                            Instr::$sname { addr, value, offset }
                        }
                    )*
                    $( Instr::$uaname { dst, src } => Instr::$uname { dst, src }, )*
                    $( Instr::$utaname { dst, src } => Instr::$utname { dst, src }, )*
                    $(
                        Instr::$baname { dst, a, b } => Instr::$bname { dst, a, b },
                        Instr::$bianame { dst, a, imm } => Instr::$biname { dst, a, imm },
                        Instr::$bbname { dst, a, b } => Instr::$bname { dst, a, b },
                    )*
                    $(
                        Instr::$btaname { dst, a, b } => Instr::$btname { dst, a, b },
                        Instr::$btianame { dst, a, imm } => Instr::$btiname { dst, a, imm },
                    )*
                    $(
                        Instr::$caname { a, b, target } => Instr::$cname { a, b, target },
                        Instr::$cianame { a, imm, target } => Instr::$ciname { a, imm, target },
                    )*
                    other => other,
                }
            }

            /// `self`, an unsigned division or remainder by a nonzero constant (`I64RemUImm`,
            /// `I32DivUImmA`…), as the form that multiplies instead (`I64RemUConst`…),
            /// its divisor at the index `intern` gives it in [`CompiledFunc::divisors`];
            /// `None` for any other instruction.
            pub(crate) fn by_constant(self, intern: impl FnOnce(Divisor) -> u32) -> Option<Instr> {
                let d32 = |imm: u32| Divisor::new(u64::from(<i32 as Imm>::from_imm(imm) as u32), 32);
                let d64 = |imm: u32| Divisor::new(<i64 as Imm>::from_imm(imm) as u64, 64);
                Some(match self {
                    Instr::I32DivUImm { dst, a, imm } => Instr::I32DivUConst { dst, a, k: intern(d32(imm)?) },
                    Instr::I32RemUImm { dst, a, imm } => Instr::I32RemUConst { dst, a, k: intern(d32(imm)?) },
                    Instr::I64DivUImm { dst, a, imm } => Instr::I64DivUConst { dst, a, k: intern(d64(imm)?) },
                    Instr::I64RemUImm { dst, a, imm } => Instr::I64RemUConst { dst, a, k: intern(d64(imm)?) },
                    Instr::I32DivUImmA { dst, a, imm } => Instr::I32DivUConstA { dst, a, k: intern(d32(imm)?) },
                    Instr::I32RemUImmA { dst, a, imm } => Instr::I32RemUConstA { dst, a, k: intern(d32(imm)?) },
                    Instr::I64DivUImmA { dst, a, imm } => Instr::I64DivUConstA { dst, a, k: intern(d64(imm)?) },
                    Instr::I64RemUImmA { dst, a, imm } => Instr::I64RemUConstA { dst, a, k: intern(d64(imm)?) },
                    _ => return None,
                })
            }

            /// Whether `self` is one of the forms [`by_constant`](Self::by_constant)
            /// changes.
            const fn divides_by_imm(&self) -> bool {
                matches!(
                    self,
                    Instr::I32DivUImm { .. }
                        | Instr::I32RemUImm { .. }
                        | Instr::I64DivUImm { .. }
                        | Instr::I64RemUImm { .. }
                        | Instr::I32DivUImmA { .. }
                        | Instr::I32RemUImmA { .. }
                        | Instr::I64DivUImmA { .. }
                        | Instr::I64RemUImmA { .. }
                )
            }

            /// The index into [`CompiledFunc::divisors`] of a division by a constant.
            #[inline(always)]
            pub(crate) fn divisor_mut(&mut self) -> Option<&mut u32> {
                if !self.kind().has_divisor() {
                    return None;
                }
                self.divisor_field()
            }

            /// [`divisor_mut`](Self::divisor_mut) by a `match` (which [`Kind`] is built
            /// from).
            const fn divisor_field(&mut self) -> Option<&mut u32> {
                match self {
                    Instr::I32DivUConst { k, .. }
                    | Instr::I32RemUConst { k, .. }
                    | Instr::I64DivUConst { k, .. }
                    | Instr::I64RemUConst { k, .. }
                    | Instr::I32DivUConstA { k, .. }
                    | Instr::I32RemUConstA { k, .. }
                    | Instr::I64DivUConstA { k, .. }
                    | Instr::I64RemUConstA { k, .. } => Some(k),
                    _ => None,
                }
            }

            /// `self` and `next`, two in-place additions of small constants to slots below
            /// 2^16 (`x += k`), or two copies (the second between slots below 2^16), as one
            /// instruction.
            pub(crate) fn fuse_in_place_adds(self, next: Instr) -> Option<Instr> {
                let step = |dst: Slot, a: Slot, imm: u32| if dst == a { Step::new(dst, imm as i32) } else { None };
                Some(match (self, next) {
                    (Instr::I32AddImm { dst, a, imm }, Instr::I32AddImm { dst: d2, a: a2, imm: i2 }) => {
                        Instr::I32AddImm2 { x: step(dst, a, imm)?, y: step(d2, a2, i2)? }
                    }
                    (Instr::I64AddImm { dst, a, imm }, Instr::I64AddImm { dst: d2, a: a2, imm: i2 }) => {
                        Instr::I64AddImm2 { x: step(dst, a, imm)?, y: step(d2, a2, i2)? }
                    }
                    (Instr::Copy { dst, src }, Instr::Copy { dst: d2, src: s2 }) => {
                        Instr::Copy2 { dst, src, then: SlotPair::new(d2, s2)? }
                    }
                    _ => return None,
                })
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

/// What the passes over the bytecode ask of an instruction's variant, a bit each, read
/// from a table ([`Instr::kind`]). Every pass asks some of these of every instruction
/// (and the accessors such as [`Instr::target_mut`] ask first); a `match` over the six
/// hundred variants compiles to an indirect jump, which mispredicts on mixed code
/// (a fifth of translation's mispredicted jumps, measured), where a table read does not
/// branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kind(u8);

impl Kind {
    const TARGET: u8 = 1 << 0;
    const BUDGET: u8 = 1 << 1;
    const DST: u8 = 1 << 2;
    const TAKES_ACC: u8 = 1 << 3;
    const ACC_FORM: u8 = 1 << 4;
    const DIVIDES_BY_IMM: u8 = 1 << 5;
    const DIVISOR: u8 = 1 << 6;
    const SIMD: u8 = 1 << 7;

    /// The kind of `instr`'s variant, from the accessors' `match`es. For the accumulator
    /// forms it asks whether `instr` has one for slot 0, so `instr`'s slots must be 0 (as
    /// in [`ONE_OF_EACH`], which the table is built from).
    pub(crate) const fn of(instr: &Instr) -> Kind {
        const fn bit(yes: bool, bit: u8) -> u8 {
            if yes { bit } else { 0 }
        }
        let mut x = *instr;
        let dst = x.dst_field().is_some();
        let divisor = x.divisor_field().is_some();
        Kind(
            bit(instr.has_target(), Kind::TARGET)
                | bit(instr.checks_budget(), Kind::BUDGET)
                | bit(dst, Kind::DST)
                | bit(instr.acc_form(0).is_some(), Kind::TAKES_ACC)
                | bit(instr.acc_field().is_some(), Kind::ACC_FORM)
                | bit(instr.divides_by_imm(), Kind::DIVIDES_BY_IMM)
                | bit(divisor, Kind::DIVISOR)
                | bit(instr.simd_group(), Kind::SIMD),
        )
    }
}

/// Places the slots of one instruction ([`Instr::map_slots`]), noting whether every one
/// is below `max`.
struct Placer<'a> {
    p: &'a Placement,
    max: u32,
    below: bool,
}

impl Placer<'_> {
    /// Slot `s` placed. Inlined in optimised builds (a closure here was kept out of line
    /// once SIMD's instructions added their calls: a call per slot in translation,
    /// measured); a call in unoptimised ones, whose frames would otherwise hold the
    /// locals of every inlined copy (too large a frame for a small thread's stack).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn slot(&mut self, s: Slot) -> Slot {
        let s = self.p.place(s);
        self.below &= s < self.max;
        s
    }

    /// The slot of a `v128` placed: both its cells below `max` (the second is `s + 1`,
    /// placed alike).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn wide_slot(&mut self, s: VSlot) -> VSlot {
        let s = self.p.place(s);
        self.below &= s.checked_add(1).is_some_and(|end| end < self.max);
        s
    }
}

/// Generates [`Kind`]'s questions, each a test of one bit.
macro_rules! kind_questions {
    ($( $(#[$doc:meta])* $vis:vis fn $name:ident = $bit:ident; )*) => {
        impl Kind {
            $(
                $(#[$doc])*
                #[inline(always)]
                $vis fn $name(self) -> bool {
                    self.0 & Kind::$bit != 0
                }
            )*
        }
    };
}

kind_questions! {
    /// [`Instr::has_target`].
    pub(crate) fn has_target = TARGET;
    /// [`Instr::checks_budget`].
    pub(crate) fn checks_budget = BUDGET;
    /// Whether [`Instr::dst_mut`] finds a slot.
    fn has_dst = DST;
    /// Whether [`Instr::with_acc`] may find an accumulator form.
    pub(crate) fn may_take_acc = TAKES_ACC;
    /// Whether [`Instr::acc_operand`] finds a slot.
    pub(crate) fn is_acc_form = ACC_FORM;
    /// Whether [`Instr::by_constant`] may change the instruction.
    pub(crate) fn divides_by_imm = DIVIDES_BY_IMM;
    /// Whether [`Instr::divisor_mut`] finds an index.
    fn has_divisor = DIVISOR;
    /// Whether the instruction is of the `simd` group.
    fn is_simd = SIMD;
}

/// The kind of every variant, by tag.
static KINDS: [Kind; ONE_OF_EACH.len()] = {
    let mut kinds = [Kind(0); ONE_OF_EACH.len()];
    let mut i = 0;
    while i < kinds.len() {
        kinds[i] = Kind::of(&ONE_OF_EACH[i]);
        i += 1;
    }
    kinds
};

/// Takes the value a `Discriminant` hashes: its enum's discriminant, which for `Instr`
/// (`repr(u16)`) is hashed as a `u16`.
struct TagReader(usize);

impl core::hash::Hasher for TagReader {
    fn write_u16(&mut self, tag: u16) {
        self.0 = usize::from(tag);
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not what a `u16` writes: left unread (`kind` then answers from the matches).
        let _ = bytes;
    }

    fn finish(&self) -> u64 {
        self.0 as u64
    }
}

impl Instr {
    /// The tag: the variant's index in declaration order (`repr(u16)`), which indexes the
    /// executor's handlers and [`KINDS`]. Read in safe code, through the `Hash` of the
    /// variant's `Discriminant`, which writes the discriminant, a `u16` here; optimised
    /// builds load the first two bytes. `tags_are_declaration_indices` checks it on every
    /// variant.
    #[inline(always)]
    pub(crate) fn tag(&self) -> usize {
        let mut reader = TagReader(usize::MAX);
        core::hash::Hash::hash(&core::mem::discriminant(self), &mut reader);
        reader.0
    }

    /// What the passes ask of this instruction's variant (see [`Kind`]).
    #[inline(always)]
    pub(crate) fn kind(&self) -> Kind {
        match KINDS.get(self.tag()) {
            Some(&kind) => kind,
            // Never: every tag indexes the table (see `tag`).
            None => self.kind_by_match(),
        }
    }

    /// [`Kind::of`] for any instruction: `with_acc` left to its `match`.
    #[cold]
    #[inline(never)]
    fn kind_by_match(&self) -> Kind {
        Kind(Kind::of(self).0 | Kind::TAKES_ACC)
    }
}

/// A placeholder value of each operand type, to build one instruction of every variant
/// ([`ONE_OF_EACH`]).
pub(crate) trait Zero {
    /// The value.
    const ZERO: Self;
}

impl Zero for u32 {
    const ZERO: u32 = 0;
}

impl Zero for u64 {
    const ZERO: u64 = 0;
}

impl Zero for Step {
    const ZERO: Step = Step(0);
}

impl Zero for SlotPair {
    const ZERO: SlotPair = SlotPair(0);
}

impl Instr {
    /// Whether swapping the two operands gives the same result: the integer operators
    /// and comparisons that commute. Float operators are left out: which NaN a float
    /// operator returns may depend on the operands' order.
    pub(crate) const fn commutes(&self) -> bool {
        matches!(
            self,
            Instr::I32Add { .. }
                | Instr::I32Mul { .. }
                | Instr::I32And { .. }
                | Instr::I32Or { .. }
                | Instr::I32Xor { .. }
                | Instr::I32Eq { .. }
                | Instr::I32Ne { .. }
                | Instr::I64Add { .. }
                | Instr::I64Mul { .. }
                | Instr::I64And { .. }
                | Instr::I64Or { .. }
                | Instr::I64Xor { .. }
                | Instr::I64Eq { .. }
                | Instr::I64Ne { .. }
                | Instr::BrI32Eq { .. }
                | Instr::BrI32Ne { .. }
                | Instr::BrI64Eq { .. }
                | Instr::BrI64Ne { .. }
        )
    }
}

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

/// A `try_table`'s body in a [`Handlers`] table: the instructions `start..end`, and its
/// catch clauses `catches[first..first + len]`, tried in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TryRange {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) first: u32,
    pub(crate) len: u32,
}

/// A catch clause of a [`TryRange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CatchClause {
    /// The instance's tag it catches, or [`CatchClause::ALL`].
    pub(crate) tag: u32,
    /// Whether the `exnref` follows the payload (`catch_ref`, `catch_all_ref`).
    pub(crate) with_ref: bool,
    /// Its label: entry `entry` of `br_tables` (`target`, and `n` cells from slot `to`).
    pub(crate) entry: u32,
}

impl CatchClause {
    /// The `tag` of `catch_all` and `catch_all_ref`.
    pub(crate) const ALL: u32 = u32::MAX;
}

/// A function's `try_table`s (see [exceptions](self#exceptions)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Handlers {
    /// Innermost first.
    pub(crate) ranges: Box<[TryRange]>,
    pub(crate) catches: Box<[CatchClause]>,
}

impl Handlers {
    /// The first clause catching an exception of `tag` (`is_tag` says whether an
    /// instance's tag index is it) thrown at instruction `pc`, in the first range that
    /// holds `pc` and has one.
    pub(crate) fn find(&self, pc: u32, is_tag: impl Fn(u32) -> bool) -> Option<CatchClause> {
        self.ranges
            .iter()
            .filter(|r| r.start <= pc && pc < r.end)
            .find_map(|r| {
                let first = r.first as usize;
                let clauses = self
                    .catches
                    .get(first..first.checked_add(r.len as usize)?)?;
                clauses
                    .iter()
                    .find(|c| c.tag == CatchClause::ALL || is_tag(c.tag))
                    .copied()
            })
    }
}

/// The memory and offset of a load or store that does not fit the inline form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemArg {
    /// Memory index (of the instance).
    pub(crate) memory: u32,
    /// Static offset.
    pub(crate) offset: u64,
}

/// An unsigned divisor known at translation time, prepared so that dividing by it takes
/// a multiply, an add and two shifts instead of a divide (T. Granlund and P. Montgomery,
/// "Division by invariant integers using multiplication", PLDI 1994, section 4): for
/// `N`-bit division by `d >= 1`, with `l = ceil(log2 d)` and
/// `m = floor(2^N (2^l - d) / d) + 1` (below `2^N`), the quotient of any `N`-bit `n` is
/// `(t + ((n - t) >> min(l, 1))) >> max(l - 1, 0)` where `t = (m * n) >> N`. Division is
/// slow everywhere and a library call on cores without a divider (64-bit division on
/// 32-bit Arm, every division on Cortex-M0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Divisor {
    d: u64,
    m: u64,
    sh1: u8,
    sh2: u8,
}

impl Divisor {
    /// The divisor `d` of `bits`-bit division (32 or 64); `None` for 0 (which traps) and
    /// for a `d` that does not fit `bits`.
    pub(crate) fn new(d: u64, bits: u32) -> Option<Divisor> {
        if d == 0 || (bits == 32 && d > u64::from(u32::MAX)) || !(bits == 32 || bits == 64) {
            return None;
        }
        // ceil(log2 d): 0 for 1, 64 above 2^63.
        let l = 64 - (d - 1).leading_zeros();
        let m = (1u128 << bits) * ((1u128 << l) - u128::from(d)) / u128::from(d) + 1;
        Some(Divisor {
            d,
            // Below 2^bits: `2^l - d < d`.
            m: m as u64,
            sh1: l.min(1) as u8,
            sh2: l.saturating_sub(1) as u8,
        })
    }

    /// The divisor.
    pub(crate) fn d(&self) -> u64 {
        self.d
    }

    /// `n / d` for a 64-bit divisor.
    #[inline(always)]
    pub(crate) fn quotient64(&self, n: u64) -> u64 {
        let t = ((u128::from(n) * u128::from(self.m)) >> 64) as u64;
        // `t <= n`, so neither the subtraction nor the sum (at most `n`) overflows.
        (t + ((n - t) >> self.sh1)) >> self.sh2
    }

    /// `n / d` for a 32-bit divisor.
    #[inline(always)]
    pub(crate) fn quotient32(&self, n: u32) -> u32 {
        let t = ((u64::from(n) * self.m) >> 32) as u32;
        (t + ((n - t) >> self.sh1)) >> self.sh2
    }

    /// `n % d` for a 64-bit divisor.
    #[inline(always)]
    pub(crate) fn remainder64(&self, n: u64) -> u64 {
        // `quotient * d <= n`.
        n - self.quotient64(n) * self.d
    }

    /// `n % d` for a 32-bit divisor (`d` fits 32 bits: `new`).
    #[inline(always)]
    pub(crate) fn remainder32(&self, n: u32) -> u32 {
        n - self.quotient32(n) * self.d as u32
    }
}

/// A translated function body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompiledFunc {
    /// The instructions; the last one never falls through (see [`place_and_check`](Self::place_and_check)).
    pub(crate) code: Box<[Instr]>,
    /// Fuel cost of each instruction (see the [module docs](self#fuel)).
    pub(crate) fuel: Box<[u8]>,
    /// Targets of every `br_table`, each instruction's run of entries default last, and
    /// the labels of catch clauses (see [exceptions](self#exceptions)).
    pub(crate) br_tables: Box<[BrTableEntry]>,
    /// Operands of the `…M` loads and stores.
    pub(crate) memargs: Box<[MemArg]>,
    /// Divisors of the divisions by constants (`I64RemUConst`…).
    pub(crate) divisors: Box<[Divisor]>,
    /// The constant pool: cells written after the locals at every call (from
    /// [`pool_base`](Self::pool_base)).
    pub(crate) consts: Box<[u64]>,
    /// Number of parameters (the first locals).
    pub(crate) num_params: u32,
    /// Number of locals, parameters included.
    pub(crate) num_locals: u32,
    /// Number of results.
    pub(crate) num_results: u32,
    /// Cells the frame needs at most: locals plus the highest operand stack.
    pub(crate) max_height: u32,
    /// The locals a call zeroes among the first 64 after the parameters (bit `k`: local
    /// `num_params + k`): those the body may read before writing (`translate` finds
    /// them as it goes). The locals after those 64 are always zeroed.
    pub(crate) zero: u64,
    /// Whether a call writes any cell of the frame before the body runs: locals to zero
    /// or a constant pool (most of a Rust program's small functions have neither, and
    /// their calls then test this alone). Set by [`place_and_check`](Self::place_and_check).
    pub(crate) init: bool,
    /// The `try_table`s, if the body has any (see [exceptions](self#exceptions)).
    pub(crate) handlers: Option<Box<Handlers>>,
}

/// Where the slots of a body go once its constant pool's size is known: while a body is
/// translated, pool cell `k` is slot `POOL_SLOT + k` and the operand slots start right
/// after the locals; then the pool moves to the slot after the locals and the operand
/// slots up by its size (see `translate`).
pub(crate) struct Placement {
    /// The provisional slot of the pool's first cell (`u32::MAX`: none).
    pub(crate) pool_slot: u32,
    /// Where the pool's first cell goes.
    pub(crate) pool_base: u32,
    /// The first operand slot (the number of locals).
    pub(crate) operands: u32,
    /// How far the operand slots move up (the pool's size).
    pub(crate) shift: u32,
}

impl Placement {
    /// Every slot stays.
    #[cfg(test)]
    pub(crate) const NONE: Placement = Placement {
        pool_slot: u32::MAX,
        pool_base: u32::MAX,
        operands: 0,
        shift: 0,
    };

    /// Where slot `s` goes.
    #[inline(always)]
    pub(crate) fn place(&self, s: Slot) -> Slot {
        if s >= self.pool_slot {
            self.pool_base.wrapping_add(s - self.pool_slot)
        } else {
            // Whether a slot is a local's follows no pattern: no branch (one here
            // mispredicted 35k times in one module's translation).
            s.wrapping_add(core::hint::select_unpredictable(
                s >= self.operands,
                self.shift,
                0,
            ))
        }
    }
}

impl Instr {
    /// The store of the constant cell `value` in `bytes` bytes (1, 2, 4 or 8) at
    /// `addr + offset` of memory 0, if one instruction holds the constant.
    pub(crate) fn store_imm(bytes: usize, addr: Slot, offset: u32, value: u64) -> Option<Instr> {
        let low = value as u32;
        Some(match bytes {
            1 => Instr::StoreImm8 {
                addr,
                offset,
                value: low,
            },
            2 => Instr::StoreImm16 {
                addr,
                offset,
                value: low,
            },
            4 => Instr::StoreImm32 {
                addr,
                offset,
                value: low,
            },
            8 if i64::from(low as i32) == value as i64 => Instr::StoreImm64 {
                addr,
                offset,
                value: low,
            },
            _ => return None,
        })
    }
}

impl CompiledFunc {
    /// The first slot of the constant pool: the one after the locals.
    pub(crate) fn pool_base(&self) -> u32 {
        self.num_locals
    }

    /// [`place_and_check`](Self::place_and_check) of a body whose slots are placed already
    /// (for the tests).
    #[cfg(test)]
    pub(crate) fn check(&self) -> bool {
        self.clone().place_and_check(&Placement::NONE)
    }

    /// Moves every slot and [`Home`] of the code where `place` puts it (the translator's
    /// renumbering, in the same sweep as the check: one `match` per instruction fewer),
    /// then returns whether the body keeps the promises the executor's unchecked
    /// accesses rely on:
    ///
    /// - there is one fuel cost per instruction;
    /// - every slot an instruction names is below `max_height` (and `Return`'s `src + n`
    ///   at most `max_height`), and the locals and the constant pool fit in it
    ///   (`num_locals + consts.len() <= max_height`; the pool follows the locals), no
    ///   call's frame starts below the pool's end, and the locals to zero at a call are
    ///   locals;
    /// - every branch target is an instruction index, every `br_table`'s run of entries
    ///   lies in `br_tables` and its targets are instruction indices;
    /// - every division by a constant names an entry of `divisors`;
    /// - the last instruction is a `Return`, `Br`, `BrTable` or `Unreachable`, so
    ///   execution never runs past the end;
    /// - at most [`RUN_MAX`] instructions in a row do not check the executor's budget
    ///   ([`Instr::checks_budget`]), which bounds the handler frames on the host stack
    ///   when the handlers' calls of each other are not jumps (see `exec::run`);
    /// - an instruction reading the accumulator is no branch target and follows one that
    ///   writes the slot it stands for (see [the accumulator](self#the-accumulator)).
    ///   The executor's safety does not rest on this one (the accumulator is a value,
    ///   addresses taken from it are bounds-checked like any other), its results do.
    /// - every handler range lies in the code, its clauses in the clause table, their
    ///   labels in `br_tables` with targets in the code and slots below `max_height`.
    ///
    /// It also sets [`init`](Self::init).
    pub(crate) fn place_and_check(&mut self, place: &Placement) -> bool {
        let len = self.code.len();
        let in_code = |t: u32| (t as usize) < len;
        let max = self.max_height;
        let pool_end = self.num_locals as usize + self.consts.len();
        // Which instructions a branch reaches, marked on the way (as `branch_targets`).
        let mut targeted = vec![false; len];
        // The length of the current run of instructions that do not check the budget.
        let mut run = 0;
        let (divisors, br_tables) = (&self.divisors, &self.br_tables);
        // The accumulator forms, which no branch may reach (known once every branch is
        // marked).
        let mut acc_forms = Vec::new();
        let mut each = true;
        // The instructions are read in place, field by field: a copy of a whole one right
        // after `map_slots` wrote its fields waits for those stores (a fifth of this
        // sweep's time, measured).
        for i in 0..len {
            let (before, rest) = self.code.split_at_mut(i);
            let Some(instr) = rest.first_mut() else {
                break;
            };
            // Every slot it names directly is below `max`, and every half still fits.
            let placed = instr.map_slots(place, max);
            let kind = instr.kind();
            run = if kind.checks_budget() { 0 } else { run + 1 };
            let target_ok = instr
                .target_mut()
                .is_none_or(|t| targeted.get_mut(*t as usize).map(|x| *x = true).is_some());
            let divisor_ok = instr
                .divisor_mut()
                .is_none_or(|k| (*k as usize) < divisors.len());
            // (All three check the budget: the others need no match.)
            let extra_ok = !kind.checks_budget()
                || match *instr {
                    Instr::Return { src, n } => src.checked_add(n).is_some_and(|end| end <= max),
                    Instr::BrTable { offset, len, .. } => (offset as usize)
                        .checked_add(len as usize)
                        .and_then(|last| br_tables.get(offset as usize..=last))
                        .is_some_and(|entries| entries.iter().all(|e| in_code(e.target))),
                    // A callee's frame leaves the locals and the pool alone: they are not
                    // written again after the call.
                    other => other
                        .call_base()
                        .is_none_or(|base| base as usize >= pool_end),
                };
            // An accumulator form reads the result of the instruction before it.
            let acc_ok = !kind.is_acc_form()
                || instr.acc_operand().is_some_and(|slot| {
                    acc_forms.push(i);
                    let prev = before.last_mut().and_then(|p| p.dst_mut());
                    prev.is_some_and(|d| *d == slot)
                });
            each &= placed && target_ok && divisor_ok && extra_ok && acc_ok && run <= RUN_MAX;
        }
        let terminal = matches!(
            self.code.last(),
            Some(
                Instr::Return { .. }
                    | Instr::Br { .. }
                    | Instr::BrTable { .. }
                    | Instr::Unreachable
            )
        );
        // The locals a call zeroes are locals after the parameters.
        let tracked = self.num_locals.saturating_sub(self.num_params).min(64);
        let locals_ok = pool_end <= max as usize
            && self.num_params <= self.num_locals
            && (tracked == 64 || self.zero >> tracked == 0);
        self.init = self.zero != 0
            || !self.consts.is_empty()
            || self.num_locals.saturating_sub(self.num_params) > 64;
        if !(each && terminal && self.fuel.len() == len && locals_ok && self.handlers_ok()) {
            return false;
        }
        for entry in self.br_tables.iter() {
            if let Some(x) = targeted.get_mut(entry.target as usize) {
                *x = true;
            }
        }
        acc_forms.iter().all(|&i| targeted.get(i) == Some(&false))
    }

    /// Whether the handler table keeps its promises (see [`place_and_check`](Self::place_and_check)).
    fn handlers_ok(&self) -> bool {
        let Some(h) = &self.handlers else {
            return true;
        };
        let len = self.code.len();
        let ranges = h.ranges.iter().all(|r| {
            r.start <= r.end
                && r.end as usize <= len
                && (r.first as usize)
                    .checked_add(r.len as usize)
                    .is_some_and(|end| end <= h.catches.len())
        });
        let clauses = h.catches.iter().all(|c| {
            self.br_tables.get(c.entry as usize).is_some_and(|e| {
                (e.target as usize) < len
                    && e.to
                        .checked_add(e.n)
                        .is_some_and(|end| end <= self.max_height)
            })
        });
        ranges && clauses
    }

    /// Which instructions a branch may reach (rather than only falling through to them).
    pub(crate) fn branch_targets(code: &[Instr], br_tables: &[BrTableEntry]) -> Vec<bool> {
        let mut targeted = vec![false; code.len()];
        let mut mark = |t: u32| {
            if let Some(x) = targeted.get_mut(t as usize) {
                *x = true;
            }
        };
        for &instr in code {
            let mut instr = instr;
            if let Some(t) = instr.target_mut() {
                mark(*t);
            }
        }
        for entry in br_tables {
            mark(entry.target);
        }
        targeted
    }
}

/// The operation of an [`Instr::AtomicRmw`] (its `op >> 4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum RmwOp {
    Add = 0,
    Sub = 1,
    And = 2,
    Or = 3,
    Xor = 4,
    Xchg = 5,
}

impl RmwOp {
    /// Every operation, by its number.
    pub(crate) const ALL: [RmwOp; 6] = [
        RmwOp::Add,
        RmwOp::Sub,
        RmwOp::And,
        RmwOp::Or,
        RmwOp::Xor,
        RmwOp::Xchg,
    ];
    /// `v ∘ s`.
    pub(crate) fn apply(self, v: u64, s: u64) -> u64 {
        match self {
            RmwOp::Add => v.wrapping_add(s),
            RmwOp::Sub => v.wrapping_sub(s),
            RmwOp::And => v & s,
            RmwOp::Or => v | s,
            RmwOp::Xor => v ^ s,
            RmwOp::Xchg => s,
        }
    }
    /// Its name in the text format (`i32.atomic.rmw.add` has `add`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            RmwOp::Add => "add",
            RmwOp::Sub => "sub",
            RmwOp::And => "and",
            RmwOp::Or => "or",
            RmwOp::Xor => "xor",
            RmwOp::Xchg => "xchg",
        }
    }
}
