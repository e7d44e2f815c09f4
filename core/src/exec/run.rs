//! The dispatch loop: `loop { match instr { … } }` over one function's bytecode, calls
//! and returns switching functions in place (never recursing on the host stack).
//!
//! The loop borrows the store's fields separately: functions and instances shared, value
//! stack, memories, tables, globals and segments mutably. It keeps the base pointer and
//! length of memory 0 of the current instance in registers and takes them again after
//! anything that can grow or replace it: `memory.grow`, an access to another memory (which
//! may be the same one imported twice), a call or return into another instance. A call to
//! a host function leaves the loop altogether ([`Exit::Host`]): the host gets the whole
//! store, and the loop starts afresh, memory included, when it returns.
//!
//! Validation proved the types, and the translator's check the slots; nothing here checks
//! them again. This is the one module of `exec` with `unsafe` code (see the module docs of
//! `exec`): slots, instructions and memory 0 are reached through raw pointers, and every
//! arm of the dispatch ends with an empty `asm!` comment (`end!`) that keeps LLVM from
//! merging the arms' endings.
#![allow(unsafe_code)]

use super::num;
use super::stack::{Frame, Stack, reserve};
use super::store::{FuncEntity, InstanceEntity, StoreInner, grow_memory};
use super::{Trap, TrapKind};
use crate::compile::{CompiledFunc, Imm, Instr, for_each_op};
use crate::memory::{IndexType, Memory, OutOfBounds};
use crate::prelude::*;
use core::mem::size_of;
use core::ops::Range;

/// Where the loop stopped; what it needs to resume.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Regs {
    /// Store index of the running function.
    pub(crate) func: u32,
    /// Store index of its instance.
    pub(crate) instance: u32,
    pub(crate) pc: usize,
    pub(crate) fp: usize,
    /// Active frames (see [`Stack::depth`]).
    pub(crate) depth: u32,
    /// `frames.len()` when this call started: a `Return` at that level ends the call.
    pub(crate) base_frames: usize,
}

/// Why the loop returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The call's outermost function returned; its results are at `fp`.
    Return,
    /// The running function calls host function `func` (store index) with the arguments
    /// at cell `args` (absolute) onward; `pc` is past the call.
    Host { func: u32, args: usize },
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

fn code_of(funcs: &[FuncEntity], func: u32) -> &CompiledFunc {
    match &funcs[func as usize] {
        FuncEntity::Wasm { code, .. } => code,
        FuncEntity::Host { .. } => unreachable!("frames belong to Wasm functions"),
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
/// every byte is below `len`: one 128-bit add and one compare (a single branch: the
/// add cannot overflow, so no separate overflow test).
#[inline(always)]
fn in_bounds<const N: usize>(len: usize, addr: u64, offset: u32) -> Option<usize> {
    // Below 2^64 + 2^33: no overflow in 128 bits.
    let end = u128::from(addr) + u128::from(offset) + N as u128;
    // On every target `usize` fits in `u64`; `end <= len` makes the cast exact.
    (end <= len as u128).then(|| (end - N as u128) as usize)
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

#[cold]
fn out_of_fuel(fuel: &mut u64) -> Trap {
    *fuel = 0;
    Trap::new(TrapKind::OutOfFuel)
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

/// Expands the generic arms of the dispatch (loads, stores, numeric operators, fused
/// compare-and-branch) from the instruction list, around the hand-written arms it is
/// given.
macro_rules! dispatch {
    (
        [$instr:ident, $acc:ident, $get:ident, $set:ident, $jump:ident, $end:ident, $load0:ident, $store0:ident, $memarg:ident, $with_memory:ident { $($arms:tt)* }]
        special { $($special:tt)* }
        load { $( $lname:ident / $lmname:ident / $laname:ident ($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident / $smname:ident / $saname:ident / $svname:ident ($sty:ty) ),* $(,)? }
        unary { $( $uname:ident / $uaname:ident ($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident / $utaname:ident ($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident / $biname:ident / $baname:ident / $bianame:ident / $bbname:ident ($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident / $btiname:ident / $btaname:ident / $btianame:ident ($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
        branch_cmp { $( $cname:ident / $ciname:ident / $caname:ident / $cianame:ident ($cin:ident, $cf:ident) if $cfrom:ident / $cifrom:ident else $cnot:ident / $cinot:ident ),* $(,)? }
        step_cmp { $( $stname:ident / $stiname:ident ($stin:ident, $stf:ident) after $stadd:ident then $stbr:ident / $stibr:ident ),* $(,)? }
    ) => {
        match *$instr {
            $($arms)*
            $(
                Instr::$lname { dst, addr, offset } => {
                    let value: $lraw = $load0!($lraw, $get!(addr), offset);
                    $set!(dst, value as $lcell as u64);
                    $end!($lname);
                }
                Instr::$laname { dst, offset, .. } => {
                    let value: $lraw = $load0!($lraw, $acc, offset);
                    $set!(dst, value as $lcell as u64);
                    $end!($laname);
                }
                Instr::$lmname { dst, addr, memarg } => {
                    const N: usize = core::mem::size_of::<$lraw>();
                    let (memory, offset) = $memarg!(memarg);
                    let a = $get!(addr);
                    let bytes = $with_memory!(memory, |m| m.load::<N>(a, offset)).map_err(memory_oob)?;
                    $set!(dst, <$lraw>::from_le_bytes(bytes) as $lcell as u64);
                    $end!($lmname);
                }
            )*
            $(
                Instr::$sname { addr, value, offset } => {
                    let value = $get!(value) as $sty;
                    $store0!($sty, $get!(addr), offset, value);
                    $end!($sname);
                }
                Instr::$saname { value, offset, .. } => {
                    let value = $get!(value) as $sty;
                    $store0!($sty, $acc, offset, value);
                    $end!($saname);
                }
                Instr::$svname { addr, offset, .. } => {
                    let value = $acc as $sty;
                    $store0!($sty, $get!(addr), offset, value);
                    $end!($svname);
                }
                Instr::$smname { addr, value, memarg } => {
                    let bytes = ($get!(value) as $sty).to_le_bytes();
                    let (memory, offset) = $memarg!(memarg);
                    let a = $get!(addr);
                    $with_memory!(memory, |m| m.store(a, offset, bytes)).map_err(memory_oob)?;
                    $end!($smname);
                }
            )*
            $(
                Instr::$uname { dst, src } => {
                    $set!(dst, <$uout as Cell>::into_cell(num::$uf(<$uin as Cell>::from_cell($get!(src)))));
                    $end!($uname);
                }
                Instr::$uaname { dst, .. } => {
                    $set!(dst, <$uout as Cell>::into_cell(num::$uf(<$uin as Cell>::from_cell($acc))));
                    $end!($uaname);
                }
            )*
            $(
                Instr::$utname { dst, src } => {
                    $set!(dst, <$utout as Cell>::into_cell(num::$utf(<$utin as Cell>::from_cell($get!(src)))?));
                    $end!($utname);
                }
                Instr::$utaname { dst, .. } => {
                    $set!(dst, <$utout as Cell>::into_cell(num::$utf(<$utin as Cell>::from_cell($acc))?));
                    $end!($utaname);
                }
            )*
            $(
                Instr::$bname { dst, a, b } => {
                    let (a, b) = (<$bin as Cell>::from_cell($get!(a)), <$bin as Cell>::from_cell($get!(b)));
                    $set!(dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
                    $end!($bname);
                }
                Instr::$biname { dst, a, imm } => {
                    let (a, b) = (<$bin as Cell>::from_cell($get!(a)), <$bin as Imm>::from_imm(imm));
                    $set!(dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
                    $end!($biname);
                }
                Instr::$baname { dst, b, .. } => {
                    let (a, b) = (<$bin as Cell>::from_cell($acc), <$bin as Cell>::from_cell($get!(b)));
                    $set!(dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
                    $end!($baname);
                }
                Instr::$bianame { dst, imm, .. } => {
                    let (a, b) = (<$bin as Cell>::from_cell($acc), <$bin as Imm>::from_imm(imm));
                    $set!(dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
                    $end!($bianame);
                }
                Instr::$bbname { dst, a, .. } => {
                    let (a, b) = (<$bin as Cell>::from_cell($get!(a)), <$bin as Cell>::from_cell($acc));
                    $set!(dst, <$bout as Cell>::into_cell(num::$bf(a, b)));
                    $end!($bbname);
                }
            )*
            $(
                Instr::$btname { dst, a, b } => {
                    let (a, b) = (<$btin as Cell>::from_cell($get!(a)), <$btin as Cell>::from_cell($get!(b)));
                    $set!(dst, <$btout as Cell>::into_cell(num::$btf(a, b)?));
                    $end!($btname);
                }
                Instr::$btiname { dst, a, imm } => {
                    let (a, b) = (<$btin as Cell>::from_cell($get!(a)), <$btin as Imm>::from_imm(imm));
                    $set!(dst, <$btout as Cell>::into_cell(num::$btf(a, b)?));
                    $end!($btiname);
                }
                Instr::$btaname { dst, b, .. } => {
                    let (a, b) = (<$btin as Cell>::from_cell($acc), <$btin as Cell>::from_cell($get!(b)));
                    $set!(dst, <$btout as Cell>::into_cell(num::$btf(a, b)?));
                    $end!($btaname);
                }
                Instr::$btianame { dst, imm, .. } => {
                    let (a, b) = (<$btin as Cell>::from_cell($acc), <$btin as Imm>::from_imm(imm));
                    $set!(dst, <$btout as Cell>::into_cell(num::$btf(a, b)?));
                    $end!($btianame);
                }
            )*
            $(
                Instr::$cname { a, b, target } => {
                    let (a, b) = (<$cin as Cell>::from_cell($get!(a)), <$cin as Cell>::from_cell($get!(b)));
                    if num::$cf(a, b) != 0 {
                        $jump!(target, $cname);
                    }
                    $end!($cname);
                }
                Instr::$ciname { a, imm, target } => {
                    let (a, b) = (<$cin as Cell>::from_cell($get!(a)), <$cin as Imm>::from_imm(imm));
                    if num::$cf(a, b) != 0 {
                        $jump!(target, $ciname);
                    }
                    $end!($ciname);
                }
                Instr::$caname { b, target, .. } => {
                    let (a, b) = (<$cin as Cell>::from_cell($acc), <$cin as Cell>::from_cell($get!(b)));
                    if num::$cf(a, b) != 0 {
                        $jump!(target, $caname);
                    }
                    $end!($caname);
                }
                Instr::$cianame { imm, target, .. } => {
                    let (a, b) = (<$cin as Cell>::from_cell($acc), <$cin as Imm>::from_imm(imm));
                    if num::$cf(a, b) != 0 {
                        $jump!(target, $cianame);
                    }
                    $end!($cianame);
                }
            )*
            $(
                Instr::$stname { step, b, target } => {
                    let x = step.slot();
                    let v = <$stin as Cell>::from_cell($get!(x));
                    let v = step_add(v, step.step());
                    $set!(x, <$stin as Cell>::into_cell(v));
                    if num::$stf(v, <$stin as Cell>::from_cell($get!(b))) != 0 {
                        $jump!(target, $stname);
                    }
                    $end!($stname);
                }
                Instr::$stiname { step, imm, target } => {
                    let x = step.slot();
                    let v = <$stin as Cell>::from_cell($get!(x));
                    let v = step_add(v, step.step());
                    $set!(x, <$stin as Cell>::into_cell(v));
                    if num::$stf(v, <$stin as Imm>::from_imm(imm)) != 0 {
                        $jump!(target, $stiname);
                    }
                    $end!($stiname);
                }
            )*
        }
    };
}

/// Runs from `regs` until the call returns, a host function is called, or a trap.
/// With `FUEL`, every instruction costs its fuel (see `compile`'s bytecode docs).
pub(crate) fn run<const FUEL: bool>(inner: &mut StoreInner, regs: &mut Regs) -> Result<Exit, Trap> {
    let StoreInner {
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
    let max_depth = limits.max_call_depth;
    let max_cells = limits.max_value_stack;
    let Stack {
        cells: cells_vec,
        frames,
        ..
    } = stack;
    let funcs: &[FuncEntity] = funcs;
    let instances: &[InstanceEntity] = instances;
    let memories: &mut [Memory] = memories;
    let Regs {
        mut func,
        mut instance,
        pc,
        mut fp,
        mut depth,
        base_frames,
    } = *regs;
    let mut cf = code_of(funcs, func);
    let mut inst = &instances[instance as usize];
    let (mut mem0, mut mem0_len) = memory0(memories, inst);

    // The value stack's cells, through raw pointers from here on (until the next `reserve`,
    // which takes them again): `cells` and `cells_len` are the vector's buffer, `frame`
    // points at slot 0 of the running function's frame (cell `fp`). Invariant: the running
    // function's `max_height` cells from `fp` are in the buffer (`reserve` at every call;
    // the buffer never shrinks).
    let mut cells: *mut u64 = cells_vec.as_mut_ptr();
    let mut cells_len = cells_vec.len();
    let mut frame: *mut u64 = cells.wrapping_add(fp);
    // The running function's code; `ip` points at the instruction to run. It moves on at
    // the bottom of the loop, after the instructions that fall through; the others set it
    // and `continue`. (Advancing before the `match` kept a copy of the old `ip` alive and
    // made the shared dispatch block 24 bytes, which straddled a 64-byte line in some
    // builds and then cost up to 2.5x on whole workloads; now it is the tag load, the
    // jump-table load, an add and the indirect jump.)
    let mut code: *const Instr = cf.code.as_ptr();
    let mut ip: *const Instr = code.wrapping_add(pc);
    // The accumulator: the last value `set!` wrote. Nothing reads it before an instruction
    // with a result has run (`CompiledFunc::check`), so its first value does not matter.
    let mut acc: u64 = 0;

    /// The index of the instruction `ip` points at.
    macro_rules! pc {
        () => {
            (ip as usize - code as usize) / size_of::<Instr>()
        };
    }
    macro_rules! get {
        ($slot:expr) => {{
            let slot: u32 = $slot;
            // SAFETY: `slot` is below the running function's `max_height`: a slot field of
            // one of its instructions or a half of a `SlotPair` field (`CompiledFunc::check`,
            // run on every translated body, proved both), a local or a constant pool slot
            // (`num_locals + consts.len() <= max_height`, also checked; the pool is the last
            // `consts.len()` slots), or slot 0 or `src`
            // of a one-value `Return` (`src + 1 <= max_height`, checked). And the frame's
            // `max_height` cells are in the buffer (invariant above).
            unsafe { *frame.add(slot as usize) }
        }};
    }
    /// Writes a slot, and the accumulator (see `compile`'s bytecode docs): after an
    /// instruction with a result, `acc` is that result.
    macro_rules! set {
        ($slot:expr, $value:expr) => {{
            let value: u64 = $value;
            let slot: u32 = $slot;
            // SAFETY: as for `get!`.
            unsafe { *frame.add(slot as usize) = value };
            // (An instruction writing two slots overwrites the first value at once.)
            #[allow(unused_assignments)]
            {
                acc = value;
            }
        }};
    }
    /// Writes the running function's constant pool, the top of its frame: at a call, and
    /// again wherever a callee's frame (which starts at the call's arguments) may have
    /// covered it.
    macro_rules! write_pool {
        () => {{
            if !cf.consts.is_empty() {
                let pool = cf.pool_base();
                for (i, &c) in cf.consts.iter().enumerate() {
                    // `check` proved `num_locals + consts.len() <= max_height`.
                    set!(pool + i as u32, c);
                }
            }
        }};
    }
    macro_rules! jump {
        ($target:expr) => {{
            ip = code.wrapping_add($target as usize);
            continue;
        }};
        ($target:expr, $arm:ident) => {{
            ip = code.wrapping_add($target as usize);
            end!($arm jumps);
            continue;
        }};
    }
    /// Ends the arm of instruction `$arm` (or its path that jumps, `$arm jumps`) with an
    /// empty `asm!` block whose text, a comment naming it, differs from every other arm's.
    /// LLVM then cannot merge the arms' identical endings (storing the result, advancing
    /// `ip`) into blocks shared by many arms. Merged, they cost the arms an extra jump,
    /// and the block storing the result fell through into the dispatch block, the two
    /// together crossing a 64-byte line in some builds (1.6-2x slower on every workload,
    /// see "Code layout" in BENCHMARKS.md). Apart, every arm jumps to the dispatch block,
    /// which LLVM aligns as the loop's header (in every build we checked): its 12 bytes
    /// then never cross a line. The price is code size: `run` is ~45% larger (+15 KiB
    /// per instance on x86-64). On targets without stable inline assembly it expands to
    /// nothing.
    macro_rules! end {
        ($($arm:ident)+) => {{
            #[cfg(any(
                target_arch = "x86_64",
                target_arch = "x86",
                target_arch = "aarch64",
                target_arch = "arm",
                target_arch = "riscv64",
                target_arch = "riscv32"
            ))]
            // SAFETY: the assembly is one comment: no instruction, no register, memory,
            // stack or flag touched.
            unsafe {
                core::arch::asm!(
                    concat!("/* ", $(stringify!($arm), " ",)+ "*/"),
                    options(nomem, nostack, preserves_flags)
                )
            }
        }};
    }
    /// The `$ty` at `$addr + $offset` of memory 0, or a trap.
    macro_rules! load0 {
        ($ty:ty, $addr:expr, $offset:expr) => {{
            let Some(start) = in_bounds::<{ size_of::<$ty>() }>(mem0_len, $addr, $offset) else {
                return Err(memory_oob(OutOfBounds));
            };
            // SAFETY: `mem0` and `mem0_len` are memory 0's bytes, taken again after anything
            // that may have moved or resized them (see `memory0`), and `in_bounds` proved
            // `start + size_of::<$ty>() <= mem0_len`. Any bit pattern is a valid `$ty`.
            <$ty>::from_le(unsafe { mem0.add(start).cast::<$ty>().read_unaligned() })
        }};
    }
    /// Stores the `$ty` `$value` at `$addr + $offset` of memory 0, or traps.
    macro_rules! store0 {
        ($ty:ty, $addr:expr, $offset:expr, $value:expr) => {{
            let Some(start) = in_bounds::<{ size_of::<$ty>() }>(mem0_len, $addr, $offset) else {
                return Err(memory_oob(OutOfBounds));
            };
            // SAFETY: as for `load0!`.
            unsafe {
                mem0.add(start)
                    .cast::<$ty>()
                    .write_unaligned(<$ty>::to_le($value))
            }
        }};
    }
    /// The memory index and offset of a `…M` load or store.
    macro_rules! memarg {
        ($i:expr) => {{
            let m = cf.memargs[$i as usize];
            (m.memory, m.offset)
        }};
    }
    /// The running frame's cells from slot 0 as a slice, for the rare instructions that
    /// take operands from consecutive slots (checked accesses).
    macro_rules! frame {
        () => {{
            // SAFETY: `cells` and `cells_len` are the vector's initialized buffer, and no
            // reference into it is alive: the loop reaches it only through raw pointers
            // derived from `cells`, and the slice lives only for the instruction using it.
            let all = unsafe { core::slice::from_raw_parts_mut(cells, cells_len) };
            &mut all[fp..]
        }};
    }

    /// Runs `$body` with `$m` the instance's memory `$index`, and takes memory 0's bytes
    /// again afterwards (the access may have grown it, and it may be the same memory).
    macro_rules! with_memory {
        ($index:expr, |$m:ident| $body:expr) => {{
            let $m = &mut memories[inst.memories[$index as usize] as usize];
            let result = $body;
            (mem0, mem0_len) = memory0(memories, inst);
            result
        }};
    }

    /// Enters store function `$callee` with its arguments from slot `$base`: a Wasm
    /// function in place, a host function by leaving the loop.
    macro_rules! call {
        ($callee:expr, $base:expr) => {{
            let callee: u32 = $callee;
            let args = fp + $base as usize;
            match &funcs[callee as usize] {
                FuncEntity::Wasm {
                    code: callee_code,
                    instance: callee_instance,
                    ..
                } => {
                    if depth >= max_depth {
                        return Err(Trap::new(TrapKind::StackExhausted));
                    }
                    let need = args
                        .checked_add(callee_code.max_height as usize)
                        .ok_or_else(|| Trap::new(TrapKind::StackExhausted))?;
                    if need > cells_len {
                        reserve(cells_vec, need, max_cells)?;
                        cells = cells_vec.as_mut_ptr();
                        cells_len = cells_vec.len();
                    }
                    if frames.len() == frames.capacity() {
                        frames
                            .try_reserve(frames.len().max(16))
                            .map_err(|_| Trap::new(TrapKind::StackExhausted))?;
                    }
                    frames.push(Frame {
                        func,
                        instance,
                        pc: pc!() + 1,
                        fp,
                    });
                    depth += 1;
                    fp = args;
                    frame = cells.wrapping_add(fp);
                    let (params, locals) = (callee_code.num_params, callee_code.num_locals);
                    for slot in params..locals {
                        set!(slot, 0);
                    }
                    func = callee;
                    cf = callee_code;
                    write_pool!();
                    code = cf.code.as_ptr();
                    ip = code;
                    if *callee_instance != instance {
                        instance = *callee_instance;
                        inst = &instances[instance as usize];
                        (mem0, mem0_len) = memory0(memories, inst);
                    }
                    continue;
                }
                FuncEntity::Host { .. } => {
                    *regs = Regs {
                        func,
                        instance,
                        pc: pc!() + 1,
                        fp,
                        depth,
                        base_frames,
                    };
                    return Ok(Exit::Host { func: callee, args });
                }
            }
        }};
    }

    // Entering the call's first function (`call_at` wrote only its arguments and zeroed
    // locals), or resuming after a host call, which may have run Wasm code above.
    write_pool!();
    loop {
        if FUEL {
            let cost = u64::from(cf.fuel[pc!()]);
            if *fuel < cost {
                return Err(out_of_fuel(fuel));
            }
            *fuel -= cost;
        }
        // SAFETY: `ip` points into the running function's code: it is set to an
        // instruction index (0 at a call; on return the saved index after a call, which
        // is not the last instruction as that one never falls through; a branch target,
        // checked below the code's length by `CompiledFunc::check`) or moves to the next
        // instruction after one that falls through, which is never the last (`check`).
        let instr = unsafe { &*ip };
        // One shared dispatch block, which every arm jumps to; each arm ends with `end!`
        // so that LLVM keeps their endings apart (see `end!` and "Code layout" in
        // BENCHMARKS.md: layout still moves single workloads by 10-20% from build to
        // build, so judge a change here on more than one build).
        for_each_op!(dispatch; instr, acc, get, set, jump, end, load0, store0, memarg, with_memory {
            Instr::Unreachable => return Err(Trap::new(TrapKind::Unreachable)),
            Instr::Br { target } => jump!(target, Br),
            Instr::BrIfNez { cond, target } => {
                if get!(cond) as u32 != 0 {
                    jump!(target, BrIfNez);
                }
                end!(BrIfNez);
            }
            Instr::BrIfEqz { cond, target } => {
                if get!(cond) as u32 == 0 {
                    jump!(target, BrIfEqz);
                }
                end!(BrIfEqz);
            }
            Instr::BrIfNez64 { cond, target } => {
                if get!(cond) != 0 {
                    jump!(target, BrIfNez64);
                }
                end!(BrIfNez64);
            }
            Instr::BrIfEqz64 { cond, target } => {
                if get!(cond) == 0 {
                    jump!(target, BrIfEqz64);
                }
                end!(BrIfEqz64);
            }
            Instr::BrIfNezA { target, .. } => {
                if acc as u32 != 0 {
                    jump!(target, BrIfNezA);
                }
                end!(BrIfNezA);
            }
            Instr::BrIfEqzA { target, .. } => {
                if acc as u32 == 0 {
                    jump!(target, BrIfEqzA);
                }
                end!(BrIfEqzA);
            }
            Instr::BrIfNez64A { target, .. } => {
                if acc != 0 {
                    jump!(target, BrIfNez64A);
                }
                end!(BrIfNez64A);
            }
            Instr::BrIfEqz64A { target, .. } => {
                if acc == 0 {
                    jump!(target, BrIfEqz64A);
                }
                end!(BrIfEqz64A);
            }
            Instr::BrTable { index, offset, len } => {
                let i = (get!(index) as u32).min(len);
                let entry = cf.br_tables[offset as usize + i as usize];
                if entry.n != 0 && entry.from != entry.to {
                    let from = entry.from as usize;
                    frame!().copy_within(from..from + entry.n as usize, entry.to as usize);
                }
                jump!(entry.target);
            }
            Instr::Return { src, n } => {
                if n == 1 {
                    // `check` proved `src + n <= max_height`: both slots are in the frame.
                    set!(0, get!(src));
                } else if src != 0 {
                    let src = src as usize;
                    frame!().copy_within(src..src + n as usize, 0);
                }
                depth -= 1;
                if frames.len() == base_frames {
                    *regs = Regs { func, instance, pc: pc!(), fp, depth, base_frames };
                    return Ok(Exit::Return);
                }
                let Some(caller) = frames.pop() else {
                    unreachable!("more frames than when the call started: checked above")
                };
                func = caller.func;
                fp = caller.fp;
                frame = cells.wrapping_add(fp);
                cf = code_of(funcs, func);
                code = cf.code.as_ptr();
                ip = code.wrapping_add(caller.pc);
                write_pool!();
                if caller.instance != instance {
                    instance = caller.instance;
                    inst = &instances[instance as usize];
                    (mem0, mem0_len) = memory0(memories, inst);
                }
                continue;
            }
            Instr::Call { func: f, base } => call!(inst.funcs[f as usize], base),
            Instr::CallIndirect { ty, table, base } => {
                let sig = inst.sigs[ty as usize];
                let index_slot = base as usize + sigs.get(sig).params().len();
                let i = frame!()[index_slot] as u32 as usize;
                let elements = &tables[inst.tables[table as usize] as usize].elements;
                let cell = *elements.get(i).ok_or(TrapKind::UndefinedElement)?;
                let Some(callee) = cell.checked_sub(1) else {
                    return Err(Trap::uninitialized_element(i as u32));
                };
                let callee = callee as u32;
                if funcs[callee as usize].sig() != sig {
                    return Err(Trap::new(TrapKind::IndirectCallTypeMismatch));
                }
                call!(callee, base)
            }
            Instr::Copy { dst, src } => {
                set!(dst, get!(src));
                end!(Copy);
            }
            Instr::I32Add3Imm { dst, ab, imm } => {
                let (a, b) = (i32::from_cell(get!(ab.a())), i32::from_cell(get!(ab.b())));
                let sum = num::i32_add(num::i32_add(a, b), <i32 as Imm>::from_imm(imm));
                set!(dst, sum.into_cell());
                end!(I32Add3Imm);
            }
            Instr::I64Add3Imm { dst, ab, imm } => {
                let (a, b) = (i64::from_cell(get!(ab.a())), i64::from_cell(get!(ab.b())));
                let sum = num::i64_add(num::i64_add(a, b), <i64 as Imm>::from_imm(imm));
                set!(dst, sum.into_cell());
                end!(I64Add3Imm);
            }
            Instr::I32XorShlImm { dst, a, imm } => {
                let x = i32::from_cell(get!(a));
                let k = <i32 as Imm>::from_imm(imm);
                set!(dst, num::i32_xor(x, num::i32_shl(x, k)).into_cell());
                end!(I32XorShlImm);
            }
            Instr::I32XorShrUImm { dst, a, imm } => {
                let x = i32::from_cell(get!(a));
                let k = <i32 as Imm>::from_imm(imm);
                set!(dst, num::i32_xor(x, num::i32_shr_u(x, k)).into_cell());
                end!(I32XorShrUImm);
            }
            Instr::I64XorShlImm { dst, a, imm } => {
                let x = i64::from_cell(get!(a));
                let k = <i64 as Imm>::from_imm(imm);
                set!(dst, num::i64_xor(x, num::i64_shl(x, k)).into_cell());
                end!(I64XorShlImm);
            }
            Instr::I64XorShrUImm { dst, a, imm } => {
                let x = i64::from_cell(get!(a));
                let k = <i64 as Imm>::from_imm(imm);
                set!(dst, num::i64_xor(x, num::i64_shr_u(x, k)).into_cell());
                end!(I64XorShrUImm);
            }
            Instr::I32XorShlImmA { dst, imm, .. } => {
                let x = i32::from_cell(acc);
                let k = <i32 as Imm>::from_imm(imm);
                set!(dst, num::i32_xor(x, num::i32_shl(x, k)).into_cell());
                end!(I32XorShlImmA);
            }
            Instr::I32XorShrUImmA { dst, imm, .. } => {
                let x = i32::from_cell(acc);
                let k = <i32 as Imm>::from_imm(imm);
                set!(dst, num::i32_xor(x, num::i32_shr_u(x, k)).into_cell());
                end!(I32XorShrUImmA);
            }
            Instr::I64XorShlImmA { dst, imm, .. } => {
                let x = i64::from_cell(acc);
                let k = <i64 as Imm>::from_imm(imm);
                set!(dst, num::i64_xor(x, num::i64_shl(x, k)).into_cell());
                end!(I64XorShlImmA);
            }
            Instr::I64XorShrUImmA { dst, imm, .. } => {
                let x = i64::from_cell(acc);
                let k = <i64 as Imm>::from_imm(imm);
                set!(dst, num::i64_xor(x, num::i64_shr_u(x, k)).into_cell());
                end!(I64XorShrUImmA);
            }
            Instr::F64MulAdd { dst, acc, xy } => {
                let (x, y) = (f64::from_cell(get!(xy.a())), f64::from_cell(get!(xy.b())));
                let sum = num::f64_add(f64::from_cell(get!(acc)), num::f64_mul(x, y));
                set!(dst, sum.into_cell());
                end!(F64MulAdd);
            }
            Instr::I32DivUConst { dst, a, k } => {
                let n = get!(a) as u32;
                set!(dst, u64::from(cf.divisors[k as usize].quotient32(n)));
                end!(I32DivUConst);
            }
            Instr::I32DivUConstA { dst, k, .. } => {
                let n = acc as u32;
                set!(dst, u64::from(cf.divisors[k as usize].quotient32(n)));
                end!(I32DivUConstA);
            }
            Instr::I32RemUConst { dst, a, k } => {
                let n = get!(a) as u32;
                set!(dst, u64::from(cf.divisors[k as usize].remainder32(n)));
                end!(I32RemUConst);
            }
            Instr::I32RemUConstA { dst, k, .. } => {
                let n = acc as u32;
                set!(dst, u64::from(cf.divisors[k as usize].remainder32(n)));
                end!(I32RemUConstA);
            }
            Instr::I64DivUConst { dst, a, k } => {
                let n = get!(a);
                set!(dst, cf.divisors[k as usize].quotient64(n));
                end!(I64DivUConst);
            }
            Instr::I64DivUConstA { dst, k, .. } => {
                set!(dst, cf.divisors[k as usize].quotient64(acc));
                end!(I64DivUConstA);
            }
            Instr::I64RemUConst { dst, a, k } => {
                let n = get!(a);
                set!(dst, cf.divisors[k as usize].remainder64(n));
                end!(I64RemUConst);
            }
            Instr::I64RemUConstA { dst, k, .. } => {
                set!(dst, cf.divisors[k as usize].remainder64(acc));
                end!(I64RemUConstA);
            }
            Instr::I32AddImm2 { x, y } => {
                let v = step_add(i32::from_cell(get!(x.slot())), x.step());
                set!(x.slot(), v.into_cell());
                let v = step_add(i32::from_cell(get!(y.slot())), y.step());
                set!(y.slot(), v.into_cell());
                end!(I32AddImm2);
            }
            Instr::I64AddImm2 { x, y } => {
                let v = step_add(i64::from_cell(get!(x.slot())), x.step());
                set!(x.slot(), v.into_cell());
                let v = step_add(i64::from_cell(get!(y.slot())), y.step());
                set!(y.slot(), v.into_cell());
                end!(I64AddImm2);
            }
            Instr::Const { dst, value } => {
                set!(dst, value);
                end!(Const);
            }
            Instr::Select { dst, a, b } => {
                let c = frame!()[dst as usize + 2];
                let v = if c as u32 != 0 { get!(a) } else { get!(b) };
                set!(dst, v);
                end!(Select);
            }
            Instr::GlobalGet { dst, index } => {
                set!(dst, globals[inst.globals[index as usize] as usize].value);
                end!(GlobalGet);
            }
            Instr::GlobalSet { src, index } => {
                globals[inst.globals[index as usize] as usize].value = get!(src);
                end!(GlobalSet);
            }
            Instr::RefIsNull { dst, src } => {
                set!(dst, u64::from(get!(src) == 0));
                end!(RefIsNull);
            }
            Instr::RefFunc { dst, func: f } => {
                set!(dst, u64::from(inst.funcs[f as usize]) + 1);
                end!(RefFunc);
            }
            Instr::MemorySize { dst, memory } => {
                // An i32 memory has at most 2^32 - 1 pages: the cell is a valid i32.
                let size = with_memory!(memory, |m| m.size());
                set!(dst, size);
                end!(MemorySize);
            }
            Instr::MemoryGrow { dst, delta, memory } => {
                let delta = get!(delta);
                let index = inst.memories[memory as usize];
                let result = with_memory!(memory, |m| {
                    let failed = match m.ty().index_type {
                        IndexType::I32 => u64::from(u32::MAX),
                        IndexType::I64 => u64::MAX,
                    };
                    grow_memory(m, index, delta, limiter.as_deref_mut()).unwrap_or(failed)
                });
                set!(dst, result);
                end!(MemoryGrow);
            }
            Instr::MemoryFill { memory, base } => {
                let b = base as usize;
                let f = frame!();
                let (dst, value, n) = (f[b], f[b + 1] as u8, f[b + 2]);
                with_memory!(memory, |m| m.fill(dst, value, n)).map_err(memory_oob)?;
                end!(MemoryFill);
            }
            Instr::MemoryCopy { dst, src, base } => {
                let b = base as usize;
                let f = frame!();
                let (d, s, n) = (f[b], f[b + 1], f[b + 2]);
                let dst = inst.memories[dst as usize] as usize;
                let src = inst.memories[src as usize] as usize;
                let result = if dst == src {
                    memories[dst].copy_within(d, s, n)
                } else {
                    let (dst, src) = pair_mut(memories, dst, src);
                    Memory::copy_between(dst, d, src, s, n)
                };
                (mem0, mem0_len) = memory0(memories, inst);
                result.map_err(memory_oob)?;
                end!(MemoryCopy);
            }
            Instr::MemoryInit { memory, data, base } => {
                let b = base as usize;
                let f = frame!();
                let (d, s, n) = (f[b], f[b + 1], f[b + 2]);
                let bytes = &datas[inst.datas[data as usize] as usize].bytes;
                with_memory!(memory, |m| m.init(d, bytes, s, n)).map_err(memory_oob)?;
                end!(MemoryInit);
            }
            Instr::DataDrop { data } => {
                datas[inst.datas[data as usize] as usize].bytes = Arc::from(&[][..]);
                end!(DataDrop);
            }
            Instr::TableGet { table, base } => {
                let f = frame!();
                let i = f[base as usize] as u32 as usize;
                let elements = &tables[inst.tables[table as usize] as usize].elements;
                f[base as usize] = *elements.get(i).ok_or(TrapKind::TableOutOfBounds)?;
                end!(TableGet);
            }
            Instr::TableSet { table, base } => {
                let b = base as usize;
                let f = frame!();
                let (i, value) = (f[b] as u32 as usize, f[b + 1]);
                let elements = &mut tables[inst.tables[table as usize] as usize].elements;
                *elements.get_mut(i).ok_or(TrapKind::TableOutOfBounds)? = value;
                end!(TableSet);
            }
            Instr::TableSize { dst, table } => {
                set!(dst, tables[inst.tables[table as usize] as usize].elements.len() as u64);
                end!(TableSize);
            }
            Instr::TableGrow { table, base } => {
                let b = base as usize;
                let f = frame!();
                let (init, delta) = (f[b], u64::from(f[b + 1] as u32));
                let t = &mut tables[inst.tables[table as usize] as usize];
                f[b] = t.grow(delta, init).unwrap_or(u64::from(u32::MAX));
                end!(TableGrow);
            }
            Instr::TableFill { table, base } => {
                let b = base as usize;
                let f = frame!();
                let (d, value, n) = (u64::from(f[b] as u32), f[b + 1], u64::from(f[b + 2] as u32));
                let elements = &mut tables[inst.tables[table as usize] as usize].elements;
                range(d, n)
                    .and_then(|r| elements.get_mut(r))
                    .ok_or(TrapKind::TableOutOfBounds)?
                    .fill(value);
                end!(TableFill);
            }
            Instr::TableCopy { dst, src, base } => {
                let b = base as usize;
                let f = frame!();
                let (d, s, n) = (
                    u64::from(f[b] as u32),
                    u64::from(f[b + 1] as u32),
                    u64::from(f[b + 2] as u32),
                );
                let dst = inst.tables[dst as usize] as usize;
                let src = inst.tables[src as usize] as usize;
                let oob = || Trap::new(TrapKind::TableOutOfBounds);
                let (to, from) = range(d, n).zip(range(s, n)).ok_or_else(oob)?;
                if dst == src {
                    let elements = &mut tables[dst].elements;
                    if to.end > elements.len() || from.end > elements.len() {
                        return Err(oob());
                    }
                    elements.copy_within(from, to.start);
                } else {
                    let (dst, src) = pair_mut(tables, dst, src);
                    let from = src.elements.get(from).ok_or_else(oob)?;
                    dst.elements.get_mut(to).ok_or_else(oob)?.copy_from_slice(from);
                }
                end!(TableCopy);
            }
            Instr::TableInit { table, elem, base } => {
                let b = base as usize;
                let f = frame!();
                let (d, s, n) = (
                    u64::from(f[b] as u32),
                    u64::from(f[b + 1] as u32),
                    u64::from(f[b + 2] as u32),
                );
                let items = &elems[inst.elems[elem as usize] as usize].items;
                let from = range(s, n).and_then(|r| items.get(r)).ok_or(TrapKind::TableOutOfBounds)?;
                let elements = &mut tables[inst.tables[table as usize] as usize].elements;
                range(d, n)
                    .and_then(|r| elements.get_mut(r))
                    .ok_or(TrapKind::TableOutOfBounds)?
                    .copy_from_slice(from);
                end!(TableInit);
            }
            Instr::ElemDrop { elem } => {
                elems[inst.elems[elem as usize] as usize].items = Vec::new();
                end!(ElemDrop);
            }
        });
        // Every arm that does not jump, call or return falls through to the next
        // instruction.
        ip = ip.wrapping_add(1);
    }
}
