//! The knowledge-base kinds: role, comparison and course schemas, their
//! validation, and the pages, charts and JSON-LD derived from them (no I/O).
//!
//! - [`check_fields`] runs while a page loads: value ranges, dates, codes,
//!   each error at the offending key's line.
//! - [`references`] records every reference to another page with its line;
//!   [`resolve`] checks them once all pages are known and derives
//!   [`EntryData`] (resolved roles, comparisons, courses).
//! - The rest turns that data into template values, SVG charts
//!   ([`chart`], [`career_map`]), JSON-LD ([`jsonld`]) and `roles.json`.

pub mod career_map;
pub mod chart;
pub mod comparison;
pub mod course;
pub mod jsonld;
pub mod role;
pub mod schema;

use std::collections::HashMap;

use tera::Value;

pub use schema::{Career, Dimension, Period, Salary, SalaryRegion};

use crate::content::front_matter::KeyPath;
use crate::content::page::{Kind, RawFrontMatter};
use crate::error::{Error, Location};
use crate::site::{Job, JobKind, PageId, Site};

/// A reference from one page to another (career step, related role,
/// compared role, chapter), checked once every page is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The front matter field (`career.next`, `related`, `roles`, `chapters`).
    pub field: &'static str,
    /// The target as written (slug or content path).
    pub target: String,
    /// Where it is written.
    pub location: Location,
}

/// Knowledge-base data of an entry, derived by [`resolve`].
#[derive(Debug, Clone, Default)]
pub struct EntryData {
    /// For `kind: role`.
    pub role: Option<role::RoleData>,
    /// For `kind: comparison`.
    pub comparison: Option<comparison::ComparisonData>,
    /// For a `kind: course` section.
    pub course: Option<course::CourseData>,
    /// For a chapter of a course.
    pub chapter: Option<course::ChapterData>,
}

/// A generated knowledge-base output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// Every role with salary data on one chart, and a table.
    SalaryOverview,
    /// The graph of career transitions between roles.
    CareerMap,
    /// `roles.json`: the structured data of every role.
    RolesJson,
    /// The printable handout of a course (`<course>/print/`).
    Handout(PageId),
}

/// URL (relative to the base path) of the salary overview page.
pub const SALARIES_URL: &str = "salaries/";
/// URL of the career map page.
pub const CAREER_MAP_URL: &str = "career-map/";

/// Check kind fields that serde cannot: value ranges, dates, codes.
/// `failed` names the keys whose values did not parse (already reported).
pub fn check_fields(
    raw: &RawFrontMatter,
    kind: Kind,
    failed: &[String],
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Vec<Error> {
    let failed = |key: &str| failed.iter().any(|k| k == key || k == "*");
    match kind {
        Kind::Role => role::check(raw, locate),
        Kind::Comparison if failed("roles") => Vec::new(),
        Kind::Comparison => comparison::check(raw, locate),
        Kind::Course | Kind::Chapter | Kind::Article => Vec::new(),
    }
}

/// The references a page makes, with their locations.
pub fn references(
    raw: &RawFrontMatter,
    kind: Kind,
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Vec<Reference> {
    let mut refs = Vec::new();
    let mut add = |field: &'static str, keys: &[&str], values: Option<&Vec<String>>| {
        for (i, target) in values.into_iter().flatten().enumerate() {
            let mut path: Vec<KeyPath> = keys.iter().map(|k| KeyPath::Key(k)).collect();
            path.push(KeyPath::Index(i));
            let location = locate(&path);
            // Flow lists (`[a, b]`) have no item lines: point at the key.
            let location = if location.line == 0 {
                locate(&path[..path.len() - 1])
            } else {
                location
            };
            refs.push(Reference {
                field,
                target: target.clone(),
                location,
            });
        }
    };
    match kind {
        Kind::Role => {
            let career = raw.career.as_ref();
            add("career.next", &["career", "next"], career.map(|c| &c.next));
            add("career.from", &["career", "from"], career.map(|c| &c.from));
            add("related", &["related"], raw.related.as_ref());
        }
        Kind::Comparison => add("roles", &["roles"], raw.roles.as_ref()),
        Kind::Course => add("chapters", &["chapters"], raw.chapters.as_ref()),
        Kind::Article | Kind::Chapter => {}
    }
    refs
}

/// Resolve references and derive knowledge-base data for every entry.
pub fn resolve(site: &mut Site, errors: &mut Vec<Error>) {
    let roles = RoleIndex::new(site);
    let today = Some(site.today);
    for id in 0..site.entries.len() {
        let kind = site.entries[id].page.front.kind;
        let data = match kind {
            Kind::Role => EntryData {
                role: Some(role::resolve(site, id, &roles, today, errors)),
                ..EntryData::default()
            },
            Kind::Comparison => EntryData {
                comparison: Some(comparison::resolve(site, id, &roles, errors)),
                ..EntryData::default()
            },
            _ => EntryData::default(),
        };
        site.entries[id].kb = data;
    }
    role::link_inverse_edges(site);
    course::resolve(site, errors);
}

/// Finds role pages by slug, file stem or content path.
pub struct RoleIndex {
    by_name: HashMap<String, PageId>,
    names: Vec<String>,
}

impl RoleIndex {
    fn new(site: &Site) -> Self {
        let mut by_name = HashMap::new();
        for (id, entry) in site.entries.iter().enumerate() {
            if entry.page.front.kind != Kind::Role || entry.page.is_section {
                continue;
            }
            let path = entry.page.content_path.as_str();
            let without_md = path.trim_end_matches(".md").trim_end_matches("/index");
            let slug = entry
                .rel_url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            for name in [path, without_md, entry.page.stem(), slug] {
                by_name.entry(name.to_string()).or_insert(id);
            }
        }
        let mut names: Vec<String> = site
            .entries
            .iter()
            .filter(|e| e.page.front.kind == Kind::Role && !e.page.is_section)
            .map(|e| {
                e.rel_url
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        names.sort();
        RoleIndex { by_name, names }
    }

    /// Resolve a reference to a role page, or an error at its location.
    pub fn find(&self, reference: &Reference) -> Result<PageId, Error> {
        let target = reference
            .target
            .trim()
            .trim_start_matches("content/")
            .trim_matches('/');
        let target = target.strip_prefix("../").unwrap_or(target);
        if let Some(&id) = self.by_name.get(target) {
            return Ok(id);
        }
        let hint = match crate::error::closest(target, self.names.iter().map(String::as_str)) {
            Some(name) => format!("did you mean `{name}`?"),
            None if self.names.is_empty() => "the site has no pages with `kind: role`".to_string(),
            None => format!(
                "roles are referenced by slug or path; known roles: {}",
                self.names.join(", ")
            ),
        };
        Err(Error::at(
            reference.location.clone(),
            format!("`{}`: no role page `{}`", reference.field, reference.target),
        )
        .with_hint(hint))
    }
}

/// Jobs for the generated knowledge-base outputs.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    let has_roles = site.entries.iter().any(|e| e.kb.role.is_some());
    if has_roles {
        jobs.push(Job {
            output: format!("{SALARIES_URL}index.html"),
            kind: JobKind::Kb(Generated::SalaryOverview),
        });
        jobs.push(Job {
            output: format!("{CAREER_MAP_URL}index.html"),
            kind: JobKind::Kb(Generated::CareerMap),
        });
        jobs.push(Job {
            output: "roles.json".to_string(),
            kind: JobKind::Kb(Generated::RolesJson),
        });
    }
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.kb.course.is_some() {
            jobs.push(Job {
                output: format!("{}print/index.html", entry.rel_url),
                kind: JobKind::Kb(Generated::Handout(id)),
            });
        }
    }
    jobs
}

/// Produce a generated output that is not a template page.
pub fn produce(
    generated: &Generated,
    job: &Job,
    site: &Site,
    renderer: &crate::render::Renderer,
) -> Result<crate::site::jobs::OutputFiles, Error> {
    let bytes = match generated {
        Generated::RolesJson => role::roles_json(site).into_bytes(),
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
        Generated::SalaryOverview => {
            ctx.insert_value("overview", role::salary_overview_value(site));
            let crumbs = jsonld::breadcrumbs_only(site, SALARIES_URL, &title("salaries_title"));
            ctx.insert_value("jsonld", Value::safe_string(&crumbs));
            "salaries.html".to_string()
        }
        Generated::CareerMap => {
            ctx.insert_value("career_map", career_map::value(site));
            let crumbs = jsonld::breadcrumbs_only(site, CAREER_MAP_URL, &title("career_map_title"));
            ctx.insert_value("jsonld", Value::safe_string(&crumbs));
            "career_map.html".to_string()
        }
        Generated::Handout(id) => {
            ctx.insert_value("course", course::handout_value(site, *id));
            "handout.html".to_string()
        }
        Generated::RolesJson => "page.html".to_string(),
    }
}

/// URLs of generated pages for the sitemap.
pub fn sitemap_urls(site: &Site) -> Vec<String> {
    if site.entries.iter().any(|e| e.kb.role.is_some()) {
        vec![SALARIES_URL.to_string(), CAREER_MAP_URL.to_string()]
    } else {
        Vec::new()
    }
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
pub fn site_links(site: &Site) -> Value {
    role::site_value(site)
}

/// Roles by slug and path, for `compare_roles`.
pub fn role_lookup(site: &Site) -> HashMap<String, comparison::RoleRow> {
    comparison::role_lookup(site)
}

/// The `compare_roles(roles=[...])` template function.
pub fn compare_function(
    roles: &HashMap<String, comparison::RoleRow>,
    kwargs: &tera::Kwargs,
) -> tera::TeraResult<Value> {
    comparison::compare_function(roles, kwargs)
}

/// Months from `from` to `to` (whole months, floor).
pub fn months_between(from: &crate::content::page::Date, to: &crate::content::page::Date) -> i32 {
    let months =
        (to.year() as i32 - from.year() as i32) * 12 + (to.month() as i32 - from.month() as i32);
    if to.day() < from.day() {
        months - 1
    } else {
        months
    }
}
