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
    // Issue 18: "already covered" is filled in from the read marks in the
    // browser; the page itself claims nothing.
    let earlier = element(&second, "<aside class=\"earlier\"", "</aside>");
    assert!(earlier.contains("data-earlier hidden"), "{earlier}");
    assert_eq!(
        earlier.matches("<li data-chapter-url=").count(),
        2,
        "{earlier}"
    );
    assert_eq!(earlier.matches(" hidden>").count(), 3, "{earlier}");
    assert!(
        !earlier.contains("Основы"),
        "not the open chapter: {earlier}"
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
    open(&tab, &format!("{}/kurs/osnovy/", server.url));
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
    open(&tab, &format!("{}/kurs/", server.url));
    let marks = browser::wait_for("marks in the course list", Duration::from_secs(5), || {
        let v = browser::eval(
            &tab,
            "return [...document.querySelectorAll('.course-toc__item')].map(li => li.classList.contains('is-read'))",
        );
        (v.as_array().is_some_and(|a| a.len() == 3)).then_some(v)
    });
    assert_eq!(marks, serde_json::json!([false, true, false]));
}

#[test]
fn reading_progress_works_offline() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::new("course");
    site.build();
    let server = crate::pages::SwitchableServer::start(&site.public());
    let tab = browser::tab(&chrome);
    let chapter = format!("{}/kurs/osnovy/", server.url);
    crate::pages::open(&tab, &chapter);
    crate::pages::open(&tab, &format!("{}/kurs/", server.url));
    let cached = |url: &str| {
        let js = format!("return !!(await caches.match('{url}'))");
        browser::try_eval(&tab, &js).ok() == Some(serde_json::json!(true))
    };
    browser::wait_for(
        "the chapter and course pages to be kept",
        Duration::from_secs(15),
        || (cached(&chapter) && cached(&format!("{}/kurs/", server.url))).then_some(()),
    );
    server.set_online(false);
    crate::pages::open(&tab, &chapter);
    let button = tab
        .wait_for_element("[data-mark-read]:not([hidden])")
        .expect("mark button offline");
    button.click().unwrap();
    crate::pages::open(&tab, &format!("{}/kurs/", server.url));
    let marks = browser::wait_for("marks offline", Duration::from_secs(5), || {
        let v = browser::try_eval(&tab, "return [...document.querySelectorAll('.course-toc__item')].map(li => li.classList.contains('is-read'))").ok()?;
        (v.as_array().is_some_and(|a| a.len() == 3)).then_some(v)
    });
    assert_eq!(marks, serde_json::json!([false, true, false]));
}

/// Every `id` of a document, in order.
fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

#[track_caller]
fn assert_unique_ids(html: &str) {
    let mut seen = std::collections::BTreeSet::new();
    let repeated: Vec<String> = ids(html)
        .into_iter()
        .filter(|id| !seen.insert(id.clone()))
        .collect();
    assert!(repeated.is_empty(), "ids used twice: {repeated:?}");
}

#[test]
fn quiz_is_a_form_that_reads_without_javascript() {
    // Issue 18, item 8.
    let site = TestSite::new("course-quiz");
    site.build();
    let chapter = site.main_html("/kurs/pervaya/");
    let quiz = element(&chapter, "<section class=\"quiz\"", "</section>");
    assert_eq!(quiz.matches("<fieldset").count(), 2, "{quiz}");
    assert_eq!(quiz.matches("<legend>").count(), 2, "{quiz}");
    assert_eq!(
        quiz.matches("type=\"radio\"").count(),
        3,
        "one right answer: radio buttons"
    );
    assert_eq!(
        quiz.matches("type=\"checkbox\"").count(),
        3,
        "several: checkboxes"
    );
    assert!(
        quiz.contains("<label for=\"quiz-1-3\">&lt;b&gt;«Обслуга»&lt;/b&gt;</label>"),
        "answers are text, escaped: {quiz}"
    );
    assert!(
        quiz.contains("role=\"status\" aria-live=\"polite\""),
        "{quiz}"
    );
    assert!(
        quiz.contains("<button type=\"button\" class=\"button\" data-quiz-check hidden>Проверить ответы</button>"),
        "the check button needs JavaScript, so it starts hidden: {quiz}"
    );
    // Without JavaScript: questions and answers shown, the key under `<details>`.
    let key = element(&quiz, "<details class=\"quiz__key\">", "</details>");
    assert!(
        key.contains("<summary>Показать ответ</summary>")
            && key.contains("«Формалисты»")
            && key.contains("Их девиз"),
        "{key}"
    );
    assert!(
        quiz.contains("Верные ответы:</strong> Экспертиза; Эмпатия"),
        "{quiz}"
    );
    assert!(!quiz.contains("question:"), "no YAML left: {quiz}");
    // The page has raw HTML, so it was sanitized: the form survives, and so
    // does the author's `<kbd>`.
    assert!(chapter.contains("<kbd>Ctrl</kbd>"));
    assert_unique_ids(&site.file("kurs/pervaya/index.html"));
    // Out of a course, a template that shows `page.content` still shows the
    // questions, as a plain list.
    let article = site.main_html("/stati/karera/");
    assert!(
        article.contains("<div class=\"quiz quiz--plain\"><ol><li><p>Статья или глава?</p><ul><li>Статья</li><li>Глава</li></ul></li></ol></div>"),
        "{article}"
    );
}

#[test]
fn quiz_mistakes_are_located_errors_with_hints() {
    let errors = TestSite::new("course-quiz-errors").errors();
    assert_eq!(
        errors,
        [
            "content/kurs/glava.md:9:3: error: question 1 has no correct answer\n  hint: add `correct: true` under the right answer (under several, if more than one is right)",
            "content/kurs/glava.md:22:9: error: in the `quiz` block: unknown field `corect` in answer 1 of question 1\n  hint: did you mean `correct`?",
            "content/kurs/glava.md:29:1: error: a `quiz` block must be a list of questions\n  hint: write `- question: …` with `answers:` under it, one `- text: …` per answer and `correct: true` on the right ones",
        ]
    );
}

#[test]
fn course_page_has_a_score_per_chapter_with_questions() {
    let site = TestSite::new("course-quiz");
    site.build();
    let course = site.main_html("/kurs/");
    let toc = element(&course, "<ol class=\"course-toc\"", "</ol>");
    assert!(
        toc.contains("data-score=\"Самопроверка: {correct} из {total}\""),
        "{toc}"
    );
    assert!(
        toc.contains("data-quiz-score data-questions=\"2\">Самопроверка: 2 вопроса</span>"),
        "{toc}"
    );
    assert!(
        toc.contains("data-quiz-score data-questions=\"1\">Самопроверка: 1 вопрос</span>"),
        "{toc}"
    );
    let plain = TestSite::new("course");
    plain.build();
    assert!(
        !plain.main_html("/kurs/").contains("data-quiz-score"),
        "no score for chapters without questions"
    );
}

#[test]
fn handout_ids_are_unique_and_links_make_sense_on_paper() {
    // Issue 18, item 6: every chapter had `razdel-glavy`, `samoproverka`, …
    let plain = TestSite::new("course");
    plain.build();
    assert_unique_ids(&plain.file("kurs/print/index.html"));

    let site = TestSite::new("course-quiz");
    site.build();
    let handout = site.file("kurs/print/index.html");
    assert_unique_ids(&handout);
    let first = element(
        &handout,
        "<section class=\"handout__chapter\" id=\"chapter-1\">",
        "</section>",
    );
    for expected in [
        // Chapters of the course: a place in the handout, printed as the chapter's number.
        r##"<a href="#chapter-2" data-ref="глава 2">вторую главу</a>"##,
        r##"<a href="#chapter-2-portret" data-ref="глава 2">её портрет</a>"##,
        // Pages out of the course, written relative or from the root: absolute.
        r#"<a href="https://example.org/stati/karera/">статью</a>"#,
        r#"<a href="https://example.org/stati/karera/">её"#,
        // The chapter's own anchors and footnotes follow its ids.
        r##"<a href="#chapter-1-portret">портрет"##,
        r#"<h2 id="chapter-1-portret">Портрет</h2>"#,
        r##"<a href="#chapter-1-1">1</a>"##,
        r#"id="chapter-1-1""#,
    ] {
        assert!(first.contains(expected), "{expected} in {first}");
    }
    assert!(
        !handout.contains("href=\"/stati"),
        "no site paths left: {handout}"
    );
    let css = site.file("print.css");
    assert!(css.contains(r#".prose a[data-ref]::after { content: " (" attr(data-ref) ")""#));
    assert!(
        css.contains(".handout__button") && css.contains(".handout__back"),
        "the bar is styled"
    );
}

#[test]
fn handout_prints_the_questions_and_an_answer_key_at_the_end() {
    let site = TestSite::new("course-quiz");
    site.build();
    let handout = site.file("kurs/print/index.html");
    assert!(!handout.contains("<input"), "no form on paper");
    let quiz = element(&handout, "<div class=\"handout__quiz\">", "</ol>");
    assert!(
        quiz.contains("Кто пересылает запросы клиента")
            && quiz.contains("<li>«Знайки»</li>")
            && quiz.contains("handout__options is-multiple"),
        "{quiz}"
    );
    let key_at = handout
        .find("<section class=\"handout__chapter handout__key\" id=\"answer-key\">")
        .expect("answer key");
    assert!(
        key_at > handout.find("id=\"chapter-2\"").unwrap(),
        "the key comes last"
    );
    let key = &handout[key_at..];
    assert!(
        key.contains("<h2>Глава 1. Первая</h2>") && key.contains("<h2>Глава 2. Вторая</h2>"),
        "{key}"
    );
    assert!(
        key.contains("<strong>«Формалисты»</strong>")
            && key.contains("<strong>Экспертиза; Эмпатия</strong>"),
        "{key}"
    );
    assert!(
        key.contains("<br><span class=\"handout__explain\">Их девиз"),
        "{key}"
    );
}

/// A fixture built and served to a fresh headless Chromium tab.
struct Served {
    tab: std::sync::Arc<headless_chrome::Tab>,
    server: StaticServer,
    _site: TestSite,
    _chrome: headless_chrome::Browser,
}

impl Served {
    /// `None` (the test skips) without Chromium.
    fn start(fixture: &str) -> Option<Served> {
        let chrome = browser::launch()?;
        let site = TestSite::new(fixture);
        site.build();
        let server = StaticServer::start(&site.public());
        let tab = browser::tab(&chrome);
        Some(Served {
            tab,
            server,
            _site: site,
            _chrome: chrome,
        })
    }
}

/// Open `url` and wait until it has loaded, by polling (the navigation
/// event can be missed on a busy machine); a navigation that never
/// completes is tried again, up to three times.
fn open(tab: &headless_chrome::Tab, url: &str) {
    let js = format!(
        "return location.href === {} && document.readyState === 'complete'",
        serde_json::json!(url)
    );
    for _ in 0..3 {
        let _ = tab.navigate_to(url);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if browser::try_eval(tab, &js).ok() == Some(serde_json::json!(true)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("timed out waiting for {url} to load");
}

/// `localStorage` record of the fixture course, as JSON.
fn progress(tab: &headless_chrome::Tab) -> serde_json::Value {
    browser::eval(
        tab,
        "return JSON.parse(localStorage.getItem('rolebook:progress:/kurs/') || 'null')",
    )
}

#[test]
fn quiz_is_checked_in_the_browser_by_keyboard_and_its_score_kept() {
    let Some(served) = Served::start("course-quiz") else {
        return;
    };
    let (tab, server) = (&served.tab, &served.server);
    let chapter = format!("{}/kurs/pervaya/", server.url);
    open(tab, &chapter);
    tab.wait_for_element("[data-quiz-check]:not([hidden])")
        .expect("check button shown");
    browser::eval(tab, "document.getElementById('quiz-1-1').focus()");
    // Space picks «Формалисты»; Tab past the answer's `<details>` to the
    // checkboxes; Space picks one of the two right ones; Tab to the button.
    for key in [" ", "Tab", "Tab", " ", "Tab", "Tab", "Tab", "Tab"] {
        tab.press_key(key).unwrap();
    }
    let focused = browser::eval(
        tab,
        "return document.activeElement.hasAttribute('data-quiz-check')",
    );
    assert_eq!(
        focused,
        serde_json::json!(true),
        "the check button is reached by Tab"
    );
    tab.press_key("Enter").unwrap();
    let result = browser::wait_for("the result", Duration::from_secs(5), || {
        let text = browser::eval(
            tab,
            "return document.querySelector('[data-quiz-result]').textContent",
        );
        (text != "").then_some(text)
    });
    assert_eq!(result, "Верных ответов: 1 из 2");
    let verdicts = browser::eval(
        tab,
        "return [...document.querySelectorAll('[data-verdict]')].map(v => v.hidden ? '' : v.textContent)",
    );
    assert_eq!(verdicts, serde_json::json!(["Верно", "Неверно"]));
    let record = progress(tab);
    assert_eq!(
        record["quizzes"]["/kurs/pervaya/"]["quiz"]["correct"], 1,
        "{record}"
    );
    assert_eq!(
        record["quizzes"]["/kurs/pervaya/"]["quiz"]["answers"],
        serde_json::json!([[0], [0]])
    );

    open(tab, &chapter);
    let restored = browser::wait_for("saved answers", Duration::from_secs(5), || {
        let v = browser::eval(
            tab,
            "return [document.getElementById('quiz-1-1').checked, document.getElementById('quiz-2-1').checked, document.querySelector('[data-quiz-result]').textContent]",
        );
        (v[2] != "").then_some(v)
    });
    assert_eq!(
        restored,
        serde_json::json!([true, true, "Верных ответов: 1 из 2"])
    );

    open(tab, &format!("{}/kurs/", server.url));
    let scores = browser::wait_for("scores on the course page", Duration::from_secs(5), || {
        let v = browser::eval(
            tab,
            "return [...document.querySelectorAll('[data-quiz-score]')].map(s => s.textContent)",
        );
        (v[0] == "Самопроверка: 1 из 2").then_some(v)
    });
    assert_eq!(
        scores,
        serde_json::json!(["Самопроверка: 1 из 2", "Самопроверка: 1 вопрос"])
    );
}

#[test]
fn read_marks_tell_the_truth_and_can_be_undone() {
    // Issue 18, item 7: "Вы уже прошли" on a first visit, and no way back.
    let Some(served) = Served::start("course-quiz") else {
        return;
    };
    let (tab, server) = (&served.tab, &served.server);
    let first = format!("{}/kurs/pervaya/", server.url);
    let second = format!("{}/kurs/vtoraya/", server.url);
    let covered = |tab: &headless_chrome::Tab| {
        browser::eval(
            tab,
            "const a = document.querySelector('[data-earlier]'); return a.hidden ? null : [...a.querySelectorAll('li:not([hidden])')].map(li => li.textContent)",
        )
    };
    open(tab, &second);
    tab.wait_for_element("[data-mark-read]:not([hidden])")
        .unwrap();
    assert_eq!(
        covered(tab),
        serde_json::Value::Null,
        "nothing covered on a first visit"
    );

    open(tab, &first);
    tab.wait_for_element("[data-mark-read]:not([hidden])")
        .unwrap()
        .click()
        .unwrap();
    let unmark = tab
        .wait_for_element("[data-read-done]:not([hidden]) [data-unmark-read]")
        .unwrap();
    let focused = browser::eval(
        tab,
        "return document.activeElement.hasAttribute('data-unmark-read')",
    );
    assert_eq!(
        focused,
        serde_json::json!(true),
        "focus moves to the undo button"
    );

    open(tab, &second);
    tab.wait_for_element("[data-mark-read]:not([hidden])")
        .unwrap();
    assert_eq!(covered(tab), serde_json::json!(["1. Первая"]));
    drop(unmark);

    open(tab, &first);
    tab.wait_for_element("[data-unmark-read]").unwrap();
    tab.wait_for_element("[data-read-done]:not([hidden])")
        .unwrap();
    browser::eval(tab, "document.querySelector('[data-unmark-read]').click()");
    tab.wait_for_element("[data-mark-read]:not([hidden])")
        .expect("mark button back");
    assert_eq!(progress(tab)["read"], serde_json::json!([]));

    open(tab, &format!("{}/kurs/", server.url));
    let marks = browser::eval(
        tab,
        "return [...document.querySelectorAll('.course-toc__item')].map(li => li.classList.contains('is-read'))",
    );
    assert_eq!(marks, serde_json::json!([false, false]));
    open(tab, &second);
    tab.wait_for_element("[data-mark-read]:not([hidden])")
        .unwrap();
    assert_eq!(
        covered(tab),
        serde_json::Value::Null,
        "an undone mark is not covered"
    );
}
