//! The engine's function types: one [`TypeId`] per distinct type, shared by every
//! module the engine loads, so that `(ref $t)` means the same outside its module.
//!
//! Without GC each type definition is a recursion group of its own, so two definitions
//! are the same type when their parameters and results are, where a reference to the
//! definition itself counts as equal only to a reference to the other's self (the
//! iso-recursive rule for groups of one). A type's key here is its signature with its
//! references to itself written as [`SELF`]; its public form (what
//! [`Engine::func_type`](crate::Engine::func_type) returns) names its own id there.
//! References to earlier types are their ids, already canonical. The registry only
//! grows: a type lives as long as the engine (a module can declare at most wasmparser's
//! 1,000,000 types, and equal ones share an entry).

use super::types::{FuncType, HeapType, RefType, TypeId, ValType};
use crate::prelude::*;
use hashbrown::HashMap;

/// What a type's key says where it refers to itself.
const SELF: TypeId = TypeId(u32::MAX);

/// The types of an engine (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TypeRegistry {
    inner: spin::Mutex<Types>,
}

#[derive(Debug, Default)]
struct Types {
    /// Public form of each id's type.
    types: Vec<FuncType>,
    /// Key form to id.
    ids: HashMap<FuncType, TypeId>,
}

impl TypeRegistry {
    /// The id of `key`, a signature whose references to itself are [`self_ref`]s.
    pub(crate) fn intern(&self, key: FuncType) -> TypeId {
        let mut t = self.inner.lock();
        if let Some(&id) = t.ids.get(&key) {
            return id;
        }
        let id = TypeId(t.types.len() as u32);
        let public = map_refs(&key, |h| if h == SELF { id } else { h });
        t.types.push(public);
        t.ids.insert(key, id);
        id
    }

    /// The type `id` stands for.
    pub(crate) fn get(&self, id: TypeId) -> Option<FuncType> {
        self.inner.lock().types.get(id.0 as usize).cloned()
    }
}

/// How a module's types translate into another engine's registry: the identity for a
/// module of the store's own engine (the common case, which allocates nothing); else a
/// map from the module engine's ids to the store engine's, each of the module's types
/// interned there in order.
pub(crate) struct TypeMap {
    map: Option<HashMap<TypeId, TypeId>>,
}

impl TypeMap {
    /// The map for `module`'s types (whose ids are `ids`, of `from`'s) into `to`.
    pub(crate) fn new(
        types: &[FuncType],
        ids: &[TypeId],
        from: &Arc<TypeRegistry>,
        to: &Arc<TypeRegistry>,
    ) -> TypeMap {
        if Arc::ptr_eq(from, to) {
            return TypeMap { map: None };
        }
        let mut map = HashMap::new();
        for (ty, &id) in types.iter().zip(ids) {
            if map.contains_key(&id) {
                continue;
            }
            // (An earlier type's id is in the map: a type refers to earlier ones only.)
            let key = map_refs(ty, |h| {
                if h == id {
                    SELF
                } else {
                    map.get(&h).copied().unwrap_or(h)
                }
            });
            map.insert(id, to.intern(key));
        }
        TypeMap { map: Some(map) }
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

/// The heap type a type being registered uses to refer to itself.
pub(crate) fn self_ref() -> HeapType {
    HeapType::Concrete(SELF)
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

    #[test]
    fn equal_signatures_share_an_id_and_self_references_are_named() {
        let reg = TypeRegistry::default();
        let a = reg.intern(FuncType::new([ValType::I32], []));
        let b = reg.intern(FuncType::new([ValType::I64], []));
        assert_ne!(a, b);
        assert_eq!(reg.intern(FuncType::new([ValType::I32], [])), a);
        // `(func (param (ref $self)))`, twice: one id, whose public form names itself.
        let s = reg.intern(FuncType::new([r(self_ref())], []));
        assert_eq!(reg.intern(FuncType::new([r(self_ref())], [])), s);
        assert_eq!(
            reg.get(s),
            Some(FuncType::new([r(HeapType::Concrete(s))], []))
        );
        // A reference to another type is not a reference to itself.
        let other = reg.intern(FuncType::new([r(HeapType::Concrete(s))], []));
        assert_ne!(other, s);
        assert_eq!(reg.get(TypeId(99)), None);
    }
}
