//! `folio run [OPTIONS] FILE [ARGS]...`: instantiate a module (running its start
//! function), then call `--invoke NAME` (or `_start` when the module exports it), and print
//! its results one per line.
//!
//! The module may import WASI preview 1 ([`crate::wasi`]): argv is FILE as written
//! followed by ARGS, the environment is exactly the `--env` variables, the `--dir`
//! directories are preopened, and stdin, stdout and stderr are folio's own. Anything else
//! it imports fails to link with the name of the first such import. The options are
//! [`RunArgs`]'s; how values are read and printed is in [`super::args`]; the grow trace
//! in [`super::trace`].
//!
//! Decided here:
//! - Options go before FILE; everything after FILE is ARGS, even what starts with `-` or
//!   `--` (wasmtime's convention: `folio run m.wasm --foo -1` gives the module `--foo`
//!   and `-1`). ARGS are kept as the operating system gave them ([`OsString`]); those
//!   read as Wasm values must be UTF-8.
//! - `--dir HOST[::GUEST]` splits at the first `::`, as wasmtime does; only the syntax is
//!   checked here (an empty HOST or GUEST is a usage error), whether HOST exists when
//!   running. `--env NAME` without `=VALUE` takes NAME's value from folio's own
//!   environment, and is left out when folio's environment has no NAME.
//! - Without `--invoke`, `_start` is called: a WASI command's `_start` reads ARGS through
//!   `args_get`; the `_start` of a module that does not import WASI takes ARGS as its
//!   parameters. ARGS without a function to take them are a usage error rather than
//!   silently ignored. With `--invoke`, ARGS are the function's parameters (and also the
//!   guest's argv, should it ask).
//! - `proc_exit(n)` ends folio with status `n` for `n` in 0..=125, printing nothing more
//!   (not even the results of `--invoke`). A status of 126 or more is refused as wasmtime
//!   refuses it: one `error:` line and exit 1, since shells give those codes their own
//!   meaning. So exit 1 is either `proc_exit(1)` or a trap; only a trap prints `error:`.
//! - `--max-memory` is a limiter ([`HostLimiter`]) asked on every creation and grow of a
//!   memory or a table (a table's elements at 8 bytes each); a memory or table whose
//!   initial size is above it cannot be allocated (exit 2), a grow past it returns -1 to
//!   the guest.
//! - `--store reserve` is the default on 64-bit Unix: memories reserve their maximum as
//!   address space and grow in place ([`crate::reserve`]); elsewhere the heap.
//! - An exception that no `try_table` catches ends the run as a trap does (exit 1), with
//!   its tag and payload: `error: uncaught exception in `f`: tag "oops" [i32 42]` (the
//!   tag by its export name, else the name it is imported by, else its index).

use super::args::{self, format_val, parse_val};
use super::load::load_module;
use super::trace::{HostLimiter, SharedTrace};
use super::{Command, EXIT_CODES_HELP, Failure, usage_failure, write_stdout};
use crate::wasi::{self, WasiCtx};
use folio::{Config, Engine, Error, ErrorKind, Extern, Func, Linker, Module, Store, TrapKind, Val};
use std::ffi::{OsStr, OsString};
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

/// What `folio run` is asked to do: its command line, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// The module file.
    pub file: PathBuf,
    /// `--invoke NAME`.
    pub invoke: Option<String>,
    /// ARGS, everything after FILE, as the operating system gave them: read as Wasm
    /// values by the parameter types of the function called.
    pub args: Vec<OsString>,
    /// `--max-memory`, in bytes.
    pub max_memory: Option<u64>,
    /// `--trace-grow`.
    pub trace_grow: bool,
    /// `--fuel`.
    pub fuel: Option<u64>,
    /// `--stack-depth`.
    pub stack_depth: Option<u32>,
    /// `--store`, or [`StoreKind::DEFAULT`].
    pub store: StoreKind,
    /// `--dir HOST[::GUEST]`, in order: the host directory and the name the guest sees.
    pub dirs: Vec<(PathBuf, String)>,
    /// `--env NAME[=VALUE]`, in order: the guest's environment variables.
    pub envs: Vec<(String, String)>,
}

/// `folio run`'s command line as `clap` reads it; [`RunArgs::into_options`] makes the
/// [`RunOptions`] that [`execute`] takes. The doc comments are the `--help` text.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct RunArgs {
    /// Call export NAME with ARGS and print its results, one per line
    ///
    /// Without it, `_start` is called if the module exports it.
    #[arg(long, value_name = "NAME")]
    pub invoke: Option<String>,

    /// Host limit per memory and per table, in bytes with an optional KiB, MiB or GiB suffix
    ///
    /// E.g. 192KiB, 2GiB: a larger memory cannot be allocated, a larger grow returns -1.
    /// A table's elements count 8 bytes each.
    // Negative numbers are values here, so that `--max-memory -1` is an invalid size
    // rather than an unknown option `-1`; the same for the counts below.
    #[arg(
        long,
        value_name = "SIZE",
        value_parser = parse_max_memory,
        allow_negative_numbers = true
    )]
    pub max_memory: Option<u64>,

    /// Print one line per memory grow on stderr
    ///
    /// Memory index, old size, delta, new size or `refused` and the limit that refused.
    #[arg(long)]
    pub trace_grow: bool,

    /// Trap with `all fuel consumed` after N units of fuel
    #[arg(
        long,
        value_name = "N",
        value_parser = parse_fuel,
        allow_negative_numbers = true
    )]
    pub fuel: Option<u64>,

    /// Most Wasm call frames at once [default: 10000]
    #[arg(
        long,
        value_name = "N",
        value_parser = parse_stack_depth,
        allow_negative_numbers = true
    )]
    pub stack_depth: Option<u32>,

    /// Where memory bytes live: `heap` or `reserve`
    ///
    /// `heap`: the allocator, grows by copying. `reserve`: reserved address space, grows
    /// in place; the default on 64-bit Unix.
    #[arg(long, value_name = "heap|reserve", value_parser = parse_store)]
    pub store: Option<StoreKind>,

    /// Give the module the host directory HOST, named GUEST (default: HOST as written)
    ///
    /// WASI preopen; may be repeated. The name is split at the first `::`.
    #[arg(long = "dir", value_name = "HOST[::GUEST]", value_parser = parse_dir)]
    pub dirs: Vec<(PathBuf, String)>,

    /// Set the module's environment variable NAME
    ///
    /// WASI environment; may be repeated. Without `=VALUE`, NAME takes its value from
    /// folio's own environment, and is left out when folio's environment has no NAME.
    #[arg(long = "env", value_name = "NAME[=VALUE]", value_parser = parse_env)]
    pub envs: Vec<(String, Option<String>)>,

    /// The module (a binary .wasm or a text .wat file), then ARGS for it
    ///
    /// Everything after FILE is ARGS, even what starts with `-`: options go before FILE.
    /// A WASI program (one that imports `wasi_snapshot_preview1`) gets FILE and ARGS as its
    /// argv; a function called with `--invoke`, or the `_start` of a module without WASI,
    /// takes ARGS as Wasm values by its parameter types (see below).
    // One positional, as wasmtime has it: with FILE on its own, clap would still take an
    // option of folio's right after FILE (`m.wasm --invoke f`) instead of giving it to
    // the module.
    #[arg(
        value_names = ["FILE", "ARGS"],
        trailing_var_arg = true,
        required = true,
        num_args = 1..
    )]
    pub file_and_args: Vec<OsString>,
}

impl RunArgs {
    /// The options these arguments ask for: defaults filled in, `--env NAME` looked up
    /// in folio's environment.
    ///
    /// # Errors
    /// A usage failure when folio's value of an `--env NAME` is not valid UTF-8.
    pub fn into_options(self) -> Result<RunOptions, Failure> {
        let mut envs = Vec::with_capacity(self.envs.len());
        for (name, value) in self.envs {
            let value = match value {
                Some(value) => value,
                None => match std::env::var(&name) {
                    Ok(value) => value,
                    Err(std::env::VarError::NotPresent) => continue,
                    Err(std::env::VarError::NotUnicode(_)) => {
                        return Err(Failure::error(format!(
                            "`--env {name}`: folio's value of {name} is not valid UTF-8"
                        )));
                    }
                },
            };
            envs.push((name, value));
        }
        let mut file_and_args = self.file_and_args.into_iter();
        let file = file_and_args
            .next()
            .ok_or_else(|| Failure::error("`folio run` needs a FILE (see `folio run --help`)"))?;
        Ok(RunOptions {
            file: PathBuf::from(file),
            invoke: self.invoke,
            args: file_and_args.collect(),
            max_memory: self.max_memory,
            trace_grow: self.trace_grow,
            fuel: self.fuel,
            stack_depth: self.stack_depth,
            store: self.store.unwrap_or(StoreKind::DEFAULT),
            dirs: self.dirs,
            envs,
        })
    }
}

/// What `folio run --help` says after the options: how ARGS are read and results
/// printed, and the exit codes.
pub fn after_help() -> String {
    format!(
        "\
Options go before FILE: everything after FILE is ARGS, even `--invoke` or `-1`.

WASI: a module that imports `wasi_snapshot_preview1` gets it (all of preview 1): argv is
FILE as written and ARGS, the environment is only what --env gives, the directories of
--dir are all it can reach (cap-std resolves its paths beneath them), stdio is folio's, and
its `proc_exit` status is folio's exit status.

As Wasm values (--invoke, or the `_start` of a module without WASI), ARGS are read by the
function's parameter types: integers in decimal or 0x hex, negative allowed; floats in
decimal or as inf, -inf, nan, nan:0xPAYLOAD, -0; references as `null` (an externref may
also be an integer, passed as a host object). Results print as i32/i64 in signed decimal,
floats in shortest round-trip form, references as null, ref.func or ref.extern.

{EXIT_CODES_HELP}"
    )
}

fn parse_max_memory(s: &str) -> Result<u64, Failure> {
    args::parse_size("--max-memory", s)
}

fn parse_fuel(s: &str) -> Result<u64, Failure> {
    args::parse_count("--fuel", s)
}

fn parse_stack_depth(s: &str) -> Result<u32, Failure> {
    let depth = args::parse_count("--stack-depth", s)?;
    u32::try_from(depth).ok().filter(|&d| d > 0).ok_or_else(|| {
        Failure::error(format!(
            "invalid value `{s}` for `--stack-depth`: expected 1 ..= {}",
            u32::MAX
        ))
    })
}

fn parse_store(s: &str) -> Result<StoreKind, Failure> {
    match s {
        "heap" => Ok(StoreKind::Heap),
        "reserve" if cfg!(unix) => Ok(StoreKind::Reserve),
        "reserve" => Err(Failure::error("`--store reserve` needs a Unix host")),
        _ => Err(Failure::error(format!(
            "invalid value `{s}` for `--store`: expected `heap` or `reserve`"
        ))),
    }
}

/// `HOST[::GUEST]`, split at the first `::`.
fn parse_dir(s: &str) -> Result<(PathBuf, String), Failure> {
    let (host, guest) = s.split_once("::").unwrap_or((s, s));
    if host.is_empty() || guest.is_empty() {
        let which = if host.is_empty() { "HOST" } else { "GUEST" };
        return Err(Failure::error(format!(
            "invalid value `{s}` for `--dir`: expected HOST[::GUEST], {which} is empty"
        )));
    }
    Ok((PathBuf::from(host), guest.to_string()))
}

/// `NAME=VALUE`, split at the first `=`, or `NAME` alone.
fn parse_env(s: &str) -> Result<(String, Option<String>), Failure> {
    let (name, value) = match s.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (s, None),
    };
    if name.is_empty() {
        return Err(Failure::error(format!(
            "invalid value `{s}` for `--env`: expected NAME=VALUE or NAME, NAME is empty"
        )));
    }
    Ok((name.to_string(), value))
}

/// Reads `folio run`'s arguments (those after `run`), as the `folio` command does.
///
/// # Errors
/// A usage failure: unknown option, missing or bad value, no FILE; also `--help`, whose
/// text the `folio` command prints instead.
pub fn parse<I, T>(argv: I) -> Result<RunOptions, Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let argv = [OsString::from("folio"), OsString::from("run")]
        .into_iter()
        .chain(argv.into_iter().map(Into::into));
    match super::parse(argv) {
        Ok(Command::Run(args)) => args.into_options(),
        Ok(_) => Err(Failure::error("not a `folio run` command line")),
        Err(e) => Err(usage_failure(&e, Some("run"))),
    }
}

/// Runs `folio run`: executes the module and prints its results. Returns the exit code:
/// 0, or the status the program gave `proc_exit`.
///
/// # Errors
/// Every failure, with its exit code (see the [module docs](super)).
pub fn main(args: RunArgs) -> Result<u8, Failure> {
    let opts = args.into_options()?;
    let ran = execute(&opts)?;
    write_stdout(&ran.output)?;
    Ok(ran.exit_status)
}

/// What a run that did not fail produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// What to print on stdout: the called function's results, one per line (nothing when
    /// the program exited through `proc_exit`).
    pub output: String,
    /// The exit status: 0, or what the program passed to `proc_exit` (0 ..= 125).
    pub exit_status: u8,
}

/// The highest status `proc_exit` can pass on to folio's own exit status. Shells give 126
/// and up their own meanings (not executable, not found, killed by a signal): wasmtime
/// refuses them with an error, and so does folio.
pub const MAX_EXIT_STATUS: u32 = 125;

/// Runs the module as `opts` says: instantiates it with WASI (its arguments, environment,
/// preopened directories and the process's stdio) and calls the function. The grow trace,
/// if asked for, goes to stderr as it happens; the guest's output goes straight to
/// folio's stdout and stderr.
///
/// # Errors
/// Every failure, with its exit code.
pub fn execute(opts: &RunOptions) -> Result<Ran, Failure> {
    let trace = opts
        .trace_grow
        .then(|| SharedTrace::new(Box::new(std::io::stderr())));

    let mut config = Config::default();
    config.thread_parker(crate::threads::new_parker);
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

    let mut store = Store::new(&engine, wasi_context(opts)?);
    if let Some(fuel) = opts.fuel {
        // (The engine consumes fuel when `--fuel` is given: this does not fail.)
        store
            .set_fuel(fuel)
            .map_err(|e| Failure::error(format!("--fuel: {e}")))?;
    }
    if opts.max_memory.is_some() || trace.is_some() {
        store.set_limiter(HostLimiter::new(opts.max_memory, trace.clone()));
    }

    let mut linker = Linker::new();
    // (An empty linker: no name is taken yet.)
    wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)
        .map_err(|e| Failure::error(format!("cannot define WASI: {e}")))?;
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(instance) => instance,
        // A start function may exit too.
        Err(e) => {
            return exited(&e).unwrap_or_else(|| Err(failure(&e, opts, "while instantiating")));
        }
    };

    let (name, func) = match &opts.invoke {
        Some(name) => match instance.get_export(&store, name) {
            Some(Extern::Func(f)) => (name.as_str(), f),
            Some(other) => {
                let kind = match other {
                    Extern::Table(_) => "a table",
                    Extern::Memory(_) => "a memory",
                    Extern::Global(_) => "a global",
                    Extern::Tag(_) => "a tag",
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
            None if opts.args.is_empty() => return Ok(Ran::done(String::new())),
            None => {
                return Err(Failure::error(
                    "ARGS given but the module exports no `_start`: name the function with `--invoke NAME` before FILE",
                ));
            }
        },
    };

    // `_start` of a WASI command reads ARGS through `args_get`; any other function takes
    // them as its parameters.
    let values: &[OsString] = if opts.invoke.is_none() && is_wasi_command(&module) {
        &[]
    } else {
        &opts.args
    };
    let results = match call(&mut store, func, name, values) {
        Ok(results) => results,
        Err(CallError::Usage(f)) => return Err(f),
        Err(CallError::Wasm(e)) => {
            return exited(&e).unwrap_or_else(|| Err(failure(&e, opts, &format!("in `{name}`"))));
        }
    };
    let mut out = String::new();
    for v in &results {
        out.push_str(&format_val(v));
        out.push('\n');
    }
    Ok(Ran::done(out))
}

impl Ran {
    fn done(output: String) -> Ran {
        Ran {
            output,
            exit_status: 0,
        }
    }
}

/// Whether `module` imports WASI: its `_start` is then a command's entry point, which takes
/// its arguments through `args_get` rather than as parameters.
fn is_wasi_command(module: &Module) -> bool {
    module.imports().any(|(m, _, _)| m == wasi::MODULE)
}

/// The WASI context of the run: argv is FILE as given followed by ARGS; the environment is
/// exactly the `--env` variables; the `--dir` directories are preopened; stdio is folio's.
fn wasi_context(opts: &RunOptions) -> Result<WasiCtx, Failure> {
    let mut builder = WasiCtx::builder()
        .arg(opts.file.as_os_str())
        .args(&opts.args)
        .inherit_stdio();
    for (name, value) in &opts.envs {
        builder = builder.env(name, value);
    }
    for (host, guest) in &opts.dirs {
        builder = builder.preopened_dir(host, guest.as_str()).map_err(|e| {
            Failure::error(format!(
                "cannot open directory `{}` for `--dir`: {e}",
                host.display()
            ))
        })?;
    }
    Ok(builder.build())
}

/// The outcome of a program that called `proc_exit`, or `None` when `e` is not an exit.
fn exited(e: &Error) -> Option<Result<Ran, Failure>> {
    let status = e.as_trap()?.exit_status()? as u32;
    Some(match u8::try_from(status) {
        Ok(code) if u32::from(code) <= MAX_EXIT_STATUS => Ok(Ran {
            output: String::new(),
            exit_status: code,
        }),
        _ => Err(Failure::trap(format!(
            "the program exited with status {status}, outside the 0..={MAX_EXIT_STATUS} a command can report"
        ))),
    })
}

/// Why a call failed: our side (the arguments) or the call itself.
enum CallError {
    Usage(Failure),
    Wasm(Error),
}

/// Calls `func` with `args` read by its parameter types.
fn call<T>(
    store: &mut Store<T>,
    func: Func,
    name: &str,
    args: &[OsString],
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
        let arg = utf8(arg).map_err(|why| {
            CallError::Usage(Failure::error(format!(
                "argument {} of `{name}`: {why}",
                i + 1
            )))
        })?;
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

/// An argument read as a Wasm value: it must be text.
fn utf8(arg: &OsStr) -> Result<&str, String> {
    arg.to_str()
        .ok_or_else(|| format!("{arg:?} is not valid UTF-8"))
}

/// The failure for an error of the embedder API, `context` saying where it happened.
fn failure(e: &Error, opts: &RunOptions, context: &str) -> Failure {
    match e.kind() {
        // An exception no `try_table` caught: not a trap of the guest's, but a call that
        // ends with one (exit code 1), its tag and payload after the context.
        ErrorKind::Trap(t) if t.kind() == TrapKind::UncaughtException => {
            let text = t.to_string();
            let detail = text
                .strip_prefix(TrapKind::UncaughtException.message())
                .unwrap_or(&text);
            Failure::trap(format!("uncaught exception {context}{detail}"))
        }
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
        ErrorKind::Link(_) => {
            Failure::error(format!("{e} (folio run provides only `{}`)", wasi::MODULE))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(argv: &[&str]) -> RunOptions {
        match parse(argv) {
            Ok(opts) => opts,
            Err(e) => panic!("{argv:?}: {e}"),
        }
    }

    fn parse_err(argv: &[&str]) -> String {
        match parse(argv) {
            Ok(opts) => panic!("{argv:?} parsed: {opts:?}"),
            Err(e) => {
                assert_eq!(e.code, super::super::EXIT_ERROR, "{argv:?}");
                e.to_string()
            }
        }
    }

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse_ok(&["m.wasm"]),
            RunOptions {
                file: PathBuf::from("m.wasm"),
                invoke: None,
                args: Vec::new(),
                max_memory: None,
                trace_grow: false,
                fuel: None,
                stack_depth: None,
                store: StoreKind::DEFAULT,
                dirs: Vec::new(),
                envs: Vec::new(),
            }
        );
    }

    #[test]
    fn every_option_in_both_forms() {
        for argv in [
            &[
                "--invoke",
                "f",
                "--max-memory",
                "2MiB",
                "--trace-grow",
                "--fuel",
                "0x10",
                "--stack-depth",
                "7",
                "--store",
                "heap",
                "m.wat",
                "1",
                "2",
            ][..],
            &[
                "--invoke=f",
                "--max-memory=2MiB",
                "--trace-grow",
                "--fuel=0x10",
                "--stack-depth=7",
                "--store=heap",
                "m.wat",
                "1",
                "2",
            ],
        ] {
            let opts = parse_ok(argv);
            assert_eq!(opts.file, PathBuf::from("m.wat"));
            assert_eq!(opts.invoke.as_deref(), Some("f"));
            assert_eq!(opts.args, os(&["1", "2"]));
            assert_eq!(opts.max_memory, Some(2 << 20));
            assert!(opts.trace_grow);
            assert_eq!(opts.fuel, Some(16));
            assert_eq!(opts.stack_depth, Some(7));
            assert_eq!(opts.store, StoreKind::Heap);
        }
    }

    #[test]
    fn everything_after_file_is_the_modules() {
        let opts = parse_ok(&["--invoke", "f", "m.wasm", "-1", "--foo", "--invoke", "g"]);
        assert_eq!(opts.invoke.as_deref(), Some("f"));
        assert_eq!(opts.args, os(&["-1", "--foo", "--invoke", "g"]));
        for after in [
            &["--help"][..],
            &["-h"],
            &["--version"],
            &["--"],
            &["--", "x"],
            &["--fuel", "3"],
        ] {
            let argv: Vec<&str> = ["m.wasm"].iter().chain(after).copied().collect();
            let opts = parse_ok(&argv);
            assert_eq!(opts.args, os(after), "{argv:?}");
            assert_eq!(opts.fuel, None, "{argv:?}");
        }
        // `--` before FILE ends folio's options.
        let opts = parse_ok(&["--", "--m.wasm", "x"]);
        assert_eq!(opts.file, PathBuf::from("--m.wasm"));
        assert_eq!(opts.args, os(&["x"]));
    }

    #[cfg(unix)]
    #[test]
    fn arguments_are_kept_as_bytes() {
        use std::os::unix::ffi::OsStringExt;
        let odd = OsString::from_vec(vec![b'a', 0xff, b'b']);
        let argv = [OsString::from("m.wasm"), odd.clone()];
        let opts = match parse(argv) {
            Ok(opts) => opts,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(opts.args, [odd]);
        let ok = OsString::from("m");
        assert_eq!(utf8(&ok), Ok("m"));
        assert!(utf8(&OsString::from_vec(vec![0xff])).is_err());
    }

    #[test]
    fn dirs_split_at_the_first_double_colon() {
        let opts = parse_ok(&[
            "--dir",
            "data",
            "--dir=/tmp/x::/sandbox",
            "--dir",
            "a::b::c",
            "--dir",
            "C:\\in::in",
            "m.wasm",
        ]);
        assert_eq!(
            opts.dirs,
            [
                (PathBuf::from("data"), "data".to_string()),
                (PathBuf::from("/tmp/x"), "/sandbox".to_string()),
                (PathBuf::from("a"), "b::c".to_string()),
                (PathBuf::from("C:\\in"), "in".to_string()),
            ]
        );
        assert!(parse_err(&["--dir", "::g", "m.wasm"]).contains("HOST is empty"));
        assert!(parse_err(&["--dir", "h::", "m.wasm"]).contains("GUEST is empty"));
        assert!(parse_err(&["--dir=", "m.wasm"]).contains("HOST is empty"));
        assert!(parse_err(&["--dir", "::", "m.wasm"]).contains("invalid value `::` for `--dir`"));
        assert!(parse_err(&["--dir"]).contains("option `--dir` needs a value"));
    }

    #[test]
    fn envs_with_values_and_from_folios_environment() {
        let opts = parse_ok(&[
            "--env",
            "A=1",
            "--env=B=",
            "--env",
            "C=x=y",
            "--env",
            "D= spaced ",
            "m.wasm",
        ]);
        assert_eq!(
            opts.envs,
            [
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), String::new()),
                ("C".to_string(), "x=y".to_string()),
                ("D".to_string(), " spaced ".to_string()),
            ]
        );
        // `--env NAME`: folio's own value, or nothing when folio has none. (The test reads
        // the environment rather than setting it: `set_var` is unsafe with threads.)
        let unset = "FOLIO_TEST_SURELY_UNSET_7f3a";
        assert!(std::env::var_os(unset).is_none());
        let set = std::env::vars_os().find_map(|(name, value)| {
            let name = name.into_string().ok()?;
            let value = value.into_string().ok()?;
            (!name.is_empty() && !name.contains('=')).then_some((name, value))
        });
        let name = set.as_ref().map_or("Y", |(name, _)| name.as_str());
        let opts = parse_ok(&["--env", unset, "--env", name, "--env", "Z=9", "m.wasm"]);
        let mut expected: Vec<(String, String)> = set.into_iter().collect();
        expected.push(("Z".to_string(), "9".to_string()));
        assert_eq!(opts.envs, expected);
        assert!(parse_err(&["--env", "=1", "m.wasm"]).contains("NAME is empty"));
        assert!(parse_err(&["--env=", "m.wasm"]).contains("NAME is empty"));
    }

    #[test]
    fn the_last_of_a_repeated_option_wins() {
        let opts = parse_ok(&[
            "--fuel",
            "1",
            "--fuel=2",
            "--store=heap",
            "--store",
            "reserve",
            "m",
        ]);
        assert_eq!(opts.fuel, Some(2));
        if cfg!(unix) {
            assert_eq!(opts.store, StoreKind::Reserve);
        }
    }

    #[test]
    fn usage_errors_are_one_line() {
        for (argv, message) in [
            (&[][..], "`folio run` needs a FILE (see `folio run --help`)"),
            (&["--fuel", "3"], "`folio run` needs a FILE"),
            (
                &["--invoke"],
                "option `--invoke` needs a value (see `folio run --help`)",
            ),
            (
                &["--frobnicate", "m"],
                "unknown option `--frobnicate` for `folio run`",
            ),
            (
                &["--trace-grow=yes", "m"],
                "option `--trace-grow` takes no value, got `yes`",
            ),
            (&["--fuel", "-5", "m"], "invalid value `-5` for `--fuel`"),
            (
                &["--stack-depth=0", "m"],
                "invalid value `0` for `--stack-depth`",
            ),
            (
                &["--max-memory", "lots", "m"],
                "invalid size `lots` for `--max-memory`",
            ),
            (&["--store", "disk", "m"], "expected `heap` or `reserve`"),
        ] {
            let message_got = parse_err(argv);
            assert!(message_got.contains(message), "{argv:?}: {message_got}");
            assert!(!message_got.contains('\n'), "{argv:?}: {message_got}");
        }
    }
}
