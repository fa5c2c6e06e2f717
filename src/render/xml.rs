//! The values of the machine-readable outputs, `sitemap.xml`, `robots.txt`
//! and the Atom feeds, which the built-in templates of the same names write
//! (`render/builtin/`, overridable by a theme or the site like any other
//! template), and XML escaping (the `xml` filter). Deterministic: sorted, no
//! clock unless no page has a date (then "today", which honours
//! `SOURCE_DATE_EPOCH`).

use tera::Value;

use crate::content::page::Date;
use crate::model::{Lang, PageId, Site, absolute_url};

/// Entries per feed.
pub const FEED_LIMIT: usize = 20;

/// Escape text for XML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// XML 1.0 forbids most control characters even when escaped.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// RFC 3339 in UTC, as Atom wants.
pub fn rfc3339(date: &Date) -> String {
    format!("{}Z", date.strftime("%Y-%m-%dT%H:%M:%S"))
}

/// One URL of the sitemap, with its language versions.
struct SitemapUrl {
    loc: String,
    lastmod: Option<Date>,
    /// `(hreflang, href)` of every version, this one included, and `x-default`.
    alternates: Vec<(String, String)>,
}

/// The values of `sitemap.xml`: every page, section, taxonomy page and
/// generated page of the site (`urls`: `loc`, `lastmod`, `alternates`
/// [`hreflang`, `href`] for pages in several languages), sorted.
pub fn sitemap_value(site: &Site) -> Value {
    let base = &site.config.base_url;
    let mut urls: Vec<SitemapUrl> = site
        .entries
        .iter()
        .enumerate()
        .map(|(id, e)| SitemapUrl {
            loc: e.permalink.clone(),
            lastmod: e.page.front.updated.or(e.page.front.date),
            alternates: alternates(site, id)
                .into_iter()
                .map(|(lang, href)| (lang.to_string(), href.to_string()))
                .collect(),
        })
        .collect();
    let plain = |rel: &str| SitemapUrl {
        loc: absolute_url(base, rel),
        lastmod: None,
        alternates: Vec::new(),
    };
    for taxonomy in &site.taxonomies {
        urls.push(plain(&taxonomy.rel_url));
        urls.extend(taxonomy.terms.iter().map(|term| plain(&term.rel_url)));
    }
    let generated = crate::render::kb::sitemap_urls(site);
    for (lang, rel) in &generated {
        let mut url = plain(rel);
        let unprefixed = rel.strip_prefix(&site.config.language_prefix(site.lang_code(*lang)));
        let versions: Vec<(String, String)> = generated
            .iter()
            .filter(|(l, r)| {
                r.strip_prefix(&site.config.language_prefix(site.lang_code(*l))) == unprefixed
            })
            .map(|(l, r)| (site.lang_code(*l).to_string(), absolute_url(base, r)))
            .collect();
        if versions.len() > 1 {
            url.alternates = with_default(versions);
        }
        urls.push(url);
    }
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    urls.dedup_by(|a, b| a.loc == b.loc);
    let urls: Vec<Value> = urls
        .into_iter()
        .map(|url| {
            let mut map = tera::Map::with_capacity(3);
            map.insert("loc".into(), Value::from(url.loc));
            map.insert(
                "lastmod".into(),
                Value::from(url.lastmod.map(|d| d.date().to_string())),
            );
            let alternates: Vec<Value> = url
                .alternates
                .into_iter()
                .map(|(hreflang, href)| {
                    let mut alt = tera::Map::with_capacity(2);
                    alt.insert("hreflang".into(), Value::from(hreflang));
                    alt.insert("href".into(), Value::from(href));
                    Value::from(alt)
                })
                .collect();
            map.insert("alternates".into(), Value::from(alternates));
            Value::from(map)
        })
        .collect();
    Value::from(urls)
}

/// The language versions of a page as `(hreflang, absolute URL)`: itself
/// and its translations in language order, then `x-default` (the original);
/// empty for a page in one language only.
pub fn alternates(site: &Site, id: PageId) -> Vec<(&str, &str)> {
    let entry = &site.entries[id];
    if entry.translations.is_empty() {
        return Vec::new();
    }
    let mut versions: Vec<PageId> = entry.translations.clone();
    versions.push(id);
    versions.sort_by_key(|&v| site.entries[v].lang);
    let mut out: Vec<(&str, &str)> = versions
        .iter()
        .map(|&v| {
            (
                site.lang_code(site.entries[v].lang),
                site.entries[v].permalink.as_str(),
            )
        })
        .collect();
    out.push(("x-default", site.entries[versions[0]].permalink.as_str()));
    out
}

fn with_default(mut versions: Vec<(String, String)>) -> Vec<(String, String)> {
    if let Some((_, first)) = versions.first().cloned() {
        versions.push(("x-default".to_string(), first));
    }
    versions
}

/// The URL of `sitemap.xml`, for `robots.txt`.
pub fn sitemap_url(site: &Site) -> String {
    absolute_url(&site.config.base_url, "sitemap.xml")
}

/// The values of an Atom feed of the whole site (`None`) or of one section,
/// newest first: `feed.title`, `subtitle`, `language`, `url`, `page_url`,
/// `updated` and `entries`.
pub fn feed_value(site: &Site, lang: Lang, section: Option<PageId>, today: Date) -> Value {
    let entries = feed_entries(site, lang, section);
    let code = site.lang_code(lang);
    let title = site.config.title_in(code);
    let (title, page_url, feed_rel) = match section {
        Some(id) => {
            let e = &site.entries[id];
            (
                format!("{} — {title}", e.page.front.title),
                e.permalink.clone(),
                format!("{}atom.xml", e.rel_url),
            )
        }
        None => {
            let prefix = site.config.language_prefix(code);
            (
                title.to_string(),
                absolute_url(&site.config.base_url, &prefix),
                format!("{prefix}atom.xml"),
            )
        }
    };
    let updated = entries
        .iter()
        .filter_map(|&id| entry_date(site, id))
        .max()
        // A feed without entries: today, to the day (`serve` renders feeds
        // again at other seconds than its full builds).
        .unwrap_or_else(|| today.date().to_datetime(jiff::civil::Time::midnight()));
    let mut map = tera::Map::new();
    map.insert("title".into(), Value::from(title));
    map.insert(
        "subtitle".into(),
        Value::from(site.config.description_in(code)),
    );
    map.insert("language".into(), Value::from(code));
    map.insert(
        "url".into(),
        Value::from(absolute_url(&site.config.base_url, &feed_rel)),
    );
    map.insert("page_url".into(), Value::from(page_url));
    map.insert("updated".into(), Value::from(rfc3339(&updated)));
    let entries: Vec<Value> = entries.iter().map(|&id| entry_value(site, id)).collect();
    map.insert("entries".into(), Value::from(entries));
    Value::from(map)
}

fn entry_date(site: &Site, id: PageId) -> Option<Date> {
    let front = &site.entries[id].page.front;
    front.updated.or(front.date)
}

/// Dated pages of a language's site or of a section (and its
/// subsections), newest first.
fn feed_entries(site: &Site, lang: Lang, section: Option<PageId>) -> Vec<PageId> {
    let mut ids: Vec<PageId> = site
        .pages()
        .filter(|(id, e)| {
            e.page.front.date.is_some() && e.lang == lang && in_section(site, *id, section)
        })
        .map(|(id, _)| id)
        .collect();
    ids.sort_by(|&a, &b| {
        let (pa, pb) = (&site.entries[a].page, &site.entries[b].page);
        pb.front
            .date
            .cmp(&pa.front.date)
            .then_with(|| pa.content_path.cmp(&pb.content_path))
    });
    ids.truncate(FEED_LIMIT);
    ids
}

fn in_section(site: &Site, id: PageId, section: Option<PageId>) -> bool {
    let Some(section) = section else {
        return true;
    };
    let mut parent = site.entries[id].parent;
    while let Some(p) = parent {
        if p == section {
            return true;
        }
        parent = site.entries[p].parent;
    }
    false
}

fn entry_value(site: &Site, id: PageId) -> Value {
    let entry = &site.entries[id];
    let front = &entry.page.front;
    let published = front.date.expect("feed entries have a date");
    let updated = front.updated.unwrap_or(published);
    let content = crate::render::context::summary_html(site, id)
        .unwrap_or_else(|| crate::render::context::content_html(site, id));
    let mut map = tera::Map::new();
    map.insert("title".into(), Value::from(front.title.as_str()));
    map.insert("url".into(), Value::from(entry.permalink.as_str()));
    map.insert("published".into(), Value::from(rfc3339(&published)));
    map.insert("updated".into(), Value::from(rfc3339(&updated)));
    map.insert(
        "author".into(),
        Value::from(site.config.title_in(site.lang_code(entry.lang))),
    );
    let categories: Vec<Value> = front.tags.iter().map(|t| Value::from(t.as_str())).collect();
    map.insert("categories".into(), Value::from(categories));
    map.insert("summary".into(), Value::from(front.description.as_deref()));
    map.insert("content".into(), Value::from(content.as_ref()));
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
