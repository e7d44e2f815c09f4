//! Resumable calls: a call that runs out of fuel, or whose host function returns an
//! [`Error::host`], is suspended with the guest's state intact, for the embedder to resume
//! later on the same store ([`Func::call_resumable`], [`TypedFunc::call_resumable`]).
//!
//! A resumable call runs on a value and frame stack of its own ([`Stack`]), swapped into
//! the store while it runs and swapped out when it suspends: suspending copies nothing,
//! and the store can run other calls (even other resumable ones) while one is suspended.
//! The call's stack starts at the depth where the call was started, so the depth limit
//! counts the frames of the caller a resumable call was started from (a host function's
//! caller, say) as for any call.
//!
//! What suspends: an instruction that finds less fuel than it costs (it has not run; it
//! runs first when the call resumes, with the fuel the embedder added), and a host
//! function returning an error made with [`Error::host`] (the embedder's own error type:
//! resuming supplies the host function's results). An exception a host function throws
//! unwinds the Wasm frames of the call as for [`Func::call`] (see `exn`). Every other
//! error ends the call as for [`Func::call`]: traps, [`Error::i32_exit`], a host
//! function's type errors.

use super::call::{call_host, enter_host_stack, leave_host_stack, thrown_by};
use super::typed::{used, used_mut};
use super::{Error, ErrorKind, Func, Store, TypedFunc, Val, WasmParams, WasmResults};
use crate::exec::{self, Entered, Exit, Regs, Stack, Trap};
use crate::prelude::*;
use core::marker::PhantomData;

/// A call that stopped and can go on: its own stack and where it stopped.
struct Suspended {
    /// The id of the store it runs on.
    store: u32,
    stack: Stack,
    /// Where the Wasm code goes on; `None` when the call is of a host function itself.
    regs: Option<Regs>,
    /// The function called: its results are the call's.
    func: u32,
}

/// What a resumable call's run came to.
enum Step {
    /// The call returned; its results are written.
    Finished,
    /// An instruction costs more fuel (`required`) than is left.
    OutOfFuel { call: Suspended, required: u64 },
    /// Host function `func` (store index) returned `error`; its results go to the cells
    /// from `args`.
    Host {
        call: Suspended,
        func: u32,
        args: usize,
        error: Error,
    },
}

/// How many spare stacks a store keeps for its resumable calls.
const SPARE_STACKS: usize = 2;

/// A store with a resumable call's stack swapped in; dropping it (on return, error or a
/// host function's panic) swaps the store's own stack back.
struct OnOwnStack<'s, T> {
    store: &'s mut Store<T>,
    outer: Option<Stack>,
    /// Whether this is the outermost call into the store (see `call::enter_host_stack`).
    outermost: bool,
}

impl<'s, T> OnOwnStack<'s, T> {
    fn new(store: &'s mut Store<T>, stack: Stack) -> Result<Self, Error> {
        let outermost = enter_host_stack(store)?;
        let outer = core::mem::replace(&mut store.inner.stack, stack);
        Ok(OnOwnStack {
            store,
            outer: Some(outer),
            outermost,
        })
    }
    /// Swaps the store's stack back, returning the call's.
    fn swap_back(&mut self) -> Stack {
        let outer = self.outer.take().unwrap_or_default();
        core::mem::replace(&mut self.store.inner.stack, outer)
    }
    /// Suspends the call at `regs`.
    fn suspend(mut self, regs: Option<Regs>, func: u32) -> Suspended {
        Suspended {
            store: self.store.inner.id,
            stack: self.swap_back(),
            regs,
            func,
        }
    }
}

impl<T> Drop for OnOwnStack<'_, T> {
    fn drop(&mut self) {
        leave_host_stack(self.store, self.outermost);
        if self.outer.is_some() {
            let own = self.swap_back();
            if self.store.spare_stacks.len() < SPARE_STACKS {
                self.store.spare_stacks.push(own);
            }
        }
    }
}

/// Whether a host function's error suspends a resumable call.
fn yields(error: &Error) -> bool {
    matches!(error.kind(), ErrorKind::Host(_))
}

/// Starts a resumable call of store function `func`, results into `out`.
fn start<T>(store: &mut Store<T>, func: u32, args: &[u64], out: &mut [u64]) -> Result<Step, Error> {
    let mut stack = store.spare_stacks.pop().unwrap_or_default();
    stack.frames.clear();
    stack.top = 0;
    stack.depth = store.inner.stack.depth;
    let own = OnOwnStack::new(store, stack)?;
    match exec::enter(&mut own.store.inner, func, args, out.len(), 0)? {
        Entered::Host => {
            let depth = own.store.inner.stack.depth;
            match call_host(own.store, func, None, 0, depth) {
                Ok(()) => finish(own, out),
                Err(error) if yields(&error) => Ok(Step::Host {
                    call: own.suspend(None, func),
                    func,
                    args: 0,
                    error,
                }),
                Err(error) => Err(error),
            }
        }
        Entered::Wasm(mut regs) => {
            regs.resumable = true;
            drive(own, regs, func, out)
        }
    }
}

/// Runs the call from `regs` until it returns, suspends or fails.
fn drive<T>(
    own: OnOwnStack<'_, T>,
    mut regs: Regs,
    func: u32,
    out: &mut [u64],
) -> Result<Step, Error> {
    let mut thrown = None;
    loop {
        let exit = match thrown.take() {
            None => exec::resume(&mut own.store.inner, &mut regs)?,
            Some(exn) => exec::resume_throwing(&mut own.store.inner, &mut regs, exn)?,
        };
        match exit {
            Exit::Return => return finish(own, out),
            Exit::Host { func: host, args } => {
                let called = call_host(own.store, host, Some(regs.instance), args, regs.depth);
                match called {
                    Err(error) if yields(&error) => {
                        return Ok(Step::Host {
                            call: own.suspend(Some(regs), func),
                            func: host,
                            args,
                            error,
                        });
                    }
                    called => thrown = thrown_by(own.store, called)?,
                }
            }
            Exit::OutOfFuel { required } => {
                return Ok(Step::OutOfFuel {
                    call: own.suspend(Some(regs), func),
                    required,
                });
            }
        }
    }
}

/// The call returned: its results are in the cells from 0.
fn finish<T>(own: OnOwnStack<'_, T>, out: &mut [u64]) -> Result<Step, Error> {
    let cells = own.store.inner.stack.cells.get(..out.len());
    // `enter` reserved a cell per result from the call's base, 0.
    out.copy_from_slice(cells.ok_or_else(|| Trap::host("internal error: no result cells"))?);
    Ok(Step::Finished)
}

impl Suspended {
    /// Goes on after the embedder added fuel.
    fn resume_fuel<T>(self, store: &mut Store<T>, out: &mut [u64]) -> Result<Step, Error> {
        self.check(store)?;
        let regs = self
            .regs
            .ok_or_else(|| Trap::host("internal error: no registers to resume"))?;
        drive(OnOwnStack::new(store, self.stack)?, regs, self.func, out)
    }
    /// Goes on with host function results `inputs` (cells, checked against its type)
    /// written from cell `args`.
    fn resume_host<T>(
        self,
        store: &mut Store<T>,
        args: usize,
        inputs: &[u64],
        out: &mut [u64],
    ) -> Result<Step, Error> {
        self.check(store)?;
        let own = OnOwnStack::new(store, self.stack)?;
        let cells = args
            .checked_add(inputs.len())
            .and_then(|end| own.store.inner.stack.cells.get_mut(args..end))
            .ok_or_else(|| Trap::host("internal error: no cells for the host results"))?;
        cells.copy_from_slice(inputs);
        match self.regs {
            Some(regs) => drive(own, regs, self.func, out),
            None => finish(own, out),
        }
    }
    fn check<T>(&self, store: &Store<T>) -> Result<(), Error> {
        if self.store == store.inner.id {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::WrongStore))
        }
    }
}

/// The cells of `vals`, checked against `types`; `what` names them in errors.
fn cells_of<T>(
    store: &Store<T>,
    vals: &[Val],
    types: &[crate::ValType],
    what: &str,
) -> Result<Vec<u64>, Error> {
    if vals.len() != types.len() {
        return Err(Error::ty(format!(
            "expected {} {what}, got {}",
            types.len(),
            vals.len()
        )));
    }
    let mut cells = Vec::with_capacity(vals.len());
    for (i, (v, &t)) in vals.iter().zip(types).enumerate() {
        if !store.inner.val_fits(*v, t) {
            return Err(Error::ty(format!(
                "{what} {i}: expected {t}, got {}",
                v.ty()
            )));
        }
        v.push_cells(store.inner.id, &mut cells)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
    }
    Ok(cells)
}

/// The result types of store function `func`.
fn result_types<T>(store: &Store<T>, func: u32) -> Vec<crate::ValType> {
    let sig = store.inner.funcs[func as usize].sig();
    store.inner.sigs.get(sig).results().to_vec()
}

/// A resumable call's outcome ([`Func::call_resumable`]).
///
/// Time slicing: a call runs on a ration of fuel, is suspended when it runs out, and is
/// resumed with a new ration (the store could run other calls in between). A plain
/// [`Func::call`] would trap instead:
///
/// ```
/// use folio::{Config, Engine, Instance, Module, ResumableCall, Store, Val};
///
/// let mut config = Config::default();
/// config.consume_fuel(true);
/// let engine = Engine::new(&config);
/// let wasm = wat::parse_str(r#"(module
///     (func (export "sum") (param i32) (result i64) (local i64)
///       (loop $l
///         (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
///         (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
///       (local.get 1)))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let sum = instance.get_func(&store, "sum").unwrap();
/// let mut out = [Val::I64(0)];
///
/// store.set_fuel(500)?;
/// assert!(sum.call(&mut store, &[Val::I32(1000)], &mut out).is_err()); // all fuel consumed
///
/// store.set_fuel(500)?;
/// let mut call = sum.call_resumable(&mut store, &[Val::I32(1000)], &mut out)?;
/// let mut rations = 1;
/// while let ResumableCall::OutOfFuel(suspended) = call {
///     store.set_fuel(500)?;
///     rations += 1;
///     call = suspended.resume(&mut store, &mut out)?;
/// }
/// assert!(matches!(call, ResumableCall::Finished));
/// assert_eq!(out, [Val::I64(500_500)]); // written by the resume that finished
/// assert!(rations > 10);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug)]
pub enum ResumableCall {
    /// The call returned; its results are written.
    Finished,
    /// The call ran out of fuel: add fuel ([`Store::set_fuel`]) and resume it.
    OutOfFuel(ResumableCallOutOfFuel),
    /// A host function returned an [`Error::host`]: handle it and resume the call with
    /// the host function's results, or drop the call.
    HostTrap(ResumableCallHostTrap),
}

/// A call suspended for lack of fuel ([`ResumableCall::OutOfFuel`]).
///
/// ```
/// use folio::{Config, Engine, Instance, Module, ResumableCall, Store, Val};
///
/// let engine = Engine::new(Config::default().consume_fuel(true));
/// let wasm = wat::parse_str(r#"(module
///     (func (export "spin") (param i32)
///       (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let spin = instance.get_func(&store, "spin").unwrap();
///
/// store.set_fuel(10)?;
/// let call = spin.call_resumable(&mut store, &[Val::I32(100)], &mut [])?;
/// let ResumableCall::OutOfFuel(suspended) = call else { panic!("10 fuel is not enough") };
/// assert!(store.get_fuel()? < suspended.required_fuel());
/// store.set_fuel(1_000)?;
/// let call = suspended.resume(&mut store, &mut [])?;
/// assert!(matches!(call, ResumableCall::Finished));
/// # Ok::<(), folio::Error>(())
/// ```
pub struct ResumableCallOutOfFuel {
    call: Suspended,
    required: u64,
}

/// A call suspended by a host function's error ([`ResumableCall::HostTrap`]).
///
/// A host function that reads input the host may not have yet suspends the call until it
/// has:
///
/// ```
/// use folio::{Caller, Engine, Error, Func, Instance, Module, ResumableCall, Store, Val};
/// use std::collections::VecDeque;
///
/// #[derive(Debug)]
/// struct WouldBlock;
/// impl core::fmt::Display for WouldBlock {
///     fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
///         f.write_str("no input yet")
///     }
/// }
///
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, VecDeque::from([40]));
/// let read = Func::wrap(&mut store, |mut caller: Caller<'_, VecDeque<i32>>| {
///     caller.data_mut().pop_front().ok_or_else(|| Error::host(WouldBlock))
/// });
/// let wasm = wat::parse_str(r#"(module
///     (import "host" "read" (func $read (result i32)))
///     (func (export "add_two") (result i32) (i32.add (call $read) (call $read))))"#)
///     .unwrap();
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[read.into()])?;
/// let add_two = instance.get_func(&store, "add_two").unwrap();
///
/// // The first read takes the 40 queued; the second finds nothing and suspends the call.
/// let mut out = [Val::I32(0)];
/// let call = add_two.call_resumable(&mut store, &[], &mut out)?;
/// let ResumableCall::HostTrap(waiting) = call else { panic!("the second read blocks") };
/// assert!(waiting.host_error().downcast_ref::<WouldBlock>().is_some());
/// assert_eq!(waiting.host_func(), read);
///
/// // The input arrives: the call goes on as if `read` had returned it.
/// let call = waiting.resume(&mut store, &[Val::I32(2)], &mut out)?;
/// assert!(matches!(call, ResumableCall::Finished));
/// assert_eq!(out, [Val::I32(42)]);
/// # Ok::<(), folio::Error>(())
/// ```
pub struct ResumableCallHostTrap {
    call: Suspended,
    host: u32,
    args: usize,
    error: Error,
}

impl core::fmt::Debug for ResumableCallOutOfFuel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ResumableCallOutOfFuel")
            .field("required_fuel", &self.required)
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for ResumableCallHostTrap {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ResumableCallHostTrap")
            .field("host_error", &self.error)
            .finish_non_exhaustive()
    }
}

impl ResumableCall {
    /// The public outcome of `step`, writing the results into `results` when finished.
    fn new<T>(step: Step, store: &Store<T>, out: &[u64], results: &mut [Val]) -> ResumableCall {
        match step {
            Step::Finished => {
                // `prepare_results` gave each slot a value of its result type.
                let mut at = 0;
                for slot in results.iter_mut() {
                    let ty = slot.ty();
                    *slot = Val::from_cells(out.get(at..).unwrap_or(&[]), ty, store.inner.id);
                    at += ty.cells() as usize;
                }
                ResumableCall::Finished
            }
            Step::OutOfFuel { call, required } => {
                ResumableCall::OutOfFuel(ResumableCallOutOfFuel { call, required })
            }
            Step::Host {
                call,
                func,
                args,
                error,
            } => ResumableCall::HostTrap(ResumableCallHostTrap {
                call,
                host: func,
                args,
                error,
            }),
        }
    }
}

/// `results` set to the zero values of store function `func`'s result types, checked
/// for count; their cells.
fn prepare_results<T>(store: &Store<T>, func: u32, results: &mut [Val]) -> Result<Vec<u64>, Error> {
    let types = result_types(store, func);
    if results.len() != types.len() {
        return Err(Error::ty(format!(
            "expected room for {} results, got {}",
            types.len(),
            results.len()
        )));
    }
    for (slot, &t) in results.iter_mut().zip(&types) {
        *slot = Val::default_for(t);
    }
    Ok(vec![0; types.iter().map(|t| t.cells() as usize).sum()])
}

impl ResumableCallOutOfFuel {
    /// The fuel the instruction that could not run costs: the store needs at least this
    /// much for the call to go on.
    ///
    /// Adding less leaves the call where it was:
    ///
    /// ```
    /// # use folio::{Config, Engine, Instance, Module, ResumableCall, Store, Val};
    /// # let engine = Engine::new(Config::default().consume_fuel(true));
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (func (export "spin") (param i32)
    /// #       (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// # let spin = instance.get_func(&store, "spin").unwrap();
    /// // `spin` loops `n` times.
    /// store.set_fuel(0)?;
    /// let call = spin.call_resumable(&mut store, &[Val::I32(3)], &mut [])?;
    /// let ResumableCall::OutOfFuel(suspended) = call else { panic!("no fuel") };
    /// let needed = suspended.required_fuel();
    /// assert!(needed > 0);
    ///
    /// store.set_fuel(needed - 1)?;
    /// let call = suspended.resume(&mut store, &mut [])?;
    /// let ResumableCall::OutOfFuel(suspended) = call else { panic!("still short") };
    /// assert_eq!(suspended.required_fuel(), needed);
    /// assert_eq!(store.get_fuel()?, needed - 1); // nothing ran
    ///
    /// // Single-stepping: exactly what the next instruction needs, each time.
    /// let mut call = ResumableCall::OutOfFuel(suspended);
    /// let mut steps = 0;
    /// while let ResumableCall::OutOfFuel(suspended) = call {
    ///     store.set_fuel(suspended.required_fuel())?;
    ///     steps += 1;
    ///     call = suspended.resume(&mut store, &mut [])?;
    /// }
    /// assert!(steps > 3);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn required_fuel(&self) -> u64 {
        self.required
    }
    /// Goes on from the instruction that could not run, with the store's fuel now.
    ///
    /// # Errors
    /// As [`Func::call`]; [`ErrorKind::WrongStore`] with another store (the call is lost).
    ///
    /// ```
    /// # use folio::{Config, Engine, Instance, Module, ResumableCall, Store, Val};
    /// # let engine = Engine::new(Config::default().consume_fuel(true));
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (func (export "sum") (param i32) (result i64) (local i64)
    /// #       (loop $l
    /// #         (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
    /// #         (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    /// #       (local.get 1)))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// // `sum(n)` adds up 1 to n in a loop.
    /// let sum = instance.get_func(&store, "sum").unwrap();
    /// let mut out = [Val::I64(0)];
    /// store.set_fuel(100)?;
    /// let ResumableCall::OutOfFuel(suspended) =
    ///     sum.call_resumable(&mut store, &[Val::I32(100)], &mut out)?
    /// else {
    ///     panic!("100 fuel is not enough")
    /// };
    /// store.set_fuel(10_000)?;
    /// assert!(matches!(suspended.resume(&mut store, &mut out)?, ResumableCall::Finished));
    /// assert_eq!(out, [Val::I64(5050)]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn resume<T>(
        self,
        store: &mut Store<T>,
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        self.call.check(store)?;
        let mut out = prepare_results(store, self.call.func, results)?;
        let step = self.call.resume_fuel(store, &mut out)?;
        Ok(ResumableCall::new(step, store, &out, results))
    }
}

impl ResumableCallHostTrap {
    /// The host function's error.
    ///
    /// ```
    /// # use folio::{Engine, Error, Func, Instance, Module, ResumableCall, Store, Val};
    /// # let engine = Engine::default();
    /// # let mut store = Store::new(&engine, ());
    /// let read = Func::wrap(&mut store, || -> Result<i32, Error> {
    ///     Err(Error::host("would block"))
    /// });
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "read" (func $read (result i32)))
    /// #     (func (export "run") (result i32) (call $read)))"#)
    /// #     .unwrap();
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[read.into()])?;
    /// # let run = instance.get_func(&store, "run").unwrap();
    /// // `run` returns what `read` does.
    /// let mut out = [Val::I32(0)];
    /// let ResumableCall::HostTrap(waiting) = run.call_resumable(&mut store, &[], &mut out)? else {
    ///     panic!("read suspends")
    /// };
    /// assert_eq!(waiting.host_error().downcast_ref::<&str>(), Some(&"would block"));
    /// assert_eq!(waiting.host_error().to_string(), "host function error: would block");
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn host_error(&self) -> &Error {
        &self.error
    }
    /// The host function's error, giving up the call.
    ///
    /// Giving up is dropping the suspended call; the store runs other calls as before:
    ///
    /// ```
    /// # use folio::{Engine, Error, Func, Instance, Module, ResumableCall, Store, Val};
    /// # let engine = Engine::default();
    /// # let mut store = Store::new(&engine, ());
    /// let read = Func::wrap(&mut store, |fd: i32| -> Result<i32, Error> {
    ///     if fd == 0 { Ok(7) } else { Err(Error::host(format!("fd {fd} is not open"))) }
    /// });
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "read" (func $read (param i32) (result i32)))
    /// #     (func (export "run") (param i32) (result i32) (call $read (local.get 0))))"#)
    /// #     .unwrap();
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[read.into()])?;
    /// # let run = instance.get_func(&store, "run").unwrap();
    /// // `run(fd)` returns `read(fd)`.
    /// let mut out = [Val::I32(0)];
    /// let ResumableCall::HostTrap(failed) =
    ///     run.call_resumable(&mut store, &[Val::I32(3)], &mut out)?
    /// else {
    ///     panic!("fd 3 is not open")
    /// };
    /// let error = failed.into_host_error();
    /// assert_eq!(error.downcast::<String>().ok().as_deref(), Some("fd 3 is not open"));
    ///
    /// run.call(&mut store, &[Val::I32(0)], &mut out)?;
    /// assert_eq!(out, [Val::I32(7)]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn into_host_error(self) -> Error {
        self.error
    }
    /// The host function that returned the error.
    ///
    /// The embedder tells apart the host functions that suspend by their handles:
    ///
    /// ```
    /// use folio::{Engine, Error, Func, Instance, Module, ResumableCall, Store, Val};
    ///
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let now = Func::wrap(&mut store, || -> Result<i64, Error> { Err(Error::host("clock")) });
    /// let random = Func::wrap(&mut store, || -> Result<i32, Error> { Err(Error::host("rng")) });
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "host" "now" (func $now (result i64)))
    ///     (import "host" "random" (func $random (result i32)))
    ///     (func (export "run") (result i64)
    ///       (i64.add (call $now) (i64.extend_i32_u (call $random)))))"#)
    ///     .unwrap();
    /// let imports = [now.into(), random.into()];
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &imports)?;
    /// let run = instance.get_func(&store, "run").unwrap();
    ///
    /// let mut out = [Val::I64(0)];
    /// let mut call = run.call_resumable(&mut store, &[], &mut out)?;
    /// while let ResumableCall::HostTrap(waiting) = call {
    ///     let answer = if waiting.host_func() == now { Val::I64(1_000) } else { Val::I32(4) };
    ///     call = waiting.resume(&mut store, &[answer], &mut out)?;
    /// }
    /// assert_eq!(out, [Val::I64(1_004)]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn host_func(&self) -> Func {
        Func {
            store: self.call.store,
            index: self.host,
        }
    }
    /// The cells of `inputs`, the host function's results, checked against its type (and
    /// the call against the store).
    fn input_cells<T>(&self, store: &Store<T>, inputs: &[Val]) -> Result<Vec<u64>, Error> {
        self.call.check(store)?;
        cells_of(
            store,
            inputs,
            &result_types(store, self.host),
            "host results",
        )
    }

    /// Goes on as if the host function had returned `inputs`.
    ///
    /// # Errors
    /// `inputs` that do not match the host function's result types; as [`Func::call`];
    /// [`ErrorKind::WrongStore`] with another store (the call is lost).
    ///
    /// The host function's results must match its type; results that do not are an error,
    /// and the call is lost:
    ///
    /// ```
    /// # use folio::{Engine, Error, ErrorKind, Func, Instance, Module, ResumableCall, Store, Val};
    /// # let engine = Engine::default();
    /// # let mut store = Store::new(&engine, ());
    /// let read = Func::wrap(&mut store, || -> Result<i32, Error> {
    ///     Err(Error::host("would block"))
    /// });
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "read" (func $read (result i32)))
    /// #     (func (export "double") (result i32) (i32.mul (call $read) (i32.const 2))))"#)
    /// #     .unwrap();
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[read.into()])?;
    /// # let double = instance.get_func(&store, "double").unwrap();
    /// // `double` returns twice what `read` does.
    /// let mut out = [Val::I32(0)];
    /// let call = double.call_resumable(&mut store, &[], &mut out)?;
    /// let ResumableCall::HostTrap(waiting) = call else {
    ///     panic!("read suspends")
    /// };
    /// let call = waiting.resume(&mut store, &[Val::I32(21)], &mut out)?;
    /// assert!(matches!(call, ResumableCall::Finished));
    /// assert_eq!(out, [Val::I32(42)]);
    ///
    /// let call = double.call_resumable(&mut store, &[], &mut out)?;
    /// let ResumableCall::HostTrap(waiting) = call else {
    ///     panic!("read suspends")
    /// };
    /// let err = waiting.resume(&mut store, &[Val::I64(21)], &mut out).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Type(_)));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn resume<T>(
        self,
        store: &mut Store<T>,
        inputs: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        let inputs = self.input_cells(store, inputs)?;
        let mut out = prepare_results(store, self.call.func, results)?;
        let step = self.call.resume_host(store, self.args, &inputs, &mut out)?;
        Ok(ResumableCall::new(step, store, &out, results))
    }
}

impl Func {
    /// Calls the function so that running out of fuel, or a host function returning an
    /// [`Error::host`], suspends the call instead of ending it ([`ResumableCall`]).
    ///
    /// # Errors
    /// As [`Func::call`]: every error but those two ends the call.
    ///
    /// A loop that drives a call to its end, adding fuel and answering a host function:
    ///
    /// ```
    /// use folio::{Config, Engine, Error, Func, Instance, Module, ResumableCall, Store, Val};
    ///
    /// let engine = Engine::new(Config::default().consume_fuel(true));
    /// let mut store = Store::new(&engine, ());
    /// // The host answers `ask(x)` later: the error carries `x` to the embedder.
    /// let ask = Func::wrap(&mut store, |x: i32| -> Result<i32, Error> { Err(Error::host(x)) });
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "host" "ask" (func $ask (param i32) (result i32)))
    ///     (func (export "run") (param $n i32) (result i32) (local $sum i32)
    ///       (loop $l
    ///         (local.set $sum (i32.add (local.get $sum) (call $ask (local.get $n))))
    ///         (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    ///       (local.get $sum)))"#)
    ///     .unwrap();
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[ask.into()])?;
    /// let run = instance.get_func(&store, "run").unwrap();
    ///
    /// // run(n) adds up ask(n), ask(n - 1), ..., ask(1); the embedder answers x * x.
    /// let mut out = [Val::I32(0)];
    /// store.set_fuel(10)?;
    /// let mut call = run.call_resumable(&mut store, &[Val::I32(10)], &mut out)?;
    /// let (mut refills, mut asked) = (0, 0);
    /// loop {
    ///     call = match call {
    ///         ResumableCall::Finished => break,
    ///         ResumableCall::OutOfFuel(suspended) => {
    ///             refills += 1;
    ///             store.set_fuel(10)?;
    ///             suspended.resume(&mut store, &mut out)?
    ///         }
    ///         ResumableCall::HostTrap(waiting) => {
    ///             asked += 1;
    ///             let x = *waiting.host_error().downcast_ref::<i32>().unwrap();
    ///             waiting.resume(&mut store, &[Val::I32(x * x)], &mut out)?
    ///         }
    ///     }
    /// }
    /// assert_eq!(out, [Val::I32(385)]); // 1 + 4 + ... + 100
    /// assert_eq!(asked, 10);
    /// assert!(refills > 0);
    ///
    /// // Calling `ask` itself: suspended before any Wasm runs.
    /// let call = ask.call_resumable(&mut store, &[Val::I32(1)], &mut out)?;
    /// assert!(matches!(call, ResumableCall::HostTrap(_)));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn call_resumable<T>(
        &self,
        store: &mut Store<T>,
        args: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        self.entity(store)?;
        let sig = store.inner.funcs[self.index as usize].sig();
        let params = store.inner.sigs.get(sig).params().to_vec();
        let args = cells_of(store, args, &params, "arguments")?;
        let mut out = prepare_results(store, self.index, results)?;
        let step = start(store, self.index, &args, &mut out)?;
        Ok(ResumableCall::new(step, store, &out, results))
    }
}

/// A typed resumable call's outcome ([`TypedFunc::call_resumable`]).
///
/// Time slicing with fuel, typed: each ration runs part of the call, until it finishes with
/// its results:
///
/// ```
/// use folio::{Config, Engine, Instance, Module, Store, TypedResumableCall};
///
/// let mut config = Config::default();
/// config.consume_fuel(true);
/// let engine = Engine::new(&config);
/// let wasm = wat::parse_str(r#"(module
///     (func (export "sum") (param i32) (result i64) (local i64)
///       (loop $l
///         (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
///         (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
///       (local.get 1)))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let sum = instance.get_typed_func::<i32, i64>(&store, "sum")?;
///
/// store.set_fuel(500)?;
/// let mut call = sum.call_resumable(&mut store, 1000)?;
/// let mut rations = 1;
/// let total = loop {
///     match call {
///         TypedResumableCall::Finished(total) => break total,
///         TypedResumableCall::OutOfFuel(suspended) => {
///             store.set_fuel(500)?;
///             rations += 1;
///             call = suspended.resume(&mut store)?;
///         }
///         TypedResumableCall::HostTrap(_) => unreachable!("the module imports nothing"),
///     }
/// };
/// assert_eq!(total, 500_500);
/// assert!(rations > 10);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug)]
pub enum TypedResumableCall<Results> {
    /// The call returned these results.
    Finished(Results),
    /// The call ran out of fuel: add fuel ([`Store::set_fuel`]) and resume it.
    OutOfFuel(TypedResumableCallOutOfFuel<Results>),
    /// A host function returned an [`Error::host`]: handle it and resume the call with
    /// the host function's results, or drop the call.
    HostTrap(TypedResumableCallHostTrap<Results>),
}

/// A typed call suspended for lack of fuel ([`TypedResumableCall::OutOfFuel`]).
///
/// Two calls interleaved on one store, each suspended while the other runs:
///
/// ```
/// use folio::{Config, Engine, Instance, Module, Store, TypedResumableCall};
///
/// let engine = Engine::new(Config::default().consume_fuel(true));
/// let wasm = wat::parse_str(r#"(module
///     (func (export "count") (param i32) (result i32) (local i32)
///       (loop $l
///         (local.set 1 (i32.add (local.get 1) (i32.const 1)))
///         (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
///       (local.get 1)))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
/// let count = instance.get_typed_func::<i32, i32>(&store, "count")?;
///
/// store.set_fuel(50)?;
/// let TypedResumableCall::OutOfFuel(a) = count.call_resumable(&mut store, 100)? else {
///     panic!("50 fuel is not enough")
/// };
/// store.set_fuel(50)?;
/// let TypedResumableCall::OutOfFuel(b) = count.call_resumable(&mut store, 200)? else {
///     panic!("50 fuel is not enough")
/// };
/// store.set_fuel(1_000_000)?;
/// assert!(matches!(b.resume(&mut store)?, TypedResumableCall::Finished(200)));
/// assert!(matches!(a.resume(&mut store)?, TypedResumableCall::Finished(100)));
/// # Ok::<(), folio::Error>(())
/// ```
pub struct TypedResumableCallOutOfFuel<Results> {
    inner: ResumableCallOutOfFuel,
    _results: PhantomData<fn() -> Results>,
}

/// A typed call suspended by a host function's error ([`TypedResumableCall::HostTrap`]).
///
/// A guest that asks the host for the time; the host answers later:
///
/// ```
/// use folio::{Engine, Error, Linker, Module, Store, TypedResumableCall, Val};
///
/// let engine = Engine::default();
/// let mut linker = Linker::new();
/// linker.func_wrap("host", "now", || -> Result<i64, Error> { Err(Error::host("clock")) })?;
/// let wasm = wat::parse_str(r#"(module
///     (import "host" "now" (func $now (result i64)))
///     (func (export "elapsed") (result i64)
///       (i64.sub (call $now) (call $now))))"#)
///     .unwrap();
/// let mut store = Store::new(&engine, ());
/// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
/// let elapsed = instance.get_typed_func::<(), i64>(&store, "elapsed")?;
///
/// let mut clock = [1_500i64, 1_000].into_iter();
/// let mut call = elapsed.call_resumable(&mut store, ())?;
/// let result = loop {
///     match call {
///         TypedResumableCall::Finished(result) => break result,
///         TypedResumableCall::HostTrap(waiting) => {
///             let now = clock.next().expect("asked twice");
///             call = waiting.resume(&mut store, &[Val::I64(now)])?;
///         }
///         TypedResumableCall::OutOfFuel(_) => unreachable!("fuel is off"),
///     }
/// };
/// assert_eq!(result, 500);
/// # Ok::<(), folio::Error>(())
/// ```
pub struct TypedResumableCallHostTrap<Results> {
    inner: ResumableCallHostTrap,
    _results: PhantomData<fn() -> Results>,
}

impl<Results: WasmResults> TypedResumableCall<Results> {
    fn new<T>(step: Step, store: &Store<T>, out: &Results::Cells) -> Self {
        match step {
            Step::Finished => {
                TypedResumableCall::Finished(Results::from_cells(out.as_ref(), store.inner.id))
            }
            Step::OutOfFuel { call, required } => {
                TypedResumableCall::OutOfFuel(TypedResumableCallOutOfFuel {
                    inner: ResumableCallOutOfFuel { call, required },
                    _results: PhantomData,
                })
            }
            Step::Host {
                call,
                func,
                args,
                error,
            } => TypedResumableCall::HostTrap(TypedResumableCallHostTrap {
                inner: ResumableCallHostTrap {
                    call,
                    host: func,
                    args,
                    error,
                },
                _results: PhantomData,
            }),
        }
    }
}

impl<Results> core::fmt::Debug for TypedResumableCallOutOfFuel<Results> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.inner, f)
    }
}

impl<Results: WasmResults> TypedResumableCallOutOfFuel<Results> {
    /// The fuel the instruction that could not run costs: the store needs at least this
    /// much for the call to go on.
    ///
    /// ```
    /// # use folio::{Config, Engine, Instance, Module, Store, TypedResumableCall};
    /// # let engine = Engine::new(Config::default().consume_fuel(true));
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (func (export "triple") (param i32) (result i32)
    /// #       (i32.mul (local.get 0) (i32.const 3))))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let triple = instance.get_typed_func::<i32, i32>(&store, "triple")?;
    /// store.set_fuel(0)?;
    /// let TypedResumableCall::OutOfFuel(suspended) = triple.call_resumable(&mut store, 14)? else {
    ///     panic!("no fuel")
    /// };
    /// assert!(suspended.required_fuel() > 0);
    /// store.set_fuel(suspended.required_fuel())?;
    /// let mut call = suspended.resume(&mut store)?;
    /// // One instruction at a time, each given just what it costs.
    /// while let TypedResumableCall::OutOfFuel(suspended) = call {
    ///     store.set_fuel(suspended.required_fuel())?;
    ///     call = suspended.resume(&mut store)?;
    /// }
    /// assert!(matches!(call, TypedResumableCall::Finished(42)));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn required_fuel(&self) -> u64 {
        self.inner.required
    }
    /// Goes on from the instruction that could not run, with the store's fuel now.
    ///
    /// # Errors
    /// As [`TypedFunc::call`]; [`ErrorKind::WrongStore`] with another store (the call is
    /// lost).
    ///
    /// A suspended call belongs to its store; another store cannot resume it (and the call is
    /// lost):
    ///
    /// ```
    /// # use folio::{Config, Engine, ErrorKind, Instance, Module, Store, TypedResumableCall};
    /// # let engine = Engine::new(Config::default().consume_fuel(true));
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (func (export "triple") (param i32) (result i32)
    /// #       (i32.mul (local.get 0) (i32.const 3))))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let triple = instance.get_typed_func::<i32, i32>(&store, "triple")?;
    /// store.set_fuel(0)?;
    /// let TypedResumableCall::OutOfFuel(suspended) = triple.call_resumable(&mut store, 14)? else {
    ///     panic!("no fuel")
    /// };
    /// let mut other = Store::new(&engine, ());
    /// other.set_fuel(100)?;
    /// let err = suspended.resume(&mut other).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::WrongStore));
    ///
    /// // A new call on the right store, resumed with enough fuel.
    /// let TypedResumableCall::OutOfFuel(suspended) = triple.call_resumable(&mut store, 14)? else {
    ///     panic!("no fuel")
    /// };
    /// store.set_fuel(100)?;
    /// assert!(matches!(suspended.resume(&mut store)?, TypedResumableCall::Finished(42)));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn resume<T>(self, store: &mut Store<T>) -> Result<TypedResumableCall<Results>, Error> {
        let mut out = Results::zeroed();
        let step = self
            .inner
            .call
            .resume_fuel(store, used_mut(out.as_mut(), Results::CELLS))?;
        Ok(TypedResumableCall::new(step, store, &out))
    }
}

impl<Results> core::fmt::Debug for TypedResumableCallHostTrap<Results> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.inner, f)
    }
}

impl<Results: WasmResults> TypedResumableCallHostTrap<Results> {
    /// The host function's error.
    ///
    /// ```
    /// # use folio::{Engine, Error, Linker, Module, Store, TypedResumableCall};
    /// # let engine = Engine::default();
    /// # let mut linker = Linker::new();
    /// linker.func_wrap("host", "now", || -> Result<i64, Error> { Err(Error::host("clock")) })?;
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "now" (func $now (result i64)))
    /// #     (func (export "run") (result i64) (call $now)))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// // `run` returns what `now` does.
    /// let run = instance.get_typed_func::<(), i64>(&store, "run")?;
    /// let TypedResumableCall::HostTrap(waiting) = run.call_resumable(&mut store, ())? else {
    ///     panic!("now suspends")
    /// };
    /// assert_eq!(waiting.host_error().downcast_ref::<&str>(), Some(&"clock"));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn host_error(&self) -> &Error {
        &self.inner.error
    }
    /// The host function's error, giving up the call.
    ///
    /// ```
    /// # use folio::{Engine, Error, Linker, Module, Store, TypedResumableCall};
    /// # let engine = Engine::default();
    /// # let mut linker = Linker::new();
    /// linker.func_wrap("host", "now", || -> Result<i64, Error> { Err(Error::host("clock")) })?;
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "now" (func $now (result i64)))
    /// #     (func (export "run") (result i64) (call $now)))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// // `run` returns what `now` does.
    /// let run = instance.get_typed_func::<(), i64>(&store, "run")?;
    /// let TypedResumableCall::HostTrap(waiting) = run.call_resumable(&mut store, ())? else {
    ///     panic!("now suspends")
    /// };
    /// // No clock here: give up the call and report the host's error.
    /// let error = waiting.into_host_error();
    /// assert_eq!(error.to_string(), "host function error: clock");
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn into_host_error(self) -> Error {
        self.inner.error
    }
    /// The host function that returned the error.
    ///
    /// ```
    /// # use folio::{Engine, Error, Func, Instance, Module, Store, TypedResumableCall};
    /// # let engine = Engine::default();
    /// # let mut store = Store::new(&engine, ());
    /// let now = Func::wrap(&mut store, || -> Result<i64, Error> { Err(Error::host("clock")) });
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "now" (func $now (result i64)))
    /// #     (func (export "run") (result i64) (call $now)))"#)
    /// #     .unwrap();
    /// # let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[now.into()])?;
    /// // `run` returns what `now` does.
    /// let run = instance.get_typed_func::<(), i64>(&store, "run")?;
    /// let TypedResumableCall::HostTrap(waiting) = run.call_resumable(&mut store, ())? else {
    ///     panic!("now suspends")
    /// };
    /// assert_eq!(waiting.host_func(), now);
    /// assert_eq!(waiting.host_func().ty(&store)?.results(), [folio::ValType::I64]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn host_func(&self) -> Func {
        self.inner.host_func()
    }
    /// Goes on as if the host function had returned `inputs`.
    ///
    /// # Errors
    /// `inputs` that do not match the host function's result types; as
    /// [`TypedFunc::call`]; [`ErrorKind::WrongStore`] with another store (the call is
    /// lost).
    ///
    /// The host function's results are [`Val`]s (it need not be a typed host function), checked
    /// against its type:
    ///
    /// ```
    /// # use folio::{Engine, Error, ErrorKind, Linker, Module, Store, TypedResumableCall, Val};
    /// # let engine = Engine::default();
    /// # let mut linker = Linker::new();
    /// linker.func_wrap("host", "now", || -> Result<i64, Error> { Err(Error::host("clock")) })?;
    /// # let wasm = wat::parse_str(r#"(module
    /// #     (import "host" "now" (func $now (result i64)))
    /// #     (func (export "run") (result i64) (call $now)))"#)
    /// #     .unwrap();
    /// # let mut store = Store::new(&engine, ());
    /// # let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// // `run` returns what `now` does.
    /// let run = instance.get_typed_func::<(), i64>(&store, "run")?;
    /// let TypedResumableCall::HostTrap(waiting) = run.call_resumable(&mut store, ())? else {
    ///     panic!("now suspends")
    /// };
    /// let err = waiting.resume(&mut store, &[Val::I32(7)]).unwrap_err(); // `now` returns an i64
    /// assert!(matches!(err.kind(), ErrorKind::Type(_)));
    ///
    /// let TypedResumableCall::HostTrap(waiting) = run.call_resumable(&mut store, ())? else {
    ///     panic!("now suspends")
    /// };
    /// let call = waiting.resume(&mut store, &[Val::I64(7)])?;
    /// assert!(matches!(call, TypedResumableCall::Finished(7)));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn resume<T>(
        self,
        store: &mut Store<T>,
        inputs: &[Val],
    ) -> Result<TypedResumableCall<Results>, Error> {
        let inner = self.inner;
        let inputs = inner.input_cells(store, inputs)?;
        let mut out = Results::zeroed();
        let step = inner.call.resume_host(
            store,
            inner.args,
            &inputs,
            used_mut(out.as_mut(), Results::CELLS),
        )?;
        Ok(TypedResumableCall::new(step, store, &out))
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function so that running out of fuel, or a host function returning an
    /// [`Error::host`], suspends the call instead of ending it ([`TypedResumableCall`]).
    ///
    /// # Errors
    /// As [`TypedFunc::call`]: every error but those two ends the call.
    ///
    /// A call driven to its end on rations of fuel, with a host function the embedder answers
    /// (its error carries its argument to the embedder):
    ///
    /// ```
    /// use folio::{Config, Engine, Error, Linker, Module, Store, TypedResumableCall, Val};
    ///
    /// let engine = Engine::new(Config::default().consume_fuel(true));
    /// let mut linker = Linker::new();
    /// linker.func_wrap("host", "ask", |x: i32| -> Result<i32, Error> { Err(Error::host(x)) })?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "host" "ask" (func $ask (param i32) (result i32)))
    ///     (func (export "run") (param $n i32) (result i32) (local $sum i32)
    ///       (loop $l
    ///         (local.set $sum (i32.add (local.get $sum) (call $ask (local.get $n))))
    ///         (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    ///       (local.get $sum)))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// let run = instance.get_typed_func::<i32, i32>(&store, "run")?;
    ///
    /// // run(n) adds up ask(n), ..., ask(1); the embedder answers ask(x) with x * x.
    /// store.set_fuel(10)?;
    /// let mut call = run.call_resumable(&mut store, 10)?;
    /// let mut refills = 0;
    /// let result = loop {
    ///     call = match call {
    ///         TypedResumableCall::Finished(result) => break result,
    ///         TypedResumableCall::OutOfFuel(suspended) => {
    ///             refills += 1;
    ///             store.set_fuel(10)?;
    ///             suspended.resume(&mut store)?
    ///         }
    ///         TypedResumableCall::HostTrap(waiting) => {
    ///             let x = *waiting.host_error().downcast_ref::<i32>().unwrap();
    ///             waiting.resume(&mut store, &[Val::I32(x * x)])?
    ///         }
    ///     }
    /// };
    /// assert_eq!(result, 385); // 1 + 4 + ... + 100
    /// assert!(refills > 0);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn call_resumable<T>(
        &self,
        store: &mut Store<T>,
        params: Params,
    ) -> Result<TypedResumableCall<Results>, Error> {
        let func = self.func();
        func.entity(store)?;
        let args = params.into_cells(store.inner.id)?;
        let mut out = Results::zeroed();
        let step = start(
            store,
            func.index,
            used(args.as_ref(), Params::CELLS),
            used_mut(out.as_mut(), Results::CELLS),
        )?;
        Ok(TypedResumableCall::new(step, store, &out))
    }
}
