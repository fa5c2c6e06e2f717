//! The default theme: publishing meta, sub-path builds, feeds, languages,
//! and in a real browser accessibility (axe-core), layout on phones, the
//! remembered dark mode and offline reading.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::browser::{self, StaticServer};
use crate::pages::{self, PAGE_TYPES, Scheme};
use crate::support::TestSite;

/// Every `.html` file under `dir`, sorted.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Save screenshots of every page type at phone and desktop sizes, light and
/// dark, into `$ROLEBOOK_SCREENSHOTS` (default `/tmp/theme-shots`). A tool for
/// looking at the theme, not a check: `cargo test screenshots -- --ignored`.
#[test]
#[ignore = "writes screenshots for people to look at"]
fn screenshots() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let dir = std::env::var_os("ROLEBOOK_SCREENSHOTS")
        .map_or_else(|| PathBuf::from("/tmp/theme-shots"), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    let site = TestSite::bundled();
    site.build();
    let server = StaticServer::start(&site.public());
    // Optional filters: `ROLEBOOK_SCREENSHOT_ONLY=role,home:390:dark` (page names, width, scheme).
    let only = std::env::var("ROLEBOOK_SCREENSHOT_ONLY").unwrap_or_default();
    let mut filter = only.split(':');
    let (names, widths, schemes) = (
        filter.next().unwrap_or(""),
        filter.next().unwrap_or(""),
        filter.next().unwrap_or(""),
    );
    let wanted = |list: &str, item: &str| list.is_empty() || list.split(',').any(|x| x == item);
    let tab = browser::tab(&chrome);
    for (width, height) in [(390, 844), (1366, 900)] {
        for scheme in [Scheme::Light, Scheme::Dark] {
            if !wanted(widths, &width.to_string()) || !wanted(schemes, scheme.name()) {
                continue;
            }
            pages::emulate(&tab, width, height, scheme);
            for (name, url) in PAGE_TYPES {
                if !wanted(names, name) {
                    continue;
                }
                pages::open(&tab, &format!("{}{url}", server.url));
                let file = format!("{}-{width}-{}", name.replace(' ', "-"), scheme.name());
                pages::full_screenshot(&tab, &dir, &file, (width, height), scheme);
            }
        }
    }
}

/// `axe.min.js` from `tests/node_modules` (`npm ci` in `tests/`), or `None`
/// with a notice; a failure when `ROLEBOOK_REQUIRE_BROWSER` is set.
fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var_os("ROLEBOOK_REQUIRE_BROWSER").is_some() => {
            panic!("{} is missing: run `npm ci` in tests/", path.display())
        }
        Err(_) => {
            eprintln!("skipped: axe-core not installed (run `npm ci` in tests/)");
            None
        }
    }
}

/// Serious and critical axe violations on the open page, one line each.
fn axe_violations(tab: &headless_chrome::Tab, axe: &str) -> Vec<String> {
    tab.evaluate(axe, false).expect("inject axe-core");
    let result = browser::eval(
        tab,
        r#"const r = await axe.run(document, { runOnly: { type: "tag",
               values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
           return r.violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);"#,
    );
    result
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("axe did not run: {result}")])
}

#[test]
fn axe_finds_no_serious_violations_on_any_page_type() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::bundled();
    site.build();
    let server = StaticServer::start(&site.public());
    let tab = browser::tab(&chrome);
    let mut problems = Vec::new();
    for scheme in [Scheme::Light, Scheme::Dark] {
        pages::emulate(&tab, 1366, 900, scheme);
        for (name, url) in PAGE_TYPES {
            pages::open(&tab, &format!("{}{url}", server.url));
            for violation in axe_violations(&tab, &axe) {
                problems.push(format!("{name} ({url}, {}): {violation}", scheme.name()));
            }
        }
    }
    // Phones get a different header and table layout: check the busiest pages there too.
    pages::emulate(&tab, 390, 844, Scheme::Light);
    for url in [
        "/",
        "/roles/account-manager/",
        "/comparisons/account-manager-vs-project-manager/",
    ] {
        pages::open(&tab, &format!("{}{url}", server.url));
        for violation in axe_violations(&tab, &axe) {
            problems.push(format!("phone ({url}): {violation}"));
        }
    }
    assert!(
        problems.is_empty(),
        "axe-core found:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_html_file_declares_its_language() {
    for case in ["bundled", "basic"] {
        let site = if case == "bundled" {
            TestSite::bundled()
        } else {
            TestSite::new(case)
        };
        site.build();
        let files = html_files(&site.public());
        assert!(files.len() > 10, "{case}: too few pages");
        for file in files {
            let html = std::fs::read_to_string(&file).unwrap();
            let english = file.strip_prefix(site.public()).unwrap().starts_with("en");
            let lang = if english { "en" } else { "ru" };
            assert!(
                html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\"")),
                "{case}: no <html lang=\"{lang}\"> in {}",
                file.display()
            );
        }
    }
}

/// The `content` of `<meta {attr}="{name}" content="...">`, if present.
fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("<meta {attr}=\"{name}\" content=\""))?;
    let rest = &html[start..];
    let value = rest.split("content=\"").nth(1)?.split('"').next()?;
    Some(value.to_string())
}

#[test]
fn pages_carry_social_cards_canonical_and_description() {
    let site = TestSite::bundled();
    site.build();
    for file in html_files(&site.public()) {
        let rel = file
            .strip_prefix(site.public())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with("print/index.html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).unwrap();
        let url = format!("https://example.org/{}", rel.trim_end_matches("index.html"));
        let canonical = format!("<link rel=\"canonical\" href=\"{url}\">");
        assert!(html.contains(&canonical), "{rel}: {canonical}");
        for (attr, name) in [
            ("property", "og:title"),
            ("property", "og:description"),
            ("property", "og:type"),
            ("property", "og:site_name"),
            ("name", "twitter:card"),
            ("name", "twitter:title"),
            ("name", "description"),
        ] {
            let value = meta(&html, attr, name).unwrap_or_default();
            assert!(!value.trim().is_empty(), "{rel}: no {name}");
        }
        assert_eq!(
            meta(&html, "property", "og:url").as_deref(),
            Some(url.as_str()),
            "{rel}"
        );
        let locale = if rel.starts_with("en/") {
            "en_US"
        } else {
            "ru_RU"
        };
        assert_eq!(
            meta(&html, "property", "og:locale").as_deref(),
            Some(locale),
            "{rel}"
        );
    }
    let role = site.file("roles/account-manager/index.html");
    assert_eq!(
        meta(&role, "property", "og:type").as_deref(),
        Some("article")
    );
    assert!(
        meta(&role, "name", "description")
            .unwrap()
            .starts_with("Кто такой аккаунт-менеджер")
    );
    assert_eq!(
        meta(&site.file("index.html"), "property", "og:type").as_deref(),
        Some("website")
    );
}

#[test]
fn meta_description_falls_back_to_the_start_of_the_text() {
    let site = TestSite::new("theme-en");
    site.build();
    let html = site.file("guides/salaries/index.html");
    let description = meta(&html, "name", "description").unwrap();
    assert!(
        description.starts_with("Salaries vary a lot."),
        "{description}"
    );
    assert!(!description.contains('<'), "plain text: {description}");
}

/// Every `href`, `src` and `srcset` URL in an HTML file.
fn html_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attr in [" href=\"", " src=\"", " srcset=\""] {
        for piece in html.split(attr).skip(1) {
            let value = piece.split('"').next().unwrap_or("");
            if attr == " srcset=\"" {
                urls.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(String::from),
                );
            } else {
                urls.push(value.to_string());
            }
        }
    }
    urls
}

/// Every `url(...)` in a stylesheet, except `data:` URLs.
fn css_urls(css: &str) -> Vec<String> {
    css.split("url(")
        .skip(1)
        .map(|rest| {
            rest.split(')')
                .next()
                .unwrap_or("")
                .trim_matches(['"', '\''])
                .to_string()
        })
        .filter(|u| !u.starts_with("data:"))
        .collect()
}

#[test]
fn sub_path_builds_link_everything_under_the_prefix() {
    let site = TestSite::bundled();
    let mut options = site.options();
    options.base_url = Some("https://example.org/kb/".into());
    rolebook::site::build(&options).unwrap_or_else(|f| panic!("build failed: {:?}", f.errors));
    let public = site.public();
    let mut checked = 0;
    let mut check = |from: &str, url: &str| {
        let url = url.replace("&amp;", "&");
        if url.starts_with('#') || url.starts_with("mailto:") || url.starts_with("data:") {
            return;
        }
        let path = if let Some(rest) = url.strip_prefix("https://example.org") {
            rest.to_string()
        } else if url.starts_with("http://") || url.starts_with("https://") {
            return;
        } else {
            url.clone()
        };
        assert!(
            path.starts_with("/kb/"),
            "{from}: `{url}` is not under /kb/"
        );
        let rel = path["/kb/".len()..].split(['?', '#']).next().unwrap_or("");
        let mut target = public.join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            target = target.join("index.html");
        }
        assert!(target.is_file(), "{from}: `{url}` resolves to nothing");
        checked += 1;
    };
    for file in html_files(&public) {
        let rel = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(
            html.contains(r#"data-base="/kb/""#) || !html.contains("data-base"),
            "{rel}"
        );
        for url in html_urls(&html) {
            check(&rel, &url);
        }
    }
    for css in ["style.css", "print.css"] {
        for url in css_urls(&std::fs::read_to_string(public.join(css)).unwrap()) {
            check(css, &url);
        }
    }
    assert!(checked > 500, "only {checked} URLs checked");
}

fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children().find(|c| c.tag_name().name() == name)
}

#[test]
fn feeds_are_valid_atom() {
    let site = TestSite::bundled();
    site.build();
    for feed in ["atom.xml", "articles/atom.xml", "roles/atom.xml"] {
        let xml = site.file(feed);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed", "{feed}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom"),
            "{feed}"
        );
        let rfc3339 = |text: &str| text.parse::<jiff::Timestamp>().is_ok();
        assert!(
            rfc3339(child(root, "updated").unwrap().text().unwrap()),
            "{feed}: updated"
        );
        let entries: Vec<_> = root
            .children()
            .filter(|c| c.tag_name().name() == "entry")
            .collect();
        assert!(!entries.is_empty(), "{feed}: no entries");
        for entry in entries {
            let title = child(entry, "title").and_then(|t| t.text()).unwrap_or("");
            assert!(!title.trim().is_empty(), "{feed}: entry without title");
            let link = child(entry, "link")
                .and_then(|l| l.attribute("href"))
                .unwrap_or("");
            assert!(
                link.starts_with("https://example.org/"),
                "{feed}: {title}: link `{link}`"
            );
            let id = child(entry, "id").and_then(|i| i.text()).unwrap_or("");
            assert!(!id.is_empty(), "{feed}: {title}: id");
            let updated = child(entry, "updated").and_then(|u| u.text()).unwrap_or("");
            assert!(
                rfc3339(updated),
                "{feed}: {title}: updated `{updated}` is not RFC 3339"
            );
        }
    }
}

#[test]
fn english_sites_get_an_english_interface() {
    let site = TestSite::new("theme-en");
    site.build();
    let files = html_files(&site.public());
    assert!(files.len() > 8);
    for file in files {
        let html = std::fs::read_to_string(&file).unwrap();
        let cyrillic: String = html
            .chars()
            .filter(|c| ('\u{400}'..='\u{4ff}').contains(c))
            .take(40)
            .collect();
        assert!(
            cyrillic.is_empty(),
            "{}: Cyrillic `{cyrillic}`",
            file.display()
        );
        assert!(html.contains("<html lang=\"en\""), "{}", file.display());
    }
    let role = site.main_html("/roles/account-manager/");
    for text in [
        "The role in brief",
        "Salary",
        "per year",
        "Career ladder",
        "Pros and cons",
    ] {
        assert!(role.contains(text), "{text} on the role page");
    }
    let home = site.file("index.html");
    assert!(home.contains(">Skip to content<") && home.contains("og:locale\" content=\"en_US\""));
}

#[test]
fn a_missing_ui_string_names_the_key_and_the_file() {
    let errors = TestSite::new("theme-missing-string").errors();
    assert!(
        errors.iter().any(|e| e
            .starts_with("themes/mini/i18n/ru.yaml: error: missing UI string `search`")
            && e.contains("themes/mini/i18n/en.yaml")),
        "{errors:?}"
    );
}

#[test]
fn a_page_loads_less_than_30_kb_of_css_and_nothing_from_elsewhere() {
    let site = TestSite::bundled();
    site.build();
    let mut largest = (0, String::new());
    for file in html_files(&site.public()) {
        let html = std::fs::read_to_string(&file).unwrap();
        let mut css = 0;
        for piece in html.split("<link rel=\"stylesheet\" href=\"").skip(1) {
            let url = piece.split(['"', '?']).next().unwrap();
            assert!(
                url.starts_with('/'),
                "{}: external stylesheet {url}",
                file.display()
            );
            css += std::fs::metadata(site.public().join(&url[1..]))
                .unwrap()
                .len();
        }
        if css > largest.0 {
            largest = (css, file.display().to_string());
        }
        for tag in [
            "<script src=\"",
            "<img src=\"",
            "<link rel=\"icon\" href=\"",
        ] {
            for piece in html.split(tag).skip(1) {
                assert!(
                    piece.starts_with('/'),
                    "{}: external resource {tag}{}",
                    file.display(),
                    &piece[..40.min(piece.len())]
                );
            }
        }
    }
    let (bytes, page) = largest;
    assert!(bytes < 30 * 1024, "{page} loads {bytes} bytes of CSS");
}

#[test]
fn phones_get_no_sideways_scrolling_and_the_theme_choice_is_remembered() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::bundled();
    site.build();
    let server = StaticServer::start(&site.public());
    let tab = browser::tab(&chrome);
    pages::emulate(&tab, 360, 740, Scheme::Light);
    let mut wide = Vec::new();
    for (name, url) in PAGE_TYPES {
        pages::open(&tab, &format!("{}{url}", server.url));
        let width = browser::eval(&tab, "return document.documentElement.scrollWidth");
        if width.as_u64() > Some(360) {
            wide.push(format!("{name}: {width} px"));
        }
    }
    assert!(
        wide.is_empty(),
        "wider than a 360 px phone:\n{}",
        wide.join("\n")
    );

    // The header search folds into an icon on phones and unfolds in place.
    pages::open(&tab, &format!("{}/roles/", server.url));
    let shown = "return getComputedStyle(document.querySelector('.site-search')).display";
    assert_eq!(browser::eval(&tab, shown), "none");
    tab.wait_for_element("[data-search-toggle]")
        .unwrap()
        .click()
        .unwrap();
    browser::wait_for("search field", Duration::from_secs(5), || {
        (browser::eval(&tab, "return document.activeElement.id") == "site-search-q").then_some(())
    });

    // Dark mode chosen with the toggle survives navigation, before any script of the page runs.
    let dark = "return [document.documentElement.dataset.theme || '', getComputedStyle(document.body).backgroundColor]";
    assert_eq!(browser::eval(&tab, dark)[0], "");
    tab.wait_for_element("[data-theme-toggle]")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(browser::eval(&tab, dark)[0], "dark");
    assert_eq!(
        browser::eval(
            &tab,
            "return document.querySelector('[data-theme-toggle]').getAttribute('aria-pressed')"
        ),
        "true"
    );
    pages::open(&tab, &format!("{}/roles/account-manager/", server.url));
    let after = browser::eval(&tab, dark);
    assert_eq!(after[0], "dark");
    assert_eq!(after[1], "rgb(19, 21, 25)", "dark background");
    if let Some(dir) = std::env::var_os("ROLEBOOK_SCREENSHOTS") {
        browser::screenshot(&tab, &Path::new(&dir).join("role-phone-dark-toggle.png"));
    }
}

#[test]
fn pages_work_without_javascript() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::bundled();
    site.build();
    let server = StaticServer::start(&site.public());
    let tab = browser::tab(&chrome);
    tab.call_method(
        headless_chrome::protocol::cdp::Emulation::SetScriptExecutionDisabled { value: true },
    )
    .unwrap();
    pages::emulate(&tab, 390, 844, Scheme::Dark);
    pages::open(&tab, &format!("{}/roles/account-manager/", server.url));
    let state = browser::eval(
        &tab,
        "return [getComputedStyle(document.body).backgroundColor,
                 document.querySelector('[data-search-toggle]').getAttribute('href'),
                 getComputedStyle(document.querySelector('.site-nav')).display,
                 document.querySelectorAll('.salary-chart .chart-bar').length,
                 !!document.querySelector('[data-theme-toggle]').hidden]",
    );
    assert_eq!(
        state[0], "rgb(19, 21, 25)",
        "the system's dark scheme applies without JS"
    );
    assert_eq!(
        state[1], "/search/",
        "the search icon is a link to the search page"
    );
    assert_ne!(state[2], "none", "section navigation is shown");
    assert_eq!(state[3], 2, "the salary chart is drawn at build time");
    assert_eq!(
        state[4], true,
        "the toggle needs JS and is hidden without it"
    );
}

#[test]
fn visited_pages_and_search_files_stay_readable_offline() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::bundled();
    site.build();
    let server = pages::SwitchableServer::start(&site.public());
    let base = server.url.clone();
    let tab = browser::tab(&chrome);
    pages::open(&tab, &format!("{base}/roles/account-manager/"));
    let kept = |url: &str| {
        let js = format!("return !!(await caches.match('{base}{url}'))");
        move |tab: &headless_chrome::Tab| browser::eval(tab, &js) == true
    };
    // The first page is handed to the worker once it is active.
    browser::wait_for("the first page to be kept", Duration::from_secs(15), || {
        kept("/roles/account-manager/")(&tab).then_some(())
    });
    // Later pages go through the worker; the search page fetches its files.
    pages::open(&tab, &format!("{base}/articles/salaries/"));
    pages::open(&tab, &format!("{base}/search/"));
    browser::eval(
        &tab,
        &format!("await fetch('{base}/search/tokenize.js'); return 1"),
    );
    for url in ["/articles/salaries/", "/search/", "/search/tokenize.js"] {
        browser::wait_for(
            &format!("{url} to be kept"),
            Duration::from_secs(10),
            || kept(url)(&tab).then_some(()),
        );
    }
    server.set_online(false);

    let heading = "return document.querySelector('h1') && document.querySelector('h1').textContent";
    for (url, h1) in [
        ("/roles/account-manager/", "Аккаунт-менеджер"),
        (
            "/articles/salaries/",
            "Зарплаты: что известно и\u{a0}чего мы не\u{a0}знаем",
        ),
        (
            "/search/?q=%D0%B7%D0%B0%D1%80%D0%BF%D0%BB%D0%B0%D1%82%D0%B0",
            "Поиск",
        ),
        ("/roles/hr-manager/", "Нет соединения"),
    ] {
        pages::open(&tab, &format!("{base}{url}"));
        assert_eq!(browser::eval(&tab, heading), h1, "offline: {url}");
    }
    pages::open(&tab, &format!("{base}/roles/account-manager/"));
    tab.reload(false, None).unwrap();
    tab.wait_until_navigated().unwrap();
    browser::wait_for(
        "the page to reload offline",
        Duration::from_secs(10),
        || {
            let h1 = browser::try_eval(&tab, heading).ok()?;
            (h1 == "Аккаунт-менеджер").then_some(())
        },
    );
    let styled = browser::eval(&tab, "return getComputedStyle(document.body).display");
    assert_eq!(styled, "flex", "the stylesheet comes from the cache");
    let search = browser::eval(
        &tab,
        &format!("return (await fetch('{base}/search/tokenize.js')).ok"),
    );
    assert_eq!(search, true, "search files are served offline");
}

/// `sitemap.xml`, `robots.txt` and `atom.xml` are built-in templates: a
/// site's (or theme's) file of the same name replaces one (issue 13).
#[test]
fn built_in_xml_templates_can_be_overridden_file_by_file() {
    let site = TestSite::new("basic");
    site.build();
    assert_eq!(
        site.file("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
    );
    let feed = site.file("atom.xml");
    site.write(
        "templates/robots.txt",
        "User-agent: *\nDisallow: /drafts/\nSitemap: {{ sitemap_url }}\n",
    );
    site.write(
        "templates/sitemap.xml",
        "{% for url in urls %}{{ url.loc | xml }}\n{% endfor %}",
    );
    site.build();
    assert_eq!(
        site.file("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\nSitemap: https://example.org/sitemap.xml\n"
    );
    let sitemap = site.file("sitemap.xml");
    assert!(sitemap.starts_with("https://example.org/\n"), "{sitemap}");
    assert!(
        sitemap.contains("https://example.org/roles/pm/\n"),
        "{sitemap}"
    );
    assert_eq!(
        site.file("atom.xml"),
        feed,
        "the feed keeps its built-in template"
    );
}

/// Issue 18's words: section cards count pages by what they are, term pages
/// start with a capital, and the home page's heading is the site's title.
#[test]
fn cards_count_by_kind_and_titles_read_as_titles() {
    let site = TestSite::bundled();
    site.build();
    let home = site.main_html("/");
    for count in ["7 профессий", "1 сравнение", "2 статьи"] {
        assert!(
            home.contains(&format!("<p class=\"card__meta\">{count}</p>")),
            "{count} in {home}"
        );
    }
    assert!(!home.contains("7 страниц"), "{home}");
    let title = "<h1 class=\"hero__title\">Карьерная база знаний</h1>";
    assert!(home.contains(title), "{home}");
    let html = site.file("qualities/angliysky-yazyk/index.html");
    assert!(html.contains("<h1>Английский язык</h1>"), "{html}");
    assert!(html.contains("<title>Английский язык\u{a0}— "), "{html}");
}
