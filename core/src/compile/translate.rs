//! Validation and translation in one pass over a body's operators.
//!
//! Each operator is first given to wasmparser's [`FuncValidator`] (so nothing invalid is
//! ever translated), then translated using what validation knows: the types of blocks and
//! functions from [`WasmModuleResources`]. Both happen in one visitor ([`OpVisitor`]),
//! into whose `visit_…` methods the reader decodes each operator, as wasmparser's own
//! validation does: no [`Operator`] is built only to be matched by the validator and
//! matched again by the translator. The frequent operators and those translated one to
//! one go straight to their translation; the others are rebuilt as an [`Operator`] for
//! [`Translator::op`]. (The visitor has no SIMD methods: a SIMD operator is read whole
//! and given to the validator, which refuses it with its own error.)
//!
//! # From a stack machine to slots
//!
//! The translator keeps its own model of the Wasm operand stack, one [`Entry`] per value.
//! An entry at height `h` is either computed (`Temp`: in its home slot, written by the
//! instruction that produced it) or still *lazy*: a `local.get` (`Local`) or a constant
//! (`Const`) that no instruction has copied anywhere. Instructions read lazy operands in
//! place (a local's slot, a constant as an `…Imm` immediate or from the constant pool), so
//! `local.get $a; i32.const 1; i32.add` is one `I32AddImm`. A lazy entry is copied to its
//! home ("materialized") when something needs it there:
//!
//! - a `local.set`/`local.tee` of that local, which would change the value under it: every
//!   lazy `Local` of it is materialized first;
//! - control flow: at `block`, `loop` and `if` every entry is materialized, so that no code
//!   inside a block ever has to; a branch or an `end` puts the values its label carries in
//!   the label's slots;
//! - calls, `return`, and the rare operators that take their operands from consecutive
//!   slots (`select`'s condition, bulk memory, tables);
//! - depth: only the top [`LAZY_DEPTH`] entries may be lazy, so that finding a local's
//!   lazy entries stays cheap (a push materializes the entry that falls below).
//!
//! # Constant pool
//!
//! A constant that an instruction inside a loop needs in a slot (an `i64` or `f64` an
//! immediate cannot hold: a hash's 64-bit multiplier, almost any `f64`; a value about to
//! be stored, `i32.store8 $p (i32.const 1)`; a constant left operand) gets a cell of the
//! function's constant pool, up to [`POOL_MAX`] of them, instead of a `Const` that the
//! loop would run every iteration. The pool's cells follow the locals, written once per
//! call with the locals' zeros; a callee's frame, which starts at the call's arguments
//! above them, never covers them, so a return finds them intact. While translating,
//! instructions name them by provisional slots from [`POOL_SLOT`] and the operand slots
//! start right after the locals; at the end, when the pool's size is known, the pool
//! takes its place and every operand slot moves up by that size. (A scan before
//! translating used to pick the constants; reading every body twice made translation a
//! third slower. The pool then sat on top of the frame, where callees covered it, and
//! every return wrote it again.)
//!
//! # Fusion
//!
//! The instruction that computed the top entry can be changed while nothing else has been
//! emitted after it and no label points between them (`barrier`):
//!
//! - `local.set`/`local.tee` move its result into the local (`dst`);
//! - `br_if` and `if` fuse an integer comparison (or `eqz`) with the branch;
//! - `f64.add` of an `f64.mul`'s result (its right operand) replaces the multiply with
//!   one `F64MulAdd` (the dot product's `acc + x * y`);
//! - an integer add of a constant to the result of an add becomes `I32Add3Imm` /
//!   `I64Add3Imm` (`a + b + k`), and a xor of `x` with the result of shifting that same
//!   `x` by a constant becomes `…XorShlImm` / `…XorShrUImm` (`x ^ (x << k)`);
//! - `i32.wrap_i64` of an `i64` add, sub, mul, and, or, xor or shift by less than 32
//!   turns that instruction into its `i32` form, which reads only its operands' low
//!   halves.
//!
//! After translation, a `br` back to a loop's exit test becomes that test, negated
//! (`thread_back_edges`), a `br` to a short run of code ending in a branch becomes a
//! copy of that run (`duplicate_tails`), two in-place steps in a row become one
//! (`pair_in_place_adds`), an instruction reading the result of the one before it reads
//! the accumulator instead (`use_accumulator`), and the constant pool's provisional slots
//! get their place after the locals.
//!
//! # Control flow
//!
//! A control stack mirrors the validator's, one [`Ctrl`] per open block with its label's
//! height and arity. A branch to a `loop` jumps back to its first instruction; a branch to
//! any other block jumps forward to its end, which is not known yet: the branch goes on the
//! block's list of pending sites, patched at `end`. A branch that leaves values above the
//! label's height copies the label's values down first (a `br_if` then skips the copies
//! and the jump when it is not taken), so the executor never looks at types or labels.
//!
//! # Unreachable code
//!
//! After `unreachable`, `br`, `br_table` and `return` the rest of the block is validated
//! but not translated (nested blocks included), until the `else` or `end` that makes code
//! reachable again. After an `end`, translation resumes whenever the block's start was
//! reachable: when no branch targets the end and the block cannot fall through, the code
//! that follows is dead but well typed for the stack the validator assumes, so emitting it
//! is harmless.
//!
//! # Checked
//!
//! The result goes through [`CompiledFunc::place_and_check`] before anyone runs it: a translation
//! bug becomes an error, never an out-of-bounds slot in the executor.
//!
//! # Recording
//!
//! The translator is generic over what it records besides the code ([`Record`]): nothing
//! when a module is loaded, where each instruction came from for the disassembler
//! ([`translate_recording`]). Wherever an instruction is emitted, changed, fused or
//! dropped (here and in the passes after translation), a hook says so, so that each
//! instruction's origin follows its fuel. The hooks of `()` are empty: loading compiles
//! to what it would be without them.

use super::bytecode::{
    BrTableEntry, CatchClause, CompiledFunc, Divisor, Handlers, Imm, Instr, MemArg, POOL_MAX,
    Placement, RUN_MAX, RmwOp, Slot, SlotPair, TryRange, VSlot, for_each_op,
};
use super::disasm::{Origin, Record, Recorder};
use crate::error::Error;
use crate::prelude::*;
use wasmparser::{
    BlockType, FuncValidator, FunctionBody, MemArgTarget, Operator, OperatorsReader,
    ValidatorResources, VisitOperator, WasmModuleResources, for_each_visit_operator,
};

mod simd;

/// How many entries at the top of the operand stack may be lazy.
const LAZY_DEPTH: usize = 16;

/// Validates and translates one function body.
///
/// # Errors
/// The validator's error for an invalid body; `Unsupported` for an operator Folio lacks
/// (which the validator, configured with Folio's features, already rejects).
///
/// `metered`: the engine consumes fuel, so fuel must stay exact on every path: fusions
/// that would charge an operator on a path where it does not run are left out.
///
/// `scratch`: buffers a previous translation left (see [`Scratch`]).
pub(crate) fn translate(
    validator: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
    metered: bool,
    scratch: &mut Scratch,
) -> Result<CompiledFunc, Error> {
    translate_body::<()>(validator, body, metered, scratch).map(|(func, ())| func)
}

/// The working buffers of a body's translation, which the next body's reuses (as
/// wasmparser's `FuncValidatorAllocations`): growing them from empty for every function
/// was a twentieth of translation.
#[derive(Default)]
pub(crate) struct Scratch {
    ctrl: Vec<Ctrl>,
    patches: Vec<Patch>,
    stack: Vec<Entry>,
    pool: Vec<u64>,
}

/// [`translate`], recording where each instruction came from (see `disasm`): the same
/// bytecode, and its [`Origin`]s.
///
/// # Errors
/// As [`translate`].
pub(crate) fn translate_recording(
    validator: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
    metered: bool,
) -> Result<(CompiledFunc, Recorder), Error> {
    translate_body::<Recorder>(validator, body, metered, &mut Scratch::default())
}

/// [`translate`], recording what `R` records.
fn translate_body<R: Record>(
    validator: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
    metered: bool,
    scratch: &mut Scratch,
) -> Result<(CompiledFunc, R), Error> {
    // Before the declared locals are read, the validator's locals are the parameters.
    let params = validator.len_locals();
    let num_results = func_results(validator)?;
    let mut reader = body.get_binary_reader();
    validator.read_locals(&mut reader)?;
    reader.set_features(*validator.features());
    let local_slots = local_slots(validator, body, params)?;
    let slot_of = |index: u32| match &local_slots {
        Some(slots) => slots.get(index as usize).copied().unwrap_or(0),
        None => index,
    };
    let (num_params, num_locals) = (slot_of(params), slot_of(validator.len_locals()));
    let mem0_shared = validator.resources().memory_at(0).is_some_and(|m| m.shared);
    let mut t = Translator::<R> {
        mem0_shared,
        num_locals,
        num_params,
        local_slots,
        ctrl: core::mem::take(&mut scratch.ctrl),
        patches: core::mem::take(&mut scratch.patches),
        stack: core::mem::take(&mut scratch.stack),
        pool: core::mem::take(&mut scratch.pool),
        ..Translator::default()
    };
    // (A translation that failed may have left them full.)
    t.ctrl.clear();
    t.patches.clear();
    t.stack.clear();
    t.pool.clear();
    // Compiler output has one instruction per three to five bytes of body: growing the
    // vectors from empty was 5% of translation. (At most 16/3 bytes per body byte, for a
    // moment: the boxed slices below drop what is left over.)
    let estimate = reader.bytes_remaining() / 3;
    t.code.reserve(estimate);
    t.fuel.reserve(estimate);
    t.ctrl.push(Ctrl {
        kind: CtrlKind::Func,
        height: 0,
        params: 0,
        results: num_results,
        start: 0,
        else_site: None,
        pending: None,
        reachable_at_start: true,
        unreachable: false,
        written_at_end: u64::MAX,
        written_at_start: 0,
    });
    // The body's bytes, to tell a SIMD operator before reading it (see below).
    let bytes = body.as_bytes();
    let base = body.range().end - bytes.len() as u64;
    let mut ops = OperatorsReader::new(reader);
    let mut v = OpVisitor {
        t: &mut t,
        validator,
        offset: 0,
    };
    while !ops.eof() {
        v.offset = ops.original_position();
        let simd = v
            .offset
            .checked_sub(base)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| bytes.get(i))
            == Some(&SIMD_PREFIX);
        if simd {
            // The visitor has no SIMD methods: read the operator whole, so that the
            // validator rejects it with its own error, as any operator it refuses.
            let (op, offset) = ops.read_with_offset()?;
            v.validator.op(offset, &op)?;
            v.start_op();
            v.translate(op)?;
        } else {
            ops.visit_operator(&mut v)??;
        }
    }
    ops.finish()?;
    if !t.ctrl.is_empty() {
        return Err(internal("function body without its final `end`"));
    }
    thread_back_edges(&mut t.code, &mut t.fuel, &mut t.rec);
    let targeted = duplicate_tails(
        &mut t.code,
        &mut t.fuel,
        &mut t.br_tables,
        &mut t.ranges,
        &mut t.rec,
    );
    let mut targeted = pair_in_place_adds(
        &mut t.code,
        &mut t.fuel,
        &mut t.br_tables,
        &mut t.ranges,
        &mut t.rec,
        targeted,
        metered,
    );
    if bound_runs(
        &mut t.code,
        &mut t.fuel,
        &mut t.br_tables,
        &mut t.ranges,
        &mut t.rec,
    ) {
        targeted = CompiledFunc::branch_targets(&t.code, &t.br_tables);
    }
    use_accumulator(&mut t.code, &targeted);
    let divisors = divide_by_constants(&mut t.code);
    // The pool goes right after the locals, now that its size is known (see `slot`):
    // the operand slots move up to make room.
    let pool_len = t.pool.len() as u32;
    let max_height = num_locals
        .checked_add(t.max_stack)
        .filter(|&h| h < POOL_SLOT)
        .and_then(|h| h.checked_add(pool_len))
        .ok_or_else(|| Error::unsupported("function frame larger than 2^31 cells"))?;
    let placement = Placement {
        pool_slot: POOL_SLOT,
        pool_base: num_locals,
        operands: num_locals,
        shift: pool_len,
    };
    let place = |s: Slot| placement.place(s);
    for entry in &mut t.br_tables {
        entry.from = place(entry.from);
        entry.to = place(entry.to);
    }
    // The locals read before written on some path (only those that exist).
    let tracked = num_locals.saturating_sub(num_params).min(64);
    let zero = t.read_unwritten & u64::MAX.checked_shr(64 - tracked).unwrap_or(0);
    let mut func = CompiledFunc {
        code: t.code.into_boxed_slice(),
        fuel: t.fuel.into_boxed_slice(),
        br_tables: t.br_tables.into_boxed_slice(),
        memargs: t.memargs.into_boxed_slice(),
        divisors,
        consts: t.pool.as_slice().into(),
        num_params,
        num_locals,
        num_results,
        max_height,
        zero,
        // (`place_and_check` sets it.)
        init: true,
        handlers: (!t.ranges.is_empty()).then(|| {
            Box::new(Handlers {
                ranges: core::mem::take(&mut t.ranges).into_boxed_slice(),
                catches: core::mem::take(&mut t.catches).into_boxed_slice(),
            })
        }),
    };
    scratch.ctrl = t.ctrl;
    scratch.patches = t.patches;
    scratch.stack = t.stack;
    scratch.pool = t.pool;
    // Pool slots are never halves of a pair or a step, and the halves built from operand
    // slots are below `2^16 - POOL_MAX` (`SlotPair::new`), so every half still fits.
    if !func.place_and_check(&placement) {
        return Err(internal("bytecode out of its frame or code"));
    }
    let body_end = u32::try_from(body.range().end).unwrap_or(u32::MAX);
    if R::ON && !t.rec.finish(body_end, func.code.len()) {
        return Err(internal("an instruction without its origin"));
    }
    Ok((func, t.rec))
}

/// The first byte of every SIMD operator.
const SIMD_PREFIX: u8 = 0xfd;

/// Validates and translates each operator as the reader decodes it: each `visit_…`
/// method gives the operator to the validator first, then to the translator.
struct OpVisitor<'t, 'v, R> {
    t: &'t mut Translator<R>,
    validator: &'v mut FuncValidator<ValidatorResources>,
    /// The offset of the operator being visited.
    offset: u64,
}

impl<R: Record> OpVisitor<'_, '_, R> {
    /// Tells the recorder that the operator at `offset` starts.
    #[inline(always)]
    fn start_op(&mut self) {
        if R::ON {
            self.t
                .rec
                .start_op(u32::try_from(self.offset).unwrap_or(u32::MAX));
        }
    }

    /// The cells of the operand `depth` below the top of the validator's stack (1 when it
    /// does not know: unreachable code, which is not translated).
    fn operand_cells(&self, depth: usize) -> u32 {
        match self.validator.get_operand_type(depth) {
            Some(Some(t)) => cells(&[t]),
            _ => 1,
        }
    }

    /// Runs `translate` (the operator, which the validator has accepted), unless the code
    /// here is unreachable.
    #[inline(always)]
    fn reachable(
        &mut self,
        translate: impl FnOnce(&mut Translator<R>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.t.reachable()? {
            translate(self.t)?;
        }
        Ok(())
    }

    /// Translates `op`, which the validator has accepted. Inlined into each `visit_…`
    /// method, where `op` is a constant: an operator translated one to one goes straight
    /// to its translation.
    #[inline(always)]
    fn translate(&mut self, op: Operator<'_>) -> Result<(), Error> {
        match one_to_one(&op) {
            Some(how) if !matches!(op, Operator::I32WrapI64) => {
                let f64_add = matches!(op, Operator::F64Add);
                self.reachable(|t| t.one_to_one(how, f64_add))
            }
            _ => self.t.op(&op, self.validator),
        }
    }
}

/// Generates the `visit_…` methods of [`OpVisitor`]: each gives its operator to the
/// validator, then translates it (`translate_op!`).
macro_rules! visit_and_translate {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
                let _cells = operand_cells!(self, $op);
                self.validator
                    .visitor(self.offset)
                    .$visit($($($arg.clone()),*)?)?;
                self.start_op();
                translate_op!(self, _cells, $op $({ $($arg),* })?)
            }
        )*
    };
}

/// For the untyped `drop` and `select`, the cells of the operand they drop or select
/// (asked of the validator before it pops it); 1 for the other operators.
macro_rules! operand_cells {
    ($v:expr, Drop) => {
        $v.operand_cells(0)
    };
    ($v:expr, Select) => {
        $v.operand_cells(1)
    };
    ($v:expr, $op:ident) => {
        1u32
    };
}

/// The translation of one operator in its `visit_…` method: the frequent ones call the
/// translator directly, the others go through [`OpVisitor::translate`]. `$cells`: what
/// `operand_cells!` said.
macro_rules! translate_op {
    ($v:expr, $cells:ident, LocalGet { $i:ident }) => {
        $v.reachable(|t| {
            t.local_get($i);
            Ok(())
        })
    };
    ($v:expr, $cells:ident, LocalSet { $i:ident }) => {
        $v.reachable(|t| t.local_set($i, false))
    };
    ($v:expr, $cells:ident, LocalTee { $i:ident }) => {
        $v.reachable(|t| t.local_set($i, true))
    };
    ($v:expr, $cells:ident, I32Const { $value:ident }) => {
        $v.reachable(|t| {
            t.push_lazy(Val::Const(u64::from($value as u32)));
            Ok(())
        })
    };
    ($v:expr, $cells:ident, I64Const { $value:ident }) => {
        $v.reachable(|t| {
            t.push_lazy(Val::Const($value as u64));
            Ok(())
        })
    };
    ($v:expr, $cells:ident, GlobalGet { $i:ident }) => {{
        let wide = global_cells($v.validator, $i) == 2;
        $v.reachable(|t| {
            t.global_get($i, wide);
            Ok(())
        })
    }};
    ($v:expr, $cells:ident, GlobalSet { $i:ident }) => {{
        let wide = global_cells($v.validator, $i) == 2;
        $v.reachable(|t| t.global_set($i, wide))
    }};
    ($v:expr, $cells:ident, Br { $depth:ident }) => {
        $v.reachable(|t| t.br($depth))
    };
    ($v:expr, $cells:ident, BrIf { $depth:ident }) => {
        $v.reachable(|t| t.br_if($depth))
    };
    ($v:expr, $cells:ident, Select) => {
        $v.reachable(|t| t.select($cells))
    };
    ($v:expr, $cells:ident, Drop) => {
        $v.reachable(|t| t.pop_n($cells))
    };
    ($v:expr, $cells:ident, Call { $i:ident }) => {{
        if $v.t.reachable()? {
            $v.t.call_func($i, false, $v.validator)?;
        }
        Ok(())
    }};
    ($v:expr, $cells:ident, Block { $ty:ident }) => {{
        let reachable = $v.t.reachable()?;
        $v.t.block(CtrlKind::Block, $ty, $v.validator, reachable)
    }};
    ($v:expr, $cells:ident, Loop { $ty:ident }) => {{
        let reachable = $v.t.reachable()?;
        $v.t.block(CtrlKind::Loop, $ty, $v.validator, reachable)
    }};
    ($v:expr, $cells:ident, If { $ty:ident }) => {{
        let reachable = $v.t.reachable()?;
        $v.t.if_($ty, $v.validator, reachable)
    }};
    ($v:expr, $cells:ident, Else) => {{
        let reachable = $v.t.reachable()?;
        $v.t.else_(reachable)
    }};
    ($v:expr, $cells:ident, End) => {{
        let reachable = $v.t.reachable()?;
        $v.t.end(reachable)
    }};
    ($v:expr, $cells:ident, $op:ident $({ $($arg:ident),* })?) => {
        $v.translate(Operator::$op $({ $($arg),* })?)
    };
}

impl<'a, R: Record> VisitOperator<'a> for OpVisitor<'_, '_, R> {
    type Output = Result<(), Error>;

    for_each_visit_operator!(visit_and_translate);
}

/// The provisional slot of the constant pool's first cell while a body is translated
/// (the pool's size, and so the place of the operand slots above it, is known only at
/// the end): pool cell `k` is `POOL_SLOT + k` until [`translate`] renumbers it. Real
/// slots stay below (a frame of 2^31 cells or more is refused).
const POOL_SLOT: u32 = 1 << 31;

/// Turns a `br` to a conditional branch whose target is the instruction right after the
/// `br` into that branch negated, jumping past it: a `loop` whose exit test comes first
/// (`loop (br_if $exit cond) … (br $loop)`) then runs its test once per iteration, at the
/// bottom, instead of a jump and the test. Nothing happens between the two instructions,
/// so the test reads the same slots; the result costs the fuel of both.
fn thread_back_edges<R: Record>(code: &mut [Instr], fuel: &mut [u8], rec: &mut R) {
    let mut origins = rec.origins();
    for p in 0..code.len() {
        let Instr::Br { target } = code[p] else {
            continue;
        };
        let t = target as usize;
        let Some(&test) = code.get(t) else {
            continue;
        };
        let mut probe = test;
        let exit = probe.target_mut().map(|u| *u as usize);
        if exit != Some(p + 1) || t + 1 >= code.len() {
            continue;
        }
        if let Some(inverted) = test.negated(target + 1) {
            code[p] = inverted;
            fuel[p] = fuel[p].saturating_add(fuel[t]);
            if let Some(o) = origins.as_deref_mut() {
                let test_ops = o.get(t).map(|o| o.ops.clone()).unwrap_or_default();
                if let Some(o) = o.get_mut(p) {
                    o.ops.extend(test_ops);
                }
            }
        }
    }
}

/// How many instructions a `br` may be replaced with (see [`duplicate_tails`]).
const TAIL_MAX: usize = 2;

/// Replaces each `br` to a short run of instructions that ends in a branch or `Return`
/// (at most [`TAIL_MAX`], the others straight-line: no calls) with a copy of that run,
/// followed, when the run's last branch may fall through, by a `br` to where it would
/// fall: `if (…) { …; continue }` then reaches the loop's step and test without a jump
/// first. The copy runs exactly what the `br` led to; it carries the `br`'s fuel on its
/// first instruction, the `br` after it none. Targets are renumbered. Returns which
/// instructions of the new code a branch reaches (as [`CompiledFunc::branch_targets`]).
fn duplicate_tails<R: Record>(
    code: &mut Vec<Instr>,
    fuel: &mut Vec<u8>,
    br_tables: &mut [BrTableEntry],
    ranges: &mut [TryRange],
    rec: &mut R,
) -> Vec<bool> {
    let ends_run = |i: &Instr| i.kind().has_target() || matches!(i, Instr::Return { .. });
    let straight = |i: &Instr| {
        // (No instruction that can throw is ever copied: it would leave or enter the
        // range of a `try_table`.)
        !ends_run(i)
            && !matches!(
                i,
                Instr::BrTable { .. }
                    | Instr::Unreachable
                    | Instr::Throw { .. }
                    | Instr::ThrowRef { .. }
            )
            && i.call_base().is_none()
    };
    let falls_through = |i: &Instr| !matches!(i, Instr::Br { .. } | Instr::Return { .. });
    // Each `br` to replace, `p`, with the run `t..=e` to copy and how many more
    // instructions the code has before the next one (`extra`), ascending.
    struct Plan {
        p: usize,
        t: usize,
        e: usize,
        extra: usize,
    }
    let mut plans: Vec<Plan> = Vec::new();
    let mut extra = 0;
    for (p, instr) in code.iter().enumerate() {
        let Instr::Br { target } = *instr else {
            continue;
        };
        let t = target as usize;
        if t == p {
            continue;
        }
        for e in t..(t + TAIL_MAX).min(code.len()) {
            if ends_run(&code[e]) {
                let fits = !falls_through(&code[e]) || e + 1 < code.len();
                if fits {
                    extra += e - t + usize::from(falls_through(&code[e]));
                    plans.push(Plan { p, t, e, extra });
                }
                break;
            }
            if !straight(&code[e]) {
                break;
            }
        }
    }
    if plans.is_empty() {
        return CompiledFunc::branch_targets(code, br_tables);
    }
    let len = code.len();
    // Where old instruction `q` lands: after the copies that replace the `br`s before it.
    let new_index = |q: u32| -> u32 {
        let q = q as usize;
        if q >= len {
            return u32::MAX;
        }
        let k = plans.partition_point(|plan| plan.p < q);
        let before = k.checked_sub(1).map_or(0, |k| plans[k].extra);
        (q + before) as u32
    };
    let n = len + extra;
    let old = core::mem::replace(code, Vec::with_capacity(n));
    let old_fuel = core::mem::replace(fuel, Vec::with_capacity(n));
    // The code between the `br`s replaced is copied as it is, then every target is
    // renumbered at once.
    let mut from = 0;
    for &Plan { p, t, e, .. } in &plans {
        code.extend_from_slice(&old[from..p]);
        fuel.extend_from_slice(&old_fuel[from..p]);
        code.extend_from_slice(&old[t..=e]);
        fuel.extend_from_slice(&old_fuel[t..=e]);
        // The copy carries the `br`'s fuel on its first instruction.
        let first = fuel.len() - (e - t + 1);
        fuel[first] = fuel[first].saturating_add(old_fuel[p]);
        if falls_through(&old[e]) {
            code.push(Instr::Br {
                target: (e + 1) as u32,
            });
            fuel.push(0);
        }
        from = p + 1;
    }
    code.extend_from_slice(&old[from..]);
    fuel.extend_from_slice(&old_fuel[from..]);
    let mut targeted = vec![false; code.len()];
    let mut mark = |t: u32| {
        if let Some(x) = targeted.get_mut(t as usize) {
            *x = true;
        }
        t
    };
    for instr in code.iter_mut() {
        if let Some(target) = instr.target_mut() {
            *target = mark(new_index(*target));
        }
    }
    for entry in br_tables {
        entry.target = mark(new_index(entry.target));
    }
    // (A range ends before the function's last instruction: its end is an instruction.)
    for r in ranges {
        (r.start, r.end) = (new_index(r.start), new_index(r.end));
    }
    // A copy stands for what its original stood for, the first one for the `br` too.
    if let Some(new) = rec.origins() {
        let old_origins = core::mem::take(new);
        let origin = |i: usize| old_origins.get(i).cloned().unwrap_or_default();
        let mut plans = plans.iter().peekable();
        for p in 0..len {
            let Some(&Plan { t, e, .. }) = plans.next_if(|plan| plan.p == p) else {
                new.push(origin(p));
                continue;
            };
            for i in t..=e {
                let mut o = origin(i);
                if i == t {
                    o.ops.extend_from_slice(&origin(p).ops);
                }
                new.push(o);
            }
            if falls_through(&old[e]) {
                // Emitted for the `br`, standing for no operator (its fuel is 0).
                new.push(Origin {
                    at: origin(p).at,
                    ..Origin::default()
                });
            }
        }
    }
    targeted
}

/// Replaces pairs of adjacent instructions (no branch landing on the second) with one,
/// and renumbers the branch targets: two in-place additions of small constants
/// (`I64AddImm { dst: p, a: p, .. }` then `I64AddImm { dst: q, a: q, .. }`) with one
/// `I64AddImm2` (`I32AddImm2`); two `Copy`s with a `Copy2`; and, unless `metered`, a
/// conditional branch over the `br` right after it with the negated branch to where the
/// `br` goes ([`branch_over_br`]). Runs after the loop-step fusion, which may already have
/// taken the second addition into its branch. `targeted`: which instructions a branch
/// reaches (as [`CompiledFunc::branch_targets`]); returns the same of the new code.
fn pair_in_place_adds<R: Record>(
    code: &mut Vec<Instr>,
    fuel: &mut Vec<u8>,
    br_tables: &mut [BrTableEntry],
    ranges: &mut [TryRange],
    rec: &mut R,
    mut targeted: Vec<bool>,
    metered: bool,
) -> Vec<bool> {
    let len = code.len();
    let mut origins = rec.origins();
    if let Some(o) = origins.as_deref_mut() {
        o.resize_with(len, Origin::default);
    }
    // The code is compacted in place: instruction `i` moves to `w <= i`, read before
    // anything is written there, and so do its fuel, its origin and whether a branch
    // reaches it (no branch reaches the second of a fused pair, and a swap exchanges
    // the targets of two instructions that were targets already).
    let mut w = 0;
    // The old index of the second instruction of each fused pair, ascending: an old
    // instruction lands at its index less the pairs fused before it (a second lands
    // where its pair does; no branch reaches it).
    let mut merged: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < len {
        let next = code.get(i + 1).copied();
        // A forward conditional branch over a backward `br` (a loop's exit test before
        // its back edge): the branch negated goes back, the `br` takes the exit, so the
        // loop runs one instruction fewer per iteration. Unmetered only, as above.
        let swapped = match next {
            Some(Instr::Br { target: back }) if !metered && !targeted[i + 1] => {
                let mut cond = code[i];
                let exit = cond.target_mut().map(|t| *t as usize);
                match exit {
                    Some(exit) if (back as usize) <= i && exit > i + 2 => {
                        cond.negated(back).map(|neg| {
                            (
                                neg,
                                Instr::Br {
                                    target: exit as u32,
                                },
                            )
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((neg, br)) = swapped {
            for (k, instr) in [neg, br].into_iter().enumerate() {
                code[w + k] = instr;
                fuel[w + k] = fuel[i + k];
                targeted[w + k] = targeted[i + k];
                if let Some(o) = origins.as_deref_mut() {
                    o[w + k] = core::mem::take(&mut o[i + k]);
                }
            }
            w += 2;
            i += 2;
            continue;
        }
        let fused = match next {
            // (`fuse_in_place_adds` pairs two instructions of the same form, and
            // `branch_over_br` takes a `br` second: a cheap test first.)
            Some(next)
                if !targeted[i + 1]
                    && (matches!(next, Instr::Br { .. })
                        || core::mem::discriminant(&code[i]) == core::mem::discriminant(&next)) =>
            {
                code[i].fuse_in_place_adds(next).or_else(|| {
                    (!metered)
                        .then(|| branch_over_br(code[i], next, i))
                        .flatten()
                })
            }
            _ => None,
        };
        match fused {
            Some(pair) => {
                code[w] = pair;
                fuel[w] = fuel[i].saturating_add(fuel[i + 1]);
                targeted[w] = targeted[i];
                // The pair stands for what both additions stood for.
                if let Some(o) = origins.as_deref_mut() {
                    let mut first = core::mem::take(&mut o[i]);
                    first.ops.append(&mut o[i + 1].ops);
                    o[w] = first;
                }
                merged.push((i + 1) as u32);
                w += 1;
                i += 2;
            }
            None => {
                if w != i {
                    code[w] = code[i];
                    fuel[w] = fuel[i];
                    targeted[w] = targeted[i];
                    if let Some(o) = origins.as_deref_mut() {
                        o[w] = core::mem::take(&mut o[i]);
                    }
                }
                w += 1;
                i += 1;
            }
        }
    }
    code.truncate(w);
    fuel.truncate(w);
    targeted.truncate(w);
    if let Some(o) = origins {
        o.truncate(w);
    }
    // (Swapped branches keep their places: only fusions change the numbering.)
    if merged.is_empty() {
        return targeted;
    }
    let renumber = |t: u32| {
        if (t as usize) < len {
            t - merged.partition_point(|&m| m <= t) as u32
        } else {
            u32::MAX
        }
    };
    for instr in code.iter_mut() {
        if let Some(target) = instr.target_mut() {
            *target = renumber(*target);
        }
    }
    for entry in br_tables {
        entry.target = renumber(entry.target);
    }
    // (No instruction that can throw is half of a pair: the ranges hold the same ones.)
    for r in ranges {
        (r.start, r.end) = (renumber(r.start), renumber(r.end));
    }
    targeted
}

/// Puts a `Check` into every run of more than [`RUN_MAX`] instructions that do not count
/// against the executor's budget ([`Instr::checks_budget`]), before the instruction that
/// would make it longer (branches keep their targets). Compiler output has such runs
/// only in long straight code (unrolled rounds, initializers), so this is mostly one
/// sweep that finds none. Before `use_accumulator`: no accumulator form reads across a
/// `Check`. Whether it put any.
fn bound_runs<R: Record>(
    code: &mut Vec<Instr>,
    fuel: &mut Vec<u8>,
    br_tables: &mut [BrTableEntry],
    ranges: &mut [TryRange],
    rec: &mut R,
) -> bool {
    let mut run = 0;
    let long = code.iter().any(|instr| {
        run = if instr.kind().checks_budget() {
            0
        } else {
            run + 1
        };
        run > RUN_MAX
    });
    if !long {
        return false;
    }
    let extra = code.len() / RUN_MAX;
    let old = core::mem::replace(code, Vec::with_capacity(code.len() + extra));
    let old_fuel = core::mem::replace(fuel, Vec::with_capacity(code.capacity()));
    let mut origins = rec.origins();
    let mut old_origins = origins.as_deref_mut().map(core::mem::take);
    let mut new_index = Vec::with_capacity(old.len());
    run = 0;
    for (i, &instr) in old.iter().enumerate() {
        if instr.kind().checks_budget() {
            run = 0;
        } else if run == RUN_MAX {
            code.push(Instr::Check);
            fuel.push(0);
            if let Some(new) = origins.as_deref_mut() {
                new.push(Origin::default());
            }
            run = 1;
        } else {
            run += 1;
        }
        new_index.push(code.len() as u32);
        code.push(instr);
        fuel.push(old_fuel[i]);
        if let (Some(new), Some(old)) = (origins.as_deref_mut(), &mut old_origins) {
            new.push(old.get_mut(i).map(core::mem::take).unwrap_or_default());
        }
    }
    let renumber = |t: u32| new_index.get(t as usize).copied().unwrap_or(u32::MAX);
    for instr in code.iter_mut() {
        if let Some(target) = instr.target_mut() {
            *target = renumber(*target);
        }
    }
    for entry in br_tables {
        entry.target = renumber(entry.target);
    }
    for r in ranges {
        (r.start, r.end) = (renumber(r.start), renumber(r.end));
    }
    true
}

/// `br_if` over a `br`: the conditional branch `cond` at `i`, taken to just past the
/// unconditional `br` after it, becomes the negated branch to where the `br` goes (one
/// dispatch instead of two on the path that loops). Fuel then charges the `br` on the
/// path that skipped it, so this is for unmetered engines only.
fn branch_over_br(cond: Instr, br: Instr, i: usize) -> Option<Instr> {
    let Instr::Br { target } = br else {
        return None;
    };
    let mut c = cond;
    let over = c.target_mut().is_some_and(|t| *t as usize == i + 2);
    if over { cond.negated(target) } else { None }
}

/// Turns each instruction that reads the result of the instruction just before it into
/// its accumulator form, unless a branch lands on it (see the bytecode's docs on the
/// accumulator). Runs last: the fusions and copies above match plain forms only.
/// `targeted`: which instructions a branch reaches ([`CompiledFunc::branch_targets`]).
fn use_accumulator(code: &mut [Instr], targeted: &[bool]) {
    for (i, &targeted) in targeted.iter().enumerate().take(code.len()).skip(1) {
        // The previous instruction is read in place (its `dst` only): a copy of it whole
        // would wait for the stores that may have just rewritten it.
        let (before, rest) = code.split_at_mut(i);
        let (Some(prev), Some(instr)) = (before.last_mut(), rest.first_mut()) else {
            continue;
        };
        if targeted || !instr.kind().may_take_acc() {
            continue;
        }
        let Some(&mut d) = prev.dst_mut() else {
            continue;
        };
        let Some(mut with_acc) = instr.with_acc(d) else {
            continue;
        };
        // The same form twice in a row: the other one, if there is one (see the
        // bytecode's docs on the accumulator).
        if with_acc.tag() == prev.tag() {
            with_acc = with_acc.alternate().unwrap_or(with_acc);
        }
        *instr = with_acc;
    }
}

/// Turns each unsigned division and remainder by a nonzero constant into its form that
/// multiplies instead (`I64RemUConst`…), and returns the divisors they index (each once).
/// Runs after [`use_accumulator`]: it maps accumulator forms to accumulator forms.
fn divide_by_constants(code: &mut [Instr]) -> Box<[Divisor]> {
    let mut divisors: Vec<Divisor> = Vec::new();
    for instr in code.iter_mut() {
        // Most code has none: a cheap test before `by_constant`'s full match.
        if !instr.kind().divides_by_imm() {
            continue;
        }
        let intern = |divisor: Divisor| {
            let k = divisors
                .iter()
                .position(|d| *d == divisor)
                .unwrap_or_else(|| {
                    divisors.push(divisor);
                    divisors.len() - 1
                });
            // At most one divisor per instruction: the index fits.
            k as u32
        };
        if let Some(by_constant) = instr.by_constant(intern) {
            *instr = by_constant;
        }
    }
    divisors.into_boxed_slice()
}

/// The number of results of the function being validated.
fn func_results(validator: &FuncValidator<ValidatorResources>) -> Result<u32, Error> {
    let resources = validator.resources();
    let ty = resources
        .type_index_of_function(validator.index())
        .and_then(|t| resources.sub_type_at(t))
        .ok_or_else(|| internal("function without a type"))?;
    Ok(cells(ty.unwrap_func().results()))
}

/// An error that only a bug in Folio (or wasmparser) can produce: validated code never
/// gets there. An error rather than a panic all the same.
#[cold]
fn internal(what: &str) -> Error {
    Error::unsupported(format!("internal translation error: {what}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
    TryTable,
}

/// An open block.
#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Operand stack height below the block's parameters.
    height: u32,
    params: u32,
    results: u32,
    /// A loop's first instruction (its label's target).
    start: u32,
    /// The branch of an `if` to its `else`, until its `else` or `end` gives it a target.
    else_site: Option<u32>,
    /// Head of the list (in `Translator::patches`) of branches to this block's end.
    pending: Option<u32>,
    /// Whether the code at the block's start was reachable (is translated).
    reachable_at_start: bool,
    /// Whether the code at this point of the block is unreachable (not translated).
    unreachable: bool,
    /// The locals written on every path that branches to the block's end so far (see
    /// [`Translator::written`]).
    written_at_end: u64,
    /// An `if`'s: the locals written on every path to its start (where its `else`
    /// starts).
    written_at_start: u64,
}

/// Where a forward branch target must be written.
#[derive(Debug, Clone, Copy)]
enum Site {
    Instr(u32),
    Table(u32),
}

#[derive(Debug)]
struct Patch {
    site: Site,
    next: Option<u32>,
}

/// A value of the operand stack (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Val {
    /// In its home slot.
    Temp,
    /// The value of a local, not copied yet.
    Local(u32),
    /// A constant cell, not written anywhere yet.
    Const(u64),
}

/// An operand stack entry and the fuel of the operators it stands for that no emitted
/// instruction has charged yet (a lazy `local.get` or constant: 1).
#[derive(Debug, Clone, Copy)]
struct Entry {
    val: Val,
    cost: u8,
    /// The offset of the operator that pushed it, when recording (see `disasm`).
    at: u32,
}

impl Entry {
    const TEMP: Entry = Entry {
        val: Val::Temp,
        cost: 0,
        at: 0,
    };
}

/// A condition consumed by `br_if` or `if`.
#[derive(Debug, Clone, Copy)]
enum Cond {
    /// An integer comparison, taken out of the code to be fused with the branch.
    Compare(Instr),
    /// The `i32` in a slot is not zero.
    Nez(Slot),
    /// The `i32` in a slot is zero (an `i32.eqz` taken out of the code).
    Eqz(Slot),
    /// The `i64` in a slot is zero (an `i64.eqz` taken out of the code), or the
    /// reference in it is null.
    Eqz64(Slot),
    /// The `i64` in a slot is not zero: the reference in it is not null.
    Nez64(Slot),
}

#[derive(Default)]
struct Translator<R> {
    /// Whether memory 0 is shared: its accesses take the general path, never the fast
    /// one that reads the bytes through a pointer.
    mem0_shared: bool,
    code: Vec<Instr>,
    fuel: Vec<u8>,
    br_tables: Vec<BrTableEntry>,
    memargs: Vec<MemArg>,
    ctrl: Vec<Ctrl>,
    /// Linked lists of pending branch sites, one per open block.
    patches: Vec<Patch>,
    stack: Vec<Entry>,
    /// Where the operand slots start: after the locals.
    num_locals: u32,
    /// The first local that is not a parameter.
    num_params: u32,
    /// The slot of each local and, last, the number of the locals' cells, when some
    /// local is a `v128` (two cells); `None` when local `i` is slot `i`.
    local_slots: Option<Box<[u32]>>,
    /// The locals after the parameters (bit `k`: local `num_params + k`, the first 64)
    /// written on every path to the operator being translated (all of them where no path
    /// reaches it), and those some path may read before writing: the locals a call must
    /// zero ([`CompiledFunc::zero`]). Wasm's structured control makes this one pass:
    /// a block's end meets the paths that branch to it, an `if`'s `else` starts from the
    /// `if`'s start, and a loop's start needs nothing (paths back to it only add writes).
    written: u64,
    read_unwritten: u64,
    /// The constant pool's cells, in provisional slots from [`POOL_SLOT`].
    pool: Vec<u64>,
    /// How many `loop`s are open.
    loops: u32,
    /// The highest the operand stack got.
    max_stack: u32,
    /// No fusion with instructions before this index: a label points here.
    barrier: u32,
    /// `(pc, height)`: instruction `pc` computed the `Temp` at `height`.
    last_result: Option<(u32, u32)>,
    /// Instruction `pc` (the last one) computed the `v128` at `height` (and `height + 1`),
    /// and how to build it with another destination (see `local_set_v128`).
    last_v128: Option<(u32, u32, simd::Redo)>,
    /// The catch clauses of every `try_table` translated so far.
    catches: Vec<CatchClause>,
    /// The `try_table`s closed so far, innermost first (see the bytecode's docs on
    /// exceptions).
    ranges: Vec<TryRange>,
    /// The open `try_table`s: where each one's body starts, and its clauses in
    /// `catches` (first, how many).
    tries: Vec<(u32, u32, u32)>,
    /// What is recorded besides the code (see `disasm`): nothing when a module is
    /// loaded.
    rec: R,
}

impl<R: Record> Translator<R> {
    fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    fn height(&self) -> u32 {
        self.stack.len() as u32
    }

    /// The home slot of the entry at height `h`.
    fn home(&self, h: u32) -> Slot {
        self.num_locals + h
    }

    fn emit(&mut self, instr: Instr, cost: u8) -> u32 {
        let pc = self.push_instr(instr, cost);
        self.rec.emitted(cost);
        pc
    }

    /// Appends `instr` to the code (`emit` without recording).
    #[inline]
    fn push_instr(&mut self, instr: Instr, cost: u8) -> u32 {
        let pc = self.pc();
        self.code.push(instr);
        self.fuel.push(cost);
        self.last_result = None;
        self.last_v128 = None;
        pc
    }

    /// Emits `instr`, which copies the entry `e` somewhere, charged `e.cost`.
    fn emit_copy(&mut self, instr: Instr, e: Entry) {
        self.push_instr(instr, e.cost);
        self.rec.emitted_copy(e.val != Val::Temp, e.at);
    }

    /// A label points at the next instruction: nothing before may fuse with what follows.
    fn label_here(&mut self) {
        self.barrier = self.pc();
        self.last_result = None;
        self.last_v128 = None;
    }

    fn push(&mut self, entry: Entry) {
        let h = self.stack.len();
        self.stack.push(entry);
        self.max_stack = self.max_stack.max(self.height());
        if let Some(deep) = h.checked_sub(LAZY_DEPTH) {
            self.materialize(deep as u32);
        }
    }

    fn push_lazy(&mut self, val: Val) {
        self.push(Entry {
            val,
            cost: 1,
            at: self.rec.at(),
        });
    }

    /// Pushes the result of `make(dst)`, computed into its home slot.
    fn push_result(&mut self, make: impl FnOnce(Slot) -> Instr, cost: u8) {
        let h = self.height();
        self.push(Entry::TEMP);
        let pc = self.emit(make(self.home(h)), cost);
        self.last_result = Some((pc, h));
    }

    fn pop(&mut self) -> Result<Entry, Error> {
        self.stack
            .pop()
            .ok_or_else(|| internal("operand stack underflow"))
    }

    fn pop_n(&mut self, n: u32) -> Result<(), Error> {
        let len = (self.height())
            .checked_sub(n)
            .ok_or_else(|| internal("operand stack underflow"))?;
        self.stack.truncate(len as usize);
        Ok(())
    }

    fn entry(&self, h: u32) -> Result<Entry, Error> {
        self.stack
            .get(h as usize)
            .copied()
            .ok_or_else(|| internal("operand stack underflow"))
    }

    /// Height of the entry `depth` below the top (0: the top).
    fn below_top(&self, depth: u32) -> Result<u32, Error> {
        self.height()
            .checked_sub(depth + 1)
            .ok_or_else(|| internal("operand stack underflow"))
    }

    /// The instruction that copies entry `e`, at height `h`, to slot `dst`.
    fn copy_of(&self, e: Entry, h: u32, dst: Slot) -> Instr {
        match e.val {
            Val::Temp => Instr::Copy {
                dst,
                src: self.home(h),
            },
            Val::Local(src) => Instr::Copy { dst, src },
            Val::Const(value) => Instr::Const { dst, value },
        }
    }

    /// Copies the entry at height `h` to its home slot if it is lazy.
    fn materialize(&mut self, h: u32) {
        let Some(&e) = self.stack.get(h as usize) else {
            return;
        };
        let dst = self.home(h);
        let copy = match e.val {
            Val::Temp => return,
            Val::Local(src) => Instr::Copy { dst, src },
            Val::Const(value) => Instr::Const { dst, value },
        };
        self.emit_copy(copy, e);
        self.stack[h as usize] = Entry::TEMP;
    }

    /// Materializes the top `n` entries.
    fn materialize_top(&mut self, n: u32) -> Result<(), Error> {
        let h = self
            .height()
            .checked_sub(n)
            .ok_or_else(|| internal("operand stack underflow"))?;
        for i in h..self.height() {
            self.materialize(i);
        }
        Ok(())
    }

    /// Materializes every entry (only the top `LAZY_DEPTH` can be lazy).
    fn materialize_all(&mut self) {
        let h = self.height();
        for i in h.saturating_sub(LAZY_DEPTH as u32)..h {
            self.materialize(i);
        }
    }

    /// Materializes the lazy copies of local `index`, before it changes.
    fn preserve_local(&mut self, index: u32) {
        let h = self.height();
        for i in h.saturating_sub(LAZY_DEPTH as u32)..h {
            if self.stack[i as usize].val == Val::Local(index) {
                self.materialize(i);
            }
        }
    }

    /// The slot of the entry at height `h`: a constant's in the pool, or else its home
    /// once materialized.
    fn slot(&mut self, h: u32) -> Result<Slot, Error> {
        let e = self.entry(h)?;
        Ok(match e.val {
            Val::Temp => self.home(h),
            Val::Local(i) => i,
            Val::Const(c) if let Some(i) = self.pool.iter().position(|&p| p == c) => {
                POOL_SLOT + i as u32
            }
            Val::Const(c) if self.loops > 0 && self.pool.len() < POOL_MAX as usize => {
                self.pool.push(c);
                POOL_SLOT + (self.pool.len() - 1) as u32
            }
            Val::Const(_) => {
                self.materialize(h);
                self.home(h)
            }
        })
    }

    /// The fuel of the top `n` entries, charged now (they are being consumed).
    fn take_cost(&mut self, n: u32) -> u8 {
        let from = self.stack.len().saturating_sub(n as usize);
        let mut cost = 0u8;
        if R::ON {
            for e in &self.stack[from..] {
                self.rec.charge(e.at, e.cost);
            }
        }
        for e in &mut self.stack[from..] {
            cost = cost.saturating_add(e.cost);
            e.cost = 0;
        }
        cost
    }

    /// Whether the top entry was computed by the last instruction, which may still be
    /// changed.
    fn top_is_last_result(&self) -> bool {
        let h = self.stack.len().wrapping_sub(1) as u32;
        let last = self.pc().wrapping_sub(1);
        self.last_result == Some((last, h))
            && self.barrier <= last
            && self.stack.last().is_some_and(|e| e.val == Val::Temp)
    }

    fn top(&mut self) -> Result<&mut Ctrl, Error> {
        self.ctrl
            .last_mut()
            .ok_or_else(|| internal("operator after the function's end"))
    }

    fn set_unreachable(&mut self) -> Result<(), Error> {
        self.top()?.unreachable = true;
        // No path reaches what follows.
        self.written = u64::MAX;
        Ok(())
    }

    /// The bit of local `index` in [`Translator::written`] (none for a parameter or a
    /// local after the first 64).
    fn local_bit(&self, index: u32) -> u64 {
        match index.checked_sub(self.num_params) {
            Some(k) if k < 64 => 1 << k,
            _ => 0,
        }
    }

    /// The slot of local `index` and whether it is a `v128` (in that slot and the next).
    #[inline(always)]
    fn local(&self, index: u32) -> (Slot, bool) {
        match &self.local_slots {
            None => (index, false),
            Some(slots) => {
                let at = slots.get(index as usize).copied().unwrap_or(0);
                let next = slots.get(index as usize + 1).copied().unwrap_or(at);
                (at, next - at == 2)
            }
        }
    }

    /// `local.get index`: read in place later, but read now as far as zeroing goes.
    /// (Small and inlined when no local is a `v128`: the frequent case, which the
    /// visitor's `visit_local_get` then does without a call.)
    #[inline(always)]
    fn local_get(&mut self, index: u32) {
        if self.local_slots.is_some() {
            return self.local_get_slots(index);
        }
        self.read_unwritten |= self.local_bit(index) & !self.written;
        self.push_lazy(Val::Local(index));
    }

    /// [`local_get`](Self::local_get) in a function with a `v128` local.
    #[inline(never)]
    fn local_get_slots(&mut self, index: u32) {
        let (slot, wide) = self.local(index);
        self.read_unwritten |= self.local_bit(slot) & !self.written;
        self.push_lazy(Val::Local(slot));
        if wide {
            self.read_unwritten |= self.local_bit(slot + 1) & !self.written;
            self.push_high(Val::Local(slot + 1));
        }
    }

    /// Pushes the high half of a `v128` whose low half was just pushed (lazy, costing
    /// nothing: the operator's fuel is on the low half).
    fn push_high(&mut self, val: Val) {
        self.push(Entry {
            val,
            cost: 0,
            at: self.rec.at(),
        });
    }

    /// A branch to the end of block `frame` leaves from here.
    fn written_on_branch(&mut self, frame: usize) {
        let written = self.written;
        if let Some(c) = self.ctrl.get_mut(frame)
            && matches!(
                c.kind,
                CtrlKind::Block | CtrlKind::If | CtrlKind::Else | CtrlKind::TryTable
            )
        {
            c.written_at_end &= written;
        }
    }

    fn add_pending(&mut self, frame: usize, site: Site) {
        let head = self.patches.len() as u32;
        self.patches.push(Patch {
            site,
            next: self.ctrl[frame].pending,
        });
        self.ctrl[frame].pending = Some(head);
    }

    fn patch(&mut self, site: Site, to: u32) {
        match site {
            Site::Instr(pc) => {
                if let Some(target) = self.code.get_mut(pc as usize).and_then(Instr::target_mut) {
                    *target = to;
                }
            }
            Site::Table(i) => self.br_tables[i as usize].target = to,
        }
    }

    /// Patches every pending branch of `frame` to `to`.
    fn resolve(&mut self, frame: &Ctrl, to: u32) {
        let mut next = frame.pending;
        while let Some(i) = next {
            let Patch { site, next: n } = self.patches[i as usize];
            self.patch(site, to);
            next = n;
        }
    }

    /// Index in `ctrl` of the label `depth`, its arity, and its height.
    fn label(&self, depth: u32) -> Result<(usize, u32, u32), Error> {
        let frame = (self.ctrl.len() as u32)
            .checked_sub(depth + 1)
            .ok_or_else(|| internal("branch depth"))? as usize;
        let c = &self.ctrl[frame];
        let arity = if c.kind == CtrlKind::Loop {
            c.params
        } else {
            c.results
        };
        Ok((frame, arity, c.height))
    }

    /// Records the branch instruction at `pc` as a branch to label `frame`: a loop's
    /// start, or pending until the block's end.
    fn link_branch(&mut self, frame: usize, pc: u32) {
        let c = &self.ctrl[frame];
        if c.kind == CtrlKind::Loop {
            let start = c.start;
            self.patch(Site::Instr(pc), start);
        } else {
            self.add_pending(frame, Site::Instr(pc));
        }
    }

    /// Puts the top `arity` values where a label of height `to` wants them (its slots
    /// from `home(to)`), leaving the operand stack model as it is: materialized in place
    /// when they are there already, else copied down.
    fn move_to_label(&mut self, to: u32, arity: u32) -> Result<(), Error> {
        let from = self
            .height()
            .checked_sub(arity)
            .ok_or_else(|| internal("operand stack below a label"))?;
        if from == to {
            return self.materialize_top(arity);
        }
        if to > from {
            return Err(internal("label above the operand stack"));
        }
        // Ascending: each destination is below every source not yet copied.
        for i in 0..arity {
            let e = self.entry(from + i)?;
            let copy = self.copy_of(e, from + i, self.home(to + i));
            self.emit_copy(copy, e);
        }
        Ok(())
    }

    /// Pops the condition of a `br_if` or `if`, taking the comparison that computed it
    /// out of the code when it can be fused with the branch.
    fn take_cond(&mut self) -> Result<(Cond, u8), Error> {
        let h = self.below_top(0)?;
        if let Val::Const(_) = self.entry(h)?.val {
            self.materialize(h);
        }
        let fusable = self.top_is_last_result();
        let mut cost = self.take_cost(1);
        let e = self.pop()?;
        let slot = match e.val {
            Val::Local(i) => i,
            _ => self.home(h),
        };
        if fusable {
            let last = self.code.len() - 1;
            let instr = self.code[last];
            let cond = match instr {
                Instr::I32Eqz { src, .. } => Some(Cond::Eqz(src)),
                Instr::I64Eqz { src, .. } => Some(Cond::Eqz64(src)),
                _ => instr.fuse_branch(true, 0).map(|_| Cond::Compare(instr)),
            };
            if let Some(cond) = cond {
                self.code.pop();
                let fuel = self.fuel.pop().unwrap_or(0);
                cost = cost.saturating_add(fuel);
                self.rec.popped(fuel);
                self.last_result = None;
                return Ok((cond, cost));
            }
        }
        Ok((Cond::Nez(slot), cost))
    }

    /// Emits a branch to `target` taken when `cond` is `when`.
    fn emit_cond_branch(&mut self, cond: Cond, when: bool, target: u32, cost: u8) -> u32 {
        let instr = match (cond, when) {
            (Cond::Compare(cmp), _) => cmp.fuse_branch(when, target).unwrap_or(Instr::Unreachable),
            (Cond::Nez(cond), true) | (Cond::Eqz(cond), false) => Instr::BrIfNez { cond, target },
            (Cond::Nez(cond), false) | (Cond::Eqz(cond), true) => Instr::BrIfEqz { cond, target },
            (Cond::Eqz64(cond), true) => Instr::BrIfEqz64 { cond, target },
            (Cond::Eqz64(cond), false) | (Cond::Nez64(cond), true) => {
                Instr::BrIfNez64 { cond, target }
            }
            (Cond::Nez64(cond), false) => Instr::BrIfEqz64 { cond, target },
        };
        // A loop's step right before its test: one instruction.
        let last = self.code.len().wrapping_sub(1);
        if let Some(&prev) = self.code.get(last)
            && self.barrier as usize <= last
            && let Some(fused) = prev.fuse_step(instr)
        {
            self.code[last] = fused;
            self.fuel[last] = self.fuel[last].saturating_add(cost);
            self.rec.merged_into_last(cost);
            self.last_result = None;
            return last as u32;
        }
        self.emit(instr, cost)
    }

    /// `return`: the top `num_results` values to the caller.
    fn emit_return(&mut self, n: u32, cost: u8) -> Result<(), Error> {
        let top = self.stack.last().copied();
        let cost = cost.saturating_add(self.take_cost(n));
        if n == 1
            && let Some(Entry {
                val: Val::Local(src),
                ..
            }) = top
        {
            self.emit(Instr::Return { src, n }, cost);
            return Ok(());
        }
        self.materialize_top(n)?;
        let src = self.home(self.height() - n);
        self.emit(Instr::Return { src, n }, cost);
        Ok(())
    }

    /// The function's final `end`: its `Return`, which branches to the function's label
    /// reach with the results in the first operand slots.
    fn end_func(&mut self, frame: &Ctrl, reachable: bool) -> Result<(), Error> {
        // Where the results are, even when only branches get here.
        self.max_stack = self.max_stack.max(frame.results);
        self.label_here();
        if reachable && frame.pending.is_none() {
            return self.emit_return(frame.results, 1);
        }
        if reachable {
            self.materialize_top(frame.results)?;
        }
        let cost = u8::from(reachable);
        let src = self.home(0);
        let pc = self.emit(
            Instr::Return {
                src,
                n: frame.results,
            },
            cost,
        );
        self.resolve(frame, pc);
        Ok(())
    }

    /// `br depth`; what follows is unreachable.
    fn br(&mut self, depth: u32) -> Result<(), Error> {
        let (frame, arity, to) = self.label(depth)?;
        if self.ctrl[frame].kind == CtrlKind::Func {
            self.emit_return(arity, 1)?;
            return self.set_unreachable();
        }
        self.written_on_branch(frame);
        self.move_to_label(to, arity)?;
        let pc = self.emit(Instr::Br { target: 0 }, 1);
        self.link_branch(frame, pc);
        self.set_unreachable()
    }

    /// `br_if depth`.
    fn br_if(&mut self, depth: u32) -> Result<(), Error> {
        let (cond, cost) = self.take_cond()?;
        self.br_if_cond(depth, cond, cost.saturating_add(1))
    }

    /// A branch to label `depth` taken when `cond` holds (its operand already off the
    /// stack model, or, for `br_on_non_null`, the branch's last value), costing `cost`.
    fn br_if_cond(&mut self, depth: u32, cond: Cond, cost: u8) -> Result<(), Error> {
        let (frame, arity, to) = self.label(depth)?;
        self.written_on_branch(frame);
        let from = self
            .height()
            .checked_sub(arity)
            .ok_or_else(|| internal("operand stack below a label"))?;
        if self.ctrl[frame].kind != CtrlKind::Func && from == to {
            self.materialize_top(arity)?;
            let pc = self.emit_cond_branch(cond, true, 0, cost);
            self.link_branch(frame, pc);
            return Ok(());
        }
        let skip = self.emit_cond_branch(cond, false, 0, cost);
        if self.ctrl[frame].kind == CtrlKind::Func {
            // Charged by the branch already; the values stay lazy for the fall-through.
            let saved: Vec<Entry> = self.stack[from as usize..].to_vec();
            self.emit_return(arity, 0)?;
            self.stack.truncate(from as usize);
            self.stack.extend(saved);
        } else {
            self.move_to_label(to, arity)?;
            let pc = self.emit(Instr::Br { target: 0 }, 0);
            self.link_branch(frame, pc);
        }
        let end = self.pc();
        self.patch(Site::Instr(skip), end);
        self.label_here();
        Ok(())
    }

    /// One entry of a `br_table` for label `depth`; the values are in their homes.
    fn br_table_entry(&mut self, depth: u32) -> Result<(), Error> {
        let (frame, n, to) = self.label(depth)?;
        self.written_on_branch(frame);
        let from = self
            .height()
            .checked_sub(n)
            .ok_or_else(|| internal("operand stack below a label"))?;
        let c = &self.ctrl[frame];
        let start = c.start;
        let is_loop = c.kind == CtrlKind::Loop;
        let i = self.br_tables.len() as u32;
        self.br_tables.push(BrTableEntry {
            target: start,
            from: self.home(from),
            to: self.home(to),
            n,
        });
        if !is_loop {
            self.add_pending(frame, Site::Table(i));
        }
        Ok(())
    }

    fn push_block(
        &mut self,
        kind: CtrlKind,
        ty: (u32, u32),
        else_site: Option<u32>,
    ) -> Result<(), Error> {
        let reachable = !self.top()?.unreachable;
        let (params, results) = ty;
        let height = if reachable {
            self.height()
                .checked_sub(params)
                .ok_or_else(|| internal("block height"))?
        } else {
            0
        };
        let start = self.pc();
        if kind == CtrlKind::Loop {
            self.loops += 1;
        }
        self.ctrl.push(Ctrl {
            kind,
            height,
            params,
            results,
            start,
            else_site,
            pending: None,
            reachable_at_start: reachable,
            unreachable: !reachable,
            written_at_end: u64::MAX,
            written_at_start: self.written,
        });
        Ok(())
    }

    /// The stack model at the start of `c`'s code, or at its end (`values` entries, all
    /// in their homes).
    fn reset_stack(&mut self, c_height: u32, values: u32) {
        self.stack.truncate(c_height as usize);
        self.stack
            .resize(c_height as usize + values as usize, Entry::TEMP);
        self.max_stack = self.max_stack.max(self.height());
    }

    /// Translates `op`, which the validator has accepted.
    fn op(
        &mut self,
        op: &Operator<'_>,
        validator: &FuncValidator<ValidatorResources>,
    ) -> Result<(), Error> {
        let reachable = self.reachable()?;
        match *op {
            Operator::Block { blockty } => {
                self.block(CtrlKind::Block, blockty, validator, reachable)?
            }
            Operator::Loop { blockty } => {
                self.block(CtrlKind::Loop, blockty, validator, reachable)?
            }
            Operator::If { blockty } => self.if_(blockty, validator, reachable)?,
            Operator::Else => self.else_(reachable)?,
            Operator::End => self.end(reachable)?,
            Operator::TryTable { ref try_table } => {
                self.try_table(try_table, validator, reachable)?;
            }
            _ if !reachable => {}
            Operator::Throw { tag_index } => {
                let n = validator
                    .resources()
                    .tag_at(tag_index)
                    .map(|ty| cells(ty.params()))
                    .ok_or_else(|| internal("throw of an unknown tag"))?;
                self.materialize_top(n)?;
                let cost = self.take_cost(n).saturating_add(1);
                self.pop_n(n)?;
                let base = self.home(self.height());
                self.emit(
                    Instr::Throw {
                        tag: tag_index,
                        base,
                    },
                    cost,
                );
                self.set_unreachable()?;
            }
            Operator::ThrowRef => {
                let h = self.below_top(0)?;
                let src = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                self.emit(Instr::ThrowRef { src }, cost);
                self.set_unreachable()?;
            }
            Operator::Unreachable => {
                self.emit(Instr::Unreachable, 1);
                self.set_unreachable()?;
            }
            Operator::Nop => {}
            Operator::Br { relative_depth } => self.br(relative_depth)?,
            Operator::BrIf { relative_depth } => self.br_if(relative_depth)?,
            Operator::BrTable { ref targets } => {
                let h = self.below_top(0)?;
                let index = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                let (_, arity, _) = self.label(targets.default())?;
                self.materialize_top(arity)?;
                let offset = self.br_tables.len() as u32;
                let len = targets.len();
                self.emit(Instr::BrTable { index, offset, len }, cost);
                for depth in targets.targets() {
                    self.br_table_entry(depth?)?;
                }
                self.br_table_entry(targets.default())?;
                self.set_unreachable()?;
            }
            Operator::Return => {
                let n = self.ctrl.first().map_or(0, |c| c.results);
                self.emit_return(n, 1)?;
                self.set_unreachable()?;
            }
            Operator::Call { function_index } => {
                self.call_func(function_index, false, validator)?;
            }
            Operator::ReturnCall { function_index } => {
                self.call_func(function_index, true, validator)?;
            }
            Operator::CallIndirect {
                type_index: ty,
                table_index: table,
            } => {
                let instr = if table64(validator, table) {
                    Instr::CallIndirect64 { ty, table, base: 0 }
                } else {
                    Instr::CallIndirect { ty, table, base: 0 }
                };
                self.call_of_type(ty, instr, validator)?;
            }
            Operator::ReturnCallIndirect {
                type_index: ty,
                table_index: table,
            } => {
                let instr = if table64(validator, table) {
                    Instr::ReturnCallIndirect64 { ty, table, base: 0 }
                } else {
                    Instr::ReturnCallIndirect { ty, table, base: 0 }
                };
                self.call_of_type(ty, instr, validator)?;
            }
            Operator::CallRef { type_index: ty } => {
                self.call_of_type(ty, Instr::CallRef { ty, base: 0 }, validator)?;
            }
            Operator::ReturnCallRef { type_index: ty } => {
                self.call_of_type(ty, Instr::ReturnCallRef { ty, base: 0 }, validator)?;
            }
            Operator::RefAsNonNull => {
                let h = self.below_top(0)?;
                let src = self.slot(h)?;
                let cost = self.take_cost(0).saturating_add(1);
                self.emit(Instr::RefAsNonNull { src }, cost);
            }
            Operator::BrOnNull { relative_depth } => {
                // Taken when null, dropping the reference; otherwise it stays.
                let h = self.below_top(0)?;
                self.materialize(h);
                let e = self.entry(h)?;
                let slot = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                self.br_if_cond(relative_depth, Cond::Eqz64(slot), cost)?;
                self.push(e);
            }
            Operator::BrOnNonNull { relative_depth } => {
                // Taken when not null, carrying the reference; otherwise it is dropped.
                let h = self.below_top(0)?;
                self.materialize(h);
                let slot = self.slot(h)?;
                let cost = self.take_cost(0).saturating_add(1);
                self.br_if_cond(relative_depth, Cond::Nez64(slot), cost)?;
                self.pop()?;
            }
            // (`translate_op!` translates the untyped `drop` and `select`, which need the
            // validator's type of their operand.)
            Operator::TypedSelect { ty } => self.select(cells(&[ty]))?,
            Operator::LocalGet { local_index } => self.local_get(local_index),
            Operator::LocalSet { local_index } => self.local_set(local_index, false)?,
            Operator::LocalTee { local_index } => self.local_set(local_index, true)?,
            Operator::GlobalGet { global_index } => {
                self.global_get(global_index, global_cells(validator, global_index) == 2);
            }
            Operator::GlobalSet { global_index } => {
                self.global_set(global_index, global_cells(validator, global_index) == 2)?;
            }
            Operator::I32Const { value } => self.push_lazy(Val::Const(u64::from(value as u32))),
            Operator::I64Const { value } => self.push_lazy(Val::Const(value as u64)),
            Operator::F32Const { value } => self.push_lazy(Val::Const(u64::from(value.bits()))),
            Operator::F64Const { value } => self.push_lazy(Val::Const(value.bits())),
            Operator::RefNull { .. } => self.push_lazy(Val::Const(0)),
            Operator::RefIsNull => self.unary(|dst, src| Instr::RefIsNull { dst, src })?,
            Operator::RefFunc { function_index } => {
                self.push_result(
                    |dst| Instr::RefFunc {
                        dst,
                        func: function_index,
                    },
                    1,
                );
            }
            Operator::I32WrapI64 if self.wrap_into_last()? => {}
            // No-ops on cells: the bits stay, and an i32 cell is already zero-extended.
            Operator::I32ReinterpretF32
            | Operator::I64ReinterpretF64
            | Operator::F32ReinterpretI32
            | Operator::F64ReinterpretI64
            | Operator::I64ExtendI32U => {}
            Operator::MemorySize { mem } => {
                self.push_result(|dst| Instr::MemorySize { dst, memory: mem }, 1);
            }
            Operator::MemoryGrow { mem } => {
                self.unary(|dst, delta| Instr::MemoryGrow {
                    dst,
                    delta,
                    memory: mem,
                })?;
            }
            Operator::MemoryFill { mem } => {
                self.in_place(3, 0, |base| Instr::MemoryFill { memory: mem, base })?;
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                self.in_place(3, 0, |base| Instr::MemoryCopy {
                    dst: dst_mem,
                    src: src_mem,
                    base,
                })?;
            }
            Operator::MemoryInit { data_index, mem } => {
                self.in_place(3, 0, |base| Instr::MemoryInit {
                    memory: mem,
                    data: data_index,
                    base,
                })?;
            }
            Operator::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { data: data_index }, 1);
            }
            Operator::TableGet { table } if table64(validator, table) => {
                self.in_place(1, 1, |base| Instr::TableGet64 { table, base })?;
            }
            Operator::TableGet { table } => {
                self.in_place(1, 1, |base| Instr::TableGet { table, base })?;
            }
            Operator::TableSet { table } if table64(validator, table) => {
                self.in_place(2, 0, |base| Instr::TableSet64 { table, base })?;
            }
            Operator::TableSet { table } => {
                self.in_place(2, 0, |base| Instr::TableSet { table, base })?;
            }
            Operator::TableSize { table } => {
                self.push_result(|dst| Instr::TableSize { dst, table }, 1);
            }
            Operator::TableGrow { table } if table64(validator, table) => {
                self.in_place(2, 1, |base| Instr::TableGrow64 { table, base })?;
            }
            Operator::TableGrow { table } => {
                self.in_place(2, 1, |base| Instr::TableGrow { table, base })?;
            }
            Operator::TableFill { table } if table64(validator, table) => {
                self.in_place(3, 0, |base| Instr::TableFill64 { table, base })?;
            }
            Operator::TableFill { table } => {
                self.in_place(3, 0, |base| Instr::TableFill { table, base })?;
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } if table64(validator, dst_table) || table64(validator, src_table) => {
                self.in_place(3, 0, |base| Instr::TableCopy64 {
                    dst: dst_table,
                    src: src_table,
                    base,
                })?;
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                self.in_place(3, 0, |base| Instr::TableCopy {
                    dst: dst_table,
                    src: src_table,
                    base,
                })?;
            }
            Operator::TableInit { elem_index, table } if table64(validator, table) => {
                self.in_place(3, 0, |base| Instr::TableInit64 {
                    table,
                    elem: elem_index,
                    base,
                })?;
            }
            Operator::TableInit { elem_index, table } => {
                self.in_place(3, 0, |base| Instr::TableInit {
                    table,
                    elem: elem_index,
                    base,
                })?;
            }
            Operator::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { elem: elem_index }, 1);
            }
            Operator::AtomicFence { .. } => {
                self.emit(Instr::AtomicFence, 1);
            }
            // Wide arithmetic: a 128-bit operand or result is two entries, low half first.
            Operator::I64Add128 => {
                self.in_place(4, 2, |base| Instr::I64Add128 {
                    dst: base,
                    a: base,
                    b: base + 2,
                })?;
            }
            Operator::I64Sub128 => {
                self.in_place(4, 2, |base| Instr::I64Sub128 {
                    dst: base,
                    a: base,
                    b: base + 2,
                })?;
            }
            Operator::I64MulWideS => {
                self.mul_wide(|dst, a, b| Instr::I64MulWideS { dst, a, b })?;
            }
            Operator::I64MulWideU => {
                self.mul_wide(|dst, a, b| Instr::I64MulWideU { dst, a, b })?;
            }
            ref other => {
                if let Some((memarg, form)) = atomic(other) {
                    self.atomic(&memarg, form)?;
                } else if let Some(how) = one_to_one(other) {
                    self.one_to_one(how, matches!(other, Operator::F64Add))?;
                } else if self.simd(other)? {
                } else {
                    return Err(Error::unsupported(format!("operator {other:?}")));
                }
            }
        }
        Ok(())
    }

    /// Whether the code at this point is reachable (translated).
    #[inline]
    fn reachable(&self) -> Result<bool, Error> {
        self.ctrl
            .last()
            .map(|c| !c.unreachable)
            .ok_or_else(|| internal("operator after the function's end"))
    }

    /// An operator translated one to one, `how` (`f64_add`: it is `f64.add`, which may
    /// fuse with a multiply).
    fn one_to_one(&mut self, how: OneToOne, f64_add: bool) -> Result<(), Error> {
        match how {
            OneToOne::Load { fast, slow, memarg } => {
                let h = self.below_top(0)?;
                let addr = self.slot(h)?;
                let cost = self.take_cost(1).saturating_add(1);
                self.pop()?;
                let (make, operand) = self.mem_operand(memarg, fast, slow);
                self.push_result(|dst| make(dst, addr, operand), cost);
            }
            OneToOne::Store {
                fast,
                slow,
                memarg,
                bytes,
            } => {
                let h = self.below_top(1)?;
                let addr = self.slot(h)?;
                // A constant to memory 0: in the instruction, not in a slot first (nor in
                // the pool, in a loop: a pool costs every call of the function).
                let imm = match self.entry(h + 1)?.val {
                    // (Not a shared memory's: its accesses never take memory 0's fast path.)
                    Val::Const(c) if memarg.memory == 0 && !self.mem0_shared => {
                        u32::try_from(memarg.offset)
                            .ok()
                            .and_then(|offset| Instr::store_imm(bytes, addr, offset, c))
                    }
                    _ => None,
                };
                if let Some(instr) = imm {
                    let cost = self.take_cost(2).saturating_add(1);
                    self.pop_n(2)?;
                    self.emit(instr, cost);
                    return Ok(());
                }
                let value = self.slot(h + 1)?;
                let cost = self.take_cost(2).saturating_add(1);
                self.pop_n(2)?;
                let (make, operand) = self.mem_operand(memarg, fast, slow);
                self.emit(make(addr, value, operand), cost);
            }
            OneToOne::Unary(make) => self.unary(make)?,
            OneToOne::Binary { .. } if f64_add && self.mul_add()? => {}
            OneToOne::Binary { ss, imm, to_imm } => {
                self.binary(ss, imm, to_imm)?;
            }
        }
        Ok(())
    }

    /// `block` or `loop` (`kind`): a loop's label is its start.
    fn block(
        &mut self,
        kind: CtrlKind,
        blockty: BlockType,
        validator: &FuncValidator<ValidatorResources>,
        reachable: bool,
    ) -> Result<(), Error> {
        let ty = block_arity(validator, blockty)?;
        if reachable {
            self.materialize_all();
            if kind == CtrlKind::Loop {
                self.label_here();
            }
        }
        self.push_block(kind, ty, None)
    }

    /// `try_table`: a block whose body's instructions are a range of the handler table
    /// (see the bytecode's docs on exceptions), its clauses' labels registered as
    /// branches from here (resolved in the enclosing blocks: a clause's label is not the
    /// `try_table`'s). Nothing of it runs unless something throws. A label here keeps
    /// the code before from fusing with the body's first instructions: an instruction
    /// taken out of the code and put back would land in the body.
    fn try_table(
        &mut self,
        try_table: &wasmparser::TryTable,
        validator: &FuncValidator<ValidatorResources>,
        reachable: bool,
    ) -> Result<(), Error> {
        use wasmparser::Catch;
        let ty = block_arity(validator, try_table.ty)?;
        let first = self.catches.len() as u32;
        if reachable {
            self.materialize_all();
            self.label_here();
            for catch in &try_table.catches {
                let (tag, with_ref, depth) = match *catch {
                    Catch::One { tag, label } => (tag, false, label),
                    Catch::OneRef { tag, label } => (tag, true, label),
                    Catch::All { label } => (CatchClause::ALL, false, label),
                    Catch::AllRef { label } => (CatchClause::ALL, true, label),
                };
                let (frame, n, to) = self.label(depth)?;
                self.written_on_branch(frame);
                let c = &self.ctrl[frame];
                let (start, is_loop) = (c.start, c.kind == CtrlKind::Loop);
                let entry = self.br_tables.len() as u32;
                let to = self.home(to);
                self.br_tables.push(BrTableEntry {
                    target: start,
                    from: to,
                    to,
                    n,
                });
                if !is_loop {
                    self.add_pending(frame, Site::Table(entry));
                }
                self.catches.push(CatchClause {
                    tag,
                    with_ref,
                    entry,
                });
            }
        }
        let len = self.catches.len() as u32 - first;
        self.tries.push((self.pc(), first, len));
        self.push_block(CtrlKind::TryTable, ty, None)
    }

    /// `if`.
    fn if_(
        &mut self,
        blockty: BlockType,
        validator: &FuncValidator<ValidatorResources>,
        reachable: bool,
    ) -> Result<(), Error> {
        let ty = block_arity(validator, blockty)?;
        let site = if reachable {
            let (cond, cost) = self.take_cond()?;
            self.materialize_all();
            Some(self.emit_cond_branch(cond, false, 0, cost.saturating_add(1)))
        } else {
            None
        };
        self.push_block(CtrlKind::If, ty, site)
    }

    /// `else`.
    fn else_(&mut self, reachable: bool) -> Result<(), Error> {
        let frame = self.ctrl.len() - 1;
        let (height, params, results) = {
            let c = self.top()?;
            (c.height, c.params, c.results)
        };
        if reachable {
            self.materialize_top(results)?;
            let pc = self.emit(Instr::Br { target: 0 }, 0);
            self.add_pending(frame, Site::Instr(pc));
            self.written_on_branch(frame);
        }
        self.label_here();
        let pc = self.pc();
        let top = self.top()?;
        let else_site = top.else_site.take();
        top.kind = CtrlKind::Else;
        top.unreachable = !top.reachable_at_start;
        self.written = if top.reachable_at_start {
            top.written_at_start
        } else {
            u64::MAX
        };
        if let Some(site) = else_site {
            self.patch(Site::Instr(site), pc);
        }
        self.reset_stack(height, params);
        Ok(())
    }

    /// `end`.
    fn end(&mut self, reachable: bool) -> Result<(), Error> {
        let (kind, results) = {
            let c = self.top()?;
            (c.kind, c.results)
        };
        if kind == CtrlKind::Func {
            let frame = self
                .ctrl
                .pop()
                .ok_or_else(|| internal("`end` without a block"))?;
            return self.end_func(&frame, reachable);
        }
        if reachable {
            self.materialize_top(results)?;
        }
        let frame = self
            .ctrl
            .pop()
            .ok_or_else(|| internal("`end` without a block"))?;
        if frame.kind == CtrlKind::Loop {
            self.loops = self.loops.saturating_sub(1);
        }
        if frame.kind == CtrlKind::TryTable {
            let (start, first, len) = self
                .tries
                .pop()
                .ok_or_else(|| internal("`end` of a try_table not opened"))?;
            if frame.reachable_at_start {
                // Nothing moves across the body's end either (see `try_table`).
                self.label_here();
                let end = self.pc();
                self.ranges.push(TryRange {
                    start,
                    end,
                    first,
                    len,
                });
            }
        }
        // The paths that meet here: falling through, branching to the end, and an `if`
        // without `else` not taken.
        let mut written = if reachable { self.written } else { u64::MAX };
        written &= frame.written_at_end;
        if frame.kind == CtrlKind::If && frame.reachable_at_start {
            written &= frame.written_at_start;
        }
        self.written = written;
        let pc = self.pc();
        if frame.else_site.is_some() || frame.pending.is_some() {
            self.label_here();
        }
        if let Some(site) = frame.else_site {
            self.patch(Site::Instr(site), pc);
        }
        self.resolve(&frame, pc);
        if frame.reachable_at_start {
            self.reset_stack(frame.height, frame.results);
        }
        Ok(())
    }

    /// `call function_index`, or `return_call` with `tail`.
    fn call_func(
        &mut self,
        function_index: u32,
        tail: bool,
        validator: &FuncValidator<ValidatorResources>,
    ) -> Result<(), Error> {
        let resources = validator.resources();
        let (params, results) = resources
            .type_index_of_function(function_index)
            .and_then(|t| resources.sub_type_at(t))
            .map(|t| {
                let f = t.unwrap_func();
                (cells(f.params()), cells(f.results()))
            })
            .ok_or_else(|| internal("function without a type"))?;
        let func = function_index;
        let instr = if tail {
            Instr::ReturnCall { func, base: 0 }
        } else {
            Instr::Call { func, base: 0 }
        };
        self.call(instr, params, 0, results)?;
        self.tail_return(tail, results)
    }

    /// A call through a table or a reference (`instr`: `CallIndirect`, `CallRef` or their
    /// tail calls) of the instance's type `ty`: its arguments, then the index or the
    /// reference.
    fn call_of_type(
        &mut self,
        ty: u32,
        instr: Instr,
        validator: &FuncValidator<ValidatorResources>,
    ) -> Result<(), Error> {
        let f = validator
            .resources()
            .sub_type_at(ty)
            .ok_or_else(|| internal("call type"))?
            .unwrap_func();
        let (params, results) = (cells(f.params()), cells(f.results()));
        let tail = instr.is_tail_call();
        self.call(instr, params, 1, results)?;
        self.tail_return(tail, results)
    }

    /// After a tail call (`tail`) with `results` cells of results: the `Return` of those
    /// results that a tail call of a host function falls through to (a Wasm callee never
    /// does: it returns to this function's caller itself), and the rest is unreachable.
    fn tail_return(&mut self, tail: bool, results: u32) -> Result<(), Error> {
        if !tail {
            return Ok(());
        }
        self.emit_return(results, 0)?;
        self.set_unreachable()
    }

    /// `select` (typed or not) of values of `cells` cells each.
    fn select(&mut self, cells: u32) -> Result<(), Error> {
        if cells == 2 {
            let h = self.below_top(4)?;
            self.materialize(h + 4);
            let a = self.v128_slot(h)?;
            let b = self.v128_slot(h + 2)?;
            let cost = self.take_cost(5).saturating_add(1);
            self.pop_n(5)?;
            let dst = self.home(h);
            self.push(Entry::TEMP);
            self.push(Entry::TEMP);
            self.emit(Instr::SelectV128 { dst, a, b }, cost);
            return Ok(());
        }
        let h = self.below_top(2)?;
        self.materialize(h + 2);
        let a = self.slot(h)?;
        let b = self.slot(h + 1)?;
        let cost = self.take_cost(3).saturating_add(1);
        self.pop_n(3)?;
        let dst = self.home(h);
        self.push(Entry::TEMP);
        self.emit(Instr::Select { dst, a, b }, cost);
        Ok(())
    }

    /// `global.get global_index` (`wide`: of a `v128`).
    fn global_get(&mut self, global_index: u32, wide: bool) {
        if wide {
            let h = self.height();
            self.push(Entry::TEMP);
            self.push(Entry::TEMP);
            let dst = self.home(h);
            self.emit(
                Instr::GlobalGetV128 {
                    dst,
                    index: global_index,
                },
                1,
            );
            return;
        }
        self.push_result(
            |dst| Instr::GlobalGet {
                dst,
                index: global_index,
            },
            1,
        );
    }

    /// How to build a memory access: `fast` with the offset when it can be (memory 0, an
    /// offset below 2^32), else `slow` with `i`, the operands being at `memargs[i]`.
    fn mem_operand(
        &mut self,
        memarg: MemArg,
        fast: fn(Slot, Slot, u32) -> Instr,
        slow: fn(Slot, Slot, u32) -> Instr,
    ) -> (fn(Slot, Slot, u32) -> Instr, u32) {
        match u32::try_from(memarg.offset) {
            // A shared memory's bytes are only ever accessed as atomics: no fast path.
            Ok(offset) if memarg.memory == 0 && !self.mem0_shared => (fast, offset),
            _ => {
                let i = self.memargs.len() as u32;
                self.memargs.push(memarg);
                (slow, i)
            }
        }
    }

    /// An atomic operator (not `atomic.fence`): its operands from consecutive slots, its
    /// memory and offset from `memargs`.
    fn atomic(&mut self, memarg: &wasmparser::MemArg, form: Atomic) -> Result<(), Error> {
        let memarg = self::memarg(memarg).ok_or_else(|| internal("atomic memarg"))?;
        let index = self.memargs.len() as u32;
        self.memargs.push(memarg);
        let memarg = index;
        let (params, results) = match form {
            Atomic::Load(_) => (1, 1),
            Atomic::Store(_) => (2, 0),
            Atomic::Rmw(..) | Atomic::Notify => (2, 1),
            Atomic::Cmpxchg(_) | Atomic::Wait(_) => (3, 1),
        };
        self.in_place(params, results, |base| match form {
            Atomic::Load(width) => Instr::AtomicLoad {
                base,
                memarg,
                width,
            },
            Atomic::Store(width) => Instr::AtomicStore {
                base,
                memarg,
                width,
            },
            Atomic::Rmw(op, width) => Instr::AtomicRmw {
                base,
                memarg,
                op: (op as u32) << 4 | width,
            },
            Atomic::Cmpxchg(width) => Instr::AtomicCmpxchg {
                base,
                memarg,
                width,
            },
            Atomic::Wait(width) => Instr::AtomicWait {
                base,
                memarg,
                width,
            },
            Atomic::Notify => Instr::AtomicNotify { base, memarg },
        })
    }

    /// An operator of one operand and one result, `make(dst, src)`.
    fn unary(&mut self, make: impl FnOnce(Slot, Slot) -> Instr) -> Result<(), Error> {
        let h = self.below_top(0)?;
        let src = self.slot(h)?;
        let cost = self.take_cost(1).saturating_add(1);
        self.pop()?;
        self.push_result(|dst| make(dst, src), cost);
        Ok(())
    }

    /// A binary operator: `imm` when the right operand (or, for a commutative operator,
    /// the left one) is a constant that fits, else `ss`.
    fn binary(
        &mut self,
        ss: fn(Slot, Slot, Slot) -> Instr,
        imm: fn(Slot, Slot, u32) -> Instr,
        to_imm: fn(u64) -> Option<u32>,
    ) -> Result<(), Error> {
        let commutative = ss(0, 0, 0).commutes();
        let h = self.below_top(1)?;
        let (a, b) = (self.entry(h)?.val, self.entry(h + 1)?.val);
        let as_imm = |v: Val| match v {
            Val::Const(c) => to_imm(c),
            _ => None,
        };
        // (left operand, right operand as a slot or an immediate)
        let (lhs, rhs) = if let Some(k) = as_imm(b) {
            (self.slot(h)?, Err(k))
        } else if let (Some(k), true) = (as_imm(a), commutative) {
            (self.slot(h + 1)?, Err(k))
        } else {
            (self.slot(h)?, Ok(self.slot(h + 1)?))
        };
        // Which operand (if any) the last instruction computed, still changeable.
        let last = self.pc().wrapping_sub(1);
        let computed_last = |h: u32| {
            self.last_result == Some((last, h))
                && self.barrier <= last
                && self
                    .stack
                    .get(h as usize)
                    .is_some_and(|e| e.val == Val::Temp)
        };
        let (lhs_last, rhs_last) = (computed_last(h), computed_last(h + 1));
        let mut cost = self.take_cost(2).saturating_add(1);
        self.pop_n(2)?;
        let dst = self.home(h);
        let instr = match rhs {
            Ok(b) => ss(dst, lhs, b),
            Err(k) => imm(dst, lhs, k),
        };
        // `x - k` is `x + (-k)`: one form for loop steps to fuse with.
        let instr = match instr {
            Instr::I32SubImm { dst, a, imm } => Instr::I32AddImm {
                dst,
                a,
                imm: imm.wrapping_neg(),
            },
            Instr::I64SubImm { dst, a, imm } if imm as i32 != i32::MIN => Instr::I64AddImm {
                dst,
                a,
                imm: (imm as i32).wrapping_neg() as u32,
            },
            other => other,
        };
        let prev = self.code.last().copied();
        let fused =
            match (prev, instr) {
                // `(a + k1) + k2` is `a + (k1 + k2)` (wrapping, as both adds wrap): C's
                // nested field offsets, which it cannot fold into a memory offset.
                (
                    Some(Instr::I32AddImm { dst: t, a, imm: k1 }),
                    Instr::I32AddImm { dst, a: l, imm: k2 },
                ) if lhs_last && t == l => Some(Instr::I32AddImm {
                    dst,
                    a,
                    imm: k1.wrapping_add(k2),
                }),
                // The same in `i64`, where an immediate is a sign-extended `i32`: when the
                // sum is one too.
                (
                    Some(Instr::I64AddImm { dst: t, a, imm: k1 }),
                    Instr::I64AddImm { dst, a: l, imm: k2 },
                ) if lhs_last && t == l => {
                    (k1 as i32)
                        .checked_add(k2 as i32)
                        .map(|k| Instr::I64AddImm {
                            dst,
                            a,
                            imm: k as u32,
                        })
                }
                // `(a + b) + k`, the sum computed by the last instruction into `lhs`.
                (Some(Instr::I32Add { dst: t, a, b }), Instr::I32AddImm { dst, a: l, imm })
                    if lhs_last && t == l =>
                {
                    SlotPair::new(a, b).map(|ab| Instr::I32Add3Imm { dst, ab, imm })
                }
                (Some(Instr::I64Add { dst: t, a, b }), Instr::I64AddImm { dst, a: l, imm })
                    if lhs_last && t == l =>
                {
                    SlotPair::new(a, b).map(|ab| Instr::I64Add3Imm { dst, ab, imm })
                }
                // `x ^ (x << k)`, the shift computed by the last instruction into `rhs`.
                (
                    Some(Instr::I32ShlImm { dst: t, a: x, imm }),
                    Instr::I32Xor { dst, a: l, b: r },
                ) if rhs_last && t == r && x == l => Some(Instr::I32XorShlImm { dst, a: x, imm }),
                (
                    Some(Instr::I32ShrUImm { dst: t, a: x, imm }),
                    Instr::I32Xor { dst, a: l, b: r },
                ) if rhs_last && t == r && x == l => Some(Instr::I32XorShrUImm { dst, a: x, imm }),
                (
                    Some(Instr::I64ShlImm { dst: t, a: x, imm }),
                    Instr::I64Xor { dst, a: l, b: r },
                ) if rhs_last && t == r && x == l => Some(Instr::I64XorShlImm { dst, a: x, imm }),
                (
                    Some(Instr::I64ShrUImm { dst: t, a: x, imm }),
                    Instr::I64Xor { dst, a: l, b: r },
                ) if rhs_last && t == r && x == l => Some(Instr::I64XorShrUImm { dst, a: x, imm }),
                _ => None,
            };
        let instr = match fused {
            Some(fused) => {
                self.code.pop();
                let fuel = self.fuel.pop().unwrap_or(0);
                cost = cost.saturating_add(fuel);
                self.rec.popped(fuel);
                fused
            }
            None => instr,
        };
        self.push_result(|_| instr, cost);
        Ok(())
    }

    /// `i32.wrap_i64` of the result of the last instruction, an `i64` operator whose low
    /// 32 bits depend only on its operands' low 32 bits: that instruction becomes its
    /// `i32` form (which reads only the low halves of its operand cells and writes a
    /// zero-extended `i32`), so `(i32.wrap_i64 (i64.shl $h (i64.const 3)))` is one
    /// `I32ShlImm`. Whether it did.
    fn wrap_into_last(&mut self) -> Result<bool, Error> {
        if !self.top_is_last_result() {
            return Ok(false);
        }
        let Some(last) = self.code.last_mut() else {
            return Ok(false);
        };
        // An `i64` immediate is a sign-extended `i32`: its low 32 bits are the field.
        let narrow = match *last {
            Instr::I64Add { dst, a, b } => Instr::I32Add { dst, a, b },
            Instr::I64Sub { dst, a, b } => Instr::I32Sub { dst, a, b },
            Instr::I64Mul { dst, a, b } => Instr::I32Mul { dst, a, b },
            Instr::I64And { dst, a, b } => Instr::I32And { dst, a, b },
            Instr::I64Or { dst, a, b } => Instr::I32Or { dst, a, b },
            Instr::I64Xor { dst, a, b } => Instr::I32Xor { dst, a, b },
            Instr::I64AddImm { dst, a, imm } => Instr::I32AddImm { dst, a, imm },
            Instr::I64SubImm { dst, a, imm } => Instr::I32SubImm { dst, a, imm },
            Instr::I64MulImm { dst, a, imm } => Instr::I32MulImm { dst, a, imm },
            Instr::I64AndImm { dst, a, imm } => Instr::I32AndImm { dst, a, imm },
            Instr::I64OrImm { dst, a, imm } => Instr::I32OrImm { dst, a, imm },
            Instr::I64XorImm { dst, a, imm } => Instr::I32XorImm { dst, a, imm },
            // `i32.shl` takes its count mod 32, `i64.shl` mod 64: equal below 32.
            Instr::I64ShlImm { dst, a, imm } if imm & 63 < 32 => Instr::I32ShlImm { dst, a, imm },
            _ => return Ok(false),
        };
        *last = narrow;
        let cost = self.take_cost(1).saturating_add(1);
        if let Some(f) = self.fuel.last_mut() {
            *f = f.saturating_add(cost);
        }
        self.rec.merged_into_last(cost);
        Ok(true)
    }

    /// `f64.add` whose right operand the last instruction computed with `f64.mul`: both
    /// become one `F64MulAdd` (same roundings, same operand order). Whether it fused.
    fn mul_add(&mut self) -> Result<bool, Error> {
        if !self.top_is_last_result() {
            return Ok(false);
        }
        let h = self.below_top(1)?;
        let Some(&Instr::F64Mul { dst, a: x, b: y }) = self.code.last() else {
            return Ok(false);
        };
        let acc = match self.entry(h)?.val {
            Val::Temp => self.home(h),
            Val::Local(i) => i,
            Val::Const(_) => return Ok(false),
        };
        let Some(xy) = SlotPair::new(x, y) else {
            return Ok(false);
        };
        if dst != self.home(h + 1) {
            return Ok(false);
        }
        self.code.pop();
        let mul_cost = self.fuel.pop().unwrap_or(0);
        self.rec.popped(mul_cost);
        let cost = self.take_cost(2).saturating_add(1).saturating_add(mul_cost);
        self.pop_n(2)?;
        self.push_result(|dst| Instr::F64MulAdd { dst, acc, xy }, cost);
        Ok(true)
    }

    /// An operator taking its `params` operands from consecutive slots from `base` (and
    /// leaving its `results` there): `make(base)`.
    fn in_place(
        &mut self,
        params: u32,
        results: u32,
        make: impl FnOnce(Slot) -> Instr,
    ) -> Result<(), Error> {
        self.materialize_top(params)?;
        let cost = self.take_cost(params).saturating_add(1);
        self.pop_n(params)?;
        let base = self.home(self.height());
        self.emit(make(base), cost);
        for _ in 0..results {
            self.push(Entry::TEMP);
        }
        Ok(())
    }

    /// `i64.mul_wide_s` or `i64.mul_wide_u` (`make(dst, a, b)`): its two operands read in
    /// place, like a binary operator's, its two results (low half, then high half) in the
    /// homes of the operands.
    fn mul_wide(&mut self, make: fn(VSlot, Slot, Slot) -> Instr) -> Result<(), Error> {
        let h = self.below_top(1)?;
        let (a, b) = (self.slot(h)?, self.slot(h + 1)?);
        let cost = self.take_cost(2).saturating_add(1);
        self.pop_n(2)?;
        self.emit(make(self.home(h), a, b), cost);
        self.push(Entry::TEMP);
        self.push(Entry::TEMP);
        Ok(())
    }

    /// A call (`instr`, its `base` to be filled in) with `params` arguments and `extra`
    /// operands after them (`call_indirect`'s index).
    fn call(&mut self, instr: Instr, params: u32, extra: u32, results: u32) -> Result<(), Error> {
        let mut instr = instr;
        let n = params + extra;
        self.materialize_top(n)?;
        let cost = self.take_cost(n).saturating_add(1);
        self.pop_n(n)?;
        let at = self.home(self.height());
        if let Some(base) = instr.call_base_mut() {
            *base = at;
        }
        self.emit(instr, cost);
        for _ in 0..results {
            self.push(Entry::TEMP);
        }
        Ok(())
    }

    /// `global.set` of global `index`. A shadow stack's prologue and epilogue become one
    /// instruction each: `g = x + k` where the last instruction computed `x + k` into a
    /// temporary (`GlobalSet…AddImm`), and `x = g + k; g = x` where the last two read the
    /// global into a temporary and added `k` into the local now set (`Global…AddImm`).
    fn global_set(&mut self, index: u32, wide: bool) -> Result<(), Error> {
        if wide {
            let h = self.below_top(1)?;
            let src = self.v128_slot(h)?;
            let cost = self.take_cost(2).saturating_add(1);
            self.pop_n(2)?;
            self.emit(Instr::GlobalSetV128 { src, index }, cost);
            return Ok(());
        }
        let h = self.below_top(0)?;
        let top_last = self.top_is_last_result();
        let top = self.entry(h)?.val;
        let src = self.slot(h)?;
        let mut cost = self.take_cost(1).saturating_add(1);
        self.pop()?;
        let n = self.code.len();
        let last_two = match self.code.get(n.wrapping_sub(2)..) {
            Some(&[a, b]) if self.barrier as usize + 2 <= n => Some((a, b)),
            _ => None,
        };
        let last = if (self.barrier as usize) < n {
            self.code.last().copied()
        } else {
            None
        };
        let temp = |s: Slot| s >= self.num_locals;
        // (instructions to replace, the fused instruction)
        let fused = match (last_two, last, top) {
            (
                Some((Instr::GlobalGet { dst: t, index: g }, Instr::I32AddImm { dst: x, a, imm })),
                _,
                Val::Local(l),
            ) if g == index && a == t && temp(t) && x == l => {
                Some((2, Instr::GlobalI32AddImm { dst: x, index, imm }))
            }
            (
                Some((Instr::GlobalGet { dst: t, index: g }, Instr::I64AddImm { dst: x, a, imm })),
                _,
                Val::Local(l),
            ) if g == index && a == t && temp(t) && x == l => {
                Some((2, Instr::GlobalI64AddImm { dst: x, index, imm }))
            }
            (_, Some(Instr::I32AddImm { dst, a, imm }), Val::Temp) if top_last && dst == src => {
                Some((1, Instr::GlobalSetI32AddImm { src: a, index, imm }))
            }
            (_, Some(Instr::I64AddImm { dst, a, imm }), Val::Temp) if top_last && dst == src => {
                Some((1, Instr::GlobalSetI64AddImm { src: a, index, imm }))
            }
            _ => None,
        };
        let instr = match fused {
            Some((replaced, fused)) => {
                for _ in 0..replaced {
                    self.code.pop();
                    let fuel = self.fuel.pop().unwrap_or(0);
                    cost = cost.saturating_add(fuel);
                    self.rec.popped(fuel);
                }
                fused
            }
            None => Instr::GlobalSet { src, index },
        };
        self.emit(instr, cost);
        Ok(())
    }

    /// `local.set` (or `local.tee`) of local `index`.
    fn local_set(&mut self, index: u32, tee: bool) -> Result<(), Error> {
        let (index, wide) = self.local(index);
        if wide {
            return self.local_set_v128(index, tee);
        }
        self.written |= self.local_bit(index);
        let h = self.below_top(0)?;
        let fuse = self.top_is_last_result();
        let cost = self.take_cost(1).saturating_add(1);
        let e = self.pop()?;
        let pending = self.stack[h.saturating_sub(LAZY_DEPTH as u32) as usize..]
            .iter()
            .any(|e| e.val == Val::Local(index));
        let last = self.code.len().wrapping_sub(1);
        let retarget =
            fuse && !pending && self.code.get_mut(last).and_then(Instr::dst_mut).is_some();
        if retarget {
            if let Some(dst) = self.code.get_mut(last).and_then(Instr::dst_mut) {
                *dst = index;
            }
            if let Some(f) = self.fuel.get_mut(last) {
                *f = f.saturating_add(cost);
            }
            self.rec.merged_into_last(cost);
            self.last_result = None;
        } else {
            self.preserve_local(index);
            let copy = self.copy_of(e, h, index);
            self.emit(copy, cost);
        }
        if tee {
            let val = match e.val {
                Val::Const(c) => Val::Const(c),
                _ => Val::Local(index),
            };
            self.push(Entry {
                val,
                cost: 0,
                at: self.rec.at(),
            });
        }
        Ok(())
    }
}

/// (parameters, results) of a block type.
fn block_arity(
    validator: &FuncValidator<ValidatorResources>,
    ty: BlockType,
) -> Result<(u32, u32), Error> {
    Ok(match ty {
        BlockType::Empty => (0, 0),
        BlockType::Type(t) => (0, cells(&[t])),
        BlockType::FuncType(index) => {
            let ty = validator
                .resources()
                .sub_type_at(index)
                .ok_or_else(|| internal("block type index"))?
                .unwrap_func();
            (cells(ty.params()), cells(ty.results()))
        }
    })
}

/// The cells values of types `tys` take (a `v128` two, the others one).
fn cells(tys: &[wasmparser::ValType]) -> u32 {
    tys.iter()
        .map(|&t| if t == wasmparser::ValType::V128 { 2 } else { 1 })
        .fold(0, u32::saturating_add)
}

/// Whether table `index` is a 64-bit table (memory64's table64): its instructions take
/// `i64` indices, and have instructions of their own (`TableGet64`…), so that those of
/// `i32` tables stay as they are.
fn table64(validator: &FuncValidator<ValidatorResources>, index: u32) -> bool {
    validator
        .resources()
        .table_at(index)
        .is_some_and(|t| t.table64)
}

/// The cells global `index` takes.
fn global_cells(validator: &FuncValidator<ValidatorResources>, index: u32) -> u32 {
    validator
        .resources()
        .global_at(index)
        .map_or(1, |g| cells(&[g.content_type]))
}

/// The slot of each of the function's locals (the first `params` of them parameters)
/// and, last, their number of cells, when some local is a `v128`; `None` when each takes
/// one cell (the common case: found from the parameters' types and the declarations'
/// groups, without looking at every local).
fn local_slots(
    validator: &FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
    params: u32,
) -> Result<Option<Box<[u32]>>, Error> {
    let resources = validator.resources();
    let mut wide = resources
        .type_index_of_function(validator.index())
        .and_then(|t| resources.sub_type_at(t))
        .is_some_and(|t| cells(t.unwrap_func().params()) != params);
    if !wide {
        for group in body.get_locals_reader()? {
            wide |= group?.1 == wasmparser::ValType::V128;
        }
    }
    if !wide {
        return Ok(None);
    }
    let count = validator.len_locals();
    let mut slots = Vec::with_capacity(count as usize + 1);
    let mut at = 0u32;
    for i in 0..count {
        slots.push(at);
        let ty = validator
            .get_local_type(i)
            .ok_or_else(|| internal("local without a type"))?;
        at = at
            .checked_add(cells(&[ty]))
            .ok_or_else(|| Error::unsupported("function frame larger than 2^31 cells"))?;
    }
    slots.push(at);
    Ok(Some(slots.into_boxed_slice()))
}

/// What an atomic operator does; the number is its width in bytes (for `Rmw`, with
/// the operation).
#[derive(Debug, Clone, Copy)]
enum Atomic {
    Load(u32),
    Store(u32),
    Rmw(RmwOp, u32),
    Cmpxchg(u32),
    Wait(u32),
    Notify,
}

/// The memory argument and form of an atomic operator (not `atomic.fence`), `None` for
/// any other operator.
fn atomic(op: &Operator<'_>) -> Option<(wasmparser::MemArg, Atomic)> {
    use Atomic::{Cmpxchg, Load, Notify, Rmw, Store, Wait};
    use RmwOp::{Add, And, Or, Sub, Xchg, Xor};
    Some(match *op {
        Operator::MemoryAtomicNotify { memarg } => (memarg, Notify),
        Operator::MemoryAtomicWait32 { memarg } => (memarg, Wait(4)),
        Operator::MemoryAtomicWait64 { memarg } => (memarg, Wait(8)),
        Operator::I32AtomicLoad { memarg } => (memarg, Load(4)),
        Operator::I64AtomicLoad { memarg } => (memarg, Load(8)),
        Operator::I32AtomicLoad8U { memarg } | Operator::I64AtomicLoad8U { memarg } => {
            (memarg, Load(1))
        }
        Operator::I32AtomicLoad16U { memarg } | Operator::I64AtomicLoad16U { memarg } => {
            (memarg, Load(2))
        }
        Operator::I64AtomicLoad32U { memarg } => (memarg, Load(4)),
        Operator::I32AtomicStore { memarg } | Operator::I64AtomicStore32 { memarg } => {
            (memarg, Store(4))
        }
        Operator::I64AtomicStore { memarg } => (memarg, Store(8)),
        Operator::I32AtomicStore8 { memarg } | Operator::I64AtomicStore8 { memarg } => {
            (memarg, Store(1))
        }
        Operator::I32AtomicStore16 { memarg } | Operator::I64AtomicStore16 { memarg } => {
            (memarg, Store(2))
        }
        Operator::I32AtomicRmwAdd { memarg } | Operator::I64AtomicRmw32AddU { memarg } => {
            (memarg, Rmw(Add, 4))
        }
        Operator::I64AtomicRmwAdd { memarg } => (memarg, Rmw(Add, 8)),
        Operator::I32AtomicRmw8AddU { memarg } | Operator::I64AtomicRmw8AddU { memarg } => {
            (memarg, Rmw(Add, 1))
        }
        Operator::I32AtomicRmw16AddU { memarg } | Operator::I64AtomicRmw16AddU { memarg } => {
            (memarg, Rmw(Add, 2))
        }
        Operator::I32AtomicRmwSub { memarg } | Operator::I64AtomicRmw32SubU { memarg } => {
            (memarg, Rmw(Sub, 4))
        }
        Operator::I64AtomicRmwSub { memarg } => (memarg, Rmw(Sub, 8)),
        Operator::I32AtomicRmw8SubU { memarg } | Operator::I64AtomicRmw8SubU { memarg } => {
            (memarg, Rmw(Sub, 1))
        }
        Operator::I32AtomicRmw16SubU { memarg } | Operator::I64AtomicRmw16SubU { memarg } => {
            (memarg, Rmw(Sub, 2))
        }
        Operator::I32AtomicRmwAnd { memarg } | Operator::I64AtomicRmw32AndU { memarg } => {
            (memarg, Rmw(And, 4))
        }
        Operator::I64AtomicRmwAnd { memarg } => (memarg, Rmw(And, 8)),
        Operator::I32AtomicRmw8AndU { memarg } | Operator::I64AtomicRmw8AndU { memarg } => {
            (memarg, Rmw(And, 1))
        }
        Operator::I32AtomicRmw16AndU { memarg } | Operator::I64AtomicRmw16AndU { memarg } => {
            (memarg, Rmw(And, 2))
        }
        Operator::I32AtomicRmwOr { memarg } | Operator::I64AtomicRmw32OrU { memarg } => {
            (memarg, Rmw(Or, 4))
        }
        Operator::I64AtomicRmwOr { memarg } => (memarg, Rmw(Or, 8)),
        Operator::I32AtomicRmw8OrU { memarg } | Operator::I64AtomicRmw8OrU { memarg } => {
            (memarg, Rmw(Or, 1))
        }
        Operator::I32AtomicRmw16OrU { memarg } | Operator::I64AtomicRmw16OrU { memarg } => {
            (memarg, Rmw(Or, 2))
        }
        Operator::I32AtomicRmwXor { memarg } | Operator::I64AtomicRmw32XorU { memarg } => {
            (memarg, Rmw(Xor, 4))
        }
        Operator::I64AtomicRmwXor { memarg } => (memarg, Rmw(Xor, 8)),
        Operator::I32AtomicRmw8XorU { memarg } | Operator::I64AtomicRmw8XorU { memarg } => {
            (memarg, Rmw(Xor, 1))
        }
        Operator::I32AtomicRmw16XorU { memarg } | Operator::I64AtomicRmw16XorU { memarg } => {
            (memarg, Rmw(Xor, 2))
        }
        Operator::I32AtomicRmwXchg { memarg } | Operator::I64AtomicRmw32XchgU { memarg } => {
            (memarg, Rmw(Xchg, 4))
        }
        Operator::I64AtomicRmwXchg { memarg } => (memarg, Rmw(Xchg, 8)),
        Operator::I32AtomicRmw8XchgU { memarg } | Operator::I64AtomicRmw8XchgU { memarg } => {
            (memarg, Rmw(Xchg, 1))
        }
        Operator::I32AtomicRmw16XchgU { memarg } | Operator::I64AtomicRmw16XchgU { memarg } => {
            (memarg, Rmw(Xchg, 2))
        }
        Operator::I32AtomicRmwCmpxchg { memarg } | Operator::I64AtomicRmw32CmpxchgU { memarg } => {
            (memarg, Cmpxchg(4))
        }
        Operator::I64AtomicRmwCmpxchg { memarg } => (memarg, Cmpxchg(8)),
        Operator::I32AtomicRmw8CmpxchgU { memarg } | Operator::I64AtomicRmw8CmpxchgU { memarg } => {
            (memarg, Cmpxchg(1))
        }
        Operator::I32AtomicRmw16CmpxchgU { memarg }
        | Operator::I64AtomicRmw16CmpxchgU { memarg } => (memarg, Cmpxchg(2)),
        _ => return None,
    })
}

fn memarg(memarg: &wasmparser::MemArg) -> Option<MemArg> {
    match memarg.target {
        MemArgTarget::Memory(memory) => Some(MemArg {
            memory,
            offset: memarg.offset,
        }),
        MemArgTarget::Array(_) => None,
    }
}

/// How an operator translated one to one becomes an instruction.
enum OneToOne {
    Load {
        fast: fn(Slot, Slot, u32) -> Instr,
        slow: fn(Slot, Slot, u32) -> Instr,
        memarg: MemArg,
    },
    Store {
        fast: fn(Slot, Slot, u32) -> Instr,
        slow: fn(Slot, Slot, u32) -> Instr,
        memarg: MemArg,
        /// The bytes it stores (for `Instr::store_imm`).
        bytes: usize,
    },
    Unary(fn(Slot, Slot) -> Instr),
    Binary {
        ss: fn(Slot, Slot, Slot) -> Instr,
        imm: fn(Slot, Slot, u32) -> Instr,
        to_imm: fn(u64) -> Option<u32>,
    },
}

/// Generates [`one_to_one`] from the instruction list.
macro_rules! one_to_one {
    (
        []
        special { $($special:tt)* }
        load { $( $lname:ident / $lmname:ident / $laname:ident ($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident / $smname:ident / $saname:ident / $svname:ident ($sty:ty) ),* $(,)? }
        unary { $( $uname:ident / $uaname:ident ($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident / $utaname:ident ($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident / $biname:ident / $baname:ident / $bianame:ident / $bbname:ident ($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident / $btiname:ident / $btaname:ident / $btianame:ident ($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
        branch_cmp { $($cmp:tt)* }
        step_cmp { $($step:tt)* }
        simd { $($simd:tt)* }
    ) => {
        /// How to translate an operator translated one to one (loads, stores, numeric
        /// operators), or `None` for any other.
        #[inline(always)]
        fn one_to_one(op: &Operator<'_>) -> Option<OneToOne> {
            Some(match op {
                $( Operator::$lname { memarg: m } => OneToOne::Load {
                    fast: |dst, addr, offset| Instr::$lname { dst, addr, offset },
                    slow: |dst, addr, memarg| Instr::$lmname { dst, addr, memarg },
                    memarg: memarg(m)?,
                }, )*
                $( Operator::$sname { memarg: m } => OneToOne::Store {
                    fast: |addr, value, offset| Instr::$sname { addr, value, offset },
                    slow: |addr, value, memarg| Instr::$smname { addr, value, memarg },
                    memarg: memarg(m)?,
                    bytes: core::mem::size_of::<$sty>(),
                }, )*
                $( Operator::$uname => OneToOne::Unary(|dst, src| Instr::$uname { dst, src }), )*
                $( Operator::$utname => OneToOne::Unary(|dst, src| Instr::$utname { dst, src }), )*
                $( Operator::$bname => OneToOne::Binary {
                    ss: |dst, a, b| Instr::$bname { dst, a, b },
                    imm: |dst, a, imm| Instr::$biname { dst, a, imm },
                    to_imm: <$bin as Imm>::to_imm,
                }, )*
                $( Operator::$btname => OneToOne::Binary {
                    ss: |dst, a, b| Instr::$btname { dst, a, b },
                    imm: |dst, a, imm| Instr::$btiname { dst, a, imm },
                    to_imm: <$btin as Imm>::to_imm,
                }, )*
                _ => return None,
            })
        }
    };
}
for_each_op!(one_to_one);
