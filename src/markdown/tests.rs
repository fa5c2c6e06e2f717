use std::collections::HashMap;
use std::path::Path;

use super::*;

/// Render a body and fill its links from `pages` (content path → URL), as
/// the site does once every URL is known.
fn render_with(body: &str, pages: &[(&str, &str)]) -> (Rendered, Vec<Error>) {
    let pages: HashMap<String, String> = pages
        .iter()
        .map(|(p, u)| (p.to_string(), u.to_string()))
        .collect();
    let source = Source {
        file: Path::new("content/roles/pm.md"),
        content_path: "roles/pm.md",
        body,
        body_line: 5,
        raw_html: crate::config::RawHtml::Sanitize,
    };
    let (mut rendered, mut errors) = render(&source);
    let mut urls = Vec::new();
    for link in &rendered.local_links {
        let url = match pages.get(&link.target) {
            Some(url) if link.target.ends_with(".md") => match &link.anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url.clone(),
            },
            _ if link.from_root => link.dest.clone(),
            _ if link.target.ends_with(".md") && !link.is_image => {
                errors.push(missing_page_error(link, pages.keys()));
                link.dest.clone()
            }
            _ if link.is_image => {
                errors.push(missing_image_error(link));
                link.dest.clone()
            }
            _ => link.dest.clone(),
        };
        urls.push(url);
    }
    rendered.html = PackedHtml::pack(fill_links(&rendered.html.unpack(), &urls));
    (rendered, errors)
}

#[test]
fn mdx_heading_ids_set_the_id_and_leave_no_attribute() {
    let (out, errors) = render_with(
        "## Состояние {/*usestate*/}\n\n## `useEffect` {/*use-effect*/}\n",
        &[],
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        out.html
            .unpack()
            .contains(r#"<h2 id="usestate">Состояние</h2>"#),
        "{}",
        out.html.unpack()
    );
    assert!(
        out.html
            .unpack()
            .contains(r#"<h2 id="use-effect"><code>useEffect</code></h2>"#),
        "{}",
        out.html.unpack()
    );
}

#[test]
fn headings_get_transliterated_unique_ids_and_a_toc() {
    let (out, errors) = render_with(
        "## Зарплата\n\n## Зарплата\n\n### Как *расти* {#grow}\n",
        &[],
    );
    assert!(errors.is_empty());
    assert!(
        out.html
            .unpack()
            .contains(r#"<h2 id="zarplata">Зарплата</h2>"#),
        "{}",
        out.html.unpack()
    );
    assert!(out.html.unpack().contains(r#"<h2 id="zarplata-1">"#));
    assert!(
        out.html
            .unpack()
            .contains(r#"<h3 id="grow">Как <em>расти</em></h3>"#),
        "{}",
        out.html.unpack()
    );
    let ids: Vec<_> = out
        .toc
        .iter()
        .map(|h| (h.level, h.id.as_str(), h.title.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (2, "zarplata", "Зарплата"),
            (2, "zarplata-1", "Зарплата"),
            (3, "grow", "Как расти")
        ]
    );
}

#[test]
fn md_links_are_rewritten_and_missing_ones_located() {
    let body =
        "Intro.\n\nSee [AM](account-manager.md#zarplata), [up](../index.md) and [x](nope.md).\n";
    let (out, errors) = render_with(
        body,
        &[
            ("roles/account-manager.md", "/roles/account-manager/"),
            ("index.md", "/about/"),
        ],
    );
    assert!(
        out.html
            .unpack()
            .contains(r#"href="/roles/account-manager/#zarplata""#),
        "{}",
        out.html.unpack()
    );
    assert!(out.html.unpack().contains(r#"href="/about/""#));
    assert_eq!(errors.len(), 1);
    // Body line 3 is file line 7 (the body starts on line 5).
    assert!(
        errors[0].to_string().starts_with("content/roles/pm.md:7:"),
        "{}",
        errors[0]
    );
    assert_eq!(out.local_links[0].anchor.as_deref(), Some("zarplata"));
}

#[test]
fn other_links_are_left_as_written() {
    let body =
        "[a](https://example.org/x.md) [b](/ru/docs/page.md) [c](#local) [d](mailto:a@b.c)\n";
    let (out, errors) = render_with(body, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    for href in [
        "https://example.org/x.md",
        "/ru/docs/page.md",
        "#local",
        "mailto:a@b.c",
    ] {
        assert!(
            out.html.unpack().contains(&format!("href=\"{href}\"")),
            "{href}"
        );
    }
    // The root link may name a page's file: looked up, kept when there is none.
    assert_eq!(out.local_links.len(), 1);
    assert!(out.local_links[0].from_root);
    assert_eq!(out.local_links[0].target, "ru/docs/page.md");
}

#[test]
fn summary_word_count_and_text() {
    let (out, _) = render_with(
        "Один два три.\n\n<!-- more -->\n\nЧетыре `code`\n\n```\nnot words here\n```\n",
        &[],
    );
    assert_eq!(
        out.summary_html.as_ref().map(|s| s.unpack()).as_deref(),
        Some("<p>Один два три.</p>\n")
    );
    assert_eq!(out.word_count, 4);
    assert!(out.text.contains("Один два три."));
    assert_eq!(out.reading_minutes(), 1);
}

#[test]
fn extensions_are_on() {
    let (out, _) = render_with(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ [^1]\n\n- [x] done\n\n[^1]: note\n",
        &[],
    );
    assert!(out.html.unpack().contains("<table>"));
    assert!(out.html.unpack().contains("<del>old</del>"));
    assert!(out.html.unpack().contains("checkbox"));
    assert!(out.html.unpack().contains("footnote"));
}

#[test]
fn relative_paths_resolve_and_decode() {
    assert_eq!(
        resolve_relative("roles/pm.md", "../a/b.md").as_deref(),
        Some("a/b.md")
    );
    assert_eq!(
        resolve_relative("roles/pm.md", "./x.md").as_deref(),
        Some("roles/x.md")
    );
    assert_eq!(resolve_relative("pm.md", "../x.md"), None);
    assert_eq!(
        resolve_relative("a.md", "%D1%87.md").as_deref(),
        Some("ч.md")
    );
}

#[test]
fn inline_markdown_helpers() {
    assert_eq!(inline_text("Про *кофе* и `код`"), "Про кофе и код");
    assert_eq!(render_inline("Про *кофе*"), "Про <em>кофе</em>");
}

#[test]
fn placeholders_are_filled_and_escaped() {
    assert_eq!(
        fill_links(
            r#"<a href="rolebook-link-7f3c:1">x</a> rolebook-link-7f3c:9"#,
            &["/a/".into(), "/b/?q=1&r=2".into()]
        ),
        r#"<a href="/b/?q=1&amp;r=2">x</a> rolebook-link-7f3c:9"#
    );
}
