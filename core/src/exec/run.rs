//! The interpreter's dispatch: one handler function per instruction, each ending in a
//! call of the next instruction's handler.
//!
//! Every instruction form of `compile`'s list has its handler here (the generic ones
//! expanded from `for_each_op!`, the others written out), all of one signature: the
//! instruction pointer `ip`, the frame's slot 0 `fp`, the accumulator `acc`, the base of
//! memory 0 `mem`, the rest of the interpreter's state [`Ctx`], and a `budget`. A
//! handler does its instruction and then calls the handler of the next one (looked up by
//! the instruction's tag in [`table`]) as its last act. In a release
//! build the compiler turns that call into a jump: every handler ends with its own
//! indirect jump, so the processor predicts each instruction's successor from where it
//! is rather than from one shared jump (measured: the shared `match` dispatch this
//! replaced spent about a third of its time on that one jump in compiled C).
//!
//! Nothing relies on the compiler making that jump. The handler of an instruction that
//! may branch, call or return ([`Instr::checks_budget`]) passes `budget - 1` on, on
//! every path; the other handlers pass the budget on as they got it, and a body never
//! has more than `compile`'s `RUN_MAX` of them in a row (the translator puts a `Check`
//! into longer runs; `CompiledFunc::check` verifies it). When the budget runs out,
//! [`budget_spent`] looks at how much of the host stack the chain has used since [`run`]
//! started it: none, when the handlers jump to each other, and the chain goes on with a
//! large budget; too much, when the compiler kept their calls as calls (a debug build, a
//! target or sanitizer without tail calls), and the handler saves the four registers in
//! `Ctx` and returns ([`Stop::Budget`]) to the loop in `run`, which unwinds the stack and
//! calls the next handler afresh. So however the handlers are compiled, the chain uses
//! at most [`STACK_SLACK`] and one small budget's worth of handler frames
//! (`BUDGET * (RUN_MAX + 1)`) of the host stack; CI runs a long loop on a 256 KiB
//! thread with folio unoptimised to hold that. (Counting in every handler cost a test,
//! a branch and a decrement per instruction: the corpus ran 13% faster without them in
//! the straight-line handlers. Returning to `run` every 16 branches, as the chain did
//! whatever the compiler made of it, cost a fifth of the time of branchy code.)
//!
//! Calls and returns switch functions in place (never recursing on the host stack): a
//! Wasm call pushes a [`Frame`], a `Return` pops it. The call depth is the frame stack's
//! length from where `run` started ([`Ctx::depth`]), and the common call tests one limit,
//! [`Ctx::frames_limit`], below both the depth limit and the frame stack's capacity; a
//! callee with locals to zero or a constant pool (`CompiledFunc::init`) has its frame
//! prepared out of line. A call of a host function stops the chain ([`Stop::Host`]):
//! `run` returns [`Exit::Host`] and the embedder API runs the host function with the
//! whole store, then resumes.
//!
//! `Throw` and `ThrowRef` go to [`unwind`], out of line (see `exec`'s docs on
//! exceptions): it reads the handler tables of the frames it pops, as `Return` would pop
//! them, and [`catch`] lands at a clause's label; [`run`] starts there instead of at an
//! instruction when a host function threw. No handler of another instruction knows of
//! exceptions.
//!
//! Validation proved the types, and the translator's check the slots; nothing here checks
//! them again. This is the one module of `exec` with `unsafe` code (see the module docs of
//! `exec`): slots, instructions and memory 0 are reached through raw pointers. Memory 0's
//! base travels in `mem` and its length in `Ctx`; both are taken again after anything
//! that can grow or replace it: `memory.grow`, an access to another memory (which may be
//! the same one imported twice), a call or return into another instance. A host call
//! leaves the chain altogether, and `run` takes everything afresh when it resumes.
#![allow(unsafe_code)]

use super::num;
use super::stack::{Frame, Stack, reserve};
use super::store::{
    DataEntity, ElemEntity, Exceptions, FuncEntity, GlobalEntity, InstanceEntity, SigRegistry,
    StoreInner, StoreLimiter, TableEntity, TagEntity, grow_memory,
};
use super::{Trap, TrapKind};
use crate::compile::{CatchClause, CompiledFunc, Imm, Instr, RmwOp, for_each_op};
use crate::memory::{AtomicFault, IndexType, Limiter, Memory, OutOfBounds};
use crate::prelude::*;
use core::mem::size_of;
use core::ops::Range;

/// Where the loop stopped; what it needs to resume.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Regs {
    /// The running function's bytecode (owned by the store: see [`Frame::cf`]).
    pub(crate) cf: *const CompiledFunc,
    /// Store index of its instance.
    pub(crate) instance: u32,
    pub(crate) pc: usize,
    pub(crate) fp: usize,
    /// Active frames (see [`Stack::depth`]).
    pub(crate) depth: u32,
    /// `frames.len()` when this call started: a `Return` at that level ends the call.
    pub(crate) base_frames: usize,
    /// The accumulator: live when the loop stopped for fuel in the middle of a function.
    pub(crate) acc: u64,
    /// Whether running out of fuel suspends the call ([`Exit::OutOfFuel`]) instead of
    /// trapping.
    pub(crate) resumable: bool,
}

// SAFETY: `cf` points at bytecode owned through an `Arc` by the store the registers were
// taken from, which is only ever dereferenced while running on that store (a suspended
// resumable call checks the store's id before resuming); the bytecode is never mutated.
unsafe impl Send for Regs {}

/// Why the loop returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The call's outermost function returned; its results are at `fp`.
    Return,
    /// The running function calls host function `func` (store index) with the arguments
    /// at cell `args` (absolute) onward; `pc` is past the call.
    Host { func: u32, args: usize },
    /// A resumable call ([`Regs::resumable`]) found less fuel than the instruction at
    /// `pc` costs (`required`): it did not run, and runs first on resuming.
    OutOfFuel { required: u64 },
}

/// Conversions between typed values and cells.
trait Cell: Sized {
    fn from_cell(cell: u64) -> Self;
    fn into_cell(self) -> u64;
}

impl Cell for i32 {
    #[inline(always)]
    fn from_cell(cell: u64) -> i32 {
        cell as u32 as i32
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        u64::from(self as u32)
    }
}

impl Cell for i64 {
    #[inline(always)]
    fn from_cell(cell: u64) -> i64 {
        cell as i64
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        self as u64
    }
}

impl Cell for f32 {
    #[inline(always)]
    fn from_cell(cell: u64) -> f32 {
        f32::from_bits(cell as u32)
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        u64::from(self.to_bits())
    }
}

impl Cell for f64 {
    #[inline(always)]
    fn from_cell(cell: u64) -> f64 {
        f64::from_bits(cell)
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        self.to_bits()
    }
}

/// Base and length of the instance's memory 0 (length 0 without memories).
///
/// The pointer stays valid for accesses within the length until `memories` is used
/// again: the loop takes it again after every such use (see the module docs).
fn memory0(memories: &mut [Memory], inst: &InstanceEntity) -> (*mut u8, usize) {
    match inst.memories.first() {
        Some(&m) => {
            let bytes = memories[m as usize].data_mut();
            (bytes.as_mut_ptr(), bytes.len())
        }
        None => (core::ptr::NonNull::dangling().as_ptr(), 0),
    }
}

/// The start of an `N`-byte access at `addr + offset` in a memory of `len` bytes, if
/// every byte is below `len`.
#[inline(always)]
fn in_bounds<const N: usize>(len: usize, addr: u64, offset: u32) -> Option<usize> {
    let end = addr.wrapping_add(u64::from(offset) + N as u64);
    // `end < addr`: the sum wrapped around. Tested first, the compiler branches on the
    // add's carry (the other order cost two instructions more: the carry went through a
    // register). On every target `usize` fits in `u64`.
    if end < addr || end > len as u64 {
        return None;
    }
    // `end <= len`: the cast is exact.
    Some((end - N as u64) as usize)
}

/// `x + step`, wrapping, with `num`'s `add` of `x`'s type: a fused loop step.
trait StepAdd {
    fn step_add(self, step: i16) -> Self;
}

impl StepAdd for i32 {
    #[inline(always)]
    fn step_add(self, step: i16) -> i32 {
        num::i32_add(self, i32::from(step))
    }
}

impl StepAdd for i64 {
    #[inline(always)]
    fn step_add(self, step: i16) -> i64 {
        num::i64_add(self, i64::from(step))
    }
}

#[inline(always)]
fn step_add<T: StepAdd>(x: T, step: i16) -> T {
    x.step_add(step)
}

/// The trap of a memory access out of bounds, built out of line: it is the rare path of
/// every load and store. (Whether the access in bounds then falls through is LLVM's
/// choice: in some builds `i32.load8_u` still jumps to its load, and neither this nor
/// `core::hint::cold_path` changed that.)
#[cold]
#[inline(never)]
fn memory_oob(_: OutOfBounds) -> Trap {
    Trap::new(TrapKind::MemoryOutOfBounds)
}

/// The trap of an atomic access that cannot happen.
#[cold]
fn atomic_fault(fault: AtomicFault) -> Trap {
    Trap::new(match fault {
        AtomicFault::OutOfBounds => TrapKind::MemoryOutOfBounds,
        AtomicFault::Unaligned => TrapKind::UnalignedAtomic,
    })
}

/// Ends a handler with the trap of a memory access out of bounds: out of line, so that
/// the handlers of loads and stores, which call it last, set up no stack frame for it.
#[cold]
#[inline(never)]
fn trap_memory_oob(ctx: &mut Ctx<'_>) -> Stop {
    ctx.trap = Some(memory_oob(OutOfBounds));
    // Opaque, so that the compiler does not see that this always returns `Trap`: it then
    // kept the call as a call (not a jump), and every load set up a stack frame for it.
    core::hint::black_box(Stop::Trap)
}

/// `start..start + len`, if that does not overflow.
fn range(start: u64, len: u64) -> Option<Range<usize>> {
    let start = usize::try_from(start).ok()?;
    Some(start..start.checked_add(usize::try_from(len).ok()?)?)
}

/// `&mut v[a]` and `&v[b]` for `a != b`.
fn pair_mut<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &T) {
    if a < b {
        let (l, r) = v.split_at_mut(b);
        (&mut l[a], &r[0])
    } else {
        let (l, r) = v.split_at_mut(a);
        (&mut r[0], &l[b])
    }
}

/// How many instructions that check the budget (branches, calls, returns) run one after
/// another before [`budget_spent`] looks at the host stack, when [`run`] starts a chain
/// and while the handlers are not seen to jump to each other; with the runs of at most
/// `compile`'s `RUN_MAX` others between them, the handler frames a chain may add to the
/// host stack between two looks when the compiler keeps their calls as calls.
pub(crate) const BUDGET: u32 = 16;

/// The budget ran out before the instruction at `ip`. Where the chain of handlers has
/// taken the host stack tells how it is compiled:
///
/// - more than [`STACK_SLACK`] below where [`run`] started it: back to `run`
///   ([`Stop::Budget`]), which unwinds the stack;
/// - not more than [`STACK_STILL`] below: the handlers jump to each other (as in any
///   optimised build), so the stack does not grow with the instructions run, and the
///   chain goes on with the large budget [`BUDGET_JUMPS`];
/// - in between: on with the small budget [`BUDGET`] it started with.
///
/// The host stack stays bounded however the handlers are compiled, and when they jump to
/// each other the round trip through `run` never comes: measured, returning to `run`
/// every 16 branches took a fifth of the time of branchy code (json/c 1.25x wasmi, 0.96x
/// with a budget of 256).
///
/// Out of line, and reached by a jump like a handler; it goes on to the next handler the
/// same way. The stack is measured by [`stack_here`]: the address of a local taken here
/// (or in a handler) would keep the calls of the next handler from becoming jumps.
#[cold]
#[inline(never)]
fn budget_spent<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
) -> Stop {
    let used = ctx.stack_top.saturating_sub(stack_here());
    if used > STACK_SLACK {
        ctx.save(ip, fp, acc, mem);
        return Stop::Budget;
    }
    let budget = if used <= STACK_STILL {
        BUDGET_JUMPS
    } else {
        BUDGET
    };
    handler_of::<FUEL>(ip)(ip, fp, acc, mem, ctx, budget)
}

/// The address of a local of this function's frame: where the host stack is, give or
/// take the frame, in the function that calls it.
#[inline(never)]
pub(crate) fn stack_here() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

/// How far below [`run`]'s frame the chain of handlers may take the host stack before it
/// returns to `run` (checked when a budget runs out, so it may go a budget's worth of
/// handler frames further).
const STACK_SLACK: usize = 16 * 1024;

/// How little of the host stack the chain of handlers has used when [`budget_spent`]
/// takes it for one whose handlers jump to each other (then it uses none).
const STACK_STILL: usize = 2 * 1024;

/// The budget once the handlers are seen to jump to each other (see [`budget_spent`]).
const BUDGET_JUMPS: u32 = 256;

/// Why a chain of handlers stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The budget ran out: resume from the registers saved in [`Ctx`].
    Budget,
    /// The call's outermost function returned.
    Return,
    /// A host function is to be called ([`Ctx::host`]).
    Host,
    /// A trap ([`Ctx::trap`]).
    Trap,
    /// The instruction at the saved registers costs more fuel than is left; it did not
    /// run.
    OutOfFuel,
}

/// One instruction's handler (see the module docs).
type Handler = for<'c, 's> fn(*const Instr, *mut u64, u64, *mut u8, &'c mut Ctx<'s>, u32) -> Stop;

/// The interpreter's state beyond the four registers every handler receives: the store's
/// entities, and the running function.
struct Ctx<'s> {
    funcs: &'s [FuncEntity],
    instances: &'s [InstanceEntity],
    memories: &'s mut [Memory],
    tables: &'s mut [TableEntity],
    globals: &'s mut [GlobalEntity],
    datas: &'s mut [DataEntity],
    elems: &'s mut [ElemEntity],
    sigs: &'s SigRegistry,
    limiter: &'s mut Option<Box<dyn StoreLimiter>>,
    /// How a thread blocks in `memory.atomic.wait` (the engine's `thread_parker`).
    new_parker: Option<crate::memory::NewParker>,
    fuel: &'s mut u64,
    cells_vec: &'s mut Vec<u64>,
    /// The store's frame stack, held here while the chain runs (one indirection less on
    /// every call and return) and given back when `run` returns.
    frames: Vec<Frame>,
    max_depth: u32,
    max_cells: usize,
    /// `frames.len()` when this call started: a `Return` at that level ends the call.
    base_frames: usize,
    /// Active frames (see [`Stack::depth`]) when `frames` was `frames0` long: each frame
    /// pushed or popped since is one more or one less (see [`Ctx::depth`]), so calls and
    /// returns count the depth without a counter of their own.
    depth0: u32,
    frames0: usize,
    /// How long `frames` may be for a call to push one more on the fast path: at most its
    /// capacity (so that the push never reallocates), and below it by the frames the depth
    /// limit still allows. Invariant: `frames_limit <= frames.capacity()` (set again
    /// wherever the capacity changes: see [`Ctx::limit_frames`]).
    frames_limit: usize,
    /// The running function's instance (store index and entity), bytecode and code.
    instance: u32,
    inst: &'s InstanceEntity,
    cf: &'s CompiledFunc,
    code: *const Instr,
    /// Length of memory 0 of the running instance (its base travels as `mem`).
    mem0_len: usize,
    /// The value stack's buffer (taken again after every `reserve`). Invariant: the
    /// running function's `max_height` cells from its frame are in the buffer (`reserve`
    /// at every call; the buffer never shrinks).
    cells: *mut u64,
    cells_len: usize,
    /// The registers where a chain stopped (on [`Stop::Budget`], `Return` and `Host`).
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem0: *mut u8,
    /// The Wasm function a call enters and its instance, for [`call_wasm_slow`].
    callee: (*const CompiledFunc, u32),
    /// The store function a tail call enters, for [`tail_call`] (through `Ctx`, so that
    /// the handlers' call of it has no more arguments than registers and is a jump).
    tail: u32,
    /// The host function to call and its arguments' first cell, on [`Stop::Host`].
    host: (u32, usize),
    /// The trap, on [`Stop::Trap`].
    trap: Option<Trap>,
    /// Where the host stack was when [`run`] started the chain of handlers (see
    /// [`budget_spent`]).
    stack_top: usize,
    /// The store's tags and exception objects, and its id (what an uncaught exception
    /// names), for `throw` and the unwinding.
    tags: &'s [TagEntity],
    exns: &'s mut Exceptions,
    store_id: u32,
}

impl Ctx<'_> {
    /// Active frames (see [`Stack::depth`]).
    #[inline(always)]
    fn depth(&self) -> u32 {
        let pushed = self.frames.len().wrapping_sub(self.frames0);
        self.depth0.wrapping_add(pushed as u32)
    }
    /// Sets [`frames_limit`](Self::frames_limit) for the frames' length and capacity and
    /// the depth now.
    fn limit_frames(&mut self) {
        let room = self.max_depth.saturating_sub(self.depth()) as usize;
        self.frames_limit = self
            .frames
            .capacity()
            .min(self.frames.len().saturating_add(room));
    }
    /// The instruction index of `ip` in the running function.
    #[inline(always)]
    fn pc(&self, ip: *const Instr) -> usize {
        (ip as usize - self.code as usize) / size_of::<Instr>()
    }
    /// The cell index of the frame starting at `fp`.
    #[inline(always)]
    fn fp_index(&self, fp: *mut u64) -> usize {
        (fp as usize - self.cells as usize) / size_of::<u64>()
    }
    /// Saves the registers for the loop in [`run`].
    #[inline(always)]
    fn save(&mut self, ip: *const Instr, fp: *mut u64, acc: u64, mem: *mut u8) {
        self.ip = ip;
        self.fp = fp;
        self.acc = acc;
        self.mem0 = mem;
    }
    /// Memory 0 of the running instance: its base, and its length into `mem0_len`.
    #[inline(always)]
    fn memory0(&mut self) -> *mut u8 {
        let (base, len) = memory0(self.memories, self.inst);
        self.mem0_len = len;
        base
    }
    /// The running frame's cells from slot 0 as a slice, for the rare instructions that
    /// take operands from consecutive slots (checked accesses).
    #[inline(always)]
    fn frame(&mut self, fp: *mut u64) -> &mut [u64] {
        let start = self.fp_index(fp);
        // SAFETY: `cells` and `cells_len` are the vector's initialized buffer, and no
        // reference into it is alive: handlers reach it only through raw pointers derived
        // from `cells`, and the slice lives only for the instruction using it.
        let all = unsafe { core::slice::from_raw_parts_mut(self.cells, self.cells_len) };
        &mut all[start..]
    }
}

/// Reads slot `$slot` of the frame at `$fp`.
macro_rules! get {
    ($fp:ident, $slot:expr) => {{
        let slot: u32 = $slot;
        // SAFETY: `slot` is below the running function's `max_height`: a slot field of
        // one of its instructions or a half of a `SlotPair` field (`CompiledFunc::check`,
        // run on every translated body, proved both), or slot 0 or `src` of a one-value
        // `Return` (`src + 1 <= max_height`, checked). And the frame's `max_height` cells
        // are in the buffer (invariant of `Ctx::cells`).
        unsafe { *$fp.add(slot as usize) }
    }};
}

/// Writes slot `$slot` of the frame at `$fp`, and the accumulator `$acc` (see
/// `compile`'s bytecode docs): after an instruction with a result, `acc` is that result.
macro_rules! set {
    ($fp:ident, $acc:ident, $slot:expr, $value:expr) => {{
        let value: u64 = $value;
        let slot: u32 = $slot;
        // SAFETY: as for `get!`.
        unsafe { *$fp.add(slot as usize) = value };
        $acc = value;
    }};
}

/// Continues with the instruction at `$ip`: calls its handler (a jump in a release build)
/// or, when the budget is spent, returns to [`run`].
macro_rules! next {
    ($ip:expr, $fp:ident, $acc:ident, $mem:ident, $ctx:ident, $budget:ident) => {{
        let ip: *const Instr = $ip;
        let (budget, spent) = $budget.overflowing_sub(1);
        if spent {
            return budget_spent::<FUEL>(ip, $fp, $acc, $mem, $ctx);
        }
        return handler_of::<FUEL>(ip)(ip, $fp, $acc, $mem, $ctx, budget);
    }};
}

/// Continues with the instruction at `$ip` without counting against the budget: the
/// next instruction of a run of those that do not check it (see the module docs).
macro_rules! next_in_run {
    ($ip:expr, $fp:ident, $acc:ident, $mem:ident, $ctx:ident, $budget:ident) => {{
        let ip: *const Instr = $ip;
        return handler_of::<FUEL>(ip)(ip, $fp, $acc, $mem, $ctx, $budget);
    }};
}

/// Ends the handler with trap `$trap`.
macro_rules! trap {
    ($ctx:ident, $trap:expr) => {{
        $ctx.trap = Some(Trap::from($trap));
        return Stop::Trap;
    }};
}

/// The value of a `Result` whose error is a trap, or the trap.
macro_rules! try_trap {
    ($ctx:ident, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(e) => trap!($ctx, e),
        }
    };
}

/// The `$ty` at `$addr + $offset` of memory 0, or a trap.
macro_rules! load0 {
    ($ctx:ident, $mem:ident, $ty:ty, $addr:expr, $offset:expr) => {{
        let Some(start) = in_bounds::<{ size_of::<$ty>() }>($ctx.mem0_len, $addr, $offset) else {
            return trap_memory_oob($ctx);
        };
        // SAFETY: `mem` and `mem0_len` are memory 0's bytes, taken again after anything
        // that may have moved or resized them (see `memory0`), and `in_bounds` proved
        // `start + size_of::<$ty>() <= mem0_len`. Any bit pattern is a valid `$ty`.
        <$ty>::from_le(unsafe { $mem.add(start).cast::<$ty>().read_unaligned() })
    }};
}

/// Stores the `$ty` `$value` at `$addr + $offset` of memory 0, or traps.
macro_rules! store0 {
    ($ctx:ident, $mem:ident, $ty:ty, $addr:expr, $offset:expr, $value:expr) => {{
        let Some(start) = in_bounds::<{ size_of::<$ty>() }>($ctx.mem0_len, $addr, $offset) else {
            return trap_memory_oob($ctx);
        };
        // SAFETY: as for `load0!`.
        unsafe {
            $mem.add(start)
                .cast::<$ty>()
                .write_unaligned(<$ty>::to_le($value))
        }
    }};
}

/// Runs `$body` with `$m` the instance's memory `$index`, and takes memory 0's bytes
/// again afterwards into `$mem` (the access may have grown it, and it may be the same
/// memory).
macro_rules! with_memory {
    ($ctx:ident, $mem:ident, $index:expr, |$m:ident| $body:expr) => {{
        let $m = &mut $ctx.memories[$ctx.inst.memories[$index as usize] as usize];
        let result = $body;
        $mem = $ctx.memory0();
        result
    }};
}

/// Defines the handler `$name` of the instruction matching `$pattern`. The body runs
/// with the handler's registers named as given; unless it returns or continues elsewhere
/// itself (`next!` with another `ip`), the next instruction follows.
macro_rules! handler {
    ($name:ident, $pattern:pat, |$ip:ident, $fp:ident, $acc:ident, $mem:ident, $ctx:ident, $budget:ident| $body:block) => {
        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments, unreachable_code)]
        pub(in crate::exec::run) fn $name<const FUEL: bool>(
            $ip: *const Instr,
            $fp: *mut u64,
            mut $acc: u64,
            mut $mem: *mut u8,
            $ctx: &mut Ctx<'_>,
            $budget: u32,
        ) -> Stop {
            if FUEL && !charge($ip, $ctx) {
                $ctx.save($ip, $fp, $acc, $mem);
                return Stop::OutOfFuel;
            }
            // SAFETY: `$ip` points into the running function's code: it is set to an
            // instruction index (0 at a call; on return the saved index after a call, which
            // is not the last instruction as that one never falls through; a branch target,
            // checked below the code's length by `CompiledFunc::check`) or moves to the
            // next instruction after one that falls through, which is never the last
            // (`check`).
            let instr = unsafe { *$ip };
            let $pattern = instr else {
                // SAFETY: a handler is only called for an instruction of its own variant:
                // `handler_of` indexes the table by the tag, and the table lists one handler
                // per variant in the enum's declaration order (both expanded from
                // `for_each_op!`; `handlers_cover_every_instruction_in_tag_order` checks
                // that the orders agree).
                unsafe { core::hint::unreachable_unchecked() }
            };
            $body
            // Known at compile time: `instr` is of this handler's variant.
            if instr.checks_budget() {
                next!($ip.wrapping_add(1), $fp, $acc, $mem, $ctx, $budget)
            } else {
                next_in_run!($ip.wrapping_add(1), $fp, $acc, $mem, $ctx, $budget)
            }
        }
    };
}

/// The handler of the instruction at `ip`, from its tag.
#[inline(always)]
fn handler_of<const FUEL: bool>(ip: *const Instr) -> Handler {
    // SAFETY: `ip` points at an instruction (see `handler!`); `Instr` is `repr(u16)`, so
    // its first two bytes are the tag, a variant's index in declaration order.
    let tag = unsafe { ip.cast::<u16>().read() } as usize;
    let table = table::<FUEL>();
    // SAFETY: every tag is below the number of variants, which is the table's length
    // (one entry per variant: `handlers_cover_every_instruction` checks it).
    unsafe { *table.get_unchecked(tag) }
}

/// The fuel the instruction at `ip` costs.
#[inline(always)]
fn cost(ip: *const Instr, ctx: &Ctx<'_>) -> u64 {
    u64::from(ctx.cf.fuel.get(ctx.pc(ip)).copied().unwrap_or(0))
}

/// Charges the fuel of the instruction at `ip`; `false` (charging nothing) when there is
/// not enough.
#[inline(always)]
fn charge(ip: *const Instr, ctx: &mut Ctx<'_>) -> bool {
    let cost = cost(ip, ctx);
    if *ctx.fuel < cost {
        return false;
    }
    *ctx.fuel -= cost;
    true
}

/// The store index of the running instance's global `index`, or `usize::MAX` (no
/// global) if the instance has none of that index.
#[inline(always)]
fn global(ctx: &Ctx<'_>, index: u32) -> usize {
    ctx.inst
        .globals
        .get(index as usize)
        .map_or(usize::MAX, |&g| g as usize)
}

/// A broken invariant of the interpreter: a trap naming it, never a panic.
#[cold]
#[inline(never)]
fn internal(ctx: &mut Ctx<'_>, what: &str) -> Stop {
    ctx.trap = Some(Trap::host(format!("internal interpreter error: {what}")));
    // Opaque, so that a handler ending with this call jumps to it (see `trap_memory_oob`).
    core::hint::black_box(Stop::Trap)
}

/// The element `$e` (an `Option` from a checked index into one of the store's or the
/// bytecode's tables, which validation or `check` proved in range), or the end of the
/// handler with an internal error: no panic, and no call on the common path.
macro_rules! at {
    ($ctx:ident, $e:expr) => {
        match $e {
            Some(x) => x,
            None => return internal($ctx, "an index out of its table"),
        }
    };
}

/// The handler of the instruction `$name` of the `simd` group.
#[cfg(feature = "simd")]
macro_rules! simd_handler_of {
    ($name:ident, $fuel:ident) => {
        simd::$name::<$fuel>
    };
}

/// Without the `simd` feature, no SIMD instruction is ever translated (the validator
/// refuses SIMD): their entries in the table are `Unreachable`'s handler.
#[cfg(not(feature = "simd"))]
macro_rules! simd_handler_of {
    ($name:ident, $fuel:ident) => {
        special::Unreachable::<$fuel>
    };
}

/// Expands the handlers of the generic instructions (loads, stores, numeric operators,
/// fused compare-and-branch, loop steps) from the instruction list, and the table of
/// every handler in the enum's order.
macro_rules! generic_handlers {
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
        $(
            handler!($lname, Instr::$lname { dst, addr, offset }, |ip, fp, acc, mem, ctx, budget| {
                let value: $lraw = load0!(ctx, mem, $lraw, get!(fp, addr), offset);
                set!(fp, acc, dst, value as $lcell as u64);
            });
            handler!($laname, Instr::$laname { dst, offset, .. }, |ip, fp, acc, mem, ctx, budget| {
                let value: $lraw = load0!(ctx, mem, $lraw, acc, offset);
                set!(fp, acc, dst, value as $lcell as u64);
            });
            handler!($lmname, Instr::$lmname { dst, addr, memarg }, |ip, fp, acc, mem, ctx, budget| {
                const N: usize = core::mem::size_of::<$lraw>();
                let m = ctx.cf.memargs[memarg as usize];
                let a = get!(fp, addr);
                let bytes = with_memory!(ctx, mem, m.memory, |x| x.load::<N>(a, m.offset));
                let bytes = try_trap!(ctx, bytes.map_err(memory_oob));
                set!(fp, acc, dst, <$lraw>::from_le_bytes(bytes) as $lcell as u64);
            });
        )*
        $(
            handler!($sname, Instr::$sname { addr, value, offset }, |ip, fp, acc, mem, ctx, budget| {
                let value = get!(fp, value) as $sty;
                store0!(ctx, mem, $sty, get!(fp, addr), offset, value);
            });
            handler!($saname, Instr::$saname { value, offset, .. }, |ip, fp, acc, mem, ctx, budget| {
                let value = get!(fp, value) as $sty;
                store0!(ctx, mem, $sty, acc, offset, value);
            });
            handler!($svname, Instr::$svname { addr, offset, .. }, |ip, fp, acc, mem, ctx, budget| {
                let value = acc as $sty;
                store0!(ctx, mem, $sty, get!(fp, addr), offset, value);
            });
            handler!($smname, Instr::$smname { addr, value, memarg }, |ip, fp, acc, mem, ctx, budget| {
                let bytes = (get!(fp, value) as $sty).to_le_bytes();
                let m = ctx.cf.memargs[memarg as usize];
                let a = get!(fp, addr);
                let stored = with_memory!(ctx, mem, m.memory, |x| x.store(a, m.offset, bytes));
                try_trap!(ctx, stored.map_err(memory_oob));
            });
        )*
        $(
            handler!($uname, Instr::$uname { dst, src }, |ip, fp, acc, mem, ctx, budget| {
                let x = <$uin as Cell>::from_cell(get!(fp, src));
                set!(fp, acc, dst, <$uout as Cell>::into_cell(num::$uf(x)));
            });
            handler!($uaname, Instr::$uaname { dst, .. }, |ip, fp, acc, mem, ctx, budget| {
                let x = <$uin as Cell>::from_cell(acc);
                set!(fp, acc, dst, <$uout as Cell>::into_cell(num::$uf(x)));
            });
        )*
        $(
            handler!($utname, Instr::$utname { dst, src }, |ip, fp, acc, mem, ctx, budget| {
                let x = <$utin as Cell>::from_cell(get!(fp, src));
                let y = try_trap!(ctx, num::$utf(x));
                set!(fp, acc, dst, <$utout as Cell>::into_cell(y));
            });
            handler!($utaname, Instr::$utaname { dst, .. }, |ip, fp, acc, mem, ctx, budget| {
                let x = <$utin as Cell>::from_cell(acc);
                let y = try_trap!(ctx, num::$utf(x));
                set!(fp, acc, dst, <$utout as Cell>::into_cell(y));
            });
        )*
        $(
            handler!($bname, Instr::$bname { dst, a, b }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$bin as Cell>::from_cell(get!(fp, a)), <$bin as Cell>::from_cell(get!(fp, b)));
                set!(fp, acc, dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
            });
            handler!($biname, Instr::$biname { dst, a, imm }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$bin as Cell>::from_cell(get!(fp, a)), <$bin as Imm>::from_imm(imm));
                set!(fp, acc, dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
            });
            handler!($baname, Instr::$baname { dst, b, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$bin as Cell>::from_cell(acc), <$bin as Cell>::from_cell(get!(fp, b)));
                set!(fp, acc, dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
            });
            handler!($bianame, Instr::$bianame { dst, imm, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$bin as Cell>::from_cell(acc), <$bin as Imm>::from_imm(imm));
                set!(fp, acc, dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
            });
            handler!($bbname, Instr::$bbname { dst, a, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$bin as Cell>::from_cell(get!(fp, a)), <$bin as Cell>::from_cell(acc));
                set!(fp, acc, dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
            });
        )*
        $(
            handler!($btname, Instr::$btname { dst, a, b }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$btin as Cell>::from_cell(get!(fp, a)), <$btin as Cell>::from_cell(get!(fp, b)));
                let y = try_trap!(ctx, num::$btf(a, b));
                set!(fp, acc, dst, <$btout as Cell>::into_cell(y));
            });
            handler!($btiname, Instr::$btiname { dst, a, imm }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$btin as Cell>::from_cell(get!(fp, a)), <$btin as Imm>::from_imm(imm));
                let y = try_trap!(ctx, num::$btf(a, b));
                set!(fp, acc, dst, <$btout as Cell>::into_cell(y));
            });
            handler!($btaname, Instr::$btaname { dst, b, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$btin as Cell>::from_cell(acc), <$btin as Cell>::from_cell(get!(fp, b)));
                let y = try_trap!(ctx, num::$btf(a, b));
                set!(fp, acc, dst, <$btout as Cell>::into_cell(y));
            });
            handler!($btianame, Instr::$btianame { dst, imm, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$btin as Cell>::from_cell(acc), <$btin as Imm>::from_imm(imm));
                let y = try_trap!(ctx, num::$btf(a, b));
                set!(fp, acc, dst, <$btout as Cell>::into_cell(y));
            });
        )*
        $(
            handler!($cname, Instr::$cname { a, b, target }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$cin as Cell>::from_cell(get!(fp, a)), <$cin as Cell>::from_cell(get!(fp, b)));
                if num::$cf(a, b) != 0 {
                    next!(ctx.code.wrapping_add(target as usize), fp, acc, mem, ctx, budget);
                }
            });
            handler!($ciname, Instr::$ciname { a, imm, target }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$cin as Cell>::from_cell(get!(fp, a)), <$cin as Imm>::from_imm(imm));
                if num::$cf(a, b) != 0 {
                    next!(ctx.code.wrapping_add(target as usize), fp, acc, mem, ctx, budget);
                }
            });
            handler!($caname, Instr::$caname { b, target, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$cin as Cell>::from_cell(acc), <$cin as Cell>::from_cell(get!(fp, b)));
                if num::$cf(a, b) != 0 {
                    next!(ctx.code.wrapping_add(target as usize), fp, acc, mem, ctx, budget);
                }
            });
            handler!($cianame, Instr::$cianame { imm, target, .. }, |ip, fp, acc, mem, ctx, budget| {
                let (a, b) = (<$cin as Cell>::from_cell(acc), <$cin as Imm>::from_imm(imm));
                if num::$cf(a, b) != 0 {
                    next!(ctx.code.wrapping_add(target as usize), fp, acc, mem, ctx, budget);
                }
            });
        )*
        $(
            handler!($stname, Instr::$stname { step, b, target }, |ip, fp, acc, mem, ctx, budget| {
                let x = step.slot();
                let v = step_add(<$stin as Cell>::from_cell(get!(fp, x)), step.step());
                set!(fp, acc, x, <$stin as Cell>::into_cell(v));
                if num::$stf(v, <$stin as Cell>::from_cell(get!(fp, b))) != 0 {
                    next!(ctx.code.wrapping_add(target as usize), fp, acc, mem, ctx, budget);
                }
            });
            handler!($stiname, Instr::$stiname { step, imm, target }, |ip, fp, acc, mem, ctx, budget| {
                let x = step.slot();
                let v = step_add(<$stin as Cell>::from_cell(get!(fp, x)), step.step());
                set!(fp, acc, x, <$stin as Cell>::into_cell(v));
                if num::$stf(v, <$stin as Imm>::from_imm(imm)) != 0 {
                    next!(ctx.code.wrapping_add(target as usize), fp, acc, mem, ctx, budget);
                }
            });
        )*

        /// The number of instruction variants, and so of handlers.
        const COUNT: usize = crate::compile::ONE_OF_EACH.len();

        /// Every handler, in the order of `Instr`'s variants: the tag indexes it.
        const fn handlers<const FUEL: bool>() -> [Handler; COUNT] {
            [
                $( special::$name::<FUEL> as Handler, )*
                $( $lname::<FUEL> as Handler, $lmname::<FUEL>, $laname::<FUEL>, )*
                $( $sname::<FUEL>, $smname::<FUEL>, $saname::<FUEL>, $svname::<FUEL>, )*
                $( $uname::<FUEL>, $uaname::<FUEL>, )*
                $( $utname::<FUEL>, $utaname::<FUEL>, )*
                $( $bname::<FUEL>, $biname::<FUEL>, $baname::<FUEL>, $bianame::<FUEL>, $bbname::<FUEL>, )*
                $( $btname::<FUEL>, $btiname::<FUEL>, $btaname::<FUEL>, $btianame::<FUEL>, )*
                $( $cname::<FUEL>, $ciname::<FUEL>, $caname::<FUEL>, $cianame::<FUEL>, )*
                $( $stname::<FUEL>, $stiname::<FUEL>, )*
                $( simd_handler_of!($simdname, FUEL), )*
            ]
        }

        /// The handlers without fuel metering.
        static HANDLERS: [Handler; COUNT] = handlers::<false>();
        /// The handlers that charge each instruction's fuel first.
        static HANDLERS_FUEL: [Handler; COUNT] = handlers::<true>();
    };
}

for_each_op!(generic_handlers);

#[cfg(feature = "simd")]
mod simd;

/// The handler table with or without fuel metering.
#[inline(always)]
fn table<const FUEL: bool>() -> &'static [Handler] {
    if FUEL { &HANDLERS_FUEL } else { &HANDLERS }
}

/// The tag of `instr`, its variant's index.
#[cfg(test)]
pub(crate) fn tag(instr: &Instr) -> usize {
    // SAFETY: `Instr` is `repr(u16)`: its first two bytes are the tag.
    unsafe { (instr as *const Instr).cast::<u16>().read() as usize }
}

/// [`in_bounds`] for the tests.
#[cfg(test)]
pub(crate) fn in_bounds_4(len: usize, addr: u64, offset: u32) -> Option<usize> {
    in_bounds::<4>(len, addr, offset)
}

/// The number of handlers in the table.
#[cfg(test)]
pub(crate) fn handler_count() -> (usize, usize) {
    (HANDLERS.len(), HANDLERS_FUEL.len())
}

/// The handlers of the instructions with their own execution (control flow, calls,
/// variables, tables, bulk memory, fused operators), one per variant of `special` in the
/// instruction list.
mod special {
    #[cfg(feature = "simd")]
    pub(super) use super::simd::special::*;
    use super::*;

    /// Without the `simd` feature, the handlers of the SIMD instructions of the `special`
    /// group, which are never translated: `Unreachable`'s.
    #[cfg(not(feature = "simd"))]
    macro_rules! without_simd {
        ($($name:ident),*) => {
            $( pub(in crate::exec::run) use Unreachable as $name; )*
        };
    }
    #[cfg(not(feature = "simd"))]
    without_simd!(
        V128Load,
        V128LoadM,
        V128Store,
        V128StoreM,
        V128Load8Lane,
        V128Load16Lane,
        V128Load32Lane,
        V128Load64Lane,
        V128Store8Lane,
        V128Store16Lane,
        V128Store32Lane,
        V128Store64Lane,
        I8x16Shuffle,
        GlobalGetV128,
        GlobalSetV128,
        SelectV128
    );

    /// Jumps to instruction `$target` of the running function.
    macro_rules! jump {
        ($target:expr, $fp:ident, $acc:ident, $mem:ident, $ctx:ident, $budget:ident) => {
            next!(
                $ctx.code.wrapping_add($target as usize),
                $fp,
                $acc,
                $mem,
                $ctx,
                $budget
            )
        };
    }

    /// Operand `$a` of a fused instruction: its slot, or the accumulator in the `A` form.
    macro_rules! operand {
        (slot, $fp:ident, $acc:ident, $a:ident) => {
            get!($fp, $a)
        };
        (acc, $fp:ident, $acc:ident, $a:ident) => {
            $acc
        };
    }

    /// The handlers of unsigned divisions and remainders by a constant: the dividend
    /// (`slot` or `acc`) as `$ty`, then the method of the `Divisor` that `k` names.
    macro_rules! by_constant {
        ($( $name:ident($from:ident, $ty:ty, $method:ident) ),* $(,)?) => {$(
            handler!($name, Instr::$name { dst, a, k }, |ip, fp, acc, mem, ctx, budget| {
                let n = operand!($from, fp, acc, a) as $ty;
                let divisor = at!(ctx, ctx.cf.divisors.get(k as usize));
                set!(fp, acc, dst, u64::from(divisor.$method(n)));
            });
        )*};
    }

    /// The handlers of `x ^ (x $shift k)`: `x` (`slot` or `acc`) as `$ty`, `k` the
    /// immediate.
    macro_rules! xor_shift {
        ($( $name:ident($from:ident, $ty:ident, $shift:ident, $xor:ident) ),* $(,)?) => {$(
            handler!($name, Instr::$name { dst, a, imm }, |ip, fp, acc, mem, ctx, budget| {
                let x = $ty::from_cell(operand!($from, fp, acc, a));
                let k = <$ty as Imm>::from_imm(imm);
                set!(fp, acc, dst, num::$xor(x, num::$shift(x, k)).into_cell());
            });
        )*};
    }

    /// The handlers of the stores of a constant to memory 0: the constant from the
    /// instruction's `value`, as `$ty`, by `$widen`.
    macro_rules! store_imm {
        ($( $name:ident($ty:ty, $widen:expr) ),* $(,)?) => {$(
            handler!($name, Instr::$name { addr, offset, value }, |ip, fp, acc, mem, ctx, budget| {
                let widen: fn(u32) -> $ty = $widen;
                store0!(ctx, mem, $ty, get!(fp, addr), offset, widen(value));
            });
        )*};
    }

    handler!(
        Unreachable,
        Instr::Unreachable,
        |ip, fp, acc, mem, ctx, budget| {
            trap!(ctx, TrapKind::Unreachable);
        }
    );
    handler!(Check, Instr::Check, |ip, fp, acc, mem, ctx, budget| {});
    handler!(Br, Instr::Br { target }, |ip, fp, acc, mem, ctx, budget| {
        jump!(target, fp, acc, mem, ctx, budget);
    });
    handler!(
        BrIfNez,
        Instr::BrIfNez { cond, target },
        |ip, fp, acc, mem, ctx, budget| {
            if get!(fp, cond) as u32 != 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfEqz,
        Instr::BrIfEqz { cond, target },
        |ip, fp, acc, mem, ctx, budget| {
            if get!(fp, cond) as u32 == 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfNez64,
        Instr::BrIfNez64 { cond, target },
        |ip, fp, acc, mem, ctx, budget| {
            if get!(fp, cond) != 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfEqz64,
        Instr::BrIfEqz64 { cond, target },
        |ip, fp, acc, mem, ctx, budget| {
            if get!(fp, cond) == 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfNezA,
        Instr::BrIfNezA { target, .. },
        |ip, fp, acc, mem, ctx, budget| {
            if acc as u32 != 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfEqzA,
        Instr::BrIfEqzA { target, .. },
        |ip, fp, acc, mem, ctx, budget| {
            if acc as u32 == 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfNez64A,
        Instr::BrIfNez64A { target, .. },
        |ip, fp, acc, mem, ctx, budget| {
            if acc != 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrIfEqz64A,
        Instr::BrIfEqz64A { target, .. },
        |ip, fp, acc, mem, ctx, budget| {
            if acc == 0 {
                jump!(target, fp, acc, mem, ctx, budget);
            }
        }
    );
    handler!(
        BrTable,
        Instr::BrTable { index, offset, len },
        |ip, fp, acc, mem, ctx, budget| {
            let i = (get!(fp, index) as u32).min(len);
            let entry = *at!(ctx, ctx.cf.br_tables.get(offset as usize + i as usize));
            if entry.n != 0 && entry.from != entry.to {
                // Carrying values: in a handler of its own, so that the common case saves
                // no registers for the call of `memmove`.
                return br_table_carrying::<FUEL>(ip, fp, acc, mem, ctx, budget);
            }
            jump!(entry.target, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        Return,
        Instr::Return { src, n },
        |ip, fp, acc, mem, ctx, budget| {
            // The common return, one value or none to the caller in the same instance, with
            // no call on its way (a call would make every return save registers first);
            // the rest in `return_slow`.
            let len = ctx.frames.len();
            if n > 1 || len <= ctx.base_frames {
                return return_slow::<FUEL>(ip, fp, acc, mem, ctx, budget);
            }
            // (`len > base_frames`: there is a frame, and the compiler sees it.)
            let same = ctx.frames.get(len.wrapping_sub(1)).map(|f| f.instance);
            if same != Some(ctx.instance) {
                return return_slow::<FUEL>(ip, fp, acc, mem, ctx, budget);
            }
            if n == 1 {
                // `check` proved `src + n <= max_height`: both slots are in the frame.
                set!(fp, acc, 0, get!(fp, src));
            }
            // The frame's fields read only now, after the copy: fewer registers live.
            let Some(&caller) = ctx.frames.get(len.wrapping_sub(1)) else {
                return internal(ctx, "no frame to return to");
            };
            // The depth goes down with the frame (see `Ctx::depth`).
            ctx.frames.truncate(len.wrapping_sub(1));
            let fp = ctx.cells.wrapping_add(caller.fp);
            // SAFETY: `caller.cf` is the bytecode of a function of this store, which keeps it
            // (in an `Arc`) for as long as it lives; the call that pushed the frame took it
            // from there.
            ctx.cf = unsafe { &*caller.cf };
            ctx.code = ctx.cf.code.as_ptr();
            next!(caller.ret, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        Call,
        Instr::Call { func, base },
        |ip, fp, acc, mem, ctx, budget| {
            // A function of the same instance: its bytecode at hand, no lookup in the
            // store's function table.
            if let Some(&local) = ctx.inst.local_code.get(func as usize)
                && !local.0.is_null()
            {
                // SAFETY: `local_code` holds the bytecode of the functions the instance's
                // module defines, which the instance's module keeps (in `Arc`s) for as
                // long as the store holds the instance, that is as long as it lives.
                let callee = unsafe { &*local.0 };
                let instance = ctx.instance;
                return call_wasm::<FUEL>(callee, instance, base, ip, fp, acc, mem, ctx, budget);
            }
            return call_imported::<FUEL>(ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        CallIndirect,
        Instr::CallIndirect { ty, table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let callee = match indirect_callee::<false>(ty, table, base, fp, ctx) {
                Ok(callee) => callee,
                Err(fault) => return indirect_fault(ctx, fault),
            };
            return call::<FUEL>(callee, base, ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        ReturnCall,
        Instr::ReturnCall { func, base },
        |ip, fp, acc, mem, ctx, budget| {
            let callee = *at!(ctx, ctx.inst.funcs.get(func as usize));
            ctx.tail = callee;
            return tail_call::<FUEL>(ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        ReturnCallIndirect,
        Instr::ReturnCallIndirect { ty, table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let callee = match indirect_callee::<false>(ty, table, base, fp, ctx) {
                Ok(callee) => callee,
                Err(fault) => return indirect_fault(ctx, fault),
            };
            ctx.tail = callee;
            return tail_call::<FUEL>(ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        CallRef,
        Instr::CallRef { ty, base },
        |ip, fp, acc, mem, ctx, budget| {
            let Some(callee) = ref_callee(ty, base, fp, ctx) else {
                trap!(ctx, TrapKind::NullFunctionReference);
            };
            return call::<FUEL>(callee, base, ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        ReturnCallRef,
        Instr::ReturnCallRef { ty, base },
        |ip, fp, acc, mem, ctx, budget| {
            let Some(callee) = ref_callee(ty, base, fp, ctx) else {
                trap!(ctx, TrapKind::NullFunctionReference);
            };
            ctx.tail = callee;
            return tail_call::<FUEL>(ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        RefAsNonNull,
        Instr::RefAsNonNull { src },
        |ip, fp, acc, mem, ctx, budget| {
            if get!(fp, src) == 0 {
                trap!(ctx, TrapKind::NullReference);
            }
        }
    );
    handler!(
        Copy,
        Instr::Copy { dst, src },
        |ip, fp, acc, mem, ctx, budget| {
            set!(fp, acc, dst, get!(fp, src));
        }
    );
    handler!(
        Copy2,
        Instr::Copy2 { dst, src, then },
        |ip, fp, acc, mem, ctx, budget| {
            set!(fp, acc, dst, get!(fp, src));
            set!(fp, acc, then.a(), get!(fp, then.b()));
        }
    );
    handler!(
        Const,
        Instr::Const { dst, value },
        |ip, fp, acc, mem, ctx, budget| {
            set!(fp, acc, dst, value);
        }
    );
    store_imm! {
        StoreImm8(u8, |v| v as u8),
        StoreImm16(u16, |v| v as u16),
        StoreImm32(u32, |v| v),
        StoreImm64(u64, |v| i64::from(v as i32) as u64),
    }
    handler!(
        F64MulAdd,
        Instr::F64MulAdd { dst, acc: sum, xy },
        |ip, fp, acc, mem, ctx, budget| {
            let (x, y) = (
                f64::from_cell(get!(fp, xy.a())),
                f64::from_cell(get!(fp, xy.b())),
            );
            let sum = num::f64_add(f64::from_cell(get!(fp, sum)), num::f64_mul(x, y));
            set!(fp, acc, dst, sum.into_cell());
        }
    );
    handler!(
        I32Add3Imm,
        Instr::I32Add3Imm { dst, ab, imm },
        |ip, fp, acc, mem, ctx, budget| {
            let (a, b) = (
                i32::from_cell(get!(fp, ab.a())),
                i32::from_cell(get!(fp, ab.b())),
            );
            let sum = num::i32_add(num::i32_add(a, b), <i32 as Imm>::from_imm(imm));
            set!(fp, acc, dst, sum.into_cell());
        }
    );
    handler!(
        I64Add3Imm,
        Instr::I64Add3Imm { dst, ab, imm },
        |ip, fp, acc, mem, ctx, budget| {
            let (a, b) = (
                i64::from_cell(get!(fp, ab.a())),
                i64::from_cell(get!(fp, ab.b())),
            );
            let sum = num::i64_add(num::i64_add(a, b), <i64 as Imm>::from_imm(imm));
            set!(fp, acc, dst, sum.into_cell());
        }
    );
    by_constant! {
        I32DivUConst(slot, u32, quotient32),
        I32RemUConst(slot, u32, remainder32),
        I64DivUConst(slot, u64, quotient64),
        I64RemUConst(slot, u64, remainder64),
        I32DivUConstA(acc, u32, quotient32),
        I32RemUConstA(acc, u32, remainder32),
        I64DivUConstA(acc, u64, quotient64),
        I64RemUConstA(acc, u64, remainder64),
    }
    handler!(
        I32AddImm2,
        Instr::I32AddImm2 { x, y },
        |ip, fp, acc, mem, ctx, budget| {
            let v = step_add(i32::from_cell(get!(fp, x.slot())), x.step());
            set!(fp, acc, x.slot(), v.into_cell());
            let v = step_add(i32::from_cell(get!(fp, y.slot())), y.step());
            set!(fp, acc, y.slot(), v.into_cell());
        }
    );
    handler!(
        I64AddImm2,
        Instr::I64AddImm2 { x, y },
        |ip, fp, acc, mem, ctx, budget| {
            let v = step_add(i64::from_cell(get!(fp, x.slot())), x.step());
            set!(fp, acc, x.slot(), v.into_cell());
            let v = step_add(i64::from_cell(get!(fp, y.slot())), y.step());
            set!(fp, acc, y.slot(), v.into_cell());
        }
    );
    xor_shift! {
        I32XorShlImm(slot, i32, i32_shl, i32_xor),
        I32XorShrUImm(slot, i32, i32_shr_u, i32_xor),
        I64XorShlImm(slot, i64, i64_shl, i64_xor),
        I64XorShrUImm(slot, i64, i64_shr_u, i64_xor),
        I32XorShlImmA(acc, i32, i32_shl, i32_xor),
        I32XorShrUImmA(acc, i32, i32_shr_u, i32_xor),
        I64XorShlImmA(acc, i64, i64_shl, i64_xor),
        I64XorShrUImmA(acc, i64, i64_shr_u, i64_xor),
    }
    handler!(
        Select,
        Instr::Select { dst, a, b },
        |ip, fp, acc, mem, ctx, budget| {
            // The condition's home is `dst + 2` (`check` proved it below `max_height`).
            let c = get!(fp, dst + 2);
            let v = if c as u32 != 0 {
                get!(fp, a)
            } else {
                get!(fp, b)
            };
            set!(fp, acc, dst, v);
        }
    );
    handler!(
        GlobalGet,
        Instr::GlobalGet { dst, index },
        |ip, fp, acc, mem, ctx, budget| {
            set!(
                fp,
                acc,
                dst,
                at!(ctx, ctx.globals.get(global(ctx, index))).value
            );
        }
    );
    handler!(
        GlobalSet,
        Instr::GlobalSet { src, index },
        |ip, fp, acc, mem, ctx, budget| {
            at!(ctx, ctx.globals.get_mut(global(ctx, index))).value = get!(fp, src);
        }
    );
    handler!(
        GlobalI32AddImm,
        Instr::GlobalI32AddImm { dst, index, imm },
        |ip, fp, acc, mem, ctx, budget| {
            let g = at!(ctx, ctx.globals.get_mut(global(ctx, index)));
            let v = num::i32_add(i32::from_cell(g.value), <i32 as Imm>::from_imm(imm));
            g.value = v.into_cell();
            set!(fp, acc, dst, v.into_cell());
        }
    );
    handler!(
        GlobalI64AddImm,
        Instr::GlobalI64AddImm { dst, index, imm },
        |ip, fp, acc, mem, ctx, budget| {
            let g = at!(ctx, ctx.globals.get_mut(global(ctx, index)));
            let v = num::i64_add(i64::from_cell(g.value), <i64 as Imm>::from_imm(imm));
            g.value = v.into_cell();
            set!(fp, acc, dst, v.into_cell());
        }
    );
    handler!(
        GlobalSetI32AddImm,
        Instr::GlobalSetI32AddImm { src, index, imm },
        |ip, fp, acc, mem, ctx, budget| {
            let v = num::i32_add(i32::from_cell(get!(fp, src)), <i32 as Imm>::from_imm(imm));
            at!(ctx, ctx.globals.get_mut(global(ctx, index))).value = v.into_cell();
        }
    );
    handler!(
        GlobalSetI64AddImm,
        Instr::GlobalSetI64AddImm { src, index, imm },
        |ip, fp, acc, mem, ctx, budget| {
            let v = num::i64_add(i64::from_cell(get!(fp, src)), <i64 as Imm>::from_imm(imm));
            at!(ctx, ctx.globals.get_mut(global(ctx, index))).value = v.into_cell();
        }
    );
    handler!(
        RefIsNull,
        Instr::RefIsNull { dst, src },
        |ip, fp, acc, mem, ctx, budget| {
            set!(fp, acc, dst, u64::from(get!(fp, src) == 0));
        }
    );
    handler!(
        RefFunc,
        Instr::RefFunc { dst, func },
        |ip, fp, acc, mem, ctx, budget| {
            set!(fp, acc, dst, u64::from(ctx.inst.funcs[func as usize]) + 1);
        }
    );
    handler!(
        MemorySize,
        Instr::MemorySize { dst, memory },
        |ip, fp, acc, mem, ctx, budget| {
            // An i32 memory has at most 2^32 - 1 pages: the cell is a valid i32.
            let size = with_memory!(ctx, mem, memory, |m| m.size());
            set!(fp, acc, dst, size);
        }
    );
    handler!(
        MemoryGrow,
        Instr::MemoryGrow { dst, delta, memory },
        |ip, fp, acc, mem, ctx, budget| {
            let delta = get!(fp, delta);
            let index = ctx.inst.memories[memory as usize];
            let m = &mut ctx.memories[index as usize];
            let failed = match m.ty().index_type {
                IndexType::I32 => u64::from(u32::MAX),
                IndexType::I64 => u64::MAX,
            };
            let result = grow_memory(m, index, delta, ctx.limiter.as_deref_mut()).unwrap_or(failed);
            mem = ctx.memory0();
            set!(fp, acc, dst, result);
        }
    );
    handler!(
        MemoryFill,
        Instr::MemoryFill { memory, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (dst, value, n) = (f[b], f[b + 1] as u8, f[b + 2]);
            let filled = with_memory!(ctx, mem, memory, |m| m.fill(dst, value, n));
            try_trap!(ctx, filled.map_err(memory_oob));
        }
    );
    handler!(
        MemoryCopy,
        Instr::MemoryCopy { dst, src, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, s, n) = (f[b], f[b + 1], f[b + 2]);
            let dst = ctx.inst.memories[dst as usize] as usize;
            let src = ctx.inst.memories[src as usize] as usize;
            let result = if dst == src {
                ctx.memories[dst].copy_within(d, s, n)
            } else {
                let (dst, src) = pair_mut(ctx.memories, dst, src);
                Memory::copy_between(dst, d, src, s, n)
            };
            mem = ctx.memory0();
            try_trap!(ctx, result.map_err(memory_oob));
        }
    );
    handler!(
        MemoryInit,
        Instr::MemoryInit { memory, data, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, s, n) = (f[b], f[b + 1], f[b + 2]);
            let bytes = ctx.datas[ctx.inst.datas[data as usize] as usize]
                .bytes
                .clone();
            let done = with_memory!(ctx, mem, memory, |m| m.init(d, &bytes, s, n));
            try_trap!(ctx, done.map_err(memory_oob));
        }
    );
    handler!(
        DataDrop,
        Instr::DataDrop { data },
        |ip, fp, acc, mem, ctx, budget| {
            ctx.datas[ctx.inst.datas[data as usize] as usize].bytes = Arc::from(&[][..]);
        }
    );
    handler!(
        TableGet,
        Instr::TableGet { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let i = get!(fp, base) as u32 as usize;
            let elements = &ctx.tables[ctx.inst.tables[table as usize] as usize].elements;
            let Some(&value) = elements.get(i) else {
                trap!(ctx, TrapKind::TableOutOfBounds);
            };
            // Not the accumulator: no instruction reads a table element from it.
            // SAFETY: as for `get!` (`base` is a checked slot).
            unsafe { *fp.add(base as usize) = value };
        }
    );
    handler!(
        TableSet,
        Instr::TableSet { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (i, value) = (f[b] as u32 as usize, f[b + 1]);
            let elements = &mut ctx.tables[ctx.inst.tables[table as usize] as usize].elements;
            let Some(element) = elements.get_mut(i) else {
                trap!(ctx, TrapKind::TableOutOfBounds);
            };
            *element = value;
        }
    );
    handler!(
        TableSize,
        Instr::TableSize { dst, table },
        |ip, fp, acc, mem, ctx, budget| {
            let len = ctx.tables[ctx.inst.tables[table as usize] as usize]
                .elements
                .len();
            set!(fp, acc, dst, len as u64);
        }
    );
    handler!(
        TableGrow,
        Instr::TableGrow { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (init, delta) = (f[b], u64::from(f[b + 1] as u32));
            let t = &mut ctx.tables[ctx.inst.tables[table as usize] as usize];
            let limiter = ctx.limiter.as_deref_mut().map(|l| l as &mut dyn Limiter);
            let old = t.grow(delta, init, limiter).unwrap_or(u64::from(u32::MAX));
            ctx.frame(fp)[b] = old;
        }
    );
    handler!(
        TableFill,
        Instr::TableFill { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, value, n) = (u64::from(f[b] as u32), f[b + 1], u64::from(f[b + 2] as u32));
            if table_fill(ctx, table, d, value, n).is_none() {
                trap!(ctx, TrapKind::TableOutOfBounds);
            }
        }
    );
    handler!(
        TableCopy,
        Instr::TableCopy { dst, src, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, s, n) = (
                u64::from(f[b] as u32),
                u64::from(f[b + 1] as u32),
                u64::from(f[b + 2] as u32),
            );
            if table_copy(ctx, dst, src, d, s, n).is_none() {
                trap!(ctx, TrapKind::TableOutOfBounds);
            }
        }
    );
    handler!(
        TableInit,
        Instr::TableInit { table, elem, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, s, n) = (
                u64::from(f[b] as u32),
                u64::from(f[b + 1] as u32),
                u64::from(f[b + 2] as u32),
            );
            if table_init(ctx, table, elem, d, s, n).is_none() {
                trap!(ctx, TrapKind::TableOutOfBounds);
            }
        }
    );
    handler!(
        ElemDrop,
        Instr::ElemDrop { elem },
        |ip, fp, acc, mem, ctx, budget| {
            ctx.elems[ctx.inst.elems[elem as usize] as usize].items = Vec::new();
        }
    );
    handler!(
        AtomicLoad,
        Instr::AtomicLoad {
            base,
            memarg,
            width,
        },
        |ip, fp, acc, mem, ctx, budget| {
            let m = ctx.cf.memargs[memarg as usize];
            let addr = get!(fp, base);
            let value = with_memory!(ctx, mem, m.memory, |memory| {
                memory.atomic_load(addr, m.offset, width as usize)
            });
            set!(fp, acc, base, try_trap!(ctx, value.map_err(atomic_fault)));
        }
    );
    handler!(
        AtomicStore,
        Instr::AtomicStore {
            base,
            memarg,
            width,
        },
        |ip, fp, acc, mem, ctx, budget| {
            let m = ctx.cf.memargs[memarg as usize];
            let (addr, value) = (get!(fp, base), get!(fp, base + 1));
            let stored = with_memory!(ctx, mem, m.memory, |memory| {
                memory.atomic_store(addr, m.offset, width as usize, value)
            });
            try_trap!(ctx, stored.map_err(atomic_fault));
        }
    );
    handler!(
        AtomicRmw,
        Instr::AtomicRmw { base, memarg, op },
        |ip, fp, acc, mem, ctx, budget| {
            let m = ctx.cf.memargs[memarg as usize];
            let (addr, operand) = (get!(fp, base), get!(fp, base + 1));
            let Some(&rmw) = RmwOp::ALL.get((op >> 4) as usize) else {
                return internal(ctx, "atomic operation");
            };
            let old = with_memory!(ctx, mem, m.memory, |memory| {
                memory.atomic_rmw(addr, m.offset, (op & 15) as usize, |v| {
                    rmw.apply(v, operand)
                })
            });
            set!(fp, acc, base, try_trap!(ctx, old.map_err(atomic_fault)));
        }
    );
    handler!(
        AtomicCmpxchg,
        Instr::AtomicCmpxchg {
            base,
            memarg,
            width,
        },
        |ip, fp, acc, mem, ctx, budget| {
            let m = ctx.cf.memargs[memarg as usize];
            let addr = get!(fp, base);
            let (expected, replacement) = (get!(fp, base + 1), get!(fp, base + 2));
            // The expected value is compared in the access's width, as hardware does.
            let expected = expected & (u64::MAX >> (64 - 8 * width));
            let old = with_memory!(ctx, mem, m.memory, |memory| {
                memory.atomic_rmw(addr, m.offset, width as usize, |v| {
                    if v == expected { replacement } else { v }
                })
            });
            set!(fp, acc, base, try_trap!(ctx, old.map_err(atomic_fault)));
        }
    );
    handler!(
        AtomicWait,
        Instr::AtomicWait {
            base,
            memarg,
            width,
        },
        |ip, fp, acc, mem, ctx, budget| {
            let m = ctx.cf.memargs[memarg as usize];
            let addr = get!(fp, base);
            let (expected, timeout) = (get!(fp, base + 1), get!(fp, base + 2) as i64);
            let memory = &ctx.memories[ctx.inst.memories[m.memory as usize] as usize];
            let Some(shared) = memory.shared() else {
                trap!(ctx, Trap::new(TrapKind::ExpectedSharedMemory));
            };
            // Negative: no timeout.
            let timeout = u64::try_from(timeout).ok();
            let waited = shared.wait(
                addr,
                m.offset,
                width as usize,
                expected,
                timeout,
                ctx.new_parker,
            );
            let Some(outcome) = try_trap!(ctx, waited.map_err(atomic_fault)) else {
                trap!(
                    ctx,
                    Trap::host(
                        "memory.atomic.wait without a timeout, and no way to block (Config::thread_parker)"
                    )
                );
            };
            set!(fp, acc, base, u64::from(outcome));
        }
    );
    handler!(
        AtomicNotify,
        Instr::AtomicNotify { base, memarg },
        |ip, fp, acc, mem, ctx, budget| {
            let m = ctx.cf.memargs[memarg as usize];
            let addr = get!(fp, base);
            let count = get!(fp, base + 1) as u32;
            let memory = &ctx.memories[ctx.inst.memories[m.memory as usize] as usize];
            let woken = match memory.shared() {
                Some(shared) => shared.notify(addr, m.offset, count),
                // Nobody can wait on a memory that is not shared: bounds and alignment
                // are checked as for a 4-byte atomic access, and nobody is woken.
                None => memory.atomic_load(addr, m.offset, 4).map(|_| 0),
            };
            set!(
                fp,
                acc,
                base,
                u64::from(try_trap!(ctx, woken.map_err(atomic_fault)))
            );
        }
    );
    handler!(
        AtomicFence,
        Instr::AtomicFence,
        |ip, fp, acc, mem, ctx, budget| {
            // Every atomic instruction is sequentially consistent already (a lock per 8-byte
            // block, `SeqCst` bytes: see `SharedMemory::atomic_rmw`); a fence orders plain
            // accesses around it too.
            core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
        }
    );
    handler!(
        Throw,
        Instr::Throw { .. },
        |ip, fp, acc, mem, ctx, budget| {
            return throw::<FUEL>(ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        ThrowRef,
        Instr::ThrowRef { src },
        |ip, fp, acc, mem, ctx, budget| {
            let Some(exn) = get!(fp, src).checked_sub(1) else {
                trap!(ctx, TrapKind::NullExceptionReference);
            };
            // (A cell names an exception object by its index, below 2^32.)
            let pc = ctx.pc(ip) as u32;
            return unwind::<FUEL>(exn as u32, pc, fp, acc, mem, ctx, budget);
        }
    );

    /// The two cells of the 128-bit integer in the `VSlot` `$slot`: `(low, high)`, as
    /// `i64`s.
    macro_rules! get_pair {
        ($fp:ident, $slot:expr) => {{
            let slot: u32 = $slot;
            // SAFETY: `slot` is a `VSlot` field of one of the running function's
            // instructions: `CompiledFunc::check` proved it and the slot after it below
            // `max_height`, and the frame's `max_height` cells are in the buffer
            // (invariant of `Ctx::cells`).
            unsafe {
                (
                    *$fp.add(slot as usize) as i64,
                    *$fp.add(slot as usize + 1) as i64,
                )
            }
        }};
    }
    /// Writes the 128-bit integer `$pair`, `(low, high)`, to the `VSlot` `$slot` (not the
    /// accumulator: no instruction reads half of a pair from it).
    macro_rules! set_pair {
        ($fp:ident, $slot:expr, $pair:expr) => {{
            let (slot, (lo, hi)): (u32, (i64, i64)) = ($slot, $pair);
            // SAFETY: as for `get_pair!`.
            unsafe {
                *$fp.add(slot as usize) = lo as u64;
                *$fp.add(slot as usize + 1) = hi as u64;
            }
        }};
    }
    handler!(
        I64Add128,
        Instr::I64Add128 { dst, a, b },
        |ip, fp, acc, mem, ctx, budget| {
            let (a, b) = (get_pair!(fp, a), get_pair!(fp, b));
            set_pair!(fp, dst, num::i64_add128(a.0, a.1, b.0, b.1));
        }
    );
    handler!(
        I64Sub128,
        Instr::I64Sub128 { dst, a, b },
        |ip, fp, acc, mem, ctx, budget| {
            let (a, b) = (get_pair!(fp, a), get_pair!(fp, b));
            set_pair!(fp, dst, num::i64_sub128(a.0, a.1, b.0, b.1));
        }
    );
    handler!(
        I64MulWideS,
        Instr::I64MulWideS { dst, a, b },
        |ip, fp, acc, mem, ctx, budget| {
            let (a, b) = (get!(fp, a) as i64, get!(fp, b) as i64);
            set_pair!(fp, dst, num::i64_mul_wide_s(a, b));
        }
    );
    handler!(
        I64MulWideU,
        Instr::I64MulWideU { dst, a, b },
        |ip, fp, acc, mem, ctx, budget| {
            let (a, b) = (get!(fp, a) as i64, get!(fp, b) as i64);
            set_pair!(fp, dst, num::i64_mul_wide_u(a, b));
        }
    );

    // 64-bit tables: as the instructions of `i32` tables, with every index, count and
    // size an `i64` (an `i32` operand of a mixed `table.copy` is zero-extended in its
    // cell, so reading the cell whole gives its value). An index
    // that does not fit a `usize` is past any table's end.
    handler!(
        CallIndirect64,
        Instr::CallIndirect64 { ty, table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let callee = match indirect_callee::<true>(ty, table, base, fp, ctx) {
                Ok(callee) => callee,
                Err(fault) => return indirect_fault(ctx, fault),
            };
            return call::<FUEL>(callee, base, ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        ReturnCallIndirect64,
        Instr::ReturnCallIndirect64 { ty, table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let callee = match indirect_callee::<true>(ty, table, base, fp, ctx) {
                Ok(callee) => callee,
                Err(fault) => return indirect_fault(ctx, fault),
            };
            ctx.tail = callee;
            return tail_call::<FUEL>(ip, fp, acc, mem, ctx, budget);
        }
    );
    handler!(
        TableGet64,
        Instr::TableGet64 { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let i = ctx.frame(fp)[base as usize];
            let elements = &ctx.tables[ctx.inst.tables[table as usize] as usize].elements;
            let Some(&value) = usize::try_from(i).ok().and_then(|i| elements.get(i)) else {
                trap!(ctx, TrapKind::TableOutOfBounds);
            };
            // Not the accumulator: no instruction reads a table element from it.
            ctx.frame(fp)[base as usize] = value;
        }
    );
    handler!(
        TableSet64,
        Instr::TableSet64 { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (i, value) = (f[b], f[b + 1]);
            let elements = &mut ctx.tables[ctx.inst.tables[table as usize] as usize].elements;
            let Some(element) = usize::try_from(i).ok().and_then(|i| elements.get_mut(i)) else {
                trap!(ctx, TrapKind::TableOutOfBounds);
            };
            *element = value;
        }
    );
    handler!(
        TableGrow64,
        Instr::TableGrow64 { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (init, delta) = (f[b], f[b + 1]);
            let t = &mut ctx.tables[ctx.inst.tables[table as usize] as usize];
            let limiter = ctx.limiter.as_deref_mut().map(|l| l as &mut dyn Limiter);
            // -1 as an `i64`.
            let old = t.grow(delta, init, limiter).unwrap_or(u64::MAX);
            ctx.frame(fp)[b] = old;
        }
    );
    handler!(
        TableFill64,
        Instr::TableFill64 { table, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, value, n) = (f[b], f[b + 1], f[b + 2]);
            if table_fill(ctx, table, d, value, n).is_none() {
                trap!(ctx, TrapKind::TableOutOfBounds);
            }
        }
    );
    handler!(
        TableCopy64,
        Instr::TableCopy64 { dst, src, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, s, n) = (f[b], f[b + 1], f[b + 2]);
            if table_copy(ctx, dst, src, d, s, n).is_none() {
                trap!(ctx, TrapKind::TableOutOfBounds);
            }
        }
    );
    handler!(
        TableInit64,
        Instr::TableInit64 { table, elem, base },
        |ip, fp, acc, mem, ctx, budget| {
            let b = base as usize;
            let f = ctx.frame(fp);
            let (d, s, n) = (f[b], u64::from(f[b + 1] as u32), u64::from(f[b + 2] as u32));
            if table_init(ctx, table, elem, d, s, n).is_none() {
                trap!(ctx, TrapKind::TableOutOfBounds);
            }
        }
    );
}

/// `table.copy` of `n` elements from index `s` of the instance's table `src` to index `d`
/// of its table `dst` (for `i32` and 64-bit tables: the operands as the handler read
/// them); `None` when a range is out of bounds (nothing is copied).
fn table_copy(ctx: &mut Ctx<'_>, dst: u32, src: u32, d: u64, s: u64, n: u64) -> Option<()> {
    let dst = *ctx.inst.tables.get(dst as usize)? as usize;
    let src = *ctx.inst.tables.get(src as usize)? as usize;
    let (to, from) = range(d, n).zip(range(s, n))?;
    if dst == src {
        let elements = &mut ctx.tables.get_mut(dst)?.elements;
        if to.end > elements.len() || from.end > elements.len() {
            return None;
        }
        elements.copy_within(from, to.start);
    } else {
        let (dst, src) = pair_mut(ctx.tables, dst, src);
        let from = src.elements.get(from)?;
        dst.elements.get_mut(to)?.copy_from_slice(from);
    }
    Some(())
}

/// `table.init` of `n` elements from index `s` of the instance's element segment `elem`
/// to index `d` of its table `table`; `None` when a range is out of bounds.
fn table_init(ctx: &mut Ctx<'_>, table: u32, elem: u32, d: u64, s: u64, n: u64) -> Option<()> {
    let elem = *ctx.inst.elems.get(elem as usize)? as usize;
    let from = ctx.elems.get(elem)?.items.get(range(s, n)?)?;
    let table = *ctx.inst.tables.get(table as usize)? as usize;
    let to = ctx.tables.get_mut(table)?.elements.get_mut(range(d, n)?)?;
    to.copy_from_slice(from);
    Some(())
}

/// `table.fill` of `n` elements from index `d` of the instance's table `table` with
/// `value`; `None` when the range is out of bounds.
fn table_fill(ctx: &mut Ctx<'_>, table: u32, d: u64, value: u64, n: u64) -> Option<()> {
    let table = *ctx.inst.tables.get(table as usize)? as usize;
    ctx.tables
        .get_mut(table)?
        .elements
        .get_mut(range(d, n)?)?
        .fill(value);
    Some(())
}

/// Enters store function `callee` with its arguments from slot `base` of the frame at
/// `fp`, the call instruction being at `ip`: a Wasm function in place, a host function by
/// stopping the chain.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn call<const FUEL: bool>(
    callee: u32,
    base: u32,
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    let FuncEntity::Wasm {
        code: callee_code,
        instance: callee_instance,
        ..
    } = &ctx.funcs[callee as usize]
    else {
        let args = ctx.fp_index(fp) + base as usize;
        ctx.save(ip.wrapping_add(1), fp, acc, mem);
        ctx.host = (callee, args);
        return Stop::Host;
    };
    call_wasm::<FUEL>(
        callee_code,
        *callee_instance,
        base,
        ip,
        fp,
        acc,
        mem,
        ctx,
        budget,
    )
}

/// Why a `call_indirect` traps: kept small, so that [`indirect_callee`]'s result stays
/// in registers (a [`Trap`] in its place cost `CallIndirect` 7% more instructions).
#[derive(Clone, Copy)]
enum IndirectFault {
    /// The index is past the table's end.
    Undefined,
    /// The element at this index is null.
    Uninitialized(u64),
    /// The element's signature is not the expected one.
    Mismatch,
}

/// The store function a `call_indirect` of type `ty` through table `table` calls, its
/// arguments from slot `base` of the frame at `fp` and the element's index after them;
/// or why it traps.
/// With `WIDE`, the table is a 64-bit one: the index is an `i64` (one beyond the host's
/// `usize` is past the table's end).
#[inline(always)]
fn indirect_callee<const WIDE: bool>(
    ty: u32,
    table: u32,
    base: u32,
    fp: *mut u64,
    ctx: &Ctx<'_>,
) -> Result<u32, IndirectFault> {
    let sig = ctx.inst.sigs[ty as usize];
    let index_slot = base + ctx.sigs.get(sig).param_cells() as u32;
    let cell = get!(fp, index_slot);
    let i = if WIDE { cell } else { u64::from(cell as u32) };
    let elements = &ctx.tables[ctx.inst.tables[table as usize] as usize].elements;
    let Some(&cell) = usize::try_from(i).ok().and_then(|i| elements.get(i)) else {
        return Err(IndirectFault::Undefined);
    };
    let Some(callee) = cell.checked_sub(1) else {
        return Err(IndirectFault::Uninitialized(i));
    };
    let callee = callee as u32;
    if ctx.funcs[callee as usize].sig() != sig {
        return Err(IndirectFault::Mismatch);
    }
    Ok(callee)
}

/// The store function a `call_ref` of type `ty` calls, its arguments from slot `base` of
/// the frame at `fp` and the reference after them; `None` for a null reference. (The
/// validator proved that the function has type `ty`.)
#[inline(always)]
fn ref_callee(ty: u32, base: u32, fp: *mut u64, ctx: &Ctx<'_>) -> Option<u32> {
    let sig = ctx.inst.sigs[ty as usize];
    let ref_slot = base + ctx.sigs.get(sig).param_cells() as u32;
    let cell = get!(fp, ref_slot);
    cell.checked_sub(1).map(|f| f as u32)
}

/// Traps for `fault`.
#[cold]
#[inline(never)]
fn indirect_fault(ctx: &mut Ctx<'_>, fault: IndirectFault) -> Stop {
    trap!(
        ctx,
        match fault {
            IndirectFault::Undefined => Trap::new(TrapKind::UndefinedElement),
            IndirectFault::Uninitialized(i) => Trap::uninitialized_element(i),
            IndirectFault::Mismatch => Trap::new(TrapKind::IndirectCallTypeMismatch),
        }
    );
}

/// The tail call at `ip` of store function `ctx.tail`, its arguments from slot `base` of
/// the frame at `fp`. A Wasm callee takes the running function's place: its arguments
/// move to slot 0, its frame is prepared there, and it returns to the running function's
/// caller, so neither stack grows and the depth stays. A host callee is called as by
/// [`call`]; the `Return` after the instruction then returns its results.
#[inline(never)]
fn tail_call<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mut mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    // SAFETY: as in `handler!`; a tail call's handler called this for its own instruction.
    let Some(base) = (unsafe { *ip }).call_base() else {
        return internal(ctx, "tail_call for another instruction");
    };
    let callee = ctx.tail;
    let FuncEntity::Wasm {
        code,
        instance: callee_instance,
        ..
    } = &ctx.funcs[callee as usize]
    else {
        return call::<FUEL>(callee, base, ip, fp, acc, mem, ctx, budget);
    };
    let (callee, callee_instance) = (&**code, *callee_instance);
    let at = ctx.fp_index(fp);
    let Some(need) = at.checked_add(callee.max_height as usize) else {
        trap!(ctx, TrapKind::StackExhausted);
    };
    // The arguments first: they are in the running frame, which `make_room` may move.
    // Forwards, one cell at a time: `base` is above slot 0 (a call's arguments are above
    // the locals), so no cell is overwritten before it is read; volatile, so that the
    // loop is not a call of `memmove` for a handful of cells.
    // SAFETY: the arguments, `base..base + num_params`, are operand slots of the running
    // frame (`CompiledFunc::check` keeps them below its `max_height`, within the buffer),
    // and slots `0..num_params` are below them.
    unsafe {
        for i in 0..callee.num_params as usize {
            fp.add(i)
                .write_volatile(fp.add(base as usize + i).read_volatile());
        }
    }
    if need > ctx.cells_len && !make_room(ctx, need) {
        return Stop::Trap;
    }
    let fp = ctx.cells.wrapping_add(at);
    init_frame(fp, callee);
    // SAFETY: `callee` is the bytecode of one of the store's functions, which the store
    // keeps (in an `Arc`) for as long as it lives, like every `cf` it runs.
    ctx.cf = unsafe { &*(callee as *const CompiledFunc) };
    ctx.code = callee.code.as_ptr();
    if callee_instance != ctx.instance {
        ctx.instance = callee_instance;
        ctx.inst = &ctx.instances[ctx.instance as usize];
        mem = ctx.memory0();
    }
    // (No instruction reads the accumulator before one with a result has run.)
    let _ = acc;
    let acc = 0;
    next!(ctx.code, fp, acc, mem, ctx, budget);
}

/// Enters the Wasm function `callee` of instance `callee_instance` (as [`call`]). The
/// common call, within the instance and with room on both stacks, makes no call on its
/// way (which would make every call save registers first); the rest is
/// [`call_wasm_slow`]'s.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn call_wasm<const FUEL: bool>(
    callee: &CompiledFunc,
    callee_instance: u32,
    base: u32,
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    let caller_fp = ctx.fp_index(fp);
    let args = caller_fp + base as usize;
    let need = args.saturating_add(callee.max_height as usize);
    // Below `frames_limit`: below the depth limit, and room for the frame.
    let len = ctx.frames.len();
    if len >= ctx.frames_limit || need > ctx.cells_len || callee_instance != ctx.instance {
        // Through `Ctx`: with more arguments than registers, the call would not be a jump
        // and every call would save registers for it.
        ctx.callee = (callee as *const CompiledFunc, callee_instance);
        return call_wasm_slow::<FUEL>(ip, fp, acc, mem, ctx, budget);
    }
    // SAFETY: `len < frames_limit <= frames.capacity()` (invariant of `frames_limit`): the
    // push below needs no reallocation (and then makes no call).
    unsafe { core::hint::assert_unchecked(len < ctx.frames.capacity()) };
    // The depth goes up with the frame (see `Ctx::depth`).
    ctx.frames.push(Frame {
        cf: ctx.cf,
        ret: ip.wrapping_add(1),
        fp: caller_fp,
        instance: ctx.instance,
    });
    let fp = ctx.cells.wrapping_add(args);
    // SAFETY: `callee` is the bytecode of one of the store's functions, which the store
    // keeps (in an `Arc`) for as long as it lives, like every `cf` it runs.
    ctx.cf = unsafe { &*(callee as *const CompiledFunc) };
    ctx.code = callee.code.as_ptr();
    // The accumulator is not read before an instruction with a result has run
    // (`CompiledFunc::check`: a body's first instruction reads no accumulator).
    let _ = acc;
    let acc = 0;
    if callee.init {
        // Out of line: the loops that prepare the frame need registers, and inline every
        // call saved and restored seven of them, whether it ran them or not.
        return enter_with_init::<FUEL>(ctx.code, fp, acc, mem, ctx, budget);
    }
    next!(ctx.code, fp, acc, mem, ctx, budget);
}

/// The `Call` at `ip` of a function the instance imports: out of line, so that the
/// handler's common path, a call within the instance, saves no registers for this one.
#[cold]
#[inline(never)]
fn call_imported<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    // SAFETY: as in `handler!`; `Call` called this for its own instruction.
    let Instr::Call { func, base } = (unsafe { *ip }) else {
        return internal(ctx, "call_imported for another instruction");
    };
    let callee = *at!(ctx, ctx.inst.funcs.get(func as usize));
    call::<FUEL>(callee, base, ip, fp, acc, mem, ctx, budget)
}

/// Prepares the frame at `fp` of the function `ctx.cf` that a call has just entered, and
/// goes on with its first instruction at `ip` (see [`call_wasm`]).
#[inline(never)]
fn enter_with_init<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    init_frame(fp, ctx.cf);
    next!(ip, fp, acc, mem, ctx, budget);
}

/// [`call_wasm`] in general: the depth limit, a stack to grow, another instance.
#[allow(clippy::too_many_arguments)]
#[cold]
#[inline(never)]
fn call_wasm_slow<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mut mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    // SAFETY: as in `handler!`; a call's handler called this for its own instruction.
    let Some(base) = (unsafe { *ip }).call_base() else {
        return internal(ctx, "call_wasm_slow for another instruction");
    };
    let (callee, callee_instance) = ctx.callee;
    // SAFETY: `call_wasm` put there the bytecode of one of the store's functions, which
    // the store keeps (in an `Arc`) for as long as it lives.
    let callee = unsafe { &*callee };
    let caller_fp = ctx.fp_index(fp);
    let args = caller_fp + base as usize;
    if ctx.depth() >= ctx.max_depth {
        trap!(ctx, TrapKind::StackExhausted);
    }
    let Some(need) = args.checked_add(callee.max_height as usize) else {
        trap!(ctx, TrapKind::StackExhausted);
    };
    if (need > ctx.cells_len || ctx.frames.len() == ctx.frames.capacity()) && !make_room(ctx, need)
    {
        return Stop::Trap;
    }
    ctx.frames.push(Frame {
        cf: ctx.cf,
        ret: ip.wrapping_add(1),
        fp: caller_fp,
        instance: ctx.instance,
    });
    let fp = ctx.cells.wrapping_add(args);
    init_frame(fp, callee);
    // SAFETY: as in `call_wasm`.
    ctx.cf = unsafe { &*(callee as *const CompiledFunc) };
    ctx.code = callee.code.as_ptr();
    if callee_instance != ctx.instance {
        ctx.instance = callee_instance;
        ctx.inst = &ctx.instances[ctx.instance as usize];
        mem = ctx.memory0();
    }
    next!(ctx.code, fp, acc, mem, ctx, budget);
}

/// Prepares the frame of `cf` at `fp` once its arguments are there: zeroes the locals
/// after the parameters that the body may read before writing them (`cf.zero`), and
/// writes the constant pool after the locals.
#[inline(always)]
fn init_frame(fp: *mut u64, cf: &CompiledFunc) {
    if !cf.init {
        return;
    }
    let (params, locals) = (cf.num_params as usize, cf.num_locals as usize);
    // SAFETY: `num_locals + consts.len() <= max_height` (`check`), the masked locals are
    // below `num_locals` (`check`), and the callee's `max_height` cells from `fp` are in
    // the buffer (the caller reserved them).
    unsafe {
        // Volatile keeps these stores as stores: a loop of plain ones would become a call
        // of `memset` (or `memcpy` below), costly for a handful of cells and a reason for
        // every call to save registers first.
        let mut zero = cf.zero;
        while zero != 0 {
            fp.add(params + zero.trailing_zeros() as usize)
                .write_volatile(0);
            zero &= zero - 1;
        }
        for i in (params + 64).min(locals)..locals {
            fp.add(i).write_volatile(0);
        }
        let pool = fp.add(locals);
        for (i, &c) in cf.consts.iter().enumerate() {
            pool.add(i).write_volatile(c);
        }
    }
}

/// The `Return` at `ip` in general: several values, the end of the call, or a caller in
/// another instance.
#[cold]
#[inline(never)]
fn return_slow<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    mut acc: u64,
    mut mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    // SAFETY: as in `handler!`; `Return` called this for its own instruction.
    let Instr::Return { src, n } = (unsafe { *ip }) else {
        return internal(ctx, "return_slow for another instruction");
    };
    if n == 1 {
        // `check` proved `src + n <= max_height`: both slots are in the frame.
        set!(fp, acc, 0, get!(fp, src));
    } else if src != 0 && n != 0 {
        move_values(ctx, fp, src, 0, n);
    }
    if ctx.frames.len() == ctx.base_frames {
        // (`run` counts the frame that returns out of the depth.)
        ctx.save(ip, fp, acc, mem);
        return Stop::Return;
    }
    let Some(caller) = ctx.frames.pop() else {
        return internal(ctx, "more frames than when the call started");
    };
    let fp = ctx.cells.wrapping_add(caller.fp);
    // SAFETY: as in `Return`.
    ctx.cf = unsafe { &*caller.cf };
    ctx.code = ctx.cf.code.as_ptr();
    if caller.instance != ctx.instance {
        ctx.instance = caller.instance;
        ctx.inst = &ctx.instances[ctx.instance as usize];
        mem = ctx.memory0();
    }
    next!(caller.ret, fp, acc, mem, ctx, budget);
}

/// The `BrTable` at `ip` when the branch it takes carries values to a lower height.
#[cold]
#[inline(never)]
fn br_table_carrying<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    // SAFETY: as in `handler!`; `BrTable` called this for its own instruction.
    let Instr::BrTable { index, offset, len } = (unsafe { *ip }) else {
        return internal(ctx, "br_table_carrying for another instruction");
    };
    let i = (get!(fp, index) as u32).min(len);
    let entry = ctx.cf.br_tables[offset as usize + i as usize];
    move_values(ctx, fp, entry.from, entry.to, entry.n);
    next!(
        ctx.code.wrapping_add(entry.target as usize),
        fp,
        acc,
        mem,
        ctx,
        budget
    );
}

/// Copies the `n` values from slot `from` to slot `to` for a branch that carries values
/// to a lower height, or a `Return` of several values (out of the handlers' hot paths:
/// a call of `memmove` there would make every run of them save registers first).
#[cold]
#[inline(never)]
fn move_values(ctx: &mut Ctx<'_>, fp: *mut u64, from: u32, to: u32, n: u32) {
    let from = from as usize;
    ctx.frame(fp)
        .copy_within(from..from + n as usize, to as usize);
}

/// Grows the value stack to `need` cells and the frame stack by one frame, as a call
/// needs; `false` (with the trap in `ctx`) when a limit or the allocator refuses.
#[cold]
#[inline(never)]
fn make_room(ctx: &mut Ctx<'_>, need: usize) -> bool {
    if need > ctx.cells_len {
        if let Err(trap) = reserve(ctx.cells_vec, need, ctx.max_cells) {
            ctx.trap = Some(trap);
            return false;
        }
        ctx.cells = ctx.cells_vec.as_mut_ptr();
        ctx.cells_len = ctx.cells_vec.len();
    }
    if ctx.frames.len() == ctx.frames.capacity()
        && ctx.frames.try_reserve(ctx.frames.len().max(16)).is_err()
    {
        ctx.trap = Some(Trap::new(TrapKind::StackExhausted));
        return false;
    }
    ctx.limit_frames();
    true
}

/// The `Throw` at `ip`: makes the exception object (its payload the tag's parameter
/// cells from the instruction's `base`) and unwinds for it. Out of line, as all of
/// throwing: no other instruction pays for it.
#[cold]
#[inline(never)]
fn throw<const FUEL: bool>(
    ip: *const Instr,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    // SAFETY: as in `handler!`; `Throw` called this for its own instruction.
    let Instr::Throw { tag, base } = (unsafe { *ip }) else {
        return internal(ctx, "throw for another instruction");
    };
    let tag = *at!(ctx, ctx.inst.tags.get(tag as usize));
    let sig = at!(ctx, ctx.tags.get(tag as usize)).sig;
    let n = ctx.sigs.get(sig).param_cells();
    let start = ctx.fp_index(fp) + base as usize;
    // The frame's cells through the vector (fields of `Ctx` apart from the objects and
    // the limiter): read here, written through `cells` again only once this is done.
    let payload = at!(ctx, ctx.cells_vec.get(start..start + n));
    let limiter = ctx.limiter.as_deref_mut();
    let exn = try_trap!(ctx, ctx.exns.alloc(tag, payload, limiter, false));
    let pc = ctx.pc(ip) as u32;
    unwind::<FUEL>(exn, pc, fp, acc, mem, ctx, budget)
}

/// Unwinds for exception object `exn`, thrown at instruction `pc` of the running function
/// (frame `fp`): the first clause of the innermost `try_table` around `pc` that catches
/// it takes it ([`catch`]); without one the frame goes as a `Return` would take it, and
/// the search goes on at the caller's call. At the frame the call started with, the
/// exception leaves the call: the trap [`TrapKind::UncaughtException`] carries it.
#[cold]
#[inline(never)]
fn unwind<const FUEL: bool>(
    exn: u32,
    pc: u32,
    fp: *mut u64,
    acc: u64,
    mut mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    let Some(tag) = ctx.exns.tag(exn) else {
        return internal(ctx, "an exception object the store does not hold");
    };
    let (mut pc, mut fp) = (pc, fp);
    loop {
        // A tail call of a host function that threw: the function that made it has
        // already returned in the spec's terms, so its handlers do not apply. (A tail
        // call of a Wasm function replaced the frame; a caller's call site is never one.)
        let tail = ctx
            .cf
            .code
            .get(pc as usize)
            .is_some_and(Instr::is_tail_call);
        if let Some(handlers) = ctx.cf.handlers.as_ref().filter(|_| !tail) {
            let tags = &ctx.inst.tags;
            let is_tag = |t: u32| tags.get(t as usize) == Some(&tag);
            if let Some(clause) = handlers.find(pc, is_tag) {
                return catch::<FUEL>(exn, clause, fp, acc, mem, ctx, budget);
            }
        }
        if ctx.frames.len() <= ctx.base_frames {
            ctx.exns.expose(exn);
            let text = describe_exception(ctx, exn);
            ctx.trap = Some(Trap::uncaught(ctx.store_id, exn, text));
            return Stop::Trap;
        }
        let Some(caller) = ctx.frames.pop() else {
            return internal(ctx, "more frames than when the call started");
        };
        fp = ctx.cells.wrapping_add(caller.fp);
        // SAFETY: as in `Return`.
        ctx.cf = unsafe { &*caller.cf };
        ctx.code = ctx.cf.code.as_ptr();
        if caller.instance != ctx.instance {
            ctx.instance = caller.instance;
            ctx.inst = at!(ctx, ctx.instances.get(ctx.instance as usize));
            mem = ctx.memory0();
        }
        // The caller's call, the instruction before its return address.
        pc = (ctx.pc(caller.ret) as u32).wrapping_sub(1);
    }
}

/// `clause` of the running function (frame `fp`) catches exception object `exn`: its
/// payload's cells (not for `catch_all` and `catch_all_ref`), then the `exnref` for
/// `catch_ref` and `catch_all_ref`, go where the clause's label wants its values, and
/// the code goes on at the label.
#[cold]
#[inline(never)]
fn catch<const FUEL: bool>(
    exn: u32,
    clause: CatchClause,
    fp: *mut u64,
    acc: u64,
    mem: *mut u8,
    ctx: &mut Ctx<'_>,
    budget: u32,
) -> Stop {
    let entry = *at!(ctx, ctx.cf.br_tables.get(clause.entry as usize));
    let payload = at!(ctx, ctx.exns.payload(exn));
    let payload = if clause.tag == CatchClause::ALL {
        &[]
    } else {
        payload
    };
    let (len, n) = (payload.len(), entry.n as usize);
    if len + usize::from(clause.with_ref) != n || entry.target as usize >= ctx.cf.code.len() {
        return internal(ctx, "a catch clause whose label does not fit");
    }
    let start = ctx.fp_index(fp) + entry.to as usize;
    // Through the vector, as in `throw`.
    let slots = at!(ctx, ctx.cells_vec.get_mut(start..start + n));
    let (values, rest) = slots.split_at_mut(len);
    values.copy_from_slice(payload);
    if let Some(r) = rest.first_mut() {
        *r = u64::from(exn) + 1;
        ctx.exns.expose(exn);
    } else {
        ctx.exns.caught_unseen(exn);
    }
    next!(
        ctx.code.wrapping_add(entry.target as usize),
        fp,
        acc,
        mem,
        ctx,
        budget
    );
}

/// What an uncaught exception's trap says of exception object `exn`: its tag (see
/// [`tag_name`]) and its payload, `tag "oops" [i32 1, f64 2.5]`.
#[cold]
fn describe_exception(ctx: &Ctx<'_>, exn: u32) -> String {
    let Some(tag) = ctx.exns.tag(exn) else {
        return String::new();
    };
    let mut text = tag_name(ctx.instances, ctx.tags, tag);
    let (Some(entity), Some(cells)) = (ctx.tags.get(tag as usize), ctx.exns.payload(exn)) else {
        return text;
    };
    let params = ctx.sigs.get(entity.sig).params();
    if params.is_empty() {
        return text;
    }
    let mut at = 0;
    let values: Vec<String> = params
        .iter()
        .map(|&ty| {
            let cell = |i: usize| cells.get(at + i).copied().unwrap_or(0);
            use crate::module::ValType as V;
            let value = match ty {
                V::I32 => format!("i32 {}", cell(0) as u32 as i32),
                V::I64 => format!("i64 {}", cell(0) as i64),
                V::F32 => format!("f32 {}", f32::from_bits(cell(0) as u32)),
                V::F64 => format!("f64 {}", f64::from_bits(cell(0))),
                V::V128 => format!(
                    "v128 {:#034x}",
                    u128::from(cell(0)) | u128::from(cell(1)) << 64
                ),
                V::Ref(_) if cell(0) == 0 => format!("{ty} null"),
                V::Ref(_) => format!("{ty} {}", cell(0) - 1),
            };
            at += ty.cells() as usize;
            value
        })
        .collect();
    text.push_str(&format!(" [{}]", values.join(", ")));
    text
}

/// How a message names tag `tag` (store index): `tag "name"` when the instance that
/// defined it exports it, else `tag "module"."name"` when an instance imports it, else
/// `tag N`, its index in the module that defined it (`host tag N`, its store index, for
/// one the embedder made and no module imports).
#[cold]
fn tag_name(instances: &[InstanceEntity], tags: &[TagEntity], tag: u32) -> String {
    use crate::module::{ExportIndex, ImportKind};
    let owner = tags.get(tag as usize).and_then(|t| t.owner);
    if let Some((instance, index)) = owner
        && let Some(inst) = instances.get(instance as usize)
        && let Some((name, _)) = inst
            .module
            .exports
            .iter()
            .find(|(_, e)| *e == ExportIndex::Tag(index))
    {
        return format!("tag {name:?}");
    }
    for inst in instances {
        let imports = inst
            .module
            .imports
            .iter()
            .filter(|i| matches!(i.kind, ImportKind::Tag(_)));
        for (import, &t) in imports.zip(&inst.tags) {
            if t == tag {
                return format!("tag {:?}.{:?}", import.module, import.name);
            }
        }
    }
    match owner {
        Some((_, index)) => format!("tag {index}"),
        None => format!("host tag {tag}"),
    }
}

/// Runs from `regs` until the call returns, a host function is called, or a trap.
/// With `FUEL`, every instruction costs its fuel (see `compile`'s bytecode docs).
/// `throw`: the host function the running function called (the call before `regs.pc`)
/// threw exception object `throw` instead of returning: unwind for it first.
pub(crate) fn run<const FUEL: bool>(
    inner: &mut StoreInner,
    regs: &mut Regs,
    throw: Option<u32>,
) -> Result<Exit, Trap> {
    let StoreInner {
        id,
        tags,
        exns,
        limits,
        sigs,
        funcs,
        memories,
        tables,
        globals,
        instances,
        datas,
        elems,
        fuel,
        limiter,
        stack,
        ..
    } = inner;
    let Stack {
        cells: cells_vec,
        frames: store_frames,
        ..
    } = stack;
    let frames = core::mem::take(store_frames);
    let funcs: &[FuncEntity] = funcs;
    let instances: &[InstanceEntity] = instances;
    // SAFETY: `regs.cf` is the bytecode of one of the store's functions (`enter` or a
    // call took it from there), which the store keeps in an `Arc` as long as it lives.
    let cf: &CompiledFunc = unsafe { &*regs.cf };
    let inst = &instances[regs.instance as usize];
    let cells = cells_vec.as_mut_ptr();
    let cells_len = cells_vec.len();
    let mut ctx = Ctx {
        funcs,
        instances,
        memories,
        tables,
        globals,
        datas,
        elems,
        sigs,
        limiter,
        new_parker: limits.new_parker,
        fuel,
        cells_vec,
        frames,
        max_depth: limits.max_call_depth,
        max_cells: limits.max_value_stack,
        base_frames: regs.base_frames,
        depth0: regs.depth,
        frames0: 0,
        frames_limit: 0,
        instance: regs.instance,
        inst,
        cf,
        code: cf.code.as_ptr(),
        mem0_len: 0,
        cells,
        cells_len,
        ip: core::ptr::null(),
        fp: core::ptr::null_mut(),
        acc: 0,
        mem0: core::ptr::null_mut(),
        callee: (core::ptr::null(), 0),
        tail: 0,
        host: (0, 0),
        trap: None,
        stack_top: 0,
        tags,
        exns,
        store_id: *id,
    };
    ctx.frames0 = ctx.frames.len();
    ctx.limit_frames();
    ctx.stack_top = stack_here();
    let mut mem = ctx.memory0();
    let mut ip = ctx.code.wrapping_add(regs.pc);
    // The frame's cells are in the buffer: `enter` reserved them, and a host call in
    // between left them there (the buffer never shrinks).
    let mut fp = cells.wrapping_add(regs.fp);
    // Entering the call's first function (`enter` prepared its frame), resuming after a
    // host call (the accumulator does not matter then: nothing reads it before an
    // instruction with a result has run, `CompiledFunc::check`), or after running out of
    // fuel in the middle of a function (the accumulator may be live then).
    let mut acc = regs.acc;
    let mut stop = match throw {
        None => handler_of::<FUEL>(ip)(ip, fp, acc, mem, &mut ctx, BUDGET),
        Some(exn) => {
            let call = (regs.pc as u32).wrapping_sub(1);
            unwind::<FUEL>(exn, call, fp, acc, mem, &mut ctx, BUDGET)
        }
    };
    let result = loop {
        match stop {
            Stop::Budget => {
                (ip, fp, acc, mem) = (ctx.ip, ctx.fp, ctx.acc, ctx.mem0);
                stop = handler_of::<FUEL>(ip)(ip, fp, acc, mem, &mut ctx, BUDGET);
            }
            Stop::Trap => {
                break Err(ctx
                    .trap
                    .take()
                    .unwrap_or_else(|| Trap::host("internal interpreter error: no trap")));
            }
            Stop::OutOfFuel if !regs.resumable => {
                // The tank is emptied, so that the embedder reads 0 after the trap.
                *ctx.fuel = 0;
                break Err(Trap::new(TrapKind::OutOfFuel));
            }
            stop => {
                *regs = Regs {
                    cf: ctx.cf,
                    instance: ctx.instance,
                    pc: ctx.pc(ctx.ip),
                    fp: ctx.fp_index(ctx.fp),
                    // The outermost function's return ends its frame too.
                    depth: ctx.depth().wrapping_sub(u32::from(stop == Stop::Return)),
                    base_frames: ctx.base_frames,
                    acc: ctx.acc,
                    resumable: regs.resumable,
                };
                break Ok(match stop {
                    Stop::Host => Exit::Host {
                        func: ctx.host.0,
                        args: ctx.host.1,
                    },
                    Stop::OutOfFuel => Exit::OutOfFuel {
                        required: cost(ctx.ip, &ctx),
                    },
                    _ => Exit::Return,
                });
            }
        }
    };
    *store_frames = core::mem::take(&mut ctx.frames);
    result
}
