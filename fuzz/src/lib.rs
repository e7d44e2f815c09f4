//! Fuzzing oracles (to come: issue 6).
