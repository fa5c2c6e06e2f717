//! Courses: chapter order and numbering, chapter and course pages, the
//! handout printed to PDF, reading progress in the browser, JSON-LD.

use std::time::Duration;

use crate::browser::{self, StaticServer};
use crate::support::{TestSite, element};

#[test]
fn chapters_follow_the_course_list_and_are_numbered() {
    let site = TestSite::new("course");
    site.build();
    let course = site.main_html("/kurs/");
    let toc = element(&course, "<ol class=\"course-toc\"", "</ol>");
    let order: Vec<usize> = ["Введение", "Основы", "Итоги"]
        .iter()
        .map(|t| toc.find(t).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "list order, not weight order: {toc}"
    );
    let second = site.main_html("/kurs/osnovy/");
    assert!(second.contains("Глава 2 из\u{a0}3"), "{second}");
    assert!(second.contains(r#"<a rel="prev" href="/kurs/vvedenie/">"#));
    assert!(second.contains(r#"<a rel="next" href="/kurs/itogi/">"#));
    assert!(
        second.contains(r#"<span aria-current="page">Основы</span>"#),
        "current chapter marked"
    );
    let earlier = element(&second, "<aside class=\"earlier\"", "</aside>");
    assert!(
        earlier.contains("Введение") && !earlier.contains("Итоги"),
        "{earlier}"
    );
}

#[test]
fn chapter_shows_reading_time_and_what_remains() {
    let site = TestSite::new("course");
    site.build();
    let first = site.main_html("/kurs/vvedenie/");
    let meta = element(&first, "<p class=\"meta\">", "</p>");
    assert!(meta.contains("3\u{a0}минуты чтения"), "{meta}");
    assert!(meta.contains("Осталось 2 главы"), "{meta}");
    let last = site.main_html("/kurs/itogi/");
    assert!(last.contains("последняя глава"), "{last}");
}

#[test]
fn course_page_has_its_data_a_start_button_and_the_handout_link() {
    let site = TestSite::new("course");
    site.build();
    let course = site.main_html("/kurs/");
    for text in [
        "Тренер",
        "Все, кто работает с\u{a0}клиентами",
        "3 главы",
        "начальный",
        "Начать курс",
        r#"href="/kurs/print/""#,
        r#"href="/kurs/vvedenie/""#,
    ] {
        assert!(course.contains(text), "{text} in {course}");
    }
}

#[test]
fn course_json_ld_is_only_on_the_course_page() {
    let site = TestSite::new("course");
    site.build();
    let ld = |html: &str| -> Vec<serde_json::Value> {
        let script = element(html, r#"<script type="application/ld+json">"#, "</script>");
        let json = script
            .trim_start_matches(r#"<script type="application/ld+json">"#)
            .trim_end_matches("</script>");
        serde_json::from_str(json).unwrap()
    };
    let course = ld(&site.file("kurs/index.html"));
    let item = course
        .iter()
        .find(|i| i["@type"] == "Course")
        .expect("Course item");
    assert_eq!(item["hasPart"].as_array().unwrap().len(), 3);
    assert_eq!(item["hasPart"][1]["name"], "Основы");
    let chapter = ld(&site.file("kurs/osnovy/index.html"));
    assert!(
        chapter.iter().all(|i| i["@type"] != "Course"),
        "no top-level Course on chapters"
    );
    let article = chapter.iter().find(|i| i["@type"] == "Article").unwrap();
    assert_eq!(article["isPartOf"]["@type"], "Course");
    assert_eq!(article["isPartOf"]["url"], "https://example.org/kurs/");
}

#[test]
fn weight_collisions_and_bad_chapter_lists_are_errors() {
    let errors = TestSite::new("course-errors").errors();
    assert!(errors.iter().any(|e| e.starts_with("content/a/two.md: error: chapters `content/a/one.md` and `content/a/two.md` both have `weight: 1`")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/b/_index.md:6:3: error: `chapters`: no chapter `missing` in this course"
        )),
        "{errors:?}"
    );
}

#[test]
fn handout_repeats_every_chapter_title_and_has_no_navigation() {
    let site = TestSite::new("course");
    site.build();
    let handout = site.file("kurs/print/index.html");
    for title in ["<h1>Введение</h1>", "<h1>Основы</h1>", "<h1>Итоги</h1>"] {
        assert!(handout.contains(title), "{title}");
    }
    assert!(
        !handout.contains("site-nav") && !handout.contains("search"),
        "no navigation or search"
    );
    assert!(handout.contains(r#"<html lang="ru">"#));
}

#[test]
fn handout_prints_to_pdf_one_chapter_per_page() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let Some(pdftotext) = which("pdftotext") else {
        assert!(
            std::env::var_os("ROLEBOOK_REQUIRE_BROWSER").is_none(),
            "pdftotext missing (install poppler-utils)"
        );
        eprintln!("skipped: no pdftotext (install poppler-utils)");
        return;
    };
    let site = TestSite::new("course");
    site.build();
    let server = StaticServer::start(&site.public());
    let tab = browser::tab(&chrome);
    tab.navigate_to(&format!("{}/kurs/print/", server.url))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    let pdf = tab.print_to_pdf(None).expect("print to PDF");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handout.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = std::process::Command::new(&pdftotext)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 4, "title page + 3 chapters, got {pages} pages");
    for title in ["Введение", "Основы", "Итоги", "Тестовый курс"] {
        assert!(text.contains(title), "{title} in the PDF text");
    }
    let page_starts: Vec<String> = text
        .split('\u{c}')
        .map(|p| p.lines().take(3).collect::<Vec<_>>().join(" "))
        .collect();
    for title in ["Введение", "Основы", "Итоги"] {
        assert!(
            page_starts
                .iter()
                .any(|start| start.contains("ГЛАВА") && start.contains(title)),
            "{title} starts a page: {page_starts:?}"
        );
    }
    assert!(
        text.contains("(https://example.org/kurs/)"),
        "links are printed with their URLs"
    );
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|p| p.is_file())
}

#[test]
fn reading_progress_is_kept_in_the_browser() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::new("course");
    site.build();
    let server = StaticServer::start(&site.public());
    let tab = browser::tab(&chrome);
    tab.navigate_to(&format!("{}/kurs/osnovy/", server.url))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    let button = tab
        .wait_for_element("[data-mark-read]:not([hidden])")
        .expect("mark button shown");
    button.click().unwrap();
    browser::wait_for("read mark", Duration::from_secs(5), || {
        let shown = browser::eval(
            &tab,
            "return !document.querySelector('[data-read-done]').hidden",
        );
        (shown == serde_json::json!(true)).then_some(())
    });
    tab.navigate_to(&format!("{}/kurs/", server.url)).unwrap();
    tab.wait_until_navigated().unwrap();
    let marks = browser::wait_for("marks in the course list", Duration::from_secs(5), || {
        let v = browser::eval(
            &tab,
            "return [...document.querySelectorAll('.course-toc__item')].map(li => li.classList.contains('is-read'))",
        );
        (v.as_array().is_some_and(|a| a.len() == 3)).then_some(v)
    });
    assert_eq!(marks, serde_json::json!([false, true, false]));
}
