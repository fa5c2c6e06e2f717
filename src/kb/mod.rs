//! The knowledge-base kinds: role, comparison and course schemas, their
//! validation, and the pages, charts and JSON-LD derived from them (no I/O).

use serde::{Deserialize, Serialize};

use crate::content::page::DateText;

/// Salary data of a role.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Salary {
    /// The date the figures are from.
    pub as_of: Option<DateText>,
    /// ISO 4217 currency code (`RUB`).
    pub currency: Option<String>,
    /// `month` or `year`.
    pub period: Option<Period>,
    /// Where the figures come from.
    pub source: Option<String>,
    /// Ranges per region.
    #[serde(default)]
    pub regions: Vec<SalaryRegion>,
}

/// The period a salary figure is paid for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Per month (the default).
    #[default]
    Month,
    /// Per year.
    Year,
}

/// A salary range in one region.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SalaryRegion {
    /// Region name (`Москва`).
    pub region: String,
    /// Lower bound, > 0.
    pub min: u64,
    /// Upper bound, ≥ min.
    pub max: u64,
}

/// A role's career path.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Career {
    /// Ordered steps within the role.
    #[serde(default)]
    pub ladder: Vec<String>,
    /// Roles one moves on to (references to role pages).
    #[serde(default)]
    pub next: Vec<String>,
    /// Roles one comes from (references to role pages).
    #[serde(default)]
    pub from: Vec<String>,
}

/// One row of a comparison: a name and one value per compared role.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// What is compared.
    pub name: String,
    /// One value per role, in the order of `roles`.
    pub values: Vec<String>,
}

use tera::Value;

use crate::content::front_matter::KeyPath;
use crate::content::page::{Kind, RawFrontMatter};
use crate::error::{Error, Location};
use crate::render::context::SiteValues;
use crate::site::{Job, PageId, Site};

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

/// Knowledge-base data of an entry, filled in by [`resolve`].
#[derive(Debug, Clone, Default)]
pub struct EntryData {}

/// A generated knowledge-base output (directory pages, data files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {}

/// Check kind fields that serde cannot: value ranges, dates, codes.
pub fn check_fields(
    raw: &RawFrontMatter,
    kind: Kind,
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Vec<Error> {
    let _ = (raw, kind, locate);
    Vec::new()
}

/// The references a page makes, with their locations.
pub fn references(
    raw: &RawFrontMatter,
    kind: Kind,
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Vec<Reference> {
    let _ = (raw, kind, locate);
    Vec::new()
}

/// Resolve references and derive knowledge-base data.
pub fn resolve(site: &mut Site, errors: &mut Vec<Error>) {
    let _ = (site, errors);
}

/// Jobs for generated knowledge-base outputs.
pub fn jobs(site: &Site) -> Vec<Job> {
    let _ = site;
    Vec::new()
}

/// Produce a generated output.
pub fn produce(
    generated: &Generated,
    job: &Job,
    site: &Site,
    renderer: &crate::render::Renderer,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let _ = (job, site, renderer);
    match *generated {}
}

/// Template context of a generated page; returns the template name.
pub fn prepare_context(
    generated: &Generated,
    site: &Site,
    values: &SiteValues,
    ctx: &mut tera::Context,
) -> String {
    let _ = (site, values, ctx);
    match *generated {}
}

/// URLs of generated pages for the sitemap.
pub fn sitemap_urls(site: &Site) -> Vec<String> {
    let _ = site;
    Vec::new()
}

/// Role card data for summaries.
pub fn summary_value(site: &Site, id: PageId) -> Option<Value> {
    let _ = (site, id);
    None
}

/// Add kind data to a page value.
pub fn extend_page_value(site: &Site, values: &SiteValues, id: PageId, value: Value) -> Value {
    let _ = (site, values, id);
    value
}

/// JSON-LD of a page.
pub fn json_ld(site: &Site, id: PageId) -> String {
    let _ = (site, id);
    String::new()
}

/// Links to the generated directory pages.
pub fn site_links(site: &Site) -> Value {
    let _ = site;
    Value::none()
}

/// Roles by slug for `compare_roles`.
pub fn role_lookup(site: &Site, values: &SiteValues) -> std::collections::HashMap<String, Value> {
    let _ = (site, values);
    std::collections::HashMap::new()
}

/// The `compare_roles` template function.
pub fn compare_function(
    roles: &std::collections::HashMap<String, Value>,
    kwargs: &tera::Kwargs,
) -> tera::TeraResult<Value> {
    let _ = (roles, kwargs);
    Ok(Value::none())
}
