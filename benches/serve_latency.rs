//! Edit-to-browser latency of `rolebook serve`: from a file write to the
//! moment headless Chromium has the new text, over N edits; plus the serve
//! process's memory after the first and after many edits. The default theme
//! patches the open page in place: the time is when a MutationObserver in
//! the page first sees the new text; after a full reload (an edit that
//! needs one, or a theme that does not opt in) it is the new document's
//! `DOMContentLoaded`. Both are the page's own clock.
//!
//! ```text
//! cargo build --release
//! cargo bench --bench serve_latency -- --content content --config rolebook.yaml --edits 50
//! cargo bench --bench serve_latency -- --content ../bench-data/n1000/neutral/content --edits 50 --memory-edits 1000
//! ```
//!
//! The content folder is copied to a temporary site (with the default theme
//! and `unknown_front_matter: extra`, as the generated corpora need), so the
//! original is never edited. Uses the release binary in `target/release`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use headless_chrome::{Browser, LaunchOptions};

struct Args {
    content: PathBuf,
    config: Option<PathBuf>,
    edits: usize,
    memory_edits: usize,
}

fn args() -> Args {
    let mut args = Args {
        content: PathBuf::from("content"),
        config: None,
        edits: 50,
        memory_edits: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--content" => args.content = PathBuf::from(it.next().expect("--content DIR")),
            "--config" => args.config = Some(PathBuf::from(it.next().expect("--config FILE"))),
            "--edits" => args.edits = it.next().expect("--edits N").parse().expect("a number"),
            "--memory-edits" => {
                args.memory_edits = it
                    .next()
                    .expect("--memory-edits N")
                    .parse()
                    .expect("a number")
            }
            _ => {}
        }
    }
    args
}

fn main() {
    let args = args();
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/rolebook");
    assert!(
        binary.exists(),
        "build the release binary first: cargo build --release"
    );
    let site = tempfile::tempdir().expect("temp dir");
    copy_dir(&args.content, &site.path().join("content"));
    // `--config` (the bundled site's, with its languages), or one for the
    // generated corpora.
    match &args.config {
        Some(config) => {
            std::fs::copy(config, site.path().join("rolebook.yaml")).unwrap();
        }
        None => std::fs::write(
            site.path().join("rolebook.yaml"),
            "title: \"Бенчмарк\"\nbase_url: \"https://example.org/\"\nlanguage: ru\nunknown_front_matter: extra\n",
        )
        .unwrap(),
    }
    let page = pick_page(&site.path().join("content"));
    let pages = count_pages(&site.path().join("content"));
    let build = full_build_time(&binary, site.path());
    println!(
        "site: {} ({pages} pages), edited page: {}",
        args.content.display(),
        page.display()
    );
    println!(
        "full build (release, default theme): {:.0} ms",
        build.as_secs_f64() * 1000.0
    );

    let (mut server, url) = start_serve(&binary, site.path());
    let browser = launch();
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    let page_url = format!("{url}{}", page_url(&page, &site.path().join("content")));
    tab.navigate_to(&page_url).unwrap();
    tab.wait_until_navigated().unwrap();

    let original = std::fs::read_to_string(&page).unwrap();
    let mut latencies = Vec::new();
    let mut patched = 0;
    let mut first_rss = None;
    for i in 0..args.edits {
        let marker = format!("zamer{i}x{}", std::process::id());
        watch_for(&tab, &marker);
        let t0 = epoch_ms();
        std::fs::write(&page, format!("{original}\n\nМаркер {marker}.\n")).unwrap();
        let (loaded, in_place) = wait_for_marker(&tab, &marker);
        patched += usize::from(in_place);
        latencies.push(loaded - t0);
        if std::env::var_os("LATENCY_DETAIL").is_some() {
            let nav = tab
                .evaluate("performance.timing.navigationStart", false)
                .ok()
                .and_then(|r| r.value)
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            let t = |what: &str| {
                tab.evaluate(&format!("performance.timing.{what}"), false)
                    .ok()
                    .and_then(|r| r.value)
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0)
            };
            println!(
                "  edit {i}: reload started +{:.0} ms, response +{:.0}, DOM interactive +{:.0}, DOMContentLoaded +{:.0}",
                nav - t0,
                t("responseEnd") - t0,
                t("domInteractive") - t0,
                loaded - t0
            );
        }
        if i == 0 {
            first_rss = rss_kb(server.id());
        }
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = latencies[latencies.len() / 2];
    let worst = latencies[latencies.len() - 1];
    println!(
        "edit-to-browser latency over {} edits ({patched} patched in place, the rest reloaded): median {median:.0} ms, worst {worst:.0} ms",
        latencies.len()
    );

    if args.memory_edits > 0 {
        for i in 0..args.memory_edits {
            let marker = format!("mem{i}");
            std::fs::write(&page, format!("{original}\n\nМаркер {marker}.\n")).unwrap();
            if i % 50 == 49 || i + 1 == args.memory_edits {
                watch_for(&tab, &marker);
                wait_for_marker(&tab, &marker);
            } else {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        std::thread::sleep(Duration::from_millis(500));
        let last = rss_kb(server.id());
        if let (Some(first), Some(last)) = (first_rss, last) {
            let growth = (last as f64 - first as f64) / first as f64 * 100.0;
            println!(
                "serve memory: {first} KB after the first edit, {last} KB after {} more edits ({growth:+.1}%)",
                args.memory_edits
            );
        }
    }
    std::fs::write(&page, original).unwrap();
    let _ = server.kill();
}

/// Set up a MutationObserver in the open page that notes (epoch ms) when
/// the page's text first contains `marker`.
fn watch_for(tab: &headless_chrome::Tab, marker: &str) {
    let js = format!(
        "(() => {{ window.__marker = '{marker}'; window.__seen = 0; if (!window.__observer) {{ window.__observer = new MutationObserver(() => {{ if (!window.__seen && document.body.textContent.includes(window.__marker)) window.__seen = Date.now(); }}); window.__observer.observe(document.documentElement, {{ subtree: true, childList: true, characterData: true }}); }} return 1; }})()"
    );
    tab.evaluate(&js, false).expect("observer set up");
}

/// Wait until the tab shows `marker`; return when it appeared (epoch ms) and
/// whether the page was patched in place (else: when the reloaded document
/// finished loading).
fn wait_for_marker(tab: &headless_chrome::Tab, marker: &str) -> (f64, bool) {
    let js = format!(
        "(() => {{ if (window.__seen && window.__marker === '{marker}') return window.__seen; return document.body && document.body.innerText.includes('{marker}') && performance.timing.domContentLoadedEventEnd > 0 ? -performance.timing.domContentLoadedEventEnd : 0; }})()"
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(result) = tab.evaluate(&js, false)
            && let Some(t) = result.value.and_then(|v| v.as_f64()).filter(|t| *t != 0.0)
        {
            return (t.abs(), t > 0.0);
        }
        assert!(Instant::now() < deadline, "the page never showed {marker}");
        // The timestamp comes from the page itself; polling rarely keeps the
        // browser's main thread free for the page being measured.
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

fn full_build_time(binary: &Path, site: &Path) -> Duration {
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let status = Command::new(binary)
        .args(["build", "--quiet", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out.path().join("public"))
        .status()
        .unwrap();
    assert!(status.success());
    started.elapsed()
}

fn start_serve(binary: &Path, site: &Path) -> (Child, String) {
    let mut child = Command::new(binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve output").unwrap();
        if let Some(at) = line.find(" at http://") {
            break line[at + 4..]
                .split_whitespace()
                .next()
                .unwrap()
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

fn launch() -> Browser {
    let path = std::env::var_os("CHROME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let args: Vec<&std::ffi::OsStr> = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-component-update",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .idle_browser_timeout(Duration::from_secs(600))
        .args(args)
        .build()
        .unwrap();
    Browser::new(options).expect("Chromium")
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A page that is not a section, preferably the first page of the first section.
fn pick_page(content: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !e.file_name().to_string_lossy().starts_with("_index")
                && e.file_name() != "index.md"
                // Not a translation (`pm.en.md`): its URL is under `/en/`.
                && !e.path().file_stem().is_some_and(|s| s.to_string_lossy().contains('.'))
        })
        .map(|e| e.into_path())
        .collect();
    pages.sort();
    pages.into_iter().next().expect("a page to edit")
}

fn count_pages(content: &Path) -> usize {
    walkdir::WalkDir::new(content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}

/// `content/roles/pm.md` → `roles/pm/` (the bench pages use plain ASCII names).
fn page_url(page: &Path, content: &Path) -> String {
    let rel = page.strip_prefix(content).unwrap().with_extension("");
    format!("{}/", rel.display())
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
