use std::path::Path;

use super::*;
use crate::config::RawHtml;
use crate::markdown::{Rendered, Source, render};

fn page(body: &str) -> (Rendered, Vec<Error>) {
    page_with(body, RawHtml::Sanitize)
}

fn page_with(body: &str, raw_html: RawHtml) -> (Rendered, Vec<Error>) {
    render(&Source {
        file: Path::new("content/a.md"),
        content_path: "a.md",
        body,
        body_line: 3,
        raw_html,
    })
}

fn messages(errors: &[Error]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn an_inline_call_becomes_an_in_text_marker_with_its_arguments() {
    let (out, errors) = page("Платят {{ salary(role=\"pm\", region=\"Москва\") }} в месяц.\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        out.html.unpack(),
        "<p>Платят \u{e000}0\u{e001} в месяц.</p>\n"
    );
    let call = &out.components[0];
    assert_eq!(call.name, "salary");
    assert!(!call.block);
    assert_eq!(call.args["region"], "Москва");
    assert_eq!((call.location.line, call.location.column), (3, 8));
    assert!(!out.text.contains('\u{e000}'), "{:?}", out.text);
}

#[test]
fn a_block_call_alone_on_its_lines_keeps_its_body_as_blocks() {
    let body =
        "Intro.\n{% details(summary=\"Ещё\") %}\nFirst *para*.\n\n- item\n{% end %}\nAfter.\n";
    let (out, errors) = page(body);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        out.html.unpack().contains("<!--rolebook-component:0-->\n<p>First <em>para</em>.</p>\n<ul>\n<li>item</li>\n</ul>\n<!--/rolebook-component:0-->"),
        "{}",
        out.html.unpack()
    );
    assert!(out.html.unpack().ends_with("<p>After.</p>\n"));
    assert!(out.components[0].block);
}

#[test]
fn calls_in_code_and_raw_html_are_text() {
    let body = "`{{ salary(role=\"x\") }}`\n\n```\n{{ salary(role=\"x\") }}\n```\n\n<div>{{ a() }}</div>\n";
    let (out, errors) = page(body);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(out.components.is_empty());
    assert!(
        out.html
            .unpack()
            .contains("<code>{{ salary(role=\"x\") }}</code>")
    );
}

#[test]
fn the_escaped_form_writes_the_call_literally() {
    let (out, errors) = page("Write {{/* salary(role=\"pm\") */}} or {%/* details() */%}.\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(out.components.is_empty());
    assert_eq!(
        out.html.unpack(),
        "<p>Write {{ salary(role=\"pm\") }} or {% details() %}.</p>\n"
    );
}

#[test]
fn braces_that_are_no_call_stay_text() {
    let (out, errors) = page("Tera writes {{ page.title }} and {% if x %}.\n");
    assert!(errors.is_empty());
    assert!(out.components.is_empty());
    assert!(out.html.unpack().contains("{{ page.title }}"));
}

#[test]
fn mistakes_in_calls_are_located_at_their_line_and_column() {
    let (_, errors) = page("One.\n\nSee {{ salary(role=pm) }}.\n");
    assert_eq!(
        messages(&errors),
        [
            "content/a.md:5:20: error: expected a value, found `p`\n  hint: quote text: `name=\"value\"`; numbers, `true`, `false` and `[…]` lists go as they are"
        ]
    );
    let (_, errors) = page("{{ salary(role=\"pm\") }\n");
    assert!(
        messages(&errors)[0]
            .starts_with("content/a.md:3:22: error: expected `}}` to end the call of `salary`")
    );
    let (_, errors) = page("{% details() %}\nbody\n");
    assert!(
        messages(&errors)[0]
            .starts_with("content/a.md:3:1: error: `{% details(…) %}` is not closed")
    );
    let (_, errors) = page("text\n{% end %}\n");
    assert!(
        messages(&errors)[0]
            .starts_with("content/a.md:4:1: error: `{% end %}` closes no component")
    );
}

#[test]
fn later_locations_in_the_page_stay_right_after_a_call() {
    let (out, _) = page("{% details() %}\nx\n{% end %}\n\n[broken](missing.md)\n");
    assert_eq!(out.local_links[0].location.line, 7);
    assert_eq!(out.local_links[0].location.column, 1);
}

#[test]
fn markers_survive_every_raw_html_mode() {
    for mode in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
        let (out, _) = page_with("<b>x</b>\n\n{% details() %}\nbody\n{% end %}\n", mode);
        assert!(
            out.html.unpack().contains("<!--rolebook-component:0-->"),
            "{mode:?}: {}",
            out.html.unpack()
        );
        assert!(
            out.html.unpack().contains("<!--/rolebook-component:0-->"),
            "{mode:?}"
        );
    }
}

#[test]
fn callouts_are_calls_of_the_callout_component() {
    let (out, errors) = page("> [!TIP]\n> Ask for the range.\n\n> plain quote\n");
    assert!(errors.is_empty());
    assert_eq!(out.components[0].name, "callout");
    assert_eq!(out.components[0].args["kind"], "tip");
    assert!(
        out.html.unpack().starts_with(
            "<!--rolebook-component:0-->\n<p>Ask for the range.</p>\n<!--/rolebook-component:0-->\n"
        ),
        "{}",
        out.html.unpack()
    );
    assert!(
        out.html
            .unpack()
            .contains("<blockquote>\n<p>plain quote</p>\n</blockquote>")
    );
}

#[test]
fn definition_lists_are_enabled() {
    let (out, _) = page("Term\n: Its definition.\n");
    assert!(out.html.unpack().contains("<dl>"), "{}", out.html.unpack());
    assert!(out.html.unpack().contains("<dt>Term</dt>"));
}

#[test]
fn fenced_code_in_a_known_language_is_highlighted() {
    let (out, _) = page("```python\nprint(\"hi\")\n```\n\n```nosuchlang\nx\n```\n");
    assert!(
        out.html
            .unpack()
            .contains("<pre class=\"highlight\"><code class=\"language-python\">")
    );
    assert!(
        out.html
            .unpack()
            .contains("<pre><code class=\"language-nosuchlang\">x\n</code></pre>")
    );
    assert!(out.text.contains("print(\"hi\")"));
}

#[test]
fn strip_markers_removes_in_text_markers() {
    assert_eq!(
        strip_markers("a \u{e000}0\u{e001} b \u{e000}/1\u{e001}"),
        "a  b "
    );
}
