//! The fast path of a body-only edit: reload pages whose front matter text
//! did not change and put them in place without resolving the site again.

use std::collections::{HashMap, HashSet};

use crate::content::page::Kind;
use crate::site::{PageId, Site};

/// The kind a page inherits from the nearest section above it.
pub(super) fn inherited_kind(site: &Site, content_path: &str) -> Kind {
    let is_section = content_path.ends_with("_index.md");
    let mut folder = content_path.rsplit_once('/').map_or("", |(f, _)| f);
    if is_section {
        if content_path == "_index.md" {
            return Kind::Article;
        }
        folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
    }
    loop {
        let index = if folder.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{folder}/_index.md")
        };
        if let Some(&section) = site.by_path.get(&index) {
            let front = &site.entries[section].page.front;
            let course = (front.kind == Kind::Course).then_some(Kind::Chapter);
            if let Some(kind) = front.section.page_kind.or(course) {
                return kind;
            }
        }
        if folder.is_empty() {
            return Kind::Article;
        }
        folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
    }
}

/// Put the site's URLs into a reloaded page's links; `None` on any error.
pub(super) fn fill_links(
    site: &Site,
    mut loaded: crate::content::Loaded,
    broken: &HashSet<String>,
) -> Option<crate::content::Loaded> {
    let mut pages = HashMap::new();
    let mut assets = HashMap::new();
    for link in &loaded.rendered.local_links {
        if let Some(&id) = site.by_path.get(&link.target) {
            pages.insert(link.target.clone(), site.entries[id].url.clone());
        }
        if let Some(asset) = site.assets.iter().find(|a| a.content_path == link.target) {
            assets.insert(link.target.clone(), asset.url.clone());
        }
    }
    let targets = crate::markdown::LinkTargets {
        pages: &pages,
        assets: &assets,
        broken,
    };
    let errors = crate::markdown::resolve_links(&mut loaded.rendered, &targets);
    errors.is_empty().then_some(loaded)
}

/// Every anchored link into or out of the reloaded pages still finds its heading.
pub(super) fn anchors_hold(site: &Site, edits: &[(PageId, crate::content::Loaded)]) -> bool {
    let toc = |id: PageId| -> Vec<&str> {
        match edits.iter().find(|(e, _)| *e == id) {
            Some((_, loaded)) => loaded.rendered.toc.iter().map(|h| h.id.as_str()).collect(),
            None => site.entries[id]
                .rendered
                .toc
                .iter()
                .map(|h| h.id.as_str())
                .collect(),
        }
    };
    let edited: HashSet<PageId> = edits.iter().map(|(id, _)| *id).collect();
    let incoming = site
        .entries
        .iter()
        .enumerate()
        .filter(|(id, _)| !edited.contains(id))
        .flat_map(|(_, e)| &e.rendered.page_links);
    let outgoing = edits.iter().flat_map(|(_, l)| &l.rendered.page_links);
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

fn outgoing_from(
    edits: &[(PageId, crate::content::Loaded)],
    link: &crate::markdown::PageLink,
) -> bool {
    edits
        .iter()
        .any(|(_, l)| l.rendered.page_links.iter().any(|p| std::ptr::eq(p, link)))
}
