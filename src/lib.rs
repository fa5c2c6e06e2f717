//! Rolebook: a static site generator for career and role knowledge bases.
//!
//! A build is a pipeline of plain stages, each a module, values flowing from
//! one to the next (ARCHITECTURE.md draws the map):
//!
//! 1. [`config`]: read `rolebook.yaml` into a `Config`.
//! 2. [`content`]: walk `content/`, read every file once, parse its front
//!    matter into a `Page` (the kinds' schemas and checks in
//!    [`content::kinds`]); in the same parallel pass the orchestrator renders
//!    its Markdown ([`markdown`]) and analyzes it for search ([`search`]).
//! 3. [`site::resolve`]: URLs, sections, order, taxonomies, link targets and
//!    anchors, then the kinds' data ([`kb`]): a [`model::Site`].
//! 4. [`site::jobs`]: the list of outputs; each job is rendered by [`render`]
//!    (Tera themes, the kinds' views in [`render::kb`], prose polished by
//!    [`typography`]) or written by [`search`], into a [`site::write::Sink`].
//! 5. [`site::write`]: into a temporary folder, swapped in at the end (or
//!    into memory, for [`serve`]).
//!
//! [`site::build`] runs them; [`check`] runs 1–3 and then the lints. Errors
//! of every stage are [`error::Error`] values with `path:line:col`, errors
//! and warnings in one list until the end of a run. Modules import only
//! what lies below them (tested in `tests/it/architecture.rs`).
#![warn(missing_docs)]

pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod git;
pub mod images;
pub mod import;
pub mod kb;
pub mod markdown;
pub mod model;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod typography;
