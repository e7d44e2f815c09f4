//! The text of Folio's bytecode, and where each instruction came from: what
//! `folio inspect --bytecode` (through [`Module::disassemble`](crate::Module::disassemble))
//! shows.
//!
//! # Text
//!
//! [`Instr`]'s `Display` and [`InstrText`] (the same, resolving the function's side
//! tables) are expanded from [`for_each_op!`], like the enum itself: a new instruction
//! gets its text with nothing to add here. The form is three-address code, the variant's
//! name as the mnemonic:
//!
//! ```text
//! s5 = I32AddImm s3, 7             result slot, `=`, mnemonic, operands
//! s5 = I32Load mem0[s3 + 8]        memory index, address slot, static offset
//! I64StoreM mem1[s3 + 4294967296] = s4
//! BrI32LtS s3, s4 -> 17            branch target: an instruction index
//! StepI32LtU s3 += 1, s4 -> 2      a loop's step, then its test
//! I32AddImm2 s3 += 1, s4 += 8
//! s5 = F64Mul s3, c0               c0: the constant pool's first cell
//! s5 = I32DivUConst s3, d=10       the divisor, from the side table
//! BrTable s3 [-> 4, -> 9 (s2 = s6), default -> 12]
//! Call func=12, base=s7            arguments from s7: the callee's frame starts there
//! Return s5
//! ```
//!
//! Slots are `sN` (locals first, then the operand stack's homes); with the function at
//! hand, the constant pool's cells are `cK` (slot `pool_base + K`). Immediates are
//! numbers of the operator's type (an `i32` signed, an `f64` as a float), constant cells
//! (`Const`) in decimal below 2^16 and in hex above. An accumulator form (`…A`, `…B`,
//! `…V`) names the same slots as its plain form; the suffix says which operand it reads
//! from the accumulator instead. Operands of the special instructions other than slots
//! are `name=value`. Without the function, the text shows the side tables' indices
//! instead (`memarg=0`, `k=0`, `offset=0, len=3`) and the pool's cells as slots.
//!
//! # Origins
//!
//! When asked ([`translate_recording`](super::translate::translate_recording)), the
//! translator records for each instruction the Wasm operators it stands for ([`Origin`]):
//! those whose fuel it charges (so a fused instruction lists every operator it fused, a
//! lazy `local.get` counts where its value is read), and for a `Copy` or `Const` that
//! puts a lazy `local.get` or constant in a slot, that operator; plus the operator whose
//! translation emitted it. The passes after translation carry them along (a copy of a
//! run of code stands for what the original stood for). The translator is generic over
//! what it records ([`Record`]): loading a module records nothing and its translation
//! compiles to what it would be without any of this.

use super::bytecode::{CompiledFunc, Imm, Instr, Slot, SlotPair, Step, for_each_op};
use crate::prelude::*;
use core::fmt;

/// The Wasm operators one instruction stands for (see the [module docs](self)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Origin {
    /// Byte offsets (in the module) of the operators it stands for (see the
    /// [module docs](self#origins)); ascending once translation is done.
    pub(crate) ops: Vec<u32>,
    /// Offset of the operator being translated when it was emitted (or last changed).
    pub(crate) at: u32,
}

/// What translation records besides the bytecode: nothing (`()`, when a module is
/// loaded: every hook is empty and compiles to nothing), or where each instruction came
/// from ([`Recorder`], for the disassembler). The translator calls the hooks as it emits,
/// changes and drops instructions, so that each origin follows its instruction's fuel.
pub(crate) trait Record: Default {
    /// Whether anything is recorded.
    const ON: bool;
    /// Translation moves on to the operator at `offset`.
    fn start_op(&mut self, _offset: u32) {}
    /// The offset of the operator being translated (what a lazy operand remembers).
    fn at(&self) -> u32 {
        0
    }
    /// A lazy operand pushed by the operator at `at` is charged (its `cost`) now.
    fn charge(&mut self, _at: u32, _cost: u8) {}
    /// The last instruction was taken out of the code, its fuel (`fuel`) added to the
    /// one about to be emitted.
    fn popped(&mut self, _fuel: u8) {}
    /// An instruction charged `cost` was emitted.
    fn emitted(&mut self, _cost: u8) {}
    /// An instruction that copies an operand to a slot was emitted: a lazy one pushed by
    /// the operator at `from` when `lazy`, or a computed one.
    fn emitted_copy(&mut self, _lazy: bool, _from: u32) {}
    /// `cost` was added to the last instruction's fuel.
    fn merged_into_last(&mut self, _cost: u8) {}
    /// The origins, one per instruction, for the passes after translation to keep in
    /// step with the code.
    fn origins(&mut self) -> Option<&mut Vec<Origin>> {
        None
    }
    /// Translation is done; the body ends at `body_end`. Whether every instruction has
    /// its origin (`code_len` of them).
    fn finish(&mut self, _body_end: u32, _code_len: usize) -> bool {
        true
    }
}

impl Record for () {
    const ON: bool = false;
}

/// Where each instruction came from (see the [module docs](self#origins)).
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    /// One per instruction, parallel to the code.
    pub(crate) origins: Vec<Origin>,
    /// The offset of every operator of the body, in order, then the end of the body.
    pub(crate) operators: Vec<u32>,
    /// Operators charged to the instruction about to be emitted (or changed).
    pending: Vec<u32>,
    /// The fuel they stand for.
    pending_fuel: u32,
    /// The operator being translated.
    at: u32,
}

impl Recorder {
    /// The origin of an instruction charged `cost`: the pending operators, and the
    /// current one when the cost covers more than them (it charges itself).
    fn take(&mut self, cost: u8) -> Origin {
        let mut ops = core::mem::take(&mut self.pending);
        if u32::from(cost) > self.pending_fuel {
            ops.push(self.at);
        }
        self.pending_fuel = 0;
        Origin { ops, at: self.at }
    }
}

impl Record for Recorder {
    const ON: bool = true;

    fn start_op(&mut self, offset: u32) {
        self.at = offset;
        self.operators.push(offset);
        self.pending.clear();
        self.pending_fuel = 0;
    }

    fn at(&self) -> u32 {
        self.at
    }

    fn charge(&mut self, at: u32, cost: u8) {
        if cost > 0 {
            self.pending.push(at);
            self.pending_fuel += u32::from(cost);
        }
    }

    fn popped(&mut self, fuel: u8) {
        if let Some(o) = self.origins.pop() {
            self.pending.extend(o.ops);
            self.pending_fuel += u32::from(fuel);
        }
    }

    fn emitted(&mut self, cost: u8) {
        let o = self.take(cost);
        self.origins.push(o);
    }

    /// The copy stands for the lazy operand whether it charges its fuel or not; the
    /// pending operators stay pending.
    fn emitted_copy(&mut self, lazy: bool, from: u32) {
        let ops = if lazy { vec![from] } else { Vec::new() };
        self.origins.push(Origin { ops, at: self.at });
    }

    /// The last instruction now also stands for the pending operators.
    fn merged_into_last(&mut self, cost: u8) {
        let o = self.take(cost);
        if let Some(last) = self.origins.last_mut() {
            last.ops.extend(o.ops);
            last.at = o.at;
        }
    }

    fn origins(&mut self) -> Option<&mut Vec<Origin>> {
        Some(&mut self.origins)
    }

    /// Each origin's operators in order, once.
    fn finish(&mut self, body_end: u32, code_len: usize) -> bool {
        self.operators.push(body_end);
        for o in &mut self.origins {
            o.ops.sort_unstable();
            o.ops.dedup();
        }
        self.origins.len() == code_len
    }
}

/// The text of an instruction with its function's side tables and constant pool
/// resolved (see the [module docs](self)).
pub(crate) struct InstrText<'a> {
    pub(crate) instr: &'a Instr,
    pub(crate) func: &'a CompiledFunc,
}

impl fmt::Display for InstrText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_instr(self.instr, &mut Out::new(f, Some(self.func)))
    }
}

impl fmt::Display for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_instr(self, &mut Out::new(f, None))
    }
}

/// A constant cell: decimal below 2^16, hex above.
pub(crate) struct Cell(pub(crate) u64);

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0x1_0000 {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// Writes an instruction's text: its result, its mnemonic, its operands separated by
/// commas, its branch target.
struct Out<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    func: Option<&'a CompiledFunc>,
    /// Whether no operand has been written yet.
    first: bool,
}

impl<'a, 'b> Out<'a, 'b> {
    fn new(f: &'a mut fmt::Formatter<'b>, func: Option<&'a CompiledFunc>) -> Self {
        Out {
            f,
            func,
            first: true,
        }
    }

    /// `s3`, or `c0` for the constant pool's first cell.
    fn write_slot(&mut self, s: Slot) -> fmt::Result {
        if let Some(func) = self.func {
            let k = s.wrapping_sub(func.pool_base());
            if (k as usize) < func.consts.len() {
                return write!(self.f, "c{k}");
            }
        }
        write!(self.f, "s{s}")
    }

    fn sep(&mut self) -> fmt::Result {
        let sep = if self.first { " " } else { ", " };
        self.first = false;
        self.f.write_str(sep)
    }

    fn dst(&mut self, s: Slot) -> fmt::Result {
        self.write_slot(s)?;
        self.f.write_str(" = ")
    }

    fn name(&mut self, name: &str) -> fmt::Result {
        self.f.write_str(name)
    }

    fn slot(&mut self, s: Slot) -> fmt::Result {
        self.sep()?;
        self.write_slot(s)
    }

    fn named_slot(&mut self, name: &str, s: Slot) -> fmt::Result {
        self.sep()?;
        write!(self.f, "{name}=")?;
        self.write_slot(s)
    }

    fn value(&mut self, v: impl fmt::Display) -> fmt::Result {
        self.sep()?;
        write!(self.f, "{v}")
    }

    fn named(&mut self, name: &str, v: impl fmt::Display) -> fmt::Result {
        self.sep()?;
        write!(self.f, "{name}={v}")
    }

    fn step(&mut self, step: Step) -> fmt::Result {
        self.sep()?;
        self.write_slot(step.slot())?;
        write!(self.f, " += {}", step.step())
    }

    fn pair(&mut self, pair: SlotPair) -> fmt::Result {
        self.slot(pair.a())?;
        self.slot(pair.b())
    }

    fn target(&mut self, target: u32) -> fmt::Result {
        write!(self.f, " -> {target}")
    }

    /// `mem0[s3 + 8]`.
    fn address(&mut self, memory: u32, addr: Slot, offset: u64) -> fmt::Result {
        self.sep()?;
        write!(self.f, "mem{memory}[")?;
        self.write_slot(addr)?;
        if offset != 0 {
            write!(self.f, " + {offset}")?;
        }
        self.f.write_str("]")
    }

    /// The address of a `…M` load or store, from `memargs[memarg]`.
    fn address_m(&mut self, addr: Slot, memarg: u32) -> fmt::Result {
        match self.func.and_then(|func| func.memargs.get(memarg as usize)) {
            Some(m) => self.address(m.memory, addr, m.offset),
            None => {
                self.sep()?;
                self.f.write_str("[")?;
                self.write_slot(addr)?;
                self.f.write_str("]")?;
                self.named("memarg", memarg)
            }
        }
    }

    /// A division's divisor: its value, or its index in the side table.
    fn divisor(&mut self, k: u32) -> fmt::Result {
        match self.func.and_then(|func| func.divisors.get(k as usize)) {
            Some(d) => self.named("d", d.d()),
            None => self.named("k", k),
        }
    }

    /// A `br_table`'s entries, default last, or where they are in the side table.
    fn br_table(&mut self, offset: u32, len: u32) -> fmt::Result {
        let entries = self.func.and_then(|func| {
            let last = (offset as usize).checked_add(len as usize)?;
            func.br_tables.get(offset as usize..=last)
        });
        let Some(entries) = entries else {
            self.named("offset", offset)?;
            return self.named("len", len);
        };
        self.f.write_str(" [")?;
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                self.f.write_str(", ")?;
            }
            if i + 1 == entries.len() {
                self.f.write_str("default ")?;
            }
            write!(self.f, "-> {}", e.target)?;
            if e.n > 0 && e.from != e.to {
                self.f.write_str(" (")?;
                self.write_slot(e.to)?;
                if e.n > 1 {
                    self.f.write_str("..")?;
                }
                self.f.write_str(" = ")?;
                self.write_slot(e.from)?;
                if e.n > 1 {
                    write!(self.f, "..; n={}", e.n)?;
                }
                self.f.write_str(")")?;
            }
        }
        self.f.write_str("]")
    }
}

/// Expands the list into [`fmt_instr`].
macro_rules! define_fmt {
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
        /// Writes `instr`'s text (see the [module docs](self)).
        fn fmt_instr(instr: &Instr, out: &mut Out<'_, '_>) -> fmt::Result {
            /// A special instruction's result: a `dst` slot goes first, as `sN = `.
            macro_rules! result {
                (dst, Slot, $v:expr) => { out.dst($v)? };
                (dst, VSlot, $v:expr) => { out.dst($v)? };
                ($f:ident, $t:ident, $v:expr) => {{ let _ = $v; }};
            }
            /// A special instruction's operand, by its name and type.
            macro_rules! operand {
                (dst, Slot, $v:expr) => {{ let _ = $v; }};
                (dst, VSlot, $v:expr) => {{ let _ = $v; }};
                (target, u32, $v:expr) => { out.target($v)? };
                (base, Home, $v:expr) => { out.named_slot("base", $v)? };
                (k, u32, $v:expr) => { out.divisor($v)? };
                (imm, u32, $v:expr) => { out.value($v as i32)? };
                (value, u64, $v:expr) => { out.value(Cell($v))? };
                ($f:ident, Slot, $v:expr) => { out.slot($v)? };
                ($f:ident, VSlot, $v:expr) => { out.slot($v)? };
                ($f:ident, SlotPair, $v:expr) => { out.pair($v)? };
                ($f:ident, Step, $v:expr) => { out.step($v)? };
                ($f:ident, u32, $v:expr) => { out.named(stringify!($f), $v)? };
                ($f:ident, $t:ident, $v:expr) => { out.named(stringify!($f), format_args!("{:?}", $v))? };
            }
            // The arms before the generic ones say more than field names can.
            #[allow(unreachable_patterns)]
            match *instr {
                Instr::Return { src, n } => {
                    out.name("Return")?;
                    if n > 0 {
                        out.slot(src)?;
                    }
                    if n > 1 {
                        out.named("n", n)?;
                    }
                }
                Instr::BrTable { index, offset, len } => {
                    out.name("BrTable")?;
                    out.slot(index)?;
                    out.br_table(offset, len)?;
                }
                Instr::Copy2 { dst, src, then } => {
                    out.dst(dst)?;
                    out.name("Copy2")?;
                    out.slot(src)?;
                    out.f.write_str("; ")?;
                    out.write_slot(then.a())?;
                    out.f.write_str(" =")?;
                    out.first = true;
                    out.slot(then.b())?;
                }
                Instr::AtomicRmw { base, memarg, op } => {
                    out.name("AtomicRmw")?;
                    out.named_slot("base", base)?;
                    out.named("memarg", memarg)?;
                    match super::RmwOp::ALL.get((op >> 4) as usize) {
                        Some(rmw) => out.named("op", rmw.name())?,
                        None => out.named("op", op >> 4)?,
                    }
                    out.named("width", op & 15)?;
                }
                Instr::Select { dst, a, b } => {
                    out.dst(dst)?;
                    out.name("Select")?;
                    out.slot(a)?;
                    out.slot(b)?;
                    out.named_slot("if", dst.saturating_add(2))?;
                }
                $(
                    Instr::$name $({ $($field),* })? => {
                        $($( result!($field, $fty, $field); )*)?
                        out.name(stringify!($name))?;
                        $($( operand!($field, $fty, $field); )*)?
                    }
                )*
                $(
                    Instr::$lname { dst, addr, offset } => {
                        out.dst(dst)?;
                        out.name(stringify!($lname))?;
                        out.address(0, addr, u64::from(offset))?;
                    }
                    Instr::$laname { dst, addr, offset } => {
                        out.dst(dst)?;
                        out.name(stringify!($laname))?;
                        out.address(0, addr, u64::from(offset))?;
                    }
                    Instr::$lmname { dst, addr, memarg } => {
                        out.dst(dst)?;
                        out.name(stringify!($lmname))?;
                        out.address_m(addr, memarg)?;
                    }
                )*
                $(
                    Instr::$sname { addr, value, offset }
                    | Instr::$saname { addr, value, offset }
                    | Instr::$svname { addr, value, offset } => {
                        out.name(match *instr {
                            Instr::$saname { .. } => stringify!($saname),
                            Instr::$svname { .. } => stringify!($svname),
                            _ => stringify!($sname),
                        })?;
                        out.address(0, addr, u64::from(offset))?;
                        out.f.write_str(" =")?;
                        out.first = true;
                        out.slot(value)?;
                    }
                    Instr::$smname { addr, value, memarg } => {
                        out.name(stringify!($smname))?;
                        out.address_m(addr, memarg)?;
                        out.f.write_str(" =")?;
                        out.first = true;
                        out.slot(value)?;
                    }
                )*
                $(
                    Instr::$uname { dst, src } => {
                        out.dst(dst)?;
                        out.name(stringify!($uname))?;
                        out.slot(src)?;
                    }
                    Instr::$uaname { dst, src } => {
                        out.dst(dst)?;
                        out.name(stringify!($uaname))?;
                        out.slot(src)?;
                    }
                )*
                $(
                    Instr::$utname { dst, src } => {
                        out.dst(dst)?;
                        out.name(stringify!($utname))?;
                        out.slot(src)?;
                    }
                    Instr::$utaname { dst, src } => {
                        out.dst(dst)?;
                        out.name(stringify!($utaname))?;
                        out.slot(src)?;
                    }
                )*
                $(
                    Instr::$bname { dst, a, b }
                    | Instr::$baname { dst, a, b }
                    | Instr::$bbname { dst, a, b } => {
                        out.dst(dst)?;
                        out.name(match *instr {
                            Instr::$baname { .. } => stringify!($baname),
                            Instr::$bbname { .. } => stringify!($bbname),
                            _ => stringify!($bname),
                        })?;
                        out.slot(a)?;
                        out.slot(b)?;
                    }
                    Instr::$biname { dst, a, imm } | Instr::$bianame { dst, a, imm } => {
                        out.dst(dst)?;
                        out.name(match *instr {
                            Instr::$bianame { .. } => stringify!($bianame),
                            _ => stringify!($biname),
                        })?;
                        out.slot(a)?;
                        out.value(<$bin as Imm>::from_imm(imm))?;
                    }
                )*
                $(
                    Instr::$btname { dst, a, b } | Instr::$btaname { dst, a, b } => {
                        out.dst(dst)?;
                        out.name(match *instr {
                            Instr::$btaname { .. } => stringify!($btaname),
                            _ => stringify!($btname),
                        })?;
                        out.slot(a)?;
                        out.slot(b)?;
                    }
                    Instr::$btiname { dst, a, imm } | Instr::$btianame { dst, a, imm } => {
                        out.dst(dst)?;
                        out.name(match *instr {
                            Instr::$btianame { .. } => stringify!($btianame),
                            _ => stringify!($btiname),
                        })?;
                        out.slot(a)?;
                        out.value(<$btin as Imm>::from_imm(imm))?;
                    }
                )*
                $(
                    Instr::$cname { a, b, target } | Instr::$caname { a, b, target } => {
                        out.name(match *instr {
                            Instr::$caname { .. } => stringify!($caname),
                            _ => stringify!($cname),
                        })?;
                        out.slot(a)?;
                        out.slot(b)?;
                        out.target(target)?;
                    }
                    Instr::$ciname { a, imm, target } | Instr::$cianame { a, imm, target } => {
                        out.name(match *instr {
                            Instr::$cianame { .. } => stringify!($cianame),
                            _ => stringify!($ciname),
                        })?;
                        out.slot(a)?;
                        out.value(<$cin as Imm>::from_imm(imm))?;
                        out.target(target)?;
                    }
                )*
                $(
                    Instr::$stname { step, b, target } => {
                        out.name(stringify!($stname))?;
                        out.step(step)?;
                        out.slot(b)?;
                        out.target(target)?;
                    }
                    Instr::$stiname { step, imm, target } => {
                        out.name(stringify!($stiname))?;
                        out.step(step)?;
                        out.value(<$stin as Imm>::from_imm(imm))?;
                        out.target(target)?;
                    }
                )*
                $(
                    Instr::$simdname { $($sfield),* } => {
                        $( result!($sfield, $sfty, $sfield); )*
                        out.name(stringify!($simdname))?;
                        $( operand!($sfield, $sfty, $sfield); )*
                    }
                )*
            }
            Ok(())
        }
    };
}
for_each_op!(define_fmt);
