//! Safe and exact on hostile input (issue 12): nothing outside the site
//! reaches the output, `serve` answers only its own names, `base_url` is
//! what it says, interrupted builds clean up after themselves.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::serve::Server;
use crate::support::TestSite;

/// A folder outside the site with a file only an attacker would want.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "root:x:0:0:secret\n").unwrap();
    std::fs::create_dir_all(dir.path().join("etc")).unwrap();
    std::fs::write(dir.path().join("etc/shadow"), "secret shadow\n").unwrap();
    dir
}

#[test]
fn symlinks_out_of_the_site_are_errors_naming_link_and_target() {
    let site = TestSite::new("basic");
    let secret = outside();
    let target = secret.path().canonicalize().unwrap();
    symlink(
        target.join("secret.txt"),
        site.root().join("static/passwd.txt"),
    )
    .unwrap();
    symlink(target.join("etc"), site.root().join("static/etc")).unwrap();
    symlink(
        target.join("etc/shadow"),
        site.root().join("content/roles/pm/shadow.txt"),
    )
    .unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{out:?}");
    let shown = |link: &str, to: &Path| {
        format!(
            "{link}: error: symlink to `{}`, which is outside the site\n  hint: copy what the site needs into it; to follow links out of the site on purpose, set `symlinks: follow` in rolebook.yaml",
            to.display()
        )
    };
    for (link, to) in [
        ("content/roles/pm/shadow.txt", target.join("etc/shadow")),
        ("static/etc", target.join("etc")),
        ("static/passwd.txt", target.join("secret.txt")),
    ] {
        assert!(out.stderr.contains(&shown(link, &to)), "{}", out.stderr);
    }
    assert!(out.stderr.ends_with("3 errors\n"), "{}", out.stderr);
    assert!(!site.public().exists(), "nothing is written");

    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    site.write("rolebook.yaml", &format!("{config}symlinks: follow\n"));
    site.build();
    assert_eq!(site.file("passwd.txt"), "root:x:0:0:secret\n");
    assert_eq!(site.file("etc/shadow"), "secret shadow\n");
}

#[test]
fn symlinks_inside_the_site_keep_working() {
    let site = TestSite::new("basic");
    symlink("../rolebook.yaml", site.root().join("static/config.txt")).unwrap();
    symlink("../content/roles/pm", site.root().join("static/pm-files")).unwrap();
    symlink(
        "pm/chart.png",
        site.root().join("content/roles/chart-copy.png"),
    )
    .unwrap();
    site.build();
    assert!(site.file("config.txt").starts_with("title: Тестовая база"));
    assert!(site.exists("pm-files/chart.png"));
    assert!(site.exists("roles/chart-copy.png"));
}

#[test]
fn a_broken_symlink_is_named_as_such() {
    let site = TestSite::new("basic");
    symlink("/nonexistent/file", site.root().join("static/gone.txt")).unwrap();
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "static/gone.txt: error: broken symlink: `/nonexistent/file` does not exist\n  hint: point the link at an existing file of the site, or remove it"
        ]
    );
}

#[test]
fn theme_is_a_name_never_a_path() {
    for theme in ["/etc", "../other-site/themes/x", "..", "a/b"] {
        let site = TestSite::empty(&format!("title: x\ntheme: {theme}\n"));
        let errors = site.errors();
        assert_eq!(
            errors,
            [format!(
                "rolebook.yaml:2:1: error: `theme: {theme}` is not a theme name\n  hint: name a folder under `themes/` (letters, digits, `-`, `_`), or remove `theme:` for the embedded default"
            )],
            "{theme}"
        );
    }
}

#[test]
fn serve_never_answers_with_files_from_outside_the_site() {
    let site = TestSite::new("basic");
    let secret = outside();
    symlink(
        secret.path().join("secret.txt"),
        site.root().join("static/passwd.txt"),
    )
    .unwrap();
    let server = Server::start(site.root(), &[]);
    let (status, _, body) = server.get("/passwd.txt");
    assert_ne!(status, 200);
    assert!(!String::from_utf8_lossy(&body).contains("secret"));
    // The error is printed by the server's build; its stderr is read by a
    // thread of the test: wait for it.
    crate::browser::wait_for(
        "the symlink error",
        std::time::Duration::from_secs(10),
        || {
            server
                .stderr()
                .contains("static/passwd.txt: error: symlink to")
                .then_some(())
        },
    );
}

#[test]
fn serve_answers_only_its_own_names() {
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let port = server.url.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("preview.localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = server.raw("/", &host);
        assert!(response.starts_with("HTTP/1.1 200"), "{host}: {response}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        let response = server.raw("/", &host);
        assert!(response.starts_with("HTTP/1.1 421"), "{host}: {response}");
        assert!(
            response.contains("answers only for its own address"),
            "{response}"
        );
    }
}

#[test]
fn serve_answers_the_host_of_its_base_url() {
    let site = TestSite::new("basic");
    let server = Server::start(
        site.root(),
        &["--base-url", "https://preview.example.org/kb/"],
    );
    let response = server.raw("/kb/roles/pm/", "preview.example.org");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("href=\"/kb/roles/\""), "{response}");
    let response = server.raw("/kb/roles/pm/", "other.example.org");
    assert!(response.starts_with("HTTP/1.1 421"), "{response}");
}

#[test]
fn double_slash_paths_never_redirect_to_another_host() {
    let site = TestSite::new("basic");
    let server = Server::start(site.root(), &[]);
    let address = server.url.trim_start_matches("http://").to_string();
    for target in [
        "//roles",
        "//roles?x=1",
        "///roles",
        "/%2F%2Froles",
        "//roles/pm",
    ] {
        let response = server.raw(target, &address);
        let location = response
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or_else(|| panic!("{target}: no redirect in {response}"));
        assert!(
            location.starts_with('/') && !location.starts_with("//"),
            "{target} → {location}"
        );
    }
}

#[test]
fn base_url_must_name_a_host() {
    for (url, problem) in [
        (
            "//evil.example/",
            "`//host/` leaves the scheme to the browser and hands every asset to that host",
        ),
        ("https://", "it has no host"),
        ("https:///kb/", "it has no host"),
        (
            "https://user:pw@example.org/",
            "it carries a user name or password",
        ),
        ("/\\evil.example/", "it contains spaces or backslashes"),
        (
            "ftp://example.org/",
            "it is not an http(s) URL or a path starting with `/`",
        ),
    ] {
        let site = TestSite::empty(&format!(
            "title: x\nbase_url: \"{}\"\n",
            url.replace('\\', "\\\\")
        ));
        let errors = site.errors();
        assert_eq!(
            errors,
            [format!(
                "rolebook.yaml:2:1: error: `{url}` cannot be the base URL: {problem}\n  hint: write e.g. `base_url: https://example.org/kb/`"
            )],
            "{url}"
        );
    }
    let site = TestSite::new("basic");
    let out = site.run(&["build", "--base-url", "//evil.example/"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("--base-url: `//evil.example/` cannot be the base URL")
    );
}

#[test]
fn a_bare_relative_output_folder_loses_its_stale_temporary_folders() {
    let site = TestSite::new("basic");
    // A build killed with -9 leaves its temporary folder; its process is gone.
    let pid_max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(4_194_304);
    let dead = (1..100)
        .map(|i| pid_max - i)
        .find(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        .unwrap();
    let stale = site.root().join(format!(".out.rolebook-tmp-{dead}"));
    std::fs::create_dir_all(stale.join("roles")).unwrap();
    std::fs::write(stale.join("roles/index.html"), "half a site").unwrap();
    let out = site.run(&["build", "--output", "out"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!stale.exists(), "stale temporary folder removed");
    assert!(site.root().join("out/index.html").is_file());
    site.assert_no_temporary_folders();
}

#[test]
fn serve_in_a_folder_that_is_not_a_site_exits_like_build() {
    let dir = tempfile::tempdir().unwrap();
    let run = |command: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args([command, "--root", dir.path().to_str().unwrap()])
            .output()
            .unwrap()
    };
    let build = run("build");
    let serve = run("serve");
    assert_eq!(build.status.code(), Some(2));
    assert_eq!(serve.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&serve.stderr),
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        String::from_utf8_lossy(&serve.stderr).starts_with("error: could not read `rolebook.yaml`")
    );
}

/// Dialogs opened by the page at `url` on load, and after a click on every
/// link and `summary` (the page's own `alert` is replaced before it runs).
fn dialogs_fired(url: &str) -> Option<i64> {
    let chrome = crate::browser::launch()?;
    let tab = crate::browser::tab(&chrome);
    tab.call_method(
        headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
            source: "window.__dialogs = 0; for (const f of ['alert', 'confirm', 'prompt']) window[f] = () => { window.__dialogs++; };".to_string(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        },
    )
    .unwrap();
    tab.navigate_to(url).unwrap();
    tab.wait_until_navigated().unwrap();
    // `javascript:` links run in the page when clicked; others are not followed.
    crate::browser::eval(
        &tab,
        "for (const a of document.querySelectorAll('main a[href], main summary')) { a.addEventListener('click', e => { if (!a.href || !a.href.startsWith('javascript:')) e.preventDefault(); }); a.click(); } true",
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    crate::browser::eval(&tab, "window.__dialogs").as_i64()
}

#[test]
fn raw_html_is_sanitized_by_default() {
    let site = TestSite::new("raw-html");
    site.build();
    let main = site.main_html("/pasted/");
    for kept in [
        "<kbd>Ctrl</kbd>",
        "<sub>2</sub>",
        "<abbr title=\"Human resources\">HR</abbr>",
        "<summary>Подробнее</summary>",
        "<math><mi>x</mi>",
        "alt=\"схема\"",
        "<a href=\"https://example.org/\">обычная</a>",
    ] {
        assert!(main.contains(kept), "{kept} missing in {main}");
    }
    for removed in [
        "<script",
        "onerror",
        "<iframe",
        "javascript:",
        "ontoggle",
        "<form",
        "<button",
        "<object",
    ] {
        assert!(!main.contains(removed), "{removed} kept in {main}");
    }
    // The Markdown link to `javascript:` stays as its text.
    assert!(main.contains("ссылка Markdown и"), "{main}");
    let server = crate::browser::StaticServer::start(&site.public());
    if let Some(dialogs) = dialogs_fired(&format!("{}/pasted/", server.url)) {
        assert_eq!(dialogs, 0);
    }
}

#[test]
fn raw_html_allow_keeps_everything_and_escape_shows_it_as_text() {
    let site = TestSite::new("raw-html");
    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    site.write(
        "rolebook.yaml",
        &format!("{config}markdown:\n  raw_html: allow\n"),
    );
    site.build();
    let main = site.main_html("/pasted/");
    assert!(main.contains("<script>alert('script')</script>"), "{main}");
    assert!(main.contains("href=\"javascript:alert(1)\""), "{main}");
    let server = crate::browser::StaticServer::start(&site.public());
    if let Some(dialogs) = dialogs_fired(&format!("{}/pasted/", server.url)) {
        assert!(dialogs >= 3, "the dialog count sees them: {dialogs}");
    }

    site.write(
        "rolebook.yaml",
        &format!("{config}markdown:\n  raw_html: escape\n"),
    );
    site.build();
    let main = site.main_html("/pasted/");
    assert!(main.contains("&lt;kbd&gt;Ctrl&lt;/kbd&gt;"), "{main}");
    assert!(main.contains("&lt;script&gt;"), "{main}");
    assert!(!main.contains("<script"), "{main}");
}

#[test]
fn check_warns_at_every_line_sanitize_changes_whatever_the_setting() {
    let site = TestSite::new("raw-html");
    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    site.write(
        "rolebook.yaml",
        &format!("{config}markdown:\n  raw_html: allow\n"),
    );
    let out = site.run(&["check"]);
    let found: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("warning[unsafe-html]"))
        .collect();
    let p = "content/pasted.md";
    assert_eq!(
        found,
        [
            format!(
                "{p}:7:1: warning[unsafe-html]: `<script>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:9:1: warning[unsafe-html]: the `onerror` attribute of `<img>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:11:1: warning[unsafe-html]: `<iframe>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:13:1: warning[unsafe-html]: the `javascript:` URL in `href` of `<a>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:15:1: warning[unsafe-html]: the link to a `javascript:` URL is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:17:1: warning[unsafe-html]: the `ontoggle` attribute of `<details>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:19:1: warning[unsafe-html]: `<button>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:19:1: warning[unsafe-html]: `<form>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:19:1: warning[unsafe-html]: the `name` attribute of `<input>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
            format!(
                "{p}:21:1: warning[unsafe-html]: `<object>` is removed from the page (`markdown.raw_html: sanitize`)"
            ),
        ],
        "{}",
        out.stdout
    );
}

/// `@`, `+` and `~` in file and folder names stay in their URLs, so names
/// that differ only by them do not collide (issue 12).
#[test]
fn file_names_keep_url_safe_characters() {
    let site = TestSite::empty("title: Документация\n");
    site.write(
        "content/_index.md",
        "---\ntitle: Главная\n---\n[a](css/@media.md) [b](css/media.md) [c](css/c++.md) [d](css/c.md) [e](css/a~b.md) [f](@at/page.md) [g](at/page.md) [root](/css/%40font-face/)\n",
    );
    for name in ["@media", "media", "c++", "c", "a~b", "@font-face"] {
        site.write(
            &format!("content/css/{name}.md"),
            &format!("---\ntitle: \"{name}\"\n---\nСтраница `{name}`.\n"),
        );
    }
    for folder in ["@at", "at"] {
        site.write(
            &format!("content/{folder}/page.md"),
            &format!("---\ntitle: \"{folder}\"\n---\nТекст.\n"),
        );
    }
    site.build();
    for output in [
        "css/@media/index.html",
        "css/media/index.html",
        "css/c++/index.html",
        "css/c/index.html",
        "css/a~b/index.html",
        "css/@font-face/index.html",
        "@at/page/index.html",
        "at/page/index.html",
    ] {
        assert!(site.exists(output), "{output}");
    }
    assert!(
        site.file("css/c++/index.html")
            .contains("Страница <code>c++</code>")
    );
    let home = site.main_html("/");
    for href in [
        "/css/@media/",
        "/css/c++/",
        "/css/a~b/",
        "/@at/page/",
        "/at/page/",
    ] {
        assert!(
            home.contains(&format!("href=\"{href}\"")),
            "{href} in {home}"
        );
    }
    let out = site.run(&["check", "--deny", "warnings"]);
    assert!(!out.stdout.contains("broken-root-link"), "{}", out.stdout);
    assert!(!out.stdout.contains("orphan-page"), "{}", out.stdout);
    let server = Server::start(site.root(), &[]);
    assert_eq!(server.get("/css/%40media/").0, 200);
    assert_eq!(server.get("/css/c++/").0, 200);
}
