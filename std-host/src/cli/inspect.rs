//! `folio inspect FILE`: what a module declares, memories first.
//!
//! ```text
//! memory[0] pages: initial=1 max=3 (64 KiB .. 192 KiB)
//! memory[1] pages: initial=1 max=100000 i64 (64 KiB .. 6.1 GiB)
//! memory[2] pages: initial=2 (128 KiB .. no max, i32 cap 4 GiB)
//! memory[3] pages: initial=0 max=65536 pagesize=1 (0 B .. 64 KiB)
//! imports: 1
//!   env.log: func (param i32)
//! exports: 2
//!   grow: func (result i32)
//!   mem: memory pages: initial=1 max=3
//! functions: 2 (1 imported, 1 defined)
//! data segments: 1
//!   data[0] memory[0] offset=16 len=5
//! ```
//!
//! The first line of a memory is the form `wasm-objdump -x` prints (`memory[0] pages:
//! initial=1 max=3`), followed by ` i64`, ` shared` and ` pagesize=1` where they apply and
//! by the sizes in bytes. A memory without a maximum shows `no max` and the cap its index
//! type puts on it instead. An imported memory ends with ` <- module.name`. A table, among
//! the imports and exports, is `table funcref initial=1 max=8`, followed by ` i64` for a
//! 64-bit table. A module with tags (the exception handling proposal) lists them after
//! the functions, imported ones first: `tags: 2 (1 imported, 1 defined)`, then
//! `  tag[0] tag (param i32)` for each. Names are printed with Rust's `escape_debug`, so a
//! name cannot break the one-item-per-line shape.
//!
//! # `--bytecode`
//!
//! `folio inspect --bytecode FILE [FUNC]` prints the bytecode Folio runs for every function
//! the module defines, or for FUNC only (an export name, else a function index), beside
//! the Wasm operators each instruction stands for:
//!
//! ```text
//! func[0] $sum (export "sum") (param i32 i32) (result i32)
//!   locals: s0..s2 (param i32 i32) (local i32)
//!   slots: 5 (stack s3..s4)
//!   code: 4 instructions (fuel 15) for 17 operators, 2 of which translate to nothing
//!   #  fuel  bytecode                     wasm
//!   -                                     0x43  loop $l
//!   0     2  s4 = I32Load8U mem0[s0 + 3]  0x47  local.get $p
//!                                         0x49  i32.load8_u offset=3
//!   1     3  s2 = I32AddA s4, s2          0x45  local.get $s
//!                                         0x4c  i32.add
//!                                         0x4d  local.set $s
//!   2     8  StepI32LtU s0 += 1, s1 -> 0  0x4f  local.get $p
//!                                         0x51  i32.const 1
//!                                         0x53  i32.add
//!                                         0x54  local.set $p
//!                                         0x56  local.get $p
//!                                         0x58  local.get $n
//!                                         0x5a  i32.lt_u
//!                                         0x5b  br_if $l
//!   -                                     0x5d  end
//!   3     2  Return s2                    0x5e  local.get $s
//!                                         0x60  end
//! ```
//!
//! - The header: the function's index (imported functions come first), its name from
//!   the name section if there is one, the names it is exported under, its signature.
//! - `locals`: their slots and types (`i32 x5` for a run); `slots`: the frame's size,
//!   with the operand stack's homes and the constant pool's cells, whose values `pool:`
//!   lists (`c0 = 0x400a000000000000`); `try 3..7: catch tag 0 -> 9 (s4)`: a
//!   `try_table` whose body is instructions 3 to 6, an exception thrown there (or by a
//!   call there) caught by its clauses in order (the tag's index in the module, or
//!   `catch_all`; `_ref`: the `exnref` after the payload), each going to an instruction
//!   with the values in those slots.
//! - One row per instruction, in the order of the code: its index (what branches name:
//!   `-> 3`), its fuel, its text, then the Wasm operators it stands for, one per line:
//!   byte offset in the module and the operator as `wasmprinter` prints it. The text is
//!   `RESULT = Mnemonic OPERANDS`: slots `s3`, pool cells `c0`, immediates as numbers of
//!   the operator's type, memory accesses `mem0[s3 + 8]`, branch targets `-> 17`, a
//!   `br_table`'s entries with the values each moves (`-> 9 (s2 = s6)`), a division's
//!   divisor `d=10`; the mnemonic is the `Instr` variant (an `A`, `B` or `V` suffix:
//!   that operand comes from the accumulator). The format is documented with the
//!   bytecode, in core's `compile::disasm`.
//! - An instruction stands for the operators whose fuel it charges: a fused instruction
//!   lists all it fused, and an operand read in place (`local.get`, a constant) is listed
//!   under the instruction that reads it, so offsets need not ascend. A `Copy` or
//!   `Const` lists the `local.get` or constant it puts in a slot, and `(for OP)` the
//!   operator that needed it there (a call's arguments, a `select`, a block's entry). A
//!   run of code the translator copied (a `br` to a short tail, a loop's test run again
//!   at its bottom) lists its operators under each copy.
//! - `-` instead of an index: an operator that translates to no instruction (`block`,
//!   `end`, `nop`, `drop`, `i64.extend_i32_u`, a value never used), placed before the
//!   instruction that follows it in the Wasm.
//!
//! Each function is translated again to know where its instructions came from (a loaded
//! module does not keep that) and checked to be exactly the bytecode the module runs;
//! the module's text is printed once (most of the time for one function). For sqlite
//! (1.4 MB, 1971 functions, release build): 0.6 s for all of it (51 MB of text), 0.17 s
//! for one function, against 0.06 s for `folio inspect`.

use super::args::format_bytes;
use super::load::{load_module, read_wasm};
use super::{EXIT_CODES_HELP, Failure, write_stdout};
use folio::module::{Disassembler, Disassembly};
use folio::{
    Engine, ExternType, FuncType, GlobalType, IndexType, MemoryType, Module, Mutability, TableType,
    TagType,
};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// `folio inspect`'s command line.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct InspectArgs {
    /// The module: a binary .wasm or a text .wat file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print each defined function's Folio bytecode beside the Wasm operators it came from
    #[arg(long)]
    pub bytecode: bool,
    /// With --bytecode: only this function, by export name or by function index
    #[arg(value_name = "FUNC")]
    pub func: Option<String>,
}

/// What `folio inspect --help` says after the arguments.
pub fn after_help() -> String {
    format!(
        "Memories come first, in the form of `wasm-objdump -x`, then the sizes in bytes:\n  \
         memory[0] pages: initial=1 max=3 (64 KiB .. 192 KiB)\n\n\
         With --bytecode, each defined function (or FUNC only): its slots and constant pool, \
         then every instruction Folio runs (index, fuel, text) beside the Wasm operators it \
         stands for, with their byte offsets:\n  \
         {BYTECODE_SAMPLE}\n\n{EXIT_CODES_HELP}"
    )
}

/// One row of `--bytecode`'s output, for `--help`.
const BYTECODE_SAMPLE: &str = "2     8  StepI32LtU s0 += 1, s1 -> 0  0x4d  local.get $p";

/// Runs `folio inspect`: prints what the module declares, or with `--bytecode` its
/// functions' bytecode.
///
/// # Errors
/// Unreadable files, malformed or invalid modules; a FUNC without `--bytecode`, or that
/// names no function the module defines.
pub fn main(args: &InspectArgs) -> Result<(), Failure> {
    if args.bytecode {
        return bytecode(&args.file, args.func.as_deref());
    }
    if let Some(func) = &args.func {
        return Err(Failure::error(format!(
            "unexpected argument `{}`: `folio inspect` takes one FILE (a FUNC only after \
             --bytecode) (see `folio inspect --help`)",
            esc(func)
        )));
    }
    let module = load_module(&Engine::default(), &args.file)?;
    write_stdout(&describe(&module))
}

/// The report `folio inspect` prints (see the module docs).
pub fn describe(module: &Module) -> String {
    let mut out = String::new();
    let imported_memories: Vec<String> = module
        .imports()
        .filter(|(_, _, ty)| matches!(ty, ExternType::Memory(_)))
        .map(|(m, n, _)| format!("{}.{}", esc(m), esc(n)))
        .collect();
    for (i, ty) in module.memories().iter().enumerate() {
        let _ = write!(
            out,
            "memory[{i}] {} {}",
            memory_limits(ty),
            memory_bytes(ty)
        );
        if let Some(from) = imported_memories.get(i) {
            let _ = write!(out, " <- {from}");
        }
        out.push('\n');
    }

    let _ = writeln!(out, "imports: {}", module.imports().len());
    let mut imported_funcs = 0;
    for (m, n, ty) in module.imports() {
        imported_funcs += usize::from(matches!(ty, ExternType::Func(_)));
        let _ = writeln!(out, "  {}.{}: {}", esc(m), esc(n), extern_type(&ty));
    }

    let _ = writeln!(out, "exports: {}", module.exports().len());
    for (name, ty) in module.exports() {
        let _ = writeln!(out, "  {}: {}", esc(name), extern_type(&ty));
    }

    let defined = module.defined_funcs();
    let _ = writeln!(
        out,
        "functions: {} ({imported_funcs} imported, {defined} defined)",
        imported_funcs + defined
    );

    if module.tags().len() > 0 {
        let imported = module.imported_tags();
        let _ = writeln!(
            out,
            "tags: {} ({imported} imported, {} defined)",
            module.tags().len(),
            module.tags().len() - imported
        );
        for (i, ty) in module.tags().enumerate() {
            let _ = writeln!(out, "  tag[{i}] {}", tag_type(&ty));
        }
    }

    let _ = writeln!(out, "data segments: {}", module.data_segments().len());
    for (i, seg) in module.data_segments().enumerate() {
        let _ = match (seg.memory, seg.offset) {
            (None, _) => writeln!(out, "  data[{i}] passive len={}", seg.len),
            (Some(m), Some(off)) => {
                writeln!(out, "  data[{i}] memory[{m}] offset={off} len={}", seg.len)
            }
            (Some(m), None) => writeln!(
                out,
                "  data[{i}] memory[{m}] offset=(computed) len={}",
                seg.len
            ),
        };
    }
    out
}

/// `pages: initial=1 max=3 i64 shared pagesize=1`, in `wasm-objdump`'s words.
pub fn memory_limits(ty: &MemoryType) -> String {
    let mut s = format!("pages: initial={}", ty.min);
    if let Some(max) = ty.max {
        let _ = write!(s, " max={max}");
    }
    if ty.index_type == IndexType::I64 {
        s.push_str(" i64");
    }
    if ty.shared {
        s.push_str(" shared");
    }
    if ty.page_size_log2 != 16 {
        let _ = write!(s, " pagesize={}", 1u128 << ty.page_size_log2);
    }
    s
}

/// `(64 KiB .. 192 KiB)`, or `(64 KiB .. no max, i32 cap 4 GiB)`.
fn memory_bytes(ty: &MemoryType) -> String {
    let bytes = |pages: u64| u128::from(pages) << ty.page_size_log2;
    match ty.max {
        Some(max) => format!(
            "({} .. {})",
            format_bytes(bytes(ty.min)),
            format_bytes(bytes(max))
        ),
        None => {
            let (name, cap) = match ty.index_type {
                IndexType::I32 => ("i32", 1u128 << 32),
                IndexType::I64 => ("i64", 1u128 << 64),
            };
            format!(
                "({} .. no max, {name} cap {})",
                format_bytes(bytes(ty.min)),
                format_bytes(cap)
            )
        }
    }
}

fn extern_type(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(f) => func_type(f),
        ExternType::Table(t) => table_type(t),
        ExternType::Memory(m) => format!("memory {}", memory_limits(m)),
        ExternType::Global(g) => global_type(g),
        ExternType::Tag(t) => tag_type(t),
    }
}

/// `tag (param i32 f64)`.
fn tag_type(t: &TagType) -> String {
    // A tag's function type has no results: `func_type` prints its parameters alone.
    func_type(t.func_type()).replacen("func", "tag", 1)
}

/// `func (param i32 i32) (result i32)`.
fn func_type(f: &FuncType) -> String {
    let mut s = String::from("func");
    let list = |tys: &[folio::ValType]| {
        tys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !f.params().is_empty() {
        let _ = write!(s, " (param {})", list(f.params()));
    }
    if !f.results().is_empty() {
        let _ = write!(s, " (result {})", list(f.results()));
    }
    s
}

/// `table funcref initial=1 max=8`, followed by ` i64` for a 64-bit table (as a
/// memory's limits).
fn table_type(t: &TableType) -> String {
    let element = folio::ValType::from(t.element);
    let mut s = format!("table {element} initial={}", t.min);
    if let Some(max) = t.max {
        let _ = write!(s, " max={max}");
    }
    if t.index64 {
        s.push_str(" i64");
    }
    s
}

fn global_type(g: &GlobalType) -> String {
    match g.mutability {
        Mutability::Const => format!("global {}", g.content),
        Mutability::Var => format!("global (mut {})", g.content),
    }
}

/// A name on one line: control characters and quotes escaped.
fn esc(name: &str) -> String {
    name.escape_debug().to_string()
}

// ---------------------------------------------------------------------------------------
// --bytecode

/// Runs `folio inspect --bytecode FILE [FUNC]` (see the module docs).
fn bytecode(file: &Path, func: Option<&str>) -> Result<(), Failure> {
    let bytes = read_wasm(file)?;
    let in_file = |e: folio::Error| Failure::error(format!("{}: {e}", file.display()));
    let module = Module::new(&Engine::default(), &bytes).map_err(in_file)?;
    let mut disassembler = module.disassembler(&bytes).map_err(in_file)?;
    let funcs: Vec<u32> = match func {
        None => disassembler.funcs().collect(),
        Some(name) => vec![find_func(&disassembler, name, file)?],
    };
    let mut storage = String::new();
    let wat = WatLines::new(&bytes, &mut storage);
    let digits = format!("{:x}", bytes.len()).len();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, &f) in funcs.iter().enumerate() {
        let d = disassembler.func(f).map_err(in_file)?;
        let mut text = if n > 0 {
            String::from("\n")
        } else {
            String::new()
        };
        listing(&mut text, &d, &wat, digits);
        if !write_chunk(&mut out, &text)? {
            return Ok(());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::error(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// Writes `text`; whether the reader is still there (`| head` is not an error).
fn write_chunk(out: &mut impl std::io::Write, text: &str) -> Result<bool, Failure> {
    match out.write_all(text.as_bytes()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Failure::error(format!("cannot write to stdout: {e}"))),
    }
}

/// The function FUNC names: an export name, else a function index the module defines.
fn find_func(d: &Disassembler<'_>, name: &str, file: &Path) -> Result<u32, Failure> {
    if let Some(i) = d.exported_func(name) {
        return Ok(i);
    }
    let funcs = d.funcs();
    let index = name.parse::<u32>().ok();
    if let Some(i) = index.filter(|i| funcs.contains(i)) {
        return Ok(i);
    }
    let file = file.display();
    let what = match index {
        Some(i) if i < funcs.start => {
            format!("function {i} of `{file}` is imported, it has no bytecode")
        }
        Some(i) => format!("no function {i} in `{file}`"),
        None => format!("no exported function `{}` in `{file}`", esc(name)),
    };
    let defined = if funcs.is_empty() {
        "defines no function".to_string()
    } else {
        format!("defines functions {}..={}", funcs.start, funcs.end - 1)
    };
    const SHOWN: usize = 20;
    let exports: Vec<String> = d
        .exported_funcs()
        .map(|(n, i)| format!("{} ({i})", esc(n)))
        .collect();
    let exported = match exports.len() {
        0 => "exports no function".to_string(),
        n if n <= SHOWN => format!("exports {}", exports.join(", ")),
        n => format!(
            "exports {}, and {} more",
            exports[..SHOWN].join(", "),
            n - SHOWN
        ),
    };
    Err(Failure::error(format!(
        "{what}: it {defined} and {exported}"
    )))
}

/// The module as text, one line per operator, by byte offset (`wasmprinter`'s).
struct WatLines<'a> {
    /// `(offset, line)`, by offset; a line trimmed.
    lines: Vec<(u64, &'a str)>,
}

impl<'a> WatLines<'a> {
    /// The lines of `bytes` printed into `storage`; none when `wasmprinter` cannot print
    /// them (the operators then show as their offsets only).
    fn new(bytes: &[u8], storage: &'a mut String) -> Self {
        let mut lines: Vec<(u64, &'a str)> =
            match wasmprinter::Config::new().offsets_and_lines(bytes, storage) {
                Ok(lines) => lines
                    .filter_map(|(offset, line)| Some((offset?, line.trim())))
                    .collect(),
                Err(_) => Vec::new(),
            };
        lines.sort_by_key(|&(offset, _)| offset);
        WatLines { lines }
    }

    /// The line of the operator at `offset` (the first line printed there).
    fn at(&self, offset: u32) -> Option<&'a str> {
        let offset = u64::from(offset);
        let i = self.lines.partition_point(|&(o, _)| o < offset);
        self.lines
            .get(i)
            .filter(|&&(o, _)| o == offset)
            .map(|&(_, line)| line)
    }

    /// The `$name` of the function whose body starts at `body` (the name section's).
    fn func_name(&self, body: u32) -> Option<&'a str> {
        let line = self.at(body)?.strip_prefix("(func ")?;
        line.split(' ').next().filter(|n| n.starts_with('$'))
    }
}

/// The listing of one function (see the module docs).
fn listing(out: &mut String, d: &Disassembly, wat: &WatLines<'_>, digits: usize) {
    let _ = write!(out, "func[{}]", d.func_index);
    if let Some(name) = wat.func_name(d.body.start) {
        let _ = write!(out, " {name}");
    }
    for name in &d.exports {
        let _ = write!(out, " (export \"{}\")", esc(name));
    }
    let sig = func_type(&d.ty);
    let _ = writeln!(out, "{}", sig.strip_prefix("func").unwrap_or(&sig));

    let locals = d.locals.len() as u32;
    let params = d.ty.params().len().min(d.locals.len());
    let mut decl = String::new();
    if params > 0 {
        let _ = write!(decl, " (param {})", runs(&d.locals[..params]));
    }
    if d.locals.len() > params {
        let _ = write!(decl, " (local {})", runs(&d.locals[params..]));
    }
    let _ = writeln!(
        out,
        "  locals: {}{decl}",
        slot_range(0, locals).unwrap_or_else(|| "none".into())
    );
    let pool_end = d.pool_base + d.pool.len() as u32;
    let _ = write!(out, "  slots: {} (", d.slots);
    if let Some(pool) = slot_range(d.pool_base, pool_end) {
        let _ = write!(out, "pool {pool}, ");
    }
    let stack = slot_range(pool_end, d.slots).unwrap_or_else(|| "none".into());
    let _ = writeln!(out, "stack {stack})");
    if !d.pool.is_empty() {
        let cells: Vec<String> = d
            .pool
            .iter()
            .enumerate()
            .map(|(k, &v)| format!("c{k} = {}", cell(v)))
            .collect();
        let _ = writeln!(out, "  pool: {}", cells.join(", "));
    }
    for t in &d.handlers {
        let clauses: Vec<String> = t
            .catches
            .iter()
            .map(|c| {
                let kind = match (c.tag, c.with_ref) {
                    (Some(tag), false) => format!("catch tag {tag}"),
                    (Some(tag), true) => format!("catch_ref tag {tag}"),
                    (None, false) => "catch_all".into(),
                    (None, true) => "catch_all_ref".into(),
                };
                let to = c.label.to;
                match slot_range(to, to.saturating_add(c.label.n)) {
                    Some(slots) => format!("{kind} -> {} ({slots})", c.label.target),
                    None => format!("{kind} -> {}", c.label.target),
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  try {}..{}: {}",
            t.body.start,
            t.body.end,
            clauses.join(", ")
        );
    }
    let untranslated = d.untranslated();
    let fuel: u32 = d.instrs.iter().map(|i| u32::from(i.fuel)).sum();
    let _ = writeln!(
        out,
        "  code: {} instructions (fuel {fuel}) for {} operators, {} of which translate to nothing",
        d.instrs.len(),
        d.operators.len(),
        untranslated.len()
    );

    let index_width = d.instrs.len().saturating_sub(1).to_string().len().max(1);
    let text_width = d
        .instrs
        .iter()
        .map(|i| i.text.len())
        .max()
        .unwrap_or(0)
        .clamp(24, 44);
    let wasm_column = index_width + 2 + 4 + 2 + text_width + 2;
    let op_line = |offset: u32, for_only: bool| {
        let text = wat.at(offset).unwrap_or("?");
        // The function's final `end` is printed as the `)` closing the function.
        let text = if text == ")" { "end" } else { text };
        if for_only {
            format!("0x{offset:0digits$x}  (for {text})")
        } else {
            format!("0x{offset:0digits$x}  {text}")
        }
    };
    // An operator that translates to no instruction: `-` for its index.
    let orphan = |offset: u32| {
        let row = format!("  {:>index_width$}", "-");
        format!("{row:<w$}{}", op_line(offset, false), w = wasm_column + 2)
    };
    let _ = writeln!(
        out,
        "  {:>index_width$}  fuel  {:<text_width$}  wasm",
        "#", "bytecode"
    );
    // Each operator that translates to nothing goes before the instruction that follows
    // it in the Wasm: the first emitted by a later operator (of several copies of a run
    // of code, the last). Not the first whose operators come later: an operand read in
    // place may come from far before the operator that reads it.
    let mut emitted_at: Vec<(u32, usize)> = d
        .instrs
        .iter()
        .enumerate()
        .map(|(i, instr)| (instr.at, i))
        .collect();
    emitted_at.sort_unstable();
    let mut before: Vec<Vec<u32>> = vec![Vec::new(); d.instrs.len()];
    let mut after_all = Vec::new();
    for &o in &untranslated {
        let next = emitted_at.partition_point(|&(at, _)| at <= o);
        let Some(&(at, _)) = emitted_at.get(next) else {
            after_all.push(o);
            continue;
        };
        let last_copy = emitted_at.partition_point(|&(a, _)| a <= at);
        if let Some(&(_, i)) = last_copy.checked_sub(1).and_then(|k| emitted_at.get(k)) {
            before[i].push(o);
        }
    }
    for (i, instr) in d.instrs.iter().enumerate() {
        for &o in &before[i] {
            let _ = writeln!(out, "{}", orphan(o));
        }
        let mut ops: Vec<String> = instr.wasm.iter().map(|&o| op_line(o, false)).collect();
        if !instr.wasm.contains(&instr.at) {
            ops.push(op_line(instr.at, true));
        }
        let head = format!("  {i:>index_width$}  {:>4}  {}", instr.fuel, instr.text);
        let mut ops = ops.into_iter();
        if instr.text.len() <= text_width {
            let first = ops.next().unwrap_or_default();
            let _ = writeln!(out, "{head:<w$}{first}", w = wasm_column + 2);
        } else {
            let _ = writeln!(out, "{head}");
        }
        for op in ops {
            let _ = writeln!(out, "  {:wasm_column$}{op}", "");
        }
    }
    for o in after_all {
        let _ = writeln!(out, "{}", orphan(o));
    }
}

/// `s3..s7`, `s3`, or `None` for no slot.
fn slot_range(from: u32, to: u32) -> Option<String> {
    match to.checked_sub(from)? {
        0 => None,
        1 => Some(format!("s{from}")),
        _ => Some(format!("s{from}..s{}", to - 1)),
    }
}

/// `i32 i32 f64`, runs of three or more as `i32 x5`.
fn runs(types: &[folio::ValType]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while let Some(ty) = types.get(i) {
        let n = types[i..].iter().take_while(|t| *t == ty).count();
        if n >= 3 {
            parts.push(format!("{ty} x{n}"));
        } else {
            parts.extend(std::iter::repeat_n(ty.to_string(), n));
        }
        i += n;
    }
    parts.join(" ")
}

/// A constant cell: decimal below 2^16, hex above (as the instructions show them).
fn cell(v: u64) -> String {
    if v < 0x1_0000 {
        v.to_string()
    } else {
        format!("{v:#x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_wat(wat: &str) -> String {
        let bytes = wat::parse_str(wat).unwrap();
        describe(&Module::new(&Engine::default(), &bytes).unwrap())
    }

    #[test]
    fn memories_first_in_objdump_form() {
        let text = describe_wat(
            r#"(module
                 (import "env" "m" (memory 1 2))
                 (memory 1 3)
                 (memory i64 1 100000)
                 (memory 2)
                 (memory 0 65536 (pagesize 1)))"#,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "memory[0] pages: initial=1 max=2 (64 KiB .. 128 KiB) <- env.m"
        );
        assert_eq!(
            lines[1],
            "memory[1] pages: initial=1 max=3 (64 KiB .. 192 KiB)"
        );
        assert_eq!(
            lines[2],
            "memory[2] pages: initial=1 max=100000 i64 (64 KiB .. 6.1 GiB)"
        );
        assert_eq!(
            lines[3],
            "memory[3] pages: initial=2 (128 KiB .. no max, i32 cap 4 GiB)"
        );
        assert_eq!(
            lines[4],
            "memory[4] pages: initial=0 max=65536 pagesize=1 (0 B .. 64 KiB)"
        );
        assert_eq!(lines[5], "imports: 1");
        assert_eq!(lines[6], "  env.m: memory pages: initial=1 max=2");
    }

    #[test]
    fn tables_64_bit_say_i64() {
        let text = describe_wat(
            r#"(module
                 (import "env" "t" (table i64 1 funcref))
                 (table (export "big") i64 2 18446744073709551615 externref)
                 (table (export "small") 3 7 funcref))"#,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..2],
            ["imports: 1", "  env.t: table funcref initial=1 i64"]
        );
        assert_eq!(
            lines[2..5],
            [
                "exports: 2",
                "  big: table externref initial=2 max=18446744073709551615 i64",
                "  small: table funcref initial=3 max=7",
            ]
        );
    }

    #[test]
    fn shared_and_every_flag() {
        // (Folio's validator does not enable threads yet, so no module declares one.)
        let ty = MemoryType::i64(1, Some(4))
            .with_shared(true)
            .with_page_size_log2(0);
        assert_eq!(
            memory_limits(&ty),
            "pages: initial=1 max=4 i64 shared pagesize=1"
        );
        assert_eq!(memory_bytes(&ty), "(1 B .. 4 B)");
        let shared = MemoryType::i32(1, Some(4)).with_shared(true);
        assert_eq!(memory_bytes(&shared), "(64 KiB .. 256 KiB)");
        assert_eq!(
            memory_bytes(&MemoryType::i64(0, None)),
            "(0 B .. no max, i64 cap 16 EiB)"
        );
    }

    #[test]
    fn imports_exports_functions_data() {
        let text = describe_wat(
            r#"(module
                 (import "env" "log" (func (param i32)))
                 (memory (export "mem") 1)
                 (global (export "g") (mut i64) (i64.const 0))
                 (table (export "t") 2 funcref)
                 (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
                 (data (i32.const 16) "hello")
                 (data "passive"))"#,
        );
        let expected = "\
memory[0] pages: initial=1 (64 KiB .. no max, i32 cap 4 GiB)
imports: 1
  env.log: func (param i32)
exports: 4
  mem: memory pages: initial=1
  g: global (mut i64)
  t: table funcref initial=2
  add: func (param i32 i32) (result i32)
functions: 2 (1 imported, 1 defined)
data segments: 2
  data[0] memory[0] offset=16 len=5
  data[1] passive len=7
";
        assert_eq!(text, expected);
    }
}
