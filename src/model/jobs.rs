//! The jobs of a build: every output file (or group of files) it writes,
//! and the page arithmetic of paginated lists. Listing them is `site`'s
//! work; rendering one is `render`'s.

use super::{Lang, PageId, Site};

/// One output of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Output path relative to the output folder (`roles/pm/index.html`);
    /// for jobs writing several files, their common folder.
    pub output: String,
    /// What to produce.
    pub kind: JobKind,
}

/// What a job produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobKind {
    /// A page through its template.
    Page(PageId),
    /// Page `number` (1-based) of a section's list.
    Section {
        /// The section.
        id: PageId,
        /// 1-based page number.
        number: usize,
    },
    /// The list of terms of a taxonomy.
    TaxonomyList(usize),
    /// Page `number` of a term's list.
    Term {
        /// Taxonomy index.
        taxonomy: usize,
        /// Term index.
        term: usize,
        /// 1-based page number.
        number: usize,
    },
    /// A redirect from an old URL (an `aliases:` entry) to a page.
    Alias(PageId),
    /// The site's `404.html`.
    NotFound,
    /// The `/search/` page of a language.
    SearchPage(Lang),
    /// The search index files of a language.
    SearchIndex(Lang),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// An Atom feed of a language's whole site (`section: None`) or of a section.
    Feed {
        /// The language of the feed.
        lang: Lang,
        /// The section, or the whole language.
        section: Option<PageId>,
    },
    /// A generated knowledge-base page or data file.
    Kb(Generated),
    /// A file from `content/` copied next to its page.
    Asset(usize),
    /// A static file of the theme or the site.
    Static(usize),
    /// A resized copy of an image (`Site::image_copies`, by index).
    Image(usize),
}

/// A generated knowledge-base output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// Every role of a language with its salary chart, and a table.
    SalaryOverview(Lang),
    /// The graph of career transitions between a language's roles.
    CareerMap(Lang),
    /// `roles.json`: the structured data of every role of a language.
    RolesJson(Lang),
    /// The printable handout of a course (`<course>/print/`).
    Handout(PageId),
}

/// URL (relative to the base path) of the salary overview page.
pub const SALARIES_URL: &str = "salaries/";
/// URL of the career map page.
pub const CAREER_MAP_URL: &str = "career-map/";

/// Files a job writes: (output path, bytes).
pub type OutputFiles = Vec<(String, Vec<u8>)>;

/// Entries per list page for a section (0: everything on one page).
pub fn paginate_by(site: &Site, section: PageId) -> usize {
    site.entries[section]
        .page
        .front
        .section
        .paginate_by
        .unwrap_or(site.config.paginate_by)
}

/// Number of list pages for `items` entries (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        items.div_ceil(per_page).max(1)
    }
}

/// `roles/` page 1 → `roles/index.html`, page 3 → `roles/page/3/index.html`.
pub fn paged_output(rel_url: &str, number: usize) -> String {
    format!("{}index.html", paged_rel_url(rel_url, number))
}

/// `roles/` page 3 → `roles/page/3/`.
pub fn paged_rel_url(rel_url: &str, number: usize) -> String {
    if number <= 1 {
        rel_url.to_string()
    } else {
        format!("{rel_url}page/{number}/")
    }
}

/// `/old/url/` or `old/url` → `old/url/index.html`; `old.html` stays a file.
pub fn alias_output(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else if trimmed.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    }
}
