//! `poll_oneoff`: wait for clocks and for descriptors to become readable or writable.
//!
//! Decided here (the document is silent; wasmtime's behaviour):
//! - No subscriptions is `inval`.
//! - Regular files are always ready; a read subscription reports the bytes between the
//!   file position and the end. Standard output and error, and readers and writers the
//!   embedder supplied, are always ready. The process's own stdin and sockets are asked of
//!   the OS (`poll(2)`), so a program can wait for input with a timeout.
//! - A subscription that cannot be waited on (unknown descriptor, missing right, a
//!   directory, an unknown clock) does not fail the call: it is delivered at once as an
//!   event carrying its errno.
//! - When something is ready at once, the call returns without sleeping and reports only
//!   what is ready (clocks already expired included). Otherwise it sleeps until the
//!   earliest clock or an OS-polled descriptor, then reports every clock whose time has
//!   come and every descriptor that became ready.

use super::WasiCtx;
use super::memory::{GuestMemory, element};
use super::stdio::Input;
use super::table::Kind;
use super::types::{
    EVENT_FD_READWRITE_HANGUP, Errno, SUBSCRIPTION_CLOCK_ABSTIME, eventtype, rights, size,
};
use std::io::Seek;
use std::time::{Duration, Instant};

/// One event to deliver.
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    hangup: bool,
}

/// What a subscription waits for.
enum Wait {
    /// A clock: when its time comes, relative to the start of the call.
    Clock { after: Duration },
    /// A descriptor the OS must be asked about.
    Os { fd: u32, write: bool },
}

struct Pending {
    userdata: u64,
    kind: u8,
    wait: Wait,
}

impl WasiCtx {
    pub(super) fn poll_oneoff(
        &mut self,
        mem: &mut GuestMemory<'_>,
        subs: u32,
        events: u32,
        nsubscriptions: u32,
        nevents_out: u32,
    ) -> Result<(), Errno> {
        if nsubscriptions == 0 {
            return Err(Errno::Inval);
        }
        let n = u64::from(nsubscriptions);
        mem.check(subs, n * u64::from(size::SUBSCRIPTION))?;
        mem.check(events, n * u64::from(size::EVENT))?;
        mem.check(nevents_out, 4)?;

        let start = Instant::now();
        let mut ready = Vec::new();
        let mut pending = Vec::new();
        for i in 0..nsubscriptions {
            let at = element(subs, i, size::SUBSCRIPTION)?;
            let userdata = mem.read_u64(at)?;
            let tag = mem.read_u8(at + 8)?;
            match tag {
                eventtype::CLOCK => {
                    let id = mem.read_u32(at + 16)?;
                    let timeout = mem.read_u64(at + 24)?;
                    let flags = mem.read_u16(at + 40)?;
                    let wait = self.clock_wait(id, timeout, flags);
                    match wait {
                        Ok(after) => pending.push(Pending {
                            userdata,
                            kind: tag,
                            wait: Wait::Clock { after },
                        }),
                        Err(error) => ready.push(Event::error(userdata, tag, error)),
                    }
                }
                eventtype::FD_READ | eventtype::FD_WRITE => {
                    let fd = mem.read_u32(at + 16)?;
                    let write = tag == eventtype::FD_WRITE;
                    match self.fd_readiness(fd, write) {
                        Ok(Some(nbytes)) => ready.push(Event {
                            userdata,
                            error: Errno::Success,
                            kind: tag,
                            nbytes,
                            hangup: false,
                        }),
                        Ok(None) => pending.push(Pending {
                            userdata,
                            kind: tag,
                            wait: Wait::Os { fd, write },
                        }),
                        Err(error) => ready.push(Event::error(userdata, tag, error)),
                    }
                }
                _ => return Err(Errno::Inval),
            }
        }

        // Clocks already due count as ready.
        pending.retain(|p| match p.wait {
            Wait::Clock { after } if after.is_zero() => {
                ready.push(Event::clock(p.userdata, p.kind));
                false
            }
            _ => true,
        });
        if ready.is_empty() {
            self.wait(&pending, start, &mut ready)?;
        }

        for (i, event) in ready.iter().enumerate() {
            let at = element(events, i as u32, size::EVENT)?;
            let mut bytes = [0u8; size::EVENT as usize];
            bytes[0..8].copy_from_slice(&event.userdata.to_le_bytes());
            bytes[8..10].copy_from_slice(&(event.error as u16).to_le_bytes());
            bytes[10] = event.kind;
            if event.kind != eventtype::CLOCK {
                bytes[16..24].copy_from_slice(&event.nbytes.to_le_bytes());
                let flags = if event.hangup {
                    EVENT_FD_READWRITE_HANGUP
                } else {
                    0
                };
                bytes[24..26].copy_from_slice(&flags.to_le_bytes());
            }
            mem.write(at, &bytes)?;
        }
        mem.write_u32(nevents_out, ready.len() as u32)
    }

    /// How long until a clock subscription is due.
    fn clock_wait(&self, id: u32, timeout: u64, flags: u16) -> Result<Duration, Errno> {
        let now = self.now(id)?;
        let ns = if flags & SUBSCRIPTION_CLOCK_ABSTIME != 0 {
            timeout.saturating_sub(now)
        } else {
            timeout
        };
        Ok(Duration::from_nanos(ns))
    }

    /// `Some(nbytes)` when descriptor `fd` is ready at once, `None` when the OS must be
    /// asked, an errno when it cannot be waited on.
    fn fd_readiness(&mut self, fd: u32, write: bool) -> Result<Option<u64>, Errno> {
        let entry = self.table.get_mut(fd)?;
        entry.require(rights::POLL_FD_READWRITE)?;
        match &mut entry.kind {
            Kind::File(file) => {
                if write {
                    return Ok(Some(0));
                }
                let len = file.metadata()?.len();
                let pos = file.stream_position()?;
                Ok(Some(len.saturating_sub(pos)))
            }
            Kind::Stdin(Input::Inherit) if !write => Ok(None),
            Kind::Stdin(Input::Reader(_)) if !write => Ok(Some(0)),
            Kind::Output(_) if write => Ok(Some(0)),
            Kind::Socket(_) | Kind::Listener(_) => Ok(None),
            Kind::Stdin(_) | Kind::Output(_) | Kind::Dir { .. } => Err(Errno::Badf),
        }
    }

    /// Sleeps until the first of `pending` is due, then adds what is ready to `ready`.
    fn wait(
        &mut self,
        pending: &[Pending],
        start: Instant,
        ready: &mut Vec<Event>,
    ) -> Result<(), Errno> {
        let first_clock = pending
            .iter()
            .filter_map(|p| match p.wait {
                Wait::Clock { after } => Some(after),
                Wait::Os { .. } => None,
            })
            .min();
        let os: Vec<(usize, u32, bool)> = pending
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p.wait {
                Wait::Os { fd, write } => Some((i, fd, write)),
                Wait::Clock { .. } => None,
            })
            .collect();
        // A deadline past what an `Instant` can hold (centuries away) is never reached.
        let deadline = first_clock.and_then(|after| start.checked_add(after));
        if os.is_empty() {
            match deadline {
                Some(deadline) => sleep_until(deadline),
                None => loop {
                    std::thread::park();
                },
            }
        } else {
            let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            for (i, nbytes, hangup) in self.os_poll(&os, timeout)? {
                let p = &pending[i];
                ready.push(Event {
                    userdata: p.userdata,
                    error: Errno::Success,
                    kind: p.kind,
                    nbytes,
                    hangup,
                });
            }
        }
        let elapsed = start.elapsed();
        for p in pending {
            if let Wait::Clock { after } = p.wait
                && after <= elapsed
            {
                ready.push(Event::clock(p.userdata, p.kind));
            }
        }
        Ok(())
    }

    /// Asks the OS which of `subs` (index, fd, write) are ready, waiting at most `timeout`
    /// (`None`: until one is). Returns (index, nbytes, hangup) for each ready one.
    #[cfg(unix)]
    fn os_poll(
        &self,
        subs: &[(usize, u32, bool)],
        timeout: Option<Duration>,
    ) -> Result<Vec<(usize, u64, bool)>, Errno> {
        use rustix::event::{PollFd, PollFlags, Timespec};
        use std::os::fd::{AsFd, BorrowedFd};
        let stdin = std::io::stdin();
        let mut fds: Vec<PollFd<'_>> = Vec::with_capacity(subs.len());
        for &(_, fd, write) in subs {
            let borrowed: BorrowedFd<'_> = match &self.table.get(fd)?.kind {
                Kind::Stdin(_) => stdin.as_fd(),
                Kind::Socket(s) => s.as_fd(),
                Kind::Listener(l) => l.as_fd(),
                _ => return Err(Errno::Badf),
            };
            let flags = if write { PollFlags::OUT } else { PollFlags::IN };
            fds.push(PollFd::from_borrowed_fd(borrowed, flags));
        }
        let timespec = timeout.map(|d| Timespec {
            tv_sec: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(d.subsec_nanos()),
        });
        loop {
            match rustix::event::poll(&mut fds, timespec.as_ref()) {
                Ok(_) => break,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(super::types::from_os_errno(e)),
            }
        }
        let mut out = Vec::new();
        for (pfd, &(i, _, _)) in fds.iter().zip(subs) {
            let revents = pfd.revents();
            if !revents.is_empty() {
                let hangup = revents.contains(PollFlags::HUP);
                out.push((i, 0, hangup));
            }
        }
        Ok(out)
    }

    #[cfg(not(unix))]
    fn os_poll(
        &self,
        subs: &[(usize, u32, bool)],
        _timeout: Option<Duration>,
    ) -> Result<Vec<(usize, u64, bool)>, Errno> {
        Ok(subs.iter().map(|&(i, _, _)| (i, 0, false)).collect())
    }
}

impl Event {
    fn error(userdata: u64, kind: u8, error: Errno) -> Event {
        Event {
            userdata,
            error,
            kind,
            nbytes: 0,
            hangup: false,
        }
    }
    fn clock(userdata: u64, kind: u8) -> Event {
        Event::error(userdata, kind, Errno::Success)
    }
}

/// Sleeps until `deadline` (a sleep may end early on some hosts: sleep again).
fn sleep_until(deadline: Instant) {
    loop {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        std::thread::sleep(deadline - now);
    }
}
