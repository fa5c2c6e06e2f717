//! `rolebook serve`: HTTP (paths, MIME types, 404, traversal), live reload
//! and the error overlay in Chromium, and a soak test of rapid edits that must
//! end in exactly what a fresh `build` writes.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::browser;
use crate::support::TestSite;

/// A running `rolebook serve` on a free port; killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .args(extra)
            // Every incremental rebuild is checked against a full one.
            .env("ROLEBOOK_SERVE_VERIFY", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(at) = line.find(" at http://") {
                let url = line[at + 4..].split_whitespace().next().unwrap();
                break url.trim_end_matches('/').to_string();
            }
        };
        // Keep draining output so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let stderr_pipe = child.stderr.take().unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let collected = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
                let mut text = collected.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        Server { child, url, stderr }
    }

    /// Everything the server printed to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    #[track_caller]
    pub fn assert_incremental_matched_full(&self) {
        let stderr = self.stderr();
        assert!(!stderr.contains("incremental rebuild differs"), "{stderr}");
    }

    pub fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut response = agent
            .get(&format!("{}{path}", self.url))
            .call()
            .expect("request");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or("").to_string())
            .unwrap_or_default();
        let body = response
            .body_mut()
            .with_config()
            .limit(100_000_000)
            .read_to_vec()
            .unwrap_or_default();
        (status, content_type, body)
    }

    /// Send a raw request (so the client cannot normalize the path) with
    /// this `Host` header; returns the whole response as text.
    pub fn raw(&self, target: &str, host: &str) -> String {
        let address = self.url.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    }

    /// The status of a raw request for `target`.
    pub fn raw_status(&self, target: &str) -> u16 {
        let address = self.url.trim_start_matches("http://");
        self.raw(target, address)
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Remove the injected live-reload script so bytes compare with `build`.
fn strip_reload(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    match (
        text.find("<script>/* rolebook serve: live reload */"),
        text.rfind("</script>"),
    ) {
        (Some(start), Some(end)) if end > start => {
            let mut out = text[..start].to_string();
            out.push_str(&text[end + "</script>".len()..]);
            out.into_bytes()
        }
        _ => body.to_vec(),
    }
}

#[test]
fn serves_pages_with_mime_types_index_files_and_404() {
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let (status, mime, body) = server.get("/roles/pm/");
    assert_eq!((status, mime.as_str()), (200, "text/html; charset=utf-8"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("Менеджер проектов") && html.contains("rolebook serve: live reload"));
    let (status, mime, _) = server.get("/style.css");
    assert_eq!((status, mime.as_str()), (200, "text/css; charset=utf-8"));
    let (_, mime, _) = server.get("/sitemap.xml");
    assert!(
        mime == "text/xml; charset=utf-8" || mime == "application/xml; charset=utf-8",
        "{mime}"
    );
    let (_, mime, _) = server.get("/roles/pm/chart.png");
    assert_eq!(mime, "image/png");
    let (status, _, _) = server.get("/roles/pm");
    assert_eq!(status, 301, "a folder without its slash redirects");
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("Своя страница 404"),
        "the site's own 404 page"
    );
    let (status, _, _) = server.get("/roles/");
    assert_eq!(status, 200);
    let (status, _, _) = server.get("/stati/");
    assert_eq!(status, 404, "a folder without index.html is not listed");
}

#[test]
fn paths_outside_the_site_are_refused() {
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    for target in [
        "/../rolebook.yaml",
        "/%2e%2e/rolebook.yaml",
        "/roles/%2E%2E/%2E%2E/rolebook.yaml",
        "/..%2frolebook.yaml",
        "/roles\\..\\..\\rolebook.yaml",
        "/%5c..%5crolebook.yaml",
    ] {
        let status = server.raw_status(target);
        assert!(status == 400 || status == 404, "{target} answered {status}");
    }
}

#[test]
fn the_served_site_equals_a_build_with_the_server_url() {
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let mut options = site.options();
    options.base_url = Some(format!("{}/", server.url));
    options.output = Some(site.root().join("expected"));
    options.today = None;
    rolebook::site::build(&options).unwrap();
    assert_same_as_build(&server, &site.root().join("expected"));
    assert!(
        !site.root().join("public").exists(),
        "serve never writes the build output folder"
    );
}

#[track_caller]
fn assert_same_as_build(server: &Server, expected: &Path) {
    for entry in walkdir::WalkDir::new(expected)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(expected)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url = format!("/{}", rel.trim_end_matches("index.html"));
        let (status, _, body) = server.get(&url);
        assert_eq!(status, 200, "{url}");
        assert!(
            strip_reload(&body) == std::fs::read(entry.path()).unwrap(),
            "{url} differs from the build"
        );
    }
}

#[test]
fn soak_rapid_edits_renames_and_deletes_end_equal_to_a_fresh_build() {
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let content = site.root().join("content");
    for i in 0..500 {
        match i % 5 {
            0 => std::fs::write(
                content.join("roles/hr.md"),
                format!("+++\ntitle = \"HR {i}\"\nweight = 3\n+++\n\nПравка {i}.\n"),
            )
            .unwrap(),
            1 => std::fs::write(
                content.join(format!("temp-{}.md", i % 7)),
                format!("---\ntitle: Временная {i}\n---\n\nТекст {i}.\n"),
            )
            .unwrap(),
            2 => {
                let from = content.join(format!("temp-{}.md", (i + 3) % 7));
                let _ = std::fs::rename(&from, content.join(format!("renamed-{}.md", i % 3)));
            }
            3 => {
                let _ = std::fs::remove_file(content.join(format!("renamed-{}.md", (i + 1) % 3)));
            }
            _ => {
                // An editor's atomic save: write a temporary file, then rename it over.
                let temp = content.join(".windows.md.swp");
                std::fs::write(
                    &temp,
                    format!("---\ntitle: Окна {i}\n---\n\nАтомарное сохранение {i}.\n"),
                )
                .unwrap();
                std::fs::rename(&temp, content.join("windows.md")).unwrap();
            }
        }
    }
    let expected = site.root().join("expected");
    let build = |expected: &Path| {
        let mut options = site.options();
        options.base_url = Some(format!("{}/", server.url));
        options.output = Some(expected.to_path_buf());
        options.today = None;
        rolebook::site::build(&options).unwrap();
    };
    build(&expected);
    // The served files that still differ from the fresh build (empty once
    // the server has settled), named in the failure message.
    let differing = || -> Vec<String> {
        walkdir::WalkDir::new(&expected)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|entry| {
                let rel = entry
                    .path()
                    .strip_prefix(&expected)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let url = format!("/{}", rel.trim_end_matches("index.html"));
                let (status, _, body) = server.get(&url);
                (strip_reload(&body) != std::fs::read(entry.path()).unwrap())
                    .then(|| format!("{url} ({status})"))
            })
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let left = differing();
        if left.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never settled on the final files; still different: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    assert_same_as_build(&server, &expected);
    server.assert_incremental_matched_full();
    for gone in ["temp-0", "temp-1", "renamed-0", "renamed-1", "renamed-2"] {
        let on_disk = content.join(format!("{gone}.md")).exists();
        let (status, _, _) = server.get(&format!("/{gone}/"));
        assert_eq!(
            status == 200,
            on_disk,
            "/{gone}/ served iff its file exists"
        );
    }
}

#[test]
fn browser_sees_edits_and_the_error_overlay_without_reloading_by_hand() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let tab = browser::tab(&chrome);
    tab.navigate_to(&format!("{}/roles/account-manager/", server.url))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    let text = |tab: &headless_chrome::Tab| {
        browser::try_eval(tab, "return document.body ? document.body.innerText : ''")
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    browser::wait_for("page text", Duration::from_secs(10), || {
        text(&tab).contains("Связующее звено").then_some(())
    });
    let page = site.root().join("content/roles/account-manager.md");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, original.replace("Связующее звено", "Новое звено")).unwrap();
    browser::wait_for("the edit in the browser", Duration::from_secs(10), || {
        text(&tab).contains("Новое звено").then_some(())
    });
    std::fs::write(
        &page,
        original.replace("title: Аккаунт-менеджер", "title: [broken"),
    )
    .unwrap();
    let overlay = browser::wait_for("the error overlay", Duration::from_secs(10), || {
        let v = browser::try_eval(
            &tab,
            "const o = document.getElementById('rolebook-error-overlay'); return o ? o.innerText : null",
        );
        v.ok()?.as_str().map(str::to_string)
    });
    assert!(
        overlay.contains("content/roles/account-manager.md:2:"),
        "{overlay}"
    );
    assert!(
        text(&tab).contains("Новое звено"),
        "the last good page stays"
    );
    std::fs::write(&page, &original).unwrap();
    browser::wait_for("the overlay to go", Duration::from_secs(10), || {
        let gone = browser::try_eval(
            &tab,
            "return !document.getElementById('rolebook-error-overlay') && document.body.innerText.includes('Связующее звено')",
        );
        (gone.ok()? == serde_json::json!(true)).then_some(())
    });
}

/// Folders made after `serve` started (the first override of a fresh site)
/// are watched from then on (issue 15): a template, a static file and a UI
/// string in them show at once, a broken template there is reported, and the
/// served site then equals a fresh build.
#[test]
fn input_folders_created_while_serving_are_watched() {
    let site = TestSite::new("basic");
    for dir in ["templates", "static", "i18n"] {
        let _ = std::fs::remove_dir_all(site.root().join(dir));
    }
    let server = Server::start(site.root(), &[]);
    let wait = |what: &str, found: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !found() {
            assert!(
                Instant::now() < deadline,
                "never: {what}\n{}",
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    };
    let serves = |path: &str, text: &str| {
        let (status, _, body) = server.get(path);
        status == 200 && String::from_utf8_lossy(&body).contains(text)
    };
    let footer = include_str!("../../themes/default/templates/partials/footer.html");
    site.write(
        "templates/partials/footer.html",
        &format!("{footer}<p>Подвал сайта</p>\n"),
    );
    wait("the new template", &|| serves("/", "Подвал сайта"));
    site.write("static/hello.txt", "привет из static\n");
    wait("the new static file", &|| {
        serves("/hello.txt", "привет из static")
    });
    site.write("i18n/ru.yaml", "footer_text: Сделано тестом\n");
    wait("the new UI string", &|| serves("/", "Сделано тестом"));
    site.write("templates/page.html", "{% block main %}\n");
    wait("the broken template's error", &|| {
        server.stderr().contains("templates/page.html")
    });
    std::fs::remove_file(site.root().join("templates/page.html")).unwrap();
    let mut options = site.options();
    options.base_url = Some(format!("{}/", server.url));
    options.output = Some(site.root().join("expected"));
    options.today = None;
    rolebook::site::build(&options).unwrap();
    let expected = site.root().join("expected");
    let page = std::fs::read(expected.join("roles/account-manager/index.html")).unwrap();
    wait("the site as a fresh build has it", &|| {
        strip_reload(&server.get("/roles/account-manager/").2) == page
    });
    assert_same_as_build(&server, &expected);
}

/// Issue 15, requirement 5: an edit of a page's content is patched into the
/// open page (no reload: a value set by the page's JavaScript survives, and
/// so do the scroll position and the focus); an edit that changes anything
/// outside `<main>` (the title, which breadcrumbs show) reloads it; a theme
/// whose `<main>` does not opt in always reloads.
#[test]
fn content_edits_are_patched_into_the_open_page() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let tab = browser::tab(&chrome);
    tab.set_bounds(headless_chrome::types::Bounds::Normal {
        left: None,
        top: None,
        width: Some(1280.0),
        height: Some(500.0),
    })
    .ok();
    tab.navigate_to(&format!("{}/roles/account-manager/", server.url))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    let eval = |script: &str| browser::try_eval(&tab, script).unwrap_or(serde_json::Value::Null);
    browser::wait_for("morphdom", Duration::from_secs(10), || {
        (eval("return !!window.morphdom") == serde_json::json!(true)).then_some(())
    });
    let scrolled = eval(
        "window.kept = 'yes'; document.querySelector('.site-search input').focus(); document.querySelector('.site-search input').value = 'черновик'; window.scrollTo({ top: 300, behavior: 'instant' }); return Math.round(window.scrollY)",
    );
    let scrolled = scrolled.as_i64().unwrap_or(0);
    assert!(scrolled > 100, "the page scrolls: {scrolled}");
    let page = site.root().join("content/roles/account-manager.md");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{original}\nДобавленная строка для проверки.\n"),
    )
    .unwrap();
    browser::wait_for("the edit in <main>", Duration::from_secs(10), || {
        let v =
            eval("return document.querySelector('main').innerText.includes('Добавленная строка')");
        (v == serde_json::json!(true)).then_some(())
    });
    let state = eval(
        "return [window.kept || '', document.activeElement.value || '', Math.round(window.scrollY)].join(' ')",
    );
    assert_eq!(
        state,
        serde_json::json!(format!("yes черновик {scrolled}")),
        "patched in place"
    );

    std::fs::write(
        &page,
        original.replace(
            "title: Аккаунт-менеджер",
            "title: Аккаунт-менеджер клиентов",
        ),
    )
    .unwrap();
    browser::wait_for(
        "a reload for the new title",
        Duration::from_secs(10),
        || {
            let v = eval("return !window.kept && document.title.includes('клиентов')");
            (v == serde_json::json!(true)).then_some(())
        },
    );

    // A site base.html without the attribute: reloads.
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    let theme_base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    ))
    .unwrap();
    let opted_out = theme_base.replace(
        " data-rolebook-patch{% endblock patch %}",
        "{% endblock patch %}",
    );
    assert_ne!(opted_out, theme_base);
    std::fs::write(site.root().join("templates/base.html"), opted_out).unwrap();
    browser::wait_for("the site's base.html", Duration::from_secs(10), || {
        let v = eval(
            "return !document.querySelector('main[data-rolebook-patch]') && !!document.querySelector('main')",
        );
        (v == serde_json::json!(true)).then_some(())
    });
    eval("window.kept = 'again'; return 1");
    std::fs::write(&page, format!("{original}\nЕщё одна строка.\n")).unwrap();
    browser::wait_for(
        "a reload without the opt-in",
        Duration::from_secs(10),
        || {
            let v =
                eval("return !window.kept && document.body.innerText.includes('Ещё одна строка')");
            (v == serde_json::json!(true)).then_some(())
        },
    );
    server.assert_incremental_matched_full();
}
