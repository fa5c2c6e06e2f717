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

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::error::{Error, Failure, Kind, Result};
use crate::site::{self, BuildOptions, Site};
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
}

/// Ports tried after a busy one.
const PORT_ATTEMPTS: u16 = 20;

/// Run the server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> std::result::Result<(), Failure> {
    let listener = bind(options)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::new(Kind::Io, "no local address").with_cause(e))?;
    let url = base_url(address);
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        ..BuildOptions::default()
    };
    let mut builder = Builder::new(build_options, options.quiet);
    let shared = Shared::new(Snapshot::default(), options.follow);
    builder.rebuild(
        &shared,
        &ChangeSet {
            config: true,
            ..ChangeSet::default()
        },
    );
    let output = options.root.join(
        crate::config::Config::load(&options.root)
            .map(|c| c.output_dir)
            .unwrap_or_else(|_| "public".into()),
    );
    let (sender, receiver) = mpsc::channel();
    let _watcher = watch::watch(&options.root, &output, sender)?;
    if !options.quiet {
        println!(
            "serving {} at {url} (Ctrl-C to stop)",
            crate::error::display_path(&options.root)
        );
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
                    println!("port {} is busy; using {port}", options.port);
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

/// A sink keeping the built site in memory.
#[derive(Debug, Default)]
struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl site::write::Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Ok(mut files) = self.files.lock() {
            files.insert(rel.to_string(), bytes.to_vec());
        }
        Ok(())
    }
}

/// Rebuilds the site on changes and publishes the result.
pub struct Builder {
    options: BuildOptions,
    quiet: bool,
    site: Option<Arc<Site>>,
    last_errors: Vec<String>,
}

impl Builder {
    /// A builder for the site described by `options`.
    pub fn new(options: BuildOptions, quiet: bool) -> Self {
        Builder {
            options,
            quiet,
            site: None,
            last_errors: Vec::new(),
        }
    }

    /// Wait for changes; coalesce bursts; rebuild.
    fn watch_loop(&mut self, shared: &Shared, receiver: &mpsc::Receiver<ChangeSet>) {
        while let Ok(mut changes) = receiver.recv() {
            while let Ok(more) = receiver.try_recv() {
                changes.extend(more);
            }
            self.rebuild(shared, &changes);
        }
    }

    /// Rebuild after `changes` and publish the new files or the errors.
    pub fn rebuild(&mut self, shared: &Shared, changes: &ChangeSet) {
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.build_all()));
        let result = result.unwrap_or_else(|_| {
            Err(Failure::from(Error::new(
                Kind::Content,
                "internal error while rebuilding (this is a bug in rolebook)",
            )))
        });
        match result {
            Ok((site, files)) => self.publish(shared, changes, site, files, started.elapsed()),
            Err(failure) => self.report(shared, &failure),
        }
    }

    fn build_all(&self) -> std::result::Result<(Arc<Site>, BTreeMap<String, Vec<u8>>), Failure> {
        let (site, _warnings) = site::load(&self.options)?;
        let site = Arc::new(site);
        let sink = MemorySink::default();
        site::render_into(&site, &self.options, &sink, &mut site::Stopwatch::new())?;
        let files = sink.files.into_inner().unwrap_or_default();
        Ok((site, files))
    }

    fn publish(
        &mut self,
        shared: &Shared,
        changes: &ChangeSet,
        site: Arc<Site>,
        files: BTreeMap<String, Vec<u8>>,
        took: Duration,
    ) {
        let previous = shared.snapshot();
        let changed = changed_urls(&previous.files, &files);
        let edited = changes
            .content
            .iter()
            .filter_map(|p| {
                site.by_path
                    .get(
                        p.strip_prefix("content")
                            .unwrap_or(p)
                            .to_str()?
                            .replace('\\', "/")
                            .as_str(),
                    )
                    .copied()
            })
            .map(|id| site.entries[id].url.clone())
            .next();
        let css: Vec<String> = changes
            .static_files
            .iter()
            .filter_map(|p| css_url(&site, p, &files))
            .collect();
        let generation = previous.generation + 1;
        let event = Event::Reload {
            generation,
            changed: (changed.len() <= 2000).then_some(changed.clone()),
            css_only: changes.is_css_only() && previous.errors.is_empty(),
            css,
            edited,
        };
        shared.publish(
            Snapshot {
                generation,
                files: Arc::new(files),
                errors: Vec::new(),
            },
            event,
        );
        self.site = Some(site);
        if !self.last_errors.is_empty() && !self.quiet {
            println!("fixed: the site builds again");
        }
        self.last_errors.clear();
        if !self.quiet && generation == 1 {
            println!(
                "built {} pages in {} ms",
                self.site.as_ref().map_or(0, |s| s.entries.len()),
                took.as_millis()
            );
        } else if !self.quiet {
            println!(
                "rebuilt in {} ms, {} files changed",
                took.as_millis(),
                changed.len()
            );
        }
    }

    fn report(&mut self, shared: &Shared, failure: &Failure) {
        let errors: Vec<String> = failure.errors.iter().map(ToString::to_string).collect();
        if errors != self.last_errors {
            for error in &errors {
                eprintln!("{error}");
            }
            eprintln!(
                "{} error{}; still serving the last good site",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
        }
        self.last_errors = errors.clone();
        shared.publish_errors(errors);
    }
}

/// URLs of pages whose bytes changed, appeared or disappeared.
fn changed_urls(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut urls: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .map(|path| url_of(&path))
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// `roles/pm/index.html` → `/roles/pm/`; other files keep their path.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{path}"),
    }
}

/// The hashed URL of a changed stylesheet (`/style.css?h=…`), for a swap without reload.
fn css_url(
    site: &Site,
    changed: &std::path::Path,
    files: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let rel = changed
        .components()
        .skip_while(|c| c.as_os_str() != "static")
        .skip(1)
        .collect::<PathBuf>();
    let rel = crate::error::display_path(&rel);
    let bytes = files.get(&rel)?;
    Some(format!(
        "{}{rel}?h={}",
        site.config.base_path(),
        crate::render::short_hash(bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_urls_cover_edits_additions_and_removals() {
        let old: BTreeMap<String, Vec<u8>> = [
            ("index.html", "a"),
            ("roles/pm/index.html", "b"),
            ("gone/index.html", "c"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
        let new: BTreeMap<String, Vec<u8>> = [
            ("index.html", "a"),
            ("roles/pm/index.html", "B"),
            ("new.css", "x"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
        assert_eq!(
            changed_urls(&old, &new),
            ["/gone/", "/new.css", "/roles/pm/"]
        );
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
