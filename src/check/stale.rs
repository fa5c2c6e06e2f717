//! Stale data: `stale-salary` (a role's salary figures are older than
//! `kb.stale_after_months`, or undated) and `stale-page` (`updated`, or
//! `date` when there is no `updated`, older than the configured age).
//!
//! Old figures on a page *reviewed after they went stale* (`updated` later
//! than `as_of` plus the age) are not reported: an editor has seen them and
//! kept them for want of newer ones, readers see the theme's staleness
//! notice next to the chart, and `stale-page` asks for the next review once
//! `updated` itself is older than the age. Without that record the rule has
//! no answer but deleting true, dated figures.

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
    if age <= limit as i32 || reviewed_since_stale(front.updated.as_ref(), &date, limit) {
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
            "update the figures and `salary.as_of` from a recent source; if there is none, say on the page that there is no newer data and record the review with `updated:`",
        ),
    )
}

/// True when the page's `updated` is later than the day the figures went stale.
fn reviewed_since_stale(updated: Option<&Date>, as_of: &Date, limit: u32) -> bool {
    updated.is_some_and(|updated| months_between(as_of, updated) > limit as i32)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn a_review_after_the_figures_went_stale_records_them_as_known() {
        let as_of = date("2020-11-04");
        assert!(reviewed_since_stale(Some(&date("2026-11-27")), &as_of, 24));
        assert!(!reviewed_since_stale(Some(&date("2021-06-01")), &as_of, 24));
        assert!(!reviewed_since_stale(Some(&date("2022-11-04")), &as_of, 24));
        assert!(!reviewed_since_stale(None, &as_of, 24));
    }
}
