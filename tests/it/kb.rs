//! The knowledge base: role schema checks, derived pages, charts, JSON-LD,
//! `roles.json`, and the bundled content as a whole (issue: knowledge base).

use crate::support::{TestSite, element};

fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let script = element(html, r#"<script type="application/ld+json">"#, "</script>");
    let json = script
        .trim_start_matches(r#"<script type="application/ld+json">"#)
        .trim_end_matches("</script>");
    match serde_json::from_str(json).unwrap_or_else(|e| panic!("invalid JSON-LD: {e}\n{json}")) {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    }
}

fn item<'a>(items: &'a [serde_json::Value], kind: &str) -> &'a serde_json::Value {
    items
        .iter()
        .find(|i| i["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {items:?}"))
}

#[test]
fn schema_errors_are_located_at_the_offending_key() {
    let errors = TestSite::new("kb-errors").errors();
    let expected = [
        "content/roles/bad-salary.md:4:3: error: `salary.as_of` is not a date: `2020-13-45`",
        "content/roles/bad-salary.md:5:3: error: `salary.currency` must be an ISO 4217 code, found `rub`",
        "content/roles/bad-salary.md:9:7: error: salary `max` (50000) is less than `min` (100000) for `Россия`",
        "content/roles/bad-salary.md:10:24: error: salary `min` for `Москва` must be greater than 0",
        "content/roles/comparison.md:4:1: error: a comparison needs at least two roles, found 1",
    ];
    for line in expected {
        assert!(
            errors.iter().any(|e| e.starts_with(line)),
            "missing {line}\nin:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn dangling_role_references_are_errors_with_a_hint() {
    let errors = TestSite::new("kb-errors").errors();
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/roles/dangling.md:5:5: error: `career.next`: no role page `no-such-role`"
        )),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/roles/dangling.md:6:11: error: `related`: no role page `bad-salry`"
        )),
        "{errors:?}"
    );
}

#[test]
fn salary_chart_is_well_formed_and_proportional() {
    let site = TestSite::new("kb");
    site.build();
    let html = site.file("roles/alpha/index.html");
    let svg = element(&html, "<svg class=\"salary-chart\"", "</svg>");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let view_width: f64 = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart-bar"))
        .collect();
    assert_eq!(bars.len(), 2);
    // The axis runs from 0 to 200 000 (a round maximum above 160 000).
    let attr = |n: &roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
    for (bar, (min, max)) in bars
        .iter()
        .zip([(20_000.0, 80_000.0), (40_000.0, 160_000.0)])
    {
        let x = attr(bar, "x") / view_width;
        let end = (attr(bar, "x") + attr(bar, "width")) / view_width;
        assert!((x - min / 200_000.0).abs() < 1e-3, "start of {min}");
        assert!((end - max / 200_000.0).abs() < 1e-3, "end of {max}");
    }
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(desc.contains("Москва: от\u{a0}40"), "{desc}");
}

#[test]
fn stale_data_gets_a_notice_and_fresh_data_does_not() {
    let site = TestSite::new("kb");
    site.build();
    assert!(site.main_html("/roles/alpha/").contains("notice--stale"));
    assert!(!site.main_html("/roles/beta/").contains("notice--stale"));
}

#[test]
fn a_role_without_salary_says_so() {
    let site = TestSite::new("kb");
    site.build();
    let gamma = site.main_html("/roles/gamma/");
    assert!(gamma.contains("Данных о\u{a0}зарплате нет"), "{gamma}");
    assert!(!gamma.contains("<svg class=\"salary-chart\""));
}

#[test]
fn json_ld_of_a_role_carries_the_salary_figures() {
    let site = TestSite::new("kb");
    site.build();
    let items = json_ld(&site.file("roles/alpha/index.html"));
    let occupation = item(&items, "Occupation");
    assert_eq!(occupation["name"], "Альфа-менеджер");
    let salary = occupation["estimatedSalary"].as_array().unwrap();
    assert_eq!(salary[0]["@type"], "MonetaryAmount");
    assert_eq!(salary[1]["name"], "Москва");
    assert_eq!(salary[1]["currency"], "RUB");
    let value = &salary[1]["value"];
    assert_eq!(value["@type"], "QuantitativeValue");
    assert_eq!(value["minValue"], 40000);
    assert_eq!(value["maxValue"], 160000);
    assert_eq!(value["unitText"], "MONTH");
    assert_eq!(occupation["occupationLocation"][1]["name"], "Москва");
    assert!(
        occupation["qualifications"]
            .as_str()
            .unwrap()
            .contains("коммуникабельность")
    );
    let crumbs = item(&items, "BreadcrumbList");
    assert_eq!(
        crumbs["itemListElement"][2]["item"],
        "https://example.org/roles/alpha/"
    );
}

#[test]
fn comparison_table_has_every_dimension_and_derived_rows() {
    let site = TestSite::new("kb");
    site.build();
    let main = site.main_html("/comparisons/alpha-vs-beta/");
    let table = element(&main, "<table class=\"compare\"", "</table>");
    assert!(
        table.contains(r#"<td data-role="Бета-менеджер">"#),
        "{table}"
    );
    for text in [
        "Предмет",
        "Успех",
        "довольный клиент",
        "Зарплата",
        "Карьерная лестница",
        "Ключевые качества",
        "Младший → Старший → Директор",
    ] {
        assert!(table.contains(text), "{text} in {table}");
    }
    assert!(table.contains(r#"href="/roles/alpha/""#) && table.contains(r#"href="/roles/beta/""#));
    let alpha = site.main_html("/roles/alpha/");
    assert!(
        alpha.contains(r#"href="/comparisons/alpha-vs-beta/""#),
        "roles link back to their comparisons"
    );
}

#[test]
fn career_edges_are_symmetric_and_mapped() {
    let site = TestSite::new("kb");
    site.build();
    let beta = site.main_html("/roles/beta/");
    assert!(
        beta.contains(r#"<a href="/roles/alpha/">Альфа-менеджер</a>"#),
        "beta comes from alpha: {beta}"
    );
    let map = site.main_html("/career-map/");
    let svg = element(&map, "<svg class=\"career-map\"", "</svg>");
    roxmltree::Document::parse(&svg).expect("well-formed SVG");
    for url in ["/roles/alpha/", "/roles/beta/"] {
        assert!(
            svg.contains(&format!(r#"<a href="{url}""#)),
            "{url} is a node link"
        );
    }
    assert!(
        map.contains(r#"href="/roles/gamma/""#),
        "roles without transitions are still listed"
    );
}

#[test]
fn roles_json_lists_every_role_with_its_data() {
    let site = TestSite::new("kb");
    site.build();
    let roles: serde_json::Value = serde_json::from_str(&site.file("roles.json")).unwrap();
    let roles = roles.as_array().unwrap();
    assert_eq!(roles.len(), 3);
    assert_eq!(roles[0]["name"], "Альфа-менеджер");
    assert_eq!(roles[0]["url"], "https://example.org/roles/alpha/");
    assert_eq!(roles[0]["salary"]["regions"][0]["min"], 20000);
    assert_eq!(
        roles[0]["career"]["next"][0],
        "https://example.org/roles/beta/"
    );
}

#[test]
fn salary_overview_lists_roles_without_data_honestly() {
    let site = TestSite::new("kb");
    site.build();
    let main = site.main_html("/salaries/");
    for slug in ["alpha", "beta"] {
        let id = format!("<svg class=\"salary-chart\" id=\"salary-chart-{slug}\"");
        assert!(main.contains(&id), "{id} in {main}");
    }
    let table = element(&main, "<table", "</table>");
    assert!(
        table.contains("Гамма-менеджер") && table.contains("нет данных"),
        "{table}"
    );
}

#[test]
fn qualities_feed_their_taxonomy() {
    let site = TestSite::new("kb");
    site.build();
    let term = site.main_html("/qualities/kommunikabelnost/");
    assert!(
        term.contains("Альфа-менеджер") && term.contains("Бета-менеджер"),
        "{term}"
    );
    assert!(site.main_html("/qualities/").contains("kommunikabelnost"));
}

#[test]
fn bundled_knowledge_base_is_complete_and_linked() {
    let site = TestSite::bundled();
    site.build();
    let roles = [
        "account-manager",
        "project-manager",
        "product-manager",
        "technical-account-manager",
        "top-manager",
        "community-manager",
        "hr-manager",
    ];
    let directory = site.main_html("/roles/");
    let salaries = site.main_html("/salaries/");
    let map = site.main_html("/career-map/");
    for role in roles {
        let url = format!("/roles/{role}/");
        let page = site.file(&format!("roles/{role}/index.html"));
        item(&json_ld(&page), "Occupation");
        assert!(
            page.contains(r#"href="/career-map/""#),
            "{role} links to the career map"
        );
        assert!(
            directory.contains(&format!("href=\"{url}\"")),
            "directory lists {role}"
        );
        assert!(
            salaries.contains(&format!("href=\"{url}\"")),
            "salary overview lists {role}"
        );
        assert!(
            map.contains(&format!("href=\"{url}\"")),
            "career map links {role}"
        );
    }
    assert!(directory.contains(r#"href="/salaries/""#));
    let comparison = site.main_html("/comparisons/account-manager-vs-project-manager/");
    assert!(
        comparison.contains(r#"href="/roles/account-manager/""#)
            && comparison.contains(r#"href="/roles/project-manager/""#)
    );
    let account = site.main_html("/roles/account-manager/");
    assert!(account.contains(r#"href="/comparisons/account-manager-vs-project-manager/""#));
    assert!(
        salaries.contains("нет данных"),
        "roles without data are listed honestly"
    );
    let article = site.file("articles/salaries/index.html");
    item(&json_ld(&article), "Article");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&site.file("roles.json"))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        7
    );
}

/// The text of every `h2`/`h3` in a page's `<main>`, lowercased, in order.
fn headings(main: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(main);
    let selector = scraper::Selector::parse("h2, h3").unwrap();
    doc.select(&selector)
        .map(|h| h.text().collect::<String>().trim().to_lowercase())
        .collect()
}

/// Issue 18: the theme's blocks are the summary at the top, the guide's
/// prose follows, and no heading is said twice, on every bundled role page.
#[test]
fn role_pages_say_each_thing_once() {
    let site = TestSite::bundled();
    site.build();
    let roles = std::fs::read_dir(site.root().join("content/roles")).unwrap();
    let mut checked = 0;
    for file in roles.map(|f| f.unwrap().path()) {
        let stem = file.file_stem().unwrap().to_str().unwrap().to_string();
        if stem.starts_with("_index") {
            continue;
        }
        // English guides (`pm.en.md`) are served under /en/.
        let url = match stem.strip_suffix(".en") {
            Some(slug) => format!("/en/roles/{slug}/"),
            None => format!("/roles/{stem}/"),
        };
        let main = site.main_html(&url);
        let mut seen = std::collections::HashSet::new();
        for heading in headings(&main) {
            assert!(seen.insert(heading.clone()), "{url}: `{heading}` twice");
        }
        let at = |id: &str| main.find(&format!("id=\"{id}\"")).unwrap_or(usize::MAX);
        assert!(at("role-card") < at("role-salary"), "{url}");
        if main.contains("id=\"role-guide\"") {
            for block in [
                "role-salary",
                "role-duties",
                "role-career",
                "role-employers",
            ] {
                assert!(
                    at(block) == usize::MAX || at(block) < at("role-guide"),
                    "{url}: {block}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 14, "seven guides in Russian and in English");
}
