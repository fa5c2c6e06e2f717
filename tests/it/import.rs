//! Issue 20: `rolebook import` writes a Rolebook site from a Hugo, Zola,
//! VitePress, Docusaurus or mdBook site (`tests/fixtures/import/<tool>`,
//! each holding the constructs that tool's sites use), through the real
//! binary; the new site builds with no error and no foreign syntax left in
//! its pages, code left as it was, and `IMPORT.md` lists what was not
//! converted at its source line.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::TestSite;

const TOOLS: &[&str] = &["hugo", "zola", "vitepress", "docusaurus", "mdbook"];

/// Text of `<main>` outside `<pre>`/`<code>` (what a reader sees as prose).
fn prose_of(main: &str) -> String {
    let mut out = String::new();
    let mut rest = main;
    loop {
        let next = ["<pre", "<code"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((at, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let end = if tag == "<pre" { "</pre>" } else { "</code>" };
        rest = rest[at..]
            .find(end)
            .map_or("", |e| &rest[at + e + end.len()..]);
    }
}

/// Every HTML page of the output, by path.
fn pages(site: &TestSite) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let rel = entry.path().strip_prefix(site.public()).unwrap();
            out.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read_to_string(entry.path()).unwrap(),
            );
        }
    }
    out
}

#[test]
fn every_tool_imports_into_a_site_that_builds_without_foreign_syntax() {
    for tool in TOOLS {
        let site = TestSite::import(tool);
        site.build();
        for (path, html) in pages(&site) {
            if !html.contains("<main") {
                continue;
            }
            let prose = prose_of(&crate::support::element(&html, "<main", "</main>"));
            for junk in [
                ":::",
                "{{&lt;",
                "{{%",
                "{/*",
                "&lt;Note",
                "&lt;Sandpack",
                "[[toc]]",
                "{{#include ../",
            ] {
                assert!(
                    !prose.contains(junk),
                    "{tool}: {path} shows `{junk}`:\n{prose}"
                );
            }
        }
        let report = site.source("IMPORT.md");
        assert!(report.starts_with("# Import report"), "{report}");
    }
}

#[test]
fn hugo_front_matter_shortcodes_and_static_files() {
    let site = TestSite::import("hugo");
    let config = site.source("rolebook.yaml");
    assert!(config.contains("title: Справка по инструменту"), "{config}");
    assert!(
        config.contains("base_url: https://example.org/spravka/"),
        "{config}"
    );
    assert!(config.contains("- categories"), "{config}");
    let first = site.source("content/docs/first.md");
    for expected in [
        "date: 2020-12-21T10:00:00+03:00",
        "updated: 2021-03-05T18:30:00+03:00",
        "- /old/first-steps/",
        "  linkTitle: Начало",
        "{{ youtube(id=\"dQw4w9WgXcQ\") }}",
        "![Схема](/images/a.png)",
        "> [!NOTE]\n> Команда `tool version` печатает **номер версии**.",
        "```go\npackage main",
        "[«Настройка»](/docs/second.md)",
        // Shortcodes inside code stay as written.
        "```markdown\n{{< youtube dQw4w9WgXcQ >}}",
        "`{{< figure src=\"/images/a.png\" >}}`",
    ] {
        assert!(first.contains(expected), "no {expected:?} in\n{first}");
    }
    let second = site.source("content/docs/second.md");
    assert!(second.contains("date: 2020/12/21"), "{second}");
    assert!(
        second.contains("{{ youtube(id=\"dQw4w9WgXcQ\", title=\"Видео\") }}"),
        "{second}"
    );
    assert!(second.contains("Профиль\n: набор настроек"), "{second}");
    assert!(site.root().join("static/images/a.png").is_file());
    assert!(site.root().join("content/docs/bundle/pic.png").is_file());

    site.build();
    let page = site.main_html("/docs/first/");
    assert!(page.contains("class=\"video-card\""), "{page}");
    assert!(
        page.contains("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        "{page}"
    );
    assert!(page.contains("callout callout-note"), "{page}");
    assert!(page.contains("href=\"/spravka/docs/second/\""), "{page}");
    assert!(page.contains("<dl>") || site.main_html("/docs/second/").contains("<dl>"));
    // The site's own robots.txt wins over the generated one.
    assert_eq!(
        site.file("robots.txt"),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/import/hugo/static/robots.txt")
        )
        .unwrap()
    );
}

#[test]
fn zola_shortcodes_and_internal_links() {
    let site = TestSite::import("zola");
    let first = site.source("content/docs/first.md");
    assert!(first.contains("tags:\n- начало"), "{first}");
    assert!(first.contains("extra:\n  difficulty: лёгкая"), "{first}");
    assert!(
        first.contains("[следующей заметке](/docs/second.md)"),
        "{first}"
    );
    assert!(first.contains("> [!NOTE]"), "{first}");
    assert!(
        first.contains("```jinja\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n{% note() %}"),
        "{first}"
    );
    let second = site.source("content/docs/second.md");
    assert!(
        second.contains("`[a](@/docs/first.md)`"),
        "code keeps `@/`: {second}"
    );
    assert!(!second.contains("gallery"), "{second}");
    let report = site.source("IMPORT.md");
    assert!(
        report.contains(
            "`content/docs/second.md:21`: the shortcode `gallery` has no Rolebook equivalent"
        ),
        "{report}"
    );
    site.build();
    let page = site.main_html("/docs/first/");
    assert!(
        page.contains("href=\"/zametki/docs/second/#anchor\""),
        "{page}"
    );
    assert!(page.contains("class=\"video-card\""), "{page}");
}

#[test]
fn vitepress_containers_scripts_and_sidebar_order() {
    let site = TestSite::import("vitepress");
    let config = site.source("rolebook.yaml");
    assert!(
        config.contains("urls: preserve_case") && config.contains("index_pages: section"),
        "{config}"
    );
    let containers = site.source("content/guide/containers.md");
    for expected in [
        "> [!WARNING]\n> **Заголовок**",
        "> [!CAUTION]",
        "{% details(summary=\"Подробнее\") %}",
        "```sh [npm]",
        "> [!TIP]\n> **Вложенный блок**",
        "```md\n::: warning Заголовок",
    ] {
        assert!(
            containers.contains(expected),
            "no {expected:?} in\n{containers}"
        );
    }
    let api = site.source("content/api/useThing.md");
    assert!(!api.contains("<script") && !api.contains("<style"), "{api}");
    assert!(api.contains("Текущее сообщение: `{{ msg }}`."), "{api}");
    assert!(
        api.contains("{% details(summary=\"Код примеров этой страницы (Vue)\") %}\n```js\nimport Demo from './Demo.vue'"),
        "the script's code, at the end: {api}"
    );
    assert!(
        api.contains("```js\nexport function useThing"),
        "the snippet: {api}"
    );
    let report = site.source("IMPORT.md");
    assert!(
        report.contains("`src/api/useThing.md:1`: a `<script>` block"),
        "{report}"
    );
    assert!(report.contains("`<Demo />`"), "{report}");
    // The sidebar's order: Обзор, Введение, Блоки.
    let weight = |file: &str| -> i64 {
        let text = site.source(file);
        let line = text
            .lines()
            .find(|l| l.starts_with("weight: "))
            .unwrap_or_else(|| panic!("{text}"));
        line[8..].parse().unwrap()
    };
    assert!(weight("content/guide/intro.md") < weight("content/guide/containers.md"));

    site.build();
    let page = site.main_html("/guide/containers/");
    assert!(page.contains("callout callout-warning"), "{page}");
    assert!(page.contains("<details class=\"details\">"), "{page}");
    let overview = site.main_html("/guide/");
    assert!(
        overview.contains("href=\"/guide/intro/#section\""),
        "{overview}"
    );
    assert!(site.exists("api/useThing/index.html"), "case kept");
    let home = site.main_html("/");
    assert!(home.contains("<strong>Просто</strong>"), "the hero: {home}");
}

#[test]
fn mdx_components_comments_and_renamed_pages() {
    let site = TestSite::import("docusaurus");
    let admonitions = site.source("content/guide/admonitions.md");
    assert!(
        !admonitions.contains("import Tabs") && !admonitions.contains("export const"),
        "{admonitions}"
    );
    assert!(
        admonitions.contains("## Пометки {#pometki}"),
        "{admonitions}"
    );
    assert!(
        admonitions.contains("> [!TIP]\n> **Свой заголовок**"),
        "{admonitions}"
    );
    assert!(
        admonitions.contains("**А**\n\nСодержимое первой вкладки."),
        "tabs, dedented: {admonitions}"
    );
    assert!(
        admonitions.contains("```md\n:::tip[Свой заголовок]\nТекст. {/* комментарий */}"),
        "{admonitions}"
    );
    let components = site.source("content/guide/components.md");
    for expected in [
        "> [!WARNING]\n> **Подводный камень**",
        "#### Почему так устроено? {#pochemu-tak}\n\n{% details(summary=\"Подробнее\") %}",
        "> [!NOTE]\n> Интерактивный пример",
        "```js src/App.js",
        "{{ youtube(id=\"dQw4w9WgXcQ\", title=\"Видео\") }}",
        "<div>текст</div>",
        "`<Note>`",
        "(/guide/admonitions.md#pometki)",
    ] {
        assert!(
            components.contains(expected),
            "no {expected:?} in\n{components}"
        );
    }
    assert!(
        !components.contains("InlineToc") && !components.contains("CodeStep"),
        "{components}"
    );
    let report = site.source("IMPORT.md");
    assert!(
        report.contains("`docs/guide/components.mdx:61`: the component `<Custom>`"),
        "{report}"
    );
    assert!(
        report.contains("the JSX attribute `style={…}` of `<div>`"),
        "{report}"
    );

    site.build();
    let page = site.main_html("/guide/components/");
    assert!(page.contains("<h4 id=\"pochemu-tak\">"), "{page}");
    assert!(page.contains("<details class=\"details\">"), "{page}");
    assert!(page.contains("callout callout-warning"), "{page}");
    let intro = site.main_html("/intro/");
    assert!(
        intro.contains("href=\"/uchebnik/guide/admonitions/\""),
        "{intro}"
    );
}

#[test]
fn mdbook_summary_order_includes_and_anchors() {
    let site = TestSite::import("mdbook");
    assert!(
        site.root().join("content/_index.md").is_file(),
        "README.md → _index.md"
    );
    assert!(site.root().join("content/part/_index.md").is_file());
    let hello = site.source("content/alpha-hello.md");
    assert!(hello.contains("title: Свой заголовок"), "{hello}");
    let listing = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/mdbook/listings/demo.rs"),
    )
    .unwrap();
    assert!(hello.contains(listing.trim_end()), "the include: {hello}");
    assert!(
        hello.contains("\\{{#include file.rs}}"),
        "the escaped form stays: {hello}"
    );
    let strings = site.source("content/part/strings.md");
    assert!(strings.contains("(/part/bytes.md#razmery)"), "{strings}");
    let weight = |file: &str| -> i64 {
        let text = site.source(file);
        let line = text.lines().find(|l| l.starts_with("weight: ")).unwrap();
        line[8..].parse().unwrap()
    };
    assert!(weight("content/zeta-install.md") < weight("content/alpha-hello.md"));
    assert!(weight("content/part/strings.md") < weight("content/part/bytes.md"));

    site.build();
    let home = site.main_html("/");
    let (zeta, alpha) = (home.find("zeta-install"), home.find("alpha-hello"));
    assert!(
        zeta.is_some() && alpha.is_some() && zeta < alpha,
        "SUMMARY.md's order: {home}"
    );
    assert!(
        site.main_html("/part/strings/")
            .contains("href=\"/part/bytes/#razmery\"")
    );
}

/// A file tree as path → bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_source_is_only_read_and_nothing_outside_it_is_copied() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("src");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/hugo");
    for (rel, bytes) in tree(&fixture) {
        let path = src.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    // A secret outside the source, linked from its static folder and its content.
    let secret = work.path().join("secret");
    std::fs::create_dir_all(&secret).unwrap();
    std::fs::write(secret.join("passwd"), "root:x:0:0").unwrap();
    std::os::unix::fs::symlink(&secret, src.join("static/etc")).unwrap();
    std::os::unix::fs::symlink(secret.join("passwd"), src.join("content/docs/leak.md")).unwrap();
    let before = tree(&src);

    let dest = work.path().join("new");
    let out = run(&[
        "import".as_ref(),
        "--from".as_ref(),
        "hugo".as_ref(),
        src.as_os_str(),
        dest.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree(&src), before, "the source is unchanged");
    let written = tree(&dest);
    assert!(
        written
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("root:x:0:0")),
        "{:?}",
        written.keys().collect::<Vec<_>>()
    );
    let report = String::from_utf8_lossy(&written["IMPORT.md"]).into_owned();
    assert!(
        report.contains("static/etc") && report.contains("leak.md"),
        "{report}"
    );

    // A second import into the same, now non-empty, folder is refused.
    let again = run(&[
        "import".as_ref(),
        "--from".as_ref(),
        "hugo".as_ref(),
        src.as_os_str(),
        dest.as_os_str(),
    ]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
    assert_eq!(tree(&dest), written, "nothing overwritten");
    // And so is a destination inside the source.
    let inside = src.join("new");
    let nested = run(&[
        "import".as_ref(),
        "--from".as_ref(),
        "hugo".as_ref(),
        src.as_os_str(),
        inside.as_os_str(),
    ]);
    assert_eq!(nested.status.code(), Some(2));
    assert!(!inside.exists());
}

#[test]
fn a_source_that_is_not_of_the_named_tool_is_one_usage_error() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/mdbook");
    let dest = tempfile::tempdir().unwrap();
    let out = run(&[
        "import".as_ref(),
        "--from".as_ref(),
        "hugo".as_ref(),
        fixture.as_os_str(),
        dest.path().join("x").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no content folder `content`"), "{stderr}");
    assert_eq!(
        stderr.matches("error").count(),
        2,
        "one error and its count: {stderr}"
    );
}
