//! The no_std gate: this crate links folio without `std`. It is only built, never run.
#![no_std]

use core::alloc::{GlobalAlloc, Layout};
use core::panic::PanicInfo;
use folio::memory::{Memory, MemoryType, effective_address};

/// An allocator that never succeeds: enough to link `alloc`; folio turns its refusals into
/// errors (or, for small bookkeeping boxes, an allocation-error panic).
struct NoAlloc;

// SAFETY: `alloc` always returns null, which GlobalAlloc allows as "could not allocate";
// `dealloc` is never given a pointer this allocator returned, since it returns none.
unsafe impl GlobalAlloc for NoAlloc {
    unsafe fn alloc(&self, _layout: Layout) -> *mut u8 {
        core::ptr::null_mut()
    }
    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: NoAlloc = NoAlloc;

#[panic_handler]
fn panic(_info: &PanicInfo<'_>) -> ! {
    loop {}
}

/// Creates a memory of `pages` pages and reads its size back; `u64::MAX` on failure.
#[unsafe(no_mangle)]
pub extern "C" fn folio_nostd_check(pages: u64) -> u64 {
    match Memory::new(MemoryType::i32(pages, None), None) {
        Ok(mem) if effective_address(0, 0, 1, mem.byte_len()).is_some() => mem.size(),
        Ok(_) | Err(_) => u64::MAX,
    }
}
