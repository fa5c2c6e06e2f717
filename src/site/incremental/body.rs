//! The fast path of a body-only edit: pages whose front matter text did not
//! change are put in place without resolving the site again.

use std::collections::HashSet;

use crate::content::page::Kind;
use crate::markdown::PageLink;
use crate::model::{LinkTarget, PageId, Site};
use crate::site::Loaded;

/// The kind a page inherits from the nearest section above it: the rule of
/// the loader ([`crate::content::default_kind`]), over the resolved pages.
pub(super) fn inherited_kind(site: &Site, content_path: &str) -> Kind {
    let kinds = crate::content::section_kinds(site.entries.iter().map(|e| &e.page));
    crate::content::default_kind(content_path, &kinds)
}

/// Every anchored link into or out of the reloaded pages still finds its heading.
pub(super) fn anchors_hold(site: &Site, edits: &[(PageId, Loaded, Vec<LinkTarget>)]) -> bool {
    let toc = |id: PageId| -> Vec<&str> {
        match edits.iter().find(|(e, _, _)| *e == id) {
            Some((_, loaded, _)) => loaded.rendered.toc.iter().map(|h| h.id.as_str()).collect(),
            None => site.entries[id]
                .rendered
                .toc
                .iter()
                .map(|h| h.id.as_str())
                .collect(),
        }
    };
    let edited: HashSet<PageId> = edits.iter().map(|(id, _, _)| *id).collect();
    let incoming = site
        .entries
        .iter()
        .enumerate()
        .filter(|(id, _)| !edited.contains(id))
        .flat_map(|(_, e)| &e.rendered.page_links);
    let outgoing = edits.iter().flat_map(|(_, l, _)| &l.rendered.page_links);
    incoming.chain(outgoing).all(|link| {
        let Some(anchor) = &link.anchor else {
            return true;
        };
        match site.by_path.get(&link.target) {
            Some(&target) if edited.contains(&target) || outgoing_from(edits, link) => {
                toc(target).contains(&anchor.as_str())
            }
            _ => true,
        }
    })
}

fn outgoing_from(edits: &[(PageId, Loaded, Vec<LinkTarget>)], link: &PageLink) -> bool {
    edits
        .iter()
        .any(|(_, l, _)| l.rendered.page_links.iter().any(|p| std::ptr::eq(p, link)))
}
