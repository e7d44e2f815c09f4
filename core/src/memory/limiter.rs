//! The embedder's say over how much memory a guest gets.
//!
//! A [`Limiter`] is asked before anything is allocated: when a memory is created (with
//! `current_bytes == 0`) and on every grow by a non-zero delta, after the memory's own
//! rules (declared maximum, index cap) have passed. It sees sizes in bytes, whatever the
//! page size, because that is what a host budgets. Tables the same way, in elements
//! ([`Limiter::table_growing`]): each costs the host [`TABLE_ELEMENT_BYTES`], and the
//! ready-made limiters count them in bytes with the memories. So are the references of
//! a module's element segments, once per instance ([`Limiter::segment_elements`]), the
//! cells of the exception objects a store holds ([`Limiter::exceptions_growing`]), and
//! the number of instances, tables and memories a store holds ([`Limiter::instances`]).
//!
//! What the limiter does not see is bounded by the engine's [`Config`](crate::Config):
//! the value stack (`max_value_stack`, 2^20 cells of 8 bytes by default), the call frames
//! (`max_call_depth`, 10,000) and the host stack re-entry takes (`max_host_stack`). Each
//! instance also holds a few words per function, global and segment its module
//! declares, in proportion to the module's size, which the embedder chose. A firmware
//! sets those limits to what it can spare.
#![forbid(unsafe_code)]

use core::fmt;

/// Decides whether a memory may be created or grown to a size. Installed by the embedder
/// (a browser caps a memory at 2–4 GiB; firmware at what it has).
///
/// [`MaxBytes`] and [`MaxTotalBytes`] are ready-made. A limiter of one's own implements
/// the two required methods; this one allows memories of up to 1 MiB, refuses tables,
/// and records what it was asked:
///
/// ```
/// use folio::memory::{Limiter, LimiterRefusal, Memory, MemoryType};
///
/// #[derive(Default)]
/// struct Firmware {
///     asked: Vec<(u64, u64)>,
/// }
///
/// impl Limiter for Firmware {
///     fn memory_growing(
///         &mut self,
///         current: u64,
///         desired: u64,
///         _maximum: Option<u64>,
///     ) -> Result<(), LimiterRefusal> {
///         self.asked.push((current, desired));
///         if desired <= 1 << 20 {
///             Ok(())
///         } else {
///             Err(LimiterRefusal::with_limit("bytes of RAM for Wasm", 1 << 20))
///         }
///     }
///
///     fn table_growing(&mut self, _: u64, _: u64, _: Option<u64>) -> Result<(), LimiterRefusal> {
///         Err(LimiterRefusal::new("no tables on this device"))
///     }
/// }
///
/// let mut limiter = Firmware::default();
/// let mut mem = Memory::new(MemoryType::i32(8, None), Some(&mut limiter))?;
/// assert_eq!(mem.grow(8, Some(&mut limiter))?, 8); // 16 pages: exactly 1 MiB
/// let err = mem.grow(1, Some(&mut limiter)).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "cannot grow memory of 16 pages by 1: the embedder's limiter refused 1114112 bytes: \
///      limit of 1048576 bytes of RAM for Wasm"
/// );
/// assert_eq!(limiter.asked, [(0, 1 << 19), (1 << 19, 1 << 20), (1 << 20, 17 << 16)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In a runtime, [`Store::set_limiter`](crate::Store::set_limiter) installs one for every
/// memory and table of the store.
pub trait Limiter {
    /// A memory is about to go from `current_bytes` (0 on creation) to `desired_bytes`.
    /// `maximum_bytes` is its declared maximum in bytes (saturating at `u64::MAX`), `None`
    /// when it declares none.
    ///
    /// # Errors
    ///
    /// A [`LimiterRefusal`] refuses: creation then fails with
    /// [`MemoryError::Limiter`](super::MemoryError::Limiter), a grow with
    /// [`GrowError::Limiter`](super::GrowError::Limiter), and nothing is allocated.
    fn memory_growing(
        &mut self,
        current_bytes: u64,
        desired_bytes: u64,
        maximum_bytes: Option<u64>,
    ) -> Result<(), LimiterRefusal>;

    /// A request this limiter approved then failed anyway (the page store could not
    /// provide the bytes), so nothing changed. A limiter that keeps a running total gives
    /// the bytes back here. The default does nothing.
    fn memory_grow_failed(&mut self, current_bytes: u64, desired_bytes: u64) {
        let _ = (current_bytes, desired_bytes);
    }

    /// A table is about to go from `current` elements (0 on creation) to `desired`;
    /// `maximum` is its declared maximum, `None` when it declares none. Each element costs
    /// the host [`TABLE_ELEMENT_BYTES`]. Asked after the table's own rules (declared
    /// maximum, Folio's cap of ten million elements) have passed.
    ///
    /// # Errors
    ///
    /// A [`LimiterRefusal`] refuses: creation (at instantiation or `Table::new`) then fails
    /// with an error naming it, `table.grow` returns -1, and nothing is allocated.
    fn table_growing(
        &mut self,
        current: u64,
        desired: u64,
        maximum: Option<u64>,
    ) -> Result<(), LimiterRefusal>;

    /// A table grow this limiter approved then failed anyway (the allocation), so nothing
    /// changed. The default does nothing.
    fn table_grow_failed(&mut self, current: u64, desired: u64) {
        let _ = (current, desired);
    }

    /// An instance is about to hold the references of its module's element segments,
    /// `elements` in all, each costing the host [`TABLE_ELEMENT_BYTES`] (asked once per
    /// instantiation, after the imports are checked and before anything is created). A
    /// refusal fails the instantiation with
    /// [`ErrorKind::StoreLimit`](crate::ErrorKind::StoreLimit). The references live until
    /// their segment is dropped; a running total is not given them back.
    ///
    /// The default asks [`table_growing`](Limiter::table_growing) as for a new table of
    /// that many elements without maximum, so limiters that budget tables budget these.
    fn segment_elements(&mut self, elements: u64) -> Result<(), LimiterRefusal> {
        self.table_growing(0, elements, None)
    }

    /// The store's exception objects (the exception handling proposal) are about to take
    /// `desired` cells, each costing the host [`TABLE_ELEMENT_BYTES`], where the limiter
    /// approved `current` so far: a `throw` made one more than fit (each object takes
    /// its payload's cells and two more). The store keeps the objects while it lives,
    /// like a table that only grows, and asks again only when they outgrow what was
    /// approved (an object a `catch` frees at once makes room for the next). A refusal
    /// makes the `throw` trap "exception storage exhausted".
    ///
    /// The default asks [`table_growing`](Limiter::table_growing) as for a table going
    /// from `current` to `desired` elements without maximum, so limiters that budget
    /// tables budget these.
    ///
    /// ```
    /// use folio::memory::MaxTotalBytes;
    /// use folio::{Engine, Instance, Module, Store, TrapKind};
    ///
    /// let engine = Engine::default();
    /// // Each `throw` makes an object that a `catch_all_ref` keeps a reference to.
    /// let wasm = wat::parse_str(r#"(module
    ///     (tag $e (param i64 i64))
    ///     (func (export "throw_many") (param i32)
    ///       (loop $again
    ///         (block $caught (result exnref)
    ///           (try_table (catch_all_ref $caught)
    ///             (throw $e (i64.const 1) (i64.const 2)))
    ///           (unreachable))
    ///         (drop)
    ///         (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// store.set_limiter(MaxTotalBytes::new(400)); // 50 cells
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let throw_many = instance.get_typed_func::<i32, ()>(&store, "throw_many")?;
    /// throw_many.call(&mut store, 12)?; // 12 objects of 4 cells
    /// assert_eq!(store.limiter::<MaxTotalBytes>().map(|l| l.used()), Some(12 * 4 * 8));
    /// let err = throw_many.call(&mut store, 1).unwrap_err();
    /// assert_eq!(err.as_trap().map(|t| t.kind()), Some(TrapKind::ExceptionsExhausted));
    /// # Ok::<(), folio::Error>(())
    /// ```
    fn exceptions_growing(&mut self, current: u64, desired: u64) -> Result<(), LimiterRefusal> {
        self.table_growing(current, desired, None)
    }

    /// How many instances the store may hold (asked before each instantiation). The
    /// default is [`DEFAULT_STORE_COUNT`], as wasmi's.
    ///
    /// ```
    /// use folio::memory::{Limiter, LimiterRefusal};
    /// use folio::{Engine, ErrorKind, Instance, Module, Store};
    ///
    /// struct OneInstance;
    ///
    /// impl Limiter for OneInstance {
    ///     fn memory_growing(
    ///         &mut self,
    ///         _: u64,
    ///         _: u64,
    ///         _: Option<u64>,
    ///     ) -> Result<(), LimiterRefusal> {
    ///         Ok(())
    ///     }
    ///     fn table_growing(
    ///         &mut self,
    ///         _: u64,
    ///         _: u64,
    ///         _: Option<u64>,
    ///     ) -> Result<(), LimiterRefusal> {
    ///         Ok(())
    ///     }
    ///     fn instances(&self) -> usize {
    ///         1
    ///     }
    /// }
    ///
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, &wat::parse_str("(module)").unwrap())?;
    /// let mut store = Store::new(&engine, ());
    /// store.set_limiter(OneInstance);
    /// Instance::new(&mut store, &module, &[])?;
    /// let err = Instance::new(&mut store, &module, &[]).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::StoreLimit(_)));
    /// # Ok::<(), folio::Error>(())
    /// ```
    fn instances(&self) -> usize {
        DEFAULT_STORE_COUNT
    }

    /// How many tables the store may hold, imported ones counted where they were created
    /// (asked before each table is created). The default is [`DEFAULT_STORE_COUNT`].
    fn tables(&self) -> usize {
        DEFAULT_STORE_COUNT
    }

    /// How many memories the store may hold (asked before each memory is created). The
    /// default is [`DEFAULT_STORE_COUNT`].
    fn memories(&self) -> usize {
        DEFAULT_STORE_COUNT
    }

    /// The outcome of a grow a runtime performed on memory `memory` (its index in the
    /// store) of type `ty`, by `delta` pages: the old size in pages, or the error naming
    /// the limit that refused, whichever rule decided it (also refusals made before
    /// [`memory_growing`](Limiter::memory_growing) was asked, and grows by 0). For
    /// tracing; the default does nothing.
    ///
    /// What `folio run --trace-grow` prints comes from here. A limiter that limits nothing
    /// and keeps a trace:
    ///
    /// ```
    /// use folio::memory::{GrowError, Limiter, LimiterRefusal, MemoryType};
    /// use folio::{Engine, Instance, Module, Store, Val};
    /// use std::sync::{Arc, Mutex};
    ///
    /// #[derive(Clone, Default)]
    /// struct Trace(Arc<Mutex<Vec<String>>>);
    ///
    /// impl Limiter for Trace {
    ///     fn memory_growing(
    ///         &mut self,
    ///         _: u64,
    ///         _: u64,
    ///         _: Option<u64>,
    ///     ) -> Result<(), LimiterRefusal> {
    ///         Ok(())
    ///     }
    ///     fn table_growing(
    ///         &mut self,
    ///         _: u64,
    ///         _: u64,
    ///         _: Option<u64>,
    ///     ) -> Result<(), LimiterRefusal> {
    ///         Ok(())
    ///     }
    ///     fn memory_grew(
    ///         &mut self,
    ///         memory: u32,
    ///         _: &MemoryType,
    ///         delta: u64,
    ///         result: Result<u64, &GrowError>,
    ///     ) {
    ///         self.0.lock().unwrap().push(match result {
    ///             Ok(old) => format!("memory {memory}: {old} + {delta} pages"),
    ///             Err(e) => format!("memory {memory}: {e}"),
    ///         });
    ///     }
    /// }
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module (memory 1 2)
    ///     (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#)
    ///     .unwrap();
    /// let trace = Trace::default();
    /// let mut store = Store::new(&engine, ());
    /// store.set_limiter(trace.clone());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let grow = instance.get_func(&store, "grow").unwrap();
    /// let mut out = [Val::I32(0)];
    /// grow.call(&mut store, &[Val::I32(1)], &mut out)?;
    /// assert_eq!(out[0], Val::I32(1));
    /// grow.call(&mut store, &[Val::I32(1)], &mut out)?;
    /// assert_eq!(out[0], Val::I32(-1)); // past the declared maximum: memory.grow says -1
    /// assert_eq!(*trace.0.lock().unwrap(), [
    ///     "memory 0: 1 + 1 pages",
    ///     "memory 0: cannot grow memory of 2 pages by 1: exceeds the declared maximum of 2 pages",
    /// ]);
    /// # Ok::<(), folio::Error>(())
    /// ```
    fn memory_grew(
        &mut self,
        memory: u32,
        ty: &super::MemoryType,
        delta: u64,
        result: Result<u64, &super::GrowError>,
    ) {
        let _ = (memory, ty, delta, result);
    }
}

/// A limiter's "no": what it limits and, when it has one, the limit in bytes.
///
/// ```
/// use folio::memory::LimiterRefusal;
///
/// let no = LimiterRefusal::with_limit("bytes per memory", 4096);
/// assert_eq!(no.to_string(), "limit of 4096 bytes per memory");
/// assert_eq!(LimiterRefusal::new("quota spent").to_string(), "quota spent");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LimiterRefusal {
    /// What is limited, e.g. "bytes per memory".
    pub reason: &'static str,
    /// The limit, in bytes, if the limiter has a single figure.
    pub limit_bytes: Option<u64>,
}

impl LimiterRefusal {
    /// A refusal without a figure.
    #[cold]
    pub const fn new(reason: &'static str) -> LimiterRefusal {
        LimiterRefusal {
            reason,
            limit_bytes: None,
        }
    }
    /// A refusal naming the limit in bytes.
    #[cold]
    pub const fn with_limit(reason: &'static str, limit_bytes: u64) -> LimiterRefusal {
        LimiterRefusal {
            reason,
            limit_bytes: Some(limit_bytes),
        }
    }
}

impl fmt::Display for LimiterRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.limit_bytes {
            Some(limit) => write!(f, "limit of {limit} {}", self.reason),
            None => f.write_str(self.reason),
        }
    }
}

impl core::error::Error for LimiterRefusal {}

/// How many instances, tables and memories a store with a limiter may hold unless the
/// limiter says otherwise ([`Limiter::instances`] and the others): wasmi's default.
pub const DEFAULT_STORE_COUNT: usize = 10_000;

/// What one table element costs the host, in bytes (a cell of the store's table).
pub const TABLE_ELEMENT_BYTES: u64 = 8;

/// The bytes `elements` table elements cost (saturating).
fn table_bytes(elements: u64) -> u64 {
    elements.saturating_mul(TABLE_ELEMENT_BYTES)
}

/// A ready-made limiter: at most this many bytes per memory, and per table (its elements
/// at [`TABLE_ELEMENT_BYTES`] each).
///
/// ```
/// use folio::memory::{GrowError, MaxBytes, Memory, MemoryType};
///
/// let mut limiter = MaxBytes(4 << 16); // 4 pages of 64 KiB
/// let mut a = Memory::new(MemoryType::i32(4, None), Some(&mut limiter))?;
/// let _b = Memory::new(MemoryType::i32(4, None), Some(&mut limiter))?; // per memory
/// let err = a.grow(1, Some(&mut limiter)).unwrap_err();
/// assert!(matches!(err, GrowError::Limiter { bytes: 327_680, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaxBytes(pub u64);

impl Limiter for MaxBytes {
    fn memory_growing(
        &mut self,
        _current: u64,
        desired: u64,
        _max: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        if desired <= self.0 {
            Ok(())
        } else {
            Err(LimiterRefusal::with_limit("bytes per memory", self.0))
        }
    }

    fn table_growing(
        &mut self,
        _current: u64,
        desired: u64,
        _max: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        if table_bytes(desired) <= self.0 {
            Ok(())
        } else {
            Err(LimiterRefusal::with_limit("bytes per table", self.0))
        }
    }
}

/// A ready-made limiter: at most `limit` bytes across every memory and table it is asked
/// about (a table's elements at [`TABLE_ELEMENT_BYTES`] each).
///
/// It counts what it approved, minus what then failed. Memories and tables never shrink
/// and a store frees them only when it is dropped, so the count is exact for one store.
///
/// ```
/// use folio::memory::{MaxTotalBytes, Memory, MemoryType};
///
/// let mut limiter = MaxTotalBytes::new(4 << 16); // 4 pages in all
/// let _a = Memory::new(MemoryType::i32(3, None), Some(&mut limiter))?;
/// assert_eq!(limiter.used(), 3 << 16);
/// assert!(Memory::new(MemoryType::i32(2, None), Some(&mut limiter)).is_err());
/// let _b = Memory::new(MemoryType::i32(1, None), Some(&mut limiter))?;
/// assert_eq!(limiter.used(), 4 << 16);
/// # Ok::<(), folio::memory::MemoryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaxTotalBytes {
    limit: u64,
    used: u64,
}

impl MaxTotalBytes {
    /// A limiter allowing `limit` bytes in total.
    pub const fn new(limit: u64) -> MaxTotalBytes {
        MaxTotalBytes { limit, used: 0 }
    }
    /// Bytes approved so far.
    pub const fn used(&self) -> u64 {
        self.used
    }
}

impl Limiter for MaxTotalBytes {
    fn memory_growing(
        &mut self,
        current: u64,
        desired: u64,
        _max: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        let used = desired
            .checked_sub(current)
            .and_then(|more| self.used.checked_add(more))
            .filter(|&used| used <= self.limit)
            .ok_or_else(|| LimiterRefusal::with_limit("bytes in total", self.limit))?;
        self.used = used;
        Ok(())
    }

    fn memory_grow_failed(&mut self, current: u64, desired: u64) {
        self.used = self.used.saturating_sub(desired.saturating_sub(current));
    }

    fn table_growing(
        &mut self,
        current: u64,
        desired: u64,
        max: Option<u64>,
    ) -> Result<(), LimiterRefusal> {
        self.memory_growing(table_bytes(current), table_bytes(desired), max)
    }

    fn table_grow_failed(&mut self, current: u64, desired: u64) {
        self.memory_grow_failed(table_bytes(current), table_bytes(desired));
    }
}

/// What a request to the limiter is about: a memory (in bytes) or a table (in elements).
#[derive(Clone, Copy)]
enum Asked {
    Memory,
    Table,
}

impl Asked {
    /// Asks `limiter` about going from `current` to `desired`.
    fn growing(
        self,
        limiter: &mut dyn Limiter,
        (current, desired, maximum): (u64, u64, Option<u64>),
    ) -> Result<(), LimiterRefusal> {
        match self {
            Asked::Memory => limiter.memory_growing(current, desired, maximum),
            Asked::Table => limiter.table_growing(current, desired, maximum),
        }
    }

    /// Tells `limiter` that an approved request failed.
    fn failed(self, limiter: &mut dyn Limiter, current: u64, desired: u64) {
        match self {
            Asked::Memory => limiter.memory_grow_failed(current, desired),
            Asked::Table => limiter.table_grow_failed(current, desired),
        }
    }
}

/// Asks `limiter` (if any) about going from `current` to `desired`, then runs `act` if it
/// agreed; tells the limiter when `act` fails so it can give the amount back.
fn ask_with<T, E>(
    asked: Asked,
    limiter: Option<&mut dyn Limiter>,
    request: (u64, u64, Option<u64>),
    refused: impl FnOnce(LimiterRefusal) -> E,
    act: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let Some(limiter) = limiter else { return act() };
    asked.growing(limiter, request).map_err(refused)?;
    act().inspect_err(|_| asked.failed(limiter, request.0, request.1))
}

/// [`ask_with`] for a memory: `request` in bytes.
pub(crate) fn ask_then<T, E>(
    limiter: Option<&mut dyn Limiter>,
    request: (u64, u64, Option<u64>),
    refused: impl FnOnce(LimiterRefusal) -> E,
    act: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    ask_with(Asked::Memory, limiter, request, refused, act)
}

/// [`ask_with`] for a table: `request` in elements.
pub(crate) fn ask_table_then<T, E>(
    limiter: Option<&mut dyn Limiter>,
    request: (u64, u64, Option<u64>),
    refused: impl FnOnce(LimiterRefusal) -> E,
    act: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    ask_with(Asked::Table, limiter, request, refused, act)
}
