//! Dates from Git and edit links (issue 17): in a Git work tree a page
//! without `updated` takes the time of the last commit of its file, seen in
//! its `<time>`, the sitemap, the feed and the `stale-page` lint; off with
//! `git_dates: false`; a site outside Git builds as before. `repo_url:`
//! puts an "Edit this page" link on every page.

use std::process::Command;

use crate::support::{TestSite, element};

/// `git` in the site, with fixed names and dates; `None` without Git.
fn git(site: &TestSite, args: &[&str], date: &str) -> Option<()> {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=Тест",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(site.root())
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .ok()?;
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(())
}

const CONFIG: &str =
    "title: База\nbase_url: https://example.org/\nlint:\n  stale_page_months: 12\n";

fn site(config: &str) -> TestSite {
    let site = TestSite::empty(config);
    site.write("content/_index.md", "---\ntitle: Главная\n---\n");
    site.write("content/articles/_index.md", "---\ntitle: Статьи\n---\n");
    site.write(
        "content/articles/old.md",
        "---\ntitle: Старая\ndate: 2019-05-01\n---\n\nТекст.\n",
    );
    site.write(
        "content/articles/fresh.md",
        "---\ntitle: Свежая\ndate: 2019-05-01\n---\n\nТекст.\n",
    );
    site.write(
        "content/articles/dated.md",
        "---\ntitle: С датой\ndate: 2019-05-01\nupdated: 2024-02-03\n---\n\nТекст.\n",
    );
    site
}

/// The site committed in two steps, or `None` (the test is skipped) without Git.
fn committed(config: &str) -> Option<TestSite> {
    let site = site(config);
    if git(&site, &["init", "-q"], "2020-01-01T00:00:00Z").is_none() {
        eprintln!("skipped: no git found");
        return None;
    }
    git(&site, &["add", "."], "2020-01-01T00:00:00Z")?;
    git(&site, &["commit", "-qm", "first"], "2020-06-15T09:30:00Z")?;
    site.write(
        "content/articles/fresh.md",
        "---\ntitle: Свежая\ndate: 2019-05-01\n---\n\nНовый текст.\n",
    );
    site.write(
        "content/articles/dated.md",
        "---\ntitle: С датой\ndate: 2019-05-01\nupdated: 2024-02-03\n---\n\nДругой текст.\n",
    );
    git(&site, &["commit", "-qam", "second"], "2025-11-20T18:05:00Z")?;
    Some(site)
}

#[test]
fn a_page_without_updated_takes_its_last_commit_in_time_sitemap_and_feed() {
    let Some(site) = committed(CONFIG) else {
        return;
    };
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let fresh = site.main_html("/articles/fresh/");
    assert!(fresh.contains("<time datetime=\"2025-11-20"), "{fresh}");
    let old = site.main_html("/articles/old/");
    assert!(old.contains("<time datetime=\"2020-06-15"), "{old}");
    // `updated` in the front matter wins over Git.
    let dated = site.main_html("/articles/dated/");
    assert!(dated.contains("<time datetime=\"2024-02-03"), "{dated}");
    let sitemap = site.file("sitemap.xml");
    let entry = element(
        &sitemap,
        "<loc>https://example.org/articles/fresh/</loc>",
        "</url>",
    );
    assert!(entry.contains("<lastmod>2025-11-20</lastmod>"), "{entry}");
    let feed = site.file("atom.xml");
    let entry = element(&feed, "<title>Свежая</title>", "</entry>");
    assert!(
        entry.contains("<updated>2025-11-20T18:05:00Z</updated>"),
        "{entry}"
    );
}

#[test]
fn the_stale_page_lint_sees_the_date_of_the_last_commit() {
    let Some(site) = committed(CONFIG) else {
        return;
    };
    let out = site.run(&["check"]);
    assert!(
        out.stdout.contains("content/articles/old.md:2:1: warning[stale-page]: the page was last updated on 2020-06-15"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout
            .contains("content/articles/fresh.md:2:1: warning[stale-page]"),
        "{}",
        out.stdout
    );
}

#[test]
fn git_dates_false_turns_them_off_and_a_site_outside_git_builds() {
    let Some(site) = committed(&format!("{CONFIG}git_dates: false\n")) else {
        return;
    };
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!site.main_html("/articles/fresh/").contains("2025-11-20"));
    let plain = self::site(CONFIG);
    let out = plain.run(&["build"]);
    assert_eq!(out.code, 0, "no Git is not an error: {}", out.stderr);
    assert!(
        !plain
            .main_html("/articles/fresh/")
            .contains(&crate::support::TODAY_EPOCH[..4])
    );
}

#[test]
fn repo_url_puts_an_edit_link_on_every_page() {
    let site = site(&format!(
        "{CONFIG}repo_url: https://github.com/o/kb/blob/main/\n"
    ));
    site.write(
        "content/articles/про роли.md",
        "---\ntitle: Про роли\n---\n\nТекст.\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = site.main_html("/articles/old/");
    assert!(
        page.contains("<p class=\"edit-page\"><a href=\"https://github.com/o/kb/blob/main/content/articles/old.md\">Исправить страницу</a></p>"),
        "{page}"
    );
    let section = site.main_html("/articles/");
    assert!(
        section.contains("blob/main/content/articles/_index.md\">"),
        "{section}"
    );
    let home = site.main_html("/");
    assert!(home.contains("blob/main/content/_index.md\">"), "{home}");
    let cyrillic = site.file("articles/pro-roli/index.html");
    assert!(
        cyrillic.contains("content/articles/%D0%BF%D1%80%D0%BE%20%D1%80%D0%BE%D0%BB%D0%B8.md"),
        "{cyrillic}"
    );
    let plain = self::site(CONFIG);
    plain.run(&["build"]);
    assert!(!plain.file("articles/old/index.html").contains("edit-page"));
}
