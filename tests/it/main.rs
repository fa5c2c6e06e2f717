//! Integration tests: one binary, one module per area. Each test builds a
//! small fixture site from `tests/fixtures/<case>/` through the library or the
//! real binary and asserts on the files it writes.

mod architecture;
mod authoring;
mod browser;
mod build;
mod check;
mod conventions;
mod course;
mod errors;
mod git_dates;
mod hardening;
mod images;
mod import;
mod kb;
mod languages;
mod layout;
mod pages;
mod progress;
mod safety;
mod scaffold;
mod search;
mod serve;
mod serve_authoring;
mod support;
mod theme;
mod validate;
