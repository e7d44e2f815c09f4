//! Pins every rule of the memory module: the guide's figures, each limit a grow can hit,
//! bounds checks at the edges, the stores, the limiter, shared memories.

extern crate std;

use super::*;
use crate::prelude::*;
use core::sync::atomic::Ordering;

const PAGE: usize = 65_536;

fn mem(min: u64, max: Option<u64>) -> Memory {
    Memory::new(MemoryType::i32(min, max), None).expect("small memory")
}

/// Records what it is asked and refuses past `limit` bytes.
#[derive(Default)]
struct Recorder {
    limit: Option<u64>,
    asked: Vec<(u64, u64, Option<u64>)>,
    failed: Vec<(u64, u64)>,
}

impl Recorder {
    fn refusing_above(limit: u64) -> Recorder {
        Recorder {
            limit: Some(limit),
            ..Recorder::default()
        }
    }
}

impl Limiter for Recorder {
    fn memory_growing(
        &mut self,
        current: u64,
        desired: u64,
        max: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        self.asked.push((current, desired, max));
        match self.limit {
            Some(limit) if desired > limit => {
                Err(LimiterRefusal::with_limit("bytes in the test", limit))
            }
            _ => Ok(()),
        }
    }
    fn memory_grow_failed(&mut self, current: u64, desired: u64) {
        self.failed.push((current, desired));
    }
    fn table_growing(&mut self, _: u64, _: u64, _: Option<u64>) -> Result<(), LimiterRefusal> {
        Ok(())
    }
}

fn region(len: usize) -> &'static mut [u8] {
    Box::leak(vec![0u8; len].into_boxed_slice())
}

// ---- Types and their caps ----

#[test]
fn caps_are_the_formula() {
    let cap = |index, log2| {
        MemoryType {
            index_type: index,
            ..MemoryType::i32(0, None)
        }
        .with_page_size_log2(log2)
        .index_cap_pages()
    };
    assert_eq!(cap(IndexType::I32, 16), MAX_PAGES_I32);
    assert_eq!(cap(IndexType::I32, 0), MAX_BYTE_PAGES_I32);
    assert_eq!(cap(IndexType::I64, 16), MAX_PAGES_I64);
    assert_eq!(cap(IndexType::I64, 0), MAX_BYTE_PAGES_I64);
    assert_eq!(MAX_PAGES_I32, 65_536);
    assert_eq!(MAX_BYTE_PAGES_I32, (1 << 32) - 1);
    assert_eq!(MAX_PAGES_I64, 1 << 48);
    // Out-of-range page sizes compute without panicking.
    assert_eq!(cap(IndexType::I32, 40), 0);
    assert_eq!(cap(IndexType::I64, 255), 0);
    assert_eq!(
        MemoryType::i32(0, None).with_page_size_log2(64).page_size(),
        0
    );
    assert_eq!(
        MemoryType::i32(0, None)
            .with_page_size_log2(200)
            .bytes_for(1),
        None
    );
    assert_eq!(MemoryType::i32(0, None).page_size(), 65_536);
    assert_eq!(
        MemoryType::i32(0, None).with_page_size_log2(0).page_size(),
        1
    );
}

#[test]
fn validation_follows_the_spec_tests() {
    let ok = |t: MemoryType| assert_eq!(t.validate(), Ok(()), "{t:?}");
    let bad = |t: MemoryType| t.validate().expect_err("invalid type");
    // custom-page-sizes/memory_max.wast and memory_max_i64.wast
    ok(MemoryType::i32(65_536, None));
    ok(MemoryType::i32(0xFFFF_FFFF, None).with_page_size_log2(0));
    ok(MemoryType::i64(1 << 48, None));
    ok(MemoryType::i64(u64::MAX, Some(u64::MAX)).with_page_size_log2(0));
    let e = bad(MemoryType::i32(65_537, None));
    assert_eq!(
        e,
        MemoryTypeError::TooLarge {
            pages: 65_537,
            cap: 65_536,
            page_size: 65_536
        }
    );
    assert!(
        e.to_string().starts_with("memory size must be at most"),
        "{e}"
    );
    bad(MemoryType::i32(0, Some(65_537)));
    bad(MemoryType::i32(1 << 32, None).with_page_size_log2(0));
    bad(MemoryType::i64((1 << 48) + 1, None));
    // An i64 memory's limits go past 4 GiB.
    ok(MemoryType::i64(1, Some(100_000)));
    assert!(Memory::new(MemoryType::i64(1, Some(100_000)), None).is_ok());
    // Page sizes other than 1 and 65,536 bytes.
    for log2 in [1, 2, 12, 15, 17, 63, 64, 200] {
        let e = bad(MemoryType::i32(0, None).with_page_size_log2(log2));
        assert!(e.to_string().starts_with("invalid custom page size"), "{e}");
    }
    let e = bad(MemoryType::i32(2, Some(1)));
    assert!(
        e.to_string()
            .starts_with("size minimum must not be greater than maximum")
    );
    let e = bad(MemoryType::i32(1, None).with_shared(true));
    assert_eq!(e.to_string(), "shared memory must have maximum");
    ok(MemoryType::i32(1, Some(2)).with_shared(true));
}

// ---- The guide's figures ----

#[test]
fn guide_initial_1_max_3() {
    let mut m = mem(1, Some(3));
    assert_eq!(m.byte_len(), 65_536);
    assert_eq!(m.grow(1, None), Ok(1));
    assert_eq!(m.byte_len(), 131_072);
    assert_eq!(m.grow(1, None), Ok(2));
    let e = m.grow(1, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::DeclaredMaximum {
            current: 3,
            delta: 1,
            maximum: 3
        }
    );
    assert_eq!(e.limit(), "declared maximum");
    assert!(e.to_string().contains("declared maximum of 3 pages"), "{e}");
    assert_eq!(m.byte_len(), 196_608);
    assert_eq!(m.size(), 3);
}

#[test]
fn guide_initial_16_max_256() {
    let mut m = mem(16, Some(256));
    assert_eq!(m.byte_len(), 1_048_576);
    assert_eq!(m.grow(16, None), Ok(16));
    assert_eq!(m.byte_len(), 2_097_152);
    assert!(m.data().iter().all(|&b| b == 0), "new pages are zero");
}

#[test]
fn grow_zero_returns_size_and_asks_no_one() {
    let mut m = mem(2, Some(2));
    let mut rec = Recorder::refusing_above(0);
    assert_eq!(m.grow(0, Some(&mut rec)), Ok(2));
    assert!(rec.asked.is_empty());
}

// ---- Each limit a grow can hit ----

#[test]
fn i32_index_cap_without_allocating() {
    let mut m = mem(0, None);
    let mut rec = Recorder::default();
    let e = m.grow(65_537, Some(&mut rec)).unwrap_err();
    assert_eq!(
        e,
        GrowError::IndexCap {
            current: 0,
            delta: 65_537,
            cap: 65_536
        }
    );
    assert!(
        e.to_string().contains("index type's cap of 65536 pages"),
        "{e}"
    );
    assert!(
        rec.asked.is_empty(),
        "refused before the limiter, so before any allocation"
    );
    assert_eq!(m.byte_len(), 0);
    // Exactly the cap passes the type's checks and reaches the limiter.
    let mut refuse = Recorder::refusing_above(0);
    let e = m.grow(65_536, Some(&mut refuse)).unwrap_err();
    assert!(
        matches!(
            e,
            GrowError::Limiter {
                bytes: 4_294_967_296,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn i32_index_cap_with_byte_pages() {
    let mut m = Memory::new(MemoryType::i32(0, None).with_page_size_log2(0), None).unwrap();
    let e = m.grow(1 << 32, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::IndexCap {
            current: 0,
            delta: 1 << 32,
            cap: (1 << 32) - 1
        }
    );
    let mut refuse = Recorder::refusing_above(0);
    let e = m.grow((1 << 32) - 1, Some(&mut refuse)).unwrap_err();
    assert_eq!(e.limit(), "limiter");
    // Byte pages grow byte by byte (custom-page-sizes.wast).
    assert_eq!(m.grow(65_536, None), Ok(0));
    assert_eq!(m.size(), 65_536);
    assert_eq!(m.load::<1>(65_535, 0), Ok([0]));
    assert_eq!(m.load::<1>(65_536, 0), Err(OutOfBounds));
}

#[test]
fn default_page_size_caps_below_byte_pages() {
    // custom-page-sizes.wast: (memory 0 (pagesize 65536)) cannot grow by 65,537.
    let mut m = mem(0, None);
    assert!(matches!(
        m.grow(65_537, None),
        Err(GrowError::IndexCap { .. })
    ));
    assert_eq!(m.size(), 0);
}

#[test]
fn deltas_near_u64_max_never_overflow() {
    let mut m = Memory::new(MemoryType::i64(1, None).with_page_size_log2(0), None).unwrap();
    let e = m.grow(u64::MAX, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::IndexCap {
            current: 1,
            delta: u64::MAX,
            cap: u64::MAX
        }
    );
    let mut m = Memory::new(MemoryType::i64(1, Some(5)), None).unwrap();
    let e = m.grow(u64::MAX, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::DeclaredMaximum {
            current: 1,
            delta: u64::MAX,
            maximum: 5
        }
    );
    let mut m = Memory::new(MemoryType::i64(0, None), None).unwrap();
    let e = m.grow((1 << 48) + 1, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::IndexCap {
            current: 0,
            delta: (1 << 48) + 1,
            cap: 1 << 48
        }
    );
    for delta in [u64::MAX, u64::MAX - 1, 1 << 63, 1 << 49] {
        assert!(mem(1, None).grow(delta, None).is_err());
    }
}

#[test]
fn beyond_the_address_space_is_out_of_memory() {
    // 2^48 pages of 64 KiB are 2^64 bytes: allowed by the type, beyond any usize.
    let mut m = Memory::new(MemoryType::i64(0, None), None).unwrap();
    let mut rec = Recorder::default();
    let e = m.grow(1 << 48, Some(&mut rec)).unwrap_err();
    assert_eq!(
        e,
        GrowError::OutOfMemory {
            current: 0,
            delta: 1 << 48,
            bytes: u64::MAX
        }
    );
    assert!(rec.asked.is_empty());
}

#[test]
fn allocator_refusal_is_out_of_memory_and_changes_nothing() {
    let mut m = Memory::new(MemoryType::i64(1, None), None).unwrap();
    m.write(0, b"kept").unwrap();
    let mut total = MaxTotalBytes::new(u64::MAX);
    assert_eq!(total.memory_growing(0, 65_536, None), Ok(()));
    // 2^40 pages = 2^56 bytes: no allocator provides that.
    let e = m.grow(1 << 40, Some(&mut total)).unwrap_err();
    assert_eq!(
        e,
        GrowError::OutOfMemory {
            current: 1,
            delta: 1 << 40,
            bytes: (1 << 56) + 65_536
        }
    );
    assert!(e.to_string().contains("out of memory"), "{e}");
    assert_eq!(total.used(), 65_536, "the limiter got the bytes back");
    assert_eq!(m.size(), 1);
    assert_eq!(&m.data()[..4], b"kept");
}

#[test]
fn limiter_refuses_grow_with_figures() {
    let mut m = mem(1, Some(10));
    let mut limit = MaxBytes(2 * PAGE as u64);
    assert_eq!(m.grow(1, Some(&mut limit)), Ok(1));
    let e = m.grow(1, Some(&mut limit)).unwrap_err();
    let refusal = LimiterRefusal::with_limit("bytes per memory", 131_072);
    assert_eq!(
        e,
        GrowError::Limiter {
            current: 2,
            delta: 1,
            bytes: 196_608,
            refusal
        }
    );
    assert_eq!(
        e.to_string(),
        "cannot grow memory of 2 pages by 1: the embedder's limiter refused 196608 bytes: \
         limit of 131072 bytes per memory"
    );
    assert_eq!(m.size(), 2);

    let mut rec = Recorder::default();
    m.grow(3, Some(&mut rec)).unwrap();
    assert_eq!(rec.asked, [(131_072, 327_680, Some(655_360))]);
}

#[test]
fn limiter_is_asked_on_creation() {
    let mut limit = MaxBytes(65_536);
    let e = Memory::new(MemoryType::i32(2, None), Some(&mut limit)).unwrap_err();
    let refusal = LimiterRefusal::with_limit("bytes per memory", 65_536);
    assert_eq!(
        e,
        MemoryError::Limiter {
            pages: 2,
            bytes: 131_072,
            refusal
        }
    );
    assert!(
        e.to_string()
            .starts_with("could not allocate memory: 2 pages"),
        "{e}"
    );

    let mut rec = Recorder::default();
    Memory::new(MemoryType::i32(0, None), Some(&mut rec)).unwrap();
    assert_eq!(
        rec.asked,
        [(0, 0, None)],
        "even a 0-page memory is announced"
    );
}

#[test]
fn total_bytes_limiter_spans_memories() {
    let mut total = MaxTotalBytes::new(3 * PAGE as u64);
    let mut a = Memory::new(MemoryType::i32(1, None), Some(&mut total)).unwrap();
    let mut b = Memory::new(MemoryType::i32(1, None), Some(&mut total)).unwrap();
    assert_eq!(a.grow(1, Some(&mut total)), Ok(1));
    assert_eq!(b.grow(1, Some(&mut total)).unwrap_err().limit(), "limiter");
    assert!(Memory::new(MemoryType::i32(1, None), Some(&mut total)).is_err());
    assert_eq!(total.used(), 3 * PAGE as u64);
}

#[test]
fn creation_failures_are_values() {
    // Beyond what the allocator gives.
    let e = Memory::new(MemoryType::i64(1 << 40, None), None).unwrap_err();
    assert_eq!(e, MemoryError::CouldNotAllocate { pages: 1 << 40 });
    assert_eq!(
        e.to_string(),
        "could not allocate memory: 1099511627776 pages"
    );
    // Beyond the address space (2^64 bytes).
    let e = Memory::new(MemoryType::i64(1 << 48, None), None).unwrap_err();
    assert_eq!(e, MemoryError::CouldNotAllocate { pages: 1 << 48 });
    // The limiter gets its bytes back when the allocation fails.
    let mut total = MaxTotalBytes::new(u64::MAX);
    assert!(Memory::new(MemoryType::i64(1 << 40, None), Some(&mut total)).is_err());
    assert_eq!(total.used(), 0);
    // An invalid type.
    let e = Memory::new(MemoryType::i32(70_000, None), None).unwrap_err();
    assert!(matches!(
        e,
        MemoryError::InvalidType(MemoryTypeError::TooLarge { .. })
    ));
    // A shared type's maximum is reserved up front.
    let e = Memory::new(MemoryType::i64(0, Some(1 << 40)).with_shared(true), None).unwrap_err();
    assert_eq!(e, MemoryError::CouldNotReserve { pages: 1 << 40 });
}

// ---- Stores ----

#[test]
fn region_store_grows_in_place_up_to_its_length() {
    let region = region(1 << 20);
    region.fill(0xAA); // garbage the memory must not show
    let base = region.as_ptr();
    let store = Box::new(RegionStore::new(region));
    let mut m = Memory::with_store(MemoryType::i32(1, None), store, None).unwrap();
    assert!(m.data().iter().all(|&b| b == 0), "initial pages are zeroed");
    assert_eq!(m.grow(15, None), Ok(1));
    assert!(m.data().iter().all(|&b| b == 0), "grown pages are zeroed");
    m.write(1_000_000, b"intact").unwrap();
    let e = m.grow(1, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::StoreCapacity {
            current: 16,
            delta: 1,
            bytes: 17 * 65_536,
            capacity: 1 << 20
        }
    );
    assert!(
        e.to_string()
            .contains("page store's capacity of 1048576 bytes"),
        "{e}"
    );
    assert_eq!(m.size(), 16);
    assert_eq!(m.data().as_ptr(), base, "never moves");
    let mut buf = [0; 6];
    m.read(1_000_000, &mut buf).unwrap();
    assert_eq!(&buf, b"intact");
    assert_eq!(m.bytes_copied(), 0);
}

#[test]
fn region_store_too_small_for_the_initial_size() {
    let store = Box::new(RegionStore::new(region(PAGE)));
    let mut rec = Recorder::default();
    let e = Memory::with_store(MemoryType::i32(2, None), store, Some(&mut rec)).unwrap_err();
    assert_eq!(
        e,
        MemoryError::StoreCapacity {
            pages: 2,
            bytes: 131_072,
            capacity: 65_536
        }
    );
    assert!(rec.asked.is_empty());
}

/// Found by the `grow_access` fuzzer: a shared memory's reservation that is too small is
/// a certain refusal, reported as such before the limiter is asked (as for a region).
#[test]
fn reservation_too_small_for_the_initial_size() {
    let store = Box::new(HeapReservation::new(PAGE).unwrap());
    let mut rec = Recorder::refusing_above(0);
    let ty = MemoryType::i32(2, Some(4)).with_shared(true);
    let e = SharedMemory::with_store(ty, store, Some(&mut rec)).unwrap_err();
    assert_eq!(
        e,
        MemoryError::StoreCapacity {
            pages: 2,
            bytes: 131_072,
            capacity: 65_536
        }
    );
    assert!(rec.asked.is_empty());
    assert!(rec.failed.is_empty());
}

#[test]
fn store_already_longer_than_initial() {
    let mut store = HeapStore::default();
    store.grow_to(2 * PAGE).unwrap();
    let e = Memory::with_store(MemoryType::i32(1, None), Box::new(store), None).unwrap_err();
    assert_eq!(
        e,
        MemoryError::StoreTooLong {
            store_bytes: 131_072,
            initial_bytes: 65_536
        }
    );
}

/// A store whose allocator always refuses.
struct Refusing;

impl PageStore for Refusing {
    fn data(&self) -> &[u8] {
        &[]
    }
    fn data_mut(&mut self) -> &mut [u8] {
        &mut []
    }
    fn grow_to(&mut self, new_len: usize) -> Result<(), StoreGrowError> {
        if new_len == 0 {
            Ok(())
        } else {
            Err(StoreGrowError::out_of_memory())
        }
    }
    fn capacity(&self) -> Option<usize> {
        None
    }
}

struct RefusingFactory;

impl PageStoreFactory for RefusingFactory {
    fn create(&self, ty: &MemoryType, _initial: usize) -> Result<Box<dyn PageStore>, MemoryError> {
        Err(MemoryError::could_not_allocate(ty.min))
    }
}

#[test]
fn store_refusals_reach_the_limiter() {
    let mut rec = Recorder::default();
    let mut m =
        Memory::with_store(MemoryType::i32(0, None), Box::new(Refusing), Some(&mut rec)).unwrap();
    let e = m.grow(2, Some(&mut rec)).unwrap_err();
    assert_eq!(
        e,
        GrowError::OutOfMemory {
            current: 0,
            delta: 2,
            bytes: 131_072
        }
    );
    assert_eq!(rec.failed, [(0, 131_072)]);

    let mut rec = Recorder::default();
    let e = Memory::with_store(MemoryType::i32(1, None), Box::new(Refusing), Some(&mut rec))
        .unwrap_err();
    assert_eq!(e, MemoryError::CouldNotAllocate { pages: 1 });
    assert_eq!(rec.failed, [(0, 65_536)]);

    let mut rec = Recorder::default();
    let e = Memory::with_factory(MemoryType::i32(3, None), &RefusingFactory, Some(&mut rec))
        .unwrap_err();
    assert_eq!(e, MemoryError::CouldNotAllocate { pages: 3 });
    assert_eq!(rec.failed, [(0, 196_608)]);
}

#[test]
fn heap_growth_is_geometric() {
    // 16,384 one-page grows of 1-byte pages, then 1,024 of 64 KiB pages (64 MiB); the
    // bench does 16,384 of 64 KiB.
    for (log2, grows) in [(0, 16_384u64), (16, 1_024)] {
        let mut m = Memory::new(MemoryType::i32(0, None).with_page_size_log2(log2), None).unwrap();
        for i in 0..grows {
            assert_eq!(m.grow(1, None), Ok(i));
        }
        let final_bytes = m.byte_len() as u64;
        assert!(
            m.bytes_copied() < 2 * final_bytes,
            "{} copied for {final_bytes}",
            m.bytes_copied()
        );
        // One grow of the same size copies nothing.
        let mut once =
            Memory::new(MemoryType::i32(0, None).with_page_size_log2(log2), None).unwrap();
        once.grow(grows, None).unwrap();
        assert_eq!(once.bytes_copied(), 0);
    }
}

#[test]
fn heap_growth_keeps_contents() {
    let mut m = Memory::new(MemoryType::i32(0, None).with_page_size_log2(0), None).unwrap();
    for i in 0..1_000u64 {
        m.grow(1, None).unwrap();
        m.store(i, 0, [i as u8]).unwrap();
    }
    assert!(m.data().iter().enumerate().all(|(i, &b)| b == i as u8));
}

#[test]
fn shared_type_memory_never_moves() {
    let mut m = Memory::new(MemoryType::i32(1, Some(64)).with_shared(true), None).unwrap();
    let base = m.data().as_ptr();
    for _ in 0..63 {
        m.grow(1, None).unwrap();
    }
    assert_eq!(m.data().as_ptr(), base);
    assert!(m.grow(1, None).is_err());
    assert_eq!(m.data().as_ptr(), base);
    assert_eq!(m.bytes_copied(), 0);
}

// ---- Bounds-checked access ----

#[test]
fn effective_address_edges() {
    assert_eq!(effective_address(0, 0, 4, 4), Some(0));
    assert_eq!(effective_address(1, 0, 4, 4), None);
    assert_eq!(effective_address(0, 1, 4, 4), None);
    assert_eq!(effective_address(4, 0, 0, 4), Some(4));
    assert_eq!(effective_address(5, 0, 0, 4), None);
    assert_eq!(effective_address(u64::MAX, 1, 1, usize::MAX), None);
    assert_eq!(effective_address(1, u64::MAX, 1, usize::MAX), None);
    assert_eq!(effective_address(u64::MAX, u64::MAX, 1, usize::MAX), None);
    assert_eq!(effective_address(u64::MAX, 0, 1, usize::MAX), None);
    assert_eq!(
        effective_address(u64::MAX - 1, 0, 1, usize::MAX),
        Some(usize::MAX - 1)
    );
}

fn check_width<const N: usize>(m: &mut Memory) {
    let len = m.byte_len() as u64;
    let last = len - N as u64;
    let value: [u8; N] = core::array::from_fn(|i| i as u8 + 1);
    // The last N bytes, reached by address and by offset.
    assert_eq!(m.store(last, 0, value), Ok(()), "width {N}");
    assert_eq!(m.load::<N>(last, 0), Ok(value));
    assert_eq!(m.load::<N>(0, last), Ok(value));
    assert_eq!(m.load::<N>(last - 1, 1), Ok(value));
    // One byte further: out of bounds, and nothing written.
    let before = m.data().to_vec();
    assert_eq!(m.load::<N>(last + 1, 0), Err(OutOfBounds));
    assert_eq!(m.load::<N>(0, last + 1), Err(OutOfBounds));
    assert_eq!(m.store(last + 1, 0, [0xFF; N]), Err(OutOfBounds));
    assert_eq!(m.store(1, last, [0xFF; N]), Err(OutOfBounds));
    // address + offset overflowing u64 is out of bounds, not a wrap to a small address.
    assert_eq!(m.load::<N>(u64::MAX, 1), Err(OutOfBounds));
    assert_eq!(m.load::<N>(1, u64::MAX), Err(OutOfBounds));
    assert_eq!(m.load::<N>(u64::MAX, u64::MAX), Err(OutOfBounds));
    assert_eq!(m.store(u64::MAX, 1, [0xFF; N]), Err(OutOfBounds));
    assert_eq!(
        m.store(u64::MAX - (N as u64 - 1), 0, [0xFF; N]),
        Err(OutOfBounds)
    );
    assert_eq!(m.data(), &before[..]);
}

#[test]
fn loads_and_stores_at_the_edge_for_each_width() {
    let mut m = mem(1, None);
    check_width::<1>(&mut m);
    check_width::<2>(&mut m);
    check_width::<4>(&mut m);
    check_width::<8>(&mut m);
    check_width::<16>(&mut m);
}

#[test]
fn numbers_are_little_endian() {
    let mut m = mem(1, None);
    m.store(8, 0, 0x1122_3344u32.to_le_bytes()).unwrap();
    assert_eq!(m.data()[8..12], [0x44, 0x33, 0x22, 0x11]);
    assert_eq!(u16::from_le_bytes(m.load(8, 2).unwrap()), 0x1122);
    m.store(0, 16, u128::MAX.to_le_bytes()).unwrap();
    assert_eq!(u64::from_le_bytes(m.load(24, 0).unwrap()), u64::MAX);
}

#[test]
fn empty_memory_has_no_bytes_but_empty_ranges_at_zero() {
    let mut m = mem(0, None);
    assert_eq!(m.load::<1>(0, 0), Err(OutOfBounds));
    assert_eq!(m.read(0, &mut []), Ok(()));
    assert_eq!(m.fill(0, 1, 0), Ok(()));
    assert_eq!(m.fill(1, 1, 0), Err(OutOfBounds));
    assert_eq!(m.copy_within(0, 0, 0), Ok(()));
}

#[test]
fn read_and_write_ranges() {
    let mut m = mem(1, None);
    assert_eq!(m.write(65_532, b"abcd"), Ok(()));
    let mut buf = [0; 4];
    assert_eq!(m.read(65_532, &mut buf), Ok(()));
    assert_eq!(&buf, b"abcd");
    let before = m.data().to_vec();
    assert_eq!(m.write(65_533, b"wxyz"), Err(OutOfBounds));
    assert_eq!(m.write(u64::MAX, b"w"), Err(OutOfBounds));
    assert_eq!(m.data(), &before[..]);
    let mut buf = [7; 4];
    assert_eq!(m.read(65_533, &mut buf), Err(OutOfBounds));
    assert_eq!(buf, [7; 4], "untouched");
    // Zero length exactly at the end is in bounds; one past it is not.
    assert_eq!(m.write(65_536, b""), Ok(()));
    assert_eq!(m.write(65_537, b""), Err(OutOfBounds));
    assert_eq!(m.read(65_536, &mut []), Ok(()));
    assert_eq!(m.read(65_537, &mut []), Err(OutOfBounds));
}

#[test]
fn fill_out_of_bounds_writes_nothing() {
    let mut m = mem(1, None);
    assert_eq!(m.fill(65_530, 9, 6), Ok(()));
    assert!(m.data()[65_530..].iter().all(|&b| b == 9));
    assert_eq!(m.fill(0, 1, 65_537), Err(OutOfBounds));
    assert_eq!(m.fill(65_535, 1, 2), Err(OutOfBounds));
    assert_eq!(m.fill(1, 1, u64::MAX), Err(OutOfBounds));
    assert_eq!(m.fill(u64::MAX, 1, 1), Err(OutOfBounds));
    assert_eq!(m.data()[0], 0);
    assert_eq!(m.data()[65_535], 9);
    assert_eq!(m.fill(65_536, 1, 0), Ok(()));
    assert_eq!(m.fill(65_537, 1, 0), Err(OutOfBounds));
}

#[test]
fn copy_within_overlaps_both_ways() {
    let mut m = mem(1, None);
    m.write(0, b"abcdefgh").unwrap();
    // Forward overlap: dst above src.
    m.copy_within(2, 0, 6).unwrap();
    assert_eq!(&m.data()[..8], b"ababcdef");
    // Backward overlap: dst below src.
    m.write(0, b"abcdefgh").unwrap();
    m.copy_within(0, 2, 6).unwrap();
    assert_eq!(&m.data()[..8], b"cdefghgh");
    // Out of bounds on either side: nothing written.
    let before = m.data().to_vec();
    assert_eq!(m.copy_within(65_533, 0, 4), Err(OutOfBounds));
    assert_eq!(m.copy_within(0, 65_533, 4), Err(OutOfBounds));
    assert_eq!(m.copy_within(0, 1, u64::MAX), Err(OutOfBounds));
    assert_eq!(m.copy_within(u64::MAX, 0, 1), Err(OutOfBounds));
    assert_eq!(m.data(), &before[..]);
    assert_eq!(m.copy_within(65_536, 65_536, 0), Ok(()));
    assert_eq!(m.copy_within(65_537, 0, 0), Err(OutOfBounds));
    assert_eq!(m.copy_within(0, 65_537, 0), Err(OutOfBounds));
}

#[test]
fn copy_between_two_memories() {
    let mut a = mem(1, None);
    let mut b = Memory::new(MemoryType::i64(2, None).with_page_size_log2(0), None).unwrap();
    b.write(0, b"hi").unwrap();
    assert_eq!(Memory::copy_between(&mut a, 65_534, &b, 0, 2), Ok(()));
    assert_eq!(&a.data()[65_534..], b"hi");
    let before = a.data().to_vec();
    assert_eq!(
        Memory::copy_between(&mut a, 65_535, &b, 0, 2),
        Err(OutOfBounds)
    );
    assert_eq!(Memory::copy_between(&mut a, 0, &b, 1, 2), Err(OutOfBounds));
    assert_eq!(a.data(), &before[..]);
    assert_eq!(Memory::copy_between(&mut a, 65_536, &b, 2, 0), Ok(()));
    assert_eq!(Memory::copy_between(&mut a, 0, &b, 3, 0), Err(OutOfBounds));
}

#[test]
fn init_checks_the_segment_too() {
    let mut m = mem(1, None);
    let data = b"segment";
    assert_eq!(m.init(10, data, 3, 4), Ok(()));
    assert_eq!(&m.data()[10..14], b"ment");
    let before = m.data().to_vec();
    assert_eq!(m.init(0, data, 4, 4), Err(OutOfBounds), "past the segment");
    assert_eq!(
        m.init(65_534, data, 0, 3),
        Err(OutOfBounds),
        "past the memory"
    );
    assert_eq!(m.init(0, data, u64::MAX, 1), Err(OutOfBounds));
    assert_eq!(m.data(), &before[..]);
    assert_eq!(m.init(65_536, data, 7, 0), Ok(()));
    assert_eq!(m.init(0, data, 8, 0), Err(OutOfBounds));
    assert_eq!(m.init(65_537, data, 0, 0), Err(OutOfBounds));
}

// ---- Shared memories ----

#[test]
fn shared_memory_requires_a_maximum() {
    let e = SharedMemory::new(MemoryType::i32(1, None).with_shared(true), None).unwrap_err();
    assert_eq!(
        e,
        MemoryError::InvalidType(MemoryTypeError::SharedWithoutMaximum)
    );
    let e = SharedMemory::new(MemoryType::i32(1, None), None).unwrap_err();
    assert_eq!(
        e,
        MemoryError::InvalidType(MemoryTypeError::SharedWithoutMaximum)
    );
    let mut limit = MaxBytes(0);
    let e = SharedMemory::new(
        MemoryType::i32(1, Some(1)).with_shared(true),
        Some(&mut limit),
    );
    assert!(matches!(e, Err(MemoryError::Limiter { pages: 1, .. })));
}

#[test]
fn shared_memory_never_moves() {
    let m = SharedMemory::new(MemoryType::i32(1, Some(8)).with_shared(true), None).unwrap();
    let base = m.base_ptr();
    m.write(100, b"kept").unwrap();
    assert_eq!(m.grow(3, None), Ok(1));
    assert_eq!(m.base_ptr(), base);
    assert_eq!(
        m.atomic_bytes().as_ptr().cast::<u8>(),
        base.as_ptr().cast_const()
    );
    assert_eq!(m.byte_len(), 4 * PAGE);
    let e = m.grow(5, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::DeclaredMaximum {
            current: 4,
            delta: 5,
            maximum: 8
        }
    );
    assert_eq!(m.base_ptr(), base);
    assert_eq!(m.size(), 4);
    let mut buf = [0; 4];
    m.read(100, &mut buf).unwrap();
    assert_eq!(&buf, b"kept");
    assert_eq!(m.load::<1>(4 * PAGE as u64 - 1, 0), Ok([0]));
    assert_eq!(m.load::<1>(4 * PAGE as u64, 0), Err(OutOfBounds));
}

#[test]
fn shared_memory_bounds_and_bulk_ops() {
    let m = SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None).unwrap();
    assert_eq!(m.store(65_532, 0, 0xDEAD_BEEFu32.to_le_bytes()), Ok(()));
    assert_eq!(m.load::<4>(65_532, 0), Ok(0xDEAD_BEEFu32.to_le_bytes()));
    assert_eq!(m.load::<4>(65_533, 0), Err(OutOfBounds));
    assert_eq!(m.store(u64::MAX, 1, [1]), Err(OutOfBounds));
    m.write(0, b"abcdefgh").unwrap();
    m.copy_within(2, 0, 6).unwrap();
    m.copy_within(8, 0, 8).unwrap();
    let mut buf = [0; 16];
    m.read(0, &mut buf).unwrap();
    assert_eq!(&buf, b"ababcdefababcdef");
    m.write(0, b"abcdefgh").unwrap();
    m.copy_within(0, 2, 6).unwrap();
    m.read(0, &mut buf[..8]).unwrap();
    assert_eq!(&buf[..8], b"cdefghgh");
    assert_eq!(m.fill(65_535, 1, 2), Err(OutOfBounds));
    assert_eq!(m.copy_within(65_535, 0, 2), Err(OutOfBounds));
    assert_eq!(m.init(0, b"seg", 1, 3), Err(OutOfBounds));
    assert_eq!(m.init(65_534, b"seg", 1, 2), Ok(()));
    assert_eq!(m.load::<2>(65_534, 0), Ok(*b"eg"));
    assert_eq!(m.fill(65_536, 1, 0), Ok(()));
    assert_eq!(m.fill(65_537, 1, 0), Err(OutOfBounds));
    // A grow refused by the store's reservation.
    let store = HeapReservation::new(PAGE).unwrap();
    let m = SharedMemory::with_store(
        MemoryType::i32(0, Some(4)).with_shared(true),
        Box::new(store),
        None,
    )
    .unwrap();
    assert_eq!(m.grow(1, None), Ok(0));
    let e = m.grow(1, None).unwrap_err();
    assert_eq!(
        e,
        GrowError::StoreCapacity {
            current: 1,
            delta: 1,
            bytes: 131_072,
            capacity: 65_536
        }
    );
    // A zero-page, zero-maximum shared memory allocates nothing and has no bytes.
    let m = SharedMemory::new(MemoryType::i32(0, Some(0)).with_shared(true), None).unwrap();
    assert_eq!(m.load::<1>(0, 0), Err(OutOfBounds));
    assert_eq!(m.fill(0, 0, 0), Ok(()));
}

#[test]
fn shared_memory_from_two_threads() {
    let m = SharedMemory::new(MemoryType::i32(1, Some(64)).with_shared(true), None).unwrap();
    let base = m.base_ptr();
    std::thread::scope(|s| {
        let grower = m.clone();
        s.spawn(move || {
            for i in 1..64u64 {
                assert_eq!(grower.grow(1, None), Ok(i));
                // Leave a mark on each new page for the reader.
                grower.store(i * PAGE as u64, 0, [i as u8]).unwrap();
            }
        });
        let reader = m.clone();
        s.spawn(move || {
            let mut seen = 1;
            while seen < 64 {
                let size = reader.size();
                assert!(size >= seen, "a memory never shrinks");
                // The last byte of every size once seen is accessible, however the grower
                // races ahead.
                assert!(reader.load::<1>(size * PAGE as u64 - 1, 0).is_ok());
                let view = reader.atomic_bytes();
                assert_eq!(view.len() % PAGE, 0);
                assert!(view.len() as u64 >= size * PAGE as u64);
                seen = size;
            }
        });
        // A third thread writes meanwhile.
        s.spawn(|| m.fill(0, 0xEE, 16).unwrap());
    });
    assert_eq!(m.size(), 64);
    assert_eq!(m.base_ptr(), base);
    for i in 1..64u64 {
        assert_eq!(m.load::<1>(i * PAGE as u64, 0), Ok([i as u8]));
    }
    assert_eq!(m.atomic_bytes()[15].load(Ordering::Relaxed), 0xEE);
}

#[test]
fn concurrent_grows_are_serialised() {
    let m = SharedMemory::new(MemoryType::i32(0, Some(1_000)).with_shared(true), None).unwrap();
    let olds = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..250 {
                    let old = m.grow(1, None).unwrap();
                    olds.lock().unwrap().push(old);
                }
            });
        }
    });
    let mut olds = olds.into_inner().unwrap();
    olds.sort_unstable();
    assert_eq!(
        olds,
        (0..1_000).collect::<Vec<_>>(),
        "each old size returned once"
    );
    assert_eq!(m.grow(1, None).unwrap_err().limit(), "declared maximum");
}

// ---- Types that cross threads, errors that read well ----

#[test]
fn thread_safety_of_the_types() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Memory>();
    send_sync::<SharedMemory>();
    send_sync::<Box<dyn PageStore>>();
    send_sync::<MemoryError>();
    send_sync::<GrowError>();
    fn send<T: Send>() {}
    send::<Box<dyn SharedPageStore>>();
}

#[test]
fn every_grow_error_names_its_limit_and_figures() {
    let refusal = LimiterRefusal::new("no");
    let cases = [
        (
            GrowError::declared_maximum(1, 2, 2),
            "declared maximum",
            "exceeds the declared maximum of 2 pages",
        ),
        (
            GrowError::index_cap(1, 2, 2),
            "index cap",
            "exceeds the index type's cap of 2 pages",
        ),
        (
            GrowError::limiter(1, 2, 3, refusal),
            "limiter",
            "the embedder's limiter refused 3 bytes: no",
        ),
        (
            GrowError::store_capacity(1, 2, 3, 4),
            "store capacity",
            "3 bytes exceed the page store's capacity of 4 bytes",
        ),
        (
            GrowError::out_of_memory(1, 2, 3),
            "out of memory",
            "could not allocate 3 bytes",
        ),
    ];
    for (e, limit, text) in cases {
        assert_eq!(e.limit(), limit);
        assert_eq!((e.current(), e.delta()), (1, 2));
        let shown = e.to_string();
        assert!(
            shown.starts_with("cannot grow memory of 1 pages by 2: "),
            "{shown}"
        );
        assert!(shown.ends_with(text), "{shown}");
    }
    assert_eq!(OutOfBounds.to_string(), "out of bounds memory access");
    let e: &dyn core::error::Error = &MemoryError::from(MemoryTypeError::SharedWithoutMaximum);
    assert!(e.source().is_some());
}

#[test]
fn atomic_accesses_of_other_widths_are_refused_without_panicking() {
    use super::{AtomicFault, SharedMemory};
    let mut mem = Memory::new(MemoryType::i32(1, None), None).unwrap();
    let shared = SharedMemory::new(MemoryType::i32(1, Some(1)).with_shared(true), None).unwrap();
    assert!(mem.atomic_load(0, 0, usize::MAX).is_err());
    for width in [0, 3, 5, 16] {
        assert_eq!(
            mem.atomic_load(0, 0, width),
            Err(AtomicFault::Unaligned),
            "{width}"
        );
        assert_eq!(
            mem.atomic_rmw(0, 0, width, |v| v),
            Err(AtomicFault::Unaligned)
        );
        assert_eq!(
            shared.atomic_store(0, 0, width, 1),
            Err(AtomicFault::Unaligned)
        );
    }
}
