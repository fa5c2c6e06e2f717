//! Stale data: `stale-salary` (a role's salary figures are older than
//! `kb.stale_after_months`, or undated) and `stale-page` (`updated`, or
//! `date` when there is no `updated`, older than the configured age).

use super::page::PageText;
use super::rules::{STALE_PAGE, STALE_SALARY};
use crate::content::front_matter::KeyPath;
use crate::content::page::{Date, Kind, parse_date};
use crate::error::Error;
use crate::kb::months_between;

/// Salary figures that are too old to show as current, or have no date.
pub(crate) fn salary(page: &PageText<'_>, today: &Date, limit: u32) -> Option<Error> {
    let front = &page.page.front;
    if front.kind != Kind::Role {
        return None;
    }
    let salary = front
        .raw
        .salary
        .as_ref()
        .filter(|s| !s.regions.is_empty())?;
    let Some(as_of) = &salary.as_of else {
        return Some(
            Error::warning(
                STALE_SALARY,
                page.key_location(&[KeyPath::Key("salary")]),
                "the salary figures have no date, so their age is unknown",
            )
            .with_hint("add `as_of: YYYY-MM-DD` under `salary:` with the date of the source"),
        );
    };
    let date = parse_date(&as_of.0)?;
    let age = months_between(&date, today);
    if age <= limit as i32 {
        return None;
    }
    Some(
        Error::warning(
            STALE_SALARY,
            page.key_location(&[KeyPath::Key("salary"), KeyPath::Key("as_of")]),
            format!(
                "the salary figures are from {}, {age} months ago (older than {limit} months)",
                date.date()
            ),
        )
        .with_hint(
            "update the figures and `salary.as_of` from a recent source; if there is none, remove the `salary` block and say in the text that there is no current data",
        ),
    )
}

/// A page not reviewed for longer than the configured age.
pub(crate) fn page(page: &PageText<'_>, today: &Date, limit: u32) -> Option<Error> {
    let front = &page.page.front;
    let (key, date) = match (front.updated, front.date) {
        (Some(updated), _) => ("updated", updated),
        (None, Some(date)) => ("date", date),
        (None, None) => return None,
    };
    let age = months_between(&date, today);
    if age <= limit as i32 {
        return None;
    }
    Some(
        Error::warning(
            STALE_PAGE,
            page.key_location(&[KeyPath::Key(key)]),
            format!(
                "the page was last updated on {}, {age} months ago (older than {limit} months)",
                date.date()
            ),
        )
        .with_hint(format!(
            "review the page, correct what has changed, and set `updated: {}`",
            today.date()
        )),
    )
}
