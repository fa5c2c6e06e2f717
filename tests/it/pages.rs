//! Page types of the bundled site and browser helpers for the theme's tests:
//! viewport and colour-scheme emulation, loading a page, full-page screenshots.

use std::path::Path;
use std::time::Duration;

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::{Emulation, Page};

use crate::browser;

/// Every page type of the bundled site: a name and a URL path.
pub const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "/"),
    ("section", "/articles/"),
    ("article", "/articles/salaries/"),
    ("roles directory", "/roles/"),
    ("role", "/roles/account-manager/"),
    ("role without salary", "/roles/hr-manager/"),
    (
        "comparison",
        "/comparisons/account-manager-vs-project-manager/",
    ),
    ("salary overview", "/salaries/"),
    ("career map", "/career-map/"),
    ("taxonomy list", "/tags/"),
    ("taxonomy term", "/qualities/kommunikabelnost/"),
    ("search", "/search/"),
    ("404", "/404.html"),
    ("course", "/courses/kto-vy-dlya-klienta/"),
    ("chapter", "/courses/kto-vy-dlya-klienta/obsluga/"),
    ("handout", "/courses/kto-vy-dlya-klienta/print/"),
];

/// Light or dark colour scheme, as the system setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// Emulate a viewport (CSS pixels; phones below 600 px wide) and a system colour scheme.
pub fn emulate(tab: &Tab, width: u32, height: u32, scheme: Scheme) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("viewport");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.name().into(),
        }]),
    })
    .expect("colour scheme");
}

/// Navigate and wait until the page and its subresources have loaded.
#[track_caller]
pub fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).expect("navigate");
    tab.wait_until_navigated().expect("navigated");
    browser::wait_for(&format!("{url} to load"), Duration::from_secs(15), || {
        let state = browser::eval(tab, "return document.readyState");
        (state == "complete").then_some(())
    });
}

/// PNGs of the whole page at `width`, cut into parts of about two screens
/// (`name-0.png`, `name-1.png`, …) so each stays legible: the viewport is
/// stretched to the page's height for the capture, then restored.
pub fn full_screenshot(tab: &Tab, dir: &Path, name: &str, size: (u32, u32), scheme: Scheme) {
    let (width, height) = size;
    let full = browser::eval(tab, "return document.documentElement.scrollHeight")
        .as_u64()
        .unwrap_or(u64::from(height));
    let full = u32::try_from(full).unwrap_or(height).clamp(height, 20_000);
    emulate(tab, width, full, scheme);
    let part = if width < 600 { 1100 } else { 1500 };
    for (i, top) in (0..full).step_by(part as usize).enumerate() {
        let clip = Page::Viewport {
            x: 0.0,
            y: f64::from(top),
            width: f64::from(width),
            height: f64::from(part.min(full - top)),
            scale: 1.0,
        };
        let png = tab
            .capture_screenshot(
                Page::CaptureScreenshotFormatOption::Png,
                None,
                Some(clip),
                true,
            )
            .expect("screenshot");
        std::fs::write(dir.join(format!("{name}-{i}.png")), png).expect("write screenshot");
    }
    emulate(tab, width, height, scheme);
}

/// A file server whose network can be cut: while off, every connection is
/// closed unanswered, as when a phone loses its connection (a browser's own
/// offline switch does not reach service workers). Every response closes its
/// connection, so no kept-alive socket outlives the switch.
pub struct SwitchableServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    online: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl SwitchableServer {
    /// Serve `root` (folders answer with their `index.html`).
    pub fn start(root: &Path) -> SwitchableServer {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let online = std::sync::Arc::new(AtomicBool::new(true));
        let (root, flag) = (root.to_path_buf(), online.clone());
        // The thread ends with the test process; it only ever blocks in `accept`.
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                if !flag.load(Ordering::SeqCst) {
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let mut line = String::new();
                let mut reader = BufReader::new(&stream);
                let _ = reader.read_line(&mut line);
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split(' ').nth(1).unwrap_or("/");
                let (status, file) = resolve(&root, path);
                let body = std::fs::read(&file).unwrap_or_default();
                let mime = mime_guess::from_path(&file).first_or_octet_stream();
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {mime}; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        SwitchableServer { url, online }
    }

    /// Cut or restore the network.
    pub fn set_online(&self, online: bool) {
        self.online
            .store(online, std::sync::atomic::Ordering::SeqCst);
    }
}

fn resolve(root: &Path, url: &str) -> (&'static str, std::path::PathBuf) {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.to_path_buf();
    for part in percent_decode(path)
        .split('/')
        .filter(|p| !p.is_empty() && *p != "..")
    {
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    if file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text.get(i + 1..i + 3).filter(|_| bytes[i] == b'%');
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
