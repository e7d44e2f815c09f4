//! Validation and translation in one pass over a body's operators.
//!
//! Each operator is first given to wasmparser's [`FuncValidator`] (so nothing invalid is
//! ever translated), then translated using what validation knows: the operand stack
//! height before the operator and the types of blocks and functions from
//! [`WasmModuleResources`].
//!
//! # Control flow
//!
//! A control stack mirrors the validator's, one [`Ctrl`] per open block with its label's
//! stack height and arity. A branch to a `loop` jumps back to its first instruction; a
//! branch to any other block jumps forward to its end, which is not known yet: the branch
//! goes on the block's list of pending sites, patched at `end`. A branch that leaves cells
//! on the stack below the label's values becomes a `BrAdjust` (or a `br_table` entry with
//! a `drop`), so the executor never looks at types or labels.
//!
//! # Unreachable code
//!
//! After `unreachable`, `br`, `br_table` and `return` the rest of the block is validated
//! but not translated (nested blocks included), until the `else` or `end` that makes code
//! reachable again. After an `end`, translation resumes whenever the block's start was
//! reachable: when no branch targets the end and the block cannot fall through, the code
//! that follows is dead but well typed for the stack the validator assumes, so emitting it
//! is harmless.

use super::bytecode::{BrTableEntry, CompiledFunc, Instr, for_each_op};
use crate::prelude::*;
use crate::runtime::Error;
use wasmparser::{
    BlockType, FuncValidator, FunctionBody, MemArg, MemArgTarget, Operator, OperatorsReader,
    ValidatorResources, WasmModuleResources,
};

/// Validates and translates one function body.
///
/// # Errors
/// The validator's error for an invalid body; `Unsupported` for an operator Folio lacks
/// (which the validator, configured with Folio's features, already rejects).
pub(crate) fn translate(
    validator: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
) -> Result<CompiledFunc, Error> {
    // Before the declared locals are read, the validator's locals are the parameters.
    let num_params = validator.len_locals();
    let num_results = func_results(validator)?;
    let mut reader = body.get_binary_reader();
    validator.read_locals(&mut reader)?;
    let num_locals = validator.len_locals();
    reader.set_features(*validator.features());

    let mut t = Translator::default();
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
    });
    let mut ops = OperatorsReader::new(reader);
    while !ops.eof() {
        let (op, offset) = ops.read_with_offset()?;
        let height = validator.operand_stack_height();
        validator.op(offset, &op)?;
        t.op(&op, height, validator)?;
        if t.ctrl.last().is_some_and(|c| !c.unreachable) {
            t.max_operands = t.max_operands.max(validator.operand_stack_height());
        }
    }
    ops.finish()?;
    if !t.ctrl.is_empty() {
        return Err(internal("function body without its final `end`"));
    }
    let max_height = num_locals
        .checked_add(t.max_operands)
        .ok_or_else(|| Error::unsupported("function frame larger than 2^32 cells"))?;
    Ok(CompiledFunc {
        code: t.code.into_boxed_slice(),
        br_tables: t.br_tables.into_boxed_slice(),
        num_params,
        num_locals,
        num_results,
        max_height,
    })
}

/// The number of results of the function being validated.
fn func_results(validator: &FuncValidator<ValidatorResources>) -> Result<u32, Error> {
    let resources = validator.resources();
    let ty = resources
        .type_index_of_function(validator.index())
        .and_then(|t| resources.sub_type_at(t))
        .ok_or_else(|| internal("function without a type"))?;
    Ok(ty.unwrap_func().results().len() as u32)
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
    /// The `BrIfEqz` of an `if`, until its `else` or `end` gives it a target.
    else_site: Option<u32>,
    /// Head of the list (in `Translator::patches`) of branches to this block's end.
    pending: Option<u32>,
    /// Whether the code at the block's start was reachable (is translated).
    reachable_at_start: bool,
    /// Whether the code at this point of the block is unreachable (not translated).
    unreachable: bool,
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

#[derive(Default)]
struct Translator {
    code: Vec<Instr>,
    br_tables: Vec<BrTableEntry>,
    ctrl: Vec<Ctrl>,
    /// Linked lists of pending branch sites, one per open block.
    patches: Vec<Patch>,
    max_operands: u32,
}

impl Translator {
    fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    fn emit(&mut self, instr: Instr) -> u32 {
        let pc = self.pc();
        self.code.push(instr);
        pc
    }

    fn top(&mut self) -> Result<&mut Ctrl, Error> {
        self.ctrl
            .last_mut()
            .ok_or_else(|| internal("operator after the function's end"))
    }

    fn set_unreachable(&mut self) -> Result<(), Error> {
        self.top()?.unreachable = true;
        Ok(())
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
            Site::Instr(pc) => match &mut self.code[pc as usize] {
                Instr::Br { target }
                | Instr::BrAdjust { target, .. }
                | Instr::BrIfNez { target }
                | Instr::BrIfEqz { target } => *target = to,
                _ => {}
            },
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

    /// Index in `ctrl` of the label `depth`, its arity, and how many cells a branch from
    /// operand height `height` drops below the kept ones.
    fn label(&self, depth: u32, height: u32) -> Result<(usize, u32, u32), Error> {
        let frame = (self.ctrl.len() as u32)
            .checked_sub(depth + 1)
            .ok_or_else(|| internal("branch depth"))? as usize;
        let c = &self.ctrl[frame];
        let arity = if c.kind == CtrlKind::Loop {
            c.params
        } else {
            c.results
        };
        let drop = height
            .checked_sub(c.height + arity)
            .ok_or_else(|| internal("operand stack below a label"))?;
        Ok((frame, arity, drop))
    }

    /// Emits `instr`, a branch to label `frame`, with its target filled in or pending.
    fn emit_branch(&mut self, frame: usize, instr: Instr) {
        let pc = self.emit(instr);
        let c = &self.ctrl[frame];
        if c.kind == CtrlKind::Loop {
            let start = c.start;
            self.patch(Site::Instr(pc), start);
        } else {
            self.add_pending(frame, Site::Instr(pc));
        }
    }

    /// `br depth` from operand height `height`.
    fn br(&mut self, depth: u32, height: u32) -> Result<(), Error> {
        let (frame, keep, drop) = self.label(depth, height)?;
        if self.ctrl[frame].kind == CtrlKind::Func {
            // `Return` takes the results from the top, whatever lies below.
            self.emit(Instr::Return);
        } else if drop == 0 {
            self.emit_branch(frame, Instr::Br { target: 0 });
        } else {
            self.emit_branch(
                frame,
                Instr::BrAdjust {
                    target: 0,
                    drop,
                    keep,
                },
            );
        }
        Ok(())
    }

    /// `br_if depth`, the condition popped, from operand height `height`.
    fn br_if(&mut self, depth: u32, height: u32) -> Result<(), Error> {
        let (frame, keep, drop) = self.label(depth, height)?;
        // The function's label is its final `Return`, which needs no adjustment.
        if drop == 0 || self.ctrl[frame].kind == CtrlKind::Func {
            self.emit_branch(frame, Instr::BrIfNez { target: 0 });
        } else {
            let skip = self.pc() + 2;
            self.emit(Instr::BrIfEqz { target: skip });
            self.emit_branch(
                frame,
                Instr::BrAdjust {
                    target: 0,
                    drop,
                    keep,
                },
            );
        }
        Ok(())
    }

    /// One entry of a `br_table`, the index popped, from operand height `height`.
    fn br_table_entry(&mut self, depth: u32, height: u32) -> Result<(), Error> {
        let (frame, keep, mut drop) = self.label(depth, height)?;
        let c = &self.ctrl[frame];
        if c.kind == CtrlKind::Func {
            drop = 0;
        }
        let start = c.start;
        let is_loop = c.kind == CtrlKind::Loop;
        let i = self.br_tables.len() as u32;
        self.br_tables.push(BrTableEntry {
            target: start,
            drop,
            keep,
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
        height: u32,
        else_site: Option<u32>,
    ) -> Result<(), Error> {
        let reachable = !self.top()?.unreachable;
        let (params, results) = ty;
        self.ctrl.push(Ctrl {
            kind,
            height: if reachable {
                height
                    .checked_sub(params)
                    .ok_or_else(|| internal("block height"))?
            } else {
                0
            },
            params,
            results,
            start: self.pc(),
            else_site,
            pending: None,
            reachable_at_start: reachable,
            unreachable: !reachable,
        });
        Ok(())
    }

    /// Translates `op`, which the validator has accepted; `h` is the operand stack height
    /// before it.
    fn op(
        &mut self,
        op: &Operator<'_>,
        h: u32,
        validator: &FuncValidator<ValidatorResources>,
    ) -> Result<(), Error> {
        let reachable = !self.top()?.unreachable;
        match *op {
            Operator::Block { blockty } => {
                let ty = block_arity(validator, blockty)?;
                self.push_block(CtrlKind::Block, ty, h, None)?;
            }
            Operator::Loop { blockty } => {
                let ty = block_arity(validator, blockty)?;
                self.push_block(CtrlKind::Loop, ty, h, None)?;
            }
            Operator::If { blockty } => {
                let ty = block_arity(validator, blockty)?;
                let site = reachable.then(|| self.emit(Instr::BrIfEqz { target: 0 }));
                self.push_block(CtrlKind::If, ty, h.saturating_sub(1), site)?;
            }
            Operator::Else => {
                if reachable {
                    let frame = self.ctrl.len() - 1;
                    let pc = self.emit(Instr::Br { target: 0 });
                    self.add_pending(frame, Site::Instr(pc));
                }
                let pc = self.pc();
                let top = self.top()?;
                let else_site = top.else_site.take();
                top.kind = CtrlKind::Else;
                top.unreachable = !top.reachable_at_start;
                if let Some(site) = else_site {
                    self.patch(Site::Instr(site), pc);
                }
            }
            Operator::End => {
                let frame = self
                    .ctrl
                    .pop()
                    .ok_or_else(|| internal("`end` without a block"))?;
                if frame.kind == CtrlKind::Func {
                    self.emit(Instr::Return);
                }
                let pc = if frame.kind == CtrlKind::Func {
                    self.pc() - 1
                } else {
                    self.pc()
                };
                if let Some(site) = frame.else_site {
                    self.patch(Site::Instr(site), pc);
                }
                self.resolve(&frame, pc);
            }
            _ if !reachable => {}
            Operator::Unreachable => {
                self.emit(Instr::Unreachable);
                self.set_unreachable()?;
            }
            Operator::Nop => {}
            Operator::Br { relative_depth } => {
                self.br(relative_depth, h)?;
                self.set_unreachable()?;
            }
            Operator::BrIf { relative_depth } => self.br_if(relative_depth, h - 1)?,
            Operator::BrTable { ref targets } => {
                let offset = self.br_tables.len() as u32;
                let len = targets.len();
                self.emit(Instr::BrTable { offset, len });
                for depth in targets.targets() {
                    self.br_table_entry(depth?, h - 1)?;
                }
                self.br_table_entry(targets.default(), h - 1)?;
                self.set_unreachable()?;
            }
            Operator::Return => {
                self.emit(Instr::Return);
                self.set_unreachable()?;
            }
            Operator::Call { function_index } => {
                self.emit(Instr::Call {
                    func: function_index,
                });
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => {
                self.emit(Instr::CallIndirect {
                    ty: type_index,
                    table: table_index,
                });
            }
            Operator::Drop => {
                self.emit(Instr::Drop);
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                self.emit(Instr::Select);
            }
            Operator::LocalGet { local_index } => {
                self.emit(Instr::LocalGet { index: local_index });
            }
            Operator::LocalSet { local_index } => {
                self.emit(Instr::LocalSet { index: local_index });
            }
            Operator::LocalTee { local_index } => {
                self.emit(Instr::LocalTee { index: local_index });
            }
            Operator::GlobalGet { global_index } => {
                self.emit(Instr::GlobalGet {
                    index: global_index,
                });
            }
            Operator::GlobalSet { global_index } => {
                self.emit(Instr::GlobalSet {
                    index: global_index,
                });
            }
            Operator::I32Const { value } => {
                self.emit(Instr::Const {
                    value: u64::from(value as u32),
                });
            }
            Operator::I64Const { value } => {
                self.emit(Instr::Const {
                    value: value as u64,
                });
            }
            Operator::F32Const { value } => {
                self.emit(Instr::Const {
                    value: u64::from(value.bits()),
                });
            }
            Operator::F64Const { value } => {
                self.emit(Instr::Const {
                    value: value.bits(),
                });
            }
            Operator::RefNull { .. } => {
                self.emit(Instr::Const { value: 0 });
            }
            Operator::RefIsNull => {
                self.emit(Instr::RefIsNull);
            }
            Operator::RefFunc { function_index } => {
                self.emit(Instr::RefFunc {
                    func: function_index,
                });
            }
            // No-ops on cells: the bits stay, and an i32 cell is already zero-extended.
            Operator::I32ReinterpretF32
            | Operator::I64ReinterpretF64
            | Operator::F32ReinterpretI32
            | Operator::F64ReinterpretI64
            | Operator::I64ExtendI32U => {}
            Operator::MemorySize { mem } => {
                self.emit(Instr::MemorySize { memory: mem });
            }
            Operator::MemoryGrow { mem } => {
                self.emit(Instr::MemoryGrow { memory: mem });
            }
            Operator::MemoryFill { mem } => {
                self.emit(Instr::MemoryFill { memory: mem });
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                self.emit(Instr::MemoryCopy {
                    dst: dst_mem,
                    src: src_mem,
                });
            }
            Operator::MemoryInit { data_index, mem } => {
                self.emit(Instr::MemoryInit {
                    memory: mem,
                    data: data_index,
                });
            }
            Operator::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { data: data_index });
            }
            Operator::TableGet { table } => {
                self.emit(Instr::TableGet { table });
            }
            Operator::TableSet { table } => {
                self.emit(Instr::TableSet { table });
            }
            Operator::TableSize { table } => {
                self.emit(Instr::TableSize { table });
            }
            Operator::TableGrow { table } => {
                self.emit(Instr::TableGrow { table });
            }
            Operator::TableFill { table } => {
                self.emit(Instr::TableFill { table });
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                self.emit(Instr::TableCopy {
                    dst: dst_table,
                    src: src_table,
                });
            }
            Operator::TableInit { elem_index, table } => {
                self.emit(Instr::TableInit {
                    table,
                    elem: elem_index,
                });
            }
            Operator::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { elem: elem_index });
            }
            ref other => match one_to_one(other) {
                Some(instr) => {
                    self.emit(instr);
                }
                None => return Err(Error::unsupported(format!("operator {other:?}"))),
            },
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
        BlockType::Type(_) => (0, 1),
        BlockType::FuncType(index) => {
            let ty = validator
                .resources()
                .sub_type_at(index)
                .ok_or_else(|| internal("block type index"))?
                .unwrap_func();
            (ty.params().len() as u32, ty.results().len() as u32)
        }
    })
}

fn memory_index(memarg: &MemArg) -> Option<u32> {
    match memarg.target {
        MemArgTarget::Memory(m) => Some(m),
        MemArgTarget::Array(_) => None,
    }
}

/// Generates [`one_to_one`] from the instruction list.
macro_rules! one_to_one {
    (
        []
        special { $($special:tt)* }
        load { $( $lname:ident($lraw:ty, $lcell:ty) ),* $(,)? }
        store { $( $sname:ident($sty:ty) ),* $(,)? }
        unary { $( $uname:ident($uin:ident => $uout:ident, $uf:ident) ),* $(,)? }
        unary_trap { $( $utname:ident($utin:ident => $utout:ident, $utf:ident) ),* $(,)? }
        binary { $( $bname:ident($bin:ident => $bout:ident, $bf:ident) ),* $(,)? }
        binary_trap { $( $btname:ident($btin:ident => $btout:ident, $btf:ident) ),* $(,)? }
    ) => {
        /// The instruction of an operator translated one to one (loads, stores, numeric
        /// operators), or `None` for any other.
        fn one_to_one(op: &Operator<'_>) -> Option<Instr> {
            Some(match op {
                $( Operator::$lname { memarg } => {
                    Instr::$lname { memory: memory_index(memarg)?, offset: memarg.offset }
                } )*
                $( Operator::$sname { memarg } => {
                    Instr::$sname { memory: memory_index(memarg)?, offset: memarg.offset }
                } )*
                $( Operator::$uname => Instr::$uname, )*
                $( Operator::$utname => Instr::$utname, )*
                $( Operator::$bname => Instr::$bname, )*
                $( Operator::$btname => Instr::$btname, )*
                _ => return None,
            })
        }
    };
}
for_each_op!(one_to_one);
