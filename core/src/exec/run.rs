//! The dispatch loop: `loop { match instr { … } }` over one function's bytecode, calls
//! and returns switching functions in place (never recursing on the host stack).
//!
//! The loop borrows the store's fields separately: functions and instances shared, value
//! stack, memories, tables, globals and segments mutably. It keeps memory 0 of the current
//! instance as a `&mut [u8]` (its base and length in registers) and takes it again after
//! anything that can grow or replace it: `memory.grow`, an access to another memory (which
//! may be the same one imported twice), a call or return into another instance. A call to
//! a host function leaves the loop altogether ([`Exit::Host`]): the host gets the whole
//! store, and the loop starts afresh, memory included, when it returns.
//!
//! Validation proved the types and the stack heights, so nothing here checks them again;
//! slice indexing still bounds-checks every cell access (a bug would panic, never corrupt).

use super::num;
use super::stack::{Frame, Stack, reserve};
use super::{Trap, TrapKind};
use crate::compile::{CompiledFunc, Instr, for_each_op};
use crate::memory::{IndexType, Memory, OutOfBounds, effective_address};
use crate::prelude::*;
use crate::runtime::store::{FuncEntity, InstanceEntity, StoreInner, grow_memory};
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
    pub(crate) sp: usize,
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
    /// on top of the stack; `pc` is past the call.
    Host(u32),
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

/// The bytes of the instance's memory 0 (empty without memories).
fn memory0<'a>(memories: &'a mut [Memory], inst: &InstanceEntity) -> &'a mut [u8] {
    match inst.memories.first() {
        Some(&m) => memories[m as usize].data_mut(),
        None => &mut [],
    }
}

#[inline(always)]
fn load<const N: usize>(mem: &[u8], addr: u64, offset: u64) -> Result<[u8; N], TrapKind> {
    effective_address(addr, offset, N, mem.len())
        .and_then(|start| mem.get(start..))
        .and_then(<[u8]>::first_chunk::<N>)
        .copied()
        .ok_or(TrapKind::MemoryOutOfBounds)
}

#[inline(always)]
fn store<const N: usize>(
    mem: &mut [u8],
    addr: u64,
    offset: u64,
    bytes: [u8; N],
) -> Result<(), TrapKind> {
    let len = mem.len();
    let slot = effective_address(addr, offset, N, len)
        .and_then(|start| mem.get_mut(start..))
        .and_then(<[u8]>::first_chunk_mut::<N>)
        .ok_or(TrapKind::MemoryOutOfBounds)?;
    *slot = bytes;
    Ok(())
}

#[cold]
fn memory_oob(_: OutOfBounds) -> Trap {
    Trap::new(TrapKind::MemoryOutOfBounds)
}

/// Moves the top `keep` cells down over the `drop` below them; the new `sp`.
#[inline(always)]
fn adjust(cells: &mut [u64], sp: usize, drop: u32, keep: u32) -> usize {
    let (drop, keep) = (drop as usize, keep as usize);
    if drop != 0 {
        cells.copy_within(sp - keep..sp, sp - keep - drop);
    }
    sp - drop
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

/// Expands the generic arms of the dispatch (loads, stores, numeric operators) from the
/// instruction list, around the hand-written arms it is given.
macro_rules! dispatch {
    (
        [$instr:ident, $cells:ident, $sp:ident, $mem0:ident, $with_memory:ident { $($arms:tt)* }]
        special { $($special:tt)* }
        load { $( $lname:ident($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident($sty:ty) ),* $(,)? }
        unary { $( $uname:ident($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
    ) => {
        match $instr {
            $($arms)*
            $(
                Instr::$lname { memory, offset } => {
                    const N: usize = core::mem::size_of::<$lraw>();
                    let addr = $cells[$sp - 1];
                    let bytes = if memory == 0 {
                        load::<N>($mem0, addr, offset)?
                    } else {
                        $with_memory!(memory, |m| m.load::<N>(addr, offset)).map_err(memory_oob)?
                    };
                    $cells[$sp - 1] = <$lraw>::from_le_bytes(bytes) as $lcell as u64;
                }
            )*
            $(
                Instr::$sname { memory, offset } => {
                    let bytes = ($cells[$sp - 1] as $sty).to_le_bytes();
                    let addr = $cells[$sp - 2];
                    $sp -= 2;
                    if memory == 0 {
                        store($mem0, addr, offset, bytes)?;
                    } else {
                        $with_memory!(memory, |m| m.store(addr, offset, bytes)).map_err(memory_oob)?;
                    }
                }
            )*
            $(
                Instr::$uname => {
                    let c = &mut $cells[$sp - 1];
                    *c = <$uout as Cell>::into_cell(num::$uf(<$uin as Cell>::from_cell(*c)));
                }
            )*
            $(
                Instr::$utname => {
                    let c = &mut $cells[$sp - 1];
                    *c = <$utout as Cell>::into_cell(num::$utf(<$utin as Cell>::from_cell(*c))?);
                }
            )*
            $(
                Instr::$bname => {
                    $sp -= 1;
                    let rhs = <$bin as Cell>::from_cell($cells[$sp]);
                    let c = &mut $cells[$sp - 1];
                    *c = <$bout as Cell>::into_cell(num::$bf(<$bin as Cell>::from_cell(*c), rhs));
                }
            )*
            $(
                Instr::$btname => {
                    $sp -= 1;
                    let rhs = <$btin as Cell>::from_cell($cells[$sp]);
                    let c = &mut $cells[$sp - 1];
                    *c = <$btout as Cell>::into_cell(num::$btf(<$btin as Cell>::from_cell(*c), rhs)?);
                }
            )*
        }
    };
}

/// Runs from `regs` until the call returns, a host function is called, or a trap.
/// With `FUEL`, every instruction costs one unit of `store.fuel`.
pub(crate) fn run<const FUEL: bool>(inner: &mut StoreInner, regs: &mut Regs) -> Result<Exit, Trap> {
    let StoreInner {
        engine,
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
    let max_depth = engine.config.max_call_depth;
    let max_cells = engine.config.max_value_stack;
    let Stack {
        cells: cells_vec,
        frames,
        ..
    } = stack;
    // The cells as a slice, taken again after the vector grows (a call).
    let mut cells: &mut [u64] = cells_vec;
    let funcs: &[FuncEntity] = funcs;
    let instances: &[InstanceEntity] = instances;
    let memories: &mut [Memory] = memories;
    let Regs {
        mut func,
        mut instance,
        mut pc,
        mut fp,
        mut sp,
        mut depth,
        base_frames,
    } = *regs;
    let mut cf = code_of(funcs, func);
    let mut code: &[Instr] = &cf.code;
    let mut inst = &instances[instance as usize];
    let mut mem0 = memory0(memories, inst);

    /// Runs `$body` with `$m` the instance's memory `$index`, letting go of memory 0's
    /// bytes meanwhile (the borrow checker sees `mem0` dead until it is assigned again)
    /// and taking them again afterwards (the access may have grown it).
    macro_rules! with_memory {
        ($index:expr, |$m:ident| $body:expr) => {{
            let $m = &mut memories[inst.memories[$index as usize] as usize];
            let result = $body;
            mem0 = memory0(memories, inst);
            result
        }};
    }

    /// Enters store function `$callee`: a Wasm function in place, a host function by
    /// leaving the loop.
    macro_rules! call {
        ($callee:expr) => {{
            let callee: u32 = $callee;
            match &funcs[callee as usize] {
                FuncEntity::Wasm {
                    code: callee_code,
                    instance: callee_instance,
                    ..
                } => {
                    if depth >= max_depth {
                        return Err(Trap::new(TrapKind::StackExhausted));
                    }
                    let new_fp = sp - callee_code.num_params as usize;
                    let locals_end = new_fp + callee_code.num_locals as usize;
                    reserve(
                        cells_vec,
                        new_fp + callee_code.max_height as usize,
                        max_cells,
                    )?;
                    cells = cells_vec;
                    if frames.len() == frames.capacity() {
                        frames
                            .try_reserve(frames.len().max(16))
                            .map_err(|_| Trap::new(TrapKind::StackExhausted))?;
                    }
                    frames.push(Frame {
                        func,
                        instance,
                        pc,
                        fp,
                    });
                    depth += 1;
                    cells[sp..locals_end].fill(0);
                    func = callee;
                    cf = callee_code;
                    code = &cf.code;
                    fp = new_fp;
                    sp = locals_end;
                    pc = 0;
                    if *callee_instance != instance {
                        instance = *callee_instance;
                        inst = &instances[instance as usize];
                        mem0 = memory0(memories, inst);
                    }
                }
                FuncEntity::Host { .. } => {
                    *regs = Regs {
                        func,
                        instance,
                        pc,
                        fp,
                        sp,
                        depth,
                        base_frames,
                    };
                    return Ok(Exit::Host(callee));
                }
            }
        }};
    }

    loop {
        if FUEL {
            if *fuel == 0 {
                return Err(Trap::new(TrapKind::OutOfFuel));
            }
            *fuel -= 1;
        }
        let instr = code[pc];
        pc += 1;
        for_each_op!(dispatch; instr, cells, sp, mem0, with_memory {
            Instr::Unreachable => return Err(Trap::new(TrapKind::Unreachable)),
            Instr::Br { target } => pc = target as usize,
            Instr::BrAdjust { target, drop, keep } => {
                sp = adjust(cells, sp, drop, keep);
                pc = target as usize;
            }
            Instr::BrIfNez { target } => {
                sp -= 1;
                if cells[sp] as u32 != 0 {
                    pc = target as usize;
                }
            }
            Instr::BrIfEqz { target } => {
                sp -= 1;
                if cells[sp] as u32 == 0 {
                    pc = target as usize;
                }
            }
            Instr::BrTable { offset, len } => {
                sp -= 1;
                let i = (cells[sp] as u32).min(len);
                let entry = cf.br_tables[offset as usize + i as usize];
                sp = adjust(cells, sp, entry.drop, entry.keep);
                pc = entry.target as usize;
            }
            Instr::Return => {
                let n = cf.num_results as usize;
                cells.copy_within(sp - n..sp, fp);
                sp = fp + n;
                depth -= 1;
                if frames.len() == base_frames {
                    *regs = Regs { func, instance, pc, fp, sp, depth, base_frames };
                    return Ok(Exit::Return);
                }
                let Some(caller) = frames.pop() else {
                    unreachable!("more frames than when the call started: checked above")
                };
                func = caller.func;
                pc = caller.pc;
                fp = caller.fp;
                cf = code_of(funcs, func);
                code = &cf.code;
                if caller.instance != instance {
                    instance = caller.instance;
                    inst = &instances[instance as usize];
                    mem0 = memory0(memories, inst);
                }
            }
            Instr::Call { func: f } => call!(inst.funcs[f as usize]),
            Instr::CallIndirect { ty, table } => {
                sp -= 1;
                let i = cells[sp] as u32 as usize;
                let elements = &tables[inst.tables[table as usize] as usize].elements;
                let cell = *elements.get(i).ok_or(TrapKind::UndefinedElement)?;
                let Some(callee) = cell.checked_sub(1) else {
                    return Err(Trap::uninitialized_element(i as u32));
                };
                let callee = callee as u32;
                if funcs[callee as usize].sig() != inst.sigs[ty as usize] {
                    return Err(Trap::new(TrapKind::IndirectCallTypeMismatch));
                }
                call!(callee)
            }
            Instr::Drop => sp -= 1,
            Instr::Select => {
                sp -= 2;
                if cells[sp + 1] as u32 == 0 {
                    cells[sp - 1] = cells[sp];
                }
            }
            Instr::LocalGet { index } => {
                cells[sp] = cells[fp + index as usize];
                sp += 1;
            }
            Instr::LocalSet { index } => {
                sp -= 1;
                cells[fp + index as usize] = cells[sp];
            }
            Instr::LocalTee { index } => cells[fp + index as usize] = cells[sp - 1],
            Instr::GlobalGet { index } => {
                cells[sp] = globals[inst.globals[index as usize] as usize].value;
                sp += 1;
            }
            Instr::GlobalSet { index } => {
                sp -= 1;
                globals[inst.globals[index as usize] as usize].value = cells[sp];
            }
            Instr::Const { value } => {
                cells[sp] = value;
                sp += 1;
            }
            Instr::RefIsNull => cells[sp - 1] = u64::from(cells[sp - 1] == 0),
            Instr::RefFunc { func: f } => {
                cells[sp] = u64::from(inst.funcs[f as usize]) + 1;
                sp += 1;
            }
            Instr::MemorySize { memory } => {
                // An i32 memory has at most 2^32 - 1 pages: the cell is a valid i32.
                cells[sp] = with_memory!(memory, |m| m.size());
                sp += 1;
            }
            Instr::MemoryGrow { memory } => {
                let delta = cells[sp - 1];
                let index = inst.memories[memory as usize];
                cells[sp - 1] = with_memory!(memory, |m| {
                    let failed = match m.ty().index_type {
                        IndexType::I32 => u64::from(u32::MAX),
                        IndexType::I64 => u64::MAX,
                    };
                    grow_memory(m, index, delta, limiter.as_deref_mut()).unwrap_or(failed)
                });
            }
            Instr::MemoryFill { memory } => {
                let (dst, value, n) = (cells[sp - 3], cells[sp - 2] as u8, cells[sp - 1]);
                sp -= 3;
                with_memory!(memory, |m| m.fill(dst, value, n)).map_err(memory_oob)?;
            }
            Instr::MemoryCopy { dst, src } => {
                let (d, s, n) = (cells[sp - 3], cells[sp - 2], cells[sp - 1]);
                sp -= 3;
                let dst = inst.memories[dst as usize] as usize;
                let src = inst.memories[src as usize] as usize;
                let result = if dst == src {
                    memories[dst].copy_within(d, s, n)
                } else {
                    let (dst, src) = pair_mut(memories, dst, src);
                    Memory::copy_between(dst, d, src, s, n)
                };
                mem0 = memory0(memories, inst);
                result.map_err(memory_oob)?;
            }
            Instr::MemoryInit { memory, data } => {
                let (d, s, n) = (cells[sp - 3], cells[sp - 2], cells[sp - 1]);
                sp -= 3;
                let bytes = &datas[inst.datas[data as usize] as usize].bytes;
                with_memory!(memory, |m| m.init(d, bytes, s, n)).map_err(memory_oob)?;
            }
            Instr::DataDrop { data } => {
                datas[inst.datas[data as usize] as usize].bytes = Arc::from(&[][..]);
            }
            Instr::TableGet { table } => {
                let i = cells[sp - 1] as u32 as usize;
                let elements = &tables[inst.tables[table as usize] as usize].elements;
                cells[sp - 1] = *elements.get(i).ok_or(TrapKind::TableOutOfBounds)?;
            }
            Instr::TableSet { table } => {
                let (i, value) = (cells[sp - 2] as u32 as usize, cells[sp - 1]);
                sp -= 2;
                let elements = &mut tables[inst.tables[table as usize] as usize].elements;
                *elements.get_mut(i).ok_or(TrapKind::TableOutOfBounds)? = value;
            }
            Instr::TableSize { table } => {
                cells[sp] = tables[inst.tables[table as usize] as usize].elements.len() as u64;
                sp += 1;
            }
            Instr::TableGrow { table } => {
                let (init, delta) = (cells[sp - 2], u64::from(cells[sp - 1] as u32));
                sp -= 1;
                let t = &mut tables[inst.tables[table as usize] as usize];
                cells[sp - 1] = t.grow(delta, init).unwrap_or(u64::from(u32::MAX));
            }
            Instr::TableFill { table } => {
                let (d, value, n) = (u64::from(cells[sp - 3] as u32), cells[sp - 2], u64::from(cells[sp - 1] as u32));
                sp -= 3;
                let elements = &mut tables[inst.tables[table as usize] as usize].elements;
                range(d, n)
                    .and_then(|r| elements.get_mut(r))
                    .ok_or(TrapKind::TableOutOfBounds)?
                    .fill(value);
            }
            Instr::TableCopy { dst, src } => {
                let (d, s, n) = (
                    u64::from(cells[sp - 3] as u32),
                    u64::from(cells[sp - 2] as u32),
                    u64::from(cells[sp - 1] as u32),
                );
                sp -= 3;
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
            }
            Instr::TableInit { table, elem } => {
                let (d, s, n) = (
                    u64::from(cells[sp - 3] as u32),
                    u64::from(cells[sp - 2] as u32),
                    u64::from(cells[sp - 1] as u32),
                );
                sp -= 3;
                let items = &elems[inst.elems[elem as usize] as usize].items;
                let from = range(s, n).and_then(|r| items.get(r)).ok_or(TrapKind::TableOutOfBounds)?;
                let elements = &mut tables[inst.tables[table as usize] as usize].elements;
                range(d, n)
                    .and_then(|r| elements.get_mut(r))
                    .ok_or(TrapKind::TableOutOfBounds)?
                    .copy_from_slice(from);
            }
            Instr::ElemDrop { elem } => {
                elems[inst.elems[elem as usize] as usize].items = Vec::new();
            }
        })
    }
}
