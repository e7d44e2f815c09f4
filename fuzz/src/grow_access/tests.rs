use super::*;
use crate::{regression_inputs, seeded_inputs};

/// Seeded random inputs, as the fuzzer would start from. Debug builds run these in a few
/// seconds.
#[test]
fn smoke() {
    for data in seeded_inputs(0x6772_6f77, 2000, 2048) {
        run_bytes(&data);
    }
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
