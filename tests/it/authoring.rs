//! The authoring toolkit (issue 17): components in Markdown and the data
//! components of the default theme, callouts, definition lists and
//! highlighted code, on the `authoring` fixture through the library build.

use crate::support::{TestSite, element};

/// The guide's `<main>`, with no-break and thin spaces as plain ones (the
/// typography puts them in; what is asserted here is the text).
fn guide(site: &TestSite) -> String {
    plain_spaces(&site.main_html("/articles/guide/"))
}

fn plain_spaces(html: &str) -> String {
    html.replace(['\u{a0}', '\u{2009}', '\u{202f}'], " ")
}

#[test]
fn salary_quotes_a_region_or_every_region_with_period_date_and_link() {
    let site = TestSite::new("authoring");
    site.build();
    let html = guide(&site);
    assert!(
        html.contains("получает <a class=\"salary-quote\" href=\"/roles/alpha/\">40 000 – 160 000 ₽ в месяц, данные на 4 ноября 2020 г.</a>"),
        "{html}"
    );
    assert!(
        html.contains("Россия: 20 000 – 80 000 ₽, Москва: 40 000"),
        "{html}"
    );
    // Data of 2020 is older than the fixture's 24 months: marked.
    assert!(
        html.contains("</a> <span class=\"badge badge--stale\""),
        "{html}"
    );
}

#[test]
fn role_card_and_compare_show_the_roles_data() {
    let site = TestSite::new("authoring");
    site.build();
    let html = guide(&site);
    let card = element(&html, "<div class=\"role-quote\"", "</div>");
    assert!(
        card.contains("<a href=\"/roles/beta/\">Бета-менеджер</a>"),
        "{card}"
    );
    assert!(card.contains("100 000"), "{card}");
    assert!(
        !html.contains("<p><div"),
        "a card is not put inside a paragraph: {html}"
    );
    let table = element(&html, "<table class=\"compare\"", "</table>");
    assert!(
        table.contains("<a href=\"/roles/alpha/\">Альфа-менеджер</a>"),
        "{table}"
    );
    assert!(
        table.contains("<a href=\"/roles/beta/\">Бета-менеджер</a>"),
        "{table}"
    );
}

#[test]
fn block_components_callouts_and_definition_lists() {
    let site = TestSite::new("authoring");
    site.build();
    let html = guide(&site);
    let details = element(&html, "<details class=\"details\"", "</details>");
    assert!(
        details.contains("<summary>Подробнее о ролях</summary>"),
        "{details}"
    );
    assert!(
        details.contains("<p>Текст <em>внутри</em> блока.</p>"),
        "{details}"
    );
    assert!(details.contains("<li>пункт</li>"), "{details}");
    let tip = element(
        &html,
        "<aside class=\"callout callout-tip\" role=\"note\">",
        "</aside>",
    );
    assert!(
        tip.contains("<p class=\"callout__title\">Совет</p>"),
        "{tip}"
    );
    assert!(tip.contains("Спросите о вилке заранее."), "{tip}");
    assert!(html.contains("<aside class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout__title\">Внимание</p>"));
    assert!(
        html.contains("<dl>\n<dt>Термин</dt>\n<dd>Его определение.</dd>\n</dl>"),
        "{html}"
    );
    assert!(
        !html.contains("rolebook-component"),
        "no marker is left: {html}"
    );
    assert!(!html.contains('\u{e000}'));
}

#[test]
fn code_in_a_known_language_is_highlighted_with_classes_only() {
    let site = TestSite::new("authoring");
    site.build();
    let html = guide(&site);
    let code = element(
        &html,
        "<pre class=\"highlight\"><code class=\"language-rust\">",
        "</pre>",
    );
    assert!(code.contains("<span class=\"hl-"), "{code}");
    assert!(
        code.contains("hl-storage") && code.contains("hl-string"),
        "{code}"
    );
    assert!(!code.contains("style="), "{code}");
    assert!(html.contains("<pre><code class=\"language-nosuchlang\">plain text\n</code></pre>"));
    // Pages with highlighted code or components load the small authoring stylesheet.
    let page = site.file("articles/guide/index.html");
    assert!(page.contains("/authoring.css"), "the stylesheet is linked");
    assert!(
        !site
            .file("roles/beta/index.html")
            .contains("/authoring.css")
    );
}

#[test]
fn literal_calls_and_calls_in_code_are_text() {
    let site = TestSite::new("authoring");
    site.build();
    let html = guide(&site);
    assert!(
        html.contains("Литерально: {{ salary(role=\"alpha\") }}"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ salary(role=\"nope\") }}</code>"),
        "{html}"
    );
}

#[track_caller]
fn error_of(call: &str) -> String {
    let site = TestSite::new("authoring");
    site.write(
        "content/articles/bad.md",
        &format!("---\ntitle: Плохая\n---\n\nТекст.\n\n{call}\n"),
    );
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "one mistake, one error: {errors:#?}");
    errors[0].clone()
}

#[test]
fn component_mistakes_are_errors_at_the_call() {
    assert_eq!(
        error_of("{{ salry(role=\"alpha\") }}"),
        "content/articles/bad.md:7:1: error: unknown component `salry`\n  hint: did you mean `salary`?"
    );
    assert_eq!(
        error_of("{{ salary(role=\"alpah\") }}"),
        "content/articles/bad.md:7:1: error: component `salary`: no role `alpah`\n  hint: did you mean `alpha`?"
    );
    assert_eq!(
        error_of("{{ salary(role=\"alpha\", region=\"Масква\") }}"),
        "content/articles/bad.md:7:1: error: component `salary`: role `alpha` has no region `Масква`\n  hint: did you mean `Москва`?"
    );
    let missing = error_of("{{ salary(region=\"Москва\") }}");
    assert!(
        missing.starts_with("content/articles/bad.md:7:1: error: component `salary`: "),
        "{missing}"
    );
    assert!(missing.contains("role"), "{missing}");
    let mistyped = error_of("{{ salary(role=3) }}");
    assert!(
        mistyped.starts_with("content/articles/bad.md:7:1: error: component `salary`: "),
        "{mistyped}"
    );
    let syntax = error_of("Цифра: {{ salary(role=alpha) }}");
    assert!(
        syntax.starts_with("content/articles/bad.md:7:23: error: expected a value"),
        "{syntax}"
    );
}

#[test]
fn a_site_component_is_called_with_its_arguments_and_body() {
    let site = TestSite::new("authoring");
    site.write(
        "templates/components/note.html",
        "{% component note(level: Integer, tags: Array, @page_url) %}<div class=\"n{{ level }}\" data-page=\"{{ page_url }}\">{{ tags | join(sep=\",\") }}|{{ body }}</div>{% endcomponent note %}",
    );
    site.write(
        "content/articles/own.md",
        "---\ntitle: Своя\n---\n\n{% note(level=2, tags=[\"a\", \"b\"]) %}\nТело **жирное**.\n{% end %}\n",
    );
    site.build();
    let html = plain_spaces(&site.main_html("/articles/own/"));
    assert!(
        html.contains("<div class=\"n2\" data-page=\"/articles/own/\">a,b|\n<p>Тело <strong>жирное</strong>.</p>\n</div>"),
        "{html}"
    );
}

#[test]
fn copied_figure_warns_at_a_salary_figure_written_by_hand_and_not_at_a_quote() {
    let site = TestSite::new("authoring");
    site.write(
        "content/articles/copied.md",
        "---\ntitle: Копия\ndate: 2024-01-10\n---\n\nВ Москве платят от 40 000 до 160\u{a0}000 ₽, в 2020 году.\n\n`40000` в коде и {{ salary(role=\"alpha\", region=\"Москва\") }} — не копии.\n\n```\n80000\n```\n",
    );
    let out = site.run(&["check"]);
    let report = plain_spaces(&out.stdout);
    assert!(
        report.contains("content/articles/copied.md:6:20: warning[copied-figure]: `40 000` is the salary min of `alpha` in Москва, copied into the text\n  hint: quote it with `{{ salary(role=\"alpha\", region=\"Москва\") }}`, so the page follows the role's data"),
        "{report}"
    );
    assert!(
        report.contains("copied.md:6:30: warning[copied-figure]: `160 000` is the salary max of `alpha` in Москва"),
        "{report}"
    );
    assert_eq!(
        report.matches("warning[copied-figure]").count(),
        2,
        "{report}"
    );
    // The guide quotes the same figures through `salary()`: nothing to warn.
    assert!(
        !report
            .lines()
            .any(|l| l.starts_with("content/articles/guide/") && l.contains("copied-figure")),
        "{report}"
    );
}

#[test]
fn the_bundled_site_quotes_its_figures_and_gives_advice_in_callouts() {
    let site = TestSite::bundled();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for url in ["/", "/articles/salaries/"] {
        let html = plain_spaces(&site.main_html(url));
        assert!(
            html.contains("<a class=\"salary-quote\" href=\"/roles/account-manager/\">"),
            "{url}: {html}"
        );
        assert!(html.contains("30 000 – 150 000 ₽"), "{url}: {html}");
    }
    let chapter = site.main_html("/courses/kto-vy-dlya-klienta/kak-rasti/");
    assert!(
        chapter.contains("<aside class=\"callout callout-tip\" role=\"note\">"),
        "{chapter}"
    );
    let check = site.run(&["check"]);
    assert!(!check.stdout.contains("copied-figure"), "{}", check.stdout);
}
