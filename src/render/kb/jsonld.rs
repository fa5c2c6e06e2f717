//! schema.org JSON-LD: `Occupation` for roles (salary as a `MonetaryAmount`
//! with a `QuantitativeValue` range per region), `Article` for articles,
//! comparisons and chapters (the site as author and publisher), `Course` for
//! course sections, `WebSite` on the home page, and a `BreadcrumbList` on
//! every page below the home page (generated pages, taxonomy pages and
//! `/search/` included).
//!
//! The output is a JSON array of top-level items, safe to embed in
//! `<script type="application/ld+json">` (`<` is escaped).

use serde_json::{Value as Json, json};

use crate::content::kinds::Period;
use crate::content::page::Kind;
use crate::model::{Lang, PageId, Site, absolute_url};
use crate::render::context::iso;

/// The JSON-LD items of an entry, serialized.
pub fn for_entry(site: &Site, id: PageId) -> String {
    let mut items = Vec::new();
    if let Some(item) = main_item(site, id) {
        items.push(item);
    }
    if let Some(crumbs) = breadcrumbs(site, id) {
        items.push(crumbs);
    }
    serialize(&items)
}

/// Breadcrumbs of a generated page (home → page).
pub fn breadcrumbs_only(site: &Site, lang: Lang, rel_url: &str, title: &str) -> String {
    breadcrumb_trail(site, lang, &[(title, rel_url)])
}

/// Breadcrumbs of a page that is no entry (a generated page, a taxonomy
/// page, `/search/`): the home page, then each (title, URL relative to the
/// base) of `trail`.
pub fn breadcrumb_trail(site: &Site, lang: Lang, trail: &[(&str, &str)]) -> String {
    let mut list = vec![];
    if let Some(home) = site.home_of(lang) {
        list.push(crumb(
            1,
            &site.entries[home].page.front.title,
            &site.entries[home].permalink,
        ));
    }
    for (title, rel_url) in trail {
        list.push(crumb(
            list.len() + 1,
            title,
            &absolute_url(&site.config.base_url, rel_url),
        ));
    }
    serialize(&[
        json!({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": list}),
    ])
}

fn serialize(items: &[Json]) -> String {
    if items.is_empty() {
        return String::new();
    }
    serde_json::to_string(items)
        .expect("JSON values serialize")
        .replace('<', "\\u003c")
}

fn main_item(site: &Site, id: PageId) -> Option<Json> {
    let entry = &site.entries[id];
    let front = &entry.page.front;
    if entry.page.is_home() {
        return Some(website(site, id));
    }
    match front.kind {
        Kind::Role if entry.kb.role.is_some() => Some(occupation(site, id)),
        Kind::Course => entry
            .kb
            .course
            .as_ref()
            .map(|_| crate::render::kb::course::json_ld(site, id)),
        _ if entry.page.is_section => None,
        Kind::Chapter => Some(article(site, id)),
        _ => Some(article(site, id)),
    }
}

/// The site in the home page's language (`id`), at that language's home URL.
fn website(site: &Site, id: PageId) -> Json {
    let home = &site.entries[id];
    let code = site.lang_code(home.lang);
    let mut item = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.config.title_in(code),
        "url": home.permalink,
        "inLanguage": code,
    });
    if let Some(description) = site.config.description_in(code) {
        item["description"] = json!(description);
    }
    if site.config.search_enabled() {
        item["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": format!("{}search/?q={{search_term_string}}", home.permalink)},
            "query-input": "required name=search_term_string",
        });
    }
    item
}

fn occupation(site: &Site, id: PageId) -> Json {
    let entry = &site.entries[id];
    let raw = &entry.page.front.raw;
    let role = entry
        .kb
        .role
        .as_ref()
        .expect("occupation is built for roles");
    let mut item = json!({
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": entry.page.front.title,
        "url": entry.permalink,
        "mainEntityOfPage": {"@type": "WebPage", "@id": entry.permalink, "inLanguage": site.lang_code(entry.lang)},
    });
    let description = raw
        .summary
        .as_ref()
        .or(entry.page.front.description.as_ref());
    if let Some(description) = description {
        item["description"] = json!(description);
    }
    if let Some(aliases) = raw.also_known_as.as_ref().filter(|a| !a.is_empty()) {
        item["alternateName"] = json!(aliases);
    }
    if let Some(category) = &raw.category {
        item["occupationalCategory"] = json!(category);
    }
    if let Some(qualities) = raw.qualities.as_ref().filter(|q| !q.is_empty()) {
        item["qualifications"] = json!(qualities.join(", "));
        item["skills"] = json!(qualities);
    }
    if let Some(duties) = raw.duties.as_ref().filter(|d| !d.is_empty()) {
        item["responsibilities"] = json!(duties);
    }
    if let Some(salary) = &role.salary {
        // A range per region, as the source gives it: `MonetaryAmount`
        // with a `QuantitativeValue` (schema.org defines `minValue` and
        // `maxValue` there, not on a distribution).
        let unit = match salary.period {
            Period::Month => "MONTH",
            Period::Year => "YEAR",
        };
        let amounts: Vec<Json> = salary
            .regions
            .iter()
            .map(|r| {
                json!({
                    "@type": "MonetaryAmount",
                    "name": r.region,
                    "currency": salary.currency,
                    "value": {
                        "@type": "QuantitativeValue",
                        "minValue": r.min,
                        "maxValue": r.max,
                        "unitText": unit,
                    },
                })
            })
            .collect();
        item["estimatedSalary"] = json!(amounts);
        item["occupationLocation"] = json!(
            salary
                .regions
                .iter()
                .map(|r| json!({"@type": "AdministrativeArea", "name": r.region}))
                .collect::<Vec<_>>()
        );
        if let Some(as_of) = salary.as_of {
            item["datePosted"] = json!(iso(&as_of));
        }
    }
    item
}

/// An `Article` item; chapters add `isPartOf` their course.
pub fn article(site: &Site, id: PageId) -> Json {
    let entry = &site.entries[id];
    let front = &entry.page.front;
    let mut item = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": front.title,
        "url": entry.permalink,
        "mainEntityOfPage": entry.permalink,
        "inLanguage": site.lang_code(entry.lang),
        "wordCount": entry.rendered.word_count,
        "author": organization(site, entry.lang),
        "publisher": organization(site, entry.lang),
    });
    if let Some(description) = &front.description {
        item["description"] = json!(description);
    }
    if let Some(date) = front.date {
        item["datePublished"] = json!(iso(&date));
    }
    if let Some(updated) = front.updated.or(front.date) {
        item["dateModified"] = json!(iso(&updated));
    }
    if !front.tags.is_empty() {
        item["keywords"] = json!(front.tags.join(", "));
    }
    if let Some(chapter) = &entry.kb.chapter {
        let course = &site.entries[chapter.course];
        item["isPartOf"] =
            json!({"@type": "Course", "name": course.page.front.title, "url": course.permalink});
        item["position"] = json!(chapter.number);
    }
    item
}

/// The site as the author of its pages, named in `lang`.
pub fn organization(site: &Site, lang: Lang) -> Json {
    let code = site.lang_code(lang);
    let home = site
        .home_of(lang)
        .map_or(site.config.base_url.as_str(), |h| {
            &site.entries[h].permalink
        });
    json!({"@type": "Organization", "name": site.config.title_in(code), "url": home})
}

fn breadcrumbs(site: &Site, id: PageId) -> Option<Json> {
    let chain = crate::render::context::breadcrumbs(site, id);
    if chain.len() < 2 || site.entries[id].page.is_home() {
        return None;
    }
    let items: Vec<Json> = chain
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let url = format!(
                "{}{}",
                site.config.base_url,
                link.url
                    .strip_prefix(site.config.base_path())
                    .unwrap_or(&link.url)
            );
            crumb(i + 1, &link.title, &url)
        })
        .collect();
    Some(
        json!({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}),
    )
}

fn crumb(position: usize, name: &str, url: &str) -> Json {
    json!({"@type": "ListItem", "position": position, "name": name, "item": url})
}
