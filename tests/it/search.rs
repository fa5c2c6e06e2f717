//! Search (issue 4): the index files a build writes, and the search UI in
//! headless Chromium on the bundled site and small fixtures — ranking of
//! Russian queries, the DOM contract of `/search/`, keyboard use, escaping,
//! sub-path sites, JS/Rust tokenizer parity.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use headless_chrome::{Browser, Tab};
use serde_json::Value;

use crate::browser;
use crate::support::TestSite;

const WAIT: Duration = Duration::from_secs(30);

/// Browser tests of this module run one at a time: several Chromiums
/// sharing two cores with the builds of other tests time out at random.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Chromium for one test, holding [`ONE_BROWSER`] (`None`: no browser, skip).
fn chromium() -> Option<(MutexGuard<'static, ()>, Browser)> {
    let guard = ONE_BROWSER.lock().unwrap_or_else(PoisonError::into_inner);
    browser::launch().map(|b| (guard, b))
}

/// Open `/search/?q=` and wait for the DOM contract's `done`; returns the
/// result paths in rank order.
#[track_caller]
fn search(tab: &Tab, server: &str, prefix: &str, query: &str) -> Vec<String> {
    let url = format!("{server}{prefix}search/?q={}", encode(query));
    open(tab, &url);
    wait_done(tab, query)
}

/// Navigate and wait until the new document is there (polling: the
/// navigation event is sometimes missed when the machine is busy).
#[track_caller]
fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).expect("navigate");
    let js = format!(
        "return location.href === {} && document.readyState !== 'loading' || null",
        serde_json::to_string(url).unwrap()
    );
    browser::wait_for(&format!("page {url}"), WAIT, || {
        browser::eval(tab, &js).as_bool()
    });
}

/// Waits for `data-state="done"` for the current query and returns the result paths.
#[track_caller]
fn wait_done(tab: &Tab, query: &str) -> Vec<String> {
    let js = format!(
        "const r = document.getElementById('search-results');
         const q = document.getElementById('search-q');
         if (!r || r.dataset.state !== 'done' || q.value !== {query}) return null;
         return [...r.querySelectorAll('a[href]')].map(a => new URL(a.href).pathname);",
        query = serde_json::to_string(query).unwrap()
    );
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let value = browser::eval(tab, &js);
        if let Some(links) = value.as_array() {
            return links
                .iter()
                .map(|l| l.as_str().unwrap_or_default().to_string())
                .collect();
        }
        if std::time::Instant::now() > deadline {
            let state = browser::eval(
                tab,
                "return { url: location.href, ready: document.readyState,
                   state: document.getElementById('search-results')?.dataset.state,
                   input: document.getElementById('search-q')?.value,
                   loaded: performance.getEntriesByType('resource').map(r => r.name + ' ' + Math.round(r.duration)) };",
            );
            panic!("timed out waiting for results for {query:?}: {state:#}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn encode(query: &str) -> String {
    query
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn position(results: &[String], path: &str) -> Option<usize> {
    results.iter().position(|r| r == path)
}

/// The bundled site, built once per test binary run and served.
fn bundled() -> (TestSite, Server) {
    let site = TestSite::bundled();
    site.build();
    let server = Server::start(&site.public());
    (site, server)
}

/// The `search-basic` fixture (base URL `/kb/`), served under `/kb/`.
fn fixture() -> (TestSite, tempfile::TempDir, Server) {
    let site = TestSite::new("search-basic");
    site.build();
    let root = tempfile::tempdir().unwrap();
    copy_dir(&site.public(), &root.path().join("kb"));
    let server = Server::start(root.path());
    (site, root, server)
}

/// A static file server that answers each request on its own connection
/// (`Connection: close`). The shared `browser::StaticServer` (tiny_http,
/// keep-alive) now and then leaves one of the search page's parallel module
/// and index requests unanswered, which stalls the page for good.
struct Server {
    url: String,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (root, flag) = (root.to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let root = root.clone();
                if let Ok(stream) = stream {
                    std::thread::spawn(move || serve_one(stream, &root));
                }
            }
        });
        Server { url, stop }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = std::net::TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve_one(mut stream: std::net::TcpStream, root: &Path) {
    use std::io::{BufRead, BufReader, Write};
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 2 => continue,
            _ => break,
        }
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
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
    let (status, body) = match std::fs::read(&file) {
        Ok(bytes) => ("200 OK", bytes),
        Err(_) => ("404 Not Found", Vec::new()),
    };
    let mime = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text.get(i + 1..i + 3).filter(|_| bytes[i] == b'%');
        if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The manifest of a built site (`search/index.z`).
fn manifest(site: &TestSite) -> Value {
    let bytes = std::fs::read(site.public().join("search/index.z")).expect("the manifest");
    serde_json::from_str(&inflate(&bytes)).expect("the manifest is JSON")
}

/// The text of a `*.z` index file.
fn inflate(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a zlib stream of UTF-8");
    text
}

fn inflate_bytes(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a zlib stream");
    out
}

fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn index_files_are_written_content_hashed_and_deterministic() {
    let site = TestSite::new("search-basic");
    site.build();
    let manifest = manifest(&site);
    assert_eq!(manifest["version"], 3);
    assert_eq!(manifest["docs"], 7, "drafts are not indexed: {manifest}");
    let shards = manifest["shards"].as_str().unwrap();
    assert!(
        shards.starts_with(' '),
        "the first shard's key is empty: {shards}"
    );
    for line in shards.lines() {
        let (_, hash) = line.rsplit_once(' ').unwrap();
        assert!(site.exists(&format!("search/s-{hash}.z")), "{hash}");
    }
    // Seven records in one pack, at the offsets of the layout.
    let layout = manifest["layout"].as_str().unwrap();
    let lengths =
        inflate_bytes(&std::fs::read(site.public().join(format!("search/l-{layout}.z"))).unwrap());
    assert_eq!(lengths.len(), 7, "one length per document: {lengths:?}");
    let groups = manifest["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    let pack_name = format!("search/d/p-{}.pack", groups[0].as_str().unwrap());
    let pack = std::fs::read(site.public().join(&pack_name)).unwrap();
    let total: usize = lengths.iter().map(|&units| units as usize * 32).sum();
    assert_eq!(pack.len(), total);
    assert_eq!(
        std::fs::read_dir(site.public().join("search/d"))
            .unwrap()
            .count(),
        1
    );
    let first = files_under(&site.public().join("search"));
    site.build();
    assert_eq!(
        first,
        files_under(&site.public().join("search")),
        "byte-identical rebuild"
    );
    // The draft's only word is nowhere in the index (typo buckets list every word).
    let words: String = first
        .iter()
        .filter(|(p, _)| p.to_string_lossy().starts_with("t-"))
        .map(|(_, b)| inflate(b))
        .collect();
    assert!(words.contains("кадровик"), "{words}");
    assert!(
        !words.contains("зюзябрякс"),
        "draft text leaked into the index"
    );
}

#[test]
fn every_site_gets_a_search_page_and_an_index() {
    let site = TestSite::empty("title: Пусто\nbase_url: https://example.org/\nlanguage: ru\n");
    site.build();
    assert!(site.exists("search/index.html"));
    let manifest = manifest(&site);
    assert_eq!(manifest["version"], 3);
}

#[test]
fn search_page_without_javascript_lists_the_sections() {
    let site = TestSite::bundled();
    site.build();
    let html = site.file("search/index.html");
    let noscript = crate::support::element(&html, "<noscript>", "</noscript>");
    assert!(noscript.contains("требует JavaScript"), "{noscript}");
    assert!(noscript.contains("href=\"/roles/\""), "{noscript}");
    let results = crate::support::element(&html, "<div id=\"search-results\"", "</div>");
    assert!(results.contains("data-state=\"loading\""), "{results}");
    let header = site.file("roles/index.html");
    assert!(
        header.contains("action=\"/search/\""),
        "the header box leads to /search/"
    );
}

#[test]
fn russian_queries_rank_the_expected_guides() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, server) = bundled();
    let tab = browser::tab(&chrome);
    let cases = [
        ("менеджера проектов", "/roles/project-manager/", 0),
        ("аккаунт менеджер зарплата", "/roles/account-manager/", 2),
        ("прдукт", "/roles/product-manager/", 2),
        ("CRM-менеджер", "/roles/account-manager/", 0),
        ("клиентскому менеджеру", "/roles/account-manager/", 0),
        ("эйчар", "/roles/hr-manager/", 0),
        ("project manager", "/roles/project-manager/", 0),
        ("продакт менеджера", "/roles/product-manager/", 0),
        ("знайки", "/courses/kto-vy-dlya-klienta/znayki/", 0),
    ];
    for (query, want, within) in cases {
        let results = search(&tab, &server.url, "/", query);
        let at = position(&results, want);
        assert!(
            at.is_some_and(|i| i <= within),
            "{query:?}: {want} at {at:?}, want ≤ {within}; results: {results:#?}"
        );
    }
}

#[test]
fn dom_contract_of_the_search_page() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, server) = bundled();
    let tab = browser::tab(&chrome);
    let results = search(&tab, &server.url, "/", "менеджер");
    assert!(results.len() >= 10, "the first ten at least: {results:?}");
    let check = browser::eval(
        &tab,
        "const r = document.getElementById('search-results');
         const all = [...r.querySelectorAll('a')];
         const filter = document.getElementById('search-filter');
         return { links: all.length, withHref: all.filter(a => a.hasAttribute('href')).length,
                  filterInside: r.contains(filter), filterButtons: filter.querySelectorAll('button').length,
                  input: document.querySelector('#search-q').type };",
    );
    assert_eq!(check["links"], check["withHref"], "{check}");
    assert_eq!(check["filterInside"], false, "{check}");
    assert!(check["filterButtons"].as_u64().unwrap() >= 2, "{check}");
    assert_eq!(check["input"], "search");
    // The page's own input updates the results in place, and the address.
    browser::eval(
        &tab,
        "const q = document.getElementById('search-q'); q.value = 'знайки';
         q.dispatchEvent(new Event('input', {bubbles: true})); return true;",
    );
    let results = wait_done(&tab, "знайки");
    assert_eq!(results[0], "/courses/kto-vy-dlya-klienta/znayki/");
    let address = browser::eval(&tab, "return decodeURIComponent(location.search)");
    assert_eq!(address, "?q=знайки");
    // The section filter narrows the results, outside #search-results.
    let results = search(&tab, &server.url, "/", "менеджер");
    browser::eval(
        &tab,
        "const b = [...document.querySelectorAll('#search-filter button')]
            .find(b => b.textContent.startsWith('Профессии')); b.click(); return true;",
    );
    let filtered = browser::wait_for("filtered results", WAIT, || {
        let v = browser::eval(
            &tab,
            "const r = document.getElementById('search-results');
             return r.dataset.state === 'done' ? [...r.querySelectorAll('a[href]')].map(a => new URL(a.href).pathname) : null;",
        );
        v.as_array().filter(|l| l.len() < results.len()).map(|l| {
            l.iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
    });
    assert!(
        filtered.iter().all(|p| p.starts_with("/roles/")),
        "{filtered:?}"
    );
    // No results is also `done`, with no links.
    let none = search(&tab, &server.url, "/", "щщщщщ ъъъъъ");
    assert!(none.is_empty());
}

#[test]
fn keyboard_slash_arrows_enter_and_escape() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, server) = bundled();
    let tab = browser::tab(&chrome);
    // On any page: "/" focuses the header box; typing shows a drop-down.
    open(&tab, &format!("{}/articles/", server.url));
    tab.press_key("/").unwrap();
    let focused = browser::eval(&tab, "return document.activeElement.id");
    assert_eq!(focused, "site-search-q");
    tab.send_character("топ-менеджер").unwrap();
    browser::wait_for("drop-down results", WAIT, || {
        let n = browser::eval(
            &tab,
            "const p = document.getElementById('site-search-panel');
             return p && !p.hidden ? p.querySelectorAll('a.search-hit').length : null;",
        );
        n.as_u64().filter(|&n| n > 0)
    });
    tab.press_key("ArrowDown").unwrap();
    let first = browser::eval(&tab, "return new URL(document.activeElement.href).pathname");
    assert_eq!(first, "/roles/top-manager/");
    tab.press_key("Escape").unwrap();
    let state = browser::eval(
        &tab,
        "return [document.activeElement.id, document.getElementById('site-search-panel').hidden]",
    );
    assert_eq!(state, serde_json::json!(["site-search-q", true]));
    // On /search/: "/" focuses the page's input, ↓ walks the results, ↑ goes back, Enter opens.
    search(&tab, &server.url, "/", "аккаунт");
    browser::eval(&tab, "document.activeElement.blur(); return true");
    tab.press_key("/").unwrap();
    assert_eq!(
        browser::eval(&tab, "return document.activeElement.id"),
        "search-q"
    );
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("ArrowDown").unwrap();
    let second = browser::eval(
        &tab,
        "const links = [...document.querySelectorAll('#search-results a[href]')];
         return links.indexOf(document.activeElement);",
    );
    assert_eq!(second, 1);
    tab.press_key("ArrowUp").unwrap();
    tab.press_key("ArrowUp").unwrap();
    assert_eq!(
        browser::eval(&tab, "return document.activeElement.id"),
        "search-q"
    );
    tab.press_key("ArrowDown").unwrap();
    let target = browser::eval(&tab, "return document.activeElement.href");
    tab.press_key("Enter").unwrap();
    browser::wait_for("navigation to the result", WAIT, || {
        let here = browser::eval(&tab, "return location.href");
        (here == target).then_some(())
    });
}

#[test]
fn index_text_is_shown_as_text_never_as_html() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, _root, server) = fixture();
    let tab = browser::tab(&chrome);
    browser::eval(&tab, "window.alerted = false; return true");
    let results = search(&tab, &server.url, "/kb/", "экранирования");
    assert_eq!(results, ["/kb/docs/xss/"]);
    let shown = browser::eval(
        &tab,
        "const a = document.querySelector('#search-results a');
         return { title: a.querySelector('.search-hit__title').textContent,
                  images: document.querySelectorAll('#search-results img, #search-results script, #search-results b').length };",
    );
    assert_eq!(shown["title"], "<img src=x onerror=alert(1)>", "{shown}");
    assert_eq!(shown["images"], 0, "{shown}");
    let title_query = search(&tab, &server.url, "/kb/", "img onerror");
    assert_eq!(title_query, ["/kb/docs/xss/"]);
}

#[test]
fn sub_path_site_synonyms_aliases_folding_and_code_words() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, _root, server) = fixture();
    let tab = browser::tab(&chrome);
    let cases = [
        // Configured synonym group.
        ("рекрутер", "/kb/docs/novyi-sotrudnik/"),
        // `й` kept, forms share a stem; `ё` folded.
        ("новая сотрудница", "/kb/docs/novyi-sotrudnik/"),
        ("елку", "/kb/docs/novyi-sotrudnik/"),
        // Aliases of a role, in the title field and as synonyms.
        ("principal engineer", "/kb/roles/lead/"),
        ("главного эксперта", "/kb/roles/lead/"),
        // camelCase API names, whole and by parts; prefix of the last word.
        ("useEffect", "/kb/docs/use-effect/"),
        ("use effect", "/kb/docs/use-effect/"),
        ("clearInterval", "/kb/docs/use-effect/"),
        ("зависимост", "/kb/docs/use-effect/"),
    ];
    for (query, want) in cases {
        let results = search(&tab, &server.url, "/kb/", query);
        assert_eq!(
            results.first().map(String::as_str),
            Some(want),
            "{query:?}: {results:?}"
        );
    }
    // The draft is not found, even by its unique word.
    assert!(search(&tab, &server.url, "/kb/", "зюзябрякс").is_empty());
}

/// The JS tokenizer and stemmer in Chromium give exactly the Rust tokens
/// (tests/parity: ≥ 2,000 Russian and English words and mixed strings), and
/// the same spelling keys, roots and dictionary forms' terms (issue 14).
#[test]
fn tokenizer_parity_in_chromium() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = Server::start(repo);
    let tab: Arc<Tab> = browser::tab(&chrome);
    open(&tab, &format!("{}/tests/parity/README.md", server.url));
    let report = browser::eval(
        &tab,
        "const c = await import('/tests/parity/compare.mjs');
         const messages = []; c.setLog((m) => messages.push(m));
         const expected = await (await fetch('/tests/parity/expected.json')).json();
         const inputs = [];
         for (const name of c.INPUTS) inputs.push(...c.parseInputs(await (await fetch('/tests/parity/' + name)).text()));
         const { tokens, mismatches } = c.compareCases(inputs, expected.cases);
         const stop = c.compareStopWords(expected.stopWords);
         const keys = c.compareKeys(expected.keys, expected.lemmaForms);
         const slow = c.checkPathological();
         return { inputs: inputs.length, tokens, mismatches, stop, keys, slow, messages: messages.slice(0, 10) };",
    );
    assert!(report["inputs"].as_u64().unwrap() >= 2000, "{report}");
    assert!(report["tokens"].as_u64().unwrap() >= 2000, "{report}");
    assert_eq!(report["mismatches"], 0, "{report:#}");
    assert_eq!(report["stop"], 0, "{report:#}");
    assert_eq!(report["keys"]["mismatches"], 0, "{report:#}");
    assert!(report["keys"]["keys"].as_u64().unwrap() >= 4000, "{report}");
    assert!(
        report["keys"]["forms"].as_u64().unwrap() >= 1000,
        "{report}"
    );
    assert_eq!(report["slow"], 0, "{report:#}");
}

/// The engine's own inflate gives the bytes of the browser's
/// DecompressionStream for every compressed index file.
#[test]
fn index_files_inflate_like_the_browser_does() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (site, server) = bundled();
    let files: Vec<String> = files_under(&site.public().join("search"))
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(".z"))
        .collect();
    assert!(files.len() > 10, "{files:?}");
    let tab = browser::tab(&chrome);
    open(&tab, &format!("{}/search/", server.url));
    let js = format!(
        "const config = JSON.parse(document.getElementById('search-config').textContent);
         const {{ inflate }} = await import(config.engine);
         const bad = [];
         for (const f of {files}) {{
           const z = await (await fetch('/search/' + f)).arrayBuffer();
           const want = new Uint8Array(await new Response(new Blob([z]).stream()
             .pipeThrough(new DecompressionStream('deflate'))).arrayBuffer());
           const got = new Uint8Array(inflate(z));
           if (got.length !== want.length || got.some((b, i) => b !== want[i])) bad.push([f, got.length, want.length, z.byteLength]);
         }}
         return bad;",
        files = serde_json::to_string(&files).unwrap()
    );
    assert_eq!(browser::eval(&tab, &js), serde_json::json!([]));
}

/// Issue 4, requirement 7: in `serve`, an edit re-indexes the changed page
/// and rewrites only the index files whose content changed; a new word is
/// in the index right away, and the index equals a full build's.
#[test]
fn watch_mode_edits_rewrite_only_the_index_files_that_changed() {
    use rolebook::site::incremental::{Edit, Incremental};
    let site = TestSite::new("search-basic");
    let mut state = Incremental::new(site.options());
    let first = state.full().unwrap_or_else(|f| panic!("{:?}", f.errors));
    let index_files = |outputs: &rolebook::site::incremental::Outputs| {
        outputs
            .keys()
            .filter(|p| p.starts_with("search/") && (p.ends_with(".z") || p.ends_with(".pack")))
            .count()
    };
    assert!(index_files(&first.outputs) >= 6);
    site.write(
        "content/docs/novyi-sotrudnik.md",
        "---\ntitle: Новый сотрудник\n---\n\nКадровик выдаёт пропуск и квыржак.\n",
    );
    let edit = Edit {
        content: [PathBuf::from("content/docs/novyi-sotrudnik.md")].into(),
        ..Edit::default()
    };
    let update = state
        .apply(&edit)
        .unwrap_or_else(|f| panic!("{:?}", f.errors));
    let changed: Vec<&String> = update
        .changed
        .iter()
        .filter(|p| p.starts_with("search/"))
        .collect();
    assert!(changed.iter().any(|p| p.as_str() == "search/index.z"));
    // The pack of the page's record, the shards and typo buckets of its
    // words (old names out, new names in), the manifest: not the whole index.
    assert_eq!(
        changed.iter().filter(|p| p.ends_with(".pack")).count(),
        2,
        "the old pack out, the new one in: {changed:#?}"
    );
    let words: String = update
        .outputs
        .iter()
        .filter(|(p, _)| p.starts_with("search/t-"))
        .map(|(_, b)| inflate(&b.bytes()))
        .collect();
    assert!(words.contains("квыржак"), "the new word is indexed");
    // The same files as a full build of the edited site.
    let mut fresh = Incremental::new(site.options());
    let full = fresh.full().unwrap_or_else(|f| panic!("{:?}", f.errors));
    let search_files = |o: &rolebook::site::incremental::Outputs| -> Vec<(String, Vec<u8>)> {
        o.iter()
            .filter(|(p, _)| p.starts_with("search/"))
            .map(|(p, b)| (p.clone(), b.bytes().into_owned()))
            .collect()
    };
    assert_eq!(search_files(&update.outputs), search_files(&full.outputs));
}

/// The `search-docs` fixture (a small documentation site), built and served.
fn docs() -> (TestSite, Server) {
    let site = TestSite::new("search-docs");
    site.build();
    let server = Server::start(&site.public());
    (site, server)
}

/// The text of the correction notice, or null.
fn correction_notice(tab: &Tab) -> Value {
    browser::eval(
        tab,
        "return document.getElementById('search-corrected')?.textContent ?? null",
    )
}

/// Issue 14: pages with every word first, then the list fills up with pages
/// that have some of them; a typo in a word that is not the last is
/// corrected, and a notice names the correction; a query of one stop word
/// finds it in a heading; a Cyrillic spelling finds the Latin term.
#[test]
fn docs_search_fills_the_list_corrects_typos_and_finds_stop_words() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, server) = docs();
    let tab = browser::tab(&chrome);
    let results = search(&tab, &server.url, "/", "слоты компонента");
    assert_eq!(
        results.first().map(String::as_str),
        Some("/guide/slots/"),
        "{results:?}"
    );
    assert!(
        results.len() >= 10,
        "pages with one of the words fill the list: {results:?}"
    );
    assert_eq!(correction_notice(&tab), Value::Null);
    let results = search(&tab, &server.url, "/", "вычесляемые свойства");
    assert_eq!(
        results.first().map(String::as_str),
        Some("/guide/computed/"),
        "{results:?}"
    );
    let notice = correction_notice(&tab);
    assert!(
        notice
            .as_str()
            .is_some_and(|n| n.contains("«вычисляемые свойства»")),
        "{notice}"
    );
    let results = search(&tab, &server.url, "/", "is");
    assert_eq!(
        results.first().map(String::as_str),
        Some("/api/attributes/"),
        "{results:?}"
    );
    let results = search(&tab, &server.url, "/", "телепорт");
    assert_eq!(
        results.first().map(String::as_str),
        Some("/api/teleport/"),
        "{results:?}"
    );
}

/// Issue 14: the section filter is kept in the address (`&section=`), and
/// opening that address shows the filtered results again.
#[test]
fn the_section_filter_is_kept_in_the_address() {
    let Some((_one, chrome)) = chromium() else {
        return;
    };
    let (_site, server) = docs();
    let tab = browser::tab(&chrome);
    let all = search(&tab, &server.url, "/", "компонент");
    assert!(all.iter().any(|p| p.starts_with("/guide/")), "{all:?}");
    browser::eval(
        &tab,
        "[...document.querySelectorAll('#search-filter button')]
            .find(b => b.textContent.startsWith('Справочник API')).click(); return true;",
    );
    let address = browser::wait_for("the section in the address", WAIT, || {
        let search = browser::eval(&tab, "return decodeURIComponent(location.search)");
        search
            .as_str()
            .filter(|s| s.contains("section="))
            .map(str::to_string)
    });
    assert_eq!(address, "?q=компонент&section=/api/");
    let url = browser::eval(&tab, "return location.href");
    open(&tab, url.as_str().unwrap());
    let filtered = wait_done(&tab, "компонент");
    assert!(
        !filtered.is_empty() && filtered.iter().all(|p| p.starts_with("/api/")),
        "{filtered:?}"
    );
    let pressed = browser::eval(
        &tab,
        "return document.querySelector('#search-filter button[aria-pressed=true]')?.textContent ?? null",
    );
    assert!(
        pressed
            .as_str()
            .is_some_and(|t| t.starts_with("Справочник API")),
        "{pressed}"
    );
}

/// Issue 15, requirement 2: records are packed 64 pages to a file (a site's
/// file count stays near its page count, which hosts limit), `serve` answers
/// the range request of one record, and an edit rewrites only its pack.
#[test]
fn records_are_packed_by_64_and_read_by_range() {
    use rolebook::site::incremental::{Edit, Incremental};
    let site = TestSite::empty("title: Пачки\nbase_url: https://example.org/\nlanguage: ru\n");
    for i in 0..140 {
        site.write(
            &format!("content/p{i:03}.md"),
            &format!("---\ntitle: Страница {i}\n---\n\nТекст страницы номер {i} про кадровика.\n"),
        );
    }
    site.build();
    let packs: Vec<String> = std::fs::read_dir(site.public().join("search/d"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let docs = manifest(&site)["docs"].as_u64().unwrap() as usize;
    assert_eq!(packs.len(), docs.div_ceil(64), "{packs:?}");
    assert!(packs.iter().all(|p| p.ends_with(".pack")), "{packs:?}");

    let groups: Vec<String> = manifest(&site)["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| format!("search/d/p-{}.pack", g.as_str().unwrap()))
        .collect();
    let pack = std::fs::read(site.public().join(&groups[1])).unwrap();
    let server = crate::serve::Server::start(site.root(), &[]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(&format!("{}/{}", server.url, groups[1]))
        .header("Range", "bytes=32-95")
        .call()
        .expect("request");
    assert_eq!(response.status().as_u16(), 206);
    let range = response.headers().get("content-range").unwrap();
    assert_eq!(
        range.to_str().unwrap(),
        format!("bytes 32-95/{}", pack.len())
    );
    assert_eq!(response.body_mut().read_to_vec().unwrap(), &pack[32..96]);
    drop(server);

    let mut state = Incremental::new(site.options());
    state.full().unwrap_or_else(|f| panic!("{:?}", f.errors));
    site.write(
        "content/p135.md",
        "---\ntitle: Страница 135\n---\n\nНовый текст про квыржак.\n",
    );
    let edit = Edit {
        content: [PathBuf::from("content/p135.md")].into(),
        ..Edit::default()
    };
    let update = state
        .apply(&edit)
        .unwrap_or_else(|f| panic!("{:?}", f.errors));
    // The third pack is replaced (a new name: packs are named by their
    // content); the first two stay.
    let packs: Vec<&String> = update
        .changed
        .iter()
        .filter(|p| p.ends_with(".pack"))
        .collect();
    assert_eq!(packs.len(), 2, "{:#?}", update.changed);
    assert!(packs.contains(&&groups[2]), "{packs:?}");
    assert!(!packs.contains(&&groups[0]) && !packs.contains(&&groups[1]));
}
