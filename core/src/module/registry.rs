//! The engine's function types: one [`TypeId`] per distinct type, shared by every
//! module the engine loads, so that `(ref $t)` means the same outside its module.
//!
//! Types come in recursion groups (`rec`; a type declared outside one is a group of its
//! own). Folio admits groups of final function types without supertypes, which is as
//! much of GC's type system as function references need. Two types are the same when
//! they sit at the same place in equal groups (the iso-recursive rule): two groups are
//! equal when their types are, pairwise, where a reference into the group itself counts
//! as equal only to a reference to the same place in the other group. A group's key
//! here is its signatures with each reference into the group written as its place,
//! [`rec_ref`]`(j)`; references to earlier types are their ids, already canonical. A
//! group of `n` types gets `n` consecutive ids, and each type's public form (what
//! [`Engine::func_type`](crate::Engine::func_type) returns) names those ids. The
//! registry only grows: a type lives as long as the engine (a module can declare at most
//! wasmparser's 1,000,000 types, and equal groups share their ids).

use super::types::{FuncType, HeapType, RefType, TypeId, ValType};
use crate::prelude::*;
use hashbrown::HashMap;

/// Types a recursion group may hold (wasmparser's limit on a module's types), so that
/// the ids from [`FIRST_REC`] down are free to name places in a group.
const MAX_GROUP: u32 = 1_000_000;
/// What a group's key says where it refers to its own first type; place `j` is
/// `FIRST_REC - j`.
const FIRST_REC: u32 = u32::MAX;
/// Ids the registry can hand out: those below the places of [`rec_ref`].
const MAX_TYPES: u32 = FIRST_REC - MAX_GROUP;

/// The types of an engine (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TypeRegistry {
    inner: spin::Mutex<Types>,
}

#[derive(Debug, Default)]
struct Types {
    /// Public form of each id's type.
    types: Vec<FuncType>,
    /// The group of each id: its first id and its length.
    groups: Vec<(u32, u32)>,
    /// Group key to the group's first id.
    ids: HashMap<Box<[FuncType]>, TypeId>,
}

impl TypeRegistry {
    /// The id of a lone type, `key`: a group of one, whose references to itself are
    /// [`rec_ref`]`(0)`. `None` when the engine holds as many types as ids can name.
    pub(crate) fn intern(&self, key: FuncType) -> Option<TypeId> {
        self.intern_group(vec![key])
    }

    /// The id of the first type of the group `key` (see the module docs); the others
    /// follow it. `None` for an empty or too large group, or when the engine holds as
    /// many types as ids can name.
    pub(crate) fn intern_group(&self, key: Vec<FuncType>) -> Option<TypeId> {
        let len = u32::try_from(key.len())
            .ok()
            .filter(|&n| n > 0 && n <= MAX_GROUP)?;
        let mut t = self.inner.lock();
        if let Some(&id) = t.ids.get(key.as_slice()) {
            return Some(id);
        }
        let first = u32::try_from(t.types.len()).ok()?;
        if first.checked_add(len)? > MAX_TYPES {
            return None;
        }
        let public = |h: TypeId| match place(h) {
            Some(j) => TypeId(first + j),
            None => h,
        };
        for ty in &key {
            let ty = map_refs(ty, public);
            t.types.push(ty);
            t.groups.push((first, len));
        }
        t.ids.insert(key.into_boxed_slice(), TypeId(first));
        Some(TypeId(first))
    }

    /// The type `id` stands for.
    pub(crate) fn get(&self, id: TypeId) -> Option<FuncType> {
        self.inner.lock().types.get(id.0 as usize).cloned()
    }

    /// The group `id` belongs to: its first id and its key.
    fn group(&self, id: TypeId) -> Option<(TypeId, Vec<FuncType>)> {
        let t = self.inner.lock();
        let &(first, len) = t.groups.get(id.0 as usize)?;
        let end = first + len;
        let key = t.types[first as usize..end as usize]
            .iter()
            .map(|ty| {
                map_refs(ty, |h| {
                    if (first..end).contains(&h.0) {
                        TypeId(FIRST_REC - (h.0 - first))
                    } else {
                        h
                    }
                })
            })
            .collect();
        Some((TypeId(first), key))
    }
}

/// How a module's types translate into another engine's registry: the identity for a
/// module of the store's own engine (the common case, which allocates nothing); else a
/// map from the module engine's ids to the store engine's, each of the module's groups
/// interned there in order.
pub(crate) struct TypeMap {
    map: Option<HashMap<TypeId, TypeId>>,
}

impl TypeMap {
    /// The map for a module's types (whose ids are `ids`, of `from`'s) into `to`.
    /// `None` when `to` cannot name them all.
    pub(crate) fn new(
        ids: &[TypeId],
        from: &Arc<TypeRegistry>,
        to: &Arc<TypeRegistry>,
    ) -> Option<TypeMap> {
        if Arc::ptr_eq(from, to) {
            return Some(TypeMap { map: None });
        }
        let mut map = HashMap::new();
        for &id in ids {
            if map.contains_key(&id) {
                continue;
            }
            let (first, key) = from.group(id)?;
            // (A group refers to earlier groups only, whose ids are in the map.)
            let key = key
                .iter()
                .map(|ty| map_refs(ty, |h| map.get(&h).copied().unwrap_or(h)))
                .collect::<Vec<_>>();
            let len = key.len() as u32;
            let there = to.intern_group(key)?;
            for j in 0..len {
                map.insert(TypeId(first.0 + j), TypeId(there.0 + j));
            }
        }
        Some(TypeMap { map: Some(map) })
    }

    /// The id `id` becomes.
    pub(crate) fn id(&self, id: TypeId) -> TypeId {
        match &self.map {
            Some(map) => map.get(&id).copied().unwrap_or(id),
            None => id,
        }
    }

    /// The type `t` becomes.
    pub(crate) fn val(&self, t: ValType) -> ValType {
        match t {
            ValType::Ref(RefType {
                nullable,
                heap: HeapType::Concrete(id),
            }) => ValType::Ref(RefType {
                nullable,
                heap: HeapType::Concrete(self.id(id)),
            }),
            other => other,
        }
    }

    /// The reference type `r` becomes.
    pub(crate) fn ref_type(&self, r: RefType) -> RefType {
        match self.val(ValType::Ref(r)) {
            ValType::Ref(r) => r,
            _ => r,
        }
    }

    /// The signature `ty` becomes.
    pub(crate) fn func(&self, ty: &FuncType) -> FuncType {
        if self.map.is_none() {
            return ty.clone();
        }
        map_refs(ty, |id| self.id(id))
    }
}

/// The heap type a type being registered uses to refer to the `j`th type of its own
/// group (`None` past the largest group).
pub(crate) fn rec_ref(j: usize) -> Option<HeapType> {
    let j = u32::try_from(j).ok().filter(|&j| j < MAX_GROUP)?;
    Some(HeapType::Concrete(TypeId(FIRST_REC - j)))
}

/// The place in its own group `id` names, if it names one.
fn place(id: TypeId) -> Option<u32> {
    (id.0 > MAX_TYPES).then(|| FIRST_REC - id.0)
}

/// `ty` with each concrete reference's id replaced by `f` of it.
fn map_refs(ty: &FuncType, f: impl Fn(TypeId) -> TypeId) -> FuncType {
    let map = |t: &ValType| match *t {
        ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(id),
        }) => ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(f(id)),
        }),
        other => other,
    };
    FuncType::new(ty.params().iter().map(map), ty.results().iter().map(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(heap: HeapType) -> ValType {
        ValType::Ref(RefType {
            nullable: false,
            heap,
        })
    }

    fn me(j: usize) -> ValType {
        // (Places below MAX_GROUP exist.)
        r(rec_ref(j).unwrap())
    }

    #[test]
    fn equal_signatures_share_an_id_and_self_references_are_named() {
        let reg = TypeRegistry::default();
        let lone = |ty| reg.intern(ty).unwrap();
        let a = lone(FuncType::new([ValType::I32], []));
        let b = lone(FuncType::new([ValType::I64], []));
        assert_ne!(a, b);
        assert_eq!(lone(FuncType::new([ValType::I32], [])), a);
        // `(func (param (ref $self)))`, twice: one id, whose public form names itself.
        let s = lone(FuncType::new([me(0)], []));
        assert_eq!(lone(FuncType::new([me(0)], [])), s);
        assert_eq!(
            reg.get(s),
            Some(FuncType::new([r(HeapType::Concrete(s))], []))
        );
        // A reference to another type is not a reference to itself.
        let other = lone(FuncType::new([r(HeapType::Concrete(s))], []));
        assert_ne!(other, s);
        assert_eq!(reg.get(TypeId(99)), None);
    }

    #[test]
    fn a_type_is_its_place_in_its_group() {
        let reg = TypeRegistry::default();
        let unit = FuncType::new([], []);
        let lone = reg.intern(unit.clone()).unwrap();
        // `(rec (type (func)) (type (func)))`: two ids, neither the lone `(func)`'s,
        // with the same public form.
        let pair = reg.intern_group(vec![unit.clone(), unit.clone()]).unwrap();
        let second = TypeId(pair.0 + 1);
        assert!(lone != pair && lone != second);
        assert_eq!(reg.get(pair), reg.get(second));
        assert_eq!(
            reg.intern_group(vec![unit.clone(), unit.clone()]),
            Some(pair)
        );
        // Two types naming each other, and the same group again: the same ids, whose
        // public forms name each other's id.
        let cycle = || vec![FuncType::new([me(1)], []), FuncType::new([me(0)], [])];
        let c = reg.intern_group(cycle()).unwrap();
        assert_eq!(reg.intern_group(cycle()), Some(c));
        let c1 = TypeId(c.0 + 1);
        assert_eq!(
            reg.get(c),
            Some(FuncType::new([r(HeapType::Concrete(c1))], []))
        );
        assert_eq!(
            reg.get(c1),
            Some(FuncType::new([r(HeapType::Concrete(c))], []))
        );
        // The same cycle seen from its other end is another group.
        let turned = vec![
            FuncType::new([me(1)], []),
            FuncType::new([me(0)], [ValType::I32]),
        ];
        assert_ne!(reg.intern_group(turned), Some(c));
        assert_eq!(reg.intern_group(Vec::new()), None);
    }

    #[test]
    fn another_engines_groups_map_to_the_same_places() {
        let from = Arc::new(TypeRegistry::default());
        let to = Arc::new(TypeRegistry::default());
        // Offset `to`'s ids so that the map has something to do.
        to.intern(FuncType::new([ValType::F64], [])).unwrap();
        let unit = FuncType::new([], []);
        let pair = from.intern_group(vec![unit.clone(), unit.clone()]).unwrap();
        let user = from
            .intern(FuncType::new(
                [r(HeapType::Concrete(TypeId(pair.0 + 1)))],
                [],
            ))
            .unwrap();
        let ids = [pair, TypeId(pair.0 + 1), user];
        let map = TypeMap::new(&ids, &from, &to).unwrap();
        let there = to.intern_group(vec![unit.clone(), unit]).unwrap();
        assert_eq!(map.id(pair), there);
        assert_eq!(map.id(TypeId(pair.0 + 1)), TypeId(there.0 + 1));
        let user_there = to
            .intern(FuncType::new(
                [r(HeapType::Concrete(TypeId(there.0 + 1)))],
                [],
            ))
            .unwrap();
        assert_eq!(map.id(user), user_there);
    }
}
