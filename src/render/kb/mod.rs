//! The views of the knowledge-base kinds: template values, SVG charts, the
//! career map, JSON-LD and `roles.json`, made from the resolved model.

pub mod career_map;
pub mod chart;
pub mod comparison;
pub mod course;
pub mod jsonld;
pub mod quote;
pub mod role;

use std::collections::HashMap;

use tera::Value;

use crate::content::page::Kind;
use crate::error::Error;
use crate::model::jobs::{CAREER_MAP_URL, SALARIES_URL};
use crate::model::{Generated, Job, Lang, PageId, Site};

/// The default template of a page of this kind.
pub fn page_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Role => "role.html",
        Kind::Comparison => "comparison.html",
        Kind::Chapter => "chapter.html",
        Kind::Article | Kind::Course => "page.html",
    }
}

/// The default template of a section (not the home page): a course, a
/// list of roles, or a plain section.
pub fn section_template(section: &crate::content::page::Page) -> &'static str {
    match (section.front.kind, section.front.section.page_kind) {
        (Kind::Course, _) => "course.html",
        (_, Some(Kind::Role)) => "roles.html",
        _ => "section.html",
    }
}

/// Produce a generated output that is not a template page.
pub fn produce(
    generated: &Generated,
    job: &Job,
    site: &Site,
    renderer: &crate::render::Renderer,
) -> Result<crate::model::OutputFiles, Error> {
    let bytes = match generated {
        Generated::RolesJson(lang) => role::roles_json(site, *lang).into_bytes(),
        _ => renderer.render(job, site)?,
    };
    Ok(vec![(job.output.clone(), bytes)])
}

/// Template context of a generated page; returns the template name.
pub fn prepare_context(
    generated: &Generated,
    site: &Site,
    strings: &crate::config::Strings,
    ctx: &mut tera::Context,
) -> String {
    let title = |key: &str| {
        strings.entries.get(key).map_or_else(
            || key.to_string(),
            |s| crate::render::theme::ui_text(s, "", None).to_string(),
        )
    };
    match generated {
        Generated::SalaryOverview(lang) => {
            ctx.insert_value("overview", role::salary_overview_value(site, *lang));
            let url = format!(
                "{}{SALARIES_URL}",
                site.config.language_prefix(site.lang_code(*lang))
            );
            let crumbs = jsonld::breadcrumbs_only(site, *lang, &url, &title("salaries_title"));
            ctx.insert_value("jsonld", Value::safe_string(&crumbs));
            "salaries.html".to_string()
        }
        Generated::CareerMap(lang) => {
            ctx.insert_value("career_map", career_map::value(site, *lang));
            let url = format!(
                "{}{CAREER_MAP_URL}",
                site.config.language_prefix(site.lang_code(*lang))
            );
            let crumbs = jsonld::breadcrumbs_only(site, *lang, &url, &title("career_map_title"));
            ctx.insert_value("jsonld", Value::safe_string(&crumbs));
            "career_map.html".to_string()
        }
        Generated::Handout(id) => {
            let chapter_ref = title("handout_chapter_ref");
            ctx.insert_value("course", course::handout_value(site, *id, &chapter_ref));
            "handout.html".to_string()
        }
        Generated::RolesJson(_) => "page.html".to_string(),
    }
}

/// URLs of generated pages for the sitemap, per language that has roles.
pub fn sitemap_urls(site: &Site) -> Vec<(Lang, String)> {
    let mut urls = Vec::new();
    for lang in site.langs() {
        if site
            .entries
            .iter()
            .any(|e| e.kb.role.is_some() && e.lang == lang)
        {
            let prefix = site.config.language_prefix(site.lang_code(lang));
            urls.push((lang, format!("{prefix}{SALARIES_URL}")));
            urls.push((lang, format!("{prefix}{CAREER_MAP_URL}")));
        }
    }
    urls
}

/// Role card data for a page's summary (`p.role` in lists).
pub fn summary_value(site: &Site, id: PageId) -> Option<Value> {
    site.entries[id]
        .kb
        .role
        .as_ref()
        .map(|_| role::card_for(site, id))
}

/// Add kind data to a page value (`page.role`, `page.comparison`, `page.course`, `page.chapter`).
pub fn extend_page_value(site: &Site, id: PageId, value: Value) -> Value {
    let kb = &site.entries[id].kb;
    let mut value = value;
    if let Some(role) = &kb.role {
        value = crate::render::context::with_fields(
            value,
            [("role", role::page_value(site, id, role))],
        );
    }
    if let Some(comparison) = &kb.comparison {
        value = crate::render::context::with_fields(
            value,
            [("comparison", comparison::value(site, id, comparison))],
        );
    }
    if let Some(course) = &kb.course {
        value = crate::render::context::with_fields(
            value,
            [("course", course::course_value(site, id, course))],
        );
    }
    if let Some(chapter) = &kb.chapter {
        value = crate::render::context::with_fields(
            value,
            [("chapter", course::chapter_value(site, id, chapter))],
        );
    }
    value
}

/// JSON-LD of a page: its main item and its breadcrumbs.
pub fn json_ld(site: &Site, id: PageId) -> String {
    jsonld::for_entry(site, id)
}

/// `site.kb` in templates: roles by category and links to the generated pages.
pub fn site_links(site: &Site, lang: Lang) -> Value {
    role::site_value(site, lang)
}

/// Roles by slug and path, for `compare_roles`.
pub fn role_lookup(site: &Site) -> HashMap<String, comparison::RoleRow> {
    comparison::role_lookup(site)
}

/// The `compare_roles(roles=[...])` template function, in the language
/// whose `lang_prefix` (`en:`) is given.
pub fn compare_function(
    roles: &HashMap<String, comparison::RoleRow>,
    kwargs: &tera::Kwargs,
    lang_prefix: &str,
) -> tera::TeraResult<Value> {
    comparison::compare_function(roles, kwargs, lang_prefix)
}
