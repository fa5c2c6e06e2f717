//! The fast path of a body-only edit: pages whose front matter text did not
//! change are put in place without resolving the site again.

use crate::content::page::Kind;
use crate::model::{LinkTarget, PageId, Site};
use crate::site::Loaded;
use crate::site::resolve::anchor_errors;

/// The kind a page inherits from the nearest section above it: the rule of
/// the loader ([`crate::content::default_kind`]), over the resolved pages.
pub(super) fn inherited_kind(site: &Site, content_path: &str) -> Kind {
    let kinds = crate::content::section_kinds(site.entries.iter().map(|e| &e.page));
    crate::content::default_kind(content_path, &kinds)
}

/// Every anchored link still finds its heading once the edits are in
/// place: the check of the full resolve ([`anchor_errors`]), over the site
/// with the edited pages' links and headings.
pub(super) fn anchors_hold(site: &Site, edits: &[(PageId, Loaded, Vec<LinkTarget>)]) -> bool {
    let edited = |id: PageId| edits.iter().find(|(e, _, _)| *e == id).map(|(_, l, _)| l);
    let links = site.entries.iter().enumerate().flat_map(|(id, entry)| {
        let rendered = edited(id).map_or(&entry.rendered, |loaded| &loaded.rendered);
        &rendered.page_links
    });
    let toc = |id: PageId| {
        edited(id)
            .map_or(&site.entries[id].rendered.toc, |loaded| {
                &loaded.rendered.toc
            })
            .as_slice()
    };
    anchor_errors(links, &site.by_path, toc).is_empty()
}
