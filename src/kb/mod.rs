//! Resolution of the knowledge-base kinds: once every page is known, each
//! reference (career steps, related and compared roles, chapters) is found
//! or reported at its line, and each kind's data is derived ([`EntryData`]:
//! salary staleness, symmetric career edges, chapter order). No I/O; the
//! schemas are in `content::kinds`, the views in `render::kb`.

pub mod comparison;
pub mod course;
pub mod role;

use std::collections::HashMap;

use crate::content::kinds::Reference;
use crate::content::page::Kind;
use crate::error::Error;
use crate::model::{EntryData, PageId, Site};

/// Resolve references and derive knowledge-base data for every entry.
pub fn resolve(site: &mut Site, errors: &mut Vec<Error>) {
    let roles = RoleIndex::new(site);
    let today = Some(site.today);
    for id in 0..site.entries.len() {
        let kind = site.entries[id].page.front.kind;
        let data = match kind {
            Kind::Role => EntryData {
                role: Some(role::resolve(site, id, &roles, today, errors)),
                ..EntryData::default()
            },
            Kind::Comparison => EntryData {
                comparison: Some(comparison::resolve(site, id, &roles, errors)),
                ..EntryData::default()
            },
            _ => EntryData::default(),
        };
        site.entries[id].kb = data;
    }
    role::link_inverse_edges(site);
    course::resolve(site, errors);
}

/// Finds role pages by slug, file stem or content path.
pub struct RoleIndex {
    by_name: HashMap<String, PageId>,
    names: Vec<String>,
}

impl RoleIndex {
    fn new(site: &Site) -> Self {
        let mut by_name = HashMap::new();
        // Originals only: a reference names the page, each language finds
        // its own version of it.
        for (id, entry) in site.entries.iter().enumerate() {
            if entry.page.front.kind != Kind::Role
                || entry.page.is_section
                || entry.original.is_some()
            {
                continue;
            }
            let path = entry.page.content_path.as_str();
            let without_md = path.trim_end_matches(".md").trim_end_matches("/index");
            let slug = entry
                .rel_url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            for name in [path, without_md, entry.page.stem(), slug] {
                by_name.entry(name.to_string()).or_insert(id);
            }
        }
        let mut names: Vec<String> = site
            .entries
            .iter()
            .filter(|e| {
                e.page.front.kind == Kind::Role && !e.page.is_section && e.original.is_none()
            })
            .map(|e| {
                e.rel_url
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        names.sort();
        RoleIndex { by_name, names }
    }

    /// Resolve a reference to a role page, or an error at its location.
    pub fn find(&self, reference: &Reference) -> Result<PageId, Error> {
        let target = reference
            .target
            .trim()
            .trim_start_matches("content/")
            .trim_matches('/');
        let target = target.strip_prefix("../").unwrap_or(target);
        if let Some(&id) = self.by_name.get(target) {
            return Ok(id);
        }
        let hint = match crate::error::closest(target, self.names.iter().map(String::as_str)) {
            Some(name) => format!("did you mean `{name}`?"),
            None if self.names.is_empty() => "the site has no pages with `kind: role`".to_string(),
            None => format!(
                "roles are referenced by slug or path; known roles: {}",
                self.names.join(", ")
            ),
        };
        Err(Error::at(
            reference.location.clone(),
            format!("`{}`: no role page `{}`", reference.field, reference.target),
        )
        .with_hint(hint))
    }
}

/// Months from `from` to `to` (whole months, floor).
pub fn months_between(from: &crate::content::page::Date, to: &crate::content::page::Date) -> i32 {
    let months =
        (to.year() as i32 - from.year() as i32) * 12 + (to.month() as i32 - from.month() as i32);
    if to.day() < from.day() {
        months - 1
    } else {
        months
    }
}
