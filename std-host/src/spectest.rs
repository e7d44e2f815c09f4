//! The `spectest` host module that the official test suite imports.
//!
//! Its contents follow the reference interpreter (`interpreter/host/spectest.ml` in
//! WebAssembly/spec, described in `interpreter/README.md`):
//!
//! | export | definition |
//! |---|---|
//! | `global_i32`, `global_i64` | immutable, `666` |
//! | `global_f32`, `global_f64` | immutable, `666.6` |
//! | `table` | `funcref`, 10 elements, max 20 |
//! | `memory` | 1 page, max 2 |
//! | `shared_memory` | 1 page, max 2, shared (threads) |
//! | `print`, `print_i32`, `print_i64`, `print_f32`, `print_f64`, `print_i32_f32`, `print_f64_f64` | take those parameters, return nothing |
//!
//! The print functions write their arguments to stdout as the reference interpreter does
//! (`13 : i32`) only when asked to; the spec harness keeps them silent.
//!
//! One instance of the module is created per [`Store`], as the reference interpreter does
//! per script: every module of a script that imports `spectest.memory` shares that memory.
#![forbid(unsafe_code)]

use folio::{
    Error, FuncType, Global, GlobalType, IndexType, Linker, Memory, MemoryType, Mutability,
    RefType, Store, Table, TableType, Val, ValType,
};

/// The name the test suite imports the module under.
pub const MODULE_NAME: &str = "spectest";

/// The print functions: export name and parameter types.
const PRINTS: &[(&str, &[ValType])] = &[
    ("print", &[]),
    ("print_i32", &[ValType::I32]),
    ("print_i64", &[ValType::I64]),
    ("print_f32", &[ValType::F32]),
    ("print_f64", &[ValType::F64]),
    ("print_i32_f32", &[ValType::I32, ValType::F32]),
    ("print_f64_f64", &[ValType::F64, ValType::F64]),
];

/// Defines the `spectest` module's exports in `linker`, creating its globals, table and
/// memory in `store`. With `print`, the print functions write their arguments to stdout.
///
/// # Errors
/// When the store refuses to create the table or the memory (e.g. a limiter that allows
/// less than one page).
pub fn define<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    print: bool,
) -> Result<(), Error> {
    for (name, params) in PRINTS {
        let ty = FuncType::new(params.iter().copied(), []);
        linker.func_new(MODULE_NAME, name, ty, move |_, args, _| {
            if print {
                print_args(args);
            }
            Ok(())
        })?;
    }

    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::from_f32(666.6)),
        ("global_f64", Val::from_f64(666.6)),
    ];
    for (name, value) in globals {
        let ty = GlobalType {
            content: value.ty(),
            mutability: Mutability::Const,
        };
        let global = Global::new(store, ty, value)?;
        linker.define(MODULE_NAME, name, global)?;
    }

    let table_ty = TableType {
        element: RefType::FUNCREF,
        index64: false,
        min: 10,
        max: Some(20),
    };
    let table = Table::new(store, table_ty, Val::FuncRef(None))?;
    linker.define(MODULE_NAME, "table", table)?;

    let memory_ty = MemoryType {
        index_type: IndexType::I32,
        page_size_log2: 16,
        min: 1,
        max: Some(2),
        shared: false,
    };
    let memory = Memory::new(store, memory_ty)?;
    linker.define(MODULE_NAME, "memory", memory)?;
    let shared = Memory::new(store, memory_ty.with_shared(true))?;
    linker.define(MODULE_NAME, "shared_memory", shared)?;
    Ok(())
}

/// Prints one line per argument in the reference interpreter's form, `13 : i32`.
fn print_args(args: &[Val]) {
    for arg in args {
        match arg {
            Val::I32(x) => println!("{x} : i32"),
            Val::I64(x) => println!("{x} : i64"),
            Val::F32(bits) => println!("{} : f32", f32::from_bits(*bits)),
            Val::F64(bits) => println!("{} : f64", f64::from_bits(*bits)),
            other => println!("{other:?}"),
        }
    }
}
