//! Handles to memories, tables and globals, and [`Extern`], what imports and exports are
//! (tags are in `exn`).

use super::{Error, ErrorKind, Func, Store, Tag, Val};
use crate::exec::store::{GlobalEntity, StoreInner, TableEntity};
use crate::memory::{
    Limiter, LimiterRefusal, Memory as LinearMemory, MemoryType, PageStoreFactory, SharedMemory,
    ask_table_then,
};
use crate::module::{ExternType, GlobalType, Mutability, TableType};
use crate::prelude::*;

/// Maximum number of elements of any table, whatever it declares. Keeps a guest from
/// asking the host for more than it can reasonably provide (the spec allows hosts to
/// refuse `table.grow`).
pub(crate) const MAX_TABLE_ELEMENTS: u64 = 10_000_000;

fn check_store<T>(handle_store: u32, store: &Store<T>) -> Result<(), Error> {
    if handle_store == store.inner.id {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::WrongStore))
    }
}

/// A linear memory in a [`Store`].
///
/// A memory the embedder creates and a module imports; the guest writes, the host reads:
///
/// ```
/// use folio::{Engine, Instance, Memory, MemoryType, Module, Store};
///
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let memory = Memory::new(&mut store, MemoryType::i32(1, None))?;
/// let wasm = wat::parse_str(r#"(module
///     (import "env" "memory" (memory 1))
///     (func (export "store") (i32.store (i32.const 100) (i32.const 0x01020304))))"#)
///     .unwrap();
/// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[memory.into()])?;
/// instance.get_typed_func::<(), ()>(&store, "store")?.call(&mut store, ())?;
/// let mut word = [0; 4];
/// memory.read(&store, 100, &mut word)?;
/// assert_eq!(word, [4, 3, 2, 1]); // little-endian
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl Memory {
    /// Creates a memory of type `ty` with the engine's page store, asking the store's
    /// limiter first.
    ///
    /// # Errors
    /// An invalid type, a limiter refusal, or an initial size that cannot be allocated.
    ///
    /// ```
    /// use folio::memory::MaxBytes;
    /// use folio::{Engine, ErrorKind, Memory, MemoryType, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let memory = Memory::new(&mut store, MemoryType::i32(2, Some(4)))?;
    /// assert_eq!(memory.size(&store)?, 2);
    /// assert!(memory.data(&store)?.iter().all(|&b| b == 0));
    ///
    /// let err = Memory::new(&mut store, MemoryType::i32(3, Some(2))).unwrap_err(); // min > max
    /// assert!(matches!(err.kind(), ErrorKind::Memory(_)));
    /// store.set_limiter(MaxBytes(1 << 16));
    /// assert!(Memory::new(&mut store, MemoryType::i32(2, None)).is_err()); // over 64 KiB
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn new<T>(store: &mut Store<T>, ty: MemoryType) -> Result<Memory, Error> {
        let factory = store.engine.config.page_store.as_deref();
        let index = store.inner.create_memory(ty, factory)?;
        Ok(Memory {
            store: store.inner.id,
            index,
        })
    }
    /// A memory of `store` that is `shared`: the same bytes as every other store's
    /// handle of it, which instances in stores on other threads may use at the same time
    /// (import it through a [`Linker`](crate::Linker)). Counted among the store's
    /// memories ([`Limiter::memories`]); its bytes were
    /// budgeted where it was created.
    ///
    /// # Errors
    /// [`ErrorKind::StoreLimit`] when the store holds as many memories as its limiter
    /// allows.
    ///
    /// ```
    /// use folio::memory::{MemoryType, SharedMemory};
    /// use folio::{Engine, Memory, Store};
    ///
    /// let shared = SharedMemory::new(MemoryType::i32(1, Some(4)).with_shared(true), None)?;
    /// let engine = Engine::default();
    /// let (mut a, mut b) = (Store::new(&engine, ()), Store::new(&engine, ()));
    /// let in_a = Memory::from_shared(&mut a, &shared)?;
    /// let in_b = Memory::from_shared(&mut b, &shared)?;
    /// in_a.write(&mut a, 100, b"hi")?;
    /// let mut buf = [0; 2];
    /// in_b.read(&b, 100, &mut buf)?;
    /// assert_eq!(&buf, b"hi");
    /// assert!(in_b.shared(&b)?.is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_shared<T>(store: &mut Store<T>, shared: &SharedMemory) -> Result<Memory, Error> {
        let inner = &mut store.inner;
        inner.below_limit("memories", inner.memories.len(), |l| l.memories())?;
        inner
            .memories
            .push(LinearMemory::from_shared(shared.clone()));
        Ok(Memory {
            store: inner.id,
            index: inner.memories.len() as u32 - 1,
        })
    }
    /// The shared memory this memory is, if it is shared (declared `shared` by a module,
    /// or [`Memory::from_shared`]): to hand to other stores.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn shared<T>(&self, store: &Store<T>) -> Result<Option<SharedMemory>, Error> {
        Ok(self.entity(store)?.shared().cloned())
    }
    pub(crate) fn entity<'a, T>(&self, store: &'a Store<T>) -> Result<&'a LinearMemory, Error> {
        check_store(self.store, store)?;
        store
            .inner
            .memories
            .get(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))
    }
    pub(crate) fn entity_mut<'a, T>(
        &self,
        store: &'a mut Store<T>,
    ) -> Result<&'a mut LinearMemory, Error> {
        check_store(self.store, store)?;
        store
            .inner
            .memories
            .get_mut(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))
    }
    /// The memory's type, with `min` as declared.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    ///
    /// ```
    /// use folio::{Engine, Memory, MemoryType, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let memory = Memory::new(&mut store, MemoryType::i32(1, Some(8)))?;
    /// memory.grow(&mut store, 2)?;
    /// assert_eq!(memory.ty(&store)?, MemoryType::i32(1, Some(8))); // not the current size
    /// assert_eq!(memory.size(&store)?, 3);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn ty<T>(&self, store: &Store<T>) -> Result<MemoryType, Error> {
        Ok(*self.entity(store)?.ty())
    }
    /// Current size in pages.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    ///
    /// Pages are 64 KiB, or a byte with the custom-page-sizes proposal:
    ///
    /// ```
    /// use folio::memory::BYTE_PAGE_SIZE_LOG2;
    /// use folio::{Engine, Memory, MemoryType, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let memory = Memory::new(&mut store, MemoryType::i32(2, None))?;
    /// assert_eq!(memory.size(&store)?, 2);
    /// assert_eq!(memory.data(&store)?.len(), 2 * 65_536);
    ///
    /// let ty = MemoryType::i32(100, None).with_page_size_log2(BYTE_PAGE_SIZE_LOG2);
    /// let tiny = Memory::new(&mut store, ty)?;
    /// assert_eq!(tiny.size(&store)?, 100);
    /// assert_eq!(tiny.data(&store)?.len(), 100);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn size<T>(&self, store: &Store<T>) -> Result<u64, Error> {
        Ok(self.entity(store)?.size())
    }
    /// Grows by `delta` pages, returning the old size in pages.
    ///
    /// # Errors
    /// [`ErrorKind::Grow`] naming the limit that refused (nothing changes then).
    ///
    /// ```
    /// use folio::memory::GrowError;
    /// use folio::{Engine, ErrorKind, Memory, MemoryType, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let memory = Memory::new(&mut store, MemoryType::i32(1, Some(3)))?;
    /// memory.write(&mut store, 0, b"kept")?;
    /// assert_eq!(memory.grow(&mut store, 2)?, 1); // the old size
    /// assert_eq!(memory.size(&store)?, 3);
    /// assert_eq!(&memory.data(&store)?[..4], b"kept");
    ///
    /// let err = memory.grow(&mut store, 1).unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::Grow(GrowError::DeclaredMaximum { current: 3, delta: 1, maximum: 3 })
    /// ));
    /// assert_eq!(memory.grow(&mut store, 0)?, 3); // growing by nothing, at the maximum
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn grow<T>(&self, store: &mut Store<T>, delta: u64) -> Result<u64, Error> {
        check_store(self.store, store)?;
        let inner = &mut store.inner;
        let mem = inner
            .memories
            .get_mut(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        let limiter = inner.limiter.as_deref_mut();
        Ok(crate::exec::store::grow_memory(
            mem, self.index, delta, limiter,
        )?)
    }
    /// The memory's bytes; the borrow ends before the next grow.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (memory (export "memory") 1)
    ///     (data (i32.const 1024) "Hello, host!\00"))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let memory = instance.get_memory(&store, "memory").unwrap();
    ///
    /// // A C string at 1024, read in place.
    /// let bytes = &memory.data(&store)?[1024..];
    /// let end = bytes.iter().position(|&b| b == 0).unwrap();
    /// assert_eq!(&bytes[..end], b"Hello, host!");
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn data<'a, T>(&self, store: &'a Store<T>) -> Result<&'a [u8], Error> {
        Ok(plain(self.entity(store)?)?.data())
    }
    /// The memory's bytes, writable.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    ///
    /// ```
    /// use folio::{Engine, Instance, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let wasm = wat::parse_str(r#"(module
    ///     (memory (export "memory") 1)
    ///     (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32)
    ///       (block $done
    ///         (loop $l
    ///           (br_if $done (i32.eqz (local.get $n)))
    ///           (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
    ///           (local.set $p (i32.add (local.get $p) (i32.const 1)))
    ///           (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    ///           (br $l)))
    ///       (local.get $s)))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &Module::new(&engine, &wasm)?, &[])?;
    /// let memory = instance.get_memory(&store, "memory").unwrap();
    /// let sum = instance.get_typed_func::<(i32, i32), i32>(&store, "sum")?;
    ///
    /// // Fill bytes 0..10 with 1, 2, ..., 10 in place, then let the guest add them up.
    /// for (i, byte) in memory.data_mut(&mut store)?[..10].iter_mut().enumerate() {
    ///     *byte = i as u8 + 1;
    /// }
    /// assert_eq!(sum.call(&mut store, (0, 10))?, 55);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn data_mut<'a, T>(&self, store: &'a mut Store<T>) -> Result<&'a mut [u8], Error> {
        let mem = self.entity_mut(store)?;
        plain(mem)?;
        Ok(mem.data_mut())
    }
    /// Copies the bytes from `offset` into `buf`.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfBounds`] (with the figures) when `offset + buf.len()` passes the
    /// end: nothing is read then; [`ErrorKind::WrongStore`].
    ///
    /// ```
    /// use folio::{Engine, ErrorKind, Memory, MemoryType, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let memory = Memory::new(&mut store, MemoryType::i32(1, None))?;
    /// memory.write(&mut store, 65_532, &[1, 2, 3, 4])?;
    /// let mut buf = [0; 4];
    /// memory.read(&store, 65_532, &mut buf)?; // the last four bytes
    /// assert_eq!(buf, [1, 2, 3, 4]);
    ///
    /// let mut buf = [9; 8];
    /// let err = memory.read(&store, 65_532, &mut buf).unwrap_err();
    /// let ErrorKind::OutOfBounds { offset, len, size } = *err.kind() else { panic!("{err}") };
    /// assert_eq!((offset, len, size), (65_532, 8, 65_536));
    /// assert_eq!(buf, [9; 8]); // nothing read
    /// assert_eq!(
    ///     err.to_string(),
    ///     "out of bounds memory access: 8 bytes at 65532 in a memory of 65536 bytes"
    /// );
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn read<T>(&self, store: &Store<T>, offset: usize, buf: &mut [u8]) -> Result<(), Error> {
        let mem = self.entity(store)?;
        mem.read(offset as u64, buf)
            .map_err(|_| out_of_bounds(offset, buf.len(), mem.byte_len()))
    }
    /// Copies `bytes` into the memory from `offset`.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfBounds`] (with the figures) when `offset + bytes.len()` passes
    /// the end: nothing is written then; [`ErrorKind::WrongStore`].
    ///
    /// ```
    /// use folio::{Engine, ErrorKind, Memory, MemoryType, Store};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let memory = Memory::new(&mut store, MemoryType::i32(1, None))?;
    /// memory.write(&mut store, 16, b"folio")?;
    /// assert_eq!(&memory.data(&store)?[16..21], b"folio");
    ///
    /// let err = memory.write(&mut store, 65_534, b"abc").unwrap_err();
    /// let ErrorKind::OutOfBounds { offset, len, size } = *err.kind() else { panic!("{err}") };
    /// assert_eq!((offset, len, size), (65_534, 3, 65_536));
    /// assert_eq!(&memory.data(&store)?[65_534..], [0, 0]); // nothing written
    /// memory.write(&mut store, 65_536, &[])?; // empty, at the end: in bounds
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn write<T>(&self, store: &mut Store<T>, offset: usize, bytes: &[u8]) -> Result<(), Error> {
        let mem = self.entity_mut(store)?;
        let size = mem.byte_len();
        mem.write(offset as u64, bytes)
            .map_err(|_| out_of_bounds(offset, bytes.len(), size))
    }
    /// The memory's bytes and the store's host data, both writable at once: what a host
    /// function needs to move bytes between guest memory and its own state (a file table,
    /// buffers) without copying through a temporary.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    ///
    /// A host function appending the guest's bytes to the host's output buffer, with no copy
    /// in between:
    ///
    /// ```
    /// use folio::{Caller, Engine, Error, Extern, Linker, Module, Store};
    ///
    /// let engine = Engine::default();
    /// let mut linker = Linker::new();
    /// linker.func_wrap(
    ///     "env",
    ///     "write",
    ///     |mut caller: Caller<'_, Vec<u8>>, ptr: u32, len: u32| -> Result<(), Error> {
    ///         let memory = caller.get_export("memory").and_then(Extern::into_memory).unwrap();
    ///         let (bytes, out) = memory.data_and_store_mut(caller.store_mut())?;
    ///         let guest = bytes.get(ptr as usize..).and_then(|b| b.get(..len as usize));
    ///         out.extend_from_slice(guest.ok_or_else(|| Error::host("bad pointer"))?);
    ///         Ok(())
    ///     },
    /// )?;
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "env" "write" (func $write (param i32 i32)))
    ///     (memory (export "memory") 1)
    ///     (data (i32.const 0) "Hello, ")
    ///     (data (i32.const 16) "world")
    ///     (func (export "run")
    ///       (call $write (i32.const 0) (i32.const 7))
    ///       (call $write (i32.const 16) (i32.const 5))))"#)
    ///     .unwrap();
    /// let mut store = Store::new(&engine, Vec::new());
    /// let instance = linker.instantiate(&mut store, &Module::new(&engine, &wasm)?)?;
    /// instance.get_typed_func::<(), ()>(&store, "run")?.call(&mut store, ())?;
    /// assert_eq!(store.data(), b"Hello, world");
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn data_and_store_mut<'a, T>(
        &self,
        store: &'a mut Store<T>,
    ) -> Result<(&'a mut [u8], &'a mut T), Error> {
        check_store(self.store, store)?;
        let mem = store
            .inner
            .memories
            .get_mut(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        plain(mem)?;
        Ok((mem.data_mut(), &mut store.data))
    }
}

/// `mem`, if its bytes can be a slice: not a shared memory's, which other threads may
/// write at any time (use `Memory::read` and `Memory::write`, which access them as
/// atomics).
fn plain(mem: &LinearMemory) -> Result<&LinearMemory, Error> {
    match mem.shared() {
        None => Ok(mem),
        Some(_) => Err(Error::unsupported(
            "the bytes of a shared memory are not a slice: use Memory::read and Memory::write",
        )),
    }
}

/// The error of an embedder's access of `len` bytes at `offset` in a memory of `size`.
#[cold]
fn out_of_bounds(offset: usize, len: usize, size: usize) -> Error {
    Error::new(ErrorKind::OutOfBounds {
        offset: offset as u64,
        len: len as u64,
        size: size as u64,
    })
}

/// A table of references in a [`Store`].
///
/// Whatever a table declares, it holds at most ten million elements; the store's
/// [`Limiter`] is asked before it is created or grown (each element costs the host
/// [`TABLE_ELEMENT_BYTES`](crate::memory::TABLE_ELEMENT_BYTES)).
///
/// Indices, sizes and deltas are `u64` for every table: those of a 64-bit table
/// ([`TableType::index64`]) need them, and for a 32-bit one an index of 2^32 or more is
/// simply past its end. No index is ever truncated: one that does not fit the host's
/// `usize` is past the end too (`get` gives `None`, `set` an error, `grow` an error).
///
/// ```
/// use folio::{Engine, ExternRef, RefType, Store, Table, TableType, Val};
///
/// let mut store = Store::new(&Engine::default(), ());
/// let ty = TableType { element: RefType::EXTERNREF, index64: false, min: 2, max: Some(4) };
/// let table = Table::new(&mut store, ty, Val::ExternRef(None))?;
/// let object = ExternRef::new(&mut store, "a host object");
/// table.set(&mut store, 1, Val::ExternRef(Some(object)))?;
/// assert_eq!(table.get(&store, 1)?, Some(Val::ExternRef(Some(object))));
/// assert_eq!(table.get(&store, 2)?, None); // past the end
/// assert_eq!(table.grow(&mut store, 2, Val::ExternRef(None))?, 2);
/// assert_eq!(table.size(&store)?, 4);
/// assert_eq!(table.ty(&store)?.min, 2); // as declared
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl Table {
    /// Creates a table of type `ty` with every element set to `init`.
    ///
    /// # Errors
    /// `init` of the wrong type, a type no module could declare (a maximum below the
    /// minimum, or limits past 2^32 - 1 for a 32-bit table), or a size beyond what Folio
    /// allows.
    ///
    /// ```
    /// use folio::{Engine, RefType, Store, Table, TableType, Val};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = TableType { element: RefType::FUNCREF, index64: false, min: 8, max: None };
    /// assert!(Table::new(&mut store, ty, Val::I32(0)).is_err()); // not a reference
    /// let table = Table::new(&mut store, ty, Val::FuncRef(None))?;
    /// assert_eq!(table.size(&store)?, 8);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn new<T>(store: &mut Store<T>, ty: TableType, init: Val) -> Result<Table, Error> {
        let cap = if ty.index64 {
            u64::MAX
        } else {
            u64::from(u32::MAX)
        };
        if ty.max.is_some_and(|max| max < ty.min) || ty.min.max(ty.max.unwrap_or(0)) > cap {
            let max = ty.max.map_or(String::from("none"), |m| m.to_string());
            let bits = if ty.index64 { 64 } else { 32 };
            return Err(Error::new(ErrorKind::Table(format!(
                "invalid table type: initial={} max={max} for a {bits}-bit table",
                ty.min
            ))));
        }
        let cell = store.inner.ref_cell(init, ty.element.into())?;
        let index = store.inner.create_table(ty, cell)?;
        Ok(Table {
            store: store.inner.id,
            index,
        })
    }
    fn entity<'a, T>(&self, store: &'a Store<T>) -> Result<&'a TableEntity, Error> {
        check_store(self.store, store)?;
        store
            .inner
            .tables
            .get(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))
    }
    /// The table's type, with `min` as declared.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn ty<T>(&self, store: &Store<T>) -> Result<TableType, Error> {
        Ok(self.entity(store)?.ty)
    }
    /// Current number of elements.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn size<T>(&self, store: &Store<T>) -> Result<u64, Error> {
        Ok(self.entity(store)?.elements.len() as u64)
    }
    /// Element `index`, or `None` past the end.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn get<T>(&self, store: &Store<T>, index: u64) -> Result<Option<Val>, Error> {
        let t = self.entity(store)?;
        let ty = t.ty.element.into();
        Ok(usize::try_from(index)
            .ok()
            .and_then(|i| t.elements.get(i))
            .map(|c| Val::from_cells(&[*c], ty, store.inner.id)))
    }
    /// Sets element `index`.
    ///
    /// # Errors
    /// Out of bounds, or a value of the wrong type.
    ///
    /// ```
    /// use folio::{Engine, Func, FuncType, RefType, Store, Table, TableType, Val};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = TableType { element: RefType::FUNCREF, index64: false, min: 1, max: None };
    /// let table = Table::new(&mut store, ty, Val::FuncRef(None))?;
    /// let f = Func::new(&mut store, FuncType::new([], []), |_, _, _| Ok(()));
    /// table.set(&mut store, 0, Val::FuncRef(Some(f)))?;
    /// assert!(table.set(&mut store, 1, Val::FuncRef(Some(f))).is_err()); // out of bounds
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn set<T>(&self, store: &mut Store<T>, index: u64, value: Val) -> Result<(), Error> {
        let ty = self.entity(store)?.ty;
        let cell = store.inner.ref_cell(value, ty.element.into())?;
        let t = &mut store.inner.tables[self.index as usize];
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| t.elements.get_mut(i))
            .ok_or_else(|| {
                Error::from(crate::exec::Trap::new(
                    crate::exec::TrapKind::TableOutOfBounds,
                ))
            })?;
        *slot = cell;
        Ok(())
    }
    /// Grows by `delta` elements set to `init`, returning the old size. The store's limiter
    /// is asked first.
    ///
    /// # Errors
    /// Past the declared maximum or Folio's table limit, refused by the limiter, or `init`
    /// of the wrong type. Nothing changes then.
    ///
    /// ```
    /// use folio::memory::MaxBytes;
    /// use folio::{Engine, RefType, Store, Table, TableType, Val};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// store.set_limiter(MaxBytes(800)); // 100 elements of 8 bytes
    /// let ty = TableType { element: RefType::FUNCREF, index64: false, min: 0, max: None };
    /// let table = Table::new(&mut store, ty, Val::FuncRef(None))?;
    /// assert_eq!(table.grow(&mut store, 100, Val::FuncRef(None))?, 0);
    /// let err = table.grow(&mut store, 1, Val::FuncRef(None)).unwrap_err();
    /// assert!(err.to_string().contains("refused by the limiter"));
    /// assert_eq!(table.size(&store)?, 100);
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn grow<T>(&self, store: &mut Store<T>, delta: u64, init: Val) -> Result<u64, Error> {
        let ty = self.entity(store)?.ty;
        let cell = store.inner.ref_cell(init, ty.element.into())?;
        let inner = &mut store.inner;
        let limiter = inner.limiter.as_deref_mut().map(|l| l as &mut dyn Limiter);
        inner.tables[self.index as usize]
            .grow(delta, cell, limiter)
            .map_err(|why| {
                Error::new(ErrorKind::Table(format!(
                    "table cannot grow by {delta} elements: {why}"
                )))
            })
    }
}

impl TableEntity {
    /// Grows by `delta` cells of `init`, asking `limiter` first; the old size, or why not
    /// (nothing changed): past the maximum, refused by the limiter, or the allocation
    /// failed.
    pub(crate) fn grow(
        &mut self,
        delta: u64,
        init: u64,
        limiter: Option<&mut dyn Limiter>,
    ) -> Result<u64, String> {
        let old = self.elements.len() as u64;
        let max = self.ty.max.unwrap_or(u64::MAX).min(MAX_TABLE_ELEMENTS);
        let new = old
            .checked_add(delta)
            .filter(|&new| new <= max)
            .ok_or_else(|| format!("past the maximum of {max} elements"))?;
        if delta == 0 {
            return Ok(old);
        }
        let refused = |r: LimiterRefusal| format!("refused by the limiter: {r}");
        ask_table_then(limiter, (old, new, self.ty.max), refused, || {
            // `new <= MAX_TABLE_ELEMENTS`: it fits a `usize`, and so does `delta`.
            self.elements
                .try_reserve(delta as usize)
                .map_err(|_| String::from("out of memory"))?;
            self.elements.resize(new as usize, init);
            Ok(old)
        })
    }
}

/// A global variable in a [`Store`].
///
/// ```
/// use folio::{Engine, Global, GlobalType, Mutability, Store, Val, ValType};
///
/// let mut store = Store::new(&Engine::default(), ());
/// let ty = GlobalType { content: ValType::I32, mutability: Mutability::Var };
/// let g = Global::new(&mut store, ty, Val::I32(1))?;
/// g.set(&mut store, Val::I32(2))?;
/// assert_eq!(g.get(&store)?, Val::I32(2));
/// assert!(g.set(&mut store, Val::I64(3)).is_err()); // wrong type
/// assert_eq!(g.ty(&store)?, ty);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: u32,
    pub(crate) index: u32,
}

impl Global {
    /// Creates a global of type `ty` holding `value`.
    ///
    /// # Errors
    /// `value` of the wrong type.
    pub fn new<T>(store: &mut Store<T>, ty: GlobalType, value: Val) -> Result<Global, Error> {
        let bits = store.inner.val_bits(value, ty.content)?;
        let index = store.inner.globals.len() as u32;
        store.inner.globals.push(GlobalEntity::new(ty, bits));
        Ok(Global {
            store: store.inner.id,
            index,
        })
    }
    fn entity<'a, T>(&self, store: &'a Store<T>) -> Result<&'a GlobalEntity, Error> {
        check_store(self.store, store)?;
        store
            .inner
            .globals
            .get(self.index as usize)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))
    }
    /// The global's type.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn ty<T>(&self, store: &Store<T>) -> Result<GlobalType, Error> {
        Ok(self.entity(store)?.ty)
    }
    /// The global's value.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn get<T>(&self, store: &Store<T>) -> Result<Val, Error> {
        let g = self.entity(store)?;
        Ok(Val::from_cells(
            &[g.value, g.hi],
            g.ty.content,
            store.inner.id,
        ))
    }
    /// Sets the global's value.
    ///
    /// # Errors
    /// An immutable global, or a value of the wrong type.
    ///
    /// ```
    /// use folio::{Engine, Global, GlobalType, Mutability, Store, Val, ValType};
    ///
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = GlobalType { content: ValType::F32, mutability: Mutability::Const };
    /// let g = Global::new(&mut store, ty, Val::from_f32(1.5))?;
    /// assert!(g.set(&mut store, Val::from_f32(2.5)).is_err());
    /// assert_eq!(g.get(&store)?, Val::from_f32(1.5));
    /// # Ok::<(), folio::Error>(())
    /// ```
    pub fn set<T>(&self, store: &mut Store<T>, value: Val) -> Result<(), Error> {
        let ty = self.entity(store)?.ty;
        if ty.mutability != Mutability::Var {
            return Err(Error::ty("global is immutable"));
        }
        let bits = store.inner.val_bits(value, ty.content)?;
        store.inner.globals[self.index as usize] = GlobalEntity::new(ty, bits);
        Ok(())
    }
}

/// Something a module can import or export: what [`Instance::get_export`] returns and
/// [`Linker::define`] takes (any handle converts into it with `into()`).
///
/// [`Instance::get_export`]: super::Instance::get_export
/// [`Linker::define`]: super::Linker::define
///
/// ```
/// use folio::{Engine, Extern, ExternType, Global, GlobalType, Mutability, Store, Val};
/// use folio::ValType;
///
/// let mut store = Store::new(&Engine::default(), ());
/// let ty = GlobalType { content: ValType::I64, mutability: Mutability::Const };
/// let g = Global::new(&mut store, ty, Val::I64(7))?;
/// let e: Extern = g.into();
/// assert_eq!(e.ty(&store)?, ExternType::Global(ty));
/// assert_eq!(e.into_global(), Some(g));
/// assert_eq!(e.into_func(), None);
/// # Ok::<(), folio::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
    /// A tag (the exception handling proposal).
    Tag(Tag),
}

impl Extern {
    /// Its type.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`].
    pub fn ty<T>(&self, store: &Store<T>) -> Result<ExternType, Error> {
        Ok(match self {
            Extern::Func(f) => ExternType::Func(f.ty(store)?),
            Extern::Table(t) => ExternType::Table(t.ty(store)?),
            Extern::Memory(m) => ExternType::Memory(m.ty(store)?),
            Extern::Global(g) => ExternType::Global(g.ty(store)?),
            Extern::Tag(t) => ExternType::Tag(t.ty(store)?),
        })
    }
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }
    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }
    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }
    /// The tag, if this is one.
    pub fn into_tag(self) -> Option<Tag> {
        if let Extern::Tag(t) = self {
            Some(t)
        } else {
            None
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}
impl From<Tag> for Extern {
    fn from(t: Tag) -> Extern {
        Extern::Tag(t)
    }
}

impl StoreInner {
    /// Whether `v` is a value of type `ty`: its own type for numbers and vectors; for a
    /// reference, null where `ty` is nullable and of its family, a function where `ty`
    /// is `func` or the function's own type (a reference of another store is refused
    /// later, when it becomes a cell), a host value where `ty` is `extern`, an exception
    /// where it is `exn`.
    pub(crate) fn val_fits(&self, v: Val, ty: crate::module::ValType) -> bool {
        use crate::module::{HeapType, ValType};
        let ValType::Ref(r) = ty else {
            return v.ty() == ty;
        };
        match v {
            Val::FuncRef(None) => {
                r.nullable
                    && matches!(
                        r.heap,
                        HeapType::Func | HeapType::NoFunc | HeapType::Concrete(_)
                    )
            }
            Val::ExternRef(None) => r.nullable && r.heap.is_extern(),
            Val::FuncRef(Some(f)) => match r.heap {
                HeapType::Func => true,
                HeapType::Concrete(id) => {
                    f.store != self.id
                        || self
                            .funcs
                            .get(f.index as usize)
                            .is_some_and(|e| self.sigs.type_id(e.sig()) == id)
                }
                _ => false,
            },
            Val::ExternRef(Some(_)) => r.heap == HeapType::Extern,
            Val::ExnRef(None) => r.nullable && r.heap.is_exn(),
            Val::ExnRef(Some(_)) => r.heap == HeapType::Exn,
            _ => false,
        }
    }

    /// The cell for `v` where a value of type `ty` is expected.
    /// The bits of `v`, of type `ty`: its cell, or both of a `v128`'s.
    pub(crate) fn val_bits(&self, v: Val, ty: crate::module::ValType) -> Result<u128, Error> {
        if !self.val_fits(v, ty) {
            return Err(Error::ty(format!("expected {ty}, got {}", v.ty())));
        }
        let mut cells = [0; 2];
        v.to_cells(self.id, &mut cells)
            .ok_or_else(|| Error::new(ErrorKind::WrongStore))?;
        Ok(u128::from(cells[0]) | (u128::from(cells[1]) << 64))
    }
    /// The cell of the reference `v`, of type `ty`.
    pub(crate) fn ref_cell(&self, v: Val, ty: crate::module::ValType) -> Result<u64, Error> {
        Ok(self.val_bits(v, ty)? as u64)
    }
    /// Adds a memory of type `ty`, asking the limiter, with the engine's page store
    /// `factory` (the heap when `None`).
    pub(crate) fn create_memory(
        &mut self,
        ty: MemoryType,
        factory: Option<&dyn PageStoreFactory>,
    ) -> Result<u32, Error> {
        self.below_limit("memories", self.memories.len(), |l| l.memories())?;
        let limiter = self
            .limiter
            .as_deref_mut()
            .map(|l| l as &mut dyn crate::memory::Limiter);
        let factory = factory.unwrap_or(&crate::memory::HeapStoreFactory);
        let mem = if ty.shared {
            // Reserves the maximum up front, so that the bytes never move.
            let shared = crate::memory::SharedMemory::with_factory(ty, factory, limiter)?;
            LinearMemory::from_shared(shared)
        } else {
            LinearMemory::with_factory(ty, factory, limiter)?
        };
        self.memories.push(mem);
        Ok(self.memories.len() as u32 - 1)
    }
    /// `Ok` when the store, holding `held` of `what`, may hold one more: below what
    /// `limit` of its limiter says (no limiter: no limit).
    pub(crate) fn below_limit(
        &self,
        what: &str,
        held: usize,
        limit: impl FnOnce(&dyn Limiter) -> usize,
    ) -> Result<(), Error> {
        match self.limiter.as_deref() {
            Some(limiter) if held >= limit(limiter) => Err(Error::new(ErrorKind::StoreLimit(
                format!("the store holds {held} {what}, as many as its limiter allows"),
            ))),
            _ => Ok(()),
        }
    }

    /// Adds a table of type `ty` filled with `init`, asking the limiter first.
    pub(crate) fn create_table(&mut self, ty: TableType, init: u64) -> Result<u32, Error> {
        let too_big = |why: &str| {
            Error::new(ErrorKind::Table(format!(
                "table of {} elements is too large: {why}",
                ty.min
            )))
        };
        if ty.min > MAX_TABLE_ELEMENTS {
            return Err(too_big("past Folio's limit of ten million elements"));
        }
        self.below_limit("tables", self.tables.len(), |l| l.tables())?;
        let limiter = self.limiter.as_deref_mut().map(|l| l as &mut dyn Limiter);
        let refused = |r: LimiterRefusal| too_big(&format!("refused by the limiter: {r}"));
        let elements = ask_table_then(limiter, (0, ty.min, ty.max), refused, || {
            let mut elements = Vec::new();
            // `ty.min <= MAX_TABLE_ELEMENTS`: it fits a `usize`.
            elements
                .try_reserve_exact(ty.min as usize)
                .map_err(|_| too_big("out of memory"))?;
            elements.resize(ty.min as usize, init);
            Ok(elements)
        })?;
        self.tables.push(TableEntity { ty, elements });
        Ok(self.tables.len() as u32 - 1)
    }
}
