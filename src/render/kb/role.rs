//! Role views: the values templates show of a role (card, page, salary
//! overview, `site.kb`), salary figures as text, and `roles.json`.

use serde::Serialize;
use tera::Value;

use super::chart;
use crate::content::kinds::{Period, SalaryRegion};
use crate::content::page::Kind;
use crate::model::kinds::{RoleData, SalaryData};
use crate::model::{Lang, PageId, Site};
use crate::render::context::{LinkValue, iso, link};
use crate::render::i18n::{DateStyle, age_text, format_date, format_number};

/// Symbol of a currency for display.
pub fn currency_symbol(code: &str) -> &str {
    match code {
        "RUB" => "₽",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "KZT" => "₸",
        "UAH" => "₴",
        other => other,
    }
}

/// `24 000 – 100 000 ₽` in the site's language.
pub fn range_text(min: u64, max: u64, currency: &str, language: &str) -> String {
    let (a, b) = (
        format_number(min.into(), language),
        format_number(max.into(), language),
    );
    let symbol = currency_symbol(currency);
    if min == max {
        format!("{a}\u{a0}{symbol}")
    } else {
        format!("{a}\u{2009}–\u{2009}{b}\u{a0}{symbol}")
    }
}

/// `в месяц` / `per year`.
pub fn period_text(period: Period, language: &str) -> &'static str {
    match (period, language) {
        (Period::Month, "ru") => "в месяц",
        (Period::Year, "ru") => "в год",
        (Period::Month, _) => "per month",
        (Period::Year, _) => "per year",
    }
}

/// The figures of a role as its source gives them, in one line: every
/// region with its range, the period, the date, and the staleness mark
/// (`Россия: 24 000 – 100 000 ₽, Москва: 30 000 – 150 000 ₽ в месяц (данные
/// на 4 ноября 2020 г.; им больше шести лет)`). No range spans regions.
pub fn salary_text(salary: &SalaryData, language: &str) -> String {
    let regions: Vec<String> = salary
        .regions
        .iter()
        .map(|r| region_text(r, &salary.currency, language))
        .collect();
    let mut text = format!(
        "{} {}",
        regions.join(", "),
        period_text(salary.period, language)
    );
    let mut notes = Vec::new();
    if let Some(as_of) = salary.as_of {
        notes.push(as_of_text(&as_of, language));
    }
    if let (true, Some(months)) = (salary.stale, salary.age_months) {
        notes.push(match language {
            "ru" => format!("им {}", age_text(months, language)),
            _ => format!("{} old", age_text(months, language)),
        });
    }
    if !notes.is_empty() {
        text.push_str(&format!(" ({})", notes.join("; ")));
    }
    text
}

/// `Москва: 30 000 – 150 000 ₽`.
pub(crate) fn region_text(region: &SalaryRegion, currency: &str, language: &str) -> String {
    format!(
        "{}: {}",
        region.region,
        range_text(region.min, region.max, currency, language)
    )
}

/// `данные на 4 ноября 2020 г.` / `data as of November 4, 2020`.
pub(crate) fn as_of_text(date: &crate::content::page::Date, language: &str) -> String {
    let date = format_date(date, language, DateStyle::Long);
    match language {
        "ru" => format!("данные на {date}"),
        _ => format!("data as of {date}"),
    }
}

#[derive(Serialize)]
struct SalaryValue {
    as_of: Option<String>,
    as_of_display: Option<String>,
    as_of_year: Option<i16>,
    currency: String,
    currency_symbol: String,
    period: Period,
    period_text: &'static str,
    source: Option<String>,
    regions: Vec<RegionValue>,
    /// The first region's figures, named: what a card has room for.
    headline: String,
    /// Every region, the period, the date, the staleness: one line.
    text: String,
    min: u64,
    max: u64,
    range_text: String,
    stale: bool,
    age_months: Option<i32>,
    age_text: Option<String>,
    stale_after_months: u32,
}

#[derive(Serialize)]
struct RegionValue {
    region: String,
    min: u64,
    max: u64,
    range_text: String,
    /// `Москва: 30 000 – 150 000 ₽`.
    text: String,
}

fn salary_value(site: &Site, salary: &SalaryData, language: &str) -> SalaryValue {
    let (min, max) = salary.range();
    let period_text = period_text(salary.period, language);
    let regions: Vec<RegionValue> = salary
        .regions
        .iter()
        .map(|r| RegionValue {
            region: r.region.clone(),
            min: r.min,
            max: r.max,
            range_text: range_text(r.min, r.max, &salary.currency, language),
            text: region_text(r, &salary.currency, language),
        })
        .collect();
    let headline = regions
        .first()
        .map(|r| format!("{} {period_text}", r.text))
        .unwrap_or_default();
    SalaryValue {
        as_of: salary.as_of.map(|d| iso(&d)),
        as_of_display: salary
            .as_of
            .map(|d| format_date(&d, language, DateStyle::Long)),
        as_of_year: salary.as_of.map(|d| d.year()),
        currency: salary.currency.clone(),
        currency_symbol: currency_symbol(&salary.currency).to_string(),
        period: salary.period,
        period_text,
        source: salary.source.clone(),
        regions,
        headline,
        text: salary_text(salary, language),
        min,
        max,
        range_text: range_text(min, max, &salary.currency, language),
        stale: salary.stale,
        age_months: salary.age_months,
        age_text: salary.age_months.map(|m| age_text(m, language)),
        stale_after_months: site.config.kb.stale_after_months,
    }
}

#[derive(Serialize)]
struct CardValue<'a> {
    category: Option<&'a str>,
    summary: Option<&'a str>,
    also_known_as: &'a [String],
    salary: Option<SalaryValue>,
}

/// What lists show of a role (`p.role`): category, summary, aliases, salary range.
pub fn card_for(site: &Site, id: PageId) -> Value {
    let entry = &site.entries[id];
    let raw = &entry.page.front.raw;
    let salary = entry
        .kb
        .role
        .as_ref()
        .and_then(|r| r.salary.as_ref())
        .map(|s| salary_value(site, s, site.lang_code(entry.lang)));
    Value::from_serializable(&CardValue {
        category: raw.category.as_deref(),
        summary: raw.summary.as_deref(),
        also_known_as: raw.also_known_as.as_deref().unwrap_or(&[]),
        salary,
    })
}

#[derive(Serialize)]
struct PageRoleValue<'a> {
    category: Option<&'a str>,
    summary: Option<&'a str>,
    also_known_as: &'a [String],
    duties: &'a [String],
    employers: &'a [String],
    qualities: Vec<LinkOrText<'a>>,
    pros: &'a [String],
    cons: &'a [String],
    not_for: &'a [String],
    ladder: &'a [String],
    next: Vec<LinkValue>,
    from: Vec<LinkValue>,
    related: Vec<LinkValue>,
    comparisons: Vec<LinkValue>,
    compare_with: Vec<LinkValue>,
    salary: Option<SalaryValue>,
}

/// A term with its taxonomy page URL when there is one.
#[derive(Serialize)]
struct LinkOrText<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

/// `page.role` on a role page: every field, with references as links and the chart.
pub fn page_value(site: &Site, id: PageId, role: &RoleData) -> Value {
    let language = site.lang_code(site.entries[id].lang);
    let raw = &site.entries[id].page.front.raw;
    let links = |ids: &[PageId]| {
        ids.iter()
            .map(|&i| link(&site.entries[i]))
            .collect::<Vec<_>>()
    };
    let empty: &[String] = &[];
    let salary = role.salary.as_ref();
    let value = PageRoleValue {
        category: raw.category.as_deref(),
        summary: raw.summary.as_deref(),
        also_known_as: raw.also_known_as.as_deref().unwrap_or(empty),
        duties: raw.duties.as_deref().unwrap_or(empty),
        employers: raw.employers.as_deref().unwrap_or(empty),
        qualities: quality_links(
            site,
            site.entries[id].lang,
            raw.qualities.as_deref().unwrap_or(empty),
        ),
        pros: raw.pros.as_deref().unwrap_or(empty),
        cons: raw.cons.as_deref().unwrap_or(empty),
        not_for: raw.not_for.as_deref().unwrap_or(empty),
        ladder: raw.career.as_ref().map_or(empty, |c| &c.ladder),
        next: links(&role.next),
        from: links(&role.from),
        related: links(&role.related),
        comparisons: links(&role.comparisons),
        compare_with: compare_with(site, id, role),
        salary: salary.map(|s| salary_value(site, s, language)),
    };
    let chart = salary.map_or_else(Value::none, |s| {
        Value::safe_string(&chart::role_chart(
            "salary-chart",
            &site.entries[id].page.front.title,
            s,
            language,
        ))
    });
    crate::render::context::with_fields(Value::from_serializable(&value), [("salary_chart", chart)])
}

fn quality_links<'a>(site: &'a Site, lang: Lang, qualities: &'a [String]) -> Vec<LinkOrText<'a>> {
    let taxonomy = site
        .taxonomies
        .iter()
        .find(|t| t.name == "qualities" && t.lang == lang);
    qualities
        .iter()
        .map(|q| {
            let slug = crate::slug::slugify(q);
            let url = taxonomy
                .and_then(|t| t.terms.iter().find(|term| term.slug == slug))
                .map(|t| t.url.as_str());
            LinkOrText { name: q, url }
        })
        .collect()
}

/// Roles worth comparing with: related and career neighbours that have no
/// comparison page with this role yet (links go to the comparison section or page).
fn compare_with(site: &Site, id: PageId, role: &RoleData) -> Vec<LinkValue> {
    let mut ids: Vec<PageId> = role
        .related
        .iter()
        .chain(&role.next)
        .chain(&role.from)
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|&other| other != id);
    ids.iter()
        .map(|&other| link(&site.entries[other]))
        .collect()
}

#[derive(Serialize)]
struct CategoryValue {
    name: String,
    roles: Vec<Value>,
}

/// `site.kb`: roles grouped by category (in role order) and the generated pages.
pub fn site_value(site: &Site, lang: Lang) -> Value {
    let mut categories: Vec<CategoryValue> = Vec::new();
    let roles = site.roles(lang);
    for id in &roles {
        let entry = &site.entries[*id];
        let name = entry.page.front.raw.category.clone().unwrap_or_default();
        let card = crate::render::context::with_fields(
            Value::from_serializable(&link(entry)),
            [
                ("role", card_for(site, *id)),
                (
                    "description",
                    Value::from(entry.page.front.description.clone()),
                ),
            ],
        );
        match categories.iter_mut().find(|c| c.name == name) {
            Some(category) => category.roles.push(card),
            None => categories.push(CategoryValue {
                name,
                roles: vec![card],
            }),
        }
    }
    let base = format!(
        "{}{}",
        site.config.base_path(),
        site.config.language_prefix(site.lang_code(lang))
    );
    let mut map = tera::Map::new();
    map.insert("roles_count".into(), Value::from(roles.len()));
    map.insert("categories".into(), Value::from_serializable(&categories));
    let has_roles = !roles.is_empty();
    map.insert(
        "salaries_url".into(),
        Value::from(has_roles.then(|| format!("{base}{}", super::SALARIES_URL))),
    );
    map.insert(
        "career_map_url".into(),
        Value::from(has_roles.then(|| format!("{base}{}", super::CAREER_MAP_URL))),
    );
    map.insert(
        "roles_json_url".into(),
        Value::from(has_roles.then(|| format!("{base}roles.json"))),
    );
    Value::from(map)
}

#[derive(Serialize)]
struct OverviewRow {
    title: String,
    url: String,
    category: Option<String>,
    salary: Option<SalaryValue>,
    /// The role's own chart (the one its page shows): every chart keeps the
    /// size that reads well, however many roles have figures.
    chart: Option<Value>,
}

/// The salary overview: every role, with its figures and chart or marked
/// as having none.
pub fn salary_overview_value(site: &Site, lang: Lang) -> Value {
    let language = site.lang_code(lang);
    let rows: Vec<OverviewRow> = site
        .roles(lang)
        .into_iter()
        .filter_map(|id| {
            let e = &site.entries[id];
            let salary = e.kb.role.as_ref()?.salary.as_ref();
            Some(OverviewRow {
                title: e.page.front.title.clone(),
                url: e.url.clone(),
                category: e.page.front.raw.category.clone(),
                salary: salary.map(|s| salary_value(site, s, language)),
                chart: salary.map(|s| {
                    let slug = e
                        .rel_url
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or("");
                    let id = format!("salary-chart-{slug}");
                    Value::safe_string(&chart::role_chart(&id, &e.page.front.title, s, language))
                }),
            })
        })
        .collect();
    let with_data = rows.iter().filter(|r| r.salary.is_some()).count();
    let mut map = tera::Map::new();
    map.insert("without_data".into(), Value::from(rows.len() - with_data));
    map.insert("with_data".into(), Value::from(with_data));
    map.insert("rows".into(), Value::from_serializable(&rows));
    Value::from(map)
}

#[derive(Serialize)]
struct RoleJson<'a> {
    name: &'a str,
    url: &'a str,
    slug: &'a str,
    path: &'a str,
    description: Option<&'a str>,
    category: Option<&'a str>,
    summary: Option<&'a str>,
    also_known_as: &'a [String],
    duties: &'a [String],
    salary: Option<SalaryJson<'a>>,
    employers: &'a [String],
    qualities: &'a [String],
    pros: &'a [String],
    cons: &'a [String],
    not_for: &'a [String],
    career: CareerJson<'a>,
    related: Vec<&'a str>,
}

#[derive(Serialize)]
struct SalaryJson<'a> {
    as_of: Option<String>,
    currency: &'a str,
    period: Period,
    source: Option<&'a str>,
    regions: &'a [SalaryRegion],
    stale: bool,
}

#[derive(Serialize)]
struct CareerJson<'a> {
    ladder: &'a [String],
    next: Vec<&'a str>,
    from: Vec<&'a str>,
}

/// `roles.json`: one object per role with its structured data and absolute URL.
pub fn roles_json(site: &Site, lang: Lang) -> String {
    let empty: &[String] = &[];
    let urls = |ids: &[PageId]| {
        ids.iter()
            .map(|&i| site.entries[i].permalink.as_str())
            .collect::<Vec<_>>()
    };
    let roles: Vec<RoleJson> = site
        .entries
        .iter()
        .filter(|e| e.page.front.kind == Kind::Role && e.lang == lang)
        .filter_map(|e| {
            let role = e.kb.role.as_ref()?;
            let raw = &e.page.front.raw;
            Some(RoleJson {
                name: &e.page.front.title,
                url: &e.permalink,
                slug: e
                    .rel_url
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(""),
                path: &e.page.content_path,
                description: e.page.front.description.as_deref(),
                category: raw.category.as_deref(),
                summary: raw.summary.as_deref(),
                also_known_as: raw.also_known_as.as_deref().unwrap_or(empty),
                duties: raw.duties.as_deref().unwrap_or(empty),
                salary: role.salary.as_ref().map(|s| SalaryJson {
                    as_of: s.as_of.map(|d| iso(&d)),
                    currency: &s.currency,
                    period: s.period,
                    source: s.source.as_deref(),
                    regions: &s.regions,
                    stale: s.stale,
                }),
                employers: raw.employers.as_deref().unwrap_or(empty),
                qualities: raw.qualities.as_deref().unwrap_or(empty),
                pros: raw.pros.as_deref().unwrap_or(empty),
                cons: raw.cons.as_deref().unwrap_or(empty),
                not_for: raw.not_for.as_deref().unwrap_or(empty),
                career: CareerJson {
                    ladder: raw.career.as_ref().map_or(empty, |c| &c.ladder),
                    next: urls(&role.next),
                    from: urls(&role.from),
                },
                related: urls(&role.related),
            })
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&roles).expect("role data serializes");
    json.push('\n');
    json
}
