//! `kind: role`: the schema of a role's structured fields (salary, career)
//! and the checks serde cannot express (dates, currency codes, ranges).

use serde::{Deserialize, Serialize};

use crate::config::yaml::KeyPath;
use crate::content::page::{DateText, RawFrontMatter, parse_date};
use crate::error::{Error, Location};

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

/// Field checks of `kind: role` that serde cannot express.
pub fn check(raw: &RawFrontMatter, locate: &dyn Fn(&[KeyPath<'_>]) -> Location) -> Vec<Error> {
    let mut errors = Vec::new();
    let Some(salary) = &raw.salary else {
        return errors;
    };
    if let Some(as_of) = &salary.as_of
        && parse_date(&as_of.0).is_none()
    {
        errors.push(
            Error::at(
                locate(&[KeyPath::Key("salary"), KeyPath::Key("as_of")]),
                format!("`salary.as_of` is not a date: `{}`", as_of.0),
            )
            .with_hint("write `as_of: 2020-11-04` (year-month-day)"),
        );
    }
    if let Some(currency) = &salary.currency {
        let valid = currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase());
        if !valid {
            errors.push(
                Error::at(
                    locate(&[KeyPath::Key("salary"), KeyPath::Key("currency")]),
                    format!("`salary.currency` must be an ISO 4217 code, found `{currency}`"),
                )
                .with_hint("write three capital letters, e.g. `RUB`, `USD`, `EUR`"),
            );
        }
    }
    for (i, region) in salary.regions.iter().enumerate() {
        let at = |key: &'static str| {
            locate(&[
                KeyPath::Key("salary"),
                KeyPath::Key("regions"),
                KeyPath::Index(i),
                KeyPath::Key(key),
            ])
        };
        if region.region.trim().is_empty() {
            errors.push(
                Error::at(at("region"), "`region` is empty")
                    .with_hint("name the region, e.g. `region: Москва`"),
            );
        }
        if region.min == 0 {
            errors.push(
                Error::at(
                    at("min"),
                    format!(
                        "salary `min` for `{}` must be greater than 0",
                        region.region
                    ),
                )
                .with_hint("leave the region out when there is no figure for it"),
            );
        }
        if region.min > region.max {
            errors.push(
                Error::at(
                    at("max"),
                    format!(
                        "salary `max` ({}) is less than `min` ({}) for `{}`",
                        region.max, region.min, region.region
                    ),
                )
                .with_hint("swap the two values, or correct the typo"),
            );
        }
    }
    errors
}
