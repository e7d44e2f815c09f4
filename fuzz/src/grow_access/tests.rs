use super::*;
use crate::{regression_inputs, seeded_inputs};

/// Seeded random inputs, as the fuzzer would start from. Debug builds run these in a few
/// seconds. They must reach every outcome of the atomic operations (each fault, `wait`'s
/// every answer, `cmpxchg` both ways) in every width and API.
#[test]
fn smoke() {
    for data in seeded_inputs(0x6772_6f77, 2000, 2048) {
        run_bytes(&data);
    }
    // Every outcome of every atomic operation, width and API is reached.
    let reached = OUTCOMES.with(|o| o.borrow().clone());
    let mut wanted = Vec::new();
    for flavor in ["Plain", "Shared", "Handle"] {
        for w in [1, 2, 4, 8] {
            let faults: &[&str] = if w == 1 {
                &["OutOfBounds"]
            } else {
                &["OutOfBounds", "Unaligned"]
            };
            for outcome in faults.iter().chain(&["Ok"]) {
                wanted.push(format!("{flavor} load{w} {outcome}"));
                wanted.push(format!("{flavor} store{w} {outcome}"));
                for op in ["Add", "Sub", "And", "Or", "Xor", "Xchg", "Cmpxchg"] {
                    wanted.push(format!("{flavor} rmw{w} {op} {outcome}"));
                }
            }
            wanted.push(format!("{flavor} rmw{w} Cmpxchg(equal) Ok"));
        }
        if flavor != "Plain" {
            for bits in [32, 64] {
                for answer in ["None", "Some(1)", "Some(2)", "OutOfBounds", "Unaligned"] {
                    wanted.push(format!("{flavor} wait{bits} {answer}"));
                }
            }
            for outcome in ["Ok", "OutOfBounds", "Unaligned"] {
                wanted.push(format!("{flavor} notify {outcome}"));
            }
        }
    }
    let missing: Vec<_> = wanted
        .iter()
        .filter(|k| !reached.contains_key(*k))
        .collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
    let unexpected: Vec<_> = reached.keys().filter(|k| !wanted.contains(k)).collect();
    assert!(unexpected.is_empty(), "not expected: {unexpected:?}");
}

/// Inputs that once found a bug (`fuzz/regressions/grow_access/*.bin`).
#[test]
fn regressions() {
    for (name, data) in regression_inputs("grow_access", "bin") {
        println!("replaying {name}");
        run_bytes(&data);
    }
}

/// The first finding: `SharedMemory::with_store` asked the limiter about an initial size its
/// reservation could not hold (and reported the limiter's refusal), where the documented
/// order, and `Memory::with_store`, report the store's capacity without asking.
#[test]
fn reservation_smaller_than_the_initial_size() {
    use ops::{Bytes, Count, MaxSpec, PageSize};
    let input = Input {
        limiter: LimiterSpec::PerMemory(Bytes::Small(0)),
        first: MemorySpec {
            index64: false,
            page: PageSize(16),
            min: Count::Small(37),
            max: MaxSpec::AboveMin(10),
            shared: true,
            store: StoreSpec::Region(Bytes::Small(36799)),
        },
        ops: vec![Op::Grow(Slot::A, Pages::Small(1))],
    };
    run(&input);
}
