//! Hardening (issue 8, requirement 4): property-based fuzzing of the parsers
//! that see untrusted text, and a suite of bad input files run through the
//! real binary with time and memory limits.
//!
//! Fuzzing runs in `cargo test` with small, seeded budgets; set
//! `ROLEBOOK_FUZZ_CASES=100000` (and `ROLEBOOK_FUZZ_SEED`) for a long run.
//! Inputs that once crashed are kept as plain regression tests at the end of
//! the `fuzz` module.

mod bad_input;
mod fuzz;
