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
//! resuming supplies the host function's results). Every other error ends the call as
//! for [`Func::call`]: traps, [`Error::i32_exit`], a host function's type errors.

use super::call::{call_host, enter_host_stack, leave_host_stack};
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
    loop {
        match exec::resume(&mut own.store.inner, &mut regs)? {
            Exit::Return => return finish(own, out),
            Exit::Host { func: host, args } => {
                let called = call_host(own.store, host, Some(regs.instance), args, regs.depth);
                if let Err(error) = called {
                    if !yields(&error) {
                        return Err(error);
                    }
                    return Ok(Step::Host {
                        call: own.suspend(Some(regs), func),
                        func: host,
                        args,
                        error,
                    });
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
    vals.iter()
        .zip(types)
        .enumerate()
        .map(|(i, (v, &t))| {
            if v.ty() != t {
                return Err(Error::ty(format!(
                    "{what} {i}: expected {t}, got {}",
                    v.ty()
                )));
            }
            v.to_cell(store.inner.id)
                .ok_or_else(|| Error::new(ErrorKind::WrongStore))
        })
        .collect()
}

/// The result types of store function `func`.
fn result_types<T>(store: &Store<T>, func: u32) -> Vec<crate::ValType> {
    let sig = store.inner.funcs[func as usize].sig();
    store.inner.sigs.get(sig).results().to_vec()
}

/// A resumable call's outcome ([`Func::call_resumable`]).
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
pub struct ResumableCallOutOfFuel {
    call: Suspended,
    required: u64,
}

/// A call suspended by a host function's error ([`ResumableCall::HostTrap`]).
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
                let id = store.inner.id;
                let types = results.iter().map(|v| v.ty()).collect::<Vec<_>>();
                for ((slot, &cell), ty) in results.iter_mut().zip(out).zip(types) {
                    *slot = Val::from_cell(cell, ty, id);
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
    Ok(vec![0; types.len()])
}

impl ResumableCallOutOfFuel {
    /// The fuel the instruction that could not run costs: the store needs at least this
    /// much for the call to go on.
    pub fn required_fuel(&self) -> u64 {
        self.required
    }
    /// Goes on from the instruction that could not run, with the store's fuel now.
    ///
    /// # Errors
    /// As [`Func::call`]; [`ErrorKind::WrongStore`] with another store (the call is lost).
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
    pub fn host_error(&self) -> &Error {
        &self.error
    }
    /// The host function's error, giving up the call.
    pub fn into_host_error(self) -> Error {
        self.error
    }
    /// The host function that returned the error.
    pub fn host_func(&self) -> Func {
        Func {
            store: self.call.store,
            index: self.host,
        }
    }
    /// Goes on as if the host function had returned `inputs`.
    ///
    /// # Errors
    /// `inputs` that do not match the host function's result types; as [`Func::call`];
    /// [`ErrorKind::WrongStore`] with another store (the call is lost).
    pub fn resume<T>(
        self,
        store: &mut Store<T>,
        inputs: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        self.call.check(store)?;
        let inputs = cells_of(
            store,
            inputs,
            &result_types(store, self.host),
            "host results",
        )?;
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
#[derive(Debug)]
pub struct TypedResumableCallOutOfFuel<Results> {
    inner: ResumableCallOutOfFuel,
    _results: PhantomData<fn() -> Results>,
}

/// A typed call suspended by a host function's error ([`TypedResumableCall::HostTrap`]).
#[derive(Debug)]
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

impl<Results: WasmResults> TypedResumableCallOutOfFuel<Results> {
    /// The fuel the instruction that could not run costs: the store needs at least this
    /// much for the call to go on.
    pub fn required_fuel(&self) -> u64 {
        self.inner.required
    }
    /// Goes on from the instruction that could not run, with the store's fuel now.
    ///
    /// # Errors
    /// As [`TypedFunc::call`]; [`ErrorKind::WrongStore`] with another store (the call is
    /// lost).
    pub fn resume<T>(self, store: &mut Store<T>) -> Result<TypedResumableCall<Results>, Error> {
        let mut out = Results::zeroed();
        let step = self.inner.call.resume_fuel(store, out.as_mut())?;
        Ok(TypedResumableCall::new(step, store, &out))
    }
}

impl<Results: WasmResults> TypedResumableCallHostTrap<Results> {
    /// The host function's error.
    pub fn host_error(&self) -> &Error {
        &self.inner.error
    }
    /// The host function's error, giving up the call.
    pub fn into_host_error(self) -> Error {
        self.inner.error
    }
    /// The host function that returned the error.
    pub fn host_func(&self) -> Func {
        self.inner.host_func()
    }
    /// Goes on as if the host function had returned `inputs`.
    ///
    /// # Errors
    /// `inputs` that do not match the host function's result types; as
    /// [`TypedFunc::call`]; [`ErrorKind::WrongStore`] with another store (the call is
    /// lost).
    pub fn resume<T>(
        self,
        store: &mut Store<T>,
        inputs: &[Val],
    ) -> Result<TypedResumableCall<Results>, Error> {
        let inner = self.inner;
        inner.call.check(store)?;
        let types = result_types(store, inner.host);
        let inputs = cells_of(store, inputs, &types, "host results")?;
        let mut out = Results::zeroed();
        let step = inner
            .call
            .resume_host(store, inner.args, &inputs, out.as_mut())?;
        Ok(TypedResumableCall::new(step, store, &out))
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function so that running out of fuel, or a host function returning an
    /// [`Error::host`], suspends the call instead of ending it ([`TypedResumableCall`]).
    ///
    /// # Errors
    /// As [`TypedFunc::call`]: every error but those two ends the call.
    pub fn call_resumable<T>(
        &self,
        store: &mut Store<T>,
        params: Params,
    ) -> Result<TypedResumableCall<Results>, Error> {
        let func = self.func();
        func.entity(store)?;
        let args = params.into_cells(store.inner.id)?;
        let mut out = Results::zeroed();
        let step = start(store, func.index, args.as_ref(), out.as_mut())?;
        Ok(TypedResumableCall::new(step, store, &out))
    }
}
