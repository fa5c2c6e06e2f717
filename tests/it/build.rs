//! Building fixture sites: URLs, sections, bundles, links, ids, drafts,
//! aliases, pagination, output layout and the atomic swap.

use crate::support::{TestSite, element};

fn basic() -> TestSite {
    let site = TestSite::new("basic");
    site.write(
        "content/windows.md",
        "\u{feff}---\r\ntitle: \"Windows\"\r\n---\r\n\r\nCRLF и BOM.\r\n",
    );
    site.write("content/roles/pm.md~", "editor backup, not content");
    site.write("content/roles/.#pm.md", "emacs lock");
    site.write("content/roles/.pm.md.swp", "vim swap");
    site.write("content/roles/notes.tmp", "temp");
    site
}

#[test]
fn pages_get_pretty_urls_from_folders_and_file_names() {
    let site = basic();
    site.build();
    for file in [
        "index.html",
        "roles/index.html",
        "roles/account-manager/index.html",
        "roles/pm/index.html",
        "roles/pm/nested/index.html",
        "roles/hr/index.html",
        "guides/deep/global_objects/index.html",
        "stati/chem-zanyatsya/index.html",
        "windows/index.html",
    ] {
        assert!(site.exists(file), "missing {file}");
    }
}

#[test]
fn home_page_renders_its_body() {
    let site = basic();
    site.build();
    let main = site.main_html("/");
    assert!(main.contains("<strong>тестовую</strong>"), "{main}");
}

#[test]
fn relative_md_links_are_rewritten_to_urls_with_anchors() {
    let site = basic();
    site.build();
    assert!(
        site.main_html("/")
            .contains(r#"href="/roles/pm/#zarplata""#)
    );
    let pm = site.main_html("/roles/pm/");
    assert!(pm.contains(r#"href="/roles/account-manager/""#), "{pm}");
    assert!(pm.contains(r#"href="/stati/chem-zanyatsya/""#), "{pm}");
    let am = site.main_html("/roles/account-manager/");
    assert!(am.contains(r#"href="/roles/pm/#career-custom""#), "{am}");
}

#[test]
fn heading_ids_are_transliterated_unique_and_custom() {
    let site = basic();
    site.build();
    let pm = site.main_html("/roles/pm/");
    assert!(pm.contains(r#"<h2 id="zarplata">Зарплата</h2>"#), "{pm}");
    assert!(pm.contains(r#"<h2 id="zarplata-1">Зарплата</h2>"#), "{pm}");
    assert!(
        pm.contains(r#"<h2 id="career-custom">Карьера</h2>"#),
        "{pm}"
    );
}

#[test]
fn bundle_assets_are_copied_next_to_their_page() {
    let site = basic();
    site.build();
    assert_eq!(
        std::fs::read(site.public().join("roles/pm/chart.png")).unwrap(),
        std::fs::read(site.root().join("content/roles/pm/chart.png")).unwrap()
    );
    assert!(site.exists("roles/pm/nested/scheme.svg"));
    let pm = site.main_html("/roles/pm/");
    assert!(
        pm.contains(r#"<img src="/roles/pm/chart.png" alt="График зарплат""#),
        "{pm}"
    );
    let nested = site.main_html("/roles/pm/nested/");
    assert!(
        nested.contains(r#"src="/roles/pm/nested/scheme.svg""#),
        "{nested}"
    );
}

#[test]
fn drafts_appear_only_with_the_flag() {
    let site = basic();
    site.build();
    assert!(!site.exists("roles/draft/index.html"));
    assert!(!site.file("sitemap.xml").contains("draft"));
    let mut options = site.options();
    options.drafts = true;
    rolebook::site::build(&options).unwrap();
    assert!(site.exists("roles/draft/index.html"));
}

#[test]
fn editor_leftovers_and_hidden_files_are_skipped() {
    let site = basic();
    site.build();
    assert!(!site.exists("roles/pm.md~"));
    assert!(!site.exists("roles/notes.tmp"));
    assert!(!site.exists("roles/.pm.md.swp"));
}

#[test]
fn bom_and_crlf_files_build() {
    let site = basic();
    site.build();
    assert!(site.main_html("/windows/").contains("CRLF и\u{a0}BOM."));
}

#[test]
fn toml_front_matter_is_read() {
    let site = basic();
    site.build();
    let hr = site.file("roles/hr/index.html");
    assert!(hr.contains("<title>HR-менеджер"), "{hr}");
    assert!(hr.contains(r#"datetime="2024-04-01""#), "{hr}");
}

#[test]
fn aliases_write_redirect_pages() {
    let site = basic();
    site.build();
    let redirect = site.file("old/pm/index.html");
    assert!(redirect.contains(r#"<html lang="ru">"#));
    assert!(redirect.contains(r#"url=/roles/pm/"#), "{redirect}");
}

#[test]
fn sections_list_pages_in_weight_order_with_pagination() {
    let site = basic();
    site.build();
    let first = site.main_html("/roles/");
    let am = first.find("Аккаунт-менеджер").expect("am listed");
    let pm = first.find("Менеджер проектов").expect("pm listed");
    assert!(am < pm, "weight order");
    assert!(!first.contains("HR-менеджер"), "third page is on page 2");
    assert!(first.contains(r#"href="/roles/page/2/""#), "{first}");
    let second = site.main_html("/roles/page/2/");
    assert!(second.contains("HR-менеджер"), "{second}");
}

#[test]
fn summary_stops_at_the_more_marker() {
    let site = basic();
    site.build();
    let feed = site.file("atom.xml");
    let entry = element(&feed, "<title>Менеджер проектов</title>", "</entry>");
    assert!(entry.contains("Вступление до ката"), "{entry}");
    assert!(!entry.contains("Текст о зарплате"), "{entry}");
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = basic();
    site.build();
    assert!(site.file("404.html").contains("Своя страница 404"));
    assert_eq!(site.file("CNAME"), "kb.example.org\n");
    assert!(
        site.exists("style.css"),
        "theme static files are still copied"
    );
}

#[test]
fn sitemap_robots_and_404_are_written() {
    let site = basic();
    site.build();
    let sitemap = site.file("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/roles/pm/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<lastmod>2024-03-01</lastmod>"));
    assert!(
        site.file("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn output_is_deterministic() {
    let site = basic();
    site.build();
    let first = snapshot(&site.public());
    site.build();
    assert_eq!(first, snapshot(&site.public()));
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn git_folder_in_the_output_survives_a_rebuild() {
    let site = basic();
    site.build();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.build();
    assert_eq!(site.file(".git/HEAD"), "ref: refs/heads/gh-pages\n");
}

#[test]
fn base_url_with_a_path_prefixes_internal_links() {
    let site = basic();
    let mut options = site.options();
    options.base_url = Some("https://example.org/kb/".into());
    rolebook::site::build(&options).unwrap();
    let pm = site.main_html("/roles/pm/");
    assert!(pm.contains(r#"src="/kb/roles/pm/chart.png""#), "{pm}");
    assert!(pm.contains(r#"href="/kb/roles/account-manager/""#), "{pm}");
    assert!(
        site.file("roles/pm/index.html")
            .contains(r#"<link rel="canonical" href="https://example.org/kb/roles/pm/">"#)
    );
}

#[test]
fn binary_prints_a_summary_and_exits_zero() {
    let site = basic();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("built "), "{out:?}");
    assert!(out.stdout.contains("→ public/"), "{out:?}");
}

#[test]
fn version_and_help_work() {
    let site = TestSite::empty("title: x\n");
    let out = site.run(&["--version"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("rolebook "));
    let out = site.run(&["build", "--help"]);
    assert_eq!(out.code, 0);
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(out.stdout.contains(flag), "{flag} in {}", out.stdout);
    }
}

#[test]
fn a_site_base_template_without_the_theme_blocks_still_builds() {
    let site = TestSite::new("minimal-base");
    site.build();
    assert!(site.file("article/index.html").contains("<h1>Статья</h1>"));
    // A theme template that needs blocks the site's base lacks is an error
    // only when a page needs it: here the tag pages.
    site.write(
        "rolebook.yaml",
        "title: Минимальная тема\ntaxonomies: [tags]\nsearch:\n  enabled: false\n",
    );
    let errors = site.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("taxonomy_list.html") || e.contains("taxonomy_term.html")),
        "{errors:?}"
    );
}

/// Dates as Hugo and Jekyll sites often write them (issue 20): `2020/12/21`.
#[test]
fn dates_with_slashes_are_dates() {
    let site = crate::support::TestSite::new("basic");
    site.write(
        "content/slashed.md",
        "---\ntitle: Статья\ndate: 2020/12/21\n---\nТекст.\n",
    );
    site.build();
    let html = site.file("slashed/index.html");
    assert!(
        html.contains(r#"<time datetime="2020-12-21">21 декабря 2020"#),
        "{html}"
    );
}

/// A site's own `static/robots.txt` replaces the generated one (issue 20),
/// and `--verbose` says so; a theme's static file never does.
#[test]
fn a_sites_own_robots_txt_replaces_the_generated_one() {
    let site = crate::support::TestSite::new("basic");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    let out = site.run(&["build", "--verbose"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        site.file("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    assert!(
        out.stderr
            .contains("robots.txt: the site's static/robots.txt replaces the generated one"),
        "{}",
        out.stderr
    );
    assert!(
        site.file("sitemap.xml").contains("<urlset"),
        "the rest is still generated"
    );
    let plain = crate::support::TestSite::new("basic");
    plain.build();
    assert!(
        plain
            .file("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}
