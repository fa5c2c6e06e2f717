//! Comparisons: resolve the compared roles (each must be a role page).

use crate::error::Error;
use crate::kb::RoleIndex;
use crate::model::kinds::ComparisonData;
use crate::model::{PageId, Site};

/// Resolve the compared roles (each must be a role page).
pub fn resolve(
    site: &Site,
    id: PageId,
    roles: &RoleIndex,
    errors: &mut Vec<Error>,
) -> ComparisonData {
    let mut data = ComparisonData::default();
    let lang = site.entries[id].lang;
    for reference in &site.entries[id].page.front.refs {
        match roles.find(reference) {
            Ok(role) => data.roles.push(site.in_lang(role, lang)),
            Err(e) => errors.push(e),
        }
    }
    data
}
