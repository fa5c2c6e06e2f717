//! Structure lints: `heading-skip`, `empty-section`, `image-alt`,
//! `empty-field` (one page at a time), `repeated-heading` (with the theme's
//! block titles), `orphan-page` and `role-missing-field` (across the site).

use std::collections::BTreeMap;

use super::page::PageText;
use super::rules::{
    EMPTY_FIELD, EMPTY_SECTION, HEADING_SKIP, IMAGE_ALT, ORPHAN_PAGE, REPEATED_HEADING,
    ROLE_MISSING_FIELD,
};
use crate::content::front_matter::KeyPath;
use crate::content::kinds::kind_fields;
use crate::content::page::{Kind, RawFrontMatter};
use crate::error::Error;
use crate::model::{PageId, Site};

/// A heading more than one level below the one before it (the title is level 1).
pub(crate) fn heading_skip(page: &PageText<'_>) -> Vec<Error> {
    let mut findings = Vec::new();
    let mut previous = 1;
    for heading in &page.outline.headings {
        if heading.level > previous + 1 {
            let marks = "#".repeat(previous as usize + 1);
            findings.push(
                Error::warning(
                    HEADING_SKIP,
                    page.location(heading.start),
                    format!(
                        "heading level jumps from {previous} to {}: `{}`",
                        heading.level, heading.text
                    ),
                )
                .with_hint(format!(
                    "make it a level-{} heading (`{marks} …`), or add the missing level above it; the page title is level 1",
                    previous + 1
                )),
            );
        }
        previous = heading.level;
    }
    findings
}

/// A heading followed by nothing but a heading of the same or a higher level.
pub(crate) fn empty_headings(page: &PageText<'_>) -> Vec<Error> {
    let headings = &page.outline.headings;
    let mut findings = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        let next_level = headings.get(i + 1).map(|h| h.level);
        let opens_subsection = next_level.is_some_and(|l| l > heading.level);
        if heading.content_after || opens_subsection {
            continue;
        }
        findings.push(
            Error::warning(
                EMPTY_SECTION,
                page.location(heading.start),
                format!("the section `{}` is empty", heading.text),
            )
            .with_hint("write what is known, say that there is no data, or remove the heading"),
        );
    }
    findings
}

/// Text fields written with nothing in them: an empty card or description
/// on the page, where leaving the key out would at least be honest.
pub(crate) fn empty_fields(page: &PageText<'_>) -> Vec<Error> {
    let front = &page.page.front;
    let raw = &front.raw;
    let fields = [
        ("description", &front.description),
        ("summary", &raw.summary),
        ("category", &raw.category),
    ];
    fields
        .into_iter()
        .filter(|(_, value)| value.as_deref().is_some_and(|v| v.trim().is_empty()))
        .map(|(field, _)| {
            Error::warning(
                EMPTY_FIELD,
                page.key_location(&[KeyPath::Key(field)]),
                format!("`{field}` is empty"),
            )
            .with_hint(format!(
                "write one sentence for `{field}`, or remove the key until you have it"
            ))
        })
        .collect()
}

/// Headings of a role's guide that repeat a block title the theme already
/// shows on the page (`block_titles`, lowercased): the reader would meet
/// the same section twice.
pub(crate) fn repeated_headings(page: &PageText<'_>, block_titles: &[String]) -> Vec<Error> {
    if page.page.front.kind != Kind::Role || page.page.is_section {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for heading in &page.outline.headings {
        let text = heading
            .text
            .trim()
            .trim_end_matches([':', '.'])
            .to_lowercase();
        if !block_titles.contains(&text) {
            continue;
        }
        findings.push(
            Error::warning(
                REPEATED_HEADING,
                page.location(heading.start),
                format!(
                    "the heading `{}` repeats a block the theme shows on the role page",
                    heading.text
                ),
            )
            .with_hint(
                "keep in the guide only what the block does not say, under a heading of its own (the block's data comes from the front matter)",
            ),
        );
    }
    findings
}

/// Images with empty or missing alt text.
pub(crate) fn image_alt(page: &PageText<'_>) -> Vec<Error> {
    page.outline
        .images
        .iter()
        .filter(|image| image.alt.as_deref().is_none_or(|a| a.trim().is_empty()))
        .map(|image| {
            let hint = if image.alt.is_none() {
                "add `alt=\"…\"` that says what the image shows".to_string()
            } else {
                format!(
                    "say what the image shows: `![Схема карьерной лестницы]({})`",
                    image.src
                )
            };
            Error::warning(
                IMAGE_ALT,
                page.location(image.start),
                format!("image `{}` has no alt text", image.src),
            )
            .with_hint(hint)
        })
        .collect()
}

/// Sections (`_index.md`) that list no pages and no subsections.
pub(crate) fn empty_folders(site: &Site, pages: &[PageText<'_>]) -> Vec<Error> {
    pages
        .iter()
        .filter(|p| p.page.is_section)
        .filter(|p| {
            let entry = &site.entries[p.index];
            entry.children.is_empty() && entry.subsections.is_empty()
        })
        .map(|p| {
            let folder = match p.page.folder() {
                "" => "content/".to_string(),
                f => format!("content/{f}/"),
            };
            Error::warning(
                EMPTY_SECTION,
                p.key_location(&[KeyPath::Key("title")]),
                format!("the section `{}` has no pages", p.page.front.title),
            )
            .with_hint(format!(
                "add pages to `{folder}` (drafts do not count), or remove the section"
            ))
        })
        .collect()
}

/// Pages that nothing links to: no Markdown link from another page or
/// section, no front matter reference (related roles, career steps,
/// compared roles), not a chapter of a course; with `section_lists`, not
/// listed by a section either. `extra_links` are links found by `check`
/// itself (root-relative URLs), as (from, to).
pub(crate) fn orphans(
    site: &Site,
    pages: &[PageText<'_>],
    extra_links: &[(PageId, PageId)],
    section_lists: bool,
) -> Vec<Error> {
    let mut linked = inbound(site, extra_links);
    if section_lists {
        for (id, entry) in site.entries.iter().enumerate() {
            linked[id] |= entry.parent.is_some();
        }
    }
    pages
        .iter()
        .filter(|p| !p.page.is_section && !linked[p.index])
        .map(|p| {
            Error::warning(
                ORPHAN_PAGE,
                p.key_location(&[KeyPath::Key("title")]),
                format!("no other page links to `{}`", p.page.front.title),
            )
            .with_hint(
                "link to it from a related page or from its section's `_index.md`, or remove it if it is obsolete",
            )
        })
        .collect()
}

fn inbound(site: &Site, extra_links: &[(PageId, PageId)]) -> Vec<bool> {
    let mut linked = vec![false; site.entries.len()];
    let mut mark = |from: PageId, to: PageId| {
        if from != to {
            linked[to] = true;
        }
    };
    for (from, entry) in site.entries.iter().enumerate() {
        for link in &entry.rendered.page_links {
            if let Some(&to) = site.by_path.get(&link.target) {
                mark(from, to);
            }
        }
        let kb = &entry.kb;
        if let Some(role) = &kb.role {
            let targets = role.next.iter().chain(&role.from).chain(&role.related);
            for &to in targets.chain(&role.comparisons) {
                mark(from, to);
            }
        }
        if let Some(comparison) = &kb.comparison {
            for &to in &comparison.roles {
                mark(from, to);
            }
        }
        // A course's table of contents links every chapter.
        if let Some(course) = &kb.course {
            for &to in &course.chapters {
                mark(from, to);
            }
        }
        if let Some(chapter) = &kb.chapter {
            mark(chapter.course, from);
        }
    }
    for &(from, to) in extra_links {
        mark(from, to);
    }
    linked
}

/// Roles without a field that every other role of their `category` has.
pub(crate) fn role_missing_fields(pages: &[PageText<'_>]) -> Vec<Error> {
    let mut categories: BTreeMap<String, Vec<&PageText<'_>>> = BTreeMap::new();
    for page in pages {
        let front = &page.page.front;
        if front.kind != Kind::Role || page.page.is_section {
            continue;
        }
        if let Some(category) = front.raw.category.as_deref().map(str::trim)
            && !category.is_empty()
        {
            categories
                .entry(category.to_lowercase())
                .or_default()
                .push(page);
        }
    }
    let mut findings = Vec::new();
    for roles in categories.values().filter(|r| r.len() >= 2) {
        for (i, role) in roles.iter().enumerate() {
            let others: Vec<&PageText<'_>> = roles
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, r)| *r)
                .collect();
            for field in kind_fields(Kind::Role).iter().filter(|f| **f != "category") {
                let raw = &role.page.front.raw;
                if has_field(raw, field)
                    || !others.iter().all(|o| has_field(&o.page.front.raw, field))
                {
                    continue;
                }
                findings.push(missing_field(role, field, &others));
            }
        }
    }
    findings
}

fn missing_field(role: &PageText<'_>, field: &str, others: &[&PageText<'_>]) -> Error {
    let category = role.page.front.raw.category.as_deref().unwrap_or("").trim();
    let mut names: Vec<&str> = others.iter().map(|o| o.page.stem()).take(4).collect();
    if others.len() > 4 {
        names.push("…");
    }
    let hint = match field {
        "summary" => "add a one-sentence `summary:` from your sources".to_string(),
        "salary" | "career" => format!(
            "add `{field}:` from your sources; if there is no data, write `{field}: {{}}` so it is clear nothing was forgotten"
        ),
        _ => format!(
            "add `{field}:` from your sources; if there is no data, write `{field}: []` so it is clear nothing was forgotten"
        ),
    };
    Error::warning(
        ROLE_MISSING_FIELD,
        role.key_location(&[KeyPath::Key("category")]),
        format!(
            "this role has no `{field}`, which every other role of `{category}` has ({})",
            names.join(", ")
        ),
    )
    .with_hint(hint)
}

/// True when the front matter writes the field (an empty value counts).
fn has_field(raw: &RawFrontMatter, field: &str) -> bool {
    match field {
        "also_known_as" => raw.also_known_as.is_some(),
        "summary" => raw.summary.is_some(),
        "duties" => raw.duties.is_some(),
        "salary" => raw.salary.is_some(),
        "employers" => raw.employers.is_some(),
        "qualities" => raw.qualities.is_some(),
        "pros" => raw.pros.is_some(),
        "cons" => raw.cons.is_some(),
        "not_for" => raw.not_for.is_some(),
        "career" => raw.career.is_some(),
        "related" => raw.related.is_some(),
        "category" => raw.category.is_some(),
        // A field added to the schema later is not compared until listed here.
        _ => true,
    }
}
