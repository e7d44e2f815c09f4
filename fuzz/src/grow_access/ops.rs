//! The operations `grow_access` applies, and how fuzz bytes become them.
//!
//! Numbers are biased towards the figures where linear memory goes wrong: small values,
//! values within a few of 2^16, 2^32, 2^48 and 2^64 (and other powers of two), and values
//! relative to the memory's current state (a few bytes before or after its end, a few pages
//! short of or beyond its maximum, its index cap, the limiter's budget or the store's
//! capacity). Relative values are resolved when the operation runs, against the model's
//! state, so that both sides see the same figure. An atomic access's address is then
//! aligned to its width, misaligned, or left alone ([`AtomicAddr`]), and the value a
//! `cmpxchg` or `wait` expects is often the one in memory, with junk above the width
//! ([`Expect`]).

use arbitrary::{Arbitrary, Result, Unstructured};

/// The most bytes any memory of the oracle can ever hold: limiters, region capacities and
/// (where nothing else bounds a heap memory) declared maxima are clamped to this, so a
/// fuzz run never allocates more than a few MiB per memory.
pub const CAP_BYTES: u64 = 1 << 20;

/// Exponents of the powers of two numbers cluster around.
const EXPONENTS: [u8; 22] = [
    0, 1, 7, 8, 12, 15, 16, 17, 20, 22, 24, 31, 32, 33, 40, 46, 47, 48, 49, 62, 63, 64,
];

/// `2^k + d`, clamped to `u64` (so `2^64 - 3` is reachable and `2^64 + 3` is `u64::MAX`).
fn near_pow2(k: u8, d: i8) -> u64 {
    let k = EXPONENTS[usize::from(k) % EXPONENTS.len()];
    let v = (1i128 << k) + i128::from(d % 17);
    u64::try_from(v.clamp(0, i128::from(u64::MAX))).unwrap_or(u64::MAX)
}

/// `base + d`, wrapping (a negative offset from 0 is a huge number: also worth trying).
fn offset_from(base: u64, d: i64) -> u64 {
    base.wrapping_add_signed(d)
}

/// Reads a byte string of at most `max` bytes.
pub(crate) fn bytes(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<u8>> {
    let len = usize::from(u.arbitrary::<u8>()?) % (max + 1);
    Ok(u.bytes(len.min(u.len()))?.to_vec())
}

/// An address, static offset or length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    /// A small number.
    Small(u8),
    /// Close to a power of two (see `EXPONENTS`).
    NearPow2 {
        /// Index into the exponent table.
        k: u8,
        /// Distance, reduced to -16..=16.
        d: i8,
    },
    /// Relative to the memory's current length in bytes.
    FromEnd(i16),
    /// Any value.
    Raw(u64),
}

impl<'a> Arbitrary<'a> for Num {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Num> {
        Ok(match u.arbitrary::<u8>()? % 20 {
            0..=6 => Num::Small(u.arbitrary()?),
            7..=11 => Num::NearPow2 {
                k: u.arbitrary()?,
                d: u.arbitrary()?,
            },
            // Mostly just before the end, where an access is last in bounds.
            12..=15 => Num::FromEnd(-i16::from(u.arbitrary::<u8>()? % 64)),
            16..=18 => Num::FromEnd(i16::from(u.arbitrary::<i8>()? % 20)),
            _ => Num::Raw(u.arbitrary()?),
        })
    }
}

impl Num {
    /// A static offset or a length: usually small, sometimes anything a [`Num`] can be.
    pub fn mostly_small(u: &mut Unstructured<'_>) -> Result<Num> {
        if u.arbitrary::<u8>()? % 2 == 0 {
            Ok(Num::Small(u.arbitrary::<u8>()? % 17))
        } else {
            u.arbitrary()
        }
    }
}

impl Num {
    /// The static offset of an atomic access: small even more often than
    /// [`mostly_small`](Num::mostly_small)'s (a large one is out of bounds, and atomic
    /// accesses have alignment to get wrong too).
    pub fn atomic_offset(u: &mut Unstructured<'_>) -> Result<Num> {
        if u.arbitrary::<u8>()? % 4 != 0 {
            Ok(Num::Small(u.arbitrary::<u8>()? % 17))
        } else {
            u.arbitrary()
        }
    }

    /// The value, for a memory of `len` bytes.
    pub fn resolve(self, len: u64) -> u64 {
        match self {
            Num::Small(n) => u64::from(n),
            Num::NearPow2 { k, d } => near_pow2(k, d),
            Num::FromEnd(d) => offset_from(len, i64::from(d)),
            Num::Raw(n) => n,
        }
    }
}

/// Width of an atomic access in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum AtomicWidth {
    /// 1 byte (`i32.atomic.load8_u`, `i64.atomic.rmw8.add_u`, …).
    W1,
    /// 2 bytes.
    W2,
    /// 4 bytes.
    W4,
    /// 8 bytes.
    W8,
}

impl AtomicWidth {
    /// Bytes.
    pub fn bytes(self) -> usize {
        match self {
            AtomicWidth::W1 => 1,
            AtomicWidth::W2 => 2,
            AtomicWidth::W4 => 4,
            AtomicWidth::W8 => 8,
        }
    }
}

/// How an atomic access's address is moved relative to its width's alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Moved to the nearest multiple of the width at or below it (above it only where
    /// below would take the address under 0): aligned.
    Aligned,
    /// Aligned, then `1 + k % (width - 1)` bytes further: misaligned (for a width of 1,
    /// left aligned).
    Off(u8),
    /// Left as it is.
    AsIs,
}

impl<'a> Arbitrary<'a> for Align {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Align> {
        Ok(match u.arbitrary::<u8>()? % 10 {
            0..=4 => Align::Aligned,
            5..=7 => Align::Off(u.arbitrary()?),
            _ => Align::AsIs,
        })
    }
}

/// The dynamic address of an atomic access: a [`Num`], then aligned or misaligned (the
/// *effective* address `addr + offset` is what alignment is about). [`Num`]'s bias
/// towards the end of the memory makes aligned accesses that are last in bounds, just
/// past the end, and misaligned ones straddling the end (out of bounds, which is checked
/// first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct AtomicAddr {
    /// The address before alignment.
    pub addr: Num,
    /// How it is moved.
    pub align: Align,
}

impl AtomicAddr {
    /// The address, for an access of `width` bytes at static `offset` in a memory of `len`
    /// bytes.
    pub fn resolve(self, offset: u64, width: usize, len: u64) -> u64 {
        let addr = self.addr.resolve(len);
        let width = width as u64;
        let rem = ((u128::from(addr) + u128::from(offset)) % u128::from(width)) as u64;
        let aligned = if addr >= rem {
            addr - rem
        } else {
            addr + (width - rem)
        };
        match self.align {
            Align::Aligned => aligned,
            Align::Off(_) if width == 1 => aligned,
            Align::Off(k) => aligned.saturating_add(1 + u64::from(k) % (width - 1)),
            Align::AsIs => addr,
        }
    }
}

/// A value an atomic access compares with (`cmpxchg`'s expected value, `wait`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The value now at the address (0 where the access is out of bounds), with the bits
    /// of `high` above the access's width set too: they must be ignored.
    Current {
        /// Bits beyond the width.
        high: u64,
    },
    /// Any value.
    Raw(u64),
}

impl<'a> Arbitrary<'a> for Expect {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Expect> {
        Ok(match u.arbitrary::<u8>()? % 8 {
            0..=2 => Expect::Current { high: 0 },
            3..=5 => Expect::Current {
                high: u.arbitrary()?,
            },
            _ => Expect::Raw(u.arbitrary()?),
        })
    }
}

impl Expect {
    /// The value, given the `width`-byte value `current` at the address and the mask of
    /// the width.
    pub fn resolve(self, current: u64, mask: u64) -> u64 {
        match self {
            Expect::Current { high } => current | (high & !mask),
            Expect::Raw(v) => v,
        }
    }
}

/// An atomic read-modify-write (`memory.atomic.rmw*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RmwOp {
    /// `add`: wrapping.
    Add,
    /// `sub`: wrapping.
    Sub,
    /// `and`.
    And,
    /// `or`.
    Or,
    /// `xor`.
    Xor,
    /// `xchg`: the operand replaces the value.
    Xchg,
    /// `cmpxchg`: the operand replaces the value if the value equals this one truncated to
    /// the width.
    Cmpxchg(Expect),
}

impl<'a> Arbitrary<'a> for RmwOp {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<RmwOp> {
        Ok(match u.arbitrary::<u8>()? % 9 {
            0 => RmwOp::Add,
            1 => RmwOp::Sub,
            2 => RmwOp::And,
            3 => RmwOp::Or,
            4 => RmwOp::Xor,
            5 => RmwOp::Xchg,
            _ => RmwOp::Cmpxchg(u.arbitrary()?),
        })
    }
}

/// What a page delta is counted from when it is relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum Bound {
    /// The declared maximum (the index cap without one).
    Maximum,
    /// The index type's cap.
    IndexCap,
    /// What the limiter still allows.
    Limiter,
    /// The store's capacity.
    Capacity,
}

/// A number of pages to grow by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    /// A small number.
    Small(u8),
    /// Close to a power of two.
    NearPow2 {
        /// Index into the exponent table.
        k: u8,
        /// Distance, reduced to -16..=16.
        d: i8,
    },
    /// `d` pages beyond what it takes to reach `to` (negative: short of it).
    Room {
        /// The limit aimed at.
        to: Bound,
        /// Distance in pages, reduced to -4..=4.
        d: i8,
    },
    /// Any value.
    Raw(u64),
}

impl<'a> Arbitrary<'a> for Pages {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Pages> {
        Ok(match u.arbitrary::<u8>()? % 20 {
            0..=5 => Pages::Small(u.arbitrary::<u8>()? % 5),
            6..=10 => Pages::NearPow2 {
                k: u.arbitrary()?,
                d: u.arbitrary()?,
            },
            11..=18 => Pages::Room {
                to: u.arbitrary()?,
                d: u.arbitrary::<i8>()? % 5,
            },
            _ => Pages::Raw(u.arbitrary()?),
        })
    }
}

/// A count of pages in a memory type (`min`, `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// A small number.
    Small(u8),
    /// As many pages as fit in a size in bytes (a size that works for either page size).
    Fit(Bytes),
    /// Close to a power of two.
    NearPow2 {
        /// Index into the exponent table.
        k: u8,
        /// Distance, reduced to -16..=16.
        d: i8,
    },
    /// Within a few pages of the index type's cap.
    NearCap(i8),
    /// Within a few pages of [`CAP_BYTES`].
    NearBudget(i8),
    /// Any value.
    Raw(u64),
}

impl<'a> Arbitrary<'a> for Count {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Count> {
        Ok(match u.arbitrary::<u8>()? % 20 {
            0..=5 => Count::Small(u.arbitrary::<u8>()? % 5),
            6..=10 => Count::Fit(u.arbitrary()?),
            11..=13 => Count::NearPow2 {
                k: u.arbitrary()?,
                d: u.arbitrary()?,
            },
            14..=15 => Count::NearCap(u.arbitrary::<i8>()? % 5),
            16..=18 => Count::NearBudget(u.arbitrary::<i8>()? % 5),
            _ => Count::Raw(u.arbitrary()?),
        })
    }
}

impl Count {
    /// The count for a memory whose index cap is `cap` pages of `2^log2` bytes.
    pub fn resolve(self, cap: u64, log2: u8) -> u64 {
        match self {
            Count::Small(n) => u64::from(n),
            Count::Fit(b) => b.resolve() >> log2.min(63),
            Count::NearPow2 { k, d } => near_pow2(k, d),
            Count::NearCap(d) => offset_from(cap, i64::from(d)),
            Count::NearBudget(d) => offset_from(CAP_BYTES >> log2.min(63), i64::from(d)),
            Count::Raw(n) => n,
        }
    }
}

/// A declared maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxSpec {
    /// None declared.
    None,
    /// A few pages above the minimum.
    AboveMin(u8),
    /// Any count.
    Count(Count),
}

impl<'a> Arbitrary<'a> for MaxSpec {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<MaxSpec> {
        Ok(match u.arbitrary::<u8>()? % 8 {
            0..=1 => MaxSpec::None,
            2..=4 => MaxSpec::AboveMin(u.arbitrary::<u8>()? % 20),
            _ => MaxSpec::Count(u.arbitrary()?),
        })
    }
}

impl MaxSpec {
    /// The maximum for a memory of `min` pages (see [`Count::resolve`]).
    pub fn resolve(self, min: u64, cap: u64, log2: u8) -> Option<u64> {
        match self {
            MaxSpec::None => None,
            MaxSpec::AboveMin(n) => Some(min.saturating_add(u64::from(n))),
            MaxSpec::Count(c) => Some(c.resolve(cap, log2)),
        }
    }
}

/// A size in bytes for a limiter or a region: at most [`CAP_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bytes {
    /// A few bytes.
    Small(u16),
    /// `n` pages of 64 KiB, give or take `d` bytes.
    Pages {
        /// Pages of 64 KiB.
        n: u8,
        /// Bytes more or fewer, reduced to -8..=8.
        d: i8,
    },
    /// [`CAP_BYTES`], give or take.
    Budget(i8),
}

impl<'a> Arbitrary<'a> for Bytes {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Bytes> {
        Ok(match u.arbitrary::<u8>()? % 8 {
            0..=2 => Bytes::Small(u.arbitrary()?),
            3..=6 => Bytes::Pages {
                n: u.arbitrary::<u8>()? % 66,
                d: u.arbitrary::<i8>()? % 9,
            },
            _ => Bytes::Budget(u.arbitrary::<i8>()? % 9),
        })
    }
}

impl Bytes {
    /// The size, clamped to `0..=CAP_BYTES`.
    pub fn resolve(self) -> u64 {
        let v = match self {
            Bytes::Small(n) => i128::from(n),
            Bytes::Pages { n, d } => i128::from(n) * 65536 + i128::from(d),
            Bytes::Budget(d) => i128::from(CAP_BYTES) + i128::from(d),
        };
        u64::try_from(v.clamp(0, i128::from(CAP_BYTES))).unwrap_or(0)
    }
}

/// A page size, as log2 of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(pub u8);

impl<'a> Arbitrary<'a> for PageSize {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<PageSize> {
        Ok(PageSize(match u.arbitrary::<u8>()? {
            0..=119 => 16,
            120..=239 => 0,
            // Invalid ones too, rarely: validation must reject them.
            n => n % 70,
        }))
    }
}

/// Where a memory's bytes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreSpec {
    /// The heap ([`folio::memory::HeapStore`], or a heap reservation for a shared memory).
    Heap,
    /// A caller-provided region of this many bytes ([`folio::memory::RegionStore`]), or, for
    /// a [`folio::memory::SharedMemory`], a heap reservation of this size handed to
    /// `with_store`.
    Region(Bytes),
}

impl<'a> Arbitrary<'a> for StoreSpec {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<StoreSpec> {
        Ok(if u.arbitrary::<u8>()? % 3 == 0 {
            StoreSpec::Region(u.arbitrary()?)
        } else {
            StoreSpec::Heap
        })
    }
}

/// A memory to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct MemorySpec {
    /// `i64` addresses (memory64).
    pub index64: bool,
    /// The page size.
    pub page: PageSize,
    /// Initial pages.
    pub min: Count,
    /// Maximum pages.
    pub max: MaxSpec,
    /// Shared (threads).
    pub shared: bool,
    /// Where the bytes live.
    pub store: StoreSpec,
}

/// The embedder's limiter, installed for the whole run (one per side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimiterSpec {
    /// No limiter.
    None,
    /// [`folio::memory::MaxBytes`].
    PerMemory(Bytes),
    /// [`folio::memory::MaxTotalBytes`].
    Total(Bytes),
}

impl<'a> Arbitrary<'a> for LimiterSpec {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<LimiterSpec> {
        Ok(match u.arbitrary::<u8>()? % 4 {
            0 => LimiterSpec::None,
            1 | 2 => LimiterSpec::PerMemory(u.arbitrary()?),
            _ => LimiterSpec::Total(u.arbitrary()?),
        })
    }
}

/// One of the two memories an input works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum Slot {
    /// The first.
    A,
    /// The second.
    B,
}

impl Slot {
    /// 0 or 1.
    pub fn index(self) -> usize {
        match self {
            Slot::A => 0,
            Slot::B => 1,
        }
    }
}

/// Width of a load or store in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum Width {
    /// 1 byte (`i32.load8_u`, `i32.store8`, …).
    W1,
    /// 2 bytes.
    W2,
    /// 4 bytes.
    W4,
    /// 8 bytes.
    W8,
    /// 16 bytes (`v128`).
    W16,
}

impl Width {
    /// Bytes.
    pub fn bytes(self) -> usize {
        match self {
            Width::W1 => 1,
            Width::W2 => 2,
            Width::W4 => 4,
            Width::W8 => 8,
            Width::W16 => 16,
        }
    }
}

/// One step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Drop the slot's memory (if any) and create one.
    Create(Slot, MemorySpec),
    /// `grow(delta)`.
    Grow(Slot, Pages),
    /// `size()` and `byte_len()`.
    Size(Slot),
    /// `load::<N>(addr, offset)`.
    Load {
        /// Memory.
        slot: Slot,
        /// Width.
        width: Width,
        /// Dynamic address.
        addr: Num,
        /// Static offset.
        offset: Num,
    },
    /// `store::<N>(addr, offset, value[..N])`.
    Store {
        /// Memory.
        slot: Slot,
        /// Width.
        width: Width,
        /// Dynamic address.
        addr: Num,
        /// Static offset.
        offset: Num,
        /// The bytes (the first N).
        value: [u8; 16],
    },
    /// `read(addr, &mut [_; len])`.
    Read {
        /// Memory.
        slot: Slot,
        /// Address.
        addr: Num,
        /// Bytes to read.
        len: u16,
    },
    /// `write(addr, bytes)`.
    Write {
        /// Memory.
        slot: Slot,
        /// Address.
        addr: Num,
        /// Bytes to write.
        bytes: Vec<u8>,
    },
    /// `fill(dst, value, len)`.
    Fill {
        /// Memory.
        slot: Slot,
        /// Destination.
        dst: Num,
        /// Byte value.
        value: u8,
        /// Length.
        len: Num,
    },
    /// `copy_within(dst, src, len)`.
    Copy {
        /// Memory.
        slot: Slot,
        /// Destination.
        dst: Num,
        /// Source.
        src: Num,
        /// Length.
        len: Num,
    },
    /// `Memory::copy_between(dst_mem, dst, src_mem, src, len)`, from the other slot into
    /// `to`.
    CopyBetween {
        /// Destination memory (the source is the other one).
        to: Slot,
        /// Destination.
        dst: Num,
        /// Source.
        src: Num,
        /// Length.
        len: Num,
    },
    /// `init(dst, data, src, len)`.
    Init {
        /// Memory.
        slot: Slot,
        /// Destination.
        dst: Num,
        /// The data segment.
        data: Vec<u8>,
        /// Offset in the segment.
        src: Num,
        /// Length.
        len: Num,
    },
    /// `atomic_load(addr, offset, width)`.
    AtomicLoad {
        /// Memory.
        slot: Slot,
        /// Width.
        width: AtomicWidth,
        /// Dynamic address.
        addr: AtomicAddr,
        /// Static offset.
        offset: Num,
    },
    /// `atomic_store(addr, offset, width, value)`.
    AtomicStore {
        /// Memory.
        slot: Slot,
        /// Width.
        width: AtomicWidth,
        /// Dynamic address.
        addr: AtomicAddr,
        /// Static offset.
        offset: Num,
        /// The value (its bits beyond the width must be dropped).
        value: u64,
    },
    /// `atomic_rmw(addr, offset, width, f)`, `f` doing `op` with `value` (its result not
    /// truncated: that is Folio's job).
    AtomicRmw {
        /// Memory.
        slot: Slot,
        /// Width.
        width: AtomicWidth,
        /// The operation.
        op: RmwOp,
        /// Dynamic address.
        addr: AtomicAddr,
        /// Static offset.
        offset: Num,
        /// The operand (`cmpxchg`: the replacement).
        value: u64,
    },
    /// `SharedMemory::wait(addr, offset, 4 or 8, expected, timeout, None)`: no parker, so
    /// never blocks. Only on shared memories.
    Wait {
        /// Memory.
        slot: Slot,
        /// `wait64` (8 bytes), else `wait32`.
        wait64: bool,
        /// Dynamic address.
        addr: AtomicAddr,
        /// Static offset.
        offset: Num,
        /// The value expected.
        expected: Expect,
        /// Timeout in nanoseconds.
        timeout: Option<u64>,
    },
    /// `SharedMemory::notify(addr, offset, count)`: nobody waits, so 0 or a fault. Only on
    /// shared memories.
    Notify {
        /// Memory.
        slot: Slot,
        /// Dynamic address.
        addr: AtomicAddr,
        /// Static offset.
        offset: Num,
        /// Most waiters to wake.
        count: u32,
    },
}

impl<'a> Arbitrary<'a> for Op {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Op> {
        Ok(match u.arbitrary::<u8>()? % 42 {
            0..=2 => Op::Create(u.arbitrary()?, u.arbitrary()?),
            3..=8 => Op::Grow(u.arbitrary()?, u.arbitrary()?),
            9 => Op::Size(u.arbitrary()?),
            10..=14 => Op::Load {
                slot: u.arbitrary()?,
                width: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::mostly_small(u)?,
            },
            15..=19 => Op::Store {
                slot: u.arbitrary()?,
                width: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::mostly_small(u)?,
                value: u.arbitrary()?,
            },
            20 => Op::Read {
                slot: u.arbitrary()?,
                addr: u.arbitrary()?,
                len: u.arbitrary::<u16>()? % 300,
            },
            21 => Op::Write {
                slot: u.arbitrary()?,
                addr: u.arbitrary()?,
                bytes: bytes(u, 40)?,
            },
            22..=24 => Op::Fill {
                slot: u.arbitrary()?,
                dst: u.arbitrary()?,
                value: u.arbitrary()?,
                len: Num::mostly_small(u)?,
            },
            25..=27 => Op::Copy {
                slot: u.arbitrary()?,
                dst: u.arbitrary()?,
                src: u.arbitrary()?,
                len: Num::mostly_small(u)?,
            },
            28 => Op::CopyBetween {
                to: u.arbitrary()?,
                dst: u.arbitrary()?,
                src: u.arbitrary()?,
                len: Num::mostly_small(u)?,
            },
            29..=31 => Op::Init {
                slot: u.arbitrary()?,
                dst: u.arbitrary()?,
                data: bytes(u, 40)?,
                src: u.arbitrary()?,
                len: Num::mostly_small(u)?,
            },
            32..=33 => Op::AtomicLoad {
                slot: u.arbitrary()?,
                width: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::atomic_offset(u)?,
            },
            34..=35 => Op::AtomicStore {
                slot: u.arbitrary()?,
                width: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::atomic_offset(u)?,
                value: u.arbitrary()?,
            },
            36..=38 => Op::AtomicRmw {
                slot: u.arbitrary()?,
                width: u.arbitrary()?,
                op: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::atomic_offset(u)?,
                value: u.arbitrary()?,
            },
            39..=40 => Op::Wait {
                slot: u.arbitrary()?,
                wait64: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::atomic_offset(u)?,
                expected: u.arbitrary()?,
                timeout: u.arbitrary()?,
            },
            _ => Op::Notify {
                slot: u.arbitrary()?,
                addr: u.arbitrary()?,
                offset: Num::atomic_offset(u)?,
                count: u.arbitrary()?,
            },
        })
    }
}

/// A whole run: the limiter, then the operations. Slot A starts with a memory so that even
/// short inputs exercise access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The limiter each side installs.
    pub limiter: LimiterSpec,
    /// The first memory, created before the operations.
    pub first: MemorySpec,
    /// The operations, in order.
    pub ops: Vec<Op>,
}

/// Most operations per input: enough for interesting sequences, few enough that every
/// input runs in milliseconds.
pub const MAX_OPS: usize = 256;

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Input> {
        let limiter = u.arbitrary()?;
        let first = u.arbitrary()?;
        let mut ops = Vec::new();
        // Every remaining byte goes to operations (no "one more?" flags), so random bytes
        // make long sequences.
        while !u.is_empty() && ops.len() < MAX_OPS {
            match u.arbitrary() {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        Ok(Input {
            limiter,
            first,
            ops,
        })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> Result<Input> {
        Input::arbitrary(&mut u)
    }
}
