//! `rolebook serve`: build into memory with the server's own address as
//! base URL, serve it, watch the inputs, rebuild on every change, and tell
//! open pages to reload (or show the errors) over Server-Sent Events.
//!
//! The served site lives in memory, never in the `build` output folder. A
//! failed rebuild keeps the last good site online; content can never stop
//! the server.

pub mod reload;
pub mod server;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::error::{Error, Failure, Kind, Result};
use crate::site::BuildOptions;
use crate::site::incremental::{Edit, Incremental, Update};
use reload::Event;
use server::{Shared, Snapshot};
use watch::ChangeSet;

/// Options of `rolebook serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Port to listen on (the next free one is used when it is busy).
    pub port: u16,
    /// Address to bind (loopback by default).
    pub bind: IpAddr,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Browsers follow to the page being edited.
    pub follow: bool,
    /// Print only errors.
    pub quiet: bool,
    /// The URL pages link to instead of the server's own address (a proxy
    /// or tunnel in front of it); its host is also answered.
    pub base_url: Option<String>,
    /// Where the first build tells how far it got.
    pub progress: crate::progress::Reporter,
}

/// Ports tried after a busy one.
const PORT_ATTEMPTS: u16 = 20;

/// Run the server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> std::result::Result<(), Failure> {
    // A folder that is not a site is refused before anything listens, with
    // the message `build` gives; content errors, later, never stop the server.
    let config = crate::config::Config::load(&options.root)?;
    let listener = bind(options)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::new(Kind::Io, "no local address").with_cause(e))?;
    let url = base_url(address);
    let site_url = match &options.base_url {
        Some(given) => crate::config::normalize_base_url(given)
            .map_err(|msg| Error::new(Kind::Usage, format!("--base-url: {msg}")))?,
        None => url.clone(),
    };
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: Some(site_url.clone()),
        drafts: options.drafts,
        progress: options.progress.clone(),
        ..BuildOptions::default()
    };
    let mut builder = Builder::new(build_options, options.quiet);
    let hosts = server::AllowedHosts::new(options.bind, url_host(&site_url));
    let base_path = crate::config::base_path_of(&site_url).to_string();
    let shared = Shared::new(Snapshot::default(), options.follow, hosts, &base_path);
    builder.rebuild(
        &shared,
        &ChangeSet {
            config: true,
            ..ChangeSet::default()
        },
    );
    let output = options.root.join(&config.output_dir);
    let (sender, receiver) = mpsc::channel();
    let _watcher = watch::watch(&options.root, &output, sender)?;
    if !options.quiet {
        say(format_args!(
            "serving {} at {url} (Ctrl-C to stop)",
            crate::error::display_path(&options.root)
        ));
    }
    if options.open {
        let _ = open::that_detached(&url);
    }
    let loop_shared = shared.clone();
    std::thread::spawn(move || builder.watch_loop(&loop_shared, &receiver));
    run_server(listener, shared)
}

/// Bind the port, or the next free one (said so), on the chosen address.
fn bind(options: &ServeOptions) -> Result<TcpListener> {
    let mut last_error = None;
    for offset in 0..PORT_ATTEMPTS {
        let port = options.port.saturating_add(offset);
        match TcpListener::bind(SocketAddr::new(options.bind, port)) {
            Ok(listener) => {
                if offset > 0 && !options.quiet {
                    say(format_args!("port {} is busy; using {port}", options.port));
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => {
                return Err(Error::new(
                    Kind::Usage,
                    format!("cannot listen on {}:{port}", options.bind),
                )
                .with_cause(e));
            }
        }
    }
    Err(Error::new(
        Kind::Usage,
        format!(
            "ports {}–{} are all busy",
            options.port,
            options.port.saturating_add(PORT_ATTEMPTS - 1)
        ),
    )
    .with_hint("pass another `--port`")
    .with_cause(last_error.map_or_else(|| "address in use".to_string(), |e| e.to_string())))
}

/// `http://127.0.0.1:1111/` (an unspecified bind address is shown as loopback).
fn base_url(address: SocketAddr) -> String {
    let ip = if address.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        address.ip()
    };
    match ip {
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", address.port()),
        IpAddr::V4(v4) => format!("http://{v4}:{}/", address.port()),
    }
}

/// The host of an absolute URL (`https://preview.example.org/kb/` → `preview.example.org`).
fn url_host(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .host_str()
        .map(|h| h.trim_matches(['[', ']']).to_string())
}

fn run_server(listener: TcpListener, shared: Arc<Shared>) -> std::result::Result<(), Failure> {
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::new(Kind::Io, "socket setup failed").with_cause(e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::new(Kind::Io, "could not start the server runtime").with_cause(e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::new(Kind::Io, "socket setup failed").with_cause(e))?;
        axum::serve(listener, server::router(shared))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::new(Kind::Io, "the server stopped").with_cause(e))
    })?;
    Ok(())
}

/// Give memory freed by a rebuild back to the OS. glibc keeps freed memory
/// in one arena per thread that allocated it, and `serve` has many threads
/// (HTTP, rayon, the watcher): without this a 1,000-page site's server grew
/// by half over 1,000 edits.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases free pages; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How long the server waits, idle after a burst of changes, before it
/// looks for changes the watcher did not report.
const CATCH_UP_AFTER: Duration = Duration::from_millis(500);

/// Rebuilds the site on changes and publishes the result.
pub struct Builder {
    engine: Incremental,
    quiet: bool,
    last_errors: Vec<String>,
    /// The content files as the server last saw them (see [`Builder::catch_up`]).
    seen: std::collections::BTreeMap<PathBuf, watch::Stamp>,
    /// Whether the first build was announced ("built N pages").
    announced: bool,
}

impl Builder {
    /// A builder for the site described by `options`.
    pub fn new(options: BuildOptions, quiet: bool) -> Self {
        Builder {
            engine: Incremental::new(options),
            quiet,
            last_errors: Vec::new(),
            seen: std::collections::BTreeMap::new(),
            announced: false,
        }
    }

    /// Wait for changes; coalesce bursts; rebuild. Once a burst is over,
    /// [`Builder::catch_up`] with what the watcher may have missed.
    fn watch_loop(&mut self, shared: &Shared, receiver: &mpsc::Receiver<ChangeSet>) {
        // True from the start: files may change between the first build and
        // the start of the watcher.
        let mut burst = true;
        loop {
            match receiver.recv_timeout(CATCH_UP_AFTER) {
                Ok(mut changes) => {
                    while let Ok(more) = receiver.try_recv() {
                        changes.extend(more);
                    }
                    self.rebuild(shared, &changes);
                    release_freed_memory();
                    burst = true;
                }
                Err(mpsc::RecvTimeoutError::Timeout) if burst => {
                    burst = false;
                    self.catch_up(shared);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Rebuild the content files that changed on disk without an event
    /// (file watchers can lose events in bursts of renames and deletes).
    fn catch_up(&mut self, shared: &Shared) {
        let root = self.engine.options().root.clone();
        let now = watch::content_stamps(&root, self.engine.symlinks());
        let missed = watch::missed(&self.seen, &now);
        if missed.is_empty() {
            return;
        }
        if !self.quiet {
            say(format_args!(
                "{} changed files had no watcher event: rebuilding them",
                missed.len()
            ));
        }
        let changes = ChangeSet {
            content: missed,
            ..ChangeSet::default()
        };
        self.rebuild(shared, &changes);
    }

    /// Rebuild after `changes` and publish the new files or the errors.
    pub fn rebuild(&mut self, shared: &Shared, changes: &ChangeSet) {
        let started = Instant::now();
        self.note_seen(changes);
        let css_only = changes.is_css_only() && shared.snapshot().errors.is_empty();
        let swapped = css_only.then(|| self.swap_stylesheets(shared, changes));
        let edit = Edit {
            content: changes.content.clone(),
            theme: changes.templates || changes.strings || !changes.static_files.is_empty(),
            config: changes.config,
        };
        // The edited pages first, then the search index (most of a rebuild
        // of a large site), each published as soon as it is in place.
        let first = self.guarded(|engine| engine.apply_first(&edit));
        let update = match first {
            Ok(update) => update,
            Err(failure) => return self.report(shared, &failure),
        };
        let pages_took = started.elapsed();
        let mut changed = update.changed.clone();
        let pages = update.pages;
        self.publish(shared, changes, update, swapped);
        match self.guarded(Incremental::finish) {
            Ok(Some(index)) => {
                changed.extend(index.changed.iter().cloned());
                self.publish(shared, &ChangeSet::default(), index, None);
            }
            Ok(None) => {}
            Err(failure) => return self.report(shared, &failure),
        }
        self.say_built(pages, &changed, pages_took, started.elapsed());
    }

    /// Run a step of the engine; a panic becomes an error (and a fresh engine).
    fn guarded<T>(
        &mut self,
        step: impl FnOnce(&mut Incremental) -> std::result::Result<T, Failure>,
    ) -> std::result::Result<T, Failure> {
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(&mut self.engine)));
        result.unwrap_or_else(|_| {
            // The engine's state is unknown after a panic: start from scratch next time.
            self.engine = Incremental::new(self.engine_options());
            Err(Failure::from(Error::new(
                Kind::Content,
                "internal error while rebuilding (this is a bug in rolebook)",
            )))
        })
    }

    /// Record the stamps of the files a rebuild is about to read.
    fn note_seen(&mut self, changes: &ChangeSet) {
        let root = self.engine.options().root.clone();
        if changes.config {
            self.seen = watch::content_stamps(&root, self.engine.symlinks());
            return;
        }
        for path in &changes.content {
            match watch::stamp(&root, path) {
                Some(stamp) => self.seen.insert(path.clone(), stamp),
                None => self.seen.remove(path),
            };
        }
    }

    fn engine_options(&self) -> BuildOptions {
        self.engine.options().clone()
    }

    /// Put changed stylesheets in place at once and tell pages to swap them;
    /// the pages referring to them are re-rendered right after. Returns the
    /// new stylesheet URLs.
    fn swap_stylesheets(&mut self, shared: &Shared, changes: &ChangeSet) -> Vec<String> {
        let snapshot = shared.snapshot();
        let mut files = (*snapshot.files).clone();
        let root = self.engine.options().root.clone();
        let mut urls = Vec::new();
        for path in &changes.static_files {
            let Some(rel) = static_rel(path) else {
                continue;
            };
            let overridden = path.starts_with("themes") && root.join("static").join(&rel).is_file();
            if overridden {
                continue;
            }
            if let Ok(bytes) = std::fs::read(root.join(path)) {
                urls.push(format!(
                    "{}{rel}?h={}",
                    self.engine.base_path(),
                    crate::render::short_hash(&bytes)
                ));
                let stored = crate::site::write::Stored::new(&rel, bytes);
                files.insert(rel, Arc::new(stored));
            }
        }
        let generation = snapshot.generation + 1;
        let event = Event::Reload {
            generation,
            changed: Some(Vec::new()),
            css_only: true,
            css: urls.clone(),
            edited: None,
        };
        shared.publish(
            Snapshot {
                generation,
                files: Arc::new(files),
                errors: Vec::new(),
            },
            event,
        );
        urls
    }

    fn publish(
        &mut self,
        shared: &Shared,
        changes: &ChangeSet,
        update: Update,
        swapped_css: Option<Vec<String>>,
    ) {
        let css_only = swapped_css.is_some();
        let previous = shared.snapshot();
        let changed: Vec<String> = update.changed.iter().map(|p| url_of(p)).collect();
        let edited = changes.content.iter().find_map(|p| self.engine.url_of(p));
        // The generation is the version of the pages: a publish that changed
        // no page (the search index after the pages) keeps it, so a page
        // served in between is not told it is out of date.
        let pages_changed = update.changed.iter().any(|p| p.ends_with(".html"));
        let generation = if pages_changed || css_only || previous.generation == 0 {
            previous.generation + 1
        } else {
            previous.generation
        };
        let event = Event::Reload {
            generation,
            // After a stylesheet swap the pages are already up to date.
            changed: if css_only {
                Some(Vec::new())
            } else {
                (changed.len() <= 2000).then_some(changed)
            },
            css_only,
            // Again: a page that loaded between the swap and this build
            // still links the old stylesheets.
            css: swapped_css.unwrap_or_default(),
            edited: if css_only { None } else { edited },
        };
        shared.publish(
            Snapshot {
                generation,
                files: update.outputs,
                errors: Vec::new(),
            },
            event,
        );
        if !self.last_errors.is_empty() && !self.quiet {
            say(format_args!("fixed: the site builds again"));
        }
        self.last_errors.clear();
    }

    /// The terminal's line for a build: the first, or a rebuild with the
    /// time until the edited pages were served and until everything was.
    fn say_built(&mut self, pages: usize, changed: &[String], first: Duration, all: Duration) {
        if self.quiet {
            return;
        }
        if !self.announced {
            self.announced = true;
            say(format_args!(
                "built {pages} pages in {} ms",
                all.as_millis()
            ));
        } else if all.saturating_sub(first) >= Duration::from_millis(1) {
            say(format_args!(
                "rebuilt in {} ms (pages served after {} ms): {}",
                all.as_millis(),
                first.as_millis(),
                rebuilt(changed)
            ));
        } else {
            say(format_args!(
                "rebuilt in {} ms: {}",
                all.as_millis(),
                rebuilt(changed)
            ));
        }
    }

    fn report(&mut self, shared: &Shared, failure: &Failure) {
        let errors: Vec<String> = failure.errors.iter().map(ToString::to_string).collect();
        if errors != self.last_errors {
            for error in &errors {
                tell(format_args!("{error}"));
            }
            tell(format_args!(
                "{} error{}; still serving the last good site",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ));
        }
        self.last_errors = errors.clone();
        shared.publish_errors(errors);
    }
}

/// What a rebuild changed, as people count it: `3 pages`, `1 page, 4 other
/// files`, `nothing changed`.
fn rebuilt(changed: &[String]) -> String {
    let pages = changed.iter().filter(|p| p.ends_with(".html")).count();
    let others = changed.len() - pages;
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (pages, others) {
        (0, 0) => "nothing changed".to_string(),
        (pages, 0) => count(pages, "page", "pages"),
        (0, others) => count(others, "file", "files"),
        (pages, others) => format!(
            "{}, {}",
            count(pages, "page", "pages"),
            count(others, "other file", "other files")
        ),
    }
}

/// `static/a/b.css` or `themes/x/static/a/b.css` → `a/b.css`.
fn static_rel(path: &std::path::Path) -> Option<String> {
    let parts: Vec<&std::ffi::OsStr> = path.iter().collect();
    let at = parts.iter().position(|p| *p == "static")?;
    let rel: PathBuf = parts[at + 1..].iter().collect();
    Some(crate::error::display_path(&rel))
}

/// A line for the person running `serve`. A closed terminal is not an
/// error: the server goes on (`println!` would panic on the broken pipe).
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Like [`say`], on stderr (errors of a rebuild).
fn tell(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `roles/pm/index.html` → `/roles/pm/`; other files keep their path.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_paths_map_to_output_paths() {
        assert_eq!(
            static_rel(std::path::Path::new("static/css/a.css")).as_deref(),
            Some("css/a.css")
        );
        assert_eq!(
            static_rel(std::path::Path::new("themes/default/static/style.css")).as_deref(),
            Some("style.css")
        );
    }

    #[test]
    fn output_paths_become_urls() {
        assert_eq!(url_of("roles/pm/index.html"), "/roles/pm/");
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("style.css"), "/style.css");
    }

    #[test]
    fn base_url_uses_the_bound_address() {
        assert_eq!(
            base_url("127.0.0.1:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            base_url("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            base_url("[::1]:9000".parse().unwrap()),
            "http://[::1]:9000/"
        );
    }
}
