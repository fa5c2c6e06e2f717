//! Rolebook: a static site generator for career and role knowledge bases.
//!
//! A build is a pipeline of plain stages, each a module:
//!
//! 1. [`config`]: read `rolebook.yaml`.
//! 2. [`content`]: walk `content/`, read every file once, split and parse front matter.
//! 3. [`site::resolve`]: URLs, sections, taxonomies; render Markdown ([`markdown`]);
//!    check internal links; derive knowledge-base data ([`kb`]).
//! 4. [`render`]: render pages through the Tera theme; polish prose ([`typography`]).
//! 5. [`site::write`]: write into a temporary folder and swap it in.
//!
//! [`site::build`] runs them; [`check`] runs 1–3 and then the lints; errors of every stage are collected as
//! [`error::Error`] values with `path:line:col`.
#![warn(missing_docs)]

pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod kb;
pub mod markdown;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod typography;
