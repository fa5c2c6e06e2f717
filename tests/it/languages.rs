//! Several languages in one site (issue: multilingual knowledge bases):
//! URLs, alternates, the switcher, inheritance of role data, per-language
//! feeds, taxonomies, search and knowledge-base pages, the sitemap, staleness
//! of translations and its check rules, the errors, `new --lang`, and the
//! switcher in Chromium.

use crate::browser;
use crate::support::{TestSite, element};

fn built() -> TestSite {
    let site = TestSite::new("multilingual");
    site.build();
    site
}

fn alternates(html: &str) -> Vec<String> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_language_has_its_urls_and_its_html_lang() {
    let site = built();
    for (file, lang) in [
        ("index.html", "ru"),
        ("roles/alpha/index.html", "ru"),
        ("en/index.html", "en"),
        ("en/roles/index.html", "en"),
        ("en/roles/alpha/index.html", "en"),
        ("en/articles/interview/index.html", "en"),
        ("en/tags/clients/index.html", "en"),
        ("en/salaries/index.html", "en"),
        ("en/career-map/index.html", "en"),
        ("en/search/index.html", "en"),
    ] {
        let html = site.file(file);
        assert!(
            html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\"")),
            "{file}"
        );
    }
    assert!(site.exists("en/roles.json") && site.exists("en/atom.xml"));
    // A page in one language only has no English URL.
    assert!(!site.exists("en/roles/beta/index.html"));
    // Russian tags are not English taxonomies, and the reverse.
    assert!(site.exists("tags/klienty/index.html") && !site.exists("en/tags/klienty/index.html"));
    assert!(!site.exists("tags/clients/index.html"));
}

#[test]
fn pages_link_their_translations_both_ways_with_x_default() {
    let site = built();
    let expected = [
        r#"<link rel="alternate" hreflang="ru" href="https://example.org/roles/alpha/">"#,
        r#"<link rel="alternate" hreflang="en" href="https://example.org/en/roles/alpha/">"#,
        r#"<link rel="alternate" hreflang="x-default" href="https://example.org/roles/alpha/">"#,
    ];
    for file in ["roles/alpha/index.html", "en/roles/alpha/index.html"] {
        assert_eq!(alternates(&site.file(file)), expected, "{file}");
    }
    assert!(alternates(&site.file("roles/beta/index.html")).is_empty());
    // Generated pages link their counterparts too.
    let search = alternates(&site.file("en/search/index.html"));
    assert!(
        search
            .iter()
            .any(|l| l.contains(r#"hreflang="ru" href="https://example.org/search/""#)),
        "{search:?}"
    );
}

#[test]
fn the_switcher_goes_to_the_same_page_or_to_the_home_page_with_a_notice() {
    let site = built();
    let switch = |file: &str| element(&site.file(file), "<nav class=\"lang-switch\"", "</nav>");
    assert!(
        switch("roles/alpha/index.html")
            .contains(r#"href="/en/roles/alpha/" hreflang="en" lang="en""#)
    );
    assert!(switch("en/roles/alpha/index.html").contains(r#"href="/roles/alpha/" hreflang="ru""#));
    assert!(switch("roles/beta/index.html").contains(r#"href="/en/#untranslated""#));
    // The 404 page goes to the other language's home page, with no notice.
    assert!(switch("404.html").contains(r#"href="/en/" hreflang="en""#));
    assert!(alternates(&site.file("404.html")).is_empty());
    let home = site.file("en/index.html");
    assert!(home.contains(r#"<p id="untranslated" class="notice untranslated-notice""#));
    assert!(home.contains("has not been translated into English yet"));
    // UI strings in the page's language.
    assert!(switch("roles/alpha/index.html").contains(r#"aria-label="Язык""#));
    assert!(switch("en/roles/alpha/index.html").contains(r#"aria-label="Language""#));
}

#[test]
fn a_translated_role_inherits_its_figures_and_its_links_follow_the_language() {
    let site = built();
    let main = site.main_html("/en/roles/alpha/");
    assert!(
        main.contains("40,000"),
        "the inherited salary, English digits: {main}"
    );
    assert!(
        main.contains("Works with the company"),
        "the translated summary"
    );
    // `beta` has no English version: the link stays on the Russian page; an
    // anchor the translation lacks keeps pointing at the original.
    assert!(main.contains(r#"href="/roles/beta/""#), "{main}");
    assert!(
        main.contains(r#"href="/roles/alpha/#obyazannosti""#),
        "{main}"
    );
    let roles: serde_json::Value = serde_json::from_str(&site.file("en/roles.json")).unwrap();
    let roles = roles
        .as_array()
        .or_else(|| roles["roles"].as_array())
        .unwrap()
        .clone();
    assert_eq!(roles.len(), 1, "English roles only: {roles:?}");
    let text = roles[0].to_string();
    assert!(
        text.contains("Alpha manager") && text.contains("40000") && text.contains("160000"),
        "{text}"
    );
    let ld = site.file("en/roles/alpha/index.html");
    assert!(
        ld.contains(r#""inLanguage":"en""#),
        "JSON-LD names the language"
    );
}

#[test]
fn feeds_sitemap_and_knowledge_base_pages_are_per_language() {
    let site = built();
    let en = site.file("en/atom.xml");
    let ru = site.file("atom.xml");
    assert!(en.contains("How to pass an interview") && !en.contains("Как пройти"));
    assert!(ru.contains("Как пройти") && !ru.contains("How to pass"));
    let sitemap = site.file("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let alpha = element(
        &sitemap,
        "<loc>https://example.org/en/roles/alpha/</loc>",
        "</url>",
    );
    assert!(
        alpha.contains(
            r#"<xhtml:link rel="alternate" hreflang="ru" href="https://example.org/roles/alpha/"/>"#
        ),
        "{alpha}"
    );
    assert!(alpha.contains(r#"hreflang="x-default""#));
    let salaries = site.main_html("/en/salaries/");
    assert!(
        salaries.contains("Alpha manager") && !salaries.contains("Бета"),
        "{salaries}"
    );
}

#[test]
fn a_stale_translation_shows_a_notice_until_its_hash_is_recorded() {
    let site = TestSite::new("multilingual");
    site.build();
    let notice = "The original has changed since this translation was made";
    assert!(
        site.main_html("/en/articles/interview/").contains(notice),
        "updated later"
    );
    assert!(!site.main_html("/en/roles/alpha/").contains(notice));
    let check = site.run(&["check"]);
    assert!(
        check.stdout.contains("content/articles/interview.en.md:3:1: warning[stale-translation]: `content/articles/interview.md` was updated after this translation"),
        "{}",
        check.stdout
    );
    let fixed = site.run(&["check", "--fix-hashes", "content/articles/interview.en.md"]);
    assert!(
        fixed
            .stderr
            .contains("recorded the original's hash in content/articles/interview.en.md"),
        "{fixed:?}"
    );
    assert!(
        !fixed.stdout.contains("stale-translation"),
        "{}",
        fixed.stdout
    );
    let text =
        std::fs::read_to_string(site.root().join("content/articles/interview.en.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: How to pass an interview\n"),
        "the rest kept: {text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("translation_of_hash: ") && l.len() == 37),
        "{text}"
    );
    site.build();
    assert!(!site.main_html("/en/articles/interview/").contains(notice));
    // The original's body changes: stale again, at the recorded hash's line.
    let original = site.root().join("content/articles/interview.md");
    let body = std::fs::read_to_string(&original).unwrap() + "\nНовый абзац.\n";
    std::fs::write(&original, body).unwrap();
    site.build();
    assert!(site.main_html("/en/articles/interview/").contains(notice));
    let check = site.run(&["check"]);
    assert!(
        check.stdout.contains("content/articles/interview.en.md:5:1: warning[stale-translation]: `content/articles/interview.md` has changed since this translation was made from it"),
        "{}",
        check.stdout
    );
    // Only whitespace at the end of lines changed: not stale.
    let fixed = site.run(&["check", "--fix-hashes"]);
    assert!(
        !fixed.stdout.contains("stale-translation"),
        "{}",
        fixed.stdout
    );
    let body = std::fs::read_to_string(&original)
        .unwrap()
        .replace("вакансии.", "вакансии.   ");
    std::fs::write(&original, body).unwrap();
    assert!(!site.run(&["check"]).stdout.contains("stale-translation"));
    let stray = site.run(&["check", "--fix-hashes", "content/roles/beta.md"]);
    assert!(
        stray
            .stderr
            .contains("content/roles/beta.md: error: this file is not a translation of the site"),
        "{stray:?}"
    );
}

#[test]
fn missing_translations_are_reported_only_when_switched_on() {
    let site = TestSite::new("multilingual");
    assert!(!site.run(&["check"]).stdout.contains("missing-translation"));
    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    site.write(
        "rolebook.yaml",
        &format!("{config}lint:\n  rules:\n    missing-translation: warn\n"),
    );
    let out = site.run(&["check"]).stdout;
    assert!(
        out.contains("content/roles/beta.md:1:1: warning[missing-translation]: this page has no translation into `en`\n  hint: write `content/roles/beta.en.md`"),
        "{out}"
    );
    assert!(
        !out.contains("content/roles/alpha.md:1:1: warning[missing-translation]"),
        "{out}"
    );
    // Inherited figures are checked once, on the original.
    assert_eq!(out.matches("warning[stale-salary]").count(), 1, "{out}");
}

#[test]
fn translation_mistakes_are_one_located_error_each() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "content/roles/gamma.en.md",
            "---\ntitle: Gamma\n---\n",
            "content/roles/gamma.en.md:1:1: error: `content/roles/gamma.en.md` is a translation of `content/roles/gamma.md`, which does not exist",
        ),
        (
            "content/roles/beta.ru.md",
            "---\ntitle: Бета\n---\n",
            "content/roles/beta.ru.md:1:1: error: `content/roles/beta.ru.md` and `content/roles/beta.md` are both the `ru` version of `content/roles/beta.md`",
        ),
        (
            "content/roles/beta.en.md",
            "---\ntitle: Beta\nkind: article\n---\n",
            "content/roles/beta.en.md:3:1: error: this translation's kind is `article`, but its original `content/roles/beta.md` is of kind `role`",
        ),
    ];
    for (file, text, expected) in cases {
        let site = TestSite::new("multilingual");
        site.write(file, text);
        let errors = site.errors();
        assert_eq!(errors.len(), 1, "{file}: {errors:?}");
        assert!(errors[0].starts_with(expected), "{file}: {}", errors[0]);
    }
    let site = TestSite::new("multilingual");
    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    site.write("rolebook.yaml", &config.replace("  en:", "  english:"));
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("rolebook.yaml:6:3: error:"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("`english`"), "{}", errors[0]);
}

#[test]
fn a_site_in_one_language_has_no_switcher_and_no_alternates() {
    let site = TestSite::new("kb");
    site.build();
    let html = site.file("roles/alpha/index.html");
    assert!(
        !html.contains("lang-switch") && !html.contains("hreflang"),
        "{html}"
    );
    assert!(!site.file("sitemap.xml").contains("xhtml"));
}

#[test]
fn new_writes_a_translation_next_to_its_original() {
    let site = TestSite::new("multilingual");
    let out = site.run(&[
        "new",
        "role",
        "Beta manager",
        "--lang",
        "en",
        "--of",
        "beta",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "created content/roles/beta.en.md\n");
    let text = std::fs::read_to_string(site.root().join("content/roles/beta.en.md")).unwrap();
    assert!(text.starts_with("---\ntitle: \"Beta manager\"\n"), "{text}");
    site.build();
    assert!(site.exists("en/roles/beta/index.html"));
    assert!(
        !site
            .main_html("/en/roles/beta/")
            .contains("The original has changed")
    );
    let wrong = site.run(&["new", "role", "Gamma", "--lang", "de"]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong
            .stderr
            .contains("`de` is not one of the site's languages (`ru`, `en`)"),
        "{wrong:?}"
    );
    let typo = site.run(&[
        "new",
        "article",
        "Interview",
        "--lang",
        "en",
        "--of",
        "interviw",
    ]);
    assert!(
        typo.stderr.contains("did you mean `--of interview`?"),
        "{typo:?}"
    );
}

#[test]
fn init_writes_a_site_with_english_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_rolebook");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(run(&["init", "site"]).status.success());
    let check = run(&["check", "--root", "site", "--deny", "warnings"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(run(&["build", "--root", "site"]).status.success());
    let role = std::fs::read_to_string(
        dir.path()
            .join("site/public/en/roles/primer-roli/index.html"),
    )
    .unwrap();
    assert!(role.starts_with("<!DOCTYPE html>\n<html lang=\"en\""));
}

#[test]
fn english_search_finds_english_pages_only() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::new("multilingual");
    // `rolebook serve`, the way an editor sees the site.
    let server = crate::serve::Server::start(site.root(), &[]);
    let tab = browser::tab(&chrome);
    let results = |path: &str| -> Vec<String> {
        let url = format!("{}{path}", server.url);
        tab.navigate_to(&url).unwrap();
        let js = format!(
            "const r = document.getElementById('search-results');
             if (location.href !== {} || !r || r.dataset.state === 'loading') {{ window.__seen = [location.href, r && r.dataset.state, document.readyState]; return null; }}
             return {{state: r.dataset.state, urls: [...r.querySelectorAll('a[href]')].map(a => new URL(a.href).pathname)}};",
            serde_json::to_string(&url).unwrap()
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let found = loop {
            if let Ok(value) = browser::try_eval(&tab, &js)
                && !value.is_null()
            {
                break value;
            }
            let last = browser::try_eval(&tab, "return window.__seen");
            assert!(std::time::Instant::now() < deadline, "{path}: {last:?}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        assert_eq!(found["state"], "done", "{path}: {found}");
        serde_json::from_value(found["urls"].clone()).unwrap()
    };
    let english = results("/en/search/?q=negotiations");
    assert_eq!(
        english.first().map(String::as_str),
        Some("/en/roles/alpha/"),
        "{english:?}"
    );
    assert!(english.iter().all(|u| u.starts_with("/en/")), "{english:?}");
    let russian_query =
        results("/en/search/?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D1%8B");
    assert!(
        russian_query.iter().all(|u| u.starts_with("/en/")),
        "{russian_query:?}"
    );
    let russian =
        results("/search/?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D1%8B");
    assert_eq!(
        russian.first().map(String::as_str),
        Some("/roles/alpha/"),
        "{russian:?}"
    );
    assert!(
        !russian.iter().any(|u| u.starts_with("/en/")),
        "{russian:?}"
    );
}

#[test]
fn the_switcher_works_in_a_browser_and_the_notice_shows_only_when_sent_there() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::new("multilingual");
    // `rolebook serve`, the way an editor sees the site.
    let server = crate::serve::Server::start(site.root(), &[]);
    let tab = browser::tab(&chrome);
    let go = |path: &str| {
        let url = format!("{}{path}", server.url);
        tab.navigate_to(&url).unwrap();
        let js = format!(
            "return location.href === {} && document.readyState === 'complete'",
            serde_json::to_string(&url).unwrap()
        );
        browser::wait_for(
            &format!("page {path}"),
            std::time::Duration::from_secs(30),
            || browser::try_eval(&tab, &js).ok()?.as_bool().filter(|&b| b),
        );
    };
    let click_switch = || {
        let before = browser::eval(&tab, "return location.href");
        browser::eval(&tab, "document.querySelector('.lang-switch a').click()");
        let js = format!(
            "return location.href !== {before} && document.readyState === 'complete' ? location.pathname + location.hash : null"
        );
        browser::wait_for(
            "the other language",
            std::time::Duration::from_secs(30),
            || {
                let value = browser::try_eval(&tab, &js).ok()?;
                value.as_str().map(str::to_string)
            },
        )
    };
    let notice_shown = || {
        browser::eval(
            &tab,
            "return getComputedStyle(document.getElementById('untranslated')).display !== 'none'",
        )
    };
    go("/roles/alpha/");
    assert_eq!(click_switch(), "/en/roles/alpha/");
    assert_eq!(click_switch(), "/roles/alpha/");
    go("/en/");
    assert_eq!(notice_shown(), serde_json::Value::Bool(false));
    go("/roles/beta/");
    assert_eq!(click_switch(), "/en/#untranslated");
    assert_eq!(notice_shown(), serde_json::Value::Bool(true));
    assert_eq!(
        browser::eval(&tab, "return scrollY"),
        serde_json::json!(0),
        "the page stays at the top"
    );
}

#[test]
fn serve_rebuilds_translations_and_their_originals_incrementally() {
    let site = TestSite::new("multilingual");
    assert_eq!(site.run(&["check", "--fix-hashes"]).code, 0);
    let server = crate::serve::Server::start(site.root(), &[]);
    let wait_until = |path: &str, what: &str, has: bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let (_, _, body) = server.get(path);
            if String::from_utf8_lossy(&body).contains(what) == has {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{path}: `{what}` never {has}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    let notice = "The original has changed since this translation was made";
    wait_until("/en/articles/interview/", "How to pass an interview", true);
    wait_until("/en/articles/interview/", notice, false);
    // The English page gets its own slug: it moves, and its original's
    // alternates and switcher follow.
    let english = site.root().join("content/roles/alpha.en.md");
    let text = std::fs::read_to_string(&english).unwrap();
    std::fs::write(
        &english,
        text.replace(
            "title: Alpha manager",
            "title: Alpha lead\nslug: alpha-lead",
        ),
    )
    .unwrap();
    wait_until("/en/roles/alpha-lead/", "Alpha lead", true);
    wait_until(
        "/roles/alpha/",
        r#"href="/en/roles/alpha-lead/" hreflang="en""#,
        true,
    );
    // The original's body changes: its translation says so.
    let original = site.root().join("content/articles/interview.md");
    let body = std::fs::read_to_string(&original).unwrap() + "\nЕщё один совет.\n";
    std::fs::write(&original, body).unwrap();
    wait_until("/en/articles/interview/", notice, true);
    server.assert_incremental_matched_full();
}

#[test]
fn components_speak_the_language_of_the_page_that_calls_them() {
    let site = TestSite::new("multilingual");
    let english = site.root().join("content/roles/alpha.en.md");
    let text = std::fs::read_to_string(&english).unwrap();
    site.write(
        "content/roles/alpha.en.md",
        &format!("{text}\nPay: {{{{ salary(role=\"alpha\") }}}}.\n"),
    );
    let russian = site.root().join("content/roles/beta.md");
    let text = std::fs::read_to_string(&russian).unwrap();
    site.write(
        "content/roles/beta.md",
        &format!("{text}\nЗарплата альфы: {{{{ salary(role=\"alpha\") }}}}.\n"),
    );
    site.build();
    let en = site.main_html("/en/roles/alpha/");
    assert!(
        en.contains(r#"<a class="salary-quote" href="/en/roles/alpha/">Москва: 40,000"#)
            && en.contains("per month, data as of November 4, 2020</a>"),
        "{en}"
    );
    let ru = site.main_html("/roles/beta/");
    assert!(
        ru.contains(r#"<a class="salary-quote" href="/roles/alpha/">Москва: 40"#),
        "{ru}"
    );
    assert!(ru.contains("месяц, данные на"), "{ru}");
}

#[test]
fn a_translation_of_a_draft_is_built_only_with_drafts() {
    let site = TestSite::new("multilingual");
    site.write(
        "content/roles/dr.md",
        "---\ntitle: Черновик\ndraft: true\n---\nТекст.\n",
    );
    site.write("content/roles/dr.en.md", "---\ntitle: Draft\n---\nText.\n");
    site.build();
    assert!(!site.exists("en/roles/dr/index.html") && !site.exists("roles/dr/index.html"));
    let mut options = site.options();
    options.drafts = true;
    rolebook::site::build(&options).unwrap();
    assert!(site.exists("en/roles/dr/index.html") && site.exists("roles/dr/index.html"));
}
