//! What the knowledge-base kinds resolve to: role data with references as
//! page ids, compared roles, a course's chapters in order. Filled by `kb`,
//! shown by `render::kb`.

use super::PageId;
use crate::content::kinds::{Period, SalaryRegion};
use crate::content::page::Date;

/// Knowledge-base data of an entry, derived by `kb::resolve`.
#[derive(Debug, Clone, Default)]
pub struct EntryData {
    /// For `kind: role`.
    pub role: Option<RoleData>,
    /// For `kind: comparison`.
    pub comparison: Option<ComparisonData>,
    /// For a `kind: course` section.
    pub course: Option<CourseData>,
    /// For a chapter of a course.
    pub chapter: Option<ChapterData>,
}

/// Salary data of a role, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SalaryData {
    /// The date the figures are from.
    pub as_of: Option<Date>,
    /// ISO 4217 code.
    pub currency: String,
    /// Month or year.
    pub period: Period,
    /// Where the figures come from.
    pub source: Option<String>,
    /// Ranges per region (at least one).
    pub regions: Vec<SalaryRegion>,
    /// Older than the site's `stale_after_months`.
    pub stale: bool,
    /// Age in whole months at build time.
    pub age_months: Option<i32>,
}

impl SalaryData {
    /// Lowest minimum and highest maximum over all regions.
    pub fn range(&self) -> (u64, u64) {
        let min = self.regions.iter().map(|r| r.min).min().unwrap_or(0);
        let max = self.regions.iter().map(|r| r.max).max().unwrap_or(0);
        (min, max)
    }
}

/// A role page's data with references resolved to pages.
#[derive(Debug, Clone, Default)]
pub struct RoleData {
    /// Salary, when the page has figures.
    pub salary: Option<SalaryData>,
    /// Roles one moves on to (own `career.next` plus roles listing this one in `from`).
    pub next: Vec<PageId>,
    /// Roles one comes from (own `career.from` plus roles listing this one in `next`).
    pub from: Vec<PageId>,
    /// Related roles.
    pub related: Vec<PageId>,
    /// Comparison pages that include this role.
    pub comparisons: Vec<PageId>,
}

/// A comparison page's resolved roles.
#[derive(Debug, Clone, Default)]
pub struct ComparisonData {
    /// The compared role pages, in the author's order.
    pub roles: Vec<PageId>,
}

/// A course section's resolved chapters.
#[derive(Debug, Clone, Default)]
pub struct CourseData {
    /// Chapters in course order.
    pub chapters: Vec<PageId>,
}

/// A chapter's place in its course.
#[derive(Debug, Clone, Default)]
pub struct ChapterData {
    /// The course section.
    pub course: PageId,
    /// 1-based number.
    pub number: usize,
}
