//! Figures by reference: what the `salary`, `role_card` and `compare`
//! components show of a role, looked up by slug (`account-manager`), stem
//! or content path, through the template functions `role_salary(role,
//! region)` and `get_role(role)`. A lookup is noted for `serve`, so a page
//! quoting a role is rendered again when the role changes.

use std::collections::HashMap;

use serde::Serialize;
use tera::{TeraResult, Value};

use super::role::{as_of_text, period_text, range_text, region_text};
use crate::model::{PageId, Site};
use crate::render::i18n::age_text;

/// Role pages by slug, stem and content path.
pub fn role_ids(site: &Site) -> HashMap<String, PageId> {
    let mut map = HashMap::new();
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.kb.role.is_none() {
            continue;
        }
        for key in role_keys(site, id) {
            map.entry(key).or_insert(id);
        }
    }
    map
}

/// The names a role answers to: its URL slug, its file stem, its path.
pub fn role_keys(site: &Site, id: PageId) -> [String; 3] {
    let entry = &site.entries[id];
    let slug = entry
        .rel_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    [
        slug,
        entry.page.stem().to_string(),
        entry.page.content_path.clone(),
    ]
}

/// The role called `name`, or an error naming the closest role.
pub fn find_role(site: &Site, ids: &HashMap<String, PageId>, name: &str) -> TeraResult<PageId> {
    let key = name.trim().trim_start_matches("content/").trim_matches('/');
    if let Some(&id) = ids.get(key) {
        crate::render::functions::note_lookup(id);
        return Ok(id);
    }
    let slugs = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kb.role.is_some())
        .map(|(id, _)| role_keys(site, id)[0].clone())
        .collect::<Vec<_>>();
    let hint = match crate::error::closest(key, slugs.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None if slugs.is_empty() => "the site has no `kind: role` pages".to_string(),
        None => format!("the roles are {}", quoted(&slugs)),
    };
    Err(tera::Error::message(format!(
        "no role `{name}` (hint: {hint})"
    )))
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `role_salary` gives a template.
#[derive(Serialize)]
struct Quote {
    /// The role's title and URL.
    title: String,
    url: String,
    /// `30 000 – 150 000 ₽ в месяц, данные на 4 ноября 2020 г.`
    text: String,
    /// Older than the site's `stale_after_months`.
    stale: bool,
    /// `больше шести лет`, when stale.
    age_text: Option<String>,
    /// The date of the figures (ISO), if given.
    as_of: Option<String>,
}

/// `role_salary(role="account-manager", region="Москва")`: one region's
/// range (or every region's), the period and the date, as one line, in
/// `lang` (the quoting page's language), linked to the role's version in it.
pub fn salary_function(
    site: &Site,
    ids: &HashMap<String, PageId>,
    role: &str,
    region: Option<&str>,
    lang: crate::model::Lang,
) -> TeraResult<Value> {
    let id = site.in_lang(find_role(site, ids, role)?, lang);
    let entry = &site.entries[id];
    let language = site.lang_code(lang);
    let salary = entry
        .kb
        .role
        .as_ref()
        .and_then(|r| r.salary.as_ref())
        .ok_or_else(|| {
            tera::Error::message(format!(
                "role `{role}` has no salary figures (hint: add `salary:` to `content/{}`, or quote another role)",
                entry.page.content_path
            ))
        })?;
    let ranges = match region.filter(|r| !r.trim().is_empty()) {
        Some(wanted) => {
            let found = salary
                .regions
                .iter()
                .find(|r| r.region.to_lowercase() == wanted.trim().to_lowercase())
                .ok_or_else(|| unknown_region(role, wanted, salary))?;
            range_text(found.min, found.max, &salary.currency, language)
        }
        None => salary
            .regions
            .iter()
            .map(|r| region_text(r, &salary.currency, language))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let mut text = format!("{ranges} {}", period_text(salary.period, language));
    if let Some(as_of) = salary.as_of {
        text.push_str(", ");
        text.push_str(&as_of_text(&as_of, language));
    }
    Ok(Value::from_serializable(&Quote {
        title: entry.page.front.title.clone(),
        url: entry.url.clone(),
        text,
        stale: salary.stale,
        age_text: salary
            .age_months
            .filter(|_| salary.stale)
            .map(|m| age_text(m, language)),
        as_of: salary.as_of.map(|d| crate::render::context::iso(&d)),
    }))
}

fn unknown_region(
    role: &str,
    wanted: &str,
    salary: &crate::model::kinds::SalaryData,
) -> tera::Error {
    let names: Vec<String> = salary.regions.iter().map(|r| r.region.clone()).collect();
    let hint = match crate::error::closest(wanted, names.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("its regions are {}", quoted(&names)),
    };
    tera::Error::message(format!(
        "role `{role}` has no region `{wanted}` (hint: {hint})"
    ))
}
