//! What an edit affects: the shape of the site before it, fingerprints of
//! what lists show of a page, and the set of jobs to run again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use crate::content::page::Kind;
use crate::model::jobs::{self, Job, JobKind};
use crate::model::{PageId, Site};

/// What the previous site looked like, for deciding what an edit affects.
#[derive(Debug, Default)]
pub(super) struct Shape {
    /// Content path → URL.
    urls: HashMap<String, String>,
    /// Content path → (parent, prev, next) content paths.
    places: HashMap<String, [Option<String>; 3]>,
    /// Section content path → its children's content paths, in order.
    children: HashMap<String, Vec<String>>,
    /// Content path → its terms as `taxonomy/slug`.
    terms: HashMap<String, Vec<String>>,
    /// Summary fingerprints of the reloaded pages before the edit.
    fingerprints: HashMap<String, u64>,
    /// Kinds of the reloaded pages before the edit.
    kinds: HashMap<String, Kind>,
    /// Sort keys of the reloaded pages before the edit.
    sort_keys: HashMap<String, (Option<String>, Option<i64>, String)>,
    /// Content paths of the other language versions of the reloaded pages.
    versions: HashMap<String, Vec<String>>,
    /// Fingerprint of the shared `site` value.
    pub(super) global: u64,
}

impl Shape {
    pub(super) fn of(site: &Site, reloaded: &BTreeSet<PathBuf>) -> Shape {
        let path = |id: Option<PageId>| id.map(|i| site.entries[i].page.content_path.clone());
        let mut shape = Shape {
            global: global_fingerprint(site),
            ..Shape::default()
        };
        for (id, entry) in site.entries.iter().enumerate() {
            let key = entry.page.content_path.clone();
            shape.urls.insert(key.clone(), entry.url.clone());
            shape.places.insert(
                key.clone(),
                [path(entry.parent), path(entry.prev), path(entry.next)],
            );
            if entry.page.is_section {
                shape.children.insert(
                    key.clone(),
                    entry
                        .children
                        .iter()
                        .map(|&c| site.entries[c].page.content_path.clone())
                        .collect(),
                );
            }
            shape.terms.insert(key.clone(), term_keys(site, id));
            if reloaded.contains(&entry.page.file) {
                shape
                    .fingerprints
                    .insert(key.clone(), fingerprint(site, id));
                shape.sort_keys.insert(key.clone(), sort_key(site, id));
                let versions = entry.translations.iter();
                let versions = versions.map(|&t| site.entries[t].page.content_path.clone());
                shape.versions.insert(key.clone(), versions.collect());
                shape.kinds.insert(key, entry.page.front.kind);
            }
        }
        shape
    }
}

fn term_keys(site: &Site, id: PageId) -> Vec<String> {
    site.page_terms[id]
        .iter()
        .map(|&(t, i)| {
            format!(
                "{}/{}",
                site.taxonomies[t].name, site.taxonomies[t].terms[i].slug
            )
        })
        .collect()
}

/// A hash of what lists and lookups show of an entry.
pub(super) fn fingerprint(site: &Site, id: PageId) -> u64 {
    let summary = crate::render::context::summary(site, id);
    xxhash_rust::xxh3::xxh3_64(&serde_json::to_vec(&summary).unwrap_or_default())
}

/// A hash of the values every page shares (`site`, `config`).
pub(super) fn global_fingerprint(site: &Site) -> u64 {
    let mut hash = 0;
    for lang in site.langs() {
        let values = crate::render::context::site_values(site, lang);
        let bytes = serde_json::to_vec(&(&values.site, &values.config)).unwrap_or_default();
        hash ^= xxhash_rust::xxh3::xxh3_64(&bytes).rotate_left(lang as u32);
    }
    hash
}

/// Pages not reloaded whose local links point at a page whose URL changed,
/// appeared or disappeared: their HTML gets the new URLs when rendered.
pub(super) fn stale_links(
    site: &Site,
    before: &Shape,
    reloaded: &BTreeSet<PathBuf>,
) -> Vec<PageId> {
    site.entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !reloaded.contains(&e.page.file))
        .filter(|(_, e)| {
            e.rendered.local_links.iter().any(|link| {
                let now = site
                    .by_path
                    .get(&link.target)
                    .map(|&i| site.entries[i].url.as_str());
                let then = before.urls.get(&link.target).map(String::as_str);
                link.target.ends_with(".md") && now != then
            })
        })
        .map(|(id, _)| id)
        .collect()
}

/// The jobs an edit affects.
#[derive(Default)]
pub(super) struct Affected {
    /// Entries whose own outputs re-render (every list page, for sections).
    pages: HashSet<PageId>,
    /// Sections where only some list pages re-render: section → page numbers.
    list_pages: HashMap<PageId, BTreeSet<usize>>,
    /// Terms (`taxonomy/slug`) whose every page re-renders.
    terms: HashSet<String>,
    /// Terms where only some list pages re-render.
    term_pages: HashMap<String, BTreeSet<usize>>,
    /// The taxonomy term lists (counts changed).
    taxonomy_lists: bool,
    /// Feeds to re-render: the site's (`None`) and sections'.
    feeds: HashSet<Option<PageId>>,
    /// Sitemap (a URL or date changed).
    sitemap: bool,
    /// Search index (any page changed).
    search: bool,
    /// Everything knowledge-base (roles, comparisons, generated pages).
    kb: bool,
    /// Assets that changed, and outputs whose templates looked up a changed
    /// page (output paths).
    files: HashSet<String>,
}

impl Affected {
    pub(super) fn find(
        site: &Site,
        before: &Shape,
        reloaded: &BTreeSet<PathBuf>,
        changed: &BTreeSet<PathBuf>,
        relinked: &[PageId],
        lookups: &HashMap<String, Vec<String>>,
    ) -> Affected {
        let mut affected = Affected {
            search: !reloaded.is_empty(),
            pages: relinked.iter().copied().collect(),
            ..Affected::default()
        };
        let reloaded_paths: HashSet<String> = reloaded
            .iter()
            .map(|p| crate::content::page_content_path(p, &site.config))
            .collect();
        let moved = affected.own_outputs(site, before, &reloaded_paths);
        affected.sitemap = !moved.is_empty();
        affected.language_versions(site, before, &reloaded_paths);
        for (id, entry) in site.entries.iter().enumerate() {
            affected.neighbours_and_lists(site, before, id, entry, &moved);
        }
        for (output, paths) in lookups {
            if paths
                .iter()
                .any(|p| moved.contains(p) || reloaded_paths.contains(p))
            {
                affected.files.insert(output.clone());
            }
        }
        if affected.kb {
            affected.add_knowledge_base(site);
        }
        affected.add_courses(site);
        for path in changed
            .iter()
            .filter(|p| p.extension().is_none_or(|e| e != "md"))
        {
            if let Some(asset) = site.assets.iter().find(|a| &a.source == path) {
                affected.files.insert(asset.rel_url.clone());
                if asset.image.is_some() {
                    affected
                        .pages
                        .extend(pages_showing(site, &asset.content_path));
                }
            }
        }
        affected
    }

    /// The other language versions of reloaded pages, before and after the
    /// edit: their alternates and switcher, their inherited data and their
    /// "the original is newer" notice follow the edited page.
    fn language_versions(&mut self, site: &Site, before: &Shape, reloaded: &HashSet<String>) {
        for path in reloaded {
            let now = site
                .by_path
                .get(path)
                .map(|&id| &site.entries[id].translations);
            let then = before.versions.get(path).into_iter().flatten();
            let then = then.filter_map(|p| site.by_path.get(p).copied());
            self.pages
                .extend(now.into_iter().flatten().copied().chain(then));
            if now.is_some_and(|v| !v.is_empty())
                || before.versions.get(path).is_some_and(|v| !v.is_empty())
            {
                self.sitemap = true;
            }
        }
    }

    /// What body-only edits of pages `before` (id, old fingerprint) affect:
    /// the pages, the lists showing them when their summary changed, the
    /// children of an edited section, feeds and the search index.
    pub(super) fn for_bodies(
        site: &Site,
        before: &[(PageId, u64)],
        lookups: &HashMap<String, Vec<String>>,
    ) -> Affected {
        let mut affected = Affected {
            search: true,
            ..Affected::default()
        };
        affected.feeds.insert(None);
        let mut touched = HashSet::new();
        for &(id, old) in before {
            let entry = &site.entries[id];
            touched.insert(entry.page.content_path.clone());
            affected.pages.insert(id);
            affected.add_feeds(site, id);
            affected.kb |= entry.kb.role.is_some() || entry.kb.comparison.is_some();
            if fingerprint(site, id) == old {
                continue;
            }
            if let Some(parent) = entry.parent {
                let position = site.entries[parent].children.iter().position(|&c| c == id);
                if let Some(position) = position {
                    let number = page_number(position, jobs::paginate_by(site, parent));
                    affected
                        .list_pages
                        .entry(parent)
                        .or_default()
                        .insert(number);
                }
                if entry.page.is_section {
                    affected.pages.insert(parent);
                }
            }
            if entry.page.is_section {
                affected.pages.extend(entry.children.iter().copied());
            }
            for term in term_keys(site, id) {
                affected.term_page_of(site, &term, id);
            }
        }
        for (output, paths) in lookups {
            if paths.iter().any(|p| touched.contains(p)) {
                affected.files.insert(output.clone());
            }
        }
        if affected.kb {
            affected.add_knowledge_base(site);
        }
        affected.add_courses(site);
        affected
    }

    /// The reloaded pages' own outputs, their terms and feeds; returns the
    /// content paths whose summary changed (or that appeared or went away).
    fn own_outputs(
        &mut self,
        site: &Site,
        before: &Shape,
        reloaded: &HashSet<String>,
    ) -> HashSet<String> {
        let mut moved = HashSet::new();
        self.feeds.insert(None);
        for path in reloaded {
            let now = site.by_path.get(path).copied();
            let changed_summary = match (now, before.fingerprints.get(path)) {
                (Some(id), Some(&old)) => fingerprint(site, id) != old,
                (None, None) => false,
                _ => true,
            };
            if changed_summary {
                moved.insert(path.clone());
            }
            let kinds = [
                before.kinds.get(path).copied(),
                now.map(|id| site.entries[id].page.front.kind),
            ];
            self.kb |= kinds
                .iter()
                .flatten()
                .any(|k| matches!(k, Kind::Role | Kind::Comparison));
            let old_terms = before.terms.get(path).cloned().unwrap_or_default();
            let new_terms = now.map(|id| term_keys(site, id)).unwrap_or_default();
            let same_order =
                now.is_some_and(|id| before.sort_keys.get(path) == Some(&sort_key(site, id)));
            for term in old_terms.iter().chain(&new_terms) {
                let kept = old_terms.contains(term) && new_terms.contains(term);
                if !kept {
                    self.taxonomy_lists = true;
                }
                match (kept && same_order, now) {
                    (true, Some(id)) if changed_summary => self.term_page_of(site, term, id),
                    (true, _) => {}
                    (false, _) => {
                        self.terms.insert(term.clone());
                    }
                }
            }
            if let Some(id) = now {
                self.pages.insert(id);
                self.add_feeds(site, id);
            }
            let old_parent = before.places.get(path).and_then(|p| p[0].as_ref());
            if let Some(&parent) = old_parent.and_then(|p| site.by_path.get(p)) {
                self.feeds.insert(Some(parent));
                self.add_feeds(site, parent);
            }
        }
        moved
    }

    /// The list page of `term` that shows entry `id`.
    fn term_page_of(&mut self, site: &Site, term: &str, id: PageId) {
        let found = site
            .taxonomies
            .iter()
            .flat_map(|t| t.terms.iter().map(move |x| (t, x)))
            .find(|(t, x)| format!("{}/{}", t.name, x.slug) == term);
        if let Some((_, t)) = found {
            let position = t.pages.iter().position(|&p| p == id).unwrap_or(0);
            self.term_pages
                .entry(term.to_string())
                .or_default()
                .insert(page_number(position, site.config.paginate_by));
        }
    }

    fn add_feeds(&mut self, site: &Site, id: PageId) {
        let mut parent = site.entries[id].parent;
        while let Some(p) = parent {
            self.feeds.insert(Some(p));
            parent = site.entries[p].parent;
        }
    }

    /// Pages whose prev/next, breadcrumbs or section changed, and the list
    /// pages of sections whose children changed.
    fn neighbours_and_lists(
        &mut self,
        site: &Site,
        before: &Shape,
        id: PageId,
        entry: &crate::model::Entry,
        moved: &HashSet<String>,
    ) {
        let key = &entry.page.content_path;
        let path = |i: Option<PageId>| i.map(|i| site.entries[i].page.content_path.clone());
        let place = [path(entry.parent), path(entry.prev), path(entry.next)];
        let place_changed = before.places.get(key) != Some(&place);
        let shows_moved =
            place.iter().flatten().any(|p| moved.contains(p)) || ancestors_moved(site, id, moved);
        if place_changed || shows_moved {
            self.pages.insert(id);
        }
        if !entry.page.is_section {
            return;
        }
        let children: Vec<String> = entry
            .children
            .iter()
            .map(|&c| site.entries[c].page.content_path.clone())
            .collect();
        let subsection_moved = entry
            .subsections
            .iter()
            .any(|&s| moved.contains(&site.entries[s].page.content_path));
        if before.children.get(key) != Some(&children) || subsection_moved {
            self.pages.insert(id);
            return;
        }
        let per_page = jobs::paginate_by(site, id);
        for (position, child) in children.iter().enumerate() {
            if moved.contains(child) {
                self.list_pages
                    .entry(id)
                    .or_default()
                    .insert(page_number(position, per_page));
            }
        }
    }

    /// A role or comparison edit re-renders every role and comparison page
    /// and the sections listing roles (directory cards, derived table rows).
    fn add_knowledge_base(&mut self, site: &Site) {
        for (id, entry) in site.entries.iter().enumerate() {
            let lists_roles = entry
                .page
                .front
                .section
                .page_kind
                .is_some_and(|k| matches!(k, Kind::Role | Kind::Comparison));
            if entry.kb.role.is_some() || entry.kb.comparison.is_some() || lists_roles {
                self.pages.insert(id);
            }
        }
    }

    /// A chapter or course edit re-renders the whole course.
    fn add_courses(&mut self, site: &Site) {
        let touched: Vec<PageId> = self.pages.iter().copied().collect();
        for id in touched {
            let entry = &site.entries[id];
            let course = entry.kb.chapter.as_ref().map(|c| c.course).or(entry
                .kb
                .course
                .as_ref()
                .map(|_| id));
            if let Some(course) = course {
                self.pages.insert(course);
                if let Some(data) = &site.entries[course].kb.course {
                    self.pages.extend(data.chapters.iter().copied());
                }
            }
        }
    }

    pub(super) fn contains(&self, job: &Job) -> bool {
        match &job.kind {
            _ if self.files.contains(&job.output) => true,
            JobKind::Page(id) | JobKind::Alias(id) => self.pages.contains(id),
            JobKind::Section { id, number } => {
                self.pages.contains(id)
                    || self.list_pages.get(id).is_some_and(|n| n.contains(number))
            }
            JobKind::TaxonomyList(_) => self.taxonomy_lists,
            JobKind::Term { number, .. } => {
                let term = job.output.trim_end_matches("index.html");
                let term = term
                    .split("/page/")
                    .next()
                    .unwrap_or(term)
                    .trim_end_matches('/');
                self.terms.contains(term)
                    || self
                        .term_pages
                        .get(term)
                        .is_some_and(|n| n.contains(number))
            }
            JobKind::Kb(crate::model::Generated::Handout(course)) => self.pages.contains(course),
            JobKind::Kb(_) => self.kb,
            JobKind::SearchIndex(_) => self.search,
            JobKind::Sitemap => self.sitemap,
            // A site feed (`None`) stands for every language's.
            JobKind::Feed { section, .. } => self.feeds.contains(section),
            JobKind::Robots | JobKind::NotFound | JobKind::SearchPage(_) => false,
            JobKind::Asset(_) | JobKind::Static(_) | JobKind::Image(_) => false,
        }
    }
}

/// The 1-based list page showing the entry at `position`.
pub(super) fn page_number(position: usize, per_page: usize) -> usize {
    position.checked_div(per_page).map_or(1, |n| n + 1)
}

/// What orders lists: date (newest first in term lists), weight, title.
fn sort_key(site: &Site, id: PageId) -> (Option<String>, Option<i64>, String) {
    let front = &site.entries[id].page.front;
    (
        front.date.map(|d| d.to_string()),
        front.weight,
        front.title.clone(),
    )
}

fn ancestors_moved(site: &Site, id: PageId, moved: &HashSet<String>) -> bool {
    let mut parent = site.entries[id].parent;
    while let Some(p) = parent {
        if moved.contains(&site.entries[p].page.content_path) {
            return true;
        }
        parent = site.entries[p].parent;
    }
    false
}

pub(super) use crate::content::content_path;

/// Pages that show the image at `content_path` (a Markdown image, or a
/// component's `src`): its size and copies are in their HTML.
fn pages_showing<'a>(site: &'a Site, content_path: &'a str) -> impl Iterator<Item = PageId> + 'a {
    site.entries
        .iter()
        .enumerate()
        .filter_map(move |(id, entry)| {
            let linked = entry
                .rendered
                .local_links
                .iter()
                .any(|l| l.is_image && l.target == content_path);
            let called = entry.rendered.components.iter().any(|call| {
                call.args
                    .get("src")
                    .and_then(|v| v.as_str())
                    .and_then(|src| {
                        crate::markdown::resolve_relative(&entry.page.content_path, src)
                    })
                    .is_some_and(|target| target == content_path)
            });
            (linked || called).then_some(id)
        })
}
