//! Arguments, environment, clocks, randomness, signals and yielding.

use super::WasiCtx;
use super::memory::{GuestMemory, element, offset};
use super::types::{Errno, SIGNAL_MAX, clockid};
use std::time::{SystemTime, UNIX_EPOCH};

/// Writes a list of NUL-terminated strings as `argv`/`environ` do: the pointers at
/// `ptrs`, the bytes at `buf`. Both ranges are checked before anything is written.
fn write_strings(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    ptrs: u32,
    buf: u32,
) -> Result<(), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let bytes: u64 = strings.iter().map(|s| s.len() as u64 + 1).sum();
    mem.check(ptrs, u64::from(count) * 4)?;
    mem.check(buf, bytes)?;
    let mut at = buf;
    for (i, s) in strings.iter().enumerate() {
        mem.write_u32(element(ptrs, i as u32, 4)?, at)?;
        mem.write(at, s)?;
        let len = u32::try_from(s.len()).map_err(|_| Errno::Fault)?;
        let end = offset(at, len)?;
        mem.write(end, &[0])?;
        at = offset(end, 1)?;
    }
    Ok(())
}

/// Writes the count and total size (with NULs) of a list of strings.
fn write_sizes(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    count_out: u32,
    size_out: u32,
) -> Result<(), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size: u64 = strings.iter().map(|s| s.len() as u64 + 1).sum();
    let size = u32::try_from(size).map_err(|_| Errno::Overflow)?;
    mem.check(count_out, 4)?;
    mem.check(size_out, 4)?;
    mem.write_u32(count_out, count)?;
    mem.write_u32(size_out, size)
}

/// Nanoseconds of a duration, saturating at `u64::MAX` (year 2554).
fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl WasiCtx {
    pub(super) fn args_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        argv: u32,
        argv_buf: u32,
    ) -> Result<(), Errno> {
        write_strings(mem, &self.args, argv, argv_buf)
    }

    pub(super) fn args_sizes_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        argc_out: u32,
        size_out: u32,
    ) -> Result<(), Errno> {
        write_sizes(mem, &self.args, argc_out, size_out)
    }

    pub(super) fn environ_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        environ: u32,
        environ_buf: u32,
    ) -> Result<(), Errno> {
        write_strings(mem, &self.env, environ, environ_buf)
    }

    pub(super) fn environ_sizes_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        count_out: u32,
        size_out: u32,
    ) -> Result<(), Errno> {
        write_sizes(mem, &self.env, count_out, size_out)
    }

    /// The current value of clock `id` in nanoseconds.
    pub(super) fn now(&self, id: u32) -> Result<u64, Errno> {
        match id {
            clockid::REALTIME => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(nanos)
                .map_err(|_| Errno::Inval),
            clockid::MONOTONIC => Ok(nanos(self.start.elapsed())),
            clockid::PROCESS_CPUTIME | clockid::THREAD_CPUTIME => cpu_time(id),
            _ => Err(Errno::Inval),
        }
    }

    pub(super) fn clock_res_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        id: u32,
        out: u32,
    ) -> Result<(), Errno> {
        let res = clock_resolution(id)?;
        mem.write_u64(out, res)
    }

    pub(super) fn clock_time_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        id: u32,
        _precision: u64,
        out: u32,
    ) -> Result<(), Errno> {
        mem.check(out, 8)?;
        let now = self.now(id)?;
        mem.write_u64(out, now)
    }

    pub(super) fn proc_raise(&mut self, _: &mut GuestMemory<'_>, signal: u32) -> Result<(), Errno> {
        if signal > u32::from(SIGNAL_MAX) {
            return Err(Errno::Inval);
        }
        Err(Errno::Nosys)
    }

    pub(super) fn sched_yield(&mut self, _: &mut GuestMemory<'_>) -> Result<(), Errno> {
        std::thread::yield_now();
        Ok(())
    }

    pub(super) fn random_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        buf: u32,
        len: u32,
    ) -> Result<(), Errno> {
        let bytes = mem.slice_mut(buf, len)?;
        fill_random(bytes)
    }
}

/// Fills `buf` from the OS's random source.
#[cfg(unix)]
fn fill_random(buf: &mut [u8]) -> Result<(), Errno> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match rustix::rand::getrandom(rest, rustix::rand::GetRandomFlags::empty()) {
            Ok(0) => return Err(Errno::Io),
            Ok(n) => filled += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(super::types::from_os_errno(e)),
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn fill_random(_: &mut [u8]) -> Result<(), Errno> {
    Err(Errno::Nosys)
}

#[cfg(unix)]
fn host_clock(id: u32) -> rustix::time::ClockId {
    use rustix::time::ClockId;
    match id {
        clockid::REALTIME => ClockId::Realtime,
        clockid::MONOTONIC => ClockId::Monotonic,
        clockid::PROCESS_CPUTIME => ClockId::ProcessCPUTime,
        _ => ClockId::ThreadCPUTime,
    }
}

/// Process or thread CPU time in nanoseconds.
#[cfg(unix)]
fn cpu_time(id: u32) -> Result<u64, Errno> {
    let t = rustix::time::clock_gettime(host_clock(id));
    let ns = i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec);
    u64::try_from(ns).map_err(|_| Errno::Overflow)
}

#[cfg(not(unix))]
fn cpu_time(_: u32) -> Result<u64, Errno> {
    Err(Errno::Notsup)
}

/// The resolution of clock `id` in nanoseconds.
#[cfg(unix)]
fn clock_resolution(id: u32) -> Result<u64, Errno> {
    if id > clockid::THREAD_CPUTIME {
        return Err(Errno::Inval);
    }
    let t = rustix::time::clock_getres(host_clock(id));
    let ns = i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec);
    Ok(u64::try_from(ns).unwrap_or(1).max(1))
}

#[cfg(not(unix))]
fn clock_resolution(id: u32) -> Result<u64, Errno> {
    if id > clockid::THREAD_CPUTIME {
        return Err(Errno::Inval);
    }
    Ok(1_000)
}
