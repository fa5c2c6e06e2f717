//! Issue 20: Markdown as other tools write it builds as it is: a page's
//! title from its first `# H1` (not shown twice) or its file name, files
//! without front matter, MDX's `{/*id*/}` heading ids.

use crate::support::TestSite;

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn titles_come_from_the_first_h1_or_the_file_name() {
    let site =
        TestSite::empty("title: Документация\nbase_url: https://example.org/\nlanguage: ru\n");
    site.write(
        "content/guide/setup.md",
        "---\ndescription: Как поставить\n---\n\n# Установка пакета\n\nСначала поставьте пакет.\n\n## Проверка {#check}\n\nТекст.\n",
    );
    site.write(
        "content/guide/no-front-matter.md",
        "# Хуки {/*hooks*/}\n\nХуки позволяют использовать состояние.\n\n## useState {/*usestate*/}\n\nПример.\n",
    );
    site.write("content/guide/notes.md", "Просто заметки без заголовка.\n");
    site.build();

    let setup = site.file("guide/setup/index.html");
    assert!(setup.contains("<title>Установка пакета"), "{setup}");
    assert_eq!(
        count(&site.main_html("/guide/setup/"), "Установка пакета</h1>"),
        1
    );
    assert!(setup.contains(r#"<h2 id="check">"#), "{setup}");

    let hooks = site.main_html("/guide/no-front-matter/");
    assert_eq!(count(&hooks, "Хуки</h1>"), 1, "{hooks}");
    assert!(
        hooks.contains(r#"<h2 id="usestate">useState</h2>"#),
        "{hooks}"
    );
    assert!(!hooks.contains("/*"), "no MDX comment left: {hooks}");

    let notes = site.file("guide/notes/index.html");
    assert!(notes.contains("<title>notes"), "{notes}");
}

#[test]
fn an_error_after_a_removed_h1_keeps_its_line() {
    let site =
        TestSite::empty("title: Документация\nbase_url: https://example.org/\nlanguage: ru\n");
    site.write(
        "content/page.md",
        "# Заголовок\n\nТекст.\n\n```quiz\nquestions: [\n```\n",
    );
    let errors = site.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/page.md:6:1: error: a `quiz` block")),
        "{errors:#?}"
    );
}

/// Root links as VitePress and mdBook write them (`/guide/setup.html`,
/// `.md`, no extension) go to the page built from that file, whatever its
/// URL; a root link to no file stays as written for `check` to judge.
#[test]
fn root_links_to_page_files_reach_their_pages() {
    let site =
        TestSite::empty("title: Документация\nbase_url: https://example.org/kb/\nlanguage: ru\n");
    site.write(
        "content/guide/setup.md",
        "---\ntitle: Установка\nslug: ustanovka\n---\n\n## Шаги\n\nТекст.\n",
    );
    site.write(
        "content/guide/links.md",
        "# Ссылки\n\n[html](/guide/setup.html#shagi), [md](/guide/setup.md), [bare](/guide/setup), [none](/guide/missing.html), [img](/images/a.png)\n",
    );
    site.build();
    let html = site.main_html("/guide/links/");
    assert!(
        html.contains(r#"href="/kb/guide/ustanovka/#shagi""#),
        "{html}"
    );
    assert!(html.contains(r#"href="/kb/guide/ustanovka/">md"#), "{html}");
    assert!(
        html.contains(r#"href="/kb/guide/ustanovka/">bare"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/guide/missing.html""#), "{html}");
    assert!(html.contains(r#"href="/images/a.png""#), "{html}");
}

/// `slug:` keeps its case; `urls: preserve_case` keeps the case of file
/// and folder names (React's `useState`, Vue's `API`), and links follow.
#[test]
fn slugs_and_names_keep_their_case_when_asked() {
    let site =
        TestSite::empty("title: Документация\nbase_url: https://example.org/\nlanguage: ru\n");
    site.write(
        "content/api/hook.md",
        "---\ntitle: Хук\nslug: useState\n---\n\nТекст.\n",
    );
    site.write("content/api/Other.md", "# Другой\n\n[хук](/api/hook.md)\n");
    site.build();
    assert!(site.exists("api/useState/index.html"));
    assert!(
        site.exists("api/other/index.html"),
        "names are lowercased by default"
    );

    let site = TestSite::empty(
        "title: Документация\nbase_url: https://example.org/\nlanguage: ru\nurls: preserve_case\n",
    );
    site.write("content/API/useEffect.md", "# useEffect\n\nТекст.\n");
    site.write(
        "content/API/Ссылки.md",
        "# Ссылки\n\n[эффект](/API/useEffect.html)\n",
    );
    site.build();
    assert!(site.exists("API/useEffect/index.html"));
    assert!(
        site.exists("API/ssylki/index.html"),
        "other names are slugs"
    );
    let links = site.main_html("/API/ssylki/");
    assert!(links.contains(r#"href="/API/useEffect/""#), "{links}");
}

/// A title taken from the `# H1` is front matter for `serve`: changing it
/// re-renders what shows it (neighbours, order), as a full build would.
#[test]
fn serve_follows_a_title_that_comes_from_the_h1() {
    use rolebook::site::incremental::{Edit, Incremental, changed_paths};
    let site =
        TestSite::empty("title: Документация\nbase_url: https://example.org/\nlanguage: ru\n");
    site.write("content/guide/_index.md", "---\ntitle: Гид\n---\n");
    for (name, title) in [("a", "Альфа"), ("b", "Бета"), ("c", "Гамма")] {
        site.write(
            &format!("content/guide/{name}.md"),
            &format!("# {title}\n\nТекст.\n"),
        );
    }
    let mut state = Incremental::new(site.options());
    state.full().unwrap_or_else(|f| panic!("{:?}", f.errors));
    site.write("content/guide/b.md", "# Яблоко\n\nТекст.\n");
    let edit = Edit {
        content: [std::path::PathBuf::from("content/guide/b.md")].into(),
        ..Edit::default()
    };
    let update = state
        .apply(&edit)
        .unwrap_or_else(|f| panic!("{:?}", f.errors));
    let fresh = Incremental::new(site.options())
        .full()
        .unwrap_or_else(|f| panic!("{:?}", f.errors));
    assert_eq!(
        changed_paths(&update.outputs, &fresh.outputs),
        Vec::<String>::new(),
        "the served site equals a fresh build"
    );
}

/// `index_pages: section`: a folder's `index.md` is its section page (as in
/// VitePress and Docusaurus): it lists the folder's pages, breadcrumbs and
/// navigation go through it, and links to `index.md` reach it.
#[test]
fn index_pages_can_be_section_pages() {
    let site = TestSite::empty(
        "title: Документация\nbase_url: https://example.org/\nlanguage: ru\nindex_pages: section\n",
    );
    site.write(
        "content/index.md",
        "# Главная\n\nСм. [руководство](guide/index.md).\n",
    );
    site.write("content/guide/index.md", "# Руководство\n\nВсё о пакете.\n");
    site.write(
        "content/guide/setup.md",
        "# Установка\n\nНазад к [руководству](./index.md).\n",
    );
    site.build();
    let guide = site.main_html("/guide/");
    assert!(guide.contains("Руководство</h1>"), "{guide}");
    assert!(
        guide.contains(r#"href="/guide/setup/""#),
        "the section lists its pages: {guide}"
    );
    let setup = site.file("guide/setup/index.html");
    assert!(
        setup.contains(r#"<a href="/guide/">Руководство</a>"#),
        "breadcrumbs: {setup}"
    );
    assert!(
        site.main_html("/guide/setup/")
            .contains(r#"href="/guide/""#)
    );
    assert!(site.main_html("/").contains(r#"href="/guide/""#));

    site.write("content/guide/_index.md", "---\ntitle: Второй\n---\n");
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("content/guide/_index.md")
            && errors[0].contains("content/guide/index.md"),
        "{errors:#?}"
    );
}

#[test]
fn a_content_file_and_a_static_file_of_one_path_conflict_only_when_they_differ() {
    let site = TestSite::empty("title: Документация\nlanguage: ru\n");
    site.write("content/_index.md", "# Главная\n\nТекст.\n");
    site.write("content/logo.svg", "<svg/>\n");
    site.write("static/logo.svg", "<svg/>\n");
    site.build();
    assert_eq!(site.file("logo.svg"), "<svg/>\n");

    site.write("static/logo.svg", "<svg></svg>\n");
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains(
            "`content/logo.svg` and the static file `static/logo.svg` both write `logo.svg`"
        ),
        "{errors:#?}"
    );
}
