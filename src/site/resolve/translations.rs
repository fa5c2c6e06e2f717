//! Translations: a page `roles/pm.en.md` is the English version of
//! `roles/pm.md`. Here they are checked (an original exists, one file per
//! language, the same kind), given their URLs (under `/<code>/`, with the
//! original's slugs unless they set their own), linked to each other, and a
//! translation's links are pointed at pages of its own language.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::content::page::{Page, hash_text};
use crate::error::{Error, Location, display_path};
use crate::model::{Behind, Entry, Lang, LinkTarget, PageId};
use crate::site::Loaded;
use crate::slug::slug_keeping_case;

/// Drop, with an error each, the translations that cannot stand: one with
/// no original, a second file for one language (`pm.md` and `pm.ru.md`),
/// and one whose kind is not its original's. A translation of a draft that
/// is not built is left out with it, without an error.
pub fn drop_orphans(
    pages: Vec<Loaded>,
    root: &std::path::Path,
    config: &Config,
    errors: &mut Vec<Error>,
) -> Vec<Loaded> {
    if !config.is_multilingual() && !pages.iter().any(|l| l.page.key != l.page.content_path) {
        return pages;
    }
    let mut originals: HashMap<&str, usize> = HashMap::new();
    for (i, loaded) in pages.iter().enumerate() {
        if loaded.page.lang == config.language {
            originals.entry(loaded.page.key.as_str()).or_insert(i);
        }
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut keep = vec![true; pages.len()];
    for (i, loaded) in pages.iter().enumerate() {
        let page = &loaded.page;
        if !seen.insert((page.key.as_str(), page.lang.as_str())) {
            errors.push(two_files(page, &pages, config));
            keep[i] = false;
            continue;
        }
        if page.lang == config.language {
            continue;
        }
        match originals.get(page.key.as_str()) {
            None if root.join("content").join(&page.key).is_file() => keep[i] = false,
            None => {
                errors.push(
                    Error::at(
                        Location::at(&page.file, 1, 1),
                        format!(
                            "`{}` is a translation of `content/{}`, which does not exist",
                            display_path(&page.file),
                            page.key
                        ),
                    )
                    .with_hint(format!(
                        "create the original in the default language (`{}`) first, or rename the file",
                        config.language
                    )),
                );
                keep[i] = false;
            }
            Some(&o) if pages[o].page.front.kind != page.front.kind => {
                let location = page
                    .front
                    .kind_location
                    .clone()
                    .unwrap_or_else(|| Location::at(&page.file, 1, 1));
                errors.push(
                    Error::at(
                        location,
                        format!(
                            "this translation's kind is `{}`, but its original `content/{}` is of kind `{}`",
                            page.front.kind.name(),
                            page.key,
                            pages[o].page.front.kind.name()
                        ),
                    )
                    .with_hint("a translation has its original's kind: remove `kind:` or make it match"),
                );
                keep[i] = false;
            }
            Some(_) => {}
        }
    }
    pages
        .into_iter()
        .zip(keep)
        .filter_map(|(page, keep)| keep.then_some(page))
        .collect()
}

/// Give every language a home page: where `_index.<code>.md` is missing,
/// the default home page's settings with the language's title and
/// description and no text, so that `/en/` and the switcher's links to it
/// exist as soon as a language is configured.
pub fn add_missing_homes(pages: &mut Vec<Loaded>, config: &Config) {
    let Some(home) = pages
        .iter()
        .find(|l| l.page.is_home() && l.page.lang == config.language)
        .map(|l| l.page.clone())
    else {
        return;
    };
    for code in config.language_codes().skip(1) {
        if pages
            .iter()
            .any(|l| l.page.is_home() && l.page.lang == code)
        {
            continue;
        }
        let mut page = home.clone();
        page.content_path = format!("_index.{code}.md");
        page.lang = code.to_string();
        page.front.title = config.title_in(code).to_string();
        page.front.description = config.description_in(code).map(str::to_string);
        page.body = String::new();
        pages.push(Loaded {
            page,
            rendered: Default::default(),
            search: Default::default(),
        });
    }
}

fn two_files(page: &Page, pages: &[Loaded], config: &Config) -> Error {
    let first = pages
        .iter()
        .find(|l| l.page.key == page.key && l.page.lang == page.lang)
        .map_or_else(String::new, |l| display_path(&l.page.file));
    Error::at(
        Location::at(&page.file, 1, 1),
        format!(
            "`{}` and `{first}` are both the `{}` version of `content/{}`",
            display_path(&page.file),
            page.lang,
            page.key
        ),
    )
    .with_hint(if page.lang == config.language {
        format!(
            "`{}` is the default language: keep one file, without `.{}` in its name",
            page.lang, page.lang
        )
    } else {
        "keep one of the two files".to_string()
    })
}

/// The folder URLs of each other language: `en/` + the default language's
/// folder URLs, with the slug a folder's `_index.en.md` (or bundle
/// `index.en.md`) sets in place of the original's.
pub fn folder_urls(
    pages: &[Loaded],
    default: &BTreeMap<String, String>,
    config: &Config,
) -> HashMap<String, BTreeMap<String, String>> {
    let mut all = HashMap::new();
    for language in &config.languages {
        let slugs: HashMap<&str, &str> = pages
            .iter()
            .map(|l| &l.page)
            .filter(|p| p.lang == language.code && (p.is_section || p.is_bundle()))
            .filter_map(|p| p.front.slug.as_deref().map(|s| (p.folder(), s)))
            .collect();
        let mut urls: BTreeMap<String, String> = BTreeMap::new();
        // Sorted: a folder comes after its parent.
        for (folder, url) in default {
            if folder.is_empty() {
                urls.insert(String::new(), format!("{}/", language.code));
                continue;
            }
            let parent = folder.rsplit_once('/').map_or("", |(p, _)| p);
            let segment = match slugs.get(folder.as_str()).map(|s| slug_keeping_case(s)) {
                Some(slug) if !slug.is_empty() => format!("{slug}/"),
                _ => url
                    .rsplit('/')
                    .nth(1)
                    .map_or(String::new(), |s| format!("{s}/")),
            };
            let parent_url = urls.get(parent).cloned().unwrap_or_default();
            urls.insert(folder.clone(), format!("{parent_url}{segment}"));
        }
        all.insert(language.code.clone(), urls);
    }
    all
}

/// Link every page with its other language versions.
pub fn link(entries: &mut [Entry]) {
    let mut by_key: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
    for (id, entry) in entries.iter().enumerate() {
        by_key.entry(entry.page.key.as_str()).or_default().push(id);
    }
    let groups: Vec<Vec<PageId>> = by_key.into_values().filter(|g| g.len() > 1).collect();
    for mut group in groups {
        group.sort_by_key(|&id| entries[id].lang);
        let original = group[0];
        for &id in &group {
            entries[id].translations = group.iter().copied().filter(|&t| t != id).collect();
            if id != original {
                entries[id].original = Some(original);
                entries[id].behind = behind(&entries[id].page, &entries[original].page);
                inherit(entries, id, original);
            }
        }
    }
}

/// Whether a translation was made from an older state of its original.
/// A recorded `translation_of_hash:` decides alone (it names the state the
/// translation was made from, so `check --fix-hashes` settles it); without
/// one, the original's `updated` (or `date`) later than the translation's
/// does (dates as written, before the translation inherits any).
fn behind(translation: &Page, original: &Page) -> Option<Behind> {
    if let Some(recorded) = &translation.front.translation_of_hash {
        let current = hash_text(original.body_hash);
        return (*recorded != current).then_some(Behind::BodyChanged);
    }
    let changed = |p: &Page| p.front.updated.or(p.front.date);
    match (changed(original), changed(translation)) {
        (Some(o), Some(t)) if o > t => Some(Behind::UpdatedLater),
        _ => None,
    }
}

/// The fields that are no text are the original's unless the translation
/// writes them: order (`weight`), `date`, salary figures, and references
/// (career steps, related and compared roles, chapters). Figures are never
/// copied by hand into two files.
fn inherit(entries: &mut [Entry], id: PageId, original: PageId) {
    let source = &entries[original].page.front;
    let weight = source.weight;
    let date = source.date;
    let salary = source.raw.salary.clone();
    let chapters = source.raw.chapters.clone();
    let refs = source.refs.clone();
    let front = &mut entries[id].page.front;
    front.weight = front.weight.or(weight);
    front.date = front.date.or(date);
    if front.raw.salary.is_none() {
        front.raw.salary = salary;
    }
    if front.raw.chapters.is_none() {
        front.raw.chapters = chapters;
    }
    let own: HashSet<&'static str> = front.refs.iter().map(|r| r.field).collect();
    let inherited: Vec<_> = refs
        .into_iter()
        .filter(|r| !own.contains(r.field))
        .collect();
    front.refs.extend(inherited);
}

/// What a translation's links need: each page's language, versions and
/// heading ids (a link keeps pointing at the original when the anchor it
/// names is not a heading of the translation).
pub struct Versions {
    lang: Vec<Lang>,
    versions: Vec<Vec<PageId>>,
    anchors: Vec<HashSet<String>>,
}

impl Versions {
    /// The versions of every entry (nothing to hold for a site in one language).
    pub fn new(entries: &[Entry]) -> Versions {
        if entries.iter().all(|e| e.translations.is_empty()) {
            return Versions {
                lang: Vec::new(),
                versions: Vec::new(),
                anchors: Vec::new(),
            };
        }
        Versions {
            lang: entries.iter().map(|e| e.lang).collect(),
            versions: entries.iter().map(|e| e.translations.clone()).collect(),
            anchors: entries
                .iter()
                .map(|e| {
                    if e.original.is_some() {
                        e.rendered.toc.iter().map(|h| h.id.clone()).collect()
                    } else {
                        HashSet::new()
                    }
                })
                .collect(),
        }
    }

    /// Point links to pages at their version in `lang`, where there is one.
    pub fn follow_language(&self, links: &mut [LinkTarget], lang: Lang) {
        if self.lang.is_empty() {
            return;
        }
        for link in links {
            let LinkTarget::Page { id, anchor } = link else {
                continue;
            };
            if self.lang[*id] == lang {
                continue;
            }
            let version = self.versions[*id]
                .iter()
                .copied()
                .find(|&v| self.lang[v] == lang);
            if let Some(version) = version
                && anchor
                    .as_ref()
                    .is_none_or(|a| self.anchors[version].contains(a))
            {
                *id = version;
            }
        }
    }
}
