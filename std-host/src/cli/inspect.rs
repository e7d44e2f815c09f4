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
//! type puts on it instead. An imported memory ends with ` <- module.name`. Names are
//! printed with Rust's `escape_debug`, so a name cannot break the one-item-per-line shape.

use super::args::format_bytes;
use super::load::load_module;
use super::{EXIT_CODES_HELP, Failure, write_stdout};
use folio::{
    Engine, ExternType, FuncType, GlobalType, IndexType, MemoryType, Module, Mutability, TableType,
};
use std::fmt::Write as _;
use std::path::PathBuf;

/// `folio inspect`'s command line.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct InspectArgs {
    /// The module: a binary .wasm or a text .wat file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// What `folio inspect --help` says after the arguments.
pub fn after_help() -> String {
    format!(
        "Memories come first, in the form of `wasm-objdump -x`, then the sizes in bytes:\n  \
         memory[0] pages: initial=1 max=3 (64 KiB .. 192 KiB)\n\n{EXIT_CODES_HELP}"
    )
}

/// Runs `folio inspect`: prints what the module declares.
///
/// # Errors
/// Unreadable files, malformed or invalid modules.
pub fn main(args: &InspectArgs) -> Result<(), Failure> {
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
    }
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

fn table_type(t: &TableType) -> String {
    let element = folio::ValType::from(t.element);
    match t.max {
        Some(max) => format!("table {element} initial={} max={max}", t.min),
        None => format!("table {element} initial={}", t.min),
    }
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
