//! The `thread` and `wait` directives (see the [module docs](super)), and the loop that
//! runs a list of directives: the script's, or a thread's body.

use super::{Failure, Named, Runner, SharedModule, catch_panic, describe, panic_message};
use folio::memory::SharedMemory;
use folio::{Engine, Extern, Memory};
use std::thread::{Scope, ScopedJoinHandle};
use wast::{WastDirective, WastThread};

/// The script being run: its name for failures, its text for positions.
#[derive(Clone, Copy)]
pub(super) struct Script<'env> {
    pub file: &'env str,
    pub text: &'env str,
}

/// What a list of directives did.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub passed: usize,
    pub failures: Vec<Failure>,
}

/// Where a directive is and what it is called, for its failure.
#[derive(Clone)]
struct Place {
    line: usize,
    col: usize,
    directive: String,
}

impl Outcome {
    fn record(&mut self, script: Script<'_>, place: &Place, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed += 1,
            Err(message) => self.failures.push(Failure {
                file: script.file.to_string(),
                line: place.line,
                col: place.col,
                directive: place.directive.clone(),
                message,
            }),
        }
    }
}

/// A thread started by a `thread` directive, not yet waited for.
struct Started<'scope> {
    name: String,
    place: Place,
    handle: ScopedJoinHandle<'scope, Outcome>,
}

/// Runs `directives` in order against `runner`; `thread`s start in `scope`. Threads not
/// waited for are joined at the end, and counted then.
pub(super) fn run_directives<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    script: Script<'env>,
    runner: &mut Runner,
    directives: Vec<WastDirective<'env>>,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut running: Vec<Started<'scope>> = Vec::new();
    for directive in directives {
        let (line, col) = directive.span().linecol_in(script.text);
        let place = Place {
            line: line + 1,
            col: col + 1,
            directive: describe(&directive),
        };
        match directive {
            WastDirective::Thread(thread) => {
                let name = thread.name.name().to_string();
                if running.iter().any(|t| t.name == name) {
                    let message = format!("a thread named ${name} is running already");
                    outcome.record(script, &place, Err(message));
                    continue;
                }
                match start(scope, script, runner, thread, &place) {
                    Ok(handle) => running.push(Started {
                        name,
                        place,
                        handle,
                    }),
                    Err(message) => outcome.record(script, &place, Err(message)),
                }
            }
            WastDirective::Wait { thread, .. } => {
                let name = thread.name();
                match running.iter().position(|t| t.name == name) {
                    Some(i) => {
                        join(running.remove(i), script, &mut outcome);
                        outcome.passed += 1;
                    }
                    None => {
                        let message = format!(
                            "no running thread named ${name} (it did not start, or was waited for already)"
                        );
                        outcome.record(script, &place, Err(message));
                    }
                }
            }
            other => {
                let result = catch_panic(|| runner.run(other));
                outcome.record(script, &place, result);
            }
        }
    }
    for thread in running {
        join(thread, script, &mut outcome);
    }
    outcome
}

/// Starts `thread` in `scope`, with its shared module taken from `runner`.
fn start<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    script: Script<'env>,
    runner: &Runner,
    thread: WastThread<'env>,
    place: &Place,
) -> Result<ScopedJoinHandle<'scope, Outcome>, String> {
    let shared = match thread.shared_module {
        Some(id) => Some(runner.share(id.name())?),
        None => None,
    };
    let engine: Engine = runner.engine.clone();
    let print = runner.print;
    let directives = thread.directives;
    let place = place.clone();
    std::thread::Builder::new()
        .name(format!("wast thread ${}", thread.name.name()))
        .spawn_scoped(scope, move || {
            let runner = Runner::with_engine(engine, print)
                .map_err(|e| format!("cannot set up the spectest module: {e}"))
                .and_then(|mut runner| {
                    if let Some(shared) = shared {
                        runner.receive(shared)?;
                    }
                    Ok(runner)
                });
            match runner {
                Ok(mut runner) => run_directives(scope, script, &mut runner, directives),
                Err(message) => {
                    let mut outcome = Outcome::default();
                    outcome.record(script, &place, Err(message));
                    outcome
                }
            }
        })
        .map_err(|e| format!("cannot start a thread: {e}"))
}

/// Joins `thread` and counts its directive: passed when everything inside it passed.
fn join(thread: Started<'_>, script: Script<'_>, outcome: &mut Outcome) {
    let result = match thread.handle.join() {
        Ok(inner) if inner.failures.is_empty() => Ok(()),
        Ok(inner) => {
            let failures: Vec<String> = inner
                .failures
                .iter()
                .map(|f| format!("{}:{}: {}: {}", f.line, f.col, f.directive, f.message))
                .collect();
            Err(format!(
                "{} of its directives failed: {}",
                failures.len(),
                failures.join("; ")
            ))
        }
        Err(payload) => Err(format!(
            "the thread panicked: {} (a panic is a bug in Folio)",
            panic_message(payload.as_ref())
        )),
    };
    outcome.record(script, &thread.place, result);
}

/// What crosses into a thread from a shared module: its shared memories, and the names
/// and kinds of the exports that stay.
pub(super) struct Shared {
    name: String,
    memories: Vec<(String, SharedMemory)>,
    stay: Vec<(String, &'static str)>,
}

impl Runner {
    /// The module `$name` as a thread gets it.
    fn share(&self, name: &str) -> Result<Shared, String> {
        let mut shared = Shared {
            name: name.to_string(),
            memories: Vec::new(),
            stay: Vec::new(),
        };
        let memory = |memory: Memory| memory.shared(&self.store).map_err(|e| e.to_string());
        match self.instances.get(name) {
            None => return Err(format!("no module instance named ${name} to share")),
            Some(Named::Instance(instance)) => {
                for (field, export) in instance.exports(&self.store) {
                    let kind = match export {
                        Extern::Memory(m) => match memory(m)? {
                            Some(m) => {
                                shared.memories.push((field, m));
                                continue;
                            }
                            None => "unshared memory",
                        },
                        Extern::Func(_) => "function",
                        Extern::Table(_) => "table",
                        Extern::Global(_) => "global",
                        Extern::Tag(_) => "tag",
                    };
                    shared.stay.push((field, kind));
                }
            }
            // Shared into this thread already: hand it further down.
            Some(Named::Shared(module)) => {
                for (field, m) in &module.memories {
                    match memory(*m)? {
                        Some(m) => shared.memories.push((field.clone(), m)),
                        None => shared.stay.push((field.clone(), "unshared memory")),
                    }
                }
                shared.stay.extend(module.stay.iter().cloned());
            }
        }
        Ok(shared)
    }

    /// Makes `shared` the module `$name` of this (new) thread's runner.
    fn receive(&mut self, shared: Shared) -> Result<(), String> {
        let mut memories = Vec::with_capacity(shared.memories.len());
        for (field, m) in shared.memories {
            let memory = Memory::from_shared(&mut self.store, &m)
                .map_err(|e| format!("cannot share memory {field:?} of ${}: {e}", shared.name))?;
            memories.push((field, memory));
        }
        let module = SharedModule {
            name: shared.name.clone(),
            memories,
            stay: shared.stay,
        };
        self.instances.insert(shared.name, Named::Shared(module));
        Ok(())
    }
}
