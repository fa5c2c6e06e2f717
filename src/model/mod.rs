//! The resolved site: pages with their URLs, places and kind data,
//! taxonomies, assets, and the list of jobs a build runs. Plain data that
//! every later stage reads; this module imports no stage (only the content
//! model below it: settings, pages, rendered Markdown).

pub mod jobs;
pub mod kinds;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::content::page::{Date, Page, SortBy, sort_key};
use crate::markdown::Rendered;
pub use jobs::{Generated, Job, JobKind, OutputFiles};
pub use kinds::EntryData;

/// Index of an entry in [`Site::entries`].
pub type PageId = usize;

/// Index of a language in [`Config::language_codes`]: 0 is the default.
pub type Lang = usize;

/// A page or section with everything resolved about it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The parsed page (its body is emptied once rendered).
    pub page: Page,
    /// URL relative to the base path (`roles/pm/`; empty for the home page).
    pub rel_url: String,
    /// Root-relative URL including the base path (`/kb/roles/pm/`).
    pub url: String,
    /// Absolute URL (`https://example.org/kb/roles/pm/`).
    pub permalink: String,
    /// The page's language.
    pub lang: Lang,
    /// The other language versions of this page (the original and the
    /// other translations), in language order.
    pub translations: Vec<PageId>,
    /// For a translation: its original, the default language's page.
    pub original: Option<PageId>,
    /// For a translation made from an older state of its original: why.
    pub behind: Option<Behind>,
    /// Rendered Markdown (local links as placeholders).
    pub rendered: Rendered,
    /// Where each local link of `rendered` points, in placeholder order.
    pub links: Vec<LinkTarget>,
    /// The enclosing section.
    pub parent: Option<PageId>,
    /// For sections: their pages in order.
    pub children: Vec<PageId>,
    /// For sections: their subsections in order.
    pub subsections: Vec<PageId>,
    /// Previous page in the section's order.
    pub prev: Option<PageId>,
    /// Next page in the section's order.
    pub next: Option<PageId>,
    /// Knowledge-base data derived from the front matter (role, comparison, course).
    pub kb: EntryData,
    /// Plain-text excerpt for meta descriptions and lists.
    pub excerpt: String,
    /// A section's summary, kept once built (every page below shows it).
    pub section_summary: std::sync::OnceLock<tera::Value>,
}

impl Entry {
    /// A page at `rel_url`, not yet linked to its section or neighbours.
    /// `excerpt` is computed for all pages in parallel beforehand.
    pub fn new(
        page: Page,
        rendered: Rendered,
        config: &Config,
        rel_url: String,
        excerpt: String,
    ) -> Self {
        let lang = config
            .language_codes()
            .position(|c| c == page.lang)
            .unwrap_or(0);
        Entry {
            lang,
            translations: Vec::new(),
            original: None,
            behind: None,
            page,
            url: format!("{}{}", config.base_path(), rel_url),
            permalink: absolute_url(&config.base_url, &rel_url),
            rel_url,
            rendered,
            links: Vec::new(),
            parent: None,
            children: Vec::new(),
            subsections: Vec::new(),
            prev: None,
            next: None,
            kb: EntryData::default(),
            excerpt,
            section_summary: std::sync::OnceLock::new(),
        }
    }

    /// The output file of this entry (`roles/pm/index.html`).
    pub fn output_path(&self) -> String {
        format!("{}index.html", self.rel_url)
    }
}

/// Why a translation is behind its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behind {
    /// The original's body is not the one whose hash the translation
    /// recorded (`translation_of_hash:`).
    BodyChanged,
    /// The original's `updated` (or `date`) is later than the translation's.
    UpdatedLater,
}

/// Where a local link of a page's Markdown points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A page or section, with the `#anchor` if any.
    Page {
        /// The target.
        id: PageId,
        /// Without `#`.
        anchor: Option<String>,
    },
    /// A file of `content/` copied to the output.
    Asset {
        /// Index in [`Site::assets`].
        index: usize,
        /// Without `#`.
        anchor: Option<String>,
    },
    /// Nothing the site writes: the link is kept as written (a file under
    /// `static/`, or a page whose own error is reported).
    AsWritten,
}

/// `https://example.org/kb/` + `roles/pm/`.
pub fn absolute_url(base_url: &str, rel: &str) -> String {
    format!("{base_url}{rel}")
}

/// The page a site path ending in `.html` or `.md` names, as VitePress and
/// mdBook sites link (`guide/setup.html` → `guide/setup`): `serve`
/// redirects such paths and `check` accepts them when the page exists.
pub fn page_of_file_path(path: &str) -> Option<&str> {
    let stem = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".md"))?;
    (!stem.is_empty() && !stem.ends_with('/')).then_some(stem)
}

/// Characters percent-encoded in a URL path (`/` kept): what a content
/// path needs to become a link (edit links, `serve`'s redirects).
pub const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// A non-Markdown file from `content/`, copied next to its page.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the site root.
    pub source: PathBuf,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Output path relative to the output folder.
    pub rel_url: String,
    /// Root-relative URL.
    pub url: String,
    /// For a PNG, JPEG or WebP file: its size and resized copies.
    pub image: Option<ImageInfo>,
}

/// A raster image of the site and the resized copies made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Hash of the file's bytes (the cache key of its copies).
    pub hash: u64,
    /// Resized copies, narrowest first.
    pub copies: Vec<ImageCopy>,
}

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageCopy {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Output path relative to the output folder.
    pub rel_url: String,
    /// Root-relative URL.
    pub url: String,
    /// The file in the image cache the output copies.
    pub cache: PathBuf,
}

impl ImageInfo {
    /// `a-480w.webp 480w, a-960w.webp 960w`, or empty without copies.
    pub fn srcset(&self) -> String {
        self.copies
            .iter()
            .map(|c| format!("{} {}w", c.url, c.width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One configured taxonomy of one language and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Name (`tags`).
    pub name: String,
    /// The language of its pages.
    pub lang: Lang,
    /// `tags/`.
    pub rel_url: String,
    /// Root-relative URL of the term list.
    pub url: String,
    /// Terms in title order.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as first written.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// `tags/slug/`.
    pub rel_url: String,
    /// Root-relative URL.
    pub url: String,
    /// Pages with this term, newest first.
    pub pages: Vec<PageId>,
    /// `{name, url}` for templates, built once: every page with the term
    /// shows it, so it is cloned (a reference count) rather than rebuilt.
    pub link: tera::Value,
}

/// The whole resolved site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The site root folder.
    pub root: PathBuf,
    /// "Today" of this build (staleness of data; `SOURCE_DATE_EPOCH` when set).
    pub today: Date,
    /// Settings.
    pub config: std::sync::Arc<Config>,
    /// Pages and sections, sorted by content path.
    pub entries: Vec<Entry>,
    /// Content path → entry.
    pub by_path: HashMap<String, PageId>,
    /// Taxonomies in configured order.
    pub taxonomies: Vec<Taxonomy>,
    /// For each entry, its terms as (taxonomy index, term index).
    pub page_terms: Vec<Vec<(usize, usize)>>,
    /// Files copied from `content/`.
    pub assets: Vec<Asset>,
    /// Raster files of `static/` that pages show, by their path there
    /// (`img/team.png`): size and resized copies.
    pub static_images: HashMap<String, ImageInfo>,
}

impl Site {
    /// Every resized copy the output holds, once each (rel URL, cache file).
    pub fn image_copies(&self) -> Vec<(&str, &std::path::Path)> {
        let mut copies: Vec<(&str, &std::path::Path)> = self
            .assets
            .iter()
            .filter_map(|a| a.image.as_ref())
            .chain(self.static_images.values())
            .flat_map(|i| &i.copies)
            .map(|c| (c.rel_url.as_str(), c.cache.as_path()))
            .collect();
        copies.sort_unstable();
        copies.dedup_by(|a, b| a.0 == b.0);
        copies
    }
}

impl Site {
    /// The home page (`content/_index.md`), if the site has one.
    pub fn home(&self) -> Option<PageId> {
        self.by_path.get("_index.md").copied()
    }

    /// The home page of a language (`_index.md`, `_index.en.md`).
    pub fn home_of(&self, lang: Lang) -> Option<PageId> {
        let home = self.home()?;
        self.version(home, lang)
    }

    /// The code of a language (`ru`).
    pub fn lang_code(&self, lang: Lang) -> &str {
        self.config
            .language_codes()
            .nth(lang)
            .unwrap_or(&self.config.language)
    }

    /// Every language of the site, the default first.
    pub fn langs(&self) -> std::ops::Range<Lang> {
        0..self.config.languages.len() + 1
    }

    /// The version of a page in a language: itself, a translation, or none.
    pub fn version(&self, id: PageId, lang: Lang) -> Option<PageId> {
        let entry = &self.entries[id];
        if entry.lang == lang {
            return Some(id);
        }
        entry
            .translations
            .iter()
            .copied()
            .find(|&t| self.entries[t].lang == lang)
    }

    /// The page to link to from a page in `lang`: its version in that
    /// language, or the page itself when it is not translated.
    pub fn in_lang(&self, id: PageId, lang: Lang) -> PageId {
        self.version(id, lang).unwrap_or(id)
    }

    /// Look up an entry by content path (`roles/pm.md`) or URL path (`/roles/pm/`).
    pub fn find(&self, reference: &str) -> Option<PageId> {
        let reference = reference.trim();
        let content_path = reference
            .trim_start_matches("@/")
            .trim_start_matches("content/");
        if let Some(&id) = self.by_path.get(content_path) {
            return Some(id);
        }
        let url = reference.trim_matches('/');
        self.entries
            .iter()
            .position(|e| e.rel_url.trim_end_matches('/') == url)
    }

    /// Take the site apart into its pages and their rendered bodies (for
    /// `serve` to reuse them).
    pub fn into_pages(self) -> impl Iterator<Item = (Page, Rendered)> {
        self.entries.into_iter().map(|e| (e.page, e.rendered))
    }

    /// The URLs of an entry's local links, in placeholder order (what
    /// `markdown::fill_links` puts into its HTML).
    pub fn link_urls(&self, id: PageId) -> Vec<String> {
        let entry = &self.entries[id];
        entry
            .links
            .iter()
            .zip(&entry.rendered.local_links)
            .map(|(target, link)| {
                let (url, anchor) = match target {
                    LinkTarget::Page { id, anchor } => (&self.entries[*id].url, anchor),
                    LinkTarget::Asset { index, anchor } => (&self.assets[*index].url, anchor),
                    LinkTarget::AsWritten => return link.dest.clone(),
                };
                match anchor {
                    Some(anchor) => format!("{url}#{anchor}"),
                    None => url.clone(),
                }
            })
            .collect()
    }

    /// The role pages of a language, in the order of the roles list
    /// (weight, then title): the order of every view that lists roles.
    pub fn roles(&self, lang: Lang) -> Vec<PageId> {
        let mut roles: Vec<PageId> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kb.role.is_some() && e.lang == lang)
            .map(|(i, _)| i)
            .collect();
        roles.sort_by_cached_key(|&id| sort_key(&self.entries[id].page, SortBy::Weight));
        roles
    }

    /// Pages that are not sections.
    pub fn pages(&self) -> impl Iterator<Item = (PageId, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.page.is_section)
    }
}
