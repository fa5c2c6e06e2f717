//! The data templates see: the shared `config` and `site` values, built once,
//! and per render the `page`/`section` values and the summaries of the pages a
//! list shows (built on demand: cheap, and nothing is kept per page).
//!
//! The README's theme reference documents every field here.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::content::page::{Date, Kind};
use crate::markdown::Heading;
use crate::model::jobs::{
    CAREER_MAP_URL, Generated, JobKind, SALARIES_URL, page_count, paged_rel_url,
};
use crate::model::{Entry, Lang, PageId, Site, absolute_url};
use crate::render::i18n::{DateStyle, format_date};

/// Values shared by every render (the global context), computed once.
#[derive(Debug)]
pub struct SiteValues {
    /// `config` in templates.
    pub config: Value,
    /// `site` in templates.
    pub site: Value,
}

/// A link with a title, as in breadcrumbs and prev/next.
#[derive(Debug, Clone, Serialize)]
pub struct LinkValue {
    /// Text.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
}

/// Build the values every render in a language shares.
pub fn site_values(site: &Site, lang: Lang) -> SiteValues {
    SiteValues {
        config: config_value(site, lang),
        site: site_value(site, lang),
    }
}

/// What lists and lookups show of an entry (`section.pages[i]`, `get_page`).
///
/// Built on demand rather than kept for every page: a 10,000-page site
/// would otherwise hold tens of MB of summaries for the whole build.
pub fn summary(site: &Site, id: PageId) -> Value {
    let entry = &site.entries[id];
    // Sections are shown by every page below them: keep theirs (few, small).
    if entry.page.is_section {
        entry
            .section_summary
            .get_or_init(|| summary_inner(site, id))
            .clone()
    } else {
        summary_inner(site, id)
    }
}
fn summary_inner(site: &Site, id: PageId) -> Value {
    let entry = &site.entries[id];
    let front = &entry.page.front;
    let language = site.lang_code(entry.lang);
    let mut taxonomies: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut tag_terms = Vec::new();
    for &(t, i) in &site.page_terms[id] {
        let (taxonomy, term) = (&site.taxonomies[t], &site.taxonomies[t].terms[i]);
        if taxonomy.name == "tags" {
            tag_terms.push(term);
        } else {
            taxonomies
                .entry(&taxonomy.name)
                .or_default()
                .push(term.link.clone());
        }
    }
    let tags: Vec<Value> = front
        .tags
        .iter()
        .map(|tag| {
            // The term keeps the first spelling; other spellings share its slug.
            let term = tag_terms.iter().find(|t| t.name == *tag).or_else(|| {
                tag_terms
                    .iter()
                    .find(|t| t.slug == crate::slug::slugify(tag))
            });
            match term {
                Some(term) if term.name == *tag => term.link.clone(),
                _ => link_map(tag, term.map(|t| t.url.as_str())),
            }
        })
        .collect();
    let date = |d: Option<crate::content::page::Date>, long: bool| {
        d.map_or_else(Value::none, |d| match long {
            true => Value::from(format_date(&d, language, DateStyle::Long)),
            false => Value::from(iso(&d)),
        })
    };
    let mut map = tera::Map::with_capacity(24);
    let mut put = |key: &'static str, value: Value| {
        map.insert(key.into(), value);
    };
    put("title", Value::from(front.title.as_str()));
    put("description", Value::from(front.description.as_deref()));
    put("url", Value::from(entry.url.as_str()));
    put("permalink", Value::from(entry.permalink.as_str()));
    put("path", Value::from(entry.page.content_path.as_str()));
    put("kind", Value::from(front.kind.name()));
    put("is_section", Value::from(entry.page.is_section));
    put("date", date(front.date, false));
    put("date_display", date(front.date, true));
    put("updated", date(front.updated, false));
    put("updated_display", date(front.updated, true));
    put("weight", Value::from(front.weight));
    put("draft", Value::from(front.draft));
    put("tags", Value::from(tags));
    put(
        "taxonomies",
        Value::from(
            taxonomies
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::from(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    );
    put("extra", front.extra.0.clone());
    put(
        "reading_time",
        Value::from(entry.rendered.reading_minutes()),
    );
    put("word_count", Value::from(entry.rendered.word_count));
    put(
        "summary",
        summary_html(site, id).map_or_else(Value::none, |html| Value::safe_string(&html)),
    );
    put("excerpt", Value::from(entry.excerpt.as_str()));
    put("pages_count", Value::from(entry.children.len()));
    if let Some(kind) = children_kind(site, id) {
        put("page_kind", Value::from(kind.name()));
    }
    if let Some(role) = crate::render::kb::summary_value(site, id) {
        put("role", role);
    }
    Value::from(map)
}

/// What a section's pages are, so a card can count them by name ("7
/// профессий", not "7 страниц"): its `page_kind`, else the one kind all its
/// pages share (a subsection that is a course counts as a course).
fn children_kind(site: &Site, id: PageId) -> Option<Kind> {
    let entry = &site.entries[id];
    if !entry.page.is_section {
        return None;
    }
    if let Some(kind) = entry.page.front.section.page_kind {
        return Some(kind);
    }
    let mut kinds = entry
        .children
        .iter()
        .map(|&c| site.entries[c].page.front.kind);
    let first = kinds.next()?;
    kinds.all(|k| k == first).then_some(first)
}

/// True when the entry's body calls components or has highlighted code:
/// its page links the small stylesheet of callouts, code and components.
pub fn uses_authoring(entry: &Entry) -> bool {
    !entry.rendered.components.is_empty() || entry.rendered.has_highlighted_code
}

/// An entry's HTML with the URLs of its links filled in: the stored HTML
/// holds placeholders, so a target that moves needs no re-read.
pub fn content_html(site: &Site, id: PageId) -> std::borrow::Cow<'_, str> {
    if let Some(filled) = crate::render::components::filled(id, false) {
        return std::borrow::Cow::Owned(filled);
    }
    with_links(site, id, &site.entries[id].rendered.html)
}

/// The part before `<!-- more -->`, links filled in, if the page has one.
pub fn summary_html(site: &Site, id: PageId) -> Option<std::borrow::Cow<'_, str>> {
    let summary = site.entries[id].rendered.summary_html.as_ref()?;
    if let Some(filled) = crate::render::components::filled(id, true) {
        return Some(std::borrow::Cow::Owned(filled));
    }
    Some(with_links(site, id, summary))
}

fn with_links<'a>(
    site: &Site,
    id: PageId,
    html: &'a crate::markdown::PackedHtml,
) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    let links = !site.entries[id].links.is_empty();
    match html.as_plain() {
        Some(plain) if !links => Cow::Borrowed(plain),
        _ if !links => Cow::Owned(html.unpack()),
        _ => {
            let urls = site.link_urls(id);
            Cow::Owned(html.with_str(|html| crate::markdown::fill_links(html, &urls)))
        }
    }
}

/// `{name, url}` with `url` none when missing.
pub(crate) fn link_map(name: &str, url: Option<&str>) -> Value {
    let mut map = tera::Map::with_capacity(2);
    map.insert("name".into(), Value::from(name));
    map.insert("url".into(), Value::from(url));
    Value::from(map)
}

/// Summaries of several entries.
pub fn summaries(site: &Site, ids: &[PageId]) -> Vec<Value> {
    ids.iter().map(|&id| summary(site, id)).collect()
}

/// Longest excerpt, in characters, for meta descriptions.
const EXCERPT_CHARS: usize = 160;

/// Plain text describing a page for `<meta name="description">` and social
/// cards: its `description`, else a role's `summary`, else its first paragraph
/// (the page's plain text is not kept after the search pass).
pub(crate) fn excerpt(
    page: &crate::content::page::Page,
    rendered: &crate::markdown::Rendered,
) -> String {
    let front = &page.front;
    let text = match front
        .description
        .as_deref()
        .or(front.raw.summary.as_deref())
    {
        Some(text) => text.to_string(),
        // Without the markers of component calls (their output is not known yet).
        None => (rendered.summary_html.as_ref().unwrap_or(&rendered.html)).with_str(|html| {
            crate::markdown::components::strip_markers(&first_paragraph(html)).into_owned()
        }),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', '—', '-']))
}

/// The text of the first `<p>` of rendered HTML, tags removed, entities decoded.
fn first_paragraph(html: &str) -> String {
    let Some(start) = html.find("<p>") else {
        return String::new();
    };
    let body = &html[start + 3..];
    let body = &body[..body.find("</p>").unwrap_or(body.len())];
    let mut text = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `2020-11-04` for `datetime` attributes and sorting in templates.
pub fn iso(date: &Date) -> String {
    format_date(date, "en", DateStyle::Iso)
}

#[derive(Serialize)]
struct ConfigValue<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    theme: &'a str,
    taxonomies: &'a [String],
    search: bool,
    feeds: bool,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

fn config_value(site: &Site, lang: Lang) -> Value {
    let c = &site.config;
    let code = site.lang_code(lang);
    Value::from_serializable(&ConfigValue {
        title: c.title_in(code),
        description: c.description_in(code),
        base_url: &c.base_url,
        base_path: c.base_path(),
        language: code,
        theme: &c.theme,
        taxonomies: &c.taxonomies,
        search: c.search_enabled(),
        feeds: c.feeds,
        extra: &c.extra,
    })
}

#[derive(Serialize)]
struct TaxonomyRef<'a> {
    name: &'a str,
    url: &'a str,
    terms_count: usize,
}

fn site_value(site: &Site, lang: Lang) -> Value {
    let c = &site.config;
    let code = site.lang_code(lang);
    let prefix = c.language_prefix(code);
    let home = site.home_of(lang);
    let sections: Vec<Value> = home
        .map(|h| summaries(site, &site.entries[h].subsections))
        .unwrap_or_default();
    let taxonomies: Vec<TaxonomyRef> = site
        .taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty() && t.lang == lang)
        .map(|t| TaxonomyRef {
            name: &t.name,
            url: &t.url,
            terms_count: t.terms.len(),
        })
        .collect();
    let mut map = tera::Map::new();
    map.insert("title".into(), Value::from(c.title_in(code)));
    map.insert("description".into(), Value::from(c.description_in(code)));
    map.insert("url".into(), Value::from(c.base_url.as_str()));
    map.insert("base_path".into(), Value::from(c.base_path()));
    map.insert(
        "home_url".into(),
        Value::from(format!("{}{prefix}", c.base_path())),
    );
    map.insert("language".into(), Value::from(code));
    map.insert("languages".into(), languages_value(site));
    map.insert(
        "home".into(),
        home.map_or_else(Value::none, |h| summary(site, h)),
    );
    map.insert("sections".into(), Value::from(sections));
    map.insert("taxonomies".into(), Value::from_serializable(&taxonomies));
    map.insert(
        "search_url".into(),
        Value::from(
            c.search_enabled()
                .then(|| format!("{}{prefix}search/", c.base_path())),
        ),
    );
    map.insert(
        "feed_url".into(),
        Value::from(
            c.feeds
                .then(|| format!("{}{prefix}atom.xml", c.base_path())),
        ),
    );
    map.insert("kb".into(), crate::render::kb::site_links(site, lang));
    map.insert(
        "generator".into(),
        Value::from(concat!("Rolebook ", env!("CARGO_PKG_VERSION"))),
    );
    Value::from(map)
}

#[derive(Serialize)]
struct LanguageValue<'a> {
    code: &'a str,
    title: &'a str,
    home_url: String,
}

/// `site.languages`: every language of the site with its home page URL.
fn languages_value(site: &Site) -> Value {
    let c = &site.config;
    let languages: Vec<LanguageValue> = c
        .language_codes()
        .map(|code| LanguageValue {
            code,
            title: c.title_in(code),
            home_url: format!("{}{}", c.base_path(), c.language_prefix(code)),
        })
        .collect();
    Value::from_serializable(&languages)
}

/// Add or replace fields of a map value.
pub fn with_fields<const N: usize>(value: Value, fields: [(&'static str, Value); N]) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    for (key, field) in fields {
        map.insert(key.into(), field);
    }
    Value::from(map)
}

/// Breadcrumbs from the home page down to `id` (the page itself last).
pub fn breadcrumbs(site: &Site, id: PageId) -> Vec<LinkValue> {
    let mut chain = vec![id];
    let mut parent = site.entries[id].parent;
    while let Some(p) = parent {
        chain.push(p);
        parent = site.entries[p].parent;
    }
    chain
        .iter()
        .rev()
        .map(|&i| link(&site.entries[i]))
        .collect()
}

/// Title and URL of an entry.
pub fn link(entry: &Entry) -> LinkValue {
    LinkValue {
        title: entry.page.front.title.clone(),
        url: entry.url.clone(),
    }
}

/// A heading with its sub-headings, for nested tables of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocItem {
    /// 1–6.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Text.
    pub title: String,
    /// Headings below this one.
    pub children: Vec<TocItem>,
}

/// Nest a flat heading list: each heading holds the deeper ones after it.
pub fn nest_toc(headings: &[Heading]) -> Vec<TocItem> {
    let mut root: Vec<TocItem> = Vec::new();
    for h in headings {
        let item = TocItem {
            level: h.level,
            id: h.id.clone(),
            title: h.title.clone(),
            children: Vec::new(),
        };
        insert_toc(&mut root, item);
    }
    root
}

fn insert_toc(items: &mut Vec<TocItem>, item: TocItem) {
    match items.last_mut() {
        Some(last) if last.level < item.level => insert_toc(&mut last.children, item),
        _ => items.push(item),
    }
}

/// The full `page` value: its summary plus content, toc, neighbours and kind data.
pub fn page_value(site: &Site, id: PageId) -> Value {
    let entry = &site.entries[id];
    let neighbour = |n: Option<PageId>| {
        n.map_or_else(Value::none, |n| {
            Value::from_serializable(&link(&site.entries[n]))
        })
    };
    let section = entry.parent.map_or_else(Value::none, |p| summary(site, p));
    let assets: Vec<&str> = site
        .assets
        .iter()
        .filter(|a| {
            entry.page.is_bundle()
                && a.content_path
                    .starts_with(&format!("{}/", entry.page.folder()))
        })
        .map(|a| a.url.as_str())
        .collect();
    let value = with_fields(
        summary(site, id),
        [
            ("content", Value::safe_string(&content_html(site, id))),
            (
                "toc",
                Value::from_serializable(&nest_toc(&entry.rendered.toc)),
            ),
            ("prev", neighbour(entry.prev)),
            ("next", neighbour(entry.next)),
            ("section", section),
            ("assets", Value::from_serializable(&assets)),
            ("translations", translations_value(site, id)),
            ("original", original_value(site, id)),
        ],
    );
    crate::render::kb::extend_page_value(site, id, value)
}

#[derive(Serialize)]
struct TranslationValue<'a> {
    lang: &'a str,
    url: &'a str,
    title: &'a str,
}

/// `page.translations`: the page's other language versions.
fn translations_value(site: &Site, id: PageId) -> Value {
    let list: Vec<TranslationValue> = site.entries[id]
        .translations
        .iter()
        .map(|&t| {
            let e = &site.entries[t];
            TranslationValue {
                lang: site.lang_code(e.lang),
                url: &e.url,
                title: &e.page.front.title,
            }
        })
        .collect();
    Value::from_serializable(&list)
}

#[derive(Serialize)]
struct OriginalValue<'a> {
    lang: &'a str,
    url: &'a str,
    title: &'a str,
    /// The original changed after this translation was made.
    newer: bool,
}

/// `page.original`: for a translation, its original (`lang`, `url`,
/// `title`, `newer`); none for other pages.
fn original_value(site: &Site, id: PageId) -> Value {
    let entry = &site.entries[id];
    let Some(original) = entry.original.map(|o| &site.entries[o]) else {
        return Value::none();
    };
    Value::from_serializable(&OriginalValue {
        lang: site.lang_code(original.lang),
        url: &original.url,
        title: &original.page.front.title,
        newer: entry.behind.is_some(),
    })
}

#[derive(Serialize)]
struct Alternate<'a> {
    hreflang: &'a str,
    href: String,
}

#[derive(Serialize)]
struct SwitchLink<'a> {
    code: &'a str,
    /// The language's own name for itself (`language_name` of its UI strings).
    name: String,
    url: String,
    current: bool,
    /// False when the page has no version in that language: the link goes to
    /// that language's home page, which then says so.
    translated: bool,
}

/// One language version of an output: its language and its URL relative to
/// the site's base (`en/roles/pm/`).
pub type Version = (Lang, String);

/// The language versions of what a job writes: for a page, itself and its
/// translations; for a generated page (search, salaries, career map,
/// taxonomy lists), the same page of every language that has it.
pub fn versions(site: &Site, kind: &JobKind, page: Option<PageId>) -> Vec<Version> {
    if !site.config.is_multilingual() {
        return Vec::new();
    }
    let prefixed = |lang: Lang, rel: &str| {
        format!("{}{rel}", site.config.language_prefix(site.lang_code(lang)))
    };
    let has_roles = |lang: Lang| {
        site.entries
            .iter()
            .any(|e| e.kb.role.is_some() && e.lang == lang)
    };
    if let Some(id) = page {
        return site
            .langs()
            .filter_map(|l| site.version(id, l))
            .map(|v| (site.entries[v].lang, site.entries[v].rel_url.clone()))
            .collect();
    }
    match kind {
        JobKind::SearchPage(_) => site.langs().map(|l| (l, prefixed(l, "search/"))).collect(),
        // The one 404 page: its switcher goes to each language's home page.
        JobKind::NotFound => site.langs().map(|l| (l, prefixed(l, ""))).collect(),
        JobKind::Kb(generated) => {
            let rel = match generated {
                Generated::SalaryOverview(_) => SALARIES_URL,
                Generated::CareerMap(_) => CAREER_MAP_URL,
                Generated::RolesJson(_) | Generated::Handout(_) => return Vec::new(),
            };
            site.langs()
                .filter(|&l| has_roles(l))
                .map(|l| (l, prefixed(l, rel)))
                .collect()
        }
        JobKind::TaxonomyList(t) => same_taxonomy(site, *t)
            .map(|other| (other.lang, other.rel_url.clone()))
            .collect(),
        JobKind::Term { taxonomy, term, .. } => {
            let slug = &site.taxonomies[*taxonomy].terms[*term].slug;
            same_taxonomy(site, *taxonomy)
                .filter_map(|other| {
                    let found = other.terms.iter().find(|t| &t.slug == slug)?;
                    Some((other.lang, found.rel_url.clone()))
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The taxonomy of the same name in every language that has it.
fn same_taxonomy(site: &Site, id: usize) -> impl Iterator<Item = &crate::model::Taxonomy> {
    let name = &site.taxonomies[id].name;
    site.taxonomies.iter().filter(move |t| &t.name == name)
}

/// `alternates` (`hreflang`, `href`, for `<link rel="alternate">`, with
/// `x-default` for the default language's version) and `languages` (the
/// switcher: `code`, `name`, `url`, `current`, `translated`) of an output in
/// `lang` with these `versions`. Both empty on a site in one language.
pub fn language_links(
    site: &Site,
    versions: &[Version],
    lang: Lang,
    name_of: impl Fn(Lang) -> String,
) -> (Value, Value) {
    if !site.config.is_multilingual() {
        return (
            Value::from(Vec::<Value>::new()),
            Value::from(Vec::<Value>::new()),
        );
    }
    let base_url = &site.config.base_url;
    let mut alternates: Vec<Alternate> = Vec::new();
    if versions.len() > 1 {
        alternates = versions
            .iter()
            .map(|(l, rel)| Alternate {
                hreflang: site.lang_code(*l),
                href: absolute_url(base_url, rel),
            })
            .collect();
        if let Some((0, rel)) = versions.first() {
            alternates.push(Alternate {
                hreflang: "x-default",
                href: absolute_url(base_url, rel),
            });
        }
    }
    let base = site.config.base_path();
    let switch: Vec<SwitchLink> = site
        .langs()
        .map(|other| {
            let code = site.lang_code(other);
            let version = versions.iter().find(|(l, _)| *l == other);
            let home = format!("{base}{}", site.config.language_prefix(code));
            SwitchLink {
                code,
                name: name_of(other),
                url: version.map_or_else(
                    || format!("{home}#untranslated"),
                    |(_, rel)| format!("{base}{rel}"),
                ),
                current: other == lang,
                translated: version.is_some() || other == lang,
            }
        })
        .collect();
    (
        Value::from_serializable(&alternates),
        Value::from_serializable(&switch),
    )
}

/// A paginated list: which entries are on page `number` and the links around it.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Entries per page (0: all).
    pub per_page: usize,
    /// Entries on all pages.
    pub items_total: usize,
    /// URL of the previous page.
    pub prev: Option<String>,
    /// URL of the next page.
    pub next: Option<String>,
    /// Every page number with its URL.
    pub links: Vec<PageLink>,
}

/// One numbered link of a paginator.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// 1-based page number.
    pub number: usize,
    /// URL.
    pub url: String,
    /// True for the current page.
    pub current: bool,
}

/// Slice `items` for page `number` and describe the pagination of a list at `rel_url`.
pub fn paginate<T: Clone>(
    items: &[T],
    per_page: usize,
    number: usize,
    base_path: &str,
    rel_url: &str,
) -> (Vec<T>, Paginator) {
    let total = page_count(items.len(), per_page);
    let slice = if per_page == 0 {
        items.to_vec()
    } else {
        items
            .iter()
            .skip((number - 1) * per_page)
            .take(per_page)
            .cloned()
            .collect()
    };
    let url = |n: usize| format!("{base_path}{}", paged_rel_url(rel_url, n));
    let paginator = Paginator {
        current: number,
        total,
        per_page,
        items_total: items.len(),
        prev: (number > 1).then(|| url(number - 1)),
        next: (number < total).then(|| url(number + 1)),
        links: (1..=total)
            .map(|n| PageLink {
                number: n,
                url: url(n),
                current: n == number,
            })
            .collect(),
    };
    (slice, paginator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_nests_deeper_headings() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            title: id.into(),
            line: 1,
        };
        let toc = nest_toc(&[h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "b1")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "b1");
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let html = "<h2>Title</h2>\n<p>Salaries <em>vary</em> &amp; <a href=\"/x/\">change</a>.</p>\n<p>Two</p>";
        assert_eq!(first_paragraph(html), "Salaries vary & change.");
        assert_eq!(first_paragraph("<ul><li>x</li></ul>"), "");
    }

    #[test]
    fn pagination_slices_and_links() {
        let items: Vec<u32> = (1..=7).collect();
        let (page, p) = paginate(&items, 3, 3, "/kb/", "roles/");
        assert_eq!(page, vec![7]);
        assert_eq!(p.total, 3);
        assert_eq!(p.prev.as_deref(), Some("/kb/roles/page/2/"));
        assert_eq!(p.next, None);
        assert_eq!(p.links[0].url, "/kb/roles/");
        let (all, p) = paginate(&items, 0, 1, "/", "roles/");
        assert_eq!(all.len(), 7);
        assert_eq!(p.total, 1);
    }
}
