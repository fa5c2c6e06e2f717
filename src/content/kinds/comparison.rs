//! `kind: comparison`: the schema of a comparison's dimensions and the
//! checks of its fields (at least two roles, one value per role).

use serde::{Deserialize, Serialize};

use crate::config::yaml::KeyPath;
use crate::content::page::RawFrontMatter;
use crate::error::{Error, Location};

/// One row of a comparison: a name and one value per compared role.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// What is compared.
    pub name: String,
    /// One value per role, in the order of `roles`.
    pub values: Vec<String>,
}

/// Checks of `kind: comparison` fields.
pub fn check(raw: &RawFrontMatter, locate: &dyn Fn(&[KeyPath<'_>]) -> Location) -> Vec<Error> {
    let mut errors = Vec::new();
    let count = raw.roles.as_ref().map_or(0, Vec::len);
    if count < 2 {
        let location = if raw.roles.is_some() {
            locate(&[KeyPath::Key("roles")])
        } else {
            locate(&[])
        };
        errors.push(
            Error::at(
                location,
                format!("a comparison needs at least two roles, found {count}"),
            )
            .with_hint("write `roles: [account-manager, project-manager]` (role slugs or paths)"),
        );
    }
    for (i, dimension) in raw.dimensions.iter().flatten().enumerate() {
        let at = |key: &'static str| {
            locate(&[
                KeyPath::Key("dimensions"),
                KeyPath::Index(i),
                KeyPath::Key(key),
            ])
        };
        if dimension.name.trim().is_empty() {
            errors.push(
                Error::at(at("name"), "dimension `name` is empty")
                    .with_hint("name what is compared, e.g. `name: Зарплата`"),
            );
        }
        if count >= 2 && dimension.values.len() != count {
            errors.push(
                Error::at(
                    at("values"),
                    format!(
                        "dimension `{}` has {} values for {count} roles",
                        dimension.name,
                        dimension.values.len()
                    ),
                )
                .with_hint("give one value per role, in the order of `roles`"),
            );
        }
    }
    errors
}
