//! `grow_access`: sequences of memory operations applied to Folio and to a plain model.
//!
//! An [`Input`] is a limiter, a first memory and up to [`MAX_OPS`](ops::MAX_OPS)
//! operations on two memory slots: create (index type, page size, `min`/`max`, shared,
//! heap or region store), grow, size, loads and stores of 1 to 16 bytes at `addr + offset`,
//! read, write, fill, copy (within and between memories), init, and the threads
//! proposal's accesses: atomic loads, stores and read-modify-writes (add, sub, and, or, xor,
//! xchg, cmpxchg) of 1, 2, 4 and 8 bytes, and `wait` (32/64, without a parker: it never
//! blocks) and `notify` on shared memories. [`run`] applies it three times, through each of Folio's memory APIs ([`Flavor::Plain`]: [`Memory`];
//! [`Flavor::Shared`]: [`SharedMemory`]; [`Flavor::Handle`]: a [`Memory::from_shared`]
//! handle of a `SharedMemory`, whose other handle must see the same type, size and bytes),
//! each time side by side with the [`model`], and panics at the first disagreement
//! about:
//!
//! - every result: the bytes loaded or read, the old size a grow returns, the exact
//!   [`GrowError`] (which limit refused, with its figures), [`MemoryError`](folio::memory::MemoryError) or
//!   [`OutOfBounds`]; an atomic access's value (zero-extended,
//!   the old one for a read-modify-write, which must also be what its `f` was called with,
//!   once, and never on a fault) or its [`AtomicFault`] (out of bounds before unaligned);
//!   `wait`'s answer (not-equal, timed out, or none: it would block) and `notify`'s count;
//! - after every step: each memory's type, size in pages and bytes, and full contents; the
//!   calls the limiter received (and `MaxTotalBytes`'s running total);
//! - the store promises: a region's memory stays at the region's start, a shared memory
//!   never moves, and a heap memory grown step by step copies fewer than twice its final
//!   size in total.
//!
//! # Allocations stay small, and the comparison exact
//!
//! The model refuses exactly what Folio refuses, so whatever either side allocates is
//! bounded by what both agree on. Inputs are normalised (see `normalize`) so that agreeing
//! never means allocating more than [`CAP_BYTES`] per memory: limiters and regions are at
//! most that size; a heap memory with no limiter to stop it gets its declared maximum
//! clamped to it; a reservation of the maximum (shared memories) is clamped to it unless it
//! is beyond `isize::MAX`, which fails before any allocator is asked. Nothing else is
//! changed: huge minima, maxima and deltas near 2^32, 2^48 and 2^64 pages still reach
//! Folio, and are refused by the same rule on both sides.

pub mod model;
pub mod ops;
mod raw;

pub use model::Flavor;
pub use ops::{CAP_BYTES, Input};

use arbitrary::{Arbitrary, Unstructured};
use core::cell::Cell;
use folio::memory::{
    AtomicFault, GrowError, Limiter, LimiterRefusal, MaxBytes, MaxTotalBytes, Memory, OutOfBounds,
    SharedMemory,
};
use model::{LimiterCall, LimiterRule, ModelLimiter, ModelMemory, ModelStore, Ty, index_cap};
use ops::{Bound, LimiterSpec, MemorySpec, Num, Op, Pages, RmwOp, Slot, StoreSpec, Width};
use raw::{RegionMemory, shared_bytes};

/// Applies the input in `data` (if it parses) and panics at any disagreement.
pub fn run_bytes(data: &[u8]) {
    if let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) {
        run(&input);
    }
}

/// Applies `input` through both of Folio's memory APIs, checking each against the model.
///
/// # Panics
///
/// At the first disagreement, naming the step, the operation, and both answers.
pub fn run(input: &Input) {
    for flavor in [Flavor::Plain, Flavor::Shared, Flavor::Handle] {
        let mut world = World::new(flavor, input.limiter);
        world.step(0, &Op::Create(Slot::A, input.first));
        for (i, op) in input.ops.iter().enumerate() {
            world.step(i + 1, op);
        }
    }
}

/// Byte every fresh region is filled with: growing must zero it.
const REGION_FILL: u8 = 0xA5;

/// The limiter Folio's side uses: the rule, plus a record of every call.
struct Recorder {
    rule: Rule,
    calls: Vec<LimiterCall>,
}

enum Rule {
    None,
    PerMemory(MaxBytes),
    Total(MaxTotalBytes),
}

impl Limiter for Recorder {
    fn memory_growing(
        &mut self,
        current: u64,
        desired: u64,
        maximum: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        self.calls.push(LimiterCall::Growing {
            current,
            desired,
            maximum,
        });
        match &mut self.rule {
            Rule::None => unreachable!("no limiter is installed"),
            Rule::PerMemory(l) => l.memory_growing(current, desired, maximum),
            Rule::Total(l) => l.memory_growing(current, desired, maximum),
        }
    }

    fn memory_grow_failed(&mut self, current: u64, desired: u64) {
        self.calls.push(LimiterCall::Failed { current, desired });
        match &mut self.rule {
            Rule::None => unreachable!("no limiter is installed"),
            Rule::PerMemory(l) => l.memory_grow_failed(current, desired),
            Rule::Total(l) => l.memory_grow_failed(current, desired),
        }
    }

    fn table_growing(
        &mut self,
        current: u64,
        desired: u64,
        maximum: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        // (This target makes no tables: nothing calls it.)
        match &mut self.rule {
            Rule::None => unreachable!("no limiter is installed"),
            Rule::PerMemory(l) => l.table_growing(current, desired, maximum),
            Rule::Total(l) => l.table_growing(current, desired, maximum),
        }
    }
}

impl Recorder {
    /// What to hand Folio: `None` when no limiter is installed.
    fn installed(&mut self) -> Option<&mut dyn Limiter> {
        match self.rule {
            Rule::None => None,
            _ => Some(self),
        }
    }
}

/// A memory on Folio's side.
enum FolioMemory {
    Heap(Memory),
    Region(RegionMemory),
    Shared(SharedMemory),
    /// A shared memory used through a [`Memory::from_shared`] handle (`mem`); `shared` is
    /// another handle of it, which only the checks between steps use.
    Handle {
        mem: Memory,
        shared: SharedMemory,
    },
}

/// Dispatches to the memory's API.
macro_rules! on_memory {
    ($mem:expr, $m:ident => $e:expr) => {
        match $mem {
            FolioMemory::Heap($m) => $e,
            FolioMemory::Region(r) => {
                let $m = r.memory();
                $e
            }
            FolioMemory::Shared($m) => $e,
            FolioMemory::Handle { mem: $m, .. } => $e,
        }
    };
}

/// Dispatches to the memory's API, with a writable `Memory` (a `SharedMemory` is written
/// through `&self`).
macro_rules! on_memory_mut {
    ($mem:expr, $m:ident => $e:expr) => {
        match $mem {
            FolioMemory::Heap($m) => $e,
            FolioMemory::Region(r) => {
                let $m = r.memory_mut();
                $e
            }
            FolioMemory::Shared($m) => $e,
            FolioMemory::Handle { mem: $m, .. } => $e,
        }
    };
}

impl FolioMemory {
    fn load<const N: usize>(&self, addr: u64, offset: u64) -> Result<Vec<u8>, OutOfBounds> {
        on_memory!(self, m => m.load::<N>(addr, offset).map(|b| b.to_vec()))
    }

    fn load_width(&self, width: Width, addr: u64, offset: u64) -> Result<Vec<u8>, OutOfBounds> {
        match width {
            Width::W1 => self.load::<1>(addr, offset),
            Width::W2 => self.load::<2>(addr, offset),
            Width::W4 => self.load::<4>(addr, offset),
            Width::W8 => self.load::<8>(addr, offset),
            Width::W16 => self.load::<16>(addr, offset),
        }
    }

    fn store<const N: usize>(
        &mut self,
        addr: u64,
        offset: u64,
        value: &[u8; 16],
    ) -> Result<(), OutOfBounds> {
        let bytes: [u8; N] = *value.first_chunk::<N>().expect("N ≤ 16");
        on_memory_mut!(self, m => m.store::<N>(addr, offset, bytes))
    }

    fn store_width(
        &mut self,
        width: Width,
        addr: u64,
        offset: u64,
        value: &[u8; 16],
    ) -> Result<(), OutOfBounds> {
        match width {
            Width::W1 => self.store::<1>(addr, offset, value),
            Width::W2 => self.store::<2>(addr, offset, value),
            Width::W4 => self.store::<4>(addr, offset, value),
            Width::W8 => self.store::<8>(addr, offset, value),
            Width::W16 => self.store::<16>(addr, offset, value),
        }
    }

    fn atomic_load(&self, addr: u64, offset: u64, width: usize) -> Result<u64, AtomicFault> {
        on_memory!(self, m => m.atomic_load(addr, offset, width))
    }

    fn atomic_store(
        &mut self,
        addr: u64,
        offset: u64,
        width: usize,
        value: u64,
    ) -> Result<(), AtomicFault> {
        on_memory_mut!(self, m => m.atomic_store(addr, offset, width, value))
    }

    fn atomic_rmw(
        &mut self,
        addr: u64,
        offset: u64,
        width: usize,
        f: impl FnOnce(u64) -> u64,
    ) -> Result<u64, AtomicFault> {
        on_memory_mut!(self, m => m.atomic_rmw(addr, offset, width, f))
    }

    /// The shared memory, where `wait` and `notify` are: the API's own, or the one a
    /// `Memory` is a handle of (`None` for a memory that is not a handle, even of a shared
    /// type: it has one thread).
    fn shared(&self) -> Option<&SharedMemory> {
        match self {
            FolioMemory::Heap(m) | FolioMemory::Handle { mem: m, .. } => m.shared(),
            FolioMemory::Region(r) => r.memory().shared(),
            FolioMemory::Shared(s) => Some(s),
        }
    }

    fn grow(&mut self, delta: u64, limiter: Option<&mut dyn Limiter>) -> Result<u64, GrowError> {
        on_memory_mut!(self, m => m.grow(delta, limiter))
    }

    fn size(&self) -> u64 {
        on_memory!(self, m => m.size())
    }

    fn byte_len(&self) -> usize {
        on_memory!(self, m => m.byte_len())
    }

    fn ty(&self) -> folio::memory::MemoryType {
        on_memory!(self, m => *m.ty())
    }

    /// Whether the contents are exactly `expected`. (`&mut` only so that a shared memory's
    /// bytes can be compared as plain bytes: nothing else uses it meanwhile.)
    fn contents_are(&mut self, expected: &[u8]) -> bool {
        match self {
            FolioMemory::Heap(m) => m.data() == expected,
            FolioMemory::Region(r) => r.memory().data() == expected,
            FolioMemory::Shared(s) | FolioMemory::Handle { shared: s, .. } => {
                shared_bytes(s) == expected
            }
        }
    }

    /// Where the bytes start.
    fn base(&self) -> *const u8 {
        match self {
            FolioMemory::Heap(m) => m.data().as_ptr(),
            FolioMemory::Region(r) => r.memory().data().as_ptr(),
            FolioMemory::Shared(s) | FolioMemory::Handle { shared: s, .. } => {
                s.base_ptr().as_ptr().cast_const()
            }
        }
    }
}

/// A slot's memory on both sides.
struct Pair {
    folio: FolioMemory,
    model: ModelMemory,
    /// Where the bytes must stay, for stores that promise not to move them.
    fixed_base: Option<*const u8>,
}

/// One run through one API.
struct World {
    flavor: Flavor,
    limiter: Recorder,
    model_limiter: ModelLimiter,
    slots: [Option<Pair>; 2],
    step: usize,
    op: Option<Op>,
}

/// Panics with the step, the operation and what disagreed.
macro_rules! mismatch {
    ($world:expr, $($arg:tt)*) => {
        panic!(
            "grow_access mismatch ({:?} API) at step {}: {:?}\n{}",
            $world.flavor,
            $world.step,
            $world.op,
            format!($($arg)*)
        )
    };
}

// Counts of the atomic operations' outcomes on this thread, by flavor, operation, width and
// result: the smoke test checks that the generated inputs reach every one.
#[cfg(test)]
thread_local! {
    static OUTCOMES: core::cell::RefCell<std::collections::BTreeMap<String, usize>> =
        const { core::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

/// An atomic operation's outcome, for [`tally`]: `Ok` or the fault.
fn class<T>(result: Result<T, AtomicFault>) -> String {
    match result {
        Ok(_) => "Ok".into(),
        Err(e) => format!("{e:?}"),
    }
}

/// Counts an outcome (in tests only).
fn tally(_what: impl FnOnce() -> String) {
    #[cfg(test)]
    OUTCOMES.with(|o| *o.borrow_mut().entry(_what()).or_default() += 1);
}

/// Compares Folio's answer with the model's.
macro_rules! agree {
    ($world:expr, $what:expr, $folio:expr, $model:expr) => {{
        let (folio, model) = ($folio, $model);
        if folio != model {
            mismatch!(
                $world,
                "{}: Folio says {:?}, the model {:?}",
                $what,
                folio,
                model
            );
        }
    }};
}

impl World {
    fn new(flavor: Flavor, spec: LimiterSpec) -> World {
        let (rule, model_rule) = match spec {
            LimiterSpec::None => (Rule::None, LimiterRule::None),
            LimiterSpec::PerMemory(b) => (
                Rule::PerMemory(MaxBytes(b.resolve())),
                LimiterRule::PerMemory(b.resolve()),
            ),
            LimiterSpec::Total(b) => (
                Rule::Total(MaxTotalBytes::new(b.resolve())),
                LimiterRule::Total(b.resolve()),
            ),
        };
        World {
            flavor,
            limiter: Recorder {
                rule,
                calls: Vec::new(),
            },
            model_limiter: ModelLimiter::new(model_rule),
            slots: [None, None],
            step: 0,
            op: None,
        }
    }

    fn step(&mut self, step: usize, op: &Op) {
        self.step = step;
        self.op = Some(op.clone());
        self.apply(op);
        self.check_state();
    }

    /// The length in bytes relative numbers are resolved against (0 for an empty slot).
    fn len(&self, slot: Slot) -> u64 {
        self.slots[slot.index()]
            .as_ref()
            .map_or(0, |p| p.model.len())
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Create(slot, spec) => self.create(slot, &spec),
            Op::Grow(slot, pages) => {
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let delta = resolve_pages(pages, &pair.model, &self.model_limiter);
                let expected = pair.model.grow(delta, &mut self.model_limiter);
                let actual = pair.folio.grow(delta, self.limiter.installed());
                agree!(self, format!("grow({delta})"), actual, expected);
            }
            Op::Size(slot) => {
                // Size and length are compared after every step; this only asks again.
                if let Some(pair) = &self.slots[slot.index()] {
                    agree!(self, "size", pair.folio.size(), pair.model.size());
                }
            }
            Op::Load {
                slot,
                width,
                addr,
                offset,
            } => {
                let len = self.len(slot);
                let Some(pair) = &self.slots[slot.index()] else {
                    return;
                };
                let (addr, offset) = (addr.resolve(len), offset.resolve(len));
                let expected = pair.model.load(addr, offset, width.bytes());
                let actual = pair.folio.load_width(width, addr, offset);
                agree!(
                    self,
                    format!("load{}({addr}, offset {offset})", width.bytes()),
                    actual,
                    expected
                );
            }
            Op::Store {
                slot,
                width,
                addr,
                offset,
                value,
            } => {
                let len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let (addr, offset) = (addr.resolve(len), offset.resolve(len));
                let expected = pair.model.store(addr, offset, &value[..width.bytes()]);
                let actual = pair.folio.store_width(width, addr, offset, &value);
                agree!(
                    self,
                    format!("store{}({addr}, offset {offset})", width.bytes()),
                    actual,
                    expected
                );
            }
            Op::Read { slot, addr, len } => {
                let mem_len = self.len(slot);
                let Some(pair) = &self.slots[slot.index()] else {
                    return;
                };
                let addr = addr.resolve(mem_len);
                let expected = pair.model.load(addr, 0, usize::from(len));
                let mut buf = vec![0x5A; usize::from(len)];
                let actual = on_memory!(&pair.folio, m => m.read(addr, &mut buf)).map(|()| buf);
                agree!(self, format!("read({addr}, {len} bytes)"), actual, expected);
            }
            Op::Write {
                slot,
                addr,
                ref bytes,
            } => {
                let len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let addr = addr.resolve(len);
                let expected = pair.model.store(addr, 0, bytes);
                let actual = on_memory_mut!(&mut pair.folio, m => m.write(addr, bytes));
                agree!(
                    self,
                    format!("write({addr}, {} bytes)", bytes.len()),
                    actual,
                    expected
                );
            }
            Op::Fill {
                slot,
                dst,
                value,
                len,
            } => {
                let mem_len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let (dst, len) = (dst.resolve(mem_len), len.resolve(mem_len));
                let expected = pair.model.fill(dst, value, len);
                let actual = on_memory_mut!(&mut pair.folio, m => m.fill(dst, value, len));
                agree!(
                    self,
                    format!("fill({dst}, {value}, {len})"),
                    actual,
                    expected
                );
            }
            Op::Copy {
                slot,
                dst,
                src,
                len,
            } => {
                let mem_len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let (dst, src, len) = (
                    dst.resolve(mem_len),
                    src.resolve(mem_len),
                    len.resolve(mem_len),
                );
                let expected = pair.model.copy(dst, src, len);
                let actual = on_memory_mut!(&mut pair.folio, m => m.copy_within(dst, src, len));
                agree!(self, format!("copy({dst}, {src}, {len})"), actual, expected);
            }
            Op::CopyBetween { to, dst, src, len } => self.copy_between(to, dst, src, len),
            Op::AtomicLoad {
                slot,
                width,
                addr,
                offset,
            } => {
                let len = self.len(slot);
                let Some(pair) = &self.slots[slot.index()] else {
                    return;
                };
                let w = width.bytes();
                let offset = offset.resolve(len);
                let addr = addr.resolve(offset, w, len);
                let expected = pair.model.atomic_load(addr, offset, w);
                let actual = pair.folio.atomic_load(addr, offset, w);
                tally(|| format!("{:?} load{w} {}", self.flavor, class(expected)));
                agree!(
                    self,
                    format!("atomic_load{w}({addr}, offset {offset})"),
                    actual,
                    expected
                );
            }
            Op::AtomicStore {
                slot,
                width,
                addr,
                offset,
                value,
            } => {
                let len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let w = width.bytes();
                let offset = offset.resolve(len);
                let addr = addr.resolve(offset, w, len);
                let expected = pair.model.atomic_store(addr, offset, w, value);
                let actual = pair.folio.atomic_store(addr, offset, w, value);
                tally(|| format!("{:?} store{w} {}", self.flavor, class(expected)));
                agree!(
                    self,
                    format!("atomic_store{w}({addr}, offset {offset}, {value:#x})"),
                    actual,
                    expected
                );
            }
            Op::AtomicRmw {
                slot,
                width,
                op,
                addr,
                offset,
                value,
            } => {
                let len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                let w = width.bytes();
                let offset = offset.resolve(len);
                let addr = addr.resolve(offset, w, len);
                let mask = ModelMemory::mask(w);
                let cmp = match op {
                    RmwOp::Cmpxchg(e) => e.resolve(pair.model.peek(addr, offset, w), mask),
                    _ => 0,
                };
                let expected = pair.model.atomic_rmw(addr, offset, w, op, value, cmp);
                let seen = Cell::new(None);
                let f = rmw_fn(op, value, cmp, mask, &seen);
                let actual = pair.folio.atomic_rmw(addr, offset, w, f);
                tally(|| {
                    let op = match (op, expected) {
                        (RmwOp::Cmpxchg(_), Ok(old)) if old == cmp & mask => {
                            "Cmpxchg(equal)".into()
                        }
                        (RmwOp::Cmpxchg(_), _) => "Cmpxchg".into(),
                        (op, _) => format!("{op:?}"),
                    };
                    format!("{:?} rmw{w} {op} {}", self.flavor, class(expected))
                });
                let what = format!(
                    "atomic_rmw{w} {op:?} {value:#x} (expected {cmp:#x}) at ({addr}, offset {offset})"
                );
                agree!(self, &what, actual, expected);
                // `f` sees the old value, zero-extended, once; never when the access faults.
                agree!(
                    self,
                    format!("{what}: the value f was called with"),
                    seen.get(),
                    expected.ok()
                );
            }
            Op::Wait {
                slot,
                wait64,
                addr,
                offset,
                expected,
                timeout,
            } => {
                let len = self.len(slot);
                let Some(pair) = &self.slots[slot.index()] else {
                    return;
                };
                let Some(shared) = pair.folio.shared() else {
                    return;
                };
                let w = if wait64 { 8 } else { 4 };
                let offset = offset.resolve(len);
                let addr = addr.resolve(offset, w, len);
                let value =
                    expected.resolve(pair.model.peek(addr, offset, w), ModelMemory::mask(w));
                let model = pair.model.wait(addr, offset, w, value, timeout);
                let actual = shared.wait(addr, offset, w, value, timeout, None);
                tally(|| {
                    let answer = model.map_or_else(|e| format!("{e:?}"), |v| format!("{v:?}"));
                    format!("{:?} wait{} {answer}", self.flavor, 8 * w)
                });
                agree!(
                    self,
                    format!(
                        "wait{}({addr}, offset {offset}, {value:#x}, {timeout:?})",
                        8 * w
                    ),
                    actual,
                    model
                );
            }
            Op::Notify {
                slot,
                addr,
                offset,
                count,
            } => {
                let len = self.len(slot);
                let Some(pair) = &self.slots[slot.index()] else {
                    return;
                };
                let Some(shared) = pair.folio.shared() else {
                    return;
                };
                let offset = offset.resolve(len);
                let addr = addr.resolve(offset, 4, len);
                let expected = pair.model.notify(addr, offset);
                let actual = shared.notify(addr, offset, count);
                tally(|| format!("{:?} notify {}", self.flavor, class(expected)));
                agree!(
                    self,
                    format!("notify({addr}, offset {offset}, {count})"),
                    actual,
                    expected
                );
            }
            Op::Init {
                slot,
                dst,
                ref data,
                src,
                len,
            } => {
                let mem_len = self.len(slot);
                let Some(pair) = self.slots[slot.index()].as_mut() else {
                    return;
                };
                // `src` is relative to the segment's end, the rest to the memory's.
                let (dst, src, len) = (
                    dst.resolve(mem_len),
                    src.resolve(data.len() as u64),
                    len.resolve(mem_len),
                );
                let expected = pair.model.init(dst, data, src, len);
                let actual = on_memory_mut!(&mut pair.folio, m => m.init(dst, data, src, len));
                agree!(
                    self,
                    format!("init({dst}, {} bytes, {src}, {len})", data.len()),
                    actual,
                    expected
                );
            }
        }
    }

    fn create(&mut self, slot: Slot, spec: &MemorySpec) {
        // The old memory goes first, on both sides (a limiter is not told: memories never
        // give bytes back).
        self.slots[slot.index()] = None;
        let (ty, store) = normalize(spec, self.flavor, self.model_limiter.rule);
        let expected = ModelMemory::create(self.flavor, ty, store, &mut self.model_limiter);
        let limiter = self.limiter.installed();
        let folio_ty = ty.folio();
        let actual = match (self.flavor, store) {
            (Flavor::Plain, ModelStore::Heap) => {
                Memory::new(folio_ty, limiter).map(FolioMemory::Heap)
            }
            (Flavor::Plain, ModelStore::Region(size)) => {
                let size = usize::try_from(size).expect("regions are small");
                RegionMemory::new(folio_ty, size, REGION_FILL, limiter).map(FolioMemory::Region)
            }
            (flavor, store) => {
                let shared = match store {
                    ModelStore::Heap => SharedMemory::new(folio_ty, limiter),
                    ModelStore::Region(size) => {
                        let size = usize::try_from(size).expect("reservations are small");
                        let store = folio::memory::HeapReservation::new(size)
                            .expect("a reservation of a few MiB succeeds");
                        SharedMemory::with_store(folio_ty, Box::new(store), limiter)
                    }
                };
                shared.map(|shared| match flavor {
                    Flavor::Handle => FolioMemory::Handle {
                        mem: Memory::from_shared(shared.clone()),
                        shared,
                    },
                    _ => FolioMemory::Shared(shared),
                })
            }
        };
        let what = format!("create {ty:?} in {store:?}");
        match (actual, expected) {
            (Ok(folio), Ok(model)) => {
                let fixed_base = match (&folio, ty.shared) {
                    (FolioMemory::Heap(_), false) => None,
                    _ => Some(folio.base()),
                };
                if let FolioMemory::Region(r) = &folio
                    && r.region_start() != folio.base()
                {
                    mismatch!(self, "{what}: the memory does not start at its region");
                }
                self.slots[slot.index()] = Some(Pair {
                    folio,
                    model,
                    fixed_base,
                });
            }
            (Err(actual), Err(expected)) => agree!(self, what, actual, expected),
            (actual, expected) => mismatch!(
                self,
                "{what}: Folio says {:?}, the model {:?}",
                actual.map(|m| m.ty()),
                expected.map(|m| m.ty)
            ),
        }
    }

    fn copy_between(&mut self, to: Slot, dst: Num, src: Num, len: Num) {
        let (dst_len, src_len) = match to {
            Slot::A => (self.len(Slot::A), self.len(Slot::B)),
            Slot::B => (self.len(Slot::B), self.len(Slot::A)),
        };
        let [a, b] = &mut self.slots;
        let (Some(a), Some(b)) = (a.as_mut(), b.as_mut()) else {
            return;
        };
        let (to_pair, from_pair) = match to {
            Slot::A => (a, b),
            Slot::B => (b, a),
        };
        let (dst, src, len) = (
            dst.resolve(dst_len),
            src.resolve(src_len),
            len.resolve(src_len),
        );
        let expected = to_pair.model.copy_from(dst, &from_pair.model, src, len);
        let actual = match (&mut to_pair.folio, &from_pair.folio) {
            (FolioMemory::Shared(d), FolioMemory::Shared(s)) => {
                // A SharedMemory has no copy between memories: read, then write.
                match usize::try_from(len).ok().filter(|&n| n <= s.byte_len()) {
                    Some(n) => {
                        let mut buf = vec![0; n];
                        s.read(src, &mut buf).and_then(|()| d.write(dst, &buf))
                    }
                    None => Err(OutOfBounds),
                }
            }
            (d, s) => {
                let d = match d {
                    FolioMemory::Heap(m) | FolioMemory::Handle { mem: m, .. } => m,
                    FolioMemory::Region(r) => r.memory_mut(),
                    FolioMemory::Shared(_) => unreachable!("one API per world"),
                };
                let s = match s {
                    FolioMemory::Heap(m) | FolioMemory::Handle { mem: m, .. } => m,
                    FolioMemory::Region(r) => r.memory(),
                    FolioMemory::Shared(_) => unreachable!("one API per world"),
                };
                Memory::copy_between(d, dst, s, src, len)
            }
        };
        agree!(
            self,
            format!("copy_between(to {to:?}: {dst}, {src}, {len})"),
            actual,
            expected
        );
    }

    /// Everything observable agrees after a step.
    fn check_state(&mut self) {
        agree!(
            self,
            "limiter calls",
            &self.limiter.calls,
            &self.model_limiter.calls
        );
        if let Rule::Total(l) = &self.limiter.rule {
            agree!(self, "limiter total", l.used(), self.model_limiter.used);
        }
        for i in 0..self.slots.len() {
            let Some(Pair {
                folio,
                model,
                fixed_base,
            }) = &mut self.slots[i]
            else {
                continue;
            };
            agree!(self, format!("slot {i} type"), folio.ty(), model.ty.folio());
            agree!(self, format!("slot {i} size"), folio.size(), model.size());
            agree!(
                self,
                format!("slot {i} byte length"),
                folio.byte_len() as u64,
                model.len()
            );
            if let FolioMemory::Handle { mem, shared } = folio {
                // The other handle sees what the one in use did.
                agree!(
                    self,
                    format!("slot {i} shared type"),
                    *shared.ty(),
                    model.ty.folio()
                );
                agree!(
                    self,
                    format!("slot {i} shared size"),
                    shared.size(),
                    model.size()
                );
                agree!(
                    self,
                    format!("slot {i} shared byte length"),
                    shared.byte_len() as u64,
                    model.len()
                );
                agree!(
                    self,
                    format!("slot {i} handle's shared memory"),
                    mem.shared().map(SharedMemory::base_ptr),
                    Some(shared.base_ptr())
                );
                agree!(
                    self,
                    format!("slot {i} handle's data()"),
                    mem.data(),
                    &[][..]
                );
            }
            if !folio.contents_are(&model.bytes) {
                let first = (0..model.bytes.len()).find(|&at| {
                    let mut b = [0u8];
                    on_memory!(folio, m => m.read(at as u64, &mut b)).is_err()
                        || b[0] != model.bytes[at]
                });
                mismatch!(self, "slot {i} contents differ, first at byte {first:?}");
            }
            if let Some(base) = fixed_base
                && folio.base() != *base
            {
                mismatch!(self, "slot {i} moved: its store promises it never does");
            }
            if let FolioMemory::Heap(m) = folio {
                // Geometric growth: each reallocation at least doubles the capacity, so the
                // copies add up to less than the final capacity, itself under twice the
                // length (module docs of the heap store).
                let copied = m.bytes_copied();
                if copied > 2 * model.len() {
                    mismatch!(
                        self,
                        "slot {i}: {copied} bytes copied growing to {} bytes",
                        model.len()
                    );
                }
            }
        }
    }
}

/// The `f` Folio's `atomic_rmw` is given for `op`, as an interpreter would write it: its
/// result is not cut to the width (Folio must do that), `cmpxchg` compares with `expected`
/// cut to it (`mask`). Records the value it is called with in `seen`.
fn rmw_fn(
    op: RmwOp,
    value: u64,
    expected: u64,
    mask: u64,
    seen: &Cell<Option<u64>>,
) -> impl FnOnce(u64) -> u64 + '_ {
    move |old| {
        seen.set(Some(old));
        match op {
            RmwOp::Add => old.wrapping_add(value),
            RmwOp::Sub => old.wrapping_sub(value),
            RmwOp::And => old & value,
            RmwOp::Or => old | value,
            RmwOp::Xor => old ^ value,
            RmwOp::Xchg => value,
            RmwOp::Cmpxchg(_) if old == expected & mask => value,
            RmwOp::Cmpxchg(_) => old,
        }
    }
}

/// A page delta, resolved against the model's state.
fn resolve_pages(pages: Pages, mem: &ModelMemory, limiter: &ModelLimiter) -> u64 {
    let target = |to: Bound| -> u64 {
        let cap = index_cap(mem.ty.index64, mem.ty.log2);
        match to {
            Bound::Maximum => mem.ty.max.unwrap_or(cap),
            Bound::IndexCap => cap,
            Bound::Limiter => mem.limiter_pages(limiter),
            Bound::Capacity => mem.capacity.map_or(cap, |c| c >> mem.ty.log2),
        }
    };
    match pages {
        Pages::Small(n) => u64::from(n),
        Pages::NearPow2 { k, d } => Num::NearPow2 { k, d }.resolve(0),
        Pages::Room { to, d } => target(to)
            .wrapping_sub(mem.size())
            .wrapping_add_signed(i64::from(d)),
        Pages::Raw(n) => n,
    }
}

/// The memory type and store an input asks for, made safe to allocate (module docs).
fn normalize(spec: &MemorySpec, flavor: Flavor, limiter: LimiterRule) -> (Ty, ModelStore) {
    let log2 = spec.page.0;
    let valid = log2 == 0 || log2 == 16;
    let cap = if valid {
        index_cap(spec.index64, log2)
    } else {
        0
    };
    let min = spec.min.resolve(cap, log2);
    let mut ty = Ty {
        index64: spec.index64,
        log2,
        min,
        max: spec.max.resolve(min, cap, log2),
        shared: spec.shared,
    };
    let store = match spec.store {
        StoreSpec::Heap => ModelStore::Heap,
        StoreSpec::Region(b) => ModelStore::Region(b.resolve()),
    };
    if valid && store == ModelStore::Heap {
        let bytes = |pages: u64| u128::from(pages) << log2;
        // A reservation of the maximum that the allocator would be asked for.
        let reserved_huge =
            |pages: u64| bytes(pages) > u128::from(CAP_BYTES) && bytes(pages) <= isize::MAX as u128;
        let reserves = flavor != Flavor::Plain || ty.shared;
        let clamp = (reserves && ty.max.is_some_and(reserved_huge))
            || (flavor == Flavor::Plain
                && limiter == LimiterRule::None
                && ty.max.is_none_or(|m| bytes(m) > u128::from(CAP_BYTES)));
        if clamp {
            let max = CAP_BYTES >> log2;
            ty.max = Some(max);
            ty.min = ty.min.min(max);
        }
    }
    (ty, store)
}

#[cfg(test)]
mod tests;
