//! Roles: references resolved to pages, salary data checked against
//! today's date, career edges made symmetric.

use crate::content::page::{Date, RawFrontMatter, parse_date};
use crate::error::Error;
use crate::kb::{RoleIndex, months_between};
use crate::model::kinds::{RoleData, SalaryData};
use crate::model::{PageId, Site};

/// Resolve a role's references and salary data.
pub fn resolve(
    site: &Site,
    id: PageId,
    roles: &RoleIndex,
    today: Option<Date>,
    errors: &mut Vec<Error>,
) -> RoleData {
    let front = &site.entries[id].page.front;
    let mut data = RoleData {
        salary: salary_data(site, &front.raw, today),
        ..RoleData::default()
    };
    let lang = site.entries[id].lang;
    for reference in &front.refs {
        let target = match roles.find(reference) {
            Ok(target) => site.in_lang(target, lang),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let list = match reference.field {
            "career.next" => &mut data.next,
            "career.from" => &mut data.from,
            _ => &mut data.related,
        };
        if target != id && !list.contains(&target) {
            list.push(target);
        }
    }
    data
}

fn salary_data(site: &Site, raw: &RawFrontMatter, today: Option<Date>) -> Option<SalaryData> {
    let salary = raw.salary.as_ref()?;
    if salary.regions.is_empty() {
        return None;
    }
    let as_of = salary.as_of.as_ref().and_then(|d| parse_date(&d.0));
    let today = today.unwrap_or(site.today);
    let age_months = as_of.map(|d| months_between(&d, &today));
    let limit = site.config.kb.stale_after_months as i32;
    Some(SalaryData {
        as_of,
        currency: salary.currency.clone().unwrap_or_else(|| "RUB".to_string()),
        period: salary.period.unwrap_or_default(),
        source: salary.source.clone(),
        regions: salary.regions.clone(),
        stale: age_months.is_some_and(|age| age > limit),
        age_months,
    })
}

/// Make career edges symmetric: A lists B in `next` ⇒ B comes from A, and
/// the other way round; note which comparisons include each role.
pub fn link_inverse_edges(site: &mut Site) {
    let mut edges = Vec::new();
    for (id, entry) in site.entries.iter().enumerate() {
        if let Some(role) = &entry.kb.role {
            edges.extend(role.next.iter().map(|&n| (id, n)));
            edges.extend(role.from.iter().map(|&f| (f, id)));
        }
    }
    for (from, to) in edges {
        add_unique(&mut site.entries[from].kb.role, |r| &mut r.next, to);
        add_unique(&mut site.entries[to].kb.role, |r| &mut r.from, from);
    }
    let mut compared = Vec::new();
    for (id, entry) in site.entries.iter().enumerate() {
        if let Some(comparison) = &entry.kb.comparison {
            compared.extend(comparison.roles.iter().map(|&r| (r, id)));
        }
    }
    for (role, comparison) in compared {
        add_unique(
            &mut site.entries[role].kb.role,
            |r| &mut r.comparisons,
            comparison,
        );
    }
}

fn add_unique(
    role: &mut Option<RoleData>,
    list: impl Fn(&mut RoleData) -> &mut Vec<PageId>,
    id: PageId,
) {
    if let Some(role) = role {
        let list = list(role);
        if !list.contains(&id) {
            list.push(id);
        }
    }
}
