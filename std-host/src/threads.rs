//! Threads for std hosts: how a thread blocks in `memory.atomic.wait` (a
//! [`Parker`] on a mutex and a condition variable), for `Config::thread_parker`.
//!
//! ```
//! let mut config = folio::Config::default();
//! config.thread_parker(folio_host::threads::new_parker);
//! ```
#![forbid(unsafe_code)]

use folio::memory::Parker;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A parker for the calling thread: the engine calls this each time a thread begins to
/// wait (`folio::Config::thread_parker`).
pub fn new_parker() -> Arc<dyn Parker> {
    Arc::new(CondvarParker::default())
}

/// Parks on a condition variable until unparked (a flag, so an unpark that comes first
/// is not lost) or the timeout passes; spurious wake-ups wait again.
#[derive(Debug, Default)]
pub struct CondvarParker {
    unparked: Mutex<bool>,
    cond: Condvar,
}

impl Parker for CondvarParker {
    fn park(&self, timeout_ns: Option<u64>) -> bool {
        // A poisoned lock only means another thread panicked holding it; the flag is a
        // plain bool, still meaningful.
        let mut unparked = self.unparked.lock().unwrap_or_else(PoisonError::into_inner);
        let deadline =
            timeout_ns.and_then(|ns| Instant::now().checked_add(Duration::from_nanos(ns)));
        while !*unparked {
            match (timeout_ns, deadline) {
                (None, _) | (Some(_), None) => {
                    // No timeout, or one beyond what `Instant` can represent.
                    unparked = self
                        .cond
                        .wait(unparked)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                (Some(_), Some(deadline)) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return false;
                    }
                    unparked = self
                        .cond
                        .wait_timeout(unparked, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
        }
        true
    }

    fn unpark(&self) {
        *self.unparked.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.cond.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_expires_and_an_early_unpark_is_kept() {
        let p = CondvarParker::default();
        let start = Instant::now();
        assert!(!p.park(Some(20_000_000)));
        assert!(start.elapsed() >= Duration::from_millis(20));
        p.unpark();
        assert!(p.park(None));
        let p = Arc::new(CondvarParker::default());
        let q = p.clone();
        let t = std::thread::spawn(move || q.park(None));
        std::thread::sleep(Duration::from_millis(10));
        p.unpark();
        assert!(t.join().unwrap());
    }
}
