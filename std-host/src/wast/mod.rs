//! The `.wast` script driver, shared by `folio wast` and the spec-test harness.
//!
//! A script is parsed with the `wast` crate and run directive by directive against one
//! [`Store`] holding the [`spectest`] module. Every directive counts once, as passed or
//! failed; a failure names `file:line:col`, the directive, and what was
//! expected against what happened. A directive that panics inside Folio is caught and
//! counted as a failure (`panicked at …`): a panic is a bug, and one bug should not hide
//! the rest of the file.
//!
//! What each directive checks:
//!
//! | directive | passes when |
//! |---|---|
//! | `module` (text, `binary`, `quote`; optionally `$name`) | it encodes, [`Module::new`] accepts it and it instantiates |
//! | `module definition` / `module instance` | as `module`, split in its two halves |
//! | `register "name" $M?` | the instance exists; its exports become importable as `name` |
//! | `invoke` | the call returns without trapping |
//! | `assert_return` | results match: integers and non-NaN floats bit for bit, `nan:canonical` / `nan:arithmetic` by class, `ref.null`, `ref.func`, `ref.extern N` (the host object is the `u32` `N`), `either` |
//! | `assert_trap` (invoke, get, or module = "uninstantiable") | it traps and the trap's text contains the expected message |
//! | `assert_exhaustion` | the call traps and the trap's text contains the expected message |
//! | `assert_exception` | the call (or instantiation) ends with an exception no `try_table` caught |
//! | `assert_invalid` | [`Module::new`] rejects the module |
//! | `assert_malformed` | a `quote` (or text) module fails to parse in `wat`, or [`Module::new`] rejects the bytes |
//! | `assert_unlinkable` | the module is accepted but instantiation fails with a link error whose text contains the expected message |
//! | `thread $T (shared (module $M))? …` | every directive inside it passes (counted once, when joined) |
//! | `wait $T` | a thread `$T` of this script (or thread) is running: it is joined |
//!
//! Threads (the threads proposal's script format):
//!
//! - A `thread` starts at once on its own OS thread and runs its directives concurrently
//!   with the script and the other threads, against its own [`Store`] and [`Linker`] (with
//!   `spectest`) on the script's [`Engine`]: it sees no instance, registration or current
//!   module of the script. `(shared (module $M))` makes the instance `$M` of the
//!   enclosing script available as `$M` in the thread: its exported shared memories,
//!   made memories of the thread's store by [`Memory::shared`] and [`Memory::from_shared`],
//!   so `(register "mem" $M)` and imports of them work. Its other exports (functions,
//!   tables, globals, unshared memories) cannot leave their store: `invoke` / `get` of
//!   them, or instantiating a module that imports them, fails naming them.
//! - `wait $T` joins `$T` and counts once; the thread's `thread` directive counts then,
//!   failed when any directive in it failed, its message listing those (`line:col:
//!   directive: message`). Threads never waited for are joined, and counted, at the end.
//!   A thread's failure is reported at its `thread` directive, so failures are sorted by
//!   position.
//! - Threads nest: a thread's `thread` shares from the thread's instances, its `wait`
//!   joins the thread's own threads (names are per script or thread).
//! - A `wait` whose thread never ends (a `memory.atomic.wait` nobody notifies) hangs the
//!   script, as it would hang any engine.
//!
//! Decisions:
//!
//! - `assert_invalid` and `assert_malformed` do not compare messages: the expected text is
//!   the reference interpreter's, and wasmparser words its errors differently. Traps and
//!   link errors are compared (containment), because Folio's texts are the spec's.
//! - What Folio cannot do is a failure, never a skip: GC references, components,
//!   custom-section assertions. The harness records such
//!   files in its expected-failure list with the reason.
//! - `ref.extern N` arguments are host objects holding the `u32` `N`, created once per `N`
//!   and script, so equal `N` give equal references.
//! - A `module` that fails leaves no current module, so the directives that follow fail
//!   too instead of silently running against an older module.
#![forbid(unsafe_code)]

mod thread;
mod value;

#[cfg(test)]
mod tests;

use crate::spectest;
use folio::{
    Config, Engine, Error, ErrorKind, ExternRef, Instance, Linker, Memory, Module, Store, Val,
};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use wast::core::WastArgCore;
use wast::lexer::Lexer;
use wast::parser::{self, Cursor, Parse, ParseBuffer, Parser, Peek};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// How scripts are run.
#[derive(Clone, Default)]
pub struct WastOptions {
    /// The engine configuration (call depth, fuel, …).
    pub config: Config,
    /// Whether `spectest.print*` write their arguments to stdout.
    pub print: bool,
}

/// One failed directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The script's name as given to the driver.
    pub file: String,
    /// 1-based line of the directive.
    pub line: usize,
    /// 1-based column of the directive.
    pub col: usize,
    /// The directive, e.g. `assert_return (invoke "add")`.
    pub directive: String,
    /// What was expected and what happened.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.col, self.directive, self.message
        )
    }
}

/// The outcome of one script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WastReport {
    /// The script's name as given to the driver.
    pub file: String,
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed; as many as `failures`.
    pub failed: usize,
    /// Every failure, in script order.
    pub failures: Vec<Failure>,
}

impl WastReport {
    /// Whether every directive passed.
    pub fn all_passed(&self) -> bool {
        self.failed == 0
    }
}

/// A script that could not be run at all.
#[derive(Debug)]
pub enum ScriptError {
    /// The file could not be read (or is not UTF-8).
    Read {
        /// The path.
        file: String,
        /// Why.
        error: std::io::Error,
    },
    /// The script does not parse as `.wast`.
    Parse {
        /// The script's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// The `wast` crate's message.
        message: String,
    },
    /// The `spectest` module could not be set up.
    Setup {
        /// The script's name.
        file: String,
        /// Folio's error.
        error: Error,
    },
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptError::Read { file, error } => write!(f, "cannot read {file}: {error}"),
            ScriptError::Parse {
                file,
                line,
                col,
                message,
            } => write!(f, "{file}:{line}:{col}: cannot parse script: {message}"),
            ScriptError::Setup { file, error } => {
                write!(f, "{file}: cannot set up the spectest module: {error}")
            }
        }
    }
}

impl std::error::Error for ScriptError {}

/// Reads and runs the script at `path`.
///
/// # Errors
/// An unreadable file, or one that does not parse as a script. Failing directives are not
/// errors: they are in the report.
pub fn run_file(path: &Path, options: &WastOptions) -> Result<WastReport, ScriptError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| ScriptError::Read {
        file: name.clone(),
        error,
    })?;
    run_script(&name, &text, options)
}

/// Runs the script `text`, naming it `file` in failures.
///
/// # Errors
/// A script that does not parse as `.wast`, or a store that refuses the `spectest`
/// module's memory or table.
pub fn run_script(
    file: &str,
    text: &str,
    options: &WastOptions,
) -> Result<WastReport, ScriptError> {
    let parse_error = |e: wast::Error| {
        let (line, col) = e.span().linecol_in(text);
        ScriptError::Parse {
            file: file.to_string(),
            line: line + 1,
            col: col + 1,
            message: e.message(),
        }
    };
    let mut lexer = Lexer::new(text);
    // The suite's names.wast uses bidirectional-override characters in strings on purpose.
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).map_err(parse_error)?;
    let script = parser::parse::<Directives<'_>>(&buf).map_err(parse_error)?;

    let runner = Runner::new(options).map_err(|error| ScriptError::Setup {
        file: file.to_string(),
        error,
    })?;
    install_panic_hook();
    let script_ref = thread::Script { file, text };
    // Threads borrow the script's text: they run in a scope that joins them all.
    let outcome = std::thread::scope(|scope| {
        let mut runner = runner;
        thread::run_directives(scope, script_ref, &mut runner, script.0)
    });
    let mut failures = outcome.failures;
    // A thread's failures are known when it is joined: put them back in script order.
    failures.sort_by_key(|f| (f.line, f.col));
    Ok(WastReport {
        file: file.to_string(),
        passed: outcome.passed,
        failed: failures.len(),
        failures,
    })
}

/// A script's directives. The `wast` crate reads a file as directives only when it starts
/// with a directive it knows as one, which `thread` and `wait` are not (else the file is
/// one inline module): a script starting with them is read here.
struct Directives<'a>(Vec<WastDirective<'a>>);

impl<'a> Parse<'a> for Directives<'a> {
    fn parse(parser: Parser<'a>) -> wast::parser::Result<Self> {
        if !parser.peek2::<ThreadOrWait>()? {
            return Ok(Directives(parser.parse::<Wast<'a>>()?.directives));
        }
        // The annotations `Wast` registers for the modules in a script.
        let _annotations = [
            "custom",
            "producers",
            "name",
            "dylink.0",
            "metadata.code.branch_hint",
        ]
        .map(|a| parser.register_annotation(a));
        let mut directives = Vec::new();
        while !parser.is_empty() {
            directives.push(parser.parens(|p| p.parse())?);
        }
        Ok(Directives(directives))
    }
}

/// The keyword `thread` or `wait`.
struct ThreadOrWait;

impl Peek for ThreadOrWait {
    fn peek(cursor: Cursor<'_>) -> wast::parser::Result<bool> {
        Ok(matches!(cursor.keyword()?, Some(("thread" | "wait", _))))
    }

    fn display() -> &'static str {
        "`thread` or `wait`"
    }
}

thread_local! {
    /// Set while a directive runs: the panic hook then records instead of printing.
    static IN_DIRECTIVE: Cell<bool> = const { Cell::new(false) };
    /// Where the last caught panic happened.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that, inside a directive, records the panic's
/// location for the failure message instead of printing it; elsewhere it defers to the
/// hook that was installed before.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_DIRECTIVE.with(Cell::get) {
                let location = info.location().map(|l| l.to_string());
                PANIC_LOCATION.with(|p| *p.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into an `Err` naming its message and location.
fn catch_panic(f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    IN_DIRECTIVE.with(|d| d.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_DIRECTIVE.with(|d| d.set(false));
    result.unwrap_or_else(|payload| {
        let message = panic_message(payload.as_ref());
        let location = PANIC_LOCATION
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "unknown location".into());
        Err(format!(
            "panicked at {location}: {message} (a panic is a bug in Folio)"
        ))
    })
}

/// A panic's message, if it has a text one.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string payload)".into())
}

/// A short name for a directive: `assert_return (invoke "add")`.
fn describe(d: &WastDirective<'_>) -> String {
    fn id(id: Option<wast::token::Id<'_>>) -> String {
        id.map(|i| format!(" ${}", i.name())).unwrap_or_default()
    }
    fn exec(e: &WastExecute<'_>) -> String {
        match e {
            WastExecute::Invoke(i) => format!("(invoke{} {:?})", id(i.module), i.name),
            WastExecute::Wat(_) => "(module)".into(),
            WastExecute::Get { module, global, .. } => format!("(get{} {global:?})", id(*module)),
        }
    }
    match d {
        WastDirective::Module(m) => format!("module{}", id(m.name())),
        WastDirective::ModuleDefinition(m) => format!("module definition{}", id(m.name())),
        WastDirective::ModuleInstance {
            instance, module, ..
        } => format!("module instance{}{}", id(*instance), id(*module)),
        WastDirective::Register { name, module, .. } => format!("register {name:?}{}", id(*module)),
        WastDirective::Invoke(i) => format!("invoke{} {:?}", id(i.module), i.name),
        WastDirective::AssertReturn { exec: e, .. } => format!("assert_return {}", exec(e)),
        WastDirective::AssertTrap { exec: e, .. } => format!("assert_trap {}", exec(e)),
        WastDirective::AssertExhaustion { call, .. } => {
            format!(
                "assert_exhaustion (invoke{} {:?})",
                id(call.module),
                call.name
            )
        }
        WastDirective::AssertInvalid { .. } => "assert_invalid".into(),
        WastDirective::AssertMalformed { .. } => "assert_malformed".into(),
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable".into(),
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom".into(),
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom".into(),
        WastDirective::AssertException { .. } => "assert_exception".into(),
        WastDirective::AssertSuspension { .. } => "assert_suspension".into(),
        WastDirective::Thread(t) => format!("thread{}", id(Some(t.name))),
        WastDirective::Wait { thread, .. } => format!("wait{}", id(Some(*thread))),
    }
}

/// Why a module could not be had.
enum CompileError {
    /// The text did not parse or encode (`wat`'s message).
    Encode(String),
    /// [`Module::new`] rejected the bytes.
    Rejected(String),
    /// Not a core module (a component).
    Unsupported(String),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Encode(m) => write!(f, "module text does not parse: {m}"),
            CompileError::Rejected(m) => write!(f, "module rejected: {m}"),
            CompileError::Unsupported(m) => write!(f, "unsupported: {m}"),
        }
    }
}

/// Why an invocation or instantiation produced no values.
enum ExecError {
    /// It trapped; the trap's text.
    Trap(String),
    /// An exception no `try_table` caught; the trap's text (its tag and payload).
    Exception(String),
    /// Anything else: a missing export, a type error, a link error, an unsupported value.
    Other(String),
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecError::Trap(m) => write!(f, "trap \"{m}\""),
            ExecError::Exception(m) => write!(f, "{m}"),
            ExecError::Other(m) => write!(f, "error: {m}"),
        }
    }
}

impl From<Error> for ExecError {
    fn from(e: Error) -> ExecError {
        match e.as_trap() {
            Some(t) if t.exception().is_some() => ExecError::Exception(t.to_string()),
            Some(t) => ExecError::Trap(t.to_string()),
            None => ExecError::Other(e.to_string()),
        }
    }
}

impl From<CompileError> for ExecError {
    fn from(e: CompileError) -> ExecError {
        ExecError::Other(e.to_string())
    }
}

/// The state of one script run.
struct Runner {
    engine: Engine,
    /// Whether `spectest.print*` print (threads get the same `spectest`).
    print: bool,
    store: Store<()>,
    linker: Linker<()>,
    /// The most recent module instance: the target of unnamed `invoke`, `get`, `register`.
    current: Option<Instance>,
    /// Instances by `$name`, and in a thread the module shared into it.
    instances: HashMap<String, Named>,
    /// In a thread, the imports (registered name, field) that name an export of a shared
    /// module that stayed in the enclosing script, and why.
    stays: HashMap<(String, String), String>,
    /// `module definition`s by `$name`, and the last one.
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
    /// `ref.extern N` host objects, one per `N`.
    externrefs: HashMap<u32, ExternRef>,
}

impl Runner {
    fn new(options: &WastOptions) -> Result<Runner, Error> {
        // Waits block as on any std host.
        let mut config = options.config.clone();
        config.thread_parker(crate::threads::new_parker);
        Runner::with_engine(Engine::new(&config), options.print)
    }

    /// A runner with its own store and `spectest` on `engine` (a thread's shares the
    /// script's engine).
    fn with_engine(engine: Engine, print: bool) -> Result<Runner, Error> {
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new();
        // A script may register a name again: the later registration shadows.
        linker.allow_shadowing(true);
        spectest::define(&mut linker, &mut store, print)?;
        Ok(Runner {
            engine,
            print,
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            stays: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
            externrefs: HashMap::new(),
        })
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        use WastDirective as D;
        match directive {
            D::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                self.current = None;
                let module = self.compile(&mut module).map_err(|e| e.to_string())?;
                self.check_crossing(&module)?;
                let instance = self
                    .linker
                    .instantiate(&mut self.store, &module)
                    .map_err(|e| format!("instantiation failed: {e}"))?;
                self.current = Some(instance);
                if let Some(name) = name {
                    self.instances.insert(name, Named::Instance(instance));
                }
                Ok(())
            }
            D::ModuleDefinition(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let module = self.compile(&mut module).map_err(|e| e.to_string())?;
                if let Some(name) = name {
                    self.definitions.insert(name, module.clone());
                }
                self.last_definition = Some(module);
                Ok(())
            }
            D::ModuleInstance {
                instance, module, ..
            } => {
                self.current = None;
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()),
                    None => self.last_definition.as_ref(),
                };
                let definition = definition
                    .cloned()
                    .ok_or_else(|| "no such module definition".to_string())?;
                self.check_crossing(&definition)?;
                let inst = self
                    .linker
                    .instantiate(&mut self.store, &definition)
                    .map_err(|e| format!("instantiation failed: {e}"))?;
                self.current = Some(inst);
                if let Some(id) = instance {
                    self.instances
                        .insert(id.name().to_string(), Named::Instance(inst));
                }
                Ok(())
            }
            D::Register { name, module, .. } => self.register(name, module),
            D::Invoke(call) => match self.invoke(call) {
                Ok(_) => Ok(()),
                Err(e) => Err(format!("expected success, got {e}")),
            },
            D::AssertReturn { exec, results, .. } => self.assert_return(exec, &results),
            D::AssertTrap { exec, message, .. } => {
                let outcome = self.execute(exec);
                self.expect_trap(outcome, message)
            }
            D::AssertExhaustion { call, message, .. } => {
                let outcome = self.invoke(call);
                self.expect_trap(outcome, message)
            }
            D::AssertException { exec, .. } => match self.execute(exec) {
                Err(ExecError::Exception(_)) => Ok(()),
                Ok(vals) => Err(format!(
                    "expected an uncaught exception, got {}",
                    value::fmt_vals(&self.store, &vals)
                )),
                Err(e) => Err(format!("expected an uncaught exception, got {e}")),
            },
            D::AssertInvalid {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!(
                    "expected the module to be rejected as invalid (\"{message}\"), but Folio accepted it"
                )),
                Err(CompileError::Rejected(_)) => Ok(()),
                Err(e) => Err(format!(
                    "expected Folio to reject the module as invalid (\"{message}\"), got {e}"
                )),
            },
            D::AssertMalformed {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!(
                    "expected the module to be rejected as malformed (\"{message}\"), but Folio accepted it"
                )),
                // A text module the `wat` parser refuses is malformed-rejected.
                Err(CompileError::Rejected(_) | CompileError::Encode(_)) => Ok(()),
                Err(e) => Err(format!(
                    "expected the module to be rejected as malformed (\"{message}\"), got {e}"
                )),
            },
            D::AssertUnlinkable {
                module, message, ..
            } => {
                let module = self
                    .compile_wat(module)
                    .map_err(|e| format!("expected link error \"{message}\", got {e}"))?;
                self.check_crossing(&module)?;
                match self.linker.instantiate(&mut self.store, &module) {
                    Ok(_) => Err(format!(
                        "expected link error \"{message}\", but the module instantiated"
                    )),
                    Err(e) => match e.kind() {
                        ErrorKind::Link(m) if m.contains(message) => Ok(()),
                        _ => Err(format!("expected link error \"{message}\", got \"{e}\"")),
                    },
                }
            }
            other => Err(format!(
                "unsupported directive: {} (Folio's driver does not run it)",
                describe(&other)
            )),
        }
    }

    fn assert_return(
        &mut self,
        exec: WastExecute<'_>,
        expected: &[WastRet<'_>],
    ) -> Result<(), String> {
        let actual = match self.execute(exec) {
            Ok(vals) => vals,
            Err(e) => return Err(format!("expected {}, got {e}", value::fmt_rets(expected))),
        };
        let mismatch = || {
            format!(
                "expected {}, got {}",
                value::fmt_rets(expected),
                value::fmt_vals(&self.store, &actual)
            )
        };
        if expected.len() != actual.len() {
            return Err(mismatch());
        }
        for (want, got) in expected.iter().zip(&actual) {
            let WastRet::Core(want) = want else {
                return Err(format!("unsupported result pattern: {want:?}"));
            };
            if !value::matches(&self.store, want, got)? {
                return Err(mismatch());
            }
        }
        Ok(())
    }

    fn expect_trap(
        &self,
        outcome: Result<Vec<Val>, ExecError>,
        message: &str,
    ) -> Result<(), String> {
        match outcome {
            Ok(vals) => Err(format!(
                "expected trap \"{message}\", got {}",
                value::fmt_vals(&self.store, &vals)
            )),
            Err(ExecError::Trap(t)) if t.contains(message) => Ok(()),
            Err(e) => Err(format!("expected trap \"{message}\", got {e}")),
        }
    }

    /// What `$id` names, or the current instance.
    fn named(&self, id: Option<wast::token::Id<'_>>) -> Result<Named, ExecError> {
        match id {
            Some(id) => self
                .instances
                .get(id.name())
                .cloned()
                .ok_or_else(|| ExecError::Other(format!("no module named ${}", id.name()))),
            None => self
                .current
                .map(Named::Instance)
                .ok_or_else(|| ExecError::Other("no current module".into())),
        }
    }

    /// The instance `$id` (or the current one), to use its `what` named `export`.
    fn instance(
        &self,
        id: Option<wast::token::Id<'_>>,
        what: &str,
        export: &str,
    ) -> Result<Instance, ExecError> {
        match self.named(id)? {
            Named::Instance(instance) => Ok(instance),
            Named::Shared(shared) => Err(ExecError::Other(shared.misuse(what, export))),
        }
    }

    fn register(&mut self, name: &str, module: Option<wast::token::Id<'_>>) -> Result<(), String> {
        match self.named(module).map_err(|e| e.to_string())? {
            Named::Instance(instance) => {
                self.linker
                    .instance(&self.store, name, instance)
                    .map_err(|e| e.to_string())?;
                // What it exports shadows what stayed behind under the same name.
                let store = &self.store;
                self.stays.retain(|(module, field), _| {
                    module != name || instance.get_export(store, field).is_none()
                });
            }
            Named::Shared(shared) => {
                for (field, memory) in &shared.memories {
                    self.linker
                        .define(name, field, *memory)
                        .map_err(|e| e.to_string())?;
                    self.stays.remove(&(name.to_string(), field.clone()));
                }
                for (field, kind) in &shared.stay {
                    self.stays.insert(
                        (name.to_string(), field.clone()),
                        shared.misuse(kind, field),
                    );
                }
            }
        }
        Ok(())
    }

    /// In a thread: refuses a module importing an export that stayed in the enclosing
    /// script, naming it (the linker would only say "unknown import").
    fn check_crossing(&self, module: &Module) -> Result<(), String> {
        if self.stays.is_empty() {
            return Ok(());
        }
        for (module_name, field, _) in module.imports() {
            if let Some(why) = self
                .stays
                .get(&(module_name.to_string(), field.to_string()))
            {
                return Err(format!("import {module_name:?} {field:?}: {why}"));
            }
        }
        Ok(())
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, ExecError> {
        match exec {
            WastExecute::Invoke(call) => self.invoke(call),
            WastExecute::Wat(wat) => {
                let module = self.compile_wat(wat)?;
                self.check_crossing(&module).map_err(ExecError::Other)?;
                self.linker.instantiate(&mut self.store, &module)?;
                Ok(Vec::new())
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module, "global", global)?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| ExecError::Other(format!("no exported global {global:?}")))?;
                Ok(vec![g.get(&self.store)?])
            }
        }
    }

    fn invoke(&mut self, call: WastInvoke<'_>) -> Result<Vec<Val>, ExecError> {
        let instance = self.instance(call.module, "function", call.name)?;
        let func = instance
            .get_func(&self.store, call.name)
            .ok_or_else(|| ExecError::Other(format!("no exported function {:?}", call.name)))?;
        let args = call
            .args
            .iter()
            .map(|a| self.arg(a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(ExecError::Other)?;
        let ty = func.ty(&self.store)?;
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    /// An `invoke` argument as a value.
    fn arg(&mut self, arg: &WastArg<'_>) -> Result<Val, String> {
        let WastArg::Core(arg) = arg else {
            return Err(format!("unsupported argument: {arg:?}"));
        };
        Ok(match arg {
            WastArgCore::I32(x) => Val::I32(*x),
            WastArgCore::I64(x) => Val::I64(*x),
            WastArgCore::F32(f) => Val::F32(f.bits),
            WastArgCore::F64(f) => Val::F64(f.bits),
            WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
            WastArgCore::RefNull(heap) => match value::null_kind(heap)? {
                value::NullKind::Func => Val::FuncRef(None),
                value::NullKind::Extern => Val::ExternRef(None),
                value::NullKind::Exn => Val::ExnRef(None),
            },
            WastArgCore::RefExtern(n) => {
                let store = &mut self.store;
                let r = *self
                    .externrefs
                    .entry(*n)
                    .or_insert_with(|| ExternRef::new(store, *n));
                Val::ExternRef(Some(r))
            }
            other => return Err(format!("unsupported argument: {other:?}")),
        })
    }

    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Module, CompileError> {
        if let QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)) = module {
            return Err(CompileError::Unsupported("components".into()));
        }
        let bytes = module
            .encode()
            .map_err(|e| CompileError::Encode(e.message()))?;
        Module::new(&self.engine, &bytes).map_err(|e| CompileError::Rejected(e.to_string()))
    }

    fn compile_wat(&self, mut wat: Wat<'_>) -> Result<Module, CompileError> {
        if let Wat::Component(_) = wat {
            return Err(CompileError::Unsupported("components".into()));
        }
        let bytes = wat
            .encode()
            .map_err(|e| CompileError::Encode(e.message()))?;
        Module::new(&self.engine, &bytes).map_err(|e| CompileError::Rejected(e.to_string()))
    }
}

/// What a `$name` stands for.
#[derive(Clone)]
enum Named {
    /// A module instance of this store.
    Instance(Instance),
    /// In a thread, the module of the enclosing script shared into it: its shared memories.
    Shared(SharedModule),
}

/// A module instance of the enclosing script as a thread sees it (`(shared (module $M))`):
/// its exported shared memories, as memories of the thread's store, and the names of the
/// exports that cannot leave their store.
#[derive(Clone)]
struct SharedModule {
    /// The module's `$name`.
    name: String,
    /// Exported shared memories, in export order.
    memories: Vec<(String, Memory)>,
    /// The other exports and their kind ("function", "unshared memory", …).
    stay: Vec<(String, &'static str)>,
}

impl SharedModule {
    /// Why the thread cannot use its `what` named `export`.
    fn misuse(&self, what: &str, export: &str) -> String {
        let name = &self.name;
        match self.stay.iter().find(|(field, _)| field == export) {
            Some((_, kind)) => format!(
                "the {kind} {export:?} of ${name} stays in the enclosing script: only shared memories cross into a thread"
            ),
            None => format!(
                "${name}, shared into this thread, has no {what} {export:?} (only shared memories cross into a thread)"
            ),
        }
    }
}
