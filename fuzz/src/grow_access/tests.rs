use super::*;
use crate::{regression_inputs, seeded_inputs};

/// Seeded random inputs, as the fuzzer would start from. Debug builds run these in a few
/// seconds.
#[test]
fn smoke() {
    for data in seeded_inputs(0x6772_6f77, 400, 2048) {
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
