//! Headless Chromium for browser tests (the system's Debian `chromium`,
//! never a downloaded one) and a small static server for built sites.
//!
//! Without a browser, browser tests print one `skipped:` line and pass;
//! with `ROLEBOOK_REQUIRE_BROWSER=1` (set by `.ci/run`) they fail instead.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

static SKIP_NOTICE: Once = Once::new();

/// The Chromium executable: `$CHROME`, else `chromium` on the PATH.
fn chromium_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROME") {
        return Some(PathBuf::from(path));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Launch headless Chromium, or `None` (with a notice) when there is none.
pub fn launch() -> Option<Browser> {
    launch_sized(1366, 900)
}

/// Launch with a window size (CSS pixels).
pub fn launch_sized(width: u32, height: u32) -> Option<Browser> {
    let Some(path) = chromium_path() else {
        if std::env::var_os("ROLEBOOK_REQUIRE_BROWSER").is_some() {
            panic!(
                "no Chromium found and ROLEBOOK_REQUIRE_BROWSER is set (install chromium, or set CHROME=path)"
            );
        }
        SKIP_NOTICE.call_once(|| {
            eprintln!("skipped: no Chromium found (install chromium, or set CHROME=path)");
        });
        return None;
    };
    let profile = tempfile::tempdir().expect("profile dir").keep();
    let args: Vec<&OsStr> = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-component-update",
        "--hide-scrollbars",
        "--lang=ru-RU",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .window_size(Some((width, height)))
        .user_data_dir(Some(profile))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("launch Chromium"))
}

/// A new tab with a generous default timeout.
pub fn tab(browser: &Browser) -> Arc<Tab> {
    let tab = browser.new_tab().expect("new tab");
    tab.set_default_timeout(Duration::from_secs(20));
    tab
}

/// Evaluate JavaScript (awaiting promises) and return its JSON value.
#[track_caller]
pub fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    try_eval(tab, js).unwrap_or_else(|e| panic!("eval failed: {e}\n{js}"))
}

/// Like [`eval`], but a page that navigates away mid-call is an error, not a
/// panic (for polling while a page reloads).
pub fn try_eval(tab: &Tab, js: &str) -> Result<serde_json::Value, String> {
    let wrapped = format!("(async () => JSON.stringify(await (async () => {{ {js} }})()))()");
    let result = tab.evaluate(&wrapped, true).map_err(|e| e.to_string())?;
    Ok(match result.value {
        Some(serde_json::Value::String(json)) => {
            serde_json::from_str(&json).unwrap_or(serde_json::Value::Null)
        }
        _ => serde_json::Value::Null,
    })
}

/// Poll `check` until it returns `Some` or the deadline passes.
#[track_caller]
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Save a screenshot of the tab as PNG (for looking at pages while developing).
pub fn screenshot(tab: &Tab, path: &Path) {
    use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    std::fs::write(path, png).expect("write screenshot");
}

/// Serves a folder over HTTP on a free loopback port for as long as it lives.
pub struct StaticServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    /// Serve `root` (folders answer with their `index.html`; misses with `404.html`).
    pub fn start(root: &Path) -> StaticServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let root = root.to_path_buf();
        let handle = server.clone();
        let thread = std::thread::spawn(move || {
            for request in handle.incoming_requests() {
                let (status, path) = resolve(&root, request.url());
                let bytes = std::fs::read(&path).unwrap_or_default();
                let mime = mime_guess::from_path(&path).first_or_octet_stream();
                let content_type = if mime.type_() == "text"
                    || mime.subtype() == "javascript"
                    || mime.subtype() == "json"
                {
                    format!("{mime}; charset=utf-8")
                } else {
                    mime.to_string()
                };
                let header =
                    tiny_http::Header::from_bytes("Content-Type", content_type).expect("header");
                let response = tiny_http::Response::from_data(bytes)
                    .with_status_code(status)
                    .with_header(header);
                let _ = request.respond(response);
            }
        });
        StaticServer {
            url: format!("http://127.0.0.1:{port}"),
            server,
            thread: Some(thread),
        }
    }
}

fn resolve(root: &Path, url: &str) -> (u16, PathBuf) {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let mut file = root.to_path_buf();
    for part in decoded
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
    {
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    if file.is_file() {
        (200, file)
    } else {
        (404, root.join("404.html"))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = text.get(i + 1..i + 3).filter(|_| bytes[i] == b'%');
        if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
