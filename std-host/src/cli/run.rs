//! `folio run [OPTIONS] FILE [ARGS]...`: instantiate a module (running its start
//! function), then call `--invoke NAME` (or `_start` when the module exports it) with ARGS
//! read by the function's parameter types, and print its results one per line.
//!
//! The module gets no imports: one that imports anything fails to link with the name of
//! the first import. Options are in [`super::HELP_DETAILS`]; how values are read and
//! printed in [`super::args`]; the grow trace in [`super::trace`].
//!
//! Decided here:
//! - Without `--invoke`, ARGS go to `_start`; ARGS without a function to take them are a
//!   usage error rather than silently ignored.
//! - `--max-memory` is a limiter ([`HostLimiter`]) asked on every creation and grow; a
//!   memory whose initial size is above it cannot be allocated (exit 2), a grow past it
//!   returns -1 to the guest.
//! - `--store reserve` is the default on 64-bit Unix: memories reserve their maximum as
//!   address space and grow in place ([`crate::reserve`]); elsewhere the heap.

use super::args::{self, Arg, format_val, parse_val};
use super::load::load_module;
use super::trace::{HostLimiter, SharedTrace};
use super::{Failure, run_help, write_stdout};
use folio::{Config, Engine, Error, ErrorKind, Extern, Func, Linker, Store, TrapKind, Val};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

/// Where memories keep their bytes (`--store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// Core's heap store: one allocation, grown geometrically by copying.
    Heap,
    /// The virtual-reservation store of [`crate::reserve`]: grows in place.
    Reserve,
}

impl StoreKind {
    /// The default: `reserve` where it can reserve 4 GiB per memory (64-bit Unix).
    pub const DEFAULT: StoreKind = if cfg!(all(unix, target_pointer_width = "64")) {
        StoreKind::Reserve
    } else {
        StoreKind::Heap
    };
}

/// `folio run`'s command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// The module file.
    pub file: PathBuf,
    /// `--invoke NAME`.
    pub invoke: Option<String>,
    /// ARGS, unparsed: their types come from the function.
    pub args: Vec<String>,
    /// `--max-memory`, in bytes.
    pub max_memory: Option<u64>,
    /// `--trace-grow`.
    pub trace_grow: bool,
    /// `--fuel`.
    pub fuel: Option<u64>,
    /// `--stack-depth`.
    pub stack_depth: Option<u32>,
    /// `--store`.
    pub store: StoreKind,
}

/// Reads `folio run`'s arguments; `None` when `--help` was asked for (and printed).
///
/// # Errors
/// A usage failure: unknown option, missing or bad value, no FILE.
pub fn parse(argv: Vec<OsString>) -> Result<Option<RunOptions>, Failure> {
    let mut file = None;
    let mut opts = RunOptions {
        file: PathBuf::new(),
        invoke: None,
        args: Vec::new(),
        max_memory: None,
        trace_grow: false,
        fuel: None,
        stack_depth: None,
        store: StoreKind::DEFAULT,
    };
    let mut items = args::split(argv).into_iter();
    while let Some(item) = items.next() {
        match item {
            Arg::Option { name, inline } => match name.as_str() {
                "--help" => {
                    write_stdout(&run_help())?;
                    return Ok(None);
                }
                "--invoke" => opts.invoke = Some(args::option_value(&name, inline, &mut items)?),
                "--max-memory" => {
                    let v = args::option_value(&name, inline, &mut items)?;
                    opts.max_memory = Some(args::parse_size(&name, &v)?);
                }
                "--trace-grow" => {
                    args::no_value(&name, inline)?;
                    opts.trace_grow = true;
                }
                "--fuel" => {
                    let v = args::option_value(&name, inline, &mut items)?;
                    opts.fuel = Some(args::parse_count(&name, &v)?);
                }
                "--stack-depth" => {
                    let v = args::option_value(&name, inline, &mut items)?;
                    let depth = args::parse_count(&name, &v)?;
                    let depth = u32::try_from(depth)
                        .ok()
                        .filter(|&d| d > 0)
                        .ok_or_else(|| {
                            Failure::error(format!(
                                "invalid value `{v}` for `--stack-depth`: expected 1 ..= {}",
                                u32::MAX
                            ))
                        })?;
                    opts.stack_depth = Some(depth);
                }
                "--store" => {
                    let v = args::option_value(&name, inline, &mut items)?;
                    opts.store = match v.as_str() {
                        "heap" => StoreKind::Heap,
                        "reserve" if cfg!(unix) => StoreKind::Reserve,
                        "reserve" => {
                            return Err(Failure::error("`--store reserve` needs a Unix host"));
                        }
                        _ => {
                            return Err(Failure::error(format!(
                                "invalid value `{v}` for `--store`: expected `heap` or `reserve`"
                            )));
                        }
                    };
                }
                _ => {
                    return Err(Failure::error(format!(
                        "unknown option `{name}` for `folio run` (see `folio --help`)"
                    )));
                }
            },
            Arg::Positional(p) if file.is_none() => file = Some(PathBuf::from(p)),
            Arg::Positional(p) => opts.args.push(
                p.into_string()
                    .map_err(|p| Failure::error(format!("argument {p:?} is not valid UTF-8")))?,
            ),
        }
    }
    opts.file =
        file.ok_or_else(|| Failure::error("`folio run` needs a FILE (see `folio --help`)"))?;
    Ok(Some(opts))
}

/// Runs `folio run` with the arguments after `run`.
///
/// # Errors
/// Every failure, with its exit code (see the [module docs](super)).
pub fn main(argv: Vec<OsString>) -> Result<(), Failure> {
    match parse(argv)? {
        Some(opts) => {
            let output = execute(&opts)?;
            write_stdout(&output)
        }
        None => Ok(()),
    }
}

/// Runs the module as `opts` says; returns what to print on stdout (the results, one per
/// line). The grow trace, if asked for, goes to stderr as it happens.
///
/// # Errors
/// Every failure, with its exit code.
pub fn execute(opts: &RunOptions) -> Result<String, Failure> {
    let trace = opts
        .trace_grow
        .then(|| SharedTrace::new(Box::new(std::io::stderr())));

    let mut config = Config::default();
    if let Some(depth) = opts.stack_depth {
        config.max_call_depth(depth);
    }
    if opts.fuel.is_some() {
        config.consume_fuel(true);
    }
    if opts.store == StoreKind::Reserve {
        set_reserve_store(&mut config, opts, trace.as_ref());
    }
    let engine = Engine::new(&config);
    let module = load_module(&engine, &opts.file)?;

    let mut store = Store::new(&engine, ());
    if let Some(fuel) = opts.fuel {
        store.set_fuel(fuel);
    }
    if opts.max_memory.is_some() || trace.is_some() {
        store.set_limiter(HostLimiter::new(opts.max_memory, trace.clone()));
    }

    let instance = Linker::new()
        .instantiate(&mut store, &module)
        .map_err(|e| failure(&e, opts, "while instantiating"))?;

    let (name, func) = match &opts.invoke {
        Some(name) => match instance.get_export(&store, name) {
            Some(Extern::Func(f)) => (name.as_str(), f),
            Some(other) => {
                let kind = match other {
                    Extern::Table(_) => "a table",
                    Extern::Memory(_) => "a memory",
                    Extern::Global(_) => "a global",
                    Extern::Func(_) => "a function",
                };
                return Err(Failure::error(format!(
                    "export `{name}` is {kind}, not a function"
                )));
            }
            None => {
                let funcs: Vec<String> = instance
                    .exports(&store)
                    .into_iter()
                    .filter(|(_, e)| matches!(e, Extern::Func(_)))
                    .map(|(n, _)| n)
                    .collect();
                let known = if funcs.is_empty() {
                    "none".to_string()
                } else {
                    funcs.join(", ")
                };
                return Err(Failure::error(format!(
                    "unknown export `{name}` (exported functions: {known})"
                )));
            }
        },
        None => match instance.get_func(&store, "_start") {
            Some(f) => ("_start", f),
            None if opts.args.is_empty() => return Ok(String::new()),
            None => {
                return Err(Failure::error(
                    "ARGS given but the module exports no `_start`: name the function with `--invoke NAME`",
                ));
            }
        },
    };

    let results = call(&mut store, func, name, &opts.args).map_err(|e| match e {
        CallError::Usage(f) => f,
        CallError::Wasm(e) => failure(&e, opts, &format!("in `{name}`")),
    });
    let results = results?;
    let mut out = String::new();
    for v in &results {
        out.push_str(&format_val(v));
        out.push('\n');
    }
    Ok(out)
}

/// Why a call failed: our side (the arguments) or the call itself.
enum CallError {
    Usage(Failure),
    Wasm(Error),
}

/// Calls `func` with `args` read by its parameter types.
fn call(
    store: &mut Store<()>,
    func: Func,
    name: &str,
    args: &[String],
) -> Result<Vec<Val>, CallError> {
    let ty = func.ty(store).map_err(CallError::Wasm)?;
    if args.len() != ty.params().len() {
        let params: Vec<String> = ty.params().iter().map(ToString::to_string).collect();
        let takes = match params.len() {
            0 => "no arguments".to_string(),
            1 => format!("1 argument ({})", params[0]),
            n => format!("{n} arguments ({})", params.join(", ")),
        };
        return Err(CallError::Usage(Failure::error(format!(
            "`{name}` takes {takes}, got {}",
            args.len()
        ))));
    }
    let mut vals = Vec::with_capacity(args.len());
    for (i, (arg, ty)) in args.iter().zip(ty.params()).enumerate() {
        let v = parse_val(arg, *ty, store).map_err(|why| {
            CallError::Usage(Failure::error(format!(
                "argument {} of `{name}`: {why}",
                i + 1
            )))
        })?;
        vals.push(v);
    }
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(store, &vals, &mut results)
        .map_err(CallError::Wasm)?;
    Ok(results)
}

/// The failure for an error of the embedder API, `context` saying where it happened.
fn failure(e: &Error, opts: &RunOptions, context: &str) -> Failure {
    match e.kind() {
        ErrorKind::Trap(t) => {
            let hint = match (t.kind(), opts.fuel, opts.stack_depth) {
                (TrapKind::OutOfFuel, Some(fuel), _) => format!(" (--fuel {fuel})"),
                (TrapKind::StackExhausted, _, Some(depth)) => format!(" (--stack-depth {depth})"),
                (TrapKind::StackExhausted, _, None) => {
                    " (raise the limit with --stack-depth)".to_string()
                }
                _ => String::new(),
            };
            Failure::trap(format!("trap {context}: {t}{hint}"))
        }
        ErrorKind::Link(_) => Failure::error(format!("{e} (folio run provides no imports)")),
        _ => Failure::error(format!("{e}")),
    }
}

#[cfg(unix)]
fn set_reserve_store(config: &mut Config, opts: &RunOptions, trace: Option<&SharedTrace>) {
    let mut factory = crate::reserve::ReserveFactory::new();
    if let Some(limit) = opts.max_memory {
        factory = factory.with_host_limit(limit);
    }
    if let Some(trace) = trace.cloned() {
        factory = factory.with_observer(move |event| trace.lock().reserve_event(event));
    }
    config.page_store(Arc::new(factory));
}

#[cfg(not(unix))]
fn set_reserve_store(_: &mut Config, _: &RunOptions, _: Option<&SharedTrace>) {}
