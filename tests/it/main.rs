//! Integration tests: one binary, one module per area. Each test builds a
//! small fixture site from `tests/fixtures/<case>/` through the library or the
//! real binary and asserts on the files it writes.

mod browser;
mod build;
mod errors;
mod search;
mod support;
mod theme;
