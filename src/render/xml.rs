//! The values of the machine-readable outputs, `sitemap.xml`, `robots.txt`
//! and the Atom feeds, which the built-in templates of the same names write
//! (`render/builtin/`, overridable by a theme or the site like any other
//! template), and XML escaping (the `xml` filter). Deterministic: sorted, no
//! clock unless no page has a date (then "today", which honours
//! `SOURCE_DATE_EPOCH`).

use tera::Value;

use crate::content::page::Date;
use crate::model::{PageId, Site, absolute_url};

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

/// The values of `sitemap.xml`: every page, section, taxonomy page and
/// generated page of the site (`urls`: `loc`, `lastmod`), sorted.
pub fn sitemap_value(site: &Site) -> Value {
    let mut urls: Vec<(String, Option<Date>)> = site
        .entries
        .iter()
        .map(|e| {
            (
                e.permalink.clone(),
                e.page.front.updated.or(e.page.front.date),
            )
        })
        .collect();
    for taxonomy in &site.taxonomies {
        urls.push((absolute_url(&site.config.base_url, &taxonomy.rel_url), None));
        for term in &taxonomy.terms {
            urls.push((absolute_url(&site.config.base_url, &term.rel_url), None));
        }
    }
    for rel in crate::render::kb::sitemap_urls(site) {
        urls.push((absolute_url(&site.config.base_url, &rel), None));
    }
    urls.sort();
    urls.dedup();
    let urls: Vec<Value> = urls
        .into_iter()
        .map(|(loc, date)| {
            let mut map = tera::Map::with_capacity(2);
            map.insert("loc".into(), Value::from(loc));
            map.insert(
                "lastmod".into(),
                Value::from(date.map(|d| d.date().to_string())),
            );
            Value::from(map)
        })
        .collect();
    Value::from(urls)
}

/// The URL of `sitemap.xml`, for `robots.txt`.
pub fn sitemap_url(site: &Site) -> String {
    absolute_url(&site.config.base_url, "sitemap.xml")
}

/// The values of an Atom feed of the whole site (`None`) or of one section,
/// newest first: `feed.title`, `subtitle`, `language`, `url`, `page_url`,
/// `updated` and `entries`.
pub fn feed_value(site: &Site, section: Option<PageId>, today: Date) -> Value {
    let entries = feed_entries(site, section);
    let (title, page_url, feed_rel) = match section {
        Some(id) => {
            let e = &site.entries[id];
            (
                format!("{} — {}", e.page.front.title, site.config.title),
                e.permalink.clone(),
                format!("{}atom.xml", e.rel_url),
            )
        }
        None => (
            site.config.title.clone(),
            site.config.base_url.clone(),
            "atom.xml".to_string(),
        ),
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
        Value::from(site.config.description.as_deref()),
    );
    map.insert(
        "language".into(),
        Value::from(site.config.language.as_str()),
    );
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

/// Dated pages of the site or section (and its subsections), newest first.
fn feed_entries(site: &Site, section: Option<PageId>) -> Vec<PageId> {
    let mut ids: Vec<PageId> = site
        .pages()
        .filter(|(id, e)| e.page.front.date.is_some() && in_section(site, *id, section))
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
    map.insert("author".into(), Value::from(site.config.title.as_str()));
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
