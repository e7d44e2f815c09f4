//! Correctness only: both engines agree on every workload (one round) and on the memory
//! benchmarks' modules. No test looks at a time.

use crate::engines::{Kind, instantiate_wat};
use crate::{exec, memory, workloads};

/// Both engines agree on one round of every workload; the checksum is not the trivial 0;
/// and each memory64 variant computes what its `i32` original does.
#[test]
fn engines_agree_on_every_workload() {
    let mut sums = std::collections::HashMap::new();
    for w in workloads::all() {
        let (folio, wasmi) = exec::compile(&w).unwrap();
        let sum = exec::check(&w.name, &folio, &wasmi, 1).unwrap();
        assert_ne!(sum, 0, "{}", w.name);
        sums.insert(w.name, sum);
    }
    for (name, sum) in &sums {
        if let Some(narrow) = name.strip_suffix("64") {
            assert_eq!(Some(sum), sums.get(narrow), "{name}");
        }
    }
}

#[test]
fn grow_module_grows_on_every_store() {
    for kind in memory::STORE_KINDS {
        let mut inst = instantiate_wat(kind, memory::GROW_WAT).unwrap();
        assert_eq!(inst.call("run", 3), Ok(3), "{}", kind.name());
        assert_eq!(inst.memory("mem").map(<[u8]>::len), Some(3 * 65_536));
    }
}

#[test]
fn touch_module_reads_back_on_every_store() {
    for kind in memory::STORE_KINDS {
        let mut inst = instantiate_wat(kind, &memory::touch_wat(2)).unwrap();
        assert_eq!(inst.call("run", 70_000), Ok(42), "{}", kind.name());
    }
}

#[test]
fn big_module_is_valid_for_every_engine() {
    let wasm = wat::parse_str(memory::big_module_wat(3, 2)).unwrap();
    for kind in [Kind::Folio, Kind::Wasmi, Kind::WasmiLazy] {
        let module = crate::engines::Engine::new(kind).compile(&wasm).unwrap();
        module.instantiate().unwrap();
    }
}

#[test]
fn workload_rounds_scale() {
    let w = &workloads::all()[0];
    assert_eq!(w.rounds_at(1.0), w.rounds as i32);
    assert_eq!(w.rounds_at(1e-9), 1);
}
