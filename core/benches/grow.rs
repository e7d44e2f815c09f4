//! Growing a heap-backed memory to 16,384 pages (1 GiB): one page at a time against one
//! grow of 16,384 pages. The heap store grows its capacity geometrically, so the page-by-page
//! way should copy about the final size in total, not the O(n²) of exact reallocation.
//!
//! The heap store's first allocation is lazily zeroed (`alloc_zeroed`), so one big grow of
//! an empty memory writes nothing at all, while growing page by page must zero each new
//! page as the length reaches it (spare capacity from `realloc` is not known to be zero).
//! To compare equal work, `all_at_once_then_write` also writes every byte once, as a
//! program that grew its memory to use it would; that is the pair to read as the ratio.
//!
//! Run with `cargo bench -p folio --bench grow`. Bytes copied are printed before the timings.

use folio::memory::{Memory, MemoryType};

const PAGES: u64 = 16_384;

fn fresh() -> Memory {
    Memory::new(MemoryType::i32(0, None), None).expect("an empty memory")
}

fn one_page_at_a_time() -> Memory {
    let mut mem = fresh();
    for _ in 0..PAGES {
        mem.grow(1, None).expect("1 GiB fits the bench machine");
    }
    mem
}

fn all_at_once() -> Memory {
    let mut mem = fresh();
    mem.grow(PAGES, None).expect("1 GiB fits the bench machine");
    mem
}

fn main() {
    for (name, mem) in [
        ("one page at a time", one_page_at_a_time()),
        ("all at once", all_at_once()),
    ] {
        let copied = mem.bytes_copied();
        let ratio = copied as f64 / mem.byte_len() as f64;
        println!(
            "{name}: {} pages, {} bytes, {copied} bytes copied ({ratio:.2} x final size)",
            mem.size(),
            mem.byte_len()
        );
    }
    divan::main();
}

// One iteration per sample: each output is 1 GiB, and divan keeps a sample's outputs until
// it has timed them.
#[divan::bench(name = "one_page_at_a_time", sample_size = 1, sample_count = 20)]
fn bench_one_page_at_a_time() -> Memory {
    one_page_at_a_time()
}

#[divan::bench(name = "all_at_once", sample_size = 1, sample_count = 20)]
fn bench_all_at_once() -> Memory {
    all_at_once()
}

#[divan::bench(name = "all_at_once_then_write", sample_size = 1, sample_count = 20)]
fn bench_all_at_once_then_write() -> Memory {
    let mut mem = all_at_once();
    let len = mem.byte_len() as u64;
    mem.fill(0, 1, len).expect("in bounds");
    mem
}
