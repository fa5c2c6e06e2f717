//! Machine-readable outputs written without templates: `sitemap.xml`,
//! `robots.txt` and Atom feeds. Deterministic: sorted, no clock unless no
//! page has a date (then "today", which honours `SOURCE_DATE_EPOCH`).

use std::fmt::Write;

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

/// `sitemap.xml`: every page, section and list page of the site.
pub fn sitemap(site: &Site) -> String {
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
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, date) in urls {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape(&url));
        if let Some(date) = date {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", date.date());
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt` allowing everything and naming the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute_url(&site.config.base_url, "sitemap.xml")
    )
}

/// An Atom feed of the whole site (`None`) or of one section, newest first.
pub fn feed(site: &Site, section: Option<PageId>, today: Date) -> String {
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
        .unwrap_or(today);
    let feed_url = absolute_url(&site.config.base_url, &feed_rel);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&site.config.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(&title));
    if let Some(description) = &site.config.description {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape(description));
    }
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&feed_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&page_url)
    );
    let _ = writeln!(xml, "  <id>{}</id>", escape(&feed_url));
    let _ = writeln!(xml, "  <updated>{}</updated>", rfc3339(&updated));
    let _ = writeln!(
        xml,
        "  <generator uri=\"https://example.org/rolebook\">Rolebook</generator>"
    );
    for id in entries {
        write_entry(&mut xml, site, id);
    }
    xml.push_str("</feed>\n");
    xml
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

fn write_entry(xml: &mut String, site: &Site, id: PageId) {
    let entry = &site.entries[id];
    let front = &entry.page.front;
    let published = front.date.expect("feed entries have a date");
    let updated = front.updated.unwrap_or(published);
    xml.push_str("  <entry>\n");
    let _ = writeln!(xml, "    <title>{}</title>", escape(&front.title));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&entry.permalink)
    );
    let _ = writeln!(xml, "    <id>{}</id>", escape(&entry.permalink));
    let _ = writeln!(xml, "    <published>{}</published>", rfc3339(&published));
    let _ = writeln!(xml, "    <updated>{}</updated>", rfc3339(&updated));
    let _ = writeln!(
        xml,
        "    <author><name>{}</name></author>",
        escape(&site.config.title)
    );
    for tag in &front.tags {
        let _ = writeln!(xml, "    <category term=\"{}\"/>", escape(tag));
    }
    if let Some(description) = &front.description {
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(description));
    }
    let content = crate::render::context::summary_html(site, id)
        .unwrap_or_else(|| crate::render::context::content_html(site, id));
    let _ = writeln!(
        xml,
        "    <content type=\"html\">{}</content>",
        escape(&content)
    );
    xml.push_str("  </entry>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
