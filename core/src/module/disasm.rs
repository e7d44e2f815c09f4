//! A function's Folio bytecode next to the Wasm it came from: [`Module::disassemble`],
//! what `folio inspect --bytecode` prints.
//!
//! A [`Module`] keeps its bytecode, not its bytes, and its bytecode does not say where each
//! instruction came from (recording that would cost every module memory and time). So a
//! disassembly translates the function again from the bytes the module was built from,
//! recording this time, and checks that the result is exactly the bytecode the module
//! runs: a disassembly never shows anything else. [`Module::disassembler`] reads the
//! module's sections once (not its function bodies), so that disassembling every
//! function of a large module costs about what loading it costs.
//!
//! [`Disassembly`] says what an instruction stands for; the form of its text is
//! documented with the bytecode (`compile::disasm`).

use super::{ExportIndex, FuncType, Module, ValType, val_type};
use crate::compile::{self, InstrText};
use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use core::ops::Range;
use wasmparser::{
    FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser, ValidPayload, Validator,
    ValidatorResources, WasmFeatures,
};

/// One function's bytecode and where each instruction came from:
/// [`Module::disassemble`].
///
/// Each [`DisasmInstr`] has the instruction's text (`s5 = I32AddImm s3, 7`,
/// `BrI32LtS s3, s4 -> 17`, `s1 = F64Mul s0, c0` for the constant pool's first cell), its
/// fuel, and the byte offsets (in the module) of the Wasm operators it stands for: those
/// whose fuel it charges, so a fused instruction lists every operator it fused and an
/// operand read in place (a `local.get`, a constant) counts where it is read; a `Copy` or
/// `Const` lists the `local.get` or constant it puts in a slot. Operators that become no
/// instruction (`nop`, `block`, `drop`, `i64.extend_i32_u`, a `local.get` whose value
/// goes unused…) are in no instruction's list: [`untranslated`](Self::untranslated).
///
/// ```
/// use folio::{Engine, Module};
///
/// let wasm = wat::parse_str(r#"(module
///     (func (export "inc") (param i32) (result i32)
///       (i32.add (local.get 0) (i32.const 1))))"#)
///     .unwrap();
/// let module = Module::new(&Engine::default(), &wasm)?;
/// let d = module.disassemble(&wasm, 0)?;
/// assert_eq!(d.exports, ["inc"]);
/// let texts: Vec<&str> = d.instrs.iter().map(|i| i.text.as_str()).collect();
/// assert_eq!(texts, ["s1 = I32AddImm s0, 1", "Return s1"]);
/// // The first instruction stands for three operators and costs three units of fuel.
/// assert_eq!(d.instrs[0].wasm.len(), 3);
/// assert_eq!(d.instrs[0].fuel, 3);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disassembly {
    /// The function's index (imported functions first).
    pub func_index: u32,
    /// Its signature.
    pub ty: FuncType,
    /// The names it is exported under, in the export section's order.
    pub exports: Vec<String>,
    /// The type of every local, parameters first: local `i` is slot `i`.
    pub locals: Vec<ValType>,
    /// The frame's size in slots (`max_height`): the locals, the constant pool from
    /// [`pool_base`](Self::pool_base) (`locals.len()`), and the operand stack's homes
    /// from `pool_base + pool.len()`.
    pub slots: u32,
    /// The first slot of the constant pool (`c0` in the instructions' text).
    pub pool_base: u32,
    /// The constant pool: cells written to slots `pool_base..` at every call.
    pub pool: Vec<u64>,
    /// The targets of every `br_table`, each one's run of entries default last (its
    /// `BrTable` instruction shows them too), and the labels of the catch clauses
    /// ([`handlers`](Self::handlers) shows them too).
    pub br_tables: Vec<BrTarget>,
    /// The function's `try_table`s (the exception handling proposal), innermost first:
    /// what an exception thrown at an instruction looks at.
    pub handlers: Vec<DisasmTry>,
    /// The instructions; an instruction's index is its position here (and what branches
    /// name).
    pub instrs: Vec<DisasmInstr>,
    /// The byte offset (in the module) of every operator of the body, in order.
    pub operators: Vec<u32>,
    /// The body's bytes in the module: local declarations, then the operators.
    pub body: Range<u32>,
}

/// One instruction of a [`Disassembly`] (see there for an example).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisasmInstr {
    /// Its text: `s5 = I32AddImm s3, 7`.
    pub text: String,
    /// The fuel it costs: the number of Wasm operators it stands for (see `wasm`; 255 at
    /// most).
    pub fuel: u8,
    /// The byte offsets of the Wasm operators it stands for, ascending: those whose
    /// fuel it charges, and the `local.get` or constant a `Copy` or `Const` puts in a
    /// slot (see [`Disassembly`]). Empty for an instruction that stands for none
    /// (a jump the translator added, a copy of a computed value).
    pub wasm: Vec<u32>,
    /// The offset of the operator whose translation emitted it (or last changed it): one
    /// of `wasm`, or where a copy or jump was needed (a `block` materializing a lazy
    /// operand, a `br` moving its values, an `else` jumping to the end).
    pub at: u32,
}

/// A `try_table` of a [`Disassembly`]: the instructions of its body, and its catch
/// clauses in order.
///
/// ```
/// use folio::{Engine, Module};
///
/// let wasm = wat::parse_str(r#"(module
///     (tag $e (param i32))
///     (func $f)
///     (func (result i32)
///       (block $none
///         (block $h (result i32)
///           (try_table (catch $e $h) (catch_all $none) (call $f))
///           (i32.const 0))
///         (return))
///       (i32.const -1)))"#)
///     .unwrap();
/// let d = Module::new(&Engine::default(), &wasm)?.disassemble(&wasm, 1)?;
/// let try_table = &d.handlers[0];
/// assert!(d.instrs[try_table.body.start as usize].text.starts_with("Call func=0"));
/// let (first, all) = (&try_table.catches[0], &try_table.catches[1]);
/// assert_eq!((first.tag, first.with_ref, first.label.n), (Some(0), false, 1));
/// assert_eq!((all.tag, all.with_ref, all.label.n), (None, false, 0));
/// assert!(d.instrs[all.label.target as usize].text.contains("Const"));
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisasmTry {
    /// The instructions an exception is caught at (a call's, for one thrown by a callee).
    pub body: Range<u32>,
    /// The clauses, tried in order.
    pub catches: Vec<DisasmCatch>,
}

/// A catch clause of a [`DisasmTry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisasmCatch {
    /// The tag it catches (the module's index), `None` for `catch_all` and
    /// `catch_all_ref`.
    pub tag: Option<u32>,
    /// Whether its label also takes the `exnref` (`catch_ref`, `catch_all_ref`).
    pub with_ref: bool,
    /// Where it goes: the instruction, and the slots of the label's values (`to`, `n`:
    /// the payload's, then the `exnref`).
    pub label: BrTarget,
}

/// One target of a `br_table`.
///
/// ```
/// use folio::{Engine, Module};
///
/// let wasm = wat::parse_str(r#"(module
///     (func (param i32) (result i32)
///       (block (block (br_table 0 1 (local.get 0))) (return (i32.const 10)))
///       (i32.const 20)))"#)
///     .unwrap();
/// let d = Module::new(&Engine::default(), &wasm)?.disassemble(&wasm, 0)?;
/// assert_eq!(d.br_tables.len(), 2); // label 0, then the default
/// assert!(d.instrs[0].text.starts_with("BrTable s0"));
/// for target in &d.br_tables {
///     assert!((target.target as usize) < d.instrs.len());
///     assert_eq!(target.n, 0); // the labels take no values
/// }
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrTarget {
    /// The instruction index it jumps to.
    pub target: u32,
    /// The slot of the first value the label takes.
    pub from: u32,
    /// The slot the label wants it in (`from`: nothing moves).
    pub to: u32,
    /// How many values move.
    pub n: u32,
}

impl Disassembly {
    /// The bytes of the Wasm operators instruction `i` stands for: from the first of its
    /// operators (or the one that emitted it) to the end of the last. They may include
    /// operators of other instructions in between (an operand read far from where it was
    /// pushed). `None` for no such instruction.
    ///
    /// ```
    /// use folio::{Engine, Module};
    ///
    /// let wasm = wat::parse_str("(module (func (result i32) (i32.const 7)))").unwrap();
    /// let d = Module::new(&Engine::default(), &wasm)?.disassemble(&wasm, 0)?;
    /// let range = d.wasm_range(0).unwrap();
    /// assert_eq!(wasm[range.start as usize], 0x41); // i32.const
    /// assert!(d.wasm_range(d.instrs.len()).is_none());
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn wasm_range(&self, i: usize) -> Option<Range<u32>> {
        let instr = self.instrs.get(i)?;
        let first = instr.wasm.first().map_or(instr.at, |&o| o.min(instr.at));
        let last = instr.wasm.last().map_or(instr.at, |&o| o.max(instr.at));
        Some(first..self.operator_end(last))
    }

    /// Where the operator at `offset` ends: where the next one starts, or the body's end.
    ///
    /// ```
    /// use folio::{Engine, Module};
    ///
    /// let wasm = wat::parse_str("(module (func (result i32) (i32.const 7)))").unwrap();
    /// let d = Module::new(&Engine::default(), &wasm)?.disassemble(&wasm, 0)?;
    /// let first = d.operators[0]; // `i32.const 7`: an opcode and a one-byte immediate
    /// assert_eq!(d.operator_end(first), first + 2);
    /// assert_eq!(d.operator_end(*d.operators.last().unwrap()), d.body.end);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn operator_end(&self, offset: u32) -> u32 {
        let next = self.operators.partition_point(|&o| o <= offset);
        self.operators.get(next).copied().unwrap_or(self.body.end)
    }

    /// The offsets of the operators no instruction stands for or was emitted for, in
    /// order: those that translate to nothing (`nop`, `block`, `drop`, a `local.get` whose
    /// value goes unused, the code after a `br`…).
    ///
    /// ```
    /// use folio::{Engine, Module};
    ///
    /// let wasm = wat::parse_str("(module (func nop (drop (i32.const 1))))").unwrap();
    /// let d = Module::new(&Engine::default(), &wasm)?.disassemble(&wasm, 0)?;
    /// // `nop`, `i32.const 1` and `drop` run as nothing; only the `end` is an instruction.
    /// assert_eq!(d.untranslated().len(), 3);
    /// assert_eq!(d.instrs.len(), 1);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn untranslated(&self) -> Vec<u32> {
        let mut used: Vec<u32> = self
            .instrs
            .iter()
            .flat_map(|i| i.wasm.iter().copied().chain([i.at]))
            .collect();
        used.sort_unstable();
        used.dedup();
        self.operators
            .iter()
            .copied()
            .filter(|o| used.binary_search(o).is_err())
            .collect()
    }
}

/// Disassembles the functions of one module, reading its bytes' sections once (see
/// [`Module::disassembler`]).
///
/// ```
/// use folio::{Engine, Module};
///
/// let wasm = wat::parse_str(r#"(module
///     (import "env" "f" (func))
///     (func (export "a")) (func) (func (export "c")))"#)
///     .unwrap();
/// let module = Module::new(&Engine::default(), &wasm)?;
/// let mut disassembler = module.disassembler(&wasm)?;
/// assert_eq!(disassembler.funcs(), 1..4); // function 0 is imported
/// assert_eq!(disassembler.exported_func("c"), Some(3));
/// assert_eq!(disassembler.exported_funcs().collect::<Vec<_>>(), [("a", 1), ("c", 3)]);
/// for index in disassembler.funcs() {
///     assert_eq!(disassembler.func(index)?.func_index, index);
/// }
/// assert!(disassembler.func(0).is_err()); // an import has no bytecode
/// # Ok::<(), folio::Error>(())
/// ```
pub struct Disassembler<'a> {
    module: &'a Module,
    /// The validator's view of the module, shared by every function.
    resources: Option<ValidatorResources>,
    features: WasmFeatures,
    /// Type index and body of each defined function.
    bodies: Vec<(u32, FunctionBody<'a>)>,
    allocs: FuncValidatorAllocations,
}

impl core::fmt::Debug for Disassembler<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Disassembler")
            .field("funcs", &self.funcs())
            .finish_non_exhaustive()
    }
}

impl Module {
    /// A [`Disassembler`] of this module's functions. `bytes` must be the binary module
    /// this one was built from ([`Module::new`]); its sections are read and validated
    /// here, its function bodies when each is disassembled.
    ///
    /// # Errors
    /// As [`Module::new`] for invalid bytes; [`ErrorKind::Module`] when they do not have
    /// this module's functions.
    ///
    /// ```
    /// use folio::{Engine, Module};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str("(module (func))").unwrap();
    /// let other = wat::parse_str("(module (func) (func))").unwrap();
    /// let module = Module::new(&engine, &wasm)?;
    /// assert!(module.disassembler(&wasm).is_ok());
    /// assert!(module.disassembler(&other).is_err()); // not the bytes it was built from
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn disassembler<'a>(&'a self, bytes: &'a [u8]) -> Result<Disassembler<'a>, Error> {
        let features = self.inner.features;
        let mut validator = Validator::new_with_features(features);
        let mut parser = Parser::new(0);
        parser.set_features(features);
        let mut resources = None;
        let mut func_features = features;
        let mut bodies = Vec::new();
        for payload in parser.parse_all(bytes) {
            let payload = payload?;
            if let ValidPayload::Func(to_validate, body) = validator.payload(&payload)? {
                func_features = to_validate.features;
                resources.get_or_insert(to_validate.resources);
                bodies.push((to_validate.ty, body));
            }
        }
        if bodies.len() != self.inner.code.len() {
            return Err(not_the_bytes(0, "a different number of functions"));
        }
        Ok(Disassembler {
            module: self,
            resources,
            features: func_features,
            bodies,
            allocs: FuncValidatorAllocations::default(),
        })
    }

    /// The disassembly of function `func_index` (imported functions first), which this
    /// module defines; `bytes` is the binary module this one was built from. To
    /// disassemble several functions, [`disassembler`](Self::disassembler) reads the
    /// sections only once.
    ///
    /// # Errors
    /// As [`disassembler`](Self::disassembler) and [`Disassembler::func`].
    ///
    /// ```
    /// use folio::{Engine, Module};
    ///
    /// let wasm = wat::parse_str("(module (func (result i64) (i64.const 5)))").unwrap();
    /// let module = Module::new(&Engine::default(), &wasm)?;
    /// let d = module.disassemble(&wasm, 0)?;
    /// assert!(d.instrs.iter().any(|i| i.text.contains("Return")));
    /// assert!(module.disassemble(&wasm, 1).is_err()); // no function 1
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn disassemble(&self, bytes: &[u8], func_index: u32) -> Result<Disassembly, Error> {
        self.disassembler(bytes)?.func(func_index)
    }
}

impl Disassembler<'_> {
    /// The indices of the functions the module defines (the imported ones come before).
    pub fn funcs(&self) -> Range<u32> {
        let first = self.module.inner.num_imported_funcs;
        first..first.saturating_add(self.bodies.len() as u32)
    }

    /// The index of the function exported as `name`, if one is.
    pub fn exported_func(&self, name: &str) -> Option<u32> {
        match self.module.inner.export_map.get(name) {
            Some(ExportIndex::Func(i)) => Some(*i),
            _ => None,
        }
    }

    /// Every exported function: its name and index, in the export section's order.
    pub fn exported_funcs(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        self.module
            .inner
            .exports
            .iter()
            .filter_map(|(name, idx)| match idx {
                ExportIndex::Func(i) => Some((name.as_str(), *i)),
                _ => None,
            })
    }

    /// Function `func_index` (imported functions first) translated again, recording where
    /// each instruction came from.
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] for an index the module does not define a function at
    /// (an imported one has no bytecode); [`ErrorKind::Module`] when the bytes translate
    /// to other bytecode than the module's (they are not the bytes it was built from).
    pub fn func(&mut self, func_index: u32) -> Result<Disassembly, Error> {
        let funcs = self.funcs();
        if !funcs.contains(&func_index) {
            let what = if func_index < funcs.start {
                "is imported: it has no bytecode"
            } else {
                "does not exist"
            };
            return Err(Error::unsupported(format!(
                "function {func_index} {what} (the module defines functions {}..{})",
                funcs.start, funcs.end
            )));
        }
        let defined = (func_index - funcs.start) as usize;
        let (Some(&(ty, ref body)), Some(resources), Some(module_code)) = (
            self.bodies.get(defined),
            self.resources.clone(),
            self.module.inner.code.get(defined),
        ) else {
            return Err(not_the_bytes(0, "a function is missing"));
        };
        let to_validate = FuncToValidate {
            resources,
            index: func_index,
            ty,
            features: self.features,
        };
        let declared = declared_locals(body, &self.module.inner.type_ids)?;
        let mut validator = to_validate.into_validator(core::mem::take(&mut self.allocs));
        let translated =
            compile::translate_recording(&mut validator, body, self.module.inner.metered);
        // The locals' types in the module's terms (the validator's name canonical types):
        // the parameters from the function's type, the others as the body declares them.
        let params = self
            .module
            .inner
            .types
            .get(ty as usize)
            .map(|f| f.params().to_vec())
            .unwrap_or_default();
        let locals = (0..validator.len_locals())
            .map(|i| {
                let i = i as usize;
                match params.get(i) {
                    Some(&t) => Ok(t),
                    None => declared
                        .get(i - params.len())
                        .copied()
                        .ok_or_else(|| Error::unsupported("local without a type")),
                }
            })
            .collect::<Result<Vec<_>, _>>();
        self.allocs = validator.into_allocations();
        let (func, rec) = translated?;
        let locals = locals?;
        let body_range = body.range();
        if func != **module_code {
            return Err(not_the_bytes(
                body_range.start,
                "a function translates to other bytecode",
            ));
        }
        let inner = &self.module.inner;
        let ty = inner
            .funcs
            .get(func_index as usize)
            .and_then(|&t| inner.types.get(t as usize))
            .cloned()
            .ok_or_else(|| Error::unsupported("function without a type"))?;
        let exports = self
            .exported_funcs()
            .filter(|&(_, i)| i == func_index)
            .map(|(name, _)| name.to_string())
            .collect();
        let instrs = func
            .code
            .iter()
            .zip(func.fuel.iter())
            .zip(rec.origins)
            .map(|((instr, &fuel), origin)| DisasmInstr {
                text: InstrText { instr, func: &func }.to_string(),
                fuel,
                wasm: origin.ops,
                at: origin.at,
            })
            .collect();
        let mut operators = rec.operators;
        // The last entry is the end of the body.
        operators.pop();
        let offset = |o: u64| u32::try_from(o).unwrap_or(u32::MAX);
        let target = |e: &compile::BrTableEntry| BrTarget {
            target: e.target,
            from: e.from,
            to: e.to,
            n: e.n,
        };
        let handlers = func.handlers.as_deref().map_or_else(Vec::new, |h| {
            h.ranges
                .iter()
                .map(|r| DisasmTry {
                    body: r.start..r.end,
                    catches: h
                        .catches
                        .iter()
                        .skip(r.first as usize)
                        .take(r.len as usize)
                        .filter_map(|c| {
                            Some(DisasmCatch {
                                tag: (c.tag != compile::CatchClause::ALL).then_some(c.tag),
                                with_ref: c.with_ref,
                                label: target(func.br_tables.get(c.entry as usize)?),
                            })
                        })
                        .collect(),
                })
                .collect()
        });
        Ok(Disassembly {
            func_index,
            ty,
            exports,
            locals,
            slots: func.max_height,
            pool_base: func.pool_base(),
            pool: func.consts.to_vec(),
            br_tables: func.br_tables.iter().map(target).collect(),
            handlers,
            instrs,
            operators,
            body: offset(body_range.start)..offset(body_range.end),
        })
    }
}

/// The error for bytes that are not those the module was built from.
#[cold]
fn not_the_bytes(offset: u64, why: &str) -> Error {
    Error::new(ErrorKind::Module {
        message: format!("not the bytes this module was built from: {why}"),
        offset,
    })
}

/// The types of the locals `body` declares after its parameters, in the module's terms.
fn declared_locals(body: &FunctionBody<'_>, ids: &[super::TypeId]) -> Result<Vec<ValType>, Error> {
    let mut out = Vec::new();
    for entry in body.get_locals_reader()? {
        let (n, t) = entry?;
        let t = val_type(t, ids, None)?;
        // (The validator accepted the body: its locals fit in memory.)
        out.extend(core::iter::repeat_n(t, n as usize));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use crate::compile::{CompiledFunc, Instr};

    /// The bytes of `wat`, and the disassembly of every function it defines.
    fn disassemble(wat: &str) -> (Vec<u8>, Vec<Disassembly>) {
        let bytes = wat::parse_str(wat).unwrap();
        let module = Module::new(&Engine::default(), &bytes).unwrap();
        let mut d = module.disassembler(&bytes).unwrap();
        let all = d.funcs().map(|f| d.func(f).unwrap()).collect();
        (bytes, all)
    }

    /// The name of the operator at `offset` (`LocalGet`, `I32Add`…), as wasmparser
    /// decodes it there: proof that the offset is an operator's, and which.
    fn op_name(bytes: &[u8], offset: u32) -> String {
        let at = offset as usize;
        let reader = wasmparser::BinaryReader::new(&bytes[at..], at as u64);
        let op = wasmparser::OperatorsReader::new(reader).read().unwrap();
        let text = format!("{op:?}");
        text.split([' ', '{', '(']).next().unwrap().into()
    }

    /// One line per instruction: `text | fuel | the operators it stands for`, then
    /// `(at Op)` when it was emitted for another operator.
    fn listing(bytes: &[u8], d: &Disassembly) -> Vec<String> {
        d.instrs
            .iter()
            .map(|i| {
                let ops: Vec<String> = i.wasm.iter().map(|&o| op_name(bytes, o)).collect();
                let mut line = format!("{} | {} | {}", i.text, i.fuel, ops.join(" "));
                if !i.wasm.contains(&i.at) {
                    line.push_str(&format!(" (at {})", op_name(bytes, i.at)));
                }
                line
            })
            .collect()
    }

    fn untranslated(bytes: &[u8], d: &Disassembly) -> Vec<String> {
        d.untranslated()
            .iter()
            .map(|&o| op_name(bytes, o))
            .collect()
    }

    const SUM: &str = r#"(module (memory 1)
        (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32)
          (loop $l
            (local.set $s (i32.add (local.get $s) (i32.load8_u offset=3 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $p) (local.get $n))))
          (local.get $s)))"#;

    #[test]
    fn loop_step_fused_with_its_test() {
        let (bytes, d) = disassemble(SUM);
        let d = &d[0];
        assert_eq!(
            listing(&bytes, d),
            [
                "s4 = I32Load8U mem0[s0 + 3] | 2 | LocalGet I32Load8U",
                "s2 = I32AddA s4, s2 | 3 | LocalGet I32Add LocalSet",
                "StepI32LtU s0 += 1, s1 -> 0 | 8 | \
                 LocalGet I32Const I32Add LocalSet LocalGet LocalGet I32LtU BrIf",
                "Return s2 | 2 | LocalGet End",
            ]
        );
        assert_eq!(untranslated(&bytes, d), ["Loop", "End"]);
        assert_eq!(d.exports, ["sum"]);
        assert_eq!(d.locals, [ValType::I32; 3]);
        assert_eq!((d.slots, d.pool_base), (5, 3));
        // The operand read in place comes from before the load: the add stands for it.
        let add = &d.instrs[1];
        assert!(add.wasm[0] < d.instrs[0].wasm[0]);
        // The fused step's range runs from its first operator to the end of `br_if`,
        // where the loop's `end` starts.
        let step = &d.instrs[2];
        let range = d.wasm_range(2).unwrap();
        assert_eq!(range.start, step.wasm[0]);
        assert_eq!(op_name(&bytes, range.end), "End");
        assert_eq!(d.operator_end(step.wasm[7]), range.end);
        assert_eq!(d.operators.len(), 17);
        assert!(d.operators.iter().all(|o| d.body.contains(o)));
        assert_eq!(d.operator_end(*d.operators.last().unwrap()), d.body.end);
    }

    #[test]
    fn memory_accesses_show_their_memory_and_offset() {
        let (bytes, d) = disassemble(
            r#"(module (memory 1) (memory i64 1)
                (func (param $p i32) (param $v i64) (result i32)
                  (i64.store offset=16 (local.get $p) (local.get $v))
                  (i32.store8 1 offset=4294967296 (i64.extend_i32_u (local.get $p)) (i32.const 300))
                  (i32.add (i32.load offset=8 (local.get $p))
                           (i32.load16_s 1 offset=2 (i64.extend_i32_u (local.get $p))))))"#,
        );
        assert_eq!(
            listing(&bytes, &d[0]),
            [
                "I64Store mem0[s0 + 16] = s1 | 3 | LocalGet LocalGet I64Store",
                "s3 = Const 300 | 1 | I32Const (at I32Store8)",
                "I32Store8M mem1[s0 + 4294967296] = s3 | 2 | LocalGet I32Store8",
                "s2 = I32Load mem0[s0 + 8] | 2 | LocalGet I32Load",
                "s3 = I32Load16SM mem1[s0 + 2] | 2 | LocalGet I32Load16S",
                "s2 = I32AddA s3, s2 | 1 | I32Add",
                "Return s2 | 1 | End",
            ]
        );
        // `i64.extend_i32_u` is free on cells.
        assert_eq!(
            untranslated(&bytes, &d[0]),
            ["I64ExtendI32U", "I64ExtendI32U"]
        );
    }

    #[test]
    fn calls_copy_their_arguments_into_place() {
        let (bytes, d) = disassemble(
            r#"(module
                (import "env" "log" (func (param i32)))
                (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
                (func (export "call") (param i32) (result i32)
                  (call 0 (local.get 0))
                  (i32.add (call $sq (local.get 0)) (call $sq (i32.const 5)))))"#,
        );
        assert_eq!(d[1].func_index, 2);
        assert_eq!(
            listing(&bytes, &d[1]),
            [
                "s1 = Copy s0 | 1 | LocalGet (at Call)",
                "Call func=0, base=s1 | 1 | Call",
                "s1 = Copy s0 | 1 | LocalGet (at Call)",
                "Call func=1, base=s1 | 1 | Call",
                "s2 = Const 5 | 1 | I32Const (at Call)",
                "Call func=1, base=s2 | 1 | Call",
                "s1 = I32Add s1, s2 | 1 | I32Add",
                "Return s1 | 1 | End",
            ]
        );
    }

    #[test]
    fn br_table_entries_and_the_values_they_move() {
        let (bytes, d) = disassemble(
            r#"(module (func (param i32) (result i32)
                (block (result i32)
                  (block (result i32) i32.const 5 i32.const 6 local.get 0 br_table 0 1 1)
                  i32.const 7 i32.add)))"#,
        );
        let d = &d[0];
        assert_eq!(
            listing(&bytes, d),
            [
                "s2 = Const 6 | 1 | I32Const (at BrTable)",
                "BrTable s0 [-> 2 (s1 = s2), -> 3 (s1 = s2), default -> 3 (s1 = s2)] | 2 \
                 | LocalGet BrTable",
                "s1 = I32AddImm s1, 7 | 2 | I32Const I32Add",
                "Return s1 | 1 | End",
            ]
        );
        let entry = |target| BrTarget {
            target,
            from: 2,
            to: 1,
            n: 1,
        };
        assert_eq!(d.br_tables, [entry(2), entry(3), entry(3)]);
        // The 5 under the label's value is dropped: no instruction writes it.
        assert_eq!(
            untranslated(&bytes, d),
            ["Block", "Block", "I32Const", "End", "End"]
        );
    }

    #[test]
    fn constants_from_the_pool_and_divisors() {
        let (bytes, d) = disassemble(
            r#"(module
                (func (param $x f64) (param $n i32) (result f64)
                  (loop $l
                    (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 0.5)) (f64.const 0.25)))
                    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                  (local.get $x))
                (func (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 10))))"#,
        );
        assert_eq!(
            listing(&bytes, &d[0]),
            [
                "s4 = F64Mul s0, c0 | 3 | LocalGet F64Const F64Mul",
                "s0 = F64AddA s4, c1 | 3 | F64Const F64Add LocalSet",
                "s1 = I32AddImm s1, -1 | 4 | LocalGet I32Const I32Sub LocalTee",
                "BrIfNezA s1 -> 0 | 1 | BrIf",
                "Return s0 | 2 | LocalGet End",
            ]
        );
        assert_eq!(d[0].pool, [0.5f64.to_bits(), 0.25f64.to_bits()]);
        assert_eq!((d[0].slots, d[0].pool_base), (6, 2));
        assert_eq!(d[0].locals, [ValType::F64, ValType::I32]);
        assert_eq!(
            listing(&bytes, &d[1]),
            [
                "s1 = I32DivUConst s0, d=10 | 3 | LocalGet I32Const I32DivU",
                "Return s1 | 1 | End",
            ]
        );
    }

    /// Modules whose translation takes every path that records: fusions into the last
    /// instruction, lazy operands materialized, copies of tails, threaded back edges,
    /// paired steps, values moved to labels.
    const VARIED: &[&str] = &[
        SUM,
        r#"(module (memory 1) (global (mut i32) (i32.const 0))
            (func (param i32 i64) (result i64) (local i64 i32 i32)
              (block $out
                (loop $l
                  (br_if $out (i32.ge_u (local.get 3) (local.get 0)))
                  (local.set 2 (i64.xor (local.get 2) (i64.shl (local.get 2) (i64.const 13))))
                  (local.set 2 (i64.add (i64.add (local.get 2) (local.get 1)) (i64.const 7)))
                  (global.set 0 (i32.wrap_i64 (i64.add (local.get 2) (local.get 1))))
                  (if (i32.and (local.get 3) (i32.const 1))
                    (then (local.set 3 (i32.add (local.get 3) (i32.const 3))) (br $l)))
                  (local.set 4 (i32.add (local.get 4) (i32.const 8)))
                  (local.set 3 (i32.add (local.get 3) (i32.const 1)))
                  (br $l)))
              (i64.add (local.get 2) (i64.extend_i32_u (local.get 4))))
            (func (param i32) (result i32)
              (block (result i32) (local.get 0) (local.get 0) (br_if 0) (drop) (i32.const 9)))
            (func (param f64 f64 f64) (result f64)
              (f64.add (local.get 0) (f64.mul (local.get 1) (local.get 2))))
            (func (param i32) (result i32) (local i32)
              (select (local.get 0) (i32.const 3) (local.tee 1 (local.get 0)))
              (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1)
              (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1)
              (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1)
              (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)
              (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)))"#,
    ];

    /// Translation recording where instructions come from produces exactly the bytecode
    /// translation without recording produces (what a loaded module runs).
    #[test]
    fn recording_changes_no_bytecode() {
        for wat in VARIED {
            let bytes = wat::parse_str(wat).unwrap();
            let module = Module::new(&Engine::default(), &bytes).unwrap();
            let mut validator = Validator::new_with_features(module.inner.features);
            let mut n = 0;
            for payload in Parser::new(0).parse_all(&bytes) {
                let payload = payload.unwrap();
                if let ValidPayload::Func(f, body) = validator.payload(&payload).unwrap() {
                    let again = |f: &FuncToValidate<ValidatorResources>| FuncToValidate {
                        resources: f.resources.clone(),
                        index: f.index,
                        ty: f.ty,
                        features: f.features,
                    };
                    let mut plain = again(&f).into_validator(Default::default());
                    let mut recording = f.into_validator(Default::default());
                    let plain: CompiledFunc =
                        compile::translate(&mut plain, &body, false, &mut Default::default())
                            .unwrap();
                    let (recorded, rec) =
                        compile::translate_recording(&mut recording, &body, false).unwrap();
                    assert_eq!(plain.code, recorded.code);
                    assert_eq!(plain, recorded);
                    assert_eq!(rec.origins.len(), plain.code.len());
                    assert_eq!(*module.inner.code[n], plain);
                    n += 1;
                }
            }
            assert_eq!(n, module.inner.code.len());
        }
    }

    /// Every instruction stands for as many operators as its fuel counts, each one an
    /// operator of its body, except that a `Copy` or `Const` putting a lazy operand in a
    /// slot stands for it even when another instruction charges its fuel.
    #[test]
    fn each_instruction_stands_for_its_fuel() {
        let mut seen = String::new();
        for wat in VARIED {
            let (bytes, all) = disassemble(wat);
            for d in &all {
                for (i, instr) in d.instrs.iter().enumerate() {
                    seen.push_str(&instr.text);
                    seen.push('\n');
                    let copy = instr.text.contains(" = Copy ") || instr.text.contains(" = Const ");
                    let n = instr.wasm.len();
                    let fuel = usize::from(instr.fuel);
                    assert!(
                        n == fuel || (copy && n == fuel + 1),
                        "{i}: {}",
                        listing(&bytes, d)[i]
                    );
                    assert!(instr.wasm.is_sorted());
                    for o in instr.wasm.iter().chain([&instr.at]) {
                        assert!(d.operators.binary_search(o).is_ok(), "{o} in {i}");
                    }
                }
            }
        }
        // Every way of recording was taken: fusions into the last instruction (a
        // `local.set`, an `i32.wrap_i64`, a step and its test, `a + b + k`,
        // `x ^ (x << k)`, `acc + x * y`), tails copied (`Br -> 1`), back edges threaded
        // (the `I32LtU` test), steps paired, lazy operands materialized.
        for fused in [
            "s2 = I32AddA s4, s2",
            "StepI32LtU",
            "I64XorShlImm",
            "I64Add3Imm",
            "s5 = I32AddA s2, s1",
            "F64MulAdd",
            "Br -> 1",
            "BrI32LtU s3, s0 -> 1",
            "I32AddImm2 s4 += 8, s3 += 1",
            "Select",
            "= Copy2 s0; s4 = s1",
        ] {
            assert!(seen.contains(fused), "{fused} not in\n{seen}");
        }
    }

    /// The copy of a short tail a `br` jumps to stands for what the tail stands for, and
    /// its first instruction for the `br` as well.
    #[test]
    fn a_copied_tail_stands_for_the_branch_too() {
        let (bytes, d) = disassemble(
            r#"(module (func (param i32) (result i32)
                (block (br_if 0 (local.get 0)) (br 0)) (i32.const 4)))"#,
        );
        assert_eq!(
            listing(&bytes, &d[0]),
            [
                "BrIfNez s0 -> 3 | 2 | LocalGet BrIf",
                "s1 = Const 4 | 1 | Br I32Const (at End)",
                "Return s1 | 2 | I32Const End",
                "s1 = Const 4 | 0 | I32Const (at End)",
                "Return s1 | 2 | I32Const End",
            ]
        );
    }

    #[test]
    fn functions_without_bytecode_and_other_bytes_are_refused() {
        let wat = r#"(module (import "env" "f" (func)) (func (export "g") (call 0)))"#;
        let bytes = wat::parse_str(wat).unwrap();
        let module = Module::new(&Engine::default(), &bytes).unwrap();
        let d = module.disassembler(&bytes).unwrap();
        assert_eq!(d.funcs(), 1..2);
        assert_eq!(d.exported_func("g"), Some(1));
        assert_eq!(d.exported_func("f"), None);
        let err = module.disassemble(&bytes, 0).unwrap_err().to_string();
        assert!(err.contains("function 0 is imported"), "{err}");
        let err = module.disassemble(&bytes, 2).unwrap_err().to_string();
        assert!(err.contains("function 2 does not exist"), "{err}");
        assert_eq!(module.disassemble(&bytes, 1).unwrap().exports, ["g"]);
        // Same shape, other code: refused rather than shown as this module's.
        let other = wat::parse_str(
            r#"(module (import "env" "f" (func)) (func (export "g") (call 0) (call 0)))"#,
        )
        .unwrap();
        let err = module.disassemble(&other, 1).unwrap_err().to_string();
        assert!(
            err.contains("not the bytes this module was built from"),
            "{err}"
        );
        let err = module
            .disassembler(b"\0asm\x01\0\0\0")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not the bytes"), "{err}");
        assert!(module.disassembler(b"junk").is_err());
    }

    /// Without its function, an instruction's text shows the side tables' indices.
    #[test]
    fn text_without_the_function() {
        use crate::compile::{SlotPair, Step};
        let cases = [
            (
                Instr::I32LoadM {
                    dst: 1,
                    addr: 0,
                    memarg: 2,
                },
                "s1 = I32LoadM [s0], memarg=2",
            ),
            (
                Instr::I64Store8 {
                    addr: 3,
                    value: 4,
                    offset: 0,
                },
                "I64Store8 mem0[s3] = s4",
            ),
            (
                Instr::BrTable {
                    index: 3,
                    offset: 0,
                    len: 2,
                },
                "BrTable s3, offset=0, len=2",
            ),
            (
                Instr::I64DivUConst { dst: 2, a: 1, k: 0 },
                "s2 = I64DivUConst s1, k=0",
            ),
            (
                Instr::I64AddImm {
                    dst: 2,
                    a: 2,
                    imm: -8i32 as u32,
                },
                "s2 = I64AddImm s2, -8",
            ),
            (
                Instr::F32MulImm {
                    dst: 2,
                    a: 1,
                    imm: 1.5f32.to_bits(),
                },
                "s2 = F32MulImm s1, 1.5",
            ),
            (Instr::I32SubB { dst: 2, a: 1, b: 2 }, "s2 = I32SubB s1, s2"),
            (
                Instr::BrI64GeUImm {
                    a: 0,
                    imm: 2,
                    target: 9,
                },
                "BrI64GeUImm s0, 2 -> 9",
            ),
            (
                Instr::StepI32LtSImm {
                    step: Step::new(3, -2).unwrap(),
                    imm: 0,
                    target: 1,
                },
                "StepI32LtSImm s3 += -2, 0 -> 1",
            ),
            (
                Instr::I64AddImm2 {
                    x: Step::new(1, 8).unwrap(),
                    y: Step::new(2, 512).unwrap(),
                },
                "I64AddImm2 s1 += 8, s2 += 512",
            ),
            (
                Instr::F64MulAdd {
                    dst: 4,
                    acc: 3,
                    xy: SlotPair::new(1, 2).unwrap(),
                },
                "s4 = F64MulAdd s3, s1, s2",
            ),
            (
                Instr::Select { dst: 4, a: 4, b: 1 },
                "s4 = Select s4, s1, if=s6",
            ),
            (Instr::Const { dst: 1, value: 7 }, "s1 = Const 7"),
            (
                Instr::Const {
                    dst: 1,
                    value: u64::MAX,
                },
                "s1 = Const 0xffffffffffffffff",
            ),
            (Instr::Return { src: 3, n: 0 }, "Return"),
            (Instr::Return { src: 3, n: 2 }, "Return s3, n=2"),
            (
                Instr::CallIndirect {
                    ty: 1,
                    table: 0,
                    base: 5,
                },
                "CallIndirect ty=1, table=0, base=s5",
            ),
            (
                Instr::MemoryCopy {
                    dst: 1,
                    src: 0,
                    base: 5,
                },
                "MemoryCopy dst=1, src=0, base=s5",
            ),
            (
                Instr::GlobalGet { dst: 2, index: 0 },
                "s2 = GlobalGet index=0",
            ),
            (Instr::Br { target: 4 }, "Br -> 4"),
            (Instr::Unreachable, "Unreachable"),
        ];
        for (instr, text) in cases {
            assert_eq!(instr.to_string(), text);
        }
    }
}
