//! Folio's bytecode: the one contract between `compile` (which writes it) and `exec`
//! (which runs it).
//!
//! # Machine model
//!
//! A stack machine over untyped 64-bit cells. A function's frame is a window of the value
//! stack starting at its frame pointer `fp`:
//!
//! ```text
//!   fp                       fp + num_locals                   fp + max_height
//!   │ params │ other locals │ operand stack ──▶                 │
//! ```
//!
//! The caller leaves the arguments on top of its operand stack, and they become the
//! callee's first locals in place: no copy. `Return` moves the results down to `fp`, where
//! the caller finds them on top of its own operand stack. `max_height` (computed at
//! translation) lets the executor reserve the whole frame once per call.
//!
//! Cells hold: `i32` zero-extended (so a cell is a valid `i64`/`u64` address of an `i32`
//! memory without masking), `i64` as is, floats as their bits (`f32` zero-extended),
//! references as `0` = null, `n + 1` = store function (or extern object) `n`.
//!
//! # Instructions
//!
//! [`Instr`] is a compact enum (16 bytes, pinned by a test) with immediates inline:
//! branch targets are instruction indices, stack adjustments (`drop`, `keep`) resolved at
//! translation, memory operations carry their memory index and static offset. What is
//! large or rare lives in side tables of [`CompiledFunc`] (`br_table` targets).
//!
//! Every instruction is listed once, in [`for_each_op!`]; the enum, the translation of
//! the one-to-one operators and the executor's dispatch of the generic ones are expanded
//! from that list.
//!
//! Some Wasm operators produce no instruction: `nop`, `block`, `loop`, `else`/`end` (their
//! effect is in branch targets), the `reinterpret`s and `i64.extend_i32_u` (no-ops on
//! cells). Constants of every type are one [`Instr::Const`].

use crate::prelude::*;

/// Calls `$mac!` with the list of every instruction, grouped by how it is translated and
/// executed. An optional `; extra tokens` is passed first, in brackets, so that the
/// executor can hand in its own match arms and local names.
///
/// Groups:
/// - `special`: instructions with their own translation and execution (control flow,
///   variables, calls, tables, bulk memory…), with their immediates;
/// - `load (Name(raw, cell))`: load `size_of::<raw>()` bytes as `raw`, cast to `cell`
///   (which sign- or zero-extends), then to the `u64` cell;
/// - `store (Name(narrow))`: store the cell cast to `narrow`;
/// - `unary (Name(in => out, f))`: `out = exec::num::f(in)`;
/// - `unary_trap`: the same, where `f` returns `Result<_, TrapKind>`;
/// - `binary (Name(in => out, f))`: `out = f(lhs: in, rhs: in)`;
/// - `binary_trap`: the same, trapping.
///
/// The load, store, unary and binary instructions share their name with wasmparser's
/// `Operator` variant, which is how `compile` translates them one to one.
macro_rules! for_each_op {
    ($mac:ident $(; $($extra:tt)*)?) => {
        $mac! {
            [$($($extra)*)?]
            special {
                /// Trap "unreachable".
                Unreachable,
                /// Jump to `target`.
                Br { target: u32 },
                /// Move the top `keep` cells down over the `drop` cells below them, then
                /// jump to `target` (a branch out of blocks that left values behind).
                BrAdjust { target: u32, drop: u32, keep: u32 },
                /// Pop an `i32`; jump to `target` if it is not zero.
                BrIfNez { target: u32 },
                /// Pop an `i32`; jump to `target` if it is zero (`if`, and `br_if` with an
                /// adjustment: skip the `BrAdjust` that follows).
                BrIfEqz { target: u32 },
                /// Pop an `i32` index `i`; branch as `br_tables[offset + min(i, len)]` says
                /// (the last of the `len + 1` entries is the default).
                BrTable { offset: u32, len: u32 },
                /// Return the top `num_results` cells to the caller.
                Return,
                /// Call function `func` of the instance.
                Call { func: u32 },
                /// Pop an `i32` index into table `table` and call that function, whose
                /// signature must be the instance's type `ty`.
                CallIndirect { ty: u32, table: u32 },
                /// Pop one cell.
                Drop,
                /// Pop `c`, `b`, `a`; push `c != 0 ? a : b`.
                Select,
                /// Push local `index`.
                LocalGet { index: u32 },
                /// Pop into local `index`.
                LocalSet { index: u32 },
                /// Copy the top cell into local `index`.
                LocalTee { index: u32 },
                /// Push global `index` of the instance.
                GlobalGet { index: u32 },
                /// Pop into global `index`.
                GlobalSet { index: u32 },
                /// Push a cell (any constant: `i32`/`f32` zero-extended, `ref.null` is 0).
                Const { value: u64 },
                /// Pop a reference; push 1 if it is null, else 0.
                RefIsNull,
                /// Push a reference to function `func` of the instance.
                RefFunc { func: u32 },
                /// Push the size of memory `memory` in pages.
                MemorySize { memory: u32 },
                /// Pop a delta in pages; grow memory `memory`; push the old size or -1.
                MemoryGrow { memory: u32 },
                /// Pop `n`, `value`, `dst`; fill.
                MemoryFill { memory: u32 },
                /// Pop `n`, `src`, `dst`; copy from memory `src` to memory `dst`.
                MemoryCopy { dst: u32, src: u32 },
                /// Pop `n`, `src`, `dst`; copy from data segment `data` into `memory`.
                MemoryInit { memory: u32, data: u32 },
                /// Drop data segment `data`.
                DataDrop { data: u32 },
                /// Pop an index; push the element of table `table`.
                TableGet { table: u32 },
                /// Pop a reference and an index; set the element.
                TableSet { table: u32 },
                /// Push the number of elements of `table`.
                TableSize { table: u32 },
                /// Pop a delta and an initial reference; grow; push the old size or -1.
                TableGrow { table: u32 },
                /// Pop `n`, a reference, `dst`; fill.
                TableFill { table: u32 },
                /// Pop `n`, `src`, `dst`; copy from table `src` to table `dst`.
                TableCopy { dst: u32, src: u32 },
                /// Pop `n`, `src`, `dst`; copy from element segment `elem` into `table`.
                TableInit { table: u32, elem: u32 },
                /// Drop element segment `elem`.
                ElemDrop { elem: u32 },
            }
            load {
                I32Load(u32, u32),
                I64Load(u64, u64),
                F32Load(u32, u32),
                F64Load(u64, u64),
                I32Load8S(i8, u32),
                I32Load8U(u8, u32),
                I32Load16S(i16, u32),
                I32Load16U(u16, u32),
                I64Load8S(i8, u64),
                I64Load8U(u8, u64),
                I64Load16S(i16, u64),
                I64Load16U(u16, u64),
                I64Load32S(i32, u64),
                I64Load32U(u32, u64),
            }
            store {
                I32Store(u32),
                I64Store(u64),
                F32Store(u32),
                F64Store(u64),
                I32Store8(u8),
                I32Store16(u16),
                I64Store8(u8),
                I64Store16(u16),
                I64Store32(u32),
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
                I32Eq(i32 => i32, i32_eq),
                I32Ne(i32 => i32, i32_ne),
                I32LtS(i32 => i32, i32_lt_s),
                I32LtU(i32 => i32, i32_lt_u),
                I32GtS(i32 => i32, i32_gt_s),
                I32GtU(i32 => i32, i32_gt_u),
                I32LeS(i32 => i32, i32_le_s),
                I32LeU(i32 => i32, i32_le_u),
                I32GeS(i32 => i32, i32_ge_s),
                I32GeU(i32 => i32, i32_ge_u),
                I64Eq(i64 => i32, i64_eq),
                I64Ne(i64 => i32, i64_ne),
                I64LtS(i64 => i32, i64_lt_s),
                I64LtU(i64 => i32, i64_lt_u),
                I64GtS(i64 => i32, i64_gt_s),
                I64GtU(i64 => i32, i64_gt_u),
                I64LeS(i64 => i32, i64_le_s),
                I64LeU(i64 => i32, i64_le_u),
                I64GeS(i64 => i32, i64_ge_s),
                I64GeU(i64 => i32, i64_ge_u),
                F32Eq(f32 => i32, f32_eq),
                F32Ne(f32 => i32, f32_ne),
                F32Lt(f32 => i32, f32_lt),
                F32Gt(f32 => i32, f32_gt),
                F32Le(f32 => i32, f32_le),
                F32Ge(f32 => i32, f32_ge),
                F64Eq(f64 => i32, f64_eq),
                F64Ne(f64 => i32, f64_ne),
                F64Lt(f64 => i32, f64_lt),
                F64Gt(f64 => i32, f64_gt),
                F64Le(f64 => i32, f64_le),
                F64Ge(f64 => i32, f64_ge),
                I32Add(i32 => i32, i32_add),
                I32Sub(i32 => i32, i32_sub),
                I32Mul(i32 => i32, i32_mul),
                I32And(i32 => i32, i32_and),
                I32Or(i32 => i32, i32_or),
                I32Xor(i32 => i32, i32_xor),
                I32Shl(i32 => i32, i32_shl),
                I32ShrS(i32 => i32, i32_shr_s),
                I32ShrU(i32 => i32, i32_shr_u),
                I32Rotl(i32 => i32, i32_rotl),
                I32Rotr(i32 => i32, i32_rotr),
                I64Add(i64 => i64, i64_add),
                I64Sub(i64 => i64, i64_sub),
                I64Mul(i64 => i64, i64_mul),
                I64And(i64 => i64, i64_and),
                I64Or(i64 => i64, i64_or),
                I64Xor(i64 => i64, i64_xor),
                I64Shl(i64 => i64, i64_shl),
                I64ShrS(i64 => i64, i64_shr_s),
                I64ShrU(i64 => i64, i64_shr_u),
                I64Rotl(i64 => i64, i64_rotl),
                I64Rotr(i64 => i64, i64_rotr),
                F32Add(f32 => f32, f32_add),
                F32Sub(f32 => f32, f32_sub),
                F32Mul(f32 => f32, f32_mul),
                F32Div(f32 => f32, f32_div),
                F32Min(f32 => f32, f32_min),
                F32Max(f32 => f32, f32_max),
                F32Copysign(f32 => f32, f32_copysign),
                F64Add(f64 => f64, f64_add),
                F64Sub(f64 => f64, f64_sub),
                F64Mul(f64 => f64, f64_mul),
                F64Div(f64 => f64, f64_div),
                F64Min(f64 => f64, f64_min),
                F64Max(f64 => f64, f64_max),
                F64Copysign(f64 => f64, f64_copysign),
            }
            binary_trap {
                I32DivS(i32 => i32, i32_div_s),
                I32DivU(i32 => i32, i32_div_u),
                I32RemS(i32 => i32, i32_rem_s),
                I32RemU(i32 => i32, i32_rem_u),
                I64DivS(i64 => i64, i64_div_s),
                I64DivU(i64 => i64, i64_div_u),
                I64RemS(i64 => i64, i64_rem_s),
                I64RemU(i64 => i64, i64_rem_u),
            }
        }
    };
}
pub(crate) use for_each_op;

/// Expands the list into [`Instr`].
macro_rules! define_instr {
    (
        []
        special { $( $(#[$doc:meta])* $name:ident $({ $($field:ident : $fty:ty),* $(,)? })? ),* $(,)? }
        load { $( $lname:ident($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident($sty:ty) ),* $(,)? }
        unary { $( $uname:ident($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
    ) => {
        /// One instruction; see the [module docs](self) and [`for_each_op!`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Instr {
            $( $(#[$doc])* $name $({ $($field: $fty),* })?, )*
            $(
                #[doc = concat!("Pop an address; push the ", stringify!($lraw), " at `address + offset` of `memory`.")]
                $lname { memory: u32, offset: u64 },
            )*
            $(
                #[doc = concat!("Pop a value and an address; store it as ", stringify!($sty), " at `address + offset` of `memory`.")]
                $sname { memory: u32, offset: u64 },
            )*
            $( #[doc = concat!("`", stringify!($uf), "`")] $uname, )*
            $( #[doc = concat!("`", stringify!($utf), "` (may trap)")] $utname, )*
            $( #[doc = concat!("`", stringify!($bf), "`")] $bname, )*
            $( #[doc = concat!("`", stringify!($btf), "` (may trap)")] $btname, )*
        }
    };
}
for_each_op!(define_instr);

/// One target of a `br_table`: where to jump and how to adjust the stack first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BrTableEntry {
    /// Instruction index.
    pub(crate) target: u32,
    /// Cells removed below the kept ones.
    pub(crate) drop: u32,
    /// Cells kept on top (the label's arity).
    pub(crate) keep: u32,
}

/// A translated function body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompiledFunc {
    /// The instructions; the last one is a `Return`, so execution never runs off the end.
    pub(crate) code: Box<[Instr]>,
    /// Targets of every `br_table`, each instruction's run of entries default last.
    pub(crate) br_tables: Box<[BrTableEntry]>,
    /// Number of parameters (the first locals).
    pub(crate) num_params: u32,
    /// Number of locals, parameters included.
    pub(crate) num_locals: u32,
    /// Number of results.
    pub(crate) num_results: u32,
    /// Cells the frame needs at most: locals plus the highest operand stack.
    pub(crate) max_height: u32,
}
