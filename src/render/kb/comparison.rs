//! Comparison views: the author's dimensions first, then rows derived
//! from the role data (salary range, career ladder, key qualities), so a
//! comparison stays current when a role changes; and `compare_roles`.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Kwargs, TeraResult, Value};

use super::role::salary_text;
use crate::model::kinds::ComparisonData;
use crate::model::{Lang, PageId, Site};
use crate::render::context::{LinkValue, link};

/// Qualities shown per role in the derived row.
const KEY_QUALITIES: usize = 5;

#[derive(Debug, Clone, Serialize)]
struct Row {
    name: String,
    values: Vec<String>,
    derived: bool,
}

#[derive(Serialize)]
struct Table {
    roles: Vec<LinkValue>,
    rows: Vec<Row>,
}

/// `page.comparison`: the roles and every row of the table.
pub fn value(site: &Site, id: PageId, data: &ComparisonData) -> Value {
    let dimensions = site.entries[id]
        .page
        .front
        .raw
        .dimensions
        .clone()
        .unwrap_or_default();
    let mut rows: Vec<Row> = dimensions
        .into_iter()
        .map(|d| Row {
            name: d.name,
            values: d.values,
            derived: false,
        })
        .collect();
    rows.extend(derived_rows(site, &data.roles, site.entries[id].lang));
    Value::from_serializable(&Table {
        roles: data.roles.iter().map(|&r| link(&site.entries[r])).collect(),
        rows,
    })
}

/// Rows computed from role data: salary range, career ladder, key qualities,
/// named and written in `lang`.
fn derived_rows(site: &Site, roles: &[PageId], lang: Lang) -> Vec<Row> {
    let code = site.lang_code(lang);
    let ru = code == "ru";
    let no_data = if ru { "нет данных" } else { "no data" };
    let salary = roles
        .iter()
        .map(|&r| {
            site.entries[r]
                .kb
                .role
                .as_ref()
                .and_then(|role| role.salary.as_ref())
                .map_or_else(|| no_data.to_string(), |s| salary_text(s, code))
        })
        .collect();
    let ladder = roles
        .iter()
        .map(|&r| {
            let career = site.entries[r].page.front.raw.career.as_ref();
            career
                .filter(|c| !c.ladder.is_empty())
                .map_or_else(|| no_data.to_string(), |c| c.ladder.join(" → "))
        })
        .collect();
    let qualities = roles
        .iter()
        .map(|&r| {
            let qualities = site.entries[r]
                .page
                .front
                .raw
                .qualities
                .as_deref()
                .unwrap_or(&[]);
            if qualities.is_empty() {
                no_data.to_string()
            } else {
                qualities
                    .iter()
                    .take(KEY_QUALITIES)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        })
        .collect();
    let names = if ru {
        ["Зарплата", "Карьерная лестница", "Ключевые качества"]
    } else {
        ["Salary", "Career ladder", "Key qualities"]
    };
    vec![
        Row {
            name: names[0].to_string(),
            values: salary,
            derived: true,
        },
        Row {
            name: names[1].to_string(),
            values: ladder,
            derived: true,
        },
        Row {
            name: names[2].to_string(),
            values: qualities,
            derived: true,
        },
    ]
}

/// One role's derived comparison rows, for `compare_roles`.
#[derive(Debug, Clone, Serialize)]
pub struct RoleRow {
    id: PageId,
    title: String,
    url: String,
    rows: Vec<Row>,
}

/// Role pages by slug, stem and path, for the `compare_roles` function.
pub fn role_lookup(site: &Site) -> HashMap<String, RoleRow> {
    let mut map = HashMap::new();
    for (id, entry) in site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kb.role.is_some())
    {
        let row = RoleRow {
            id,
            title: entry.page.front.title.clone(),
            url: entry.url.clone(),
            rows: derived_rows(site, &[id], entry.lang),
        };
        // Another language's roles are found under `en:<key>` first.
        let prefix = match entry.lang {
            0 => String::new(),
            lang => format!("{}:", site.lang_code(lang)),
        };
        for key in super::quote::role_keys(site, id) {
            map.entry(format!("{prefix}{key}"))
                .or_insert_with(|| row.clone());
        }
    }
    map
}

/// `compare_roles(roles=["account-manager", "project-manager"])`: a table with
/// the derived rows for any roles, for themes that want ad-hoc comparisons.
/// `lang_prefix` (`en:`, empty for the default language) picks the
/// versions in the page's language where there are.
pub fn compare_function(
    roles: &HashMap<String, RoleRow>,
    kwargs: &Kwargs,
    lang_prefix: &str,
) -> TeraResult<Value> {
    let wanted: Vec<String> = kwargs.must_get::<Vec<String>>("roles")?;
    let mut found: Vec<&RoleRow> = Vec::new();
    for name in &wanted {
        let key = name.trim().trim_start_matches("content/").trim_matches('/');
        let role = roles
            .get(&format!("{lang_prefix}{key}"))
            .or_else(|| roles.get(key))
            .ok_or_else(|| {
                let names = roles
                    .keys()
                    .filter(|k| !k.contains(':'))
                    .map(String::as_str);
                let hint = crate::error::closest(key, names)
                    .map_or_else(String::new, |c| format!(" (hint: did you mean `{c}`?)"));
                tera::Error::message(format!("`compare_roles`: no role `{name}`{hint}"))
            })?;
        crate::render::functions::note_lookup(role.id);
        found.push(role);
    }
    let names: Vec<&str> = found
        .first()
        .map(|r| r.rows.iter().map(|row| row.name.as_str()).collect())
        .unwrap_or_default();
    let rows: Vec<Row> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Row {
            name: name.to_string(),
            values: found.iter().map(|r| r.rows[i].values[0].clone()).collect(),
            derived: true,
        })
        .collect();
    let links: Vec<LinkValue> = found
        .iter()
        .map(|r| LinkValue {
            title: r.title.clone(),
            url: r.url.clone(),
        })
        .collect();
    Ok(Value::from_serializable(&Table { roles: links, rows }))
}
