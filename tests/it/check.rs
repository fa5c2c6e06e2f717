//! `rolebook check` (issue 8): every lint at its exact line, settings that
//! switch rules off or raise them, build errors in the same report, JSON,
//! exit codes, external links against a local server, and the bundled
//! knowledge base passing `--deny warnings`.

use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{Output, TODAY_EPOCH, TestSite};

/// `path:line:col rule` of every finding, from `--format json`.
#[track_caller]
fn findings(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", output.stdout, output.stderr));
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {}",
                f["path"].as_str().unwrap_or("-"),
                f["line"],
                f["column"],
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[track_caller]
fn assert_lines(output: &Output, expected: &[&str]) {
    assert_eq!(findings(output), expected, "stderr:\n{}", output.stderr);
}

#[test]
fn every_lint_reports_at_its_line() {
    let site = TestSite::new("check-lints");
    let output = site.run(&["check", "--format", "json"]);
    assert_eq!(output.code, 0, "warnings alone pass:\n{}", output.stdout);
    assert_lines(
        &output,
        &[
            "content/articles/copy-a.md:8:1 warning duplicate-block",
            "content/articles/copy-b.md:10:1 warning duplicate-block",
            "content/articles/links.md:8:5 warning broken-root-link",
            "content/articles/links.md:8:41 warning broken-root-link",
            "content/articles/old.md:3:1 warning stale-page",
            "content/articles/orphan.md:2:1 warning orphan-page",
            "content/articles/structure.md:12:1 warning heading-skip",
            "content/articles/structure.md:16:1 warning empty-section",
            "content/articles/structure.md:20:1 warning image-alt",
            "content/articles/structure.md:22:1 warning image-alt",
            "content/empty/_index.md:2:1 warning empty-section",
            "content/roles/alpha.md:7:3 warning stale-salary",
            "content/roles/beta.md:3:1 warning empty-field",
            "content/roles/beta.md:15:1 warning repeated-heading",
            "content/roles/gamma.md:4:1 warning role-missing-field",
        ],
    );
}

#[test]
fn text_findings_use_the_build_error_form_and_end_with_a_summary() {
    let site = TestSite::new("check-lints");
    let output = site.run(&["check"]);
    let text = &output.stdout;
    assert!(
        text.contains(
            "content/articles/links.md:8:5: warning[broken-root-link]: link to a page the site does not have: `/roles/missing/`\n  hint: "
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "content/roles/gamma.md:4:1: warning[role-missing-field]: this role has no `salary`, which every other role of `Тестовые роли` has (alpha, beta)\n  hint: add `salary:` from your sources; if there is no data, write `salary: {}` so it is clear nothing was forgotten\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("content/roles/alpha.md:7:3: warning[stale-salary]: the salary figures are from 2020-01-10, 72 months ago (older than 24 months)"),
        "{text}"
    );
    assert!(
        text.ends_with("checked 14 pages: 0 errors, 15 warnings\n"),
        "{text}"
    );
    assert!(
        !site.root().join("public").exists(),
        "check writes no output"
    );
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let site = TestSite::new("check-lints");
    assert_eq!(site.run(&["check"]).code, 0);
    let denied = site.run(&["check", "--deny", "warnings"]);
    assert_eq!(denied.code, 1);
    assert!(
        denied
            .stdout
            .ends_with("checked 14 pages: 0 errors, 15 warnings (warnings denied)\n"),
        "{}",
        denied.stdout
    );
    let usage = site.run(&["check", "--deny", "everything"]);
    assert_eq!(usage.code, 2, "{}", usage.stderr);
}

/// Issue 8, requirement 3: a long scraped article pasted with everything
/// around it. Each piece of noise is reported at its own first line.
#[test]
fn pasted_article_reports_every_piece_of_noise_at_its_line() {
    let site = TestSite::new("check-pasted");
    let output = site.run(&["check", "--format", "json"]);
    let page = "content/articles/klientskiy-menedzher.md";
    let expected: Vec<String> = [
        // «Фото на обложке: Shutterstock»
        "8:1 warning boilerplate",
        // «Партнёрский материал. Мнение редакции…», and the editor's address in it
        "10:1 warning boilerplate",
        "10:144 warning boilerplate",
        // The ad for a competition for digital agencies: a boilerplate block
        // (label and promo text, one finding) that is also pasted twice.
        "31:1 warning boilerplate",
        "31:1 warning duplicate-block",
        // The project life cycle pasted twice: first paragraph of each copy.
        "50:1 warning duplicate-block",
        // The ad-blocker banner.
        "74:1 warning boilerplate",
        "78:1 warning duplicate-block",
        "98:1 warning boilerplate",
        "98:1 warning duplicate-block",
        // The comment form: heading, prompt, notice and button, one finding.
        "121:1 warning boilerplate",
    ]
    .iter()
    .map(|f| format!("{page}:{f}"))
    .collect();
    assert_eq!(findings(&output), expected, "{}", output.stdout);
    let text = site.run(&["check"]).stdout;
    for fragment in [
        "klientskiy-menedzher.md:10:144: warning[boilerplate]: an e-mail address in the text: `editor@career-digest.ru`",
        "klientskiy-menedzher.md:50:1: warning[duplicate-block]: repeated text: these 85 words (lines 50–53) also appear at line 78",
        "klientskiy-menedzher.md:121:1: warning[boilerplate]: a comment form pasted from a web page: `Комментарии`",
        "klientskiy-menedzher.md:31:1: warning[boilerplate]: an advertising or promo block pasted from a web page: `Реклама`",
    ] {
        assert!(text.contains(fragment), "missing {fragment}\n{text}");
    }
}

#[test]
fn settings_switch_rules_off_raise_them_and_add_patterns() {
    let site = TestSite::new("check-lints");
    site.write(
        "rolebook.yaml",
        "title: Линтер\nbase_url: /\nlint:\n  rules:\n    orphan-page: off\n    image-alt: off\n    stale-page: error\n  boilerplate_patterns:\n    - { pattern: \"никто не ссылается\", message: \"a sentence nobody should keep\" }\n",
    );
    site.write(
        "content/articles/structure.md",
        &std::fs::read_to_string(site.root().join("content/articles/structure.md"))
            .unwrap()
            .replace(
                "date: 2025-12-01\n",
                "date: 2025-12-01\nlint: { allow: [heading-skip, empty-section] }\n",
            ),
    );
    let output = site.run(&["check", "--format", "json"]);
    assert_eq!(output.code, 1, "stale-page is an error now");
    let found = findings(&output);
    assert!(
        found.contains(&"content/articles/old.md:3:1 error stale-page".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"content/articles/orphan.md:6:1 warning boilerplate".to_string()),
        "{found:?}"
    );
    for gone in ["orphan-page", "image-alt", "heading-skip"] {
        assert!(
            !found.iter().any(|f| f.ends_with(gone)),
            "{gone}: {found:?}"
        );
    }
    assert!(
        !found
            .iter()
            .any(|f| f.starts_with("content/articles/structure.md")),
        "{found:?}"
    );
    assert!(
        output
            .stdout
            .contains("a sentence nobody should keep pasted from a web page")
    );
}

#[test]
fn unknown_rule_names_in_settings_and_pages_are_errors() {
    let site = TestSite::new("check-lints");
    site.write(
        "rolebook.yaml",
        "title: Линтер\nlint:\n  rules:\n    orphan-pages: off\n",
    );
    site.write(
        "content/articles/allowed.md",
        "---\ntitle: Разрешённое\ndate: 2025-12-01\nlint:\n  allow: [heading-skipp]\n---\n\nТекст.\n",
    );
    let output = site.run(&["check"]);
    assert_eq!(output.code, 1);
    for expected in [
        "rolebook.yaml:4:5: error: unknown lint rule `orphan-pages`\n  hint: did you mean `orphan-page`?",
        "content/articles/allowed.md:5:1: error: unknown lint rule `heading-skipp` in `lint.allow`\n  hint: did you mean `heading-skip`?",
    ] {
        assert!(
            output.stdout.contains(expected),
            "{expected}\n{}",
            output.stdout
        );
    }
}

#[test]
fn build_errors_come_first_class_and_page_lints_still_run() {
    let site = TestSite::new("check-lints");
    site.write(
        "content/articles/broken.md",
        "---\ntitle: Сломанная\ndate: 2025-12-01\n---\n\nСсылка на [пропажу](gone.md).\n\n## Пусто\n",
    );
    let output = site.run(&["check"]);
    assert_eq!(output.code, 1);
    let text = &output.stdout;
    assert!(
        text.contains("content/articles/broken.md:6:11: error: link to a missing page: `gone.md` (looked for `content/articles/gone.md`)"),
        "{text}"
    );
    assert!(
        text.contains("content/articles/broken.md:8:1: warning[empty-section]"),
        "{text}"
    );
    assert!(
        text.contains("content/roles/alpha.md:7:3: warning[stale-salary]"),
        "{text}"
    );
    assert!(
        text.contains("note: orphan-page, broken-root-link"),
        "{text}"
    );
    let json = site.run(&["check", "--format", "json"]);
    let error = findings(&json)
        .into_iter()
        .find(|f| f.contains("broken.md:6"))
        .unwrap();
    assert_eq!(error, "content/articles/broken.md:6:11 error -");
}

#[test]
fn a_site_without_settings_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.starts_with("error: could not read `rolebook.yaml`"),
        "{stdout}"
    );
}

#[test]
fn json_findings_have_the_documented_fields() {
    let site = TestSite::new("check-lints");
    let output = site.run(&["check", "--format", "json", "--deny", "warnings"]);
    assert_eq!(output.code, 1);
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let first = &json["findings"][0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "path", "line", "column", "severity", "rule", "message", "hint", "cause"
        ]
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"pages": 14, "errors": 0, "warnings": 15, "failed": true})
    );
}

/// Issue 8, requirement 5: the bundled knowledge base is clean, with no rule
/// switched off in `rolebook.yaml` or in any page.
#[test]
fn bundled_content_passes_check_deny_warnings() {
    let site = TestSite::bundled();
    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    assert!(
        !config.contains("lint"),
        "no lint settings for the bundled site"
    );
    for entry in walkdir::WalkDir::new(site.root().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!text.contains("\nlint:"), "{}", entry.path().display());
        }
    }
    let output = site.run(&["check", "--deny", "warnings"]);
    assert_eq!(output.code, 0, "{}{}", output.stdout, output.stderr);
    assert!(
        output.stdout.contains("no problems found"),
        "{}",
        output.stdout
    );
}

/// A local HTTP server with the answers the external check must handle.
pub(crate) struct LinkServer {
    pub(crate) url: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    max_in_flight: Arc<AtomicUsize>,
}

impl LinkServer {
    pub(crate) fn start() -> LinkServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let (h, f, m) = (hits.clone(), in_flight.clone(), max_in_flight.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (h, f, m) = (h.clone(), f.clone(), m.clone());
                std::thread::spawn(move || {
                    let now = f.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(now, Ordering::SeqCst);
                    let path = request.url().to_string();
                    *h.lock().unwrap().entry(path.clone()).or_insert(0) += 1;
                    let is_head = *request.method() == tiny_http::Method::Head;
                    let status = match path.as_str() {
                        "/missing" => 404,
                        "/head-refused" if is_head => 405,
                        "/slow" => {
                            std::thread::sleep(Duration::from_secs(4));
                            200
                        }
                        p if p.starts_with("/busy/") => {
                            std::thread::sleep(Duration::from_millis(150));
                            200
                        }
                        _ => 200,
                    };
                    f.fetch_sub(1, Ordering::SeqCst);
                    let _ = request.respond(tiny_http::Response::empty(status));
                });
            }
        });
        LinkServer {
            url,
            hits,
            max_in_flight,
        }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// Run `check --external` without proxies, so requests stay on this machine.
fn run_external(site: &TestSite) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .args(["check", "--external", "--format", "json"])
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap();
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn external_links_are_checked_concurrently_with_timeouts_and_cached() {
    let server = LinkServer::start();
    let url = &server.url;
    let site = TestSite::empty(
        "title: Ссылки\nlint:\n  external:\n    concurrency: 2\n    timeout_seconds: 1\n    skip: [\"https://skip.invalid/\"]\n",
    );
    let busy: String = (0..8).map(|i| format!("[b{i}]({url}/busy/{i}) ")).collect();
    site.write(
        "content/_index.md",
        "---\ntitle: Главная\n---\n\n[Ссылки](links.md)\n",
    );
    site.write(
        "content/links.md",
        &format!(
            "---\ntitle: Ссылки\n---\n\n[ok]({url}/ok)\n\n[missing]({url}/missing#part)\n\n[head]({url}/head-refused)\n\n[slow]({url}/slow)\n\n{busy}\n\n[skipped](https://skip.invalid/page)\n\n[again]({url}/missing)\n"
        ),
    );
    let started = std::time::Instant::now();
    let first = run_external(&site);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "time-outs bound the run"
    );
    assert_eq!(
        findings(&first),
        [
            "content/links.md:7:1 warning external-link",
            "content/links.md:11:1 warning external-link",
            "content/links.md:17:1 warning external-link",
        ],
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("external link answers HTTP 404"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("did not answer within 1 s"),
        "{}",
        first.stdout
    );
    assert!(
        server.max_in_flight.load(Ordering::SeqCst) <= 2,
        "at most 2 requests at once, saw {}",
        server.max_in_flight.load(Ordering::SeqCst)
    );
    assert_eq!(
        server.hits("/missing"),
        2,
        "HEAD, then GET; fragment dropped, one URL"
    );
    assert_eq!(server.hits("/head-refused"), 2, "HEAD refused, GET works");
    let cache = std::fs::read_to_string(site.root().join(".rolebook-cache/links.json")).unwrap();
    assert!(cache.contains(&format!("{url}/ok")), "{cache}");
    assert!(
        !cache.contains("/missing"),
        "failures are not cached: {cache}"
    );

    let second = run_external(&site);
    assert_eq!(findings(&second).len(), 3, "{}", second.stdout);
    assert_eq!(server.hits("/ok"), 1, "answered from the cache");
    assert_eq!(server.hits("/missing"), 4, "failures are asked again");
    assert!(
        second.stdout.contains("10 from the cache"),
        "{}",
        second.stdout
    );
}

#[test]
fn boilerplate_headings_count_only_as_the_start_of_a_pasted_block() {
    let site = TestSite::new("check-lints");
    site.write(
        "content/articles/ads.md",
        "---\ntitle: Реклама как профессия\ndate: 2025-12-01\n---\n\n## Реклама\n\nРеклама в соцсетях требует отдельного бюджета, и клиент может оставить комментарий к макету.\n\n## Комментарии\n\nОставьте комментарий\n\nВаш адрес email не будет опубликован.\n",
    );
    site.write(
        "content/articles/_index.md",
        "---\ntitle: Статьи\ndate: 2025-12-01\n---\n\n[Реклама](ads.md), [Структура](structure.md), [Ссылки](links.md), [Старая](old.md), [Разрешённое](allowed.md), [А](copy-a.md), [Б](copy-b.md)\n",
    );
    let found: Vec<String> = findings(&site.run(&["check", "--format", "json"]))
        .into_iter()
        .filter(|f| f.starts_with("content/articles/ads.md"))
        .collect();
    assert_eq!(found, ["content/articles/ads.md:10:1 warning boilerplate"]);
}

#[test]
fn section_lists_can_count_as_links_for_orphan_page() {
    let site = TestSite::new("check-lints");
    site.write(
        "rolebook.yaml",
        "title: Линтер\nlint:\n  orphan_section_lists: true\n",
    );
    let found = findings(&site.run(&["check", "--format", "json"]));
    assert!(
        !found.iter().any(|f| f.ends_with("orphan-page")),
        "{found:?}"
    );
}

#[test]
fn template_errors_of_build_are_check_errors_too() {
    let site = TestSite::new("check-lints");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title }{% endblock main %}",
    );
    let output = site.run(&["check"]);
    assert_eq!(output.code, 1, "{}", output.stdout);
    assert!(
        output.stdout.contains("templates/page.html"),
        "{}",
        output.stdout
    );
}

/// Old figures kept after a review: the page says so and records the review
/// with `updated`; readers still get the staleness notice.
#[test]
fn stale_salary_reviewed_after_it_went_stale_is_not_reported() {
    let site = TestSite::new("check-lints");
    let alpha = std::fs::read_to_string(site.root().join("content/roles/alpha.md")).unwrap();
    site.write(
        "content/roles/alpha.md",
        &alpha.replace(
            "date: 2025-12-01\n",
            "date: 2025-12-01\nupdated: 2025-12-01\n",
        ),
    );
    let found = findings(&site.run(&["check", "--format", "json"]));
    assert!(
        !found.iter().any(|f| f.ends_with("stale-salary")),
        "{found:?}"
    );
    let reviewed_too_early = alpha.replace(
        "date: 2025-12-01\n",
        "date: 2025-12-01\nupdated: 2021-03-01\n",
    );
    site.write("content/roles/alpha.md", &reviewed_too_early);
    let found = findings(&site.run(&["check", "--format", "json"]));
    assert!(
        found.contains(&"content/roles/alpha.md:8:3 warning stale-salary".to_string()),
        "{found:?}"
    );
    site.build();
    assert!(site.main_html("/roles/alpha/").contains("notice--stale"));
}
