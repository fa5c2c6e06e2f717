//! Resolve: URLs, sections, order, taxonomies, assets, where every local
//! link points (with errors for missing pages, images and anchors), then
//! the kinds' data (`kb`). Takes the loaded pages, returns a [`Site`] and the
//! pages' search documents in entry order. No I/O.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::config::UrlCase;
use crate::content::Content;
use crate::content::page::{Page, SortBy, SortKey, compare_pages, sort_key, title_key};
use crate::error::{Error, Location, display_path};
use crate::markdown::{self, Heading, PageLink, Rendered};
use crate::model::LinkTarget;
use crate::model::{Asset, Entry, PageId, Site, Taxonomy, Term};
use crate::search::Document;
use crate::site::Loaded;
use crate::slug::{slug_keeping_case, slugify, slugify_path};

mod translations;

/// Turn loaded pages into a resolved site, with the pages' search
/// documents in entry order. Problems are pushed to `errors`; the site is
/// returned anyway so later stages can report their errors too.
pub fn resolve(
    root: &std::path::Path,
    config: std::sync::Arc<Config>,
    content: Content<Loaded>,
    today: crate::content::page::Date,
    errors: &mut Vec<Error>,
) -> (Site, Vec<Document>) {
    let Content {
        pages,
        assets,
        broken,
        ..
    } = content;
    let mut pages = translations::drop_orphans(pages, root, &config, errors);
    translations::add_missing_homes(&mut pages, &config);
    let folders = folder_urls(pages.iter().map(|l| &l.page), config.urls, errors);
    let translated = translations::folder_urls(&pages, &folders, &config);
    // Excerpts are most of the cost of making an entry: all in parallel.
    let excerpts: Vec<_> = pages
        .par_iter()
        .map(|l| crate::render::context::excerpt(&l.page, &l.rendered))
        .collect();
    let mut search = Vec::with_capacity(pages.len());
    let mut entries: Vec<Entry> = Vec::with_capacity(pages.len());
    for (loaded, excerpt) in pages.into_iter().zip(excerpts) {
        let folders = translated.get(&loaded.page.lang).unwrap_or(&folders);
        let Some(rel) = page_rel_url(&loaded.page, folders, config.urls, errors) else {
            continue;
        };
        entries.push(Entry::new(
            loaded.page,
            loaded.rendered,
            &config,
            rel,
            excerpt,
        ));
        search.push(loaded.search);
    }
    check_url_collisions(&entries, errors);
    let by_path: HashMap<String, PageId> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.page.content_path.clone(), i))
        .collect();
    translations::link(&mut entries);
    link_sections(&mut entries);
    sort_sections(&mut entries);
    let assets = resolve_assets(assets, &folders, &config);
    let targets = Targets::new(&by_path, &assets, &broken);
    let versions = translations::Versions::new(&entries);
    let results: Vec<Vec<Error>> = entries
        .par_iter_mut()
        .map(|entry| {
            let (mut links, page_links, errors) = targets.of(&entry.rendered);
            versions.follow_language(&mut links, entry.lang);
            entry.links = links;
            entry.rendered.page_links = page_links;
            errors
        })
        .collect();
    errors.extend(results.into_iter().flatten());
    errors.extend(anchor_errors(
        entries.iter().flat_map(|e| &e.rendered.page_links),
        &by_path,
        |id| &entries[id].rendered.toc,
    ));
    let taxonomies = build_taxonomies(&entries, &config, errors);
    let page_terms = terms_by_page(entries.len(), &taxonomies);
    let mut site = Site {
        root: root.to_path_buf(),
        today,
        config,
        entries,
        by_path,
        taxonomies,
        page_terms,
        assets,
        static_images: Default::default(),
    };
    crate::kb::resolve(&mut site, errors);
    (site, search)
}

/// URL path (relative, no leading slash, trailing slash) of every content folder,
/// honouring `slug:` of a folder's `_index.md` or `index.md`.
fn folder_urls<'a>(
    pages: impl Iterator<Item = &'a Page> + Clone,
    case: UrlCase,
    errors: &mut Vec<Error>,
) -> BTreeMap<String, String> {
    let folder_slugs: HashMap<&str, &str> = pages
        .clone()
        .filter(|p| p.is_section || p.is_bundle())
        .filter_map(|p| p.front.slug.as_deref().map(|s| (p.folder(), s)))
        .collect();
    let mut folders: BTreeMap<String, String> = BTreeMap::new();
    folders.insert(String::new(), String::new());
    let all_folders: std::collections::BTreeSet<&str> =
        pages.flat_map(|p| ancestors(p.folder())).collect();
    for folder in all_folders {
        if folder.is_empty() {
            continue;
        }
        let (parent, name) = folder.rsplit_once('/').unwrap_or(("", folder));
        let slug = folder_slugs
            .get(folder)
            .map_or_else(|| name_slug(name, case), |s| slug_keeping_case(s));
        if slug.is_empty() {
            errors.push(
                Error::at(
                    Location::file(format!("content/{folder}")),
                    format!("cannot make a URL from the folder name `{name}`"),
                )
                .with_hint("rename the folder, or give its `_index.md` a `slug:`"),
            );
        }
        let parent_url = folders.get(parent).cloned().unwrap_or_default();
        folders.insert(folder.to_string(), format!("{parent_url}{slug}/"));
    }
    folders
}

/// The URL segment of a file or folder name.
fn name_slug(name: &str, case: UrlCase) -> String {
    match case {
        UrlCase::Lowercase => slugify_path(name),
        UrlCase::PreserveCase => slug_keeping_case(name),
    }
}

/// `a/b/c` → `a/b/c`, `a/b`, `a`, ``.
fn ancestors(folder: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(folder);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current.is_empty() {
            None
        } else {
            Some(current.rsplit_once('/').map_or("", |(p, _)| p))
        };
        Some(current)
    })
}

/// The URL of a page relative to the base path (`roles/pm/`; `` for the home page).
fn page_rel_url(
    page: &Page,
    folders: &BTreeMap<String, String>,
    case: UrlCase,
    errors: &mut Vec<Error>,
) -> Option<String> {
    let folder_url = folders.get(page.folder()).cloned().unwrap_or_default();
    if page.is_section || page.is_bundle() {
        return Some(folder_url);
    }
    let slug = match &page.front.slug {
        Some(slug) => slug_keeping_case(slug),
        None => name_slug(page.stem(), case),
    };
    if slug.is_empty() {
        errors.push(
            Error::at(
                Location::file(&page.file),
                format!("cannot make a URL from the file name `{}`", page.stem()),
            )
            .with_hint("rename the file, or set `slug:` in its front matter"),
        );
        return None;
    }
    Some(format!("{folder_url}{slug}/"))
}

fn check_url_collisions(entries: &[Entry], errors: &mut Vec<Error>) {
    let mut seen: HashMap<&str, &Entry> = HashMap::new();
    for entry in entries {
        if let Some(first) = seen.insert(&entry.rel_url, entry) {
            errors.push(
                Error::at(
                    Location::file(&entry.page.file),
                    format!(
                        "`{}` and `{}` both resolve to the URL `/{}`",
                        display_path(&first.page.file),
                        display_path(&entry.page.file),
                        entry.rel_url
                    ),
                )
                .with_hint("give one of them a different `slug:` or file name"),
            );
        }
    }
}

/// Attach every page to its nearest enclosing section, and sections to theirs.
fn link_sections(entries: &mut [Entry]) {
    // A translation belongs to the section of its own language.
    let section_of_folder: HashMap<(usize, String), PageId> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.page.is_section)
        .map(|(i, e)| ((e.lang, e.page.folder().to_string()), i))
        .collect();
    for id in 0..entries.len() {
        let page = &entries[id].page;
        let lang = entries[id].lang;
        if page.is_home() {
            continue;
        }
        let start = if page.is_section {
            page.folder().rsplit_once('/').map_or("", |(p, _)| p)
        } else {
            page.folder()
        };
        let parent =
            ancestors(start).find_map(|f| section_of_folder.get(&(lang, f.to_string())).copied());
        entries[id].parent = parent;
        if let Some(parent) = parent {
            if entries[id].page.is_section {
                entries[parent].subsections.push(id);
            } else {
                entries[parent].children.push(id);
            }
        }
    }
}

/// Order each section's pages by its `sort_by`, and set prev/next neighbours.
fn sort_sections(entries: &mut [Entry]) {
    for id in 0..entries.len() {
        if !entries[id].page.is_section {
            continue;
        }
        let sort_by = entries[id].page.front.section.sort_by;
        let mut children = std::mem::take(&mut entries[id].children);
        children.sort_by_cached_key(|&c| sort_key(&entries[c].page, sort_by));
        for (i, &child) in children.iter().enumerate() {
            entries[child].prev = i.checked_sub(1).map(|j| children[j]);
            entries[child].next = children.get(i + 1).copied();
        }
        entries[id].children = children;
        let mut subsections = std::mem::take(&mut entries[id].subsections);
        subsections
            .sort_by(|&a, &b| compare_pages(&entries[a].page, &entries[b].page, SortBy::Weight));
        entries[id].subsections = subsections;
    }
}

/// Non-Markdown files go next to the page or folder they sit in.
fn resolve_assets(
    files: Vec<PathBuf>,
    folders: &BTreeMap<String, String>,
    config: &Config,
) -> Vec<Asset> {
    files
        .into_iter()
        .map(|source| {
            let content_path = crate::content::content_path(&source);
            let (folder, name) = content_path.rsplit_once('/').unwrap_or(("", &content_path));
            let folder_url = folders
                .get(folder)
                .cloned()
                .unwrap_or_else(|| format!("{folder}/"));
            let folder_url = if folder.is_empty() {
                String::new()
            } else {
                folder_url
            };
            let rel_url = format!("{folder_url}{name}");
            Asset {
                url: format!("{}{}", config.base_path(), rel_url),
                content_path: content_path.clone(),
                rel_url,
                source,
                image: None,
            }
        })
        .collect()
}

/// What the local links of a page can point at: pages by content path,
/// assets by content path, and pages that failed to load (links to them are
/// not errors again).
pub struct Targets<'a> {
    pages: &'a HashMap<String, PageId>,
    assets: HashMap<&'a str, usize>,
    broken: HashSet<&'a str>,
}

impl<'a> Targets<'a> {
    /// Targets from the pages (content path → id), assets and unreadable pages.
    pub fn new(
        pages: &'a HashMap<String, PageId>,
        assets: &'a [Asset],
        broken: &'a [String],
    ) -> Self {
        Targets {
            pages,
            assets: assets
                .iter()
                .enumerate()
                .map(|(i, a)| (a.content_path.as_str(), i))
                .collect(),
            broken: broken.iter().map(String::as_str).collect(),
        }
    }

    /// Where each local link of a rendered page points (in placeholder
    /// order), its links to pages (for anchors and dependencies), and an
    /// error at each link that points nowhere. The URLs go into the HTML at
    /// render time, so a page whose target moves is rendered again, not read.
    pub fn of(&self, rendered: &Rendered) -> (Vec<LinkTarget>, Vec<PageLink>, Vec<Error>) {
        let mut links = Vec::with_capacity(rendered.local_links.len());
        let mut page_links = Vec::new();
        let mut errors = Vec::new();
        for link in &rendered.local_links {
            let anchor = link.anchor.clone();
            let target = if link.target.ends_with(".md") && !link.is_image {
                // `guide/index.md` is `guide/_index.md` with `index_pages: section`.
                let page = self.pages.get(&link.target).or_else(|| {
                    let section = section_of_index(&link.target)?;
                    self.pages.get(&section)
                });
                match page {
                    // A root link's anchor was written for the other tool's
                    // heading ids: kept, and left to `check`.
                    Some(&id) if link.from_root => LinkTarget::Page { id, anchor },
                    Some(&id) => {
                        page_links.push(PageLink {
                            target: link.target.clone(),
                            anchor: link.anchor.clone(),
                            location: link.location.clone(),
                        });
                        LinkTarget::Page { id, anchor }
                    }
                    None if link.from_root => LinkTarget::AsWritten,
                    None => {
                        if !self.broken.contains(link.target.as_str()) {
                            errors.push(markdown::missing_page_error(link, self.pages.keys()));
                        }
                        LinkTarget::AsWritten
                    }
                }
            } else if let Some(&index) = self.assets.get(link.target.as_str()) {
                LinkTarget::Asset { index, anchor }
            } else {
                if link.is_image {
                    errors.push(markdown::missing_image_error(link));
                }
                LinkTarget::AsWritten
            };
            links.push(target);
        }
        (links, page_links, errors)
    }
}

/// `guide/index.md` → `guide/_index.md` (`index.md` → `_index.md`).
fn section_of_index(target: &str) -> Option<String> {
    match target.rsplit_once('/') {
        Some((folder, "index.md")) => Some(format!("{folder}/_index.md")),
        None if target == "index.md" => Some("_index.md".to_string()),
        _ => None,
    }
}

/// A link to `page.md#anchor` is an error when the target has no such
/// heading: `links` are the links to check, `toc` the headings of a page.
pub(crate) fn anchor_errors<'a>(
    links: impl Iterator<Item = &'a PageLink>,
    by_path: &HashMap<String, PageId>,
    toc: impl Fn(PageId) -> &'a [Heading],
) -> Vec<Error> {
    let mut errors = Vec::new();
    for link in links {
        let (Some(anchor), Some(&target)) = (&link.anchor, by_path.get(&link.target)) else {
            continue;
        };
        let headings = toc(target);
        if headings.iter().any(|h| h.id == *anchor) {
            continue;
        }
        let mut known: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
        known.sort_unstable();
        let hint = match crate::error::closest(anchor, known.iter().copied()) {
            Some(c) => format!("did you mean `#{c}`?"),
            None if known.is_empty() => "the target page has no headings".to_string(),
            None => format!("its headings are: {}", list_ids(headings)),
        };
        errors.push(
            Error::at(
                link.location.clone(),
                format!(
                    "`content/{}` has no heading with the id `{anchor}`",
                    link.target
                ),
            )
            .with_hint(hint),
        );
    }
    errors
}

fn list_ids(toc: &[Heading]) -> String {
    toc.iter()
        .take(8)
        .map(|h| format!("`#{}`", h.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collect the terms of each configured taxonomy from the pages (not sections).
fn build_taxonomies(entries: &[Entry], config: &Config, errors: &mut Vec<Error>) -> Vec<Taxonomy> {
    if config.taxonomies.is_empty() {
        return Vec::new();
    }
    // Term lists are newest first; the keys are computed once for all terms.
    let date_order: Vec<_> = entries
        .par_iter()
        .map(|e| sort_key(&e.page, SortBy::Date))
        .collect();
    let mut taxonomies = Vec::new();
    for (lang, code) in config.language_codes().enumerate() {
        for name in &config.taxonomies {
            let taxonomy = build_taxonomy(name, lang, code, entries, &date_order, config, errors);
            // A language without any terms of a taxonomy gets no empty pages.
            if lang == 0 || !taxonomy.terms.is_empty() {
                taxonomies.push(taxonomy);
            }
        }
    }
    taxonomies
}

fn build_taxonomy(
    name: &str,
    lang: usize,
    code: &str,
    entries: &[Entry],
    date_order: &[SortKey],
    config: &Config,
    errors: &mut Vec<Error>,
) -> Taxonomy {
    let prefix = config.language_prefix(code);
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    // Terms repeat across pages: transliterate each spelling once.
    let mut slugs: HashMap<String, String> = HashMap::new();
    for (id, entry) in entries.iter().enumerate() {
        if entry.page.is_section || entry.lang != lang {
            continue;
        }
        for term in taxonomy_terms(&entry.page, name) {
            let slug = slugs
                .entry(term.clone())
                .or_insert_with(|| slugify(&term))
                .clone();
            if slug.is_empty() {
                errors.push(
                    Error::at(
                        Location::file(&entry.page.file),
                        format!("the {name} term `{term}` has no letters or digits"),
                    )
                    .with_hint("use a term with letters or digits"),
                );
                continue;
            }
            let rel_url = format!("{prefix}{name}/{slug}/");
            let term = terms.entry(slug.clone()).or_insert_with(|| {
                let url = format!("{}{}", config.base_path(), rel_url);
                Term {
                    link: crate::render::context::link_map(&term, Some(&url)),
                    name: term.clone(),
                    url,
                    rel_url,
                    slug,
                    pages: Vec::new(),
                }
            });
            // Pages come in id order, so a repeated term is the last one pushed.
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    terms.par_iter_mut().for_each(|term| {
        term.pages
            .sort_by(|&a, &b| date_order[a].cmp(&date_order[b]))
    });
    terms.sort_by_cached_key(|a| title_key(&a.name));
    Taxonomy {
        name: name.to_string(),
        lang,
        rel_url: format!("{prefix}{name}/"),
        url: format!("{}{prefix}{name}/", config.base_path()),
        terms,
    }
}

/// Each entry's terms, found in one pass over the taxonomies.
fn terms_by_page(entries: usize, taxonomies: &[Taxonomy]) -> Vec<Vec<(usize, usize)>> {
    let mut terms = vec![Vec::new(); entries];
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        for (i, term) in taxonomy.terms.iter().enumerate() {
            for &page in &term.pages {
                terms[page].push((t, i));
            }
        }
    }
    terms
}

/// The terms a page has in a taxonomy: `tags`, a role's `qualities` and
/// `category`, or a list under the taxonomy's own key.
pub fn taxonomy_terms(page: &Page, name: &str) -> Vec<String> {
    let front = &page.front;
    let terms: Vec<String> = match name {
        "tags" => front.tags.clone(),
        "qualities" => front.raw.qualities.clone().unwrap_or_default(),
        "employers" => front.raw.employers.clone().unwrap_or_default(),
        "category" => front.raw.category.iter().cloned().collect(),
        _ => front.taxonomies.get(name).cloned().unwrap_or_default(),
    };
    terms
        .into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}
