//! The knowledge-base kinds as written: each kind's front matter schema
//! (the types serde reads), the checks serde cannot express, and the
//! references a page makes to other pages. Resolution is in `kb`, views in
//! `render::kb`.
//!
//! A kind's fields are listed in [`kind_fields`] (which keys a page of the
//! kind may have) and typed in `RawFrontMatter` (`content/page.rs`); its
//! checks and references are dispatched here with exhaustive matches, so the
//! compiler points at every place a new kind needs.

pub mod comparison;
pub mod role;

pub use comparison::Dimension;
pub use role::{Career, Period, Salary, SalaryRegion};

use crate::config::yaml::KeyPath;
use crate::content::page::{Kind, RawFrontMatter};
use crate::error::{Error, Location};

/// A reference from one page to another (career step, related role,
/// compared role, chapter), checked once every page is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The front matter field (`career.next`, `related`, `roles`, `chapters`).
    pub field: &'static str,
    /// The target as written (slug or content path).
    pub target: String,
    /// Where it is written.
    pub location: Location,
}

/// The fields a kind adds to the common ones.
pub fn kind_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Article | Kind::Chapter => &[],
        Kind::Role => &[
            "also_known_as",
            "category",
            "summary",
            "duties",
            "salary",
            "employers",
            "qualities",
            "pros",
            "cons",
            "not_for",
            "career",
            "related",
        ],
        Kind::Comparison => &["roles", "dimensions"],
        Kind::Course => &["author", "audience", "duration", "level", "chapters"],
    }
}

/// Check kind fields that serde cannot: value ranges, dates, codes.
/// `failed` names the keys whose values did not parse (already reported).
pub fn check_fields(
    raw: &RawFrontMatter,
    kind: Kind,
    failed: &[String],
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Vec<Error> {
    let failed = |key: &str| failed.iter().any(|k| k == key || k == "*");
    match kind {
        Kind::Role => role::check(raw, locate),
        Kind::Comparison if failed("roles") => Vec::new(),
        Kind::Comparison => comparison::check(raw, locate),
        Kind::Course | Kind::Chapter | Kind::Article => Vec::new(),
    }
}

/// The references a page makes, with their locations.
pub fn references(
    raw: &RawFrontMatter,
    kind: Kind,
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Vec<Reference> {
    let mut refs = Vec::new();
    let mut add = |field: &'static str, keys: &[&str], values: Option<&Vec<String>>| {
        for (i, target) in values.into_iter().flatten().enumerate() {
            let mut path: Vec<KeyPath> = keys.iter().map(|k| KeyPath::Key(k)).collect();
            path.push(KeyPath::Index(i));
            let location = locate(&path);
            // Flow lists (`[a, b]`) have no item lines: point at the key.
            let location = if location.line == 0 {
                locate(&path[..path.len() - 1])
            } else {
                location
            };
            refs.push(Reference {
                field,
                target: target.clone(),
                location,
            });
        }
    };
    match kind {
        Kind::Role => {
            let career = raw.career.as_ref();
            add("career.next", &["career", "next"], career.map(|c| &c.next));
            add("career.from", &["career", "from"], career.map(|c| &c.from));
            add("related", &["related"], raw.related.as_ref());
        }
        Kind::Comparison => add("roles", &["roles"], raw.roles.as_ref()),
        Kind::Course => add("chapters", &["chapters"], raw.chapters.as_ref()),
        Kind::Article | Kind::Chapter => {}
    }
    refs
}
