//! The firmware image of the no_std gate: a `#![no_main]` binary whose entry point runs
//! [`folio_nostd_check::check`]. It is linked, never run.
//!
//! Why a binary: a `cdylib` does not exist on bare-metal targets (rustc drops the crate
//! type), and a `staticlib` is an archive that no linker has looked at. Only a linked
//! executable proves that every symbol folio needs resolves without `std`, and the linker
//! keeps exactly what the entry point reaches (`--gc-sections`), so its size is what an
//! embedder pays for folio's whole runtime.
//!
//! The entry point is `_start`, the symbol `rust-lld` starts from by default. No linker
//! script: the link checks symbols, not a board's memory map (firmware brings its own,
//! e.g. `cortex-m-rt`'s `link.x`).
//!
//! Why bare-metal targets only, with `x86_64-unknown-none` for 64 bits rather than the
//! Linux host: there `alloc` comes prebuilt for unwinding (it wants `rust_eh_personality`
//! and `_Unwind_Resume`, which only `std` defines) and `memcpy` and friends come from
//! libc, so a `#![no_std]` executable would need stubs that prove nothing about folio.
#![no_std]
#![no_main]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicUsize, Ordering};

/// What the bump allocator hands out. Instantiating and running the gate's module
/// allocates about 17 KiB in all on x86_64 (measured by counting every allocation and
/// reallocation, none freed, as here); a 32-bit target needs less.
const HEAP_BYTES: usize = 64 * 1024;

/// A bump allocator over a static array: each allocation claims the next aligned piece
/// with one compare-and-swap on `next`, and nothing is ever freed. Enough for a check
/// that runs once; an embedder brings its own (e.g. `embedded-alloc`).
struct Bump {
    heap: UnsafeCell<[u8; HEAP_BYTES]>,
    next: AtomicUsize,
}

// SAFETY: `heap` is only ever reached through pointers `alloc` returns, and each piece
// it returns is claimed by a single atomic update of `next`, so no two callers (threads
// or interrupts) get overlapping bytes.
unsafe impl Sync for Bump {}

// SAFETY: `alloc` returns null or a pointer to `layout.size()` bytes inside `heap`,
// aligned to `layout.align()`, that no other allocation overlaps (see `Sync` above) and
// that stay valid for the program's life. `dealloc` frees nothing, which is allowed.
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = self.heap.get().cast::<u8>();
        // Where an allocation looking from offset `next` on begins and ends, if it fits.
        let place = |next: usize| {
            let aligned = base
                .addr()
                .checked_add(next)?
                .checked_next_multiple_of(layout.align())?;
            let begin = aligned - base.addr();
            let end = begin.checked_add(layout.size())?;
            (end <= HEAP_BYTES).then_some((begin, end))
        };
        let claimed = self
            .next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
                place(next).map(|(_, end)| end)
            });
        match claimed.ok().and_then(place) {
            Some((begin, _)) => base.wrapping_add(begin),
            None => core::ptr::null_mut(),
        }
    }
    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump {
    heap: UnsafeCell::new([0; HEAP_BYTES]),
    next: AtomicUsize::new(0),
};

#[panic_handler]
fn panic(_info: &PanicInfo<'_>) -> ! {
    park()
}

/// The entry point: runs the check on an input the optimiser cannot see, then parks.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let result = folio_nostd_check::check(core::hint::black_box(20));
    core::hint::black_box(&result);
    park()
}

/// Where a bare-metal program with nothing left to do stays.
fn park() -> ! {
    loop {
        core::hint::spin_loop();
    }
}
