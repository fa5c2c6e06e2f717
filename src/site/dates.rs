//! `updated` from Git: a page without `updated` in its front matter takes
//! the time of the last commit that changed its file ([`crate::git`]), so
//! its `<time>`, the sitemap's `lastmod`, the feeds and the `stale-page`
//! lint see when it last changed. Off with `git_dates: false`.

use crate::model::Site;

/// Fill in `updated` from Git for the pages of `site` that do not set it.
pub fn apply(site: &mut Site) {
    if !site.config.git_dates {
        return;
    }
    let _span = tracing::info_span!("dates from git").entered();
    let commits = crate::git::last_commits(&site.root);
    if commits.is_empty() {
        return;
    }
    for entry in &mut site.entries {
        if entry.page.front.updated.is_some() {
            continue;
        }
        let Some(&seconds) = commits.get(&entry.page.file) else {
            continue;
        };
        if let Ok(time) = jiff::Timestamp::from_second(seconds) {
            entry.page.front.updated = Some(jiff::tz::Offset::UTC.to_datetime(time));
        }
    }
}
