//! The build: one short orchestration of the stages, and the resolved [`Site`].
//!
//! `build` = config → [`crate::content::load`] → [`resolve::resolve`] →
//! render every [`Job`] in parallel → [`write::OutputDir::commit`].

pub mod incremental;
pub mod jobs;
pub mod resolve;
pub mod write;
pub mod xml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::page::{Date, Page};
use crate::error::{Error, Failure, Kind, sort_errors};
use crate::markdown::Rendered;
use crate::render::{Renderer, Theme};
pub use jobs::{Job, JobKind};

/// Index of an entry in [`Site::entries`].
pub type PageId = usize;

/// A page or section with everything resolved about it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The parsed page (its body is emptied once rendered).
    pub page: Page,
    /// URL relative to the base path (`roles/pm/`; empty for the home page).
    pub rel_url: String,
    /// Root-relative URL including the base path (`/kb/roles/pm/`).
    pub url: String,
    /// Absolute URL (`https://example.org/kb/roles/pm/`).
    pub permalink: String,
    /// Rendered Markdown.
    pub rendered: Rendered,
    /// The enclosing section.
    pub parent: Option<PageId>,
    /// For sections: their pages in order.
    pub children: Vec<PageId>,
    /// For sections: their subsections in order.
    pub subsections: Vec<PageId>,
    /// Previous page in the section's order.
    pub prev: Option<PageId>,
    /// Next page in the section's order.
    pub next: Option<PageId>,
    /// Knowledge-base data derived from the front matter (role, comparison, course).
    pub kb: crate::kb::EntryData,
    /// What the search index needs from this page (built in the Markdown pass).
    pub search: crate::search::Document,
    /// Plain-text excerpt for meta descriptions and lists.
    pub excerpt: String,
    /// A section's summary, kept once built (every page below shows it).
    pub section_summary: std::sync::OnceLock<tera::Value>,
}

impl Entry {
    /// `excerpt`: [`crate::render::context::excerpt`] of the page, computed
    /// for all pages in parallel beforehand.
    fn new(
        loaded: crate::content::Loaded,
        config: &Config,
        rel_url: String,
        excerpt: String,
    ) -> Self {
        let crate::content::Loaded {
            page,
            rendered,
            search,
        } = loaded;
        Entry {
            page,
            url: format!("{}{}", config.base_path(), rel_url),
            permalink: absolute_url(&config.base_url, &rel_url),
            rel_url,
            rendered,
            parent: None,
            children: Vec::new(),
            subsections: Vec::new(),
            prev: None,
            next: None,
            kb: crate::kb::EntryData::default(),
            search,
            excerpt,
            section_summary: std::sync::OnceLock::new(),
        }
    }

    /// The output file of this entry (`roles/pm/index.html`).
    pub fn output_path(&self) -> String {
        format!("{}index.html", self.rel_url)
    }
}

/// `https://example.org/kb/` + `roles/pm/`.
pub fn absolute_url(base_url: &str, rel: &str) -> String {
    format!("{base_url}{rel}")
}

/// A non-Markdown file from `content/`, copied next to its page.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the site root.
    pub source: PathBuf,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Output path relative to the output folder.
    pub rel_url: String,
    /// Root-relative URL.
    pub url: String,
}

/// One configured taxonomy and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Name (`tags`).
    pub name: String,
    /// `tags/`.
    pub rel_url: String,
    /// Root-relative URL of the term list.
    pub url: String,
    /// Terms in title order.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as first written.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// `tags/slug/`.
    pub rel_url: String,
    /// Root-relative URL.
    pub url: String,
    /// Pages with this term, newest first.
    pub pages: Vec<PageId>,
    /// `{name, url}` for templates, built once: every page with the term
    /// shows it, so it is cloned (a reference count) rather than rebuilt.
    pub link: tera::Value,
}

/// The whole resolved site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The site root folder.
    pub root: PathBuf,
    /// "Today" of this build (staleness of data; `SOURCE_DATE_EPOCH` when set).
    pub today: Date,
    /// Settings.
    pub config: Config,
    /// Pages and sections, sorted by content path.
    pub entries: Vec<Entry>,
    /// Content path → entry.
    pub by_path: HashMap<String, PageId>,
    /// Taxonomies in configured order.
    pub taxonomies: Vec<Taxonomy>,
    /// For each entry, its terms as (taxonomy index, term index).
    pub page_terms: Vec<Vec<(usize, usize)>>,
    /// Files copied from `content/`.
    pub assets: Vec<Asset>,
}

impl Site {
    /// The home page (`content/_index.md`), if the site has one.
    pub fn home(&self) -> Option<PageId> {
        self.by_path.get("_index.md").copied()
    }

    /// Look up an entry by content path (`roles/pm.md`) or URL path (`/roles/pm/`).
    pub fn find(&self, reference: &str) -> Option<PageId> {
        let reference = reference.trim();
        let content_path = reference
            .trim_start_matches("@/")
            .trim_start_matches("content/");
        if let Some(&id) = self.by_path.get(content_path) {
            return Some(id);
        }
        let url = reference.trim_matches('/');
        self.entries
            .iter()
            .position(|e| e.rel_url.trim_end_matches('/') == url)
    }

    /// Take the site apart into its loaded pages (for `serve` to reuse them).
    pub fn into_loaded(self) -> Vec<crate::content::Loaded> {
        self.entries
            .into_iter()
            .map(|e| crate::content::Loaded {
                page: e.page,
                rendered: e.rendered,
                search: e.search,
            })
            .collect()
    }

    /// Pages that are not sections.
    pub fn pages(&self) -> impl Iterator<Item = (PageId, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.page.is_section)
    }
}

/// What `build` needs from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root.
    pub root: PathBuf,
    /// Output folder overriding `output_dir`.
    pub output: Option<PathBuf>,
    /// Base URL overriding `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// "Today" for staleness and feed dates; from `SOURCE_DATE_EPOCH` when set.
    pub today: Option<Date>,
}

/// What a successful build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages and sections rendered.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Where the site is.
    pub output: PathBuf,
    /// Warnings, sorted.
    pub warnings: Vec<Error>,
    /// Wall time.
    pub elapsed: Duration,
    /// Time spent in each stage, for `--verbose`.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Records how long each stage of a build takes.
#[derive(Debug)]
pub struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch::new()
    }
}

impl Stopwatch {
    /// Start timing.
    pub fn new() -> Self {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Record the time since the last lap under `stage`.
    pub fn lap(&mut self, stage: &'static str) {
        // For benchmarks: `ROLEBOOK_TRACE_MEMORY=1` prints peak memory per stage.
        if std::env::var_os("ROLEBOOK_TRACE_MEMORY").is_some() {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let peak = status
                .lines()
                .find(|l| l.starts_with("VmHWM"))
                .unwrap_or("");
            eprintln!(
                "  after {stage}: {}",
                peak.split_whitespace()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// A site loaded, checked and resolved, with its theme.
#[derive(Debug)]
pub struct Loaded {
    /// The resolved site.
    pub site: Site,
    /// The theme with the site's overrides.
    pub theme: Theme,
    /// Warnings, sorted.
    pub warnings: Vec<Error>,
}

/// Load, check and resolve a site and its theme without writing anything
/// (used by `build` and `check`). Errors of the content and of the theme
/// (a symlink out of the site in `static/`, say) come together.
pub fn load(options: &BuildOptions) -> Result<Loaded, Failure> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    let mut content = crate::content::load(&options.root, &config, options.drafts);
    let mut errors = std::mem::take(&mut content.errors);
    let mut warnings = std::mem::take(&mut content.warnings);
    let theme = Theme::load(&options.root, &config).map_err(|e| errors.extend(e));
    let site = resolve::resolve(&options.root, config, content, today(options), &mut errors);
    sort_errors(&mut warnings);
    match theme {
        Ok(theme) if errors.is_empty() => Ok(Loaded {
            site,
            theme,
            warnings,
        }),
        _ => {
            sort_errors(&mut errors);
            Err(Failure { errors, warnings })
        }
    }
}

/// Build the site into its output folder. On any error nothing in the
/// output folder changes and every error is returned, sorted.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let mut watch = Stopwatch::new();
    let Loaded {
        site,
        theme,
        mut warnings,
    } = load(options)?;
    let site = std::sync::Arc::new(site);
    watch.lap("load, parse, resolve");
    let output = output_dir(options, &site.config);
    let out = write::OutputDir::prepare(&options.root, &output)?;
    let files = render_into(&site, &theme, options, &out, &mut watch).map_err(|mut f| {
        f.warnings = std::mem::take(&mut warnings);
        f
    })?;
    out.commit()?;
    watch.lap("swap output");
    sort_errors(&mut warnings);
    let pages = site.entries.len();
    // Freeing every page takes a tenth of a second at 10,000 pages; nothing
    // waits for it, and a process that exits first leaves it to the OS.
    // When no thread can start (a tight `ulimit -v`), the failed spawn
    // drops the site right here instead; `thread::spawn` would panic.
    let _ = std::thread::Builder::new().spawn(move || drop(site));
    Ok(BuildReport {
        pages,
        files,
        output,
        warnings,
        elapsed: started.elapsed(),
        stages: watch.stages,
    })
}

/// Render every output of a loaded site into `sink`; returns the number of jobs.
pub fn render_into(
    site: &std::sync::Arc<Site>,
    theme: &Theme,
    options: &BuildOptions,
    sink: &dyn write::Sink,
    watch: &mut Stopwatch,
) -> Result<usize, Failure> {
    let renderer = Renderer::new(site, theme, today(options)).map_err(failure)?;
    watch.lap("theme and templates");
    let (jobs, mut errors) = jobs::list(site, theme);
    if errors.is_empty() {
        errors = jobs::run(&jobs, site, &renderer, sink);
    }
    watch.lap("render and write");
    if !errors.is_empty() {
        return Err(failure(errors));
    }
    Ok(jobs.len())
}

fn failure(mut errors: Vec<Error>) -> Failure {
    sort_errors(&mut errors);
    Failure {
        errors,
        warnings: Vec::new(),
    }
}

/// The output folder: `--output`, else `output_dir` from the config, under the root.
pub fn output_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.output {
        Some(path) => path.clone(),
        None => options.root.join(&config.output_dir),
    }
}

/// Today's date: `SOURCE_DATE_EPOCH` when given, else the clock.
pub fn today(options: &BuildOptions) -> Date {
    options
        .today
        .unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()))
}

/// Parse `SOURCE_DATE_EPOCH` (seconds since 1970) into a date.
pub fn date_from_epoch(value: &str) -> Result<Date, Error> {
    let seconds: i64 = value.trim().parse().map_err(|_| {
        Error::new(
            Kind::Usage,
            format!("SOURCE_DATE_EPOCH `{value}` is not a number of seconds"),
        )
    })?;
    let ts = jiff::Timestamp::from_second(seconds)
        .map_err(|e| Error::new(Kind::Usage, format!("SOURCE_DATE_EPOCH out of range: {e}")))?;
    Ok(jiff::tz::Offset::UTC.to_datetime(ts))
}

/// Relative display of the output folder for the summary line.
pub fn display_output(root: &Path, output: &Path) -> String {
    let shown = output.strip_prefix(root).unwrap_or(output);
    let mut text = crate::error::display_path(shown);
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}
