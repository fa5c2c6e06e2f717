//! The HTTP side of `serve` (axum): the site from memory, `index.html` for
//! folders, the site's `404.html` with status 404, no listings, nothing
//! outside the site (`..`, encoded `%2e%2e`, backslashes are refused), the
//! live-reload script in HTML, and the event stream. Only requests for the
//! server's own names are answered ([`AllowedHosts`]).

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::serve::reload::{self, EVENTS_PATH, Event, MORPHDOM_PATH};
use crate::site::incremental::Outputs;

/// The files being served and the state of the last rebuild.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Build generation (bumped on every good rebuild).
    pub generation: u64,
    /// Output path (`roles/pm/index.html`) → bytes.
    pub files: Arc<Outputs>,
    /// Errors of the last rebuild, empty when it succeeded.
    pub errors: Vec<String>,
}

/// State shared by the HTTP handlers and the rebuild loop; handed to the
/// server once, never global.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Event>,
    server_id: String,
    follow: bool,
    hosts: AllowedHosts,
    /// The path the site lives under (`/`, or `/kb/` with `--base-url`).
    base_path: String,
}

impl Shared {
    /// State for a new server answering for `hosts`, serving the site under `base_path`.
    pub fn new(
        snapshot: Snapshot,
        follow: bool,
        hosts: AllowedHosts,
        base_path: &str,
    ) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            events,
            server_id: format!("{started:x}-{}", std::process::id()),
            follow,
            hosts,
            base_path: base_path.to_string(),
        })
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Swap in a new snapshot, then tell the browsers. Files are in place
    /// before the event goes out, so a reloading page never sees a 404.
    pub fn publish(&self, snapshot: Snapshot, event: Event) {
        if let Ok(mut current) = self.snapshot.write() {
            *current = Arc::new(snapshot);
        }
        let _ = self.events.send(event);
    }

    /// Keep the files, record errors, and show them in every open page.
    pub fn publish_errors(&self, errors: Vec<String>) {
        let current = self.snapshot();
        let snapshot = Snapshot {
            generation: current.generation,
            files: current.files.clone(),
            errors: errors.clone(),
        };
        let event = Event::Errors {
            generation: current.generation,
            errors,
        };
        self.publish(snapshot, event);
    }
}

/// The router: the event stream, then every other path from the snapshot;
/// in front of both, the check of the `Host` header.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .route(MORPHDOM_PATH, axum::routing::get(morphdom))
        .fallback(file)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            check_host,
        ))
        .with_state(shared)
}

/// The host names a request may be addressed to.
///
/// A page on another site can point its own name at 127.0.0.1 (DNS
/// rebinding) and then read the preview as if it were its own origin; its
/// requests still carry that name in `Host`. So only these are answered:
/// loopback names and addresses (`localhost`, `*.localhost`, `127.0.0.1`,
/// `[::1]`), the address `--bind` names, the host of `--base-url`, and,
/// when bound to all interfaces, the machine's own addresses and host name
/// (so a phone on the same network can preview).
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: HashSet<String>,
}

impl AllowedHosts {
    /// The names for a server bound to `bind`, plus `extra` (the host of `--base-url`).
    pub fn new(bind: IpAddr, extra: impl IntoIterator<Item = String>) -> AllowedHosts {
        let mut names: HashSet<String> = extra.into_iter().map(|n| normalize_host(&n)).collect();
        names.insert(bind.to_string());
        if bind.is_unspecified() {
            names.extend(machine_names());
        }
        AllowedHosts { names }
    }

    /// True when a request with this `Host` header value may be answered.
    pub fn allows(&self, host: &str) -> bool {
        let name = normalize_host(host);
        let loopback = name == "localhost"
            || name.ends_with(".localhost")
            || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        loopback || self.names.contains(&name)
    }
}

/// `Example.org:1111` → `example.org`, `[::1]:80` → `::1`, trailing dot removed.
fn normalize_host(host: &str) -> String {
    let host = host.trim();
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The machine's own addresses (every interface) and host name.
fn machine_names() -> Vec<String> {
    let mut names: Vec<String> = if_addrs::get_if_addrs()
        .map(|list| list.iter().map(|i| i.ip().to_string()).collect())
        .unwrap_or_default();
    if let Some(name) = host_name() {
        names.push(format!("{name}.local"));
        names.push(name);
    }
    names
}

fn host_name() -> Option<String> {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its length; `gethostname` writes at most that.
    let status = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if status != 0 {
        return None;
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
    let name = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
}

/// Refuse requests addressed to a name that is not the server's own
/// (421 Misdirected Request). Requests without `Host` (HTTP/1.0 tools) pass:
/// browsers always send it.
async fn check_host(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    match host {
        Some(host) if !shared.hosts.allows(host) => (
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this preview server answers only for its own address, not for `{}`\n",
                normalize_host(host)
            ),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    // Subscribe before reading the snapshot: a build published in between
    // then arrives as an event instead of being missed.
    let receiver = shared.events.subscribe();
    let snapshot = shared.snapshot();
    let mut first = vec![Event::Hello {
        server: shared.server_id.clone(),
        generation: snapshot.generation,
        follow: shared.follow,
    }];
    if !snapshot.errors.is_empty() {
        first.push(Event::Errors {
            generation: snapshot.generation,
            errors: snapshot.errors.clone(),
        });
    }
    let updates = BroadcastStream::new(receiver).filter_map(|e| e.ok());
    let stream = tokio_stream::iter(first).chain(updates).map(|event| {
        Ok::<_, Infallible>(SseEvent::default().event(event.name()).data(event.data()))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The vendored morphdom for in-place patches (see `live-reload.js`).
async fn morphdom() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        reload::MORPHDOM,
    )
        .into_response()
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(rel) = request_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    let Some(rel) = under_base(&rel, &shared.base_path) else {
        return not_found(&shared.snapshot());
    };
    let snapshot = shared.snapshot();
    // `?h=` URLs name one version of a file (a content hash): the browser may
    // keep them, so a live reload fetches only the page itself.
    let immutable = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p.starts_with("h=")));
    match lookup(&snapshot.files, &rel, uri.path().ends_with('/')) {
        Found::File(path) => {
            let bytes = snapshot.files[&path].bytes();
            let mut response = match byte_range(&headers, &path, bytes.len()) {
                Ranged::Whole => respond(StatusCode::OK, &path, &bytes, snapshot.generation),
                Ranged::Part(range) => partial(&path, &bytes, range),
                Ranged::Unsatisfiable => unsatisfiable(bytes.len()),
            };
            if immutable {
                response.headers_mut().insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                );
            }
            response
        }
        Found::Redirect(target) => {
            // Built from the decoded, normalized path: `//roles` must not
            // become `//roles/`, which a browser reads as the host `roles`.
            let mut location = canonical_location(&shared.base_path, &target);
            if let Some(query) = uri.query() {
                location.push('?');
                location.push_str(query);
            }
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Found::Missing => not_found(&snapshot),
    }
}

/// How to answer a request's `Range` header.
#[derive(Debug, PartialEq, Eq)]
enum Ranged {
    /// No header, several ranges, a header we may ignore, or a page (pages
    /// get the live-reload script, so their bytes are not the file's).
    Whole,
    /// One satisfiable range (a search record in its pack).
    Part(std::ops::RangeInclusive<usize>),
    /// A range past the end of the file: 416.
    Unsatisfiable,
}

/// The `Range` header parsed with `http-range-header`, for a file of `size` bytes.
fn byte_range(headers: &HeaderMap, path: &str, size: usize) -> Ranged {
    let Some(value) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ranged::Whole;
    };
    if content_type(path).starts_with("text/html") {
        return Ranged::Whole;
    }
    let Ok(parsed) = http_range_header::parse_range_header(value) else {
        return Ranged::Whole;
    };
    match parsed.validate(size as u64).as_deref() {
        Ok([range]) => Ranged::Part(*range.start() as usize..=*range.end() as usize),
        Ok(_) => Ranged::Whole,
        Err(_) => Ranged::Unsatisfiable,
    }
}

/// `206 Partial Content`: one range of a file.
fn partial(path: &str, bytes: &[u8], range: std::ops::RangeInclusive<usize>) -> Response {
    let content_range = format!("bytes {}-{}/{}", range.start(), range.end(), bytes.len());
    let mut response = respond(StatusCode::PARTIAL_CONTENT, path, &bytes[range], 0);
    if let Ok(value) = HeaderValue::from_str(&content_range) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}

/// `416 Range Not Satisfiable`, saying the file's size.
fn unsatisfiable(size: usize) -> Response {
    (
        StatusCode::RANGE_NOT_SATISFIABLE,
        [(header::CONTENT_RANGE, format!("bytes */{size}"))],
    )
        .into_response()
}

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(page) => respond(
            StatusCode::NOT_FOUND,
            "404.html",
            &page.bytes(),
            snapshot.generation,
        ),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The output path of a request path below the site's base path (`kb/roles`
/// → `roles` under `/kb/`); `None` outside it.
fn under_base(rel: &str, base_path: &str) -> Option<String> {
    let base = base_path.trim_matches('/');
    if base.is_empty() {
        return Some(rel.to_string());
    }
    if rel == base {
        return Some(String::new());
    }
    rel.strip_prefix(base)?
        .strip_prefix('/')
        .map(str::to_string)
}

/// `/kb/` + `roles/pm` → `/kb/roles/pm/`, percent-encoded where needed.
fn canonical_location(base_path: &str, rel: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(rel, crate::model::URL_PATH);
    format!("{}{encoded}/", base_path)
}

/// Decode a request path into an output path, refusing anything that could
/// leave the site: `..` (also `%2e%2e`), backslashes, NUL, invalid UTF-8.
pub fn request_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// Serve this output file.
    File(String),
    /// Go to this folder (with its trailing slash): one asked for without
    /// it, or a page asked for as `page.html` or `page.md` (links of
    /// VitePress and mdBook sites).
    Redirect(String),
    /// Nothing there (folders without `index.html` included: no listings).
    Missing,
}

/// Find the output file for a request path.
pub fn lookup(files: &Outputs, rel: &str, trailing_slash: bool) -> Found {
    let index = if rel.is_empty() {
        "index.html".to_string()
    } else {
        format!("{rel}/index.html")
    };
    if !rel.is_empty() && !trailing_slash && files.contains_key(rel) {
        return Found::File(rel.to_string());
    }
    if files.contains_key(&index) {
        return if trailing_slash || rel.is_empty() {
            Found::File(index)
        } else {
            Found::Redirect(rel.to_string())
        };
    }
    if files.contains_key(rel) {
        return Found::File(rel.to_string());
    }
    if let Some(stem) = crate::model::page_of_file_path(rel)
        && files.contains_key(&format!("{stem}/index.html"))
    {
        return Found::Redirect(stem.to_string());
    }
    Found::Missing
}

/// A file's response; HTML gets the live-reload script, told which build
/// `generation` the page is from.
fn respond(status: StatusCode, path: &str, bytes: &[u8], generation: u64) -> Response {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        reload::inject(bytes, generation)
    } else {
        bytes.to_vec()
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !mime.starts_with("text/html") {
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The MIME type of an output file, with `charset=utf-8` for text.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    let texty = mime.type_() == "text"
        || matches!(
            essence,
            "application/javascript"
                | "application/json"
                | "application/xml"
                | "image/svg+xml"
                | "application/atom+xml"
                | "application/manifest+json"
        );
    match (texty, path.rsplit('.').next()) {
        (_, Some("xml")) if path.ends_with("atom.xml") => {
            "application/atom+xml; charset=utf-8".to_string()
        }
        (_, Some("js" | "mjs")) => "text/javascript; charset=utf-8".to_string(),
        (true, _) => format!("{essence}; charset=utf-8"),
        (false, _) => essence.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_served_and_others_get_the_whole_file() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::RANGE, HeaderValue::from_str(value).unwrap());
            headers
        };
        let pack = "search/d/0.pack";
        assert_eq!(byte_range(&HeaderMap::new(), pack, 100), Ranged::Whole);
        assert_eq!(
            byte_range(&with("bytes=32-63"), pack, 100),
            Ranged::Part(32..=63)
        );
        assert_eq!(
            byte_range(&with("bytes=90-"), pack, 100),
            Ranged::Part(90..=99)
        );
        assert_eq!(byte_range(&with("bytes=0-1,5-6"), pack, 100), Ranged::Whole);
        assert_eq!(byte_range(&with("lines=1-2"), pack, 100), Ranged::Whole);
        assert_eq!(
            byte_range(&with("bytes=200-300"), pack, 100),
            Ranged::Unsatisfiable
        );
        assert_eq!(
            byte_range(&with("bytes=0-1"), "index.html", 100),
            Ranged::Whole
        );
    }

    #[test]
    fn traversal_attempts_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/%2E%2E/x",
            "/a\\..\\b",
            "/a/%5c..%5cb",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
        assert_eq!(
            request_path("/roles/%D0%BF%D0%BC/").as_deref(),
            Some("roles/пм")
        );
        assert_eq!(request_path("/./a//b/").as_deref(), Some("a/b"));
    }

    #[test]
    fn folders_serve_their_index_and_never_list() {
        let mut files = Outputs::new();
        for path in [
            "index.html",
            "roles/pm/index.html",
            "style.css",
            "assets/logo.png",
        ] {
            let stored = crate::site::write::Stored::new(path, Vec::new());
            files.insert(path.to_string(), Arc::new(stored));
        }
        assert_eq!(lookup(&files, "", true), Found::File("index.html".into()));
        assert_eq!(
            lookup(&files, "roles/pm", true),
            Found::File("roles/pm/index.html".into())
        );
        assert_eq!(
            lookup(&files, "roles/pm", false),
            Found::Redirect("roles/pm".into())
        );
        assert_eq!(
            lookup(&files, "roles/pm.html", false),
            Found::Redirect("roles/pm".into())
        );
        assert_eq!(
            lookup(&files, "roles/pm.md", false),
            Found::Redirect("roles/pm".into())
        );
        assert_eq!(lookup(&files, "roles/qa.html", false), Found::Missing);
        assert_eq!(lookup(&files, "roles", true), Found::Missing);
        assert_eq!(lookup(&files, "assets", true), Found::Missing);
        assert_eq!(
            lookup(&files, "style.css", false),
            Found::File("style.css".into())
        );
    }

    #[test]
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("search/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("roles.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("chart.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("photo.png"), "image/png");
    }
}
