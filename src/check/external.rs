//! `external-link` (only with `--external`): request every external URL once,
//! a bounded number at a time, each with a time-out, and remember the URLs
//! that worked in `.rolebook-cache/links.json` under the site root so the
//! next run asks again only after `lint.external.cache_hours`.
//!
//! A `HEAD` request comes first; servers that refuse or mishandle it get a
//! `GET` (only the status line and headers are read). Failures are never
//! cached: a link that was down is asked again on the next run. `429 Too
//! Many Requests` is not a broken link; it is left unreported and uncached.

use rayon::prelude::*;

use crate::progress::Reporter;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::config::ExternalConfig;
use super::page::PageText;
use super::rules::EXTERNAL_LINK;
use crate::error::{Error, Level, Location};

/// The cache file, relative to the site root (a hidden folder: content
/// discovery and `serve`'s watcher ignore it).
pub const CACHE_FILE: &str = ".rolebook-cache/links.json";

/// What asking a URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A success status (after redirects).
    Ok,
    /// An error status.
    Status(u16),
    /// No answer in time.
    Timeout,
    /// Could not connect, resolve or speak HTTP.
    Failed(String),
    /// Rate-limited: neither good nor bad.
    Unknown,
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Distinct URLs.
    pub urls: usize,
    /// Answered from the cache.
    pub cached: usize,
    /// Skipped by `lint.external.skip`.
    pub skipped: usize,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// URL → Unix time (seconds) of the last successful check.
    ok: BTreeMap<String, u64>,
}

/// External URLs of every page, each with the places it is written.
pub(crate) fn collect(pages: &[PageText<'_>]) -> BTreeMap<String, Vec<Location>> {
    let mut urls: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    for page in pages {
        for link in &page.outline.links {
            if let Some(url) = external_url(&link.dest) {
                urls.entry(url).or_default().push(page.location(link.start));
            }
        }
    }
    urls
}

/// `https://x/y#z` → `https://x/y`; `//x/y` → `https://x/y`; `None` for other links.
fn external_url(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        dest.to_string()
    } else if dest.starts_with("//") && dest.len() > 2 {
        format!("https:{dest}")
    } else {
        return None;
    };
    let url = url.split('#').next().unwrap_or(&url).to_string();
    Some(url)
}

/// Check the URLs; findings are located at every use of a bad URL.
pub(crate) fn check(
    urls: BTreeMap<String, Vec<Location>>,
    config: &ExternalConfig,
    root: &Path,
    progress: &Reporter,
) -> (Vec<Error>, Stats) {
    let mut findings = Vec::new();
    let mut stats = Stats {
        urls: urls.len(),
        ..Stats::default()
    };
    let cache_path = root.join(CACHE_FILE);
    let mut cache = read_cache(&cache_path);
    let now = unix_now();
    let fresh = |url: &str, cache: &Cache| {
        cache
            .ok
            .get(url)
            .is_some_and(|&t| now.saturating_sub(t) < config.cache_for.as_secs())
    };
    let mut to_ask = Vec::new();
    for url in urls.keys() {
        if config
            .skip
            .iter()
            .any(|prefix| url.starts_with(prefix.as_str()))
        {
            stats.skipped += 1;
        } else if fresh(url, &cache) {
            stats.cached += 1;
        } else {
            to_ask.push(url.clone());
        }
    }
    let outcomes = progress.stage("external links", to_ask.len(), || {
        ask_all(&to_ask, config, progress)
    });
    cache
        .ok
        .retain(|_, t| now.saturating_sub(*t) < config.cache_for.as_secs());
    for (url, outcome) in to_ask.iter().zip(outcomes) {
        match outcome {
            Outcome::Ok => {
                cache.ok.insert(url.clone(), now);
            }
            Outcome::Unknown => {}
            bad => {
                cache.ok.remove(url);
                for location in &urls[url] {
                    findings.push(finding(url, &bad, config, location.clone()));
                }
            }
        }
    }
    if let Err(error) = write_cache(&cache_path, &cache) {
        findings.push(error.with_level(Level::Warning));
    }
    (findings, stats)
}

fn finding(url: &str, outcome: &Outcome, config: &ExternalConfig, location: Location) -> Error {
    let message = match outcome {
        Outcome::Status(status) => format!("external link answers HTTP {status}: `{url}`"),
        Outcome::Timeout => format!(
            "external link did not answer within {} s: `{url}`",
            config.timeout.as_secs()
        ),
        Outcome::Failed(reason) => format!("external link failed ({reason}): `{url}`"),
        Outcome::Ok | Outcome::Unknown => format!("external link: `{url}`"),
    };
    Error::warning(EXTERNAL_LINK, location, message).with_hint(
        "fix or remove the link; if the site refuses automated checks, add its address to `lint.external.skip` in rolebook.yaml",
    )
}

/// Ask every URL with at most `concurrency` requests in flight: a rayon
/// pool of that size (the requests block on the network, not the CPU, so it
/// is its own pool, not the global one). Tells `progress` how many are done,
/// how many failed, and which host a request has waited on for long.
fn ask_all(urls: &[String], config: &ExternalConfig, progress: &Reporter) -> Vec<Outcome> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = agent(config.timeout);
    let waiting = InFlight::default();
    let failed = std::sync::atomic::AtomicUsize::new(0);
    let ask_one = |url: &String| {
        let ticket = waiting.start(url);
        let outcome = ask(&agent, url);
        waiting.end(ticket);
        if !matches!(outcome, Outcome::Ok | Outcome::Unknown) {
            let n = failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress.note(&format!("{n} failed"));
        }
        progress.advance(1);
        outcome
    };
    let ask_every = || urls.par_iter().map(ask_one).collect();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| waiting.report_slow(&done, &failed, progress));
        let outcomes = match rayon::ThreadPoolBuilder::new()
            .num_threads(config.concurrency.clamp(1, urls.len()))
            .build()
        {
            Ok(pool) => pool.install(ask_every),
            // No thread for a pool (a tight `ulimit`): one request at a time.
            Err(_) => urls.iter().map(ask_one).collect(),
        };
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        outcomes
    })
}

/// A request waited on this long is named in the progress line.
const SLOW: Duration = Duration::from_secs(2);

/// The requests in flight and when each started.
#[derive(Default)]
struct InFlight {
    next: std::sync::atomic::AtomicU64,
    started: std::sync::Mutex<BTreeMap<u64, (std::time::Instant, String)>>,
}

impl InFlight {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, (std::time::Instant, String)>> {
        self.started
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self, url: &str) -> u64 {
        let ticket = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| url.to_string());
        self.lock()
            .insert(ticket, (std::time::Instant::now(), host));
        ticket
    }

    fn end(&self, ticket: u64) {
        self.lock().remove(&ticket);
    }

    /// Twice a second until `done`: name the host waited on longest, once
    /// it passes [`SLOW`].
    fn report_slow(
        &self,
        done: &std::sync::atomic::AtomicBool,
        failed: &std::sync::atomic::AtomicUsize,
        progress: &Reporter,
    ) {
        while !done.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(500));
            let slowest = self
                .lock()
                .values()
                .min_by_key(|(started, _)| *started)
                .filter(|(started, _)| started.elapsed() >= SLOW)
                .map(|(started, host)| (started.elapsed().as_secs(), host.clone()));
            if let Some((seconds, host)) = slowest {
                let failed = failed.load(std::sync::atomic::Ordering::Relaxed);
                progress.note(&format!("{failed} failed; waiting {seconds} s on {host}"));
            }
        }
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("rolebook-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    match agent.head(url).call() {
        Ok(response) if response.status().as_u16() < 400 => Outcome::Ok,
        Ok(response) if response.status().as_u16() == 429 => Outcome::Unknown,
        // Some servers refuse HEAD (405, 403, 501) or answer it wrongly: ask with GET.
        Ok(_) | Err(ureq::Error::Protocol(_)) => get(agent, url),
        Err(error) => transport_outcome(&error),
    }
}

fn get(agent: &ureq::Agent, url: &str) -> Outcome {
    match agent.get(url).call() {
        Ok(response) => match response.status().as_u16() {
            status if status < 400 => Outcome::Ok,
            429 => Outcome::Unknown,
            status => Outcome::Status(status),
        },
        Err(error) => transport_outcome(&error),
    }
}

fn transport_outcome(error: &ureq::Error) -> Outcome {
    match error {
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::StatusCode(429) => Outcome::Unknown,
        ureq::Error::StatusCode(status) => Outcome::Status(*status),
        ureq::Error::HostNotFound => Outcome::Failed("host not found".to_string()),
        ureq::Error::ConnectionFailed => Outcome::Failed("connection failed".to_string()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        other => Outcome::Failed(other.to_string()),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A missing or unreadable cache is an empty one: it only saves requests.
fn read_cache(path: &Path) -> Cache {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<Cache>(&text).ok())
        .filter(|cache| cache.version == 1)
        .unwrap_or_default()
}

fn write_cache(path: &Path, cache: &Cache) -> Result<(), Error> {
    let shown = PathBuf::from(CACHE_FILE);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io("create", Path::new(".rolebook-cache"), &e))?;
    let text = serde_json::to_string_pretty(&Cache {
        version: 1,
        ok: cache.ok.clone(),
    })
    .expect("a map of strings to numbers serializes");
    let temp = path.with_extension("json.tmp");
    std::fs::write(&temp, text).map_err(|e| Error::io("write", &shown, &e))?;
    std::fs::rename(&temp, path).map_err(|e| Error::io("write", &shown, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_urls_are_normalized_and_local_links_ignored() {
        assert_eq!(
            external_url("https://example.org/a#b").as_deref(),
            Some("https://example.org/a")
        );
        assert_eq!(
            external_url("//cdn.example.org/x").as_deref(),
            Some("https://cdn.example.org/x")
        );
        assert_eq!(
            external_url("HTTP://E.org").as_deref(),
            Some("HTTP://E.org")
        );
        for local in ["/roles/", "../a.md", "mailto:a@b.ru", "#top", "ftp://x"] {
            assert_eq!(external_url(local), None, "{local}");
        }
    }

    #[test]
    fn a_broken_cache_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(read_cache(&path).ok.is_empty());
        let mut cache = Cache::default();
        cache.ok.insert("https://e.org/".into(), 5);
        write_cache(&path, &cache).unwrap();
        assert_eq!(read_cache(&path).ok["https://e.org/"], 5);
    }
}
