//! Front matter schemas of the knowledge-base kinds, as serde reads them.

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
